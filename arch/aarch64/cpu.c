// SPDX-License-Identifier: MIT
/*
 * Physical CPUs at EL2: secondary bring-up, the idle loop, entering a vCPU from reset and
 * leaving it (park). A pCPU that has no running vCPU waits in WFI with interrupts masked and
 * polls the GIC when woken, so it never spins (required under QEMU -icount).
 */
#include <arch/cpu.h>

#include <arch/frame.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <core/hyp.h>
#include <lib/string.h>
#include <core/vm/vm.h>
#include <drivers/gic.h>
#include <drivers/pvpanic.h>

#include "deadline.h"
#include "mmu.h"
#include "pmu.h"
#include "rr_slice.h"
#include "sched_cpu.h"
#include "trap.h"
#include "vdebug.h"
#include "vpmu.h"
#include "vtimer.h"

struct pcpu pcpus[MAX_CPUS];
static uint64_t bench_first_vm_insns;
unsigned pcpu_count;
uint8_t pcpu_stacks[MAX_CPUS][PCPU_STACK_BYTES] __attribute__((aligned(16))) __noclear;

/* Guest-visible hypervisor configuration; see arch/sysreg.h for the bits. WFI traps (TWI) for
 * a VM with wfi-trap (vcpu_reset_el1): the vCPU sleeps in arch_vcpu_idle, so its idle time is
 * measured (docs/MANAGEMENT.md); WFE never does (spin-lock waits stay in the guest). Set/way cache
 * maintenance (DC ISW/CSW/CISW) is not trapped (no HCR_TSW): with HCR_EL2.VM set the
 * hardware upgrades it to clean+invalidate, so no VM can lose another's data, but a VM that
 * uses it does disturb the others' cache timing (KVM traps and emulates it instead). */
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_BSU_IS | HCR_TSC | HCR_RW | \
                   HCR_GUEST_ID_TRAPS)
/* ID registers (TID3), IMPLEMENTATION DEFINED registers (TIDCP: refused) and ACTLR_EL1 (TACR)
 * trap, so a VM sees sanitised identity and cannot change core- or cluster-wide IMPDEF
 * controls (docs/VIRTUAL-CPU.md). */
#define HCR_GUEST_ID_TRAPS (HCR_TID3 | HCR_TIDCP | HCR_TACR)
/* MDCR_EL2: every PMU (TPM, TPMCR) and debug register (TDA, TDOSA, TDRA) access traps and is
 * emulated on this pCPU's hardware (vpmu.c, vdebug.c); TDE stays clear, so debug exceptions
 * go to the guest's EL1 and none can be taken at EL2. HPMN/HPME come from pmu.c. */
#define MDCR_GUEST (MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)
/* VTCR_EL2: T0SZ 25 (39-bit IPA), SL0 = 1 (start at level 1), WBWA, inner shareable, 4K,
 * PS = 40 bits; bit 31 RES1. */
#define VTCR_VALUE ((64 - PT_IA_BITS) | (UINT64_C(1) << 6) | (UINT64_C(1) << 8) | \
                    (UINT64_C(1) << 10) | (UINT64_C(3) << 12) | (UINT64_C(2) << 16) | BIT(31))

unsigned arch_cpu_id(void)
{
    return (unsigned)sysreg_read(tpidr_el2);
}

uint64_t arch_ticks_to_ns(uint64_t cnt)
{
    uint64_t frq = sysreg_read(cntfrq_el0);

    if (!frq) {
        return 0;
    }
    return (cnt / frq) * UINT64_C(1000000000) + (cnt % frq) * UINT64_C(1000000000) / frq;
}

uint64_t arch_now_ns(void)
{
    return arch_ticks_to_ns(sysreg_read(cntpct_el0));
}

void arch_wake_all(void)
{
    dsb(ish);
    sev();
}

#define CLEAN_UNROLL   4

/*
 * Long EL2 work (clearing a VM's RAM and loading its images: megabytes on every start) goes
 * in chunks with a YIELD between them. On hardware YIELD is a hint that costs nothing; QEMU's
 * single-threaded round robin (-icount) ends this CPU's turn there, so the other CPUs are not
 * held up for the whole job (a real-time peer saw up to 3.9 ms of response time and 149
 * missed deadlines while a manager restarted a VM 100 times; with the chunks, none).
 */
#define GUEST_CHUNK (UINT64_C(64) << 10)

static uint64_t dcache_line(void)
{
    return 4u << (sysreg_read(ctr_el0) >> 16 & 0xf);
}

