#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs every suite, prints each suite's results, and ends with the line
# "N passed, N failed" over all tests.  Exits non-zero if anything failed.
# A suite whose script fails without reporting counts as one failure.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

suites=(
	"lint:tests/lint.sh"
	"data:tests/data/crosscheck.sh"
	"tool:tests/tool/run.sh"
	"fuzz:tests/fuzz/run.sh"
	"kunit-uml:tests/uml/run.sh"
	"vm:tests/vm/run.sh"
	"vm-stress:tests/vm/stress-run.sh"
	"debug-kunit:tests/debug/kunit-run.sh"
	"package:tests/package/run.sh"
)
results=$PORTREG_TOP/build/results
mkdir -p "$results"
rm -f "$results/summary.txt"
total_pass=0
total_fail=0
start_all=$(date +%s)
for entry in "${suites[@]}"; do
	name=${entry%%:*}
	script=$PORTREG_TOP/${entry#*:}
	start=$(date +%s)
	echo "== $name"
	"$script" >"$results/$name.out" 2>"$results/$name.err"
	status=$?
	pass=$(grep -c '^PASS ' "$results/$name.out")
	fail=$(grep -c '^FAIL ' "$results/$name.out")
	grep '^FAIL ' "$results/$name.out" | sed 's/^/   /'
	if [ "$status" != 0 ] || [ $((pass + fail)) = 0 ]; then
		echo "   FAIL $name: script exited $status after $pass passed, $fail failed"
		tail -n 15 "$results/$name.err" | sed 's/^/   | /'
		fail=$((fail + 1))
	elif [ "$fail" != 0 ]; then
		tail -n 25 "$results/$name.err" | sed 's/^/   | /'
	fi
	echo "   $name: $pass passed, $fail failed ($(( $(date +%s) - start ))s)"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done
echo "== all suites in $(( $(date +%s) - start_all ))s; logs in $results"
echo "$total_pass passed, $total_fail failed" | tee "$results/summary.txt"
[ "$total_fail" = 0 ]
