// SPDX-License-Identifier: GPL-2.0
/*
 * prtest: the test VM's helper for what busybox cannot do precisely.
 *
 *   prtest write FILE TEXT          one write() of TEXT
 *   prtest write-nocap FILE TEXT    the same, opened without CAP_NET_ADMIN
 *   prtest write-as UID FILE TEXT   the same, opened as UID with no caps
 *   prtest fail-write N FILE TEXT   the same, with the Nth slab allocation
 *                                   of the write() failing (failslab)
 *   prtest fail-load N MODULE.ko [PARAMS]
 *                                   finit_module() with the Nth slab
 *                                   allocation of the load failing
 *   prtest cgroupns CMD [ARGS]      CMD in a cgroup namespace of its own,
 *                                   rooted at the caller's cgroup (busybox's
 *                                   unshare has no -C)
 *   prtest connect-clash ADDR PORT  a TCP connection to ADDR:PORT, then a
 *                                   second socket bound with SO_REUSEADDR
 *                                   to the first's port connects to the
 *                                   same peer: the kernel finds its
 *                                   four-tuple taken.  Prints
 *                                   "connect:ERRNO PORT" (or "ok PORT")
 *   prtest bind0 ADDR               a TCP socket's bind to ADDR port 0:
 *                                   "ok PORT" or "bind:ERRNO"
 *
 * The fail- forms print "injected:" or "clean:" first: whether the Nth
 * allocation came (and failed) during the call, or the call made fewer
 * than N allocations and ran as usual.  A caller counts N up from 1 until
 * it sees "clean:", which reaches every allocation point on the path.
 *
 * TEXT takes the escapes \n \t \\ \0 and \xHH, so a test can send NUL and
 * bytes that are not UTF-8.  It prints the outcome as one word: "ok", or
 * the errno's name with the step that failed ("open:EACCES",
 * "write:EINVAL"), and exits 0 whenever it could run the step at all, so
 * the caller compares words rather than exit codes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EACCES, "EACCES" },
	{ EEXIST, "EEXIST" }, { EINVAL, "EINVAL" }, { E2BIG, "E2BIG" },
	{ ENOSPC, "ENOSPC" }, { ENOMEM, "ENOMEM" }, { EIO, "EIO" },
	{ EFAULT, "EFAULT" }, { EBADF, "EBADF" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EADDRINUSE, "EADDRINUSE" },
};

static const char *errname(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the escapes of @in into a new buffer; returns its length. */
static size_t unescape(const char *in, char **out)
{
	char *buf = malloc(strlen(in) + 1);
	size_t n = 0;

	if (!buf) {
		perror("prtest: malloc");
		exit(2);
	}
	while (*in) {
		if (*in != '\\' || !in[1]) {
			buf[n++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': buf[n++] = '\n'; in++; break;
		case 't': buf[n++] = '\t'; in++; break;
		case '0': buf[n++] = '\0'; in++; break;
		case 'x':
			if (hexval(in[1]) >= 0 && hexval(in[2]) >= 0) {
				buf[n++] = hexval(in[1]) * 16 + hexval(in[2]);
				in += 3;
				break;
			}
			/* fall through */
		default: buf[n++] = *in++; break;
		}
	}
	*out = buf;
	return n;
}

static void drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data)) {
		perror("prtest: capget");
		exit(2);
	}
	data[cap / 32].effective &= ~(1u << (cap % 32));
	data[cap / 32].permitted &= ~(1u << (cap % 32));
	if (syscall(SYS_capset, &hdr, data)) {
		perror("prtest: capset");
		exit(2);
	}
}

/*
 * Systematic fault injection (Documentation/fault-injection): after N is
 * written to the task's fail-nth, its Nth fault-injection point fails;
 * reading it back gives 0 once that happened.  failslab is the only point
 * the debug kernel enables.
 */
static int fail_nth_fd = -1;

static void fail_nth_arm(const char *n)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		perror("prtest: /proc/thread-self/fail-nth");
		exit(2);
	}
	if (write(fail_nth_fd, n, strlen(n)) != (ssize_t)strlen(n)) {
		perror("prtest: /proc/thread-self/fail-nth: write");
		exit(2);
	}
}

/* Prints "injected:" or "clean:" and disarms what is left. */
static void fail_nth_report(void)
{
	char left[32] = "";

	if (pread(fail_nth_fd, left, sizeof(left) - 1, 0) <= 0) {
		perror("prtest: /proc/thread-self/fail-nth: read");
		exit(2);
	}
	printf("%s", atoi(left) == 0 ? "injected:" : "clean:");
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1) {
		perror("prtest: /proc/thread-self/fail-nth: write");
		exit(2);
	}
}

