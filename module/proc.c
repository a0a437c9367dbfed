// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/portreg/: the registry tables as services(5) and protocols(5) text.
 * Every file is a seq_file that prints one record per show() and holds the
 * RCU read lock only between start() and stop(), never across a return to
 * userspace.  The formats are an ABI, specified in docs/.
 */
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "cmdwrite.h"
#include "format.h"
#include "limits.h"
#include "proc.h"
#include "proto.h"
#include "protocols.h"
#include "services.h"

#define PR_SERVICES_HEADER \
	"# portreg services(5): name port/proto [aliases...] # description\n"
#define PR_PROTOCOLS_HEADER \
	"# portreg protocols(5): name number [aliases...] # description\n"

static struct proc_dir_entry *pr_proc_dir;

/* Position 0 is the header line; position n + 1 is table position n. */
static void *pr_services_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct pr_services_iter *it = m->private;

	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return pr_services_iter_seek(it, *pos - 1) ? it : NULL;
}

static void *pr_services_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pr_services_iter *it = m->private;
	bool more;

	more = v == SEQ_START_TOKEN ? pr_services_iter_seek(it, 0) :
				      pr_services_iter_next(it);
	if (!more) {
		++*pos;
		return NULL;
	}
	*pos = it->pos + 1;
	return it;
}

static void pr_services_seq_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int pr_services_seq_show(struct seq_file *m, void *v)
{
	struct pr_services_iter *it = v;
	const struct portreg_service *svc;
	char key[16];

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, PR_SERVICES_HEADER);
		return 0;
	}
	svc = &it->view;
	snprintf(key, sizeof(key), "%u/%s", svc->port,
		 pr_proto_names[pr_proto_from_ipproto(svc->ipproto)]);
	pr_format_line(m, svc->name, key, PR_SERVICE_KEY_WIDTH, svc->aliases,
		       svc->naliases, svc->description);
	return 0;
}

static const struct seq_operations pr_services_seq_ops = {
	.start = pr_services_seq_start,
	.next = pr_services_seq_next,
	.stop = pr_services_seq_stop,
	.show = pr_services_seq_show,
};

static int pr_services_open(struct inode *inode, struct file *file)
{
	struct pr_services_iter *it;

	it = __seq_open_private(file, &pr_services_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->table = pde_data(inode);
	return 0;
}

VISIBLE_IF_KUNIT int pr_services_apply_to(void *services, char *buf,
					  size_t count)
{
	return pr_services_apply(services, buf, count);
}
EXPORT_SYMBOL_IF_KUNIT(pr_services_apply_to);

static ssize_t pr_services_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return pr_cmd_write(file, ubuf, count, PR_WRITE_MAX,
			    pr_services_apply_to);
}

static const struct proc_ops pr_services_proc_ops = {
	.proc_open = pr_services_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release_private,
	.proc_write = pr_services_write,
};

static void *pr_protocols_seq_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return pr_protocols_at(*pos - 1, m->private) ? m->private : NULL;
}

static void *pr_protocols_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return pr_protocols_at(*pos - 1, m->private) ? m->private : NULL;
}

static void pr_protocols_seq_stop(struct seq_file *m, void *v)
{
}

static int pr_protocols_seq_show(struct seq_file *m, void *v)
{
	const struct portreg_protocol *proto = v;
	char key[4];

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, PR_PROTOCOLS_HEADER);
		return 0;
	}
	snprintf(key, sizeof(key), "%u", proto->number);
	pr_format_line(m, proto->name, key, PR_PROTOCOL_KEY_WIDTH,
		       proto->aliases, proto->naliases, proto->description);
	return 0;
}

static const struct seq_operations pr_protocols_seq_ops = {
	.start = pr_protocols_seq_start,
	.next = pr_protocols_seq_next,
	.stop = pr_protocols_seq_stop,
	.show = pr_protocols_seq_show,
};

int pr_proc_init(struct pr_services *live)
{
	pr_proc_dir = proc_mkdir("portreg", NULL);
	if (!pr_proc_dir)
		return -ENOMEM;
	if (!proc_create_data("services", 0644, pr_proc_dir,
			      &pr_services_proc_ops, live) ||
	    !proc_create_seq_private("protocols", 0444, pr_proc_dir,
				     &pr_protocols_seq_ops,
				     sizeof(struct portreg_protocol), NULL)) {
		proc_remove(pr_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

struct proc_dir_entry *pr_proc_root(void)
{
	return pr_proc_dir;
}

/*
 * proc_remove() waits for every running read and write to return and
 * releases files still open, so nothing here runs once it is done.
 */
void pr_proc_exit(void)
{
	proc_remove(pr_proc_dir);
}
