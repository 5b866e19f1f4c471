#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
r"""Scenario test runner: boots a scenario under QEMU and checks its console.

A test file (tests/scenarios/*.test) is a list of directives, one per line:
    scenario NAME|PATH   configs/NAME.dts (or a .dts path) is packed into a bundle and booted
    bundle-args ARGS     extra tools/mkbundle.sh arguments (--no-check, --corrupt PATH)
    send REGEX => BYTES  once REGEX has appeared, type BYTES (Python escapes, e.g. \x01s;
                         @PATH: the bytes of file PATH, relative to the top directory)
    send N REGEX => BYTES  ... once REGEX has appeared on N lines (N a number)
    send-partial REGEX => BYTES
                         ... once REGEX matches the unfinished last line (text not yet ended by
                         a newline: a shell prompt; also when such a line was then ended by
                         other output), armed once every `send` listed before it and the
                         send-partial before it have fired
    stop-after REGEX     the run is complete once REGEX appears: QEMU is stopped, no exit check
    stop-after N REGEX   ... once REGEX has appeared on N lines (N a number)
    timeout SECONDS      whole-run limit (QEMU is killed after it: the test fails)
    expect REGEX         must appear, in this order relative to other expects
    expect-any REGEX     must appear somewhere (any order)
    count N REGEX        must appear at least N times
    count-exact N REGEX  must appear exactly N times (lines matching, or matches with re.M)
    forbid REGEX         must never appear
    exit CODE            QEMU's expected exit status (default 0: powered off by itself)
    qemu ARGS            extra QEMU arguments
Lines starting with # are comments. Several tests run in parallel (-j).

Only the hypervisor writes lines that start with `EVT `, `STATS ` or `bulkhead:`; every line
of guest output starts with its VM's `[name] ` prefix, and the hypervisor shows any control
byte a guest writes as `\xHH` (docs/CONSOLE.md). So a pattern of any directive that starts
with one of those, or with `\[` (a VM's own lines), matches only at the start of a line: a
guest cannot satisfy it by printing the text. Every run also checks that no guest line holds
a raw control byte (TAB aside).
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Line starts only the hypervisor writes (README.md "Console interface"), and a VM's prefix.
LINE_START_PATTERNS = ("EVT ", "STATS ", "bulkhead:", r"\[")
# What the console never lets through from a guest: C0 controls but TAB, DEL, C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def anchored(rx):
    """rx, matching only at a line start if it names a hypervisor line or a VM prefix."""
    return "^" + rx if rx.startswith(LINE_START_PATTERNS) else rx


def parse(path):
    t = {"name": os.path.basename(path)[:-5], "timeout": 300, "expect": [], "any": [],
         "count": [], "count_exact": [], "forbid": [], "exit": 0, "qemu": [], "scenario": None,
         "bundle_args": [], "send": [], "send_partial": [], "stop_after": None,
         "stop_count": 1}
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
                t["expect"].append(anchored(rest))
            elif key == "expect-any":
                t["any"].append(anchored(rest))
            elif key == "count":
                n, _, rx = rest.partition(" ")
                t["count"].append((int(n), anchored(rx)))
            elif key == "count-exact":
                n, _, rx = rest.partition(" ")
                t["count_exact"].append((int(n), anchored(rx)))
            elif key == "forbid":
                t["forbid"].append(anchored(rest))
            elif key == "exit":
                t["exit"] = int(rest)
            elif key == "qemu":
                t["qemu"] += rest.split()
            elif key == "bundle-args":
                t["bundle_args"] += rest.split()
            elif key in ("send", "send-partial"):
                rx, sep, data = rest.partition(" => ")
                times = 1
                n, _, more = rx.partition(" ")
                if key == "send" and n.isdigit() and more:
                    times, rx = int(n), more
                if not sep:
                    raise SystemExit(f"{path}:{ln}: {key} needs 'REGEX => BYTES'")
                if data.startswith("@"):
                    with open(os.path.join(ROOT, data[1:]), "rb") as df:
                        raw = df.read()
                else:
                    raw = data.encode().decode("unicode_escape").encode("latin-1")
                item = (anchored(rx), raw)
                if key == "send":
                    t["send"].append(item + (times,))
                else:
                    t["send_partial"].append(item + (len(t["send"]),))
            elif key == "stop-after":
                n, _, rx = rest.partition(" ")
                if n.isdigit() and rx:
                    t["stop_count"], t["stop_after"] = int(n), anchored(rx)
                else:
                    t["stop_after"] = anchored(rest)
            else:
                raise SystemExit(f"{path}:{ln}: unknown directive '{key}'")
    if not t["scenario"]:
        raise SystemExit(f"{path}: no scenario line")
    return t


def bundle_of(t):
    return os.path.join(ROOT, "build", "bundles", t["name"] + ".itb")


def make_bundle(t):
    sc = t["scenario"]
    dts = sc if sc.endswith(".dts") else f"configs/{sc}.dts"
    subprocess.run([os.path.join(ROOT, "tools", "mkbundle.sh"), dts, bundle_of(t)]
                   + t["bundle_args"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def run_one(t):
    logdir = os.path.join(ROOT, "build", "logs")
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, t["name"] + ".log")
    start = time.time()
    p = subprocess.Popen([os.path.join(ROOT, "scripts", "qemu.sh"), bundle_of(t)] + t["qemu"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, cwd=ROOT)
    lines = []
    sends = [(rx, data) for rx, data, _ in t["send"]]
    send_left = [n for _, _, n in t["send"]]  # matching lines each still waits for
    partials = list(t["send_partial"])  # in order: each waits for the one before
    stopped = False
    stop_seen = 0
    timer = threading.Timer(t["timeout"], p.kill)
    timer.start()
    tail = b""  # the unfinished last line
    tail_used = [False]  # a send-partial fired on it: the line does not count again

    def try_partial(text):
        if (partials and not tail_used[0]
                and all(rx is None for rx, _ in sends[:partials[0][2]])
                and re.search(partials[0][0], text)):
            p.stdin.write(partials.pop(0)[1])
            p.stdin.flush()
            tail_used[0] = True

    with open(log, "w") as out:
        while not stopped:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            tail += chunk
            *done, tail = tail.split(b"\n")
            for raw in done:
                line = raw.decode(errors="replace") + "\n"
                out.write(line)
                lines.append(line)
                for i, (rx, data) in enumerate(sends):
                    if rx is not None and re.search(rx, line):
                        send_left[i] -= 1
                        if send_left[i] > 0:
                            continue
                        p.stdin.write(data)
                        p.stdin.flush()
                        sends[i] = (None, data)
                try_partial(line[:-1])
                tail_used[0] = False
                if t["stop_after"] and re.search(t["stop_after"], line):
                    stop_seen += 1
                    if stop_seen >= t["stop_count"]:
                        stopped = True
                        p.kill()
                        break
            if not stopped:
                try_partial(tail.decode(errors="replace"))
        if tail and not stopped:
            out.write(tail.decode(errors="replace"))
            lines.append(tail.decode(errors="replace"))
    p.wait()
    timed_out = not timer.is_alive() and not stopped
    timer.cancel()
    rc = "stopped" if stopped else (None if timed_out else p.returncode)
    return check(t, "".join(lines), rc, log, time.time() - start)


def check(t, text, rc, log, secs):
    errs = []
    if rc is None:
        errs.append(f"timed out after {t['timeout']} s")
    elif rc != "stopped" and rc != t["exit"]:
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
    for n, rx in t["count_exact"]:
        got = len(re.findall(rx, text, re.M))
        if got != n:
            errs.append(f"expected exactly {n} of {rx}, got {got}")
    for rx in t["forbid"]:
        m = re.search(rx, text, re.M)
        if m:
            line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
            errs.append(f"forbidden: {rx}: {line.strip()}")
    for line in text.split("\n"):  # not splitlines(): it also splits at \v, \f, \x85...
        if line.startswith("[") and RAW_CONTROL.search(line.rstrip("\r")):
            errs.append(f"raw control byte in guest output: {ascii(line)}")
            break
    return t["name"], errs, log, secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tests", nargs="+")
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()
    tests = [parse(p) for p in a.tests]
    for t in tests:
        make_bundle(t)
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
