// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the tool's /proc line parsers (userspace/parse.c).
 * An accepted line must yield a usable entry; anything else must be a
 * skip or an error with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "../../userspace/parse.h"

static void check_entry(const struct pr_entry *e, unsigned int max)
{
	unsigned int i;

	if (!e->name || !*e->name || strpbrk(e->name, " \t#\n"))
		abort();
	if (e->number > max || e->naliases > PR_MAX_ALIASES || !e->description)
		abort();
	for (i = 0; i < e->naliases; i++)
		if (!*e->aliases[i] || strpbrk(e->aliases[i], " \t#\n"))
			abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *line = malloc(size + 1);
	struct pr_entry e;
	const char *why = NULL;
	int res;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	res = pr_parse_service(line, &e, &why);
	if (res == PR_PARSE_ENTRY)
		check_entry(&e, 65535);
	else if (res == PR_PARSE_ERROR && (!why || !*why))
		abort();

	memcpy(line, data, size);
	line[size] = '\0';
	why = NULL;
	res = pr_parse_protocol(line, &e, &why);
	if (res == PR_PARSE_ENTRY)
		check_entry(&e, 255);
	else if (res == PR_PARSE_ERROR && (!why || !*why))
		abort();
	free(line);
	return 0;
}
