/* SPDX-License-Identifier: MIT */
/*
 * Scenario configuration: a device tree (configs/<name>.dts, schema in docs/CONFIG.md) parsed
 * and validated into fixed-size structures. The same code runs in the host checker (bhcfg) and
 * in the hypervisor at boot, so a scenario that passes the checker boots the same way.
 * Errors name file, node, property and reason; a VM with an error does not start, the others do.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/abi.h>
#include <bulkhead/mgmt.h>
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
/* On GICv2 hardware: the guest's GICC (GICv2 CPU interface), the hardware GICV frame mapped
 * in (not trapped); 8 KiB, GICC_DIR at 0x1000. Inside the GICR window, unused on GICv2. */
#define VPLAT_GICC_IPA      VPLAT_GICR_IPA
#define VPLAT_GICC_SIZE     (8 * CFG_SZ_KIB)
#define VPLAT_UART_IPA      UINT64_C(0x09000000)
#define VPLAT_UART_SIZE     (4 * CFG_SZ_KIB)
#define VPLAT_UART_INTID    33 /* SPI 1, level */
#define VPLAT_VTIMER_INTID  27
#define VPLAT_MAINT_INTID   25
#define VPLAT_PMU_INTID     23 /* PPI 7, level: PMUv3 overflow (arch/aarch64/vpmu.c) */
#define VPLAT_RAM_IPA       UINT64_C(0x40000000) /* default memory-base */
/* IPC pages: object id's register page is at VPLAT_IPC_IPA + id * VPLAT_IPC_STRIDE in each
 * member VM, a message queue's data page right after it (docs/ABI.md "IPC register pages"). */
#define VPLAT_IPC_IPA       BH_IPC_MMIO_BASE /* the guest ABI's numbers (bulkhead/abi.h) */
#define VPLAT_IPC_PAGE      BH_IPC_MMIO_PAGE
#define VPLAT_IPC_STRIDE    BH_IPC_MMIO_STRIDE
#define VPLAT_IPC_SIZE      (CFG_MAX_CHANS * VPLAT_IPC_STRIDE)
/* ipc-notify = "gpio": one PL061 per notification SPI (docs/ABI.md "Notifications as GPIO"). */
#define VPLAT_GPIO_IPA      UINT64_C(0x0a080000)
#define VPLAT_GPIO_MAX      64
#define VPLAT_GPIO_SIZE     (VPLAT_GPIO_MAX * VPLAT_IPC_PAGE)
/* The management device of a manager VM (docs/MANAGEMENT.md): register page + data pages. */
#define VPLAT_MGMT_IPA      BH_MGMT_MMIO_BASE
#define VPLAT_MGMT_SIZE     BH_MGMT_MMIO_SIZE
#define VPLAT_SPI_LAST      127 /* last SPI the vGIC implements (GICD_TYPER.ITLinesNumber 3) */
/* watchdog = "sp805": the VM's virtual watchdog (core/dev/sp805.c). Free in QEMU virt's map
 * too (SPI 15, 0x090c0000), so passthrough of its devices never collides with it. */
#define VPLAT_WDOG_IPA      UINT64_C(0x090c0000)
#define VPLAT_WDOG_SIZE     (4 * CFG_SZ_KIB)
#define VPLAT_WDOG_INTID    47 /* SPI 15, level */
/* power-button (default on): a PL061 whose line 0 is the power button a graceful shutdown
 * presses (core/vm/vm_power.c, docs/MANAGEMENT.md). Free in QEMU virt's map too (SPI 14,
 * 0x090d0000), so pass-through of its devices never collides with it. */
#define VPLAT_PWR_IPA       UINT64_C(0x090d0000)
#define VPLAT_PWR_SIZE      (4 * CFG_SZ_KIB)
#define VPLAT_PWR_INTID     46 /* SPI 14, level (the PL061's combined interrupt) */
/* Network segments (bulkhead,net-segment, docs/NETWORK.md): a VM's k-th segment is a
 * virtio-mmio device at VPLAT_NET_IPA + k * VPLAT_NET_STRIDE with SPI VPLAT_NET_INTID + k by
 * default (level). */
