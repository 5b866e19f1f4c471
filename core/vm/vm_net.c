// SPDX-License-Identifier: MIT
/*
 * The glue between the network segments of the scenario (core/config/config_net.c) and the
 * devices that switch their frames (core/dev/vnet.c): a segment's member index is the VM's
 * index, its k-th segment is its device k (slot), the device's interrupt is a level SPI in its
 * vGIC (the receiver's pCPU is kicked like for a doorbell), and what a guest does wrong is a
 * rate-limited vm_event. Devices and segments are static: the hypervisor has no heap.
 */
#include <core/vm/vm_net.h>

#include <arch/cpu.h>
#include <core/dev/mmio.h>
#include <core/dev/vnet.h>
#include <core/hyp.h>
#include <core/ipc/vm_ipc.h>
#include <core/vm/vm.h>
#include <lib/string.h>

_Static_assert(CFG_MAX_VMS <= VNET_MAX_MEMBERS, "a member index is a VM index");
_Static_assert(VPLAT_NET_STRIDE == VIRTIO_MMIO_SIZE, "one virtio-mmio window per slot");
_Static_assert(CFG_NET_MAC_LEN == VNET_MAC_LEN, "one MAC length");

static struct vnet devs[VM_MAX][VPLAT_NET_MAX];
static uint8_t dev_used[VM_MAX]; /* slot mask of the devices set up, per VM */
static struct vnet_seg segs[CFG_MAX_CHANS];

static void h_set_irq(void *ctx, uint32_t intid, bool level)
{
    struct vm *vm = ctx;
    const struct vcpu *here;

    if (!level) {
        vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, intid, false));
        return;
    }
    /* On the frame path the sender's own used-buffer interrupt is raised on its vCPU's
     * pCPU, inside that vCPU's trap: straight into an LR (vgic_set_level_here). A
     * receiver's is posted without its vGIC's lock (vgic_post_level): the device's lock
     * orders it before the receiver's InterruptACK lowers it again. */
    here = pcpus[arch_cpu_id_raw()].vcpu;
    if (here != NULL && here->vm == vm) {
        vm_kick_mask(vm, vgic_set_level_here(&vm->vgic, here->idx, intid, true));
    } else {
        vm_kick_mask(vm, vgic_post_level(&vm->vgic, intid));
    }
}

static void h_event(void *ctx, const char *kind, const char *text)
{
    vm_event(ctx, kind, "%s", text);
}

static bool h_alive(void *ctx)
{
    return vm_takes_input(ctx);
}

static uint64_t h_now(void *ctx)
{
    (void)ctx;
    return arch_now_ns();
}

/* The segment of net channel id, filled from the scenario on first use. */
static struct vnet_seg *seg_of(const struct cfg_scenario *sc, unsigned id)
{
    struct vnet_seg *seg = &segs[id];
    const struct cfg_chan *ch = &sc->chans[id];

    if (seg->name == NULL) {
        seg->name = ch->name;
        seg->members = ch->net_members;
        for (unsigned v = 0; v < CFG_MAX_VMS; v++) {
            seg->member_name[v] = v < sc->vm_count ? sc->vms[v].name : "?";
            memcpy(seg->mac[v], ch->net[v].mac, VNET_MAC_LEN);
        }
    }
    return seg;
}

/* Calls fn(chan, vm index) for every valid segment vm is a member of. */
#define FOR_EACH_SEGMENT(sc, v, ch)                                                          \
    for (const struct cfg_chan *ch = (sc) != NULL ? (sc)->chans : NULL;                      \
         ch != NULL && ch < (sc)->chans + (sc)->chan_count; ch++)                            \
        if (ch->valid && ch->type == CFG_CHAN_NET && (v) < CFG_MAX_VMS &&                    \
            (ch->net_members & (1u << (v))))

