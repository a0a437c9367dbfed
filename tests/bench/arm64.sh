#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bind overhead on arm64, where 6.1's kprobes are BRK traps (arm64 has
# no kprobes on ftrace): Debian 12's arm64 kernel under qemu-system-aarch64,
# its clock counting instructions (-icount shift=0, as the x86_64 counting
# VM of run.sh), with a busybox initramfs whose init is tests/bench/init
# itself.  Only the side-by-side rounds run: nothing hooked, portreg's
# floor, the kernel's own kprobe tracer and portreg (the root has neither
# bindsnoop nor bpftrace nor perf).
#
#   arm64.sh CONSOLE_TXT   writes the cleaned console there
#
# BENCH_LOOP and BENCH_ARM64_ROUNDS (10) as in run.sh.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

[ $# = 1 ] || die "usage: arm64.sh CONSOLE_TXT"
txt=$1
out=$PORTREG_TOP/build/bench-arm64
vm_kernel 6.1-arm64
build_module_for "$out/obj"
build_module_for "$out/obj-floor" PORTREG_HOOK_FLOOR=1
root=$out/root
make_busybox_root "$root" arm64
# The init's own layout: the payload in /portreg, its tools in
# /portreg/bin, its shell /portreg/bin/sh.
mkdir -p "$root/portreg/bin"
ln -s /bin/busybox "$root/portreg/bin/sh"
cp "$out/obj/module/portreg.ko" "$PORTREG_TOP/tests/bench/init" "$root/portreg/"
cp "$out/obj-floor/module/portreg.ko" "$root/portreg/portreg-floor.ko"
ln -s /portreg/init "$root/init"
"$(cc_for arm64)" -O2 -Wall -Wextra -Werror -static -pthread -o "$root/portreg/bin/bindbench" \
	"$PORTREG_TOP/tests/bench/bindbench.c" || die "bindbench build for arm64 failed"
pack_initramfs "$root" "$out/initramfs.gz"

log=$out/console.log
args="prloop=${BENCH_LOOP:-1500} prrounds=0 prbt=0 prscale=0 prdecomp=${BENCH_ARM64_ROUNDS:-10} prprofile=0 prcapture=0"
log "arm64 benchmark VM ($VM_RELEASE, TCG -icount shift=0, 1 vCPU, busybox initramfs): $args"
start=$(date +%s)
# One vCPU, as on x86_64, so the two counting VMs compare alike.
QEMU_ARCH=arm64 PORTREG_VM_SMP=1 PORTREG_TCG_OPTS=,thread=single \
	PORTREG_QEMU_OPTS="-icount shift=0,sleep=on" PORTREG_VM_TIMEOUT=${BENCH_TIMEOUT:-3600} \
	qemu_boot "$VM_IMAGE" "$out/initramfs.gz" "$log" "$args"
log "arm64 benchmark VM ran $(( $(date +%s) - start ))s, console log: $log"
tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$txt"
grep -q 'portreg-bench: end' "$txt" || { tail -n 30 "$txt" >&2; die "the arm64 benchmark VM did not finish; see $log"; }
