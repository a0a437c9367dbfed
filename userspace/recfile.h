/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the record commands (binds, claims, who, why, stats) share: reading
 * /proc/portreg's record files whole, the filters their options make, and
 * the JSON writers of binds and claims.
 */
#ifndef PORTREG_RECFILE_H
#define PORTREG_RECFILE_H

#include <stdbool.h>
#include <sys/types.h>

#include "parse.h"

#define MAX_PORT_FILTER 64
#define TRACKING_OFF "# tracking unavailable: "

struct filter {
	bool has_pid;
	long pid;
	bool has_uid;
	unsigned long uid;
	unsigned int nports;
	unsigned int ports[MAX_PORT_FILTER];
	const char *proto;	/* NULL: any */
	const char *cgroup;	/* -c: a cgroup prefix; NULL: any */
	bool errors;		/* only failed binds */
	bool releases;		/* releases too (binds -R) */
};

bool filter_bind(const struct filter *f, const struct pr_bind *b);
bool filter_marker(const struct filter *f, const struct pr_bind *b);
bool filter_claim(const struct filter *f, const struct pr_claim *c);
int port_filter_arg(int argc, char **argv, struct filter *f);
int parse_filter_opt(int opt, char *arg, struct filter *f);
/*
 * A command whose options are filters only (@shortopts of "p:P:u:c:",
 * --cgroup for c): parses them into @f and checks that from @min to @max
 * operands remain.  Returns the first operand's index, or -1 after saying
 * why not.
 */
int parse_filter_args(int argc, char **argv, const char *shortopts,
		      struct filter *f, int min, int max);

/*
 * A whole /proc record file, read before anything is printed, so a
 * malformed line ends the command before it printed half a table.
 */
struct lines {
	char **line;
	size_t n;
	bool unavailable;	/* a "# tracking unavailable" line */
	char *reason;
};

void lines_free(struct lines *l);
int read_lines(const char *name, struct lines *l, char *path, size_t size);
ssize_t load_binds(struct lines *l, struct pr_bind **binds, char *path,
		   size_t size);
ssize_t load_claims(struct lines *l, struct pr_claim **claims, char *path,
		    size_t size);

const char *pid_text(long pid, char *buf, size_t size);
/* A process that has a socket open now, as ss -p and lsof find it. */
#define MAX_HOLDERS 16

struct holder {
	long pid;
	char comm[32];		/* TASK_COMM_LEN is 16 */
};

struct socket_holders {
	unsigned long inode;	/* in: the socket; 0 for none to look for */
	size_t n;		/* out: how many of procs[] */
	struct holder procs[MAX_HOLDERS];
};

void find_holders(struct socket_holders *sockets, size_t n);

/* A pid, else null; a uid, else null; a number, null for 0. */
void json_pid(long pid);
void json_uid(const struct pr_who *who);
void json_number_or_null(unsigned long long n);
void json_who(const struct pr_who *who);
/* "cgroup":…,"container":… of a claimer, null for what is unknown. */
void json_cgroup(const struct pr_who *who);
/* CONTAINER: the container @who runs in, else "-" (container.h). */
const char *container_text(const struct pr_who *who, char *buf);
void json_bind_fields(const struct pr_bind *b);
int claim_state_rank(const struct pr_claim *c);
void json_claim_fields(const struct pr_claim *c);

#endif
