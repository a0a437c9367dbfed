// SPDX-License-Identifier: GPL-2.0
/*
 * What the record commands share: /proc/portreg's record files read whole
 * and parsed before anything is printed, the filters their options make,
 * and the JSON writers of binds and claims (docs/json.md).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "recfile.h"
#include "tool.h"

static bool filter_port(const struct filter *f, unsigned int port)
{
	unsigned int i;

	if (!f->nports)
		return true;
	for (i = 0; i < f->nports; i++)
		if (f->ports[i] == port)
			return true;
	return false;
}

/* Lost markers match no filter: filter_marker() says which to show. */
bool filter_bind(const struct filter *f, const struct pr_bind *b)
{
	if (b->kind == PR_KIND_LOST)
		return false;
	if (b->kind == PR_KIND_RELEASE && !f->releases)
		return false;
	if (f->has_pid && b->task.pid != f->pid)
		return false;
	if (f->has_uid && (!b->task.has_uid || b->task.uid != f->uid))
		return false;
	if (f->cgroup && !cgroup_under(b->task.cgroup, f->cgroup))
		return false;
	if (f->errors && !b->result)
		return false;
	if (f->proto && strcmp(f->proto, b->proto))
		return false;
	return filter_port(f, b->port) ||
	       (b->requested_port && filter_port(f, b->requested_port));
}

/*
 * Whether a listing shows a lost marker.  Its events may have been ones
 * the filter wanted, so -p, -P and -E keep it (its RET is its reason, not
 * a failed bind's errno).  A marker that names its user (over its share,
 * a locked socket) stands for that user's events only: -u keeps it only
 * for that user.  One that names nobody (missed probe hits, or a user the
 * reader's namespace does not map) could hide anyone's, and stays.
 */
bool filter_marker(const struct filter *f, const struct pr_bind *b)
{
	if (b->kind != PR_KIND_LOST)
		return false;
	return !f->has_uid || !b->task.has_uid || b->task.uid == f->uid;
}

bool filter_claim(const struct filter *f, const struct pr_claim *c)
{
	if (f->has_pid && c->task.pid != f->pid)
		return false;
	if (f->has_uid && (!c->task.has_uid || c->task.uid != f->uid))
		return false;
	if (f->cgroup && !cgroup_under(c->task.cgroup, f->cgroup))
		return false;
	if (f->proto && strcmp(f->proto, c->proto))
		return false;
	return filter_port(f, c->port);
}

/* who and why take one PORT[/PROTO]; prints why not and returns -1. */
int port_filter_arg(int argc, char **argv, struct filter *f)
{
	int first = command_operands(argc, argv, 1, 1);

	if (first < 0)
		return -1;
	f->nports = 1;
	return parse_port_arg(argv[first], &f->ports[0], &f->proto);
}