/* Clean [pa, pa + size) to the point of coherency, four lines a round. */
static void clean_range(uint64_t pa, uint64_t size, uint64_t line)
{
    uint64_t a = pa & ~(line - 1), stop = pa + size;

    for (; a + CLEAN_UNROLL * line <= stop; a += CLEAN_UNROLL * line) {
        __asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
        __asm__ volatile("dc cvac, %0" : : "r"(a + line) : "memory");
        __asm__ volatile("dc cvac, %0" : : "r"(a + 2 * line) : "memory");
        __asm__ volatile("dc cvac, %0" : : "r"(a + 3 * line) : "memory");
    }
    for (; a < stop; a += line) {
        __asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
    }
}

/* clear.S: zero [p, p + n) (multiples of CLEAR_GROUP) writing only groups that are not zero
 * already; returns how many groups it wrote. Uses SIMD registers (it keeps their contents). */
uint64_t arch_clear_nonzero(uint8_t *p, uint64_t n, uint64_t line);
#define CLEAR_GROUP 256u

/* The unaligned head and tail (under CLEAR_GROUP bytes each) with stores, the rest with
 * arch_clear_nonzero: untouched RAM stays untouched (clear.S says why and why it is safe). */
static void zero_chunk(uint8_t *p, uint8_t *end, uint64_t line)
{
    uintptr_t a = ((uintptr_t)p + CLEAR_GROUP - 1) & ~(uintptr_t)(CLEAR_GROUP - 1);
    uintptr_t b = (uintptr_t)end & ~(uintptr_t)(CLEAR_GROUP - 1);

    if (a >= b) {
        memset(p, 0, (size_t)(end - p));
        clean_range((uint64_t)(uintptr_t)p, (uint64_t)(end - p), line);
        return;
    }
    memset(p, 0, (size_t)(a - (uintptr_t)p));
    clean_range((uint64_t)(uintptr_t)p, (uint64_t)(a - (uintptr_t)p), line);
    memset((void *)b, 0, (size_t)((uintptr_t)end - b));
    clean_range((uint64_t)b, (uint64_t)((uintptr_t)end - b), line);
    (void)arch_clear_nonzero((uint8_t *)a, (uint64_t)(b - a), line);
}

void arch_zero_guest_memory(uint64_t pa, uint64_t size)
{
    uint64_t line = dcache_line();
    /* a vCPU of a shared pCPU may have FP/SIMD trapped (lazy switch, vcpu_switch.c): the trap
     * applies to EL2 too, and clear.S reads with SIMD registers (as arch_sha256 does). */
    uint64_t cptr = sysreg_read(cptr_el2);

    if (cptr & CPTR_EL2_TFP) {
        sysreg_write(cptr_el2, cptr & ~(uint64_t)CPTR_EL2_TFP);
        isb();
    }
    for (uint64_t off = 0; off < size; off += GUEST_CHUNK) {
        uint64_t n = size - off < GUEST_CHUNK ? size - off : GUEST_CHUNK;
        uint8_t *p = (uint8_t *)(uintptr_t)(pa + off);

        zero_chunk(p, p + n, line);
        __asm__ volatile("yield");
    }
    dsb(ish);
    if (cptr & CPTR_EL2_TFP) {
        sysreg_write(cptr_el2, cptr);
        isb();
    }
}

void arch_load_guest_memory(uint64_t pa, const void *src, uint64_t size)
{
    uint64_t line = dcache_line();
    const uint8_t *s = src;

    for (uint64_t off = 0; off < size; off += GUEST_CHUNK) {
        uint64_t n = size - off < GUEST_CHUNK ? size - off : GUEST_CHUNK;

        memcpy((void *)(uintptr_t)(pa + off), s + off, (size_t)n);
        clean_range(pa + off, n, line);
        __asm__ volatile("yield");
    }
    dsb(ish);
    __asm__ volatile("ic ialluis" ::: "memory");
    dsb(ish);
    isb();
}

void arch_tlb_flush_vmid(uint64_t vttbr)
{
    sysreg_write(vttbr_el2, vttbr);
    isb();
    __asm__ volatile("tlbi vmalls12e1is" ::: "memory");
    dsb(ish);
    isb();
}

