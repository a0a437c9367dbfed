// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: each namespace's log, and the host's view of them all, on
 * namespaces made up for the purpose (cookies no real namespace has):
 * what one namespace does never reaches another's log or its sequence
 * numbers, and the host sees every event once, in order.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/wait.h>
#include <net/net_namespace.h>

#include "merge.h"
#include "netns.h"

#define PR_NS_A		BIT_ULL(62)
#define PR_NS_B		(BIT_ULL(62) + 1)

struct pr_netns_fixture {
	struct pr_netns_set set;
};

static int pr_netns_test_init(struct kunit *test)
{
	struct pr_netns_fixture *fx = kunit_kzalloc(test, sizeof(*fx),
						    GFP_KERNEL);
	struct pr_tenant tenant = { .kind = PR_TENANT_NETNS };

	if (!fx)
		return -ENOMEM;
	KUNIT_ASSERT_EQ(test, pr_netns_set_init(&fx->set, 64, 64, 25), 0);
	tenant.id = PR_NS_A;
	KUNIT_ASSERT_EQ(test, pr_netns_add(&fx->set, PR_NS_A, 1, &tenant), 0);
	tenant.id = PR_NS_B;
	KUNIT_ASSERT_EQ(test, pr_netns_add(&fx->set, PR_NS_B, 2, &tenant), 0);
	test->priv = fx;
	return 0;
}

static void pr_netns_test_exit(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;

	pr_netns_remove(&fx->set, PR_NS_A);
	pr_netns_remove(&fx->set, PR_NS_B);
	pr_netns_set_destroy(&fx->set);
}

/* One event in @cookie's log, as root: no share holds it back. */
static void pr_log(struct kunit *test, u64 cookie, u16 port)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_bind_event ev = { .kind = PR_KIND_BIND, .port = port };
	struct pr_netns *ns;
	u64 seq;

	ev.netns_cookie = cookie;
	rcu_read_lock();
	ns = pr_netns_find(&fx->set, cookie);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	KUNIT_EXPECT_EQ(test, pr_ring_add(&ns->ring, &ev, &seq), 0);
	rcu_read_unlock();
}

static void pr_netns_test_lookup(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_tenant tenant = { .kind = PR_TENANT_NETNS };

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, pr_netns_find(&fx->set, init_net.net_cookie),
			    fx->set.init);
	KUNIT_EXPECT_NOT_NULL(test, pr_netns_find(&fx->set, PR_NS_A));
	KUNIT_EXPECT_NULL(test, pr_netns_find(&fx->set, PR_NS_B + 1));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, pr_netns_add(&fx->set, PR_NS_A, 1, &tenant),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, fx->set.count, 3U);
}

/*
 * A namespace's log is its own: a flood in B leaves A's events where they
 * were, and A's sequence numbers count A's events only.
 */
static void pr_netns_test_isolation(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_netns *a = pr_netns_get(&fx->set, PR_NS_A);
	struct pr_merge m;
	struct pr_merged e;
	u64 want = 0;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	for (i = 0; i < 10; i++) {
		pr_log(test, PR_NS_A, 1000 + i);
		pr_log(test, PR_NS_B, 2000 + i);
	}
	for (i = 0; i < 1000; i++)
		pr_log(test, PR_NS_B, 3000);
	pr_merge_init(&m, false);
	KUNIT_ASSERT_EQ(test, pr_merge_add(&m, a), 0);
	while (pr_merge_next(&m, &e)) {
		KUNIT_EXPECT_EQ(test, e.seq, want);
		KUNIT_EXPECT_EQ(test, e.ev.port, (u16)(1000 + want));
		KUNIT_EXPECT_EQ(test, e.ev.netns_cookie, PR_NS_A);
		want++;
	}
	KUNIT_EXPECT_EQ(test, want, 10ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&a->ring), 0ULL);
	pr_merge_release(&m);
}

/* The host's view: every namespace's events, once each, in order. */
static void pr_netns_test_host_view(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_merge m;
	struct pr_merged e;
	u64 last = 0, n = 0;
	int i;

	for (i = 0; i < 30; i++)
		pr_log(test, i % 3 == 0 ? init_net.net_cookie :
			     i % 3 == 1 ? PR_NS_A : PR_NS_B, i);
	pr_merge_init(&m, false);
	KUNIT_ASSERT_EQ(test, pr_merge_refresh(&m, &fx->set), 0);
	/* A snapshot: what comes after it began is not in it. */
	pr_log(test, PR_NS_A, 999);
	while (pr_merge_next(&m, &e)) {
		KUNIT_EXPECT_EQ(test, e.gseq, n);
		KUNIT_EXPECT_EQ(test, e.ev.port, (u16)n);
		KUNIT_EXPECT_TRUE(test, !n || e.gseq > last);
		last = e.gseq;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 30ULL);
	/* From the start again, the same. */
	pr_merge_rewind(&m);
	for (n = 0; pr_merge_next(&m, &e); n++)
		;
	KUNIT_EXPECT_EQ(test, n, 30ULL);
	pr_merge_release(&m);
}

/*
 * A follower of the host: namespaces that come later join, and one that
 * goes is read to its end and then let go of.
 */