/* "-p PID", "-u UID", "-P PORT[,PORT...]" and "-c PREFIX"; 0 or -1. */
int parse_filter_opt(int opt, char *arg, struct filter *f)
{
	unsigned int n;
	char *tok, *save;

	switch (opt) {
	case 'c':
		if (arg[0] != '/') {
			error("-c: %s: not a cgroup path (it starts with /)", arg);
			return -1;
		}
		f->cgroup = arg;
		return 0;
	case 'p':
		if (!*arg || strspn(arg, "0123456789") != strlen(arg) ||
		    strlen(arg) > 10 || strtoll(arg, NULL, 10) > 2147483647 ||
		    !(f->pid = strtol(arg, NULL, 10)))
			goto bad;
		f->has_pid = true;
		return 0;
	case 'u':
		if (!*arg || strspn(arg, "0123456789") != strlen(arg) ||
		    strlen(arg) > 10 || strtoull(arg, NULL, 10) > 4294967295ULL)
			goto bad;
		f->uid = strtoul(arg, NULL, 10);
		f->has_uid = true;
		return 0;
	case 'P':
		for (tok = strtok_r(arg, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (f->nports == MAX_PORT_FILTER) {
				error("-P: at most %d ports", MAX_PORT_FILTER);
				return -1;
			}
			if (pr_parse_number(tok, 65535, &n) || !n) {
				error("-P: %s: not a port number from 1 to 65535", tok);
				return -1;
			}
			f->ports[f->nports++] = n;
		}
		if (!f->nports) {
			error("-P: %s: no port given", arg);
			return -1;
		}
		return 0;
	}
bad:
	error("-%c: %s: not a valid %s", opt, arg, opt == 'p' ? "pid" : "uid");
	return -1;
}

int parse_filter_args(int argc, char **argv, const char *shortopts,
		      struct filter *f, int min, int max)
{
	static const struct option options[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	while ((opt = command_getopt(argc, argv, shortopts, options)) != -1) {
		if (opt == '?' || parse_filter_opt(opt, optarg, f)) {
			if (opt == '?')
				usage(stderr);
			return -1;
		}
	}
	if (argc - optind < min || argc - optind > max) {
		usage(stderr);
		return -1;
	}
	return optind;
}

void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	free(l->reason);
}

int read_lines(const char *name, struct lines *l, char *path, size_t size)
{
	FILE *f = open_table(name, path, size);
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;

	memset(l, 0, sizeof(*l));
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (!strncmp(line, TRACKING_OFF, strlen(TRACKING_OFF)) && !l->reason) {
			const char *reason = line + strlen(TRACKING_OFF);

			l->unavailable = true;
			l->reason = strndup(reason, strcspn(reason, "\n"));
		}
		if (l->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			char **grown = realloc(l->line, alloc * sizeof(*l->line));

			if (!grown) {
				error("out of memory");
				exit(EXIT_ACCESS);
			}
			l->line = grown;
		}
		l->line[l->n] = strdup(line);
		if (!l->line[l->n++]) {
			error("out of memory");
			exit(EXIT_ACCESS);
		}
	}
	free(line);
	if (ferror(f)) {
		error("%s: %s", path, strerror(errno));
		fclose(f);
		lines_free(l);
		return -1;
	}
	fclose(f);
	return 0;
}

static void note_unavailable(const struct lines *l)
{
	if (l->unavailable)
		error("bind tracking is unavailable: %s", l->reason ? l->reason : "");
}

/* A record parser, as parse.h has one per file. */
typedef enum pr_parse_result (*record_parse_fn)(char *line, void *record,
						const char **why);

static enum pr_parse_result parse_bind_record(char *line, void *record,
					      const char **why)
{
	return pr_parse_bind(line, record, why);
}

static enum pr_parse_result parse_claim_record(char *line, void *record,
					       const char **why)
{
	return pr_parse_claim(line, record, why);
}

/*
 * Reads and parses all of /proc/portreg/@name into an array of records of
 * @record_size bytes, in file order; returns the count, or -1 with nothing
 * left to free.  The records point into @l.
 */
static ssize_t load_records(const char *name, record_parse_fn parse,
			    size_t record_size, struct lines *l, void **records,
			    char *path, size_t size)
{
	const char *why;
	size_t i, n = 0;
	char *r;

	if (read_lines(name, l, path, size))
		return -1;
	note_unavailable(l);
	r = calloc(l->n ? l->n : 1, record_size);
	if (!r) {
		error("out of memory");
		lines_free(l);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		switch (parse(l->line[i], r + n * record_size, &why)) {
		case PR_PARSE_ERROR:
			error("%s:%zu: malformed line: %s", path, i + 1, why);
			free(r);
			lines_free(l);
			return -1;
		case PR_PARSE_SKIP:
			break;
		case PR_PARSE_ENTRY:
			n++;
			break;
		}
	}
	*records = r;
	return (ssize_t)n;
}

/* All of binds, oldest first. */
ssize_t load_binds(struct lines *l, struct pr_bind **binds, char *path,
		   size_t size)
{
	void *records;
	ssize_t n;

	n = load_records("binds", parse_bind_record, sizeof(**binds), l,
			 &records, path, size);
	if (n >= 0)
		*binds = records;
	return n;
}

