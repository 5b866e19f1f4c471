// SPDX-License-Identifier: MIT
/*
 * Guest bytes to safe console text (console_text.h says what passes and why). UTF-8 is
 * validated as RFC 3629 section 4 defines it:
 *
 *   U+0000..U+007F     00..7F
 *   U+0080..U+07FF     C2..DF  80..BF
 *   U+0800..U+0FFF     E0      A0..BF  80..BF
 *   U+1000..U+CFFF     E1..EC  80..BF  80..BF
 *   U+D000..U+D7FF     ED      80..9F  80..BF      (not the surrogates D800..DFFF)
 *   U+E000..U+FFFF     EE..EF  80..BF  80..BF
 *   U+10000..U+3FFFF   F0      90..BF  80..BF  80..BF
 *   U+40000..U+FFFFF   F1..F3  80..BF  80..BF  80..BF
 *   U+100000..U+10FFFF F4      80..8F  80..BF  80..BF
 *
 * A sequence broken by an unexpected byte is shown escaped, and that byte starts afresh.
 */
#include <stdbool.h>

#include <core/console_text.h>

#define ASCII_TAB  0x09u
#define ASCII_LF   0x0Au
#define ASCII_CR   0x0Du
#define ASCII_SP   0x20u
#define ASCII_DEL  0x7Fu
#define UTF8_CONT_MIN 0x80u /* continuation bytes are 10xxxxxx */
#define UTF8_CONT_MAX 0xBFu

static const char hex_digits[] = "0123456789abcdef";

void console_text_reset(struct console_text *t)
{
    t->pend_len = 0;
    t->pend_need = 0;
}

/* Write byte c as "\xHH". */
static size_t put_escape(uint8_t c, char *out, uint64_t *escaped)
{
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex_digits[c >> 4];
    out[3] = hex_digits[c & 0xFu];
    if (escaped != NULL) {
        (*escaped)++;
    }
    return 4;
}

size_t console_text_flush(struct console_text *t, char *out, uint64_t *escaped)
{
    size_t n = 0;

    for (unsigned i = 0; i < t->pend_len; i++) {
        n += put_escape(t->pend[i], out + n, escaped);
    }
    console_text_reset(t);
    return n;
}

/* Continuation bytes expected after lead byte c, or 0 if c cannot start a sequence. */
static uint8_t utf8_need(uint8_t c)
{
    if (c >= 0xC2u && c <= 0xDFu) {
        return 1;
    }
    if (c >= 0xE0u && c <= 0xEFu) {
        return 2;
    }
    if (c >= 0xF0u && c <= 0xF4u) {
        return 3;
    }
    return 0; /* ASCII, a stray continuation byte, C0/C1 (overlong) or F5..FF */
}

/* Whether c may follow the pending bytes (the table at the top). */
static bool utf8_cont_ok(const struct console_text *t, uint8_t c)
{
    uint8_t lo = UTF8_CONT_MIN, hi = UTF8_CONT_MAX;

    if (t->pend_len == 1) {
        switch (t->pend[0]) {
        case 0xE0u: lo = 0xA0u; break; /* overlong below U+0800 */
        case 0xEDu: hi = 0x9Fu; break; /* surrogates */
        case 0xF0u: lo = 0x90u; break; /* overlong below U+10000 */
        case 0xF4u: hi = 0x8Fu; break; /* above U+10FFFF */
        default: break;
        }
    }
    return c >= lo && c <= hi;
}

/* The code point of the complete, well-formed sequence in t->pend. */
static uint32_t utf8_decode(const struct console_text *t)
{
    static const uint8_t lead_mask[] = { 0, 0x1Fu, 0x0Fu, 0x07u }; /* by continuation count */
    uint32_t cp = t->pend[0] & lead_mask[t->pend_len - 1];

    for (unsigned i = 1; i < t->pend_len; i++) {
        cp = (cp << 6) | (t->pend[i] & 0x3Fu);
    }
    return cp;
}

/*
 * Well-formed but not to be shown raw: C1 controls (a terminal may act on CSI U+009B like on
 * ESC [), NEL, the line and paragraph separators (tools that split lines by Unicode rules
 * would start a new line), and the bidirectional embeddings, overrides and isolates (they
 * reorder what follows on screen, which could move text over the prefix visually).
 */
static bool is_unsafe_code_point(uint32_t cp)
{
    return (cp >= 0x80u && cp <= 0x9Fu) || (cp >= 0x2028u && cp <= 0x202Eu) ||
           (cp >= 0x2066u && cp <= 0x2069u);
}

size_t console_text_put(struct console_text *t, uint8_t c, char *out, uint64_t *escaped)
{
    size_t n = 0;

    if (t->pend_need > 0) {
        if (utf8_cont_ok(t, c)) {
            t->pend[t->pend_len++] = c;
            if (--t->pend_need > 0) {
                return 0;
            }
            if (is_unsafe_code_point(utf8_decode(t))) {
                return console_text_flush(t, out, escaped);
            }
            for (unsigned i = 0; i < t->pend_len; i++) {
                out[i] = (char)t->pend[i];
            }
            n = t->pend_len;
            console_text_reset(t);
            return n;
        }
        /* Broken sequence: show what came so far, then treat c on its own. */
        n = console_text_flush(t, out, escaped);
    }
    if (c == ASCII_CR || c == ASCII_LF) {
        return n;
    }
    if (c == ASCII_TAB || (c >= ASCII_SP && c < ASCII_DEL)) {
        out[n] = (char)c;
        return n + 1;
    }
    t->pend_need = utf8_need(c);
    if (t->pend_need > 0) {
        t->pend[0] = c;
        t->pend_len = 1;
        return n;
    }
    return n + put_escape(c, out + n, escaped);
}
