// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_net.c: bulkhead,net-segment channels. The parsed defaults
 * (MAC 02:42:ac:<chan id>:00:<vm index>, INTID 48 + k, slot k, reach = every other member),
 * explicit member policy, and every error kind as a table of edits to a known-good scenario,
 * each checking the error line, that no VM became invalid and which channels stay valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include <core/config/config.h>
#include <core/platinfo.h>

#include "cfg_fixture.h"

#define FDT_BUF   32768
#define MAX_OPS   10
#define CH        "/channels"
#define DB        CH "/db"
#define LAN       CH "/lan"
#define LAN_A     LAN "/a"
#define LAN_B     LAN "/b"
#define VM_A      "/vms/vm-a"
#define VM_B      "/vms/vm-b"
#define VM_C      "/vms/vm-c"
#define ID_DB     0
#define ID_LAN    1

/*
 * Known good: VMs a, b, c (one CPU and 32 MiB each), a doorbell db (a -> b, INTID 40) and the
 * segment lan (members a, b, c; no member node). fdt_add_subnode puts a node first, so nodes
 * are added in reverse order.
 */
static void add_vm(void *fdt, int vms, const char *node, const char *name, uint32_t cpu)
{
    fix_vm_props(fdt, add_node(fdt, vms, node), name, cpu);
}

static void build_base(void *fdt)
{
    static const char abc[] = "a\0b\0c";
    uint32_t intid = 40;

    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int ch = add_node(fdt, 0, "channels");
    int vms = add_node(fdt, 0, "vms");
    add_vm(fdt, vms, "vm-c", "c", 2);
    add_vm(fdt, fix_path(fdt, "/vms"), "vm-b", "b", 1);
    add_vm(fdt, fix_path(fdt, "/vms"), "vm-a", "a", 0);
    (void)ch; /* offsets move as nodes are added */
    add_node(fdt, fix_path(fdt, CH), "lan");
    add_node(fdt, fix_path(fdt, CH), "db");
    int db = fix_path(fdt, DB);
    assert_int_equal(fdt_setprop_string(fdt, db, "compatible", "bulkhead,doorbell"), 0);
    assert_int_equal(fdt_setprop_string(fdt, db, "from", "a"), 0);
    assert_int_equal(fdt_setprop_string(fdt, db, "to", "b"), 0);
    setprop_cells(fdt, db, "intid", &intid, 1);
    int lan = fix_path(fdt, LAN);
    assert_int_equal(fdt_setprop_string(fdt, lan, "compatible", "bulkhead,net-segment"), 0);
    assert_int_equal(fdt_setprop(fdt, lan, "members", abc, sizeof(abc)), 0);
}

static void run_ops(const struct op *ops, struct result *r)
{
    static char fdt[FDT_BUF];
    struct platinfo plat = test_plat();

    build_base(fdt);
    for (int i = 0; i < MAX_OPS && ops[i].kind != OP_END; i++) {
        fix_apply(fdt, &ops[i]);
    }
    fix_run(fdt, "net.dts", &plat, NULL, r);
}

/* ------------------------------------------------------------------ good cases */

static void test_defaults(void **state)
{
    static struct result r;
    static const struct op none[] = { END };
    (void)state;

    run_ops(none, &r);
    if (r.cap.count != 0) {
        dump_lines(&r.cap);
    }
    assert_int_equal(r.ret, 0);
    assert_int_equal(r.cap.count, 0);
    const struct cfg_chan *ch = &r.sc.chans[ID_LAN];
    assert_true(ch->valid);
    assert_int_equal(ch->type, CFG_CHAN_NET);
    assert_int_equal(ch->net_members, 0x7);
    for (int v = 0; v < 3; v++) {
        const uint8_t mac[6] = { 0x02, 0x42, 0xac, ID_LAN, 0x00, (uint8_t)v };
        assert_memory_equal(ch->net[v].mac, mac, 6);
        assert_int_equal(ch->net[v].reach, 0x7 & ~(1u << v));
        assert_int_equal(ch->net[v].slot, 0);
        assert_int_equal(ch->net[v].intid, VPLAT_NET_INTID);
        assert_int_equal(ch->net[v].rate_pps, 0);
        assert_int_equal(ch->net[v].rate_bps, 0);
        assert_int_equal(ch->rights[v], 0); /* no IPC page, no /bulkhead-ipc entry */
    }
    assert_string_equal(cfg_chan_type_name(CFG_CHAN_NET), "net-segment");
}

