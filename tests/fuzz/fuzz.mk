# SPDX-License-Identifier: MIT
# Host fuzzing of everything a guest or a scenario feeds (docs/DEVELOPING.md "Fuzzing"), with
# clang's libFuzzer and ASan/UBSan. A target is tests/fuzz/fuzz_<name>.c defining
# LLVMFuzzerTestOneInput, registered by tests/fuzz/<name>.mk:
#     FUZZ_TARGETS += <name>
#     fuzz_<name>_SRCS := <project sources it needs besides the target>
#     fuzz_<name>_CFLAGS := ...   fuzz_<name>_LDLIBS := ...   (optional)
# with a seed corpus committed as text in tests/fuzz/corpus/<name>/ (*.hex: hex digit pairs).
#   make fuzz          each target for FUZZ_SECONDS (default 300)
#   make fuzz-short    each target for FUZZ_SHORT_RUNS inputs (default 100000) with a fixed
#                      seed, so every machine runs the same inputs: the "fuzz" suite of make
#                      test. A crash fails it; the reproducer is left in build/fuzz/.
#   make unit          also replays every seed corpus through its target (fuzz_replay_<name>,
#                      gcc, no libFuzzer): crashes turned into corpus entries stay fixed.
# Included by the Makefile between the unit-test fragments and the unit rules.

FUZZ_TARGETS :=
include $(sort $(filter-out tests/fuzz/fuzz.mk,$(wildcard tests/fuzz/*.mk)))

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -I. -Iinclude -Iarch/host/inc -Itests/fuzz -Wall -Wextra \
    -Werror -Wshadow -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer
FUZZ_SECONDS ?= 300
FUZZ_SHORT_RUNS ?= 100000

define fuzz_rule
$(O)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(fuzz_$(1)_SRCS) $$(wildcard tests/fuzz/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  FUZZCC  $$@"
	@$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(fuzz_$(1)_CFLAGS) -o $$@ tests/fuzz/fuzz_$(1).c \
	    $$(fuzz_$(1)_SRCS) $$(fuzz_$(1)_LDLIBS)

UNIT_TESTS += fuzz_replay_$(1)
fuzz_replay_$(1)_SRCS := tests/fuzz/replay_main.c tests/fuzz/fuzz_$(1).c $$(fuzz_$(1)_SRCS)
fuzz_replay_$(1)_CFLAGS := -Itests/fuzz -DFUZZ_CORPUS='"tests/fuzz/corpus/$(1)"' \
    $$(fuzz_$(1)_CFLAGS)
fuzz_replay_$(1)_LDLIBS := $$(fuzz_$(1)_LDLIBS)
$(O)/unit/fuzz_replay_$(1): $$(wildcard tests/fuzz/*.h)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz fuzz-short fuzz-build
fuzz-build: $(addprefix $(O)/fuzz/fuzz_,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@O=$(O) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-short: fuzz-build
	@O=$(O) tests/fuzz/run.sh runs:$(FUZZ_SHORT_RUNS) $(FUZZ_TARGETS)
