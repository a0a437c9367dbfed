// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the event core with real kernel sockets.  Each case makes a
 * socket take a port with kernel_bind(), kernel_listen() or
 * kernel_connect(), wrapped in the same begin and end calls the probes
 * make, and checks the event, the claim and the counters against what the
 * socket itself says.  A socket is released through pr_track_release(),
 * as the release probes would, before it is freed.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "track.h"

#define PR_TEST_SOCKS	8

struct pr_track_fixture {
	struct pr_tracker *t;
	struct socket *socks[PR_TEST_SOCKS];
	unsigned int nsocks;
};

static int pr_track_test_init(struct kunit *test)
{
	struct pr_track_fixture *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	if (!fx)
		return -ENOMEM;
	fx->t = pr_tracker_create(64, 16);
	if (IS_ERR(fx->t))
		return PTR_ERR(fx->t);
	test->priv = fx;
	return 0;
}

static void pr_track_test_exit(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	unsigned int i;

	for (i = 0; i < fx->nsocks; i++) {
		pr_track_release(fx->t, fx->socks[i]->sk);
		sock_release(fx->socks[i]);
	}
	pr_tracker_destroy(fx->t);
}

static struct socket *pr_sock(struct kunit *test, int family, int type,
			      int ipproto)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock;
	int err;

	KUNIT_ASSERT_LT(test, fx->nsocks, PR_TEST_SOCKS);
	err = sock_create_kern(&init_net, family, type, ipproto, &sock);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "sock_create_kern");
	fx->socks[fx->nsocks++] = sock;
	return sock;
}

/* setsockopt(SOL_IP) through the socket's own ops, as from userspace. */
static int pr_setsockopt_ip(struct socket *sock, int optname, int val)
{
	return sock->ops->setsockopt(sock, SOL_IP, optname,
				     KERNEL_SOCKPTR(&val), sizeof(val));
}

/* Drops a socket early, as close() would, through the release path. */
static void pr_sock_close(struct kunit *test, struct socket *sock)
{
	struct pr_track_fixture *fx = test->priv;
	unsigned int i;

	for (i = 0; i < fx->nsocks; i++) {
		if (fx->socks[i] != sock)
			continue;
		pr_track_release(fx->t, sock->sk);
		sock_release(sock);
		fx->socks[i] = fx->socks[--fx->nsocks];
		return;
	}
	KUNIT_FAIL(test, "not a test socket");
}

/* bind(2) as the inet_bind/inet6_bind kretprobe sees it. */
static int pr_bind(struct kunit *test, struct socket *sock, int port)
{
	struct pr_track_fixture *fx = test->priv;
	struct sockaddr_storage ss = {};
	struct pr_bind_ctx ctx;
	int len, err;

	if (sock->sk->sk_family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	}
	KUNIT_ASSERT_TRUE(test, pr_track_bind_begin(&ctx, sock->sk,
						    (struct sockaddr *)&ss,
						    len));
	err = kernel_bind(sock, (struct sockaddr_unsized *)&ss, len);
	pr_track_end(fx->t, &ctx, err);
	return err;
}

static u16 pr_local_port(struct socket *sock)
{
	return inet_sk(sock->sk)->inet_num;
}

/* The newest event in the log. */
static struct pr_bind_event pr_last_event(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct pr_bind_event ev = {};
	u64 head = pr_ring_head(&fx->t->ring);

	KUNIT_ASSERT_GT(test, head, 0ULL);
	KUNIT_ASSERT_TRUE(test, pr_ring_read(&fx->t->ring, head - 1, &ev));
	return ev;
}

static unsigned int pr_claims_on(struct pr_tracker *t, u16 port)
{
	struct pr_claims_iter it = { .table = &t->claims };
	unsigned int n = 0;
	bool more;

	for (more = pr_claims_iter_seek(&it, 0); more;
	     more = pr_claims_iter_next(&it))
		n += it.info.port == port;
	return n;
}

static void pr_expect_current(struct kunit *test, const struct pr_task_id *id)
{
	KUNIT_EXPECT_EQ(test, id->pid, task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, id->tid, task_pid_nr(current));
	KUNIT_EXPECT_TRUE(test, uid_eq(id->uid, current_uid()));
	KUNIT_EXPECT_STREQ(test, id->comm, current->comm);
}

