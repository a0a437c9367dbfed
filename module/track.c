// SPDX-License-Identifier: GPL-2.0
/*
 * The event core.  The *_begin() calls run on entry to a probed function
 * and save what the return needs; pr_track_end() runs on its return and
 * records the event, the claim and the counters; pr_track_release() runs
 * where a socket gives its port back.  All of it runs in probe context: no
 * sleeping, no allocation, only the ring's and the claims' raw spinlocks.
 */
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "proto.h"
#include "track.h"

struct pr_tracker *pr_tracker_create(unsigned int ring_size,
				     unsigned int max_claims)
{
	struct pr_tracker *t;
	int err;

	t = kzalloc_obj(*t, GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->stats = alloc_percpu(struct pr_stats_cpu);
	if (!t->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	err = pr_ring_init(&t->ring, ring_size);
	if (err)
		goto err_stats;
	err = pr_claims_init(&t->claims, max_claims);
	if (err)
		goto err_ring;
	return t;

err_ring:
	pr_ring_destroy(&t->ring);
err_stats:
	free_percpu(t->stats);
err_free:
	kfree(t);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(pr_tracker_create);

/* The caller has stopped every probe and reader. */
void pr_tracker_destroy(struct pr_tracker *t)
{
	pr_claims_destroy(&t->claims);
	pr_ring_destroy(&t->ring);
	free_percpu(t->stats);
	kfree(t);
}
EXPORT_SYMBOL_IF_KUNIT(pr_tracker_destroy);

u64 pr_tracker_stat(struct pr_tracker *t, enum pr_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(t->stats, cpu)->count[stat]);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(pr_tracker_stat);

static void pr_stat_inc(struct pr_tracker *t, enum pr_stat stat)
{
	this_cpu_inc(t->stats->count[stat]);
}

/* Internet sockets with ports that the registry names: not raw ones. */
static bool pr_sock_tracked(const struct sock *sk)
{
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return false;
	if (sk->sk_type == SOCK_RAW)
		return false;
	return pr_proto_from_ipproto(sk->sk_protocol) >= 0;
}

static u8 pr_sock_opts(const struct sock *sk)
{
	u8 opts = 0;

	if (inet_test_bit(FREEBIND, sk))
		opts |= PR_OPT_FREEBIND;
	if (inet_test_bit(TRANSPARENT, sk))
		opts |= PR_OPT_TRANSPARENT;
	if (inet_test_bit(BIND_ADDRESS_NO_PORT, sk))
		opts |= PR_OPT_NO_PORT;
	if (sk->sk_reuse)
		opts |= PR_OPT_REUSEADDR;
	if (sk->sk_reuseport)
		opts |= PR_OPT_REUSEPORT;
	return opts;
}

static void pr_sock_local_addr(const struct sock *sk, struct pr_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		addr->v6 = sk->sk_v6_rcv_saddr;
		return;
	}
#endif
	addr->v4 = inet_sk(sk)->inet_rcv_saddr;
}

static void pr_ctx_init(struct pr_bind_ctx *ctx, struct sock *sk, u8 kind)
{
	ctx->sk = sk;
	ctx->kind = kind;
	ctx->opts = pr_sock_opts(sk);
	ctx->requested_port = 0;
	memset(&ctx->addr, 0, sizeof(ctx->addr));
}

/*
 * On entry to inet_bind() or inet6_bind().  @uaddr is the kernel's copy of
 * the caller's address; a short or foreign one is recorded as the
 * wildcard, and the bind fails anyway.  Returns false for sockets portreg
 * does not follow.
 */
bool pr_track_bind_begin(struct pr_bind_ctx *ctx, struct sock *sk,
			 const struct sockaddr *uaddr, int addr_len)
{
	if (!pr_sock_tracked(sk))
		return false;
	pr_ctx_init(ctx, sk, PR_KIND_BIND);
	if (sk->sk_family == AF_INET &&
	    addr_len >= (int)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const void *)uaddr;

		ctx->addr.v4 = sin->sin_addr.s_addr;
		ctx->requested_port = ntohs(sin->sin_port);
	} else if (sk->sk_family == AF_INET6 &&
		   addr_len >= SIN6_LEN_RFC2133 &&
		   uaddr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)uaddr;

		ctx->addr.v6 = sin6->sin6_addr;
		ctx->requested_port = ntohs(sin6->sin6_port);
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_bind_begin);

/*
 * On entry to inet_csk_listen_start().  An unbound socket is about to be
 * given a port; a bound one takes its port into the listening hash, which
 * fails if another listener got there first.
 */
bool pr_track_listen_begin(struct pr_bind_ctx *ctx, struct sock *sk)
{
	if (!pr_sock_tracked(sk))
		return false;
	pr_ctx_init(ctx, sk, PR_KIND_LISTEN);
	ctx->requested_port = inet_sk(sk)->inet_num;
	pr_sock_local_addr(sk, &ctx->addr);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_listen_begin);

/* On entry to inet_autobind(): UDP's first sendmsg() or connect(). */
bool pr_track_autobind_begin(struct pr_bind_ctx *ctx, struct sock *sk)
{
	if (!pr_sock_tracked(sk) || READ_ONCE(inet_sk(sk)->inet_num))
		return false;
	pr_ctx_init(ctx, sk, PR_KIND_AUTOBIND);
	pr_sock_local_addr(sk, &ctx->addr);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_autobind_begin);

static void pr_task_id_current(struct pr_task_id *id)
{
	id->pid = task_tgid_nr(current);
	id->tid = task_pid_nr(current);
	id->uid = current_uid();
	/* A racing prctl(PR_SET_NAME) can only mix two names. */
	memcpy(id->comm, current->comm, sizeof(id->comm));
	id->comm[sizeof(id->comm) - 1] = '\0';
}

static void pr_event_device(struct pr_bind_event *ev, struct net *net,
			    const struct sock *sk)
{
	struct net_device *dev;

	ev->ifindex = READ_ONCE(sk->sk_bound_dev_if);
	memset(ev->ifname, 0, sizeof(ev->ifname));
	if (!ev->ifindex)
		return;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ev->ifindex);
	if (dev)
		strscpy(ev->ifname, dev->name, sizeof(ev->ifname));
	rcu_read_unlock();
}

