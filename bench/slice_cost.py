#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""EL2 instructions per expiry of the round-robin time slice (docs/VIRTUAL-CPU.md).

    bench/slice_cost.py [--hog-ms 300]     (after `make all`)

Boots the ordinary hypervisor build (build/bulkhead.bin, the one scenarios run) with a
timerless bare-metal CPU hog on CPU 0 and our RTOS (priority 10, so the slice is on) on CPU 1,
under -icount with `-d exec,nochain,in_asm` restricted to the hypervisor image. While the hog
runs, nothing but the slice interrupts its pCPU: every IRQ exit there is one expiry. Each EL2
visit of CPU 0 that starts at the guest-IRQ vector and runs slice_due is counted from the
vector to the eret (everything the expiry costs at EL2). Prints the visits' count, min,
median, mean and max, and the functions of the median visit.
"""
import argparse
import bisect
import collections
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import el2prof  # noqa: E402  (TBLengths: the translation blocks' lengths)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ELF = os.path.join(ROOT, "build", "bulkhead.elf")
BIN = os.path.join(ROOT, "build", "bulkhead.bin")
HV_BASE = 0x40200000
CF_COUNT_MASK = 0x1ff  # QEMU 7.2 include/exec/exec-all.h
GUEST_VECTORS = 0x400    # el2_vectors: the lower-EL entries start here, 0x80 apart
GUEST_IRQ_VECTOR = 0x480  # IRQ from a lower EL using AArch64

DTS = """/dts-v1/;
/ {
    compatible = "bulkhead,scenario";
    vms {
        vm-hog {
            compatible = "bulkhead,vm";
            name = "hog";
            cpus = <0>;
            memory-size = <0x0 0x02000000>;
            kernel = "build/testguest/testguest.bin";
            bootargs = "tg.mode=hog tg.hog_ms=%d tg.name=hog";
        };
        vm-rtos {
            compatible = "bulkhead,vm";
            name = "rtos";
            cpus = <1>;
            priority = <10>;
            memory-size = <0x0 0x02000000>;
            kernel = "build/rtos/rtos.bin";
            bootargs = "rt.app=demo rt.secs=1";
        };
    };
};
"""


def trace(hog_ms, tmp):
    src = os.path.join(tmp, "slice.dts")
    with open(src, "w") as f:
        f.write(DTS % hog_ms)
    itb = os.path.join(tmp, "slice.itb")
    subprocess.run([os.path.join(ROOT, "tools/mkbundle.sh"), src, itb], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    logf = os.path.join(tmp, "exec.log")
    end = os.path.getsize(BIN) + HV_BASE + 0x200000
    out = subprocess.run([os.path.join(ROOT, "scripts/qemu.sh"), itb, "-icount",
                          "shift=0,sleep=off", "-d", "exec,nochain,in_asm", "-dfilter",
                          "0x%x..0x%x" % (HV_BASE, end), "-D", logf], cwd=ROOT,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         errors="replace", timeout=900).stdout
    if "TG hog: summary pass=1 fail=0" not in out or "RT summary tasks=3 misses=0 ok" not in out:
        sys.exit("slice_cost: the run did not end as expected:\n" + out[-2000:])
    m = re.search(r"^STATS vm=hog .* slice=(\d+)", out, re.M)
    return logf, int(m.group(1)) if m else None


def visits(logf, addrs, names, cpu_want=0):
    """CPU cpu_want's EL2 visits that start at the guest-IRQ vector and run slice_due:
    (insns, Counter(fn)). Every lower-EL vector entry starts a visit (a guest exit)."""
    base = addrs[names.index("el2_vectors")]
    entries = set(range(base + GUEST_VECTORS, base + 0x800, 0x80))
    tbs, cur, out = el2prof.TBLengths(), None, []
    with open(logf, errors="replace") as f:
        for line in f:
            if tbs.feed(line):
                continue
            m = re.match(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]", line)
            if not m or int(m.group(1)) != cpu_want:
                continue
            pc = int(m.group(2), 16)
            if pc in entries:
                cur = collections.Counter()
                if pc == base + GUEST_IRQ_VECTOR:
                    out.append(cur)
            elif cur is None:
                continue
            length = tbs.len.get(pc, 1)
            limit = int(m.group(3), 16) & CF_COUNT_MASK
            if limit:
                length = min(length, limit)
            for i in range(length):
                k = bisect.bisect_right(addrs, pc + 4 * i) - 1
                cur[names[k] if k >= 0 else "?"] += 1
    return [(sum(c.values()), c) for c in out if c.get("slice_due")]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hog-ms", type=int, default=300)
    ap.add_argument("--log", help="reuse an existing exec log")
    a = ap.parse_args()
    addrs, names = el2prof.symbols(ELF)
    with tempfile.TemporaryDirectory(prefix="slicecost.") as tmp:
        logf, stats_slice = (a.log, None) if a.log else trace(a.hog_ms, tmp)
        v = visits(logf, addrs, names)
    if not v:
        sys.exit("slice_cost: no slice expiry found on CPU 0")
    n = sorted(x for x, _ in v)
    med = statistics.median_low(n)
    print("slice expiries traced on CPU 0: %d (STATS slice=%s)" % (len(n), stats_slice))
    print("EL2 instructions per expiry: min %d median %d mean %.1f max %d"
          % (n[0], med, statistics.mean(n), n[-1]))
    c = next(c for x, c in v if x == med)
    for fn, k in c.most_common():
        print("  %5d  %s" % (k, fn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
