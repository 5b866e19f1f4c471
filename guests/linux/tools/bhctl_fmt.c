// SPDX-License-Identifier: MIT
/*
 * bhctl's output (bhctl.h): fixed-width tables for people, JSON for scripts. The JSON is
 * always valid: every string goes through one escaper (quote, backslash, control bytes and
 * anything outside ASCII as \u00XX), numbers are integers or fixed-point. Column headers and
 * JSON keys are an interface scripts and tests match: add, do not rename.
 */
#include <stdarg.h>
#include <string.h>

#include "bhctl.h"

#define NS_PER_S  1000000000ull
#define NS_PER_MS 1000000ull

static const char *const exit_names[] = { "hvc", "smc", "sysreg", "dabt", "iabt", "irq",
                                          "other", "wfi" };
#define EXIT_NAMES (sizeof(exit_names) / sizeof(exit_names[0]))

/* ------------------------------------------------------------------ helpers */

struct sbuf {
    char *p;
    size_t len, pos; /* pos may pass len: the output was cut, p stays terminated */
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    size_t room = b->pos < b->len ? b->len - b->pos : 0;

    va_start(ap, fmt);
    int n = vsnprintf(room ? b->p + b->pos : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) {
        b->pos += (size_t)n;
    }
}

static void sb_json_str(struct sbuf *b, const char *s, size_t max)
{
    sb_printf(b, "\"");
    for (size_t i = 0; i < max && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sb_printf(b, "\\%c", c);
        } else if (c < 0x20 || c >= 0x7f) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_printf(b, "%c", c);
        }
    }
    sb_printf(b, "\"");
}

void bhctl_json_str(FILE *out, const char *s, size_t max)
{
    char buf[8];

    fputc('"', out);
    for (size_t i = 0; i < max && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(buf, sizeof(buf), "\\u%04x", c);
            fputs(buf, out);
        } else {
            fputc(c, out);
        }
    }
    fputc('"', out);
}

static bool observed(const struct bh_mgmt_vm *v)
{
    return (v->rights & (BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_SELF)) != 0;
}

static const char *rights_str(uint32_t r)
{
    if (r & BH_MGMT_RIGHT_SELF) {
        return "self";
    }
    switch (r & (BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_CONTROL)) {
    case BH_MGMT_RIGHT_OBSERVE: return "observe";
    case BH_MGMT_RIGHT_CONTROL: return "control";
    case BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_CONTROL: return "observe,control";
    default: return "-";
    }
}

/* "12.3s", "4m05s", "2h07m"; "-" for 0 */
static const char *dur(char *buf, size_t len, uint64_t ns)
{
    uint64_t s = ns / NS_PER_S;

    if (ns == 0) {
        snprintf(buf, len, "-");
    } else if (s < 60) {
        snprintf(buf, len, "%llu.%llus", (unsigned long long)s,
                 (unsigned long long)(ns % NS_PER_S / (NS_PER_S / 10)));
    } else if (s < 3600) {
        snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
                 (unsigned long long)(s % 60));
    } else {
        snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
                 (unsigned long long)(s / 60 % 60));
    }
    return buf;
}

/* "256M", "4K", "-" */
static const char *size_str(char *buf, size_t len, uint64_t b)
{
    if (b == 0) {
        snprintf(buf, len, "-");
    } else if (b % (1u << 30) == 0) {
        snprintf(buf, len, "%lluG", (unsigned long long)(b >> 30));
    } else if (b >= (1u << 20)) {
        snprintf(buf, len, "%lluM", (unsigned long long)(b >> 20));
    } else {
        snprintf(buf, len, "%lluK", (unsigned long long)(b >> 10));
    }
    return buf;
}

static unsigned long long ull(uint64_t v)
{
    return (unsigned long long)v;
}

static uint64_t run_ns_of(const struct bh_mgmt_vm *v)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < v->nr_vcpus && i < BH_MGMT_VCPUS; i++) {
        sum += v->vcpu[i].run_ns;
    }
    return sum;
}

