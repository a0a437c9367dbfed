// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the lines of /proc/portreg/binds and claims, pinned byte for byte.
 * These golden lines are the ABI in docs/proc-binds.md and
 * docs/proc-claims.md; a change here is a change for every parser.  The
 * SERVICE column comes from the live registry, so portreg is loaded.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "bindfmt.h"

static void pr_task(struct pr_task_id *id, pid_t pid, pid_t tid, uid_t uid,
		    const char *comm)
{
	id->pid = pid;
	id->tid = tid;
	id->uid = KUIDT_INIT(uid);
	strscpy_pad(id->comm, comm, sizeof(id->comm));
}

static void pr_expect_event(struct kunit *test, u64 seq,
			    const struct pr_bind_event *ev, const char *want)
{
	char line[PR_RECORD_LINE_MAX];
	size_t len;

	len = pr_format_event(line, sizeof(line), seq, ev, &init_user_ns);
	KUNIT_EXPECT_STREQ(test, line, want);
	KUNIT_EXPECT_EQ(test, len, strlen(want));
}

static void pr_fmt_event_plain(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 1764000000123456789ULL,
		.netns = 4026531840U,
		.family = AF_INET,
		.ipproto = IPPROTO_TCP,
		.kind = PR_KIND_BIND,
		.requested_port = 22,
		.port = 22,
		.opts = PR_OPT_REUSEADDR,
	};

	pr_task(&ev.task, 812, 812, 0, "sshd");
	pr_expect_event(test, 5, &ev,
			"5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -\n");
}

static void pr_fmt_event_conflict(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 1764000000000000001ULL,
		.netns = 4026532100U,
		.family = AF_INET6,
		.ipproto = IPPROTO_TCP,
		.kind = PR_KIND_LISTEN,
		.requested_port = 8080,
		.result = -EADDRINUSE,
		.opts = PR_OPT_FREEBIND | PR_OPT_TRANSPARENT | PR_OPT_NO_PORT |
			PR_OPT_REUSEADDR | PR_OPT_REUSEPORT,
		.ifindex = 3,
		.ifname = "eth0",
	};

	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8::1", -1, ev.addr.v6.s6_addr,
				       -1, NULL), 1);
	pr_task(&ev.task, 4001, 4003, 1000, "my app\\1");
	pr_task(&ev.holder, 77, 78, 33, "nginx");
	pr_expect_event(test, 18446744073709551614ULL, &ev,
			"18446744073709551614 1764000000000000001 4026532100 4001 4003 1000 my\\040app\\1341 listen ipv6 tcp 2001:db8::1 8080 0 -98 FTNRr eth0 http-alt 77 33 nginx\n");
}

static void pr_fmt_event_odd_fields(struct kunit *test)
{
	struct pr_bind_event ev = {
		.family = AF_INET,
		.ipproto = IPPROTO_UDP,
		.kind = PR_KIND_AUTOBIND,
		.port = 65001,
		.ifindex = 9,		/* a device gone before it was named */
		.result = -EACCES,
	};

	ev.addr.v4 = in_aton("127.0.0.1");
	pr_task(&ev.task, 1, 1, 65534, "-");
	pr_expect_event(test, 0, &ev,
			"0 0 0 1 1 65534 \\055 autobind ipv4 udp 127.0.0.1 0 65001 -13 ..... 9 - - - -\n");
	pr_task(&ev.task, 1, 1, 0, "");
	ev.ifindex = 0;
	ev.family = AF_INET6;
	memset(&ev.addr, 0, sizeof(ev.addr));
	pr_expect_event(test, 1, &ev,
			"1 0 0 1 1 0 - autobind ipv6 udp :: 0 65001 -13 ..... - - - - -\n");
}

static void pr_fmt_event_uid_unmapped(struct kunit *test)
{
	struct user_namespace *ns = current_user_ns();
	struct pr_bind_event ev = { .family = AF_INET, .ipproto = IPPROTO_TCP };
	char line[PR_RECORD_LINE_MAX];

	/* In the initial namespace every uid maps to itself. */
	pr_task(&ev.task, 1, 1, 123456, "x");
	pr_format_event(line, sizeof(line), 0, &ev, ns);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " 123456 x "));
}

/* No event, however long its fields, overflows the line or loses '\n'. */
static void pr_fmt_event_longest(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = U64_MAX,
		.netns = U32_MAX,
		.family = AF_INET6,
		.ipproto = IPPROTO_SCTP,
		.requested_port = 65535,
		.port = 65535,
		.result = -MAX_ERRNO,
		.ifindex = INT_MAX,
	};
	char line[PR_RECORD_LINE_MAX];
	size_t len;

	memset(&ev.addr, 0xff, sizeof(ev.addr));
	memset(ev.task.comm, 0x01, sizeof(ev.task.comm) - 1);
	memset(ev.holder.comm, 0xff, sizeof(ev.holder.comm) - 1);
	memset(ev.ifname, 0x7f, sizeof(ev.ifname) - 1);
	ev.task.pid = INT_MIN;
	ev.holder.pid = INT_MIN;
	len = pr_format_event(line, sizeof(line), U64_MAX, &ev, &init_user_ns);
	KUNIT_EXPECT_LT(test, len, sizeof(line) - 1);
	KUNIT_EXPECT_EQ(test, line[len - 1], '\n');
	KUNIT_EXPECT_EQ(test, strlen(line), len);
	KUNIT_EXPECT_NULL(test, strchr(line, '\t'));
}

static void pr_fmt_claim(struct kunit *test)
{
	struct pr_claim_info claim = {
		.since_ns = 1764000000000000000ULL,
		.netns = 4026531840U,
		.family = AF_INET,
		.ipproto = IPPROTO_TCP,
		.kind = PR_KIND_BIND,
		.port = 8080,
		.opts = PR_OPT_REUSEPORT,
		.ino = 12345,
	};
	char line[PR_RECORD_LINE_MAX];

	claim.addr.v4 = in_aton("127.0.0.1");
	pr_task(&claim.task, 42, 43, 1000, "web");
	pr_format_claim(line, sizeof(line), &claim, &init_user_ns);
	KUNIT_EXPECT_STREQ(test, line,
			   "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt\n");

	claim.family = AF_INET6;
	claim.ipproto = IPPROTO_UDP;
	claim.kind = PR_KIND_AUTOBIND;
	claim.port = 53;
	claim.opts = 0;
	claim.ifindex = 2;
	strscpy(claim.ifname, "lo", sizeof(claim.ifname));
	memset(&claim.addr, 0, sizeof(claim.addr));
	pr_format_claim(line, sizeof(line), &claim, &init_user_ns);
	KUNIT_EXPECT_STREQ(test, line,
			   "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain\n");
}

static void pr_fmt_headers(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, PR_BINDS_HEADER,
			   "SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM\n");
	KUNIT_EXPECT_STREQ(test, PR_CLAIMS_HEADER,
			   "PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE\n");
}

static struct kunit_case pr_bindfmt_cases[] = {
	KUNIT_CASE(pr_fmt_event_plain),
	KUNIT_CASE(pr_fmt_event_conflict),
	KUNIT_CASE(pr_fmt_event_odd_fields),
	KUNIT_CASE(pr_fmt_event_uid_unmapped),
	KUNIT_CASE(pr_fmt_event_longest),
	KUNIT_CASE(pr_fmt_claim),
	KUNIT_CASE(pr_fmt_headers),
	{}
};

static struct kunit_suite pr_bindfmt_suite = {
	.name = "portreg_bindfmt",
	.test_cases = pr_bindfmt_cases,
};

kunit_test_suite(pr_bindfmt_suite);
