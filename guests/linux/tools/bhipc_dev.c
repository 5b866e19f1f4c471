// SPDX-License-Identifier: MIT
/* Bulkhead IPC objects from Linux user space: discovery, mapping, operations, notification
 * lines (see bhipc.h). */
#define _GNU_SOURCE
#include "bhipc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define IPC_DT     "/sys/firmware/devicetree/base/bulkhead-ipc"
#define GPIO_CHIPS 64
#define EVENTS_MAX 16

static const char *const type_compat[] = {
    [BH_IPC_SHMEM] = "bulkhead,shmem",     [BH_IPC_DOORBELL] = "bulkhead,doorbell",
    [BH_IPC_SEMAPHORE] = "bulkhead,semaphore", [BH_IPC_MUTEX] = "bulkhead,mutex",
    [BH_IPC_MSGQ] = "bulkhead,msgq",
};

/* Property prop of object node name: its bytes into buf; the length or -1. */
static int dt_prop(const char *name, const char *prop, void *buf, size_t cap)
{
    char path[256];
    snprintf(path, sizeof(path), IPC_DT "/%s/%s", name, prop);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, cap);
    close(fd);
    return (int)n;
}

static uint64_t be(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static bool dt_u32(const char *name, const char *prop, uint32_t *v)
{
    uint8_t b[4];
    if (dt_prop(name, prop, b, sizeof(b)) != 4) {
        return false;
    }
    *v = (uint32_t)be(b, 4);
    return true;
}

static bool dt_pair(const char *name, const char *prop, uint64_t *a, uint64_t *s)
{
    uint8_t b[16];
    if (dt_prop(name, prop, b, sizeof(b)) != 16) {
        return false;
    }
    *a = be(b, 8);
    *s = be(b + 8, 8);
    return true;
}

static int dt_object(const char *name, struct bh_obj *o)
{
    char compat[64] = "";

    memset(o, 0, sizeof(*o));
    snprintf(o->name, sizeof(o->name), "%s", name);
    if (dt_prop(name, "compatible", compat, sizeof(compat) - 1) < 0 ||
        !dt_u32(name, "bulkhead,id", &o->id) || !dt_u32(name, "bulkhead,rights", &o->rights)) {
        return -1;
    }
    o->type = UINT32_MAX;
    for (uint32_t t = 0; t < sizeof(type_compat) / sizeof(type_compat[0]); t++) {
        if (strcmp(compat, type_compat[t]) == 0) {
            o->type = t;
        }
    }
    if (o->type == BH_IPC_SHMEM) {
        return dt_pair(name, "reg", &o->shm_pa, &o->shm_size) ? 0 : -1;
    }
    dt_u32(name, "bulkhead,msg-size", &o->msg_size);
    dt_u32(name, "bulkhead,depth", &o->depth);
    return o->type != UINT32_MAX && dt_pair(name, "bulkhead,regs", &o->regs_pa, &o->regs_size)
               ? 0
               : -1;
}

static void *map_phys(uint64_t pa, uint64_t size)
{
    static int mem = -1;

    if (mem < 0) {
        mem = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
        if (mem < 0) {
            perror("bhipc: /dev/mem");
            return NULL;
        }
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, (off_t)pa);
    if (p == MAP_FAILED) {
        fprintf(stderr, "bhipc: mmap 0x%llx+0x%llx: %s\n", (unsigned long long)pa,
                (unsigned long long)size, strerror(errno));
        return NULL;
    }
    return p;
}

int bh_open(const char *name, struct bh_obj *o)
{
    if (dt_object(name, o) != 0) {
        fprintf(stderr, "bhipc: no object '%s' under " IPC_DT "\n", name);
        return -1;
    }
    if (o->type == BH_IPC_SHMEM) {
        o->shm = map_phys(o->shm_pa, o->shm_size);
        return o->shm ? 0 : -1;
    }
    o->regs = map_phys(o->regs_pa, o->regs_size);
    if (!o->regs) {
        return -1;
    }
    if (o->regs[BH_IPC_REG_MAGIC / 4] != BH_IPC_MAGIC || o->regs[BH_IPC_REG_ID / 4] != o->id) {
        fprintf(stderr, "bhipc: %s: register page at 0x%llx is not object %u's\n", name,
                (unsigned long long)o->regs_pa, o->id);
        return -1;
    }
    if (o->type == BH_IPC_MSGQ && o->regs_size > BH_IPC_MMIO_PAGE) {
        o->data = o->regs + BH_IPC_MMIO_PAGE / 4;
    }
    return 0;
}

int bh_probe_write(uint64_t pa, uint32_t v)
{
    uint64_t page = pa & ~(uint64_t)0xfff;
    volatile uint32_t *p = map_phys(page, 0x1000);

    if (!p) {
        return -1;
    }
    p[(pa & 0xfff) / 4] = v; /* the hypervisor answers an address outside the VM */
    return 0;
}

int bh_list(void)
{
    static const char *const tname[] = { "shmem", "doorbell", "semaphore", "mutex", "msgq" };
    DIR *d = opendir(IPC_DT);
    struct dirent *e;
    struct bh_obj o;
    int n = 0;

    if (!d) {
        fprintf(stderr, "bhipc: no " IPC_DT ": no IPC objects for this VM\n");
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || dt_object(e->d_name, &o) != 0) {
            continue;
        }
        printf("%-16s id=%u type=%s rights=0x%x", o.name, o.id,
               o.type < 5 ? tname[o.type] : "?", o.rights);
        if (o.type == BH_IPC_SHMEM) {
            printf(" shm=0x%llx+0x%llx", (unsigned long long)o.shm_pa,
                   (unsigned long long)o.shm_size);
        } else {
            printf(" regs=0x%llx", (unsigned long long)o.regs_pa);
        }
        if (o.type == BH_IPC_MSGQ) {
            printf(" depth=%u msg_size=%u", o.depth, o.msg_size);
        }
        printf("\n");
        n++;
    }
    closedir(d);
    return n;
}

