# SPDX-License-Identifier: MIT
# The scenario checker (core/config/*) on mutated device-tree blobs, against bhcfg's reference
# platform.
FUZZ_TARGETS += config
fuzz_config_SRCS := core/config/config.c core/config/config_dev.c core/config/config_check.c \
    core/config/config_image.c core/fdtcheck.c core/config/config_chan.c core/config/config_chan_check.c \
    core/platinfo.c tools/bhcfg/virtplat.c lib/fmt.c
fuzz_config_LDLIBS := -lfdt
