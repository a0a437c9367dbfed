// SPDX-License-Identifier: GPL-2.0
/*
 * portreg sync [-n] [FILE]: adds to the kernel's table every entry of a
 * services(5) file (default /etc/services) that the table lacks.  Each
 * entry is its own write, so one the kernel refuses cannot keep the others
 * out; each refused or unreadable line is named with its reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "tool.h"

struct keyset {
	char **keys;
	size_t n;
	size_t alloc;
};

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *entry_key(const struct pr_entry *e)
{
	char *key;

	if (asprintf(&key, "%s %u/%s", e->name, e->number, e->proto) < 0)
		return NULL;
	return key;
}

/* Takes @key; frees it if it cannot be kept. */
static int keyset_add(struct keyset *set, char *key)
{
	if (!key)
		return -1;
	if (set->n == set->alloc) {
		size_t alloc = set->alloc ? set->alloc * 2 : 4096;
		char **keys = realloc(set->keys, alloc * sizeof(*keys));

		if (!keys) {
			free(key);
			return -1;
		}
		set->keys = keys;
		set->alloc = alloc;
	}
	set->keys[set->n++] = key;
	return 0;
}

/* The table's keys are sorted; what this run added is appended after them. */
static bool keyset_has(const struct keyset *set, size_t sorted, const char *key)
{
	size_t i;

	if (sorted && bsearch(&key, set->keys, sorted, sizeof(*set->keys), key_cmp))
		return true;
	for (i = sorted; i < set->n; i++)
		if (!strcmp(set->keys[i], key))
			return true;
	return false;
}

static void keyset_free(struct keyset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->keys[i]);
	free(set->keys);
}

/* The entries the kernel's table holds now, by "name port/proto". */
static int load_table(struct keyset *set, char *path, size_t size)
{
	FILE *f = open_table("services", path, size);
	unsigned long lineno = 0;
	struct pr_entry e;
	char *line = NULL;
	const char *why;
	size_t cap = 0;

	memset(set, 0, sizeof(*set));
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		switch (pr_parse_service(line, &e, &why)) {
		case PR_PARSE_SKIP:
			continue;
		case PR_PARSE_ERROR:
			error("%s:%lu: malformed line: %s", path, lineno, why);
			goto fail;
		case PR_PARSE_ENTRY:
			if (keyset_add(set, entry_key(&e))) {
				error("out of memory");
				goto fail;
			}
		}
	}
	free(line);
	fclose(f);
	qsort(set->keys, set->n, sizeof(*set->keys), key_cmp);
	return 0;
fail:
	free(line);
	fclose(f);
	keyset_free(set);
	return -1;
}

struct sync_counts {
	unsigned long added;
	unsigned long present;
	unsigned long unsupported;
	unsigned long invalid;
};

static void report_invalid(struct sync_counts *n, const char *file,
			   unsigned long lineno, const char *why,
			   const char *text)
{
	n->invalid++;
	error("%s:%lu: not added: %s: '%.*s'", file, lineno, why,
	      (int)strcspn(text, "\n"), text);
}

/* The command that adds @e, with its aliases and description. */
static int build_add(const struct pr_entry *e, char *cmd, size_t size)
{
	size_t len;
	unsigned int i;

	len = (size_t)snprintf(cmd, size, "add %s %u/%s", e->name, e->number,
			       e->proto);
	for (i = 0; i < e->naliases && len < size; i++)
		len += (size_t)snprintf(cmd + len, size - len, " %s",
					e->aliases[i]);
	if (*e->description && len < size)
		len += (size_t)snprintf(cmd + len, size - len, " # %s",
					e->description);
	if (len + 2 > size)
		return -1;
	strcpy(cmd + len, "\n");
	return 0;
}

