#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
r"""Scenario test runner: boots a scenario under QEMU and checks its console.

A test file (tests/scenarios/*.test) is a list of directives, one per line:
    scenario NAME|PATH   configs/NAME.dts (or a .dts path) is packed into a bundle and booted
    bundle-args ARGS     extra tools/mkbundle.sh arguments (--no-check, --corrupt PATH)
    firmware [ARGS]      boot from reset through the EL3 firmware (scripts/qemu.sh BH_FW=1,
                         docs/TRUST.md), the bundle signed with the build's key; ARGS go to
                         tools/fwsign sign (--unsigned, --tamper NODE PROP), and --other-key
                         signs with a fresh key the firmware does not know, --test-build
                         boots the test firmware (build/fw/test, CONFIG_FW_TEST). On a
                         machine the firmware cannot power off (zcu102) its line
                         `bulkhead-fw: power off: ... cpus parked` ends the run as QEMU's
                         exit status 0 would (QEMU is stopped there)
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
    qemu ARGS            extra QEMU arguments (a later -M merges into the machine's: e.g.
                         `qemu -M virtualization=off`)
    platform NAME        boot on another platform (scripts/qemu.sh PLATFORM=NAME, the image
                         of `make PLATFORM=NAME`, build/NAME/bulkhead.bin); default qemu-virt,
                         or the one `--platform NAME` gives (bhrun.py --platform zcu102 X.test
                         runs an unchanged test on the ZCU102)
    prepare COMMAND      run COMMAND (sh -c, in the top directory) before QEMU starts, e.g.
                         to make a device tree for `qemu -dtb {LOG}/...`; the test fails
                         (QEMU is not started) when it exits non-zero
    host REGEX => COMMAND
                         run COMMAND on the host (sh -c, in the top directory, stdin closed,
                         at most `host-timeout` seconds) once REGEX has appeared, counting from
                         the start of the run, and the `host` command listed before it has
                         ended: host commands run one at a time, in their order. Each runs
                         beside QEMU; `[host] $ COMMAND`, each line of its output (stdout and
                         stderr) as `[host] LINE` and `[host] exit N` (`timeout` if it was
                         killed) go into the log as they come, where every directive sees them
    host N REGEX => COMMAND  ... once REGEX has appeared on N lines (N a number)
    host-timeout SECONDS limit of each host command (default 30)
    secret TEXT          a fresh random token (32 URL-safe characters) replaces every TEXT in
                         the scenario's .dts (packed from a copy, build/bundles/NAME.dts) and is
                         written to build/logs/NAME.secret (mode 0600): no test commits a
                         secret and each run has its own
In `qemu` and `host` lines {PORT} is a TCP port on 127.0.0.1 that was free when the run started
(for QEMU's hostfwd), {SECRET} the path of the secret's file, {LOG} the test's log directory,
{NAME} the run's name (its log, bundle and secret are named for it: X, or X@PLATFORM with
--platform) and {PLATFORM} the platform it boots (qemu-virt unless another was named).
Lines starting with # are comments. Several tests run in parallel (-j).

Only the hypervisor writes lines that start with `EVT `, `STATS ` or `bulkhead:`; every line
of guest output starts with its VM's `[name] ` prefix, and the hypervisor shows any control
byte a guest writes as `\xHH` (docs/CONSOLE.md). So a pattern of any directive that starts
with one of those, or with `\[` (a VM's own lines), matches only at the start of a line: a
guest cannot satisfy it by printing the text. Every run also checks that no guest line holds
a raw control byte (TAB aside). Only the harness writes `[host] ` lines: a run in which a
guest writes one (a VM named "host") fails.
"""
import argparse
import concurrent.futures
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Line starts only the hypervisor writes (README.md "Console interface"), and a VM's prefix.
LINE_START_PATTERNS = ("EVT ", "STATS ", "bulkhead:", "bulkhead-fw:", r"\[")
# The EL3 firmware's SYSTEM_OFF on a machine without power control (QEMU's zcu102): the CPUs
# are parked and QEMU would idle forever; the line stands for QEMU's exit with status 0.
FW_PARKED = re.compile(r"^bulkhead-fw: power off: no power control on this machine, cpus parked")
# What the console never lets through from a guest: C0 controls but TAB, DEL, C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def anchored(rx):
    """rx, matching only at a line start if it names a hypervisor line or a VM prefix."""
    return "^" + rx if rx.startswith(LINE_START_PATTERNS) else rx


