# SPDX-License-Identifier: GPL-2.0
# Shared helpers for portreg's test and demo scripts: where the caches live,
# where Debian's kernel source and headers are, and how to log.

PORTREG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PORTREG_CACHE=${PORTREG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portreg}
LINUX_SOURCE_TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# Debian package version of linux-source-6.1, part of every cache key so that
# a point release of the source never reuses an older build.
linux_source_version() {
	dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null ||
		die "linux-source-6.1 is not installed (run .ci/install-deps)"
}

# Unpacks Debian's kernel source once per package version and prints its path.
linux_source_tree() {
	local ver dir tmp
	ver=$(linux_source_version)
	dir=$PORTREG_CACHE/src/linux-source-6.1_$ver
	if [ ! -f "$dir/.portreg-complete" ]; then
		[ -r "$LINUX_SOURCE_TARBALL" ] || die "$LINUX_SOURCE_TARBALL: not readable"
		log "unpacking $LINUX_SOURCE_TARBALL into $dir"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -C "$dir.tmp" --strip-components=1 -xf "$LINUX_SOURCE_TARBALL" ||
			die "$LINUX_SOURCE_TARBALL: unpack failed"
		touch "$dir.tmp/.portreg-complete"
		mv "$dir.tmp" "$dir"
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
# arguments follow.  KVM guests hang on this machine, so TCG it is.  The
# run is cut off after PORTREG_VM_TIMEOUT seconds (default 300).
qemu_boot() {
	local kernel=$1 initrd=$2 log=$3
	shift 3
	timeout "${PORTREG_VM_TIMEOUT:-300}" qemu-system-x86_64 -accel tcg${PORTREG_TCG_OPTS:-} -cpu max -smp 2 -m 1024 -nic none \
		-nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=4 $*" </dev/null >"$log" 2>&1 || true
}

# Packs directory $1 into the gzipped newc cpio $2.
pack_initramfs() {
	(cd "$1" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$2"
}

# Copies the module sources to $2 and builds them there with "make -C $1 $3...",
# so builds for different kernels never share object files.
build_module_copy() {
	local kdir=$1 out=$2
	shift 2
	mkdir -p "$out"
	rm -rf "$out/module" "$out/data" "$out/scripts"
	cp -r "$PORTREG_TOP/Kbuild" "$PORTREG_TOP/module" "$PORTREG_TOP/data" \
		"$PORTREG_TOP/scripts" "$out/"
	if ! make -C "$kdir" "$@" M="$out" modules >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		die "module build against $kdir failed"
	fi
}

# A busybox-static root with every applet linked, in directory $1.
make_busybox_root() {
	local root=$1 applet
	command -v busybox >/dev/null || die "busybox-static is not installed"
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,lib/modules}
	cp "$(command -v busybox)" "$root/bin/busybox"
	for applet in $("$root/bin/busybox" --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	# No fallback init: if /init cannot run, the kernel must panic and the
	# run end at once instead of idling at a console until the timeout.
	rm -f "$root/bin/init" "$root/bin/linuxrc"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# Puts the statically linked portreg tool and the prtest helper into the
# bin/ of test root $1: both VMs run them, and neither has a libc.
install_test_tools() {
	local bin=$1/bin
	make -s -C "$PORTREG_TOP/userspace" portreg-static >"$1/../tool-build.log" 2>&1 ||
		{ cat "$1/../tool-build.log" >&2; die "static portreg build failed"; }
	cp "$PORTREG_TOP/userspace/portreg-static" "$bin/portreg"
	gcc -O2 -Wall -Wextra -Werror -static -o "$bin/prtest" "$PORTREG_TOP/tests/vm/prtest.c" ||
		die "prtest build failed"
	gcc -O2 -Wall -Wextra -Werror -static -o "$bin/bindtest" "$PORTREG_TOP/tests/vm/bindtest.c" ||
		die "bindtest build failed"
	gcc -O2 -Wall -Wextra -Werror -static -pthread -o "$bin/stress" "$PORTREG_TOP/tests/vm/stress.c" ||
		die "stress build failed"
}
