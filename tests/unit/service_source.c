/* service_source: the scan of outlets' hourly data into alerts and cases, on a real SQLite
 * store: an exceedance episode opens one case, a mark over it opens none, a constant series
 * is a suspect, a second scan adds nothing, and an enterprise sees only its own outlets. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "service/casework.h"
#include "service/source.h"
#include "store/office.h"
#include "store/source.h"
#include "testutil.h"

#define SO2 "a21026"
#define O2 "a19001"

typedef struct fx {
    tu_tmpdb db;
    store *s;
    int64_t site, other, t0;
} fx;

static const case_actor bureau = {"sthj", EW_ROLE_BUREAU, "sthj"};

static int64_t outlet(store *s, const char *mn, const char *ent)
{
    char err[256];
    store_site st = {.mn = mn,
                     .pw = "123456",
                     .kind = "gas_outlet",
                     .name = mn,
                     .town = "九龙镇",
                     .lon = NAN,
                     .lat = NAN,
                     .enterprise = ent};
    int64_t id = 0;
    assert_int_equal(store_site_put(s, &st, &id, err, sizeof err), 0);
    /* SO2 35 mg/m³ at the reference O2 9 % (GB 13271-2014 style). */
    source_limit l = {.site_id = id,
                      .param = SO2,
                      .period = "hour",
                      .kind = "upper",
                      .max_milli = 35000,
                      .o2_ref_milli = 9000,
                      .standard = "GB 13271-2014"};
    if (source_limit_set(s, &bureau, NULL, &l, 1000, err, sizeof err))
        fail_msg("%s", err);
    return id;
}

static void hour(store *s, int64_t site, const char *param, int64_t t, double v)
{
    char err[256];
    store_hour h = {.site_id = site,
                    .param = param,
                    .hour_utc = t,
                    .value = v,
                    .min = v,
                    .max = v,
                    .n_min = 60,
                    .n_valid = 60,
                    .flag = "N"};
    if (store_hour_put(s, &h, err, sizeof err) < 0)
        fail_msg("%s", err);
}

/* 12 hours: SO2 varying under the limit, hours 5..7 at 50..52 (above 35), O2 at 9 % (the
 * reference: the converted value equals the measured one). */
static void series(store *s, int64_t site, int64_t t0, bool constant)
{
    for (int i = 0; i < 12; i++) {
        double v = constant ? 20.0 : (i >= 5 && i < 8 ? 50.0 + (i - 5) : 20.0 + 0.25 * i);
        hour(s, site, SO2, t0 + i * 3600, v);
        hour(s, site, O2, t0 + i * 3600, 9.0);
    }
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->s = tu_store_open(&f->db, "source");
    assert_non_null(f->s);
    f->t0 = ew_bj_day_start(ew_days_from_civil(2026, 3, 2));
    f->site = outlet(f->s, "QY0000000001", "甲化工");
    f->other = outlet(f->s, "QY0000000002", "乙电力");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->s);
    tu_tmpdb_remove(&f->db);
    free(f);
    return 0;
}

typedef struct seen {
    int n;
    source_alert last;
    char rule[32], state[16], param[16];
} seen;

static int count(void *ctx, const source_alert *a)
{
    seen *c = ctx;
    c->n++;
    c->last = *a;
    snprintf(c->rule, sizeof c->rule, "%s", a->rule);
    snprintf(c->state, sizeof c->state, "%s", a->state);
    snprintf(c->param, sizeof c->param, "%s", a->param);
    c->last.rule = c->last.param = c->last.evidence = c->last.state = NULL;
    c->last.enterprise = NULL;
    return 0;
}

/* The evidence text of the (last) alert listed, into ctx (2048 bytes). */
static int evidence_of(void *ctx, const source_alert *a)
{
    snprintf(ctx, 2048, "%s", a->evidence ? a->evidence : "");
    return 0;
}

static seen alerts(fx *f, const case_actor *who, const char *rule)
{
    seen c = {0};
    char err[256];
    source_alert_filter flt = {.rule = rule};
    if (source_alerts_list(f->s, who, &flt, count, &c, err, sizeof err))
        fail_msg("%s", err);
    return c;
}

static source_scan_result scan(fx *f)
{
    source_scan_result r;
    char err[256];
    if (source_scan(f->s, NULL, f->t0 + 86400, &r, err, sizeof err))
        fail_msg("%s", err);
    return r;
}

static void three_hours_over_the_limit_are_one_episode_one_alert_one_case(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, false);
    source_scan_result r = scan(f);
    assert_int_equal(r.outlets, 1);
    assert_int_equal(r.alerts_new, 1);
    assert_int_equal(r.cases_opened, 1);
    seen c = alerts(f, &bureau, NULL);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rule, "exceedance_hourly");
    assert_string_equal(c.state, "open");
    assert_int_equal(c.last.from_utc, f->t0 + 5 * 3600);
    assert_int_equal(c.last.to_utc, f->t0 + 8 * 3600);
    assert_int_equal(c.last.value_milli, 52000);
    assert_int_equal(c.last.limit_milli, 35000);
    assert_int_equal(c.last.multiple_milli, 486); /* 52 / 35 − 1 = 0.4857 */
    assert_true(c.last.case_id > 0);
    int rc = 0;
    case_error ce;
    ew_case *k = casework_load(f->s, c.last.case_id, NULL, &rc, &ce);
    assert_non_null(k);
    assert_int_equal(k->source, CASE_SRC_MONITORING_ALERT);
    assert_int_equal(k->category, CASE_CAT_EXCEEDANCE);
    assert_int_equal(k->state, CASE_ASSIGNED);
    assert_string_equal(k->unit, "zonghe-zhifa");
    assert_non_null(strstr(k->location, "九龙镇"));
    /* The case says in words what happened: enterprise, outlet, factor, rule, Beijing-time
     * window and the figures (hours 05:00–08:00 of 2 March, SO2 52 against 35). */
    assert_string_equal(
        k->description,
        "甲化工 QY0000000001：二氧化硫小时均值超过排放限值，2026-03-02 05:00 至 "
        "2026-03-02 08:00（北京时间），最大值 52 mg/m³，限值 35 mg/m³，超标 0.486 倍。");
    case_free(k);
}

