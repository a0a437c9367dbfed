// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the protocol number registry, through the exported lookups.  The
 * expected numbers are IANA's (protocol-numbers registry), checked by hand
 * against IANA's own CSV, not taken from the data under test.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "portreg.h"
#include "protocols.h"
#include "registry_data.h"

struct pr_proto_hit {
	int number;
	unsigned int calls;
	char name[32];
};

static bool pr_proto_collect(const struct portreg_protocol *proto, void *arg)
{
	struct pr_proto_hit *hit = arg;

	if (!hit->calls++) {
		hit->number = proto->number;
		strscpy(hit->name, proto->name, sizeof(hit->name));
	}
	return false;
}

static int pr_number_of(const char *name)
{
	struct pr_proto_hit hit = { .number = -1 };

	portreg_protocols_by_name(name, pr_proto_collect, &hit);
	return hit.number;
}

struct pr_proto_fact {
	const char *name;
	int number;
};

/* Names as netbase spells them, with IANA's keywords where they differ. */
static const struct pr_proto_fact pr_proto_facts[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "IGMP", 2 }, { "ipencap", 4 },
	{ "ipv4", 4 }, { "tcp", 6 }, { "TCP", 6 }, { "egp", 8 },
	{ "udp", 17 }, { "dccp", 33 }, { "ipv6", 41 }, { "gre", 47 },
	{ "esp", 50 }, { "ah", 51 }, { "ipv6-icmp", 58 }, { "eigrp", 88 },
	{ "ospf", 89 }, { "OSPFIGP", 89 }, { "pim", 103 }, { "vrrp", 112 },
	{ "l2tp", 115 }, { "sctp", 132 }, { "udplite", 136 },
	{ "mpls-in-ip", 137 }, { "ethernet", 143 },
};

static void pr_protocols_test_facts(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_proto_facts); i++)
		KUNIT_EXPECT_EQ_MSG(test, pr_number_of(pr_proto_facts[i].name),
				    pr_proto_facts[i].number, "protocol %s",
				    pr_proto_facts[i].name);
}

static void pr_protocols_test_unknown(struct kunit *test)
{
	struct pr_proto_hit hit = {};

	KUNIT_EXPECT_EQ(test, pr_number_of("no-such-protocol"), -1);
	/* Names are case-sensitive, as in protocols(5): only aliases match. */
	KUNIT_EXPECT_EQ(test, pr_number_of("Tcp"), -1);
	KUNIT_EXPECT_EQ(test, portreg_protocols_by_number(200, pr_proto_collect,
							  &hit), 0);
	/* 255 is reserved, not assigned. */
	KUNIT_EXPECT_EQ(test, portreg_protocols_by_number(255, pr_proto_collect,
							  &hit), 0);
}

static void pr_protocols_test_by_number(struct kunit *test)
{
	struct pr_proto_hit hit = {};

	KUNIT_EXPECT_EQ(test, portreg_protocols_by_number(88, pr_proto_collect,
							  &hit), 1);
	KUNIT_EXPECT_STREQ(test, hit.name, "eigrp");
	memset(&hit, 0, sizeof(hit));
	/* netbase keeps the pseudo protocol "ip" beside IANA's hopopt. */
	KUNIT_EXPECT_EQ(test, portreg_protocols_by_number(0, pr_proto_collect,
							  &hit), 2);
}

/*
 * Every assigned number and nothing else: 0-142 and 253-254 in every
 * source; 143 (RFC 8986 Ethernet) and 144 (AGGFRAG) in nmap-common's
 * 2022-08-26 list, and 143 in netbase too, though the reference CSV in
 * shared/ still shows 143-145 unassigned (docs/registry-data.md).
 */
static void pr_protocols_test_coverage(struct kunit *test)
{
	struct portreg_protocol view;
	DECLARE_BITMAP(seen, 256) = {};
	unsigned int i, last = 0;

	for (i = 0; pr_protocols_at(i, &view); i++) {
		KUNIT_EXPECT_GE(test, view.number, last);
		last = view.number;
		set_bit(view.number, seen);
		KUNIT_EXPECT_EQ(test, pr_number_of(view.name), view.number);
	}
	KUNIT_EXPECT_EQ(test, i, pr_builtin_nprotocols);
	for (i = 0; i < 256; i++)
		KUNIT_EXPECT_EQ_MSG(test, test_bit(i, seen),
				    i <= 144 || i == 253 || i == 254,
				    "protocol number %u", i);
}

static struct kunit_case pr_protocols_cases[] = {
	KUNIT_CASE(pr_protocols_test_facts),
	KUNIT_CASE(pr_protocols_test_unknown),
	KUNIT_CASE(pr_protocols_test_by_number),
	KUNIT_CASE(pr_protocols_test_coverage),
	{}
};

static struct kunit_suite pr_protocols_suite = {
	.name = "portreg_protocols",
	.test_cases = pr_protocols_cases,
};

kunit_test_suite(pr_protocols_suite);
