# Sourced by the VM's init for "prmode=stress": four processes bind and
# close as fast as they can, on TCP and UDP, IPv4 and IPv6, explicit ports
# (some shared, so they conflict) and port 0, while readers loop over every
# file and the module is unloaded and reloaded, for prsecs seconds.  It
# passes with no splat (checked by run.sh) and every reload succeeding.
#
# With prcontrol=1 portreg stays unloaded and the kernel's own kprobe
# tracer arms and disarms the same probes instead: the control experiment
# behind running this mode under single-threaded TCG (docs/testing.md).
secs=$(sed -n 's/.*prsecs=\([0-9]*\).*/\1/p' /proc/cmdline)
secs=${secs:-20}
ip link set lo up
control=$(sed -n 's/.*prcontrol=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$control" ]; then
	rmmod portreg
	mount -t tracefs tracefs /sys/kernel/tracing
fi
rm -f /tmp/stop
for f in binds claims stats; do
	(while [ ! -e /tmp/stop ]; do cat /proc/portreg/$f >/dev/null 2>&1; done) &
done
bindtest storm "$secs" >/tmp/storm 2>&1 &
storm=$!
reloads=0 failed=0
end=$(( $(cut -d. -f1 /proc/uptime) + secs - 1 ))
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	usleep 200000
	if [ -n "$control" ]; then
		# The same probes armed by the kernel's own kprobe tracer, with
		# portreg unloaded: tells portreg's faults from the platform's.
		t=/sys/kernel/tracing
		echo 'p:pa inet_put_port' >>$t/kprobe_events &&
		echo 'p:pb inet_sock_destruct' >>$t/kprobe_events &&
		echo 'r:pc inet_bind' >>$t/kprobe_events &&
		echo 1 >$t/events/kprobes/enable && usleep 200000 &&
		echo 0 >$t/events/kprobes/enable && echo >$t/kprobe_events &&
		reloads=$((reloads + 1)) || failed=$((failed + 1))
	elif rmmod portreg && insmod /portreg.ko; then
		reloads=$((reloads + 1))
	else
		failed=$((failed + 1))
	fi
done
wait $storm
touch /tmp/stop
wait
cat /tmp/storm
mark "info stress: $reloads reloads, $failed failed, $(grep -o '[0-9]* binds' /tmp/storm | tr '\n' ' ')"
[ $failed = 0 ] && grep -q "ok bind storm" /tmp/storm &&
	mark "ok stress: reloads during a bind storm" ||
	mark "not ok stress: reloads during a bind storm"
