/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the lines of /proc/portreg/services and /proc/portreg/protocols
 * (services(5) and protocols(5) syntax), and of /proc/portreg/binds and
 * claims (docs/proc-binds.md, docs/proc-claims.md).  They work in place on
 * a writable line and never allocate, so they are easy to fuzz.
 */
#ifndef PORTREG_PARSE_H
#define PORTREG_PARSE_H

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

/* Who did something, as a binds or claims line names them. */
struct pr_who {
	long pid;
	unsigned long uid;
	const char *comm;		/* unescaped */
};

/* One line of /proc/portreg/binds. */
struct pr_bind {
	unsigned long long seq;
	unsigned long long time_ns;
	unsigned long netns;
	long tid;
	struct pr_who task;
	struct pr_who holder;		/* .comm NULL: no holder */
	const char *kind;		/* "bind", "listen", "autobind" */
	const char *family;		/* "ipv4", "ipv6" */
	const char *proto;		/* "tcp", "udp", "sctp", "dccp" */
	const char *addr;
	unsigned int requested_port;
	unsigned int port;
	int result;			/* 0 or -errno */
	const char *opts;		/* PR_OPTS_LEN letters or '.' */
	const char *ifname;		/* NULL: none */
	const char *service;		/* NULL: none */
};

/* One line of /proc/portreg/claims. */
struct pr_claim {
	const char *proto;
	const char *family;
	const char *addr;
	unsigned int port;
	unsigned long netns;
	struct pr_who task;
	unsigned long long since_ns;
	const char *kind;
	const char *opts;
	const char *ifname;		/* NULL: none */
	unsigned long inode;
	const char *service;		/* NULL: none */
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

#endif
