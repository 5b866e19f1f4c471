// SPDX-License-Identifier: MIT
/*
 * IPC hypercalls, the /bulkhead-ipc device-tree node (docs/ABI.md "Inter-VM communication")
 * and interrupts taken by hand. The DTB is read in place at plat.dtb_pa: the IPC modes never
 * write RAM outside their own variables. Interrupts: PSTATE.I stays set, WFI wakes on a
 * pending interrupt anyway (ARM ARM D1.16.2), and ipc_irq_poll() acknowledges (gic_ack)
 * and EOIs, so SPIs (which gic.c does not dispatch) are counted here.
 */
#include <bulkhead/hvc.h>
#include <libfdt.h>

#include "gicx.h"
#include "ipc.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "timer.h"

#define IPC_NODE_PATH   "/bulkhead-ipc"
#define IPC_NODE_COMPAT "bulkhead,ipc-v1"
#define IPC_CELLS       2 /* #address-cells and #size-cells of the node */
#define DT_IRQ_CELLS    3 /* GIC: type, number, flags */
#define DT_IRQ_SPI      0
#define DT_IRQ_EDGE     1 /* IRQ_TYPE_EDGE_RISING */
#define DT_CELL_BITS    32

#define GIC_SPI_FIRST   32
#define GIC_SPI_END     128 /* the vGIC implements SPIs 32..127 */
#define IPC_IRQ_PRIO    0x80

int64_t ipc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return bh_hvc(fid, a1, a2, a3, a4);
}

const char *ipc_err_name(int64_t ret)
{
    static const char *const names[] = { "OK", "NOT_SUPPORTED", "INVAL", "DENIED",
                                         "BUSY", "NOENT", "RANGE", "TIMEOUT" };

    if (ret == BH_OWNER_DIED) {
        return "OWNER_DIED";
    }
    if (ret <= 0 && -ret < (int64_t)ARRAY_SIZE(names)) {
        return names[-ret];
    }
    return "?";
}

/* ------------------------------------------------------------------ device tree */

static const struct {
    const char *compat;
    enum ipc_type type;
} ipc_compats[] = {
    { "bulkhead,shmem", IPC_SHMEM },     { "bulkhead,doorbell", IPC_DOORBELL },
    { "bulkhead,semaphore", IPC_SEM },   { "bulkhead,mutex", IPC_MUTEX },
    { "bulkhead,msgq", IPC_MSGQ },
};

static const void *ipc_fdt(void)
{
    return plat.dtb_ok ? (const void *)plat.dtb_pa : NULL;
}

static uint32_t prop_u32(const void *fdt, int node, const char *name, uint32_t def)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    return p && len == (int)sizeof(*p) ? fdt32_to_cpu(*p) : def;
}

static uint64_t cells(const fdt32_t *c, int count)
{
    uint64_t v = 0;

    for (int i = 0; i < count; i++) {
        v = (v << DT_CELL_BITS) | fdt32_to_cpu(c[i]);
    }
    return v;
}

static enum ipc_type compat_type(const void *fdt, int node)
{
    for (size_t i = 0; i < ARRAY_SIZE(ipc_compats); i++) {
        if (fdt_node_check_compatible(fdt, node, ipc_compats[i].compat) == 0) {
            return ipc_compats[i].type;
        }
    }
    return IPC_TYPE_UNKNOWN;
}

/* INTID of "interrupts" entry index, 0 if absent or not an edge SPI specifier. */
static uint32_t irq_entry(const void *fdt, int node, int index)
{
    int len = 0;
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

    if (!irq || index < 0 || len < (index + 1) * DT_IRQ_CELLS * (int)sizeof(fdt32_t)) {
        return 0;
    }
    irq += index * DT_IRQ_CELLS;
    if (fdt32_to_cpu(irq[0]) != DT_IRQ_SPI || fdt32_to_cpu(irq[2]) != DT_IRQ_EDGE) {
        return 0;
    }
    return GIC_SPI_FIRST + fdt32_to_cpu(irq[1]);
}

static void parse_obj(const void *fdt, int node, struct ipc_obj *o)
{
    int len = 0;

    o->name = fdt_get_name(fdt, node, NULL);
    o->id = prop_u32(fdt, node, "bulkhead,id", UINT32_MAX);
    o->rights = prop_u32(fdt, node, "bulkhead,rights", 0);
    o->type = compat_type(fdt, node);
    switch (o->type) {
    case IPC_SHMEM: {
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
        if (reg && len == 2 * IPC_CELLS * (int)sizeof(fdt32_t)) {
            o->shm_ipa = cells(reg, IPC_CELLS);
            o->shm_size = cells(reg + IPC_CELLS, IPC_CELLS);
        }
        break;
    }
    case IPC_DOORBELL:
        o->intid = irq_entry(fdt, node, 0);
        break;
    case IPC_MSGQ:
        o->rx_intid = irq_entry(fdt, node, fdt_stringlist_search(fdt, node, "interrupt-names",
                                                                 "rx"));
        o->tx_intid = irq_entry(fdt, node, fdt_stringlist_search(fdt, node, "interrupt-names",
                                                                 "tx"));
        o->depth = prop_u32(fdt, node, "bulkhead,depth", 0);
        o->msg_size = prop_u32(fdt, node, "bulkhead,msg-size", 0);
        break;
    case IPC_SEM:
        o->sem_max = prop_u32(fdt, node, "bulkhead,max", 0);
        break;
    case IPC_MUTEX:
    case IPC_TYPE_UNKNOWN:
        break;
    }
}

