// SPDX-License-Identifier: MIT
/* The management device for the test guest's manager modes (mgmt_dev.h). */
#include "mgmt_dev.h"

#include <string.h>

#include "mmio.h"

int32_t mgmt_op(uint32_t reg, uint32_t target)
{
    mmio_write32(MGMT_REG(BH_MGMT_REG_TARGET), target);
    return (int32_t)mmio_read32(MGMT_REG(reg));
}

uint32_t mgmt_find_vm(const char *name)
{
    int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
    const volatile struct bh_mgmt_vm *v = (const volatile void *)(MGMT_SNAP + 1);

    for (int32_t i = 0; i < n; i++) {
        if (strcmp((const char *)v[i].name, name) == 0) {
            return v[i].id;
        }
    }
    return MGMT_NONE;
}

bool mgmt_snap_vm(uint32_t id, struct bh_mgmt_vm *out)
{
    /* the hypervisor's seqlock: an odd or changed sequence number means a torn copy */
    for (int tries = 0; tries < 4; tries++) {
        int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
        uint64_t seq = MGMT_SNAP->seq;
        bool found = false;
        const volatile struct bh_mgmt_vm *v = (const volatile void *)(MGMT_SNAP + 1);
        for (int32_t i = 0; i < n; i++) {
            if (v[i].id == id) {
                memcpy(out, (const void *)&v[i], sizeof(*out));
                found = true;
            }
        }
        if ((seq & 1) == 0 && MGMT_SNAP->seq == seq) {
            return found;
        }
    }
    return false;
}
