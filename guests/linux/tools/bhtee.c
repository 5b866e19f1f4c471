// SPDX-License-Identifier: MIT
/*
 * bhtee: Bulkhead's sealing TA (bulkhead/optee.h BH_TA_SEAL_*, docs/TRUST.md "OP-TEE") from
 * Linux user space through the stock TEE subsystem (/dev/tee0, linux/tee.h): a session to the
 * TA, the data in a shared-memory buffer allocated from the driver's pool (the secure world
 * offers only static shared memory), one invoke.
 *   bhtee seal TEXT     prints the blob in hex (bound to this VM and its image)
 *   bhtee unseal HEX    prints the text, or "refused (0x...)" and exits 1
 */
#include <bulkhead/optee.h>
#include <bulkhead/secsvc.h>

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/tee.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define IN_OFF  0
#define OUT_OFF 2048
#define SHM_SIZE 4096

static const uint8_t seal_uuid[16] = BH_TA_SEAL_UUID;

static int fail(const char *what)
{
    fprintf(stderr, "bhtee: %s: %s\n", what, strerror(errno));
    return 2;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Opens a session, puts in[0..len) into shared memory, invokes cmd; out gets the result. */
static int run(uint32_t cmd, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len,
               uint32_t *tee_ret)
{
    uint64_t sbuf[(sizeof(struct tee_ioctl_open_session_arg) + 7) / 8] = { 0 };
    uint64_t ibuf[(sizeof(struct tee_ioctl_invoke_arg) + 4 * sizeof(struct tee_ioctl_param) +
                   7) / 8] = { 0 };
    struct tee_ioctl_open_session_arg *s = (void *)sbuf;
    struct tee_ioctl_invoke_arg *a = (void *)ibuf;
    struct tee_ioctl_shm_alloc_data shm = { .size = SHM_SIZE };
    struct tee_ioctl_buf_data bd;
    struct tee_ioctl_close_session_arg cl;
    int fd = open("/dev/tee0", O_RDWR), sfd, rc = 0;
    uint8_t *mem;

    if (fd < 0) {
        return fail("/dev/tee0");
    }
    if (len > OUT_OFF) {
        errno = EMSGSIZE;
        return fail("input");
    }
    sfd = ioctl(fd, TEE_IOC_SHM_ALLOC, &shm);
    if (sfd < 0) {
        return fail("TEE_IOC_SHM_ALLOC");
    }
    mem = mmap(NULL, SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
    if (mem == MAP_FAILED) {
        return fail("mmap");
    }
    memcpy(mem + IN_OFF, in, len);
    memcpy(s->uuid, seal_uuid, sizeof(seal_uuid));
    s->clnt_login = TEE_IOCTL_LOGIN_PUBLIC;
    bd.buf_ptr = (uintptr_t)s;
    bd.buf_len = sizeof(*s);
    if (ioctl(fd, TEE_IOC_OPEN_SESSION, &bd) != 0 || s->ret != 0) {
        fprintf(stderr, "bhtee: open session: ret=0x%x origin=%u\n", s->ret, s->ret_origin);
        return 2;
    }
    a->func = cmd;
    a->session = s->session;
    a->num_params = 4;
    a->params[0] = (struct tee_ioctl_param){ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT,
                                             .a = IN_OFF, .b = len, .c = (uint64_t)shm.id };
    a->params[1] = (struct tee_ioctl_param){ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
                                             .a = OUT_OFF, .b = SHM_SIZE - OUT_OFF,
                                             .c = (uint64_t)shm.id };
    bd.buf_ptr = (uintptr_t)a;
    bd.buf_len = sizeof(ibuf);
    if (ioctl(fd, TEE_IOC_INVOKE, &bd) != 0) {
        rc = fail("TEE_IOC_INVOKE");
    } else {
        *tee_ret = a->ret;
        *out_len = a->ret == 0 && a->params[1].b <= SHM_SIZE - OUT_OFF ? a->params[1].b : 0;
        memcpy(out, mem + OUT_OFF, *out_len);
    }
    cl.session = s->session;
    (void)ioctl(fd, TEE_IOC_CLOSE_SESSION, &cl);
    munmap(mem, SHM_SIZE);
    close(sfd);
    close(fd);
    return rc;
}

int main(int argc, char **argv)
{
    uint8_t in[2048], out[2048];
    size_t len = 0, out_len = 0;
    uint32_t ret = 0;
    bool seal;
    int rc;

    if (argc != 3 || (strcmp(argv[1], "seal") != 0 && strcmp(argv[1], "unseal") != 0)) {
        fprintf(stderr, "usage: bhtee seal TEXT | bhtee unseal HEX\n");
        return 2;
    }
    seal = strcmp(argv[1], "seal") == 0;
    if (seal) {
        len = strlen(argv[2]);
        if (len == 0 || len > BH_SEC_DATA_MAX) {
            fprintf(stderr, "bhtee: 1..%u bytes\n", BH_SEC_DATA_MAX);
            return 2;
        }
        memcpy(in, argv[2], len);
    } else {
        for (const char *p = argv[2]; p[0] && p[1] && len < sizeof(in); p += 2) {
            int hi = hexval(p[0]), lo = hexval(p[1]);
            if (hi < 0 || lo < 0) {
                fprintf(stderr, "bhtee: not hex\n");
                return 2;
            }
            in[len++] = (uint8_t)(hi << 4 | lo);
        }
    }
    rc = run(seal ? BH_TA_SEAL_CMD_SEAL : BH_TA_SEAL_CMD_UNSEAL, in, len, out, &out_len, &ret);
    if (rc != 0) {
        return rc;
    }
    if (ret != 0) {
        printf("refused (0x%x)\n", ret);
        return 1;
    }
    for (size_t i = 0; i < out_len; i++) {
        if (seal) {
            printf("%02x", out[i]);
        } else {
            putchar(out[i] >= 0x20 && out[i] < 0x7f ? out[i] : '.');
        }
    }
    putchar('\n');
    return 0;
}
