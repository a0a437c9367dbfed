// SPDX-License-Identifier: GPL-2.0
/*
 * Walks of the kernel's own port tables: TCP's and DCCP's bind hash
 * (struct inet_hashinfo's bhash), UDP's port hash and SCTP's endpoints.
 * Every chain is walked under the lock the kernel itself takes to change
 * it, so what portreg reports is what the kernel holds at that moment.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sctp/sctp.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <net/udp.h>
#include <kunit/visibility.h>

#include "ktables.h"

enum pr_kt_kind { PR_KT_INET, PR_KT_UDP, PR_KT_SCTP };

struct pr_kt_source {
	enum pr_kt_kind kind;
	u8 ipproto;
	struct inet_hashinfo *hinfo;	/* PR_KT_INET */
	struct udp_table *udp;		/* PR_KT_UDP */
	const char *symbol;		/* what __symbol_get() gave, to put */
};

#define PR_KT_SOURCES_MAX	8

static bool pr_kt_shows(const struct pr_kt_iter *it, const struct sock *sk)
{
	return it->all_netns || sock_net(sk)->net_cookie == it->netns_cookie;
}

/* Appends @sk, held, to the chain; false if there is no room. */
static bool pr_kt_take(struct pr_kt_iter *it, struct sock *sk,
		       bool by_connect)
{
	if (it->nchain == it->cap)
		return false;
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		return true;	/* on its way out: not a holder any more */
	it->by_connect[it->nchain] = by_connect;
	it->chain[it->nchain++] = sk;
	return true;
}

/*
 * A port bucket connect(2) made: the kernel marks it so, and marks a
 * bind's so once only connect(2)'s sockets are left in it (7.x).
 */
static bool pr_kt_bucket_by_connect(const struct inet_bind_bucket *tb)
{
	return tb->fastreuse == -1 && tb->fastreuseport == -1;
}

static void pr_kt_release_chain(struct pr_kt_iter *it)
{
	while (it->nchain)
		sock_gen_put(it->chain[--it->nchain]);
	it->next = 0;
}

/* Sizes the chain arrays for @cap sockets; process context, no lock. */
static int pr_kt_alloc(struct pr_kt_iter *it, unsigned int cap)
{
	struct sock **chain;
	bool *by_connect;

	chain = kvmalloc_array(cap, sizeof(*chain), GFP_KERNEL_ACCOUNT);
	by_connect = kvmalloc_array(cap, sizeof(*by_connect), GFP_KERNEL_ACCOUNT);
	if (!chain || !by_connect) {
		kvfree(chain);
		kvfree(by_connect);
		return -ENOMEM;
	}
	kvfree(it->chain);
	kvfree(it->by_connect);
	it->chain = chain;
	it->by_connect = by_connect;
	it->cap = cap;
	return 0;
}

/* One bind hash chain: every owner of every port whose bucket is on it. */
static bool pr_kt_fill_inet(struct pr_kt_iter *it, struct inet_hashinfo *h,
			    unsigned int bucket)
{
	struct inet_bind_hashbucket *head = &h->bhash[bucket];
	struct inet_bind2_bucket *tb2;
	struct inet_bind_bucket *tb;
	struct hlist_head *owners;
	struct sock *sk;
	bool room = true;

	spin_lock_bh(&head->lock);
	inet_bind_bucket_for_each(tb, &head->chain) {
		for (owners = pr_tb_owners_first(tb, &tb2); owners;
		     owners = pr_tb_owners_next(&tb2)) {
			sk_for_each_bound(sk, owners) {
				if (!pr_kt_shows(it, sk))
					continue;
				room = pr_kt_take(it, sk,
						  pr_kt_bucket_by_connect(tb));
				if (!room)
					goto out;
			}
		}
	}
out:
	spin_unlock_bh(&head->lock);
	return room;
}

