/* SPDX-License-Identifier: MIT */
/*
 * The firmware's view of QEMU 7.2's xlnx-zcu102 with secure=on (hw/arm/xlnx-zynqmp.c,
 * xlnx-zcu102.c): where it runs, where QEMU's loader puts the next stage (scripts/qemu.sh),
 * the devices it drives (firmware/zcu102/board.c). Numbers only: shared by the firmware's
 * C, its assembly and its link scripts. docs/TRUST.md "The ZCU102" says what QEMU does not
 * enforce here (nothing keeps the normal world out of the OCM).
 */
#pragma once

#define FW_MAX_CPUS       4              /* the four Cortex-A53s, MPIDR Aff0 0..3 */
#define FW_STACK_BYTES    0x4000         /* per CPU; ECDSA verification wants a few KiB */

/* The on-chip memory (OCM, 256 KiB at the top of the 32-bit space, where TF-A's BL31 lives on
 * the real board): the firmware at its base, its stacks after it, the partition above. QEMU's
 * loader places the firmware's ELF here and starts CPU 0 at its entry at EL3. */
#define FW_SECRAM_PA      0xfffc0000
#define FW_SECRAM_SIZE    0x00040000
#define FW_HOLD_PA        0xfffe7000     /* the firmware ends below; the hold word (head.S) */
#define FW_HOLD_MAGIC     0x42484657484f4c44 /* "BHFWHOLD": the primary copied the firmware */

#define FW_RAM_PA         0x00000000     /* DDR low (2 GiB with -m 2G) */
#define FW_DTB_PA         FW_RAM_PA      /* QEMU's tree (the board's -dtb, /memory set) */
#define FW_DTB_OUT_PA     0x00100000     /* the fixed-up tree Bulkhead gets (x0 != 0) */
#define FW_DTB_MAX        0x00100000     /* room it may grow into, up to the hypervisor */
#define FW_HYP_PA         0x00200000     /* Bulkhead (platform/zcu102 PLAT_LOAD_ADDR) */
#define FW_BUNDLE_PA      0x08000000     /* signed header, then the FIT (RAM + 128 MiB) */
#define FW_BUNDLE_END     0x10000000     /* end of the hypervisor's 256 MiB (PLATINFO_HYP_RESERVE) */

#define FW_UART_PA        0xff000000     /* UART0 (Cadence), serial0: one console for all */
#define FW_GICD_PA        0xf9010000     /* GIC-400 distributor */
#define FW_GICC_PA        0xf9020000     /* its CPU interface (each 4 KiB page aliased over 64) */
#define FW_CRF_APB_PA     0xfd1a0000     /* clock and reset, full-power domain */
#define FW_APU_CTRL_PA    0xfd5c0000     /* APU control: the A53s' reset vectors (RVBAR) */
#define FW_CNTFRQ_HZ      62500000       /* QEMU's generic timer, used when CNTFRQ reads 0 */

#define FW_SP_PA          0xfffe8000     /* the secure partition (firmware/sp/link.ld.in) */
#define FW_SP_SIZE        0x00018000     /* its image, data and stack: to the top of the OCM */
#define FW_SP_VECTORS_PA  0xfffe8800     /* its VBAR_EL1 (firmware/sp/head.S) */
