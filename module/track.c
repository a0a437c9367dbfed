// SPDX-License-Identifier: GPL-2.0
/*
 * The event core.  The *_begin() calls run on entry to a probed function
 * and save what the return needs; pr_track_end() runs on its return and
 * records the event, the socket's record and the counters;
 * pr_track_release() runs where a socket gives its port back.  All of it
 * runs in probe context: no sleeping, no allocation, only raw spinlocks
 * and, to name a refused bind's holder, the lock of one chain of the
 * kernel's own table (ktables.c).
 */
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "ktables.h"
#include "proto.h"
#include "sockinfo.h"
#include "tenant.h"
#include "track.h"

struct pr_tracker *pr_tracker_create(unsigned int ring_size,
				     unsigned int netns_ring_size,
				     unsigned int max_records,
				     unsigned int share_pct)
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
	err = pr_netns_set_init(&t->netns, ring_size, netns_ring_size,
				share_pct);
	if (err)
		goto err_stats;
	err = pr_records_init(&t->records, max_records, share_pct);
	if (err)
		goto err_netns;
	err = pr_owners_init(&t->owners);
	if (err)
		goto err_records;
	atomic64_set(&t->lost_marked, 0);
	return t;

err_records:
	pr_records_destroy(&t->records);
err_netns:
	pr_netns_set_destroy(&t->netns);
err_stats:
	free_percpu(t->stats);
err_free:
	kfree(t);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(pr_tracker_create);

