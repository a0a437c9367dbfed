/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VM's test programs (bindtest.c, stress.c) share: the result
 * lines the VM's run.sh counts, and reading one value out of
 * /proc/portreg/stats.
 */
#ifndef PORTREG_VMCHECK_H
#define PORTREG_VMCHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vm_failures;

/* One "portreg-vm: ok NAME" line, or "not ok NAME: why" and a failure. */
static void result(bool good, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (good) {
		printf("portreg-vm: ok %s\n", name);
	} else {
		vm_failures++;
		printf("portreg-vm: not ok %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

/* The value of the line "NAME VALUE" in the text of stats, or -1. */
static long long stats_value(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

#endif /* PORTREG_VMCHECK_H */
