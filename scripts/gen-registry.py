#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the registry data under data/ into portreg's C tables.

Inputs (all copies of files shipped by Debian packages, see data/SOURCES):
  wireshark-services    IANA's port registry, one name per port and protocol
  ipv6toolkit-*.csv     IANA's port registry CSV, every name, older snapshot
  netbase-services      netbase's curated /etc/services, for its aliases
  nmap-protocols        every assigned IP protocol number
  netbase-protocols     netbase's /etc/protocols, for its names and aliases

Merge rules, in order (docs/registry-data.md explains why):
  1. Every (port, proto) in wireshark-services is an IANA assignment, with
     wireshark's name first.
  2. IANA's other names for the same assignment come from the CSV, but only
     where the CSV also lists wireshark's name for that port and protocol:
     the CSV is older, and its de-assigned entries must not come back.
  3. A netbase line whose name matches an entry adds its aliases to it; any
     other netbase line becomes an entry of its own, whatever its port, so
     the result is a superset of /etc/services.

Outputs: --c FILE writes the C tables; --services FILE and --protocols FILE
write the exact text /proc/portreg/services and /proc/portreg/protocols must
show for the built-in tables (the golden files of the VM test).
"""

import argparse
import csv
import os
import sys
import unicodedata

PROTOS = ("tcp", "udp", "sctp", "dccp")   # index order is enum pr_proto
NAME_MAX = 63                             # PR_NAME_MAX in module/limits.h
DESC_MAX = 255                            # PR_DESC_MAX
ALIASES_MAX = 8                           # PR_ALIASES_MAX
INDEX_MAX = 0xffff                        # entries are indexed by u16

SERVICES_HEADER = "# portreg services(5): name port/proto [aliases...] # description"
PROTOCOLS_HEADER = "# portreg protocols(5): name number [aliases...] # description"


class DataError(Exception):
    pass


def fnv1a(s):
    h = 2166136261
    for b in s.encode("ascii"):
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def hash_bits(val, bits):
    """Mirror of pr_hash_bits() in module/hash.h."""
    return ((val * 0x61C88647) & 0xffffffff) >> (32 - bits)


def port_key(port, proto):
    return (port << 2) | PROTOS.index(proto)


def valid_name(name):
    """Mirror of pr_name_valid() in module/cmd.c."""
    return (0 < len(name) <= NAME_MAX and
            all(0x21 <= ord(c) <= 0x7e and c != "#" for c in name) and
            any(c.isascii() and c.isalpha() for c in name))


def clean_text(text):
    """Descriptions are printed after '#' on one line: ASCII, no controls."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if 0x20 <= ord(c) <= 0x7e or c.isspace())
    text = " ".join(text.split())
    return text[:DESC_MAX].rstrip()


def split_comment(line):
    body, _, comment = line.partition("#")
    return body.split(), clean_text(comment)


def parse_port_range(text, where):
    lo, _, hi = text.partition("-")
    try:
        lo = int(lo)
        hi = int(hi) if hi else lo
    except ValueError:
        raise DataError(f"{where}: bad port {text!r}")
    if not 0 <= lo <= hi <= 65535:
        raise DataError(f"{where}: port {text!r} out of range")
    return range(lo, hi + 1)


def read_wireshark(path, max_port):
    """Yield (name, port, proto, description) for each IANA assignment."""
    with open(path, encoding="ascii", errors="strict") as f:
        for num, line in enumerate(f, 1):
            where = f"{path}:{num}"
            fields, desc = split_comment(line)
            if not fields:
                continue
            if len(fields) != 2:
                raise DataError(f"{where}: expected 'name port/protos'")
            name, spec = fields
            port_text, *protos = spec.split("/")
            if not protos or any(p not in PROTOS for p in protos):
                raise DataError(f"{where}: bad protocol list {spec!r}")
            if not valid_name(name):
                raise DataError(f"{where}: bad service name {name!r}")
            for port in parse_port_range(port_text, where):
                if port > max_port:
                    continue
                for proto in protos:
                    yield name, port, proto, desc


def read_iana_csv(path, max_port):
    """Map (port, proto) to [(name, description)] in the CSV's order."""
    names = {}
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.DictReader(f):
            name = row["Service Name"].strip()
            proto = row["Transport Protocol"].strip()
            port_text = row["Port Number"].strip()
            if not name or not port_text or proto not in PROTOS:
                continue
            if not valid_name(name):
                continue
            for port in parse_port_range(port_text, path):
                if port <= max_port:
                    names.setdefault((port, proto), []).append(
                        (name, clean_text(row["Description"])))
    return names


