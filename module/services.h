/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_SERVICES_H
#define PORTREG_SERVICES_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include "portreg.h"

struct pr_user_service;

/*
 * A service table: the built-in IANA records, which are const and shared by
 * every table, plus the entries added at runtime.
 *
 * Locking: @lock serialises writers.  Readers take rcu_read_lock() only.
 * Runtime entries are published with the _rcu list primitives and freed
 * after a grace period, so a reader never sees one half built or freed.
 * A built-in record is removed by setting its bit in @builtin_deleted,
 * which readers test without a lock: a single bit cannot be torn.
 */
struct pr_services {
	struct mutex lock;			/* serialises writers */
	struct list_head entries;		/* runtime entries, in add order */
	struct hlist_head *port_buckets;	/* runtime entries by port key */
	struct hlist_head *name_buckets;	/* by name and by each alias */
	unsigned int bits;
	unsigned long *builtin_deleted;
	unsigned int count;			/* runtime entries, under @lock */
	unsigned int max;
};

/*
 * A position in the table for /proc: built-in records first, in port order,
 * then runtime entries in the order they were added.  Valid only inside the
 * RCU read-side section that produced it.
 */
struct pr_services_iter {
	struct pr_services *table;
	loff_t pos;
	struct pr_user_service *user;
	struct portreg_service view;
};

struct pr_services *pr_services_create(unsigned int max_user);
void pr_services_destroy(struct pr_services *table);
int pr_services_apply(struct pr_services *table, char *buf, size_t len);
int pr_services_by_port(struct pr_services *table, u16 port, int proto,
			portreg_service_fn fn, void *arg);
int pr_services_by_name(struct pr_services *table, const char *name,
			int proto, portreg_service_fn fn, void *arg);
unsigned int pr_services_user_count(struct pr_services *table);
bool pr_services_iter_seek(struct pr_services_iter *it, loff_t pos);
bool pr_services_iter_next(struct pr_services_iter *it);

#define PR_PROTO_ANY	(-1)

#endif
