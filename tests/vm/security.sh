# Sourced by the VM's init in test mode, portreg loaded: the permission
# model of docs/security.md from the outside, as an unprivileged user, as
# root of an unprivileged user namespace, and with a file descriptor
# passed on, plus a scan of everything portreg prints for kernel
# addresses.

# An unprivileged user's own user and network namespace: CAP_NET_ADMIN
# there opens binds and claims, but shows that namespace's records only.
cat >/tmp/userns.sh <<'IN'
ip link set lo up
nc -l -p 7777 </dev/null >/dev/null &
sleep 1
cat /proc/portreg/claims
cat /proc/portreg/binds
kill $!
IN
check "unprivileged userns+netns: claims and binds show its own records only" sh -c '
	ino=$(readlink /proc/self/ns/net)
	nc -l -p 7778 </dev/null >/dev/null & outer=$!
	sleep 1
	su nobody -s /bin/sh -c "unshare -Urn sh /tmp/userns.sh" >/tmp/userns.out 2>&1
	kill $outer
	cat /tmp/userns.out
	# Its own listener, in both files; nothing of the initial namespace.
	grep -Eq "^tcp ipv[46] [^ ]+ 7777 " /tmp/userns.out &&
	grep -Eq " bind ipv[46] tcp [^ ]+ 7777 7777 0 " /tmp/userns.out &&
	! grep -q " 7778 " /tmp/userns.out &&
	! grep -q " 4026531840 " /tmp/userns.out'
check "root of an unprivileged user namespace cannot write the registry" sh -c '
	before=$(md5sum </proc/portreg/services)
	su nobody -s /bin/sh -c "unshare -Ur sh -c \"echo add userns-x 65020/tcp >/proc/portreg/services\"" 2>/tmp/w.err
	r=$?; cat /tmp/w.err
	[ $r != 0 ] && [ "$(md5sum </proc/portreg/services)" = "$before" ]'
# Access is decided at open(): a descriptor root opened and handed to an
# unprivileged process keeps root's view, as /proc/net does.
check "a descriptor opened by root keeps working after it is passed on" sh -c '
	exec 3</proc/portreg/claims
	su nobody -s /bin/sh -c "head -n 1 <&3" | grep -q "^PROTO "'

# No raw kernel address anywhere portreg writes: every file, read by root
# (which sees the most), and portreg's kernel log lines.
check "no file or log line of portreg shows a kernel address" sh -c '
	for f in services protocols binds claims stats; do cat /proc/portreg/$f; done >/tmp/all
	dmesg | grep -i portreg >>/tmp/all
	[ "$(wc -l </tmp/all)" -gt 12000 ] || { echo "too little read"; exit 1; }
	! grep -Eio "(0x)?ffff[89a-f][0-9a-f]{11}" /tmp/all'
