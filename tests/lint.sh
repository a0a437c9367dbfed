#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks on the module, on every kernel of the matrix: checkpatch.pl
# --strict from the source of each series (6.1, 6.12, 7.3), one result per
# file; sparse (make C=2), one result per file it compiles, and a build at
# W=1 without a warning, against each kernel's headers as its users build
# it (tests/lib/kernels.sh); "make" refusing trees it cannot use, with a
# reason.  Plus a -Werror build of the userspace tool.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

out=$PORTREG_TOP/build/lint
mkdir -p "$out"

# checkpatch of every series: each kernel's own rules (7.3's prefers
# kzalloc_obj(), which the compat layer gives the older ones).  Version
# checks belong in the compat header, and only there.
for series in $PORTREG_SOURCE_SERIES; do
	src=$(linux_source_tree "$series")
	for f in "$PORTREG_TOP"/module/*.[ch]; do
		rel=${f#"$PORTREG_TOP"/}
		# Build products of an in-tree build, not sources.
		case $rel in *.mod.c|module/registry_data.c) continue ;; esac
		ignore=
		[ "$rel" != module/compat.h ] || ignore="--ignore LINUX_VERSION_CODE"
		report=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
			--show-types $ignore -f "$f" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
		if [ -z "$report" ]; then pass "checkpatch --strict ($series) $rel"; else
			fail "checkpatch --strict ($series) $rel"; printf '  %s\n' "$report" >&2; fi
	done
done

# sparse (C=2) and the compiler at W=1 on every kernel of the matrix, as
# its users build it; arm64's cross build has no sparse.
command -v sparse >/dev/null || fail "sparse is installed"
for kernel in $PORTREG_VM_KERNELS; do
	vm_kernel "$kernel"
	sparse=C=2
	[ "$VM_ARCH" = x86_64 ] || sparse=
	log "building against $VM_RELEASE with W=1 $sparse"
	if ! (build_module_for "$out/$kernel" W=1 $sparse) 2>"$out/$kernel.err"; then
		fail "module builds against $VM_RELEASE"; tail -n 20 "$out/$kernel.err" >&2
		continue
	fi
	blog=$out/$kernel/build.log
	# A kernel may refuse the sparse Debian has: 7.3's headers use
	# __typeof_unqual__, which no Debian sparse (0.6.4) parses.  Then
	# there is nothing to check; said, not counted either way.
	if [ -n "$sparse" ] && grep -q 'sparse is not available or not up to date' "$blog"; then
		log "sparse: $VM_RELEASE's headers refuse $(sparse --version 2>&1) as too old; not run there"
		sparse=
	fi
	if [ -n "$sparse" ]; then
		for f in "$PORTREG_TOP"/module/*.c registry_data.c; do
			name=$(basename "$f")
			case "$name" in *_test.c|*.mod.c) continue ;; esac   # Debian's kernels have no KUnit
			grep -q "CHECK   .*/module/$name" "$blog" ||
				{ fail "sparse ($kernel) ran on module/$name"; continue; }
			warn=$(grep -E "module/$name:[0-9]+:[0-9]+: (warning|error)" "$blog")
			if [ -z "$warn" ]; then pass "sparse ($kernel) module/$name"; else
				fail "sparse ($kernel) module/$name"; printf '  %s\n' "$warn" >&2; fi
		done
	fi
	# No compiler warning anywhere, headers included (a format mismatch is
	# reported at the kernel header that expands the macro).
	warn=$(grep -E "(warning|error):" "$blog" || true)
	if [ -z "$warn" ]; then pass "module builds at W=1 without a warning ($VM_RELEASE)"; else
		fail "module builds at W=1 without a warning ($VM_RELEASE)"; printf '  %s\n' "$warn" >&2; fi
done
vm_kernel 6.1
kdir=$VM_KDIR

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
if report_test=$(python3 "$PORTREG_TOP/tests/bench/report_test.py" 2>&1); then
	pass "the benchmark's report: confidence intervals, profile, baseline and scaling tables"
else
	fail "the benchmark's report: confidence intervals, profile, baseline and scaling tables"
	printf '%s\n' "$report_test" | tail -n 20 >&2
