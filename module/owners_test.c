// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the expected owners on their own: each command, each way a line
 * is refused and the set left as it was, the bound on its size, the
 * escapes of a name both ways, and the check a claim meets.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "owners.h"

#define PR_OWNERS_TEST_BUF	(64 * 1024)

/* What reading /proc/portreg/owners gives now. */
static const char *pr_owners_text(struct kunit *test, struct pr_owners *o)
{
	struct seq_file m = { .size = PR_OWNERS_TEST_BUF };

	m.buf = kunit_kzalloc(test, m.size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	pr_owners_show(o, &m);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	m.buf[m.count] = '\0';
	return m.buf;
}

static int pr_owners_write(struct kunit *test, struct pr_owners *o,
			   const char *text)
{
	char *buf = kunit_kzalloc(test, strlen(text) + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, text, strlen(text));
	return pr_owners_apply(o, buf, strlen(text));
}

/* A write that must be taken. */
static void pr_owners_ok(struct kunit *test, struct pr_owners *o,
			 const char *text)
{
	KUNIT_EXPECT_EQ_MSG(test, pr_owners_write(test, o, text), 0, "%s", text);
}

static int pr_owners_test_init(struct kunit *test)
{
	struct pr_owners *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_EQ(test, pr_owners_init(o), 0);
	test->priv = o;
	return 0;
}

static void pr_owners_test_exit(struct kunit *test)
{
	pr_owners_destroy(test->priv);
}

static void pr_owners_test_expect_forget(struct kunit *test)
{
	struct pr_owners *o = test->priv;

	KUNIT_EXPECT_STREQ(test, pr_owners_text(test, o), "");
	pr_owners_ok(test, o,
		     "expect 5432/tcp postgres\n"
		     "# a comment, and a blank line\n"
		     "\n"
		     "  expect\t53/udp named  # the resolver\n"
		     "expect 53/tcp named\n");
	/* Sorted by port, then protocol, whatever the order written. */
	KUNIT_EXPECT_STREQ(test, pr_owners_text(test, o),
			   "53/tcp named\n53/udp named\n5432/tcp postgres\n");
	/* expect on a port already expected replaces its owner. */
	pr_owners_ok(test, o,
		     "expect 53/udp unbound\nforget 53/tcp\n");
	KUNIT_EXPECT_STREQ(test, pr_owners_text(test, o),
			   "53/udp unbound\n5432/tcp postgres\n");
}

/* docs/proc-owners.md's golden lines. */
static void pr_owners_test_golden(struct kunit *test)
{
	struct pr_owners *o = test->priv;

	pr_owners_ok(test, o,
		     "expect 8080/tcp my\\040app\nexpect 53/udp unbound\n"
		     "expect 5432/tcp postgres\n");
	KUNIT_EXPECT_STREQ(test, pr_owners_text(test, o),
			   "53/udp unbound\n5432/tcp postgres\n8080/tcp my\\040app\n");
}

/* Names are written with the binds file's escapes, and read back so. */
static void pr_owners_test_escapes(struct kunit *test)
{
	struct pr_owners *o = test->priv;
	char expected[TASK_COMM_LEN];

	pr_owners_ok(test, o,
		     "expect 8080/tcp my\\040app\nexpect 8081/tcp \\043x\\134\n");
	KUNIT_EXPECT_STREQ(test, pr_owners_text(test, o),
			   "8080/tcp my\\040app\n8081/tcp \\043x\\134\n");
	KUNIT_EXPECT_FALSE(test, pr_owners_unexpected(o, 8080, IPPROTO_TCP,
						      "my app", expected, -1, 0));
	KUNIT_EXPECT_TRUE(test, pr_owners_unexpected(o, 8081, IPPROTO_TCP,
						     "x", expected, -1, 0));
	KUNIT_EXPECT_STREQ(test, expected, "#x\\");
}

/* Every bad write is refused with its errno, and changes nothing. */
static void pr_owners_test_refused(struct kunit *test)
{
	static const struct {
		const char *text;
		int err;
	} cases[] = {
		{ "expect 80/tcp\n", -EINVAL },
		{ "expect 80/tcp nginx extra\n", -EINVAL },
		{ "expect 0/tcp nginx\n", -EINVAL },
		{ "expect 65536/tcp nginx\n", -EINVAL },
		{ "expect 080/tcp nginx\n", -EINVAL },
		{ "expect 80/icmp nginx\n", -EINVAL },
		{ "expect 80 nginx\n", -EINVAL },
		{ "expect /tcp nginx\n", -EINVAL },
		{ "expect 80/tcp ngi\\x\n", -EINVAL },
		{ "expect 80/tcp a\\000b\n", -EINVAL },
		{ "expect 80/tcp a\\400\n", -EINVAL },
		{ "expect 80/tcp \x01x\n", -EINVAL },
		{ "own 80/tcp nginx\n", -EINVAL },
		{ "forget 80/tcp nginx\n", -EINVAL },
		{ "expect 80/tcp 0123456789abcdef\n", -E2BIG },
		{ "forget 81/tcp\n", -ENOENT },
		{ "forget 80/udp\n", -ENOENT },
		/* A good line first: the whole write is refused. */
		{ "expect 443/tcp nginx\nexpect 80/tcp\n", -EINVAL },
		{ "forget 80/tcp\nforget 80/tcp\n", -ENOENT },
	};
	struct pr_owners *o = test->priv;
	unsigned int i;
	int err;

	pr_owners_ok(test, o,
		     "expect 80/tcp nginx\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err = pr_owners_write(test, o, cases[i].text);
		KUNIT_EXPECT_EQ_MSG(test, err, cases[i].err, "%s",
				    cases[i].text);
		KUNIT_EXPECT_STREQ_MSG(test, pr_owners_text(test, o),
				       "80/tcp nginx\n", "%s", cases[i].text);
	}
	/* Fifteen bytes, the kernel's longest name, are taken. */
	pr_owners_ok(test, o,
		     "expect 80/tcp 0123456789abcde\n");
}

/* At most PR_OWNERS_MAX expectations; the one too many changes nothing. */
static void pr_owners_test_full(struct kunit *test)
{
	struct pr_owners *o = test->priv;
	size_t size = (PR_OWNERS_MAX + 1) * 24;
	char *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	size_t len = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 1; i <= PR_OWNERS_MAX; i++)
		len += scnprintf(buf + len, size - len, "expect %u/udp d\n", i);
	KUNIT_ASSERT_EQ(test, pr_owners_apply(o, buf, len), 0);
	len = scnprintf(buf, size, "forget 1/udp\nexpect 1/tcp d\nexpect 2/tcp d\n");
	KUNIT_EXPECT_EQ(test, pr_owners_apply(o, buf, len), -ENOSPC);
	/* Still all of them, 1/udp included. */
	KUNIT_EXPECT_EQ(test, strncmp(pr_owners_text(test, o), "1/udp d\n2/udp d\n", 16), 0);
	len = scnprintf(buf, size, "forget 1/udp\nexpect 1/tcp d\n");
	KUNIT_EXPECT_EQ(test, pr_owners_apply(o, buf, len), 0);
	/* A write longer than the file takes is refused before parsing. */
	KUNIT_EXPECT_EQ(test, pr_owners_apply(o, buf, PR_OWNERS_WRITE_MAX + 1),
			-E2BIG);
}