#define VPLAT_NET_IPA       UINT64_C(0x0a200000)
#define VPLAT_NET_STRIDE    UINT64_C(0x200)
#define VPLAT_NET_MAX       8 /* segments one VM may be a member of */
#define VPLAT_NET_SIZE      (VPLAT_NET_MAX * VPLAT_NET_STRIDE)
#define VPLAT_NET_INTID     48
/* virtio-console = <1>: a virtio console (core/dev/vcons.c, docs/CONSOLE.md). Free in QEMU
 * virt's map too (SPI 13, 0x090e0000), so passthrough of its devices never collides with it. */
#define VPLAT_VCONS_IPA     UINT64_C(0x090e0000)
#define VPLAT_VCONS_SIZE    UINT64_C(0x200)
#define VPLAT_VCONS_INTID   45 /* SPI 13, level */

/* ------------------------------------------------------------------------------------------
 * Limits. Everything is a fixed-size array: the hypervisor has no heap.
 */
#define CFG_MAX_VMS         8
#define CFG_MAX_VCPUS       PLATINFO_MAX_CPUS
#define CFG_MAX_DEVS        4   /* passthrough devices per VM */
#define CFG_MAX_DEV_IRQS    8   /* interrupts per passthrough device */
/* Virtual SPIs one VM owns in all: its UART's, its devices' and the channel notifications it
 * receives (the vGIC's VGIC_MAX_OWNED_SPIS; vm_build.c asserts they agree). */
#define CFG_MAX_VM_SPIS     32
#define CFG_NAME_MAX        15  /* VM name characters */
#define CFG_DEV_NAME_MAX    31  /* passthrough node name characters */
#define CFG_PATH_MAX        128 /* node and image path buffers, NUL included */
#define CFG_BOOTARGS_MAX    256 /* bootargs characters */
#define CFG_COMPAT_MAX      64  /* passthrough compatible bytes, all NULs included */
#define CFG_MSG_MAX         384 /* one error line */
#define CFG_MAX_CHANS       32  /* IPC objects under /channels */
#define CFG_CHAN_NAME_MAX   31  /* channel node name characters */
#define CFG_SHMEM_MAX       (64 * CFG_SZ_MIB)  /* one shared-memory region */
#define CFG_SEM_MAX         65535              /* semaphore max */
#define CFG_MSGQ_DEPTH_MAX  256                /* messages in one queue */
#define CFG_MSGQ_MSG_MAX    4096               /* bytes in one message */
#define CFG_MSGQ_STORAGE_MAX (256 * CFG_SZ_KIB) /* depth * msg-size summed over queues */
#define CFG_RATE_COUNT_MAX  1000000            /* doorbell rate-limit: rings per period */
#define CFG_RATE_PERIOD_US_MAX 60000000        /* doorbell rate-limit: period, 60 s */

#define CFG_IPA_BITS        39 /* stage-2 input size the hypervisor configures */
#define CFG_IPA_LIMIT       (UINT64_C(1) << CFG_IPA_BITS)
#define CFG_MEM_ALIGN       (2 * CFG_SZ_MIB) /* VM memory: block-mapped at stage 2 */
#define CFG_PAGE_SIZE       (4 * CFG_SZ_KIB)
#define CFG_FDT_RESERVE     (2 * CFG_SZ_MIB) /* room the loader keeps for the guest DTB */
#define CFG_LOAD_ALIGN      (2 * CFG_SZ_MIB) /* kernel and initrd placement granule */

/* First and last SPI INTID (GICv3 spec, section 2.2.1). */
#define CFG_SPI_FIRST       32
#define CFG_SPI_LAST        1019

_Static_assert(VPLAT_GICR_IPA + CFG_MAX_VCPUS * VPLAT_GICR_STRIDE <= VPLAT_UART_IPA,
              "the virtual GICR region must end before the virtual UART");
