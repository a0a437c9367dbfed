/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_TRACK_H
#define PORTREG_TRACK_H

#include <linux/percpu.h>
#include <linux/types.h>

#include "claims.h"
#include "event.h"
#include "ring.h"

struct sock;
struct sockaddr;

enum pr_stat {
	PR_STAT_EVENTS,		/* events recorded */
	PR_STAT_FAILED,		/* of which failed */
	PR_STAT_CONFLICTS,	/* failed with EADDRINUSE */
	PR_STAT_CONFLICTS_NAMED,	/* ... and portreg knew the holder */
	PR_STAT_EACCES,		/* failed with EACCES */
	PR_STAT_RELEASES,	/* claims ended by their socket */
	PR_STAT_COUNT
};

struct pr_stats_cpu {
	u64 count[PR_STAT_COUNT];
};

/*
 * The event core: what the probes feed, and what the bind log, the claims
 * table and the counters are made of.  A tracker is self-contained, so the
 * KUnit suites build their own and drive it with real kernel sockets
 * through the same calls the probes make.
 */
struct pr_tracker {
	struct pr_ring ring;
	struct pr_claims claims;
	struct pr_stats_cpu __percpu *stats;
};

/*
 * What an entry probe saves for its return probe: a kretprobe instance
 * holds one.  @sk is only valid until the probed call returns.
 */
struct pr_bind_ctx {
	struct sock *sk;
	struct pr_addr addr;
	u16 requested_port;
	u8 kind;
	u8 opts;
};

struct pr_tracker *pr_tracker_create(unsigned int ring_size,
				     unsigned int max_claims);
void pr_tracker_destroy(struct pr_tracker *t);
u64 pr_tracker_stat(struct pr_tracker *t, enum pr_stat stat);

bool pr_track_bind_begin(struct pr_bind_ctx *ctx, struct sock *sk,
			 const struct sockaddr *uaddr, int addr_len);
bool pr_track_listen_begin(struct pr_bind_ctx *ctx, struct sock *sk);
bool pr_track_autobind_begin(struct pr_bind_ctx *ctx, struct sock *sk);
void pr_track_end(struct pr_tracker *t, const struct pr_bind_ctx *ctx,
		  int result);
void pr_track_release(struct pr_tracker *t, const struct sock *sk);

#endif
