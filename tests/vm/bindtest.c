// SPDX-License-Identifier: GPL-2.0
/*
 * bindtest: the VM's end-to-end test of portreg's bind tracking.  It makes
 * real sockets take real ports and checks what /proc/portreg/binds,
 * claims, binds_follow and stats say about them, field by field, against
 * what the kernel says (getsockname(), fstat(), /proc/net).
 *
 *   bindtest all          every scenario for the default module parameters
 *   bindtest misses       after a reload with maxactive=1: a bind waiting
 *                         for a socket lock, bind probes that miss, then
 *                         release probes that miss
 *   bindtest preload KO   with the module unloaded: sockets from before load
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
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/userfaultfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
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
	B_HPID, B_HUID, B_HCOMM, B_HKIND, B_HADDR, B_HREMOTE, B_HEXPIRE,
	B_HINODE, B_HWHY, B_LOST, B_SINCE, B_CKIND, B_EXPECTED, B_CGROUP, B_HCGROUP,
	B_REMOTE,
	B_NFIELDS };
enum { C_PROTO, C_FAMILY, C_ADDR, C_PORT, C_NETNS, C_PID, C_UID, C_COMM,
	C_SINCE, C_KIND, C_OPTS, C_IF, C_INODE, C_SERVICE, C_STATE, C_REMOTE,
	C_COOKIE, C_EXPECTED, C_CGROUP, C_NFIELDS };

#define MAX_FIELDS 40
#define MAX_RECORDS 400000

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
	int err, cap = 1024;

	memset(t, 0, sizeof(*t));
	t->text = slurp(path, &err);
	if (!t->text) {
		errno = err;
		return false;
	}
	t->rec = calloc(cap, sizeof(*t->rec));
	line = strtok_r(t->text, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save)) && t->nrec < MAX_RECORDS) {
		struct record *r;

		if (line[0] == '#') {
			t->unavailable = true;
			continue;
		}
		if (t->nrec == cap) {
			cap *= 2;
			t->rec = realloc(t->rec, cap * sizeof(*t->rec));
			if (!t->rec)
				die("realloc");
		}
		r = &t->rec[t->nrec];
		r->n = 0;
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

/*
 * A formatted test name.  Names nest (a caller's label is an argument of
 * the callee's), so a few buffers rotate.
 */
