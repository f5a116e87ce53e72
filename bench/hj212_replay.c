/* Replay load client for the HJ 212 intake: the server's cost measured, not the client's.
 *
 * Every frame is encoded before the clock starts (minute uploads, CN 2051, Flag 5: ack
 * wanted, of the devices of a `serve --devices` list: air stations, flue-gas and wastewater
 * outlets), each connection's frames lying back to back in one buffer, so sending is one
 * write() of a slice of that buffer and costs the client a system call per window, not an
 * encoder run per packet. N connections, each with at most W unacknowledged frames, on one
 * epoll loop; replies are framed and their headers parsed (hj212_parse_header) to match
 * the QN of each 9014 to its frame.
 *
 * Reports acknowledged packets/s over the sending time, reply latency p50/p99/max, its own
 * CPU (getrusage) and, with --server-pid, the server's CPU (/proc/PID/stat, same interval)
 * and RSS (VmRSS, VmHWM).
 *
 *   bench_hj212_replay --devices CSV [--conns N] [--window W] [--duration S]
 *                      [--frames F] [--server-pid PID] [--json] HOST:PORT
 *   bench_hj212_replay --devices CSV --capture FILE --mb M
 *       writes M MiB of the same traffic as a capture (minute by minute, device after
 *       device), the input of `envwatch hj212 check` benchmarks.
 *
 * The device list is the CSV `envwatch simulate --print-devices` prints (mn,pw,kind,...):
 * connection i speaks for device i mod (devices in the list). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hj212/hj212.h"

enum { FRAME_CAP = 700, WINDOW_MAX = 256, RBUF = 64 * 1024 };

/* Reply latency histogram: 10 us buckets below 100 ms, 1 ms buckets up to 60 s. */
enum { FINE_N = 10000, COARSE_N = 60000 };

typedef struct device {
    char mn[32], pw[16], kind; /* kind: 'a' air, 'g' flue gas, 'w' wastewater */
} device;

typedef struct conn {
    int fd;
    bool connected;
    char *buf;                    /* the connection's frames, back to back */
    size_t *off;                  /* frame k is buf[off[k] .. off[k + 1]) */
    size_t nframes;               /* frames in buf */
    size_t next;                  /* first frame not yet completely written */
    size_t wpos;                  /* bytes of buf written */
    size_t head;                  /* oldest unacknowledged frame (slots [head, next)) */
    bool exhausted;               /* every frame was sent before the end of the run */
    uint64_t sent_ns[WINDOW_MAX]; /* by frame index mod WINDOW_MAX */
    bool acked[WINDOW_MAX];
    hj212_framer fr;
} conn;

typedef struct run {
    unsigned conns, window;
    double duration_s;
    size_t frames;
    int server_pid;
    bool json;
    device *dev;
    size_t ndev;
    uint32_t rng;
    uint64_t qn_ms;
    int64_t start_utc;
    uint64_t sent, acked, acked_in_window, rejected, other, unmatched, exhausted, errors;
    uint32_t *fine, *coarse;
    uint64_t lat_n;
    double lat_max_ms;
} run;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double unit(run *r)
{
    uint32_t x = r->rng; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->rng = x;
    return (x >> 8) / 16777216.0;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_hj212_replay: %s\n", what);
    exit(2);
}

static void *alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* ---- devices and frames ------------------------------------------------------------------ */

static void load_devices(run *r, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        die("cannot open the device list");
    char line[512];
    size_t cap = 0;
    while (fgets(line, sizeof line, fp)) {
        char *mn = strtok(line, ",\r\n"), *pw = strtok(NULL, ",\r\n"),
             *kind = strtok(NULL, ",\r\n");
        if (!mn || !pw || !kind || !strcmp(mn, "mn"))
            continue;
        if (r->ndev == cap) {
            cap = cap ? cap * 2 : 256;
            r->dev = realloc(r->dev, cap * sizeof *r->dev);
            if (!r->dev)
                die("out of memory");
        }
        device *d = &r->dev[r->ndev++];
        snprintf(d->mn, sizeof d->mn, "%s", mn);
        snprintf(d->pw, sizeof d->pw, "%s", pw);
        d->kind = kind[0] == 'g' ? 'g' : kind[0] == 'w' ? 'w' : 'a';
    }
    fclose(fp);
    if (r->ndev == 0)
        die("the device list holds no device");
}

