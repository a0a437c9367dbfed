/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_PROC_CLAIMS_H
#define PORTREG_PROC_CLAIMS_H

struct proc_dir_entry;
struct pr_tracker;

struct proc_dir_entry *pr_proc_claims_create(struct proc_dir_entry *dir,
					     struct pr_tracker *t);

#endif