static uint64_t exits_of(const struct bh_mgmt_vm *v)
{
    uint64_t sum = 0;

    for (size_t c = 0; c < EXIT_NAMES; c++) {
        sum += v->exits[c];
    }
    return sum;
}

/* ------------------------------------------------------------------ JSON objects */

static void json_vm(FILE *out, const struct bh_mgmt_vm *v)
{
    fprintf(out, "{\"id\":%u,\"name\":", v->id);
    bhctl_json_str(out, v->name, sizeof(v->name));
    fprintf(out, ",\"state\":\"%s\",\"rights\":\"%s\",\"observed\":%s", bhctl_state_name(v->state),
            rights_str(v->rights), observed(v) ? "true" : "false");
    if (!observed(v)) {
        fputc('}', out);
        return;
    }
    fprintf(out,
            ",\"vcpus\":%u,\"priority\":%u,\"autostart\":%s,\"manageable\":%s,"
            "\"uptime_ns\":%llu,\"mem_bytes\":%llu,\"starts\":%llu,\"restarts\":%llu,"
            "\"faults\":%llu,\"denials\":%llu,\"irqs_injected\":%llu,\"mmio_emulated\":%llu,"
            "\"events\":%llu,\"events_dropped\":%llu,\"exits\":{",
            v->nr_vcpus, v->priority, v->flags & BH_MGMT_VMF_AUTOSTART ? "true" : "false",
            v->flags & BH_MGMT_VMF_MANAGEABLE ? "true" : "false", ull(v->uptime_ns),
            ull(v->mem_bytes), ull(v->starts), ull(v->restarts), ull(v->faults),
            ull(v->denials), ull(v->irqs_injected), ull(v->mmio_emulated), ull(v->events),
            ull(v->events_dropped));
    for (size_t c = 0; c < EXIT_NAMES; c++) {
        fprintf(out, "%s\"%s\":%llu", c ? "," : "", exit_names[c], ull(v->exits[c]));
    }
    fprintf(out, "},\"console\":{\"tx_bytes\":%llu,\"rx_bytes\":%llu,\"rx_dropped\":%llu},"
                 "\"vcpu\":[",
            ull(v->uart_tx_bytes), ull(v->uart_rx_bytes), ull(v->uart_rx_dropped));
    for (uint32_t i = 0; i < v->nr_vcpus; i++) {
        const struct bh_mgmt_vcpu *c = &v->vcpu[i];
        fprintf(out, "%s{\"vcpu\":%u,\"state\":\"%s\",\"pcpu\":%u,\"run_ns\":%llu,"
                     "\"idle_ns\":%llu,\"blocked_ns\":%llu,\"paused_ns\":%llu,"
                     "\"wait_ns\":%llu,\"throttled_ns\":%llu,\"preemptions\":%llu,"
                     "\"throttles\":%llu}",
                i ? "," : "", i,
                c->state == BH_MGMT_VCPU_RUNNING ? "running" :
                c->state == BH_MGMT_VCPU_PENDING ? "pending" : "off",
                c->pcpu, ull(c->run_ns), ull(c->idle_ns), ull(c->blocked_ns),
                ull(c->paused_ns), ull(c->wait_ns), ull(c->throttled_ns), ull(c->preemptions),
                ull(c->throttles));
    }
    fputs("]}", out);
}

static void json_ipc(FILE *out, const struct bh_mgmt_ipc *o)
{
    static const char *const types[] = { "shmem", "doorbell", "semaphore", "mutex", "msgq" };

    fprintf(out, "{\"id\":%u,\"name\":", o->id);
    bhctl_json_str(out, o->name, sizeof(o->name));
    fprintf(out, ",\"type\":\"%s\",\"ops\":%llu,\"blocked\":%llu,\"busy\":%llu,"
                 "\"denied\":%llu,\"invalid\":%llu,\"timeouts\":%llu,\"bytes\":%llu}",
            o->type < 5 ? types[o->type] : "unknown", ull(o->ops), ull(o->blocked),
            ull(o->busy), ull(o->denied), ull(o->invalid), ull(o->timeouts), ull(o->bytes));
}

/* ------------------------------------------------------------------ commands */