static void factor(hj212_factor *f, const char *code, double avg, double spread, int decimals,
                   run *r)
{
    memset(f, 0, sizeof *f);
    f->code = code;
    f->fields = HJ212_FB(HJ212_F_MIN) | HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_MAX) |
                HJ212_FB(HJ212_F_FLAG);
    f->avg = avg + (unit(r) - 0.5) * spread;
    f->min = f->avg - spread * unit(r) / 2;
    f->max = f->avg + spread * unit(r) / 2;
    f->decimals = decimals;
    f->flag = 'N';
}

/* One minute upload of d at dt into buf; returns its length. */
static size_t encode_minute(run *r, const device *d, int64_t dt, char *buf, size_t cap)
{
    hj212_factor f[8];
    size_t n = 0;
    const char *st = "22";
    switch (d->kind) {
    case 'a':
        factor(&f[n++], "a34004", 45, 12, 0, r);
        factor(&f[n++], "a34002", 78, 20, 0, r);
        factor(&f[n++], "a21026", 9, 2, 0, r);
        factor(&f[n++], "a21004", 32, 8, 0, r);
        factor(&f[n++], "a21005", 0.8, 0.2, 1, r);
        factor(&f[n++], "a05024", 90, 30, 0, r);
        break;
    case 'g':
        st = "31";
        factor(&f[n++], "a21026", 18, 4, 2, r);
        factor(&f[n++], "a21002", 38, 6, 2, r);
        factor(&f[n++], "a34013", 4.5, 1, 2, r);
        factor(&f[n++], "a19001", 9.5, 0.6, 2, r);
        factor(&f[n++], "a00000", 52, 4, 2, r);
        f[n - 1].fields |= HJ212_FB(HJ212_F_COU);
        f[n - 1].cou = f[n - 1].avg * 60;
        break;
    default:
        st = "32";
        factor(&f[n++], "w01018", 32, 5, 2, r);
        factor(&f[n++], "w21003", 1.6, 0.4, 3, r);
        factor(&f[n++], "w21011", 0.25, 0.05, 3, r);
        factor(&f[n++], "w01001", 7.2, 0.3, 2, r);
        factor(&f[n++], "w00000", 12, 2, 2, r);
        f[n - 1].fields |= HJ212_FB(HJ212_F_COU);
        f[n - 1].cou = f[n - 1].avg * 60 / 1000;
        break;
    }
    char qn[18];
    hj212_qn_format((int64_t)r->qn_ms++, qn); /* unique per frame of the run */
    hj212_header h = {.qn = qn,
                      .st = st,
                      .cn = 2051,
                      .pw = d->pw,
                      .mn = d->mn,
                      .flag = hj212_flag_make(HJ212_V2017, false, true)};
    hj212_error err;
    int w = hj212_encode_upload(buf, cap, &h, dt, f, n, &err);
    if (w <= 0)
        die(err.msg);
    return (size_t)w;
}

/* Connection c's frames: minutes start_utc, +60, ... of its device. */
static void prepare(run *r, conn *c, const device *d)
{
    c->buf = alloc(r->frames * FRAME_CAP);
    c->off = alloc((r->frames + 1) * sizeof *c->off);
    size_t o = 0;
    for (size_t k = 0; k < r->frames; k++) {
        c->off[k] = o;
        o += encode_minute(r, d, r->start_utc + (int64_t)k * 60, c->buf + o, FRAME_CAP);
    }
    c->off[r->frames] = o;
    c->nframes = r->frames;
}

static int write_capture(run *r, const char *path, size_t mb)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        die("cannot create the capture file");
    char buf[FRAME_CAP];
    size_t total = 0, frames = 0;
    for (int64_t t = r->start_utc; total < mb << 20; t += 60)
        for (size_t i = 0; i < r->ndev && total < mb << 20; i++) {
            size_t n = encode_minute(r, &r->dev[i], t, buf, sizeof buf);
            if (fwrite(buf, 1, n, fp) != n)
                die("write failed");
            total += n;
            frames++;
        }
    if (fclose(fp) != 0)
        die("write failed");
    printf("capture: %zu frames, %zu bytes, %zu devices (mean %.0f bytes a frame)\n", frames, total,
           r->ndev, (double)total / (double)frames);
    return 0;
}

/* ---- measurement ----------------------------------------------------------------------- */