static void a_mark_over_the_hours_opens_no_case_and_lists_the_alert_as_marked(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, false);
    char err[256];
    source_mark m = {.site_id = f->site,
                     .from_utc = f->t0 + 5 * 3600,
                     .to_utc = f->t0 + 8 * 3600,
                     .cls = 1,
                     .reason = "校准"};
    const case_actor ent = {"qiye", EW_ROLE_ENTERPRISE, "甲化工"};
    if (source_mark_file(f->s, &ent, NULL, &m, 2000, NULL, err, sizeof err))
        fail_msg("%s", err);
    source_scan_result r = scan(f);
    seen c = alerts(f, &bureau, "exceedance_hourly");
    assert_int_equal(c.n, 1);
    assert_string_equal(c.state, "marked");
    assert_int_equal(c.last.case_id, 0);
    /* Every one of the week's 3 exceedance hours lies inside the mark: that pattern is a
     * suspect of its own (marked_exceedance), and it alone opens a case. */
    seen s = alerts(f, &bureau, "marked_exceedance");
    assert_int_equal(s.n, 1);
    assert_int_equal(s.last.from_utc, f->t0 + 5 * 3600);
    assert_int_equal(s.last.to_utc, f->t0 + 8 * 3600);
    assert_true(s.last.case_id > 0);
    assert_int_equal(r.cases_opened, 1);
}

static int mark_count(void *ctx, const source_mark *m)
{
    (void)m;
    ++*(int *)ctx;
    return 0;
}

static void a_mark_without_a_reason_or_with_an_empty_window_is_refused(void **state)
{
    fx *f = *state;
    char err[256];
    const case_actor ent = {"qiye", EW_ROLE_ENTERPRISE, "甲化工"};
    source_mark m = {.site_id = f->site,
                     .from_utc = f->t0 + 5 * 3600,
                     .to_utc = f->t0 + 8 * 3600,
                     .cls = 1,
                     .reason = ""};
    assert_int_equal(source_mark_file(f->s, &ent, NULL, &m, 2000, NULL, err, sizeof err),
                     EW_EINVALID);
    m.reason = "校准";
    m.to_utc = m.from_utc;
    assert_int_equal(source_mark_file(f->s, &ent, NULL, &m, 2000, NULL, err, sizeof err),
                     EW_EINVALID);
    assert_non_null(strstr(err, "after from"));
    int n = 0;
    assert_int_equal(
        source_marks_list(f->s, &ent, 0, 0, INT64_MAX, mark_count, &n, err, sizeof err), EW_OK);
    assert_int_equal(n, 0);
    /* The same mark with a window is stored: the refusals above were the checks, not the rest. */
    m.to_utc = m.from_utc + 3600;
    int64_t id = 0;
    assert_int_equal(source_mark_file(f->s, &ent, NULL, &m, 2000, &id, err, sizeof err), EW_OK);
    assert_true(id > 0);
    assert_int_equal(
        source_marks_list(f->s, &ent, 0, 0, INT64_MAX, mark_count, &n, err, sizeof err), EW_OK);
    assert_int_equal(n, 1);
}
static void a_constant_series_is_a_suspect(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, true);
    source_scan_result r = scan(f);
    assert_int_equal(r.alerts_new, 1);
    seen c = alerts(f, &bureau, "constant_value");
    assert_int_equal(c.n, 1);
    assert_int_equal(c.last.from_utc, f->t0);
    assert_int_equal(c.last.to_utc, f->t0 + 12 * 3600);
    assert_true(c.last.case_id > 0);
    assert_int_equal(alerts(f, &bureau, "exceedance_hourly").n, 0);
}

static void a_second_scan_adds_nothing(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, false);
    series(f->s, f->other, f->t0, true);
    source_scan_result r1 = scan(f);
    assert_int_equal(r1.alerts_new, 2);
    source_scan_result r2 = scan(f);
    assert_int_equal(r2.outlets, 0);
    assert_int_equal(r2.alerts_new + r2.alerts_moved + r2.cases_opened, 0);
    /* A forced re-judgement (new hours, nothing new in the episodes) adds nothing either. */
    hour(f->s, f->site, SO2, f->t0 + 12 * 3600, 21.0);
    hour(f->s, f->site, O2, f->t0 + 12 * 3600, 9.0);
    source_scan_result r3 = scan(f);
    assert_int_equal(r3.outlets, 1);
    assert_int_equal(r3.alerts_new + r3.alerts_moved + r3.cases_opened, 0);
    assert_int_equal(alerts(f, &bureau, NULL).n, 2);
}

static void an_enterprise_sees_only_its_own_outlets(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, false);
    series(f->s, f->other, f->t0, true);
    (void)scan(f);
    const case_actor own = {"qiye", EW_ROLE_ENTERPRISE, "甲化工"};
    const case_actor pub = {"public", EW_ROLE_PUBLIC, NULL};
    seen c = alerts(f, &own, NULL);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.last.site_id, f->site);
    char err[256];
    seen x = {0};
    seen b = alerts(f, &bureau, "constant_value");
    assert_int_equal(source_alert_show(f->s, &own, b.last.id, count, &x, err, sizeof err),
                     EW_ENOTFOUND);
    source_alert_filter flt = {0};
    assert_int_equal(source_alerts_list(f->s, &pub, &flt, count, &x, err, sizeof err),
                     EW_EFORBIDDEN);
    source_limit l = {.site_id = f->site,
                      .param = SO2,
                      .period = "hour",
                      .kind = "upper",
                      .max_milli = 1,
                      .standard = "x"};
    assert_int_equal(source_limit_set(f->s, &own, NULL, &l, 3000, err, sizeof err), EW_EFORBIDDEN);
}