_Static_assert(VPLAT_RAM_IPA % CFG_MEM_ALIGN == 0, "default RAM base must be 2 MiB aligned");
_Static_assert(VPLAT_UART_IPA + VPLAT_UART_SIZE <= VPLAT_WDOG_IPA &&
                   VPLAT_WDOG_IPA + VPLAT_WDOG_SIZE <= VPLAT_IPC_IPA,
               "the virtual watchdog sits between the virtual UART and the IPC pages");
_Static_assert(VPLAT_WDOG_INTID != VPLAT_UART_INTID && VPLAT_WDOG_INTID >= CFG_SPI_FIRST &&
                   VPLAT_WDOG_INTID <= VPLAT_SPI_LAST,
               "the watchdog's SPI is its own, and one the vGIC implements");
_Static_assert(VPLAT_UART_IPA + VPLAT_UART_SIZE <= VPLAT_IPC_IPA &&
                   VPLAT_IPC_IPA + VPLAT_IPC_SIZE <= VPLAT_GPIO_IPA &&
                   VPLAT_GPIO_IPA + VPLAT_GPIO_SIZE <= VPLAT_RAM_IPA,
               "the IPC pages must sit between the virtual UART and the default RAM");
_Static_assert(VPLAT_GPIO_IPA + VPLAT_GPIO_SIZE <= VPLAT_MGMT_IPA &&
                   VPLAT_MGMT_IPA + VPLAT_MGMT_SIZE <= VPLAT_RAM_IPA &&
                   VPLAT_MGMT_IPA % CFG_PAGE_SIZE == 0,
               "the management device must sit between the GPIOs and the default RAM");
_Static_assert(VPLAT_UART_IPA + VPLAT_UART_SIZE <= VPLAT_PWR_IPA &&
                   VPLAT_PWR_IPA + VPLAT_PWR_SIZE <= VPLAT_IPC_IPA,
               "the power button sits between the virtual UART and the IPC pages");
_Static_assert(VPLAT_MGMT_IPA + VPLAT_MGMT_SIZE <= VPLAT_NET_IPA &&
                   VPLAT_NET_IPA + VPLAT_NET_SIZE <= VPLAT_RAM_IPA,
               "the network devices sit between the management device and the default RAM");
_Static_assert(VPLAT_NET_INTID + VPLAT_NET_MAX - 1 <= VPLAT_SPI_LAST &&
                   VPLAT_NET_INTID > VPLAT_WDOG_INTID && VPLAT_NET_INTID > VPLAT_PWR_INTID,
               "the default network SPIs are the vGIC's and clear of the fixed devices'");
_Static_assert(VPLAT_PWR_INTID != VPLAT_UART_INTID && VPLAT_PWR_INTID >= CFG_SPI_FIRST &&
                   VPLAT_PWR_INTID <= VPLAT_SPI_LAST,
               "the power button's SPI is its own, and one the vGIC implements");

enum cfg_kernel_type {
    CFG_KERNEL_LINUX, /* arm64 Image header (Documentation/arch/arm64/booting.rst) */
    CFG_KERNEL_RAW,   /* flat binary, entered at load address + entry */
};

/* How IPC notifications reach the VM (VM property ipc-notify). */
enum cfg_ipc_notify {
    CFG_NOTIFY_SPI,  /* each notification is the virtual SPI the channel names */
    CFG_NOTIFY_GPIO, /* ... raised by a PL061 GPIO controller line (Linux user space) */
};

#define CFG_PRIO_MAX 255 /* VM property priority: IPC waiters, higher first */

