// SPDX-License-Identifier: GPL-2.0
/*
 * bindtest: the VM's end-to-end test of portreg's bind tracking.  It makes
 * real sockets take real ports and checks what /proc/portreg/binds,
 * claims, binds_follow and stats say about them, field by field, against
 * what the kernel says (getsockname(), fstat(), /proc/net).
 *
 *   bindtest all          every scenario for the default module parameters
 *   bindtest ring N       after a reload with ring_size=N: wrap and drops
 *   bindtest group GID    after a reload with read_gid=GID: the grant works
 *   bindtest storm SECS   children bind and close until SECS have passed,
 *                         while the caller unloads and reloads the module
 *
 * Output: "portreg-vm: ok NAME" or "portreg-vm: not ok NAME: why" lines.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmcheck.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

#define BINDS	"/proc/portreg/binds"
#define FOLLOW	"/proc/portreg/binds_follow"
#define CLAIMS	"/proc/portreg/claims"
#define STATS	"/proc/portreg/stats"
#define NOBODY	65534

enum { B_SEQ, B_TIME, B_NETNS, B_PID, B_TID, B_UID, B_COMM, B_KIND, B_FAMILY,
	B_PROTO, B_ADDR, B_REQ, B_PORT, B_RET, B_OPTS, B_IF, B_SERVICE,
	B_HPID, B_HUID, B_HCOMM, B_NFIELDS };
enum { C_PROTO, C_FAMILY, C_ADDR, C_PORT, C_NETNS, C_PID, C_UID, C_COMM,
	C_SINCE, C_KIND, C_OPTS, C_IF, C_INODE, C_SERVICE, C_NFIELDS };

#define MAX_FIELDS 24
#define MAX_RECORDS 20000

struct record {
	int n;
	char *f[MAX_FIELDS];
};

struct table {
	char *text;
	int nrec;
	struct record *rec;
	bool unavailable;
};

static void die(const char *what)
{
	printf("portreg-vm: not ok bindtest: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *slurp(const char *path, int *err)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	*err = 0;
	if (fd < 0) {
		*err = errno;
		free(buf);
		return NULL;
	}
	for (;;) {
		if (len + 4096 > cap)
			buf = realloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			*err = errno;
			close(fd);
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Splits a /proc/portreg record file; the first line is the header. */
static bool load(struct table *t, const char *path, int nfields)
{
	char *line, *save, *tok, *tsave;
	int err;

	memset(t, 0, sizeof(*t));
	t->text = slurp(path, &err);
	if (!t->text) {
		errno = err;
		return false;
	}
	t->rec = calloc(MAX_RECORDS, sizeof(*t->rec));
	line = strtok_r(t->text, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save)) && t->nrec < MAX_RECORDS) {
		struct record *r = &t->rec[t->nrec];

		if (line[0] == '#') {
			t->unavailable = true;
			continue;
		}
		for (tok = strtok_r(line, " ", &tsave); tok && r->n < MAX_FIELDS;
		     tok = strtok_r(NULL, " ", &tsave))
			r->f[r->n++] = tok;
		if (r->n != nfields) {
			result(false, "record has the documented field count",
			       "%s: %d fields", path, r->n);
			continue;
		}
		t->nrec++;
	}
	return true;
}

static void unload(struct table *t)
{
	free(t->text);
	free(t->rec);
}

static long num(const char *s)
{
	return strtol(s, NULL, 10);
}

static unsigned long own_netns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		die("stat /proc/self/ns/net");
	return st.st_ino;
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS lo");
	close(fd);
}

struct sa {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	};
	socklen_t len;
};

static struct sa mkaddr(int family, const char *addr, int port)
{
	struct sa a;

	memset(&a, 0, sizeof(a));
	if (family == AF_INET) {
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons(port);
		inet_pton(AF_INET, addr, &a.in.sin_addr);
		a.len = sizeof(a.in);
	} else {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a.in6.sin6_addr);
		a.len = sizeof(a.in6);
	}
	return a;
}

static int local_port(int fd)
{
	struct sa a = { .len = sizeof(a.in6) };

	if (getsockname(fd, &a.sa, &a.len))
		die("getsockname");
	return ntohs(a.sa.sa_family == AF_INET ? a.in.sin_port :
						 a.in6.sin6_port);
}

static unsigned long inode_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat");
	return st.st_ino;
}

