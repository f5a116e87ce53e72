/* source_scan: the scan of outlets' hourly data into alerts and cases (service/source.h,
 * source_scan): exceedances (mark-aware) and the falsification-suspect screens of
 * standards/screen.h, each hit stored as an alert with its evidence. */
#include "service/source.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/textbuf.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "service/casework.h"
#include "service/source_internal.h"
#include "standards/exceed.h"
#include "standards/fluegas.h"
#include "standards/wastewater.h"

#define HOUR_S 3600
#define O2_PARAM "a19001"       /* HJ 212-2017 Annex B: 氧气含量 */
#define FLOW_PARAM "w00000"     /* HJ 212-2017 Annex B: 废水流量, L/s */
#define NH3N_PARAM "w21003"     /* HJ 212-2017 Annex B: 氨氮, mg/L */
#define TN_PARAM "w21001"       /* HJ 212-2017 Annex B: 总氮, mg/L */
#define REF_DAYS 28             /* flow_mismatch: the reference window before each week */
#define GAS_FLOW_PARAM "a00000" /* HJ 212-2017 Annex B: 废气 (flue-gas flow), m³/s */
#define DAY_S 86400
#define BJ_OFFSET_S (8 * 3600)

/* ---- the scan ----------------------------------------------------------------------- */

/* One hour of an outlet's parameter, as read and as judged. */
typedef struct hour_row {
    int64_t t_utc;
    int64_t raw_milli; /* FLUEGAS_NA when none or invalid */
    int64_t o2_milli;  /* FLUEGAS_NA when none */
    int64_t judged_milli;
    bool valid;
    bool running; /* the screens' "running" (set_running) */
} hour_row;

typedef struct hours {
    hour_row *v;
    size_t n, cap;
    int64_t from_utc;
} hours;

static int hour_keep(void *ctx, int64_t t, double value, const char *flag)
{
    hours *h = ctx;
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->v = xrealloc(h->v, h->cap * sizeof *h->v);
    }
    /* HJ 75-2017: only values flagged N (or unflagged) enter the judgement. */
    bool ok = isfinite(value) && fabs(value) < 1e9 && fluegas_flag_valid(flag[0]) &&
              (flag[0] == 0 || flag[1] == 0);
    h->v[h->n++] = (hour_row){.t_utc = t,
                              .raw_milli = ok ? llround(value * 1000.0) : FLUEGAS_NA,
                              .o2_milli = FLUEGAS_NA,
                              .judged_milli = FLUEGAS_NA,
                              .valid = ok};
    return 0;
}

typedef struct marks {
    exceed_mark *v;
    size_t n, cap;
} marks;

static int mark_keep(void *ctx, const source_mark *m)
{
    marks *ms = ctx;
    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? 2 * ms->cap : 8;
        ms->v = xrealloc(ms->v, ms->cap * sizeof *ms->v);
    }
    ms->v[ms->n++] = (exceed_mark){m->from_utc, m->to_utc, (exceed_mark_class)m->cls};
    return 0;
}

typedef struct latest {
    bool found;
    int64_t to_utc, case_id, value_milli;
    char state[16];
} latest;

static int latest_keep(void *ctx, const source_alert *a)
{
    latest *l = ctx;
    l->found = true;
    l->to_utc = a->to_utc;
    l->case_id = a->case_id;
    l->value_milli = a->value_milli;
    snprintf(l->state, sizeof l->state, "%s", a->state);
    return 0;
}

/* Real-time power (HJ 212-2025 C37 / C38) for the hours that have no hour value: the
 * hour's mean, valid as screen_rtd_hour_valid says. Appended; the caller sorts. */
typedef struct rtd_fill {
    hours *h;
    size_t n0; /* the hour values, sorted, before any real-time hour was appended */
} rtd_fill;

static int rtd_hour_keep(void *ctx, int64_t hour_utc, double mean, int64_t n, int64_t first_utc,
                         int64_t last_utc)
{
    rtd_fill *f = ctx;
    size_t lo = 0, hi = f->n0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->h->v[mid].t_utc < hour_utc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->n0 && f->h->v[lo].t_utc == hour_utc)
        return 0; /* the device's or the platform's hour value comes first */
    return hour_keep(f->h, hour_utc, mean,
                     screen_rtd_hour_valid(n, first_utc, last_utc) ? "N" : "D");
}

static int hour_cmp(const void *a, const void *b)
{
    int64_t x = ((const hour_row *)a)->t_utc, y = ((const hour_row *)b)->t_utc;
    return (x > y) - (x < y);
}

/* The outlet's facilities (分表计电) and their hours in the judged window. */
typedef struct power {
    size_t n;
    const source_facility *f[16];
    hours h[16];
} power;

/* data_silent: the param of its alerts (every factor is silent), and the longest silence
 * still followed (a year and a day: an outlet silent longer is gone). */
#define SILENT_PARAM "all"
#define SILENT_MAX_S (367 * 86400LL)

/* What one outlet's judgement needs to raise an alert. */
typedef struct scan_ctx {
    store *s;
    const source_config *cfg;
    int64_t now_utc;
    const source_outlet *o;
    source_scan_result *res;
    /* A re-run over a window that ends before the outlet's last hour: its end. An episode
     * reaching it is cut by the window, not ended, and does not replace a longer stored row.
     * 0 for the scan, whose window always reaches the last hour. */
    int64_t cut_utc;
    const power *pw; /* the outlet's facilities and their hours, NULL when it has none */
} scan_ctx;

