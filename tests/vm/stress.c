// SPDX-License-Identifier: GPL-2.0
/*
 * stress: bind storms across module loads and unloads, with exact
 * accounting.  Run by the VM's init (stress.sh) with portreg unloaded:
 *
 *   stress SECS MODULE.ko
 *
 * Eight threads socket(), bind() and close() on TCP and UDP over IPv4 and
 * IPv6, on explicit ports (shared between threads, so some binds conflict)
 * and on port 0, for SECS seconds.  Meanwhile the main thread cycles:
 *
 *   1. with the threads parked between binds, load the module (ring_size
 *      alternating 4096 and 64) and start a follower on binds_follow; the
 *      small ring's follower reads nothing until the threads are parked
 *      again, so that the ring overwrites;
 *   2. let the threads bind for a while (EPOCH_MS, or until they made
 *      EPOCH_MIN_BINDS binds), park them again, and wait for
 *      the follower to reach the last event.  Then the accounting must be
 *      exact: the follower's events seen plus the SEQ numbers it never got
 *      (overwritten: dropped) equal the binds made plus the releases of
 *      their claims (records_released: the workers closed every socket),
 *      the module's binds_seen equals the binds made, and no probe missed
 *      a call;
 *   3. release the threads and unload, load and unload again while they
 *      bind: these transitions race binds in flight and are not counted.
 *
 * Readers of every file and a registry writer run alongside (stress.sh).
 * Output: "portreg-vm: ok|not ok NAME" and "portreg-vm: info ..." lines.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vmcheck.h"

#define WORKERS		8
#define FOLLOW		"/proc/portreg/binds_follow"
#define STATS		"/proc/portreg/stats"
/*
 * An accounted epoch lets the threads bind for EPOCH_MS, and longer if
 * they have not made EPOCH_MIN_BINDS binds by then (four times the small
 * ring, so that it overwrites): in 300 ms the debug kernel under TCG made
 * 39 binds, Debian's kernel thousands.
 */
#define EPOCH_MS	300
#define EPOCH_MIN_BINDS	256
#define EPOCH_MAX_S	60

struct worker {
	pthread_t thread;
	int id;
	atomic_long binds;	/* bind() calls since the counters were reset */
};

static struct worker workers[WORKERS];
/*
 * Parked workers block on a condition variable.  Polling with short sleeps
 * instead cost eight timer wakeups a millisecond, which on the debug
 * kernel under TCG left the main thread a sliver of the CPU.  The flags
 * change under park_lock; workers also read them unlocked between binds.
 */
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_changed = PTHREAD_COND_INITIALIZER;
static atomic_bool park_request;
static atomic_bool stop_request;
static int parked;	/* workers waiting in worker_park(), under park_lock */
static int module_fd = -1;

struct follower {
	pthread_t thread;
	int fd;
	atomic_long next_seq;	/* one past the highest SEQ read */
	atomic_long seen;	/* lines read */
	atomic_long gaps;	/* SEQ numbers skipped: overwritten events */
	atomic_bool bad;	/* a line that did not parse, or SEQ going back */
	atomic_bool ended;
	atomic_bool hold;	/* read nothing yet, so that a small ring overwrites */
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits, counted in parked, until the workers are released or stopped. */
static void worker_park(void)
{
	pthread_mutex_lock(&park_lock);
	parked++;
	pthread_cond_broadcast(&park_changed);
	while (atomic_load(&park_request) && !atomic_load(&stop_request))
		pthread_cond_wait(&park_changed, &park_lock);
	parked--;
	pthread_mutex_unlock(&park_lock);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned long n = (unsigned long)w->id * 7;

	while (!atomic_load(&stop_request)) {
		struct sockaddr_storage ss = { 0 };
		struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		int family = n & 1 ? AF_INET6 : AF_INET;
		int type = n & 2 ? SOCK_STREAM : SOCK_DGRAM;
		/* Explicit ports shared by all threads, so binds conflict. */
		int port = n & 4 ? 7200 + (int)(n % 8) : 0;
		socklen_t len;
		int fd;

		if (atomic_load(&park_request)) {
			worker_park();
			continue;
		}
		if (family == AF_INET) {
			in4->sin_family = AF_INET;
			in4->sin_port = htons(port);
			in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			len = sizeof(*in4);
		} else {
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons(port);
			in6->sin6_addr = in6addr_loopback;
			len = sizeof(*in6);
		}
		fd = socket(family, type, 0);
		if (fd < 0) {
			sleep_ms(1);
			continue;
		}
		/* Every bind() call is one event, whatever it returns. */
		if (bind(fd, (struct sockaddr *)&ss, len) == 0 && type == SOCK_STREAM &&
		    !(n & 8))
			listen(fd, 1);
		atomic_fetch_add(&w->binds, 1);
		close(fd);
		n++;
	}
	return NULL;
}

/* Parks every worker between two binds; false if one never parks. */
static bool park_workers(void)
{
	struct timespec deadline;
	int err = 0;
	bool all;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&park_lock);
	atomic_store(&park_request, true);
	while (parked < WORKERS && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&park_changed, &park_lock, &deadline);
	all = parked == WORKERS;
	pthread_mutex_unlock(&park_lock);
	return all;
}