static char *label(const char *fmt, ...)
{
	static char bufs[4][256];
	static unsigned int next;
	char *buf = bufs[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(bufs[0]), fmt, ap);
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

/*
 * The release record of our claim of @port: our ids, the port given back,
 * and in SINCE and CKIND the bind it ends (docs/proc-binds.md).
 */
static void check_release_event(const char *name, int family, int type,
				const char *addr, int port)
{
	struct record *bound, *released;
	char want[256], got[256];
	struct table t;

	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	bound = find_event(&t, getpid(), port, "bind");
	released = find_event(&t, getpid(), port, "release");
	if (!bound || !released) {
		result(false, name, "%s", bound ? "no release" : "no bind");
		unload(&t);
		return;
	}
	snprintf(want, sizeof(want), "%d %d 0 bindtest %s %s %s 0 %d 0 - %s bind",
		 getpid(), getpid(), fam(family), proto(type), addr, port,
		 bound->f[B_TIME]);
	snprintf(got, sizeof(got), "%s %s %s %s %s %s %s %s %s %s %s %s %s",
		 released->f[B_PID], released->f[B_TID], released->f[B_UID],
		 released->f[B_COMM], released->f[B_FAMILY],
		 released->f[B_PROTO], released->f[B_ADDR], released->f[B_REQ],
		 released->f[B_PORT], released->f[B_RET], released->f[B_HKIND],
		 released->f[B_SINCE], released->f[B_CKIND]);
	result(!strcmp(want, got) &&
	       strtoull(released->f[B_TIME], NULL, 10) >=
	       strtoull(bound->f[B_TIME], NULL, 10),
	       name, "want '%s' got '%s' at %s", want, got,
	       released->f[B_TIME]);
	unload(&t);
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
	check_release_event(label("%s close logs the release, naming the bind it ends",
				  what), family, type, addr, port);

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
	result(r && !strcmp(r->f[B_HKIND], "bind") &&
	       !strcmp(r->f[B_HADDR], "127.0.0.1") &&
	       strtoul(r->f[B_HINODE], NULL, 10) == inode_of(fd) &&
	       !strcmp(r->f[B_HWHY], "exclusive"),
	       "the conflict names the holding socket and the rule",
	       "'%s %s %s %s'", r ? r->f[B_HKIND] : "-", r ? r->f[B_HADDR] : "-",
	       r ? r->f[B_HINODE] : "-", r ? r->f[B_HWHY] : "-");
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

/*
 * Who stood in the way, against the kernel's own answers: each scenario of
 * the kernel's net selftests (bind_timewait.c, reuseport_*.c,
 * bind_wildcard.c, reuseaddr_conflict.c) makes the kernel refuse a bind,
 * and portreg must name the socket that stands in the way, as what it is.
 */
struct try_bind {
	int family;
	int type;
	const char *addr;
	int port;
	uid_t uid;
	bool reuse, reuseport, v6only;
	const char *dev;
	const char *comm;
};

/* In a child named @comm, as @uid: the bind; exits with its errno. */
static int child_try_bind(void *arg)
{
	const struct try_bind *b = arg;
	struct sa a = mkaddr(b->family, b->addr, b->port);
	int fd;

	prctl(PR_SET_NAME, b->comm);
	/* A socket's owner is who made it: the uid first. */
	if (b->uid && (setgid(b->uid) || setuid(b->uid)))
		return 200;
	fd = socket(b->family, b->type, 0);
	if (fd < 0)
		return 200;
	if ((b->reuse && setint(fd, SOL_SOCKET, SO_REUSEADDR)) ||
	    (b->reuseport && setint(fd, SOL_SOCKET, SO_REUSEPORT)) ||
	    (b->v6only && setint(fd, IPPROTO_IPV6, IPV6_V6ONLY)) ||
	    (b->dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, b->dev,
				  strlen(b->dev) + 1)))
		return 201;
	return bind(fd, &a.sa, a.len) ? errno : 0;
}

/* The newest event of a process named @comm that asked for @port. */
static struct record *event_of(struct table *t, const char *comm, int port)
{
	int i;

	for (i = t->nrec - 1; i >= 0; i--)
		if (!strcmp(t->rec[i].f[B_COMM], comm) &&
		    num(t->rec[i].f[B_REQ]) == port)
			return &t->rec[i];
	return NULL;
}

/*
 * Tries @b; the kernel must answer @want_errno, and a refusal's event must
 * name a holder of kind @hkind by rule @hwhy.  The event, or NULL, stays
 * in @t for more checks (unload it).
 */
static struct record *try_bind(const char *name, const struct try_bind *b,
			       int want_errno, const char *hkind,
			       const char *hwhy, struct table *t)
{
	int got = in_child(child_try_bind, (void *)b);
	struct record *r;

	result(got == want_errno, label("%s: the kernel says %s", name,
					want_errno ? strerror(want_errno) : "yes"),
	       "bind gave %d (%s)", got, strerror(got));
	if (!load(t, BINDS, B_NFIELDS))
		die("read binds");
	r = event_of(t, b->comm, b->port);
	if (!want_errno) {
		result(r && num(r->f[B_RET]) == 0 && !strcmp(r->f[B_HKIND], "-"),
		       label("%s: portreg logs the bind, no holder", name),
		       "event '%s %s'", r ? r->f[B_RET] : "-",
		       r ? r->f[B_HKIND] : "-");
		return r;
	}
	result(r && num(r->f[B_RET]) == -want_errno &&
	       !strcmp(r->f[B_HKIND], hkind) && !strcmp(r->f[B_HWHY], hwhy),
	       label("%s: portreg names a %s holder, rule %s", name, hkind, hwhy),
	       "event '%s %s %s'", r ? r->f[B_RET] : "-",
	       r ? r->f[B_HKIND] : "-", r ? r->f[B_HWHY] : "-");
	return r;
}

/* A listener that exits: its own process, which reports through a pipe. */
struct server_arg {
	int port;
	bool reuse;
	bool keep_conn;		/* keep the accepted connection, else close it first */
	int to_parent[2];
	int from_parent[2];
};

static int child_server(void *arg)
{
	struct server_arg *sv = arg;
	struct sa a = mkaddr(AF_INET, "127.0.0.1", sv->port);
	int l = socket(AF_INET, SOCK_STREAM, 0), c;
	unsigned long ino;
	char x;

	prctl(PR_SET_NAME, "oldserver");
	if (sv->reuse && setint(l, SOL_SOCKET, SO_REUSEADDR))
		return 1;
	if (bind(l, &a.sa, a.len) || listen(l, 4))
		return 2;
	if (write(sv->to_parent[1], "l", 1) != 1)
		return 3;
	c = accept(l, NULL, NULL);
	if (c < 0)
		return 4;
	ino = inode_of(c);
	close(l);
	if (!sv->keep_conn)
		close(c);	/* the server closes first: its end waits */
	if (write(sv->to_parent[1], &ino, sizeof(ino)) != sizeof(ino) ||
	    read(sv->from_parent[0], &x, 1) != 1)
		return 5;
	return 0;
}

static pid_t start_server(struct server_arg *sv, int *client, int *cport,
			  unsigned long *conn_ino)
{
	struct sa a = mkaddr(AF_INET, "127.0.0.1", sv->port);
	pid_t pid;
	char x;

	if (pipe(sv->to_parent) || pipe(sv->from_parent))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(child_server(sv));
	if (read(sv->to_parent[0], &x, 1) != 1)
		die("server start");
	*client = sock(AF_INET, SOCK_STREAM);
	if (connect(*client, &a.sa, a.len))
		die("connect");
	*cport = local_port(*client);
	if (read(sv->to_parent[0], conn_ino, sizeof(*conn_ino)) != sizeof(*conn_ino))
		die("server accept");
	return pid;
}

static void stop_server(struct server_arg *sv, pid_t pid)
{
	if (write(sv->from_parent[1], "x", 1) != 1 || waitpid(pid, NULL, 0) < 0)
		die("server stop");
	close(sv->to_parent[0]);
	close(sv->to_parent[1]);
	close(sv->from_parent[0]);
	close(sv->from_parent[1]);
}

/*
 * bind_timewait.c: a server that closed a connection first, and exited,
 * leaves TIME_WAIT on its port.  portreg names TIME_WAIT, the peer and
 * the time left, never the dead server; SO_REUSEADDR (which the old
 * listener had) lets the new one through.
 */
static void scenario_why_timewait(void)
{
	struct server_arg sv = { .port = 7101, .reuse = true };
	struct try_bind b = { .family = AF_INET, .type = SOCK_STREAM, .addr = "127.0.0.1", .port = 7101,
			      .comm = "newserver" };
	unsigned long ino;
	char remote[64];
	struct record *r;
	struct table t;
	int client, cport;
	pid_t pid;

	pid = start_server(&sv, &client, &cport, &ino);
	stop_server(&sv, pid);		/* the server exits */
	close(client);			/* its end goes to TIME_WAIT */
	usleep(100000);
	r = try_bind("TIME_WAIT of an exited server", &b, EADDRINUSE,
		     "timewait", "exclusive", &t);
	snprintf(remote, sizeof(remote), "127.0.0.1:%d", cport);
	result(r && !strcmp(r->f[B_HREMOTE], remote) && !strcmp(r->f[B_HPID], "-") &&
	       !strcmp(r->f[B_HCOMM], "-") && strtol(r->f[B_HEXPIRE], NULL, 10) > 1000,
	       "TIME_WAIT: its peer and time left, and no process named",
	       "'%s %s %s %s', want peer %s", r ? r->f[B_HREMOTE] : "-",
	       r ? r->f[B_HPID] : "-", r ? r->f[B_HCOMM] : "-",
	       r ? r->f[B_HEXPIRE] : "-", remote);
	unload(&t);
	b.reuse = true;
	b.comm = "reuseserver";
	try_bind("TIME_WAIT, SO_REUSEADDR on both", &b, 0, NULL, NULL, &t);
	unload(&t);
}

/*
 * A connection accepted by a listener holds the listener's port, also
 * after the listener is closed.  While it lives, the connection's claimer
 * is the listener's.
 */
static void scenario_why_accepted(void)
{
	struct server_arg sv = { .port = 7102, .keep_conn = true };
	struct try_bind b = { .family = AF_INET, .type = SOCK_STREAM, .addr = "0.0.0.0", .port = 7102,
			      .comm = "newserver" };
	unsigned long ino;
	char remote[64];
	struct record *r;
	struct table t;
	int client, cport;
	pid_t pid;

	pid = start_server(&sv, &client, &cport, &ino);
	r = try_bind("an accepted connection, its listener closed", &b,
		     EADDRINUSE, "accept", "exclusive", &t);
	snprintf(remote, sizeof(remote), "127.0.0.1:%d", cport);
	result(r && strtoul(r->f[B_HINODE], NULL, 10) == ino &&
	       !strcmp(r->f[B_HREMOTE], remote) && !strcmp(r->f[B_HPID], "-"),
	       "accepted: the connection's inode and peer; its listener is gone",
	       "'%s %s %s', want inode %lu peer %s", r ? r->f[B_HINODE] : "-",
	       r ? r->f[B_HREMOTE] : "-", r ? r->f[B_HPID] : "-", ino, remote);
	unload(&t);
	stop_server(&sv, pid);
	close(client);
}

struct client_arg {
	int port;
	int report[2];
	int hold[2];
};

static int child_client(void *arg)
{
	struct client_arg *c = arg;
	struct sa a = mkaddr(AF_INET, "127.0.0.1", c->port);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;
	char x;

	prctl(PR_SET_NAME, "client");
	if (connect(fd, &a.sa, a.len))
		return 1;
	port = local_port(fd);
	if (write(c->report[1], &port, sizeof(port)) != sizeof(port) ||
	    read(c->hold[0], &x, 1) != 1)
		return 2;
	return 0;
}

/* A port connect(2) chose for a client is a port like any other. */
static void scenario_why_connect(void)
{
	struct client_arg c = { .port = 7103 };
	struct sa a = mkaddr(AF_INET, "127.0.0.1", c.port);
	struct try_bind b = { .family = AF_INET, .type = SOCK_STREAM, .addr = "0.0.0.0", .port = 0,
			      .comm = "squatter" };
	int l = sock(AF_INET, SOCK_STREAM), port = 0;
	struct record *r;
	struct table t;
	pid_t pid;

	if (bind(l, &a.sa, a.len) || listen(l, 4) || pipe(c.report) ||
	    pipe(c.hold))
		die("listener");
	pid = fork();
	if (pid == 0)
		_exit(child_client(&c));
	if (read(c.report[0], &port, sizeof(port)) != sizeof(port))
		die("client");
	b.port = port;
	r = try_bind("a port connect(2) chose", &b, EADDRINUSE, "connect",
		     "exclusive", &t);
	result(r && !strcmp(r->f[B_HREMOTE], "127.0.0.1:7103"),
	       "connect: the client's peer is named", "'%s'",
	       r ? r->f[B_HREMOTE] : "-");
	unload(&t);
	if (write(c.hold[1], "x", 1) != 1 || waitpid(pid, NULL, 0) < 0)
		die("client exit");
	close(l);
}

/* Binds @b and holds the socket open until told, as another process. */
struct holder_proc {
	struct try_bind b;
	bool listen;
	int ready[2];
	int go[2];
	unsigned long ino;
};

static int child_hold(void *arg)
{
	struct holder_proc *h = arg;
	struct sa a = mkaddr(h->b.family, h->b.addr, h->b.port);
	int fd;
	char x;

	prctl(PR_SET_NAME, h->b.comm);
	if (h->b.uid && (setgid(h->b.uid) || setuid(h->b.uid)))
		return 1;
	fd = socket(h->b.family, h->b.type, 0);
	if ((h->b.reuse && setint(fd, SOL_SOCKET, SO_REUSEADDR)) ||
	    (h->b.reuseport && setint(fd, SOL_SOCKET, SO_REUSEPORT)) ||
	    (h->b.v6only && setint(fd, IPPROTO_IPV6, IPV6_V6ONLY)) ||
	    (h->b.dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, h->b.dev,
				    strlen(h->b.dev) + 1)) ||
	    bind(fd, &a.sa, a.len) || (h->listen && listen(fd, 4)))
		return 2;
	h->ino = inode_of(fd);
	if (write(h->ready[1], &h->ino, sizeof(h->ino)) != sizeof(h->ino) ||
	    read(h->go[0], &x, 1) != 1)
		return 3;
	return 0;
}

