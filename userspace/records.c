// SPDX-License-Identifier: GPL-2.0
/*
 * Who took each port: the binds, claims, who, why and stats commands, from
 * /proc/portreg/binds, binds_follow, claims and stats
 * (docs/proc-binds.md, docs/proc-claims.md, docs/proc-stats.md).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "tool.h"

#define MAX_PORT_FILTER 64
#define TRACKING_OFF "# tracking unavailable: "

struct filter {
	bool has_pid;
	long pid;
	bool has_uid;
	unsigned long uid;
	unsigned int nports;
	unsigned int ports[MAX_PORT_FILTER];
	const char *proto;	/* NULL: any */
	bool errors;		/* only failed binds */
};

static bool filter_port(const struct filter *f, unsigned int port)
{
	unsigned int i;

	if (!f->nports)
		return true;
	for (i = 0; i < f->nports; i++)
		if (f->ports[i] == port)
			return true;
	return false;
}

static bool filter_bind(const struct filter *f, const struct pr_bind *b)
{
	if (f->has_pid && b->task.pid != f->pid)
		return false;
	if (f->has_uid && b->task.uid != f->uid)
		return false;
	if (f->errors && !b->result)
		return false;
	if (f->proto && strcmp(f->proto, b->proto))
		return false;
	return filter_port(f, b->port) ||
	       (b->requested_port && filter_port(f, b->requested_port));
}

static bool filter_claim(const struct filter *f, const struct pr_claim *c)
{
	if (f->has_pid && c->task.pid != f->pid)
		return false;
	if (f->has_uid && c->task.uid != f->uid)
		return false;
	if (f->proto && strcmp(f->proto, c->proto))
		return false;
	return filter_port(f, c->port);
}

/* who and why take one PORT[/PROTO]; prints why not and returns -1. */
static int port_filter_arg(int argc, char **argv, struct filter *f)
{
	if (argc != 2) {
		usage(stderr);
		return -1;
	}
	f->nports = 1;
	return parse_port_arg(argv[1], &f->ports[0], &f->proto);
}

/* "-p PID", "-u UID" and "-P PORT[,PORT...]"; returns 0 or -1. */
static int parse_filter_opt(int opt, char *arg, struct filter *f)
{
	unsigned int n;
	char *tok, *save;

	switch (opt) {
	case 'p':
		if (!*arg || strspn(arg, "0123456789") != strlen(arg) ||
		    strlen(arg) > 10 || strtoll(arg, NULL, 10) > 2147483647 ||
		    !(f->pid = strtol(arg, NULL, 10)))
			goto bad;
		f->has_pid = true;
		return 0;
	case 'u':
		if (!*arg || strspn(arg, "0123456789") != strlen(arg) ||
		    strlen(arg) > 10 || strtoull(arg, NULL, 10) > 4294967295ULL)
			goto bad;
		f->uid = strtoul(arg, NULL, 10);
		f->has_uid = true;
		return 0;
	case 'P':
		for (tok = strtok_r(arg, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (f->nports == MAX_PORT_FILTER) {
				error("-P: at most %d ports", MAX_PORT_FILTER);
				return -1;
			}
			if (pr_parse_number(tok, 65535, &n) || !n) {
				error("-P: %s: not a port number from 1 to 65535", tok);
				return -1;
			}
			f->ports[f->nports++] = n;
		}
		if (!f->nports) {
			error("-P: %s: no port given", arg);
			return -1;
		}
		return 0;
	}
bad:
	error("-%c: %s: not a valid %s", opt, arg, opt == 'p' ? "pid" : "uid");
	return -1;
}

/*
 * A whole /proc record file, read before anything is printed, so a
 * malformed line ends the command before it printed half a table.
 */
struct lines {
	char **line;
	size_t n;
	bool unavailable;	/* a "# tracking unavailable" line */
	char *reason;
};

static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	free(l->reason);
}

static int read_lines(const char *name, struct lines *l, char *path,
		      size_t size)
{
	FILE *f = open_table(name, path, size);
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;

	memset(l, 0, sizeof(*l));
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (!strncmp(line, TRACKING_OFF, strlen(TRACKING_OFF)) && !l->reason) {
			const char *reason = line + strlen(TRACKING_OFF);

			l->unavailable = true;
			l->reason = strndup(reason, strcspn(reason, "\n"));
		}
		if (l->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			char **grown = realloc(l->line, alloc * sizeof(*l->line));

			if (!grown) {
				error("out of memory");
				exit(EXIT_ACCESS);
			}
			l->line = grown;
		}
		l->line[l->n] = strdup(line);
		if (!l->line[l->n++]) {
			error("out of memory");
			exit(EXIT_ACCESS);
		}
	}
	free(line);
	if (ferror(f)) {
		error("%s: %s", path, strerror(errno));
		fclose(f);
		lines_free(l);
		return -1;
	}
	fclose(f);
	return 0;
}

