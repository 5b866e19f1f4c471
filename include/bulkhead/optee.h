/* SPDX-License-Identifier: MIT */
/*
 * The subset of the OP-TEE SMC and message ABI that Bulkhead's secure world speaks
 * (docs/TRUST.md "OP-TEE"): the values of OP-TEE's optee_smc.h and optee_msg.h (BSD-2-Clause
 * interfaces, restated here) that Linux's stock `optee` driver and `optee-rng` use, and the
 * Trusted Applications the firmware provides. Shared by the firmware (the Trusted OS side),
 * the hypervisor (the mediator), the test guest and the Linux tool (the clients).
 * All structures are little-endian, as OP-TEE defines them on AArch64.
 */
#pragma once

#include <stdint.h>

/* SMC function IDs: SMC32; fast unless noted (optee_smc.h). */
#define OPTEE_SMC_CALLS_COUNT           0xbf00ff00u /* OEN 63 (Trusted OS end) */
#define OPTEE_SMC_CALLS_UID             0xbf00ff01u
#define OPTEE_SMC_CALLS_REVISION        0xbf00ff03u
#define OPTEE_SMC_GET_OS_UUID           0xb2000000u /* OEN 50 (Trusted OS) */
#define OPTEE_SMC_GET_OS_REVISION       0xb2000001u
#define OPTEE_SMC_CALL_RETURN_FROM_RPC  0x32000003u /* yielding */
#define OPTEE_SMC_CALL_WITH_ARG         0x32000004u /* yielding: a1:a2 = PA of the arg */
#define OPTEE_SMC_GET_SHM_CONFIG        0xb2000007u
#define OPTEE_SMC_EXCHANGE_CAPABILITIES 0xb2000009u
#define OPTEE_SMC_DISABLE_SHM_CACHE     0xb200000au
#define OPTEE_SMC_ENABLE_SHM_CACHE      0xb200000bu
#define OPTEE_SMC_OEN_TOS               50u
#define OPTEE_SMC_OEN_TOS_END           63u

/* a0 of a return (optee_smc.h). */
#define OPTEE_SMC_RETURN_OK             0x0u
#define OPTEE_SMC_RETURN_EBADADDR       0x4u
#define OPTEE_SMC_RETURN_EBADCMD        0x5u
#define OPTEE_SMC_RETURN_ENOTAVAIL      0x7u
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xffffffffu

#define OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM 0x1u /* a static shared memory window */
#define OPTEE_SMC_SHM_CACHED            1u

/* The message API's UID and revision (optee_msg.h): what the driver checks first. */
#define OPTEE_MSG_UID_0                 0x384fb3e0u
#define OPTEE_MSG_UID_1                 0xe7f811e3u
#define OPTEE_MSG_UID_2                 0xaf630002u
#define OPTEE_MSG_UID_3                 0xa5d5c51bu
#define OPTEE_MSG_REVISION_MAJOR        2u
#define OPTEE_MSG_REVISION_MINOR        0u
/* Our Trusted OS's UUID (GET_OS_UUID): 42484f53-7465-4565-8000-42756c6b6864. */
#define BH_TOS_UUID_0                   0x42484f53u
#define BH_TOS_UUID_1                   0x74654565u
#define BH_TOS_UUID_2                   0x80004275u
#define BH_TOS_UUID_3                   0x6c6b6864u

/* Commands and parameter types (optee_msg.h). */
#define OPTEE_MSG_CMD_OPEN_SESSION      0u
#define OPTEE_MSG_CMD_INVOKE_COMMAND    1u
#define OPTEE_MSG_CMD_CLOSE_SESSION     2u
#define OPTEE_MSG_ATTR_TYPE_NONE        0x0u
#define OPTEE_MSG_ATTR_TYPE_VALUE_INPUT 0x1u
#define OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT 0x2u
#define OPTEE_MSG_ATTR_TYPE_VALUE_INOUT 0x3u
#define OPTEE_MSG_ATTR_TYPE_TMEM_INPUT  0x9u
#define OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT 0xau
#define OPTEE_MSG_ATTR_TYPE_TMEM_INOUT  0xbu
#define OPTEE_MSG_ATTR_TYPE_MASK        0xffu
#define OPTEE_MSG_ATTR_META             0x100u

