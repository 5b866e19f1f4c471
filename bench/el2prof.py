#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the EL2 instructions go: a per-function profile of the micro benchmark and of boot
(--ipc, --net: of the IPC and network benchmarks).

    bench/el2prof.py [--top 12]      (after `make bench-build`)

Boots build/bench/bulkhead.bin with configs/bench-micro.dts under QEMU with `-d exec,nochain,
in_asm` restricted to the hypervisor image, and attributes every executed EL2 instruction to
the function holding it (symbols of build/bench/bulkhead.elf). The guest is loaded at IPA
0x40000000 and is far smaller than the 2 MiB below the hypervisor's 0x40200000, so no guest
code falls in the traced range. Windows are cut at the guest's
counter-read hypercalls (pmu_el2_insns), exactly as guests/bench/micro.c measures them, and a
back-to-back read pair is subtracted, so the per-operation totals match `make bench` (give or
take a translation block cut short by an exception). It runs under -icount like the bench;
a block that icount limits carries its length in the logged cflags (CF_COUNT_MASK).
"""
import argparse
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import run  # noqa: E402  (shares QEMU command lines and the bundle helper)

ELF = os.path.join(run.OUT, "bulkhead.elf")
BIN = os.path.join(run.OUT, "bulkhead.bin")
# Fewer operations than `make bench` (the log grows by ~40 KB per operation), written with as
# many characters as "1000", so the bundle keeps the same layout (image alignment changes
# what loading and hashing cost; see docs/PERFORMANCE.md).
BENCH_N = "0x20"
CF_COUNT_MASK = 0x1ff  # QEMU 7.2 include/exec/exec-all.h

# Counter reads of guests/bench/micro.c, per vCPU, 1-based: CPU0 checks the counter once,
# calibrates with 8 back-to-back pairs, then reads before and after each measurement.
CPU0_WINDOWS = [("hvc", 18), ("mmio_uart", 20), ("mmio_gicd", 22), ("irq", 24),
                ("ipi_send", 26)]
CPU0_CALIB = 16
CPU1_WINDOWS = [("ipi_recv", 17)]
CPU1_CALIB = 15


def symbols(elf=ELF):
    """The functions of elf (default: the bench hypervisor) by address: (addrs, names)."""
    out = subprocess.run([run.CROSS + "nm", "-n", "--defined-only", elf], capture_output=True,
                         text=True, check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        a, t, name = line.split()[:3]
        if t.lower() in "tw" and not name.startswith("$"):
            addrs.append(int(a, 16))
            names.append(name)
    return addrs, names


# --ipc: configs/bench-ipc.dts (guests/bench/ipc.c). Both CPUs read the counter once, then
# calibrate (reads 2..17); tx's doorbell window is segment 18, then one window per semaphore
# post (segments 20, 22, ...), then one per 64-byte batch of 16 sends; rx's doorbell window
# is its segment 18. Entries: name, cpu, first segment, step, how many windows (BENCH_N = 32).
IPC_WINDOWS = [("doorbell send", 0, 18, 2, 1), ("sem post + wake", 0, 20, 2, 32),
               ("msgq send 64 B", 0, 84, 2, 2), ("doorbell receive", 1, 18, 2, 1)]


# --net: configs/bench-net.dts (guests/bench/net.c). The same first 17 reads on each CPU; tx
# then has one window per frame (BENCH_N of 64 bytes from segment 18, then BENCH_N of 1500),
# rx one window per size (segments 18 and 20), each over BENCH_N frames.
NET_N = int(BENCH_N, 16)
NET_WINDOWS = [("frame 64 B, sender", 0, 18, 2, NET_N),
               ("frame 1500 B, sender", 0, 18 + 2 * NET_N, 2, NET_N),
               ("frame 64 B, receiver", 1, 18, 2, 1), ("frame 1500 B, receiver", 1, 20, 2, 1)]


def trace(scenario="bench-micro", smp="4"):
    """Run the traced boot; return the log path and the guest's operation counts."""
    with open(os.path.join(ROOT, "configs", scenario + ".dts")) as f:
        dts = f.read()
    if not re.search(r"bench\.n=\d+", dts):
        raise run.BenchError("configs/%s.dts: expected bench.n=" % scenario)
    dts = re.sub(r"bench\.n=\d+", "bench.n=" + BENCH_N, dts)
    tmp = tempfile.mkdtemp(prefix="el2prof.")
    src = os.path.join(tmp, "bench-prof.dts")
    with open(src, "w") as f:
        f.write(dts)
    itb = os.path.join(tmp, "bench-prof.itb")
    subprocess.run([os.path.join(ROOT, "tools/mkbundle.sh"), src, itb], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = os.path.getsize(BIN) + 0x40200000 + 0x200000
    logf = os.path.join(tmp, "exec.log")
    args = run.QEMU_HV + ["-smp", smp, "-m", "2G"] + run.QEMU_COMMON + [
        "-icount", "shift=0,sleep=off", "-kernel", BIN, "-initrd", itb,
        "-d", "exec,nochain,in_asm", "-dfilter", "0x40200000..0x%x" % end, "-D", logf]
    text, _, _ = run.run_qemu(args, timeout=600)
    run.guest_checks(text, "el2prof", guests=1 if scenario == "bench-micro" else 2)
    return logf, {k: v["n"] for k, v in run.bench_lines(text).items() if "n" in v}


class TBLengths:
    """The instruction count of each translation block QEMU's `-d in_asm` listed ("IN:" then
    one "0x<addr>:" line per instruction), by its start address; a block listed again shorter
    (icount cut it) keeps its full length. feed(line) is True for the listing's own lines."""

    def __init__(self):
        self.len = {}
        self._cur = None

    def feed(self, line):
        if line.startswith("IN:"):
            self._cur = []
            return True
        if self._cur is not None:
            m = re.match(r"0x([0-9a-f]+):", line)
            if m:
                self._cur.append(int(m.group(1), 16))
                return True
            if self._cur:
                self.len[self._cur[0]] = max(len(self._cur), self.len.get(self._cur[0], 0))
            self._cur = None
        return False


# Library code (libfdt, BearSSL, lib/string.c) is also charged to the last function outside it
# that ran before it, its caller in practice: the "by caller" view of boot.
LIB_PREFIXES = ("fdt", "_fdt", "br_", "mem", "str", "bh_vsnprintf", "bh_snprintf")


def parse(logf, addrs, names):
    """Per CPU: the list of segments between counter reads, each a Counter(function: insns);
    segment 0 runs from the CPU's first instruction to its first counter read. Also the
    boot segment of CPU0 up to its first guest entry."""
    tbs = TBLengths()
    read_fn = addrs[names.index("pmu_el2_insns")]
    enter_fn = addrs[names.index("guest_enter")]
    segs = collections.defaultdict(lambda: [collections.Counter()])
    boot = collections.Counter()
    boot_by_caller = collections.Counter()
    caller = "?"
    boot_done = False
    with open(logf, errors="replace") as f:
        for line in f:
            if tbs.feed(line):
                continue
            m = re.match(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]", line)
            if not m:
                continue
            cpu, pc = int(m.group(1)), int(m.group(2), 16)
            length = tbs.len.get(pc, 1)
            limit = int(m.group(3), 16) & CF_COUNT_MASK
            if limit:
                length = min(length, limit)
            if pc == read_fn:
                segs[cpu].append(collections.Counter())
            if cpu == 0 and pc == enter_fn:
                boot_done = True
            for i in range(length):
                a = pc + 4 * i
                k = bisect.bisect_right(addrs, a) - 1
                fn = names[k] if k >= 0 else "?"
                segs[cpu][-1][fn] += 1
                if cpu == 0 and not boot_done:
                    boot[fn] += 1
                    if not fn.startswith(LIB_PREFIXES):
                        caller = fn
                    boot_by_caller[caller] += 1
    return segs, boot, boot_by_caller


def show(title, counter, divisor, top):
    total = sum(counter.values()) / divisor
    print("\n%s: %.0f EL2 instructions" % (title, total))
    for fn, c in counter.most_common(top):
        if c / divisor >= 0.5:
            print("  %8.1f  %5.1f%%  %s" % (c / divisor, 100.0 * c / divisor / total, fn))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--log", help="reuse an existing exec log")
    ap.add_argument("--ipc", action="store_true",
                    help="profile configs/bench-ipc.dts (doorbell, semaphore, 64 B send)")
    ap.add_argument("--net", action="store_true",
                    help="profile configs/bench-net.dts (frames of 64 and 1500 bytes)")
    args = ap.parse_args()
    addrs, names = symbols()
    if args.log:
        logf, counts = args.log, {}
    elif args.ipc:
        logf, counts = trace("bench-ipc", "2")
    elif args.net:
        logf, counts = trace("bench-net", "2")
    else:
        logf, counts = trace()
    try:
        segs, boot, boot_by_caller = parse(logf, addrs, names)
    finally:
        if not args.log:
            shutil.rmtree(os.path.dirname(logf), ignore_errors=True)
    if args.ipc or args.net:
        for name, cpu, first, step, count in IPC_WINDOWS if args.ipc else NET_WINDOWS:
            per = collections.Counter()
            for j in range(count):
                per.update(segs[cpu][first + step * j])
                per.subtract(segs[cpu][16])
            show("%s, per operation (cpu %d)" % (name, cpu), +per, int(BENCH_N, 16), args.top)
        return 0
    show("boot, CPU0 entry to first guest entry (includes image hashing)", boot, 1, args.top)
    show("boot by caller (library code charged to the function that called it)",
         boot_by_caller, 1, args.top)
    for cpu, windows, calib in ((0, CPU0_WINDOWS, CPU0_CALIB), (1, CPU1_WINDOWS, CPU1_CALIB)):
        if len(segs[cpu]) <= max(w for _, w in windows):
            print("cpu %d: only %d counter reads in the trace" % (cpu, len(segs[cpu]) - 1))
            continue
        cal = segs[cpu][calib]
        for name, k in windows:
            per = segs[cpu][k].copy()
            per.subtract(cal)
            show("%s, per operation (cpu %d)" % (name, cpu), +per, counts.get(name, 1),
                 args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
