// SPDX-License-Identifier: MIT
/*
 * GIC conformance, reserved locations (GICv3, IHI 0069H 12.1.3 and the register maps of
 * 12.9/12.10): an offset no register occupies, the IMPLEMENTATION DEFINED range of the
 * distributor, and the blocks of features GICD_TYPER says are absent (extended SPIs, message-
 * based SPIs, NMIs) are RES0: they read as zero and ignore writes at whatever naturally
 * aligned width a guest probes them, byte to doubleword, and never fault. QEMU's own GICv3
 * and KVM's behave so; a hypervisor that aborts there kills a guest (or a conformance suite)
 * that expected none. Each access is checked with the fault protocol (exc.h): an abort is a
 * FAIL here, not a crash.
 */
#include "exc.h"
#include "gicconf.h"
#include "platform.h"
#include "report.h"

#define GC_RSVD_PATTERN UINT64_C(0xa5a5a5a55a5a5a5a)

/* One access of size bytes at addr (naturally aligned), from the width's own instruction. */
static uint64_t gc_rsvd_load(uintptr_t addr, unsigned size)
{
    uint64_t v = 0;

    switch (size) {
    case 1:
        __asm__ volatile("ldrb %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
        break;
    case 2:
        __asm__ volatile("ldrh %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
        break;
    case 4:
        __asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
        break;
    default:
        __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
        break;
    }
    return v;
}

static void gc_rsvd_store(uintptr_t addr, unsigned size, uint64_t v)
{
    switch (size) {
    case 1:
        __asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
        break;
    case 2:
        __asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
        break;
    case 4:
        __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
        break;
    default:
        __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
        break;
    }
}

/* Write the pattern, read back: RAZ/WI means zero and no fault either way. */
static void gc_rsvd_check(const char *what, uintptr_t addr, unsigned size)
{
    uint64_t esr_w = 0, esr_r = 0, v;
    bool fw, fr;

    fault_expect();
    gc_rsvd_store(addr, size, GC_RSVD_PATTERN);
    fw = fault_taken(&esr_w);
    fault_expect();
    v = gc_rsvd_load(addr, size);
    fr = fault_taken(&esr_r);
    report(!fw && !fr && v == 0,
           "gicconf: %s (+0x%lx), %u-byte write and read: RAZ/WI, no abort (0x%lx, esr 0x%lx/0x%lx)",
           what, (unsigned long)(addr & 0x1ffff), size, (unsigned long)v, (unsigned long)esr_w,
           (unsigned long)esr_r);
}

void gicconf_reserved(void)
{
    uintptr_t d = plat.gicd_base, rd = plat.gicr_base, sgi = rd + GICR_SGI_OFFSET;

    if (plat.gic_v2) {
        report_info("gicconf: reserved locations at every width: GICv3 only");
        return;
    }
    gc_rsvd_check("GICD reserved 0x0020", d + 0x20, 8);
    gc_rsvd_check("GICD reserved 0x0020", d + 0x21, 1);
    gc_rsvd_check("GICD reserved 0x0020", d + 0x22, 2);
    gc_rsvd_check("GICD IMPLEMENTATION DEFINED 0xc000", d + 0xc000, 8);
    gc_rsvd_check("GICD IMPLEMENTATION DEFINED 0xc000", d + 0xc003, 1);
    gc_rsvd_check("GICD extended SPI block, TYPER.ESPI=0", d + 0x1000, 8);
    gc_rsvd_check("GICD extended SPI block, TYPER.ESPI=0", d + 0x1402, 2);
    gc_rsvd_check("GICD_IROUTERnE, TYPER.ESPI=0", d + 0x8000, 1);
    gc_rsvd_check("GICR RD_base reserved 0x0030", rd + 0x30, 8);
    gc_rsvd_check("GICR RD_base reserved 0x8000", rd + 0x8000, 1);
    gc_rsvd_check("GICR SGI_base reserved 0x1000", sgi + 0x1000, 8);
    gc_rsvd_check("GICR SGI_base reserved 0x007e", sgi + 0x7e, 2);
}
