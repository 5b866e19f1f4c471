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
#
# BH_FW=1 boots from reset through our EL3 firmware instead (docs/TRUST.md): QEMU's secure
# world on (secure=on, the firmware as -bios), the bundle signed with FW_KEY (default the
# build's development key) into BUNDLE.signed, hypervisor and signed bundle placed by QEMU's
# loader where the firmware looks (firmware/plat.h). BH_FW_SIGN_ARGS passes test options to
# tools/fwsign (--unsigned, --tamper NODE PROP); BH_FW_KEY signs with another key;
# BH_FW_BIN runs another firmware image (the test firmware, build/fw/test).
if [ "${BH_FW:-0}" = 1 ]; then
    key="${BH_FW_KEY:-$ROOT/build/fw/devkey.bin}"
    # shellcheck disable=SC2086 # BH_FW_SIGN_ARGS is a list of options
    "$ROOT/build/fw/fwsign" sign "$key" "$ROOT/build/bulkhead.bin" "$bundle" "$bundle.signed" \
        ${BH_FW_SIGN_ARGS:-}
    exec qemu-system-aarch64 -M virt,secure=on,virtualization=on,gic-version=3 -cpu cortex-a72 \
        -smp 4 -m 2G -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off \
        -serial chardev:con0 -echr 0x1d -no-reboot \
        -device pvpanic-pci -action panic=exit-failure \
        -bios "${BH_FW_BIN:-$ROOT/build/fw/bulkhead-fw.bin}" \
        -device loader,file="$ROOT/build/bulkhead.bin",addr=0x40200000,force-raw=on \
        -device loader,file="$bundle.signed",addr=0x48000000,force-raw=on "$@"
fi
exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp 4 -m 2G \
    -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off -serial chardev:con0 \
    -echr 0x1d -no-reboot \
    -device pvpanic-pci -action panic=exit-failure \
    -kernel "$ROOT/build/bulkhead.bin" -initrd "$bundle" "$@"
