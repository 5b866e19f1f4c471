// SPDX-License-Identifier: MIT
/*
 * Checks of one channel against the VMs and the channels before it: where its shared memory
 * and IPC register pages land in each member's guest-physical space, which virtual SPIs it
 * raises in each VM, and the memory and queue-storage budgets. A channel is compared with the
 * earlier *valid* channels only, so of two conflicting channels the later one is refused; a
 * member VM that is itself invalid never starts, so it is not checked and blocks nobody.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/range.h>
#include <lib/string.h>

#define RAISED_MAX 2 /* virtual SPIs one object raises in one VM: msgq rx + tx */

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */

struct window {
    const char *name;
    uint64_t base;
    uint64_t size;
};

/* A VM that can run: channels are checked against these only. */
static bool vm_runs(const struct cfg_scenario *sc, uint32_t v)
{
    return v < sc->vm_count && sc->vms[v].valid;
}

/* ------------------------------------------------------------------ guest-physical windows */

/* [base, base + size) against everything else in VM vm; reports through (path, prop). */
static void check_shm_window(struct cfg_ctx *c, struct cfg_chan *ch, uint32_t v,
                             const char *path)
{
    const struct cfg_scenario *sc = c->out;
    const struct cfg_vm *vm = &sc->vms[v];
    uint64_t base = ch->shm_ipa[v], size = ch->shm_size;
    uint64_t vcpus = vm->vcpu_count > 0 ? vm->vcpu_count : 1;
    const struct window fixed[] = {
        { "the VM's RAM", vm->mem_ipa, vm->mem_size },
        { "the virtual GICD", VPLAT_GICD_IPA, VPLAT_GICD_SIZE },
        { "the virtual GICR", VPLAT_GICR_IPA, vcpus * VPLAT_GICR_STRIDE },
        { "the virtual UART", VPLAT_UART_IPA, VPLAT_UART_SIZE },
        { "the IPC pages", VPLAT_IPC_IPA, VPLAT_IPC_SIZE },
        { "the IPC notification GPIOs", VPLAT_GPIO_IPA, VPLAT_GPIO_SIZE },
        { "the management device", VPLAT_MGMT_IPA, VPLAT_MGMT_SIZE },
        { "the virtual watchdog", VPLAT_WDOG_IPA,
          vm->watchdog != CFG_WDOG_NONE ? VPLAT_WDOG_SIZE : 0 },
    };

    if (!range_fits(base, size, CFG_IPA_LIMIT)) {
        cfg_error(c, &ch->valid, path, "ipa",
                  "guest window 0x%llx+0x%llx goes beyond the %d-bit IPA space", (ull)base,
                  (ull)size, CFG_IPA_BITS);
        return;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (cfg_overlap(base, size, fixed[i].base, fixed[i].size)) {
            cfg_error(c, &ch->valid, path, "ipa",
                      "guest window 0x%llx+0x%llx overlaps %s at 0x%llx", (ull)base, (ull)size,
                      fixed[i].name, (ull)fixed[i].base);
        }
    }
    for (uint32_t d = 0; d < vm->dev_count; d++) {
        const struct cfg_dev *dev = &vm->devs[d];
        if (cfg_overlap(base, size, dev->ipa, dev->size)) {
            cfg_error(c, &ch->valid, path, "ipa",
                      "guest window 0x%llx+0x%llx overlaps passthrough device '%s' at 0x%llx",
                      (ull)base, (ull)size, dev->name, (ull)dev->ipa);
        }
    }
    for (const struct cfg_chan *o = sc->chans; o < ch; o++) {
        if (o->valid && o->type == CFG_CHAN_SHMEM && o->rights[v] != 0 &&
            cfg_overlap(base, size, o->shm_ipa[v], o->shm_size)) {
            cfg_error(c, &ch->valid, path, "ipa",
                      "guest window 0x%llx+0x%llx overlaps shared memory '%s' at 0x%llx",
                      (ull)base, (ull)size, o->name, (ull)o->shm_ipa[v]);
        }
    }
}

/* RAM a shared-memory region takes: the hypervisor allocates VM RAM in 2 MiB blocks. */
static uint64_t shm_ram(const struct cfg_chan *ch)
{
    return cfg_align_up(ch->shm_size, CFG_MEM_ALIGN);
}

/*
 * RAM taken before ch by the valid VMs, shared memory, and the one 2 MiB block the hypervisor
 * allocates for all queue data pages once a queue exists (core/ipc/vm_ipc.c): VM RAM is one
 * contiguous region given in 2 MiB blocks, so this is what the allocator hands out.
 */
static uint64_t ram_before(const struct cfg_scenario *sc, const struct cfg_chan *ch)
{
    uint64_t total = cfg_vm_ram(sc, sc->vm_count); /* uncoloured RAM and the colour pool */
    bool queue = false;

    for (const struct cfg_chan *o = sc->chans; o < ch; o++) {
        total += o->valid && o->type == CFG_CHAN_SHMEM ? shm_ram(o) : 0;
        queue = queue || (o->valid && o->type == CFG_CHAN_MSGQ);
    }
    return total + (queue ? CFG_MEM_ALIGN : 0);
}

