// SPDX-License-Identifier: GPL-2.0
/*
 * The per-socket records.  pr_records_add(), _find() and _drop() run in
 * probe context, some of it softirq: they take only a chain's raw
 * spinlock with interrupts off, for the length of a chain of at most
 * PR_RECORDS_CHAIN_MAX, and the free slots' lockless stack; they allocate
 * nothing and never sleep.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <kunit/visibility.h>

#include "records.h"

#define PR_NIL	U32_MAX

/* The free stack's top: see pr_records_pop(). */
static u64 pr_free_top(u32 tag, u32 slot)
{
	return (u64)tag << 32 | slot;
}

struct pr_record_slot {
	struct pr_record rec;
	u32 next;	/* in its chain, or in the free list */
	u32 gen;	/* the last sweep that found its socket */
};

/*
 * Keyed, so that no one who reads his sockets' cookies (SO_COOKIE) can
 * gather them in one chain; hsiphash, the variant the kernel offers for
 * hash tables, with fewer rounds than siphash, since every bind and every
 * release hash once.
 */
VISIBLE_IF_KUNIT u32 pr_records_bucket(const struct pr_records *r, u64 cookie)
{
	return hsiphash_2u32(lower_32_bits(cookie), upper_32_bits(cookie),
			     &r->key) & ((1U << r->bits) - 1);
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_bucket);

static raw_spinlock_t *pr_records_lock(struct pr_records *r, u32 bucket)
{
	return &r->locks[bucket & (PR_RECORDS_LOCKS - 1)];
}

u32 pr_records_tenant(struct pr_records *r, const struct pr_tenant *tenant)
{
	/* The host's own root has no share: its services must never find
	 * the records taken.
	 */
	if (tenant->kind == PR_TENANT_HOST)
		return PR_RECORDS_HOST;
	return hsiphash_3u32(lower_32_bits(tenant->id), upper_32_bits(tenant->id),
			     tenant->kind, &r->key) % PR_RECORDS_TENANTS;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_tenant);

int pr_records_init(struct pr_records *r, unsigned int max,
		    unsigned int share_pct)
{
	unsigned int i;

	if (!max || max > PR_RECORDS_MAX || !share_pct || share_pct > 100)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	/* Twice as many buckets as records: chains stay short. */
	r->bits = ilog2(roundup_pow_of_two(max)) + 1;
	r->pool = kvcalloc(max, sizeof(*r->pool), GFP_KERNEL);
	r->heads = kvmalloc_array(1U << r->bits, sizeof(*r->heads), GFP_KERNEL);
	r->locks = kcalloc(PR_RECORDS_LOCKS, sizeof(*r->locks), GFP_KERNEL);
	r->tenant_count = kcalloc(PR_RECORDS_TENANTS + 1,
				  sizeof(*r->tenant_count), GFP_KERNEL);
	if (!r->pool || !r->heads || !r->locks || !r->tenant_count) {
		pr_records_destroy(r);
		return -ENOMEM;
	}
	get_random_bytes(&r->key, sizeof(r->key));
	for (i = 0; i < (1U << r->bits); i++)
		r->heads[i] = PR_NIL;
	for (i = 0; i < PR_RECORDS_LOCKS; i++)
		raw_spin_lock_init(&r->locks[i]);
	for (i = 0; i < max; i++)
		r->pool[i].next = i + 1 < max ? i + 1 : PR_NIL;
	atomic64_set(&r->free_top, pr_free_top(0, 0));
	r->max = max;
	r->share = max_t(unsigned int, 1, max / 100 * share_pct +
				       max % 100 * share_pct / 100);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_init);

/* The caller has stopped every probe and reader. */
void pr_records_destroy(struct pr_records *r)
{
	u32 b, i;

	for (b = 0; r->heads && b < (1U << r->bits); b++)
		for (i = r->heads[b]; i != PR_NIL; i = r->pool[i].next)
			pr_task_id_put(&r->pool[i].rec.task);
	kvfree(r->pool);
	kvfree(r->heads);
	kfree(r->locks);
	kfree(r->tenant_count);
	r->pool = NULL;
	r->heads = NULL;
	r->locks = NULL;
	r->tenant_count = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_destroy);

