// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the event core with real sockets.  Each case makes a socket take
 * a port with kernel_bind(), kernel_listen() or kernel_connect(), wrapped
 * in the same begin and end calls the probes make, and checks the event,
 * the claim the kernel's tables give it (ktables.c) and the counters
 * against what the socket itself says.  A socket is released through
 * pr_track_release(), as the release probes would, before it is freed;
 * one case leaves that out on purpose, as a missed probe would.
 *
 * The sockets are made with sock_create(), as a process's are, except
 * where a case wants a kernel socket.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktables.h"
#include "sweep.h"
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
	fx->t = pr_tracker_create(64, 64, 16, 100);
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

static struct socket *pr_sock_of(struct kunit *test, int family, int type,
				 int ipproto, bool kern)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock;
	int err;

	KUNIT_ASSERT_LT(test, fx->nsocks, PR_TEST_SOCKS);
	err = kern ? sock_create_kern(&init_net, family, type, ipproto, &sock) :
		     sock_create(family, type, ipproto, &sock);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "sock_create");
	fx->socks[fx->nsocks++] = sock;
	return sock;
}

static struct socket *pr_sock(struct kunit *test, int family, int type,
			      int ipproto)
{
	return pr_sock_of(test, family, type, ipproto, false);
}

/* Forgets a test socket without releasing it (it is handed on). */
static void pr_sock_forget(struct kunit *test, struct socket *sock)
{
	struct pr_track_fixture *fx = test->priv;
	unsigned int i;

	for (i = 0; i < fx->nsocks; i++) {
		if (fx->socks[i] == sock) {
			fx->socks[i] = fx->socks[--fx->nsocks];
			return;
		}
	}
	KUNIT_FAIL(test, "not a test socket");
}

/* Drops a socket early, as close() would, through the release path. */
static void pr_sock_close(struct kunit *test, struct socket *sock)
{
	struct pr_track_fixture *fx = test->priv;

	pr_sock_forget(test, sock);
	pr_track_release(fx->t, sock->sk);
	sock_release(sock);
}

/* setsockopt(SOL_IP) through the socket's own ops, as from userspace. */
static int pr_setsockopt_ip(struct socket *sock, int optname, int val)
{
	return sock->ops->setsockopt(sock, SOL_IP, optname,
				     KERNEL_SOCKPTR(&val), sizeof(val));
}

static int pr_addr_len(int family, struct sockaddr_storage *ss, u16 port,
		       bool loopback)
{
	struct sockaddr_in6 *sin6;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (loopback)
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*sin);
	}
	sin6 = (void *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	if (loopback)
		sin6->sin6_addr = in6addr_loopback;
	return sizeof(*sin6);
}

/* bind(2) as the __inet_bind/__inet6_bind kretprobe sees it. */
static int pr_bind_at(struct kunit *test, struct socket *sock, int port,
		      bool loopback)
{
	struct pr_track_fixture *fx = test->priv;
	struct sockaddr_storage ss;
	struct pr_bind_ctx ctx;
	int len, err;

	len = pr_addr_len(sock->sk->sk_family, &ss, port, loopback);
	KUNIT_ASSERT_TRUE(test, pr_track_bind_begin(&ctx, sock->sk,
						    (struct sockaddr *)&ss,
						    len));
	err = kernel_bind(sock, (struct sockaddr_unsized *)&ss, len);
	pr_track_end(fx->t, &ctx, err);
	return err;
}

static int pr_bind(struct kunit *test, struct socket *sock, int port)
{
	return pr_bind_at(test, sock, port, false);
}

/* listen(2) as the inet_csk_listen_start kretprobe sees it. */
static int pr_listen(struct kunit *test, struct socket *sock)
{
	struct pr_track_fixture *fx = test->priv;
	struct pr_bind_ctx ctx;
	int err;

	if (!pr_track_listen_begin(&ctx, sock->sk))
		return kernel_listen(sock, 8);
	err = kernel_listen(sock, 8);
	pr_track_end(fx->t, &ctx, err);
	return err;
}

static u16 pr_local_port(struct socket *sock)
{
	return inet_sk(sock->sk)->inet_num;
}

