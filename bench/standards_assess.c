/* Benchmark: assess one year of hourly data for 1,500 stations (the size of the national
 * network) and parse one day of the national wide CSV for them.
 *
 *   bench_standards_assess [stations] [year]
 *
 * The data are generated: PM2.5/PM10 with a winter maximum and morning/evening peaks, O3 with
 * a summer afternoon peak, NO2 with traffic peaks, 1 % of hours missing at random plus a
 * 30-hour outage a month. Generation is not timed. Reports the time of daily statistics +
 * period assessment per station, the zone aggregation over all stations, the CSV parse rate,
 * and the peak RSS. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "standards/airq.h"
#include "standards/csv.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Diurnal/seasonal shape; hour = label 0–23, doy 0–365, returns µg/m³ (CO mg/m³) × 1000. */
static int32_t gen(int p, int doy, int hour, double site_bias)
{
    double winter = 1.0 + 0.8 * (doy < 60 || doy > 320 ? 1.0 : doy < 90 || doy > 290 ? 0.5 : 0.0);
    double summer = doy > 120 && doy < 260 ? 1.0 : 0.4;
    double rush = (hour >= 7 && hour <= 9) || (hour >= 18 && hour <= 21) ? 1.3 : 1.0;
    double noise = 0.7 + (rnd() % 600) / 1000.0;
    double v;
    switch (p) {
    case AIRQ_PM25:
        v = 38 * winter * rush * noise * site_bias;
        break;
    case AIRQ_PM10:
        v = 70 * winter * rush * noise * site_bias;
        break;
    case AIRQ_SO2:
        v = 8 * winter * noise;
        break;
    case AIRQ_NO2:
        v = 32 * rush * noise * site_bias;
        break;
    case AIRQ_CO:
        v = 0.8 * winter * noise;
        break;
    default: /* O3 */
        v = (hour >= 11 && hour <= 18 ? 150 : 45) * summer * noise;
        break;
    }
    return (int32_t)(v * 1000.0);
}

static void gen_station(int32_t *v[AIRQ_NPOLL], size_t nslots)
{
    double bias = 0.7 + (rnd() % 600) / 1000.0;
    for (int p = 0; p < AIRQ_NPOLL; p++)
        for (size_t i = 0; i < nslots; i++) {
            int doy = (int)(i / 24), h = (int)(i % 24);
            v[p][i] = rnd() % 100 == 0 || (i % 720) < 30 * (p == AIRQ_O3) ? AIRQ_MISSING
                                                                          : gen(p, doy, h, bias);
            if (p == AIRQ_CO && v[p][i] != AIRQ_MISSING)
                v[p][i] -= v[p][i] % 100; /* CO published to 0.1 mg/m³ */
            else if (v[p][i] != AIRQ_MISSING)
                v[p][i] -= v[p][i] % 1000;
        }
}

static size_t nobs;
static void count_obs(void *c, const csv_obs *o)
{
    (void)c;
    nobs += o->milli != 0;
}