static pid_t hold(struct holder_proc *h)
{
	pid_t pid;

	if (pipe(h->ready) || pipe(h->go))
		die("pipe");
	pid = fork();
	if (pid == 0)
		_exit(child_hold(h));
	if (read(h->ready[0], &h->ino, sizeof(h->ino)) != sizeof(h->ino))
		die("holder");
	return pid;
}

static void release(struct holder_proc *h, pid_t pid)
{
	if (write(h->go[1], "x", 1) != 1 || waitpid(pid, NULL, 0) < 0)
		die("holder exit");
	close(h->ready[0]);
	close(h->ready[1]);
	close(h->go[0]);
	close(h->go[1]);
}

/* reuseport_*.c: SO_REUSEPORT shares a port among sockets of one user. */
static void scenario_why_reuseport_uid(void)
{
	struct holder_proc h = { .b = { .family = AF_INET, .type = SOCK_DGRAM, .addr = "0.0.0.0", .port = 7105,
				   .uid = 1000, .reuseport = true,
				   .comm = "owner1000" } };
	struct try_bind same = { .family = AF_INET, .type = SOCK_DGRAM, .addr = "0.0.0.0", .port = 7105,
				 .uid = 1000, .reuseport = true,
				 .comm = "also1000" };
	struct try_bind other = same;
	struct record *r;
	struct table t;
	pid_t pid = hold(&h);

	other.uid = 1001;
	other.comm = "other1001";
	try_bind("SO_REUSEPORT, same uid", &same, 0, NULL, NULL, &t);
	unload(&t);
	r = try_bind("SO_REUSEPORT, another uid", &other, EADDRINUSE, "bind",
		     "reuseport-uid", &t);
	result(r && num(r->f[B_HPID]) == pid && !strcmp(r->f[B_HUID], "1000") &&
	       !strcmp(r->f[B_HCOMM], "owner1000"),
	       "SO_REUSEPORT, another uid: the holder is uid 1000's process",
	       "'%s %s %s'", r ? r->f[B_HPID] : "-", r ? r->f[B_HUID] : "-",
	       r ? r->f[B_HCOMM] : "-");
	unload(&t);
	release(&h, pid);
}

/* bind_wildcard.c: IPv6's wildcard takes IPv4's too, unless IPV6_V6ONLY. */
static void scenario_why_v6only(void)
{
	struct holder_proc h = { .b = { .family = AF_INET6, .type = SOCK_STREAM, .addr = "::", .port = 7106,
				   .v6only = true, .comm = "v6only" },
				 .listen = true };
	struct try_bind b = { .family = AF_INET, .type = SOCK_STREAM, .addr = "0.0.0.0", .port = 7106,
			      .comm = "v4server" };
	struct record *r;
	struct table t;
	pid_t pid = hold(&h);

	try_bind("IPv4 beside an IPV6_V6ONLY wildcard", &b, 0, NULL, NULL, &t);
	unload(&t);
	release(&h, pid);
	h.b.v6only = false;
	h.b.port = b.port = 7107;
	h.b.comm = "dualstack";
	pid = hold(&h);
	r = try_bind("IPv4 beside a dual-stack wildcard", &b, EADDRINUSE,
		     "bind", "exclusive", &t);
	result(r && !strcmp(r->f[B_HADDR], "::") &&
	       !strcmp(r->f[B_HCOMM], "dualstack"),
	       "dual stack: the IPv6 wildcard is named", "'%s %s'",
	       r ? r->f[B_HADDR] : "-", r ? r->f[B_HCOMM] : "-");
	unload(&t);
	release(&h, pid);
}

/*
 * SO_BINDTODEVICE: a socket bound to a device and one bound to none meet.
 * (Two sockets on two devices do not; the VM has one device, so that case
 * is the KUnit suite portreg_conflict's.)
 */
static void scenario_why_bindtodevice(void)
{
	struct holder_proc h = { .b = { .family = AF_INET, .type = SOCK_STREAM, .addr = "0.0.0.0", .port = 7108,
				   .dev = "lo", .comm = "onlo" },
				 .listen = true };
	struct try_bind b = { .family = AF_INET, .type = SOCK_STREAM, .addr = "0.0.0.0", .port = 7108,
			      .comm = "anydev" };
	struct table t;
	pid_t pid = hold(&h);

	try_bind("no device beside one bound to lo", &b, EADDRINUSE, "bind",
		 "exclusive", &t);
	unload(&t);
	b.dev = "lo";
	b.comm = "alsolo";
	try_bind("lo beside lo", &b, EADDRINUSE, "bind", "exclusive", &t);
	unload(&t);
	release(&h, pid);
}

