/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_MERGE_H
#define PORTREG_MERGE_H

#include <linux/types.h>

#include "event.h"
#include "netns.h"

/*
 * Reading namespaces' logs as one, in the order of their global numbers:
 * what a reader of the initial namespace sees.  A reader of another
 * namespace reads its own log alone, through the same code.
 *
 * Each log is a source with a place of its own, so an event is handed out
 * once whatever the order in which writers on other logs publish theirs;
 * an event published after one with a higher global number may come after
 * it.  A source whose log overwrote events before they were handed out
 * skips to its oldest; the gap shows in the sequence numbers.
 *
 * Process context; the caller serialises calls on one merge.
 */
struct pr_merge_src;

struct pr_merge {
	struct pr_merge_src *src;
	unsigned int *heap;		/* loaded sources, by global number */
	unsigned int n, nheap, cap;
	unsigned int set_generation;	/* of the set, at the last refresh */
	bool follow;			/* sources without an end */
};

/* An event handed out, with its numbers and its namespace's entry. */
struct pr_merged {
	struct pr_bind_event ev;
	u64 seq;			/* in its namespace's log */
	u64 gseq;			/* across every log */
};

void pr_merge_init(struct pr_merge *m, bool follow);
/*
 * Adds the log of @ns, whose reference the merge takes over, from its
 * oldest event; a merge that does not follow stops at the log's head now.
 * -ENOMEM leaves @ns to the caller.
 */
int pr_merge_add(struct pr_merge *m, struct pr_netns *ns);
/* Adds every namespace of @set the merge lacks; for followers. */
int pr_merge_refresh(struct pr_merge *m, struct pr_netns_set *set);
/* Back to each log's oldest event. */
void pr_merge_rewind(struct pr_merge *m);
/*
 * The next event, or false if none is there (yet); its references are the
 * caller's, to drop with pr_event_put().
 */
bool pr_merge_next(struct pr_merge *m, struct pr_merged *out);
/* Counts what was handed out as read: overwriting it is no drop. */
void pr_merge_mark_read(struct pr_merge *m);
void pr_merge_release(struct pr_merge *m);

#endif
