#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-kdir.sh KDIR: says what is wrong with the kernel tree "make" was
# asked to build portreg against, and what to install, before Kbuild fails
# with something less clear.  Exits 0 if the tree is prepared and of a
# supported series (6.1 from 6.1.84, 6.12, 7.3); PORTREG_UNTESTED=1 lets a
# prepared tree of another series from 6.1.84 on through, with a warning.
kdir=$1
release=$(uname -r)
hint="install the headers of the kernel you run (Debian: apt install linux-headers-$release) or pass KDIR=<kernel build tree>"

if [ ! -d "$kdir" ]; then
	echo "portreg: KDIR=$kdir does not exist: $hint" >&2
	exit 2
fi
if [ ! -f "$kdir/Makefile" ]; then
	echo "portreg: KDIR=$kdir is not a kernel build tree (no Makefile): $hint" >&2
	exit 2
fi
ver=$kdir/include/generated/uapi/linux/version.h
if [ ! -f "$ver" ] || [ ! -f "$kdir/include/generated/autoconf.h" ]; then
	echo "portreg: KDIR=$kdir is not prepared for building modules (no include/generated):" \
		"run 'make modules_prepare' there after configuring it, or $hint" >&2
	exit 2
fi
major=$(sed -n 's/^#define LINUX_VERSION_MAJOR //p' "$ver")
minor=$(sed -n 's/^#define LINUX_VERSION_PATCHLEVEL //p' "$ver")
sub=$(sed -n 's/^#define LINUX_VERSION_SUBLEVEL //p' "$ver")
if [ -z "$major" ] || [ -z "$minor" ] || [ -z "$sub" ]; then
	echo "portreg: $ver: no version in it; KDIR=$kdir is not a tree of a kernel portreg supports (6.1, 6.12, 7.3)" >&2
	exit 2
fi
series=$major.$minor
if [ "$major" -lt 6 ] || { [ "$series" = 6.1 ] && [ "$sub" -lt 84 ]; } ||
   { [ "$major" = 6 ] && [ "$minor" -lt 1 ]; }; then
	echo "portreg: Linux $series.$sub in KDIR=$kdir is too old: portreg needs 6.1.84 or later" \
		"(Debian 12: apt install linux-headers-amd64, or linux-headers-6.12-amd64)" >&2
	exit 2
fi
case $series in
6.1|6.12|7.3) ;;
*)
	if [ "${PORTREG_UNTESTED:-0}" != 1 ]; then
		echo "portreg: Linux $series.$sub in KDIR=$kdir is not a supported kernel:" \
			"portreg is tested on 6.1, 6.12 and 7.3 (docs/testing.md);" \
			"PORTREG_UNTESTED=1 builds it anyway" >&2
		exit 2
	fi
	echo "portreg: warning: Linux $series.$sub is untested; building because PORTREG_UNTESTED=1" >&2 ;;
esac
for tool in scripts/basic/fixdep scripts/mod/modpost; do
	if [ ! -x "$kdir/$tool" ]; then
		echo "portreg: KDIR=$kdir has no $tool: run 'make modules_prepare' there, or $hint" >&2
		exit 2
	fi
done
# Distribution headers ship their build tools prebuilt for their own
# release (Debian 13's modpost needs glibc 2.38, which Debian 12 lacks),
# and name the compiler the kernel was built with.
for tool in $(find -L "$kdir/scripts" -maxdepth 2 -type f -perm -u+x 2>/dev/null); do
	missing=$(ldd "$tool" 2>&1 | grep -o "version \`[^']*' not found" | head -n 1)
	if [ -n "$missing" ]; then
		echo "portreg: the build tools of KDIR=$kdir do not run here (${tool##*/}: $missing):" \
			"they were built for another release; build portreg on a system of that kernel's own release" >&2
		exit 2
	fi
done
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\).*/\1/p' "$kdir/include/config/auto.conf" "$kdir/.config" 2>/dev/null | head -n 1)
if [ -n "$cc" ] && [ -z "${CC:-}" ] && ! command -v "$cc" >/dev/null; then
	echo "portreg: KDIR=$kdir was built with $cc, which is not installed: install it" \
		"(Debian: the package of the same name, or gcc-N for x86_64-linux-gnu-gcc-N)" >&2
	exit 2
fi
exit 0
