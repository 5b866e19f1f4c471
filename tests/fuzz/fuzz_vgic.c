// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the virtual GICv3's register emulation (core/vgic: distributor and
 * redistributor MMIO) as guests on any vCPU drive it, interleaved with injections and the
 * list-register cycle of vCPU 0, against the host stand-in of the GIC's virtual CPU interface
 * (arch/host/inc/arch/vgic_hw.h), as tests/unit/test_vgic_mmio.c and test_vgic_lr.c use it.
 *
 * Input: byte 0 picks the number of vCPUs (1 + b % VGIC_MAX_VCPUS); then 12-byte records
 *
 *   byte 0     op: bits 7:6 kind, bits 5:3 vCPU (mod the count), bits 1:0 log2 size (MMIO)
 *              kind 0: GICD access, 1: GICR access (bit 2: write)
 *              kind 2: event, bits 2:0 = inject, set_level, sgi, sgi0, post_spi, inbox_fold,
 *                      vm_reset, nothing
 *              kind 3: vCPU 0's list registers, bits 2:0 = guest acks LR n, guest EOIs LR n,
 *                      exit (sync), entry (flush), both (sync_flush)
 *   bytes 1-3  offset (GICD: in the 64 KiB frame; GICR: in the 1 MiB region of 8 frames)
 *   bytes 4-11 value written / INTID / SGI register value / LR number
 *
 * Checked: every access returns 0, -BH_EINVAL or -BH_ERANGE (the latter only for GICR frames
 * beyond the VM's vCPUs), reads fit their width, and the sanitizers see no fault.
 */
#include <string.h>

#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

#include <arch/vgic_hw.h>

#include "fuzz_input.h"

#define UART_SPI  33
#define PT_SPI    40 /* pass-through, physical 72 */
#define PT_PINTID 72
#define PLAIN_SPI 41
#define GICR_REGION (VGIC_MAX_VCPUS * GICR_FRAME_SIZE)

static struct vgic_vm vm;
static unsigned nr_vcpus;

static void h_deny(void *ctx, unsigned vcpu, uint32_t intid, const char *reg, bool write)
{
    (void)ctx;
    (void)intid;
    (void)write;
    FUZZ_CHECK(vcpu < VGIC_MAX_VCPUS && reg != NULL);
}

static void h_enable(void *ctx, uint32_t pintid, bool on)
{
    (void)ctx;
    (void)on;
    FUZZ_CHECK(pintid == PT_PINTID);
}

static void h_route(void *ctx, uint32_t pintid, unsigned target)
{
    (void)ctx;
    FUZZ_CHECK(pintid == PT_PINTID && (target < nr_vcpus || target == VGIC_NO_VCPU));
}

static void h_active(void *ctx, unsigned vcpu, uint32_t pintid, bool on)
{
    (void)ctx;
    (void)vcpu;
    (void)on;
    FUZZ_CHECK(pintid == PT_PINTID || pintid == VGIC_VTIMER_INTID || pintid == VGIC_PMU_INTID);
}

static void h_kick(void *ctx, uint32_t mask)
{
    (void)ctx;
    FUZZ_CHECK(mask != 0 && (mask >> nr_vcpus) == 0);
}

static void mmio(unsigned kind, unsigned vcpu, uint8_t op, uint32_t off, uint64_t val)
{
    unsigned size = 1u << (op & 3u);
    bool write = (op & 4u) != 0;
    int r;

    if (kind == 0) {
        r = vgic_dist_mmio(&vm, vcpu, off % GICD_FRAME_SIZE, size, write, &val);
        FUZZ_CHECK(r == 0 || r == -BH_EINVAL);
    } else {
        off %= GICR_REGION;
        r = vgic_redist_mmio(&vm, vcpu, off, size, write, &val);
        FUZZ_CHECK(r == 0 || r == -BH_EINVAL || r == -BH_ERANGE);
        FUZZ_CHECK(r != -BH_ERANGE || off / GICR_FRAME_SIZE >= nr_vcpus);
    }
    if (r == 0 && !write && size < 8) {
        FUZZ_CHECK(val >> (8 * size) == 0);
    }
}

static void event(uint8_t op, unsigned vcpu, uint64_t val)
{
    uint32_t intid = (uint32_t)(val % (VGIC_NR_IRQS + 32)); /* some beyond the last */

    switch (op & 7u) {
    case 0: (void)vgic_inject(&vm, vcpu, intid); break;
    case 1: (void)vgic_set_level(&vm, vcpu, intid, (val >> 32) & 1u); break;
    case 2: (void)vgic_sgi(&vm, vcpu, val); break;
    case 3: (void)vgic_sgi0(&vm, vcpu, val); break;
    case 4: (void)vgic_post_spi(&vm, intid); break;
    case 5: vgic_inbox_fold(&vm, vcpu); break;
    case 6: vgic_vm_reset(&vm); vgic_fake_reset(); break;
    default: break;
    }
}

/* vCPU 0's list registers: the only vCPU whose LRs the fake bank holds. */
static void lrs(uint8_t op, uint64_t val, bool *in_guest)
{
    unsigned lr = (unsigned)(val % VGIC_FAKE_NR_LRS);

    switch (op & 7u) {
    case 0:
        if (*in_guest) {
            (void)vgic_fake_guest_ack(lr);
        }
        break;
    case 1:
        if (*in_guest) {
            (void)vgic_fake_guest_eoi(lr);
        }
        break;
    case 2:
        if (*in_guest) {
            vgic_sync_lrs(&vm, 0);
            *in_guest = false;
        }
        break;
    case 3:
        if (!*in_guest) {
            vgic_flush_lrs(&vm, 0);
            *in_guest = true;
        }
        break;
    default:
        if (*in_guest) {
            vgic_sync_flush_lrs(&vm, 0, (val & 1u) != 0);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    struct vgic_vm_cfg cfg = {
        .nr_vcpus = 1u + fuzz_in_u8(&in) % VGIC_MAX_VCPUS,
        .nr_spis = 3,
        .spis = { { .intid = UART_SPI },
                  { .intid = PT_SPI, .hw = true, .pintid = PT_PINTID },
                  { .intid = PLAIN_SPI } },
        .hooks = { .deny = h_deny, .hw_enable = h_enable, .hw_route = h_route,
                   .hw_set_active = h_active, .kick = h_kick },
    };
    bool in_guest = false; /* vCPU 0 runs: its LRs are live, MMIO needs an exit first */

    nr_vcpus = cfg.nr_vcpus;
    vgic_fake_reset();
    memset(&vm, 0, sizeof(vm));
    FUZZ_CHECK(vgic_vm_init(&vm, &cfg) == 0);
    while (!fuzz_in_done(&in)) {
        uint8_t op = fuzz_in_u8(&in);
        uint32_t off = (uint32_t)fuzz_in_bytes(&in, 3);
        uint64_t val = fuzz_in_u64(&in);
        unsigned kind = op >> 6;
        unsigned vcpu = ((op >> 3) & 7u) % cfg.nr_vcpus;

        if (kind < 2 && vcpu == 0 && in_guest) {
            vgic_sync_lrs(&vm, 0); /* the access trapped: an exit */
            in_guest = false;
        }
        if (kind == 2 && (op & 7u) == 6 && in_guest) {
            vgic_sync_lrs(&vm, 0); /* a restart stops every vCPU first */
            in_guest = false;
        }
        switch (kind) {
        case 0:
        case 1: mmio(kind, vcpu, op, off, val); break;
        case 2: event(op, vcpu, val); break;
        default: lrs(op, val, &in_guest); break;
        }
    }
    return 0;
}