/* What a person reads of an alert's rule in its case, after the factor's name. */
static const char *rule_case_text(const char *rule)
{
    static const struct {
        const char *id, *text;
    } t[] = {
        {"exceedance_hourly", "小时均值超过排放限值"},
        {"exceedance_daily", "日均值超过排放限值"},
        {"constant_value", "监测数据长时间恒定不变（疑似异常，需核查）"},
        {"zero_value", "排放期间监测值长时间为零（疑似异常，需核查）"},
        {"o2_dilution", "运行期间异常偏高（疑似稀释排放或探头不在烟道内，需核查）"},
        {"just_below_limit", "监测值长期集中在限值下方（疑似数据被修饰，需核查）"},
        {"sudden_drop", "监测值从超标骤降至刚低于限值（疑似干预仪器或数据，需核查）"},
        {"marked_exceedance", "超标时段均落在标记期内（疑似以标记规避超标判定，需核查）"},
        {"marked_stop_running", "停运标记期间仍有流量（疑似虚假标记，需核查）"},
        {"nh3n_over_tn",
         "高于同一小时的总氮（氨氮是总氮的一部分，疑似仪器故障或数据被篡改，需核查）"},
        {"flow_mismatch", "与该排口近期正常生产时的流量明显不符（疑似另有排放去向、流量计被干预或稀"
                          "释排放，需核查）"},
        {"treatment_off", "生产设施运行期间治理设施用电低于运行阈值（疑似治理设施未运行，需核查）"},
        {"data_gap", "当日有效传输率不足"},
        {"data_silent", "停止上传（数据中断，疑似断电、断网或停运未标记，需核查）"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(rule, t[i].id))
            return t[i].text;
    return rule;
}

/* A milli-unit figure as people write it: 14.910 → "14.91", 10.000 → "10". */
static void milli_text(int64_t v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.3f", (double)v / 1000.0);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

/* Open, accept and assign the case of an alert. Its text is for the people who act on it:
 * the enterprise, the outlet, the factor and the rule by name, the Beijing-time window and
 * the figures; the alert itself (its hours, marks and limit) is linked by case id. */
static int open_case(scan_ctx *sc, const source_alert *a, case_category cat, int64_t *case_id,
                     char *err, size_t errcap)
{
    const case_actor sys = {"system", EW_ROLE_BUREAU, NULL};
    char loc[300], desc[600], from[32], to[32], val[32], lim[32], mul[48] = "";
    snprintf(loc, sizeof loc, "%s%s%s", sc->o->town ? sc->o->town : "", sc->o->town ? " " : "",
             sc->o->name);
    ew_format_iso_bj(a->from_utc, from, sizeof from);
    ew_format_iso_bj(a->to_utc, to, sizeof to);
    const hj212_param *p = hj212_param_find((hj212_str){a->param, strlen(a->param)});
    const char *unit = p && p->unit ? p->unit : "";
    milli_text(a->value_milli, val, sizeof val);
    milli_text(a->limit_milli, lim, sizeof lim);
    if (a->multiple_milli != SOURCE_NO_VALUE) {
        char m[32];
        milli_text(a->multiple_milli, m, sizeof m);
        snprintf(mul, sizeof mul, "，超标 %s 倍", m);
    }
    /* The figures: a limit for exceedances, a threshold for the screens; the transmission
     * rate of data_gap is a share, not the factor's unit. */
    char figures[200];
    if (!strcmp(a->rule, "data_gap"))
        snprintf(figures, sizeof figures, "有效传输率 %s%%，要求不低于 %s%%", val, lim);
    else if (!strcmp(a->rule, "data_silent"))
        snprintf(figures, sizeof figures, "未上传 %s 小时（停运标记时段不计），阈值 %s 小时", val,
                 lim);
    else if (!strcmp(a->rule, "treatment_off"))
        snprintf(figures, sizeof figures, "治理设施 %s 最高用电 %s kW，运行阈值 %s kW", a->param,
                 val, lim);
    else if (!strcmp(a->rule, "flow_mismatch"))
        snprintf(figures, sizeof figures, "%s %s %s，参考流量（前 28 天运行小时中位数）%s %s",
                 a->value_milli < a->limit_milli ? "最低" : "最高", val, unit, lim, unit);
    else if (!strcmp(a->rule, "nh3n_over_tn"))
        snprintf(figures, sizeof figures, "超出总氮最多 %s %s", val, unit);
    else if (a->limit_milli == 0) /* marked_stop_running: the flow, no limit */
        snprintf(figures, sizeof figures, "最大值 %s %s", val, unit);
    else /* o2_dilution is judged against the O2 guard, the rest against the outlet's limit */
        snprintf(figures, sizeof figures, "最大值 %s %s，%s %s %s%s", val, unit,
                 strcmp(a->rule, "o2_dilution") ? "限值" : "阈值", lim, unit, mul);
    /* from/to are ISO 8601 with +08:00: the date and the minute are what people read. */
    snprintf(desc, sizeof desc, "%s%s%s：%s%s，%.10s %.5s 至 %.10s %.5s（北京时间），%s。",
             sc->o->enterprise ? sc->o->enterprise : "", sc->o->enterprise ? " " : "", sc->o->name,
             !strcmp(a->param, SILENT_PARAM) ? "全部监测因子"
             : p                             ? p->name_zh
                                             : a->param,
             rule_case_text(a->rule), from, from + 11, to, to + 11, figures);
    case_report r = {
        .source = CASE_SRC_MONITORING_ALERT, .category = cat, .location = loc, .description = desc};
    case_error ce = {{0}};
    int64_t id = 0;
    if (casework_open(sc->s, &r, &sys, NULL, sc->now_utc, &id, NULL, &ce) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "case: %s", ce.msg);
    case_cmd acc = {.action = CASE_ACT_ACCEPT};
    case_cmd asg = {.action = CASE_ACT_ASSIGN,
                    .unit = sc->cfg->unit,
                    .deadline_utc = sc->now_utc + sc->cfg->deadline_s};
    if (casework_apply(sc->s, id, &acc, &sys, sc->now_utc, NULL, &ce) < 0 ||
        casework_apply(sc->s, id, &asg, &sys, sc->now_utc, NULL, &ce) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "case %" PRId64 ": %s", id, ce.msg);
    *case_id = id;
    sc->res->cases_opened++;
    return EW_OK;
}

/* Store alert a (its key, window, values, state) unless its newest row says the same; open
 * its case when it is open and has none. */
static int raise_alert(scan_ctx *sc, source_alert *a, case_category cat, char *err, size_t errcap)
{
    latest l = {0};
    int rc = source_alert_latest(sc->s, a->site_id, a->rule, a->param, a->episode_utc, latest_keep,
                                 &l, err, errcap);
    if (rc < 0)
        return rc;
    a->case_id = l.case_id;
    if (l.found && sc->cut_utc && a->to_utc >= sc->cut_utc && l.to_utc > a->to_utc)
        return EW_OK; /* the stored row saw more of the episode than this window does */
    bool want_case = !strcmp(a->state, "open") && !l.case_id;
    if (l.found && l.to_utc == a->to_utc && l.value_milli == a->value_milli &&
        !strcmp(l.state, a->state) && !want_case)
        return EW_OK; /* nothing new: a re-run adds nothing */
    if (want_case && (rc = open_case(sc, a, cat, &a->case_id, err, errcap)))
        return rc;
    a->created_utc = sc->now_utc;
    if ((rc = source_alert_add(sc->s, a, NULL, err, errcap)))
        return rc;
    if (l.found)
        sc->res->alerts_moved++;
    else
        sc->res->alerts_new++;
    return EW_OK;
}

/* The evidence of a window: its hours, the limit and the thresholds. */
static char *evidence(const char *rule, const source_limit *lim, const hours *h, int64_t from,
                      int64_t to, unsigned mark_classes, const char *extra)
{
    ew_textbuf b = {0};
    ew_tb_printf(&b, "{\"rule\":\"%s\",\"param\":\"%s\",\"period\":\"%s\",\"limit\":", rule,
                 lim->param, lim->period);
    ew_tb_milli(&b, lim->kind[0] == 'r' ? lim->hi_milli : lim->max_milli);
    ew_tb_printf(&b, ",\"standard\":\"%s\",\"o2_ref\":", lim->standard);
    ew_tb_milli(&b, lim->o2_ref_milli);
    ew_tb_printf(&b, ",\"hours\":[");
    bool first = true;
    for (size_t i = 0; i < h->n; i++) {
        const hour_row *r = &h->v[i];
        if (r->t_utc < from || r->t_utc >= to)
            continue;
        ew_tb_printf(&b, "%s{\"t\":", first ? "" : ",");
        first = false;
        ew_tb_iso(&b, r->t_utc);
        ew_tb_printf(&b, ",\"raw\":");
        ew_tb_milli(&b, r->raw_milli);
        ew_tb_printf(&b, ",\"o2\":");
        ew_tb_milli(&b, r->o2_milli);
        ew_tb_printf(&b, ",\"judged\":");
        ew_tb_milli(&b, r->judged_milli);
        exceed_verdict v = {false, EXCEED_NO_MULTIPLE};
        if (r->valid && r->judged_milli != FLUEGAS_NA && lim->kind[0] == 'u') {
            exceed_limit el = {.kind = EXCEED_UPPER, .max_milli = lim->max_milli};
            if (exceed_judge(&el, r->judged_milli, &v) < 0)
                v = (exceed_verdict){false, EXCEED_NO_MULTIPLE};
        }
        ew_tb_printf(&b, ",\"multiple\":");
        ew_tb_milli(&b, v.multiple_milli);
        ew_tb_printf(&b, "}");
    }
    ew_tb_printf(&b, "],\"marks\":[");
    first = true;
    for (int c = 0; c < EXCEED_MARK_CLASS_COUNT; c++)
        if (mark_classes & (1u << c)) {
            ew_tb_printf(&b, "%s\"%s\"", first ? "" : ",", source_mark_class_name(c));
            first = false;
        }
    ew_tb_printf(&b, "]%s}", extra ? extra : "");
    return b.p;
}

/* Store the alert of an exceedance episode (judged: open; under marks: marked), with its
 * evidence ev (taken: freed here). */
static int raise_episode(scan_ctx *sc, const source_limit *lim, const char *rule,
                         const exceed_episode *e, bool marked, char *ev, char *err, size_t errcap)
{
    source_alert a = {.site_id = sc->o->site_id,
                      .rule = rule,
                      .param = lim->param,
                      .episode_utc = e->from_utc,
                      .from_utc = e->from_utc,
                      .to_utc = e->to_utc,
                      .value_milli = e->max_value_milli,
                      .limit_milli = e->limit_milli,
                      .multiple_milli = e->max_multiple_milli == EXCEED_NO_MULTIPLE
                                            ? SOURCE_NO_VALUE
                                            : e->max_multiple_milli,
                      .evidence = ev,
                      .state = marked ? "marked" : "open"};
    int rc = raise_alert(sc, &a, CASE_CAT_EXCEEDANCE, err, errcap);
    free(ev);
    return rc;
}

/* ---- the screens ------------------------------------------------------------------- */

/* The thresholds of a rule under cfg as a JSON object: in the evidence of each alert and in
 * the catalogue (source_rules_each), so both show the figures that were applied. */
static void thresholds(ew_textbuf *b, const char *rule, const source_config *cfg)
{
    const screen_params *p = &cfg->screen;
#define PM(x) ((double)(x) / 1000.0)
    if (!strcmp(rule, "exceedance_hourly"))
        ew_tb_printf(b, "{\"o2_guard\":%.3f}", PM(cfg->o2_guard_milli));
    else if (!strcmp(rule, "exceedance_daily")) {
        ww_day_rule r = ww_day_rule_default();
        ew_tb_printf(b, "{\"expected_hours\":%d,\"min_share\":%.3f}", r.n_expected,
                     PM(r.share_permille));
    } else if (!strcmp(rule, "constant_value"))
        ew_tb_printf(b, "{\"min_hours\":%d,\"tolerance\":%.3f}", p->constant_min_hours,
                     PM(p->constant_tolerance_milli));
    else if (!strcmp(rule, "zero_value"))
        ew_tb_printf(b, "{\"min_hours\":%d,\"threshold\":%.3f}", p->zero_min_hours,
                     PM(p->zero_threshold_milli));
    else if (!strcmp(rule, "o2_dilution"))
        ew_tb_printf(b, "{\"min_hours\":%d,\"o2_high\":%.3f}", p->o2_min_hours,
                     PM(p->o2_high_milli));
    else if (!strcmp(rule, "just_below_limit"))
        ew_tb_printf(b, "{\"band\":%.3f,\"share\":%.3f,\"min_hours\":%d,\"window\":\"week\"}",
                     PM(p->below_band_permille), PM(p->below_share_permille), p->below_min_hours);
    else if (!strcmp(rule, "sudden_drop"))
        ew_tb_printf(b, "{\"drop_share\":%.3f,\"band\":%.3f}", PM(p->drop_share_permille),
                     PM(p->below_band_permille));
    else if (!strcmp(rule, "treatment_off"))
        ew_tb_printf(b, "{\"running\":%.3f,\"min_hours\":%d}", PM(p->treatment_running_milli),
                     p->treatment_min_hours);
    else if (!strcmp(rule, "marked_stop_running"))
        ew_tb_printf(b, "{\"min_hours\":%d,\"flow_above\":0}", p->stop_running_min_hours);
    else if (!strcmp(rule, "marked_exceedance"))
        ew_tb_printf(b, "{\"min_periods\":%" PRId64 ",\"share\":%.3f,\"window\":\"week\"}",
                     p->marked_exceed_min_periods, PM(p->marked_exceed_share_permille));
    else if (!strcmp(rule, "nh3n_over_tn"))
        ew_tb_printf(b, "{\"tolerance\":%.3f,\"min_hours\":%d}", PM(p->inversion_tolerance_milli),
                     p->inversion_min_hours);
    else if (!strcmp(rule, "flow_mismatch"))
        ew_tb_printf(b,
                     "{\"low\":%.3f,\"high\":%.3f,\"min_hours\":%d,\"reference_days\":%d,"
                     "\"reference_min_hours\":%d}",
                     PM(p->flow_low_permille), PM(p->flow_high_permille), p->flow_min_hours,
                     REF_DAYS, p->flow_ref_min_hours);
    else if (!strcmp(rule, "data_gap"))
        ew_tb_printf(b, "{\"min_effective\":%.3f,\"expected_hours\":24,\"water_check_hours\":1}",
                     PM(p->transmission_min_permille));
    else if (!strcmp(rule, "data_silent"))
        ew_tb_printf(b, "{\"min_hours\":%d,\"max_days\":%d}", p->silent_min_hours,
                     (int)(SILENT_MAX_S / DAY_S));
    else
        ew_tb_printf(b, "{}");
#undef PM
}

/* Mark classes that declare the production facility not producing (生产设施工况: start-up,
 * shut-down, 停运; 非排污单位责任: 长期停运). Hours under them are not "running". */
static bool mark_stops(exceed_mark_class c)
{
    return c == EXCEED_MARK_PRODUCTION || c == EXCEED_MARK_NON_LIABILITY;
}

/* True when a stop mark overlaps the hour starting at t. */
static bool stopped_at(const marks *ms, int64_t t)
{
    for (size_t i = 0; i < ms->n; i++)
        if (mark_stops(ms->v[i].cls) && ms->v[i].from_utc < t + HOUR_S && ms->v[i].to_utc > t)
            return true;
    return false;
}

/* The hour starting at t of hs, or NULL. */
static const hour_row *hour_at(const hours *hs, int64_t t)
{
    size_t lo = 0, hi = hs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hs->v[mid].t_utc < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < hs->n && hs->v[lo].t_utc == t ? &hs->v[lo] : NULL;
}

/* Production at hour t by the production facilities' power: 1 some facility runs (at or
 * above its running power), 0 every one with a value is below it, -1 no value (or no
 * production facility). */
static int production_at(const power *pw, int64_t t)
{
    int state = -1;
    for (size_t i = 0; pw && i < pw->n; i++) {
        if (pw->f[i]->treatment)
            continue;
        const hour_row *r = hour_at(&pw->h[i], t);
        if (!r || !r->valid)
            continue;
        if (r->raw_milli >= pw->f[i]->running_milli)
            return 1;
        state = 0;
    }
    return state;
}

/* The screens leave "running" to the caller (screen.h). Without electricity data (分表计电
 * is not received yet) the evidence the platform holds is: a valid value, no stop mark over
 * the hour, and — where the outlet's flow has a valid value that hour — a flow above zero. */
static void set_running(hours *h, const hours *flow, const marks *ms, const power *pw)
{
    size_t j = 0;
    for (size_t i = 0; i < h->n; i++) {
        hour_row *r = &h->v[i];
        while (flow && j < flow->n && flow->v[j].t_utc < r->t_utc)
            j++;
        bool no_flow = flow && j < flow->n && flow->v[j].t_utc == r->t_utc && flow->v[j].valid &&
                       flow->v[j].raw_milli <= 0;
        /* Production power, where the outlet has it, is the better evidence: an hour whose
         * production facilities are all below their running power is not running. */
        r->running =
            r->valid && !no_flow && !stopped_at(ms, r->t_utc) && production_at(pw, r->t_utc) != 0;
    }
}

/* Store the alert of a screen's hit over lim's factor, keyed by episode (the hit's first hour,
 * or the start of the window it was judged over). value is the alert's figure (the hit's
 * largest value unless said), limit_milli what it was judged against (0: none). */
static int raise_hit(scan_ctx *sc, const source_limit *lim, const hours *h, const screen_hit *x,
                     int64_t episode_utc, int64_t value_milli, int64_t limit_milli,
                     unsigned mark_classes, const char *extra, char *err, size_t errcap)
{
    const char *rule = screen_rule_info_of(x->rule)->id;
    ew_textbuf t = {0};
    ew_tb_printf(&t, ",\"thresholds\":");
    thresholds(&t, rule, sc->cfg);
    ew_tb_printf(&t, ",\"hours_hit\":%d,\"min\":", x->hours);
    ew_tb_milli(&t, x->min_milli);
    ew_tb_printf(&t, ",\"max\":");
    ew_tb_milli(&t, x->max_milli);
    ew_tb_printf(&t, "%s", extra ? extra : "");
    char *ev = evidence(rule, lim, h, x->from_utc, x->to_utc, mark_classes, t.p);
    free(t.p);
    source_alert a = {.site_id = sc->o->site_id,
                      .rule = rule,
                      .param = lim->param,
                      .episode_utc = episode_utc,
                      .from_utc = x->from_utc,
                      .to_utc = x->to_utc,
                      .value_milli = value_milli,
                      .limit_milli = limit_milli,
                      .multiple_milli = SOURCE_NO_VALUE,
                      .evidence = ev,
                      .state = "open"};
    int rc = raise_alert(sc, &a, CASE_CAT_DATA_FALSIFICATION, err, errcap);
    free(ev);
    return rc;
}

/* The run screens over sh (constant_value, zero_value, o2_dilution, marked_stop_running
 * when stops is given), each hit an alert. */
static int run_screen(scan_ctx *sc, screen_rule rule, const source_limit *lim, const hours *h,
                      const screen_hour *sh, const marks *stops, int64_t limit_milli, char *err,
                      size_t errcap)
{
    size_t cap = h->n + 1, n_hit = 0;
    screen_hit *hits = xmalloc(cap * sizeof *hits);
    exceed_mark *sm = NULL;
    size_t n_sm = 0;
    int rc;
    if (rule == SCREEN_MARKED_STOP_RUNNING) {
        sm = xmalloc((stops->n + 1) * sizeof *sm);
        for (size_t i = 0; i < stops->n; i++)
            if (mark_stops(stops->v[i].cls))
                sm[n_sm++] = stops->v[i];
        rc = screen_marked_stop_running(sh, h->n, sm, n_sm, &sc->cfg->screen, hits, cap, &n_hit);
    } else
        rc = screen_runs(rule, sh, h->n, &sc->cfg->screen, hits, cap, &n_hit);
    if (rc < 0)
        rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 " %s: %s refused the series",
                     sc->o->site_id, lim->param, screen_rule_info_of(rule)->id);
    for (size_t k = 0; rc == EW_OK && k < n_hit; k++) {
        /* A run of zeros is the zero_value suspect (judged on upper limits): one event, one
         * alert and one case, not a constant_value beside it. */
        if (rule == SCREEN_CONSTANT_VALUE && lim->kind[0] == 'u' &&
            hits[k].max_milli <= sc->cfg->screen.zero_threshold_milli &&
            hits[k].hours >= sc->cfg->screen.zero_min_hours)
            continue;
        rc = raise_hit(sc, lim, h, &hits[k], hits[k].from_utc, hits[k].max_milli, limit_milli, 0,
                       NULL, err, errcap);
    }
    free(sm);
    free(hits);
    return rc;
}

/* Monday 00:00 Beijing time of the week holding t (UTC seconds): the window of the screens
 * that judge a share over a long window (just_below_limit, marked_exceedance). A calendar
 * week keeps the window, and with it the alert's key, the same on every re-run. */
static int64_t bj_week_start(int64_t t_utc)
{
    int64_t l = t_utc + BJ_OFFSET_S;
    int64_t d = l / DAY_S - (l % DAY_S < 0);
    int64_t wd = ((d + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
    return (d - wd) * DAY_S - BJ_OFFSET_S;
}

/* The window screens of an upper limit, week by week over the judged values sj: the share
 * just under the limit, and exceedances that all lie inside marks (ep judged, mk marked). */
static int week_screens(scan_ctx *sc, const source_limit *lim, const hours *h,
                        const screen_hour *sj, const exceed_episode *ep, size_t n_ep,
                        const exceed_episode *mk, size_t n_mk, char *err, size_t errcap)
{
    int rc = EW_OK;
    size_t i = 0;
    exceed_episode *wj = xmalloc((n_ep + 1) * sizeof *wj), *wm = xmalloc((n_mk + 1) * sizeof *wm);
    while (rc == EW_OK && i < h->n) {
        int64_t w0 = bj_week_start(h->v[i].t_utc), w1 = w0 + 7 * DAY_S;
        size_t j = i;
        while (j < h->n && h->v[j].t_utc < w1)
            j++;
        bool hit = false;
        screen_hit x;
        if (screen_just_below(sj + i, j - i, lim->max_milli, &sc->cfg->screen, &hit, &x) < 0)
            rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 " %s: just_below refused",
                         sc->o->site_id, lim->param);
        else if (hit)
            rc = raise_hit(sc, lim, h, &x, w0, x.max_milli, lim->max_milli, 0, NULL, err, errcap);
        size_t nj = 0, nm = 0;
        for (size_t k = 0; k < n_ep; k++)
            if (ep[k].from_utc >= w0 && ep[k].from_utc < w1)
                wj[nj++] = ep[k];
        for (size_t k = 0; k < n_mk; k++)
            if (mk[k].from_utc >= w0 && mk[k].from_utc < w1)
                wm[nm++] = mk[k];
        hit = false;
        if (rc == EW_OK && screen_marked_exceedance(wj, nj, wm, nm, &sc->cfg->screen, &hit, &x) < 0)
            rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 " %s: marked refused",
                         sc->o->site_id, lim->param);
        else if (rc == EW_OK && hit) {
            unsigned cls = 0;
            for (size_t k = 0; k < nm; k++)
                cls |= wm[k].mark_classes;
            char extra[96];
            snprintf(extra, sizeof extra, ",\"periods_judged\":%zu,\"periods_marked\":%zu", nj, nm);
            rc = raise_hit(sc, lim, h, &x, w0, x.max_milli, x.limit_milli, cls, extra, err, errcap);
        }
        i = j;
    }
    free(wj);
    free(wm);
    return rc;
}

/* Judge one hourly limit of an outlet over h (O2 filled in, running set): exceedance
 * episodes, then the screens of its factor. */
static int judge_limit(scan_ctx *sc, const source_limit *lim, hours *h, const marks *ms, char *err,
                       size_t errcap)
{
    fluegas_o2_rule o2r = fluegas_o2_rule_default(
        lim->o2_ref_milli == SOURCE_NO_VALUE ? FLUEGAS_NA : lim->o2_ref_milli);
    o2r.guard_milli = sc->cfg->o2_guard_milli;
    exceed_point *pts = xmalloc((h->n + 1) * sizeof *pts);
    /* sh: the measured values (what the analyser froze or zeroed); sj: the judged ones (what
     * is compared with the limit). */
    screen_hour *sh = xmalloc((h->n + 1) * sizeof *sh), *sj = xmalloc((h->n + 1) * sizeof *sj);
    for (size_t i = 0; i < h->n; i++) {
        hour_row *r = &h->v[i];
        int64_t j = FLUEGAS_NA;
        fluegas_corr how;
        if (r->valid) {
            int64_t o2 = r->o2_milli == FLUEGAS_NA ? 0 : r->o2_milli;
            if (o2r.ref_milli != FLUEGAS_NA && r->o2_milli == FLUEGAS_NA)
                j = FLUEGAS_NA; /* a reference O2 and no O2: no converted value */
            else if (fluegas_correct(r->raw_milli, o2, &o2r, &j, &how) < 0)
                j = FLUEGAS_NA;
        }
        r->judged_milli = j;
        pts[i] = (exceed_point){r->t_utc, j == FLUEGAS_NA ? 0 : j, j != FLUEGAS_NA};
        sh[i] = (screen_hour){r->t_utc, r->valid ? r->raw_milli : 0, r->valid, r->running};
        sj[i] = (screen_hour){r->t_utc, j == FLUEGAS_NA ? 0 : j, j != FLUEGAS_NA, r->running};
    }
    bool upper = lim->kind[0] == 'u';
    exceed_limits el = {.base = {.kind = upper ? EXCEED_UPPER : EXCEED_RANGE,
                                 .max_milli = lim->max_milli,
                                 .lo_milli = lim->lo_milli,
                                 .hi_milli = lim->hi_milli}};
    exceed_series ser = {pts, h->n, HOUR_S, &el, ms->v, ms->n};
    size_t cap = h->n + 1, n_ep = 0, n_mk = 0, n_hit = 0;
    exceed_episode *ep = xmalloc(cap * sizeof *ep), *mk = xmalloc(cap * sizeof *mk);
    screen_hit *hits = xmalloc(cap * sizeof *hits);
    int rc = EW_OK;
    if (exceed_episodes(&ser, ep, cap, &n_ep, mk, cap, &n_mk) < 0 ||
        (upper &&
         screen_sudden_drop(sj, h->n, lim->max_milli, &sc->cfg->screen, hits, cap, &n_hit) < 0))
        rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 " %s: the rules refused it",
                     sc->o->site_id, lim->param);
    for (size_t k = 0; rc == EW_OK && k < n_ep + n_mk; k++) {
        bool marked = k >= n_ep;
        const exceed_episode *e = marked ? &mk[k - n_ep] : &ep[k];
        rc = raise_episode(
            sc, lim, "exceedance_hourly", e, marked,
            evidence("exceedance_hourly", lim, h, e->from_utc, e->to_utc, e->mark_classes, NULL),
            err, errcap);
    }
    int64_t lim_shown = upper ? lim->max_milli : lim->hi_milli;
    if (rc == EW_OK)
        rc = run_screen(sc, SCREEN_CONSTANT_VALUE, lim, h, sh, NULL, lim_shown, err, errcap);
    if (rc == EW_OK && upper)
        rc = run_screen(sc, SCREEN_ZERO_VALUE, lim, h, sh, NULL, lim_shown, err, errcap);
    /* sudden_drop: the alert's figure is the value it fell to, just under the limit. */
    for (size_t k = 0; rc == EW_OK && k < n_hit; k++)
        rc = raise_hit(sc, lim, h, &hits[k], hits[k].from_utc, hits[k].last_milli, lim->max_milli,
                       0, NULL, err, errcap);
    if (rc == EW_OK && upper)
        rc = week_screens(sc, lim, h, sj, ep, n_ep, mk, n_mk, err, errcap);
    free(pts);
    free(sh);
    free(sj);
    free(ep);
    free(mk);
    free(hits);
    return rc;
}

