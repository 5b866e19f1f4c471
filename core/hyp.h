/* SPDX-License-Identifier: MIT */
/* Hypervisor-wide state shared by the core modules: the platform and the console output. */
#pragma once

#include <stdarg.h>

#include <core/console.h>
#include <core/platinfo.h>

extern struct platinfo hyp_plat;
/* The pCPU that writes real-time VMs' console output (core/main.c), -1: none. */
extern int hyp_console_drain_cpu;

/* Print a hypervisor line (`bulkhead: ...` markers and messages) atomically on the console;
 * fmt is a string literal, the newline is added. */
#define hyp_printf(fmt, ...) console_printf(fmt "\n", ##__VA_ARGS__)

/* A broken invariant of our own (never guest input): print file:line and stop this CPU. */
void bh_panic(const char *file, int line, const char *msg) __attribute__((noreturn));
#define BH_CHECK(cond) \
    do { \
        if (!(cond)) { \
            bh_panic(__FILE__, __LINE__, #cond); \
        } \
    } while (0)

/*
 * The hypervisor proper, called by the boot CPU once the platform is known (hyp_plat filled)
 * and the console UART can print through putc: sets up the platform, opens the bundle,
 * validates the scenario, builds and starts the VMs. Does not return.
 */
void hyp_main(const void *fdt, void (*putc)(char)) __attribute__((noreturn));

/*
 * An early failure, before hyp_main: prints the one line "bulkhead: fatal: <fmt...>" with
 * putc (the console is not set up yet) and parks the CPU for good. Runs at any exception
 * level with the MMU off (it uses nothing but putc and bh_vsnprintf).
 */
void hyp_fatal(void (*putc)(char), const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
