// SPDX-License-Identifier: GPL-2.0
/*
 * The probes on the kernel's port paths.  Each handler only unpacks the
 * probed function's arguments and calls the event core (track.c).
 *
 *   __inet_bind, __inet6_bind    every bind of an IPv4 or IPv6 socket:
 *                                bind(2), MPTCP's subflows (which call
 *                                inet_bind_sk() directly since 6.3)
 *                                and BPF's bpf_bind()
 *   inet_csk_listen_start        listen(2): autobind, and listener conflicts
 *   inet_autobind                UDP's first sendmsg(2) or connect(2)
 *   inet_hash_connect,           TCP's (and DCCP's) connect(2): only a
 *   inet6_hash_connect           failure is recorded, when no local port
 *                                (or four-tuple) was free
 *   inet_put_port                TCP and DCCP give a port back
 *   udp_lib_unhash               UDP gives a port back
 *
 * A bind probe takes the first of its candidates the kernel lets it
 * probe: __inet6_bind is static, and a build that inlined it leaves
 * inet6_bind_sk() (6.3 on) or inet6_bind() in its place.  Whatever was
 * chosen, the self-check (selfcheck.c) then proves with real sockets that
 * every path reaches a probe, and tracking is active only if it does.
 *
 * A release probe only frees the socket's record early: a record whose
 * release went unseen is never shown (claims come from the kernel's
 * tables) and is swept (sweep.c).  SCTP's releases are left to the sweep.
 * The release probes go in first all the same.  Unregistering waits for
 * running handlers, and a return handler whose function is still running
 * when it goes is never called.
 *
 * A release needs only its function's first argument, so where the
 * kernel lets a plain ftrace_ops read it (compat.h), the release probe is
 * one, without the kprobe's full register save; a kprobe is the fallback.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <net/inet_common.h>
#include <net/sock.h>

#include "hook.h"
#include "selfcheck.h"
#include "track.h"

static unsigned int maxactive;
module_param(maxactive, uint, 0444);
MODULE_PARM_DESC(maxactive,
		 "Bind calls each return probe follows at once, 1 to 65536; 0 (default) for 4 per possible CPU, at least 64.  A call beyond is a missed event, marked in the bind log");

static char *probe_exclude;
module_param(probe_exclude, charp, 0444);
MODULE_PARM_DESC(probe_exclude,
		 "Comma-separated functions not to probe, for a kernel where probing one misbehaves (default none); the self-check then says which path is left unwatched");

static const char *pr_hook_reason = "not started";

#define PR_MAXACTIVE_MAX	65536

int pr_hook_check_params(void)
{
	if (maxactive > PR_MAXACTIVE_MAX) {
		pr_err("maxactive=%u is above %u\n", maxactive,
		       PR_MAXACTIVE_MAX);
		return -EINVAL;
	}
	return 0;
}

const char *pr_hook_status(void)
{
	return pr_hook_reason;
}

#if IS_ENABLED(CONFIG_KRETPROBES)

static char pr_hook_reason_buf[192];

static __printf(1, 2) void pr_hook_set_reason(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(pr_hook_reason_buf, sizeof(pr_hook_reason_buf), fmt, args);
	va_end(args);
	pr_hook_reason = pr_hook_reason_buf;
}

static struct pr_tracker *pr_hook_tracker;
static bool pr_hook_on;

/* The task running the self-check, and what its own calls hit. */
static struct task_struct *pr_selfcheck_task;
static atomic_t pr_selfcheck_hit[PR_PROBE_COUNT];

/*
 * The floor build (make PORTREG_HOOK_FLOOR=1, for make bench only): the
 * same probes on the same functions, chosen and self-checked the same
 * way, whose handlers return at once.  What it costs is the kprobe
 * machinery's share of portreg's cost; the rest is portreg's own work.
 */
#ifdef PORTREG_HOOK_FLOOR
#define PR_HOOK_FLOOR	true
MODULE_INFO(hook_floor, "empty handlers: a benchmark build that records nothing");
#else
#define PR_HOOK_FLOOR	false
#endif

