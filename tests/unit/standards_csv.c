/* Tests of src/standards/csv: the national wide layout, the long layout and site lists, on
 * the golden files of tests/data/air/. Every expected value, line and column below is read
 * off those files by eye. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "standards/airq.h"
#include "standards/csv.h"

typedef struct got {
    csv_obs obs[64];
    char site[64][8];
    int nobs;
    csv_issue iss[64];
    int niss;
} got;

static void on_obs(void *c, const csv_obs *o)
{
    got *g = c;
    assert_true(g->nobs < 64);
    g->obs[g->nobs] = *o;
    snprintf(g->site[g->nobs], sizeof g->site[0], "%.*s", (int)o->site.n, o->site.p);
    g->nobs++;
}

static void on_issue(void *c, const csv_issue *i)
{
    got *g = c;
    assert_true(g->niss < 64);
    g->iss[g->niss++] = *i;
}

static char *slurp(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/air/%s", TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    *n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static void expect_issue(const got *g, int i, csv_issue_kind k, size_t line, int col)
{
    assert_true(i < g->niss);
    assert_int_equal(g->iss[i].kind, k);
    assert_int_equal(g->iss[i].line, line);
    assert_int_equal(g->iss[i].column, col);
}

static void wide_layout_values_and_faults(void **state)
{
    (void)state;
    size_t n;
    char *buf = slurp("wide_small.csv", &n);
    static got g;
    memset(&g, 0, sizeof g);
    csv_sink s = {on_obs, on_issue, &g};
    csv_counts k;
    assert_int_equal(csv_detect(buf, n), CSV_LAYOUT_WIDE);
    assert_int_equal(csv_parse_wide(buf, n, &s, &k), 0);
    assert_int_equal(k.values, 13);
    assert_int_equal(k.missing, 3);
    assert_int_equal(k.bad, 7);
    assert_int_equal(k.rows, 11);
    /* line 2: AQI 88, 102 (BOM and CRLF stripped from the header and the cells) */
    assert_string_equal(g.site[0], "1320A");
    assert_int_equal(g.obs[0].pollutant, -1);
    assert_int_equal(g.obs[0].kind, CSV_KIND_AQI);
    assert_int_equal(g.obs[0].milli, 88000);
    assert_int_equal(g.obs[0].line, 2);
    assert_int_equal(g.obs[0].day, ew_days_from_civil(2025, 3, 1));
    assert_int_equal(g.obs[0].hour, 0);
    assert_string_equal(g.site[1], "1321A");
    /* line 3: PM2.5 65, 76 */
    assert_int_equal(g.obs[2].pollutant, AIRQ_PM25);
    assert_int_equal(g.obs[2].kind, CSV_KIND_1H);
    assert_int_equal(g.obs[3].milli, 76000);
    /* line 4: CO 1.3 and 1.125 mg/m³ exactly */
    assert_int_equal(g.obs[4].pollutant, AIRQ_CO);
    assert_int_equal(g.obs[4].milli, 1300);
    assert_int_equal(g.obs[5].milli, 1125);
    /* line 5: O3_8h is the 8-h series, a quoted cell is a value */
    assert_int_equal(g.obs[6].kind, CSV_KIND_8H);
    assert_int_equal(g.obs[7].milli, 120000);
    assert_string_equal(g.site[8], "1322A");
    /* line 6: only 1322A's 40 survives */
    assert_int_equal(g.obs[9].milli, 40000);
    assert_string_equal(g.site[9], "1322A");
    assert_int_equal(g.obs[9].hour, 1);
    /* line 13: SO2 hour 2 */
    assert_int_equal(g.obs[12].pollutant, AIRQ_SO2);
    assert_int_equal(g.obs[12].line, 13);
    assert_int_equal(g.nobs, 13);

    expect_issue(&g, 0, CSV_ISSUE_MISSING, 2, 6);
    assert_int_equal(g.iss[0].site.n, 5);
    assert_memory_equal(g.iss[0].site.p, "1322A", 5);
    expect_issue(&g, 1, CSV_ISSUE_MISSING, 3, 6);
    expect_issue(&g, 2, CSV_ISSUE_MISSING, 4, 6);   /* "NA" */
    expect_issue(&g, 3, CSV_ISSUE_BAD_VALUE, 6, 4); /* -3 */
    expect_issue(&g, 4, CSV_ISSUE_BAD_VALUE, 6, 5); /* abc */
    expect_issue(&g, 5, CSV_ISSUE_BAD_ROW, 7, 1);   /* 2025-02-31 */
    expect_issue(&g, 6, CSV_ISSUE_BAD_ROW, 8, 2);   /* hour 24 */
    expect_issue(&g, 7, CSV_ISSUE_BAD_ROW, 9, 3);   /* type PM1 */
    expect_issue(&g, 8, CSV_ISSUE_BAD_ROW, 10, 0);  /* 2 cells for 3 stations */
    expect_issue(&g, 9, CSV_ISSUE_BAD_ROW, 11, 0);  /* 4 cells for 3 stations */
    assert_int_equal(g.niss, 10);
    free(buf);
}

