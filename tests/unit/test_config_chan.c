// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_chan*.c: every /channels error kind as a table of edits applied
 * to a known-good scenario (two VMs and one object of each type), each its own cmocka test.
 * A case names the substring its error line must contain and how many lines it expects (one
 * unless said otherwise: no cascades), and every case checks that no VM became invalid and
 * how many channels stay valid. Plus the parsed values, limits, stable IDs and an engine built
 * from a parsed scenario.
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
#include <core/ipc/ipc.h>
#include <core/platinfo.h>

#include "cfg_fixture.h"

#define FDT_BUF     32768
#define MAX_OPS     8
#define MIB         FIX_MIB
#define FILE_NAME   "cfg.dts"
#define VM_A        "/vms/vm-a"
#define VM_B        "/vms/vm-b"
#define DEV0        "/vms/vm-b/passthrough/dev0"
#define CH          "/channels"
#define SHM         CH "/shm0"
#define SHM_A       SHM "/a"
#define SHM_B       SHM "/b"
#define DB          CH "/db"
#define SEM         CH "/sem"
#define MTX         CH "/mtx"
#define Q           CH "/q"
#define BASE_CHANS  5

/* Object IDs in the base scenario (node order). */
enum { ID_SHM, ID_DB, ID_SEM, ID_MTX, ID_Q };

/* ------------------------------------------------------------------ fixtures */

static void add_vm(void *fdt, const char *p, const char *name, const uint32_t *cpus)
{
    static const uint32_t mem64[] = { 0, 64 * MIB };
    int vm = fix_path(fdt, p);

    assert_int_equal(fdt_setprop_string(fdt, vm, "compatible", "bulkhead,vm"), 0);
    assert_int_equal(fdt_setprop_string(fdt, vm, "name", name), 0);
    setprop_cells(fdt, vm, "cpus", cpus, 2);
    setprop_cells(fdt, vm, "memory-size", mem64, 2);
    assert_int_equal(fdt_setprop_string(fdt, vm, "kernel", "tg.bin"), 0);
}

static void set_u32(void *fdt, const char *p, const char *prop, uint32_t v)
{
    setprop_cells(fdt, fix_path(fdt, p), prop, &v, 1);
}

static void set_u64(void *fdt, const char *p, const char *prop, uint64_t v)
{
    uint32_t cells[2] = { (uint32_t)(v >> 32), (uint32_t)v };
    setprop_cells(fdt, fix_path(fdt, p), prop, cells, 2);
}

static void set_str(void *fdt, const char *p, const char *prop, const char *s)
{
    assert_int_equal(fdt_setprop_string(fdt, fix_path(fdt, p), prop, s), 0);
}

static void set_raw(void *fdt, const char *p, const char *prop, const char *s, int len)
{
    assert_int_equal(fdt_setprop(fdt, fix_path(fdt, p), prop, s, len), 0);
}

/*
 * Known good: VM a (CPUs 0-1) and VM b (CPUs 2-3, device dev0 at IPA 0x0c000000 with SPIs 48
 * and 49), 64 MiB each at 0x40000000, and the channels shm0 (64 KiB at 0x20000000 in both, a
 * rw, b ro), db (a -> b, INTID 40), sem (1 of 4, a and b), mtx (a and b), q (8 x 64 B, a ->
 * b, rx 41, tx 42). fdt_add_subnode puts a node first, so nodes are added in reverse order.
 */
