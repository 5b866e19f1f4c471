#!/bin/bash
# SPDX-License-Identifier: MIT
# `make run SCENARIO=name`: build the bundle of configs/<name>.dts and boot it (default: train). Works without a
# terminal; the run ends when the last VM powers off (QEMU exits 0).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
scn="${1:-train}"
[ -f "configs/$scn.dts" ] || { echo "run: no such scenario: configs/$scn.dts" >&2; exit 2; }
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
exec scripts/qemu.sh "build/bundles/$scn.itb" "${extra[@]}"
