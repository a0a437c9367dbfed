// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the claims table on its own.  Sockets are stood in for by the
 * addresses of a local array, which is all the table ever uses them as.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "claims.h"

#define PR_TEST_NETNS	4026531840U

static char pr_fake_socks[64];

static struct pr_claim_info pr_info4(u16 port, const char *addr, pid_t pid)
{
	struct pr_claim_info info;

	memset(&info, 0, sizeof(info));
	info.port = port;
	info.family = AF_INET;
	info.ipproto = IPPROTO_TCP;
	info.netns = PR_TEST_NETNS;
	info.netns_cookie = PR_TEST_NETNS;
	info.addr.v4 = in_aton(addr);
	info.task.pid = pid;
	snprintf(info.task.comm, sizeof(info.task.comm), "p%d", pid);
	return info;
}

static void pr_claims_add_and_release(struct kunit *test)
{
	struct pr_claim_info info = pr_info4(8080, "0.0.0.0", 1);
	struct pr_claims table;

	KUNIT_ASSERT_EQ(test, pr_claims_init(&table, 8), 0);
	KUNIT_EXPECT_EQ(test, pr_claims_add(&table, &pr_fake_socks[0], &info), 0);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&table), 1U);
	KUNIT_EXPECT_FALSE(test, pr_claims_release(&table, &pr_fake_socks[1]));
	KUNIT_EXPECT_TRUE(test, pr_claims_release(&table, &pr_fake_socks[0]));
	KUNIT_EXPECT_FALSE(test, pr_claims_release(&table, &pr_fake_socks[0]));
	KUNIT_EXPECT_EQ(test, pr_claims_count(&table), 0U);
	pr_claims_destroy(&table);
}

static void pr_claims_same_socket_replaces(struct kunit *test)
{
	struct pr_claim_info a = pr_info4(1000, "0.0.0.0", 1);
	struct pr_claim_info b = pr_info4(2000, "0.0.0.0", 1);
	struct pr_task_id holder;
	struct pr_claims table;

	KUNIT_ASSERT_EQ(test, pr_claims_init(&table, 8), 0);
	pr_claims_add(&table, &pr_fake_socks[0], &a);
	pr_claims_add(&table, &pr_fake_socks[0], &b);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&table), 1U);
	KUNIT_EXPECT_FALSE(test, pr_claims_holder(&table, PR_TEST_NETNS,
						  IPPROTO_TCP, 1000, AF_INET,
						  &a.addr, NULL, &holder));
	KUNIT_EXPECT_TRUE(test, pr_claims_holder(&table, PR_TEST_NETNS,
						 IPPROTO_TCP, 2000, AF_INET,
						 &b.addr, NULL, &holder));
	pr_claims_destroy(&table);
}

static void pr_claims_full_pool(struct kunit *test)
{
	struct pr_claim_info info = pr_info4(1, "0.0.0.0", 1);
	struct pr_claims table;
	int i;

	KUNIT_ASSERT_EQ(test, pr_claims_init(&table, 4), 0);
	for (i = 0; i < 4; i++) {
		info.port = 100 + i;
		KUNIT_EXPECT_EQ(test, pr_claims_add(&table, &pr_fake_socks[i],
						    &info), 0);
	}
	KUNIT_EXPECT_EQ(test, pr_claims_add(&table, &pr_fake_socks[4], &info),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, pr_claims_full(&table), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&table), 4U);

	/* A released entry is back in the pool at once: churn never fills it. */
	for (i = 0; i < 1000; i++) {
		KUNIT_ASSERT_TRUE(test, pr_claims_release(&table,
							  &pr_fake_socks[i % 2]));
		KUNIT_ASSERT_EQ(test, pr_claims_add(&table,
						    &pr_fake_socks[i % 2],
						    &info), 0);
	}
	KUNIT_EXPECT_EQ(test, pr_claims_count(&table), 4U);
	KUNIT_EXPECT_EQ(test, pr_claims_full(&table), 1ULL);
	pr_claims_destroy(&table);
}

