#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The registry data: files intact, generator deterministic, every netbase
# entry of this machine covered, glibc's own parser reading the rendering,
# and every merge decision listed.  One "PASS|FAIL name" line per check.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

data=$PORTREG_TOP/data
out=$PORTREG_TOP/build/data
gen=$PORTREG_TOP/scripts/gen-registry.py
rm -rf "$out" && mkdir -p "$out"

while read -r file pkg ver path sum date; do
	case "$file" in \#*|"") continue ;; esac
	expect_eq "data/$file is $pkg $ver as recorded" "$sum" \
		"$(sha256sum "$data/$file" | cut -c1-64)"
done <"$data/SOURCES"

python3 "$gen" --data "$data" --services "$out/services" --protocols "$out/protocols" \
	--c "$out/a.c" --report 2>"$out/report.txt"
python3 "$gen" --data "$data" --c "$out/b.c"
expect_eq "generator is deterministic" "" "$(cmp "$out/a.c" "$out/b.c" 2>&1)"
expect_eq "generator reports its merge decisions" 1 \
	"$(grep -c '^gen-registry: [0-9]* services, [0-9]* protocols$' "$out/report.txt")"
echo "  merge decisions ($(grep -vc '^gen-registry' "$out/report.txt")):" >&2
grep -v 'second IANA name' "$out/report.txt" | sed 's/^/    /' >&2

python3 "$PORTREG_TOP/tests/data/crosscheck.py" "$out/services" "$out/protocols" \
	/etc/services /etc/protocols
for f in services protocols; do
	if cmp -s "$data/netbase-$f" "/etc/$f"; then
		pass "/etc/$f is netbase's as in data/"
	else
		pass "/etc/$f differs from data/netbase-$f (local edits or another netbase); reported"
		diff "$data/netbase-$f" "/etc/$f" | head -n 20 | sed 's/^/  tolerated: /' >&2
	fi
done

# glibc's own files backend reads the rendering, in a private mount namespace.
getent_in() {
	unshare -m sh -c 'mount --bind "$1" /etc/services && mount --bind "$2" /etc/protocols &&
		shift 2 && exec getent "$@"' sh "$out/services" "$out/protocols" "$@"
}
if unshare -m true 2>/dev/null; then
	expect_eq "glibc: getent services 465/tcp" "urd                   465/tcp" \
		"$(getent_in services 465/tcp)"
	expect_eq "glibc: getent services submissions" \
		"submissions           465/tcp ssmtp smtps urd" "$(getent_in services submissions)"
	expect_eq "glibc: getent services www (an alias)" "http                  80/tcp www" \
		"$(getent_in services www)"
	expect_eq "glibc: getent services 22/sctp" "ssh                   22/sctp" \
		"$(getent_in services 22/sctp)"
	expect_eq "glibc: getent protocols 2" "igmp                  2 IGMP" "$(getent_in protocols 2)"
	expect_eq "glibc: getent protocols 88" "eigrp                 88 EIGRP" "$(getent_in protocols 88)"
	expect_eq "glibc: getent protocols ipv4 (IANA keyword kept as alias)" \
		"ipencap               4 IP-ENCAP ipv4" "$(getent_in protocols ipv4)"
	expect_eq "glibc: every line parses (count of getent services)" \
		"$(grep -vc '^#' "$out/services")" "$(getent_in services | wc -l)"
else
	fail "glibc check: unshare -m is not permitted here"
fi
