// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_sched.c: per-pCPU scheduling policies (/schedule), VMs
 * sharing a pCPU, budgets and partition windows (docs/SCHEDULING.md). The base scenario has
 * VMs a and b on CPU 1 and c on CPU 2; each row changes it and names the VMs that must stay
 * valid, the policy CPU 1 ends up with and the one error line expected (if any).
 */
#include "cfg_fixture.h"

#define FDT_BUF   8192
#define FILE_NAME "cfg.dts"
#define BIT_A 1u
#define BIT_B 2u
#define BIT_C 4u

struct sched_case {
    const char *name;
    struct op ops[8];
    unsigned valid;     /* bit i: VM i valid */
    uint8_t policy1;    /* CPU 1's policy afterwards */
    const char *error;  /* NULL: none */
    int lines;          /* error lines when more than the one (a bad node also refuses b) */
};

#define PRIO1 NODE("/", "schedule"), NODE("/schedule", "cpu1"), CELLS("/schedule/cpu1", "cpu", 1)
#define PART1 PRIO1, STR("/schedule/cpu1", "policy", "partitions"), \
              CELLS("/schedule/cpu1", "major-frame-us", 10000)

static const struct sched_case cases[] = {
    { "no schedule: sharing refused", { END }, BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /vms/vm-b: cpus: CPU 1 is already given to VM 'a'" },
    { "priority: shared", { PRIO1, STR("/schedule/cpu1", "policy", "priority"), END },
      BIT_A | BIT_B | BIT_C, CFG_SCHED_PRIORITY, NULL },
    { "exclusive named: sharing refused",
      { PRIO1, STR("/schedule/cpu1", "policy", "exclusive"), END }, BIT_A | BIT_C,
      CFG_SCHED_EXCLUSIVE, "cfg.dts: /vms/vm-b: cpus: CPU 1 is already given to VM 'a'" },
    { "unknown policy", { PRIO1, STR("/schedule/cpu1", "policy", "fair"), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: policy: expected \"exclusive\", \"priority\" or \"partitions\"" , 2 },
    { "no cpu", { NODE("/", "schedule"), NODE("/schedule", "x"),
                  STR("/schedule/x", "policy", "priority"), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE, "cfg.dts: /schedule/x: cpu: missing required property" , 2 },
    { "cpu out of range", { PRIO1, CELLS("/schedule/cpu1", "cpu", 4),
                            STR("/schedule/cpu1", "policy", "priority"), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: cpu: CPU 4 does not exist (the platform has 4)" , 2 },
    { "budget within period",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"), CELLS("/vms/vm-a", "budget-us", 3000),
        CELLS("/vms/vm-a", "period-us", 10000), END },
      BIT_A | BIT_B | BIT_C, CFG_SCHED_PRIORITY, NULL },
    { "budget above period",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"), CELLS("/vms/vm-a", "budget-us", 3000),
        CELLS("/vms/vm-a", "period-us", 2000), END },
      BIT_B | BIT_C, CFG_SCHED_PRIORITY,
      "cfg.dts: /vms/vm-a: budget-us: 3000 us is more than period-us (2000 us)" },
    { "budget without period",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"), CELLS("/vms/vm-a", "budget-us", 3000),
        END },
      BIT_B | BIT_C, CFG_SCHED_PRIORITY,
      "cfg.dts: /vms/vm-a: period-us: budget-us and period-us go together" },
    { "budget too small",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"), CELLS("/vms/vm-a", "budget-us", 10),
        CELLS("/vms/vm-a", "period-us", 2000), END },
      BIT_B | BIT_C, CFG_SCHED_PRIORITY,
      "cfg.dts: /vms/vm-a: budget-us: 10 us is out of range (50..10000000)" },
    { "budget on an exclusive pCPU",
      { CELLS("/vms/vm-c", "budget-us", 100), CELLS("/vms/vm-c", "period-us", 200), END },
      BIT_A, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /vms/vm-c: budget-us: CPU 2 has policy \"exclusive\": budgets apply on pCPUs "
      "with policy \"priority\"", 2 },
    { "partitions: two windows",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 4000, 4000, 6000),
        RAW("/schedule/cpu1", "window-vms", "a\0b", 4), END },
      BIT_A | BIT_B | BIT_C, CFG_SCHED_PARTITIONS, NULL },
    { "partitions: overlap",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 5000, 4000, 6000),
        RAW("/schedule/cpu1", "window-vms", "a\0b", 4), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: window-us: window 1 starts at 4000 us: overlaps the previous "
      "window, which ends at 5000 us" , 2 },
    { "partitions: gap",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 3000, 4000, 6000),
        RAW("/schedule/cpu1", "window-vms", "a\0b", 4), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: window-us: window 1 starts at 4000 us: leaves a gap" , 2 },
    { "partitions: short of the frame",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 3000, 3000, 6000),
        RAW("/schedule/cpu1", "window-vms", "a\0b", 4), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: window-us: the windows end at 9000 us and leave the rest" , 2 },
    { "partitions: beyond the frame",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 3000, 3000, 8000),
        RAW("/schedule/cpu1", "window-vms", "a\0b", 4), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: window-us: window 1 ends beyond the major frame (10000 us)" , 2 },
    { "partitions: unknown VM",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 4000, 4000, 6000),
        RAW("/schedule/cpu1", "window-vms", "a\0x", 4), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: window-vms: window 1: no VM named 'x'" , 2 },
    { "partitions: names and windows differ",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 4000, 4000, 6000),
        STR("/schedule/cpu1", "window-vms", "a"), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: window-vms: 1 names for 2 windows" , 2 },
    { "partitions: a VM without a window",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 10000), STR("/schedule/cpu1", "window-vms", "a"),
        END },
      BIT_A | BIT_C, CFG_SCHED_PARTITIONS,
      "cfg.dts: /vms/vm-b: cpus: CPU 1 runs partitions and the VM owns no window there" },
    { "partitions: window of a VM elsewhere",
      { PART1, CELLS("/schedule/cpu1", "window-us", 0, 4000, 4000, 3000, 7000, 3000),
        RAW("/schedule/cpu1", "window-vms", "a\0b\0c", 6), END },
      BIT_A | BIT_B, CFG_SCHED_PARTITIONS,
      "cfg.dts: /vms/vm-c: cpus: owns window 2 of CPU 1's partitions but has no vCPU there" },
    { "window properties need partitions",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"),
        CELLS("/schedule/cpu1", "major-frame-us", 1000), END },
      BIT_A | BIT_C, CFG_SCHED_EXCLUSIVE,
      "cfg.dts: /schedule/cpu1: major-frame-us: only allowed with policy = \"partitions\"" , 2 },
    { "two nodes for one pCPU",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"), NODE("/schedule", "again"),
        CELLS("/schedule/again", "cpu", 1), STR("/schedule/again", "policy", "priority"), END },
      BIT_A | BIT_B | BIT_C, CFG_SCHED_PRIORITY,
      "cpu: CPU 1 has another schedule node already" },
    { "two watchdogs on one shared pCPU",
      { PRIO1, STR("/schedule/cpu1", "policy", "priority"), STR("/vms/vm-a", "watchdog", "sp805"),
        STR("/vms/vm-b", "watchdog", "sp805"), END },
      BIT_A | BIT_C, CFG_SCHED_PRIORITY,
      "cfg.dts: /vms/vm-b: watchdog: VM 'a' has a watchdog on CPU 1 already (one per pCPU)" },
};

