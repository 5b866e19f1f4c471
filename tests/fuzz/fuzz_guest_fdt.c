// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the guest device-tree generator (core/vm/guest_fdt.c) with VM configuration
 * fields taken from the input, within what the configuration checks guarantee (counts within
 * their limits, strings NUL-terminated) but otherwise arbitrary: names, bootargs bytes,
 * addresses and sizes, pass-through devices with compatible lists and SPIs, initrd placement,
 * and the size of the output buffer.
 *
 * Checked: the result is a blob size or -BH_ENOMEM, never more than the buffer; a blob passes
 * libfdt's full structural check (fdt_check_full) and carries the bootargs unchanged.
 */
#include <string.h>

#include <libfdt.h>

#include <core/vm/guest_fdt.h>

#include "fuzz_input.h"

#define BUF_MAX 65536

static struct cfg_vm vm;
static uint8_t buf[BUF_MAX];

/* Up to max - 1 input bytes (stopping at a NUL) into s, NUL-terminated; returns the length. */
static size_t take_str(struct fuzz_in *in, char *s, size_t max)
{
    size_t n = fuzz_in_u8(in) % max;

    for (size_t i = 0; i < n; i++) {
        s[i] = (char)fuzz_in_u8(in);
        if (s[i] == '\0') {
            return i;
        }
    }
    s[n] = '\0';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    struct guest_fdt_layout lay = { 0 };
    size_t bufsize = 256 + fuzz_in_bytes(&in, 2) % (BUF_MAX - 256 + 1);
    int r;

    memset(&vm, 0, sizeof(vm));
    vm.valid = true;
    vm.vcpu_count = 1 + fuzz_in_u8(&in) % CFG_MAX_VCPUS;
    vm.mem_ipa = fuzz_in_u64(&in);
    vm.mem_size = fuzz_in_u64(&in);
    vm.priority = fuzz_in_u8(&in);
    vm.ipc_notify = (enum cfg_ipc_notify)(fuzz_in_u8(&in) % 2);
    lay.initrd_ipa = fuzz_in_u64(&in);
    lay.initrd_size = fuzz_in_u8(&in) & 1 ? fuzz_in_u64(&in) : 0;
    take_str(&in, vm.name, sizeof(vm.name));
    take_str(&in, vm.bootargs, sizeof(vm.bootargs));
    vm.dev_count = fuzz_in_u8(&in) % (CFG_MAX_DEVS + 1);
    for (uint32_t d = 0; d < vm.dev_count; d++) {
        struct cfg_dev *dev = &vm.devs[d];
        take_str(&in, dev->name, sizeof(dev->name));
        /* A string list: NUL-separated, the last NUL included in compat_len. */
        dev->compat_len = 1 + fuzz_in_u8(&in) % CFG_COMPAT_MAX;
        for (uint32_t i = 0; i + 1 < dev->compat_len; i++) {
            dev->compat[i] = (char)fuzz_in_u8(&in);
        }
        dev->compat[dev->compat_len - 1] = '\0';
        dev->pa = fuzz_in_u64(&in);
        dev->ipa = fuzz_in_u64(&in);
        dev->has_ipa = true;
        dev->size = fuzz_in_u64(&in);
        dev->irq_count = fuzz_in_u8(&in) % (CFG_MAX_DEV_IRQS + 1);
        for (uint32_t i = 0; i < dev->irq_count; i++) {
            dev->irqs[i] = fuzz_in_u32(&in);
        }
    }
    r = guest_fdt_build(&vm, &lay, buf, bufsize);
    FUZZ_CHECK(r == -BH_ENOMEM || (r > 0 && (size_t)r <= bufsize));
    if (r > 0) {
        FUZZ_CHECK(fdt_check_full(buf, (size_t)r) == 0);
        int chosen = fdt_path_offset(buf, "/chosen");
        int len = 0;
        const char *args = chosen >= 0 ? fdt_getprop(buf, chosen, "bootargs", &len) : NULL;
        if (vm.bootargs[0] != '\0') {
            FUZZ_CHECK(args != NULL && strcmp(args, vm.bootargs) == 0);
        }
    }
    return 0;
}