/* HJ 75-2017 折算: SO2 30 mg/m³ measured at 12 % O2 is 30 × (21 − 9) / (21 − 12) = 40 at the
 * reference 9 %: above 35 though the measured value is not. At 19.5 % O2 (≥ the guard) no
 * converted value exists and nothing is judged. */
static void the_converted_value_is_judged_not_the_measured_one(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 6; i++) {
        hour(f->s, f->site, SO2, f->t0 + i * 3600, i < 2 ? 30.0 : 30.0 + i);
        hour(f->s, f->site, O2, f->t0 + i * 3600, i < 2 ? 12.0 : 19.5);
    }
    source_scan_result r = scan(f);
    seen c = alerts(f, &bureau, "exceedance_hourly");
    assert_int_equal(c.n, 1);
    assert_int_equal(c.last.from_utc, f->t0);
    assert_int_equal(c.last.to_utc, f->t0 + 2 * 3600);
    assert_int_equal(c.last.value_milli, 40000);
    /* The hours at 19.5 % O2 are not judged, and they are the o2_dilution suspect. */
    seen d = alerts(f, &bureau, "o2_dilution");
    assert_int_equal(d.n, 1);
    assert_string_equal(d.param, O2);
    assert_int_equal(d.last.from_utc, f->t0 + 2 * 3600);
    assert_int_equal(d.last.to_utc, f->t0 + 6 * 3600);
    assert_int_equal(d.last.value_milli, 19500);
    assert_int_equal(d.last.limit_milli, 19000);
    assert_int_equal(r.alerts_new, 2);
}

/* An episode still going on at the last hour grows with the next hours: the same alert (a
 * newer row of its key) and the same case, not a second one. */
static void a_growing_episode_keeps_its_alert_and_case(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 7; i++) {
        hour(f->s, f->site, SO2, f->t0 + i * 3600, i >= 5 ? 50.0 + i : 20.0 + 0.25 * i);
        hour(f->s, f->site, O2, f->t0 + i * 3600, 9.0);
    }
    source_scan_result r1 = scan(f);
    assert_int_equal(r1.alerts_new + r1.cases_opened, 2);
    seen c1 = alerts(f, &bureau, NULL);
    hour(f->s, f->site, SO2, f->t0 + 7 * 3600, 60.0);
    hour(f->s, f->site, O2, f->t0 + 7 * 3600, 9.0);
    source_scan_result r2 = scan(f);
    assert_int_equal(r2.alerts_new, 0);
    assert_int_equal(r2.alerts_moved, 1);
    assert_int_equal(r2.cases_opened, 0);
    seen c2 = alerts(f, &bureau, NULL);
    assert_int_equal(c2.n, 1);
    assert_int_equal(c2.last.to_utc, f->t0 + 8 * 3600);
    assert_int_equal(c2.last.value_milli, 60000);
    assert_int_equal(c2.last.case_id, c1.last.case_id);
    seen one = {0};
    char err[256];
    assert_int_equal(source_alert_show(f->s, &bureau, c1.last.id, count, &one, err, sizeof err), 0);
    assert_int_equal(one.last.id, c2.last.id); /* an old row id shows the newest row */
}

typedef struct lim_seen {
    int n;
    int64_t so2_max, so2_o2;
} lim_seen;

static int lim_count(void *ctx, const source_limit *l)
{
    lim_seen *c = ctx;
    c->n++;
    if (!strcmp(l->param, SO2) && !strcmp(l->period, "hour")) {
        c->so2_max = l->max_milli;
        c->so2_o2 = l->o2_ref_milli;
    }
    return 0;
}

/* docs/source-limits.md: a default row sets the rows of standards/limits.h, an explicit
 * row after it replaces one of them; a bad line stores nothing. */
static void a_limits_file_sets_defaults_then_the_permit(void **state)
{
    fx *f = *state;
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/limits.csv", f->db.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("mn,param,period,max,o2_ref,standard,source,level\n"
          "# the zone's coal boilers\n"
          "QY0000000002,,,,,GB 13271-2014,coal_boiler,special\n"
          "QY0000000002,a21026,hour,35,9,permit 91410100,,\n",
          fp);
    fclose(fp);
    int n = 0;
    assert_int_equal(source_limits_load(f->s, path, "system", 5000, &n, err, sizeof err), 0);
    lim_seen c = {0};
    assert_int_equal(source_limits_each(f->s, f->other, lim_count, &c, err, sizeof err), 0);
    assert_true(c.n >= 3);        /* PM, SO2, NOx at least */
    assert_int_equal(n, c.n + 1); /* the SO2 row was set twice: default, then the permit */
    assert_int_equal(c.so2_max, 35000);
    assert_int_equal(c.so2_o2, 9000);
    fp = fopen(path, "w");
    fputs("QY0000000001,a21002,hour,50,9,permit,,\nQY0000000001,a21026,hour,x,9,permit,,\n", fp);
    fclose(fp);
    assert_int_equal(source_limits_load(f->s, path, "system", 6000, NULL, err, sizeof err),
                     EW_EINVALID);
    assert_non_null(strstr(err, "line 2"));
    lim_seen d = {0};
    assert_int_equal(source_limits_each(f->s, f->site, lim_count, &d, err, sizeof err), 0);
    assert_int_equal(d.n, 1); /* only the SO2 limit of setup: the good line 1 was undone */
}

/* A wastewater outlet of 甲化工 with one daily upper limit; its site id. */
static int64_t water_outlet(fx *f, const char *mn, const char *param, int64_t max_milli,
                            const char *standard)
{
    char err[256];
    store_site st = {.mn = mn,
                     .pw = "123456",
                     .kind = "water_outlet",
                     .name = "outfall",
                     .town = "九龙镇",
                     .lon = NAN,
                     .lat = NAN,
                     .enterprise = "甲化工"};
    int64_t id = 0;
    assert_int_equal(store_site_put(f->s, &st, &id, err, sizeof err), 0);
    source_limit l = {.site_id = id,
                      .param = param,
                      .period = "day",
                      .kind = "upper",
                      .max_milli = max_milli,
                      .o2_ref_milli = SOURCE_NO_VALUE,
                      .standard = standard};
    assert_int_equal(source_limit_set(f->s, &bureau, NULL, &l, 1000, err, sizeof err), 0);
    return id;
}

