# SPDX-License-Identifier: GPL-2.0
# Builds a kernel from one of Debian's linux-source packages once per
# configuration and prints its build directory.  Sourced after common.sh.
#
#   build_cached_kernel NAME SERIES ARCH BASE FRAGMENT TARGET...
#
# NAME is the cache subdirectory, SERIES the linux-source series (6.1,
# 6.12, 7.3), BASE the make target the configuration starts from
# (tinyconfig), FRAGMENT the settings merged onto it.  The cache key covers
# everything that shapes the build: the source package version, ARCH,
# BASE, the fragment's settings (not its comments), the patches, the
# targets and the compiler, so that changing any of them rebuilds.
# KERNEL_PATCHES names patches (patch -p1) applied to the source tree
# first, once; they may touch only files of ARCH, since the tree is
# shared with the builds of other architectures.  "modules" is always
# built too: it writes Module.symvers, without which modpost cannot
# resolve portreg's imports.
build_cached_kernel() {
	local name=$1 series=$2 arch=$3 base=$4 frag=$5 src key out missing line p mark sym
	shift 5
	src=$(linux_source_tree "$series")
	key=$( { echo "$series $(linux_source_version "$series") $arch $base $*"
		gcc --version | head -n 1
		grep -E '^CONFIG_' "$frag"
		for p in ${KERNEL_PATCHES:-}; do sha256sum <"$p"; done; } | sha256sum | cut -c1-16)
	for p in ${KERNEL_PATCHES:-}; do
		mark=$src/.portreg-patched-$(sha256sum <"$p" | cut -c1-16)
		[ -f "$mark" ] && continue
		patch -d "$src" -p1 -N -s <"$p" >&2 || die "$p does not apply to $src"
		touch "$mark"
	done
	out=$PORTREG_CACHE/$name/$series-$key

	if [ -f "$out/.portreg-complete" ]; then
		printf '%s\n' "$out"
		return 0
	fi

	log "building the $name kernel in $out (several minutes, once per config)"
	rm -rf "$out"
	mkdir -p "$out"
	make -s -C "$src" O="$out" ARCH="$arch" "$base" >"$out/build.log" 2>&1
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" \
		>>"$out/build.log" 2>&1
	make -s -C "$src" O="$out" ARCH="$arch" olddefconfig >>"$out/build.log" 2>&1

	# merge_config only warns when a symbol does not stick; a silently
	# dropped KASAN or lockdep would make every later "clean" verdict
	# meaningless.
	missing=0
	while IFS= read -r line; do
		case "$line" in
		# Off means not on: a symbol this series does not have is off.
		CONFIG_*=n) ! grep -Eq "^${line%=n}=[ym]" "$out/.config" ||
			{ log "config: $line did not stick"; missing=1; } ;;
		# One fragment serves every series: a symbol a series does not
		# have at all (7.3 folded PROC_SYSCTL into SYSCTL) is skipped.
		CONFIG_*) grep -qx "$line" "$out/.config" && continue
			sym=${line%%=*}
			if ! grep -rqx --include='Kconfig*' "\(menu\)\?config ${sym#CONFIG_}" "$src"; then
				log "config: $sym is not in $series, skipped"
				continue
			fi
			log "config: $line did not stick"; missing=1 ;;
		esac
	done <"$frag"
	[ "$missing" = 0 ] || die "$name config incomplete, see $out/.config"

	if ! make -C "$src" O="$out" ARCH="$arch" -j"$(nproc)" "$@" modules \
		>>"$out/build.log" 2>&1; then
		tail -n 30 "$out/build.log" >&2
		die "$name kernel build failed, full log: $out/build.log"
	fi
	touch "$out/.portreg-complete"
	# Builds of this series for older configs are dead weight (gigabytes
	# each); keep this one.
	find "$PORTREG_CACHE/$name" -mindepth 1 -maxdepth 1 -type d -name "$series-*" \
		! -path "$out" -exec rm -rf {} +
	printf '%s\n' "$out"
}
