/* Tests of src/service/dust: CSV intake with line errors, a month's points and area mean,
 * the year's mean of monthly means and the plan's dust-fall target, on a real SQLite store.
 *
 * Figures worked by hand (HJ 1221-2021, M = (m1 − m0 − m2) / S × 30 / n): a jar of inner
 * diameter 15.00 cm has S = π × 150² / 4 = 17 671 mm² (to the mm²).
 *   P1 March: 0.1250 g net over 30 d → 125 000 µg / 17 671 mm² = 7.0737 → 7.074
 *   P2 March: 0.0850 g net over 695 h 40 min, 696 h (29 d) to the nearest hour
 *             → 85 000 / 17 671 × 30 / 29 = 4.9760 → 4.976
 *   P3 March: a control point (1.415), left out of the mean
 *   P4 March: marked invalid; P5 March: exposed 20 d, outside 28–32 d: both rejected
 *   March mean (7.074 + 4.976) / 2 = 6.025; April P1 0.2000 g → 11.318
 *   Year so far (seen 2025-04-20): (6.025 + 11.318) / 2 = 8.6715 → 8.672 (half-even on
 *   thousandths: 8671.5 → 8672), above the plan's 7: not on track. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/dust.h"
#include "service/plan.h"
#include "service/targets.h"
#include "store/dust.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"
#include "tu_lines.h"
#include "tu_targets.h"

static const char samples_csv[] =
    "point,month,placed,collected,diameter_cm,m0_g,m1_g,m2_g,invalid,control\n"
    "P1,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,50.1300,0.0050,0,0\n"
    "P2,2025-03,2025-03-01 09:00,2025-03-30 08:40,15.00,48.0000,48.0900,0.0050,0,0\n"
    "P3,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,48.0000,48.0300,0.0050,0,1\n"
    "P4,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,48.0000,48.9000,0.0050,1,0\n"
    "P5,2025-03,2025-03-01 09:00,2025-03-21 09:00,15.00,48.0000,48.0900,0.0050,0,0\n"
    "P1,2025-04,2025-03-31 09:00,2025-04-30 09:00,15.00,50.0000,50.2050,0.0050,0,0\n"
    "P6,2025-13,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,50.1300,0.0050,0,0\n"
    "P6,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,49.1300,0.0050,0,0\n"
    "\n"
    "P6,2025-03,2025-03-31 09:00,2025-03-01 09:00,15.00,50.0000,50.1300,0.0050,0,0\n"
    "P6,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.005,50.0000,50.1300,0.0050,0,0\n"
    "P6,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,50.1300,0.0050,2,0\n"
    "P6,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,50.1300,0.0050,0\n";

/* Every test starts from the samples above imported into a fresh store, and a reader. */
typedef struct fixture {
    tu_tmpdb db;
    store *s;
    ew_reader *rd;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->s = tu_store_open(&f->db, "dust");
    assert_non_null(f->s);
    char err[256];
    tu_line_errs e = {.n = 0};
    int stored = -1, bad = -1;
    assert_int_equal(dust_import(f->s, samples_csv, strlen(samples_csv), tu_on_line_error, &e,
                                 &stored, &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 6);
    assert_int_equal(bad, 6);
    static const int want[] = {8, 9, 11, 12, 13, 14};
    for (int i = 0; i < 6; i++)
        assert_int_equal(e.lines[i], want[i]);
    assert_non_null(strstr(e.first, "month"));
    f->rd = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(f->rd);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ew_read_close(f->rd);
    int rc = tu_store_close(&f->db, f->s);
    free(f);
    return rc;
}

static int count_sample(void *ctx, const dust_sample_row *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static void bad_lines_are_reported_and_reimport_replaces(void **state)
{
    fixture *f = *state;
    char err[256];
    int stored, bad;
    assert_int_equal(dust_import(f->s, samples_csv, strlen(samples_csv), NULL, NULL, &stored, &bad,
                                 err, sizeof err),
                     0);
    /* Read back as the assessment reads it: six samples of any month, not twelve. */
    int n = 0;
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(rd);
    assert_int_equal(dust_samples_each(rd, 0, 999912, count_sample, &n, err, sizeof err), 0);
    ew_read_close(rd);
    assert_int_equal(n, 6);
}

typedef struct points {
    dust_point p[8];
    int n;
} points;

static int collect(void *ctx, const dust_point *p)
{
    points *ps = ctx;
    if (ps->n < 8)
        ps->p[ps->n++] = *p;
    return 0;
}

static void a_month_has_every_point_with_its_value_or_why_not(void **state)
{
    fixture *f = *state;
    ew_reader *rd = f->rd;
    char err[256];
    points ps = {.n = 0};
    assert_int_equal(dust_points_each(rd, 2025, 3, collect, &ps, err, sizeof err), 0);
    assert_int_equal(ps.n, 5);
    assert_string_equal(ps.p[0].point, "P1");
    assert_int_equal(ps.p[0].value_milli, 7074);
    assert_int_equal(ps.p[0].exposure_h, 720);
    assert_int_equal(ps.p[1].value_milli, 4976);
    assert_int_equal(ps.p[1].exposure_h, 696);
    assert_true(ps.p[2].control);
    assert_int_equal(ps.p[3].value_milli, DUSTFALL_NA);
    assert_non_null(strstr(ps.p[3].why, "invalid"));
    assert_int_equal(ps.p[4].value_milli, DUSTFALL_NA);
    assert_non_null(strstr(ps.p[4].why, "exposure"));
}

static void the_year_is_the_mean_of_monthly_means(void **state)
{
    fixture *f = *state;
    ew_reader *rd = f->rd;
    char err[256];
    dust_year y;
    int64_t apr20 = ew_bj_day_start(ew_days_from_civil(2025, 4, 20));
    assert_int_equal(dust_year_of(rd, 2025, apr20, &y, err, sizeof err), 0);
    assert_int_equal(y.last_month, 4);
    assert_int_equal(y.months[0].mean_milli, DUSTFALL_NA);
    assert_int_equal(y.months[2].mean_milli, 6025);
    assert_int_equal(y.months[2].max_milli, 7074);
    assert_int_equal(y.months[2].min_milli, 4976);
    assert_int_equal(y.months[2].sites, 5);
    assert_int_equal(y.months[2].used, 2);
    assert_int_equal(y.months[2].rejected, 2);
    assert_int_equal(y.months[2].controls, 1);
    assert_int_equal(y.months[3].mean_milli, 11318);
    assert_int_equal(y.months_with_value, 2);
    assert_int_equal(y.annual_milli, 8672);

    /* Seen in March, April is not yet part of the year. */
    int64_t mar20 = ew_bj_day_start(ew_days_from_civil(2025, 3, 20));
    assert_int_equal(dust_year_of(rd, 2025, mar20, &y, err, sizeof err), 0);
    assert_int_equal(y.last_month, 3);
    assert_int_equal(y.months[3].mean_milli, DUSTFALL_NA);
    assert_int_equal(y.annual_milli, 6025);

    /* A year without samples has no value. */
    double v = -1;
    assert_int_equal(
        dust_statistic(rd, "dust.dustfall_monthly_mean", NULL, 2024, apr20, &v, err, sizeof err),
        0);
    assert_true(v == -1);
    assert_int_equal(dust_statistic(rd, "dust.other", NULL, 2025, apr20, &v, err, sizeof err), 0);
}

static void plan_row_judges_the_dust_target(void **state)
{
    fixture *f = *state;
    int64_t mar20 = ew_bj_day_start(ew_days_from_civil(2025, 3, 20));
    int64_t apr20 = ew_bj_day_start(ew_days_from_civil(2025, 4, 20));
    tu_expect_target(f->rd, "dust.dustfall_monthly_mean", mar20, 6.025, true);
    tu_expect_target(f->rd, "dust.dustfall_monthly_mean", apr20, 8.672, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bad_lines_are_reported_and_reimport_replaces, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_month_has_every_point_with_its_value_or_why_not, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_year_is_the_mean_of_monthly_means, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_row_judges_the_dust_target, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