static void pr_claim_from_event(struct pr_claim_info *info,
				const struct pr_bind_event *ev)
{
	info->since_ns = ev->time_ns;
	info->task = ev->task;
	info->addr = ev->addr;
	info->ino = ev->ino;
	info->netns = ev->netns;
	info->netns_cookie = ev->netns_cookie;
	info->ifindex = ev->ifindex;
	memcpy(info->ifname, ev->ifname, sizeof(info->ifname));
	info->port = ev->port;
	info->family = ev->family;
	info->ipproto = ev->ipproto;
	info->kind = ev->kind;
	info->opts = ev->opts;
}

/* On return from the probed call, with its result (0 or -errno). */
void pr_track_end(struct pr_tracker *t, const struct pr_bind_ctx *ctx,
		  int result)
{
	struct sock *sk = ctx->sk;
	struct net *net = sock_net(sk);
	struct pr_bind_event ev;
	struct pr_claim_info info;

	/* A listen() on a port the socket already held took nothing new. */
	if (ctx->kind == PR_KIND_LISTEN && ctx->requested_port && !result)
		return;

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = ktime_get_real_ns();
	pr_task_id_current(&ev.task);
	ev.netns = net->ns.inum;
	ev.netns_cookie = net->net_cookie;
	ev.result = result;
	ev.requested_port = ctx->requested_port;
	ev.family = sk->sk_family;
	ev.ipproto = sk->sk_protocol;
	ev.kind = ctx->kind;
	ev.opts = ctx->opts;
	if (sk->sk_socket)
		ev.ino = SOCK_INODE(sk->sk_socket)->i_ino;
	pr_event_device(&ev, net, sk);
	if (result) {
		ev.addr = ctx->addr;
	} else {
		ev.port = READ_ONCE(inet_sk(sk)->inet_num);
		pr_sock_local_addr(sk, &ev.addr);
	}

	pr_stat_inc(t, PR_STAT_EVENTS);
	if (result)
		pr_stat_inc(t, PR_STAT_FAILED);
	if (result == -EACCES)
		pr_stat_inc(t, PR_STAT_EACCES);
	if (result == -EADDRINUSE) {
		pr_stat_inc(t, PR_STAT_CONFLICTS);
		if (ev.requested_port &&
		    pr_claims_holder(&t->claims, ev.netns_cookie, ev.ipproto,
				     ev.requested_port, ev.family, &ev.addr,
				     sk, &ev.holder))
			pr_stat_inc(t, PR_STAT_CONFLICTS_NAMED);
	}
	pr_ring_add(&t->ring, &ev);

	/* IP_BIND_ADDRESS_NO_PORT defers the port to connect(). */
	if (!result && ev.port) {
		pr_claim_from_event(&info, &ev);
		pr_claims_add(&t->claims, sk, &info);
	}
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_end);

/* Where a socket gives its port back, or is destroyed. */
void pr_track_release(struct pr_tracker *t, const struct sock *sk)
{
	if (pr_claims_release(&t->claims, sk))
		pr_stat_inc(t, PR_STAT_RELEASES);
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_release);
