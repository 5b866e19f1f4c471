/* SPDX-License-Identifier: MIT */
/*
 * Scenario configuration: a device tree (configs/<name>.dts, schema in docs/CONFIG.md) parsed
 * and validated into fixed-size structures. The same code runs in the host checker (bhcfg) and
 * in the hypervisor at boot, so a scenario that passes the checker boots the same way.
 * Errors name file, node, property and reason; a VM with an error does not start, the others do.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>
#include <core/platinfo.h>

#define CFG_SZ_KIB UINT64_C(0x400)
#define CFG_SZ_MIB UINT64_C(0x100000)

/* ------------------------------------------------------------------------------------------
 * The virtual platform every VM sees (guest-physical layout, like QEMU virt).
 */
#define VPLAT_GICD_IPA      UINT64_C(0x08000000)
#define VPLAT_GICD_SIZE     (64 * CFG_SZ_KIB)
#define VPLAT_GICR_IPA      UINT64_C(0x080A0000)
#define VPLAT_GICR_STRIDE   (128 * CFG_SZ_KIB) /* per vCPU: RD frame + SGI frame */
#define VPLAT_UART_IPA      UINT64_C(0x09000000)
#define VPLAT_UART_SIZE     (4 * CFG_SZ_KIB)
#define VPLAT_UART_INTID    33 /* SPI 1, level */
#define VPLAT_VTIMER_INTID  27
#define VPLAT_MAINT_INTID   25
#define VPLAT_RAM_IPA       UINT64_C(0x40000000) /* default memory-base */

/* ------------------------------------------------------------------------------------------
 * Limits. Everything is a fixed-size array: the hypervisor has no heap.
 */
#define CFG_MAX_VMS         8
#define CFG_MAX_VCPUS       PLATINFO_MAX_CPUS
#define CFG_MAX_DEVS        4   /* passthrough devices per VM */
#define CFG_MAX_DEV_IRQS    8   /* interrupts per passthrough device */
#define CFG_NAME_MAX        15  /* VM name characters */
#define CFG_DEV_NAME_MAX    31  /* passthrough node name characters */
#define CFG_PATH_MAX        128 /* node and image path buffers, NUL included */
#define CFG_BOOTARGS_MAX    256 /* bootargs characters */
#define CFG_COMPAT_MAX      64  /* passthrough compatible bytes, all NULs included */
#define CFG_MSG_MAX         384 /* one error line */

#define CFG_IPA_BITS        39 /* stage-2 input size the hypervisor configures */
#define CFG_IPA_LIMIT       (UINT64_C(1) << CFG_IPA_BITS)
#define CFG_MEM_ALIGN       (2 * CFG_SZ_MIB) /* VM memory: block-mapped at stage 2 */
#define CFG_PAGE_SIZE       (4 * CFG_SZ_KIB)
#define CFG_FDT_RESERVE     (2 * CFG_SZ_MIB) /* room the loader keeps for the guest DTB */
#define CFG_LOAD_ALIGN      (2 * CFG_SZ_MIB) /* kernel and initrd placement granule */
#define CFG_DEFAULT_RAM_RESERVE (128 * CFG_SZ_MIB) /* hypervisor + boot bundle (bhcfg default) */

/* First and last SPI INTID (GICv3 spec, section 2.2.1). */
#define CFG_SPI_FIRST       32
#define CFG_SPI_LAST        1019

_Static_assert(VPLAT_GICR_IPA + CFG_MAX_VCPUS * VPLAT_GICR_STRIDE <= VPLAT_UART_IPA,
              "the virtual GICR region must end before the virtual UART");
_Static_assert(VPLAT_RAM_IPA % CFG_MEM_ALIGN == 0, "default RAM base must be 2 MiB aligned");

enum cfg_kernel_type {
    CFG_KERNEL_LINUX, /* arm64 Image header (Documentation/arch/arm64/booting.rst) */
    CFG_KERNEL_RAW,   /* flat binary, entered at load address + entry */
};

enum cfg_fault_policy {
    CFG_FAULT_STOP,    /* stop the VM, keep its state for inspection */
    CFG_FAULT_RESTART, /* reload and restart the VM */
    CFG_FAULT_ABORT,   /* inject an abort into the guest and let it continue */
};

