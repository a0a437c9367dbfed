// SPDX-License-Identifier: GPL-2.0
/*
 * portreg: what is this port, and who took it?  Reads what the portreg
 * kernel module publishes under /proc/portreg: the registries, in the
 * manner of getent(1), and the bind log and claims table, in the manner of
 * bindsnoop and ss.  This file holds the command line, the registry
 * lookups and add/del; binds.c, claims.c, who.c, why.c and stats.c one
 * command each, over recfile.c; sync.c sync, export.c export.  See
 * docs/portreg.8.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "tool.h"

void usage(FILE *out)
{
	fprintf(out,
		"Usage: portreg [--json] services [NAME|PORT[/PROTO]|NAME/PROTO]\n"
		"       portreg [--json] protocols [NAME|NUMBER]\n"
		"       portreg [--json] binds [-p PID] [-P PORT[,PORT...]] [-u UID] [-E] [-t] [-U]\n"
		"                              [-R] [-c PREFIX] [--count] [-f]\n"
		"       portreg [--json] claims [-p PID] [-P PORT[,PORT...]] [-u UID] [-c PREFIX]\n"
		"       portreg [--json] who PORT[/PROTO]\n"
		"       portreg [--json] why PORT[/PROTO]\n"
		"       portreg [--json] history [-c PREFIX] PORT[/PROTO]\n"
		"       portreg [--json] owners [load [FILE]]\n"
		"       portreg [--json] check [-w SECONDS]\n"
		"       portreg [--json] stats\n"
		"       portreg add NAME PORT/PROTO [ALIAS...] [-d DESCRIPTION]\n"
		"       portreg del NAME PORT/PROTO\n"
		"       portreg [--json] sync [-n] [FILE]\n"
		"       portreg export --prometheus [-o FILE]\n"
		"       portreg --help | --version\n"
		"\n"
		"What is this port, and who took it?  Reads what the portreg kernel\n"
		"module publishes in /proc/portreg: IANA's service and protocol\n"
		"registries, the log of every bind, and who holds each port now.\n"
		"\n"
		"  services, protocols  look up the registries, as getent(1) does\n"
		"  binds       the bind log, oldest first, with bindsnoop's columns\n"
		"    -p PID    only this process      -P PORT,...  only these ports\n"
		"    -u UID    only this user         -E, --errors only failed binds\n"
		"    -t        a TIME column          -U           a UID column\n"
		"    -R, --releases  the ends of claims too (RET release)\n"
		"    -c, --cgroup PREFIX  only claimers in the cgroup PREFIX or below\n"
		"    --count   binds per port and result, instead of each bind\n"
		"    -f, --follow  then print new binds as they happen, until ^C\n"
		"  claims      every socket holding a port now, connections and\n"
		"              TIME_WAIT too, and who claimed it (same -p, -P, -u, -c)\n"
		"  who         each socket on PORT: its state, who has it open now,\n"
		"              who claimed it and when, or why nobody can say\n"
		"  why         why the last bind of PORT failed, in one sentence\n"
		"  history     every claim of PORT the log still holds, and who\n"
		"              holds it now: claimer, how, since, until (-c too)\n"
		"  owners      which program each port should be held by; load\n"
		"              makes the kernel's set FILE's (/etc/portreg/owners)\n"
		"  check       port problems, one line each; exit 1 if any: a port\n"
		"              held by other than its expected owner, a service's\n"
		"              port in the ephemeral range, an address short of\n"
		"              ephemeral ports, ports the kernel could not choose\n"
		"    -w, --window SECONDS  autobind failures of the last SECONDS\n"
		"              (default 3600; 0 for the whole log)\n"
		"  stats       the module's counters\n"
		"  add, del    add or remove a service entry (needs CAP_NET_ADMIN)\n"
		"  sync        add every entry of FILE (default /etc/services) that\n"
		"              the table lacks; -n only reports what it would do\n"
		"  export      the counters and claims for Prometheus, to FILE\n"
		"              (written whole, then renamed into place) or stdout\n"
		"\n"
		"  -j, --json     one JSON object per line (JSON Lines)\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show the version\n"
		"Options may also follow the command and its arguments; -- ends them.\n"
		"\n"
		"Exit status: 0 found or done, 1 no match, 2 usage error or module not\n"
		"loaded, 3 a file could not be read or written, or was malformed, 4 the\n"
		"kernel refused a change.  PORTREG_PROC names another directory to read\n"
		"instead of /proc/portreg, PORTREG_PROCFS one instead of /proc.  NO_COLOR\n"
		"turns colour off.\n");
}

static void json_aliases(const struct pr_entry *e)
{
	unsigned int i;

	fputs("\"aliases\":[", stdout);
	for (i = 0; i < e->naliases; i++) {
		if (i)
			putchar(',');
		json_string(e->aliases[i]);
	}
	putchar(']');
}

/*
 * The human layout is the file's own (docs/proc-services.md): name padded
 * to 15, key padded to @key_width when more follows, aliases, description.
 */
