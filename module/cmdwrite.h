/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_CMDWRITE_H
#define PORTREG_CMDWRITE_H

#include <linux/types.h>

struct file;

/*
 * Applies the @count bytes of commands in @buf to @target, all of them
 * or none: 0 or a negative errno.  @buf is NUL-terminated after them.
 */
typedef int (*pr_cmd_apply_t)(void *target, char *buf, size_t count);

/*
 * A write to a command file (services, owners), under the rules both
 * share: the credentials the file was opened with must have
 * CAP_NET_ADMIN, at most @max bytes, ending with a newline.  @target is
 * the file's proc data.  Returns @count or a negative errno.
 */
ssize_t pr_cmd_write(struct file *file, const char __user *ubuf,
		     size_t count, size_t max, pr_cmd_apply_t apply);
/* The same rules for a buffer already in the kernel, NUL after @count. */
int pr_cmd_write_buf(struct file *file, char *buf, size_t count,
		     pr_cmd_apply_t apply);

#endif
