/* SPDX-License-Identifier: MIT */
/* <string.h> for the guest and libfdt: the hypervisor's freestanding declarations (lib/string.h),
 * implemented by lib/string.c, which libc.c compiles in. */
#pragma once

#include "../../../lib/string.h"
