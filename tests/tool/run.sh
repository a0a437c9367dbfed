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
make -s -C "$PORTREG_TOP/userspace" portreg tests/test_parse tests/test_container \
	>"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; fail "tool builds"; exit 0; }
pass "tool builds"
"$PORTREG_TOP/userspace/tests/test_parse" | grep -E '^(PASS|FAIL) '
"$PORTREG_TOP/userspace/tests/test_container" | grep -E '^(PASS|FAIL) '
# The unit tests' golden lines are the docs' own, byte for byte (as C
# strings, backslashes doubled).
for doc in proc-binds proc-claims; do
	missing=$(awk '/^Golden lines/ { g = 1; next } g && /^```/ { if (inside) exit; inside = 1; next }
		       inside' "$PORTREG_TOP/docs/$doc.md" | sed 's/\\/\\\\/g' |
		while IFS= read -r l; do
			grep -qF "\"$l" "$PORTREG_TOP/userspace/tests/test_parse.c" || echo "$l"
		done)
	expect_eq "test_parse pins every golden line of docs/$doc.md" "" "$missing"
done

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
expect_eq "--version" "portreg 0.2.0" "$(pr --version)"
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

# nobody must reach the directory and the tool, wherever the checkout is
# (a clone under a 0700 home, a mktemp -d folder): both go to a
# world-searchable temporary directory.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	shared=$(mktemp -d /tmp/portreg-tool.XXXXXX) && chmod 755 "$shared"
	mkdir -p "$shared/locked" && cp "$good/services" "$shared/locked/" &&
		chmod 600 "$shared/locked/services" && chmod 755 "$shared/locked"
	install -m 0755 "$bin" "$shared/portreg"
	msg=$(PORTREG_PROC=$shared/locked setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$shared/portreg" services 22 2>&1); st=$?
	expect_eq "unreadable file: exit 3" 3 "$st"
	expect_eq "unreadable file: names file and reason" \
		"portreg: $shared/locked/services: Permission denied" "$msg"
	rm -rf "$shared"
fi

# add/del only build the command here; the VM test sends them to the kernel.
mkdir -p "$out/writable" && : >"$out/writable/services"
PORTREG_PROC=$out/writable "$bin" add svc-x 18080/tcp alias-x -d "a description"
expect_eq "add writes one command, options anywhere" \
	"add svc-x 18080/tcp alias-x # a description" "$(cat "$out/writable/services")"
PORTREG_PROC=$out/writable "$bin" del svc-x 18080/tcp
expect_eq "del writes one command" "del svc-x 18080/tcp" "$(cat "$out/writable/services")"
# /proc/portreg/services refuses a write that ends mid-line (EINVAL, and
# nothing changes): every write of add, del and sync must end with its
# newline.  A FIFO stands in for the file (sync reads the table from it
# first), and a reader logs what each read(2) of it brought.  A write of
# one line is atomic on a pipe, so a read brings one or more whole writes
# (the tool may open the FIFO again before the reader has seen the end of
# the last opening): each read must end with a newline, and the lines
# must be those sent.
fifo=$out/fifo && mkdir -p "$fifo"
serve_services() { # LINES [TABLE]: logs each read to $fifo/writes, one JSON string a line
	timeout 20 python3 - "$fifo" "$@" <<'PY'
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
fifo = os.path.join(d, "services")
if len(sys.argv) > 3:
    with open(fifo, "w") as f:
        f.write(open(sys.argv[3]).read())
lines = 0
with open(os.path.join(d, "writes"), "w") as log:
    while lines < n:
        fd = os.open(fifo, os.O_RDONLY)
        while True:
            b = os.read(fd, 65536)
            if not b:
                break
            lines += b.count(b"\n")
            log.write(json.dumps(b.decode("latin-1")) + "\n")
            log.flush()
        os.close(fd)
PY
}
whole_lines() { # prints the lines sent, then "ok" if every read ended in a newline
	python3 - "$fifo/writes" <<'PY'
import json, sys
w = [json.loads(l) for l in open(sys.argv[1])]
print(" ".join(json.dumps(l + "\n") for l in "".join(w).splitlines()))
print("ok" if w and all(s.endswith("\n") for s in w) else w)
PY
}
rm -f "$fifo/services" && mkfifo "$fifo/services"
serve_services 1 & server=$!
PORTREG_PROC=$fifo timeout 10 "$bin" add svc-x 18080/tcp alias-x -d "a description"; wait "$server"
expect_eq "add: one whole line ending in its newline" \
	'"add svc-x 18080/tcp alias-x # a description\n"
ok' "$(whole_lines)"
serve_services 1 & server=$!
PORTREG_PROC=$fifo timeout 10 "$bin" del svc-x 18080/tcp; wait "$server"
expect_eq "del: one whole line ending in its newline" '"del svc-x 18080/tcp\n"
ok' "$(whole_lines)"
printf 'myapp 18080/tcp api # mine\nssh 22/tcp\nbare 18081/udp\nlast 18082/tcp # no newline at the end of the file' >"$out/svc-write"
serve_services 3 "$good/services" & server=$!
msg=$(PORTREG_PROC=$fifo timeout 10 "$bin" sync "$out/svc-write" 2>&1); st=$?; wait "$server"
expect_eq "sync: each entry one whole line ending in its newline" \
	'0|"add myapp 18080/tcp api # mine\n" "add bare 18081/udp\n" "add last 18082/tcp # no newline at the end of the file\n"
ok' "$st|$(whole_lines)"
expect_eq "sync: counts what it wrote" \
	"$out/svc-write: 3 added, 1 skipped (1 already present, 0 with a protocol other than tcp, udp, sctp or dccp), 0 invalid" "$msg"

# Bind tracking: binds, claims, who, why and stats against fixture files
# written in the documented formats (docs/proc-binds.md, proc-claims.md):
# a conflict with each kind of holder, a lost marker, processes the reader
# cannot see, and every kind of claim.  A copy, so nothing is written into
# the checkout.
live=$out/live
mkdir -p "$live" && cp "$PORTREG_TOP"/tests/tool/fixtures/live/* "$good/services" "$good/protocols" "$live/"
# who and why look for the processes holding a socket in /proc/PID/fd:
# a /proc of their own, so that no socket of this host can match.
procfs=$out/procfs
mkdir -p "$procfs"/{114,118,200,300}/fd
printf 'httpd\n' >"$procfs/114/comm"; printf 'nc\n' >"$procfs/118/comm"
printf 'named\n' >"$procfs/200/comm"; printf 'bash\n' >"$procfs/300/comm"
ln -s 'socket:[10442]' "$procfs/114/fd/3"; ln -s 'socket:[10442]' "$procfs/114/fd/5"
ln -s 'socket:[10460]' "$procfs/114/fd/4"; ln -s 'socket:[10448]' "$procfs/118/fd/3"
ln -s 'socket:[10442]' "$procfs/118/fd/7"; ln -s 'socket:[99]' "$procfs/200/fd/5"
ln -s /dev/null "$procfs/300/fd/0"; ln -s 'socket:[99x]' "$procfs/300/fd/1"
lv() { PORTREG_PROC=$live PORTREG_PROCFS=$procfs NO_COLOR=1 TZ=UTC "$bin" "$@"; }
expect_eq "binds: header and every event" 31 "$(lv binds | wc -l)"
expect_eq "binds: bindsnoop's columns plus SERVICE and HOLDER" \
	"PID COMM RET PROTO OPTS IF PORT ADDR SERVICE CONTAINER HOLDER" "$(lv binds | head -n 1 | tr -s ' ')"
expect_eq "binds: a conflict names its holder" \
	"123 httpd EADDRINUSE tcp ...R. - 8080 127.0.0.1 http-alt - httpd[113]" \
	"$(lv binds | grep '^123 ' | tr -s ' ')"
expect_eq "binds: HOLDER names each kind of holder" \
	"httpd[113] timewait my app\\x[130] dig[140] accept accept connect kernel before-load unrecorded gone too-many unreachable bind gone httpd[113] timewait unreachable" \
	"$(lv binds -E | grep EADDRINUSE | sed 's/.*  //' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "binds: a lost marker says how many events were lost, and why" \
	"lost 3 events: the kernel could not deliver them to portreg's probes" "$(lv binds | sed -n 11p)"
expect_eq "binds: a process the reader cannot see shows -" \
	"- - 0 tcp ..... - 7000 0.0.0.0 afs3-fileserver - -" "$(lv binds -P 7000 | grep '^- ' | tr -s ' ')"
expect_eq "binds: escaped COMM is shown as the process named itself" "130 my app\\x 0" \
	"$(lv binds -p 130 | grep '^130 ' | tr -s ' ' | cut -d ' ' -f 1-4)"
expect_eq "binds -P: a lost marker stays, as the lost events may have matched" "113 123 lost 162" \
	"$(lv binds -P 8080 | tail -n +2 | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "binds -P with a list" "5" "$(lv binds -P 8080,23 | tail -n +2 | wc -l)"
expect_eq "binds -u" "124 lost" "$(lv binds -u 65534 | tail -n +2 | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "binds -E: only failures" "1 EACCES,18 EADDRINUSE,1 EADDRNOTAVAIL,1 EINVAL,1 EOPNOTSUPP" \
	"$(lv binds -E | tail -n +2 | grep -v '^lost' | awk '{print $3}' | sort | uniq -c | awk '{print $1, $2}' | paste -s -d ,)"
expect_eq "binds -t -U: TIME and UID columns" "00:04:28.168 65534 124 telnetd EACCES" \
	"$(lv binds -t -U -u 65534 | grep ' 124 ' | tr -s ' ' | cut -d ' ' -f 1-5)"
expect_eq "binds -t -U: a lost marker has its time and no uid" "00:04:29.300 - lost 3 events:" \
	"$(lv binds -t -U | grep lost | tr -s ' ' | cut -d ' ' -f 1-5)"
expect_eq "binds --count" "2 tcp 8080 EADDRINUSE http-alt" "$(lv binds --count 2>/dev/null | sed -n 2p | tr -s ' ')"
expect_eq "binds --count: says the lost events are not counted" \
	"portreg: 3 events were lost (the kernel could not deliver them to portreg's probes): the counts leave them out" \
	"$(lv binds --count 2>&1 >/dev/null)"
expect_status "binds --count --follow" 2 lv binds --count --follow
expect_status "binds -P 0" 2 lv binds -P 0
expect_status "binds -P junk" 2 lv binds -P 80,x
expect_status "binds -p junk" 2 lv binds -p 12x
expect_status "binds -u junk" 2 lv binds -u -1
expect_status "binds extra argument" 2 lv binds 80
expect_eq "binds --json: JSON Lines with the documented keys" "ok" "$(lv --json binds | python3 -c '
import json, sys
keys = {"seq", "time", "pid", "tid", "comm", "uid", "netns", "kind", "family", "proto",
        "addr", "port", "requested_port", "result", "error", "options", "ifname",
        "service", "holder", "since", "claim_kind", "expected_owner", "cgroup", "container",
        "remote"}
hkeys = {"kind", "pid", "comm", "uid", "cgroup", "container", "addr", "remote", "expires_ms",
         "inode", "rule"}
rows = [json.loads(l) for l in sys.stdin]
events = [r for r in rows if r["kind"] != "lost"]
ok = len(rows) == 30 and all(set(r) == keys for r in events)
ok = ok and [r for r in rows if r["kind"] == "lost"] == [{"seq": 9, "time": 1795651469300000777, "kind": "lost", "lost": 3,
    "lost_reason": "probe_missed", "uid": None}]
ok = ok and all(set(r["holder"]) == hkeys for r in events if r["holder"])
c = rows[4]
ok = ok and c["error"] == "EADDRINUSE" and c["result"] == -98 and c["port"] == 0
ok = ok and c["requested_port"] == 8080 and c["holder"] == {"kind": "bind", "pid": 113,
    "comm": "httpd", "uid": 0, "cgroup": None, "container": None, "addr": "::", "remote": None, "expires_ms": None,
    "inode": 10442, "rule": "listener"}
tw = rows[8]["holder"]
ok = ok and tw == {"kind": "timewait", "pid": None, "comm": None, "uid": None, "cgroup": None,
    "container": None, "addr": "127.0.0.1",
    "remote": "10.0.0.9:51334", "expires_ms": 41999, "inode": None, "rule": "exclusive"}
ok = ok and rows[18]["holder"] == {k: None for k in hkeys} | {"kind": "gone"}
ok = ok and rows[0]["error"] is None and rows[0]["holder"] is None and rows[0]["options"] == ["SO_REUSEADDR"]
ok = ok and rows[6]["comm"] == "my app\\x" and rows[6]["ifname"] == "eth0" and len(rows[6]["options"]) == 5
ok = ok and rows[6]["family"] == "ipv6" and rows[6]["time"] == 1795651469000000777
ok = ok and rows[10]["holder"]["comm"] == "my app\\x" and rows[10]["holder"]["rule"] == "reuseport-uid"
ok = ok and rows[21]["pid"] is None and rows[21]["tid"] is None and rows[21]["comm"] is None and rows[21]["uid"] == 0
ok = ok and [r["holder"]["kind"] for r in events if r["holder"]] == ["bind", "timewait", "listen",
    "autobind", "accept", "accept", "connect", "kernel", "before-load", "unrecorded", "gone",
    "too-many", "unreachable", "bind", "gone", "bind", "timewait", "unreachable"]
print("ok" if ok else rows)')"
expect_eq "binds --count --json" '{"proto":"tcp","port":8080,"result":-98,"error":"EADDRINUSE","service":"http-alt","count":2}' \
	"$(lv --json binds --count 2>/dev/null | head -n 1)"

# Lost markers of every reason (docs/proc-binds.md): missed probe hits
# (RET 0, no user), a user at its share of the initial namespace's log
# (RET -122) and binds on a socket another task held locked (RET -16),
# both naming their user, once as - (unmapped).  The initial namespace's
# view, SEQ across every namespace, one a little out of order and a gap.
tenants=$out/tenants
mkdir -p "$tenants" && cp "$PORTREG_TOP"/tests/tool/fixtures/tenants/* "$tenants/"
tn() { PORTREG_PROC=$tenants PORTREG_PROCFS=$procfs NO_COLOR=1 TZ=UTC "$bin" "$@"; }
rows() { tail -n +2 | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//'; }
expect_eq "binds: each kind of lost marker says what was lost, and why" \
	"lost 250 events: uid 65534 was at its share of the log
1 bind not followed: uid 65534 bound a socket another task held locked
3 binds not followed: uid 1000 bound sockets another task held locked
lost 2 events: the kernel could not deliver them to portreg's probes
lost 7 events: a user not mapped in this namespace was at its share of the log" \
	"$(tn binds | grep -E '^(lost |[0-9]+ binds? not followed)')"
expect_eq "binds -t -U: a marker that names its user has it in the UID column" \
	"00:04:40.200 65534 lost 250 events:|00:04:40.500 - lost 2 events:|00:04:40.700 - lost 7 events:" \
	"$(tn binds -t -U | grep ' lost ' | tr -s ' ' | cut -d ' ' -f 1-5 | paste -s -d '|')"
expect_eq "binds -u: that user's markers, and those that name nobody" "310 lost 1 lost lost 311" \
	"$(tn binds -u 65534 | rows)"
expect_eq "binds -u: not another user's markers" "300 300 3 lost lost" "$(tn binds -u 1000 | rows)"
expect_eq "binds -u: a user with no events still sees the markers that name nobody" "lost lost" \
	"$(tn binds -u 4242 | rows)"
expect_eq "binds -E: every marker stays, whatever its RET" "300 lost 1 3 lost 201 lost" "$(tn binds -E | rows)"
expect_eq "binds -p and -P: every marker stays" "lost 1 3 lost 201 lost|lost 1 3 lost lost 311" \
	"$(tn binds -P 8080 | rows)|$(tn binds -p 311 | rows)"
expect_eq "binds --count: says what each reason's markers leave out" \
	"portreg: 2 events were lost (the kernel could not deliver them to portreg's probes): the counts leave them out
portreg: 257 events were refused (users at their share of the log): the counts leave them out
portreg: 4 binds were not followed (made on a socket another task held locked): the counts leave them out" \
	"$(tn binds --count 2>&1 >/dev/null)"
expect_eq "binds --count -u: only the markers that may hold that user's events" \
	"portreg: 2 events were lost (the kernel could not deliver them to portreg's probes): the counts leave them out
portreg: 7 events were refused (users at their share of the log): the counts leave them out
portreg: 3 binds were not followed (made on a socket another task held locked): the counts leave them out" \
	"$(tn binds --count -u 1000 2>&1 >/dev/null)"
expect_eq "binds --count: the markers are no rows" "1 tcp 80 0 http|1 tcp 80 EACCES http|1 tcp 3000 0 hbci" \
	"$(tn binds --count 2>/dev/null | tail -n +2 | tr -s ' ' | grep -E ' (80|3000) ' | paste -s -d '|')"
expect_eq "binds --json: a marker's keys, its reason and its user" "ok" "$(tn --json binds | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
lost = [r for r in rows if r["kind"] == "lost"]
keys = {"seq", "time", "kind", "lost", "lost_reason", "uid"}
ok = len(rows) == 11 and all(set(r) == keys for r in lost)
ok = ok and [(r["seq"], r["lost"], r["lost_reason"], r["uid"]) for r in lost] == [
    (104, 250, "over_share", 65534), (105, 1, "socket_locked", 65534),
    (106, 3, "socket_locked", 1000), (107, 2, "probe_missed", None), (111, 7, "over_share", None)]
ok = ok and all("lost_reason" not in r and "result" in r for r in rows if r["kind"] != "lost")
print("ok" if ok else rows)')"
expect_eq "binds --json -u: the same markers as the table" "104 105 107 111" \
	"$(tn --json binds -u 65534 | python3 -c '
import json, sys
print(" ".join(str(r["seq"]) for r in map(json.loads, sys.stdin) if r["kind"] == "lost"))')"
expect_eq "why: a marker is never taken for a bind, whatever its RET" \
	"$(printf 'At 00:04:40.140 on 2026-11-26, node (pid 300, uid 1000) was refused 0.0.0.0 port 80/tcp (http) by bind() with EACCES (Permission denied): ports below net.ipv4.ip_unprivileged_port_start (1024) need CAP_NET_BIND_SERVICE.')" \
	"$(tn why 80)"
expect_eq "why --json: the newest failure, not a later marker" '"seq":110' "$(tn --json why 8080 | grep -o '"seq":[0-9]*')"
# SEQ: a gap means events were overwritten; across namespaces a lower SEQ
# may follow a higher one.  Neither is an error, and the order is the file's.
expect_eq "binds: a lower SEQ after a higher one, and a gap, are listed as they come" \
	"100 101 103 102 104 105 106 107 110 111 112" \
	"$(tn --json binds | python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["seq"]) for l in sys.stdin))')"
expect_status "binds --count: a lower SEQ is no error" 0 tn binds --count
# A reader in another network namespace: that namespace's own SEQ, from 0.
netns=$out/netns
mkdir -p "$netns" && cp "$PORTREG_TOP"/tests/tool/fixtures/netns/* "$netns/"
ns() { PORTREG_PROC=$netns PORTREG_PROCFS=$procfs NO_COLOR=1 TZ=UTC "$bin" "$@"; }
expect_eq "binds in a network namespace: its own SEQ, and its own markers" \
	"0 1 3 4|3 binds not followed: uid 1000 bound sockets another task held locked" \
	"$(ns --json binds | python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["seq"]) for l in sys.stdin))')|$(ns binds | grep 'not followed')"

expect_eq "claims: sorted by port, listeners first, one line per socket" \
	"53 2049 2323 5353 5353 5432 7000 8080 8080 8081 9000 9000 9001 40000 45000 53000" \
	"$(lv claims | tail -n +2 | awk '{print $3}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "claims: the columns" "PROTO ADDR PORT PID COMM UID SINCE KIND STATE SERVICE REMOTE CONTAINER" \
	"$(lv claims | head -n 1 | tr -s ' ')"
expect_eq "claims: a line" "udp 0.0.0.0 5353 201 chrome 105 2026-11-26 00:04:27 bind bound mdns - -" \
	"$(lv claims -p 201 | tail -n 1 | tr -s ' ')"
expect_eq "claims: an accepted connection, with its peer" \
	"tcp ::ffff:127.0.0.1 8080 113 httpd 0 2026-11-26 00:04:27 accept established http-alt [::ffff:127.0.0.1]:51334 -" \
	"$(lv claims -P 8080 | sed -n 3p | tr -s ' ')"
expect_eq "claims: TIME_WAIT: no claimer, no owner, no time" \
	"tcp 127.0.0.1 8081 - - - - timewait time-wait sunproxyadmin 10.0.0.9:51334 -" \
	"$(lv claims -P 8081 | tail -n 1 | tr -s ' ')"
expect_eq "claims: before-load, with the socket's owner" \
	"udp :: 53 - - 101 - before-load bound domain - -" "$(lv claims -P 53 | tail -n 1 | tr -s ' ')"
expect_eq "claims: KIND of each socket" \
	"before-load kernel bind bind bind unrecorded bind bind accept timewait bind accept accept listen connect autobind" \
	"$(lv claims | tail -n +2 | cut -c 105-115 | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "claims -u" "chrome" "$(lv claims -u 105 | tail -n 1 | awk '{print $5}')"
expect_eq "claims -u: TIME_WAIT has no user to match" "" "$(lv claims -u 0 | grep time-wait)"
expect_eq "claims --json: the documented keys" "ok" "$(lv --json claims | python3 -c '
import json, sys
keys = {"proto", "family", "addr", "port", "netns", "pid", "comm", "uid", "since", "service",
        "kind", "state", "remote", "inode", "cookie", "options", "ifname", "expected_owner",
        "cgroup", "container"}
rows = [json.loads(l) for l in sys.stdin]
ok = len(rows) == 16 and all(set(r) == keys for r in rows)
ok = ok and rows[3]["service"] == "mdns" and rows[3]["since"] == 1795651467000000000
ok = ok and rows[0]["kind"] == "before-load" and rows[0]["pid"] is None and rows[0]["comm"] is None
ok = ok and rows[0]["since"] is None and rows[0]["uid"] == 101 and rows[0]["inode"] == 99 and rows[0]["cookie"] == 12
tw = rows[9]
ok = ok and tw["state"] == "time-wait" and tw["uid"] is None and tw["inode"] is None and tw["remote"] == "10.0.0.9:51334"
ok = ok and rows[8]["remote"] == "[::ffff:127.0.0.1]:51334" and rows[7]["remote"] is None and rows[7]["state"] == "listen"
print("ok" if ok else rows)')"

expect_eq "who: a listener and a connection it accepted, each held now and claimed" \
	"8080/tcp (http-alt) on [::] (listen): held by httpd[114] nc[118]; claimed by httpd (pid 113, uid 0) at 2026-11-26 00:04:27 with bind
8080/tcp (http-alt) on [::ffff:127.0.0.1] (established with [::ffff:127.0.0.1]:51334): held by httpd[114]; accepted on a listener that httpd (pid 113, uid 0) claimed" \
	"$(lv who 8080/tcp)"
expect_eq "who: an accepted connection whose listener's claimer is unknown" \
	"9001/tcp (etlservicemgr) on 10.0.0.1 (established with 192.0.2.7:40002): held by no process (descriptor closed or not visible); accepted; claimer unknown (owner uid 0): its listener is gone, was not recorded, or is not visible here" \
	"$(lv who 9001)"
expect_eq "who: TIME_WAIT has neither holder nor claimer" \
	"8081/tcp (sunproxyadmin) on 127.0.0.1 (time-wait with 10.0.0.9:51334): held by no process (TIME_WAIT has no file); no claimer: a closed connection waiting out TIME_WAIT belongs to no process" \
	"$(lv who 8081)"
expect_eq "who: before-load, with the process holding it now" \
	"53/udp (domain) on [::] (bound): held by named[200]; claimer unknown (owner uid 101): bound before portreg was loaded" \
	"$(lv who 53/udp)"
expect_eq "who: a port connect() chose" \
	"45000/tcp (asmp) on 10.0.0.2 (established with 93.184.216.34:443): held by no process (descriptor closed or not visible); claimer unknown (owner uid 1000): connect() chose the port, and portreg records a connect() only when it fails" \
	"$(lv who 45000)"
expect_eq "who: a kernel socket" \
	"2049/udp (nfs) on 0.0.0.0 (bound): held by no process (descriptor closed or not visible); claimer unknown (owner uid 0): a socket of the kernel's own" \
	"$(lv who 2049)"
expect_eq "who: a socket portreg has no record of" \
	"5432/tcp (postgresql) on 0.0.0.0 (listen): held by no process (descriptor closed or not visible); claimer unknown (owner uid 109): portreg has no record of it (a probe missed it, the record pool was full, or it took a path portreg does not see)" \
	"$(lv who 5432)"
expect_eq "who: a claimer the reader cannot see" \
	"7000/tcp (afs3-fileserver) on 0.0.0.0 (listen): held by no process (descriptor closed or not visible); claimed at 2026-11-26 00:04:30 with bind by a process not visible here (uid 0)" \
	"$(lv who 7000)"
expect_eq "who: an autobound UDP socket, connected" \
	"53000/udp on 0.0.0.0 (established with 192.0.2.53:53): held by no process (descriptor closed or not visible); claimed by dig (pid 140, uid 0) at 2026-11-26 00:04:29 with autobind" \
	"$(lv who 53000)"
expect_eq "who: every member of a SO_REUSEPORT group" 2 "$(lv who 5353 | wc -l)"
expect_status "who: nobody holds it" 1 lv who 1
expect_eq "who: says nobody holds it" "portreg: no socket holds 8080/udp" "$(lv who 8080/udp 2>&1)"
expect_status "who: wrong transport" 1 lv who 8080/udp
expect_status "who: bad port" 2 lv who 0
expect_status "who: bad transport" 2 lv who 80/icmp
expect_status "who: no argument" 2 lv who
expect_eq "who --json: the claim and the processes holding it now" \
	'"inode":10442,"cookie":4100,"options":["SO_REUSEADDR"],"ifname":null,"expected_owner":null,"holders":[{"pid":114,"comm":"httpd"},{"pid":118,"comm":"nc"}]}
"inode":10460,"cookie":4110,"options":["SO_REUSEADDR"],"ifname":null,"expected_owner":null,"holders":[{"pid":114,"comm":"httpd"}]}' \
	"$(lv --json who 8080 | grep -o '"inode":.*')"
expect_eq "who --json: TIME_WAIT has no inode and no holders" '"inode":null,"cookie":4111,"options":[],"ifname":null,"expected_owner":null,"holders":[]}' \
	"$(lv --json who 8081 | grep -o '"inode":.*')"
# A TIME_WAIT socket that stands for an orphaned FIN_WAIT2 shows STATE
# fin-wait-2, as ss does: still KIND timewait, sorted with TIME_WAIT,
# and who says what it is.
expect_eq "claims: a TIME_WAIT socket in fin-wait-2, sorted with TIME_WAIT after the connections" \
	"listen bind|established accept|established accept|fin-wait-2 timewait|time-wait timewait" \
	"$(tn claims -P 80 | tail -n +2 | awk '{print $(NF - 3), $(NF - 4)}' | paste -s -d '|')"
expect_eq "claims --json: its state and kind" \
	'"kind":"timewait","state":"fin-wait-2","remote":"192.0.2.9:40010","inode":null,"cookie":5002' \
	"$(tn --json claims -P 80 | grep -o '"kind":"timewait","state":"fin-wait-2".*"cookie":[0-9]*')"
expect_eq "who: an orphaned FIN_WAIT2, kept as a TIME_WAIT socket" \
	"80/tcp (http) on 10.0.0.1 (fin-wait-2 with 192.0.2.9:40010): held by no process (closed: the kernel keeps it as a TIME_WAIT socket, which has no file); no claimer: a closed connection waiting for its peer to close (FIN_WAIT2) belongs to no process
80/tcp (http) on 10.0.0.1 (time-wait with 192.0.2.9:40011): held by no process (TIME_WAIT has no file); no claimer: a closed connection waiting out TIME_WAIT belongs to no process" \
	"$(tn who 80 | tail -n 2)"
expect_eq "who: in a network namespace's own claims too" "3000/tcp (hbci) on 10.1.0.2 (fin-wait-2 with 10.1.0.9:50000)" \
	"$(ns who 3000 | tail -n 1 | sed "s/): .*/)/")"

