#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hold the performance budget (bench/budget.json) against a bench results file.

    bench/check_budget.py RESULTS.json            check; exit 1 if anything is over budget
    bench/check_budget.py RESULTS.json --update   rewrite the budget from RESULTS.json

Every budgeted figure is deterministic (an instruction count under QEMU -icount, or a size),
so a figure over its budget is a real change, not noise. A budget is the figure measured
when it was last set plus a small margin (bench/budget.json says which); raising one is an
explicit commit that says why (docs/PERFORMANCE.md, "Changing a budget"). A figure far below
its budget passes with a hint to lower the budget, so improvements are kept. A figure that
meets its target (bench/run.py TARGETS) when the budget is set gets no margin above the
target: a met target cannot be lost inside the margin.
Prints one line per check and a closing line "N passed, M failed".
"""
import argparse
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUDGET = os.path.join(ROOT, "bench", "budget.json")
# When a figure is this much below its budget, suggest lowering the budget.
SLACK_HINT = 0.10


def load(path):
    with open(path) as f:
        return json.load(f)


def check(results, budget):
    fig = results.get("figures", {})
    passed = failed = 0
    for key, b in sorted(budget["budgets"].items()):
        limit = b["max"]
        if key not in fig or fig[key] is None:
            print("FAIL %-26s missing from the results" % key)
            failed += 1
            continue
        val = fig[key]
        if val > limit:
            print("FAIL %-26s %s > budget %s (set at %s; +%.1f%%)" %
                  (key, val, limit, b["measured"], 100.0 * (val - b["measured"]) /
                   b["measured"] if b["measured"] else 0.0))
            failed += 1
            continue
        hint = ""
        if limit and val < limit * (1 - SLACK_HINT):
            hint = "  (well under budget: consider bench/check_budget.py --update)"
        print("PASS %-26s %s <= %s%s" % (key, val, limit, hint))
        passed += 1
    det = results.get("deterministic")
    if det is True:
        print("PASS %-26s a second run gave identical counts" % "deterministic")
        passed += 1
    else:
        print("FAIL %-26s the counts differ between two runs (or a run failed)" %
              "deterministic")
        failed += 1
    for e in results.get("errors", []):
        print("FAIL bench error: %s" % e.splitlines()[0])
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return failed == 0


def margin_of(b):
    return b.get("margin_pct", 0), b.get("margin_abs", 0)


def update(results, budget):
    fig = results["figures"]
    targets = results.get("targets", {})
    for key, b in budget["budgets"].items():
        if key not in fig:
            sys.exit("cannot update: %s missing from the results" % key)
        pct, absolute = margin_of(b)
        val = fig[key]
        b["measured"] = val
        limit = val * (1 + pct / 100.0) + absolute
        # counts stay integers; fractional figures keep 4 decimals
        b["max"] = math.ceil(limit) if float(val).is_integer() or val >= 100 else \
            math.ceil(limit * 10000) / 10000
        target = targets.get(key)
        if isinstance(target, (int, float)) and val <= target < b["max"]:
            b["max"] = target  # met: the margin stops at the target
    with open(BUDGET, "w") as f:
        json.dump(budget, f, indent=2, sort_keys=True)
        f.write("\n")
    print("bench/budget.json updated from the results; commit it with the reason")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    try:
        results = load(args.results)
    except (OSError, ValueError) as e:
        print("FAIL cannot read results: %s" % e)
        print("0 passed, 1 failed")
        return 1
    budget = load(BUDGET)
    if args.update:
        update(results, budget)
        return 0
    return 0 if check(results, budget) else 1


if __name__ == "__main__":
    sys.exit(main())
