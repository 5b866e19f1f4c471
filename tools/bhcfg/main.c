// SPDX-License-Identifier: MIT
/*
 * bhcfg: the host-side scenario checker. Runs the hypervisor's own validation (core/config/config.c)
 * against a platform description and the image files under a root directory, so a scenario
 * that passes here is accepted at boot. See docs/CONFIG.md.
 *
 *   bhcfg check FILE [--root DIR] [--platform PLAT.dtb]
 *
 * The RAM VMs may use is the platform's minus the hypervisor's fixed reserve
 * (PLATINFO_HYP_RESERVE), the same definition the hypervisor boots with.
 *
 * Exit status: 0 no error, 1 configuration errors, 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/platinfo.h>
#include <tools/bhcfg/virtplat.h>

#define EXIT_CONFIG 1
#define EXIT_USAGE  2
#define READ_CHUNK  4096

struct opts {
    const char *file;
    const char *root;
    const char *platform;
};

struct blob {
    char *data;
    size_t len;
};

static void usage(void)
{
    fprintf(stderr, "usage: bhcfg check FILE.dts|FILE.dtb [--root DIR] [--platform PLAT.dtb]\n");
    exit(EXIT_USAGE);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){ .root = "." };
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        usage();
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--root") == 0 && i + 1 < argc) {
            o->root = argv[++i];
        } else if (strcmp(a, "--platform") == 0 && i + 1 < argc) {
            o->platform = argv[++i];
        } else if (a[0] == '-' || o->file != NULL) {
            usage();
        } else {
            o->file = a;
        }
    }
    if (o->file == NULL) {
        usage();
    }
}

/* Read everything from fd into b (malloc'ed); 0 or -1 with errno. */
static int read_all(int fd, struct blob *b)
{
    size_t cap = 0;

    b->data = NULL;
    b->len = 0;
    for (;;) {
        if (b->len + READ_CHUNK > cap) {
            cap = cap * 2 + READ_CHUNK;
            char *n = realloc(b->data, cap);
            if (n == NULL) {
                return -1;
            }
            b->data = n;
        }
        ssize_t r = read(fd, b->data + b->len, cap - b->len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            return 0;
        }
        b->len += (size_t)r;
    }
}

static int load_file(const char *path, struct blob *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int ret = read_all(fileno(f), b);
    if (ret != 0) {
        fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
    }
    fclose(f);
    return ret;
}

/*
 * dtc -q -I dts -O dtb FILE, its output read through a pipe; dtc prints its own errors.
 * -E no-name_properties: dtc treats a "name" property as the pre-v16 copy of the node name
 * (an error when it differs, silently dropped when equal); in a scenario it is the VM name.
 */
static int compile_dts(const char *path, struct blob *b)
{
    int fds[2];
    int status;

    if (pipe(fds) != 0) {
        perror("error: pipe");
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("dtc", "dtc", "-q", "-E", "no-name_properties", "-I", "dts", "-O", "dtb", path,
               (char *)NULL);
        perror("error: dtc");
        _exit(127);
    }
    close(fds[1]);
    int ret = pid < 0 ? -1 : read_all(fds[0], b);
    close(fds[0]);
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "error: %s: dtc could not compile it\n", path);
        return -1;
    }
    return ret;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The scenario blob; cfg_parse needs fdt_totalsize() bytes to be there. */
static int load_scenario(const char *path, struct blob *b)
{
    int ret = has_suffix(path, ".dts") ? compile_dts(path, b) : load_file(path, b);
    if (ret != 0) {
        return ret;
    }
    if (b->len < sizeof(struct fdt_header) || fdt_check_header(b->data) != 0 ||
        fdt_totalsize(b->data) > b->len) {
        fprintf(stderr, "error: %s: /: (node): not a valid device tree blob\n", path);
        return -1;
    }
    return 0;
}

