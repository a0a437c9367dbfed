// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-socket records on their own: found by cookie, bounded
 * by the pool, by each tenant's share and by the length of a chain, and
 * swept when the kernel's tables no longer hold their socket.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "records.h"

static struct pr_record pr_rec(u64 cookie, u32 tenant, u64 since)
{
	struct pr_record rec = {
		.cookie = cookie,
		.since_ns = since,
		.tenant = tenant,
		.port = 8000 + (cookie & 0xff),
		.kind = PR_KIND_BIND,
	};

	rec.task.levels = 1;
	rec.task.pid[0] = (pid_t)cookie;
	return rec;
}

static void pr_records_test_add_find_drop(struct kunit *test)
{
	struct pr_records r;
	struct pr_record got;

	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 16, 100), 0);
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &(struct pr_record){
		.cookie = 7, .port = 80 }), 0);
	KUNIT_EXPECT_TRUE(test, pr_records_find(&r, 7, &got));
	KUNIT_EXPECT_EQ(test, got.port, 80);
	KUNIT_EXPECT_FALSE(test, pr_records_find(&r, 8, &got));
	/* A socket's second claim replaces its first. */
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &(struct pr_record){
		.cookie = 7, .port = 81 }), 0);
	KUNIT_EXPECT_EQ(test, pr_records_count(&r), 1U);
	KUNIT_EXPECT_TRUE(test, pr_records_find(&r, 7, &got));
	KUNIT_EXPECT_EQ(test, got.port, 81);
	/* The release's event is made of the record it drops. */
	memset(&got, 0, sizeof(got));
	KUNIT_EXPECT_TRUE(test, pr_records_drop(&r, 7, &got));
	KUNIT_EXPECT_EQ(test, got.cookie, 7ULL);
	KUNIT_EXPECT_EQ(test, got.port, 81);
	KUNIT_EXPECT_FALSE(test, pr_records_drop(&r, 7, NULL));
	KUNIT_EXPECT_FALSE(test, pr_records_find(&r, 7, &got));
	KUNIT_EXPECT_EQ(test, pr_records_count(&r), 0U);
	/* Cookie 0 is "never had one": never found, never dropped. */
	KUNIT_EXPECT_FALSE(test, pr_records_find(&r, 0, &got));
	KUNIT_EXPECT_FALSE(test, pr_records_drop(&r, 0, NULL));
	pr_records_destroy(&r);
}

/* An empty pool refuses, counts it, and takes records again once freed. */
static void pr_records_test_pool(struct kunit *test)
{
	struct pr_record rec;
	struct pr_records r;
	u64 c;

	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 8, 100), 0);
	for (c = 1; c <= 8; c++) {
		rec = pr_rec(c, 0, 0);
		KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	}
	rec = pr_rec(9, 0, 0);
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic64_read(&r.full), 1LL);
	KUNIT_EXPECT_TRUE(test, pr_records_drop(&r, 3, NULL));
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	/* Churn never loses a slot. */
	for (c = 100; c < 1100; c++) {
		rec = pr_rec(c, 0, 0);
		KUNIT_ASSERT_TRUE(test, pr_records_drop(&r, c == 100 ? 9 : c - 1, NULL));
		KUNIT_ASSERT_EQ(test, pr_records_add(&r, &rec), 0);
	}
	KUNIT_EXPECT_EQ(test, pr_records_count(&r), 8U);
	pr_records_destroy(&r);
}

/*
 * Every change to the free stack moves its tag, so a pop that read the top
 * before another CPU popped and pushed back the same slot cannot succeed:
 * here the slot comes back to the top with a different tag.
 */
