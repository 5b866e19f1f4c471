# Virtual GICv3: register emulation, and list-register management against the fake ICH_* bank.
VGIC_SRCS := core/vgic/vgic.c core/vgic/vgic_mmio.c core/vgic/vgic_dist.c core/vgic/vgic_redist.c core/vgic/vgic_lr.c core/vgic/vgic_fast.c

UNIT_TESTS += test_vgic_mmio
test_vgic_mmio_SRCS := tests/unit/test_vgic_mmio.c $(VGIC_SRCS)

UNIT_TESTS += test_vgic_lr
test_vgic_lr_SRCS := tests/unit/test_vgic_lr.c $(VGIC_SRCS)

UNIT_TESTS += test_vgic_hwlevel
test_vgic_hwlevel_SRCS := tests/unit/test_vgic_hwlevel.c $(VGIC_SRCS)
