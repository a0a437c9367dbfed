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
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/user_namespace.h>
#include <net/tcp_states.h>

#include "access.h"
#include "bindfmt.h"
#include "conflict.h"

#define PR_CHILD_PIDNS	4026532999U

/* A reader in the initial namespaces. */
static const struct pr_view pr_host_view = {
	.all_netns = true,
	.user_ns = &init_user_ns,
	.pidns_level = 0,
	.pidns_inum = PROC_PID_INIT_INO,
};

/* A process of the initial pid namespace, or of a child one too. */
static void pr_task(struct pr_task_id *id, pid_t pid, pid_t tid, uid_t uid,
		    const char *comm)
{
	memset(id, 0, sizeof(*id));
	id->levels = 1;
	id->pid[0] = pid;
	id->tid[0] = tid;
	id->pidns[0] = PROC_PID_INIT_INO;
	id->uid = KUIDT_INIT(uid);
	strscpy_pad(id->comm, comm, sizeof(id->comm));
}

static void pr_task_in_child(struct pr_task_id *id, pid_t pid, pid_t tid)
{
	id->levels = 2;
	id->pid[1] = pid;
	id->tid[1] = tid;
	id->pidns[1] = PR_CHILD_PIDNS;
}

/* A line buffer of the test's own: lines are too long for the stack. */
static char *pr_line_buf(struct kunit *test)
{
	char *line = kunit_kzalloc(test, PR_RECORD_LINE_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, line);
	return line;
}

static void pr_expect_event_paths(struct kunit *test, u64 seq,
				  const struct pr_bind_event *ev,
				  const struct pr_event_paths *paths,
				  const struct pr_view *view, const char *want)
{
	char *line = pr_line_buf(test);
	size_t len;

	len = pr_format_event(line, PR_RECORD_LINE_MAX, seq, ev, paths, view);
	KUNIT_EXPECT_STREQ(test, line, want);
	KUNIT_EXPECT_EQ(test, len, strlen(want));
}

static void pr_expect_event_as(struct kunit *test, u64 seq,
			       const struct pr_bind_event *ev,
			       const struct pr_view *view, const char *want)
{
	pr_expect_event_paths(test, seq, ev, NULL, view, want);
}

static void pr_expect_event(struct kunit *test, u64 seq,
			    const struct pr_bind_event *ev, const char *want)
{
	pr_expect_event_as(test, seq, ev, &pr_host_view, want);
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
			"5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - - - -\n");
	/* A claim of a port owners expects another program on. */
	strscpy_pad(ev.expected_owner, "openssh", sizeof(ev.expected_owner));
	pr_expect_event(test, 5, &ev,
			"5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - openssh - - -\n");
}

/*
 * A release names the claimer and how and when it claimed the port; the
 * holder columns stay empty.  A claim kind that no probe records (memory
 * gone bad) prints as unrecorded, never out of the table.
 */
static void pr_fmt_event_release(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 1764000000900000000ULL,
		.netns = 4026531840U,
		.family = AF_INET6,
		.ipproto = IPPROTO_UDP,
		.kind = PR_KIND_RELEASE,
		.claim_kind = PR_KIND_AUTOBIND,
		.since_ns = 1764000000100000000ULL,
		.port = 53,
	};

	pr_task(&ev.task, 200, 201, 100, "named");
	pr_expect_event(test, 12, &ev,
			"12 1764000000900000000 4026531840 200 201 100 named release ipv6 udp :: 0 53 0 ..... - domain - - - - - - - - - 0 1764000000100000000 autobind - - - -\n");
	ev.claim_kind = PR_KIND_TIMEWAIT;
	pr_expect_event(test, 12, &ev,
			"12 1764000000900000000 4026531840 200 201 100 named release ipv6 udp :: 0 53 0 ..... - domain - - - - - - - - - 0 1764000000100000000 unrecorded - - - -\n");
}

/*
 * A connect the kernel found no port for: REQ is the port the socket had
 * bound (0 for none), PORT 0, and REMOTE where it was going.
 */