static void build_base(void *fdt)
{
    static const uint32_t cpus_a[] = { 0, 1 }, cpus_b[] = { 2, 3 };
    static const uint32_t reg[] = { 0, 0x0a000000, 0, 0x200 }, irqs[] = { 48, 49 };
    static const char ab[] = "a\0b";

    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int ch = add_node(fdt, 0, "channels");
    int vms = add_node(fdt, 0, "vms");
    add_node(fdt, vms, "vm-b");
    add_node(fdt, vms, "vm-a");
    add_vm(fdt, VM_A, "a", cpus_a);
    add_vm(fdt, VM_B, "b", cpus_b);
    int dev = add_node(fdt, add_node(fdt, fix_path(fdt, VM_B), "passthrough"), "dev0");
    assert_int_equal(fdt_setprop_string(fdt, dev, "compatible", "vendor,dev"), 0);
    setprop_cells(fdt, dev, "reg", reg, 4);
    setprop_cells(fdt, dev, "interrupts", irqs, 2);
    set_u64(fdt, DEV0, "ipa", 0x0c000000);

    ch = fix_path(fdt, CH);
    add_node(fdt, ch, "q");
    add_node(fdt, fix_path(fdt, CH), "mtx");
    add_node(fdt, fix_path(fdt, CH), "sem");
    add_node(fdt, fix_path(fdt, CH), "db");
    add_node(fdt, fix_path(fdt, CH), "shm0");
    set_str(fdt, SHM, "compatible", "bulkhead,shmem");
    set_u64(fdt, SHM, "size", 0x10000);
    add_node(fdt, fix_path(fdt, SHM), "b");
    add_node(fdt, fix_path(fdt, SHM), "a");
    set_u64(fdt, SHM_A, "ipa", 0x20000000);
    set_str(fdt, SHM_A, "access", "rw");
    set_u64(fdt, SHM_B, "ipa", 0x20000000);
    set_str(fdt, SHM_B, "access", "ro");
    set_str(fdt, DB, "compatible", "bulkhead,doorbell");
    set_str(fdt, DB, "from", "a");
    set_str(fdt, DB, "to", "b");
    set_u32(fdt, DB, "intid", 40);
    set_str(fdt, SEM, "compatible", "bulkhead,semaphore");
    set_u32(fdt, SEM, "initial", 1);
    set_u32(fdt, SEM, "max", 4);
    set_raw(fdt, SEM, "members", ab, sizeof(ab));
    set_str(fdt, MTX, "compatible", "bulkhead,mutex");
    set_raw(fdt, MTX, "members", ab, sizeof(ab));
    set_str(fdt, Q, "compatible", "bulkhead,msgq");
    set_u32(fdt, Q, "depth", 8);
    set_u32(fdt, Q, "msg-size", 64);
    set_str(fdt, Q, "senders", "a");
    set_str(fdt, Q, "receivers", "b");
    set_u32(fdt, Q, "rx-intid", 41);
    set_u32(fdt, Q, "tx-intid", 42);
}

/* ------------------------------------------------------------------ edits */

/* ------------------------------------------------------------------ running */

enum plat_variant { PLAT_REF, PLAT_TIGHT };

struct chan_case {
    const char *name;
    struct op ops[MAX_OPS];
    const char *expect;  /* substring of one error line */
    int extra_errors;    /* lines beyond the first */
    int valid;           /* channels still valid (default: BASE_CHANS - 1) */
    int count;           /* channels stored (default: BASE_CHANS) */
    enum plat_variant plat;
};

static void run_fdt(const void *fdt, const struct platinfo *plat, struct result *r)
{
    fix_run(fdt, FILE_NAME, plat, NULL, r);
}

static void run_ops(const struct op *ops, enum plat_variant pv, struct result *r)
{
    static char fdt[FDT_BUF];
    struct platinfo plat = test_plat();

    build_base(fdt);
    for (int i = 0; i < MAX_OPS && ops[i].kind != OP_END; i++) {
        fix_apply(fdt, &ops[i]);
    }
    if (pv == PLAT_TIGHT) {
        plat.vm_ram_avail = 128 * MIB + 0x8000; /* both VMs, and 32 KiB to spare */
    }
    run_fdt(fdt, &plat, r);
}

static int valid_chans(const struct cfg_scenario *sc)
{
    int n = 0;
    for (uint32_t i = 0; i < sc->chan_count; i++) {
        n += sc->chans[i].valid;
    }
    return n;
}

static void run_case(void **state)
{
    const struct chan_case *tc = *state;
    static struct result r;
    int want_valid = tc->valid != 0 ? tc->valid : BASE_CHANS - 1;
    int want_count = tc->count != 0 ? tc->count : BASE_CHANS;

    run_ops(tc->ops, tc->plat, &r);
    if (r.ret != 0 || !has_line(&r.cap, tc->expect) || r.cap.count != 1 + tc->extra_errors) {
        dump_lines(&r.cap);
        fail_msg("%s: ret %d, %d line(s), want one containing \"%s\"", tc->name, r.ret,
                 r.cap.count, tc->expect);
    }
    assert_int_equal(r.sc.error_count, (uint32_t)r.cap.count);
    assert_true(r.sc.vms[0].valid && r.sc.vms[1].valid); /* channels never cost a VM */
    assert_int_equal(r.sc.chan_count, want_count);
    if (valid_chans(&r.sc) != want_valid) {
        dump_lines(&r.cap);
        fail_msg("%s: %d valid channels, want %d", tc->name, valid_chans(&r.sc), want_valid);
    }
}

/* ------------------------------------------------------------------ the error table */

#define NAME32  "abcdefghijabcdefghijabcdefghijab"
#define EXTRA   CH "/extra"
/* A new channel node; it becomes the first child of /channels (ID 0). */
#define ADD_SEM(n) NODE(CH, n), STR(CH "/" n, "compatible", "bulkhead,semaphore"), \
    CELLS(CH "/" n, "max", 1), STR(CH "/" n, "members", "a")