void bhctl_print_list(FILE *out, const struct bhctl_snap *s, bool json)
{
    char up[24], mem[24];

    if (json) {
        fprintf(out, "{\"time_ns\":%llu,\"vms\":[", ull(s->time_ns));
        for (uint32_t i = 0; i < s->vm_count; i++) {
            fputs(i ? "," : "", out);
            json_vm(out, &s->vm[i]);
        }
        fputs("]}\n", out);
        return;
    }
    fprintf(out, "%-3s %-15s %-9s %-16s %5s %6s %9s\n", "ID", "NAME", "STATE", "RIGHTS",
            "VCPUS", "MEM", "UPTIME");
    for (uint32_t i = 0; i < s->vm_count; i++) {
        const struct bh_mgmt_vm *v = &s->vm[i];
        fprintf(out, "%-3u %-15s %-9s %-16s %5u %6s %9s\n", v->id, v->name,
                bhctl_state_name(v->state), rights_str(v->rights), v->nr_vcpus,
                size_str(mem, sizeof(mem), v->mem_bytes),
                dur(up, sizeof(up), v->uptime_ns));
    }
}

void bhctl_print_info(FILE *out, const struct bhctl_snap *s, const struct bh_mgmt_vm *v,
                      bool json)
{
    char b1[24], b2[24], b3[24], b4[24];

    (void)s;
    if (json) {
        json_vm(out, v);
        fputc('\n', out);
        return;
    }
    fprintf(out, "name:       %s\nid:         %u\nstate:      %s\nrights:     %s\n", v->name,
            v->id, bhctl_state_name(v->state), rights_str(v->rights));
    if (!observed(v)) {
        fputs("(no observe right: no statistics)\n", out);
        return;
    }
    fprintf(out, "vcpus:      %u\npriority:   %u\nautostart:  %s\nmanageable: %s\n"
                 "memory:     %s\nuptime:     %s\nstarts:     %llu\nrestarts:   %llu\n"
                 "faults:     %llu\ndenials:    %llu\nirqs:       %llu\nmmio:       %llu\n"
                 "events:     %llu (dropped %llu)\nexits:     ",
            v->nr_vcpus, v->priority, v->flags & BH_MGMT_VMF_AUTOSTART ? "yes" : "no",
            v->flags & BH_MGMT_VMF_MANAGEABLE ? "yes" : "no",
            size_str(b1, sizeof(b1), v->mem_bytes), dur(b2, sizeof(b2), v->uptime_ns),
            ull(v->starts), ull(v->restarts), ull(v->faults), ull(v->denials),
            ull(v->irqs_injected), ull(v->mmio_emulated), ull(v->events),
            ull(v->events_dropped));
    for (size_t c = 0; c < EXIT_NAMES; c++) {
        fprintf(out, " %s=%llu", exit_names[c], ull(v->exits[c]));
    }
    fprintf(out, "\nconsole:    tx=%llu rx=%llu rx_dropped=%llu\n", ull(v->uart_tx_bytes),
            ull(v->uart_rx_bytes), ull(v->uart_rx_dropped));
    for (uint32_t i = 0; i < v->nr_vcpus; i++) {
        const struct bh_mgmt_vcpu *c = &v->vcpu[i];
        fprintf(out, "vcpu %u:     %s pcpu=%u run=%s idle=%s blocked=%s paused=%s", i,
                c->state == BH_MGMT_VCPU_RUNNING ? "running" :
                c->state == BH_MGMT_VCPU_PENDING ? "pending" : "off",
                c->pcpu, dur(b1, sizeof(b1), c->run_ns), dur(b4, sizeof(b4), c->idle_ns),
                dur(b2, sizeof(b2), c->blocked_ns), dur(b3, sizeof(b3), c->paused_ns));
        /* the scheduler of a shared pCPU (0 on an exclusive one) */
        fprintf(out, " wait=%s throttled=%s preemptions=%llu throttles=%llu\n",
                dur(b1, sizeof(b1), c->wait_ns), dur(b2, sizeof(b2), c->throttled_ns),
                ull(c->preemptions), ull(c->throttles));
    }
}

