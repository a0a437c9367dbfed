// SPDX-License-Identifier: GPL-2.0
/*
 * portreg history PORT[/PROTO]: who held a port before, and who holds it
 * now.  The claims that ended are the bind log's releases, each naming
 * its claimer and when and how it claimed; those still held are the
 * claims file's sockets that hold the port in their own right (not the
 * connections a listener accepted on it).  So history reaches back as
 * far as the log does (docs/proc-binds.md: ring_size events).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "recfile.h"
#include "tool.h"

struct claim_span {
	const char *proto;
	const char *family;
	const char *addr;
	unsigned int port;
	unsigned long netns;
	const struct pr_who *task;
	enum pr_kind kind;
	unsigned long long since_ns;	/* 0: unknown (before-load, ...) */
	unsigned long long until_ns;	/* 0: held now */
	size_t order;			/* ties keep the files' order */
};

#define HISTORY_ROW "%-5s %-39s %-5s %-7s %-16s %-6s %-10s %-11s %-19s %-19s %s\n"

/* A socket that holds its port itself, not one a listener accepted. */
static bool holds_in_own_right(enum pr_kind kind)
{
	return kind != PR_KIND_ACCEPT && kind != PR_KIND_CONNECT &&
	       kind != PR_KIND_TIMEWAIT;
}

static int span_order(const void *a, const void *b)
{
	const struct claim_span *x = a, *y = b;

	if (x->since_ns != y->since_ns)
		return x->since_ns < y->since_ns ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void print_span(const struct claim_span *s)
{
	char port[8], pid[16], uid[16], netns[16], comm[64], since[32],
	     until[32], container[CONTAINER_NAME_MAX];

	if (json_output) {
		printf("{\"port\":%u,\"proto\":\"%s\",\"family\":\"%s\","
		       "\"addr\":\"%s\",", s->port, s->proto, s->family,
		       s->addr);
		json_who(s->task);
		printf(",\"netns\":%lu,\"kind\":\"%s\",\"since\":", s->netns,
		       pr_kind_name(s->kind));
		json_number_or_null(s->since_ns);
		fputs(",\"until\":", stdout);
		json_number_or_null(s->until_ns);
		puts("}");
		return;
	}
	snprintf(port, sizeof(port), "%u", s->port);
	snprintf(netns, sizeof(netns), "%lu", s->netns);
	if (s->task->has_uid)
		snprintf(uid, sizeof(uid), "%lu", s->task->uid);
	if (s->since_ns)
		format_time(s->since_ns, true, since, sizeof(since));
	if (s->until_ns)
		format_time(s->until_ns, true, until, sizeof(until));
	printf(HISTORY_ROW, s->proto, s->addr, port,
	       pid_text(s->task->pid, pid, sizeof(pid)),
	       printable(s->task->comm ? s->task->comm : "-", comm, sizeof(comm)),
	       s->task->has_uid ? uid : "-", netns, pr_kind_name(s->kind),
	       s->since_ns ? since : "-", s->until_ns ? until : "-",
	       container_text(s->task, container));
}

int cmd_history(int argc, char **argv)
{
	struct claim_span *spans = NULL;
	struct pr_claim *claims = NULL;
	struct pr_bind *binds = NULL;
	struct lines bl, cl;
	struct filter f = { .releases = true };
	char path[4096];
	ssize_t nb, nc, i;
	size_t n = 0;
	int first, ret;

	first = parse_filter_args(argc, argv, "c:", &f, 1, 1);
	if (first < 0)
		return EXIT_USAGE;
	f.nports = 1;
	if (parse_port_arg(argv[first], &f.ports[0], &f.proto))
		return EXIT_USAGE;
	nb = load_binds(&bl, &binds, path, sizeof(path));
	if (nb < 0)
		return EXIT_ACCESS;
	nc = load_claims(&cl, &claims, path, sizeof(path));
	if (nc < 0) {
		free(binds);
		lines_free(&bl);
		return EXIT_ACCESS;
	}
	spans = calloc((size_t)nb + (size_t)nc + 1, sizeof(*spans));
	if (!spans) {
		error("out of memory");
		ret = EXIT_ACCESS;
		goto out;
	}
	for (i = 0; i < nb; i++) {
		const struct pr_bind *b = &binds[i];

		if (b->kind != PR_KIND_RELEASE || !filter_bind(&f, b))
			continue;
		spans[n] = (struct claim_span){
			.proto = b->proto, .family = b->family, .addr = b->addr,
			.port = b->port, .netns = b->netns, .task = &b->task,
			.kind = b->claim_kind, .since_ns = b->since_ns,
			.until_ns = b->time_ns, .order = n,
		};
		n++;
	}
	for (i = 0; i < nc; i++) {
		const struct pr_claim *c = &claims[i];

		if (!holds_in_own_right(c->kind) || !filter_claim(&f, c))
			continue;
		spans[n] = (struct claim_span){
			.proto = c->proto, .family = c->family, .addr = c->addr,
			.port = c->port, .netns = c->netns, .task = &c->task,
			.kind = c->kind, .since_ns = c->since_ns, .order = n,
		};
		n++;
	}
	qsort(spans, n, sizeof(*spans), span_order);
	if (!json_output && n)
		printf(HISTORY_ROW, "PROTO", "ADDR", "PORT", "PID", "COMM",
		       "UID", "NETNS", "HOW", "SINCE", "UNTIL", "CONTAINER");
	for (i = 0; i < (ssize_t)n; i++)
		print_span(&spans[i]);
	if (!n && !json_output)
		error("no claim of %u%s%s in the log or held now", f.ports[0],
		      f.proto ? "/" : "", f.proto ? f.proto : "");
	ret = n ? 0 : EXIT_NOMATCH;
out:
	free(spans);
	free(claims);
	free(binds);
	lines_free(&cl);
	lines_free(&bl);
	return ret;
}
