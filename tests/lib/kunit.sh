# SPDX-License-Identifier: GPL-2.0
# report_kunit LOG OUTDIR SRC SUITES...: cuts the KTAP of portreg's suites
# out of console log LOG, parses it with the kernel's own kunit.py (from
# source tree SRC), and prints one "PASS|FAIL|SKIP suite.case" line per
# case and per table row, then "PASS|FAIL kunit suite X ran" for each of
# SUITES.  TAG names the kernel in the suite lines (uml, debug).
PORTREG_KUNIT_SUITES="portreg_cmd portreg_services portreg_protocols portreg_proc portreg_ring portreg_conflict portreg_records portreg_track portreg_bindfmt"

report_kunit() {
	local log=$1 out=$2 src=$3 tag=$4 suite
	shift 4
	python3 "$PORTREG_TOP/tests/lib/ktap.py" "$log" portreg_ "$out/ktap.log" >"$out/suites.txt"
	python3 "$src/tools/testing/kunit/kunit.py" parse --json="$out/kunit.json" \
		"$out/ktap.log" >"$out/kunit-parse.txt" 2>&1 || true
	sed 's/^/  /' "$out/kunit-parse.txt" | grep -E '=====|Testing complete|FAILED|CRASHED' >&2 || true
	if [ -s "$out/kunit.json" ]; then
		python3 "$PORTREG_TOP/tests/lib/kunit_results.py" "$out/kunit.json" "$tag"
	fi
	for suite in "$@"; do
		grep -qx "$suite" "$out/suites.txt" && echo "PASS $tag kunit suite $suite ran" ||
			echo "FAIL $tag kunit suite $suite ran"
	done
}