static void stats_json(FILE *out, const struct bhctl_snap *s, const struct bh_mgmt_vm *only)
{
    bool first = true;

    fprintf(out, "{\"time_ns\":%llu,\"evt_next\":%llu,\"console\":{\"ring_full\":%llu,"
                 "\"escaped\":%llu},\"vms\":[",
            ull(s->time_ns), ull(s->evt_next), ull(s->console_ring_full),
            ull(s->console_escaped));
    for (uint32_t i = 0; i < s->vm_count; i++) {
        if (!only || only == &s->vm[i]) {
            fputs(first ? "" : ",", out);
            json_vm(out, &s->vm[i]);
            first = false;
        }
    }
    fputs("],\"ipc\":[", out);
    for (uint32_t i = 0; i < s->ipc_count; i++) {
        fputs(i ? "," : "", out);
        json_ipc(out, &s->ipc[i]);
    }
    fputs("]}\n", out);
}

static void stats_vm_tables(FILE *out, const struct bhctl_snap *s, const struct bh_mgmt_vm *only)
{
    char up[24];

    fprintf(out, "%-15s %-9s %9s %6s %8s %6s %7s %9s %9s %7s %7s\n", "NAME", "STATE", "UPTIME",
            "STARTS", "RESTARTS", "FAULTS", "DENIALS", "IRQS", "MMIO", "EVENTS", "DROPPED");
    for (uint32_t i = 0; i < s->vm_count; i++) {
        const struct bh_mgmt_vm *v = &s->vm[i];
        if ((only && only != v) || !observed(v)) {
            continue;
        }
        fprintf(out, "%-15s %-9s %9s %6llu %8llu %6llu %7llu %9llu %9llu %7llu %7llu\n", v->name,
                bhctl_state_name(v->state), dur(up, sizeof(up), v->uptime_ns), ull(v->starts),
                ull(v->restarts), ull(v->faults), ull(v->denials), ull(v->irqs_injected),
                ull(v->mmio_emulated), ull(v->events), ull(v->events_dropped));
    }
    fprintf(out, "\n%-15s", "EXITS");
    for (size_t c = 0; c < EXIT_NAMES; c++) {
        fprintf(out, " %9s", exit_names[c]);
    }
    fprintf(out, " %9s %9s %10s\n", "UART_TX", "UART_RX", "RX_DROPPED");
    for (uint32_t i = 0; i < s->vm_count; i++) {
        const struct bh_mgmt_vm *v = &s->vm[i];
        if ((only && only != v) || !observed(v)) {
            continue;
        }
        fprintf(out, "%-15s", v->name);
        for (size_t c = 0; c < EXIT_NAMES; c++) {
            fprintf(out, " %9llu", ull(v->exits[c]));
        }
        fprintf(out, " %9llu %9llu %10llu\n", ull(v->uart_tx_bytes), ull(v->uart_rx_bytes),
                ull(v->uart_rx_dropped));
    }
    fprintf(out, "\n%-15s %4s %-8s %4s %12s %12s %12s %12s %12s %12s %11s %11s\n", "VCPU", "#",
            "STATE", "PCPU", "RUN_MS", "IDLE_MS", "BLOCKED_MS", "PAUSED_MS", "WAIT_MS",
            "THROTTLED_MS", "PREEMPTIONS", "THROTTLES");
    for (uint32_t i = 0; i < s->vm_count; i++) {
        const struct bh_mgmt_vm *v = &s->vm[i];
        for (uint32_t c = 0; (!only || only == v) && observed(v) && c < v->nr_vcpus; c++) {
            const struct bh_mgmt_vcpu *p = &v->vcpu[c];
            fprintf(out, "%-15s %4u %-8s %4u %12llu %12llu %12llu %12llu %12llu %12llu %11llu "
                         "%11llu\n", v->name, c,
                    p->state == BH_MGMT_VCPU_RUNNING ? "running" :
                    p->state == BH_MGMT_VCPU_PENDING ? "pending" : "off",
                    p->pcpu, ull(p->run_ns / NS_PER_MS), ull(p->idle_ns / NS_PER_MS),
                    ull(p->blocked_ns / NS_PER_MS), ull(p->paused_ns / NS_PER_MS),
                    ull(p->wait_ns / NS_PER_MS), ull(p->throttled_ns / NS_PER_MS),
                    ull(p->preemptions), ull(p->throttles));
        }
    }
}

