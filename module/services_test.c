// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the service table.  Every case works on a private table, so the
 * live one under /proc is never touched, and the tests can run in any
 * order.  The data-integrity case walks every built-in record and finds it
 * again through both indexes, which also proves that the generator's hash
 * functions match the kernel's.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"
#include "limits.h"
#include "registry_data.h"
#include "services.h"

#define PR_TEST_MAX_USER	4

static bool pr_name_ok(const char *name)
{
	return pr_name_valid(name, strlen(name));
}

static int pr_services_test_init(struct kunit *test)
{
	struct pr_services *table = pr_services_create(PR_TEST_MAX_USER);

	if (!table)
		return -ENOMEM;
	test->priv = table;
	return 0;
}

static void pr_services_test_exit(struct kunit *test)
{
	pr_services_destroy(test->priv);
}

static int pr_apply(struct kunit *test, const char *text)
{
	size_t len = strlen(text);
	char *buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf, text, len);
	return pr_services_apply(test->priv, buf, len);
}

/* Collects what a lookup reports, as "name port/proto" strings. */
struct pr_hits {
	unsigned int n;
	char seen[4][48];
};

static bool pr_collect(const struct portreg_service *svc, void *arg)
{
	struct pr_hits *hits = arg;

	if (hits->n < ARRAY_SIZE(hits->seen))
		snprintf(hits->seen[hits->n], sizeof(hits->seen[0]), "%s %u/%u",
			 svc->name, svc->port, svc->ipproto);
	hits->n++;
	return false;
}

static bool pr_hits_have(const struct pr_hits *hits, const char *what)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, hits->n, ARRAY_SIZE(hits->seen)); i++) {
		if (!strcmp(hits->seen[i], what))
			return true;
	}
	return false;
}

static int pr_by_port(struct kunit *test, u16 port, int proto,
		      struct pr_hits *hits)
{
	memset(hits, 0, sizeof(*hits));
	return pr_services_by_port(test->priv, port, proto, pr_collect, hits);
}

static int pr_by_name(struct kunit *test, const char *name, int proto,
		      struct pr_hits *hits)
{
	memset(hits, 0, sizeof(*hits));
	return pr_services_by_name(test->priv, name, proto, pr_collect, hits);
}

static void pr_services_test_builtin_facts(struct kunit *test)
{
	struct pr_hits hits;

	KUNIT_EXPECT_EQ(test, pr_by_port(test, 22, PR_PROTO_TCP, &hits), 1);
	KUNIT_EXPECT_TRUE(test, pr_hits_have(&hits, "ssh 22/6"));

	/* IANA gives 465/tcp two names; both must be there. */
	KUNIT_EXPECT_GE(test, pr_by_port(test, 465, PR_PROTO_TCP, &hits), 2);
	KUNIT_EXPECT_TRUE(test, pr_hits_have(&hits, "urd 465/6"));
	KUNIT_EXPECT_TRUE(test, pr_hits_have(&hits, "submissions 465/6"));

	/* netbase's alias: www finds http's port. */
	KUNIT_EXPECT_GE(test, pr_by_name(test, "www", PR_PROTO_TCP, &hits), 1);
	KUNIT_EXPECT_TRUE(test, pr_hits_have(&hits, "http 80/6"));

	/* The registered range is compiled in too. */
	KUNIT_EXPECT_GE(test, pr_by_port(test, 5432, PR_PROTO_TCP, &hits), 1);
	KUNIT_EXPECT_TRUE(test, pr_hits_have(&hits, "postgresql 5432/6"));

	KUNIT_EXPECT_EQ(test, pr_by_name(test, "no-such-service", PR_PROTO_ANY,
					 &hits), 0);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 65000, PR_PROTO_ANY, &hits), 0);
}

