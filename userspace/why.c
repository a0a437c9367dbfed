// SPDX-License-Identifier: GPL-2.0
/*
 * portreg why PORT[/PROTO]: the most recent failed bind of a port, and why
 * it failed, in one sentence.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recfile.h"
#include "tool.h"

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
	       colour ? "\033[1m" : "",
	       printable(last.task.comm ? last.task.comm : "-", comm, sizeof(comm)),
	       colour ? "\033[0m" : "",
	       last.task.pid, last.task.uid, last.family[3] == '6' ? "[" : "",
	       last.addr, last.family[3] == '6' ? "]" : "",
	       last.requested_port ? last.requested_port : last.port, last.proto,
	       last.service ? " (" : "",
	       last.service ? printable(last.service, service, sizeof(service)) : "",
	       last.service ? ")" : "", pr_kind_name(last.kind), errno_name(err),
	       strerror(err));
	if (err == EADDRINUSE && last.holder.who.pid >= 0)
		printf("%s (pid %ld, uid %lu) held it.\n",
		       printable(last.holder.who.comm, hcomm, sizeof(hcomm)),
		       last.holder.who.pid, last.holder.who.uid);
	else if (err == EADDRINUSE)
		printf("another socket held it (%s).\n",
		       pr_kind_name(last.holder.kind));
	else
		printf("%s.\n", why_text(err));
	lines_free(&l);
	return 0;
}