static const struct chan_case cases[] = {
    /* /channels and channel nodes */
    { "property on /channels", { STR(CH, "colour", "blue") }, CH ": colour: unknown property",
      .valid = BASE_CHANS },
    { "name bad characters", { ADD_SEM("Sem") },
      CH "/Sem: (node): channel name 'Sem' has a character other than a-z, 0-9, '_' and '-'",
      .valid = BASE_CHANS, .count = BASE_CHANS + 1 },
    { "name too long", { ADD_SEM(NAME32) },
      CH "/" NAME32 ": (node): channel name too long: 32 characters (at most 31)",
      .valid = BASE_CHANS, .count = BASE_CHANS + 1 },
    { "compatible missing", { DEL(DB, "compatible") }, DB ": compatible: missing required" },
    { "compatible unknown", { STR(DB, "compatible", "bulkhead,pipe") },
      DB ": compatible: unknown channel type 'bulkhead,pipe' (bulkhead,shmem, " },
    { "compatible two strings", { RAW(DB, "compatible", "a\0b", 4) },
      DB ": compatible: must be a single non-empty string" },
    { "compatible non-printable", { STR(DB, "compatible", "bulk\thead") },
      DB ": compatible: contains a non-printable character" },
    { "compatible too long", { STR(DB, "compatible", "bulkhead,very-long-channel-type") },
      DB ": compatible: unknown value 'bulkhead,very-long-c...'" },
    { "unknown property", { STR(DB, "colour", "blue") }, DB ": colour: unknown property" },
    { "property of another type", { CELLS(MTX, "max", 1) }, MTX ": max: unknown property" },
    { "unknown child node", { NODE(DB, "x") }, DB "/x: (node): unknown child node" },

    /* shared memory */
    { "shmem no member", { DELNODE(SHM_A), DELNODE(SHM_B) },
      SHM ": (node): no member VM (one child node per VM)" },
    { "shmem size missing", { DEL(SHM, "size") }, SHM ": size: missing required property" },
    { "shmem size one cell", { CELLS(SHM, "size", 0x1000) },
      SHM ": size: expected 2 cells (a 64-bit value), got 4 bytes" },
    { "shmem size 0", { CELLS(SHM, "size", 0, 0) }, SHM ": size: must not be 0" },
    { "shmem size not pages", { CELLS(SHM, "size", 0, 0x1800) },
      SHM ": size: 0x1800 is not a multiple of 4 KiB" },
    { "shmem size too large", { CELLS(SHM, "size", 0, 0x4001000) },
      SHM ": size: 0x4001000 is over the 64 MiB limit" },
    /* PLAT_TIGHT leaves 32 KiB beside the VMs: neither the shared memory's 2 MiB block nor
     * the queue data pages' fits (the queue's line is the next row) */
    { "shmem memory budget", { CELLS(SHM, "size", 0, 0x9000) },
      SHM ": size: 0x200000 more bytes (RAM is given in 2 MiB blocks) would bring VM and "
          "shared memory to 0x8200000, over the 0x8008000 available for VMs",
      .extra_errors = 1, .valid = BASE_CHANS - 2, .plat = PLAT_TIGHT },
    { "queue data pages budget", { CELLS(SHM, "size", 0, 0x9000) },
      Q ": (node): the queue data pages (one 0x200000 block) would bring VM and shared memory "
        "to 0x8200000, over the 0x8008000 available for VMs",
      .extra_errors = 1, .valid = BASE_CHANS - 2, .plat = PLAT_TIGHT },
    { "shmem member unknown VM", { NODE(SHM, "ctl") }, SHM "/ctl: (node): no VM named 'ctl'" },
    { "shmem member ipa missing", { DEL(SHM_A, "ipa") }, SHM_A ": ipa: missing required" },
    { "shmem member ipa one cell", { CELLS(SHM_A, "ipa", 0x20000000) },
      SHM_A ": ipa: expected 2 cells" },
    { "shmem member ipa misaligned", { CELLS(SHM_A, "ipa", 0, 0x20000800) },
      SHM_A ": ipa: 0x20000800 is not 4 KiB aligned" },
    { "shmem member access missing", { DEL(SHM_B, "access") },
      SHM_B ": access: missing required property" },
    { "shmem member access unknown", { STR(SHM_B, "access", "wo") },
      SHM_B ": access: unknown access 'wo' (rw, ro)" },
    { "shmem member access empty", { STR(SHM_B, "access", "") },
      SHM_B ": access: must be a single non-empty string" },
    { "shmem member unknown property", { CELLS(SHM_B, "cacheable", 1) },
      SHM_B ": cacheable: unknown property" },
    { "shmem member child node", { NODE(SHM_B, "x") }, SHM_B "/x: (node): unknown child node" },
    { "shmem beyond IPA space", { CELLS(SHM_A, "ipa", 0x7f, 0xffff8000) },
      SHM_A ": ipa: guest window 0x7fffff8000+0x10000 goes beyond the 39-bit IPA space" },
    { "shmem wraps", { CELLS(SHM_A, "ipa", 0xffffffff, 0xffff8000) },
      SHM_A ": ipa: guest window 0xffffffffffff8000+0x10000 goes beyond" },
    { "shmem over RAM", { CELLS(SHM_B, "ipa", 0, 0x43ff8000) },
      SHM_B ": ipa: guest window 0x43ff8000+0x10000 overlaps the VM's RAM at 0x40000000" },
    { "shmem over the virtual GICD", { CELLS(SHM_A, "ipa", 0, 0x08000000) },
      SHM_A ": ipa: guest window 0x8000000+0x10000 overlaps the virtual GICD at 0x8000000" },
    { "shmem over the virtual GICR", { CELLS(SHM_A, "ipa", 0, 0x080d0000) },
      SHM_A ": ipa: guest window 0x80d0000+0x10000 overlaps the virtual GICR at 0x80a0000" },
    { "shmem over the virtual UART", { CELLS(SHM_A, "ipa", 0, 0x08ff8000) },
      SHM_A ": ipa: guest window 0x8ff8000+0x10000 overlaps the virtual UART at 0x9000000" },
    { "shmem over the IPC pages", { CELLS(SHM_A, "ipa", 0, 0x0a010000) },
      SHM_A ": ipa: guest window 0xa010000+0x10000 overlaps the IPC pages at 0xa000000" },
    { "shmem over a passthrough window", { CELLS(SHM_B, "ipa", 0, 0x0bff8000) },
      SHM_B ": ipa: guest window 0xbff8000+0x10000 overlaps passthrough device 'dev0' at "
             "0xc000000" },
    { "shmem over another shmem",
      { NODE(CH, "shm1"), STR(CH "/shm1", "compatible", "bulkhead,shmem"),
        CELLS(CH "/shm1", "size", 0, 0x1000), NODE(CH "/shm1", "a"),
        CELLS(CH "/shm1/a", "ipa", 0, 0x2000f000), STR(CH "/shm1/a", "access", "ro") },
      SHM_A ": ipa: guest window 0x20000000+0x10000 overlaps shared memory 'shm1' at "
             "0x2000f000",
      .valid = BASE_CHANS, .count = BASE_CHANS + 1 },

    /* VM lists */
    { "list unknown VM", { STR(DB, "to", "ctl") }, DB ": to: no VM named 'ctl'" },
    { "list long unknown VM", { STR(DB, "from", "a-very-long-vm-name-indeed") },
      DB ": from: no VM named 'a-very-long-vm-n...'" },
    { "list VM twice", { RAW(SEM, "members", "a\0b\0a", 6) },
      SEM ": members: VM 'a' is listed twice" },
    { "list empty", { RAW(Q, "senders", "", 0) }, Q ": senders: must be a list of VM names" },
    { "list not strings", { CELLS(Q, "receivers", 1) },
      Q ": receivers: must be a list of VM names" },
    { "list empty member", { RAW(MTX, "members", "a\0\0b", 5) },
      MTX ": members: must not contain an empty string" },
    { "doorbell two targets", { RAW(DB, "to", "a\0b", 4) }, DB ": to: names more than 1 VM" },

    /* doorbells */
    { "doorbell from missing", { DEL(DB, "from") }, DB ": from: missing required property" },
    { "doorbell to missing", { DEL(DB, "to") }, DB ": to: missing required property" },
    { "doorbell intid missing", { DEL(DB, "intid") }, DB ": intid: missing required property" },
    { "rate-limit one cell", { CELLS(DB, "rate-limit", 100) },
      DB ": rate-limit: expected 2 cells <count period-us>, got 4 bytes" },
    { "rate-limit three cells", { CELLS(DB, "rate-limit", 100, 1000, 1) },
      DB ": rate-limit: expected 2 cells <count period-us>, got 12 bytes" },
    { "rate-limit count 0", { CELLS(DB, "rate-limit", 0, 1000) },
      DB ": rate-limit: count 0 is out of range (1..1000000)" },
    { "rate-limit count too big", { CELLS(DB, "rate-limit", 1000001, 1000) },
      DB ": rate-limit: count 1000001 is out of range (1..1000000)" },
    { "rate-limit period 0", { CELLS(DB, "rate-limit", 10, 0) },
      DB ": rate-limit: period 0 us is out of range (1..60000000)" },
    { "rate-limit period too long", { CELLS(DB, "rate-limit", 10, 60000001) },
      DB ": rate-limit: period 60000001 us is out of range (1..60000000)" },
    { "rate-limit on a semaphore", { CELLS(SEM, "rate-limit", 10, 1000) },
      SEM ": rate-limit: unknown property" },
    { "intid not one cell", { RAW(DB, "intid", "\0\0", 2) },
      DB ": intid: expected 1 cell, got 2 bytes" },
    { "intid below SPIs", { CELLS(DB, "intid", 31) },
      DB ": intid: INTID 31 is not a virtual SPI (32..127)" },
    { "intid above the vGIC", { CELLS(Q, "rx-intid", 128) },
      Q ": rx-intid: INTID 128 is not a virtual SPI (32..127)" },
    { "intid of the virtual UART", { CELLS(DB, "intid", 33) },
      DB ": intid: INTID 33 is the virtual UART's interrupt" },
    { "intid of the watchdog", { STR(VM_B, "watchdog", "sp805"), CELLS(DB, "intid", 47) },
      DB ": intid: INTID 47 is the interrupt of the virtual watchdog 'sp805' in VM 'b'" },
    { "shmem over the watchdog",
      { STR(VM_A, "watchdog", "sp805"), CELLS(SHM_A, "ipa", 0, 0x090b8000) },
      SHM_A ": ipa: guest window 0x90b8000+0x10000 overlaps the virtual watchdog at 0x90c0000" },
    { "intid of a passthrough device", { CELLS(DB, "intid", 49) },
      DB ": intid: INTID 49 is given to passthrough device 'dev0' in VM 'b'" },
    { "intid used by another channel", { CELLS(Q, "rx-intid", 40) },
      Q ": rx-intid: INTID 40 is already raised by channel 'db' in VM 'b'" },
    { "IPC page over a passthrough window", { CELLS(DEV0, "ipa", 0, 0x0a002000) },
      DB ": (node): IPC page 0xa002000 overlaps passthrough device 'dev0' of VM 'b'" },
    { "IPC page over RAM", { CELLS(VM_A, "memory-base", 0, 0x0a000000) },
      DB ": (node): IPC page 0xa002000 overlaps the RAM of VM 'a' at 0xa000000",
      .extra_errors = 3, .valid = 1 },

    /* semaphores */
    { "sem max missing", { DEL(SEM, "max") }, SEM ": max: missing required property" },
    { "sem max 0", { CELLS(SEM, "max", 0) }, SEM ": max: 0 is out of range (1..65535)" },
    { "sem max too large", { CELLS(SEM, "max", 65536) },
      SEM ": max: 65536 is out of range (1..65535)" },
    { "sem initial too large", { CELLS(SEM, "initial", 70000) },
      SEM ": initial: 70000 is out of range (0..65535)" },
    { "sem initial over max", { CELLS(SEM, "initial", 5) },
      SEM ": initial: 5 is greater than max (4)" },
    { "sem members missing", { DEL(SEM, "members") }, SEM ": members: missing required" },

    /* mutexes */
    { "mutex members missing", { DEL(MTX, "members") }, MTX ": members: missing required" },
    { "mutex member unknown", { STR(MTX, "members", "c") }, MTX ": members: no VM named 'c'" },

    /* message queues */
    { "msgq depth missing", { DEL(Q, "depth") }, Q ": depth: missing required property" },
    { "msgq depth 0", { CELLS(Q, "depth", 0) }, Q ": depth: 0 is out of range (1..256)" },
    { "msgq depth too large", { CELLS(Q, "depth", 257) },
      Q ": depth: 257 is out of range (1..256)" },
    { "msgq msg-size missing", { DEL(Q, "msg-size") }, Q ": msg-size: missing required" },
    { "msgq msg-size 0", { CELLS(Q, "msg-size", 0) },
      Q ": msg-size: 0 is out of range (1..4096)" },
    { "msgq msg-size too large", { CELLS(Q, "msg-size", 4097) },
      Q ": msg-size: 4097 is out of range (1..4096)" },
    { "msgq senders missing", { DEL(Q, "senders") }, Q ": senders: missing required" },
    { "msgq receivers missing", { DEL(Q, "receivers") }, Q ": receivers: missing required" },
    { "msgq rx and tx alike in one VM", { RAW(Q, "senders", "a\0b", 4), CELLS(Q, "tx-intid", 41) },
      Q ": tx-intid: INTID 41 is also this queue's rx-intid in VM 'b'" },
    { "msgq storage", { CELLS(Q, "depth", 256), CELLS(Q, "msg-size", 4096) },
      Q ": (node): 0x100000 bytes of queue storage (depth x msg-size) would bring the total to "
        "0x100000, over 0x40000" },
};

