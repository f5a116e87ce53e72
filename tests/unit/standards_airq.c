/* Tests of src/standards/airq: GB 3095 limits and validity, HJ 663 statistics. Expected
 * values are worked by hand from the standards' tables (see the comment beside each). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "standards/airq.h"

#define UG(x) ((int32_t)((x)*1000))

static int64_t D(int y, int m, int d)
{
    return ew_days_from_civil(y, m, d);
}

static void limits_of_both_editions(void **state)
{
    (void)state;
    int64_t d25 = D(2025, 6, 1), d26 = D(2026, 6, 1), d31 = D(2031, 1, 1);
    /* GB 3095—2012 Table 1, Class 2 */
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_PM25, AIRQ_AVG_YEAR), 35000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_PM25, AIRQ_AVG_24H), 75000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_PM10, AIRQ_AVG_YEAR), 70000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_SO2, AIRQ_AVG_1H), 500000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_CO, AIRQ_AVG_24H), 4000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_O3, AIRQ_AVG_8H), 160000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 1, d25, AIRQ_PM25, AIRQ_AVG_YEAR), 15000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 1, d25, AIRQ_O3, AIRQ_AVG_8H), 100000);
    assert_int_equal(airq_limit(AIRQ_ED_2012, 2, d25, AIRQ_CO, AIRQ_AVG_YEAR), AIRQ_MISSING);
    /* GB 3095—2026 Table 1, transitional Class 2 until 2030-12-31 */
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, d26, AIRQ_PM25, AIRQ_AVG_YEAR), 30000);
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, d26, AIRQ_PM25, AIRQ_AVG_24H), 60000);
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, d26, AIRQ_PM10, AIRQ_AVG_24H), 120000);
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, D(2030, 12, 31), AIRQ_PM25, AIRQ_AVG_YEAR), 30000);
    /* final from 2031-01-01 */
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, d31, AIRQ_PM25, AIRQ_AVG_YEAR), 25000);
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, d31, AIRQ_NO2, AIRQ_AVG_YEAR), 30000);
    assert_int_equal(airq_limit(AIRQ_ED_2026, 2, d31, AIRQ_SO2, AIRQ_AVG_YEAR), 20000);
    /* AUTO follows the day */
    assert_int_equal(airq_limit(AIRQ_ED_AUTO, 2, D(2026, 2, 28), AIRQ_PM25, AIRQ_AVG_24H), 75000);
    assert_int_equal(airq_limit(AIRQ_ED_AUTO, 2, D(2026, 3, 1), AIRQ_PM25, AIRQ_AVG_24H), 60000);
    assert_string_equal(airq_limits_name(AIRQ_ED_AUTO, d31), "GB 3095—2026 final");
}

static void percentile_formula_on_small_n(void **state)
{
    (void)state;
    /* HJ 663—2013 Appendix A, k = 1 + (n−1)p. Ten MDA8 values:
     * p90: k = 9.1 → 176 + 0.1 × 12 = 177.2; p95: k = 9.55 → 182.6; p98: k = 9.82 → 185.84 */
    const int32_t x[10] = {95, 102, 120, 133, 140, 150, 160, 171, 176, 188};
    assert_int_equal(airq_percentile_x100(x, 10, 90), 17720);
    assert_int_equal(airq_percentile_x100(x, 10, 95), 18260);
    assert_int_equal(airq_percentile_x100(x, 10, 98), 18584);
    /* n = 1: k = 1 → X(1). n = 2, p90: k = 1.9 → 10 + 0.9 × 10 = 19 */
    assert_int_equal(airq_percentile_x100(x, 1, 98), 9500);
    const int32_t y[2] = {10, 20};
    assert_int_equal(airq_percentile_x100(y, 2, 90), 1900);
    assert_int_equal(airq_percentile_x100(y, 2, 100), 2000);
}

/* One day of hourly data; index i = label i of day0 (0 … 47). */
typedef struct hours1 {
    int32_t v[AIRQ_NPOLL][48];
} hours1;

static void hours_missing(hours1 *h)
{
    for (int p = 0; p < AIRQ_NPOLL; p++)
        for (int i = 0; i < 48; i++)
            h->v[p][i] = AIRQ_MISSING;
}