static void latency(run *r, uint64_t ns)
{
    double ms = (double)ns / 1e6;
    if (ms < 100)
        r->fine[(size_t)(ms * 100)]++;
    else
        r->coarse[ms < COARSE_N ? (size_t)ms : COARSE_N - 1]++;
    r->lat_n++;
    if (ms > r->lat_max_ms)
        r->lat_max_ms = ms;
}

static double percentile(const run *r, double q)
{
    if (!r->lat_n)
        return 0;
    uint64_t want = (uint64_t)(q * (double)r->lat_n), seen = 0;
    for (size_t i = 0; i < FINE_N; i++)
        if ((seen += r->fine[i]) > want)
            return (double)(i + 1) / 100.0;
    for (size_t i = 100; i < COARSE_N; i++)
        if ((seen += r->coarse[i]) > want)
            return (double)(i + 1);
    return r->lat_max_ms;
}

/* CPU seconds (user + system) of a process from /proc/PID/stat; -1 if unreadable. */
static double proc_cpu_s(int pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* fields 3.. after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "Vm...:" line of /proc/PID/status, in KiB; -1 if unreadable. */
static long proc_kib(int pid, const char *key)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    long v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, fp))
        if (!strncmp(line, key, kl) && line[kl] == ':')
            v = atol(line + kl + 1);
    fclose(fp);
    return v;
}

static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- network --------------------------------------------------------------------------- */

static int open_conn(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Write frames while the window allows: one write() of the slice [wpos, end of frame
 * next + room). Frames are stamped when their last byte has been handed to the kernel. */
static void pump(run *r, conn *c, bool sending)
{
    while (sending && c->connected && c->fd >= 0) {
        size_t room = r->window - (c->next - c->head);
        size_t last = c->next + room;
        if (last > c->nframes)
            last = c->nframes;
        if (c->next == c->nframes && !c->exhausted) {
            c->exhausted = true;
            r->exhausted++;
        }
        if (room == 0 || c->next == c->nframes)
            return;
        size_t want = c->off[last] - c->wpos;
        ssize_t w = write(c->fd, c->buf + c->wpos, want);
        if (w < 0) {
            if (errno != EAGAIN && errno != EINTR)
                r->errors++, close(c->fd), c->fd = -1;
            return;
        }
        c->wpos += (size_t)w;
        uint64_t t = now_ns();
        while (c->next < last && c->off[c->next + 1] <= c->wpos) {
            c->sent_ns[c->next % WINDOW_MAX] = t;
            c->acked[c->next % WINDOW_MAX] = false;
            c->next++;
            r->sent++;
        }
        if ((size_t)w < want)
            return; /* short write: wait for EPOLLOUT */
    }
}

/* A reply: match its QN to an unacknowledged frame of c. */
static void on_reply(run *r, conn *c, const hj212_frame *fr, bool in_window)
{
    hj212_packet pk;
    hj212_error err;
    if (hj212_parse_header(fr->seg, fr->seg_len, &pk, &err) < 0 || pk.qn.n != 17) {
        r->other++;
        return;
    }
    for (size_t k = c->head; k < c->next; k++) {
        size_t s = k % WINDOW_MAX;
        if (c->acked[s] || memcmp(c->buf + c->off[k] + 9, pk.qn.p, 17) != 0)
            continue; /* a frame is "##" + 4 digits + "QN=" + 17 digits ... */
        c->acked[s] = true;
        if (pk.cn == 9014) {
            r->acked++;
            r->acked_in_window += in_window;
            latency(r, now_ns() - c->sent_ns[s]);
        } else {
            r->rejected++; /* 9011 with QnRtn != 1: wrong password, unknown device */
        }
        while (c->head < c->next && c->acked[c->head % WINDOW_MAX])
            c->head++;
        return;
    }
    r->unmatched++;
}

static void on_readable(run *r, conn *c, char *rbuf, bool in_window)
{
    for (;;) {
        ssize_t n = read(c->fd, rbuf, RBUF);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            r->errors++;
            close(c->fd);
            c->fd = -1;
            return;
        }
        hj212_frame_event ev;
        hj212_framer_feed(&c->fr, rbuf, (size_t)n);
        while (hj212_framer_next(&c->fr, &ev))
            if (ev.kind == HJ212_OK)
                on_reply(r, c, &ev.frame, in_window);
            else
                r->other++;
    }
}

