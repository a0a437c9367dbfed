// SPDX-License-Identifier: GPL-2.0
/*
 * The load-time self-check.  A probe that registered is no proof that
 * binds reach it: a wrapper the compiler inlined, or a caller that goes
 * around the probed function (MPTCP calls inet_bind_sk() directly since
 * 6.3), leaves portreg blind without a word.  So, with every probe armed,
 * this takes ports with kernel sockets the ways a process can, for each
 * kind of socket the kernel offers, and checks that each reached its
 * probe.  The hook counts the self-check's own hits and records nothing
 * of them.
 *
 * A kind of socket this kernel cannot create (IPv6 disabled, MPTCP not
 * built or turned off by net.mptcp.enabled) has no path to watch and is
 * skipped; any other failure fails the check.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "hook.h"
#include "selfcheck.h"

struct pr_check_kind {
	const char *tag;	/* in stats: "tcp6" */
	const char *name;	/* in messages: "IPv6 TCP socket" */
	int family;
	int type;
	int protocol;
	bool release_checked;	/* MPTCP may close its subflows later */
	enum pr_probe_id release;
};

static const struct pr_check_kind pr_check_kinds[] = {
	{ "tcp4", "IPv4 TCP socket", AF_INET, SOCK_STREAM, IPPROTO_TCP,
	  true, PR_PROBE_RELEASE_TCP },
	{ "tcp6", "IPv6 TCP socket", AF_INET6, SOCK_STREAM, IPPROTO_TCP,
	  true, PR_PROBE_RELEASE_TCP },
	{ "udp4", "IPv4 UDP socket", AF_INET, SOCK_DGRAM, IPPROTO_UDP,
	  true, PR_PROBE_RELEASE_UDP },
	{ "udp6", "IPv6 UDP socket", AF_INET6, SOCK_DGRAM, IPPROTO_UDP,
	  true, PR_PROBE_RELEASE_UDP },
	{ "mptcp4", "IPv4 MPTCP socket", AF_INET, SOCK_STREAM, IPPROTO_MPTCP },
	{ "mptcp6", "IPv6 MPTCP socket", AF_INET6, SOCK_STREAM, IPPROTO_MPTCP },
};

struct pr_check {
	const struct pr_check_kind *kind;
	struct socket *socks[4];
	char *reason;
	size_t size;
};

/* Errors that mean the kernel has no such socket, so nothing to watch. */
static bool pr_check_absent(int err)
{
	return err == -EAFNOSUPPORT || err == -EPROTONOSUPPORT ||
	       err == -ENOPROTOOPT || err == -ESOCKTNOSUPPORT;
}

static int pr_check_fail(struct pr_check *c, enum pr_probe_id id,
			 const char *what)
{
	const char *sym, *why;

	sym = pr_hook_probe_symbol(id, &why);
	if (sym)
		snprintf(c->reason, c->size,
			 "self-check: %s of an %s reached no probe (%s is probed, but this path does not pass through it)",
			 what, c->kind->name, sym);
	else
		snprintf(c->reason, c->size,
			 "self-check: %s of an %s reached no probe (none could be placed: %s)",
			 what, c->kind->name, why);
	return -ENOENT;
}

static void pr_check_addr(const struct pr_check *c,
			  struct sockaddr_storage *ss, u16 port, bool loopback,
			  int *len)
{
	memset(ss, 0, sizeof(*ss));
	if (c->kind->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (loopback)
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (loopback)
			sin6->sin6_addr = in6addr_loopback;
		*len = sizeof(*sin6);
	}
}

/*
 * Runs @op on socket @i and checks that it hit probe @id.  The result of
 * the call itself does not matter: a bind refused with EADDRINUSE went
 * through the same path.
 */
enum pr_check_op { PR_OP_BIND_ANY, PR_OP_BIND_PORT, PR_OP_LISTEN,
		   PR_OP_AUTOBIND, PR_OP_CONNECT };

