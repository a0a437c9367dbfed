// SPDX-License-Identifier: GPL-2.0
/*
 * Who may read the bind log and the claims table.  They name other users'
 * processes, so by default only CAP_NET_ADMIN over the reader's network
 * namespace opens them; the read_gid parameter grants one group as well.
 * The check is made at open(), against the opener's credentials, as for
 * /proc/net: a descriptor passed on keeps the opener's view.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <net/net_namespace.h>

#include "access.h"

static int read_gid = -1;
module_param(read_gid, int, 0444);
MODULE_PARM_DESC(read_gid,
		 "Group (in the initial user namespace) that may read /proc/portreg/binds and claims without CAP_NET_ADMIN; -1 for none (default)");

static bool pr_access_granted_group(void)
{
	kgid_t gid;

	if (read_gid < 0)
		return false;
	gid = make_kgid(&init_user_ns, read_gid);
	return gid_valid(gid) && in_group_p(gid);
}

int pr_access_open(struct file *file, struct pr_view *view)
{
	struct net *net = current->nsproxy->net_ns;
	struct pid_namespace *pidns;

	if (!file_ns_capable(file, net->user_ns, CAP_NET_ADMIN) &&
	    !pr_access_granted_group())
		return -EPERM;
	view->netns_cookie = net->net_cookie;
	view->all_netns = net_eq(net, &init_net);
	view->user_ns = file->f_cred->user_ns;
	pidns = task_active_pid_ns(current);
	view->pidns_level = pidns->level;
	view->pidns_inum = pidns->ns.inum;
	return 0;
}
