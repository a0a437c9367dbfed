/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of expected owners, as /proc/portreg/owners and its file hold it
 * (docs/proc-owners.md): owners.c and check.c read it.
 */
#ifndef PORTREG_OWNERSET_H
#define PORTREG_OWNERSET_H

#include <stdio.h>

#include "parse.h"

struct owner {
	unsigned int port;
	char proto[8];
	char comm[PR_COMM_MAX + 1];
	unsigned long lineno;	/* in the file read */
};

struct owner_set {
	struct owner *v;	/* sorted by port, then protocol */
	size_t n;
};

/*
 * Reads every line of @in, named @name in errors; a malformed line or a
 * port given twice is an error naming the line.  Returns 0 or an exit
 * status; the caller frees set->v either way.
 */
int owners_read(FILE *in, const char *name, struct owner_set *set);
/* The kernel's set; @path gets the file's path. */
int owners_read_kernel(struct owner_set *set, char *path, size_t size);

#endif
