#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot Bulkhead with a bundle on the reference machine (QEMU virt, EL2, GICv3, 4 CPUs, 2 GiB),
# or with PLATFORM=zcu102 on QEMU's ZynqMP ZCU102 (below).
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
# world on (secure=on), the bundle signed with FW_KEY (default the build's development key)
# into BUNDLE.signed, hypervisor and signed bundle placed by QEMU's loader where the firmware
# looks (firmware/<platform>/plat.h). BH_FW_SIGN_ARGS passes test options to tools/fwsign
# (--unsigned, --tamper NODE PROP); BH_FW_KEY signs with another key; BH_FW_TEST=1 runs the
# platform's test firmware (build/fw/test, build/zcu102/fw/test), BH_FW_BIN any other image.
# qemu-virt: the firmware is -bios (secure flash at 0, every CPU starts there). zcu102: QEMU's
# loader puts the firmware's ELF in the OCM and starts CPU 0 at its entry at EL3; the other
# CPUs stay off until the firmware's PSCI CPU_ON releases them; QEMU's board tree (-dtb, with
# /memory set) is at 0. That machine cannot power off: the firmware parks it with a
# `bulkhead-fw: power off: ...` line, which the test harness takes as the end of the run.
if [ "${BH_FW:-0}" = 1 ]; then
    key="${BH_FW_KEY:-$ROOT/build/fw/devkey.bin}"
    case "${PLATFORM:-qemu-virt}" in
    qemu-virt) fwdir="$ROOT/build/fw" fwfile=bulkhead-fw.bin hyp="$ROOT/build/bulkhead.bin" ;;
    zcu102) fwdir="$ROOT/build/zcu102/fw" fwfile=bulkhead-fw.elf hyp="$ROOT/build/zcu102/bulkhead.bin" ;;
    *) echo "qemu.sh: BH_FW=1: no EL3 firmware for PLATFORM=$PLATFORM (qemu-virt, zcu102)" >&2
       exit 2 ;;
    esac
    [ "${BH_FW_TEST:-0}" = 1 ] && fwdir="$fwdir/test"
    fw="${BH_FW_BIN:-$fwdir/$fwfile}"
    # shellcheck disable=SC2086 # BH_FW_SIGN_ARGS is a list of options
    "$ROOT/build/fw/fwsign" sign "$key" "$hyp" "$bundle" "$bundle.signed" ${BH_FW_SIGN_ARGS:-}
    if [ "${PLATFORM:-qemu-virt}" = zcu102 ]; then
        dtb=$(ls "$ROOT"/.cache/arm64/linux-image/usr/lib/linux-image-*/xilinx/zynqmp-zcu102-rev1.0.dtb \
            2>/dev/null | head -n 1)
        [ -n "$dtb" ] || { echo "qemu.sh: no zynqmp-zcu102-rev1.0.dtb: run scripts/deps.sh --linux" >&2; exit 2; }
        exec qemu-system-aarch64 -M xlnx-zcu102,secure=on,virtualization=on -smp 4 -m 2G \
            -dtb "$dtb" -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off \
            -serial chardev:con0 -echr 0x1d -no-reboot -audiodev none,id=snd0 \
            -device loader,file="$fw",cpu-num=0 \
            -device loader,file="$hyp",addr=0x00200000,force-raw=on \
            -device loader,file="$bundle.signed",addr=0x08000000,force-raw=on "$@"
    fi
    exec qemu-system-aarch64 -M virt,secure=on,virtualization=on,gic-version=3 -cpu cortex-a72 \
        -smp 4 -m 2G -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off \
        -serial chardev:con0 -echr 0x1d -no-reboot \
        -device pvpanic-pci -action panic=exit-failure \
        -bios "$fw" \
        -device loader,file="$hyp",addr=0x40200000,force-raw=on \
        -device loader,file="$bundle.signed",addr=0x48000000,force-raw=on "$@"
fi
# PLATFORM=zcu102: QEMU's xlnx-zcu102 (4x Cortex-A53, GIC-400, Cadence UART0 on the terminal)
# with the board's device tree from Debian's kernel package (scripts/deps.sh --linux); QEMU
# writes /memory and /chosen linux,initrd-* into it as it does into virt's own tree. 2 GiB:
# exactly the low DDR bank (QEMU would describe more as one bank at 0, which is wrong). No
# PCIe, so no pvpanic: a failed boot exits 0 here (docs/PORTING.md).
if [ "${PLATFORM:-qemu-virt}" = zcu102 ]; then
    dtb=$(ls "$ROOT"/.cache/arm64/linux-image/usr/lib/linux-image-*/xilinx/zynqmp-zcu102-rev1.0.dtb \
        2>/dev/null | head -n 1)
    [ -n "$dtb" ] || { echo "qemu.sh: no zynqmp-zcu102-rev1.0.dtb: run scripts/deps.sh --linux" >&2; exit 2; }
    exec qemu-system-aarch64 -M xlnx-zcu102,virtualization=on -smp 4 -m 2G -dtb "$dtb" \
        -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off -serial chardev:con0 \
        -echr 0x1d -no-reboot -audiodev none,id=snd0 \
        -kernel "$ROOT/build/zcu102/bulkhead.bin" -initrd "$bundle" "$@"
fi
# PLATFORM=qemu-virt-gicv2: the same virt machine with a GICv2 (GIC-400-like, with the
# virtualization extensions) and the GICv2 build (build/qemu-virt-gicv2/): guests see a
# virtual GICv2.
gic=3
image="$ROOT/build/bulkhead.bin"
case "${PLATFORM:-qemu-virt}" in
qemu-virt) ;;
qemu-virt-gicv2) gic=2 image="$ROOT/build/qemu-virt-gicv2/bulkhead.bin" ;;
*) echo "qemu.sh: PLATFORM=$PLATFORM: no QEMU machine for it (qemu-virt, qemu-virt-gicv2, zcu102)" >&2
   exit 2 ;;
esac
exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=$gic -cpu cortex-a72 -smp 4 -m 2G \
    -nographic -monitor none -chardev stdio,id=con0,mux=on,signal=off -serial chardev:con0 \
    -echr 0x1d -no-reboot \
    -device pvpanic-pci -action panic=exit-failure \
    -kernel "$image" -initrd "$bundle" "$@"
