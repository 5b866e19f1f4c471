#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The test guest's virtio-net driver against QEMU's own virtio-net, without Bulkhead.

Two plain QEMU virt machines (EL1, no hypervisor), each with a modern virtio-mmio
virtio-net-device, joined by a UDP datagram netdev on 127.0.0.1: one runs tg.mode=vnet
tg.role=ping, the other tg.role=pong. Passes when both print their PASS lines and
`summary ... fail=0`: 100 frames of 60..1514 bytes and a broadcast echoed in order and
byte-exact, the pong counting what the ping sent. QEMU's point-to-point link has no switch, so
the unknown-MAC check is off (tg.unknown_mac=off); the hypervisor's segment test covers it.
Usage: tests/native/vnet_qemu.py [build dir]  (default build/)
"""
import os
import re
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT_S = 90
MAC_PING, MAC_PONG = "02:42:ac:01:00:01", "02:42:ac:01:00:02"
EXPECT = {
    "ping": [r"PASS vnet: initialised",
             r"PASS vnet: MAC is tg\.mac=" + MAC_PING,
             r"PASS vnet: peer " + MAC_PONG + " answered hello",
             r"PASS vnet: 100 frames of 60\.\.1514 bytes sent, 100 echoes received in order "
             r"and byte-exact",
             r"PASS vnet: broadcast frame echoed by the peer",
             r"PASS vnet: [1-9][0-9]* device interrupts, 0 unexpected",
             r"summary pass=[1-9][0-9]* fail=0"],
    "pong": [r"PASS vnet: MAC is tg\.mac=" + MAC_PONG,
             r"PASS vnet: pong: echoed 101 numbered frames, the sender counts 101",
             r"PASS vnet: pong: 0 hostile frames",
             r"summary pass=[1-9][0-9]* fail=0"],
}


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def qemu(image, role, mac, peer, lport, rport):
    net = ("dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=%d,"
           "remote.type=inet,remote.host=127.0.0.1,remote.port=%d" % (lport, rport))
    args = ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72",
            "-smp", "1", "-m", "256M", "-nographic", "-monitor", "none", "-serial", "stdio",
            "-no-reboot", "-global", "virtio-mmio.force-legacy=false",
            "-netdev", net, "-device", "virtio-net-device,netdev=n0,mac=" + mac,
            "-kernel", image, "-append",
            "tg.mode=vnet tg.role=%s tg.name=%s tg.mac=%s tg.peer_mac=%s tg.unknown_mac=off"
            % (role, role, mac, peer)]
    return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    image = os.path.join(build, "testguest", "testguest.bin")
    p1, p2 = free_udp_port(), free_udp_port()
    procs = {"pong": qemu(image, "pong", MAC_PONG, MAC_PING, p2, p1),
             "ping": qemu(image, "ping", MAC_PING, MAC_PONG, p1, p2)}
    out, ok = {}, True
    for role, p in procs.items():
        try:
            out[role], _ = p.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            p.kill()
            out[role] = p.communicate()[0]
            print("vnet-qemu: %s: QEMU did not power off within %d s" % (role, TIMEOUT_S))
            ok = False
    for role in ("ping", "pong"):
        text = out[role]
        for rx in EXPECT[role]:
            if not re.search(r"^TG %s: %s" % (role, rx), text, re.M):
                print("vnet-qemu: %s: missing /%s/" % (role, rx))
                ok = False
        if re.search(r"^TG %s: FAIL" % role, text, re.M):
            print("vnet-qemu: %s: a FAIL line" % role)
            ok = False
    if not ok:
        for role in ("ping", "pong"):
            print("--- %s output\n%s" % (role, out[role]))
    print("vnet-qemu: %s" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
