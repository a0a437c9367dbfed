/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_KTABLES_H
#define PORTREG_KTABLES_H

#include <linux/types.h>

#include "conflict.h"
#include "sockinfo.h"

struct net;
struct sock;
struct pr_kt_source;

/*
 * The kernel's own tables of sockets that hold a local port: TCP's bind
 * hash (every TCP socket with a port: bound, listening, connected,
 * accepted, in TIME_WAIT; MPTCP's subflows), DCCP's while dccp.ko is
 * loaded, UDP's port hash, and SCTP's listening endpoints while sctp.ko is
 * loaded.  They, not anything portreg keeps, say what is held.
 */

/*
 * A walk of every socket in the tables, for /proc/portreg/claims.  It
 * takes one hash chain at a time: under the chain's lock it takes a
 * reference on each of its sockets, then lets go of the lock, so no lock
 * is held while lines are formatted, nor across a return to userspace,
 * and a port with 100,000 sockets costs one pass.  All sockets of one
 * port in one network namespace come in one chain.  Process context.
 */
struct pr_kt_iter {
	u64 netns_cookie;	/* only this namespace's, unless all_netns */
	bool all_netns;
	unsigned int source;	/* table being walked */
	unsigned int bucket;	/* its next chain */
	struct sock **chain;	/* the current chain's sockets, held */
	bool *by_connect;	/* ... each in a port connect(2) chose */
	unsigned int nchain;
	unsigned int next;	/* of which the next to hand out */
	unsigned int cap;
	struct pr_kt_source *sources;
	unsigned int nsources;
};

int pr_kt_iter_init(struct pr_kt_iter *it, u64 netns_cookie, bool all_netns);
void pr_kt_iter_exit(struct pr_kt_iter *it);
/*
 * The next chain's sockets, in @it->chain[0 .. @it->nchain - 1] with the
 * protocol of each in @ipproto; false at the end.  @it->by_connect[i]
 * tells whether socket i's port bucket was made by connect(2) rather than
 * bind(2) (for TCP; the kernel marks such buckets).  A chain's sockets
 * stay held until the next call.  May sleep.
 */
bool pr_kt_iter_next_chain(struct pr_kt_iter *it, u8 *ipproto);

/* Entries (port buckets and sockets) one walk of a holder lookup visits. */
#define PR_KT_WALK_MAX	512

/*
 * Finds a socket in @net that holds @port of @ipproto and stands in the
 * way of @req by the kernel's rules, ignoring @self.  Safe in probe
 * context: takes only the chain's own lock, with interrupts off, and
 * visits at most PR_KT_WALK_MAX entries of the chain, then as many again
 * to find a connection's listener; whatever other tenants put in the
 * chain, and whatever changes meanwhile, it never starts over.  Returns 0
 * and fills @holder, @why, @by_connect (as in struct pr_kt_iter) and, for
 * a TCP connection, the cookie of the listener it was accepted from in
 * @listener (0 if none); -ENOENT if no socket stands in the way, -E2BIG if
 * the walk stopped short, -EOPNOTSUPP for a protocol whose table portreg
 * cannot reach from there.
 */
int pr_kt_find_holder(struct net *net, u8 ipproto, u16 port,
		      const struct pr_bindkey *req, const struct sock *self,
		      struct pr_sockinfo *holder, enum pr_conflict *why,
		      u64 *listener, bool *by_connect);

#endif
