# Sourced by the VM's init for "prmode=stress", with portreg loaded.  The
# stress program (stress.c) binds from eight threads across module loads
# and unloads and checks the event accounting; meanwhile readers loop over
# every file and a writer adds and removes registry entries, for prsecs
# seconds.  It passes with every check of stress.c passing and no splat
# (run.sh), and, where the kernel has kmemleak, no leak report.
#
# With prcontrol=1 portreg stays unloaded and the kernel's own kprobe
# tracer arms and disarms the same probes instead: the control experiment
# behind running this mode under single-threaded TCG (docs/testing.md).
secs=$(sed -n 's/.*prsecs=\([0-9]*\).*/\1/p' /proc/cmdline)
secs=${secs:-20}
ip link set lo up
rmmod portreg
control=$(sed -n 's/.*prcontrol=\([0-9]*\).*/\1/p' /proc/cmdline)
rm -f /tmp/stop
for f in services protocols binds claims stats; do
	(while [ ! -e /tmp/stop ]; do cat /proc/portreg/$f >/dev/null 2>&1; done) &
done
# Short-lived followers besides stress.c's, opened and closed over and over.
(while [ ! -e /tmp/stop ]; do timeout 1 cat /proc/portreg/binds_follow >/dev/null 2>&1; done) &
# The registry writer: most writes find the module gone or the entry in
# the state the other write left, so only the successes are counted.
(n=0; while [ ! -e /tmp/stop ]; do
	prtest write /proc/portreg/services "add stress-$((n % 4)) $((65000 + n % 4))/tcp\n" | grep -qx ok &&
		echo add >>/tmp/writes
	prtest write /proc/portreg/services "del stress-$((n % 4)) $((65000 + n % 4))/tcp\n" | grep -qx ok &&
		echo del >>/tmp/writes
	n=$((n + 1))
done) &

if [ -n "$control" ]; then
	mount -t tracefs tracefs /sys/kernel/tracing
	bindtest storm "$secs" >/tmp/storm 2>&1 &
	storm=$!
	reloads=0 failed=0
	end=$(( $(cut -d. -f1 /proc/uptime) + secs - 1 ))
	t=/sys/kernel/tracing
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
		# The same probes armed by the kernel's own kprobe tracer, with
		# portreg unloaded: tells portreg's faults from the platform's.
		echo 'p:pa inet_put_port' >>$t/kprobe_events &&
		echo 'p:pb inet_sock_destruct' >>$t/kprobe_events &&
		echo 'r:pc __inet_bind' >>$t/kprobe_events &&
		echo 1 >$t/events/kprobes/enable && usleep 200000 &&
		echo 0 >$t/events/kprobes/enable && echo >$t/kprobe_events &&
		reloads=$((reloads + 1)) || failed=$((failed + 1))
	done
	wait $storm
	cat /tmp/storm
	mark "info stress control: $reloads arm/disarm cycles, $failed failed"
else
	stress "$secs" /portreg.ko
fi
touch /tmp/stop
wait
# grep -c prints 0 and fails when nothing matched: no "|| echo 0".
adds=$(grep -c add /tmp/writes 2>/dev/null)
dels=$(grep -c del /tmp/writes 2>/dev/null)
mark "info stress: registry writes that took: ${adds:-0} adds, ${dels:-0} dels"
insmod /portreg.ko || mark "not ok stress: portreg loads again after the stress"
