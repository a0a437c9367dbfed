/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_ORIGIN_H
#define PORTREG_ORIGIN_H

#include <linux/types.h>

#include "event.h"
#include "records.h"
#include "sockinfo.h"

/*
 * The sockets that held a port when portreg loaded, by cookie: those are
 * the claims it cannot have seen being made.  Taken once, at load, after
 * the probes are in, so that any socket not in it was made while portreg
 * watched.  Sorted, for a binary search; a socket's cookie is never
 * reused, so one that goes leaves a harmless stale entry behind.  Until
 * it is taken, n is 0 and no socket counts as preloaded.  It starts
 * zeroed; taking it again needs a free first.
 */
struct pr_preload {
	u64 *cookies;
	unsigned int n;
};

int pr_preload_take(struct pr_preload *p);
void pr_preload_free(struct pr_preload *p);
bool pr_preload_has(const struct pr_preload *p, u64 cookie);

/*
 * How the socket @si came to hold its port (enum pr_origin), from what
 * portreg recorded of it (@rec, or NULL), whether it was there before
 * load, and, for a TCP connection of no record, whether it was accepted
 * (a listener holds its port, or bind(2) made the port's bucket) rather
 * than given its port by connect(2).
 */
u8 pr_origin_of(const struct pr_sockinfo *si, const struct pr_record *rec,
		bool preloaded, bool accepted);

#endif
