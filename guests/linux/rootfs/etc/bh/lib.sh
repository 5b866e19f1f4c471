# SPDX-License-Identifier: MIT
# Helpers sourced by /init and the /etc/bh scripts of the Bulkhead Linux test guest. Lines
# starting with "LX " are markers that scenario tests match: keep their format stable.

# lx_cmdline_get KEY DEFAULT: value of KEY=value on the kernel command line, else DEFAULT.
lx_cmdline_get() {
    local word
    for word in $(cat /proc/cmdline); do
        case "$word" in
            "$1="*) echo "${word#*=}"; return 0 ;;
        esac
    done
    echo "$2"
}

# lx_online_cpus: number of CPUs in /sys/devices/system/cpu/online ("0-1,4" style list).
lx_online_cpus() {
    local list range count=0 lo hi
    list=$(cat /sys/devices/system/cpu/online 2>/dev/null) || { nproc; return 0; }
    for range in $(echo "$list" | tr ',' ' '); do
        lo=${range%-*}
        hi=${range#*-}
        count=$((count + hi - lo + 1))
    done
    echo "$count"
}

# lx_info: the two info marker lines.
lx_info() {
    local mem_kb procs
    mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
    procs=$(grep -c '^processor' /proc/cpuinfo)
    echo "LX cpus=$(lx_online_cpus) mem_kb=$mem_kb cpuinfo=$procs"
    echo "LX uname=$(uname -r)"
}

# lx_hog_start: start the noisy neighbour in the background and print its marker line: one
# busy loop per online CPU, plus one loop that keeps allocating a quarter of the available
# memory (64 MiB at most), filling it from /dev/zero (every page is touched, so faulted in)
# and freeing it again. The caller waits (hog) or does something else (crashloop).
lx_hog_start() {
    local cpus i=0 avail_kb chunk_kb
    cpus=$(lx_online_cpus)
    while [ "$i" -lt "$cpus" ]; do
        (while :; do :; done) &
        i=$((i + 1))
    done
    avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
    chunk_kb=$((avail_kb / 4))
    [ "$chunk_kb" -gt 65536 ] && chunk_kb=65536
    [ "$chunk_kb" -lt 1024 ] && chunk_kb=1024
    (while :; do dd if=/dev/zero of=/dev/null bs="${chunk_kb}k" count=4 2>/dev/null; done) &
    echo "LX hog running cpus=$cpus chunk_kb=$chunk_kb"
}

# Workload data: a 64 KiB run of "seq" text doubled WL_DOUBLINGS times (4 MiB). mkguest.sh
# runs the same function on the build host to get the expected hash.
WL_CHUNK=65536
WL_SEQ_END=13000
WL_DOUBLINGS=6

# wl_generate FILE: write the workload data to FILE (FILE.tmp is scratch).
wl_generate() {
    local i=0
    seq 1 "$WL_SEQ_END" | head -c "$WL_CHUNK" >"$1"
    while [ "$i" -lt "$WL_DOUBLINGS" ]; do
        cat "$1" "$1" >"$1.tmp"
        mv "$1.tmp" "$1"
        i=$((i + 1))
    done
}

# lx_poweroff: wait until the console has sent everything, then power off. poweroff -f asks
# the kernel directly (PSCI SYSTEM_OFF); a UART still holding the last line would lose it.
# Setting an unchanged mode makes stty call tcsetattr(TCSADRAIN), which waits for the drain.
lx_poweroff() {
    stty -F /dev/console cs8 2>/dev/null || sleep 1
    poweroff -f
    # Only reached if the platform cannot power off: PID 1 must not exit.
    while :; do
        sleep 3600
    done
}

# lx_done_poweroff: end marker of the non-interactive scripts, then power off.
lx_done_poweroff() {
    echo "LX done"
    lx_poweroff
}

# lx_gateway UPLINK_IF PORT [SEGMENT_IF]: the gateway role (/init, bh.role=gateway). Brings
# UPLINK_IF up with an address from DHCP (/etc/bh/udhcpc.script configures it: "LX uplink IF
# ADDR/PREFIX router=..."), then starts bhmgmtd on PORT in the background with its output on
# the console; "LX mgmt up port=PORT" once it listens, "LX mgmt FAIL exit=N" if it ends.
# With bh.route=1 and a SEGMENT_IF it also routes between the segment and the uplink (plain
# IPv4 forwarding, no NAT: the initramfs has no iptables): proxy ARP on the uplink answers
# the outside's ARP for segment addresses, so replies come back through the gateway.
lx_gateway() {
    local up_if=$1 port=$2 seg_if=${3:-}
    if [ -z "$up_if" ]; then
        echo "LX uplink FAIL no interface with MAC $(lx_cmdline_get bh.uplink_mac 52:54:00:12:34:56)"
    else
        ip link set lo up
        ip link set "$up_if" up
        udhcpc -i "$up_if" -s /etc/bh/udhcpc.script -n -q -t 5 -T 2 ||
            echo "LX uplink FAIL $up_if: no DHCP lease"
        if [ "$(lx_cmdline_get bh.route 0)" = 1 ] && [ -n "$seg_if" ]; then
            if echo 1 >/proc/sys/net/ipv4/ip_forward &&
                echo 1 >"/proc/sys/net/ipv4/conf/$up_if/proxy_arp"; then
                echo "LX route forwarding $seg_if <-> $up_if"
            else
                echo "LX route FAIL forwarding $seg_if <-> $up_if"
            fi
        fi
    fi
    {
        bhmgmtd -p "$port"
        echo "bhmgmtd: exited $?"
    } 2>&1 | while IFS= read -r line; do
        echo "$line"
        case "$line" in
            "bhmgmtd: listening on "*) echo "LX mgmt up port=$port" ;;
            "bhmgmtd: exited "*) echo "LX mgmt FAIL exit=${line#bhmgmtd: exited }" ;;
        esac
    done &
}
