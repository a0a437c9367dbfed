# SPDX-License-Identifier: GPL-2.0
# Shared helpers for portreg's test and demo scripts: where the caches live,
# where Debian's kernel source and headers are, and how to log.

PORTREG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PORTREG_CACHE=${PORTREG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portreg}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# The kernel series whose sources the KUnit suites run on (UML), and the
# default one (the debug kernel's, the lint's checkpatch).
PORTREG_SOURCE_SERIES="6.1 6.12 7.3"

# Debian package version of linux-source-$1 (6.1 by default), part of
# every cache key so that a point release of the source never reuses an
# older build.  6.1 and 6.12 are Debian 12's own packages; 7.3 comes from
# trixie-backports (tests/lib/foreign.sh).
linux_source_version() {
	local series=${1:-6.1}
	case $series in
	7.3) foreign_version trixie linux-source-7.3 ;;
	*) dpkg-query -W -f '${Version}' "linux-source-$series" 2>/dev/null ||
		die "linux-source-$series is not installed (run .ci/install-deps)" ;;
	esac
}

linux_source_tarball() {
	local series=${1:-6.1}
	case $series in
	7.3) printf '%s\n' "$(foreign_unpack trixie linux-source-7.3)/usr/src/linux-source-7.3.tar.xz" ;;
	*) printf '%s\n' "/usr/src/linux-source-$series.tar.xz" ;;
	esac
}

# Unpacks Debian's kernel source of series $1 once per package version
# and prints its path.
linux_source_tree() {
	local series=${1:-6.1} ver dir tarball
	ver=$(linux_source_version "$series")
	dir=$PORTREG_CACHE/src/linux-source-${series}_$ver
	if [ ! -f "$dir/.portreg-complete" ]; then
		tarball=$(linux_source_tarball "$series")
		[ -r "$tarball" ] || die "$tarball: not readable"
		log "unpacking $tarball into $dir"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -C "$dir.tmp" --strip-components=1 -xf "$tarball" ||
			die "$tarball: unpack failed"
		touch "$dir.tmp/.portreg-complete"
		mv "$dir.tmp" "$dir"
		# Older versions of the same series are dead weight.
		find "$PORTREG_CACHE/src" -mindepth 1 -maxdepth 1 -type d \
			-name "linux-source-${series}_*" ! -path "$dir" -exec rm -rf {} +
	fi
	printf '%s\n' "$dir"
}

# ABI version of Debian's current amd64 kernel, e.g. 6.1.0-56-amd64, read
# from linux-headers-amd64 so that image and headers always match.
debian_kernel_release() {
	local hdr
	hdr=$(dpkg-query -W -f '${Depends}' linux-headers-amd64 2>/dev/null |
		grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -n 1)
	[ -n "$hdr" ] || die "linux-headers-amd64 is not installed (run .ci/install-deps)"
	printf '%s\n' "${hdr#linux-headers-}"
}

# A Debian 12 minbase root with the comma-separated packages $2, in $1/root,
# made once: a finished debootstrap is marked, and kept should a later step
# of the caller fail.  Needs root and Debian's mirror, as apt-get does.
debootstrap_root() {
	local out=$1 packages=$2 mirror
	[ -f "$out/.debootstrap-complete" ] && return 0
	command -v debootstrap >/dev/null || die "debootstrap is not installed (run .ci/install-deps)"
	[ "$(id -u)" = 0 ] || die "debootstrap needs root"
	rm -rf "$out"
	mkdir -p "$out"
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
	mirror=${mirror:-http://deb.debian.org/debian}
	if ! debootstrap --variant=minbase --include="$packages" bookworm "$out/root" "$mirror" \
		>"$out/debootstrap.log" 2>&1; then
		tail -n 20 "$out/debootstrap.log" >&2
		die "debootstrap failed, full log: $out/debootstrap.log"
	fi
	touch "$out/.debootstrap-complete"
}

# Installs the kernel packages $3... into debootstrap_root's root under $1
# with dpkg, so that their hooks run and the initrd is Debian's own, and
# copies release $2's vmlinuz and initrd.img to $1.
install_root_kernel() {
	local out=$1 rel=$2
	shift 2
	rm -rf "$out/root/tmp/kernel"
	mkdir -p "$out/root/tmp/kernel"
	cp "$@" "$out/root/tmp/kernel/" || die "copying the $rel kernel packages into $out/root failed"
	if ! chroot "$out/root" sh -c 'dpkg -i /tmp/kernel/*.deb' >"$out/kernel-install.log" 2>&1; then
		tail -n 20 "$out/kernel-install.log" >&2
		die "installing the $rel kernel packages into $out/root failed"
	fi
	rm -rf "$out/root/tmp/kernel"
	[ -r "$out/root/boot/initrd.img-$rel" ] ||
		die "$out/root/boot/initrd.img-$rel: the kernel package made no initrd"
	if ! cp "$out/root/boot/vmlinuz-$rel" "$out/vmlinuz" ||
		! cp "$out/root/boot/initrd.img-$rel" "$out/initrd.img"; then
		die "copying the $rel kernel out of $out/root failed"
	fi
}

# Path of the vmlinuz for release $1: the installed one, or one unpacked
# into the cache from the package without running its install hooks.
debian_vmlinuz() {
	local rel=$1 dir=$PORTREG_CACHE/debian-kernel/$1
	if [ -r "/boot/vmlinuz-$rel" ]; then
		printf '%s\n' "/boot/vmlinuz-$rel"
		return
	fi
	if [ ! -r "$dir/boot/vmlinuz-$rel" ]; then
		log "fetching linux-image-$rel into $dir"
		mkdir -p "$dir/deb" && chmod 1777 "$dir/deb"
		(cd "$dir/deb" && apt-get download "linux-image-$rel" >/dev/null) ||
			die "apt-get download linux-image-$rel failed"
		dpkg-deb -x "$dir"/deb/linux-image-*.deb "$dir" ||
			die "unpacking linux-image-$rel failed"
	fi
	printf '%s\n' "$dir/boot/vmlinuz-$rel"
}

# Boots $1 (kernel) with initramfs $2 under TCG, console to $3; extra kernel
# arguments follow.  KVM guests hang on this machine, so TCG it is, for
# x86_64 and, with QEMU_ARCH=arm64, for arm64 (QEMU's virt machine).  The
# run is cut off after PORTREG_VM_TIMEOUT seconds (default 300).  The VM
# has PORTREG_VM_SMP vCPUs (2); PORTREG_QEMU_OPTS adds QEMU options.
qemu_boot() {
	local kernel=$1 initrd=$2 log=$3
	shift 3
	case ${QEMU_ARCH:-x86_64} in
	arm64)
		# shellcheck disable=SC2086 # PORTREG_QEMU_OPTS is a list of options
		timeout "${PORTREG_VM_TIMEOUT:-300}" qemu-system-aarch64 -M virt -accel tcg${PORTREG_TCG_OPTS:-} \
			${PORTREG_QEMU_OPTS:-} -cpu max -smp "${PORTREG_VM_SMP:-2}" -m 1024 -nic none -nographic -no-reboot \
			-kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyAMA0 panic=-1 loglevel=${PORTREG_VM_LOGLEVEL:-4} $*" </dev/null >"$log" 2>&1 || true ;;
	*)
		# shellcheck disable=SC2086 # PORTREG_QEMU_OPTS is a list of options
		timeout "${PORTREG_VM_TIMEOUT:-300}" qemu-system-x86_64 -accel tcg${PORTREG_TCG_OPTS:-} ${PORTREG_QEMU_OPTS:-} \
			-cpu max -smp "${PORTREG_VM_SMP:-2}" -m 1024 -nic none \
			-nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyS0 panic=-1 loglevel=${PORTREG_VM_LOGLEVEL:-4} $*" </dev/null >"$log" 2>&1 || true ;;
	esac
}

