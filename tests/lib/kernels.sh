# SPDX-License-Identifier: GPL-2.0
# The kernels portreg is tested on, and how to get each one's image and
# build the module for it.  Sourced after common.sh and foreign.sh.
#
#   6.1        Debian 12's kernel (linux-image-amd64), headers from
#              linux-headers-amd64, both Debian 12's own
#   6.12       Debian 12's 6.12 (linux-image-6.12-amd64 and
#              linux-headers-6.12-amd64 from bookworm-security)
#   7.3        trixie-backports' 7.3, image and headers unpacked into the
#              cache; its headers need trixie's glibc and gcc-14, so the
#              module is built in a trixie root (debootstrap) exactly as a
#              Debian 13 user would build it
#   6.1-arm64  Debian 12's arm64 kernel, image and headers unpacked into
#              the cache, the module cross-built with gcc-aarch64-linux-gnu
#
# vm_kernel NAME sets VM_TAG, VM_ARCH (x86_64 or arm64), VM_RELEASE (its
# uname -r), VM_IMAGE (what QEMU boots), VM_MODULES (its lib/modules
# directory, whence the VM takes the kernel's own modules it needs),
# VM_KDIR and VM_ROOT (the root VM_KDIR is in: empty for the host's own);
# build_module_for then builds portreg against it.

# The host's own architecture: their VM suites run in make test.  TCG
# emulating another architecture takes nearly twice as long, which a
# fresh machine's CI hour cannot spare; the arm64 suites run in make
# matrix.
PORTREG_VM_KERNELS_NATIVE="6.1 6.12 7.3"
PORTREG_VM_KERNELS_FOREIGN="6.1-arm64"
PORTREG_VM_KERNELS="$PORTREG_VM_KERNELS_NATIVE $PORTREG_VM_KERNELS_FOREIGN"

# The ABI of Debian 12's current 6.12 kernel, e.g. 6.12.117+deb12-amd64.
debian_612_release() {
	local hdr
	hdr=$(dpkg-query -W -f '${Depends}' linux-headers-6.12-amd64 2>/dev/null |
		grep -o 'linux-headers-6\.12\.[^ ,]*-amd64' | head -n 1)
	[ -n "$hdr" ] || die "linux-headers-6.12-amd64 is not installed (run .ci/install-deps)"
	printf '%s\n' "${hdr#linux-headers-}"
}

# The ABI of trixie-backports' newest 7.3 kernel, e.g. 7.3.4+deb13-amd64.
debian_73_release() {
	local img
	img=$(foreign_packages trixie '^linux-image-7\.3\.[0-9.]+\+deb13-amd64$' | tail -n 1)
	[ -n "$img" ] || die "trixie-backports has no linux-image-7.3.*-amd64"
	printf '%s\n' "${img#linux-image-}"
}

# A trixie root with gcc-14 and Debian's headers for release $1, built
# once per version of the compiler and of the headers.  Prints its path.
trixie_build_root() {
	local rel=$1 key dir pkgs common
	pkgs="linux-headers-$rel linux-headers-${rel%-amd64}-common linux-kbuild-${rel%-amd64}"
	key=$( { for p in gcc-14 libc6-dev sparse $pkgs; do foreign_version trixie "$p"; done
		echo with-checker-valid; } | sha256sum | cut -c1-12)
	dir=$PORTREG_CACHE/trixie-root/$key
	if [ ! -f "$dir/.portreg-complete" ]; then
		command -v debootstrap >/dev/null || die "debootstrap is not installed (run .ci/install-deps)"
		log "building a trixie root with gcc-14 in $dir (about a minute, once)"
		rm -rf "$dir"
		mkdir -p "$dir"
		debootstrap --variant=minbase \
			--include=gcc-14,make,libc6-dev,libelf1t64,libssl3t64,zlib1g,python3-minimal,pahole,sparse \
			trixie "$dir/root" "$PORTREG_MIRROR/debian" >"$dir/debootstrap.log" 2>&1 ||
			{ tail -n 20 "$dir/debootstrap.log" >&2; die "debootstrap of trixie failed"; }
		for p in $pkgs; do
			dpkg-deb -x "$(foreign_deb trixie "$p")" "$dir/root" || die "unpacking $p failed"
		done
		# Debian's headers leave out the script with which "make C=2"
		# checks that sparse is recent enough; it comes from the same
		# version's source, so that the check is the kernel's own.
		common=$dir/root/usr/src/linux-headers-${rel%-amd64}-common
		[ -e "$common/scripts/checker-valid.sh" ] ||
			install -m 0755 "$(linux_source_tree 7.3)/scripts/checker-valid.sh" "$common/scripts/"
		touch "$dir/.portreg-complete"
		find "$PORTREG_CACHE/trixie-root" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" \
			-exec rm -rf {} +
	fi
	printf '%s\n' "$dir/root"
}

