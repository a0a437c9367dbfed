// SPDX-License-Identifier: GPL-2.0
/*
 * portreg export --prometheus [-o FILE]: the counters and the current
 * claims in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector.  Labels are bounded: sockets are
 * counted per transport, family and port, never per process, address or
 * peer, so a busy host cannot grow the series beyond the ports in use.  With -o the file is
 * written beside its final name and renamed into place, so the collector
 * never reads half of it.  stats is read by name: a line it does not know
 * is no metric, and one it lacks (a reader in a network namespace other
 * than the initial one has no records, probes or tenants' lines) is no
 * series.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "tool.h"

/* One /proc/portreg/stats line turned into a metric. */
struct stat_metric {
	const char *stat;	/* the name in stats */
	const char *metric;
	const char *type;	/* "counter" or "gauge" */
	const char *help;
};

static const struct stat_metric stat_metrics[] = {
	{ "binds_seen", "portreg_binds_total", "counter",
	  "Attempts to take a local port that portreg recorded." },
	{ "binds_failed", "portreg_binds_failed_total", "counter",
	  "Recorded attempts that failed." },
	{ "conflicts", "portreg_bind_conflicts_total", "counter",
	  "Recorded attempts that failed with EADDRINUSE." },
	{ "conflicts_named", "portreg_bind_conflicts_named_total", "counter",
	  "EADDRINUSE failures whose holder portreg knew." },
	{ "eacces", "portreg_bind_eacces_total", "counter",
	  "Recorded attempts that failed with EACCES." },
	{ "binds_unfollowed", "portreg_binds_unfollowed_total", "counter",
	  "Binds on a socket another task held locked, which portreg did not follow." },
	{ "autobind_failures", "portreg_autobind_failures_total", "counter",
	  "Ports the kernel was to choose and could not: autobind, bind to port 0, listen without a port, and TCP connect (EADDRNOTAVAIL)." },
	{ "unexpected_claims", "portreg_unexpected_claims_total", "counter",
	  "Claims of a host port by a program other than the one /proc/portreg/owners expects there." },
	{ "ring_drops", "portreg_ring_drops_total", "counter",
	  "Events overwritten before anyone read them (in the initial network namespace, summed over every namespace's bind log)." },
	{ "ring_refused", "portreg_ring_refused_total", "counter",
	  "Events refused because their user held its share of the initial network namespace's bind log (tenant_share)." },
	{ "ring_size", "portreg_ring_size_events", "gauge",
	  "Events the bind log of the reader's network namespace holds." },
	{ "netns_logs", "portreg_netns_logs", "gauge",
	  "Bind logs, one per network namespace." },
	{ "netns_ring_size", "portreg_netns_ring_size_events", "gauge",
	  "Events the bind log of each network namespace but the initial one holds (netns_ring_size)." },
	{ "netns_unlogged", "portreg_netns_unlogged_total", "counter",
	  "Events of a network namespace whose bind log could not be allocated." },
	{ "records", "portreg_records", "gauge",
	  "Sockets holding a port whose claimer portreg keeps a record of." },
	{ "records_max", "portreg_records_max", "gauge",
	  "Records the pool holds (the max_claims parameter)." },
	{ "records_share", "portreg_records_share", "gauge",
	  "The share of the records one tenant may hold (tenant_share)." },
	{ "records_full", "portreg_records_full_total", "counter",
	  "Sockets left unrecorded because the record pool was full." },
	{ "records_quota", "portreg_records_quota_total", "counter",
	  "Sockets left unrecorded because their tenant held its share." },
	{ "records_chain", "portreg_records_chain_total", "counter",
	  "Sockets left unrecorded because their hash chain was full." },
	{ "records_released", "portreg_records_released_total", "counter",
	  "Records ended by their socket giving the port back." },
	{ "records_swept", "portreg_records_swept_total", "counter",
	  "Records of sockets whose release portreg missed, dropped by the sweep." },
	{ "preload", "portreg_preload_sockets", "gauge",
	  "Sockets that held a port when portreg was loaded." },
	{ "lost", "portreg_events_lost_total", "counter",
	  "Events the kernel could not deliver to portreg's probes." },
};

