// SPDX-License-Identifier: MIT
/* The MMIO registration table (core/dev/mmio.c): windows kept sorted and disjoint, lookups at
 * every edge, and each refusal (empty, wrapping, overlapping, full). Also mmio_load_value, the
 * register value of an emulated load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <core/dev/mmio.h>

#include "../load_reference.h"

static int dev_a, dev_b, dev_c;

static int access_stub(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                       uint64_t *val)
{
    (void)v;
    (void)write;
    *val = off + size + (uint64_t)(uintptr_t)dev;
    return 0;
}

/* A device that returns more than the access's bytes (random bits above them, the sign bit
 * of the access set or clear): only the access's bytes reach the register, extended as the
 * instruction says, for every size, SSE and SF. */
static void test_load_value_only_access_bytes(void **state)
{
    uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);

    (void)state;
    for (unsigned i = 0; i < 4096; i++) {
        seed ^= seed << 13; /* xorshift64 */
        seed ^= seed >> 7;
        seed ^= seed << 17;
        uint64_t raw = i < 4 ? (i & 1 ? ~UINT64_C(0) : UINT64_C(0xdeadbeef00000000)) ^
                                   (i & 2 ? UINT64_C(0x8080808080808080) : 0)
                             : seed;
        for (unsigned sas = 0; sas < 4; sas++) {
            unsigned size = 1u << sas;
            for (unsigned k = 0; k < 4; k++) {
                bool sse = k & 1, sf = k & 2;
                uint64_t got = mmio_load_value(raw, size, sse, sf);
                uint64_t want = load_reference(raw, size, sse, sf);
                if (got != want) {
                    fail_msg("raw 0x%llx size %u sse %d sf %d: 0x%llx, want 0x%llx",
                             (unsigned long long)raw, size, sse, sf, (unsigned long long)got,
                             (unsigned long long)want);
                }
            }
        }
    }
}

static void test_sorted_lookup(void **state)
{
    struct mmio_bus bus;

    (void)state;
    mmio_bus_init(&bus);
    assert_int_equal(mmio_register(&bus, "c", 0x9000, 0x1000, access_stub, &dev_c), 0);
    assert_int_equal(mmio_register(&bus, "a", 0x1000, 0x1000, access_stub, &dev_a), 0);
    assert_int_equal(mmio_register(&bus, "b", 0x2000, 0x100, access_stub, &dev_b), 0);
    assert_int_equal(bus.count, 3);
    assert_true(bus.regions[0].ipa < bus.regions[1].ipa);
    assert_true(bus.regions[1].ipa < bus.regions[2].ipa);

    assert_null(mmio_find(&bus, 0xfff));
    assert_ptr_equal(mmio_find(&bus, 0x1000)->dev, &dev_a);
    assert_ptr_equal(mmio_find(&bus, 0x1fff)->dev, &dev_a);
    assert_ptr_equal(mmio_find(&bus, 0x2000)->dev, &dev_b);
    assert_ptr_equal(mmio_find(&bus, 0x20ff)->dev, &dev_b);
    assert_null(mmio_find(&bus, 0x2100));
    assert_ptr_equal(mmio_find(&bus, 0x9abc)->dev, &dev_c);
    assert_null(mmio_find(&bus, 0xa000));
    assert_null(mmio_find(&bus, UINT64_MAX));
    assert_string_equal(mmio_find(&bus, 0x2010)->name, "b");
}

