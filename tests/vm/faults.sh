# Sourced by the VM's init for "prmode=faults" (the debug kernel, with
# failslab), with portreg loaded.  Systematic fault injection: for N = 1,
# 2, ... the Nth slab allocation of a module load, then of an "add",
# fails, until N passes the last allocation on the path.  A load must
# fail cleanly (no module, no /proc/portreg left) or come up whole,
# perhaps without tracking; an "add" must fail with ENOMEM and leave the
# registry byte for byte as it was, or succeed whole.  kmemleak (init's
# finish) then checks nothing leaked on any of those paths.
#
# The load sweep uses portreg-faults.ko, the well-known-ports build with a
# small ring, claims table and number of probe instances: the same code
# and allocation points, but a load that takes a fraction of the time
# under KASAN and TCG.  It tries
# every point; prfstride=K on the kernel command line (from
# PORTREG_FAULT_STRIDE) tries every point up to 40 and then every Kth.
F=/sys/kernel/debug/failslab
if [ ! -d $F ]; then
	mark "not ok faults: this kernel has no failslab"
	return
fi
# The kernel reports each failed allocation (warn_alloc's "allocation
# failed" with a stack, kmemleak falling back to a full scan): expected
# here, so run.sh reads the log between these markers without them.
echo "portreg-faults: begin" >/dev/kmsg
# GFP_KERNEL allocations too, and quietly: the console gets a summary.
echo N >$F/ignore-gfp-wait
echo 0 >$F/verbose
S=/proc/portreg/services
cmp $S /golden/services || mark "not ok faults: services is not the golden file at the start"

stride=$(sed -n 's/.*prfstride=\([0-9]*\).*/\1/p' /proc/cmdline)
stride=${stride:-1}
M=/portreg-faults.ko
# Two probe instances, not 64: each is an allocation of its own, the same
# point 64 times over, which would add some 250 loads to the sweep.
MP="ring_size=64 max_claims=64 maxactive=2"
rmmod portreg
# What a whole load of that module shows, to compare the survivors with.
insmod $M $MP && whole=$(md5sum <$S) && rmmod portreg ||
	mark "not ok faults: $M loads without fault injection"
n=1 injected=0 failed=0 degraded=0 bad=0 tried=0
while [ $n -le 5000 ]; do
	r=$(prtest fail-load $n $M "$MP")
	tried=$((tried + 1))
	[ $((n % 25)) != 0 ] || mark "info faults: load point $n at $(cut -d' ' -f1 /proc/uptime)s: $r"
	case $r in
	clean:ok) break ;;
	injected:ok)
		injected=$((injected + 1))
		# Up despite the failure: the registry must be whole.
		if [ "$(md5sum <$S)" = "$whole" ] && grep -q '^tracking ' /proc/portreg/stats; then
			grep -q '^tracking active' /proc/portreg/stats || degraded=$((degraded + 1))
		else
			bad=$((bad + 1)); mark "info faults: load with allocation $n failing came up incomplete"
		fi
		rmmod portreg || { bad=$((bad + 1)); break; } ;;
	injected:*)
		injected=$((injected + 1)) failed=$((failed + 1))
		if grep -q '^portreg ' /proc/modules || [ -e /proc/portreg ]; then
			bad=$((bad + 1)); mark "info faults: load with allocation $n failing ($r) left portreg behind"
			rmmod portreg 2>/dev/null
		fi ;;
	*) bad=$((bad + 1)); mark "info faults: load $n: $r"; break ;;
	esac
	if [ $n -lt 40 ]; then n=$((n + 1)); else n=$((n + stride)); fi
done
mark "info faults: load: about $n allocation points, $tried tried, $injected failed on purpose: $failed loads refused, $((injected - failed)) came up ($degraded without tracking), $bad bad"
echo "portreg-fault-counts: load_points=$injected"
[ "$r" = clean:ok ] && [ $bad = 0 ] && [ $injected -gt 0 ] &&
	mark "ok faults: a load with any one allocation failing unwinds or comes up whole" ||
	mark "not ok faults: a load with any one allocation failing unwinds or comes up whole: last $r after $n, $bad bad"
grep -q '^portreg ' /proc/modules || insmod /portreg.ko

before=$(md5sum <$S)
n=1 injected=0 enomem=0 bad=0
while [ $n -le 1000 ]; do
	r=$(prtest fail-write $n $S 'add fi-svc 65010/tcp fi-alias # fault injection\n')
	[ $((n % 25)) != 0 ] || mark "info faults: add point $n at $(cut -d' ' -f1 /proc/uptime)s: $r"
	case $r in
	clean:ok) break ;;
	injected:write:ENOMEM)
		injected=$((injected + 1)) enomem=$((enomem + 1))
		[ "$(md5sum <$S)" = "$before" ] ||
			{ bad=$((bad + 1)); mark "info faults: add with allocation $n failing changed the registry"; } ;;
	injected:ok)
		injected=$((injected + 1))
		grep -qx 'fi-svc          65010/tcp  fi-alias # fault injection' $S &&
			[ "$(prtest write $S 'del fi-svc 65010/tcp\n')" = ok ] &&
			[ "$(md5sum <$S)" = "$before" ] ||
			{ bad=$((bad + 1)); mark "info faults: add with allocation $n failing half-succeeded"; } ;;
	*) bad=$((bad + 1)); mark "info faults: add $n: $r"; break ;;
	esac
	n=$((n + 1))
done
mark "info faults: add: $((n - 1)) allocation points, $enomem refused with ENOMEM, $((injected - enomem)) absorbed, $bad bad"
echo "portreg-fault-counts: add_points=$injected"
[ "$r" = clean:ok ] && [ $bad = 0 ] && [ $enomem -gt 0 ] &&
	mark "ok faults: an add with any one allocation failing is refused with ENOMEM, registry unchanged" ||
	mark "not ok faults: an add with any one allocation failing is refused with ENOMEM, registry unchanged: last $r after $n, $bad bad"
# The last add ran with no fault at all: it must have gone through whole.
expect "faults: the add with no fault went through whole" \
	'fi-svc          65010/tcp  fi-alias # fault injection' grep '^fi-svc ' $S
prtest write $S 'del fi-svc 65010/tcp\n' >/dev/null
expect "faults: the registry ends as it began" "$before" sh -c "md5sum <$S"
echo 0 >$F/verbose
echo Y >$F/ignore-gfp-wait
echo "portreg-faults: end" >/dev/kmsg