/* The caller has stopped every probe, reader and sweep. */
void pr_tracker_destroy(struct pr_tracker *t)
{
	pr_preload_free(&t->preload);
	pr_owners_destroy(&t->owners);
	pr_records_destroy(&t->records);
	pr_netns_set_destroy(&t->netns);
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

static void pr_stat_add(struct pr_tracker *t, enum pr_stat stat, u64 n)
{
	this_cpu_add(t->stats->count[stat], n);
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
 * On entry to __inet_bind() or __inet6_bind().  @uaddr is the kernel's
 * copy of the caller's address; a short or foreign one is recorded as the
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

/*
 * On entry to inet_hash_connect() or inet6_hash_connect(): a TCP (or
 * DCCP) connect(2) about to be given its local port, or, for a socket
 * bound before, about to check that its four-tuple is free.  The peer is
 * taken now: the caller forgets it again when the call fails.
 */
bool pr_track_connect_begin(struct pr_bind_ctx *ctx, struct sock *sk)
{
	if (!pr_sock_tracked(sk))
		return false;
	pr_ctx_init(ctx, sk, PR_KIND_CONNECT);
	ctx->requested_port = inet_sk(sk)->inet_num;
	pr_sock_local_addr(sk, &ctx->addr);
	ctx->peer_port = ntohs(inet_sk(sk)->inet_dport);
	memset(&ctx->peer, 0, sizeof(ctx->peer));
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		ctx->peer.v6 = sk->sk_v6_daddr;
		return true;
	}
#endif
	ctx->peer.v4 = inet_sk(sk)->inet_daddr;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_connect_begin);

/*
 * A port the kernel was to choose and could not: autobind's EAGAIN, a
 * bind(2) to port 0 or a listen(2) without one refused with EADDRINUSE,
 * any failed connect (its port, or its four-tuple with the port it had).
 */
static bool pr_autobind_failed(const struct pr_bind_ctx *ctx, int result)
{
	if (!result)
		return false;
	if (ctx->kind == PR_KIND_AUTOBIND || ctx->kind == PR_KIND_CONNECT)
		return true;
	return !ctx->requested_port && result == -EADDRINUSE;
}

static void pr_task_id_current(struct pr_task_id *id)
{
	struct pid *tgid = task_tgid(current), *pid = task_pid(current);
	unsigned int i;

	id->levels = min_t(unsigned int, tgid->level + 1, PR_PID_LEVELS);
	for (i = 0; i < id->levels; i++) {
		id->pid[i] = tgid->numbers[i].nr;
		id->tid[i] = pid->numbers[i].nr;
		id->pidns[i] = tgid->numbers[i].ns->ns.inum;
	}
	id->uid = current_uid();
	/* A racing prctl(PR_SET_NAME) can only mix two names. */
	memcpy(id->comm, current->comm, sizeof(id->comm));
	id->comm[sizeof(id->comm) - 1] = '\0';
	id->cgroup = pr_cgroup_current();
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

/* Who stood in the way of a bind refused with EADDRINUSE. */
static void pr_track_holder(struct pr_tracker *t, struct sock *sk,
			    const struct pr_bind_ctx *ctx,
			    struct pr_holder *h)
{
	struct pr_sockinfo si;
	struct pr_bindkey req;
	struct pr_record rec;
	enum pr_conflict why;
	bool has_rec, by_connect;
	u64 listener = 0;
	int err;

	pr_bindkey_request(&req, sk, &ctx->addr);
	err = pr_kt_find_holder(sock_net(sk), sk->sk_protocol,
				ctx->requested_port, &req, sk, &si, &why,
				&listener, &by_connect);
	switch (err) {
	case 0:
		break;
	case -E2BIG:
		h->status = PR_HOLDER_TOO_MANY;
		return;
	case -EOPNOTSUPP:
		h->status = PR_HOLDER_UNREACHABLE;
		return;
	default:
		h->status = PR_HOLDER_GONE;
		return;
	}
	h->status = PR_HOLDER_FOUND;
	h->why = why;
	h->family = si.key.family;
	h->addr = si.addr;
	h->raddr = si.raddr;
	h->rport = si.rport;
	h->ino = si.ino;
	h->expires_ns = si.expires_ns;
	h->uid = si.key.uid;
	h->has_uid = si.state != TCP_TIME_WAIT;
	has_rec = pr_records_find(&t->records, si.cookie, &rec);
	h->origin = pr_origin_of(&si, has_rec ? &rec : NULL,
				 pr_preload_has(&t->preload, si.cookie),
				 listener || !by_connect);
	/* A connection's claimer is its listener's. */
	if (!has_rec && h->origin == PR_KIND_ACCEPT)
		has_rec = pr_records_find(&t->records, listener, &rec);
	if (has_rec)
		h->task = rec.task;
}

void pr_track_claim(struct pr_tracker *t, const struct pr_sockinfo *si,
		    u64 listener_cookie, bool by_connect,
		    struct pr_claim_info *ci)
{
	struct pr_record rec;
	bool has_rec;

	memset(ci, 0, sizeof(*ci));
	has_rec = pr_records_find(&t->records, si->cookie, &rec);
	ci->kind = pr_origin_of(si, has_rec ? &rec : NULL,
				pr_preload_has(&t->preload, si->cookie),
				listener_cookie || !by_connect);
	if (!has_rec && ci->kind == PR_KIND_ACCEPT)
		has_rec = pr_records_find(&t->records, listener_cookie, &rec);
	if (has_rec) {
		ci->task = rec.task;
		ci->since_ns = rec.since_ns;
	}
	ci->addr = si->addr;
	ci->raddr = si->raddr;
	ci->ino = si->ino;
	ci->cookie = si->cookie;
	ci->netns_cookie = si->netns_cookie;
	ci->netns = si->netns;
	ci->uid = si->key.uid;
	ci->has_uid = si->state != TCP_TIME_WAIT;
	ci->ifindex = si->key.bound_dev_if;
	ci->port = si->port;
	ci->rport = si->rport;
	ci->family = si->key.family;
	ci->ipproto = si->ipproto;
	ci->opts = si->opts;
	ci->state = si->shown_state;
	/* Against the set as it is now; only a claimer portreg knows. */
	if (has_rec && ci->netns_cookie == init_net.net_cookie &&
	    (ci->kind == PR_KIND_BIND || ci->kind == PR_KIND_LISTEN ||
	     ci->kind == PR_KIND_AUTOBIND))
		pr_owners_unexpected(&t->owners, ci->port, ci->ipproto,
				     ci->task.comm, ci->expected_owner, -1, 0);
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_claim);

/*
 * The record of a socket that just took @ev->port, made by a task in
 * @cgroup, whose reference the record takes.
 */
static void pr_track_record(struct pr_tracker *t, struct sock *sk,
			    const struct pr_bind_event *ev,
			    struct cgroup *cgroup,
			    const struct pr_tenant *tenant)
{
	struct pr_record rec = {
		.cookie = pr_sock_cookie(sk),
		.since_ns = ev->time_ns,
		.netns_cookie = ev->netns_cookie,
		.task = ev->task,
		.port = ev->port,
		.kind = ev->kind,
		.ipproto = ev->ipproto,
	};

	rec.task.cgroup = cgroup;
	rec.tenant = pr_records_tenant(&t->records, tenant);
	pr_records_add(&t->records, &rec);
}

/*
 * Whose share a socket of @net made by the current task counts against;
 * @ns is @net's entry, or NULL.
 */
static void pr_track_tenant(const struct net *net, const struct pr_netns *ns,
			    kuid_t uid, struct pr_tenant *tenant)
{
	if (net_eq(net, &init_net))
		pr_tenant_of_user(uid, tenant);
	else if (ns)
		*tenant = ns->tenant;
	else
		pr_tenant_of_net(net, tenant);
}

/*
 * Logs @ev in the log of its namespace, @ns (NULL if it has none: its
 * entry could not be allocated), counted there and in @t.  The log takes
 * @ev's references, or they are dropped.
 */
static void pr_track_log(struct pr_tracker *t, struct pr_netns *ns,
			 struct pr_bind_event *ev)
{
	u64 seq;

	if (!ns) {
		atomic64_inc(&t->netns.unlogged);
		pr_event_put(ev);
		return;
	}
	pr_ring_add(&ns->ring, ev, &seq);
}

/* On return from the probed call, with its result (0 or -errno). */
void pr_track_end(struct pr_tracker *t, const struct pr_bind_ctx *ctx,
		  int result)
{
	struct sock *sk = ctx->sk;
	struct net *net = sock_net(sk);
	struct cgroup *claimer_cgroup = NULL;
	struct pr_tenant tenant;
	struct pr_bind_event ev;
	struct pr_netns *ns;

	/* A listen() on a port the socket already held took nothing new. */
	if (ctx->kind == PR_KIND_LISTEN && ctx->requested_port && !result)
		return;
	/* A connect's port is in claims; only its failure is an event. */
	if (ctx->kind == PR_KIND_CONNECT && !result)
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
	/* Only a connect's begin fills the peer in. */
	if (ctx->kind == PR_KIND_CONNECT) {
		ev.peer = ctx->peer;
		ev.peer_port = ctx->peer_port;
	}
	if (result) {
		ev.addr = ctx->addr;
	} else {
		/* The probed call released the socket's lock: a racing
		 * connect(AF_UNSPEC) may have let the port go again.  The
		 * record is harmless then: claims come from the kernel.
		 */
		ev.port = READ_ONCE(inet_sk(sk)->inet_num);
		pr_sock_local_addr(sk, &ev.addr);
	}

	rcu_read_lock();
	ns = pr_netns_find(&t->netns, ev.netns_cookie);
	pr_stat_add(t, PR_STAT_EVENTS, 1);
	if (ns)
		pr_netns_stat_add(ns, PR_NS_EVENTS, 1);
	if (result) {
		pr_stat_add(t, PR_STAT_FAILED, 1);
		if (ns)
			pr_netns_stat_add(ns, PR_NS_FAILED, 1);
	}
	if (result == -EACCES) {
		pr_stat_add(t, PR_STAT_EACCES, 1);
		if (ns)
			pr_netns_stat_add(ns, PR_NS_EACCES, 1);
	}
	if (pr_autobind_failed(ctx, result)) {
		pr_stat_add(t, PR_STAT_AUTOBIND_FAILED, 1);
		if (ns)
			pr_netns_stat_add(ns, PR_NS_AUTOBIND_FAILED, 1);
	}
	if (result == -EADDRINUSE && ev.requested_port &&
	    ctx->kind != PR_KIND_CONNECT) {
		pr_stat_add(t, PR_STAT_CONFLICTS, 1);
		if (ns)
			pr_netns_stat_add(ns, PR_NS_CONFLICTS, 1);
		pr_track_holder(t, sk, ctx, &ev.holder);
		if (ev.holder.status == PR_HOLDER_FOUND) {
			pr_stat_add(t, PR_STAT_CONFLICTS_NAMED, 1);
			if (ns)
				pr_netns_stat_add(ns, PR_NS_CONFLICTS_NAMED, 1);
		}
	}
	/* The host's ports only: a container's are its own business. */
	if (!result && ev.port && net_eq(net, &init_net) &&
	    pr_owners_unexpected(&t->owners, ev.port, ev.ipproto,
				 ev.task.comm, ev.expected_owner,
				 ev.task.pid[0],
				 from_kuid_munged(&init_user_ns, ev.task.uid)))
		pr_stat_add(t, PR_STAT_UNEXPECTED, 1);
	/* IP_BIND_ADDRESS_NO_PORT defers the port to connect(). */
	if (!result && ev.port)
		claimer_cgroup = pr_cgroup_get(ev.task.cgroup);
	pr_track_log(t, ns, &ev);
	pr_track_tenant(net, ns, ev.task.uid, &tenant);
	rcu_read_unlock();

	if (!result && ev.port)
		pr_track_record(t, sk, &ev, claimer_cgroup, &tenant);
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_end);

/*
 * Logs the end of the claim @rec of @sk: its claimer, how and when it
 * claimed, and the port, as the history of the port (docs/proc-binds.md).
 * The event takes over @rec's reference.
 * The event counts against the claimer's share of the log, not against
 * whoever's context the release runs in (often a timer's or RCU's).
 */
static void pr_track_log_release(struct pr_tracker *t, struct sock *sk,
				 struct pr_record *rec)
{
	struct net *net = sock_net(sk);
	struct pr_bind_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = ktime_get_real_ns();
	ev.task = rec->task;
	rec->task.cgroup = NULL;
	ev.netns = net->ns.inum;
	ev.netns_cookie = net->net_cookie;
	ev.family = sk->sk_family;
	ev.ipproto = sk->sk_protocol;
	ev.kind = PR_KIND_RELEASE;
	ev.claim_kind = rec->kind;
	ev.since_ns = rec->since_ns;
	ev.port = rec->port;
	ev.opts = pr_sock_opts(sk);
	/*
	 * No inode: a timer may release an orphaned socket while its file
	 * is going away, and no column of a release shows it.
	 */
	pr_event_device(&ev, net, sk);
	pr_sock_local_addr(sk, &ev.addr);
	rcu_read_lock();
	pr_track_log(t, pr_netns_find(&t->netns, ev.netns_cookie), &ev);
	rcu_read_unlock();
}

/* Where a socket gives its port back. */
void pr_track_release(struct pr_tracker *t, struct sock *sk)
{
	/* A socket that never had a cookie never had a record. */
	u64 cookie = atomic64_read(&sk->sk_cookie);
	struct pr_record rec;

	if (!cookie || !pr_records_drop(&t->records, cookie, &rec))
		return;
	pr_stat_add(t, PR_STAT_RELEASES, 1);
	pr_track_log_release(t, sk, &rec);
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_release);

void pr_track_lost(struct pr_tracker *t, u64 missed)
{
	struct pr_bind_event ev;
	s64 marked = atomic64_read(&t->lost_marked);

	do {
		if ((s64)missed <= marked)
			return;
	} while (!atomic64_try_cmpxchg(&t->lost_marked, &marked, missed));

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = ktime_get_real_ns();
	ev.kind = PR_KIND_LOST;
	ev.lost = missed - marked;
	ev.netns_cookie = init_net.net_cookie;
	ev.netns = init_net.ns.inum;
	pr_stat_add(t, PR_STAT_LOST, ev.lost);
	/* The probes do not say where the misses were: the host's log. */
	pr_track_log(t, t->netns.init, &ev);
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_lost);

void pr_track_unfollowed(struct pr_tracker *t, struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct pr_bind_event ev;
	struct pr_netns *ns;

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = ktime_get_real_ns();
	ev.kind = PR_KIND_LOST;
	ev.lost = 1;
	ev.result = -EBUSY;
	ev.task.uid = current_uid();
	ev.netns_cookie = net->net_cookie;
	ev.netns = net->ns.inum;
	pr_stat_add(t, PR_STAT_UNFOLLOWED, 1);
	rcu_read_lock();
	ns = pr_netns_find(&t->netns, ev.netns_cookie);
	if (ns)
		pr_netns_stat_add(ns, PR_NS_UNFOLLOWED, 1);
	pr_track_log(t, ns, &ev);
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(pr_track_unfollowed);