/* Per-CPU EL2 state that does not depend on the VM. */
static void cpu_hyp_setup(void)
{
    sysreg_write(hcr_el2, HCR_GUEST);
    sysreg_write(vtcr_el2, VTCR_VALUE);
    /* Guests read the physical counter, never program the physical timer (it traps). */
    /* The event stream (EVNTEN, every 2^(EVNTI+1) counter ticks: ~33 us at 62.5 MHz) bounds
     * every WFE at EL2, so waits with a deadline always re-check it. */
    sysreg_write(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EVNTEN | FIELD_PREP(CNTHCTL_EVNTI, 10));
    sysreg_write(cntvoff_el2, 0);
    sysreg_write(mdcr_el2, MDCR_GUEST | pmu_mdcr_bits());
    pmu_init_cpu();
    sysreg_write(vpidr_el2, sysreg_read(midr_el1));
    sysreg_write(hstr_el2, 0);
    isb();
}

void pcpu_local_init(void)
{
    unsigned cpu = arch_cpu_id();

    cpu_hyp_setup();
    gic_cpu_init(pcpus[cpu].mpidr);
    gic_enable(GIC_SGI_KICK, true);
    gic_enable(GIC_SGI_SCHED, true);
    gic_enable(GIC_PPI_MAINT, true);
    gic_enable(hyp_plat.timer_intid[PLATINFO_TIMER_VIRT], true);
    deadline_init_cpu();
    arch_deadline_bind(cpu, ARCH_DEADLINE_PTIMER, vtimer_ptimer_deadline, NULL);
    gic_enable(hyp_plat.timer_intid[PLATINFO_TIMER_HYP], true);
    gic_enable(GIC_SGI_DEADLINE, true);
    vpmu_silence();
    gic_enable(VPMU_INTID, true);
    vgic_hw_reset_cpu();
}

void boot_secondary(unsigned cpu);
void boot_secondary(unsigned cpu)
{
    mmu_enable();
    pcpu_local_init();
    pcpus[cpu].online = true;
    arch_wake_all();
    pcpu_idle();
}

/* Reset the EL1 and virtual-interface state a vCPU starts with (PSCI CPU_ON semantics). */
static void vcpu_reset_el1(struct vcpu *v)
{
    sysreg_write(sctlr_el1, SCTLR_EL1_RESET);
    sysreg_write(cpacr_el1, 0);
    sysreg_write(cntv_ctl_el0, 0);
    sysreg_write(cntkctl_el1, 0);
    vtimer_ptimer_reset(v);
    sysreg_write(vbar_el1, 0);
    sysreg_write(vmpidr_el2, BIT(31) | v->idx);
    /* a shared pCPU always traps WFI: an idle vCPU gives the pCPU away (sched_block) */
    sysreg_write(hcr_el2, HCR_GUEST | (v->vm->cfg->wfi_trap == CFG_WFI_TRAP_ON ||
                                       sched_is_shared(v->pcpu) ? HCR_TWI : 0));
    /* PMU and debug registers live in this pCPU's hardware: nothing of a previous VM
     * instance (or of boot) may show through. */
    vpmu_reset_cpu();
    vdebug_reset_cpu();
    vgic_hw_reset_cpu();
    isb();
}

void vcpu_enter_fresh(struct vcpu *v)
{
    unsigned cpu = arch_cpu_id();
    struct trap_frame *f = sched_vcpu_frame(v); /* pcpu_frame(cpu) unless shared */

    if (IS_ENABLED(CONFIG_BENCH) && cpu == 0 && !bench_first_vm_insns) {
        /* before vcpu_reset_el1 hands the cycle counter to the guest (vpmu_reset_cpu) */
        bench_first_vm_insns = pmu_cycles();
        hyp_printf("bulkhead: bench boot_insns_first_vm=%llu",
                   (unsigned long long)bench_first_vm_insns);
    }
    vcpu_reset_el1(v);
    if (v->entry_be) {
        sysreg_write(sctlr_el1, SCTLR_EL1_RESET | SCTLR_EE); /* the CPU_ON caller's endianness */
    }
    arch_tlb_flush_vmid(v->vm->vttbr);
    for (unsigned i = 0; i < 31; i++) {
        f->x[i] = 0;
    }
    f->x[0] = v->ctx_id; /* the device tree at a VM's start (vm_start), else CPU_ON's */
    f->elr = v->entry;
    f->spsr = PSR_DAIF | PSR_MODE_EL1H;
    v->on_since = arch_ticks();
    v->state = VCPU_RUNNING;
    rr_slice_resume(cpu);
    arch_wake_all();
    vcpu_return(v);
#ifdef CONFIG_FIQ_TEST
    static bool fiq_tested;
    if (cpu == 0 && !fiq_tested) {
        fiq_tested = true;
        trap_fiq_selftest();
    }
#endif
    guest_enter(f);
}