/* The check a claim meets: only another name on an expected port. */
static void pr_owners_test_unexpected(struct kunit *test)
{
	struct pr_owners *o = test->priv;
	char expected[TASK_COMM_LEN] = "";
	struct pr_owners_set *set;
	unsigned long warned;

	pr_owners_ok(test, o,
		     "expect 5432/tcp postgres\n");
	KUNIT_EXPECT_FALSE(test, pr_owners_unexpected(o, 5432, IPPROTO_TCP,
						      "postgres", expected, -1, 0));
	KUNIT_EXPECT_FALSE(test, pr_owners_unexpected(o, 5432, IPPROTO_UDP,
						      "nc", expected, -1, 0));
	KUNIT_EXPECT_FALSE(test, pr_owners_unexpected(o, 5433, IPPROTO_TCP,
						      "nc", expected, -1, 0));
	KUNIT_EXPECT_STREQ(test, expected, "");
	/* A name that only starts like the expected one is another. */
	KUNIT_EXPECT_TRUE(test, pr_owners_unexpected(o, 5432, IPPROTO_TCP,
						     "postgresx", expected, -1, 0));
	KUNIT_EXPECT_STREQ(test, expected, "postgres");

	/* The kernel log says it once a minute a port, not per claim. */
	set = rcu_dereference_protected(o->set, true);
	KUNIT_EXPECT_EQ(test, set->entries[0].warned, 0UL);
	KUNIT_EXPECT_TRUE(test, pr_owners_unexpected(o, 5432, IPPROTO_TCP,
						     "nc", expected, 77, 1000));
	warned = set->entries[0].warned;
	KUNIT_EXPECT_NE(test, warned, 0UL);
	KUNIT_EXPECT_TRUE(test, pr_owners_unexpected(o, 5432, IPPROTO_TCP,
						     "nc", expected, 78, 1000));
	KUNIT_EXPECT_EQ(test, set->entries[0].warned, warned);
}

static struct kunit_case pr_owners_test_cases[] = {
	KUNIT_CASE(pr_owners_test_expect_forget),
	KUNIT_CASE(pr_owners_test_golden),
	KUNIT_CASE(pr_owners_test_escapes),
	KUNIT_CASE(pr_owners_test_refused),
	KUNIT_CASE(pr_owners_test_full),
	KUNIT_CASE(pr_owners_test_unexpected),
	{}
};

static struct kunit_suite pr_owners_suite = {
	.name = "portreg_owners",
	.init = pr_owners_test_init,
	.exit = pr_owners_test_exit,
	.test_cases = pr_owners_test_cases,
};

kunit_test_suite(pr_owners_suite);
