/* Tests of src/service/emergency and src/service/fires on a real SQLite store: power
 * compliance during a warning, breach cases deduplicated per enterprise and warning, fire
 * points clustered into one case, video alarms deduplicated per camera and hour. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/air.h"
#include "service/emergency.h"
#include "service/fires.h"
#include "store/emergency.h"
#include "store/office.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"

static const case_actor bureau = {.name = "sthj", .role = EW_ROLE_BUREAU, .org = NULL};

/* 2026-01-10 00:00 Beijing. */
static int64_t t0(void)
{
    return ew_bj_day_start(ew_days_from_civil(2026, 1, 10));
}

static int64_t site(store *s, const char *mn, const char *kind, const char *town,
                    const char *enterprise, double lon, double lat)
{
    char err[256];
    store_site st = {.mn = mn,
                     .pw = "123456",
                     .kind = kind,
                     .name = mn,
                     .town = town,
                     .lon = lon,
                     .lat = lat,
                     .enterprise = enterprise};
    int64_t id = 0;
    if (store_site_put(s, &st, &id, err, sizeof err) < 0)
        fail_msg("%s", err);
    return id;
}

/* One hourly value of param with flag (N valid, D invalid). */
static void hour_val(store *s, int64_t site_id, const char *param, int64_t hour, double v,
                     const char *flag)
{
    char err[256];
    store_hour hr = {.site_id = site_id,
                     .param = param,
                     .hour_utc = hour,
                     .value = v,
                     .min = v,
                     .max = v,
                     .n_min = 60,
                     .n_valid = 60,
                     .flag = flag};
    if (store_hour_put(s, &hr, err, sizeof err) < 0)
        fail_msg("%s", err);
}

static void power(store *s, int64_t site_id, int64_t from, int hours, double kw)
{
    for (int h = 0; h < hours; h++)
        hour_val(s, site_id, "pw001", from + h * 3600, kw, "N");
}

/* Hours [from, from + hours) of a flue-gas outlet: flow in m³/s, SO2, NOx, PM in mg/m³. */
static void stack(store *s, int64_t site_id, int64_t from, int hours, double flow, double so2,
                  double nox, double pm)
{
    for (int h = 0; h < hours; h++) {
        int64_t t = from + h * 3600;
        hour_val(s, site_id, "a00000", t, flow, "N");
        hour_val(s, site_id, "a21026", t, so2, "N");
        hour_val(s, site_id, "a21002", t, nox, "N");
        hour_val(s, site_id, "a34013", t, pm, "N");
    }
}

/* What the tests count, read back through the store's interface. */
typedef struct tally {
    const char *want; /* the location, enterprise, action or town counted; NULL = all */
    int64_t n;
} tally;

static int case_at(void *ctx, const office_case *c)
{
    tally *t = ctx;
    t->n += !t->want || (c->location && !strcmp(c->location, t->want));
    return 0;
}

/* Cases (at location when not NULL). */
static int64_t cases(const tu_store_fixture *f, const char *location)
{
    char err[256];
    tally t = {location, 0};
    office_case_filter all = {0};
    assert_int_equal(office_cases_each(f->s, &all, NULL, case_at, &t, err, sizeof err), 0);
    return t.n;
}

static int audit_of(void *ctx, const office_audit *a)
{
    tally *t = ctx;
    t->n += !strcmp(a->action, t->want);
    return 0;
}

/* Audit entries of action. */
static int64_t audits(const tu_store_fixture *f, const char *action)
{
    char err[256];
    tally t = {action, 0};
    assert_int_equal(office_audit_each(f->s, 0, 0, NULL, audit_of, &t, err, sizeof err), 0);
    return t.n;
}

static int breach_of(void *ctx, const em_breach_row *b)
{
    tally *t = ctx;
    t->n += !strcmp(b->enterprise, t->want);
    return 0;
}

/* Breaches of enterprise during warning wid. */
static int64_t breaches(const tu_store_fixture *f, int64_t wid, const char *enterprise)
{
    char err[256];
    tally t = {enterprise, 0};
    assert_int_equal(em_breaches_each(f->s, wid, breach_of, &t, err, sizeof err), 0);
    return t.n;
}

static int warning_aqi(void *ctx, const em_warning_row *w)
{
    *(int *)ctx = w->basis_aqi;
    return 0;
}