/* The Beijing calendar day holding t: its start (UTC seconds). */
static int64_t bj_day_start(int64_t t_utc)
{
    int64_t d = (t_utc + BJ_OFFSET_S) / DAY_S;
    if ((t_utc + BJ_OFFSET_S) % DAY_S < 0)
        d--;
    return d * DAY_S - BJ_OFFSET_S;
}

/* Judge one daily limit of a wastewater outlet: the flow-weighted daily means of the Beijing
 * days of h (ww_day_value, HJ 355-2019), volumes from the flow (L/s × 3600 s = L, i.e.
 * thousandths of m³), then exceed_episodes over days. A range limit (pH) is not judged here:
 * its day has no mean (wastewater.h). */
static int judge_daily(scan_ctx *sc, const source_limit *lim, const hours *h, const hours *flow,
                       const marks *ms, char *err, size_t errcap)
{
    ww_param wp;
    if (strcmp(lim->kind, "upper") || ww_param_parse(lim->param, strlen(lim->param), &wp) || !h->n)
        return EW_OK;
    int64_t d0 = bj_day_start(h->v[0].t_utc), d1 = bj_day_start(h->v[h->n - 1].t_utc);
    size_t nd = (size_t)((d1 - d0) / DAY_S) + 1, np = 0, j = 0, k = 0;
    exceed_point *pts = xmalloc(nd * sizeof *pts);
    ww_day_rule rule = ww_day_rule_default();
    for (int64_t d = d0; d <= d1; d += DAY_S) {
        ww_day_hour dh[WW_HOURS_PER_DAY];
        size_t n = 0;
        for (; j < h->n && h->v[j].t_utc < d + DAY_S; j++) {
            const hour_row *r = &h->v[j];
            ww_day_hour x = {r->raw_milli, r->valid, WW_NA, false};
            while (k < flow->n && flow->v[k].t_utc < r->t_utc)
                k++;
            if (k < flow->n && flow->v[k].t_utc == r->t_utc && flow->v[k].valid &&
                flow->v[k].raw_milli >= 0) {
                x.volume_milli = flow->v[k].raw_milli * 3600 / 1000;
                x.volume_valid = x.volume_milli <= WW_MAX_MILLI;
            }
            if (n < WW_HOURS_PER_DAY)
                dh[n++] = x;
        }
        ww_day wd;
        if (ww_day_value(wp, dh, n, &rule, &wd) < 0)
            wd.valid = false;
        pts[np++] = (exceed_point){d, wd.valid ? wd.mean_milli : 0, wd.valid};
    }
    exceed_limits el = {.base = {.kind = EXCEED_UPPER, .max_milli = lim->max_milli}};
    exceed_series ser = {pts, np, DAY_S, &el, ms->v, ms->n};
    size_t n_ep = 0, n_mk = 0;
    exceed_episode *ep = xmalloc(np * sizeof *ep), *mk = xmalloc(np * sizeof *mk);
    int rc = EW_OK;
    if (exceed_episodes(&ser, ep, np, &n_ep, mk, np, &n_mk) < 0)
        rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 " %s: the rules refused it",
                     sc->o->site_id, lim->param);
    for (size_t i = 0; rc == EW_OK && i < n_ep + n_mk; i++) {
        bool marked = i >= n_ep;
        const exceed_episode *e = marked ? &mk[i - n_ep] : &ep[i];
        ew_textbuf days = {0};
        ew_tb_printf(&days, ",\"days\":[");
        for (size_t q = 0; q < np; q++)
            if (pts[q].t_utc >= e->from_utc && pts[q].t_utc < e->to_utc) {
                ew_tb_printf(&days, "%s{\"t\":", days.p[days.n - 1] == '[' ? "" : ",");
                ew_tb_iso(&days, pts[q].t_utc);
                ew_tb_printf(&days, ",\"mean\":");
                ew_tb_milli(&days, pts[q].value_milli);
                ew_tb_printf(&days, "}");
            }
        ew_tb_printf(&days, "]");
        rc = raise_episode(
            sc, lim, "exceedance_daily", e, marked,
            evidence("exceedance_daily", lim, h, e->from_utc, e->to_utc, e->mark_classes, days.p),
            err, errcap);
        free(days.p);
    }
    free(pts);
    free(ep);
    free(mk);
    return rc;
}

