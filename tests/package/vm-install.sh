#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages installed for real: Debian 12's 6.1 kernel boots a
# Debian root with systemd as init (tests/package/build-install-root.sh),
# whose portreg-vmtest.service runs tests/package/vm-install-guest.sh from
# a payload disk, one phase per boot:
#
#   1. apt install the previous version (this tree labelled one version
#      lower, packaging/build-deb.sh), then this one: DKMS builds each for
#      the running kernel, the upgrade drops the old, keeps an edited
#      conffile; reboot
#   2. the boot loaded the module and ran portreg-sync.service, and
#      "portreg who" names a real daemon; Debian's 6.12 kernel installed
#      from its packages gets a module too; reboot
#   3. apt purge leaves nothing; an install that cannot build for a
#      kernel (its headers gone) says why and leaves the rest working
#
# DKMS compiles the module four times under TCG, so this runs in
# "make matrix", not in "make test" (docs/testing.md).  Prints one
# "PASS|FAIL name" line per test.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/kernels.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

out=$PORTREG_TOP/build/package-vm
rm -rf "$out" && mkdir -p "$out"
root=$("$PORTREG_TOP/tests/package/build-install-root.sh") || die "no install root"
version=$(sed -n 's/^#define PORTREG_VERSION\t"\(.*\)"/\1/p' "$PORTREG_TOP/module/version.h")
# One lower in its last number (0.2.0: 0.1.99).
old=$(echo "$version" | awk -F. '{ if ($3 > 0) print $1 "." $2 "." $3 - 1; else print $1 "." $2 - 1 ".99" }')

payload=$out/payload
mkdir -p "$payload/old"
"$PORTREG_TOP/packaging/build-deb.sh" >"$out/deb.log" 2>&1 ||
	{ tail -n 20 "$out/deb.log" >&2; die "make deb failed"; }
"$PORTREG_TOP/packaging/build-deb.sh" "$old" "$out/old-deb" >"$out/old-deb.log" 2>&1 ||
	{ tail -n 20 "$out/old-deb.log" >&2; die "building the $old packages failed"; }
cp "$PORTREG_TOP"/build/deb/portreg-dkms_*.deb "$PORTREG_TOP"/build/deb/portreg_*.deb "$payload/"
cp "$out"/old-deb/portreg-dkms_*.deb "$out"/old-deb/portreg_*.deb "$payload/old/"
cp -r "$root/debs-6.12" "$payload/"
cp "$PORTREG_TOP/tests/package/vm-install-guest.sh" "$payload/guest.sh"
echo "$version" >"$payload/version"
echo "$old" >"$payload/old-version"
debian_612_release >"$payload/rel612"
mkfs.ext4 -q -F -L portreg-payload -d "$payload" "$out/payload.img" 512M ||
	die "mkfs.ext4 of the payload failed"
# The root changes from boot to boot: a copy of the cached one.
cp --sparse=always "$root/root.img" "$out/root.img"

boot=0
: >"$out/console.txt"
while [ $boot -lt 3 ]; do
	boot=$((boot + 1))
	log "boot $boot of the install root (TCG, 2 vCPUs): console in $out/boot$boot.log"
	start=$(date +%s)
	timeout "${PORTREG_INSTALL_TIMEOUT:-3600}" qemu-system-x86_64 -accel tcg -cpu max -smp 2 \
		-m 2048 -nic none -nographic -no-reboot -kernel "$root/vmlinuz" -initrd "$root/initrd.img" \
		-drive "file=$out/root.img,format=raw,if=virtio" \
		-drive "file=$out/payload.img,format=raw,if=virtio,snapshot=on" \
		-append "console=ttyS0 panic=-1 loglevel=4 root=/dev/vda rw systemd.show_status=0" \
		</dev/null >"$out/boot$boot.log" 2>&1
	log "boot $boot ran $(( $(date +%s) - start ))s"
	tr -d '\r' <"$out/boot$boot.log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
		grep 'portreg-vm: ' >>"$out/console.txt"
	grep -q 'portreg-vm: done' "$out/console.txt" && break
	grep -q "portreg-vm: phase $boot done" "$out/console.txt" || break
done
sed -n 's/^.*portreg-vm: ok \(.*\)$/PASS pkg-vm \1/p; s/^.*portreg-vm: not ok \(.*\)$/FAIL pkg-vm \1/p' \
	"$out/console.txt"
if grep -q 'portreg-vm: done' "$out/console.txt"; then
	pass "pkg-vm the install test ran to its end ($boot boots)"
else
	fail "pkg-vm the install test ran to its end: it stopped in boot $boot ($out/boot$boot.log)"
	tail -n 30 "$out/boot$boot.log" >&2
fi
