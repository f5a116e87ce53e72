/* Tests of src/service/blackwater: the black-odorous list and samplings in by CSV (bad lines
 * named), each body graded from its latest campaign by the 2015 guide
 * (standards/blackodor.h), and the plan's built-up target, on a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/blackwater.h"
#include "service/plan.h"
#include "service/targets.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"
#include "tu_lines.h"
#include "tu_targets.h"

static const char bodies_csv[] = "code,name,area\n"
                                 "B1,一号沟渠,built_up\n"
                                 "B2,二号坑塘,built_up\n"
                                 "B3,三号沟渠,rural\n"
                                 "B4,四号,city\n";

/* B1: in January three points, each sampled three times with DO 0.1 (heavy: < 0.2): every
 * point heavy, the body heavy. In June the same points are clean (the campaign of June is
 * more than 30 days after January's, so January no longer counts). B2: three points once
 * each in January with NH3-N 10 (light: 8.0–15): light, too few samplings. B3 (rural):
 * heavy, never in the built-up count. Lines 18–21 are bad. */
static const char samples_csv[] = "body,point,seq,time,sd_cm,do,orp_mv,nh3n,depth_cm\n"
                                  "B1,P1,1,2025-01-05,30,0.1,-100,5,80\n"
                                  "B1,P1,1,2025-01-08,30,0.1,-100,5,80\n"
                                  "B1,P1,1,2025-01-11,30,0.1,-100,5,80\n"
                                  "B1,P2,2,2025-01-05,30,0.1,,5,80\n"
                                  "B1,P2,2,2025-01-08,30,0.1,,5,80\n"
                                  "B1,P2,2,2025-01-11,30,0.1,,5,80\n"
                                  "B1,P3,3,2025-01-05,,0.1,-100,5,\n"
                                  "B1,P3,3,2025-01-08,,0.1,-100,5,\n"
                                  "B1,P3,3,2025-01-11,,0.1,-100,5,\n"
                                  "B1,P1,1,2025-06-05,40,5,100,1,80\n"
                                  "B1,P2,2,2025-06-05,40,5,100,1,80\n"
                                  "B1,P3,3,2025-06-05,40,5,100,1,80\n"
                                  "B2,Q1,1,2025-01-20,40,5,100,10,80\n"
                                  "B2,Q2,2,2025-01-20,40,5,100,10,80\n"
                                  "B2,Q3,3,2025-01-20,40,5,100,10,80\n"
                                  "B3,R1,1,2025-01-20,5,0.1,-300,20,80\n"
                                  "B1,P1,x,2025-01-05,30,0.1,-100,5,80\n"
                                  "B1,P1,1,2025-01-05,,,,,80\n"
                                  "B1,P1,1,2025-01-05,30,-1,-100,5,80\n"
                                  "B1,P1,1,2025-13-05,30,1,-100,5,80\n";

typedef struct seen {
    blackwater_body b[4];
    int n;
} seen;

static int collect(void *ctx, const blackwater_body *b)
{
    seen *v = ctx;
    if (v->n < 4)
        v->b[v->n++] = *b;
    return 0;
}

static void bodies_are_graded_from_their_latest_campaign(void **state)
{
    (void)state;
    tu_tmpdb db;
    store *s = tu_store_open(&db, "black");
    assert_non_null(s);
    char err[256];
    tu_line_errs e = {.n = 0};
    int stored = -1, bad = -1;
    assert_int_equal(blackwater_import_bodies(s, bodies_csv, strlen(bodies_csv), tu_on_line_error,
                                              &e, &stored, &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 3);
    assert_int_equal(bad, 1);
    assert_int_equal(e.lines[0], 5);
    assert_non_null(strstr(e.first, "area"));
    e.n = 0;
    assert_int_equal(blackwater_import_samples(s, samples_csv, strlen(samples_csv),
                                               tu_on_line_error, &e, &stored, &bad, err,
                                               sizeof err),
                     0);
    assert_int_equal(stored, 16);
    assert_int_equal(bad, 4);
    assert_int_equal(e.lines[0], 18);
    assert_non_null(strstr(e.first, "seq"));
    assert_int_equal(e.lines[3], 21);

    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t feb1 = ew_bj_day_start(ew_days_from_civil(2025, 2, 1));
    int64_t jul1 = ew_bj_day_start(ew_days_from_civil(2025, 7, 1));
    seen v = {.n = 0};
    assert_int_equal(blackwater_year_each(rd, 2025, feb1, collect, &v, err, sizeof err), 0);
    assert_int_equal(v.n, 3);
    assert_true(v.b[0].graded);
    assert_int_equal(v.b[0].grade.level, BLACKODOR_HEAVY);
    assert_int_equal(v.b[0].grade.points, 3);
    assert_int_equal(v.b[0].grade.heavy_points, 3);
    assert_int_equal(v.b[0].samplings, 9);
    assert_true(v.b[0].enough);
    assert_int_equal(v.b[1].grade.level, BLACKODOR_LIGHT);
    assert_false(v.b[1].enough); /* one sampling a point; the guide asks for three */
    assert_true(v.b[2].rural);
    assert_int_equal(v.b[2].grade.level, BLACKODOR_HEAVY);

    v.n = 0;
    assert_int_equal(blackwater_year_each(rd, 2025, jul1, collect, &v, err, sizeof err), 0);
    assert_int_equal(v.b[0].grade.level, BLACKODOR_NONE);
    assert_int_equal(v.b[0].samplings, 3);
    assert_int_equal(v.b[1].grade.level, BLACKODOR_LIGHT);

    /* The plan's target ≤ 0: B1 and B2 in February, B2 alone in July; B3 is rural. */
    tu_expect_target(rd, "water.black_odorous_bodies_built_up", feb1, 2, false);
    tu_expect_target(rd, "water.black_odorous_bodies_built_up", jul1, 1, false);
    double val = -1;
    int64_t jan1 = ew_bj_day_start(ew_days_from_civil(2025, 1, 1));
    assert_int_equal(blackwater_statistic(rd, "water.black_odorous_bodies_built_up", NULL, 2025,
                                          jan1, &val, err, sizeof err),
                     0); /* nothing sampled yet: no value */
    assert_true(val == -1);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bodies_are_graded_from_their_latest_campaign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