/* The newest event in the log, into @ev. */
static void pr_last_event(struct kunit *test, struct pr_bind_event *ev)
{
	struct pr_track_fixture *fx = test->priv;
	u64 head = pr_ring_head(&fx->t->netns.init->ring);

	memset(ev, 0, sizeof(*ev));
	KUNIT_ASSERT_GT(test, head, 0ULL);
	KUNIT_ASSERT_TRUE(test, pr_ring_read(&fx->t->netns.init->ring, head - 1, ev, NULL));
}

/* The claim of @sk as /proc/portreg/claims would give it. */
static void pr_claim_in_chain(struct pr_tracker *t, struct pr_kt_iter *it,
			      u8 ipproto, unsigned int i,
			      struct pr_claim_info *ci)
{
	struct pr_sockinfo si, l;
	u64 listener = 0;
	unsigned int j;

	pr_sockinfo_fill(&si, it->chain[i], ipproto);
	for (j = 0; j < it->nchain && ipproto == IPPROTO_TCP; j++) {
		if (READ_ONCE(it->chain[j]->sk_state) != TCP_LISTEN)
			continue;
		pr_sockinfo_fill(&l, it->chain[j], ipproto);
		if (l.port == si.port && pr_bindkey_addr_overlap(&si.key, &l.key))
			listener = pr_sock_cookie(it->chain[j]);
	}
	if (si.state == TCP_LISTEN || si.state == TCP_CLOSE)
		listener = 0;
	pr_track_claim(t, &si, listener, it->by_connect[i], ci);
}

/* Finds the claim of @sk in the kernel's tables; false if none. */
static bool pr_claim_of(struct kunit *test, struct pr_tracker *t,
			const struct sock *sk, struct pr_claim_info *ci)
{
	struct pr_kt_iter it;
	bool found = false;
	unsigned int i;
	u8 ipproto;

	KUNIT_ASSERT_EQ(test, pr_kt_iter_init(&it, init_net.net_cookie, false),
			0);
	while (!found && pr_kt_iter_next_chain(&it, &ipproto)) {
		for (i = 0; i < it.nchain && !found; i++) {
			if (it.chain[i] != sk)
				continue;
			pr_claim_in_chain(t, &it, ipproto, i, ci);
			found = true;
		}
	}
	pr_kt_iter_exit(&it);
	return found;
}

/* How many sockets the kernel's tables hold on @port of @ipproto. */
static unsigned int pr_claims_on(struct kunit *test, u8 want, u16 port)
{
	struct pr_kt_iter it;
	unsigned int i, n = 0;
	u8 ipproto;

	KUNIT_ASSERT_EQ(test, pr_kt_iter_init(&it, init_net.net_cookie, false),
			0);
	while (pr_kt_iter_next_chain(&it, &ipproto))
		for (i = 0; i < it.nchain; i++)
			n += ipproto == want && it.chain[i]->sk_num == port;
	pr_kt_iter_exit(&it);
	return n;
}

