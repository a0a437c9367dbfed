// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/portreg/owners (docs/proc-owners.md): the expected owners, one
 * "PORT/PROTO COMM" a line, readable by anyone, like /etc/services; and
 * their write interface, under the rules of /proc/portreg/services.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

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

/*
 * As for services: the credentials the file was opened with, not the
 * writer's, must have CAP_NET_ADMIN, and a write must end with its
 * newline, so that half a line is never taken for a whole one.
 */
static int pr_owners_write_buf(struct file *file, struct pr_owners *owners,
			       char *buf, size_t count)
{
	if (!file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (count && buf[count - 1] != '\n')
		return -EINVAL;
	return pr_owners_apply(owners, buf, count);
}

static ssize_t pr_owners_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char *buf;
	int err;

	if (count > PR_OWNERS_WRITE_MAX)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = pr_owners_write_buf(file, pde_data(file_inode(file)), buf, count);
	kfree(buf);
	return err ? err : count;
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
