/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_RING_H
#define PORTREG_RING_H

#include <linux/irq_work.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/sizes.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "event.h"

struct pr_ring_slot;

#define PR_RING_TENANTS		256	/* users told apart by the shares */
#define PR_NO_TENANT		U16_MAX	/* root, or a ring without shares */

/* Who holds how much of a ring with shares; under the ring's lock. */
struct pr_ring_shares {
	siphash_key_t key;		/* drawn at init: no one aims at a user */
	unsigned int max;		/* events one user may hold */
	u32 held[PR_RING_TENANTS];
	u64 refused[PR_RING_TENANTS];	/* since that user's last marker */
	kuid_t refused_uid[PR_RING_TENANTS];	/* the last one refused */
	u64 refused_netns_cookie;	/* the ring's namespace, for markers */
	u32 refused_netns;
};

/*
 * A bind log: the last @size events of one network namespace, oldest
 * overwritten first.
 *
 * Every event gets the ring's next sequence number, from 0, and the next
 * number of @numbering, which the rings of one tracker share, so that the
 * host's view can merge them in order.  Writers serialise on @lock, which
 * no reader ever takes, so a writer never waits for a reader.  A reader
 * copies a slot and then checks that the slot still holds the sequence
 * number it wanted (a seqcount per slot); if a writer reused the slot
 * meanwhile, the copy is thrown away and the event counts as gone.
 *
 * An event is dropped when it is overwritten before any reader that may
 * see it has read it (@read_below).  Writers only raise @head and @drops;
 * readers only raise @read_below.
 *
 * A ring with @shares (the initial namespace's, which every user of the
 * host writes to) lets no user but root hold more than a share of it: an
 * event beyond is refused, counted, and told by a marker when that user
 * is next let in.
 */
struct pr_ring {
	raw_spinlock_t lock;		/* serialises writers */
	u64 head;			/* next sequence number, under @lock */
	atomic64_t read_below;		/* events below it have been read */
	atomic64_t drops;
	atomic64_t refused;		/* events over a user's share */
	atomic64_t *numbering;		/* the tracker's, or NULL */
	unsigned int size;		/* a power of two */
	struct pr_ring_slot *slots;
	struct pr_ring_shares *shares;	/* NULL: no shares */
	wait_queue_head_t wait;		/* followers waiting for events */
	wait_queue_head_t *also_wake;	/* the host's followers, or NULL */
	struct irq_work wake;		/* wakes them outside probe context */
	struct timer_list wake_timer;	/* or a moment later, in a batch */
	unsigned long wake_state;	/* PR_WAKE_* bits, ring.c */
	u64 woken_head;			/* the head at the last wakeup */
	bool closing;			/* under @wait.lock */
};

#define PR_RING_MIN		64
#define PR_RING_MAX		SZ_1M

/*
 * @share_pct: the percentage of the ring one user may hold, 1 to 100, or
 * 0 for no shares.  @gfp: GFP_KERNEL_ACCOUNT for a namespace's ring, so
 * that its creator's memory cgroup pays for it.
 */
int pr_ring_init(struct pr_ring *ring, unsigned int size,
		 unsigned int share_pct, gfp_t gfp);
void pr_ring_destroy(struct pr_ring *ring);
/* Numbers events from @numbering too, and wakes @also_wake with @wait. */
void pr_ring_join(struct pr_ring *ring, atomic64_t *numbering,
		  wait_queue_head_t *also_wake);
/*
 * Adds @ev; 0 and its sequence number in *@seq, or -EDQUOT if its user
 * is at its share.  Either way @ev's references are the ring's from then
 * on, and @ev's pointers to them are cleared.  Probe context: never
 * sleeps, never allocates.
 */
int pr_ring_add(struct pr_ring *ring, struct pr_bind_event *ev, u64 *seq);
/*
 * Writes a marker for each user with refused events not told yet, even
 * one at its share: it may hold its share and one marker.  For the
 * once-a-second housekeeping, so that a user who stopped after a flood is
 * still told of.  Any context.
 */
void pr_ring_flush_refused(struct pr_ring *ring);
u64 pr_ring_head(struct pr_ring *ring);
u64 pr_ring_oldest(struct pr_ring *ring);
/*
 * Copies event @seq into @ev, with references of its own that the caller
 * drops with pr_event_put(), and its global number into *@gseq (if not
 * NULL).  Returns false if the ring no longer holds it (overwritten) or
 * does not hold it yet.
 */
bool pr_ring_read(struct pr_ring *ring, u64 seq, struct pr_bind_event *ev,
		  u64 *gseq);
/* The first sequence number whose global number is @gseq or more. */
u64 pr_ring_seek_global(struct pr_ring *ring, u64 gseq);
void pr_ring_mark_read(struct pr_ring *ring, u64 below);
u64 pr_ring_drops(struct pr_ring *ring);
u64 pr_ring_refused(struct pr_ring *ring);
size_t pr_ring_bytes(struct pr_ring *ring);
void pr_ring_close(struct pr_ring *ring);
bool pr_ring_closed(struct pr_ring *ring);

#endif
