/* exceed: exceedance, episodes, seasonal limits and the mark gate. See exceed.h for the
 * contract and docs/source-standards.md for the sources. */
#include "standards/exceed.h"

#include <string.h>

#include "base/bjtime.h"
#include "standards/edition.h"

#define MAX_VALUE 1000000000000LL /* |value| accepted, thousandths */

/* The national platform's mark classes (企业回流自动监控数据接口说明 V1.6, mark records) and
 * whether data under them are judged. MEE 公告 2022 年第 21 号: data marked invalid are not used
 * to judge exceedance. The CEMS main/backup switch leaves data from an accepted CEMS, so it
 * does not exclude them (platform choice; the rule text does not say). */
static const exceed_mark_info marks[EXCEED_MARK_CLASS_COUNT] = {
    {EXCEED_MARK_COMM_BREAK, "通讯中断", true},
    {EXCEED_MARK_DEVICE_MAINT, "设备维护-污染物", true},
    {EXCEED_MARK_MANUAL_VALUE, "手工监测值录入", true},
    {EXCEED_MARK_NON_LIABILITY, "非排污单位责任缺失/无效", true},
    {EXCEED_MARK_PARAM_MAINT, "设备维护-工况参数", true},
    {EXCEED_MARK_TREATMENT, "治理设施工况", true},
    {EXCEED_MARK_PRODUCTION, "生产设施工况", true},
    {EXCEED_MARK_CEMS_SWITCH, "CEMS主备切换", false},
};

const exceed_mark_info *exceed_mark_info_of(exceed_mark_class c)
{
    return (unsigned)c < EXCEED_MARK_CLASS_COUNT ? &marks[c] : NULL;
}

static bool limit_ok(const exceed_limit *l)
{
    switch (l->kind) {
    case EXCEED_UPPER:
        return l->max_milli > 0 && l->max_milli <= MAX_VALUE;
    case EXCEED_RANGE:
        return l->lo_milli <= l->hi_milli && l->lo_milli >= -MAX_VALUE && l->hi_milli <= MAX_VALUE;
    }
    return false;
}

/* Month-day valid in some year (29 February included). */
static bool mmdd_ok(int mon, int day)
{
    return mon >= 1 && mon <= 12 && day >= 1 && day <= ew_days_in_month(2000, mon);
}

static bool season_has(const exceed_season *s, int mmdd)
{
    if (s->from_mmdd <= s->to_mmdd)
        return mmdd >= s->from_mmdd && mmdd <= s->to_mmdd;
    return mmdd >= s->from_mmdd || mmdd <= s->to_mmdd; /* wraps over the new year */
}

static int limits_ok(const exceed_limits *l)
{
    if (!l || !limit_ok(&l->base) || (l->n_seasons > 0 && !l->seasons))
        return EW_EINVALID;
    for (size_t i = 0; i < l->n_seasons; i++) {
        const exceed_season *s = &l->seasons[i];
        if (!mmdd_ok(s->from_mmdd / 100, s->from_mmdd % 100) ||
            !mmdd_ok(s->to_mmdd / 100, s->to_mmdd % 100) || !limit_ok(&s->limit))
            return EW_EINVALID;
    }
    return EW_OK;
}

int exceed_limit_on(const exceed_limits *l, int mon, int day, exceed_limit *out, int *season)
{
    if (limits_ok(l) != EW_OK || !mmdd_ok(mon, day))
        return EW_EINVALID;
    int mmdd = mon * 100 + day, which = -1;
    for (size_t i = 0; i < l->n_seasons && which < 0; i++)
        if (season_has(&l->seasons[i], mmdd))
            which = (int)i;
    *out = which < 0 ? l->base : l->seasons[which].limit;
    if (season)
        *season = which;
    return EW_OK;
}

int exceed_judge(const exceed_limit *l, int64_t v_milli, exceed_verdict *out)
{
    if (!l || !limit_ok(l) || v_milli < -MAX_VALUE || v_milli > MAX_VALUE)
        return EW_EINVALID;
    exceed_verdict r = {false, EXCEED_NO_MULTIPLE};
    if (l->kind == EXCEED_RANGE) {
        /* pH 6–9: both ends comply; no multiple for a range. */
        r.exceeds = v_milli < l->lo_milli || v_milli > l->hi_milli;
    } else if (v_milli > l->max_milli) {
        /* A limit is a maximum: exactly at it complies. Multiple (C − L) / L, thousandths;
         * |C − L| × 1000 ≤ 2e15 fits int64. */
        r.exceeds = true;
        r.multiple_milli = ew_round_ratio_8170(v_milli - l->max_milli, l->max_milli, 1000);
    }
    *out = r;
    return EW_OK;
}

bool exceed_marked(const exceed_mark *m, size_t n, int64_t from_utc, int64_t to_utc,
                   unsigned *classes)
{
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        const exceed_mark_info *info = exceed_mark_info_of(m[i].cls);
        /* Half-open intervals overlap when each starts before the other ends. */
        if (info && info->excludes && m[i].from_utc < to_utc && m[i].to_utc > from_utc)
            bits |= 1u << m[i].cls;
    }
    if (classes)
        *classes = bits;
    return bits != 0;
}

