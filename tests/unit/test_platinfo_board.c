// SPDX-License-Identifier: MIT
/*
 * Unit tests for what core/platinfo.c discovers beyond QEMU virt (issue 15, docs/PORTING.md):
 * several RAM banks, RAM at 0, the console by stdout-path (path or alias, under a bus) among
 * PL011 and Cadence UARTs, the failure line (platinfo.error) and the console being known even
 * when a later part of the tree is refused. Trees are written with libfdt's sequential-write
 * API; the ZCU102's own tree from Debian's kernel package is checked when it was unpacked
 * (scripts/deps.sh --linux), skipped otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/platinfo.h>

#define FDT_BUF 8192
#define ZCU102_DTB ".cache/arm64/linux-image/usr/lib/linux-image-*/xilinx/zynqmp-zcu102-rev1.0.dtb"

/* What a board tree has: the tests change one thing at a time. */
struct board {
    int banks_in_node0;       /* reg entries of memory@0 (1..6) */
    bool second_memory_node;  /* a memory@800000000 node of its own */
    bool empty_bank;          /* memory@0's first bank has size 0 */
    const char *gic_compat;   /* NULL: no interrupt controller at all */
    int gic_regs;             /* reg entries of the GIC node (0: all four) */
    bool gic_4k;              /* 4 KiB-page GICv2 frames (QEMU virt's), not 64 KiB-aligned */
    const char *uart0_compat; /* /axi/serial@ff000000 */
    const char *uart1_compat; /* /axi/serial@ff010000 */
    const char *stdout_path;  /* NULL: none */
    bool uart0_bad_reg;
};

static void ok(int err)
{
    assert_int_equal(err, 0);
}

static void cells(void *fdt, const char *name, const uint32_t *v, int n)
{
    fdt32_t be[32];
    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(v[i]);
    }
    ok(fdt_property(fdt, name, be, n * 4));
}

/* reg with #address-cells = #size-cells = 2: base/size pairs */
static void reg64(void *fdt, const uint64_t *v, int pairs)
{
    uint32_t c[32];
    for (int i = 0; i < 2 * pairs; i++) {
        c[2 * i] = (uint32_t)(v[i] >> 32);
        c[2 * i + 1] = (uint32_t)v[i];
    }
    cells(fdt, "reg", c, 4 * pairs);
}

static void node_memory(void *fdt, const struct board *b)
{
    static const uint64_t banks[] = { 0, 0x80000000, UINT64_C(0x800000000), 0x80000000,
                                      UINT64_C(0x1000000000), 0x1000000,
                                      UINT64_C(0x1100000000), 0x1000000,
                                      UINT64_C(0x1200000000), 0x1000000,
                                      UINT64_C(0x1300000000), 0x1000000 };
    uint64_t v[12];

    memcpy(v, banks, sizeof(v));
    if (b->empty_bank) {
        v[1] = 0;
    }
    ok(fdt_begin_node(fdt, "memory@0"));
    ok(fdt_property_string(fdt, "device_type", "memory"));
    reg64(fdt, v, b->banks_in_node0);
    ok(fdt_end_node(fdt));
    if (b->second_memory_node) {
        ok(fdt_begin_node(fdt, "memory@800000000"));
        ok(fdt_property_string(fdt, "device_type", "memory"));
        reg64(fdt, &banks[2], 1);
        ok(fdt_end_node(fdt));
    }
}

static void node_cpus_timer_psci(void *fdt)
{
    static const uint32_t timer[] = { 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08, 1, 10, 0xf08 };

    ok(fdt_begin_node(fdt, "cpus"));
    ok(fdt_property_u32(fdt, "#address-cells", 1));
    ok(fdt_property_u32(fdt, "#size-cells", 0));
    for (uint32_t i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof(name), "cpu@%u", i);
        ok(fdt_begin_node(fdt, name));
        ok(fdt_property_string(fdt, "device_type", "cpu"));
        cells(fdt, "reg", &i, 1);
        ok(fdt_end_node(fdt));
    }
    ok(fdt_end_node(fdt));
    ok(fdt_begin_node(fdt, "psci"));
    ok(fdt_property_string(fdt, "compatible", "arm,psci-0.2"));
    ok(fdt_property_string(fdt, "method", "smc"));
    ok(fdt_end_node(fdt));
    ok(fdt_begin_node(fdt, "timer"));
    ok(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
    cells(fdt, "interrupts", timer, 12);
    ok(fdt_end_node(fdt));
}

