/* SPDX-License-Identifier: MIT */
/*
 * The firmware's view of QEMU's virt machine with secure=on (hw/arm/virt.c, QEMU 7.2): where
 * it runs, where QEMU's loader puts the next stage (scripts/qemu.sh), the devices it drives
 * (firmware/qemu-virt/board.c). Shared by the firmware's C, its assembly and its link
 * scripts (firmware/link.ld.in, firmware/sp/link.ld.in): numbers only. Each platform has its
 * own plat.h in firmware/<platform>/ (fw.mk puts that folder on the include path).
 */
#pragma once

#define FW_MAX_CPUS       8              /* Aff0 0..7, Aff1..3 zero: virt's GICv3 layout */
#define FW_STACK_BYTES    0x4000         /* per CPU; ECDSA verification wants a few KiB */

#define FW_SECRAM_PA      0x0e000000     /* secure SRAM (16 MiB): the firmware runs here */
#define FW_SECRAM_SIZE    0x01000000
#define FW_HOLD_PA        0x0efff000     /* secondaries wait for this word at reset */
#define FW_HOLD_MAGIC     0x42484657484f4c44 /* "BHFWHOLD": the primary copied the firmware */

#define FW_RAM_PA         0x40000000     /* normal-world RAM; QEMU's device tree at its base */
#define FW_DTB_PA         FW_RAM_PA
#define FW_DTB_OUT_PA     FW_DTB_PA      /* fixed up in place */
#define FW_DTB_MAX        0x00200000     /* room the tree may grow into, up to the hypervisor */
#define FW_HYP_PA         0x40200000     /* Bulkhead (PLAT_LOAD_ADDR) */
#define FW_BUNDLE_PA      0x48000000     /* signed header, then the FIT (RAM + 128 MiB) */
#define FW_BUNDLE_END     0x50000000     /* end of the hypervisor's 256 MiB (PLATINFO_HYP_RESERVE) */

#define FW_UART_PA        0x09000000     /* the normal world's PL011: one console for all */
#define FW_GICD_PA        0x08000000
#define FW_GICR_PA        0x080a0000
#define FW_GICR_STRIDE    0x20000
#define FW_SECURE_GPIO_PA 0x090b0000     /* PL061: line 0 powers off, line 1 resets */
#define FW_CNTFRQ_HZ      62500000       /* QEMU's generic timer, used when CNTFRQ reads 0 */

#define FW_SP_PA          0x0e800000     /* the secure partition (firmware/sp/link.ld.in) */
#define FW_SP_SIZE        0x00400000     /* its image, data and stack */
#define FW_SP_VECTORS_PA  0x0e800800     /* its VBAR_EL1 (firmware/sp/head.S, link.ld.in) */
