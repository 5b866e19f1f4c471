# virtio-net over virtio-mmio (core/dev/vnet.c, virtio_mmio.c, virtq.c): register accesses and
# a guest rewriting its own rings and buffers at any moment.
FUZZ_TARGETS += virtq
fuzz_virtq_SRCS := core/dev/vnet.c core/dev/virtio_mmio.c core/dev/virtq.c lib/fmt.c
