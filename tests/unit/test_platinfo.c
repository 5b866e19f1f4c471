// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/platinfo.c. Trees are written with libfdt's sequential-write API from a
 * small set of knobs; bhcfg's built-in reference machine is checked against QEMU's own dump
 * (build/virt.dtb, made by tools/bhcfg/tool.mk) when QEMU could produce it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/platinfo.h>
#include <tools/bhcfg/virtplat.h>

#define FDT_BUF       8192
#define QEMU_DTB      "build/virt.dtb"
#define RAM_BASE      UINT64_C(0x40000000)
#define RAM_SIZE      UINT64_C(0x80000000)
#define UART0         "/pl011@9000000"
#define UART1         "/pl011@9040000"

struct knobs {
    int cpus;                 /* 0: no /cpus node */
    int cpu_address_cells;    /* 1 (default) or 2 */
    bool cpu_map;             /* a cpu-map child without device_type */
    int root_size_cells;      /* 2 (default) or 1 */
    bool no_memory;
    bool no_gic;
    bool gic_one_reg;
    bool no_timer;
    bool timer_three_irqs;
    const char *psci_method;  /* NULL: no /psci */
    const char *stdout_path;  /* NULL: no stdout-path */
    bool no_uart;
    bool uart0_no_irq;
    int initrd_cells;         /* 0: none, else 1 or 2 */
    bool initrd_start_only;
    bool initrd_reversed;
};

static void ok(int err)
{
    assert_int_equal(err, 0);
}

static void prop_cells(void *fdt, const char *name, const uint32_t *v, int n)
{
    fdt32_t be[16];
    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(v[i]);
    }
    ok(fdt_property(fdt, name, be, n * 4));
}

/* reg = <base size> with the root's #address-cells = 2 and #size-cells = sc. */
static void prop_reg(void *fdt, const struct knobs *k, const uint64_t *v, int pairs)
{
    uint32_t cells[16];
    int n = 0;
    for (int i = 0; i < pairs; i++) {
        cells[n++] = (uint32_t)(v[2 * i] >> 32);
        cells[n++] = (uint32_t)v[2 * i];
        if (k->root_size_cells == 2) {
            cells[n++] = (uint32_t)(v[2 * i + 1] >> 32);
        }
        cells[n++] = (uint32_t)v[2 * i + 1];
    }
    prop_cells(fdt, "reg", cells, n);
}

static void build_cpus(void *fdt, const struct knobs *k)
{
    ok(fdt_begin_node(fdt, "cpus"));
    ok(fdt_property_u32(fdt, "#address-cells", (uint32_t)k->cpu_address_cells));
    ok(fdt_property_u32(fdt, "#size-cells", 0));
    if (k->cpu_map) {
        ok(fdt_begin_node(fdt, "cpu-map"));
        ok(fdt_end_node(fdt));
    }
    for (int i = 0; i < k->cpus; i++) {
        char name[16];
        /* Aff1 = cluster (i / 4), Aff0 = core; Aff3 = 1 when 2 address cells are used. */
        uint32_t mpidr[2] = { 1, (uint32_t)(((i / 4) << 8) | (i % 4)) };
        snprintf(name, sizeof(name), "cpu@%d", i);
        ok(fdt_begin_node(fdt, name));
        ok(fdt_property_string(fdt, "device_type", "cpu"));
        prop_cells(fdt, "reg", k->cpu_address_cells == 2 ? mpidr : &mpidr[1],
                   k->cpu_address_cells);
        ok(fdt_end_node(fdt));
    }
    ok(fdt_end_node(fdt));
}

static void build_uarts(void *fdt, const struct knobs *k)
{
    static const uint64_t reg0[] = { 0x09000000, 0x1000 }, reg1[] = { 0x09040000, 0x1000 };
    static const uint32_t irq0[] = { 0, 1, 4 }, irq1[] = { 0, 8, 4 };

    ok(fdt_begin_node(fdt, "virtio@a000000")); /* not a PL011: never the console */
    ok(fdt_property_string(fdt, "compatible", "virtio,mmio"));
    ok(fdt_end_node(fdt));
    if (k->no_uart) {
        return;
    }
    ok(fdt_begin_node(fdt, "pl011@9000000"));
    ok(fdt_property(fdt, "compatible", "arm,pl011\0arm,primecell", 24));
    prop_reg(fdt, k, reg0, 1);
    if (!k->uart0_no_irq) {
        prop_cells(fdt, "interrupts", irq0, 3);
    }
    ok(fdt_end_node(fdt));
    ok(fdt_begin_node(fdt, "pl011@9040000"));
    ok(fdt_property_string(fdt, "compatible", "arm,pl011"));
    prop_reg(fdt, k, reg1, 1);
    prop_cells(fdt, "interrupts", irq1, 3);
    ok(fdt_end_node(fdt));
}

