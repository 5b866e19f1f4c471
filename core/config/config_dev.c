// SPDX-License-Identifier: MIT
/*
 * Passthrough nodes of a VM: each child of /vms/<vm>/passthrough is one physical device
 * (MMIO window + SPIs) handed to that VM. Checks that need the other devices, the VM memory or
 * the platform live in config_check.c; here only each value on its own. Schema: docs/CONFIG.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/range.h>
#include <lib/string.h>

#define REG_BYTES 16 /* <addr-hi addr-lo size-hi size-lo> */

typedef void dev_prop_fn(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                         const char *path, const char *prop, const void *val, int len);

/* A string list ("a\0b\0"): copied as is into the guest device tree node. */
static void parse_dev_compat(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                             const char *path, const char *prop, const void *val, int len)
{
    const char *s = val;

    if (len <= 0 || s[len - 1] != '\0' || s[0] == '\0') {
        cfg_error(c, &vm->valid, path, prop, "must be a non-empty string list");
        return;
    }
    for (int i = 1; i < len; i++) {
        if (s[i] == '\0' && s[i - 1] == '\0') {
            cfg_error(c, &vm->valid, path, prop, "must not contain an empty string");
            return;
        }
    }
    if (len > CFG_COMPAT_MAX) {
        cfg_error(c, &vm->valid, path, prop, "too long: %d bytes (at most %d)", len,
                  CFG_COMPAT_MAX);
        return;
    }
    memcpy(dev->compat, s, (size_t)len);
    dev->compat_len = (uint32_t)len;
}

static void parse_dev_reg(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                          const char *path, const char *prop, const void *val, int len)
{
    if (!cfg_check_cells(c, &vm->valid, path, prop, val, len, "<u32> cells (2 address + 2 size)")) {
        return;
    }
    if (len != REG_BYTES) {
        cfg_error(c, &vm->valid, path, prop, "expected 4 cells (2 address + 2 size), got %d bytes",
                  len);
        return;
    }
    const fdt64_t *reg = val; /* only 4-byte aligned: fdt64_ld reads bytes */
    uint64_t base = fdt64_ld(&reg[0]);
    uint64_t size = fdt64_ld(&reg[1]);
    /*
     * Stage 2 maps whole pages: a register block that does not start or end on one (QEMU
     * virt's virtio-mmio transports are 0x200 apart) takes the rest of its pages with it,
     * and every overlap check uses the pages.
     */
    uint64_t off = base % CFG_PAGE_SIZE, pages;

    if (size == 0) {
        cfg_error(c, &vm->valid, path, prop, "size must not be 0");
    } else if (size > UINT64_MAX - off || !range_align_up(off + size, CFG_PAGE_SIZE, &pages) ||
               base - off > UINT64_MAX - pages) {
        cfg_error(c, &vm->valid, path, prop, "window 0x%llx+0x%llx wraps around",
                  (unsigned long long)base, (unsigned long long)size);
    } else {
        dev->pa = base - off;
        dev->size = pages;
        dev->reg_off = off;
        dev->reg_size = size;
    }
}

static void parse_dev_ipa(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                          const char *path, const char *prop, const void *val, int len)
{
    uint64_t ipa;

    dev->has_ipa = true;
    if (!cfg_read_u64(c, &vm->valid, path, prop, val, len, &ipa)) {
        return;
    }
    if (ipa % CFG_PAGE_SIZE != 0) {
        cfg_error(c, &vm->valid, path, prop, "0x%llx is not 4 KiB aligned",
                  (unsigned long long)ipa);
        return;
    }
    dev->ipa = ipa;
}

/* Why an SPI cannot be given to a guest, or NULL if it can (as far as this VM goes). */
static const char *irq_problem(const struct cfg_ctx *c, const struct cfg_dev *dev, uint32_t i)
{
    uint32_t intid = dev->irqs[i];

    if (intid < CFG_SPI_FIRST || intid > CFG_SPI_LAST) {
        return "is not an SPI (32..1019)";
    }
    if (intid == c->plat->uart_intid) {
        return "belongs to the hypervisor's console UART";
    }
    /* The vGIC delivers the virtual UART on this INTID; a physical one would alias it. */
    if (intid == VPLAT_UART_INTID) {
        return "is the virtual UART's interrupt in this VM";
    }
    for (uint32_t j = 0; j < i; j++) {
        if (dev->irqs[j] == intid) {
            return "is listed twice";
        }
    }
    return NULL;
}

