/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_ACCESS_H
#define PORTREG_ACCESS_H

#include <linux/types.h>

struct file;
struct user_namespace;

/*
 * What one opener of binds or claims may see: records of its own network
 * namespace, or of every namespace if it lives in the initial one.  User
 * ids are shown as its user namespace maps them.
 */
struct pr_view {
	u64 netns_cookie;	/* net_cookie, not the inode number: never reused */
	bool all_netns;
	struct user_namespace *user_ns;
};

int pr_access_open(struct file *file, struct pr_view *view);

static inline bool pr_view_shows(const struct pr_view *view, u64 netns_cookie)
{
	return view->all_netns || view->netns_cookie == netns_cookie;
}

#endif
