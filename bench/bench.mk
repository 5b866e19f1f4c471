# SPDX-License-Identifier: MIT
# Benchmarks (docs/PERFORMANCE.md), included by the top Makefile:
#   make bench         every figure: table, build/bench/results.json, build/bench/chart.png
#   make bench-check   the deterministic figures against bench/budget.json (part of make test);
#                      ends with "N passed, M failed" even when the build fails
# Outputs go to build/bench/ (the bench hypervisor is built there too, with CONFIG_BENCH).

BENCH_O := build/bench

.PHONY: bench bench-check bench-build

# The bench hypervisor (EL2 instruction counter hypercall, boot counts), the bench EL3 firmware
# (secure counting allowed, its boot count; its own development key), the normal one (sizes,
# overhead, Linux), the benchmark guest and the scenario checker used by tools/mkbundle.sh.
# The bench scenarios boot the RTOS and the test guest beside the bench guest: `all` builds them
# (a fresh clone's `make bench` found no build/rtos/rtos.bin for rtlat and sched).
bench-build: deps
	@$(MAKE) --no-print-directory O=$(BENCH_O) EL2_EXTRA=-DCONFIG_BENCH=1 $(BENCH_O)/bulkhead.bin
	@$(MAKE) --no-print-directory O=$(BENCH_O) FW_EXTRA=-DCONFIG_BENCH=1 \
	    $(BENCH_O)/fw/bulkhead-fw.bin $(BENCH_O)/fw/fwsign $(BENCH_O)/fw/devkey.bin
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C guests/bench O=$(CURDIR)/$(BENCH_O)/guest

ifeq ($(PLATFORM),qemu-virt)
bench: bench-build linux-guest
	@python3 bench/run.py
else
# Another platform (make bench PLATFORM=zcu102): its bench hypervisor in build/bench/<platform>/
# and the trap-path figures on its QEMU machine (bench/run.py --platform).
bench: deps $(if $(filter zcu102,$(PLATFORM)),linux-deps)
	@$(MAKE) --no-print-directory O=$(BENCH_O) PLATFORM=$(PLATFORM) EL2_EXTRA=-DCONFIG_BENCH=1 \
	    $(BENCH_O)/$(PLATFORM)/bulkhead.bin
	@$(MAKE) --no-print-directory build/bhcfg
	@$(MAKE) --no-print-directory -C guests/bench O=$(CURDIR)/$(BENCH_O)/guest
	@python3 bench/run.py --platform $(PLATFORM)
endif

bench-check:
	@if $(MAKE) --no-print-directory bench-build; then \
	    python3 bench/run.py --quick --out $(BENCH_O)/check.json; \
	    python3 bench/check_budget.py $(BENCH_O)/check.json; \
	else \
	    echo "FAIL bench-build: the bench hypervisor or guest did not build"; \
	    echo "0 passed, 1 failed"; exit 1; \
	fi
