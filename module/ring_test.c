// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the bind log ring on its own: sizes, wrap, what a reader gets
 * back, and which overwrites count as drops.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "ring.h"

static void pr_ring_fill(struct kunit *test, struct pr_ring *ring, u64 from,
			 u64 count)
{
	struct pr_bind_event ev;
	u64 i;

	u64 seq;

	memset(&ev, 0, sizeof(ev));
	for (i = from; i < from + count; i++) {
		/* The payload names its own sequence number. */
		ev.time_ns = i;
		ev.requested_port = (u16)i;
		KUNIT_ASSERT_EQ(test, pr_ring_add(ring, &ev, &seq), 0);
		KUNIT_ASSERT_EQ(test, seq, i);
	}
}

static const unsigned int pr_ring_bad_sizes[] = {
	0, 1, 32, 63, 100, 65, 4095, PR_RING_MAX * 2, 0x80000001,
};

static void pr_ring_rejects_bad_sizes(struct kunit *test)
{
	struct pr_ring ring;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_ring_bad_sizes); i++)
		KUNIT_EXPECT_EQ_MSG(test, pr_ring_init(&ring,
						       pr_ring_bad_sizes[i], 0,
						       GFP_KERNEL),
				    -EINVAL, "size %u", pr_ring_bad_sizes[i]);
	KUNIT_EXPECT_EQ(test, pr_ring_init(&ring, 64, 101, GFP_KERNEL),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, PR_RING_MIN, 0, GFP_KERNEL),
			0);
	pr_ring_destroy(&ring);
}

static void pr_ring_empty(struct kunit *test)
{
	struct pr_bind_event ev;
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_oldest(&ring), 0ULL);
	KUNIT_EXPECT_FALSE(test, pr_ring_read(&ring, 0, &ev, NULL));
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 0ULL);
	pr_ring_destroy(&ring);
}

static void pr_ring_wraps_and_counts_drops(struct kunit *test)
{
	struct pr_bind_event ev;
	struct pr_ring ring;
	u64 seq;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64, 0, GFP_KERNEL), 0);
	pr_ring_fill(test, &ring, 0, 64);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_oldest(&ring), 0ULL);

	/* 36 more: the 36 oldest, never read, are overwritten and dropped. */
	pr_ring_fill(test, &ring, 64, 36);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_oldest(&ring), 36ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 36ULL);
	for (seq = 0; seq < 36; seq++)
		KUNIT_EXPECT_FALSE_MSG(test, pr_ring_read(&ring, seq, &ev, NULL),
				       "seq %llu", seq);
	for (seq = 36; seq < 100; seq++) {
		KUNIT_ASSERT_TRUE_MSG(test, pr_ring_read(&ring, seq, &ev, NULL),
				      "seq %llu", seq);
		KUNIT_EXPECT_EQ(test, ev.time_ns, seq);
		KUNIT_EXPECT_EQ(test, ev.requested_port, (u16)seq);
	}
	KUNIT_EXPECT_FALSE(test, pr_ring_read(&ring, 100, &ev, NULL));

	/* Once read, overwriting is no drop; the first unread one is. */
	pr_ring_mark_read(&ring, 100);
	pr_ring_fill(test, &ring, 100, 64);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 36ULL);
	pr_ring_fill(test, &ring, 164, 1);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 37ULL);
	pr_ring_destroy(&ring);
}

static void pr_ring_mark_read_only_moves_forward(struct kunit *test)
{
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64, 0, GFP_KERNEL), 0);
	pr_ring_mark_read(&ring, 50);
	pr_ring_mark_read(&ring, 10);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&ring.read_below), 50ULL);
	pr_ring_destroy(&ring);
}

static void pr_ring_close_is_seen(struct kunit *test)
{
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, pr_ring_closed(&ring));
	pr_ring_close(&ring);
	KUNIT_EXPECT_TRUE(test, pr_ring_closed(&ring));
	pr_ring_destroy(&ring);
}

/* A waiter that only counts its wakeups. */
struct pr_ring_counter {
	struct wait_queue_entry entry;
	atomic_t wakeups;
};

static int pr_ring_count_wakeup(struct wait_queue_entry *entry, unsigned int mode,
				int flags, void *key)
{
	atomic_inc(&container_of(entry, struct pr_ring_counter, entry)->wakeups);
	return 0;
}