/* UDP's connect sends nothing: any peer will do (discard's port). */
#define PR_CHECK_UDP_PEER	9

/* A step that could not be made to reach its path: no route to it. */
#define PR_CHECK_NO_ROUTE	2

static int pr_check_step(struct pr_check *c, unsigned int i,
			 enum pr_check_op op, u16 port, enum pr_probe_id id,
			 const char *what)
{
	struct socket *sock = c->socks[i];
	unsigned int before = pr_hook_selfcheck_hits(id);
	struct sockaddr_storage ss;
	int len, err = 0;

	switch (op) {
	case PR_OP_BIND_ANY:
	case PR_OP_BIND_PORT:
		pr_check_addr(c, &ss, op == PR_OP_BIND_PORT ? port : 0, false,
			      &len);
		kernel_bind(sock, (struct sockaddr_unsized *)&ss, len);
		break;
	case PR_OP_LISTEN:
		kernel_listen(sock, 1);
		break;
	case PR_OP_AUTOBIND:
		/* UDP takes its port before the route is looked up. */
		pr_check_addr(c, &ss, PR_CHECK_UDP_PEER, true, &len);
		kernel_connect(sock, (struct sockaddr_unsized *)&ss, len, 0);
		break;
	case PR_OP_CONNECT:
		/*
		 * TCP looks up the route first.  The wildcard address is the
		 * loopback one: IPv4 routes it whether or not the loopback
		 * device is up; IPv6 needs it up.  The SYN goes to the
		 * check's own port @port, bound and not listening, and is
		 * answered with a reset: the port was chosen before the SYN
		 * was sent.  No handshake completes, so no listener clones a
		 * child: an MPTCP listener's clone of a kernel socket takes
		 * the same lock class as the subflow it holds, which lockdep
		 * reports as recursive locking and then turns itself off.
		 * The call does not wait.
		 */
		pr_check_addr(c, &ss, port, false, &len);
		err = kernel_connect(sock, (struct sockaddr_unsized *)&ss, len,
				     O_NONBLOCK);
		break;
	}
	if (pr_hook_selfcheck_hits(id) != before)
		return 0;
	/* Refused before its port: no route, or no source address for it. */
	if (err == -ENETUNREACH || err == -EHOSTUNREACH || err == -ENETDOWN ||
	    err == -EADDRNOTAVAIL)
		return PR_CHECK_NO_ROUTE;
	return pr_check_fail(c, id, what);
}

static void pr_check_release(struct pr_check *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->socks); i++) {
		if (c->socks[i])
			sock_release(c->socks[i]);
		c->socks[i] = NULL;
	}
}

/*
 * An MPTCP socket made by the kernel has the lock class of every kernel
 * socket, the same as the subflow whose lock bind takes inside its own:
 * lockdep would call that recursive locking, then turn itself off for the
 * rest of the boot.  The kernel's own path manager gives its listeners a
 * class of their own for the same reason; so does the self-check.
 */
static struct lock_class_key pr_check_msk_keys[2];
static struct lock_class_key pr_check_msk_slock_keys[2];

static void pr_check_mptcp_lock_class(struct sock *sk, bool ipv6)
{
	if (ipv6)
		sock_lock_init_class_and_name(sk, "portreg-mlock-AF_INET6",
					      &pr_check_msk_slock_keys[1],
					      "portreg-msk_lock-AF_INET6",
					      &pr_check_msk_keys[1]);
	else
		sock_lock_init_class_and_name(sk, "portreg-mlock-AF_INET",
					      &pr_check_msk_slock_keys[0],
					      "portreg-msk_lock-AF_INET",
					      &pr_check_msk_keys[0]);
}

/*
 * Returns 0 if every path was seen, 1 if the kernel has no such socket,
 * PR_CHECK_NO_ROUTE if the connect path could not be reached.
 */
