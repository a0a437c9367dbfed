#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Packaging and operations: "make install DESTDIR=..." lays out what a
# package ships and modprobe finds the module; DKMS adds, builds and
# removes it against Debian's headers; the systemd unit verifies; the
# Prometheus export parses with promtool and with python3-prometheus-client.
# One "PASS|FAIL name" line per test.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/check.sh"

out=$PORTREG_TOP/build/package
rm -rf "$out" && mkdir -p "$out"
rel=$(debian_kernel_release)
kdir=/lib/modules/$rel/build
version=$(sed -n 's/^#define PORTREG_VERSION\t"\(.*\)"/\1/p' "$PORTREG_TOP/module/version.h")

# make install into a staging root, as a package build would.
stage=$out/stage
if make -C "$PORTREG_TOP" KDIR="$kdir" DESTDIR="$stage" PREFIX=/usr install \
	>"$out/install.log" 2>&1; then
	pass "make install DESTDIR=... PREFIX=/usr"
else
	fail "make install DESTDIR=... PREFIX=/usr"; tail -n 20 "$out/install.log" >&2
fi
ko=lib/modules/$rel/updates/module/portreg.ko
for f in usr/sbin/portreg usr/share/man/man8/portreg.8 "$ko" "lib/modules/$rel/modules.dep" \
	 usr/share/bash-completion/completions/portreg etc/portreg/owners \
	 lib/systemd/system/portreg-sync.service usr/lib/modules-load.d/portreg.conf; do
	[ -f "$stage/$f" ] && pass "installs /$f" || fail "installs /$f"
done
expect_eq "installed tool runs" "portreg $version" "$("$stage/usr/sbin/portreg" --version 2>&1)"
expect_eq "installed module has the version" "$version" \
	"$(modinfo -F version "$stage/$ko" 2>&1)"
expect_eq "modprobe finds the installed module" \
	"insmod $stage/$ko" \
	"$(modprobe -d "$stage" -S "$rel" --show-depends portreg 2>&1 | sed 's/ *$//')"
expect_eq "the unit runs the installed tool: sync, then owners load" \
	"ExecStart=-/usr/sbin/portreg sync /etc/services|ExecStart=/usr/sbin/portreg owners load /etc/portreg/owners" \
	"$(grep '^ExecStart=' "$stage/lib/systemd/system/portreg-sync.service" | paste -s -d '|')"
expect_eq "the installed owners file expects nothing yet" "" \
	"$(grep -v '^#' "$stage/etc/portreg/owners")"
echo "22/tcp sshd" >>"$stage/etc/portreg/owners"
make -s -C "$PORTREG_TOP" DESTDIR="$stage" PREFIX=/usr install-systemd >/dev/null 2>&1
expect_eq "make install keeps an edited owners file" "22/tcp sshd" \
	"$(grep -v '^#' "$stage/etc/portreg/owners")"
expect_eq "modules-load.d names the module" "portreg" \
	"$(grep -v '^#' "$stage/usr/lib/modules-load.d/portreg.conf")"
mode=$(stat -c %a "$stage/usr/sbin/portreg" "$stage/usr/share/man/man8/portreg.8" \
	"$stage/lib/systemd/system/portreg-sync.service" \
	"$stage/usr/share/bash-completion/completions/portreg" | tr '\n' ' ')
expect_eq "installed file modes" "755 644 644 644 " "$mode"
# As bash-completion loads it: sourced by a bare bash, then asked.
expect_eq "the installed completion completes commands" "services stats sync" \
	"$(bash --norc --noprofile -c '. "$1"; COMP_WORDS=(portreg s); COMP_CWORD=1
		_portreg; echo "${COMPREPLY[*]}"' - \
		"$stage/usr/share/bash-completion/completions/portreg" 2>&1)"
if command -v systemd-analyze >/dev/null; then
	# Verified against the host's units, running the staged tool.
	sed "s|/usr/sbin/portreg|$stage/usr/sbin/portreg|" \
		"$stage/lib/systemd/system/portreg-sync.service" >"$out/portreg-sync.service"
	msg=$(systemd-analyze verify --man=no "$out/portreg-sync.service" 2>&1)
	expect_eq "systemd-analyze verify: the unit is clean" "" "$msg"
	exposure=$(systemd-analyze security --root="$stage" --offline=true \
		/lib/systemd/system/portreg-sync.service 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	echo "package-info: systemd exposure of portreg-sync.service: ${exposure:-?}" >&2
	[ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e < 3.0) }' &&
		pass "the unit runs with little privilege (exposure $exposure < 3.0)" ||
		fail "the unit runs with little privilege (exposure ${exposure:-unknown})"
fi
mkdir -p "$out/prefix"
make -s -C "$PORTREG_TOP" DESTDIR="$out/prefix" install-tool >/dev/null 2>&1 &&
	[ -x "$out/prefix/usr/local/sbin/portreg" ] && pass "PREFIX defaults to /usr/local" ||
	fail "PREFIX defaults to /usr/local"