def parse(path):
    t = {"name": os.path.basename(path)[:-5], "timeout": 300, "expect": [], "any": [],
         "count": [], "count_exact": [], "forbid": [], "exit": 0, "qemu": [], "scenario": None,
         "bundle_args": [], "send": [], "send_partial": [], "stop_after": None,
         "stop_count": 1, "host": [], "host_timeout": 30, "secret": None,
         "firmware": None, "platform": None, "prepare": []}
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
            elif key == "platform":
                t["platform"] = rest.strip()
            elif key == "prepare":
                t["prepare"].append(rest.strip())
            elif key == "firmware":
                t["firmware"] = rest.split()
            elif key == "bundle-args":
                t["bundle_args"] += rest.split()
            elif key == "host":
                rx, sep, cmd = rest.partition(" => ")
                if not sep or not cmd.strip():
                    raise SystemExit(f"{path}:{ln}: host needs 'REGEX => COMMAND'")
                times = 1
                n, _, more = rx.partition(" ")
                if n.isdigit() and more:
                    times, rx = int(n), more
                t["host"].append((anchored(rx), cmd.strip(), times))
            elif key == "host-timeout":
                t["host_timeout"] = int(rest)
            elif key == "secret":
                if not rest.strip():
                    raise SystemExit(f"{path}:{ln}: secret needs the TEXT it replaces")
                t["secret"] = rest.strip()
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


def secret_of(t):
    return os.path.join(ROOT, "build", "logs", t["name"] + ".secret")


def free_port():
    """A TCP port of 127.0.0.1 that is free now (another process may still take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def substitute(text, t):
    return (text.replace("{PORT}", str(t["port"])).replace("{SECRET}", secret_of(t))
            .replace("{LOG}", os.path.join(ROOT, "build", "logs"))
            .replace("{NAME}", t["name"]).replace("{PLATFORM}", t["platform"] or "qemu-virt"))


def make_bundle(t):
    sc = t["scenario"]
    dts = sc if sc.endswith(".dts") else f"configs/{sc}.dts"
    t["port"] = free_port()
    if t["secret"]:
        with open(os.path.join(ROOT, dts)) as f:
            text = f.read()
        if t["secret"] not in text:
            raise SystemExit(f"{t['name']}: secret {t['secret']!r} is not in {dts}")
        token = secrets.token_urlsafe(24)
        os.makedirs(os.path.dirname(secret_of(t)), exist_ok=True)
        fd = os.open(secret_of(t), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(token + "\n")
        dts = os.path.join("build", "bundles", t["name"] + ".dts")
        os.makedirs(os.path.dirname(os.path.join(ROOT, dts)), exist_ok=True)
        with open(os.path.join(ROOT, dts), "w") as f:
            f.write(text.replace(t["secret"], token))
    subprocess.run([os.path.join(ROOT, "tools", "mkbundle.sh"), dts, bundle_of(t)]
                   + t["bundle_args"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def firmware_env(t):
    """scripts/qemu.sh's environment for a boot through the EL3 firmware (`firmware`)."""
    env = {"BH_FW": "1"}
    args = list(t["firmware"])
    if "--other-key" in args:
        args.remove("--other-key")
        key = os.path.join(ROOT, "build", "logs", t["name"] + ".otherkey")
        os.makedirs(os.path.dirname(key), exist_ok=True)
        if os.path.exists(key):
            os.remove(key)
        subprocess.run([os.path.join(ROOT, "build", "fw", "fwsign"), "keygen", key], check=True)
        env["BH_FW_KEY"] = key
    if "--test-build" in args:
        args.remove("--test-build")
        env["BH_FW_TEST"] = "1"  # the platform's test firmware (scripts/qemu.sh)
    env["BH_FW_SIGN_ARGS"] = " ".join(args)
    return env