static void pr_netns_test_follow(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_tenant tenant = { .kind = PR_TENANT_NETNS, .id = 3 };
	struct pr_merge m;
	struct pr_merged e;
	unsigned int n;

	pr_merge_init(&m, true);
	KUNIT_ASSERT_EQ(test, pr_merge_refresh(&m, &fx->set), 0);
	KUNIT_EXPECT_EQ(test, m.n, 3U);
	pr_log(test, PR_NS_A, 1);
	KUNIT_ASSERT_TRUE(test, pr_merge_next(&m, &e));
	KUNIT_EXPECT_EQ(test, e.ev.port, 1);
	KUNIT_EXPECT_FALSE(test, pr_merge_next(&m, &e));

	KUNIT_ASSERT_EQ(test, pr_netns_add(&fx->set, PR_NS_B + 1, 3, &tenant),
			0);
	pr_log(test, PR_NS_B + 1, 2);
	pr_log(test, PR_NS_B, 3);
	pr_netns_remove(&fx->set, PR_NS_B);
	KUNIT_ASSERT_EQ(test, pr_merge_refresh(&m, &fx->set), 0);
	KUNIT_EXPECT_EQ(test, m.n, 4U);
	for (n = 0; pr_merge_next(&m, &e); n++)
		KUNIT_EXPECT_EQ(test, e.ev.port, n + 2);
	KUNIT_EXPECT_EQ(test, n, 2U);
	/* B is gone and read to its end: the next change lets it go. */
	pr_netns_remove(&fx->set, PR_NS_B + 1);
	KUNIT_ASSERT_EQ(test, pr_merge_refresh(&m, &fx->set), 0);
	KUNIT_EXPECT_EQ(test, m.n, 2U);
	pr_merge_release(&m);
}

/* A reference keeps a removed namespace's log readable; find() no more. */
static void pr_netns_test_lifetime(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_netns *a;
	struct pr_bind_event ev;

	pr_log(test, PR_NS_A, 7);
	a = pr_netns_get(&fx->set, PR_NS_A);
	KUNIT_ASSERT_NOT_NULL(test, a);
	pr_netns_remove(&fx->set, PR_NS_A);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, pr_netns_find(&fx->set, PR_NS_A));
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, pr_netns_get(&fx->set, PR_NS_A));
	KUNIT_EXPECT_TRUE(test, pr_ring_closed(&a->ring));
	KUNIT_ASSERT_TRUE(test, pr_ring_read(&a->ring, 0, &ev, NULL));
	KUNIT_EXPECT_EQ(test, ev.port, 7);
	pr_netns_put(a);
}

/* A waiter that only counts its wakeups. */
struct pr_wake_counter {
	struct wait_queue_entry entry;
	atomic_t wakeups;
};

static int pr_count_wakeup(struct wait_queue_entry *entry, unsigned int mode,
			   int flags, void *key)
{
	atomic_inc(&container_of(entry, struct pr_wake_counter,
				 entry)->wakeups);
	return 0;
}

/*
 * A follower of A is woken by A's events only; a follower of the host by
 * any namespace's.
 */
static void pr_netns_test_wakeups(struct kunit *test)
{
	struct pr_netns_fixture *fx = test->priv;
	struct pr_wake_counter a_waiter = { .wakeups = ATOMIC_INIT(0) };
	struct pr_wake_counter host_waiter = { .wakeups = ATOMIC_INIT(0) };
	struct pr_netns *a = pr_netns_get(&fx->set, PR_NS_A);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	init_waitqueue_func_entry(&a_waiter.entry, pr_count_wakeup);
	init_waitqueue_func_entry(&host_waiter.entry, pr_count_wakeup);
	add_wait_queue(&a->ring.wait, &a_waiter.entry);
	add_wait_queue(&fx->set.host_wait, &host_waiter.entry);
	for (i = 0; i < 20; i++)
		pr_log(test, PR_NS_B, i);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&a_waiter.wakeups), 0);
	KUNIT_EXPECT_GE(test, atomic_read(&host_waiter.wakeups), 1);
	pr_log(test, PR_NS_A, 1);
	msleep(50);
	KUNIT_EXPECT_GE(test, atomic_read(&a_waiter.wakeups), 1);
	remove_wait_queue(&a->ring.wait, &a_waiter.entry);
	remove_wait_queue(&fx->set.host_wait, &host_waiter.entry);
	pr_netns_put(a);
}

static struct kunit_case pr_netns_cases[] = {
	KUNIT_CASE(pr_netns_test_lookup),
	KUNIT_CASE(pr_netns_test_isolation),
	KUNIT_CASE(pr_netns_test_host_view),
	KUNIT_CASE(pr_netns_test_follow),
	KUNIT_CASE(pr_netns_test_lifetime),
	KUNIT_CASE(pr_netns_test_wakeups),
	{}
};

static struct kunit_suite pr_netns_suite = {
	.name = "portreg_netns",
	.init = pr_netns_test_init,
	.exit = pr_netns_test_exit,
	.test_cases = pr_netns_cases,
};

kunit_test_suite(pr_netns_suite);
