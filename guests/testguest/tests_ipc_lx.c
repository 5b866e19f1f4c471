// SPDX-License-Identifier: MIT
/*
 * tg.ipc=lxpeer: the bare-metal side of tests/scenarios/l-linux-ipc, where Linux user space
 * (guests/linux/tools/bhipc, /etc/bh/ipc) uses the IPC objects through their register pages,
 * /dev/mem and GPIO notification lines. In order:
 *   1. Linux writes "hello from linux" at lx_shm+0 and rings to_peer; we check it, answer
 *      "hello from peer" at lx_shm+256 and ring to_lx.
 *   2. Every message on lx_up goes back unchanged on lx_down (Linux checks order and
 *      content), until the one-byte end marker 0xff, which is echoed too.
 *   3. We add tg.ipc_count to the counter at lx_shm+1024 under lx_lock while Linux adds the
 *      same; then post lx_sem, after which Linux checks the sum.
 */
#include <string.h>

#include "bootargs.h"
#include "report.h"
#include "tests_ipc.h"
#include "timer.h"

#define HELLO_LX      "hello from linux"
#define HELLO_PEER    "hello from peer"
#define PEER_OFF      256
#define COUNTER_OFF   1024
#define BOOT_WAIT_MS  300000 /* Linux boots first: minutes on a loaded host */
#define STEP_NS       (60000 * IPC_NS_PER_MS)
#define LOCK_NS       (5000 * IPC_NS_PER_MS)
#define END_MARK      0xff
#define DEF_COUNT     500
#define BUF_WORDS     512

static uint64_t buf[BUF_WORDS] __aligned(IPC_BUF_ALIGN);

static void hello(const struct ipc_obj *shm, const struct ipc_obj *to_peer,
                  const struct ipc_obj *to_lx)
{
    volatile char *p = (volatile char *)(uintptr_t)shm->shm_ipa;
    char got[sizeof(HELLO_LX)];

    ipc_spi_enable(to_peer->intid);
    if (!report(ipc_irq_wait(to_peer->intid, 1, BOOT_WAIT_MS),
                "lxpeer: Linux rang to_peer (doorbell SPI %u)", to_peer->intid)) {
        tg_finish();
    }
    for (size_t i = 0; i < sizeof(got); i++) {
        got[i] = p[i];
    }
    got[sizeof(got) - 1] = '\0';
    report(!strncmp(got, HELLO_LX, sizeof(got)), "lxpeer: lx_shm+0 reads \"%s\" (Linux wrote it)", got);
    for (size_t i = 0; i < sizeof(HELLO_PEER); i++) {
        p[PEER_OFF + i] = HELLO_PEER[i];
    }
    dsb_sy();
    ipc_expect(ipc_ring(to_lx->id), BH_OK, "lxpeer: ring to_lx");
}

static void echo(const struct ipc_obj *up, const struct ipc_obj *down)
{
    uint64_t n = 0;

    for (;;) {
        int64_t len = ipc_recv(up->id, (uintptr_t)buf, sizeof(buf), STEP_NS);
        if (len < 0) {
            report(false, "lxpeer: receive on lx_up after %lu messages: %ld (%s)", n, len,
                   ipc_err_name(len));
            tg_finish();
        }
        int64_t r = ipc_send(down->id, (uintptr_t)buf, (uint64_t)len, STEP_NS);
        if (r != BH_OK) {
            report(false, "lxpeer: send on lx_down after %lu messages: %ld (%s)", n, r,
                   ipc_err_name(r));
            tg_finish();
        }
        n++;
        if (len == 1 && (buf[0] & 0xff) == END_MARK) {
            break;
        }
    }
    report(true, "lxpeer: echoed %lu messages from Linux, end marker included", n);
}

static void count_up(const struct ipc_obj *shm, const struct ipc_obj *lock,
                     const struct ipc_obj *sem)
{
    volatile uint32_t *ctr = (volatile uint32_t *)(uintptr_t)(shm->shm_ipa + COUNTER_OFF);
    uint64_t n = bootarg_get_u64("tg.ipc_count", DEF_COUNT), bad = 0;

    for (uint64_t i = 0; i < n && !bad; i++) {
        int64_t r = ipc_lock(lock->id, LOCK_NS);
        if (r != BH_OK) {
            bad++;
            report(false, "lxpeer: lock: %ld (%s)", r, ipc_err_name(r));
            break;
        }
        uint32_t v = *ctr;
        *ctr = v + 1;
        dsb_sy();
        bad += ipc_unlock(lock->id) != BH_OK;
    }
    report(bad == 0, "lxpeer: %lu increments of lx_shm+%u under lx_lock", n, COUNTER_OFF);
    ipc_expect(ipc_sem_post(sem->id), BH_OK, "lxpeer: post lx_sem (our increments are done)");
}

void ipc_role_lxpeer(void)
{
    struct ipc_obj shm, to_peer, to_lx, up, down, lock, sem;

    ipc_dt_need("lx_shm", &shm);
    ipc_dt_need("to_peer", &to_peer);
    ipc_dt_need("to_lx", &to_lx);
    ipc_dt_need("lx_up", &up);
    ipc_dt_need("lx_down", &down);
    ipc_dt_need("lx_lock", &lock);
    ipc_dt_need("lx_sem", &sem);
    hello(&shm, &to_peer, &to_lx);
    echo(&up, &down);
    count_up(&shm, &lock, &sem);
    tg_finish();
}
