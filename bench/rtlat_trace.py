#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pinned pCPU's EL2 work per timer tick, counted from QEMU's execution trace instead of
the PMU: the `rtlat-trace` step of `make bench` (docs/PERFORMANCE.md, "Real-time latency").

    bench/rtlat_trace.py            (after `make bench-build`): both scenarios, a summary
    bench/rtlat_trace.py --json X   ... and the figures as JSON

Why: QEMU 7.2 derives the PMU's INST_RETIRED from its global instruction count (icount is one
counter for all vCPUs, which run round robin on one thread), so when the round robin switches
away from pCPU 0 while it is at EL2, instructions of other vCPUs land in pCPU 0's EL2-filtered
counter. With a busy Linux beside the RTOS that happens now and then, and such a tick shows
thousands of extra "EL2 instructions" that pCPU 0 never executed. The trace counts what pCPU 0
executed at EL2: configs/bench-rtlat.dts and bench-rtlat-quiet.dts run under -icount with
`-d exec,nochain,in_asm` restricted to the hypervisor image (as bench/el2prof.py: a block
that icount cut short counts only what ran), streamed through a FIFO; pCPU 0's segments between counter reads (pmu_el2_insns) are cut exactly as
guests/rtos/apps/latency.c cuts its windows, less the calibration pair's segment.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.dont_write_bytecode = True
import el2prof  # noqa: E402
import run  # noqa: E402

# latency.c's counter reads on its pCPU: 1 (is the counter there?), 8 calibration pairs
# (reads 2..17; segment 2 lies between the first pair), then one per tick: RT_WARMUP ticks and
# rt.lat_n recorded ones, whose windows are the segments between consecutive tick reads.
CALIB_SEG = 2
TAIL_SEGS = 1  # after the last recorded tick's read: not a window


def parse_cpu0(logf, read_fn):
    """EL2 instructions pCPU 0 executed between its counter reads (el2prof.parse's counting,
    without the per-function attribution, which is too slow for a Linux VM's trace): a list,
    element k the segment after the k-th read (0: before the first). A block logged and then
    "Stopped execution of TB chain before" it did not run (its icount check found the budget
    spent, QEMU switched to the next vCPU, and runs it again later): it is not counted."""
    tbs = el2prof.TBLengths()
    segs = [0]
    last = None  # (pc, length, opened a segment) of the last block logged, if pCPU 0's
    with open(logf, errors="replace") as f:
        for line in f:
            if line.startswith("Stopped execution"):
                m = STOPPED_RE.match(line)
                if m and last and int(m.group(1), 16) == last[0]:
                    if last[2]:
                        segs.pop()
                    else:
                        segs[-1] -= last[1]
                last = None
                continue
            if tbs.feed(line):
                continue
            if not line.startswith("Trace 0:"):
                if line.startswith("Trace "):
                    last = None
                continue
            m = TRACE_RE.match(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            length = tbs.len.get(pc, 1)
            limit = int(m.group(2), 16) & el2prof.CF_COUNT_MASK
            if limit:
                length = min(length, limit)
            if pc == read_fn:
                segs.append(0)
            segs[-1] += length
            last = (pc, length, pc == read_fn)
    return segs


STOPPED_RE = re.compile(r"Stopped execution of TB chain before \S+ \[([0-9a-f]+)\]")
TRACE_RE = re.compile(r"Trace 0: \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]")


def traced_run(scenario):
    """Boot configs/<scenario>.dts traced; return (console text, segments of pCPU 0)."""
    addrs, names = el2prof.symbols()
    read_fn = addrs[names.index("pmu_el2_insns")]
    tmp = tempfile.mkdtemp(prefix="rtlat-trace.")
    fifo = os.path.join(tmp, "exec.fifo")
    os.mkfifo(fifo)
    result = {}

    def parse():
        try:
            result["segs"] = parse_cpu0(fifo, read_fn)
        except Exception as e:  # noqa: BLE001  reported below
            result["error"] = e

    th = threading.Thread(target=parse)
    th.start()
    end = os.path.getsize(el2prof.BIN) + 0x40200000 + 0x200000
    args = run.QEMU_HV + ["-smp", run.RTLAT_SMP, "-m", "2G"] + run.QEMU_COMMON + run.ICOUNT + [
        "-kernel", el2prof.BIN, "-initrd", run.bundle(scenario),
        "-d", "exec,nochain,in_asm", "-dfilter", "0x40200000..0x%x" % end, "-D", fifo]
    try:
        text, _, _ = run.run_qemu(args, timeout=1200, stop_at=run.RTLAT_STOP)
    finally:
        # QEMU is gone: the FIFO reaches end of file and the parser ends
        th.join()
        shutil.rmtree(tmp, ignore_errors=True)
    if "error" in result:
        raise run.BenchError("%s: trace parse failed: %s" % (scenario, result["error"]))
    return text, result["segs"]


def per_tick(scenario):
    """{'trace': [EL2 insns per tick], 'pmu': {value: count}, 'n': ticks} of one run."""
    text, segs = traced_run(scenario)
    pmu = run.rtlat_parse(text, scenario)
    n = pmu["n"]
    if len(segs) < CALIB_SEG + 1 + n + TAIL_SEGS:
        raise run.BenchError("%s: only %d counter reads traced" % (scenario, len(segs) - 1))
    calib = segs[CALIB_SEG]
    ticks = [s - calib for s in segs[-(n + TAIL_SEGS):-TAIL_SEGS]]
    return {"trace": ticks, "pmu": pmu, "n": n}


def figures(quiet, load):
    q = collections.Counter(quiet["trace"])
    lt = collections.Counter(load["trace"])
    # the PMU's value of each tick, by index, to name the ticks where it and the trace disagree
    return {
        "rtlat_trace_el2_hist_quiet": {str(k): v for k, v in sorted(q.items())},
        "rtlat_trace_el2_hist_load": {str(k): v for k, v in sorted(lt.items())},
        "rtlat_trace_el2_insns_max": max(load["trace"]),
        "rtlat_trace_ticks_differing": sum(c for v, c in lt.items() if v not in q),
        "rtlat_trace_same_as_quiet": set(q) == set(lt),
        "rtlat_trace_pmu_max_load": load["pmu"]["el2_max"],
        "rtlat_trace_pmu_outliers_load": load["pmu"]["el2_outliers"],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    os.makedirs(run.OUT, exist_ok=True)
    quiet = per_tick("bench-rtlat-quiet")
    load = per_tick("bench-rtlat")
    f = figures(quiet, load)
    print("pCPU 0, EL2 instructions per tick from the trace (value: ticks)")
    print("  quiet: %s" % f["rtlat_trace_el2_hist_quiet"])
    print("  load:  %s" % f["rtlat_trace_el2_hist_load"])
    print("  the PMU said (load): max %d, ticks off the median: %s" % (
        f["rtlat_trace_pmu_max_load"], f["rtlat_trace_pmu_outliers_load"]))
    print("ticks under load whose EL2 work no quiet tick had: %d" %
          f["rtlat_trace_ticks_differing"])
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(f, fh, indent=2, sort_keys=True)
            fh.write("\n")
    return 0 if f["rtlat_trace_same_as_quiet"] else 1


if __name__ == "__main__":
    sys.exit(main())
