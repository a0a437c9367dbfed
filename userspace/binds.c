// SPDX-License-Identifier: GPL-2.0
/*
 * portreg binds: the bind log (docs/proc-binds.md), as a table, as counts
 * per port and result (--count), or followed as it grows (--follow).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "recfile.h"
#include "tool.h"

/* --count has no short form: -c is --cgroup. */
#define COUNT_OPTION 256

struct bind_view {
	bool time;
	bool uid;
};

static void print_bind_header(const struct bind_view *v)
{
	if (json_output)
		return;
	if (v->time)
		printf("%-12s ", "TIME");
	if (v->uid)
		printf("%-6s ", "UID");
	printf("%-7s %-16s %-13s %-5s %-5s %-6s %-5s %-39s %-16s %-20s %s\n",
	       "PID", "COMM", "RET", "PROTO", "OPTS", "IF", "PORT", "ADDR",
	       "SERVICE", "CONTAINER", "HOLDER");
}

/*
 * The HOLDER column: the claimer as COMM[PID] when portreg knows it and
 * the reader can see it; else how the socket in the way came to hold the
 * port (timewait, before-load, accept, ...), or why none is named (gone,
 * too-many, unreachable).
 */
static const char *holder_name(const struct pr_holder *h, char *buf,
			       size_t size)
{
	char comm[64];

	if (pr_kind_is_claimed(h->kind) && h->who.pid >= 0) {
		snprintf(buf, size, "%s[%ld]",
			 printable(h->who.comm, comm, sizeof(comm)), h->who.pid);
		return buf;
	}
	return pr_kind_name(h->kind);
}

/* A release's HOLDER column: how long the claim it ends lasted. */
static const char *held_for(const struct pr_bind *b, char *buf, size_t size)
{
	char span[32];

	/* CLOCK_REALTIME may have been set back in between. */
	if (b->since_ns > b->time_ns)
		return "held ?";
	format_duration(b->time_ns - b->since_ns, span, sizeof(span));
	snprintf(buf, size, "held %s", span);
	return buf;
}

/* A failed connect's HOLDER column: where it was going. */
static const char *connect_to(const struct pr_bind *b, char *buf, size_t size)
{
	snprintf(buf, size, "to %s", b->remote);
	return buf;
}

/* The user a lost marker names: "uid 65534". */
static const char *marker_user(const struct pr_bind *b, char *buf, size_t size)
{
	if (!b->task.has_uid)
		return "a user not mapped in this namespace";
	snprintf(buf, size, "uid %lu", b->task.uid);
	return buf;
}

/* A lost marker, in words: how many events, and why they are missing. */
static void print_lost(const struct pr_bind *b)
{
	char user[48];
	bool one = b->lost == 1;

	switch (b->lost_reason) {
	case PR_LOST_OVER_SHARE:
		printf("lost %llu event%s: %s was at its share of the log\n",
		       b->lost, one ? "" : "s",
		       marker_user(b, user, sizeof(user)));
		return;
	case PR_LOST_SOCKET_LOCKED:
		printf("%llu bind%s not followed: %s bound %s another task held "
		       "locked\n", b->lost, one ? "" : "s",
		       marker_user(b, user, sizeof(user)),
		       one ? "a socket" : "sockets");
		return;
	default:
		printf("lost %llu event%s: the kernel could not deliver %s to "
		       "portreg's probes\n", b->lost, one ? "" : "s",
		       one ? "it" : "them");
		return;
	}
}

static void print_bind(const struct pr_bind *b, const struct bind_view *v)
{
	char buf[64], pid[16], holder[96], comm[64], ifname[64], service[128];
	char container[CONTAINER_NAME_MAX];
	bool release = b->kind == PR_KIND_RELEASE;

	if (json_output) {
		json_bind_fields(b);
		puts("}");
		return;
	}
	if (v->time) {
		format_time(b->time_ns, false, buf, sizeof(buf));
		printf("%-12s ", buf);
	}
	if (b->kind == PR_KIND_LOST) {
		if (v->uid && b->task.has_uid)
			printf("%-6lu ", b->task.uid);
		else if (v->uid)
			printf("%-6s ", "-");
		print_lost(b);
		return;
	}
	if (v->uid)
		printf("%-6lu ", b->task.uid);
	printf("%-7s %s%-16s%s %s%-13s%s %-5s %-5s %-6s %-5u %-39s %-16s %-20s %s\n",
	       pid_text(b->task.pid, pid, sizeof(pid)), colour ? "\033[1m" : "",
	       printable(b->task.comm ? b->task.comm : "-", comm, sizeof(comm)),
	       colour ? "\033[0m" : "", colour && b->result ? "\033[31m" : "",
	       release ? "release" : b->result ? errno_name(-b->result) : "0",
	       colour && b->result ? "\033[0m" : "", b->proto, b->opts,
	       printable(b->ifname ? b->ifname : "-", ifname, sizeof(ifname)),
	       b->port ? b->port : b->requested_port, b->addr,
	       printable(b->service ? b->service : "-", service, sizeof(service)),
	       container_text(&b->task, container),
	       release ? held_for(b, holder, sizeof(holder)) :
	       b->kind == PR_KIND_CONNECT ?
	       connect_to(b, holder, sizeof(holder)) :
	       holder_name(&b->holder, holder, sizeof(holder)));
}

