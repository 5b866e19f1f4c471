/* SPDX-License-Identifier: MIT */
/*
 * Guest-visible ABI of Bulkhead: hypercall function IDs and error codes. Hypercalls follow the
 * Arm SMC Calling Convention (DEN0028): fast calls, SMC64, owning entity 6 ("standard
 * hypervisor service calls" range used for vendor hypervisor services). See docs/ABI.md.
 */
#pragma once

#include <stdint.h>

/* SMCCC function-ID fields (DEN0028 section 2.5). */
#define BH_SMCCC_FAST_CALL     UINT32_C(0x80000000)
#define BH_SMCCC_SMC64         UINT32_C(0x40000000)
#define BH_SMCCC_OEN_SHIFT     24
#define BH_SMCCC_OEN_MASK      UINT32_C(0x3f)
#define BH_SMCCC_OEN_STD       4 /* standard secure services: PSCI */
#define BH_SMCCC_OEN_VENDOR_HYP 6

/* Bulkhead hypercalls: 0xC6000000 | number. */
#define BH_HC_BASE  (BH_SMCCC_FAST_CALL | BH_SMCCC_SMC64 | (UINT32_C(BH_SMCCC_OEN_VENDOR_HYP) << 24))
#define BH_HC_NULL  (BH_HC_BASE | 0x0000) /* does nothing, returns BH_OK (benchmarks) */
#define BH_HC_VERSION (BH_HC_BASE | 0x0001) /* returns ABI version (major << 16 | minor) */
#define BH_HC_VM_ID (BH_HC_BASE | 0x0002) /* returns the caller's VM index */
/* Benchmark builds only (CONFIG_BENCH): EL2 instructions retired so far on the calling pCPU. */
#define BH_HC_BENCH_EL2_INSNS (BH_HC_BASE | 0x0010)

/* Inter-VM communication (docs/ABI.md "Inter-VM communication"): x1 = object ID. */
#define BH_HC_IPC_INFO       (BH_HC_BASE | 0x0020) /* -> type | rights << 8 */
#define BH_HC_DOORBELL_RING  (BH_HC_BASE | 0x0021)
#define BH_HC_SEM_WAIT       (BH_HC_BASE | 0x0022) /* x2 timeout_ns */
#define BH_HC_SEM_POST       (BH_HC_BASE | 0x0023)
#define BH_HC_MUTEX_LOCK     (BH_HC_BASE | 0x0024) /* x2 timeout_ns -> 0 or BH_OWNER_DIED */
#define BH_HC_MUTEX_UNLOCK   (BH_HC_BASE | 0x0025)
#define BH_HC_MSGQ_SEND      (BH_HC_BASE | 0x0026) /* x2 buf ipa, x3 len, x4 timeout_ns */
#define BH_HC_MSGQ_RECV      (BH_HC_BASE | 0x0027) /* x2 buf ipa, x3 cap, x4 timeout -> len */
/* BH_HC_IPC_INFO: object types and the caller's rights (bit per right). */
#define BH_IPC_SHMEM         0
#define BH_IPC_DOORBELL      1
#define BH_IPC_SEMAPHORE     2
#define BH_IPC_MUTEX         3
#define BH_IPC_MSGQ          4
#define BH_IPC_RIGHT_READ    0x01u /* shmem mapped readable */
#define BH_IPC_RIGHT_WRITE   0x02u /* shmem mapped writable */
#define BH_IPC_RIGHT_SEND    0x04u /* doorbell: may ring; queue: may send */
#define BH_IPC_RIGHT_RECV    0x08u /* doorbell: is rung; queue: may receive */
#define BH_IPC_RIGHT_WAIT    0x10u /* semaphore: may wait */
#define BH_IPC_RIGHT_POST    0x20u /* semaphore: may post */
#define BH_IPC_RIGHT_LOCK    0x40u /* mutex: may lock and unlock */
#define BH_TIMEOUT_NEVER     UINT64_C(0xffffffffffffffff) /* wait forever */
#define BH_OWNER_DIED        1 /* MUTEX_LOCK: locked, but its previous owner's VM died */