static void build_chosen(void *fdt, const struct knobs *k)
{
    uint32_t start[2] = { 0, 0x48000000 }, end[2] = { 0, 0x48100000 };

    if (k->initrd_reversed) {
        start[1] = 0x48100000;
        end[1] = 0x48000000;
    }
    ok(fdt_begin_node(fdt, "aliases"));
    ok(fdt_property_string(fdt, "serial1", UART1));
    ok(fdt_end_node(fdt));
    ok(fdt_begin_node(fdt, "chosen"));
    if (k->stdout_path != NULL) {
        ok(fdt_property_string(fdt, "stdout-path", k->stdout_path));
    }
    if (k->initrd_cells > 0) {
        int skip = 2 - k->initrd_cells;
        prop_cells(fdt, "linux,initrd-start", &start[skip], k->initrd_cells);
        if (!k->initrd_start_only) {
            prop_cells(fdt, "linux,initrd-end", &end[skip], k->initrd_cells);
        }
    }
    ok(fdt_end_node(fdt));
}

static void build_irq_parts(void *fdt, const struct knobs *k)
{
    static const uint64_t gic_reg[] = { 0x08000000, 0x10000, 0x080a0000, 0xf60000 };
    static const uint32_t timer[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };

    if (!k->no_gic) {
        ok(fdt_begin_node(fdt, "intc@8000000"));
        ok(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
        prop_reg(fdt, k, gic_reg, k->gic_one_reg ? 1 : 2);
        ok(fdt_end_node(fdt));
    }
    if (!k->no_timer) {
        ok(fdt_begin_node(fdt, "timer"));
        ok(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
        prop_cells(fdt, "interrupts", timer, k->timer_three_irqs ? 9 : 12);
        ok(fdt_end_node(fdt));
    }
    if (k->psci_method != NULL) {
        ok(fdt_begin_node(fdt, "psci"));
        ok(fdt_property_string(fdt, "compatible", "arm,psci-1.0"));
        ok(fdt_property_string(fdt, "method", k->psci_method));
        ok(fdt_end_node(fdt));
    }
}

static void build(void *fdt, const struct knobs *in)
{
    static const uint64_t ram[] = { RAM_BASE, RAM_SIZE };
    struct knobs k = *in;

    k.cpu_address_cells = k.cpu_address_cells ? k.cpu_address_cells : 1;
    k.root_size_cells = k.root_size_cells ? k.root_size_cells : 2;
    ok(fdt_create(fdt, FDT_BUF));
    ok(fdt_finish_reservemap(fdt));
    ok(fdt_begin_node(fdt, ""));
    ok(fdt_property_u32(fdt, "#address-cells", 2));
    ok(fdt_property_u32(fdt, "#size-cells", (uint32_t)k.root_size_cells));
    build_chosen(fdt, &k);
    if (!k.no_memory) {
        ok(fdt_begin_node(fdt, "memory@40000000"));
        ok(fdt_property_string(fdt, "device_type", "memory"));
        prop_reg(fdt, &k, ram, 1);
        ok(fdt_end_node(fdt));
    }
    if (k.cpus > 0) {
        build_cpus(fdt, &k);
    }
    build_irq_parts(fdt, &k);
    build_uarts(fdt, &k);
    ok(fdt_end_node(fdt));
    ok(fdt_finish(fdt));
}

/* A complete machine; tests change the knobs that matter to them. */
static struct knobs base(void)
{
    return (struct knobs){ .cpus = 4, .psci_method = "hvc", .stdout_path = UART0 };
}

static int parse(const struct knobs *k, struct platinfo *p)
{
    static char fdt[FDT_BUF];
    build(fdt, k);
    return platinfo_parse(fdt, p);
}

/* parse() of base() with one statement of changes applied to `k`. */
#define PARSE_WITH(p, change)          \
    ({                                 \
        struct knobs k = base();       \
        change;                        \
        parse(&k, (p));                \
    })

/* ------------------------------------------------------------------ tests */

static void test_builtin_virt(void **state)
{
    static char fdt[VIRTPLAT_FDT_SIZE];
    struct platinfo p;

    (void)state;
    ok(virtplat_build(fdt, sizeof(fdt)));
    ok(platinfo_parse(fdt, &p));
    assert_int_equal(p.cpu_count, 4);
    assert_int_equal(p.cpus_ignored, 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(p.mpidr[i], i);
    }
    assert_int_equal(p.ram.pa, RAM_BASE);
    assert_int_equal(p.ram.size, RAM_SIZE);
    assert_int_equal(p.vm_ram_avail, RAM_SIZE - PLATINFO_HYP_RESERVE);
    assert_int_equal(p.vm_ram.pa, p.ram.pa + PLATINFO_HYP_RESERVE);
    assert_int_equal(p.vm_ram.size, p.vm_ram_avail);
    assert_int_equal(p.gicd.pa, 0x08000000);
    assert_int_equal(p.gicd.size, 0x10000);
    assert_int_equal(p.gicr.pa, 0x080a0000);
    assert_int_equal(p.gicr.size, 0xf60000);
    assert_true(p.has_uart);
    assert_int_equal(p.uart.pa, 0x09000000);
    assert_int_equal(p.uart.size, 0x1000);
    assert_int_equal(p.uart_intid, 33);
    assert_int_equal(p.timer_intid[PLATINFO_TIMER_SEC_PHYS], 29);
    assert_int_equal(p.timer_intid[PLATINFO_TIMER_NS_PHYS], 30);
    assert_int_equal(p.timer_intid[PLATINFO_TIMER_VIRT], 27);
    assert_int_equal(p.timer_intid[PLATINFO_TIMER_HYP], 26);
    assert_int_equal(p.psci, PLATINFO_PSCI_SMC);
    assert_false(p.has_initrd);
}

static void *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc((size_t)*len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
    return buf;
}

/* bhcfg's built-in tree must say what QEMU's own tree says (all fields platinfo reads). */
static void test_qemu_dump_matches_builtin(void **state)
{
    static char builtin[VIRTPLAT_FDT_SIZE];
    struct platinfo want, got;
    long len;

    (void)state;
    void *dtb = read_file(QEMU_DTB, &len);
    if (dtb == NULL) {
        print_message("  %s missing (QEMU not installed?): comparison skipped\n", QEMU_DTB);
        skip();
    }
    assert_true(len >= (long)sizeof(struct fdt_header) && fdt_totalsize(dtb) <= (size_t)len);
    ok(virtplat_build(builtin, sizeof(builtin)));
    ok(platinfo_parse(builtin, &want));
    int ret = platinfo_parse(dtb, &got);
    free(dtb);
    ok(ret);
    assert_int_equal(got.cpu_count, want.cpu_count);
    assert_memory_equal(got.mpidr, want.mpidr, sizeof(want.mpidr));
    assert_memory_equal(&got.ram, &want.ram, sizeof(want.ram));
    assert_memory_equal(&got.gicd, &want.gicd, sizeof(want.gicd));
    assert_memory_equal(&got.gicr, &want.gicr, sizeof(want.gicr));
    assert_int_equal(got.has_uart, want.has_uart);
    assert_memory_equal(&got.uart, &want.uart, sizeof(want.uart));
    assert_int_equal(got.uart_intid, want.uart_intid);
    assert_memory_equal(got.timer_intid, want.timer_intid, sizeof(want.timer_intid));
    assert_int_equal(got.psci, want.psci);
    assert_int_equal(got.has_initrd, want.has_initrd);
    assert_int_equal(got.has_its, want.has_its);
    assert_memory_equal(&got.its, &want.its, sizeof(want.its));
    assert_int_equal(got.dma_count, want.dma_count);
    assert_int_equal(got.dma_overflow, want.dma_overflow);
    for (uint32_t i = 0; i < want.dma_count; i++) {
        assert_memory_equal(&got.dma[i].win, &want.dma[i].win, sizeof(want.dma[i].win));
        assert_string_equal(got.dma[i].why, want.dma[i].why);
    }
}

/*
 * The bus masters of the reference machine (bhcfg's copy; test above: the same as QEMU's):
 * fw_cfg with its DMA interface, the 32 virtio-mmio slots merged into one window, the PCIe
 * ECAM and its three ranges; the ITS is the hypervisor's, not a DMA window.
 */
static void test_dma_windows(void **state)
{
    static char builtin[VIRTPLAT_FDT_SIZE];
    static const struct {
        uint64_t pa, size;
        const char *why;
    } want[] = {
        { 0x09020000, 0x18, "fw_cfg DMA interface" },
        { 0x0a000000, 0x4000, "virtio-mmio" },
        { UINT64_C(0x4010000000), 0x10000000, "PCIe host bridge" },
        { 0x3eff0000, 0x10000, "PCIe host bridge" },
        { 0x10000000, 0x2eff0000, "PCIe host bridge" },
        { UINT64_C(0x8000000000), UINT64_C(0x8000000000), "PCIe host bridge" },
    };
    struct platinfo p;

    (void)state;
    ok(virtplat_build(builtin, sizeof(builtin)));
    ok(platinfo_parse(builtin, &p));
    assert_true(p.has_its);
    assert_int_equal(p.its.pa, 0x08080000);
    assert_int_equal(p.its.size, 0x20000);
    assert_false(p.dma_overflow);
    assert_int_equal(p.dma_count, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(p.dma[i].win.pa, want[i].pa);
        assert_int_equal(p.dma[i].win.size, want[i].size);
        assert_string_equal(p.dma[i].why, want[i].why);
    }
    assert_null(platinfo_dma_compatible("arm,pl031\0arm,primecell", 25));
    assert_string_equal(platinfo_dma_compatible("x,y\0virtio,mmio", 16), "virtio-mmio");
}

static void test_cpus(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (k.cpus = 10, k.cpu_map = true)));
    assert_int_equal(p.cpu_count, PLATINFO_MAX_CPUS);
    assert_int_equal(p.cpus_ignored, 2);
    assert_int_equal(p.mpidr[5], 0x101); /* cluster 1, core 1 */

    ok(PARSE_WITH(&p, (k.cpu_address_cells = 2)));
    assert_int_equal(p.cpu_count, 4);
    assert_int_equal(p.mpidr[2], UINT64_C(0x100000002)); /* Aff3 = 1 */

    assert_int_equal(PARSE_WITH(&p, (k.cpus = 0)), -BH_ENOENT);
}