static int fire_cases_of(void *ctx, const em_town_fires *w)
{
    tally *t = ctx;
    if (!strcmp(w->town, t->want))
        t->n = w->cases;
    return 0;
}

static void allowance_is_the_baseline_less_the_cut(void **state)
{
    (void)state;
    /* Orange, a 20 % cut of a 1000 kW baseline: 800 kW allowed. */
    assert_true(fabs(em_allowed_kw(1000, 20) - 800) < 1e-9);
    assert_true(em_power_breaches(850, 800));
    assert_false(em_power_breaches(750, 800));
    assert_false(em_power_breaches(800, 800)); /* at the allowance is compliant */
    assert_false(em_power_breaches(NAN, 800)); /* no data, no verdict */
    assert_true(fabs(em_level_required_cut_pct(EM_ORANGE) - 20) < 1e-9);
    em_level l;
    assert_int_equal(em_level_parse("red", &l), 0);
    assert_int_equal(l, EM_RED);
    assert_int_equal(em_level_parse("blue", &l), -1);
    assert_true(em_grade_valid("B-"));
    assert_true(em_grade_valid("引领性"));
    assert_false(em_grade_valid("E"));
}

static const char list_csv[] =
    "# test list\n"
    "enterprise,town,grade,base_power_kw,base_emission_kgh,cut_yellow_pct,cut_orange_pct,"
    "cut_red_pct,measures_yellow,measures_orange,measures_red\n"
    "甲水泥,九龙镇,B,1000,50,10,20,100,禁用国四车辆,限产20%,停产\n"
    "乙玻璃,前程办,C,1000,40,10,20,100,停一半产线,限产20%,停产\n";

/* A 72-hour orange warning from start, on a forecast AQI of 320. */
static em_declaration orange(int64_t start)
{
    return (em_declaration){.level = "orange",
                            .start_utc = start,
                            .end_utc = start + 72 * 3600,
                            .notice = "郑州市重污染天气橙色预警",
                            .basis = "forecast",
                            .aqi = 320};
}

/* Load list_csv; the number of entries loaded. */
static int load_list(store *s)
{
    char err[256];
    int n = 0;
    if (emergency_list_load(s, list_csv, sizeof list_csv - 1, "sthj", t0(), &n, err, sizeof err))
        fail_msg("%s", err);
    return n;
}