static void wide_layout_refuses_a_bad_header(void **state)
{
    (void)state;
    static got g;
    memset(&g, 0, sizeof g);
    csv_sink s = {on_obs, on_issue, &g};
    const char *t = "date,hour,kind,1320A\n20250301,0,PM2.5,1\n";
    assert_int_equal(csv_parse_wide(t, strlen(t), &s, NULL), -1);
    expect_issue(&g, 0, CSV_ISSUE_BAD_HEADER, 1, 3);
    assert_int_equal(g.nobs, 0);
    const char *u = "date,hour,type\n";
    memset(&g, 0, sizeof g);
    assert_int_equal(csv_parse_wide(u, strlen(u), &s, NULL), -1);
    assert_int_equal(csv_parse_wide("", 0, &s, NULL), -1);
    assert_int_equal(csv_detect("x,y\n", 4), CSV_LAYOUT_UNKNOWN);
    /* an empty station code (found by fuzzing): values could not be attributed */
    const char *w = "date,hour,type,1320A,,1322A\n20250301,0,PM2.5,1,2,3\n";
    memset(&g, 0, sizeof g);
    assert_int_equal(csv_parse_wide(w, strlen(w), &s, NULL), -1);
    expect_issue(&g, 0, CSV_ISSUE_BAD_HEADER, 1, 5);
    assert_int_equal(g.nobs, 0);
}

/* A double quote inside an unquoted field is refused wherever it stands: header, value
 * cell (the rest of that row is not read) and long-layout site. */
static void stray_quote_in_unquoted_field_is_refused(void **state)
{
    (void)state;
    static got g;
    csv_sink s = {on_obs, on_issue, &g};
    csv_counts k;
    const char *hdr = "date,hour,type,13\"20A\n20250301,0,PM2.5,1\n";
    memset(&g, 0, sizeof g);
    assert_int_equal(csv_parse_wide(hdr, strlen(hdr), &s, NULL), -1);
    expect_issue(&g, 0, CSV_ISSUE_BAD_HEADER, 1, 0);
    assert_int_equal(g.niss, 1);
    assert_int_equal(g.nobs, 0);

    const char *cell = "date,hour,type,1320A,1321A\n20250301,0,PM2.5,1\"2,30\n";
    memset(&g, 0, sizeof g);
    assert_int_equal(csv_parse_wide(cell, strlen(cell), &s, &k), 0);
    expect_issue(&g, 0, CSV_ISSUE_BAD_VALUE, 2, 4);
    assert_string_equal(g.iss[0].msg, "bad quoting");
    assert_int_equal(g.niss, 1);
    assert_int_equal(g.nobs, 0);
    assert_int_equal(k.bad, 1);
    assert_int_equal(k.values, 0);

    const char *lng = "site,time,parameter,value\n13\"20A,2025-03-01 01:00,PM2.5,65\n";
    memset(&g, 0, sizeof g);
    assert_int_equal(csv_parse_long(lng, strlen(lng), &s, &k), 0);
    expect_issue(&g, 0, CSV_ISSUE_BAD_ROW, 2, 0);
    assert_int_equal(g.niss, 1);
    assert_int_equal(g.nobs, 0);
    assert_int_equal(k.bad, 1);
}

