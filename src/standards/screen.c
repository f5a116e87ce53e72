/* screen: falsification-suspect screens. See screen.h for the contract and the sources.
 *
 * Comparisons with shares are done in integers: "v ≥ L × (1 − b/1000)" is
 * v × 1000 ≥ L × (1000 − b), with |v|, L ≤ 1e12 so the products stay below 1e15. */
#include "standards/screen.h"

#include <stdlib.h>
#include <string.h>

#include "standards/edition.h"

#define MAX_VALUE 1000000000000LL

/* The catalogue. Sources: S1 = the public non-site-supervision engine's scenes (NDHZ 恒值,
 * NDLFZ 零值/负值, NDTB 突变); OGE = open-grid-emissions anomaly_screening (IDENTICAL_RUN);
 * QARTOD flat line (ioos_qc); the O2 guard and the flat-top idea are platform design. */
static const screen_rule_info rules[SCREEN_RULE_COUNT] = {
    {SCREEN_CONSTANT_VALUE, "constant_value", "恒值",
     "生产期间监测值连续多小时不变，疑似仪器冻结或数据被设定",
     "S1 NDHZ (default 4 production hours); OGE IDENTICAL_RUN; QARTOD flat line"},
    {SCREEN_ZERO_VALUE, "zero_value", "零值",
     "排放期间监测值连续多小时为零或低于检出限，疑似采样被阻断或数据被篡改",
     "S1 NDLFZ (duration parameter; default 4 hours here)"},
    {SCREEN_O2_DILUTION, "o2_dilution", "氧含量异常偏高",
     "生产设施运行期间烟气含氧量接近空气，疑似稀释排放或采样探头不在烟道内",
     "design: O2 guard 19 % (fluegas), production running by electricity data"},
    {SCREEN_JUST_BELOW_LIMIT, "just_below_limit", "限值下方聚集",
     "监测值长期集中在排放限值下方窄带内，疑似数据被修饰",
     "design after an EcoRule flat-top entry (low authority); band 10 %, share 80 %"},
    {SCREEN_SUDDEN_DROP, "sudden_drop", "骤降至限值下",
     "监测值从限值以上骤降至刚好低于限值，疑似干预仪器或数据",
     "S1 NDTB (sudden change, ratio parameter); tied to the limit here"},
    {SCREEN_TREATMENT_OFF, "treatment_off", "治理设施停运",
     "生产设施用电正常而治理设施用电低于运行阈值，疑似治理设施未运行",
     "分表计电 (HJ 212-2025 C37/C38 production and treatment power); electricity control "
     "practice (Jinchang, Liaoning reports)"},
    {SCREEN_MARKED_STOP_RUNNING, "marked_stop_running", "停运标记期间仍在生产",
     "企业标记停运期间，生产设施用电或流量显示仍在运行，疑似虚假标记",
     "mark-abuse patterns (round-2 notes §1.3); false marking is itself sanctioned (MEE 2022 No. "
     "21)"},
    {SCREEN_MARKED_EXCEEDANCE, "marked_exceedance", "超标均在标记期内",
     "超标数据全部或大部分落在标记时段内，疑似以标记规避超标判定",
     "mark-abuse patterns (round-2 notes §1.3): exceedances 100 % inside marks"},
    {SCREEN_NH3N_OVER_TN, "nh3n_over_tn", "氨氮大于总氮",
     "同一小时氨氮浓度高于总氮，而氨氮是总氮的一部分，疑似仪器故障或数据被篡改",
     "S1 NDDG inversion (NH3-N w21003 > TN w21001, any occurrence); TN includes NH3-N by its "
     "definition (HJ 636-2012 total nitrogen, HJ 535-2009 ammonia nitrogen)"},
    {SCREEN_FLOW_MISMATCH, "flow_mismatch", "流量异常",
     "未申报停产期间废水流量远低于（疑似另有排放去向或流量计被干预）或远高于（疑似稀释排放）该排口"
     "近期正常生产时的流量",
     "S1 LLYC (flow anomaly: far below the production median of the past year); here the "
     "median of the previous 28 days' running hours, 20 % and 3 times as defaults"},
    {SCREEN_DATA_GAP, "data_gap", "有效传输率不足",
     "当日有效传输率低于考核要求，数据缺失或无效过多",
     "effective transmission rate = validity × transmission (national platform statistics); "
     "90 % default to verify"},
    {SCREEN_DATA_SILENT, "data_silent", "数据中断",
     "排口停止上传全部监测数据且未标记停运，疑似断电、断网或设施被关停",
     "the day of data_gap for a silence that goes on (no national figure found); stop marks "
     "exempt hours as in the transmission statistics; 24 hours default, policy"},
};

