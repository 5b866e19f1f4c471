// SPDX-License-Identifier: MIT
/* Line-atomic console output, PASS/FAIL accounting and the end-of-run summary. */
#include <stdarg.h>

#include "lock.h"
#include "printf.h"
#include "psci.h"
#include "report.h"
#include "uart.h"

#define TG_LINE_MAX 256

static char tag[REPORT_TAG_MAX] = "tg";
static struct bakery_lock console_lock;
static unsigned int pass_count;  /* both counters only change under console_lock */
static unsigned int fail_count;
static uint32_t finishing;       /* set by the first CPU to reach tg_finish() */

void report_set_tag(const char *name)
{
    tg_snprintf(tag, sizeof(tag), "%s", name);
}

/*
 * Format one line and write it under the lock. A CPU that faults while holding the lock
 * (e.g. inside the UART code) reports from its exception handler without re-taking it.
 */
static void emit(const char *kind, int delta_pass, int delta_fail, const char *fmt, va_list ap)
{
    char line[TG_LINE_MAX];
    size_t n = (size_t)tg_snprintf(line, sizeof(line), "TG %s: %s", tag, kind);
    bool nested = bakery_is_mine(&console_lock);

    tg_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    if (!nested) {
        bakery_lock(&console_lock);
    }
    pass_count += (unsigned int)delta_pass;
    fail_count += (unsigned int)delta_fail;
    uart_puts(line);
    uart_puts("\n");
    if (!nested) {
        bakery_unlock(&console_lock);
    }
}

void tg_print(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit("", 0, 0, fmt, ap);
    va_end(ap);
}

bool vreport(bool cond, const char *fmt, va_list ap)
{
    emit(cond ? "PASS " : "FAIL ", cond ? 1 : 0, cond ? 0 : 1, fmt, ap);
    return cond;
}

bool report(bool cond, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(cond, fmt, ap);
    va_end(ap);
    return cond;
}

void vreport_info(const char *fmt, va_list ap)
{
    emit("INFO ", 0, 0, fmt, ap);
}

void report_info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport_info(fmt, ap);
    va_end(ap);
}

unsigned int report_fail_count(void)
{
    return READ_ONCE(fail_count);
}

bool tg_summary(void)
{
    if (READ_ONCE(finishing)) {
        return false;
    }
    WRITE_ONCE(finishing, 1);
    dsb_sy();
    tg_print("summary pass=%u fail=%u", READ_ONCE(pass_count), READ_ONCE(fail_count));
    return true;
}

void tg_finish(void)
{
    /*
     * Only the first CPU prints the summary and powers off; a second CPU failing at the same
     * time must not print a second summary, so it parks. The flag is not atomic (see tg.h),
     * which only matters if two CPUs fail within the same few instructions.
     */
    if (!tg_summary()) {
        for (;;) {
            wfi();
        }
    }
    psci_system_off();
    tg_print("SYSTEM_OFF returned");
    for (;;) {
        wfi();
    }
}

void tg_fatal(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit("FAIL ", 0, 1, fmt, ap);
    va_end(ap);
    tg_finish();
}
