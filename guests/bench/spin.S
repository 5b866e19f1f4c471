/* SPDX-License-Identifier: MIT */
/*
 * The managed VM of bench.mode=mgmt (configs/bench-mgmt.dts, docs/PERFORMANCE.md measurement
 * 10): an arm64 Image whose very first instruction reads the virtual counter, so the manager
 * can tell start-to-first-guest-instruction latency in virtual time (CNTVOFF is 0 for every
 * VM: one time base). Then it publishes that count and counts up in the shared page for ever,
 * touching nothing else: no timer, no console, no hypercall, so it never leaves the guest on
 * its own, and every exit a snapshot shows for it was caused by someone else. Each turn of
 * the loop executes WFE, which Bulkhead does not trap (HCR_EL2.TWE clear; on hardware it
 * would sleep until the next event or interrupt, and the manager's SEVs wake it); under
 * QEMU's round-robin it hands the host thread back to the manager at once, so the manager's waits
 * for the worker take microseconds instead of QEMU's 100 ms time slice.
 *
 * Shared page (channel "mbox" at SPIN_MBOX, MMU off: Device accesses, uncached):
 *   +0   first_cnt   CNTVCT_EL0 at the first instruction (written once per start)
 *   +8   loops       iterations of the spin loop so far (the manager sees it running)
 */
#define SPIN_MBOX 0x50000000

    .section .text.head, "ax"
    .global _head
_head:
    mrs     x1, cntvct_el0          /* code0: the first guest instruction */
    b       spin_entry              /* code1 */
    .quad   0                       /* text_offset */
    .quad   _end - _head            /* image_size */
    .quad   (1 << 1) | (1 << 3)     /* LE, 4K pages, anywhere */
    .quad   0
    .quad   0
    .quad   0
    .ascii  "ARM\x64"
    .long   0

spin_entry:
    mov     x2, #SPIN_MBOX
    str     x1, [x2]
    dsb     sy
    sev
    mov     x3, #0
1:  add     x3, x3, #1
    str     x3, [x2, #8]
    wfe
    b       1b
_end:
