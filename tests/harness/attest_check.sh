#!/bin/sh
# SPDX-License-Identifier: MIT
# attest_check.sh NAME VM IMAGE [PLATFORM]: the host's side of tests/scenarios/v-fw-secsvc.test
# (docs/TRUST.md "Measured boot"), run while the test's QEMU is still up. With the test's
# log (build/logs/NAME.log), its signed bundle and its secret (the nonce):
#  1. the measurement log the hypervisor printed must equal what tools/fwsign measure computes
#     on the host from the platform's hypervisor image (build/bulkhead.bin, or
#     build/PLATFORM/bulkhead.bin) and the bundle, line for line;
#  2. the attestation report VM printed (hex lines "TG VM: INFO report N HEX") must verify
#     with the device public key and carry the PCR computed on the host, IMAGE's SHA-256 as
#     the VM's measurement and the nonce;
#  3. the same report with one byte changed (in the signature, in the PCR), or checked against
#     another nonce, must be refused.
# Prints one line per check; the test matches them.
set -u
name=$1 vm=$2 image=$3 platform=${4:-qemu-virt}
hyp=build/bulkhead.bin
[ "$platform" = qemu-virt ] || hyp=build/$platform/bulkhead.bin
log=build/logs/$name.log
fws=build/fw/fwsign
bundle=build/bundles/$name.itb.signed
dir=build/logs/$name.attest
mkdir -p "$dir"

$fws measure "$hyp" "$bundle" >"$dir/expect" || { echo "measure failed"; exit 1; }
tr -d '\r' <"$log" | sed -n 's/^bulkhead: \(measur.*\)$/\1/p' >"$dir/got"
if cmp -s "$dir/expect" "$dir/got"; then
    echo "measurements match ($(wc -l <"$dir/expect") lines)"
else
    echo "measurement mismatch"; diff "$dir/expect" "$dir/got"
fi

tr -d '\r' <"$log" | sed -n "s/^\[$vm\] TG $vm: INFO report [0-9]* \([0-9a-f]*\)\$/\1/p" |
    tr -d '\n' >"$dir/report"
pcr=$(sed -n 's/^measured boot pcr=//p' "$dir/expect")
meas=$(sha256sum "$image" | cut -c1-64)
nonce=$(head -c 32 "build/logs/$name.secret" | od -An -tx1 | tr -d ' \n')
pub=build/fw/attest_pub.bin
$fws verify-report $pub "$dir/report" --vm 0 --pcr "$pcr" --measurement "$meas" --nonce "$nonce"
flip() { # hex digit $2 of file $1 changed
    python3 -c 'import sys; s = open(sys.argv[1]).read(); i = int(sys.argv[2]); \
print(s[:i] + ("1" if s[i] != "1" else "2") + s[i + 1:], end="")' "$1" "$2"
}
flip "$dir/report" 300 >"$dir/report.sig"
printf 'tampered signature: '
$fws verify-report $pub "$dir/report.sig" --pcr "$pcr"
flip "$dir/report" 40 >"$dir/report.pcr"
printf 'tampered pcr: '
$fws verify-report $pub "$dir/report.pcr" --pcr "$pcr"
printf 'other nonce: '
$fws verify-report $pub "$dir/report" --nonce "$(echo "$nonce" | tr 0-9a-f 1-9a-f0)"
echo "attest checks done"
