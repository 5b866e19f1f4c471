/* SPDX-License-Identifier: MIT */
/* fwsign's measured-boot and attestation commands (attest.c). */
#pragma once

void fwsign_secret_header(const char *root_path, const char *out);
void fwsign_attest_pub(const char *root_path, const char *out);
void fwsign_measure(const char *hyp_path, const char *bundle_path);
/* argv: fwsign verify-report PUB REPORT [options]: the exit status. */
int fwsign_verify_report(int argc, char **argv);
