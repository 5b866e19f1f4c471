// SPDX-License-Identifier: MIT
/*
 * Generates each VM's device tree with libfdt's sequential-write API, following the Linux
 * bindings (Documentation/devicetree/bindings: arm/cpus.yaml, arm/psci.yaml,
 * interrupt-controller/arm,gic-v3.yaml, timer/arm,arch_timer.yaml, serial/pl011.yaml). The
 * guest sees only its own CPUs, memory, virtual devices and pass-through devices.
 */
#include <core/vm/guest_fdt.h>

#include <libfdt.h>

#include <core/dev/teemed.h>
#include <core/ipc/ipc.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define PHANDLE_GIC   1
#define PHANDLE_CLK   2
#define PHANDLE_WDOG_CLK 3
#define PHANDLE_PWR_GPIO 4 /* 3: the watchdog's clock */
#define KEY_POWER     116  /* linux,code (include/uapi/linux/input-event-codes.h) */
#define GPIO_ACTIVE_HIGH 0
#define GIC_SPI       0
#define GIC_PPI       1
#define IRQ_LEVEL_HI  4
#define IRQ_EDGE_RISING 1
#define UART_CLK_HZ   24000000

static int prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
    fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };
    return fdt_property(fdt, name, v, sizeof(v));
}

static int add_cpus(void *fdt, const struct cfg_vm *vm)
{
    char name[16];
    int r = fdt_begin_node(fdt, "cpus");

    r = r ? r : fdt_property_u32(fdt, "#address-cells", 1);
    r = r ? r : fdt_property_u32(fdt, "#size-cells", 0);
    for (uint32_t i = 0; !r && i < vm->vcpu_count; i++) {
        bh_snprintf(name, sizeof(name), "cpu@%u", i);
        r = fdt_begin_node(fdt, name);
        r = r ? r : fdt_property_string(fdt, "device_type", "cpu");
        r = r ? r : fdt_property_string(fdt, "compatible", "arm,armv8");
        r = r ? r : fdt_property_u32(fdt, "reg", i);
        r = r ? r : fdt_property_string(fdt, "enable-method", "psci");
        r = r ? r : fdt_end_node(fdt);
    }
    return r ? r : fdt_end_node(fdt);
}

/* GICv2 (arm,gic.yaml): GICD and GICC (the hardware's GICV frame), no GICH/GICV for the
 * guest (no nested virtualization), the maintenance PPI for the binding's sake. */
static int add_gic_v2(void *fdt)
{
    char name[32];
    fdt64_t reg[4] = {
        cpu_to_fdt64(VPLAT_GICD_IPA), cpu_to_fdt64(VPLAT_GICD_SIZE),
        cpu_to_fdt64(VPLAT_GICC_IPA), cpu_to_fdt64(VPLAT_GICC_SIZE),
    };
    fdt32_t irq[3] = { cpu_to_fdt32(GIC_PPI), cpu_to_fdt32(VPLAT_MAINT_INTID - 16),
                       cpu_to_fdt32(IRQ_LEVEL_HI) };
    static const char compat[] = "arm,gic-400\0arm,cortex-a15-gic";

    bh_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)VPLAT_GICD_IPA);
    int r = fdt_begin_node(fdt, name);
    r = r ? r : fdt_property(fdt, "compatible", compat, sizeof(compat));
    r = r ? r : fdt_property_u32(fdt, "#interrupt-cells", 3);
    r = r ? r : fdt_property(fdt, "interrupt-controller", NULL, 0);
    r = r ? r : fdt_property(fdt, "reg", reg, sizeof(reg));
    r = r ? r : fdt_property(fdt, "interrupts", irq, sizeof(irq));
    r = r ? r : fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
    return r ? r : fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct cfg_vm *vm)
{
    char name[32];
    fdt64_t reg[4] = {
        cpu_to_fdt64(VPLAT_GICD_IPA), cpu_to_fdt64(VPLAT_GICD_SIZE),
        cpu_to_fdt64(VPLAT_GICR_IPA), cpu_to_fdt64(VPLAT_GICR_STRIDE * vm->vcpu_count),
    };
    fdt32_t irq[3] = { cpu_to_fdt32(GIC_PPI), cpu_to_fdt32(VPLAT_MAINT_INTID - 16),
                       cpu_to_fdt32(IRQ_LEVEL_HI) };

    bh_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)VPLAT_GICD_IPA);
    int r = fdt_begin_node(fdt, name);
    r = r ? r : fdt_property_string(fdt, "compatible", "arm,gic-v3");
    r = r ? r : fdt_property_u32(fdt, "#interrupt-cells", 3);
    r = r ? r : fdt_property(fdt, "interrupt-controller", NULL, 0);
    r = r ? r : fdt_property_u32(fdt, "#redistributor-regions", 1);
    r = r ? r : fdt_property(fdt, "reg", reg, sizeof(reg));
    r = r ? r : fdt_property(fdt, "interrupts", irq, sizeof(irq));
    r = r ? r : fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
    return r ? r : fdt_end_node(fdt);
}

