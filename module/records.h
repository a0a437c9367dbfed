/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_RECORDS_H
#define PORTREG_RECORDS_H

#include <linux/atomic.h>
#include <linux/siphash.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "event.h"
#include "tenant.h"

/*
 * What portreg knows of a socket that the kernel does not: who made it
 * take its port, when, and how.  One record per socket, found by the
 * socket's cookie, which the kernel never reuses.  The kernel's tables say
 * which sockets hold ports (ktables.c); a record only adds to a socket
 * they list, so a record whose socket is gone, because its release went
 * unseen, is never shown, and is reclaimed by pr_records_sweep().
 */
struct pr_record {
	u64 cookie;
	u64 since_ns;		/* CLOCK_REALTIME of the claim */
	u64 netns_cookie;
	struct pr_task_id task;	/* who claimed it, with its cgroup's reference */
	u32 tenant;		/* whose quota it counts against */
	u16 port;
	u8 kind;		/* enum pr_bind_kind */
	u8 ipproto;
};

struct pr_record_slot;

/*
 * A fixed pool, allocated at load, because the probes that add and drop
 * records must not allocate; buckets keyed with hsiphash under a key drawn
 * at load, so no one can aim at a chain; chains no longer than
 * PR_RECORDS_CHAIN_MAX, so that every lookup is bounded; a lock per group
 * of buckets.  No tenant (a network namespace, or a user in the initial
 * one) may hold more than @share_pct percent of the pool.
 */
struct pr_records {
	struct pr_record_slot *pool;
	u32 *heads;			/* first slot of each chain, or NIL */
	raw_spinlock_t *locks;		/* PR_RECORDS_LOCKS of them */
	atomic64_t free_top;		/* a tag, and the first free slot or NIL */
	hsiphash_key_t key;
	unsigned int bits;
	unsigned int max;
	unsigned int share;		/* records one tenant may hold */
	atomic_t count;
	atomic_t *tenant_count;		/* PR_RECORDS_TENANTS + 1 of them */
	atomic64_t full;		/* records not kept: pool empty */
	atomic64_t quota;		/* ... the tenant at its share */
	atomic64_t chain;		/* ... the chain at its length */
	u32 generation;			/* of the sweeps */
};

#define PR_RECORDS_MAX		SZ_1M
#define PR_RECORDS_CHAIN_MAX	8
#define PR_RECORDS_LOCKS	256
#define PR_RECORDS_TENANTS	1024
#define PR_RECORDS_HOST		PR_RECORDS_TENANTS	/* no share: see track.c */

int pr_records_init(struct pr_records *r, unsigned int max,
		    unsigned int share_pct);
void pr_records_destroy(struct pr_records *r);
/*
 * Records @rec, replacing any record of the same cookie.  Returns 0,
 * -ENOSPC (pool empty), -EDQUOT (tenant at its share) or -EBUSY (chain
 * full), each also counted.  @rec's cgroup reference is the table's
 * whatever it returns.  Probe context: never sleeps.
 */
int pr_records_add(struct pr_records *r, const struct pr_record *rec);
/*
 * Copies the record of @cookie into @rec, with a cgroup reference of its
 * own (pr_task_id_put()); false if there is none.
 */
bool pr_records_find(struct pr_records *r, u64 cookie, struct pr_record *rec);
/*
 * Drops the record of @cookie, if any, moving it and its reference into
 * @rec unless @rec is NULL; returns whether there was one.
 */
bool pr_records_drop(struct pr_records *r, u64 cookie, struct pr_record *rec);
unsigned int pr_records_count(struct pr_records *r);
size_t pr_records_bytes(struct pr_records *r);
/* The slot of the share @tenant's records count against. */
u32 pr_records_tenant(struct pr_records *r, const struct pr_tenant *tenant);

/*
 * Reclaiming records whose socket went unseen: pr_records_sweep_begin()
 * starts a generation, the caller marks every cookie the kernel's tables
 * hold with pr_records_mark(), and pr_records_sweep_end() drops every
 * record made before the sweep began that was not marked.  Process
 * context.
 */
void pr_records_sweep_begin(struct pr_records *r);
void pr_records_mark(struct pr_records *r, u64 cookie);
unsigned int pr_records_sweep_end(struct pr_records *r);

#if IS_ENABLED(CONFIG_KUNIT)
/* The chain @cookie's record goes into. */
u32 pr_records_bucket(const struct pr_records *r, u64 cookie);
#endif

#endif
