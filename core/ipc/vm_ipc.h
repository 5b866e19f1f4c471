/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor side of inter-VM communication: the channel objects of core/ipc/ipc.h wired to
 * VMs (shared-memory mappings, virtual interrupts, guest device-tree entries) and to the
 * hypercall ABI (include/bulkhead/abi.h), with vCPUs that sleep while they wait.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/abi.h>
#include <core/config/config.h>
#include <core/ipc/ipc.h>
#include <core/vgic/vgic.h>

struct vm;
struct vcpu;

/* Build the engine from the validated scenario and allocate shared memory. Boot only. */
int vm_ipc_init(const struct cfg_scenario *sc) BH_MUST_CHECK;

/* Map vm's shared-memory windows in its stage 2 (read-only where its access is "ro"). */
int vm_ipc_map(struct vm *vm) BH_MUST_CHECK;

/* Append the virtual SPIs vm receives from channels (doorbells, queue notifications) to
 * spis[*n..max); returns -BH_ENOMEM when they do not fit. */
int vm_ipc_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
    BH_MUST_CHECK;

/* Set up vm's notification GPIOs (ipc-notify = "gpio"; none otherwise). After the vGIC. */
int vm_ipc_gpio_init(struct vm *vm) BH_MUST_CHECK;

/*
 * An access to vm's IPC register pages (docs/ABI.md "IPC register pages"), off from
 * VPLAT_IPC_IPA: 0 or -BH_ERANGE for an access the pages do not have (the caller injects an
 * abort). Reading an operation register performs it and may sleep like the hypercall.
 */
int vm_ipc_mmio(struct vcpu *v, uint32_t off, unsigned size, bool write, uint64_t *val);

/* The scenario the engine was built from (for the guest device tree), or NULL. */
const struct cfg_scenario *vm_ipc_scenario(void);

/* Hypercalls BH_HC_IPC_INFO..BH_HC_MSGQ_RECV (an IPC call). */
static inline bool vm_ipc_is_call(uint32_t fid)
{
    return fid - BH_HC_IPC_INFO <= BH_HC_MSGQ_RECV - BH_HC_IPC_INFO;
}

/*
 * Handle IPC hypercall fid (vm_ipc_is_call) from v with arguments x1..x4 in args; returns
 * the value for x0. May sleep (the pCPU idles) when the call blocks; returns early when v's
 * VM stops.
 */
int64_t vm_ipc_call(struct vcpu *v, uint32_t fid, const uint64_t args[4]);

/* v's VM stopped or restarts: release what it held, drop its waits (all its vCPUs parked). */
void vm_ipc_vm_reset(struct vm *vm);

/* Object id's statistics (management snapshots); zero for an object that does not exist. */
struct ipc_stats vm_ipc_stats(unsigned id);

/* The interrupts other VMs' vCPUs raised in t by ringing a doorbell on the direct path (their
 * struct vcpu ring_irqs), summed: part of t's irqs_injected (vm_stats_read). */
uint64_t vm_ipc_ring_irqs(const struct vm *t);
