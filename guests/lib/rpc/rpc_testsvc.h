/* SPDX-License-Identifier: MIT */
/*
 * The test service both test servers offer (guests/testguest tg.rpc=server and the RTOS's
 * rt.app=rpcserver) and the test guest's client calls (tests/scenarios/j-rpc*.test), so the two
 * servers cannot drift apart. Payloads are little-endian like the header.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "rpc.h"

#define RPC_TESTSVC_ADD   1U /* two u32 -> their u32 sum */
#define RPC_TESTSVC_ECHO  2U /* the payload back; status = its length */
#define RPC_TESTSVC_FAIL  3U /* status RPC_TESTSVC_FAIL_STATUS, payload RPC_TESTSVC_FAIL_TEXT */
#define RPC_TESTSVC_SLEEP 4U /* u32 milliseconds: answer that much later */
#define RPC_TESTSVC_STOP  5U /* answer, then the server ends its run */
#define RPC_TESTSVC_NONE  0x7777U /* offered by nobody */

#define RPC_TESTSVC_FAIL_STATUS (-42)
#define RPC_TESTSVC_FAIL_TEXT   "deliberate failure"

/* Default queue names in the scenarios. */
#define RPC_TESTSVC_REQ_QUEUE  "rpc_req"
#define RPC_TESTSVC_RESP_QUEUE "rpc_resp"

/* How the environment sleeps (the sleep method's context). */
struct rpc_testsvc_sleep {
    void (*sleep_ms)(uint32_t ms);
};

/* The method handlers (rpc_handler_fn), rpc_testsvc.c. */
int32_t rpc_testsvc_add(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                        size_t *resp_len);
int32_t rpc_testsvc_echo(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                         size_t *resp_len);
int32_t rpc_testsvc_fail(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                         size_t *resp_len);
int32_t rpc_testsvc_sleep(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                          size_t *resp_len);
int32_t rpc_testsvc_stop(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                         size_t *resp_len); /* ctx: the server's volatile bool stop flag */
