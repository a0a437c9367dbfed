/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_BINDFMT_H
#define PORTREG_BINDFMT_H

#include <linux/types.h>

#include "event.h"

struct user_namespace;

/* Longest line either formatter writes, with its '\n'. */
#define PR_RECORD_LINE_MAX	512

#define PR_BINDS_HEADER \
	"SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM\n"
#define PR_CLAIMS_HEADER \
	"PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE\n"

/*
 * Each writes one line, '\n' included, into @buf and returns its length.
 * User ids are shown as @user_ns maps them.
 */
size_t pr_format_event(char *buf, size_t size, u64 seq,
		       const struct pr_bind_event *ev,
		       struct user_namespace *user_ns);
size_t pr_format_claim(char *buf, size_t size,
		       const struct pr_claim_info *claim,
		       struct user_namespace *user_ns);

#endif
