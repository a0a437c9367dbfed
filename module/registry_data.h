/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the built-in registry that scripts/gen-registry.py generates into
 * registry_data.c.  Strings live in one blob and records hold offsets into
 * it: a 16-byte record and no relocation per string.
 */
#ifndef PORTREG_REGISTRY_DATA_H
#define PORTREG_REGISTRY_DATA_H

#include <linux/types.h>
#include "proto.h"

struct pr_service_rec {
	u32 name;		/* offset in pr_strings */
	u32 aliases;		/* first of naliases consecutive strings */
	u32 description;	/* offset 0 is the empty string */
	u16 port;
	u8 proto;		/* enum pr_proto */
	u8 naliases;
};

struct pr_protocol_rec {
	u32 name;
	u32 aliases;
	u32 description;
	u8 number;
	u8 naliases;
};

/*
 * A hash index over one of the tables: the record numbers whose key hashes
 * to bucket b are entries[start[b]] up to entries[start[b + 1] - 1].
 */
struct pr_index {
	unsigned int bits;
	const u16 *start;
	const u16 *entries;
};

extern const struct pr_service_rec pr_builtin_services[];
extern const unsigned int pr_builtin_nservices;
extern const struct pr_protocol_rec pr_builtin_protocols[];
extern const unsigned int pr_builtin_nprotocols;
extern const struct pr_index pr_service_port_index;
extern const struct pr_index pr_service_name_index;
extern const struct pr_index pr_protocol_number_index;
extern const struct pr_index pr_protocol_name_index;
extern const char pr_strings[];
extern const unsigned int pr_strings_size;

static inline const char *pr_str(u32 offset)
{
	return pr_strings + offset;
}

#endif