#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

/* ------------------------------------------------------------------ other tests */

static void test_base_values(void **state)
{
    static const struct op none[] = { END };
    static struct result r;

    (void)state;
    run_ops(none, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.ret, 0);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.chan_count, BASE_CHANS);
    assert_int_equal(valid_chans(&r.sc), BASE_CHANS);

    const struct cfg_chan *c = &r.sc.chans[ID_SHM];
    assert_string_equal(c->name, "shm0");
    assert_int_equal(c->type, CFG_CHAN_SHMEM);
    assert_int_equal(c->shm_size, 0x10000);
    assert_int_equal(c->shm_ipa[0], 0x20000000);
    assert_int_equal(c->rights[0], CFG_RIGHT_READ | CFG_RIGHT_WRITE);
    assert_int_equal(c->rights[1], CFG_RIGHT_READ);
    assert_int_equal(c->rights[2], 0);

    c = &r.sc.chans[ID_DB];
    assert_string_equal(c->name, "db");
    assert_int_equal(c->type, CFG_CHAN_DOORBELL);
    assert_int_equal(c->rights[0], CFG_RIGHT_SEND);
    assert_int_equal(c->rights[1], CFG_RIGHT_RECV);
    assert_int_equal(c->to_vm, 1);
    assert_int_equal(c->intid, 40);
    assert_int_equal(c->rate_count, 0); /* no rate-limit: unlimited */

    c = &r.sc.chans[ID_SEM];
    assert_int_equal(c->type, CFG_CHAN_SEM);
    assert_int_equal(c->sem_initial, 1);
    assert_int_equal(c->sem_max, 4);
    assert_int_equal(c->rights[0], CFG_RIGHT_WAIT | CFG_RIGHT_POST);
    assert_int_equal(c->rights[1], CFG_RIGHT_WAIT | CFG_RIGHT_POST);

    c = &r.sc.chans[ID_MTX];
    assert_int_equal(c->type, CFG_CHAN_MUTEX);
    assert_int_equal(c->rights[0], CFG_RIGHT_LOCK);
    assert_int_equal(c->rights[1], CFG_RIGHT_LOCK);

    c = &r.sc.chans[ID_Q];
    assert_int_equal(c->type, CFG_CHAN_MSGQ);
    assert_int_equal(c->depth, 8);
    assert_int_equal(c->msg_size, 64);
    assert_int_equal(c->rights[0], CFG_RIGHT_SEND);
    assert_int_equal(c->rights[1], CFG_RIGHT_RECV);
    assert_int_equal(c->rx_intid, 41);
    assert_int_equal(c->tx_intid, 42);

    assert_string_equal(cfg_chan_type_name(CFG_CHAN_SHMEM), "shmem");
    assert_string_equal(cfg_chan_type_name(CFG_CHAN_DOORBELL), "doorbell");
    assert_string_equal(cfg_chan_type_name(CFG_CHAN_SEM), "semaphore");
    assert_string_equal(cfg_chan_type_name(CFG_CHAN_MUTEX), "mutex");
    assert_string_equal(cfg_chan_type_name(CFG_CHAN_MSGQ), "msgq");
    assert_string_equal(cfg_chan_type_name(CFG_CHAN_TYPE_COUNT), "?");
}