static airq_day one_day(hours1 *h, int64_t day, const airq_opts *o)
{
    airq_hourly hh = {.day0 = day, .ndays = 1};
    for (int p = 0; p < AIRQ_NPOLL; p++)
        hh.v[p] = h->v[p];
    airq_day d;
    airq_days(&hh, o, &d);
    return d;
}

static void daily_mean_needs_20_hours(void **state)
{
    (void)state;
    static hours1 h;
    airq_opts o;
    airq_opts_default(&o);
    hours_missing(&h);
    /* Labels 01 … 19 only: 19 hourly values < 20 (GB 3095 Table 4) → no daily mean. */
    for (int i = 1; i <= 19; i++)
        h.v[AIRQ_PM25][i] = UG(75);
    airq_day d = one_day(&h, D(2025, 1, 10), &o);
    assert_int_equal(d.hours[AIRQ_PM25], 19);
    assert_int_equal(d.c[AIRQ_PM25], AIRQ_MISSING);
    /* A 20th hour at label 24 (next day's 00:00) belongs to the day under HJ 663. */
    h.v[AIRQ_PM25][24] = UG(75);
    d = one_day(&h, D(2025, 1, 10), &o);
    assert_int_equal(d.hours[AIRQ_PM25], 20);
    assert_int_equal(d.c[AIRQ_PM25], UG(75));
    /* With the 00–23 convention label 24 is not in the day and label 00 is. */
    o.hours = AIRQ_HOURS_0_23;
    d = one_day(&h, D(2025, 1, 10), &o);
    assert_int_equal(d.c[AIRQ_PM25], AIRQ_MISSING);
    h.v[AIRQ_PM25][0] = UG(99);
    d = one_day(&h, D(2025, 1, 10), &o);
    /* (19 × 75 + 99)/20 = 76.2 → 76 */
    assert_int_equal(d.c[AIRQ_PM25], UG(76));
}

static void daily_mean_rounds_half_to_even(void **state)
{
    (void)state;
    static hours1 h;
    airq_opts o;
    airq_opts_default(&o);
    hours_missing(&h);
    /* 10 × 40 + 10 × 41 over 20 hours = 40.5 → 40; 10 × 41 + 10 × 42 = 41.5 → 42 (GB/T 8170).
     * CO 20 × 1.25 → 1.2 mg/m³; NO2 20 × 7, 4 × 8 → 7.1667 → 7. */
    for (int i = 1; i <= 20; i++) {
        h.v[AIRQ_PM25][i] = UG(i <= 10 ? 40 : 41);
        h.v[AIRQ_PM10][i] = UG(i <= 10 ? 41 : 42);
        h.v[AIRQ_CO][i] = 1250;
        h.v[AIRQ_NO2][i] = UG(7);
    }
    for (int i = 21; i <= 24; i++)
        h.v[AIRQ_NO2][i] = UG(8);
    airq_day d = one_day(&h, D(2025, 1, 10), &o);
    assert_int_equal(d.c[AIRQ_PM25], UG(40));
    assert_int_equal(d.c[AIRQ_PM10], UG(42));
    assert_int_equal(d.c[AIRQ_CO], 1200);
    assert_int_equal(d.c[AIRQ_NO2], UG(7));
    /* Unrounded daily values on request: 40.5 kept; NO2 172/24 = 7.16666… → 7.167 */
    o.round_daily = false;
    d = one_day(&h, D(2025, 1, 10), &o);
    assert_int_equal(d.c[AIRQ_PM25], 40500);
    assert_int_equal(d.c[AIRQ_NO2], 7167);
}