/* Wastewater (HJ 355-2019): COD judged on its flow-weighted daily mean. Day 1 at 40..42.3
 * mg/L, day 2 at 60..62.3 (mean 61.15), 10 L/s throughout, limit 50: one daily episode. */
static void a_wastewater_daily_mean_over_the_limit_is_one_alert(void **state)
{
    fx *f = *state;
    int64_t id = water_outlet(f, "QY0000000003", "w01018", 50000, "GB 8978-1996");
    for (int i = 0; i < 48; i++) {
        hour(f->s, id, "w01018", f->t0 + i * 3600, (i < 24 ? 40.0 : 60.0) + 0.1 * (i % 24));
        hour(f->s, id, "w00000", f->t0 + i * 3600, 10.0);
    }
    source_scan_result r = scan(f);
    assert_int_equal(r.cases_opened, 1);
    seen c = alerts(f, &bureau, "exceedance_daily");
    assert_int_equal(c.n, 1);
    assert_int_equal(c.last.from_utc, f->t0 + 86400);
    assert_int_equal(c.last.to_utc, f->t0 + 2 * 86400);
    assert_int_equal(c.last.value_milli, 61150);
    assert_int_equal(c.last.multiple_milli, 223);
    assert_true(c.last.case_id > 0);
}

static int audit_count(void *ctx, const office_audit *a)
{
    if (!strcmp(a->action, "source.limit.put") && !strcmp(a->actor, "sthj"))
        ++*(int *)ctx;
    return 0;
}

static void limit_changes_are_audited(void **state)
{
    fx *f = *state;
    int n = 0;
    char err[256];
    assert_true(office_audit_each(f->s, 100, 0, NULL, audit_count, &n, err, sizeof err) >= 0);
    assert_int_equal(n, 2); /* the two limits set in setup */
}

/* ---- the screens in the scan (screen.h defaults), each at its threshold ---------------- */

static void mark(fx *f, int64_t site, int cls, int64_t from, int64_t to)
{
    char err[256];
    source_mark m = {.site_id = site, .from_utc = from, .to_utc = to, .cls = cls, .reason = "停产"};
    if (source_mark_file(f->s, &bureau, NULL, &m, 2000, NULL, err, sizeof err))
        fail_msg("%s", err);
}

#define CLS_PRODUCTION 6 /* EXCEED_MARK_PRODUCTION: 生产设施工况 (停运) */
#define FLOW "a00000"

/* Four running hours at zero are a suspect, three are not; zeros under a stop mark or with
 * no flow are not "running" and are not judged. */
static void zero_values_need_four_running_hours(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 24; i++) {
        bool zero = i < 4 || (i >= 6 && i < 9) || (i >= 12 && i < 16);
        hour(f->s, f->site, SO2, f->t0 + i * 3600, zero ? 0.0 : 20.0 + 0.25 * i);
        hour(f->s, f->site, O2, f->t0 + i * 3600, 9.0);
        hour(f->s, f->other, SO2, f->t0 + i * 3600, i < 6 ? 0.0 : 20.0 + 0.25 * i);
        hour(f->s, f->other, O2, f->t0 + i * 3600, 9.0);
        hour(f->s, f->other, FLOW, f->t0 + i * 3600, i < 6 ? 0.0 : 12.5);
    }
    mark(f, f->site, CLS_PRODUCTION, f->t0 + 12 * 3600, f->t0 + 16 * 3600);
    (void)scan(f);
    seen z = alerts(f, &bureau, "zero_value");
    assert_int_equal(z.n, 1);
    assert_int_equal(z.last.site_id, f->site);
    assert_int_equal(z.last.from_utc, f->t0);
    assert_int_equal(z.last.to_utc, f->t0 + 4 * 3600);
    assert_int_equal(z.last.value_milli, 0);
    assert_true(z.last.case_id > 0);
    /* The zeros are identical too, but they are one event: no constant_value beside it. The
     * three zero hours are a constant run short of the zero screen's four: not one either. */
    assert_int_equal(alerts(f, &bureau, "constant_value").n, 0);
}

/* From 80 (over 35) to 34 (just under, at most half of 80) is a sudden drop; to 30 (below the
 * 10 % band) or from 60 to 34 (not halved) is not. The first pair is measured at 12 % O2, 60
 * and 25.5: the drop is in the values judged against the limit (× 12 / 9), not the measured. */
static void a_drop_from_over_the_limit_to_just_under_is_a_suspect(void **state)
{
    fx *f = *state;
    const double v[] = {20, 60, 25.5, 21, 80, 30, 22, 60, 34, 23};
    for (int i = 0; i < 10; i++) {
        hour(f->s, f->site, SO2, f->t0 + i * 3600, v[i]);
        hour(f->s, f->site, O2, f->t0 + i * 3600, i == 1 || i == 2 ? 12.0 : 9.0);
    }
    (void)scan(f);
    seen d = alerts(f, &bureau, "sudden_drop");
    assert_int_equal(d.n, 1);
    assert_int_equal(d.last.from_utc, f->t0 + 3600);
    assert_int_equal(d.last.to_utc, f->t0 + 3 * 3600);
    assert_int_equal(d.last.value_milli, 34000);
    assert_int_equal(d.last.limit_milli, 35000);
    assert_int_equal(alerts(f, &bureau, "exceedance_hourly").n, 3);
}

/* 20 of 24 running hours of a week within [31.5, 35] (83 %) are a suspect; 19 (79 %) are
 * not. */
