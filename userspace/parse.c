// SPDX-License-Identifier: GPL-2.0
/*
 * Line parsers: services(5) and protocols(5), and the bind log's and the
 * claims' lines (docs/proc-binds.md, docs/proc-claims.md).  The kernel
 * writes these files, but a reader must still treat them as input: a
 * truncated read or a future format change must end in an error message,
 * not a crash, and a line the documented format does not allow is refused
 * with the reason rather than shown half understood.
 */
#include <arpa/inet.h>
#include <limits.h>
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

/* A pid or tid: decimal, as pid_t holds it; "-" (not visible) gives -1. */
static int pr_parse_pid(const char *text, long *out)
{
	unsigned long long val;

	if (!strcmp(text, "-")) {
		*out = -1;
		return 0;
	}
	if (pr_parse_ull(text, 2147483647ULL, &val))
		return -1;
	*out = (long)val;
	return 0;
}

/* A decimal number, or "-", which gives @none. */
static int pr_parse_ull_or_dash(const char *text, unsigned long long max,
				unsigned long long none,
				unsigned long long *out)
{
	if (!strcmp(text, "-")) {
		*out = none;
		return 0;
	}
	return pr_parse_ull(text, max, out);
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

static const char *const pr_families[] = { "ipv4", "ipv6", NULL };
static const char *const pr_proto_words[] = { "tcp", "udp", "sctp", "dccp",
					      NULL };
static const char *const pr_states[] = { "listen", "bound", "established",
	"syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait",
	"close-wait", "last-ack", "closing", NULL };
static const char *const pr_rules[] = { "exclusive", "listener",
					"reuseport-uid", NULL };

static const char *const pr_kind_names[PR_KIND_COUNT] = {
	[PR_KIND_NONE] = "-",
	[PR_KIND_BIND] = "bind",
	[PR_KIND_LISTEN] = "listen",
	[PR_KIND_AUTOBIND] = "autobind",
	[PR_KIND_ACCEPT] = "accept",
	[PR_KIND_CONNECT] = "connect",
	[PR_KIND_TIMEWAIT] = "timewait",
	[PR_KIND_KERNEL] = "kernel",
	[PR_KIND_BEFORE_LOAD] = "before-load",
	[PR_KIND_UNRECORDED] = "unrecorded",
	[PR_KIND_GONE] = "gone",
	[PR_KIND_TOO_MANY] = "too-many",
	[PR_KIND_UNREACHABLE] = "unreachable",
	[PR_KIND_LOST] = "lost",
	[PR_KIND_RELEASE] = "release",
};

const char *pr_kind_name(enum pr_kind kind)
{
	return kind < PR_KIND_COUNT ? pr_kind_names[kind] : "?";
}

/* One of the kinds from @first to @last; returns 0 or -1. */
static int pr_parse_kind(const char *text, enum pr_kind first,
			 enum pr_kind last, enum pr_kind *out)
{
	int kind;

	for (kind = first; kind <= (int)last; kind++) {
		if (!strcmp(text, pr_kind_names[kind])) {
			*out = (enum pr_kind)kind;
			return 0;
		}
	}
	return -1;
}

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
/*
 * An address of @family as the kernel prints it: a dotted quad (%pI4), or
 * RFC 5952 (%pI6c), which is lower case.  inet_pton() does the rest.
 */
static int pr_valid_addr(const char *text, const char *family)
{
	unsigned char buf[sizeof(struct in6_addr)];
	int v6 = family[3] == '6';
	size_t i;

	for (i = 0; text[i]; i++) {
		char c = text[i];

		if (!pr_is_digit(c) && c != '.' &&
		    !(v6 && (c == ':' || (c >= 'a' && c <= 'f'))))
			return 0;
	}
	return inet_pton(v6 ? AF_INET6 : AF_INET, text, buf) == 1;
}

/* The family of an address of either: the holder's may differ. */
static const char *pr_addr_family(const char *text)
{
	if (pr_valid_addr(text, "ipv4"))
		return "ipv4";
	return pr_valid_addr(text, "ipv6") ? "ipv6" : NULL;
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

/*
 * A peer: "ADDR:PORT", or "[ADDR]:PORT" for IPv6 (a v4-mapped peer of an
 * IPv6 socket included).  Returns its family, or NULL.
 */
static const char *pr_endpoint_family(const char *text)
{
	char addr[INET6_ADDRSTRLEN];
	const char *start = text, *end, *colon, *family;
	unsigned int port;

	if (text[0] == '[') {
		start = text + 1;
		end = strchr(start, ']');
		if (!end || end[1] != ':')
			return NULL;
		colon = end + 1;
		family = "ipv6";
	} else {
		end = colon = strchr(start, ':');
		if (!colon)
			return NULL;
		family = "ipv4";
	}
	if ((size_t)(end - start) >= sizeof(addr))
		return NULL;
	memcpy(addr, start, (size_t)(end - start));
	addr[end - start] = '\0';
	if (!pr_valid_addr(addr, family) || pr_parse_port(colon + 1, &port))
		return NULL;
	return family;
}

/*
 * PID, UID and COMM of a process, or HPID, HUID and HCOMM of a holder's
 * claimer.  PID and COMM are "-" together: a process the reader cannot
 * see, or none known.  Whether UID may be "-" is the caller's to say.
 * Returns NULL, or why the fields are wrong.
 */
static const char *pr_parse_who(const char *pid, const char *uid, char *comm,
				struct pr_who *who, bool holder)
{
	if (pr_parse_pid(pid, &who->pid))
		return holder ? "HPID is not a pid or -" : "PID is not a pid or -";
	who->has_uid = strcmp(uid, "-") != 0;
	if (who->has_uid && pr_parse_ul(uid, 4294967295UL, &who->uid))
		return holder ? "HUID is not a uid or -" : "UID is not a uid or -";
	if (pr_unescape(comm, &who->comm))
		return holder ? "bad escape in HCOMM" : "bad escape in COMM";
	if ((who->pid < 0) != !who->comm)
		return holder ? "HPID and HCOMM are not both - or both given" :
				"PID and COMM are not both - or both given";
	return NULL;
}

/*
 * CGROUP or HCGROUP of @who: a path from "/", or "?" for one too long to
 * show; "-" when none is known, and always for a process not shown.
 * Returns NULL, or why the field is wrong.
 */
static const char *pr_parse_cgroup(char *text, struct pr_who *who,
				   bool holder)
{
	if (pr_unescape(text, &who->cgroup))
		return holder ? "bad escape in HCGROUP" : "bad escape in CGROUP";
	if (!who->cgroup)
		return NULL;
	if (who->cgroup[0] != '/' && strcmp(who->cgroup, "?"))
		return holder ? "HCGROUP is not a path, ? or -" :
				"CGROUP is not a path, ? or -";
	if (strlen(who->cgroup) > PR_CGROUP_MAX)
		return holder ? "HCGROUP is longer than the kernel's 511 bytes" :
				"CGROUP is longer than the kernel's 511 bytes";
	if (who->pid < 0)
		return holder ? "HCGROUP given for a claimer not shown" :
				"CGROUP given for a process not shown";
	return NULL;
}

enum pr_bind_field { B_SEQ, B_TIME, B_NETNS, B_PID, B_TID, B_UID, B_COMM,
	B_KIND, B_FAMILY, B_PROTO, B_ADDR, B_REQ, B_PORT, B_RET, B_OPTS, B_IF,
	B_SERVICE, B_HPID, B_HUID, B_HCOMM, B_HKIND, B_HADDR, B_HREMOTE,
	B_HEXPIRE, B_HINODE, B_HWHY, B_LOST, B_SINCE, B_CKIND, B_EXPECTED,
	B_CGROUP, B_HCGROUP, B_REMOTE, B_COUNT };

/* A module older than the release records wrote no SINCE and CKIND. */
#define B_REQUIRED B_SINCE

static const char *const pr_lost_reason_names[] = {
	[PR_LOST_PROBE_MISSED] = "probe_missed",
	[PR_LOST_OVER_SHARE] = "over_share",
	[PR_LOST_SOCKET_LOCKED] = "socket_locked",
};

const char *pr_lost_reason_name(enum pr_lost_reason reason)
{
	if (reason == PR_LOST_NONE || reason > PR_LOST_SOCKET_LOCKED)
		return NULL;
	return pr_lost_reason_names[reason];
}

/*
 * A lost marker carries SEQ, TIME, NETNS, KIND, RET and LOST, and for two
 * of its reasons UID; every other field is "-", or 0 for the numbers.
 * RET says why its events are missing: 0, probe hits the kernel could not
 * deliver (UID "-"); -122 (EDQUOT), events of UID refused because it held
 * its share of the initial namespace's log; -16 (EBUSY), binds of UID on
 * a socket another task held locked, which portreg does not follow.  UID
 * may be "-" for those two as well: a user the reader's namespace does
 * not map.
 */
static enum pr_parse_result pr_parse_lost(char **f, struct pr_bind *b,
					  const char **why)
{
	static const enum pr_bind_field dashes[] = { B_PID, B_TID, B_COMM,
		B_FAMILY, B_PROTO, B_ADDR, B_IF, B_SERVICE, B_HPID, B_HUID,
		B_HCOMM, B_HKIND, B_HADDR, B_HREMOTE, B_HEXPIRE, B_HINODE,
		B_HWHY, B_HCGROUP, B_REMOTE };
	size_t i;

	for (i = 0; i < sizeof(dashes) / sizeof(dashes[0]); i++)
		if (strcmp(f[dashes[i]], "-"))
			return pr_fail(why, "a lost marker with a field that is not -");
	if (strcmp(f[B_REQ], "0") || strcmp(f[B_PORT], "0"))
		return pr_fail(why, "a lost marker with REQ or PORT not 0");
	if (!strcmp(f[B_RET], "0")) {
		b->lost_reason = PR_LOST_PROBE_MISSED;
		b->result = 0;
	} else if (!strcmp(f[B_RET], "-122")) {
		b->lost_reason = PR_LOST_OVER_SHARE;
		b->result = -122;
	} else if (!strcmp(f[B_RET], "-16")) {
		b->lost_reason = PR_LOST_SOCKET_LOCKED;
		b->result = -16;
	} else {
		return pr_fail(why, "a lost marker with RET not 0, -122 or -16");
	}
	if (b->lost_reason == PR_LOST_PROBE_MISSED && b->task.has_uid)
		return pr_fail(why, "a lost marker of missed probe hits (RET 0) with a UID");
	if (strcmp(f[B_OPTS], "....."))
		return pr_fail(why, "a lost marker with OPTS not .....");
	if (!b->lost)
		return pr_fail(why, "a lost marker that lost no event");
	return PR_PARSE_ENTRY;
}

/*
 * SINCE and CKIND: on a release, when and how the claim it ends was made;
 * "-" on every other line.
 */
static enum pr_parse_result pr_parse_claim_end(char **f, struct pr_bind *b,
					       const char **why)
{
	if (b->kind != PR_KIND_RELEASE) {
		if (strcmp(f[B_SINCE], "-") || strcmp(f[B_CKIND], "-"))
			return pr_fail(why, "SINCE or CKIND given on a line that is no release");
		return PR_PARSE_ENTRY;
	}
	if (pr_parse_ull(f[B_SINCE], ~0ULL, &b->since_ns) || !b->since_ns)
		return pr_fail(why, "SINCE is not a time on a release");
	if ((pr_parse_kind(f[B_CKIND], PR_KIND_BIND, PR_KIND_AUTOBIND,
			   &b->claim_kind) &&
	     pr_parse_kind(f[B_CKIND], PR_KIND_UNRECORDED, PR_KIND_UNRECORDED,
			   &b->claim_kind)))
		return pr_fail(why, "CKIND is not bind, listen, autobind or unrecorded on a release");
	return PR_PARSE_ENTRY;
}

/*
 * A connect is logged only when it found no port: RET is an errno, PORT
 * 0, and REMOTE where it was going, which no other line has.
 */
static enum pr_parse_result pr_parse_connect(char **f, struct pr_bind *b,
					     const char **why)
{
	const char *family;

	if (b->kind != PR_KIND_CONNECT) {
		if (strcmp(f[B_REMOTE], "-"))
			return pr_fail(why, "REMOTE given on a line that is no connect");
		return PR_PARSE_ENTRY;
	}
	if (!b->result || b->port)
		return pr_fail(why, "a connect with RET 0 or a PORT");
	family = pr_endpoint_family(f[B_REMOTE]);
	if (!family)
		return pr_fail(why, "REMOTE is not ADDR:PORT or [IPv6]:PORT on a connect");
	if (strcmp(family, b->family))
		return pr_fail(why, "REMOTE and FAMILY are of different families");
	b->remote = f[B_REMOTE];
	return PR_PARSE_ENTRY;
}

/*
 * HPID to HWHY: "-" where there was no lookup (any RET but -98) and where
 * no socket was named (gone, too-many, unreachable); for a socket found,
 * what docs/proc-binds.md says it has.
 */
static enum pr_parse_result pr_parse_holder(char **f, struct pr_bind *b,
					    const char **why)
{
	struct pr_holder *h = &b->holder;
	const char *reason, *remote_family = NULL;
	unsigned long long val;
	bool looked;

	if (pr_parse_kind(f[B_HKIND], PR_KIND_NONE, PR_KIND_UNREACHABLE,
			  &h->kind))
		return pr_fail(why, "unknown HKIND");
	/*
	 * The kernel looks for a holder only where there is a port to hold:
	 * a bind to port 0 or a listen without one refused with -98 found
	 * the whole range taken, and names nobody.
	 */
	looked = b->result == -98 && b->requested_port &&
		 b->kind != PR_KIND_CONNECT;
	if ((h->kind != PR_KIND_NONE) != looked)
		return pr_fail(why, "HKIND is not given exactly when RET is -98 for a REQ not 0");
	reason = pr_parse_who(f[B_HPID], f[B_HUID], f[B_HCOMM], &h->who, true);
	if (!reason)
		reason = pr_parse_cgroup(f[B_HCGROUP], &h->who, true);
	if (reason)
		return pr_fail(why, reason);
	if (strcmp(f[B_HADDR], "-") && !pr_addr_family(f[B_HADDR]))
		return pr_fail(why, "HADDR is not an address or -");
	if (strcmp(f[B_HADDR], "-"))
		h->addr = f[B_HADDR];
	if (strcmp(f[B_HREMOTE], "-")) {
		remote_family = pr_endpoint_family(f[B_HREMOTE]);
		if (!remote_family)
			return pr_fail(why, "HREMOTE is not ADDR:PORT, [IPv6]:PORT or -");
		h->remote = f[B_HREMOTE];
	}
	if (pr_parse_ull_or_dash(f[B_HEXPIRE], LLONG_MAX, ~0ULL, &val))
		return pr_fail(why, "HEXPIRE is not a number or -");
	h->expire_ms = val == ~0ULL ? -1 : (long long)val;
	if (pr_parse_ull_or_dash(f[B_HINODE], ~0UL, 0, &val))
		return pr_fail(why, "HINODE is not a number or -");
	h->inode = (unsigned long)val;
	if (strcmp(f[B_HWHY], "-") && !(h->why = pr_one_of(f[B_HWHY], pr_rules)))
		return pr_fail(why, "unknown HWHY");

	if (!pr_kind_is_socket(h->kind)) {
		if (h->who.pid >= 0 || h->who.has_uid || h->addr || h->remote ||
		    h->expire_ms >= 0 || strcmp(f[B_HINODE], "-") || h->why)
			return pr_fail(why, "holder fields given though HKIND names no socket");
		return PR_PARSE_ENTRY;
	}
	if (!h->addr || !h->why)
		return pr_fail(why, "HADDR or HWHY is - for a socket found");
	if (remote_family && strcmp(remote_family, pr_addr_family(h->addr)))
		return pr_fail(why, "HREMOTE and HADDR are of different families");
	if (h->who.pid >= 0 && !pr_kind_is_claimed(h->kind) &&
	    h->kind != PR_KIND_ACCEPT)
		return pr_fail(why, "HPID given for an HKIND that has no claimer");
	if ((h->kind == PR_KIND_TIMEWAIT) == h->who.has_uid)
		return pr_fail(why, "HUID is not - exactly for timewait");
	if ((h->kind == PR_KIND_TIMEWAIT) != (h->expire_ms >= 0))
		return pr_fail(why, "HEXPIRE is not given exactly for timewait");
	if (h->kind == PR_KIND_TIMEWAIT && h->inode)
		return pr_fail(why, "HINODE given for timewait, which has no file");
	if ((h->kind == PR_KIND_TIMEWAIT || h->kind == PR_KIND_ACCEPT ||
	     h->kind == PR_KIND_CONNECT) && !h->remote)
		return pr_fail(why, "HREMOTE is - for a connection");
	return PR_PARSE_ENTRY;
}

enum pr_parse_result pr_parse_bind(char *line, struct pr_bind *b,
				   const char **why)
{
	enum pr_parse_result res;
	char *f[B_COUNT + 1];
	unsigned long long ret;
	const char *reason;
	int neg, n;

	memset(b, 0, sizeof(*b));
	b->tid = -1;
	b->task.pid = -1;
	b->holder.who.pid = -1;
	b->holder.expire_ms = -1;
	res = pr_record_line(line, "SEQ TIME ", why);
	if (res != PR_PARSE_ENTRY)
		return res;
	n = pr_split(line, f, B_COUNT + 1);
	if (n < B_REQUIRED)
		return pr_fail(why, "too few fields");
	/* Older modules' lines end sooner: each later column is "-". */
	for (; n < B_COUNT; n++)
		f[n] = "-";
	if (pr_parse_ull(f[B_SEQ], ~0ULL, &b->seq) ||
	    pr_parse_ull(f[B_TIME], ~0ULL, &b->time_ns))
		return pr_fail(why, "SEQ or TIME is not a number");
	if (pr_parse_ul(f[B_NETNS], 4294967295UL, &b->netns))
		return pr_fail(why, "NETNS is not a number");
	reason = pr_parse_who(f[B_PID], f[B_UID], f[B_COMM], &b->task, false);
	if (reason)
		return pr_fail(why, reason);
	if (pr_parse_pid(f[B_TID], &b->tid))
		return pr_fail(why, "TID is not a pid or -");
	if ((b->tid < 0) != (b->task.pid < 0))
		return pr_fail(why, "PID and TID are not both - or both given");
	if (pr_parse_kind(f[B_KIND], PR_KIND_BIND, PR_KIND_AUTOBIND, &b->kind) &&
	    pr_parse_kind(f[B_KIND], PR_KIND_CONNECT, PR_KIND_CONNECT,
			  &b->kind) &&
	    pr_parse_kind(f[B_KIND], PR_KIND_LOST, PR_KIND_RELEASE, &b->kind))
		return pr_fail(why, "unknown KIND");
	if (pr_parse_ull(f[B_LOST], ~0ULL, &b->lost))
		return pr_fail(why, "LOST is not a number");
	res = pr_parse_claim_end(f, b, why);
	if (res != PR_PARSE_ENTRY)
		return res;
	if (pr_unescape(f[B_EXPECTED], &b->expected_owner))
		return pr_fail(why, "bad escape in EXPECTED");
	if (b->expected_owner && strlen(b->expected_owner) > PR_COMM_MAX)
		return pr_fail(why, "EXPECTED is longer than the kernel's 15 bytes");
	if (b->expected_owner && b->kind != PR_KIND_BIND &&
	    b->kind != PR_KIND_LISTEN && b->kind != PR_KIND_AUTOBIND)
		return pr_fail(why, "EXPECTED given on a line that is no claim");
	reason = pr_parse_cgroup(f[B_CGROUP], &b->task, false);
	if (reason)
		return pr_fail(why, reason);
	if (b->kind == PR_KIND_LOST)
		return pr_parse_lost(f, b, why);
	if (b->lost)
		return pr_fail(why, "LOST is not 0 on an event");
	if (!b->task.has_uid)
		return pr_fail(why, "UID is - on an event");
	b->family = pr_one_of(f[B_FAMILY], pr_families);
	b->proto = pr_one_of(f[B_PROTO], pr_proto_words);
	if (!b->family || !b->proto)
		return pr_fail(why, "unknown FAMILY or PROTO");
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
	if (b->kind == PR_KIND_RELEASE &&
	    (b->result || b->requested_port || !b->port))
		return pr_fail(why, "a release with RET or REQ not 0, or PORT 0");
	res = pr_parse_connect(f, b, why);
	if (res != PR_PARSE_ENTRY)
		return res;
	return pr_parse_holder(f, b, why);
}

enum pr_claim_field { C_PROTO, C_FAMILY, C_ADDR, C_PORT, C_NETNS, C_PID,
	C_UID, C_COMM, C_SINCE, C_KIND, C_OPTS, C_IF, C_INODE, C_SERVICE,
	C_STATE, C_REMOTE, C_COOKIE, C_EXPECTED, C_CGROUP, C_COUNT };

/* A module older than the expected owners wrote no EXPECTED. */
#define C_REQUIRED C_EXPECTED

enum pr_parse_result pr_parse_claim(char *line, struct pr_claim *c,
				    const char **why)
{
	enum pr_parse_result res;
	char *f[C_COUNT + 1];
	unsigned long long val;
	const char *reason, *remote_family;
	bool timewait;
	int n;

	memset(c, 0, sizeof(*c));
	c->task.pid = -1;
	res = pr_record_line(line, "PROTO FAMILY ", why);
	if (res != PR_PARSE_ENTRY)
		return res;
	n = pr_split(line, f, C_COUNT + 1);
	if (n < C_REQUIRED)
		return pr_fail(why, "too few fields");
	for (; n < C_COUNT; n++)
		f[n] = "-";
	if (pr_unescape(f[C_EXPECTED], &c->expected_owner))
		return pr_fail(why, "bad escape in EXPECTED");
	if (c->expected_owner && strlen(c->expected_owner) > PR_COMM_MAX)
		return pr_fail(why, "EXPECTED is longer than the kernel's 15 bytes");
	c->proto = pr_one_of(f[C_PROTO], pr_proto_words);
	c->family = pr_one_of(f[C_FAMILY], pr_families);
	c->state = pr_one_of(f[C_STATE], pr_states);
	if (!c->proto || !c->family ||
	    pr_parse_kind(f[C_KIND], PR_KIND_BIND, PR_KIND_UNRECORDED, &c->kind))
		return pr_fail(why, "unknown PROTO, FAMILY or KIND");
	if (!c->state)
		return pr_fail(why, "unknown STATE");
	if (!pr_valid_addr(f[C_ADDR], c->family))
		return pr_fail(why, "ADDR is not an address of its family");
	c->addr = f[C_ADDR];
	if (pr_parse_port(f[C_PORT], &c->port) || !c->port)
		return pr_fail(why, "PORT is not a port number");
	if (pr_parse_ul(f[C_NETNS], 4294967295UL, &c->netns))
		return pr_fail(why, "NETNS is not a number");
	reason = pr_parse_who(f[C_PID], f[C_UID], f[C_COMM], &c->task, false);
	if (!reason)
		reason = pr_parse_cgroup(f[C_CGROUP], &c->task, false);
	if (reason)
		return pr_fail(why, reason);
	if (pr_parse_ull_or_dash(f[C_SINCE], ~0ULL, 0, &c->since_ns))
		return pr_fail(why, "SINCE is not a number or -");
	if (pr_parse_ull_or_dash(f[C_INODE], ~0UL, 0, &val))
		return pr_fail(why, "INODE is not a number or -");
	c->inode = (unsigned long)val;
	if (pr_parse_ull(f[C_COOKIE], ~0ULL, &c->cookie))
		return pr_fail(why, "COOKIE is not a number");
	if (!pr_valid_opts(f[C_OPTS]))
		return pr_fail(why, "OPTS is not five flags");
	c->opts = f[C_OPTS];
	if (pr_unescape(f[C_IF], &c->ifname) ||
	    pr_unescape(f[C_SERVICE], &c->service))
		return pr_fail(why, "bad escape in IF or SERVICE");
	if (strcmp(f[C_REMOTE], "-")) {
		remote_family = pr_endpoint_family(f[C_REMOTE]);
		if (!remote_family)
			return pr_fail(why, "REMOTE is not ADDR:PORT, [IPv6]:PORT or -");
		if (strcmp(remote_family, c->family))
			return pr_fail(why, "REMOTE is not of the socket's family");
		c->remote = f[C_REMOTE];
	}

	/*
	 * A TIME_WAIT socket shows the state it stands for, as ss does:
	 * time-wait, or fin-wait-2 for a connection its process closed first
	 * (an orphaned FIN_WAIT2 the kernel keeps as a TIME_WAIT socket); any
	 * state of a connection is taken.  Only a TIME_WAIT socket is in
	 * time-wait, and none listens or is merely bound.
	 */
	timewait = c->kind == PR_KIND_TIMEWAIT;
	if (!strcmp(c->state, "time-wait") && !timewait)
		return pr_fail(why, "STATE time-wait without KIND timewait");
	if (timewait && (!strcmp(c->state, "listen") || !strcmp(c->state, "bound")))
		return pr_fail(why, "KIND timewait with STATE listen or bound");
	if (timewait == c->task.has_uid)
		return pr_fail(why, "UID is not - exactly for TIME_WAIT");
	if (timewait && c->inode)
		return pr_fail(why, "INODE given for TIME_WAIT, which has no file");
	if (c->task.pid >= 0 && !pr_kind_is_claimed(c->kind) &&
	    c->kind != PR_KIND_ACCEPT)
		return pr_fail(why, "PID given for a KIND that has no claimer");
	if (!c->remote != (!strcmp(c->state, "listen") ||
			   !strcmp(c->state, "bound")))
		return pr_fail(why, "REMOTE is not given exactly for a connection");
	return PR_PARSE_ENTRY;
}

static bool pr_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

enum pr_parse_result pr_parse_owner(char *line, struct pr_owner_entry *o,
				    const char **why)
{
	char *w[3], *slash;
	int n = 0;

	memset(o, 0, sizeof(*o));
	line[strcspn(line, "\n")] = '\0';
	/* Words up to the first that starts a comment. */
	while (n < 3) {
		while (pr_is_blank(*line))
			line++;
		if (!*line || *line == '#')
			break;
		w[n++] = line;
		while (*line && !pr_is_blank(*line))
			line++;
		if (*line)
			*line++ = '\0';
	}
	if (!n)
		return PR_PARSE_SKIP;
	if (n != 2)
		return pr_fail(why, "not PORT/PROTO COMM");
	slash = strchr(w[0], '/');
	if (!slash)
		return pr_fail(why, "not PORT/PROTO COMM");
	*slash = '\0';
	if (pr_parse_port(w[0], &o->port) || !o->port)
		return pr_fail(why, "PORT is not a number from 1 to 65535");
	o->proto = pr_one_of(slash + 1, pr_proto_words);
	if (!o->proto)
		return pr_fail(why, "PROTO is not tcp, udp, sctp or dccp");
	if (pr_unescape(w[1], &o->comm) || !o->comm)
		return pr_fail(why, "COMM has a bad escape, or is -");
	if (strlen(o->comm) > PR_COMM_MAX)
		return pr_fail(why, "COMM is longer than the kernel's 15 bytes");
	return PR_PARSE_ENTRY;
}