static int load_platform(const struct opts *o, struct platinfo *plat)
{
    static char builtin[VIRTPLAT_FDT_SIZE];
    struct blob b = { 0 };
    const void *fdt = builtin;
    const char *name = "built-in QEMU virt";

    if (o->platform != NULL) {
        if (load_file(o->platform, &b) != 0) {
            return -1;
        }
        fdt = b.data;
        name = o->platform;
    } else if (virtplat_build(builtin, sizeof(builtin)) != 0) {
        fprintf(stderr, "error: cannot build the built-in platform tree\n");
        return -1;
    }
    int ret = -BH_EINVAL;
    if (o->platform == NULL ||
        (b.len >= sizeof(struct fdt_header) && fdt_totalsize(b.data) <= b.len)) {
        ret = platinfo_parse(fdt, plat);
    }
    free(b.data);
    if (ret != 0) {
        fprintf(stderr, "error: %s: platform device tree not usable (error %d): %s\n", name, ret,
                plat->error[0] ? plat->error : "unreadable");
        return -1;
    }
    return 0;
}

static void on_error(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "error: %s\n", msg);
}

/* The image's size and first bytes: the format checks are the loader's (cfg_image_layout). */
static int on_image(void *ctx, const char *path, struct cfg_image *out)
{
    const struct opts *o = ctx;
    char full[PATH_MAX];
    struct stat st;

    if ((size_t)snprintf(full, sizeof(full), "%s/%s", o->root, path) >= sizeof(full) ||
        stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
        return -BH_ENOENT;
    }
    out->size = (uint64_t)st.st_size;
    FILE *f = fopen(full, "rb");
    if (f == NULL) {
        return -BH_ENOENT;
    }
    out->head_len = (uint32_t)fread(out->head, 1, sizeof(out->head), f);
    fclose(f);
    return 0;
}

static void print_vm(const struct cfg_vm *vm)
{
    printf("ok: vm %s: %u vcpu(s) on cpu%s ", vm->name, vm->vcpu_count,
           vm->vcpu_count > 1 ? "s" : "");
    for (uint32_t i = 0; i < vm->vcpu_count; i++) {
        printf("%s%u", i > 0 ? "," : "", vm->cpus[i]);
    }
    printf(", %" PRIu64 " MiB at 0x%" PRIx64 ", kernel %s (%s)", vm->mem_size / CFG_SZ_MIB,
           vm->mem_ipa, vm->kernel, cfg_kernel_type_name(vm->kernel_type));
    if (vm->initrd[0] != '\0') {
        printf(", initrd %s", vm->initrd);
    }
    if (vm->dev_count > 0) {
        printf(", %u passthrough device(s)", vm->dev_count);
    }
    printf(", fault-policy %s", cfg_fault_policy_name(vm->fault_policy));
    if (vm->watchdog == CFG_WDOG_SP805) {
        printf(", watchdog sp805 at %u Hz",
               vm->watchdog_hz ? vm->watchdog_hz : CFG_WDOG_HZ_DEFAULT);
    }
    if (vm->colours) {
        char list[160];
        printf(", colours %s", cfg_colour_list(vm->colours, list, sizeof(list)));
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    static struct cfg_scenario sc;
    struct opts o;
    struct platinfo plat;
    struct blob dtb = { 0 };

    parse_opts(argc, argv, &o);
    if (load_platform(&o, &plat) != 0 || load_scenario(o.file, &dtb) != 0) {
        free(dtb.data);
        return EXIT_CONFIG;
    }
    struct cfg_hooks hooks = { .ctx = &o, .error = on_error, .image = on_image };
    int ret = cfg_parse(dtb.data, o.file, &plat, &hooks, &sc);
    free(dtb.data);
    if (ret == 0) {
        for (uint32_t i = 0; i < sc.vm_count; i++) {
            if (sc.vms[i].valid) {
                print_vm(&sc.vms[i]);
            }
        }
    }
    return ret != 0 || sc.error_count > 0 ? EXIT_CONFIG : 0;
}
