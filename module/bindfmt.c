// SPDX-License-Identifier: GPL-2.0
/*
 * The text of /proc/portreg/binds and /proc/portreg/claims: one record per
 * line, fields separated by single spaces, "-" for a field with no value.
 * A field never contains a space: bytes that could break a parser are
 * written as \ooo octal escapes, as in /proc/self/mountinfo.  The columns
 * are an ABI, specified in docs/proc-binds.md and docs/proc-claims.md.
 */
#include <linux/export.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/socket.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include "bindfmt.h"
#include "limits.h"
#include "portreg.h"
#include "proto.h"

static const char *const pr_kind_names[PR_KIND_COUNT] = {
	[PR_KIND_BIND] = "bind",
	[PR_KIND_LISTEN] = "listen",
	[PR_KIND_AUTOBIND] = "autobind",
};

/* bindsnoop's OPTS letters, in its order. */
static const char pr_opt_letters[PR_OPT_COUNT] = {
	[0] = 'F', [1] = 'T', [2] = 'N', [3] = 'R', [4] = 'r',
};

struct pr_line {
	char *buf;
	size_t size;
	size_t len;
};

static __printf(2, 3) void pr_line_add(struct pr_line *line, const char *fmt,
		...)
{
	va_list args;

	va_start(args, fmt);
	line->len += vscnprintf(line->buf + line->len, line->size - line->len,
				fmt, args);
	va_end(args);
}

static bool pr_byte_needs_escape(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || c == '\\';
}

/* A space, then @text escaped, or "-" if it is empty or exactly "-". */
static void pr_line_add_word(struct pr_line *line, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	if (!*p) {
		pr_line_add(line, " -");
		return;
	}
	pr_line_add(line, " ");
	if (!strcmp(text, "-")) {
		pr_line_add(line, "\\055");
		return;
	}
	for (; *p; p++) {
		if (pr_byte_needs_escape(*p))
			pr_line_add(line, "\\%03o", *p);
		else
			pr_line_add(line, "%c", *p);
	}
}

static const char *pr_family_name(u8 family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

static const char *pr_ipproto_name(u8 ipproto)
{
	int proto = pr_proto_from_ipproto(ipproto);

	return proto < 0 ? "-" : pr_proto_names[proto];
}

static void pr_line_add_addr(struct pr_line *line, u8 family,
			     const struct pr_addr *addr)
{
	if (family == AF_INET6)
		pr_line_add(line, " %pI6c", &addr->v6);
	else
		pr_line_add(line, " %pI4", &addr->v4);
}

static void pr_line_add_opts(struct pr_line *line, u8 opts)
{
	char text[PR_OPT_COUNT + 1];
	unsigned int i;

	for (i = 0; i < PR_OPT_COUNT; i++)
		text[i] = opts & BIT(i) ? pr_opt_letters[i] : '.';
	text[PR_OPT_COUNT] = '\0';
	pr_line_add(line, " %s", text);
}

static void pr_line_add_device(struct pr_line *line, int ifindex,
			       const char *ifname)
{
	if (ifname[0])
		pr_line_add_word(line, ifname);
	else if (ifindex)
		pr_line_add(line, " %d", ifindex);
	else
		pr_line_add(line, " -");
}

/* The registry's name for the port, as it stands when the line is read. */
static void pr_line_add_service(struct pr_line *line, u16 port, u8 ipproto)
{
	char name[PR_NAME_MAX + 1];

	if (port && portreg_service_name(port, ipproto, name,
					 sizeof(name)) >= 0)
		pr_line_add_word(line, name);
	else
		pr_line_add(line, " -");
}

static void pr_line_add_uid(struct pr_line *line, kuid_t uid,
			    struct user_namespace *user_ns)
{
	pr_line_add(line, " %u", from_kuid_munged(user_ns, uid));
}

static size_t pr_line_end(struct pr_line *line)
{
	/* Leave room for the newline even if a field was cut short. */
	if (line->len > line->size - 2)
		line->len = line->size - 2;
	line->buf[line->len++] = '\n';
	line->buf[line->len] = '\0';
	return line->len;
}

size_t pr_format_event(char *buf, size_t size, u64 seq,
		       const struct pr_bind_event *ev,
		       struct user_namespace *user_ns)
{
	struct pr_line line = { .buf = buf, .size = size };
	u8 kind = ev->kind < PR_KIND_COUNT ? ev->kind : PR_KIND_BIND;

	pr_line_add(&line, "%llu %llu %u %d %d", seq, ev->time_ns, ev->netns,
		    ev->task.pid, ev->task.tid);
	pr_line_add_uid(&line, ev->task.uid, user_ns);
	pr_line_add_word(&line, ev->task.comm);
	pr_line_add(&line, " %s %s %s", pr_kind_names[kind],
		    pr_family_name(ev->family), pr_ipproto_name(ev->ipproto));
	pr_line_add_addr(&line, ev->family, &ev->addr);
	pr_line_add(&line, " %u %u %d", ev->requested_port, ev->port,
		    ev->result);
	pr_line_add_opts(&line, ev->opts);
	pr_line_add_device(&line, ev->ifindex, ev->ifname);
	pr_line_add_service(&line, ev->port ?: ev->requested_port,
			    ev->ipproto);
	if (ev->holder.pid) {
		pr_line_add(&line, " %d", ev->holder.pid);
		pr_line_add_uid(&line, ev->holder.uid, user_ns);
		pr_line_add_word(&line, ev->holder.comm);
	} else {
		pr_line_add(&line, " - - -");
	}
	return pr_line_end(&line);
}
EXPORT_SYMBOL_IF_KUNIT(pr_format_event);

size_t pr_format_claim(char *buf, size_t size,
		       const struct pr_claim_info *claim,
		       struct user_namespace *user_ns)
{
	struct pr_line line = { .buf = buf, .size = size };
	u8 kind = claim->kind < PR_KIND_COUNT ? claim->kind : PR_KIND_BIND;

	pr_line_add(&line, "%s %s", pr_ipproto_name(claim->ipproto),
		    pr_family_name(claim->family));
	pr_line_add_addr(&line, claim->family, &claim->addr);
	pr_line_add(&line, " %u %u %d", claim->port, claim->netns,
		    claim->task.pid);
	pr_line_add_uid(&line, claim->task.uid, user_ns);
	pr_line_add_word(&line, claim->task.comm);
	pr_line_add(&line, " %llu %s", claim->since_ns, pr_kind_names[kind]);
	pr_line_add_opts(&line, claim->opts);
	pr_line_add_device(&line, claim->ifindex, claim->ifname);
	pr_line_add(&line, " %lu", claim->ino);
	pr_line_add_service(&line, claim->port, claim->ipproto);
	return pr_line_end(&line);
}
EXPORT_SYMBOL_IF_KUNIT(pr_format_claim);
