#!/bin/bash
# SPDX-License-Identifier: MIT
# `make test`: every test. Host unit tests, a few seconds of fuzzing per target, configuration
# checks, then QEMU scenarios (two at a time). Prints one closing line "N passed, M failed"
# over all suites.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
./scripts/deps.sh --linux || exit 1
pass=0; fail=0
suite() { # name command...
    local name="$1"; shift
    echo "=== $name"
    if "$@"; then pass=$((pass + 1)); echo "=== $name: ok"; else fail=$((fail + 1)); echo "=== $name: FAILED"; fi
}
suite lint ./scripts/lint.sh
suite build make -s all
# the zcu102 image (build/zcu102/), which the z-*.test scenarios boot (docs/PORTING.md)
suite build-zcu102 make -s all PLATFORM=zcu102
suite linux-guest make -s linux-guest
suite unit make -s unit
suite fuzz make -s fuzz-short
suite config-checks tests/configs/run.sh
# the test guest's virtio-net driver against plain QEMU's own device (two VMs, about a second)
suite vnet-qemu tests/native/vnet_qemu.py
suite scenarios tests/harness/bhrun.py -j 2 tests/scenarios/*.test
suite bench-budget make -s bench-check
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