int32_t bh_op(struct bh_obj *o, uint32_t reg, uint32_t timeout_us)
{
    o->regs[BH_IPC_REG_TIMEOUT / 4] = timeout_us;
    return (int32_t)o->regs[reg / 4];
}

int32_t bh_send_try(struct bh_obj *q, const void *msg, uint32_t len)
{
    const uint8_t *p = msg;
    uint32_t w;

    if (!q->data || len > BH_IPC_MMIO_PAGE) {
        return BH_E_RANGE;
    }
    /* device memory: whole aligned words */
    for (uint32_t i = 0; i < len; i += 4) {
        w = 0;
        memcpy(&w, p + i, len - i < 4 ? len - i : 4);
        q->data[i / 4] = w;
    }
    q->regs[BH_IPC_REG_LEN / 4] = len;
    return bh_op(q, BH_IPC_REG_SEND, 0);
}

int32_t bh_recv_try(struct bh_obj *q, void *buf, uint32_t cap)
{
    uint8_t *p = buf;

    if (!q->data) {
        return BH_E_RANGE;
    }
    int32_t r = bh_op(q, BH_IPC_REG_RECV, 0);
    if (r < 0) {
        return r;
    }
    if ((uint32_t)r > cap) {
        return BH_E_RANGE;
    }
    for (uint32_t i = 0; i < (uint32_t)r; i += 4) {
        uint32_t w = q->data[i / 4];
        memcpy(p + i, &w, (uint32_t)r - i < 4 ? (uint32_t)r - i : 4);
    }
    return r;
}

int bh_line_open(const char *line_name)
{
    char path[32];

    for (int c = 0; c < GPIO_CHIPS; c++) {
        struct gpiochip_info chip;
        snprintf(path, sizeof(path), "/dev/gpiochip%d", c);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &chip) < 0) {
            close(fd);
            continue;
        }
        for (uint32_t l = 0; l < chip.lines; l++) {
            struct gpio_v2_line_info info;
            memset(&info, 0, sizeof(info));
            info.offset = l;
            if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, &info) < 0 ||
                strcmp(info.name, line_name) != 0) {
                continue;
            }
            struct gpio_v2_line_request req;
            memset(&req, 0, sizeof(req));
            req.offsets[0] = l;
            req.num_lines = 1;
            snprintf(req.consumer, sizeof(req.consumer), "bhipc");
            req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING;
            int r = ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req);
            close(fd);
            if (r < 0) {
                fprintf(stderr, "bhipc: line %s on %s: %s\n", line_name, path,
                        strerror(errno));
                return -1;
            }
            return req.fd;
        }
        close(fd);
    }
    fprintf(stderr, "bhipc: no GPIO line named '%s' (is ipc-notify = \"gpio\"?)\n", line_name);
    return -1;
}

int bh_line_wait(int fd, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    struct gpio_v2_line_event ev[EVENTS_MAX];

    int r = poll(&p, 1, timeout_ms);
    if (r <= 0) {
        return 0;
    }
    /* the kernel hands over whole events; one read takes what is queued, up to EVENTS_MAX */
    if (read(fd, ev, sizeof(ev)) < (ssize_t)sizeof(ev[0])) {
        return 0;
    }
    return 1;
}

uint32_t bh_shm_rd(const struct bh_obj *o, uint64_t off)
{
    return *(const volatile uint32_t *)(o->shm + off);
}

void bh_shm_wr(struct bh_obj *o, uint64_t off, uint32_t v)
{
    *(volatile uint32_t *)(o->shm + off) = v;
}

int bh_pin_cpu(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}

uint64_t bh_now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

const char *bh_strerror(int32_t r)
{
    static const char *const names[] = { "OK", "NOT_SUPPORTED", "INVAL", "DENIED",
                                         "BUSY", "NOENT", "RANGE", "TIMEOUT" };
    if (r == BH_OWNER_DIED) {
        return "OWNER_DIED";
    }
    return (r <= 0 && r >= -7) ? names[-r] : "?";
}
