// SPDX-License-Identifier: MIT
/*
 * Freestanding C library pieces: what the guest uses plus the symbols the prebuilt libfdt.a
 * imports (mem*, str*, strtoul and the stack protector). The string functions are lib/string.c
 * of the hypervisor: they only make aligned accesses, which Device memory (MMU off) needs.
 */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include "report.h"

/* mem*, str* and strtoul: the hypervisor's freestanding implementations, one source. */
#include "../../lib/string.c"

/* libfdt.a is built with -fstack-protector; the guard value only has to be non-zero. */
#define STACK_GUARD_VALUE 0x5447c0de5447c0deUL

uintptr_t __stack_chk_guard = STACK_GUARD_VALUE;

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    tg_fatal("stack smashing detected in libfdt");
}
