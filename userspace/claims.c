// SPDX-License-Identifier: GPL-2.0
/*
 * portreg claims: every socket that holds a port now (docs/proc-claims.md),
 * listeners, connections and TIME_WAIT alike, sorted by port, with who
 * claimed it when portreg knows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "container.h"
#include "recfile.h"
#include "tool.h"

#define CLAIM_ROW "%-5s %-39s %-5s %-7s %s%-16s%s %-6s %-19s %-11s %-11s %-16s %-21s %s\n"

/* One socket: "-" for what is unknown, as in the file. */
static void print_claim(const struct pr_claim *c)
{
	char port[8], pid[16], uid[16], since[32], comm[64], service[128];
	char container[CONTAINER_NAME_MAX];

	if (json_output) {
		json_claim_fields(c);
		puts("}");
		return;
	}
	snprintf(port, sizeof(port), "%u", c->port);
	if (c->task.has_uid)
		snprintf(uid, sizeof(uid), "%lu", c->task.uid);
	if (c->since_ns)
		format_time(c->since_ns, true, since, sizeof(since));
	printf(CLAIM_ROW, c->proto, c->addr, port,
	       pid_text(c->task.pid, pid, sizeof(pid)), colour ? "\033[1m" : "",
	       printable(c->task.comm ? c->task.comm : "-", comm, sizeof(comm)),
	       colour ? "\033[0m" : "", c->task.has_uid ? uid : "-",
	       c->since_ns ? since : "-", pr_kind_name(c->kind), c->state,
	       printable(c->service ? c->service : "-", service, sizeof(service)),
	       c->remote ? c->remote : "-", container_text(&c->task, container));
}

int cmd_claims(int argc, char **argv)
{
	struct filter f = { 0 };
	struct pr_claim *claims = NULL;
	char path[4096];
	struct lines l;
	ssize_t n, i;

	if (parse_filter_args(argc, argv, "p:P:u:c:", &f, 0, 0) < 0)
		return EXIT_USAGE;
	n = load_claims(&l, &claims, path, sizeof(path));
	if (n < 0)
		return EXIT_ACCESS;
	if (!json_output)
		printf(CLAIM_ROW, "PROTO", "ADDR", "PORT", "PID", "", "COMM", "",
		       "UID", "SINCE", "KIND", "STATE", "SERVICE", "REMOTE",
		       "CONTAINER");
	for (i = 0; i < n; i++)
		if (filter_claim(&f, &claims[i]))
			print_claim(&claims[i]);
	free(claims);
	lines_free(&l);
	return 0;
}