def read_netbase_services(path, report):
    with open(path, encoding="ascii", errors="strict") as f:
        for num, line in enumerate(f, 1):
            where = f"{path}:{num}"
            fields, desc = split_comment(line)
            if not fields:
                continue
            if len(fields) < 2:
                raise DataError(f"{where}: expected 'name port/proto'")
            name, spec, *aliases = fields
            port_text, _, proto = spec.partition("/")
            if proto == "ddp":
                report.append(f"services: {name} {spec}: AppleTalk, not an "
                              f"IP transport; left out")
                continue
            if proto not in PROTOS:
                raise DataError(f"{where}: bad protocol {proto!r}")
            # All of netbase, whatever --max-port says: the file must stay
            # a superset of /etc/services, dynamic-range entries included.
            yield name, parse_port_range(port_text, where)[0], proto, aliases, desc


def build_services(data_dir, max_port, report):
    entries = []
    by_key = {}

    def add(name, port, proto, aliases, desc, origin):
        ent = {"name": name, "port": port, "proto": proto,
               "aliases": list(aliases), "desc": desc, "origin": origin}
        entries.append(ent)
        by_key.setdefault((port, proto), []).append(ent)
        return ent

    for name, port, proto, desc in read_wireshark(
            os.path.join(data_dir, "wireshark-services"), max_port):
        if any(e["name"] == name for e in by_key.get((port, proto), [])):
            continue
        add(name, port, proto, [], desc, "iana")

    csv_names = read_iana_csv(os.path.join(
        data_dir, "ipv6toolkit-service-names-port-numbers.csv"), max_port)
    for key, listed in csv_names.items():
        have = by_key.get(key)
        if not have or not any(n == have[0]["name"] for n, _ in listed):
            continue
        for name, desc in listed:
            if not any(e["name"] == name for e in by_key[key]):
                add(name, key[0], key[1], [], desc, "iana")
                report.append(f"services: {name} {key[0]}/{key[1]}: "
                              f"second IANA name, from the CSV")

    for name, port, proto, aliases, desc in read_netbase_services(
            os.path.join(data_dir, "netbase-services"), report):
        same = [e for e in by_key.get((port, proto), []) if e["name"] == name]
        if same:
            ent = same[0]
        else:
            ent = add(name, port, proto, [], desc, "netbase")
            report.append(f"services: {name} {port}/{proto}: netbase name, "
                          f"not in IANA's data under that name")
        for alias in aliases:
            if alias not in ent["aliases"] and alias != ent["name"]:
                ent["aliases"].append(alias)

    order = {}
    for i, ent in enumerate(entries):
        order[id(ent)] = i
    entries.sort(key=lambda e: (e["port"], PROTOS.index(e["proto"]),
                                order[id(e)]))
    for ent in entries:
        check_entry(ent, f"services: {ent['name']} {ent['port']}/{ent['proto']}")
    return entries


def build_protocols(data_dir, report):
    iana = {}
    path = os.path.join(data_dir, "nmap-protocols")
    with open(path, encoding="ascii", errors="strict") as f:
        for num, line in enumerate(f, 1):
            fields, desc = split_comment(line)
            if not fields:
                continue
            if len(fields) != 2 or not fields[1].isdigit():
                raise DataError(f"{path}:{num}: expected 'name number'")
            number = int(fields[1])
            if number > 255 or number in iana:
                raise DataError(f"{path}:{num}: bad or repeated number {number}")
            iana[number] = (fields[0], desc)

    netbase = {}
    path = os.path.join(data_dir, "netbase-protocols")
    with open(path, encoding="ascii", errors="strict") as f:
        for num, line in enumerate(f, 1):
            fields, desc = split_comment(line)
            if not fields:
                continue
            if len(fields) < 2 or not fields[1].isdigit():
                raise DataError(f"{path}:{num}: expected 'name number'")
            number = int(fields[1])
            if number not in iana:
                report.append(f"protocols: {fields[0]} {number}: in netbase, "
                              f"not an assigned IP protocol number; left out")
                continue
            netbase.setdefault(number, []).append(
                (fields[0], fields[2:], desc))

    entries = []
    for number in sorted(iana):
        keyword, iana_desc = iana[number]
        lines = [(n, list(al), d) for n, al, d in netbase.get(number, [])]
        if not lines:
            lines = [(keyword, [], iana_desc)]
        # IANA's description belongs to the line that carries IANA's keyword;
        # netbase's extra lines (ip for 0) keep netbase's own comment.
        owner = next((i for i, (n, al, _) in enumerate(lines)
                      if keyword.lower() in {x.lower() for x in [n] + al}),
                     None)
        if owner is None:
            owner = 0
            lines[0][1].append(keyword)
            report.append(f"protocols: {number}: netbase calls it "
                          f"{lines[0][0]}, IANA's data {keyword}; "
                          f"kept as an alias")
        for i, (name, aliases, desc) in enumerate(lines):
            ent = {"name": name, "number": number, "aliases": aliases,
                   "desc": iana_desc if i == owner else desc}
            check_entry(ent, f"protocols: {name} {number}")
            entries.append(ent)
    return entries