fi

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
	for parm in max_user_entries:uint ring_size:uint max_claims:uint read_gid:int probe_exclude:charp; do
		expect_eq "modinfo: ${parm%%:*} documented" 1 \
			"$(printf '%s\n' "$info" | grep -c "^parm: *${parm%%:*}:[A-Z].*(${parm#*:})\$")"
	done
else
	fail "make KDIR=$kdir builds module/portreg.ko"; tail -n 20 "$out/make-kdir.log" >&2
fi
# The benchmark's floor build says what it is, and the normal one does not.
expect_eq "modinfo: a normal build is no floor build" "" \
	"$(modinfo -F hook_floor "$PORTREG_TOP/module/portreg.ko" 2>/dev/null)"
copy_module_sources "$out/floor"
if make -C "$kdir" PORTREG_HOOK_FLOOR=1 M="$out/floor" modules >"$out/floor.log" 2>&1; then
	expect_eq "modinfo: the floor build (PORTREG_HOOK_FLOOR=1) says it records nothing" \
		"empty handlers: a benchmark build that records nothing" \
		"$(modinfo -F hook_floor "$out/floor/module/portreg.ko")"
else
	fail "the floor build (PORTREG_HOOK_FLOOR=1) builds"; tail -n 20 "$out/floor.log" >&2
fi
# Kbuild's clean only: the top-level one would also delete build/, where
# this very run keeps its logs.
make -C "$kdir" M="$PORTREG_TOP" clean >/dev/null 2>&1
if [ -e "$PORTREG_TOP/module/portreg.ko" ] || [ -e "$PORTREG_TOP/module/registry_data.c" ]; then
	fail "Kbuild clean removes the module and the generated tables"
else
	pass "Kbuild clean removes the module and the generated tables"
fi

# make against a tree it cannot use: one line that says what is wrong and
# what to do, and a failure.  A tree of each kind: missing,
# not a kernel tree, unprepared, too old, unsupported, and Debian 13's
# headers, whose tools need Debian 13's C library.
kdir_refused() { # NAME KDIR WORDS: make fails saying WORDS
	local name=$1 dir=$2 words=$3 msg status
	msg=$(make -s -C "$PORTREG_TOP" KDIR="$dir" module 2>&1 >/dev/null) && status=0 || status=$?
	if [ "$status" != 0 ] && printf '%s' "$msg" | grep -q "$words"; then
		pass "make with $name says so ($words)"
	else
		fail "make with $name says so ($words)"; printf '  exit %s: %s\n' "$status" "$msg" >&2
	fi
}
fake=$out/fake-kdir
rm -rf "$fake"
mkdir -p "$fake/include/generated/uapi/linux"
kdir_refused "a KDIR that does not exist" "$out/none" "does not exist: install the headers"
kdir_refused "a KDIR that is no kernel tree" "$fake" "not a kernel build tree"
touch "$fake/Makefile"
kdir_refused "an unprepared kernel tree" "$fake" "not prepared for building modules.*modules_prepare"
touch "$fake/include/generated/autoconf.h"
printf '#define LINUX_VERSION_MAJOR %s\n#define LINUX_VERSION_PATCHLEVEL %s\n#define LINUX_VERSION_SUBLEVEL %s\n' 5 10 200 \
	>"$fake/include/generated/uapi/linux/version.h"
kdir_refused "Linux 5.10" "$fake" "too old: portreg needs 6.1.84"
sed -i 's/ 5$/ 6/; s/ 10$/ 1/; s/ 200$/ 20/' "$fake/include/generated/uapi/linux/version.h"
kdir_refused "Linux 6.1.20" "$fake" "too old: portreg needs 6.1.84"
sed -i 's/PATCHLEVEL 1$/PATCHLEVEL 8/' "$fake/include/generated/uapi/linux/version.h"
kdir_refused "Linux 6.8" "$fake" "not a supported kernel.*PORTREG_UNTESTED=1"
vm_kernel 7.3
kdir_refused "Debian 13's 7.3 headers on Debian 12" "$VM_ROOT$VM_KDIR" "GLIBC_2.38' not found"
