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
/* Where processes are looked up; PORTREG_PROCFS, for the tests. */
const char *procfs_dir = "/proc";
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

	if (stat(proc_dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return;
		errno = ENOTDIR;
	}
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

/* Length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * A JSON string.  The kernel's names are bytes, not text: valid UTF-8 is
 * kept, and any other byte is written as the code point of the same value,
 * so every line stays valid UTF-8 JSON.
 */
void json_string(const char *s)
{
	putchar('"');
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t len = utf8_len((const unsigned char *)s);

		if (len > 1) {
			fwrite(s, 1, len, stdout);
			s += len;
			continue;
		}
		s++;
		if (!len)
			printf("\\u%04x", c);
		else if (c == '"' || c == '\\')
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
 * escape sequences, in C0 or (as UTF-8 or raw bytes) C1 controls, so
 * anything but printable ASCII becomes '?'.
 */
const char *printable(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = c < 0x20 || c >= 0x7f ? '?' : s[i];
	}
	buf[i] = '\0';
	return buf;
}

/*
 * Output is gathered in memory and written only when the command ends
 * well: a file found malformed halfway prints nothing, and a failed write
 * to standard output is an error, not a silent truncation.
 */
static FILE *real_stdout;
static char *output;
static size_t output_len;

void output_begin(void)
{
	FILE *mem = open_memstream(&output, &output_len);

	if (!mem)
		return;
	real_stdout = stdout;
	stdout = mem;
}

/* For a stream that must go out as it comes (binds --follow). */
void output_direct(void)
{
	if (!real_stdout)
		return;
	fclose(stdout);
	free(output);
	output = NULL;
	stdout = real_stdout;
	real_stdout = NULL;
}

int output_end(int ret)
{
	if (real_stdout) {
		fclose(stdout);
		stdout = real_stdout;
		real_stdout = NULL;
		/* Unreadable or malformed input: nothing half-done goes out. */
		if (ret != EXIT_ACCESS && output_len)
			fwrite(output, 1, output_len, stdout);
		free(output);
		output = NULL;
	}
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			error("standard output: %s", strerror(errno));
		return EXIT_ACCESS;
	}
	return ret;
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
 * A span of time in its two largest units, as a person reads it: "850ms",
 * "12.4s", "4m05s", "3h02m", "2d03h".
 */
void format_duration(unsigned long long ns, char *buf, size_t size)
{
	unsigned long long ms = ns / 1000000ULL, s = ms / 1000;

	if (s < 1)
		snprintf(buf, size, "%llums", ms);
	else if (s < 60)
		snprintf(buf, size, "%llu.%llus", s, ms / 100 % 10);
	else if (s < 3600)
		snprintf(buf, size, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lluh%02llum", s / 3600, s / 60 % 60);
	else
		snprintf(buf, size, "%llud%02lluh", s / 86400, s / 3600 % 24);
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
