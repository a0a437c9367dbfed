#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test VM: Debian's own 6.1 kernel under QEMU (TCG) with a busybox
# initramfs, portreg.ko built against the matching linux-headers, the
# static portreg tool and the prtest helper.
#
#   run.sh [test]   smoke test: one "PASS|FAIL name" line per check
#   run.sh demo     boot, show what portreg sees, print it
#   run.sh memory   measure the registry's memory, compiled in or loaded
#   run.sh stress   bind storms across reloads for $PORTREG_STRESS_SECS (20)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/splats.sh"

mode=${1:-test}
out=$PORTREG_TOP/build/vm
rel=$(debian_kernel_release)
kdir=/lib/modules/$rel/build
[ -d "$kdir" ] || die "$kdir: missing; install linux-headers-$rel (run .ci/install-deps)"
kernel=$(debian_vmlinuz "$rel")

build_module_copy "$kdir" "$out/obj"

root=$out/root
make_busybox_root "$root"
cp "$out/obj/module/portreg.ko" "$root/portreg.ko"
install_test_tools "$root"
cp "$PORTREG_TOP/tests/vm/init" "$PORTREG_TOP/tests/vm/demo.sh" "$PORTREG_TOP/tests/vm/binds.sh" "$PORTREG_TOP/tests/vm/tool.sh" \
	"$PORTREG_TOP/tests/vm/stress.sh" \
	"$PORTREG_TOP/tests/vm/memory.sh" "$root/"
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
	build_module_copy "$kdir" "$out/obj-wellknown" PORTREG_MAX_PORT=1023
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
start=$(date +%s)
qemu_boot "$kernel" "$out/initramfs.gz" "$log" "prmode=$mode prsecs=${PORTREG_STRESS_SECS:-20}${PORTREG_STRESS_CONTROL:+ prcontrol=1}"
log "VM ($rel, TCG) ran $(( $(date +%s) - start ))s, console log: $log"
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

grep -q 'portreg-vm: boot done' "$log.txt" || { echo "FAIL vm boot reached init"; tail -n 30 "$log.txt" >&2; exit 0; }
sed -n 's/^.*portreg-vm: ok /PASS vm /p; s/^.*portreg-vm: not ok /FAIL vm /p' "$log.txt"
grep -o 'portreg-info: .*' "$log.txt" | sort -u >&2 || true

# The kernel log from insmod on must be clean.  Debian's kernel prints two
# expected lines for any unsigned out-of-tree module; nothing else may show.
sed -n 's/^portreg-dmesg: //p' "$log.txt" >"$out/dmesg.txt"
first=$(grep -n 'portreg' "$out/dmesg.txt" | head -n 1 | cut -d: -f1)
check_no_splats "vm kernel log clean after insmod" "$out/dmesg.txt" "${first:-1}"
if [ "$mode" = test ]; then
	# The live module's Prometheus export, through promtool and the Python
	# client's parser.
	sed -n 's/^portreg-prom: //p' "$log.txt" >"$out/portreg.prom"
	if [ -s "$out/portreg.prom" ] && promtool check metrics <"$out/portreg.prom" >"$out/promtool.log" 2>&1; then
		echo "PASS vm export --prometheus passes promtool check metrics"
	else
		echo "FAIL vm export --prometheus passes promtool check metrics"; cat "$out/promtool.log" >&2
	fi
	prom=$(/usr/bin/python3 - "$out/portreg.prom" <<'PY' 2>&1
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
	[ "$prom" = ok ] && echo "PASS vm export --prometheus parses, with the live claim on 18083" ||
		{ echo "FAIL vm export --prometheus parses, with the live claim on 18083"; echo "$prom" >&2; }
fi
grep -q 'portreg-vm: done' "$log.txt" && echo "PASS vm run reached its end" ||
	echo "FAIL vm run reached its end"