static void note_unavailable(const struct lines *l)
{
	if (l->unavailable)
		error("bind tracking is unavailable: %s", l->reason ? l->reason : "");
}

/* A record parser, as parse.h has one per file. */
typedef enum pr_parse_result (*record_parse_fn)(char *line, void *record,
						const char **why);

static enum pr_parse_result parse_bind_record(char *line, void *record,
					      const char **why)
{
	return pr_parse_bind(line, record, why);
}

static enum pr_parse_result parse_claim_record(char *line, void *record,
					       const char **why)
{
	return pr_parse_claim(line, record, why);
}

/*
 * Reads and parses all of /proc/portreg/@name into an array of records of
 * @record_size bytes, in file order; returns the count, or -1 with nothing
 * left to free.  The records point into @l.
 */
static ssize_t load_records(const char *name, record_parse_fn parse,
			    size_t record_size, struct lines *l, void **records,
			    char *path, size_t size)
{
	const char *why;
	size_t i, n = 0;
	char *r;

	if (read_lines(name, l, path, size))
		return -1;
	note_unavailable(l);
	r = calloc(l->n ? l->n : 1, record_size);
	if (!r) {
		error("out of memory");
		lines_free(l);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		switch (parse(l->line[i], r + n * record_size, &why)) {
		case PR_PARSE_ERROR:
			error("%s:%zu: malformed line: %s", path, i + 1, why);
			free(r);
			lines_free(l);
			return -1;
		case PR_PARSE_SKIP:
			break;
		case PR_PARSE_ENTRY:
			n++;
			break;
		}
	}
	*records = r;
	return (ssize_t)n;
}

/* All of binds, oldest first. */
static ssize_t load_binds(struct lines *l, struct pr_bind **binds,
			  char *path, size_t size)
{
	void *records;
	ssize_t n;

	n = load_records("binds", parse_bind_record, sizeof(**binds), l,
			 &records, path, size);
	if (n >= 0)
		*binds = records;
	return n;
}

static const char *const opt_names[PR_OPTS_LEN] = {
	"IP_FREEBIND", "IP_TRANSPARENT", "IP_BIND_ADDRESS_NO_PORT",
	"SO_REUSEADDR", "SO_REUSEPORT",
};

static void json_opts(const char *opts)
{
	int i, first = 1;

	fputs("\"options\":[", stdout);
	for (i = 0; i < PR_OPTS_LEN; i++) {
		if (opts[i] == '.')
			continue;
		printf("%s\"%s\"", first ? "" : ",", opt_names[i]);
		first = 0;
	}
	putchar(']');
}

static void json_bind_fields(const struct pr_bind *b)
{
	printf("{\"seq\":%llu,\"time\":%llu,\"pid\":%ld,\"tid\":%ld,\"comm\":",
	       b->seq, b->time_ns, b->task.pid, b->tid);
	json_string(b->task.comm);
	printf(",\"uid\":%lu,\"netns\":%lu,\"kind\":\"%s\",\"family\":\"%s\","
	       "\"proto\":\"%s\",\"addr\":\"%s\",\"port\":%u,"
	       "\"requested_port\":%u,\"result\":%d,\"error\":",
	       b->task.uid, b->netns, b->kind, b->family, b->proto, b->addr,
	       b->port, b->requested_port, b->result);
	if (b->result)
		printf("\"%s\"", errno_name(-b->result));
	else
		fputs("null", stdout);
	putchar(',');
	json_opts(b->opts);
	fputs(",\"ifname\":", stdout);
	json_string_or_null(b->ifname);
	fputs(",\"service\":", stdout);
	json_string_or_null(b->service);
	fputs(",\"holder\":", stdout);
	if (b->holder.comm) {
		printf("{\"pid\":%ld,\"comm\":", b->holder.pid);
		json_string(b->holder.comm);
		printf(",\"uid\":%lu}", b->holder.uid);
	} else {
		fputs("null", stdout);
	}
}

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
	printf("%-7s %-16s %-13s %-5s %-5s %-6s %-5s %-39s %-16s %s\n", "PID",
	       "COMM", "RET", "PROTO", "OPTS", "IF", "PORT", "ADDR", "SERVICE",
	       "HOLDER");
}

