/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What portreg records about one attempt to take a local port, and about
 * one socket that holds a port now.  Both are plain values but for one
 * thing, the claimer's cgroup: a counted reference, which whoever holds a
 * copy drops with pr_task_id_put() (cgroups.h says why a reference).
 */
#ifndef PORTREG_EVENT_H
#define PORTREG_EVENT_H

#include <linux/if.h>
#include <linux/in6.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "cgroups.h"

/*
 * How a socket came to hold its port, or to ask for one: the KIND column
 * of both files.  The first three are what a probe saw; the others are
 * what the kernel's tables tell of a socket no probe saw take its port.
 * In binds, PR_KIND_CONNECT is a probe's too: a connect(2) for which the
 * kernel found no local port, the only connect the log keeps.
 */
enum pr_origin {
	PR_KIND_BIND,		/* bind(2) */
	PR_KIND_LISTEN,		/* listen(2): autobind, or a port now taken */
	PR_KIND_AUTOBIND,	/* first sendmsg(2) or connect(2) on UDP */
	PR_KIND_ACCEPT,		/* accept(2)ed by a listener, on its port */
	PR_KIND_CONNECT,	/* a port connect(2) chose for TCP */
	PR_KIND_TIMEWAIT,	/* a closed connection, until TIME_WAIT ends */
	PR_KIND_KERNEL,		/* a socket of the kernel's own */
	PR_KIND_BEFORE_LOAD,	/* had its port before portreg was loaded */
	PR_KIND_UNRECORDED,	/* portreg missed it, or had no room to record */
	PR_KIND_LOST,		/* binds only: a marker for events not recorded */
	PR_KIND_RELEASE,	/* binds only: a recorded claim's port given back */
	PR_KIND_COUNT
};

/* What portreg learned of who held a port a bind was refused. */
enum pr_holder_status {
	PR_HOLDER_NONE,		/* no lookup: the bind did not fail EADDRINUSE */
	PR_HOLDER_FOUND,	/* a socket the kernel's rules name */
	PR_HOLDER_GONE,		/* none in the way any more when portreg looked */
	PR_HOLDER_TOO_MANY,	/* more sockets on the port than it looks at */
	PR_HOLDER_UNREACHABLE,	/* SCTP and DCCP: tables portreg cannot reach */
	PR_HOLDER_COUNT
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

/*
 * Who did something.  Its process and thread ids as each of the first
 * PR_PID_LEVELS pid namespaces it lives in sees them, so that a reader is
 * shown the ids of its own pid namespace, and none of a process it cannot
 * see; level 0 is the initial namespace.
 */
#define PR_PID_LEVELS	4

struct pr_task_id {
	pid_t pid[PR_PID_LEVELS];	/* thread group id, per level */
	pid_t tid[PR_PID_LEVELS];
	u32 pidns[PR_PID_LEVELS];	/* inode of the namespace of each level */
	u8 levels;			/* levels filled; 0: no task known */
	kuid_t uid;			/* real uid */
	char comm[TASK_COMM_LEN];
	struct cgroup *cgroup;		/* a reference, or NULL: unknown */
};

static inline void pr_task_id_put(struct pr_task_id *id)
{
	pr_cgroup_put(id->cgroup);
	id->cgroup = NULL;
}

/*
 * The socket that stood in the way of a refused bind, and who put it
 * there.  With .status other than PR_HOLDER_FOUND, only .status counts.
 */
struct pr_holder {
	struct pr_task_id task;		/* its claimer; .levels == 0: unknown */
	struct pr_addr addr;		/* its local address */
	struct pr_addr raddr;		/* its peer, if it has one */
	u64 ino;			/* its inode, 0 if none */
	u64 expires_ns;			/* TIME_WAIT: time left */
	kuid_t uid;			/* its owner (sk_uid), if it has one */
	u16 rport;
	u8 family;
	u8 status;			/* enum pr_holder_status */
	u8 origin;			/* enum pr_origin */
	u8 why;				/* enum pr_conflict */
	bool has_uid;
};

struct pr_bind_event {
	u64 time_ns;			/* CLOCK_REALTIME */
	struct pr_task_id task;
	struct pr_holder holder;
	struct pr_addr addr;		/* bound, or asked for on failure */
	unsigned long ino;		/* socket inode, 0 if none */
	u64 netns_cookie;		/* net->net_cookie: never reused */
	union {
		u64 lost;		/* PR_KIND_LOST: events not recorded */
		u64 since_ns;		/* PR_KIND_RELEASE: when the claim
					 * it ends was made
					 */
	};
	u32 netns;			/* its inode number, for display */
	int result;			/* 0 or -errno */
	int ifindex;			/* SO_BINDTODEVICE, 0 if none */
	char ifname[IFNAMSIZ];		/* its name when the event happened */
	u16 requested_port;
	u16 port;			/* the port bound, 0 if none */
	u8 family;			/* AF_INET or AF_INET6 */
	u8 ipproto;			/* IPPROTO_TCP, _UDP, _SCTP or _DCCP */
	u8 kind;			/* enum pr_origin: the first three,
					 * PR_KIND_LOST or PR_KIND_RELEASE
					 */
	u8 opts;			/* PR_OPT_* */
	u8 claim_kind;			/* PR_KIND_RELEASE: how the claim it
					 * ends was made (enum pr_origin)
					 */
	u16 peer_port;			/* PR_KIND_CONNECT: the peer it was */
	struct pr_addr peer;		/* to connect to; else 0 and 0 */
	/* A claim of a port owners expects another program on; else "". */
	char expected_owner[TASK_COMM_LEN];
};

/* Drops the references an event holds: its claimer's and its holder's. */
static inline void pr_event_put(struct pr_bind_event *ev)
{
	pr_task_id_put(&ev->task);
	pr_task_id_put(&ev->holder.task);
}

/*
 * One socket that holds a port: a /proc/portreg/claims line, made of what
 * the kernel's tables say of the socket and what portreg recorded of it.
 */
struct pr_claim_info {
	u64 since_ns;			/* CLOCK_REALTIME of the claim; 0: unknown */
	struct pr_task_id task;		/* its claimer; .levels == 0: unknown */
	struct pr_addr addr;
	struct pr_addr raddr;		/* its peer, if it has one */
	u64 ino;
	u64 cookie;			/* the socket's cookie, 0 if none */
	u64 netns_cookie;
	kuid_t uid;			/* its owner (sk_uid) */
	u32 netns;
	int ifindex;
	char ifname[IFNAMSIZ];
	u16 port;
	u16 rport;
	u8 family;
	u8 ipproto;
	u8 kind;			/* enum pr_origin */
	u8 opts;			/* PR_OPT_* */
	u8 state;			/* TCP_* (UDP: TCP_CLOSE or _ESTABLISHED) */
	bool has_uid;			/* TIME_WAIT sockets have no owner */
	char expected_owner[TASK_COMM_LEN];	/* as for the event */
};

#endif
