/* airq: GB 3095 limits and validity, HJ 663 statistics. See airq.h for the contract.
 *
 * Where HJ 663—2026 could not be read (its text was not available when this was written),
 * the HJ 663—2013 method is kept for that detail and the spot is marked "HJ 663—2026: not
 * read". */
#include "standards/airq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"

static const char *const names[AIRQ_NPOLL] = {
    [AIRQ_SO2] = "SO2", [AIRQ_NO2] = "NO2", [AIRQ_PM10] = "PM10",
    [AIRQ_CO] = "CO",   [AIRQ_O3] = "O3",   [AIRQ_PM25] = "PM2.5",
};
/* HJ 212—2017 Table B.1 codes; O3 a05024 is HJ 524's code, which every device sends. */
const char *const airq_hj212_codes[AIRQ_NPOLL] = {
    [AIRQ_SO2] = "a21026", [AIRQ_NO2] = "a21004", [AIRQ_PM10] = "a34002",
    [AIRQ_CO] = "a21005",  [AIRQ_O3] = "a05024",  [AIRQ_PM25] = "a34004",
};

int airq_pollutant_of_code(const char *code, size_t n)
{
    for (int p = 0; p < AIRQ_NPOLL; p++)
        if (strlen(airq_hj212_codes[p]) == n && !memcmp(airq_hj212_codes[p], code, n))
            return p;
    return -1;
}

static const char *const names_zh[AIRQ_NPOLL] = {
    [AIRQ_SO2] = "二氧化硫", [AIRQ_NO2] = "二氧化氮", [AIRQ_PM10] = "可吸入颗粒物",
    [AIRQ_CO] = "一氧化碳",  [AIRQ_O3] = "臭氧",      [AIRQ_PM25] = "细颗粒物",
};

const char *airq_pollutant_name(airq_pollutant p)
{
    return (unsigned)p < AIRQ_NPOLL ? names[p] : "?";
}

const char *airq_pollutant_name_zh(airq_pollutant p)
{
    return (unsigned)p < AIRQ_NPOLL ? names_zh[p] : "?";
}

const char *airq_pollutant_unit(airq_pollutant p)
{
    return p == AIRQ_CO ? "mg/m³" : "µg/m³";
}

/* HJ 633—2026 §4.2.2 (and the published practice under 2012): integer µg/m³, CO 0.1 mg/m³. */
int32_t airq_report_unit(airq_pollutant p)
{
    return p == AIRQ_CO ? 100 : 1000;
}

airq_edition airq_edition_on(int64_t day)
{
    int y, m, d;
    ew_civil_from_days(day, &y, &m, &d);
    return (airq_edition)ew_edition_on(y, m, d);
}

const char *airq_edition_name(airq_edition ed)
{
    return ed == AIRQ_ED_2026 ? "GB 3095—2026 / HJ 663—2026 / HJ 633—2026"
                              : "GB 3095—2012 / HJ 663—2013 / HJ 633—2012";
}

/* Limits in whole units (µg/m³; CO mg/m³); 0 = the standard sets none.
 * Columns: annual, 24-h, 8-h, 1-h. Rows: airq_pollutant order. */
typedef int limit_table[AIRQ_NPOLL][AIRQ_NAVG];

/* GB 3095—2012 Table 1 (basic items), values unchanged by the 2018 amendment (MEE
 * announcement 2018 No. 29 changed only the reference state: gases at 298.15 K,
 * 1013.25 hPa; particles at actual conditions). */
static const limit_table lim2012[2] = {
    /* Class 1 */
    {[AIRQ_SO2] = {20, 50, 0, 150},
     [AIRQ_NO2] = {40, 80, 0, 200},
     [AIRQ_PM10] = {40, 50, 0, 0},
     [AIRQ_CO] = {0, 4, 0, 10},
     [AIRQ_O3] = {0, 0, 100, 160},
     [AIRQ_PM25] = {15, 35, 0, 0}},
    /* Class 2 */
    {[AIRQ_SO2] = {60, 150, 0, 500},
     [AIRQ_NO2] = {40, 80, 0, 200},
     [AIRQ_PM10] = {70, 150, 0, 0},
     [AIRQ_CO] = {0, 4, 0, 10},
     [AIRQ_O3] = {0, 0, 160, 200},
     [AIRQ_PM25] = {35, 75, 0, 0}},
};

