// SPDX-License-Identifier: MIT
/*
 * The hypervisor's side of the secure services (docs/TRUST.md "Secure services",
 * include/bulkhead/secsvc.h): it probes for Bulkhead's EL3 firmware at boot, measures each VM
 * image into the firmware's log (arch/secfw.h), forwards the TRNG calls of VMs the policy
 * allows, and serves the key-store and attestation hypercalls (BH_HC_SEC_*).
 *
 * A guest's buffers are IPAs: each is bounded to the VM's RAM (never a device window, never
 * another VM's memory), copied into this pCPU's bounce buffer, and only the bounce buffer's
 * physical address reaches the secure world, with the VM's client id (index + 1) in w7 as
 * SMCCC and Xen's TEE mediator do. The result is copied back to the guest's output buffer
 * only up to the length the firmware returned and the guest's capacity. The bounce buffers
 * are cleaned to the point of coherency before the call and invalidated after it: the
 * firmware runs with its MMU (and caches) off.
 */
#include "secfw_priv.h"

#include <arch/cpu.h>
#include <arch/secfw.h>
#include <arch/sysreg.h>
#include <bulkhead/abi.h>
#include <bulkhead/secsvc.h>
#include <core/dev/secpolicy.h>
#include <core/dev/smccc.h>
#include <core/hyp.h>
#include <core/vm/vm.h>
#include <lib/string.h>

#define BOUNCE_BYTES (BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD + 64)

/* Per pCPU: a vCPU owns its pCPU, so one call at a time uses each. */
static struct {
    uint8_t in[BOUNCE_BYTES];
    uint8_t out[BOUNCE_BYTES];
} bounce[PLATINFO_MAX_CPUS] __attribute__((aligned(64)));

static bool fw_present;

bool arch_secfw_present(void)
{
    return fw_present;
}

static int64_t call(uint32_t fid, uint32_t client, uint64_t a1, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
    struct secfw_regs r = { .x = { fid, a1, a2, a3, a4, 0, 0, client } };

    secfw_smc(&r);
    return (int64_t)r.x[0];
}

/* Clean (before the call) or invalidate (after) a buffer the firmware reads or writes. */
void secfw_cache_range(const void *p, uint64_t len, bool invalidate)
{
    uint64_t line = 4u << (sysreg_read(ctr_el0) >> 16 & 0xf);
    uint64_t a = (uintptr_t)p & ~(line - 1), end = (uintptr_t)p + len;

    for (; a < end; a += line) {
        if (invalidate) {
            __asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
        } else {
            __asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
        }
    }
    __asm__ volatile("dsb sy" : : : "memory");
}

/* Boot: is Bulkhead's firmware beneath us? Its null call answers 0; QEMU's built-in PSCI
 * and other firmware answer NOT_SUPPORTED for an unknown SiP call. */
bool secfw_probe(void)
{
    fw_present = hyp_plat.psci == PLATINFO_PSCI_SMC &&
                 call(BH_SEC_NULL, BH_SEC_CLIENT_HYP, 0, 0, 0, 0) == BH_OK;
    return fw_present;
}

int64_t arch_secfw_measure_vm(unsigned vm, const uint8_t digest[32])
{
    uint8_t *b = bounce[arch_cpu_id()].in;

    if (!fw_present) {
        return BH_E_NOT_SUPPORTED;
    }
    memcpy(b, digest, 32);
    secfw_cache_range(b, 32, false);
    return call(BH_SEC_MEASURE_VM, vm + 1, (uintptr_t)b, 0, 0, 0);
}

void arch_secfw_measure_done(void)
{
    if (fw_present) {
        (void)call(BH_SEC_MEASURE_DONE, BH_SEC_CLIENT_HYP, 0, 0, 0, 0);
    }
}

int64_t arch_secfw_log_read(uint64_t idx, uint32_t *what, uint8_t digest[32])
{
    struct secfw_regs r = { .x = { BH_SEC_LOG_READ, idx, 0, 0, 0, 0, 0, BH_SEC_CLIENT_HYP } };

    if (!fw_present) {
        return BH_E_NOT_SUPPORTED;
    }
    secfw_smc(&r);
    if ((int64_t)r.x[0] < 0) {
        return (int64_t)r.x[0];
    }
    *what = (uint32_t)r.x[0];
    for (unsigned i = 0; i < 32; i++) {
        digest[i] = (uint8_t)(r.x[1 + i / 8] >> (8 * (i % 8)));
    }
    return 0;
}

