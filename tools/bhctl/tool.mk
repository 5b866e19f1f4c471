# SPDX-License-Identifier: MIT
# bhctl for the host: the management CLI of guests/linux/tools with its --remote transport,
# to drive a board's bhmgmtd from outside (docs/MANAGEMENT.md "Remote API"):
#   build/host/bhctl --remote 127.0.0.1:8080 --token FILE list
# Included by the top Makefile (HOST_CC, O). A user's tool: no sanitizers (the unit tests
# build the same sources with them).
BHCTL_HOST_DIR := guests/linux/tools
BHCTL_HOST_SRCS := $(addprefix $(BHCTL_HOST_DIR)/,bhctl.c bhctl_cli.c bhctl_data.c bhctl_fmt.c \
    bhctl_log.c bhctl_run.c bhctl_mmio.c bhctl_remote.c bhctl_unjson.c bhhttp.c bhjson.c \
    bhtls.c)
BHCTL_HOST_HDRS := $(wildcard $(BHCTL_HOST_DIR)/*.h) include/bulkhead/abi.h \
    include/bulkhead/mgmt.h

all: $(O)/host/bhctl

$(O)/host/bhctl: $(BHCTL_HOST_SRCS) $(BHCTL_HOST_HDRS) tools/bhctl/tool.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Iinclude -o $@ \
	    $(BHCTL_HOST_SRCS) -lbearssl
