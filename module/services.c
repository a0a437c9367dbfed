// SPDX-License-Identifier: GPL-2.0
/*
 * The service table: lookups by port and by name in O(1) on average, and
 * all-or-nothing batches of add and del commands.
 */
#include <linux/bitmap.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "cmd.h"
#include "hash.h"
#include "registry_data.h"
#include "services.h"

/* One of an entry's names (its own or an alias) in a name bucket. */
struct pr_name_link {
	struct hlist_node node;
	struct pr_user_service *svc;
};

/* A runtime entry; strings are stored after links[]. */
struct pr_user_service {
	struct list_head list;
	struct hlist_node port_node;
	struct rcu_head rcu;
	const char *name;
	const char *description;
	const char *aliases[PR_ALIASES_MAX];
	u16 port;
	u8 proto;
	u8 naliases;
	struct pr_name_link links[];		/* name, then each alias */
};

static void pr_rec_view(const struct pr_service_rec *rec,
			struct portreg_service *view)
{
	view->name = pr_str(rec->name);
	view->description = pr_str(rec->description);
	view->naliases = rec->naliases;
	pr_str_run(rec->aliases, rec->naliases, view->aliases);
	view->port = rec->port;
	view->ipproto = pr_proto_to_ipproto(rec->proto);
}

static void pr_user_view(const struct pr_user_service *svc,
			 struct portreg_service *view)
{
	unsigned int i;

	view->name = svc->name;
	view->description = svc->description;
	view->naliases = svc->naliases;
	for (i = 0; i < svc->naliases; i++)
		view->aliases[i] = svc->aliases[i];
	view->port = svc->port;
	view->ipproto = pr_proto_to_ipproto(svc->proto);
}

static bool pr_builtin_live(struct pr_services *table, unsigned int idx)
{
	return !test_bit(idx, table->builtin_deleted);
}

static bool pr_proto_matches(int want, unsigned int proto)
{
	return want == PR_PROTO_ANY || want == proto;
}

static int pr_services_by_port_one(struct pr_services *table, u16 port,
				   unsigned int proto, portreg_service_fn fn,
				   void *arg, bool *stop)
{
	u32 key = pr_port_key(port, proto);
	struct portreg_service view;
	struct pr_user_service *svc;
	unsigned int idx, cursor, end;
	int found = 0;

	pr_index_bucket(&pr_service_port_index, key, &cursor, &end);
	for (; cursor < end; cursor++) {
		const struct pr_service_rec *rec;

		idx = pr_service_port_index.entries[cursor];
		rec = &pr_builtin_services[idx];
		if (rec->port != port || rec->proto != proto ||
		    !pr_builtin_live(table, idx))
			continue;
		pr_rec_view(rec, &view);
		found++;
		if (fn(&view, arg)) {
			*stop = true;
			return found;
		}
	}
	hlist_for_each_entry_rcu(svc, &table->port_buckets[pr_hash_bits(key, table->bits)],
				 port_node) {
		if (svc->port != port || svc->proto != proto)
			continue;
		pr_user_view(svc, &view);
		found++;
		if (fn(&view, arg)) {
			*stop = true;
			return found;
		}
	}
	return found;
}

/*
 * @proto is an enum pr_proto or PR_PROTO_ANY.  Calls @fn under
 * rcu_read_lock() for each match and returns the number of calls.
 */