static void pr_expect_current(struct kunit *test, const struct pr_task_id *id)
{
	KUNIT_EXPECT_GE(test, id->levels, 1);
	KUNIT_EXPECT_EQ(test, id->pid[0], task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, id->tid[0], task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, id->pidns[0], init_pid_ns.ns.inum);
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
	struct socket *sock = pr_sock(test, c->family, c->type, c->ipproto);
	struct pr_addr bound_addr;
	struct pr_claim_info ci;
	struct pr_bind_event ev;
	struct sock *sk = sock->sk;
	u64 bound_at;
	u16 port;

	KUNIT_ASSERT_EQ(test, pr_bind(test, sock, c->port), 0);
	port = pr_local_port(sock);
	KUNIT_ASSERT_NE(test, port, 0);
	if (c->port)
		KUNIT_EXPECT_EQ(test, port, c->port);

	pr_last_event(test, &ev);
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
	KUNIT_EXPECT_EQ(test, ev.holder.status, PR_HOLDER_NONE);
	KUNIT_EXPECT_NE(test, ev.time_ns, 0ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EVENTS), 1ULL);

	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, sk, &ci));
	KUNIT_EXPECT_EQ(test, ci.port, port);
	KUNIT_EXPECT_EQ(test, ci.ino, (u64)ev.ino);
	KUNIT_EXPECT_EQ(test, ci.since_ns, ev.time_ns);
	KUNIT_EXPECT_EQ(test, ci.ipproto, c->ipproto);
	KUNIT_EXPECT_EQ(test, ci.kind, PR_KIND_BIND);
	KUNIT_EXPECT_EQ(test, ci.state, TCP_CLOSE);
	KUNIT_EXPECT_NE(test, ci.cookie, 0ULL);
	pr_expect_current(test, &ci.task);
	KUNIT_EXPECT_EQ(test, pr_records_count(&fx->t->records), 1U);

	pr_sock_close(test, sock);
	KUNIT_EXPECT_EQ(test, pr_claims_on(test, c->ipproto, port), 0U);
	KUNIT_EXPECT_EQ(test, pr_records_count(&fx->t->records), 0U);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_RELEASES), 1ULL);

	/* The release is logged, with the claim it ends: the port's history. */
	bound_at = ev.time_ns;
	bound_addr = ev.addr;
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_RELEASE);
	KUNIT_EXPECT_EQ(test, ev.claim_kind, PR_KIND_BIND);
	KUNIT_EXPECT_EQ(test, ev.since_ns, bound_at);
	KUNIT_EXPECT_GE(test, ev.time_ns, bound_at);
	pr_expect_current(test, &ev.task);
	KUNIT_EXPECT_EQ(test, ev.family, c->family);
	KUNIT_EXPECT_EQ(test, ev.ipproto, c->ipproto);
	KUNIT_EXPECT_EQ(test, ev.port, port);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 0);
	KUNIT_EXPECT_EQ(test, ev.result, 0);
	KUNIT_EXPECT_EQ(test, memcmp(&ev.addr, &bound_addr, sizeof(ev.addr)), 0);
	KUNIT_EXPECT_EQ(test, ev.netns_cookie, init_net.net_cookie);
	KUNIT_EXPECT_EQ(test, ev.holder.status, PR_HOLDER_NONE);
	/* Not a bind: the bind counters stay as they were. */
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EVENTS), 1ULL);
}

/*
 * A port owners expects another program on: the event and the claim name
 * it, and it is counted; the expected program's own claim is not flagged.
 */
static void pr_track_unexpected_owner(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *a = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	struct socket *b = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	char cmd[80], comm[TASK_COMM_LEN];
	struct pr_claim_info ci;
	struct pr_bind_event ev;

	get_task_comm(comm, current);
	/* Names of KUnit's threads have no blank or backslash to escape. */
	snprintf(cmd, sizeof(cmd), "expect 40020/udp postgres\nexpect 40021/udp %s\n",
		 comm);
	KUNIT_ASSERT_EQ(test, pr_owners_apply(&fx->t->owners, cmd, strlen(cmd)), 0);

	KUNIT_ASSERT_EQ(test, pr_bind(test, a, 40020), 0);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_STREQ(test, ev.expected_owner, "postgres");
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_UNEXPECTED), 1ULL);
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, a->sk, &ci));
	KUNIT_EXPECT_STREQ(test, ci.expected_owner, "postgres");

	KUNIT_ASSERT_EQ(test, pr_bind(test, b, 40021), 0);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_STREQ(test, ev.expected_owner, "");
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_UNEXPECTED), 1ULL);
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, b->sk, &ci));
	KUNIT_EXPECT_STREQ(test, ci.expected_owner, "");

	/* The claim is held to the set as it is now. */
	snprintf(cmd, sizeof(cmd), "forget 40020/udp\n");
	KUNIT_ASSERT_EQ(test, pr_owners_apply(&fx->t->owners, cmd, strlen(cmd)), 0);
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, a->sk, &ci));
	KUNIT_EXPECT_STREQ(test, ci.expected_owner, "");
}

/* A socket with no record (it never claimed a port) logs no release. */
static void pr_track_release_unclaimed(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	struct pr_ring *ring = &fx->t->netns.init->ring;
	u64 head = pr_ring_head(ring);

	/* Given a cookie, as a socket that was looked at has one. */
	KUNIT_ASSERT_NE(test, pr_sock_cookie(sock->sk), 0ULL);
	pr_sock_close(test, sock);
	KUNIT_EXPECT_EQ(test, pr_ring_head(ring), head);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_RELEASES), 0ULL);
}

