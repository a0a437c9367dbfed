// SPDX-License-Identifier: GPL-2.0
/*
 * The one line layout shared by /proc/portreg/services and protocols, the
 * services(5) and protocols(5) syntax with aligned columns:
 *
 *   name<pad to 15> key<pad to key width> alias... # description
 *
 * scripts/gen-registry.py (render_line) writes the same layout for the
 * golden files; docs/proc-services.md is the specification.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "format.h"

#define PR_NAME_WIDTH	15

void pr_format_line(struct seq_file *m, const char *name, const char *key,
		    unsigned int key_width, const char *const *aliases,
		    unsigned int naliases, const char *description)
{
	size_t col;
	unsigned int i;

	seq_printf(m, "%-*s %s", PR_NAME_WIDTH, name, key);
	if (naliases || *description) {
		col = max_t(size_t, strlen(name), PR_NAME_WIDTH) + 1 +
		      strlen(key);
		for (; col < PR_NAME_WIDTH + 1 + key_width; col++)
			seq_putc(m, ' ');
	}
	for (i = 0; i < naliases; i++) {
		seq_putc(m, ' ');
		seq_puts(m, aliases[i]);
	}
	if (*description) {
		seq_puts(m, " # ");
		seq_puts(m, description);
	}
	seq_putc(m, '\n');
}
