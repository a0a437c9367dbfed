// SPDX-License-Identifier: GPL-2.0
/*
 * The live claims table.  pr_claims_add(), pr_claims_release() and
 * pr_claims_holder() run in probe context, some of it softirq: they take
 * only the raw spinlock with interrupts off, allocate nothing and never
 * sleep.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/hash.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/socket.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <kunit/visibility.h>

#include "claims.h"

/*
 * The free list has a link of its own: a reader may still stand on an
 * entry that was just freed, and must find its chain links as they were.
 */
struct pr_claim {
	struct hlist_node by_sock;
	struct hlist_node by_port;
	struct pr_claim *next_free;
	const void *sock_id;
	struct pr_claim_info info;
};

/*
 * Chains are changed with the _rcu list primitives because they never
 * poison a removed entry's forward pointer, and the free list does not
 * use the chain links: a reader standing on an entry that moved walks on
 * to the end of some chain and retries, rather than fault.  A walk longer
 * than the pool has entries can only come of such moves, so the walkers
 * stop there and the read section's retry starts them again.
 */
static const struct pr_claim *pr_port_entry(const struct hlist_node *node)
{
	return hlist_entry_safe(node, struct pr_claim, by_port);
}

static const struct pr_claim *pr_sock_entry(const struct hlist_node *node)
{
	return hlist_entry_safe(node, struct pr_claim, by_sock);
}

static u32 pr_claims_port_hash(const struct pr_claims *table,
			       u64 netns_cookie, u8 ipproto, u16 port)
{
	return jhash_3words((u32)netns_cookie, port << 8 | ipproto,
			    (u32)(netns_cookie >> 32), 0) >> (32 - table->bits);
}

static struct hlist_head *pr_claims_sock_bucket(const struct pr_claims *table,
						const void *sock_id)
{
	return &table->by_sock[hash_ptr(sock_id, table->bits)];
}

int pr_claims_init(struct pr_claims *table, unsigned int max)
{
	unsigned int buckets, i;

	if (!max || max > PR_CLAIMS_MAX)
		return -EINVAL;
	buckets = max(roundup_pow_of_two(max), 16UL);
	table->bits = ilog2(buckets);
	table->pool = kvcalloc(max, sizeof(*table->pool), GFP_KERNEL);
	table->by_sock = kvcalloc(buckets, sizeof(*table->by_sock), GFP_KERNEL);
	table->by_port = kvcalloc(buckets, sizeof(*table->by_port), GFP_KERNEL);
	if (!table->pool || !table->by_sock || !table->by_port) {
		kvfree(table->pool);
		kvfree(table->by_sock);
		kvfree(table->by_port);
		return -ENOMEM;
	}
	raw_spin_lock_init(&table->lock);
	seqcount_raw_spinlock_init(&table->seq, &table->lock);
	table->free = NULL;
	for (i = 0; i < max; i++) {
		table->pool[i].next_free = table->free;
		table->free = &table->pool[i];
	}
	table->max = max;
	table->count = 0;
	atomic64_set(&table->full, 0);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_init);

/* The caller has stopped every writer and reader. */
void pr_claims_destroy(struct pr_claims *table)
{
	kvfree(table->pool);
	kvfree(table->by_sock);
	kvfree(table->by_port);
	table->pool = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_destroy);

/* Under @table->lock. */
static struct pr_claim *pr_claims_find_locked(struct pr_claims *table,
					      const void *sock_id)
{
	struct pr_claim *claim;

	lockdep_assert_held(&table->lock);
	hlist_for_each_entry(claim, pr_claims_sock_bucket(table, sock_id),
			     by_sock)
		if (claim->sock_id == sock_id)
			return claim;
	return NULL;
}

static void pr_claims_unlink(struct pr_claims *table, struct pr_claim *claim)
{
	hlist_del_rcu(&claim->by_sock);
	hlist_del_rcu(&claim->by_port);
	claim->next_free = table->free;
	table->free = claim;
	table->count--;
}