/* Shared memory also needs RAM: VMs and regions together must fit what is left for VMs. */
static void check_shm_budget(struct cfg_ctx *c, struct cfg_chan *ch, const char *path)
{
    uint64_t total = ram_before(c->out, ch);

    if (total + shm_ram(ch) > c->plat->vm_ram_avail) {
        cfg_error(c, &ch->valid, path, "size",
                  "0x%llx more bytes (RAM is given in 2 MiB blocks) would bring VM and shared "
                  "memory to 0x%llx, over the 0x%llx available for VMs",
                  (ull)shm_ram(ch), (ull)(total + shm_ram(ch)), (ull)c->plat->vm_ram_avail);
    }
}

static void check_shm(struct cfg_ctx *c, struct cfg_chan *ch, const char *path)
{
    char mpath[CFG_PATH_MAX];

    for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
        if (ch->rights[v] != 0 && vm_runs(c->out, v)) {
            bh_snprintf(mpath, sizeof(mpath), "%s/%s", path, c->out->vms[v].name);
            check_shm_window(c, ch, v, mpath);
        }
    }
    check_shm_budget(c, ch, path);
}

/* The object's IPC register page in each member must not hide RAM or a device. */
static void check_ipc_page(struct cfg_ctx *c, struct cfg_chan *ch, uint32_t id,
                           const char *path)
{
    uint64_t page = VPLAT_IPC_IPA + (uint64_t)id * VPLAT_IPC_STRIDE;

    for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
        const struct cfg_vm *vm = &c->out->vms[v];
        if (ch->rights[v] == 0 || !vm_runs(c->out, v)) {
            continue;
        }
        if (cfg_overlap(page, VPLAT_IPC_STRIDE, vm->mem_ipa, vm->mem_size)) {
            cfg_error(c, &ch->valid, path, CFG_NODE_PROP,
                      "IPC page 0x%llx overlaps the RAM of VM '%s' at 0x%llx", (ull)page,
                      vm->name, (ull)vm->mem_ipa);
        }
        for (uint32_t d = 0; d < vm->dev_count; d++) {
            const struct cfg_dev *dev = &vm->devs[d];
            if (cfg_overlap(page, VPLAT_IPC_STRIDE, dev->ipa, dev->size)) {
                cfg_error(c, &ch->valid, path, CFG_NODE_PROP,
                          "IPC page 0x%llx overlaps passthrough device '%s' of VM '%s'",
                          (ull)page, dev->name, vm->name);
            }
        }
    }
}

/* ------------------------------------------------------------------ interrupts */

/* The virtual SPIs ch raises in VM v, with the property naming each; returns the count. */
static uint32_t raised(const struct cfg_chan *ch, uint32_t v, uint32_t intid[RAISED_MAX],
                       const char *prop[RAISED_MAX])
{
    uint32_t n = 0;

    if (ch->type == CFG_CHAN_DOORBELL && (ch->rights[v] & CFG_RIGHT_RECV) && ch->intid != 0) {
        intid[n] = ch->intid;
        prop[n++] = "intid";
    }
    if (ch->type == CFG_CHAN_MSGQ && (ch->rights[v] & CFG_RIGHT_RECV) && ch->rx_intid != 0) {
        intid[n] = ch->rx_intid;
        prop[n++] = "rx-intid";
    }
    if (ch->type == CFG_CHAN_MSGQ && (ch->rights[v] & CFG_RIGHT_SEND) && ch->tx_intid != 0) {
        intid[n] = ch->tx_intid;
        prop[n++] = "tx-intid";
    }
    if (ch->type == CFG_CHAN_NET && (ch->net_members & (1u << v)) && ch->net[v].intid != 0) {
        intid[n] = ch->net[v].intid;
        prop[n++] = "intid";
    }
    return n;
}

/* Why intid cannot be raised in VM v by ch (or NULL); *who names the other user. */
static const char *intid_conflict(const struct cfg_scenario *sc, const struct cfg_chan *ch,
                                  uint32_t v, uint32_t intid, const char **who)
{
    const struct cfg_vm *vm = &sc->vms[v];
    uint32_t other[RAISED_MAX];
    const char *oprop[RAISED_MAX];

    if (vm->watchdog != CFG_WDOG_NONE && intid == VPLAT_WDOG_INTID) {
        *who = "sp805";
        return "is the interrupt of the virtual watchdog";
    }
    if (vm->power_button && intid == VPLAT_PWR_INTID) {
        *who = "power-button";
        return "is the interrupt of";
    }
    if (vm->virtio_console && intid == VPLAT_VCONS_INTID) {
        *who = "virtio-console";
        return "is the interrupt of";
    }
    for (uint32_t d = 0; d < vm->dev_count; d++) {
        for (uint32_t i = 0; i < vm->devs[d].irq_count; i++) {
            if (vm->devs[d].irqs[i] == intid) {
                *who = vm->devs[d].name;
                return "is given to passthrough device";
            }
        }
    }
    for (const struct cfg_chan *o = sc->chans; o < ch; o++) {
        uint32_t n = o->valid ? raised(o, v, other, oprop) : 0;
        for (uint32_t i = 0; i < n; i++) {
            if (other[i] == intid) {
                *who = o->name;
                return "is already raised by channel";
            }
        }
    }
    return NULL;
}

