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
#define O2_PARAM "a19001"   /* HJ 212-2017 Annex B: 氧气含量 */
#define FLOW_PARAM "w00000" /* HJ 212-2017 Annex B: 废水流量, L/s */
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

/* What one outlet's judgement needs to raise an alert. */
typedef struct scan_ctx {
    store *s;
    const source_config *cfg;
    int64_t now_utc;
    const source_outlet *o;
    source_scan_result *res;
} scan_ctx;

/* What a person reads of an alert's rule in its case. */
static const char *rule_zh(const char *rule)
{
    if (!strcmp(rule, "exceedance_hourly"))
        return "小时均值超过排放限值";
    if (!strcmp(rule, "exceedance_daily"))
        return "日均值超过排放限值";
    if (!strcmp(rule, "constant_value"))
        return "监测数据长时间恒定不变（疑似异常，需核查）";
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
    /* from/to are ISO 8601 with +08:00: the date and the minute are what people read. */
    snprintf(desc, sizeof desc,
             "%s%s%s：%s%s，%.10s %.5s 至 %.10s %.5s（北京时间），最大值 %s %s，限值 %s %s%s。",
             sc->o->enterprise ? sc->o->enterprise : "", sc->o->enterprise ? " " : "", sc->o->name,
             p ? p->name_zh : a->param, rule_zh(a->rule), from, from + 11, to, to + 11, val, unit,
             lim, unit, mul);
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

/* Judge one hourly limit of an outlet over h (with O2 filled in). */
static int judge_limit(scan_ctx *sc, const source_limit *lim, hours *h, const marks *ms, char *err,
                       size_t errcap)
{
    fluegas_o2_rule o2r = fluegas_o2_rule_default(
        lim->o2_ref_milli == SOURCE_NO_VALUE ? FLUEGAS_NA : lim->o2_ref_milli);
    o2r.guard_milli = sc->cfg->o2_guard_milli;
    exceed_point *pts = xmalloc((h->n + 1) * sizeof *pts);
    screen_hour *sh = xmalloc((h->n + 1) * sizeof *sh);
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
        /* "Running": a valid measured hour (no electricity data yet, see screen.h). */
        sh[i] = (screen_hour){r->t_utc, r->valid ? r->raw_milli : 0, r->valid, r->valid};
    }
    exceed_limits el = {.base = {.kind = lim->kind[0] == 'r' ? EXCEED_RANGE : EXCEED_UPPER,
                                 .max_milli = lim->max_milli,
                                 .lo_milli = lim->lo_milli,
                                 .hi_milli = lim->hi_milli}};
    exceed_series ser = {pts, h->n, HOUR_S, &el, ms->v, ms->n};
    size_t cap = h->n + 1, n_ep = 0, n_mk = 0, n_hit = 0;
    exceed_episode *ep = xmalloc(cap * sizeof *ep), *mk = xmalloc(cap * sizeof *mk);
    screen_hit *hits = xmalloc(cap * sizeof *hits);
    int rc = EW_OK;
    if (exceed_episodes(&ser, ep, cap, &n_ep, mk, cap, &n_mk) < 0 ||
        screen_runs(SCREEN_CONSTANT_VALUE, sh, h->n, &sc->cfg->screen, hits, cap, &n_hit) < 0)
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
    for (size_t k = 0; rc == EW_OK && k < n_hit; k++) {
        const screen_hit *x = &hits[k];
        char extra[160];
        snprintf(extra, sizeof extra,
                 ",\"thresholds\":{\"min_hours\":%d,\"tolerance\":%.3f},\"hours_hit\":%d",
                 sc->cfg->screen.constant_min_hours,
                 (double)sc->cfg->screen.constant_tolerance_milli / 1000.0, x->hours);
        char *ev = evidence("constant_value", lim, h, x->from_utc, x->to_utc, 0, extra);
        source_alert a = {.site_id = sc->o->site_id,
                          .rule = "constant_value",
                          .param = lim->param,
                          .episode_utc = x->from_utc,
                          .from_utc = x->from_utc,
                          .to_utc = x->to_utc,
                          .value_milli = x->max_milli,
                          .limit_milli = lim->max_milli,
                          .multiple_milli = SOURCE_NO_VALUE,
                          .evidence = ev,
                          .state = "open"};
        rc = raise_alert(sc, &a, CASE_CAT_DATA_FALSIFICATION, err, errcap);
        free(ev);
    }
    free(pts);
    free(sh);
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

static int scan_outlet(scan_ctx *sc, const limit_list *ll, char *err, size_t errcap)
{
    const source_outlet *o = sc->o;
    int64_t last = 0, done = 0;
    int rc = source_last_hour(sc->s, o->site_id, &last, err, errcap);
    if (rc <= 0)
        return rc; /* no hourly data at all */
    int seen = source_scan_get(sc->s, o->site_id, &done, err, errcap);
    if (seen < 0)
        return seen;
    if (seen && done >= last)
        return EW_OK; /* nothing new since the last scan */
    int64_t from = (seen ? done + HOUR_S : last - sc->cfg->first_window_s) - sc->cfg->lookback_s;
    int64_t to = last + HOUR_S;
    marks ms = {0};
    hours o2 = {0};
    rc = source_marks_each(sc->s, o->site_id, from, to, true, mark_keep, &ms, err, errcap);
    if (rc == EW_OK)
        rc = source_hours_each(sc->s, o->site_id, O2_PARAM, from, to, hour_keep, &o2, err, errcap);
    /* No transaction around the outlet: casework_open and casework_apply run their own, and
     * each alert row is one statement. The scan position moves only once every limit of the
     * outlet was judged, so a failure makes the next scan judge the outlet again (and find
     * its alerts already stored). */
    for (size_t i = 0; rc == EW_OK && i < ll->n; i++) {
        const source_limit *lim = &ll->v[i];
        if (lim->site_id != o->site_id)
            continue;
        bool daily = !strcmp(lim->period, "day");
        hours h = {0}, flow = {0};
        /* Daily means need whole days: the window starts at its first Beijing midnight. */
        int64_t f = daily ? bj_day_start(from) : from;
        rc = source_hours_each(sc->s, o->site_id, lim->param, f, to, hour_keep, &h, err, errcap);
        if (rc == EW_OK && daily)
            rc = source_hours_each(sc->s, o->site_id, FLOW_PARAM, f, to, hour_keep, &flow, err,
                                   errcap);
        sc->res->hours += (int64_t)h.n;
        if (rc == EW_OK && h.n && daily)
            rc = judge_daily(sc, lim, &h, &flow, &ms, err, errcap);
        else if (rc == EW_OK && h.n) {
            join_o2(&h, &o2);
            rc = judge_limit(sc, lim, &h, &ms, err, errcap);
        }
        free(h.v);
        free(flow.v);
    }
    if (rc == EW_OK)
        rc = source_scan_put(sc->s, o->site_id, last, err, errcap);
    if (rc == EW_OK)
        sc->res->outlets++;
    free(ms.v);
    free(o2.v);
    return rc;
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

int source_scan(store *s, const source_config *cfg, int64_t now_utc, source_scan_result *out,
                char *err, size_t errcap)
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
        scan_ctx sc = {s, cfg, now_utc, &ol.v[i], out};
        rc = scan_outlet(&sc, &ll, err, errcap);
    }
    for (size_t i = 0; i < ol.n; i++) {
        free((char *)ol.v[i].mn);
        free((char *)ol.v[i].name);
        free((char *)ol.v[i].kind);
        free((char *)ol.v[i].town);
        free((char *)ol.v[i].enterprise);
    }
    free(ol.v);
    source_limit_list_free(&ll);
    return rc;
}