/* Return codes in arg->ret (GlobalPlatform TEE Client API) and their origins. */
#define TEEC_SUCCESS                    0x00000000u
#define TEEC_ERROR_GENERIC              0xffff0000u
#define TEEC_ERROR_ACCESS_DENIED        0xffff0001u
#define TEEC_ERROR_BAD_FORMAT           0xffff0005u
#define TEEC_ERROR_BAD_PARAMETERS       0xffff0006u
#define TEEC_ERROR_ITEM_NOT_FOUND       0xffff0008u
#define TEEC_ERROR_NOT_SUPPORTED        0xffff000au
#define TEEC_ERROR_OUT_OF_MEMORY        0xffff000cu
#define TEEC_ERROR_BUSY                 0xffff000du
#define TEEC_ERROR_SHORT_BUFFER         0xffff0010u
#define TEEC_ERROR_MAC_INVALID          0xffff3071u
#define TEEC_ORIGIN_COMMS               2u
#define TEEC_ORIGIN_TEE                 3u
#define TEEC_ORIGIN_TRUSTED_APP         4u

struct optee_msg_param {
    uint64_t attr;
    union {
        struct { uint64_t buf_ptr, size, shm_ref; } tmem; /* buf_ptr: a physical address */
        struct { uint64_t a, b, c; } value;
        uint8_t octets[24];
    } u;
};
_Static_assert(sizeof(struct optee_msg_param) == 32, "optee_msg_param layout");

struct optee_msg_arg {
    uint32_t cmd, func, session, cancel_id, pad, ret, ret_origin, num_params;
    struct optee_msg_param params[];
};
_Static_assert(sizeof(struct optee_msg_arg) == 32, "optee_msg_arg layout");

/* What this secure world accepts: 2 meta + 4 TA parameters, each memory reference at most
 * BH_TEE_MEMREF_MAX bytes (a GET_ENTROPY request of optee-rng is 4 KiB at most). */
#define BH_TEE_PARAMS_MAX               6u
#define BH_TEE_ARG_MAX                  (32u + 32u * BH_TEE_PARAMS_MAX)
#define BH_TEE_MEMREF_MAX               4096u

/* The static shared memory window of a VM allowed "tee" (GET_SHM_CONFIG): the top
 * BH_TEE_SHM_BYTES of its RAM (the upper half of the 2 MiB the loader keeps for the device
 * tree), reserved (no-map) in its device tree. */
#define BH_TEE_SHM_BYTES                0x100000u

/* Trusted Applications (UUIDs as 16 bytes in the order they are written). */
/* The device-enumeration pseudo TA (OP-TEE's pta_device.h): 7011a688-ddde-4053-a5a9-7b3c4ddf13b8 */
#define BH_TA_DEVICES_UUID { 0x70, 0x11, 0xa6, 0x88, 0xdd, 0xde, 0x40, 0x53, \
                             0xa5, 0xa9, 0x7b, 0x3c, 0x4d, 0xdf, 0x13, 0xb8 }
#define BH_TA_DEVICES_CMD_GET_DEVICES       0u /* p0 memref out: the TAs' UUIDs */
#define BH_TA_DEVICES_CMD_GET_DEVICES_SUPP  1u /* the same, for TAs needing tee-supplicant: none */
/* The RNG TA of Linux's optee-rng: ab7a617c-b8e7-4d8f-8301-d09b61036b64 */
#define BH_TA_RNG_UUID { 0xab, 0x7a, 0x61, 0x7c, 0xb8, 0xe7, 0x4d, 0x8f, \
                         0x83, 0x01, 0xd0, 0x9b, 0x61, 0x03, 0x6b, 0x64 }
#define BH_TA_RNG_CMD_GET_ENTROPY   0u  /* p0 memref inout: filled, size = bytes given */
#define BH_TA_RNG_CMD_GET_RNG_INFO  1u  /* p0 value out: a = rate (kbit/s), b = quality */
/* Bulkhead's sealing TA: 6b1d7c5e-5ea1-4b1d-9c3d-42756c6b5345. Blobs are the key store's
 * (struct bh_seal_hdr, bulkhead/secsvc.h), bound to the calling VM (the client id) and its
 * image measurement: the same blob as BH_HC_SEC_SEAL gives that VM. */
#define BH_TA_SEAL_UUID { 0x6b, 0x1d, 0x7c, 0x5e, 0x5e, 0xa1, 0x4b, 0x1d, \
                          0x9c, 0x3d, 0x42, 0x75, 0x6c, 0x6b, 0x53, 0x45 }
#define BH_TA_SEAL_CMD_SEAL         0u  /* p0 memref in (data), p1 memref out (blob) */
#define BH_TA_SEAL_CMD_UNSEAL       1u  /* p0 memref in (blob), p1 memref out (data) */