/* A physical device given to one VM. */
struct cfg_dev {
    char name[CFG_DEV_NAME_MAX + 1];  /* node name under passthrough */
    char compat[CFG_COMPAT_MAX];      /* raw string list, copied to the guest tree */
    uint32_t compat_len;              /* bytes of compat, last NUL included */
    uint64_t pa;                      /* physical MMIO base, page aligned */
    uint64_t ipa;                     /* guest-physical base, page aligned */
    bool has_ipa;                     /* ipa given (else ipa = pa) */
    uint64_t size;                    /* rounded up to CFG_PAGE_SIZE; 0 if reg was bad */
    uint32_t irq_count;
    uint32_t irqs[CFG_MAX_DEV_IRQS];  /* SPI INTIDs, same number in the guest */
};

struct cfg_vm {
    bool valid;                          /* false: a configuration error, do not start */
    char name[CFG_NAME_MAX + 1];
    char path[CFG_PATH_MAX];             /* node path in the scenario, e.g. /vms/vm-a */
    uint32_t vcpu_count;
    uint32_t cpus[CFG_MAX_VCPUS];        /* vCPU i runs on physical CPU cpus[i] */
    uint64_t mem_ipa;
    uint64_t mem_size;                   /* 0 if memory-size was bad */
    bool has_mem_base;                   /* memory-base given (else VPLAT_RAM_IPA) */
    char kernel[CFG_PATH_MAX];           /* image path as written, relative to the root */
    uint64_t kernel_size;                /* from cfg_hooks.image_size, 0 if unknown */
    enum cfg_kernel_type kernel_type;
    uint64_t entry;                      /* raw kernels: entry offset from the load address */
    bool has_entry;
    char initrd[CFG_PATH_MAX];           /* "" when none */
    uint64_t initrd_size;
    char bootargs[CFG_BOOTARGS_MAX + 1]; /* "" when none */
    enum cfg_fault_policy fault_policy;
    uint32_t dev_count;
    struct cfg_dev devs[CFG_MAX_DEVS];
};

struct cfg_scenario {
    uint32_t vm_count;                /* VM nodes stored, valid or not */
    struct cfg_vm vms[CFG_MAX_VMS];   /* in scenario order */
    uint32_t error_count;             /* lines reported through cfg_hooks.error */
};

/* How cfg_parse reports and finds things outside the device tree. */
struct cfg_hooks {
    void *ctx;
    /* One error line: "<file>: <node path>: <property>: <reason>", no newline. */
    void (*error)(void *ctx, const char *msg);
    /*
     * Whether the image `path` (as written in the scenario) exists: 0 and its size in *size,
     * or -BH_ENOENT. NULL skips the image checks (existence and fit in memory).
     */
    int (*image_size)(void *ctx, const char *path, uint64_t *size);
};

/*
 * Parse and validate the scenario `fdt` (named `file` in messages) against the platform
 * `plat` (cpu_count, RAM, GIC, console UART and vm_ram_avail are used). fdt must point to at
 * least fdt_totalsize(fdt) readable bytes. No allocation; `out` is about 12 KiB, so at EL2 it
 * should be static, not on the stack.
 * Every problem is reported as one line through hooks->error and counted in
 * out->error_count. A problem in a VM marks that VM invalid and the others are still checked
 * and may stay valid; where two VMs conflict (CPU, device, interrupt, total memory) the later
 * one in the scenario is refused. VM nodes beyond CFG_MAX_VMS are reported and dropped.
 * Returns 0 when the scenario could be read (look at out->vms[i].valid), or -BH_EINVAL for a
 * scenario-level error (not a valid FDT, root compatible not "bulkhead,scenario", no /vms or
 * no VM in it), also reported through hooks->error.
 */
BH_MUST_CHECK int cfg_parse(const void *fdt, const char *file, const struct platinfo *plat,
                            const struct cfg_hooks *hooks, struct cfg_scenario *out);

/* "linux" / "raw". */
const char *cfg_kernel_type_name(enum cfg_kernel_type type);

/* "stop" / "restart" / "abort". */
const char *cfg_fault_policy_name(enum cfg_fault_policy policy);

/* The VM named `name`, or NULL. */
const struct cfg_vm *cfg_find_vm(const struct cfg_scenario *sc, const char *name);
