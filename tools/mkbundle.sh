#!/bin/bash
# SPDX-License-Identifier: MIT
# Packs a scenario and every image it names into one boot bundle, a U-Boot FIT (see
# docs/CONFIG.md "Boot bundle"): /images/scenario is the scenario DTB, /images/img-N one image
# file each, described by its path exactly as the scenario writes it, with a sha256 hash that
# the hypervisor checks before starting a VM.
#
#   tools/mkbundle.sh <scenario.dts> <out.itb> [--root DIR] [--no-check] [--corrupt PATH]
#                     [--patch-header PATH TEXT_OFFSET IMAGE_SIZE]
#
# --no-check skips the host validation and packs whatever images exist: only for tests that
# show the hypervisor's own boot-time validation refusing a bad VM. --corrupt PATH flips the
# stored sha256 of that image so the hypervisor must refuse the VMs using it.
# --patch-header PATH T S (tests only, with --no-check) packs a copy of image PATH whose arm64
# Image header says text_offset T and image_size S (hashed as patched: a crafted image, not a
# damaged one), so the loader's own header checks can be shown refusing it.
set -euo pipefail

TOP="$(cd "$(dirname "$0")/.." && pwd)"
BHCFG="${BHCFG:-$TOP/build/bhcfg}"

usage() {
    echo "usage: $0 <scenario.dts> <out.itb> [--root DIR] [--no-check] [--corrupt PATH]" \
        "[--patch-header PATH TEXT_OFFSET IMAGE_SIZE]" >&2
    exit 2
}

[ $# -ge 2 ] || usage
scenario="$1"
out="$2"
shift 2
root="."
check=1
corrupt=""
declare -A patch=()
while [ $# -gt 0 ]; do
    case "$1" in
        --root) [ $# -ge 2 ] || usage; root="$2"; shift 2 ;;
        --no-check) check=0; shift ;;
        --corrupt) [ $# -ge 2 ] || usage; corrupt="$2"; shift 2 ;;
        --patch-header) [ $# -ge 4 ] || usage; patch[$2]="$3 $4"; shift 4 ;;
        *) usage ;;
    esac
done
for tool in dtc fdtget mkimage; do
    command -v "$tool" >/dev/null || { echo "mkbundle: $tool not found (make deps)" >&2; exit 1; }
done
case "$scenario" in
    *\"* | *\\*) echo "mkbundle: $scenario: quotes and backslashes are not supported" >&2; exit 1 ;;
esac
if [ ! -x "$BHCFG" ]; then
    make -C "$TOP" --no-print-directory build/bhcfg >&2
fi

# The same validation the hypervisor runs at boot: a bundle is never made from a bad scenario.
if [ $check = 1 ]; then
    "$BHCFG" check "$scenario" --root "$root" >&2 || {
        echo "mkbundle: $scenario has errors, no bundle written" >&2
        exit 1
    }
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
root_abs="$(cd "$root" && pwd)"

# "name" is the VM name here, not dtc's legacy copy of the node name (docs/CONFIG.md).
dtc -q -E no-name_properties -I dts -O dtb -o "$tmp/scenario.dtb" "$scenario"

# Distinct image paths in scenario order, each with the FIT type of its first use.
declare -A seen=()
paths=()
types=()
add_image() { # path type
    [ -n "$1" ] || return 0
    [ -z "${seen[$1]:-}" ] || return 0
    seen[$1]=1
    [ $check = 1 ] || [ -f "$root/$1" ] || return 0
    paths+=("$1")
    types+=("$2")
}
for vm in $(fdtget -l "$tmp/scenario.dtb" /vms); do
    add_image "$(fdtget -t s "$tmp/scenario.dtb" "/vms/$vm" kernel)" kernel
    add_image "$(fdtget -d '' -t s "$tmp/scenario.dtb" "/vms/$vm" initrd)" ramdisk
done

its="$tmp/bundle.its"
{
    echo '/dts-v1/;'
    echo '/ {'
    echo '    description = "Bulkhead boot bundle";'
    echo '    #address-cells = <1>;'
    echo '    images {'
    echo '        scenario {'
    echo "            description = \"$scenario\";"
    echo "            data = /incbin/(\"$tmp/scenario.dtb\");"
    echo '            type = "flat_dt";'
    echo '            arch = "arm64";'
    echo '            compression = "none";'
    echo '            hash-1 { algo = "sha256"; };'
    echo '        };'
    for i in "${!paths[@]}"; do
        data="$root_abs/${paths[$i]}"
        if [ -n "${patch[${paths[$i]}]:-}" ]; then
            data="$tmp/patched-$i"
            cp "$root_abs/${paths[$i]}" "$data"
            read -r t s <<<"${patch[${paths[$i]}]}"
            le64() { python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<Q", int(sys.argv[1], 0)))' "$1"; }
            { le64 "$t"; le64 "$s"; } | dd of="$data" bs=1 seek=8 conv=notrunc status=none
        fi
        echo "        img-$i {"
        echo "            description = \"${paths[$i]}\";"
        echo "            data = /incbin/(\"$data\");"
        echo "            type = \"${types[$i]}\";"
        echo '            arch = "arm64";'
        echo '            os = "linux";'
        echo '            compression = "none";'
        echo '            hash-1 { algo = "sha256"; };'
        echo '        };'
    done
    echo '    };'
    echo '    configurations {'
    echo '        default = "conf-1";'
    echo '        conf-1 {'
    echo '            description = "bulkhead";'
    echo '            fdt = "scenario";'
    echo '        };'
    echo '    };'
    echo '};'
} > "$its"

mkdir -p "$(dirname "$out")"
mkimage -f "$its" "$out.tmp" >/dev/null
if [ -n "$corrupt" ]; then
    for i in "${!paths[@]}"; do
        [ "${paths[$i]}" = "$corrupt" ] || continue
        # 32 bytes of zeros never match a real SHA-256.
        fdtput -t bx "$out.tmp" "/images/img-$i/hash-1" value $(printf '0 %.0s' $(seq 32))
    done
fi
# The hypervisor keeps the lowest 256 MiB of RAM (PLATINFO_HYP_RESERVE) and refuses to boot
# when the bundle does not lie inside it; QEMU virt loads the bundle at RAM + 128 MiB and
# the host device tree after it (docs/CONFIG.md "Memory budget").
max_kib=$((126 * 1024))
size_kib=$(( ($(stat -c %s "$out.tmp") + 1023) / 1024 ))
if [ "$size_kib" -gt "$max_kib" ]; then
    rm -f "$out.tmp"
    echo "mkbundle: $out: ${size_kib} KiB is over the ${max_kib} KiB the boot layout holds" >&2
    exit 1
fi
mv "$out.tmp" "$out"
echo "mkbundle: $out: scenario + ${#paths[@]} image(s)"