struct pr_sock_case {
	const char *desc;
	int family;
	int type;
	int ipproto;
	u16 port;	/* 0: let the kernel choose */
};

static const struct pr_sock_case pr_sock_cases[] = {
	{ "tcp4 explicit", AF_INET, SOCK_STREAM, IPPROTO_TCP, 40001 },
	{ "tcp4 port 0", AF_INET, SOCK_STREAM, IPPROTO_TCP, 0 },
	{ "udp4 explicit", AF_INET, SOCK_DGRAM, IPPROTO_UDP, 40002 },
	{ "udp4 port 0", AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0 },
	{ "tcp6 explicit", AF_INET6, SOCK_STREAM, IPPROTO_TCP, 40003 },
	{ "tcp6 port 0", AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0 },
	{ "udp6 explicit", AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 40004 },
	{ "udp6 port 0", AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0 },
	{ "sctp4 explicit", AF_INET, SOCK_STREAM, IPPROTO_SCTP, 40005 },
	{ "sctp6 explicit", AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP, 40006 },
};

static void pr_sock_case_desc(const struct pr_sock_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pr_sock, pr_sock_cases, pr_sock_case_desc);

/* A bind is logged with every field, claimed, and released on close. */
static void pr_track_bind_claim_release(struct kunit *test)
{
	const struct pr_sock_case *c = test->param_value;
	struct pr_track_fixture *fx = test->priv;
	struct pr_claims_iter it = { .table = &fx->t->claims };
	struct socket *sock = pr_sock(test, c->family, c->type, c->ipproto);
	struct pr_bind_event ev;
	u16 port;

	KUNIT_ASSERT_EQ(test, pr_bind(test, sock, c->port), 0);
	port = pr_local_port(sock);
	KUNIT_ASSERT_NE(test, port, 0);
	if (c->port)
		KUNIT_EXPECT_EQ(test, port, c->port);

	ev = pr_last_event(test);
	pr_expect_current(test, &ev.task);
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_BIND);
	KUNIT_EXPECT_EQ(test, ev.family, c->family);
	KUNIT_EXPECT_EQ(test, ev.ipproto, c->ipproto);
	KUNIT_EXPECT_EQ(test, ev.requested_port, c->port);
	KUNIT_EXPECT_EQ(test, ev.port, port);
	KUNIT_EXPECT_EQ(test, ev.result, 0);
	KUNIT_EXPECT_EQ(test, ev.netns, init_net.ns.inum);
	KUNIT_EXPECT_EQ(test, ev.netns_cookie, init_net.net_cookie);
	KUNIT_EXPECT_EQ(test, ev.ino, SOCK_INODE(sock)->i_ino);
	KUNIT_EXPECT_EQ(test, ev.holder.pid, 0);
	KUNIT_EXPECT_NE(test, ev.time_ns, 0ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EVENTS), 1ULL);

	KUNIT_EXPECT_TRUE(test, pr_claims_iter_seek(&it, 0));
	KUNIT_EXPECT_EQ(test, it.info.port, port);
	KUNIT_EXPECT_EQ(test, it.info.ino, ev.ino);
	KUNIT_EXPECT_EQ(test, it.info.since_ns, ev.time_ns);
	KUNIT_EXPECT_EQ(test, it.info.ipproto, c->ipproto);
	pr_expect_current(test, &it.info.task);

	pr_sock_close(test, sock);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&fx->t->claims), 0U);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_RELEASES), 1ULL);
}

/* The second bind of a port fails, and names the first as the holder. */
static void pr_track_conflict_names_holder(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *a = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct socket *b = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct pr_bind_event ev;

	KUNIT_ASSERT_EQ(test, pr_bind(test, a, 40010), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(a, 1), 0);
	KUNIT_EXPECT_EQ(test, pr_bind(test, b, 40010), -EADDRINUSE);
	ev = pr_last_event(test);
	KUNIT_EXPECT_EQ(test, ev.result, -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 40010);
	KUNIT_EXPECT_EQ(test, ev.port, 0);
	pr_expect_current(test, &ev.holder);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_FAILED), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS_NAMED),
			1ULL);
	/* The failed bind claims nothing. */
	KUNIT_EXPECT_EQ(test, pr_claims_on(fx->t, 40010), 1U);

	/* Once the holder is gone, the port is free and nobody is named. */
	pr_sock_close(test, a);
	KUNIT_EXPECT_EQ(test, pr_bind(test, b, 40010), 0);
	KUNIT_EXPECT_EQ(test, pr_claims_on(fx->t, 40010), 1U);
}