static void pr_services_test_any_proto(struct kunit *test)
{
	struct pr_hits hits;

	/* domain is on tcp and udp; ANY finds both, in protocol order. */
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "domain", PR_PROTO_ANY, &hits), 2);
	KUNIT_EXPECT_STREQ(test, hits.seen[0], "domain 53/6");
	KUNIT_EXPECT_STREQ(test, hits.seen[1], "domain 53/17");
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "domain", PR_PROTO_SCTP, &hits),
			0);
}

static void pr_services_test_add_lookup_del(struct kunit *test)
{
	const char *add = "add kunit-svc 65001/udp kalias kother # test entry";
	struct pr_hits hits;

	KUNIT_ASSERT_EQ(test, pr_apply(test, add), 0);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 1);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 65001, PR_PROTO_UDP, &hits), 1);
	KUNIT_EXPECT_TRUE(test, pr_hits_have(&hits, "kunit-svc 65001/17"));
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 65001, PR_PROTO_TCP, &hits), 0);
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "kalias", PR_PROTO_ANY, &hits), 1);
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "kother", PR_PROTO_UDP, &hits), 1);

	KUNIT_EXPECT_EQ(test, pr_apply(test, "del kunit-svc 65001/udp"), 0);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 0);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 65001, PR_PROTO_ANY, &hits), 0);
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "kalias", PR_PROTO_ANY, &hits), 0);
}

/* A user entry beside a built-in one on the same port: both are found. */
static void pr_services_test_add_beside_builtin(struct kunit *test)
{
	struct pr_hits hits;

	KUNIT_ASSERT_EQ(test, pr_apply(test, "add my-ssh 22/tcp"), 0);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 22, PR_PROTO_TCP, &hits), 2);
	KUNIT_EXPECT_STREQ(test, hits.seen[0], "ssh 22/6");
	KUNIT_EXPECT_STREQ(test, hits.seen[1], "my-ssh 22/6");
}

static void pr_services_test_del_builtin(struct kunit *test)
{
	struct pr_hits hits;

	KUNIT_ASSERT_EQ(test, pr_apply(test, "del ssh 22/tcp"), 0);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 22, PR_PROTO_TCP, &hits), 0);
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "ssh", PR_PROTO_ANY, &hits), 2);
	KUNIT_EXPECT_EQ(test, pr_apply(test, "del ssh 22/tcp"), -ENOENT);
	/* Deleting a built-in record does not use up the runtime quota. */
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 0);

	KUNIT_ASSERT_EQ(test, pr_apply(test, "add ssh 22/tcp secure-shell"), 0);
	KUNIT_EXPECT_EQ(test, pr_by_name(test, "secure-shell", PR_PROTO_TCP,
					 &hits), 1);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 1);
}

static void pr_services_test_errors(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pr_apply(test, "add ssh 22/tcp"), -EEXIST);
	KUNIT_EXPECT_EQ(test, pr_apply(test, "del nosuch 22/tcp"), -ENOENT);
	/* An alias is not an entry's name: del wants the primary name. */
	KUNIT_EXPECT_EQ(test, pr_apply(test, "del kerberos5 88/tcp"), -ENOENT);
	KUNIT_EXPECT_EQ(test, pr_apply(test, "add k 1/tcp\nadd k 1/tcp"),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 0);
}

/* A failing line anywhere in a write leaves the table as it was. */
static void pr_services_test_batch_atomic(struct kunit *test)
{
	const char *fails_last = "add ka 65010/tcp\nadd kb 65011/tcp\n"
				 "del ssh 22/tcp\nadd ssh 22/udp\n";
	const char *readds = "# comment\n\nadd ka 65010/tcp\n\t\n"
			     "del ka 65010/tcp\nadd ka 65010/tcp # again";
	struct pr_hits hits;

	KUNIT_EXPECT_EQ(test, pr_apply(test, fails_last), -EEXIST);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 0);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 65010, PR_PROTO_ANY, &hits), 0);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 22, PR_PROTO_TCP, &hits), 1);

	KUNIT_EXPECT_EQ(test, pr_apply(test, "add ka 65010/tcp\nadd kb 65011/bad\n"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 0);

	KUNIT_EXPECT_EQ(test, pr_apply(test, readds), 0);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 1);
	KUNIT_EXPECT_EQ(test, pr_by_port(test, 65010, PR_PROTO_TCP, &hits), 1);
}

