/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hash functions shared by the built-in tables, which scripts/gen-registry.py
 * indexes at build time, and the runtime tables.  They must stay bit for bit
 * identical to hash_bits() and fnv1a() in the generator; the data-integrity
 * KUnit case finds every built-in entry through them, so a drift fails it.
 */
#ifndef PORTREG_HASH_H
#define PORTREG_HASH_H

#include <linux/types.h>

static inline u32 pr_hash_bits(u32 val, unsigned int bits)
{
	return (val * 0x61C88647u) >> (32 - bits);
}

static inline u32 pr_port_key(u16 port, unsigned int proto)
{
	return ((u32)port << 2) | proto;
}

static inline u32 pr_name_key(const char *name)
{
	u32 h = 2166136261u;

	while (*name) {
		h ^= (u8)*name++;
		h *= 16777619u;
	}
	return h;
}

#endif
