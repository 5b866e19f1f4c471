// SPDX-License-Identifier: MIT
// Firmware calls from EL2 (SMC Calling Convention, DEN0028): x0-x3 in, x0 out.
    .text
    .global smccc_smc
smccc_smc:
    smc     #0
    ret
