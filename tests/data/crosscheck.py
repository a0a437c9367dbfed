#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cross-check the built-in registry against this machine's netbase files.

Reads the generator's rendering of /proc/portreg/services and protocols
with its own parser, then checks every line of /etc/services and
/etc/protocols against it: each netbase name must be there on the same
port and protocol (or number), with all of netbase's aliases.  Differences
that are tolerated by design are listed, each with its reason, never
silently dropped.  Prints "PASS|FAIL name" lines.
"""
import sys

IP_TRANSPORTS = {"tcp", "udp", "sctp", "dccp"}


def parse(path, services):
    entries = []
    with open(path, encoding="ascii") as f:
        for num, line in enumerate(f, 1):
            body = line.split("#", 1)[0].split()
            if not body:
                continue
            name, key, aliases = body[0], body[1], body[2:]
            if services:
                port, _, proto = key.partition("/")
                entries.append((name, int(port), proto, aliases, num))
            else:
                entries.append((name, int(key), None, aliases, num))
    return entries


def check(kind, ours_path, netbase_path, services):
    ours = {}
    for name, num, proto, aliases, _ in parse(ours_path, services):
        ours.setdefault((name, num, proto), set()).update(aliases)
    failures, tolerated, checked = [], [], 0
    for name, num, proto, aliases, line in parse(netbase_path, services):
        where = f"{netbase_path}:{line}: {name} {num}{'/' + proto if proto else ''}"
        if services and proto not in IP_TRANSPORTS:
            tolerated.append(f"{where}: {proto} is not an IP transport")
            continue
        if not services and num > 255:
            tolerated.append(f"{where}: not an IP protocol number (Linux-internal)")
            continue
        checked += 1
        have = ours.get((name, num, proto))
        if have is None:
            failures.append(f"{where}: missing")
        elif not set(aliases) <= have:
            failures.append(f"{where}: aliases {sorted(set(aliases) - have)} missing")
    print(f"PASS {kind}: {checked} netbase entries checked" if not failures
          else f"FAIL {kind}: {len(failures)} of {checked} netbase entries differ")
    for line in failures:
        print(f"  differs: {line}", file=sys.stderr)
    for line in tolerated:
        print(f"  tolerated: {line}", file=sys.stderr)
    return not failures


def main():
    ours_services, ours_protocols, etc_services, etc_protocols = sys.argv[1:5]
    ok = check("services covers /etc/services", ours_services, etc_services, True)
    ok &= check("protocols covers /etc/protocols", ours_protocols, etc_protocols, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
