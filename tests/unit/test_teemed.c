// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/dev/teemed.c, the OP-TEE mediator's message translation (docs/TRUST.md
 * "OP-TEE"): a well-formed message is copied with its memrefs rewritten to the bounce buffer
 * and its outputs copied back within the guest's sizes; every out-of-window, unaligned,
 * wrapping, oversized or unknown-typed message is refused; the guest's later changes to its
 * message do not reach what was checked; the window is the top of the VM's RAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <core/dev/teemed.h>

#define SHM_IPA   0x47f00000ull
#define SHM_SIZE  0x100000ull
#define BOUNCE_PA 0x40300000ull

static uint8_t shm_mem[SHM_SIZE] __attribute__((aligned(16)));
static uint8_t bounce_mem[TEEMED_BOUNCE_BYTES] __attribute__((aligned(16)));
static const struct teemed_shm shm = { .ipa = SHM_IPA, .size = SHM_SIZE, .host = shm_mem };
static const struct teemed_bounce bnc = { .host = bounce_mem, .pa = BOUNCE_PA };

static struct optee_msg_arg *garg(uint64_t off)
{
    return (struct optee_msg_arg *)(void *)(shm_mem + off);
}

static struct optee_msg_arg *barg(void)
{
    return (struct optee_msg_arg *)(void *)bounce_mem;
}

/* An invoke at offset 0 with p0 TMEM_INOUT (64 B at +0x1000) and p1 VALUE_OUTPUT. */
static void good_message(void)
{
    struct optee_msg_arg *a = garg(0);

    memset(shm_mem, 0, 0x3000);
    a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
    a->session = 0x101;
    a->num_params = 3;
    a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INOUT;
    a->params[0].u.tmem.buf_ptr = SHM_IPA + 0x1000;
    a->params[0].u.tmem.size = 64;
    a->params[0].u.tmem.shm_ref = 0x1234;
    a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
    a->params[2].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT; /* a null memref */
    memset(shm_mem + 0x1000, 0xab, 64);
}

static void test_window(void **state)
{
    uint64_t ipa, size;

    (void)state;
    assert_true(teemed_shm_window(0x40000000, 0x2000000, &ipa, &size));
    assert_int_equal(ipa, 0x40000000 + 0x2000000 - BH_TEE_SHM_BYTES);
    assert_int_equal(size, BH_TEE_SHM_BYTES);
    assert_false(teemed_shm_window(0x40000000, BH_TEE_SHM_BYTES, &ipa, &size));
}

static void test_translate_and_finish(void **state)
{
    struct teemed_call c;
    struct optee_msg_arg *b = barg();

    (void)state;
    good_message();
    assert_int_equal(teemed_prepare(&shm, SHM_IPA, &bnc, &c), OPTEE_SMC_RETURN_OK);
    /* the secure world sees the bounce buffer, never a guest address */
    assert_int_equal(b->params[0].u.tmem.buf_ptr, BOUNCE_PA + BH_TEE_ARG_MAX);
    assert_int_equal(bounce_mem[BH_TEE_ARG_MAX], 0xab);
    assert_int_equal(b->params[2].u.tmem.buf_ptr, 0);
    assert_int_equal(c.used, BH_TEE_ARG_MAX + 64);
    /* the guest rewrites its message meanwhile: nothing of it is used again */
    garg(0)->params[0].u.tmem.buf_ptr = 0x1;
    garg(0)->num_params = 6;
    /* the secure world answers */
    b->ret = 0xffff0010;
    b->ret_origin = 4;
    b->session = 0x202;
    b->params[0].u.tmem.size = 4096; /* more than the guest gave */
    memset(bounce_mem + BH_TEE_ARG_MAX, 0xcd, 64);
    b->params[1].u.value.a = 7;
    b->params[1].u.value.b = 8;
    b->params[2].u.tmem.size = 16;
    teemed_finish(&shm, &bnc, &c);
    assert_int_equal(garg(0)->ret, 0xffff0010);
    assert_int_equal(garg(0)->ret_origin, 4);
    assert_int_equal(garg(0)->session, 0x202);
    assert_int_equal(garg(0)->params[0].u.tmem.size, 4096);
    assert_int_equal(garg(0)->params[0].u.tmem.shm_ref, 0x1234);
    assert_int_equal(shm_mem[0x1000 + 63], 0xcd);
    assert_int_equal(shm_mem[0x1000 + 64], 0);  /* never past the guest's 64 bytes */
    assert_int_equal(garg(0)->params[1].u.value.a, 7);
    assert_int_equal(garg(0)->params[2].u.tmem.size, 16);
    assert_int_equal(garg(0)->params[0].u.tmem.buf_ptr, 0x1); /* addresses not written back */
}

