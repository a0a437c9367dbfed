// SPDX-License-Identifier: GPL-2.0
/*
 * portreg check: the port problems of this host, one line each, for a
 * person or for monitoring (exit 1 if there is any).
 *
 *   unexpected-owner    an expected port held by another program
 *   ephemeral-overlap   a port a service needs, inside the range the kernel
 *                       hands out to connect() and autobind, not reserved
 *   ephemeral-pressure  a local address of a protocol using more than 80%
 *                       of that range
 *   autobind-failures   ports the kernel was to choose and could not, per
 *                       network namespace, over the last --window seconds
 *
 * The ephemeral range and the reserved ports are sysctls of a network
 * namespace: check judges the sockets of the namespace it runs in by that
 * namespace's values.  Expected owners are the host's (docs/proc-owners.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ownerset.h"
#include "container.h"
#include "recfile.h"
#include "tool.h"

#define PRESSURE_PCT 80
#define DEFAULT_WINDOW 3600	/* seconds of the log autobind-failures reads */

struct ephemeral {
	unsigned int lo, hi;		/* net.ipv4.ip_local_port_range */
	char *reserved_text;		/* net.ipv4.ip_local_reserved_ports */
	bool reserved[65536];
	unsigned long netns;		/* the namespace they are of */
};

/* One line of a sysctl file under procfs_dir, without its newline. */
static char *read_sysctl(const char *name)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/net/ipv4/%s", procfs_dir, name);
	f = fopen(path, "r");
	if (!f) {
		error("%s: %s", path, strerror(errno));
		return NULL;
	}
	n = getline(&line, &cap, f);
	fclose(f);
	if (n < 0) {
		error("%s: empty", path);
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* "1-3,7": the kernel's list of reserved ports. */
static int parse_reserved(const char *text, bool *reserved)
{
	const char *p = text;
	char *end;
	long lo, hi;

	while (*p) {
		lo = strtol(p, &end, 10);
		if (end == p || lo < 0 || lo > 65535)
			return -1;
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p || hi < lo || hi > 65535)
				return -1;
		}
		for (; lo <= hi; lo++)
			reserved[lo] = true;
		if (*end == ',')
			end++;
		else if (*end)
			return -1;
		p = end;
	}
	return 0;
}

static int read_ephemeral(struct ephemeral *e)
{
	char path[4096], link[64], *range;
	ssize_t n;

	range = read_sysctl("ip_local_port_range");
	if (!range)
		return EXIT_ACCESS;
	if (sscanf(range, "%u %u", &e->lo, &e->hi) != 2 || e->lo > e->hi ||
	    e->hi > 65535) {
		error("%s/sys/net/ipv4/ip_local_port_range: not two ports: '%s'",
		      procfs_dir, range);
		free(range);
		return EXIT_ACCESS;
	}
	free(range);
	e->reserved_text = read_sysctl("ip_local_reserved_ports");
	if (!e->reserved_text)
		return EXIT_ACCESS;
	if (parse_reserved(e->reserved_text, e->reserved)) {
		error("%s/sys/net/ipv4/ip_local_reserved_ports: not a list of ports: '%s'",
		      procfs_dir, e->reserved_text);
		return EXIT_ACCESS;
	}
	snprintf(path, sizeof(path), "%s/self/ns/net", procfs_dir);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		error("%s: %s", path, strerror(errno));
		return EXIT_ACCESS;
	}
	link[n] = '\0';
	if (sscanf(link, "net:[%lu]", &e->netns) != 1) {
		error("%s: not a network namespace: '%s'", path, link);
		return EXIT_ACCESS;
	}
	return 0;
}

static bool in_range(const struct ephemeral *e, unsigned int port)
{
	return port >= e->lo && port <= e->hi && !e->reserved[port];
}

/* A socket holding its port for a service, not one connect() or accept() gave. */
static bool serves(const struct pr_claim *c)
{
	return c->kind != PR_KIND_ACCEPT && c->kind != PR_KIND_CONNECT &&
	       c->kind != PR_KIND_TIMEWAIT &&
	       (!strcmp(c->state, "listen") || !strcmp(c->state, "bound"));
}