static const struct stat_metric *find_stat(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(stat_metrics) / sizeof(stat_metrics[0]); i++)
		if (strlen(stat_metrics[i].stat) == len &&
		    !strncmp(stat_metrics[i].stat, name, len))
			return &stat_metrics[i];
	return NULL;
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static int export_stats(FILE *out)
{
	char path[4096], *line = NULL, name[128];
	unsigned long long missed;
	const char *version = NULL;
	bool active = false, probes = false;
	unsigned long lineno = 0;
	size_t cap = 0;
	FILE *in = open_table("stats", path, sizeof(path));
	char *versions = NULL;

	while (getline(&line, &cap, in) >= 0) {
		char *value = strchr(line, ' ');
		const struct stat_metric *m;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!value || value == line) {
			error("%s:%lu: malformed line: expected NAME VALUE", path,
			      lineno);
			goto fail;
		}
		value++;
		if (!strncmp(line, "version ", 8)) {
			free(versions);
			versions = strdup(value);
			version = versions;
		} else if (!strncmp(line, "tracking ", 9)) {
			active = !strcmp(value, "active");
		} else if (!strncmp(line, "probe ", 6)) {
			int err;

			/* A probe that could not be placed has no counter. */
			if (sscanf(value, "%127s unavailable %d", name, &err) == 2)
				continue;
			if (sscanf(value, "%127s missed %llu", name, &missed) != 2) {
				error("%s:%lu: malformed line: expected probe NAME missed N",
				      path, lineno);
				goto fail;
			}
			if (!probes)
				fputs("# HELP portreg_probe_missed_total Events a probe could not deliver (kretprobe nmissed).\n"
				      "# TYPE portreg_probe_missed_total counter\n", out);
			probes = true;
			fprintf(out, "portreg_probe_missed_total{probe=\"");
			label_value(out, name);
			fprintf(out, "\"} %llu\n", missed);
		} else if ((m = find_stat(line, (size_t)(value - 1 - line)))) {
			if (strspn(value, "0123456789") != strlen(value) || !*value) {
				error("%s:%lu: malformed line: %s is not a number",
				      path, lineno, m->stat);
				goto fail;
			}
			fprintf(out, "# HELP %s %s\n# TYPE %s %s\n%s %s\n",
				m->metric, m->help, m->metric, m->type, m->metric,
				value);
		}
	}
	fputs("# HELP portreg_tracking_active 1 if portreg's bind probes are attached, else 0.\n"
	      "# TYPE portreg_tracking_active gauge\n", out);
	fprintf(out, "portreg_tracking_active %d\n", active);
	fputs("# HELP portreg_info The portreg module's version.\n"
	      "# TYPE portreg_info gauge\n", out);
	fputs("portreg_info{version=\"", out);
	label_value(out, version ? version : "unknown");
	fputs("\"} 1\n", out);
	free(versions);
	free(line);
	fclose(in);
	return 0;
fail:
	free(versions);
	free(line);
	fclose(in);
	return -1;
}

struct port_count {
	const char *proto;
	const char *family;
	unsigned int port;
	const char *service;
	unsigned long sockets;
};

static int port_count_cmp(const void *a, const void *b)
{
	const struct port_count *x = a, *y = b;
	int d;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	d = strcmp(x->proto, y->proto);
	return d ? d : strcmp(x->family, y->family);
}

/*
 * Sockets per (proto, family, port), from /proc/portreg/claims: every
 * socket that holds the port, connections and TIME_WAIT included, in any
 * network namespace.
 */
