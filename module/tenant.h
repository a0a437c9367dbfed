/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_TENANT_H
#define PORTREG_TENANT_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct net;

/*
 * Who a share of portreg's memory is counted against.  A tenant cannot
 * make more of itself to get more: every namespace an ordinary user makes
 * is that user's, and every namespace inside a container is that
 * container's.
 *
 *  - the host: root in the initial network namespace; it has no share and
 *    no limit but the pools' own sizes;
 *  - a user: its sockets in the initial network namespace, and every
 *    network namespace under a user namespace it made (unshare -Urn,
 *    rootless containers);
 *  - a container: every network namespace under a user namespace that
 *    root made (a runtime's user namespace), by its outermost one;
 *  - a network namespace that root made without a user namespace (ip
 *    netns, a container runtime without one): that namespace.
 */
enum pr_tenant_kind {
	PR_TENANT_HOST,
	PR_TENANT_USER,		/* id: the kuid */
	PR_TENANT_USERNS,	/* id: the user namespace's inode number */
	PR_TENANT_NETNS,	/* id: the network namespace's cookie */
};

struct pr_tenant {
	u64 id;
	u8 kind;		/* enum pr_tenant_kind */
};

/* The tenant of network namespace @net other than the initial one. */
void pr_tenant_of_net(const struct net *net, struct pr_tenant *tenant);
/* The tenant of a socket of @uid in the initial network namespace. */
void pr_tenant_of_user(kuid_t uid, struct pr_tenant *tenant);

#endif
