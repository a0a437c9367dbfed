// SPDX-License-Identifier: GPL-2.0
/*
 * services(5) and protocols(5) line parsers.  The kernel writes these
 * files, but a reader must still treat them as input: a truncated read or
 * a future format change must end in an error message, not a crash.
 */
#include <string.h>

#include "parse.h"

static const char *const pr_protos[] = { "tcp", "udp", "sctp", "dccp" };

static int pr_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *pr_token(char **cursor)
{
	char *p = *cursor, *start;

	while (pr_blank(*p))
		p++;
	if (!*p)
		return NULL;
	start = p;
	while (*p && !pr_blank(*p))
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return start;
}

/* Decimal, no sign, at most @max; returns 0 or -1. */
int pr_parse_number(const char *text, unsigned int max, unsigned int *out)
{
	unsigned long val = 0;

	if (!*text || strlen(text) > 5 || (text[0] == '0' && text[1]))
		return -1;
	for (; *text; text++) {
		if (*text < '0' || *text > '9')
			return -1;
		val = val * 10 + (unsigned long)(*text - '0');
	}
	if (val > max)
		return -1;
	*out = (unsigned int)val;
	return 0;
}

/*
 * Splits off the comment, which is the description, and the name.
 * Returns PR_PARSE_SKIP for lines with neither.
 */
static enum pr_parse_result pr_parse_common(char *line, char **cursor,
					    struct pr_entry *entry,
					    const char **why)
{
	char *hash = strchr(line, '#');
	char *desc = "";
	size_t len;

	memset(entry, 0, sizeof(*entry));
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
			*why = "control character";
			return PR_PARSE_ERROR;
		}
	}
	if (hash) {
		*hash = '\0';
		desc = hash + 1;
		while (pr_blank(*desc))
			desc++;
	}
	*cursor = line;
	entry->name = pr_token(cursor);
	entry->description = desc;
	return entry->name ? PR_PARSE_ENTRY : PR_PARSE_SKIP;
}

static enum pr_parse_result pr_parse_aliases(char *cursor,
					     struct pr_entry *entry,
					     const char **why)
{
	char *alias;

	while ((alias = pr_token(&cursor))) {
		if (entry->naliases == PR_MAX_ALIASES) {
			*why = "too many aliases";
			return PR_PARSE_ERROR;
		}
		entry->aliases[entry->naliases++] = alias;
	}
	return PR_PARSE_ENTRY;
}

enum pr_parse_result pr_parse_service(char *line, struct pr_entry *entry,
				      const char **why)
{
	enum pr_parse_result res;
	char *cursor, *spec, *slash;
	size_t i;

	res = pr_parse_common(line, &cursor, entry, why);
	if (res != PR_PARSE_ENTRY)
		return res;
	spec = pr_token(&cursor);
	if (!spec || !(slash = strchr(spec, '/'))) {
		*why = "expected PORT/PROTO after the name";
		return PR_PARSE_ERROR;
	}
	*slash = '\0';
	if (pr_parse_number(spec, 65535, &entry->number)) {
		*why = "port is not a number from 0 to 65535";
		return PR_PARSE_ERROR;
	}
	for (i = 0; i < sizeof(pr_protos) / sizeof(pr_protos[0]); i++) {
		if (!strcmp(slash + 1, pr_protos[i]))
			entry->proto = pr_protos[i];
	}
	if (!entry->proto) {
		*why = "unknown protocol";
		return PR_PARSE_ERROR;
	}
	return pr_parse_aliases(cursor, entry, why);
}

enum pr_parse_result pr_parse_protocol(char *line, struct pr_entry *entry,
				       const char **why)
{
	enum pr_parse_result res;
	char *cursor, *number;

	res = pr_parse_common(line, &cursor, entry, why);
	if (res != PR_PARSE_ENTRY)
		return res;
	number = pr_token(&cursor);
	if (!number || pr_parse_number(number, 255, &entry->number)) {
		*why = "expected a protocol number from 0 to 255 after the name";
		return PR_PARSE_ERROR;
	}
	return pr_parse_aliases(cursor, entry, why);
}
