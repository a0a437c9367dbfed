# Sourced by the VM's init: expected owners (docs/proc-owners.md) against
# the real module: writes and their refusals, the squat flagged at bind
# time in binds, claims, stats and the kernel log, and owners load.
O=/proc/portreg/owners
ip link set lo up
expect "owners: empty at load" "" cat $O
expect "owners: expect" ok prtest write $O 'expect 18086/tcp nc\nexpect 18087/udp nc\nexpect 18088/tcp postgres\n'
expect "owners: the set, sorted" "18086/tcp nc|18087/udp nc|18088/tcp postgres" \
	sh -c "paste -s -d '|' $O"
before=$(cat $O)
expect "owners: no newline at the end" write:EINVAL prtest write $O 'forget 18086/tcp'
expect "owners: unknown verb" write:EINVAL prtest write $O 'own 18086/tcp nc\n'
expect "owners: port 0" write:EINVAL prtest write $O 'expect 0/tcp nc\n'
expect "owners: unknown protocol" write:EINVAL prtest write $O 'expect 18086/icmp nc\n'
expect "owners: a name longer than the kernel's" write:E2BIG prtest write $O 'expect 18089/tcp 0123456789abcdef\n'
expect "owners: forget what is not expected" write:ENOENT prtest write $O 'forget 18089/tcp\n'
expect "owners: a good line then a bad one" write:EINVAL prtest write $O 'forget 18086/tcp\nexpect 18089/tcp\n'
expect "owners: root without CAP_NET_ADMIN" write:EPERM prtest write-nocap $O 'forget 18086/tcp\n'
expect "owners: an unprivileged user" open:EACCES prtest write-as 65534 $O 'forget 18086/tcp\n'
expect "owners: readable by anyone" "$before" su nobody -s /bin/sh -c "cat $O"
expect "owners: unchanged after every refusal" "$before" cat $O

# A squat: httpd takes the port owners expects nc on.
unexpected0=$(sed -n 's/^unexpected_claims //p' /proc/portreg/stats)
httpd -f -p 18088 &
squatter=$!
sleep 0.5
expect "owners: the squat's bind names the expected owner" "$squatter httpd 0 postgres" \
	sh -c "awk '\$4 == $squatter && \$13 == 18088 && \$8 == \"bind\" { print \$4, \$7, \$14, \$30 }' /proc/portreg/binds | tail -n 1"
expect "owners: so does its claim" "httpd postgres" \
	sh -c "awk '\$4 == 18088 && \$6 == $squatter { print \$8, \$18 }' /proc/portreg/claims"
expect "owners: unexpected_claims counts it" $((unexpected0 + 1)) \
	sed -n 's/^unexpected_claims //p' /proc/portreg/stats
expect "owners: the kernel log says it, in the documented words" 1 \
	sh -c "dmesg | grep -c 'portreg: 18088/tcp claimed by httpd\[$squatter\] uid 0, expected postgres\$'"
kill "$squatter"
wait "$squatter" 2>/dev/null
httpd -f -p 18088 &
squatter=$!
sleep 0.5
expect "owners: a second squat within the minute is counted" $((unexpected0 + 2)) \
	sed -n 's/^unexpected_claims //p' /proc/portreg/stats
expect "owners: but logged once a minute" 1 \
	sh -c "dmesg | grep -c 'portreg: 18088/tcp claimed by httpd'"
check "owners: who names the expected owner" \
	sh -c "portreg who 18088 | grep -q '; owners expects postgres here\$'"
kill "$squatter"
wait "$squatter" 2>/dev/null
# The expected program itself is not flagged, nor the port's other
# protocol (owners expects nc on 18087/udp, not on 18087/tcp).
nc -l -p 18086 </dev/null >/dev/null 2>&1 &
ncpid=$!
httpd -f -p 18087 &
otherpid=$!
sleep 0.5
expect "owners: the expected program is not flagged, nor the port's other protocol" "- -" \
	sh -c "awk '(\$4 == $ncpid && \$13 == 18086) || (\$4 == $otherpid && \$13 == 18087) { print \$30 }' /proc/portreg/binds | paste -s -d ' '"
