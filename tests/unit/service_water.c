/* Tests of src/service/water: CSV intake with line errors, and the GB 3838 class of a
 * section's month from its results, on a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/plan.h"
#include "service/targets.h"
#include "service/water.h"
#include "store/read.h"
#include "store/store.h"
#include "store/water.h"
#include "testutil.h"
#include "tu_lines.h"
#include "tu_targets.h"

static const char sections_csv[] = "code,name,water,target\n"
                                   "CH01,潮河,river,IV\n"
                                   "QL02,七里河,river,V\n"
                                   "BAD,x,sea,II\n";

/* CH01 in March 2025: NH3-N 1.5 and 1.7 → mean 1.60 (Class V: IV ≤ 1.5 < 1.6 ≤ 2.0),
 * DO 6.1 (II). QL02: NH3-N 2.1 (> 2.0: 劣V). */
static int count_result(void *ctx, const water_sample_row *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static const char results_csv[] = "section,time,item,value,below_dl\n"
                                  "CH01,2025-03-05 10:00,NH3-N,1.5,0\n"
                                  "CH01,2025-03-20 10:00,NH3-N,1.7,0\n"
                                  "CH01,2025-03-20 10:00,DO,6.1,0\n"
                                  "CH01,2025-04-02 10:00,NH3-N,9,0\n"
                                  "QL02,2025-03-05,NH3-N,2.1,0\n"
                                  "QL02,2025-03-05,XX,1,0\n"
                                  "\n"
                                  "QL02,2025-03-05,TP,-1,0\n"
                                  "QL02,2025-03-05,TP,0.1\n";

static store *filled(tu_tmpdb *db)
{
    store *s = tu_store_open(db, "water");
    assert_non_null(s);
    char err[256];
    tu_line_errs e = {.n = 0};
    int stored = -1, bad = -1;
    assert_int_equal(water_import_sections(s, sections_csv, strlen(sections_csv), tu_on_line_error,
                                           &e, &stored, &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 2);
    assert_int_equal(bad, 1);
    assert_int_equal(e.lines[0], 4);
    e.n = 0;
    assert_int_equal(water_import_results(s, results_csv, strlen(results_csv), tu_on_line_error, &e,
                                          &stored, &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 5);
    assert_int_equal(bad, 3);
    assert_int_equal(e.lines[0], 7);
    assert_int_equal(e.lines[1], 9);
    assert_int_equal(e.lines[2], 10);
    return s;
}

static void bad_lines_are_reported_and_the_rest_stored(void **state)
{
    (void)state;
    tu_tmpdb db;
    store *s = filled(&db);
    /* Importing again replaces, adds nothing. */
    char err[256];
    int stored, bad;
    assert_int_equal(water_import_results(s, results_csv, strlen(results_csv), NULL, NULL, &stored,
                                          &bad, err, sizeof err),
                     0);
    /* Read back as the assessment reads it: five results, not ten. */
    int n = 0;
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    assert_int_equal(
        water_samples_each(rd, "CH01", 0, INT64_MAX, count_result, &n, err, sizeof err), 0);
    assert_int_equal(
        water_samples_each(rd, "QL02", 0, INT64_MAX, count_result, &n, err, sizeof err), 0);
    ew_read_close(rd);
    assert_int_equal(n, 5);
    assert_int_equal(tu_store_close(&db, s), 0);
}

static void nh3n_mean_1_6_is_class_v_and_2_1_is_worse_than_v(void **state)
{
    (void)state;
    tu_tmpdb db;
    store *s = filled(&db);
    char err[256];
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t from, to;
    water_period_bounds(2025, 3, &from, &to);
    water_period p;
    assert_int_equal(water_section_period(rd, "CH01", from, to, &p, err, sizeof err), 1);
    assert_int_equal(p.samples, 2);
    assert_int_equal(p.values.v[GB3838_NH3N], 1600000);
    assert_int_equal(p.result.item_cls[GB3838_DO], GB3838_CLASS_II);
    assert_int_equal(p.result.cls, GB3838_CLASS_V);
    assert_false(p.worse_v);
    assert_int_equal(p.target, GB3838_CLASS_IV);
    assert_false(p.result.meets_target);
    /* (1.60 − 1.5) / 1.5 = 0.0667 → 67 thousandths against the target class IV. */
    assert_int_equal(p.result.multiple_milli[GB3838_NH3N], 67);

    assert_int_equal(water_section_period(rd, "QL02", from, to, &p, err, sizeof err), 1);
    assert_int_equal(p.result.cls, GB3838_CLASS_WORSE_V);
    assert_true(p.worse_v);
    assert_false(p.result.meets_target);

    assert_int_equal(water_section_period(rd, "NOPE", from, to, &p, err, sizeof err), 0);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

static void a_year_takes_every_month(void **state)
{
    (void)state;
    tu_tmpdb db;
    store *s = filled(&db);
    char err[256];
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t from, to;
    water_period_bounds(2025, 0, &from, &to);
    water_period p;
    assert_int_equal(water_section_period(rd, "CH01", from, to, &p, err, sizeof err), 1);
    /* (1.5 + 1.7 + 9) / 3 = 4.066… → 4.07 (two decimals for NH3-N). */
    assert_int_equal(p.values.v[GB3838_NH3N], 4070000);
    assert_int_equal(p.result.cls, GB3838_CLASS_WORSE_V);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

/* The plan's "劣V sections ≤ 0" target, seen on 2025-03-25: QL02 is 劣V so far (1 section),
 * CH01 (mean NH3-N 1.60, Class V) is not: value 1, not on track. */
static void plan_row_counts_worse_than_v_sections(void **state)
{
    (void)state;
    tu_tmpdb db;
    store *s = filled(&db);
    char err[256];
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t now = ew_bj_day_start(ew_days_from_civil(2025, 3, 25));
    tu_expect_target(rd, "water.worse_than_v_sections", now, 1, false);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

/* Eco-compensation sections, seen on 2025-04-20: CH01 (target IV) is Class V in March
 * (NH3-N 1.6) and Class II in April (NH3-N 0.4): a good April does not make up for March,
 * not stably up to standard. HX03 (target IV) is Class II in both months. QL02 is not a
 * compensation section (劣V, not counted); JL04 is one without any result (not counted).
 * 1 of 2 → 50 %. Seen on 2025-02-20, no month has a class: no value.
 * A file without the fifth column still imports (sections_csv above). */
static void compensation_sections_must_meet_every_month(void **state)
{
    (void)state;
    static const char sec[] = "code,name,water,target,compensation\n"
                              "CH01,潮河,river,IV,1\n"
                              "HX03,贾鲁河,river,IV,1\n"
                              "QL02,七里河,river,V,0\n"
                              "JL04,魏河,river,III,1\n"
                              "BAD,x,river,III,2\n";
    static const char res[] = "section,time,item,value,below_dl\n"
                              "CH01,2025-03-05,NH3-N,1.6,0\n"
                              "CH01,2025-04-05,NH3-N,0.4,0\n"
                              "HX03,2025-03-05,NH3-N,0.4,0\n"
                              "HX03,2025-04-05,NH3-N, 0.45 ,0\n"
                              "QL02,2025-03-05,NH3-N,2.1,0\n";
    tu_tmpdb db;
    store *s = tu_store_open(&db, "comp");
    assert_non_null(s);
    char err[256];
    tu_line_errs e = {.n = 0};
    int stored = -1, bad = -1;
    assert_int_equal(water_import_sections(s, sec, strlen(sec), tu_on_line_error, &e, &stored, &bad,
                                           err, sizeof err),
                     0);
    assert_int_equal(stored, 4);
    assert_int_equal(bad, 1);
    assert_int_equal(e.lines[0], 6);
    assert_int_equal(water_import_results(s, res, strlen(res), tu_on_line_error, &e, &stored, &bad,
                                          err, sizeof err),
                     0);
    assert_int_equal(stored, 5); /* spaces around a value are not part of it */
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t apr20 = ew_bj_day_start(ew_days_from_civil(2025, 4, 20));
    int64_t feb20 = ew_bj_day_start(ew_days_from_civil(2025, 2, 20));
    tu_expect_target(rd, "water.compensation_sections_compliance", apr20, 50, false);
    double v = -1;
    assert_int_equal(water_statistic(rd, "water.compensation_sections_compliance", NULL, 2025,
                                     feb20, &v, err, sizeof err),
                     0);
    assert_true(v == -1);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

/* The canal's class ("稳定达到Ⅱ类", the default plan's target snbd_main_canal_class on its
 * site NSBD-ZZ): the worst monthly class of the year so far. January NH3-N 0.5 (Class II,
 * limit 0.5 inclusive), February 0.4 (II), March 0.6 (III). Seen on 20 February: 2, on
 * track; on 20 March: 3, off track (a good month later does not undo March); another
 * section's 劣V never counts; a statistic naming no section, or an unknown one, has no
 * value. */
static void canal_class_is_its_worst_month(void **state)
{
    (void)state;
    static const char sec[] = "code,name,water,target\n"
                              "NSBD-ZZ,南水北调中线总干渠郑州段,river,II\n"
                              "QL02,七里河,river,V\n";
    static const char res[] = "section,time,item,value,below_dl\n"
                              "NSBD-ZZ,2025-01-10,NH3-N,0.5,0\n"
                              "NSBD-ZZ,2025-02-10,NH3-N,0.4,0\n"
                              "NSBD-ZZ,2025-03-10,NH3-N,0.6,0\n"
                              "NSBD-ZZ,2025-04-10,NH3-N,0.1,0\n"
                              "QL02,2025-01-10,NH3-N,2.1,0\n";
    tu_tmpdb db;
    store *s = tu_store_open(&db, "canal");
    assert_non_null(s);
    char err[256];
    int stored = -1, bad = -1;
    assert_int_equal(
        water_import_sections(s, sec, strlen(sec), NULL, NULL, &stored, &bad, err, sizeof err), 0);
    assert_int_equal(
        water_import_results(s, res, strlen(res), NULL, NULL, &stored, &bad, err, sizeof err), 0);
    assert_int_equal(stored, 5);
    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t feb20 = ew_bj_day_start(ew_days_from_civil(2025, 2, 20));
    int64_t mar20 = ew_bj_day_start(ew_days_from_civil(2025, 3, 20));
    int64_t may20 = ew_bj_day_start(ew_days_from_civil(2025, 5, 20));
    tu_expect_target(rd, "water.section_class", feb20, 2, true);
    tu_expect_target(rd, "water.section_class", mar20, 3, false);
    tu_expect_target(rd, "water.section_class", may20, 3, false);
    double v = -1;
    assert_int_equal(
        water_statistic(rd, "water.section_class", NULL, 2025, mar20, &v, err, sizeof err), 0);
    assert_int_equal(
        water_statistic(rd, "water.section_class", "NOPE", 2025, mar20, &v, err, sizeof err), 0);
    assert_true(v == -1);
    /* Before any result of the year: no value. */
    assert_int_equal(
        water_statistic(rd, "water.section_class", "NSBD-ZZ", 2024, mar20, &v, err, sizeof err), 0);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

static void hj212_metals_convert_from_ug_per_litre(void **state)
{
    (void)state;
    gb3838_item it;
    int64_t div;
    assert_int_equal(water_hj212_item("w20111", 6, &it, &div), 0);
    assert_int_equal(it, GB3838_HG);
    assert_int_equal(div, 1000);
    assert_int_equal(water_hj212_item("w21003", 6, &it, &div), 0);
    assert_int_equal(it, GB3838_NH3N);
    assert_int_equal(div, 1);
    assert_int_equal(water_hj212_item("a34004", 6, &it, &div), EW_ENOTFOUND);
    int64_t v;
    assert_int_equal(water_parse_micro("0.00005", 7, &v), 0);
    assert_int_equal(v, 50);
    assert_int_equal(water_parse_micro("0.0000001", 9, &v), EW_EINVALID);
    assert_int_equal(water_parse_micro(".", 1, &v), EW_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_lines_are_reported_and_the_rest_stored),
        cmocka_unit_test(nh3n_mean_1_6_is_class_v_and_2_1_is_worse_than_v),
        cmocka_unit_test(a_year_takes_every_month),
        cmocka_unit_test(plan_row_counts_worse_than_v_sections),
        cmocka_unit_test(hj212_metals_convert_from_ug_per_litre),
        cmocka_unit_test(compensation_sections_must_meet_every_month),
        cmocka_unit_test(canal_class_is_its_worst_month),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