const screen_rule_info *screen_rule_info_of(screen_rule r)
{
    return (unsigned)r < SCREEN_RULE_COUNT ? &rules[r] : NULL;
}

int screen_rule_parse(const char *id, size_t n, screen_rule *out)
{
    for (int i = 0; i < SCREEN_RULE_COUNT; i++) {
        if (strlen(rules[i].id) == n && !memcmp(rules[i].id, id, n)) {
            *out = rules[i].rule;
            return 0;
        }
    }
    return -1;
}

screen_params screen_params_default(void)
{
    screen_params p = {
        .constant_min_hours = 4,
        .constant_tolerance_milli = 0,
        .zero_min_hours = 4,
        .zero_threshold_milli = 0,
        .o2_min_hours = 1,
        .o2_high_milli = 19000,
        .below_band_permille = 100,
        .below_share_permille = 800,
        .below_min_hours = 24,
        .drop_share_permille = 500,
        .treatment_running_milli = 1,
        .treatment_min_hours = 1,
        .stop_running_min_hours = 1,
        .inversion_tolerance_milli = 0,
        .inversion_min_hours = 1,
        .flow_low_permille = 200,
        .flow_high_permille = 3000,
        .flow_min_hours = 4,
        .flow_ref_min_hours = 168,
        .marked_exceed_min_periods = 3,
        .marked_exceed_share_permille = 1000,
        .transmission_min_permille = 900,
        .silent_min_hours = 24,
    };
    return p;
}

static bool permille_ok(int v)
{
    return v >= 1 && v <= 1000;
}

bool screen_params_ok(const screen_params *p)
{
    return p && p->constant_min_hours >= 2 && p->constant_tolerance_milli >= 0 &&
           p->zero_min_hours >= 1 && p->o2_min_hours >= 1 && p->o2_high_milli > 0 &&
           p->o2_high_milli <= 21000 && permille_ok(p->below_band_permille) &&
           permille_ok(p->below_share_permille) && p->below_min_hours >= 1 &&
           permille_ok(p->drop_share_permille) && p->treatment_min_hours >= 1 &&
           p->stop_running_min_hours >= 1 && p->marked_exceed_min_periods >= 1 &&
           permille_ok(p->marked_exceed_share_permille) &&
           permille_ok(p->transmission_min_permille) && p->inversion_tolerance_milli >= 0 &&
           p->inversion_min_hours >= 1 && p->flow_low_permille >= 0 &&
           p->flow_low_permille < 1000 && p->flow_high_permille > 1000 &&
           p->flow_high_permille <= 1000000 && p->flow_min_hours >= 1 &&
           p->flow_ref_min_hours >= 1 && p->silent_min_hours >= 1;
}

static bool hours_ok(const screen_hour *h, size_t n)
{
    if (n > 0 && !h)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (h[i].valid && (h[i].value_milli < -MAX_VALUE || h[i].value_milli > MAX_VALUE))
            return false;
        if (i > 0 && h[i].t_utc <= h[i - 1].t_utc)
            return false;
    }
    return true;
}

static bool usable(const screen_hour *h)
{
    return h->valid && h->running;
}

/* A hit being built over consecutive hours. */
static void hit_start(screen_hit *x, screen_rule r, const screen_hour *h, int64_t limit)
{
    memset(x, 0, sizeof *x);
    x->rule = r;
    x->from_utc = h->t_utc;
    x->first_milli = x->min_milli = x->max_milli = h->value_milli;
    x->limit_milli = limit;
    x->hours = 0;
}

static void hit_add(screen_hit *x, const screen_hour *h)
{
    x->to_utc = h->t_utc + SCREEN_HOUR_S;
    x->last_milli = h->value_milli;
    if (h->value_milli < x->min_milli)
        x->min_milli = h->value_milli;
    if (h->value_milli > x->max_milli)
        x->max_milli = h->value_milli;
    x->hours++;
}

/* What a run screen needs: its rule, thresholds and, for marked_stop_running, the marks; for
 * flow_mismatch, the reference flow. */