/* GB 3095—2026 Table 1, transitional limits (2026-03-01 … 2030-12-31, §4.4). */
static const limit_table lim2026t[2] = {
    {[AIRQ_SO2] = {20, 50, 0, 150},
     [AIRQ_NO2] = {40, 80, 0, 200},
     [AIRQ_PM10] = {40, 50, 0, 0},
     [AIRQ_CO] = {0, 4, 0, 10},
     [AIRQ_O3] = {0, 0, 100, 160},
     [AIRQ_PM25] = {15, 35, 0, 0}},
    {[AIRQ_SO2] = {60, 150, 0, 500},
     [AIRQ_NO2] = {40, 80, 0, 200},
     [AIRQ_PM10] = {60, 120, 0, 0},
     [AIRQ_CO] = {0, 4, 0, 10},
     [AIRQ_O3] = {0, 0, 160, 200},
     [AIRQ_PM25] = {30, 60, 0, 0}},
};

/* GB 3095—2026 Table 1, final limits (from 2031-01-01, §4.4). */
static const limit_table lim2026f[2] = {
    {[AIRQ_SO2] = {20, 50, 0, 150},
     [AIRQ_NO2] = {30, 50, 0, 200},
     [AIRQ_PM10] = {20, 50, 0, 0},
     [AIRQ_CO] = {0, 4, 0, 10},
     [AIRQ_O3] = {0, 0, 100, 160},
     [AIRQ_PM25] = {10, 25, 0, 0}},
    {[AIRQ_SO2] = {20, 50, 0, 150},
     [AIRQ_NO2] = {30, 50, 0, 200},
     [AIRQ_PM10] = {50, 100, 0, 0},
     [AIRQ_CO] = {0, 4, 0, 10},
     [AIRQ_O3] = {0, 0, 160, 200},
     [AIRQ_PM25] = {25, 50, 0, 0}},
};

static bool is_final_2026(int64_t day)
{
    return day >= ew_days_from_civil(2031, 1, 1); /* GB 3095—2026 §4.4 */
}

int32_t airq_limit(airq_edition ed, int cls, int64_t day, airq_pollutant p, airq_avg a)
{
    if ((unsigned)p >= AIRQ_NPOLL || (unsigned)a >= AIRQ_NAVG || (cls != 1 && cls != 2))
        return AIRQ_MISSING;
    if (ed == AIRQ_ED_AUTO)
        ed = airq_edition_on(day);
    const limit_table *t =
        ed == AIRQ_ED_2026 ? (is_final_2026(day) ? lim2026f : lim2026t) : lim2012;
    int v = t[cls - 1][p][a];
    return v ? (int32_t)v * 1000 : AIRQ_MISSING;
}

const char *airq_limits_name(airq_edition ed, int64_t day)
{
    if (ed == AIRQ_ED_AUTO)
        ed = airq_edition_on(day);
    if (ed != AIRQ_ED_2026)
        return "GB 3095—2012 (2018 amendment)";
    return is_final_2026(day) ? "GB 3095—2026 final" : "GB 3095—2026 transitional";
}

int airq_min_days_month(int mon)
{
    return mon == 2 ? AIRQ_MIN_DAYS_FEB : AIRQ_MIN_DAYS_MONTH; /* GB 3095 Table 4 */
}

/* HJ 663—2013 Appendix A: k = 1 + (n−1)·p. In integers: t = (n−1)·P, the 0-based index of
 * X(s) is ⌊t/100⌋ and the weight k − s is (t mod 100)/100, so no rank is ever misplaced by
 * binary rounding. HJ 663—2026: not read; formula kept. */
int64_t airq_percentile_x100(const int32_t *sorted, size_t n, int pct)
{
    size_t t = (n - 1) * (size_t)pct;
    size_t i = t / 100;
    int64_t w = (int64_t)(t % 100);
    if (i + 1 >= n)
        return (int64_t)sorted[n - 1] * 100;
    return (int64_t)sorted[i] * 100 + ((int64_t)sorted[i + 1] - sorted[i]) * w;
}

void airq_opts_default(airq_opts *o)
{
    o->rules = AIRQ_ED_AUTO;
    o->cls = 2;
    o->hours = AIRQ_HOURS_1_24;
    o->round_daily = true;
}

