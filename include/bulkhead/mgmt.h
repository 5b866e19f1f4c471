/* SPDX-License-Identifier: MIT */
/*
 * The management device (docs/MANAGEMENT.md, docs/ABI.md "Management device"): what a manager
 * VM (one the scenario grants `observe` and/or `control` on other VMs) sees at
 * BH_MGMT_MMIO_BASE. A register page (32-bit accesses, trapped) and read-only data pages
 * (ordinary memory the hypervisor fills, so reading them costs no exit). An operation is a
 * read of its register and returns its result: BH_OK, a count, or a BH_E_* code as a 32-bit
 * two's complement number. Shared with guests and tools: fixed-width types only, sizes
 * static_assert'ed.
 */
#pragma once

#include <stdint.h>

#define BH_MGMT_MMIO_BASE    UINT64_C(0x0a100000)
#define BH_MGMT_PAGE         0x1000u
#define BH_MGMT_DATA_OFF     0x1000u  /* data pages follow the register page */
#define BH_MGMT_DATA_PAGES   8u
#define BH_MGMT_DATA_SIZE    (BH_MGMT_DATA_PAGES * BH_MGMT_PAGE)
#define BH_MGMT_MMIO_SIZE    (BH_MGMT_DATA_OFF + BH_MGMT_DATA_SIZE)
/* Inside the data pages: the snapshot area, then the event area. */
#define BH_MGMT_SNAP_OFF     0x0000u
#define BH_MGMT_SNAP_SIZE    0x3000u
#define BH_MGMT_EVT_OFF      0x3000u
#define BH_MGMT_EVT_SIZE     (BH_MGMT_DATA_SIZE - BH_MGMT_EVT_OFF)

/* Registers (offsets in the register page). RO: read-only, RW: the manager's own settings. */
#define BH_MGMT_REG_MAGIC    0x000u /* RO BH_MGMT_MAGIC */
#define BH_MGMT_REG_VERSION  0x004u /* RO BH_MGMT_VERSION */
#define BH_MGMT_REG_VM_COUNT 0x008u /* RO VMs in the scenario (VM indices 0..count-1) */
#define BH_MGMT_REG_SELF     0x00cu /* RO the manager's own VM index */
#define BH_MGMT_REG_TARGET   0x010u /* RW VM index the lifecycle operations apply to */
#define BH_MGMT_REG_RIGHTS   0x014u /* RO BH_MGMT_RIGHT_* the manager holds on TARGET */
#define BH_MGMT_REG_CURSOR_LO 0x018u /* RW sequence number EVENTS reads from (low half) */
#define BH_MGMT_REG_CURSOR_HI 0x01cu /* RW ... (high half); EVENTS advances it */
#define BH_MGMT_REG_START    0x040u /* op: start a defined or stopped VM (reloaded from the bundle) */
#define BH_MGMT_REG_STOP     0x044u /* op: stop at once (vCPUs pulled out) */
#define BH_MGMT_REG_RESTART  0x048u /* op: stop and start again */
#define BH_MGMT_REG_PAUSE    0x04cu /* op: vCPUs parked where they are */
#define BH_MGMT_REG_RESUME   0x050u /* op: a paused VM continues where it was */
#define BH_MGMT_REG_SHUTDOWN 0x054u /* op: graceful stop: the guest is asked, then stopped */
#define BH_MGMT_REG_SNAPSHOT 0x060u /* op: statistics into the snapshot area -> VMs described */
#define BH_MGMT_REG_EVENTS   0x064u /* op: records from CURSOR into the event area -> count */

#define BH_MGMT_MAGIC        UINT32_C(0x474d4842) /* "BHMG" */
#define BH_MGMT_VERSION      3u /* 2: bh_mgmt_vcpu.idle_ns, bh_mgmt_ipc.bytes; 3: bh_mgmt_vcpu
                                   * grows 40 -> 80 bytes (wait_ns, throttled_ns, preemptions,
                                   * throttles), so bh_mgmt_vm 552 -> 872 */

/* Rights (scenario: /vms/<vm>/management/<target> rights = "observe", "control"). */
#define BH_MGMT_RIGHT_OBSERVE 0x1u /* state, statistics, events */
#define BH_MGMT_RIGHT_CONTROL 0x2u /* lifecycle operations */
#define BH_MGMT_RIGHT_SELF    0x4u /* in a snapshot: the manager itself (always observable) */