int main(int argc, char **argv)
{
    int nst = argc > 1 ? atoi(argv[1]) : 1500;
    int year = argc > 2 ? atoi(argv[2]) : 2025;
    if (nst < 1)
        nst = 1500;
    int ndays = ew_is_leap(year) ? 366 : 365;
    int64_t day0 = ew_days_from_civil(year, 1, 1);
    size_t nslots = ((size_t)ndays + 1) * 24;
    int32_t *buf[AIRQ_NPOLL];
    for (int p = 0; p < AIRQ_NPOLL; p++)
        buf[p] = xmalloc(nslots * sizeof *buf[p]);
    airq_day *days = xmalloc((size_t)nst * (size_t)ndays * sizeof *days);
    int32_t *scratch = xmalloc((size_t)ndays * sizeof *scratch);
    airq_opts o;
    airq_opts_default(&o);
    airq_targets t = {40, 665, 12};
    airq_report r;

    double t_assess = 0, gen_s = 0;
    long good = 0;
    for (int s = 0; s < nst; s++) {
        double a = now_s();
        gen_station(buf, nslots);
        double b = now_s();
        gen_s += b - a;
        airq_hourly h = {.day0 = day0, .ndays = ndays};
        for (int p = 0; p < AIRQ_NPOLL; p++)
            h.v[p] = buf[p];
        airq_day *d = days + (size_t)s * (size_t)ndays;
        airq_days(&h, &o, d);
        if (airq_assess(d, day0, day0 + ndays - 1, &o, &t, scratch, &r) != 0)
            return 1;
        good += r.good_days;
        t_assess += now_s() - b;
    }
    const airq_day **sp = xmalloc((size_t)nst * sizeof *sp);
    for (int s = 0; s < nst; s++)
        sp[s] = days + (size_t)s * (size_t)ndays;
    airq_day *zone = xmalloc((size_t)ndays * sizeof *zone);
    double a = now_s();
    airq_aggregate(sp, (size_t)nst, ndays, day0, &o, zone);
    if (airq_assess(zone, day0, day0 + ndays - 1, &o, &t, scratch, &r) != 0)
        return 1;
    double t_zone = now_s() - a;

    /* One day of the national wide CSV for these stations: 15 types × 24 hours. */
    static const char *types[] = {"AQI",    "PM2.5",   "PM2.5_24h", "PM10",    "PM10_24h",
                                  "SO2",    "SO2_24h", "NO2",       "NO2_24h", "O3",
                                  "O3_24h", "O3_8h",   "O3_8h_24h", "CO",      "CO_24h"};
    size_t cap = 64 + (size_t)nst * 8 + 360 * ((size_t)nst * 6 + 32), len = 0;
    char *csv = xmalloc(cap);
    len += (size_t)snprintf(csv + len, cap - len, "date,hour,type");
    for (int s = 0; s < nst; s++)
        len += (size_t)snprintf(csv + len, cap - len, ",%dA", 1001 + s);
    csv[len++] = '\n';
    for (int h = 0; h < 24; h++)
        for (int k = 0; k < 15; k++) {
            len += (size_t)snprintf(csv + len, cap - len, "%d0115,%d,%s", year, h, types[k]);
            for (int s = 0; s < nst; s++) {
                if (rnd() % 50 == 0)
                    len += (size_t)snprintf(csv + len, cap - len, ",");
                else if (k >= 13)
                    len += (size_t)snprintf(csv + len, cap - len, ",%u.%u", rnd() % 3, rnd() % 10);
                else
                    len += (size_t)snprintf(csv + len, cap - len, ",%u", rnd() % 300);
            }
            csv[len++] = '\n';
        }
    csv_sink sink = {count_obs, NULL, NULL};
    csv_counts k;
    a = now_s();
    if (csv_parse_wide(csv, len, &sink, &k) != 0)
        return 1;
    double t_csv = now_s() - a;

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("stations %d, year %d (%d days), generation %.2f s (not timed)\n", nst, year, ndays,
           gen_s);
    printf("assess: daily statistics + period assessment %.3f s total, %.1f µs per "
           "station-year\n",
           t_assess, t_assess * 1e6 / nst);
    printf("zone aggregation of %d stations + assessment: %.3f s\n", nst, t_zone);
    printf("wide CSV, one day: %.1f MB, %zu values in %.3f s = %.0f MB/s (a year: ~%.0f s)\n",
           (double)len / 1e6, k.values, t_csv, (double)len / 1e6 / t_csv, t_csv * ndays);
    printf("check: mean good days per station %.1f, zone composite %d.%02d\n", (double)good / nst,
           r.composite_x100 / 100, r.composite_x100 % 100);
    printf("peak RSS %ld KiB\n", ru.ru_maxrss);
    free(csv);
    free(zone);
    free(sp);
    free(scratch);
    free(days);
    for (int p = 0; p < AIRQ_NPOLL; p++)
        free(buf[p]);
    return 0;
}
