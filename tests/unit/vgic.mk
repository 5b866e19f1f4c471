# Virtual GICv3: register emulation, and list-register management against the fake ICH_* bank.
VGIC_SRCS := core/vgic.c core/vgic_mmio.c core/vgic_dist.c core/vgic_redist.c core/vgic_lr.c core/vgic_fast.c

UNIT_TESTS += test_vgic_mmio
test_vgic_mmio_SRCS := tests/unit/test_vgic_mmio.c $(VGIC_SRCS)

UNIT_TESTS += test_vgic_lr
test_vgic_lr_SRCS := tests/unit/test_vgic_lr.c $(VGIC_SRCS)