static bool pr_kt_fill_udp(struct pr_kt_iter *it, struct udp_table *t,
			   unsigned int bucket)
{
	struct udp_hslot *hslot = &t->hash[bucket];
	struct sock *sk;
	bool room = true;

	spin_lock_bh(&hslot->lock);
	sk_for_each(sk, &hslot->head) {
		if (!pr_kt_shows(it, sk))
			continue;
		room = pr_kt_take(it, sk, false);
		if (!room)
			break;
	}
	spin_unlock_bh(&hslot->lock);
	return room;
}

typedef int (*pr_sctp_for_each_endpoint_t)(int (*cb)(struct sctp_endpoint *,
						      void *),
					    struct net *net, int *pos,
					    void *p);

static int pr_kt_sctp_one(struct sctp_endpoint *ep, void *arg)
{
	struct pr_kt_iter *it = arg;

	return pr_kt_take(it, ep->base.sk, false) ? 0 : -ENOSPC;
}

/*
 * SCTP's listening endpoints, all in one go: sctp.ko walks its own hash
 * under its own locks and hands each to the callback with a reference.
 */
static bool pr_kt_fill_sctp(struct pr_kt_iter *it, struct pr_kt_source *src)
{
	pr_sctp_for_each_endpoint_t walk = (void *)src->hinfo;
	struct net *net;
	int pos, err = 0;

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (!it->all_netns && net->net_cookie != it->netns_cookie)
			continue;
		if (!maybe_get_net(net))
			continue;
		rcu_read_unlock();
		pos = 0;
		err = walk(pr_kt_sctp_one, net, &pos, it);
		rcu_read_lock();
		put_net(net);
		if (err)
			break;
	}
	rcu_read_unlock();
	return !err;
}

static unsigned int pr_kt_buckets(const struct pr_kt_source *src)
{
	switch (src->kind) {
	case PR_KT_INET:
		return src->hinfo->bhash_size;
	case PR_KT_UDP:
		return src->udp->mask + 1;
	default:
		return 1;
	}
}

static bool pr_kt_fill(struct pr_kt_iter *it, struct pr_kt_source *src,
		       unsigned int bucket)
{
	switch (src->kind) {
	case PR_KT_INET:
		return pr_kt_fill_inet(it, src->hinfo, bucket);
	case PR_KT_UDP:
		return pr_kt_fill_udp(it, src->udp, bucket);
	default:
		return pr_kt_fill_sctp(it, src);
	}
}