static void node_uart(void *fdt, const char *name, const char *compat, uint64_t pa,
                      uint32_t spi, bool bad_reg)
{
    const uint64_t reg[] = { pa, 0x1000 };
    const uint32_t irq[] = { 0, spi, 4 };

    if (compat == NULL) {
        return;
    }
    ok(fdt_begin_node(fdt, name));
    ok(fdt_property_string(fdt, "compatible", compat));
    if (bad_reg) {
        cells(fdt, "reg", irq, 3); /* 3 cells: not one <2 2> entry */
    } else {
        reg64(fdt, reg, 1);
    }
    cells(fdt, "interrupts", irq, 3);
    ok(fdt_end_node(fdt));
}

/* The ZCU102's shape: GIC and UARTs under /axi (2/2 cells, empty ranges), aliases. */
static void node_axi(void *fdt, const struct board *b)
{
    /* GICD, GICC, GICH, GICV (a GICv3 reads the first two as GICD, GICR) */
    static const uint64_t gic_reg[] = { 0xf9010000, 0x10000, 0xf9020000, 0x20000,
                                        0xf9040000, 0x20000, 0xf9060000, 0x20000 };
    static const uint64_t gic_reg_4k[] = { 0xf9010000, 0x10000, 0xf9020000, 0x10000,
                                           0xf9040000, 0x10000, 0xf9060000, 0x2000 };

    ok(fdt_begin_node(fdt, "axi"));
    ok(fdt_property_string(fdt, "compatible", "simple-bus"));
    ok(fdt_property_u32(fdt, "#address-cells", 2));
    ok(fdt_property_u32(fdt, "#size-cells", 2));
    ok(fdt_property(fdt, "ranges", NULL, 0));
    ok(fdt_begin_node(fdt, "gpio@ff0a0000")); /* an interrupt controller, not the system's */
    ok(fdt_property_string(fdt, "compatible", "xlnx,zynqmp-gpio-1.0"));
    ok(fdt_property(fdt, "interrupt-controller", NULL, 0));
    ok(fdt_end_node(fdt));
    if (b->gic_compat != NULL) {
        ok(fdt_begin_node(fdt, "interrupt-controller@f9010000"));
        ok(fdt_property_string(fdt, "compatible", b->gic_compat));
        ok(fdt_property(fdt, "interrupt-controller", NULL, 0));
        reg64(fdt, b->gic_4k ? gic_reg_4k : gic_reg, b->gic_regs ? b->gic_regs : 4);
        ok(fdt_property_u32(fdt, "phandle", 4));
        ok(fdt_end_node(fdt));
    }
    node_uart(fdt, "serial@ff000000", b->uart0_compat, 0xff000000, 21, b->uart0_bad_reg);
    node_uart(fdt, "serial@ff010000", b->uart1_compat, 0xff010000, 22, false);
    node_uart(fdt, "serial@ff020000", "ns16550a", 0xff020000, 23, false); /* not ours */
    ok(fdt_end_node(fdt));
}

static void build(void *fdt, const struct board *b)
{
    ok(fdt_create(fdt, FDT_BUF));
    ok(fdt_finish_reservemap(fdt));
    ok(fdt_begin_node(fdt, ""));
    ok(fdt_property_u32(fdt, "#address-cells", 2));
    ok(fdt_property_u32(fdt, "#size-cells", 2));
    if (b->gic_compat != NULL) {
        ok(fdt_property_u32(fdt, "interrupt-parent", 4));
    }
    node_cpus_timer_psci(fdt);
    node_axi(fdt, b);
    ok(fdt_begin_node(fdt, "aliases"));
    ok(fdt_property_string(fdt, "serial0", "/axi/serial@ff000000"));
    ok(fdt_property_string(fdt, "serial1", "/axi/serial@ff010000"));
    ok(fdt_property_string(fdt, "serial2", "/axi/serial@ff020000"));
    ok(fdt_end_node(fdt));
    ok(fdt_begin_node(fdt, "chosen"));
    if (b->stdout_path != NULL) {
        ok(fdt_property_string(fdt, "stdout-path", b->stdout_path));
    }
    ok(fdt_end_node(fdt));
    node_memory(fdt, b);
    ok(fdt_end_node(fdt));
    ok(fdt_finish(fdt));
}

