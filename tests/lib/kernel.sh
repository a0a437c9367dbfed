# SPDX-License-Identifier: GPL-2.0
# Builds a kernel from Debian's linux-source-6.1 once per configuration and
# prints its build directory.  Sourced after common.sh.
#
#   build_cached_kernel NAME ARCH BASE FRAGMENT TARGET...
#
# NAME is the cache subdirectory, BASE the make target the configuration
# starts from (defconfig, alldefconfig), FRAGMENT the settings merged onto
# it.  The cache key is the source package version plus a hash of the
# fragment's settings (not its comments), so changing a setting or
# upgrading the source rebuilds.  "modules" is always built too: it writes
# Module.symvers, without which modpost cannot resolve portreg's imports.
build_cached_kernel() {
	local name=$1 arch=$2 base=$3 frag=$4 src key out missing line
	shift 4
	src=$(linux_source_tree)
	key=$(linux_source_version)-$(grep -E '^CONFIG_' "$frag" | sha256sum | cut -c1-12)
	out=$PORTREG_CACHE/$name/$key

	if [ -f "$out/.portreg-complete" ]; then
		# Builds cached before Module.symvers was made get it now, in seconds.
		[ -f "$out/Module.symvers" ] ||
			make -s -C "$src" O="$out" ARCH="$arch" -j"$(nproc)" modules >>"$out/build.log" 2>&1 ||
			die "$name modules build failed, full log: $out/build.log"
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
		CONFIG_*=n) grep -qx "# ${line%=n} is not set" "$out/.config" ||
			{ log "config: $line did not stick"; missing=1; } ;;
		CONFIG_*) grep -qx "$line" "$out/.config" ||
			{ log "config: $line did not stick"; missing=1; } ;;
		esac
	done <"$frag"
	[ "$missing" = 0 ] || die "$name config incomplete, see $out/.config"

	if ! make -C "$src" O="$out" ARCH="$arch" -j"$(nproc)" "$@" modules \
		>>"$out/build.log" 2>&1; then
		tail -n 30 "$out/build.log" >&2
		die "$name kernel build failed, full log: $out/build.log"
	fi
	touch "$out/.portreg-complete"
	# Builds for older configs are dead weight (gigabytes each); keep this one.
	find "$PORTREG_CACHE/$name" -mindepth 1 -maxdepth 1 -type d ! -path "$out" \
		-exec rm -rf {} +
	printf '%s\n' "$out"
}