/* reuseaddr_conflict.c: SO_REUSEADDR on both, but the holder listens. */
static void scenario_why_listener(void)
{
	struct holder_proc h = { .b = { .family = AF_INET6, .type = SOCK_STREAM, .addr = "::", .port = 7109,
				   .reuse = true, .comm = "listener" },
				 .listen = true };
	struct try_bind b = { .family = AF_INET6, .type = SOCK_STREAM, .addr = "::", .port = 7109,
			      .reuse = true, .comm = "second" };
	struct table t;
	pid_t pid = hold(&h);

	try_bind("SO_REUSEADDR beside a listener", &b, EADDRINUSE, "bind",
		 "listener", &t);
	unload(&t);
	release(&h, pid);
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
	int foreign = -1, mine = -1, st, i, seen = 0, released = 0;
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
	for (i = 0; i < t.nrec; i++) {
		struct record *r = &t.rec[i];

		if (strtoul(r->f[B_NETNS], NULL, 10) != ns ||
		    num(r->f[B_PORT]) != n.port)
			continue;
		seen += !strcmp(r->f[B_KIND], "bind");
		released += !strcmp(r->f[B_KIND], "release");
	}
	unload(&t);
	/* The child's exit closed its socket: the release is logged too. */
	result(ns && ns != own_netns() && seen == 1 && released == 1,
	       "the initial netns sees the other netns's bind and release with its netns id",
	       "bind seen %d times, release %d", seen, released);
	close(n.report[0]);
	close(n.report[1]);
}

/*
 * claims against the kernel's own tables, both ways: every socket of
 * /proc/net/{tcp,tcp6,udp,udp6} of this namespace (listeners, connections,
 * TIME_WAIT, UDP) is a claims line of the same protocol, family, local
 * address and port, state and peer, and every claims line of those kinds
 * is such a socket.  SYN_RECV entries are request sockets, which hold no
 * port of their own.  Bound-only TCP sockets are not in /proc/net/tcp:
 * they are compared both ways with inet_diag's dump of them where the
 * kernel has it (6.5 and later), and on every kernel those the caller made
 * (@bound, their inodes) must be listed.
 */
static const char *const tcp_states[] = {
	[1] = "established", [2] = "syn-sent", [3] = "syn-recv",
	[4] = "fin-wait-1", [5] = "fin-wait-2", [6] = "time-wait",
	[7] = "bound", [8] = "close-wait", [9] = "last-ack", [10] = "listen",
	[11] = "closing",
};

/* /proc/net's hex address as text, as portreg prints it. */
static void hex_addr(const char *hex, int family, char *out, size_t size)
{
	unsigned char b[16];
	unsigned int w;
	int i, n = family == AF_INET ? 4 : 16;

	/* /proc/net prints each 32-bit word in host order. */
	for (i = 0; i < n / 4; i++) {
		sscanf(hex + 8 * i, "%8x", &w);
		memcpy(b + 4 * i, &w, 4);
	}
	inet_ntop(family, b, out, size);
}

static void endpoint(int family, const char *addr, unsigned int port,
		     char *out, size_t size)
{
	if (!port)
		snprintf(out, size, "-");
	else if (family == AF_INET6)
		snprintf(out, size, "[%s]:%u", addr, port);
	else
		snprintf(out, size, "%s:%u", addr, port);
}

struct kernel_sock {
	char key[160];
	bool matched;
};

/* Reads @file into @socks as "proto family addr port state remote" keys. */
static int read_proc_net(const char *file, const char *prot, int family,
			 struct kernel_sock *socks, int n, int max)
{
	char line[512];
	FILE *f = fopen(file, "r");

	if (!f)
		die(file);
	if (!fgets(line, sizeof(line), f))
		die(file);
	while (n < max && fgets(line, sizeof(line), f)) {
		char lhex[40], rhex[40], laddr[64], raddr[64], rend[80];
		unsigned int lport, rport, state;

		if (sscanf(line, "%*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x",
			   lhex, &lport, rhex, &rport, &state) != 5)
			continue;
		if (!strcmp(prot, "tcp") && state == 3)
			continue;	/* SYN_RECV: a request, not a socket */
		if (!strcmp(prot, "udp"))
			state = state == 1 ? 1 : 7;
		hex_addr(lhex, family, laddr, sizeof(laddr));
		hex_addr(rhex, family, raddr, sizeof(raddr));
		endpoint(family, raddr, rport, rend, sizeof(rend));
		snprintf(socks[n].key, sizeof(socks[n].key), "%s %s %s %u %s %s",
			 prot, fam(family), laddr, lport,
			 state < 12 && tcp_states[state] ? tcp_states[state] : "?",
			 rend);
		socks[n++].matched = false;
	}
	fclose(f);
	return n;
}

/*
 * inet_diag's dump of bound-only TCP sockets (the TCP_BOUND_INACTIVE
 * pseudo-state, 6.5 and later), into @socks as keys like read_proc_net()'s
 * with the inode added.  Returns the new count, or -1 if this kernel has
 * no such dump.
 */
#define TCP_BOUND_INACTIVE_STATE 13

static int read_diag_bound(int family, struct kernel_sock *socks, int n,
			   int max)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.req = {
			.sdiag_family = family,
			.sdiag_protocol = IPPROTO_TCP,
			.idiag_states = 1U << TCP_BOUND_INACTIVE_STATE,
		},
	};
	static char buf[65536];
	struct utsname u;
	int major, minor, fd;
	bool done = false;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		die("uname");
	if (major < 6 || (major == 6 && minor < 5))
		return -1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0 || send(fd, &msg, sizeof(msg), 0) != sizeof(msg))
		die("inet_diag request");
	while (!done) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (len <= 0)
			die("inet_diag recv");
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			struct inet_diag_msg *d = NLMSG_DATA(h);
			char addr[64];

			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				errno = -e->error;
				die("inet_diag dump of bound-only TCP sockets");
			}
			if (n >= max)
				continue;
			inet_ntop(family, d->id.idiag_src, addr, sizeof(addr));
			snprintf(socks[n].key, sizeof(socks[n].key),
				 "tcp %s %s %u bound - %u", fam(family), addr,
				 ntohs(d->id.idiag_sport), d->idiag_inode);
			socks[n++].matched = false;
		}
	}
	close(fd);
	return n;
}

/*
 * What the kernel holds, from /proc/net and, where the kernel has it,
 * inet_diag's bound-only dump; *@diag tells whether that dump was taken.
 */
static int read_kernel(struct kernel_sock *socks, int max, bool *diag)
{
	int n = 0, d;

	n = read_proc_net("/proc/net/tcp", "tcp", AF_INET, socks, n, max);
	n = read_proc_net("/proc/net/tcp6", "tcp", AF_INET6, socks, n, max);
	n = read_proc_net("/proc/net/udp", "udp", AF_INET, socks, n, max);
	n = read_proc_net("/proc/net/udp6", "udp", AF_INET6, socks, n, max);
	d = read_diag_bound(AF_INET, socks, n, max);
	if (d >= 0)
		d = read_diag_bound(AF_INET6, socks, d, max);
	*diag = d >= 0;
	return *diag ? d : n;
}

