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
# the GICv2 build of QEMU virt (build/qemu-virt-gicv2/), for virt with gic-version=2
suite build-gicv2 make -s all PLATFORM=qemu-virt-gicv2
suite linux-guest make -s linux-guest
suite unit make -s unit
suite fuzz make -s fuzz-short
suite config-checks tests/configs/run.sh
# the test guest's virtio-net driver against plain QEMU's own device (two VMs, about a second)
suite vnet-qemu tests/native/vnet_qemu.py
suite scenarios tests/harness/bhrun.py -j 2 tests/scenarios/*.test
# A representative set, unchanged, on the second platform (ZCU102: Cortex-A53, GIC-400,
# guests on a virtual GICv2; z-*.test above boot it too) and on virt with a GICv2: Linux SMP
# beside bare metal, message queues, RPC to the RTOS, Linux's IPC, the train with and
# without the Linux ui (docs/PORTING.md); and the test guest's GIC modes on a virtual GICv2:
# containment (d-hostile), conformance (h-gicconf), timers (h-timer) and, on virt, a
# passed-through PL031's SPI (h-passthrough; the ZynqMP has none: z-zcu102-passthrough, in
# the scenarios suite above, passes its second Cadence UART through instead).
suite scenarios-zcu102 tests/harness/bhrun.py -j 2 --platform zcu102 \
    tests/scenarios/{b-linux-bm,i-msgq,j-rpc-rtos,l-linux-ipc,t-train,t-train-ui}.test \
    tests/scenarios/{d-hostile,h-gicconf,h-timer}.test
suite scenarios-gicv2 tests/harness/bhrun.py -j 2 --platform qemu-virt-gicv2 \
    tests/scenarios/{a-two-bm,i-msgq,r-rtos-selftest}.test \
    tests/scenarios/{d-hostile,h-gicconf,h-timer,h-passthrough}.test \
    tests/scenarios/d-mmio-widths.test tests/scenarios/d-step.test
# Our EL3 firmware on the ZCU102 (secure=on, docs/TRUST.md "The ZCU102"), unchanged: the
# verified boot with its 4 CPUs, two refusals, the secure partition's fault containment and
# key separation, measured boot and attestation, Linux's TRNG through the secure world
# (v-fw-zcu102.test, in the set above, names the platform itself).
suite scenarios-zcu102-fw tests/harness/bhrun.py -j 2 --platform zcu102 \
    tests/scenarios/{v-fw-boot,v-fw-unsigned,v-fw-tampered-image,v-fw-sp-separation,v-fw-secsvc,v-fw-linux-trng}.test
suite bench-budget make -s bench-check
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
