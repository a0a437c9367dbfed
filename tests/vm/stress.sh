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
# Uptime in centiseconds: /proc/uptime has two decimals.
uptime_cs() {
	read -r up _ </proc/uptime
	echo $(( ${up%.*} * 100 + 1${up#*.} - 100 ))
}
ip link set lo up
rmmod portreg
control=$(sed -n 's/.*prcontrol=\([0-9]*\).*/\1/p' /proc/cmdline)
# prreaders=0 leaves out the readers and the registry writer: on the debug
# kernel the stress runs once with kmemleak and without them, once with
# them and kmemleak=off (tests/debug/stress-run.sh, docs/testing.md).
readers=$(sed -n 's/.*prreaders=\([0-9]*\).*/\1/p' /proc/cmdline)
rm -f /tmp/stop
if [ "${readers:-1}" != 0 ]; then
	for f in services protocols binds claims stats; do
		(while [ ! -e /tmp/stop ]; do cat /proc/portreg/$f >/dev/null 2>&1; done) &
	done
	# Short-lived followers besides stress.c's, opened and closed over
	# and over.
	(while [ ! -e /tmp/stop ]; do timeout 1 cat /proc/portreg/binds_follow >/dev/null 2>&1; done) &
	# The registry writer: most writes find the module gone or the entry
	# in the state the other write left, so only the successes count.
	(n=0; while [ ! -e /tmp/stop ]; do
		prtest write /proc/portreg/services "add stress-$((n % 4)) $((65000 + n % 4))/tcp\n" | grep -qx ok &&
			echo add >>/tmp/writes
		prtest write /proc/portreg/services "del stress-$((n % 4)) $((65000 + n % 4))/tcp\n" | grep -qx ok &&
			echo del >>/tmp/writes
		n=$((n + 1))
	done) &
fi

# The grace-period meter, the same in both modes: deleting a kprobe event
# (never enabled, on a function no test calls) returns only after the
# kprobe core's synchronize_rcu(), so its time is how long a grace period
# takes under this load; it also waits for kprobe_mutex while a module's
# probes are registered or unregistered.  Its own event group, so that
# the control's "events/kprobes/enable" never enables it.
t=/sys/kernel/tracing
mount -t tracefs tracefs $t 2>/dev/null
if [ -w $t/kprobe_events ]; then
	(while [ ! -e /tmp/stop ]; do
		echo 'p:prgp/gp vfs_fsync' >>$t/kprobe_events || break
		start=$(uptime_cs)
		echo '-:prgp/gp' >>$t/kprobe_events || break
		took=$(( $(uptime_cs) - start ))
		echo "$start $took" >>/tmp/gp
		# Said at once too: a run that hangs never reaches the summary.
		[ $took -ge 500 ] && mark "info stress: grace-period meter: a delete took $((took / 100)) s, from $((start / 100)) s after boot"
		sleep 2
	done) &
fi

if [ -n "$control" ]; then
	bindtest storm "$secs" >/tmp/storm 2>&1 &
	storm=$!
	reloads=0 failed=0 longest=0
	end=$(( $(cut -d. -f1 /proc/uptime) + secs - 1 ))
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
		# The same probes armed by the kernel's own kprobe tracer, with
		# portreg unloaded: tells portreg's faults from the platform's.
		# Unregistering a kprobe waits for synchronize_rcu(), as a
		# module unload does: the longest disarm is this run's
		# counterpart of stress.c's longest unload.
		echo 'p:pa inet_put_port' >>$t/kprobe_events &&
		echo 'p:pb inet_sock_destruct' >>$t/kprobe_events &&
		echo 'r:pc __inet_bind' >>$t/kprobe_events &&
		echo 1 >$t/events/kprobes/enable && usleep 200000 &&
		start=$(uptime_cs) &&
		echo 0 >$t/events/kprobes/enable &&
		printf -- '-:pa\n-:pb\n-:pc\n' >>$t/kprobe_events &&
		took=$(( $(uptime_cs) - start )) &&
		reloads=$((reloads + 1)) || failed=$((failed + 1))
		[ "${took:-0}" -gt "$longest" ] && longest=$took
	done
	wait $storm
	cat /tmp/storm
	mark "info stress control: $reloads arm/disarm cycles, $failed failed"
	mark "info stress control: longest disarm $((longest / 100)).$((longest % 100 / 10)) s"
else
	stress "$secs" /portreg.ko
fi
touch /tmp/stop
wait
# grep -c prints 0 and fails when nothing matched: no "|| echo 0".
adds=$(grep -c add /tmp/writes 2>/dev/null)
dels=$(grep -c del /tmp/writes 2>/dev/null)
mark "info stress: registry writes that took: ${adds:-0} adds, ${dels:-0} dels"
if [ -s /tmp/gp ]; then
	# Centiseconds; the median and the longest, and when that one began.
	sort -n -k2 /tmp/gp | awk '{ d[NR] = $2; at[NR] = $1 }
		END { printf "info stress: grace-period meter: %d deletes, median %.2f s, longest %.2f s (began at uptime %.0f s)\n",
			NR, d[int((NR + 1) / 2)] / 100, d[NR] / 100, at[NR] / 100 }' |
		while read -r line; do mark "$line"; done
	awk '$2 >= 500 { printf "%.0f+%.0f ", $1 / 100, $2 / 100 }' /tmp/gp |
		while read -r line; do mark "info stress: grace periods of 5 s or more (uptime+seconds): $line"; done
	# The hung-task detector's limit: a wait that long is a stall.
	if awk '$2 >= 6000 { bad = 1 } END { exit !bad }' /tmp/gp; then
		mark "not ok stress: grace periods kept pace (a kprobe delete waited 60 s or more)"
	else
		mark "ok stress: grace periods kept pace (every kprobe delete under 60 s)"
	fi
fi
insmod /portreg.ko || mark "not ok stress: portreg loads again after the stress"