static void pr_fmt_event_connect(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 1764000000200000000ULL,
		.netns = 4026531840U,
		.family = AF_INET,
		.ipproto = IPPROTO_TCP,
		.kind = PR_KIND_CONNECT,
		.result = -EADDRNOTAVAIL,
		.peer_port = 443,
	};

	ev.addr.v4 = in_aton("10.0.0.2");
	ev.peer.v4 = in_aton("192.0.2.7");
	pr_task(&ev.task, 300, 302, 1000, "curl");
	pr_expect_event(test, 14, &ev,
			"14 1764000000200000000 4026531840 300 302 1000 curl connect ipv4 tcp 10.0.0.2 0 0 -99 ..... - - - - - - - - - - - 0 - - - - - 192.0.2.7:443\n");
	ev.family = AF_INET6;
	ev.requested_port = 49999;
	ev.opts = PR_OPT_REUSEADDR;
	ev.addr.v6 = in6addr_loopback;
	ev.peer.v6 = in6addr_loopback;
	pr_expect_event(test, 15, &ev,
			"15 1764000000200000000 4026531840 300 302 1000 curl connect ipv6 tcp ::1 49999 0 -99 ...R. - - - - - - - - - - - 0 - - - - - [::1]:443\n");
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
		.holder = {
			.status = PR_HOLDER_FOUND,
			.origin = PR_KIND_BIND,
			.why = PR_CONFLICT_REUSEPORT_UID,
			.family = AF_INET6,
			.ino = 5150,
		},
	};

	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8::1", -1, ev.addr.v6.s6_addr,
				       -1, NULL), 1);
	pr_task(&ev.task, 4001, 4003, 1000, "my app\\1");
	pr_task(&ev.holder.task, 77, 78, 33, "nginx");
	pr_expect_event(test, 18446744073709551614ULL, &ev,
			"18446744073709551614 1764000000000000001 4026532100 4001 4003 1000 my\\040app\\1341 listen ipv6 tcp 2001:db8::1 8080 0 -98 FTNRr eth0 http-alt 77 33 nginx bind :: - - 5150 reuseport-uid 0 - - - - - -\n");
}

/* TIME_WAIT: no claimer, no owner; its peer and the time it has left. */
static void pr_fmt_event_timewait(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 7,
		.netns = 4026531840U,
		.family = AF_INET,
		.ipproto = IPPROTO_TCP,
		.kind = PR_KIND_BIND,
		.requested_port = 8080,
		.result = -EADDRINUSE,
		.holder = {
			.status = PR_HOLDER_FOUND,
			.origin = PR_KIND_TIMEWAIT,
			.why = PR_CONFLICT_EXCLUSIVE,
			.family = AF_INET,
			.rport = 51334,
			.expires_ns = 41999999999ULL,
		},
	};

	ev.addr.v4 = in_aton("127.0.0.1");
	ev.holder.addr.v4 = in_aton("127.0.0.1");
	ev.holder.raddr.v4 = in_aton("10.0.0.9");
	pr_task(&ev.task, 9, 9, 0, "web");
	pr_expect_event(test, 1, &ev,
			"1 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -98 ..... - http-alt - - - timewait 127.0.0.1 10.0.0.9:51334 41999 - exclusive 0 - - - - - -\n");
	/* No holder found: the status alone. */
	memset(&ev.holder, 0, sizeof(ev.holder));
	ev.holder.status = PR_HOLDER_GONE;
	pr_expect_event(test, 2, &ev,
			"2 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -98 ..... - http-alt - - - gone - - - - - 0 - - - - - -\n");
	ev.holder.status = PR_HOLDER_TOO_MANY;
	pr_expect_event(test, 3, &ev,
			"3 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -98 ..... - http-alt - - - too-many - - - - - 0 - - - - - -\n");
}

