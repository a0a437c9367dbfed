// SPDX-License-Identifier: GPL-2.0
/*
 * Records go when their socket gives its port back, through a release
 * probe.  A probe can miss (a softirq's release while another probe
 * handler runs on that CPU), and then a record outlives its socket.  It is
 * never shown, because claims come from the kernel's tables, but it holds
 * a slot: the sweep walks the tables, marks the cookie of every socket
 * they hold, and reclaims the rest.
 */
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "ktables.h"
#include "sweep.h"
#include "track.h"

static const struct pr_sweep_counters *pr_sweep_counters;

unsigned int pr_sweep_records(struct pr_tracker *t)
{
	struct pr_kt_iter it;
	unsigned int i, swept;
	u8 ipproto;

	if (pr_kt_iter_init(&it, 0, true))
		return 0;
	pr_records_sweep_begin(&t->records);
	/*
	 * A TIME_WAIT socket carries the cookie of the socket it replaced,
	 * but its line never shows a claimer: a record the release probe
	 * missed is not kept alive by it.
	 */
	while (pr_kt_iter_next_chain(&it, &ipproto)) {
		for (i = 0; i < it.nchain; i++) {
			struct sock *sk = it.chain[i];

			if (READ_ONCE(sk->sk_state) != TCP_TIME_WAIT)
				pr_records_mark(&t->records,
						atomic64_read(&sk->sk_cookie));
		}
	}
	pr_kt_iter_exit(&it);
	swept = pr_records_sweep_end(&t->records);
	this_cpu_add(t->stats->count[PR_STAT_SWEPT], swept);
	return swept;
}
EXPORT_SYMBOL_IF_KUNIT(pr_sweep_records);

static void pr_sweep_work(struct work_struct *work)
{
	struct pr_tracker *t = container_of(to_delayed_work(work),
					    struct pr_tracker, sweep);

	const struct pr_sweep_counters *c = pr_sweep_counters;
	u64 release_missed = c ? c->release_missed() : 0;

	if (c)
		pr_track_lost(t, c->missed());
	pr_ring_flush_refused(&t->netns.init->ring);
	t->since_sweep++;
	if (t->since_sweep >= PR_SWEEP_EVERY ||
	    (release_missed != t->release_missed_swept &&
	     t->since_sweep >= PR_SWEEP_SOON)) {
		t->release_missed_swept = release_missed;
		t->since_sweep = 0;
		pr_sweep_records(t);
	}
	schedule_delayed_work(&t->sweep, HZ);
}

void pr_sweep_start(struct pr_tracker *t,
		    const struct pr_sweep_counters *counters)
{
	pr_sweep_counters = counters;
	INIT_DELAYED_WORK(&t->sweep, pr_sweep_work);
	schedule_delayed_work(&t->sweep, HZ);
}

void pr_sweep_stop(struct pr_tracker *t)
{
	cancel_delayed_work_sync(&t->sweep);
}
