/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_SOCKINFO_H
#define PORTREG_SOCKINFO_H

#include <linux/types.h>

#include "conflict.h"
#include "event.h"

struct sock;

/*
 * One socket that holds a local port, as the kernel's tables have it,
 * copied into plain values: what a claims line and a holder need.  Full
 * sockets and TIME_WAIT ones alike.
 */
struct pr_sockinfo {
	struct pr_bindkey key;	/* address, owner, options */
	struct pr_addr addr;	/* the local address, as lines show it */
	struct pr_addr raddr;	/* the peer, if connected or in TIME_WAIT */
	u64 cookie;		/* sk_cookie; 0 if nothing ever asked */
	u64 netns_cookie;
	u64 ino;		/* the socket's inode, 0 if none */
	u64 expires_ns;		/* TIME_WAIT: time left */
	u32 netns;		/* inode number of the network namespace */
	u16 port;
	u16 rport;
	u8 ipproto;
	u8 state;		/* TCP_* (UDP: TCP_CLOSE or TCP_ESTABLISHED) */
	u8 shown_state;		/* as ss shows it: a TIME_WAIT's substate */
	u8 opts;		/* PR_OPT_* */
	bool kern;		/* created by the kernel (sock_create_kern) */
};

/*
 * Copies what portreg shows of @sk.  The caller keeps @sk alive: it holds
 * the lock of the hash chain @sk is on, or a reference.  Never sleeps.
 */
void pr_sockinfo_fill(struct pr_sockinfo *si, const struct sock *sk,
		      u8 ipproto);
/*
 * The socket's cookie, given it now if it had none: the same one sock_diag
 * (ss -e) and BPF report, and never reused.  Any context.
 */
u64 pr_sock_cookie(struct sock *sk);
/* The conflict view of a socket asking for @port at @addr. */
void pr_bindkey_request(struct pr_bindkey *key, const struct sock *sk,
			const struct pr_addr *addr);

#endif
