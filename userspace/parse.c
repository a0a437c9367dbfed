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
	if (pr_parse_number(spec, 65535, &entry->number) || !entry->number) {
		*why = "port is not a number from 1 to 65535";
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

/* Splits @line at single spaces into at most @max fields. */
static int pr_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static int pr_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Unsigned decimal without leading zeros, at most @max. */
static int pr_parse_ull(const char *text, unsigned long long max,
			unsigned long long *out)
{
	unsigned long long val = 0;

	if (!*text || (text[0] == '0' && text[1]))
		return -1;
	for (; *text; text++) {
		if (!pr_is_digit(*text))
			return -1;
		if (val > (max - (unsigned long long)(*text - '0')) / 10)
			return -1;
		val = val * 10 + (unsigned long long)(*text - '0');
	}
	*out = val;
	return 0;
}

static int pr_parse_ul(const char *text, unsigned long max, unsigned long *out)
{
	unsigned long long val;

	if (pr_parse_ull(text, max, &val))
		return -1;
	*out = (unsigned long)val;
	return 0;
}

/* A pid as the kernel prints it: a decimal int, negative only in theory. */
static int pr_parse_pid(const char *text, long *out)
{
	unsigned long long val;
	int neg = *text == '-';

	if (pr_parse_ull(text + neg, neg ? 2147483648ULL : 2147483647ULL, &val))
		return -1;
	*out = neg ? -(long)val : (long)val;
	return 0;
}

/*
 * Undoes the kernel's \ooo escapes in place; "-" alone means no value and
 * gives NULL.  Returns -1 on an empty field, a stray backslash, or a raw
 * byte that the kernel always escapes.
 */
static int pr_unescape(char *text, const char **out)
{
	char *src = text, *dst = text;

	/* The kernel writes "-", never an empty field. */
	if (!*text)
		return -1;
	if (!strcmp(text, "-")) {
		*out = NULL;
		return 0;
	}
	while (*src) {
		unsigned char c = (unsigned char)*src;

		if (c < 0x20 || c >= 0x7f)
			return -1;
		if (c != '\\') {
			*dst++ = *src++;
			continue;
		}
		if (src[1] < '0' || src[1] > '3' || src[2] < '0' || src[2] > '7' ||
		    src[3] < '0' || src[3] > '7')
			return -1;
		c = (unsigned char)((src[1] - '0') << 6 | (src[2] - '0') << 3 |
				    (src[3] - '0'));
		if (!c)
			return -1;
		*dst++ = (char)c;
		src += 4;
	}
	*dst = '\0';
	*out = text;
	return 0;
}

static const char *pr_one_of(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(text, *words))
			return *words;
	return NULL;
}

static const char *const pr_kinds[] = { "bind", "listen", "autobind", NULL };
static const char *const pr_families[] = { "ipv4", "ipv6", NULL };
static const char *const pr_proto_words[] = { "tcp", "udp", "sctp", "dccp",
					      NULL };

static int pr_valid_opts(const char *text)
{
	static const char letters[PR_OPTS_LEN] = { 'F', 'T', 'N', 'R', 'r' };
	int i;

	if (strlen(text) != PR_OPTS_LEN)
		return 0;
	for (i = 0; i < PR_OPTS_LEN; i++)
		if (text[i] != '.' && text[i] != letters[i])
			return 0;
	return 1;
}

/* Dotted quad, or hex, digits, ':' and '.' for IPv6, as %pI4/%pI6c print. */
static int pr_valid_addr(const char *text, const char *family)
{
	size_t len = strlen(text), i;

	if (!len || len > 45)
		return 0;
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (pr_is_digit(c) || c == '.')
			continue;
		if (family[3] == '6' && (c == ':' || (c >= 'a' && c <= 'f')))
			continue;
		return 0;
	}
	return family[3] == '6' ? strchr(text, ':') != NULL : 1;
}

static int pr_parse_port(const char *text, unsigned int *port)
{
	return pr_parse_number(text, 65535, port);
}

/* Common to both: strips the newline, skips comments and the header. */
static enum pr_parse_result pr_record_line(char *line, const char *header,
					   const char **why)
{
	size_t len = strlen(line);

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (!len || line[0] == '#' || !strncmp(line, header, strlen(header)))
		return PR_PARSE_SKIP;
	if (strchr(line, '\n')) {
		*why = "line break inside a line";
		return PR_PARSE_ERROR;
	}
	return PR_PARSE_ENTRY;
}

static enum pr_parse_result pr_fail(const char **why, const char *what)
{
	*why = what;
	return PR_PARSE_ERROR;
}

enum pr_bind_field { B_SEQ, B_TIME, B_NETNS, B_PID, B_TID, B_UID, B_COMM,
	B_KIND, B_FAMILY, B_PROTO, B_ADDR, B_REQ, B_PORT, B_RET, B_OPTS, B_IF,
	B_SERVICE, B_HPID, B_HUID, B_HCOMM, B_COUNT };

