/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_HOOK_H
#define PORTREG_HOOK_H

#include <linux/types.h>

struct pr_tracker;
struct seq_file;

/*
 * Attaches the probes that feed @t.  Failing to attach is not fatal: the
 * registry works without them, and pr_hook_status() says why tracking is
 * off.  Returns 0 when every required probe is attached.
 */
int pr_hook_init(struct pr_tracker *t);
void pr_hook_exit(void);
bool pr_hook_active(void);
const char *pr_hook_status(void);
void pr_hook_show_probes(struct seq_file *m);

#endif