def check_entry(ent, where):
    names = [ent["name"]] + ent["aliases"]
    if not all(valid_name(n) for n in names):
        raise DataError(f"{where}: invalid name in {names}")
    if len(ent["aliases"]) > ALIASES_MAX:
        raise DataError(f"{where}: more than {ALIASES_MAX} aliases")


class StringPool:
    """One blob of NUL-terminated strings; offset 0 is the empty string."""

    def __init__(self):
        self.blob = bytearray(b"\0")
        self.offsets = {"": 0}

    def add(self, s):
        if s not in self.offsets:
            self.offsets[s] = len(self.blob)
            self.blob += s.encode("ascii") + b"\0"
        return self.offsets[s]

    def add_run(self, strings):
        """Consecutive strings, so a record needs only the first offset."""
        if not strings:
            return 0
        key = "\0".join(strings) + "\0\0run"
        if key not in self.offsets:
            self.offsets[key] = len(self.blob)
            for s in strings:
                self.blob += s.encode("ascii") + b"\0"
        return self.offsets[key]


def index_bits(n):
    bits = 4
    while (1 << bits) < n:
        bits += 1
    return bits


def build_index(entries, keys_of):
    """Bucket-sorted entry numbers: bucket b holds start[b]..start[b+1]-1."""
    bits = index_bits(len(entries))
    buckets = [[] for _ in range(1 << bits)]
    for i, ent in enumerate(entries):
        for b in sorted({hash_bits(k, bits) for k in keys_of(ent)}):
            buckets[b].append(i)
    start, flat = [], []
    for b in buckets:
        start.append(len(flat))
        flat.extend(b)
    start.append(len(flat))
    if len(flat) > INDEX_MAX:
        raise DataError("index too large for u16 entry numbers")
    return bits, start, flat


def c_u16_array(name, values):
    out = [f"static const u16 {name}[{len(values)}] = {{"]
    for i in range(0, len(values), 12):
        out.append("\t" + ", ".join(str(v) for v in values[i:i + 12]) + ",")
    out.append("};")
    return out


def c_string_blob(blob):
    """As a byte array: one string literal this long is more than sparse
    (and C's translation limits) accept."""
    out = [f"const char pr_strings[{len(blob)}] = {{"]
    data = bytes(blob)
    for i in range(0, len(data), 20):
        out.append("\t" + ", ".join(str(b) for b in data[i:i + 20]) + ",")
    out.append("};")
    return out


