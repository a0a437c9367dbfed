#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Flatten kunit.py's --json output into "PASS|FAIL|SKIP suite.case" lines.

A parameterised case counts once per parameter, so each table row of a
table-driven test is a test of its own.
"""
import json
import sys


def walk(node, path, out):
    name = node.get("name", "")
    here = path + [name] if name else path
    cases = node.get("test_cases", [])
    groups = node.get("sub_groups", [])
    for case in cases:
        out.append((case.get("status", "FAIL"), ".".join(here + [case["name"]])))
    for group in groups:
        walk(group, here, out)


def main():
    # An optional tag names the kernel the cases ran on.
    tag = sys.argv[2] + " " if len(sys.argv) > 2 else ""
    with open(sys.argv[1]) as f:
        data = json.load(f)
    out = []
    walk(data, [], out)
    for status, name in out:
        status = {"PASS": "PASS", "SKIP": "SKIP"}.get(status, "FAIL")
        print(f"{status} {tag}{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
