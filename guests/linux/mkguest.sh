#!/bin/bash
# SPDX-License-Identifier: MIT
# Assembles the Linux test guest from Debian's arm64 packages (unpacked by
# `scripts/deps.sh --linux`): an uncompressed kernel Image and a busybox initramfs carrying
# rootfs/ (/init and the /etc/bh scripts). Skips each output that is up to date.
# Usage: guests/linux/mkguest.sh [outdir]        (default: build/linux)
#        MODULES="virtio_blk 9pnet_virtio" guests/linux/mkguest.sh
set -euo pipefail

# Kernel modules (names as lsmod shows them) copied with their dependencies into
# /lib/modules/<ver>/ of the initramfs; /init loads them in dependency order. sp805_wdt drives
# the virtual watchdog of a VM with watchdog = "sp805" (bh.script=watchdog feeds it); gpio_keys
# and evdev: the VM's power button (gpio-keys on the PL061 line, KEY_POWER as
# /dev/input/event0, which busybox acpid reads; gpio-pl061 is built in). virtio_mmio and
# virtio_net (with net_failover and failover) drive the VM's devices on network segments
# (docs/NETWORK.md) and the uplink; /init gives the segment interface the address bh.ip= names.
# virtio_console drives a VM's virtio console (virtio-console = <1>: /dev/hvc0).
# tee, optee and optee_rng: the OP-TEE driver and its hwrng, for a VM allowed "tee" (docs/TRUST.md
# "OP-TEE"); without a /firmware/optee node in its device tree optee just does not probe.
MODULES="${MODULES:-sp805_wdt gpio_keys evdev virtio_mmio virtio_net virtio_console arm_smccc_trng tee optee optee_rng}"

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$ROOT/build/linux}
LINUX_PKG=$ROOT/.cache/arm64/linux-image
BUSYBOX=$ROOT/.cache/arm64/busybox-static/bin/busybox
OBJCOPY=${CROSS_COMPILE:-aarch64-linux-gnu-}objcopy
# Our user-space tools (guests/linux/tools, built by `make linux-guest`): copied to /bin.
TOOLS=${BH_TOOLS:-$OUT/tools}
# Every file in the archive gets this mtime, so equal inputs give an identical archive.
EPOCH=${SOURCE_DATE_EPOCH:-0}
ARM64_MAGIC=41524d64 # "ARM\x64" at offset 0x38 of an arm64 Image (booting.rst)

# Scratch files and directories, removed however the script ends.
TMP_FILES=()
trap 'rm -rf "${TMP_FILES[@]}"' EXIT

die() {
    echo "mkguest: $*" >&2
    exit 1
}

newest_kernel() {
    find "$LINUX_PKG/boot" -maxdepth 1 -name 'vmlinuz-*-arm64' 2>/dev/null |
        sort -V | tail -n 1 || true
}

# identity FILE...: changes when a package update replaces FILE. Packages keep their build
# mtimes, which may be older than our outputs, so "newer than" alone would miss an update.
identity() {
    stat -c '%n %s %Y' "$@"
}

# is_up_to_date OUTPUT STAMP TEXT SOURCE...: OUTPUT exists, was built from inputs whose
# identity is TEXT, and no SOURCE (file or directory, searched recursively) is newer.
is_up_to_date() {
    local out=$1 stamp=$2 text=$3
    shift 3
    [ -e "$out" ] && [ -e "$stamp" ] || return 1
    [ "$(cat "$stamp")" = "$text" ] || return 1
    [ -z "$(find "$@" -newer "$out" -print -quit)" ]
}

# le32 FILE OFFSET: little-endian 32-bit word of FILE at OFFSET.
le32() {
    od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}

