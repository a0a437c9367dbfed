#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs every suite of a set, prints each suite's results, and ends with the
# line "N passed, N failed" over all tests.  Exits non-zero if anything
# failed.  A suite whose script fails without reporting counts as one
# failure.
#
#   run-all.sh [test]   make test: what CI runs on every change
#   run-all.sh stress   make stress: the long runs, and everything on the
#                       debug kernel (KASAN, lockdep, kmemleak, failslab)
#   run-all.sh matrix   make matrix: what a fresh machine's CI run cannot
#                       fit in its hour: KUnit under UML on the series
#                       between the oldest and the newest, the VM and
#                       short stress runs on Debian's arm64 kernel, and
#                       the Debian packages installed, upgraded and
#                       purged in a VM booted with systemd
#
# The debug kernel is not in make test: building it takes about 12 minutes
# of a 2-core machine, which a fresh machine's CI run cannot spare next to
# the kernel matrix.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

# KUnit under UML on each source series named.
uml_suites() {
	local series
	for series in "$@"; do
		suites+=("kunit-uml-$series:tests/uml/run.sh $series")
	done
}

# The VM end-to-end test, then the short stress run, on each kernel named.
vm_suites() {
	local kernel
	for kernel in "$@"; do
		suites+=("vm-$kernel:PORTREG_VM_KERNEL=$kernel tests/vm/run.sh")
	done
	for kernel in "$@"; do
		suites+=("vm-stress-$kernel:PORTREG_VM_KERNEL=$kernel tests/vm/stress-run.sh")
	done
}

# A fresh machine's CI hour cannot build a UML kernel for every series
# beside the rest (docs/testing.md).  Each case of module/compat.h splits
# the kernels at a version between the oldest series and the newest, so
# those two take every branch of it: make test builds them, make matrix
# the ones in between, which take a mix of the same branches.
uml_outer=${PORTREG_SOURCE_SERIES%% *}
[ "${PORTREG_SOURCE_SERIES##* }" = "$uml_outer" ] ||
	uml_outer="$uml_outer ${PORTREG_SOURCE_SERIES##* }"
uml_inner=$(for series in $PORTREG_SOURCE_SERIES; do
	case " $uml_outer " in *" $series "*) ;; *) echo "$series" ;; esac
done)

set_name=${1:-test}
case $set_name in
test)
	suites=(
		"lint:tests/lint.sh"
		"data:tests/data/crosscheck.sh"
		"tool:tests/tool/run.sh"
		"fuzz:tests/fuzz/run.sh"
	)
	# KUnit under UML on the oldest and the newest source series, then
	# the VM end-to-end test and the short stress run on every x86_64
	# kernel of the matrix (tests/lib/kernels.sh).
	uml_suites $uml_outer
	vm_suites $PORTREG_VM_KERNELS_NATIVE
	suites+=("package:tests/package/run.sh") ;;
stress)
	export PORTREG_STRESS_SECS=${PORTREG_STRESS_SECS:-300}
	suites=(
		"vm-stress:tests/vm/stress-run.sh"
		"debug-kunit:tests/debug/kunit-run.sh"
		"debug-vm:tests/debug/vm-run.sh"
		"debug-stress:tests/debug/stress-run.sh"
	) ;;
matrix)
	suites=()
	uml_suites $uml_inner
	vm_suites $PORTREG_VM_KERNELS_FOREIGN
	suites+=("package-vm:tests/package/vm-install.sh") ;;
*)
	echo "usage: run-all.sh [test|stress|matrix]" >&2
	exit 2 ;;
esac
results=$PORTREG_TOP/build/results
[ "$set_name" = test ] || results=$results-$set_name
mkdir -p "$results"
rm -f "$results/summary.txt"
total_pass=0
total_fail=0
start_all=$(date +%s)
for entry in "${suites[@]}"; do
	name=${entry%%:*}
	# "VAR=value... script args...", run from the top of the checkout.
	read -r -a cmd <<<"${entry#*:}"
	start=$(date +%s)
	echo "== $name"
	(cd "$PORTREG_TOP" && env "${cmd[@]}") >"$results/$name.out" 2>"$results/$name.err"
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
