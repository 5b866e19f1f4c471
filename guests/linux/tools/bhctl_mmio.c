// SPDX-License-Identifier: MIT
/*
 * bhctl's transport in a manager VM: the management device (include/bulkhead/mgmt.h,
 * docs/ABI.md "Management device") found in /bulkhead-mgmt of the device tree, its register
 * page and read-only data pages mapped through /dev/mem (not RAM to Linux: Device memory, so
 * the data pages are copied with aligned 64-bit loads, never memcpy). TARGET and CURSOR
 * belong to the VM, not to a process, so each transaction (set target + operation, set
 * cursor + EVENTS + copy, SNAPSHOT + copy) holds an flock: a `bhctl events -f` in the
 * background and a `bhctl stop` in the foreground do not mix their registers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bhctl.h"

static const char *const dt_dirs[] = { "/sys/firmware/devicetree/base/bulkhead-mgmt",
                                       "/proc/device-tree/bulkhead-mgmt" };
#define LOCK_FILE     "/tmp/.bhctl.lock"
#define SNAP_TRIES    8
#define AREA_MAX      (BH_MGMT_SNAP_SIZE > BH_MGMT_EVT_SIZE ? BH_MGMT_SNAP_SIZE : BH_MGMT_EVT_SIZE)

static const uint32_t op_reg[BHCTL_OP_COUNT] = {
    [BHCTL_OP_START] = BH_MGMT_REG_START,     [BHCTL_OP_STOP] = BH_MGMT_REG_STOP,
    [BHCTL_OP_RESTART] = BH_MGMT_REG_RESTART, [BHCTL_OP_PAUSE] = BH_MGMT_REG_PAUSE,
    [BHCTL_OP_RESUME] = BH_MGMT_REG_RESUME,   [BHCTL_OP_SHUTDOWN] = BH_MGMT_REG_SHUTDOWN,
};

struct mmio_dev {
    volatile uint32_t *regs;
    const volatile uint64_t *data;
    int mem_fd, lock_fd;
};

static struct mmio_dev dev = { .mem_fd = -1, .lock_fd = -1 };
static uint64_t area[AREA_MAX / sizeof(uint64_t)];


/* <address size> (two 64-bit big-endian cells) of property prop under dir. */
static bool dt_pair(const char *dir, const char *prop, uint64_t *a, uint64_t *s)
{
    char path[160];
    uint8_t b[17];

    snprintf(path, sizeof(path), "%s/%s", dir, prop);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    ssize_t n = read(fd, b, sizeof(b));
    close(fd);
    if (n != 16) {
        return false;
    }
    *a = *s = 0;
    for (int i = 0; i < 8; i++) {
        *a = *a << 8 | b[i];
        *s = *s << 8 | b[8 + i];
    }
    return true;
}

static int mmio_open(struct bhctl_transport *t)
{
    const char *dir = NULL;
    struct stat st;
    uint64_t rpa, rsz, dpa, dsz;

    for (size_t i = 0; i < sizeof(dt_dirs) / sizeof(dt_dirs[0]) && !dir; i++) {
        dir = stat(dt_dirs[i], &st) == 0 ? dt_dirs[i] : NULL;
    }
    if (!dir) {
        return bhctl_fail(t, BHCTL_EXIT_NODEV,
                          "no management device (no /bulkhead-mgmt in the device "
                          "tree): this VM is not a manager");
    }
    if (!dt_pair(dir, "bulkhead,regs", &rpa, &rsz) || !dt_pair(dir, "bulkhead,data", &dpa, &dsz) ||
        rsz != BH_MGMT_PAGE || dsz != BH_MGMT_DATA_SIZE || (rpa | dpa) % BH_MGMT_PAGE) {
        return bhctl_fail(t, BHCTL_EXIT_NODEV,
                          "%s: bulkhead,regs / bulkhead,data missing or not "
                          "the sizes of management device v%u",
                          dir, BH_MGMT_VERSION);
    }
    dev.mem_fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
    if (dev.mem_fd < 0) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "/dev/mem: %s", strerror(errno));
    }
    void *r = mmap(NULL, BH_MGMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dev.mem_fd, (off_t)rpa);
    void *d = mmap(NULL, BH_MGMT_DATA_SIZE, PROT_READ, MAP_SHARED, dev.mem_fd, (off_t)dpa);
    if (r == MAP_FAILED || d == MAP_FAILED) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR,
                          "mmap of the management device: %s", strerror(errno));
    }
    dev.regs = r;
    dev.data = d;
    uint32_t magic = dev.regs[BH_MGMT_REG_MAGIC / 4], ver = dev.regs[BH_MGMT_REG_VERSION / 4];
    if (magic != BH_MGMT_MAGIC || ver != BH_MGMT_VERSION) {
        return bhctl_fail(t, BHCTL_EXIT_NODEV,
                          "management device at 0x%llx: magic 0x%08x version %u",
                          (unsigned long long)rpa, magic, ver);
    }
    dev.lock_fd = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    return 0;
}

