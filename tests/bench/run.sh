#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boots Debian's 6.1 kernel under QEMU (TCG) with Debian's
# initrd and the Debian root of build-rootfs.sh (bpftrace and libbpf-tools'
# bindsnoop included), runs tests/bench/init there, twice, and hands both
# consoles to report.py, which prints the tables, writes docs/benchmarks.md
# and ends with the lines "bindsnoop overhead ratio: B", "connect overhead
# ratio: C" and "bind overhead ratio: R".
#
# The first VM counts: QEMU's -icount makes the guest's clock the number of
# instructions it has executed (one per nanosecond), so a bind's "time" is
# its instruction count and the host's noise, which spread wall-clock TCG
# timings by 40% here, does not reach it.  Every ratio, the profile, the
# scaling and the reads are measured there.  -icount would not bring up a
# second vCPU (the boot stops at "Booting SMP configuration"), so that VM
# has one.  The second VM keeps the wall clock and two vCPUs, for what
# needs real concurrency and real time: the capture rates, and the overhead
# rounds again as a cross-check in TCG time.
#
# BENCH_LOOP binds per variant and run (default 1500), BENCH_ROUNDS
# rounds of the overhead comparison (30), BENCH_TIMED_ROUNDS rounds of it in
# the wall-clock VM (10), BENCH_BT_ROUNDS rounds against
# bpftrace (2), BENCH_SCALE_ROUNDS rounds per claims-table size (8),
# BENCH_DECOMP_ROUNDS rounds side by side of the floor, the kernel's own
# kprobe tracer, bindsnoop and portreg (10), BENCH_ARM64_ROUNDS the same
# on arm64 (tests/bench/arm64.sh; 10, 0 skips it),
# BENCH_BT_WAIT seconds bpftrace may take to attach (240), BENCH_CAPTURE=0
# skips the capture runs.
# BENCH_BASELINE=REV adds portreg as of git revision REV to the
# side-by-side rounds, so that a change is measured against what it
# replaces in the same run.
# BENCH_DOC is where the report goes (docs/benchmarks.md).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

out=$PORTREG_TOP/build/bench
rel=$(debian_kernel_release)
kdir=/lib/modules/$rel/build
[ -d "$kdir" ] || die "$kdir: missing; install linux-headers-$rel (run .ci/install-deps)"
rootfs=$("$PORTREG_TOP/tests/bench/build-rootfs.sh")

build_module_copy "$kdir" "$out/obj"
build_module_copy "$kdir" "$out/obj-floor" PORTREG_HOOK_FLOOR=1
payload=$out/payload
rm -rf "$payload"
mkdir -p "$payload/bin"
cp "$out/obj-floor/module/portreg.ko" "$payload/portreg-floor.ko"
if [ -n "${BENCH_BASELINE:-}" ]; then
	rev=$(git -C "$PORTREG_TOP" rev-parse --short "$BENCH_BASELINE^{commit}") ||
		die "BENCH_BASELINE=$BENCH_BASELINE: no such revision"
	rm -rf "$out/baseline-src"
	mkdir -p "$out/baseline-src"
	git -C "$PORTREG_TOP" archive "$rev" Kbuild module data scripts |
		tar -x -C "$out/baseline-src" || die "git archive $rev failed"
	PORTREG_TOP=$out/baseline-src build_module_copy "$kdir" "$out/obj-baseline"
	cp "$out/obj-baseline/module/portreg.ko" "$payload/portreg-baseline.ko"
	echo "$rev" >"$payload/baseline-rev"
fi
cp "$out/obj/module/portreg.ko" "$PORTREG_TOP/tests/bench/init" \
	"$PORTREG_TOP/tests/bench/bindsnoop.bt" "$payload/"
make -s -C "$PORTREG_TOP/userspace" portreg-static >"$out/tool-build.log" 2>&1 ||
	{ cat "$out/tool-build.log" >&2; die "static portreg build failed"; }
cp "$PORTREG_TOP/userspace/portreg-static" "$payload/bin/portreg"
gcc -O2 -Wall -Wextra -Werror -static -pthread -o "$payload/bin/bindbench" \
	"$PORTREG_TOP/tests/bench/bindbench.c" || die "bindbench build failed"
