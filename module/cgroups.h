/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which cgroup of the unified (v2) hierarchy a task was in when it took a
 * port, and that cgroup's path as a reader sees it.
 *
 * An event outlives its claimer and often its cgroup: a container's scope
 * is removed when the container stops, yet the history of its ports must
 * still name it.  So what is kept is a counted reference to the cgroup,
 * which keeps a removed cgroup's name and place in the tree (a dying
 * cgroup, as cgroup.stat counts them) until the reference is dropped.  The
 * path is built only when a line is read, relative to the reader's cgroup
 * namespace, as /proc/PID/cgroup is.
 *
 * Every function but pr_cgroup_path() may run in probe context: none
 * sleeps or allocates, and dropping the last reference only queues the
 * cgroup's release.
 */
#ifndef PORTREG_CGROUPS_H
#define PORTREG_CGROUPS_H

#include <linux/types.h>

struct cgroup;

/* Bytes of a path, with its NUL; a longer one is shown as "?". */
#define PR_CGROUP_PATH_MAX	512
/*
 * The buffer a path is built in: one byte more, since the kernel cuts a
 * path that does not fit short without saying so (scnprintf()).
 */
#define PR_CGROUP_BUF_SIZE	(PR_CGROUP_PATH_MAX + 1)

/* The current task's cgroup, with a reference; NULL if none is known. */
struct cgroup *pr_cgroup_current(void);
/* Another reference to @cgrp, which the caller holds one to; NULL-safe. */
struct cgroup *pr_cgroup_get(struct cgroup *cgrp);
/*
 * A reference to @cgrp, read from a place that held one when it was read,
 * under rcu_read_lock(); NULL if that reference is already being dropped.
 */
struct cgroup *pr_cgroup_tryget(struct cgroup *cgrp);
void pr_cgroup_put(struct cgroup *cgrp);

/*
 * @cgrp's path relative to the current task's cgroup namespace, in @buf
 * of PR_CGROUP_BUF_SIZE bytes: "/" for the namespace's root, a path with
 * "/.." in front for a cgroup outside it.  Returns @buf, "?" for a path
 * longer than PR_CGROUP_PATH_MAX - 1 bytes, or NULL for no cgroup.
 * Process context.
 */
const char *pr_cgroup_path(struct cgroup *cgrp, char *buf);

#endif
