// SPDX-License-Identifier: GPL-2.0
/*
 * portreg: what is this port?  Reads the registries the portreg kernel
 * module publishes under /proc/portreg, in the manner of getent(1), and
 * edits the runtime part of the service table.  See docs/portreg.8.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

#define PORTREG_VERSION "0.1.0"

enum {
	EXIT_NOMATCH = 1,	/* a lookup found nothing */
	EXIT_USAGE = 2,		/* bad arguments, or the module is not loaded */
	EXIT_ACCESS = 3,	/* a file could not be read or written, or was malformed */
	EXIT_REFUSED = 4,	/* the kernel refused a change */
};

static const char *proc_dir = "/proc/portreg";
static bool json_output;
static bool colour;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: portreg [--json] services [NAME|PORT[/PROTO]|NAME/PROTO]\n"
		"       portreg [--json] protocols [NAME|NUMBER]\n"
		"       portreg add NAME PORT/PROTO [ALIAS...] [-d DESCRIPTION]\n"
		"       portreg del NAME PORT/PROTO\n"
		"       portreg --help | --version\n"
		"\n"
		"Looks up the IANA service and protocol registries that the portreg\n"
		"kernel module publishes in /proc/portreg, and adds or removes service\n"
		"entries (add and del need CAP_NET_ADMIN).\n"
		"\n"
		"  -j, --json     one JSON object per line (JSON Lines)\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show the version\n"
		"\n"
		"Exit status: 0 found or done, 1 no match, 2 usage error or module not\n"
		"loaded, 3 a file could not be read or written, 4 the kernel refused.\n"
		"PORTREG_PROC names another directory to read instead of /proc/portreg.\n");
}

static void __attribute__((format(printf, 1, 2))) error(const char *fmt, ...)
{
	va_list ap;

	fputs("portreg: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Exits with a clear message when the module's directory is missing. */
static void require_module(void)
{
	struct stat st;

	if (stat(proc_dir, &st) == 0 && S_ISDIR(st.st_mode))
		return;
	if (errno == ENOENT || errno == ENOTDIR) {
		error("%s: not found: the portreg module is not loaded "
		      "(load it with 'sudo modprobe portreg' or "
		      "'sudo insmod portreg.ko')", proc_dir);
		exit(EXIT_USAGE);
	}
	error("%s: %s", proc_dir, strerror(errno));
	exit(EXIT_ACCESS);
}

/* The path of /proc/portreg/NAME, once the module is known to be loaded. */
static void table_path(const char *name, char *path, size_t size)
{
	require_module();
	snprintf(path, size, "%s/%s", proc_dir, name);
}

static FILE *open_table(const char *name, char *path, size_t size)
{
	FILE *f;

	table_path(name, path, size);
	f = fopen(path, "r");
	if (!f) {
		error("%s: %s", path, strerror(errno));
		exit(EXIT_ACCESS);
	}
	return f;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
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

static const char *refusal_reason(int err)
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

static int send_command(const char *cmd)
{
	char path[4096];
	ssize_t n;
	int fd, err;

	table_path("services", path, sizeof(path));
	/* O_TRUNC as fopen("w") had: a no-op on /proc, and the fixtures rely on it. */
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0) {
		err = errno;
		error("%s: %s: %s", path, strerror(err), refusal_reason(err));
		return EXIT_ACCESS;
	}
	n = write(fd, cmd, strlen(cmd));
	err = errno;
	close(fd);
	if (n < 0) {
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

	/* 0, not 1: glibc then forgets the "+" ordering of main's parse. */
	optind = 0;
	while ((opt = getopt(argc, argv, "d:")) != -1) {
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
	return send_command(cmd);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("PORTREG_PROC");
	struct query q;
	char *sub;
	int opt;

	if (env && *env)
		proc_dir = env;
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

		if (argc - optind > 1) {
			usage(stderr);
			return EXIT_USAGE;
		}
		if (parse_query(optind < argc ? argv[optind] : NULL,
				services ? 65535 : 255, services, &q))
			return EXIT_USAGE;
		return services ?
			lookup("services", pr_parse_service, &q, print_service) :
			lookup("protocols", pr_parse_protocol, &q, print_protocol);
	}
	if (!strcmp(sub, "add") || !strcmp(sub, "del"))
		return cmd_add_del(sub, argc - optind + 1, argv + optind - 1);

	error("%s: unknown command", sub);
	usage(stderr);
	return EXIT_USAGE;
}