/*
 * The free slots are a stack whose top is one word: a slot and a tag that
 * every change increments.  A pop that read a slot's link just before
 * another CPU took that slot and gave it back would install a stale link;
 * the tag makes its cmpxchg fail instead.  Lockless, so a bind's pop and
 * a release in softirq on the same CPU need no interrupts off.
 */
static u32 pr_records_pop(struct pr_records *r)
{
	s64 top = atomic64_read(&r->free_top);
	u32 i, next;

	do {
		i = lower_32_bits(top);
		if (i == PR_NIL)
			return PR_NIL;
		/*
		 * Racy if @i was taken meanwhile, and then the tag differs:
		 * the value is used only once the cmpxchg proves it current.
		 */
		next = data_race(READ_ONCE(r->pool[i].next));
	} while (!atomic64_try_cmpxchg(&r->free_top, &top,
				       pr_free_top(upper_32_bits(top) + 1, next)));
	return i;
}

static void pr_records_push_free(struct pr_records *r, u32 i)
{
	s64 top = atomic64_read(&r->free_top);

	do {
		WRITE_ONCE(r->pool[i].next, lower_32_bits(top));
	} while (!atomic64_try_cmpxchg(&r->free_top, &top,
				       pr_free_top(upper_32_bits(top) + 1, i)));
}

/* Gives back the slot of a record that was counted, and its reference. */
static void pr_records_push(struct pr_records *r, u32 i)
{
	pr_task_id_put(&r->pool[i].rec.task);
	atomic_dec(&r->tenant_count[r->pool[i].rec.tenant]);
	atomic_dec(&r->count);
	pr_records_push_free(r, i);
}

/*
 * Unlinks the record of @cookie from @bucket's chain, under its lock; if
 * @left, counts the records the chain keeps, in the same walk.
 */
static u32 pr_records_unlink(struct pr_records *r, u32 bucket, u64 cookie,
			     unsigned int *left)
{
	u32 *link = &r->heads[bucket];
	u32 i, found = PR_NIL;

	if (left)
		*left = 0;
	for (i = *link; i != PR_NIL; i = *link) {
		if (found == PR_NIL && r->pool[i].rec.cookie == cookie) {
			*link = r->pool[i].next;
			found = i;
			if (!left)
				break;
			continue;
		}
		if (left)
			(*left)++;
		link = &r->pool[i].next;
	}
	return found;
}

int pr_records_add(struct pr_records *r, const struct pr_record *rec)
{
	u32 bucket = pr_records_bucket(r, rec->cookie);
	raw_spinlock_t *lock = pr_records_lock(r, bucket);
	unsigned long flags;
	unsigned int len;
	u32 slot, old;
	int err = 0;

	slot = pr_records_pop(r);
	if (slot == PR_NIL) {
		atomic64_inc(&r->full);
		pr_cgroup_put(rec->task.cgroup);
		return -ENOSPC;
	}
	if (atomic_inc_return(&r->tenant_count[rec->tenant]) > r->share &&
	    rec->tenant != PR_RECORDS_HOST) {
		atomic_dec(&r->tenant_count[rec->tenant]);
		pr_records_push_free(r, slot);
		atomic64_inc(&r->quota);
		pr_cgroup_put(rec->task.cgroup);
		return -EDQUOT;
	}
	atomic_inc(&r->count);
	r->pool[slot].rec = *rec;
	r->pool[slot].gen = READ_ONCE(r->generation);

	raw_spin_lock_irqsave(lock, flags);
	old = pr_records_unlink(r, bucket, rec->cookie, &len);
	if (len >= PR_RECORDS_CHAIN_MAX) {
		err = -EBUSY;
	} else {
		r->pool[slot].next = r->heads[bucket];
		r->heads[bucket] = slot;
	}
	raw_spin_unlock_irqrestore(lock, flags);

	if (old != PR_NIL)
		pr_records_push(r, old);
	if (err) {
		pr_records_push(r, slot);
		atomic64_inc(&r->chain);
	}
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_add);

