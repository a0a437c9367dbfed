# SPDX-License-Identifier: GPL-2.0
# Packages from outside this Debian 12 machine's own apt sources: Debian 13
# (trixie, trixie-backports) and Debian 12 for arm64.  Sourced after
# common.sh.
#
# Each source is a private apt configuration under $PORTREG_CACHE/apt/NAME:
# its own sources list, lists and archive cache, for one architecture.  The
# machine's apt never sees these suites, so nothing from them can ever be
# installed here by accident; a pin file makes that explicit
# (.ci/install-deps).  Packages are only downloaded and unpacked into the
# cache, once per package version:
#
#   foreign_deb SOURCE PACKAGE        path of the .deb (downloaded once)
#   foreign_unpack SOURCE PACKAGE...  directory holding them unpacked
#   foreign_version SOURCE PACKAGE    the version apt would fetch
#   foreign_packages SOURCE REGEX     package names matching REGEX

PORTREG_MIRROR=${PORTREG_MIRROR:-http://deb.debian.org}
PORTREG_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# The suites and architecture of each source.
foreign_source_lines() {
	case $1 in
	trixie)
		echo "deb [signed-by=$PORTREG_KEYRING] $PORTREG_MIRROR/debian trixie main"
		echo "deb [signed-by=$PORTREG_KEYRING] $PORTREG_MIRROR/debian trixie-backports main"
		echo "deb [signed-by=$PORTREG_KEYRING] $PORTREG_MIRROR/debian-security trixie-security main" ;;
	bookworm-arm64)
		echo "deb [signed-by=$PORTREG_KEYRING] $PORTREG_MIRROR/debian bookworm main"
		echo "deb [signed-by=$PORTREG_KEYRING] $PORTREG_MIRROR/debian bookworm-updates main"
		echo "deb [signed-by=$PORTREG_KEYRING] $PORTREG_MIRROR/debian-security bookworm-security main" ;;
	*) die "foreign source $1: unknown" ;;
	esac
}

foreign_arch() {
	case $1 in bookworm-arm64) echo arm64 ;; *) echo amd64 ;; esac
}

# apt-get or apt-cache ($1) with source $2's private configuration.
foreign_apt() {
	local tool=$1 dir=$PORTREG_CACHE/apt/$2
	shift 2
	"$tool" -o Dir::Etc::sourcelist="$dir/sources.list" \
		-o Dir::Etc::sourceparts="$dir/empty" \
		-o Dir::Etc::preferences="$dir/empty/preferences" \
		-o Dir::Etc::preferencesparts="$dir/empty" \
		-o Dir::State::Lists="$dir/lists" -o Dir::State::status="$dir/status" \
		-o Dir::Cache="$dir/cache" -o Debug::NoLocking=1 \
		-o APT::Architecture="$(foreign_arch "${dir##*/}")" \
		-o APT::Architectures="$(foreign_arch "${dir##*/}")" \
		-o APT::Sandbox::User=root -q "$@"
}

# Sets source $1 up and refreshes its lists if they are a day old or more.
foreign_update() {
	local dir=$PORTREG_CACHE/apt/$1
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/empty"
	touch "$dir/status"
	foreign_source_lines "$1" >"$dir/sources.list.new"
	if ! cmp -s "$dir/sources.list.new" "$dir/sources.list" ||
	   [ -z "$(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
		mv "$dir/sources.list.new" "$dir/sources.list"
		log "apt update of $1"
		foreign_apt apt-get "$1" update >"$dir/update.log" 2>&1 ||
			{ cat "$dir/update.log" >&2; die "apt-get update of $1 failed"; }
	fi
	rm -f "$dir/sources.list.new"
}

foreign_version() {
	local v
	foreign_update "$1"
	v=$(foreign_apt apt-cache "$1" policy "$2" | sed -n 's/^ *Candidate: //p')
	[ -n "$v" ] && [ "$v" != "(none)" ] || die "$2: not found in $1"
	printf '%s\n' "$v"
}

foreign_packages() {
	foreign_update "$1"
	foreign_apt apt-cache "$1" pkgnames | grep -E "$2" | sort -V
}

foreign_deb() {
	local src=$1 pkg=$2 ver dir file
	ver=$(foreign_version "$src" "$pkg")
	dir=$PORTREG_CACHE/debs
	file=$dir/${pkg}_${ver//:/%3a}_$(foreign_arch "$src").deb
	if [ ! -s "$file" ]; then
		mkdir -p "$dir/tmp.$$"
		log "downloading $pkg $ver ($src)"
		(cd "$dir/tmp.$$" && foreign_apt apt-get "$src" download "$pkg=$ver") \
			>"$dir/tmp.$$.log" 2>&1 || { cat "$dir/tmp.$$.log" >&2; die "download of $pkg failed"; }
		mv "$dir/tmp.$$"/*.deb "$file"
		rm -rf "$dir/tmp.$$" "$dir/tmp.$$.log"
	fi
	printf '%s\n' "$file"
}

# Unpacks packages $2... of source $1 together, once per set of versions.
foreign_unpack() {
	local src=$1 pkg key="" debs=() dir
	shift
	for pkg in "$@"; do
		debs+=("$(foreign_deb "$src" "$pkg")")
		key+="${debs[-1]##*/} "
	done
	dir=$PORTREG_CACHE/unpacked/$(printf '%s' "$key" | sha256sum | cut -c1-16)
	if [ ! -f "$dir/.portreg-complete" ]; then
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		for pkg in "${debs[@]}"; do
			dpkg-deb -x "$pkg" "$dir.tmp" || die "unpacking $pkg failed"
		done
		printf '%s\n' "$key" >"$dir.tmp/.portreg-complete"
		mv "$dir.tmp" "$dir"
	fi
	printf '%s\n' "$dir"
}
