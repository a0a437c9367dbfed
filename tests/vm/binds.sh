# Sourced by the VM's init: portreg's bind tracking, end to end, on
# Debian's kernel with real sockets.  bindtest (bindtest.c) checks every
# field; this script adds what needs the module reloaded.

bindtest all

check "ring_size that is not a power of two is refused" sh -c "
	rmmod portreg && ! insmod /portreg.ko ring_size=100 2>/dev/null"
check "ring_size=64 loads" insmod /portreg.ko ring_size=64
bindtest ring 64
check "max_claims=0 is refused" sh -c "
	rmmod portreg && ! insmod /portreg.ko max_claims=0 2>/dev/null"
check "tenant_share=0 and 101 are refused" sh -c "
	! insmod /portreg.ko tenant_share=0 2>/dev/null &&
	! insmod /portreg.ko tenant_share=101 2>/dev/null"
check "maxactive above 65536 is refused" sh -c "
	! insmod /portreg.ko maxactive=65537 2>/dev/null"
# Probes that miss for real: one instance of each return probe, held by
# a bind that sleeps (bindtest misses).
check "maxactive=1 loads" insmod /portreg.ko maxactive=1
bindtest misses
rmmod portreg
# Sockets bound before the module loads; bindtest loads it.
bindtest preload /portreg.ko
rmmod portreg
check "read_gid=4242 loads" insmod /portreg.ko read_gid=4242
bindtest group 4242
rmmod portreg
insmod /portreg.ko

# The release hooks are permanent ftrace callbacks (hook.c): turning the
# function tracer off under them is refused while portreg is loaded.
# Where the kernel still lets the sysctl turn ftrace off without portreg
# (7.3 deprecated it: every write fails), it must be refused with it.
ftrace_enabled=/proc/sys/kernel/ftrace_enabled
rmmod portreg
if [ -w $ftrace_enabled ] && echo 0 2>/dev/null >$ftrace_enabled; then
	echo 1 >$ftrace_enabled
	insmod /portreg.ko
	check "kernel.ftrace_enabled=0 is refused while portreg is loaded" sh -c "
		! echo 0 2>/dev/null >$ftrace_enabled && [ \"\$(cat $ftrace_enabled)\" = 1 ]"
else
	insmod /portreg.ko
	mark "info kernel.ftrace_enabled cannot turn ftrace off on this kernel: not checked"
fi

check "rmmod with a blocked binds_follow reader" sh -c '
	cat /proc/portreg/binds_follow >/tmp/follow & pid=$!
	sleep 1; rmmod portreg; r=$?; wait $pid; insmod /portreg.ko
	grep -q "^SEQ " /tmp/follow && [ $r = 0 ]'

# The load-time self-check: with the probes of a path left out
# (probe_exclude), the module says which path is blind, in stats, in the
# kernel log (once) and through the tool, and never "tracking active".
blind_check() { # NAME EXCLUDE REASON
	rmmod portreg
	# The log is never cleared: the run's end checks all of it.
	said=$(dmesg | grep -cF "bind tracking unavailable: $3")
	insmod /portreg.ko probe_exclude="$2"
	check "self-check: $1: stats names the blind path" \
		grep -qxF "tracking unavailable: $3" /proc/portreg/stats
	check "self-check: $1: the kernel log says it once" sh -c \
		'test "$(dmesg | grep -cF "bind tracking unavailable: $0")" = $(($1 + 1))' "$3" "$said"
	check "self-check: $1: portreg stats says it" sh -c \
		'portreg stats | grep -qxF "tracking                 unavailable: $0"' "$3"
	check "self-check: $1: portreg binds warns on stderr" sh -c \
		'portreg binds 2>&1 >/dev/null | grep -qF "portreg: bind tracking is unavailable: $0"' "$3"
	check "self-check: $1: binds says it" \
		grep -qxF "# tracking unavailable: $3" /proc/portreg/binds
	rmmod portreg
	insmod /portreg.ko
}
blind_check "no IPv6 bind probe" "__inet6_bind,inet6_bind_sk,inet6_bind" \
	"self-check: a bind to port 0 of an IPv6 TCP socket reached no probe (none could be placed: excluded by the probe_exclude parameter)"
blind_check "no release probe for UDP" "udp_lib_unhash" \
	"self-check: the release of a port of an IPv4 UDP socket reached no probe (none could be placed: excluded by the probe_exclude parameter)"
# inet6_bind() alone: every IPv6 bind of a process passes through it, but
# from 6.3 on MPTCP binds its subflows with inet6_bind_sk(), past it.
case $(uname -r) in
6.1.*)
	check "self-check: inet6_bind() sees MPTCP's binds on 6.1" sh -c '
		rmmod portreg && insmod /portreg.ko probe_exclude=__inet6_bind,inet6_bind_sk &&
		grep -qx "tracking active" /proc/portreg/stats &&
		grep -q "^probe inet6_bind missed" /proc/portreg/stats'
	rmmod portreg
	insmod /portreg.ko ;;
*)
	blind_check "inet6_bind() misses MPTCP" "__inet6_bind,inet6_bind_sk" \
		"self-check: a bind to port 0 of an IPv6 MPTCP socket reached no probe (inet6_bind is probed, but this path does not pass through it)" ;;
esac
