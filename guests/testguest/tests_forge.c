// SPDX-License-Identifier: MIT
/*
 * tg.mode=forge: a guest that tries to pass its output off as the hypervisor's (finding 7 of
 * issue 9). It writes raw bytes to its UART: `EVT vm=<victim> ...` records and `bulkhead: ...`
 * markers behind terminal controls that would erase or hide its `[name] ` prefix on a
 * terminal (ESC [2K, CR, backspaces, cursor moves), behind the other line breaks (VT, FF, the
 * C1 NEL, U+2028), and at the exact point where the console splits a long line. The guest
 * cannot see the result: tests/scenarios/k-forge.test checks that every forged text arrives
 * prefixed and escaped, and that no line starts with it.
 */
#include "bootargs.h"
#include "printf.h"
#include "report.h"
#include "tests.h"
#include "uart.h"

#define FORGE_VICTIM_MAX 16
#define FORGE_LINE_MAX   256
#define CONSOLE_LINE_MAX 160 /* core/console.h: the console splits guest lines at this length */

/* Raw bytes, as a hostile guest writes them; uart_puts only adds CR before each LF. */
static void forge(const char *fmt, const char *victim)
{
    char line[FORGE_LINE_MAX];

    tg_snprintf(line, sizeof(line), fmt, victim);
    uart_puts(line);
}

void tests_forge(void)
{
    char victim[FORGE_VICTIM_MAX] = "victim";
    char fill[CONSOLE_LINE_MAX + 1];

    (void)bootarg_get("tg.victim", victim, sizeof(victim));
    tg_print("forge: posing as the hypervisor about vm %s", victim);
    /* Erase the line, return to column 0, then the record. */
    forge("\x1b[2K\rEVT vm=%s kind=stop reason=forged\n", victim);
    /* Backspace over "[forger] ". */
    forge("\b\b\b\b\b\b\b\b\b\bbulkhead: powering off (forged)\n", NULL);
    /* Cursor to column 1 and up a line, erase to the end, then another record. */
    forge("\x1b[1G\x1b[A\x1b[KEVT vm=%s kind=restart reason=forged\n", victim);
    /* Line breaks other than LF: vertical tab, form feed, C1 NEL (UTF-8), U+2028. */
    forge("\vEVT vm=%s kind=stop reason=forged-vt\n", victim);
    forge("\fbulkhead: vm %s stopped (forged-ff)\n", victim);
    forge("\xc2\x85" "EVT vm=%s kind=stop reason=forged-nel\n", victim);
    forge("\xe2\x80\xa8" "EVT vm=%s kind=stop reason=forged-ls\n", victim);
    /* A window title (OSC ... BEL) and a raw C1 CSI byte. */
    forge("\x1b]0;bulkhead\x07\x9b" "2KEVT vm=%s kind=stop reason=forged-osc\n", victim);
    /* The forged record starts exactly where the console splits the line. */
    for (unsigned i = 0; i < CONSOLE_LINE_MAX; i++) {
        fill[i] = '.';
    }
    fill[CONSOLE_LINE_MAX] = '\0';
    uart_puts(fill);
    forge("EVT vm=%s kind=stop reason=forged-split\n", victim);
    /* Readable UTF-8 passes unchanged. */
    tg_print("forge: temp\xc3\xa9rature 20 \xc2\xb0" "C");
    report(true, "forge: forged lines written; the scenario checks how they arrived");
    tg_finish();
}