/* VM property watchdog, and watchdog-clock-hz (WDOGCLK; default, range). */
enum cfg_watchdog {
    CFG_WDOG_NONE,
    CFG_WDOG_SP805, /* ARM SP805 at VPLAT_WDOG_IPA, SPI VPLAT_WDOG_INTID */
};
#define CFG_WDOG_HZ_DEFAULT 1000000u
#define CFG_WDOG_HZ_MIN     1000u
#define CFG_WDOG_HZ_MAX     1000000000u

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
    uint64_t pa;                      /* physical base of the pages it is in */
    uint64_t ipa;                     /* guest-physical base, page aligned */
    bool has_ipa;                     /* ipa given (else ipa = pa) */
    bool dma_unsafe_ack;              /* dma-unsafe-ack present (docs/CONFIG.md) */
    uint64_t size;                    /* its whole pages; 0 if reg was bad */
    uint64_t reg_off;                 /* the register block: at pa + reg_off (ipa + ... */
    uint64_t reg_size;                /* ... in the guest), reg_size bytes, as in reg */
    uint32_t irq_count;
    uint32_t irqs[CFG_MAX_DEV_IRQS];  /* SPI INTIDs, same number in the guest */
};

#define CFG_WFI_TRAP_DEFAULT 0 /* by priority, after parsing (cfg_vm_wfi_trap) */
#define CFG_WFI_TRAP_OFF     1
#define CFG_WFI_TRAP_ON      2

struct cfg_vm {
    bool valid;                          /* false: a configuration error, do not start */
    char name[CFG_NAME_MAX + 1];
    char path[CFG_PATH_MAX];             /* node path in the scenario, e.g. /vms/vm-a */
    uint32_t vcpu_count;
    uint32_t cpus[CFG_MAX_VCPUS];        /* vCPU i runs on physical CPU cpus[i] */
    uint64_t mem_ipa;
    uint64_t mem_size;                   /* 0 if memory-size was bad */
    bool has_mem_base;                   /* memory-base given (else VPLAT_RAM_IPA) */
    bool mem_base_bad;                   /* ... but malformed (reported) */
    /* identity-map = <1>: RAM at host-physical = mem_ipa (config_ident.c) */
    bool identity_map;
    char kernel[CFG_PATH_MAX];           /* image path as written, relative to the root */
    uint64_t kernel_size;                /* from cfg_hooks.image, 0 if unknown */
    enum cfg_kernel_type kernel_type;
    uint64_t entry;                      /* raw kernels: entry offset from the load address */
    bool has_entry;
    char initrd[CFG_PATH_MAX];           /* "" when none */
    uint64_t initrd_size;
    char bootargs[CFG_BOOTARGS_MAX + 1]; /* "" when none or empty */
    enum cfg_fault_policy fault_policy;
    enum cfg_ipc_notify ipc_notify;
    uint32_t priority;                   /* 0..CFG_PRIO_MAX, IPC wait order */
    enum cfg_watchdog watchdog;          /* virtual watchdog (docs/WATCHDOG.md) */
    uint32_t watchdog_hz;                /* its WDOGCLK; 0: property not given */
    uint32_t dev_count;
    struct cfg_dev devs[CFG_MAX_DEVS];
    /* Management (core/config/config_mgmt.c, docs/MANAGEMENT.md). */
    bool autostart;                      /* started at boot (default); false: "defined" */
    bool manageable;                     /* may be the target of a grant (default true) */
    /* WFI traps to the hypervisor (idle time measured, docs/MANAGEMENT.md); default: not
     * for a real-time VM (priority > 0), whose pinned core wakes it without an exit. */
    uint8_t wfi_trap;                    /* CFG_WFI_TRAP_* */
    uint32_t shutdown_timeout_ms;        /* graceful shutdown: stopped by force after it */
    uint8_t manage[CFG_MAX_VMS];         /* CFG_MANAGE_* this VM holds on each VM index */
    /* Graceful shutdown and failover (core/config/config_life.c, docs/MANAGEMENT.md). */
    bool power_button;                   /* power-button (default true): VPLAT_PWR_* */
    uint32_t standby_for;                /* VM index it stands by for; CFG_STANDBY_NONE */
    bool virtio_console;                 /* virtio-console (default false): VPLAT_VCONS_* */
    /* Cache colouring (config_colour.c, docs/COLOURING.md): bit c = the VM may use colour c;
     * 0: not coloured (contiguous RAM). shared_colours: those of them other VMs may use too. */
    uint64_t colours;
    uint64_t shared_colours;
    uint32_t secure_services;            /* CFG_SEC_* the VM may call (config_secsvc.c) */
    /* vCPU scheduling on shared pCPUs (config_sched.c, docs/SCHEDULING.md): a budget of
     * budget_us per period_us (a deferrable server); 0/0: no budget. */
    uint32_t budget_us;
    uint32_t period_us;
};

