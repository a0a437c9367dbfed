/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's types for module/cmd.c and module/proto.c to
 * build in userspace, where they are fuzzed and unit-tested.
 */
#ifndef PORTREG_KCOMPAT_H
#define PORTREG_KCOMPAT_H

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

#define EXPORT_SYMBOL_IF_KUNIT(sym)

#endif
