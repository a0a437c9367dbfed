// SPDX-License-Identifier: GPL-2.0
/* Names and IP protocol numbers of the transports in the port registry. */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/string.h>
#endif
#include "proto.h"

const char *const pr_proto_names[PR_PROTO_COUNT] = {
	[PR_PROTO_TCP] = "tcp",
	[PR_PROTO_UDP] = "udp",
	[PR_PROTO_SCTP] = "sctp",
	[PR_PROTO_DCCP] = "dccp",
};
EXPORT_SYMBOL_IF_KUNIT(pr_proto_names);

static const u8 pr_proto_ipprotos[PR_PROTO_COUNT] = {
	[PR_PROTO_TCP] = IPPROTO_TCP,
	[PR_PROTO_UDP] = IPPROTO_UDP,
	[PR_PROTO_SCTP] = IPPROTO_SCTP,
	[PR_PROTO_DCCP] = IPPROTO_DCCP,
};

/* Returns the enum pr_proto for the @len bytes at @text, or -EINVAL. */
int pr_proto_parse(const char *text, size_t len)
{
	int i;

	for (i = 0; i < PR_PROTO_COUNT; i++) {
		if (strlen(pr_proto_names[i]) == len &&
		    !memcmp(pr_proto_names[i], text, len))
			return i;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(pr_proto_parse);

int pr_proto_from_ipproto(int ipproto)
{
	int i;

	for (i = 0; i < PR_PROTO_COUNT; i++) {
		if (pr_proto_ipprotos[i] == ipproto)
			return i;
	}
	return -EPROTONOSUPPORT;
}
EXPORT_SYMBOL_IF_KUNIT(pr_proto_from_ipproto);

u8 pr_proto_to_ipproto(enum pr_proto proto)
{
	return pr_proto_ipprotos[proto];
}
