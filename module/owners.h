/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_OWNERS_H
#define PORTREG_OWNERS_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "limits.h"

/*
 * Expected owners (/proc/portreg/owners, docs/proc-owners.md): which
 * program should hold a port of the host.  A claim of the port, in the
 * initial network namespace, by a process of another name is flagged at
 * bind time.  Readers, the probes among them, find an entry under RCU in
 * a sorted array; a write builds a new array and swaps it in whole, so a
 * bad line leaves the set as it was.
 */
struct pr_owner {
	u16 port;
	u8 ipproto;
	char comm[TASK_COMM_LEN];	/* NUL-padded */
	unsigned long warned;		/* jiffies of the last log line; 0: none */
};

struct pr_owners_set {
	struct rcu_head rcu;
	unsigned int n;
	struct pr_owner entries[];	/* by port, then protocol */
};

struct pr_owners {
	struct pr_owners_set __rcu *set;
	struct mutex write_lock;	/* one writer builds the next set */
};

int pr_owners_init(struct pr_owners *o);
/* No reader may be left: the caller has waited for RCU readers. */
void pr_owners_destroy(struct pr_owners *o);
/*
 * Applies every "expect PORT/PROTO COMM" and "forget PORT/PROTO" line of
 * @buf, or none: 0, or -EINVAL (a malformed line), -E2BIG (a COMM longer
 * than the kernel's), -ENOENT (forget of a port with no expectation),
 * -ENOSPC (more than PR_OWNERS_MAX), -ENOMEM.  May sleep.
 */
int pr_owners_apply(struct pr_owners *o, char *buf, size_t len);
/*
 * Whether @comm is not the expected owner of @port/@ipproto: then copies
 * the expected one into @expected and returns true.  Probe context: takes
 * only the RCU read lock.  With @warn_pid >= 0, says so in the kernel log,
 * at most once a minute for the port.
 */
bool pr_owners_unexpected(struct pr_owners *o, u16 port, u8 ipproto,
			  const char *comm, char expected[TASK_COMM_LEN],
			  pid_t warn_pid, uid_t warn_uid);
void pr_owners_show(struct pr_owners *o, struct seq_file *m);

#endif
