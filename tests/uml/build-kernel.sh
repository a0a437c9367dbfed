#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once) the UML kernel the KUnit suites run on and prints its build
# directory.  The cache key is the linux-source package version plus a hash of
# kernel.config's settings (not its comments), so changing a setting or
# upgrading the source rebuilds.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

src=$(linux_source_tree)
frag=$PORTREG_TOP/tests/uml/kernel.config
key=$(linux_source_version)-$(grep -E '^CONFIG_' "$frag" | sha256sum | cut -c1-12)
out=$PORTREG_CACHE/uml/$key

if [ -f "$out/.portreg-complete" ]; then
	# Builds cached before Module.symvers was made get it now, in seconds.
	[ -f "$out/Module.symvers" ] ||
		make -s -C "$src" O="$out" ARCH=um -j"$(nproc)" modules >>"$out/build.log" 2>&1 ||
		die "UML modules build failed, full log: $out/build.log"
	printf '%s\n' "$out"
	exit 0
fi

log "building UML kernel in $out (several minutes, once per config)"
rm -rf "$out"
mkdir -p "$out"
make -s -C "$src" O="$out" ARCH=um defconfig >"$out/build.log" 2>&1
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" \
	>>"$out/build.log" 2>&1
make -s -C "$src" O="$out" ARCH=um olddefconfig >>"$out/build.log" 2>&1

# merge_config only warns when a symbol does not stick; a silently dropped
# KASAN or lockdep would make every later "clean" verdict meaningless.
missing=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=y) ;; *) continue ;; esac
	grep -qx "$line" "$out/.config" || { log "config: $line did not stick"; missing=1; }
done <"$frag"
[ "$missing" = 0 ] || die "UML config incomplete, see $out/.config"

# "modules" also writes Module.symvers, without which modpost cannot
# resolve portreg's imports and warns about every one of them.
if ! make -C "$src" O="$out" ARCH=um -j"$(nproc)" linux modules \
	>>"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "UML kernel build failed, full log: $out/build.log"
fi
touch "$out/.portreg-complete"
# Builds for older configs are dead weight (gigabytes each); keep this one.
find "$PORTREG_CACHE/uml" -mindepth 1 -maxdepth 1 -type d ! -path "$out" \
	-exec rm -rf {} +
printf '%s\n' "$out"
