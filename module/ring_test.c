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

	memset(&ev, 0, sizeof(ev));
	for (i = from; i < from + count; i++) {
		/* The payload names its own sequence number. */
		ev.time_ns = i;
		ev.requested_port = (u16)i;
		KUNIT_ASSERT_EQ(test, pr_ring_add(ring, &ev), i);
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
						       pr_ring_bad_sizes[i]),
				    -EINVAL, "size %u", pr_ring_bad_sizes[i]);
	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, PR_RING_MIN), 0);
	pr_ring_destroy(&ring);
}

static void pr_ring_empty(struct kunit *test)
{
	struct pr_bind_event ev;
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64), 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_oldest(&ring), 0ULL);
	KUNIT_EXPECT_FALSE(test, pr_ring_read(&ring, 0, &ev));
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 0ULL);
	pr_ring_destroy(&ring);
}

static void pr_ring_wraps_and_counts_drops(struct kunit *test)
{
	struct pr_bind_event ev;
	struct pr_ring ring;
	u64 seq;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64), 0);
	pr_ring_fill(test, &ring, 0, 64);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_oldest(&ring), 0ULL);

	/* 36 more: the 36 oldest, never read, are overwritten and dropped. */
	pr_ring_fill(test, &ring, 64, 36);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&ring), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_oldest(&ring), 36ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&ring), 36ULL);
	for (seq = 0; seq < 36; seq++)
		KUNIT_EXPECT_FALSE_MSG(test, pr_ring_read(&ring, seq, &ev),
				       "seq %llu", seq);
	for (seq = 36; seq < 100; seq++) {
		KUNIT_ASSERT_TRUE_MSG(test, pr_ring_read(&ring, seq, &ev),
				      "seq %llu", seq);
		KUNIT_EXPECT_EQ(test, ev.time_ns, seq);
		KUNIT_EXPECT_EQ(test, ev.requested_port, (u16)seq);
	}
	KUNIT_EXPECT_FALSE(test, pr_ring_read(&ring, 100, &ev));

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

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64), 0);
	pr_ring_mark_read(&ring, 50);
	pr_ring_mark_read(&ring, 10);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&ring.read_below), 50ULL);
	pr_ring_destroy(&ring);
}

static void pr_ring_close_is_seen(struct kunit *test)
{
	struct pr_ring ring;

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64), 0);
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

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64), 0);
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

	KUNIT_ASSERT_EQ(test, pr_ring_init(&ring, 64), 0);
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

static struct kunit_case pr_ring_cases[] = {
	KUNIT_CASE(pr_ring_rejects_bad_sizes),
	KUNIT_CASE(pr_ring_empty),
	KUNIT_CASE(pr_ring_wraps_and_counts_drops),
	KUNIT_CASE(pr_ring_mark_read_only_moves_forward),
	KUNIT_CASE(pr_ring_close_is_seen),
	KUNIT_CASE(pr_ring_wakes_in_batches),
	KUNIT_CASE(pr_ring_half_full_wakes_at_once),
	{}
};

static struct kunit_suite pr_ring_suite = {
	.name = "portreg_ring",
	.test_cases = pr_ring_cases,
};

kunit_test_suite(pr_ring_suite);
