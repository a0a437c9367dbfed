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
 *
 * The ephemeral range and the reserved ports are sysctls of a network
 * namespace: check judges the sockets of the namespace it runs in by that
 * namespace's values.  Expected owners are the host's (docs/proc-owners.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ownerset.h"
#include "container.h"
#include "recfile.h"
#include "tool.h"

#define PRESSURE_PCT 80

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
	char comm[64], since[32], expected[64], name[CONTAINER_NAME_MAX];
	const char *container = container_name(c->task.cgroup, name);

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
		printf("%u/%s held by %s[%ld] uid %lu%s%s since %s, expected %s\n",
		       c->port, c->proto,
		       printable(c->task.comm, comm, sizeof(comm)),
		       c->task.pid, c->task.uid, container ? " in " : "",
		       container ? container : "", since, expected);
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

int cmd_check(int argc, char **argv)
{
	struct ephemeral *e = calloc(1, sizeof(*e));
	struct owner_set owners = { 0 };
	struct pr_claim *claims = NULL;
	bool flagged[65536] = { false };
	char path[4096], why[160], comm[128];
	struct lines l = { 0 };
	ssize_t n = 0, i;
	size_t k;
	int problems = 0, ret, pressure;

	if (!e) {
		error("out of memory");
		return EXIT_ACCESS;
	}
	if (command_operands(argc, argv, 0, 0) < 0) {
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
	pressure = ephemeral_pressure(e, claims, n);
	if (pressure < 0)
		ret = EXIT_ACCESS;
	else
		problems += pressure;
	if (!ret)
		ret = problems ? EXIT_NOMATCH : 0;
out:
	free(claims);
	lines_free(&l);
	free(owners.v);
	free(e->reserved_text);
	free(e);
	return ret;
}