/*
 * IPC register pages (docs/ABI.md "IPC register pages"): the same operations as the
 * hypercalls for code that cannot make hypercalls (Linux user space through /dev/mem). Object
 * id's registers are at BH_IPC_MMIO_BASE + id * BH_IPC_MMIO_STRIDE in each member VM, 32-bit
 * accesses only; a message queue's data page follows (ordinary memory, any access). An
 * operation is a read of its register and returns its result (BH_OK / BH_E_* / a length).
 */
#define BH_IPC_MMIO_BASE     UINT64_C(0x0a000000)
#define BH_IPC_MMIO_STRIDE   0x2000u
#define BH_IPC_MMIO_PAGE     0x1000u /* registers; the data page is at +BH_IPC_MMIO_PAGE */
#define BH_IPC_REG_MAGIC     0x000u  /* RO BH_IPC_MAGIC */
#define BH_IPC_REG_INFO      0x004u  /* RO type | rights << 8 (like BH_HC_IPC_INFO) */
#define BH_IPC_REG_ID        0x008u  /* RO object ID */
#define BH_IPC_REG_SIZE      0x00cu  /* RO queue: msg-size; semaphore: max; else 0 */
#define BH_IPC_REG_DEPTH     0x010u  /* RO queue: depth; else 0 */
#define BH_IPC_REG_TIMEOUT   0x014u  /* RW microseconds a WAIT/LOCK/SEND/RECV may block:
                                        0 = do not block (reset value), ~0 = forever */
#define BH_IPC_REG_LEN       0x018u  /* RW queue: bytes SEND takes from the data page */
#define BH_IPC_REG_RING      0x040u  /* doorbell: ring */
#define BH_IPC_REG_POST      0x044u  /* semaphore: post */
#define BH_IPC_REG_WAIT      0x048u  /* semaphore: wait */
#define BH_IPC_REG_LOCK      0x04cu  /* mutex: lock -> BH_OK or BH_OWNER_DIED */
#define BH_IPC_REG_UNLOCK    0x050u  /* mutex: unlock */
#define BH_IPC_REG_SEND      0x054u  /* queue: send LEN bytes of the data page */
#define BH_IPC_REG_RECV      0x058u  /* queue: receive into the data page -> length */
#define BH_IPC_MAGIC         UINT32_C(0x50494842) /* "BHIP" */
#define BH_IPC_TIMEOUT_NEVER UINT32_C(0xffffffff)

/*
 * Secure services (docs/TRUST.md "Secure services", bulkhead/secsvc.h for the formats): the
 * key store ("keys" in the VM's secure-services) and attestation ("attest"), answered by the
 * EL3 firmware through the hypervisor. Buffers are IPAs in the VM's RAM, at most
 * BH_SEC_DATA_MAX bytes of input; x0 returns the output's length or a BH_E_* error
 * (BH_E_NOT_SUPPORTED: not allowed, or no secure world; BH_E_DENIED: unseal refused).
 */
#define BH_HC_SEC_SEAL       (BH_HC_BASE | 0x0030) /* x1 in, x2 len, x3 out, x4 cap -> len */
#define BH_HC_SEC_UNSEAL     (BH_HC_BASE | 0x0031) /* x1 blob, x2 len, x3 out, x4 cap -> len */
#define BH_HC_SEC_SIGN       (BH_HC_BASE | 0x0032) /* x1 msg, x2 len, x3 out (64 B) -> 64 */
#define BH_HC_SEC_DERIVE     (BH_HC_BASE | 0x0033) /* x1 label, x2 len, x3 out (32 B) -> 32 */
#define BH_HC_SEC_NULL       (BH_HC_BASE | 0x0034) /* a round trip to the secure world -> 0 */
#define BH_HC_SEC_ATTEST     (BH_HC_BASE | 0x0038) /* x1 nonce (32 B), x2 out, x3 cap -> len */

#define BH_ABI_VERSION ((UINT32_C(0) << 16) | 2)

/* Return codes in x0 (negative = error), SMCCC-compatible for NOT_SUPPORTED. */
#define BH_OK               0
#define BH_E_NOT_SUPPORTED  (-1)
#define BH_E_INVAL          (-2)
#define BH_E_DENIED         (-3)
#define BH_E_BUSY           (-4)
#define BH_E_NOENT          (-5)
#define BH_E_RANGE          (-6)
#define BH_E_TIMEOUT        (-7)