static void print_human(const struct pr_entry *e, const char *key,
			size_t key_width)
{
	size_t name_len = strlen(e->name), col;
	unsigned int i;

	printf("%s%s%s%*s %s", colour ? "\033[1m" : "", e->name,
	       colour ? "\033[0m" : "", name_len < 15 ? (int)(15 - name_len) : 0,
	       "", key);
	col = (name_len > 15 ? name_len : 15) + 1 + strlen(key);
	if (e->naliases || *e->description)
		for (; col < 16 + key_width; col++)
			putchar(' ');
	for (i = 0; i < e->naliases; i++)
		printf(" %s", e->aliases[i]);
	if (*e->description)
		printf(" # %s", e->description);
	putchar('\n');
}

static void print_service(const struct pr_entry *e)
{
	char key[32];

	if (!json_output) {
		snprintf(key, sizeof(key), "%u/%s", e->number, e->proto);
		print_human(e, key, 10);
		return;
	}
	fputs("{\"name\":", stdout);
	json_string(e->name);
	printf(",\"port\":%u,\"proto\":\"%s\",", e->number, e->proto);
	json_aliases(e);
	fputs(",\"description\":", stdout);
	json_string(e->description);
	puts("}");
}

static void print_protocol(const struct pr_entry *e)
{
	char key[8];

	if (!json_output) {
		snprintf(key, sizeof(key), "%u", e->number);
		print_human(e, key, 3);
		return;
	}
	printf("{\"number\":%u,\"name\":", e->number);
	json_string(e->name);
	putchar(',');
	json_aliases(e);
	fputs(",\"description\":", stdout);
	json_string(e->description);
	puts("}");
}

static bool entry_has_name(const struct pr_entry *e, const char *name)
{
	unsigned int i;

	if (!strcmp(e->name, name))
		return true;
	for (i = 0; i < e->naliases; i++)
		if (!strcmp(e->aliases[i], name))
			return true;
	return false;
}

/* What a lookup argument asks for; an empty query matches everything. */
struct query {
	const char *name;	/* NULL: by number */
	unsigned int number;
	bool any;
	const char *proto;	/* NULL: every protocol */
};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int parse_query(char *arg, unsigned int max, bool with_proto,
		       struct query *q)
{
	char *slash;

	memset(q, 0, sizeof(*q));
	if (!arg) {
		q->any = true;
		return 0;
	}
	slash = with_proto ? strchr(arg, '/') : NULL;
	if (slash) {
		*slash = '\0';
		q->proto = slash + 1;
		if (strcmp(q->proto, "tcp") && strcmp(q->proto, "udp") &&
		    strcmp(q->proto, "sctp") && strcmp(q->proto, "dccp")) {
			error("%s: unknown protocol (tcp, udp, sctp or dccp)",
			      q->proto);
			return -1;
		}
	}
	if (all_digits(arg)) {
		if (pr_parse_number(arg, max, &q->number)) {
			error("%s: not a number from 0 to %u", arg, max);
			return -1;
		}
		return 0;
	}
	if (!*arg) {
		error("empty name");
		return -1;
	}
	q->name = arg;
	return 0;
}

static bool query_matches(const struct query *q, const struct pr_entry *e)
{
	if (q->any)
		return true;
	if (q->proto && e->proto && strcmp(q->proto, e->proto))
		return false;
	return q->name ? entry_has_name(e, q->name) : e->number == q->number;
}

typedef enum pr_parse_result (*parse_fn)(char *, struct pr_entry *,
					 const char **);

static int lookup(const char *table, parse_fn parse, const struct query *q,
		  void (*print)(const struct pr_entry *))
{
	unsigned long lineno = 0, matches = 0;
	struct pr_entry entry;
	char path[4096];
	char *line = NULL;
	size_t cap = 0;
	const char *why;
	FILE *f;

	f = open_table(table, path, sizeof(path));
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		switch (parse(line, &entry, &why)) {
		case PR_PARSE_SKIP:
			continue;
		case PR_PARSE_ERROR:
			error("%s:%lu: malformed line: %s", path, lineno, why);
			free(line);
			fclose(f);
			return EXIT_ACCESS;
		case PR_PARSE_ENTRY:
			break;
		}
		if (query_matches(q, &entry)) {
			print(&entry);
			matches++;
		}
	}
	if (ferror(f)) {
		error("%s: %s", path, strerror(errno));
		free(line);
		fclose(f);
		return EXIT_ACCESS;
	}
	free(line);
	fclose(f);
	return matches ? 0 : EXIT_NOMATCH;
}

