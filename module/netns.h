/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_NETNS_H
#define PORTREG_NETNS_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "ring.h"
#include "tenant.h"

struct net;

enum pr_ns_stat {
	PR_NS_EVENTS,		/* events recorded */
	PR_NS_FAILED,		/* of which failed */
	PR_NS_CONFLICTS,	/* failed with EADDRINUSE */
	PR_NS_CONFLICTS_NAMED,	/* ... and the holder was found */
	PR_NS_EACCES,		/* failed with EACCES */
	PR_NS_UNFOLLOWED,	/* binds on a socket another task held locked */
	PR_NS_AUTOBIND_FAILED,	/* no port for the kernel to choose */
	PR_NS_STAT_COUNT
};

struct pr_ns_stats_cpu {
	u64 count[PR_NS_STAT_COUNT];
};

/*
 * What portreg keeps for one network namespace: its own bind log, its
 * counters and whose tenant it is.  A namespace's log is its own: nothing
 * another namespace does can overwrite it, its sequence numbers count its
 * own events only, and its memory is charged to the memory cgroup of the
 * namespace's creator.  The initial namespace's is made with the tracker
 * and is the only one with shares (ring.h).
 *
 * Probes find a namespace's entry by net_cookie in an RCU hash table;
 * readers hold a reference.  An entry leaves the table when its namespace
 * goes, and is freed, after an RCU grace period, with its last reference.
 */
struct pr_netns {
	struct rhash_head node;
	u64 cookie;			/* net->net_cookie: the key */
	u32 inum;
	struct pr_tenant tenant;	/* whom its records count against */
	struct pr_ring ring;
	struct pr_ns_stats_cpu __percpu *stats;
	struct list_head list;		/* the tracker's, under its mutex */
	struct kref ref;
	struct llist_node free_node;	/* on the set's free list */
	struct pr_netns_set *set;
};

/* Every namespace's entry, for one tracker. */
struct pr_netns_set {
	struct rhashtable table;
	struct mutex lock;		/* @list, adding and removing */
	struct list_head list;
	unsigned int count;		/* entries in @list */
	unsigned int generation;	/* changes with @list */
	unsigned int ring_size;		/* of a namespace's log */
	atomic64_t numbering;		/* global numbers of every log's events */
	wait_queue_head_t host_wait;	/* followers of every namespace */
	struct workqueue_struct *wq;	/* frees entries */
	struct llist_head free_list;	/* entries to free, after a grace period */
	struct work_struct free_work;
	struct pr_netns *init;		/* the initial namespace's */
	atomic64_t unlogged;		/* events of a namespace with no log */
	atomic64_t unallocated;		/* namespaces left without one */
};

int pr_netns_set_init(struct pr_netns_set *set, unsigned int init_ring_size,
		      unsigned int ring_size, unsigned int share_pct);
/* Every entry but the initial one has been removed, every reader gone. */
void pr_netns_set_destroy(struct pr_netns_set *set);

/*
 * Adds the entry of namespace @cookie (inode @inum, tenant @tenant), its
 * memory charged to the caller.  Process context.
 */
int pr_netns_add(struct pr_netns_set *set, u64 cookie, u32 inum,
		 const struct pr_tenant *tenant);
void pr_netns_remove(struct pr_netns_set *set, u64 cookie);
/* Tells every log's followers to leave: the module is going away. */
void pr_netns_close_all(struct pr_netns_set *set);
/* The entry of @cookie; under rcu_read_lock(), which pins it.  Any context. */
struct pr_netns *pr_netns_find(struct pr_netns_set *set, u64 cookie);
/* A counted reference to the entry of @cookie, or NULL.  Process context. */
struct pr_netns *pr_netns_get(struct pr_netns_set *set, u64 cookie);
void pr_netns_put(struct pr_netns *ns);
/*
 * References to every entry, in *@all (kvfree() it after putting them
 * all); returns how many, or -ENOMEM.  Process context.
 */
int pr_netns_get_all(struct pr_netns_set *set, struct pr_netns ***all);

/*
 * An entry for every network namespace there is and will be, until
 * pr_netns_unregister(), which removes them all but the initial one's.
 */
int pr_netns_register(struct pr_netns_set *set);
void pr_netns_unregister(void);

void pr_netns_stat_add(struct pr_netns *ns, enum pr_ns_stat stat, u64 n);
u64 pr_netns_stat(struct pr_netns *ns, enum pr_ns_stat stat);

#endif
