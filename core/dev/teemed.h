/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's OP-TEE mediator, portable part (docs/TRUST.md "OP-TEE"): a VM allowed
 * "tee" shares a static window of its RAM with the secure world (GET_SHM_CONFIG); its
 * CALL_WITH_ARG names a message (struct optee_msg_arg, bulkhead/optee.h) by IPA. The message
 * and every memory reference must lie in that window; the message is copied once into a
 * bounce buffer of ours, checked there, its memory references' data copied after it and
 * their addresses rewritten to the bounce buffer's physical addresses: no guest address
 * reaches the secure world, and the guest cannot change what was checked. After the call
 * only the protocol's outputs are copied back, bounded by what the guest gave.
 * Unit-tested on the host (tests/unit/test_teemed.c); arch/aarch64/secfw_optee.c makes the
 * call.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/optee.h>

/* Bytes of memory-reference data one call may carry (each at most BH_TEE_MEMREF_MAX). */
#define TEEMED_DATA_MAX     (2u * BH_TEE_MEMREF_MAX)
#define TEEMED_BOUNCE_BYTES (BH_TEE_ARG_MAX + TEEMED_DATA_MAX)
_Static_assert(BH_TEE_ARG_MAX % 8 == 0 && TEEMED_DATA_MAX % 8 == 0, "8-byte aligned copies");

/* The VM's shared window: IPA, size and the hypervisor's address of it. */
struct teemed_shm {
    uint64_t ipa, size;
    uint8_t *host;
};

/* A bounce buffer of TEEMED_BOUNCE_BYTES: our address and its physical address. */
struct teemed_bounce {
    uint8_t *host;
    uint64_t pa;
};

/* What teemed_prepare saw, for teemed_finish (never re-read from the guest). */
struct teemed_call {
    uint64_t arg_ipa;
    uint32_t num_params;
    uint32_t type[BH_TEE_PARAMS_MAX];
    uint64_t buf_ipa[BH_TEE_PARAMS_MAX];  /* 0: a null memref */
    uint64_t cap[BH_TEE_PARAMS_MAX];
    uint64_t data_off[BH_TEE_PARAMS_MAX]; /* of the memref's copy in the bounce buffer */
    uint64_t used;                        /* bounce bytes to clean / invalidate */
};

/* The window of a VM with RAM [mem_ipa, mem_ipa + mem_size): its top BH_TEE_SHM_BYTES (in
 * the 2 MiB the loader keeps for the device tree, which needs 64 KiB). False when the RAM is
 * too small to give one. */
static inline bool teemed_shm_window(uint64_t mem_ipa, uint64_t mem_size, uint64_t *ipa,
                                     uint64_t *size)
{
    if (mem_size < 2u * BH_TEE_SHM_BYTES) {
        return false;
    }
    *ipa = mem_ipa + mem_size - BH_TEE_SHM_BYTES;
    *size = BH_TEE_SHM_BYTES;
    return true;
}

/*
 * Copy the guest's message at arg_ipa (8-byte aligned, inside shm, at most
 * BH_TEE_PARAMS_MAX parameters of known types) into b, and each memory reference (inside
 * shm, at most BH_TEE_MEMREF_MAX bytes, TEEMED_DATA_MAX together) after it, rewriting its
 * address. OPTEE_SMC_RETURN_OK, or OPTEE_SMC_RETURN_EBADADDR for anything out of bounds or
 * malformed (nothing may be forwarded then).
 */
uint32_t teemed_prepare(const struct teemed_shm *shm, uint64_t arg_ipa,
                        const struct teemed_bounce *b, struct teemed_call *c);

/* After the secure world answered OK: the message's ret, ret_origin and session, output
 * values and memref sizes back into the guest's message, output data up to the smaller of
 * the returned size and the guest's own. */
void teemed_finish(const struct teemed_shm *shm, const struct teemed_bounce *b,
                   const struct teemed_call *c);