/* A listener's port: the second bind fails and names the first. */
static void pr_track_conflict_names_holder(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *a = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct socket *b = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct pr_bind_event ev;

	KUNIT_ASSERT_EQ(test, pr_bind(test, a, 40010), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(a, 1), 0);
	KUNIT_EXPECT_EQ(test, pr_bind(test, b, 40010), -EADDRINUSE);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.result, -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 40010);
	KUNIT_EXPECT_EQ(test, ev.port, 0);
	KUNIT_EXPECT_EQ(test, ev.holder.status, PR_HOLDER_FOUND);
	KUNIT_EXPECT_EQ(test, ev.holder.origin, PR_KIND_BIND);
	KUNIT_EXPECT_EQ(test, ev.holder.why, PR_CONFLICT_EXCLUSIVE);
	KUNIT_EXPECT_EQ(test, ev.holder.ino, (u64)SOCK_INODE(a)->i_ino);
	pr_expect_current(test, &ev.holder.task);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_FAILED), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS_NAMED),
			1ULL);
	/* The failed bind claims nothing. */
	KUNIT_EXPECT_EQ(test, pr_claims_on(test, IPPROTO_TCP, 40010), 1U);

	/* Both with SO_REUSEADDR: only a listener stands in the way. */
	sock_set_reuseaddr(a->sk);
	sock_set_reuseaddr(b->sk);
	KUNIT_EXPECT_EQ(test, pr_bind(test, b, 40010), -EADDRINUSE);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.holder.why, PR_CONFLICT_LISTENER);

	/* Once the holder is gone, the port is free. */
	pr_sock_close(test, a);
	KUNIT_EXPECT_EQ(test, pr_bind(test, b, 40010), 0);
	KUNIT_EXPECT_EQ(test, pr_claims_on(test, IPPROTO_TCP, 40010), 1U);
}

/* A loopback connection to @listener's port; the accepted end in @child. */
static void pr_connect_pair(struct kunit *test, struct socket *listener,
			    struct socket **client, struct socket **child)
{
	struct sockaddr_storage ss;
	int len = pr_addr_len(AF_INET, &ss, pr_local_port(listener), true);

	*client = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, kernel_connect(*client,
					     (struct sockaddr_unsized *)&ss,
					     len, 0), 0);
	KUNIT_ASSERT_EQ(test, kernel_accept(listener, child, 0), 0);
	KUNIT_ASSERT_LT(test, ((struct pr_track_fixture *)test->priv)->nsocks,
			PR_TEST_SOCKS);
	((struct pr_track_fixture *)test->priv)->socks
		[((struct pr_track_fixture *)test->priv)->nsocks++] = *child;
}

/*
 * A connection closed first by the server leaves its end in TIME_WAIT,
 * which holds the port after the server has gone: the holder is named as
 * such, with its peer and the time left, never as the dead process.
 */
static void pr_track_timewait_holder(struct kunit *test)
{
	struct socket *srv = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct socket *client, *child, *next;
	struct pr_bind_event ev;
	u16 cport;

	KUNIT_ASSERT_EQ(test, pr_bind_at(test, srv, 40050, true), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(srv, 8), 0);
	pr_connect_pair(test, srv, &client, &child);
	cport = pr_local_port(client);
	pr_sock_close(test, child);	/* the server closes first */
	pr_sock_close(test, client);
	pr_sock_close(test, srv);
	KUNIT_ASSERT_EQ(test, pr_claims_on(test, IPPROTO_TCP, 40050), 1U);

	next = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pr_bind_at(test, next, 40050, true), -EADDRINUSE);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.holder.status, PR_HOLDER_FOUND);
	KUNIT_EXPECT_EQ(test, ev.holder.origin, PR_KIND_TIMEWAIT);
	KUNIT_EXPECT_EQ(test, ev.holder.rport, cport);
	KUNIT_EXPECT_EQ(test, ntohl(ev.holder.raddr.v4), (u32)INADDR_LOOPBACK);
	KUNIT_EXPECT_GT(test, ev.holder.expires_ns, 0ULL);
	KUNIT_EXPECT_EQ(test, ev.holder.task.levels, 0);
	KUNIT_EXPECT_FALSE(test, ev.holder.has_uid);
	/* TIME_WAIT gives way to SO_REUSEADDR on both sides. */
	sock_set_reuseaddr(next->sk);
	KUNIT_EXPECT_EQ(test, pr_bind_at(test, next, 40050, true), -EADDRINUSE);
}