static void test_refusals(void **state)
{
    struct mmio_bus bus;

    (void)state;
    mmio_bus_init(&bus);
    assert_int_equal(mmio_register(&bus, "x", 0x1000, 0, access_stub, NULL), -BH_EINVAL);
    assert_int_equal(mmio_register(&bus, "x", UINT64_MAX - 0xff, 0x1000, access_stub, NULL),
                     -BH_EINVAL);
    assert_int_equal(mmio_register(&bus, "x", 0x1000, 0x10, NULL, NULL), -BH_EINVAL);
    assert_int_equal(mmio_register(&bus, "a", 0x1000, 0x1000, access_stub, NULL), 0);
    /* overlapping the start, the end, inside, around, the same window */
    assert_int_equal(mmio_register(&bus, "x", 0x0800, 0x0801, access_stub, NULL), -BH_EEXIST);
    assert_int_equal(mmio_register(&bus, "x", 0x1fff, 0x10, access_stub, NULL), -BH_EEXIST);
    assert_int_equal(mmio_register(&bus, "x", 0x1100, 0x10, access_stub, NULL), -BH_EEXIST);
    assert_int_equal(mmio_register(&bus, "x", 0x0000, 0x10000, access_stub, NULL), -BH_EEXIST);
    assert_int_equal(mmio_register(&bus, "x", 0x1000, 0x1000, access_stub, NULL), -BH_EEXIST);
    /* touching is fine */
    assert_int_equal(mmio_register(&bus, "l", 0x0800, 0x0800, access_stub, NULL), 0);
    assert_int_equal(mmio_register(&bus, "r", 0x2000, 0x0800, access_stub, NULL), 0);
    assert_int_equal(bus.count, 3);
    /* a refused registration changed nothing */
    assert_string_equal(mmio_find(&bus, 0x1800)->name, "a");
}

static void test_full(void **state)
{
    struct mmio_bus bus;

    (void)state;
    mmio_bus_init(&bus);
    for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++) {
        assert_int_equal(mmio_register(&bus, "n", 0x10000 * (i + 1), 0x1000, access_stub, NULL),
                         0);
    }
    assert_int_equal(mmio_register(&bus, "x", 0x0, 0x1000, access_stub, NULL), -BH_ENOMEM);
    assert_int_equal(bus.count, MMIO_MAX_REGIONS);
}

/* The reference: the plain linear search mmio_find used to be. */
static const struct mmio_region *find_linear(const struct mmio_bus *bus, uint64_t ipa)
{
    for (unsigned i = 0; i < bus->count; i++) {
        if (ipa - bus->regions[i].ipa < bus->regions[i].size) {
            return &bus->regions[i];
        }
    }
    return NULL;
}

/* mmio_find through the granule table gives the linear search's answer at every edge:
 * windows alone in their granules, two sharing one, one straddling granules, ones at and
 * past both ends of the table's area, and a huge one. */
static void test_granules_same_as_search(void **state)
{
    static const struct { uint64_t ipa, size; } w[] = {
        { 0x07ff0000, 0x20000 },  /* across the area's start */
        { 0x08010000, 0x10000 },  /* GICD-like: one granule */
        { 0x080a0000, 0x100000 }, /* GICR-like: 16 granules */
        { 0x09000000, 0x1000 },   /* UART-like: part of a granule */
        { 0x09000800 + 0x1000, 0x200 }, /* a second window in the same granule */
        { 0x0a200000, 0x1000 },   /* virtio-like, the 6th window */
        { 0x0bfff000, 0x3000 },   /* across the area's end */
        { 0x40000000, UINT64_C(1) << 40 }, /* far outside */
    };
    struct mmio_bus bus;

    (void)state;
    mmio_bus_init(&bus);
    for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
        assert_int_equal(mmio_register(&bus, "w", w[i].ipa, w[i].size, access_stub, &dev_a), 0);
    }
    for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
        const uint64_t probes[] = { w[i].ipa - 1, w[i].ipa, w[i].ipa + 1,
                                    w[i].ipa + w[i].size / 2, w[i].ipa + w[i].size - 1,
                                    w[i].ipa + w[i].size, (w[i].ipa & ~UINT64_C(0xffff)),
                                    (w[i].ipa | 0xffff), (w[i].ipa | 0xffff) + 1 };
        for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
            assert_ptr_equal(mmio_find(&bus, probes[k]), find_linear(&bus, probes[k]));
        }
    }
    for (uint64_t a = 0x07f00000; a < 0x0c100000; a += 0x800) {
        assert_ptr_equal(mmio_find(&bus, a), find_linear(&bus, a));
    }
    assert_null(mmio_find(&bus, 0));
    assert_null(mmio_find(&bus, UINT64_MAX));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_lookup),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_granules_same_as_search),
        cmocka_unit_test(test_load_value_only_access_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
