// SPDX-License-Identifier: GPL-2.0
/*
 * portreg claims: who holds each port now (docs/proc-claims.md), sorted by
 * port.
 */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "recfile.h"
#include "tool.h"

static void print_claim(const struct pr_claim *c)
{
	char since[32], comm[64], service[128];

	if (json_output) {
		json_claim_fields(c);
		puts("}");
		return;
	}
	format_time(c->since_ns, true, since, sizeof(since));
	printf("%-5s %-39s %-5u %-7ld %s%-16s%s %-6lu %-19s %-8s %s\n", c->proto,
	       c->addr, c->port, c->task.pid, colour ? "\033[1m" : "",
	       printable(c->task.comm, comm, sizeof(comm)),
	       colour ? "\033[0m" : "", c->task.uid, since, c->kind,
	       printable(c->service ? c->service : "-", service, sizeof(service)));
}

int cmd_claims(int argc, char **argv)
{
	struct filter f = { 0 };
	struct pr_claim *claims = NULL;
	char path[4096];
	struct lines l;
	ssize_t n, i;
	int opt;

	optind = 0;
	while ((opt = getopt(argc, argv, "p:P:u:")) != -1) {
		if (opt == '?' || parse_filter_opt(opt, optarg, &f)) {
			if (opt == '?')
				usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	n = load_claims(&l, &claims, path, sizeof(path));
	if (n < 0)
		return EXIT_ACCESS;
	if (!json_output)
		printf("%-5s %-39s %-5s %-7s %-16s %-6s %-19s %-8s %s\n", "PROTO",
		       "ADDR", "PORT", "PID", "COMM", "UID", "SINCE", "KIND",
		       "SERVICE");
	for (i = 0; i < n; i++)
		if (filter_claim(&f, &claims[i]))
			print_claim(&claims[i]);
	free(claims);
	lines_free(&l);
	return 0;
}
