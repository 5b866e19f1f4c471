#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the wall time of `linux_boot_ratio`'s Bulkhead boot goes (docs/PERFORMANCE.md,
"Linux boot: where the wall time goes"): the run of bench/run.py's linux step (normal
hypervisor, configs/bench-linux.dts, no -icount) under `perf record`, its samples split at the
hypervisor's console lines into phases and sorted by what the host was doing.

    bench/boot_wall.py [--runs 3] [--bin HV.bin ...]   (after `make all linux-guest`; needs perf)

With several --bin (hypervisor binaries, e.g. one built from another revision) the runs go
round-robin over them and each gets its own table: on this shared host compare builds only
interleaved. Each run also reports the CPU time QEMU used (user + sys, all its threads):
steadier than wall time when other jobs load the host.

    bench/boot_wall.py --ab 9 [--bin HV.bin ...]

no perf: ROUNDS rounds of each binary's boot and bare QEMU's (the linux step's two commands),
interleaved; medians and spread of the wall time to `all vms started` and to /init, of QEMU's
CPU time, and of the per-round ratio to bare QEMU (linux_boot_ratio's definition).

Phases (wall clock from QEMU's start): QEMU start -> `bulkhead: booting` -> `bulkhead: all vms
started` -> Linux's `bulkhead-linux: init`. Categories of a sample (its call chain):
  host page faults   the host kernel handing QEMU fresh zeroed pages of guest RAM on first
                     touch (exc_page_fault in the chain), by the QEMU code that touched it:
                     memset (QEMU's DC ZVA helper), a guest store (helper_*st*_mmu, TCG's
                     slow path), memmove/memcpy (QEMU loading -kernel/-initrd, or others)
  TCG code           translated guest code itself (no symbol: QEMU's code buffer)
  QEMU: libc         memset (DC ZVA on pages already there), memmove/memcpy, other libc
  QEMU               the rest of QEMU (translation, helpers such as the SHA-256 instructions,
                     device models, I/O thread; its binary has no symbols to tell them apart)
  host other         the rest of the host kernel (scheduling, syscalls, console I/O)
"""
import argparse
import collections
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.dont_write_bytecode = True
import run  # noqa: E402

BOOTING = "bulkhead: booting"
PHASES = ("qemu start -> booting", "booting -> all vms started", "all vms started -> init")


def perf_run(datafile, hv_bin):
    """One Bulkhead boot to Linux's /init under perf; (start, {mark: monotonic time}, CPU s)."""
    itb = run.bundle("bench-linux")
    args = run.QEMU_HV + ["-smp", "2", "-m", "2G"] + run.QEMU_COMMON + [
        "-kernel", hv_bin, "-initrd", itb]
    t0 = time.clock_gettime(time.CLOCK_MONOTONIC)
    p = subprocess.Popen(["perf", "record", "-q", "-F", "2999", "-g", "-k", "CLOCK_MONOTONIC",
                          "-o", datafile, "--", run.QEMU] + args, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    out, marks = b"", {}
    try:
        while time.clock_gettime(time.CLOCK_MONOTONIC) - t0 < 300:
            chunk = p.stdout.read1(65536)
            if not chunk:
                break
            out += chunk
            now = time.clock_gettime(time.CLOCK_MONOTONIC)
            for m in (BOOTING, run.STARTED_MARKER, run.LINUX_MARKER):
                if m not in marks and m.encode() in out:
                    marks[m] = now
            if run.LINUX_MARKER in marks:
                break
    finally:
        # end QEMU (perf's child, by its id) so that perf writes its data and exits
        try:
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                for child in f.read().split():
                    os.kill(int(child), signal.SIGINT)
        except OSError:
            p.kill()
        _, _, ru = os.wait4(p.pid, 0)
        p.returncode = 0
    if len(marks) != 3:
        raise run.BenchError("boot_wall: marks missing: %s" % sorted(marks))
    return t0, marks, ru.ru_utime + ru.ru_stime


def classify(chain):
    """Category of one sample from its call chain [(sym, dso)], innermost first."""
    syms = [s for s, _ in chain]
    if "exc_page_fault" in syms or "asm_exc_page_fault" in syms:
        user = next(((s, d) for s, d in chain if "kernel" not in d), ("?", "?"))
        if "memset" in user[0]:
            return "host page faults: memset (DC ZVA)"
        if re.search(r"helper_\w*st\w*_mmu", user[0]):
            return "host page faults: guest store"
        if "memmove" in user[0] or "memcpy" in user[0]:
            return "host page faults: memmove/memcpy"
        return "host page faults: other"
    sym, dso = chain[0]
    if "kernel" in dso:
        return "host other"
    if dso == "[unknown]" or "/perf-" in dso:
        return "TCG code"
    if "libc" in dso:
        return "QEMU: libc (%s)" % ("memset" if "memset" in sym else
                                   "memmove/memcpy" if "mem" in sym else "other")
    return "QEMU"


def samples(datafile):
    """[(time, [(sym, dso), ...])] of a perf.data file."""
    r = subprocess.run(["perf", "script", "-i", datafile, "-F", "time,ip,sym,dso"],
                       capture_output=True, text=True, check=True)
    res, t, chain = [], None, []
    for line in r.stdout.splitlines() + [""]:
        m = re.match(r"^\s*(\d+\.\d+):\s*$", line)
        if m:
            t, chain = float(m.group(1)), []
            continue
        m = re.match(r"^\s+[0-9a-f]+ (.*) \((.*)\)$", line)
        if m and t is not None:
            chain.append((m.group(1), m.group(2)))
            continue
        if not line.strip() and t is not None:
            res.append((t, chain))
            t = None
    return res


def report(name, secs, per_phase, cpu):
    """The table of one hypervisor binary's runs."""
    print("\n== %s: QEMU CPU time median %.2f s (%s)" % (
        name, statistics.median(cpu), ", ".join("%.2f" % c for c in cpu)))
    for p in PHASES:
        total = sum(per_phase[p].values())
        print("\n%s: median %.2f s wall (%s), %d samples (all threads)" % (
            p, statistics.median(secs[p]), ", ".join("%.2f" % x for x in secs[p]), total))
        for cat, n in per_phase[p].most_common():
            print("  %5.1f%%  %s" % (100.0 * n / max(total, 1), cat))


def ab(rounds, bins):
    """--ab: each binary and bare QEMU interleaved, no perf."""
    itb = run.bundle("bench-linux")
    bare_args = run.QEMU_BARE + ["-smp", "2", "-m", "256M"] + run.QEMU_COMMON + [
        "-kernel", os.path.join(run.BUILD, "linux", "Image"),
        "-initrd", os.path.join(run.BUILD, "linux", "initramfs.cpio.gz"),
        "-append", run.dts_bootargs("bench-linux")]
    cmds = {b: run.QEMU_HV + ["-smp", "2", "-m", "2G"] + run.QEMU_COMMON + [
        "-kernel", b, "-initrd", itb] for b in bins}
    cmds["bare QEMU"] = bare_args
    res = {k: collections.defaultdict(list) for k in cmds}
    for i in range(rounds):
        for k, args in cmds.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            _, t, seen = run.run_qemu(args, timeout=600, stop_at=run.LINUX_MARKER,
                                      marks=[run.STARTED_MARKER])
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[k]["init"].append(t)
            res[k]["cpu"].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
            if run.STARTED_MARKER in seen:
                res[k]["started"].append(seen[run.STARTED_MARKER])
        print("round %d: %s" % (i + 1, ", ".join("%s %.2f s" % (k, res[k]["init"][-1])
                                                 for k in cmds)), flush=True)
    for k in cmds:
        if k != "bare QEMU":
            res[k]["ratio"] = [a / b for a, b in zip(res[k]["init"], res["bare QEMU"]["init"])]
            res[k]["cpu ratio"] = [a / b for a, b in zip(res[k]["cpu"], res["bare QEMU"]["cpu"])]
        print("\n== %s" % k)
        for m in ("started", "init", "cpu", "ratio", "cpu ratio"):
            if res[k][m]:
                v = sorted(res[k][m])
                print("  %-9s median %.3f (min %.3f, max %.3f)" % (
                    m, statistics.median(v), v[0], v[-1]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", action="append", metavar="HV.bin",
                    help="hypervisor binary to boot (repeatable; default build/bulkhead.bin)")
    ap.add_argument("--ab", type=int, metavar="ROUNDS",
                    help="no perf: the binaries and bare QEMU interleaved, medians")
    args = ap.parse_args()
    bins = args.bin or [os.path.join(run.BUILD, "bulkhead.bin")]
    if args.ab:
        return ab(args.ab, bins)
    if not shutil.which("perf"):
        print("boot_wall: needs perf (linux-perf)", file=sys.stderr)
        return 2
    os.makedirs(run.OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="boot_wall.")
    per_phase = {b: {p: collections.Counter() for p in PHASES} for b in bins}
    secs = {b: {p: [] for p in PHASES} for b in bins}
    cpu = {b: [] for b in bins}
    try:
        for i in range(args.runs):
            for b in bins:
                data = os.path.join(tmp, "perf.data")
                t0, marks, cpu_s = perf_run(data, b)
                cpu[b].append(cpu_s)
                bounds = [t0, marks[BOOTING], marks[run.STARTED_MARKER], marks[run.LINUX_MARKER]]
                for k, p in enumerate(PHASES):
                    secs[b][p].append(bounds[k + 1] - bounds[k])
                for t, chain in samples(data):
                    if not chain:
                        continue
                    for k, p in enumerate(PHASES):
                        if bounds[k] <= t < bounds[k + 1]:
                            per_phase[b][p][classify(chain)] += 1
                print("run %d %s: %s, QEMU CPU %.2f s" % (
                    i + 1, b, ", ".join("%s %.2f s" % (p, secs[b][p][-1]) for p in PHASES),
                    cpu_s), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for b in bins:
        report(b, secs[b], per_phase[b], cpu[b])
    return 0


if __name__ == "__main__":
    sys.exit(main())