/* secure-services (core/config/config_secsvc.c, docs/TRUST.md "Mediation"): the secure-world
 * services and SMCCC ranges a VM may call. PSCI and the SMCCC architecture calls are every
 * VM's (CFG_SEC_DEFAULT); everything else only when named. */
#define CFG_SEC_PSCI    0x01u /* "psci": PSCI, SMCCC arch calls (always granted) */
#define CFG_SEC_TRNG    0x02u /* "trng": the SMCCC TRNG interface (ARM DEN0098) */
#define CFG_SEC_KEYS    0x04u /* "keys": the key store (seal, unseal, sign, derive) */
#define CFG_SEC_ATTEST  0x08u /* "attest": signed attestation reports */
#define CFG_SEC_TEE     0x10u /* "tee": Trusted OS and Trusted Application ranges */
#define CFG_SEC_DEFAULT CFG_SEC_PSCI
#define CFG_SEC_COUNT   5

/* The property's name for one CFG_SEC_* bit ("trng"), or NULL for no single known bit. */
const char *cfg_secure_service_name(uint32_t bit);
#define CFG_STANDBY_NONE UINT32_MAX

/* Management rights (cfg_vm.manage[target]); the device ABI's values. */
#define CFG_MANAGE_OBSERVE BH_MGMT_RIGHT_OBSERVE
#define CFG_MANAGE_CONTROL BH_MGMT_RIGHT_CONTROL
#define CFG_SHUTDOWN_TIMEOUT_MS_DEFAULT 10000u
#define CFG_SHUTDOWN_TIMEOUT_MS_MAX     600000u