static void lock(void)
{
    while (dev.lock_fd >= 0 && flock(dev.lock_fd, LOCK_EX) != 0 && errno == EINTR) {
    }
}

static void unlock(void)
{
    if (dev.lock_fd >= 0) {
        flock(dev.lock_fd, LOCK_UN);
    }
}

/* Aligned 64-bit loads from the data pages (off, bytes multiples of 8). */
static void copy_area(uint32_t off, uint32_t bytes)
{
    const volatile uint64_t *src = dev.data + off / 8;

    for (uint32_t i = 0; i < bytes / 8; i++) {
        area[i] = src[i];
    }
}

static int mmio_snapshot(struct bhctl_transport *t, struct bhctl_snap *out)
{
    const uint32_t seq_word = (BH_MGMT_SNAP_OFF + offsetof(struct bh_mgmt_snap, seq)) / 8;

    for (int tries = 0; tries < SNAP_TRIES; tries++) {
        lock();
        int32_t n = (int32_t)dev.regs[BH_MGMT_REG_SNAPSHOT / 4];
        uint64_t seq = dev.data[seq_word];
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        copy_area(BH_MGMT_SNAP_OFF, BH_MGMT_SNAP_SIZE);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        bool whole = (seq & 1) == 0 && dev.data[seq_word] == seq;
        unlock();
        if (n < 0) {
            return bhctl_fail(t, BHCTL_EXIT_ERROR, "SNAPSHOT answered %d", (int)n);
        }
        if (whole) {
            int r = bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, out, t->err, sizeof(t->err));
            if (!r && out->vm_count != (uint32_t)n) {
                return bhctl_fail(t, BHCTL_EXIT_ERROR, "SNAPSHOT answered %d, the area lists %u",
                                  (int)n, out->vm_count);
            }
            return r;
        }
    }
    return bhctl_fail(t, BHCTL_EXIT_ERROR, "no consistent snapshot in %d tries", SNAP_TRIES);
}

static int mmio_events(struct bhctl_transport *t, uint64_t cursor, struct bhctl_evbatch *out)
{
    lock();
    dev.regs[BH_MGMT_REG_CURSOR_LO / 4] = (uint32_t)cursor;
    dev.regs[BH_MGMT_REG_CURSOR_HI / 4] = (uint32_t)(cursor >> 32);
    int32_t n = (int32_t)dev.regs[BH_MGMT_REG_EVENTS / 4];
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    copy_area(BH_MGMT_EVT_OFF, BH_MGMT_EVT_SIZE);
    unlock();
    return bhctl_evt_parse(area, BH_MGMT_EVT_SIZE, n, out, t->err, sizeof(t->err));
}

static int32_t mmio_op(struct bhctl_transport *t, uint32_t vm, enum bhctl_op op)
{
    (void)t;
    if ((unsigned)op >= BHCTL_OP_COUNT) {
        return BH_E_INVAL;
    }
    lock();
    dev.regs[BH_MGMT_REG_TARGET / 4] = vm;
    int32_t r = (int32_t)dev.regs[op_reg[op] / 4];
    unlock();
    return r;
}

static void mmio_close(struct bhctl_transport *t)
{
    (void)t;
    if (dev.regs) {
        munmap((void *)dev.regs, BH_MGMT_PAGE);
    }
    if (dev.data) {
        munmap((void *)dev.data, BH_MGMT_DATA_SIZE);
    }
    if (dev.mem_fd >= 0) {
        close(dev.mem_fd);
    }
    if (dev.lock_fd >= 0) {
        close(dev.lock_fd);
    }
    dev = (struct mmio_dev){ .mem_fd = -1, .lock_fd = -1 };
}

struct bhctl_transport bhctl_mmio_transport = {
    .name = "mmio",
    .open = mmio_open,
    .snapshot = mmio_snapshot,
    .events = mmio_events,
    .op = mmio_op,
    .close = mmio_close,
};