# make_image VMLINUZ OUT: Debian ships a plain Image on some releases and a compressed one
# on others; an EFI zboot image (Linux 6.1+, "zimg" at offset 4) wraps a compressed payload.
make_image() {
    local in=$1 out=$2 off size comp unzip_cmd
    TMP_FILES+=("$out.tmp")
    case "$(od -An -tx1 -N2 "$in" | tr -d ' ')" in
        1f8b) gzip -dc "$in" >"$out.tmp" ;;
        fd37) xz -dc "$in" >"$out.tmp" ;;
        *)
            if [ "$(od -An -c -j4 -N4 "$in" | tr -d ' ')" = zimg ]; then
                off=$(le32 "$in" 8)
                size=$(le32 "$in" 12)
                comp=$(dd if="$in" bs=1 skip=24 count=8 status=none | tr -d '\0')
                case "$comp" in
                    gzip) unzip_cmd="gzip -dc" ;;
                    xzkern) unzip_cmd="xz -dc" ;;
                    *) die "$in: zboot payload compressed with '$comp', not supported" ;;
                esac
                dd if="$in" iflag=skip_bytes,count_bytes skip="$off" count="$size" status=none |
                    $unzip_cmd >"$out.tmp"
            else
                cp "$in" "$out.tmp"
            fi
            ;;
    esac
    [ "$(od -An -tx1 -j56 -N4 "$out.tmp" | tr -d ' \n')" = "$ARM64_MAGIC" ] ||
        die "$in: result has no arm64 Image magic at 0x38"
    mv "$out.tmp" "$out"
}

# Module handling. MOD_PATH maps a module name to its path under lib/modules/<ver>/;
# MOD_ORDER collects the requested modules and their dependencies, dependencies first.
declare -A MOD_PATH=() MOD_STATE=() MOD_CLOSURE=()
MOD_ORDER=()

# mod_direct_deps NAME COPY: names of the modules NAME depends on. The package's
# modules.dep is normally generated at install time, so fall back to "depends=" in .modinfo.
mod_direct_deps() {
    local rel=${MOD_PATH[$1]} depfile=$MOD_SRC/modules.dep info dep
    if [ -e "$depfile" ]; then
        for dep in $(awk -v m="$rel" '$1 == m":" { $1 = ""; print }' "$depfile"); do
            dep=${dep##*/}
            dep=${dep%%.ko*}
            echo "${dep//-/_}"
        done
        return 0
    fi
    info=$(mktemp)
    if ! "$OBJCOPY" -O binary -j .modinfo "$2" "$info" 2>/dev/null; then
        cp "$2" "$info" # no cross objcopy: scan the whole file
    fi
    tr '\0' '\n' <"$info" | sed -n 's/^depends=//p' | head -n 1 | tr ',' '\n'
    rm -f "$info"
}

# mod_add NAME: copy NAME (decompressed) and, first, everything it depends on.
mod_add() {
    local name=${1//-/_} rel copy dep
    case "${MOD_STATE[$name]:-}" in
        done) return 0 ;;
        active) die "module dependency cycle through $name" ;;
    esac
    rel=${MOD_PATH[$name]:-}
    [ -n "$rel" ] || die "module '$name' not found under $MOD_SRC"
    MOD_STATE[$name]=active
    copy=$MOD_DST/${rel%.ko*}.ko
    mkdir -p "${copy%/*}"
    case "$rel" in
        *.ko.xz) xz -dc "$MOD_SRC/$rel" >"$copy" ;;
        *.ko.gz) gzip -dc "$MOD_SRC/$rel" >"$copy" ;;
        *.ko.zst) zstd -q -dc "$MOD_SRC/$rel" >"$copy" ;;
        *) cp "$MOD_SRC/$rel" "$copy" ;;
    esac
    MOD_CLOSURE[$name]=""
    for dep in $(mod_direct_deps "$name" "$copy"); do
        mod_add "$dep"
        MOD_CLOSURE[$name]+=" $dep ${MOD_CLOSURE[$dep]}"
    done
    MOD_STATE[$name]="done"
    MOD_ORDER+=("$name")
}

