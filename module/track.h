/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_TRACK_H
#define PORTREG_TRACK_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "event.h"
#include "netns.h"
#include "origin.h"
#include "owners.h"
#include "records.h"
#include "ring.h"

struct sock;
struct sockaddr;

enum pr_stat {
	PR_STAT_EVENTS,		/* events recorded */
	PR_STAT_FAILED,		/* of which failed */
	PR_STAT_CONFLICTS,	/* failed with EADDRINUSE */
	PR_STAT_CONFLICTS_NAMED,	/* ... and the holder was found */
	PR_STAT_EACCES,		/* failed with EACCES */
	PR_STAT_RELEASES,	/* records ended by their socket's release */
	PR_STAT_LOST,		/* probe hits the kernel could not deliver */
	PR_STAT_SWEPT,		/* records whose release went unseen */
	PR_STAT_UNFOLLOWED,	/* binds on a socket another task held locked */
	PR_STAT_UNEXPECTED,	/* claims of a port owners expects others on */
	PR_STAT_AUTOBIND_FAILED,	/* no port for the kernel to choose */
	PR_STAT_COUNT
};

struct pr_stats_cpu {
	u64 count[PR_STAT_COUNT];
};

/*
 * The event core: what the probes feed, and what the bind log, the
 * per-socket records and the counters are made of.  A tracker is
 * self-contained, so the KUnit suites build their own and drive it with
 * real kernel sockets through the same calls the probes make.
 */
struct pr_tracker {
	struct pr_netns_set netns;	/* each namespace's log */
	struct pr_records records;
	struct pr_owners owners;
	struct pr_preload preload;
	struct pr_stats_cpu __percpu *stats;
	atomic64_t lost_marked;		/* missed hits a marker was made for */
	struct delayed_work sweep;	/* sweep.c */
	unsigned int since_sweep;	/* seconds */
	u64 release_missed_swept;	/* release probes' misses at the last sweep */
};

/*
 * What an entry probe saves for its return probe: a kretprobe instance
 * holds one.  @sk is only valid until the probed call returns.
 */
struct pr_bind_ctx {
	struct sock *sk;
	struct pr_addr addr;
	struct pr_addr peer;		/* connect only: where to */
	u16 peer_port;
	u16 requested_port;
	u8 kind;
	u8 opts;
};

/*
 * @ring_size: the initial network namespace's log; @netns_ring_size:
 * every other one's; @share_pct: how much of the records, and of the
 * initial namespace's log, one tenant may hold.
 */
struct pr_tracker *pr_tracker_create(unsigned int ring_size,
				     unsigned int netns_ring_size,
				     unsigned int max_records,
				     unsigned int share_pct);
void pr_tracker_destroy(struct pr_tracker *t);
u64 pr_tracker_stat(struct pr_tracker *t, enum pr_stat stat);

bool pr_track_bind_begin(struct pr_bind_ctx *ctx, struct sock *sk,
			 const struct sockaddr *uaddr, int addr_len);
bool pr_track_listen_begin(struct pr_bind_ctx *ctx, struct sock *sk);
bool pr_track_autobind_begin(struct pr_bind_ctx *ctx, struct sock *sk);
bool pr_track_connect_begin(struct pr_bind_ctx *ctx, struct sock *sk);
void pr_track_end(struct pr_tracker *t, const struct pr_bind_ctx *ctx,
		  int result);
void pr_track_release(struct pr_tracker *t, struct sock *sk);
/*
 * A bind on @sk that portreg will not follow to its end: another task
 * holds the socket's lock, and the bind would hold one of the return
 * probe's few instances while it waits (hook.c).  Counted, and marked in
 * the log.
 */
void pr_track_unfollowed(struct pr_tracker *t, struct sock *sk);
/*
 * The probes' total of missed hits is @missed: a marker event goes into
 * the log for those not marked yet.  Any context.
 */
void pr_track_lost(struct pr_tracker *t, u64 missed);

/*
 * The claims line of socket @si, found in a walk of the kernel's tables
 * (proc_claims.c): @listener_cookie, the listener on its port it may have
 * been accepted from; @by_connect, whether connect(2) made its port's
 * bucket.
 */
void pr_track_claim(struct pr_tracker *t, const struct pr_sockinfo *si,
		    u64 listener_cookie, bool by_connect,
		    struct pr_claim_info *ci);

#endif
