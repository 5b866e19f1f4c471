#!/bin/sh
# SPDX-License-Identifier: MIT
# seal_rerun.sh NAME [PLATFORM]: the host's side of tests/scenarios/v-fw-seal.test (docs/TRUST.md
# "OP-TEE"), run while the test's QEMU is still up. The RTOS (VM 0) printed a blob it sealed
# ("RT sealer blob=HEX" in build/logs/NAME.log); two more boots through the firmware, each of
# an RTOS-only scenario at VM index 0 handing that blob back in rt.blob:
#  1. the same image: the blob must be unsealed (same device, VM and measurement);
#  2. the image changed (build/rtos/rtos.bin with 4 KiB appended: another SHA-256, so another
#     measurement): the blob must be refused.
# Prints one line per boot; the test matches them. On a machine the firmware cannot power
# off (zcu102) a boot ends at the firmware's park line (docs/TRUST.md "The ZCU102").
set -u
name=$1 platform=${2:-qemu-virt}
log=build/logs/$name.log
dir=build/logs/$name.rerun
mkdir -p "$dir"
blob=$(tr -d '\r' <"$log" | sed -n 's/^\[rtos\] RT sealer blob=\([0-9a-f]*\)$/\1/p' | head -n 1)
[ -n "$blob" ] || { echo "no blob in $log"; exit 1; }
cp build/rtos/rtos.bin "$dir/rtos-changed.bin"
head -c 4096 /dev/zero >>"$dir/rtos-changed.bin"

boot() { # boot LABEL IMAGE: one RTOS-only boot, its sealer lines
    cat >"$dir/$1.dts" <<DTS
/dts-v1/;
/ {
    compatible = "bulkhead,scenario";
    vms {
        vm-rtos {
            compatible = "bulkhead,vm";
            name = "rtos";
            cpus = <1>;
            memory-size = <0x0 0x02000000>;
            kernel = "$2";
            bootargs = "rt.app=sealer rt.blob=$blob";
            secure-services = "keys";
        };
    };
};
DTS
    tools/mkbundle.sh "$dir/$1.dts" "$dir/$1.itb" >"$dir/$1.mkbundle" 2>&1 ||
        { echo "$1: mkbundle failed"; cat "$dir/$1.mkbundle"; return; }
    PLATFORM=$platform BH_FW=1 timeout 120 scripts/qemu.sh "$dir/$1.itb" </dev/null \
        >"$dir/$1.log" 2>&1 &
    qpid=$!
    while kill -0 "$qpid" 2>/dev/null; do
        if grep -q '^bulkhead-fw: power off: ' "$dir/$1.log"; then
            kill "$qpid"
            break
        fi
        sleep 1
    done
    wait "$qpid"
    tr -d '\r' <"$dir/$1.log" | sed -n "s/^\[rtos\] RT sealer \(earlier blob.*\)$/$1: \1/p"
}
boot same-image build/rtos/rtos.bin
boot changed-image "$dir/rtos-changed.bin"
echo "rerun checks done"
