#!/bin/bash
# SPDX-License-Identifier: MIT
# Installs everything Bulkhead needs from Debian's packages (idempotent, quick when all is
# present) and extracts the arm64-only static libraries (libfdt, BearSSL) into a git-ignored
# cache, since their -dev packages cannot be co-installed with the host (amd64) ones.
# clang with libclang-rt-dev (its libclang_rt.fuzzer, which clang only recommends) builds the
# libFuzzer targets of make fuzz (tests/fuzz/fuzz.mk); the host libbearssl-dev links the loader
# target (bundle hashes) and tools/fwsign, the boot-chain signer (docs/TRUST.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache"
HOST_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu device-tree-compiler
  libfdt-dev libcmocka-dev u-boot-tools python3 cpio gzip xz-utils gdb-multiarch
  clang libclang-rt-dev libbearssl-dev curl qemu-user"
missing=()
for p in $HOST_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
need_update=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    need_update=1
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    apt-get update -qq
    need_update=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# arm64 packages fetched with apt-get download and unpacked into .cache/arm64/<pkg>
fetch_arm64() { # pkg marker-file
    local pkg="$1" marker="$2"
    [ -e "$CACHE/arm64/$pkg/$marker" ] && return 0
    if [ $need_update = 1 ] || ! apt-cache show "$pkg:arm64" >/dev/null 2>&1; then
        apt-get update -qq; need_update=0
    fi
    mkdir -p "$CACHE/debs" "$CACHE/arm64/$pkg"
    (cd "$CACHE/debs" && rm -f "${pkg}"_*.deb && apt-get download -q "$pkg:arm64" >/dev/null 2>&1)
    dpkg-deb -x "$CACHE"/debs/"${pkg}"_*_arm64.deb "$CACHE/arm64/$pkg"
    [ -e "$CACHE/arm64/$pkg/$marker" ] || { echo "deps: $pkg: $marker missing" >&2; exit 1; }
}
fetch_arm64 libfdt-dev usr/lib/aarch64-linux-gnu/libfdt.a
fetch_arm64 libbearssl-dev usr/lib/aarch64-linux-gnu/libbearssl.a
if [ "${1:-}" = "--linux" ]; then
    fetch_arm64 busybox-static bin/busybox
    if [ ! -e "$CACHE/arm64/linux-image/.done" ]; then
        [ $need_update = 1 ] && { apt-get update -qq; need_update=0; }
        kpkg=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-/{print $2; exit}')
        kpkg=${kpkg%:arm64}
        mkdir -p "$CACHE/debs" "$CACHE/arm64/linux-image"
        (cd "$CACHE/debs" && apt-get download -q "$kpkg:arm64" >/dev/null 2>&1)
        dpkg-deb -x "$CACHE"/debs/"${kpkg}"_*_arm64.deb "$CACHE/arm64/linux-image"
        rm -f "$CACHE"/debs/"${kpkg}"_*_arm64.deb
        touch "$CACHE/arm64/linux-image/.done"
    fi
fi
exit 0
