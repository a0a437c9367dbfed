/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_FORMAT_H
#define PORTREG_FORMAT_H

#include <linux/seq_file.h>

/* Widths of the key column: "65535/sctp" and "255". */
#define PR_SERVICE_KEY_WIDTH	10
#define PR_PROTOCOL_KEY_WIDTH	3

void pr_format_line(struct seq_file *m, const char *name, const char *key,
		    unsigned int key_width, const char *const *aliases,
		    unsigned int naliases, const char *description);

#endif
