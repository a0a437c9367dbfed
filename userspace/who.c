// SPDX-License-Identifier: GPL-2.0
/*
 * portreg who PORT[/PROTO]: the sockets holding a port, the processes that
 * have each open now, and who claimed it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recfile.h"
#include "tool.h"

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
		if (c->task.pid < 0) {
			printf("; claimer unknown (%s)\n", pr_kind_name(c->kind));
			continue;
		}
		printf("; claimed by %s%s%s "
		       "(pid %ld, uid %lu) at %s with %s\n", colour ? "\033[1m" : "",
		       printable(c->task.comm, comm, sizeof(comm)),
		       colour ? "\033[0m" : "", c->task.pid, c->task.uid, since,
		       pr_kind_name(c->kind));
	}
	free(claims);
	lines_free(&l);
	if (!found && !json_output)
		error("no claim on %u%s%s (portreg knows the ports taken while "
		      "it was loaded)", f.ports[0], f.proto ? "/" : "",
		      f.proto ? f.proto : "");
	return found ? 0 : EXIT_NOMATCH;
}
