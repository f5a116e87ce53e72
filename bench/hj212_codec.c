/* Benchmark of the HJ 212 codec on a realistic mixed stream: ambient-air 2011 real-time
 * packets, flue-gas 2051 minute packets, wastewater 2061 hourly packets and packetised
 * (PNUM/PNO) hourly messages, built with the encoder. Measures CRC alone, framing + CRC
 * verification, framing + CRC + full parse, and framing of a stream with garbage between
 * packets; prints MB/s, packets/s and peak memory.
 *   bench_hj212_codec [MB]   (stream size, default 64) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "hj212/hj212.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct sbuf {
    char *p;
    size_t n, cap;
    size_t packets;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n > b->cap) {
        fprintf(stderr, "bench: corpus buffer full\n");
        exit(1);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void frame(sbuf *b, hj212_header *h, int64_t t, const hj212_factor *f, size_t n)
{
    static char buf[HJ212_FRAME_MAX(HJ212_SEG_MAX_ABS)];
    hj212_error err;
    int w = hj212_encode_upload(buf, sizeof buf, h, t, f, n, &err);
    if (w < 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(1);
    }
    put(b, buf, (size_t)w);
    b->packets++;
}

/* Build about `bytes` of mixed traffic; garbage != 0 inserts junk between some packets. */
static void build(sbuf *b, size_t bytes, int garbage)
{
    static const char *air[] = {"a34004", "a34002", "a21026", "a21004", "a21005", "a05024",
                                "a01001", "a01002", "a01006", "a01007", "a01008"};
    static const char *gas[] = {"a34013", "a21026", "a21002", "a19001", "a01011",
                                "a01012", "a01013", "a01014", "a00000"};
    static const char *water[] = {"w01018", "w21003", "w21011", "w21001", "w01001", "w00000"};
    hj212_factor f[16];
    char qn[18];
    int64_t t = 1767196800; /* 2026-01-01 00:00 Beijing */
    unsigned seed = 1;
    for (long i = 0; b->n + 4096 < bytes; i++, t += 30) {
        seed = seed * 1103515245u + 12345u;
        double v = (seed >> 8) % 100000 / 100.0;
        hj212_qn_format(t * 1000 + i % 1000, qn);
        hj212_header h = {.qn = qn, .pw = "123456", .flag = 5};
        memset(f, 0, sizeof f);
        switch (i % 4) {
        case 0: /* ambient-air station, real-time */
            h.st = "22", h.cn = 2011, h.mn = "410100ZZEDZ001AIR0000001";
            for (size_t k = 0; k < 11; k++)
                f[k] = (hj212_factor){.code = air[k],
                                      .fields = HJ212_FB(HJ212_F_RTD) | HJ212_FB(HJ212_F_FLAG),
                                      .rtd = v + (double)k,
                                      .decimals = 1,
                                      .flag = 'N'};
            frame(b, &h, t, f, 11);
            break;
        case 1: /* flue gas, minute data */
            h.st = "31", h.cn = 2051, h.mn = "410100ZZEDZ001GAS0000002";
            for (size_t k = 0; k < 9; k++)
                f[k] = (hj212_factor){
                    .code = gas[k],
                    /* pollutants carry converted values and amounts */
                    .fields = HJ212_FB(HJ212_F_MIN) | HJ212_FB(HJ212_F_AVG) |
                              HJ212_FB(HJ212_F_MAX) | HJ212_FB(HJ212_F_FLAG) |
                              (k < 3 ? HJ212_FB(HJ212_F_ZSAVG) | HJ212_FB(HJ212_F_COU) : 0),
                    .min = v,
                    .avg = v + 1.5,
                    .max = v + 3,
                    .zsavg = v * 1.2,
                    .cou = v * 0.06,
                    .decimals = 3,
                    .flag = k == 3 ? 'M' : 'N'};
            frame(b, &h, t, f, 9);
            break;
        case 2: /* wastewater, hourly data */
            h.st = "32", h.cn = 2061, h.mn = "410100ZZEDZ001WAT0000003";
            for (size_t k = 0; k < 6; k++)
                f[k] = (hj212_factor){.code = water[k],
                                      .fields = HJ212_FB(HJ212_F_COU) | HJ212_FB(HJ212_F_MIN) |
                                                HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_MAX) |
                                                HJ212_FB(HJ212_F_FLAG),
                                      .min = v,
                                      .avg = v + 2,
                                      .max = v + 4,
                                      .cou = v * 3.6,
                                      .decimals = 2,
                                      .flag = 'N'};
            frame(b, &h, t, f, 6);
            break;
        case 3: /* packetised hourly message: three pieces */
            h.st = "32", h.cn = 2061, h.mn = "410100ZZEDZ001WAT0000004", h.flag = 7, h.pnum = 3;
            for (int p = 1; p <= 3; p++) {
                h.pno = p;
                for (size_t k = 0; k < 2; k++)
                    f[k] = (hj212_factor){.code = water[(size_t)(p - 1) * 2 + k],
                                          .fields = HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_FLAG),
                                          .avg = v,
                                          .decimals = 2,
                                          .flag = 'N'};
                frame(b, &h, t, f, 2);
            }
            break;
        }
        if (garbage && i % 10 == 0)
            put(b, "\0\0AT+CSQ\r\n#garbage#\xff\xfe", 22);
    }
}

