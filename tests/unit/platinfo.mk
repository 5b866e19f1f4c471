UNIT_TESTS += test_platinfo
test_platinfo_SRCS := tests/unit/test_platinfo.c core/platinfo.c tools/bhcfg/virtplat.c
test_platinfo_LDLIBS := -lfdt
# QEMU's dump of the reference machine (rule in tools/bhcfg/tool.mk); the test skips the
# comparison when it could not be made.
$(O)/unit/test_platinfo: | $(O)/virt.dtb
