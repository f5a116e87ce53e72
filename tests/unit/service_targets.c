/* Tests of src/service/targets: where the shipped plan's air targets stand, computed from
 * hourly values in a real SQLite store (written through store.h, read through read.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/air.h"
#include "service/plan.h"
#include "service/targets.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"

#define SHIPPED TEST_DATA_DIR "/../../data/plan/" PLAN_DEFAULT_FILE

/* One station, `days` days from 2025-06-01 Beijing time, every hour the same: SO2 5, NO2 10,
 * PM10 20, CO 0.3, O3 50 and PM2.5 pm25 (µg/m³, CO mg/m³). PM2.5 15 gives AQI ≤ 50 (good) each
 * day; 80 gives IAQI 100 + 50·5/40 = 106.25 → 107 (light, not good, not heavy); 180 gives
 * 200 + 100·30/100 = 230 (heavy). */
static void fill(store *s, double pm25, int days)
{
    char err[256];
    store_site st = {.mn = "AIR0001", .pw = "123456", .kind = "air", .name = "S1",
                     .town = "T1", .lon = NAN, .lat = NAN};
    int64_t id = 0;
    assert_true(store_site_put(s, &st, &id, err, sizeof err) >= 0);
    const double v[AIRQ_NPOLL] = {5, 10, 20, 0.3, 50, pm25};
    int64_t t0 = ew_bj_day_start(ew_days_from_civil(2025, 6, 1));
    for (int h = 0; h < days * 24; h++)
        for (int p = 0; p < AIRQ_NPOLL; p++) {
            store_hour hr = {.site_id = id, .param = airq_hj212_codes[p], .hour_utc = t0 + h * 3600,
                             .value = v[p], .min = v[p], .max = v[p], .n_min = 60,
                             .n_valid = 60, .flag = "N"};
            if (store_hour_put(s, &hr, err, sizeof err) < 0)
                fail_msg("%s", err);
        }
}

static const targets_row *row(const targets_result *r, const char *statistic)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].t->statistic && !strcmp(r->rows[i].t->statistic, statistic))
            return &r->rows[i];
    fail_msg("no target %s", statistic);
    return NULL;
}

/* Computes the targets of 2025 as seen at now (UTC seconds) from a store filled with pm25
 * for `days` days (fill). */
static plan *compute_days(double pm25, int days, int64_t now, targets_result *res)
{
    tu_tmpdb db;
    store *s = tu_store_open(&db, "targets");
    assert_non_null(s);
    fill(s, pm25, days);
    char err[256];
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    if (!rd)
        fail_msg("%s", err);
    plan_error perr;
    plan *pl = plan_load_file(SHIPPED, &perr);
    assert_non_null(pl);
    if (targets_compute(rd, pl, 2025, AIRQ_ED_2012, now, res, err, sizeof err))
        fail_msg("%s", err);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
    return pl; /* the rows point into it: the caller frees it after targets_free */
}

static plan *compute(double pm25, int64_t now, targets_result *res)
{
    return compute_days(pm25, 4, now, res);
}

static void finished_year_judged_by_the_engine(void **state)
{
    (void)state;
    targets_result r;
    int64_t jan5_2026 = ew_bj_day_start(ew_days_from_civil(2026, 1, 5));
    /* Four good days: every air target met. */
    plan *pl = compute(15, jan5_2026, &r);
    assert_true(r.assessed);
    const targets_row *pm = row(&r, "airq.pm25_annual_mean");
    const targets_row *good = row(&r, "airq.good_days_ratio");
    const targets_row *heavy = row(&r, "airq.heavy_days_ratio");
    assert_true(pm->measured && good->measured && heavy->measured);
    assert_true(fabs(good->value - 100.0) < 1e-9);
    assert_int_equal(good->rest_kind, TARGETS_REST_NONE);
    assert_true(pm->on_track);
    assert_true(good->on_track);
    assert_true(heavy->on_track);
    assert_true(r.over);
    assert_int_equal(pm->status, TARGETS_MET);
    assert_int_equal(good->status, TARGETS_MET);
    assert_int_equal(heavy->status, TARGETS_MET);
    targets_free(&r);
    plan_free(pl);
    /* Four light days: PM2.5 80 > 40 and good 0 % < 66.5 % are missed; heavy 0 % is met. */
    pl = compute(80, jan5_2026, &r);
    pm = row(&r, "airq.pm25_annual_mean");
    good = row(&r, "airq.good_days_ratio");
    heavy = row(&r, "airq.heavy_days_ratio");
    assert_true(fabs(pm->value - 80.0) < 1e-9);
    assert_true(fabs(good->value - 0.0) < 1e-9);
    assert_false(pm->on_track);
    assert_false(good->on_track);
    assert_true(heavy->on_track);
    assert_int_equal(pm->status, TARGETS_MISSED);
    assert_int_equal(good->status, TARGETS_MISSED);
    assert_int_equal(heavy->status, TARGETS_MET);
    targets_free(&r);
    plan_free(pl);
}