static int replay(run *r, const char *addr)
{
    char host[256];
    const char *colon = strrchr(addr, ':');
    if (!colon || (size_t)(colon - addr) >= sizeof host)
        die("address must be HOST:PORT");
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = 0;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
        die("cannot resolve the address");
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    uint64_t p0 = now_ns();
    conn *cs = alloc(r->conns * sizeof *cs);
    for (unsigned i = 0; i < r->conns; i++) {
        prepare(r, &cs[i], &r->dev[i % r->ndev]);
        hj212_framer_init(&cs[i].fr, NULL);
    }
    double prep_s = (double)(now_ns() - p0) / 1e9;

    int ep = epoll_create1(EPOLL_CLOEXEC);
    unsigned up = 0;
    for (unsigned i = 0; i < r->conns; i++) {
        cs[i].fd = open_conn(ai);
        if (cs[i].fd < 0) {
            r->errors++;
            continue;
        }
        struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e);
    }
    freeaddrinfo(ai);
    /* Wait until every connection is up (or 10 s): the clock starts with all of them. */
    struct epoll_event evs[1024];
    uint64_t deadline = now_ns() + 10000000000ull;
    while (up + r->errors < r->conns && now_ns() < deadline) {
        int n = epoll_wait(ep, evs, 1024, 100);
        for (int k = 0; k < n; k++) {
            conn *c = &cs[evs[k].data.u32];
            if (c->connected || c->fd < 0)
                continue;
            int so = 0;
            socklen_t sl = sizeof so;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &so, &sl);
            if (so != 0) {
                r->errors++;
                close(c->fd);
                c->fd = -1;
                continue;
            }
            c->connected = true;
            up++;
        }
    }

    char *rbuf = alloc(RBUF);
    double srv0 = r->server_pid ? proc_cpu_s(r->server_pid) : -1, me0 = self_cpu_s();
    uint64_t t0 = now_ns(), t_end = t0 + (uint64_t)(r->duration_s * 1e9);
    for (unsigned i = 0; i < r->conns; i++)
        pump(r, &cs[i], true);
    double srv1 = -1, me1 = 0, elapsed = 0;
    bool sending = true;
    uint64_t drain_end = 0;
    for (;;) {
        uint64_t t = now_ns();
        if (sending && t >= t_end) {
            sending = false;
            srv1 = r->server_pid ? proc_cpu_s(r->server_pid) : -1;
            me1 = self_cpu_s();
            elapsed = (double)(t - t0) / 1e9;
            drain_end = t + 5000000000ull; /* wait up to 5 s for outstanding replies */
        }
        if (!sending) {
            bool pending = false;
            for (unsigned i = 0; i < r->conns && !pending; i++)
                pending = cs[i].fd >= 0 && cs[i].head < cs[i].next;
            if (!pending || t >= drain_end)
                break;
        }
        int n = epoll_wait(ep, evs, 1024, 10);
        for (int k = 0; k < n; k++) {
            conn *c = &cs[evs[k].data.u32];
            if (c->fd < 0)
                continue;
            if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                on_readable(r, c, rbuf, sending);
            if (c->fd >= 0)
                pump(r, c, sending);
        }
    }
    uint64_t unanswered = 0;
    for (unsigned i = 0; i < r->conns; i++) {
        for (size_t k = cs[i].head; k < cs[i].next; k++)
            unanswered += !cs[i].acked[k % WINDOW_MAX];
        if (cs[i].fd >= 0)
            close(cs[i].fd);
        hj212_framer_free(&cs[i].fr);
        free(cs[i].buf);
        free(cs[i].off);
    }
    free(cs);
    free(rbuf);
    close(ep);

    double rate = (double)r->acked_in_window / elapsed;
    double me = me1 - me0, srv = srv0 >= 0 && srv1 >= 0 ? srv1 - srv0 : -1;
    long rss = r->server_pid ? proc_kib(r->server_pid, "VmRSS") : -1;
    long hwm = r->server_pid ? proc_kib(r->server_pid, "VmHWM") : -1;
    if (r->json) {
        printf("{\"conns\":%u,\"window\":%u,\"seconds\":%.2f,\"sent\":%llu,\"acked\":%llu,"
               "\"acked_per_s\":%.0f,\"rejected\":%llu,\"unanswered\":%llu,\"errors\":%llu,"
               "\"exhausted\":%llu,\"latency_ms\":{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f},"
               "\"client_cpu_s\":%.2f,\"server_cpu_s\":%.2f,\"server_rss_kib\":%ld,"
               "\"server_hwm_kib\":%ld,\"prepare_s\":%.2f}\n",
               r->conns, r->window, elapsed, (unsigned long long)r->sent,
               (unsigned long long)r->acked, rate, (unsigned long long)r->rejected,
               (unsigned long long)unanswered, (unsigned long long)r->errors,
               (unsigned long long)r->exhausted, percentile(r, 0.5), percentile(r, 0.99),
               r->lat_max_ms, me, srv, rss, hwm, prep_s);
    } else {
        printf("replay %u conns, window %u, %.1f s: %.0f packets/s acked; reply p50 %.2f ms p99 "
               "%.2f ms max %.1f ms; client CPU %.2f s (%.0f %% of a core)",
               r->conns, r->window, elapsed, rate, percentile(r, 0.5), percentile(r, 0.99),
               r->lat_max_ms, me, 100 * me / elapsed);
        if (srv >= 0)
            printf(", server CPU %.2f s (%.0f %% of a core), server RSS %ld MiB (peak %ld MiB)",
                   srv, 100 * srv / elapsed, rss / 1024, hwm / 1024);
        printf("; sent %llu acked %llu rejected %llu unanswered %llu errors %llu other "
               "replies %llu%s\n",
               (unsigned long long)r->sent, (unsigned long long)r->acked,
               (unsigned long long)r->rejected, (unsigned long long)unanswered,
               (unsigned long long)r->errors, (unsigned long long)(r->other + r->unmatched),
               r->exhausted ? " (frames ran out: raise --frames)" : "");
    }
    return r->errors || r->rejected || unanswered ? 1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_hj212_replay --devices CSV [--conns N] [--window W] "
                    "[--duration S] [--frames F] [--server-pid PID] [--json] HOST:PORT\n"
                    "       bench_hj212_replay --devices CSV --capture FILE --mb M\n");
    exit(2);
}

