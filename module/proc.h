/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_PROC_H
#define PORTREG_PROC_H

#include <linux/types.h>

struct file;
struct proc_dir_entry;
struct pr_services;

int pr_proc_init(struct pr_services *live);
void pr_proc_exit(void);
struct proc_dir_entry *pr_proc_root(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* The services file's pr_cmd_apply_t (cmdwrite.h). */
int pr_services_apply_to(void *services, char *buf, size_t count);
#endif

#endif