static int add_timer_psci(void *fdt)
{
    /* Secure phys, non-secure phys, virtual, hypervisor: PPIs 13, 14, 11, 10. */
    static const uint32_t ppis[4] = { 13, 14, 11, 10 };
    fdt32_t irq[12];

    for (int i = 0; i < 4; i++) {
        irq[i * 3] = cpu_to_fdt32(GIC_PPI);
        irq[i * 3 + 1] = cpu_to_fdt32(ppis[i]);
        irq[i * 3 + 2] = cpu_to_fdt32(IRQ_LEVEL_HI);
    }
    int r = fdt_begin_node(fdt, "timer");
    r = r ? r : fdt_property_string(fdt, "compatible", "arm,armv8-timer");
    r = r ? r : fdt_property(fdt, "interrupts", irq, sizeof(irq));
    r = r ? r : fdt_property(fdt, "always-on", NULL, 0);
    r = r ? r : fdt_end_node(fdt);
    r = r ? r : fdt_begin_node(fdt, "psci");
    static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
    r = r ? r : fdt_property(fdt, "compatible", psci_compat, sizeof(psci_compat));
    r = r ? r : fdt_property_string(fdt, "method", "hvc");
    return r ? r : fdt_end_node(fdt);
}

/* The PMUv3 (Documentation/devicetree/bindings/arm/pmu.yaml): overflow interrupt PPI 7. */
static int add_pmu(void *fdt)
{
    fdt32_t irq[3] = { cpu_to_fdt32(GIC_PPI), cpu_to_fdt32(VPLAT_PMU_INTID - 16),
                       cpu_to_fdt32(IRQ_LEVEL_HI) };

    int r = fdt_begin_node(fdt, "pmu");
    r = r ? r : fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3");
    r = r ? r : fdt_property(fdt, "interrupts", irq, sizeof(irq));
    return r ? r : fdt_end_node(fdt);
}

/* A fixed-rate clock (bindings/clock/fixed-clock.yaml) that devices name by phandle. */
static int add_fixed_clock(void *fdt, const char *node, uint32_t hz, const char *output,
                           uint32_t phandle)
{
    int r = fdt_begin_node(fdt, node);
    r = r ? r : fdt_property_string(fdt, "compatible", "fixed-clock");
    r = r ? r : fdt_property_u32(fdt, "#clock-cells", 0);
    r = r ? r : fdt_property_u32(fdt, "clock-frequency", hz);
    r = r ? r : fdt_property_string(fdt, "clock-output-names", output);
    r = r ? r : fdt_property_u32(fdt, "phandle", phandle);
    return r ? r : fdt_end_node(fdt);
}

/*
 * Open the node of an emulated device, `prefix@<ipa>`: its compatible list (compat_len bytes,
 * NUL-separated), one reg window and one level-high SPI. The caller adds the rest and ends it.
 */
static int begin_device(void *fdt, const char *prefix, const char *compat, size_t compat_len,
                        uint64_t ipa, uint64_t size, uint32_t intid)
{
    fdt32_t irq[3] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(intid - 32),
                       cpu_to_fdt32(IRQ_LEVEL_HI) };
    char name[48];

    bh_snprintf(name, sizeof(name), "%s@%llx", prefix, (unsigned long long)ipa);
    int r = fdt_begin_node(fdt, name);
    r = r ? r : fdt_property(fdt, "compatible", compat, compat_len);
    r = r ? r : prop_u64_pair(fdt, "reg", ipa, size);
    return r ? r : fdt_property(fdt, "interrupts", irq, sizeof(irq));
}

