/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transports a service entry can name.  The order is fixed: it is part
 * of the hash key, and scripts/gen-registry.py (PROTOS) must agree with it.
 */
#ifndef PORTREG_PROTO_H
#define PORTREG_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/export.h>
#include <kunit/visibility.h>
#else
#include "../userspace/kcompat.h"
#endif

enum pr_proto {
	PR_PROTO_TCP,
	PR_PROTO_UDP,
	PR_PROTO_SCTP,
	PR_PROTO_DCCP,
	PR_PROTO_COUNT
};

extern const char *const pr_proto_names[PR_PROTO_COUNT];

int pr_proto_parse(const char *text, size_t len);
int pr_proto_from_ipproto(int ipproto);
u8 pr_proto_to_ipproto(enum pr_proto proto);

#endif