static const char *const opt_names[PR_OPTS_LEN] = {
	"IP_FREEBIND", "IP_TRANSPARENT", "IP_BIND_ADDRESS_NO_PORT",
	"SO_REUSEADDR", "SO_REUSEPORT",
};

static void json_opts(const char *opts)
{
	int i, first = 1;

	fputs("\"options\":[", stdout);
	for (i = 0; i < PR_OPTS_LEN; i++) {
		if (opts[i] == '.')
			continue;
		printf("%s\"%s\"", first ? "" : ",", opt_names[i]);
		first = 0;
	}
	putchar(']');
}

static int holders_by_inode(const void *a, const void *b)
{
	const struct socket_holders *x = *(struct socket_holders *const *)a;
	const struct socket_holders *y = *(struct socket_holders *const *)b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static int holder_by_pid(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The inode of "socket:[INODE]", what /proc/PID/fd/N of a socket reads; else 0. */
static unsigned long socket_inode(const char *link)
{
	unsigned long long inode;
	char *end;

	if (strncmp(link, "socket:[", 8) || !isdigit((unsigned char)link[8]))
		return 0;
	errno = 0;
	inode = strtoull(link + 8, &end, 10);
	if (errno || strcmp(end, "]") || inode > ~0UL)
		return 0;
	return (unsigned long)inode;
}

static void read_comm(const char *procdir, char *comm, size_t size)
{
	char path[4352];
	FILE *f;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%s/comm", procdir);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(comm, (int)size, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

/*
 * Records in each of @sockets the processes that have it open now, at
 * most MAX_HOLDERS, found through procfs_dir/PID/fd as ss -p and lsof
 * find them.  One pass over every process's descriptors for all of them:
 * a port held by a thousand connections costs one walk, not a thousand.
 * A process the reader may not look into is not found.
 */
void find_holders(struct socket_holders *sockets, size_t n)
{
	struct socket_holders **index, key, *keyp = &key, **hit;
	char procdir[4160], fddir[4200], fdpath[4480], link[64], comm[32];
	struct dirent *pd, *fd;
	DIR *procs, *fds;
	size_t i, m = 0;
	long pid;

	index = malloc((n ? n : 1) * sizeof(*index));
	if (!index) {
		error("out of memory");
		exit(EXIT_ACCESS);
	}
	for (i = 0; i < n; i++) {
		sockets[i].n = 0;
		if (sockets[i].inode)
			index[m++] = &sockets[i];
	}
	procs = m ? opendir(procfs_dir) : NULL;
	if (!procs) {
		free(index);
		return;
	}
	qsort(index, m, sizeof(*index), holders_by_inode);
	while ((pd = readdir(procs))) {
		if (!isdigit((unsigned char)pd->d_name[0]))
			continue;
		pid = strtol(pd->d_name, NULL, 10);
		snprintf(procdir, sizeof(procdir), "%s/%s", procfs_dir, pd->d_name);
		snprintf(fddir, sizeof(fddir), "%s/fd", procdir);
		fds = opendir(fddir);
		if (!fds)
			continue;
		comm[0] = '\0';
		while ((fd = readdir(fds))) {
			ssize_t len;

			snprintf(fdpath, sizeof(fdpath), "%s/%s", fddir, fd->d_name);
			len = readlink(fdpath, link, sizeof(link) - 1);
			if (len < 0)
				continue;
			link[len] = '\0';
			key.inode = socket_inode(link);
			if (!key.inode)
				continue;
			hit = bsearch(&keyp, index, m, sizeof(*index), holders_by_inode);
			if (!hit)
				continue;
			/* Several lines may share a socket: from the first on. */
			while (hit > index && hit[-1]->inode == key.inode)
				hit--;
			if (!comm[0])
				read_comm(procdir, comm, sizeof(comm));
			for (; hit < index + m && (*hit)->inode == key.inode; hit++) {
				struct socket_holders *s = *hit;

				/* The same process again, through another descriptor. */
				if (s->n == MAX_HOLDERS ||
				    (s->n && s->procs[s->n - 1].pid == pid))
					continue;
				s->procs[s->n].pid = pid;
				snprintf(s->procs[s->n].comm, sizeof(s->procs[s->n].comm),
					 "%s", comm);
				s->n++;
			}
		}
		closedir(fds);
	}
	closedir(procs);
	free(index);
	/* In pid order, as ps lists them, whatever order readdir() gave. */
	for (i = 0; i < n; i++)
		qsort(sockets[i].procs, sockets[i].n, sizeof(sockets[i].procs[0]),
		      holder_by_pid);
}

/* A pid for a table: "-" for one the reader cannot see. */
const char *pid_text(long pid, char *buf, size_t size)
{
	if (pid < 0)
		return "-";
	snprintf(buf, size, "%ld", pid);
	return buf;
}

/* A pid, or null for one the reader cannot see. */
void json_pid(long pid)
{
	if (pid < 0)
		fputs("null", stdout);
	else
		printf("%ld", pid);
}

void json_uid(const struct pr_who *who)
{
	if (who->has_uid)
		printf("%lu", who->uid);
	else
		fputs("null", stdout);
}

/* "pid":…,"comm":…,"uid":… of a claimer, null for what is unknown. */
void json_who(const struct pr_who *who)
{
	fputs("\"pid\":", stdout);
	json_pid(who->pid);
	fputs(",\"comm\":", stdout);
	json_string_or_null(who->comm);
	fputs(",\"uid\":", stdout);
	json_uid(who);
	putchar(',');
	json_cgroup(who);
}

void json_cgroup(const struct pr_who *who)
{
	char name[CONTAINER_NAME_MAX];

	fputs("\"cgroup\":", stdout);
	json_string_or_null(who->cgroup);
	fputs(",\"container\":", stdout);
	json_string_or_null(container_name(who->cgroup, name));
}

const char *container_text(const struct pr_who *who, char *buf)
{
	const char *name = container_name(who->cgroup, buf);

	return name ? name : "-";
}

/* A number where 0 means none (an inode, a time), else null. */
void json_number_or_null(unsigned long long n)
{
	if (n)
		printf("%llu", n);
	else
		fputs("null", stdout);
}

static void json_holder(const struct pr_holder *h)
{
	if (h->kind == PR_KIND_NONE) {
		fputs("null", stdout);
		return;
	}
	printf("{\"kind\":\"%s\",", pr_kind_name(h->kind));
	json_who(&h->who);
	fputs(",\"addr\":", stdout);
	json_string_or_null(h->addr);
	fputs(",\"remote\":", stdout);
	json_string_or_null(h->remote);
	fputs(",\"expires_ms\":", stdout);
	if (h->expire_ms >= 0)
		printf("%lld", h->expire_ms);
	else
		fputs("null", stdout);
	fputs(",\"inode\":", stdout);
	json_number_or_null(h->inode);
	fputs(",\"rule\":", stdout);
	json_string_or_null(h->why);
	putchar('}');
}

/* The object without its closing brace, as json_claim_fields() leaves it. */
void json_bind_fields(const struct pr_bind *b)
{
	if (b->kind == PR_KIND_LOST) {
		printf("{\"seq\":%llu,\"time\":%llu,\"kind\":\"lost\",\"lost\":%llu,"
		       "\"lost_reason\":\"%s\",\"uid\":", b->seq, b->time_ns,
		       b->lost, pr_lost_reason_name(b->lost_reason));
		json_uid(&b->task);
		return;
	}
	printf("{\"seq\":%llu,\"time\":%llu,\"pid\":", b->seq, b->time_ns);
	json_pid(b->task.pid);
	fputs(",\"tid\":", stdout);
	json_pid(b->tid);
	fputs(",\"comm\":", stdout);
	json_string_or_null(b->task.comm);
	printf(",\"uid\":%lu,\"netns\":%lu,\"kind\":\"%s\",\"family\":\"%s\","
	       "\"proto\":\"%s\",\"addr\":\"%s\",\"port\":%u,"
	       "\"requested_port\":%u,\"result\":%d,\"error\":",
	       b->task.uid, b->netns, pr_kind_name(b->kind), b->family,
	       b->proto, b->addr, b->port, b->requested_port, b->result);
	if (b->result)
		printf("\"%s\"", errno_name(-b->result));
	else
		fputs("null", stdout);
	putchar(',');
	json_opts(b->opts);
	fputs(",\"ifname\":", stdout);
	json_string_or_null(b->ifname);
	fputs(",\"service\":", stdout);
	json_string_or_null(b->service);
	fputs(",\"since\":", stdout);
	if (b->kind == PR_KIND_RELEASE)
		printf("%llu,\"claim_kind\":\"%s\"", b->since_ns,
		       pr_kind_name(b->claim_kind));
	else
		fputs("null,\"claim_kind\":null", stdout);
	fputs(",\"expected_owner\":", stdout);
	json_string_or_null(b->expected_owner);
	putchar(',');
	json_cgroup(&b->task);
	fputs(",\"remote\":", stdout);
	json_string_or_null(b->remote);
	fputs(",\"holder\":", stdout);
	json_holder(&b->holder);
}

/*
 * Listeners and bound sockets first, then connections, then TIME_WAIT
 * sockets, by KIND: one that stands for an orphaned FIN_WAIT2 (STATE
 * fin-wait-2) is as closed as one in time-wait.
 */
int claim_state_rank(const struct pr_claim *c)
{
	if (c->kind == PR_KIND_TIMEWAIT)
		return 3;
	if (!strcmp(c->state, "listen"))
		return 0;
	if (!strcmp(c->state, "bound"))
		return 1;
	return 2;
}

/*
 * By port, then as claim_state_rank() says; the rest only makes the order
 * the same on every run, as the kernel's hash order is not.
 */
static int claim_cmp(const void *a, const void *b)
{
	const struct pr_claim *x = a, *y = b;
	int d;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	d = strcmp(x->proto, y->proto);
	if (d)
		return d;
	d = strcmp(x->family, y->family);
	if (d)
		return d;
	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	d = claim_state_rank(x) - claim_state_rank(y);
	if (d)
		return d;
	/* Known claimers by pid, then the unknown. */
	if (x->task.pid != y->task.pid)
		return (unsigned long)x->task.pid < (unsigned long)y->task.pid ? -1 : 1;
	d = strcmp(x->addr, y->addr);
	if (d)
		return d;
	d = strcmp(x->remote ? x->remote : "", y->remote ? y->remote : "");
	if (d)
		return d;
	return x->cookie < y->cookie ? -1 : x->cookie > y->cookie;
}

/*
 * Reads and parses all of claims, sorted by port; returns the count, or
 * -1 with nothing left to free.  The claims point into @l.
 */
ssize_t load_claims(struct lines *l, struct pr_claim **claims, char *path,
		    size_t size)
{
	void *records;
	ssize_t n;

	n = load_records("claims", parse_claim_record, sizeof(**claims), l,
			 &records, path, size);
	if (n < 0)
		return n;
	qsort(records, (size_t)n, sizeof(**claims), claim_cmp);
	*claims = records;
	return n;
}

void json_claim_fields(const struct pr_claim *c)
{
	printf("{\"proto\":\"%s\",\"family\":\"%s\",\"addr\":\"%s\",\"port\":%u,"
	       "\"netns\":%lu,", c->proto, c->family, c->addr, c->port,
	       c->netns);
	json_who(&c->task);
	fputs(",\"since\":", stdout);
	json_number_or_null(c->since_ns);
	fputs(",\"service\":", stdout);
	json_string_or_null(c->service);
	printf(",\"kind\":\"%s\",\"state\":\"%s\",\"remote\":",
	       pr_kind_name(c->kind), c->state);
	json_string_or_null(c->remote);
	fputs(",\"inode\":", stdout);
	json_number_or_null(c->inode);
	printf(",\"cookie\":%llu,", c->cookie);
	json_opts(c->opts);
	fputs(",\"ifname\":", stdout);
	json_string_or_null(c->ifname);
	fputs(",\"expected_owner\":", stdout);
	json_string_or_null(c->expected_owner);
}
