# SPDX-License-Identifier: GPL-2.0
# The package install test's guest side (tests/package/vm-install.sh):
# run by portreg-vmtest.service from the payload disk (/payload), after
# the rest of the boot, once per boot.  The phase to run is kept in the
# root, which persists across the boots: 1 installs the previous version
# and upgrades to this one, then reboots; 2 checks what the boot did and
# adds the 6.12 kernel, then reboots; 3 purges and makes a build fail.
# Every line the host counts is "portreg-vm: ok NAME" or
# "portreg-vm: not ok NAME: why".
P=/payload
state=/var/lib/portreg-vmtest
mkdir -p $state
phase=$(cat $state/phase 2>/dev/null || echo 1)
V=$(cat $P/version) OLD=$(cat $P/old-version) REL612=$(cat $P/rel612)
ARCH=$(dpkg --print-architecture)
rel=$(uname -r)
export DEBIAN_FRONTEND=noninteractive

mark() { echo "portreg-vm: $*"; }
check() { # NAME, then a command that must succeed
	name=$1
	shift
	if "$@" >/tmp/out 2>&1; then mark "ok $name"; else
		mark "not ok $name: $(tail -c 300 /tmp/out | tr '\n' ' ')"; fi
}
expect() { # NAME WANT, then a command whose output must be WANT
	name=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then mark "ok $name"; else
		mark "not ok $name: want '$want' got '$(printf '%s' "$got" | tail -c 300 | tr '\n' ' ')'"; fi
}
# "installed" once DKMS built and installed VERSION for KERNEL, else empty.
dkms_state() { # VERSION KERNEL
	dkms status -m portreg -v "$1" -k "$2" 2>/dev/null | sed -n 's/^portreg\/[^,]*, [^,]*, [^:]*: \([a-z]*\).*/\1/p'
}
leftovers() { # what portreg may have left on the system
	ls -d /usr/src/portreg-* /var/lib/dkms/portreg /etc/portreg /usr/sbin/portreg \
		/lib/systemd/system/portreg-sync.service /usr/lib/modules-load.d/portreg.conf \
		/etc/systemd/system/multi-user.target.wants/portreg-sync.service 2>/dev/null
	find /lib/modules -name 'portreg.ko*' 2>/dev/null
	dpkg-query -W -f '${Package} ${Status}\n' 'portreg*' 2>/dev/null | grep -v 'not-installed'
}
next_boot() {
	echo $(($1)) >$state/phase
	sync
	mark "phase $phase done"
	systemctl reboot
	exit 0
}

mark "phase $phase on $rel"
case $phase in
1)
	check "apt install the previous version ($OLD)" \
		apt-get install -y $P/old/portreg-dkms_${OLD}_all.deb $P/old/portreg_${OLD}_$ARCH.deb
	expect "DKMS built and installed $OLD for $rel" installed dkms_state "$OLD" "$rel"
	# An admin's edit of the conffile, which the upgrade must keep.
	echo "22/tcp sshd" >>/etc/portreg/owners
	check "apt install this version ($V): the upgrade" \
		apt-get install -y $P/portreg-dkms_${V}_all.deb $P/portreg_${V}_$ARCH.deb
	expect "the upgrade: DKMS built and installed $V for $rel" installed dkms_state "$V" "$rel"
	expect "the upgrade: $OLD is gone from DKMS and /usr/src" "" \
		sh -c "dkms status -m portreg -v $OLD 2>/dev/null; ls -d /usr/src/portreg-$OLD 2>/dev/null"
	expect "the upgrade: both packages at $V" "portreg $V|portreg-dkms $V" \
		sh -c "dpkg-query -W -f '\${Package} \${Version}\n' portreg-dkms portreg | sort | paste -s -d '|'"
	expect "the upgrade keeps the edited /etc/portreg/owners" "22/tcp sshd" \
		sh -c "grep -v '^#' /etc/portreg/owners"
	expect "portreg-sync.service is enabled" enabled systemctl is-enabled portreg-sync.service
	next_boot 2 ;;
2)
	expect "the boot loaded portreg, $V, DKMS's build" \
		"1 $V /lib/modules/$rel/updates/dkms/portreg.ko" \
		sh -c "echo \$(grep -c '^portreg ' /proc/modules) \$(cat /sys/module/portreg/version) \$(modinfo -n portreg)"
	expect "portreg-sync.service ran at boot" active systemctl is-active portreg-sync.service
	expect "it loaded /etc/portreg/owners into the module" "22/tcp sshd" cat /proc/portreg/owners
	expect "bind tracking is active" "tracking active" grep '^tracking ' /proc/portreg/stats
	python3 -m http.server 18123 --bind 127.0.0.1 >/dev/null 2>&1 &
	daemon=$!
	i=0
	while [ $i -lt 60 ] && ! grep -q ':46B3 .* 0A ' /proc/net/tcp; do sleep 0.5; i=$((i + 1)); done
	check "portreg who names a real daemon" sh -c "portreg who 18123 | grep -q 'python3.*$daemon\|$daemon.*python3'"
	kill $daemon
	check "apt install Debian's $REL612 kernel and headers" sh -c "apt-get install -y --no-install-recommends $P/debs-6.12/*.deb"
	expect "DKMS built and installed $V for $REL612 too" installed dkms_state "$V" "$REL612"
	# 6.12's Debian config compresses modules (CONFIG_MODULE_COMPRESS_XZ),
	# so DKMS installs portreg.ko.xz there.
	expect "the $REL612 module is $V, for $REL612" "$V $REL612" \
		sh -c "ko=\$(ls /lib/modules/$REL612/updates/dkms/portreg.ko* 2>/dev/null | head -n 1); echo \$(modinfo -F version \$ko) \$(modinfo -F vermagic \$ko | cut -d ' ' -f 1)"
	# The 6.12 install alone takes most of an hour under TCG: the purge
	# and the failure case get a boot, and a cut-off, of their own.
	next_boot 3 ;;
3)
	check "apt purge portreg portreg-dkms" apt-get purge -y portreg portreg-dkms
	expect "the purge leaves no module, unit, file or DKMS tree behind" "" leftovers
	# A kernel DKMS cannot build for: the install says why, and goes on.
	apt-get purge -y "linux-headers-$REL612" >/dev/null 2>&1
	apt-get install -y $P/portreg-dkms_${V}_all.deb $P/portreg_${V}_$ARCH.deb >/tmp/apt-fail.log 2>&1
	expect "without $REL612's headers the install still succeeds" 0 echo $?
	check "and says why $REL612 got no module" \
		grep -q "$REL612.*skipped\|skipped.*$REL612\|headers for this kernel" /tmp/apt-fail.log
	expect "the running kernel got its module all the same" installed dkms_state "$V" "$rel"
	expect "the $REL612 kernel is untouched" "install ok installed yes" \
		sh -c "echo \$(dpkg-query -W -f '\${Status}' linux-image-$REL612) \$([ -s /boot/vmlinuz-$REL612 ] && echo yes)"
	expect "the tool works" "portreg $V" portreg --version
	mark "done"
	sync
	systemctl poweroff
	exit 0 ;;
*)
	mark "not ok phase $phase: no such phase"
	systemctl poweroff ;;
esac