# Packs directory $1 into the gzipped newc cpio $2.
pack_initramfs() {
	(cd "$1" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$2"
}

# Copies the module sources (not the checkout's build products) to $1.
copy_module_sources() {
	mkdir -p "$1"
	rm -rf "$1/module" "$1/data" "$1/scripts"
	cp -r "$PORTREG_TOP/Kbuild" "$PORTREG_TOP/module" "$PORTREG_TOP/data" \
		"$PORTREG_TOP/scripts" "$1/"
	# A build in the checkout leaves objects that must not come along.
	find "$1/module" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name registry_data.c -o -name Module.symvers \
		-o -name modules.order \) -delete
}

# Copies the module sources to $2 and builds them there with "make -C $1 $3...",
# so builds for different kernels never share object files.
build_module_copy() {
	local kdir=$1 out=$2
	shift 2
	copy_module_sources "$out"
	if ! make -C "$kdir" "$@" M="$out" modules >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		die "module build against $kdir failed"
	fi
}

# The C compiler for architecture $1 (x86_64 or arm64).
cc_for() {
	case $1 in
	arm64) echo aarch64-linux-gnu-gcc ;;
	*) echo gcc ;;
	esac
}

# A busybox-static root with every applet linked, in directory $1, for
# architecture $2 (x86_64 by default; arm64's busybox comes from Debian's
# busybox-static:arm64, the same version as the host's).
make_busybox_root() {
	local root=$1 arch=${2:-x86_64} busybox applet
	busybox=$(command -v busybox) || die "busybox-static is not installed"
	[ "$arch" = x86_64 ] || busybox=$(foreign_unpack bookworm-arm64 busybox-static)/bin/busybox
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,lib/modules}
	cp "$busybox" "$root/bin/busybox"
	# The host's busybox lists the applets: the guest's may not run here.
	for applet in $(busybox --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	# No fallback init: if /init cannot run, the kernel must panic and the
	# run end at once instead of idling at a console until the timeout.
	rm -f "$root/bin/init" "$root/bin/linuxrc"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# Puts the statically linked portreg tool and the test helpers into the
# bin/ of test root $1, for architecture $2: the VMs have no libc.
install_test_tools() {
	local bin=$1/bin cc
	cc=$(cc_for "${2:-x86_64}")
	make -s -B -C "$PORTREG_TOP/userspace" CC="$cc" portreg-static >"$1/../tool-build.log" 2>&1 ||
		{ cat "$1/../tool-build.log" >&2; die "static portreg build failed"; }
	mv "$PORTREG_TOP/userspace/portreg-static" "$bin/portreg"
	"$cc" -O2 -Wall -Wextra -Werror -static -o "$bin/prtest" "$PORTREG_TOP/tests/vm/prtest.c" ||
		die "prtest build failed"
	"$cc" -O2 -Wall -Wextra -Werror -static -o "$bin/bindtest" "$PORTREG_TOP/tests/vm/bindtest.c" ||
		die "bindtest build failed"
	"$cc" -O2 -Wall -Wextra -Werror -static -pthread -o "$bin/stress" "$PORTREG_TOP/tests/vm/stress.c" ||
		die "stress build failed"
	"$cc" -O2 -Wall -Wextra -Werror -static -pthread -o "$bin/tenant" "$PORTREG_TOP/tests/vm/tenant.c" ||
		die "tenant build failed"
}

. "$PORTREG_TOP/tests/lib/foreign.sh"
. "$PORTREG_TOP/tests/lib/kernels.sh"
