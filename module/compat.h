/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels portreg supports, in one place, so
 * that the rest of the module reads like upstream code of the newest one.
 * Kbuild puts this header in front of every file (-include), as
 * WireGuard's out-of-tree compat layer does.
 *
 * Supported: the 6.1 series from 6.1.84, 6.12 and 7.3, which are the
 * kernels of Debian 12, Debian 13 and trixie-backports (docs/testing.md
 * has the matrix they are tested on).  A shim below names the release
 * that made it necessary; each was checked against the sources of 6.1,
 * 6.12 and 7.3.
 */
#ifndef PORTREG_COMPAT_H
#define PORTREG_COMPAT_H

#include <linux/version.h>

/* True on kernels older than @major.@minor.@sublevel. */
#define PR_KERNEL_BEFORE(major, minor, sublevel) \
	(KERNEL_VERSION(major, minor, sublevel) > LINUX_VERSION_CODE)

#if PR_KERNEL_BEFORE(6, 1, 84)
#error "portreg needs Linux 6.1.84 or later"
#endif

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>

/*
 * 6.13 made a symbol namespace a string literal (MODULE_IMPORT_NS("NS")).
 * Before, the macro stringified a bare token.
 */
#if PR_KERNEL_BEFORE(6, 13, 0)
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns)	MODULE_INFO(import_ns, ns)
#endif

/*
 * Allocators typed by what they allocate, kzalloc_obj(*p) for
 * kzalloc(sizeof(*p)): 7.3 has them, 6.12 does not.  portreg always
 * passes the GFP flags, which they make optional.
 */
#ifndef kzalloc_obj
#define kzalloc_obj(P, gfp)	kzalloc(sizeof(P), gfp)
#endif

/* 6.16 renamed from_timer() to timer_container_of(). */
#ifndef timer_container_of
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

/*
 * 6.6 moved the boolean socket options of struct inet_sock into the bits
 * of inet_flags, read with inet_test_bit(NAME, sk).  Before, each was a
 * bitfield of its own, named in lower case.
 */
#if PR_KERNEL_BEFORE(6, 6, 0)
#define PR_COMPAT_INET_BIT_FREEBIND		freebind
#define PR_COMPAT_INET_BIT_TRANSPARENT		transparent
#define PR_COMPAT_INET_BIT_BIND_ADDRESS_NO_PORT	bind_address_no_port
#define inet_test_bit(nr, sk)	(inet_sk(sk)->PR_COMPAT_INET_BIT_##nr)
#endif

/*
 * 6.19 gave the bind and connect paths struct sockaddr_unsized, a
 * struct sockaddr that says nothing of its size.  Before, they took
 * struct sockaddr itself.
 */
#if PR_KERNEL_BEFORE(6, 19, 0)
#define sockaddr_unsized	sockaddr
#endif

#endif
