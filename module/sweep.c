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
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "ktables.h"
#include "sweep.h"
#include "track.h"

static u64 (*pr_sweep_missed)(void);

unsigned int pr_sweep_records(struct pr_tracker *t)
{
	u64 began = ktime_get_real_ns();
	struct pr_kt_iter it;
	unsigned int i, swept;
	u8 ipproto;

	if (pr_kt_iter_init(&it, 0, true))
		return 0;
	pr_records_sweep_begin(&t->records);
	while (pr_kt_iter_next_chain(&it, &ipproto))
		for (i = 0; i < it.nchain; i++)
			pr_records_mark(&t->records,
					atomic64_read(&it.chain[i]->sk_cookie));
	pr_kt_iter_exit(&it);
	swept = pr_records_sweep_end(&t->records, began);
	this_cpu_add(t->stats->count[PR_STAT_SWEPT], swept);
	return swept;
}
EXPORT_SYMBOL_IF_KUNIT(pr_sweep_records);

static void pr_sweep_work(struct work_struct *work)
{
	struct pr_tracker *t = container_of(to_delayed_work(work),
					    struct pr_tracker, sweep);

	if (pr_sweep_missed)
		pr_track_lost(t, pr_sweep_missed());
	if (++t->sweeps % PR_SWEEP_EVERY == 0)
		pr_sweep_records(t);
	schedule_delayed_work(&t->sweep, HZ);
}

void pr_sweep_start(struct pr_tracker *t, u64 (*missed)(void))
{
	pr_sweep_missed = missed;
	INIT_DELAYED_WORK(&t->sweep, pr_sweep_work);
	schedule_delayed_work(&t->sweep, HZ);
}

void pr_sweep_stop(struct pr_tracker *t)
{
	cancel_delayed_work_sync(&t->sweep);
}