struct trap_frame *pcpu_frame(unsigned cpu)
{
    return (struct trap_frame *)(void *)(pcpu_stacks[cpu] + PCPU_STACK_BYTES -
                                         sizeof(struct trap_frame));
}

static void idle_loop(void *arg)
{
    (void)arg;
    unsigned cpu = arch_cpu_id();

    if (sched_is_shared(cpu)) {
        sched_idle_loop(cpu);
    }
    for (;;) {
        struct vcpu *v = pcpus[cpu].vcpu;
        if (v && v->state == VCPU_ON_PENDING && v->vm->state == VM_RUNNING) {
            vcpu_enter_fresh(v);
        }
        wfi();
        irq_poll(NULL);
        if (v) {
            /* an edge posted to this vCPU while it is off (or just as it went off) */
            vgic_inbox_fold(&v->vm->vgic, v->idx);
        }
    }
}

void pcpu_idle(void)
{
    unsigned cpu = arch_cpu_id();

    arch_run_on_fresh_stack(idle_loop, NULL, pcpu_frame(cpu));
    __builtin_unreachable();
}

void arch_vcpu_park(void)
{
    struct vcpu *v = pcpus[arch_cpu_id()].vcpu;

    /* Nothing of the guest may keep firing here: timers off, PMU interrupt masked, list
     * registers cleared. */
    sysreg_write(cntv_ctl_el0, 0);
    deadline_park();
    vpmu_silence();
    if (v) {
        vgic_vcpu_reset_hw(&v->vm->vgic, v->idx);
    } else {
        vgic_hw_reset_cpu();
    }
    if (v && v->on_since) {
        v->on_ticks += arch_ticks() - v->on_since; /* statistics (vm_vcpu_times) */
        v->on_since = 0;
    }
    if (v) {
        v->wait_kind = VCPU_WAIT_NONE; /* parked from inside a wait (a callback stopped it) */
    }
    if (v && v->state == VCPU_RUNNING) {
        v->state = VCPU_OFF;
    }
    if (v) {
        sched_park(v); /* a shared pCPU: its thread is dropped, the idle loop decides */
    }
    arch_wake_all();
    pcpu_idle();
}

void arch_power_off_failure(void)
{
    if (hyp_plat.has_pci && hyp_plat.pci_mem32.size != 0) {
        (void)pvpanic_signal(hyp_plat.pci_ecam.pa, hyp_plat.pci_mem32.pa);
    }
    arch_power_off(); /* no pvpanic-pci (or not QEMU): a plain power-off */
}

void arch_power_off(void)
{
    if (hyp_plat.psci == PLATINFO_PSCI_SMC) {
        smccc_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
    }
    for (;;) {
        wfi();
    }
}

int arch_s2_init(struct pgtable *pt)
{
    pt->alloc = mmu_table_alloc;
    pt->ctx = NULL;
    pt->to_pa = mmu_to_pa;
    pt->to_va = mmu_to_va;
    pt->root = mmu_table_alloc(NULL);
    return pt->root ? 0 : -BH_ENOMEM;
}

uint64_t arch_s2_vttbr(const struct pgtable *pt, uint16_t vmid)
{
    return ((uint64_t)vmid << 48) | mmu_to_pa(pt->root);
}

void arch_idle(void)
{
    pcpu_idle();
}

/* The wait's time limit as a counter value in the deadline set (deadline.c): its PPI wakes
 * WFI at the deadline. now_ns: the time the caller just read. */
static uint64_t wait_deadline_ticks(uint64_t deadline_ns, uint64_t now_ns)
{
    uint64_t frq = sysreg_read(cntfrq_el0);
    uint64_t delta_ns = deadline_ns > now_ns ? deadline_ns - now_ns : 0;
    uint64_t ticks = delta_ns / 1000 * (frq / 1000000) + 1;

    if (deadline_ns == UINT64_MAX) {
        return ARCH_DEADLINE_NEVER;
    }
    return sysreg_read(cntpct_el0) + ticks;
}

static void wait_deadline_arm(struct deadline_set *d, uint64_t deadline_ns, uint64_t now_ns)
{
    deadline_wait_arm(d, wait_deadline_ticks(deadline_ns, now_ns));
}

