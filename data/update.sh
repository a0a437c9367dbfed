#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Refreshes the registry data from Debian's packages and rewrites SOURCES.
# It downloads the .deb files rather than reading /etc, because an admin's
# local edits to /etc/services must never leak into the built-in registry.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download drops privileges to _apt, which must be able to write here.
chmod 1777 "$work"

# file  package  path inside the package
files=(
	"wireshark-services libwireshark-data /usr/share/wireshark/services"
	"ipv6toolkit-service-names-port-numbers.csv ipv6toolkit /usr/share/ipv6toolkit/service-names-port-numbers.csv"
	"nmap-protocols nmap-common /usr/share/nmap/nmap-protocols"
	"netbase-services netbase /etc/services"
	"netbase-protocols netbase /etc/protocols"
)

{
	echo "# Registry data, copied unchanged from Debian 12 packages by data/update.sh."
	echo "# file  package  version  path-in-package  sha256  copied-on"
} >"$work/SOURCES"
for entry in "${files[@]}"; do
	read -r file pkg path <<<"$entry"
	if [ ! -d "$work/$pkg" ]; then
		(cd "$work" && apt-get download "$pkg" >/dev/null) ||
			{ echo "update.sh: apt-get download $pkg failed" >&2; exit 1; }
		dpkg-deb -x "$work/${pkg}"_*.deb "$work/$pkg"
	fi
	ver=$(dpkg-deb -f "$work/${pkg}"_*.deb Version)
	cp "$work/$pkg$path" "$file"
	echo "$file $pkg $ver $path $(sha256sum "$file" | cut -c1-64) $(date -u +%F)" >>"$work/SOURCES"
done
mv "$work/SOURCES" SOURCES
cat SOURCES