/* True if this hit is the self-check's: it is counted, and that is all. */
static bool pr_hook_selfcheck(enum pr_probe_id id)
{
	if (likely(READ_ONCE(pr_selfcheck_task) != current))
		return false;
	atomic_inc(&pr_selfcheck_hit[id]);
	return true;
}

/* What a candidate function's first argument is. */
enum pr_arg0 {
	PR_ARG0_SOCK,		/* struct sock * */
	PR_ARG0_SOCKET,		/* struct socket * */
};

/*
 * @lock_flags, for the bind and autobind probes: the argument that holds
 * the bind flags, if the function locks the socket only with
 * BIND_WITH_LOCK; -1 if it always does.
 */
struct pr_candidate {
	const char *symbol;
	enum pr_arg0 arg0;
	int lock_flags;
};

/* A kretprobe on the first candidate that registers. */
struct pr_retprobe {
	struct kretprobe rp;
	enum pr_probe_id id;
	const struct pr_candidate *candidates;	/* ends with a NULL symbol */
	const struct pr_candidate *chosen;
	int err;				/* 0 once registered */
};

#ifdef pr_ftrace_arg0
#define PR_HOOK_FTRACE	1
#else
#define PR_HOOK_FTRACE	0
#endif

/*
 * A function's entry: an ftrace_ops where the kernel allows (@by_ftrace),
 * else a kprobe.  @kp.symbol_name names the function either way.
 */
struct pr_entryprobe {
	struct kprobe kp;
#if PR_HOOK_FTRACE
	struct ftrace_ops ops;
	atomic_long_t ops_missed;	/* calls the recursion guard turned away */
#endif
	bool by_ftrace;
	enum pr_probe_id id;
	int err;
};

static struct sock *pr_arg0_sock(struct pt_regs *regs, enum pr_arg0 arg0)
{
	void *arg = (void *)regs_get_kernel_argument(regs, 0);

	return arg0 == PR_ARG0_SOCKET ? ((struct socket *)arg)->sk : arg;
}

static struct pr_retprobe *pr_retprobe_of(struct kretprobe_instance *ri)
{
	return container_of(get_kretprobe(ri), struct pr_retprobe, rp);
}

/*
 * A call that would wait for a socket lock another task holds is not
 * followed to its return: it would hold one of the kretprobe's few
 * instances for as long as that task likes (one that holds the lock while
 * a page fault of its own never ends, say), and once all are held every
 * bind on the host goes unseen.  It is counted and marked instead.  The
 * check races with the lock being taken; losing that race costs one
 * instance for one wait.
 */
static bool pr_hook_waits_for_lock(struct sock *sk, int lock_flags,
				   struct pt_regs *regs)
{
	if (lock_flags >= 0 &&
	    !(regs_get_kernel_argument(regs, lock_flags) & BIND_WITH_LOCK))
		return false;
	if (!sock_owned_by_user_nocheck(sk))
		return false;
	pr_track_unfollowed(pr_hook_tracker, sk);
	return true;
}

static int pr_bind_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pr_retprobe *p = pr_retprobe_of(ri);
	struct sock *sk = pr_arg0_sock(regs, p->chosen->arg0);
	const struct sockaddr *uaddr = (void *)regs_get_kernel_argument(regs, 1);
	int addr_len = regs_get_kernel_argument(regs, 2);

	if (PR_HOOK_FLOOR)
		return 0;
	if (!pr_track_bind_begin((void *)ri->data, sk, uaddr, addr_len))
		return 1;
	return pr_hook_waits_for_lock(sk, p->chosen->lock_flags, regs);
}

NOKPROBE_SYMBOL(pr_bind_entry);

static int pr_listen_entry(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct sock *sk = (void *)regs_get_kernel_argument(regs, 0);

	if (PR_HOOK_FLOOR)
		return 0;
	/* inet_listen() holds the socket's lock already. */
	return !pr_track_listen_begin((void *)ri->data, sk);
}

