/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_HOOK_H
#define PORTREG_HOOK_H

#include <linux/types.h>

struct pr_tracker;
struct seq_file;

/* The probes, by what they watch. */
enum pr_probe_id {
	PR_PROBE_BIND4,		/* bind(2) of an IPv4 socket */
	PR_PROBE_BIND6,		/* bind(2) of an IPv6 socket */
	PR_PROBE_LISTEN,	/* listen(2) */
	PR_PROBE_AUTOBIND,	/* a port chosen at UDP's first send or connect */
	PR_PROBE_CONNECT4,	/* a port chosen at an IPv4 TCP connect(2) */
	PR_PROBE_CONNECT6,	/* a port chosen at an IPv6 TCP connect(2) */
	PR_PROBE_RELEASE_TCP,	/* TCP and DCCP give a port back */
	PR_PROBE_RELEASE_UDP,	/* UDP gives a port back */
	PR_PROBE_COUNT
};

/*
 * Attaches the probes that feed @t, then checks them with real sockets
 * (selfcheck.c).  Failing either is not fatal: the registry works without
 * them, and pr_hook_status() says why tracking is off.  Returns 0 when
 * tracking is active.
 */
/* -EINVAL, said in the kernel log, for parameters out of range. */
int pr_hook_check_params(void);
int pr_hook_init(struct pr_tracker *t);
void pr_hook_exit(void);
bool pr_hook_active(void);
const char *pr_hook_status(void);
void pr_hook_show_probes(struct seq_file *m);
u64 pr_hook_missed(void);
u64 pr_hook_release_missed(void);

/*
 * For the self-check only: while it runs, every hit made by the task
 * running it is counted here and recorded nowhere else.
 */
void pr_hook_selfcheck_begin(void);
void pr_hook_selfcheck_end(void);
unsigned int pr_hook_selfcheck_hits(enum pr_probe_id id);
/* The symbol probed for @id, or NULL with why there is none in @why. */
const char *pr_hook_probe_symbol(enum pr_probe_id id, const char **why);

#endif