static void pr_records_test_free_tag(struct kunit *test)
{
	struct pr_record first = pr_rec(1, 0, 0), second = pr_rec(2, 0, 0);
	struct pr_records r;
	s64 before, after;

	/* A share of one record: the second add is refused. */
	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 4, 25), 0);
	before = atomic64_read(&r.free_top);
	KUNIT_ASSERT_EQ(test, pr_records_add(&r, &first), 0);
	KUNIT_EXPECT_NE(test, lower_32_bits(atomic64_read(&r.free_top)),
			lower_32_bits(before));
	/* Refused: its slot was taken and given back, two changes. */
	KUNIT_ASSERT_EQ(test, pr_records_add(&r, &second), -EDQUOT);
	KUNIT_ASSERT_TRUE(test, pr_records_drop(&r, 1, NULL));
	after = atomic64_read(&r.free_top);
	KUNIT_EXPECT_EQ(test, lower_32_bits(after), lower_32_bits(before));
	KUNIT_EXPECT_EQ(test, upper_32_bits(after), upper_32_bits(before) + 4);
	pr_records_destroy(&r);
}

/* One tenant stops at its share; the others keep theirs. */
static void pr_records_test_tenant_share(struct kunit *test)
{
	struct pr_record rec;
	struct pr_records r;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 100, 25), 0);
	KUNIT_EXPECT_EQ(test, r.share, 25U);
	for (i = 0; i < 25; i++) {
		rec = pr_rec(1000 + i, 1, 0);
		KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	}
	rec = pr_rec(2000, 1, 0);
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), -EDQUOT);
	KUNIT_EXPECT_EQ(test, atomic64_read(&r.quota), 1LL);
	rec = pr_rec(3000, 2, 0);
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	/* A dropped record gives its tenant the room back. */
	KUNIT_EXPECT_TRUE(test, pr_records_drop(&r, 1000, NULL));
	rec = pr_rec(2000, 1, 0);
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	/* The host's root has no share: only the pool bounds it. */
	for (i = 0; i < 60; i++) {
		rec = pr_rec(5000 + i, PR_RECORDS_HOST, 0);
		KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	}
	pr_records_destroy(&r);
}

/*
 * Tenants of each kind get their own share, the host none.  The key is
 * fixed here so that no two of them meet in one slot by chance.
 */
static void pr_records_test_tenant_slots(struct kunit *test)
{
	static const struct pr_tenant tenants[] = {
		{ .kind = PR_TENANT_USER, .id = 1000 },
		{ .kind = PR_TENANT_USER, .id = 1001 },
		{ .kind = PR_TENANT_NETNS, .id = 1000 },
		{ .kind = PR_TENANT_USERNS, .id = 1000 },
	};
	struct pr_tenant host = { .kind = PR_TENANT_HOST };
	struct pr_records r;
	unsigned int i, j;

	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 100, 25), 0);
	memset(&r.key, 0x5a, sizeof(r.key));
	KUNIT_EXPECT_EQ(test, pr_records_tenant(&r, &host), PR_RECORDS_HOST);
	for (i = 0; i < ARRAY_SIZE(tenants); i++) {
		KUNIT_EXPECT_LT(test, pr_records_tenant(&r, &tenants[i]),
				PR_RECORDS_TENANTS);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE_MSG(test,
					    pr_records_tenant(&r, &tenants[i]),
					    pr_records_tenant(&r, &tenants[j]),
					    "tenants %u and %u", i, j);
	}
	pr_records_destroy(&r);
}

/* Cookies that fall into one chain: found by trying, with the key known. */
static unsigned int pr_same_chain(struct pr_records *r, u64 *cookies,
				  unsigned int n)
{
	u32 want = 0;
	unsigned int found = 0;
	u64 c;

	for (c = 1; found < n && c < 1000000; c++)
		if (pr_records_bucket(r, c) == want)
			cookies[found++] = c;
	return found;
}

