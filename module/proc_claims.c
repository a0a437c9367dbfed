// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/portreg/claims: every socket that holds a local port, from the
 * kernel's own tables (ktables.c), one per line, with what portreg
 * recorded of who made it take the port.
 *
 * The walk goes one hash chain at a time, the chain's sockets held by
 * reference, and turns them into lines a window at a time; it keeps its
 * place between reads, so reading the file is one pass over the tables
 * however it is split into read() calls.  A reader that seeks starts the
 * walk over.  Sockets that come and go during a read may be missed or
 * seen twice, as in /proc/net/tcp.
 */
#include <linux/fs.h>
#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "access.h"
#include "bindfmt.h"
#include "hook.h"
#include "ktables.h"
#include "proc_claims.h"
#include "track.h"

#define PR_CLAIMS_WINDOW	128
#define PR_CLAIMS_LISTENERS	64

struct pr_claims_seq {
	struct pr_tracker *tracker;
	struct pr_view view;
	struct pr_kt_iter it;
	bool it_live;
	u8 ipproto;				/* of the current chain */
	unsigned int chain_next;		/* next socket to turn into lines */
	struct pr_sockinfo listeners[PR_CLAIMS_LISTENERS];
	u64 listener_cookies[PR_CLAIMS_LISTENERS];
	unsigned int nlisteners;
	struct pr_claim_info lines[PR_CLAIMS_WINDOW];
	unsigned int nlines;
	unsigned int next;			/* of lines */
	loff_t pos;				/* the position of lines[next] */
	char cgroup[PR_CGROUP_BUF_SIZE];
	char line[PR_RECORD_LINE_MAX];
};

/* The window's lines hold cgroup references. */
static void pr_claims_drop_lines(struct pr_claims_seq *cs)
{
	unsigned int i;

	for (i = 0; i < cs->nlines; i++)
		pr_task_id_put(&cs->lines[i].task);
	cs->nlines = 0;
	cs->next = 0;
}

/* The listeners of the chain, for telling accepted connections. */
static void pr_claims_find_listeners(struct pr_claims_seq *cs)
{
	struct pr_kt_iter *it = &cs->it;
	unsigned int i;

	cs->nlisteners = 0;
	if (cs->ipproto != IPPROTO_TCP)
		return;
	for (i = 0; i < it->nchain; i++) {
		struct sock *sk = it->chain[i];

		if (READ_ONCE(sk->sk_state) != TCP_LISTEN)
			continue;
		if (cs->nlisteners == PR_CLAIMS_LISTENERS)
			break;
		pr_sockinfo_fill(&cs->listeners[cs->nlisteners], sk,
				 cs->ipproto);
		cs->listener_cookies[cs->nlisteners++] = pr_sock_cookie(sk);
	}
}

static u64 pr_claims_listener_of(struct pr_claims_seq *cs,
				 const struct pr_sockinfo *si)
{
	unsigned int i;

	if (si->state == TCP_LISTEN || si->state == TCP_CLOSE ||
	    si->state == TCP_TIME_WAIT)
		return 0;
	for (i = 0; i < cs->nlisteners; i++) {
		const struct pr_sockinfo *l = &cs->listeners[i];

		if (l->netns_cookie == si->netns_cookie && l->port == si->port &&
		    pr_bindkey_addr_overlap(&si->key, &l->key))
			return cs->listener_cookies[i];
	}
	return 0;
}

static void pr_claims_device(struct pr_claim_info *ci, struct sock *sk)
{
	struct net_device *dev;

	if (!ci->ifindex)
		return;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(sk), ci->ifindex);
	if (dev)
		strscpy(ci->ifname, dev->name, sizeof(ci->ifname));
	rcu_read_unlock();
}

