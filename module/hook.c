// SPDX-License-Identifier: GPL-2.0
/*
 * The probes on the kernel's port paths.  Each handler only unpacks the
 * probed function's arguments and calls the event core (track.c).
 *
 *   inet_bind, inet6_bind        bind(2) on IPv4 and IPv6, every transport
 *   inet_csk_listen_start        listen(2): autobind, and listener conflicts
 *   inet_autobind                UDP's first sendmsg(2) or connect(2)
 *   inet_put_port                TCP and DCCP give a port back
 *   udp_lib_unhash               UDP gives a port back
 *   inet_sock_destruct           any inet socket is destroyed (SCTP's only
 *                                release point portreg sees)
 *
 * inet6_bind (IPv6 may be a module not loaded) and inet_autobind (static,
 * so a compiler may inline it) are optional: without them the rest still
 * runs, and stats names what is missing.  The release probes go in first,
 * so no claim can be made that a release would then miss.  Unregistering
 * waits for running handlers, and a return handler whose function is still
 * running when it goes is never called.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/seq_file.h>

#include "hook.h"
#include "track.h"

static const char *pr_hook_reason = "not started";

const char *pr_hook_status(void)
{
	return pr_hook_reason;
}

#if IS_ENABLED(CONFIG_KRETPROBES)

static struct pr_tracker *pr_hook_tracker;
static bool pr_hook_on;

static int pr_bind_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct socket *sock = (void *)regs_get_kernel_argument(regs, 0);
	const struct sockaddr *uaddr = (void *)regs_get_kernel_argument(regs, 1);
	int addr_len = regs_get_kernel_argument(regs, 2);

	return !pr_track_bind_begin((void *)ri->data, sock->sk, uaddr,
				    addr_len);
}

NOKPROBE_SYMBOL(pr_bind_entry);

static int pr_listen_entry(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct sock *sk = (void *)regs_get_kernel_argument(regs, 0);

	return !pr_track_listen_begin((void *)ri->data, sk);
}

NOKPROBE_SYMBOL(pr_listen_entry);

static int pr_autobind_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct sock *sk = (void *)regs_get_kernel_argument(regs, 0);

	return !pr_track_autobind_begin((void *)ri->data, sk);
}

NOKPROBE_SYMBOL(pr_autobind_entry);

static int pr_port_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	pr_track_end(pr_hook_tracker, (void *)ri->data,
		     (int)regs_return_value(regs));
	return 0;
}

NOKPROBE_SYMBOL(pr_port_return);

static int pr_release_pre(struct kprobe *kp, struct pt_regs *regs)
{
	pr_track_release(pr_hook_tracker,
			 (void *)regs_get_kernel_argument(regs, 0));
	return 0;
}

NOKPROBE_SYMBOL(pr_release_pre);

#define PR_RETPROBE(sym, entry) {					\
	.kp.symbol_name = sym,						\
	.entry_handler = entry,						\
	.handler = pr_port_return,					\
	.data_size = sizeof(struct pr_bind_ctx),			\
}

static struct kretprobe pr_retprobes[] = {
	PR_RETPROBE("inet_bind", pr_bind_entry),
	PR_RETPROBE("inet6_bind", pr_bind_entry),
	PR_RETPROBE("inet_csk_listen_start", pr_listen_entry),
	PR_RETPROBE("inet_autobind", pr_autobind_entry),
};

static const bool pr_retprobe_optional[ARRAY_SIZE(pr_retprobes)] = {
	[1] = true,	/* inet6_bind */
	[3] = true,	/* inet_autobind */
};

/* 0 once registered, else the error registering it gave. */
static int pr_retprobe_err[ARRAY_SIZE(pr_retprobes)];

static struct kprobe pr_release_probes[] = {
	{ .symbol_name = "inet_put_port", .pre_handler = pr_release_pre },
	{ .symbol_name = "udp_lib_unhash", .pre_handler = pr_release_pre },
	{ .symbol_name = "inet_sock_destruct", .pre_handler = pr_release_pre },
};

static char pr_hook_reason_buf[128];