static void pr_services_test_capacity(struct kunit *test)
{
	const char *four = "add k1 65001/tcp\nadd k2 65002/tcp\n"
			   "add k3 65003/tcp\nadd k4 65004/tcp";
	const char *five = "add k1 65001/tcp\nadd k2 65002/tcp\n"
			   "add k3 65003/tcp\nadd k4 65004/tcp\nadd k5 65005/tcp";
	KUNIT_EXPECT_EQ(test, pr_apply(test, five), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), 0);
	KUNIT_ASSERT_EQ(test, pr_apply(test, four), 0);
	KUNIT_EXPECT_EQ(test, pr_apply(test, "add k5 65005/tcp"), -ENOSPC);
	/* Room freed earlier in the same write counts. */
	KUNIT_EXPECT_EQ(test, pr_apply(test, "del k1 65001/tcp\nadd k5 65005/tcp"),
			0);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(test->priv), PR_TEST_MAX_USER);
}

static void pr_services_test_write_too_big(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PR_WRITE_MAX + 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memset(buf, '\n', PR_WRITE_MAX + 1);
	KUNIT_EXPECT_EQ(test, pr_services_apply(test->priv, buf, PR_WRITE_MAX + 1),
			-E2BIG);
	/* The largest write is fine: newlines only, nothing to do. */
	memset(buf, '\n', PR_WRITE_MAX);
	KUNIT_EXPECT_EQ(test, pr_services_apply(test->priv, buf, PR_WRITE_MAX), 0);
}

/*
 * The densest legal write: every distinct 11-byte command ("add a 1/tcp"),
 * which is the most commands a write can carry per byte.
 */
static void pr_services_test_dense_write(struct kunit *test)
{
	static const char letters[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	struct pr_services *big = pr_services_create(PR_WRITE_MAX);
	char *buf = kunit_kzalloc(test, PR_WRITE_MAX + 1, GFP_KERNEL);
	unsigned int n = 0, l, port;
	size_t len = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, big);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (l = 0; l < sizeof(letters) - 1; l++) {
		for (port = 1; port <= 9; port++) {
			len += sprintf(buf + len, "add %c %u/tcp\nadd %c %u/udp\n",
				       letters[l], port, letters[l], port);
			n += 2;
		}
	}
	KUNIT_ASSERT_LE(test, len, PR_WRITE_MAX);
	KUNIT_EXPECT_EQ(test, pr_services_apply(big, buf, len), 0);
	KUNIT_EXPECT_EQ(test, pr_services_user_count(big), n);
	pr_services_destroy(big);
}

static void pr_services_test_iter(struct kunit *test)
{
	const char *batch = "add kunit-a 65020/tcp\nadd kunit-b 65021/udp\n"
			    "del tcpmux 1/tcp";
	struct pr_services_iter it = { .table = test->priv };
	unsigned int n = 0, user = 0;
	loff_t last = -1;
	bool more;

	KUNIT_ASSERT_EQ(test, pr_apply(test, batch), 0);
	rcu_read_lock();
	for (more = pr_services_iter_seek(&it, 0); more;
	     more = pr_services_iter_next(&it)) {
		KUNIT_EXPECT_GT(test, it.pos, last);
		last = it.pos;
		if (n == 0)
			KUNIT_EXPECT_STREQ(test, it.view.name, "tcpmux");
		if (n == 0)
			KUNIT_EXPECT_EQ(test, it.view.ipproto, IPPROTO_UDP);
		user += it.view.port >= 65020;
		n++;
	}
	/* Seeking into the runtime part lands on the entry at that position. */
	KUNIT_EXPECT_TRUE(test, pr_services_iter_seek(&it, pr_builtin_nservices + 1));
	KUNIT_EXPECT_STREQ(test, it.view.name, "kunit-b");
	KUNIT_EXPECT_FALSE(test, pr_services_iter_seek(&it, pr_builtin_nservices + 2));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, n, pr_builtin_nservices - 1 + 2);
	KUNIT_EXPECT_EQ(test, user, 2);
}

