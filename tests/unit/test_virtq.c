// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/dev/virtq.c against virtio v1.2 section 2.7 (split virtqueues): queue
 * sizes and area alignment, avail and used indices modulo 2^16, and every malformed chain a
 * hostile driver can write (index out of range, loop, huge length, INDIRECT, wrong direction,
 * buffer outside RAM, avail index jumping ahead).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <core/dev/virtq.h>

#include "vnet_guest.h"

#define QBASE (G_RAM_IPA + 0x1000)
#define BUF   (G_RAM_IPA + 0x20000)

static struct g_ram ram;

static void setup_q(struct virtq *q, struct g_queue *g, uint16_t num)
{
    struct virtq_mem m = g_mem(&ram);

    memset(&ram, 0, sizeof(ram));
    g_queue_layout(g, &ram, QBASE, num);
    virtq_reset(q);
    q->num = num;
    q->desc_ipa = g->desc;
    q->avail_ipa = g->avail;
    q->used_ipa = g->used;
    assert_int_equal(virtq_setup(q, &m), VIRTQ_OK);
}

static void test_mem_ptr(void **state)
{
    struct virtq_mem m = g_mem(&ram);
    (void)state;

    assert_ptr_equal(virtq_mem_ptr(&m, G_RAM_IPA, G_RAM_SIZE), ram.bytes);
    assert_null(virtq_mem_ptr(&m, G_RAM_IPA, G_RAM_SIZE + 1));
    assert_null(virtq_mem_ptr(&m, G_RAM_IPA - 1, 1));
    assert_non_null(virtq_mem_ptr(&m, G_RAM_IPA + G_RAM_SIZE, 0));
    assert_null(virtq_mem_ptr(&m, G_RAM_IPA + G_RAM_SIZE, 1));
    assert_null(virtq_mem_ptr(&m, UINT64_MAX, 2));          /* would wrap */
    assert_null(virtq_mem_ptr(&m, G_RAM_IPA + 16, UINT64_MAX)); /* would wrap */
}

/* Any power of two up to 256 is a legal size (2.7: "Queue Size ... always a power of 2"). */
static void test_sizes(void **state)
{
    struct virtq q;
    struct g_queue g;
    struct virtq_mem m = g_mem(&ram);
    (void)state;

    for (uint32_t num = 1; num <= VIRTQ_NUM_MAX; num *= 2) {
        setup_q(&q, &g, (uint16_t)num);
        assert_true(q.ready);
    }
    static const uint32_t bad[] = { 0, 3, 6, 100, 255, 512, 0x10000, 0xffffffffu };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        virtq_reset(&q);
        q.num = bad[i];
        q.desc_ipa = g.desc;
        q.avail_ipa = g.avail;
        q.used_ipa = g.used;
        assert_int_equal(virtq_setup(&q, &m), VIRTQ_BAD_SIZE);
        assert_false(q.ready);
    }
}

