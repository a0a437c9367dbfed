// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's bind-conflict rules, restated on plain values.  They decide
 * who portreg names as the holder of a port a bind was refused, so they
 * must be the kernel's own: inet_bind_conflict() and inet_rcv_saddr_equal()
 * in net/ipv4/inet_connection_sock.c, udp_lib_lport_inuse() in
 * net/ipv4/udp.c (unchanged in substance from 6.1 to 7.3).  The VM's
 * bindtest checks every answer against the kernel's own refusals, in the
 * scenarios of the kernel's net selftests.
 */
#include <linux/export.h>
#include <linux/in.h>
#include <linux/socket.h>
#include <net/ipv6.h>
#include <kunit/visibility.h>

#include "conflict.h"

/*
 * A v4-mapped IPv6 address is IPv4 for the rules; an IPv4 socket meets
 * an IPv6 one through the latter's IPv4 view (inet_rcv_saddr), which the
 * kernel sets to 0 for ::, so a v4 wildcard and a v6 one meet unless the
 * IPv6 socket is IPV6_V6ONLY.
 */
static bool pr_v4_overlap(__be32 a, __be32 b, bool b_v6only)
{
	if (b_v6only)
		return false;
	return a == b || !a || !b;
}

static bool pr_v6_overlap(const struct pr_bindkey *a,
			  const struct pr_bindkey *b)
{
	int type_a = ipv6_addr_type(&a->v6);
	int type_b = b->family == AF_INET6 ? ipv6_addr_type(&b->v6) :
					     IPV6_ADDR_MAPPED;

	if (type_a == IPV6_ADDR_MAPPED && type_b == IPV6_ADDR_MAPPED)
		return pr_v4_overlap(a->v4, b->v4, b->v6only);
	if (type_a == IPV6_ADDR_ANY && type_b == IPV6_ADDR_ANY)
		return true;
	if (type_b == IPV6_ADDR_ANY &&
	    !(b->v6only && type_a == IPV6_ADDR_MAPPED))
		return true;
	if (type_a == IPV6_ADDR_ANY &&
	    !(a->v6only && type_b == IPV6_ADDR_MAPPED))
		return true;
	return b->family == AF_INET6 && ipv6_addr_equal(&a->v6, &b->v6);
}

bool pr_bindkey_addr_overlap(const struct pr_bindkey *req,
			     const struct pr_bindkey *held)
{
	if (req->family == AF_INET6)
		return pr_v6_overlap(req, held);
	return pr_v4_overlap(req->v4, held->v4,
			     held->family == AF_INET6 && held->v6only);
}
EXPORT_SYMBOL_IF_KUNIT(pr_bindkey_addr_overlap);

/* Sockets bound to two different devices never meet. */
static bool pr_devices_meet(const struct pr_bindkey *a,
			    const struct pr_bindkey *b)
{
	return !a->bound_dev_if || !b->bound_dev_if ||
	       a->bound_dev_if == b->bound_dev_if;
}

/* SO_REUSEPORT shares a port among sockets of one owner; TIME_WAIT counts. */
static bool pr_reuseport_shares(const struct pr_bindkey *req,
				const struct pr_bindkey *held)
{
	return req->reuseport && held->reuseport &&
	       (held->timewait || uid_eq(req->uid, held->uid));
}

enum pr_conflict pr_conflict_tcp(const struct pr_bindkey *req,
				 const struct pr_bindkey *held)
{
	if (!pr_devices_meet(req, held) || !pr_bindkey_addr_overlap(req, held))
		return PR_CONFLICT_NONE;
	/* SO_REUSEADDR on both shares a port with anything but a listener. */
	if (req->reuse && held->reuse && !held->listening)
		return PR_CONFLICT_NONE;
	if (pr_reuseport_shares(req, held))
		return PR_CONFLICT_NONE;
	if (req->reuseport && held->reuseport)
		return PR_CONFLICT_REUSEPORT_UID;
	if (req->reuse && held->reuse)
		return PR_CONFLICT_LISTENER;
	return PR_CONFLICT_EXCLUSIVE;
}
EXPORT_SYMBOL_IF_KUNIT(pr_conflict_tcp);

enum pr_conflict pr_conflict_udp(const struct pr_bindkey *req,
				 const struct pr_bindkey *held)
{
	if (!pr_devices_meet(req, held) || !pr_bindkey_addr_overlap(req, held))
		return PR_CONFLICT_NONE;
	if (req->reuse && held->reuse)
		return PR_CONFLICT_NONE;
	if (req->reuseport && held->reuseport) {
		if (uid_eq(req->uid, held->uid))
			return PR_CONFLICT_NONE;
		return PR_CONFLICT_REUSEPORT_UID;
	}
	return PR_CONFLICT_EXCLUSIVE;
}
EXPORT_SYMBOL_IF_KUNIT(pr_conflict_udp);
