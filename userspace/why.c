// SPDX-License-Identifier: GPL-2.0
/*
 * portreg why PORT[/PROTO]: the most recent failed bind of a port, and why
 * it failed, in one sentence.  For EADDRINUSE the sentence names only what
 * the kernel found in the way (HKIND, docs/proc-binds.md): a process when
 * portreg knows which one claimed the socket, and otherwise what the socket
 * is, or why none can be named.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "recfile.h"
#include "tool.h"

/* Why a bind fails with this errno, said plainly. */
static const char *why_text(int err)
{
	switch (err) {
	case EACCES:
		return "ports below net.ipv4.ip_unprivileged_port_start (1024) "
		       "need CAP_NET_BIND_SERVICE";
	case EADDRNOTAVAIL:
		return "the address is not one of this host's "
		       "(IP_FREEBIND or IP_TRANSPARENT would allow it)";
	case EINVAL:
		return "the socket was already bound, or the address was malformed";
	case EAGAIN:
		return "no ephemeral port was free "
		       "(net.ipv4.ip_local_port_range)";
	default:
		return strerror(err);
	}
}

/* HWHY: the kernel's rule that made the two sockets conflict. */
static const char *rule_text(const char *rule)
{
	if (!strcmp(rule, "listener"))
		return "SO_REUSEADDR does not share a port with a listener";
	if (!strcmp(rule, "reuseport-uid"))
		return "SO_REUSEPORT shares a port only among sockets of one user";
	return "neither socket let them share the port";
}

/* "named[200]": who has the holding socket open now, if /proc shows it. */
static void print_open_now(unsigned long inode)
{
	struct socket_holders s = { .inode = inode };
	char comm[64];
	size_t i;

	find_holders(&s, 1);
	for (i = 0; i < s.n; i++)
		printf("%s%s[%ld]", i ? " " : ", open now in ",
		       printable(s.procs[i].comm, comm, sizeof(comm)),
		       s.procs[i].pid);
}

/*
 * " (uid 101, inode 99, open now in named[200])": what is known of a
 * holding socket whose claimer is not.
 */
static void print_socket_details(const struct pr_holder *h)
{
	if (!h->who.has_uid && !h->inode)
		return;
	fputs(" (", stdout);
	if (h->who.has_uid)
		printf("uid %lu", h->who.uid);
	if (h->inode) {
		printf("%sinode %lu", h->who.has_uid ? ", " : "", h->inode);
		print_open_now(h->inode);
	}
	putchar(')');
}

/*
 * "httpd (pid 113, uid 0)", with the container it runs in if known
 * ("..., in docker:0123456789ab"), or a claimer the reader cannot see.
 */
static void print_claimer(const struct pr_who *who)
{
	char comm[64], in[CONTAINER_CLAUSE_MAX];

	if (who->pid < 0) {
		printf("a process not visible here (uid %lu)", who->uid);
		return;
	}
	printf("%s%s%s (pid %ld, uid %lu%s)", colour ? "\033[1m" : "",
	       printable(who->comm, comm, sizeof(comm)), colour ? "\033[0m" : "",
	       who->pid, who->uid, container_clause(who->cgroup, ", in ", in));
}

/*
 * TIME_WAIT: when it was to end, and what lets a bind go over it.  HKIND
 * timewait is a TIME_WAIT socket, which may stand for an orphaned
 * FIN_WAIT2 (a connection closed first on this side, its peer not yet);
 * the bind log does not say which, and the same rules hold for both.
 */
static void print_timewait(const struct pr_bind *b)
{
	const struct pr_holder *h = &b->holder;

	printf("a closed connection to %s held it in TIME_WAIT (or in "
	       "FIN_WAIT2, waiting for the peer to close), ", h->remote);
	if (h->expire_ms < 1000)
		fputs("to expire in under a second; ", stdout);
	else
		printf("to expire about %lld s later; ",
		       (h->expire_ms + 500) / 1000);
	/* The kernel lets a bind over TIME_WAIT when both sockets allow it. */
	if (b->opts[3] == 'R')
		fputs("SO_REUSEADDR, which this socket had, lets a bind take a "
		      "port in TIME_WAIT only if the connection's socket had it "
		      "too", stdout);
	else
		fputs("set SO_REUSEADDR to bind a port in TIME_WAIT (the "
		      "connection's socket needs it too)", stdout);
}

