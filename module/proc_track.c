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
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "access.h"
#include "bindfmt.h"
#include "hook.h"
#include "proc_claims.h"
#include "selfcheck.h"
#include "proc_track.h"
#include "track.h"
#include "version.h"

#define PR_VERSION_LINE	"version " PORTREG_VERSION "\n"

static void pr_track_unavailable_line(char *buf, size_t size)
{
	snprintf(buf, size, "# tracking unavailable: %s\n", pr_hook_status());
}

/* binds: a snapshot of the ring. */

struct pr_binds_iter {
	struct pr_tracker *tracker;
	struct pr_view view;
	u64 end;		/* head when opened */
	u64 seq;		/* the event in @ev */
	u64 shown_below;
	struct pr_bind_event ev;
	char line[PR_RECORD_LINE_MAX];
};

/* Finds the first event at or after @seq this reader may see. */
static bool pr_binds_find(struct pr_binds_iter *it, u64 seq, loff_t *pos)
{
	struct pr_ring *ring = &it->tracker->ring;

	for (seq = max(seq, pr_ring_oldest(ring)); seq < it->end; seq++) {
		/* A reader of one namespace may skip a whole ring of others. */
		if (!(seq & 1023))
			cond_resched();
		if (!pr_ring_read(ring, seq, &it->ev))
			continue;
		if (!pr_view_shows(&it->view, it->ev.netns_cookie))
			continue;
		it->seq = seq;
		*pos = seq + 1;
		return true;
	}
	*pos = it->end + 1;
	return false;
}

static void *pr_binds_start(struct seq_file *m, loff_t *pos)
{
	struct pr_binds_iter *it = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	return pr_binds_find(it, *pos - 1, pos) ? it : NULL;
}

static void *pr_binds_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pr_binds_iter *it = m->private;
	u64 from = v == SEQ_START_TOKEN ? 0 : it->seq + 1;

	return pr_binds_find(it, from, pos) ? it : NULL;
}

static void pr_binds_stop(struct seq_file *m, void *v)
{
	struct pr_binds_iter *it = m->private;

	if (it->view.all_netns && it->shown_below)
		pr_ring_mark_read(&it->tracker->ring, it->shown_below);
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
	len = pr_format_event(it->line, sizeof(it->line), it->seq, &it->ev,
			      &it->view);
	seq_write(m, it->line, len);
	it->shown_below = it->seq + 1;
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
	struct pr_binds_iter *it;
	struct pr_view view;
	int err;

	err = pr_access_open(file, &view);
	if (err)
		return err;
	it = __seq_open_private(file, &pr_binds_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->tracker = pde_data(inode);
	it->view = view;
	it->end = pr_ring_head(&it->tracker->ring);
	return 0;
}

static const struct proc_ops pr_binds_proc_ops = {
	.proc_open = pr_binds_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release_private,
};

/* binds_follow: the ring, then every new event as it comes. */

struct pr_follow {
	struct mutex lock;	/* one read() at a time */
	struct pr_tracker *tracker;
	struct pr_view view;
	u64 next;		/* the next event to look at */
	u64 filled_below;	/* events in @buf end before this one */
	bool started;		/* the header is out */
	size_t len;		/* bytes in @buf */
	size_t off;		/* of which already read */
	struct pr_bind_event ev;
	char *buf;		/* PR_FOLLOW_BUF bytes */
};

#define PR_FOLLOW_BUF	PAGE_SIZE

/* Formats what is there into @f->buf; returns false if nothing was. */
static bool pr_follow_fill(struct pr_follow *f)
{
	struct pr_ring *ring = &f->tracker->ring;
	u64 head = pr_ring_head(ring);

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
	f->next = max(f->next, pr_ring_oldest(ring));
	while (f->next < head &&
	       f->len + PR_RECORD_LINE_MAX <= PR_FOLLOW_BUF) {
		u64 seq = f->next++;

		if (!(seq & 1023))
			cond_resched();
		if (!pr_ring_read(ring, seq, &f->ev) ||
		    !pr_view_shows(&f->view, f->ev.netns_cookie))
			continue;
		f->len += pr_format_event(f->buf + f->len,
					  PR_FOLLOW_BUF - f->len, seq, &f->ev,
					  &f->view);
	}
	f->filled_below = f->next;
	return f->len;
}

static bool pr_follow_ready(struct pr_follow *f)
{
	struct pr_ring *ring = &f->tracker->ring;

	return pr_ring_head(ring) > f->next || pr_ring_closed(ring);
}

static ssize_t pr_follow_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct pr_follow *f = file->private_data;
	struct pr_ring *ring = &f->tracker->ring;
	ssize_t ret;
	size_t n;

	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	while (f->off == f->len && !pr_follow_fill(f)) {
		/* Without probes nothing will ever come: end the file. */
		if (!pr_hook_active() || pr_ring_closed(ring)) {
			ret = 0;
			goto out;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		if (wait_event_interruptible(ring->wait, pr_follow_ready(f))) {
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
	if (f->off == f->len && f->view.all_netns)
		pr_ring_mark_read(ring, f->filled_below);
out:
	mutex_unlock(&f->lock);
	return ret;
}

static int pr_follow_open(struct inode *inode, struct file *file)
{
	struct pr_follow *f;
	struct pr_view view;
	int err;

	err = pr_access_open(file, &view);
	if (err)
		return err;
	f = kzalloc_obj(*f, GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->buf = kmalloc(PR_FOLLOW_BUF, GFP_KERNEL);
	if (!f->buf) {
		kfree(f);
		return -ENOMEM;
	}
	mutex_init(&f->lock);
	f->tracker = pde_data(inode);
	f->view = view;
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int pr_follow_release(struct inode *inode, struct file *file)
{
	struct pr_follow *f = file->private_data;

	kfree(f->buf);
	kfree(f);
	return 0;
}

static const struct proc_ops pr_follow_proc_ops = {
	.proc_open = pr_follow_open,
	.proc_read = pr_follow_read,
	.proc_release = pr_follow_release,
};

/* stats: one "name value" per line; counters only, readable by anyone. */

static int pr_stats_show(struct seq_file *m, void *v)
{
	struct pr_tracker *t = m->private;

	seq_puts(m, PR_VERSION_LINE);
	if (pr_hook_active())
		seq_puts(m, "tracking active\n");
	else
		seq_printf(m, "tracking unavailable: %s\n", pr_hook_status());
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
	seq_printf(m, "ring_size %u\n", t->ring.size);
	seq_printf(m, "ring_head %llu\n", pr_ring_head(&t->ring));
	seq_printf(m, "ring_drops %llu\n", pr_ring_drops(&t->ring));
	seq_printf(m, "ring_bytes %zu\n", pr_ring_bytes(&t->ring));
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
	return 0;
}

enum { PR_PDE_BINDS, PR_PDE_FOLLOW, PR_PDE_CLAIMS, PR_PDE_STATS, PR_PDE_COUNT };

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
	pde[PR_PDE_STATS] = proc_create_single_data("stats", 0444, dir,
						    pr_stats_show, t);
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

	pr_ring_close(&t->ring);
	while (i--) {
		proc_remove(pr_track_pdes[i]);
		pr_track_pdes[i] = NULL;
	}
}