static airq_edition day_edition(const airq_opts *o, int64_t day)
{
    return o->rules != AIRQ_ED_AUTO ? o->rules : airq_edition_on(day);
}

/* A mean of the period's values: rounded to the published precision (GB/T 8170) when
 * round_daily, else kept to 0.001 of the unit. */
static int32_t mean_value(int64_t sum, int64_t n, airq_pollutant p, bool round)
{
    if (round) {
        int64_t u = airq_report_unit(p);
        return (int32_t)(ew_round_ratio_8170(sum, n * u, 1) * u);
    }
    return (int32_t)ew_round_ratio_8170(sum, n, 1);
}

/* sa/na > sb/nb, exactly (n > 0). */
static bool mean_gt(int64_t sa, int64_t na, int64_t sb, int64_t nb)
{
    return sa * nb > sb * na;
}

static void o3_day(const int32_t *v, int64_t base, int64_t day, const airq_opts *o, airq_day *d)
{
    /* Daily max 1-h: the largest valid hourly value of the day. Validity: the 24-h rule of
     * GB 3095 Table 4 (≥ 20 hours), or a maximum already above the 1-h limit (an exceedance is
     * certain whatever the missing hours held; the same reasoning as HJ 663—2013 6.1.2 for the
     * 8-h maximum). */
    int n = 0;
    int32_t mx = AIRQ_MISSING;
    for (int j = 0; j < 24; j++) {
        int32_t x = v[base + j];
        if (x == AIRQ_MISSING)
            continue;
        n++;
        if (x > mx)
            mx = x;
    }
    d->hours[AIRQ_O3] = (uint8_t)n;
    airq_edition ed = day_edition(o, day);
    int32_t lim1h = airq_limit(ed, o->cls, day, AIRQ_O3, AIRQ_AVG_1H);
    d->o3_1h_max = (n >= AIRQ_MIN_HOURS_DAY || (n > 0 && mx > lim1h)) ? mx : AIRQ_MISSING;

    /* MDA8 (HJ 663—2013 definitions and Table A.1; GB 3095—2026 §3 "daily max 8-h"): the 8-h moving
     * mean labelled X averages the hours labelled X−7 … X and is valid with ≥ 6 of them
     * (GB 3095 Table 4); the day's maximum is taken over the 17 windows lying inside the
     * day (labels 08:00 … 24:00 with the 01–24 convention). It is valid with ≥ 14 valid
     * windows, or with fewer when it exceeds the 8-h limit (HJ 663—2013 6.1.2; HJ 663—2026: not
     * read, kept). */
    int windows = 0;
    int64_t bs = 0, bn = 0;
    for (int end = 7; end < 24; end++) {
        int64_t s = 0, c = 0;
        for (int j = end - 7; j <= end; j++) {
            int32_t x = v[base + j];
            if (x != AIRQ_MISSING) {
                s += x;
                c++;
            }
        }
        if (c < AIRQ_MIN_HOURS_8H)
            continue;
        windows++;
        if (bn == 0 || mean_gt(s, c, bs, bn)) {
            bs = s;
            bn = c;
        }
    }
    d->o3_windows = (uint8_t)windows;
    int32_t lim8h = airq_limit(ed, o->cls, day, AIRQ_O3, AIRQ_AVG_8H);
    bool ok = windows >= AIRQ_MIN_O3_WINDOWS || (bn > 0 && mean_gt(bs, bn, (int64_t)lim8h, 1));
    d->c[AIRQ_O3] = ok ? mean_value(bs, bn, AIRQ_O3, o->round_daily) : AIRQ_MISSING;
}

