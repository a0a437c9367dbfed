// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/portreg/binds, binds_follow and stats; claims is proc_claims.c.
 *
 * binds is a snapshot: it ends at the event that was newest when it was
 * opened.  binds_follow prints the same lines and then blocks for new
 * ones, like trace_pipe, but consumes nothing: any number of followers
 * read the same events.  Followers are woken in batches, from an irq_work
 * the probes queue and a timer it arms (ring.c), and told to leave before
 * the files go away.  A file
 * position in either is one past a sequence number, so a reader that
 * falls behind skips to the oldest event the ring still holds and sees
 * the gap in the SEQ column.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>

#include "access.h"
#include "bindfmt.h"
#include "hook.h"
#include "merge.h"
#include "proc_claims.h"
#include "proc_owners.h"
#include "selfcheck.h"
#include "proc_track.h"
#include "track.h"
#include "version.h"

#define PR_VERSION_LINE	"version " PORTREG_VERSION "\n"

static void pr_track_unavailable_line(char *buf, size_t size)
{
	snprintf(buf, size, "# tracking unavailable: %s\n", pr_hook_status());
}

/*
 * The logs a reader sees: its own namespace's, or, from the initial
 * namespace, every namespace's, merged.  A namespace whose log could not
 * be allocated has none to show.
 */
static int pr_view_logs(struct pr_tracker *t, const struct pr_view *view,
			struct pr_merge *m)
{
	struct pr_netns *ns;
	int err;

	if (view->all_netns)
		return pr_merge_refresh(m, &t->netns);
	ns = pr_netns_get(&t->netns, view->netns_cookie);
	if (!ns)
		return 0;
	err = pr_merge_add(m, ns);
	if (err)
		pr_netns_put(ns);
	return err;
}

/*
 * The sequence number a reader sees: its namespace's own, or, for a
 * reader of every namespace, the global one.  Neither tells a reader of
 * one namespace anything of the others.
 */
static u64 pr_view_seq(const struct pr_view *view, const struct pr_merged *e)
{
	return view->all_netns ? e->gseq : e->seq;
}

/* binds: a snapshot of the logs, as they were at open(). */

struct pr_binds_iter {
	struct pr_view view;
	struct pr_merge merge;
	loff_t pos;		/* of @cur, if @has_cur */
	bool has_cur;
	struct pr_merged cur;
	struct pr_event_paths paths;
	char line[PR_RECORD_LINE_MAX];
};

static void pr_binds_drop_cur(struct pr_binds_iter *it)
{
	if (it->has_cur)
		pr_event_put(&it->cur.ev);
	it->has_cur = false;
}

static bool pr_binds_advance(struct pr_binds_iter *it)
{
	pr_binds_drop_cur(it);
	it->has_cur = pr_merge_next(&it->merge, &it->cur);
	if (it->has_cur)
		it->pos++;
	return it->has_cur;
}

/*
 * Position 0 is the header, 1 the first event.  seq_file asks again for
 * the item it could not fit, or for the next one; anything else (a seek)
 * starts over.
 */
static void *pr_binds_start(struct seq_file *m, loff_t *pos)
{
	struct pr_binds_iter *it = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (!(it->has_cur && *pos == it->pos)) {
		if (!it->has_cur || *pos < it->pos) {
			pr_binds_drop_cur(it);
			pr_merge_rewind(&it->merge);
			it->pos = 0;
		}
		while (it->pos < *pos) {
			if (!(it->pos % 1024))
				cond_resched();
			if (!pr_binds_advance(it))
				return NULL;
		}
	}
	return it;
}

static void *pr_binds_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pr_binds_iter *it = m->private;

	++*pos;
	if (v == SEQ_START_TOKEN) {
		pr_merge_rewind(&it->merge);
		it->pos = 0;
	}
	return pr_binds_advance(it) ? it : NULL;
}

static void pr_binds_stop(struct seq_file *m, void *v)
{
	struct pr_binds_iter *it = m->private;

	pr_merge_mark_read(&it->merge);
}

