// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/portreg/owners (docs/proc-owners.md): the expected owners, one
 * "PORT/PROTO COMM" a line, readable by anyone, like /etc/services; and
 * their write interface, under the rules of /proc/portreg/services.
 */
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "cmdwrite.h"
#include "owners.h"
#include "proc_owners.h"

static int pr_owners_seq_show(struct seq_file *m, void *v)
{
	pr_owners_show(m->private, m);
	return 0;
}

static int pr_owners_open(struct inode *inode, struct file *file)
{
	return single_open(file, pr_owners_seq_show, pde_data(inode));
}

static int pr_owners_apply_to(void *owners, char *buf, size_t count)
{
	return pr_owners_apply(owners, buf, count);
}

/* Under the rules of /proc/portreg/services (cmdwrite.h). */
static ssize_t pr_owners_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	return pr_cmd_write(file, ubuf, count, PR_OWNERS_WRITE_MAX,
			    pr_owners_apply_to);
}

static const struct proc_ops pr_owners_proc_ops = {
	.proc_open = pr_owners_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = pr_owners_write,
};

struct proc_dir_entry *pr_proc_owners_create(struct proc_dir_entry *dir,
					     struct pr_owners *owners)
{
	return proc_create_data("owners", 0644, dir, &pr_owners_proc_ops,
				owners);
}