static void problem_begin(const char *kind)
{
	if (json_output)
		printf("{\"kind\":\"%s\"", kind);
	else
		printf("%s ", kind);
}

static void unexpected_owner(const struct pr_claim *c)
{
	char comm[64], since[32], expected[64], in[CONTAINER_CLAUSE_MAX];

	problem_begin("unexpected-owner");
	if (json_output) {
		printf(",\"port\":%u,\"proto\":\"%s\",\"addr\":\"%s\",",
		       c->port, c->proto, c->addr);
		json_who(&c->task);
		fputs(",\"since\":", stdout);
		json_number_or_null(c->since_ns);
		fputs(",\"expected_owner\":", stdout);
		json_string(c->expected_owner);
		puts("}");
		return;
	}
	format_time(c->since_ns, true, since, sizeof(since));
	printable(c->expected_owner, expected, sizeof(expected));
	if (c->task.pid >= 0)
		printf("%u/%s held by %s[%ld] uid %lu%s since %s, expected %s\n",
		       c->port, c->proto,
		       printable(c->task.comm, comm, sizeof(comm)),
		       c->task.pid, c->task.uid,
		       container_clause(c->task.cgroup, " in ", in), since,
		       expected);
	else
		printf("%u/%s held by a process not visible here, uid %lu, since %s, expected %s\n",
		       c->port, c->proto, c->task.uid, since, expected);
}

static void ephemeral_overlap(const struct ephemeral *e, unsigned int port,
			      const char *proto, const char *why)
{
	problem_begin("ephemeral-overlap");
	if (json_output) {
		printf(",\"port\":%u,\"proto\":\"%s\",\"reason\":", port,
		       proto);
		json_string(why);
		printf(",\"range\":[%u,%u],\"reserved\":", e->lo, e->hi);
		json_string(e->reserved_text);
		puts("}");
		return;
	}
	printf("%u/%s (%s) is inside net.ipv4.ip_local_port_range %u-%u, "
	       "which connect() and autobind hand out: sysctl -w "
	       "net.ipv4.ip_local_reserved_ports=%s%s%u\n", port, proto, why,
	       e->lo, e->hi, e->reserved_text,
	       *e->reserved_text ? "," : "", port);
}

/* Claims sorted by protocol, then address, then port. */
static int by_proto_addr_port(const void *a, const void *b)
{
	const struct pr_claim *x = *(const struct pr_claim *const *)a;
	const struct pr_claim *y = *(const struct pr_claim *const *)b;
	int c = strcmp(x->proto, y->proto);

	if (!c)
		c = strcmp(x->addr, y->addr);
	if (!c && x->port != y->port)
		c = x->port < y->port ? -1 : 1;
	return c;
}

/* Each (protocol, address) of this namespace and the ephemeral ports it holds. */
static int ephemeral_pressure(const struct ephemeral *e, struct pr_claim *claims,
			      ssize_t n)
{
	const struct pr_claim **v = calloc((size_t)n + 1, sizeof(*v));
	unsigned int size = 0, port, used;
	size_t m = 0, i, j;
	int found = 0;

	if (!v) {
		error("out of memory");
		return -1;
	}
	for (port = e->lo; port <= e->hi; port++)
		size += !e->reserved[port];
	/*
	 * A TIME_WAIT socket's port is free for a connection to any other
	 * peer: it is no port in use.
	 */
	for (i = 0; i < (size_t)n; i++)
		if (claims[i].netns == e->netns && in_range(e, claims[i].port) &&
		    claims[i].kind != PR_KIND_TIMEWAIT)
			v[m++] = &claims[i];
	qsort(v, m, sizeof(*v), by_proto_addr_port);
	for (i = 0; i < m; i = j) {
		used = 0;
		for (j = i; j < m && !strcmp(v[j]->proto, v[i]->proto) &&
			    !strcmp(v[j]->addr, v[i]->addr); j++)
			used += j == i || v[j]->port != v[j - 1]->port;
		if (!size || used * 100 <= size * PRESSURE_PCT)
			continue;
		found++;
		problem_begin("ephemeral-pressure");
		if (json_output) {
			printf(",\"proto\":\"%s\",\"addr\":\"%s\",\"netns\":%lu,"
			       "\"used\":%u,\"size\":%u}\n", v[i]->proto,
			       v[i]->addr, e->netns, used, size);
			continue;
		}
		printf("%s %s: %u of the %u ports of net.ipv4.ip_local_port_range "
		       "%u-%u (%u%%) are in use on this address: connect() and "
		       "autobind will soon fail with EADDRNOTAVAIL\n",
		       v[i]->proto, v[i]->addr, used, size, e->lo, e->hi,
		       used * 100 / size);
	}
	free(v);
	return found;
}