/* A holder of no record: its owner, its inode, and how it came. */
static void pr_fmt_event_unrecorded_holder(struct kunit *test)
{
	struct pr_bind_event ev = {
		.netns = 1,
		.family = AF_INET6,
		.ipproto = IPPROTO_UDP,
		.kind = PR_KIND_BIND,
		.requested_port = 53,
		.result = -EADDRINUSE,
		.holder = {
			.status = PR_HOLDER_FOUND,
			.origin = PR_KIND_BEFORE_LOAD,
			.why = PR_CONFLICT_EXCLUSIVE,
			.family = AF_INET6,
			.ino = 99,
			.uid = KUIDT_INIT(101),
			.has_uid = true,
		},
	};

	pr_task(&ev.task, 2, 2, 0, "dns");
	pr_expect_event(test, 0, &ev,
			"0 0 1 2 2 0 dns bind ipv6 udp :: 53 0 -98 ..... - domain - 101 - before-load :: - - 99 exclusive 0 - - - - - -\n");
}

static void pr_fmt_event_lost(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 1764000000000000002ULL,
		.netns = 4026531840U,
		.kind = PR_KIND_LOST,
		.lost = 3,
	};

	pr_expect_event(test, 9, &ev,
			"9 1764000000000000002 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 3 - - - - - -\n");
}

/* Markers that name the user: over its share, or binds not followed. */
static void pr_fmt_event_lost_user(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = 1764000000000000003ULL,
		.netns = 4026531840U,
		.kind = PR_KIND_LOST,
		.lost = 250,
		.result = -EDQUOT,
		.task.uid = KUIDT_INIT(65534),
	};

	pr_expect_event(test, 10, &ev,
			"10 1764000000000000003 4026531840 - - 65534 - lost - - - 0 0 -122 ..... - - - - - - - - - - - 250 - - - - - -\n");
	ev.result = -EBUSY;
	ev.lost = 1;
	pr_expect_event(test, 11, &ev,
			"11 1764000000000000003 4026531840 - - 65534 - lost - - - 0 0 -16 ..... - - - - - - - - - - - 1 - - - - - -\n");
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
			"0 0 0 1 1 65534 \\055 autobind ipv4 udp 127.0.0.1 0 65001 -13 ..... 9 - - - - - - - - - - 0 - - - - - -\n");
	pr_task(&ev.task, 1, 1, 0, "");
	ev.ifindex = 0;
	ev.family = AF_INET6;
	memset(&ev.addr, 0, sizeof(ev.addr));
	pr_expect_event(test, 1, &ev,
			"1 0 0 1 1 0 - autobind ipv6 udp :: 0 65001 -13 ..... - - - - - - - - - - - 0 - - - - - -\n");
}

/*
 * A reader in a child pid namespace sees the ids that namespace gives a
 * process of its own, and "-" for the pid, tid and name of any other.
 */
/*
 * A bind to port 80 refused by hostd's socket: app is 3000 on the host
 * and 7 in a child pid namespace, hostd only on the host.
 */
static void pr_conflict_across_pidns(struct pr_bind_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->netns = 1;
	ev->family = AF_INET;
	ev->ipproto = IPPROTO_TCP;
	ev->kind = PR_KIND_BIND;
	ev->requested_port = 80;
	ev->result = -EADDRINUSE;
	ev->holder.status = PR_HOLDER_FOUND;
	ev->holder.origin = PR_KIND_BIND;
	ev->holder.why = PR_CONFLICT_EXCLUSIVE;
	ev->holder.family = AF_INET;
	pr_task(&ev->task, 3000, 3001, 0, "app");
	pr_task_in_child(&ev->task, 7, 8);
	pr_task(&ev->holder.task, 500, 500, 0, "hostd");
}