/* A PL061's controller properties (bindings/gpio/pl061-gpio.yaml): the power button's and the
 * notification GPIOs'. */
static int pl061_props(void *fdt)
{
    fdt32_t clk = cpu_to_fdt32(PHANDLE_CLK);

    int r = fdt_property(fdt, "gpio-controller", NULL, 0);
    r = r ? r : fdt_property_u32(fdt, "#gpio-cells", 2);
    r = r ? r : fdt_property(fdt, "interrupt-controller", NULL, 0);
    r = r ? r : fdt_property_u32(fdt, "#interrupt-cells", 2);
    r = r ? r : fdt_property(fdt, "clocks", &clk, sizeof(clk));
    return r ? r : fdt_property_string(fdt, "clock-names", "apb_pclk");
}

static int add_uart(void *fdt)
{
    static const char compat[] = "arm,pl011\0arm,primecell";
    static const char clk_names[] = "uartclk\0apb_pclk";
    fdt32_t clks[2] = { cpu_to_fdt32(PHANDLE_CLK), cpu_to_fdt32(PHANDLE_CLK) };

    int r = add_fixed_clock(fdt, "apb-pclk", UART_CLK_HZ, "clk24mhz", PHANDLE_CLK);
    r = r ? r : begin_device(fdt, "pl011", compat, sizeof(compat), VPLAT_UART_IPA,
                             VPLAT_UART_SIZE, VPLAT_UART_INTID);
    r = r ? r : fdt_property(fdt, "clocks", clks, sizeof(clks));
    r = r ? r : fdt_property(fdt, "clock-names", clk_names, sizeof(clk_names));
    return r ? r : fdt_end_node(fdt);
}

/* watchdog = "sp805" (Linux: Documentation/devicetree/bindings/watchdog/arm,sp805.yaml):
 * WDOGCLK is its own fixed clock at the configured rate (sp805_wdt computes its load from
 * it), the bus clock the AMBA bus enables is apb_pclk. */
static int add_wdog(void *fdt, const struct cfg_vm *vm)
{
    static const char compat[] = "arm,sp805\0arm,primecell";
    static const char clk_names[] = "wdog_clk\0apb_pclk";
    fdt32_t clks[2] = { cpu_to_fdt32(PHANDLE_WDOG_CLK), cpu_to_fdt32(PHANDLE_CLK) };

    if (vm->watchdog == CFG_WDOG_NONE) {
        return 0;
    }
    int r = add_fixed_clock(fdt, "wdog-clk",
                            vm->watchdog_hz ? vm->watchdog_hz : CFG_WDOG_HZ_DEFAULT, "wdogclk",
                            PHANDLE_WDOG_CLK);
    r = r ? r : begin_device(fdt, "watchdog", compat, sizeof(compat), VPLAT_WDOG_IPA,
                             VPLAT_WDOG_SIZE, VPLAT_WDOG_INTID);
    r = r ? r : fdt_property(fdt, "clocks", clks, sizeof(clks));
    r = r ? r : fdt_property(fdt, "clock-names", clk_names, sizeof(clk_names));
    return r ? r : fdt_end_node(fdt);
}

/* virtio-console: a virtio-mmio transport as QEMU's virt machine describes its own
 * (Documentation/devicetree/bindings/virtio/mmio.yaml). */
static int add_vcons(void *fdt, const struct cfg_vm *vm)
{
    static const char compat[] = "virtio,mmio";

    if (!vm->virtio_console) {
        return 0;
    }
    int r = begin_device(fdt, "virtio_mmio", compat, sizeof(compat), VPLAT_VCONS_IPA,
                         VPLAT_VCONS_SIZE, VPLAT_VCONS_INTID);
    r = r ? r : fdt_property(fdt, "dma-coherent", NULL, 0);
    return r ? r : fdt_end_node(fdt);
}