NOKPROBE_SYMBOL(pr_listen_entry);

static int pr_autobind_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct sock *sk = (void *)regs_get_kernel_argument(regs, 0);

	if (PR_HOOK_FLOOR)
		return 0;
	if (!pr_track_autobind_begin((void *)ri->data, sk))
		return 1;
	return pr_hook_waits_for_lock(sk, -1, regs);
}

NOKPROBE_SYMBOL(pr_autobind_entry);

/* The caller holds the socket's lock: this call never waits for it. */
static int pr_connect_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct sock *sk = (void *)regs_get_kernel_argument(regs, 1);

	if (PR_HOOK_FLOOR)
		return 0;
	return !pr_track_connect_begin((void *)ri->data, sk);
}

NOKPROBE_SYMBOL(pr_connect_entry);

static int pr_port_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (pr_hook_selfcheck(pr_retprobe_of(ri)->id) || PR_HOOK_FLOOR)
		return 0;
	pr_track_end(pr_hook_tracker, (void *)ri->data,
		     (int)regs_return_value(regs));
	return 0;
}

NOKPROBE_SYMBOL(pr_port_return);

static int pr_release_pre(struct kprobe *kp, struct pt_regs *regs)
{
	if (pr_hook_selfcheck(container_of(kp, struct pr_entryprobe, kp)->id) ||
	    PR_HOOK_FLOOR)
		return 0;
	pr_track_release(pr_hook_tracker,
			 (void *)regs_get_kernel_argument(regs, 0));
	return 0;
}

NOKPROBE_SYMBOL(pr_release_pre);

#if PR_HOOK_FTRACE
static void notrace pr_release_ftrace(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct pr_entryprobe *p = container_of(ops, struct pr_entryprobe, ops);
	int bit;

	/* Also keeps preemption off while the handler runs. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0) {
		atomic_long_inc(&p->ops_missed);
		return;
	}
	if (!pr_hook_selfcheck(p->id) && !PR_HOOK_FLOOR)
		pr_track_release(pr_hook_tracker,
				 (void *)pr_ftrace_arg0(fregs));
	ftrace_test_recursion_unlock(bit);
}

/*
 * Without FTRACE_OPS_FL_RECURSION, which asks ftrace to guard the
 * callback, ftrace calls it directly, not through its assist wrapper: the
 * callback guards itself (docs/benchmarks.md has what the wrapper cost).
 * FTRACE_OPS_FL_PERMANENT, as the kprobe core's own ops: while portreg is
 * loaded, sysctl kernel.ftrace_enabled=0 is refused (EBUSY) rather than
 * silently stopping every release callback.
 */
static int pr_register_ftrace(struct pr_entryprobe *p)
{
	const char *symbol = p->kp.symbol_name;
	int err;

	memset(&p->ops, 0, sizeof(p->ops));
	p->ops.func = pr_release_ftrace;
	p->ops.flags = FTRACE_OPS_FL_PERMANENT | PR_FTRACE_OPS_SAVE;
	atomic_long_set(&p->ops_missed, 0);
	err = ftrace_set_filter(&p->ops, (unsigned char *)symbol,
				strlen(symbol), 1);
	if (!err)
		err = register_ftrace_function(&p->ops);
	if (err)
		ftrace_free_filter(&p->ops);
	return err;
}

static void pr_unregister_ftrace(struct pr_entryprobe *p)
{
	/* Returns once no CPU runs the callback (ftrace_shutdown()). */
	unregister_ftrace_function(&p->ops);
	ftrace_free_filter(&p->ops);
}

static unsigned long pr_entryprobe_missed(const struct pr_entryprobe *p)
{
	return p->by_ftrace ? atomic_long_read(&p->ops_missed) :
			      p->kp.nmissed;
}
#else
static int pr_register_ftrace(struct pr_entryprobe *p)
{
	return -EOPNOTSUPP;
}

static void pr_unregister_ftrace(struct pr_entryprobe *p)
{
}

static unsigned long pr_entryprobe_missed(const struct pr_entryprobe *p)
{
	return p->kp.nmissed;
}
#endif

static const struct pr_candidate pr_bind4_candidates[] = {
	{ "__inet_bind", PR_ARG0_SOCK, 3 },
	{ "inet_bind_sk", PR_ARG0_SOCK, -1 },
	{ "inet_bind", PR_ARG0_SOCKET, -1 },
	{ NULL }
};

static const struct pr_candidate pr_bind6_candidates[] = {
	{ "__inet6_bind", PR_ARG0_SOCK, 3 },
	{ "inet6_bind_sk", PR_ARG0_SOCK, -1 },
	{ "inet6_bind", PR_ARG0_SOCKET, -1 },
	{ NULL }
};

static const struct pr_candidate pr_listen_candidates[] = {
	{ "inet_csk_listen_start", PR_ARG0_SOCK, -1 },
	{ NULL }
};

static const struct pr_candidate pr_autobind_candidates[] = {
	{ "inet_autobind", PR_ARG0_SOCK, -1 },
	{ NULL }
};

/* Their first argument is the death row; the sock is the second. */
static const struct pr_candidate pr_connect4_candidates[] = {
	{ "inet_hash_connect", PR_ARG0_SOCK, -1 },
	{ NULL }
};

static const struct pr_candidate pr_connect6_candidates[] = {
	{ "inet6_hash_connect", PR_ARG0_SOCK, -1 },
	{ NULL }
};

#define PR_RETPROBE(probe_id, list, entry) {				\
	.rp.entry_handler = entry,					\
	.rp.handler = pr_port_return,					\
	.rp.data_size = sizeof(struct pr_bind_ctx),			\
	.id = probe_id,							\
	.candidates = list,						\
}