bool pr_records_find(struct pr_records *r, u64 cookie, struct pr_record *rec)
{
	u32 bucket = pr_records_bucket(r, cookie);
	raw_spinlock_t *lock = pr_records_lock(r, bucket);
	unsigned long flags;
	bool found = false;
	u32 i;

	if (!cookie)
		return false;
	raw_spin_lock_irqsave(lock, flags);
	for (i = r->heads[bucket]; i != PR_NIL; i = r->pool[i].next) {
		if (r->pool[i].rec.cookie == cookie) {
			*rec = r->pool[i].rec;
			/* The slot's reference keeps it alive under the lock. */
			pr_cgroup_get(rec->task.cgroup);
			found = true;
			break;
		}
	}
	raw_spin_unlock_irqrestore(lock, flags);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_find);

bool pr_records_drop(struct pr_records *r, u64 cookie, struct pr_record *rec)
{
	u32 bucket = pr_records_bucket(r, cookie);
	raw_spinlock_t *lock = pr_records_lock(r, bucket);
	unsigned long flags;
	u32 i;

	if (!cookie)
		return false;
	raw_spin_lock_irqsave(lock, flags);
	i = pr_records_unlink(r, bucket, cookie, NULL);
	raw_spin_unlock_irqrestore(lock, flags);
	if (i == PR_NIL)
		return false;
	/* Unlinked and not yet free: no one else reaches the slot. */
	if (rec) {
		*rec = r->pool[i].rec;
		r->pool[i].rec.task.cgroup = NULL;
	}
	pr_records_push(r, i);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_drop);

unsigned int pr_records_count(struct pr_records *r)
{
	return atomic_read(&r->count);
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_count);

size_t pr_records_bytes(struct pr_records *r)
{
	return (size_t)r->max * sizeof(*r->pool) +
	       ((size_t)sizeof(*r->heads) << r->bits);
}

void pr_records_sweep_begin(struct pr_records *r)
{
	WRITE_ONCE(r->generation, r->generation + 1);
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_sweep_begin);

void pr_records_mark(struct pr_records *r, u64 cookie)
{
	u32 bucket = pr_records_bucket(r, cookie);
	raw_spinlock_t *lock = pr_records_lock(r, bucket);
	unsigned long flags;
	u32 i;

	if (!cookie)
		return;
	raw_spin_lock_irqsave(lock, flags);
	for (i = r->heads[bucket]; i != PR_NIL; i = r->pool[i].next)
		if (r->pool[i].rec.cookie == cookie)
			r->pool[i].gen = r->generation;
	raw_spin_unlock_irqrestore(lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_mark);

/*
 * Records made since the sweep began carry its generation, and stay: their
 * sockets may have taken a port after the walk passed their chain.
 */
unsigned int pr_records_sweep_end(struct pr_records *r)
{
	unsigned int b, dropped = 0;
	unsigned long flags;

	for (b = 0; b < (1U << r->bits); b++) {
		raw_spinlock_t *lock = pr_records_lock(r, b);
		u32 *link, i, gone = PR_NIL;

		raw_spin_lock_irqsave(lock, flags);
		for (link = &r->heads[b], i = *link; i != PR_NIL; i = *link) {
			struct pr_record_slot *s = &r->pool[i];

			if (s->gen == r->generation) {
				link = &s->next;
				continue;
			}
			*link = s->next;
			s->next = gone;
			gone = i;
		}
		raw_spin_unlock_irqrestore(lock, flags);
		while (gone != PR_NIL) {
			i = gone;
			gone = r->pool[i].next;
			pr_records_push(r, i);
			dropped++;
		}
		if (!(b & 1023))
			cond_resched();
	}
	return dropped;
}
EXPORT_SYMBOL_IF_KUNIT(pr_records_sweep_end);