/* VM states (struct bh_mgmt_vm.state). */
#define BH_MGMT_STATE_REFUSED  1u /* bad configuration or image: never runs */
#define BH_MGMT_STATE_DEFINED  2u /* built, not started (autostart = <0>) */
#define BH_MGMT_STATE_RUNNING  3u
#define BH_MGMT_STATE_PAUSED   4u
#define BH_MGMT_STATE_STOPPING 5u /* transient: vCPUs being pulled out, or reloading */
#define BH_MGMT_STATE_STOPPED  6u

/* vCPU states (struct bh_mgmt_vcpu.state). */
#define BH_MGMT_VCPU_OFF      0u
#define BH_MGMT_VCPU_PENDING  1u /* CPU_ON accepted */
#define BH_MGMT_VCPU_RUNNING  2u

/* Exit classes (struct bh_mgmt_vm.exits[]). */
#define BH_MGMT_EXIT_HVC     0u
#define BH_MGMT_EXIT_SMC     1u
#define BH_MGMT_EXIT_SYSREG  2u
#define BH_MGMT_EXIT_DABT    3u
#define BH_MGMT_EXIT_IABT    4u
#define BH_MGMT_EXIT_IRQ     5u
#define BH_MGMT_EXIT_OTHER   6u
#define BH_MGMT_EXIT_WFI     7u /* a WFI: the vCPU went idle */
#define BH_MGMT_EXIT_CLASSES 8u /* array size */

#define BH_MGMT_VCPUS        8u
#define BH_MGMT_NAME_MAX     16u /* NUL included */

struct bh_mgmt_vcpu {
    uint32_t state;      /* BH_MGMT_VCPU_* */
    uint32_t pcpu;       /* physical CPU it is pinned to */
    uint64_t run_ns;     /* time running guest code (WFE is not trapped: counted here) */
    uint64_t blocked_ns; /* time blocked in the hypervisor in IPC calls */
    uint64_t paused_ns;  /* time held by a pause */
    uint64_t idle_ns;    /* time idle in WFI (PSCI CPU_SUSPEND included) */
    /* version 3: the scheduler of a shared pCPU (docs/SCHEDULING.md); 0 on an exclusive one.
     * There run_ns is the time it held the pCPU, and time runnable without it is not idle,
     * blocked or paused but one of these two: */
    uint64_t wait_ns;      /* runnable with budget left while another vCPU had the pCPU */
    uint64_t throttled_ns; /* runnable with its budget gone */
    uint64_t preemptions;  /* switched out while it could have run on (a higher priority, the
                            * end of its turn or of its partition window) */
    uint64_t throttles;    /* how often its budget ran out */
    uint64_t reserved;
};

struct bh_mgmt_vm {
    char name[BH_MGMT_NAME_MAX];
    uint32_t id;          /* VM index */
    uint32_t state;       /* BH_MGMT_STATE_* */
    uint32_t rights;      /* BH_MGMT_RIGHT_* the manager holds on it */
    uint32_t nr_vcpus;
    uint32_t priority;    /* scenario priority (0: not real-time) */
    uint32_t flags;       /* BH_MGMT_VMF_* */
    uint64_t uptime_ns;   /* since the last start (0 when not running or paused) */
    uint64_t mem_bytes;   /* RAM assigned */
    uint64_t starts;      /* starts, including restarts */
    uint64_t restarts;
    uint64_t faults;
    uint64_t denials;
    uint64_t irqs_injected;
    uint64_t mmio_emulated;
    uint64_t events;
    uint64_t events_dropped;
    uint64_t exits[BH_MGMT_EXIT_CLASSES];
    uint64_t uart_tx_bytes;   /* console: bytes the guest wrote */
    uint64_t uart_rx_bytes;   /* console: input bytes it received */
    uint64_t uart_rx_dropped; /* console: input bytes lost (its FIFO was full) */
    uint64_t reserved[3];
    struct bh_mgmt_vcpu vcpu[BH_MGMT_VCPUS];
};
#define BH_MGMT_VMF_AUTOSTART  0x1u
#define BH_MGMT_VMF_MANAGEABLE 0x2u

/* Per IPC object the manager observes a member of (struct bh_mgmt_snap.ipc_count entries). */
struct bh_mgmt_ipc {
    char name[32];
    uint32_t id;      /* object ID */
    uint32_t type;    /* BH_IPC_* */
    uint64_t ops;     /* calls that succeeded */
    uint64_t blocked; /* calls that had to wait */
    uint64_t busy;    /* would have blocked, and the caller would not */
    uint64_t denied;  /* refused by the policy */
    uint64_t invalid; /* bad lengths or buffers */
    uint64_t timeouts;
    uint64_t bytes;   /* msgq: payload bytes of the messages sent */
};

