# Virtual GICv3: register emulation, and list-register management against the fake ICH_* bank.
VGIC_SRCS := core/vgic/vgic.c core/vgic/vgic_mmio.c core/vgic/vgic_dist.c core/vgic/vgic_redist.c core/vgic/vgic_lr.c core/vgic/vgic_fast.c core/vgic/vgic_dist_v2.c core/vgic/vgic_v2.c

UNIT_TESTS += test_vgic_mmio
test_vgic_mmio_SRCS := tests/unit/test_vgic_mmio.c $(VGIC_SRCS)

UNIT_TESTS += test_vgic_lr
test_vgic_lr_SRCS := tests/unit/test_vgic_lr.c $(VGIC_SRCS)

UNIT_TESTS += test_vgic_hwlevel
test_vgic_hwlevel_SRCS := tests/unit/test_vgic_hwlevel.c $(VGIC_SRCS)

# Virtual GICv2: the GICv2 back end's LR translation against a fake GICH frame, and the GICv2
# distributor (banked SGIs/PPIs, ITARGETSR, GICD_SGIR, ownership).
UNIT_TESTS += test_vgic_v2
test_vgic_v2_SRCS := tests/unit/test_vgic_v2.c $(VGIC_SRCS)