static void o3_daily_max_8h_windows(void **state)
{
    (void)state;
    static hours1 h;
    airq_opts o;
    airq_opts_default(&o);
    hours_missing(&h);
    /* All 24 labels 01 … 24 valid: 100, but 180 at labels 13 … 20. The window labelled 20
     * (13 … 20) averages 180: MDA8 = 180, 17 windows. Label 00 (yesterday's hour) = 500 must
     * not enter any window of the day. */
    for (int i = 1; i <= 24; i++)
        h.v[AIRQ_O3][i] = UG(i >= 13 && i <= 20 ? 180 : 100);
    h.v[AIRQ_O3][0] = UG(500);
    airq_day d = one_day(&h, D(2025, 7, 1), &o);
    assert_int_equal(d.o3_windows, 17);
    assert_int_equal(d.c[AIRQ_O3], UG(180));
    assert_int_equal(d.o3_1h_max, UG(180));
    /* Only labels 01 … 12 valid: the window labelled X has min(X,12) − X + 8 valid hours,
     * i.e. ≥ 6 for X = 8 … 14: 7 windows < 14 → no MDA8 at 100 … */
    hours_missing(&h);
    for (int i = 1; i <= 12; i++)
        h.v[AIRQ_O3][i] = UG(100);
    d = one_day(&h, D(2025, 7, 1), &o);
    assert_int_equal(d.o3_windows, 7);
    assert_int_equal(d.c[AIRQ_O3], AIRQ_MISSING);
    /* … but at 170 > 160 (the 8-h limit) the exceedance is certain: valid (HJ 663—2013 6.1.2). */
    for (int i = 1; i <= 12; i++)
        h.v[AIRQ_O3][i] = UG(170);
    d = one_day(&h, D(2025, 7, 1), &o);
    assert_int_equal(d.c[AIRQ_O3], UG(170));
    /* A window with 5 valid hours is not a window: labels 01 … 05 and 20 … 24 valid only.
     * Windows 08 … 24: X = 8 has 5 (01–05), X = 24 has 5 (20–24): 0 valid windows. */
    hours_missing(&h);
    for (int i = 1; i <= 5; i++)
        h.v[AIRQ_O3][i] = UG(100);
    for (int i = 20; i <= 24; i++)
        h.v[AIRQ_O3][i] = UG(100);
    d = one_day(&h, D(2025, 7, 1), &o);
    assert_int_equal(d.o3_windows, 0);
    assert_int_equal(d.c[AIRQ_O3], AIRQ_MISSING);
}

static airq_day mkday(int so2, int no2, int pm10, int co_tenths, int o3_8h, int o3_1h, int pm25)
{
    airq_day d;
    memset(&d, 0, sizeof d);
    d.c[AIRQ_SO2] = so2 < 0 ? AIRQ_MISSING : UG(so2);
    d.c[AIRQ_NO2] = no2 < 0 ? AIRQ_MISSING : UG(no2);
    d.c[AIRQ_PM10] = pm10 < 0 ? AIRQ_MISSING : UG(pm10);
    d.c[AIRQ_CO] = co_tenths < 0 ? AIRQ_MISSING : co_tenths * 100;
    d.c[AIRQ_O3] = o3_8h < 0 ? AIRQ_MISSING : UG(o3_8h);
    d.o3_1h_max = o3_1h < 0 ? AIRQ_MISSING : UG(o3_1h);
    d.c[AIRQ_PM25] = pm25 < 0 ? AIRQ_MISSING : UG(pm25);
    return d;
}

static void daily_aqi_by_edition_of_the_day(void **state)
{
    (void)state;
    airq_opts o;
    airq_opts_default(&o);
    /* Worked example: SO2 12, NO2 45, PM10 128, CO 1.3, O3-8h 168, O3-1h 210, PM2.5 82.
     * 2012: PM2.5 IAQI 100 + (82−75)·50/40 = 108.75 → 109. 2026: 100 + (82−60)·50/55 = 120. */
    airq_day d = mkday(12, 45, 128, 13, 168, 210, 82);
    airq_day_index(&d, D(2026, 2, 28), &o);
    assert_int_equal(d.edition, 2012);
    assert_int_equal(d.aqi, 109);
    assert_int_equal(d.primary, 1u << AIRQ_PM25);
    assert_true(airq_day_stated(&d));
    airq_day_index(&d, D(2026, 3, 1), &o);
    assert_int_equal(d.edition, 2026);
    assert_int_equal(d.aqi, 120);
    /* --rules 2012 forces the old tables on a 2026 day */
    o.rules = AIRQ_ED_2012;
    airq_day_index(&d, D(2026, 3, 1), &o);
    assert_int_equal(d.aqi, 109);
    /* A gap with AQI ≤ 100 is not stated; with AQI > 100 it is. */
    o.rules = AIRQ_ED_AUTO;
    d = mkday(5, -1, 20, 3, 50, 60, 30);
    airq_day_index(&d, D(2025, 1, 1), &o);
    assert_false(airq_day_stated(&d));
    d = mkday(5, -1, 20, 3, 50, 60, 160);
    airq_day_index(&d, D(2025, 1, 1), &o);
    assert_int_equal(d.aqi, 210); /* 200 + (160−150)·100/100 */
    assert_true(airq_day_stated(&d));
}