/* The GIC this build drives (PLAT_GIC_VERSION: the test is built once for each) and one it
 * does not, as the failure line names them. */
#if PLAT_GIC_VERSION == 2
#define GIC_OURS    "arm,gic-400"
#define GIC_OTHER   "arm,gic-v3"
#define GICS_DRIVEN "arm,gic-400, arm,cortex-a15-gic"
#else
#define GIC_OURS    "arm,gic-v3"
#define GIC_OTHER   "arm,gic-400"
#define GICS_DRIVEN "arm,gic-v3"
#endif

/* The ZCU102 as its tree describes it, with the GIC this build drives (a GICv3 build: a GICv3
 * in its place) so that the whole parse succeeds. */
static struct board zcu102(void)
{
    return (struct board){ .banks_in_node0 = 2, .gic_compat = GIC_OURS,
                           .uart0_compat = "cdns,uart-r1p12", .uart1_compat = "cdns,uart-r1p12",
                           .stdout_path = "serial0:115200n8" };
}

static int parse(const struct board *b, struct platinfo *p)
{
    static char fdt[FDT_BUF];
    build(fdt, b);
    return platinfo_parse(fdt, p);
}

#define PARSE_WITH(p, change)          \
    ({                                 \
        struct board b = zcu102();     \
        change;                        \
        parse(&b, (p));                \
    })

/* ------------------------------------------------------------------ tests */

static void test_two_banks_ram_at_zero(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (void)0));
    assert_int_equal(p.ram_bank_count, 2);
    assert_int_equal(p.ram_bank[0].pa, 0);
    assert_int_equal(p.ram_bank[0].size, 0x80000000);
    assert_int_equal(p.ram_bank[1].pa, UINT64_C(0x800000000));
    assert_int_equal(p.ram_bank[1].size, 0x80000000);
    /* the hypervisor and the VMs live in the first bank, RAM at 0 being no special case */
    assert_int_equal(p.ram.pa, 0);
    assert_int_equal(p.ram.size, 0x80000000);
    assert_int_equal(p.vm_ram.pa, PLATINFO_HYP_RESERVE);
    assert_int_equal(p.vm_ram.size, 0x80000000 - PLATINFO_HYP_RESERVE);
    assert_int_equal(p.vm_ram_avail, p.vm_ram.size);
    assert_int_equal(p.error[0], '\0');
}

static void test_banks_in_several_nodes(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (b.banks_in_node0 = 1, b.second_memory_node = true)));
    assert_int_equal(p.ram_bank_count, 2);
    assert_int_equal(p.ram_bank[1].pa, UINT64_C(0x800000000));
    assert_int_equal(p.ram.size, 0x80000000);
    /* more banks than kept: counted, the first ones kept in tree order */
    ok(PARSE_WITH(&p, (b.banks_in_node0 = 6)));
    assert_int_equal(p.ram_bank_count, PLATINFO_MAX_RAM_BANKS);
    assert_int_equal(p.ram_banks_ignored, 6 - PLATINFO_MAX_RAM_BANKS);
    assert_int_equal(p.ram_bank[3].pa, UINT64_C(0x1100000000));
}

static void test_bad_bank_named(void **state)
{
    struct platinfo p;

    (void)state;
    assert_int_equal(PARSE_WITH(&p, (b.empty_bank = true)), -BH_EINVAL);
    assert_string_equal(p.error, "/memory@0: reg: a RAM bank is empty or wraps around");
}

static void test_cadence_console_by_alias(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (void)0));
    assert_true(p.has_uart);
    assert_int_equal(p.uart_kind, PLATINFO_UART_CADENCE);
    assert_int_equal(p.uart.pa, 0xff000000);
    assert_int_equal(p.uart.size, 0x1000);
    assert_int_equal(p.uart_intid, 32 + 21);
    /* another alias, and a full path, pick the other UART */
    ok(PARSE_WITH(&p, (b.stdout_path = "serial1:115200n8")));
    assert_int_equal(p.uart.pa, 0xff010000);
    assert_int_equal(p.uart_intid, 32 + 22);
    ok(PARSE_WITH(&p, (b.stdout_path = "/axi/serial@ff010000")));
    assert_int_equal(p.uart.pa, 0xff010000);
}

