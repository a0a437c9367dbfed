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
#include <linux/math64.h>
#include <net/tcp_states.h>
#include <linux/socket.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include "access.h"
#include "bindfmt.h"
#include "conflict.h"
#include "limits.h"
#include "portreg.h"
#include "proto.h"

static const char *const pr_kind_names[PR_KIND_COUNT] = {
	[PR_KIND_BIND] = "bind",
	[PR_KIND_LISTEN] = "listen",
	[PR_KIND_AUTOBIND] = "autobind",
	[PR_KIND_ACCEPT] = "accept",
	[PR_KIND_CONNECT] = "connect",
	[PR_KIND_TIMEWAIT] = "timewait",
	[PR_KIND_KERNEL] = "kernel",
	[PR_KIND_BEFORE_LOAD] = "before-load",
	[PR_KIND_UNRECORDED] = "unrecorded",
	[PR_KIND_LOST] = "lost",
	[PR_KIND_RELEASE] = "release",
};

/* HKIND when no socket was named: why not. */
static const char *const pr_holder_status_names[PR_HOLDER_COUNT] = {
	[PR_HOLDER_NONE] = "-",
	[PR_HOLDER_FOUND] = "-",
	[PR_HOLDER_GONE] = "gone",
	[PR_HOLDER_TOO_MANY] = "too-many",
	[PR_HOLDER_UNREACHABLE] = "unreachable",
};

static const char *const pr_conflict_names[PR_CONFLICT_COUNT] = {
	[PR_CONFLICT_NONE] = "-",
	[PR_CONFLICT_EXCLUSIVE] = "exclusive",
	[PR_CONFLICT_LISTENER] = "listener",
	[PR_CONFLICT_REUSEPORT_UID] = "reuseport-uid",
};