/* Marks an unmatched socket of @key in @socks; false if there is none. */
static bool match_key(struct kernel_sock *socks, int n, const char *key)
{
	int j;

	for (j = 0; j < n; j++) {
		if (!socks[j].matched && !strcmp(socks[j].key, key)) {
			socks[j].matched = true;
			return true;
		}
	}
	return false;
}

/*
 * The kernel's tables are read twice, before and after claims, since
 * sockets come and go meanwhile (a TIME_WAIT ends after 60 seconds,
 * whenever the test happens to be).  A socket without a claim is one in
 * both reads, so it lived all through the claims read; a claim without a
 * socket is one in neither.
 */
#define KERNEL_SOCKS_MAX 60000

static int compare_with_kernel(const char *what, const unsigned long *bound,
			       int nbound)
{
	static struct kernel_sock before[KERNEL_SOCKS_MAX], after[KERNEL_SOCKS_MAX];
	int nb, na, i, j, missing = 0, extra = 0, bound_seen = 0;
	unsigned long ns = own_netns();
	bool diag;
	struct table c;

	nb = read_kernel(before, KERNEL_SOCKS_MAX, &diag);
	if (!load(&c, CLAIMS, C_NFIELDS))
		die("read claims");
	na = read_kernel(after, KERNEL_SOCKS_MAX, &diag);
	for (i = 0; i < c.nrec; i++) {
		struct record *r = &c.rec[i];
		char key[160];
		unsigned long ino = strtoul(r->f[C_INODE], NULL, 10);
		bool in_before, in_after, known = false;

		if (strtoul(r->f[C_NETNS], NULL, 10) != ns ||
		    (strcmp(r->f[C_PROTO], "tcp") && strcmp(r->f[C_PROTO], "udp")))
			continue;
		if (!strcmp(r->f[C_PROTO], "tcp") && !strcmp(r->f[C_STATE], "bound")) {
			for (j = 0; j < nbound; j++)
				known |= bound[j] == ino;
			bound_seen += known;
			if (!diag) {
				/* No dump of these: only ours can be checked. */
				if (!known) {
					printf("bound-only claim of no known socket: inode %lu\n",
					       ino);
					extra++;
				}
				continue;
			}
			snprintf(key, sizeof(key), "tcp %s %s %s bound - %lu",
				 r->f[C_FAMILY], r->f[C_ADDR], r->f[C_PORT], ino);
		} else {
			snprintf(key, sizeof(key), "%s %s %s %s %s %s", r->f[C_PROTO],
				 r->f[C_FAMILY], r->f[C_ADDR], r->f[C_PORT],
				 r->f[C_STATE], r->f[C_REMOTE]);
		}
		in_before = match_key(before, nb, key);
		in_after = match_key(after, na, key);
		if (!in_before && !in_after) {
			printf("claim with no socket in the kernel: %s\n", key);
			extra++;
		}
	}
	for (j = 0; j < nb; j++) {
		if (!before[j].matched && match_key(after, na, before[j].key)) {
			printf("socket in the kernel with no claim: %s\n",
			       before[j].key);
			missing++;
		}
	}
	unload(&c);
	result(!missing && !extra && bound_seen == nbound,
	       label("claims agree with the kernel both ways (%s)", what),
	       "%d of %d sockets without a claim, %d claims without a socket, %d of %d bound-only",
	       missing, nb, extra, bound_seen, nbound);
	printf("compared with /proc/net%s: %d sockets before claims, %d after\n",
	       diag ? " and inet_diag's bound-only dump" : "", nb, na);
	return nb;
}

static void scenario_proc_net(void)
{
	int fds[8], n = 0, i, bound_only;
	unsigned long bound_ino;
	struct sa a;

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
	/* A connection, both ends, on the listener. */
	a = mkaddr(AF_INET, "127.0.0.1", 7020);
	fds[n] = sock(AF_INET, SOCK_STREAM);
	if (connect(fds[n++], &a.sa, a.len))
		die("connect");
	fds[n] = accept(fds[0], NULL, NULL);
	if (fds[n++] < 0)
		die("accept");

	compare_with_kernel("a few sockets", &bound_ino, 1);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(bound_only);
}