bool arch_vcpu_wait(struct vcpu *v, uint64_t deadline_ns, bool (*done)(void *), void *arg,
                    uint8_t kind, uint64_t *slept)
{
    /* With the virtual CPU interface enabled, a pending virtual interrupt in the LRs ends WFI
     * at once (QEMU, and allowed by the architecture): the wait would spin. Off while we
     * sleep; the guest gets its interrupts when the call returns. */
    uint64_t en = arch_vgic_read_hcr() & ICH_HCR_EN;
    uint64_t slept_since = 0; /* ticks at the first sleep; 0: none yet */
    bool ok = false, armed = false;
    struct deadline_set *d = deadline_wait_begin();

    for (;;) {
        if (done(arg)) {
            ok = true;
            break;
        }
        uint64_t now_ns = arch_now_ns();
        /* A deadline callback that must stop the VM (its watchdog fired) waits for the
         * guest context: the wait ends so that the vCPU gets there. */
        if (!vm_takes_input(v->vm) || now_ns >= deadline_ns || deadline_wait_must_end(d)) {
            break;
        }
        /* armed once; again only if it passed early (the tick rounding) */
        if (deadline_ns != UINT64_MAX && (!armed || deadline_wait_is_unarmed(d))) {
            wait_deadline_arm(d, deadline_ns, now_ns);
            armed = true;
        }
        if (!slept_since) {
            slept_since = arch_counter();
            if (kind != VCPU_WAIT_NONE) {
                v->wait_since = slept_since;
                __atomic_store_n(&v->wait_kind, kind, __ATOMIC_RELEASE);
            }
        }
        arch_vgic_write_hcr(arch_vgic_read_hcr() & ~ICH_HCR_EN);
        if (!sched_is_shared(v->pcpu)) {
            gic_resample(); /* QEMU's GICv2 (drivers/gic.h); nothing on GICv3 */
            wfi();
        } else if (sched_block(v, done, arg, wait_deadline_ticks(deadline_ns, now_ns))) {
            armed = false; /* another vCPU's wait may have had the slot */
        }
        irq_poll(v);
        /* Answer remote readers of our list registers (vgic_mmio_access) while we wait. */
        vgic_sync_lrs(&v->vm->vgic, v->idx);
    }
    deadline_wait_end(d);
    uint64_t ready = 0; /* shared pCPU: runnable without it, not asleep (sched_unblock) */
    if (sched_is_shared(v->pcpu)) {
        ready = sched_unblock(v);
    }
    arch_vgic_write_hcr(arch_vgic_read_hcr() | en); /* only En: a flush meanwhile owns UIE */
    if (slept_since) {
        rr_slice_resume(v->pcpu);
    }
    if (slept) {
        uint64_t span = slept_since ? arch_counter() - slept_since : 0;
        *slept = span - (ready < span ? ready : span);
    }
    return ok;
}

/* What woke a vCPU sleeping in a trapped WFI, handled as on an interrupt exit from the
 * guest (trap_guest_irq). Inline: the exclusive pCPUs' idle path keeps its count. */
static inline void take_wakeups(struct vcpu *v, struct vgic_vm *g)
{
    for (;;) {
        uint32_t intid = gic_ack();
        if (intid >= ICC_IAR_SPURIOUS) {
            break;
        }
        vgic_sync_flush_lrs(g, v->idx, irq_handle(v, intid));
        if (intid == GIC_SGI_KICK) {
            break; /* anything else pending interrupts again at once */
        }
    }
}

/* arch_vcpu_idle on a shared pCPU: the same, giving the pCPU away instead of sleeping
 * (sched_block); apart so the exclusive pCPUs' WFI keeps its instruction count. */