static void pr_fmt_event_pid_namespaces(struct kunit *test)
{
	struct pr_view child = pr_host_view;
	struct pr_bind_event ev;

	pr_conflict_across_pidns(&ev);
	child.pidns_level = 1;
	child.pidns_inum = PR_CHILD_PIDNS;
	pr_expect_event(test, 0, &ev,
			"0 0 1 3000 3001 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http 500 0 hostd bind 0.0.0.0 - - - exclusive 0 - - - - - -\n");
	pr_expect_event_as(test, 0, &ev, &child,
			   "0 0 1 7 8 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http - 0 - bind 0.0.0.0 - - - exclusive 0 - - - - - -\n");
	/* A sibling namespace at the same depth sees neither. */
	child.pidns_inum = PR_CHILD_PIDNS + 1;
	pr_expect_event_as(test, 0, &ev, &child,
			   "0 0 1 - - 0 - bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http - 0 - bind 0.0.0.0 - - - exclusive 0 - - - - - -\n");
}

static void pr_fmt_event_uid_unmapped(struct kunit *test)
{
	struct pr_view view = pr_host_view;
	struct pr_bind_event ev = { .family = AF_INET, .ipproto = IPPROTO_TCP };
	char *line = pr_line_buf(test);

	/* In the initial namespace every uid maps to itself. */
	view.user_ns = current_user_ns();
	pr_task(&ev.task, 1, 1, 123456, "x");
	pr_format_event(line, PR_RECORD_LINE_MAX, 0, &ev, NULL, &view);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " 123456 x "));
}

/* No event, however long its fields, overflows the line or loses '\n'. */
#define PR_WIDEST_REMOTE "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535"

static void pr_fmt_event_longest(struct kunit *test)
{
	struct pr_bind_event ev = {
		.time_ns = U64_MAX,
		.netns = U32_MAX,
		.family = AF_INET6,
		.ipproto = IPPROTO_SCTP,
		.kind = PR_KIND_CONNECT,	/* the one with a REMOTE */
		.peer_port = 65535,
		.requested_port = 65535,
		.port = 65535,
		.result = -MAX_ERRNO,
		.ifindex = INT_MAX,
		.holder = {
			.status = PR_HOLDER_FOUND,
			.origin = PR_KIND_TIMEWAIT,
			.why = PR_CONFLICT_REUSEPORT_UID,
			.family = AF_INET6,
			.rport = 65535,
			.ino = U64_MAX,
			.expires_ns = U64_MAX,
		},
	};
	struct pr_event_paths *paths = kunit_kzalloc(test, sizeof(*paths),
						     GFP_KERNEL);
	char *line = pr_line_buf(test), tail[96];
	size_t len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, paths);
	/* Two cgroup paths at their longest, every byte escaped. */
	memset(paths->task_buf, 0x02, PR_CGROUP_PATH_MAX - 1);
	memset(paths->holder_buf, 0xff, PR_CGROUP_PATH_MAX - 1);
	paths->task = paths->task_buf;
	paths->holder = paths->holder_buf;
	memset(&ev.addr, 0xff, sizeof(ev.addr));
	memset(&ev.holder.addr, 0xff, sizeof(ev.holder.addr));
	memset(&ev.holder.raddr, 0xff, sizeof(ev.holder.raddr));
	memset(&ev.peer, 0xff, sizeof(ev.peer));
	pr_task(&ev.task, INT_MIN, INT_MIN, U32_MAX - 1, "");
	pr_task(&ev.holder.task, INT_MIN, INT_MIN, U32_MAX - 1, "");
	memset(ev.task.comm, 0x01, sizeof(ev.task.comm) - 1);
	memset(ev.holder.task.comm, 0xff, sizeof(ev.holder.task.comm) - 1);
	memset(ev.ifname, 0x7f, sizeof(ev.ifname) - 1);
	/* Not NUL-terminated: the formatter must stop at its size. */
	memset(ev.expected_owner, 0xfe, sizeof(ev.expected_owner));
	len = pr_format_event(line, PR_RECORD_LINE_MAX, U64_MAX, &ev, paths,
			      &pr_host_view);
	KUNIT_EXPECT_LT(test, len, (size_t)PR_RECORD_LINE_MAX - 1);
	KUNIT_EXPECT_EQ(test, line[len - 1], '\n');
	KUNIT_EXPECT_EQ(test, strlen(line), len);
	KUNIT_EXPECT_NULL(test, strchr(line, '\t'));
	/* Every column is there: EXPECTED whole (15 bytes), then both paths. */
	strscpy(tail, " reuseport-uid 0 - - ", sizeof(tail));
	for (i = 0; i < TASK_COMM_LEN - 1; i++)
		strlcat(tail, "\\376", sizeof(tail));
	strlcat(tail, " \\002", sizeof(tail));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, tail));
	strscpy(tail, "\\002 \\377", sizeof(tail));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, tail));
	strscpy(tail, "\\377\\377 " PR_WIDEST_REMOTE "\n", sizeof(tail));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, tail));
	/* 511 bytes each, escaped whole: the paths fill the line's end. */
	KUNIT_EXPECT_PTR_EQ(test, strstr(line, " \\002"),
			    line + len - 1 - 2 * (1 + 4 * (PR_CGROUP_PATH_MAX - 1)) -
			    (1 + strlen(PR_WIDEST_REMOTE)));
}