static struct pr_retprobe pr_retprobes[] = {
	PR_RETPROBE(PR_PROBE_BIND4, pr_bind4_candidates, pr_bind_entry),
	PR_RETPROBE(PR_PROBE_BIND6, pr_bind6_candidates, pr_bind_entry),
	PR_RETPROBE(PR_PROBE_LISTEN, pr_listen_candidates, pr_listen_entry),
	PR_RETPROBE(PR_PROBE_AUTOBIND, pr_autobind_candidates,
		    pr_autobind_entry),
	PR_RETPROBE(PR_PROBE_CONNECT4, pr_connect4_candidates,
		    pr_connect_entry),
	PR_RETPROBE(PR_PROBE_CONNECT6, pr_connect6_candidates,
		    pr_connect_entry),
};

#define PR_ENTRYPROBE(probe_id, sym) {					\
	.kp.symbol_name = sym,						\
	.kp.pre_handler = pr_release_pre,				\
	.id = probe_id,							\
}

static struct pr_entryprobe pr_entryprobes[] = {
	PR_ENTRYPROBE(PR_PROBE_RELEASE_TCP, "inet_put_port"),
	PR_ENTRYPROBE(PR_PROBE_RELEASE_UDP, "udp_lib_unhash"),
};

/* Is @symbol named in the probe_exclude parameter? */
static bool pr_hook_excluded(const char *symbol)
{
	const char *p = probe_exclude;
	size_t len = strlen(symbol);

	while (p && *p) {
		if (!strncmp(p, symbol, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/* An ftrace_ops on @p's function if the kernel allows, else a kprobe. */
static int pr_register_entryprobe(struct pr_entryprobe *p)
{
	if (pr_hook_excluded(p->kp.symbol_name))
		return -EPERM;
	p->by_ftrace = !pr_register_ftrace(p);
	if (p->by_ftrace)
		return 0;
	return register_kprobe(&p->kp);
}

/* Registers @p on its first candidate that accepts a probe. */
static int pr_register_retprobe(struct pr_retprobe *p, int maxactive)
{
	const struct pr_candidate *c;
	int err = -ENOENT;

	for (c = p->candidates; c->symbol; c++) {
		memset(&p->rp.kp, 0, sizeof(p->rp.kp));
		p->rp.kp.symbol_name = c->symbol;
		p->rp.maxactive = maxactive;
		p->chosen = c;
		if (pr_hook_excluded(c->symbol)) {
			err = -EPERM;
			continue;
		}
		err = register_kretprobe(&p->rp);
		if (!err)
			return 0;
	}
	p->chosen = &p->candidates[0];
	p->rp.kp.symbol_name = p->chosen->symbol;
	return err;
}

static const char *pr_hook_errstr(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return "this kernel has no kprobes";
	case -ENOENT:
		return "the kernel has no such symbol";
	case -EINVAL:
		return "the symbol cannot be probed";
	case -EPERM:
		return "excluded by the probe_exclude parameter";
	default:
		return "registration failed";
	}
}

const char *pr_hook_probe_symbol(enum pr_probe_id id, const char **why)
{
	unsigned int i;
	int err = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(pr_retprobes); i++) {
		if (pr_retprobes[i].id != id)
			continue;
		err = pr_retprobes[i].err;
		if (!err)
			return pr_retprobes[i].chosen->symbol;
	}
	for (i = 0; i < ARRAY_SIZE(pr_entryprobes); i++) {
		if (pr_entryprobes[i].id != id)
			continue;
		err = pr_entryprobes[i].err;
		if (!err)
			return pr_entryprobes[i].kp.symbol_name;
	}
	*why = pr_hook_errstr(err);
	return NULL;
}

static void pr_hook_unregister(void)
{
	struct kretprobe *rps[ARRAY_SIZE(pr_retprobes)];
	struct kprobe *kps[ARRAY_SIZE(pr_entryprobes)];
	unsigned int i, nr = 0, nk = 0;

	for (i = 0; i < ARRAY_SIZE(rps); i++)
		if (!pr_retprobes[i].err)
			rps[nr++] = &pr_retprobes[i].rp;
	for (i = 0; i < ARRAY_SIZE(kps); i++)
		if (!pr_entryprobes[i].err && !pr_entryprobes[i].by_ftrace)
			kps[nk++] = &pr_entryprobes[i].kp;
	/* Stop new claims before the releases that would end them. */
	if (nr)
		unregister_kretprobes(rps, nr);
	if (nk)
		unregister_kprobes(kps, nk);
	for (i = 0; i < ARRAY_SIZE(kps); i++)
		if (!pr_entryprobes[i].err && pr_entryprobes[i].by_ftrace)
			pr_unregister_ftrace(&pr_entryprobes[i]);
	for (i = 0; i < ARRAY_SIZE(rps); i++)
		pr_retprobes[i].err = -ENOENT;
	for (i = 0; i < ARRAY_SIZE(kps); i++)
		pr_entryprobes[i].err = -ENOENT;
}

/*
 * Registers every probe.  A probe that cannot be placed is not an error
 * here: the self-check tells whether its path matters on this kernel.
 */
static void pr_hook_register(void)
{
	int instances = maxactive ?: max_t(int, 64, 4 * num_possible_cpus());
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_entryprobes); i++)
		pr_entryprobes[i].err = pr_register_entryprobe(&pr_entryprobes[i]);
	for (i = 0; i < ARRAY_SIZE(pr_retprobes); i++)
		pr_retprobes[i].err = pr_register_retprobe(&pr_retprobes[i],
							   instances);
}

