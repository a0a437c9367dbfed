// SPDX-License-Identifier: GPL-2.0
/*
 * Each network namespace's entry (netns.h).  pr_netns_find() and
 * pr_netns_stat_add() run in probe context: an RCU lookup in a hash table
 * that grows with the number of namespaces (rhashtable, seeded at random),
 * so that no number of namespaces makes a probe walk a long chain.
 */
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "netns.h"

static const struct rhashtable_params pr_netns_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct pr_netns, cookie),
	.head_offset = offsetof(struct pr_netns, node),
	.automatic_shrinking = true,
};

static void pr_netns_free(struct pr_netns *ns)
{
	pr_ring_destroy(&ns->ring);
	free_percpu(ns->stats);
	kfree(ns);
}

/*
 * Entries whose last reference went, freed a grace period later.  The
 * wait is synchronize_rcu() in the work, not an RCU callback: a callback
 * into the module would make its unload wait in rcu_barrier() for every
 * callback queued on every CPU, which a host freeing sockets fast can
 * stretch to minutes.
 */
static void pr_netns_free_work(struct work_struct *work)
{
	struct pr_netns_set *set = container_of(work, struct pr_netns_set,
						free_work);
	struct llist_node *gone = llist_del_all(&set->free_list);
	struct pr_netns *ns, *next;

	if (!gone)
		return;
	/* Probes that found them before they left the table are done. */
	synchronize_rcu();
	llist_for_each_entry_safe(ns, next, gone, free_node)
		pr_netns_free(ns);
}