/* A clean day: every indicator valid and low, PM2.5 chosen. */
static airq_day clean(int pm25)
{
    return mkday(5, 10, 20, 3, 50, 60, pm25);
}

static void period_validity_february_and_year(void **state)
{
    (void)state;
    static airq_day days[366];
    static int32_t scratch[366];
    static airq_report r;
    airq_opts o;
    airq_opts_default(&o);
    int64_t f = D(2025, 2, 1);
    for (int i = 0; i < 28; i++)
        days[i] = clean(i < 25 ? 30 : -1);
    assert_int_equal(airq_assess(days, f, f + 27, &o, NULL, scratch, &r), 0);
    /* 25 valid days in February meet GB 3095 Table 4 */
    assert_int_equal(r.s[AIRQ_PM25].n, 25);
    assert_true(r.s[AIRQ_PM25].valid);
    days[0] = clean(-1);
    assert_int_equal(airq_assess(days, f, f + 27, &o, NULL, scratch, &r), 0);
    assert_false(r.s[AIRQ_PM25].valid);
    assert_non_null(strstr(r.s[AIRQ_PM25].why, "2025-02: 24 valid days < 25"));

    /* A year: February 25 valid days, one month 28, ten months 27 = 323 < 324: every month
     * passes, the year fails; one more day makes it valid. */
    f = D(2025, 1, 1);
    for (int i = 0; i < 365; i++) {
        int y, m, dd;
        ew_civil_from_days(f + i, &y, &m, &dd);
        int keep = m == 2 ? 25 : m == 3 ? 28 : 27;
        days[i] = clean(dd <= keep ? 30 : -1);
    }
    assert_int_equal(airq_assess(days, f, f + 364, &o, NULL, scratch, &r), 0);
    assert_int_equal(r.s[AIRQ_PM25].n, 323);
    assert_int_equal(r.s[AIRQ_PM25].required, 324);
    assert_false(r.s[AIRQ_PM25].valid);
    assert_non_null(strstr(r.s[AIRQ_PM25].why, "323 valid days < 324"));
    days[D(2025, 4, 30) - f] = clean(30);
    assert_int_equal(airq_assess(days, f, f + 364, &o, NULL, scratch, &r), 0);
    assert_true(r.s[AIRQ_PM25].valid);
}

static void annual_statistics_and_composite_index(void **state)
{
    (void)state;
    static airq_day days[365];
    static int32_t scratch[365];
    static airq_report r;
    airq_opts o;
    airq_opts_default(&o);
    /* Constant year: SO2 9, NO2 30, PM10 75, PM2.5 45, CO 1.2, O3 175.
     * GB 3095—2012: 9/60 + 30/40 + 75/70 + 45/35 + 1.2/4 + 175/160
     *   = 0.15 + 0.75 + 1.0714 + 1.2857 + 0.30 + 1.09375 = 4.6509 → 4.65 */
    for (int i = 0; i < 365; i++)
        days[i] = mkday(9, 30, 75, 12, 175, 190, 45);
    int64_t f = D(2025, 1, 1);
    assert_int_equal(airq_assess(days, f, f + 364, &o, NULL, scratch, &r), 0);
    assert_int_equal(r.limits_edition, AIRQ_ED_2012);
    assert_int_equal(r.composite_x100, 465);
    assert_int_equal(r.main_pollutant, AIRQ_PM25);
    assert_int_equal(r.s[AIRQ_PM25].mean, UG(45));
    assert_int_equal(r.s[AIRQ_PM25].index_x100, 129); /* 1.2857 */
    assert_int_equal(r.s[AIRQ_PM25].exceed_x100, 29); /* 0.2857 */
    assert_false(r.s[AIRQ_PM25].compliant);
    assert_int_equal(r.s[AIRQ_CO].pct_p, 95);
    assert_int_equal(r.s[AIRQ_CO].stat, 1200);
    assert_int_equal(r.s[AIRQ_O3].pct_p, 90);
    assert_int_equal(r.s[AIRQ_O3].index_x100, 109); /* 1.09375 */
    assert_true(r.s[AIRQ_SO2].compliant);
    /* GB 3095—2026 transitional: PM10 75/60 = 1.25, PM2.5 45/30 = 1.5 → 5.04375 → 5.04 */
    o.rules = AIRQ_ED_2026;
    assert_int_equal(airq_assess(days, f, f + 364, &o, NULL, scratch, &r), 0);
    assert_int_equal(r.composite_x100, 504);
    assert_string_equal(r.limits_name, "GB 3095—2026 transitional");
    assert_int_equal(r.days_by_edition[1], 365);

    /* Mean rounding at .5: days 40 and 41 → 40.5 → 40; 41 and 42 → 41.5 → 42. 98th
     * percentile of {40, 41}: k = 1.98 → 40.98 → 41. */
    o.rules = AIRQ_ED_AUTO;
    days[0] = mkday(9, 30, 41, 12, 175, 190, 40);
    days[1] = mkday(9, 30, 42, 12, 175, 190, 41);
    assert_int_equal(airq_assess(days, f, f + 1, &o, NULL, scratch, &r), 0);
    assert_int_equal(r.s[AIRQ_PM25].mean, UG(40));
    assert_int_equal(r.s[AIRQ_PM10].mean, UG(42));
    assert_int_equal(r.s[AIRQ_PM25].pct, UG(41));
}

