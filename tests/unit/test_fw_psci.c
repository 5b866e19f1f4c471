// SPDX-License-Identifier: MIT
/*
 * The firmware's PSCI 1.1 / SMCCC 1.1 answers (firmware/psci.c) with stand-in platform hooks:
 * the calls that do not return (entering EL2, CPU_OFF's idle, the power lines) jump back here
 * and record what they were asked; the CPU power-up hook (plat_cpu_power_on, which releases a
 * CPU the ZCU102 keeps off) records which CPUs it was asked for and what the target's state
 * was then. Built once per firmware platform (tests/unit/fw.mk).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/fw.h"

static jmp_buf back;
static struct {
    int power, wfi, cpu_init;
    uint64_t entry, x0, idle_cpu;
    unsigned powered_on, powered_cpu;
    int64_t state_at_power_on;
} seen;

#define CALL(cpu, fid, a1, a2, a3) ((int64_t)psci_call((cpu), (fid), (a1), (a2), (a3)))

void el3_sev(void) {}
void el3_wfe(void) {}
void el3_wfi(void) { seen.wfi++; }
void el3_cpu_init(unsigned cpu) { (void)cpu; seen.cpu_init++; }
uint64_t fw_stack_top(unsigned cpu) { return 0x1000u * (cpu + 1); }
void el3_power(bool reset) { seen.power = reset ? 2 : 1; longjmp(back, 1); }
void fw_el2_enter(uint64_t entry, uint64_t x0, uint64_t sp)
{
    (void)sp;
    seen.entry = entry;
    seen.x0 = x0;
    longjmp(back, 1);
}
void fw_cpu_idle(uint64_t sp, unsigned cpu) { (void)sp; seen.idle_cpu = cpu; longjmp(back, 1); }
void plat_cpu_power_on(unsigned cpu)
{
    seen.powered_on++;
    seen.powered_cpu = cpu;
    seen.state_at_power_on = CALL(0, 0xc4000004u, cpu, 0, 0); /* AFFINITY_INFO */
}
#define RAM 0x40000000u

static int setup(void **state)
{
    static const struct fw_platform plat = { .mpidr = { 0, 1, 2, 3 }, .cpu_count = 4,
                                             .ram_pa = RAM, .ram_size = 0x80000000u };
    (void)state;
    memset(&seen, 0, sizeof(seen));
    psci_init(&plat, 0);
    return 0;
}

/* The target CPU's side of CPU_ON: it takes its mailbox and enters EL2. */
static void run_target(unsigned cpu)
{
    if (setjmp(back) == 0) {
        psci_cpu_wait(cpu);
        fail_msg("psci_cpu_wait returned");
    }
}

static void test_fw_psci_versions_and_features(void **state)
{
    (void)state;
    assert_int_equal(CALL(0, 0x84000000u, 0, 0, 0), 0x10001);          /* PSCI 1.1 */
    assert_int_equal(CALL(0, 0x80000000u, 0, 0, 0), 0x10001);          /* SMCCC 1.1 */
    assert_int_equal(CALL(0, 0x8400000au, 0xc4000003u, 0, 0), 0);      /* FEATURES(CPU_ON) */
    assert_int_equal(CALL(0, 0x8400000au, 0x80000000u, 0, 0), 0);      /* FEATURES(SMCCC_VERSION) */
    assert_int_equal(CALL(0, 0x8400000au, 0x84000012u, 0, 0), -1);     /* MEM_PROTECT: no */
    assert_int_equal(CALL(0, 0x80000001u, 0x80000000u, 0, 0), 0);      /* ARCH_FEATURES */
    assert_int_equal(CALL(0, 0x80000001u, 0x80008000u, 0, 0), -1);     /* WORKAROUND_1: no */
    assert_int_equal(CALL(0, 0x84000006u, 0, 0, 0), 2);                /* no Trusted OS */
}

static void test_fw_psci_unknown_calls_are_not_supported(void **state)
{
    static const uint32_t fids[] = { 0x84000050u, 0xc4000013u, 0x82000000u, 0xc2000001u,
                                     0xb2000000u, 0x8600ff00u, 0xffffffffu, 0 };
    (void)state;
    for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
        assert_int_equal(CALL(1, fids[i], 1, 2, 3), -1);
    }
}

static void test_fw_psci_cpu_on_checks_target_and_entry(void **state)
{
    (void)state;
    assert_int_equal(CALL(0, 0xc4000003u, 4, RAM, 0), -2);             /* not present */
    assert_int_equal(CALL(0, 0xc4000003u, 0x100, RAM, 0), -2);         /* Aff1 != 0 */
    assert_int_equal(CALL(0, 0xc4000003u, 0x80000001u, RAM, 0), -2);   /* bit 31: not affinity */
    assert_int_equal(CALL(0, 0xc4000003u, 1, 0x0e000000u, 0), -9);     /* secure SRAM */
    assert_int_equal(CALL(0, 0xc4000003u, 1, RAM - 4, 0), -9);
    assert_int_equal(CALL(0, 0xc4000003u, 1, RAM + 0x80000000u, 0), -9); /* past RAM */
    assert_int_equal(CALL(0, 0xc4000003u, 1, RAM + 2, 0), -9);         /* misaligned */
    assert_int_equal(CALL(0, 0x84000004u, 1, 0, 0), 1);                /* still OFF */
    assert_int_equal(CALL(0, 0xc4000003u, 0, RAM, 0), -4);             /* the boot CPU is on */
}