int main(int argc, char **argv)
{
    run r = {.window = 8, .duration_s = 10, .rng = 2017};
    const char *devices = NULL, *capture = NULL, *addr = NULL;
    size_t mb = 256, frames = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--json"))
            r.json = true;
        else if (a[0] == '-' && !v)
            usage();
        else if (!strcmp(a, "--devices"))
            devices = argv[++i];
        else if (!strcmp(a, "--conns"))
            r.conns = (unsigned)atoi(argv[++i]);
        else if (!strcmp(a, "--window"))
            r.window = (unsigned)atoi(argv[++i]);
        else if (!strcmp(a, "--duration"))
            r.duration_s = atof(argv[++i]);
        else if (!strcmp(a, "--frames"))
            frames = (size_t)atol(argv[++i]);
        else if (!strcmp(a, "--server-pid"))
            r.server_pid = atoi(argv[++i]);
        else if (!strcmp(a, "--capture"))
            capture = argv[++i];
        else if (!strcmp(a, "--mb"))
            mb = (size_t)atol(argv[++i]);
        else if (a[0] == '-' || addr)
            usage();
        else
            addr = a;
    }
    if (!devices || (!capture && !addr) || r.window < 1 || r.window > WINDOW_MAX ||
        r.duration_s <= 0 || mb < 1)
        usage();
    load_devices(&r, devices);
    /* QNs from the present on, DataTimes in the past (the platform refuses future data):
     * minute-aligned, far enough back for every frame of the run. */
    int64_t now = (int64_t)time(NULL);
    r.qn_ms = (uint64_t)now * 1000;
    if (capture) {
        r.start_utc = (now - (int64_t)(mb << 20) / (int64_t)(300 * r.ndev) * 60 - 86400) / 60 * 60;
        return write_capture(&r, capture, mb);
    }
    if (r.conns == 0)
        r.conns = (unsigned)r.ndev;
    /* By default 300,000 frames in all (about 100 MB), at least four windows a connection. */
    r.frames = frames ? frames : 300000 / r.conns;
    if (r.frames < 4 * (size_t)r.window)
        r.frames = 4 * (size_t)r.window;
    r.start_utc = (now - (int64_t)r.frames * 60 - 3600) / 60 * 60;
    r.fine = alloc(FINE_N * sizeof *r.fine);
    r.coarse = alloc(COARSE_N * sizeof *r.coarse);
    int rc = replay(&r, addr);
    free(r.fine);
    free(r.coarse);
    free(r.dev);
    return rc;
}