/* Thousands held: listeners, bound-only sockets and UDP ones. */
static void scenario_many_held(int count)
{
	struct rlimit lim = { count + 64, count + 64 };
	int *fds = calloc(count, sizeof(*fds)), i, got;
	unsigned long *bound = calloc(count, sizeof(*bound));
	int nbound = 0;

	if (setrlimit(RLIMIT_NOFILE, &lim))
		die("setrlimit");
	for (i = 0; i < count; i++) {
		int family = i % 2 ? AF_INET6 : AF_INET;
		struct sa a = mkaddr(family, family == AF_INET ? "127.0.0.1" : "::1", 0);

		fds[i] = sock(family, i % 3 ? SOCK_STREAM : SOCK_DGRAM);
		if (bind(fds[i], &a.sa, a.len))
			die("bind many");
		if (i % 3 == 1 && listen(fds[i], 1))
			die("listen many");
		if (i % 3 == 2)
			bound[nbound++] = inode_of(fds[i]);
	}
	got = compare_with_kernel(label("%d held", count), bound, nbound);
	result(got >= count - nbound, label("%d held: /proc/net lists them", count),
	       "%d sockets", got);
	for (i = 0; i < count; i++)
		close(fds[i]);
	free(fds);
	free(bound);
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

/*
 * With maxactive=1 (the module reloaded so), the bind probe has one
 * instance.  A bind that waits for a socket lock another task holds would
 * hold it for as long as that task likes, and every other bind meanwhile
 * would go unseen: here the lock holder is a setsockopt(IP_OPTIONS) stuck
 * copying from a page userfaultfd never fills.  portreg does not follow
 * such a bind (a marker says so), so the instance stays free and the
 * 2,000 binds made meanwhile are all recorded.
 */
struct stuck {
	int fd;
	void *page;
	int uffd;
};

static void *stuck_setsockopt(void *arg)
{
	struct stuck *st = arg;

	setsockopt(st->fd, SOL_IP, IP_OPTIONS, st->page, 40);
	return NULL;
}

static void *stuck_bind(void *arg)
{
	struct stuck *st = arg;
	struct sa a = mkaddr(AF_INET, "127.0.0.1", 0);

	bind(st->fd, &a.sa, a.len);
	return NULL;
}

#define HELD_BINDS 2000

/* Counts claims lines of @kind for the sockets whose inodes are @inos. */
static int count_kind(const unsigned long *inos, int n, const char *kind)
{
	struct table t;
	int i, j, found = 0;

	if (!load(&t, CLAIMS, C_NFIELDS))
		die("read claims");
	for (i = 0; i < t.nrec; i++) {
		unsigned long ino = strtoul(t.rec[i].f[C_INODE], NULL, 10);

		if (strcmp(t.rec[i].f[C_KIND], kind))
			continue;
		for (j = 0; j < n; j++)
			found += inos[j] == ino;
	}
	unload(&t);
	return found;
}

/* The LOST column summed over markers whose RET is @ret. */
static unsigned long long marked_lost(int ret)
{
	unsigned long long marked = 0;
	struct table t;
	int i;

	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	for (i = 0; i < t.nrec; i++)
		if (!strcmp(t.rec[i].f[B_KIND], "lost") &&
		    num(t.rec[i].f[B_RET]) == ret)
			marked += strtoull(t.rec[i].f[B_LOST], NULL, 10);
	unload(&t);
	return marked;
}

static void scenario_locked_bind(void)
{
	struct stuck st = { .fd = sock(AF_INET, SOCK_STREAM) };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zero = { 0 };
	unsigned long long lost0 = stat_value("lost");
	unsigned long long unfollowed0 = stat_value("binds_unfollowed");
	struct rlimit lim = { HELD_BINDS + 64, HELD_BINDS + 64 };
	int *fds = calloc(HELD_BINDS, sizeof(*fds)), i, n = 0, recorded;
	unsigned long *inos = calloc(HELD_BINDS, sizeof(*inos));
	unsigned long *bound = calloc(HELD_BINDS, sizeof(*bound));
	unsigned long stuck_ino;
	pthread_t locker, binder;
	int nbound = 0;

	if (!fds || !inos || !bound || setrlimit(RLIMIT_NOFILE, &lim))
		die("locked bind: setup");
	st.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	st.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)st.page;
	reg.range.len = 4096;
	if (st.uffd < 0 || st.page == MAP_FAILED || ioctl(st.uffd, UFFDIO_API, &api) ||
	    ioctl(st.uffd, UFFDIO_REGISTER, &reg))
		die("userfaultfd");
	if (pthread_create(&locker, NULL, stuck_setsockopt, &st))
		die("pthread_create");
	usleep(200000);
	if (pthread_create(&binder, NULL, stuck_bind, &st))
		die("pthread_create");
	usleep(200000);

	for (i = 0; i < HELD_BINDS; i++) {
		struct sa a = mkaddr(AF_INET, "127.0.0.1", 0);

		fds[n] = sock(AF_INET, i % 2 ? SOCK_STREAM : SOCK_DGRAM);
		if (bind(fds[n], &a.sa, a.len))
			die("bind beside the locked socket");
		inos[n] = inode_of(fds[n]);
		if (i % 2)
			bound[nbound++] = inos[n];
		n++;
	}
	recorded = count_kind(inos, n, "bind");
	result(recorded == n && stat_value("lost") == lost0,
	       "a bind waiting for a socket lock holds no probe instance: every other bind is recorded",
	       "%d of %d recorded, %llu lost", recorded, n,
	       stat_value("lost") - lost0);
	result(stat_value("binds_unfollowed") == unfollowed0 + 1 &&
	       marked_lost(-EBUSY) >= 1,
	       "the bind on the locked socket is counted and marked, not followed",
	       "unfollowed %llu, %llu marked", stat_value("binds_unfollowed") -
	       unfollowed0, marked_lost(-EBUSY));
	compare_with_kernel(label("%d held beside a locked socket", n), bound,
			    nbound);

	zero.range = reg.range;
	if (ioctl(st.uffd, UFFDIO_ZEROPAGE, &zero))
		die("UFFDIO_ZEROPAGE");
	pthread_join(locker, NULL);
	pthread_join(binder, NULL);
	stuck_ino = inode_of(st.fd);
	result(count_kind(&stuck_ino, 1, "unrecorded") == 1,
	       "the socket whose bind was not followed is claimed as unrecorded",
	       "no such line");
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(st.fd);
	free(fds);
	free(inos);
	free(bound);
}

/*
 * Bind probes that miss, for real: with maxactive=1, two threads bind at
 * once on the two CPUs, and a bind that starts while the other's is in
 * flight finds no instance.  The misses must leave claims agreeing with
 * the kernel while the sockets are held and once they are closed, a
 * marker in the log, and a count.
 */
struct racer {
	int cpu, n;
	int fds[HELD_BINDS / 2];
	unsigned long inos[HELD_BINDS / 2];
};

static void *race_binds(void *arg)
{
	struct racer *r = arg;
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (i = 0; i < HELD_BINDS / 2; i++) {
		struct sa a = mkaddr(AF_INET, "127.0.0.1", 0);

		r->fds[i] = sock(AF_INET, i % 2 ? SOCK_STREAM : SOCK_DGRAM);
		if (bind(r->fds[i], &a.sa, a.len))
			die("racing bind");
		r->inos[i] = inode_of(r->fds[i]);
		r->n++;
	}
	return NULL;
}