/* Ten quick events wake a waiter once, a moment later; none wake nobody. */
static void pr_ring_wakes_in_batches(struct kunit *test)
{
	struct pr_ring_counter counter = { .wakeups = ATOMIC_INIT(0) };
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64, 0, GFP_KERNEL), 0);
	pr_ring_fill(test, &ring, 0, 10);
	msleep(50);
	KUNIT_EXPECT_FALSE(test, timer_pending(&ring.wake_timer));
	KUNIT_EXPECT_EQ(test, ring.wake_state, 0UL);

	init_waitqueue_func_entry(&counter.entry, pr_ring_count_wakeup);
	add_wait_queue(&ring.wait, &counter.entry);
	pr_ring_fill(test, &ring, 10, 10);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&counter.wakeups), 1);
	/* Idle again: the next event arms a new wakeup. */
	KUNIT_EXPECT_EQ(test, ring.wake_state, 0UL);
	remove_wait_queue(&ring.wait, &counter.entry);
	pr_ring_destroy(&ring);
}

/* Half a ring since the last wakeup wakes at once, not at the timer. */
static void pr_ring_half_full_wakes_at_once(struct kunit *test)
{
	struct pr_ring_counter counter = { .wakeups = ATOMIC_INIT(0) };
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64, 0, GFP_KERNEL), 0);
	init_waitqueue_func_entry(&counter.entry, pr_ring_count_wakeup);
	add_wait_queue(&ring.wait, &counter.entry);
	pr_ring_fill(test, &ring, 0, 1);
	/* The first event's irq_work has armed the batch timer. */
	irq_work_sync(&ring.wake);
	KUNIT_ASSERT_TRUE(test, timer_pending(&ring.wake_timer));
	pr_ring_fill(test, &ring, 1, 31);
	irq_work_sync(&ring.wake);
	KUNIT_EXPECT_GE(test, atomic_read(&counter.wakeups), 1);
	KUNIT_EXPECT_EQ(test, ring.woken_head, 32ULL);
	remove_wait_queue(&ring.wait, &counter.entry);
	pr_ring_destroy(&ring);
}

/*
 * A ring with shares whose key is known, and users 1000 to 1005 each in
 * a slot of their own under it.
 */
static void pr_ring_init_shared(struct kunit *test, struct pr_ring *ring)
{
	const siphash_key_t *key;
	unsigned int a, b;

	KUNIT_ASSERT_EQ(test, pr_ring_init(ring, 64, 25, GFP_KERNEL), 0);
	memset(&ring->shares->key, 0x11, sizeof(ring->shares->key));
	key = &ring->shares->key;
	for (a = 1000; a <= 1005; a++)
		for (b = 1000; b < a; b++)
			KUNIT_ASSERT_NE_MSG(test,
					    siphash_1u32(a, key) % PR_RING_TENANTS,
					    siphash_1u32(b, key) % PR_RING_TENANTS,
					    "users %u and %u share a slot", a, b);
}

static int pr_ring_add_as(struct pr_ring *ring, uid_t uid, u64 *seq)
{
	struct pr_bind_event ev = { .kind = PR_KIND_BIND };

	ev.task.uid = KUIDT_INIT(uid);
	ev.task.levels = 1;
	return pr_ring_add(ring, &ev, seq);
}

/*
 * A user at its share (25% of 64: 16 events) is refused; the next time it
 * gets in, a marker tells how many were refused.  Root has no share, and
 * another user is not held back.
 */
static void pr_ring_shares_hold_a_user_back(struct kunit *test)
{
	/* Off the stack: with the event pr_ring_add_as() makes, too big. */
	struct pr_bind_event *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	struct pr_ring ring;
	u64 seq, i, markers = 0, lost = 0;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	pr_ring_init_shared(test, &ring);
	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_EQ(test, pr_ring_add_as(&ring, 1000, &seq), 0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, pr_ring_add_as(&ring, 1000, &seq),
				-EDQUOT);
	KUNIT_EXPECT_EQ(test, pr_ring_refused(&ring), 10ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 16ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_add_as(&ring, 1001, &seq), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, pr_ring_add_as(&ring, 0, &seq), 0);
	/* Root's events overwrote user 1000's: it has room again. */
	KUNIT_EXPECT_EQ(test, pr_ring_add_as(&ring, 1000, &seq), 0);
	for (i = pr_ring_oldest(&ring); i < pr_ring_head(&ring); i++) {
		KUNIT_ASSERT_TRUE(test, pr_ring_read(&ring, i, ev, NULL));
		if (ev->kind != PR_KIND_LOST)
			continue;
		markers++;
		lost += ev->lost;
		KUNIT_EXPECT_EQ(test, ev->result, -EDQUOT);
		KUNIT_EXPECT_EQ(test, __kuid_val(ev->task.uid), 1000U);
		/* The marker comes just before the event that got in. */
		KUNIT_EXPECT_EQ(test, i + 2, pr_ring_head(&ring));
	}
	KUNIT_EXPECT_EQ(test, markers, 1ULL);
	KUNIT_EXPECT_EQ(test, lost, 10ULL);
	pr_ring_destroy(&ring);
}

/*
 * A user that stopped after being refused is told of it all the same, by
 * the housekeeping's flush: one marker, beyond its share, once.
 */