kill "$ncpid" "$otherpid"
wait 2>/dev/null
# A container's ports are its own: an expectation is of the host's.
expect "owners: another network namespace is not held to the host's set" "-" \
	sh -c "unshare -n sh -c 'ip link set lo up; httpd -p 18088; sleep 0.3; killall httpd' &&
	       awk '\$13 == 18088 && \$8 == \"bind\" { last = \$30 } END { print last }' /proc/portreg/binds"

# owners load: the kernel's set becomes the file's, in one write.
mkdir -p /etc/portreg
printf '%s\n' '# the ports of this VM' '18086/tcp nc' '18090/tcp my\040app' >/etc/portreg/owners
expect "owners load: the default file" \
	"/etc/portreg/owners: 1 expected, 2 forgotten, 1 unchanged" portreg owners load
expect "owners load: the kernel's set is the file's" "18086/tcp nc|18090/tcp my\\040app" \
	sh -c "paste -s -d '|' $O"
expect "owners: the tool shows it unescaped" "18090/tcp  my app" sh -c "portreg owners | tail -n 1"
echo '18091/tcp httpd' >/tmp/owners.other
chmod 0644 /tmp/owners.other
expect "owners load: refused unprivileged, the set unchanged" "3 18086/tcp nc|18090/tcp my\\040app" \
	sh -c "su nobody -s /bin/sh -c 'portreg owners load /tmp/owners.other' >/dev/null 2>&1; echo \"\$? \$(paste -s -d '|' $O)\""
printf '' >/tmp/owners.empty
expect "owners load: an empty file empties the set" "" sh -c "portreg owners load /tmp/owners.empty >/dev/null && cat $O"

# check: every problem made to happen for real, then put right.
range0=$(cat /proc/sys/net/ipv4/ip_local_port_range)
reserved0=$(cat /proc/sys/net/ipv4/ip_local_reserved_ports)
echo '18090 18099' >/proc/sys/net/ipv4/ip_local_port_range
echo '' >/proc/sys/net/ipv4/ip_local_reserved_ports
prtest write $O 'expect 18096/tcp postgres\n' >/dev/null
httpd -f -p 18096 &
squatter=$!
sleep 0.5
# Nine of the range's ten ports, each chosen by a connect() to the squatter
# (the tenth, 18096, is the listener's: connect() will not take it).
i=0
clients=
while [ $i -lt 9 ]; do
	sleep 60 | nc 127.0.0.1 18096 &
	clients="$clients $!"
	i=$((i + 1))
done
# Emulated arm64 is slow to connect nine: wait until the kernel has them.
i=0
while [ $i -lt 40 ] && [ "$(awk '$1 == "tcp" && $3 == "127.0.0.1" && $4 >= 18090 && $4 <= 18099 && $10 == "connect"' /proc/portreg/claims | wc -l)" -lt 9 ]; do
	sleep 0.25
	i=$((i + 1))
done
# The range is spent: a tenth connect() to that peer finds no port, and a
# bind to port 0 none either.  Both are autobind failures.
af0=$(sed -n 's/^autobind_failures //p' /proc/portreg/stats)
sh -c 'echo $$ >/tmp/nc.pid; exec nc 127.0.0.1 18096 </dev/null' >/dev/null 2>&1
ncpid=$(cat /tmp/nc.pid)
expect "autobind: a bind to port 0 fails with the range spent" bind:EADDRINUSE prtest bind0 127.0.0.1
expect "autobind: the connect that found no port is logged, with its peer" \
	"tcp 127.0.0.1 0 0 -99 - 127.0.0.1:18096" \
	sh -c "awk '\$4 == $ncpid && \$8 == \"connect\" { print \$10, \$11, \$12, \$13, \$14, \$21, \$33 }' /proc/portreg/binds"
expect "autobind: the bind to port 0 too, naming no holder" "0 0 -98 -" \
	sh -c "awk '\$7 == \"prtest\" && \$8 == \"bind\" && \$11 == \"127.0.0.1\" && \$14 == -98 { print \$12, \$13, \$14, \$21 }' /proc/portreg/binds | tail -n 1"