void airq_days(const airq_hourly *h, const airq_opts *o, airq_day *out)
{
    const int off = o->hours == AIRQ_HOURS_1_24 ? 1 : 0;
    for (int di = 0; di < h->ndays; di++) {
        airq_day *d = &out[di];
        memset(d, 0, sizeof *d);
        const int64_t base = (int64_t)di * 24 + off;
        const int64_t day = h->day0 + di;
        for (int p = 0; p < AIRQ_NPOLL; p++) {
            d->c[p] = AIRQ_MISSING;
            const int32_t *v = h->v[p];
            if (!v)
                continue;
            if (p == AIRQ_O3) {
                o3_day(v, base, day, o, d);
                continue;
            }
            int64_t s = 0;
            int n = 0;
            for (int j = 0; j < 24; j++) {
                int32_t x = v[base + j];
                if (x != AIRQ_MISSING) {
                    s += x;
                    n++;
                }
            }
            d->hours[p] = (uint8_t)n;
            /* GB 3095 Table 4: a 24-h mean needs ≥ 20 hourly values. */
            if (n >= AIRQ_MIN_HOURS_DAY)
                d->c[p] = mean_value(s, n, (airq_pollutant)p, o->round_daily);
        }
        if (!h->v[AIRQ_O3])
            d->o3_1h_max = AIRQ_MISSING;
        airq_day_index(d, day, o);
    }
}

void airq_day_index(airq_day *d, int64_t day, const airq_opts *o)
{
    airq_edition ed = day_edition(o, day);
    d->edition = (int16_t)ed;
    aqi_input in;
    aqi_input_init(&in);
    static const aqi_item item[AIRQ_NPOLL] = {
        [AIRQ_SO2] = AQI_SO2_24H, [AIRQ_NO2] = AQI_NO2_24H, [AIRQ_PM10] = AQI_PM10_24H,
        [AIRQ_CO] = AQI_CO_24H,   [AIRQ_O3] = AQI_O3_8H,    [AIRQ_PM25] = AQI_PM25_24H,
    };
    for (int p = 0; p < AIRQ_NPOLL; p++)
        if (d->c[p] != AIRQ_MISSING)
            in.milli[item[p]] = d->c[p];
    if (d->o3_1h_max != AIRQ_MISSING)
        in.milli[AQI_O3_1H] = d->o3_1h_max;
    aqi_result r;
    if (aqi_daily((aqi_rules)ed, &in, &r, NULL) != 0 || r.aqi == AQI_NONE) {
        d->aqi = -1;
        d->primary = 0;
        d->aqi_complete = false;
        return;
    }
    d->aqi = (int16_t)r.aqi;
    d->primary = (uint8_t)r.primary;
    d->aqi_complete = r.missing == 0;
}

bool airq_day_stated(const airq_day *d)
{
    return d->aqi >= 0 && (d->aqi_complete || d->aqi > 100);
}

void airq_aggregate(const airq_day *const *st, size_t nst, int ndays, int64_t day0,
                    const airq_opts *o, airq_day *out)
{
    for (int di = 0; di < ndays; di++) {
        airq_day *d = &out[di];
        memset(d, 0, sizeof *d);
        /* The zone value of each pollutant is the mean of the stations' valid daily values;
         * hours[] then counts the stations that contributed. The daily max 1-h O3 is the
         * mean of the stations' maxima (HJ 663—2013 city-scale evaluation averages station
         * concentrations; clause number not re-read). */
        for (int p = 0; p <= AIRQ_NPOLL; p++) {
            int64_t s = 0;
            int n = 0;
            for (size_t i = 0; i < nst; i++) {
                int32_t x = p < AIRQ_NPOLL ? st[i][di].c[p] : st[i][di].o3_1h_max;
                if (x != AIRQ_MISSING) {
                    s += x;
                    n++;
                }
            }
            airq_pollutant pp = p < AIRQ_NPOLL ? (airq_pollutant)p : AIRQ_O3;
            int32_t v = n ? mean_value(s, n, pp, o->round_daily) : AIRQ_MISSING;
            if (p < AIRQ_NPOLL) {
                d->c[p] = v;
                d->hours[p] = (uint8_t)(n > 255 ? 255 : n);
            } else {
                d->o3_1h_max = v;
            }
        }
        airq_day_index(d, day0 + di, o);
    }
}

