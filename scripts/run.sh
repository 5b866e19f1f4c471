#!/bin/bash
# SPDX-License-Identifier: MIT
# `make run SCENARIO=name [QEMU_ARGS="..."]`: build the bundle of configs/<name>.dts and boot it
# (default: train), with QEMU_ARGS (or extra arguments to this script) appended to QEMU's
# command line. Works without a terminal; the run ends when the last VM powers off (QEMU exits
# 0). At a terminal: Ctrl-A h lists the console keys, Ctrl-A q powers off (docs/CONSOLE.md).
# PLATFORM=zcu102 (from `make run PLATFORM=zcu102`) boots QEMU's ZCU102 (scripts/qemu.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
scn="${1:-train}"
[ $# -gt 0 ] && shift
if [ ! -f "configs/$scn.dts" ]; then
    echo "run: no such scenario: configs/$scn.dts" >&2
    echo "run: scenarios (make run SCENARIO=<name>):" >&2
    for f in configs/*.dts; do
        n="$(basename "$f" .dts)"
        # the comment line after the SPDX line says what the scenario is
        printf '  %-16s %s\n' "$n" "$(sed -n '2s|^// *||p' "$f")" >&2
    done
    exit 2
fi
if grep -q 'build/linux/' "configs/$scn.dts"; then
    make -s linux-guest
fi
mkdir -p build/bundles
tools/mkbundle.sh "configs/$scn.dts" "build/bundles/$scn.itb"
# configs/<name>.qemu: extra QEMU arguments the scenario needs (e.g. -icount for real time)
extra=()
if [ -f "configs/$scn.qemu" ]; then
    read -r -a extra <"configs/$scn.qemu"
fi
user=()
if [ -n "${QEMU_ARGS:-}" ]; then
    read -r -a user <<<"$QEMU_ARGS"
fi
exec scripts/qemu.sh "build/bundles/$scn.itb" "${extra[@]}" "${user[@]}" "$@"