static void values_crowding_under_the_limit_are_a_suspect(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 24; i++) {
        double band = 32.0 + 0.1 * (i % 10);
        hour(f->s, f->site, SO2, f->t0 + i * 3600, i < 20 ? band : 20.0 + i);
        hour(f->s, f->site, O2, f->t0 + i * 3600, 9.0);
        hour(f->s, f->other, SO2, f->t0 + i * 3600, i < 19 ? band : 20.0 + i);
        hour(f->s, f->other, O2, f->t0 + i * 3600, 9.0);
    }
    (void)scan(f);
    seen b = alerts(f, &bureau, "just_below_limit");
    assert_int_equal(b.n, 1);
    assert_int_equal(b.last.site_id, f->site);
    assert_int_equal(b.last.from_utc, f->t0);
    assert_int_equal(b.last.to_utc, f->t0 + 20 * 3600);
    assert_int_equal(b.last.value_milli, 32900);
}

/* A stop mark over hours whose flue-gas flow is 10 m³/s: the mark is suspect. The other
 * outlet's flow is 0 under its mark: nothing. */
static void flow_under_a_stop_mark_is_a_suspect(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 6; i++) {
        for (int k = 0; k < 2; k++) {
            int64_t site = k ? f->other : f->site;
            hour(f->s, site, SO2, f->t0 + i * 3600, 20.0 + i);
            hour(f->s, site, O2, f->t0 + i * 3600, 9.0);
            hour(f->s, site, FLOW, f->t0 + i * 3600, k ? 0.0 : 10.0);
        }
    }
    mark(f, f->site, CLS_PRODUCTION, f->t0 + 2 * 3600, f->t0 + 5 * 3600);
    mark(f, f->other, CLS_PRODUCTION, f->t0 + 2 * 3600, f->t0 + 5 * 3600);
    /* A maintenance mark does not say the facility stopped: flow under it is no suspect. */
    mark(f, f->site, 1, f->t0, f->t0 + 2 * 3600);
    (void)scan(f);
    seen m = alerts(f, &bureau, "marked_stop_running");
    assert_int_equal(m.n, 1);
    assert_int_equal(m.last.site_id, f->site);
    assert_string_equal(m.param, FLOW);
    assert_int_equal(m.last.from_utc, f->t0 + 2 * 3600);
    assert_int_equal(m.last.to_utc, f->t0 + 5 * 3600);
    assert_int_equal(m.last.value_milli, 10000);
}

/* A Beijing day with 21 of its 24 hours received (87.5 %) is a data gap, one with 22 (91.7 %)
 * is not, and 21 hours on a day with a 3-hour stop mark are all that was due. The day in
 * progress is not judged. */
static void a_day_short_of_ninety_percent_is_a_data_gap(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 3 * 24 + 2; i++) {
        int h = i % 24, d = i / 24;
        if ((d == 0 && h >= 5 && h < 8) || (d == 1 && h >= 5 && h < 7) ||
            (d == 2 && h >= 10 && h < 13))
            continue;
        hour(f->s, f->site, SO2, f->t0 + i * 3600, 20.0 + 0.25 * (i % 8));
        hour(f->s, f->site, O2, f->t0 + i * 3600, 9.0);
    }
    mark(f, f->site, CLS_PRODUCTION, f->t0 + 2 * 86400 + 10 * 3600, f->t0 + 2 * 86400 + 13 * 3600);
    (void)scan(f);
    seen g = alerts(f, &bureau, "data_gap");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.last.from_utc, f->t0);
    assert_int_equal(g.last.to_utc, f->t0 + 86400);
    assert_int_equal(g.last.value_milli, 87500);
    assert_int_equal(g.last.limit_milli, 90000);
    int rc = 0;
    case_error ce;
    ew_case *k = casework_load(f->s, g.last.case_id, NULL, &rc, &ce);
    assert_non_null(k);
    assert_int_equal(k->category, CASE_CAT_DATA_FALSIFICATION);
    assert_non_null(strstr(k->description, "有效传输率 87.5%，要求不低于 90%"));
    case_free(k);
}

static source_scan_result scan_at(fx *f, int64_t now)
{
    source_scan_result r;
    char err[256];
    if (source_scan(f->s, NULL, now, &r, err, sizeof err))
        fail_msg("%s", err);
    return r;
}

/* An outlet that stops sending: 23 silent hours are nothing, 24 an alert with its case; the
 * silence going on moves the same alert; hours under a stop mark do not count. */
