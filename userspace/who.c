// SPDX-License-Identifier: GPL-2.0
/*
 * portreg who PORT[/PROTO]: every socket holding a port, listeners first,
 * then connections, then TIME_WAIT (or an orphaned FIN_WAIT2, which the
 * kernel keeps the same way), one line each: its state and peer,
 * the processes that have it open now, and who claimed it, or why nobody
 * can say.
 */
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "recfile.h"
#include "tool.h"

/* Where the socket is: "8080/tcp (http-alt) on [::] (listen)". */
static void print_socket(const struct pr_claim *c)
{
	char service[128];
	bool v6 = c->family[3] == '6';

	printf("%u/%s", c->port, c->proto);
	if (c->service)
		printf(" (%s)", printable(c->service, service, sizeof(service)));
	printf(" on %s%s%s (%s", v6 ? "[" : "", c->addr, v6 ? "]" : "",
	       c->state);
	if (c->remote)
		printf(" with %s", c->remote);
	putchar(')');
}

/* The processes that have it open now, as /proc shows them. */
static void print_holders_now(const struct pr_claim *c,
			      const struct socket_holders *s)
{
	char comm[64];
	size_t i;

	if (!c->inode) {
		if (c->kind != PR_KIND_TIMEWAIT)
			fputs("held by no process (the socket has no file: a "
			      "connection not yet accepted, or closed and ending)",
			      stdout);
		else if (!strcmp(c->state, "time-wait"))
			fputs("held by no process (TIME_WAIT has no file)", stdout);
		else
			fputs("held by no process (closed: the kernel keeps it as "
			      "a TIME_WAIT socket, which has no file)", stdout);
		return;
	}
	if (!s->n) {
		fputs("held by no process (descriptor closed or not visible)",
		      stdout);
		return;
	}
	fputs("held by ", stdout);
	for (i = 0; i < s->n; i++)
		printf("%s%s[%ld]", i ? " " : "",
		       printable(s->procs[i].comm, comm, sizeof(comm)),
		       s->procs[i].pid);
}

/* Who made it take the port, or why portreg cannot say. */
static void print_claimer(const struct pr_claim *c)
{
	char comm[64], since[32], owner[48] = "", in[CONTAINER_CLAUSE_MAX];
	const char *kind = pr_kind_name(c->kind);
	const char *container = container_clause(c->task.cgroup, ", in ", in);

	if (c->task.pid >= 0)
		printable(c->task.comm, comm, sizeof(comm));
	if (c->since_ns)
		format_time(c->since_ns, true, since, sizeof(since));
	if (c->task.has_uid)
		snprintf(owner, sizeof(owner), " (owner uid %lu)", c->task.uid);

	switch (c->kind) {
	case PR_KIND_BIND:
	case PR_KIND_LISTEN:
	case PR_KIND_AUTOBIND:
		if (c->task.pid < 0) {
			printf("claimed%s%s with %s by a process not visible here "
			       "(uid %lu)", c->since_ns ? " at " : "",
			       c->since_ns ? since : "", kind, c->task.uid);
			return;
		}
		printf("claimed by %s%s%s (pid %ld, uid %lu%s)%s%s with %s",
		       colour ? "\033[1m" : "", comm, colour ? "\033[0m" : "",
		       c->task.pid, c->task.uid, container,
		       c->since_ns ? " at " : "",
		       c->since_ns ? since : "", kind);
		return;
	case PR_KIND_ACCEPT:
		if (c->task.pid < 0) {
			printf("accepted; claimer unknown%s: its listener is gone, "
			       "was not recorded, or is not visible here", owner);
			return;
		}
		printf("accepted on a listener that %s%s%s (pid %ld, uid %lu%s) "
		       "claimed", colour ? "\033[1m" : "", comm,
		       colour ? "\033[0m" : "", c->task.pid, c->task.uid,
		       container);
		return;
	case PR_KIND_CONNECT:
		printf("claimer unknown%s: connect() chose the port, and portreg "
		       "records a connect() only when it fails", owner);
		return;
	case PR_KIND_TIMEWAIT:
		/* ss's state: time-wait, or an orphaned FIN_WAIT2. */
		if (!strcmp(c->state, "time-wait"))
			fputs("no claimer: a closed connection waiting out "
			      "TIME_WAIT belongs to no process", stdout);
		else if (!strcmp(c->state, "fin-wait-2"))
			fputs("no claimer: a closed connection waiting for its "
			      "peer to close (FIN_WAIT2) belongs to no process",
			      stdout);
		else
			fputs("no claimer: a closed connection the kernel keeps "
			      "as a TIME_WAIT socket belongs to no process", stdout);
		return;
	case PR_KIND_KERNEL:
		printf("claimer unknown%s: a socket of the kernel's own", owner);
		return;
	case PR_KIND_BEFORE_LOAD:
		printf("claimer unknown%s: bound before portreg was loaded", owner);
		return;
	default:
		printf("claimer unknown%s: portreg has no record of it (a probe "
		       "missed it, the record pool was full, or it took a path "
		       "portreg does not see)", owner);
		return;
	}
}

int cmd_who(int argc, char **argv)
{
	struct socket_holders *holders;
	struct pr_claim *claims = NULL;
	struct filter f = { 0 };
	char path[4096];
	struct lines l;
	ssize_t n, i;
	size_t found = 0, h, k;
	char comm[64];

	if (port_filter_arg(argc, argv, &f))
		return EXIT_USAGE;
	n = load_claims(&l, &claims, path, sizeof(path));
	if (n < 0)
		return EXIT_ACCESS;
	/* The matching claims first, to look them all up in one pass. */
	for (i = 0; i < n; i++)
		if (filter_claim(&f, &claims[i]))
			claims[found++] = claims[i];
	holders = calloc(found ? found : 1, sizeof(*holders));
	if (!holders) {
		error("out of memory");
		free(claims);
		lines_free(&l);
		return EXIT_ACCESS;
	}
	for (k = 0; k < found; k++)
		holders[k].inode = claims[k].inode;
	find_holders(holders, found);
	for (k = 0; k < found; k++) {
		const struct pr_claim *c = &claims[k];
		const struct socket_holders *s = &holders[k];

		if (json_output) {
			json_claim_fields(c);
			fputs(",\"holders\":[", stdout);
			for (h = 0; h < s->n; h++) {
				printf("%s{\"pid\":%ld,\"comm\":", h ? "," : "",
				       s->procs[h].pid);
				json_string(s->procs[h].comm);
				putchar('}');
			}
			puts("]}");
			continue;
		}
		print_socket(c);
		fputs(": ", stdout);
		print_holders_now(c, s);
		fputs("; ", stdout);
		print_claimer(c);
		if (c->expected_owner)
			printf("; owners expects %s here",
			       printable(c->expected_owner, comm, sizeof(comm)));
		putchar('\n');
	}
	free(holders);
	free(claims);
	lines_free(&l);
	if (!found && !json_output)
		error("no socket holds %u%s%s", f.ports[0], f.proto ? "/" : "",
		      f.proto ? f.proto : "");
	return found ? 0 : EXIT_NOMATCH;
}