# Debian 12's arm64 headers for release $1, unpacked into the cache.  Their
# scripts and tools are links into linux-kbuild-6.1, the host's own (the
# amd64 build tools), and their Makefile includes the -common headers the
# host already has, which must be of the same ABI.
arm64_headers() {
	local rel=$1 dir hdr link target
	[ -d "/usr/src/linux-headers-${rel%-arm64}-common" ] ||
		die "/usr/src/linux-headers-${rel%-arm64}-common: missing; the arm64 headers need the host's of the same ABI"
	dir=$(foreign_unpack bookworm-arm64 "linux-headers-$rel")
	hdr=$dir/usr/src/linux-headers-$rel
	# The links are relative to /usr/src, where the package would put them.
	for link in scripts tools; do
		target=$(readlink "$hdr/$link") || continue
		case $target in
		/*) ;;
		*) ln -sfn "$(realpath -m "/usr/src/linux-headers-$rel/$target")" "$hdr/$link" ;;
		esac
	done
	[ -x "$hdr/scripts/basic/fixdep" ] ||
		die "$hdr/scripts: not the host's linux-kbuild (install linux-headers-amd64)"
	printf '%s\n' "$hdr"
}

vm_kernel() {
	VM_TAG=$1
	VM_ROOT=
	case $1 in
	6.1)
		VM_ARCH=x86_64
		VM_RELEASE=$(debian_kernel_release)
		VM_KDIR=/lib/modules/$VM_RELEASE/build
		VM_IMAGE=$(debian_vmlinuz "$VM_RELEASE")
		VM_MODULES=${VM_IMAGE%/boot/*}/lib/modules/$VM_RELEASE ;;
	6.12)
		VM_ARCH=x86_64
		VM_RELEASE=$(debian_612_release)
		VM_KDIR=/usr/src/linux-headers-$VM_RELEASE
		VM_IMAGE=/boot/vmlinuz-$VM_RELEASE
		VM_MODULES=/lib/modules/$VM_RELEASE ;;
	7.3)
		VM_ARCH=x86_64
		VM_RELEASE=$(debian_73_release)
		VM_ROOT=$(trixie_build_root "$VM_RELEASE")
		VM_KDIR=/usr/src/linux-headers-$VM_RELEASE
		VM_IMAGE=$(foreign_unpack trixie "linux-binary-$VM_RELEASE")/usr/lib/modules/$VM_RELEASE/vmlinuz
		VM_MODULES=$(foreign_unpack trixie "linux-modules-$VM_RELEASE")/usr/lib/modules/$VM_RELEASE ;;
	6.1-arm64)
		VM_ARCH=arm64
		VM_RELEASE=$(debian_kernel_release | sed 's/-amd64$/-arm64/')
		VM_KDIR=$(arm64_headers "$VM_RELEASE")
		VM_IMAGE=$(foreign_unpack bookworm-arm64 "linux-image-$VM_RELEASE")/boot/vmlinuz-$VM_RELEASE
		VM_MODULES=${VM_IMAGE%/boot/*}/lib/modules/$VM_RELEASE ;;
	*) die "vm_kernel $1: not one of $PORTREG_VM_KERNELS" ;;
	esac
	[ -d "${VM_ROOT:-}$VM_KDIR" ] || die "${VM_ROOT:-}$VM_KDIR: missing (run .ci/install-deps)"
	[ -r "$VM_IMAGE" ] || die "$VM_IMAGE: missing (run .ci/install-deps)"
	[ -d "$VM_MODULES/kernel" ] || die "$VM_MODULES/kernel: missing (run .ci/install-deps)"
}

# vm_kernel_module DIR NAME...: copies the kernel's own modules NAME (e.g.
# net/ipv4/inet_diag) from VM_MODULES into DIR, uncompressed for busybox's
# insmod, in the order given.
vm_kernel_module() {
	local dir=$1 name f
	shift
	mkdir -p "$dir"
	for name in "$@"; do
		f=$(ls "$VM_MODULES/kernel/$name".ko* 2>/dev/null | head -n 1)
		case $f in
		*.ko) cp "$f" "$dir/" ;;
		*.ko.xz) xz -dc "$f" >"$dir/$(basename "${f%.xz}")" ;;
		*.ko.zst) zstd -qdc "$f" >"$dir/$(basename "${f%.zst}")" ;;
		*) die "$VM_MODULES/kernel/$name.ko: missing from $VM_RELEASE's modules" ;;
		esac || die "copying $f failed"
	done
}

# build_module_for OUT ARGS...: builds portreg for the kernel vm_kernel set,
# in a copy of the sources at OUT, with make arguments ARGS.
build_module_for() {
	local out=$1 root
	shift
	case $VM_TAG in
	7.3)
		root=$VM_ROOT
		rm -rf "$root/build/portreg"
		mkdir -p "$root/build"
		copy_module_sources "$root/build/portreg"
		# objtool reads /proc/self: a private mount namespace gives the
		# root a /proc that goes away with the build.
		if ! unshare -m sh -c 'mount -t proc proc "$1/proc" && shift &&
			exec chroot "$@"' sh "$root" "$root" \
			make -C "$VM_KDIR" M=/build/portreg "$@" modules \
			>"$root/build/build.log" 2>&1; then
			cat "$root/build/build.log" >&2
			die "module build against Debian's $VM_RELEASE headers (trixie root) failed"
		fi
		rm -rf "$out"
		mkdir -p "$out"
		cp -r "$root/build/portreg/." "$out/"
		cp "$root/build/build.log" "$out/build.log" ;;
	6.1-arm64)
		build_module_copy "$VM_KDIR" "$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@" ;;
	*)
		build_module_copy "$VM_KDIR" "$out" "$@" ;;
	esac
}
