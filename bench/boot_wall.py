#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the wall time of `linux_boot_ratio`'s Bulkhead boot goes (docs/PERFORMANCE.md,
"Linux boot: where the wall time goes"): the run of bench/run.py's linux step (normal
hypervisor, configs/bench-linux.dts, no -icount) under `perf record`, its samples split at the
hypervisor's console lines into phases and sorted by what the host was doing.

    bench/boot_wall.py [--runs 3]     (after `make bench-build linux-guest`; needs perf)

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
import shutil
import signal
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


def perf_run(datafile):
    """One Bulkhead boot to Linux's /init under perf; (start, {mark: monotonic time})."""
    itb = run.bundle("bench-linux")
    args = run.QEMU_HV + ["-smp", "2", "-m", "2G"] + run.QEMU_COMMON + [
        "-kernel", os.path.join(run.BUILD, "bulkhead.bin"), "-initrd", itb]
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
        p.wait()
    if len(marks) != 3:
        raise run.BenchError("boot_wall: marks missing: %s" % sorted(marks))
    return t0, marks


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


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not shutil.which("perf"):
        print("boot_wall: needs perf (linux-perf)", file=sys.stderr)
        return 2
    os.makedirs(run.OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="boot_wall.")
    per_phase = {p: collections.Counter() for p in PHASES}
    secs = {p: [] for p in PHASES}
    try:
        for i in range(args.runs):
            data = os.path.join(tmp, "perf%d.data" % i)
            t0, marks = perf_run(data)
            bounds = [t0, marks[BOOTING], marks[run.STARTED_MARKER], marks[run.LINUX_MARKER]]
            for k, p in enumerate(PHASES):
                secs[p].append(bounds[k + 1] - bounds[k])
            for t, chain in samples(data):
                if not chain:
                    continue
                for k, p in enumerate(PHASES):
                    if bounds[k] <= t < bounds[k + 1]:
                        per_phase[p][classify(chain)] += 1
            print("run %d: %s" % (i + 1, ", ".join("%s %.2f s" % (p, secs[p][-1])
                                                    for p in PHASES)), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for p in PHASES:
        total = sum(per_phase[p].values())
        print("\n%s: median %.2f s wall, %d samples (all threads)" % (
            p, sorted(secs[p])[len(secs[p]) // 2], total))
        for cat, n in per_phase[p].most_common():
            print("  %5.1f%%  %s" % (100.0 * n / total, cat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