/* power-button: the PL061 (Documentation/devicetree/bindings/gpio/pl061-gpio.yaml) and a
 * gpio-keys key on its line 0 (input/gpio-keys.yaml), as QEMU's virt machine describes its
 * own power button: Linux reports KEY_POWER, user space powers off (core/vm/vm_power.c). */
static int add_power_button(void *fdt, const struct cfg_vm *vm)
{
    static const char compat[] = "arm,pl061\0arm,primecell";
    fdt32_t gpios[3] = { cpu_to_fdt32(PHANDLE_PWR_GPIO), cpu_to_fdt32(0),
                         cpu_to_fdt32(GPIO_ACTIVE_HIGH) };

    if (!vm->power_button) {
        return 0;
    }
    int r = begin_device(fdt, "gpio", compat, sizeof(compat), VPLAT_PWR_IPA, VPLAT_PWR_SIZE,
                         VPLAT_PWR_INTID);
    r = r ? r : pl061_props(fdt);
    r = r ? r : fdt_property_string(fdt, "gpio-line-names", "power-button");
    r = r ? r : fdt_property_u32(fdt, "phandle", PHANDLE_PWR_GPIO);
    r = r ? r : fdt_end_node(fdt);
    r = r ? r : fdt_begin_node(fdt, "gpio-keys");
    r = r ? r : fdt_property_string(fdt, "compatible", "gpio-keys");
    r = r ? r : fdt_begin_node(fdt, "poweroff");
    r = r ? r : fdt_property_string(fdt, "label", "GPIO Key Poweroff");
    r = r ? r : fdt_property_u32(fdt, "linux,code", KEY_POWER);
    r = r ? r : fdt_property(fdt, "gpios", gpios, sizeof(gpios));
    r = r ? r : fdt_end_node(fdt);
    return r ? r : fdt_end_node(fdt);
}

static int add_passthrough(void *fdt, const struct cfg_dev *d)
{
    char name[64];
    fdt32_t irq[CFG_MAX_DEV_IRQS * 3];

    /* ipa + reg_off and reg_size fit: the window's pages are inside the IPA space. */
    uint64_t ipa = d->ipa + d->reg_off;

    bh_snprintf(name, sizeof(name), "%s@%llx", d->name, (unsigned long long)ipa);
    for (uint32_t i = 0; i < d->irq_count; i++) {
        irq[i * 3] = cpu_to_fdt32(GIC_SPI);
        irq[i * 3 + 1] = cpu_to_fdt32(d->irqs[i] - 32);
        irq[i * 3 + 2] = cpu_to_fdt32(IRQ_LEVEL_HI);
    }
    int r = fdt_begin_node(fdt, name);
    r = r ? r : fdt_property(fdt, "compatible", d->compat, (int)d->compat_len);
    r = r ? r : prop_u64_pair(fdt, "reg", ipa, d->reg_size);
    if (d->irq_count) {
        r = r ? r : fdt_property(fdt, "interrupts", irq, (int)(d->irq_count * 3 * 4));
    }
    /* Accepted only for a bus master of an identity-mapped VM (config_check.c): QEMU's
     * virtio-mmio is cache-coherent, as its own tree says. */
    if (d->dma_unsafe_ack) {
        r = r ? r : fdt_property(fdt, "dma-coherent", NULL, 0);
    }
    return r ? r : fdt_end_node(fdt);
}

static const char *const chan_compat[] = {
    [CFG_CHAN_SHMEM] = "bulkhead,shmem",     [CFG_CHAN_DOORBELL] = "bulkhead,doorbell",
    [CFG_CHAN_SEM] = "bulkhead,semaphore", [CFG_CHAN_MUTEX] = "bulkhead,mutex",
    [CFG_CHAN_MSGQ] = "bulkhead,msgq",
};

