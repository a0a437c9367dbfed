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
#include <net/inet_hashtables.h>
#include <net/udp.h>

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

/*
 * 6.8 moved a TCP port's sockets from its bind bucket's owners list to
 * the owners lists of the bucket's per-address buckets (bhash2).  Walk
 * them as: for (owners = pr_tb_owners_first(tb, &tb2); owners;
 * owners = pr_tb_owners_next(&tb2)) sk_for_each_bound(sk, owners).
 */
#if PR_KERNEL_BEFORE(6, 8, 0)
static inline struct hlist_head *
pr_tb_owners_first(struct inet_bind_bucket *tb, struct inet_bind2_bucket **tb2)
{
	*tb2 = NULL;
	return &tb->owners;
}

static inline struct hlist_head *pr_tb_owners_next(struct inet_bind2_bucket **tb2)
{
	return NULL;
}
#else
static inline struct hlist_head *
pr_tb_owners_first(struct inet_bind_bucket *tb, struct inet_bind2_bucket **tb2)
{
	*tb2 = hlist_entry_safe(tb->bhash2.first, struct inet_bind2_bucket,
				bhash_node);
	return *tb2 ? &(*tb2)->owners : NULL;
}

static inline struct hlist_head *pr_tb_owners_next(struct inet_bind2_bucket **tb2)
{
	*tb2 = hlist_entry_safe((*tb2)->bhash_node.next,
				struct inet_bind2_bucket, bhash_node);
	return *tb2 ? &(*tb2)->owners : NULL;
}
#endif

/*
 * A plain ftrace_ops callback's view of its function's first argument.
 * With DYNAMIC_FTRACE_WITH_ARGS (x86_64; arm64 from 6.2) an ops that saves
 * no registers still has the argument registers: 6.2 named the accessor
 * ftrace_regs_get_argument(), and 6.13 made struct ftrace_regs opaque, so
 * from then on it is the only way in.  6.1's arm64 has only
 * DYNAMIC_FTRACE_WITH_REGS: there the ops must save the registers, which
 * still costs less than its kprobes, all of them BRK traps.  Macros only,
 * for the one file that includes <linux/ftrace.h> (hook.c).
 */
#if IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS)
#define PR_FTRACE_OPS_SAVE	0
#if PR_KERNEL_BEFORE(6, 2, 0)
#define pr_ftrace_arg0(fregs)	regs_get_kernel_argument(&(fregs)->regs, 0)
#else
#define pr_ftrace_arg0(fregs)	ftrace_regs_get_argument(fregs, 0)
#endif
#elif IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#define PR_FTRACE_OPS_SAVE	FTRACE_OPS_FL_SAVE_REGS
#define pr_ftrace_arg0(fregs)	\
	regs_get_kernel_argument(ftrace_get_regs(fregs), 0)
#endif

/* 6.2 gave each network namespace its UDP table, its own or the shared one. */
static inline struct udp_table *pr_udp_table(const struct net *net)
{
#if PR_KERNEL_BEFORE(6, 2, 0)
	return &udp_table;
#else
	return net->ipv4.udp_table;
#endif
}

#endif
