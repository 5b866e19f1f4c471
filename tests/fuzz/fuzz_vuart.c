// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the emulated PL011 (core/dev/vuart.c) as a guest drives it, interleaved with
 * typed input. The input is a sequence of 7-byte records:
 *
 *   byte 0     op: bits 1:0 kind (0 read, 1 write, 2 input byte, 3 reset or stats)
 *                  bits 3:2 access size 1 << n (8 bytes must be refused)
 *   bytes 1-2  offset in the 4 KiB frame (the top bits reach beyond it: must be refused)
 *   bytes 3-6  value written, or the input byte
 *
 * Checked: refused accesses change nothing and report -BH_EINVAL, reads fit their width, the
 * interrupt line the hooks saw always equals (RIS & IMSC) != 0 (UARTMIS), UARTFR's RXFE
 * agrees with whether UARTDR has a byte to give, and the statistics only grow.
 */
#include <string.h>

#include <core/dev/vuart.h>

#include "fuzz_input.h"

static bool line;        /* as set_irq last reported it */
static uint64_t tx_seen; /* bytes the tx hook received */

static void h_tx(void *ctx, char c)
{
    (void)ctx;
    (void)c;
    tx_seen++;
}

static void h_irq(void *ctx, bool level)
{
    (void)ctx;
    FUZZ_CHECK(level != line); /* called only on a change */
    line = level;
}

static void h_notice(void *ctx, uint32_t off, bool write)
{
    (void)ctx;
    (void)write;
    FUZZ_CHECK(off < VUART_FRAME_SIZE);
}

static uint32_t rd32(struct vuart *u, uint32_t off)
{
    uint64_t v = 0;

    FUZZ_CHECK(vuart_mmio(u, off, 4, false, &v) == 0);
    FUZZ_CHECK(v <= UINT32_MAX);
    return (uint32_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct vuart_hooks hooks = { .tx = h_tx, .set_irq = h_irq, .notice = h_notice };
    struct fuzz_in in = { data, size };
    struct vuart u;
    struct vuart_stats before, after;

    line = false;
    tx_seen = 0;
    vuart_init(&u, &hooks);
    FUZZ_CHECK(vuart_regmap_is_valid());
    while (!fuzz_in_done(&in)) {
        uint8_t op = fuzz_in_u8(&in);
        uint32_t off = (uint32_t)fuzz_in_bytes(&in, 2);
        uint64_t val = fuzz_in_u32(&in);
        unsigned access = 1u << ((op >> 2) & 3u);
        bool ok_access = access <= 4 && (off & (access - 1)) == 0 && off < VUART_FRAME_SIZE;
        int r;

        vuart_get_stats(&u, &before);
        switch (op & 3u) {
        case 0:
        case 1:
            r = vuart_mmio(&u, off, access, (op & 1u) != 0, &val);
            FUZZ_CHECK(r == (ok_access ? 0 : -BH_EINVAL));
            if (r == 0 && (op & 1u) == 0 && access < 8) {
                FUZZ_CHECK(val >> (8 * access) == 0);
            }
            break;
        case 2:
            r = vuart_rx_push(&u, (uint8_t)val);
            FUZZ_CHECK(r == 0 || r == -BH_EBUSY);
            /* Refused only when full; then UARTFR says so. */
            FUZZ_CHECK(r == 0 || (rd32(&u, VUART_FR) & VUART_FR_RXFF) != 0);
            break;
        default:
            if (val & 1u) {
                vuart_reset(&u);
            }
            (void)vuart_rx_has_space(&u);
            break;
        }
        vuart_get_stats(&u, &after);
        FUZZ_CHECK(after.tx_count >= before.tx_count && after.rx_count >= before.rx_count);
        FUZZ_CHECK(after.tx_count == tx_seen);
        /* The line follows RIS & IMSC after every operation. */
        FUZZ_CHECK(line == (rd32(&u, VUART_MIS) != 0));
        FUZZ_CHECK((rd32(&u, VUART_MIS) & ~rd32(&u, VUART_IMSC)) == 0);
        FUZZ_CHECK(rd32(&u, VUART_MIS) == (rd32(&u, VUART_RIS) & rd32(&u, VUART_IMSC)));
        /* The lock-free UARTFR read equals the register table's, lane by lane (the flags are
         * republished after every change). */
        uint64_t fr0 = 0, fr1 = 0;
        FUZZ_CHECK(vuart_mmio(&u, VUART_FR, 1, false, &fr0) == 0);
        FUZZ_CHECK(vuart_mmio(&u, VUART_FR + 1, 1, false, &fr1) == 0);
        FUZZ_CHECK(rd32(&u, VUART_FR) == (fr0 | fr1 << 8));
    }
    return 0;
}
