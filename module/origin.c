// SPDX-License-Identifier: GPL-2.0
/*
 * Where a socket's hold on its port came from, for a claims line or a
 * refused bind's holder.  What a probe saw comes first; what is left is
 * told from the socket itself, and portreg says "unrecorded" rather than
 * guess.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "ktables.h"
#include "origin.h"

static int pr_cookie_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Walks every table, giving each socket a cookie (the one sock_diag and
 * BPF would give it; the kernel never reuses one) and keeping them all.
 * The probes are live while this runs: the set is published whole, its
 * size last, so that a probe sees either no set or all of it.
 */
int pr_preload_take(struct pr_preload *p)
{
	unsigned int cap = 256, n = 0, i;
	struct pr_kt_iter it;
	u64 *cookies, *grown;
	u8 ipproto;
	int err;

	if (WARN_ON_ONCE(p->n))
		return -EBUSY;
	cookies = kvmalloc_array(cap, sizeof(*cookies), GFP_KERNEL);
	if (!cookies)
		return -ENOMEM;
	err = pr_kt_iter_init(&it, 0, true);
	if (err) {
		kvfree(cookies);
		return err;
	}
	while (pr_kt_iter_next_chain(&it, &ipproto)) {
		for (i = 0; i < it.nchain; i++) {
			if (n == cap) {
				grown = kvmalloc_array(cap * 2, sizeof(*grown),
						       GFP_KERNEL);
				if (!grown) {
					err = -ENOMEM;
					goto out;
				}
				memcpy(grown, cookies, cap * sizeof(*grown));
				kvfree(cookies);
				cookies = grown;
				cap *= 2;
			}
			cookies[n++] = pr_sock_cookie(it.chain[i]);
		}
	}
	sort(cookies, n, sizeof(*cookies), pr_cookie_cmp, NULL);
out:
	pr_kt_iter_exit(&it);
	if (err) {
		kvfree(cookies);
		return err;
	}
	p->cookies = cookies;
	/* Pairs with pr_preload_has(): the array before its size. */
	smp_store_release(&p->n, n);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_preload_take);

/* Only once no probe and no reader can look at @p any more. */
void pr_preload_free(struct pr_preload *p)
{
	p->n = 0;
	kvfree(p->cookies);
	p->cookies = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_preload_free);

bool pr_preload_has(const struct pr_preload *p, u64 cookie)
{
	unsigned int lo = 0, hi;

	/* Pairs with pr_preload_take(): no size without its array. */
	hi = smp_load_acquire(&p->n);
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (p->cookies[mid] == cookie)
			return true;
		if (p->cookies[mid] < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(pr_preload_has);

u8 pr_origin_of(const struct pr_sockinfo *si, const struct pr_record *rec,
		bool preloaded, bool accepted)
{
	if (si->state == TCP_TIME_WAIT)
		return PR_KIND_TIMEWAIT;
	if (rec)
		return rec->kind;
	if (preloaded)
		return PR_KIND_BEFORE_LOAD;
	if (si->kern)
		return PR_KIND_KERNEL;
	if (si->ipproto == IPPROTO_TCP && si->state != TCP_LISTEN &&
	    si->state != TCP_CLOSE)
		return accepted ? PR_KIND_ACCEPT : PR_KIND_CONNECT;
	return PR_KIND_UNRECORDED;
}
EXPORT_SYMBOL_IF_KUNIT(pr_origin_of);
