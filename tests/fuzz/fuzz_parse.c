// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the tool's /proc line parsers (userspace/parse.c), for
 * services, protocols, binds and claims.  An accepted line must yield a
 * usable record; anything else must be a skip or an error with a reason.
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

/*
 * A name field, escapes undone: any bytes but NUL (a process may call
 * itself "a\nb"), never longer than what it was unescaped from.
 */
static int clean_word(const char *s)
{
	return s && strlen(s) < 700;
}

static void check_bind(const struct pr_bind *b)
{
	int i;

	if (!b->kind || !b->family || !b->proto || !b->addr || !*b->addr)
		abort();
	if (!clean_word(b->task.comm) || b->port > 65535 ||
	    b->requested_port > 65535 || b->result > 0 || b->result < -4095)
		abort();
	if (!b->opts || strlen(b->opts) != PR_OPTS_LEN)
		abort();
	for (i = 0; i < PR_OPTS_LEN; i++)
		if (b->opts[i] != '.' && !strchr("FTNRr", b->opts[i]))
			abort();
	if (b->holder.comm && !clean_word(b->holder.comm))
		abort();
	if (strchr(b->addr, ' ') || (b->ifname && !*b->ifname))
		abort();
}

static void check_claim(const struct pr_claim *c)
{
	if (!c->kind || !c->family || !c->proto || !c->addr || !*c->addr)
		abort();
	if (!clean_word(c->task.comm) || !c->port || c->port > 65535)
		abort();
	if (!c->opts || strlen(c->opts) != PR_OPTS_LEN)
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

	{
		struct pr_bind b;
		struct pr_claim c;

		memcpy(line, data, size);
		line[size] = '\0';
		why = NULL;
		res = pr_parse_bind(line, &b, &why);
		if (res == PR_PARSE_ENTRY)
			check_bind(&b);
		else if (res == PR_PARSE_ERROR && (!why || !*why))
			abort();

		memcpy(line, data, size);
		line[size] = '\0';
		why = NULL;
		res = pr_parse_claim(line, &c, &why);
		if (res == PR_PARSE_ENTRY)
			check_claim(&c);
		else if (res == PR_PARSE_ERROR && (!why || !*why))
			abort();
	}
	free(line);
	return 0;
}
