#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of report.py: the confidence interval of a median, and the
profile, baseline and scaling tables made from a synthetic console."""
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("report", os.path.join(HERE, "report.py"))
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)
VARIANTS = report.VARIANTS


class MedianCi(unittest.TestCase):
    def test_eight_rounds(self):
        # P(Binomial(8, 1/2) < 2) = 9/256: the 2nd and 7th values, 93%.
        lo, hi, cover = report.median_ci([8, 1, 7, 2, 6, 3, 5, 4])
        self.assertEqual((lo, hi), (2, 7))
        self.assertAlmostEqual(cover, 1 - 2 * 9 / 256)

    def test_coverage_is_at_least_asked(self):
        for n in range(5, 40):
            lo, hi, cover = report.median_ci(list(range(n)))
            self.assertGreaterEqual(cover, 0.9)
            self.assertLessEqual(lo, hi)

    def test_too_few(self):
        # Four values cover the median at 87.5% at most.
        lo, hi, cover = report.median_ci([1, 2, 3, 4])
        self.assertNotEqual(cover, cover)  # NaN


def console(scale_k):
    lines = []
    for r in range(1, 9):
        for c in report.CONNECT_VARIANTS:
            lines.append("portreg-bench: connect kp-unloaded %d %s 20000" % (r, c))
            lines.append("portreg-bench: connect kp-loaded %d %s 20400" % (r, c))
            lines.append("portreg-bench: connect kp-baseline %d %s 20020" % (r, c))
        for v in VARIANTS:
            lines.append("portreg-bench: loop unloaded %d %s 1000" % (r, v))
            lines.append("portreg-bench: loop loaded %d %s 1100" % (r, v))
            lines.append("portreg-bench: loop kp-unloaded %d %s 1000" % (r, v))
            lines.append("portreg-bench: loop kp-loaded %d %s 1080" % (r, v))
            lines.append("portreg-bench: loop kp-baseline %d %s 1120" % (r, v))
            for k, slow in scale_k:
                lines.append("portreg-bench: scale %d unloaded %d %s 1000" % (k, r, v))
                lines.append("portreg-bench: scale %d loaded %d %s %d"
                             % (k, r, v, 1000 + slow + 10 * r))
    lines += ["portreg-bench: baseline 1234abc",
              "portreg-bench: profile-samples floor 19K",
              "portreg-bench: profile-samples loaded 20K",
              "portreg-bench: profile floor 90.00 0.30 do_syscall_64",
              "portreg-bench: profile loaded 91.00 0.20 do_syscall_64",
              "portreg-bench: profile loaded 7.25 1.50 pr_track_end",
              "portreg-bench: profile loaded 4.00 3.75 _raw_spin_unlock_irqrestore",
              "portreg-bench: profile floor 2.00 0.50 ftrace_trampoline",
              "portreg-bench: profile floor 1.00 0.30 ftrace_trampoline",
              "portreg-bench: profile loaded 5.00 0.60 ftrace_trampoline",
              "portreg-bench: profile floor 2.00 0.40 arch_rethook_trampoline",
              "portreg-bench: profile loaded 9.00 0.40 arch_rethook_trampoline"]
    return "\n".join(lines) + "\n"


def timed_console():
    """The wall-clock VM's: its own overhead rounds and the capture."""
    lines = ["portreg-bench: kernel 6.1.0-test cpus 2"]
    for r in range(1, 5):
        for v in VARIANTS:
            lines.append("portreg-bench: loop unloaded %d %s 70000" % (r, v))
            lines.append("portreg-bench: loop loaded %d %s 91000" % (r, v))
    lines += ["portreg-bench: capture 1 rate 1000 999 2998 drops 0 seen 2998",
              "portreg-bench: capture 2 rate 1000 950 2850 drops 0 seen 2850",
              "portreg-bench: noreader rate 80000 9728 29203 drops 25107 seen 29203 ring 4096"]
    return "\n".join(lines) + "\n"


def arm64_console():
    lines = ["portreg-bench: kernel 6.1.0-test-arm64 cpus 1"]
    for r in range(1, 5):
        for v in VARIANTS:
            lines.append("portreg-bench: loop kp-unloaded %d %s 10000" % (r, v))
            lines.append("portreg-bench: loop kp-floor %d %s 11000" % (r, v))
            lines.append("portreg-bench: loop kp-loaded %d %s 12500" % (r, v))
    return "\n".join(lines) + "\n"


