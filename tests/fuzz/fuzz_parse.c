// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the tool's /proc line parsers (userspace/parse.c), for
 * services, protocols, binds, claims and expected owners.  An accepted line must yield a
 * usable record that keeps the format's own rules (what may be "-" for
 * which kind of holder or socket); anything else must be a skip or an
 * error with a reason.
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

static void check_who(const struct pr_who *w)
{
	if (w->pid < -1 || (w->pid < 0) != !w->comm)
		abort();
	if (w->comm && !clean_word(w->comm))
		abort();
	/* A cgroup only for a process shown: a path, or "?" for a long one. */
	if (w->cgroup && (w->pid < 0 || strlen(w->cgroup) > PR_CGROUP_MAX ||
			  (w->cgroup[0] != '/' && strcmp(w->cgroup, "?"))))
		abort();
}

static void check_opts(const char *opts)
{
	int i;

	if (!opts || strlen(opts) != PR_OPTS_LEN)
		abort();
	for (i = 0; i < PR_OPTS_LEN; i++)
		if (opts[i] != '.' && !strchr("FTNRr", opts[i]))
			abort();
}

/* A peer as the parser accepts it: "ADDR:PORT" or "[IPv6]:PORT". */
static void check_remote(const char *remote)
{
	if (remote && (!strchr(remote, ':') || strchr(remote, ' ')))
		abort();
}

static void check_holder(const struct pr_bind *b)
{
	const struct pr_holder *h = &b->holder;

	if (h->kind > PR_KIND_UNREACHABLE)
		abort();
	if ((h->kind != PR_KIND_NONE) !=
	    (b->result == -98 && b->requested_port &&
	     b->kind != PR_KIND_CONNECT))
		abort();
	check_who(&h->who);
	check_remote(h->remote);
	if (h->expire_ms < -1)
		abort();
	if (!pr_kind_is_socket(h->kind)) {
		/* Nothing named: nothing about it may be shown. */
		if (h->who.pid >= 0 || h->who.has_uid || h->addr || h->remote ||
		    h->expire_ms >= 0 || h->inode || h->why)
			abort();
		return;
	}
	if (!h->addr || !*h->addr || !h->why)
		abort();
	/* TIME_WAIT has no process, no owner and no file; it has an end. */
	if (h->kind == PR_KIND_TIMEWAIT &&
	    (h->who.pid >= 0 || h->who.has_uid || h->inode || h->expire_ms < 0 ||
	     !h->remote))
		abort();
}

static void check_bind(const struct pr_bind *b)
{
	check_who(&b->task);
	if ((b->tid < 0) != (b->task.pid < 0) || b->tid < -1)
		abort();
	if (b->kind == PR_KIND_LOST) {
		if (!b->lost || b->family || b->proto || b->addr ||
		    b->task.pid >= 0 || b->port ||
		    b->holder.kind != PR_KIND_NONE)
			abort();
		/* RET is the reason; only a user's own markers name it. */
		switch (b->lost_reason) {
		case PR_LOST_PROBE_MISSED:
			if (b->result || b->task.has_uid)
				abort();
			break;
		case PR_LOST_OVER_SHARE:
			if (b->result != -122)
				abort();
			break;
		case PR_LOST_SOCKET_LOCKED:
			if (b->result != -16)
				abort();
			break;
		default:
			abort();
		}
		if (!pr_lost_reason_name(b->lost_reason))
			abort();
		return;
	}
	if (b->kind == PR_KIND_RELEASE) {
		/* The end of a claim: when and how it was made, no holder. */
		if (b->result || b->requested_port || !b->port || !b->since_ns ||
		    b->expected_owner || b->holder.kind != PR_KIND_NONE)
			abort();
		if (!pr_kind_is_claimed(b->claim_kind) &&
		    b->claim_kind != PR_KIND_UNRECORDED)
			abort();
	} else if (b->kind == PR_KIND_CONNECT) {
		/* Only a connect that found no port: where it was going. */
		if (!b->result || b->port || !b->remote ||
		    b->expected_owner || b->since_ns ||
		    b->claim_kind != PR_KIND_NONE)
			abort();
	} else if (b->kind < PR_KIND_BIND || b->kind > PR_KIND_AUTOBIND ||
		   b->since_ns || b->claim_kind != PR_KIND_NONE) {
		abort();
	}
	if ((b->kind == PR_KIND_CONNECT) != !!b->remote)
		abort();
	check_remote(b->remote);
	if (b->lost || b->lost_reason != PR_LOST_NONE)
		abort();
	if (b->expected_owner && (!*b->expected_owner ||
				  strlen(b->expected_owner) > PR_COMM_MAX))
		abort();
	if (!b->family || !b->proto || !b->addr || !*b->addr || !b->task.has_uid)
		abort();
	if (b->port > 65535 || b->requested_port > 65535 || b->result > 0 ||
	    b->result < -4095)
		abort();
	check_opts(b->opts);
	if (strchr(b->addr, ' ') || (b->ifname && !*b->ifname))
		abort();
	check_holder(b);
}

static void check_claim(const struct pr_claim *c)
{
	int connected;

	if (c->kind < PR_KIND_BIND || c->kind > PR_KIND_UNRECORDED)
		abort();
	if (!c->family || !c->proto || !c->addr || !*c->addr || !c->state)
		abort();
	if (!c->port || c->port > 65535)
		abort();
	check_who(&c->task);
	check_opts(c->opts);
	check_remote(c->remote);
	if ((c->kind == PR_KIND_TIMEWAIT) == c->task.has_uid)
		abort();
	connected = strcmp(c->state, "listen") && strcmp(c->state, "bound");
	if (connected != !!c->remote)
		abort();
	/* TIME_WAIT sockets are closed connections, in time-wait or not. */
	if (!strcmp(c->state, "time-wait") && c->kind != PR_KIND_TIMEWAIT)
		abort();
	if (c->kind == PR_KIND_TIMEWAIT && (!connected || c->inode))
		abort();
	if (c->expected_owner && (!*c->expected_owner ||
				  strlen(c->expected_owner) > PR_COMM_MAX))
		abort();
}

static void check_owner(const struct pr_owner_entry *o)
{
	size_t len;

	if (!o->port || o->port > 65535 || !o->proto || !o->comm)
		abort();
	if (strcmp(o->proto, "tcp") && strcmp(o->proto, "udp") &&
	    strcmp(o->proto, "sctp") && strcmp(o->proto, "dccp"))
		abort();
	len = strlen(o->comm);
	if (!len || len > PR_COMM_MAX)
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
	{
		struct pr_owner_entry o;

		memcpy(line, data, size);
		line[size] = '\0';
		why = NULL;
		res = pr_parse_owner(line, &o, &why);
		if (res == PR_PARSE_ENTRY)
			check_owner(&o);
		else if (res == PR_PARSE_ERROR && (!why || !*why))
			abort();
	}
	free(line);
	return 0;
}
