#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit under UML, on the kernel series $1 (6.1 by default; 6.12 and 7.3):
# builds the UML kernel from Debian's linux-source of that series (cached)
# and portreg against it, boots a busybox hostfs root whose init loads
# portreg and portreg_test,
# and reports through the kernel's own kunit.py parse.  Prints one
# "PASS|FAIL|SKIP name" line per test.  Fails on any failed case, on a
# suite that did not run, on any splat after portreg loads, and on a boot
# that did not reach its end.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/splats.sh"
. "$PORTREG_TOP/tests/lib/kunit.sh"

series=${1:-6.1}
tag=uml-$series
out=$PORTREG_TOP/build/$tag
kdir=$("$PORTREG_TOP/tests/uml/build-kernel.sh" "$series")
src=$(linux_source_tree "$series")

# C=2: sparse on every file, the KUnit suites included (Debian's kernel,
# which tests/lint.sh uses, has no KUnit).
build_module_copy "$src" "$out/obj" O="$kdir" ARCH=um C=2
warnings=$(grep -E '(warning|error):|WARNING:' "$out/obj/build.log" || true)
if [ -z "$warnings" ]; then
	echo "PASS $tag module and KUnit suites build without warnings, sparse included"
else
	echo "FAIL $tag module and KUnit suites build without warnings, sparse included"
	printf '  %s\n' "$warnings" >&2
fi
make_busybox_root "$out/root"
cp "$out/obj/module/portreg.ko" "$out/obj/module/portreg_test.ko" "$out/root/lib/modules/"
cp "$PORTREG_TOP/tests/uml/init" "$out/root/init"
install_test_tools "$out/root"

log=$out/console.log
start=$(date +%s)
timeout 900 "$kdir/linux" mem=512M rootfstype=hostfs hostfs="$out/root" rw \
	init=/init con=null con0=fd:0,fd:1 </dev/null >"$log" 2>&1 || true
log "UML run took $(( $(date +%s) - start ))s, console log: $log"

# KUnit, through kunit.py parse.
report_kunit "$log" "$out" "$src" "$tag" $PORTREG_KUNIT_SUITES

grep -o 'portreg-info: .*' "$log" | sort -u >&2 || true
# The shell-level checks the init script ran.
sed -n "s/.*portreg-uml: ok /PASS $tag /p; s/.*portreg-uml: not ok /FAIL $tag /p" "$log"

# Splats: before portreg loaded they belong to the kernel's boot, and are
# reported but not counted; from then on every one is a failure.
marker=$(grep -n -m 1 'portreg-uml: boot done' "$log" | cut -d: -f1 || true)
if [ -z "$marker" ]; then
	echo "FAIL $tag boot reached init"
	tail -n 20 "$log" >&2
	exit 0
fi
boot_splats=$(head -n "$marker" "$log" | grep -E "$SPLAT_RE" || true)
[ -z "$boot_splats" ] || { log "boot-time splats before portreg loaded (not portreg's):"; printf '  %s\n' "$boot_splats" >&2; }
check_no_splats "$tag no splat after portreg loaded" "$log" "$marker"
grep -Eq 'portreg-uml: lockdep +debug_locks: 1' "$log" &&
	echo "PASS $tag lockdep still on at the end" || echo "FAIL $tag lockdep still on at the end"
grep -q 'portreg-uml: done' "$log" && echo "PASS $tag run reached its end" ||
	echo "FAIL $tag run reached its end"