/* Fill each hour's O2 from the O2 series (both in hour order). */
static void join_o2(hours *h, const hours *o2)
{
    size_t j = 0;
    for (size_t i = 0; i < h->n; i++) {
        while (j < o2->n && o2->v[j].t_utc < h->v[i].t_utc)
            j++;
        if (j < o2->n && o2->v[j].t_utc == h->v[i].t_utc && o2->v[j].valid)
            h->v[i].o2_milli = o2->v[j].raw_milli;
    }
}

/* data_gap: one Beijing day of an outlet, the worst of its factors. */
typedef struct gap_day {
    bool judged;
    const char *param; /* the worst factor (borrowed from the limit list) */
    screen_counts c;   /* its counts */
    screen_rates r;    /* its rates */
    ew_textbuf items;  /* every factor's counts and rates, JSON objects after commas */
} gap_day;

typedef struct gaps {
    int64_t d0; /* first day (Beijing midnight, UTC seconds) */
    size_t nd;
    gap_day *v;
} gaps;

/* The day counts of one factor's hours h into g: days from the first Beijing midnight at or
 * after its first hour (earlier days are not known to be due) that ended by `end`. Exempt:
 * hours under a stop mark, and for a water outlet the analysers' 1 h/day of automatic
 * standard checks (screen.h). */