# make deb: the two packages, lintian-clean, with what each must hold.
if make -s -C "$PORTREG_TOP" deb >"$out/deb.log" 2>&1; then
	pass "make deb: dpkg-buildpackage, then lintian with no error or warning"
else
	fail "make deb: dpkg-buildpackage, then lintian with no error or warning"
	tail -n 30 "$out/deb.log" >&2
fi
debs=$PORTREG_TOP/build/deb
arch=$(dpkg --print-architecture)
tool_deb=$debs/portreg_${version}_$arch.deb dkms_deb=$debs/portreg-dkms_${version}_all.deb
field() { dpkg-deb -f "$1" "$2" 2>/dev/null; }
expect_eq "make deb: portreg and portreg-dkms at module/version.h's version" \
	"portreg $version $arch|portreg-dkms $version all" \
	"$(field "$tool_deb" Package) $(field "$tool_deb" Version) $(field "$tool_deb" Architecture)|$(field "$dkms_deb" Package) $(field "$dkms_deb" Version) $(field "$dkms_deb" Architecture)"
expect_eq "portreg recommends portreg-dkms; portreg-dkms needs dkms and python3" \
	"portreg-dkms|python3, dkms (>= 2.1.0.0)" \
	"$(field "$tool_deb" Recommends)|$(field "$dkms_deb" Depends)"
expect_eq "portreg: /etc/portreg/owners is a conffile" "/etc/portreg/owners" \
	"$(dpkg-deb -I "$tool_deb" conffiles 2>&1)"
contents=$(dpkg-deb -c "$tool_deb" 2>/dev/null | awk '{print $6}')
for f in ./usr/sbin/portreg ./usr/share/man/man8/portreg.8.gz \
	 ./usr/share/bash-completion/completions/portreg ./lib/systemd/system/portreg-sync.service \
	 ./usr/lib/modules-load.d/portreg.conf ./etc/portreg/owners; do
	printf '%s\n' "$contents" | grep -qx "$f" && pass "portreg ships ${f#.}" ||
		fail "portreg ships ${f#.}"
done
expect_eq "portreg: the unit runs /usr/sbin/portreg" \
	"ExecStart=-/usr/sbin/portreg sync /etc/services|ExecStart=/usr/sbin/portreg owners load /etc/portreg/owners" \
	"$(dpkg-deb --fsys-tarfile "$tool_deb" 2>/dev/null | tar -xOf - ./lib/systemd/system/portreg-sync.service | grep '^ExecStart=' | paste -s -d '|')"
expect_eq "portreg: postinst enables portreg-sync.service" 1 \
	"$(dpkg-deb -I "$tool_deb" postinst 2>/dev/null | grep -c "deb-systemd-helper enable 'portreg-sync.service'")"
dkms_root=$out/dkms-root
rm -rf "$dkms_root" && mkdir -p "$dkms_root" && dpkg-deb -x "$dkms_deb" "$dkms_root" 2>/dev/null
src=$dkms_root/usr/src/portreg-$version
expect_eq "portreg-dkms: dkms.conf names the version" "PACKAGE_VERSION=\"$version\"" \
	"$(grep '^PACKAGE_VERSION=' "$src/dkms.conf" 2>&1)"
expect_eq "portreg-dkms: no build products, no maintainer tools in the source" "" \
	"$(cd "$src" 2>/dev/null && find . \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name registry_data.c -o -name update.sh \) -print)"
expect_eq "portreg-dkms: postinst hands the module to DKMS" 1 \
	"$(dpkg-deb -I "$dkms_deb" postinst 2>/dev/null | grep -c '/usr/lib/dkms/common.postinst')"

