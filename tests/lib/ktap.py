#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cut the KTAP of module-loaded KUnit suites out of a console log.

Suites from a module loaded after boot print as indented subtests under the
boot-time executor's empty plan, which kunit.py parse reports as "0 tests
run".  This writes a log with its own top-level header (KTAP version 1 and
1..N for the N suites found) followed by each suite's block, from its
indented "KTAP version 1" to its "ok N <suite>" line, so kunit.py parses
the suites the way kernel developers expect.
"""
import re
import sys

PREFIX = re.compile(r"^(\[\s*\d+\.\d+\]\s*)?")
SUITE_START = re.compile(r"^\s+KTAP version 1\s*$")
SUITE_NAME = re.compile(r"^\s+# Subtest: (\S+)")
SUITE_END = re.compile(r"^(not ok|ok) \d+ (\S+)")


def extract(lines, wanted_prefix):
    suites, block, name = [], None, None
    for raw in lines:
        line = PREFIX.sub("", raw.rstrip("\n"))
        if block is None:
            if SUITE_START.match(line):
                block, name = [line], None
            continue
        block.append(line)
        m = SUITE_NAME.match(line)
        if m and name is None:
            name = m.group(1)
        m = SUITE_END.match(line)
        if m:
            if name and name.startswith(wanted_prefix) and m.group(2) == name:
                suites.append((name, block))
            block = None
    return suites


def main():
    if len(sys.argv) != 4:
        print("usage: ktap.py CONSOLE_LOG SUITE_PREFIX OUT", file=sys.stderr)
        return 2
    with open(sys.argv[1], errors="replace") as f:
        suites = extract(f, sys.argv[2])
    with open(sys.argv[3], "w") as out:
        out.write("KTAP version 1\n1..%d\n" % len(suites))
        for i, (name, block) in enumerate(suites, 1):
            for line in block[:-1]:
                out.write(line + "\n")
            status = block[-1].split()[0]
            status = "not ok" if block[-1].startswith("not ok") else "ok"
            out.write("%s %d %s\n" % (status, i, name))
    for name, _ in suites:
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