def write_c(path, services, protocols, sources):
    pool = StringPool()
    out = ["// SPDX-License-Identifier: GPL-2.0",
           "/* Generated by scripts/gen-registry.py from data/; do not edit. */",
           f"/* Sources: {sources} */",
           "",
           "#include <linux/export.h>",
           "#include <kunit/visibility.h>",
           '#include "registry_data.h"',
           ""]

    out.append(f"const struct pr_service_rec pr_builtin_services[{len(services)}] = {{")
    for ent in services:
        name = pool.add(ent["name"])
        aliases = pool.add_run(ent["aliases"])
        desc = pool.add(ent["desc"])
        out.append(f"\t{{ {name}, {aliases}, {desc}, {ent['port']}, "
                   f"PR_PROTO_{ent['proto'].upper()}, {len(ent['aliases'])} }},")
    out.append("};")
    out.append(f"const unsigned int pr_builtin_nservices = {len(services)};")
    out.append("EXPORT_SYMBOL_IF_KUNIT(pr_builtin_nservices);")
    out.append("")

    out.append(f"const struct pr_protocol_rec pr_builtin_protocols[{len(protocols)}] = {{")
    for ent in protocols:
        name = pool.add(ent["name"])
        aliases = pool.add_run(ent["aliases"])
        desc = pool.add(ent["desc"])
        out.append(f"\t{{ {name}, {aliases}, {desc}, {ent['number']}, "
                   f"{len(ent['aliases'])} }},")
    out.append("};")
    out.append(f"const unsigned int pr_builtin_nprotocols = {len(protocols)};")
    out.append("EXPORT_SYMBOL_IF_KUNIT(pr_builtin_nprotocols);")
    out.append("")

    def names_of(ent):
        return [fnv1a(n) for n in [ent["name"]] + ent["aliases"]]

    indexes = [
        ("pr_service_port_index", services,
         lambda e: [port_key(e["port"], e["proto"])]),
        ("pr_service_name_index", services, names_of),
        ("pr_protocol_number_index", protocols, lambda e: [e["number"]]),
        ("pr_protocol_name_index", protocols, names_of),
    ]
    for cname, ents, keys_of in indexes:
        bits, start, flat = build_index(ents, keys_of)
        out += c_u16_array(f"{cname}_start", start)
        out += c_u16_array(f"{cname}_entries", flat or [0])
        out += [f"const struct pr_index {cname} = {{",
                f"\t.bits = {bits},",
                f"\t.start = {cname}_start,",
                f"\t.entries = {cname}_entries,",
                "};", ""]

    out += c_string_blob(pool.blob)
    out.append(f"const unsigned int pr_strings_size = {len(pool.blob)};")
    with open(path, "w", encoding="ascii") as f:
        f.write("\n".join(out) + "\n")


SERVICE_KEY_WIDTH = 10      # "65535/sctp"
PROTOCOL_KEY_WIDTH = 3      # "255"


def render_line(name, key, key_width, aliases, desc):
    """Mirror of pr_format_line() in module/format.c."""
    line = f"{name:<15} {key}"
    if aliases or desc:
        line = f"{line:<{16 + key_width}}"
    for alias in aliases:
        line += " " + alias
    if desc:
        line += " # " + desc
    return line.rstrip() + "\n"


def services_text(services):
    lines = [SERVICES_HEADER + "\n"]
    for e in services:
        lines.append(render_line(e["name"], f"{e['port']}/{e['proto']}",
                                 SERVICE_KEY_WIDTH, e["aliases"], e["desc"]))
    return "".join(lines)


def protocols_text(protocols):
    lines = [PROTOCOLS_HEADER + "\n"]
    for e in protocols:
        lines.append(render_line(e["name"], str(e["number"]),
                                 PROTOCOL_KEY_WIDTH, e["aliases"],
                                 e["desc"]))
    return "".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="the data/ directory")
    ap.add_argument("--max-port", type=int, default=49151,
                    help="highest port compiled in (default 49151)")
    ap.add_argument("--c", help="write the C tables here")
    ap.add_argument("--services", help="write the services text here")
    ap.add_argument("--protocols", help="write the protocols text here")
    ap.add_argument("--report", action="store_true",
                    help="list every merge decision on stderr")
    args = ap.parse_args()

    report = []
    try:
        services = build_services(args.data, args.max_port, report)
        protocols = build_protocols(args.data, report)
        with open(os.path.join(args.data, "SOURCES"), encoding="ascii") as f:
            sources = "; ".join(l.split("#")[0].strip() for l in f
                                if l.strip() and not l.startswith("#"))
    except (OSError, UnicodeError, DataError) as err:
        print(f"gen-registry: {err}", file=sys.stderr)
        return 1

    if args.c:
        write_c(args.c, services, protocols, sources.replace("*/", "* /"))
    if args.services:
        with open(args.services, "w", encoding="ascii") as f:
            f.write(services_text(services))
    if args.protocols:
        with open(args.protocols, "w", encoding="ascii") as f:
            f.write(protocols_text(protocols))
    if args.report:
        for line in report:
            print(line, file=sys.stderr)
        print(f"gen-registry: {len(services)} services, "
              f"{len(protocols)} protocols", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
