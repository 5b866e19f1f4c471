/* SPDX-License-Identifier: MIT */
/* Internal error codes: functions return 0 or -BH_Exxx (see STYLE.md "Errors"). */
#pragma once

#define BH_EINVAL   1  /* invalid argument or malformed input */
#define BH_ENOMEM   2  /* out of a fixed-size resource */
#define BH_ENOENT   3  /* no such object */
#define BH_EEXIST   4  /* already exists / given twice */
#define BH_ERANGE   5  /* out of range */
#define BH_EPERM    6  /* denied by policy */
#define BH_EBUSY    7  /* resource in use */
#define BH_EIO      8  /* integrity or device error (hash mismatch, bad image) */
#define BH_ENOTSUP  9  /* not supported */
#define BH_ETIMEDOUT 10 /* a wait timed out */

#define BH_MUST_CHECK __attribute__((warn_unused_result))