int cmd_sync(int argc, char **argv)
{
	const char *file = "/etc/services";
	struct sync_counts n = { 0 };
	char path[4096], cmd[2048], *line = NULL, *copy = NULL;
	unsigned long lineno = 0;
	bool dry_run = false, full = false;
	struct keyset table;
	size_t sorted;
	struct pr_entry e;
	const char *why;
	size_t cap = 0;
	int opt, err, res, ret = 0;
	FILE *in;

	optind = 0;
	while ((opt = command_getopt(argc, argv, "n", NULL)) != -1) {
		if (opt != 'n') {
			usage(stderr);
			return EXIT_USAGE;
		}
		dry_run = true;
	}
	if (argc - optind > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		file = argv[optind];
	in = fopen(file, "r");
	if (!in) {
		error("%s: %s", file, strerror(errno));
		return EXIT_ACCESS;
	}
	/* Also the path the commands go to: the module is known to be there. */
	if (load_table(&table, path, sizeof(path))) {
		fclose(in);
		return EXIT_ACCESS;
	}
	sorted = table.n;
	while (!full && getline(&line, &cap, in) >= 0) {
		char *key;

		lineno++;
		free(copy);
		copy = strdup(line);
		if (!copy) {
			error("out of memory");
			ret = EXIT_ACCESS;
			break;
		}
		switch (pr_parse_service(line, &e, &why)) {
		case PR_PARSE_SKIP:
			continue;
		case PR_PARSE_ERROR:
			/* AppleTalk's ddp and the like: not a port registry. */
			if (!strcmp(why, "unknown protocol"))
				n.unsupported++;
			else
				report_invalid(&n, file, lineno, why, copy);
			continue;
		case PR_PARSE_ENTRY:
			break;
		}
		key = entry_key(&e);
		if (!key) {
			error("out of memory");
			ret = EXIT_ACCESS;
			break;
		}
		if (keyset_has(&table, sorted, key)) {
			n.present++;
			free(key);
			continue;
		}
		if (build_add(&e, cmd, sizeof(cmd))) {
			report_invalid(&n, file, lineno, "too long", copy);
			free(key);
			continue;
		}
		if (dry_run) {
			if (json_output) {
				printf("{\"would_add\":");
				cmd[strcspn(cmd, "\n")] = '\0';
				json_string(cmd + 4);
				printf(",\"line\":%lu}\n", lineno);
			} else {
				printf("would %s", cmd);
			}
			n.added++;
			keyset_add(&table, key);
			continue;
		}
		res = send_command(path, cmd, &err);
		if (res == -2 || (res && (err == EPERM || err == EACCES))) {
			error("%s: %s: %s", path, strerror(err), refusal_reason(err));
			ret = EXIT_ACCESS;
			break;
		}
		if (!res || err == EEXIST) {
			if (res)
				n.present++;
			else
				n.added++;
			keyset_add(&table, key);
			continue;
		}
		free(key);
		if (err == ENOSPC) {
			/* The rest cannot go in either: say where it stopped. */
			error("%s:%lu: the kernel's table is full (module parameter "
			      "max_user_entries); this line and the rest were not added",
			      file, lineno);
			full = true;
			continue;
		}
		report_invalid(&n, file, lineno, refusal_reason(err), copy);
	}
	if (ferror(in)) {
		error("%s: %s", file, strerror(errno));
		ret = EXIT_ACCESS;
	}
	free(line);
	free(copy);
	fclose(in);
	keyset_free(&table);
	if (json_output) {
		printf("{\"file\":");
		json_string(file);
		printf(",\"dry_run\":%s,\"added\":%lu,\"skipped\":%lu,"
		       "\"already_present\":%lu,\"unsupported_protocol\":%lu,"
		       "\"invalid\":%lu}\n", dry_run ? "true" : "false", n.added,
		       n.present + n.unsupported, n.present, n.unsupported,
		       n.invalid);
	} else {
		printf("%s: %lu %s, %lu skipped (%lu already present, %lu with a "
		       "protocol other than tcp, udp, sctp or dccp), %lu invalid\n",
		       file, n.added, dry_run ? "to add" : "added",
		       n.present + n.unsupported, n.present, n.unsupported,
		       n.invalid);
	}
	if (ret)
		return ret;
	return n.invalid || full ? EXIT_REFUSED : 0;
}