/*
 * Records that the socket @sock_id holds @info->port.  A claim the socket
 * still had is replaced: it can only be left over from a release portreg
 * missed.  Returns -ENOSPC, and counts it, when the pool is empty.
 */
int pr_claims_add(struct pr_claims *table, const void *sock_id,
		  const struct pr_claim_info *info)
{
	struct pr_claim *claim, *old;
	unsigned long flags;
	u32 hash;
	int err = 0;

	raw_spin_lock_irqsave(&table->lock, flags);
	write_seqcount_begin(&table->seq);
	old = pr_claims_find_locked(table, sock_id);
	if (old)
		pr_claims_unlink(table, old);
	claim = table->free;
	if (!claim) {
		err = -ENOSPC;
		goto out;
	}
	table->free = claim->next_free;
	claim->sock_id = sock_id;
	claim->info = *info;
	hash = pr_claims_port_hash(table, info->netns_cookie, info->ipproto,
				   info->port);
	hlist_add_head_rcu(&claim->by_sock,
			   pr_claims_sock_bucket(table, sock_id));
	hlist_add_head_rcu(&claim->by_port, &table->by_port[hash]);
	table->count++;
out:
	write_seqcount_end(&table->seq);
	raw_spin_unlock_irqrestore(&table->lock, flags);
	if (err)
		atomic64_inc(&table->full);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_add);

/* Does the table hold a claim of @sock_id?  Lockless; may be stale. */
static bool pr_claims_has_sock(struct pr_claims *table, const void *sock_id)
{
	const struct hlist_head *head;
	const struct pr_claim *claim;
	unsigned int seq, steps;
	bool found;

	do {
		seq = read_seqcount_begin(&table->seq);
		found = false;
		head = pr_claims_sock_bucket(table, sock_id);
		for (claim = pr_sock_entry(READ_ONCE(head->first)), steps = 0;
		     claim && steps++ <= table->max;
		     claim = pr_sock_entry(READ_ONCE(claim->by_sock.next))) {
			if (READ_ONCE(claim->sock_id) == sock_id) {
				found = true;
				break;
			}
		}
	} while (read_seqcount_retry(&table->seq, seq));
	return found;
}

/*
 * Drops the claim of @sock_id, if any.  Every inet socket's release comes
 * here and most never had a claim, so the lock is taken only once a
 * lockless look has found one.
 */
bool pr_claims_release(struct pr_claims *table, const void *sock_id)
{
	struct pr_claim *claim;
	unsigned long flags;

	if (!pr_claims_has_sock(table, sock_id))
		return false;

	raw_spin_lock_irqsave(&table->lock, flags);
	write_seqcount_begin(&table->seq);
	claim = pr_claims_find_locked(table, sock_id);
	if (claim)
		pr_claims_unlink(table, claim);
	write_seqcount_end(&table->seq);
	raw_spin_unlock_irqrestore(&table->lock, flags);
	return claim;
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_release);

static bool pr_addr_is_any(u8 family, const struct pr_addr *addr)
{
	if (family == AF_INET)
		return addr->v4 == htonl(INADDR_ANY);
	return ipv6_addr_any(&addr->v6);
}

/* An IPv6 address as IPv4 if it is v4-mapped, else 0 for "not IPv4". */
static __be32 pr_addr_v4(u8 family, const struct pr_addr *addr)
{
	if (family == AF_INET)
		return addr->v4;
	return ipv6_addr_v4mapped(&addr->v6) ? addr->v6.s6_addr32[3] : 0;
}

/* Could sockets on these two local addresses stand in each other's way? */
static bool pr_addr_overlap(u8 fa, const struct pr_addr *a,
			    u8 fb, const struct pr_addr *b)
{
	if (pr_addr_is_any(fa, a) || pr_addr_is_any(fb, b))
		return true;
	if (fa == AF_INET6 && fb == AF_INET6)
		return ipv6_addr_equal(&a->v6, &b->v6);
	return pr_addr_v4(fa, a) && pr_addr_v4(fa, a) == pr_addr_v4(fb, b);
}