static void test_uart_compatibles(void **state)
{
    static const struct {
        const char *compat;
        enum platinfo_uart kind;
    } cases[] = {
        { "cdns,uart-r1p12", PLATINFO_UART_CADENCE }, { "cdns,uart-r1p8", PLATINFO_UART_CADENCE },
        { "xlnx,xuartps", PLATINFO_UART_CADENCE },    { "arm,pl011", PLATINFO_UART_PL011 },
    };
    struct platinfo p;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ok(PARSE_WITH(&p, (b.uart0_compat = cases[i].compat)));
        assert_true(p.has_uart);
        assert_int_equal(p.uart_kind, cases[i].kind);
    }
}

static void test_console_fallbacks(void **state)
{
    struct platinfo p;

    (void)state;
    /* stdout-path names a UART we do not drive: the first one we do */
    ok(PARSE_WITH(&p, (b.stdout_path = "serial2")));
    assert_int_equal(p.uart.pa, 0xff000000);
    ok(PARSE_WITH(&p, (b.stdout_path = NULL, b.uart0_compat = NULL)));
    assert_int_equal(p.uart.pa, 0xff010000);
    /* none we drive at all: no console (the boot then reports it on the board's default) */
    ok(PARSE_WITH(&p, (b.uart0_compat = NULL, b.uart1_compat = NULL)));
    assert_false(p.has_uart);
    assert_int_equal(p.uart_kind, PLATINFO_UART_NONE);
    assert_int_equal(p.uart_intid, PLATINFO_NO_INTID);
    /* a malformed console UART: refused, and named */
    assert_int_equal(PARSE_WITH(&p, (b.uart0_bad_reg = true)), -BH_EINVAL);
    assert_false(p.has_uart);
    assert_string_equal(p.error, "/axi/serial@ff000000: console UART: reg or interrupts malformed");
}

/* The line the boot prints for a GIC it cannot drive, with the console already known. */
static void test_unsupported_gic_named(void **state)
{
    struct platinfo p;

    (void)state;
    assert_int_equal(PARSE_WITH(&p, (b.gic_compat = GIC_OTHER)), -BH_ENOENT);
    assert_string_equal(p.error, "/axi/interrupt-controller@f9010000: unsupported interrupt "
                                 "controller \"" GIC_OTHER "\": this build drives " GICS_DRIVEN);
    assert_true(p.has_uart);
    assert_int_equal(p.uart_kind, PLATINFO_UART_CADENCE);
    assert_int_equal(p.uart.pa, 0xff000000);
    /* no GIC at all, no interrupt-parent: the first interrupt controller is named */
    assert_int_equal(PARSE_WITH(&p, (b.gic_compat = NULL)), -BH_ENOENT);
    assert_string_equal(p.error, "/axi/gpio@ff0a0000: unsupported interrupt controller "
                                 "\"xlnx,zynqmp-gpio-1.0\": this build drives " GICS_DRIVEN);
    assert_true(p.has_uart);
}

/* The GIC's frames: a GICv2 needs all four (no GICH and GICV, no virtualization extensions:
 * nothing to give guests), a GICv3 two. */
static void test_gic_frames(void **state)
{
    struct platinfo p;

    (void)state;
    ok(PARSE_WITH(&p, (void)0));
    assert_int_equal(p.gicd.pa, 0xf9010000);
    assert_int_equal(p.gicd.size, 0x10000);
#if PLAT_GIC_VERSION == 2
    assert_int_equal(p.gic_version, 2);
    assert_int_equal(p.gicc.pa, 0xf902f000); /* 128 KiB: the 64 KiB-aligned layout */
    assert_int_equal(p.gicc.size, 0x2000);
    assert_int_equal(p.gich.pa, 0xf9040000);
    assert_int_equal(p.gicv.pa, 0xf906f000);
    assert_int_equal(p.gicv.size, 0x2000);
    /* 4 KiB pages (QEMU virt): the frames as the tree gives them */
    ok(PARSE_WITH(&p, (b.gic_4k = true)));
    assert_int_equal(p.gicc.pa, 0xf9020000);
    assert_int_equal(p.gicc.size, 0x10000);
    assert_int_equal(p.gicv.pa, 0xf9060000);
    assert_int_equal(p.gicv.size, 0x2000);
    assert_int_equal(PARSE_WITH(&p, (b.gic_regs = 2)), -BH_EINVAL);
    assert_string_equal(p.error, "GIC: reg malformed");
    /* "arm,cortex-a15-gic" alone is a GICv2 too */
    ok(PARSE_WITH(&p, (b.gic_compat = "arm,cortex-a15-gic")));
    assert_int_equal(p.gic_version, 2);
#else
    assert_int_equal(p.gic_version, 3);
    assert_int_equal(p.gicr.pa, 0xf9020000);
    assert_int_equal(PARSE_WITH(&p, (b.gic_regs = 1)), -BH_EINVAL);
    assert_string_equal(p.error, "GIC: reg malformed");
#endif
}

