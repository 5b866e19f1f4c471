# SPDX-License-Identifier: MIT
# The scenario checker (core/config/*) on mutated device-tree blobs, against bhcfg's reference
# platform.
FUZZ_TARGETS += config
fuzz_config_SRCS := $(CFG_SRCS) tools/bhcfg/virtplat.c
fuzz_config_LDLIBS := -lfdt
