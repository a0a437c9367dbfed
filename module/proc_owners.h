/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_PROC_OWNERS_H
#define PORTREG_PROC_OWNERS_H

struct proc_dir_entry;
struct pr_owners;

struct proc_dir_entry *pr_proc_owners_create(struct proc_dir_entry *dir,
					     struct pr_owners *owners);

#endif