/* No chain grows past PR_RECORDS_CHAIN_MAX: every lookup is bounded. */
static void pr_records_test_chain_bound(struct kunit *test)
{
	u64 cookies[PR_RECORDS_CHAIN_MAX + 1];
	struct pr_record rec, got;
	struct pr_records r;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 64, 100), 0);
	KUNIT_ASSERT_EQ(test, pr_same_chain(&r, cookies, ARRAY_SIZE(cookies)),
			ARRAY_SIZE(cookies));
	for (i = 0; i < PR_RECORDS_CHAIN_MAX; i++) {
		rec = pr_rec(cookies[i], 0, 0);
		KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), 0);
	}
	rec = pr_rec(cookies[i], 0, 0);
	KUNIT_EXPECT_EQ(test, pr_records_add(&r, &rec), -EBUSY);
	KUNIT_EXPECT_EQ(test, atomic64_read(&r.chain), 1LL);
	KUNIT_EXPECT_EQ(test, pr_records_count(&r), PR_RECORDS_CHAIN_MAX);
	for (i = 0; i < PR_RECORDS_CHAIN_MAX; i++)
		KUNIT_EXPECT_TRUE(test, pr_records_find(&r, cookies[i], &got));
	pr_records_destroy(&r);
}

/*
 * A sweep keeps what was marked and what was added after it began, even
 * with a timestamp from before (the realtime clock may have been set
 * back).
 */
static void pr_records_test_sweep(struct kunit *test)
{
	struct pr_record rec, got;
	struct pr_records r;
	u64 c;

	KUNIT_ASSERT_EQ(test, pr_records_init(&r, 32, 100), 0);
	for (c = 1; c <= 10; c++) {
		rec = pr_rec(c, 0, 100);
		KUNIT_ASSERT_EQ(test, pr_records_add(&r, &rec), 0);
	}
	pr_records_sweep_begin(&r);
	rec = pr_rec(11, 0, 50);
	KUNIT_ASSERT_EQ(test, pr_records_add(&r, &rec), 0);
	for (c = 1; c <= 10; c += 2)
		pr_records_mark(&r, c);
	KUNIT_EXPECT_EQ(test, pr_records_sweep_end(&r), 5U);
	for (c = 1; c <= 10; c++)
		KUNIT_EXPECT_EQ(test, pr_records_find(&r, c, &got), c % 2 == 1);
	KUNIT_EXPECT_TRUE(test, pr_records_find(&r, 11, &got));
	KUNIT_EXPECT_EQ(test, pr_records_count(&r), 6U);

	/* The next sweep finds 11 unmarked and takes it. */
	pr_records_sweep_begin(&r);
	for (c = 1; c <= 10; c += 2)
		pr_records_mark(&r, c);
	KUNIT_EXPECT_EQ(test, pr_records_sweep_end(&r), 1U);
	KUNIT_EXPECT_FALSE(test, pr_records_find(&r, 11, &got));
	pr_records_destroy(&r);
}

static void pr_records_test_bad_init(struct kunit *test)
{
	struct pr_records r;

	KUNIT_EXPECT_EQ(test, pr_records_init(&r, 0, 25), -EINVAL);
	KUNIT_EXPECT_EQ(test, pr_records_init(&r, PR_RECORDS_MAX + 1, 25),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pr_records_init(&r, 8, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pr_records_init(&r, 8, 101), -EINVAL);
}

static struct kunit_case pr_records_test_cases[] = {
	KUNIT_CASE(pr_records_test_add_find_drop),
	KUNIT_CASE(pr_records_test_pool),
	KUNIT_CASE(pr_records_test_free_tag),
	KUNIT_CASE(pr_records_test_tenant_share),
	KUNIT_CASE(pr_records_test_tenant_slots),
	KUNIT_CASE(pr_records_test_chain_bound),
	KUNIT_CASE(pr_records_test_sweep),
	KUNIT_CASE(pr_records_test_bad_init),
	{}
};

static struct kunit_suite pr_records_suite = {
	.name = "portreg_records",
	.test_cases = pr_records_test_cases,
};

kunit_test_suite(pr_records_suite);
