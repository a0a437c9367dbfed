/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_BINDFMT_H
#define PORTREG_BINDFMT_H

#include <linux/types.h>

#include "cgroups.h"
#include "event.h"

struct pr_view;

/*
 * Longest line either formatter writes, with its '\n': a binds line with
 * every field at its widest (COMM, IF, HCOMM and EXPECTED all escaped,
 * four bytes a character; a 63-byte service name escaped) is under 970
 * bytes, REMOTE 48 more, and CGROUP and HCGROUP at most 1 + 4 * 511
 * bytes each.
 */
#define PR_RECORD_LINE_MAX	5120

#define PR_BINDS_HEADER \
	"SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM HKIND HADDR HREMOTE HEXPIRE HINODE HWHY LOST SINCE CKIND EXPECTED CGROUP HCGROUP REMOTE\n"
#define PR_CLAIMS_HEADER \
	"PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE STATE REMOTE COOKIE EXPECTED CGROUP\n"

/*
 * The paths of an event's two cgroups, its claimer's and its holder's, as
 * the reader sees them (pr_cgroup_path()); NULL for one not known.
 */
struct pr_event_paths {
	const char *task;
	const char *holder;
	char task_buf[PR_CGROUP_BUF_SIZE];
	char holder_buf[PR_CGROUP_BUF_SIZE];
};

/* Process context: builds the paths of @ev's cgroups in @paths. */
void pr_event_paths_resolve(struct pr_event_paths *paths,
			    const struct pr_bind_event *ev);

/*
 * Each writes one line, '\n' included, into @buf and returns its length,
 * as @view may see it: user ids as its user namespace maps them, process
 * ids as its pid namespace sees them, "-" for a process it cannot see.
 * The cgroup paths come resolved (@paths, @cgroup: NULL for none known).
 */
size_t pr_format_event(char *buf, size_t size, u64 seq,
		       const struct pr_bind_event *ev,
		       const struct pr_event_paths *paths,
		       const struct pr_view *view);
size_t pr_format_claim(char *buf, size_t size,
		       const struct pr_claim_info *claim, const char *cgroup,
		       const struct pr_view *view);

#endif