/* A TRNG call of a VM the policy allowed (vsmccc.c): forwarded with its client id. The
 * arguments of an SMC32 ID (TRNG_RND32, TRNG_FEATURES) are W registers (DEN0028 2.6): their
 * upper halves are not the guest's to pass on. */
void secfw_trng(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    uint64_t m = (fid & SMCCC_FID_64) ? UINT64_MAX : UINT32_MAX;
    struct secfw_regs r = { .x = { fid, f->x[1] & m, f->x[2] & m, f->x[3] & m, 0, 0, 0,
                                   v->vm->id + 1 } };

    secfw_smc(&r);
    for (unsigned i = 0; i < 4; i++) {
        f->x[i] = r.x[i];
    }
}

/* The host address of the guest's [ipa, ipa + len) when it lies in the VM's RAM and len is
 * 1..max (secpolicy_buffer_ok); NULL otherwise. */
static void *guest_buf(const struct vm *vm, uint64_t ipa, uint64_t len, uint64_t max)
{
    if (!secpolicy_buffer_ok(vm->mem_ipa, vm->mem_size, ipa, len, max)) {
        return NULL;
    }
    return vm_ipa_to_host(vm, ipa);
}

/*
 * One key-store or attestation call: in = the guest's input (in_len bytes), out = where the
 * result goes (out_cap bytes at most); fixed-size results pass their size as both.
 */
static int64_t forward(struct vcpu *v, uint32_t sec_fid, uint64_t in_ipa, uint64_t in_len,
                       uint64_t out_ipa, uint64_t out_cap)
{
    struct vm *vm = v->vm;
    const void *gin = guest_buf(vm, in_ipa, in_len, BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD);
    void *gout = guest_buf(vm, out_ipa, out_cap, UINT64_MAX);
    uint8_t *bin = bounce[v->pcpu].in, *bout = bounce[v->pcpu].out;
    uint64_t cap = out_cap < BOUNCE_BYTES ? out_cap : BOUNCE_BYTES;

    if (gin == NULL || gout == NULL) {
        return BH_E_INVAL;
    }
    memcpy(bin, gin, (size_t)in_len); /* the guest may change its copy meanwhile: not ours */
    secfw_cache_range(bin, in_len, false);
    secfw_cache_range(bout, cap, true);
    int64_t r = call(sec_fid, vm->id + 1, (uintptr_t)bin, in_len, (uintptr_t)bout, cap);
    if (r > 0 && (uint64_t)r <= cap) {
        secfw_cache_range(bout, (uint64_t)r, true);
        memcpy(gout, bout, (size_t)r);
    } else if (r > 0) {
        r = BH_E_RANGE; /* the firmware never returns more than asked: be sure all the same */
    }
    memset(bin, 0, (size_t)in_len);
    memset(bout, 0, (size_t)cap);
    return r;
}

/* BH_HC_SEC_* (bulkhead/abi.h), after the VM's policy allowed the call (vsmccc.c). */
bool secfw_vm_call(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    int64_t r;

    if (!fw_present) {
        f->x[0] = (uint64_t)(int64_t)BH_E_NOT_SUPPORTED;
        return true;
    }
    switch (fid) {
    case BH_HC_SEC_NULL:
        r = call(BH_SEC_NULL, v->vm->id + 1, 0, 0, 0, 0);
        break;
    case BH_HC_SEC_SEAL:
    case BH_HC_SEC_UNSEAL:
        r = forward(v, fid == BH_HC_SEC_SEAL ? BH_SEC_SEAL : BH_SEC_UNSEAL, f->x[1], f->x[2],
                    f->x[3], f->x[4]);
        break;
    case BH_HC_SEC_SIGN:
        r = forward(v, BH_SEC_SIGN, f->x[1], f->x[2], f->x[3], BH_SEC_SIG_BYTES);
        break;
    case BH_HC_SEC_DERIVE:
        r = forward(v, BH_SEC_DERIVE, f->x[1], f->x[2], f->x[3], BH_SEC_KEY_BYTES);
        break;
    case BH_HC_SEC_ATTEST:
        r = forward(v, BH_SEC_ATTEST, f->x[1], BH_SEC_NONCE_BYTES, f->x[2], f->x[3]);
        break;
    default:
        return false;
    }
    f->x[0] = (uint64_t)r;
    return true;
}
