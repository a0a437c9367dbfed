// SPDX-License-Identifier: GPL-2.0
/*
 * The bind log ring.  pr_ring_add() runs in probe context: it takes one raw
 * spinlock for the length of a copy, allocates nothing and never sleeps.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/timer.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "ring.h"

/* No event has this number: it marks a slot a writer is filling. */
#define PR_SEQ_BUSY	U64_MAX

struct pr_ring_slot {
	u64 seq;
	struct pr_bind_event ev;
};

/*
 * Followers are woken once per PR_WAKE_DELAY, not once per event: a wakeup
 * costs a reader a context switch and often the binding CPU an IPI, which
 * at thousands of binds a second cost more than the binds' own recording.
 * A ring half full since the last wakeup is woken at once, so that even a
 * small ring at a high rate is read before it wraps.
 */
#define PR_WAKE_DELAY		msecs_to_jiffies(10)
#define PR_WAKE_ARMED		0	/* a wakeup is on its way */
#define PR_WAKE_URGENT		1	/* and must not wait for the timer */

static void pr_ring_wake_now(struct pr_ring *ring)
{
	WRITE_ONCE(ring->woken_head, pr_ring_head(ring));
	clear_bit(PR_WAKE_URGENT, &ring->wake_state);
	/* Events from now on arm the next wakeup: nothing is left unwoken. */
	clear_bit(PR_WAKE_ARMED, &ring->wake_state);
	/* The cleared bit before the waiters' check of the head. */
	smp_mb__after_atomic();
	wake_up_interruptible_all(&ring->wait);
}

static void pr_ring_wake_timer(struct timer_list *timer)
{
	struct pr_ring *ring = timer_container_of(ring, timer, wake_timer);

	pr_ring_wake_now(ring);
}

static void pr_ring_wake(struct irq_work *work)
{
	struct pr_ring *ring = container_of(work, struct pr_ring, wake);

	if (test_bit(PR_WAKE_URGENT, &ring->wake_state))
		pr_ring_wake_now(ring);
	else if (!timer_pending(&ring->wake_timer))
		mod_timer(&ring->wake_timer, jiffies + PR_WAKE_DELAY);
}

int pr_ring_init(struct pr_ring *ring, unsigned int size)
{
	unsigned int i;

	if (size < PR_RING_MIN || size > PR_RING_MAX || !is_power_of_2(size))
		return -EINVAL;
	ring->slots = vmalloc(array_size(size, sizeof(*ring->slots)));
	if (!ring->slots)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		ring->slots[i].seq = PR_SEQ_BUSY;
	raw_spin_lock_init(&ring->lock);
	ring->head = 0;
	atomic64_set(&ring->read_below, 0);
	atomic64_set(&ring->drops, 0);
	ring->size = size;
	init_waitqueue_head(&ring->wait);
	init_irq_work(&ring->wake, pr_ring_wake);
	timer_setup(&ring->wake_timer, pr_ring_wake_timer, 0);
	ring->wake_state = 0;
	ring->woken_head = 0;
	ring->closing = false;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_init);

/* The caller has stopped every writer and every reader. */
void pr_ring_destroy(struct pr_ring *ring)
{
	/* The irq_work arms the timer, never the other way round. */
	irq_work_sync(&ring->wake);
	timer_delete_sync(&ring->wake_timer);
	vfree(ring->slots);
	ring->slots = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_destroy);

/* Returns the event's sequence number. */
u64 pr_ring_add(struct pr_ring *ring, const struct pr_bind_event *ev)
{
	struct pr_ring_slot *slot;
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	seq = ring->head;
	slot = &ring->slots[seq & (ring->size - 1)];
	if (seq >= ring->size &&
	    seq - ring->size >= (u64)atomic64_read(&ring->read_below))
		atomic64_inc(&ring->drops);
	WRITE_ONCE(slot->seq, PR_SEQ_BUSY);
	/* The busy mark before the copy: pairs with pr_ring_read()'s smp_rmb(). */
	smp_wmb();
	slot->ev = *ev;
	/* The copy before the number: pairs with pr_ring_read()'s acquire. */
	smp_store_release(&slot->seq, seq);
	/* The slot before the head: pairs with pr_ring_head()'s acquire. */
	smp_store_release(&ring->head, seq + 1);
	raw_spin_unlock_irqrestore(&ring->lock, flags);

	/* The full barrier orders the new head before the waiter check. */
	if (!wq_has_sleeper(&ring->wait))
		return seq;
	if (!test_and_set_bit(PR_WAKE_ARMED, &ring->wake_state))
		irq_work_queue(&ring->wake);
	else if (seq + 1 - READ_ONCE(ring->woken_head) >= ring->size / 2 &&
		 !test_and_set_bit(PR_WAKE_URGENT, &ring->wake_state))
		irq_work_queue(&ring->wake);
	return seq;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_add);

u64 pr_ring_head(struct pr_ring *ring)
{
	/* Every slot below the head is filled: pairs with pr_ring_add(). */
	return smp_load_acquire(&ring->head);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_head);

/* The lowest sequence number the ring may still hold. */
u64 pr_ring_oldest(struct pr_ring *ring)
{
	u64 head = pr_ring_head(ring);

	return head > ring->size ? head - ring->size : 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_oldest);

/*
 * Copies event @seq into @ev.  Returns false if the ring no longer holds it
 * (overwritten) or does not hold it yet.
 */
bool pr_ring_read(struct pr_ring *ring, u64 seq, struct pr_bind_event *ev)
{
	struct pr_ring_slot *slot = &ring->slots[seq & (ring->size - 1)];

	/* The number before the copy: pairs with pr_ring_add()'s release. */
	if (smp_load_acquire(&slot->seq) != seq)
		return false;
	*ev = slot->ev;
	/* The copy before the recheck: pairs with pr_ring_add()'s smp_wmb(). */
	smp_rmb();
	return READ_ONCE(slot->seq) == seq;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_read);

void pr_ring_mark_read(struct pr_ring *ring, u64 below)
{
	s64 old = atomic64_read(&ring->read_below);

	while (old < (s64)below &&
	       !atomic64_try_cmpxchg(&ring->read_below, &old, below))
		;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_mark_read);

u64 pr_ring_drops(struct pr_ring *ring)
{
	return atomic64_read(&ring->drops);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_drops);

/* What the ring's memory costs, for /proc/portreg/stats. */
size_t pr_ring_bytes(struct pr_ring *ring)
{
	return (size_t)ring->size * sizeof(*ring->slots);
}

/* Tells followers to stop waiting: the module is going away. */
void pr_ring_close(struct pr_ring *ring)
{
	spin_lock_irq(&ring->wait.lock);
	ring->closing = true;
	spin_unlock_irq(&ring->wait.lock);
	wake_up_interruptible_all(&ring->wait);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_close);

bool pr_ring_closed(struct pr_ring *ring)
{
	return READ_ONCE(ring->closing);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_closed);
