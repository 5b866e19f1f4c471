// SPDX-License-Identifier: MIT
/*
 * Measured boot, the hypervisor's part (vm_measure.h, docs/TRUST.md "Measured boot"). The
 * firmware measured the hypervisor and the bundle before we ran; we add each VM's kernel
 * image as its VM is built, in VM order, so the PCR is a function of the bundle alone and a
 * verifier computes it on the host (tools/fwsign measure). The digest is the bundle's sha256
 * value for the image, which load_image has just checked against the image's bytes.
 */
#include <core/vm/vm_measure.h>

#include <arch/secfw.h>
#include <bulkhead/secsvc.h>
#include <core/config/config.h>
#include <core/hyp.h>
#include <core/vm/bundle.h>
#include <lib/fmt.h>
#include <lib/string.h>
#include <libfdt.h>

#define DIGEST_BYTES 32

/* The verified sha256 value of the kernel image of vm, or NULL. */
static const uint8_t *kernel_digest(const void *fit, const char *path)
{
    struct bundle_image img;
    int h;

    if (bundle_find(fit, path, &img) != 0) {
        return NULL;
    }
    fdt_for_each_subnode(h, fit, img.node) {
        int len = 0;
        const char *algo = fdt_getprop(fit, h, "algo", NULL);
        const uint8_t *v = fdt_getprop(fit, h, "value", &len);
        if (algo && strcmp(algo, "sha256") == 0 && v && len == DIGEST_BYTES) {
            return v;
        }
    }
    return NULL;
}

void vm_measure(struct vm *vm, const void *fit)
{
    const uint8_t *d;
    int64_t r;

    if (!arch_secfw_present()) {
        return;
    }
    d = kernel_digest(fit, vm->cfg->kernel);
    r = d ? arch_secfw_measure_vm(vm->id, d) : BH_E_NOENT;
    if (r != BH_OK) {
        hyp_printf("bulkhead: vm %s not measured (%lld)", vm->name, (long long)r);
    }
}

static void print_digest(char *buf, const uint8_t d[DIGEST_BYTES])
{
    for (unsigned i = 0; i < DIGEST_BYTES; i++) {
        bh_snprintf(buf + 2 * i, 3, "%02x", d[i]);
    }
}

void vm_measure_done(void)
{
    static const char *const kinds[] = { "?", "hyp", "bundle", "vm" };
    uint8_t d[DIGEST_BYTES];
    char hex[2 * DIGEST_BYTES + 1];
    uint32_t what;

    if (!arch_secfw_present()) {
        return;
    }
    arch_secfw_measure_done();
    for (uint64_t i = 0; i < BH_MLOG_MAX && arch_secfw_log_read(i, &what, d) == 0; i++) {
        uint32_t kind = what & 0xff;
        print_digest(hex, d);
        if (kind == BH_MLOG_VM) {
            hyp_printf("bulkhead: measurement %llu kind=vm id=%u sha256=%s",
                       (unsigned long long)i, what >> 8, hex);
        } else {
            hyp_printf("bulkhead: measurement %llu kind=%s sha256=%s", (unsigned long long)i,
                       kind < 3 ? kinds[kind] : "?", hex);
        }
    }
    if (arch_secfw_log_read(UINT64_MAX, &what, d) == 0) {
        print_digest(hex, d);
        hyp_printf("bulkhead: measured boot pcr=%s", hex);
    }
}
