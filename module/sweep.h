/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_SWEEP_H
#define PORTREG_SWEEP_H

#include <linux/types.h>

struct pr_tracker;

/*
 * The tracker's housekeeping, in process context, once a second: a marker
 * in the bind log for probe hits the kernel could not deliver (the probes'
 * nmissed, through @missed), and, every PR_SWEEP_EVERY seconds, the
 * reclaiming of records whose socket's release went unseen.
 */
#define PR_SWEEP_EVERY	60

void pr_sweep_start(struct pr_tracker *t, u64 (*missed)(void));
void pr_sweep_stop(struct pr_tracker *t);
/* One sweep now; returns the records it reclaimed. */
unsigned int pr_sweep_records(struct pr_tracker *t);

#endif
