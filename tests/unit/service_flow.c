/* Tests of src/service/flow: CSV intake with line errors, a section's compliance over the
 * year so far, and the plan's eco-flow target, on a real SQLite store.
 *
 * Figures worked by hand, seen on 2025-01-11 (ten complete days, 1–10 January):
 *   CH01 base 0.500 m³/s: 7 days above, 1 day exactly 0.500 (meets: ≥), 1 day 0.499, 1 day
 *        exempt → 9 valid, 8 compliant → 8 / 9 = 88.889 %
 *   QL02 base 0.300: 9 days at 0.300, 5 January missing → 9 valid, 9 compliant → 100 %
 *   The plan's ≥ 90 % read section by section: the lowest, 88.889, is below: not on track.
 *   Seen on 2025-01-05 (four complete days, all compliant for both): 100 %, on track. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/flow.h"
#include "service/plan.h"
#include "service/targets.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"
#include "tu_targets.h"

static const char sections_csv[] = "code,name,base_m3s\n"
                                   "CH01,潮河经开区出境,0.500\n"
                                   "QL02,七里河,0.3\n"
                                   "BAD,x,0\n"
                                   "BAD2,x,0.0005\n";

static const char days_csv[] = "section,date,mean_m3s,exempt\n"
                               "CH01,2025-01-01,0.612,0\n"
                               "CH01,2025-01-02,0.700,0\n"
                               "CH01,2025-01-03,0.500,0\n"
                               "CH01,2025-01-04,0.650,0\n"
                               "CH01,2025-01-05,0.499,0\n"
                               "CH01,2025-01-06,0.100,1\n"
                               "CH01,2025-01-07,0.800,0\n"
                               "CH01,2025-01-08,0.810,0\n"
                               "CH01,2025-01-09,0.820,0\n"
                               "CH01,2025-01-10,0.830,0\n"
                               "CH01,2025-01-11,0.100,0\n" /* today: not complete */
                               "QL02,2025-01-01,0.300,0\n"
                               "QL02,2025-01-02,0.300,0\n"
                               "QL02,2025-01-03,0.300,0\n"
                               "QL02,2025-01-04,0.300,0\n"
                               "QL02,2025-01-06,0.300,0\n"
                               "QL02,2025-01-07,0.300,0\n"
                               "QL02,2025-01-08,0.300,0\n"
                               "QL02,2025-01-09,0.300,0\n"
                               "QL02,2025-01-10,0.300,0\n"
                               "QL02,2025-1-10,0.300,0\n"
                               "QL02,2025-01-10,-1,0\n"
                               "QL02,2025-01-10,0.3001,0\n"
                               "QL02,2025-01-10,0.3,2\n";

typedef struct fixture {
    tu_tmpdb db;
    store *s;
    ew_reader *rd;
} fixture;

static void count_error(void *ctx, int line, const char *msg)
{
    int *e = ctx;
    assert_true(msg[0] != 0 && line > 1);
    e[e[0] + 1 < 8 ? ++e[0] : 0] = line;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->s = tu_store_open(&f->db, "flow");
    assert_non_null(f->s);
    char err[256];
    int e[8] = {0}, stored = -1, bad = -1;
    assert_int_equal(flow_import_sections(f->s, sections_csv, strlen(sections_csv), count_error, e,
                                          &stored, &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 2);
    assert_int_equal(bad, 2);
    assert_int_equal(e[1], 4);
    assert_int_equal(e[2], 5);
    memset(e, 0, sizeof e);
    assert_int_equal(flow_import_days(f->s, days_csv, strlen(days_csv), count_error, e, &stored,
                                      &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 20);
    assert_int_equal(bad, 4);
    static const int want[] = {22, 23, 24, 25};
    for (int i = 0; i < 4; i++)
        assert_int_equal(e[i + 1], want[i]);
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

typedef struct years {
    flow_section_year y[4];
    int n;
} years;

static int keep(void *ctx, const flow_section_year *y)
{
    years *ys = ctx;
    if (ys->n < 4)
        ys->y[ys->n++] = *y;
    return 0;
}

static void each_section_has_its_rate_of_the_complete_days(void **state)
{
    fixture *f = *state;
    char err[256];
    years ys = {.n = 0};
    int64_t last = 0, now = ew_bj_day_start(ew_days_from_civil(2025, 1, 11)) + 12 * 3600;
    assert_int_equal(flow_year_each(f->rd, 2025, now, &last, keep, &ys, err, sizeof err), 0);
    assert_int_equal(last, ew_days_from_civil(2025, 1, 10));
    assert_int_equal(ys.n, 2);
    assert_string_equal(ys.y[0].code, "CH01");
    assert_string_equal(ys.y[0].name, "潮河经开区出境");
    assert_int_equal(ys.y[0].base_milli, 500);
    assert_int_equal(ys.y[0].rate.days, 10);
    assert_int_equal(ys.y[0].rate.valid, 9);
    assert_int_equal(ys.y[0].rate.compliant, 8);
    assert_int_equal(ys.y[0].rate.exempt, 1);
    assert_int_equal(ys.y[0].rate.rate_milli, 88889);
    assert_int_equal(ys.y[1].rate.missing, 1);
    assert_int_equal(ys.y[1].rate.compliant, 9);
    assert_int_equal(ys.y[1].rate.rate_milli, 100000);
    /* On 1 January no day is complete yet: nothing rated. */
    ys.n = 0;
    int64_t jan1 = ew_bj_day_start(ew_days_from_civil(2025, 1, 1)) + 3600;
    assert_int_equal(flow_year_each(f->rd, 2025, jan1, &last, keep, &ys, err, sizeof err), 0);
    assert_true(last == INT64_MIN);
    assert_int_equal(ys.y[0].rate.rate_milli, ECOFLOW_NA);
    double v = -1;
    assert_int_equal(
        flow_statistic(f->rd, "water.eco_flow_compliance", NULL, 2025, jan1, &v, err, sizeof err),
        0);
    assert_true(v == -1);
}

static void plan_row_takes_the_lowest_section(void **state)
{
    fixture *f = *state;
    int64_t jan11 = ew_bj_day_start(ew_days_from_civil(2025, 1, 11)) + 12 * 3600;
    int64_t jan5 = ew_bj_day_start(ew_days_from_civil(2025, 1, 5)) + 12 * 3600;
    tu_expect_target(f->rd, "water.eco_flow_compliance", jan11, 88.889, false);
    tu_expect_target(f->rd, "water.eco_flow_compliance", jan5, 100, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_section_has_its_rate_of_the_complete_days, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(plan_row_takes_the_lowest_section, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
