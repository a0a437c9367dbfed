#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test VM under QEMU (TCG) with a busybox initramfs, the static
# portreg tool and the test helpers, on one kernel of the matrix
# (tests/lib/kernels.sh), chosen by PORTREG_VM_KERNEL:
#
#   6.1 (default; "debian" is the same)  Debian 12's kernel
#   6.12        Debian 12's 6.12
#   7.3         trixie-backports' 7.3
#   6.1-arm64   Debian 12's arm64 kernel, under qemu-system-aarch64
#   debug       the debug kernel of tests/debug/kernel.config (KASAN,
#               lockdep, kmemleak, failslab, KUnit), built and cached by
#               tests/debug/build-kernel.sh
#
# portreg.ko is built for the kernel as a user of it would build it.
#
#   run.sh [test]   smoke test: one "PASS|FAIL name" line per check
#   run.sh demo     boot, show what portreg sees, print it
#   run.sh memory   measure the registry's memory, compiled in or loaded
#   run.sh stress   bind storms across reloads for $PORTREG_STRESS_SECS (20)
#   run.sh tenants  only the tenants' attacks of tests/vm/tenants.sh
#   run.sh kunit    (debug kernel) the KUnit suites, then fault injection
#   run.sh faults   (debug kernel) fault injection alone
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/splats.sh"
. "$PORTREG_TOP/tests/lib/kunit.sh"

mode=${1:-test}
flavour=${PORTREG_VM_KERNEL:-6.1}
[ "$flavour" != debian ] || flavour=6.1
case $flavour in
debug)
	out=$PORTREG_TOP/build/vm-debug
	arch=x86_64
	kdir=$("$PORTREG_TOP/tests/debug/build-kernel.sh")
	src=$(linux_source_tree)
	rel="debug $(cat "$kdir/include/config/kernel.release")"
	kernel=$kdir/arch/x86/boot/bzImage
	build_module_copy "$src" "$out/obj" O="$kdir"
	# The fault-injection sweep loads this one hundreds of times (faults.sh).
	build_module_copy "$src" "$out/obj-faults" O="$kdir" PORTREG_MAX_PORT=1023
	tag=debug ;;
*)
	vm_kernel "$flavour"
	out=$PORTREG_TOP/build/vm-$VM_TAG
	arch=$VM_ARCH
	rel=$VM_RELEASE
	kdir=$VM_KDIR
	kernel=$VM_IMAGE
	build_module_for "$out/obj"
	tag=vm-$VM_TAG ;;
esac
export QEMU_ARCH=$arch
case $mode in kunit|faults) [ "$flavour" = debug ] ;; esac || die "run.sh $mode needs PORTREG_VM_KERNEL=debug: Debian's kernels have no KUnit"

root=$out/root
make_busybox_root "$root" "$arch"
cp "$out/obj/module/portreg.ko" "$root/portreg.ko"
[ ! -f "$out/obj/module/portreg_test.ko" ] || cp "$out/obj/module/portreg_test.ko" "$root/"
[ ! -d "$out/obj-faults" ] || cp "$out/obj-faults/module/portreg.ko" "$root/portreg-faults.ko"
install_test_tools "$root" "$arch"
# sock_diag for TCP, which Debian builds as modules: bindtest compares
# claims with what inet_diag, the interface of ss(8), says is bound.
[ "$flavour" = debug ] || vm_kernel_module "$root/kmod" net/ipv4/inet_diag net/ipv4/tcp_diag
cp "$PORTREG_TOP/tests/vm/init" "$PORTREG_TOP/tests/vm/demo.sh" "$PORTREG_TOP/tests/vm/binds.sh" "$PORTREG_TOP/tests/vm/tool.sh" \
	"$PORTREG_TOP/tests/vm/stress.sh" "$PORTREG_TOP/tests/vm/faults.sh" "$PORTREG_TOP/tests/vm/security.sh" \
	"$PORTREG_TOP/tests/vm/tenants.sh" "$PORTREG_TOP/tests/vm/memory.sh" \
	"$PORTREG_TOP/tests/vm/owners.sh" "$PORTREG_TOP/tests/vm/containers.sh" "$root/"
mkdir -p "$root/golden"
python3 "$PORTREG_TOP/scripts/gen-registry.py" --data "$PORTREG_TOP/data" \
	--services "$root/golden/services" --protocols "$root/golden/protocols"