int pr_hook_init(struct pr_tracker *t)
{
	char reason[160];
	unsigned int i;
	int err;

	pr_hook_tracker = t;
	pr_hook_register();
	err = pr_selfcheck_run(reason, sizeof(reason));
	if (err) {
		pr_hook_set_reason("%s", reason);
		goto err_unregister;
	}
	pr_hook_on = true;
	pr_hook_reason = "active";
	if (PR_HOOK_FLOOR)
		pr_warn("a benchmark's floor build: the probes are in, their handlers empty; nothing is recorded\n");
	return 0;

err_unregister:
	/* With no kprobes at all, every probe failed the same way. */
	for (i = 0; i < ARRAY_SIZE(pr_retprobes); i++)
		if (pr_retprobes[i].err == -EOPNOTSUPP)
			pr_hook_set_reason("%s",
					   "this kernel was built without CONFIG_KRETPROBES");
	pr_hook_unregister();
	return err;
}

void pr_hook_exit(void)
{
	if (!pr_hook_on)
		return;
	pr_hook_unregister();
	pr_hook_on = false;
	pr_hook_reason = "stopped";
}

bool pr_hook_active(void)
{
	return pr_hook_on;
}

void pr_hook_selfcheck_begin(void)
{
	unsigned int i;

	for (i = 0; i < PR_PROBE_COUNT; i++)
		atomic_set(&pr_selfcheck_hit[i], 0);
	WRITE_ONCE(pr_selfcheck_task, current);
}