def run(text, timed=None, arm64=None):
    with tempfile.TemporaryDirectory() as d:
        path, doc = os.path.join(d, "counted.txt"), os.path.join(d, "doc.md")
        tpath = os.path.join(d, "timed.txt")
        with open(path, "w") as f:
            f.write(text)
        with open(tpath, "w") as f:
            f.write(timed_console() if timed is None else timed)
        args = [path, tpath, "/nonexistent.ko", doc]
        if arm64 is not None:
            args.append(os.path.join(d, "arm64.txt"))
            with open(args[-1], "w") as f:
                f.write(arm64)
        out = subprocess.run([sys.executable, os.path.join(HERE, "report.py")] + args,
                             capture_output=True, text=True)
        return out.returncode, out.stdout + out.stderr


class Tables(unittest.TestCase):
    def test_profile_and_baseline(self):
        rc, out = run(console([]))
        self.assertEqual(rc, 0)
        self.assertIn("| the event and the record | `pr_track_end` | - | 7.25 |", out.replace("· ", ""))
        self.assertIn("interrupts back on (all callers, own) | `_raw_spin_unlock_irqrestore` | - | 3.75 |",
                      out)
        self.assertIn("took 5.0% of the loop's instructions with the floor and 14.0% with portreg", out)
        self.assertIn("portreg at 1234abc ratio", out)
        self.assertIn("| **median over variants** | | **1.080** | **1.120** |", out)
        self.assertTrue(out.rstrip().endswith("bind overhead ratio: 1.100"))
        # The connect loop's table and ratio, apart from the binds'.
        self.assertIn("### Connect path: socket(), connect(), close()", out)
        self.assertIn("| tcp4-connect | 20.0 | 1.020 | 1.001 |", out)
        self.assertIn("connect overhead ratio: 1.020", out)

    def test_scaling_verdicts(self):
        rc, out = run(console([(1, 50), (100000, 50)]))
        self.assertEqual(rc, 0)
        self.assertIn("confidence intervals overlap", out)
        rc, out = run(console([(1, 50), (100000, 400)]))
        self.assertIn("do not overlap: the difference is real", out)

    def test_two_vms(self):
        # The ratio on the last line is the counting VM's (1.100), never
        # the wall clock's (1.300); the capture comes from the latter.
        rc, out = run(console([]))
        self.assertEqual(rc, 0)
        cross = out.split("### Cross-check on the wall clock")[1]
        self.assertIn("| **median over variants** | | | | | **1.300** |", cross)
        self.assertIn("| 1 | 1000 | 999 | 2998 | 2998 | 0 |", out)
        self.assertIn("25107 dropped", out)
        self.assertTrue(out.rstrip().endswith("bind overhead ratio: 1.100"))

    def test_timed_vm_error_fails(self):
        rc, out = run(console([]), timed_console() + "portreg-bench: error rmmod\n")
        self.assertEqual(rc, 1)
        self.assertIn("wall-clock benchmark VM said: error rmmod", out)

    def test_arm64(self):
        rc, out = run(console([]), arm64=arm64_console())
        self.assertEqual(rc, 0)
        arm = out.split("### arm64: kprobes as BRK traps")[1].split("### Memory")[0]
        self.assertIn("6.1.0-test-arm64", arm)
        self.assertIn("| **median over variants** | | **1.100** | **1.250** |", arm)
        self.assertNotIn("bindsnoop", arm)
        # The x86_64 ratio stays the last line.
        self.assertTrue(out.rstrip().endswith("bind overhead ratio: 1.100"))
        rc, out = run(console([]), arm64="portreg-bench: kernel x cpus 1\n")
        self.assertEqual(rc, 1)
        self.assertIn("arm64 console has no side-by-side rounds", out)

    def test_no_profile(self):
        text = "\n".join(l for l in console([]).splitlines() if " profile" not in l)
        rc, out = run(text + "\nportreg-bench: profile-error perf is not installed\n")
        self.assertEqual(rc, 0)
        self.assertIn("The profile did not run: perf is not installed", out)


if __name__ == "__main__":
    unittest.main()