static void build(void *fdt)
{
    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    /* fdt_add_subnode puts a node first: added in reverse, the VMs are a, b, c */
    fix_vm_props(fdt, add_node(fdt, vms, "vm-c"), "c", 2);
    fix_vm_props(fdt, add_node(fdt, fix_path(fdt, "/vms"), "vm-b"), "b", 1);
    fix_vm_props(fdt, add_node(fdt, fix_path(fdt, "/vms"), "vm-a"), "a", 1);
}

static void test_sched_table(void **state)
{
    static uint8_t fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct sched_case *t = &cases[i];
        unsigned valid = 0;
        build(fdt);
        for (const struct op *o = t->ops; o->kind != OP_END; o++) {
            fix_apply(fdt, o);
        }
        fix_run(fdt, FILE_NAME, &plat, NULL, &r);
        for (unsigned v = 0; v < r.sc.vm_count; v++) {
            valid |= r.sc.vms[v].valid ? 1u << v : 0;
        }
        if (r.ret != 0 || valid != t->valid || r.sc.sched[1].policy != t->policy1 ||
            r.cap.count != (t->lines ? t->lines : t->error ? 1 : 0) || (t->error && !has_line(&r.cap, t->error))) {
            print_error("case '%s': ret %d valid %#x policy %u errors %d\n", t->name, r.ret, valid,
                        r.sc.sched[1].policy, r.cap.count);
            dump_lines(&r.cap);
            fail();
        }
    }
}

/* The windows of a valid partition schedule are stored in order with their VMs. */
static void test_sched_windows_stored(void **state)
{
    static uint8_t fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();
    static const struct op ops[] = {
        PART1, CELLS("/schedule/cpu1", "window-us", 0, 4000, 4000, 6000),
        RAW("/schedule/cpu1", "window-vms", "b\0a", 4), END,
    };

    (void)state;
    build(fdt);
    for (const struct op *o = ops; o->kind != OP_END; o++) {
        fix_apply(fdt, o);
    }
    fix_run(fdt, FILE_NAME, &plat, NULL, &r);
    assert_int_equal(r.cap.count, 0);
    assert_true(cfg_sched_is_shared(&r.sc, 1));
    assert_false(cfg_sched_is_shared(&r.sc, 2));
    assert_int_equal(r.sc.sched[1].frame_us, 10000);
    assert_int_equal(r.sc.sched[1].window_count, 2);
    assert_int_equal(r.sc.sched[1].windows[0].vm, 1);
    assert_int_equal(r.sc.sched[1].windows[1].vm, 0);
    assert_int_equal(r.sc.sched[1].windows[1].start_us, 4000);
    assert_int_equal(r.sc.sched[1].windows[1].len_us, 6000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sched_table),
        cmocka_unit_test(test_sched_windows_stored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
