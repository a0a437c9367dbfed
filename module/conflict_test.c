// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the kernel's bind-conflict rules as conflict.c restates them,
 * table-driven.  The VM's bindtest checks the same answers against the
 * kernel's own refusals.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <net/transp_v6.h>

#include "conflict.h"

/* A socket, compactly: its address as text, and its options. */
struct pr_sock_spec {
	const char *addr;	/* "0.0.0.0", "::", "::ffff:1.2.3.4", ... */
	unsigned int uid;
	int dev;
	bool listening, timewait, reuse, reuseport, v6only;
};

struct pr_conflict_case {
	const char *desc;
	bool udp;
	struct pr_sock_spec req, held;
	enum pr_conflict want;
};

static void pr_spec_key(struct kunit *test, const struct pr_sock_spec *s,
			struct pr_bindkey *key)
{
	memset(key, 0, sizeof(*key));
	if (strchr(s->addr, ':')) {
		KUNIT_ASSERT_EQ(test, in6_pton(s->addr, -1, key->v6.s6_addr,
					       -1, NULL), 1);
		key->family = AF_INET6;
		/* The IPv4 view __inet6_bind() would give it. */
		if (ipv6_addr_v4mapped(&key->v6))
			key->v4 = key->v6.s6_addr32[3];
		else if (!ipv6_addr_any(&key->v6))
			key->v4 = LOOPBACK4_IPV6;
	} else {
		key->v4 = in_aton(s->addr);
		key->family = AF_INET;
	}
	key->uid = KUIDT_INIT(s->uid);
	key->bound_dev_if = s->dev;
	key->listening = s->listening;
	key->timewait = s->timewait;
	key->reuse = s->reuse;
	key->reuseport = s->reuseport;
	key->v6only = s->v6only;
}

#define ANY4	"0.0.0.0"
#define LO4	"127.0.0.1"
#define ANY6	"::"
#define LO6	"::1"

static const struct pr_conflict_case pr_conflict_cases[] = {
	{ "tcp: wildcard against an address, no options",
	  false, { ANY4 }, { LO4 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: two addresses never meet",
	  false, { LO4 }, { "127.0.0.2" }, PR_CONFLICT_NONE },
	{ "tcp: SO_REUSEADDR on both, holder only bound",
	  false, { LO4, .reuse = true }, { ANY4, .reuse = true },
	  PR_CONFLICT_NONE },
	{ "tcp: SO_REUSEADDR on both, holder listens",
	  false, { LO4, .reuse = true }, { ANY4, .reuse = true, .listening = true },
	  PR_CONFLICT_LISTENER },
	{ "tcp: SO_REUSEADDR on the asker only",
	  false, { LO4, .reuse = true }, { ANY4 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: SO_REUSEPORT, same owner",
	  false, { ANY4, .uid = 1000, .reuseport = true },
	  { ANY4, .uid = 1000, .reuseport = true, .listening = true },
	  PR_CONFLICT_NONE },
	{ "tcp: SO_REUSEPORT, other owner",
	  false, { ANY4, .uid = 1000, .reuseport = true },
	  { ANY4, .uid = 1001, .reuseport = true, .listening = true },
	  PR_CONFLICT_REUSEPORT_UID },
	{ "tcp: TIME_WAIT, no options",
	  false, { ANY4 }, { LO4, .timewait = true }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: TIME_WAIT, SO_REUSEADDR on both",
	  false, { ANY4, .reuse = true }, { LO4, .timewait = true, .reuse = true },
	  PR_CONFLICT_NONE },
	{ "tcp: TIME_WAIT of another owner, SO_REUSEPORT on both",
	  false, { ANY4, .uid = 1000, .reuseport = true },
	  { LO4, .timewait = true, .reuseport = true, .uid = 7 },
	  PR_CONFLICT_NONE },
	{ "tcp: two devices",
	  false, { ANY4, .dev = 2 }, { ANY4, .dev = 3 }, PR_CONFLICT_NONE },
	{ "tcp: a device against none",
	  false, { ANY4, .dev = 2 }, { ANY4 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: IPv6 wildcard holds the IPv4 port",
	  false, { LO4 }, { ANY6 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: IPv6 wildcard with IPV6_V6ONLY does not",
	  false, { LO4 }, { ANY6, .v6only = true }, PR_CONFLICT_NONE },
	{ "tcp: IPv6 wildcard asked while IPv4's is held",
	  false, { ANY6 }, { ANY4 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: IPv6 wildcard with IPV6_V6ONLY asked while IPv4's is held",
	  false, { ANY6, .v6only = true }, { ANY4 }, PR_CONFLICT_NONE },
	{ "tcp: two IPv6 addresses never meet",
	  false, { LO6 }, { "fe80::1" }, PR_CONFLICT_NONE },
	{ "tcp: the same IPv6 address",
	  false, { LO6 }, { LO6 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: v4-mapped IPv6 against its IPv4 address",
	  false, { "::ffff:127.0.0.1" }, { LO4 }, PR_CONFLICT_EXCLUSIVE },
	{ "tcp: v4-mapped IPv6 against IPv4's wildcard",
	  false, { "::ffff:127.0.0.1" }, { ANY4 }, PR_CONFLICT_EXCLUSIVE },
	{ "udp: no options",
	  true, { LO4 }, { ANY4 }, PR_CONFLICT_EXCLUSIVE },
	{ "udp: SO_REUSEADDR on both",
	  true, { LO4, .reuse = true }, { ANY4, .reuse = true }, PR_CONFLICT_NONE },
	{ "udp: SO_REUSEPORT, same owner",
	  true, { LO4, .reuseport = true }, { LO4, .reuseport = true },
	  PR_CONFLICT_NONE },
	{ "udp: SO_REUSEPORT, other owner",
	  true, { LO4, .uid = 1, .reuseport = true },
	  { LO4, .uid = 2, .reuseport = true }, PR_CONFLICT_REUSEPORT_UID },
	{ "udp: two devices",
	  true, { LO4, .dev = 2 }, { LO4, .dev = 3 }, PR_CONFLICT_NONE },
};

static void pr_conflict_case_desc(const struct pr_conflict_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pr_conflict, pr_conflict_cases, pr_conflict_case_desc);

static void pr_conflict_test_rules(struct kunit *test)
{
	const struct pr_conflict_case *c = test->param_value;
	struct pr_bindkey req, held;
	enum pr_conflict got;

	pr_spec_key(test, &c->req, &req);
	pr_spec_key(test, &c->held, &held);
	got = c->udp ? pr_conflict_udp(&req, &held) :
		       pr_conflict_tcp(&req, &held);
	KUNIT_EXPECT_EQ(test, got, c->want);
}

static struct kunit_case pr_conflict_test_cases[] = {
	KUNIT_CASE_PARAM(pr_conflict_test_rules, pr_conflict_gen_params),
	{}
};

static struct kunit_suite pr_conflict_suite = {
	.name = "portreg_conflict",
	.test_cases = pr_conflict_test_cases,
};

kunit_test_suite(pr_conflict_suite);
