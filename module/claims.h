/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_CLAIMS_H
#define PORTREG_CLAIMS_H

#include <linux/atomic.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "event.h"

struct pr_claim;

/*
 * Who holds each local port now: one entry per socket that took a port
 * while portreg watched, found by socket and by (netns, proto, port).
 *
 * Entries come from a pool allocated at load time, because the probes that
 * add and remove them must not allocate, and a released entry is reused at
 * once, so churn never empties the pool.  @lock serialises writers, and
 * every change happens inside a write section of @seq.  Readers never take
 * the lock: they walk a chain and copy what they need inside a read
 * section, and start again if a writer ran meanwhile.  A walk that an
 * entry's reuse led into another chain still only touches pool memory,
 * ends, and is then retried; the pool is freed only after every reader and
 * writer has stopped.
 *
 * The socket's address is used as its identity and is never dereferenced
 * or shown: a claim goes away when its socket releases the port or is
 * destroyed, before that address can belong to another socket.
 */
struct pr_claims {
	raw_spinlock_t lock;
	seqcount_raw_spinlock_t seq;	/* every change to the table */
	struct pr_claim *pool;
	struct pr_claim *free;		/* the unused entries, under @lock */
	struct hlist_head *by_sock;
	struct hlist_head *by_port;
	unsigned int bits;
	unsigned int max;
	unsigned int count;		/* in the table, under @lock */
	atomic64_t full;		/* claims lost to an empty pool */
};

#define PR_CLAIMS_MAX	SZ_1M

/* A place in a walk of the table for /proc: see pr_claims_iter_seek(). */
struct pr_claims_iter {
	struct pr_claims *table;
	unsigned int bucket;
	unsigned int offset;		/* entries before it in @bucket */
	loff_t pos;
	struct pr_claim_info info;	/* the entry at the place */
};

int pr_claims_init(struct pr_claims *table, unsigned int max);
void pr_claims_destroy(struct pr_claims *table);
int pr_claims_add(struct pr_claims *table, const void *sock_id,
		  const struct pr_claim_info *info);
bool pr_claims_release(struct pr_claims *table, const void *sock_id);
bool pr_claims_holder(struct pr_claims *table, u64 netns_cookie, u8 ipproto,
		      u16 port, u8 family, const struct pr_addr *addr,
		      const void *except, struct pr_task_id *holder);
unsigned int pr_claims_count(struct pr_claims *table);
u64 pr_claims_full(struct pr_claims *table);
size_t pr_claims_bytes(struct pr_claims *table);
bool pr_claims_iter_seek(struct pr_claims_iter *it, loff_t pos);
bool pr_claims_iter_next(struct pr_claims_iter *it);

#endif