/*
 * An accepted connection holds its listener's port after the listener is
 * closed: named as accepted; while the listener lives, a claim of the
 * connection names the listener's claimer.
 */
static void pr_track_accepted_holder(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *srv = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct socket *client, *child, *next;
	struct pr_claim_info ci;
	struct pr_bind_event ev;

	KUNIT_ASSERT_EQ(test, pr_bind_at(test, srv, 40060, true), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(srv, 8), 0);
	pr_connect_pair(test, srv, &client, &child);
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, child->sk, &ci));
	KUNIT_EXPECT_EQ(test, ci.kind, PR_KIND_ACCEPT);
	KUNIT_EXPECT_EQ(test, ci.state, TCP_ESTABLISHED);
	pr_expect_current(test, &ci.task);
	/* The client's port came from connect(2), no bind. */
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, client->sk, &ci));
	KUNIT_EXPECT_EQ(test, ci.kind, PR_KIND_CONNECT);
	KUNIT_EXPECT_EQ(test, ci.rport, 40060);

	pr_sock_close(test, srv);
	next = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pr_bind_at(test, next, 40060, true), -EADDRINUSE);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.holder.origin, PR_KIND_ACCEPT);
	KUNIT_EXPECT_EQ(test, ev.holder.ino, (u64)SOCK_INODE(child)->i_ino);
	KUNIT_EXPECT_EQ(test, ev.holder.rport, pr_local_port(client));
	/* Its listener is gone: no claimer to name. */
	KUNIT_EXPECT_EQ(test, ev.holder.task.levels, 0);
}

/* Every member of a SO_REUSEPORT group is a holder of its own. */
static void pr_track_reuseport_group(struct kunit *test)
{
	struct socket *s[3];
	struct pr_bind_event ev;
	int i;

	for (i = 0; i < 3; i++) {
		s[i] = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		sock_set_reuseport(s[i]->sk);
		KUNIT_ASSERT_EQ(test, pr_bind(test, s[i], 40020), 0);
		pr_last_event(test, &ev);
		KUNIT_EXPECT_TRUE(test, ev.opts & PR_OPT_REUSEPORT);
	}
	KUNIT_EXPECT_EQ(test, pr_claims_on(test, IPPROTO_UDP, 40020), 3U);
	pr_sock_close(test, s[1]);
	KUNIT_EXPECT_EQ(test, pr_claims_on(test, IPPROTO_UDP, 40020), 2U);
	/* Without SO_REUSEPORT a fourth socket is refused. */
	s[1] = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, pr_bind(test, s[1], 40020), -EADDRINUSE);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.holder.status, PR_HOLDER_FOUND);
	KUNIT_EXPECT_EQ(test, ev.holder.why, PR_CONFLICT_EXCLUSIVE);
	pr_expect_current(test, &ev.holder.task);
}