expect "autobind: autobind_failures counts both" $((af0 + 2)) \
	sed -n 's/^autobind_failures //p' /proc/portreg/stats
expect "autobind: portreg binds reads those lines (exit 0)" "0 to 127.0.0.1:18096" \
	sh -c "out=\$(portreg binds); echo \"\$? \$(echo \"\$out\" | awk '\$1 == $ncpid { print \$(NF-1), \$NF }')\""
portreg check >/tmp/check.out 2>&1
st=$?
sed 's/^/portreg-info: check: /' /tmp/check.out >/dev/kmsg
expect "check: exit 1 when there is a problem" 1 echo "$st"
check "check: unexpected-owner names the squatter and the expected owner" \
	grep -q "^unexpected-owner 18096/tcp held by httpd\[$squatter\] uid 0 since [0-9-]* [0-9:]*, expected postgres\$" /tmp/check.out
check "check: ephemeral-overlap, with the sysctl that fixes it" \
	grep -qx "ephemeral-overlap 18096/tcp (expected: postgres) is inside net.ipv4.ip_local_port_range 18090-18099, which connect() and autobind hand out: sysctl -w net.ipv4.ip_local_reserved_ports=18096" /tmp/check.out
check "check: ephemeral-pressure on the address short of ports" \
	grep -q "^ephemeral-pressure tcp 127.0.0.1: 9 of the 10 ports of net.ipv4.ip_local_port_range 18090-18099 (90%) are in use" /tmp/check.out
check "check: autobind-failures counts them in this namespace, naming the last" \
	grep -q "^autobind-failures netns $(readlink /proc/self/ns/net | tr -dc 0-9): [0-9]* ports\\? the kernel was to choose could not be had in the last 3600 s (connect [0-9]*.*, bind [0-9]*); the last at [0-9-]* [0-9:]*, by prtest\\[[0-9]*\\] uid 0: bind tcp EADDRINUSE\$" /tmp/check.out
expect "check --json: the same problems" "unexpected-owner ephemeral-overlap ephemeral-pressure autobind-failures" \
	sh -c "portreg check --json | sed 's/^{\"kind\":\"\([a-z-]*\)\".*/\1/' | paste -s -d ' '"
# Put right: reserve the port, stop the squat and the clients, forget.
echo 18096 >/proc/sys/net/ipv4/ip_local_reserved_ports
kill "$squatter" $clients
wait "$squatter" $clients 2>/dev/null
prtest write $O 'forget 18096/tcp\n' >/dev/null
# A socket bound with SO_REUSEADDR to a connection's port connects to the
# same peer: its four-tuple is taken.  IPv4 and IPv6, each its own probe.
httpd -f -p 18100 &
listener=$!
sleep 0.5
for peer in 127.0.0.1 ::1; do
	clash=$(prtest connect-clash $peer 18100)
	port=${clash#* }
	expect "autobind: connect-clash to $peer fails for real" "connect:EADDRNOTAVAIL" echo "${clash% *}"
	case $peer in *:*) remote="[$peer]:18100" ;; *) remote="$peer:18100" ;; esac
	expect "autobind: its connect line, with the port it had and its peer ($peer)" \
		"$port 0 -99 ...R. $remote" \
		sh -c "awk '\$7 == \"prtest\" && \$8 == \"connect\" && \$33 == \"$remote\" { print \$12, \$13, \$14, \$15, \$33 }' /proc/portreg/binds | tail -n 1"
done
expect "autobind: autobind_failures counts the clashes" $((af0 + 4)) \
	sed -n 's/^autobind_failures //p' /proc/portreg/stats
kill "$listener"
wait "$listener" 2>/dev/null
# Failures age out of check's window: a clean system, a second later.
sleep 2
expect "check: a clean system prints nothing and exits 0" "0 " \
	sh -c 'out=$(portreg check -w 1 2>&1); echo "$? $out"'
echo "$range0" >/proc/sys/net/ipv4/ip_local_port_range
echo "$reserved0" >/proc/sys/net/ipv4/ip_local_reserved_ports