/* --count: binds per transport, port and result. */
struct count_row {
	const char *proto;
	unsigned int port;
	int result;
	const char *service;
	unsigned long count;
};

static int count_cmp(const void *a, const void *b)
{
	const struct count_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->result != y->result)
		return x->result > y->result ? -1 : 1;
	return strcmp(x->proto, y->proto);
}

static void print_counts(struct count_row *rows, size_t n)
{
	char service[128];
	size_t i;

	qsort(rows, n, sizeof(*rows), count_cmp);
	if (!json_output && n)
		printf("%-8s %-5s %-5s %-13s %s\n", "COUNT", "PROTO", "PORT",
		       "RET", "SERVICE");
	for (i = 0; i < n; i++) {
		const struct count_row *r = &rows[i];

		if (json_output) {
			printf("{\"proto\":\"%s\",\"port\":%u,\"result\":%d,"
			       "\"error\":", r->proto, r->port, r->result);
			if (r->result)
				printf("\"%s\"", errno_name(-r->result));
			else
				fputs("null", stdout);
			fputs(",\"service\":", stdout);
			json_string_or_null(r->service);
			printf(",\"count\":%lu}\n", r->count);
			continue;
		}
		printf("%-8lu %-5s %-5u %-13s %s\n", r->count, r->proto, r->port,
		       r->result ? errno_name(-r->result) : "0",
		       printable(r->service ? r->service : "-", service,
				 sizeof(service)));
	}
}

static volatile sig_atomic_t interrupted;

/*
 * A follower blocks in read() until the next bind, so it would only learn
 * that its reader went away (portreg binds -f | head) at the next bind.
 * This thread waits for the pipe to break instead and ends the process:
 * there is no one left to print for.
 */
static void *watch_stdout(void *arg)
{
	struct pollfd out = { .fd = STDOUT_FILENO, .events = 0 };

	(void)arg;
	while (poll(&out, 1, -1) < 0 && errno == EINTR)
		;
	if (out.revents & (POLLERR | POLLHUP))
		_exit(0);
	return NULL;
}

static void start_stdout_watch(void)
{
	struct stat st;
	pthread_t thread;
	sigset_t all, old;

	if (fstat(STDOUT_FILENO, &st) || (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)))
		return;
	/* Signals go to the main thread, whose read() they must interrupt. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (!pthread_create(&thread, NULL, watch_stdout, NULL))
		pthread_detach(thread);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Streams binds_follow until ^C, a closed pipe, or the module going away.
 * The kernel wakes the blocked read() for each new bind: no polling.
 */
static int follow_binds(const struct filter *f, const struct bind_view *v)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char path[4096], *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	struct pr_bind b;
	const char *why;
	int in_err = 0, out_err = 0;
	FILE *in;

	/* No SA_RESTART: ^C must end the blocked read(). */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	in = open_table("binds_follow", path, sizeof(path));
	output_direct();
	setvbuf(stdout, NULL, _IOLBF, 0);
	start_stdout_watch();
	print_bind_header(v);
	fflush(stdout);
	while (!interrupted) {
		errno = 0;
		if (getline(&line, &cap, in) < 0) {
			in_err = errno;
			break;
		}
		lineno++;
		if (!strncmp(line, TRACKING_OFF, strlen(TRACKING_OFF))) {
			error("bind tracking is unavailable: %.*s",
			      (int)strcspn(line + strlen(TRACKING_OFF), "\n"),
			      line + strlen(TRACKING_OFF));
			break;
		}
		switch (pr_parse_bind(line, &b, &why)) {
		case PR_PARSE_SKIP:
			continue;
		case PR_PARSE_ERROR:
			error("%s:%lu: malformed line: %s", path, lineno, why);
			free(line);
			fclose(in);
			return EXIT_ACCESS;
		case PR_PARSE_ENTRY:
			break;
		}
		/* Lost events may have been ones the filter wanted. */
		if (filter_marker(f, &b) || filter_bind(f, &b))
			print_bind(&b, v);
		if (ferror(stdout)) {
			out_err = errno;
			/*
			 * The reader went away before watch_stdout() saw it:
			 * the same normal end, and as there, nothing is left
			 * to flush to (output_end() would call it an error).
			 */
			if (out_err == EPIPE)
				_exit(0);
			break;
		}
	}
	free(line);
	fclose(in);
	/*
	 * ^C or SIGTERM (which may also cut a write short), a reader that went
	 * away, or the end of the file when the module is unloaded: all normal
	 * ends.  A read or write that failed otherwise is not.
	 */
	if (interrupted)
		return 0;
	if (in_err && in_err != EINTR) {
		error("%s: %s", path, strerror(in_err));
		return EXIT_ACCESS;
	}
	if (out_err && out_err != EPIPE) {
		error("standard output: %s", strerror(out_err));
		return EXIT_ACCESS;
	}
	return 0;
}

