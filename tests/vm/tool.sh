# Sourced by the VM's init: the portreg tool's bind commands against the
# real module, with real daemons from busybox.
ip link set lo up
httpd -f -p 18080 &
hpid=$!
sleep 0.5
expect "tool: binds -P finds the bind" "$hpid httpd 0 tcp" \
	sh -c "portreg binds -P 18080 | tail -n 1 | tr -s ' ' | cut -d ' ' -f 1-4"
expect "tool: claims -P shows the holder" "tcp :: 18080 $hpid httpd" \
	sh -c "portreg claims -P 18080 | tail -n 1 | tr -s ' ' | cut -d ' ' -f 1-5"
check "tool: who names the process holding the socket now and the claimer" \
	sh -c "portreg who 18080/tcp | grep -q 'held by httpd\[$hpid\]; claimed by httpd (pid $hpid, uid 0)'"
check "tool: options after the arguments, against the real module" \
	sh -c "a=\$(portreg who 18080/tcp --json) && [ -n \"\$a\" ] &&
	       [ \"\$a\" = \"\$(portreg --json who 18080/tcp)\" ] &&
	       portreg claims -P 18080 --json | grep -q '\"port\":18080'"
httpd -f -p 127.0.0.1:18080 2>/dev/null
check "tool: why explains the conflict and names the holder" \
	sh -c "portreg why 18080 | grep -q 'was refused 127.0.0.1 port 18080/tcp by bind() with EADDRINUSE (Address already in use): httpd (pid $hpid, uid 0) held it; [^;]*\.\$'"
expect "tool: binds -E shows only the failure" "EADDRINUSE" \
	sh -c "portreg binds -E -P 18080 | tail -n 1 | tr -s ' ' | cut -d ' ' -f 3"
check "tool: --json binds is one object per line" \
	sh -c 'portreg --json binds | grep -vq "^{\"seq\":[0-9]*,.*}\$" && exit 1 || exit 0'
check "tool: stats" sh -c 'portreg stats | grep -q "^tracking  *active$"'
expect "tool: unprivileged claims is refused with the reason" \
	"3 portreg: /proc/portreg/claims: Operation not permitted: reading it needs CAP_NET_ADMIN (run as root), or membership of the group the module parameter read_gid names" \
	sh -c 'msg=$(su nobody -s /bin/sh -c "portreg claims" 2>&1); echo "$? $msg"'
kill "$hpid"
sleep 0.5
expect "tool: who after the holder exits" 1 sh -c 'portreg who 18080 2>/dev/null; echo $?'

# A daemon binds, then forks and its parent exits: the claimer and the
# process holding the socket now differ, and who says both.
httpd -p 18082
sleep 0.5
tpid=$(pidof httpd)
line=$(portreg who 18082)
claimer=$(echo "$line" | sed -n 's/.*claimed by httpd (pid \([0-9]*\),.*/\1/p')
echo "portreg-info: $line" >/dev/kmsg
check "tool: who tells the holder now from the claimer that forked away" \
	sh -c "echo '$line' | grep -q 'held by httpd\[$tpid\]' && [ -n '$claimer' ] && [ '$claimer' != '$tpid' ]"
kill "$tpid"

# --follow: new binds stream out as they happen; ^C ends it with 0.
portreg binds -f -P 18081 >/tmp/follow 2>&1 &
fpid=$!
sleep 1
httpd -p 18081
sleep 1
kill -INT "$fpid"
wait "$fpid"
fst=$?
check "tool: binds -f prints a bind made while it runs" grep -q " httpd .* 18081 " /tmp/follow
expect "tool: binds -f ends on ^C with exit 0" 0 echo "$fst"
killall httpd

# sync: adds what the table lacks, skips what it has, names what it refuses.
printf '%s\n' "vm-sync-a 18090/tcp vsa # first" "vm-sync-b 18091/udp" "ssh 22/tcp" \
	"vm-bad 0/tcp" "rtmp 1/ddp" >/tmp/services.sync
expect "tool: sync adds, skips and names invalid lines" \
	"4 /tmp/services.sync: 2 added, 2 skipped (1 already present, 1 with a protocol other than tcp, udp, sctp or dccp), 1 invalid" \
	sh -c 'out=$(portreg sync /tmp/services.sync 2>/tmp/sync.err); echo "$? $out"'
check "tool: sync names the refused line" \
	grep -q "^portreg: /tmp/services.sync:4: not added: port is not a number from 1 to 65535: 'vm-bad 0/tcp'" /tmp/sync.err
expect "tool: the synced entry is in the table" "vm-sync-a       18090/tcp  vsa # first" portreg services 18090
expect "tool: a second sync adds nothing" \
	"4 /tmp/services.sync: 0 added, 4 skipped (3 already present, 1 with a protocol other than tcp, udp, sctp or dccp), 1 invalid" \
	sh -c 'out=$(portreg sync /tmp/services.sync 2>/dev/null); echo "$? $out"'
portreg del vm-sync-a 18090/tcp
portreg del vm-sync-b 18091/udp

# The Prometheus export of the live module, for run.sh to check with real
# parsers on the host (the VM has none).
httpd -f -p 18083 &
sleep 0.5
check "tool: export --prometheus -o writes the file" portreg export --prometheus -o /tmp/portreg.prom
sed 's/^/portreg-prom: /' /tmp/portreg.prom
kill $!
sleep 0.2

# History: a daemon binds a port and exits; another, of another user,
# takes the port.  history lists both claims, oldest first: the first
# with when it ended, the second held; binds -R has the release.
httpd -f -p 18085 &
first=$!
sleep 0.5
kill "$first"
wait "$first" 2>/dev/null
su nobody -s /bin/sh -c 'exec httpd -f -p 18085' &
sleep 0.5
second=$(pidof httpd)
portreg history 18085/tcp | sed 's/^/portreg-info: history: /' >/dev/kmsg
expect "tool: history lists the ended claim, then the held one" \
	"$first 0 bind ended|$second 65534 bind held" \
	sh -c "portreg history 18085/tcp | tail -n +2 | awk '{ print \$4, \$6, \$8, (\$(NF - 1) == \"-\" ? \"held\" : \"ended\") }' | paste -s -d '|'"
check "tool: history --json: since before until, until null while held" \
	sh -c "portreg history 18085 --json | awk -F'\"since\":|,\"until\":|}' '
		NR == 1 && \$3 + 0 >= \$2 + 0 && \$3 != \"null\" { ok++ }
		NR == 2 && \$3 == \"null\" { ok++ }
		END { exit !(NR == 2 && ok == 2) }'"
check "tool: binds -R shows the release, with how long it was held" \
	sh -c "portreg binds -R -P 18085 | grep -q '^$first  *httpd  *release  *tcp .* held [0-9.]*[0-9]m*s\$'"
expect "tool: plain binds leaves releases out" 0 \
	sh -c "portreg binds -P 18085 | grep -c ' release '"
kill "$second"
