// SPDX-License-Identifier: GPL-2.0
/*
 * A socket's port, owner and options as plain values.  Runs under the
 * lock of the kernel's hash chain the socket is on, some of it with
 * interrupts off: reads fields, takes no lock, never sleeps.
 */
#include <linux/export.h>
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/sock_diag.h>
#include <linux/socket.h>
#include <net/inet_sock.h>
#include <net/inet_timewait_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <net/transp_v6.h>
#include <kunit/visibility.h>

#include "sockinfo.h"

/*
 * sock_i_ino() takes sk_callback_lock with bottom halves off on older
 * kernels, which may not be done with interrupts off; the inode itself
 * is freed only after an RCU grace period.
 */
static u64 pr_sock_ino(const struct sock *sk)
{
	struct socket *sock;
	u64 ino = 0;

	rcu_read_lock();
	sock = READ_ONCE(sk->sk_socket);
	if (sock)
		ino = SOCK_INODE(sock)->i_ino;
	rcu_read_unlock();
	return ino;
}

static u8 pr_sock_opts_full(const struct sock *sk)
{
	u8 opts = 0;

	if (inet_test_bit(FREEBIND, sk))
		opts |= PR_OPT_FREEBIND;
	if (inet_test_bit(TRANSPARENT, sk))
		opts |= PR_OPT_TRANSPARENT;
	if (inet_test_bit(BIND_ADDRESS_NO_PORT, sk))
		opts |= PR_OPT_NO_PORT;
	return opts;
}

void pr_sockinfo_fill(struct pr_sockinfo *si, const struct sock *sk,
		      u8 ipproto)
{
	const struct net *net = sock_net(sk);

	memset(si, 0, sizeof(*si));
	si->ipproto = ipproto;
	si->state = READ_ONCE(sk->sk_state);
	si->shown_state = si->state;
	si->port = sk->sk_num;
	si->rport = ntohs(sk->sk_dport);
	si->cookie = atomic64_read(&sk->sk_cookie);
	si->netns_cookie = net->net_cookie;
	si->netns = net->ns.inum;
	si->key.family = sk->sk_family;
	si->key.v4 = sk->sk_rcv_saddr;
	si->key.bound_dev_if = READ_ONCE(sk->sk_bound_dev_if);
	si->key.reuse = sk->sk_reuse;
	si->key.reuseport = sk->sk_reuseport;
	si->key.listening = si->state == TCP_LISTEN;
	si->key.timewait = si->state == TCP_TIME_WAIT;
	if (si->key.reuse)
		si->opts |= PR_OPT_REUSEADDR;
	if (si->key.reuseport)
		si->opts |= PR_OPT_REUSEPORT;
	si->addr.v4 = sk->sk_rcv_saddr;
	si->raddr.v4 = sk->sk_daddr;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		si->key.v6 = sk->sk_v6_rcv_saddr;
		si->key.v6only = sk->sk_ipv6only;
		si->addr.v6 = sk->sk_v6_rcv_saddr;
		si->raddr.v6 = sk->sk_v6_daddr;
	}
#endif

	if (si->key.timewait) {
		const struct inet_timewait_sock *tw = inet_twsk(sk);
		long left = (long)(READ_ONCE(tw->tw_timer.expires) - jiffies);

		si->expires_ns = left > 0 ? jiffies_to_nsecs(left) : 0;
		/*
		 * An orphan whose FIN_WAIT2 outlasts its user is a TIME_WAIT
		 * socket too; /proc/net/tcp and ss show its substate.
		 */
		si->shown_state = READ_ONCE(tw->tw_substate);
		/* A TIME_WAIT socket has no owner: reuse counts it as any. */
		si->key.uid = INVALID_UID;
		return;
	}
	si->key.uid = READ_ONCE(sk->sk_uid);
	si->ino = pr_sock_ino(sk);
	si->kern = sk->sk_kern_sock;
	si->opts |= pr_sock_opts_full(sk);
}
EXPORT_SYMBOL_IF_KUNIT(pr_sockinfo_fill);

u64 pr_sock_cookie(struct sock *sk)
{
	u32 cookie[2];

	sock_diag_save_cookie(sk, cookie);
	return (u64)cookie[1] << 32 | cookie[0];
}
EXPORT_SYMBOL_IF_KUNIT(pr_sock_cookie);

void pr_bindkey_request(struct pr_bindkey *key, const struct sock *sk,
			const struct pr_addr *addr)
{
	memset(key, 0, sizeof(*key));
	key->family = sk->sk_family;
	key->uid = READ_ONCE(sk->sk_uid);
	key->bound_dev_if = READ_ONCE(sk->sk_bound_dev_if);
	key->reuse = sk->sk_reuse;
	key->reuseport = sk->sk_reuseport;
	key->listening = READ_ONCE(sk->sk_state) == TCP_LISTEN;
	if (sk->sk_family == AF_INET) {
		key->v4 = addr->v4;
		return;
	}
#if IS_ENABLED(CONFIG_IPV6)
	key->v6 = addr->v6;
	key->v6only = sk->sk_ipv6only;
	/* The IPv4 view __inet6_bind() gives an IPv6 socket. */
	if (ipv6_addr_v4mapped(&addr->v6))
		key->v4 = addr->v6.s6_addr32[3];
	else if (!ipv6_addr_any(&addr->v6))
		key->v4 = LOOPBACK4_IPV6;
#endif
}
EXPORT_SYMBOL_IF_KUNIT(pr_bindkey_request);