static void orange_warning_breach_at_85_percent_opens_one_case(void **state)
{
    tu_store_fixture *f = *state;
    store *s = f->s;
    char err[256];
    assert_int_equal(load_list(s), 2);
    int64_t a = site(s, "PWA0001", "gas_outlet", "九龙镇", "甲水泥", NAN, NAN);
    int64_t b = site(s, "PWB0001", "gas_outlet", "前程办", "乙玻璃", NAN, NAN);
    int64_t start = t0() + 12 * 3600;
    /* Six hours of the warning: 甲 at 850 kW (85 % > 80 %), 乙 at 750 kW (75 %). */
    power(s, a, start, 6, 850);
    power(s, b, start, 6, 750);
    em_declaration d = orange(start);
    int64_t wid = 0;
    if (emergency_declare(s, NULL, &d, &bureau, "127.0.0.1", start - 3600, &wid, err, sizeof err))
        fail_msg("%s", err);
    assert_true(wid > 0);
    /* Declaring is the bureau's: a unit is refused and nothing is stored. */
    case_actor unit = {.name = "jianshe", .role = EW_ROLE_UNIT, .org = "jianshe"};
    int64_t other = 0;
    assert_int_equal(emergency_declare(s, NULL, &d, &unit, NULL, start, &other, err, sizeof err),
                     EW_EFORBIDDEN);
    int br = -1;
    if (emergency_check(s, start + 6 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 1);
    /* The next pass finds the same breach stored: no second case. */
    if (emergency_check(s, start + 7 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 0);
    assert_int_equal(cases(f, NULL), 1);
    assert_int_equal(cases(f, "九龙镇"), 1);
    assert_int_equal(breaches(f, wid, "甲水泥"), 1);
    assert_int_equal(breaches(f, wid, "乙玻璃"), 0);
    assert_int_equal(audits(f, "warning.declare"), 1);
    em_report r;
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(rd);
    if (emergency_report(s, rd, wid, &bureau, start + 7 * 3600, &r, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.breached, 1);
    assert_int_equal(r.complied, 1);
    /* By name: 乙 (U+4E59) before 甲 (U+7532). */
    assert_string_equal(r.v[1].enterprise, "甲水泥");
    assert_true(fabs(r.v[1].allowed_kw - 800) < 1e-9);
    assert_true(fabs(r.v[1].mean_kw - 850) < 1e-9);
    assert_true(r.v[1].breached && r.v[1].case_id > 0);
    assert_false(r.v[0].breached);
    assert_true(fabs(r.v[0].mean_kw - 750) < 1e-9);
    assert_int_equal(r.v[0].hours, 6);
    assert_true(isnan(r.aqi_during)); /* no air data in this store */
    emergency_report_free(&r);
    ew_read_close(rd);
}

static int64_t data_breach(const tu_store_fixture *f, int64_t wid, const char *enterprise,
                           const char *kind)
{
    char err[256];
    int64_t case_id = 0;
    int rc = em_data_breach_find(f->s, wid, enterprise, kind, &case_id, err, sizeof err);
    assert_true(rc >= 0);
    return rc ? case_id : 0;
}

static void emission_over_the_cut_and_a_silent_outlet_open_their_own_cases(void **state)
{
    tu_store_fixture *f = *state;
    store *s = f->s;
    char err[256];
    (void)load_list(s);
    int64_t a = site(s, "GSA0001", "gas_outlet", "九龙镇", "甲水泥", NAN, NAN);
    int64_t b1 = site(s, "GSB0001", "gas_outlet", "前程办", "乙玻璃", NAN, NAN);
    int64_t b2 = site(s, "GSB0002", "gas_outlet", "前程办", "乙玻璃", NAN, NAN);
    /* A third site of 乙 that never sent anything is not "silent": it was not sending. */
    (void)site(s, "GSB0003", "gas_outlet", "前程办", "乙玻璃", NAN, NAN);
    /* 乙's power meter sent its production power before the warning and nothing since. */
    int64_t meter = site(s, "PMB0001", "gas_outlet", "前程办", "乙玻璃", NAN, NAN);
    /* 丙 is listed without an emission baseline: its emissions get no verdict. */
    em_list_row none = {.enterprise = "丙",
                        .town = "九龙镇",
                        .grade = "C",
                        .base_power_kw = 500,
                        .base_emission_kgh = 0,
                        .cut_pct = {50, 100, 100},
                        .measures = {"a", "b", "c"}};
    if (emergency_list_put(s, &none, &bureau, NULL, t0(), err, sizeof err))
        fail_msg("%s", err);
    int64_t c = site(s, "GSC0001", "gas_outlet", "九龙镇", "丙", NAN, NAN);
    int64_t start = t0() + 12 * 3600;
    /* 24 h before: 甲 50 m³/s = 180 000 m³/h × 260 mg/m³ = 46.8 kg/h; 乙's stacks 40 m³/s =
     * 144 000 m³/h × 155 mg/m³ = 22.32 kg/h and 30 m³/s = 108 000 m³/h × 155 = 16.74 kg/h. */
    stack(s, a, start - 24 * 3600, 24, 50, 100, 150, 10);
    stack(s, b1, start - 24 * 3600, 24, 40, 50, 100, 5);
    stack(s, b2, start - 24 * 3600, 24, 30, 50, 100, 5);
    power(s, meter, start - 24 * 3600, 24, 900);
    stack(s, c, start - 24 * 3600, 30, 10, 50, 100, 5);
    /* During: 甲 250 mg/m³ → 45 kg/h, over its orange allowance 50 × 0.8 = 40; 乙's first
     * stack as before (22.32 ≤ 32), its second silent. */
    stack(s, a, start, 6, 50, 100, 140, 10);
    stack(s, b1, start, 6, 40, 50, 100, 5);
    /* An invalid hour (flag D) does not count, nor a concentration without a flow. */
    hour_val(s, a, "a00000", start + 6 * 3600, 50, "D");
    hour_val(s, a, "a21026", start + 6 * 3600, 9999, "D");
    hour_val(s, a, "a21026", start + 7 * 3600, 9999, "N");
    em_declaration d = orange(start);
    int64_t wid = 0;
    if (emergency_declare(s, NULL, &d, &bureau, NULL, start - 3600, &wid, err, sizeof err))
        fail_msg("%s", err);
    int br = -1;
    /* Two hours in, the silent stack is not judged yet: only 甲's emission breaches. */
    if (emergency_check(s, start + 2 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 1);
    assert_true(data_breach(f, wid, "甲水泥", "emission") > 0);
    assert_int_equal(data_breach(f, wid, "乙玻璃", "silent"), 0);
    if (emergency_check(s, start + 8 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 1);
    assert_true(data_breach(f, wid, "乙玻璃", "silent") > 0);
    assert_int_equal(data_breach(f, wid, "乙玻璃", "emission"), 0);
    assert_int_equal(data_breach(f, wid, "甲水泥", "silent"), 0);
    if (emergency_check(s, start + 9 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 0);
    assert_int_equal(cases(f, "九龙镇"), 1);
    assert_int_equal(cases(f, "前程办"), 1);
    assert_int_equal(breaches(f, wid, "甲水泥"), 0); /* no power data: no power verdict */
    assert_int_equal(data_breach(f, wid, "丙", "emission"), 0);

    em_report r;
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(rd);
    if (emergency_report(s, rd, wid, &bureau, start + 9 * 3600, &r, err, sizeof err))
        fail_msg("%s", err);
    ew_read_close(rd);
    assert_int_equal(r.n, 3);
    /* By name: 丙 (U+4E19), 乙 (U+4E59), 甲 (U+7532). */
    const em_verdict *bing = &r.v[0], *yi = &r.v[1], *jia = &r.v[2];
    assert_string_equal(bing->enterprise, "丙");
    assert_true(fabs(bing->mean_kgh - 5.58) < 1e-9); /* 36 000 m³/h × 155 mg/m³ */
    assert_false(bing->emission_breached);
    assert_false(em_verdict_breached(bing));
    assert_string_equal(jia->enterprise, "甲水泥");
    assert_true(fabs(jia->mean_kgh - 45) < 1e-9);
    assert_true(fabs(jia->allowed_kgh - 40) < 1e-9);
    assert_true(fabs(jia->before_kgh - 46.8) < 1e-9);
    assert_int_equal(jia->emission_hours, 6);
    assert_true(jia->emission_breached && jia->emission_case_id > 0);
    assert_true(em_verdict_breached(jia));
    assert_true(fabs(yi->mean_kgh - 22.32) < 1e-9);
    assert_true(fabs(yi->before_kgh - (22.32 + 16.74)) < 1e-9);
    assert_false(yi->emission_breached);
    assert_int_equal(yi->sites, 4);
    assert_int_equal(yi->sites_before, 3);
    assert_int_equal(yi->sites_silent, 2);
    assert_true(yi->silent_breached && yi->silent_case_id > 0);
    assert_int_equal(r.breached, 2);
    assert_int_equal(r.complied, 1);
    assert_int_equal(r.no_data, 0);
    /* Σ mean 67.32 of Σ base 90 kg/h (丙 has none): 25.2 % cut; Σ during 67.32 + 5.58 of
     * Σ before 46.8 + 39.06 + 5.58: 20.28 %. */
    assert_true(fabs(r.reduction_vs_base_pct - 100.0 * (1 - 67.32 / 90)) < 1e-9);
    assert_true(fabs(r.reduction_vs_before_pct - 100.0 * (1 - 72.9 / 91.44)) < 1e-9);
    assert_true(fabs(r.required_pct - 20) < 1e-9);
    emergency_report_free(&r);
    /* An enterprise sees its own entry only, without the zone's estimate; a unit nothing. */
    const case_actor jia_acct = {.name = "jia", .role = EW_ROLE_ENTERPRISE, .org = "甲水泥"};
    const case_actor unit = {.name = "jianshe", .role = EW_ROLE_UNIT, .org = "jianshe"};
    rd = ew_read_open(f->db.path, err, sizeof err);
    if (emergency_report(s, rd, wid, &jia_acct, start + 9 * 3600, &r, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].enterprise, "甲水泥");
    assert_true(r.v[0].emission_breached);
    assert_int_equal(r.breached, 1);
    assert_true(isnan(r.reduction_vs_base_pct) && isnan(r.reduction_vs_before_pct));
    emergency_report_free(&r);
    assert_int_equal(emergency_report(s, rd, wid, &unit, start + 9 * 3600, &r, err, sizeof err),
                     EW_EFORBIDDEN);
    emergency_report_free(&r);
    ew_read_close(rd);
}

/* The last hours' values arrive after a warning's end: it is checked for 48 hours more. */
static void a_warning_is_checked_for_two_days_after_its_end(void **state)
{
    tu_store_fixture *f = *state;
    store *s = f->s;
    char err[256];
    (void)load_list(s);
    int64_t a = site(s, "GSA0001", "gas_outlet", "九龙镇", "甲水泥", NAN, NAN);
    int64_t start = t0() + 12 * 3600, end = start + 6 * 3600;
    stack(s, a, start, 6, 50, 100, 140, 10); /* 45 kg/h, over 40 */
    em_declaration d = orange(start);
    d.end_utc = end;
    int64_t wid = 0;
    if (emergency_declare(s, NULL, &d, &bureau, NULL, start - 3600, &wid, err, sizeof err))
        fail_msg("%s", err);
    int br = -1;
    if (emergency_check(s, end + 49 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 0); /* too late: no longer checked */
    if (emergency_check(s, end + 47 * 3600, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 1);
    assert_true(data_breach(f, wid, "甲水泥", "emission") > 0);
    if (emergency_check(s, start - 60, &br, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(br, 0); /* not begun */
}

/* One air station 2026-01-06 … 01-11: PM2.5 150 µg/m³ before 01-10 00:00 Beijing and 250 from
 * then on, the other pollutants low (SO2 5, NO2 10, PM10 20, CO 0.3, O3 50). Daily AQI:
 * PM2.5 150 is IAQI 200 and 250 is IAQI 300 (HJ 633 Table 1: breakpoints of the 200 and 300
 * points, the same in both editions). */
static void fill_air(store *s, int64_t switch_utc)
{
    char err[256];
    int64_t id = site(s, "AIR0009", "air", "九龙镇", NULL, 113.8, 34.7);
    int64_t from = ew_bj_day_start(ew_days_from_civil(2026, 1, 6));
    for (int64_t t = from; t < switch_utc + 2 * 86400; t += 3600)
        for (int p = 0; p < AIRQ_NPOLL; p++) {
            double v[AIRQ_NPOLL] = {5, 10, 20, 0.3, 50, t < switch_utc ? 150 : 250};
            store_hour hr = {.site_id = id,
                             .param = airq_hj212_codes[p],
                             .hour_utc = t,
                             .value = v[p],
                             .min = v[p],
                             .max = v[p],
                             .n_min = 60,
                             .n_valid = 60,
                             .flag = "N"};
            if (store_hour_put(s, &hr, err, sizeof err) < 0)
                fail_msg("%s", err);
        }
}

static void observation_basis_and_report_aqi_come_from_the_zone(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    int64_t start = t0(); /* 2026-01-10 00:00 Beijing */
    fill_air(f->s, start);
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(rd);
    em_declaration d = {.level = "red",
                        .start_utc = start,
                        .end_utc = start + 2 * 86400,
                        .notice = "红色预警",
                        .basis = "observation"};
    int64_t wid = 0;
    /* Declared at 01-10 12:30: the newest hour has PM2.5 250, hourly AQI 300. */
    if (emergency_declare(f->s, rd, &d, &bureau, NULL, start + 12 * 3600 + 1800, &wid, err,
                          sizeof err))
        fail_msg("%s", err);
    int aqi = -1;
    assert_int_equal(em_warning_get(f->s, wid, warning_aqi, &aqi, err, sizeof err), 1);
    assert_int_equal(aqi, 300);
    em_report r;
    if (emergency_report(f->s, rd, wid, &bureau, start + 2 * 86400, &r, err, sizeof err))
        fail_msg("%s", err);
    /* During: 01-10 and 01-11 at 300; before: 01-07 … 01-09 at 200. */
    assert_true(fabs(r.aqi_during - 300) < 1e-9);
    assert_true(fabs(r.aqi_before - 200) < 1e-9);
    emergency_report_free(&r);
    ew_read_close(rd);
}

static int count_entry(void *ctx, const em_list_row *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

static void list_edits_are_checked_and_logged(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    em_list_row e = {.enterprise = "丙",
                     .town = "九龙镇",
                     .grade = "B",
                     .base_power_kw = 500,
                     .cut_pct = {10, 20, 100},
                     .measures = {"a", "b", "c"}};
    if (emergency_list_put(f->s, &e, &bureau, NULL, t0(), err, sizeof err))
        fail_msg("%s", err);
    e.grade = "E";
    assert_int_equal(emergency_list_put(f->s, &e, &bureau, NULL, t0(), err, sizeof err),
                     EW_EINVALID);
    e.grade = "C";
    case_actor ent = {.name = "qiye", .role = EW_ROLE_ENTERPRISE, .org = "丙"};
    assert_int_equal(emergency_list_put(f->s, &e, &ent, NULL, t0(), err, sizeof err),
                     EW_EFORBIDDEN);
    assert_int_equal(em_list_changes(f->s, "丙", err, sizeof err), 1);
    /* An enterprise sees its own entry only; a unit sees none. */
    int seen = 0;
    assert_int_equal(emergency_list_visible(f->s, &ent, count_entry, &seen, err, sizeof err), 0);
    case_actor other = {.name = "q2", .role = EW_ROLE_ENTERPRISE, .org = "丁"};
    assert_int_equal(emergency_list_visible(f->s, &other, count_entry, &seen, err, sizeof err), 0);
    assert_int_equal(seen, 1);
    case_actor unit = {.name = "u", .role = EW_ROLE_UNIT, .org = "jianshe"};
    assert_int_equal(emergency_list_visible(f->s, &unit, count_entry, &seen, err, sizeof err),
                     EW_EFORBIDDEN);
    assert_int_equal(audits(f, "emergency_list.put"), 1);
    /* A bad line in a file stores nothing. */
    const char bad[] = "h\n丁,九龙镇,B,0,1,10,20,30,a,b,c\n";
    int n = 0;
    assert_int_equal(
        emergency_list_load(f->s, bad, sizeof bad - 1, "sthj", t0(), &n, err, sizeof err),
        EW_EINVALID);
    int entries = 0;
    assert_int_equal(em_list_each(f->s, count_entry, &entries, err, sizeof err), 0);
    assert_int_equal(entries, 1);
}

static int count_fire(void *ctx, const em_fire_row *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

/* Points reported through the API: the bureau's; one invalid point stores none. */
static void reported_points_are_all_or_none_and_the_bureaus(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    site(f->s, "AIR0001", "air", "九龙镇", NULL, 113.80, 34.70);
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    fires_point p[2] = {
        {.ts_utc = t0(), .lon = 113.801, .lat = 34.70, .confidence = 80, .source = "FY-3D"},
        {.ts_utc = t0() + 600, .lon = 113.802, .lat = 34.70, .confidence = 101, .source = "NPP"}};
    int pts = -1, cases = -1;
    case_actor unit = {.name = "jianshe", .role = EW_ROLE_UNIT, .org = "jianshe"};
    assert_int_equal(fires_report(f->s, rd, &unit, p, 1, t0(), &pts, &cases, err, sizeof err),
                     EW_EFORBIDDEN);
    assert_int_equal(fires_report(f->s, rd, &bureau, p, 2, t0(), &pts, &cases, err, sizeof err),
                     EW_EINVALID);
    assert_non_null(strstr(err, "event 1"));
    p[1].confidence = 60;
    p[1].lat = 91;
    assert_int_equal(fires_report(f->s, rd, &bureau, p, 2, t0(), &pts, &cases, err, sizeof err),
                     EW_EINVALID);
    p[1].lat = 34.70;
    p[1].source = "";
    assert_int_equal(fires_report(f->s, rd, &bureau, p, 2, t0(), &pts, &cases, err, sizeof err),
                     EW_EINVALID);
    int stored = 0;
    assert_int_equal(em_fires_each(f->s, 0, INT64_MAX, count_fire, &stored, err, sizeof err), 0);
    assert_int_equal(stored, 0);
    p[1].source = "NPP";
    if (fires_report(f->s, rd, &bureau, p, 2, t0(), &pts, &cases, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(pts, 2);
    assert_int_equal(cases, 1); /* 90 m and 10 min apart: one fire */
    assert_int_equal(em_fires_each(f->s, 0, INT64_MAX, count_fire, &stored, err, sizeof err), 0);
    assert_int_equal(stored, 2);
    ew_read_close(rd);
}

/* Two air stations, 九龙镇's and 前程办's, as the towns' places: the reader they were loaded
 * from (close it) and the towns in *t (free them). */
static ew_reader *two_towns(tu_store_fixture *f, fires_towns *t)
{
    char err[256];
    site(f->s, "AIR0001", "air", "九龙镇", NULL, 113.80, 34.70);
    site(f->s, "AIR0002", "air", "前程办", NULL, 113.90, 34.75);
    ew_reader *rd = ew_read_open(f->db.path, err, sizeof err);
    if (!rd || fires_towns_load(rd, t, err, sizeof err))
        fail_msg("%s", err);
    return rd;
}

static void three_points_300_m_apart_in_two_hours_are_one_case(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    fires_towns t;
    ew_reader *rd = two_towns(f, &t);
    assert_int_equal(t.n, 2);
    assert_string_equal(fires_town_of(&t, 113.801, 34.70), "九龙镇"); /* nearest station */
    assert_string_equal(fires_town_of(&t, 113.89, 34.74), "前程办");
    /* 0.0027° of latitude ≈ 300 m; the three lie on one meridian, 0–600 m from the first.
     * The fourth is 10 km east: another town, another case. */
    const char csv[] = "time,lon,lat,confidence,source\n"
                       "2026-01-10 10:00:00,113.8010,34.7000,80,FY-3D\n"
                       "2026-01-10 11:00:00,113.8010,34.7027,75,FY-3D\n"
                       "2026-01-10 12:00:00,113.8010,34.7054,90,NPP\n"
                       "2026-01-10 12:00:00,113.9000,34.7500,60,NPP\n";
    int pts = 0, cases = 0;
    if (fires_import_csv(f->s, &t, csv, sizeof csv - 1, t0(), &pts, &cases, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(pts, 4);
    assert_int_equal(cases, 2);
    assert_true(fabs(fires_distance_m(113.801, 34.70, 113.801, 34.7027) - 300) < 2);
    /* The same file again stores nothing and opens nothing. */
    if (fires_import_csv(f->s, &t, csv, sizeof csv - 1, t0(), &pts, &cases, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(pts, 0);
    assert_int_equal(cases, 0);
    tally jl = {"九龙镇", 0};
    assert_int_equal(em_fires_by_town(f->s, 0, INT64_MAX, fire_cases_of, &jl, err, sizeof err), 0);
    assert_int_equal(jl.n, 1);
    /* 25 h after the last point the same place is a new fire. */
    fires_point late = {.ts_utc = t0() + 12 * 3600 + 25 * 3600,
                        .lon = 113.801,
                        .lat = 34.70,
                        .confidence = 70,
                        .source = "NPP"};
    int64_t cid;
    bool opened;
    assert_int_equal(fires_add(f->s, &t, &late, t0(), &cid, &opened, err, sizeof err), 1);
    assert_true(opened);
    fires_towns_free(&t);
    ew_read_close(rd);
}

/* A public report (随手拍) at now, category cat, at lon/lat: its case id; *fire the case it
 * joined (0 if none). */
static int64_t public_report(store *s, case_category cat, double lon, double lat, int64_t now,
                             int64_t *fire)
{
    case_actor pub = {.name = "public", .role = EW_ROLE_PUBLIC, .org = NULL};
    casework_meta m = {.created_by = "public"};
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = cat,
                     .location = "九龙镇",
                     .lon = lon,
                     .lat = lat,
                     .description = "有人在地里焚烧秸秆"};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    if (fires_public_report(s, &r, &pub, &m, now, &id, tracking, fire, &ce))
        fail_msg("%s", ce.msg);
    return id;
}

static int64_t joined_to(store *s, int64_t case_id)
{
    char err[256];
    int64_t fire = 0;
    int rc = fires_report_joined(s, case_id, &fire, err, sizeof err);
    if (rc < 0)
        fail_msg("%s", err);
    return rc == 1 ? fire : 0;
}

static void public_reports_of_the_same_fire_join_its_case(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    fires_towns t;
    ew_reader *rd = two_towns(f, &t);
    int64_t fa = 0, fb = 0, fire = -1;
    bool opened;
    fires_point a = {t0() + 10 * 3600, 113.801, 34.70, 80, "FY-3D"};
    assert_int_equal(fires_add(f->s, &t, &a, t0(), &fa, &opened, err, sizeof err), 1);
    /* 0.0045° of latitude ≈ 500 m north, four hours later: the same fire. */
    int64_t r1 =
        public_report(f->s, CASE_CAT_OPEN_BURNING, 113.801, 34.7045, t0() + 14 * 3600, &fire);
    assert_int_equal(fire, fa);
    assert_int_equal(joined_to(f->s, r1), fa);
    /* 2.7 km east, a dust report beside the fire, the fire's place 30 h later: none joins. */
    int64_t r2 = public_report(f->s, CASE_CAT_OPEN_BURNING, 113.83, 34.70, t0() + 14 * 3600, &fire);
    assert_int_equal(fire, 0);
    int64_t r3 = public_report(f->s, CASE_CAT_DUST, 113.801, 34.7001, t0() + 14 * 3600, &fire);
    assert_int_equal(fire, 0);
    int64_t r4 =
        public_report(f->s, CASE_CAT_OPEN_BURNING, 113.801, 34.70, t0() + 40 * 3600, &fire);
    assert_int_equal(fire, 0);
    /* A report before the satellite saw the fire joins the case its point opens. */
    int64_t r5 =
        public_report(f->s, CASE_CAT_OPEN_BURNING, 113.9005, 34.75, t0() + 15 * 3600, &fire);
    assert_int_equal(fire, 0);
    fires_point b = {t0() + 16 * 3600, 113.90, 34.75, 70, "NPP"};
    assert_int_equal(fires_add(f->s, &t, &b, t0() + 16 * 3600, &fb, &opened, err, sizeof err), 1);
    assert_true(opened && fb != fa);
    assert_int_equal(joined_to(f->s, r5), fb);
    assert_int_equal(joined_to(f->s, r2), 0); /* still too far from both */
    assert_int_equal(joined_to(f->s, r3), 0);
    assert_int_equal(joined_to(f->s, r4), 0);
    int64_t *ids = NULL;
    size_t n = 0;
    if (fires_reports_of(f->s, fa, &ids, &n, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], r1);
    free(ids);
    if (fires_reports_of(f->s, fb, &ids, &n, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], r5);
    free(ids);
    /* A report joins once. */
    em_fire_report_row again = {r1, fb, 1.0, t0() + 20 * 3600};
    assert_int_equal(em_fire_report_put(f->s, &again, err, sizeof err), 0);
    assert_int_equal(joined_to(f->s, r1), fa);
    fires_towns_free(&t);
    ew_read_close(rd);
}

static void same_camera_twice_in_an_hour_is_one_case(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    case_actor dev = {.name = "cam-gw", .role = EW_ROLE_UNIT, .org = "jiulong"};
    int64_t h = t0() + 10 * 3600, c1, c2, c3;
    bool o1, o2, o3;
    fires_video a = {.camera = "CAM-7", .ts_utc = h + 5 * 60, .kind = "smoke"};
    fires_video b = {.camera = "CAM-7", .ts_utc = h + 40 * 60, .kind = "fire"};
    fires_video c = {.camera = "CAM-7", .ts_utc = h + 65 * 60, .kind = "fire"};
    assert_int_equal(fires_video_alarm(f->s, &a, &dev, h, &c1, &o1, err, sizeof err), 0);
    assert_int_equal(fires_video_alarm(f->s, &b, &dev, h, &c2, &o2, err, sizeof err), 0);
    assert_int_equal(fires_video_alarm(f->s, &c, &dev, h, &c3, &o3, err, sizeof err), 0);
    assert_true(o1);
    assert_false(o2);
    assert_int_equal(c1, c2);
    assert_true(o3 && c3 != c1); /* the next hour opens its own */
    case_actor pub = {.name = "public", .role = EW_ROLE_PUBLIC, .org = NULL};
    assert_int_equal(fires_video_alarm(f->s, &a, &pub, h, &c1, &o1, err, sizeof err),
                     EW_EFORBIDDEN);
    assert_int_equal(cases(f, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allowance_is_the_baseline_less_the_cut),
        cmocka_unit_test_setup_teardown(orange_warning_breach_at_85_percent_opens_one_case,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(
            emission_over_the_cut_and_a_silent_outlet_open_their_own_cases, tu_store_setup,
            tu_store_teardown),
        cmocka_unit_test_setup_teardown(a_warning_is_checked_for_two_days_after_its_end,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(observation_basis_and_report_aqi_come_from_the_zone,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(list_edits_are_checked_and_logged, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(reported_points_are_all_or_none_and_the_bureaus,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(three_points_300_m_apart_in_two_hours_are_one_case,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(public_reports_of_the_same_fire_join_its_case,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(same_camera_twice_in_an_hour_is_one_case, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