/* Every member of a SO_REUSEPORT group is a holder of its own. */
static void pr_track_reuseport_group(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *s[3];
	struct pr_bind_event ev;
	int i;

	for (i = 0; i < 3; i++) {
		s[i] = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		sock_set_reuseport(s[i]->sk);
		KUNIT_ASSERT_EQ(test, pr_bind(test, s[i], 40020), 0);
		ev = pr_last_event(test);
		KUNIT_EXPECT_TRUE(test, ev.opts & PR_OPT_REUSEPORT);
	}
	KUNIT_EXPECT_EQ(test, pr_claims_on(fx->t, 40020), 3U);
	pr_sock_close(test, s[1]);
	KUNIT_EXPECT_EQ(test, pr_claims_on(fx->t, 40020), 2U);
	/* Without SO_REUSEPORT a fourth socket is refused. */
	s[1] = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, pr_bind(test, s[1], 40020), -EADDRINUSE);
	ev = pr_last_event(test);
	pr_expect_current(test, &ev.holder);
}

/* listen(2) on an unbound socket: the kernel picks, portreg records. */
static void pr_track_listen_autobind(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock = pr_sock(test, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	struct pr_bind_event ev;
	struct pr_bind_ctx ctx;
	u64 head;
	int err;

	KUNIT_ASSERT_TRUE(test, pr_track_listen_begin(&ctx, sock->sk));
	err = kernel_listen(sock, 1);
	pr_track_end(fx->t, &ctx, err);
	KUNIT_ASSERT_EQ(test, err, 0);
	ev = pr_last_event(test);
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_LISTEN);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 0);
	KUNIT_EXPECT_EQ(test, ev.port, pr_local_port(sock));
	KUNIT_EXPECT_NE(test, ev.port, 0);
	KUNIT_EXPECT_EQ(test, pr_claims_on(fx->t, ev.port), 1U);

	/* listen(2) on a bound socket takes nothing new: no event. */
	sock = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, pr_bind(test, sock, 40030), 0);
	head = pr_ring_head(&fx->t->ring);
	KUNIT_ASSERT_TRUE(test, pr_track_listen_begin(&ctx, sock->sk));
	err = kernel_listen(sock, 1);
	pr_track_end(fx->t, &ctx, err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->ring), head);
}

/*
 * UDP's autobind: connect(2) on an unbound socket gets a port.  The probe
 * sits on inet_autobind(), which has no caller a module can reach, so the
 * case brackets the connect() and reports what inet_autobind() returns:
 * 0 once the socket has a port.
 */
static void pr_track_udp_autobind(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct pr_bind_event ev;
	struct pr_bind_ctx ctx;

	KUNIT_ASSERT_TRUE(test, pr_track_autobind_begin(&ctx, sock->sk));
	kernel_connect(sock, (struct sockaddr_unsized *)&dst, sizeof(dst), 0);
	KUNIT_ASSERT_NE(test, pr_local_port(sock), 0);
	pr_track_end(fx->t, &ctx, 0);
	ev = pr_last_event(test);
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_AUTOBIND);
	KUNIT_EXPECT_EQ(test, ev.port, pr_local_port(sock));
	KUNIT_EXPECT_EQ(test, pr_claims_on(fx->t, ev.port), 1U);
	/* Once bound, a later send is no autobind. */
	KUNIT_EXPECT_FALSE(test, pr_track_autobind_begin(&ctx, sock->sk));
}

/* A real EACCES: the bind runs without CAP_NET_BIND_SERVICE. */
static void pr_track_privileged_port(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	const struct cred *old;
	struct pr_bind_event ev;
	struct cred *cred;
	int err;

	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_NET_BIND_SERVICE);
	old = override_creds(cred);
	err = pr_bind(test, sock, 80);
	revert_creds(old);
	put_cred(cred);
	KUNIT_EXPECT_EQ(test, err, -EACCES);
	ev = pr_last_event(test);
	KUNIT_EXPECT_EQ(test, ev.result, -EACCES);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 80);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EACCES), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&fx->t->claims), 0U);
}

