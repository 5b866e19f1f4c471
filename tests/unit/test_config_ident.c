// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_ident.c and the DMA rule of config_check.c: identity-map
 * (memory-base required, inside the platform's RAM, clear of the hypervisor's reserve and of
 * the other identity maps) and a DMA-capable pass-through device (QEMU virt's last virtio-mmio
 * transport) accepted only for an identity-mapped VM with dma-unsafe-ack, at its own address,
 * clear of Bulkhead's virtual devices. Every error kind is a table row: the one line it gives
 * (no cascades) and which VMs are refused.
 *
 * Base: a is identity-mapped at 0x50000000 (the first byte above the hypervisor's 256 MiB)
 * with the virtio-mmio page 0x0a003000 passed through; b is an ordinary VM.
 */
#include "cfg_fixture.h"

#define FDT_BUF   16384
#define FILE_NAME "cfg.dts"
#define VM_A      "/vms/vm-a"
#define VM_B      "/vms/vm-b"
#define NET       VM_A "/passthrough/net"
#define CH        "/channels"

static void add_vm(void *fdt, const char *p, const char *name, uint32_t cpu)
{
    fix_vm_props(fdt, fix_path(fdt, p), name, cpu);
}

static void build_base(void *fdt)
{
    static const uint32_t base[] = { 0, 0x50000000 };
    static const uint32_t reg[] = { 0, 0x0a003e00, 0, 0x200 };
    static const uint32_t one = 1, irq = 79;

    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    add_node(fdt, vms, "vm-b");
    add_node(fdt, fix_path(fdt, "/vms"), "vm-a");
    add_vm(fdt, VM_A, "a", 0);
    add_vm(fdt, VM_B, "b", 1);
    int a = fix_path(fdt, VM_A);
    setprop_cells(fdt, a, "memory-base", base, 2);
    setprop_cells(fdt, a, "identity-map", &one, 1);
    int net = add_node(fdt, add_node(fdt, a, "passthrough"), "net");
    assert_int_equal(fdt_setprop_string(fdt, net, "compatible", "virtio,mmio"), 0);
    setprop_cells(fdt, net, "reg", reg, 4);
    setprop_cells(fdt, net, "interrupts", &irq, 1);
    assert_int_equal(fdt_setprop(fdt, net, "dma-unsafe-ack", "", 0), 0);
}

/* The reference platform with its 32 virtio-mmio transports listed as bus masters. */
static struct platinfo plat_virtio(void)
{
    struct platinfo plat = test_plat();

    plat.dma[plat.dma_count++] = (struct platinfo_dma){ { 0x0a000000, 0x4000 }, "virtio-mmio" };
    return plat;
}

static void run(const struct op *ops, struct result *r)
{
    static uint8_t fdt[FDT_BUF];
    struct platinfo plat = plat_virtio();

    build_base(fdt);
    for (const struct op *o = ops; o && o->kind != OP_END; o++) {
        fix_apply(fdt, o);
    }
    fix_run(fdt, FILE_NAME, &plat, NULL, r);
    assert_int_equal(r->ret, 0);
}

static void test_good(void **state)
{
    static struct result r;
    (void)state;

    run(NULL, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_true(r.sc.vms[0].valid && r.sc.vms[1].valid);
    assert_true(r.sc.vms[0].identity_map);
    assert_false(r.sc.vms[1].identity_map);
    assert_int_equal(r.sc.vms[0].mem_ipa, 0x50000000);
    /* the transport's page is mapped, ipa = pa; the guest's node has the transport itself */
    assert_int_equal(r.sc.vms[0].devs[0].ipa, 0x0a003000);
    assert_int_equal(r.sc.vms[0].devs[0].pa, 0x0a003000);
    assert_int_equal(r.sc.vms[0].devs[0].size, 0x1000);
    assert_int_equal(r.sc.vms[0].devs[0].reg_off, 0xe00);
    assert_int_equal(r.sc.vms[0].devs[0].reg_size, 0x200);
}

/* Two identity-mapped VMs side by side, the top of RAM included; ipa = pa written out. */
static void test_good_two(void **state)
{
    static const struct op ops[] = { CELLS(VM_B, "identity-map", 1),
                                     CELLS(VM_B, "memory-base", 0, 0xbe000000),
                                     CELLS(NET, "ipa", 0, 0x0a003000), END };
    static struct result r;
    (void)state;

    run(ops, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_true(r.sc.vms[0].valid && r.sc.vms[1].valid && r.sc.vms[1].identity_map);
}

struct icase {
    const char *name;
    struct op ops[14];
    const char *line;
    unsigned invalid; /* bit i: VM i (a, b) refused */
};

static const struct icase cases[] = {
    { "identity-map without memory-base", { DEL(VM_A, "memory-base"), END },
      "cfg.dts: /vms/vm-a: identity-map: needs memory-base (the host-physical address of the "
      "VM's RAM)", 1 },
    { "identity-map not 0/1", { CELLS(VM_A, "identity-map", 2), END },
      "cfg.dts: /vms/vm-a: identity-map: must be <0> or <1>, not <2>", 1 },
    { "identity-map cells", { CELLS(VM_A, "identity-map", 0, 1), END },
      "cfg.dts: /vms/vm-a: identity-map: must be one cell, not 8 bytes", 1 },
    { "identity map not 2 MiB aligned", { CELLS(VM_A, "memory-base", 0, 0x50100000), END },
      "cfg.dts: /vms/vm-a: memory-base: 0x50100000 is not 2 MiB aligned", 1 },
    { "identity map past the end of RAM", { CELLS(VM_A, "memory-base", 0, 0xbf000000), END },
      "cfg.dts: /vms/vm-a: memory-base: identity map 0xbf000000+0x2000000 is outside the "
      "platform's RAM 0x40000000+0x80000000", 1 },
    { "identity map below RAM", { CELLS(VM_A, "memory-base", 0, 0x20000000), END },
      "cfg.dts: /vms/vm-a: memory-base: identity map 0x20000000+0x2000000 is outside the "
      "platform's RAM 0x40000000+0x80000000", 1 },
    { "identity map on the hypervisor", { CELLS(VM_A, "memory-base", 0, 0x4f000000), END },
      "cfg.dts: /vms/vm-a: memory-base: identity map 0x4f000000+0x2000000 overlaps the "
      "hypervisor's own RAM 0x40000000+0x10000000 (its image, data, the host device tree, the "
      "boot bundle)", 1 },
    { "two identity maps overlap",
      { CELLS(VM_B, "identity-map", 1), CELLS(VM_B, "memory-base", 0, 0x51000000), END },
      "cfg.dts: /vms/vm-b: memory-base: identity map 0x51000000+0x2000000 overlaps the "
      "identity map of VM 'a' at 0x50000000+0x2000000", 2 },
    { "DMA device, no identity map", { CELLS(VM_A, "identity-map", 0), END },
      "cfg.dts: /vms/vm-a/passthrough/net: dma-unsafe-ack: DMA-capable device (virtio-mmio) "
      "needs an identity-mapped VM (identity-map = <1>): it is given guest-physical addresses",
      1 },
    { "DMA device, no ack", { DEL(NET, "dma-unsafe-ack"), END },
      "cfg.dts: /vms/vm-a/passthrough/net: reg: 0xa003000+0x1000 is DMA-capable (virtio-mmio "
      "at 0xa000000): without an IOMMU it could write any memory", 1 },
    { "DMA device moved", { CELLS(NET, "ipa", 0, 0x0c000000), END },
      "cfg.dts: /vms/vm-a/passthrough/net: ipa: 0xc000000: a DMA-capable device of an "
      "identity-mapped VM keeps its physical address 0xa003000", 1 },
    { "DMA device on the notification GPIOs",
      { CELLS(NET, "reg", 0, 0x0a080000, 0, 0x200), STR(VM_A, "ipc-notify", "gpio"), END },
      "cfg.dts: /vms/vm-a/passthrough/net: reg: guest window 0xa080000+0x1000 overlaps the "
      "virtual notification GPIOs at 0xa080000", 1 },
    /* IPC object 1's pages are 0x0a002000-0x0a003fff: the channel is refused, not the VM */
    { "DMA device on an IPC page",
      { NODE("/", "channels"), NODE(CH, "db"), NODE(CH, "db0"), /* db0 is first (ID 0) */
        STR(CH "/db0", "compatible", "bulkhead,doorbell"), STR(CH "/db0", "from", "b"),
        STR(CH "/db0", "to", "a"), CELLS(CH "/db0", "intid", 51),
        STR(CH "/db", "compatible", "bulkhead,doorbell"), STR(CH "/db", "from", "b"),
        STR(CH "/db", "to", "a"), CELLS(CH "/db", "intid", 50), END },
      "cfg.dts: /channels/db: (node): IPC page 0xa002000 overlaps passthrough device 'net' of "
      "VM 'a'", 0 },
};

static void test_error_case(void **state)
{
    const struct icase *c = *state;
    static struct result r;

    run(c->ops, &r);
    if (c->line == NULL) {
        return;
    }
    assert_one_error(&r.cap, c->name, c->line);
    for (unsigned i = 0; i < 2; i++) {
        assert_int_equal(!r.sc.vms[i].valid, (c->invalid >> i) & 1);
    }
}

int main(void)
{
    struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 2];
    size_t n = 0;

    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_two);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tests[n++] = (struct CMUnitTest){ cases[i].name, test_error_case, NULL, NULL,
                                          (void *)&cases[i] };
    }
    return _cmocka_run_group_tests("config_ident", tests, n, NULL, NULL);
}