/*
 * CGROUP and HCGROUP: the paths as the reader's cgroup namespace names
 * them, escaped as COMM is, and only for a process the reader may see.
 */
static void pr_fmt_event_cgroups(struct kunit *test)
{
	struct pr_event_paths *paths = kunit_kzalloc(test, sizeof(*paths),
						     GFP_KERNEL);
	struct pr_view child = pr_host_view;
	struct pr_bind_event ev;

	KUNIT_ASSERT_NOT_NULL(test, paths);
	pr_conflict_across_pidns(&ev);
	paths->task = "/system.slice/web 1.service";
	paths->holder = "/../other.slice/docker-0123.scope";
	pr_expect_event_paths(test, 0, &ev, paths, &pr_host_view,
			      "0 0 1 3000 3001 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http 500 0 hostd bind 0.0.0.0 - - - exclusive 0 - - - /system.slice/web\\0401.service /../other.slice/docker-0123.scope -\n");
	/* A reader in a child pid namespace sees neither of the host's. */
	child.pidns_level = 1;
	child.pidns_inum = PR_CHILD_PIDNS;
	pr_expect_event_paths(test, 0, &ev, paths, &child,
			      "0 0 1 7 8 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http - 0 - bind 0.0.0.0 - - - exclusive 0 - - - /system.slice/web\\0401.service - -\n");
	/* A path too long to show; a holder not named has no cgroup. */
	paths->task = "?";
	ev.holder.status = PR_HOLDER_GONE;
	pr_expect_event_paths(test, 0, &ev, paths, &pr_host_view,
			      "0 0 1 3000 3001 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http - - - gone - - - - - 0 - - - ? - -\n");
	/* No cgroup known. */
	paths->task = NULL;
	pr_expect_event_paths(test, 0, &ev, paths, &pr_host_view,
			      "0 0 1 3000 3001 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http - - - gone - - - - - 0 - - - - - -\n");
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
		.cookie = 4097,
		.state = TCP_LISTEN,
		.uid = KUIDT_INIT(1000),
		.has_uid = true,
	};
	char *line = pr_line_buf(test);

	claim.addr.v4 = in_aton("127.0.0.1");
	pr_task(&claim.task, 42, 43, 1000, "web");
	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, NULL, &pr_host_view);
	KUNIT_EXPECT_STREQ(test, line,
			   "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt listen - 4097 - -\n");

	claim.family = AF_INET6;
	claim.ipproto = IPPROTO_UDP;
	claim.kind = PR_KIND_AUTOBIND;
	claim.port = 53;
	claim.rport = 53;
	claim.opts = 0;
	claim.ifindex = 2;
	claim.state = TCP_ESTABLISHED;
	strscpy(claim.ifname, "lo", sizeof(claim.ifname));
	memset(&claim.addr, 0, sizeof(claim.addr));
	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8::53", -1, claim.raddr.v6.s6_addr,
				       -1, NULL), 1);
	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, NULL, &pr_host_view);
	KUNIT_EXPECT_STREQ(test, line,
			   "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 - -\n");

	/* The program owners expects there instead, escaped as COMM is. */
	strscpy_pad(claim.expected_owner, "my db", sizeof(claim.expected_owner));
	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, NULL, &pr_host_view);
	KUNIT_EXPECT_STREQ(test, line,
			   "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 my\\040db -\n");

	/* The claimer's cgroup, escaped. */
	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, "/a/b\\c",
			&pr_host_view);
	KUNIT_EXPECT_STREQ(test, line,
			   "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 my\\040db /a/b\\134c\n");
	/* Not for a claimer the reader cannot see: it sees no COMM either. */
	claim.task.levels = 0;
	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, "/a/b",
			&pr_host_view);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " my\\040db -\n"));
}

