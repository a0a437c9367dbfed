// SPDX-License-Identifier: GPL-2.0
/*
 * The write side of the command files, /proc/portreg/services and owners
 * (cmdwrite.h): who may write, and what makes a write whole.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "cmdwrite.h"

/*
 * The privilege check uses the credentials the file was opened with, not
 * the writer's: a descriptor handed to a privileged process must not turn
 * an unprivileged opener's data into commands.
 *
 * A write must end with a newline.  A buffered writer whose buffer fills
 * mid-line writes the first part of a line in one call and the rest in the
 * next; the first part may well be a valid command of its own ("add x
 * 1/tcp" of "add x 1/tcp alias"), which must not be committed.
 */
int pr_cmd_write_buf(struct file *file, char *buf, size_t count,
		     pr_cmd_apply_t apply)
{
	if (!file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (count && buf[count - 1] != '\n')
		return -EINVAL;
	return apply(pde_data(file_inode(file)), buf, count);
}
EXPORT_SYMBOL_IF_KUNIT(pr_cmd_write_buf);

ssize_t pr_cmd_write(struct file *file, const char __user *ubuf,
		     size_t count, size_t max, pr_cmd_apply_t apply)
{
	char *buf;
	int err;

	/* The apply functions check it too; here it spares a huge copy. */
	if (count > max)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = pr_cmd_write_buf(file, buf, count, apply);
	kfree(buf);
	return err ? err : count;
}