void pr_hook_selfcheck_end(void)
{
	WRITE_ONCE(pr_selfcheck_task, NULL);
}

unsigned int pr_hook_selfcheck_hits(enum pr_probe_id id)
{
	return atomic_read(&pr_selfcheck_hit[id]);
}

/* Hits the kernel could not deliver, over every probe, since load. */
u64 pr_hook_missed(void)
{
	unsigned int i;
	u64 sum = 0;

	if (!READ_ONCE(pr_hook_on))
		return 0;
	for (i = 0; i < ARRAY_SIZE(pr_retprobes); i++)
		sum += (unsigned int)pr_retprobes[i].rp.nmissed +
		       pr_retprobes[i].rp.kp.nmissed;
	for (i = 0; i < ARRAY_SIZE(pr_entryprobes); i++)
		sum += pr_entryprobe_missed(&pr_entryprobes[i]);
	return sum;
}

/* Hits of the release probes alone: each may have left a record behind. */
u64 pr_hook_release_missed(void)
{
	unsigned int i;
	u64 sum = 0;

	if (!READ_ONCE(pr_hook_on))
		return 0;
	for (i = 0; i < ARRAY_SIZE(pr_entryprobes); i++)
		sum += pr_entryprobe_missed(&pr_entryprobes[i]);
	return sum;
}

/*
 * One "probe SYMBOL missed N" line per probe, for /proc/portreg/stats.  A
 * kretprobe misses at its entry (kp.nmissed) or for want of an instance
 * (nmissed, an int the kernel never lets wrap negative in practice, read
 * as unsigned so that it could not sign-extend).
 */
void pr_hook_show_probes(struct seq_file *m)
{
	unsigned int i;

	if (!pr_hook_on)
		return;
	for (i = 0; i < ARRAY_SIZE(pr_retprobes); i++) {
		const struct kretprobe *rp = &pr_retprobes[i].rp;

		seq_printf(m, "probe %s missed %lu\n", rp->kp.symbol_name,
			   (unsigned long)(unsigned int)rp->nmissed +
			   rp->kp.nmissed);
	}
	for (i = 0; i < ARRAY_SIZE(pr_entryprobes); i++)
		seq_printf(m, "probe %s missed %lu\n",
			   pr_entryprobes[i].kp.symbol_name,
			   pr_entryprobe_missed(&pr_entryprobes[i]));
}

#else /* !CONFIG_KRETPROBES */

int pr_hook_init(struct pr_tracker *t)
{
	pr_hook_reason = "this kernel was built without CONFIG_KRETPROBES";
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

void pr_hook_selfcheck_begin(void)
{
}

void pr_hook_selfcheck_end(void)
{
}

unsigned int pr_hook_selfcheck_hits(enum pr_probe_id id)
{
	return 0;
}

u64 pr_hook_missed(void)
{
	return 0;
}

u64 pr_hook_release_missed(void)
{
	return 0;
}

const char *pr_hook_probe_symbol(enum pr_probe_id id, const char **why)
{
	*why = "this kernel was built without CONFIG_KRETPROBES";
	return NULL;
}

#endif