/* The options that change bind(2) are read from the socket. */
static void pr_track_options(struct kunit *test)
{
	struct socket *sock = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	struct pr_bind_event ev;

	int one = 1;

	sock_set_reuseaddr(sock->sk);
	KUNIT_ASSERT_EQ(test, pr_setsockopt_ip(sock, IP_FREEBIND, one), 0);
	KUNIT_ASSERT_EQ(test, pr_setsockopt_ip(sock, IP_BIND_ADDRESS_NO_PORT,
					       one), 0);
	KUNIT_ASSERT_EQ(test, pr_bind(test, sock, 40040), 0);
	ev = pr_last_event(test);
	KUNIT_EXPECT_EQ(test, ev.opts,
			PR_OPT_REUSEADDR | PR_OPT_FREEBIND | PR_OPT_NO_PORT);
}

/* Raw and non-inet sockets have no ports portreg names. */
static void pr_track_ignores_other_sockets(struct kunit *test)
{
	struct pr_bind_ctx ctx;
	struct socket *raw = pr_sock(test, AF_INET, SOCK_RAW, IPPROTO_TCP);
	struct socket *unix_sock = pr_sock(test, AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET };

	KUNIT_EXPECT_FALSE(test, pr_track_bind_begin(&ctx, raw->sk,
						     (void *)&sin,
						     sizeof(sin)));
	KUNIT_EXPECT_FALSE(test, pr_track_listen_begin(&ctx, unix_sock->sk));
	KUNIT_EXPECT_FALSE(test, pr_track_autobind_begin(&ctx, raw->sk));
}

/* Through the tracker, the ring wraps and counts what nobody read. */
static void pr_track_ring_wraps(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock;
	int i;

	for (i = 0; i < 100; i++) {
		sock = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		KUNIT_ASSERT_EQ(test, pr_bind(test, sock, 0), 0);
		pr_sock_close(test, sock);
	}
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->ring), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&fx->t->ring), 36ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EVENTS), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_RELEASES), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&fx->t->claims), 0U);
}

/* More ports held than the table has room for: counted, never fatal. */
static void pr_track_claims_full(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct pr_tracker *small = pr_tracker_create(64, 2);
	struct socket *s[3];
	struct pr_bind_ctx ctx;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int i, err;

	KUNIT_ASSERT_FALSE(test, IS_ERR(small));
	for (i = 0; i < 3; i++) {
		s[i] = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		KUNIT_ASSERT_TRUE(test, pr_track_bind_begin(&ctx, s[i]->sk,
							    (void *)&sin,
							    sizeof(sin)));
		err = kernel_bind(s[i], (void *)&sin, sizeof(sin));
		pr_track_end(small, &ctx, err);
		KUNIT_EXPECT_EQ(test, err, 0);
	}
	KUNIT_EXPECT_EQ(test, pr_claims_count(&small->claims), 2U);
	KUNIT_EXPECT_EQ(test, pr_claims_full(&small->claims), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&small->ring), 3ULL);
	for (i = 0; i < 3; i++)
		pr_track_release(small, s[i]->sk);
	pr_tracker_destroy(small);
	KUNIT_EXPECT_EQ(test, pr_claims_count(&fx->t->claims), 0U);
}

static struct kunit_case pr_track_cases[] = {
	KUNIT_CASE_PARAM(pr_track_bind_claim_release, pr_sock_gen_params),
	KUNIT_CASE(pr_track_conflict_names_holder),
	KUNIT_CASE(pr_track_reuseport_group),
	KUNIT_CASE(pr_track_listen_autobind),
	KUNIT_CASE(pr_track_udp_autobind),
	KUNIT_CASE(pr_track_privileged_port),
	KUNIT_CASE(pr_track_options),
	KUNIT_CASE(pr_track_ignores_other_sockets),
	KUNIT_CASE(pr_track_ring_wraps),
	KUNIT_CASE(pr_track_claims_full),
	{}
};

static struct kunit_suite pr_track_suite = {
	.name = "portreg_track",
	.init = pr_track_test_init,
	.exit = pr_track_test_exit,
	.test_cases = pr_track_cases,
};

kunit_test_suite(pr_track_suite);
