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
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "ring.h"

/* No event has this number: it marks a slot a writer is filling. */
#define PR_SEQ_BUSY	U64_MAX

struct pr_ring_slot {
	u64 seq;
	u64 gseq;
	u16 tenant;
	/*
	 * The event's cgroup references, its claimer's and its holder's,
	 * apart from @ev, each read and written whole: a reader's copy of
	 * @ev may tear under a racing writer, and a torn pointer must
	 * never reach css_tryget().  @ev's own two are not used.
	 */
	struct cgroup *cgroup[2];
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
	if (ring->also_wake)
		wake_up_interruptible_all(ring->also_wake);
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

int pr_ring_init(struct pr_ring *ring, unsigned int size,
		 unsigned int share_pct, gfp_t gfp)
{
	unsigned int i;

	if (size < PR_RING_MIN || size > PR_RING_MAX || !is_power_of_2(size) ||
	    share_pct > 100)
		return -EINVAL;
	memset(ring, 0, sizeof(*ring));
	ring->slots = __vmalloc(array_size(size, sizeof(*ring->slots)), gfp);
	if (!ring->slots)
		return -ENOMEM;
	if (share_pct) {
		ring->shares = kzalloc_obj(*ring->shares, gfp);
		if (!ring->shares) {
			vfree(ring->slots);
			return -ENOMEM;
		}
		get_random_bytes(&ring->shares->key,
				 sizeof(ring->shares->key));
		ring->shares->max = max(1U, size / 100 * share_pct +
					    size % 100 * share_pct / 100);
	}
	for (i = 0; i < size; i++) {
		ring->slots[i].seq = PR_SEQ_BUSY;
		ring->slots[i].cgroup[0] = NULL;
		ring->slots[i].cgroup[1] = NULL;
	}
	raw_spin_lock_init(&ring->lock);
	atomic64_set(&ring->read_below, 0);
	atomic64_set(&ring->drops, 0);
	atomic64_set(&ring->refused, 0);
	ring->size = size;
	init_waitqueue_head(&ring->wait);
	init_irq_work(&ring->wake, pr_ring_wake);
	timer_setup(&ring->wake_timer, pr_ring_wake_timer, 0);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_init);

/* The caller has stopped every writer and every reader. */
void pr_ring_destroy(struct pr_ring *ring)
{
	unsigned int i;

	/* The irq_work arms the timer, never the other way round. */
	irq_work_sync(&ring->wake);
	timer_delete_sync(&ring->wake_timer);
	for (i = 0; ring->slots && i < ring->size; i++) {
		pr_cgroup_put(ring->slots[i].cgroup[0]);
		pr_cgroup_put(ring->slots[i].cgroup[1]);
	}
	vfree(ring->slots);
	kfree(ring->shares);
	ring->slots = NULL;
	ring->shares = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_destroy);

/* Before the first event. */
void pr_ring_join(struct pr_ring *ring, atomic64_t *numbering,
		  wait_queue_head_t *also_wake)
{
	ring->numbering = numbering;
	ring->also_wake = also_wake;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_join);

/* Whose share @ev counts against: its user's, unless root's. */
static u16 pr_ring_tenant(const struct pr_ring *ring,
			  const struct pr_bind_event *ev)
{
	if (!ring->shares || uid_eq(ev->task.uid, GLOBAL_ROOT_UID))
		return PR_NO_TENANT;
	return siphash_1u32(__kuid_val(ev->task.uid), &ring->shares->key) %
	       PR_RING_TENANTS;
}

/* Writes @ev into the next slot; under @ring->lock. */
static u64 pr_ring_put(struct pr_ring *ring, const struct pr_bind_event *ev,
		       u16 tenant)
{
	struct cgroup *old_task, *old_holder;
	struct pr_ring_slot *slot;
	u64 seq = ring->head;

	slot = &ring->slots[seq & (ring->size - 1)];
	if (seq >= ring->size) {
		if (seq - ring->size >= (u64)atomic64_read(&ring->read_below))
			atomic64_inc(&ring->drops);
		if (slot->tenant != PR_NO_TENANT)
			ring->shares->held[slot->tenant]--;
	}
	WRITE_ONCE(slot->seq, PR_SEQ_BUSY);
	/* The busy mark before the copy: pairs with pr_ring_read()'s smp_rmb(). */
	smp_wmb();
	old_task = slot->cgroup[0];
	old_holder = slot->cgroup[1];
	slot->ev = *ev;
	WRITE_ONCE(slot->cgroup[0], ev->task.cgroup);
	WRITE_ONCE(slot->cgroup[1], ev->holder.task.cgroup);
	/*
	 * Only once the slot no longer names them: a reader that read them
	 * takes its own references under RCU, and a cgroup is freed a grace
	 * period after its last reference goes.
	 */
	pr_cgroup_put(old_task);
	pr_cgroup_put(old_holder);
	slot->gseq = ring->numbering ? atomic64_fetch_inc(ring->numbering) :
				       seq;
	slot->tenant = tenant;
	if (tenant != PR_NO_TENANT)
		ring->shares->held[tenant]++;
	/* The copy before the number: pairs with pr_ring_read()'s acquire. */
	smp_store_release(&slot->seq, seq);
	/* The slot before the head: pairs with pr_ring_head()'s acquire. */
	smp_store_release(&ring->head, seq + 1);
	return seq;
}

/* After events up to @head were added: wakes followers, in batches. */
static void pr_ring_wake_followers(struct pr_ring *ring, u64 head)
{
	/* The full barrier orders the new head before the waiter check. */
	if (!wq_has_sleeper(&ring->wait) &&
	    !(ring->also_wake && wq_has_sleeper(ring->also_wake)))
		return;
	if (!test_and_set_bit(PR_WAKE_ARMED, &ring->wake_state))
		irq_work_queue(&ring->wake);
	else if (head - READ_ONCE(ring->woken_head) >= ring->size / 2 &&
		 !test_and_set_bit(PR_WAKE_URGENT, &ring->wake_state))
		irq_work_queue(&ring->wake);
}

/* A marker for @tenant's refused events; under @ring->lock. */
static void pr_ring_put_refused(struct pr_ring *ring, u16 tenant, u64 time_ns)
{
	struct pr_ring_shares *sh = ring->shares;
	struct pr_bind_event marker;

	memset(&marker, 0, sizeof(marker));
	marker.time_ns = time_ns;
	marker.kind = PR_KIND_LOST;
	marker.result = -EDQUOT;
	marker.lost = sh->refused[tenant];
	marker.task.uid = sh->refused_uid[tenant];
	marker.netns = sh->refused_netns;
	marker.netns_cookie = sh->refused_netns_cookie;
	pr_ring_put(ring, &marker, tenant);
	sh->refused[tenant] = 0;
}

/*
 * Lets @ev in if its user is below its share, first telling in a marker
 * how many of that user's events were refused since it last got in, if
 * both fit; under @ring->lock.
 */
static int pr_ring_admit(struct pr_ring *ring, const struct pr_bind_event *ev,
			 u16 tenant)
{
	struct pr_ring_shares *sh = ring->shares;

	if (sh->held[tenant] < sh->max) {
		if (sh->refused[tenant] && sh->held[tenant] + 1 < sh->max)
			pr_ring_put_refused(ring, tenant, ev->time_ns);
		return 0;
	}
	sh->refused[tenant]++;
	sh->refused_uid[tenant] = ev->task.uid;
	sh->refused_netns = ev->netns;
	sh->refused_netns_cookie = ev->netns_cookie;
	atomic64_inc(&ring->refused);
	return -EDQUOT;
}

void pr_ring_flush_refused(struct pr_ring *ring)
{
	struct pr_ring_shares *sh = ring->shares;
	u64 now = ktime_get_real_ns(), head, before;
	unsigned long flags;
	u16 tenant;

	if (!sh)
		return;
	raw_spin_lock_irqsave(&ring->lock, flags);
	before = ring->head;
	for (tenant = 0; tenant < PR_RING_TENANTS; tenant++)
		if (sh->refused[tenant] && sh->held[tenant] <= sh->max)
			pr_ring_put_refused(ring, tenant, now);
	head = ring->head;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	if (head != before)
		pr_ring_wake_followers(ring, head);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_flush_refused);

int pr_ring_add(struct pr_ring *ring, struct pr_bind_event *ev, u64 *seq)
{
	u16 tenant = pr_ring_tenant(ring, ev);
	unsigned long flags;
	u64 head;
	int err;

	raw_spin_lock_irqsave(&ring->lock, flags);
	err = tenant == PR_NO_TENANT ? 0 : pr_ring_admit(ring, ev, tenant);
	if (!err)
		*seq = pr_ring_put(ring, ev, tenant);
	head = ring->head;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	if (err)
		pr_event_put(ev);
	else
		pr_ring_wake_followers(ring, head);
	/* The slot holds them now, or nothing does. */
	ev->task.cgroup = NULL;
	ev->holder.task.cgroup = NULL;
	return err;
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

bool pr_ring_read(struct pr_ring *ring, u64 seq, struct pr_bind_event *ev,
		  u64 *gseq)
{
	struct pr_ring_slot *slot = &ring->slots[seq & (ring->size - 1)];
	bool held;
	u64 g;

	/* The number before the copy: pairs with pr_ring_add()'s release. */
	if (smp_load_acquire(&slot->seq) != seq)
		return false;
	rcu_read_lock();
	if (ev) {
		*ev = slot->ev;
		ev->task.cgroup = pr_cgroup_tryget(READ_ONCE(slot->cgroup[0]));
		ev->holder.task.cgroup =
			pr_cgroup_tryget(READ_ONCE(slot->cgroup[1]));
	}
	g = slot->gseq;
	/* The copy before the recheck: pairs with pr_ring_add()'s smp_wmb(). */
	smp_rmb();
	held = READ_ONCE(slot->seq) == seq;
	rcu_read_unlock();
	if (!held) {
		if (ev)
			pr_event_put(ev);
		return false;
	}
	if (gseq)
		*gseq = g;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_read);

/*
 * A binary search: global numbers rise with sequence numbers, since both
 * are taken under the ring's lock.  A slot overwritten meanwhile was older
 * than anything the ring still holds.
 */
u64 pr_ring_seek_global(struct pr_ring *ring, u64 gseq)
{
	u64 lo = pr_ring_oldest(ring), hi = pr_ring_head(ring), g;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (!pr_ring_read(ring, mid, NULL, &g) || g < gseq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_seek_global);

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

u64 pr_ring_refused(struct pr_ring *ring)
{
	return atomic64_read(&ring->refused);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_refused);

/* What the ring's memory costs, for /proc/portreg/stats. */
size_t pr_ring_bytes(struct pr_ring *ring)
{
	return (size_t)ring->size * sizeof(*ring->slots) +
	       (ring->shares ? sizeof(*ring->shares) : 0);
}

/* Tells followers to stop waiting: the module is going away. */
void pr_ring_close(struct pr_ring *ring)
{
	spin_lock_irq(&ring->wait.lock);
	ring->closing = true;
	spin_unlock_irq(&ring->wait.lock);
	wake_up_interruptible_all(&ring->wait);
	/* The host's followers leave when the initial namespace's closes. */
	if (ring->also_wake)
		wake_up_interruptible_all(ring->also_wake);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_close);

bool pr_ring_closed(struct pr_ring *ring)
{
	return READ_ONCE(ring->closing);
}
EXPORT_SYMBOL_IF_KUNIT(pr_ring_closed);
