// SPDX-License-Identifier: MIT
/*
 * The handlers of the RPC test service (rpc_testsvc.h), shared by the test guest's server and
 * the RTOS's rpcserver app so the two cannot drift apart. Only the sleep differs between the
 * environments: it is passed as the method's context.
 */
#include "rpc_testsvc.h"

#include <string.h>

int32_t rpc_testsvc_add(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                        size_t *resp_len)
{
    uint32_t a[2], sum;

    (void)ctx;
    if (len != sizeof(a) || cap < sizeof(sum)) {
        return RPC_E_INVAL;
    }
    memcpy(a, req, sizeof(a));
    sum = a[0] + a[1];
    memcpy(resp, &sum, sizeof(sum));
    *resp_len = sizeof(sum);
    return RPC_OK;
}

/* The payload back, and its length as a (positive) status. */
int32_t rpc_testsvc_echo(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                         size_t *resp_len)
{
    (void)ctx;
    if (len > cap) {
        return RPC_E_RANGE;
    }
    memcpy(resp, req, len);
    *resp_len = len;
    return (int32_t)len;
}

int32_t rpc_testsvc_fail(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                         size_t *resp_len)
{
    (void)ctx;
    (void)req;
    (void)len;
    if (cap >= sizeof(RPC_TESTSVC_FAIL_TEXT)) {
        memcpy(resp, RPC_TESTSVC_FAIL_TEXT, sizeof(RPC_TESTSVC_FAIL_TEXT));
        *resp_len = sizeof(RPC_TESTSVC_FAIL_TEXT);
    }
    return RPC_TESTSVC_FAIL_STATUS;
}

/* Sleep the requested milliseconds (u32) before answering: the caller's timeout test. ctx is
 * a struct rpc_testsvc_sleep naming the environment's sleep. */
int32_t rpc_testsvc_sleep(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                          size_t *resp_len)
{
    const struct rpc_testsvc_sleep *s = ctx;
    uint32_t ms;

    (void)resp;
    (void)cap;
    (void)resp_len;
    if (len != sizeof(ms) || s == NULL) {
        return RPC_E_INVAL;
    }
    memcpy(&ms, req, sizeof(ms));
    s->sleep_ms(ms);
    return RPC_OK;
}

/* ctx: a volatile bool the server loop watches; set, so that it ends after this answer. */
int32_t rpc_testsvc_stop(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                         size_t *resp_len)
{
    (void)req;
    (void)len;
    (void)resp;
    (void)cap;
    (void)resp_len;
    if (ctx == NULL) {
        return RPC_E_INVAL;
    }
    *(volatile bool *)ctx = true;
    return RPC_OK;
}