/* The part after "EADDRINUSE (Address already in use): ", without the stop. */
static void print_conflict(const struct pr_bind *b)
{
	const struct pr_holder *h = &b->holder;

	switch (h->kind) {
	case PR_KIND_BIND:
	case PR_KIND_LISTEN:
	case PR_KIND_AUTOBIND:
		print_claimer(&h->who);
		fputs(" held it", stdout);
		break;
	case PR_KIND_ACCEPT:
		printf("a connection accepted from %s on that port held it",
		       h->remote);
		if (h->who.pid >= 0) {
			fputs(", on a listener that ", stdout);
			print_claimer(&h->who);
			fputs(" claimed", stdout);
		} else {
			fputs(" (its listener is gone, was not recorded, or is "
			      "not visible here)", stdout);
		}
		break;
	case PR_KIND_CONNECT:
		printf("an outgoing connection to %s got the port from connect() "
		       "and held it", h->remote);
		print_socket_details(h);
		break;
	case PR_KIND_TIMEWAIT:
		/* Never a process: TIME_WAIT belongs to none. */
		print_timewait(b);
		return;
	case PR_KIND_KERNEL:
		fputs("a kernel socket held it", stdout);
		print_socket_details(h);
		break;
	case PR_KIND_BEFORE_LOAD:
		fputs("a socket bound before portreg was loaded held it", stdout);
		print_socket_details(h);
		break;
	case PR_KIND_UNRECORDED:
		fputs("a socket portreg has no record of held it", stdout);
		print_socket_details(h);
		break;
	case PR_KIND_GONE:
		fputs("the socket that held it was gone when portreg looked, "
		      "microseconds later", stdout);
		return;
	case PR_KIND_TOO_MANY:
		fputs("more sockets held the port than portreg examines, so it "
		      "cannot tell which one stood in the way", stdout);
		return;
	default:
		printf("portreg cannot look up who holds %s port",
		       !strcmp(b->proto, "sctp") ? "an SCTP" :
		       !strcmp(b->proto, "dccp") ? "a DCCP" : "such a");
		return;
	}
	printf("; %s", rule_text(h->why));
}

int cmd_why(int argc, char **argv)
{
	struct filter f = { .errors = true };
	char path[4096], when[32], date[32], service[128];
	struct pr_bind *binds, last;
	struct lines l;
	bool found = false;
	ssize_t n, i;
	int err;

	if (port_filter_arg(argc, argv, &f))
		return EXIT_USAGE;
	n = load_binds(&l, &binds, path, sizeof(path));
	if (n < 0)
		return EXIT_ACCESS;
	/* The newest failure is the one to explain. */
	for (i = n - 1; i >= 0 && !found; i--) {
		if (filter_bind(&f, &binds[i])) {
			last = binds[i];
			found = true;
		}
	}
	free(binds);
	if (!found) {
		if (!json_output)
			error("no bind of %u%s%s failed in the bind log", f.ports[0],
			      f.proto ? "/" : "", f.proto ? f.proto : "");
		lines_free(&l);
		return EXIT_NOMATCH;
	}
	if (json_output) {
		json_bind_fields(&last);
		puts("}");
		lines_free(&l);
		return 0;
	}
	err = -last.result;
	format_time(last.time_ns, false, when, sizeof(when));
	format_time(last.time_ns, true, date, sizeof(date));
	date[10] = '\0';
	printf("At %s on %s, ", when, date);
	print_claimer(&last.task);
	printf(" was refused %s%s%s port %u/%s%s%s%s by %s() with %s (%s): ",
	       last.family[3] == '6' ? "[" : "", last.addr,
	       last.family[3] == '6' ? "]" : "",
	       last.requested_port ? last.requested_port : last.port, last.proto,
	       last.service ? " (" : "",
	       last.service ? printable(last.service, service, sizeof(service)) : "",
	       last.service ? ")" : "", pr_kind_name(last.kind), errno_name(err),
	       strerror(err));
	if (err == EADDRINUSE)
		print_conflict(&last);
	else
		fputs(why_text(err), stdout);
	puts(".");
	lines_free(&l);
	return 0;
}