/* Virtual SPIs VM v owns with the valid channels before ch (the hypervisor's vGIC holds
 * CFG_MAX_VM_SPIS of them). */
static uint32_t vm_spis_before(const struct cfg_scenario *sc, const struct cfg_chan *ch,
                               uint32_t v)
{
    uint32_t intid[RAISED_MAX], n = cfg_vm_dev_spis(&sc->vms[v]);
    const char *prop[RAISED_MAX];

    for (const struct cfg_chan *o = sc->chans; o < ch; o++) {
        n += o->valid ? raised(o, v, intid, prop) : 0;
    }
    return n;
}

static void check_intids(struct cfg_ctx *c, struct cfg_chan *ch, const char *path)
{
    uint32_t intid[RAISED_MAX];
    const char *prop[RAISED_MAX];

    for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
        uint32_t n = vm_runs(c->out, v) ? raised(ch, v, intid, prop) : 0;
        const char *vname = c->out->vms[v].name;

        if (n > 0 && vm_spis_before(c->out, ch, v) + n > CFG_MAX_VM_SPIS) {
            cfg_error(c, &ch->valid, path, prop[0],
                      "VM '%s' would own more than %u virtual SPIs (UART, devices, channels)",
                      vname, CFG_MAX_VM_SPIS);
            continue;
        }
        for (uint32_t i = 0; i < n; i++) {
            const char *who = NULL;
            const char *why = intid_conflict(c->out, ch, v, intid[i], &who);
            if (why != NULL) {
                cfg_error(c, &ch->valid, path, prop[i], "INTID %u %s '%s' in VM '%s'",
                          intid[i], why, who, vname);
            } else if (i > 0 && intid[i] == intid[0]) {
                /* A VM that both sends and receives could not tell the two apart. */
                cfg_error(c, &ch->valid, path, prop[i],
                          "INTID %u is also this queue's %s in VM '%s'", intid[i], prop[0],
                          vname);
            }
        }
    }
}

/* ------------------------------------------------------------------ queue storage */

static void check_msgq_storage(struct cfg_ctx *c, struct cfg_chan *ch, const char *path)
{
    uint64_t total = 0;
    uint64_t mine = (uint64_t)ch->depth * ch->msg_size;

    for (const struct cfg_chan *o = c->out->chans; o < ch; o++) {
        total += o->valid && o->type == CFG_CHAN_MSGQ ? (uint64_t)o->depth * o->msg_size : 0;
    }
    if (total + mine > CFG_MSGQ_STORAGE_MAX) {
        cfg_error(c, &ch->valid, path, CFG_NODE_PROP,
                  "0x%llx bytes of queue storage (depth x msg-size) would bring the total to "
                  "0x%llx, over 0x%llx",
                  (ull)mine, (ull)(total + mine), (ull)CFG_MSGQ_STORAGE_MAX);
    }
    /* The first valid queue brings the data-page block (ram_before counts it for the rest). */
    bool first = true;
    for (const struct cfg_chan *o = c->out->chans; o < ch; o++) {
        first = first && !(o->valid && o->type == CFG_CHAN_MSGQ);
    }
    uint64_t ram = ram_before(c->out, ch);
    if (first && ram + CFG_MEM_ALIGN > c->plat->vm_ram_avail) {
        cfg_error(c, &ch->valid, path, CFG_NODE_PROP,
                  "the queue data pages (one 0x%llx block) would bring VM and shared memory "
                  "to 0x%llx, over the 0x%llx available for VMs",
                  (ull)CFG_MEM_ALIGN, (ull)(ram + CFG_MEM_ALIGN), (ull)c->plat->vm_ram_avail);
    }
}

void cfg_check_chan(struct cfg_ctx *c, uint32_t id, const char *path)
{
    struct cfg_chan *ch = &c->out->chans[id];

    if (ch->type == CFG_CHAN_SHMEM) {
        check_shm(c, ch, path);
        return;
    }
    if (ch->type == CFG_CHAN_NET) {
        /* No IPC page: a virtio-mmio window and one SPI per member. */
        cfg_check_net(c, ch, path);
        check_intids(c, ch, path);
        return;
    }
    check_ipc_page(c, ch, id, path);
    check_intids(c, ch, path);
    if (ch->type == CFG_CHAN_MSGQ) {
        check_msgq_storage(c, ch, path);
    }
}