# DKMS against Debian's headers, from the package's source: add, build
# for that kernel, remove.  Then a build signed with a key of the test's
# own, as DKMS signs for Secure Boot (docs/operations.md).
if command -v dkms >/dev/null && [ -f "$src/dkms.conf" ]; then
	dkms remove -m portreg -v "$version" --all >/dev/null 2>&1
	rm -rf "/usr/src/portreg-$version"
	if dkms add "$src" >"$out/dkms.log" 2>&1; then pass "dkms add"; else
		fail "dkms add"; tail -n 20 "$out/dkms.log" >&2; fi
	if dkms build -m portreg -v "$version" -k "$rel" >>"$out/dkms.log" 2>&1; then
		pass "dkms build -k $rel"; else fail "dkms build -k $rel"; tail -n 20 "$out/dkms.log" >&2; fi
	ko=$(find "/var/lib/dkms/portreg/$version/$rel" -name portreg.ko 2>/dev/null | head -n 1)
	expect_eq "dkms built a module for $rel" "$rel" \
		"$(modinfo -F vermagic "${ko:-/none}" 2>/dev/null | cut -d ' ' -f 1)"
	expect_eq "dkms status shows it built" 1 \
		"$(dkms status -m portreg -v "$version" -k "$rel" 2>/dev/null | grep -c ': built')"
	keydir=$out/signing && mkdir -p "$keydir"
	openssl req -new -x509 -newkey rsa:2048 -nodes -days 36500 -outform DER \
		-subj "/CN=portreg test signing key/" -keyout "$keydir/test.key" \
		-out "$keydir/test.der" >"$keydir/openssl.log" 2>&1
	# DKMS 3.0 reads its signing key from its framework files only: one
	# of the test's own, there for this one build.
	conf=/etc/dkms/framework.conf.d/zz-portreg-test-signing.conf
	mkdir -p "${conf%/*}"
	printf 'mok_signing_key=%s\nmok_certificate=%s\n' "$keydir/test.key" "$keydir/test.der" >"$conf"
	dkms unbuild -m portreg -v "$version" -k "$rel" >>"$out/dkms.log" 2>&1
	dkms build -m portreg -v "$version" -k "$rel" >"$out/dkms-signed.log" 2>&1
	rm -f "$conf"
	ko=$(find "/var/lib/dkms/portreg/$version/$rel" -name portreg.ko 2>/dev/null | head -n 1)
	expect_eq "dkms signs the module with the configured key: modinfo names the signer" \
		"portreg test signing key" "$(modinfo -F signer "${ko:-/none}" 2>&1)"
	if dkms remove -m portreg -v "$version" --all >>"$out/dkms.log" 2>&1; then
		pass "dkms remove"; else fail "dkms remove"; tail -n 20 "$out/dkms.log" >&2; fi
	[ ! -e "/var/lib/dkms/portreg/$version" ] && pass "dkms remove leaves nothing behind" ||
		fail "dkms remove leaves nothing behind"
	rm -rf "/usr/src/portreg-$version"
else
	fail "dkms is installed, and the package has its source"
fi

# The Prometheus export, checked by real parsers: promtool's linter and
# the Python client's parser, on the fixture files of a live module.
fixtures=$PORTREG_TOP/tests/tool/fixtures/live
make -s -C "$PORTREG_TOP/userspace" portreg >/dev/null 2>&1
PORTREG_PROC=$fixtures "$PORTREG_TOP/userspace/portreg" export --prometheus >"$out/metrics.prom" 2>"$out/export.err"
expect_eq "export --prometheus: exit 0, nothing on stderr" "" "$(cat "$out/export.err")"
if command -v promtool >/dev/null; then
	msg=$(promtool check metrics <"$out/metrics.prom" 2>&1); st=$?
	expect_eq "promtool check metrics: no problems" "0 " "$st $msg"
else
	fail "promtool is installed"
fi
PORTREG_PROC=$fixtures "$PORTREG_TOP/userspace/portreg" export --prometheus -o "$out/portreg.prom"
expect_eq "export -o writes the same, world-readable, no temporary left" "644 1" \
	"$(stat -c %a "$out/portreg.prom") $(ls "$out" | grep -c '^portreg\.prom')"
expect_eq "python3-prometheus-client parses it" "ok" "$(/usr/bin/python3 - "$out/metrics.prom" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
s = lambda name: [(x.labels, x.value) for x in fams[name].samples]
ok = s("portreg_binds") == [({}, 30.0)] and fams["portreg_binds"].type == "counter"
ok = ok and s("portreg_records") == [({}, 9.0)] and fams["portreg_records"].type == "gauge"
ok = ok and s("portreg_events_lost") == [({}, 3.0)] and fams["portreg_events_lost"].type == "counter"
ok = ok and not any(name.startswith("portreg_claims") for name in fams)
ports = s("portreg_port_sockets")
ok = ok and ({"proto": "udp", "family": "ipv4", "port": "5353", "service": "mdns"}, 2.0) in ports
ok = ok and ({"proto": "tcp", "family": "ipv6", "port": "8080", "service": "http-alt"}, 2.0) in ports
ok = ok and len(ports) == 13
labels = {k for f in fams.values() for x in f.samples for k in x.labels}
ok = ok and labels <= {"proto", "family", "port", "service", "probe", "version"}
ok = ok and s("portreg_tracking_active") == [({}, 1.0)]
ok = ok and len(s("portreg_probe_missed")) == 6
print("ok" if ok else (labels, ports))
PY
)"
mkdir -p "$out/bad" && printf 'binds_seen many\n' >"$out/bad/stats" && cp "$fixtures/claims" "$out/bad/"
expect_status "export: a malformed stats line is an error, nothing written" 3 \
	env PORTREG_PROC="$out/bad" "$PORTREG_TOP/userspace/portreg" export --prometheus -o "$out/bad.prom"
[ ! -e "$out/bad.prom" ] && [ -z "$(ls "$out" | grep 'bad\.prom\.')" ] &&
	pass "export: no partial file after an error" || fail "export: no partial file after an error"
expect_status "export without a format" 2 env PORTREG_PROC="$fixtures" "$PORTREG_TOP/userspace/portreg" export

# make install built the module in the tree; leave the tree as it was.
make -C "$kdir" M="$PORTREG_TOP" clean >/dev/null 2>&1
