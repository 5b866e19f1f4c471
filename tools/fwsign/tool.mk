# SPDX-License-Identifier: MIT
# fwsign, the development signer of the boot chain (docs/TRUST.md), with the host's BearSSL.
# Included by the top Makefile (HOST_CC, HOST_CFLAGS, O).

FWSIGN_SRCS := tools/fwsign/fwsign.c tools/fwsign/fileio.c tools/fwsign/sign.c tools/fwsign/attest.c firmware/keystore.c

$(O)/fw/fwsign: $(FWSIGN_SRCS) tools/fwsign/sign.h tools/fwsign/attest.h tools/fwsign/fileio.h firmware/keystore.h \
    include/bulkhead/sigbundle.h include/bulkhead/secsvc.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -I/usr/include/bearssl -o $@ $(FWSIGN_SRCS) -lbearssl -lfdt
