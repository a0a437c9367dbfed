// SPDX-License-Identifier: GPL-2.0
/*
 * Each command's option parser.  The options every command shares,
 * --json, --help and --version, may stand anywhere on the line, before or
 * after the command's own options and arguments, as GNU tools take them:
 * "portreg services 22 --json" is "portreg --json services 22".  "--"
 * ends the options, so an argument may start with '-'.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const struct option shared_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};

#define SHARED_SHORT "jhV"
#define NSHARED (sizeof(shared_options) / sizeof(shared_options[0]))
#define MAX_OWN_OPTIONS 16

/*
 * The command's options followed by the shared ones.  Returns 0, or -1 if
 * the command has more than the buffers hold (a bug, reported as such).
 */
static int merge(const char *shortopts, const struct option *longopts,
		 char *shorts, size_t shorts_size, struct option *longs)
{
	size_t n = 0;

	if (snprintf(shorts, shorts_size, "%s%s", SHARED_SHORT, shortopts) >=
	    (int)shorts_size)
		return -1;
	for (; longopts && longopts[n].name; n++) {
		if (n == MAX_OWN_OPTIONS)
			return -1;
		longs[n] = longopts[n];
	}
	memcpy(longs + n, shared_options, sizeof(shared_options));
	memset(longs + n + NSHARED, 0, sizeof(*longs));
	return 0;
}

/*
 * getopt_long() for a command: returns the command's own options as
 * getopt_long() does, '?' for an unknown one or a missing argument (after
 * getopt's message), and -1 at the end, with optind at the first operand.
 * The shared options are handled here: --help and --version print and
 * exit.  As for a fresh getopt() parse, the caller sets optind to 0 before
 * the first call; argv[0] is the command's name.
 */
int command_getopt(int argc, char **argv, const char *shortopts,
		   const struct option *longopts)
{
	static struct option longs[MAX_OWN_OPTIONS + NSHARED + 1];
	static char shorts[64], name[64];
	int opt;

	/* 0, not 1: glibc then also forgets the "+" ordering of main's parse. */
	if (optind == 0) {
		if (merge(shortopts, longopts, shorts, sizeof(shorts), longs)) {
			error("internal error: too many options");
			exit(EXIT_USAGE);
		}
		/* getopt's messages then say "portreg binds: ...". */
		snprintf(name, sizeof(name), "portreg %s", argv[0]);
		argv[0] = name;
	}
	for (;;) {
		opt = getopt_long(argc, argv, shorts, longs, NULL);
		switch (opt) {
		case 'j':
			json_output = true;
			colour = false;
			continue;
		case 'h':
			usage(stdout);
			exit(output_end(0));
		case 'V':
			printf("portreg %s\n", PORTREG_VERSION);
			exit(output_end(0));
		default:
			return opt;
		}
	}
}

/*
 * For a command with no options of its own: parses the shared ones and
 * checks that from @min to @max operands remain.  Returns the index of
 * the first operand, or -1 after printing the usage.
 */
int command_operands(int argc, char **argv, int min, int max)
{
	int n;

	optind = 0;
	if (command_getopt(argc, argv, "", NULL) != -1) {
		usage(stderr);
		return -1;
	}
	n = argc - optind;
	if (n < min || n > max) {
		usage(stderr);
		return -1;
	}
	return optind;
}
