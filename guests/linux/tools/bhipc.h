/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead IPC from Linux user space, without a kernel module of ours: the objects the
 * hypervisor lists under /bulkhead-ipc in the guest's device tree (read from
 * /sys/firmware/devicetree), their register and data pages and shared memory mapped through
 * /dev/mem (not RAM to Linux, so STRICT_DEVMEM allows it), and notifications waited for as
 * rising edges on the PL061 GPIO lines named <object>.<kind> (ipc-notify = "gpio"), through
 * the GPIO character device. docs/ABI.md "Linux user space" describes the whole path.
 *
 * A register page serves one thread at a time (its TIMEOUT and LEN registers and its data
 * page are per VM, not per thread), and a mutex belongs to the vCPU that locked it: bhipc
 * pins itself to one CPU (bh_pin_cpu) before it locks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/abi.h>

#define BH_NAME_MAX 32

struct bh_obj {
    char name[BH_NAME_MAX];
    uint32_t id;
    uint32_t type;         /* BH_IPC_* */
    uint32_t rights;       /* BH_IPC_RIGHT_* */
    uint64_t regs_pa;      /* register page (0: shared memory, none) */
    uint64_t regs_size;
    uint64_t shm_pa;       /* shared memory */
    uint64_t shm_size;
    uint32_t msg_size;     /* queue */
    uint32_t depth;        /* queue */
    volatile uint32_t *regs; /* mapped by bh_open */
    volatile uint32_t *data; /* queue: its data page */
    volatile uint8_t *shm;   /* shared memory, device memory: aligned 32-bit accesses only */
};

/* Look name up under /bulkhead-ipc and map what it has. 0, or -1 with a message on stderr. */
int bh_open(const char *name, struct bh_obj *o);

/* Print every object of this VM, one line each; returns how many. */
int bh_list(void);

/* Read an operation register with TIMEOUT set to timeout_us first (BH_IPC_TIMEOUT_NEVER). */
int32_t bh_op(struct bh_obj *o, uint32_t reg, uint32_t timeout_us);

/* Queue send / receive through the data page, not blocking in the hypervisor. Receive
 * returns the length or a BH_E_* code. */
int32_t bh_send_try(struct bh_obj *q, const void *msg, uint32_t len);
int32_t bh_recv_try(struct bh_obj *q, void *buf, uint32_t cap);

/* A notification line "<object>.<kind>": the line request's file descriptor, or -1. */
int bh_line_open(const char *line_name);
/* Wait up to timeout_ms (-1: forever) for edges on fd; drains them. 1 event(s), 0 timeout. */
int bh_line_wait(int fd, int timeout_ms);

/* Shared memory words (offset 4-byte aligned). */
uint32_t bh_shm_rd(const struct bh_obj *o, uint64_t off);
void bh_shm_wr(struct bh_obj *o, uint64_t off, uint32_t v);

/* Write v at physical address pa through /dev/mem (4-byte aligned): a policy test, for memory
 * this VM does not own the hypervisor must refuse it (stage-2 fault, the VM's fault-policy).
 * 0 if the write went through, -1 if it could not be mapped. */
int bh_probe_write(uint64_t pa, uint32_t v);

/* Pin the calling thread to CPU cpu. */
int bh_pin_cpu(int cpu);

/* CLOCK_MONOTONIC in nanoseconds / milliseconds. */
uint64_t bh_now_ns(void);

/* "OK", "DENIED", ... */
const char *bh_strerror(int32_t r);