def run_one(t):
    logdir = os.path.join(ROOT, "build", "logs")
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, t["name"] + ".log")
    start = time.time()
    qemu_args = [substitute(a, t) for a in t["qemu"]]
    env = dict(os.environ)
    if t["firmware"] is not None:
        env.update(firmware_env(t))
    env["PLATFORM"] = t["platform"] or "qemu-virt"
    for cmd in t["prepare"]:
        r = subprocess.run(["sh", "-c", substitute(cmd, t)], cwd=ROOT, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            with open(log, "w") as out:
                out.write(r.stdout.decode(errors="replace"))
            return t["name"], [f"prepare failed (exit {r.returncode}): {cmd}"], log, 0.0
    p = subprocess.Popen([os.path.join(ROOT, "scripts", "qemu.sh"), bundle_of(t)] + qemu_args,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    lines = []
    errs = []
    sends = [(rx, data) for rx, data, _ in t["send"]]
    send_left = [n for _, _, n in t["send"]]  # matching lines each still waits for
    partials = list(t["send_partial"])  # in order: each waits for the one before
    host_seen = [0] * len(t["host"])  # lines matching each host command's REGEX so far
    host_procs = []  # the host commands started, each with its reader thread
    st = {"stopped": False, "parked": False, "stop_seen": 0, "closed": False, "host_next": 0,
          "host_busy": False}
    # Lines come from QEMU (this thread) and from host commands (their threads): one at a time.
    mu = threading.RLock()
    timer = threading.Timer(t["timeout"], p.kill)
    timer.start()
    tail = b""  # the unfinished last line
    tail_used = [False]  # a send-partial fired on it: the line does not count again

    def type_bytes(data):
        try:
            p.stdin.write(data)
            p.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # QEMU has gone: the checks say what is missing

    def try_partial(text):
        if (partials and not tail_used[0]
                and all(rx is None for rx, _ in sends[:partials[0][2]])
                and re.search(partials[0][0], text)):
            type_bytes(partials.pop(0)[1])
            tail_used[0] = True

    def run_host(cmd):
        hp = subprocess.Popen(["sh", "-c", cmd], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                              start_new_session=True)
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(hp.pid, 9)
            except ProcessLookupError:
                pass

        def reader():
            hold = threading.Timer(t["host_timeout"], kill)
            hold.start()
            for raw in hp.stdout:
                text = raw.decode(errors="replace").rstrip("\r\n")
                text = RAW_CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()), text)
                feed("[host] " + text + "\n")
            hp.wait()
            hold.cancel()
            with mu:
                feed("[host] exit " + ("timeout" if killed else str(hp.returncode)) + "\n")
                st["host_busy"] = False
                try_host()

        th = threading.Thread(target=reader, daemon=True)
        host_procs.append((hp, kill, th))
        feed("[host] $ " + cmd + "\n")
        th.start()

    def try_host():
        """Start the next host command if the one before has ended and its REGEX was seen."""
        k = st["host_next"]
        if st["closed"] or st["host_busy"] or k >= len(t["host"]):
            return
        if host_seen[k] >= t["host"][k][2]:
            st["host_next"] = k + 1
            st["host_busy"] = True
            run_host(substitute(t["host"][k][1], t))

    def feed(line):
        """One whole line: logged, then every directive that waits for lines sees it."""
        with mu:
            if st["closed"]:
                return
            out.write(line)
            out.flush()
            lines.append(line)
            for i, (rx, data) in enumerate(sends):
                if rx is not None and re.search(rx, line):
                    send_left[i] -= 1
                    if send_left[i] > 0:
                        continue
                    type_bytes(data)
                    sends[i] = (None, data)
            try_partial(line[:-1])
            tail_used[0] = False
            for i in range(st["host_next"], len(t["host"])):
                if re.search(t["host"][i][0], line):
                    host_seen[i] += 1
            try_host()
            if (not st["stopped"] and t["firmware"] is not None
                    and FW_PARKED.search(line)):
                st["stopped"] = st["parked"] = True
                p.kill()
            if (not st["stopped"] and t["stop_after"]
                    and re.search(t["stop_after"], line)):
                st["stop_seen"] += 1
                if st["stop_seen"] >= t["stop_count"]:
                    st["stopped"] = True
                    p.kill()

    with open(log, "w") as out:
        while not st["stopped"]:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            tail += chunk
            *done, tail = tail.split(b"\n")
            for raw in done:
                line = raw.decode(errors="replace") + "\n"
                if line.startswith("[host] "):
                    errs.append(f"a guest wrote a [host] line: {line.strip()}")
                feed(line)
                if st["stopped"]:
                    break
            if not st["stopped"]:
                with mu:
                    try_partial(tail.decode(errors="replace"))
        with mu:
            if tail and not st["stopped"]:
                out.write(tail.decode(errors="replace"))
                lines.append(tail.decode(errors="replace"))
            st["closed"] = True
            stopped = st["stopped"]
    for hp, kill, th in host_procs:
        if hp.poll() is None:
            kill()
        th.join()
    p.wait()
    timed_out = not timer.is_alive() and not stopped
    timer.cancel()
    rc = "stopped" if stopped else (None if timed_out else p.returncode)
    if st["parked"]:
        rc = 0  # the firmware powered off as far as the machine lets it (FW_PARKED)
    return check(t, "".join(lines), rc, log, time.time() - start, errs)


def check(t, text, rc, log, secs, errs):
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
    ap.add_argument("--platform", metavar="NAME",
                    help="run the tests that name no platform on NAME (e.g. zcu102, "
                         "qemu-virt-gicv2), unchanged otherwise; their logs and bundles are "
                         "NAME@platform")
    a = ap.parse_args()
    tests = [parse(p) for p in a.tests]
    if a.platform:
        for t in tests:
            if t["platform"] is None and a.platform != "qemu-virt":
                t["platform"] = a.platform
                t["name"] += "@" + a.platform
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