/* listen(2) on an unbound socket: the kernel picks, portreg records. */
static void pr_track_listen_autobind(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock = pr_sock(test, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	struct pr_claim_info ci;
	struct pr_bind_event ev;
	u64 head;

	KUNIT_ASSERT_EQ(test, pr_listen(test, sock), 0);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_LISTEN);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 0);
	KUNIT_EXPECT_EQ(test, ev.port, pr_local_port(sock));
	KUNIT_EXPECT_NE(test, ev.port, 0);
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, sock->sk, &ci));
	KUNIT_EXPECT_EQ(test, ci.kind, PR_KIND_LISTEN);
	KUNIT_EXPECT_EQ(test, ci.state, TCP_LISTEN);

	/* listen(2) on a bound socket takes nothing new: no event. */
	sock = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, pr_bind(test, sock, 40030), 0);
	head = pr_ring_head(&fx->t->netns.init->ring);
	KUNIT_EXPECT_EQ(test, pr_listen(test, sock), 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->netns.init->ring), head);
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
	/* Off the stack: with kernel_connect()'s frame it would pass 1 KiB. */
	struct pr_bind_event *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	struct sockaddr_storage ss;
	struct pr_claim_info ci;
	struct pr_bind_ctx ctx;
	int len = pr_addr_len(AF_INET, &ss, 9, true);

	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_ASSERT_TRUE(test, pr_track_autobind_begin(&ctx, sock->sk));
	kernel_connect(sock, (struct sockaddr_unsized *)&ss, len, 0);
	KUNIT_ASSERT_NE(test, pr_local_port(sock), 0);
	pr_track_end(fx->t, &ctx, 0);
	pr_last_event(test, ev);
	KUNIT_EXPECT_EQ(test, ev->kind, PR_KIND_AUTOBIND);
	KUNIT_EXPECT_EQ(test, ev->port, pr_local_port(sock));
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, sock->sk, &ci));
	KUNIT_EXPECT_EQ(test, ci.kind, PR_KIND_AUTOBIND);
	KUNIT_EXPECT_EQ(test, ci.state, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, ci.rport, 9);
	/* Once bound, a later send is no autobind. */
	KUNIT_EXPECT_FALSE(test, pr_track_autobind_begin(&ctx, sock->sk));
}

/*
 * A TCP connect(2) the kernel finds no port for.  Exhausting the
 * ephemeral range is slow; the same refusal, from the same function,
 * comes at once for a socket bound with SO_REUSEADDR to the port of a
 * connection to the same peer: its four-tuple is taken (EADDRNOTAVAIL).
 * The probe sits inside the connect, where the socket has its peer; the
 * case calls begin on a connected socket to check that, and gives the
 * failed one's event the peer it asked for.
 */
static void pr_track_connect_no_port(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *srv = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct socket *client, *child, *late;
	struct pr_bind_event *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	struct sockaddr_storage ss;
	struct pr_bind_ctx ctx;
	u64 head;
	int len, err;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_ASSERT_EQ(test, pr_bind_at(test, srv, 40070, true), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(srv, 8), 0);
	pr_connect_pair(test, srv, &client, &child);
	sock_set_reuseaddr(client->sk);

	/* What the probe takes on entry: the port it has, and the peer. */
	KUNIT_ASSERT_TRUE(test, pr_track_connect_begin(&ctx, client->sk));
	KUNIT_EXPECT_EQ(test, ctx.kind, PR_KIND_CONNECT);
	KUNIT_EXPECT_EQ(test, ctx.requested_port, pr_local_port(client));
	KUNIT_EXPECT_EQ(test, ctx.peer_port, 40070);
	KUNIT_EXPECT_TRUE(test, ctx.peer.v4 == htonl(INADDR_LOOPBACK));
	/* A connect that got its port is no event: claims lists it. */
	head = pr_ring_head(&fx->t->netns.init->ring);
	pr_track_end(fx->t, &ctx, 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->netns.init->ring), head);

	late = pr_sock(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sock_set_reuseaddr(late->sk);
	KUNIT_ASSERT_EQ(test, pr_bind_at(test, late, pr_local_port(client),
					 true), 0);
	KUNIT_ASSERT_TRUE(test, pr_track_connect_begin(&ctx, late->sk));
	len = pr_addr_len(AF_INET, &ss, 40070, true);
	err = kernel_connect(late, (struct sockaddr_unsized *)&ss, len, 0);
	KUNIT_ASSERT_EQ(test, err, -EADDRNOTAVAIL);
	ctx.peer.v4 = htonl(INADDR_LOOPBACK);
	ctx.peer_port = 40070;
	pr_track_end(fx->t, &ctx, err);

	pr_last_event(test, ev);
	KUNIT_EXPECT_EQ(test, ev->kind, PR_KIND_CONNECT);
	KUNIT_EXPECT_EQ(test, ev->result, -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, ev->requested_port, pr_local_port(client));
	KUNIT_EXPECT_EQ(test, ev->port, 0);
	KUNIT_EXPECT_TRUE(test, ev->addr.v4 == htonl(INADDR_LOOPBACK));
	KUNIT_EXPECT_EQ(test, ev->peer_port, 40070);
	KUNIT_EXPECT_EQ(test, ev->holder.status, PR_HOLDER_NONE);
	pr_expect_current(test, &ev->task);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_AUTOBIND_FAILED),
			1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_FAILED), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_netns_stat(fx->t->netns.init,
					    PR_NS_AUTOBIND_FAILED), 1ULL);

	/* A bind to a port asked for is no autobind, refused or not. */
	KUNIT_EXPECT_EQ(test, pr_bind_at(test, pr_sock(test, AF_INET,
						       SOCK_STREAM,
						       IPPROTO_TCP),
					 40070, true), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_AUTOBIND_FAILED),
			1ULL);
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
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.result, -EACCES);
	KUNIT_EXPECT_EQ(test, ev.requested_port, 80);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EACCES), 1ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_CONFLICTS), 0ULL);
	KUNIT_EXPECT_EQ(test, pr_records_count(&fx->t->records), 0U);
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
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.opts,
			PR_OPT_REUSEADDR | PR_OPT_FREEBIND | PR_OPT_NO_PORT);
}