# why: one sentence for each kind of holder, for the other errnos, and
# for a process the reader cannot see.
at() { printf 'At %s on 2026-11-26, %s was refused %s by bind() with %s' "$@"; }
inuse="EADDRINUSE (Address already in use)"
expect_eq "why: a claimed socket: the claimer, and the rule (listener)" \
	"$(at 00:04:28.133 "httpd (pid 123, uid 0)" "127.0.0.1 port 8080/tcp (http-alt)" "$inuse"): httpd (pid 113, uid 0) held it; SO_REUSEADDR does not share a port with a listener." \
	"$(mkdir -p "$out/why" && head -n 6 "$live/binds" >"$out/why/binds" && PORTREG_PROC=$out/why NO_COLOR=1 TZ=UTC "$bin" why 8080)"
expect_eq "why: the most recent failure wins" "At 00:04:30.800" "$(lv why 8080 | cut -c 1-15)"
expect_eq "why: a claimed socket by listen(), rule reuseport-uid" \
	"$(at 00:04:29.400 "ncat (pid 150, uid 1001)" "[2001:db8::1] port 40000/tcp (safetynetp)" "$inuse"): my app\\x (pid 130, uid 1000) held it; SO_REUSEPORT shares a port only among sockets of one user." \
	"$(lv why 40000)"