/*
 * Finds who holds @port/@ipproto in the network namespace @netns_cookie in
 * a way that overlaps @addr, ignoring the socket @except.  A holder on an
 * address that cannot overlap is named only if there is no better one.
 * @holder is written only when the answer is true.
 */
bool pr_claims_holder(struct pr_claims *table, u64 netns_cookie, u8 ipproto,
		      u16 port, u8 family, const struct pr_addr *addr,
		      const void *except, struct pr_task_id *holder)
{
	u32 hash = pr_claims_port_hash(table, netns_cookie, ipproto, port);
	const struct pr_claim *claim;
	struct pr_claim_info info;
	struct pr_task_id found_task = {};
	unsigned int seq, steps;
	bool found, overlap;

	do {
		seq = read_seqcount_begin(&table->seq);
		found = false;
		overlap = false;
		for (claim = pr_port_entry(READ_ONCE(table->by_port[hash].first)),
		     steps = 0;
		     claim && steps++ <= table->max;
		     claim = pr_port_entry(READ_ONCE(claim->by_port.next))) {
			info = claim->info;
			if (info.netns_cookie != netns_cookie ||
			    info.ipproto != ipproto || info.port != port ||
			    READ_ONCE(claim->sock_id) == except)
				continue;
			overlap = pr_addr_overlap(info.family, &info.addr,
						  family, addr);
			if (!found || overlap)
				found_task = info.task;
			found = true;
			if (overlap)
				break;
		}
	} while (read_seqcount_retry(&table->seq, seq));
	/* Only a read section no writer crossed gives a true answer. */
	if (found)
		*holder = found_task;
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_holder);

unsigned int pr_claims_count(struct pr_claims *table)
{
	return READ_ONCE(table->count);
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_count);

u64 pr_claims_full(struct pr_claims *table)
{
	return atomic64_read(&table->full);
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_full);

/* What the table's memory costs, for /proc/portreg/stats. */
size_t pr_claims_bytes(struct pr_claims *table)
{
	return (size_t)table->max * sizeof(*table->pool) +
	       2 * (sizeof(struct hlist_head) << table->bits);
}

/*
 * Copies entry @it->offset of bucket @it->bucket, moving on to later
 * buckets when that one has fewer.
 */
static bool pr_claims_iter_load(struct pr_claims_iter *it)
{
	struct pr_claims *table = it->table;
	const struct hlist_head *head;
	const struct pr_claim *claim;
	unsigned int seq, skip, steps;
	bool found;

	for (; it->bucket < (1U << table->bits); it->bucket++, it->offset = 0) {
		/* Readers run in process context; a big empty table is long. */
		if (!(it->bucket & 1023))
			cond_resched();
		do {
			seq = read_seqcount_begin(&table->seq);
			found = false;
			skip = it->offset;
			head = &table->by_port[it->bucket];
			for (claim = pr_port_entry(READ_ONCE(head->first)),
			     steps = 0;
			     claim && steps++ <= table->max;
			     claim = pr_port_entry(READ_ONCE(claim->by_port.next))) {
				if (skip--)
					continue;
				it->info = claim->info;
				found = true;
				break;
			}
		} while (read_seqcount_retry(&table->seq, seq));
		if (found)
			return true;
	}
	return false;
}

/*
 * Places @it on entry @pos of a walk by port bucket.  A walk that only moves
 * forward costs one bucket scan per step.  Entries added or removed between
 * two calls may be missed or seen twice, as in /proc/net/tcp.
 */
bool pr_claims_iter_seek(struct pr_claims_iter *it, loff_t pos)
{
	if (pos < it->pos || pos == 0) {
		it->bucket = 0;
		it->offset = 0;
		it->pos = 0;
	}
	while (it->pos < pos) {
		if (!pr_claims_iter_load(it))
			return false;
		it->offset++;
		it->pos++;
	}
	return pr_claims_iter_load(it);
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_iter_seek);

bool pr_claims_iter_next(struct pr_claims_iter *it)
{
	it->offset++;
	it->pos++;
	return pr_claims_iter_load(it);
}
EXPORT_SYMBOL_IF_KUNIT(pr_claims_iter_next);