/* Defaults and limits that are accepted. */
static void test_limits_ok(void **state)
{
    static const struct op ops[] = {
        DEL(SEM, "initial"), CELLS(SEM, "max", 65535), CELLS(Q, "depth", 64),
        CELLS(Q, "msg-size", 4096), DEL(Q, "rx-intid"), DEL(Q, "tx-intid"),
        CELLS(SHM, "size", 0, 0x4000000), CELLS(DB, "intid", 127), END,
    };
    static struct result r;

    (void)state;
    run_ops(ops, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.chans[ID_SEM].sem_initial, 0);
    assert_int_equal(r.sc.chans[ID_Q].rx_intid, 0);
    assert_int_equal(r.sc.chans[ID_SHM].shm_size, 64 * MIB);
}

/* A doorbell's rate-limit at both ends of its ranges is accepted and kept. */
static void test_doorbell_rate_limit_ok(void **state)
{
    static const struct op high[] = { CELLS(DB, "rate-limit", 1000000, 60000000), END };
    static const struct op low[] = { CELLS(DB, "rate-limit", 1, 1), END };
    static struct result r;

    (void)state;
    run_ops(high, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.chans[ID_DB].rate_count, 1000000);
    assert_int_equal(r.sc.chans[ID_DB].rate_period_us, 60000000);
    run_ops(low, PLAT_REF, &r);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.chans[ID_DB].rate_count, 1);
    assert_int_equal(r.sc.chans[ID_DB].rate_period_us, 1);
}