static void year_in_progress_says_what_the_rest_needs(void **state)
{
    (void)state;
    targets_result r;
    /* Seen on 2025-06-05: 4 days assessed (06-01 … 06-04 have data, the days before none). */
    plan *pl = compute(80, ew_bj_day_start(ew_days_from_civil(2025, 6, 5)) + 3600, &r);
    assert_true(r.has_as_of);
    assert_int_equal(r.as_of_day, ew_days_from_civil(2025, 6, 4));
    const targets_row *pm = row(&r, "airq.pm25_annual_mean");
    const targets_row *good = row(&r, "airq.good_days_ratio");
    assert_int_equal(pm->rest_kind, TARGETS_REST_MEAN);
    assert_int_equal(good->rest_kind, TARGETS_REST_DAYS);
    assert_true(pm->on_track); /* 4 days at 80 leave the rest plenty of room */
    assert_true(good->rest > 0);
    assert_false(r.over);
    /* ...but the projection (persistence: 80 all year) misses: a risk, not a success. */
    assert_int_equal(pm->status, TARGETS_AT_RISK);
    assert_int_equal(good->status, TARGETS_AT_RISK);
    assert_int_equal(row(&r, "airq.heavy_days_ratio")->status, TARGETS_ON_TRACK);
    assert_string_equal(targets_status_name(pm->status), "at_risk");
    targets_free(&r);
    plan_free(pl);
}

/* Each status of a year in progress, and no data as no data. */
static void year_in_progress_status(void **state)
{
    (void)state;
    targets_result r;
    int64_t jun7 = ew_bj_day_start(ew_days_from_civil(2025, 6, 7)) + 3600;
    /* Six good days: every projection meets its target. */
    plan *pl = compute_days(15, 6, jun7, &r);
    assert_int_equal(row(&r, "airq.pm25_annual_mean")->status, TARGETS_ON_TRACK);
    assert_int_equal(row(&r, "airq.good_days_ratio")->status, TARGETS_ON_TRACK);
    assert_int_equal(row(&r, "airq.heavy_days_ratio")->status, TARGETS_ON_TRACK);
    assert_string_equal(targets_status_name(TARGETS_ON_TRACK), "on_track");
    targets_free(&r);
    plan_free(pl);
    /* Six heavy days: 1.2 % of 365 allows 4, so the heavy-day target can no longer be met,
     * while PM2.5 and good days miss their projection but can still be made up. */
    pl = compute_days(180, 6, jun7, &r);
    const targets_row *heavy = row(&r, "airq.heavy_days_ratio");
    assert_false(heavy->on_track);
    assert_int_equal(heavy->status, TARGETS_CANNOT);
    assert_string_equal(targets_status_name(heavy->status), "cannot");
    assert_int_equal(row(&r, "airq.pm25_annual_mean")->status, TARGETS_AT_RISK);
    assert_int_equal(row(&r, "airq.good_days_ratio")->status, TARGETS_AT_RISK);
    /* A target measured by nothing in this store (dust fall) has no data. */
    const targets_row *dust = row(&r, "dust.dustfall_monthly_mean");
    assert_false(dust->measured);
    assert_int_equal(dust->status, TARGETS_NO_DATA);
    assert_string_equal(targets_status_name(dust->status), "no_data");
    targets_free(&r);
    plan_free(pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finished_year_judged_by_the_engine),
        cmocka_unit_test(year_in_progress_says_what_the_rest_needs),
        cmocka_unit_test(year_in_progress_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
