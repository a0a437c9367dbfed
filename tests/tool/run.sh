#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The userspace tool against fixture directories (PORTREG_PROC): lookups,
# JSON Lines, exit codes, and empty, truncated, malformed and unreadable
# files.  Also runs the parser unit tests.  One "PASS|FAIL name" per test.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

out=$PORTREG_TOP/build/tool
rm -rf "$out" && mkdir -p "$out"
make -s -C "$PORTREG_TOP/userspace" portreg tests/test_parse >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; fail "tool builds"; exit 0; }
pass "tool builds"
"$PORTREG_TOP/userspace/tests/test_parse" | grep -E '^(PASS|FAIL) '

bin=$PORTREG_TOP/userspace/portreg
good=$out/good
mkdir -p "$good"
python3 "$PORTREG_TOP/scripts/gen-registry.py" --data "$PORTREG_TOP/data" \
	--services "$good/services" --protocols "$good/protocols"
pr() { PORTREG_PROC=$good NO_COLOR=1 "$bin" "$@"; }

expect_eq "services 22/tcp" \
	"ssh             22/tcp     # The Secure Shell (SSH) Protocol" "$(pr services 22/tcp)"
expect_eq "services ssh lists every protocol" "3" "$(pr services ssh | wc -l)"
expect_eq "services by alias" "http            80/tcp     www # World Wide Web HTTP" \
	"$(pr services www/tcp | head -n 1)"
expect_eq "services 465/tcp has both IANA names" "urd submissions" \
	"$(pr services 465/tcp | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "protocols 2" "igmp            2   IGMP # Internet Group Management" "$(pr protocols 2)"
expect_eq "protocols by alias" "88" "$(pr protocols EIGRP | awk '{print $2}')"
expect_eq "full listing has every line of the file" \
	"$(grep -vc '^#' "$good/services")" "$(pr services | wc -l)"
expect_eq "full listing reproduces the file's lines" "" \
	"$(diff <(grep -v '^#' "$good/services") <(pr services) | head -n 3)"
expect_eq "protocol listing reproduces the file's lines" "" \
	"$(diff <(grep -v '^#' "$good/protocols") <(pr protocols) | head -n 3)"

json=$(pr --json services 465/tcp)
expect_eq "--json is JSON Lines with the documented keys" "ok" "$(printf '%s\n' "$json" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
keys = {"name", "port", "proto", "aliases", "description"}
ok = len(rows) == 2 and all(set(r) == keys for r in rows)
ok = ok and rows[1]["name"] == "submissions" and rows[1]["aliases"] == ["ssmtp", "smtps", "urd"]
ok = ok and rows[0]["port"] == 465 and rows[0]["proto"] == "tcp"
print("ok" if ok else rows)')"
expect_eq "--json protocols" '{"number":88,"name":"eigrp","aliases":["EIGRP"],"description":"EIGRP"}' \
	"$(pr --json protocols 88)"

expect_status "no match" 1 pr services 65000/udp
expect_status "no match by name" 1 pr protocols no-such-protocol
expect_status "port out of range" 2 pr services 65536
expect_status "protocol number out of range" 2 pr protocols 256
expect_status "unknown transport" 2 pr services 22/icmp
expect_status "unknown command" 2 pr frobnicate
expect_status "unknown flag" 2 pr --frobnicate services
expect_status "too many arguments" 2 pr services 22 23
expect_status "no command" 2 pr
expect_status "--help" 0 pr --help
expect_eq "--help goes to stdout" "Usage:" "$(pr --help | head -c 6)"
expect_eq "--version" "portreg 0.1.0" "$(pr --version)"
expect_status "add without arguments" 2 pr add
expect_status "del with a description" 2 pr del foo 1/tcp -d x
expect_status "add name with blank" 2 pr add "a b" 1/tcp

msg=$(PORTREG_PROC=$out/absent "$bin" services 22 2>&1 >/dev/null); st=$?
expect_eq "module not loaded: exit 2" 2 "$st"
expect_eq "module not loaded: says how to load it" 1 \
	"$(printf '%s' "$msg" | grep -c "$out/absent: not found: the portreg module is not loaded (load it with 'sudo modprobe portreg'")"

mkdir -p "$out/nofiles"
msg=$(PORTREG_PROC=$out/nofiles "$bin" protocols 2>&1); st=$?
expect_eq "missing file: exit 3" 3 "$st"
expect_eq "missing file: names the file" "portreg: $out/nofiles/protocols: No such file or directory" "$msg"

mkdir -p "$out/empty" && : >"$out/empty/services"
expect_status "empty file: no match" 1 env PORTREG_PROC="$out/empty" "$bin" services

mkdir -p "$out/truncated"
head -c 2000 "$good/services" >"$out/truncated/services"
msg=$(PORTREG_PROC=$out/truncated "$bin" services 65000 2>&1); st=$?
expect_eq "truncated file: exit 3" 3 "$st"
expect_eq "truncated file: names file and line" "1" \
	"$(printf '%s' "$msg" | grep -c "^portreg: $out/truncated/services:[0-9]*: malformed line: ")"

mkdir -p "$out/garbage"
head -c 4096 /dev/urandom >"$out/garbage/services"
expect_status "binary garbage: exit 3" 3 env PORTREG_PROC="$out/garbage" "$bin" services

mkdir -p "$out/locked" && cp "$good/services" "$out/locked/" && chmod 600 "$out/locked/services"
chmod 755 "$out" "$out/locked"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	msg=$(PORTREG_PROC=$out/locked setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$bin" services 22 2>&1); st=$?
	expect_eq "unreadable file: exit 3" 3 "$st"
	expect_eq "unreadable file: names file and reason" \
		"portreg: $out/locked/services: Permission denied" "$msg"
fi

# add/del only build the command here; the VM test sends them to the kernel.
mkdir -p "$out/writable" && : >"$out/writable/services"
PORTREG_PROC=$out/writable "$bin" add svc-x 18080/tcp alias-x -d "a description"
expect_eq "add writes one command, options anywhere" \
	"add svc-x 18080/tcp alias-x # a description" "$(cat "$out/writable/services")"
PORTREG_PROC=$out/writable "$bin" del svc-x 18080/tcp
expect_eq "del writes one command" "del svc-x 18080/tcp" "$(cat "$out/writable/services")"