/* The exact line format, and that an invalid channel keeps its ID slot. */
static void test_line_format_and_ids(void **state)
{
    static const struct op ops[] = { STR(DB, "to", "ctl"), END };
    static struct result r;

    (void)state;
    run_ops(ops, PLAT_REF, &r);
    assert_int_equal(r.cap.count, 1);
    assert_string_equal(r.cap.lines[0], "cfg.dts: /channels/db: to: no VM named 'ctl'");
    assert_false(r.sc.chans[ID_DB].valid);
    assert_true(r.sc.chans[ID_SEM].valid);
    assert_string_equal(r.sc.chans[ID_SEM].name, "sem"); /* not renumbered */
}

/* A member VM that is itself refused blocks nothing and is not checked. */
static void test_invalid_vm_blocks_nobody(void **state)
{
    static const struct op ops[] = {
        CELLS(VM_B, "cpus", 1, 2),                 /* b conflicts with a: refused */
        CELLS(DEV0, "ipa", 0, 0x0a002000),         /* would hide db's IPC page in b */
        CELLS(SHM_B, "ipa", 0, 0x40000000),        /* would overlap b's RAM */
        END,
    };
    static struct result r;

    (void)state;
    run_ops(ops, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 1);
    assert_true(has_line(&r.cap, VM_B ": cpus: CPU 1 is already given to VM 'a'"));
    assert_false(r.sc.vms[1].valid);
    assert_int_equal(valid_chans(&r.sc), BASE_CHANS);
}

