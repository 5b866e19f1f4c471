/* SPDX-License-Identifier: MIT */
/* Compile-time checks only: the guest has no run-time assert(). */
#pragma once

#define static_assert _Static_assert