void bhctl_print_stats(FILE *out, const struct bhctl_snap *s, const struct bh_mgmt_vm *only,
                       bool json)
{
    static const char *const types[] = { "shmem", "doorbell", "semaphore", "mutex", "msgq" };

    if (json) {
        stats_json(out, s, only);
        return;
    }
    stats_vm_tables(out, s, only);
    fprintf(out, "\n%-20s %4s %-9s %9s %8s %8s %7s %7s %8s %11s\n", "IPC", "ID", "TYPE", "OPS",
            "BLOCKED", "BUSY", "DENIED", "INVALID", "TIMEOUTS", "BYTES");
    for (uint32_t i = 0; i < s->ipc_count; i++) {
        const struct bh_mgmt_ipc *o = &s->ipc[i];
        fprintf(out, "%-20s %4u %-9s %9llu %8llu %8llu %7llu %7llu %8llu %11llu\n", o->name,
                o->id, o->type < 5 ? types[o->type] : "unknown", ull(o->ops), ull(o->blocked),
                ull(o->busy), ull(o->denied), ull(o->invalid), ull(o->timeouts),
                ull(o->bytes));
    }
    fprintf(out, "\nconsole: ring_full=%llu escaped=%llu\n", ull(s->console_ring_full),
            ull(s->console_escaped));
}

/* ------------------------------------------------------------------ top */

static const struct bh_mgmt_vm *same_vm(const struct bhctl_snap *prev, uint32_t id)
{
    for (uint32_t i = 0; prev && i < prev->vm_count; i++) {
        if (prev->vm[i].id == id) {
            return &prev->vm[i];
        }
    }
    return NULL;
}

/* Rates over the interval; false when there is none (first frame, restarted VM, no time). */
static bool rates(const struct bhctl_snap *prev, const struct bhctl_snap *cur,
                  const struct bh_mgmt_vm *v, uint32_t *cpu_pmil, uint64_t *exits_s,
                  uint64_t *irqs_s)
{
    const struct bh_mgmt_vm *p = same_vm(prev, v->id);

    if (!p || !observed(v) || cur->time_ns <= prev->time_ns || v->starts != p->starts ||
        run_ns_of(v) < run_ns_of(p) || exits_of(v) < exits_of(p) ||
        v->irqs_injected < p->irqs_injected || v->nr_vcpus == 0) {
        return false;
    }
    uint64_t dt = cur->time_ns - prev->time_ns;
    uint64_t run = run_ns_of(v) - run_ns_of(p);
    /* per mille of the VM's vCPUs' time; dt < 2^64 / 1000 for any interval of under 200 days */
    uint64_t pmil = run / v->nr_vcpus * 1000 / dt;
    *cpu_pmil = pmil > 1000 ? 1000 : (uint32_t)pmil;
    *exits_s = (exits_of(v) - exits_of(p)) * 1000 / (dt / NS_PER_MS ? dt / NS_PER_MS : 1);
    *irqs_s = (v->irqs_injected - p->irqs_injected) * 1000 / (dt / NS_PER_MS ? dt / NS_PER_MS : 1);
    return true;
}