static int sock(int family, int type)
{
	int fd = socket(family, type, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

static int setint(int fd, int level, int opt)
{
	int one = 1;

	return setsockopt(fd, level, opt, &one, sizeof(one));
}

static const char *fam(int family)
{
	return family == AF_INET ? "ipv4" : "ipv6";
}

static const char *proto(int type)
{
	return type == SOCK_STREAM ? "tcp" : "udp";
}

/* The last event of @pid on @port (requested or bound), or NULL. */
static struct record *find_event(struct table *t, pid_t pid, int port,
				 const char *kind)
{
	int i;

	for (i = t->nrec - 1; i >= 0; i--) {
		struct record *r = &t->rec[i];

		if (num(r->f[B_PID]) == pid && !strcmp(r->f[B_KIND], kind) &&
		    (num(r->f[B_PORT]) == port || num(r->f[B_REQ]) == port))
			return r;
	}
	return NULL;
}

static int count_claims(struct table *t, const char *prot, int port,
			pid_t pid)
{
	int i, n = 0;

	for (i = 0; i < t->nrec; i++) {
		struct record *r = &t->rec[i];

		if (!strcmp(r->f[C_PROTO], prot) && num(r->f[C_PORT]) == port &&
		    (!pid || num(r->f[C_PID]) == pid))
			n++;
	}
	return n;
}

static struct record *find_claim(struct table *t, unsigned long ino)
{
	int i;

	for (i = 0; i < t->nrec; i++)
		if (strtoul(t->rec[i].f[C_INODE], NULL, 10) == ino)
			return &t->rec[i];
	return NULL;
}

/* The first name /proc/portreg/services gives @port/@prot, or "-". */
static const char *registry_name(int port, const char *prot)
{
	static char name[128];
	char key[32], line[1024];
	FILE *f = fopen("/proc/portreg/services", "r");

	snprintf(key, sizeof(key), "%d/%s", port, prot);
	strcpy(name, "-");
	if (!f)
		return name;
	while (fgets(line, sizeof(line), f)) {
		char n[128], k[32];

		if (line[0] != '#' && sscanf(line, "%127s %31s", n, k) == 2 &&
		    !strcmp(k, key)) {
			strcpy(name, n);
			break;
		}
	}
	fclose(f);
	return name;
}

static char *label(const char *fmt, ...)
{
	static char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/* Checks an event's fields against what the kernel says of @fd. */
static void check_event(const char *name, struct record *r, int family,
			int type, const char *kind, const char *addr, int req,
			int port, int ret, const char *opts)
{
	char want[512], got[512];

	if (!r) {
		result(false, name, "no event");
		return;
	}
	snprintf(want, sizeof(want), "%d %d 0 bindtest %s %s %s %s %d %d %d %s %s %lu",
		 getpid(), getpid(), kind, fam(family), proto(type), addr, req,
		 port, ret, opts, registry_name(port ?: req, proto(type)),
		 own_netns());
	snprintf(got, sizeof(got), "%s %s %s %s %s %s %s %s %s %s %s %s %s %s",
		 r->f[B_PID], r->f[B_TID], r->f[B_UID], r->f[B_COMM],
		 r->f[B_KIND], r->f[B_FAMILY], r->f[B_PROTO], r->f[B_ADDR],
		 r->f[B_REQ], r->f[B_PORT], r->f[B_RET], r->f[B_OPTS],
		 r->f[B_SERVICE], r->f[B_NETNS]);
	result(!strcmp(want, got), name, "want '%s' got '%s'", want, got);
}

static void check_claim(const char *name, int fd, int family, int type,
			const char *addr, int port, const char *kind)
{
	struct table c;
	struct record *r;
	char want[256], got[256];

	if (!load(&c, CLAIMS, C_NFIELDS))
		die("read claims");
	r = find_claim(&c, inode_of(fd));
	if (!r) {
		result(false, name, "no claim for inode %lu", inode_of(fd));
		unload(&c);
		return;
	}
	snprintf(want, sizeof(want), "%s %s %s %d %lu %d 0 bindtest %s %s",
		 proto(type), fam(family), addr, port, own_netns(), getpid(),
		 kind, registry_name(port, proto(type)));
	snprintf(got, sizeof(got), "%s %s %s %s %s %s %s %s %s %s",
		 r->f[C_PROTO], r->f[C_FAMILY], r->f[C_ADDR], r->f[C_PORT],
		 r->f[C_NETNS], r->f[C_PID], r->f[C_UID], r->f[C_COMM],
		 r->f[C_KIND], r->f[C_SERVICE]);
	result(!strcmp(want, got), name, "want '%s' got '%s'", want, got);
	unload(&c);
}

static bool claimed(int fd_ino, bool *err)
{
	struct table c;
	bool found;

	*err = !load(&c, CLAIMS, C_NFIELDS);
	if (*err)
		return false;
	found = find_claim(&c, fd_ino);
	unload(&c);
	return found;
}

static void check_released(const char *name, unsigned long ino)
{
	bool err;

	result(!claimed(ino, &err) && !err, name, "inode %lu still claimed",
	       ino);
}

/* bind() on an explicit port and on port 0, each transport and family. */
static void scenario_explicit(int family, int type, int port)
{
	const char *addr = family == AF_INET ? "127.0.0.1" : "::1";
	struct sa a = mkaddr(family, addr, port);
	const char *what = label("%s%s", proto(type),
				 family == AF_INET ? "4" : "6");
	char name[128];
	struct table t;
	unsigned long ino;
	int fd = sock(family, type);

	if (bind(fd, &a.sa, a.len))
		die("bind");
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	snprintf(name, sizeof(name), "%s bind to port %d is logged", what,
		 port);
	check_event(name, find_event(&t, getpid(), port, "bind"), family,
		    type, "bind", addr, port, port, 0, ".....");
	unload(&t);
	snprintf(name, sizeof(name), "%s port %d is claimed with its inode",
		 what, port);
	check_claim(name, fd, family, type, addr, port, "bind");
	ino = inode_of(fd);
	close(fd);
	snprintf(name, sizeof(name), "%s close releases the claim", what);
	check_released(name, ino);

	/* Port 0: the event resolves the port the kernel chose. */
	fd = sock(family, type);
	a = mkaddr(family, addr, 0);
	if (bind(fd, &a.sa, a.len))
		die("bind port 0");
	port = local_port(fd);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	snprintf(name, sizeof(name), "%s bind to port 0 logs the port chosen",
		 what);
	check_event(name, find_event(&t, getpid(), port, "bind"), family,
		    type, "bind", addr, 0, port, 0, ".....");
	unload(&t);
	snprintf(name, sizeof(name), "%s port 0 claim names the port chosen",
		 what);
	check_claim(name, fd, family, type, addr, port, "bind");
	close(fd);
}

/* listen() without bind(), and UDP's first sendto() and connect(). */
static void scenario_autobind(int family)
{
	const char *any = family == AF_INET ? "0.0.0.0" : "::";
	const char *lo = family == AF_INET ? "127.0.0.1" : "::1";
	struct sa dst = mkaddr(family, lo, 9);
	struct table t;
	int fd, port;

	fd = sock(family, SOCK_STREAM);
	if (listen(fd, 4))
		die("listen");
	port = local_port(fd);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	check_event(label("tcp%c listen autobind is logged", family == AF_INET ? '4' : '6'),
		    find_event(&t, getpid(), port, "listen"), family,
		    SOCK_STREAM, "listen", any, 0, port, 0, ".....");
	unload(&t);
	check_claim(label("tcp%c listen autobind is claimed", family == AF_INET ? '4' : '6'),
		    fd, family, SOCK_STREAM, any, port, "listen");
	close(fd);

	fd = sock(family, SOCK_DGRAM);
	if (sendto(fd, "x", 1, 0, &dst.sa, dst.len) != 1)
		die("sendto");
	port = local_port(fd);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	check_event(label("udp%c autobind on sendto is logged", family == AF_INET ? '4' : '6'),
		    find_event(&t, getpid(), port, "autobind"), family,
		    SOCK_DGRAM, "autobind", any, 0, port, 0, ".....");
	unload(&t);
	check_claim(label("udp%c autobind on sendto is claimed", family == AF_INET ? '4' : '6'),
		    fd, family, SOCK_DGRAM, any, port, "autobind");
	close(fd);

	fd = sock(family, SOCK_DGRAM);
	if (connect(fd, &dst.sa, dst.len))
		die("connect");
	port = local_port(fd);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	check_event(label("udp%c autobind on connect is logged", family == AF_INET ? '4' : '6'),
		    find_event(&t, getpid(), port, "autobind"), family,
		    SOCK_DGRAM, "autobind", any, 0, port, 0, ".....");
	unload(&t);
	close(fd);
}

/* A release the kernel may finish a moment later (MPTCP's subflows). */
static void check_released_soon(const char *name, unsigned long ino)
{
	struct timespec pause = { .tv_nsec = 20 * 1000 * 1000 };
	bool err = false;
	int i;

	for (i = 0; i < 50 && claimed(ino, &err) && !err; i++)
		nanosleep(&pause, NULL);
	check_released(name, ino);
}

/*
 * MPTCP: bind() on an explicit port and on port 0, and listen() without
 * bind().  The port is the first subflow's, a TCP socket the kernel makes
 * for the MPTCP one (which it binds through inet_bind_sk() directly from
 * 6.3 on, past inet_bind()); that subflow carries the MPTCP socket's
 * inode, so the claim names the file the process holds.
 */
static void scenario_mptcp(int family, int port)
{
	const char *addr = family == AF_INET ? "127.0.0.1" : "::1";
	const char *any = family == AF_INET ? "0.0.0.0" : "::";
	char v = family == AF_INET ? '4' : '6';
	struct sa a = mkaddr(family, addr, port);
	unsigned long ino;
	struct table t;
	int fd;

	fd = socket(family, SOCK_STREAM, IPPROTO_MPTCP);
	if (fd < 0) {
		result(false, label("mptcp%c socket", v), "%s", strerror(errno));
		return;
	}
	if (bind(fd, &a.sa, a.len))
		die("mptcp bind");
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	check_event(label("mptcp%c bind to port %d is logged", v, port),
		    find_event(&t, getpid(), port, "bind"), family,
		    SOCK_STREAM, "bind", addr, port, port, 0, ".....");
	unload(&t);
	check_claim(label("mptcp%c port %d is claimed with its inode", v, port),
		    fd, family, SOCK_STREAM, addr, port, "bind");
	ino = inode_of(fd);
	close(fd);
	check_released_soon(label("mptcp%c close releases the claim", v), ino);

	fd = socket(family, SOCK_STREAM, IPPROTO_MPTCP);
	a = mkaddr(family, addr, 0);
	if (fd < 0 || bind(fd, &a.sa, a.len))
		die("mptcp bind port 0");
	port = local_port(fd);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	check_event(label("mptcp%c bind to port 0 logs the port chosen", v),
		    find_event(&t, getpid(), port, "bind"), family,
		    SOCK_STREAM, "bind", addr, 0, port, 0, ".....");
	unload(&t);
	check_claim(label("mptcp%c port 0 claim names the port chosen", v),
		    fd, family, SOCK_STREAM, addr, port, "bind");
	close(fd);

	fd = socket(family, SOCK_STREAM, IPPROTO_MPTCP);
	if (fd < 0 || listen(fd, 4))
		die("mptcp listen");
	port = local_port(fd);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	check_event(label("mptcp%c listen autobind is logged", v),
		    find_event(&t, getpid(), port, "listen"), family,
		    SOCK_STREAM, "listen", any, 0, port, 0, ".....");
	unload(&t);
	check_claim(label("mptcp%c listen autobind is claimed", v), fd, family,
		    SOCK_STREAM, any, port, "listen");
	ino = inode_of(fd);
	close(fd);
	check_released_soon(label("mptcp%c listener close releases the claim", v),
			    ino);
}

/* The options that change bind(2), and the bound device. */
static void scenario_options(void)
{
	struct sa a = mkaddr(AF_INET, "192.0.2.1", 7001);
	struct table t;
	struct record *r;
	int fd = sock(AF_INET, SOCK_STREAM);

	if (setint(fd, SOL_SOCKET, SO_REUSEADDR) ||
	    setint(fd, SOL_IP, IP_FREEBIND) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3))
		die("setsockopt");
	if (bind(fd, &a.sa, a.len))
		die("bind freebind");
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	r = find_event(&t, getpid(), 7001, "bind");
	check_event("IP_FREEBIND and SO_REUSEADDR show as F..R.", r, AF_INET,
		    SOCK_STREAM, "bind", "192.0.2.1", 7001, 7001, 0, "F..R.");
	result(r && !strcmp(r->f[B_IF], "lo"), "SO_BINDTODEVICE shows the device",
	       "IF is '%s'", r ? r->f[B_IF] : "(no event)");
	unload(&t);
	close(fd);

	fd = sock(AF_INET, SOCK_DGRAM);
	a = mkaddr(AF_INET, "127.0.0.1", 0);
	if (setint(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT) ||
	    setint(fd, SOL_SOCKET, SO_REUSEPORT))
		die("setsockopt no_port");
	if (bind(fd, &a.sa, a.len))
		die("bind no_port");
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	r = find_event(&t, getpid(), 0, "bind");
	check_event("IP_BIND_ADDRESS_NO_PORT binds no port yet", r, AF_INET,
		    SOCK_DGRAM, "bind", "127.0.0.1", 0, 0, 0, "..N.r");
	unload(&t);
	bool err;

	result(!claimed(inode_of(fd), &err) && !err,
	       "a bind that took no port makes no claim", "claimed");
	close(fd);
}

/* Runs @fn in a child; returns its exit status. */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int child_conflict(void *arg)
{
	struct sa a = mkaddr(AF_INET, "127.0.0.1", *(int *)arg);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	prctl(PR_SET_NAME, "intruder");
	if (bind(fd, &a.sa, a.len) == 0)
		return 1;
	printf("child %d: %s\n", getpid(), strerror(errno));
	return errno == EADDRINUSE ? 0 : 2;
}

static void scenario_conflict(void)
{
	int port = 7002, fd = sock(AF_INET, SOCK_STREAM);
	struct sa a = mkaddr(AF_INET, "127.0.0.1", port);
	struct table t;
	struct record *r = NULL;
	int i;

	if (bind(fd, &a.sa, a.len) || listen(fd, 4))
		die("bind holder");
	result(in_child(child_conflict, &port) == 0,
	       "second bind fails with EADDRINUSE", "it did not");
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	for (i = t.nrec - 1; i >= 0 && !r; i--)
		if (!strcmp(t.rec[i].f[B_COMM], "intruder") &&
		    num(t.rec[i].f[B_REQ]) == port)
			r = &t.rec[i];
	result(r && num(r->f[B_RET]) == -EADDRINUSE,
	       "the conflict is logged with -EADDRINUSE", "RET %s",
	       r ? r->f[B_RET] : "(no event)");
	result(r && num(r->f[B_HPID]) == getpid() &&
	       !strcmp(r->f[B_HCOMM], "bindtest") && !strcmp(r->f[B_HUID], "0"),
	       "the conflict names the holder", "holder '%s %s %s', want %d 0 bindtest",
	       r ? r->f[B_HPID] : "-", r ? r->f[B_HUID] : "-",
	       r ? r->f[B_HCOMM] : "-", getpid());
	unload(&t);
	close(fd);
}

struct holder_arg {
	int port;
	int ready[2];
	int go[2];
	unsigned long inos[3];
};

/* Binds a SO_REUSEPORT UDP socket and two more, then waits to exit. */
static int child_holder(void *arg)
{
	struct holder_arg *h = arg;
	struct sa a = mkaddr(AF_INET, "0.0.0.0", h->port);
	struct sa b = mkaddr(AF_INET6, "::", h->port + 1);
	int fds[3], i;
	char c;

	prctl(PR_SET_NAME, "holder");
	fds[0] = socket(AF_INET, SOCK_DGRAM, 0);
	fds[1] = socket(AF_INET6, SOCK_STREAM, 0);
	fds[2] = socket(AF_INET, SOCK_STREAM, 0);
	if (setint(fds[0], SOL_SOCKET, SO_REUSEPORT) ||
	    bind(fds[0], &a.sa, a.len) || bind(fds[1], &b.sa, b.len) ||
	    listen(fds[2], 1))
		return 1;
	for (i = 0; i < 3; i++)
		h->inos[i] = inode_of(fds[i]);
	if (write(h->ready[1], h->inos, sizeof(h->inos)) != sizeof(h->inos) ||
	    read(h->go[0], &c, 1) != 1)
		return 1;
	return 0;	/* exit, not close: the kernel releases them */
}

static void scenario_reuseport_and_exit(void)
{
	struct holder_arg h = { .port = 7004 };
	struct sa a = mkaddr(AF_INET, "0.0.0.0", h.port);
	struct table c;
	pid_t pid;
	int fd, status, i, n;

	if (pipe(h.ready) || pipe(h.go))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(child_holder(&h));
	if (read(h.ready[0], h.inos, sizeof(h.inos)) != sizeof(h.inos))
		die("holder child");
	fd = sock(AF_INET, SOCK_DGRAM);
	if (setint(fd, SOL_SOCKET, SO_REUSEPORT) || bind(fd, &a.sa, a.len))
		die("reuseport bind");
	if (!load(&c, CLAIMS, C_NFIELDS))
		die("read claims");
	n = count_claims(&c, "udp", h.port, 0);
	result(n == 2 && count_claims(&c, "udp", h.port, pid) == 1 &&
	       count_claims(&c, "udp", h.port, getpid()) == 1,
	       "SO_REUSEPORT group lists both holders", "%d claims", n);
	for (i = 0, n = 0; i < c.nrec; i++)
		if (num(c.rec[i].f[C_PORT]) == h.port &&
		    strchr(c.rec[i].f[C_OPTS], 'r'))
			n++;
	result(n == 2, "both SO_REUSEPORT claims show r", "%d do", n);
	n = 0;
	for (i = 0; i < 3; i++)
		n += !!find_claim(&c, h.inos[i]);
	result(n == 3, "the child's three sockets are claimed", "%d are", n);
	unload(&c);

	if (write(h.go[1], "x", 1) != 1 || waitpid(pid, &status, 0) < 0)
		die("holder exit");
	if (!load(&c, CLAIMS, C_NFIELDS))
		die("read claims");
	n = 0;
	for (i = 0; i < c.nrec; i++)
		n += num(c.rec[i].f[C_PID]) == pid;
	result(n == 0, "the holder's exit releases all of its claims",
	       "%d left", n);
	result(find_claim(&c, inode_of(fd)),
	       "the other member of the group keeps its claim", "gone");
	unload(&c);
	close(fd);
}

static int child_eacces(void *arg)
{
	(void)arg;
	struct sa a = mkaddr(AF_INET, "0.0.0.0", 80);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (setgid(NOBODY) || setuid(NOBODY))
		return 3;
	if (bind(fd, &a.sa, a.len) == 0)
		return 1;
	return errno == EACCES ? 0 : 2;
}

static int child_reader(void *arg)
{
	const char *files[] = { BINDS, CLAIMS, FOLLOW };
	int i, fd;

	(void)arg;
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 3;
	for (i = 0; i < 3; i++) {
		fd = open(files[i], O_RDONLY);
		if (fd >= 0 || errno != EPERM) {
			printf("%s: %s\n", files[i], fd >= 0 ? "opened" : strerror(errno));
			return 1;
		}
	}
	fd = open(STATS, O_RDONLY);
	return fd >= 0 ? 0 : 2;
}

static void scenario_privilege(void)
{
	struct table t;
	struct record *r = NULL;
	int i, st;

	result(in_child(child_eacces, NULL) == 0,
	       "unprivileged bind to port 80 fails with EACCES", "it did not");
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	for (i = t.nrec - 1; i >= 0 && !r; i--)
		if (num(t.rec[i].f[B_UID]) == NOBODY &&
		    num(t.rec[i].f[B_REQ]) == 80)
			r = &t.rec[i];
	result(r && num(r->f[B_RET]) == -EACCES &&
	       !strcmp(r->f[B_SERVICE], registry_name(80, "tcp")),
	       "the EACCES is logged with uid and service",
	       "event '%s %s'", r ? r->f[B_RET] : "-", r ? r->f[B_SERVICE] : "-");
	unload(&t);
	st = in_child(child_reader, NULL);
	result(st == 0,
	       "an unprivileged reader is denied binds, claims and binds_follow, not stats",
	       "status %d", st);
}

static int child_group(void *arg)
{
	gid_t gid = *(gid_t *)arg;
	struct table t;

	if (setgroups(1, &gid) || setgid(NOBODY) || setuid(NOBODY))
		return 3;
	if (!load(&t, BINDS, B_NFIELDS))
		return 1;
	unload(&t);
	return load(&t, CLAIMS, C_NFIELDS) ? 0 : 2;
}

static int child_other_group(void *arg)
{
	gid_t gid = *(gid_t *)arg + 1;
	int fd;

	if (setgroups(1, &gid) || setgid(NOBODY) || setuid(NOBODY))
		return 3;
	fd = open(BINDS, O_RDONLY);
	return fd < 0 && errno == EPERM ? 0 : 1;
}

struct netns_arg {
	int port;
	int report[2];
};

/* In a new network namespace: bind, then read what portreg shows. */
static int child_netns(void *arg)
{
	struct netns_arg *n = arg;
	struct sa a = mkaddr(AF_INET, "127.0.0.1", n->port);
	unsigned long ns;
	struct table t;
	int fd, i, foreign = 0, mine = 0;
	char msg[128];

	if (unshare(CLONE_NEWNET))
		return 3;
	lo_up();
	ns = own_netns();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(fd, &a.sa, a.len))
		return 4;
	if (!load(&t, BINDS, B_NFIELDS))
		return 5;
	for (i = 0; i < t.nrec; i++) {
		foreign += strtoul(t.rec[i].f[B_NETNS], NULL, 10) != ns;
		mine += num(t.rec[i].f[B_PID]) == getpid();
	}
	unload(&t);
	if (!load(&t, CLAIMS, C_NFIELDS))
		return 6;
	for (i = 0; i < t.nrec; i++)
		foreign += strtoul(t.rec[i].f[C_NETNS], NULL, 10) != ns;
	mine += t.nrec;
	unload(&t);
	snprintf(msg, sizeof(msg), "%lu %d %d", ns, foreign, mine);
	if (write(n->report[1], msg, strlen(msg) + 1) < 0)
		return 7;
	return 0;
}

static void scenario_netns(void)
{
	struct netns_arg n = { .port = 7010 };
	unsigned long ns = 0;
	int foreign = -1, mine = -1, st, i, seen = 0;
	char msg[128] = "";
	struct table t;

	if (pipe(n.report))
		die("pipe");
	st = in_child(child_netns, &n);
	if (st == 0 && read(n.report[0], msg, sizeof(msg)) > 0)
		sscanf(msg, "%lu %d %d", &ns, &foreign, &mine);
	result(st == 0 && foreign == 0,
	       "a reader in another netns sees only its own records",
	       "status %d, %d foreign records", st, foreign);
	result(mine == 2, "it sees its own bind and claim", "%d records", mine);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	for (i = 0; i < t.nrec; i++)
		seen += strtoul(t.rec[i].f[B_NETNS], NULL, 10) == ns &&
			num(t.rec[i].f[B_PORT]) == n.port;
	unload(&t);
	result(ns && ns != own_netns() && seen == 1,
	       "the initial netns sees the other netns's bind with its netns id",
	       "seen %d times", seen);
	close(n.report[0]);
	close(n.report[1]);
}

/*
 * The claims table against the kernel's own tables.  Every socket in
 * /proc/net/{tcp,udp}{,6} that holds a port by bind or listen (not an
 * accepted or connect()ed one, and not TIME_WAIT) must be claimed, with
 * the same transport, family and port.  Every claim must be a socket
 * there, except a TCP socket that is bound but neither listening nor
 * connected: 6.1 keeps those only in its bind hash, which /proc/net/tcp
 * does not show, so that one is checked against getsockname() instead.
 */
static int proc_net_check(const char *file, const char *prot, int family,
			  struct table *c, int *missing)
{
	char line[512];
	FILE *f = fopen(file, "r");
	int checked = 0;

	if (!f)
		die(file);
	if (!fgets(line, sizeof(line), f))
		die(file);
	while (fgets(line, sizeof(line), f)) {
		unsigned int port, state;
		unsigned long ino;
		char local[64], remote[64];
		struct record *r;

		if (sscanf(line, "%*d: %63[0-9A-Fa-f]:%x %63s %x %*s %*s %*s %*d %*d %lu",
			   local, &port, remote, &state, &ino) != 5 || !ino)
			continue;
		/* tcp: 0A is LISTEN, 07 CLOSE (bound, not connected) */
		if (!strcmp(prot, "tcp") && state != 0x0A && state != 0x07)
			continue;
		checked++;
		r = find_claim(c, ino);
		if (!r || strcmp(r->f[C_PROTO], prot) ||
		    strcmp(r->f[C_FAMILY], fam(family)) ||
		    num(r->f[C_PORT]) != (long)port) {
			printf("unclaimed or different: %s %s", file, line);
			(*missing)++;
		}
	}
	fclose(f);
	return checked;
}

static bool in_proc_net(const char *prot, const char *family,
			const char *inode)
{
	char path[64], pat[32], *text;
	bool found;
	int err;

	snprintf(path, sizeof(path), "/proc/net/%s%s", prot,
		 strcmp(family, "ipv6") ? "" : "6");
	snprintf(pat, sizeof(pat), " %s ", inode);
	text = slurp(path, &err);
	found = text && strstr(text, pat);
	free(text);
	return found;
}

static void scenario_proc_net(void)
{
	int fds[8], n = 0, i, missing = 0, checked = 0, extra = 0, bound_only;
	unsigned long bound_ino;
	struct record *r;
	struct sa a;
	struct table c;

	a = mkaddr(AF_INET, "0.0.0.0", 7020);
	fds[n] = sock(AF_INET, SOCK_STREAM);
	if (bind(fds[n], &a.sa, a.len) || listen(fds[n++], 1))
		die("bind");
	fds[n] = sock(AF_INET6, SOCK_STREAM);
	if (listen(fds[n++], 1))
		die("listen");
	a = mkaddr(AF_INET, "127.0.0.1", 7021);
	fds[n] = sock(AF_INET, SOCK_DGRAM);
	if (bind(fds[n++], &a.sa, a.len))
		die("bind");
	a = mkaddr(AF_INET6, "::1", 7022);
	fds[n] = sock(AF_INET6, SOCK_DGRAM);
	if (bind(fds[n++], &a.sa, a.len))
		die("bind");
	a = mkaddr(AF_INET, "127.0.0.1", 7023);
	bound_only = sock(AF_INET, SOCK_STREAM);
	if (bind(bound_only, &a.sa, a.len))
		die("bind");
	bound_ino = inode_of(bound_only);

	if (!load(&c, CLAIMS, C_NFIELDS))
		die("read claims");
	checked += proc_net_check("/proc/net/tcp", "tcp", AF_INET, &c, &missing);
	checked += proc_net_check("/proc/net/tcp6", "tcp", AF_INET6, &c, &missing);
	checked += proc_net_check("/proc/net/udp", "udp", AF_INET, &c, &missing);
	checked += proc_net_check("/proc/net/udp6", "udp", AF_INET6, &c, &missing);
	result(checked >= n && !missing,
	       "every bound or listening socket in /proc/net is claimed",
	       "%d of %d missing, want at least %d", missing, checked, n);
	for (i = 0; i < c.nrec; i++) {
		r = &c.rec[i];
		if (strtoul(r->f[C_NETNS], NULL, 10) != own_netns() ||
		    strtoul(r->f[C_INODE], NULL, 10) == bound_ino ||
		    in_proc_net(r->f[C_PROTO], r->f[C_FAMILY], r->f[C_INODE]))
			continue;
		printf("claim without a socket: %s %s inode %s\n",
		       r->f[C_PROTO], r->f[C_PORT], r->f[C_INODE]);
		extra++;
	}
	result(c.nrec >= n && !extra, "every claim is a socket in /proc/net",
	       "%d claims without a socket", extra);
	r = find_claim(&c, bound_ino);
	result(r && num(r->f[C_PORT]) == local_port(bound_only) &&
	       !in_proc_net("tcp", "ipv4", r->f[C_INODE]),
	       "a bound-only TCP socket, which /proc/net/tcp omits, is claimed",
	       "claim %s", r ? r->f[C_PORT] : "missing");
	unload(&c);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(bound_only);
}

static void scenario_follow(void)
{
	int fd = open(FOLLOW, O_RDONLY | O_NONBLOCK);
	char buf[65536];
	ssize_t got;
	int n = 0, port, s;
	pid_t pid;

	if (fd < 0)
		die("open binds_follow");
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		n++;
	result(got < 0 && errno == EAGAIN && n > 0,
	       "binds_follow gives the history, then EAGAIN when non-blocking",
	       "read %zd (%s) after %d reads", got, strerror(errno), n);
	s = sock(AF_INET, SOCK_DGRAM);
	struct sa a = mkaddr(AF_INET, "127.0.0.1", 7030);

	if (bind(s, &a.sa, a.len))
		die("bind");
	got = read(fd, buf, sizeof(buf) - 1);
	buf[got > 0 ? got : 0] = '\0';
	result(got > 0 && strstr(buf, " 7030 7030 0 "),
	       "binds_follow returns the new event", "got '%s'", buf);
	close(s);
	close(fd);

	/* Blocking: the read waits until a child binds, then returns. */
	fd = open(FOLLOW, O_RDONLY);
	while ((got = read(fd, buf, sizeof(buf))) > 0 &&
	       !strstr(buf, " 7030 7030 0 "))
		;
	pid = fork();
	if (pid == 0) {
		usleep(300000);
		s = socket(AF_INET, SOCK_STREAM, 0);
		a = mkaddr(AF_INET, "127.0.0.1", 7031);
		_exit(bind(s, &a.sa, a.len) ? 1 : 0);
	}
	alarm(10);
	port = 0;
	while ((got = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[got] = '\0';
		if (strstr(buf, " 7031 7031 0 ")) {
			port = 7031;
			break;
		}
	}
	alarm(0);
	waitpid(pid, NULL, 0);
	result(port == 7031, "a blocked binds_follow read wakes for a new bind",
	       "read returned %zd", got);
	close(fd);
}

/* A stats value, or ~0 if stats could not be read or lacks it. */
static unsigned long long stat_value(const char *key)
{
	int err;
	char *text = slurp(STATS, &err);
	long long v = text ? stats_value(text, key) : -1;

	free(text);
	return v < 0 ? ~0ULL : (unsigned long long)v;
}

static void scenario_stats(void)
{
	unsigned long long seen = stat_value("binds_seen");
	unsigned long long failed_binds = stat_value("binds_failed");
	unsigned long long conflicts = stat_value("conflicts");
	unsigned long long eacces = stat_value("eacces");
	unsigned long long head = stat_value("ring_head");
	char *text;
	int err;

	text = slurp(STATS, &err);
	result(text && strstr(text, "\ntracking active\n"), "stats: tracking active",
	       "%s", text ? text : strerror(err));
	/* The functions every bind passes through, on every kernel. */
	result(text && strstr(text, "probe __inet_bind missed 0\n") &&
	       strstr(text, "probe __inet6_bind missed 0\n") &&
	       strstr(text, "probe inet_csk_listen_start missed 0\n") &&
	       strstr(text, "probe inet_autobind missed 0\n"),
	       "stats: the bind probes are on __inet_bind and __inet6_bind, none missed",
	       "%s", text ? text : "");
	result(text && strstr(text, "\nselfcheck tcp4 tcp6 udp4 udp6 mptcp4 mptcp6\n"),
	       "stats: the self-check saw every path of TCP, UDP and MPTCP, v4 and v6",
	       "%s", text ? text : "");
	free(text);
	result(seen == head && seen > 20, "stats: binds_seen counts every event",
	       "seen %llu head %llu", seen, head);
	result(failed_binds >= 2 && conflicts >= 1 && eacces >= 1 &&
	       failed_binds >= conflicts + eacces,
	       "stats: failures, conflicts and EACCES are counted",
	       "failed %llu conflicts %llu eacces %llu", failed_binds,
	       conflicts, eacces);
}

static void scenario_ring(int size)
{
	unsigned long long head0 = stat_value("ring_head");
	struct sa a = mkaddr(AF_INET, "127.0.0.1", 0);
	struct table t;
	int i, extra = size + size / 2, fd;
	unsigned long long drops;

	for (i = 0; i < extra; i++) {
		fd = sock(AF_INET, SOCK_DGRAM);
		if (bind(fd, &a.sa, a.len))
			die("bind");
		close(fd);
	}
	drops = stat_value("ring_drops");
	result(head0 == 0 && stat_value("ring_head") == (unsigned long long)extra,
	       "ring: every bind got a sequence number", "head %llu",
	       stat_value("ring_head"));
	result(drops == (unsigned long long)(extra - size),
	       "ring: overwritten unread events count as drops",
	       "drops %llu, want %d", drops, extra - size);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	result(t.nrec == size && num(t.rec[0].f[B_SEQ]) == extra - size &&
	       num(t.rec[t.nrec - 1].f[B_SEQ]) == extra - 1,
	       "ring: binds holds the newest ring_size events",
	       "%d events, seq %s..%s", t.nrec, t.nrec ? t.rec[0].f[B_SEQ] : "-",
	       t.nrec ? t.rec[t.nrec - 1].f[B_SEQ] : "-");
	unload(&t);
	for (i = 0; i < size / 2; i++) {
		fd = sock(AF_INET, SOCK_DGRAM);
		if (bind(fd, &a.sa, a.len))
			die("bind");
		close(fd);
	}
	result(stat_value("ring_drops") == drops,
	       "ring: overwriting events already read is no drop",
	       "drops %llu, was %llu", stat_value("ring_drops"), drops);
}

static volatile sig_atomic_t storm_stop;

static void on_alarm(int sig)
{
	(void)sig;
	storm_stop = 1;
}

/* Binds and closes until the alarm; prints how many binds succeeded. */
static int storm_worker(int id, int secs)
{
	static const int families[] = { AF_INET, AF_INET6 };
	long n = 0;

	signal(SIGALRM, on_alarm);
	alarm(secs);
	while (!storm_stop) {
		int family = families[n & 1];
		int type = (n >> 1) & 1 ? SOCK_STREAM : SOCK_DGRAM;
		/* Some explicit ports, shared by the workers: conflicts. */
		int port = (n & 4) ? 7100 + (n % 16) : 0;
		struct sa a = mkaddr(family, family == AF_INET ? "127.0.0.1" : "::1",
				     port);
		int fd = socket(family, type, 0);

		if (fd < 0)
			continue;
		if (bind(fd, &a.sa, a.len) == 0 && type == SOCK_STREAM && !(n & 8))
			listen(fd, 1);
		close(fd);
		n++;
	}
	printf("storm worker %d: %ld binds\n", id, n);
	return 0;
}

static void storm(int secs)
{
	int i, status, bad = 0;
	pid_t pids[4];

	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(storm_worker(i, secs));
	}
	for (i = 0; i < 4; i++)
		if (waitpid(pids[i], &status, 0) < 0 || status)
			bad++;
	result(!bad, "bind storm workers ran to the end", "%d failed", bad);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "all";

	setvbuf(stdout, NULL, _IOLBF, 0);
	prctl(PR_SET_NAME, "bindtest");
	if (!strcmp(cmd, "all")) {
		lo_up();
		scenario_explicit(AF_INET, SOCK_STREAM, 8080);
		scenario_explicit(AF_INET, SOCK_DGRAM, 5353);
		scenario_explicit(AF_INET6, SOCK_STREAM, 8443);
		scenario_explicit(AF_INET6, SOCK_DGRAM, 4500);
		scenario_autobind(AF_INET);
		scenario_autobind(AF_INET6);
		scenario_mptcp(AF_INET, 8070);
		scenario_mptcp(AF_INET6, 8071);
		scenario_options();
		scenario_conflict();
		scenario_reuseport_and_exit();
		scenario_privilege();
		scenario_netns();
		scenario_proc_net();
		scenario_follow();
		scenario_stats();
	} else if (!strcmp(cmd, "ring") && argc > 2) {
		scenario_ring(atoi(argv[2]));
	} else if (!strcmp(cmd, "group") && argc > 2) {
		gid_t gid = atoi(argv[2]);

		result(in_child(child_group, &gid) == 0,
		       "read_gid grants its group binds and claims", "denied");
		result(in_child(child_other_group, &gid) == 0,
		       "read_gid grants no other group", "granted");
	} else if (!strcmp(cmd, "storm") && argc > 2) {
		storm(atoi(argv[2]));
	} else {
		fprintf(stderr, "usage: bindtest all|ring N|group GID|storm SECS\n");
		return 2;
	}
	return vm_failures ? 1 : 0;
}