typedef struct run_ctx {
    screen_rule r;
    const screen_params *p;
    const exceed_mark *marks;
    size_t n_marks;
    int64_t ref_milli;
} run_ctx;

/* Some mark overlaps [from, to) (half-open intervals). */
static bool covered(const exceed_mark *m, size_t n, int64_t from, int64_t to)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].from_utc < to && m[i].to_utc > from)
            return true;
    return false;
}

/* Whether hour h meets a run rule on its own, and whether it may extend the run x. */
static bool meets(const run_ctx *c, const screen_hour *h)
{
    if (!usable(h))
        return false;
    switch (c->r) {
    case SCREEN_CONSTANT_VALUE:
        return true; /* any value starts a flat run; extending is checked below */
    case SCREEN_ZERO_VALUE:
        return h->value_milli <= c->p->zero_threshold_milli;
    case SCREEN_O2_DILUTION:
        return h->value_milli >= c->p->o2_high_milli;
    case SCREEN_TREATMENT_OFF:
        /* Production runs (the caller's judgement); treatment power below its threshold. */
        return h->value_milli < c->p->treatment_running_milli;
    case SCREEN_MARKED_STOP_RUNNING:
        return covered(c->marks, c->n_marks, h->t_utc, h->t_utc + SCREEN_HOUR_S);
    case SCREEN_NH3N_OVER_TN: /* the value is NH3-N − TN of the hour */
        return h->value_milli > c->p->inversion_tolerance_milli;
    case SCREEN_FLOW_MISMATCH: /* far below or far above the reference, in per mille */
        return h->value_milli * 1000 < c->ref_milli * c->p->flow_low_permille ||
               h->value_milli * 1000 > c->ref_milli * c->p->flow_high_permille;
    default:
        return false;
    }
}

static bool extends(const run_ctx *c, const screen_hit *x, const screen_hour *h)
{
    if (h->t_utc != x->to_utc || !meets(c, h))
        return false;
    if (c->r != SCREEN_CONSTANT_VALUE)
        return true;
    int64_t lo = h->value_milli < x->min_milli ? h->value_milli : x->min_milli;
    int64_t hi = h->value_milli > x->max_milli ? h->value_milli : x->max_milli;
    return hi - lo <= c->p->constant_tolerance_milli;
}

static int min_hours(const run_ctx *c)
{
    switch (c->r) {
    case SCREEN_CONSTANT_VALUE:
        return c->p->constant_min_hours;
    case SCREEN_ZERO_VALUE:
        return c->p->zero_min_hours;
    case SCREEN_O2_DILUTION:
        return c->p->o2_min_hours;
    case SCREEN_TREATMENT_OFF:
        return c->p->treatment_min_hours;
    case SCREEN_NH3N_OVER_TN:
        return c->p->inversion_min_hours;
    case SCREEN_FLOW_MISMATCH:
        return c->p->flow_min_hours;
    default:
        return c->p->stop_running_min_hours;
    }
}

/* Emit x if long enough: into out when there is room (out NULL: count only). */
static void emit(const screen_hit *x, int need, screen_hit *out, size_t *n)
{
    if (x->hours < need)
        return;
    if (out)
        out[*n] = *x;
    (*n)++;
}

static size_t runs_pass(const run_ctx *c, const screen_hour *h, size_t n, screen_hit *out)
{
    size_t k = 0;
    int need = min_hours(c);
    screen_hit x;
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (open && extends(c, &x, &h[i])) {
            hit_add(&x, &h[i]);
            continue;
        }
        if (open)
            emit(&x, need, out, &k);
        open = meets(c, &h[i]);
        if (open) {
            hit_start(&x, c->r, &h[i], 0);
            hit_add(&x, &h[i]);
        }
    }
    if (open)
        emit(&x, need, out, &k);
    return k;
}

static int runs_collect(const run_ctx *c, const screen_hour *h, size_t n, screen_hit *out,
                        size_t cap, size_t *n_out)
{
    if (!screen_params_ok(c->p) || !hours_ok(h, n) || !n_out)
        return EW_EINVALID;
    size_t k = runs_pass(c, h, n, NULL);
    if (k > cap || (k > 0 && !out)) {
        *n_out = k;
        return EW_EFULL;
    }
    *n_out = runs_pass(c, h, n, out);
    return EW_OK;
}

