#!/bin/bash
# SPDX-License-Identifier: MIT
# Layering check (STYLE.md "Layout"): lib/ includes only itself, include/bulkhead/ and the
# compiler's freestanding headers; core/ includes lib/, core/, include/bulkhead/, libfdt/BearSSL
# and the arch *interface* (<arch/...>), never private arch, driver or platform headers.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
check() { # dir allowed-regex
    local dir="$1" allowed="$2"
    while IFS= read -r line; do
        inc="${line#*#include }"
        if ! grep -qE "$allowed" <<<"$inc"; then
            echo "lint: $line"
            bad=$((bad + 1))
        fi
    done < <(grep -rHn --include='*.[ch]' '^#include' "$dir")
}
check lib '^<(lib/[a-z_]+\.h|bulkhead/[a-z_]+\.h|std(arg|bool|def|int)\.h|string\.h|stdlib\.h)>$'
check core '^<(lib|core(/[a-z]+)?|bulkhead)/[a-z0-9_]+\.h>$|^<arch/[a-z_]+\.h>$|^<(libfdt|bearssl_hash)\.h>$|^<std(arg|bool|def|int)\.h>$'
if [ "$bad" -eq 0 ]; then
    echo "lint: layering ok"
fi
[ "$bad" -eq 0 ]
