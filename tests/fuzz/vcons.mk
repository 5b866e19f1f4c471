# The virtio console (core/dev/vcons.c over virtio_mmio.c, virtq.c): register accesses, a
# guest rewriting its own rings and buffers at any moment, and console input arriving.
FUZZ_TARGETS += vcons
fuzz_vcons_SRCS := core/dev/vcons.c core/dev/virtio_mmio.c core/dev/virtq.c lib/fmt.c