static void long_layout_values_flags_and_faults(void **state)
{
    (void)state;
    size_t n;
    char *buf = slurp("long_small.csv", &n);
    static got g;
    memset(&g, 0, sizeof g);
    csv_sink s = {on_obs, on_issue, &g};
    csv_counts k;
    assert_int_equal(csv_detect(buf, n), CSV_LAYOUT_LONG);
    assert_int_equal(csv_parse_long(buf, n, &s, &k), 0);
    assert_int_equal(k.values, 4);
    assert_int_equal(k.missing, 1);
    assert_int_equal(k.flagged, 1);
    assert_int_equal(k.bad, 6);
    assert_int_equal(g.nobs, 4);
    assert_int_equal(g.obs[0].milli, 65000);
    assert_int_equal(g.obs[0].hour, 1);
    assert_int_equal(g.obs[1].pollutant, AIRQ_PM25); /* HJ 212 code a34004 */
    assert_int_equal(g.obs[1].hour, 2);
    assert_int_equal(g.obs[2].pollutant, AIRQ_CO);
    assert_int_equal(g.obs[2].milli, 950);
    assert_int_equal(g.obs[3].pollutant, AIRQ_O3); /* "o3": case-insensitive */
    assert_int_equal(g.obs[3].line, 13);
    expect_issue(&g, 0, CSV_ISSUE_FLAGGED, 5, 5);
    expect_issue(&g, 1, CSV_ISSUE_MISSING, 6, 4);
    expect_issue(&g, 2, CSV_ISSUE_BAD_ROW, 7, 2);    /* 05:30 is not an hour label */
    expect_issue(&g, 3, CSV_ISSUE_BAD_ROW, 8, 3);    /* PM1 */
    expect_issue(&g, 4, CSV_ISSUE_BAD_ROW, 9, 2);    /* month 13 */
    expect_issue(&g, 5, CSV_ISSUE_BAD_ROW, 10, 1);   /* empty site */
    expect_issue(&g, 6, CSV_ISSUE_BAD_VALUE, 11, 4); /* 1e3: no exponents */
    expect_issue(&g, 7, CSV_ISSUE_BAD_ROW, 12, 0);   /* 6 fields */
    assert_int_equal(g.niss, 8);
    free(buf);
}

static void site_list_parses_codes_and_coordinates(void **state)
{
    (void)state;
    size_t n;
    char *buf = slurp("sites_small.csv", &n);
    static got g;
    memset(&g, 0, sizeof g);
    csv_sink s = {NULL, on_issue, &g};
    csv_site *v;
    size_t cnt;
    assert_int_equal(csv_parse_sites(buf, n, &s, &v, &cnt), 0);
    assert_int_equal(cnt, 2);
    assert_true(csv_slice_eq(v[0].code, "1320A"));
    assert_true(csv_slice_eq(v[0].name, "经开区管委"));
    assert_true(csv_slice_eq(v[0].city, "郑州"));
    assert_int_equal(v[0].lon_e6, 113727000);
    assert_int_equal(v[0].lat_e6, 34718700);
    assert_int_equal(v[1].lon_e6, 113611300);
    assert_int_equal(v[1].lat_e6, 34916200);
    assert_true(csv_slice_eq(v[1].kind, "background"));
    expect_issue(&g, 0, CSV_ISSUE_BAD_VALUE, 4, 4);
    expect_issue(&g, 1, CSV_ISSUE_BAD_ROW, 6, 0);
    free(v);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wide_layout_values_and_faults),
        cmocka_unit_test(wide_layout_refuses_a_bad_header),
        cmocka_unit_test(stray_quote_in_unquoted_field_is_refused),
        cmocka_unit_test(long_layout_values_flags_and_faults),
        cmocka_unit_test(site_list_parses_codes_and_coordinates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