static void print_bind(const struct pr_bind *b, const struct bind_view *v)
{
	char buf[64], holder[48], comm[64], hcomm[64], ifname[64], service[128];

	if (json_output) {
		json_bind_fields(b);
		puts("}");
		return;
	}
	if (v->time) {
		format_time(b->time_ns, false, buf, sizeof(buf));
		printf("%-12s ", buf);
	}
	if (v->uid)
		printf("%-6lu ", b->task.uid);
	snprintf(holder, sizeof(holder), "%s[%ld]",
		 printable(b->holder.comm ? b->holder.comm : "", hcomm,
			   sizeof(hcomm)), b->holder.pid);
	printf("%-7ld %s%-16s%s %s%-13s%s %-5s %-5s %-6s %-5u %-39s %-16s %s\n",
	       b->task.pid, colour ? "\033[1m" : "",
	       printable(b->task.comm, comm, sizeof(comm)),
	       colour ? "\033[0m" : "", colour && b->result ? "\033[31m" : "",
	       b->result ? errno_name(-b->result) : "0",
	       colour && b->result ? "\033[0m" : "", b->proto, b->opts,
	       printable(b->ifname ? b->ifname : "-", ifname, sizeof(ifname)),
	       b->port ? b->port : b->requested_port, b->addr,
	       printable(b->service ? b->service : "-", service, sizeof(service)),
	       b->holder.comm ? holder : "-");
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
		if (filter_bind(f, &b))
			print_bind(&b, v);
		if (ferror(stdout)) {
			out_err = errno;
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

int cmd_binds(int argc, char **argv)
{
	static const struct option options[] = {
		{ "errors", no_argument, NULL, 'E' },
		{ "count", no_argument, NULL, 'c' },
		{ "follow", no_argument, NULL, 'f' },
		{ "timestamp", no_argument, NULL, 't' },
		{ "print-uid", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct filter f = { 0 };
	struct bind_view v = { 0 };
	bool count = false, follow = false;
	struct count_row *rows = NULL;
	size_t nrows = 0, alloc = 0, i;
	struct pr_bind *binds;
	char path[4096];
	struct lines l;
	ssize_t n;
	int opt, ret = 0;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "p:P:u:EtUf", options, NULL)) != -1) {
		switch (opt) {
		case 'p': case 'P': case 'u':
			if (parse_filter_opt(opt, optarg, &f))
				return EXIT_USAGE;
			break;
		case 'E': f.errors = true; break;
		case 'c': count = true; break;
		case 'f': follow = true; break;
		case 't': v.time = true; break;
		case 'U': v.uid = true; break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || (count && follow)) {
		if (count && follow)
			error("--count and --follow do not go together");
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
		if (!filter_bind(&f, &binds[i]))
			continue;
		if (!count)
			print_bind(&binds[i], &v);
		else if (count_add(&rows, &nrows, &alloc, &binds[i]))
			ret = EXIT_ACCESS;
	}
	if (count)
		print_counts(rows, nrows);
	free(rows);
	free(binds);
	lines_free(&l);
	return ret;
}

static int claim_cmp(const void *a, const void *b)
{
	const struct pr_claim *x = a, *y = b;
	int d;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	d = strcmp(x->proto, y->proto);
	if (d)
		return d;
	d = strcmp(x->family, y->family);
	if (d)
		return d;
	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	return x->task.pid < y->task.pid ? -1 : x->task.pid > y->task.pid;
}

/*
 * Reads and parses all of claims, sorted by port; returns the count, or
 * -1 with nothing left to free.  The claims point into @l.
 */
static ssize_t load_claims(struct lines *l, struct pr_claim **claims,
			   char *path, size_t size)
{
	void *records;
	ssize_t n;

	n = load_records("claims", parse_claim_record, sizeof(**claims), l,
			 &records, path, size);
	if (n < 0)
		return n;
	qsort(records, (size_t)n, sizeof(**claims), claim_cmp);
	*claims = records;
	return n;
}

static void json_claim_fields(const struct pr_claim *c)
{
	printf("{\"proto\":\"%s\",\"family\":\"%s\",\"addr\":\"%s\",\"port\":%u,"
	       "\"netns\":%lu,\"pid\":%ld,\"comm\":", c->proto, c->family,
	       c->addr, c->port, c->netns, c->task.pid);
	json_string(c->task.comm);
	printf(",\"uid\":%lu,\"since\":%llu,\"service\":", c->task.uid,
	       c->since_ns);
	json_string_or_null(c->service);
	printf(",\"kind\":\"%s\",\"inode\":%lu,", c->kind, c->inode);
	json_opts(c->opts);
	fputs(",\"ifname\":", stdout);
	json_string_or_null(c->ifname);
}

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

#define MAX_HOLDERS 16

struct holder {
	long pid;
	char comm[64];
};

/*
 * The processes that have socket @inode open now, found the way ss -p and
 * lsof do: through /proc/PID/fd.  Returns how many, at most MAX_HOLDERS.
 */
static size_t holders_of(unsigned long inode, struct holder *out)
{
	char target[64], link[64], fddir[64], fdpath[384];
	struct dirent *pd, *fd;
	DIR *procs, *fds;
	size_t n = 0;
	FILE *cf;
	long pid;

	snprintf(target, sizeof(target), "socket:[%lu]", inode);
	procs = opendir("/proc");
	if (!procs)
		return 0;
	while (n < MAX_HOLDERS && (pd = readdir(procs))) {
		pid = strtol(pd->d_name, NULL, 10);
		if (pid <= 0)
			continue;
		snprintf(fddir, sizeof(fddir), "/proc/%ld/fd", pid);
		fds = opendir(fddir);
		if (!fds)
			continue;
		while ((fd = readdir(fds))) {
			ssize_t len;

			snprintf(fdpath, sizeof(fdpath), "%s/%s", fddir, fd->d_name);
			len = readlink(fdpath, link, sizeof(link) - 1);
			if (len < 0)
				continue;
			link[len] = '\0';
			if (strcmp(link, target))
				continue;
			out[n].pid = pid;
			out[n].comm[0] = '\0';
			snprintf(fdpath, sizeof(fdpath), "/proc/%ld/comm", pid);
			cf = fopen(fdpath, "r");
			if (cf) {
				if (fgets(out[n].comm, sizeof(out[n].comm), cf))
					out[n].comm[strcspn(out[n].comm, "\n")] = '\0';
				fclose(cf);
			}
			n++;
			break;
		}
		closedir(fds);
	}
	closedir(procs);
	return n;
}

int cmd_who(int argc, char **argv)
{
	struct pr_claim *claims = NULL;
	char path[4096], since[32], comm[64], service[128], safe[64];
	struct holder holders[MAX_HOLDERS];
	struct filter f = { 0 };
	struct lines l;
	ssize_t n, i;
	size_t nh, h;
	int found = 0;

	if (port_filter_arg(argc, argv, &f))
		return EXIT_USAGE;
	n = load_claims(&l, &claims, path, sizeof(path));
	if (n < 0)
		return EXIT_ACCESS;
	for (i = 0; i < n; i++) {
		const struct pr_claim *c = &claims[i];

		if (!filter_claim(&f, c))
			continue;
		found++;
		nh = holders_of(c->inode, holders);
		if (json_output) {
			json_claim_fields(c);
			fputs(",\"holders\":[", stdout);
			for (h = 0; h < nh; h++) {
				printf("%s{\"pid\":%ld,\"comm\":", h ? "," : "",
				       holders[h].pid);
				json_string(holders[h].comm);
				putchar('}');
			}
			puts("]}");
			continue;
		}
		format_time(c->since_ns, true, since, sizeof(since));
		printf("%u/%s%s%s%s on %s%s%s: held by ", c->port, c->proto,
		       c->service ? " (" : "",
		       c->service ? printable(c->service, service, sizeof(service)) : "",
		       c->service ? ")" : "", c->family[3] == '6' ? "[" : "",
		       c->addr, c->family[3] == '6' ? "]" : "");
		for (h = 0; h < nh; h++)
			printf("%s%s[%ld]", h ? " " : "",
			       printable(holders[h].comm, safe, sizeof(safe)),
			       holders[h].pid);
		if (!nh)
			fputs("no process (descriptor closed or not visible)", stdout);
		printf("; claimed by %s%s%s "
		       "(pid %ld, uid %lu) at %s with %s\n", colour ? "\033[1m" : "",
		       printable(c->task.comm, comm, sizeof(comm)),
		       colour ? "\033[0m" : "", c->task.pid, c->task.uid, since,
		       c->kind);
	}
	free(claims);
	lines_free(&l);
	if (!found && !json_output)
		error("no claim on %u%s%s (portreg knows the ports taken while "
		      "it was loaded)", f.ports[0], f.proto ? "/" : "",
		      f.proto ? f.proto : "");
	return found ? 0 : EXIT_NOMATCH;
}

/* Why a bind fails with this errno, said plainly. */
static const char *why_text(int err)
{
	switch (err) {
	case EADDRINUSE:
		return "another socket held the port";
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

int cmd_why(int argc, char **argv)
{
	struct filter f = { .errors = true };
	char path[4096], when[32], date[32], comm[64], hcomm[64], service[128];
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
	err = -last.result;
	format_time(last.time_ns, false, when, sizeof(when));
	format_time(last.time_ns, true, date, sizeof(date));
	date[10] = '\0';
	if (json_output) {
		json_bind_fields(&last);
		puts("}");
		lines_free(&l);
		return 0;
	}
	printf("At %s on %s, %s%s%s (pid %ld, uid %lu) was refused %s%s%s port "
	       "%u/%s%s%s%s by %s() with %s (%s): ", when, date,
	       colour ? "\033[1m" : "", printable(last.task.comm, comm, sizeof(comm)),
	       colour ? "\033[0m" : "",
	       last.task.pid, last.task.uid, last.family[3] == '6' ? "[" : "",
	       last.addr, last.family[3] == '6' ? "]" : "",
	       last.requested_port ? last.requested_port : last.port, last.proto,
	       last.service ? " (" : "",
	       last.service ? printable(last.service, service, sizeof(service)) : "",
	       last.service ? ")" : "", last.kind, errno_name(err),
	       strerror(err));
	if (err == EADDRINUSE && last.holder.comm)
		printf("%s (pid %ld, uid %lu) held it.\n",
		       printable(last.holder.comm, hcomm, sizeof(hcomm)),
		       last.holder.pid, last.holder.uid);
	else if (err == EADDRINUSE)
		printf("another socket held it, one portreg did not see take "
		       "the port (bound before portreg was loaded, or in "
		       "TIME_WAIT).\n");
	else
		printf("%s.\n", why_text(err));
	lines_free(&l);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	char path[4096], name[128], *probes = NULL;
	unsigned long long missed;
	size_t i, probes_len = 0;
	FILE *probe_out = NULL, *out;
	struct lines l;
	bool first = true, first_probe = true;
	int ret = 0;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (read_lines("stats", &l, path, sizeof(path)))
		return EXIT_ACCESS;
	if (json_output) {
		/* The probes come last in the object, gathered on the way. */
		probe_out = open_memstream(&probes, &probes_len);
		if (!probe_out) {
			error("out of memory");
			lines_free(&l);
			return EXIT_ACCESS;
		}
		putchar('{');
	}
	for (i = 0; i < l.n; i++) {
		char *line = l.line[i], *value;
		int keylen, err;

		line[strcspn(line, "\n")] = '\0';
		value = strchr(line, ' ');
		if (!value || value == line) {
			error("%s:%zu: malformed line: expected NAME VALUE", path, i + 1);
			ret = EXIT_ACCESS;
			break;
		}
		keylen = (int)(value - line);
		value++;
		if (!json_output) {
			printf("%-24.*s %s\n", keylen, line, value);
			continue;
		}
		if (!strncmp(line, "probe ", 6)) {
			out = stdout;
			stdout = probe_out;
			if (!first_probe)
				putchar(',');
			first_probe = false;
			if (sscanf(value, "%127s unavailable %d", name, &err) == 2) {
				json_string(name);
				printf(":{\"missed\":null,\"error\":%d}", err);
			} else if (sscanf(value, "%127s missed %llu", name, &missed) == 2) {
				json_string(name);
				printf(":{\"missed\":%llu}", missed);
			} else {
				error("%s:%zu: malformed line: expected probe NAME missed N",
				      path, i + 1);
				ret = EXIT_ACCESS;
			}
			stdout = out;
			if (ret)
				break;
			continue;
		}
		printf("%s\"%.*s\":", first ? "" : ",", keylen, line);
		first = false;
		if (!strncmp(line, "tracking ", 9)) {
			bool active = !strcmp(value, "active");

			printf("\"%s\",\"tracking_reason\":",
			       active ? "active" : "unavailable");
			json_string_or_null(active ? NULL :
					    !strncmp(value, "unavailable: ", 13) ?
					    value + 13 : value);
		} else if (*value && strspn(value, "0123456789") == strlen(value)) {
			fputs(value, stdout);
		} else {
			json_string(value);
		}
	}
	if (probe_out) {
		fclose(probe_out);
		if (!ret)
			printf("%s\"probes\":{%s}}\n", first ? "" : ",",
			       probes ? probes : "");
		free(probes);
	}
	lines_free(&l);
	return ret;
}
