#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Time-bounded libFuzzer runs (clang, ASan and UBSan) over the kernel's
# command parser built for userspace and the tool's /proc line parsers
# (services, protocols, binds, claims),
# seeded with real and documented lines.  FUZZ_SECONDS per target
# (default 15).
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

secs=${FUZZ_SECONDS:-15}
out=$PORTREG_TOP/build/fuzz
rm -rf "$out" && mkdir -p "$out"
command -v clang >/dev/null || { fail "clang is installed"; exit 0; }
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

build() { # name, sources...
	local name=$1
	shift
	if clang $flags -o "$out/$name" "$@" >"$out/$name.build.log" 2>&1; then
		pass "fuzz target $name builds"
	else
		fail "fuzz target $name builds"; cat "$out/$name.build.log" >&2; return 1
	fi
}

# Seeds: real command lines, and real lines of both /proc files.
mkdir -p "$out/seed-cmd" "$out/seed-parse"
python3 "$PORTREG_TOP/scripts/gen-registry.py" --data "$PORTREG_TOP/data" \
	--services "$out/services" --protocols "$out/protocols"
i=0
for l in "add http-alt 8080/tcp webcache # HTTP Alternate" "del ssh 22/tcp" \
	 "add x 65535/dccp a b c d e f g h" "# comment" ""; do
	printf '%s' "$l" >"$out/seed-cmd/$i"; i=$((i + 1))
done
sed -n '2,40p;/^submissions/p' "$out/services" | while read -r l; do
	printf 'add %s' "$l" >"$out/seed-cmd/s$i"; printf '%s\n' "$l" >"$out/seed-parse/s$i"
	i=$((i + 1))
done
head -n 20 "$out/protocols" | while read -r l; do
	printf '%s\n' "$l" >"$out/seed-parse/p$i"; i=$((i + 1))
done
# binds and claims lines: the tool tests' fixtures (a conflict with each
# kind of holder, a lost marker of each reason, every kind of claim, a
# TIME_WAIT socket in fin-wait-2) and the golden lines of
# docs/proc-binds.md and docs/proc-claims.md, the kernel's exact format.
cat "$PORTREG_TOP"/tests/tool/fixtures/*/binds "$PORTREG_TOP"/tests/tool/fixtures/*/claims \
    "$PORTREG_TOP"/tests/tool/fixtures/owners/owners |
	while IFS= read -r l; do
		printf '%s\n' "$l" >"$out/seed-parse/r$i"; i=$((i + 1))
	done
golden() { # the code block after "Golden lines" in docs/$1.md
	awk '/^Golden lines/ { g = 1; next } g && /^```/ { if (inside) exit; inside = 1; next }
	     inside' "$PORTREG_TOP/docs/$1.md"
}
# Each document must give lines: an empty seed set would mean the docs'
# "Golden lines" heading moved and the fuzzer lost the kernel's format.
n=0
for doc in proc-binds proc-claims proc-owners; do
	golden "$doc" >"$out/golden-$doc"
	lines=$(grep -c . "$out/golden-$doc")
	if [ "$lines" -gt 0 ]; then
		pass "fuzz seeds: $lines golden lines from docs/$doc.md"
	else
		fail "fuzz seeds: no golden lines found in docs/$doc.md"
	fi
	while IFS= read -r l; do
		printf '%s\n' "$l" >"$out/seed-parse/g$n"; n=$((n + 1))
	done <"$out/golden-$doc"
done

run() { # name, corpus
	local name=$1 log=$out/$1.log
	"$out/$name" -max_total_time="$secs" -max_len=700 -print_final_stats=1 \
		-artifact_prefix="$out/$name-" "$2" >"$log" 2>&1
	local status=$? execs
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$status" = 0 ] && [ "${execs:-0}" -gt 0 ]; then
		pass "fuzz $name: $execs inputs in ${secs}s, no crash, invariants held"
	else
		fail "fuzz $name (exit $status)"
		grep -E -A12 'ERROR|SUMMARY' "$log" | head -n 30 >&2
		ls "$out/$name"-crash-* >&2 2>/dev/null
	fi
}

build fuzz_cmd "$PORTREG_TOP/tests/fuzz/fuzz_cmd.c" "$PORTREG_TOP/module/cmd.c" \
	"$PORTREG_TOP/module/proto.c" && run fuzz_cmd "$out/seed-cmd"
build fuzz_parse "$PORTREG_TOP/tests/fuzz/fuzz_parse.c" "$PORTREG_TOP/userspace/parse.c" &&
	run fuzz_parse "$out/seed-parse"
