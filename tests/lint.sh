#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks on the module: checkpatch.pl --strict from Debian's kernel
# source, one result per file, and sparse (make C=2) against Debian's
# headers, one result per file it compiles.  Plus a -Werror build of the
# userspace tool.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

src=$(linux_source_tree)
out=$PORTREG_TOP/build/lint
mkdir -p "$out"

for f in "$PORTREG_TOP"/module/*.[ch]; do
	rel=${f#"$PORTREG_TOP"/}
	report=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "$f" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
	if [ -z "$report" ]; then pass "checkpatch --strict $rel"; else
		fail "checkpatch --strict $rel"; printf '  %s\n' "$report" >&2; fi
done

rel=$(debian_kernel_release)
kdir=/lib/modules/$rel/build
command -v sparse >/dev/null || { fail "sparse is installed"; exit 0; }
mkdir -p "$out/sparse"
rm -rf "$out/sparse/module"
cp -r "$PORTREG_TOP/Kbuild" "$PORTREG_TOP/module" "$PORTREG_TOP/data" \
	"$PORTREG_TOP/scripts" "$out/sparse/"
make -C "$kdir" M="$out/sparse" C=2 CF="-D__CHECK_ENDIAN__" modules \
	>"$out/sparse.log" 2>&1 || { fail "sparse build"; tail -n 20 "$out/sparse.log" >&2; }
for f in "$PORTREG_TOP"/module/*.c registry_data.c; do
	name=$(basename "$f")
	case "$name" in *_test.c) continue ;; esac   # KUnit is off in Debian's kernel
	grep -q "CHECK   .*/module/$name" "$out/sparse.log" ||
		{ fail "sparse ran on module/$name"; continue; }
	warn=$(grep -E "module/$name:[0-9]+:[0-9]+: (warning|error)" "$out/sparse.log")
	if [ -z "$warn" ]; then pass "sparse module/$name"; else
		fail "sparse module/$name"; printf '  %s\n' "$warn" >&2; fi
done
# And no compiler warning anywhere, headers included (a format mismatch is
# reported at the kernel header that expands the macro).
warn=$(grep -E "(warning|error):" "$out/sparse.log" | grep -v "module/[a-z_]*\.c:[0-9]*:[0-9]*: warning: .*sparse" || true)
if [ -z "$warn" ]; then pass "module builds without a compiler warning (Debian's kernel)"; else
	fail "module builds without a compiler warning (Debian's kernel)"; printf '  %s\n' "$warn" >&2; fi

if make -s -C "$PORTREG_TOP/userspace" clean >/dev/null &&
   make -s -C "$PORTREG_TOP/userspace" CFLAGS="-O2 -Werror" portreg >"$out/tool.log" 2>&1; then
	pass "userspace builds with -Werror"
else
	fail "userspace builds with -Werror"; cat "$out/tool.log" >&2
fi

# The VM helpers and the benchmark's load generator, which only the VM
# suites and make bench would otherwise build.
for src in tests/vm/prtest.c tests/vm/bindtest.c tests/vm/stress.c tests/bench/bindbench.c; do
	if gcc -O2 -Wall -Wextra -Werror -pthread -o "$out/helper" "$PORTREG_TOP/$src" >"$out/helper.log" 2>&1; then
		pass "$src builds with -Wall -Wextra -Werror"
	else
		fail "$src builds with -Wall -Wextra -Werror"; cat "$out/helper.log" >&2
	fi
done
sh -n "$PORTREG_TOP/tests/bench/init" && python3 -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" "$PORTREG_TOP/tests/bench/report.py" &&
	pass "the benchmark's init and report parse" || fail "the benchmark's init and report parse"

warn=$(groff -man -ww -z "$PORTREG_TOP/docs/portreg.8" 2>&1)
if [ -z "$warn" ]; then pass "man page renders without warnings"; else
	fail "man page renders without warnings"; printf '  %s\n' "$warn" >&2; fi

# The top-level "make KDIR=..." build, in the tree as a user would run it,
# and what modinfo shows of it.
if make -C "$PORTREG_TOP" KDIR="$kdir" module >"$out/make-kdir.log" 2>&1 &&
   [ -f "$PORTREG_TOP/module/portreg.ko" ]; then
	pass "make KDIR=$kdir builds module/portreg.ko"
	info=$(modinfo "$PORTREG_TOP/module/portreg.ko")
	expect_eq "modinfo: license" "GPL" "$(modinfo -F license "$PORTREG_TOP/module/portreg.ko")"
	expect_eq "modinfo: version" "0.2.0" "$(modinfo -F version "$PORTREG_TOP/module/portreg.ko")"
	for parm in max_user_entries:uint ring_size:uint max_claims:uint read_gid:int; do
		expect_eq "modinfo: ${parm%%:*} documented" 1 \
			"$(printf '%s\n' "$info" | grep -c "^parm: *${parm%%:*}:[A-Z].*(${parm#*:})\$")"
	done
else
	fail "make KDIR=$kdir builds module/portreg.ko"; tail -n 20 "$out/make-kdir.log" >&2
fi
# Kbuild's clean only: the top-level one would also delete build/, where
# this very run keeps its logs.
make -C "$kdir" M="$PORTREG_TOP" clean >/dev/null 2>&1
if [ -e "$PORTREG_TOP/module/portreg.ko" ] || [ -e "$PORTREG_TOP/module/registry_data.c" ]; then
	fail "Kbuild clean removes the module and the generated tables"
else
	pass "Kbuild clean removes the module and the generated tables"
fi
