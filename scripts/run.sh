#!/bin/bash
# SPDX-License-Identifier: MIT
# `make run SCENARIO=name`: build the bundle of configs/<name>.dts and boot it. Works without a
# terminal; the run ends when the last VM powers off (QEMU exits 0).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
scn="${1:-default}"
[ -f "configs/$scn.dts" ] || { echo "run: no such scenario: configs/$scn.dts" >&2; exit 2; }
if grep -q 'build/linux/' "configs/$scn.dts"; then
    make -s linux-guest
fi
mkdir -p build/bundles
tools/mkbundle.sh "configs/$scn.dts" "build/bundles/$scn.itb"
exec scripts/qemu.sh "build/bundles/$scn.itb"