static void set_flag_and_wake(atomic_bool *flag, bool value)
{
	pthread_mutex_lock(&park_lock);
	atomic_store(flag, value);
	pthread_cond_broadcast(&park_changed);
	pthread_mutex_unlock(&park_lock);
}

static void release_workers(void)
{
	set_flag_and_wake(&park_request, false);
}

static long binds_made(bool reset)
{
	long sum = 0;
	int i;

	for (i = 0; i < WORKERS; i++)
		sum += reset ? atomic_exchange(&workers[i].binds, 0) :
			       atomic_load(&workers[i].binds);
	return sum;
}

/* Counts the SEQ column of every line binds_follow returns. */
static void *follower_main(void *arg)
{
	struct follower *f = arg;
	char buf[65536], line[1024];
	size_t used = 0;
	ssize_t got;

	while (atomic_load(&f->hold))
		sleep_ms(5);
	while ((got = read(f->fd, buf, sizeof(buf))) > 0) {
		ssize_t i;

		for (i = 0; i < got; i++) {
			char *end;
			long seq;

			if (buf[i] != '\n') {
				if (used < sizeof(line) - 1)
					line[used++] = buf[i];
				continue;
			}
			line[used] = '\0';
			used = 0;
			if (!strncmp(line, "SEQ ", 4) || line[0] == '#')
				continue;
			seq = strtol(line, &end, 10);
			if (end == line || *end != ' ' || seq < atomic_load(&f->next_seq)) {
				atomic_store(&f->bad, true);
				continue;
			}
			atomic_fetch_add(&f->gaps, seq - atomic_load(&f->next_seq));
			atomic_fetch_add(&f->seen, 1);
			atomic_store(&f->next_seq, seq + 1);
		}
	}
	atomic_store(&f->ended, true);
	return NULL;
}

static bool load_module(const char *params)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (!syscall(SYS_finit_module, module_fd, params, 0))
			return true;
		if (errno != EEXIST && errno != EBUSY)
			break;
		sleep_ms(10);
	}
	printf("portreg-vm: info stress: finit_module(%s): %s\n", params, strerror(errno));
	return false;
}

/*
 * The longest delete_module() that succeeded: it includes the kernel's own
 * synchronize_rcu() in free_module(), so it tracks how long a grace period
 * takes under this load (compare the control run's longest disarm).
 */
static double longest_unload_s;

static bool unload_module(void)
{
	int tries;

	for (tries = 0; tries < 500; tries++) {
		double start = now();

		if (!syscall(SYS_delete_module, "portreg", O_NONBLOCK)) {
			double took = now() - start;

			if (took > longest_unload_s)
				longest_unload_s = took;
			if (took >= 5)
				printf("portreg-vm: info stress: an unload took %.1f s, from %.0f s after boot\n",
				       took, start);
			return true;
		}
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			break;
		sleep_ms(10);
	}
	printf("portreg-vm: info stress: delete_module: %s\n", strerror(errno));
	return false;
}

