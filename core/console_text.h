/* SPDX-License-Identifier: MIT */
/*
 * Guest bytes to safe console text. A guest's UART output shares the physical console with the
 * hypervisor's own lines (`bulkhead: ...`, `EVT vm=...`), which people and tools trust; a
 * guest must not be able to make its text look like them. So nothing a guest writes may move
 * the terminal's cursor, erase the `[name] ` prefix or start a line of its own: every control
 * byte (C0 but TAB, DEL), every C1 control, every byte that is not part of well-formed UTF-8
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), and the Unicode line
 * and paragraph separators and bidirectional formatting controls are shown as `\xHH` per
 * byte. Printable ASCII, TAB and well-formed UTF-8 text pass unchanged, so non-English text
 * stays readable. CR and LF produce nothing here: the console ends lines itself (console.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The most bytes one console_text_put or console_text_flush call writes. */
#define CONSOLE_TEXT_OUT_MAX 16 /* 3 pending bytes and the new one, each as "\xHH" */

/* Decoder state of one guest's byte stream: the bytes of an unfinished UTF-8 sequence. */
struct console_text {
    uint8_t pend[4];
    uint8_t pend_len;  /* bytes in pend */
    uint8_t pend_need; /* continuation bytes still expected; 0 = none pending */
};

/* Forget any unfinished sequence (its bytes are lost: call console_text_flush first). */
void console_text_reset(struct console_text *t);

/*
 * Feed one guest byte. Writes the safe text it completes to out (0 to CONSOLE_TEXT_OUT_MAX
 * bytes, never CR, LF or another control byte but TAB) and returns how many. A byte that may
 * start or continue a UTF-8 sequence is held until the sequence is complete or broken. '\r'
 * and '\n' write only what they break off (the caller decides what they do to the line).
 * *escaped, if not NULL, is increased by the number of guest bytes shown as escapes.
 */
size_t console_text_put(struct console_text *t, uint8_t c, char *out, uint64_t *escaped);

/* Write the unfinished sequence, if any, as escapes (e.g. at the end of a line); as above. */
size_t console_text_flush(struct console_text *t, char *out, uint64_t *escaped);