/* Without /channels there are no channels; two VMs raising the same INTID is fine. */
static void test_no_channels_and_intid_per_vm(void **state)
{
    static const struct op none[] = { DELNODE(CH), END };
    static const struct op ops[] = {
        NODE(CH, "db2"), STR(CH "/db2", "compatible", "bulkhead,doorbell"),
        STR(CH "/db2", "from", "b"), STR(CH "/db2", "to", "a"), CELLS(CH "/db2", "intid", 40),
        END,
    };
    static struct result r;

    (void)state;
    run_ops(none, PLAT_REF, &r);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.chan_count, 0);
    run_ops(ops, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(valid_chans(&r.sc), BASE_CHANS + 1);
}

/* A VM owns at most CFG_MAX_VM_SPIS virtual SPIs: b has its UART's and dev0's two (its power
 * button is off here: test_config_life counts it); 14 queues
 * sent and received by b add two each (31), db's one makes 32 and q's rx-intid is one too
 * many (added nodes come first): only q is refused (a channel error never refuses a VM). */
static void test_vm_spi_budget(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();
    char path[64], name[8];

    (void)state;
    build_base(fdt);
    set_u32(fdt, VM_B, "power-button", 0);
    for (uint32_t i = 0; i < 14; i++) {
        snprintf(name, sizeof(name), "p%u", i);
        snprintf(path, sizeof(path), CH "/%s", name);
        add_node(fdt, fix_path(fdt, CH), name);
        set_str(fdt, path, "compatible", "bulkhead,msgq");
        set_u32(fdt, path, "depth", 1);
        set_u32(fdt, path, "msg-size", 8);
        set_str(fdt, path, "senders", "b");
        set_str(fdt, path, "receivers", "b");
        set_u32(fdt, path, "rx-intid", 60 + 2 * i);
        set_u32(fdt, path, "tx-intid", 61 + 2 * i);
    }
    run_fdt(fdt, &plat, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 1);
    assert_string_equal(r.cap.lines[0], "cfg.dts: " CH "/q: rx-intid: VM 'b' would own more "
                                        "than 32 virtual SPIs (UART, devices, channels)");
    assert_true(r.sc.vms[1].valid);
    assert_int_equal(valid_chans(&r.sc), BASE_CHANS + 13);
}

/* n semaphores "s0".. under /channels (sequential-write API, so names may repeat). */
static void build_many(void *fdt, int n, bool same_name)
{
    const fdt32_t mem32[] = { 0, cpu_to_fdt32(32 * MIB) };
    char name[16];

    assert_int_equal(fdt_create(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property_string(fdt, "compatible", "bulkhead,scenario"), 0);
    assert_int_equal(fdt_begin_node(fdt, "vms"), 0);
    assert_int_equal(fdt_begin_node(fdt, "vm0"), 0);
    assert_int_equal(fdt_property_string(fdt, "compatible", "bulkhead,vm"), 0);
    assert_int_equal(fdt_property_string(fdt, "name", "a"), 0);
    assert_int_equal(fdt_property_u32(fdt, "cpus", 0), 0);
    assert_int_equal(fdt_property(fdt, "memory-size", mem32, sizeof(mem32)), 0);
    assert_int_equal(fdt_property_string(fdt, "kernel", "tg.bin"), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, "channels"), 0);
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "s%d", same_name ? 0 : i);
        assert_int_equal(fdt_begin_node(fdt, name), 0);
        assert_int_equal(fdt_property_string(fdt, "compatible", "bulkhead,semaphore"), 0);
        assert_int_equal(fdt_property_u32(fdt, "max", 1), 0);
        assert_int_equal(fdt_property_string(fdt, "members", "a"), 0);
        assert_int_equal(fdt_end_node(fdt), 0);
    }
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
}

static void test_too_many_channels(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    build_many(fdt, CFG_MAX_CHANS + 1, false);
    run_fdt(fdt, &plat, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 1);
    assert_string_equal(r.cap.lines[0], "cfg.dts: /channels/s32: (node): too many channels "
                                        "(at most 32)");
    assert_int_equal(r.sc.chan_count, CFG_MAX_CHANS);
    assert_int_equal(valid_chans(&r.sc), CFG_MAX_CHANS);
}