static void __attribute__((noinline, cold)) idle_shared(struct vcpu *v)
{
    struct vgic_vm *g = &v->vm->vgic;
    bool slept = false;

    /* The LRs as the way back into the guest would leave them (the exit did not sync). */
    vgic_sync_flush_lrs(g, v->idx, true);
    while (!vgic_lrs_signal() && v->vm->state == VM_RUNNING && v->state == VCPU_RUNNING) {
        if (!slept) {
            slept = true;
            v->wait_since = arch_counter();
            __atomic_store_n(&v->wait_kind, VCPU_WAIT_IDLE, __ATOMIC_RELEASE);
        }
        /* En off while asleep: a pending LR the guest masks must not end the WFI (QEMU) */
        uint64_t hcr = arch_vgic_read_hcr();
        arch_vgic_write_hcr(hcr & ~ICH_HCR_EN);
        bool back = sched_block(v, NULL, NULL, ARCH_DEADLINE_NEVER);
        arch_vgic_write_hcr(hcr);
        if (back) {
            /* switched out and back: the list registers went to the model; refill them. What
             * woke it (its timer's PPI, pending again once its CNTV_* are back) is still to be
             * taken below: without that it would block again at once and never see it. */
            vgic_sync_flush_lrs(g, v->idx, true);
        }
        take_wakeups(v, g);
    }
    uint64_t ready = sched_unblock(v); /* runnable without the pCPU: waiting, not idle */
    if (slept) {
        uint64_t span = arch_counter() - v->wait_since;
        v->idle_ticks += span - (ready < span ? ready : span);
        __atomic_store_n(&v->wait_kind, VCPU_WAIT_NONE, __ATOMIC_RELEASE);
        rr_slice_resume(v->pcpu);
    }
}

void arch_vcpu_idle(struct vcpu *v)
{
    struct vgic_vm *g = &v->vm->vgic;
    bool slept = false;

    if (sched_is_shared(v->pcpu)) {
        idle_shared(v);
        return;
    }

    /* The LRs as the way back into the guest would leave them (the exit did not sync). */
    vgic_sync_flush_lrs(g, v->idx, true);
    for (;;) {
        enum vgic_lrs lrs = vgic_lrs_check();
        if (lrs == VGIC_LRS_SIGNAL || v->vm->state != VM_RUNNING ||
            v->state != VCPU_RUNNING) {
            break;
        }
        if (!slept) {
            slept = true;
            v->wait_since = arch_counter();
            __atomic_store_n(&v->wait_kind, VCPU_WAIT_IDLE, __ATOMIC_RELEASE);
        }
        /* En off while asleep: a pending LR the guest masks must not end the WFI (QEMU).
         * With no LR in use and no maintenance enabled (the usual sleep: the guest took
         * everything before its WFI) nothing can, and the two ICH_HCR_EL2 writes are left
         * out: under QEMU each is a pass through its GIC model under its global lock, on
         * the wake-up path of every IPI to an idle vCPU (docs/PERFORMANCE.md "Wall clock"). */
        uint64_t hcr = arch_vgic_read_hcr();
        bool quiet = vgic_lrs_sleep_quiet(lrs, hcr);
        if (!quiet) {
            arch_vgic_write_hcr(hcr & ~ICH_HCR_EN);
        }
        gic_resample(); /* QEMU's GICv2 (drivers/gic.h); nothing on GICv3 */
        wfi();
        if (!quiet) {
            arch_vgic_write_hcr(hcr);
        }
        take_wakeups(v, g);
    }
    if (slept) {
        v->idle_ticks += arch_counter() - v->wait_since;
        __atomic_store_n(&v->wait_kind, VCPU_WAIT_NONE, __ATOMIC_RELEASE);
        rr_slice_resume(v->pcpu);
    }
}

void arch_irq_enable(uint32_t intid, bool enable)
{
    gic_enable(intid, enable);
}

void arch_irq_route(uint32_t intid, unsigned cpu)
{
    if (cpu < pcpu_count) {
        gic_route_spi(intid, pcpus[cpu].mpidr);
    }
}

/* CNTV_CTL_EL0 (ARM DDI 0487 D11.2.4): the timer asserts its output when enabled, the
 * condition is met (ISTATUS) and it is not masked. */
#define CNTV_CTL_ENABLE  BIT(0)
#define CNTV_CTL_IMASK   BIT(1)
#define CNTV_CTL_ISTATUS BIT(2)

bool arch_irq_line(uint32_t intid, unsigned cpu)
{
    (void)cpu;
    if (intid == hyp_plat.timer_intid[PLATINFO_TIMER_VIRT]) {
        uint64_t ctl = sysreg_read(cntv_ctl_el0);
        return (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS | CNTV_CTL_IMASK)) ==
               (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
    }
    if (intid == VPMU_INTID) {
        return vpmu_irq_line();
    }
    return gic_is_pending(intid);
}

void arch_irq_set_active(uint32_t intid, unsigned cpu, bool active)
{
    if (cpu < pcpu_count) {
        gic_set_active(intid, cpu, active);
    }
}

uint64_t arch_bench_cycles(void)
{
    return pmu_cycles();
}