enum pr_parse_result pr_parse_bind(char *line, struct pr_bind *b,
				   const char **why)
{
	enum pr_parse_result res;
	char *f[B_COUNT + 1];
	unsigned long long ret;
	int neg;

	memset(b, 0, sizeof(*b));
	res = pr_record_line(line, "SEQ TIME ", why);
	if (res != PR_PARSE_ENTRY)
		return res;
	if (pr_split(line, f, B_COUNT + 1) < B_COUNT)
		return pr_fail(why, "too few fields");
	if (pr_parse_ull(f[B_SEQ], ~0ULL, &b->seq) ||
	    pr_parse_ull(f[B_TIME], ~0ULL, &b->time_ns))
		return pr_fail(why, "SEQ or TIME is not a number");
	if (pr_parse_ul(f[B_NETNS], 4294967295UL, &b->netns) ||
	    pr_parse_pid(f[B_PID], &b->task.pid) ||
	    pr_parse_pid(f[B_TID], &b->tid) ||
	    pr_parse_ul(f[B_UID], 4294967295UL, &b->task.uid))
		return pr_fail(why, "NETNS, PID, TID or UID is not a number");
	if (pr_unescape(f[B_COMM], &b->task.comm))
		return pr_fail(why, "bad escape in COMM");
	if (!b->task.comm)
		b->task.comm = "";
	b->kind = pr_one_of(f[B_KIND], pr_kinds);
	b->family = pr_one_of(f[B_FAMILY], pr_families);
	b->proto = pr_one_of(f[B_PROTO], pr_proto_words);
	if (!b->kind || !b->family || !b->proto)
		return pr_fail(why, "unknown KIND, FAMILY or PROTO");
	if (!pr_valid_addr(f[B_ADDR], b->family))
		return pr_fail(why, "ADDR is not an address of its family");
	b->addr = f[B_ADDR];
	if (pr_parse_port(f[B_REQ], &b->requested_port) ||
	    pr_parse_port(f[B_PORT], &b->port))
		return pr_fail(why, "REQ or PORT is not a port number");
	neg = f[B_RET][0] == '-';
	if (pr_parse_ull(f[B_RET] + neg, 4095, &ret) || (neg && !ret))
		return pr_fail(why, "RET is not 0 or a negative errno");
	b->result = neg ? -(int)ret : (int)ret;
	if (b->result > 0)
		return pr_fail(why, "RET is not 0 or a negative errno");
	if (!pr_valid_opts(f[B_OPTS]))
		return pr_fail(why, "OPTS is not five flags");
	b->opts = f[B_OPTS];
	if (pr_unescape(f[B_IF], &b->ifname) ||
	    pr_unescape(f[B_SERVICE], &b->service))
		return pr_fail(why, "bad escape in IF or SERVICE");
	if (!strcmp(f[B_HPID], "-")) {
		if (strcmp(f[B_HUID], "-") || strcmp(f[B_HCOMM], "-"))
			return pr_fail(why, "holder fields half empty");
		return PR_PARSE_ENTRY;
	}
	if (pr_parse_pid(f[B_HPID], &b->holder.pid) ||
	    pr_parse_ul(f[B_HUID], 4294967295UL, &b->holder.uid) ||
	    pr_unescape(f[B_HCOMM], &b->holder.comm))
		return pr_fail(why, "bad holder fields");
	if (!b->holder.comm)
		b->holder.comm = "";
	return PR_PARSE_ENTRY;
}

enum pr_claim_field { C_PROTO, C_FAMILY, C_ADDR, C_PORT, C_NETNS, C_PID,
	C_UID, C_COMM, C_SINCE, C_KIND, C_OPTS, C_IF, C_INODE, C_SERVICE,
	C_COUNT };

enum pr_parse_result pr_parse_claim(char *line, struct pr_claim *c,
				    const char **why)
{
	enum pr_parse_result res;
	char *f[C_COUNT + 1];

	memset(c, 0, sizeof(*c));
	res = pr_record_line(line, "PROTO FAMILY ", why);
	if (res != PR_PARSE_ENTRY)
		return res;
	if (pr_split(line, f, C_COUNT + 1) < C_COUNT)
		return pr_fail(why, "too few fields");
	c->proto = pr_one_of(f[C_PROTO], pr_proto_words);
	c->family = pr_one_of(f[C_FAMILY], pr_families);
	c->kind = pr_one_of(f[C_KIND], pr_kinds);
	if (!c->proto || !c->family || !c->kind)
		return pr_fail(why, "unknown PROTO, FAMILY or KIND");
	if (!pr_valid_addr(f[C_ADDR], c->family))
		return pr_fail(why, "ADDR is not an address of its family");
	c->addr = f[C_ADDR];
	if (pr_parse_port(f[C_PORT], &c->port) || !c->port)
		return pr_fail(why, "PORT is not a port number");
	if (pr_parse_ul(f[C_NETNS], 4294967295UL, &c->netns) ||
	    pr_parse_pid(f[C_PID], &c->task.pid) ||
	    pr_parse_ul(f[C_UID], 4294967295UL, &c->task.uid) ||
	    pr_parse_ull(f[C_SINCE], ~0ULL, &c->since_ns) ||
	    pr_parse_ul(f[C_INODE], ~0UL, &c->inode))
		return pr_fail(why, "NETNS, PID, UID, SINCE or INODE is not a number");
	if (pr_unescape(f[C_COMM], &c->task.comm))
		return pr_fail(why, "bad escape in COMM");
	if (!c->task.comm)
		c->task.comm = "";
	if (!pr_valid_opts(f[C_OPTS]))
		return pr_fail(why, "OPTS is not five flags");
	c->opts = f[C_OPTS];
	if (pr_unescape(f[C_IF], &c->ifname) ||
	    pr_unescape(f[C_SERVICE], &c->service))
		return pr_fail(why, "bad escape in IF or SERVICE");
	return PR_PARSE_ENTRY;
}