/* dtc merges nodes of the same name, but a hand-made blob can repeat one. */
static void test_duplicate_name(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    build_many(fdt, 2, true);
    run_fdt(fdt, &plat, &r);
    assert_int_equal(r.cap.count, 1);
    assert_string_equal(r.cap.lines[0], "cfg.dts: /channels/s0: (node): channel name 's0' is "
                                        "used twice");
    assert_true(r.sc.chans[0].valid);
    assert_false(r.sc.chans[1].valid);
}

/* The engine accepts what the parser produced, and the listing matches it. */
static void test_engine_from_scenario(void **state)
{
    static const struct op none[] = { END };
    static struct result r;
    static struct ipc ipc;
    struct ipc_waiter a = { 0 }, b = { 0 };
    struct ipc_notify n;
    struct ipc_obj_info info;
    char buf[64];
    size_t len;

    (void)state;
    run_ops(none, PLAT_REF, &r);
    assert_int_equal(ipc_init(&ipc, &r.sc), 0);
    ipc_waiter_init(&a, 0, 0);
    ipc_waiter_init(&b, 1, 0);
    assert_int_equal(ipc_sem_wait(&ipc, &b, ID_SEM, false), 0); /* initial 1 */
    assert_int_equal(ipc_sem_wait(&ipc, &b, ID_SEM, false), -BH_EBUSY);
    assert_int_equal(ipc_msgq_send(&ipc, &a, ID_Q, "ping", 4, false, &n), 0);
    assert_int_equal(n.irq_count, 1);
    assert_int_equal(n.irqs[0].vm, 1);
    assert_int_equal(n.irqs[0].intid, 41);
    assert_int_equal(ipc_msgq_recv(&ipc, &b, ID_Q, buf, sizeof(buf), &len, false, &n), 0);
    assert_int_equal(len, 4);

    assert_true(ipc_vm_object(&r.sc, 1, ID_DB, &info));
    assert_int_equal(info.intid, 40);
    assert_int_equal(info.regs_ipa, VPLAT_IPC_IPA + ID_DB * VPLAT_IPC_STRIDE);
    assert_true(ipc_vm_object(&r.sc, 0, ID_SHM, &info));
    assert_int_equal(info.rights, CFG_RIGHT_READ | CFG_RIGHT_WRITE);
}

/*
 * A channel with several problems reports every one of them in one run (issue 9: only the
 * first was): two unknown VM names in one list, a string where a cell is expected, and an
 * INTID that collides in the VM it is raised in, each with its own line.
 */
static void test_all_errors_reported(void **state)
{
    static const struct op ops[] = {
        RAW(DB, "from", "x\0y", 4), STR(SEM, "max", "two"), CELLS(DB, "to", 0), END,
    };
    static const struct op ops2[] = { RAW(DB, "from", "x\0a", 4), CELLS(DB, "intid", 48), END };
    static struct result r;

    (void)state;
    run_ops(ops, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 4);
    assert_true(has_line(&r.cap, "cfg.dts: " DB ": from: no VM named 'x'"));
    assert_true(has_line(&r.cap, "cfg.dts: " DB ": from: no VM named 'y'"));
    assert_true(has_line(&r.cap, "cfg.dts: " DB ": to: must be a list of VM names"));
    assert_true(has_line(&r.cap, "cfg.dts: " SEM ": max: expected one <u32> cell, got the "
                                 "string 'two'"));
    assert_int_equal(valid_chans(&r.sc), BASE_CHANS - 2);

    /* a property error does not hide the checks against the VMs: the INTID is still checked */
    run_ops(ops2, PLAT_REF, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 2);
    assert_true(has_line(&r.cap, "cfg.dts: " DB ": from: no VM named 'x'"));
    assert_true(has_line(&r.cap, "cfg.dts: " DB ": intid: INTID 48 is given to passthrough "
                                 "device 'dev0' in VM 'b'"));
    assert_false(r.sc.chans[ID_DB].valid);
}

int main(void)
{
    static struct CMUnitTest table[CASE_COUNT];
    const struct CMUnitTest others[] = {
        cmocka_unit_test(test_base_values),
        cmocka_unit_test(test_limits_ok),
        cmocka_unit_test(test_doorbell_rate_limit_ok),
        cmocka_unit_test(test_line_format_and_ids),
        cmocka_unit_test(test_invalid_vm_blocks_nobody),
        cmocka_unit_test(test_no_channels_and_intid_per_vm),
        cmocka_unit_test(test_vm_spi_budget),
        cmocka_unit_test(test_too_many_channels),
        cmocka_unit_test(test_duplicate_name),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_engine_from_scenario),
    };

    for (size_t i = 0; i < CASE_COUNT; i++) {
        table[i] = (struct CMUnitTest){ .name = cases[i].name, .test_func = run_case,
                                        .initial_state = (void *)&cases[i] };
    }
    int failed = cmocka_run_group_tests_name("config_chan", others, NULL, NULL);
    failed += _cmocka_run_group_tests("config_chan errors", table, CASE_COUNT, NULL, NULL);
    return failed != 0;
}
