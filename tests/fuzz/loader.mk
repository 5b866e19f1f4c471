# SPDX-License-Identifier: MIT
# The loader's image-header and layout checks (core/config/config_image.c) and the boot
# bundle readers (core/vm/bundle.c: FIT with libfdt, SHA-256 with BearSSL; the host's
# libbearssl-dev).
FUZZ_TARGETS += loader
fuzz_loader_SRCS := core/config/config_image.c core/vm/bundle.c core/fdtcheck.c lib/fmt.c
fuzz_loader_CFLAGS := -isystem /usr/include/bearssl
fuzz_loader_LDLIBS := -lfdt -lbearssl