static int series_ok(const exceed_series *s)
{
    if (!s || s->period_s <= 0 || (s->n_points > 0 && !s->points) ||
        (s->n_marks > 0 && !s->marks) || limits_ok(s->limits) != EW_OK)
        return EW_EINVALID;
    for (size_t i = 0; i < s->n_marks; i++)
        if (s->marks[i].to_utc <= s->marks[i].from_utc || !exceed_mark_info_of(s->marks[i].cls))
            return EW_EINVALID;
    for (size_t i = 1; i < s->n_points; i++)
        if (s->points[i].t_utc <= s->points[i - 1].t_utc)
            return EW_EINVALID;
    return EW_OK;
}

/* An episode being built, and the list it goes to. */
typedef struct run {
    bool open;
    exceed_episode e;
    exceed_episode *out; /* NULL while counting */
    size_t n;
} run;

static void run_close(run *r)
{
    if (!r->open)
        return;
    if (r->out)
        r->out[r->n] = r->e;
    r->n++;
    r->open = false;
}

static void run_add(run *r, int64_t t, int64_t period_s, int64_t v, const exceed_limit *l,
                    const exceed_verdict *vd, unsigned classes)
{
    /* Consecutive: this period starts where the episode's last one ended. */
    if (r->open && r->e.to_utc != t)
        run_close(r);
    if (!r->open) {
        memset(&r->e, 0, sizeof r->e);
        r->e.from_utc = t;
        r->e.max_value_milli = r->e.min_value_milli = v;
        r->e.max_multiple_milli = EXCEED_NO_MULTIPLE;
        r->e.limit_milli = l->kind == EXCEED_UPPER ? l->max_milli : l->hi_milli;
        r->open = true;
    }
    r->e.to_utc = t + period_s;
    r->e.periods++;
    r->e.mark_classes |= classes;
    if (v > r->e.max_value_milli)
        r->e.max_value_milli = v;
    if (v < r->e.min_value_milli)
        r->e.min_value_milli = v;
    if (vd->multiple_milli != EXCEED_NO_MULTIPLE && vd->multiple_milli > r->e.max_multiple_milli) {
        r->e.max_multiple_milli = vd->multiple_milli;
        r->e.limit_milli = l->max_milli;
    }
}

/* One pass over the series; with judged.out / marked.out NULL it only counts. */
static int scan(const exceed_series *s, run *judged, run *under_mark)
{
    for (size_t i = 0; i < s->n_points; i++) {
        const exceed_point *p = &s->points[i];
        if (!p->valid) {
            /* A missing value ends both kinds of episode. */
            run_close(judged);
            run_close(under_mark);
            continue;
        }
        ew_civil bj;
        ew_utc_to_bj(p->t_utc, &bj);
        exceed_limit l;
        exceed_verdict vd;
        int rc = exceed_limit_on(s->limits, bj.mon, bj.day, &l, NULL);
        if (rc == EW_OK)
            rc = exceed_judge(&l, p->value_milli, &vd);
        if (rc != EW_OK)
            return rc;
        if (!vd.exceeds) {
            run_close(judged);
            run_close(under_mark);
            continue;
        }
        unsigned classes;
        if (exceed_marked(s->marks, s->n_marks, p->t_utc, p->t_utc + s->period_s, &classes)) {
            /* MEE 公告 2022 年第 21 号: not judged; listed apart with its marks. */
            run_close(judged);
            run_add(under_mark, p->t_utc, s->period_s, p->value_milli, &l, &vd, classes);
        } else {
            run_close(under_mark);
            run_add(judged, p->t_utc, s->period_s, p->value_milli, &l, &vd, 0);
        }
    }
    run_close(judged);
    run_close(under_mark);
    return EW_OK;
}

int exceed_episodes(const exceed_series *s, exceed_episode *ep, size_t ep_cap, size_t *n_ep,
                    exceed_episode *marked, size_t marked_cap, size_t *n_marked)
{
    if (series_ok(s) != EW_OK || !n_ep || !n_marked)
        return EW_EINVALID;
    /* Count first, so that a call that cannot complete writes no episode. */
    run a = {0}, b = {0};
    int rc = scan(s, &a, &b);
    if (rc != EW_OK)
        return rc;
    if (a.n > ep_cap || b.n > marked_cap || (a.n > 0 && !ep) || (b.n > 0 && !marked)) {
        *n_ep = a.n;
        *n_marked = b.n;
        return EW_EFULL;
    }
    run wa = {.out = ep}, wb = {.out = marked};
    rc = scan(s, &wa, &wb);
    if (rc != EW_OK)
        return rc; /* not reached: the first pass checked the same data */
    *n_ep = wa.n;
    *n_marked = wb.n;
    return EW_OK;
}
