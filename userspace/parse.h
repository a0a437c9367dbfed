/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the lines of /proc/portreg/services and /proc/portreg/protocols
 * (services(5) and protocols(5) syntax).  They work in place on a writable
 * line and never allocate, so they are easy to fuzz.
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

#endif
