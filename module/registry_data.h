/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the built-in registry that scripts/gen-registry.py generates into
 * registry_data.c.  Strings live in one blob and records hold offsets into
 * it: a 16-byte record and no relocation per string.
 */
#ifndef PORTREG_REGISTRY_DATA_H
#define PORTREG_REGISTRY_DATA_H

#include <linux/string.h>
#include <linux/types.h>
#include "hash.h"
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

/* The records whose key hashes like @key: entries[*first] to entries[*end - 1]. */
static inline void pr_index_bucket(const struct pr_index *index, u32 key,
				   unsigned int *first, unsigned int *end)
{
	u32 bucket = pr_hash_bits(key, index->bits);

	*first = index->start[bucket];
	*end = index->start[bucket + 1];
}

static inline const char *pr_str(u32 offset)
{
	return pr_strings + offset;
}

/* Points out[0..n-1] at the @n consecutive strings that start at @offset. */
static inline void pr_str_run(u32 offset, unsigned int n, const char **out)
{
	const char *s = pr_str(offset);
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[i] = s;
		s += strlen(s) + 1;
	}
}

/* Whether @want is @name or one of its @naliases aliases, as in netdb. */
static inline bool pr_names_include(const char *name,
				    const char *const *aliases,
				    unsigned int naliases, const char *want)
{
	unsigned int i;

	if (!strcmp(name, want))
		return true;
	for (i = 0; i < naliases; i++) {
		if (!strcmp(aliases[i], want))
			return true;
	}
	return false;
}

#endif
