/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_ACCESS_H
#define PORTREG_ACCESS_H

#include <linux/types.h>

#include "event.h"

struct file;
struct user_namespace;

/*
 * What one opener of binds or claims may see: records of its own network
 * namespace, or of every namespace if it lives in the initial one.  User
 * ids are shown as its user namespace maps them, process ids as its pid
 * namespace sees them, and a process outside that namespace not at all.
 */
struct pr_view {
	u64 netns_cookie;	/* net_cookie, not the inode number: never reused */
	bool all_netns;
	struct user_namespace *user_ns;
	unsigned int pidns_level;
	u32 pidns_inum;
};

int pr_access_open(struct file *file, struct pr_view *view);

static inline bool pr_view_shows(const struct pr_view *view, u64 netns_cookie)
{
	return view->all_netns || view->netns_cookie == netns_cookie;
}

/*
 * The process and thread ids of @id as @view's pid namespace sees them;
 * false if that namespace cannot see the process.
 */
static inline bool pr_view_task(const struct pr_view *view,
				const struct pr_task_id *id, pid_t *pid,
				pid_t *tid)
{
	unsigned int level = view->pidns_level;

	if (level >= id->levels || id->pidns[level] != view->pidns_inum)
		return false;
	*pid = id->pid[level];
	*tid = id->tid[level];
	return true;
}

#endif