/* A second segment is each member's slot 1 (INTID 49, the next window); explicit policy. */
static void test_second_segment_and_policy(void **state)
{
    static struct result r;
    static const struct op ops[] = {
        NODE(CH, "wan"),
        STR(CH "/wan", "compatible", "bulkhead,net-segment"),
        RAW(CH "/wan", "members", "c\0a", 4),
        NODE(LAN, "a"),
        RAW(LAN_A, "mac", "\x02\x00\x00\x00\x00\x0a", 6),
        STR(LAN_A, "reach", "b"),
        CELLS(LAN_A, "rate-limit-pps", 1000),
        CELLS(LAN_A, "rate-limit-bps", 1000000),
        CELLS(LAN_A, "intid", 52),
        END,
    };
    (void)state;

    run_ops(ops, &r);
    if (r.cap.count != 0) {
        dump_lines(&r.cap);
    }
    assert_int_equal(r.cap.count, 0);
    /* wan is the first child: ID 0, lan 2 */
    const struct cfg_chan *wan = &r.sc.chans[0], *lan = &r.sc.chans[2];
    assert_int_equal(wan->type, CFG_CHAN_NET);
    assert_int_equal(wan->net_members, 0x5);
    assert_int_equal(wan->net[0].slot, 0);
    assert_int_equal(wan->net[2].slot, 0);
    assert_int_equal(lan->net[0].slot, 1);
    assert_int_equal(lan->net[1].slot, 0);
    assert_int_equal(lan->net[2].slot, 1);
    assert_int_equal(lan->net[2].intid, VPLAT_NET_INTID + 1);
    assert_int_equal(lan->net[1].intid, VPLAT_NET_INTID);
    assert_memory_equal(lan->net[0].mac, "\x02\x00\x00\x00\x00\x0a", 6);
    assert_int_equal(lan->net[0].reach, 0x2);
    assert_int_equal(lan->net[0].rate_pps, 1000);
    assert_int_equal(lan->net[0].rate_bps, 1000000);
    assert_int_equal(lan->net[0].intid, 52);
    const uint8_t mac_b[6] = { 0x02, 0x42, 0xac, 2, 0, 1 };
    assert_memory_equal(lan->net[1].mac, mac_b, 6);
}

/* Nine segments: the ninth is refused (a VM has VPLAT_NET_MAX devices). */
static void test_too_many_segments(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();
    (void)state;

    build_base(fdt);
    for (int i = 0; i < 8; i++) {
        char name[16];
        snprintf(name, sizeof(name), "s%d", i);
        int n = add_node(fdt, fix_path(fdt, CH), name);
        assert_int_equal(fdt_setprop_string(fdt, n, "compatible", "bulkhead,net-segment"), 0);
        assert_int_equal(fdt_setprop(fdt, n, "members", "a\0c", 4), 0);
    }
    fix_run(fdt, "net.dts", &plat, NULL, &r);
    /* a and c are in all nine; b only in lan */
    if (r.cap.count != 2 ||
        !has_line(&r.cap, "net.dts: /channels/lan: members: VM 'a' would be a member of more "
                          "than 8 segments") ||
        !has_line(&r.cap, "/channels/lan: members: VM 'c' would be a member of more than 8")) {
        dump_lines(&r.cap);
        fail_msg("want one line per VM about the ninth segment");
    }
    assert_false(r.sc.chans[9].valid);
    for (int i = 0; i < 9; i++) {
        assert_true(r.sc.chans[i].valid);
    }
    /* the eighth segment of a has slot 7 and INTID 55 */
    assert_int_equal(r.sc.chans[7].net[0].slot, 7);
    assert_int_equal(r.sc.chans[7].net[0].intid, VPLAT_NET_INTID + 7);
}

/* ------------------------------------------------------------------ error table */

struct net_case {
    const char *name;
    struct op ops[MAX_OPS];
    const char *expect; /* substring of the one error line */
    int extra_errors;
    bool db_invalid;    /* the doorbell (ID 0) is refused instead of lan */
};

static void run_case(void **state)
{
    const struct net_case *tc = *state;
    static struct result r;

    run_ops(tc->ops, &r);
    if (r.ret != 0 || !has_line(&r.cap, tc->expect) || r.cap.count != 1 + tc->extra_errors) {
        dump_lines(&r.cap);
        fail_msg("%s: ret %d, %d line(s), want one containing \"%s\"", tc->name, r.ret,
                 r.cap.count, tc->expect);
    }
    for (uint32_t v = 0; v < r.sc.vm_count; v++) {
        assert_true(r.sc.vms[v].valid); /* a segment never costs a VM */
    }
    assert_int_equal(r.sc.chans[ID_DB].valid, !tc->db_invalid);
    assert_int_equal(r.sc.chans[ID_LAN].valid, tc->db_invalid);
}

#define VM_NAME_JUNK "\x01x"

