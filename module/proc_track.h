/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_PROC_TRACK_H
#define PORTREG_PROC_TRACK_H

struct proc_dir_entry;
struct pr_tracker;

int pr_proc_track_init(struct proc_dir_entry *dir, struct pr_tracker *t);
void pr_proc_track_exit(struct pr_tracker *t);

#endif