/* Whether vm holds at least one grant (it gets the management device). */
static inline bool cfg_vm_is_manager(const struct cfg_vm *vm)
{
    for (unsigned i = 0; i < CFG_MAX_VMS; i++) {
        if (vm->manage[i]) {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------------------------------
 * Inter-VM communication objects (/channels, core/config/config_chan.c). The object ID guests use is
 * the index in cfg_scenario.chans, which follows node order; an invalid channel keeps its slot
 * (valid = false, the hypervisor treats it as non-existent) so one mistake renumbers nothing.
 */
enum cfg_chan_type {
    CFG_CHAN_SHMEM,    /* "bulkhead,shmem": memory mapped into each member */
    CFG_CHAN_DOORBELL, /* "bulkhead,doorbell": from -> virtual SPI in `to` */
    CFG_CHAN_SEM,      /* "bulkhead,semaphore": counting, kept by the hypervisor */
    CFG_CHAN_MUTEX,    /* "bulkhead,mutex": owned by one vCPU, owner-died aware */
    CFG_CHAN_MSGQ,     /* "bulkhead,msgq": bounded, copied, ordered */
    CFG_CHAN_NET,      /* "bulkhead,net-segment": an L2 segment of virtio-net devices */
    CFG_CHAN_TYPE_COUNT,
};
_Static_assert(CFG_CHAN_SHMEM == BH_IPC_SHMEM && CFG_CHAN_DOORBELL == BH_IPC_DOORBELL &&
                   CFG_CHAN_SEM == BH_IPC_SEMAPHORE && CFG_CHAN_MUTEX == BH_IPC_MUTEX &&
                   CFG_CHAN_MSGQ == BH_IPC_MSGQ,
               "channel types differ from include/bulkhead/abi.h");

/* What a VM may do with an object: cfg_chan.rights[vm], 0 = not a member. */
#define CFG_RIGHT_READ  0x01u /* shmem: mapped readable */
#define CFG_RIGHT_WRITE 0x02u /* shmem: mapped writable ("rw") */
#define CFG_RIGHT_SEND  0x04u /* doorbell: may ring (from); msgq: may send (senders) */
#define CFG_RIGHT_RECV  0x08u /* doorbell: is rung (to); msgq: may receive (receivers) */
#define CFG_RIGHT_WAIT  0x10u /* semaphore: may wait */
#define CFG_RIGHT_POST  0x20u /* semaphore: may post */
#define CFG_RIGHT_LOCK  0x40u /* mutex: may lock and unlock */
/* The rights and types are guest ABI too (BH_HC_IPC_INFO): one set of values. */
_Static_assert(CFG_RIGHT_READ == BH_IPC_RIGHT_READ && CFG_RIGHT_WRITE == BH_IPC_RIGHT_WRITE &&
                   CFG_RIGHT_SEND == BH_IPC_RIGHT_SEND && CFG_RIGHT_RECV == BH_IPC_RIGHT_RECV &&
                   CFG_RIGHT_WAIT == BH_IPC_RIGHT_WAIT && CFG_RIGHT_POST == BH_IPC_RIGHT_POST &&
                   CFG_RIGHT_LOCK == BH_IPC_RIGHT_LOCK,
               "channel rights differ from include/bulkhead/abi.h");

/*
 * One member of a network segment (cfg_chan.net[vm index]; config_net.c). Members hold no
 * IPC right (cfg_chan.rights stays 0: a segment has no IPC register page); membership is
 * cfg_chan.net_members.
 */
#define CFG_NET_MAC_LEN 6
struct cfg_net_member {
    uint8_t mac[CFG_NET_MAC_LEN]; /* unicast; default 02:42:ac:<chan id>:00:<vm index> */
    uint8_t reach;                /* VM-index mask of the members it may send to */
    uint8_t slot;                 /* k: its device is the VM's k-th (VPLAT_NET_*) */
    uint32_t intid;               /* its device's SPI; 0 until checked (default 48 + k) */
    uint32_t rate_pps;            /* frames it may send per second; 0 = no limit */
    uint32_t rate_bps;            /* bytes it may send per second; 0 = no limit */
};

struct cfg_chan {
    bool valid;                        /* false: an error was reported; the object is absent */
    char name[CFG_CHAN_NAME_MAX + 1];  /* node name; "" if it was bad */
    enum cfg_chan_type type;
    uint8_t rights[CFG_MAX_VMS];       /* CFG_RIGHT_* per VM index */
    uint32_t intid;      /* doorbell: SPI raised in `to` */
    uint32_t to_vm;      /* doorbell: VM index rung */
    uint32_t rate_count; /* doorbell: rings each sender may make per rate_period_us; 0 = any */
    uint32_t rate_period_us;
    uint32_t rx_intid;   /* msgq: raised in receivers when it becomes non-empty; 0 = none */
    uint32_t tx_intid;   /* msgq: raised in senders when it becomes non-full; 0 = none */
    uint32_t sem_initial;
    uint32_t sem_max;
    uint32_t depth;      /* msgq: messages */
    uint32_t msg_size;   /* msgq: bytes per message at most */
    uint64_t shm_size;   /* shmem: bytes, multiple of CFG_PAGE_SIZE */
    uint64_t shm_ipa[CFG_MAX_VMS]; /* shmem: guest-physical base in each member */
    uint8_t net_members;           /* net: VM-index mask of the segment's members */
    struct cfg_net_member net[CFG_MAX_VMS]; /* net: per member VM index */
};

/* Scheduling policy of one pCPU (/schedule, config_sched.c, docs/SCHEDULING.md). */
enum cfg_sched_policy {
    CFG_SCHED_EXCLUSIVE,  /* one vCPU, no scheduler (the default) */
    CFG_SCHED_PRIORITY,   /* fixed priority, budgets per period */
    CFG_SCHED_PARTITIONS, /* a static major frame of windows, each owned by one VM */
};
#define CFG_SCHED_MAX_WINDOWS   16
#define CFG_SCHED_FRAME_US_MIN  100u
#define CFG_SCHED_FRAME_US_MAX  10000000u
#define CFG_SCHED_BUDGET_US_MIN 50u

struct cfg_sched_window {
    uint32_t start_us; /* from the start of the major frame */
    uint32_t len_us;
    uint32_t vm;       /* index in cfg_scenario.vms */
};

struct cfg_sched_cpu {
    uint8_t policy;          /* enum cfg_sched_policy */
    uint32_t frame_us;       /* partitions: the major frame */
    uint32_t window_count;
    struct cfg_sched_window windows[CFG_SCHED_MAX_WINDOWS];
};

struct cfg_scenario {
    uint32_t vm_count;                /* VM nodes stored, valid or not */
    struct cfg_vm vms[CFG_MAX_VMS];   /* in scenario order */
    uint32_t chan_count;              /* /channels children stored, valid or not */
    struct cfg_chan chans[CFG_MAX_CHANS]; /* index = object ID */
    uint32_t error_count;             /* lines reported through cfg_hooks.error */
    /* Root property rt-slice-us (config_rt.c): the round-robin time slice of non-real-time
     * pCPUs in microseconds, 0 off, CFG_RT_SLICE_PLATFORM: the platform's default. */
    uint32_t rt_slice_us;
    /* Root property llc-way-size (config_colour.c): the last-level cache's way size in bytes,
     * colours = llc_way_size / CFG_PAGE_SIZE; 0: none given (no VM may be coloured). */
    uint32_t llc_way_size;
    bool llc_way_bad;                 /* given but malformed (reported once, at the root) */
    /* Per pCPU: its scheduling policy from /schedule (config_sched.c). */
    struct cfg_sched_cpu sched[CFG_MAX_VCPUS];
};
#define CFG_RT_SLICE_PLATFORM UINT32_MAX
#define CFG_RT_SLICE_US_MIN   20u
#define CFG_RT_SLICE_US_MAX   10000u

/* The slice a scenario asks for: its rt-slice-us, or platform_us when it names none. */
uint32_t cfg_rt_slice_us(const struct cfg_scenario *s, uint32_t platform_us);

/* Whether pCPU cpu's policy lets several vCPUs name it (priority, partitions). */
bool cfg_sched_is_shared(const struct cfg_scenario *s, uint32_t cpu);

/* ------------------------------------------------------------------------------------------
 * Cache colouring (config_colour.c, docs/COLOURING.md). A colour is a set of 4 KiB pages that
 * share last-level-cache sets: page pa has colour (pa / CFG_PAGE_SIZE) % colours. A coloured
 * VM's RAM and the translation tables that map it (its stage 2 and the hypervisor's alias of
 * its RAM) are pages of its colours only, taken round-robin over its colours in ascending
 * order from one pool that the boot carves for every coloured VM together.
 */
#define CFG_COLOUR_MAX      64u /* colours (bits of cfg_vm.colours) */
#define CFG_LLC_WAY_MIN     (2 * CFG_PAGE_SIZE)
#define CFG_LLC_WAY_MAX     (CFG_COLOUR_MAX * CFG_PAGE_SIZE)
/* The hypervisor's alias of a coloured VM's RAM starts on this boundary (arch's window). */
#define CFG_COLOUR_ALIAS_ALIGN (UINT64_C(1) << 30)

/* The scenario's colour count (llc-way-size / 4 KiB), 0 without colouring. */
uint32_t cfg_colour_count(const struct cfg_scenario *s);
/* Pages a coloured VM takes from its colours: its RAM's 4 KiB pages and, at most, the
 * translation tables that map them with pages (stage 2 at mem_ipa, the alias at a
 * CFG_COLOUR_ALIAS_ALIGN boundary). 0 for an uncoloured VM. */
uint64_t cfg_colour_pages(const struct cfg_vm *vm);
/* Of those, how many come from colour (round-robin from its lowest colour); 0 if not its. */
uint64_t cfg_colour_share(const struct cfg_vm *vm, uint32_t colour);
/* Bytes of the colour pool the valid coloured VMs among vms[0, upto) need together: the
 * largest per-colour demand times the way size, in whole 2 MiB blocks (CFG_MEM_ALIGN). */
uint64_t cfg_colour_pool_size(const struct cfg_scenario *s, uint32_t upto);
/* RAM the valid VMs among vms[0, upto) take: uncoloured memory-size plus the colour pool. */
uint64_t cfg_vm_ram(const struct cfg_scenario *s, uint32_t upto);
/* The colours of mask as "0-3,8" into buf (cap bytes; 160 hold any mask). Returns buf. */
const char *cfg_colour_list(uint64_t mask, char *buf, size_t cap);

/* ------------------------------------------------------------------------------------------
 * Images and where the loader puts them (config_image.c). One function decides, for bhcfg
 * (image files on the host) and for the loader at boot (verified bundle data), so an image the
 * checker passes is loaded the same way.
 */
#define CFG_IMAGE_HEAD 64 /* arm64 Image header bytes (Documentation/arch/arm64/booting.rst) */

/* What the hooks tell about one image. */
struct cfg_image {
    uint64_t size;                 /* bytes */
    uint32_t head_len;             /* bytes valid in head: min(size, CFG_IMAGE_HEAD) */
    uint8_t head[CFG_IMAGE_HEAD];  /* the first bytes of the image */
};

/* A VM's images in its RAM, as offsets from the RAM base (all checked to fit mem_size). */
struct cfg_layout {
    uint64_t kernel_off; /* Image: header text_offset; raw: 0 */
    uint64_t kernel_end; /* kernel_off + max(file size, Image header image_size) */
    uint64_t entry_off;  /* where vCPU 0 starts: kernel_off (Image) or entry (raw) */
    uint64_t initrd_off; /* 4 KiB aligned, right below the device tree; = dtb_off if none */
    uint64_t dtb_off;    /* mem_size - CFG_FDT_RESERVE */
};

/*
 * Check vm's kernel (kernel->head, the file's first bytes; kernel->size) and initrd size
 * against its kernel-type, entry and memory-size, and compute where each goes. Every size and
 * offset is checked without overflow (lib/range.h). Returns 0 and *out, or -BH_EINVAL with
 * the property to blame in *prop and the reason in why (why_len bytes, NUL-terminated).
 */
BH_MUST_CHECK int cfg_image_layout(const struct cfg_vm *vm, const struct cfg_image *kernel,
                                   uint64_t initrd_size, struct cfg_layout *out,
                                   const char **prop, char *why, size_t why_len);

/* How cfg_parse reports and finds things outside the device tree. */
struct cfg_hooks {
    void *ctx;
    /* One error line: "<file>: <node path>: <property>: <reason>", no newline. */
    void (*error)(void *ctx, const char *msg);
    /*
     * Whether the image `path` (as written in the scenario) exists: 0 and its size and first
     * bytes in *out, or -BH_ENOENT. NULL skips the image checks (existence, format, layout).
     */
    int (*image)(void *ctx, const char *path, struct cfg_image *out);
};

/*
 * Parse and validate the scenario `fdt` (named `file` in messages) against the platform
 * `plat` (cpu_count, RAM, GIC, console UART and vm_ram_avail are used). fdt must point to at
 * least fdt_totalsize(fdt) readable bytes. No allocation; `out` is about 23 KiB, so at EL2 it
 * should be static, not on the stack.
 * Every problem is reported as one line through hooks->error and counted in
 * out->error_count. A problem in a VM marks that VM invalid and the others are still checked
 * and may stay valid; where two VMs conflict (CPU, device, interrupt, total memory) the later
 * one in the scenario is refused. VM nodes beyond CFG_MAX_VMS are reported and dropped.
 * The optional /channels node is read after the VMs: a problem in a channel marks that
 * channel invalid (out->chans[i].valid) and never a VM; of two conflicting channels the later
 * one is refused.
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

/* "shmem" / "doorbell" / "semaphore" / "mutex" / "msgq" / "net-segment" (the compatible
 * without "bulkhead,"). */
const char *cfg_chan_type_name(enum cfg_chan_type type);

/* The VM named `name`, or NULL. */
const struct cfg_vm *cfg_find_vm(const struct cfg_scenario *sc, const char *name);
