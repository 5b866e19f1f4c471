# virtio-net devices and the segment switch (core/dev/vnet.c, core/dev/virtio_mmio.c).
UNIT_TESTS += test_vnet
test_vnet_SRCS := tests/unit/test_vnet.c core/dev/vnet.c core/dev/virtio_mmio.c \
    core/dev/virtq.c lib/fmt.c