static int gap_count(scan_ctx *sc, const char *param, const hours *h, const marks *ms, bool water,
                     int64_t end, gaps *g, char *err, size_t errcap)
{
    if (!h->n)
        return EW_OK;
    int64_t first = bj_day_start(h->v[0].t_utc);
    if (first < h->v[0].t_utc)
        first += DAY_S;
    size_t i = 0;
    for (int64_t d = first; d + DAY_S <= end; d += DAY_S) {
        if (d < g->d0 || (size_t)((d - g->d0) / DAY_S) >= g->nd)
            continue;
        screen_counts c = {.expected = 24};
        for (int k = 0; k < 24; k++)
            c.exempt += stopped_at(ms, d + k * HOUR_S);
        c.exempt += water;
        if (c.exempt > c.expected)
            c.exempt = c.expected;
        while (i < h->n && h->v[i].t_utc < d)
            i++;
        for (; i < h->n && h->v[i].t_utc < d + DAY_S; i++) {
            c.received++;
            c.valid += h->v[i].valid;
        }
        screen_rates r;
        bool hit;
        if (screen_transmission(&c, &sc->cfg->screen, &r, &hit) < 0)
            return ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 " %s: counts refused",
                           sc->o->site_id, param);
        gap_day *gd = &g->v[(d - g->d0) / DAY_S];
        ew_tb_printf(&gd->items,
                     "%s{\"param\":\"%s\",\"expected\":%" PRId64 ",\"exempt\":%" PRId64
                     ",\"received\":%" PRId64 ",\"valid\":%" PRId64
                     ",\"transmission\":%.3f,\"validity\":%.3f,\"effective\":%.3f}",
                     gd->items.n ? "," : "", param, c.expected, c.exempt, c.received, c.valid,
                     (double)r.transmission_permille / 1000.0, (double)r.validity_permille / 1000.0,
                     (double)r.effective_permille / 1000.0);
        if (!gd->judged || r.effective_permille < gd->r.effective_permille) {
            gd->judged = true;
            gd->param = param;
            gd->c = c;
            gd->r = r;
        }
    }
    return EW_OK;
}

/* One alert per day whose worst factor's effective rate is below the threshold. */
static int gap_raise(scan_ctx *sc, const gaps *g, char *err, size_t errcap)
{
    int rc = EW_OK;
    int64_t min = sc->cfg->screen.transmission_min_permille;
    for (size_t i = 0; rc == EW_OK && i < g->nd; i++) {
        const gap_day *gd = &g->v[i];
        if (!gd->judged || gd->r.effective_permille >= min)
            continue;
        int64_t d = g->d0 + (int64_t)i * DAY_S;
        ew_textbuf b = {0};
        ew_tb_printf(
            &b, "{\"rule\":\"data_gap\",\"param\":\"%s\",\"period\":\"day\",\"day\":", gd->param);
        ew_tb_iso(&b, d);
        ew_tb_printf(&b,
                     ",\"limit\":%.1f,\"standard\":\"effective transmission rate = valid / "
                     "due (national platform statistics)\",\"thresholds\":",
                     (double)min / 10.0);
        thresholds(&b, "data_gap", sc->cfg);
        ew_tb_printf(&b, ",\"items\":[%s],\"marks\":[]}", gd->items.p ? gd->items.p : "");
        /* The figures in percent, thousandths: 875 ‰ → 87.5 % → 87500. */
        source_alert a = {.site_id = sc->o->site_id,
                          .rule = "data_gap",
                          .param = gd->param,
                          .episode_utc = d,
                          .from_utc = d,
                          .to_utc = d + DAY_S,
                          .value_milli = gd->r.effective_permille * 100,
                          .limit_milli = min * 100,
                          .multiple_milli = SOURCE_NO_VALUE,
                          .evidence = b.p,
                          .state = "open"};
        rc = raise_alert(sc, &a, CASE_CAT_DATA_FALSIFICATION, err, errcap);
        free(b.p);
    }
    return rc;
}

/* The screens of the outlet's own series: O2 near air while running (flue gas with a
 * reference O2), and flow under a stop mark. */
static int outlet_screens(scan_ctx *sc, bool has_o2_ref, hours *o2, const hours *flow,
                          const char *flow_param, const marks *ms, char *err, size_t errcap)
{
    int rc = EW_OK;
    if (has_o2_ref && o2->n) {
        set_running(o2, flow, ms, sc->pw);
        screen_hour *sh = xmalloc(o2->n * sizeof *sh);
        for (size_t i = 0; i < o2->n; i++)
            sh[i] = (screen_hour){o2->v[i].t_utc, o2->v[i].valid ? o2->v[i].raw_milli : 0,
                                  o2->v[i].valid, o2->v[i].running};
        source_limit g = {.site_id = sc->o->site_id,
                          .param = O2_PARAM,
                          .period = "hour",
                          .kind = "upper",
                          .max_milli = sc->cfg->screen.o2_high_milli,
                          .o2_ref_milli = SOURCE_NO_VALUE,
                          .standard = "HJ 75-2017 (O2 guard of the 折算)"};
        rc = run_screen(sc, SCREEN_O2_DILUTION, &g, o2, sh, NULL, g.max_milli, err, errcap);
        free(sh);
    }
    if (rc == EW_OK && flow->n && ms->n) {
        /* Running by the flow alone: the mark says stopped, the stack or the pipe says not. */
        screen_hour *sh = xmalloc(flow->n * sizeof *sh);
        for (size_t i = 0; i < flow->n; i++) {
            const hour_row *r = &flow->v[i];
            sh[i] = (screen_hour){r->t_utc, r->valid ? r->raw_milli : 0, r->valid,
                                  r->valid && r->raw_milli > 0};
        }
        source_limit g = {.site_id = sc->o->site_id,
                          .param = flow_param,
                          .period = "hour",
                          .kind = "upper",
                          .max_milli = 0,
                          .o2_ref_milli = SOURCE_NO_VALUE,
                          .standard = "MEE 公告 2022 年第 21 号 (marks)"};
        rc = run_screen(sc, SCREEN_MARKED_STOP_RUNNING, &g, flow, sh, ms, 0, err, errcap);
        free(sh);
    }
    return rc;
}