static void an_outlet_that_stops_sending_is_a_suspect(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, false);  /* last value at t0 + 11 h */
    series(f->s, f->other, f->t0, false); /* the same, but marked stopped for 6 hours */
    mark(f, f->other, CLS_PRODUCTION, f->t0 + 12 * 3600, f->t0 + 18 * 3600);
    int64_t silent_from = f->t0 + 12 * 3600;
    (void)scan_at(f, silent_from + 23 * 3600 + 1800);
    assert_int_equal(alerts(f, &bureau, "data_silent").n, 0);
    source_scan_result r = scan_at(f, silent_from + 24 * 3600 + 59);
    seen g = alerts(f, &bureau, "data_silent");
    assert_int_equal(g.n, 1);
    assert_int_equal(r.cases_opened, 1);
    assert_int_equal(g.last.site_id, f->site);
    assert_string_equal(g.param, "all");
    assert_int_equal(g.last.from_utc, silent_from);
    assert_int_equal(g.last.to_utc, silent_from + 24 * 3600);
    assert_int_equal(g.last.value_milli, 24000);
    assert_int_equal(g.last.limit_milli, 24000);
    int64_t case_id = g.last.case_id;
    assert_true(case_id > 0);
    /* Six hours on: the same alert (one row per key listed), longer, the same case; the
     * marked outlet reaches 24 counted hours only now. */
    r = scan_at(f, silent_from + 30 * 3600);
    g = alerts(f, &bureau, "data_silent");
    assert_int_equal(g.n, 2);
    assert_int_equal(r.cases_opened, 1);
    seen mine = {0};
    char err[256];
    source_alert_filter flt = {.rule = "data_silent", .site_id = f->site};
    assert_int_equal(source_alerts_list(f->s, &bureau, &flt, count, &mine, err, sizeof err), 0);
    assert_int_equal(mine.n, 1);
    assert_int_equal(mine.last.to_utc, silent_from + 30 * 3600);
    assert_int_equal(mine.last.value_milli, 30000);
    assert_int_equal(mine.last.case_id, case_id);
    flt.site_id = f->other;
    mine = (seen){0};
    assert_int_equal(source_alerts_list(f->s, &bureau, &flt, count, &mine, err, sizeof err), 0);
    assert_int_equal(mine.n, 1);
    assert_int_equal(mine.last.value_milli, 24000);
    char ev[2048];
    assert_int_equal(source_alerts_list(f->s, &bureau, &flt, evidence_of, ev, err, sizeof err), 0);
    assert_non_null(strstr(ev, "\"hours\":24,\"exempt_hours\":6"));
    /* Data again: the next silence would be a new episode; this one stays as it was. */
    hour(f->s, f->site, SO2, silent_from + 30 * 3600, 20.0);
    (void)scan_at(f, silent_from + 31 * 3600);
    flt.site_id = f->site;
    mine = (seen){0};
    assert_int_equal(source_alerts_list(f->s, &bureau, &flt, count, &mine, err, sizeof err), 0);
    assert_int_equal(mine.n, 1);
    assert_int_equal(mine.last.to_utc, silent_from + 30 * 3600);
}

/* envwatch rules run: judging stored data again finds what a scan finds, once. */
static void a_rescan_finds_each_alert_once(void **state)
{
    fx *f = *state;
    series(f->s, f->site, f->t0, false);
    char err[256];
    source_scan_result r;
    assert_int_equal(
        source_rescan(f->s, NULL, f->t0, f->t0 + 86400, f->t0 + 86400, &r, err, sizeof err), EW_OK);
    assert_int_equal(r.outlets, 1);
    assert_int_equal(r.alerts_new, 1);
    assert_int_equal(r.cases_opened, 1);
    assert_int_equal(
        source_rescan(f->s, NULL, f->t0, f->t0 + 86400, f->t0 + 86400, &r, err, sizeof err), EW_OK);
    assert_int_equal(r.alerts_new + r.alerts_moved + r.cases_opened, 0);
    source_scan_result q = scan(f);
    assert_int_equal(q.alerts_new + q.alerts_moved + q.cases_opened, 0);
    /* A window that ends inside the episode sees it cut short: the stored, longer row
     * stays the newest, and no second case opens. */
    assert_int_equal(
        source_rescan(f->s, NULL, f->t0, f->t0 + 7 * 3600, f->t0 + 86400, &r, err, sizeof err),
        EW_OK);
    assert_int_equal(r.alerts_new + r.alerts_moved + r.cases_opened, 0);
    seen c = alerts(f, &bureau, "exceedance_hourly");
    assert_int_equal(c.last.to_utc, f->t0 + 8 * 3600);
    /* A window starting inside the episode reads back a lookback and keeps its key. */
    assert_int_equal(source_rescan(f->s, NULL, f->t0 + 6 * 3600, f->t0 + 86400, f->t0 + 86400, &r,
                                   err, sizeof err),
                     EW_OK);
    assert_int_equal(r.alerts_new + r.alerts_moved + r.cases_opened, 0);
    assert_int_equal(source_rescan(f->s, NULL, f->t0, f->t0, f->t0, &r, err, sizeof err),
                     EW_EINVALID);
}

/* An episode from Sunday 22:00 to Monday 02:00 (t0 is Monday 2 March, Beijing): a re-run
 * from Monday 01:00 still sees it start on Sunday, though its week starts at Monday 00:00. */
static void a_rescan_keeps_the_key_of_an_episode_across_the_week(void **state)
{
    fx *f = *state;
    for (int i = -6; i < 6; i++) {
        hour(f->s, f->site, SO2, f->t0 + i * 3600, i >= -2 && i < 2 ? 50.0 + i : 20.0 + i);
        hour(f->s, f->site, O2, f->t0 + i * 3600, 9.0);
    }
    char err[256];
    source_scan_result r;
    assert_int_equal(
        source_rescan(f->s, NULL, f->t0 - 86400, f->t0 + 86400, f->t0 + 86400, &r, err, sizeof err),
        EW_OK);
    assert_int_equal(r.alerts_new, 1);
    seen c = alerts(f, &bureau, "exceedance_hourly");
    assert_int_equal(c.last.from_utc, f->t0 - 2 * 3600);
    assert_int_equal(
        source_rescan(f->s, NULL, f->t0 + 3600, f->t0 + 86400, f->t0 + 86400, &r, err, sizeof err),
        EW_OK);
    assert_int_equal(r.alerts_new + r.alerts_moved + r.cases_opened, 0);
    assert_int_equal(alerts(f, &bureau, "exceedance_hourly").n, 1);
}

typedef struct cat_seen {
    int n, applied;
    char constant[96];
    bool treatment_applied;
} cat_seen;

static int cat_count(void *ctx, const source_rule *r)
{
    cat_seen *c = ctx;
    c->n++;
    c->applied += r->applied;
    assert_non_null(r->name_zh);
    assert_non_null(r->source);
    if (!strcmp(r->id, "constant_value"))
        snprintf(c->constant, sizeof c->constant, "%s", r->thresholds);
    if (!strcmp(r->id, "treatment_off"))
        c->treatment_applied = r->applied;
    return 0;
}

