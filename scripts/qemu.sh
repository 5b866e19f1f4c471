#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot Bulkhead with a bundle on the reference machine (QEMU virt, EL2, GICv3, 4 CPUs, 2 GiB).
# Usage: scripts/qemu.sh BUNDLE.itb [extra qemu args...]
# Exit status: 0 when the hypervisor powered off (PSCI SYSTEM_OFF), 1 when it reported a failed
# boot (every VM refused, no usable bundle) through the pvpanic-pci device (docs/CONFIG.md).
# The serial port is the terminal, with signal=off: Ctrl-C is a byte for the focused VM, not
# a signal that kills QEMU. Quit with Bulkhead's Ctrl-A q (power off: every VM stops, STATS
# lines) or, if the hypervisor no longer listens, QEMU's own escape Ctrl-] x (docs/CONSOLE.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$1"; shift
exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp 4 -m 2G \
    -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off -serial chardev:con0 \
    -echr 0x1d -no-reboot \
    -device pvpanic-pci -action panic=exit-failure \
    -kernel "$ROOT/build/bulkhead.bin" -initrd "$bundle" "$@"