expect_eq "why: a claimed socket by autobind, rule exclusive" \
	"$(at 00:04:29.500 "named (pid 151, uid 0)" "0.0.0.0 port 53000/udp" "$inuse"): dig (pid 140, uid 0) held it; neither socket let them share the port." \
	"$(lv why 53000/udp)"
expect_eq "why: a claimer the reader cannot see" \
	"$(at 00:04:30.600 "afsd (pid 161, uid 0)" "0.0.0.0 port 7000/tcp (afs3-fileserver)" "$inuse"): a process not visible here (uid 0) held it; neither socket let them share the port." \
	"$(lv why 7000)"
expect_eq "why: TIME_WAIT, with SO_REUSEADDR on the binder: names no process" \
	"$(at 00:04:29.200 "httpd (pid 141, uid 0)" "127.0.0.1 port 8081/tcp (sunproxyadmin)" "$inuse"): a closed connection to 10.0.0.9:51334 held it in TIME_WAIT (or in FIN_WAIT2, waiting for the peer to close), to expire about 42 s later; SO_REUSEADDR, which this socket had, lets a bind take a port in TIME_WAIT only if the connection's socket had it too." \
	"$(lv why 8081)"
expect_eq "why: TIME_WAIT, IPv6, under a second left, no SO_REUSEADDR" \
	"$(at 00:04:31.200 "httpd (pid 166, uid 0)" "[::1] port 8084/tcp (websnp)" "$inuse"): a closed connection to [::1]:40404 held it in TIME_WAIT (or in FIN_WAIT2, waiting for the peer to close), to expire in under a second; set SO_REUSEADDR to bind a port in TIME_WAIT (the connection's socket needs it too)." \
	"$(lv why 8084)"
expect_eq "why: an accepted connection, and its listener's claimer" \
	"$(at 00:04:29.600 "nc (pid 152, uid 0)" "0.0.0.0 port 9000/tcp (cslistener)" "$inuse"): a connection accepted from [::ffff:192.0.2.7]:40001 on that port held it, on a listener that nc (pid 118, uid 0) claimed; neither socket let them share the port." \
	"$(lv why 9000)"
expect_eq "why: an accepted connection whose listener is gone" \
	"$(at 00:04:29.700 "nc (pid 153, uid 0)" "10.0.0.1 port 9001/tcp (etlservicemgr)" "$inuse"): a connection accepted from 192.0.2.7:40002 on that port held it (its listener is gone, was not recorded, or is not visible here); neither socket let them share the port." \
	"$(lv why 9001)"
expect_eq "why: a port connect() chose" \
	"$(at 00:04:29.800 "curl (pid 154, uid 1000)" "0.0.0.0 port 45000/tcp (asmp)" "$inuse"): an outgoing connection to 93.184.216.34:443 got the port from connect() and held it (uid 1000, inode 20002); neither socket let them share the port." \
	"$(lv why 45000)"
expect_eq "why: a kernel socket" \
	"$(at 00:04:29.900 "rpc.nfsd (pid 155, uid 0)" "0.0.0.0 port 2049/udp (nfs)" "$inuse"): a kernel socket held it (uid 0, inode 20003); neither socket let them share the port." \
	"$(lv why 2049)"
expect_eq "why: a socket bound before load, and who has it open now" \
	"$(at 00:04:30.000 "unbound (pid 156, uid 0)" "[::] port 53/udp (domain)" "$inuse"): a socket bound before portreg was loaded held it (uid 101, inode 99, open now in named[200]); neither socket let them share the port." \
	"$(lv why 53)"
expect_eq "why: a socket portreg has no record of" \
	"$(at 00:04:30.100 "postgres (pid 157, uid 0)" "0.0.0.0 port 5432/tcp (postgresql)" "$inuse"): a socket portreg has no record of held it (uid 109, inode 20004); SO_REUSEADDR does not share a port with a listener." \
	"$(lv why 5432)"
expect_eq "why: the holder was gone" \
	"$(at 00:04:30.200 "httpd (pid 158, uid 0)" "127.0.0.1 port 8082/tcp (us-cli)" "$inuse"): the socket that held it was gone when portreg looked, microseconds later." \
	"$(lv why 8082)"
