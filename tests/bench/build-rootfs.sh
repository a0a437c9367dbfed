#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once) the Debian root filesystem the benchmark VM boots, with
# bpftrace and libbpf-tools (bindsnoop) for the tracing anchors, perf for
# the profile, and Debian's own kernel package, whose
# install hooks make the matching initrd.  Prints the cache directory,
# which holds root.img (ext4), vmlinuz and initrd.img.
#
# The cache key is the kernel ABI plus the package list; debootstrap needs
# root and Debian's mirror, as apt-get does.  root.img boots with
# init=/sbin/portreg-bench-init, which mounts the second disk (the run's
# payload, made by run.sh) on /portreg and runs /portreg/init from it.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

rel=$(debian_kernel_release)
packages="bpftrace,libbpf-tools,linux-perf,linux-base,initramfs-tools,kmod,udev,procps"
boot_init='#!/bin/sh
mkdir -p /portreg
mount -t devtmpfs dev /dev 2>/dev/null
mount -t ext4 /dev/vdb /portreg && exec /portreg/init
echo "portreg-bench: error no payload disk"
exec /sbin/poweroff -f'
key=$rel-$(printf '%s\n%s' "$packages" "$boot_init" | sha256sum | cut -c1-12)
out=$PORTREG_CACHE/bench-rootfs/$key

if [ -f "$out/.portreg-complete" ]; then
	printf '%s\n' "$out"
	exit 0
fi
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 is not installed (e2fsprogs)"

log "building the Debian bench root in $out (a few minutes, once)"
debootstrap_root "$out" "$packages"
# The kernel comes from bookworm-security, which debootstrap cannot reach;
# its package is the one the VM tests fetch, installed with its hooks.
deb=$(ls "$PORTREG_CACHE/debian-kernel/$rel"/deb/linux-image-*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	mkdir -p "$out/deb" && chmod 1777 "$out/deb"
	(cd "$out/deb" && apt-get download "linux-image-$rel" >"$out/download.log" 2>&1) ||
		die "apt-get download linux-image-$rel failed"
	deb=$(ls "$out"/deb/linux-image-*.deb)
fi
install_root_kernel "$out" "$rel" "$deb"
# No apt caches or docs in the image: they only slow mkfs down.
rm -rf "$out/root/var/cache/apt/archives/"*.deb "$out/root/usr/share/doc" "$out/root/usr/share/man"
rm -rf "$out/deb"
echo 'portreg-bench' >"$out/root/etc/hostname"
printf '%s\n' "$boot_init" >"$out/root/sbin/portreg-bench-init"
chmod 0755 "$out/root/sbin/portreg-bench-init"
mkdir -p "$out/root/portreg"
# The image is used read-only (QEMU's snapshot=on): one build serves all runs.
if ! mkfs.ext4 -q -F -L portreg-bench -d "$out/root" "$out/root.img" 3G >"$out/mkfs.log" 2>&1; then
	cat "$out/mkfs.log" >&2
	die "mkfs.ext4 of the bench root failed"
fi
touch "$out/.portreg-complete"
find "$PORTREG_CACHE/bench-rootfs" -mindepth 1 -maxdepth 1 -type d ! -path "$out" \
	-exec rm -rf {} +
printf '%s\n' "$out"
