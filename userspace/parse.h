/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the lines of /proc/portreg/services and /proc/portreg/protocols
 * (services(5) and protocols(5) syntax), and of /proc/portreg/binds and
 * claims (docs/proc-binds.md, docs/proc-claims.md).  They work in place on
 * a writable line and never allocate, so they are easy to fuzz.
 */
#ifndef PORTREG_PARSE_H
#define PORTREG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define PR_MAX_ALIASES 8

struct pr_entry {
	const char *name;
	const char *aliases[PR_MAX_ALIASES];
	unsigned int naliases;
	const char *description;	/* "" when there is none */
	unsigned int number;		/* port, or protocol number */
	const char *proto;		/* services only: "tcp", "udp", ... */
};

enum pr_parse_result {
	PR_PARSE_ENTRY,		/* *entry holds a record */
	PR_PARSE_SKIP,		/* blank line or comment */
	PR_PARSE_ERROR,		/* malformed; *why says how */
};

enum pr_parse_result pr_parse_service(char *line, struct pr_entry *entry,
				      const char **why);
enum pr_parse_result pr_parse_protocol(char *line, struct pr_entry *entry,
				       const char **why);
int pr_parse_number(const char *text, unsigned int max, unsigned int *out);

#define PR_OPTS_LEN	5	/* "FTNRr" */

/*
 * How a socket came to hold its port (KIND of both files, HKIND of
 * binds), or, for HKIND, why no socket is named; and binds' lost markers
 * and releases.
 */
enum pr_kind {
	PR_KIND_NONE,		/* "-": no holder looked up */
	PR_KIND_BIND,
	PR_KIND_LISTEN,
	PR_KIND_AUTOBIND,
	PR_KIND_ACCEPT,
	PR_KIND_CONNECT,
	PR_KIND_TIMEWAIT,
	PR_KIND_KERNEL,
	PR_KIND_BEFORE_LOAD,
	PR_KIND_UNRECORDED,
	PR_KIND_GONE,
	PR_KIND_TOO_MANY,
	PR_KIND_UNREACHABLE,
	PR_KIND_LOST,
	PR_KIND_RELEASE,
	PR_KIND_COUNT,
};

/* "bind", "before-load", ...; "-" for PR_KIND_NONE. */
const char *pr_kind_name(enum pr_kind kind);

/* A socket found (not "-", gone, too-many, unreachable or lost). */
static inline bool pr_kind_is_socket(enum pr_kind kind)
{
	return kind >= PR_KIND_BIND && kind <= PR_KIND_UNRECORDED;
}

/* A socket whose claimer portreg saw take the port. */
static inline bool pr_kind_is_claimed(enum pr_kind kind)
{
	return kind == PR_KIND_BIND || kind == PR_KIND_LISTEN ||
	       kind == PR_KIND_AUTOBIND;
}

/* Who did something, as a binds or claims line names them. */
struct pr_who {
	long pid;		/* -1: unknown, or not visible to the reader */
	bool has_uid;		/* false: UID was "-" */
	unsigned long uid;
	const char *comm;	/* unescaped; NULL when pid is -1 */
	/*
	 * Its cgroup v2 path relative to the reader's cgroup namespace,
	 * unescaped; "?" for one too long to show; NULL: unknown.
	 */
	const char *cgroup;
};

/* What stood in the way of a bind that failed with EADDRINUSE. */
struct pr_holder {
	enum pr_kind kind;	/* PR_KIND_NONE: not looked up */
	struct pr_who who;	/* its claimer (accept: its listener's) */
	const char *addr;	/* the holding socket's address; NULL: none */
	const char *remote;	/* its peer, "ADDR:PORT" or "[IPv6]:PORT"; NULL */
	long long expire_ms;	/* TIME_WAIT's end; -1: unknown */
	unsigned long inode;	/* 0: unknown */
	const char *why;	/* "exclusive", "listener", "reuseport-uid"; NULL */
};

/*
 * Why a lost marker's events are missing: its RET (docs/proc-binds.md).
 * Over-share and socket-locked markers name the user (UID) whose events
 * they stand for; a probe-missed one names nobody.
 */