/*
 * A port the kernel was to choose and could not, as the module counts
 * autobind_failures: autobind's EAGAIN, a bind to port 0 or a listen
 * without a port refused with EADDRINUSE, and any connect in the log
 * (only those that found no port or four-tuple are).
 */
static bool autobind_failure(const struct pr_bind *b)
{
	if (!b->result || b->kind == PR_KIND_LOST ||
	    b->kind == PR_KIND_RELEASE)
		return false;
	if (b->kind == PR_KIND_AUTOBIND || b->kind == PR_KIND_CONNECT)
		return true;
	return !b->requested_port && b->result == -EADDRINUSE;
}

/* One network namespace's failures, in the log's order. */
struct failures {
	unsigned long netns;
	unsigned long count;
	unsigned long by_kind[PR_KIND_CONNECT + 1];
	unsigned long long first_ns;
	const struct pr_bind *last;
};

static int by_netns(const void *a, const void *b)
{
	const struct failures *x = a, *y = b;

	return x->netns < y->netns ? -1 : x->netns > y->netns;
}

static void print_failures(const struct failures *f, unsigned long window)
{
	static const enum pr_kind kinds[] = { PR_KIND_CONNECT,
		PR_KIND_AUTOBIND, PR_KIND_LISTEN, PR_KIND_BIND };
	char comm[64], when[32], in[CONTAINER_CLAUSE_MAX], pid[16];
	const struct pr_bind *b = f->last;
	const char *sep = "";
	size_t i;

	problem_begin("autobind-failures");
	if (json_output) {
		printf(",\"netns\":%lu,\"count\":%lu,\"window\":", f->netns,
		       f->count);
		json_number_or_null(window);
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			printf(",\"%s\":%lu", pr_kind_name(kinds[i]),
			       f->by_kind[kinds[i]]);
		printf(",\"first\":%llu,\"last\":", f->first_ns);
		json_bind_fields(b);
		puts("}}");
		return;
	}
	printf("netns %lu: %lu port%s the kernel was to choose could not be had",
	       f->netns, f->count, f->count == 1 ? "" : "s");
	if (window)
		printf(" in the last %lu s", window);
	fputs(" (", stdout);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!f->by_kind[kinds[i]])
			continue;
		printf("%s%s %lu", sep, pr_kind_name(kinds[i]),
		       f->by_kind[kinds[i]]);
		sep = ", ";
	}
	format_time(b->time_ns, true, when, sizeof(when));
	printf("); the last at %s, by %s[%s] uid %lu%s: %s %s %s", when,
	       printable(b->task.comm ? b->task.comm : "-", comm, sizeof(comm)),
	       pid_text(b->task.pid, pid, sizeof(pid)), b->task.uid,
	       container_clause(b->task.cgroup, " in ", in),
	       pr_kind_name(b->kind), b->proto, errno_name(-b->result));
	if (b->remote)
		printf(" to %s", b->remote);
	putchar('\n');
}

/*
 * The log's failures since @window seconds ago (0: the whole log), one
 * line per network namespace.  Returns how many lines, or -1.
 */
