/* SPDX-License-Identifier: MIT */
/*
 * A built-in device tree of the reference machine (QEMU virt, virtualization=on,
 * gic-version=3, cortex-a72, -smp 4, -m 2G), reduced to the nodes platinfo_parse() reads, so
 * the checker works without QEMU. test_platinfo compares it with QEMU's own dump.
 */
#pragma once

#define VIRTPLAT_FDT_SIZE 8192 /* bytes enough for the tree below */

/*
 * Write the tree into buf (size bytes, at least VIRTPLAT_FDT_SIZE) with libfdt's
 * sequential-write API. Returns 0 or a negative libfdt error.
 */
int virtplat_build(void *buf, int size);
