// SPDX-License-Identifier: GPL-2.0
/*
 * bindbench: the benchmark VM's load generator and stopwatch.
 *
 *   bindbench loop N            socket(), bind(), close() N times for each
 *                               variant (tcp, udp; IPv4, IPv6; an explicit
 *                               port, port 0); prints "VARIANT NS" lines,
 *                               nanoseconds per iteration
 *   bindbench connect N         socket(), a non-blocking connect() to a
 *                               loopback port nobody listens on, close(),
 *                               N times, IPv4 then IPv6; prints
 *                               "tcp4-connect NS" and "tcp6-connect NS"
 *   bindbench hold K            binds K TCP sockets, ports 20000 to
 *                               59999 on 127.0.1.1, then on 127.0.1.2 and
 *                               so on (the loop binds 127.0.0.1 and ::1,
 *                               whose ports stay free), prints "held K",
 *                               then waits for SIGTERM
 *   bindbench rate R SECS T     T threads, thread i on CPU i, bind UDP
 *                               port 0 at R binds/s in all, paced, for SECS;
 *                               prints "rate TARGET ACHIEVED BINDS"
 *   bindbench read FILE N       reads FILE whole N times; prints the
 *                               median nanoseconds and the bytes
 *   bindbench exec N CMD...     runs CMD N times; prints the median
 *                               nanoseconds
 *
 * Times come from CLOCK_MONOTONIC inside the guest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOOP_PORT	19000
#define CONNECT_PORT	19001	/* nobody listens: the SYN is answered by RST */
#define HOLD_PORT	20000
#define HOLD_PORTS	40000	/* per address */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bindbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static socklen_t loopback(struct sockaddr_storage *ss, int family, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*in);
	}
	((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_loopback;
	return sizeof(struct sockaddr_in6);
}

/* One CPU throughout: a migration in mid-run is noise, not cost. */
static void pin_cpu0(void)
{
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
}

static int loop(long n)
{
	static const struct {
		const char *name;
		int family, type, port;
	} variants[] = {
		{ "tcp4-port", AF_INET, SOCK_STREAM, LOOP_PORT },
		{ "tcp4-any", AF_INET, SOCK_STREAM, 0 },
		{ "udp4-port", AF_INET, SOCK_DGRAM, LOOP_PORT },
		{ "udp4-any", AF_INET, SOCK_DGRAM, 0 },
		{ "tcp6-port", AF_INET6, SOCK_STREAM, LOOP_PORT },
		{ "tcp6-any", AF_INET6, SOCK_STREAM, 0 },
		{ "udp6-port", AF_INET6, SOCK_DGRAM, LOOP_PORT },
		{ "udp6-any", AF_INET6, SOCK_DGRAM, 0 },
	};
	size_t v;

	pin_cpu0();
	for (v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct sockaddr_storage ss;
		socklen_t len = loopback(&ss, variants[v].family, variants[v].port);
		long long start = now_ns();
		long i;

		for (i = 0; i < n; i++) {
			int fd = socket(variants[v].family, variants[v].type, 0);

			if (fd < 0)
				die("socket");
			if (bind(fd, (struct sockaddr *)&ss, len))
				die("bind");
			close(fd);
		}
		printf("%s %.1f\n", variants[v].name, (double)(now_ns() - start) / n);
	}
	return 0;
}

/*
 * A client's connect as far as its port: the kernel picks the port, sends
 * the SYN and returns; close() then drops the half-open socket, and the
 * RST the loopback peer sends finds nobody.  No TIME_WAIT is left to spend
 * the ephemeral range over the rounds.
 */
static int connect_loop(long n)
{
	static const struct {
		const char *name;
		int family;
	} variants[] = {
		{ "tcp4-connect", AF_INET },
		{ "tcp6-connect", AF_INET6 },
	};
	size_t v;

	pin_cpu0();
	for (v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct sockaddr_storage ss;
		socklen_t len = loopback(&ss, variants[v].family, CONNECT_PORT);
		long long start = now_ns();
		long i;

		for (i = 0; i < n; i++) {
			int fd = socket(variants[v].family,
					SOCK_STREAM | SOCK_NONBLOCK, 0);

			if (fd < 0)
				die("socket");
			if (!connect(fd, (struct sockaddr *)&ss, len) ||
			    (errno != EINPROGRESS && errno != ECONNREFUSED))
				die("connect");
			close(fd);
		}
		printf("%s %.1f\n", variants[v].name,
		       (double)(now_ns() - start) / n);
	}
	return 0;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static __attribute__((noreturn)) void hold(long k)
{
	struct rlimit rl = { k + 64, k + 64 };
	long i;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	signal(SIGTERM, on_term);
	for (i = 0; i < k; i++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons(HOLD_PORT + i % HOLD_PORTS),
			.sin_addr.s_addr = htonl(0x7f000101 + i / HOLD_PORTS),
		};
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket");
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("bind");
	}
	printf("held %ld\n", k);
	fflush(stdout);
	for (;;)
		pause();
}

struct pacer {
	pthread_t thread;
	int cpu;
	double rate;		/* binds per second for this thread */
	long long end;
	long binds;
};

static void *pace(void *arg)
{
	struct pacer *p = arg;
	long long start = now_ns(), next = start;
	long long step = (long long)(1e9 / p->rate);
	struct sockaddr_storage ss;
	socklen_t len = loopback(&ss, AF_INET, 0);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (next < p->end) {
		int fd;

		/* Spin to the next slot: a sleep's wake-up is too coarse here. */
		while (now_ns() < next)
			;
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket");
		if (bind(fd, (struct sockaddr *)&ss, len))
			die("bind");
		close(fd);
		p->binds++;
		next += step;
		/* Behind schedule: do not burst to catch up, just go on. */
		if (now_ns() > next + step)
			next = now_ns();
	}
	return NULL;
}

static int rate(double target, double secs, int threads)
{
	struct pacer p[64];
	long long start = now_ns(), end = start + (long long)(secs * 1e9);
	long total = 0;
	int i;

	if (threads < 1 || threads > 64)
		return 2;
	for (i = 0; i < threads; i++) {
		p[i] = (struct pacer){ .cpu = i, .rate = target / threads, .end = end };
		if (pthread_create(&p[i].thread, NULL, pace, &p[i]))
			die("pthread_create");
	}
	for (i = 0; i < threads; i++) {
		pthread_join(p[i].thread, NULL);
		total += p[i].binds;
	}
	printf("rate %.0f %.0f %ld\n", target, total / ((now_ns() - start) / 1e9), total);
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long median(long long *v, long n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return v[n / 2];
}

static int read_file(const char *path, long n)
{
	static char buf[1 << 16];
	long long *t = calloc(n, sizeof(*t));
	long bytes = 0, i;

	if (!t)
		die("calloc");
	for (i = 0; i < n; i++) {
		long long start = now_ns();
		int fd = open(path, O_RDONLY);
		ssize_t got;

		if (fd < 0)
			die(path);
		bytes = 0;
		while ((got = read(fd, buf, sizeof(buf))) > 0)
			bytes += got;
		if (got < 0)
			die(path);
		close(fd);
		t[i] = now_ns() - start;
	}
	printf("%lld %ld\n", median(t, n), bytes);
	return 0;
}

static int exec_cmd(long n, char **argv)
{
	long long *t = calloc(n, sizeof(*t));
	long i;

	if (!t)
		die("calloc");
	for (i = 0; i < n; i++) {
		long long start = now_ns();
		int status;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "bindbench: %s: exit status %d\n", argv[0], status);
			return 1;
		}
		t[i] = now_ns() - start;
	}
	printf("%lld\n", median(t, n));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "loop"))
		return loop(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "connect"))
		return connect_loop(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "hold"))
		hold(atol(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "rate"))
		return rate(atof(argv[2]), atof(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "read"))
		return read_file(argv[2], atol(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "exec"))
		return exec_cmd(atol(argv[2]), argv + 3);
	fprintf(stderr, "usage: bindbench loop N | connect N | hold K | rate R SECS THREADS | read FILE N | exec N CMD...\n");
	return 2;
}
