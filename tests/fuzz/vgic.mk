# The virtual GICv3 (core/vgic): GICD/GICR register emulation, injection, list registers.
FUZZ_TARGETS += vgic
fuzz_vgic_SRCS := core/vgic/vgic.c core/vgic/vgic_mmio.c core/vgic/vgic_dist.c \
    core/vgic/vgic_redist.c core/vgic/vgic_lr.c core/vgic/vgic_fast.c \
    core/vgic/vgic_dist_v2.c core/vgic/vgic_v2.c