static void scenario_misses(void)
{
	const char *missed_key = "probe __inet_bind missed";
	unsigned long long missed0 = stat_value(missed_key), missed = 0;
	unsigned long long lost0 = stat_value("lost"), lost;
	unsigned long long marked0 = marked_lost(0), marked;
	struct rlimit lim = { HELD_BINDS + 64, HELD_BINDS + 64 };
	static struct racer racers[2];
	int round, i, j;

	if (setrlimit(RLIMIT_NOFILE, &lim))
		die("setrlimit");
	/* Rounds until one misses: it takes a vCPU switch mid-bind. */
	for (round = 0; round < 10 && !missed; round++) {
		pthread_t th[2];

		for (i = 0; i < 2; i++) {
			racers[i].cpu = i;
			racers[i].n = 0;
			if (pthread_create(&th[i], NULL, race_binds, &racers[i]))
				die("pthread_create");
		}
		for (i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		missed = stat_value(missed_key) - missed0;
		if (missed) {
			unsigned long held[HELD_BINDS];
			int nheld = 0;

			for (i = 0; i < 2; i++)
				for (j = 0; j < racers[i].n; j++)
					if (j % 2)
						held[nheld++] = racers[i].inos[j];
			compare_with_kernel(label("%d held, %llu of their binds' probes missed",
						  HELD_BINDS, missed), held, nheld);
		}
		for (i = 0; i < 2; i++)
			for (j = 0; j < racers[i].n; j++)
				close(racers[i].fds[j]);
	}
	printf("bind probe misses: %llu in %d rounds of %d binds\n", missed,
	       round, HELD_BINDS);
	result(missed > 0, "bind probes missed for real (two binds at once, one instance)",
	       "no miss in %d rounds", round);
	sleep(2);	/* markers come within a second */
	lost = stat_value("lost") - lost0;
	marked = marked_lost(0) - marked0;
	result(lost >= missed, "stats counts the events lost",
	       "lost %llu, missed %llu", lost, missed);
	result(marked >= missed, "the bind log marks the events lost",
	       "%llu marked, %llu missed", marked, missed);
	compare_with_kernel("after the misses, every socket closed", NULL, 0);
}

/*
 * Release probes that miss, for real.  TCP's timers give ports back in
 * softirq; a softirq run on the way out of an interrupt that came while
 * another kprobe's handler was running on that CPU finds a kprobe running,
 * and the release probe's hit is missed.  Here the other kprobe is one of
 * the kernel's own tracer (tracefs), on __task_pid_nr_ns(), which a busy
 * process calls in a loop through getppid(); the timers are those of
 * orphaned FIN_WAIT2 sockets: TCP_LINGER2 above TIME_WAIT's 60 s arms the
 * keepalive timer for the rest (1 s), and when it fires tcp_time_wait()
 * turns the socket into a TIME_WAIT and tcp_done() gives its port back.
 * All on CPU 0, where the timers are armed.  Only ftrace-based kprobes run
 * their handlers with interrupts on, so elsewhere (arm64's BRK) this cannot
 * happen, and the scenario says so and is not counted.  The misses must
 * leave claims agreeing with the kernel and the records they left behind
 * reclaimed by the sweep.
 *
 * Where portreg's release hook is a plain ftrace_ops (no kprobe on
 * inet_put_port at all), the same storm must miss nothing: ftrace's
 * recursion guard turns away only a call from the same context, and a
 * softirq is not one.  Then no record outlives its socket, and none is
 * left for the sweep.
 */
#define RELEASE_SOCKETS	400
#define TRACEFS		"/sys/kernel/tracing"

static bool write_file(const char *path, const char *text, bool append)
{
	int fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

enum release_hook {
	RELEASE_FTRACE_OPS,	/* no kprobe: portreg's own ftrace_ops */
	RELEASE_KPROBE_FTRACE,	/* a kprobe on ftrace */
	RELEASE_KPROBE_TRAP,	/* a kprobe on a trap (arm64's BRK) */
};

/* What portreg, active, hooks inet_put_port with. */
static enum release_hook release_hook(void)
{
	int err;
	char *list = slurp("/sys/kernel/debug/kprobes/list", &err);
	char *line = list ? strstr(list, " inet_put_port+0x0") : NULL;
	enum release_hook hook = RELEASE_FTRACE_OPS;

	if (!list)
		die("read /sys/kernel/debug/kprobes/list");
	if (line)
		hook = strstr(line, "[FTRACE]") &&
		       strstr(line, "[FTRACE]") < strchrnul(line, '\n') ?
		       RELEASE_KPROBE_FTRACE : RELEASE_KPROBE_TRAP;
	free(list);
	return hook;
}

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static unsigned long long count_recorded_claims(void)
{
	unsigned long long n = 0;
	struct table t;
	int i;

	if (!load(&t, CLAIMS, C_NFIELDS))
		die("read claims");
	for (i = 0; i < t.nrec; i++)
		n += !strcmp(t.rec[i].f[C_KIND], "bind") ||
		     !strcmp(t.rec[i].f[C_KIND], "listen") ||
		     !strcmp(t.rec[i].f[C_KIND], "autobind");
	unload(&t);
	return n;
}

/* One round: RELEASE_SOCKETS orphans whose ports timers give back. */
static void release_round(int listener)
{
	static int servers[RELEASE_SOCKETS];
	struct sa a = mkaddr(AF_INET, "127.0.0.1", 7310);
	struct sa any = mkaddr(AF_INET, "127.0.0.1", 0);
	int linger2 = 61, i;

	for (i = 0; i < RELEASE_SOCKETS; i++) {
		int c = sock(AF_INET, SOCK_STREAM);

		if (setsockopt(c, IPPROTO_TCP, TCP_LINGER2, &linger2,
			       sizeof(linger2)) ||
		    bind(c, &any.sa, any.len) || connect(c, &a.sa, a.len))
			die("release round: client");
		servers[i] = accept(listener, NULL, NULL);
		if (servers[i] < 0)
			die("release round: accept");
		close(c);
	}
	sleep(3);	/* the keepalive timers fire after 1 s */
	for (i = 0; i < RELEASE_SOCKETS; i++)
		close(servers[i]);
}

static void scenario_release_misses(void)
{
	const char *missed_key = "probe inet_put_port missed";
	unsigned long long missed0 = stat_value(missed_key), missed = 0;
	unsigned long long swept0 = stat_value("records_swept"), swept;
	unsigned long long records, recorded;
	struct rlimit lim = { RELEASE_SOCKETS + 64, RELEASE_SOCKETS + 64 };
	struct sa a = mkaddr(AF_INET, "127.0.0.1", 7310);
	enum release_hook hook = release_hook();
	int listener, round, rounds = hook == RELEASE_FTRACE_OPS ? 3 : 5, err;
	char *record_cmd;
	pid_t hog;

	if (hook == RELEASE_KPROBE_TRAP) {
		printf("release probes' misses not forced: kprobes here are not ftrace-based, and their handlers run with interrupts off\n");
		return;
	}
	if (access(TRACEFS "/kprobe_events", W_OK) &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		die("mount tracefs");
	if (setrlimit(RLIMIT_NOFILE, &lim))
		die("setrlimit");
	/*
	 * Enabling the first trace event also hooks the scheduler's wakeup
	 * and switch tracepoints to record command names (record-cmd): the
	 * kernel live-patches its wakeup path while the other vCPU, woken by
	 * the patching's own IPI, runs it.  Multi-threaded TCG sometimes
	 * gets that cross-modifying code wrong ("Oops: int3" in
	 * ttwu_do_activate(), once in 27 rounds on 6.12).  The scenario
	 * needs no command names, and the option is put back afterwards.
	 */
	record_cmd = slurp(TRACEFS "/options/record-cmd", &err);
	if (!record_cmd || !write_file(TRACEFS "/options/record-cmd", "0\n", false))
		die("tracefs record-cmd");
	if (!write_file(TRACEFS "/kprobe_events",
			"p:prhog/hog __task_pid_nr_ns comm=$comm type=$arg2:u32 ns=$arg3:x64\n",
			true) ||
	    !write_file(TRACEFS "/events/prhog/hog/enable", "1\n", false))
		die("tracefs kprobe");
	pin_cpu0();
	hog = fork();
	if (hog < 0)
		die("fork");
	if (hog == 0)
		for (;;)
			getppid();
	listener = sock(AF_INET, SOCK_STREAM);
	if (bind(listener, &a.sa, a.len) || listen(listener, RELEASE_SOCKETS))
		die("release misses: listener");
	/*
	 * Rounds until one misses, each a few seconds; with the ftrace_ops,
	 * every round, none of which may miss.
	 */
	for (round = 0; round < rounds && (!missed || hook == RELEASE_FTRACE_OPS);
	     round++) {
		release_round(listener);
		missed = stat_value(missed_key) - missed0;
	}
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	if (!write_file(TRACEFS "/events/prhog/hog/enable", "0\n", false) ||
	    !write_file(TRACEFS "/kprobe_events", "-:prhog/hog\n", true) ||
	    !write_file(TRACEFS "/options/record-cmd", record_cmd, false))
		die("tracefs kprobe removal");
	free(record_cmd);
	if (hook == RELEASE_FTRACE_OPS) {
		/* At once: a sweep could hide what a miss left. */
		swept = stat_value("records_swept") - swept0;
		records = stat_value("records");
		recorded = count_recorded_claims();
		result(missed == 0,
		       "release hook (an ftrace_ops) missed nothing under another kprobe",
		       "%llu missed in %d rounds of %d", missed, round,
		       RELEASE_SOCKETS);
		compare_with_kernel("timers' releases under another kprobe", NULL, 0);
		result(swept == 0 && records == recorded,
		       "no record outlived its socket: none left for the sweep",
		       "%llu swept, %llu records for %llu recorded sockets",
		       swept, records, recorded);
		close(listener);
		return;
	}
	result(missed > 0, "release probes missed for real (a timer's release under another kprobe)",
	       "no miss in %d rounds of %d", round, RELEASE_SOCKETS);
	printf("release probe misses: %llu in %d rounds of %d sockets\n", missed,
	       round, RELEASE_SOCKETS);
	compare_with_kernel("release probes missing, TIME_WAITs left", NULL, 0);
	close(listener);
	/* The sweep comes within 5 s of the last miss. */
	sleep(8);
	swept = stat_value("records_swept") - swept0;
	records = stat_value("records");
	recorded = count_recorded_claims();
	result(swept > 0 && records == recorded,
	       "the sweep reclaims the records missed releases left",
	       "%llu swept, %llu records for %llu recorded sockets", swept,
	       records, recorded);
}

/*
 * Sockets bound before portreg was loaded: a TCP listener, a bound-only
 * TCP socket, a UDP socket and an MPTCP listener, made with the module
 * unloaded, are listed once it loads, as before-load, with the socket's
 * own uid and inode; a bind refused by one of them names it.
 */
static void scenario_preload(const char *module)
{
	struct { int family, type, proto, port; bool listen; const char *kind; } s[] = {
		{ AF_INET, SOCK_STREAM, 0, 7201, true, "listen" },
		{ AF_INET6, SOCK_STREAM, 0, 7202, false, "bound" },
		{ AF_INET, SOCK_DGRAM, 0, 7203, false, "bound" },
		{ AF_INET6, SOCK_STREAM, IPPROTO_MPTCP, 7204, true, "listen" },
	};
	struct try_bind b = { .family = AF_INET, .type = SOCK_STREAM,
			      .addr = "0.0.0.0", .port = 7201, .comm = "late" };
	unsigned long inos[4];
	char cmd[256];
	struct record *r;
	struct table t;
	int fds[4], i;

	for (i = 0; i < 4; i++) {
		struct sa a = mkaddr(s[i].family, s[i].family == AF_INET ? "0.0.0.0" : "::",
				     s[i].port);

		fds[i] = socket(s[i].family, s[i].type, s[i].proto);
		if (fds[i] < 0 || bind(fds[i], &a.sa, a.len) ||
		    (s[i].listen && listen(fds[i], 4)))
			die("socket before load");
		inos[i] = inode_of(fds[i]);
	}
	snprintf(cmd, sizeof(cmd), "insmod %s", module);
	if (system(cmd))
		die("insmod");
	if (!load(&t, CLAIMS, C_NFIELDS))
		die("read claims");
	for (i = 0; i < 4; i++) {
		r = find_claim(&t, inos[i]);
		result(r && !strcmp(r->f[C_KIND], "before-load") &&
		       !strcmp(r->f[C_PID], "-") && !strcmp(r->f[C_UID], "0") &&
		       num(r->f[C_PORT]) == s[i].port && !strcmp(r->f[C_STATE], s[i].kind) &&
		       !strcmp(r->f[C_SINCE], "-"),
		       label("a socket from before load is claimed (%s %d)",
			     s[i].proto ? "mptcp" : s[i].type == SOCK_DGRAM ? "udp" : "tcp",
			     s[i].port),
		       "%s", r ? r->f[C_KIND] : "no claim");
	}
	unload(&t);
	r = try_bind("a socket from before load", &b, EADDRINUSE, "before-load",
		     "exclusive", &t);
	result(r && strtoul(r->f[B_HINODE], NULL, 10) == inos[0] &&
	       !strcmp(r->f[B_HUID], "0") && !strcmp(r->f[B_HPID], "-"),
	       "before load: the socket's uid and inode, no claimer", "'%s %s %s'",
	       r ? r->f[B_HINODE] : "-", r ? r->f[B_HUID] : "-",
	       r ? r->f[B_HPID] : "-");
	unload(&t);
	for (i = 0; i < 4; i++)
		close(fds[i]);
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
	/* Every event is a bind, or the release of a claim portreg recorded. */
	result(seen + stat_value("records_released") == head && seen > 20,
	       "stats: binds_seen and records_released count every event",
	       "seen %llu released %llu head %llu", seen,
	       stat_value("records_released"), head);
	result(failed_binds >= 2 && conflicts >= 1 && eacces >= 1 &&
	       failed_binds >= conflicts + eacces,
	       "stats: failures, conflicts and EACCES are counted",
	       "failed %llu conflicts %llu eacces %llu", failed_binds,
	       conflicts, eacces);
	result(stat_value("conflicts_named") == conflicts,
	       "stats: every conflict of the run named its holder",
	       "named %llu of %llu", stat_value("conflicts_named"), conflicts);
	result(stat_value("records_max") == 8192 && stat_value("records_share") == 2048 &&
	       stat_value("records") < 8192 && stat_value("lost") == 0 &&
	       stat_value("records_full") == 0 && stat_value("records_quota") == 0,
	       "stats: the records, within their bounds, none refused, nothing lost",
	       "records %llu max %llu share %llu full %llu quota %llu lost %llu",
	       stat_value("records"), stat_value("records_max"),
	       stat_value("records_share"), stat_value("records_full"),
	       stat_value("records_quota"), stat_value("lost"));
}

static void scenario_ring(int size)
{
	unsigned long long head0 = stat_value("ring_head");
	struct sa a = mkaddr(AF_INET, "127.0.0.1", 0);
	struct table t;
	int i, extra = size + size / 2, fd;
	/* Each bind, and the release of its claim at close. */
	int events = 2 * extra;
	unsigned long long drops;

	for (i = 0; i < extra; i++) {
		fd = sock(AF_INET, SOCK_DGRAM);
		if (bind(fd, &a.sa, a.len))
			die("bind");
		close(fd);
	}
	drops = stat_value("ring_drops");
	result(head0 == 0 && stat_value("ring_head") == (unsigned long long)events,
	       "ring: every bind and release got a sequence number", "head %llu",
	       stat_value("ring_head"));
	result(drops == (unsigned long long)(events - size),
	       "ring: overwritten unread events count as drops",
	       "drops %llu, want %d", drops, events - size);
	if (!load(&t, BINDS, B_NFIELDS))
		die("read binds");
	result(t.nrec == size && num(t.rec[0].f[B_SEQ]) == events - size &&
	       num(t.rec[t.nrec - 1].f[B_SEQ]) == events - 1 &&
	       !strcmp(t.rec[t.nrec - 1].f[B_KIND], "release"),
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
		scenario_why_timewait();
		scenario_why_accepted();
		scenario_why_connect();
		scenario_why_reuseport_uid();
		scenario_why_v6only();
		scenario_why_bindtodevice();
		scenario_why_listener();
		scenario_reuseport_and_exit();
		scenario_privilege();
		scenario_netns();
		scenario_proc_net();
		scenario_many_held(3000);
		scenario_follow();
		scenario_stats();
	} else if (!strcmp(cmd, "misses")) {
		scenario_locked_bind();
		scenario_misses();
		scenario_release_misses();
	} else if (!strcmp(cmd, "preload") && argc > 2) {
		lo_up();
		scenario_preload(argv[2]);
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
		fprintf(stderr, "usage: bindtest all|misses|preload MODULE|ring N|group GID|storm SECS\n");
		return 2;
	}
	return vm_failures ? 1 : 0;
}