/* Interrupts of one object as this VM sees them: edge-triggered SPIs. */
static int add_ipc_irqs(void *fdt, const struct ipc_obj_info *o)
{
    fdt32_t irq[9];
    char names[16];
    int n = 0, nlen = 0;
    uint32_t list[3][2] = { { o->intid, 0 }, { o->rx_intid, 1 }, { o->tx_intid, 2 } };
    static const char *const label[] = { "doorbell", "rx", "tx" };

    for (int i = 0; i < 3; i++) {
        if (!list[i][0]) {
            continue;
        }
        irq[n * 3] = cpu_to_fdt32(GIC_SPI);
        irq[n * 3 + 1] = cpu_to_fdt32(list[i][0] - 32);
        irq[n * 3 + 2] = cpu_to_fdt32(IRQ_EDGE_RISING);
        nlen += bh_snprintf(names + nlen, sizeof(names) - (size_t)nlen, "%s",
                            label[list[i][1]]) + 1;
        n++;
    }
    if (n == 0) {
        return 0;
    }
    int r = fdt_property(fdt, "interrupts", irq, n * 3 * 4);
    return r ? r : fdt_property(fdt, "interrupt-names", names, nlen);
}

static int add_ipc_object(void *fdt, const struct ipc_obj_info *o, bool gpio)
{
    int r = fdt_begin_node(fdt, o->name);

    r = r ? r : fdt_property_string(fdt, "compatible", chan_compat[o->type]);
    r = r ? r : fdt_property_u32(fdt, "bulkhead,id", o->id);
    r = r ? r : fdt_property_u32(fdt, "bulkhead,rights", o->rights);
    if (o->type == CFG_CHAN_SHMEM) {
        r = r ? r : prop_u64_pair(fdt, "reg", o->shm_ipa, o->shm_size);
    } else if (o->type == CFG_CHAN_MSGQ) {
        r = r ? r : fdt_property_u32(fdt, "bulkhead,depth", o->depth);
        r = r ? r : fdt_property_u32(fdt, "bulkhead,msg-size", o->msg_size);
    } else if (o->type == CFG_CHAN_SEM) {
        r = r ? r : fdt_property_u32(fdt, "bulkhead,max", o->sem_max);
    }
    if (o->type != CFG_CHAN_SHMEM) {
        /* register page (+ data page for queues): not `reg`, so no driver claims it */
        r = r ? r : prop_u64_pair(fdt, "bulkhead,regs", o->regs_ipa,
                                  o->type == CFG_CHAN_MSGQ ? VPLAT_IPC_STRIDE : VPLAT_IPC_PAGE);
    }
    if (!gpio) {
        r = r ? r : add_ipc_irqs(fdt, o); /* else: GPIO lines named <object>.<kind> */
    }
    return r ? r : fdt_end_node(fdt);
}

/* ipc-notify = "gpio": a PL061 per notification SPI, line 0 named <object>.<kind>. */
static int add_ipc_gpios(void *fdt, const struct guest_fdt_layout *lay)
{
    static const char compat[] = "arm,pl061\0arm,primecell";
    struct ipc_notif nt[2 * CFG_MAX_CHANS];
    unsigned count = ipc_vm_notifications(lay->sc, lay->vm_index, nt, 2 * CFG_MAX_CHANS);
    char line[CFG_CHAN_NAME_MAX + 16];
    int r = 0;

    for (unsigned i = 0; !r && i < count && i < VPLAT_GPIO_MAX; i++) {
        uint64_t base = VPLAT_GPIO_IPA + (uint64_t)i * VPLAT_IPC_PAGE;
        int n = bh_snprintf(line, sizeof(line), "%s.%s", nt[i].obj, nt[i].kind);
        r = begin_device(fdt, "gpio", compat, sizeof(compat), base, VPLAT_IPC_PAGE,
                         nt[i].intid);
        r = r ? r : pl061_props(fdt);
        r = r ? r : fdt_property(fdt, "gpio-line-names", line, n + 1);
        r = r ? r : fdt_end_node(fdt);
    }
    return r;
}