static void good_heavy_days_and_ratios(void **state)
{
    (void)state;
    static airq_day days[12];
    static int32_t scratch[12];
    static airq_report r;
    airq_opts o;
    airq_opts_default(&o);
    int64_t f = D(2025, 5, 1);
    /* PM2.5 30 ×6 (IAQI 43, good), 100 ×2 (132, light), 160 (210, heavy), 260 (310,
     * severe); a day without PM2.5 and low values (not stated); a day without NO2 and PM2.5
     * 160 (AQI 210 > 100 is certain: stated, heavy). */
    int pm[12] = {30, 30, 30, 30, 30, 30, 100, 100, 160, 260, -1, 160};
    for (int i = 0; i < 12; i++)
        days[i] = clean(pm[i]);
    days[11].c[AIRQ_NO2] = AIRQ_MISSING;
    for (int i = 0; i < 12; i++)
        airq_day_index(&days[i], f + i, &o);
    assert_int_equal(airq_assess(days, f, f + 11, &o, NULL, scratch, &r), 0);
    assert_int_equal(r.valid_days, 11);
    assert_int_equal(r.good_days, 6);
    assert_int_equal(r.heavy_days, 3);
    assert_int_equal(r.severe_days, 1);
    assert_int_equal(r.good_ratio_x10, 545);  /* 6/11 = 54.545 % → 54.5 */
    assert_int_equal(r.heavy_ratio_x10, 273); /* 3/11 = 27.27 % → 27.3 */
    assert_int_equal(r.severe_ratio_x10, 91); /* 1/11 = 9.09 % → 9.1 */
    assert_int_equal(r.primary_days[AIRQ_PM25], 5);
    assert_int_equal(r.level_days[0], 6);
    assert_int_equal(r.level_days[2], 2);
    assert_int_equal(r.level_days[4], 2);
    assert_int_equal(r.level_days[5], 1);

    /* Across 2026-03-01: PM2.5 70 is good under HJ 633—2012 (IAQI 94) and not under
     * HJ 633—2026 (100 + 10·50/55 = 109.1 → 110). */
    f = D(2026, 2, 27);
    for (int i = 0; i < 4; i++) {
        days[i] = clean(70);
        airq_day_index(&days[i], f + i, &o);
    }
    assert_int_equal(airq_assess(days, f, f + 3, &o, NULL, scratch, &r), 0);
    assert_int_equal(r.days_by_edition[0], 2);
    assert_int_equal(r.days_by_edition[1], 2);
    assert_int_equal(r.good_days, 2);
    assert_int_equal(r.limits_edition, AIRQ_ED_2026);
}