enum pr_lost_reason {
	PR_LOST_NONE,		/* not a marker: an event */
	PR_LOST_PROBE_MISSED,	/* RET 0: hits the kernel could not deliver */
	PR_LOST_OVER_SHARE,	/* RET -122 (EDQUOT): refused, the user at its
				 * share of the initial namespace's log */
	PR_LOST_SOCKET_LOCKED,	/* RET -16 (EBUSY): binds on a socket another
				 * task held locked, not followed */
};

/* "probe_missed", "over_share", "socket_locked"; NULL for PR_LOST_NONE. */
const char *pr_lost_reason_name(enum pr_lost_reason reason);

/* One line of /proc/portreg/binds. */
struct pr_bind {
	unsigned long long seq;
	unsigned long long time_ns;
	unsigned long netns;
	long tid;			/* -1: not visible */
	struct pr_who task;		/* a marker: only its uid, if any */
	enum pr_kind kind;		/* bind, listen, autobind, connect, lost
					 * or release
					 */
	int result;			/* 0 or -errno; a marker: its reason's */
	/* Only on events, not on lost markers, where they are NULL or 0: */
	const char *family;		/* "ipv4", "ipv6" */
	const char *proto;		/* "tcp", "udp", "sctp", "dccp" */
	const char *addr;
	unsigned int requested_port;
	unsigned int port;
	const char *opts;		/* PR_OPTS_LEN letters or '.' */
	const char *ifname;		/* NULL: none */
	const char *service;		/* NULL: none */
	struct pr_holder holder;	/* kind PR_KIND_NONE unless -98 */
	unsigned long long lost;	/* events a lost marker stands for */
	enum pr_lost_reason lost_reason;	/* PR_LOST_NONE on events */
	/* A release's claim: when and how it was made; 0 and NONE otherwise. */
	unsigned long long since_ns;
	enum pr_kind claim_kind;
	/* On a claim: the program owners expects on the port; NULL: none. */
	const char *expected_owner;
	/* On a connect: the peer it was going to; NULL: none. */
	const char *remote;
};

/* One line of /proc/portreg/claims: one socket that holds a port. */
struct pr_claim {
	const char *proto;
	const char *family;
	const char *addr;
	unsigned int port;
	unsigned long netns;
	struct pr_who task;		/* uid unknown for TIME_WAIT */
	unsigned long long since_ns;	/* 0: unknown */
	enum pr_kind kind;		/* bind ... unrecorded */
	const char *opts;
	const char *ifname;		/* NULL: none */
	unsigned long inode;		/* 0: none (TIME_WAIT, no file) */
	const char *service;		/* NULL: none */
	const char *state;		/* "listen", "established", ... */
	const char *remote;		/* the peer; NULL: none */
	unsigned long long cookie;
	const char *expected_owner;	/* as for binds; NULL: none */
};

/*
 * The header line and lines starting with '#' are PR_PARSE_SKIP.  Fields
 * after the documented ones are ignored: the format only ever grows at
 * the end of a line.
 */
enum pr_parse_result pr_parse_bind(char *line, struct pr_bind *bind,
				   const char **why);
enum pr_parse_result pr_parse_claim(char *line, struct pr_claim *claim,
				    const char **why);

/* One expected owner: a line of /proc/portreg/owners or of its file. */
struct pr_owner_entry {
	unsigned int port;
	const char *proto;	/* "tcp", "udp", "sctp", "dccp" */
	const char *comm;	/* unescaped, 1 to 15 bytes */
};

#define PR_COMM_MAX	15	/* bytes in a process name, as the kernel keeps it */
#define PR_CGROUP_MAX	511	/* bytes in a cgroup path the kernel shows */

/*
 * "PORT/PROTO COMM", COMM escaped as binds escapes names; blank lines and
 * '#' comments are PR_PARSE_SKIP (docs/proc-owners.md).
 */
enum pr_parse_result pr_parse_owner(char *line, struct pr_owner_entry *owner,
				    const char **why);

#endif