# Every well-known assignment in wireshark's copy of IANA's registry, read
# here with awk rather than the generator, as "name port/proto".
awk '!/^#/ && NF >= 2 {
	split($2, f, "/"); n = split(f[1], r, "-"); lo = r[1]; hi = n > 1 ? r[2] : r[1]
	for (p = lo; p <= hi && p < 1024; p++)
		for (i = 2; i in f; i++) print $1 " " p "/" f[i]
}' "$PORTREG_TOP/data/wireshark-services" >"$root/golden/iana-wellknown"
if [ "$mode" = memory ]; then
	build_module_for "$out/obj-wellknown" PORTREG_MAX_PORT=1023
	cp "$out/obj-wellknown/module/portreg.ko" "$root/portreg-wellknown.ko"
	python3 "$PORTREG_TOP/scripts/gen-registry.py" --data "$PORTREG_TOP/data" \
		--max-port 1023 --services "$out/wellknown-services"
	# The entries (name port/proto) the full build has and the well-known
	# one lacks, as add commands.
	awk 'FNR == NR { have[$1 " " $2] = 1; next }
	     !/^#/ && !(($1 " " $2) in have) { print "add " $0 }' \
		"$out/wellknown-services" "$root/golden/services" >"$root/golden/registered-adds"
fi
pack_initramfs "$root" "$out/initramfs.gz"

log=$out/console-$mode.log
# Multi-threaded TCG mishandles the kernel's live patching of a function
# other vCPUs are running: arming kprobes during a bind storm faults even
# with only the kernel's own kprobe tracer (run.sh stress with
# PORTREG_STRESS_CONTROL=1).  The stress run uses one host thread for both
# vCPUs, which still interleaves them; docs/testing.md has the numbers.
if [ "$mode" = stress ]; then
	export PORTREG_TCG_OPTS=${PORTREG_TCG_OPTS-,thread=single}
fi
# The run is cut off after this long.  KASAN and lockdep under TCG make
# everything several times slower; the full failslab sweep (stride 1)
# loads the module some 1,000 times.
if [ -z "${PORTREG_VM_TIMEOUT:-}" ]; then
	secs=${PORTREG_STRESS_SECS:-20}
	case $flavour/$mode in
	debug/stress) PORTREG_VM_TIMEOUT=$((2 * secs + 600)) ;;
	debug/kunit) PORTREG_VM_TIMEOUT=$(( ${PORTREG_FAULT_STRIDE:-1} == 1 ? 1800 : 900 )) ;;
	# The whole VM test with the tenant attacks takes 13 to 15 minutes
	# under KASAN and lockdep.
	debug/*) PORTREG_VM_TIMEOUT=1800 ;;
	*/stress) PORTREG_VM_TIMEOUT=$((secs + 300)) ;;
	*) PORTREG_VM_TIMEOUT=900 ;;
	esac
	export PORTREG_VM_TIMEOUT
fi
# The debug kernel's stress runs twice (tests/debug/stress-run.sh):
# "leaks" with kmemleak and without the file readers and the registry
# writer, "reads" with them and kmemleak=off.  With both, the RCU callbacks
# kmemleak queues for every free outrun the emulator (docs/testing.md).
extra=
case ${PORTREG_STRESS_VARIANT:-} in
'') ;;
leaks) extra=" prreaders=0" tag=$tag-leaks log=$out/console-stress-leaks.log ;;
reads) extra=" kmemleak=off" tag=$tag-reads log=$out/console-stress-reads.log ;;
*) die "PORTREG_STRESS_VARIANT=$PORTREG_STRESS_VARIANT: neither leaks nor reads" ;;
esac
# Multi-threaded TCG sometimes faults in the kernel's own boot-time code
# patching (an int3 "Oops" in the idle path, before init runs): a boot
# that dies before init is the kernel's and TCG's, and is tried once
# more.  Its log is kept beside the retry's.
for attempt in 1 2; do
	start=$(date +%s)
	qemu_boot "$kernel" "$out/initramfs.gz" "$log" "log_buf_len=4M prmode=$mode prtag=$tag prsecs=${PORTREG_STRESS_SECS:-20} prfstride=${PORTREG_FAULT_STRIDE:-1}${PORTREG_STRESS_CONTROL:+ prcontrol=1}$extra"
	log "VM ($rel, TCG) ran $(( $(date +%s) - start ))s, console log: $log"
	grep -aq 'portreg-vm: boot done' "$log" && break
	[ "$attempt" = 2 ] || { mv "$log" "$log.boot-failed"; log "the kernel died before init; booting once more (log kept: $log.boot-failed)"; }
done
tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$log.txt"

if [ "$mode" = memory ]; then
	sed -n 's/^.*portreg-mem: //p' "$log.txt"
	size "$out/obj/module/portreg.ko" "$out/obj-wellknown/module/portreg.ko"
	exit 0
fi
if [ "$mode" = demo ]; then
	sed -n '/portreg-vm: boot done/,/portreg-vm: dmesg begin/p' "$log.txt" |
		grep -v 'portreg-vm:'
	grep -q 'portreg-vm: done' "$log.txt" || die "the demo VM did not finish; see $log"
	exit 0
fi