static void test_memory_cells(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (k.root_size_cells = 1)));
    assert_int_equal(p.ram.pa, RAM_BASE);
    assert_int_equal(p.ram.size, RAM_SIZE);
    assert_int_equal(p.uart.size, 0x1000);
    assert_int_equal(PARSE_WITH(&p, (k.no_memory = true)), -BH_ENOENT);
}

static void test_required_nodes(void **state)
{
    struct platinfo p;

    (void)state;
    assert_int_equal(PARSE_WITH(&p, (k.no_gic = true)), -BH_ENOENT);
    assert_int_equal(PARSE_WITH(&p, (k.gic_one_reg = true)), -BH_EINVAL);
    assert_int_equal(PARSE_WITH(&p, (k.no_timer = true)), -BH_ENOENT);
    assert_int_equal(PARSE_WITH(&p, (k.timer_three_irqs = true)), -BH_EINVAL);
    static const char junk[64] = "not a device tree, not at all";
    assert_int_equal(platinfo_parse(junk, &p), -BH_EINVAL);
}

static void test_console(void **state)
{
    struct platinfo p;

    (void)state;
    /* stdout-path options after ':' are ignored; the second PL011 is chosen. */
    ok(PARSE_WITH(&p, (k.stdout_path = UART1 ":115200n8")));
    assert_int_equal(p.uart.pa, 0x09040000);
    assert_int_equal(p.uart_intid, 40);
    /* an alias works too */
    ok(PARSE_WITH(&p, (k.stdout_path = "serial1:115200")));
    assert_int_equal(p.uart.pa, 0x09040000);
    /* not a PL011, or no stdout-path: the first PL011 */
    ok(PARSE_WITH(&p, (k.stdout_path = "/virtio@a000000")));
    assert_int_equal(p.uart.pa, 0x09000000);
    ok(PARSE_WITH(&p, (k.stdout_path = NULL)));
    assert_int_equal(p.uart.pa, 0x09000000);
    assert_int_equal(p.uart_intid, 33);
    /* no interrupts property, no UART at all */
    ok(PARSE_WITH(&p, (k.uart0_no_irq = true)));
    assert_true(p.has_uart);
    assert_int_equal(p.uart_intid, PLATINFO_NO_INTID);
    ok(PARSE_WITH(&p, (k.no_uart = true)));
    assert_false(p.has_uart);
    assert_int_equal(p.uart_intid, PLATINFO_NO_INTID);
}

