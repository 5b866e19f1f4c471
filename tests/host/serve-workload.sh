#!/bin/sh
# SPDX-License-Identifier: MIT
# A server "outside the board" for the routing test (u-gateway, configs/gateway.qemu): QEMU's
# user network runs this for each TCP connection a guest opens to its guestfwd address, with
# the connection as stdin/stdout. It writes the Linux test guest's workload data (the same
# wl_generate the guest and mkguest.sh run) and ends, which closes the connection.
set -eu
top="$(cd "$(dirname "$0")/../.." && pwd)"
. "$top/guests/linux/rootfs/etc/bh/lib.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
wl_generate "$tmp/wl"
cat "$tmp/wl"
