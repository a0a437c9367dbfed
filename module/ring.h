/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_RING_H
#define PORTREG_RING_H

#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include <linux/sizes.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "event.h"

struct pr_ring_slot;

/*
 * The bind log: the last @size events, oldest overwritten first.
 *
 * Every event gets the next sequence number, from 0.  Writers serialise on
 * @lock, which no reader ever takes, so a writer never waits for a reader.
 * A reader copies a slot and then checks that the slot still holds the
 * sequence number it wanted (a seqcount per slot); if a writer reused the
 * slot meanwhile, the copy is thrown away and the event counts as gone.
 *
 * An event is dropped when it is overwritten before any reader that sees
 * every namespace has read it (@read_below).  Writers only raise @head and
 * @drops; readers only raise @read_below.
 */
struct pr_ring {
	raw_spinlock_t lock;		/* serialises writers */
	u64 head;			/* next sequence number, under @lock */
	atomic64_t read_below;		/* events below it have been read */
	atomic64_t drops;
	unsigned int size;		/* a power of two */
	struct pr_ring_slot *slots;
	wait_queue_head_t wait;		/* followers waiting for events */
	struct irq_work wake;		/* wakes them outside probe context */
	struct timer_list wake_timer;	/* or a moment later, in a batch */
	unsigned long wake_state;	/* PR_WAKE_* bits, ring.c */
	u64 woken_head;			/* the head at the last wakeup */
	bool closing;			/* under @wait.lock */
};

#define PR_RING_MIN	64
#define PR_RING_MAX	SZ_1M

int pr_ring_init(struct pr_ring *ring, unsigned int size);
void pr_ring_destroy(struct pr_ring *ring);
u64 pr_ring_add(struct pr_ring *ring, const struct pr_bind_event *ev);
u64 pr_ring_head(struct pr_ring *ring);
u64 pr_ring_oldest(struct pr_ring *ring);
bool pr_ring_read(struct pr_ring *ring, u64 seq, struct pr_bind_event *ev);
void pr_ring_mark_read(struct pr_ring *ring, u64 below);
u64 pr_ring_drops(struct pr_ring *ring);
size_t pr_ring_bytes(struct pr_ring *ring);
void pr_ring_close(struct pr_ring *ring);
bool pr_ring_closed(struct pr_ring *ring);

#endif