static struct pr_netns *pr_netns_alloc(struct pr_netns_set *set, u64 cookie,
				       u32 inum, const struct pr_tenant *tenant,
				       unsigned int ring_size,
				       unsigned int share_pct)
{
	struct pr_netns *ns;
	int err = -ENOMEM;

	ns = kzalloc_obj(*ns, GFP_KERNEL_ACCOUNT);
	if (!ns)
		return ERR_PTR(-ENOMEM);
	ns->stats = alloc_percpu_gfp(struct pr_ns_stats_cpu,
				     GFP_KERNEL_ACCOUNT);
	if (!ns->stats)
		goto err_free;
	err = pr_ring_init(&ns->ring, ring_size, share_pct, GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_stats;
	pr_ring_join(&ns->ring, &set->numbering, &set->host_wait);
	ns->cookie = cookie;
	ns->inum = inum;
	ns->tenant = *tenant;
	ns->set = set;
	kref_init(&ns->ref);
	return ns;

err_stats:
	free_percpu(ns->stats);
err_free:
	kfree(ns);
	return ERR_PTR(err);
}

int pr_netns_set_init(struct pr_netns_set *set, unsigned int init_ring_size,
		      unsigned int ring_size, unsigned int share_pct)
{
	struct pr_tenant host = { .kind = PR_TENANT_HOST };
	int err;

	memset(set, 0, sizeof(*set));
	if (ring_size < PR_RING_MIN || ring_size > PR_RING_MAX ||
	    !is_power_of_2(ring_size))
		return -EINVAL;
	set->ring_size = ring_size;
	mutex_init(&set->lock);
	INIT_LIST_HEAD(&set->list);
	init_waitqueue_head(&set->host_wait);
	init_llist_head(&set->free_list);
	INIT_WORK(&set->free_work, pr_netns_free_work);
	atomic64_set(&set->numbering, 0);
	atomic64_set(&set->unlogged, 0);
	atomic64_set(&set->unallocated, 0);
	err = rhashtable_init(&set->table, &pr_netns_params);
	if (err)
		return err;
	set->wq = alloc_workqueue("portreg_netns", WQ_UNBOUND, 0);
	if (!set->wq) {
		err = -ENOMEM;
		goto err_table;
	}
	set->init = pr_netns_alloc(set, init_net.net_cookie, init_net.ns.inum,
				   &host, init_ring_size, share_pct);
	if (IS_ERR(set->init)) {
		err = PTR_ERR(set->init);
		goto err_wq;
	}
	err = rhashtable_insert_fast(&set->table, &set->init->node,
				     pr_netns_params);
	if (err)
		goto err_init;
	list_add(&set->init->list, &set->list);
	set->count = 1;
	return 0;

err_init:
	pr_netns_free(set->init);
err_wq:
	destroy_workqueue(set->wq);
err_table:
	rhashtable_destroy(&set->table);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_set_init);

void pr_netns_set_destroy(struct pr_netns_set *set)
{
	pr_netns_remove(set, set->init->cookie);
	/* Runs the frees still queued, each after its grace period. */
	destroy_workqueue(set->wq);
	WARN_ON_ONCE(!list_empty(&set->list));
	rhashtable_destroy(&set->table);
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_set_destroy);

int pr_netns_add(struct pr_netns_set *set, u64 cookie, u32 inum,
		 const struct pr_tenant *tenant)
{
	struct pr_netns *ns;
	int err;

	ns = pr_netns_alloc(set, cookie, inum, tenant, set->ring_size, 0);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	mutex_lock(&set->lock);
	err = rhashtable_lookup_insert_fast(&set->table, &ns->node,
					    pr_netns_params);
	if (!err) {
		list_add_tail(&ns->list, &set->list);
		set->count++;
		WRITE_ONCE(set->generation, set->generation + 1);
	}
	mutex_unlock(&set->lock);
	if (err)
		pr_netns_free(ns);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_add);

static void pr_netns_release(struct kref *ref)
{
	struct pr_netns *ns = container_of(ref, struct pr_netns, ref);

	llist_add(&ns->free_node, &ns->set->free_list);
	queue_work(ns->set->wq, &ns->set->free_work);
}

void pr_netns_put(struct pr_netns *ns)
{
	kref_put(&ns->ref, pr_netns_release);
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_put);

void pr_netns_remove(struct pr_netns_set *set, u64 cookie)
{
	struct pr_netns *ns;

	mutex_lock(&set->lock);
	ns = rhashtable_lookup_fast(&set->table, &cookie, pr_netns_params);
	if (ns) {
		rhashtable_remove_fast(&set->table, &ns->node,
				       pr_netns_params);
		list_del(&ns->list);
		set->count--;
		WRITE_ONCE(set->generation, set->generation + 1);
	}
	mutex_unlock(&set->lock);
	if (!ns)
		return;
	/* Its followers must not wait for events that will never come. */
	pr_ring_close(&ns->ring);
	pr_netns_put(ns);
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_remove);

void pr_netns_close_all(struct pr_netns_set *set)
{
	struct pr_netns *ns;

	mutex_lock(&set->lock);
	list_for_each_entry(ns, &set->list, list)
		pr_ring_close(&ns->ring);
	mutex_unlock(&set->lock);
}

struct pr_netns *pr_netns_find(struct pr_netns_set *set, u64 cookie)
{
	/* Most binds are the host's, and its entry lives as long as @set. */
	if (cookie == set->init->cookie)
		return set->init;
	return rhashtable_lookup(&set->table, &cookie, pr_netns_params);
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_find);

struct pr_netns *pr_netns_get(struct pr_netns_set *set, u64 cookie)
{
	struct pr_netns *ns;

	mutex_lock(&set->lock);
	ns = rhashtable_lookup_fast(&set->table, &cookie, pr_netns_params);
	if (ns)
		kref_get(&ns->ref);
	mutex_unlock(&set->lock);
	return ns;
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_get);

int pr_netns_get_all(struct pr_netns_set *set, struct pr_netns ***all)
{
	struct pr_netns *ns, **array;
	int n = 0;

	mutex_lock(&set->lock);
	array = kvmalloc_array(max(set->count, 1U), sizeof(*array),
			       GFP_KERNEL_ACCOUNT);
	if (!array) {
		mutex_unlock(&set->lock);
		return -ENOMEM;
	}
	list_for_each_entry(ns, &set->list, list) {
		kref_get(&ns->ref);
		array[n++] = ns;
	}
	mutex_unlock(&set->lock);
	*all = array;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_get_all);

void pr_netns_stat_add(struct pr_netns *ns, enum pr_ns_stat stat, u64 n)
{
	this_cpu_add(ns->stats->count[stat], n);
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_stat_add);

u64 pr_netns_stat(struct pr_netns *ns, enum pr_ns_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(ns->stats, cpu)->count[stat]);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(pr_netns_stat);

/*
 * The live module's hook into namespaces coming and going.  A namespace
 * whose entry cannot be allocated is still made (portreg must never stand
 * in its way); its events are counted as unlogged.
 */
static struct pr_netns_set *pr_live_set;

static int __net_init pr_netns_net_init(struct net *net)
{
	struct pr_tenant tenant;

	if (net_eq(net, &init_net))
		return 0;
	pr_tenant_of_net(net, &tenant);
	if (pr_netns_add(pr_live_set, net->net_cookie, net->ns.inum, &tenant))
		atomic64_inc(&pr_live_set->unallocated);
	return 0;
}

static void __net_exit pr_netns_net_exit(struct net *net)
{
	if (!net_eq(net, &init_net))
		pr_netns_remove(pr_live_set, net->net_cookie);
}

static struct pernet_operations pr_netns_ops = {
	.init = pr_netns_net_init,
	.exit = pr_netns_net_exit,
};

int pr_netns_register(struct pr_netns_set *set)
{
	pr_live_set = set;
	return register_pernet_subsys(&pr_netns_ops);
}

void pr_netns_unregister(void)
{
	unregister_pernet_subsys(&pr_netns_ops);
}