cp "$(command -v busybox)" "$payload/bin/busybox"
for applet in sh ip insmod rmmod sed grep wc sleep kill cat tr head poweroff mount nproc uname; do
	ln -s busybox "$payload/bin/$applet"
done
rm -f "$out/payload.img"
mkfs.ext4 -q -F -L portreg-payload -d "$payload" "$out/payload.img" 64M ||
	die "mkfs.ext4 of the bench payload failed"

# boot_bench_vm NAME SMP CPU "QEMU CLOCK OPTIONS" "INIT ARGUMENTS": the
# console, without carriage returns and colour codes, in $out/NAME.txt.
boot_bench_vm() {
	local name=$1 smp=$2 cpu=$3 clock=$4 args=$5 start
	log "benchmark VM $name ($rel, TCG $clock, $smp vCPU $cpu, Debian initrd and root): $args"
	start=$(date +%s)
	# One host thread for both vCPUs: multi-threaded TCG mishandles live
	# patching of code another vCPU is running, and arming or disarming
	# the kprobes here (portreg's, the kernel tracer's, bpftrace's) while
	# an RCU callback frees a socket sent a vCPU to address 0
	# (docs/testing.md).
	# shellcheck disable=SC2086 # $clock is a list of options
	timeout "${BENCH_TIMEOUT:-3600}" qemu-system-x86_64 -accel tcg,thread=single $clock \
		-cpu "$cpu" -smp "$smp" -m 2048 -nic none \
		-nographic -no-reboot -kernel "$rootfs/vmlinuz" -initrd "$rootfs/initrd.img" \
		-drive "file=$rootfs/root.img,format=raw,if=virtio,snapshot=on" \
		-drive "file=$out/payload.img,format=raw,if=virtio,snapshot=on" \
		-append "console=ttyS0 panic=-1 loglevel=4 root=/dev/vda rw init=/sbin/portreg-bench-init $args" \
		</dev/null >"$out/$name.log" 2>&1 || true
	log "benchmark VM $name ran $(( $(date +%s) - start ))s, console log: $out/$name.log"
	tr -d '\r' <"$out/$name.log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$out/$name.txt"
	grep -q 'portreg-bench: end' "$out/$name.txt" ||
		{ tail -n 30 "$out/$name.txt" >&2; die "the benchmark VM $name did not finish; see $out/$name.log"; }
}

vm_args="prloop=${BENCH_LOOP:-1500} prbtwait=${BENCH_BT_WAIT:-240}"
# QEMU counts every repetition of a string instruction, so a memset() by
# "rep stosb" would count one instruction per byte, where a CPU stores 16
# or more per cycle: without ERMS and FSRM the kernel's memset and memcpy
# move eight bytes per instruction, nearer what they cost.
boot_bench_vm counted 1 max,erms=off,fsrm=off "-icount shift=0,sleep=on" \
	"$vm_args prrounds=${BENCH_ROUNDS:-30} prbt=${BENCH_BT_ROUNDS:-2} prscale=${BENCH_SCALE_ROUNDS:-8} prdecomp=${BENCH_DECOMP_ROUNDS:-10} prprofile=1 prcapture=0"
boot_bench_vm timed 2 max "" \
	"$vm_args prrounds=${BENCH_TIMED_ROUNDS:-10} prbt=0 prscale=0 prdecomp=0 prprofile=0 prcapture=${BENCH_CAPTURE:-1}"
arm64=()
if [ "${BENCH_ARM64_ROUNDS:-10}" != 0 ]; then
	"$PORTREG_TOP/tests/bench/arm64.sh" "$out/arm64.txt"
	arm64=("$out/arm64.txt")
fi
python3 "$PORTREG_TOP/tests/bench/report.py" "$out/counted.txt" "$out/timed.txt" \
	"$out/obj/module/portreg.ko" "${BENCH_DOC:-$PORTREG_TOP/docs/benchmarks.md}" "${arm64[@]}"
