/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_SWEEP_H
#define PORTREG_SWEEP_H

#include <linux/types.h>

struct pr_tracker;

/*
 * The tracker's housekeeping, in process context, once a second: markers
 * in the bind log for probe hits the kernel could not deliver (the probes'
 * nmissed, through @missed) and for events refused to users at their share
 * of the initial namespace's log, and the reclaiming of records whose socket's
 * release went unseen: PR_SWEEP_SOON seconds after the release probes
 * last missed (@release_missed grew), else every PR_SWEEP_EVERY seconds,
 * for the releases no probe sees (SCTP's).  A sweep walks every table, so
 * it runs at most once in PR_SWEEP_SOON seconds however often probes miss.
 */
#define PR_SWEEP_SOON	5
#define PR_SWEEP_EVERY	60

struct pr_sweep_counters {
	u64 (*missed)(void);		/* every probe's missed hits */
	u64 (*release_missed)(void);	/* the release probes' */
};

void pr_sweep_start(struct pr_tracker *t,
		    const struct pr_sweep_counters *counters);
void pr_sweep_stop(struct pr_tracker *t);
/* One sweep now; returns the records it reclaimed. */
unsigned int pr_sweep_records(struct pr_tracker *t);

#endif