/* nh3n_over_tn: the NH3-N and TN hours of a wastewater outlet paired by hour; each hit's
 * evidence lists the pairs of its window. */
static int inversion_screen(scan_ctx *sc, hours *nh3, const hours *tn, const hours *flow,
                            const marks *ms, char *err, size_t errcap)
{
    if (!nh3->n || !tn->n)
        return EW_OK;
    set_running(nh3, flow, ms, sc->pw);
    screen_hour *sh = xmalloc(nh3->n * sizeof *sh);
    int64_t *tv = xmalloc(nh3->n * sizeof *tv);
    size_t j = 0;
    for (size_t i = 0; i < nh3->n; i++) {
        const hour_row *r = &nh3->v[i];
        while (j < tn->n && tn->v[j].t_utc < r->t_utc)
            j++;
        bool both = r->valid && j < tn->n && tn->v[j].t_utc == r->t_utc && tn->v[j].valid;
        tv[i] = both ? tn->v[j].raw_milli : FLUEGAS_NA;
        sh[i] = (screen_hour){r->t_utc, both ? r->raw_milli - tv[i] : 0, both, r->running};
    }
    size_t cap = nh3->n + 1, n_hit = 0;
    screen_hit *hits = xmalloc(cap * sizeof *hits);
    int rc = EW_OK;
    if (screen_runs(SCREEN_NH3N_OVER_TN, sh, nh3->n, &sc->cfg->screen, hits, cap, &n_hit) < 0)
        rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 ": nh3n_over_tn refused it",
                     sc->o->site_id);
    source_limit g = {.site_id = sc->o->site_id,
                      .param = NH3N_PARAM,
                      .period = "hour",
                      .kind = "upper",
                      .max_milli = sc->cfg->screen.inversion_tolerance_milli,
                      .o2_ref_milli = SOURCE_NO_VALUE,
                      .standard = "HJ 535-2009 (NH3-N) within HJ 636-2012 (TN)"};
    for (size_t k = 0; rc == EW_OK && k < n_hit; k++) {
        ew_textbuf pairs = {0};
        ew_tb_printf(&pairs, ",\"pairs\":[");
        for (size_t i = 0; i < nh3->n; i++) {
            if (nh3->v[i].t_utc < hits[k].from_utc || nh3->v[i].t_utc >= hits[k].to_utc)
                continue;
            ew_tb_printf(&pairs, "%s{\"t\":", pairs.p[pairs.n - 1] == '[' ? "" : ",");
            ew_tb_iso(&pairs, nh3->v[i].t_utc);
            ew_tb_printf(&pairs, ",\"nh3n\":");
            ew_tb_milli(&pairs, nh3->v[i].raw_milli);
            ew_tb_printf(&pairs, ",\"tn\":");
            ew_tb_milli(&pairs, tv[i]);
            ew_tb_printf(&pairs, "}");
        }
        ew_tb_printf(&pairs, "]");
        rc = raise_hit(sc, &g, nh3, &hits[k], hits[k].from_utc, hits[k].max_milli,
                       sc->cfg->screen.inversion_tolerance_milli, 0, pairs.p, err, errcap);
        free(pairs.p);
    }
    free(hits);
    free(tv);
    free(sh);
    return rc;
}

/* flow_mismatch over a wastewater outlet's flow, week by week from w_first: each week's
 * reference is the median of the running hours of the 28 days before it (flow holds them);
 * a week without enough of them is not judged. "Running" here is a valid hour with no stop
 * mark: the flow itself is what is judged. */
static int flow_screen(scan_ctx *sc, const hours *flow, const marks *ms, int64_t w_first, char *err,
                       size_t errcap)
{
    if (!flow->n)
        return EW_OK;
    screen_hour *sh = xmalloc(flow->n * sizeof *sh);
    int64_t *scratch = xmalloc(flow->n * sizeof *scratch);
    for (size_t i = 0; i < flow->n; i++) {
        const hour_row *r = &flow->v[i];
        sh[i] = (screen_hour){r->t_utc, r->valid ? r->raw_milli : 0, r->valid,
                              r->valid && !stopped_at(ms, r->t_utc)};
    }
    source_limit g = {.site_id = sc->o->site_id,
                      .param = FLOW_PARAM,
                      .period = "hour",
                      .kind = "upper",
                      .max_milli = 0,
                      .o2_ref_milli = SOURCE_NO_VALUE,
                      .standard = "median of the previous 28 days' running hours"};
    size_t cap = flow->n + 1, n_hit = 0, a = 0, b = 0, i = 0;
    screen_hit *hits = xmalloc(cap * sizeof *hits);
    int rc = EW_OK;
    while (i < flow->n && flow->v[i].t_utc < w_first)
        i++;
    while (rc == EW_OK && i < flow->n) {
        int64_t w0 = bj_week_start(flow->v[i].t_utc), w1 = w0 + 7 * DAY_S;
        size_t j = i;
        while (j < flow->n && flow->v[j].t_utc < w1)
            j++;
        while (a < flow->n && flow->v[a].t_utc < w0 - REF_DAYS * DAY_S)
            a++;
        b = a;
        while (b < flow->n && flow->v[b].t_utc < w0)
            b++;
        int64_t ref = 0;
        bool enough = false;
        if (screen_flow_reference(sh + a, b - a, &sc->cfg->screen, scratch, &ref, &enough) < 0 ||
            (enough && ref > 0 &&
             screen_flow_runs(sh + i, j - i, ref, &sc->cfg->screen, hits, cap, &n_hit) < 0))
            rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 ": flow_mismatch refused it",
                         sc->o->site_id);
        if (!enough || ref <= 0)
            n_hit = 0;
        for (size_t k = 0; rc == EW_OK && k < n_hit; k++) {
            const screen_hit *x = &hits[k];
            bool low = x->max_milli < ref;
            ew_textbuf extra = {0};
            ew_tb_printf(&extra, ",\"direction\":\"%s\",\"reference\":", low ? "low" : "high");
            ew_tb_milli(&extra, ref);
            ew_tb_printf(&extra, ",\"reference_from\":");
            ew_tb_iso(&extra, w0 - REF_DAYS * DAY_S);
            ew_tb_printf(&extra, ",\"reference_to\":");
            ew_tb_iso(&extra, w0);
            rc = raise_hit(sc, &g, flow, x, x->from_utc, low ? x->min_milli : x->max_milli, ref, 0,
                           extra.p, err, errcap);
            free(extra.p);
        }
        i = j;
    }
    free(hits);
    free(scratch);
    free(sh);
    return rc;
}

/* treatment_off for each treatment facility of the outlet: its power below its running power
 * while production runs — by the production facilities' power, or, for an outlet without
 * one, no stop mark and a measured flow above zero. Each hit is an alert of the facility's
 * code. */
static int treatment_screen(scan_ctx *sc, const hours *flow, const marks *ms, char *err,
                            size_t errcap)
{
    int rc = EW_OK;
    bool has_production = false;
    for (size_t i = 0; sc->pw && i < sc->pw->n; i++)
        has_production |= !sc->pw->f[i]->treatment;
    for (size_t i = 0; rc == EW_OK && sc->pw && i < sc->pw->n; i++) {
        const source_facility *fac = sc->pw->f[i];
        const hours *t = &sc->pw->h[i];
        if (!fac->treatment || !t->n)
            continue;
        screen_hour *sh = xmalloc(t->n * sizeof *sh);
        for (size_t k = 0; k < t->n; k++) {
            const hour_row *r = &t->v[k];
            bool producing;
            if (has_production)
                producing = production_at(sc->pw, r->t_utc) == 1;
            else {
                const hour_row *q = hour_at(flow, r->t_utc);
                producing = q && q->valid && q->raw_milli > 0 && !stopped_at(ms, r->t_utc);
            }
            sh[k] = (screen_hour){r->t_utc, r->valid ? r->raw_milli : 0, r->valid, producing};
        }
        /* The facility's own running power is the threshold the screen compares with. */
        source_config cfg = *sc->cfg;
        cfg.screen.treatment_running_milli = fac->running_milli;
        const source_config *keep = sc->cfg;
        sc->cfg = &cfg;
        source_limit g = {.site_id = sc->o->site_id,
                          .param = fac->code,
                          .period = "hour",
                          .kind = "upper",
                          .max_milli = fac->running_milli,
                          .o2_ref_milli = SOURCE_NO_VALUE,
                          .standard = "分表计电: the facility's running power (facilities file)"};
        rc = run_screen(sc, SCREEN_TREATMENT_OFF, &g, t, sh, NULL, fac->running_milli, err, errcap);
        sc->cfg = keep;
        free(sh);
    }
    return rc;
}

