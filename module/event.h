/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What portreg records about one attempt to take a local port, and about
 * one socket that holds a port now.  Both are plain values: nothing in them
 * points into the kernel, so a reader may copy and print them at leisure.
 */
#ifndef PORTREG_EVENT_H
#define PORTREG_EVENT_H

#include <linux/if.h>
#include <linux/in6.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>

/* How the socket came to ask for a port (the KIND column). */
enum pr_bind_kind {
	PR_KIND_BIND,		/* bind(2) */
	PR_KIND_LISTEN,		/* listen(2): autobind, or a port now taken */
	PR_KIND_AUTOBIND,	/* first sendmsg(2) or connect(2) on UDP */
	PR_KIND_COUNT
};

/* Socket options that change what bind(2) may do (the OPTS column). */
#define PR_OPT_FREEBIND		BIT(0)	/* IP_FREEBIND, IPV6_FREEBIND */
#define PR_OPT_TRANSPARENT	BIT(1)	/* IP_TRANSPARENT */
#define PR_OPT_NO_PORT		BIT(2)	/* IP_BIND_ADDRESS_NO_PORT */
#define PR_OPT_REUSEADDR	BIT(3)	/* SO_REUSEADDR */
#define PR_OPT_REUSEPORT	BIT(4)	/* SO_REUSEPORT */
#define PR_OPT_COUNT		5

/* An IPv4 address sits in the first four bytes, the rest zero. */
struct pr_addr {
	union {
		__be32 v4;
		struct in6_addr v6;
	};
};

/* Who did something: the task, as the initial namespaces see it. */
struct pr_task_id {
	pid_t pid;			/* thread group id */
	pid_t tid;
	kuid_t uid;			/* real uid */
	char comm[TASK_COMM_LEN];
};

struct pr_bind_event {
	u64 time_ns;			/* CLOCK_REALTIME */
	struct pr_task_id task;
	struct pr_task_id holder;	/* .pid == 0: none known */
	struct pr_addr addr;		/* bound, or asked for on failure */
	unsigned long ino;		/* socket inode, 0 if none */
	u64 netns_cookie;		/* net->net_cookie: never reused */
	u32 netns;			/* its inode number, for display */
	int result;			/* 0 or -errno */
	int ifindex;			/* SO_BINDTODEVICE, 0 if none */
	char ifname[IFNAMSIZ];		/* its name when the event happened */
	u16 requested_port;
	u16 port;			/* the port bound, 0 if none */
	u8 family;			/* AF_INET or AF_INET6 */
	u8 ipproto;			/* IPPROTO_TCP, _UDP, _SCTP or _DCCP */
	u8 kind;			/* enum pr_bind_kind */
	u8 opts;			/* PR_OPT_* */
};

/* One socket holding a port: the /proc/portreg/claims record. */
struct pr_claim_info {
	u64 since_ns;			/* CLOCK_REALTIME of the claim */
	struct pr_task_id task;		/* who claimed it */
	struct pr_addr addr;
	unsigned long ino;
	u64 netns_cookie;
	u32 netns;
	int ifindex;
	char ifname[IFNAMSIZ];
	u16 port;
	u8 family;
	u8 ipproto;
	u8 kind;
	u8 opts;
};

#endif