int pr_services_by_port(struct pr_services *table, u16 port, int proto,
			portreg_service_fn fn, void *arg)
{
	bool stop = false;
	int found = 0;
	unsigned int p;

	rcu_read_lock();
	for (p = 0; p < PR_PROTO_COUNT && !stop; p++) {
		if (pr_proto_matches(proto, p))
			found += pr_services_by_port_one(table, port, p, fn, arg,
							 &stop);
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_by_port);

int pr_services_by_name(struct pr_services *table, const char *name,
			int proto, portreg_service_fn fn, void *arg)
{
	u32 key = pr_name_key(name);
	struct portreg_service view;
	struct pr_name_link *link;
	unsigned int idx, cursor, end;
	int found = 0;

	rcu_read_lock();
	pr_index_bucket(&pr_service_name_index, key, &cursor, &end);
	for (; cursor < end; cursor++) {
		const struct pr_service_rec *rec;

		idx = pr_service_name_index.entries[cursor];
		rec = &pr_builtin_services[idx];
		if (!pr_proto_matches(proto, rec->proto) ||
		    !pr_builtin_live(table, idx))
			continue;
		pr_rec_view(rec, &view);
		if (!pr_names_include(view.name, view.aliases, view.naliases,
				      name))
			continue;
		found++;
		if (fn(&view, arg))
			goto out;
	}
	hlist_for_each_entry_rcu(link, &table->name_buckets[pr_hash_bits(key, table->bits)],
				 node) {
		if (!pr_proto_matches(proto, link->svc->proto) ||
		    !pr_names_include(link->svc->name, link->svc->aliases,
				      link->svc->naliases, name))
			continue;
		pr_user_view(link->svc, &view);
		found++;
		if (fn(&view, arg))
			goto out;
	}
out:
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_by_name);

/* The live built-in record with exactly this primary name, or -ENOENT. */
static int pr_builtin_find(struct pr_services *table, const char *name,
			   u16 port, unsigned int proto)
{
	u32 key = pr_port_key(port, proto);
	unsigned int idx, cursor, end;

	pr_index_bucket(&pr_service_port_index, key, &cursor, &end);
	for (; cursor < end; cursor++) {
		const struct pr_service_rec *rec;

		idx = pr_service_port_index.entries[cursor];
		rec = &pr_builtin_services[idx];
		if (rec->port == port && rec->proto == proto &&
		    pr_builtin_live(table, idx) &&
		    !strcmp(pr_str(rec->name), name))
			return idx;
	}
	return -ENOENT;
}

/* Caller holds table->lock. */
static struct pr_user_service *pr_user_find(struct pr_services *table,
					    const char *name, u16 port,
					    unsigned int proto)
{
	u32 key = pr_port_key(port, proto);
	struct pr_user_service *svc;

	hlist_for_each_entry(svc, &table->port_buckets[pr_hash_bits(key, table->bits)],
			     port_node) {
		if (svc->port == port && svc->proto == proto &&
		    !strcmp(svc->name, name))
			return svc;
	}
	return NULL;
}

static bool pr_cmd_same_key(const struct pr_cmd *a, const struct pr_cmd *b)
{
	return a->port == b->port && a->proto == b->proto &&
	       !strcmp(a->name, b->name);
}

enum pr_key_state { PR_KEY_ABSENT, PR_KEY_BUILTIN, PR_KEY_USER };

/*
 * What the entry named by cmds[n] would be once cmds[0..n-1] had been
 * applied: the latest earlier command on the same key decides, and the
 * table does when there is none.
 */
static enum pr_key_state pr_batch_key_state(struct pr_services *table,
					    const struct pr_cmd *cmds,
					    unsigned int n)
{
	const struct pr_cmd *cmd = &cmds[n];
	unsigned int i;

	for (i = n; i-- > 0;) {
		if (pr_cmd_same_key(&cmds[i], cmd))
			return cmds[i].op == PR_CMD_ADD ? PR_KEY_USER :
							  PR_KEY_ABSENT;
	}
	if (pr_builtin_find(table, cmd->name, cmd->port, cmd->proto) >= 0)
		return PR_KEY_BUILTIN;
	if (pr_user_find(table, cmd->name, cmd->port, cmd->proto))
		return PR_KEY_USER;
	return PR_KEY_ABSENT;
}

/* Checks the whole batch against the table as it would evolve. */
static int pr_batch_validate(struct pr_services *table,
			     const struct pr_cmd *cmds, unsigned int ncmds)
{
	unsigned int count = table->count, i;

	for (i = 0; i < ncmds; i++) {
		enum pr_key_state state = pr_batch_key_state(table, cmds, i);

		if (cmds[i].op == PR_CMD_ADD) {
			if (state != PR_KEY_ABSENT)
				return -EEXIST;
			if (count >= table->max)
				return -ENOSPC;
			count++;
		} else {
			if (state == PR_KEY_ABSENT)
				return -ENOENT;
			if (state == PR_KEY_USER)
				count--;
		}
	}
	return 0;
}

/* Copies @src and its NUL to @dst; returns the byte after the NUL. */
static char *pr_copy_string(char *dst, const char *src)
{
	size_t len = strlen(src) + 1;

	memcpy(dst, src, len);
	return dst + len;
}

static struct pr_user_service *pr_user_alloc(const struct pr_cmd *cmd)
{
	size_t strings = strlen(cmd->name) + strlen(cmd->description) + 2;
	struct pr_user_service *svc;
	unsigned int i;
	char *p;

	for (i = 0; i < cmd->naliases; i++)
		strings += strlen(cmd->aliases[i]) + 1;
	svc = kzalloc(struct_size(svc, links, cmd->naliases + 1) + strings,
		      GFP_KERNEL_ACCOUNT);
	if (!svc)
		return NULL;

	p = (char *)&svc->links[cmd->naliases + 1];
	svc->name = p;
	p = pr_copy_string(p, cmd->name);
	for (i = 0; i < cmd->naliases; i++) {
		svc->aliases[i] = p;
		p = pr_copy_string(p, cmd->aliases[i]);
	}
	svc->description = p;
	pr_copy_string(p, cmd->description);
	svc->naliases = cmd->naliases;
	svc->port = cmd->port;
	svc->proto = cmd->proto;
	INIT_HLIST_NODE(&svc->port_node);
	for (i = 0; i <= cmd->naliases; i++) {
		INIT_HLIST_NODE(&svc->links[i].node);
		svc->links[i].svc = svc;
	}
	return svc;
}

/*
 * Links every name of @svc into the name buckets, but each bucket at most
 * once, so a lookup never reports the same entry twice.
 */
static void pr_user_publish(struct pr_services *table,
			    struct pr_user_service *svc)
{
	u32 key = pr_port_key(svc->port, svc->proto);
	u32 buckets[PR_ALIASES_MAX + 1];
	unsigned int i, j;

	for (i = 0; i <= svc->naliases; i++) {
		const char *name = i ? svc->aliases[i - 1] : svc->name;

		buckets[i] = pr_hash_bits(pr_name_key(name), table->bits);
		for (j = 0; j < i && buckets[j] != buckets[i]; j++)
			;
		if (j == i)
			hlist_add_head_rcu(&svc->links[i].node,
					   &table->name_buckets[buckets[i]]);
	}
	hlist_add_head_rcu(&svc->port_node,
			   &table->port_buckets[pr_hash_bits(key, table->bits)]);
	list_add_tail_rcu(&svc->list, &table->entries);
	table->count++;
}

static void pr_user_unpublish(struct pr_services *table,
			      struct pr_user_service *svc)
{
	unsigned int i;

	for (i = 0; i <= svc->naliases; i++) {
		if (!hlist_unhashed(&svc->links[i].node))
			hlist_del_rcu(&svc->links[i].node);
	}
	hlist_del_rcu(&svc->port_node);
	list_del_rcu(&svc->list);
	table->count--;
	kfree_rcu(svc, rcu);
}

static void pr_batch_commit(struct pr_services *table,
			    const struct pr_cmd *cmds, unsigned int ncmds,
			    struct pr_user_service **fresh)
{
	struct pr_user_service *svc;
	unsigned int i;
	int idx;

	for (i = 0; i < ncmds; i++) {
		const struct pr_cmd *cmd = &cmds[i];

		if (cmd->op == PR_CMD_ADD) {
			pr_user_publish(table, fresh[i]);
			continue;
		}
		svc = pr_user_find(table, cmd->name, cmd->port, cmd->proto);
		if (svc) {
			pr_user_unpublish(table, svc);
			continue;
		}
		idx = pr_builtin_find(table, cmd->name, cmd->port, cmd->proto);
		if (!WARN_ON_ONCE(idx < 0))
			set_bit(idx, table->builtin_deleted);
	}
}

/*
 * The shortest command, "add a 1/tcp", and its newline: a bound on how many
 * commands a write can hold, so parsing needs one small allocation.
 */
#define PR_CMD_MIN_BYTES	12

/* Splits @buf into commands; blank and comment lines are dropped. */
static int pr_batch_parse(char *buf, size_t len, struct pr_cmd *cmds,
			  unsigned int max_cmds, unsigned int *ncmds)
{
	char *line = buf, *end = buf + len;
	int err;

	*ncmds = 0;
	while (line < end) {
		char *nl = memchr(line, '\n', end - line);
		size_t line_len = (nl ? nl : end) - line;

		err = pr_cmd_parse(line, line_len, &cmds[*ncmds]);
		if (err)
			return err;
		if (cmds[*ncmds].op != PR_CMD_NOP && ++*ncmds == max_cmds)
			return -E2BIG;
		line += line_len + 1;
	}
	return 0;
}

/*
 * Applies every command in @buf (@len bytes, one command per line, buf[len]
 * writable) or none.  Parsing, validation against the table and every
 * allocation happen before the first change, so an error of any kind,
 * -ENOMEM included, leaves the table exactly as it was.
 */
int pr_services_apply(struct pr_services *table, char *buf, size_t len)
{
	struct pr_user_service **fresh = NULL;
	unsigned int ncmds, i, max_cmds;
	struct pr_cmd *cmds;
	int err;

	if (len > PR_WRITE_MAX)
		return -E2BIG;
	/* One slot more than can fill, as the parser's scratch for NOPs. */
	max_cmds = (len + 1) / PR_CMD_MIN_BYTES + 2;
	cmds = kvmalloc_array(max_cmds, sizeof(*cmds), GFP_KERNEL_ACCOUNT);
	if (!cmds)
		return -ENOMEM;
	err = pr_batch_parse(buf, len, cmds, max_cmds, &ncmds);
	if (err || !ncmds)
		goto out;

	fresh = kvcalloc(ncmds, sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ncmds; i++) {
		if (cmds[i].op != PR_CMD_ADD)
			continue;
		fresh[i] = pr_user_alloc(&cmds[i]);
		if (!fresh[i]) {
			err = -ENOMEM;
			goto out;
		}
	}

	mutex_lock(&table->lock);
	err = pr_batch_validate(table, cmds, ncmds);
	if (!err)
		pr_batch_commit(table, cmds, ncmds, fresh);
	mutex_unlock(&table->lock);
	if (!err)
		memset(fresh, 0, ncmds * sizeof(*fresh));
out:
	if (fresh) {
		for (i = 0; i < ncmds; i++)
			kfree(fresh[i]);
	}
	kvfree(fresh);
	kvfree(cmds);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_apply);

unsigned int pr_services_user_count(struct pr_services *table)
{
	unsigned int count;

	mutex_lock(&table->lock);
	count = table->count;
	mutex_unlock(&table->lock);
	return count;
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_user_count);

/*
 * Positions 0 .. pr_builtin_nservices - 1 are the built-in records; the
 * runtime entries follow in list order.  Deleted records are skipped, so
 * a position only ever moves forward.
 */
static bool pr_iter_fill(struct pr_services_iter *it)
{
	struct pr_services *table = it->table;
	struct list_head *next;

	while (it->pos < pr_builtin_nservices) {
		if (pr_builtin_live(table, it->pos)) {
			pr_rec_view(&pr_builtin_services[it->pos], &it->view);
			return true;
		}
		it->pos++;
	}
	next = it->user ? rcu_dereference(list_next_rcu(&it->user->list)) :
			  rcu_dereference(list_next_rcu(&table->entries));
	if (next == &table->entries)
		return false;
	it->user = list_entry(next, struct pr_user_service, list);
	pr_user_view(it->user, &it->view);
	return true;
}

/* Caller holds rcu_read_lock(); returns false past the last entry. */
bool pr_services_iter_seek(struct pr_services_iter *it, loff_t pos)
{
	loff_t skip;

	it->user = NULL;
	it->pos = pos;
	if (pos < pr_builtin_nservices)
		return pr_iter_fill(it);
	for (skip = pos - pr_builtin_nservices; skip >= 0; skip--) {
		if (!pr_iter_fill(it))
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_iter_seek);

bool pr_services_iter_next(struct pr_services_iter *it)
{
	it->pos++;
	return pr_iter_fill(it);
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_iter_next);

struct pr_services *pr_services_create(unsigned int max_user)
{
	struct pr_services *table;
	unsigned int i;

	table = kzalloc_obj(*table, GFP_KERNEL);
	if (!table)
		return NULL;
	mutex_init(&table->lock);
	INIT_LIST_HEAD(&table->entries);
	table->max = max_user;
	/* Two entries per bucket at most when the table is full. */
	table->bits = max_t(unsigned int, 4, order_base_2(max_user / 2 + 1));
	table->port_buckets = kvcalloc(1U << table->bits,
				       sizeof(*table->port_buckets), GFP_KERNEL);
	table->name_buckets = kvcalloc(1U << table->bits,
				       sizeof(*table->name_buckets), GFP_KERNEL);
	table->builtin_deleted = bitmap_zalloc(pr_builtin_nservices, GFP_KERNEL);
	if (!table->port_buckets || !table->name_buckets ||
	    !table->builtin_deleted) {
		pr_services_destroy(table);
		return NULL;
	}
	for (i = 0; i < 1U << table->bits; i++) {
		INIT_HLIST_HEAD(&table->port_buckets[i]);
		INIT_HLIST_HEAD(&table->name_buckets[i]);
	}
	return table;
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_create);

/*
 * The caller guarantees that no reader can reach @table any more; entries
 * deleted earlier may still wait for their grace period in kfree_rcu(),
 * which needs nothing from this module.
 */
void pr_services_destroy(struct pr_services *table)
{
	struct pr_user_service *svc, *tmp;

	if (!table)
		return;
	list_for_each_entry_safe(svc, tmp, &table->entries, list)
		kfree(svc);
	bitmap_free(table->builtin_deleted);
	kvfree(table->name_buckets);
	kvfree(table->port_buckets);
	mutex_destroy(&table->lock);
	kfree(table);
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_destroy);