static int export_claims(FILE *out)
{
	struct port_count *rows = NULL;
	size_t nrows = 0, alloc = 0, i, j;
	char path[4096], *line = NULL;
	char **keep = NULL;
	size_t nkeep = 0;
	unsigned long lineno = 0;
	struct pr_claim c;
	const char *why;
	size_t cap = 0;
	FILE *in = open_table("claims", path, sizeof(path));
	int ret = 0;

	while (getline(&line, &cap, in) >= 0) {
		lineno++;
		switch (pr_parse_claim(line, &c, &why)) {
		case PR_PARSE_SKIP:
			continue;
		case PR_PARSE_ERROR:
			error("%s:%lu: malformed line: %s", path, lineno, why);
			ret = -1;
			goto out;
		case PR_PARSE_ENTRY:
			break;
		}
		for (j = 0; j < nrows; j++)
			if (rows[j].port == c.port && !strcmp(rows[j].proto, c.proto) &&
			    !strcmp(rows[j].family, c.family))
				break;
		if (j < nrows) {
			rows[j].sockets++;
			continue;
		}
		if (nrows == alloc) {
			size_t grown = alloc ? alloc * 2 : 64;
			struct port_count *r = realloc(rows, grown * sizeof(*rows));
			char **k = r ? realloc(keep, grown * sizeof(*keep)) : NULL;

			if (r)
				rows = r;
			if (!r || !k) {
				error("out of memory");
				ret = -1;
				goto out;
			}
			keep = k;
			alloc = grown;
		}
		/* The parsed fields point into the line: keep it. */
		keep[nkeep++] = line;
		rows[nrows++] = (struct port_count){ c.proto, c.family, c.port,
						     c.service, 1 };
		line = NULL;
		cap = 0;
	}
	qsort(rows, nrows, sizeof(*rows), port_count_cmp);
	fputs("# HELP portreg_port_sockets Sockets holding a local port (listening, bound, connected or in TIME_WAIT), by transport, family and port.\n"
	      "# TYPE portreg_port_sockets gauge\n", out);
	for (i = 0; i < nrows; i++) {
		fprintf(out, "portreg_port_sockets{proto=\"%s\",family=\"%s\",port=\"%u\",service=\"",
			rows[i].proto, rows[i].family, rows[i].port);
		label_value(out, rows[i].service ? rows[i].service : "");
		fprintf(out, "\"} %lu\n", rows[i].sockets);
	}
out:
	for (i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(rows);
	free(line);
	fclose(in);
	return ret;
}

/*
 * Writes @text to a temporary file beside @path, flushed to disk, then
 * renames it over @path: the collector sees the old file or the new one,
 * never half of one.  Only a regular file is ever replaced.
 */
static int write_atomically(const char *path, const char *text, size_t len)
{
	struct stat st;
	char *tmp;
	int fd, err = 0;

	if (!lstat(path, &st) && !S_ISREG(st.st_mode)) {
		error("%s: not a regular file; not replacing it", path);
		return EXIT_ACCESS;
	}
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		error("out of memory");
		return EXIT_ACCESS;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		error("%s: %s", tmp, strerror(errno));
		free(tmp);
		return EXIT_ACCESS;
	}
	/* The collector reads files world-readable or not at all. */
	if (write(fd, text, len) != (ssize_t)len || fchmod(fd, 0644) || fsync(fd))
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		error("%s: %s", path, strerror(err));
		unlink(tmp);
	}
	free(tmp);
	return err ? EXIT_ACCESS : 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "prometheus", no_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	bool prometheus = false;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int opt, ret;

	optind = 0;
	while ((opt = command_getopt(argc, argv, "o:", options)) != -1) {
		switch (opt) {
		case 'p': prometheus = true; break;
		case 'o': output = optarg; break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!prometheus || optind < argc) {
		if (!prometheus)
			error("export: say which format: --prometheus");
		usage(stderr);
		return EXIT_USAGE;
	}
	/* Everything is read and checked before a byte goes out. */
	mem = open_memstream(&text, &len);
	if (!mem) {
		error("out of memory");
		return EXIT_ACCESS;
	}
	ret = export_stats(mem) || export_claims(mem) ? EXIT_ACCESS : 0;
	if (fclose(mem) || ret) {
		free(text);
		return EXIT_ACCESS;
	}
	if (output) {
		ret = write_atomically(output, text, len);
	} else if (fwrite(text, 1, len, stdout) != len) {
		ret = EXIT_ACCESS;	/* output_end() names the error */
	}
	free(text);
	return ret;
}