int screen_runs(screen_rule rule, const screen_hour *h, size_t n, const screen_params *p,
                screen_hit *out, size_t cap, size_t *n_out)
{
    if (rule != SCREEN_CONSTANT_VALUE && rule != SCREEN_ZERO_VALUE && rule != SCREEN_O2_DILUTION &&
        rule != SCREEN_TREATMENT_OFF && rule != SCREEN_NH3N_OVER_TN)
        return EW_EINVALID;
    run_ctx c = {rule, p, NULL, 0, 0};
    return runs_collect(&c, h, n, out, cap, n_out);
}

/* Order of int64 values for qsort. */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int screen_flow_reference(const screen_hour *h, size_t n, const screen_params *p, int64_t *scratch,
                          int64_t *ref_milli, bool *enough)
{
    if (!screen_params_ok(p) || !hours_ok(h, n) || (n > 0 && !scratch) || !ref_milli || !enough)
        return EW_EINVALID;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (usable(&h[i]) && h[i].value_milli >= 0)
            scratch[k++] = h[i].value_milli;
    *enough = k > 0 && k >= (size_t)p->flow_ref_min_hours;
    if (!*enough) {
        *ref_milli = 0;
        return EW_OK;
    }
    qsort(scratch, k, sizeof *scratch, cmp_i64);
    /* The median; of an even count, the lower middle (no rounding of a mean of two). */
    *ref_milli = scratch[(k - 1) / 2];
    return EW_OK;
}

int screen_flow_runs(const screen_hour *h, size_t n, int64_t ref_milli, const screen_params *p,
                     screen_hit *out, size_t cap, size_t *n_out)
{
    if (ref_milli <= 0 || ref_milli > MAX_VALUE)
        return EW_EINVALID;
    run_ctx c = {SCREEN_FLOW_MISMATCH, p, NULL, 0, ref_milli};
    return runs_collect(&c, h, n, out, cap, n_out);
}

int screen_marked_stop_running(const screen_hour *h, size_t n, const exceed_mark *stops,
                               size_t n_stops, const screen_params *p, screen_hit *out, size_t cap,
                               size_t *n_out)
{
    if (n_stops > 0 && !stops)
        return EW_EINVALID;
    for (size_t i = 0; i < n_stops; i++)
        if (stops[i].to_utc <= stops[i].from_utc)
            return EW_EINVALID;
    run_ctx c = {SCREEN_MARKED_STOP_RUNNING, p, stops, n_stops, 0};
    return runs_collect(&c, h, n, out, cap, n_out);
}

int screen_marked_exceedance(const exceed_episode *judged, size_t n_judged,
                             const exceed_episode *marked, size_t n_marked, const screen_params *p,
                             bool *hit, screen_hit *out)
{
    if (!screen_params_ok(p) || !hit || !out || (n_judged > 0 && !judged) ||
        (n_marked > 0 && !marked))
        return EW_EINVALID;
    int64_t pj = 0, pm = 0;
    for (size_t i = 0; i < n_judged; i++)
        pj += judged[i].periods;
    screen_hit x;
    memset(&x, 0, sizeof x);
    x.rule = SCREEN_MARKED_EXCEEDANCE;
    for (size_t i = 0; i < n_marked; i++) {
        const exceed_episode *e = &marked[i];
        if (i == 0 || e->from_utc < x.from_utc) {
            x.from_utc = e->from_utc;
            x.first_milli = e->max_value_milli;
        }
        if (i == 0 || e->to_utc > x.to_utc) {
            x.to_utc = e->to_utc;
            x.last_milli = e->max_value_milli;
        }
        if (i == 0 || e->min_value_milli < x.min_milli)
            x.min_milli = e->min_value_milli;
        if (i == 0 || e->max_value_milli > x.max_milli) {
            x.max_milli = e->max_value_milli;
            x.limit_milli = e->limit_milli;
        }
        pm += e->periods;
    }
    x.hours = (int)pm;
    /* Enough marked exceedance periods, and their share of all exceedance periods at least
     * the threshold (default: all of them). */
    bool yes = pm >= p->marked_exceed_min_periods &&
               pm * 1000 >= (pm + pj) * p->marked_exceed_share_permille;
    *hit = yes;
    if (yes)
        *out = x;
    return EW_OK;
}