static int count_add(struct count_row **rows, size_t *n, size_t *alloc,
		     const struct pr_bind *b)
{
	unsigned int port = b->port ? b->port : b->requested_port;
	size_t i;

	for (i = 0; i < *n; i++) {
		struct count_row *r = &(*rows)[i];

		if (r->port == port && r->result == b->result &&
		    !strcmp(r->proto, b->proto)) {
			r->count++;
			return 0;
		}
	}
	if (*n == *alloc) {
		size_t grown_alloc = *alloc ? *alloc * 2 : 64;
		struct count_row *grown = realloc(*rows, grown_alloc * sizeof(**rows));

		if (!grown)
			return -1;
		*rows = grown;
		*alloc = grown_alloc;
	}
	(*rows)[(*n)++] = (struct count_row){ b->proto, port, b->result,
					      b->service, 1 };
	return 0;
}

/*
 * The events the markers stand for have no row in the counts, which must
 * not pass for complete: standard error says how many, by reason.
 */
static void note_uncounted(const unsigned long long *lost)
{
	unsigned long long n;

	n = lost[PR_LOST_PROBE_MISSED];
	if (n)
		error("%llu event%s lost (the kernel could not deliver %s to "
		      "portreg's probes): the counts leave %s out", n,
		      n == 1 ? " was" : "s were", n == 1 ? "it" : "them",
		      n == 1 ? "it" : "them");
	n = lost[PR_LOST_OVER_SHARE];
	if (n)
		error("%llu event%s refused (%s at %s share of the log): the "
		      "counts leave %s out", n, n == 1 ? " was" : "s were",
		      n == 1 ? "a user" : "users", n == 1 ? "its" : "their",
		      n == 1 ? "it" : "them");
	n = lost[PR_LOST_SOCKET_LOCKED];
	if (n)
		error("%llu bind%s not followed (made on a socket another task "
		      "held locked): the counts leave %s out", n,
		      n == 1 ? " was" : "s were", n == 1 ? "it" : "them");
}

int cmd_binds(int argc, char **argv)
{
	static const struct option options[] = {
		{ "errors", no_argument, NULL, 'E' },
		{ "count", no_argument, NULL, COUNT_OPTION },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "follow", no_argument, NULL, 'f' },
		{ "timestamp", no_argument, NULL, 't' },
		{ "print-uid", no_argument, NULL, 'U' },
		{ "releases", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct filter f = { 0 };
	struct bind_view v = { 0 };
	bool count = false, follow = false;
	struct count_row *rows = NULL;
	size_t nrows = 0, alloc = 0, i;
	unsigned long long lost[PR_LOST_SOCKET_LOCKED + 1] = { 0 };
	struct pr_bind *binds;
	char path[4096];
	struct lines l;
	ssize_t n;
	int opt, ret = 0;

	optind = 0;
	while ((opt = command_getopt(argc, argv, "p:P:u:c:EtUfR", options)) != -1) {
		switch (opt) {
		case 'p': case 'P': case 'u': case 'c':
			if (parse_filter_opt(opt, optarg, &f))
				return EXIT_USAGE;
			break;
		case 'E': f.errors = true; break;
		case COUNT_OPTION: count = true; break;
		case 'f': follow = true; break;
		case 't': v.time = true; break;
		case 'U': v.uid = true; break;
		case 'R': f.releases = true; break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || (count && (follow || f.releases))) {
		if (count)
			error("--count goes with neither --follow nor --releases");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (follow)
		return follow_binds(&f, &v);

	/* Everything is parsed first: a malformed line prints nothing. */
	n = load_binds(&l, &binds, path, sizeof(path));
	if (n < 0)
		return EXIT_ACCESS;
	if (!count)
		print_bind_header(&v);
	for (i = 0; i < (size_t)n; i++) {
		const struct pr_bind *b = &binds[i];

		/* Lost events may have been ones the filter wanted. */
		if (b->kind == PR_KIND_LOST) {
			if (!filter_marker(&f, b))
				continue;
			lost[b->lost_reason] += b->lost;
			if (!count)
				print_bind(b, &v);
			continue;
		}
		if (!filter_bind(&f, b))
			continue;
		if (!count)
			print_bind(b, &v);
		else if (count_add(&rows, &nrows, &alloc, b))
			ret = EXIT_ACCESS;
	}
	if (count) {
		print_counts(rows, nrows);
		note_uncounted(lost);
	}
	free(rows);
	free(binds);
	lines_free(&l);
	return ret;
}
