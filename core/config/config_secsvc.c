// SPDX-License-Identifier: MIT
/*
 * The secure-services VM property (docs/TRUST.md "Mediation", docs/CONFIG.md):
 *
 *   secure-services = "trng", "keys", "attest";
 *
 * names the secure-world services and SMCCC ranges a VM may call; every other secure-world
 * call of the VM is denied by the hypervisor (core/dev/secpolicy.c) with SMCCC NOT_SUPPORTED
 * and an smc_deny event. PSCI and the SMCCC architecture calls are every VM's: a VM cannot
 * work without them, so "psci" may be named but never taken away. An unknown name, a name
 * given twice and a value that is not a string list are errors of the VM.
 */
#include <stdbool.h>
#include <stdint.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/string.h>

static const struct {
    const char *name;
    uint32_t bit;
} services[CFG_SEC_COUNT] = {
    { "psci", CFG_SEC_PSCI },     { "trng", CFG_SEC_TRNG }, { "keys", CFG_SEC_KEYS },
    { "attest", CFG_SEC_ATTEST }, { "tee", CFG_SEC_TEE },
};

const char *cfg_secure_service_name(uint32_t bit)
{
    for (unsigned i = 0; i < CFG_SEC_COUNT; i++) {
        if (services[i].bit == bit) {
            return services[i].name;
        }
    }
    return NULL;
}

static uint32_t service_bit(const char *name)
{
    for (unsigned i = 0; i < CFG_SEC_COUNT; i++) {
        if (strcmp(services[i].name, name) == 0) {
            return services[i].bit;
        }
    }
    return 0;
}

void cfg_parse_secure_services(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                               const void *val, int len)
{
    const char *s = val;
    uint32_t seen = 0;

    if (!cfg_is_string_value(val, len)) {
        cfg_error(c, &vm->valid, vm->path, prop,
                  "expected a list of service names (psci, trng, keys, attest, tee)");
        return;
    }
    /* A string list: len bytes, NUL-terminated members (cfg_is_string_value), bounded. */
    for (int off = 0; off < len; off += (int)strlen(s + off) + 1) {
        const char *name = s + off;
        uint32_t bit = service_bit(name);
        if (bit == 0) {
            cfg_error(c, &vm->valid, vm->path, prop,
                      "unknown secure service '%s' (psci, trng, keys, attest, tee)", name);
            return;
        }
        if (seen & bit) {
            cfg_error(c, &vm->valid, vm->path, prop, "secure service '%s' named twice", name);
            return;
        }
        seen |= bit;
    }
    vm->secure_services = seen | CFG_SEC_DEFAULT;
}