bool pr_kt_iter_next_chain(struct pr_kt_iter *it, u8 *ipproto)
{
	struct pr_kt_source *src;

	pr_kt_release_chain(it);
	for (; it->source < it->nsources; it->source++, it->bucket = 0) {
		src = &it->sources[it->source];
		while (it->bucket < pr_kt_buckets(src)) {
			if (!pr_kt_fill(it, src, it->bucket)) {
				/* Too many for the array: grow, and take it again. */
				pr_kt_release_chain(it);
				if (pr_kt_alloc(it, it->cap * 2))
					return false;
				continue;
			}
			it->bucket++;
			if (!(it->bucket & 255))
				cond_resched();
			if (it->nchain) {
				*ipproto = src->ipproto;
				return true;
			}
		}
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(pr_kt_iter_next_chain);

static void pr_kt_add_udp(struct pr_kt_iter *it, struct udp_table *t)
{
	unsigned int i;

	for (i = 0; i < it->nsources; i++)
		if (it->sources[i].udp == t)
			return;
	if (it->nsources == PR_KT_SOURCES_MAX)
		return;
	it->sources[it->nsources++] = (struct pr_kt_source){
		.kind = PR_KT_UDP, .ipproto = IPPROTO_UDP, .udp = t,
	};
}

/*
 * The tables to walk: TCP's bind hash, shared by every namespace; DCCP's
 * and SCTP's while their modules are loaded (a reference keeps them so);
 * and UDP's tables, which a namespace may have of its own.
 */
int pr_kt_iter_init(struct pr_kt_iter *it, u64 netns_cookie, bool all_netns)
{
	struct net *net;
	void *sym;

	memset(it, 0, sizeof(*it));
	it->netns_cookie = netns_cookie;
	it->all_netns = all_netns;
	it->sources = kcalloc(PR_KT_SOURCES_MAX, sizeof(*it->sources),
			      GFP_KERNEL_ACCOUNT);
	if (!it->sources || pr_kt_alloc(it, 64)) {
		pr_kt_iter_exit(it);
		return -ENOMEM;
	}
	it->sources[it->nsources++] = (struct pr_kt_source){
		.kind = PR_KT_INET, .ipproto = IPPROTO_TCP,
		.hinfo = init_net.ipv4.tcp_death_row.hashinfo,
	};
	sym = __symbol_get("dccp_hashinfo");
	if (sym)
		it->sources[it->nsources++] = (struct pr_kt_source){
			.kind = PR_KT_INET, .ipproto = IPPROTO_DCCP,
			.hinfo = sym, .symbol = "dccp_hashinfo",
		};
	sym = __symbol_get("sctp_for_each_endpoint");
	if (sym)
		it->sources[it->nsources++] = (struct pr_kt_source){
			.kind = PR_KT_SCTP, .ipproto = IPPROTO_SCTP,
			.hinfo = sym, .symbol = "sctp_for_each_endpoint",
		};
	rcu_read_lock();
	for_each_net_rcu(net)
		if (all_netns || net->net_cookie == netns_cookie)
			pr_kt_add_udp(it, pr_udp_table(net));
	rcu_read_unlock();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_kt_iter_init);

void pr_kt_iter_exit(struct pr_kt_iter *it)
{
	unsigned int i;

	if (it->chain)
		pr_kt_release_chain(it);
	for (i = 0; i < it->nsources; i++)
		if (it->sources[i].symbol)
			__symbol_put(it->sources[i].symbol);
	kvfree(it->chain);
	kvfree(it->by_connect);
	kfree(it->sources);
	it->chain = NULL;
	it->by_connect = NULL;
	it->sources = NULL;
	it->nsources = 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_kt_iter_exit);

/* The holder of a port, for a failed bind: probe context. */

static int pr_kt_check(const struct pr_bindkey *req, struct sock *sk2,
		       u8 ipproto, struct pr_sockinfo *holder,
		       enum pr_conflict *why)
{
	struct pr_sockinfo si;
	enum pr_conflict c;

	pr_sockinfo_fill(&si, sk2, ipproto);
	c = ipproto == IPPROTO_UDP ? pr_conflict_udp(req, &si.key) :
				     pr_conflict_tcp(req, &si.key);
	if (c == PR_CONFLICT_NONE)
		return -ENOENT;
	*holder = si;
	*why = c;
	return 0;
}

/*
 * The listener a connection on @child's port was accepted from: one on
 * the same port, on the connection's address or the wildcard.
 */
static struct sock *pr_kt_listener_of(struct inet_bind_bucket *tb,
				      const struct pr_sockinfo *child)
{
	struct inet_bind2_bucket *tb2;
	struct hlist_head *owners;
	struct pr_sockinfo si;
	unsigned int walked = 0;
	struct sock *sk;

	for (owners = pr_tb_owners_first(tb, &tb2); owners;
	     owners = pr_tb_owners_next(&tb2)) {
		sk_for_each_bound(sk, owners) {
			if (++walked > PR_KT_WALK_MAX)
				return NULL;
			if (READ_ONCE(sk->sk_state) != TCP_LISTEN)
				continue;
			pr_sockinfo_fill(&si, sk, child->ipproto);
			if (pr_bindkey_addr_overlap(&child->key, &si.key))
				return sk;
		}
	}
	return NULL;
}

static bool pr_kt_connected(const struct pr_sockinfo *si)
{
	return si->state != TCP_LISTEN && si->state != TCP_CLOSE &&
	       si->state != TCP_TIME_WAIT;
}

static int pr_kt_holder_inet(struct inet_hashinfo *h, struct net *net,
			     u16 port, int l3mdev, const struct pr_bindkey *req,
			     const struct sock *self, u8 ipproto,
			     struct pr_sockinfo *holder, enum pr_conflict *why,
			     u64 *listener, bool *by_connect)
{
	struct inet_bind_hashbucket *head;
	struct inet_bind2_bucket *tb2;
	struct inet_bind_bucket *tb;
	struct hlist_head *owners;
	unsigned int walked = 0;
	unsigned long flags;
	struct sock *sk2, *l;
	int err = -ENOENT;

	head = &h->bhash[inet_bhashfn(net, port, h->bhash_size)];
	/*
	 * Interrupts off, not only bottom halves: with bottom halves merely
	 * disabled, re-enabling them could run softirqs inside this probe
	 * handler, whose own probe hits the kernel would then drop.
	 */
	spin_lock_irqsave(&head->lock, flags);
	inet_bind_bucket_for_each(tb, &head->chain) {
		/* Buckets of other ports and namespaces count too. */
		if (++walked > PR_KT_WALK_MAX) {
			err = -E2BIG;
			goto out;
		}
		if (!net_eq(ib_net(tb), net) || tb->port != port ||
		    tb->l3mdev != l3mdev)
			continue;
		for (owners = pr_tb_owners_first(tb, &tb2); owners;
		     owners = pr_tb_owners_next(&tb2)) {
			sk_for_each_bound(sk2, owners) {
				if (sk2 == self)
					continue;
				if (++walked > PR_KT_WALK_MAX) {
					err = -E2BIG;
					goto out;
				}
				err = pr_kt_check(req, sk2, ipproto, holder, why);
				if (err)
					continue;
				l = pr_kt_connected(holder) ?
				    pr_kt_listener_of(tb, holder) : NULL;
				*listener = l ? pr_sock_cookie(l) : 0;
				*by_connect = pr_kt_bucket_by_connect(tb);
				goto out;
			}
		}
	}
out:
	spin_unlock_irqrestore(&head->lock, flags);
	return err;
}

static int pr_kt_holder_udp(struct net *net, u16 port,
			    const struct pr_bindkey *req,
			    const struct sock *self,
			    struct pr_sockinfo *holder, enum pr_conflict *why)
{
	struct udp_table *t = pr_udp_table(net);
	struct udp_hslot *hslot = udp_hashslot(t, net, port);
	unsigned int walked = 0;
	struct sock *sk2;
	int err = -ENOENT;

	/*
	 * UDP's port chains change under RCU, and its sockets outlive it.
	 * A chain holds every port that hashes to it, in every namespace:
	 * each socket looked at counts, not only those of this port.
	 */
	rcu_read_lock();
	sk_for_each_rcu(sk2, &hslot->head) {
		if (++walked > PR_KT_WALK_MAX) {
			err = -E2BIG;
			break;
		}
		if (sk2 == self || !net_eq(sock_net(sk2), net) ||
		    udp_sk(sk2)->udp_port_hash != port)
			continue;
		err = pr_kt_check(req, sk2, IPPROTO_UDP, holder, why);
		if (!err)
			break;
	}
	rcu_read_unlock();
	return err;
}

int pr_kt_find_holder(struct net *net, u8 ipproto, u16 port,
		      const struct pr_bindkey *req, const struct sock *self,
		      struct pr_sockinfo *holder, enum pr_conflict *why,
		      u64 *listener, bool *by_connect)
{
	int l3mdev = inet_sk_bound_l3mdev(self);

	*listener = 0;
	*by_connect = false;
	switch (ipproto) {
	case IPPROTO_TCP:
		return pr_kt_holder_inet(net->ipv4.tcp_death_row.hashinfo, net,
					 port, l3mdev, req, self, ipproto,
					 holder, why, listener, by_connect);
	case IPPROTO_UDP:
		return pr_kt_holder_udp(net, port, req, self, holder, why);
	default:
		/* DCCP and SCTP live in modules portreg may not pin here. */
		return -EOPNOTSUPP;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pr_kt_find_holder);