# add_modules STAGE: MODULES into STAGE/lib/modules/<ver>, with a modules.dep for busybox
# modprobe (all dependencies, the ones to load last first) and /etc/bh/modules.load for /init.
add_modules() {
    local stage=$1 rel name i dep line
    MOD_SRC=$LINUX_PKG/lib/modules/$KVER
    MOD_DST=$stage/lib/modules/$KVER
    [ -d "$MOD_SRC/kernel" ] || die "no modules for $KVER under $MOD_SRC"
    while IFS= read -r rel; do
        name=${rel##*/}
        name=${name%%.ko*}
        MOD_PATH[${name//-/_}]=$rel
    done < <(cd "$MOD_SRC" && find kernel -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.gz' \
        -o -name '*.ko.zst')
    for name in $MODULES; do
        mod_add "$name"
    done
    : >"$MOD_DST/modules.dep"
    : >"$stage/etc/bh/modules.load"
    for name in "${MOD_ORDER[@]}"; do
        rel=${MOD_PATH[$name]%.ko*}.ko
        line="$rel:"
        for ((i = ${#MOD_ORDER[@]} - 1; i >= 0; i--)); do
            dep=${MOD_ORDER[i]}
            case " ${MOD_CLOSURE[$name]} " in
                *" $dep "*) line+=" ${MOD_PATH[$dep]%.ko*}.ko" ;;
            esac
        done
        echo "$line" >>"$MOD_DST/modules.dep"
        echo "$rel" >>"$stage/etc/bh/modules.load"
    done
}

# make_initramfs OUT: busybox, rootfs/ and the modules as a gzip'd newc archive. There are
# no device nodes in it (so no root needed): /init mounts devtmpfs.
make_initramfs() {
    local out=$1 stage
    stage=$(mktemp -d "$OUT/.stage.XXXXXX")
    TMP_FILES+=("$stage" "$out.tmp")
    mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc/bh,lib/modules,root}
    chmod 1777 "$stage/tmp"
    chmod 700 "$stage/root"
    cp "$BUSYBOX" "$stage/bin/busybox"
    chmod 755 "$stage/bin/busybox"
    ln -s busybox "$stage/bin/sh"
    cp -R "$HERE/rootfs/." "$stage/"
    if [ -d "$TOOLS" ]; then
        find "$TOOLS" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/bin/" \;
    fi
    # The workload checks its data against a hash made here, outside the guest, by the
    # same generator (plain sh, so bash runs it too).
    (
        set +o pipefail
        . "$HERE/rootfs/etc/bh/lib.sh"
        wl_generate "$stage/wl.data"
        sha256sum "$stage/wl.data" | cut -d' ' -f1
    ) >"$stage/etc/bh/workload.sha256"
    rm -f "$stage/wl.data"
    if [ -n "$MODULES" ]; then
        add_modules "$stage"
    fi
    find "$stage" -exec touch -h -d "@$EPOCH" {} +
    (cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
        cpio --quiet -o -H newc --owner=0:0 --reproducible) | gzip -9 -n >"$out.tmp"
    mv "$out.tmp" "$out"
}

kernel=$(newest_kernel)
if [ -z "$kernel" ] || [ ! -e "$BUSYBOX" ]; then
    echo "mkguest: Debian packages missing, running scripts/deps.sh --linux"
    "$ROOT/scripts/deps.sh" --linux
    kernel=$(newest_kernel)
fi
[ -n "$kernel" ] || die "no vmlinuz-*-arm64 under $LINUX_PKG/boot"
[ -e "$BUSYBOX" ] || die "no busybox at $BUSYBOX"
KVER=${kernel##*/vmlinuz-}
mkdir -p "$OUT"

image_id="$(identity "$kernel")"
if is_up_to_date "$OUT/Image" "$OUT/.Image.stamp" "$image_id" "$HERE/mkguest.sh"; then
    echo "mkguest: $OUT/Image up to date"
else
    make_image "$kernel" "$OUT/Image"
    echo "$image_id" >"$OUT/.Image.stamp"
    echo "mkguest: $OUT/Image ($KVER, $(($(stat -c %s "$OUT/Image") / 1024)) KiB)"
fi

initramfs_id="$(identity "$kernel" "$BUSYBOX")
modules=$MODULES"
mkdir -p "$TOOLS"
if is_up_to_date "$OUT/initramfs.cpio.gz" "$OUT/.initramfs.stamp" "$initramfs_id" \
    "$HERE/mkguest.sh" "$HERE/rootfs" "$TOOLS"; then
    echo "mkguest: $OUT/initramfs.cpio.gz up to date"
else
    make_initramfs "$OUT/initramfs.cpio.gz"
    echo "$initramfs_id" >"$OUT/.initramfs.stamp"
    echo "mkguest: $OUT/initramfs.cpio.gz ($(($(stat -c %s "$OUT/initramfs.cpio.gz") / 1024)) KiB)"
fi
