// SPDX-License-Identifier: MIT
/*
 * Console lines and the fatal path. Tasks serialise whole lines with a priority-inheritance
 * mutex rather than by masking IRQs, so printing (slow: each character is a trapped MMIO
 * write under a hypervisor) never delays an interrupt or a more urgent task that does not
 * print. Kernel context writes directly: it runs with IRQs masked and may not block.
 */
#include <string.h>

#include <rt/arch.h>
#include <rt/console.h>
#include <rt/sync.h>

#include "printf.h"
#include "psci.h"
#include "report.h" /* tg_fatal(): implemented here for the reused testguest code */
#include "uart.h"

static struct rt_mutex console_mutex;
static bool console_ready;
static bool panicking;

void rt_console_init(void)
{
    rt_mutex_init(&console_mutex);
    console_ready = true;
}

void rt_kputs(const char *s)
{
    uart_puts(s);
}

void rt_vprintf(const char *fmt, va_list ap)
{
    char line[RT_LINE_MAX];
    size_t n = (size_t)tg_vsnprintf(line, sizeof(line) - 1, fmt, ap);

    line[n++] = '\n';
    line[n] = '\0';
    bool locked = console_ready && !arch_in_kernel() &&
                  rt_mutex_lock(&console_mutex, RT_FOREVER) == RT_OK;
    uart_puts(line);
    if (locked) {
        rt_mutex_unlock(&console_mutex);
    }
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}

void rt_system_off(void)
{
    psci_system_off();
}

static void __attribute__((noreturn)) vpanic(const char *fmt, va_list ap)
{
    char line[RT_LINE_MAX];

    __asm__ volatile("msr daifset, #0xf" : : : "memory");
    if (!panicking) {
        panicking = true;
        tg_vsnprintf(line, sizeof(line), fmt, ap);
        uart_puts("RT FAIL fatal: ");
        uart_puts(line);
        uart_puts("\nRT summary FAIL fatal\n");
        psci_system_off();
        uart_puts("RT SYSTEM_OFF returned\n");
    }
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void rt_panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(fmt, ap);
    va_end(ap);
}

void tg_fatal(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(fmt, ap);
    va_end(ap);
}