int screen_transmission(const screen_counts *c, const screen_params *p, screen_rates *out,
                        bool *hit)
{
    if (!c || !screen_params_ok(p) || !out || !hit || c->expected < 0 || c->exempt < 0 ||
        c->received < 0 || c->valid < 0 || c->valid > c->received || c->exempt > c->expected ||
        c->expected > MAX_VALUE || c->received > MAX_VALUE)
        return EW_EINVALID;
    int64_t due = c->expected - c->exempt;
    /* Values beyond what was due (an exempt hour sent anyway) cannot make up for missing
     * ones elsewhere: the counts are capped at what was due, the rates at 100 %. */
    int64_t rx = c->received < due ? c->received : due;
    int64_t va = c->valid < due ? c->valid : due;
    screen_rates r = {1000, 1000, 1000};
    if (due > 0) {
        r.transmission_permille = ew_round_ratio_8170(rx, due, 1000);
        r.effective_permille = ew_round_ratio_8170(va, due, 1000);
        r.validity_permille =
            c->received > 0 ? ew_round_ratio_8170(c->valid, c->received, 1000) : 0;
    }
    /* Effective transmission rate (valid ÷ due = validity × transmission) below the
     * threshold, compared exactly, not on the rounded rate. */
    *hit = due > 0 && va * 1000 < due * p->transmission_min_permille;
    *out = r;
    return EW_OK;
}

/* v within [L × (1 − band), L]. */
static bool in_band(int64_t v, int64_t limit, int band_permille)
{
    return v <= limit && v * 1000 >= limit * (1000 - band_permille);
}

int screen_just_below(const screen_hour *h, size_t n, int64_t limit_milli, const screen_params *p,
                      bool *hit, screen_hit *out)
{
    if (limit_milli <= 0 || limit_milli > MAX_VALUE || !screen_params_ok(p) || !hours_ok(h, n) ||
        !hit || !out)
        return EW_EINVALID;
    int64_t used = 0, in = 0;
    screen_hit x;
    memset(&x, 0, sizeof x);
    for (size_t i = 0; i < n; i++) {
        if (!usable(&h[i]))
            continue;
        used++;
        if (!in_band(h[i].value_milli, limit_milli, p->below_band_permille))
            continue;
        if (in++ == 0)
            hit_start(&x, SCREEN_JUST_BELOW_LIMIT, &h[i], limit_milli);
        hit_add(&x, &h[i]);
    }
    bool yes = used >= p->below_min_hours && in * 1000 >= used * p->below_share_permille;
    *hit = yes;
    if (yes)
        *out = x;
    return EW_OK;
}

static size_t drop_pass(const screen_hour *h, size_t n, int64_t limit, const screen_params *p,
                        screen_hit *out)
{
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        const screen_hour *a = &h[i - 1], *b = &h[i];
        if (!usable(a) || !usable(b) || b->t_utc != a->t_utc + SCREEN_HOUR_S)
            continue;
        /* From at or above the limit to just under it, by at least the drop share. */
        if (a->value_milli < limit || b->value_milli >= limit ||
            !in_band(b->value_milli, limit, p->below_band_permille) ||
            b->value_milli * 1000 > a->value_milli * (1000 - p->drop_share_permille))
            continue;
        if (out) {
            hit_start(&out[k], SCREEN_SUDDEN_DROP, a, limit);
            hit_add(&out[k], a);
            hit_add(&out[k], b);
        }
        k++;
    }
    return k;
}

int screen_sudden_drop(const screen_hour *h, size_t n, int64_t limit_milli, const screen_params *p,
                       screen_hit *out, size_t cap, size_t *n_out)
{
    if (limit_milli <= 0 || limit_milli > MAX_VALUE || !screen_params_ok(p) || !hours_ok(h, n) ||
        !n_out)
        return EW_EINVALID;
    size_t k = drop_pass(h, n, limit_milli, p, NULL);
    if (k > cap || (k > 0 && !out)) {
        *n_out = k;
        return EW_EFULL;
    }
    *n_out = drop_pass(h, n, limit_milli, p, out);
    return EW_OK;
}

int screen_silent(int64_t silent_hours, const screen_params *p, bool *hit)
{
    if (!screen_params_ok(p) || !hit || silent_hours < 0 || silent_hours > MAX_VALUE)
        return EW_EINVALID;
    *hit = silent_hours >= p->silent_min_hours;
    return EW_OK;
}

bool screen_rtd_hour_valid(int64_t n, int64_t first_utc, int64_t last_utc)
{
    return n >= SCREEN_RTD_MIN_VALUES && last_utc - first_utc >= SCREEN_RTD_MIN_SPAN_S;
}