static void test_input_not_written_back(void **state)
{
    struct teemed_call c;

    (void)state;
    good_message();
    garg(0)->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
    assert_int_equal(teemed_prepare(&shm, SHM_IPA, &bnc, &c), OPTEE_SMC_RETURN_OK);
    memset(bounce_mem + BH_TEE_ARG_MAX, 0xcd, 64);
    teemed_finish(&shm, &bnc, &c);
    assert_int_equal(shm_mem[0x1000], 0xab);
}

struct bad {
    const char *what;
    uint64_t arg_ipa;
    unsigned field; /* 0 none, 1 num_params, 2 buf_ptr, 3 size, 4 attr */
    uint64_t value;
};

static const struct bad bads[] = {
    { "below the window", SHM_IPA - 0x1000, 0, 0 },
    { "unaligned", SHM_IPA + 4, 0, 0 },
    { "header past the end", SHM_IPA + SHM_SIZE - 16, 0, 0 },
    { "at the end", SHM_IPA + SHM_SIZE, 0, 0 },
    { "wrapping", UINT64_MAX - 7, 0, 0 },
    { "zero", 0, 0, 0 },
    { "too many params", SHM_IPA, 1, BH_TEE_PARAMS_MAX + 1 },
    { "huge num_params", SHM_IPA, 1, UINT32_MAX },
    { "memref outside", SHM_IPA, 2, 0x40000000 },
    { "memref past the end", SHM_IPA, 2, SHM_IPA + SHM_SIZE - 8 },
    { "memref wrapping", SHM_IPA, 2, UINT64_MAX - 8 },
    { "memref too big", SHM_IPA, 3, BH_TEE_MEMREF_MAX + 1 },
    { "memref huge", SHM_IPA, 3, UINT64_MAX },
    { "rmem", SHM_IPA, 4, 0x7 },
    { "unknown type", SHM_IPA, 4, 0x4 },
    { "unknown attr bits", SHM_IPA, 4, 0x200 | OPTEE_MSG_ATTR_TYPE_TMEM_INOUT },
};

static void test_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        struct teemed_call c;
        good_message();
        switch (bads[i].field) {
        case 1: garg(0)->num_params = (uint32_t)bads[i].value; break;
        case 2: garg(0)->params[0].u.tmem.buf_ptr = bads[i].value; break;
        case 3: garg(0)->params[0].u.tmem.size = bads[i].value; break;
        case 4: garg(0)->params[0].attr = bads[i].value; break;
        default: break;
        }
        print_message("%s\n", bads[i].what);
        assert_int_equal(teemed_prepare(&shm, bads[i].arg_ipa, &bnc, &c),
                         OPTEE_SMC_RETURN_EBADADDR);
    }
}

/* The memrefs of one call share TEEMED_DATA_MAX bytes. */
static void test_data_budget(void **state)
{
    struct teemed_call c;
    struct optee_msg_arg *a = garg(0);

    (void)state;
    memset(shm_mem, 0, 0x100);
    a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
    a->num_params = TEEMED_DATA_MAX / BH_TEE_MEMREF_MAX;
    for (unsigned i = 0; i < a->num_params; i++) {
        a->params[i].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
        a->params[i].u.tmem.buf_ptr = SHM_IPA + 0x1000;
        a->params[i].u.tmem.size = BH_TEE_MEMREF_MAX;
    }
    assert_int_equal(teemed_prepare(&shm, SHM_IPA, &bnc, &c), OPTEE_SMC_RETURN_OK);
    assert_int_equal(c.used, TEEMED_BOUNCE_BYTES);
    a->params[a->num_params].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
    a->params[a->num_params].u.tmem.buf_ptr = SHM_IPA + 0x1000;
    a->params[a->num_params].u.tmem.size = 1;
    a->num_params++;
    assert_int_equal(teemed_prepare(&shm, SHM_IPA, &bnc, &c), OPTEE_SMC_RETURN_EBADADDR);
    /* odd sizes are padded to 8 and still fit exactly */
    a->num_params = 2;
    a->params[0].u.tmem.size = BH_TEE_MEMREF_MAX - 1;
    a->params[1].u.tmem.size = BH_TEE_MEMREF_MAX;
    assert_int_equal(teemed_prepare(&shm, SHM_IPA, &bnc, &c), OPTEE_SMC_RETURN_OK);
    assert_int_equal(c.data_off[1], BH_TEE_ARG_MAX + BH_TEE_MEMREF_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_translate_and_finish),
        cmocka_unit_test(test_input_not_written_back),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_data_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
