/* SPDX-License-Identifier: MIT */
/*
 * The management device as the test guest's manager modes use it (tests_mgmt*.c): the
 * register page and the read-only data pages of docs/ABI.md "Management device".
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/mgmt.h>

#define MGMT_REG(off) ((uintptr_t)BH_MGMT_MMIO_BASE + (off))
#define MGMT_DATA     ((uintptr_t)BH_MGMT_MMIO_BASE + BH_MGMT_DATA_OFF)
#define MGMT_SNAP     ((const volatile struct bh_mgmt_snap *)(MGMT_DATA + BH_MGMT_SNAP_OFF))
#define MGMT_EVTS     ((const volatile struct bh_mgmt_evt_hdr *)(MGMT_DATA + BH_MGMT_EVT_OFF))
#define MGMT_NONE     0xffffffffu

/* Operation register reg on VM target: its answer (BH_OK, BH_E_*, a count). */
int32_t mgmt_op(uint32_t reg, uint32_t target);

/* The id of the VM called name in a fresh snapshot, or MGMT_NONE. */
uint32_t mgmt_find_vm(const char *name);

/* A private copy of VM id's entry in a fresh snapshot (false: not in it, or torn). */
bool mgmt_snap_vm(uint32_t id, struct bh_mgmt_vm *out);