/* The catalogue names every rule with the thresholds of the configuration it is given. */
static void the_catalogue_shows_the_configured_thresholds(void **state)
{
    (void)state;
    cat_seen c = {0};
    assert_int_equal(source_rules_each(NULL, cat_count, &c), 0);
    assert_int_equal(c.n, 2 + SCREEN_RULE_COUNT);
    assert_int_equal(c.applied, c.n); /* treatment_off too, on outlets with facilities */
    assert_true(c.treatment_applied);
    assert_string_equal(c.constant, "{\"min_hours\":4,\"tolerance\":0.000}");
    source_config cfg = source_config_default();
    cfg.screen.constant_min_hours = 6;
    cat_seen d = {0};
    assert_int_equal(source_rules_each(&cfg, cat_count, &d), 0);
    assert_string_equal(d.constant, "{\"min_hours\":6,\"tolerance\":0.000}");
    assert_string_equal(source_rule_zh("zero_value"), "零值");
    assert_string_equal(source_rule_zh("exceedance_daily"), "日均值超标");
    assert_null(source_rule_zh("no_such_rule"));
}

/* The bureau's thresholds file: names in their units, all or nothing; and the scan applies
 * what it says (12 constant hours are no suspect when 13 are required). */
static void a_thresholds_file_sets_the_scan(void **state)
{
    fx *f = *state;
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/rules.txt", f->db.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(
        "# 恒值：13 小时\nconstant_min_hours = 13\n  o2_high=20.5 # %\n\ntransmission_min = 0.85\n"
        "deadline_days = 3\n",
        fp);
    fclose(fp);
    source_config cfg = source_config_default();
    assert_int_equal(source_config_load(&cfg, path, err, sizeof err), EW_OK);
    assert_int_equal(cfg.screen.constant_min_hours, 13);
    assert_int_equal(cfg.screen.o2_high_milli, 20500);
    assert_int_equal(cfg.screen.transmission_min_permille, 850);
    assert_int_equal(cfg.deadline_s, 3 * 86400);
    series(f->s, f->site, f->t0, true);
    source_scan_result r;
    assert_int_equal(source_scan(f->s, &cfg, f->t0 + 86400, &r, err, sizeof err), EW_OK);
    assert_int_equal(alerts(f, &bureau, "constant_value").n, 0);
    /* A bad line anywhere leaves the configuration as it was. */
    fp = fopen(path, "w");
    fputs("constant_min_hours = 5\nbelow_share = 1.5\n", fp);
    fclose(fp);
    assert_int_equal(source_config_load(&cfg, path, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "rules.txt:2: below_share"));
    assert_int_equal(cfg.screen.constant_min_hours, 13);
    assert_int_equal(source_config_set(&cfg, "constant_min_hours", "4.5", err, sizeof err),
                     EW_EINVALID);
    assert_int_equal(source_config_set(&cfg, "constant_min_hours", "1", err, sizeof err),
                     EW_EINVALID); /* a run is at least 2 hours (screen.h) */
    assert_int_equal(source_config_set(&cfg, "no_such", "1", err, sizeof err), EW_EINVALID);
    assert_int_equal(source_config_set(&cfg, "zero_threshold", "0.05", err, sizeof err), EW_OK);
    assert_int_equal(cfg.screen.zero_threshold_milli, 50);
    assert_int_equal(cfg.screen.constant_min_hours, 13);
}

/* A wastewater outlet whose NH3-N reads above its TN for two hours: one nh3n_over_tn alert
 * with the pairs as evidence; equal readings are no suspect. */
static void ammonia_above_total_nitrogen_is_a_suspect(void **state)
{
    fx *f = *state;
    char err[256];
    int64_t id = water_outlet(f, "QY0000000004", "w21003", 45000, "GB/T 31962-2015");
    for (int i = 0; i < 8; i++) {
        double nh3 = 4.0 + 0.1 * i, tn = i == 3 || i == 4 ? nh3 - 0.25 : i == 6 ? nh3 : nh3 + 3;
        hour(f->s, id, "w21003", f->t0 + i * 3600, nh3);
        hour(f->s, id, "w21001", f->t0 + i * 3600, tn);
        hour(f->s, id, "w00000", f->t0 + i * 3600, 10.0);
    }
    (void)scan(f);
    seen a = alerts(f, &bureau, "nh3n_over_tn");
    assert_int_equal(a.n, 1);
    assert_string_equal(a.param, "w21003");
    assert_int_equal(a.last.from_utc, f->t0 + 3 * 3600);
    assert_int_equal(a.last.to_utc, f->t0 + 5 * 3600);
    assert_int_equal(a.last.value_milli, 250);
    source_alert_filter flt = {.rule = "nh3n_over_tn"};
    char ev[2048] = "";
    assert_int_equal(source_alerts_list(f->s, &bureau, &flt, evidence_of, ev, err, sizeof err), 0);
    assert_non_null(strstr(ev, "\"nh3n\":4.300,\"tn\":4.050"));
    int rc = 0;
    case_error ce;
    ew_case *k = casework_load(f->s, a.last.case_id, NULL, &rc, &ce);
    assert_non_null(k);
    assert_non_null(strstr(k->description, "氨氮高于同一小时的总氮"));
    assert_non_null(strstr(k->description, "超出总氮最多 0.25 mg/L"));
    case_free(k);
}

/* A wastewater outlet at 10 L/s for the 28 days before Monday t0: that week, 4 hours at 1.9
 * (under 20 %) and 4 at 31 (over 3 times) are two flow suspects; 3 hours at 1 are too short,
 * and 4 hours at 1 under a stop mark are declared. */
