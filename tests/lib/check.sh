# SPDX-License-Identifier: GPL-2.0
# Tiny assertion helpers for the shell suites: each prints one
# "PASS|FAIL name" line, the format tests/run-all.sh counts.

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

# expect_eq NAME WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else
		fail "$1"
		printf '    want: %s\n    got:  %s\n' "$2" "$3" >&2
	fi
}

# expect_status NAME WANT_STATUS CMD...: runs CMD, compares its exit status.
expect_status() {
	local name=$1 want=$2 got
	shift 2
	"$@" >/dev/null 2>&1 && got=0 || got=$?
	expect_eq "$name (exit $want)" "$want" "$got"
}