static int pr_binds_show(struct seq_file *m, void *v)
{
	struct pr_binds_iter *it = m->private;
	size_t len;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, PR_BINDS_HEADER);
		if (!pr_hook_active()) {
			pr_track_unavailable_line(it->line, sizeof(it->line));
			seq_puts(m, it->line);
		}
		return 0;
	}
	pr_event_paths_resolve(&it->paths, &it->cur.ev);
	len = pr_format_event(it->line, sizeof(it->line),
			      pr_view_seq(&it->view, &it->cur), &it->cur.ev,
			      &it->paths, &it->view);
	seq_write(m, it->line, len);
	return 0;
}

static const struct seq_operations pr_binds_seq_ops = {
	.start = pr_binds_start,
	.next = pr_binds_next,
	.stop = pr_binds_stop,
	.show = pr_binds_show,
};

static int pr_binds_open(struct inode *inode, struct file *file)
{
	struct pr_tracker *t = pde_data(inode);
	struct pr_binds_iter *it;
	struct pr_view view;
	int err;

	err = pr_access_open(file, &view);
	if (err)
		return err;
	it = __seq_open_private(file, &pr_binds_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->view = view;
	pr_merge_init(&it->merge, false);
	err = pr_view_logs(t, &view, &it->merge);
	if (err) {
		pr_merge_release(&it->merge);
		seq_release_private(inode, file);
	}
	return err;
}

static int pr_binds_release(struct inode *inode, struct file *file)
{
	struct pr_binds_iter *it = ((struct seq_file *)file->private_data)->private;

	pr_binds_drop_cur(it);
	pr_merge_release(&it->merge);
	return seq_release_private(inode, file);
}

static const struct proc_ops pr_binds_proc_ops = {
	.proc_open = pr_binds_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = pr_binds_release,
};

/*
 * binds_follow: the logs, then every new event as it comes.  Its memory
 * is charged to the follower's memory cgroup, and no user but root may
 * have more than PR_FOLLOWERS_PER_USER at once.
 */

#define PR_FOLLOWERS_PER_USER	64

static DEFINE_MUTEX(pr_followers_lock);
static DEFINE_XARRAY(pr_followers);	/* by kuid: how many each has */

static int pr_followers_get(kuid_t uid)
{
	unsigned long n;
	int err = 0;

	if (uid_eq(uid, GLOBAL_ROOT_UID))
		return 0;
	mutex_lock(&pr_followers_lock);
	n = xa_to_value(xa_load(&pr_followers, __kuid_val(uid)) ?:
			xa_mk_value(0));
	if (n >= PR_FOLLOWERS_PER_USER)
		err = -EMFILE;
	else
		err = xa_err(xa_store(&pr_followers, __kuid_val(uid),
				      xa_mk_value(n + 1), GFP_KERNEL_ACCOUNT));
	mutex_unlock(&pr_followers_lock);
	return err;
}

static void pr_followers_put(kuid_t uid)
{
	unsigned long n;

	if (uid_eq(uid, GLOBAL_ROOT_UID))
		return;
	mutex_lock(&pr_followers_lock);
	n = xa_to_value(xa_load(&pr_followers, __kuid_val(uid)));
	if (n > 1)
		xa_store(&pr_followers, __kuid_val(uid), xa_mk_value(n - 1),
			 GFP_KERNEL_ACCOUNT);
	else
		xa_erase(&pr_followers, __kuid_val(uid));
	mutex_unlock(&pr_followers_lock);
}

struct pr_follow {
	struct mutex lock;	/* one read() at a time */
	struct pr_tracker *tracker;
	struct pr_view view;
	struct pr_netns *anchor;	/* its namespace's entry, or the host's */
	struct pr_merge merge;
	kuid_t uid;		/* whose count it is in */
	bool started;		/* the header is out */
	size_t len;		/* bytes in @buf */
	size_t off;		/* of which already read */
	struct pr_merged cur;
	struct pr_event_paths paths;
	char *buf;		/* PR_FOLLOW_BUF bytes */
};

#define PR_FOLLOW_BUF	(4 * PR_RECORD_LINE_MAX)

/* Formats what is there into @f->buf; returns false if nothing was. */
static bool pr_follow_fill(struct pr_follow *f)
{
	unsigned int n = 0;

	f->len = 0;
	f->off = 0;
	if (!f->started) {
		f->len = scnprintf(f->buf, PR_FOLLOW_BUF, PR_BINDS_HEADER);
		if (!pr_hook_active())
			pr_track_unavailable_line(f->buf + f->len,
						  PR_FOLLOW_BUF - f->len);
		f->len += strlen(f->buf + f->len);
		f->started = true;
	}
	/* New namespaces join the host's view as they come. */
	if (f->view.all_netns)
		pr_merge_refresh(&f->merge, &f->tracker->netns);
	while (f->len + PR_RECORD_LINE_MAX <= PR_FOLLOW_BUF &&
	       pr_merge_next(&f->merge, &f->cur)) {
		if (!(++n % 256))
			cond_resched();
		pr_event_paths_resolve(&f->paths, &f->cur.ev);
		f->len += pr_format_event(f->buf + f->len,
					  PR_FOLLOW_BUF - f->len,
					  pr_view_seq(&f->view, &f->cur),
					  &f->cur.ev, &f->paths, &f->view);
		pr_event_put(&f->cur.ev);
	}
	return f->len;
}

static bool pr_follow_closed(struct pr_follow *f)
{
	return !f->anchor || pr_ring_closed(&f->anchor->ring);
}

/*
 * A host follower waits on the host's queue, woken by any namespace's
 * log; another on its own log's, woken by nothing else.
 */
static wait_queue_head_t *pr_follow_queue(struct pr_follow *f)
{
	return f->view.all_netns ? &f->tracker->netns.host_wait :
				   &f->anchor->ring.wait;
}

static bool pr_follow_ready(struct pr_follow *f, u64 numbering)
{
	if (pr_follow_closed(f))
		return true;
	if (f->view.all_netns)
		return atomic64_read(&f->tracker->netns.numbering) != numbering;
	return pr_ring_head(&f->anchor->ring) != numbering;
}

static u64 pr_follow_mark(struct pr_follow *f)
{
	if (f->view.all_netns)
		return atomic64_read(&f->tracker->netns.numbering);
	return pr_ring_head(&f->anchor->ring);
}

static ssize_t pr_follow_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct pr_follow *f = file->private_data;
	ssize_t ret;
	size_t n;

	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	for (;;) {
		/* What was there before looking: anything after wakes us. */
		u64 mark = pr_follow_mark(f);

		if (f->off < f->len || pr_follow_fill(f))
			break;
		/* Without probes nothing will ever come: end the file. */
		if (!pr_hook_active() || pr_follow_closed(f)) {
			ret = 0;
			goto out;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		if (wait_event_interruptible(*pr_follow_queue(f),
					     pr_follow_ready(f, mark))) {
			ret = -ERESTARTSYS;
			goto out;
		}
	}
	n = min(count, f->len - f->off);
	if (copy_to_user(ubuf, f->buf + f->off, n)) {
		ret = -EFAULT;
		goto out;
	}
	f->off += n;
	*ppos += n;
	ret = n;
	/* Only events the reader now has count as read. */
	if (f->off == f->len)
		pr_merge_mark_read(&f->merge);
out:
	mutex_unlock(&f->lock);
	return ret;
}

static int pr_follow_open(struct inode *inode, struct file *file)
{
	struct pr_tracker *t = pde_data(inode);
	struct pr_follow *f;
	struct pr_view view;
	int err;

	err = pr_access_open(file, &view);
	if (err)
		return err;
	err = pr_followers_get(file->f_cred->uid);
	if (err)
		return err;
	err = -ENOMEM;
	f = kzalloc_obj(*f, GFP_KERNEL_ACCOUNT);
	if (!f)
		goto err_count;
	f->buf = kvmalloc(PR_FOLLOW_BUF, GFP_KERNEL_ACCOUNT);
	if (!f->buf)
		goto err_free;
	mutex_init(&f->lock);
	f->tracker = t;
	f->view = view;
	f->uid = file->f_cred->uid;
	pr_merge_init(&f->merge, true);
	f->anchor = pr_netns_get(&t->netns, view.all_netns ?
				 t->netns.init->cookie : view.netns_cookie);
	err = f->anchor ? pr_view_logs(t, &view, &f->merge) : 0;
	if (err)
		goto err_merge;
	file->private_data = f;
	return nonseekable_open(inode, file);

err_merge:
	pr_merge_release(&f->merge);
	if (f->anchor)
		pr_netns_put(f->anchor);
	kvfree(f->buf);
err_free:
	kfree(f);
err_count:
	pr_followers_put(file->f_cred->uid);
	return err;
}

static int pr_follow_release(struct inode *inode, struct file *file)
{
	struct pr_follow *f = file->private_data;

	pr_merge_release(&f->merge);
	if (f->anchor)
		pr_netns_put(f->anchor);
	pr_followers_put(f->uid);
	kvfree(f->buf);
	kfree(f);
	return 0;
}

static const struct proc_ops pr_follow_proc_ops = {
	.proc_open = pr_follow_open,
	.proc_read = pr_follow_read,
	.proc_release = pr_follow_release,
};

/*
 * stats: one "name value" per line; counters only, readable by anyone.
 * A reader of the initial network namespace sees the host's: totals over
 * every namespace, the shared pools, the probes.  A reader of another
 * sees its own namespace's counters and log, and nothing that would tell
 * it how busy the others are.
 */

struct pr_stats_file {
	struct pr_tracker *tracker;
	u64 netns_cookie;
	bool host;
};

static void pr_stats_tracking(struct seq_file *m)
{
	seq_puts(m, PR_VERSION_LINE);
	if (pr_hook_active())
		seq_puts(m, "tracking active\n");
	else
		seq_printf(m, "tracking unavailable: %s\n", pr_hook_status());
}

static void pr_stats_netns(struct seq_file *m, struct pr_netns *ns)
{
	struct pr_ring *ring = &ns->ring;

	pr_stats_tracking(m);
	seq_printf(m, "binds_seen %llu\n", pr_netns_stat(ns, PR_NS_EVENTS));
	seq_printf(m, "binds_failed %llu\n", pr_netns_stat(ns, PR_NS_FAILED));
	seq_printf(m, "conflicts %llu\n", pr_netns_stat(ns, PR_NS_CONFLICTS));
	seq_printf(m, "conflicts_named %llu\n",
		   pr_netns_stat(ns, PR_NS_CONFLICTS_NAMED));
	seq_printf(m, "eacces %llu\n", pr_netns_stat(ns, PR_NS_EACCES));
	seq_printf(m, "binds_unfollowed %llu\n",
		   pr_netns_stat(ns, PR_NS_UNFOLLOWED));
	seq_printf(m, "autobind_failures %llu\n",
		   pr_netns_stat(ns, PR_NS_AUTOBIND_FAILED));
	seq_printf(m, "ring_size %u\n", ring->size);
	seq_printf(m, "ring_head %llu\n", pr_ring_head(ring));
	seq_printf(m, "ring_drops %llu\n", pr_ring_drops(ring));
	seq_printf(m, "ring_bytes %zu\n", pr_ring_bytes(ring));
}

static void pr_stats_host(struct seq_file *m, struct pr_tracker *t)
{
	struct pr_netns_set *set = &t->netns;
	u64 drops = 0, bytes = 0;
	struct pr_netns **all;
	int n, i;

	n = pr_netns_get_all(set, &all);
	for (i = 0; i < n; i++) {
		drops += pr_ring_drops(&all[i]->ring);
		bytes += pr_ring_bytes(&all[i]->ring);
		pr_netns_put(all[i]);
	}
	if (n >= 0)
		kvfree(all);

	pr_stats_tracking(m);
	if (pr_hook_active())
		pr_selfcheck_show(m);
	seq_printf(m, "binds_seen %llu\n",
		   pr_tracker_stat(t, PR_STAT_EVENTS));
	seq_printf(m, "binds_failed %llu\n",
		   pr_tracker_stat(t, PR_STAT_FAILED));
	seq_printf(m, "conflicts %llu\n",
		   pr_tracker_stat(t, PR_STAT_CONFLICTS));
	seq_printf(m, "conflicts_named %llu\n",
		   pr_tracker_stat(t, PR_STAT_CONFLICTS_NAMED));
	seq_printf(m, "eacces %llu\n", pr_tracker_stat(t, PR_STAT_EACCES));
	seq_printf(m, "binds_unfollowed %llu\n",
		   pr_tracker_stat(t, PR_STAT_UNFOLLOWED));
	seq_printf(m, "autobind_failures %llu\n",
		   pr_tracker_stat(t, PR_STAT_AUTOBIND_FAILED));
	seq_printf(m, "unexpected_claims %llu\n",
		   pr_tracker_stat(t, PR_STAT_UNEXPECTED));
	seq_printf(m, "ring_size %u\n", set->init->ring.size);
	seq_printf(m, "ring_head %llu\n",
		   (u64)atomic64_read(&set->numbering));
	seq_printf(m, "ring_drops %llu\n", drops);
	seq_printf(m, "ring_refused %llu\n", pr_ring_refused(&set->init->ring));
	seq_printf(m, "ring_bytes %llu\n", bytes);
	seq_printf(m, "netns_logs %d\n", max(n, 0));
	seq_printf(m, "netns_ring_size %u\n", set->ring_size);
	seq_printf(m, "netns_unlogged %lld\n", atomic64_read(&set->unlogged));
	seq_printf(m, "records %u\n", pr_records_count(&t->records));
	seq_printf(m, "records_max %u\n", t->records.max);
	seq_printf(m, "records_share %u\n", t->records.share);
	seq_printf(m, "records_full %lld\n", atomic64_read(&t->records.full));
	seq_printf(m, "records_quota %lld\n", atomic64_read(&t->records.quota));
	seq_printf(m, "records_chain %lld\n", atomic64_read(&t->records.chain));
	seq_printf(m, "records_released %llu\n",
		   pr_tracker_stat(t, PR_STAT_RELEASES));
	seq_printf(m, "records_swept %llu\n", pr_tracker_stat(t, PR_STAT_SWEPT));
	seq_printf(m, "records_bytes %zu\n", pr_records_bytes(&t->records));
	seq_printf(m, "preload %u\n", t->preload.n);
	seq_printf(m, "lost %llu\n", pr_tracker_stat(t, PR_STAT_LOST));
	pr_hook_show_probes(m);
}

static int pr_stats_show(struct seq_file *m, void *v)
{
	struct pr_stats_file *sf = m->private;
	struct pr_netns *ns;

	if (sf->host) {
		pr_stats_host(m, sf->tracker);
		return 0;
	}
	ns = pr_netns_get(&sf->tracker->netns, sf->netns_cookie);
	if (ns) {
		pr_stats_netns(m, ns);
		pr_netns_put(ns);
	} else {
		pr_stats_tracking(m);
	}
	return 0;
}

static int pr_stats_open(struct inode *inode, struct file *file)
{
	struct net *net = current->nsproxy->net_ns;
	struct pr_stats_file *sf;
	int err;

	sf = kzalloc_obj(*sf, GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->tracker = pde_data(inode);
	sf->netns_cookie = net->net_cookie;
	sf->host = net_eq(net, &init_net);
	err = single_open(file, pr_stats_show, sf);
	if (err)
		kfree(sf);
	return err;
}

static int pr_stats_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static const struct proc_ops pr_stats_proc_ops = {
	.proc_open = pr_stats_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = pr_stats_release,
};

enum { PR_PDE_BINDS, PR_PDE_FOLLOW, PR_PDE_CLAIMS, PR_PDE_STATS,
	PR_PDE_OWNERS, PR_PDE_COUNT };

static struct proc_dir_entry *pr_track_pdes[PR_PDE_COUNT];

int pr_proc_track_init(struct proc_dir_entry *dir, struct pr_tracker *t)
{
	struct proc_dir_entry **pde = pr_track_pdes;
	unsigned int i;

	pde[PR_PDE_BINDS] = proc_create_data("binds", 0444, dir,
					     &pr_binds_proc_ops, t);
	pde[PR_PDE_FOLLOW] = proc_create_data("binds_follow", 0444, dir,
					      &pr_follow_proc_ops, t);
	pde[PR_PDE_CLAIMS] = pr_proc_claims_create(dir, t);
	pde[PR_PDE_STATS] = proc_create_data("stats", 0444, dir,
					     &pr_stats_proc_ops, t);
	pde[PR_PDE_OWNERS] = pr_proc_owners_create(dir, &t->owners);
	for (i = 0; i < PR_PDE_COUNT; i++) {
		if (!pde[i]) {
			pr_proc_track_exit(t);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Followers are told to leave first: remove_proc_entry() waits for every
 * read() in progress, and a follower's read() could otherwise wait forever.
 */
void pr_proc_track_exit(struct pr_tracker *t)
{
	unsigned int i = PR_PDE_COUNT;

	pr_netns_close_all(&t->netns);
	while (i--) {
		proc_remove(pr_track_pdes[i]);
		pr_track_pdes[i] = NULL;
	}
}
