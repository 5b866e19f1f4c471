#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Scenario test runner: boots a scenario under QEMU and checks its console.

A test file (tests/scenarios/*.test) is a list of directives, one per line:
    scenario NAME        configs/NAME.dts is packed into a bundle and booted
    timeout SECONDS      whole-run limit (QEMU is killed after it: the test fails)
    expect REGEX         must appear, in this order relative to other expects
    expect-any REGEX     must appear somewhere (any order)
    count N REGEX        must appear at least N times
    forbid REGEX         must never appear
    exit CODE            QEMU's expected exit status (default 0: powered off by itself)
    qemu ARGS            extra QEMU arguments
Lines starting with # are comments. Several tests run in parallel (-j).
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse(path):
    t = {"name": os.path.basename(path)[:-5], "timeout": 300, "expect": [], "any": [],
         "count": [], "forbid": [], "exit": 0, "qemu": [], "scenario": None}
    with open(path) as f:
        for ln, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, rest = line.partition(" ")
            if key == "scenario":
                t["scenario"] = rest.strip()
            elif key == "timeout":
                t["timeout"] = int(rest)
            elif key == "expect":
                t["expect"].append(rest)
            elif key == "expect-any":
                t["any"].append(rest)
            elif key == "count":
                n, _, rx = rest.partition(" ")
                t["count"].append((int(n), rx))
            elif key == "forbid":
                t["forbid"].append(rest)
            elif key == "exit":
                t["exit"] = int(rest)
            elif key == "qemu":
                t["qemu"] += rest.split()
            else:
                raise SystemExit(f"{path}:{ln}: unknown directive '{key}'")
    if not t["scenario"]:
        raise SystemExit(f"{path}: no scenario line")
    return t


def run_one(t):
    logdir = os.path.join(ROOT, "build", "logs")
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, t["name"] + ".log")
    bundle = os.path.join(ROOT, "build", "bundles", t["scenario"] + ".itb")
    start = time.time()
    with open(log, "w") as out:
        try:
            p = subprocess.run([os.path.join(ROOT, "scripts", "qemu.sh"), bundle] + t["qemu"],
                               stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                               timeout=t["timeout"], cwd=ROOT)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            rc = None
    with open(log, errors="replace") as f:
        text = f.read()
    return check(t, text, rc, log, time.time() - start)


def check(t, text, rc, log, secs):
    errs = []
    if rc is None:
        errs.append(f"timed out after {t['timeout']} s")
    elif rc != t["exit"]:
        errs.append(f"QEMU exit status {rc}, expected {t['exit']}")
    pos = 0
    for rx in t["expect"]:
        m = re.compile(rx, re.M).search(text, pos)
        if not m:
            errs.append(f"missing (in order): {rx}")
        else:
            pos = m.end()
    for rx in t["any"]:
        if not re.search(rx, text, re.M):
            errs.append(f"missing: {rx}")
    for n, rx in t["count"]:
        got = len(re.findall(rx, text, re.M))
        if got < n:
            errs.append(f"expected >= {n} of {rx}, got {got}")
    for rx in t["forbid"]:
        m = re.search(rx, text, re.M)
        if m:
            line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
            errs.append(f"forbidden: {rx}: {line.strip()}")
    return t["name"], errs, log, secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tests", nargs="+")
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()
    tests = [parse(p) for p in a.tests]
    for sc in sorted({t["scenario"] for t in tests}):
        subprocess.run([os.path.join(ROOT, "tools", "mkbundle.sh"), f"configs/{sc}.dts",
                        f"build/bundles/{sc}.itb"], check=True, cwd=ROOT)
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
        for name, errs, log, secs in ex.map(run_one, tests):
            if errs:
                failed += 1
                print(f"FAIL {name} ({secs:.0f} s, log {os.path.relpath(log, ROOT)})")
                for e in errs:
                    print(f"     {e}")
            else:
                passed += 1
                print(f"PASS {name} ({secs:.0f} s)")
            sys.stdout.flush()
    print(f"scenarios: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