const char *refusal_reason(int err)
{
	switch (err) {
	case EEXIST: return "that entry is already in the table";
	case ENOENT: return "no entry with that name, port and protocol";
	case EINVAL: return "malformed, or a value out of range";
	case E2BIG: return "longer or with more aliases than the kernel accepts";
	case ENOSPC: return "the table is full (module parameter max_user_entries)";
	case EPERM: return "needs CAP_NET_ADMIN";
	case EACCES: return "needs root (or CAP_NET_ADMIN and write access)";
	default: return strerror(err);
	}
}

/*
 * One write() of @cmd to @path.  Returns 0, or -1 with the errno in *err;
 * -2 if the file would not open.
 */
int send_command(const char *path, const char *cmd, int *err)
{
	ssize_t n;
	int fd;

	/* O_TRUNC as fopen("w") had: a no-op on /proc, and the fixtures rely on it. */
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0) {
		*err = errno;
		return -2;
	}
	n = write(fd, cmd, strlen(cmd));
	*err = n >= 0 ? EIO : errno;
	close(fd);
	/* The kernel takes a command whole or not at all. */
	return n == (ssize_t)strlen(cmd) ? 0 : -1;
}

static int send_one(const char *cmd)
{
	char path[4096];
	int err, res;

	table_path("services", path, sizeof(path));
	res = send_command(path, cmd, &err);
	if (res == -2) {
		error("%s: %s: %s", path, strerror(err), refusal_reason(err));
		return EXIT_ACCESS;
	}
	if (res) {
		error("%s: '%.*s': %s: %s", path, (int)strcspn(cmd, "\n"), cmd,
		      strerror(err), refusal_reason(err));
		return err == EPERM || err == EACCES ? EXIT_ACCESS : EXIT_REFUSED;
	}
	return 0;
}

static int cmd_add_del(const char *verb, int argc, char **argv)
{
	const char *description = NULL;
	char cmd[1024];
	size_t len;
	int opt, i;

	optind = 0;
	while ((opt = command_getopt(argc, argv, "d:", NULL)) != -1) {
		if (opt != 'd') {
			usage(stderr);
			return EXIT_USAGE;
		}
		description = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || (!strcmp(verb, "del") && (argc != 2 || description))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	len = (size_t)snprintf(cmd, sizeof(cmd), "%s", verb);
	for (i = 0; i < argc && len < sizeof(cmd); i++) {
		if (strpbrk(argv[i], " \t\n#")) {
			error("'%s': names may not contain blanks or '#'", argv[i]);
			return EXIT_USAGE;
		}
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " %s", argv[i]);
	}
	if (description && len < sizeof(cmd)) {
		if (strchr(description, '\n')) {
			error("the description must be one line");
			return EXIT_USAGE;
		}
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " # %s",
					description);
	}
	if (len + 2 > sizeof(cmd)) {
		error("command too long");
		return EXIT_USAGE;
	}
	strcat(cmd, "\n");
	return send_one(cmd);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{ "binds", cmd_binds }, { "claims", cmd_claims },
		{ "who", cmd_who }, { "why", cmd_why }, { "stats", cmd_stats },
		{ "history", cmd_history }, { "owners", cmd_owners },
		{ "check", cmd_check },
		{ "sync", cmd_sync }, { "export", cmd_export },
	};
	const char *env = getenv("PORTREG_PROC");
	struct query q;
	size_t i;
	char *sub;
	int opt;

	if (env && *env)
		proc_dir = env;
	env = getenv("PORTREG_PROCFS");
	if (env && *env)
		procfs_dir = env;
	while ((opt = getopt_long(argc, argv, "+jhV", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json_output = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("portreg %s\n", PORTREG_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	colour = !json_output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	sub = argv[optind++];

	if (!strcmp(sub, "services") || !strcmp(sub, "protocols")) {
		bool services = sub[0] == 's';
		int base = optind - 1;
		int first = command_operands(argc - base, argv + base, 0, 1);

		if (first < 0)
			return EXIT_USAGE;
		first += base;
		if (parse_query(first < argc ? argv[first] : NULL,
				services ? 65535 : 255, services, &q))
			return EXIT_USAGE;
		output_begin();
		return output_end(services ?
			lookup("services", pr_parse_service, &q, print_service) :
			lookup("protocols", pr_parse_protocol, &q, print_protocol));
	}
	if (!strcmp(sub, "add") || !strcmp(sub, "del"))
		return cmd_add_del(sub, argc - optind + 1, argv + optind - 1);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(sub, commands[i].name)) {
			output_begin();
			return output_end(commands[i].run(argc - optind + 1,
							  argv + optind - 1));
		}
	}

	error("%s: unknown command", sub);
	usage(stderr);
	return EXIT_USAGE;
}
