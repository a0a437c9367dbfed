/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_CONFLICT_H
#define PORTREG_CONFLICT_H

#include <linux/in6.h>
#include <linux/types.h>
#include <linux/uidgid.h>

/*
 * What the kernel's bind-conflict rules look at of one socket on a port,
 * as plain values, so that the rules can be applied to a socket that is
 * gone (a failed bind's request) and tested without sockets.
 */
struct pr_bindkey {
	struct in6_addr v6;	/* an IPv6 socket's address */
	__be32 v4;		/* inet_rcv_saddr: an IPv4 socket's address,
				 * an IPv6 one's IPv4 view (0 for ::, the
				 * mapped address, or 127.0.0.6 otherwise)
				 */
	kuid_t uid;		/* the socket's owner (sk_uid) */
	int bound_dev_if;	/* SO_BINDTODEVICE, 0 for none */
	u8 family;		/* AF_INET or AF_INET6 */
	bool listening;
	bool timewait;
	bool reuse;		/* SO_REUSEADDR */
	bool reuseport;		/* SO_REUSEPORT */
	bool v6only;		/* IPV6_V6ONLY */
};

/* Why a socket's bind conflicts with one that holds the port. */
enum pr_conflict {
	PR_CONFLICT_NONE,
	PR_CONFLICT_EXCLUSIVE,		/* neither option lets them share */
	PR_CONFLICT_LISTENER,		/* both SO_REUSEADDR, but it listens */
	PR_CONFLICT_REUSEPORT_UID,	/* both SO_REUSEPORT, other owners */
	PR_CONFLICT_COUNT
};

/*
 * The kernel's rules for a bind(2) or listen(2) to a given port, as
 * inet_csk_get_port() applies them to TCP (and DCCP, and MPTCP's TCP
 * subflows) and udp_lib_get_port() to UDP.  @req asks for the port,
 * @held has it.
 */
enum pr_conflict pr_conflict_tcp(const struct pr_bindkey *req,
				 const struct pr_bindkey *held);
enum pr_conflict pr_conflict_udp(const struct pr_bindkey *req,
				 const struct pr_bindkey *held);
/* inet_rcv_saddr_equal(req, held, true): could their addresses meet? */
bool pr_bindkey_addr_overlap(const struct pr_bindkey *req,
			     const struct pr_bindkey *held);

#endif