static void test_fw_psci_cpu_on_off_cycle(void **state)
{
    (void)state;
    assert_int_equal(CALL(0, 0xc4000003u, 2, RAM + 0x1000, 0xabc), 0);
    assert_int_equal(CALL(0, 0xc4000004u, 2, 0, 0), 2);                /* ON_PENDING */
    assert_int_equal(CALL(1, 0xc4000003u, 2, RAM, 0), -5);             /* second caller */
    run_target(2);
    assert_int_equal(seen.entry, RAM + 0x1000);
    assert_int_equal(seen.x0, 0xabc);
    assert_int_equal(seen.cpu_init, 1);
    assert_int_equal(CALL(0, 0xc4000004u, 2, 0, 0), 0);                /* ON */
    assert_int_equal(CALL(0, 0xc4000003u, 2, RAM, 0), -4);             /* ALREADY_ON */
    assert_int_equal(CALL(0, 0xc4000004u, 2, 1, 0), -2);               /* level 1: no */
    if (setjmp(back) == 0) {
        CALL(2, 0x84000002u, 0, 0, 0);                                 /* CPU_OFF */
        fail_msg("CPU_OFF returned");
    }
    assert_int_equal(seen.idle_cpu, 2);
    assert_int_equal(CALL(0, 0x84000004u, 2, 0, 0), 1);                /* OFF again */
    assert_int_equal(CALL(0, 0xc4000003u, 2, RAM + 0x2000, 7), 0);     /* and back on */
    run_target(2);
    assert_int_equal(seen.entry, RAM + 0x2000);
    assert_int_equal(seen.x0, 7);
}

/* CPU_ON releases its target only once the target's mailbox is ready (ON_PENDING), exactly
 * once per accepted call, and a refused CPU_ON releases nothing. */
static void test_fw_psci_cpu_on_powers_up_the_target_after_arming(void **state)
{
    (void)state;
    assert_int_equal(CALL(0, 0xc4000003u, FW_MAX_CPUS, RAM, 0), -2);  /* no such CPU */
    assert_int_equal(CALL(0, 0xc4000003u, 1, RAM + 2, 0), -9);         /* bad entry */
    assert_int_equal(CALL(0, 0xc4000003u, 0, RAM, 0), -4);             /* already on */
    assert_int_equal(seen.powered_on, 0);
    assert_int_equal(CALL(0, 0xc4000003u, 3, RAM + 0x100, 9), 0);
    assert_int_equal(seen.powered_on, 1);
    assert_int_equal(seen.powered_cpu, 3);
    assert_int_equal(seen.state_at_power_on, 2);                       /* ON_PENDING */
    assert_int_equal(CALL(0, 0xc4000003u, 3, RAM, 0), -5);             /* pending: no more */
    assert_int_equal(seen.powered_on, 1);
    run_target(3);
    assert_int_equal(seen.entry, RAM + 0x100);
    assert_int_equal(seen.x0, 9);
}

/* SMC32 calls take the low halves of their arguments only. */
static void test_fw_psci_smc32_truncates_arguments(void **state)
{
    (void)state;
    assert_int_equal(CALL(0, 0x84000003u, UINT64_C(0xffffffff00000003), 
                          UINT64_C(0x1234567840000000), UINT64_C(0xdead00000005)), 0);
    run_target(3);
    assert_int_equal(seen.entry, RAM);
    assert_int_equal(seen.x0, 5);
}

static void test_fw_psci_suspend_off_and_reset(void **state)
{
    (void)state;
    assert_int_equal(CALL(0, 0xc4000001u, 1u << 16, RAM, 0), -2);      /* power down: no */
    assert_int_equal(CALL(0, 0xc4000001u, 0, RAM, 0), 0);              /* standby */
    assert_int_equal(seen.wfi, 1);
    if (setjmp(back) == 0) {
        CALL(0, 0x84000008u, 0, 0, 0);
    }
    assert_int_equal(seen.power, 1);
    if (setjmp(back) == 0) {
        CALL(0, 0x84000009u, 0, 0, 0);
    }
    assert_int_equal(seen.power, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fw_psci_versions_and_features, setup),
        cmocka_unit_test_setup(test_fw_psci_unknown_calls_are_not_supported, setup),
        cmocka_unit_test_setup(test_fw_psci_cpu_on_checks_target_and_entry, setup),
        cmocka_unit_test_setup(test_fw_psci_cpu_on_off_cycle, setup),
        cmocka_unit_test_setup(test_fw_psci_cpu_on_powers_up_the_target_after_arming, setup),
        cmocka_unit_test_setup(test_fw_psci_smc32_truncates_arguments, setup),
        cmocka_unit_test_setup(test_fw_psci_suspend_off_and_reset, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
