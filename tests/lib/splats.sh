# SPDX-License-Identifier: GPL-2.0
# What counts as a kernel splat in a console log.
SPLAT_RE='BUG:|WARNING:|Oops|general protection|Kernel panic|KASAN|UBSAN|kmemleak|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|list_(add|del) corruption|refcount_t:|Call Trace:|stack-protector|double fault|segfault at'

# Prints the splat lines of log $1 from line $2 on (1-based).
splats_from() {
	tail -n +"$2" "$1" | grep -E "$SPLAT_RE" || true
}