expect_eq "why: too many sockets to tell" \
	"$(at 00:04:30.300 "Xorg (pid 159, uid 0)" "0.0.0.0 port 6000/tcp (x11)" "$inuse"): more sockets held the port than portreg examines, so it cannot tell which one stood in the way." \
	"$(lv why 6000)"
expect_eq "why: SCTP's holders cannot be looked up" \
	"$(at 00:04:30.400 "diameter (pid 160, uid 0)" "0.0.0.0 port 3868/sctp (diameter)" "$inuse"): portreg cannot look up who holds an SCTP port." \
	"$(lv why 3868)"
expect_eq "why: nor DCCP's" \
	"$(at 00:04:31.300 "rtpd (pid 167, uid 0)" "0.0.0.0 port 5004/dccp (avt-profile-1)" "$inuse"): portreg cannot look up who holds a DCCP port." \
	"$(lv why 5004/dccp)"
expect_eq "why: refused a process the reader cannot see" \
	"$(at 00:04:30.700 "a process not visible here (uid 0)" "127.0.0.1 port 8443/tcp (pcsync-https)" "$inuse"): the socket that held it was gone when portreg looked, microseconds later." \
	"$(lv why 8443)"
expect_eq "why: EACCES explained" \
	"$(at 00:04:28.168 "telnetd (pid 124, uid 65534)" "[::] port 23/tcp (telnet)" "EACCES (Permission denied)"): ports below net.ipv4.ip_unprivileged_port_start (1024) need CAP_NET_BIND_SERVICE." \
	"$(lv why 23/tcp)"
expect_eq "why: EADDRNOTAVAIL explained" \
	"$(at 00:04:30.900 "app (pid 163, uid 0)" "192.0.2.1 port 3000/tcp (hbci)" "EADDRNOTAVAIL (Cannot assign requested address)"): the address is not one of this host's (IP_FREEBIND or IP_TRANSPARENT would allow it)." \
	"$(lv why 3000)"
expect_eq "why: EINVAL explained" \
	"$(at 00:04:31.000 "app (pid 164, uid 0)" "0.0.0.0 port 4000/udp (terabase)" "EINVAL (Invalid argument)"): the socket was already bound, or the address was malformed." \
	"$(lv why 4000)"
expect_eq "why: another errno, in the C library's words" \
	"$(at 00:04:31.100 "app (pid 165, uid 0)" "0.0.0.0 port 4001/tcp (newoak)" "EOPNOTSUPP (Operation not supported)"): Operation not supported." \
	"$(lv why 4001)"
expect_status "why: no failure on the port" 1 lv why 2323
expect_eq "why --json" '"error":"EACCES"' "$(lv --json why 23 | grep -o '"error":"EACCES"')"
expect_eq "why --json: the holder" \
	'"holder":{"kind":"before-load","pid":null,"comm":null,"uid":101,"cgroup":null,"container":null,"addr":"::","remote":null,"expires_ms":null,"inode":99,"rule":"exclusive"}}' \
	"$(lv --json why 53 | grep -o '"holder":.*')"

expect_eq "stats: name and value" "binds_seen               30" "$(lv stats | grep "^binds_seen")"
expect_eq "stats: the records' lines" "records records_max records_share records_full records_quota records_chain records_released records_swept records_bytes preload lost" \
	"$(lv stats | awk '$1 ~ /^(records|preload$|lost$)/ {print $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "stats --json" "ok" "$(lv --json stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
ok = s["tracking"] == "active" and s["tracking_reason"] is None and s["binds_seen"] == 30
ok = ok and s["probes"]["__inet_bind"] == {"missed": 3} and len(s["probes"]) == 6
ok = ok and s["selfcheck"] == ["tcp4", "tcp6", "udp4", "udp6", "mptcp4", "mptcp6"]
ok = ok and s["records"] == 9 and s["records_share"] == 25 and s["preload"] == 12 and s["lost"] == 3
ok = ok and not any(k.startswith("claims") for k in s)
print("ok" if ok else s)')"
short=$out/short-selfcheck && mkdir -p "$short"
printf 'version 0.2.0\ntracking active\nselfcheck tcp4 udp4\nbinds_seen 0\n' >"$short/stats"
expect_eq "stats --json: a shorter selfcheck list" '"selfcheck":["tcp4","udp4"]' \
	"$(PORTREG_PROC=$short "$bin" --json stats | grep -o '"selfcheck":[^]]*]')"
printf 'version 0.2.0\ntracking active\nselfcheck\nbinds_seen 0\n' >"$short/stats"
expect_eq "stats --json: an empty selfcheck list" '"selfcheck":[]' \
	"$(PORTREG_PROC=$short "$bin" --json stats | grep -o '"selfcheck":[^]]*]')"

# export --prometheus: the records' counters and the sockets per port.
lv export --prometheus >"$out/metrics.prom" 2>"$out/export.err"
expect_eq "export: exit 0, nothing on stderr" "0 " "$? $(cat "$out/export.err")"
expect_eq "export: the records' metrics replace the claims' ones" \
	"portreg_records 9
portreg_records_max 8192
portreg_records_share 25
portreg_records_full_total 0
portreg_records_quota_total 1
portreg_records_chain_total 0
portreg_records_released_total 4
portreg_records_swept_total 2
portreg_preload_sockets 12
portreg_events_lost_total 3" \
	"$(grep -E '^portreg_(records|preload|events_lost|claims)' "$out/metrics.prom")"
expect_eq "export: every socket of a port counts, listener and connection" \
	'portreg_port_sockets{proto="tcp",family="ipv6",port="8080",service="http-alt"} 2
portreg_port_sockets{proto="tcp",family="ipv4",port="8081",service="sunproxyadmin"} 1' \
	"$(grep -E '^portreg_port_sockets.*port="808[01]"' "$out/metrics.prom")"
expect_eq "export: a series per port, and only bounded labels" "13 family,port,probe,proto,service,version" \
	"$(grep -c '^portreg_port_sockets' "$out/metrics.prom") $(grep -o '[{,][a-z_]*=' "$out/metrics.prom" | tr -d '{,=' | sort -u | paste -s -d ,)"
expect_eq "export: one missed-probe series per probe" 6 "$(grep -c '^portreg_probe_missed_total{' "$out/metrics.prom")"

# stats and export with the tenants' lines: the initial namespace's shape
# (new lines anywhere, and names this tool does not know), and the shape a
# reader in another network namespace gets: its own log's counters only,
# no selfcheck, records, preload, lost or probe lines.
expect_eq "stats: the tenants' lines, read by name wherever they are" \
	"binds_unfollowed 4|netns_logs 3|ring_refused 257|netns_ring_size 256|netns_unlogged 1" \
	"$(tn stats | awk '$1 ~ /^(binds_unfollowed|ring_refused|netns_)/ {print $1, $2}' | paste -s -d '|')"
expect_eq "stats: a line this tool does not know is shown as it is" "future_words not a number" \
	"$(tn stats | grep '^future_words' | tr -s ' ')"
expect_eq "stats --json: the tenants' counters as numbers, unknown names kept" "ok" "$(tn --json stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
ok = s["binds_unfollowed"] == 4 and s["ring_refused"] == 257 and s["netns_logs"] == 3
ok = ok and s["netns_ring_size"] == 256 and s["netns_unlogged"] == 1 and s["ring_size"] == 4096
ok = ok and s["future_gauge"] == 7 and s["future_words"] == "not a number" and len(s["probes"]) == 6
print("ok" if ok else s)')"
msg=$(ns stats 2>"$out/ns-stats.err"); st=$?
expect_eq "stats in another network namespace: exit 0, nothing on stderr" "0 " "$st $(cat "$out/ns-stats.err")"
expect_eq "stats in another network namespace: its lines, as they are" \
	"version tracking binds_seen binds_failed conflicts conflicts_named eacces binds_unfollowed autobind_failures ring_size ring_head ring_drops ring_bytes" \
	"$(printf '%s\n' "$msg" | awk '{print $1}' | paste -s -d ' ')"
expect_eq "stats --json in another network namespace: those keys, no probes" "ok" "$(ns --json stats 2>&1 | python3 -c '
import json, sys
s = json.load(sys.stdin)
keys = {"version", "tracking", "tracking_reason", "binds_seen", "binds_failed", "conflicts",
        "conflicts_named", "eacces", "binds_unfollowed", "autobind_failures", "ring_size",
        "ring_head", "ring_drops", "ring_bytes", "probes"}
ok = set(s) == keys and s["probes"] == {} and s["tracking"] == "active" and s["ring_size"] == 256
ok = ok and s["autobind_failures"] == 2
print("ok" if ok else s)')"
tn export --prometheus >"$out/tenants.prom" 2>"$out/tenants-export.err"
expect_eq "export: exit 0, nothing on stderr, with the tenants' lines" "0 " "$? $(cat "$out/tenants-export.err")"
expect_eq "export: the tenants' counters and gauges" \
	"portreg_binds_unfollowed_total 4
portreg_netns_logs 3
portreg_ring_refused_total 257
portreg_netns_ring_size_events 256
portreg_netns_unlogged_total 1" \
	"$(grep -E '^portreg_(binds_unfollowed|ring_refused|netns_)' "$out/tenants.prom")"
expect_eq "export: each with its HELP and TYPE" \
	"portreg_binds_unfollowed_total counter|portreg_netns_logs gauge|portreg_ring_refused_total counter|portreg_netns_ring_size_events gauge|portreg_netns_unlogged_total counter" \
	"$(grep -E '^# TYPE portreg_(binds_unfollowed|ring_refused|netns_)' "$out/tenants.prom" | cut -d ' ' -f 3- | paste -s -d '|')"
expect_eq "export: a stats line this tool does not know is no metric" "" "$(grep -i future "$out/tenants.prom")"
ns export --prometheus >"$out/netns.prom" 2>"$out/netns-export.err"
expect_eq "export in another network namespace: exit 0, nothing on stderr" "0 " "$? $(cat "$out/netns-export.err")"
expect_eq "export in another network namespace: a series for each line it has" \
	"portreg_binds_total portreg_binds_failed_total portreg_bind_conflicts_total portreg_bind_conflicts_named_total portreg_bind_eacces_total portreg_binds_unfollowed_total portreg_autobind_failures_total portreg_ring_size_events portreg_ring_drops_total portreg_tracking_active portreg_info portreg_port_sockets" \
	"$(grep -v '^#' "$out/netns.prom" | sed 's/[ {].*//' | paste -s -d ' ')"
# The exposition format as promtool checks it (tests/package runs promtool
# itself): HELP and TYPE once before each family's samples, counters named
# _total, gauges not, numeric values.
for prom in metrics tenants netns; do
	expect_eq "export: $prom.prom keeps the exposition format" "ok" "$(python3 - "$out/$prom.prom" <<'PY'
import re, sys
help_, type_, seen, bad = {}, {}, set(), []
for line in open(sys.argv[1]).read().splitlines():
    m = re.match(r"# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$", line)
    if m:
        d = help_ if m[1] == "HELP" else type_
        if m[2] in d or m[2] in seen:
            bad.append("repeated or late: " + line)
        d[m[2]] = m[3]
        continue
    m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="(?:[^"\\]|\\.)*"(?:,[a-z_]+="(?:[^"\\]|\\.)*")*\})? (\S+)$', line)
    if not m:
        bad.append("not a sample: " + line)
        continue
    name = m[1]
    seen.add(name)
    float(m[3])
    if name not in help_ or type_.get(name) not in ("counter", "gauge"):
        bad.append("no HELP or TYPE: " + name)
    elif (type_[name] == "counter") != name.endswith("_total"):
        bad.append("counter and _total disagree: " + name)