static void targets_for_a_year_in_progress(void **state)
{
    (void)state;
    static airq_day days[273];
    static int32_t scratch[273];
    static airq_report r;
    airq_opts o;
    airq_opts_default(&o);
    /* 2025-01-01 … 09-30 = 273 days, PM2.5 mean 42: 2 days at 160 (heavy), 236 at 41, 35 at
     * 42 (sum 11 466 = 42 × 273). Remaining 92 days, assumed valid: the annual mean may reach
     * 40.5 (rounds to 40, even), so the rest may average (40.5 × 365 − 11 466)/92
     * = 3316.5/92 = 36.0489 → 36.04 (rounded down). Good-day target 66.5 % of 365: 243 days
     * (242/365 = 66.3 %); heavy ≤ 1.2 %: 4 days (5/365 = 1.4 %). */
    int64_t f = D(2025, 1, 1);
    for (int i = 0; i < 273; i++) {
        days[i] = clean(i < 2 ? 160 : i < 238 ? 41 : 42);
        airq_day_index(&days[i], f + i, &o);
    }
    airq_targets t = {.pm25_ugm3 = 40, .good_ratio_x10 = 665, .heavy_ratio_x10 = 12};
    assert_int_equal(airq_assess(days, f, D(2025, 9, 30), &o, &t, scratch, &r), 0);
    assert_int_equal(r.s[AIRQ_PM25].mean, UG(42));
    assert_false(r.pm25_target_met);
    assert_true(r.progress.in_progress);
    assert_int_equal(r.progress.remaining_days, 92);
    assert_int_equal(r.progress.pm25_rest_max_x100, 3604);
    assert_true(r.progress.pm25_reachable);
    assert_int_equal(r.progress.good_needed_total, 243);
    assert_int_equal(r.good_days, 271);
    assert_int_equal(r.progress.good_still_needed, 0);
    assert_int_equal(r.progress.heavy_allowed_total, 4);
    assert_int_equal(r.progress.heavy_still_allowed, 2);
    /* A whole year is not in progress. */
    assert_int_equal(airq_assess(days, f, f + 272, &o, &t, scratch, &r), 0);
    f = D(2024, 1, 1);
    assert_int_equal(airq_assess(days, f, f + 272, &o, &t, scratch, &r), 0);
    /* 2024 is a leap year: 366 − 273 = 93 days remain; 243.39 → 244 good days needed */
    assert_int_equal(r.progress.remaining_days, 93);
    assert_int_equal(r.progress.good_needed_total, 244);
}

/* Targets met exactly at the line: a ratio equal to the target meets it (the plan says
 * "达到" and "不超过"), as does a PM2.5 mean equal to the target. */
static void targets_met_at_the_line(void **state)
{
    (void)state;
    static airq_day days[273];
    static int32_t scratch[273];
    static airq_report r;
    airq_opts o;
    airq_opts_default(&o);
    airq_targets t = {.pm25_ugm3 = 40, .good_ratio_x10 = 665, .heavy_ratio_x10 = 12};
    int64_t f = D(2025, 1, 1);

    /* A year in progress to 09-30 with 108 valid days: 108 + 92 remaining = 200 expected
     * valid days, of which 133 good days give exactly 66.5 %; 250 (158 valid) allow exactly
     * 3 heavy days (1.2 %). */
    for (int i = 0; i < 273; i++) {
        days[i] = clean(i < 108 ? 30 : -1);
        airq_day_index(&days[i], f + i, &o);
    }
    assert_int_equal(airq_assess(days, f, D(2025, 9, 30), &o, &t, scratch, &r), 0);
    assert_int_equal(r.valid_days, 108);
    assert_int_equal(r.progress.expected_valid_days, 200);
    assert_int_equal(r.progress.good_needed_total, 133);
    for (int i = 0; i < 273; i++) {
        days[i] = clean(i < 158 ? 30 : -1);
        airq_day_index(&days[i], f + i, &o);
    }
    assert_int_equal(airq_assess(days, f, D(2025, 9, 30), &o, &t, scratch, &r), 0);
    assert_int_equal(r.progress.expected_valid_days, 250);
    assert_int_equal(r.progress.heavy_allowed_total, 3);

    /* A finished period of 200 days: 133 good of 200 = 66.5 % meets the target, 132 does not;
     * 3 heavy of 250 = 1.2 % meets its target, 4 does not. */
    f = D(2025, 3, 1);
    for (int good = 133; good >= 132; good--) {
        for (int i = 0; i < 200; i++) {
            days[i] = clean(i < good ? 30 : 100);
            airq_day_index(&days[i], f + i, &o);
        }
        assert_int_equal(airq_assess(days, f, f + 199, &o, &t, scratch, &r), 0);
        assert_int_equal(r.good_ratio_x10, good == 133 ? 665 : 660);
        assert_int_equal(r.good_target_met, good == 133);
    }
    for (int heavy = 3; heavy <= 4; heavy++) {
        for (int i = 0; i < 250; i++) {
            days[i] = clean(i < heavy ? 160 : 30);
            airq_day_index(&days[i], f + i, &o);
        }
        assert_int_equal(airq_assess(days, f, f + 249, &o, &t, scratch, &r), 0);
        assert_int_equal(r.heavy_ratio_x10, heavy == 3 ? 12 : 16);
        assert_int_equal(r.heavy_target_met, heavy == 3);
    }
    /* PM2.5 mean exactly 40 meets a target of 40. */
    for (int i = 0; i < 10; i++) {
        days[i] = clean(i < 5 ? 30 : 50);
        airq_day_index(&days[i], f + i, &o);
    }
    assert_int_equal(airq_assess(days, f, f + 9, &o, &t, scratch, &r), 0);
    assert_int_equal(r.s[AIRQ_PM25].mean, UG(40));
    assert_true(r.pm25_target_met);
}

