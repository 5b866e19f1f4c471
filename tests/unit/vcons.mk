# The virtio console (core/dev/vcons.c over core/dev/virtio_mmio.c).
UNIT_TESTS += test_vcons
test_vcons_SRCS := tests/unit/test_vcons.c core/dev/vcons.c core/dev/virtio_mmio.c \
    core/dev/virtq.c lib/fmt.c
