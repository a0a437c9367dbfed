#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: portreg-dkms and portreg, built by dpkg-buildpackage from a
# copy of the checkout's files that git does not ignore, as they are in
# the working tree (so without what a build left there), into build/deb/,
# then checked by lintian, which must report no error and no warning.
# debian/changelog's version must be module/version.h's.
#
#   build-deb.sh VERSION DIR   the same tree labelled VERSION instead
#                              (module/version.h, dkms.conf, a changelog
#                              entry), into DIR: the package install
#                              test's "previous version" to upgrade from
set -euo pipefail
. "$(dirname "$0")/../tests/lib/common.sh"

top=$PORTREG_TOP
out=${2:-$top/build/deb}
version=$(sed -n 's/^#define PORTREG_VERSION\t"\(.*\)"/\1/p' "$top/module/version.h")
logged=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
[ "$logged" = "$version" ] ||
	die "debian/changelog's version is $logged, module/version.h's $version: add a changelog entry for $version"
relabel=${1:-}

rm -rf "$out"
src=$out/src/portreg-${relabel:-$version}
mkdir -p "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
		tar -xf - -C "$src"
else
	(cd "$top" && tar --exclude=./build -cf - .) | tar -xf - -C "$src"
fi
if [ -n "$relabel" ]; then
	sed -i "s/^\(#define PORTREG_VERSION\t\)\".*\"/\1\"$relabel\"/" "$src/module/version.h"
	sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$relabel\"/" "$src/dkms.conf"
	maintainer=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Maintainer)
	printf 'portreg (%s) unstable; urgency=medium\n\n  * %s\n\n -- %s  %s\n' \
		"$relabel" "This tree, labelled $relabel for the package install test." \
		"$maintainer" "$(date -R)" >"$src/debian/changelog"
	version=$relabel
fi
log "dpkg-buildpackage, portreg $version (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "dpkg-buildpackage failed"
fi
# dpkg-buildpackage writes beside the source tree.
mv "$out/src"/*.deb "$out/src"/*.changes "$out/src"/*.buildinfo "$out/"
rm -rf "$out/src"
changes=$(ls "$out"/portreg_"$version"_*.changes)
if ! lintian --fail-on error,warning --tag-display-limit 0 "$changes" >"$out/lintian.log" 2>&1; then
	cat "$out/lintian.log" >&2
	die "lintian: errors or warnings (above)"
fi
log "lintian: no error, no warning ($(grep -c . "$out/lintian.log" || true) info lines in $out/lintian.log)"
ls "$out"/*.deb
