// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup references and paths (cgroups.h).  Without CONFIG_CGROUPS there
 * is no cgroup to name, and every path is unknown.
 */
#include <linux/cgroup.h>
#include <linux/errno.h>
#include <linux/kernfs.h>
#include <linux/nsproxy.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "cgroups.h"

#if IS_ENABLED(CONFIG_CGROUPS)

struct cgroup *pr_cgroup_current(void)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	/*
	 * A racing migration may have dropped the last reference of the
	 * css_set this came from, and a racing rmdir the cgroup's own: the
	 * cgroup's memory stays until a grace period ends, but not its count.
	 */
	if (!css_tryget(&cgrp->self))
		cgrp = NULL;
	rcu_read_unlock();
	return cgrp;
}

struct cgroup *pr_cgroup_get(struct cgroup *cgrp)
{
	if (cgrp)
		css_get(&cgrp->self);
	return cgrp;
}

struct cgroup *pr_cgroup_tryget(struct cgroup *cgrp)
{
	/* A cgroup is freed a grace period after its last reference goes. */
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "a cgroup tried outside RCU");
	return cgrp && css_tryget(&cgrp->self) ? cgrp : NULL;
}

void pr_cgroup_put(struct cgroup *cgrp)
{
	if (cgrp)
		css_put(&cgrp->self);
}

const char *pr_cgroup_path(struct cgroup *cgrp, char *buf)
{
	struct cgroup *root;
	int len;

	if (!cgrp)
		return NULL;
	/*
	 * The namespace holds its root css_set, and a css_set's cgroup in
	 * the unified hierarchy never changes: no lock is needed to get it.
	 */
	root = current->nsproxy->cgroup_ns->root_cset->dfl_cgrp;
	len = kernfs_path_from_node(cgrp->kn, root->kn, buf,
				    PR_CGROUP_BUF_SIZE);
	/*
	 * Too long: the "/.." in front overflowed (-E2BIG), or the names
	 * filled the buffer and were cut, or, before strscpy() came to
	 * kernfs, the whole length is returned.  Any: a length of
	 * PR_CGROUP_PATH_MAX or more.
	 */
	if (len == -E2BIG || len >= PR_CGROUP_PATH_MAX)
		return "?";
	if (len < 0)
		return NULL;
	return buf;
}

#else

struct cgroup *pr_cgroup_current(void)
{
	return NULL;
}

struct cgroup *pr_cgroup_get(struct cgroup *cgrp)
{
	return cgrp;
}

struct cgroup *pr_cgroup_tryget(struct cgroup *cgrp)
{
	return cgrp;
}

void pr_cgroup_put(struct cgroup *cgrp)
{
}

const char *pr_cgroup_path(struct cgroup *cgrp, char *buf)
{
	return NULL;
}

#endif