/* Judge the outlet's hours in [from, last + 1 h): every limit, the outlet's own screens and
 * the daily transmission. Windows are widened to whole Beijing days (daily means,
 * transmission) and weeks (the share screens). */
static int judge_outlet(scan_ctx *sc, const limit_list *ll, int64_t from, int64_t last, char *err,
                        size_t errcap)
{
    const source_outlet *o = sc->o;
    bool water = !strcmp(o->kind, "water_outlet");
    const char *flow_param = water ? FLOW_PARAM : GAS_FLOW_PARAM;
    int64_t to = last + HOUR_S, wfrom = bj_week_start(from);
    marks ms = {0};
    hours o2 = {0}, flow = {0};
    int rc = source_marks_each(sc->s, o->site_id, wfrom, to, true, mark_keep, &ms, err, errcap);
    if (rc == EW_OK)
        rc = source_hours_each(sc->s, o->site_id, O2_PARAM, wfrom, to, hour_keep, &o2, err, errcap);
    /* A wastewater outlet's flow from 28 days before the first week: flow_mismatch's
     * reference. */
    if (rc == EW_OK)
        rc = source_hours_each(sc->s, o->site_id, flow_param,
                               water ? wfrom - REF_DAYS * DAY_S : wfrom, to, hour_keep, &flow, err,
                               errcap);
    /* The outlet's facilities (at most 16) and their power over the window. */
    power pw = {0};
    for (size_t i = 0; rc == EW_OK && sc->cfg->facilities && i < sc->cfg->facilities->n; i++) {
        const source_facility *fac = &sc->cfg->facilities->v[i];
        if (strcmp(fac->outlet_mn, o->mn) || pw.n == sizeof pw.f / sizeof pw.f[0])
            continue;
        pw.f[pw.n] = fac;
        rc = source_hours_each(sc->s, o->site_id, fac->code, wfrom, to, hour_keep, &pw.h[pw.n], err,
                               errcap);
        rtd_fill fill = {&pw.h[pw.n], pw.h[pw.n].n};
        if (rc == EW_OK)
            rc = source_rtd_hours_each(sc->s, o->site_id, fac->code, wfrom, to, rtd_hour_keep,
                                       &fill, err, errcap);
        if (rc == EW_OK)
            qsort(pw.h[pw.n].v, pw.h[pw.n].n, sizeof *pw.h[pw.n].v, hour_cmp);
        pw.n++;
    }
    sc->pw = pw.n ? &pw : NULL;
    gaps g = {.d0 = bj_day_start(from)};
    g.nd = (size_t)((bj_day_start(last) - g.d0) / DAY_S) + 1;
    g.v = xcalloc(g.nd, sizeof *g.v);
    bool has_o2_ref = false;
    /* No transaction around the outlet: casework_open and casework_apply run their own, and
     * each alert row is one statement. */
    for (size_t i = 0; rc == EW_OK && i < ll->n; i++) {
        const source_limit *lim = &ll->v[i];
        if (lim->site_id != o->site_id)
            continue;
        bool daily = !strcmp(lim->period, "day");
        has_o2_ref |= !daily && lim->o2_ref_milli != SOURCE_NO_VALUE;
        hours h = {0};
        /* Daily means need whole days, the weekly screens whole weeks. */
        int64_t f = daily ? bj_day_start(from) : wfrom;
        rc = source_hours_each(sc->s, o->site_id, lim->param, f, to, hour_keep, &h, err, errcap);
        sc->res->hours += (int64_t)h.n;
        bool counted = false; /* a factor with an hourly and a daily limit counts once */
        for (size_t k = 0; k < i; k++)
            counted |= ll->v[k].site_id == o->site_id && !strcmp(ll->v[k].param, lim->param);
        if (rc == EW_OK && !counted)
            rc = gap_count(sc, lim->param, &h, &ms, water, to, &g, err, errcap);
        if (rc == EW_OK && h.n && daily)
            rc = judge_daily(sc, lim, &h, &flow, &ms, err, errcap);
        else if (rc == EW_OK && h.n) {
            join_o2(&h, &o2);
            set_running(&h, &flow, &ms, sc->pw);
            rc = judge_limit(sc, lim, &h, &ms, err, errcap);
        }
        free(h.v);
    }
    if (rc == EW_OK)
        rc = outlet_screens(sc, has_o2_ref, &o2, &flow, flow_param, &ms, err, errcap);
    if (rc == EW_OK && water) {
        hours nh3 = {0}, tn = {0};
        rc = source_hours_each(sc->s, o->site_id, NH3N_PARAM, wfrom, to, hour_keep, &nh3, err,
                               errcap);
        if (rc == EW_OK)
            rc = source_hours_each(sc->s, o->site_id, TN_PARAM, wfrom, to, hour_keep, &tn, err,
                                   errcap);
        if (rc == EW_OK)
            rc = inversion_screen(sc, &nh3, &tn, &flow, &ms, err, errcap);
        if (rc == EW_OK)
            rc = flow_screen(sc, &flow, &ms, wfrom, err, errcap);
        free(nh3.v);
        free(tn.v);
    }
    if (rc == EW_OK)
        rc = treatment_screen(sc, &flow, &ms, err, errcap);
    if (rc == EW_OK)
        rc = gap_raise(sc, &g, err, errcap);
    for (size_t i = 0; i < pw.n; i++)
        free(pw.h[i].v);
    sc->pw = NULL;
    for (size_t i = 0; i < g.nd; i++)
        free(g.v[i].items.p);
    free(g.v);
    free(ms.v);
    free(o2.v);
    free(flow.v);
    return rc;
}

/* data_silent: the whole hours from the one after the outlet's last hourly value (of any
 * factor) to the last one that has ended by now, without those under a stop mark. One
 * episode per silence, keyed by its first hour, so every later scan of the same silence finds
 * the same alert and moves its end, and its case stays one case. A silence longer than
 * SILENT_MAX_S is an outlet gone (closed, replaced): no longer followed. */
static int silent_screen(scan_ctx *sc, int64_t last, char *err, size_t errcap)
{
    int64_t from = last + HOUR_S, to = sc->now_utc - sc->now_utc % HOUR_S;
    const screen_params *p = &sc->cfg->screen;
    if (to - from < (int64_t)p->silent_min_hours * HOUR_S || to - from > SILENT_MAX_S)
        return EW_OK; /* too short even with no stop mark, or an outlet gone */
    marks ms = {0};
    int rc = source_marks_each(sc->s, sc->o->site_id, from, to, true, mark_keep, &ms, err, errcap);
    int64_t silent = 0, exempt = 0;
    for (int64_t t = from; rc == EW_OK && t < to; t += HOUR_S) {
        bool stop = stopped_at(&ms, t);
        silent += !stop;
        exempt += stop;
    }
    bool hit = false;
    if (rc == EW_OK && (rc = screen_silent(silent, p, &hit)) < 0)
        rc = ew_errf(err, errcap, EW_EINTERNAL, "outlet %" PRId64 ": silence refused",
                     sc->o->site_id);
    if (rc == EW_OK && hit) {
        ew_textbuf b = {0};
        ew_tb_printf(&b,
                     "{\"rule\":\"data_silent\",\"param\":\"%s\",\"last_value\":", SILENT_PARAM);
        ew_tb_iso(&b, last);
        ew_tb_printf(&b,
                     ",\"hours\":%" PRId64 ",\"exempt_hours\":%" PRId64 ",\"thresholds\":", silent,
                     exempt);
        thresholds(&b, "data_silent", sc->cfg);
        ew_tb_printf(&b, ",\"marks\":[");
        for (size_t i = 0; i < ms.n; i++)
            ew_tb_printf(&b, "%s\"%s\"", i ? "," : "", source_mark_class_name(ms.v[i].cls));
        ew_tb_printf(&b, "]}");
        source_alert a = {.site_id = sc->o->site_id,
                          .rule = "data_silent",
                          .param = SILENT_PARAM,
                          .episode_utc = from,
                          .from_utc = from,
                          .to_utc = to,
                          .value_milli = silent * 1000,
                          .limit_milli = (int64_t)p->silent_min_hours * 1000,
                          .multiple_milli = SOURCE_NO_VALUE,
                          .evidence = b.p,
                          .state = "open"};
        rc = raise_alert(sc, &a, CASE_CAT_DATA_FALSIFICATION, err, errcap);
        free(b.p);
    }
    free(ms.v);
    return rc;
}

static int scan_outlet(scan_ctx *sc, const limit_list *ll, char *err, size_t errcap)
{
    const source_outlet *o = sc->o;
    int64_t last = 0, done = 0;
    int rc = source_last_hour(sc->s, o->site_id, &last, err, errcap);
    if (rc <= 0)
        return rc; /* no hourly data at all */
    /* Judged on every pass, before the rules of new data: a silence has none. */
    if ((rc = silent_screen(sc, last, err, errcap)) < 0)
        return rc;
    int seen = source_scan_get(sc->s, o->site_id, &done, err, errcap);
    if (seen < 0)
        return seen;
    if (seen && done >= last)
        return EW_OK; /* nothing new since the last scan */
    int64_t from = (seen ? done + HOUR_S : last - sc->cfg->first_window_s) - sc->cfg->lookback_s;
    /* The scan position moves only once every rule of the outlet was judged, so a failure
     * makes the next scan judge the outlet again (and find its alerts already stored). */
    rc = judge_outlet(sc, ll, from, last, err, errcap);
    if (rc == EW_OK)
        rc = source_scan_put(sc->s, o->site_id, last, err, errcap);
    if (rc == EW_OK)
        sc->res->outlets++;
    return rc;
}