void bhctl_print_top(FILE *out, const struct bhctl_snap *prev, const struct bhctl_snap *cur,
                     bool json)
{
    char up[24];
    uint32_t pmil = 0;
    uint64_t ex = 0, irq = 0;

    if (json) {
        fprintf(out, "{\"time_ns\":%llu,\"evt_next\":%llu,\"vms\":[", ull(cur->time_ns),
                ull(cur->evt_next));
    } else {
        fprintf(out, "bhctl top: t=%s events=%llu vms=%u\n", dur(up, sizeof(up), cur->time_ns),
                ull(cur->evt_next), cur->vm_count);
        fprintf(out, "%-3s %-15s %-9s %6s %9s %9s %6s %8s %9s\n", "ID", "NAME", "STATE", "CPU%",
                "EXITS/s", "IRQS/s", "FAULTS", "RESTARTS", "UPTIME");
    }
    for (uint32_t i = 0; i < cur->vm_count; i++) {
        const struct bh_mgmt_vm *v = &cur->vm[i];
        bool have = rates(prev, cur, v, &pmil, &ex, &irq);
        if (json) {
            fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", v->id);
            bhctl_json_str(out, v->name, sizeof(v->name));
            fprintf(out, ",\"state\":\"%s\"", bhctl_state_name(v->state));
            if (have) {
                fprintf(out, ",\"cpu_pct\":%u.%u,\"exits_per_s\":%llu,\"irqs_per_s\":%llu",
                        pmil / 10, pmil % 10, ull(ex), ull(irq));
            }
            fprintf(out, ",\"faults\":%llu,\"restarts\":%llu,\"uptime_ns\":%llu}",
                    ull(v->faults), ull(v->restarts), ull(v->uptime_ns));
            continue;
        }
        char cpu[16] = "-", exs[24] = "-", irqs[24] = "-";
        if (have) {
            snprintf(cpu, sizeof(cpu), "%u.%u", pmil / 10, pmil % 10);
            snprintf(exs, sizeof(exs), "%llu", ull(ex));
            snprintf(irqs, sizeof(irqs), "%llu", ull(irq));
        }
        fprintf(out, "%-3u %-15s %-9s %6s %9s %9s %6llu %8llu %9s\n", v->id, v->name,
                bhctl_state_name(v->state), cpu, exs, irqs, ull(v->faults), ull(v->restarts),
                dur(up, sizeof(up), v->uptime_ns));
    }
    fputs(json ? "]}\n" : "", out);
}

/* ------------------------------------------------------------------ events */

size_t bhctl_format_event(char *buf, size_t len, const struct bh_mgmt_event *e,
                          const struct bhctl_snap *names, bool json)
{
    char nb[16];
    const char *vm = bhctl_vm_name(names, e->vm, nb, sizeof(nb));
    struct sbuf b = { buf, len, 0 };

    if (json) {
        sb_printf(&b, "{\"seq\":%llu,\"time_ns\":%llu,\"vm\":", ull(e->seq), ull(e->time_ns));
        sb_json_str(&b, vm, BH_MGMT_NAME_MAX);
        sb_printf(&b, ",\"vm_id\":%u,\"kind\":", e->vm);
        sb_json_str(&b, e->kind, sizeof(e->kind));
        sb_printf(&b, ",\"text\":");
        sb_json_str(&b, e->text, sizeof(e->text));
        sb_printf(&b, "}\n");
    } else {
        /* the fields as the console's EVT line has them, control bytes as '?' */
        char kind[BH_MGMT_EVT_KIND_MAX], text[BH_MGMT_EVT_TEXT_MAX];
        snprintf(kind, sizeof(kind), "%s", e->kind);
        snprintf(text, sizeof(text), "%s", e->text);
        for (char *p = text; *p; p++) {
            *p = (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ? '?' : *p;
        }
        for (char *p = kind; *p; p++) {
            *p = (unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ? '?' : *p;
        }
        sb_printf(&b, "%8llu %6llu.%06llu vm=%s kind=%s%s%s\n", ull(e->seq),
                  ull(e->time_ns / NS_PER_S), ull(e->time_ns % NS_PER_S / 1000), vm, kind,
                  text[0] ? " " : "", text);
    }
    if (len < 2) {
        return 0;
    }
    if (b.pos >= len) { /* cut: keep the line a line */
        buf[len - 2] = '\n';
        return len - 1;
    }
    return b.pos;
}

size_t bhctl_format_missed(char *buf, size_t len, uint64_t missed, uint64_t at, bool json)
{
    int n = json ? snprintf(buf, len, "{\"missed\":%llu,\"before_seq\":%llu}\n", ull(missed),
                            ull(at))
                 : snprintf(buf, len, "# %llu records missed before seq %llu\n", ull(missed),
                            ull(at));
    return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len ? len - 1 : 0;
}