typedef struct result {
    size_t frames, bad, items;
} result;

static hj212_item items[HJ212_ITEMS_MAX(HJ212_SEG_MAX_ABS)];

static result run(const sbuf *b, bool parse)
{
    result r = {0};
    hj212_framer f;
    hj212_framer_init(&f, NULL);
    hj212_frame_event ev;
    hj212_packet pk;
    hj212_error err;
    const size_t chunk = 64 * 1024; /* a socket read */
    for (size_t off = 0; off < b->n; off += chunk) {
        hj212_framer_feed(&f, b->p + off, b->n - off < chunk ? b->n - off : chunk);
        while (hj212_framer_next(&f, &ev)) {
            if (ev.kind != HJ212_OK) {
                r.bad++;
                continue;
            }
            r.frames++;
            if (parse) {
                if (hj212_parse(ev.frame.seg, ev.frame.seg_len, &pk, items,
                                sizeof items / sizeof items[0], &err) < 0)
                    r.bad++;
                else
                    r.items += pk.n_items;
            }
        }
    }
    while (hj212_framer_finish(&f, &ev))
        r.bad++;
    hj212_framer_free(&f);
    return r;
}

static void report(const char *what, size_t bytes, double dt, size_t packets)
{
    printf("%-34s %9.1f MB/s %12.0f packets/s\n", what, (double)bytes / dt / 1e6,
           packets ? (double)packets / dt : 0.0);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 64;
    if (mb < 1 || mb > 4096)
        mb = 64;
    sbuf b = {.cap = mb << 20}, g = {.cap = mb << 20};
    b.p = malloc(b.cap);
    g.p = malloc(g.cap);
    if (!b.p || !g.p)
        return 1;
    build(&b, b.cap, 0);
    build(&g, g.cap, 1);
    printf("corpus: %zu bytes, %zu packets (mean %.0f bytes)\n", b.n, b.packets,
           (double)b.n / (double)b.packets);
    const int reps = 3;

    double best = 1e9;
    volatile unsigned sink = 0;
    for (int k = 0; k < reps; k++) {
        double t0 = now_s();
        sink += hj212_crc16(b.p, b.n);
        double dt = now_s() - t0;
        best = dt < best ? dt : best;
    }
    report("crc16", b.n, best, 0);
    size_t small = b.n < (8u << 20) ? b.n : (8u << 20);
    double t0 = now_s();
    sink += hj212_crc16_ref(b.p, small);
    report("crc16 (Annex A bitwise, reference)", small, now_s() - t0, 0);

    result r = {0};
    best = 1e9;
    for (int k = 0; k < reps; k++) {
        t0 = now_s();
        r = run(&b, false);
        double dt = now_s() - t0;
        best = dt < best ? dt : best;
    }
    report("frame + CRC verify", b.n, best, r.frames);
    if (r.bad || r.frames != b.packets) {
        fprintf(stderr, "bench: framer found %zu bad, %zu of %zu frames\n", r.bad, r.frames,
                b.packets);
        return 1;
    }
    best = 1e9;
    for (int k = 0; k < reps; k++) {
        t0 = now_s();
        r = run(&b, true);
        double dt = now_s() - t0;
        best = dt < best ? dt : best;
    }
    report("frame + CRC + parse (decode)", b.n, best, r.frames);
    printf("%-34s %9.1f M items/s\n", "  CP items", (double)r.items / best / 1e6);
    best = 1e9;
    for (int k = 0; k < reps; k++) {
        t0 = now_s();
        r = run(&g, true);
        double dt = now_s() - t0;
        best = dt < best ? dt : best;
    }
    report("decode, garbage between packets", g.n, best, r.frames);
    printf("  garbage runs rejected: %zu\n", r.bad);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %ld KiB (two %zu MiB corpora included)\n", ru.ru_maxrss, mb);
    free(b.p);
    free(g.p);
    return sink == 0xFFFFFFFFu;
}