/*
 * The snapshot area. seq is odd while the hypervisor writes the area and even once it is
 * complete (a seqlock): a reader copies the area, then checks that seq was even and did not
 * change. Only SNAPSHOT reads of the manager's own vCPUs write it.
 */
struct bh_mgmt_snap {
    uint32_t magic;      /* BH_MGMT_SNAP_MAGIC */
    uint32_t version;    /* BH_MGMT_VERSION */
    uint64_t seq;
    uint64_t time_ns;    /* when it was taken (ns since boot) */
    uint64_t evt_next;   /* the event log's next sequence number */
    uint32_t vm_count;   /* struct bh_mgmt_vm entries that follow */
    uint32_t ipc_count;  /* struct bh_mgmt_ipc entries after them */
    uint32_t vm_size;    /* sizeof(struct bh_mgmt_vm) */
    uint32_t ipc_size;   /* sizeof(struct bh_mgmt_ipc) */
    uint64_t console_ring_full;  /* hypervisor console: appends that waited for the UART */
    uint64_t console_escaped;    /* guest bytes shown as \xHH */
    uint64_t reserved[2];
    /* struct bh_mgmt_vm vms[vm_count]; struct bh_mgmt_ipc ipc[ipc_count]; */
};
#define BH_MGMT_SNAP_MAGIC   UINT32_C(0x4e534842) /* "BHSN" */

#define BH_MGMT_EVT_TEXT_MAX 144u /* NUL included */
#define BH_MGMT_EVT_KIND_MAX 16u  /* NUL included */
#define BH_MGMT_VM_NONE      UINT32_C(0xffffffff)

/* One event record: the structured form of an `EVT vm=<name> kind=<kind> k=v...` line. */
struct bh_mgmt_event {
    uint64_t seq;        /* sequence number in the log (no gaps in the log itself) */
    uint64_t time_ns;    /* ns since boot */
    uint32_t vm;         /* VM index, or BH_MGMT_VM_NONE */
    uint32_t reserved;
    char kind[BH_MGMT_EVT_KIND_MAX];
    char text[BH_MGMT_EVT_TEXT_MAX]; /* the key=value fields after kind= */
};

/*
 * The event area after EVENTS: the records with sequence numbers from CURSOR on that the
 * manager may see (its own VM's and those it observes), oldest first; CURSOR is advanced
 * past the last record examined. missed counts sequence numbers the manager asked for that
 * the log had already overwritten (its cursor fell more than the log's size behind).
 */
struct bh_mgmt_evt_hdr {
    uint32_t magic;      /* BH_MGMT_EVT_MAGIC */
    uint32_t count;      /* records that follow */
    uint64_t first;      /* the cursor the read started at */
    uint64_t next;       /* the cursor after it (also in CURSOR_LO/HI) */
    uint64_t missed;     /* records lost before `first` was reached */
    uint64_t log_next;   /* the log's next sequence number at the time of the read */
    uint64_t reserved[3];
};
#define BH_MGMT_EVT_MAGIC    UINT32_C(0x56454842) /* "BHEV" */
#define BH_MGMT_EVT_MAX \
    ((BH_MGMT_EVT_SIZE - sizeof(struct bh_mgmt_evt_hdr)) / sizeof(struct bh_mgmt_event))

_Static_assert(sizeof(struct bh_mgmt_vcpu) == 80, "ABI: bh_mgmt_vcpu");
_Static_assert(sizeof(struct bh_mgmt_vm) == 872, "ABI: bh_mgmt_vm");
_Static_assert(sizeof(struct bh_mgmt_ipc) == 96, "ABI: bh_mgmt_ipc");
_Static_assert(sizeof(struct bh_mgmt_snap) == 80, "ABI: bh_mgmt_snap");
_Static_assert(sizeof(struct bh_mgmt_event) == 184, "ABI: bh_mgmt_event");
_Static_assert(sizeof(struct bh_mgmt_evt_hdr) == 64, "ABI: bh_mgmt_evt_hdr");
_Static_assert(sizeof(struct bh_mgmt_snap) + 8 * sizeof(struct bh_mgmt_vm) +
                   32 * sizeof(struct bh_mgmt_ipc) <= BH_MGMT_SNAP_SIZE,
               "ABI: a snapshot of 8 VMs and 32 objects fits its area");