static const struct net_case cases[] = {
    { "members missing", { DEL(LAN, "members") }, LAN ": members: missing required property" },
    { "members not strings", { CELLS(LAN, "members", 1) },
      LAN ": members: must be a list of VM names" },
    { "member unknown", { RAW(LAN, "members", "a\0ctl", 6) }, LAN ": members: no VM named 'ctl'" },
    { "member non-printable", { RAW(LAN, "members", "a\0" VM_NAME_JUNK, 5) },
      LAN ": members: no VM named '?x'" },
    { "member twice", { RAW(LAN, "members", "a\0b\0a", 6) },
      LAN ": members: VM 'a' is listed twice" },
    { "one member", { STR(LAN, "members", "a") },
      LAN ": members: names 1 VMs (a segment has 2..8)" },
    { "unknown property", { STR(LAN, "colour", "blue") }, LAN ": colour: unknown property" },
    { "child not a VM", { NODE(LAN, "ctl") }, LAN "/ctl: (node): no VM named 'ctl'" },
    { "child of a non-member", { RAW(LAN, "members", "a\0b", 4), NODE(LAN, "c") },
      LAN "/c: (node): VM 'c' is not a member of the segment" },
    { "member node unknown property", { NODE(LAN, "a"), STR(LAN_A, "colour", "blue") },
      LAN_A ": colour: unknown property" },
    { "member node child", { NODE(LAN, "a"), NODE(LAN_A, "x") },
      LAN_A ": (node): unknown child node" },
    { "mac 5 bytes", { NODE(LAN, "a"), RAW(LAN_A, "mac", "\x02\0\0\0\x01", 5) },
      LAN_A ": mac: expected 6 bytes, got 5" },
    { "mac multicast", { NODE(LAN, "a"), RAW(LAN_A, "mac", "\x03\0\0\0\0\x01", 6) },
      LAN_A ": mac: 03:00:00:00:00:01 is a multicast address" },
    { "mac broadcast", { NODE(LAN, "a"), RAW(LAN_A, "mac", "\xff\xff\xff\xff\xff\xff", 6) },
      LAN_A ": mac: ff:ff:ff:ff:ff:ff is a multicast address" },
    /* b's default is 02:42:ac:01:00:01 (channel 1, VM 1) */
    { "mac duplicate", { NODE(LAN, "c"), RAW(LAN "/c", "mac", "\x02\x42\xac\x01\x00\x01", 6) },
      LAN "/c: mac: 02:42:ac:01:00:01 is also the address of 'b'" },
    { "reach unknown VM", { NODE(LAN, "a"), STR(LAN_A, "reach", "ctl") },
      LAN_A ": reach: no VM named 'ctl'" },
    { "reach non-member", { RAW(LAN, "members", "a\0b", 4), NODE(LAN, "a"),
                            STR(LAN_A, "reach", "c") },
      LAN_A ": reach: VM 'c' is not a member of the segment" },
    { "reach itself", { NODE(LAN, "a"), RAW(LAN_A, "reach", "b\0a", 4) },
      LAN_A ": reach: a member cannot name itself" },
    { "reach empty", { NODE(LAN, "a"), STR(LAN_A, "reach", "") },
      LAN_A ": reach: must be a list of VM names" },
    { "rate pps 0", { NODE(LAN, "a"), CELLS(LAN_A, "rate-limit-pps", 0) },
      LAN_A ": rate-limit-pps: must not be 0" },
    { "rate bps 0", { NODE(LAN, "a"), CELLS(LAN_A, "rate-limit-bps", 0) },
      LAN_A ": rate-limit-bps: must not be 0" },
    { "rate two cells", { NODE(LAN, "a"), CELLS(LAN_A, "rate-limit-bps", 1, 2) },
      LAN_A ": rate-limit-bps: expected 1 cell, got 8 bytes" },
    { "rate string", { NODE(LAN, "a"), STR(LAN_A, "rate-limit-pps", "fast") },
      LAN_A ": rate-limit-pps: expected one <u32> cell, got the string 'fast'" },
    { "intid beyond the vGIC", { NODE(LAN, "a"), CELLS(LAN_A, "intid", 128) },
      LAN_A ": intid: INTID 128 is not a virtual SPI (32..127)" },
    { "intid a PPI", { NODE(LAN, "a"), CELLS(LAN_A, "intid", 27) },
      LAN_A ": intid: INTID 27 is not a virtual SPI (32..127)" },
    { "intid the UART's", { NODE(LAN, "a"), CELLS(LAN_A, "intid", 33) },
      LAN_A ": intid: INTID 33 is the virtual UART's interrupt" },
    { "intid the power button's", { NODE(LAN, "a"), CELLS(LAN_A, "intid", 46) },
      LAN ": intid: INTID 46 is the interrupt of 'power-button' in VM 'a'" },
    { "intid a doorbell's", { NODE(LAN, "b"), CELLS(LAN_B, "intid", 40) },
      LAN ": intid: INTID 40 is already raised by channel 'db' in VM 'b'" },
    { "window over RAM", { CELLS(VM_C, "memory-base", 0, 0x0a200000) },
      LAN "/c: (node): network device 0xa200000+0x200 overlaps the RAM of VM 'c'" },
    { "window over a passthrough device",
      { NODE(VM_B, "passthrough"), NODE(VM_B "/passthrough", "d"),
        STR(VM_B "/passthrough/d", "compatible", "vendor,dev"),
        CELLS(VM_B "/passthrough/d", "reg", 0, 0x0a200000, 0, 0x1000) },
      LAN "/b: (node): network device 0xa200000 overlaps passthrough device 'd' of VM 'b'" },
};

int main(void)
{
    struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 3];
    size_t n = 0;

    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_defaults);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_second_segment_and_policy);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_too_many_segments);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tests[n++] = (struct CMUnitTest){ cases[i].name, run_case, NULL, NULL,
                                          (void *)&cases[i] };
    }
    return _cmocka_run_group_tests("config_net", tests, n, NULL, NULL);
}