static int autobind_failures(const struct pr_bind *binds, ssize_t n,
			     unsigned long window)
{
	unsigned long long since = 0;
	struct failures *v = NULL;
	size_t m = 0, k;
	ssize_t i;

	if (window) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		since = (unsigned long long)now.tv_sec * 1000000000ULL +
			(unsigned long long)now.tv_nsec;
		since = since > window * 1000000000ULL ?
			since - window * 1000000000ULL : 0;
	}
	for (i = 0; i < n; i++) {
		const struct pr_bind *b = &binds[i];

		if (!autobind_failure(b) || b->time_ns < since)
			continue;
		for (k = 0; k < m && v[k].netns != b->netns; k++)
			;
		if (k == m) {
			struct failures *grown = realloc(v, (m + 1) * sizeof(*v));

			if (!grown) {
				error("out of memory");
				free(v);
				return -1;
			}
			v = grown;
			memset(&v[m], 0, sizeof(v[m]));
			v[m].netns = b->netns;
			v[m++].first_ns = b->time_ns;
		}
		v[k].count++;
		if (b->kind <= PR_KIND_CONNECT)
			v[k].by_kind[b->kind]++;
		v[k].last = b;
	}
	if (m)
		qsort(v, m, sizeof(*v), by_netns);
	for (k = 0; k < m; k++)
		print_failures(&v[k], window);
	free(v);
	return (int)m;
}

/* --window SECONDS: a number of seconds, 0 for the whole log. */
static int parse_window(const char *arg, unsigned long *window)
{
	char *end;

	errno = 0;
	*window = strtoul(arg, &end, 10);
	if (!*arg || *end || *arg == '-' || errno ||
	    *window > 100UL * 365 * 86400) {
		error("--window %s: not a number of seconds up to 100 years", arg);
		return -1;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct ephemeral *e = calloc(1, sizeof(*e));
	struct owner_set owners = { 0 };
	struct pr_claim *claims = NULL;
	bool flagged[65536] = { false };
	char path[4096], why[160], comm[128];
	static const struct option longopts[] = {
		{ "window", required_argument, NULL, 'w' },
		{ NULL }
	};
	struct lines l = { 0 }, bl = { 0 };
	struct pr_bind *binds = NULL;
	unsigned long window = DEFAULT_WINDOW;
	ssize_t n = 0, nb = 0, i;
	size_t k;
	int problems = 0, ret, found, opt;

	if (!e) {
		error("out of memory");
		return EXIT_ACCESS;
	}
	optind = 0;
	while ((opt = command_getopt(argc, argv, "w:", longopts)) != -1) {
		if (opt != 'w' || parse_window(optarg, &window)) {
			if (opt != 'w')
				usage(stderr);
			free(e);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		free(e);
		return EXIT_USAGE;
	}
	ret = read_ephemeral(e);
	if (!ret)
		ret = owners_read_kernel(&owners, path, sizeof(path));
	if (!ret) {
		n = load_claims(&l, &claims, path, sizeof(path));
		if (n < 0)
			ret = EXIT_ACCESS;
	}
	if (!ret) {
		nb = load_binds(&bl, &binds, path, sizeof(path));
		if (nb < 0)
			ret = EXIT_ACCESS;
	}
	if (ret)
		goto out;

	for (i = 0; i < n; i++) {
		if (claims[i].expected_owner) {
			unexpected_owner(&claims[i]);
			problems++;
		}
	}
	/* A port is reserved for every protocol at once: one line a port. */
	for (k = 0; k < owners.n; k++) {
		if (!in_range(e, owners.v[k].port) || flagged[owners.v[k].port])
			continue;
		flagged[owners.v[k].port] = true;
		snprintf(why, sizeof(why), "expected: %s",
			 printable(owners.v[k].comm, comm, sizeof(comm)));
		ephemeral_overlap(e, owners.v[k].port, owners.v[k].proto, why);
		problems++;
	}
	for (i = 0; i < n; i++) {
		const struct pr_claim *c = &claims[i];

		if (c->netns != e->netns || !c->service || !serves(c) ||
		    !in_range(e, c->port) || flagged[c->port])
			continue;
		flagged[c->port] = true;
		snprintf(why, sizeof(why), "held, registered as %s",
			 printable(c->service, comm, sizeof(comm)));
		ephemeral_overlap(e, c->port, c->proto, why);
		problems++;
	}
	found = ephemeral_pressure(e, claims, n);
	if (found >= 0) {
		problems += found;
		found = autobind_failures(binds, nb, window);
	}
	if (found < 0)
		ret = EXIT_ACCESS;
	else
		problems += found;
	if (!ret)
		ret = problems ? EXIT_NOMATCH : 0;
out:
	free(claims);
	free(binds);
	lines_free(&l);
	lines_free(&bl);
	free(owners.v);
	free(e->reserved_text);
	free(e);
	return ret;
}