static void test_psci(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (k.psci_method = "hvc")));
    assert_int_equal(p.psci, PLATINFO_PSCI_HVC);
    ok(PARSE_WITH(&p, (k.psci_method = "smc")));
    assert_int_equal(p.psci, PLATINFO_PSCI_SMC);
    ok(PARSE_WITH(&p, (k.psci_method = NULL)));
    assert_int_equal(p.psci, PLATINFO_PSCI_NONE);
    assert_int_equal(PARSE_WITH(&p, (k.psci_method = "svc")), -BH_EINVAL);
}

static void test_initrd(void **state)
{
    struct platinfo p;

    (void)state;
    for (int cells = 1; cells <= 2; cells++) {
        ok(PARSE_WITH(&p, (k.initrd_cells = cells)));
        assert_true(p.has_initrd);
        assert_int_equal(p.initrd_start, 0x48000000);
        assert_int_equal(p.initrd_end, 0x48100000);
    }
    ok(PARSE_WITH(&p, (void)0));
    assert_false(p.has_initrd);
    assert_int_equal(PARSE_WITH(&p, (k.initrd_cells = 2, k.initrd_start_only = true)),
                     -BH_EINVAL);
    assert_int_equal(PARSE_WITH(&p, (k.initrd_cells = 1, k.initrd_reversed = true)),
                     -BH_EINVAL);
}

