#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once) the Debian 12 root the package install test boots
# (tests/package/vm-install.sh): systemd as init, DKMS with a compiler and
# python3, Debian's 6.1 kernel and its headers, installed with their hooks
# (so the initrd is Debian's own).  Downloads, for the test to install
# later from local files, Debian 12's 6.12 kernel and headers.  Prints the
# cache directory: root.img (ext4), vmlinuz, initrd.img and debs-6.12/.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/kernels.sh"

rel=$(debian_kernel_release)
rel612=$(debian_612_release)
# No netbase: the boot unit must cope without /etc/services.  dwarves:
# 6.12's kbuild needs pahole, and the VM has no network to fetch it.
packages="systemd-sysv,udev,kmod,dkms,make,gcc,libc6-dev,python3,initramfs-tools,linux-base,procps,iproute2,dwarves"
series=${rel%.0-*}	# 6.1
abi=${rel%-amd64}	# 6.1.0-57
kernel_debs="linux-image-$rel linux-headers-$rel linux-headers-$abi-common linux-kbuild-$series linux-compiler-gcc-12-x86"
debs612="linux-image-$rel612 linux-headers-$rel612 linux-headers-${rel612%-amd64}-common linux-kbuild-${rel612%-amd64}"
# The test's own unit runs the guest script from the payload disk, once
# the boot is done (not After=multi-user.target, which wants it: a cycle).
test_unit='[Unit]
Description=portreg package install test (tests/package/vm-install.sh)
After=systemd-modules-load.service portreg-sync.service local-fs.target
ConditionPathExists=/dev/vdb

[Service]
Type=oneshot
ExecStart=/bin/sh -c "mount -o ro /dev/vdb /payload && exec /bin/sh /payload/guest.sh"
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0

[Install]
WantedBy=multi-user.target'
key=$rel-$rel612-$(printf '%s\n%s\n%s\n' "$packages" "$kernel_debs" "$test_unit" | sha256sum | cut -c1-12)
out=$PORTREG_CACHE/install-root/$key

if [ -f "$out/.portreg-complete" ]; then
	printf '%s\n' "$out"
	exit 0
fi
log "building the Debian root of the package install test in $out (a few minutes, once)"
debootstrap_root "$out" "$packages"
# The kernels come from bookworm-security, which debootstrap cannot reach.
fetch() { # DIR PACKAGE...
	local dir=$1
	shift
	mkdir -p "$dir" && chmod 1777 "$dir"
	(cd "$dir" && apt-get download "$@" >"$dir/download.log" 2>&1) ||
		{ cat "$dir/download.log" >&2; die "apt-get download $* failed"; }
}
# shellcheck disable=SC2086 # lists of package names
fetch "$out/debs-$rel" $kernel_debs
install_root_kernel "$out" "$rel" "$out/debs-$rel"/*.deb
rm -rf "$out/debs-$rel"
# shellcheck disable=SC2086
fetch "$out/debs-6.12" $debs612
rm -f "$out/debs-6.12/download.log"
# The VM installs them offline: the root must already have all they need.
cp -r "$out/debs-6.12" "$out/root/tmp/"
plan=$(chroot "$out/root" sh -c 'apt-get -s install --no-install-recommends /tmp/debs-6.12/*.deb' 2>&1 |
	sed -n 's/^Inst \([^ ]*\) .*/\1/p')
rm -rf "$out/root/tmp/debs-6.12"
printf '%s\n' "$plan" | grep -q "^linux-image-$rel612\$" ||
	die "apt cannot plan the install of the 6.12 packages in the root: $plan"
extra=$(printf '%s\n' "$plan" | grep -v '^linux-' || true)
[ -z "$extra" ] || die "the 6.12 packages need what the root lacks: $extra (add it to packages)"
rm -rf "$out/root/var/cache/apt/archives/"*.deb
echo 'portreg-install' >"$out/root/etc/hostname"
mkdir -p "$out/root/payload"
printf '%s\n' "$test_unit" >"$out/root/etc/systemd/system/portreg-vmtest.service"
ln -sf /etc/systemd/system/portreg-vmtest.service \
	"$out/root/etc/systemd/system/multi-user.target.wants/portreg-vmtest.service"
# No login prompt on the console the test writes to.
ln -sf /dev/null "$out/root/etc/systemd/system/serial-getty@ttyS0.service"
if ! mkfs.ext4 -q -F -L portreg-install -d "$out/root" "$out/root.img" 4G >"$out/mkfs.log" 2>&1; then
	cat "$out/mkfs.log" >&2
	die "mkfs.ext4 of the install root failed"
fi
touch "$out/.portreg-complete"
find "$PORTREG_CACHE/install-root" -mindepth 1 -maxdepth 1 -type d ! -path "$out" \
	-exec rm -rf {} + 2>/dev/null || true
printf '%s\n' "$out"