grep -q 'portreg-vm: boot done' "$log.txt" || { echo "FAIL $tag boot reached init"; tail -n 30 "$log.txt" >&2; exit 0; }
# A kernel that found one CPU would test no race between CPUs, silently.
# Init prints the kernel log at its end: a run that stopped early has only
# the console's part of it.
dmesg_printed=
grep -q 'portreg-vm: dmesg end' "$log.txt" && dmesg_printed=1
# Without the log, the check cannot tell, and says so rather than blaming
# the CPUs.
if grep -Eq 'portreg-dmesg: (\[[ 0-9.]*\] )?smp: Brought up 1 node, 2 CPUs' "$log.txt"; then
	echo "PASS $tag kernel runs on both vCPUs"
elif [ -n "$dmesg_printed" ]; then
	echo "FAIL $tag kernel runs on both vCPUs"
else
	echo "FAIL $tag kernel runs on both vCPUs: unknown, the run stopped before init printed the kernel log"
fi
if [ "$mode" = kunit ]; then
	report_kunit "$log.txt" "$out" "$src" debug $PORTREG_KUNIT_SUITES
fi
sed -n "s/^.*portreg-vm: ok /PASS $tag /p; s/^.*portreg-vm: not ok /FAIL $tag /p" "$log.txt"
sed -n 's/^portreg-kmemleak: /  /p' "$log.txt" >&2
grep -o 'portreg-info: .*' "$log.txt" | sort -u >&2 || true

# The kernel log from insmod on must be clean.  Debian's kernel prints two
# expected lines for any unsigned out-of-tree module; nothing else may show.
# A run that ended before init's dump of dmesg has only what reached the
# console: a panic or an oops does, so that is what is checked then.
if [ -n "$dmesg_printed" ]; then
	sed -n 's/^portreg-dmesg: //p' "$log.txt" >"$out/dmesg.txt"
else
	sed -n '/portreg-vm: boot done/,$p' "$log.txt" >"$out/dmesg.txt"
fi
# Between faults.sh's markers, the kernel's own reports of the allocations
# that failed on purpose are expected: warn_alloc's stack (whose frames
# may name kmemleak) and kmemleak's fallback to a full scan.  Every real
# splat there still has its own header (BUG:, WARNING:, KASAN, lockdep's,
# ...), which stays.  kmemleak's own "N new suspected memory leaks" is
# judged by the init's check, which knows which reports are portreg's.
awk '/portreg-faults: begin/ { f = 1 } /portreg-faults: end/ { f = 0 }
     f && /^ *<TASK>/ { n++ }
     f && (/Call Trace:/ || /^ *<\/?TASK>/ || /^ (\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/ ||
	   /kmemleak: Cannot allocate a scan area/) { next }
     /kmemleak: [0-9]+ new suspected memory leaks/ { next }
     { print } END { if (n) print "portreg-faults: " n " expected allocation-failure reports" > "/dev/stderr" }' \
	"$out/dmesg.txt" >"$out/dmesg-checked.txt"
# grep -m1, not "| head": with pipefail, head's early exit is a SIGPIPE.
first=$(grep -n -m 1 'portreg' "$out/dmesg-checked.txt" | cut -d: -f1 || true)
check_no_splats "$tag kernel log clean after insmod" "$out/dmesg-checked.txt" "${first:-1}"
if [ "$mode" = test ]; then
	# The live module's Prometheus export, through promtool and the Python
	# client's parser.
	sed -n 's/^portreg-prom: //p' "$log.txt" >"$out/portreg.prom"
	if [ ! -s "$out/portreg.prom" ]; then
		echo "FAIL $tag export --prometheus passes promtool check metrics"
		echo "no portreg-prom lines in $log: the export never ran" >&2
	elif promtool check metrics <"$out/portreg.prom" >"$out/promtool.log" 2>&1; then
		echo "PASS $tag export --prometheus passes promtool check metrics"
	else
		echo "FAIL $tag export --prometheus passes promtool check metrics"; cat "$out/promtool.log" >&2
	fi
	prom="no export to parse"
	[ ! -s "$out/portreg.prom" ] || prom=$(/usr/bin/python3 - "$out/portreg.prom" <<'PY' 2>&1
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
ports = [(s.labels, s.value) for s in fams["portreg_port_sockets"].samples]
ok = ({"proto": "tcp", "family": "ipv6", "port": "18083", "service": ""}, 1.0) in ports
ok = ok and fams["portreg_binds"].samples[0].value > 0
ok = ok and [s.value for s in fams["portreg_tracking_active"].samples] == [1.0]
print("ok" if ok else ports)
PY
) || true
	[ "$prom" = ok ] && echo "PASS $tag export --prometheus parses, with the live claim on 18083" ||
		{ echo "FAIL $tag export --prometheus parses, with the live claim on 18083"; echo "$prom" >&2; }
fi
if grep -q 'portreg-vm: done' "$log.txt"; then
	echo "PASS $tag run reached its end"
else
	# Last on stderr, so that run-all.sh's tail of it shows where and why.
	echo "FAIL $tag run reached its end"
	echo "the VM stopped before its init finished (its limit: ${PORTREG_VM_TIMEOUT} s); the console's last lines:" >&2
	tail -n 20 "$log.txt" | sed 's/^/  /' >&2
fi