static void pr_ring_flush_tells_a_user_that_stopped(struct kunit *test)
{
	struct pr_bind_event ev;
	struct pr_ring ring;
	u64 seq, i;

	pr_ring_init_shared(test, &ring);
	for (i = 0; i < 20; i++)
		pr_ring_add_as(&ring, 1000, &seq);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 16ULL);
	pr_ring_flush_refused(&ring);
	KUNIT_ASSERT_EQ(test, pr_ring_head(&ring), 17ULL);
	KUNIT_ASSERT_TRUE(test, pr_ring_read(&ring, 16, &ev, NULL));
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_LOST);
	KUNIT_EXPECT_EQ(test, ev.result, -EDQUOT);
	KUNIT_EXPECT_EQ(test, ev.lost, 4ULL);
	KUNIT_EXPECT_EQ(test, __kuid_val(ev.task.uid), 1000U);
	/* Told once; and no second marker beyond the share. */
	pr_ring_flush_refused(&ring);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 17ULL);
	pr_ring_add_as(&ring, 1000, &seq);
	pr_ring_flush_refused(&ring);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 17ULL);
	pr_ring_destroy(&ring);
}

/* However long a user floods, it never holds more than its share. */
static void pr_ring_share_is_a_bound(struct kunit *test)
{
	struct pr_bind_event ev;
	struct pr_ring ring;
	u64 seq, i, mine = 0;

	pr_ring_init_shared(test, &ring);
	for (i = 0; i < 1000; i++) {
		pr_ring_add_as(&ring, 1000, &seq);
		if (i % 3 == 0)
			pr_ring_add_as(&ring, 1001 + i % 5, &seq);
	}
	for (i = pr_ring_oldest(&ring); i < pr_ring_head(&ring); i++) {
		KUNIT_ASSERT_TRUE(test, pr_ring_read(&ring, i, &ev, NULL));
		mine += __kuid_val(ev.task.uid) == 1000;
	}
	KUNIT_EXPECT_LE(test, mine, 16ULL);
	pr_ring_destroy(&ring);
}

/* Rings that share a numbering; each is found again by global number. */
static void pr_ring_global_numbers(struct kunit *test)
{
	atomic64_t numbering = ATOMIC64_INIT(0);
	struct pr_ring *rings = kunit_kcalloc(test, 2, sizeof(*rings),
					      GFP_KERNEL);
	struct pr_bind_event ev = {};
	u64 seq, g, i;

	KUNIT_ASSERT_NOT_NULL(test, rings);
	KUNIT_ASSERT_EQ(test, pr_ring_init(&rings[0], 64, 0, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pr_ring_init(&rings[1], 64, 0, GFP_KERNEL), 0);
	pr_ring_join(&rings[0], &numbering, NULL);
	pr_ring_join(&rings[1], &numbering, NULL);
	/* The first gets the even global numbers, the second the odd ones. */
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, pr_ring_add(&rings[i % 2], &ev, &seq), 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&rings[0]), 50ULL);
	KUNIT_ASSERT_TRUE(test, pr_ring_read(&rings[1], 49, NULL, &g));
	KUNIT_EXPECT_EQ(test, g, 99ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_seek_global(&rings[0], 0), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_seek_global(&rings[0], 41), 21ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_seek_global(&rings[0], 42), 21ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_seek_global(&rings[1], 42), 21ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_seek_global(&rings[1], 1000), 50ULL);
	/* Past a wrap, the oldest still held is the answer for anything older. */
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, pr_ring_add(&rings[0], &ev, &seq), 0);
	KUNIT_EXPECT_EQ(test, pr_ring_seek_global(&rings[0], 0),
			pr_ring_oldest(&rings[0]));
	pr_ring_destroy(&rings[0]);
	pr_ring_destroy(&rings[1]);
}

static struct kunit_case pr_ring_cases[] = {
	KUNIT_CASE(pr_ring_rejects_bad_sizes),
	KUNIT_CASE(pr_ring_empty),
	KUNIT_CASE(pr_ring_wraps_and_counts_drops),
	KUNIT_CASE(pr_ring_mark_read_only_moves_forward),
	KUNIT_CASE(pr_ring_close_is_seen),
	KUNIT_CASE(pr_ring_wakes_in_batches),
	KUNIT_CASE(pr_ring_half_full_wakes_at_once),
	KUNIT_CASE(pr_ring_shares_hold_a_user_back),
	KUNIT_CASE(pr_ring_flush_tells_a_user_that_stopped),
	KUNIT_CASE(pr_ring_share_is_a_bound),
	KUNIT_CASE(pr_ring_global_numbers),
	{}
};

static struct kunit_suite pr_ring_suite = {
	.name = "portreg_ring",
	.test_cases = pr_ring_cases,
};

kunit_test_suite(pr_ring_suite);