int vm_net_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
{
    const struct cfg_scenario *sc = vm_ipc_scenario();

    FOR_EACH_SEGMENT(sc, vm->id, ch) {
        if (*n >= max) {
            return -BH_ENOMEM;
        }
        spis[(*n)++] = (struct vgic_spi_cfg){ .intid = ch->net[vm->id].intid };
    }
    return 0;
}

/* dev: the VM's row of devs[] */
static int net_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                      uint64_t *val)
{
    unsigned slot = (unsigned)(off / VPLAT_NET_STRIDE);

    (void)v;
    if (slot >= VPLAT_NET_MAX || ((struct vnet *)dev)[slot].seg == NULL) {
        return -BH_EINVAL; /* a slot without a device (vnet_init sets seg): unmapped memory */
    }
    return vnet_mmio(&((struct vnet *)dev)[slot], (uint32_t)(off % VPLAT_NET_STRIDE), size,
                     write, val);
}

int vm_net_setup(struct vm *vm)
{
    const struct cfg_scenario *sc = vm_ipc_scenario();
    const struct virtq_mem mem = { .host = vm_ipa_to_host(vm, vm->mem_ipa),
                                   .ipa = vm->mem_ipa, .size = vm->mem_size };
    const struct vnet_hooks hooks = { .ctx = vm, .set_irq = h_set_irq, .event = h_event,
                                      .alive = h_alive, .now_ns = h_now };
    unsigned v = vm->id;

    FOR_EACH_SEGMENT(sc, v, ch) {
        const struct cfg_net_member *m = &ch->net[v];
        const struct vnet_cfg cfg = { .reach = m->reach, .intid = m->intid,
                                      .rate_pps = m->rate_pps, .rate_bps = m->rate_bps,
                                      .one_sender = vm->nr_vcpus == 1 };
        if (m->slot >= VPLAT_NET_MAX ||
            vnet_init(&devs[v][m->slot], seg_of(sc, (unsigned)(ch - sc->chans)), v, &cfg, &mem,
                      &hooks) != 0) {
            return -BH_EINVAL; /* the checker rules both out */
        }
        dev_used[v] |= (uint8_t)(1u << m->slot);
    }
    if (dev_used[v] == 0) {
        return 0;
    }
    return mmio_register(&vm->mmio, "virtio-net", VPLAT_NET_IPA, VPLAT_NET_SIZE, net_access,
                         devs[v]);
}

void vm_net_reset(struct vm *vm)
{
    for (unsigned k = 0; k < VPLAT_NET_MAX; k++) {
        if (dev_used[vm->id] & (1u << k)) {
            vnet_reset(&devs[vm->id][k]);
        }
    }
}

void vm_net_print_stats(void)
{
    for (unsigned v = 0; v < vm_count; v++) {
        for (unsigned k = 0; k < VPLAT_NET_MAX; k++) {
            struct vnet_stats s;
            if (!(dev_used[v] & (1u << k))) {
                continue;
            }
            vnet_get_stats(&devs[v][k], &s);
            hyp_printf("STATS net=%s vm=%s tx_frames=%llu tx_bytes=%llu rx_frames=%llu "
                       "rx_bytes=%llu drop_deny=%llu drop_unknown=%llu drop_rate=%llu "
                       "drop_bad=%llu drop_down=%llu rx_no_buffer=%llu rx_small=%llu "
                       "malformed=%llu",
                       devs[v][k].seg->name, vms[v].name, (unsigned long long)s.tx_frames,
                       (unsigned long long)s.tx_bytes, (unsigned long long)s.rx_frames,
                       (unsigned long long)s.rx_bytes, (unsigned long long)s.drop_deny,
                       (unsigned long long)s.drop_unknown, (unsigned long long)s.drop_rate,
                       (unsigned long long)s.drop_bad, (unsigned long long)s.drop_down,
                       (unsigned long long)s.rx_no_buffer, (unsigned long long)s.rx_small,
                       (unsigned long long)s.malformed);
        }
    }
}