static void pr_hook_fail(const char *what, const char *sym, int err)
{
	const char *why;

	switch (err) {
	case -EOPNOTSUPP:
		why = "this kernel has no kprobes";
		break;
	case -ENOENT:
		why = "the kernel has no such symbol";
		break;
	case -EINVAL:
		why = "the symbol cannot be probed";
		break;
	default:
		why = "registration failed";
		break;
	}
	snprintf(pr_hook_reason_buf, sizeof(pr_hook_reason_buf),
		 "%s(%s) returned %d: %s", what, sym, err, why);
	pr_hook_reason = pr_hook_reason_buf;
}

int pr_hook_init(struct pr_tracker *t)
{
	int maxactive = max_t(int, 64, 4 * num_possible_cpus());
	unsigned int nk, nr;
	int err;

	pr_hook_tracker = t;
	for (nk = 0; nk < ARRAY_SIZE(pr_release_probes); nk++) {
		err = register_kprobe(&pr_release_probes[nk]);
		if (err) {
			pr_hook_fail("register_kprobe",
				     pr_release_probes[nk].symbol_name, err);
			goto err_kprobes;
		}
	}
	for (nr = 0; nr < ARRAY_SIZE(pr_retprobes); nr++) {
		pr_retprobes[nr].maxactive = maxactive;
		err = register_kretprobe(&pr_retprobes[nr]);
		pr_retprobe_err[nr] = err;
		if (err && pr_retprobe_optional[nr]) {
			pr_warn("%s not probed (%d): its binds go unrecorded\n",
				pr_retprobes[nr].kp.symbol_name, err);
			continue;
		}
		if (err) {
			pr_hook_fail("register_kretprobe",
				     pr_retprobes[nr].kp.symbol_name, err);
			goto err_retprobes;
		}
	}
	pr_hook_on = true;
	pr_hook_reason = "active";
	return 0;

err_retprobes:
	while (nr--)
		if (!pr_retprobe_err[nr])
			unregister_kretprobe(&pr_retprobes[nr]);
err_kprobes:
	while (nk--)
		unregister_kprobe(&pr_release_probes[nk]);
	pr_warn("bind tracking unavailable: %s\n", pr_hook_reason);
	return err;
}

void pr_hook_exit(void)
{
	struct kretprobe *rps[ARRAY_SIZE(pr_retprobes)];
	struct kprobe *kps[ARRAY_SIZE(pr_release_probes)];
	unsigned int i, n = 0;

	if (!pr_hook_on)
		return;
	for (i = 0; i < ARRAY_SIZE(rps); i++)
		if (!pr_retprobe_err[i])
			rps[n++] = &pr_retprobes[i];
	for (i = 0; i < ARRAY_SIZE(kps); i++)
		kps[i] = &pr_release_probes[i];
	/* Stop new claims before the releases that would end them. */
	unregister_kretprobes(rps, n);
	unregister_kprobes(kps, ARRAY_SIZE(kps));
	pr_hook_on = false;
	pr_hook_reason = "stopped";
}

bool pr_hook_active(void)
{
	return pr_hook_on;
}

/* One "probe SYMBOL missed N" line per probe, for /proc/portreg/stats. */
void pr_hook_show_probes(struct seq_file *m)
{
	unsigned int i;

	if (!pr_hook_on)
		return;
	for (i = 0; i < ARRAY_SIZE(pr_retprobes); i++) {
		if (pr_retprobe_err[i]) {
			seq_printf(m, "probe %s unavailable %d\n",
				   pr_retprobes[i].kp.symbol_name,
				   pr_retprobe_err[i]);
			continue;
		}
		seq_printf(m, "probe %s missed %lu\n",
			   pr_retprobes[i].kp.symbol_name,
			   (unsigned long)pr_retprobes[i].nmissed +
			   pr_retprobes[i].kp.nmissed);
	}
	for (i = 0; i < ARRAY_SIZE(pr_release_probes); i++)
		seq_printf(m, "probe %s missed %lu\n",
			   pr_release_probes[i].symbol_name,
			   pr_release_probes[i].nmissed);
}

#else /* !CONFIG_KRETPROBES */

int pr_hook_init(struct pr_tracker *t)
{
	pr_hook_reason = "this kernel was built without CONFIG_KRETPROBES";
	pr_warn("bind tracking unavailable: %s\n", pr_hook_reason);
	return -EOPNOTSUPP;
}

void pr_hook_exit(void)
{
}

bool pr_hook_active(void)
{
	return false;
}

void pr_hook_show_probes(struct seq_file *m)
{
}

#endif