bool ipc_dt_find(const char *name, struct ipc_obj *o)
{
    const void *fdt = ipc_fdt();
    int parent = fdt ? fdt_path_offset(fdt, IPC_NODE_PATH) : -1;
    int node = parent >= 0 ? fdt_subnode_offset(fdt, parent, name) : -1;

    *o = (struct ipc_obj){ .name = name, .id = UINT32_MAX, .type = IPC_TYPE_UNKNOWN };
    if (node < 0) {
        return false;
    }
    parse_obj(fdt, node, o);
    return true;
}

void ipc_dt_need(const char *name, struct ipc_obj *o)
{
    if (!ipc_dt_find(name, o)) {
        tg_fatal("ipc: no object '%s' under " IPC_NODE_PATH " in the device tree", name);
    }
}

bool ipc_dt_check(void)
{
    const void *fdt = ipc_fdt();
    int parent = fdt ? fdt_path_offset(fdt, IPC_NODE_PATH) : -1;
    int node, count = 0;

    if (!report(parent >= 0, "ipc: device tree has " IPC_NODE_PATH)) {
        return false;
    }
    report(fdt_node_check_compatible(fdt, parent, IPC_NODE_COMPAT) == 0 &&
               prop_u32(fdt, parent, "#address-cells", 0) == IPC_CELLS &&
               prop_u32(fdt, parent, "#size-cells", 0) == IPC_CELLS,
           "ipc: " IPC_NODE_PATH " compatible \"" IPC_NODE_COMPAT
           "\", #address-cells = #size-cells = 2");
    fdt_for_each_subnode(node, fdt, parent) {
        struct ipc_obj o = { 0 };
        parse_obj(fdt, node, &o);
        report_info("ipc: dt object '%s' id=%u type=%u rights=0x%x shm=0x%lx+0x%lx intid=%u "
                    "rx=%u tx=%u depth=%u msg-size=%u max=%u",
                    o.name, o.id, o.type, o.rights, o.shm_ipa, o.shm_size, o.intid, o.rx_intid,
                    o.tx_intid, o.depth, o.msg_size, o.sem_max);
        if (o.type == IPC_TYPE_UNKNOWN || o.id == UINT32_MAX || !o.rights) {
            report(false, "ipc: dt object '%s' lacks compatible, bulkhead,id or rights",
                   o.name);
        }
        count++;
    }
    report_info("ipc: %d objects in the device tree", count);
    return true;
}

bool ipc_check_info(const struct ipc_obj *o)
{
    int64_t r = ipc_info(o->id);
    int64_t want = (int64_t)(o->type | o->rights << 8);

    return report(r == want, "ipc: IPC_INFO(%u '%s') = 0x%lx (%s), device tree says 0x%lx",
                  o->id, o->name, r, r < 0 ? ipc_err_name(r) : "ok", want);
}

/* ------------------------------------------------------------------ interrupts */

static uint32_t spi_count[GIC_SPI_END - GIC_SPI_FIRST];
static uint32_t unexpected;

void ipc_irq_init(void)
{
    irq_mask();
}

void ipc_spi_enable(uint32_t intid)
{
    if (intid < GIC_SPI_FIRST || intid >= GIC_SPI_END) {
        report(false, "ipc: INTID %u is not an SPI the vGIC implements", intid);
        return;
    }
    /* a pending edge that came before set-up is kept (not cleared) */
    gic_spi_setup(intid, IPC_IRQ_PRIO, true, false);
}

void ipc_irq_poll(void)
{
    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t intid = gic_iar_intid(iar);

        if (intid >= GIC_INTID_SPURIOUS && intid < GIC_INTID_SPECIAL_END) {
            return;
        }
        if (intid >= GIC_SPI_FIRST && intid < GIC_SPI_END) {
            spi_count[intid - GIC_SPI_FIRST]++;
        } else if (intid == plat.timer_intid) {
            /* a deadline: mask the output so the level interrupt drops */
            write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
        } else {
            unexpected++;
        }
        gic_eoi(iar);
    }
}

uint32_t ipc_irq_count(uint32_t intid)
{
    return intid >= GIC_SPI_FIRST && intid < GIC_SPI_END ? spi_count[intid - GIC_SPI_FIRST] : 0;
}

uint32_t ipc_irq_unexpected(void)
{
    return unexpected;
}

static bool irq_reached(uint32_t intid, uint32_t target)
{
    return intid && ipc_irq_count(intid) >= target;
}

bool ipc_irq_wait(uint32_t intid, uint32_t target, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);

    ipc_irq_poll();
    if (irq_reached(intid, target)) {
        return true;
    }
    write_sysreg(deadline, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    while (!irq_reached(intid, target) && timer_now() < deadline) {
        wfi();
        ipc_irq_poll();
    }
    write_sysreg(0, cntv_ctl_el0);
    isb();
    ipc_irq_poll(); /* a deadline raised just before the timer stopped */
    return irq_reached(intid, target);
}

void ipc_delay_ms(uint64_t ms)
{
    (void)ipc_irq_wait(0, 1, ms);
}

uint64_t ipc_ticks_to_ms(uint64_t ticks)
{
    return ticks * MS_PER_S / timer_freq();
}
