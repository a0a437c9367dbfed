/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_SELFCHECK_H
#define PORTREG_SELFCHECK_H

#include <linux/types.h>

struct seq_file;

/*
 * Takes ports with kernel sockets through every path portreg must see and
 * checks that a probe saw each.  Returns 0 if every path that exists on
 * this kernel was seen; otherwise -ENOENT, with the first blind path and
 * why in @reason.
 */
int pr_selfcheck_run(char *reason, size_t size);
void pr_selfcheck_show(struct seq_file *m);

#endif
