/* Benchmark: the pollution-source scan on a temporary SQLite database.
 *
 *   bench_service_source [outlets] [days]      (default 100 outlets, 30 days)
 *
 * Each flue-gas outlet gets SO2 and O2 hourly values for the days (SO2 varying under its
 * limit, one 3-hour exceedance a day), one SO2 limit with the reference O2; then (a) the
 * first scan (every outlet-hour judged, one alert and one case per exceedance), (b) a second
 * scan with nothing new (the cost of a timer pass with no data), (c) one new hour per outlet
 * and a scan (the steady state: each outlet re-read over the lookback window), (d) every
 * outlet silent two days later, and an hour after that (data_silent raising, then moving its
 * alerts). Prints the times, the outlet-hours per second and the peak memory. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "service/source.h"
#include "store/store.h"

#define PROG "bench_service_source"

int main(int argc, char **argv)
{
    int outlets = argc > 1 ? atoi(argv[1]) : 100, days = argc > 2 ? atoi(argv[2]) : 30;
    char dir[] = "/tmp/ew_bench_source_XXXXXX", path[64], err[256];
    if (!mkdtemp(dir))
        bench_die(PROG, "mkdtemp", "failed");
    snprintf(path, sizeof path, "%s/b.db", dir);
    store *s = store_open(path, err, sizeof err);
    if (!s)
        bench_die(PROG, "open", err);
    const case_actor bureau = {"bench", EW_ROLE_BUREAU, NULL};
    const int64_t t0 = 1772294400; /* 2026-03-01T00:00:00+08:00 */
    int hours = days * 24;
    if (store_begin(s, err, sizeof err) < 0)
        bench_die(PROG, "begin", err);
    int64_t *ids = calloc((size_t)outlets, sizeof *ids);
    for (int o = 0; o < outlets; o++) {
        char mn[32], name[32];
        snprintf(mn, sizeof mn, "BENCH%019d", o);
        snprintf(name, sizeof name, "stack %d", o);
        store_site st = {.mn = mn,
                         .pw = "123456",
                         .kind = "gas_outlet",
                         .name = name,
                         .town = "T",
                         .lon = NAN,
                         .lat = NAN,
                         .enterprise = "E"};
        if (store_site_put(s, &st, &ids[o], err, sizeof err) < 0)
            bench_die(PROG, "site", err);
        for (int h = 0; h < hours; h++) {
            int hd = h % 24;
            bench_put_hour(PROG, s, ids[o], "a21026", t0 + h * 3600,
                           hd >= 10 && hd < 13 ? 50 + hd : 20 + 0.1 * hd);
            bench_put_hour(PROG, s, ids[o], "a19001", t0 + h * 3600, 9.0 + 0.01 * hd);
        }
    }
    if (store_commit(s, err, sizeof err) < 0)
        bench_die(PROG, "commit", err);
    for (int o = 0; o < outlets; o++) {
        source_limit l = {.site_id = ids[o],
                          .param = "a21026",
                          .period = "hour",
                          .kind = "upper",
                          .max_milli = 35000,
                          .o2_ref_milli = 9000,
                          .standard = "bench"};
        if (source_limit_set(s, &bureau, NULL, &l, t0, err, sizeof err))
            bench_die(PROG, "limit", err);
    }
    source_config cfg = source_config_default();
    cfg.first_window_s = (int64_t)days * 86400;
    source_scan_result r;
    int64_t at = t0 + (int64_t)hours * 3600;
    double a = bench_now_s();
    if (source_scan(s, &cfg, at, &r, err, sizeof err))
        bench_die(PROG, "scan", err);
    double b = bench_now_s();
    printf("first scan: %d outlets, %lld outlet-hours read, %d alerts, %d cases: %.3f s "
           "(%.0f outlet-hours/s)\n",
           r.outlets, (long long)r.hours, r.alerts_new, r.cases_opened, b - a,
           (double)r.hours / (b - a));
    a = bench_now_s();
    if (source_scan(s, &cfg, at, &r, err, sizeof err))
        bench_die(PROG, "scan", err);
    b = bench_now_s();
    printf("scan with nothing new: %d outlets judged: %.3f s\n", r.outlets, b - a);
    for (int o = 0; o < outlets; o++) {
        bench_put_hour(PROG, s, ids[o], "a21026", at, 21.0);
        bench_put_hour(PROG, s, ids[o], "a19001", at, 9.0);
    }
    a = bench_now_s();
    if (source_scan(s, &cfg, at + 3600, &r, err, sizeof err))
        bench_die(PROG, "scan", err);
    b = bench_now_s();
    printf("one new hour per outlet: %d outlets, %lld outlet-hours re-read (72 h lookback), "
           "%d new alerts: %.3f s\n",
           r.outlets, (long long)r.hours, r.alerts_new, b - a);
    /* (d) Every outlet falls silent: two days later each has a data_silent alert and its case;
     * an hour on, each pass moves the same alerts. */
    int64_t quiet = at + 3600 + 2 * 86400;
    a = bench_now_s();
    if (source_scan(s, &cfg, quiet, &r, err, sizeof err))
        bench_die(PROG, "scan", err);
    b = bench_now_s();
    printf("every outlet silent for 48 h: %d new alerts, %d cases: %.3f s\n", r.alerts_new,
           r.cases_opened, b - a);
    a = bench_now_s();
    if (source_scan(s, &cfg, quiet + 3600, &r, err, sizeof err))
        bench_die(PROG, "scan", err);
    b = bench_now_s();
    printf("the silence an hour longer: %d alerts moved, %d new cases: %.3f s\n", r.alerts_moved,
           r.cases_opened, b - a);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    store_close(s);
    free(ids);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
