// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/vm/vm_stats.c: a VM's totals are its VM-wide part plus the counters of
 * each of its vCPUs, which live inside a larger per-vCPU structure (a stride apart); vCPUs
 * beyond n are not counted; counters the vCPUs do not have come from the VM-wide part alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <core/vm/vm_stats.h>

/* Shaped like struct vcpu: other fields around the counters. */
struct fake_vcpu {
    uint64_t before[5];
    struct vcpu_stats stats;
    uint8_t after[40];
};

static void fill(struct fake_vcpu *v, uint64_t base)
{
    memset(v, 0xa5, sizeof(*v)); /* the fields around must not be summed */
    for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
        v->stats.exits[c] = base + c;
    }
    v->stats.mmio_emulated = base * 10;
    v->stats.irqs_injected = base * 100;
    v->stats.faults = base + 1000;
    v->stats.denials = base + 2000;
}

static void test_totals_are_vm_part_plus_each_vcpu(void **state)
{
    (void)state;
    struct fake_vcpu v[4];
    struct vm_stats vm = { .mmio_emulated = 7, .irqs_injected = 11, .faults = 1, .denials = 2,
                           .events = 3, .events_dropped = 4, .restarts = 5, .starts = 6 };
    struct vm_stats out;

    vm.exits[EXIT_IRQ] = 9; /* none today, but summed if there were */
    for (unsigned i = 0; i < 4; i++) {
        fill(&v[i], (i + 1) * 1000000u);
    }
    vm_stats_total(&out, &vm, &v[0].stats, sizeof(v[0]), 4);
    for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
        assert_int_equal(out.exits[c], 10000000u + 4 * c + (c == EXIT_IRQ ? 9 : 0));
    }
    assert_int_equal(out.mmio_emulated, 7 + 100000000u);
    assert_int_equal(out.irqs_injected, 11 + 1000000000u);
    assert_int_equal(out.faults, 1 + 10000000u + 4000);
    assert_int_equal(out.denials, 2 + 10000000u + 8000);
    assert_int_equal(out.events, 3);
    assert_int_equal(out.events_dropped, 4);
    assert_int_equal(out.restarts, 5);
    assert_int_equal(out.starts, 6);
}

static void test_only_the_first_n_vcpus_count(void **state)
{
    (void)state;
    struct fake_vcpu v[3];
    struct vm_stats vm = { 0 };
    struct vm_stats out;

    for (unsigned i = 0; i < 3; i++) {
        fill(&v[i], (i + 1) * 100u);
    }
    vm_stats_total(&out, &vm, &v[0].stats, sizeof(v[0]), 2);
    assert_int_equal(out.exits[EXIT_HVC], 100 + 200);
    assert_int_equal(out.mmio_emulated, 1000 + 2000);
    vm_stats_total(&out, &vm, &v[0].stats, sizeof(v[0]), 0);
    assert_int_equal(out.exits[EXIT_HVC], 0);
    assert_int_equal(out.denials, 0);
}

static void test_vcpu_counters_own_cache_lines(void **state)
{
    (void)state;
    /* Two vCPUs on two pCPUs never write one cache line through their counters. */
    assert_int_equal(sizeof(struct vcpu_stats) % 64, 0);
    assert_int_equal(_Alignof(struct vcpu_stats), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_are_vm_part_plus_each_vcpu),
        cmocka_unit_test(test_only_the_first_n_vcpus_count),
        cmocka_unit_test(test_vcpu_counters_own_cache_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