/* /bulkhead-ipc: the channel objects this VM may use (docs/ABI.md). */
static int add_ipc(void *fdt, const struct cfg_vm *vm, const struct guest_fdt_layout *lay)
{
    struct ipc_obj_info o;
    bool any = false;
    bool gpio = vm->ipc_notify == CFG_NOTIFY_GPIO;

    for (unsigned id = 0; lay->sc && id < lay->sc->chan_count; id++) {
        any = any || ipc_vm_object(lay->sc, lay->vm_index, id, &o);
    }
    if (!any) {
        return 0;
    }
    int r = gpio ? add_ipc_gpios(fdt, lay) : 0;

    r = r ? r : fdt_begin_node(fdt, "bulkhead-ipc");
    r = r ? r : fdt_property_string(fdt, "compatible", "bulkhead,ipc-v1");
    r = r ? r : fdt_property_u32(fdt, "#address-cells", 2);
    r = r ? r : fdt_property_u32(fdt, "#size-cells", 2);
    for (unsigned id = 0; !r && id < lay->sc->chan_count; id++) {
        if (ipc_vm_object(lay->sc, lay->vm_index, id, &o)) {
            r = add_ipc_object(fdt, &o, gpio);
        }
    }
    return r ? r : fdt_end_node(fdt);
}

/* /bulkhead-mgmt: a manager's management device (docs/MANAGEMENT.md), with one child per VM
 * it holds a right on (bulkhead,id = VM index, bulkhead,rights = BH_MGMT_RIGHT_*). */
static int add_mgmt(void *fdt, const struct cfg_vm *vm, const struct guest_fdt_layout *lay)
{
    if (!cfg_vm_is_manager(vm) || !lay->sc) {
        return 0;
    }
    int r = fdt_begin_node(fdt, "bulkhead-mgmt");

    r = r ? r : fdt_property_string(fdt, "compatible", "bulkhead,mgmt-v1");
    /* not `reg`, so no driver claims it */
    r = r ? r : prop_u64_pair(fdt, "bulkhead,regs", VPLAT_MGMT_IPA, BH_MGMT_PAGE);
    r = r ? r : prop_u64_pair(fdt, "bulkhead,data", VPLAT_MGMT_IPA + BH_MGMT_DATA_OFF,
                              BH_MGMT_DATA_SIZE);
    r = r ? r : fdt_property_u32(fdt, "bulkhead,self", lay->vm_index);
    for (uint32_t t = 0; !r && t < lay->sc->vm_count && t < CFG_MAX_VMS; t++) {
        const char *name = lay->sc->vms[t].name;
        if (!vm->manage[t] || !name[0]) {
            continue;
        }
        r = fdt_begin_node(fdt, name);
        r = r ? r : fdt_property_u32(fdt, "bulkhead,id", t);
        r = r ? r : fdt_property_u32(fdt, "bulkhead,rights", vm->manage[t]);
        r = r ? r : fdt_end_node(fdt);
    }
    return r ? r : fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct cfg_vm *vm, const struct guest_fdt_layout *lay,
                      const char *uart_path)
{
    int r = fdt_begin_node(fdt, "chosen");

    r = r ? r : fdt_property_string(fdt, "bootargs", vm->bootargs);
    r = r ? r : fdt_property_string(fdt, "stdout-path", uart_path);
    if (lay->initrd_size) {
        r = r ? r : fdt_property_u64(fdt, "linux,initrd-start", lay->initrd_ipa);
        r = r ? r : fdt_property_u64(fdt, "linux,initrd-end", lay->initrd_ipa + lay->initrd_size);
    }
    return r ? r : fdt_end_node(fdt);
}

/* bulkhead,net-segment: the VM's virtio-mmio network devices (docs/NETWORK.md), described as
 * QEMU's virt machine describes its own virtio-mmio transports. */
static int add_net(void *fdt, const struct guest_fdt_layout *lay)
{
    int r = 0;

    for (unsigned id = 0; !r && lay->sc && id < lay->sc->chan_count; id++) {
        const struct cfg_chan *ch = &lay->sc->chans[id];
        unsigned v = lay->vm_index;
        if (!ch->valid || ch->type != CFG_CHAN_NET || v >= CFG_MAX_VMS ||
            !(ch->net_members & (1u << v))) {
            continue;
        }
        uint64_t ipa = VPLAT_NET_IPA + ch->net[v].slot * VPLAT_NET_STRIDE;
        static const char compat[] = "virtio,mmio";
        r = begin_device(fdt, "virtio_mmio", compat, sizeof(compat), ipa, VPLAT_NET_STRIDE,
                         ch->net[v].intid);
        r = r ? r : fdt_property(fdt, "dma-coherent", NULL, 0);
        r = r ? r : fdt_end_node(fdt);
    }
    return r;
}

