// SPDX-License-Identifier: MIT
/*
 * What the glue needs around the engine without an engine instance: the objects one VM may
 * use (for its device tree, from the validated scenario alone), the guest buffer check every
 * message hypercall makes before turning an IPA into a host pointer, and the translation of
 * results into the guest ABI's error codes (include/bulkhead/abi.h, docs/ABI.md).
 */
#include <bulkhead/abi.h>
#include <core/ipc/ipc.h>
#include <lib/string.h>

bool ipc_vm_object(const struct cfg_scenario *sc, unsigned v, unsigned id,
                   struct ipc_obj_info *info)
{
    if (id >= sc->chan_count || v >= CFG_MAX_VMS) {
        return false;
    }
    const struct cfg_chan *ch = &sc->chans[id];
    uint8_t rights = ch->rights[v];

    if (!ch->valid || rights == 0) {
        return false;
    }
    memset(info, 0, sizeof(*info));
    info->id = id;
    info->name = ch->name;
    info->type = ch->type;
    info->rights = rights;
    switch (ch->type) {
    case CFG_CHAN_SHMEM:
        info->shm_ipa = ch->shm_ipa[v];
        info->shm_size = ch->shm_size;
        return true; /* mapped memory: no register page */
    case CFG_CHAN_DOORBELL:
        info->intid = (rights & CFG_RIGHT_RECV) ? ch->intid : 0;
        break;
    case CFG_CHAN_SEM:
        info->sem_max = ch->sem_max;
        break;
    case CFG_CHAN_MSGQ:
        info->rx_intid = (rights & CFG_RIGHT_RECV) ? ch->rx_intid : 0;
        info->tx_intid = (rights & CFG_RIGHT_SEND) ? ch->tx_intid : 0;
        info->depth = ch->depth;
        info->msg_size = ch->msg_size;
        break;
    case CFG_CHAN_MUTEX:
    case CFG_CHAN_NET: /* no IPC right: not reached */
    case CFG_CHAN_TYPE_COUNT:
        break;
    }
    info->regs_ipa = VPLAT_IPC_IPA + (uint64_t)id * VPLAT_IPC_STRIDE;
    return true;
}

static void add_notif(struct ipc_notif *out, unsigned *n, unsigned max, uint32_t intid,
                      const char *obj, const char *kind)
{
    if (intid == 0) {
        return;
    }
    for (unsigned i = 0; i < *n; i++) {
        if (out[i].intid == intid) {
            return;
        }
    }
    if (*n < max) {
        out[(*n)++] = (struct ipc_notif){ .intid = intid, .obj = obj, .kind = kind };
    }
}

unsigned ipc_vm_notifications(const struct cfg_scenario *sc, unsigned v, struct ipc_notif *out,
                              unsigned max)
{
    struct ipc_obj_info info;
    unsigned n = 0;

    for (unsigned id = 0; sc && id < sc->chan_count; id++) {
        if (!ipc_vm_object(sc, v, id, &info)) {
            continue;
        }
        add_notif(out, &n, max, info.intid, info.name, "doorbell");
        add_notif(out, &n, max, info.rx_intid, info.name, "rx");
        add_notif(out, &n, max, info.tx_intid, info.name, "tx");
    }
    return n;
}

int64_t ipc_abi_result(int ret)
{
    switch (ret) {
    case 0:
        return BH_OK;
    case IPC_OWNER_DIED:
        return IPC_OWNER_DIED;
    case -BH_EPERM:
        return BH_E_DENIED;
    case -BH_ENOENT:
        return BH_E_NOENT;
    case -BH_ERANGE:
        return BH_E_RANGE;
    case -BH_EBUSY:
    case IPC_BLOCKED: /* never meant for the guest; "try again" is the safe reading */
        return BH_E_BUSY;
    case -BH_ENOTSUP:
        return BH_E_NOT_SUPPORTED;
    case -BH_ETIMEDOUT:
        return BH_E_TIMEOUT;
    case -BH_EINVAL:
    default:
        return BH_E_INVAL;
    }
}