static void test_irq_to_intid(void **state)
{
    static const struct {
        uint32_t type, num;
        int ret;
        uint32_t intid;
    } cases[] = {
        { PLATINFO_IRQ_TYPE_SPI, 0, 0, 32 },    { PLATINFO_IRQ_TYPE_SPI, 987, 0, 1019 },
        { PLATINFO_IRQ_TYPE_SPI, 988, -BH_EINVAL, 0 }, { PLATINFO_IRQ_TYPE_PPI, 14, 0, 30 },
        { PLATINFO_IRQ_TYPE_PPI, 16, -BH_EINVAL, 0 }, { 2, 0, -BH_EINVAL, 0 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fdt32_t spec[3] = { cpu_to_fdt32(cases[i].type), cpu_to_fdt32(cases[i].num),
                            cpu_to_fdt32(4) };
        uint32_t intid = 0;
        assert_int_equal(platinfo_irq_to_intid(spec, &intid), cases[i].ret);
        assert_int_equal(intid, cases[i].intid);
    }
}

/* VM RAM is the platform's RAM above the hypervisor's fixed reserve, for bhcfg and the boot
 * alike (one definition): 2 GiB leave 1792 MiB, and it starts 256 MiB into RAM. */
static void test_vm_ram(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (void)0));
    assert_int_equal(p.vm_ram.pa, UINT64_C(0x50000000));
    assert_int_equal(p.vm_ram.size, UINT64_C(0x70000000));
    assert_int_equal(p.vm_ram_avail, UINT64_C(0x70000000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_virt),  cmocka_unit_test(test_qemu_dump_matches_builtin),
        cmocka_unit_test(test_cpus),          cmocka_unit_test(test_memory_cells),
        cmocka_unit_test(test_required_nodes), cmocka_unit_test(test_console),
        cmocka_unit_test(test_psci),          cmocka_unit_test(test_initrd),
        cmocka_unit_test(test_irq_to_intid),  cmocka_unit_test(test_vm_ram),
        cmocka_unit_test(test_dma_windows),
    };
    return cmocka_run_group_tests_name("platinfo", tests, NULL, NULL);
}