static void parse_dev_irqs(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                           const char *path, const char *prop, const void *val, int len)
{
    dev->irq_count = cfg_read_cells(c, vm, path, prop, val, len, dev->irqs, CFG_MAX_DEV_IRQS,
                                    "interrupts");
    for (uint32_t i = 0; i < dev->irq_count; i++) {
        const char *why = irq_problem(c, dev, i);
        if (why != NULL) {
            cfg_error(c, &vm->valid, path, prop, "INTID %u %s", dev->irqs[i], why);
        }
    }
}

/* Boolean: the scenario accepts that this DMA-capable device can reach all memory. */
static void parse_dev_dma_ack(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                              const char *path, const char *prop, const void *val, int len)
{
    (void)val;
    if (len != 0) {
        cfg_error(c, &vm->valid, path, prop, "takes no value (write `%s;`)", prop);
        return;
    }
    dev->dma_unsafe_ack = true;
}

static const struct dev_prop {
    const char *name;
    bool required;
    dev_prop_fn *parse;
} dev_props[] = {
    { "compatible", true, parse_dev_compat },
    { "reg", true, parse_dev_reg },
    { "ipa", false, parse_dev_ipa },
    { "interrupts", false, parse_dev_irqs },
    { "dma-unsafe-ack", false, parse_dev_dma_ack },
};

#define DEV_PROP_COUNT (sizeof(dev_props) / sizeof(dev_props[0]))

static void parse_dev_props(struct cfg_ctx *c, struct cfg_vm *vm, struct cfg_dev *dev,
                            int node, const char *path)
{
    const char *known[DEV_PROP_COUNT + 1];

    for (size_t i = 0; i < DEV_PROP_COUNT; i++) {
        const struct dev_prop *p = &dev_props[i];
        int len;
        const void *val = fdt_getprop(c->fdt, node, p->name, &len);

        known[i] = p->name;
        if (val != NULL) {
            p->parse(c, vm, dev, path, p->name, val, len);
        } else if (p->required) {
            cfg_error(c, &vm->valid, path, p->name, "missing required property");
        }
    }
    known[DEV_PROP_COUNT] = NULL;
    cfg_check_unknown_props(c, &vm->valid, node, path, known);
    if (!dev->has_ipa) {
        dev->ipa = dev->pa;
    }
}

static void parse_dev(struct cfg_ctx *c, struct cfg_vm *vm, int node)
{
    char path[CFG_PATH_MAX];
    int namelen;
    const char *name = fdt_get_name(c->fdt, node, &namelen);

    bh_snprintf(path, sizeof(path), "%s/passthrough/%s", vm->path, name != NULL ? name : "?");
    if (vm->dev_count == CFG_MAX_DEVS) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP,
                  "too many passthrough devices (at most %d)", CFG_MAX_DEVS);
        return;
    }
    if (name == NULL || namelen > CFG_DEV_NAME_MAX) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP, "node name longer than %d characters",
                  CFG_DEV_NAME_MAX);
        return;
    }
    struct cfg_dev *dev = &vm->devs[vm->dev_count++];
    int child;

    memcpy(dev->name, name, (size_t)namelen);
    dev->name[namelen] = '\0';
    parse_dev_props(c, vm, dev, node, path);
    fdt_for_each_subnode(child, c->fdt, node) {
        char cpath[CFG_PATH_MAX];
        const char *cname = fdt_get_name(c->fdt, child, NULL);
        bh_snprintf(cpath, sizeof(cpath), "%s/%s", path, cname != NULL ? cname : "?");
        cfg_error(c, &vm->valid, cpath, CFG_NODE_PROP, "unknown child node");
    }
}

void cfg_parse_passthrough(struct cfg_ctx *c, struct cfg_vm *vm, int node)
{
    static const char *const none[] = { NULL };
    char path[CFG_PATH_MAX];
    int child;

    bh_snprintf(path, sizeof(path), "%s/passthrough", vm->path);
    cfg_check_unknown_props(c, &vm->valid, node, path, none);
    fdt_for_each_subnode(child, c->fdt, node) {
        parse_dev(c, vm, child);
    }
}
