// SPDX-License-Identifier: GPL-2.0
/*
 * portreg owners [load [FILE]]: the expected owners of ports
 * (docs/proc-owners.md).  Without arguments, the kernel's set; "load"
 * makes the kernel's set equal to FILE's (default /etc/portreg/owners, the
 * same syntax, with comments) in one write, which the kernel takes whole
 * or not at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kernel's bounds: a file beyond them is refused. */
#include "../module/limits.h"
#include "ownerset.h"
#include "parse.h"
#include "tool.h"

#define OWNERS_FILE "/etc/portreg/owners"
#define TEXT_OF(n) #n
#define NUMBER_TEXT(n) TEXT_OF(n)

static int owner_cmp(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return strcmp(x->proto, y->proto);
}

int owners_read(FILE *in, const char *name, struct owner_set *set)
{
	struct pr_owner_entry e;
	unsigned long lineno = 0;
	char *line = NULL;
	size_t cap = 0, i;
	const char *why;
	struct owner *dup;

	set->v = calloc(PR_OWNERS_MAX + 1, sizeof(*set->v));
	set->n = 0;
	if (!set->v) {
		error("out of memory");
		return EXIT_ACCESS;
	}
	errno = 0;
	while (getline(&line, &cap, in) >= 0) {
		lineno++;
		switch (pr_parse_owner(line, &e, &why)) {
		case PR_PARSE_SKIP:
			continue;
		case PR_PARSE_ERROR:
			error("%s:%lu: malformed line: %s", name, lineno, why);
			free(line);
			return EXIT_ACCESS;
		case PR_PARSE_ENTRY:
			break;
		}
		if (set->n == PR_OWNERS_MAX) {
			error("%s:%lu: more than the %d expected owners the kernel keeps",
			      name, lineno, PR_OWNERS_MAX);
			free(line);
			return EXIT_ACCESS;
		}
		set->v[set->n] = (struct owner){ .port = e.port, .lineno = lineno };
		snprintf(set->v[set->n].proto, sizeof(set->v[0].proto), "%s", e.proto);
		snprintf(set->v[set->n].comm, sizeof(set->v[0].comm), "%s", e.comm);
		set->n++;
	}
	free(line);
	if (ferror(in)) {
		error("%s: %s", name, strerror(errno));
		return EXIT_ACCESS;
	}
	qsort(set->v, set->n, sizeof(*set->v), owner_cmp);
	for (i = 1; i < set->n; i++) {
		if (owner_cmp(&set->v[i - 1], &set->v[i]))
			continue;
		dup = set->v[i - 1].lineno < set->v[i].lineno ? &set->v[i] :
								 &set->v[i - 1];
		error("%s:%lu: %u/%s is expected on line %lu already", name,
		      dup->lineno, dup->port, dup->proto,
		      dup == &set->v[i] ? set->v[i - 1].lineno : set->v[i].lineno);
		return EXIT_ACCESS;
	}
	return 0;
}

int owners_read_kernel(struct owner_set *set, char *path, size_t size)
{
	FILE *f = open_table("owners", path, size);
	int ret = owners_read(f, path, set);

	fclose(f);
	return ret;
}

/* COMM as the kernel reads it: the binds file's escapes, and '#'. */
static void escape_comm(const char *comm, char *buf, size_t size)
{
	size_t len = 0;

	for (; *comm && len + 5 < size; comm++) {
		unsigned char c = (unsigned char)*comm;

		if (c <= 0x20 || c > 0x7e || c == '\\' || c == '#')
			len += (size_t)snprintf(buf + len, size - len, "\\%03o", c);
		else
			buf[len++] = (char)c;
	}
	buf[len] = '\0';
}

static void print_owner(const struct owner *o)
{
	char key[16], comm[64];

	if (json_output) {
		printf("{\"port\":%u,\"proto\":\"%s\",\"comm\":", o->port, o->proto);
		json_string(o->comm);
		puts("}");
		return;
	}
	snprintf(key, sizeof(key), "%u/%s", o->port, o->proto);
	printf("%-10s %s\n", key, printable(o->comm, comm, sizeof(comm)));
}

