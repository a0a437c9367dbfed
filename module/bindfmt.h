/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_BINDFMT_H
#define PORTREG_BINDFMT_H

#include <linux/types.h>

#include "event.h"

struct pr_view;

/*
 * Longest line either formatter writes, with its '\n': a binds line with
 * every field at its widest (COMM, IF, HCOMM and EXPECTED all escaped,
 * four bytes a character; a 63-byte service name escaped) is under 970
 * bytes.
 */
#define PR_RECORD_LINE_MAX	1024

#define PR_BINDS_HEADER \
	"SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM HKIND HADDR HREMOTE HEXPIRE HINODE HWHY LOST SINCE CKIND EXPECTED\n"
#define PR_CLAIMS_HEADER \
	"PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE STATE REMOTE COOKIE EXPECTED\n"

/*
 * Each writes one line, '\n' included, into @buf and returns its length,
 * as @view may see it: user ids as its user namespace maps them, process
 * ids as its pid namespace sees them, "-" for a process it cannot see.
 */
size_t pr_format_event(char *buf, size_t size, u64 seq,
		       const struct pr_bind_event *ev,
		       const struct pr_view *view);
size_t pr_format_claim(char *buf, size_t size,
		       const struct pr_claim_info *claim,
		       const struct pr_view *view);

#endif
