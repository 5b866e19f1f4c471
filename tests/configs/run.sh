#!/bin/bash
# SPDX-License-Identifier: MIT
# Scenario checker tests: every tests/configs/bad-*.dts must be refused by bhcfg (exit 1) with
# the line its first-line comment "// expect: <substring>" names; every configs/*.dts must pass;
# mkbundle must pack a good scenario with sha256 hashes and refuse a bad one.
# Images are looked up under a temporary root: the real build outputs when they exist,
# otherwise sparse placeholders of plausible size.
set -uo pipefail

TOP="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$TOP"
BHCFG="${BHCFG:-$TOP/build/bhcfg}"
if [ ! -x "$BHCFG" ]; then
    make --no-print-directory build/bhcfg >/dev/null || { echo "cannot build bhcfg" >&2; exit 1; }
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
placeholder() { # path size [image]: "image" starts it with an arm64 Image header
    mkdir -p "$root/$(dirname "$1")"
    if [ -f "$TOP/$1" ]; then
        ln -s "$TOP/$1" "$root/$1"
    else
        # booting.rst: text_offset 0 (offset 8), image_size 0 (16: the file size), magic at 56
        [ "${3:-}" = image ] && printf '%56s\x41\x52\x4d\x64' '' | tr ' ' '\0' > "$root/$1"
        truncate -s "$2" "$root/$1"
    fi
}
placeholder build/linux/Image 30M image
placeholder build/linux/initramfs.cpio.gz 1M
placeholder build/testguest/testguest.bin 100K image
placeholder build/testguest/testguest.elf 100K
# Any other image a shipped scenario names (guests built by other make targets).
for kind in kernel initrd; do
    for img in $(sed -n "s/^[[:space:]]*$kind[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" \
            configs/*.dts | sort -u); do
        [ -e "$root/$img" ] || placeholder "$img" 100K "$([ $kind = kernel ] && echo image)"
    done
done

pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { # name, details
    fail=$((fail + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"
}

for f in tests/configs/bad-*.dts; do
    expect="$(sed -n '1s#^// expect: ##p' "$f")"
    if [ -z "$expect" ]; then
        ko "$f" "no '// expect:' comment on the first line"
        continue
    fi
    out="$("$BHCFG" check "$f" --root "$root" 2>&1)"
    rc=$?
    if [ $rc -eq 1 ] && grep -qF -- "$expect" <<<"$out"; then
        ok
    else
        ko "$f" "exit $rc, expected 1 and a line containing: $expect"$'\n'"$out"
    fi
done

for f in configs/*.dts; do
    out="$("$BHCFG" check "$f" --root "$root" 2>&1)"
    rc=$?
    if [ $rc -eq 0 ] && ! grep -q '^error:' <<<"$out"; then
        ok
    else
        ko "$f" "exit $rc, expected 0"$'\n'"$out"
    fi
done

# usage errors exit 2
"$BHCFG" >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok; else ko "bhcfg without arguments" "exit $rc, expected 2"; fi
"$BHCFG" check configs/default.dts --bogus >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok; else ko "bhcfg with an unknown option" "exit $rc, expected 2"; fi

# the built-in platform and QEMU's own dump must agree on the reference scenario
if [ -f build/virt.dtb ]; then
    if "$BHCFG" check configs/default.dts --root "$root" --platform build/virt.dtb >/dev/null 2>&1
    then ok; else ko "bhcfg --platform build/virt.dtb"; fi
fi

# the boot bundle
if command -v mkimage >/dev/null && command -v dumpimage >/dev/null; then
    itb="$tmp/default.itb"
    out="$(tools/mkbundle.sh configs/default.dts "$itb" --root "$root" 2>&1)"
    list="$(dumpimage -l "$itb" 2>&1)"
    hashes="$(grep -c 'Hash algo: *sha256' <<<"$list")"
    if grep -q 'Description: *configs/default.dts' <<<"$list" &&
       grep -q 'Description: *build/linux/initramfs.cpio.gz' <<<"$list" && [ "$hashes" -eq 4 ]; then
        ok
    else
        ko "mkbundle configs/default.dts" "$out"$'\n'"$list"
    fi
    if tools/mkbundle.sh tests/configs/bad-cpu-twice.dts "$tmp/bad.itb" --root "$root" \
        >/dev/null 2>&1 || [ -e "$tmp/bad.itb" ]; then
        ko "mkbundle must refuse a bad scenario"
    else
        ok
    fi
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
