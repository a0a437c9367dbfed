/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser for the commands written to /proc/portreg/services.  It depends on
 * nothing but a few string functions, so the same file also builds in
 * userspace for fuzzing (userspace/kcompat.h stands in for the kernel).
 */
#ifndef PORTREG_CMD_H
#define PORTREG_CMD_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/export.h>
#include <kunit/visibility.h>
#else
#include "../userspace/kcompat.h"
#endif

#include "limits.h"
#include "proto.h"

enum pr_cmd_op {
	PR_CMD_NOP,		/* blank line or comment */
	PR_CMD_ADD,
	PR_CMD_DEL,
};

/* Strings point into the line the parser was given. */
struct pr_cmd {
	enum pr_cmd_op op;
	const char *name;
	const char *aliases[PR_ALIASES_MAX];
	unsigned int naliases;
	const char *description;	/* "" when there is none */
	u16 port;
	u8 proto;			/* enum pr_proto */
};

int pr_cmd_parse(char *line, size_t len, struct pr_cmd *cmd);
bool pr_name_valid(const char *name, size_t len);

#endif