/* Appends to @cmd what turns @have into @want; counts each kind. */
static int build_load(const struct owner_set *have, const struct owner_set *want,
		      char *cmd, size_t size, size_t *expected,
		      size_t *forgotten, size_t *unchanged)
{
	size_t i = 0, j = 0, len = 0;
	char comm[PR_COMM_MAX * 4 + 1];
	int c, n;

	while (i < have->n || j < want->n) {
		if (i == have->n)
			c = 1;
		else if (j == want->n)
			c = -1;
		else
			c = owner_cmp(&have->v[i], &want->v[j]);
		if (c < 0) {
			n = snprintf(cmd + len, size - len, "forget %u/%s\n",
				     have->v[i].port, have->v[i].proto);
			++*forgotten;
			i++;
		} else if (c == 0 && !strcmp(have->v[i].comm, want->v[j].comm)) {
			++*unchanged;
			i++;
			j++;
			continue;
		} else {
			escape_comm(want->v[j].comm, comm, sizeof(comm));
			n = snprintf(cmd + len, size - len, "expect %u/%s %s\n",
				     want->v[j].port, want->v[j].proto, comm);
			++*expected;
			i += c == 0;
			j++;
		}
		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += (size_t)n;
	}
	return 0;
}

static const char *owners_refusal(int err)
{
	switch (err) {
	case EPERM: return "needs CAP_NET_ADMIN";
	case EACCES: return "needs root (or CAP_NET_ADMIN and write access)";
	case ENOSPC: return "more expected owners than the kernel keeps ("
			    NUMBER_TEXT(PR_OWNERS_MAX) ")";
	case ENOENT: return "an expectation changed meanwhile; run it again";
	case EINVAL: return "a line the kernel does not take";
	default: return strerror(err);
	}
}

static int load_owners(const char *file)
{
	struct owner_set want = { 0 }, have = { 0 };
	size_t expected = 0, forgotten = 0, unchanged = 0;
	char path[4096], *cmd = NULL;
	int ret, err, res;
	FILE *in;

	in = fopen(file, "r");
	if (!in) {
		error("%s: %s", file, strerror(errno));
		return EXIT_ACCESS;
	}
	ret = owners_read(in, file, &want);
	fclose(in);
	if (!ret)
		ret = owners_read_kernel(&have, path, sizeof(path));
	cmd = calloc(1, PR_OWNERS_WRITE_MAX + 1);
	if (!ret && !cmd) {
		error("out of memory");
		ret = EXIT_ACCESS;
	}
	if (!ret && build_load(&have, &want, cmd, PR_OWNERS_WRITE_MAX + 1,
			       &expected, &forgotten, &unchanged)) {
		error("%s: the changes make a write longer than the kernel takes",
		      file);
		ret = EXIT_ACCESS;
	}
	if (!ret && *cmd) {
		res = send_command(path, cmd, &err);
		if (res) {
			error("%s: %s: %s", path, strerror(err),
			      owners_refusal(err));
			ret = res == -2 || err == EPERM || err == EACCES ?
			      EXIT_ACCESS : EXIT_REFUSED;
		}
	}
	if (!ret && !json_output)
		printf("%s: %zu expected, %zu forgotten, %zu unchanged\n", file,
		       expected, forgotten, unchanged);
	if (!ret && json_output) {
		fputs("{\"file\":", stdout);
		json_string(file);
		printf(",\"expected\":%zu,\"forgotten\":%zu,\"unchanged\":%zu}\n",
		       expected, forgotten, unchanged);
	}
	free(cmd);
	free(want.v);
	free(have.v);
	return ret;
}

int cmd_owners(int argc, char **argv)
{
	struct owner_set set = { 0 };
	char path[4096];
	size_t i;
	int first, ret;

	first = command_operands(argc, argv, 0, 2);
	if (first < 0)
		return EXIT_USAGE;
	if (first < argc) {
		if (strcmp(argv[first], "load")) {
			error("owners: '%s': the only subcommand is load", argv[first]);
			usage(stderr);
			return EXIT_USAGE;
		}
		return load_owners(first + 1 < argc ? argv[first + 1] : OWNERS_FILE);
	}
	ret = owners_read_kernel(&set, path, sizeof(path));
	for (i = 0; !ret && i < set.n; i++)
		print_owner(&set.v[i]);
	free(set.v);
	return ret;
}
