/* Tests of src/service/drinking: drinking-water sources' events judged by GB 3838 Tables
 * 1-3 (standards/dwsource), the rates by sources and by events, and the plan's target, on a
 * real SQLite store fed through the water imports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/drinking.h"
#include "service/plan.h"
#include "service/targets.h"
#include "service/water.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"
#include "tu_lines.h"
#include "tu_targets.h"

/* Five sources and a river section that is not one (its 劣V never counts here). */
static const char sections_csv[] = "code,name,water,target,compensation,drinking\n"
                                   "DW1,一号水源,river,III,0,1\n"
                                   "DW2,二号水源,river,III,0,1\n"
                                   "DW3,三号水源,lake,III,0,1\n"
                                   "DW4,四号水源,river,III,0,1\n"
                                   "DW5,五号水源,river,III,0,1\n"
                                   "QL02,七里河,river,V,0,0\n"
                                   "BAD,x,river,III,0,2\n";

/* DW1: January compliant; February Mn 0.15 > 0.1 (Table 2) fails the event, so the source.
 * DW2: NH3-N 1.2 (Class IV > III) fails Table 1. DW3: benzene 0.02 above its Table 3 limit
 * 0.01. DW4: Mn exactly 0.1 and NH3-N exactly 1.0 (limits inclusive) compliant. DW5: benzene
 * at its limit, and a chloroform result below detection, compliant. 2 of 5 sources (40 %),
 * 3 of 6 events (50 %). */
static const char results_csv[] = "section,time,item,value,below_dl,limit\n"
                                  "DW1,2025-01-10,NH3-N,0.4,0\n"
                                  "DW1,2025-01-10,Mn,0.05,0\n"
                                  "DW1,2025-01-10,t3.benzene,0.001,0,0.01\n"
                                  "DW1,2025-02-10,NH3-N,0.3,0\n"
                                  "DW1,2025-02-10,Mn,0.15,0\n"
                                  "DW2,2025-01-10,NH3-N,1.2,0\n"
                                  "DW3,2025-01-10,TP,0.04,0\n"
                                  "DW3,2025-01-10,t3.benzene,0.02,0,0.01\n"
                                  "DW4,2025-01-10,NH3-N,1.0,0\n"
                                  "DW4,2025-01-10,Mn,0.1,0\n"
                                  "DW5,2025-01-10,t3.benzene,0.01,0,0.01\n"
                                  "DW5,2025-01-10,t3.chloroform,0.5,1,0.06\n"
                                  "QL02,2025-01-10,NH3-N,2.5,0\n"
                                  "DW5,2025-01-10,t3.benzene,0.01,0\n"
                                  "DW5,2025-01-10,NH3-N,0.1,0,0.5\n"
                                  "DW5,2025-01-10,t3.benzene,0.01,0,0\n"
                                  "DW5,2025-01-10,Zz,0.01,0\n";

typedef struct seen {
    drinking_source s[8];
    int n;
} seen;

static int collect(void *ctx, const drinking_source *s)
{
    seen *v = ctx;
    if (v->n < 8)
        v->s[v->n++] = *s;
    return 0;
}

static void sources_are_judged_by_tables_1_to_3(void **state)
{
    (void)state;
    tu_tmpdb db;
    store *s = tu_store_open(&db, "drinking");
    assert_non_null(s);
    char err[256];
    tu_line_errs e = {.n = 0};
    int stored = -1, bad = -1;
    assert_int_equal(water_import_sections(s, sections_csv, strlen(sections_csv), tu_on_line_error,
                                           &e, &stored, &bad, err, sizeof err),
                     0);
    assert_int_equal(stored, 6);
    assert_int_equal(bad, 1);
    assert_int_equal(e.lines[0], 8);
    e.n = 0;
    assert_int_equal(water_import_results(s, results_csv, strlen(results_csv), tu_on_line_error, &e,
                                          &stored, &bad, err, sizeof err),
                     0);
    /* Refused: a Table 3 item without its limit, a limit on a Table 1 item, a zero limit,
     * an unknown item. */
    assert_int_equal(stored, 13);
    assert_int_equal(bad, 4);
    assert_int_equal(e.lines[0], 15);
    assert_int_equal(e.lines[1], 16);
    assert_int_equal(e.lines[2], 17);
    assert_int_equal(e.lines[3], 18);

    ew_reader *rd = ew_read_open(db.path, err, sizeof err);
    assert_non_null(rd);
    int64_t mar1 = ew_bj_day_start(ew_days_from_civil(2025, 3, 1));
    seen v = {.n = 0};
    dwsource_rates r;
    assert_int_equal(drinking_year_each(rd, 2025, mar1, collect, &v, &r, err, sizeof err), 0);
    assert_int_equal(v.n, 5); /* QL02 is not a source */
    assert_string_equal(v.s[0].code, "DW1");
    assert_int_equal(v.s[0].events, 2);
    assert_int_equal(v.s[0].compliant_events, 1);
    assert_false(v.s[0].compliant);
    assert_int_equal(v.s[0].t2_failed, 1u << DWSOURCE_MN);
    assert_int_equal(v.s[0].t1_failed, 0);
    assert_false(v.s[1].compliant);
    assert_int_equal(v.s[1].t1_failed, GB3838_BIT(GB3838_NH3N));
    assert_int_equal(v.s[1].worst_class, GB3838_CLASS_IV);
    assert_false(v.s[2].compliant);
    assert_int_equal(v.s[2].t3_failed, 1);
    assert_string_equal(v.s[2].t3_items, "t3.benzene");
    assert_true(v.s[3].compliant);
    assert_true(v.s[4].compliant);
    assert_int_equal(v.s[4].t3_failed, 0);
    assert_int_equal(r.sources, 5);
    assert_int_equal(r.compliant_sources, 2);
    assert_int_equal(r.by_source_milli, 40000);
    assert_int_equal(r.events, 6);
    assert_int_equal(r.by_event_milli, 50000);

    /* The plan's target, 100 %: 40 so far, off track. Seen on 1 February, DW1's bad month
     * has not happened yet: 3 of 5, 60 %. */
    tu_expect_target(rd, "water.drinking_source_compliance", mar1, 40, false);
    int64_t feb1 = ew_bj_day_start(ew_days_from_civil(2025, 2, 1));
    tu_expect_target(rd, "water.drinking_source_compliance", feb1, 60, false);
    double val = -1;
    /* A year without an event has no value. */
    assert_int_equal(drinking_statistic(rd, "water.drinking_source_compliance", NULL, 2024, mar1,
                                        &val, err, sizeof err),
                     0);
    assert_int_equal(drinking_statistic(rd, "water.other", NULL, 2025, mar1, &val, err, sizeof err),
                     0);
    assert_true(val == -1);
    ew_read_close(rd);
    assert_int_equal(tu_store_close(&db, s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sources_are_judged_by_tables_1_to_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