/* ---- the catalogue ------------------------------------------------------------------ */

/* The scan's rules: the two exceedances (their clauses), then the screens of screen.h with
 * what each is judged on here. */
static const struct {
    const char *id, *name_zh, *reason_zh, *source;
    bool applied;
    const char *note;
} catalogue[] = {
    {"exceedance_hourly", "小时均值超标", "有效小时均值（折算至基准氧含量）超过排放限值",
     "HJ 75-2017 (valid hourly mean; 折算 C × (21 − O2ref) / (21 − O2)); the outlet's permitted "
     "limit; marked data not judged (MEE 公告 2022 年第 21 号)",
     true, "hourly limits; consecutive hours are one episode"},
    {"exceedance_daily", "日均值超标", "废水流量加权日均值超过排放限值",
     "HJ 356-2019 (flow-weighted daily mean, valid with ≥ 75 % of the hours); the outlet's "
     "permitted limit; marked data not judged (MEE 公告 2022 年第 21 号)",
     true, "daily limits (wastewater); range limits (pH) are not judged"},
    {"constant_value", NULL, NULL, NULL, true,
     "measured values of each hourly limit's factor, running hours only"},
    {"zero_value", NULL, NULL, NULL, true, "measured values of upper hourly limits"},
    {"o2_dilution", NULL, NULL, NULL, true, "the O2 (a19001) of outlets with a reference O2"},
    {"just_below_limit", NULL, NULL, NULL, true,
     "judged values of upper hourly limits, per Beijing calendar week"},
    {"sudden_drop", NULL, NULL, NULL, true, "judged values of upper hourly limits"},
    {"treatment_off", NULL, NULL, NULL, true,
     "outlets with treatment facilities in the facilities file, their hourly power from envwatch "
     "import power, against each facility's running power while production runs (its "
     "production facilities' power, else no stop mark and a flow); HJ 212-2025 C37/C38 "
     "real-time power is not turned into hours yet"},
    {"marked_stop_running", NULL, NULL, NULL, true,
     "the outlet's flow (a00000 or w00000) under production or long-term stop marks"},
    {"marked_exceedance", NULL, NULL, NULL, true,
     "hourly exceedance episodes, per Beijing calendar week"},
    {"nh3n_over_tn", NULL, NULL, NULL, true,
     "wastewater outlets with hourly NH3-N (w21003) and TN (w21001), running hours only"},
    {"flow_mismatch", NULL, NULL, NULL, true,
     "the flow (w00000) of wastewater outlets, per Beijing calendar week against the median of "
     "the 28 days before it; hours under stop marks are not judged"},
    {"data_gap", NULL, NULL, NULL, true,
     "per Beijing day, the worst factor with a limit; days up to the last hour received"},
    {"data_silent", NULL, NULL, NULL, true,
     "outlets with limits, on every scan: the hours since the last hourly value of any factor "
     "up to now, stop-mark hours not counted (the server's scan; rules run judges stored data "
     "only)"},
};

int source_rules_each(const source_config *cfg, source_rule_fn fn, void *ctx)
{
    source_config def = source_config_default();
    if (!cfg)
        cfg = &def;
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++) {
        source_rule r = {catalogue[i].id,
                         catalogue[i].name_zh,
                         catalogue[i].reason_zh,
                         catalogue[i].source,
                         NULL,
                         catalogue[i].applied,
                         catalogue[i].note};
        screen_rule sr;
        if (!r.name_zh && !screen_rule_parse(r.id, strlen(r.id), &sr)) {
            const screen_rule_info *info = screen_rule_info_of(sr);
            r.name_zh = info->name_zh;
            r.reason_zh = info->reason_zh;
            r.source = info->source;
        }
        ew_textbuf t = {0};
        thresholds(&t, r.id, cfg);
        r.thresholds = t.p;
        int rc = fn(ctx, &r);
        free(t.p);
        if (rc)
            return rc;
    }
    return 0;
}

const char *source_rule_zh(const char *id)
{
    for (size_t i = 0; id && i < sizeof catalogue / sizeof catalogue[0]; i++) {
        if (strcmp(id, catalogue[i].id))
            continue;
        if (catalogue[i].name_zh)
            return catalogue[i].name_zh;
        screen_rule sr;
        return screen_rule_parse(id, strlen(id), &sr) ? NULL : screen_rule_info_of(sr)->name_zh;
    }
    return NULL;
}

typedef struct outlet_list {
    source_outlet *v;
    size_t n, cap;
} outlet_list;

static int outlet_keep(void *ctx, const source_outlet *o)
{
    outlet_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (source_outlet){o->site_id,
                                   xstrdup(o->mn),
                                   xstrdup(o->name),
                                   xstrdup(o->kind),
                                   o->town ? xstrdup(o->town) : NULL,
                                   o->enterprise ? xstrdup(o->enterprise) : NULL};
    return 0;
}

static void outlet_list_free(outlet_list *ol)
{
    for (size_t i = 0; i < ol->n; i++) {
        free((char *)ol->v[i].mn);
        free((char *)ol->v[i].name);
        free((char *)ol->v[i].kind);
        free((char *)ol->v[i].town);
        free((char *)ol->v[i].enterprise);
    }
    free(ol->v);
}

/* Every outlet with limits, in turn, to fn (the scan, or a re-run over a window), with the
 * limits and outlets read once. Stops at the first failure. */
typedef int (*outlet_fn)(scan_ctx *sc, const limit_list *ll, const void *arg, char *err,
                         size_t errcap);

static int each_outlet(store *s, const source_config *cfg, int64_t now_utc, source_scan_result *out,
                       outlet_fn fn, const void *arg, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    source_config def = source_config_default();
    if (!cfg)
        cfg = &def;
    limit_list ll = {0};
    outlet_list ol = {0};
    int rc = source_limits_each(s, 0, source_limit_keep, &ll, err, errcap);
    if (rc == EW_OK)
        rc = source_outlets_each(s, NULL, 0, outlet_keep, &ol, err, errcap);
    for (size_t i = 0; rc == EW_OK && i < ol.n; i++) {
        bool has = false;
        for (size_t k = 0; k < ll.n && !has; k++)
            has = ll.v[k].site_id == ol.v[i].site_id;
        if (!has)
            continue;
        scan_ctx sc = {s, cfg, now_utc, &ol.v[i], out, 0, NULL};
        rc = fn(&sc, &ll, arg, err, errcap);
    }
    outlet_list_free(&ol);
    source_limit_list_free(&ll);
    return rc;
}

static int scan_one(scan_ctx *sc, const limit_list *ll, const void *arg, char *err, size_t errcap)
{
    (void)arg;
    return scan_outlet(sc, ll, err, errcap);
}

int source_scan(store *s, const source_config *cfg, int64_t now_utc, source_scan_result *out,
                char *err, size_t errcap)
{
    return each_outlet(s, cfg, now_utc, out, scan_one, NULL, err, errcap);
}

/* The window of a re-run: [from, to). */
typedef struct rescan_window {
    int64_t from_utc, to_utc;
} rescan_window;

static int rescan_one(scan_ctx *sc, const limit_list *ll, const void *arg, char *err, size_t errcap)
{
    const rescan_window *w = arg;
    int64_t last = 0;
    int any = source_last_hour(sc->s, sc->o->site_id, &last, err, errcap);
    if (any <= 0)
        return any; /* no hourly data at all, or the error */
    /* The last whole hour before the window's end, at most the outlet's last. */
    int64_t end = w->to_utc - HOUR_S;
    end -= ((end % HOUR_S) + HOUR_S) % HOUR_S;
    if (end < last) {
        last = end;
        sc->cut_utc = last + HOUR_S;
    }
    if (last < w->from_utc)
        return EW_OK;
    /* As the scan, read a lookback before the window so that an episode going on at its
     * start keeps its key. */
    int rc = judge_outlet(sc, ll, w->from_utc - sc->cfg->lookback_s, last, err, errcap);
    if (rc == EW_OK)
        sc->res->outlets++;
    return rc;
}

int source_rescan(store *s, const source_config *cfg, int64_t from_utc, int64_t to_utc,
                  int64_t now_utc, source_scan_result *out, char *err, size_t errcap)
{
    if (to_utc <= from_utc) {
        memset(out, 0, sizeof *out);
        return ew_errf(err, errcap, EW_EINVALID, "rules run: --to must be after --from");
    }
    rescan_window w = {from_utc, to_utc};
    return each_outlet(s, cfg, now_utc, out, rescan_one, &w, err, errcap);
}