static void pr_claims_rejects_bad_sizes(struct kunit *test)
{
	struct pr_claims table;

	KUNIT_EXPECT_EQ(test, pr_claims_init(&table, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pr_claims_init(&table, PR_CLAIMS_MAX + 1),
			-EINVAL);
}

struct pr_holder_case {
	const char *desc;
	u8 family;
	const char *addr;	/* the failed bind's address */
	u32 netns;
	pid_t want;		/* 0: no holder */
};

/*
 * Holders of 443/tcp: pid 10 on 127.0.0.1, pid 11 on 192.0.2.7, pid 12 on
 * [2001:db8::1]; and pid 13 on 0.0.0.0:443 in another netns.
 */
static const struct pr_holder_case pr_holder_cases[] = {
	{ "same address", AF_INET, "192.0.2.7", PR_TEST_NETNS, 11 },
	{ "wildcard overlaps the first", AF_INET, "0.0.0.0", PR_TEST_NETNS, 12 },
	{ "v4-mapped matches IPv4", AF_INET6, "::ffff:192.0.2.7", PR_TEST_NETNS, 11 },
	{ "IPv6 address", AF_INET6, "2001:db8::1", PR_TEST_NETNS, 12 },
	{ "no overlap falls back to any holder", AF_INET, "198.51.100.1",
	  PR_TEST_NETNS, 12 },
	{ "other netns", AF_INET, "10.0.0.1", 4026532000U, 13 },
	{ "netns with no holder", AF_INET, "10.0.0.1", 4026532999U, 0 },
};

static void pr_holder_case_desc(const struct pr_holder_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pr_holder, pr_holder_cases, pr_holder_case_desc);

static void pr_claims_holder_attribution(struct kunit *test)
{
	const struct pr_holder_case *c = test->param_value;
	struct pr_claim_info info;
	struct pr_task_id holder = {};
	struct pr_claims table;
	struct pr_addr addr = {};
	bool found;

	KUNIT_ASSERT_EQ(test, pr_claims_init(&table, 16), 0);
	info = pr_info4(443, "127.0.0.1", 10);
	pr_claims_add(&table, &pr_fake_socks[10], &info);
	info = pr_info4(443, "192.0.2.7", 11);
	pr_claims_add(&table, &pr_fake_socks[11], &info);
	info = pr_info4(443, "0.0.0.0", 12);
	info.family = AF_INET6;
	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8::1", -1, info.addr.v6.s6_addr,
				       -1, NULL), 1);
	pr_claims_add(&table, &pr_fake_socks[12], &info);
	info = pr_info4(443, "0.0.0.0", 13);
	info.netns = 4026532000U;
	info.netns_cookie = 4026532000U;
	pr_claims_add(&table, &pr_fake_socks[13], &info);
	/* Another port and another transport never answer. */
	info = pr_info4(444, "0.0.0.0", 14);
	pr_claims_add(&table, &pr_fake_socks[14], &info);
	info = pr_info4(443, "0.0.0.0", 15);
	info.ipproto = IPPROTO_UDP;
	pr_claims_add(&table, &pr_fake_socks[15], &info);

	if (c->family == AF_INET)
		addr.v4 = in_aton(c->addr);
	else
		KUNIT_ASSERT_EQ(test, in6_pton(c->addr, -1, addr.v6.s6_addr,
					       -1, NULL), 1);
	found = pr_claims_holder(&table, c->netns, IPPROTO_TCP, 443, c->family,
				 &addr, NULL, &holder);
	if (c->want == 12 && c->family == AF_INET &&
	    !strcmp(c->addr, "0.0.0.0")) {
		/* The wildcard overlaps every holder; any of them is right. */
		KUNIT_EXPECT_TRUE(test, found);
		KUNIT_EXPECT_TRUE(test, holder.pid >= 10 && holder.pid <= 12);
	} else if (c->want) {
		KUNIT_EXPECT_TRUE(test, found);
		KUNIT_EXPECT_EQ(test, holder.pid, c->want);
	} else {
		KUNIT_EXPECT_FALSE(test, found);
	}
	pr_claims_destroy(&table);
}

static void pr_claims_holder_skips_self(struct kunit *test)
{
	struct pr_claim_info info = pr_info4(80, "0.0.0.0", 20);
	struct pr_task_id holder;
	struct pr_claims table;

	KUNIT_ASSERT_EQ(test, pr_claims_init(&table, 4), 0);
	pr_claims_add(&table, &pr_fake_socks[20], &info);
	KUNIT_EXPECT_FALSE(test, pr_claims_holder(&table, PR_TEST_NETNS,
						  IPPROTO_TCP, 80, AF_INET,
						  &info.addr,
						  &pr_fake_socks[20], &holder));
	pr_claims_destroy(&table);
}

/* A walk meets every entry once, however they fall into buckets. */
static void pr_claims_walk_sees_each_once(struct kunit *test)
{
	struct pr_claims_iter it = {};
	struct pr_claims table;
	unsigned long seen[BITS_TO_LONGS(64)] = {};
	int i, n = 0;
	bool more;

	KUNIT_ASSERT_EQ(test, pr_claims_init(&table, 64), 0);
	for (i = 0; i < 64; i++) {
		struct pr_claim_info info = pr_info4(5000 + i, "0.0.0.0", i);

		KUNIT_ASSERT_EQ(test, pr_claims_add(&table, &pr_fake_socks[i],
						    &info), 0);
	}
	it.table = &table;
	for (more = pr_claims_iter_seek(&it, 0); more;
	     more = pr_claims_iter_next(&it)) {
		i = it.info.port - 5000;
		KUNIT_ASSERT_TRUE(test, i >= 0 && i < 64);
		KUNIT_EXPECT_FALSE(test, test_and_set_bit(i, seen));
		n++;
	}
	/* Seeking back and forth lands on the same entries. */
	KUNIT_EXPECT_TRUE(test, pr_claims_iter_seek(&it, 63));
	i = it.info.port;
	KUNIT_EXPECT_TRUE(test, pr_claims_iter_seek(&it, 10));
	KUNIT_EXPECT_TRUE(test, pr_claims_iter_seek(&it, 63));
	KUNIT_EXPECT_EQ(test, (int)it.info.port, i);
	KUNIT_EXPECT_FALSE(test, pr_claims_iter_seek(&it, 64));
	KUNIT_EXPECT_EQ(test, n, 64);
	pr_claims_destroy(&table);
}

static struct kunit_case pr_claims_cases[] = {
	KUNIT_CASE(pr_claims_add_and_release),
	KUNIT_CASE(pr_claims_same_socket_replaces),
	KUNIT_CASE(pr_claims_full_pool),
	KUNIT_CASE(pr_claims_rejects_bad_sizes),
	KUNIT_CASE_PARAM(pr_claims_holder_attribution, pr_holder_gen_params),
	KUNIT_CASE(pr_claims_holder_skips_self),
	KUNIT_CASE(pr_claims_walk_sees_each_once),
	{}
};

static struct kunit_suite pr_claims_suite = {
	.name = "portreg_claims",
	.test_cases = pr_claims_cases,
};

kunit_test_suite(pr_claims_suite);