static int do_fail_load(const char *nth, const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long ret;

	if (fd < 0) {
		perror(path);
		return 2;
	}
	fail_nth_arm(nth);
	ret = syscall(SYS_finit_module, fd, params, 0);
	fail_nth_report();
	printf("%s\n", ret ? errname(errno) : "ok");
	close(fd);
	return 0;
}

static int do_write(const char *path, const char *text, const char *nth)
{
	char *buf;
	size_t len = unescape(text, &buf);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return 0;
	}
	if (nth) {
		fail_nth_arm(nth);
		n = write(fd, buf, len);
		fail_nth_report();
	} else {
		n = write(fd, buf, len);
	}
	if (n < 0)
		printf("write:%s\n", errname(errno));
	else if ((size_t)n != len)
		printf("write:short\n");
	else
		printf("ok\n");
	close(fd);
	free(buf);
	return 0;
}

static int do_connect_clash(const char *addr, const char *port)
{
	struct sockaddr_in6 peer6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in peer4 = { .sin_family = AF_INET };
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	struct sockaddr *peer;
	socklen_t peer_len;
	int family, first, second, one = 1;

	if (inet_pton(AF_INET, addr, &peer4.sin_addr) == 1) {
		family = AF_INET;
		peer4.sin_port = htons(atoi(port));
		peer = (struct sockaddr *)&peer4;
		peer_len = sizeof(peer4);
	} else if (inet_pton(AF_INET6, addr, &peer6.sin6_addr) == 1) {
		family = AF_INET6;
		peer6.sin6_port = htons(atoi(port));
		peer = (struct sockaddr *)&peer6;
		peer_len = sizeof(peer6);
	} else {
		fprintf(stderr, "prtest: %s: not an address\n", addr);
		return 2;
	}
	first = socket(family, SOCK_STREAM, 0);
	second = socket(family, SOCK_STREAM, 0);
	if (first < 0 || second < 0 ||
	    setsockopt(first, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    connect(first, peer, peer_len) ||
	    getsockname(first, (struct sockaddr *)&local, &len) ||
	    bind(second, (struct sockaddr *)&local, len)) {
		perror("prtest: connect-clash setup");
		return 2;
	}
	if (connect(second, peer, peer_len))
		printf("connect:%s", errname(errno));
	else
		printf("ok");
	printf(" %u\n", ntohs(family == AF_INET ?
			     ((struct sockaddr_in *)&local)->sin_port :
			     ((struct sockaddr_in6 *)&local)->sin6_port));
	close(second);
	close(first);
	return 0;
}

static int do_bind0(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "prtest: %s: not an IPv4 address\n", addr);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("prtest: socket");
		return 2;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		printf("bind:%s\n", errname(errno));
	else if (!getsockname(fd, (struct sockaddr *)&sin, &len))
		printf("ok %u\n", ntohs(sin.sin_port));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "bind0"))
		return do_bind0(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "connect-clash"))
		return do_connect_clash(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "cgroupns")) {
		if (unshare(CLONE_NEWCGROUP)) {
			perror("prtest: unshare(CLONE_NEWCGROUP)");
			return 2;
		}
		execvp(argv[2], argv + 2);
		perror("prtest: exec");
		return 2;
	}
	if (argc == 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], argv[3], NULL);
	if (argc == 4 && !strcmp(argv[1], "write-nocap")) {
		drop_cap(CAP_NET_ADMIN);
		return do_write(argv[2], argv[3], NULL);
	}
	if (argc == 5 && !strcmp(argv[1], "fail-write"))
		return do_write(argv[3], argv[4], argv[2]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "fail-load"))
		return do_fail_load(argv[2], argv[3], argc == 5 ? argv[4] : "");
	if (argc == 5 && !strcmp(argv[1], "write-as")) {
		int uid = atoi(argv[2]);

		if (setgid(uid) || setuid(uid)) {
			perror("prtest: setuid");
			return 2;
		}
		return do_write(argv[3], argv[4], NULL);
	}
	fprintf(stderr, "usage: prtest write|write-nocap FILE TEXT\n"
			"       prtest write-as UID FILE TEXT\n"
			"       prtest fail-write N FILE TEXT\n"
			"       prtest fail-load N MODULE.ko [PARAMS]\n"
			"       prtest cgroupns CMD [ARGS]\n"
			"       prtest connect-clash ADDR PORT\n"
			"       prtest bind0 ADDR\n");
	return 2;
}
