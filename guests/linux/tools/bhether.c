// SPDX-License-Identifier: MIT
/*
 * bhether IFACE MAC [COUNT [LEN]]: send COUNT (default 1) Ethernet frames of LEN bytes (60, the
 * minimum, by default; at most 1514, no FCS) to MAC through an AF_PACKET socket, so a test can aim a frame at one member of a network segment without an
 * ARP exchange (busybox's ip cannot add a neighbour entry). EtherType 0x88b5 is IEEE 802's
 * "local experimental" one: no stack on the other side acts on it. Exit 0 when all were sent.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETHERTYPE_EXPERIMENTAL 0x88b5
#define FRAME_LEN              60 /* the minimum without FCS */
#define FRAME_MAX              1514

static int parse_mac(const char *s, unsigned char mac[ETH_ALEN])
{
    unsigned v[ETH_ALEN];
    char end;

    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) !=
        ETH_ALEN) {
        return -1;
    }
    for (int i = 0; i < ETH_ALEN; i++) {
        if (v[i] > 0xff) {
            return -1;
        }
        mac[i] = (unsigned char)v[i];
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned char frame[FRAME_MAX] = { 0 };
    struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
    int count = argc > 3 ? atoi(argv[3]) : 1;
    int len = argc > 4 ? atoi(argv[4]) : FRAME_LEN;

    if (argc < 3 || parse_mac(argv[2], to.sll_addr) != 0 || count < 1 || len < FRAME_LEN ||
        len > FRAME_MAX) {
        fprintf(stderr, "usage: bhether IFACE MAC [COUNT [LEN (60..1514)]]\n");
        return 2;
    }
    to.sll_ifindex = (int)if_nametoindex(argv[1]);
    to.sll_protocol = htons(ETHERTYPE_EXPERIMENTAL);
    int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETHERTYPE_EXPERIMENTAL));
    if (fd < 0 || to.sll_ifindex == 0) {
        perror("bhether");
        return 1;
    }
    memcpy(frame, "bulkhead-ether", 14);
    for (int i = 0; i < count; i++) {
        /* SOCK_DGRAM: the kernel writes the Ethernet header (our MAC as the source) */
        if (sendto(fd, frame, (size_t)(len - ETH_HLEN), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
            perror("bhether: sendto");
            return 1;
        }
    }
    printf("bhether: sent %d frame(s) to %s\n", count, argv[2]);
    close(fd);
    return 0;
}
