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

/* One station, 2025-06-01 … 06-04 Beijing time, every hour the same: SO2 5, NO2 10, PM10 20,
 * CO 0.3, O3 50 and PM2.5 pm25 (µg/m³, CO mg/m³). PM2.5 15 gives AQI ≤ 50 (good) each day;
 * 80 gives IAQI 100 + 50·5/40 = 106.25 → 107 (light, not good, not heavy). */
static void fill(store *s, double pm25)
{
    char err[256];
    store_site st = {.mn = "AIR0001", .pw = "123456", .kind = "air", .name = "S1",
                     .town = "T1", .lon = NAN, .lat = NAN};
    int64_t id = 0;
    assert_true(store_site_put(s, &st, &id, err, sizeof err) >= 0);
    const double v[AIRQ_NPOLL] = {5, 10, 20, 0.3, 50, pm25};
    int64_t t0 = ew_bj_day_start(ew_days_from_civil(2025, 6, 1));
    for (int h = 0; h < 4 * 24; h++)
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

/* Computes the targets of 2025 as seen at now (UTC seconds) from a store filled with pm25. */
static plan *compute(double pm25, int64_t now, targets_result *res)
{
    tu_tmpdb db;
    store *s = tu_store_open(&db, "targets");
    assert_non_null(s);
    fill(s, pm25);
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
    targets_free(&r);
    plan_free(pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finished_year_judged_by_the_engine),
        cmocka_unit_test(year_in_progress_says_what_the_rest_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