static int pr_check_kind(struct pr_check *c)
{
	const struct pr_check_kind *k = c->kind;
	enum pr_probe_id bind = k->family == AF_INET ? PR_PROBE_BIND4 :
						       PR_PROBE_BIND6;
	unsigned int i, released;
	bool no_route = false;
	u16 port;
	int err;

	for (i = 0; i < ARRAY_SIZE(c->socks); i++) {
		err = sock_create_kern(&init_net, k->family, k->type,
				       k->protocol, &c->socks[i]);
		if (err) {
			c->socks[i] = NULL;
			pr_check_release(c);
			if (pr_check_absent(err))
				return 1;
			snprintf(c->reason, c->size,
				 "self-check: creating an %s failed: %d",
				 k->name, err);
			return err;
		}
		if (k->protocol == IPPROTO_MPTCP)
			pr_check_mptcp_lock_class(c->socks[i]->sk,
						  k->family == AF_INET6);
		sock_set_reuseaddr(c->socks[i]->sk);
	}

	err = pr_check_step(c, 0, PR_OP_BIND_ANY, 0, bind, "a bind to port 0");
	port = inet_sk(c->socks[0]->sk)->inet_num;
	if (!err)
		err = pr_check_step(c, 1, PR_OP_BIND_PORT, port, bind,
				    "a bind to a given port");
	if (!err && k->type == SOCK_STREAM)
		err = pr_check_step(c, 2, PR_OP_LISTEN, 0, PR_PROBE_LISTEN,
				    "a listen() without bind()");
	if (!err && k->type == SOCK_STREAM) {
		err = pr_check_step(c, 3, PR_OP_CONNECT, port,
				    k->family == AF_INET ? PR_PROBE_CONNECT4 :
							   PR_PROBE_CONNECT6,
				    "a connect() without bind()");
		no_route = err == PR_CHECK_NO_ROUTE;
		if (no_route)
			err = 0;
	}
	if (!err && k->type == SOCK_DGRAM)
		err = pr_check_step(c, 2, PR_OP_AUTOBIND, 0, PR_PROBE_AUTOBIND,
				    "a connect() without bind()");

	released = pr_hook_selfcheck_hits(k->release);
	pr_check_release(c);
	if (!err && k->release_checked &&
	    pr_hook_selfcheck_hits(k->release) == released)
		err = pr_check_fail(c, k->release, "the release of a port");
	return err ?: no_route ? PR_CHECK_NO_ROUTE : 0;
}

/* The kinds of socket whose every path was seen, for stats. */
static unsigned long pr_selfcheck_seen;

int pr_selfcheck_run(char *reason, size_t size)
{
	struct pr_check c = { .reason = reason, .size = size };
	unsigned int i;
	int err = 0;

	pr_selfcheck_seen = 0;
	pr_hook_selfcheck_begin();
	for (i = 0; i < ARRAY_SIZE(pr_check_kinds); i++) {
		c.kind = &pr_check_kinds[i];
		err = pr_check_kind(&c);
		if (err < 0)
			break;
		if (err == PR_CHECK_NO_ROUTE)
			pr_info("self-check: no route to the loopback address (is lo down?): the connect path of an %s is unchecked\n",
				c.kind->name);
		else if (err > 0)
			pr_info("self-check: this kernel has no %s, skipped\n",
				c.kind->name);
		else
			__set_bit(i, &pr_selfcheck_seen);
		err = 0;
	}
	pr_hook_selfcheck_end();
	return err;
}

/* "selfcheck tcp4 tcp6 ...": the kinds of socket proven watched. */
void pr_selfcheck_show(struct seq_file *m)
{
	unsigned int i;

	seq_puts(m, "selfcheck");
	for (i = 0; i < ARRAY_SIZE(pr_check_kinds); i++)
		if (test_bit(i, &pr_selfcheck_seen))
			seq_printf(m, " %s", pr_check_kinds[i].tag);
	seq_putc(m, '\n');
}
