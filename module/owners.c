// SPDX-License-Identifier: GPL-2.0
/*
 * Expected owners: the set behind /proc/portreg/owners, its write
 * commands, and the check made when a socket claims a port.
 *
 *   expect PORT/PROTO COMM
 *   forget PORT/PROTO
 *
 * COMM is the process name as the kernel keeps it (at most 15 bytes),
 * written as the binds file writes names: a byte that is a blank, a
 * control character, a backslash, '#' or above 0x7e as a backslash and
 * three octal digits.
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "owners.h"
#include "proto.h"

#define PR_OWNERS_WARN_EVERY	(60 * HZ)

int pr_owners_init(struct pr_owners *o)
{
	struct pr_owners_set *set = kzalloc(sizeof(*set), GFP_KERNEL);

	if (!set)
		return -ENOMEM;
	mutex_init(&o->write_lock);
	RCU_INIT_POINTER(o->set, set);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_owners_init);

void pr_owners_destroy(struct pr_owners *o)
{
	kvfree(rcu_dereference_protected(o->set, true));
	RCU_INIT_POINTER(o->set, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(pr_owners_destroy);

static int pr_owner_cmp(u16 port, u8 ipproto, const struct pr_owner *e)
{
	if (port != e->port)
		return port < e->port ? -1 : 1;
	if (ipproto != e->ipproto)
		return ipproto < e->ipproto ? -1 : 1;
	return 0;
}

/* The index of @port/@ipproto in @set, or where it would go, ORed. */
static unsigned int pr_owners_search(const struct pr_owners_set *set,
				     u16 port, u8 ipproto, bool *found)
{
	unsigned int lo = 0, hi = set->n;

	*found = false;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int c = pr_owner_cmp(port, ipproto, &set->entries[mid]);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool pr_owners_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits @line in place into at most @max words; returns how many. */
static int pr_owners_words(char *line, char **words, int max)
{
	int n = 0;

	for (;;) {
		while (pr_owners_blank(*line))
			line++;
		if (!*line || *line == '#')
			return n;
		if (n == max)
			return max + 1;
		words[n++] = line;
		while (*line && !pr_owners_blank(*line))
			line++;
		if (*line)
			*line++ = '\0';
	}
}

/* PORT/PROTO: 1 to 65535 without a leading zero, and tcp, udp, sctp or dccp. */
static int pr_owners_key(const char *text, u16 *port, u8 *ipproto)
{
	const char *slash = strchr(text, '/');
	u32 val = 0;
	int proto;

	if (!slash || slash == text || slash - text > 5 || *text == '0')
		return -EINVAL;
	for (; text < slash; text++) {
		if (*text < '0' || *text > '9')
			return -EINVAL;
		val = val * 10 + (*text - '0');
	}
	if (val > 65535)
		return -EINVAL;
	proto = pr_proto_parse(slash + 1, strlen(slash + 1));
	if (proto < 0)
		return -EINVAL;
	*port = val;
	*ipproto = pr_proto_to_ipproto(proto);
	return 0;
}

/* Unescapes @text into @comm, NUL-padded. */
static int pr_owners_comm(const char *text, char comm[TASK_COMM_LEN])
{
	size_t len = 0;

	memset(comm, 0, TASK_COMM_LEN);
	while (*text) {
		unsigned char c = *text++;

		if (c == '\\') {
			if (text[0] < '0' || text[0] > '3' ||
			    text[1] < '0' || text[1] > '7' ||
			    text[2] < '0' || text[2] > '7')
				return -EINVAL;
			c = (text[0] - '0') << 6 | (text[1] - '0') << 3 |
			    (text[2] - '0');
			text += 3;
			if (!c)
				return -EINVAL;
		} else if (c <= 0x20 || c > 0x7e) {
			return -EINVAL;
		}
		if (len == TASK_COMM_LEN - 1)
			return -E2BIG;
		comm[len++] = c;
	}
	return len ? 0 : -EINVAL;
}

/* Applies one line to @set, which has room for PR_OWNERS_MAX entries. */
static int pr_owners_line(struct pr_owners_set *set, char *line)
{
	char *w[3], comm[TASK_COMM_LEN];
	unsigned int i;
	int n, err;
	bool found;
	u16 port;
	u8 ipproto;

	n = pr_owners_words(line, w, 3);
	if (!n)
		return 0;
	if (!strcmp(w[0], "expect") && n == 3)
		err = pr_owners_key(w[1], &port, &ipproto) ?:
		      pr_owners_comm(w[2], comm);
	else if (!strcmp(w[0], "forget") && n == 2)
		err = pr_owners_key(w[1], &port, &ipproto);
	else
		err = -EINVAL;
	if (err)
		return err;
	i = pr_owners_search(set, port, ipproto, &found);
	if (n == 2) {
		if (!found)
			return -ENOENT;
		memmove(&set->entries[i], &set->entries[i + 1],
			(set->n - i - 1) * sizeof(set->entries[0]));
		set->n--;
		return 0;
	}
	if (!found) {
		if (set->n == PR_OWNERS_MAX)
			return -ENOSPC;
		memmove(&set->entries[i + 1], &set->entries[i],
			(set->n - i) * sizeof(set->entries[0]));
		set->n++;
	}
	set->entries[i] = (struct pr_owner){ .port = port, .ipproto = ipproto };
	memcpy(set->entries[i].comm, comm, TASK_COMM_LEN);
	return 0;
}

int pr_owners_apply(struct pr_owners *o, char *buf, size_t len)
{
	struct pr_owners_set *old, *set;
	char *line, *next;
	int err = 0;

	if (len > PR_OWNERS_WRITE_MAX)
		return -E2BIG;
	if (strnlen(buf, len) != len)
		return -EINVAL;
	set = kvmalloc(struct_size(set, entries, PR_OWNERS_MAX), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	mutex_lock(&o->write_lock);
	old = rcu_dereference_protected(o->set,
					lockdep_is_held(&o->write_lock));
	set->n = old->n;
	memcpy(set->entries, old->entries, old->n * sizeof(old->entries[0]));
	buf[len] = '\0';
	for (line = buf; line && !err; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		err = pr_owners_line(set, line);
	}
	if (err) {
		mutex_unlock(&o->write_lock);
		kvfree(set);
		return err;
	}
	rcu_assign_pointer(o->set, set);
	mutex_unlock(&o->write_lock);
	kvfree_rcu(old, rcu);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pr_owners_apply);

bool pr_owners_unexpected(struct pr_owners *o, u16 port, u8 ipproto,
			  const char *comm, char expected[TASK_COMM_LEN],
			  pid_t warn_pid, uid_t warn_uid)
{
	struct pr_owners_set *set;
	struct pr_owner *e;
	unsigned long last, now;
	bool found;
	int proto;

	rcu_read_lock();
	set = rcu_dereference(o->set);
	e = &set->entries[pr_owners_search(set, port, ipproto, &found)];
	if (!found || !strncmp(e->comm, comm, TASK_COMM_LEN)) {
		rcu_read_unlock();
		return false;
	}
	memcpy(expected, e->comm, TASK_COMM_LEN);
	now = jiffies;
	last = READ_ONCE(e->warned);
	/* One line a minute a port, however many squat on it at once. */
	if (warn_pid >= 0 &&
	    (!last || time_after_eq(now, last + PR_OWNERS_WARN_EVERY)) &&
	    try_cmpxchg(&e->warned, &last, now ?: 1)) {
		proto = pr_proto_from_ipproto(ipproto);
		pr_warn("%u/%s claimed by %*pE[%d] uid %u, expected %*pE\n",
			port, proto >= 0 ? pr_proto_names[proto] : "?",
			(int)strnlen(comm, TASK_COMM_LEN), comm, warn_pid,
			warn_uid, (int)strnlen(expected, TASK_COMM_LEN),
			expected);
	}
	rcu_read_unlock();
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pr_owners_unexpected);

/* COMM as written: the binds file's escapes (docs/proc-binds.md). */
static void pr_owners_show_comm(struct seq_file *m, const char *comm)
{
	size_t i;

	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++) {
		unsigned char c = comm[i];

		/* And '#', which would start a comment when read back. */
		if (c <= 0x20 || c > 0x7e || c == '\\' || c == '#')
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

void pr_owners_show(struct pr_owners *o, struct seq_file *m)
{
	struct pr_owners_set *set;
	unsigned int i;
	int proto;

	rcu_read_lock();
	set = rcu_dereference(o->set);
	for (i = 0; i < set->n; i++) {
		const struct pr_owner *e = &set->entries[i];

		proto = pr_proto_from_ipproto(e->ipproto);
		seq_printf(m, "%u/%s ", e->port,
			   proto >= 0 ? pr_proto_names[proto] : "?");
		pr_owners_show_comm(m, e->comm);
		seq_putc(m, '\n');
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_IF_KUNIT(pr_owners_show);