/* The kernel's TCP states, as ss names them; UDP's two as ss does too. */
static const char *const pr_state_names[] = {
	[TCP_ESTABLISHED] = "established",
	[TCP_SYN_SENT] = "syn-sent",
	[TCP_SYN_RECV] = "syn-recv",
	[TCP_FIN_WAIT1] = "fin-wait-1",
	[TCP_FIN_WAIT2] = "fin-wait-2",
	[TCP_TIME_WAIT] = "time-wait",
	[TCP_CLOSE] = "bound",
	[TCP_CLOSE_WAIT] = "close-wait",
	[TCP_LAST_ACK] = "last-ack",
	[TCP_LISTEN] = "listen",
	[TCP_CLOSING] = "closing",
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

/* EXPECTED: the owner owners expects on the port claimed, or "-". */
static void pr_line_add_expected(struct pr_line *line, const char *expected)
{
	char comm[TASK_COMM_LEN];

	/* Terminated even if the event's copy filled every byte. */
	strscpy(comm, expected, sizeof(comm));
	pr_line_add_word(line, comm);
}

/* PID TID UID COMM, or "-" for a process @view cannot see. */
static void pr_line_add_task(struct pr_line *line, const struct pr_task_id *id,
			     const struct pr_view *view, bool with_tid)
{
	pid_t pid, tid;

	if (!pr_view_task(view, id, &pid, &tid)) {
		pr_line_add(line, with_tid ? " - -" : " -");
		if (id->levels)
			pr_line_add_uid(line, id->uid, view->user_ns);
		else
			pr_line_add(line, " -");
		pr_line_add(line, " -");
		return;
	}
	pr_line_add(line, " %d", pid);
	if (with_tid)
		pr_line_add(line, " %d", tid);
	pr_line_add_uid(line, id->uid, view->user_ns);
	pr_line_add_word(line, id->comm);
}

/*
 * CGROUP: @path, the cgroup of @id, but only for a process @view may see,
 * as COMM; "-" otherwise, or when no cgroup is known.
 */
static void pr_line_add_cgroup(struct pr_line *line,
			       const struct pr_task_id *id, const char *path,
			       const struct pr_view *view)
{
	pid_t pid, tid;

	if (path && pr_view_task(view, id, &pid, &tid))
		pr_line_add_word(line, path);
	else
		pr_line_add(line, " -");
}

void pr_event_paths_resolve(struct pr_event_paths *paths,
			    const struct pr_bind_event *ev)
{
	paths->task = pr_cgroup_path(ev->task.cgroup, paths->task_buf);
	paths->holder = pr_cgroup_path(ev->holder.task.cgroup,
				       paths->holder_buf);
}

/* "address:port", IPv6 in brackets, or "-" when there is no peer. */
static void pr_line_add_endpoint(struct pr_line *line, u8 family,
				 const struct pr_addr *addr, u16 port)
{
	if (!port)
		pr_line_add(line, " -");
	else if (family == AF_INET6)
		pr_line_add(line, " [%pI6c]:%u", &addr->v6, port);
	else
		pr_line_add(line, " %pI4:%u", &addr->v4, port);
}

static void pr_line_add_holder(struct pr_line *line,
			       const struct pr_holder *h,
			       const struct pr_view *view)
{
	pid_t pid, tid;

	if (h->status != PR_HOLDER_FOUND) {
		pr_line_add(line, " - - - %s - - - - -",
			    pr_holder_status_names[h->status < PR_HOLDER_COUNT ?
						   h->status : PR_HOLDER_NONE]);
		return;
	}
	/* HPID HUID HCOMM: the claimer; else the socket's owner alone. */
	if (pr_view_task(view, &h->task, &pid, &tid)) {
		pr_line_add(line, " %d", pid);
		pr_line_add_uid(line, h->task.uid, view->user_ns);
		pr_line_add_word(line, h->task.comm);
	} else {
		pr_line_add(line, " -");
		if (h->task.levels)
			pr_line_add_uid(line, h->task.uid, view->user_ns);
		else if (h->has_uid)
			pr_line_add_uid(line, h->uid, view->user_ns);
		else
			pr_line_add(line, " -");
		pr_line_add(line, " -");
	}
	pr_line_add(line, " %s", pr_kind_names[h->origin < PR_KIND_COUNT ?
					       h->origin : PR_KIND_UNRECORDED]);
	pr_line_add_addr(line, h->family, &h->addr);
	pr_line_add_endpoint(line, h->family, &h->raddr, h->rport);
	if (h->origin == PR_KIND_TIMEWAIT)
		pr_line_add(line, " %llu", div_u64(h->expires_ns, NSEC_PER_MSEC));
	else
		pr_line_add(line, " -");
	if (h->ino)
		pr_line_add(line, " %llu", h->ino);
	else
		pr_line_add(line, " -");
	pr_line_add(line, " %s", pr_conflict_names[h->why < PR_CONFLICT_COUNT ?
						   h->why : PR_CONFLICT_NONE]);
}

/*
 * A marker for events that are not in the log: LOST of them, and why in
 * RET: 0, the kernel could not deliver them to the probes; -EDQUOT, UID
 * was at its share of the initial namespace's log; -EBUSY, binds UID made
 * on a socket another task held locked, which portreg does not follow.
 */
static size_t pr_format_lost(struct pr_line *line, u64 seq,
			     const struct pr_bind_event *ev,
			     const struct pr_view *view)
{
	pr_line_add(line, "%llu %llu %u - -", seq, ev->time_ns, ev->netns);
	if (ev->result)
		pr_line_add_uid(line, ev->task.uid, view->user_ns);
	else
		pr_line_add(line, " -");
	pr_line_add(line, " - lost - - - 0 0 %d ..... - - - - - - - - - - - %llu - - - - - -",
		    ev->result, ev->lost);
	return pr_line_end(line);
}

size_t pr_format_event(char *buf, size_t size, u64 seq,
		       const struct pr_bind_event *ev,
		       const struct pr_event_paths *paths,
		       const struct pr_view *view)
{
	struct pr_line line = { .buf = buf, .size = size };
	u8 kind = ev->kind < PR_KIND_COUNT ? ev->kind : PR_KIND_BIND;

	if (kind == PR_KIND_LOST)
		return pr_format_lost(&line, seq, ev, view);
	pr_line_add(&line, "%llu %llu %u", seq, ev->time_ns, ev->netns);
	pr_line_add_task(&line, &ev->task, view, true);
	pr_line_add(&line, " %s %s %s", pr_kind_names[kind],
		    pr_family_name(ev->family), pr_ipproto_name(ev->ipproto));
	pr_line_add_addr(&line, ev->family, &ev->addr);
	pr_line_add(&line, " %u %u %d", ev->requested_port, ev->port,
		    ev->result);
	pr_line_add_opts(&line, ev->opts);
	pr_line_add_device(&line, ev->ifindex, ev->ifname);
	pr_line_add_service(&line, ev->port ?: ev->requested_port,
			    ev->ipproto);
	pr_line_add_holder(&line, &ev->holder, view);
	pr_line_add(&line, " 0");
	/* SINCE CKIND: a release's claim. */
	if (kind == PR_KIND_RELEASE)
		pr_line_add(&line, " %llu %s", ev->since_ns,
			    pr_kind_names[ev->claim_kind <= PR_KIND_AUTOBIND ?
					  ev->claim_kind : PR_KIND_UNRECORDED]);
	else
		pr_line_add(&line, " - -");
	pr_line_add_expected(&line, ev->expected_owner);
	pr_line_add_cgroup(&line, &ev->task, paths ? paths->task : NULL, view);
	pr_line_add_cgroup(&line, &ev->holder.task,
			   paths && ev->holder.status == PR_HOLDER_FOUND ?
			   paths->holder : NULL, view);
	/* REMOTE: where a connect that found no port was going. */
	if (kind != PR_KIND_CONNECT)
		pr_line_add(&line, " -");
	else if (ev->family == AF_INET6)
		pr_line_add(&line, " [%pI6c]:%u", &ev->peer.v6, ev->peer_port);
	else
		pr_line_add(&line, " %pI4:%u", &ev->peer.v4, ev->peer_port);
	return pr_line_end(&line);
}
EXPORT_SYMBOL_IF_KUNIT(pr_format_event);

size_t pr_format_claim(char *buf, size_t size,
		       const struct pr_claim_info *claim, const char *cgroup,
		       const struct pr_view *view)
{
	struct pr_line line = { .buf = buf, .size = size };
	u8 kind = claim->kind < PR_KIND_COUNT ? claim->kind : PR_KIND_UNRECORDED;
	pid_t pid, tid;

	pr_line_add(&line, "%s %s", pr_ipproto_name(claim->ipproto),
		    pr_family_name(claim->family));
	pr_line_add_addr(&line, claim->family, &claim->addr);
	pr_line_add(&line, " %u %u", claim->port, claim->netns);
	if (pr_view_task(view, &claim->task, &pid, &tid)) {
		pr_line_add(&line, " %d", pid);
		pr_line_add_uid(&line, claim->task.uid, view->user_ns);
		pr_line_add_word(&line, claim->task.comm);
	} else {
		/* UID: the claimer's, else the socket's owner. */
		pr_line_add(&line, " -");
		if (claim->task.levels)
			pr_line_add_uid(&line, claim->task.uid, view->user_ns);
		else if (claim->has_uid)
			pr_line_add_uid(&line, claim->uid, view->user_ns);
		else
			pr_line_add(&line, " -");
		pr_line_add(&line, " -");
	}
	if (claim->since_ns)
		pr_line_add(&line, " %llu", claim->since_ns);
	else
		pr_line_add(&line, " -");
	pr_line_add(&line, " %s", pr_kind_names[kind]);
	pr_line_add_opts(&line, claim->opts);
	pr_line_add_device(&line, claim->ifindex, claim->ifname);
	if (claim->ino)
		pr_line_add(&line, " %llu", claim->ino);
	else
		pr_line_add(&line, " -");
	pr_line_add_service(&line, claim->port, claim->ipproto);
	pr_line_add(&line, " %s",
		    claim->state < ARRAY_SIZE(pr_state_names) &&
		    pr_state_names[claim->state] ?
		    pr_state_names[claim->state] : "-");
	pr_line_add_endpoint(&line, claim->family, &claim->raddr, claim->rport);
	pr_line_add(&line, " %llu", claim->cookie);
	pr_line_add_expected(&line, claim->expected_owner);
	pr_line_add_cgroup(&line, &claim->task, cgroup, view);
	return pr_line_end(&line);
}
EXPORT_SYMBOL_IF_KUNIT(pr_format_claim);
