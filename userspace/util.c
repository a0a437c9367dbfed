// SPDX-License-Identifier: GPL-2.0
/*
 * The tool's shared helpers: where the files are, how errors are
 * reported, JSON strings, errno names and times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "parse.h"
#include "tool.h"

const char *proc_dir = "/proc/portreg";
bool json_output;
bool colour;

void error(const char *fmt, ...)
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
void table_path(const char *name, char *path, size_t size)
{
	require_module();
	snprintf(path, size, "%s/%s", proc_dir, name);
}

/* What a reader lacks when a file will not open. */
static const char *open_hint(const char *name, int err)
{
	if (err != EPERM && err != EACCES)
		return "";
	if (!strcmp(name, "binds") || !strcmp(name, "binds_follow") ||
	    !strcmp(name, "claims"))
		return ": reading it needs CAP_NET_ADMIN (run as root), or "
		       "membership of the group the module parameter read_gid names";
	return "";
}

FILE *open_table(const char *name, char *path, size_t size)
{
	FILE *f;
	int err;

	table_path(name, path, size);
	f = fopen(path, "r");
	if (!f) {
		err = errno;
		error("%s: %s%s", path, strerror(err), open_hint(name, err));
		exit(EXIT_ACCESS);
	}
	return f;
}

void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/*
 * @s for a terminal: a process may name itself "x\nfake line" or embed
 * escape sequences, so control bytes become '?'.
 */
const char *printable(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

void json_string_or_null(const char *s)
{
	if (s)
		json_string(s);
	else
		fputs("null", stdout);
}

static const struct {
	int err;
	const char *name;
} errnos[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { ENOBUFS, "ENOBUFS" },
	{ ENOTSOCK, "ENOTSOCK" }, { EPROTOTYPE, "EPROTOTYPE" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
	{ EADDRINUSE, "EADDRINUSE" }, { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
	{ ENETUNREACH, "ENETUNREACH" }, { EISCONN, "EISCONN" },
	{ ENODEV, "ENODEV" }, { EPIPE, "EPIPE" }, { ENOSPC, "ENOSPC" },
	{ EEXIST, "EEXIST" }, { E2BIG, "E2BIG" },
};

/* "EADDRINUSE" for 98; "E123" for what the table lacks. */
const char *errno_name(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* Local time: "23:59:01.123", or with @date "2026-11-25 23:59:01". */
void format_time(unsigned long long ns, bool date, char *buf, size_t size)
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t len;

	if (!localtime_r(&secs, &tm)) {
		snprintf(buf, size, "%llu", ns);
		return;
	}
	len = strftime(buf, size, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
	if (!date && len)
		snprintf(buf + len, size - len, ".%03llu",
			 ns / 1000000ULL % 1000);
}

/*
 * PORT or PORT/PROTO, as who and why take it.  @proto is NULL for any
 * transport.  Returns 0, or prints why not and returns -1.
 */
int parse_port_arg(char *arg, unsigned int *port, const char **proto)
{
	char *slash = strchr(arg, '/');

	*proto = NULL;
	if (slash) {
		*slash = '\0';
		*proto = slash + 1;
		if (strcmp(*proto, "tcp") && strcmp(*proto, "udp") &&
		    strcmp(*proto, "sctp") && strcmp(*proto, "dccp")) {
			error("%s: unknown protocol (tcp, udp, sctp or dccp)",
			      *proto);
			return -1;
		}
	}
	if (pr_parse_number(arg, 65535, port) || !*port) {
		error("%s: not a port number from 1 to 65535", arg);
		return -1;
	}
	return 0;
}