/* Fills the window of lines from the walk; false at its end. */
static bool pr_claims_fill(struct pr_claims_seq *cs)
{
	struct pr_kt_iter *it = &cs->it;
	struct pr_sockinfo si;

	pr_claims_drop_lines(cs);
	while (!cs->nlines) {
		if (cs->chain_next >= it->nchain) {
			if (!pr_kt_iter_next_chain(it, &cs->ipproto))
				return false;
			cs->chain_next = 0;
			pr_claims_find_listeners(cs);
		}
		while (cs->chain_next < it->nchain &&
		       cs->nlines < PR_CLAIMS_WINDOW) {
			unsigned int i = cs->chain_next++;
			struct sock *sk = it->chain[i];
			struct pr_claim_info *ci = &cs->lines[cs->nlines++];

			pr_sockinfo_fill(&si, sk, cs->ipproto);
			pr_track_claim(cs->tracker, &si,
				       pr_claims_listener_of(cs, &si),
				       it->by_connect[i], ci);
			pr_claims_device(ci, sk);
		}
	}
	return true;
}

static void pr_claims_restart(struct pr_claims_seq *cs)
{
	if (cs->it_live)
		pr_kt_iter_exit(&cs->it);
	cs->it_live = !pr_kt_iter_init(&cs->it, cs->view.netns_cookie,
				       cs->view.all_netns);
	cs->chain_next = 0;
	pr_claims_drop_lines(cs);
	cs->pos = 1;
}

/* Line @pos (1 for the first socket) of the walk, or NULL past the end. */
static void *pr_claims_at(struct pr_claims_seq *cs, loff_t pos)
{
	if (pos < cs->pos || !cs->it_live)
		pr_claims_restart(cs);
	if (!cs->it_live)
		return NULL;
	while (cs->pos < pos || cs->next >= cs->nlines) {
		if (cs->next >= cs->nlines) {
			if (!pr_claims_fill(cs))
				return NULL;
			continue;
		}
		cs->next++;
		cs->pos++;
	}
	return cs;
}

static void *pr_claims_start(struct seq_file *m, loff_t *pos)
{
	struct pr_claims_seq *cs = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	return pr_claims_at(cs, *pos);
}

static void *pr_claims_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pr_claims_seq *cs = m->private;

	++*pos;
	return pr_claims_at(cs, *pos);
}

static void pr_claims_stop(struct seq_file *m, void *v)
{
}

static int pr_claims_show(struct seq_file *m, void *v)
{
	struct pr_claims_seq *cs = m->private;
	size_t len;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, PR_CLAIMS_HEADER);
		return 0;
	}
	len = pr_format_claim(cs->line, sizeof(cs->line), &cs->lines[cs->next],
			      pr_cgroup_path(cs->lines[cs->next].task.cgroup,
					     cs->cgroup),
			      &cs->view);
	seq_write(m, cs->line, len);
	return 0;
}

static const struct seq_operations pr_claims_seq_ops = {
	.start = pr_claims_start,
	.next = pr_claims_next,
	.stop = pr_claims_stop,
	.show = pr_claims_show,
};

static int pr_claims_open(struct inode *inode, struct file *file)
{
	struct pr_claims_seq *cs;
	struct pr_view view;
	int err;

	err = pr_access_open(file, &view);
	if (err)
		return err;
	cs = __seq_open_private(file, &pr_claims_seq_ops, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	cs->tracker = pde_data(inode);
	cs->view = view;
	return 0;
}

static int pr_claims_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct pr_claims_seq *cs = m->private;

	pr_claims_drop_lines(cs);
	if (cs->it_live)
		pr_kt_iter_exit(&cs->it);
	return seq_release_private(inode, file);
}

static const struct proc_ops pr_claims_proc_ops = {
	.proc_open = pr_claims_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = pr_claims_release,
};

struct proc_dir_entry *pr_proc_claims_create(struct proc_dir_entry *dir,
					     struct pr_tracker *t)
{
	return proc_create_data("claims", 0444, dir, &pr_claims_proc_ops, t);
}