struct pr_find_ctx {
	const struct portreg_service *want;
	bool found;
};

static bool pr_find_same(const struct portreg_service *svc, void *arg)
{
	struct pr_find_ctx *ctx = arg;

	ctx->found = svc->port == ctx->want->port &&
		     svc->ipproto == ctx->want->ipproto &&
		     !strcmp(svc->name, ctx->want->name);
	return ctx->found;
}

/*
 * Every built-in record is reachable by its port and by each of its names,
 * and the records are in port order with valid text.
 */
static void pr_services_test_data_integrity(struct kunit *test)
{
	struct pr_services_iter it = { .table = test->priv };
	unsigned int n = 0, bad_port = 0, bad_name = 0, bad_order = 0;
	u32 last_key = 0;
	bool more;

	rcu_read_lock();
	for (more = pr_services_iter_seek(&it, 0); more;
	     more = pr_services_iter_next(&it)) {
		struct pr_find_ctx ctx = { .want = &it.view };
		int proto = pr_proto_from_ipproto(it.view.ipproto);
		u32 key = ((u32)it.view.port << 2) | proto;
		unsigned int i;

		bad_order += key < last_key;
		last_key = key;
		pr_services_by_port(test->priv, it.view.port, proto,
				    pr_find_same, &ctx);
		bad_port += !ctx.found;
		ctx.found = false;
		pr_services_by_name(test->priv, it.view.name, proto,
				    pr_find_same, &ctx);
		bad_name += !ctx.found;
		for (i = 0; i < it.view.naliases; i++) {
			ctx.found = false;
			pr_services_by_name(test->priv, it.view.aliases[i],
					    proto, pr_find_same, &ctx);
			bad_name += !ctx.found;
			KUNIT_EXPECT_TRUE(test, pr_name_ok(it.view.aliases[i]));
		}
		KUNIT_EXPECT_TRUE(test, pr_name_ok(it.view.name));
		KUNIT_EXPECT_LE(test, strlen(it.view.description), PR_DESC_MAX);
		n++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, n, pr_builtin_nservices);
	KUNIT_EXPECT_EQ(test, bad_port, 0);
	KUNIT_EXPECT_EQ(test, bad_name, 0);
	KUNIT_EXPECT_EQ(test, bad_order, 0);
	/* IANA has assigned more than 1,000 well-known port/proto pairs. */
	KUNIT_EXPECT_GT(test, n, 1000);
}

static struct kunit_case pr_services_cases[] = {
	KUNIT_CASE(pr_services_test_builtin_facts),
	KUNIT_CASE(pr_services_test_any_proto),
	KUNIT_CASE(pr_services_test_add_lookup_del),
	KUNIT_CASE(pr_services_test_add_beside_builtin),
	KUNIT_CASE(pr_services_test_del_builtin),
	KUNIT_CASE(pr_services_test_errors),
	KUNIT_CASE(pr_services_test_batch_atomic),
	KUNIT_CASE(pr_services_test_capacity),
	KUNIT_CASE(pr_services_test_write_too_big),
	KUNIT_CASE(pr_services_test_dense_write),
	KUNIT_CASE(pr_services_test_iter),
	KUNIT_CASE(pr_services_test_data_integrity),
	{}
};

static struct kunit_suite pr_services_suite = {
	.name = "portreg_services",
	.init = pr_services_test_init,
	.exit = pr_services_test_exit,
	.test_cases = pr_services_cases,
};

kunit_test_suite(pr_services_suite);
