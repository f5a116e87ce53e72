/* Benchmark: the heavy-pollution compliance pass on a temporary SQLite database.
 *
 *   bench_service_emergency [enterprises] [days]      (default 200 enterprises, 30 days)
 *
 * Each listed enterprise has two flue-gas outlets (flow, SO2, NOx, PM hourly) and a power
 * meter (pw001 hourly) over the days; an orange warning covers the last 72 hours. Then
 * (a) the first compliance pass (every enterprise judged by power, emission and silent
 * sites over the warning and the 24 h before; a quarter of them over both cuts, two cases
 * each), (b) a second pass with nothing new (the cost of each timer pass during a
 * warning), (c) the warning report. Prints times, enterprises per second and the peak
 * resident memory. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "service/emergency.h"
#include "store/read.h"
#include "store/store.h"

#define PROG "bench_service_emergency"

static int64_t site(store *s, const char *mn, const char *enterprise)
{
    char err[256];
    store_site st = {.mn = mn,
                     .pw = "123456",
                     .kind = "gas_outlet",
                     .name = mn,
                     .town = "T",
                     .lon = NAN,
                     .lat = NAN,
                     .enterprise = enterprise};
    int64_t id = 0;
    if (store_site_put(s, &st, &id, err, sizeof err) < 0)
        bench_die(PROG, "site", err);
    return id;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200, days = argc > 2 ? atoi(argv[2]) : 30;
    char dir[] = "/tmp/ew_bench_emergency_XXXXXX", path[64], err[256];
    if (!mkdtemp(dir) || n <= 0 || days < 4)
        bench_die(PROG, "arguments", "enterprises > 0, days >= 4");
    snprintf(path, sizeof path, "%s/b.db", dir);
    store *s = store_open(path, err, sizeof err);
    if (!s)
        bench_die(PROG, "open", err);
    const int64_t t0 = 1767196800; /* 2026-01-01T00:00:00+08:00 */
    int hours = days * 24;
    int64_t end = t0 + (int64_t)hours * 3600, start = end - 72 * 3600;
    /* The list: 1000 kW and 15 kg/h baselines, orange cut 20 % (800 kW, 12 kg/h allowed). */
    size_t cap = (size_t)n * 96 + 256, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap,
                            "enterprise,town,grade,base_power_kw,base_emission_kgh,"
                            "cut_yellow_pct,cut_orange_pct,cut_red_pct,my,mo,mr\n");
    double t_fill = bench_now_s();
    if (store_begin(s, err, sizeof err) < 0)
        bench_die(PROG, "begin", err);
    for (int e = 0; e < n; e++) {
        char name[32], mn[32];
        snprintf(name, sizeof name, "企业%05d", e);
        len += (size_t)snprintf(csv + len, cap - len, "%s,T,B,1000,15,0,20,100,a,b,c\n", name);
        int64_t ids[3];
        for (int k = 0; k < 3; k++) {
            snprintf(mn, sizeof mn, "BENCH%05d%014d", e, k);
            ids[k] = site(s, mn, name);
        }
        /* One enterprise in four keeps full output in the warning: 900 kW and 2 stacks ×
         * 36 000 m³/h × 200 mg/m³ = 14.4 kg/h, over both allowances; the others halve
         * their power and concentrations (450 kW, 7.2 kg/h). */
        bool breaches = e % 4 == 0;
        for (int h = 0; h < hours; h++) {
            int64_t t = t0 + (int64_t)h * 3600;
            double f = t >= start && !breaches ? 0.5 : 1.0;
            for (int k = 0; k < 2; k++) {
                bench_put_hour(PROG, s, ids[k], "a00000", t, 10.0 + 0.01 * (h % 24));
                bench_put_hour(PROG, s, ids[k], "a21026", t, 60.0 * f);
                bench_put_hour(PROG, s, ids[k], "a21002", t, 120.0 * f);
                bench_put_hour(PROG, s, ids[k], "a34013", t, 20.0 * f);
            }
            bench_put_hour(PROG, s, ids[2], "pw001", t, 900.0 * f);
        }
    }
    if (store_commit(s, err, sizeof err) < 0)
        bench_die(PROG, "commit", err);
    int count = 0;
    if (emergency_list_load(s, csv, len, "bench", t0, &count, err, sizeof err))
        bench_die(PROG, "list", err);
    free(csv);
    const case_actor bureau = {"bench", EW_ROLE_BUREAU, NULL};
    em_declaration d = {.level = "orange",
                        .start_utc = start,
                        .end_utc = end,
                        .notice = "bench",
                        .basis = "forecast",
                        .aqi = 300};
    int64_t wid = 0;
    if (emergency_declare(s, NULL, &d, &bureau, NULL, start, &wid, err, sizeof err))
        bench_die(PROG, "declare", err);
    double t_ready = bench_now_s();
    printf("setup: %d enterprises, %d outlet-hours and %d meter-hours in %.1f s\n", n,
           2 * n * hours, n * hours, t_ready - t_fill);
    int br = 0;
    double a = bench_now_s();
    if (emergency_check(s, end - 60, &br, err, sizeof err))
        bench_die(PROG, "check", err);
    double b = bench_now_s();
    printf("first pass: %d enterprises judged over 72 h (+24 h before), %d breaches opened: "
           "%.3f s (%.0f enterprises/s)\n",
           n, br, b - a, n / (b - a));
    a = bench_now_s();
    if (emergency_check(s, end - 30, &br, err, sizeof err))
        bench_die(PROG, "check", err);
    b = bench_now_s();
    printf("pass with nothing new: %d breaches: %.3f s (%.0f enterprises/s)\n", br, b - a,
           n / (b - a));
    ew_reader *rd = ew_read_open(path, err, sizeof err);
    if (!rd)
        bench_die(PROG, "reader", err);
    em_report rep;
    a = bench_now_s();
    if (emergency_report(s, rd, wid, &bureau, end, &rep, err, sizeof err))
        bench_die(PROG, "report", err);
    b = bench_now_s();
    printf("report: %zu entries, %d complied, %d breached, cut %.1f %% vs baseline: %.3f s\n",
           rep.n, rep.complied, rep.breached, rep.reduction_vs_base_pct, b - a);
    emergency_report_free(&rep);
    ew_read_close(rd);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MB\n", ru.ru_maxrss / 1024.0);
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
