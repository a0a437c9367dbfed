#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark VM's "portreg-bench:" console lines into a table.

usage: report.py COUNTED_TXT TIMED_TXT PORTREG_KO DOC [ARM64_TXT]

COUNTED_TXT is the console of the VM whose clock counts instructions
(QEMU -icount shift=0: one instruction is one nanosecond of guest time), so
its "times" are instruction counts; TIMED_TXT that of the VM on the wall
clock, for the capture rates and a cross-check of the overhead in time;
ARM64_TXT, if given, that of tests/bench/arm64.sh's VM (side by side only).

Prints the tables, writes them into DOC between the markers
"<!-- bench:begin -->" and "<!-- bench:end -->" (the text around them is
kept, so the analysis written by hand survives a rerun), and ends with two
lines: "bindsnoop overhead ratio: B", libbpf-tools' bindsnoop against no
hook in the side-by-side rounds, then "bind overhead ratio: R", portreg
against no hook in the overhead rounds; each the median over the bind
variants of the variant's median cost over its median cost unhooked, both
from the counting VM.  Before them, "connect overhead ratio: C", the same
for portreg on the connect loop in the side-by-side rounds.
"""
import collections
import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys

VARIANTS = ["tcp4-port", "tcp4-any", "udp4-port", "udp4-any",
            "tcp6-port", "tcp6-any", "udp6-port", "udp6-any"]
CONNECT_VARIANTS = ["tcp4-connect", "tcp6-connect"]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def parse(path):
    loops = collections.defaultdict(list)    # (mode, variant) -> [ns]
    scale = collections.defaultdict(list)    # (k, mode, variant) -> [ns]
    info, reads, capture, bt_attach, bt_events = {}, {}, [], [], []
    bt_error = None
    info["bs_attach"], info["bs_events"], info["bs_error"] = [], [], None
    for line in open(path, errors="replace"):
        m = re.search(r"portreg-bench: (.*)$", line)
        if not m:
            continue
        f = m.group(1).split()
        if f[0] in ("loop", "connect"):
            # The connect loop's variants are names of their own.
            loops[(f[1], f[3])].append(float(f[4]))
        elif f[0] == "scale":
            scale[(int(f[1]), f[2], f[4])].append(float(f[5]))
        elif f[0] == "memory":
            for k, v in zip(f[1::2], f[2::2]):
                info[k] = int(v)
        elif f[0] == "kernel":
            info["kernel"], info["cpus"] = f[1], f[3]
        elif f[0] == "tracking":
            info["tracking"] = " ".join(f[1:])
        elif f[0] == "read":
            # read services NS BYTES | read claims K NS BYTES | read who K NS
            if f[1] == "services" and len(f) == 4:
                reads[("services", 0)] = [int(f[2]), int(f[3])]
            elif f[1] in ("claims", "who") and len(f) >= 4:
                reads[(f[1], int(f[2]))] = [int(x) for x in f[3:]]
        elif f[0] == "claims-count":
            # claims-count K LINES records RECORDS
            info["claims_at_%s" % f[1]] = int(f[2])
            if len(f) >= 5:
                info["records_at_%s" % f[1]] = int(f[4])
        elif f[0] == "capture":
            # capture THREADS rate TARGET ACHIEVED BINDS drops D seen S
            capture.append(dict(threads=int(f[1]), target=int(f[3]),
                                achieved=float(f[4]), binds=int(f[5]),
                                drops=int(f[7]), seen=int(f[9])))
        elif f[0] == "noreader":
            # noreader rate TARGET ACHIEVED BINDS drops D seen S ring R
            info["noreader"] = dict(achieved=float(f[3]), binds=int(f[4]),
                                    drops=int(f[6]), seen=int(f[8]), ring=int(f[10]))
        elif f[0] == "bpftrace-attach-seconds":
            bt_attach.append(int(f[2]))
        elif f[0] == "bpftrace-events":
            bt_events.append(int(f[2]))
        elif f[0] == "bpftrace-error":
            bt_error = " ".join(f[1:])
        elif f[0] == "bindsnoop-attach-seconds":
            info["bs_attach"].append(int(f[2]))
        elif f[0] == "bindsnoop-events":
            info["bs_events"].append(int(f[2]))
        elif f[0] == "bindsnoop-error":
            info["bs_error"] = " ".join(f[1:])
        elif f[0] == "error":
            info.setdefault("errors", []).append(" ".join(f[1:]))
        elif f[0] == "loop-binds":
            info["loop"] = int(f[1])
        elif f[0] == "probes":
            info["probes"] = f[1:]
        elif f[0] == "baseline" and len(f) == 2:
            info["baseline"] = f[1]
        elif f[0] == "profile" and len(f) == 5:
            # profile MODE INCLUSIVE% SELF% SYMBOL.  ftrace gives each
            # ops of its own a trampoline of its own, all of them named
            # ftrace_trampoline: their shares add up.
            prof = info.setdefault("profile", {}).setdefault(f[1], {})
            incl, own = prof.get(f[4], (0.0, 0.0))
            prof[f[4]] = (incl + float(f[2]), own + float(f[3]))
        elif f[0] == "profile-samples" and len(f) == 3:
            info.setdefault("profile_samples", {})[f[1]] = f[2]
        elif f[0] == "profile-error":
            info["profile_error"] = " ".join(f[1:])
    return loops, scale, info, reads, capture, bt_attach, bt_events, bt_error


nan = float("nan")


def med(v):
    return statistics.median(v) if v else float("nan")


def spread(v):
    """Interquartile range as a percentage of the median."""
    if len(v) < 4:
        return float("nan")
    q = statistics.quantiles(v, n=4)
    return 100.0 * (q[2] - q[0]) / statistics.median(v)


def median_ci(values, want=0.9):
    """A distribution-free confidence interval for the median: the k-th
    smallest and k-th largest of the values, for the largest k whose
    coverage, 1 - 2 P(Binomial(n, 1/2) < k), is at least WANT.  Returns
    (low, high, coverage), or NaNs if there are too few values."""
    v, n = sorted(values), len(values)
    best = None
    for k in range(1, n // 2 + 1):
        below = sum(math.comb(n, i) for i in range(k)) / 2.0 ** n
        if 1 - 2 * below >= want:
            best = (v[k - 1], v[n - k], 1 - 2 * below)
    return best or (nan, nan, nan)


def ratios(loops, over, under, variants=VARIANTS):
    return {v: med(loops[(over, v)]) / med(loops[(under, v)])
            for v in variants if loops[(over, v)] and loops[(under, v)]}


def abba_table(w, loops, unit, short, what):
    """The overhead rounds: unloaded and loaded alternating.  Returns the
    median over the variants of their ratios, or NaN without rounds."""
    if not all(loops[("unloaded", v)] and loops[("loaded", v)] for v in VARIANTS):
        w("No complete overhead rounds were recorded.")
        w("")
        return nan
    w("%d rounds, unloaded and loaded alternating (ABBA), the same number of binds per "
      "variant and run. Cost: %s, in %s; spread is the interquartile range over the rounds "
      "as a percentage of the median."
      % (len(loops[("unloaded", VARIANTS[0])]), what, unit))
    w("")
    w("| variant | unloaded %s | spread | loaded %s | spread | ratio |" % (short, short))
    w("|---|---:|---:|---:|---:|---:|")
    r = ratios(loops, "loaded", "unloaded")
    for v in VARIANTS:
        a, b = loops[("unloaded", v)], loops[("loaded", v)]
        w("| %s | %.1f | %.1f%% | %.1f | %.1f%% | %.3f |"
          % (v, med(a) / 1e3, spread(a), med(b) / 1e3, spread(b), r[v]))
    overall = med(list(r.values()))
    w("| **median over variants** | | | | | **%.3f** |" % overall)
    w("")
    return overall


def tracer_table(w, loops, base, tracer, loaded, name):
    """Rows of one side-by-side comparison: the loop with nothing (BASE),
    with another tracer (TRACER) and with portreg (LOADED), same rounds."""
    other, ours = ratios(loops, tracer, base), ratios(loops, loaded, base)
    nan = float("nan")
    w("| variant | unloaded k instr | %s k instr | %s ratio | portreg k instr | portreg ratio |"
      % (name, name))
    w("|---|---:|---:|---:|---:|---:|")
    for v in VARIANTS:
        ours_us = med(loops[(loaded, v)]) / 1e3 if loops.get((loaded, v)) else nan
        w("| %s | %.1f | %.1f | %.3f | %.1f | %.3f |"
          % (v, med(loops[(base, v)]) / 1e3, med(loops[(tracer, v)]) / 1e3,
             other[v], ours_us, ours.get(v, nan)))
    w("| **median over variants** | | | **%.3f** | | **%.3f** |"
      % (med(list(other.values())), med(list(ours.values())) if ours else nan))


def side_table(w, loops, info, heading="### Side by side: the floor, the kernel's tracer, "
               "bindsnoop and portreg", variants=VARIANTS, what="the loop"):
    """The side-by-side rounds' table of VARIANTS; returns each row's
    ratios by mode, or None if there were no such rounds."""
    side = [("kp-floor", "portreg's floor (empty handlers)"),
            ("kp-tracefs", "kernel kprobe tracer"),
            ("kp-bindsnoop", "libbpf-tools bindsnoop"),
            ("kp-loaded", "portreg"),
            ("kp-baseline", "portreg at %s" % info.get("baseline", "?"))]
    side = [(mode, name) for mode, name in side
            if ratios(loops, mode, "kp-unloaded", variants)]
    if not side:
        return None
    w(heading)
    w("")
    w("%d rounds; in each, %s ran with nothing hooked; with portreg's floor (the "
      "same hooks on the same functions, their handlers empty: the hook machinery "
      "alone); with the kernel's own kprobe tracer (tracefs `kprobe_events`) on the same "
      "functions, return probes where portreg has them (%s), recording into the ftrace "
      "ring buffer;%s and with portreg%s. "
      "The order turns by one each round. Ratio: the variant's median over its median "
      "with nothing hooked."
      % (len(loops[("kp-unloaded", variants[0])]), what, ", ".join(info.get("probes", [])),
         " with libbpf-tools' `bindsnoop` writing to a file;"
         if any(m == "kp-bindsnoop" for m, _ in side) else "",
         " (this tree) and, for comparison, portreg built from revision %s"
         % info["baseline"] if info.get("baseline") else ""))
    w("")
    w("| variant | nothing k instr | " + " | ".join("%s ratio" % n for _, n in side) + " |")
    w("|---|---:|" + "---:|" * len(side))
    rs = {mode: ratios(loops, mode, "kp-unloaded", variants) for mode, _ in side}
    for v in variants:
        w("| %s | %.1f | " % (v, med(loops[("kp-unloaded", v)]) / 1e3) +
          " | ".join("%.3f" % rs[m].get(v, float("nan")) for m, _ in side) + " |")
    w("| **median over variants** | | " +
      " | ".join("**%.3f**" % med(list(rs[m].values())) for m, _ in side) + " |")
    w("")
    return rs


# The profile's rows: (symbol, what it is, inclusive or own share).
PROFILE_ROWS = [
    ("do_syscall_64", "all system calls of the loop", "incl"),
    ("ftrace_trampoline", "entry probes: ftrace's trampolines, the kprobe, the callbacks", "incl"),
    ("kprobe_ftrace_handler", "  the kprobe dispatch and its handlers", "incl"),
    ("arch_rethook_trampoline", "return probes: rethook's trampoline and the handlers", "incl"),
    ("pr_bind_entry", "  portreg: bind entry (the request, the lock check)", "incl"),
    ("pr_port_return", "  portreg: bind, listen, autobind return", "incl"),
    ("pr_track_end", "    the event and the record", "incl"),
    ("pr_records_add", "      the claimer's record: insert", "incl"),
    ("pr_ring_add", "      the bind log: append", "incl"),
    ("ktime_get_with_offset", "      the event's wall-clock time", "incl"),
    ("read_hpet", "        of which the HPET read", "incl"),
    ("pr_netns_find", "      the namespace's log and counters", "incl"),
    ("pr_sock_cookie", "      the socket's cookie", "incl"),
    ("memset_erms", "      (memset, all callers, own)", "self"),
    ("hsiphash_2u32", "      (the records' keyed bucket hash, all callers)", "incl"),
    ("pr_release_ftrace", "  portreg: port release (an ftrace_ops callback)", "incl"),
    ("pr_records_drop", "    the claimer's record: drop", "incl"),
    ("ftrace_ops_assist_func", "  ftrace's recursion-guarding wrapper (not called for portreg)", "incl"),
    ("_raw_spin_unlock_irqrestore", "interrupts back on (all callers, own)", "self"),
]


def profile_table(w, info):
    prof = info.get("profile", {})
    if not prof.get("floor") or not prof.get("loaded"):
        w("The profile did not run: %s" % info.get("profile_error", "no samples"))
        w("")
        return
    samples = info.get("profile_samples", {})
    w("`perf record -C 0 -g -e cpu-clock -F 10000` on the loop's vCPU in the counting VM, "
      "over twenty rounds' worth of binds, with the floor and with portreg loaded; %s and %s "
      "samples, one every 100,000 instructions. Each figure is a share of all samples: "
      "inclusive (the function and what it calls) unless marked own. The timer that samples "
      "is an interrupt, so instructions run with interrupts off are counted where they come "
      "back on (`_raw_spin_unlock_irqrestore`, the trampolines' `popf`), not where they ran."
      % (samples.get("floor", "?"), samples.get("loaded", "?")))
    w("")
    w("| what | symbol | floor % | portreg % |")
    w("|---|---|---:|---:|")
    for sym, what, kind in PROFILE_ROWS:
        i = 0 if kind == "incl" else 1
        cells = []
        for mode in ("floor", "loaded"):
            v = prof[mode].get(sym)
            cells.append("%.2f" % v[i] if v else "-")
        depth = (len(what) - len(what.lstrip())) // 2
        w("| %s%s | `%s` | %s | %s |" % ("· " * depth, what.strip(), sym, cells[0], cells[1]))
    w("")
    hook = {m: sum(prof[m].get(s, (0.0, 0.0))[0]
                   for s in ("ftrace_trampoline", "arch_rethook_trampoline"))
            for m in ("floor", "loaded")}
    w("The hook, machinery and handlers, took %.1f%% of the loop's instructions with the "
      "floor and %.1f%% with portreg." % (hook["floor"], hook["loaded"]))
    w("")


def size_of(ko):
    try:
        out = subprocess.run(["size", "-A", ko], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    sec = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0].startswith(".") and f[1].isdigit():
            sec[f[0]] = int(f[1])
    text = sum(v for k, v in sec.items() if k.startswith((".text", ".init.text", ".exit.text")))
    rodata = sum(v for k, v in sec.items() if k.startswith(".rodata"))
    data = sum(v for k, v in sec.items() if k.startswith(".data") or k == ".bss")
    return dict(text=text, rodata=rodata, data=data)


def host_cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main():
    if len(sys.argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    loops, scale, info, reads, capture, bt_attach, bt_events, bt_error = parse(sys.argv[1])
    if info.get("errors"):
        for e in info["errors"]:
            print("report.py: the benchmark VM said: error %s" % e, file=sys.stderr)
        return 1
    tloops, _, tinfo, _, capture, _, _, _ = parse(sys.argv[2])
    if tinfo.get("errors"):
        for e in tinfo["errors"]:
            print("report.py: the wall-clock benchmark VM said: error %s" % e, file=sys.stderr)
        return 1
    out = []
    w = out.append
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    w("Measured %s on %s (%d host cores), in QEMU TCG (%s, one host thread), "
      "guest kernel %s (Debian), Debian's initrd and a debootstrap root. "
      "Two VMs: one whose clock counts instructions (`-icount shift=0`, %s vCPU), where "
      "everything but the capture rates is measured, and one on the wall clock (%s vCPUs) "
      "for the capture rates and a cross-check in time."
      % (datetime.date.today().isoformat(), host_cpu(), os.cpu_count(), qemu,
         info.get("kernel", "?"), info.get("cpus", "?"), tinfo.get("cpus", "?")))
    w("")
    w("### Bind path: socket(), bind(), close()")
    w("")
    overall = abba_table(w, loops, "thousand instructions", "k instr",
                         "the instructions the vCPU executed per iteration (the guest "
                         "clock of the counting VM), median over the rounds")
    if overall != overall:
        print("report.py: the console has no complete overhead rounds", file=sys.stderr)
        return 1

    bindsnoop = None
    rs = side_table(w, loops, info)
    if rs:
        if "kp-bindsnoop" in rs:
            bindsnoop = med(list(rs["kp-bindsnoop"].values()))
            w("bindsnoop took %s s to attach (median) and wrote %s events per round "
              "(the loop makes %d binds)." % (med(info["bs_attach"]), med(info["bs_events"]),
                                               len(VARIANTS) * info.get("loop", 0)))
            w("")
    if info.get("bs_error"):
        w("bindsnoop did not run: %s" % info["bs_error"])
        w("")

    connect = None
    crs = side_table(w, loops, info, "### Connect path: socket(), connect(), close()",
                     CONNECT_VARIANTS,
                     "a loop of non-blocking TCP connects to a loopback port nobody "
                     "listens on (the kernel picks the port, sends the SYN; the "
                     "peer's RST finds the socket closed)")
    if crs and "kp-loaded" in crs:
        connect = med(list(crs["kp-loaded"].values()))

    w("### Where the instructions go")
    w("")
    profile_table(w, info)

    w("### Against bpftrace")
    w("")
    if ratios(loops, "bpftrace", "bt-unloaded"):
        w("%d rounds; in each, bpftrace (tests/bench/bindsnoop.bt: kprobe and kretprobe on "
          "inet_bind and inet6_bind, kprobes on the release paths, an event printed per bind "
          "and a map of holders) traced the loop, then the loop ran unloaded and with portreg "
          "loaded. bpftrace took %s s to attach (median) and printed %s events per round."
          % (len(loops[("bpftrace", VARIANTS[0])]), med(bt_attach), med(bt_events)))
        w("")
        tracer_table(w, loops, "bt-unloaded", "bpftrace", "bt-loaded", "bpftrace")
    else:
        w("bpftrace did not run: %s" % (bt_error or "no rounds were recorded"))
    w("")

    w("### Scaling with the number of held ports")
    w("")
    w("The same loop with K TCP ports already held by another process (ports 20000 to "
      "59999 on 127.0.1.1, then 127.0.1.2 and on; the loop binds 127.0.0.1 and ::1), "
      "unloaded and loaded alternating, %d rounds per size; loaded with max_claims=131072 "
      "tenant_share=100, so every held socket has its record. A round's ratio is the median "
      "over the variants of loaded over unloaded in that round; the table gives the median "
      "round, the interquartile range of the rounds, a distribution-free confidence interval "
      "for the median (order statistics of the rounds; its coverage is given), and the "
      "loaded cost per iteration."
      % max([len(v) for v in scale.values()] or [0]))
    w("")
    w("| K held | lines in claims | records | loaded k instr per iteration | ratio "
      "| ratio IQR over rounds "
      "| confidence interval of the median |")
    w("|---:|---:|---:|---:|---:|---|---|")
    flat = {}
    for k in sorted({k for k, _, _ in scale}):
        nrounds = min(len(scale[(k, m, v)]) for m in ("loaded", "unloaded") for v in VARIANTS)
        per_round = [med([scale[(k, "loaded", v)][i] / scale[(k, "unloaded", v)][i]
                          for v in VARIANTS]) for i in range(nrounds)]
        per = med([med(scale[(k, "loaded", v)]) for v in VARIANTS if scale[(k, "loaded", v)]])
        q = statistics.quantiles(per_round, n=4) if len(per_round) >= 2 else [nan, nan, nan]
        lo_ci, hi_ci, cover = median_ci(per_round)
        flat[k] = (med(per_round), lo_ci, hi_ci)
        w("| %d | %s | %s | %.1f | %.3f | %.3f to %.3f | %.3f to %.3f (%.0f%%) |"
          % (k, info.get("claims_at_%d" % k, "?"), info.get("records_at_%d" % k, "?"),
             per / 1e3, med(per_round), q[0], q[2], lo_ci, hi_ci, 100 * cover))
    w("")
    if len(flat) > 1:
        lo, hi = min(flat), max(flat)
        overlap = flat[hi][1] <= flat[lo][2] and flat[lo][1] <= flat[hi][2]
        w("From %d to %d held ports the median ratio went from %.3f to %.3f; the two "
          "sizes' confidence intervals %s."
          % (lo, hi, flat[lo][0], flat[hi][0],
             "overlap: no difference is shown at that confidence" if overlap else
             "do not overlap: the difference is real at that confidence"))
        w("")

    w("### Reads")
    w("")
    w("Median of 20 reads of the whole file (open to EOF), or of 20 runs of the tool, "
      "in the counting VM: millions of instructions.")
    w("")
    w("| what | size | M instr |")
    w("|---|---:|---:|")
    if ("services", 0) in reads:
        ns, size = reads[("services", 0)]
        w("| /proc/portreg/services (%d lines) | %d B | %.1f |"
          % (info.get("services_lines", 0), size, ns / 1e6))
    for k in sorted(k for what, k in reads if what == "claims"):
        ns, size = reads[("claims", k)]
        w("| /proc/portreg/claims, %d held | %d B | %.2f (%.1f k per claim) |"
          % (k, size, ns / 1e6, ns / 1e3 / k))
    for k in sorted(k for what, k in reads if what == "who"):
        w("| portreg who 20000, %d held | | %.1f |" % (k, reads[("who", k)][0] / 1e6))
    w("")

    w("### Capture: the ring at its default size (4096 events)")
    w("")
    w("In the VM on the wall clock: paced binds (UDP, port 0) for 3 s from 1 or 2 "
      "threads, each on its own vCPU, with `cat /proc/portreg/binds_follow` reading; a "
      "fresh load per rate.")
    w("")
    w("| threads | target/s | achieved/s | binds | events seen | drops |")
    w("|---:|---:|---:|---:|---:|---:|")
    best = {}
    for c in capture:
        w("| %d | %d | %.0f | %d | %d | %d |"
          % (c["threads"], c["target"], c["achieved"], c["binds"], c["seen"], c["drops"]))
        if c["drops"] == 0 and c["seen"] == c["binds"]:
            best[c["threads"]] = max(best.get(c["threads"], 0), c["achieved"])
    w("")
    for t in sorted(best):
        twice = [c for c in capture if c["threads"] == t and c["achieved"] >= 1.8 * best[t]]
        tail = ("at twice that (%.0f/s achieved): %d drops of %d events"
                % (twice[0]["achieved"], twice[0]["drops"], twice[0]["binds"])
                if twice else "twice that rate was beyond what the vCPUs could bind")
        w("- %d thread%s: highest rate with zero drops %.0f binds/s; %s."
          % (t, "" if t == 1 else "s", best[t], tail))
    w("")

    nr = tinfo.get("noreader")
    if nr:
        w("- No reader at all, 2 threads flat out: %.0f binds/s, %d binds, %d events seen, "
          "%d dropped (everything beyond the ring's %d: expected %d). The binds never waited."
          % (nr["achieved"], nr["binds"], nr["seen"], nr["drops"], nr["ring"],
             max(0, nr["seen"] - nr["ring"])))
    w("")

    w("### Cross-check on the wall clock")
    w("")
    w("The overhead rounds again, in the VM on the wall clock (TCG time, %s vCPUs). TCG "
      "emulates some instructions (`popf`, traps, live code patching) far more slowly than "
      "others, and this host's noise is in every figure." % tinfo.get("cpus", "?"))
    w("")
    abba_table(w, tloops, "µs of guest time", "µs",
               "the median time per iteration")

    if len(sys.argv) == 6:
        aloops, _, ainfo, _, _, _, _, _ = parse(sys.argv[5])
        if ainfo.get("errors"):
            for e in ainfo["errors"]:
                print("report.py: the arm64 benchmark VM said: error %s" % e, file=sys.stderr)
            return 1
        heading = ("### arm64: kprobes as BRK traps\n\nDebian's arm64 kernel %s under "
                   "qemu-system-aarch64, its clock counting instructions (`-icount shift=0`, "
                   "%s vCPU), with a busybox initramfs. 6.1's arm64 has no kprobes on ftrace: every "
                   "kprobe, the entry of every return probe included, is a BRK trap; portreg's "
                   "release hooks are ftrace callbacks, which save the registers there."
                   % (ainfo.get("kernel", "?"), ainfo.get("cpus", "?")))
        if not side_table(w, aloops, ainfo, heading):
            print("report.py: the arm64 console has no side-by-side rounds", file=sys.stderr)
            return 1
        side_table(w, aloops, ainfo, "Connect path on arm64:", CONNECT_VARIANTS,
                   "the connect loop")

    w("### Memory")
    w("")
    sz = size_of(sys.argv[3])
    w("| what | bytes |")
    w("|---|---:|")
    w("| module, as loaded (/proc/modules) | %s |" % info.get("module_bytes", "?"))
    if sz:
        w("| module text | %d |" % sz["text"])
        w("| module rodata (the registry is most of it) | %d |" % sz["rodata"])
        w("| module data and bss | %d |" % sz["data"])
    w("| /proc/portreg/services as read (%s lines) | %s |"
      % (info.get("services_lines", "?"), info.get("services_file_bytes", "?")))
    if info.get("ring_size"):
        w("| bind log: per event | %d |" % (info["ring_bytes"] // info["ring_size"]))
        w("| bind log at ring_size=%d | %d |" % (info["ring_size"], info["ring_bytes"]))
    if info.get("records_max"):
        w("| claim records: per record, hash heads included | %d |"
          % (info["records_bytes"] // info["records_max"]))
        w("| claim records at max_claims=%d | %d |" % (info["records_max"], info["records_bytes"]))
    w("")

    text = "\n".join(out)
    print(text)
    doc = sys.argv[4]
    old = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n\n%s\n%s\n" % (BEGIN, END)
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + BEGIN + "\n" + text + "\n" + END + "\n"
    with open(doc + ".tmp", "w") as f:
        f.write(new)
    os.replace(doc + ".tmp", doc)
    if bindsnoop is None:
        print("bindsnoop overhead ratio: not measured (%s)"
              % (info.get("bs_error") or "no side-by-side rounds"))
    else:
        print("bindsnoop overhead ratio: %.3f" % bindsnoop)
    if connect is None:
        print("connect overhead ratio: not measured (no connect rounds)")
    else:
        print("connect overhead ratio: %.3f" % connect)
    print("bind overhead ratio: %.3f" % overall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