print("ok" if not bad else bad)
PY
)"
done
if command -v promtool >/dev/null; then
	for prom in tenants netns; do
		msg=$(promtool check metrics <"$out/$prom.prom" 2>&1); st=$?
		expect_eq "export: promtool check metrics passes $prom.prom" "0 " "$st $msg"
	done
fi

# The same commands when the kernel has no kprobes (UML's files).
off=$out/off && mkdir -p "$off"
printf '%s\n' "SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM HKIND HADDR HREMOTE HEXPIRE HINODE HWHY LOST" \
	"# tracking unavailable: this kernel was built without CONFIG_KRETPROBES" >"$off/binds"
printf 'version 0.1.0\ntracking unavailable: this kernel was built without CONFIG_KRETPROBES\nbinds_seen 0\n' >"$off/stats"
msg=$(PORTREG_PROC=$off "$bin" binds 2>&1 >/dev/null)
expect_eq "binds: says tracking is unavailable, and why" \
	"portreg: bind tracking is unavailable: this kernel was built without CONFIG_KRETPROBES" "$msg"
expect_eq "stats --json: tracking_reason" '"tracking":"unavailable","tracking_reason":"this kernel was built without CONFIG_KRETPROBES"' \
	"$(PORTREG_PROC=$off "$bin" --json stats | grep -o '"tracking":[^,]*,"tracking_reason":"[^"]*"')"

# Malformed and truncated record files: an error naming file and line, no
# half-printed table.
bad=$out/bad && mkdir -p "$bad"
for case in "truncated:$(sed -n 2p "$live/binds" | cut -c 1-60)" \
	    "bad-ret:$(sed -n 2p "$live/binds" | sed 's/ 0 \.\.\.R\. / 7 ...R. /')" \
	    "bad-opts:$(sed -n 2p "$live/binds" | sed 's/\.\.\.R\./RRRRR/')" \
	    "bad-escape:$(sed -n 2p "$live/binds" | sed 's/ httpd / ht\\9pd /')" \
	    "bad-addr:$(sed -n 2p "$live/binds" | sed 's/ :: / 1.2.3.x /')" \
	    "old-format:$(sed -n 2p "$live/binds" | cut -d ' ' -f 1-20)" \
	    "holder-without-conflict:$(sed -n 2p "$live/binds" | sed 's/- - - - - - - - - 0$/113 0 httpd bind :: - - 10442 listener 0/')" \
	    "lost-nothing:$(sed -n 11p "$live/binds" | sed 's/ 3$/ 0/')"; do
	name=${case%%:*}
	{ head -n 1 "$live/binds"; sed -n 3p "$live/binds"; printf '%s\n' "${case#*:}"; } >"$bad/binds"
	msg=$(PORTREG_PROC=$bad "$bin" binds 2>&1); st=$?
	expect_eq "binds, $name line: exit 3" 3 "$st"
	expect_eq "binds, $name line: names file and line, prints no row" "portreg: $bad/binds:3: malformed line:" \
		"$(printf '%s' "$msg" | cut -d ' ' -f 1-4)"
done
{ head -n 1 "$live/claims"; sed -n 2p "$live/claims" | cut -c 1-30; } >"$bad/claims"
expect_status "claims, truncated line" 3 env PORTREG_PROC="$bad" "$bin" claims
{ head -n 1 "$live/claims"; sed -n 2p "$live/claims" | cut -d ' ' -f 1-14; } >"$bad/claims"
expect_eq "claims, a line of the old format: names file, line and reason" \
	"portreg: $bad/claims:2: malformed line: too few fields" "$(PORTREG_PROC=$bad "$bin" claims 2>&1)"
{ head -n 1 "$live/claims"; sed -n 7p "$live/claims" | sed 's/ - - - - timewait / - 0 - - timewait /'; } >"$bad/claims"
expect_eq "claims, TIME_WAIT with an owner: names the reason" \
	"portreg: $bad/claims:2: malformed line: UID is not - exactly for TIME_WAIT" "$(PORTREG_PROC=$bad "$bin" claims 2>&1)"
: >"$bad/stats"
expect_eq "stats, empty file" "" "$(PORTREG_PROC=$bad "$bin" stats 2>&1)"
printf 'garbage\n' >"$bad/stats"
expect_status "stats, malformed" 3 env PORTREG_PROC="$bad" "$bin" stats
mkdir -p "$out/binds-empty" && : >"$out/binds-empty/binds"
expect_status "binds, empty file" 0 env PORTREG_PROC="$out/binds-empty" "$bin" binds

# sync -n against the fixture table: what it would add, skip and refuse.
printf 'myapp 18080/tcp api # mine\nssh 22/tcp\nrtmp 1/ddp\nbad 99999/tcp\n\n# c\nhttp-alt 8080/tcp webcache\n' >"$out/svc"
msg=$(lv sync -n "$out/svc" 2>"$out/sync.err"); st=$?
expect_eq "sync -n: what it would add" "would add myapp 18080/tcp api # mine" "$(printf '%s\n' "$msg" | head -n 1)"
expect_eq "sync -n: the counts" \
	"$out/svc: 1 to add, 3 skipped (2 already present, 1 with a protocol other than tcp, udp, sctp or dccp), 1 invalid" \
	"$(printf '%s\n' "$msg" | tail -n 1)"
expect_eq "sync -n: names the invalid line" \
	"portreg: $out/svc:4: not added: port is not a number from 1 to 65535: 'bad 99999/tcp'" "$(cat "$out/sync.err")"
expect_eq "sync: exit 4 when a line is invalid" 4 "$st"
expect_eq "sync --json -n" '{"file":"'"$out/svc"'","dry_run":true,"added":1,"skipped":3,"already_present":2,"unsupported_protocol":1,"invalid":1}' \
	"$(lv --json sync -n "$out/svc" 2>/dev/null | tail -n 1)"
expect_status "sync: missing file" 3 lv sync "$out/none"
expect_status "sync: two files" 2 lv sync a b

# --follow reads binds_follow; a FIFO stands in for the blocking file.
fol=$out/follow && mkdir -p "$fol"
mkfifo "$fol/binds_follow"
( head -n 3 "$live/binds"; sleep 1; sed -n 6p "$live/binds"; sleep 30 ) >"$fol/binds_follow" &
writer=$!
PORTREG_PROC=$fol NO_COLOR=1 "$bin" binds -f -E >"$fol/out" 2>&1 &
reader=$!
sleep 2.5
kill -INT "$reader"; wait "$reader"; st=$?
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
expect_eq "binds -f: ^C ends it with exit 0" 0 "$st"
expect_eq "binds -f: prints new events as they come, filtered" "PID 123" \
	"$(awk '{print $1}' "$fol/out" | tr '\n' ' ' | sed 's/ $//')"
( tail -n +2 "$live/binds"; sleep 30 ) >"$fol/binds_follow" &
writer=$!
PORTREG_PROC=$fol NO_COLOR=1 timeout 10 "$bin" binds -f | head -n 2 >"$fol/out2"
st=${PIPESTATUS[0]}
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
expect_eq "binds -f: a closed pipe ends it quietly with exit 0" "0 2" "$st $(wc -l <"$fol/out2")"
( head -n 3 "$live/binds" ) >"$fol/binds_follow" &
expect_eq "binds -f: the end of the file (module unloaded) ends it" "0 3" \
	"$(PORTREG_PROC=$fol timeout 10 "$bin" binds -f >"$fol/out3" 2>&1; echo "$? $(wc -l <"$fol/out3")")"
wait
# Markers and SEQ as a follower meets them: the same filter as the
# listing, and a lower SEQ after a higher one is just the next line.
cat "$tenants/binds" >"$fol/binds_follow" &
expect_eq "binds -f -u: that user's markers and those naming nobody; a lower SEQ is no error" \
	"PID 300 300 3 lost lost" \
	"$(PORTREG_PROC=$fol NO_COLOR=1 timeout 10 "$bin" binds -f -u 1000 2>&1 | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
wait
{ head -n 1 "$tenants/binds"; sed -n 6p "$tenants/binds" | sed 's/ 250$/ 1/'; } >"$fol/binds_follow" &
expect_eq "binds -f: one event refused, in the singular" \
	"PID|lost 1 event: uid 65534 was at its share of the log" \
	"$(PORTREG_PROC=$fol NO_COLOR=1 timeout 10 "$bin" binds -f 2>&1 | sed 's/ .*COMM.*//' | paste -s -d '|')"
wait

# A process chooses its own name: control bytes must not reach a terminal
# raw, and JSON must carry them escaped.
hostile=$out/hostile && mkdir -p "$hostile"
{ head -n 1 "$live/binds"
  echo '0 1 4026531840 9 9 0 evil\012fake\033[31m bind ipv4 tcp 0.0.0.0 80 80 0 ..... - http - - - - - - - - - 0'; } >"$hostile/binds"
expect_eq "binds: a name with a newline and an escape prints as one safe line" \
	"9 evil?fake?[31m 0" "$(PORTREG_PROC=$hostile NO_COLOR=1 "$bin" binds | tail -n +2 | tr -s ' ' | cut -d ' ' -f 1-3)"
expect_eq "binds --json: the same name, JSON-escaped" '"comm":"evil\nfake\u001b[31m"' \
	"$(PORTREG_PROC=$hostile "$bin" --json binds | grep -o '"comm":"[^"]*"')"

# JSON Lines stay valid UTF-8 whatever bytes a name holds, and no C1
# control (as UTF-8 or a raw byte) reaches a terminal.
{ head -n 1 "$live/binds"
  echo '0 1 4026531840 9 9 0 caf\303\251\377 bind ipv4 tcp 0.0.0.0 80 80 0 ..... - http - - - - - - - - - 0'
  echo '1 1 4026531840 10 10 0 x\302\2332J\233 bind ipv4 tcp 0.0.0.0 81 81 0 ..... - - - - - - - - - - - 0'; } >"$hostile/binds"
expect_eq "binds --json: valid UTF-8 kept, other bytes as code points" "ok" \
	"$(PORTREG_PROC=$hostile "$bin" --json binds | python3 -c '
import json, sys
rows = [json.loads(l.encode("latin-1").decode("utf-8")) for l in sys.stdin.buffer.read().decode("latin-1").splitlines()]
print("ok" if rows[0]["comm"] == "caf\u00e9\u00ff" else rows)')"
expect_eq "binds: C1 controls in a name print as '?'" "x??2J?" \
	"$(PORTREG_PROC=$hostile NO_COLOR=1 "$bin" binds -p 10 | tail -n 1 | awk '{print $2}')"

# Nothing is printed from a file found malformed halfway, and a failed
# write to standard output is an error.
expect_eq "services: a malformed line late in the file prints nothing" "" \
	"$(PORTREG_PROC=$out/truncated "$bin" services 2>/dev/null)"
expect_eq "stats --json: a malformed line prints nothing" "" "$(PORTREG_PROC=$bad "$bin" --json stats 2>/dev/null)"
if [ -w /dev/full ]; then
	expect_status "claims > /dev/full: exit 3" 3 sh -c "PORTREG_PROC=$live $bin claims >/dev/full"
	expect_status "--json binds > /dev/full: exit 3" 3 sh -c "PORTREG_PROC=$live $bin --json binds >/dev/full"
fi
mkdir -p "$out/notfile.prom"
expect_status "export -o onto a directory is refused" 3 lv export --prometheus -o "$out/notfile.prom"
ln -sf "$out/svc" "$out/link.prom"
expect_status "export -o onto a symlink is refused" 3 lv export --prometheus -o "$out/link.prom"
expect_eq "export -o left the symlink alone" "$out/svc" "$(readlink "$out/link.prom")"
printf 'dup-a 18100/tcp\ndup-a 18100/tcp\n' >"$out/dup"
expect_eq "sync -n: a line repeated in the file is added once" \
	"$out/dup: 1 to add, 1 skipped (1 already present, 0 with a protocol other than tcp, udp, sctp or dccp), 0 invalid" \
	"$(lv sync -n "$out/dup" | tail -n 1)"
printf 'zero 0/tcp\n' >"$out/zero"
expect_eq "sync -n: port 0 is invalid, as the kernel would say" "4 0" \
	"$(lv sync -n "$out/zero" >/dev/null 2>&1; echo "$? $(lv sync -n "$out/zero" 2>/dev/null | grep -c '^would')")"

# Options anywhere, as GNU tools take them (issue 17): for every command,
# the shared options after the command and its arguments do what they do
# before it, and a command's own options may follow its arguments.  Each
# pair also compares exit statuses, and must have printed something.
same_run() {
	local name=$1 want=$2 got=$3
	if [ -z "$(printf '%s\n' "$want" | grep -v '^exit [0-9]*$')" ]; then
		fail "$name: printed nothing"
		return
	fi
	expect_eq "$name" "$want" "$got"
}
run() { "$@" 2>&1; echo "exit $?"; }
same_run "options anywhere: services NAME --json" \
	"$(run lv --json services 22/tcp)" "$(run lv services 22/tcp --json)"
same_run "options anywhere: protocols NUMBER -j" \
	"$(run lv -j protocols 88)" "$(run lv protocols 88 -j)"
same_run "options anywhere: binds, --json last and between its own" \
	"$(run lv --json binds -E -P 8080)" "$(run lv binds -E --json -P 8080)"
same_run "options anywhere: binds --count --json" \
	"$(run lv --json binds --count)" "$(run lv binds --count --json)"
same_run "options anywhere: claims -P PORT --json" \
	"$(run lv --json claims -P 8080)" "$(run lv claims -P 8080 --json)"
same_run "options anywhere: who PORT --json" \
	"$(run lv --json who 8080/tcp)" "$(run lv who 8080/tcp --json)"
same_run "options anywhere: why PORT --json" \
	"$(run lv --json why 8080)" "$(run lv why 8080 --json)"
same_run "options anywhere: stats --json" "$(run lv --json stats)" "$(run lv stats --json)"
same_run "options anywhere: sync FILE -n --json" \
	"$(run lv --json sync -n "$out/dup")" "$(run lv sync "$out/dup" -n --json)"
same_run "options anywhere: export -o FILE --prometheus" \
	"$(run lv export --prometheus -o "$out/a.prom"; cat "$out/a.prom")" \
	"$(run lv export -o "$out/b.prom" --prometheus; cat "$out/b.prom")"
# add and del write one command line to the services file: the fixture's
# is a plain file, so it holds what was written.
perm=$out/perm
mkdir -p "$perm"
written() { : >"$perm/services"; PORTREG_PROC=$perm "$bin" "$@" 2>&1; echo "exit $?"; cat "$perm/services"; }
same_run "options anywhere: add with -d before its arguments" \
	"$(written add my-svc 18000/tcp my-alias -d 'My service')" \
	"$(written add -d 'My service' my-svc 18000/tcp my-alias)"
expect_eq "options anywhere: add writes the same command either way" \
	"add my-svc 18000/tcp my-alias # My service" \
	"$(written add -d 'My service' my-svc 18000/tcp my-alias | tail -n 1)"
same_run "options anywhere: del NAME PORT --json is del" \
	"$(written del my-svc 18000/tcp)" "$(written del my-svc 18000/tcp --json)"
expect_eq "--help after a command: the usage, on stdout, exit 0" "Usage: exit 0" \
	"$(lv who 80 --help | head -c 6; echo " exit ${PIPESTATUS[0]}")"
expect_eq "--version after a command's arguments" "portreg 0.2.0" "$(lv services 22 --version)"
expect_eq "-- ends the options: what follows is an argument" \
	"$(lv services 22/tcp)" "$(lv services -- 22/tcp)"
expect_status "-- ends the options: --json after it is an argument" 2 lv services 22/tcp -- --json
expect_eq "an unknown option names the command" "portreg claims: invalid option -- 'x'" \
	"$(lv claims -P 80 -x 2>&1 >/dev/null | head -n 1)"
expect_status "an unknown option after the arguments" 2 lv who 80 --frobnicate
expect_status "a command's option before the command" 2 lv -E binds
expect_status "who with a second port after an option" 2 lv who 80 --json 81

# Bash completion (packaging/portreg.bash-completion), asked as bash asks
# it: COMP_WORDS and COMP_CWORD in, COMPREPLY out.
complete_words() {
	PORTREG_PROC=${COMPLETE_PROC:-$good} bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_portreg; printf "%s\n" "${COMPREPLY[@]}" | sort | paste -s -d " "' \
		- "$PORTREG_TOP/packaging/portreg.bash-completion" portreg "$@"
}
expect_eq "completion: every command" \
	"add binds check claims del export history owners protocols services stats sync who why" "$(complete_words "")"
expect_eq "completion: a command after the shared options" "services stats sync" \
	"$(complete_words --json s)"
expect_eq "completion: a command's own options" "--follow" "$(complete_words binds --fo)"
expect_eq "completion: shared and own options after the arguments" \
	"--cgroup --help --json --version -P -c -p -u" "$(complete_words claims -P 80 -)"
expect_eq "completion: service names and aliases, each once" "https https-wmap" \
	"$(complete_words services https)"
expect_eq "completion: an alias (www is one of http's)" "www" \
	"$(complete_words services ww | tr ' ' '\n' | grep -x www)"
expect_eq "completion: protocol names and aliases" "EIGRP" "$(complete_words protocols EIG)"
expect_eq "completion: one name only" "" "$(complete_words services ssh s)"
expect_eq "completion: no options after --" "" "$(complete_words binds -- -)"
expect_eq "completion: nothing for an option's value" "" "$(complete_words binds -p "")"
expect_eq "completion: check's --window, and nothing for its value" "--window|" \
	"$(complete_words check --wi)|$(complete_words check -w "")"
expect_eq "completion: history's -c, and nothing for its prefix" "--cgroup|" \
	"$(complete_words history --cg)|$(complete_words history -c "")"
mkdir -p "$out/compl" && : >"$out/compl/file.prom"
expect_eq "completion: files for export -o" "$out/compl/file.prom" \
	"$(complete_words export -o "$out/compl/f")"
expect_eq "completion: owners load, then a file" "load|$out/compl/file.prom" \
	"$(complete_words owners l)|$(complete_words owners load "$out/compl/f")"
expect_eq "completion: without the module, the system's names" \
	"$(awk '$1 == "ssh" { print "ssh"; exit }' /etc/services)" \
	"$(COMPLETE_PROC=$out/absent complete_words services ssh)"

# Releases and history (issue 17): the binds log's release records, by
# hand in the documented format (docs/proc-binds.md), with the claims
# file: a claim released, one in a container's namespace, one of another
# transport, one held now, one held since before load, and a connection
# accepted on the port, which is no claim of its own.
hist=$out/history
mkdir -p "$hist" && cp "$PORTREG_TOP"/tests/tool/fixtures/history/* "$good/services" "$hist/"
hs() { PORTREG_PROC=$hist PORTREG_PROCFS=$procfs NO_COLOR=1 TZ=UTC "$bin" "$@"; }
expect_eq "history: every claim of the port, oldest first, held ones last" \
"PROTO ADDR PORT PID COMM UID NETNS HOW SINCE UNTIL CONTAINER
tcp 127.0.0.2 8080 - - 0 4026531840 before-load - - -
tcp 0.0.0.0 8080 90 lighttpd 33 4026531840 bind 2026-11-25 20:53:20 2026-11-25 21:55:20 -
udp 0.0.0.0 8080 95 dig 0 4026531840 autobind 2026-11-25 23:40:00 2026-11-25 23:40:00 -
tcp :: 8080 130 my app 1000 4026532100 listen 2026-11-25 23:41:40 2026-11-25 23:41:52 -
tcp :: 8080 113 httpd 0 4026531840 bind 2026-11-26 00:04:27 - -" \
	"$(hs history 8080 | tr -s ' ')"
expect_eq "history PORT/PROTO: that transport only" "-,lighttpd,my app,httpd" \
	"$(hs history 8080/tcp --json | python3 -c '
import json, sys
print(",".join(json.loads(l)["comm"] or "-" for l in sys.stdin))')"
expect_eq "history --json: the documented keys, until null while held" "ok" \
	"$(hs history 8080 --json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
keys = {"port", "proto", "family", "addr", "pid", "comm", "uid", "netns", "kind", "since", "until",
        "cgroup", "container"}
ok = len(rows) == 5 and all(set(r) == keys for r in rows)
ok = ok and rows[0]["kind"] == "before-load" and rows[0]["since"] is None and rows[0]["pid"] is None
ok = ok and rows[1] == {"port": 8080, "proto": "tcp", "family": "ipv4", "addr": "0.0.0.0",
    "pid": 90, "comm": "lighttpd", "uid": 33, "cgroup": None, "container": None,
    "netns": 4026531840, "kind": "bind",
    "since": 1795640000000000000, "until": 1795643720500000000}
ok = ok and rows[3]["comm"] == "my app" and rows[3]["netns"] == 4026532100
ok = ok and rows[4]["until"] is None and rows[4]["since"] == 1795651467038000777
print("ok" if ok else rows)')"
expect_eq "history: a port nobody claimed: exit 1, and says so" \
	"1 portreg: no claim of 8081 in the log or held now" \
	"$(msg=$(hs history 8081 2>&1); echo "$? $msg")"
expect_status "history without a port" 2 hs history
expect_status "history with a bad port" 2 hs history 0
expect_status "history with two ports" 2 hs history 80 81
expect_eq "history: a release the reader cannot see the claimer of" "- - 0" \
	"$(hs history 9090 | tail -n 1 | tr -s ' ' | cut -d ' ' -f 4-6)"
expect_eq "binds: releases are not binds, so not listed by default; -R lists them" "0 4" \
	"$(echo "$(hs binds -P 8080,9090 | grep -c ' release ')" "$(hs binds -R -P 8080,9090 | grep -c ' release ')")"
expect_eq "binds -R: the release rows, with how long the port was held" \
	"90 lighttpd release tcp ...R. - 8080 0.0.0.0 http-alt - held 1h02m
95 dig release udp ..... - 8080 0.0.0.0 http-alt - held 850ms
130 my\\040app release tcp ..... - 8080 :: http-alt - held 12.4s" \
	"$(hs binds -R -P 8080 | grep release | tr -s ' ' | sed 's/my app/my\\040app/')"
expect_eq "binds -R: a clock set back since the claim" "held ?" \
	"$(hs binds --releases -P 9090 | grep 9090 | sed 's/.*  //')"
expect_eq "binds -R --json: since and claim_kind on a release, null elsewhere" "ok" \
	"$(hs binds -R --json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
rel = [r for r in rows if r.get("kind") == "release"]
other = [r for r in rows if r.get("kind") not in ("release", "lost")]
ok = len(rel) == 4 and len(other) == 5
ok = ok and rel[0]["since"] == 1795640000000000000 and rel[0]["claim_kind"] == "bind"
ok = ok and rel[1]["claim_kind"] == "autobind" and rel[0]["result"] == 0
ok = ok and all(r["since"] is None and r["claim_kind"] is None for r in other)
print("ok" if ok else (rel, other))')"
expect_eq "binds -E -R: failures only, so no release" "123 lost" \
	"$(hs binds -E -R | tail -n +2 | awk '{ print $1 }' | paste -s -d ' ')"
expect_status "binds --count --releases" 2 hs binds --count -R
expect_eq "binds --count: counts binds, never releases" "3 tcp 8080 0|1 udp 8080 0|1 tcp 8080 EADDRINUSE" \
	"$(hs binds --count -P 8080 2>/dev/null | tail -n +2 | awk '{ print $1, $2, $3, $4 }' | paste -s -d '|')"

# Containers (issue 17): each claimer's cgroup (CGROUP, HCGROUP), the
# CONTAINER named from it for docker, Kubernetes pods, systemd units, and
# -c filtering by cgroup prefix, in binds, claims, history, who and why.
cg=$out/containers
mkdir -p "$cg" && cp "$PORTREG_TOP"/tests/tool/fixtures/containers/* "$good/services" "$cg/"
ct() { PORTREG_PROC=$cg PORTREG_PROCFS=$procfs NO_COLOR=1 TZ=UTC "$bin" "$@"; }
expect_eq "binds: CONTAINER from each runtime's cgroup, - when none" \
	"0 docker:0123456789ab|1 k8s:6f1c5c7e/fedcba987654|3 ssh.service|4 -|5 k8s:6f1c5c7e/fedcba987654" \
	"$(ct binds | tail -n +2 | awk '{ print NR - 1 + (NR > 2), $10 }' | paste -s -d '|')"
expect_eq "binds -c: a prefix, component by component" "nginx sshd" \
	"$(ct binds -c /system.slice | tail -n +2 | awk '{print $2}' | paste -s -d ' ')"
expect_eq "binds -c: a prefix with a slash at its end" "nginx sshd" \
	"$(ct binds -c /system.slice/ | tail -n +2 | awk '{print $2}' | paste -s -d ' ')"
expect_eq "binds -c: a cgroup whose name only starts with the prefix is not under it" "" \
	"$(ct binds -c /system | tail -n +2)"
expect_eq "binds -c with -R: the release is the claimer's, in its cgroup" "nginx nginx sshd" \
	"$(ct binds -R --cgroup /system.slice | tail -n +2 | awk '{print $2}' | paste -s -d ' ')"
expect_eq "binds -c: an escaped cgroup matches as the kernel named it" "app" \
	"$(ct binds -c '/my app' | tail -n +2 | awk '{print $2}')"
expect_eq "binds -c: not a path" "2 portreg: -c: system.slice: not a cgroup path (it starts with /)" \
	"$(msg=$(ct binds -c system.slice 2>&1); echo "$? $msg")"
expect_status "claims -c: not a path" 2 ct claims -c x
expect_status "history -c: not a path" 2 ct history 8080 -c x
expect_eq "binds --json: cgroup and container, the holder's too" "ok" "$(ct --json binds | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
d = "/system.slice/docker-" + "0123456789abcdef" * 4 + ".scope"
ok = rows[0]["cgroup"] == d and rows[0]["container"] == "docker:0123456789ab"
ok = ok and rows[1]["container"] == "k8s:6f1c5c7e/fedcba987654"
ok = ok and rows[1]["holder"]["cgroup"] == d and rows[1]["holder"]["container"] == "docker:0123456789ab"
ok = ok and rows[2]["cgroup"] == "/system.slice/ssh.service" and rows[2]["container"] == "ssh.service"
ok = ok and rows[3]["cgroup"] == "/my app/x" and rows[3]["container"] is None
print("ok" if ok else rows)')"
expect_eq "claims: CONTAINER, the last column" \
	"22 ssh.service|53 -|8081 k8s:6f1c5c7e/fedcba987654|9000 -" \
	"$(ct claims | tail -n +2 | awk '{ print $3, $NF }' | paste -s -d '|')"
expect_eq "claims -c" "8081" "$(ct claims -c /kubepods.slice | tail -n +2 | awk '{print $3}')"
expect_eq "claims -c: a claim with no cgroup is under no prefix" "22 8081 9000" \
	"$(ct claims -c / | tail -n +2 | awk '{print $3}' | paste -s -d ' ')"
expect_eq "claims --json: cgroup, null when unknown" '"/my app/x" null' \
	"$(ct --json claims | python3 -c '
import json, sys
rows = {json.loads(l)["port"]: json.loads(l) for l in sys.stdin.read().splitlines()}
print(json.dumps(rows[9000]["cgroup"]), json.dumps(rows[53]["cgroup"]))')"
same_run "options anywhere: history -c PREFIX PORT --json" \
	"$(run ct --json history -c /system.slice 8080)" "$(run ct history 8080 --json --cgroup /system.slice)"
same_run "options anywhere: binds PORT filters and -c in any order" \
	"$(run ct binds -c /system.slice -R -P 8080)" "$(run ct binds -P 8080 -R --cgroup=/system.slice)"
expect_eq "history: who held the port, in which container" \
	"nginx docker:0123456789ab" "$(ct history 8080 | tail -n +2 | awk '{print $5, $NF}')"
expect_eq "history -c: only claims under the prefix" "" \
	"$(ct history 8080 -c /kubepods.slice 2>/dev/null)"
expect_eq "history --json: cgroup and container" "docker:0123456789ab" \
	"$(ct history --json 8080 | python3 -c '
import json, sys
print(json.loads(sys.stdin.readline())["container"])')"
expect_eq "who: names the claimer's container" \
	"claimed by web (pid 300, uid 1000, in k8s:6f1c5c7e/fedcba987654)" \
	"$(ct who 8081 | grep -o 'claimed by [^)]*)')"
expect_eq "why: names the refused process's container and the holder's" \
	"web (pid 300, uid 1000, in k8s:6f1c5c7e/fedcba987654)|nginx (pid 200, uid 0, in docker:0123456789ab)" \
	"$(ct why 8080 | grep -o '[a-z]* (pid [^)]*)' | paste -s -d '|')"

# Expected owners (issue 17): the kernel's set through a fixture
# (docs/proc-owners.md), and owners load, whose one write lands in the
# fixture's owners file, a plain file here.
own=$out/owners
mkdir -p "$own" && cp "$PORTREG_TOP"/tests/tool/fixtures/owners/* "$good/services" "$own/"
ow() { PORTREG_PROC=$own PORTREG_PROCFS=$procfs NO_COLOR=1 TZ=UTC "$bin" "$@"; }
expect_eq "owners: the kernel's set" "53/udp     named
5432/tcp   postgres
8080/tcp   nginx" "$(ow owners)"
expect_eq "owners --json" '{"port":53,"proto":"udp","comm":"named"}' "$(ow owners --json | head -n 1)"
printf '%s\n' "# what should hold each port" "5432/tcp postgres" "" \
	"8080/tcp httpd   # the web server" "22/tcp sshd" "8081/tcp my\\040app" >"$out/owners.conf"
expect_eq "owners load: one write turns the kernel's set into the file's" \
	"$out/owners.conf: 3 expected, 1 forgotten, 1 unchanged
expect 22/tcp sshd
forget 53/udp
expect 8080/tcp httpd
expect 8081/tcp my\\040app" "$(ow owners load "$out/owners.conf"; cat "$own/owners")"
cp "$PORTREG_TOP/tests/tool/fixtures/owners/owners" "$own/owners"
printf '%s\n' "53/udp named" "8080/tcp nginx" "5432/tcp postgres" >"$out/owners.same"
expect_eq "owners load: a set already equal writes nothing" \
	"$out/owners.same: 0 expected, 0 forgotten, 3 unchanged|$(cat "$own/owners")" \
	"$(ow owners load "$out/owners.same")|$(cat "$own/owners")"
printf '%s\n' "22/tcp sshd" "80/tcp" >"$out/owners.bad"
expect_eq "owners load: a malformed line is named, exit 3, nothing written" \
	"3 portreg: $out/owners.bad:2: malformed line: not PORT/PROTO COMM|$(cat "$own/owners")" \
	"$(msg=$(ow owners load "$out/owners.bad" 2>&1); echo "$? $msg|$(cat "$own/owners")")"
printf '%s\n' "22/tcp sshd" "80/tcp nginx" "22/tcp dropbear" >"$out/owners.dup"
expect_eq "owners load: a port given twice is refused" \
	"3 portreg: $out/owners.dup:3: 22/tcp is expected on line 1 already" \
	"$(msg=$(ow owners load "$out/owners.dup" 2>&1); echo "$? $msg")"
expect_status "owners load: a missing file" 3 ow owners load "$out/no-such-owners"
expect_status "owners: an unknown subcommand" 2 ow owners set
expect_status "owners load: two files" 2 ow owners load a b
expect_eq "who: names the owner owners expects on the port" \
	"8080/tcp (http-alt) on [::] (listen): held by nobody visible; claimed by httpd (pid 113, uid 0) at 2026-11-26 00:04:27 with bind; owners expects nginx here" \
	"$(ow who 8080 | sed 's/held by [^;]*;/held by nobody visible;/')"
expect_eq "claims and binds --json: expected_owner" "None nginx nginx None" \
	"$(ow claims --json -P 8080,5432 | python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["expected_owner"]) for l in sys.stdin), end=" ")'
	ow binds --json | python3 -c '
import json, sys
print(" ".join(str(r["expected_owner"]) for r in reversed([json.loads(l) for l in sys.stdin])))')"
expect_eq "export: unexpected_claims as a counter" \
	"# TYPE portreg_unexpected_claims_total counter|portreg_unexpected_claims_total 1" \
	"$(ow export --prometheus | grep '^[^#]*portreg_unexpected_claims_total\|^# TYPE portreg_unexpected' | paste -s -d '|')"

# check (issue 17): the problems it finds, against the owners fixture and
# a /proc of its own for the sysctls and the reader's network namespace.
ck=$out/checkproc
mkdir -p "$ck/sys/net/ipv4" "$ck/self/ns"
ln -sf 'net:[4026531840]' "$ck/self/ns/net"
sysctls() { printf '%s\t%s\n' "$1" "$2" >"$ck/sys/net/ipv4/ip_local_port_range"
	    printf '%s\n' "$3" >"$ck/sys/net/ipv4/ip_local_reserved_ports"; }
cw() { PORTREG_PROC=${CHECK_PROC:-$own} PORTREG_PROCFS=$ck NO_COLOR=1 TZ=UTC "$bin" "$@"; }
cp "$PORTREG_TOP/tests/tool/fixtures/owners/owners" "$own/owners"
sysctls 1024 65535 5432
expect_eq "check: each problem on a line of its own, exit 1" \
"unexpected-owner 8080/tcp held by httpd[113] uid 0 since 2026-11-26 00:04:27, expected nginx
ephemeral-overlap 8080/tcp (expected: nginx) is inside net.ipv4.ip_local_port_range 1024-65535, which connect() and autobind hand out: sysctl -w net.ipv4.ip_local_reserved_ports=5432,8080
exit 1" "$(cw check; echo "exit $?")"
sysctls 1024 65535 ""
expect_eq "check: a held port IANA registered is one too, once for its port" \
	"5432/tcp (expected: postgres)|8080/tcp (expected: nginx)" \
	"$(cw check | sed -n 's/^ephemeral-overlap \([^ ]* ([^)]*)\).*/\1/p' | paste -s -d '|')"
printf '' >"$own/owners"
expect_eq "check: a registered port held for a service, with the fix" \
	"ephemeral-overlap 5432/tcp (held, registered as postgresql) is inside net.ipv4.ip_local_port_range 1024-65535, which connect() and autobind hand out: sysctl -w net.ipv4.ip_local_reserved_ports=5432" \
	"$(cw check | grep 5432)"
expect_eq "check --json: one object a problem, with its kind" "ok" "$(cw check --json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
kinds = [r["kind"] for r in rows]
ok = kinds == ["unexpected-owner", "ephemeral-overlap", "ephemeral-overlap"]
ok = ok and rows[0] == {"kind": "unexpected-owner", "port": 8080, "proto": "tcp", "addr": "::",
    "pid": 113, "comm": "httpd", "uid": 0, "cgroup": None, "container": None,
    "since": 1795651467038000777, "expected_owner": "nginx"}
ok = ok and rows[1]["range"] == [1024, 65535] and rows[1]["reserved"] == "" and rows[1]["reason"] == "held, registered as postgresql"
print("ok" if ok else rows)')"
# Pressure: 5 ephemeral ports, all 5 used on one address, 3 on another.
press=$out/pressure
mkdir -p "$press" && cp "$good/services" "$press/" && : >"$press/owners"
binds_header="SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM HKIND HADDR HREMOTE HEXPIRE HINODE HWHY LOST SINCE CKIND EXPECTED CGROUP HCGROUP REMOTE"
echo "$binds_header" >"$press/binds"
{ echo "PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE STATE REMOTE COOKIE EXPECTED"
  for p in 40000 40001 40002 40003 40004; do
	echo "tcp ipv4 10.0.0.2 $p 4026531840 - 1000 - - connect ..... - 2$p - established 93.184.216.34:443 $p -"; done
  for p in 40000 40001 40002; do
	echo "udp ipv4 10.0.0.3 $p 4026531840 - 1000 - - connect ..... - 3$p - established 192.0.2.53:53 1$p -"; done
  # Another namespace's sockets are judged by its own sysctls, not these.
  for p in 40000 40001 40002 40003 40004; do
	echo "tcp ipv4 10.0.0.9 $p 4026532100 - 1000 - - connect ..... - 4$p - established 93.184.216.34:443 2$p -"; done
} >"$press/claims"
sysctls 40000 40004 ""
expect_eq "check: an address using more than 80% of the ephemeral range" \
	"ephemeral-pressure tcp 10.0.0.2: 5 of the 5 ports of net.ipv4.ip_local_port_range 40000-40004 (100%) are in use on this address: connect() and autobind will soon fail with EADDRNOTAVAIL" \
	"$(CHECK_PROC=$press cw check)"
sysctls 40000 40004 "40004"
expect_eq "check: reserved ports are not the kernel's to hand out, so not counted" \
	"4 of the 4 ports" "$(CHECK_PROC=$press cw check | grep -o '[0-9] of the [0-9] ports')"
sysctls 40000 40009 ""
expect_eq "check: nothing wrong, nothing printed, exit 0" "exit 0" "$(CHECK_PROC=$press cw check; echo "exit $?")"
printf 'x y\n' >"$ck/sys/net/ipv4/ip_local_port_range"
expect_eq "check: an unreadable sysctl is named, exit 3" \
	"3 portreg: $ck/sys/net/ipv4/ip_local_port_range: not two ports: 'x y'" \
	"$(msg=$(CHECK_PROC=$press cw check 2>&1); echo "$? $msg")"
expect_status "check takes no argument" 2 cw check 80
cp "$PORTREG_TOP/tests/tool/fixtures/owners/owners" "$own/owners"
{ cat "$press/claims"
  for p in 40000 40001 40002 40003; do
	echo "tcp ipv4 10.0.0.4 $p 4026531840 - - - - timewait ..... - - - time-wait 192.0.2.7:40000 5$p -"; done
  echo "tcp ipv4 10.0.0.4 40004 4026531840 - 0 - - connect ..... - 5 - established 192.0.2.7:40000 14 -"
} >"$press/claims.new" && mv "$press/claims.new" "$press/claims"
sysctls 40000 40004 ""
# 10.0.0.4 has all five, but four only in TIME_WAIT.
expect_eq "check: TIME_WAIT holds no port a connection to another peer cannot take" \
	"ephemeral-pressure tcp 10.0.0.2" "$(CHECK_PROC=$press cw check | cut -d : -f 1)"

# autobind-failures: ports the kernel could not choose, from the log, per
# network namespace, over the last hour by default.
af=$out/autobind
mkdir -p "$af" && cp "$good/services" "$af/" && : >"$af/owners"
echo "PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE STATE REMOTE COOKIE EXPECTED CGROUP" >"$af/claims"
sysctls 40000 40009 ""
now=$(date +%s%N)
old=$((now - 7200000000000)) recent=$((now - 600000000000)) later=$((now - 5000000000))
tail0=" - - - - - - - - - - - 0 - - -"
{ echo "$binds_header"
  echo "0 $old 4026531840 50 50 1000 curl connect ipv4 tcp 10.0.0.2 0 0 -99 .....$tail0 - - 192.0.2.7:443"
  echo "1 $recent 4026531840 51 51 1000 curl connect ipv4 tcp 10.0.0.2 0 0 -99 .....$tail0 - - 192.0.2.7:443"
  echo "2 $recent 4026531840 52 52 0 dig autobind ipv4 udp 0.0.0.0 0 0 -11 .....$tail0 - - -"
  echo "3 $recent 4026531840 53 53 0 srv bind ipv6 tcp :: 0 0 -98 .....$tail0 - - -"
  # Not the kernel's choice: a port asked for, an address not local.
  echo "4 $recent 4026531840 54 54 0 srv bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http - - - gone - - - - - 0 - - - - - -"
  echo "5 $recent 4026531840 55 55 0 srv bind ipv4 tcp 192.0.2.1 0 0 -99 .....$tail0 - - -"
  echo "6 $recent 4026532100 56 56 0 web listen ipv6 tcp :: 0 0 -98 .....$tail0 - - -"
  echo "7 $later 4026531840 57 58 1000 wget connect ipv6 tcp ::1 41000 0 -99 ...R.$tail0 /system.slice/docker-$(printf '0123456789abcdef%.0s' 1 2 3 4).scope - [::1]:8080"
  echo "8 $later 4026531840 59 59 0 nginx bind ipv4 tcp 0.0.0.0 8080 8080 0 ..... - http-alt - - - - - - - - - 0 - - - - - -"
} >"$af/binds"
expect_eq "check: autobind failures of the last hour, one line a namespace, exit 1" \
"autobind-failures netns 4026531840: 4 ports the kernel was to choose could not be had in the last 3600 s (connect 2, autobind 1, bind 1); the last at $(TZ=UTC date -d @$((later / 1000000000)) '+%Y-%m-%d %H:%M:%S'), by wget[57] uid 1000 in docker:0123456789ab: connect tcp EADDRNOTAVAIL to [::1]:8080
autobind-failures netns 4026532100: 1 port the kernel was to choose could not be had in the last 3600 s (listen 1); the last at $(TZ=UTC date -d @$((recent / 1000000000)) '+%Y-%m-%d %H:%M:%S'), by web[56] uid 0: listen tcp EADDRINUSE
exit 1" "$(CHECK_PROC=$af cw check; echo "exit $?")"
expect_eq "check --window 0: the whole log, the two-hour-old failure too" \
	"5 ports|1 port" \
	"$(CHECK_PROC=$af cw check --window 0 | grep -o '[0-9] ports\?' | paste -s -d '|')"
expect_eq "check -w 300: only what is newer than five minutes" \
	"netns 4026531840: 1 port the kernel was to choose could not be had in the last 300 s (connect 1)" \
	"$(CHECK_PROC=$af cw check -w 300 | cut -d ';' -f 1 | sed 's/^autobind-failures //')"
expect_eq "check -w 2: nothing that new, exit 0" "exit 0" "$(CHECK_PROC=$af cw check -w 2; echo "exit $?")"
expect_eq "check --json: autobind-failures with its counts and the last event" "ok" \
	"$(CHECK_PROC=$af cw check --json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
r = rows[0]
ok = [x["kind"] for x in rows] == ["autobind-failures"] * 2
ok = ok and (r["netns"], r["count"], r["window"], r["connect"], r["autobind"], r["listen"], r["bind"]) == (4026531840, 4, 3600, 2, 1, 0, 1)
ok = ok and r["first"] == '"$recent"' and r["last"]["seq"] == 7 and r["last"]["remote"] == "[::1]:8080"
ok = ok and r["last"]["container"] == "docker:0123456789ab" and r["last"]["error"] == "EADDRNOTAVAIL"
ok = ok and rows[1]["netns"] == 4026532100 and rows[1]["last"]["remote"] is None
print("ok" if ok else rows)')"
expect_eq "check --json --window 0: window null" "None" \
	"$(CHECK_PROC=$af cw check --json --window 0 | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["window"])')"
for w in x -1 1.5 "" 3153600001; do
	expect_eq "check --window '$w' is refused, exit 2, and named" \
		"2 portreg: --window $w: not a number of seconds up to 100 years" \
		"$(msg=$(CHECK_PROC=$af cw check --window "$w" 2>&1); echo "$? $msg")"
done
expect_status "check -w without its argument" 2 cw check -w
expect_eq "binds: a failed connect shows where it was going" \
	"curl EADDRNOTAVAIL to 192.0.2.7:443|curl EADDRNOTAVAIL to 192.0.2.7:443|wget EADDRNOTAVAIL to [::1]:8080" \
	"$(PORTREG_PROC=$af NO_COLOR=1 "$bin" binds | awk '$2 ~ /^(curl|wget)$/ && $3 == "EADDRNOTAVAIL" {print $2, $3, $(NF-1), $NF}' | paste -s -d '|')"
expect_eq "binds --json: remote on a connect, null elsewhere" "None|192.0.2.7:443" \
	"$(PORTREG_PROC=$af "$bin" --json binds | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(rows[2]["remote"], rows[1]["remote"], sep="|")')"
printf 'autobind_failures 6\n' >"$af/stats"
expect_eq "export: autobind_failures as a counter" \
	"# TYPE portreg_autobind_failures_total counter|portreg_autobind_failures_total 6" \
	"$(PORTREG_PROC=$af "$bin" export --prometheus | grep '^[^#]*portreg_autobind_failures_total\|^# TYPE portreg_autobind' | paste -s -d '|')"