/* Raw and non-inet sockets have no ports portreg names. */
static void pr_track_ignores_other_sockets(struct kunit *test)
{
	struct pr_bind_ctx ctx;
	struct socket *raw = pr_sock_of(test, AF_INET, SOCK_RAW, IPPROTO_TCP,
					true);
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
	/* A bind and its release each: 200 events in a ring of 64. */
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->netns.init->ring), 200ULL);
	KUNIT_EXPECT_EQ(test, pr_ring_drops(&fx->t->netns.init->ring), 136ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_EVENTS), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_RELEASES), 100ULL);
	KUNIT_EXPECT_EQ(test, pr_records_count(&fx->t->records), 0U);
}

/*
 * More sockets than records: every socket is still claimed, from the
 * kernel's tables; the one without a record is shown as unrecorded, and
 * a kernel socket as the kernel's.
 */
static void pr_track_records_full(struct kunit *test)
{
	struct pr_tracker *small = pr_tracker_create(64, 64, 2, 100);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct pr_claim_info ci;
	struct pr_bind_ctx ctx;
	struct socket *s[4];
	int i, err;

	KUNIT_ASSERT_FALSE(test, IS_ERR(small));
	for (i = 0; i < 4; i++) {
		s[i] = pr_sock_of(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP, i == 3);
		KUNIT_ASSERT_TRUE(test, pr_track_bind_begin(&ctx, s[i]->sk,
							    (void *)&sin,
							    sizeof(sin)));
		err = kernel_bind(s[i], (void *)&sin, sizeof(sin));
		pr_track_end(small, &ctx, err);
		KUNIT_EXPECT_EQ(test, err, 0);
	}
	KUNIT_EXPECT_EQ(test, pr_records_count(&small->records), 2U);
	KUNIT_EXPECT_EQ(test, atomic64_read(&small->records.full), 2LL);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_TRUE(test, pr_claim_of(test, small, s[i]->sk, &ci));
		KUNIT_EXPECT_EQ(test, ci.kind, i < 2 ? PR_KIND_BIND :
				i == 2 ? PR_KIND_UNRECORDED : PR_KIND_KERNEL);
		KUNIT_EXPECT_EQ(test, ci.ino, (u64)SOCK_INODE(s[i])->i_ino);
	}
	for (i = 0; i < 4; i++)
		pr_track_release(small, s[i]->sk);
	pr_tracker_destroy(small);
}