/*
 * The sum of the "probe X missed N" lines, of the probes that see binds
 * (bind_probes true) or of those that see releases.  A bind probe that
 * misses loses an event; a release probe can miss when a softirq frees a
 * socket while a probe handler runs on that CPU, which leaves a record
 * for the sweep but never a claim: claims come from the kernel's tables.
 */
static long probes_missed(const char *text, bool bind_probes)
{
	static const char *const binds[] = {
		"probe __inet_bind ", "probe __inet6_bind ", "probe inet_csk_listen_start ",
		"probe inet_autobind ",
	};
	const char *p = text;
	long sum = 0;

	while ((p = strstr(p, "probe "))) {
		const char *m = strstr(p, " missed ");
		const char *eol = strchr(p, '\n');
		bool is_bind = false;
		size_t i;

		for (i = 0; i < sizeof(binds) / sizeof(binds[0]); i++)
			is_bind |= !strncmp(p, binds[i], strlen(binds[i]));
		if (m && (!eol || m < eol) && is_bind == bind_probes)
			sum += strtol(m + 8, NULL, 10);
		p = eol ? eol + 1 : p + 1;
	}
	return sum;
}

/* Lines of /proc/portreg/claims that name this process as claimer. */
static long own_claims(void)
{
	FILE *f = fopen("/proc/portreg/claims", "r");
	char line[1100], pid[16];
	long n = 0;

	if (!f)
		return -1;
	snprintf(pid, sizeof(pid), "%d", getpid());
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		int field;

		/* PID is the sixth field. */
		for (field = 0; field < 5 && p; field++) {
			p = strchr(p, ' ');
			p = p ? p + 1 : NULL;
		}
		if (p && !strncmp(p, pid, strlen(pid)) && p[strlen(pid)] == ' ')
			n++;
	}
	fclose(f);
	return n;
}

