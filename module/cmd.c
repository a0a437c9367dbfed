// SPDX-License-Identifier: GPL-2.0
/*
 * One line of the /proc/portreg/services write interface:
 *
 *   add NAME PORT/PROTO [ALIAS...] [# DESCRIPTION]
 *   del NAME PORT/PROTO
 *
 * The add form is a services(5) line behind a verb, so a line of
 * /etc/services can be fed back as it is.  The parser tokenises in place
 * and checks every limit before it reports success, so a caller that sees
 * 0 holds a command it can apply without further checks on its text.
 */
#include "cmd.h"

static bool pr_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Everything outside printable ASCII is refused, NUL and bytes of UTF-8
 * included: the file is read back by services(5) parsers that expect text.
 */
static bool pr_line_chars_valid(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if ((c < 0x20 || c > 0x7e) && c != '\t')
			return false;
	}
	return true;
}

bool pr_name_valid(const char *name, size_t len)
{
	bool letter = false;
	size_t i;

	if (len == 0 || len > PR_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c <= 0x20 || c > 0x7e || c == '#')
			return false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = true;
	}
	/* RFC 6335 wants a letter, and "80" must stay a port, not a name. */
	return letter;
}
EXPORT_SYMBOL_IF_KUNIT(pr_name_valid);

/* Decimal 1..65535, no sign, no leading zero. */
static int pr_port_parse(const char *text, size_t len, u16 *port)
{
	u32 val = 0;
	size_t i;

	if (len == 0 || len > 5 || text[0] == '0')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -EINVAL;
		val = val * 10 + (text[i] - '0');
	}
	if (val > 65535)
		return -EINVAL;
	*port = val;
	return 0;
}

static int pr_port_proto_parse(const char *text, struct pr_cmd *cmd)
{
	const char *slash = strchr(text, '/');
	int proto, err;

	if (!slash)
		return -EINVAL;
	err = pr_port_parse(text, slash - text, &cmd->port);
	if (err)
		return err;
	proto = pr_proto_parse(slash + 1, strlen(slash + 1));
	if (proto < 0)
		return proto;
	cmd->proto = proto;
	return 0;
}

/* Splits off the next blank-separated token, NUL-terminating it in place. */
static char *pr_next_token(char **cursor)
{
	char *p = *cursor, *start;

	while (pr_is_blank(*p))
		p++;
	if (!*p)
		return NULL;
	start = p;
	while (*p && !pr_is_blank(*p))
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return start;
}

static char *pr_trim(char *s)
{
	size_t len;

	while (pr_is_blank(*s))
		s++;
	len = strlen(s);
	while (len && pr_is_blank(s[len - 1]))
		s[--len] = '\0';
	return s;
}

static int pr_name_check(const char *name)
{
	size_t len = strlen(name);

	if (len > PR_NAME_MAX)
		return -E2BIG;
	return pr_name_valid(name, len) ? 0 : -EINVAL;
}

/* NAME PORT/PROTO, the key both verbs start with. */
static int pr_cmd_parse_key(char **cursor, struct pr_cmd *cmd)
{
	char *name, *spec;
	int err;

	name = pr_next_token(cursor);
	spec = name ? pr_next_token(cursor) : NULL;
	if (!spec)
		return -EINVAL;
	err = pr_name_check(name);
	if (err)
		return err;
	err = pr_port_proto_parse(spec, cmd);
	if (err)
		return err;
	cmd->name = name;
	return 0;
}

static int pr_cmd_parse_add(char *cursor, struct pr_cmd *cmd)
{
	char *hash = strchr(cursor, '#');
	char *alias;
	int err;

	if (hash) {
		*hash = '\0';
		cmd->description = pr_trim(hash + 1);
		if (strlen(cmd->description) > PR_DESC_MAX)
			return -E2BIG;
	}
	err = pr_cmd_parse_key(&cursor, cmd);
	if (err)
		return err;
	while ((alias = pr_next_token(&cursor))) {
		if (cmd->naliases == PR_ALIASES_MAX)
			return -E2BIG;
		err = pr_name_check(alias);
		if (err)
			return err;
		cmd->aliases[cmd->naliases++] = alias;
	}
	return 0;
}

static int pr_cmd_parse_del(char *cursor, struct pr_cmd *cmd)
{
	int err = pr_cmd_parse_key(&cursor, cmd);

	if (err)
		return err;
	return pr_next_token(&cursor) ? -EINVAL : 0;
}

/*
 * @line holds @len bytes without the newline; line[len] must be writable
 * and is set to NUL.  Returns 0, -EINVAL for anything malformed or out of
 * range, or -E2BIG for anything longer or more numerous than limits.h
 * allows.  On error *cmd is undefined.
 */
int pr_cmd_parse(char *line, size_t len, struct pr_cmd *cmd)
{
	char *cursor = line, *verb;

	memset(cmd, 0, sizeof(*cmd));
	cmd->description = "";
	if (len > PR_LINE_MAX)
		return -E2BIG;
	if (!pr_line_chars_valid(line, len))
		return -EINVAL;
	line[len] = '\0';

	verb = pr_next_token(&cursor);
	if (!verb || verb[0] == '#') {
		cmd->op = PR_CMD_NOP;
		return 0;
	}
	if (!strcmp(verb, "add")) {
		cmd->op = PR_CMD_ADD;
		return pr_cmd_parse_add(cursor, cmd);
	}
	if (!strcmp(verb, "del")) {
		cmd->op = PR_CMD_DEL;
		return pr_cmd_parse_del(cursor, cmd);
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_cmd_parse);
