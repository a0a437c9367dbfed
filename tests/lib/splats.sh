# SPDX-License-Identifier: GPL-2.0
# What counts as a kernel splat in a console log.
SPLAT_RE='BUG:|WARNING:|Oops|general protection|Kernel panic|KASAN|UBSAN|kmemleak|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|list_(add|del) corruption|refcount_t:|Call Trace:|stack-protector|double fault|segfault at'

# check_no_splats NAME LOG FIRST_LINE: one PASS or FAIL line for NAME, by
# whether LOG holds a splat from line FIRST_LINE (1-based) on.
check_no_splats() {
	local found
	found=$(tail -n +"$3" "$2" | grep -E "$SPLAT_RE" || true)
	if [ -z "$found" ]; then
		echo "PASS $1"
	else
		echo "FAIL $1"
		printf '  %s\n' "$found" >&2
	fi
}