static bool read_stats(char *buf, size_t size)
{
	int fd = open(STATS, O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return false;
	got = read(fd, buf, size - 1);
	close(fd);
	if (got <= 0)
		return false;
	buf[got] = '\0';
	return true;
}

struct totals {
	long epochs, exact, made, seen, dropped, kernel_seen, missed;
	long release_missed, ghost_claims;
	long loads, racing_reloads, failed_reloads;
};

/* One accounted epoch; the workers are parked and the module unloaded. */
static bool accounted_epoch(struct totals *t, const char *params, bool hold)
{
	struct follower f = { .fd = -1, .hold = hold };
	char stats[8192];
	double deadline;
	long made, released, events, kernel_seen, missed, release_missed, claims;
	bool ok;

	if (!load_module(params))
		return false;
	t->loads++;
	f.fd = open(FOLLOW, O_RDONLY);
	if (f.fd < 0 || pthread_create(&f.thread, NULL, follower_main, &f)) {
		printf("portreg-vm: info stress: %s: %s\n", FOLLOW, strerror(errno));
		return false;
	}
	binds_made(true);
	release_workers();
	deadline = now() + EPOCH_MAX_S;
	sleep_ms(EPOCH_MS);
	while (binds_made(false) < EPOCH_MIN_BINDS && now() < deadline)
		sleep_ms(10);
	if (!park_workers()) {
		printf("portreg-vm: info stress: a worker never parked\n");
		return false;
	}
	made = binds_made(false);
	/* Each claim's end is an event too: the workers closed every socket. */
	ok = read_stats(stats, sizeof(stats));
	released = ok ? stats_value(stats, "records_released") : -1;
	events = made + released;
	atomic_store(&f.hold, false);
	/* The last event is never overwritten: the follower must reach it. */
	deadline = now() + 20;
	while (atomic_load(&f.next_seq) < events && now() < deadline)
		sleep_ms(5);
	ok = ok && read_stats(stats, sizeof(stats));
	kernel_seen = ok ? stats_value(stats, "binds_seen") : -1;
	missed = ok ? probes_missed(stats, true) : -1;
	release_missed = ok ? probes_missed(stats, false) : -1;
	/* Every worker closed every socket it bound: nothing may be held. */
	claims = own_claims();
	if (!unload_module())
		return false;
	pthread_join(f.thread, NULL);
	close(f.fd);

	t->epochs++;
	t->made += made;
	t->seen += atomic_load(&f.seen);
	t->dropped += atomic_load(&f.gaps);
	t->kernel_seen += kernel_seen;
	t->missed += missed;
	t->release_missed += release_missed;
	t->ghost_claims += claims;
	if (atomic_load(&f.seen) + atomic_load(&f.gaps) == events &&
	    kernel_seen == made && released >= 0 && missed == 0 &&
	    !atomic_load(&f.bad) && atomic_load(&f.ended))
		t->exact++;
	else
		printf("portreg-vm: info stress: epoch %ld (%s): made %ld, released %ld, follower seen %ld + dropped %ld%s, binds_seen %ld, missed %ld\n",
		       t->epochs, params, made, released, atomic_load(&f.seen),
		       atomic_load(&f.gaps), atomic_load(&f.bad) ? " (bad line)" : "",
		       kernel_seen, missed);
	return true;
}

/* Reloads while the workers bind: races probes against binds in flight. */
static void racing_reloads(struct totals *t)
{
	release_workers();
	if (!load_module("")) {
		t->failed_reloads++;
		return;
	}
	sleep_ms(40);
	if (!unload_module()) {
		t->failed_reloads++;
		return;
	}
	sleep_ms(10);
	if (load_module("ring_size=64") && (sleep_ms(40), unload_module()))
		t->racing_reloads++;
	else
		t->failed_reloads++;
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	double end;
	int i, epoch = 0;
	bool ok = true;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: stress SECS MODULE.ko\n");
		return 2;
	}
	module_fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (module_fd < 0) {
		printf("portreg-vm: not ok stress: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	end = now() + atoi(argv[1]);
	atomic_store(&park_request, true);
	for (i = 0; i < WORKERS; i++) {
		workers[i].id = i;
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i])) {
			printf("portreg-vm: not ok stress: pthread_create: %s\n", strerror(errno));
			return 1;
		}
	}
	while (ok && now() < end) {
		bool small = !(epoch++ & 1);	/* the small ring first */

		ok = park_workers() &&
		     accounted_epoch(&t, small ? "ring_size=64" : "ring_size=4096", small);
		if (ok) {
			printf("portreg-vm: info stress: epoch %ld done at %.0f s left, %ld binds so far\n",
			       t.epochs, end - now(), t.made);
			racing_reloads(&t);
			ok = park_workers();
		}
	}
	set_flag_and_wake(&stop_request, true);
	for (i = 0; i < WORKERS; i++)
		pthread_join(workers[i].thread, NULL);

	printf("portreg-vm: info stress: %ld accounted epochs: %ld binds made, %ld events seen + %ld dropped; module binds_seen %ld; probes missed %ld\n",
	       t.epochs, t.made, t.seen, t.dropped, t.kernel_seen, t.missed);
	printf("portreg-vm: info stress: release probes missed %ld; claims left after all sockets closed %ld\n",
	       t.release_missed, t.ghost_claims);
	printf("portreg-vm: info stress: %ld loads in accounted epochs, %ld racing reload pairs, %ld failed\n",
	       t.loads, t.racing_reloads, t.failed_reloads);
	printf("portreg-vm: info stress: longest unload %.1f s\n", longest_unload_s);
	printf("portreg-vm: info stress-counts: made=%ld seen=%ld dropped=%ld reloads=%ld\n",
	       t.made, t.seen, t.dropped, t.loads + 2 * t.racing_reloads);
	result(ok && t.epochs > 0, "stress: every load, unload and park succeeded",
	       "stopped after %ld epochs", t.epochs);
	result(t.epochs > 0 && t.exact == t.epochs,
	       "stress: events seen + dropped = binds made + their releases, in every accounted epoch",
	       "%ld of %ld epochs exact", t.exact, t.epochs);
	result(t.epochs > 0 && t.ghost_claims == 0,
	       "stress: no claim outlives its socket (claims 0 once all are closed)",
	       "%ld claims left", t.ghost_claims);
	result(t.dropped > 0, "stress: the small ring overwrote events (drops exercised)",
	       "no drop in %ld epochs", t.epochs);
	result(t.failed_reloads == 0, "stress: reloads racing binds in flight all succeeded",
	       "%ld failed", t.failed_reloads);
	return vm_failures ? 1 : 0;
}
