#!/bin/bash
# SPDX-License-Identifier: MIT
# Run fuzz targets (built by `make fuzz-build`) for SECONDS each: tests/fuzz/run.sh SECONDS NAME...
# Each starts from its committed seed corpus (decoded into $O/fuzz/seed/NAME) plus what earlier
# runs found ($O/fuzz/work/NAME). With runs:N instead of SECONDS (make test's short run), each
# target makes N runs with a fixed seed from the seed corpus alone: the same inputs on every
# machine, so a CI run finds exactly what a developer's run found. A crash, leak, timeout or sanitizer report fails the run; the
# reproducer is $O/fuzz/NAME-crash-* (or -leak-, -timeout-, -oom-), log in $O/fuzz/NAME.log.
# FUZZ_OPTS adds libFuzzer options (e.g. FUZZ_OPTS=-jobs=2).
set -uo pipefail
cd "$(dirname "$0")/../.."
O="${O:-build}"
secs="$1"; shift
failed=()
for t in "$@"; do
    seed="$O/fuzz/seed/$t" work="$O/fuzz/work/$t"
    rm -rf "$seed"
    python3 tests/fuzz/hexcorpus.py decode "tests/fuzz/corpus/$t" "$seed" || exit 1
    limit=(-max_total_time="$secs")
    if [[ "$secs" == runs:* ]]; then
        limit=(-runs="${secs#runs:}" -seed=1)
        work="$O/fuzz/short/$t"
        rm -rf "$work"
    fi
    mkdir -p "$work"
    rm -f "$O/fuzz/$t"-crash-* "$O/fuzz/$t"-leak-* "$O/fuzz/$t"-timeout-* "$O/fuzz/$t"-oom-*
    # shellcheck disable=SC2086
    if "$O/fuzz/fuzz_$t" "${limit[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$O/fuzz/$t-" ${FUZZ_OPTS:-} "$work" "$seed" >"$O/fuzz/$t.log" 2>&1; then
        echo "fuzz: $t: ok ($(grep -ao 'stat::number_of_executed_units: [0-9]*' "$O/fuzz/$t.log" |
            awk '{print $2}' || true) runs, $(ls "$work" | wc -l) corpus entries found)"
    else
        failed+=("$t")
        echo "fuzz: $t: FAILED; reproducer: $(ls "$O/fuzz/$t"-* 2>/dev/null | grep -v '\.log$' | head -1)"
        grep -aE 'ERROR|FUZZ_CHECK|runtime error|SUMMARY' "$O/fuzz/$t.log" | head -5
        echo "      (log: $O/fuzz/$t.log; replay: $O/fuzz/fuzz_$t <reproducer>)"
    fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failed: ${failed[*]}"; exit 1; }