static void flow_far_from_its_usual_level_is_a_suspect(void **state)
{
    fx *f = *state;
    int64_t id = water_outlet(f, "QY0000000005", "w01018", 500000, "GB/T 31962-2015");
    for (int i = -28 * 24; i < 0; i++)
        hour(f->s, id, "w00000", f->t0 + i * 3600, 10.0 + 0.01 * (i % 5));
    for (int i = 0; i < 24; i++) {
        double q = i < 4               ? 1.9
                   : i >= 6 && i < 9   ? 1.0
                   : i >= 10 && i < 14 ? 31.0
                   : i >= 16 && i < 20 ? 1.0
                                       : 10.0;
        hour(f->s, id, "w00000", f->t0 + i * 3600, q);
    }
    mark(f, id, CLS_PRODUCTION, f->t0 + 16 * 3600, f->t0 + 20 * 3600);
    (void)scan(f);
    seen a = alerts(f, &bureau, "flow_mismatch");
    assert_int_equal(a.n, 2);
    assert_string_equal(a.param, "w00000");
    /* newest episode first: the high run is listed first, so the last seen is the low one */
    assert_int_equal(a.last.from_utc, f->t0);
    assert_int_equal(a.last.to_utc, f->t0 + 4 * 3600);
    assert_int_equal(a.last.value_milli, 1900);
    assert_true(a.last.limit_milli >= 9960 && a.last.limit_milli <= 10040);
    int rc = 0;
    case_error ce;
    ew_case *k = casework_load(f->s, a.last.case_id, NULL, &rc, &ce);
    assert_non_null(k);
    assert_non_null(strstr(k->description, "最低 1.9 L/s"));
    case_free(k);
}

/* 分表计电: production SC1 (runs at 10 kW) and treatment ZL1 (runs at 5 kW) of the outlet.
 * ZL1 at 1 kW while SC1 runs (hours 2–3) is treatment_off; at 1 kW while SC1 is off (hours
 * 6–7) it is not. Hours whose production is off are not running for the other screens: the
 * zeros of hours 4–7 are a run of 2 running hours, no zero_value; without the facilities
 * they are one. */
static void treatment_power_off_while_production_runs(void **state)
{
    fx *f = *state;
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/facilities.csv", f->db.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("outlet_mn,facility,role,running_kw\n# 甲化工 1# 线\nQY0000000001,SC1,production,10\n"
          "QY0000000001,ZL1,treatment,5\n",
          fp);
    fclose(fp);
    source_facilities fs = {0};
    assert_int_equal(source_facilities_load(&fs, path, err, sizeof err), EW_OK);
    assert_int_equal(fs.n, 2);
    const double sc1[8] = {50, 50, 50, 50, 50, 50, 2, 2}, zl1[8] = {30, 30, 1, 1, 30, 30, 1, 1};
    for (int i = 0; i < 8; i++) {
        hour(f->s, f->site, SO2, f->t0 + i * 3600, i >= 4 ? 0.0 : 20.0 + i);
        hour(f->s, f->site, O2, f->t0 + i * 3600, 9.0);
        hour(f->s, f->site, "SC1", f->t0 + i * 3600, sc1[i]);
        hour(f->s, f->site, "ZL1", f->t0 + i * 3600, zl1[i]);
    }
    source_config cfg = source_config_default();
    cfg.facilities = &fs;
    source_scan_result r;
    assert_int_equal(
        source_rescan(f->s, &cfg, f->t0, f->t0 + 86400, f->t0 + 86400, &r, err, sizeof err), EW_OK);
    seen t = alerts(f, &bureau, "treatment_off");
    assert_int_equal(t.n, 1);
    assert_string_equal(t.param, "ZL1");
    assert_int_equal(t.last.from_utc, f->t0 + 2 * 3600);
    assert_int_equal(t.last.to_utc, f->t0 + 4 * 3600);
    assert_int_equal(t.last.value_milli, 1000);
    assert_int_equal(t.last.limit_milli, 5000);
    assert_int_equal(alerts(f, &bureau, "zero_value").n, 0);
    assert_int_equal(
        source_rescan(f->s, NULL, f->t0, f->t0 + 86400, f->t0 + 86400, &r, err, sizeof err), EW_OK);
    assert_int_equal(alerts(f, &bureau, "zero_value").n, 1);
    /* A bad line keeps the list as it was. */
    fp = fopen(path, "w");
    fputs("QY0000000001,SC2,production,10\nQY0000000001,ZL2,cleaning,5\n", fp);
    fclose(fp);
    assert_int_equal(source_facilities_load(&fs, path, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, ":2: role"));
    assert_int_equal(fs.n, 2);
    assert_string_equal(fs.v[0].code, "SC1");
    source_facilities_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            three_hours_over_the_limit_are_one_episode_one_alert_one_case, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_mark_over_the_hours_opens_no_case_and_lists_the_alert_as_marked, setup, teardown),
        cmocka_unit_test_setup_teardown(a_mark_without_a_reason_or_with_an_empty_window_is_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_constant_series_is_a_suspect, setup, teardown),
        cmocka_unit_test_setup_teardown(a_second_scan_adds_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(an_enterprise_sees_only_its_own_outlets, setup, teardown),
        cmocka_unit_test_setup_teardown(limit_changes_are_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(a_wastewater_daily_mean_over_the_limit_is_one_alert, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_limits_file_sets_defaults_then_the_permit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_growing_episode_keeps_its_alert_and_case, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(zero_values_need_four_running_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(a_drop_from_over_the_limit_to_just_under_is_a_suspect,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(values_crowding_under_the_limit_are_a_suspect, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(flow_under_a_stop_mark_is_a_suspect, setup, teardown),
        cmocka_unit_test_setup_teardown(a_day_short_of_ninety_percent_is_a_data_gap, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_outlet_that_stops_sending_is_a_suspect, setup, teardown),
        cmocka_unit_test_setup_teardown(a_rescan_finds_each_alert_once, setup, teardown),
        cmocka_unit_test_setup_teardown(a_rescan_keeps_the_key_of_an_episode_across_the_week, setup,
                                        teardown),
        cmocka_unit_test(the_catalogue_shows_the_configured_thresholds),
        cmocka_unit_test_setup_teardown(ammonia_above_total_nitrogen_is_a_suspect, setup, teardown),
        cmocka_unit_test_setup_teardown(flow_far_from_its_usual_level_is_a_suspect, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_thresholds_file_sets_the_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(treatment_power_off_while_production_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(the_converted_value_is_judged_not_the_measured_one, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