void airq_zone_hours(const airq_hourly *const *st, size_t nst, int32_t *const out[AIRQ_NPOLL])
{
    if (nst == 0)
        return;
    const size_t nslots = ((size_t)st[0]->ndays + 1) * 24;
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        if (!out[p])
            continue;
        for (size_t i = 0; i < nslots; i++) {
            int64_t s = 0, n = 0;
            for (size_t k = 0; k < nst; k++) {
                const int32_t *v = st[k]->v[p];
                if (v && v[i] != AIRQ_MISSING) {
                    s += v[i];
                    n++;
                }
            }
            out[p][i] = n ? (int32_t)ew_round_ratio_8170(s, n, 1) : AIRQ_MISSING;
        }
    }
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int64_t gcd64(int64_t a, int64_t b)
{
    if (a < 0)
        a = -a;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

/* HJ 663—2013 evaluation items (text not re-read here; as summarised in the
 * project's reference notes and the national monthly reports): the percentile of the daily values
 * assessed for each pollutant: SO2, NO2, PM10, PM2.5 24-h 98th; CO 24-h 95th; O3 MDA8 90th. HJ
 * 663—2026: not read; a third-party summary says PM uses the 95th from 2026 — unconfirmed, so the
 * 2013 percentiles are kept for both editions. */
static const int pct_of[AIRQ_NPOLL] = {
    [AIRQ_SO2] = 98, [AIRQ_NO2] = 98, [AIRQ_PM10] = 98,
    [AIRQ_CO] = 95,  [AIRQ_O3] = 90,  [AIRQ_PM25] = 98,
};

/* Validity of a period statistic (GB 3095 Table 4, which lists SO2, NO2, PM10, PM2.5; the
 * same day counts are applied here to the CO and O3 percentiles too, as HJ 663—2013 is
 * understood to do — its text was not re-read): every calendar month needs 27 valid days (February
 * 25), every calendar year 324. A month or year only partly inside the period may miss no more days
 * than the full one could: required = days inside − (days of the whole − minimum). */
static void period_validity(const airq_day *days, int64_t from, int64_t to, int p, airq_stat *st)
{
    st->required = 0;
    st->valid = true;
    st->why[0] = '\0';
    int64_t day = from;
    while (day <= to) {
        int y, m, dd;
        ew_civil_from_days(day, &y, &m, &dd);
        int dim = ew_days_in_month(y, m);
        int64_t mend = day + (dim - dd);
        if (mend > to)
            mend = to;
        int inside = (int)(mend - day + 1), n = 0;
        for (int64_t k = day; k <= mend; k++)
            if (days[k - from].c[p] != AIRQ_MISSING)
                n++;
        int need = inside - (dim - airq_min_days_month(m));
        if (need > 0 && n < need && st->valid) {
            st->valid = false;
            snprintf(st->why, sizeof st->why,
                     "%04d-%02d: %d valid days < %d (GB 3095 Table 4: month)", y, m, n, need);
        }
        day = mend + 1;
    }
    for (int64_t y0 = from; y0 <= to;) {
        int y, m, dd;
        ew_civil_from_days(y0, &y, &m, &dd);
        int64_t yend = ew_days_from_civil(y, 12, 31);
        if (yend > to)
            yend = to;
        int inside = (int)(yend - y0 + 1);
        int diy = ew_is_leap(y) ? 366 : 365;
        int need = inside - (diy - AIRQ_MIN_DAYS_YEAR);
        if (need > 0)
            st->required += need;
        y0 = yend + 1;
    }
    if (st->n < st->required && st->valid) {
        st->valid = false;
        snprintf(st->why, sizeof st->why, "%d valid days < %d (GB 3095 Table 4: 324 a year)", st->n,
                 st->required);
    }
    if (st->n == 0 && st->valid) {
        st->valid = false;
        snprintf(st->why, sizeof st->why, "no valid day");
    }
}

static void assess_pollutant(const airq_day *days, int64_t from, int64_t to, airq_edition led,
                             const airq_opts *o, int p, int32_t *scratch, airq_stat *st)
{
    const int nd = (int)(to - from + 1);
    const int64_t u = airq_report_unit((airq_pollutant)p);
    memset(st, 0, sizeof *st);
    st->pct_p = pct_of[p];
    st->limit_day =
        airq_limit(led, o->cls, to, (airq_pollutant)p, p == AIRQ_O3 ? AIRQ_AVG_8H : AIRQ_AVG_24H);
    /* Single-factor index denominators (城市环境空气质量排名技术规定, 2018; clause of HJ 663—2013
     * not re-read): annual limit for SO2, NO2, PM10, PM2.5; 24-h for CO; 8-h for O3. */
    st->limit = (p == AIRQ_CO || p == AIRQ_O3)
                    ? st->limit_day
                    : airq_limit(led, o->cls, to, (airq_pollutant)p, AIRQ_AVG_YEAR);
    for (int i = 0; i < nd; i++) {
        int32_t x = days[i].c[p];
        if (x == AIRQ_MISSING)
            continue;
        scratch[st->n++] = x;
        st->sum += x;
        if (st->limit_day != AIRQ_MISSING && x > st->limit_day)
            st->days_over++;
    }
    period_validity(days, from, to, p, st);
    if (st->n == 0) {
        st->mean = st->pct = st->stat = AIRQ_MISSING;
        return;
    }
    st->mean = (int32_t)(ew_round_ratio_8170(st->sum, st->n * u, 1) * u);
    qsort(scratch, (size_t)st->n, sizeof *scratch, cmp_i32);
    int64_t px = airq_percentile_x100(scratch, (size_t)st->n, st->pct_p);
    st->pct = (int32_t)(ew_round_ratio_8170(px, 100 * u, 1) * u);
    st->stat = (p == AIRQ_CO || p == AIRQ_O3) ? st->pct : st->mean;
    if (st->limit == AIRQ_MISSING || st->limit <= 0)
        return; /* every table sets these limits; kept for safety of the division */
    st->index_x100 = (int32_t)ew_round_ratio_8170((int64_t)st->stat * 100, st->limit, 1);
    st->exceed_x100 =
        (int32_t)ew_round_ratio_8170(((int64_t)st->stat - st->limit) * 100, st->limit, 1);
    st->compliant = st->stat <= st->limit;
}

static void progress(airq_report *r, const airq_targets *t)
{
    airq_progress *g = &r->progress;
    memset(g, 0, sizeof *g);
    int y, m, d, y2, m2, d2;
    ew_civil_from_days(r->from_day, &y, &m, &d);
    ew_civil_from_days(r->to_day, &y2, &m2, &d2);
    if (m != 1 || d != 1 || y2 != y || (m2 == 12 && d2 == 31))
        return;
    g->in_progress = true;
    g->elapsed_days = r->ndays;
    g->remaining_days = (ew_is_leap(y) ? 366 : 365) - r->ndays;
    g->expected_valid_days = r->valid_days + g->remaining_days;

    /* PM2.5: the annual mean is published as an integer rounded per GB/T 8170, so the
     * target T is met by an unrounded mean up to T + 0.5 (included when T is even, since
     * the half then rounds down to T). The remaining days, all assumed valid, may average
     * at most (M·N − S)/R; reported rounded down to 0.01 µg/m³ (a larger figure would
     * overshoot). */
    const airq_stat *pm = &r->s[AIRQ_PM25];
    int64_t nt = (int64_t)pm->n + g->remaining_days;
    int64_t mx = (int64_t)t->pm25_ugm3 * 1000 + 500;
    int64_t num = mx * nt - pm->sum; /* milli-µg/m³ · days */
    int64_t den = (int64_t)g->remaining_days * 10;
    int64_t q = num / den;
    if (num % den != 0 && num < 0)
        q--;
    if ((t->pm25_ugm3 & 1) && num % den == 0)
        q--; /* odd target: T + 0.5 itself rounds up, the bound is exclusive */
    g->pm25_rest_max_x100 = (int32_t)q;
    g->pm25_reachable = q >= 0;

    /* Good and heavy days: the published ratio (0.1 %, GB/T 8170) of N expected valid days. */
    int64_t nv = g->expected_valid_days;
    g->good_needed_total = (int)nv + 1;
    for (int64_t k = 0; k <= nv; k++)
        if (ew_round_ratio_8170(k, nv, 1000) >= t->good_ratio_x10) {
            g->good_needed_total = (int)k;
            break;
        }
    g->heavy_allowed_total = -1;
    for (int64_t k = nv; k >= 0; k--)
        if (ew_round_ratio_8170(k, nv, 1000) <= t->heavy_ratio_x10) {
            g->heavy_allowed_total = (int)k;
            break;
        }
    g->good_still_needed = g->good_needed_total - r->good_days;
    if (g->good_still_needed < 0)
        g->good_still_needed = 0;
    g->good_reachable = g->good_still_needed <= g->remaining_days;
    g->heavy_still_allowed = g->heavy_allowed_total - r->heavy_days;
}

int airq_assess(const airq_day *days, int64_t from_day, int64_t to_day, const airq_opts *o,
                const airq_targets *targets, int32_t *scratch, airq_report *r)
{
    if (to_day < from_day)
        return -1;
    memset(r, 0, sizeof *r);
    r->from_day = from_day;
    r->to_day = to_day;
    r->ndays = (int)(to_day - from_day + 1);
    r->data_end_day = from_day - 1;
    /* Period statistics are judged by the limits of the edition in force on the period's
     * last day unless the caller fixed the edition (HJ 663—2026: not read; whether a year
     * straddling 2026-03-01 is judged by one edition is an open question). */
    r->limits_edition = day_edition(o, to_day);
    r->limits_name = airq_limits_name(r->limits_edition, to_day);
    r->main_pollutant = -1;
    for (int i = 0; i < r->ndays; i++) {
        const airq_day *d = &days[i];
        int64_t day = from_day + i;
        r->days_by_edition[day_edition(o, day) == AIRQ_ED_2026]++;
        for (int p = 0; p < AIRQ_NPOLL; p++)
            if (d->c[p] != AIRQ_MISSING)
                r->data_end_day = day;
        /* Day-count indicators (HJ 633 levels; national reporting practice): good AQI ≤ 100, heavy
         * > 200, severe > 300, over the days with a stated daily AQI. */
        if (!airq_day_stated(d))
            continue;
        r->valid_days++;
        r->good_days += d->aqi <= 100;
        r->heavy_days += d->aqi > 200;
        r->severe_days += d->aqi > 300;
        int lv = aqi_level(d->aqi);
        if (lv >= 1 && lv <= 6)
            r->level_days[lv - 1]++;
        for (int p = 0; p < AIRQ_NPOLL; p++)
            if (d->primary & (1u << p))
                r->primary_days[p]++;
    }
    if (r->valid_days) {
        r->good_ratio_x10 = (int32_t)ew_round_ratio_8170(r->good_days, r->valid_days, 1000);
        r->heavy_ratio_x10 = (int32_t)ew_round_ratio_8170(r->heavy_days, r->valid_days, 1000);
        r->severe_ratio_x10 = (int32_t)ew_round_ratio_8170(r->severe_days, r->valid_days, 1000);
    } else {
        r->good_ratio_x10 = r->heavy_ratio_x10 = r->severe_ratio_x10 = -1;
    }

    /* Composite index (综合指数): the sum of the six single indices, unweighted (ranking
     * regulation 2018). Summed exactly as fractions, then rounded to 0.01 (GB/T 8170). The
     * 2026 weighting (PM2.5 ×3, NO2 ×2, O3 ×2) reported by third parties is unconfirmed
     * (HJ 663—2026: not read), so the unweighted sum is used for both editions. */
    int64_t cn = 0, cd = 1, bn = 0, bd = 1;
    r->composite_valid = true;
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        airq_stat *st = &r->s[p];
        assess_pollutant(days, from_day, to_day, r->limits_edition, o, p, scratch, st);
        if (st->n == 0 || st->limit == AIRQ_MISSING) {
            r->composite_valid = false;
            continue;
        }
        int64_t a = st->stat, b = st->limit, g = gcd64(a, b);
        a /= g;
        b /= g;
        int64_t l = cd / gcd64(cd, b) * b;
        cn = cn * (l / cd) + a * (l / b);
        cd = l;
        if (r->main_pollutant < 0 || a * bd > bn * b) {
            r->main_pollutant = p;
            bn = a;
            bd = b;
        }
    }
    r->composite_x100 = r->composite_valid ? (int32_t)ew_round_ratio_8170(cn * 100, cd, 1) : -1;

    if (targets) {
        r->has_targets = true;
        r->targets = *targets;
        const airq_stat *pm = &r->s[AIRQ_PM25];
        r->pm25_target_met = pm->n > 0 && pm->mean <= targets->pm25_ugm3 * 1000;
        r->good_target_met = r->valid_days > 0 && r->good_ratio_x10 >= targets->good_ratio_x10;
        r->heavy_target_met = r->valid_days > 0 && r->heavy_ratio_x10 <= targets->heavy_ratio_x10;
        progress(r, targets);
    }
    return 0;
}
