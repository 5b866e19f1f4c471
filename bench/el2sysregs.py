#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Which system registers EL2 reads and writes per virtual IPI, per pCPU (docs/PERFORMANCE.md
"Where the wall time of an IPI goes"):

    bench/el2sysregs.py [--wfi-trap]      (after `make bench-build`)

Boots build/bulkhead.bin with configs/bench-wall.dts (--wfi-trap: bench-wall-wfitrap.dts),
bench.n lowered to 1000, under QEMU with `-d exec,nochain,in_asm` restricted to the
hypervisor image, and counts every executed MRS, MSR, ERET, ISB and DSB from the first
ICC_SGI1R_EL1 trap (trap_guest_sgi) on, divided by the number of those traps: the IPI loop
of the wall mode (pCPU 0 sends, pCPU 1 receives), plus the few exits of the guest's last
lines (its UART writes: ESR/FAR/HPFAR reads on pCPU 0). A write of VTTBR_EL2, HCR_EL2,
SCTLR, VBAR, TTBR or TCR here would flush QEMU's TLB on every IPI.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import run  # noqa: E402

ELF = os.path.join(run.BUILD, "bulkhead.elf")
BIN = os.path.join(run.BUILD, "bulkhead.bin")
KINDS = ("msr", "mrs", "eret", "isb", "dsb", "tlbi")


def start_address(symbol="trap_guest_sgi"):
    out = subprocess.run([run.CROSS + "nm", ELF], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == symbol:
            return int(f[0], 16)
    raise run.BenchError("no %s in %s" % (symbol, ELF))


def trace(scenario):
    with open(os.path.join(ROOT, "configs", scenario + ".dts")) as f:
        dts = re.sub(r"bench\.n=\d+", "bench.n=1000", f.read())
    tmp = tempfile.mkdtemp(prefix="el2sysregs.")
    src, itb, logf = (os.path.join(tmp, n) for n in ("wall.dts", "wall.itb", "exec.log"))
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run([os.path.join(ROOT, "tools/mkbundle.sh"), src, itb], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = os.path.getsize(BIN) + 0x40200000 + 0x200000
    args = run.QEMU_HV + ["-smp", "2", "-m", "2G"] + run.QEMU_COMMON + [
        "-kernel", BIN, "-initrd", itb,
        "-d", "exec,nochain,in_asm", "-dfilter", "0x40200000..0x%x" % end, "-D", logf]
    text, _, _ = run.run_qemu(args, timeout=600)
    run.guest_checks(text, "el2sysregs")
    return tmp, logf


def count(logf, start):
    tbs, cur, started = {}, None, False
    per = collections.Counter()
    starts = 0
    with open(logf, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                cur = []
                continue
            if cur is not None:
                m = re.match(r"0x([0-9a-f]+):\s+[0-9a-f]+\s+(.*)", line)
                if m:
                    cur.append((int(m.group(1), 16), m.group(2).strip()))
                    continue
                if cur:
                    tbs[cur[0][0]] = [ins for _, ins in cur if ins.split()[0] in KINDS]
                cur = None
            m = re.match(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/", line)
            if not m:
                continue
            cpu, pc = int(m.group(1)), int(m.group(2), 16)
            if pc == start:
                started = True
                starts += 1
            if started:
                for ins in tbs.get(pc, ()):
                    op = ins.split()
                    reg = re.sub(r"^[xw]\d+,?\s*|,?\s*[xw]\d+$|,?\s*xzr$", "", " ".join(op[1:]))
                    per[(cpu, op[0], reg.strip())] += 1
    return per, starts


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wfi-trap", action="store_true",
                    help="the receiver's WFI trapped (configs/bench-wall-wfitrap.dts)")
    args = ap.parse_args()
    tmp, logf = trace("bench-wall-wfitrap" if args.wfi_trap else "bench-wall")
    try:
        per, n = count(logf, start_address())
    finally:
        subprocess.run(["rm", "-rf", tmp], check=False)
    if not n:
        raise run.BenchError("no ICC_SGI1R_EL1 trap in the trace")
    print("%d IPIs; per IPI:" % n)
    for (cpu, op, reg), c in sorted(per.items()):
        if c / n >= 0.05:
            print("  cpu%d  %5.2f  %-4s %s" % (cpu, c / n, op, reg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