static void zone_from_days_or_from_hours(void **state)
{
    (void)state;
    static hours1 a, b;
    static int32_t zh[AIRQ_NPOLL][48];
    airq_opts o;
    airq_opts_default(&o);
    hours_missing(&a);
    hours_missing(&b);
    /* S1: PM2.5 80 at all 24 labels; S2: 90 at labels 01 … 10 only (10 < 20 hours). */
    for (int i = 1; i <= 24; i++)
        a.v[AIRQ_PM25][i] = UG(80);
    for (int i = 1; i <= 10; i++)
        b.v[AIRQ_PM25][i] = UG(90);
    int64_t day = D(2025, 1, 10);
    airq_day da = one_day(&a, day, &o), db = one_day(&b, day, &o), z;
    assert_int_equal(db.c[AIRQ_PM25], AIRQ_MISSING);
    /* From station days: only S1 is valid → 80. */
    const airq_day *st[2] = {&da, &db};
    airq_aggregate(st, 2, 1, day, &o, &z);
    assert_int_equal(z.c[AIRQ_PM25], UG(80));
    assert_int_equal(z.hours[AIRQ_PM25], 1);
    /* From zone hours: 10 hours of (80 + 90)/2 = 85 and 14 of 80 → 1970/24 = 82.08 → 82. */
    airq_hourly ha = {.day0 = day, .ndays = 1}, hb = {.day0 = day, .ndays = 1};
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        ha.v[p] = a.v[p];
        hb.v[p] = b.v[p];
    }
    const airq_hourly *hs[2] = {&ha, &hb};
    int32_t *out[AIRQ_NPOLL];
    for (int p = 0; p < AIRQ_NPOLL; p++)
        out[p] = zh[p];
    airq_zone_hours(hs, 2, out);
    assert_int_equal(zh[AIRQ_PM25][1], UG(85));
    assert_int_equal(zh[AIRQ_PM25][11], UG(80));
    assert_int_equal(zh[AIRQ_PM25][0], AIRQ_MISSING);
    airq_hourly hz = {.day0 = day, .ndays = 1};
    for (int p = 0; p < AIRQ_NPOLL; p++)
        hz.v[p] = zh[p];
    airq_days(&hz, &o, &z);
    assert_int_equal(z.c[AIRQ_PM25], UG(82));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limits_of_both_editions),
        cmocka_unit_test(percentile_formula_on_small_n),
        cmocka_unit_test(daily_mean_needs_20_hours),
        cmocka_unit_test(daily_mean_rounds_half_to_even),
        cmocka_unit_test(o3_daily_max_8h_windows),
        cmocka_unit_test(daily_aqi_by_edition_of_the_day),
        cmocka_unit_test(period_validity_february_and_year),
        cmocka_unit_test(annual_statistics_and_composite_index),
        cmocka_unit_test(good_heavy_days_and_ratios),
        cmocka_unit_test(targets_for_a_year_in_progress),
        cmocka_unit_test(targets_met_at_the_line),
        cmocka_unit_test(zone_from_days_or_from_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