static void test_not_a_tree(void **state)
{
    static const char junk[64] = "not a device tree";
    struct platinfo p;

    (void)state;
    assert_int_equal(platinfo_parse(junk, &p), -BH_EINVAL);
    assert_string_equal(p.error, "not a flattened device tree (bad header)");
    assert_false(p.has_uart);
}

static void *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    assert_true(len >= (long)sizeof(struct fdt_header) && fdt_totalsize(buf) <= (size_t)len);
    return buf;
}

/* The board's own tree, as Debian's kernel package ships it. */
static void test_zcu102_package_tree(void **state)
{
    glob_t g;
    struct platinfo p;

    (void)state;
    if (glob(ZCU102_DTB, 0, NULL, &g) != 0) {
        print_message("  %s missing (scripts/deps.sh --linux not run?): skipped\n", ZCU102_DTB);
        skip();
    }
    void *dtb = read_file(g.gl_pathv[0]);
    globfree(&g);
    assert_non_null(dtb);
    int ret = platinfo_parse(dtb, &p);
    free(dtb);
#if PLAT_GIC_VERSION == 2
    /* a GICv2 build takes the GIC-400 with its four frames; the CPU interfaces are 128 KiB
     * regions of two 64 KiB-aliased pages: their 8 KiB start at +0xf000 */
    ok(ret);
    assert_int_equal(p.gic_version, 2);
    assert_int_equal(p.gicd.pa, 0xf9010000);
    assert_int_equal(p.gicc.pa, 0xf902f000);
    assert_int_equal(p.gicc.size, 0x2000);
    assert_int_equal(p.gich.pa, 0xf9040000);
    assert_int_equal(p.gicv.pa, 0xf906f000);
    assert_int_equal(p.gicv.size, 0x2000);
#else
    /* a GICv3 build refuses the GIC-400 and says so; everything before it is known */
    assert_int_equal(ret, -BH_ENOENT);
    assert_non_null(strstr(p.error, "\"arm,gic-400\""));
#endif
    assert_true(p.has_uart);
    assert_int_equal(p.uart_kind, PLATINFO_UART_CADENCE);
    assert_int_equal(p.uart.pa, 0xff000000);
    assert_int_equal(p.uart_intid, 32 + 21);
    assert_int_equal(p.cpu_count, 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(p.mpidr[i], i);
    }
    assert_int_equal(p.ram_bank_count, 2);
    assert_int_equal(p.ram.pa, 0);
    assert_int_equal(p.ram_bank[1].pa, UINT64_C(0x800000000));
    assert_int_equal(p.psci, PLATINFO_PSCI_SMC);
    assert_int_equal(p.timer_intid[PLATINFO_TIMER_NS_PHYS], 30);
    assert_int_equal(p.timer_intid[PLATINFO_TIMER_HYP], 26);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_banks_ram_at_zero),
        cmocka_unit_test(test_banks_in_several_nodes),
        cmocka_unit_test(test_bad_bank_named),
        cmocka_unit_test(test_cadence_console_by_alias),
        cmocka_unit_test(test_uart_compatibles),
        cmocka_unit_test(test_console_fallbacks),
        cmocka_unit_test(test_unsupported_gic_named),
        cmocka_unit_test(test_gic_frames),
        cmocka_unit_test(test_not_a_tree),
        cmocka_unit_test(test_zcu102_package_tree),
    };
    return cmocka_run_group_tests_name("platinfo_board", tests, NULL, NULL);
}
