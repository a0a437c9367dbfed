// SPDX-License-Identifier: GPL-2.0
/*
 * The IP protocol number registry.  It is built in and read-only: numbers
 * are assigned by IANA and no host has a reason to redefine them.
 */
#include <linux/string.h>
#include <kunit/visibility.h>

#include "protocols.h"
#include "registry_data.h"

static void pr_protocol_view(const struct pr_protocol_rec *rec,
			     struct portreg_protocol *view)
{
	view->name = pr_str(rec->name);
	view->description = pr_str(rec->description);
	view->naliases = rec->naliases;
	pr_str_run(rec->aliases, rec->naliases, view->aliases);
	view->number = rec->number;
}

static int pr_protocols_walk(const struct pr_index *index, u32 key,
			     const char *name, int number,
			     portreg_protocol_fn fn, void *arg)
{
	struct portreg_protocol view;
	unsigned int cursor, end;
	int found = 0;

	pr_index_bucket(index, key, &cursor, &end);
	for (; cursor < end; cursor++) {
		pr_protocol_view(&pr_builtin_protocols[index->entries[cursor]],
				 &view);
		if (name ? !pr_names_include(view.name, view.aliases,
					     view.naliases, name) :
			   view.number != number)
			continue;
		found++;
		if (fn(&view, arg))
			break;
	}
	return found;
}

int pr_protocols_by_number(u8 number, portreg_protocol_fn fn, void *arg)
{
	return pr_protocols_walk(&pr_protocol_number_index, number, NULL,
				 number, fn, arg);
}

int pr_protocols_by_name(const char *name, portreg_protocol_fn fn, void *arg)
{
	return pr_protocols_walk(&pr_protocol_name_index, pr_name_key(name),
				 name, -1, fn, arg);
}

/* For /proc: the @idx-th record in number order, or false past the end. */
bool pr_protocols_at(unsigned int idx, struct portreg_protocol *view)
{
	if (idx >= pr_builtin_nprotocols)
		return false;
	pr_protocol_view(&pr_builtin_protocols[idx], view);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_protocols_at);