/* A socket bound before the tracker existed is marked as such. */
static void pr_track_before_load(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *sock = pr_sock(test, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	struct sockaddr_storage ss;
	struct pr_claim_info ci;
	int len = pr_addr_len(AF_INET6, &ss, 40070, false);

	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr_unsized *)&ss,
					  len), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sock, 1), 0);
	pr_preload_free(&fx->t->preload);
	KUNIT_ASSERT_EQ(test, pr_preload_take(&fx->t->preload), 0);
	KUNIT_ASSERT_TRUE(test, pr_claim_of(test, fx->t, sock->sk, &ci));
	KUNIT_EXPECT_EQ(test, ci.kind, PR_KIND_BEFORE_LOAD);
	KUNIT_EXPECT_EQ(test, ci.task.levels, 0);
	KUNIT_EXPECT_EQ(test, ci.since_ns, 0ULL);
	KUNIT_EXPECT_TRUE(test, ci.has_uid);
	KUNIT_EXPECT_TRUE(test, uid_eq(ci.uid, current_fsuid()));
	KUNIT_EXPECT_EQ(test, ci.ino, (u64)SOCK_INODE(sock)->i_ino);
	KUNIT_EXPECT_EQ(test, ci.port, 40070);
}

/*
 * A release the probes missed leaves a record behind: never shown, as the
 * kernel's tables no longer hold the socket, and taken back by a sweep.
 */
static void pr_track_sweep_missed_release(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct socket *gone = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	struct socket *kept = pr_sock(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	u16 port;

	KUNIT_ASSERT_EQ(test, pr_bind(test, gone, 0), 0);
	KUNIT_ASSERT_EQ(test, pr_bind(test, kept, 0), 0);
	port = pr_local_port(gone);
	pr_sock_forget(test, gone);
	sock_release(gone);	/* no pr_track_release(): missed */
	KUNIT_EXPECT_EQ(test, pr_claims_on(test, IPPROTO_UDP, port), 0U);
	KUNIT_EXPECT_EQ(test, pr_records_count(&fx->t->records), 2U);
	KUNIT_EXPECT_EQ(test, pr_sweep_records(fx->t), 1U);
	KUNIT_EXPECT_EQ(test, pr_records_count(&fx->t->records), 1U);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_SWEPT), 1ULL);
}

/* Missed probe hits leave one marker for all of them, once. */
static void pr_track_lost_marker(struct kunit *test)
{
	struct pr_track_fixture *fx = test->priv;
	struct pr_bind_event ev;

	pr_track_lost(fx->t, 0);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->netns.init->ring), 0ULL);
	pr_track_lost(fx->t, 5);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.kind, PR_KIND_LOST);
	KUNIT_EXPECT_EQ(test, ev.lost, 5ULL);
	pr_track_lost(fx->t, 5);
	KUNIT_EXPECT_EQ(test, pr_ring_head(&fx->t->netns.init->ring), 1ULL);
	pr_track_lost(fx->t, 7);
	pr_last_event(test, &ev);
	KUNIT_EXPECT_EQ(test, ev.lost, 2ULL);
	KUNIT_EXPECT_EQ(test, pr_tracker_stat(fx->t, PR_STAT_LOST), 7ULL);
}

static struct kunit_case pr_track_cases[] = {
	KUNIT_CASE_PARAM(pr_track_bind_claim_release, pr_sock_gen_params),
	KUNIT_CASE(pr_track_conflict_names_holder),
	KUNIT_CASE(pr_track_timewait_holder),
	KUNIT_CASE(pr_track_accepted_holder),
	KUNIT_CASE(pr_track_reuseport_group),
	KUNIT_CASE(pr_track_listen_autobind),
	KUNIT_CASE(pr_track_udp_autobind),
	KUNIT_CASE(pr_track_connect_no_port),
	KUNIT_CASE(pr_track_privileged_port),
	KUNIT_CASE(pr_track_options),
	KUNIT_CASE(pr_track_ignores_other_sockets),
	KUNIT_CASE(pr_track_ring_wraps),
	KUNIT_CASE(pr_track_records_full),
	KUNIT_CASE(pr_track_before_load),
	KUNIT_CASE(pr_track_sweep_missed_release),
	KUNIT_CASE(pr_track_release_unclaimed),
	KUNIT_CASE(pr_track_unexpected_owner),
	KUNIT_CASE(pr_track_lost_marker),
	{}
};

static struct kunit_suite pr_track_suite = {
	.name = "portreg_track",
	.init = pr_track_test_init,
	.exit = pr_track_test_exit,
	.test_cases = pr_track_cases,
};

kunit_test_suite(pr_track_suite);