/* A VM allowed "tee": Linux's OP-TEE node (SMC conduit, trapped and mediated) and its static
 * shared window (core/dev/teemed.h) kept out of the kernel's memory. */
static int add_tee(void *fdt, const struct cfg_vm *vm)
{
    char name[40];
    uint64_t ipa, size;
    int r;

    if (!(vm->secure_services & CFG_SEC_TEE) ||
        !teemed_shm_window(vm->mem_ipa, vm->mem_size, &ipa, &size)) {
        return 0;
    }
    bh_snprintf(name, sizeof(name), "optee-shm@%llx", (unsigned long long)ipa);
    r = fdt_begin_node(fdt, "firmware");
    r = r ? r : fdt_begin_node(fdt, "optee");
    r = r ? r : fdt_property_string(fdt, "compatible", "linaro,optee-tz");
    r = r ? r : fdt_property_string(fdt, "method", "smc");
    r = r ? r : fdt_end_node(fdt);
    r = r ? r : fdt_end_node(fdt);
    r = r ? r : fdt_begin_node(fdt, "reserved-memory");
    r = r ? r : fdt_property_u32(fdt, "#address-cells", 2);
    r = r ? r : fdt_property_u32(fdt, "#size-cells", 2);
    r = r ? r : fdt_property(fdt, "ranges", NULL, 0);
    r = r ? r : fdt_begin_node(fdt, name);
    r = r ? r : prop_u64_pair(fdt, "reg", ipa, size);
    r = r ? r : fdt_property(fdt, "no-map", NULL, 0);
    r = r ? r : fdt_end_node(fdt);
    return r ? r : fdt_end_node(fdt);
}

int guest_fdt_build(const struct cfg_vm *vm, const struct guest_fdt_layout *lay, void *buf,
                    size_t size)
{
    char mem_name[32];
    char uart_path[32];
    int r = fdt_create(buf, (int)size);

    bh_snprintf(mem_name, sizeof(mem_name), "memory@%llx", (unsigned long long)vm->mem_ipa);
    bh_snprintf(uart_path, sizeof(uart_path), "/pl011@%llx", (unsigned long long)VPLAT_UART_IPA);
    r = r ? r : fdt_finish_reservemap(buf);
    r = r ? r : fdt_begin_node(buf, "");
    r = r ? r : fdt_property_string(buf, "compatible", "bulkhead,vm");
    r = r ? r : fdt_property_string(buf, "model", vm->name);
    r = r ? r : fdt_property_u32(buf, "#address-cells", 2);
    r = r ? r : fdt_property_u32(buf, "#size-cells", 2);
    r = r ? r : fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC);
    r = r ? r : add_chosen(buf, vm, lay, uart_path);
    r = r ? r : fdt_begin_node(buf, mem_name);
    r = r ? r : fdt_property_string(buf, "device_type", "memory");
    r = r ? r : prop_u64_pair(buf, "reg", vm->mem_ipa, vm->mem_size);
    r = r ? r : fdt_end_node(buf);
    r = r ? r : add_cpus(buf, vm);
    r = r ? r : (lay->gic_v2 ? add_gic_v2(buf) : add_gic(buf, vm));
    r = r ? r : add_timer_psci(buf);
    r = r ? r : add_pmu(buf);
    r = r ? r : add_uart(buf);
    r = r ? r : add_wdog(buf, vm);
    r = r ? r : add_power_button(buf, vm);
    r = r ? r : add_vcons(buf, vm);
    for (uint32_t i = 0; !r && i < vm->dev_count; i++) {
        r = add_passthrough(buf, &vm->devs[i]);
    }
    r = r ? r : add_ipc(buf, vm, lay);
    r = r ? r : add_mgmt(buf, vm, lay);
    r = r ? r : add_net(buf, lay);
    r = r ? r : add_tee(buf, vm);
    r = r ? r : fdt_end_node(buf);
    r = r ? r : fdt_finish(buf);
    return r ? -BH_ENOMEM : (int)fdt_totalsize(buf);
}