/* Sockets portreg did not see take their port: the socket's own facts. */
static void pr_fmt_claim_unseen(struct kunit *test)
{
	struct pr_claim_info claim = {
		.netns = 4026531840U,
		.family = AF_INET,
		.ipproto = IPPROTO_TCP,
		.kind = PR_KIND_BEFORE_LOAD,
		.port = 22,
		.ino = 777,
		.cookie = 12,
		.state = TCP_LISTEN,
		.uid = KUIDT_INIT(0),
		.has_uid = true,
	};
	char *line = pr_line_buf(test);

	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, NULL, &pr_host_view);
	KUNIT_EXPECT_STREQ(test, line,
			   "tcp ipv4 0.0.0.0 22 4026531840 - 0 - - before-load ..... - 777 ssh listen - 12 - -\n");
	claim.kind = PR_KIND_TIMEWAIT;
	claim.state = TCP_TIME_WAIT;
	claim.has_uid = false;
	claim.ino = 0;
	claim.rport = 40000;
	claim.raddr.v4 = in_aton("192.0.2.7");
	pr_format_claim(line, PR_RECORD_LINE_MAX, &claim, NULL, &pr_host_view);
	KUNIT_EXPECT_STREQ(test, line,
			   "tcp ipv4 0.0.0.0 22 4026531840 - - - - timewait ..... - - ssh time-wait 192.0.2.7:40000 12 - -\n");
}

static void pr_fmt_headers(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, PR_BINDS_HEADER,
			   "SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM HKIND HADDR HREMOTE HEXPIRE HINODE HWHY LOST SINCE CKIND EXPECTED CGROUP HCGROUP REMOTE\n");
	KUNIT_EXPECT_STREQ(test, PR_CLAIMS_HEADER,
			   "PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE STATE REMOTE COOKIE EXPECTED CGROUP\n");
}

static struct kunit_case pr_bindfmt_cases[] = {
	KUNIT_CASE(pr_fmt_event_plain),
	KUNIT_CASE(pr_fmt_event_release),
	KUNIT_CASE(pr_fmt_event_connect),
	KUNIT_CASE(pr_fmt_event_conflict),
	KUNIT_CASE(pr_fmt_event_timewait),
	KUNIT_CASE(pr_fmt_event_unrecorded_holder),
	KUNIT_CASE(pr_fmt_event_lost),
	KUNIT_CASE(pr_fmt_event_lost_user),
	KUNIT_CASE(pr_fmt_event_odd_fields),
	KUNIT_CASE(pr_fmt_event_pid_namespaces),
	KUNIT_CASE(pr_fmt_event_uid_unmapped),
	KUNIT_CASE(pr_fmt_event_longest),
	KUNIT_CASE(pr_fmt_event_cgroups),
	KUNIT_CASE(pr_fmt_claim),
	KUNIT_CASE(pr_fmt_claim_unseen),
	KUNIT_CASE(pr_fmt_headers),
	{}
};

static struct kunit_suite pr_bindfmt_suite = {
	.name = "portreg_bindfmt",
	.test_cases = pr_bindfmt_cases,
};

kunit_test_suite(pr_bindfmt_suite);