static void test_areas(void **state)
{
    struct virtq q;
    struct g_queue g;
    struct virtq_mem m = g_mem(&ram);
    (void)state;

    setup_q(&q, &g, 8);
    struct { uint64_t *field; uint64_t value; } cases[] = {
        { &q.desc_ipa, QBASE + 8 },           /* descriptors: 16-byte aligned */
        { &q.avail_ipa, g.avail + 1 },        /* avail: 2 */
        { &q.used_ipa, g.used + 2 },          /* used: 4 */
        { &q.desc_ipa, G_RAM_IPA - 0x1000 },  /* below RAM */
        { &q.desc_ipa, G_RAM_IPA + G_RAM_SIZE - 0x40 }, /* runs past the end (8 x 16) */
        { &q.used_ipa, G_RAM_IPA + G_RAM_SIZE - 0x20 }, /* 4 + 8 x 8 past the end */
        { &q.avail_ipa, UINT64_MAX - 1 },     /* wraps */
        { &q.desc_ipa, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t keep = *cases[i].field;
        *cases[i].field = cases[i].value;
        assert_int_equal(virtq_setup(&q, &m), VIRTQ_BAD_ADDR);
        assert_false(q.ready);
        *cases[i].field = keep;
    }
    /* the last byte of RAM may end an area */
    q.used_ipa = G_RAM_IPA + G_RAM_SIZE - (4 + 8 * 8);
    assert_int_equal(virtq_setup(&q, &m), VIRTQ_OK);
}

static void test_pop_push_wrap(void **state)
{
    struct virtq q;
    struct g_queue g;
    uint16_t head;
    (void)state;

    setup_q(&q, &g, 4);
    assert_int_equal(virtq_pop(&q, &head), -BH_ENOENT);
    /* start both sides near 2^16 to cross the wrap */
    q.last_avail = 0xfffe;
    q.used_idx = 0xfffe;
    g.avail_idx = 0xfffe;
    for (int round = 0; round < 6; round++) {
        g_desc(&g, (uint16_t)(round % 4), BUF, 64, 0, 0);
        g_offer(&g, (uint16_t)(round % 4));
        assert_int_equal(virtq_pop(&q, &head), VIRTQ_OK);
        assert_int_equal(head, round % 4);
        assert_int_equal(virtq_pop(&q, &head), -BH_ENOENT);
        virtq_push(&q, head, 100u + (uint32_t)round);
        uint32_t id, len;
        g_used_elem(&g, (uint16_t)(0xfffe + round), &id, &len);
        assert_int_equal(id, round % 4);
        assert_int_equal(len, 100 + round);
        assert_int_equal(g_used_idx(&g), (uint16_t)(0xffff + round));
    }
}

static void test_avail_jump(void **state)
{
    struct virtq q;
    struct g_queue g;
    uint16_t head;
    (void)state;

    setup_q(&q, &g, 8);
    g_w16(&ram, g.avail + 2, 8); /* exactly a queue's worth: fine */
    assert_int_equal(virtq_pop(&q, &head), VIRTQ_OK);
    q.last_avail = 0;
    g_w16(&ram, g.avail + 2, 9); /* one more than the queue holds */
    assert_int_equal(virtq_pop(&q, &head), VIRTQ_AVAIL_JUMP);
    g_w16(&ram, g.avail + 2, 0xffff); /* "behind": as far ahead modulo 2^16 */
    assert_int_equal(virtq_pop(&q, &head), VIRTQ_AVAIL_JUMP);
}

static void test_head_out_of_range(void **state)
{
    struct virtq q;
    struct g_queue g;
    uint16_t head;
    (void)state;

    setup_q(&q, &g, 8);
    g_offer(&g, 8);
    assert_int_equal(virtq_pop(&q, &head), VIRTQ_BAD_INDEX);
}

/* Walk the chain at head; returns the first error (negative), or the count of buffers. */
static int walk(struct virtq *q, uint16_t head, bool writable, uint32_t *total)
{
    struct virtq_mem m = g_mem(&ram);
    struct virtq_chain c;
    uint8_t *buf;
    uint32_t len;
    int r, n = 0;

    virtq_chain_begin(&c, q, &m, head);
    while ((r = virtq_chain_next(&c, writable, &buf, &len)) > 0) {
        n++;
    }
    *total = c.total;
    return r < 0 ? r : n;
}

static void test_chains(void **state)
{
    struct virtq q;
    struct g_queue g;
    uint32_t total;
    (void)state;

    setup_q(&q, &g, 8);
    /* a good three-buffer chain, out of order */
    g_desc(&g, 5, BUF, 10, VIRTQ_DESC_F_NEXT, 2);
    g_desc(&g, 2, BUF + 100, 20, VIRTQ_DESC_F_NEXT, 7);
    g_desc(&g, 7, BUF + 200, 0, 0, 0);
    assert_int_equal(walk(&q, 5, false, &total), 3);
    assert_int_equal(total, 30);
    /* the same buffers, device-writable, walked as readable: wrong direction */
    g_desc(&g, 2, BUF + 100, 20, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 7);
    assert_int_equal(walk(&q, 5, false, &total), -VIRTQ_BAD_DIR);
    g_desc(&g, 2, BUF + 100, 20, VIRTQ_DESC_F_NEXT, 7);
    /* a loop: 2 -> 7 -> 2 */
    g_desc(&g, 7, BUF + 200, 4, VIRTQ_DESC_F_NEXT, 2);
    assert_int_equal(walk(&q, 5, false, &total), -VIRTQ_LOOP);
    /* a self-loop */
    g_desc(&g, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 0);
    assert_int_equal(walk(&q, 0, false, &total), -VIRTQ_LOOP);
    /* the longest legal chain: all 8 descriptors */
    for (uint16_t i = 0; i < 8; i++) {
        g_desc(&g, i, BUF, 1, i < 7 ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(i + 1));
    }
    assert_int_equal(walk(&q, 0, false, &total), 8);
    /* next out of range */
    g_desc(&g, 7, BUF, 1, VIRTQ_DESC_F_NEXT, 8);
    assert_int_equal(walk(&q, 0, false, &total), -VIRTQ_BAD_INDEX);
    /* INDIRECT is not offered */
    g_desc(&g, 1, BUF, 16, VIRTQ_DESC_F_INDIRECT, 0);
    assert_int_equal(walk(&q, 1, false, &total), -VIRTQ_INDIRECT);
    /* a buffer outside RAM, and one running past its end */
    g_desc(&g, 1, G_RAM_IPA + G_RAM_SIZE, 1, 0, 0);
    assert_int_equal(walk(&q, 1, false, &total), -VIRTQ_BAD_ADDR);
    g_desc(&g, 1, G_RAM_IPA + G_RAM_SIZE - 8, 16, 0, 0);
    assert_int_equal(walk(&q, 1, false, &total), -VIRTQ_BAD_ADDR);
    /* huge lengths: one, and a sum that would wrap 32 bits */
    g_desc(&g, 1, BUF, 0xffffffffu, 0, 0);
    assert_int_equal(walk(&q, 1, false, &total), -VIRTQ_BAD_LEN);
    g_desc(&g, 3, BUF, 0x8000, VIRTQ_DESC_F_NEXT, 4);
    g_desc(&g, 4, BUF, 0x8000, VIRTQ_DESC_F_NEXT, 6);
    g_desc(&g, 6, BUF, 1, 0, 0);
    assert_int_equal(walk(&q, 3, false, &total), -VIRTQ_BAD_LEN);
    g_desc(&g, 4, BUF, 0x8000, 0, 0); /* exactly 64 KiB */
    assert_int_equal(walk(&q, 3, false, &total), 2);
    assert_int_equal(total, VIRTQ_CHAIN_BYTES_MAX);
    /* device-writable: no limit on a buffer's size (2.7.4), the device uses the first 64 KiB;
     * only those must be in RAM (a huge length from the end of RAM still is not) */
    g_desc(&g, 3, BUF, 0x8000, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 4);
    g_desc(&g, 4, BUF, 0xffffffffu, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 6);
    g_desc(&g, 6, BUF, 100, VIRTQ_DESC_F_WRITE, 0);
    assert_int_equal(walk(&q, 3, true, &total), 3);
    assert_int_equal(total, VIRTQ_CHAIN_BYTES_MAX);
    g_desc(&g, 1, BUF, 0x20000, VIRTQ_DESC_F_WRITE, 0);
    assert_int_equal(walk(&q, 1, true, &total), 1);
    assert_int_equal(total, VIRTQ_CHAIN_BYTES_MAX);
    g_desc(&g, 1, G_RAM_IPA + G_RAM_SIZE - 8, 0x20000, VIRTQ_DESC_F_WRITE, 0);
    assert_int_equal(walk(&q, 1, true, &total), -VIRTQ_BAD_ADDR);
}

static void test_err_names(void **state)
{
    (void)state;
    assert_string_equal(virtq_err_name(VIRTQ_LOOP), "loop");
    assert_string_equal(virtq_err_name(VIRTQ_AVAIL_JUMP), "avail_jump");
    assert_string_equal(virtq_err_name(-1), "?");
    for (int e = 0; e < VIRTQ_ERR_COUNT; e++) {
        assert_non_null(virtq_err_name(e));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_ptr),       cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_areas),         cmocka_unit_test(test_pop_push_wrap),
        cmocka_unit_test(test_avail_jump),    cmocka_unit_test(test_head_out_of_range),
        cmocka_unit_test(test_chains),        cmocka_unit_test(test_err_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
