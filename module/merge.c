// SPDX-License-Identifier: GPL-2.0
/*
 * The host's view of every namespace's log (merge.h): a binary min-heap
 * of sources by the global number of each one's next event, so that
 * handing out an event costs O(log n) in the number of namespaces.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "merge.h"

struct pr_merge_src {
	struct pr_netns *ns;		/* a reference */
	u64 next;			/* next sequence number to look at */
	u64 end;			/* stop before it */
	u64 handed_below;		/* everything below was handed out */
	bool loaded;			/* @cur holds the log's next event */
	struct pr_merged cur;
};

void pr_merge_init(struct pr_merge *m, bool follow)
{
	memset(m, 0, sizeof(*m));
	m->follow = follow;
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_init);

static u64 pr_merge_key(const struct pr_merge *m, unsigned int h)
{
	return m->src[m->heap[h]].cur.gseq;
}

static void pr_merge_swap(struct pr_merge *m, unsigned int a, unsigned int b)
{
	swap(m->heap[a], m->heap[b]);
}

static void pr_merge_sift_up(struct pr_merge *m, unsigned int h)
{
	while (h && pr_merge_key(m, (h - 1) / 2) > pr_merge_key(m, h)) {
		pr_merge_swap(m, h, (h - 1) / 2);
		h = (h - 1) / 2;
	}
}

static void pr_merge_sift_down(struct pr_merge *m, unsigned int h)
{
	for (;;) {
		unsigned int l = 2 * h + 1, r = l + 1, min = h;

		if (l < m->nheap && pr_merge_key(m, l) < pr_merge_key(m, min))
			min = l;
		if (r < m->nheap && pr_merge_key(m, r) < pr_merge_key(m, min))
			min = r;
		if (min == h)
			return;
		pr_merge_swap(m, h, min);
		h = min;
	}
}

/* Copies @s's next event into its @cur; false if there is none. */
static bool pr_merge_load(struct pr_merge_src *s)
{
	struct pr_ring *ring = &s->ns->ring;

	for (;;) {
		u64 stop = min(pr_ring_head(ring), s->end);

		s->next = max(s->next, pr_ring_oldest(ring));
		if (s->next >= stop)
			return false;
		/* A failed read was of a slot overwritten meanwhile. */
		if (pr_ring_read(ring, s->next, &s->cur.ev, &s->cur.gseq)) {
			s->cur.seq = s->next++;
			return true;
		}
	}
}

/* Loads every source that has nothing loaded, into the heap. */
static void pr_merge_poll(struct pr_merge *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		struct pr_merge_src *s = &m->src[i];

		if (s->loaded || !pr_merge_load(s))
			continue;
		s->loaded = true;
		m->heap[m->nheap] = i;
		pr_merge_sift_up(m, m->nheap++);
	}
}

static int pr_merge_grow(struct pr_merge *m)
{
	unsigned int cap = m->cap ? m->cap * 2 : 8;
	struct pr_merge_src *src;
	unsigned int *heap;

	src = kvmalloc_array(cap, sizeof(*src), GFP_KERNEL_ACCOUNT);
	heap = kvmalloc_array(cap, sizeof(*heap), GFP_KERNEL_ACCOUNT);
	if (!src || !heap) {
		kvfree(src);
		kvfree(heap);
		return -ENOMEM;
	}
	if (m->n) {
		memcpy(src, m->src, m->n * sizeof(*src));
		memcpy(heap, m->heap, m->nheap * sizeof(*heap));
	}
	kvfree(m->src);
	kvfree(m->heap);
	m->src = src;
	m->heap = heap;
	m->cap = cap;
	return 0;
}

int pr_merge_add(struct pr_merge *m, struct pr_netns *ns)
{
	struct pr_merge_src *s;

	if (m->n == m->cap && pr_merge_grow(m))
		return -ENOMEM;
	s = &m->src[m->n++];
	memset(s, 0, sizeof(*s));
	s->ns = ns;
	s->end = m->follow ? U64_MAX : pr_ring_head(&ns->ring);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_add);

static bool pr_merge_has(const struct pr_merge *m, const struct pr_netns *ns)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->src[i].ns == ns)
			return true;
	return false;
}

/*
 * Lets go of the logs of namespaces that are gone, once everything in
 * them was handed out: a follower that runs for months must not keep
 * every namespace it ever saw.
 */
static void pr_merge_prune(struct pr_merge *m)
{
	unsigned int i, kept = 0;

	for (i = 0; i < m->n; i++) {
		struct pr_merge_src *s = &m->src[i];
		struct pr_ring *ring = &s->ns->ring;

		if (!s->loaded && pr_ring_closed(ring) &&
		    s->next >= pr_ring_head(ring)) {
			pr_netns_put(s->ns);
			continue;
		}
		m->src[kept++] = *s;
	}
	if (kept == m->n)
		return;
	m->n = kept;
	m->nheap = 0;
	for (i = 0; i < m->n; i++) {
		if (!m->src[i].loaded)
			continue;
		m->heap[m->nheap] = i;
		pr_merge_sift_up(m, m->nheap++);
	}
}

int pr_merge_refresh(struct pr_merge *m, struct pr_netns_set *set)
{
	unsigned int generation = READ_ONCE(set->generation);
	struct pr_netns **all;
	int n, i, err = 0;

	if (m->n && generation == m->set_generation)
		return 0;
	pr_merge_prune(m);
	n = pr_netns_get_all(set, &all);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (!err && !pr_merge_has(m, all[i])) {
			err = pr_merge_add(m, all[i]);
			if (!err)
				continue;
		}
		pr_netns_put(all[i]);
	}
	kvfree(all);
	if (!err)
		m->set_generation = generation;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_refresh);

void pr_merge_rewind(struct pr_merge *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		if (m->src[i].loaded)
			pr_event_put(&m->src[i].cur.ev);
		m->src[i].next = 0;
		m->src[i].loaded = false;
	}
	m->nheap = 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_rewind);

bool pr_merge_next(struct pr_merge *m, struct pr_merged *out)
{
	struct pr_merge_src *s;
	unsigned int i;

	pr_merge_poll(m);
	if (!m->nheap)
		return false;
	i = m->heap[0];
	s = &m->src[i];
	*out = s->cur;
	s->handed_below = max(s->handed_below, s->cur.seq + 1);
	if (pr_merge_load(s)) {
		pr_merge_sift_down(m, 0);
	} else {
		s->loaded = false;
		m->heap[0] = m->heap[--m->nheap];
		pr_merge_sift_down(m, 0);
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_next);

void pr_merge_mark_read(struct pr_merge *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->src[i].handed_below)
			pr_ring_mark_read(&m->src[i].ns->ring,
					  m->src[i].handed_below);
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_mark_read);

void pr_merge_release(struct pr_merge *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		if (m->src[i].loaded)
			pr_event_put(&m->src[i].cur.ev);
		pr_netns_put(m->src[i].ns);
	}
	kvfree(m->src);
	kvfree(m->heap);
	m->src = NULL;
	m->heap = NULL;
	m->n = 0;
	m->nheap = 0;
	m->cap = 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_merge_release);
