/* emergency: warnings, the reduction list, compliance (power, emission, silent sites) and the
 * warning report (see emergency.h). */
#include "service/emergency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/air.h"
#include "service/audit.h"
#include "service/casework.h"
#include "service/textlines.h"
#include "standards/fluegas.h"
#include "store/office.h"

static const char *const level_names[EM_LEVEL_COUNT] = {"yellow", "orange", "red"};
/* round2.md §2.2: SO2, NOx, PM and VOCs cut ≥ 10 / 20 / 30 % in yellow / orange / red. */
static const double level_cut_pct[EM_LEVEL_COUNT] = {10, 20, 30};

const char *em_level_name(em_level l)
{
    return l < EM_LEVEL_COUNT ? level_names[l] : "?";
}

int em_level_parse(const char *s, em_level *out)
{
    for (int l = 0; s && l < EM_LEVEL_COUNT; l++)
        if (!strcmp(s, level_names[l])) {
            *out = (em_level)l;
            return 0;
        }
    return -1;
}

double em_level_required_cut_pct(em_level l)
{
    return l < EM_LEVEL_COUNT ? level_cut_pct[l] : NAN;
}

/* round2.md §2.3: A, B, B-, C, D, 引领性 (industries without A–D) and the non-key rest. */
static const char *const grades[] = {"A", "B", "B-", "C", "D", "引领性", "非重点"};

bool em_grade_valid(const char *g)
{
    for (size_t i = 0; g && i < sizeof grades / sizeof grades[0]; i++)
        if (!strcmp(g, grades[i]))
            return true;
    return false;
}

/* Production-line power, kW. HJ 212-2025 Annex C (C37, CN 2011) names the facility in the
 * field code; the standard's facility code table was not obtainable (round2.md §2.5), so the
 * zone's meters are configured to send these envwatch codes: pw001 total production power,
 * pw002 … a second production line metered apart. */
const char *const em_power_codes[] = {"pw001", "pw002", "pw003"};
const size_t em_power_ncodes = sizeof em_power_codes / sizeof em_power_codes[0];

const char *const em_emission_codes[] = {"a34013", "a21026", "a21002", "a24088"};
const size_t em_emission_ncodes = sizeof em_emission_codes / sizeof em_emission_codes[0];

double em_allowed_kw(double base_kw, double cut_pct)
{
    return base_kw * (1.0 - cut_pct / 100.0);
}

bool em_power_breaches(double mean_kw, double allowed_kw)
{
    return isfinite(mean_kw) && mean_kw > allowed_kw;
}

bool em_verdict_breached(const em_verdict *v)
{
    return v->breached || v->case_id || v->emission_breached || v->emission_case_id ||
           v->silent_breached || v->silent_case_id;
}

bool em_verdict_no_data(const em_verdict *v)
{
    return !isfinite(v->mean_kw) && !isfinite(v->mean_kgh) && !em_verdict_breached(v);
}

static bool may_manage(const case_actor *who)
{
    return who && (who->role == EW_ROLE_BUREAU || who->role == EW_ROLE_ADMIN);
}

/* The service's audit entries, in its argument order (service/audit.h owns the writing). */
static int audit(store *s, const char *actor, const char *action, const char *object,
                 const char *detail, const char *addr, int64_t now_utc, char *err, size_t errcap)
{
    return audit_note(s, now_utc, actor, action, object, detail, addr, err, errcap);
}

/* ---- declaring --------------------------------------------------------------------- */

static int observed_aqi(ew_reader *db, int64_t now_utc, int *aqi, char *err, size_t errcap)
{
    air_now n;
    int rc = air_now_at(db, now_utc, AIRQ_ED_AUTO, &n, err, errcap);
    if (rc == EW_OK && !(n.have && n.has_zone && n.zone.res.aqi >= 0))
        rc = ew_errf(err, errcap, EW_EINVALID, "basis: no zone AQI in the last 3 hours");
    if (rc == EW_OK)
        *aqi = n.zone.res.aqi;
    air_now_free(&n);
    return rc;
}

int emergency_declare(store *s, ew_reader *db, const em_declaration *d, const case_actor *who,
                      const char *addr, int64_t now_utc, int64_t *id_out, char *err, size_t errcap)
{
    em_level l;
    if (!may_manage(who))
        return ew_errf(err, errcap, EW_EFORBIDDEN, "warnings are declared by the bureau");
    if (em_level_parse(d->level, &l))
        return ew_errf(err, errcap, EW_EINVALID, "level: yellow, orange or red");
    if (d->end_utc <= d->start_utc)
        return ew_errf(err, errcap, EW_EINVALID, "end: must lie after start");
    if (!d->notice || !*d->notice)
        return ew_errf(err, errcap, EW_EINVALID, "notice: the issuing notice is required");
    int aqi = d->aqi;
    if (d->basis && !strcmp(d->basis, "observation")) {
        int rc = observed_aqi(db, now_utc, &aqi, err, errcap);
        if (rc)
            return rc;
    } else if (!d->basis || strcmp(d->basis, "forecast")) {
        return ew_errf(err, errcap, EW_EINVALID, "basis: forecast or observation");
    } else if (aqi <= 0 || aqi > 500) {
        return ew_errf(err, errcap, EW_EINVALID, "aqi: the forecast AQI, 1–500");
    }
    em_warning_row w = {.level = em_level_name(l),
                        .start_utc = d->start_utc,
                        .end_utc = d->end_utc,
                        .notice = d->notice,
                        .basis = d->basis,
                        .basis_aqi = aqi,
                        .declared_by = who->name,
                        .declared_utc = now_utc};
    if (store_begin(s, err, errcap) < 0)
        return EW_EINTERNAL;
    char obj[32], detail[96];
    int rc = em_warning_put(s, &w, id_out, err, errcap);
    if (rc == EW_OK) {
        snprintf(obj, sizeof obj, "warning:%lld", (long long)*id_out);
        snprintf(detail, sizeof detail, "level=%s basis=%s aqi=%d", w.level, w.basis, aqi);
        rc = audit(s, who->name, "warning.declare", obj, detail, addr, now_utc, err, errcap);
    }
    if (rc == EW_OK && store_commit(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    if (rc != EW_OK)
        store_rollback(s);
    return rc;
}

/* ---- the list ---------------------------------------------------------------------- */

static int list_check(const em_list_row *e, char *err, size_t errcap)
{
    if (!e->enterprise || !*e->enterprise || !e->town || !*e->town)
        return ew_errf(err, errcap, EW_EINVALID, "enterprise and town are required");
    if (!em_grade_valid(e->grade))
        return ew_errf(err, errcap, EW_EINVALID, "grade: A, B, B-, C, D, 引领性 or 非重点");
    if (!(e->base_power_kw > 0) || !(e->base_emission_kgh >= 0))
        return ew_errf(err, errcap, EW_EINVALID, "baselines: power > 0, emission ≥ 0");
    for (int l = 0; l < EM_LEVEL_COUNT; l++)
        if (!(e->cut_pct[l] >= 0 && e->cut_pct[l] <= 100) || !e->measures[l])
            return ew_errf(err, errcap, EW_EINVALID, "%s: cut 0–100 %% and measures required",
                           level_names[l]);
    return EW_OK;
}

static void list_detail(const em_list_row *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "grade=%s base_power_kw=%g cut=%g/%g/%g", e->grade, e->base_power_kw,
             e->cut_pct[0], e->cut_pct[1], e->cut_pct[2]);
}

int emergency_list_put(store *s, const em_list_row *in, const case_actor *who, const char *addr,
                       int64_t now_utc, char *err, size_t errcap)
{
    if (!may_manage(who))
        return ew_errf(err, errcap, EW_EFORBIDDEN, "the list is edited by the bureau");
    int rc = list_check(in, err, errcap);
    if (rc)
        return rc;
    em_list_row e = *in;
    e.updated_by = who->name;
    e.updated_utc = now_utc;
    char detail[200];
    list_detail(&e, detail, sizeof detail);
    if (store_begin(s, err, errcap) < 0)
        return EW_EINTERNAL;
    rc = em_list_put(s, &e, detail, err, errcap);
    if (rc == EW_OK)
        rc = audit(s, who->name, "emergency_list.put", e.enterprise, detail, addr, now_utc, err,
                   errcap);
    if (rc == EW_OK && store_commit(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    if (rc != EW_OK)
        store_rollback(s);
    return rc;
}

int emergency_list_visible(store *s, const case_actor *who, em_list_fn fn, void *ctx, char *err,
                           size_t errcap)
{
    if (who && (may_manage(who) || who->role == EW_ROLE_AUDITOR))
        return em_list_each(s, fn, ctx, err, errcap);
    if (!who || who->role != EW_ROLE_ENTERPRISE || !who->org)
        return ew_errf(err, errcap, EW_EFORBIDDEN, "the list is the bureau's");
    int rc = em_list_get(s, who->org, fn, ctx, err, errcap);
    return rc < 0 ? rc : EW_OK;
}

enum { LIST_FIELDS = 11 };

int emergency_list_load(store *s, const char *text, size_t n, const char *actor, int64_t now_utc,
                        int *count, char *err, size_t errcap)
{
    *count = 0;
    char *buf = xcalloc(1, n + 1);
    memcpy(buf, text, n);
    if (store_begin(s, err, errcap) < 0) {
        free(buf);
        return EW_EINTERNAL;
    }
    int rc = EW_OK, loaded = 0;
    textlines tl = {.next = buf, .header = 1};
    for (char *line; rc == EW_OK && (line = textlines_next(&tl));) {
        char *f[LIST_FIELDS + 1];
        if (textlines_split(line, f, LIST_FIELDS + 1) != LIST_FIELDS) {
            rc = ew_errf(err, errcap, EW_EINVALID, "line %d: %d fields expected", tl.lineno,
                         LIST_FIELDS);
            break;
        }
        char *end[5];
        em_list_row e = {
            .enterprise = f[0],
            .town = f[1],
            .grade = f[2],
            .base_power_kw = strtod(f[3], &end[0]),
            .base_emission_kgh = strtod(f[4], &end[1]),
            .cut_pct = {strtod(f[5], &end[2]), strtod(f[6], &end[3]), strtod(f[7], &end[4])},
            .measures = {f[8], f[9], f[10]},
            .updated_by = actor,
            .updated_utc = now_utc};
        for (int i = 0; i < 5 && rc == EW_OK; i++)
            if (end[i] == f[3 + i] || *end[i])
                rc = ew_errf(err, errcap, EW_EINVALID, "line %d: field %d is not a number",
                             tl.lineno, 4 + i);
        char msg[160] = "";
        if (rc == EW_OK && list_check(&e, msg, sizeof msg))
            rc = ew_errf(err, errcap, EW_EINVALID, "line %d: %s", tl.lineno, msg);
        char detail[200];
        list_detail(&e, detail, sizeof detail);
        if (rc == EW_OK)
            rc = em_list_put(s, &e, detail, err, errcap);
        loaded += rc == EW_OK;
    }
    if (rc == EW_OK)
        rc = audit(s, actor, "emergency_list.load", NULL, NULL, NULL, now_utc, err, errcap);
    if (rc == EW_OK && store_commit(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    if (rc != EW_OK)
        store_rollback(s);
    else
        *count = loaded;
    free(buf);
    return rc;
}

/* ---- compliance -------------------------------------------------------------------- */

typedef struct list_vec {
    size_t n, cap;
    em_verdict *v;
} list_vec;

static int collect_entry(void *ctx, const em_list_row *e)
{
    list_vec *lv = ctx;
    if (lv->n == lv->cap) {
        lv->cap = lv->cap ? 2 * lv->cap : 8;
        lv->v = xrealloc(lv->v, lv->cap * sizeof *lv->v);
    }
    em_verdict *v = &lv->v[lv->n++];
    memset(v, 0, sizeof *v);
    v->enterprise = xstrdup(e->enterprise);
    v->town = xstrdup(e->town);
    v->grade = xstrdup(e->grade);
    v->base_kw = e->base_power_kw;
    v->base_kgh = e->base_emission_kgh;
    memcpy(v->cut_by_level, e->cut_pct, sizeof v->cut_by_level);
    return 0;
}

static void verdicts_free(em_verdict *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].enterprise);
        free(v[i].town);
        free(v[i].grade);
    }
    free(v);
}

/* ---- emission from CEMS hourly values ---------------------------------------------- */

/* Walks an enterprise's valid hourly values (ordered by hour, site, code) and adds, per hour,
 * the emission rates of every outlet: one (hour, site) group at a time, its flow and its
 * concentrations, each rate by fluegas_rate (HJ 75-2017 G = C × Q × 10⁻⁶). A concentration
 * without a valid flow in the same hour and outlet has no rate. */
typedef struct emission_acc {
    int64_t hour, site;    /* the group being gathered; hour -1 before the first */
    int64_t flow_milli;    /* m³/h thousandths, or FLUEGAS_NA */
    int64_t conc_milli[8]; /* the group's concentrations, mg/m³ thousandths */
    size_t nconc;
    int64_t hour_sum_milli; /* kg/h thousandths over the hour's outlets so far */
    bool hour_has_rate;
    int64_t total_milli; /* Σ of the hours' sums */
    int hours;           /* hours with at least one rate */
} emission_acc;

/* The stored value in thousandths of its unit; false if it does not fit. */
static bool to_milli(double v, double scale, int64_t *out)
{
    double m = v * scale * 1000.0;
    if (!isfinite(m) || fabs(m) > 9.0e15)
        return false;
    *out = llround(m);
    return true;
}

static void emission_flush_site(emission_acc *a)
{
    for (size_t i = 0; a->flow_milli != FLUEGAS_NA && i < a->nconc; i++) {
        int64_t r;
        if (fluegas_rate(a->conc_milli[i], a->flow_milli, &r) == EW_OK) {
            a->hour_sum_milli += r;
            a->hour_has_rate = true;
        }
    }
    a->nconc = 0;
    a->flow_milli = FLUEGAS_NA;
}

static void emission_flush_hour(emission_acc *a)
{
    emission_flush_site(a);
    if (a->hour_has_rate) {
        a->total_milli += a->hour_sum_milli;
        a->hours++;
    }
    a->hour_sum_milli = 0;
    a->hour_has_rate = false;
}

static int emission_value(void *ctx, const em_hour_value *v)
{
    emission_acc *a = ctx;
    if (v->hour_utc != a->hour) {
        emission_flush_hour(a);
        a->hour = v->hour_utc;
        a->site = v->site_id;
    } else if (v->site_id != a->site) {
        emission_flush_site(a);
        a->site = v->site_id;
    }
    int64_t m;
    if (!strcmp(v->param, EM_GAS_FLOW_CODE)) {
        /* HJ 212-2017 Annex B gives the flue-gas flow in m³/s; the rate wants m³/h. */
        if (to_milli(v->value, 3600.0, &m) && m >= 0)
            a->flow_milli = m;
    } else if (a->nconc < sizeof a->conc_milli / sizeof a->conc_milli[0] &&
               to_milli(v->value, 1.0, &m) && m >= 0) {
        a->conc_milli[a->nconc++] = m;
    }
    return 0;
}

/* The mean hourly emission rate (kg/h) of enterprise over [from, to): NAN with *hours 0 when
 * no hour has a rate. */
static int emission_mean(store *s, const char *enterprise, int64_t from, int64_t to,
                         double *mean_out, int *hours_out, char *err, size_t errcap)
{
    const char *codes[sizeof em_emission_codes / sizeof em_emission_codes[0] + 1];
    memcpy(codes, em_emission_codes, sizeof em_emission_codes);
    codes[em_emission_ncodes] = EM_GAS_FLOW_CODE;
    emission_acc a = {.hour = -1, .site = -1, .flow_milli = FLUEGAS_NA};
    int rc = em_hour_values(s, enterprise, codes, em_emission_ncodes + 1, from, to, emission_value,
                            &a, err, errcap);
    emission_flush_hour(&a);
    *hours_out = a.hours;
    *mean_out = a.hours ? (double)a.total_milli / 1000.0 / a.hours : NAN;
    return rc;
}

/* ---- sites gone silent ------------------------------------------------------------- */

typedef struct presence_vec {
    size_t n, cap;
    int64_t *values; /* per site, in id order */
} presence_vec;

static int collect_presence(void *ctx, const em_site_presence *p)
{
    presence_vec *pv = ctx;
    if (pv->n == pv->cap) {
        pv->cap = pv->cap ? 2 * pv->cap : 8;
        pv->values = xrealloc(pv->values, pv->cap * sizeof *pv->values);
    }
    pv->values[pv->n++] = p->values;
    return 0;
}

/* Sites of the enterprise; of them, those with data in the 24 h before the warning; of
 * those, the ones with none since the start (only once EM_SILENT_AFTER_H hours have run). */
static int silent_sites(store *s, em_verdict *v, int64_t start, int64_t to, char *err,
                        size_t errcap)
{
    /* The codes of the rules beside the known factors: a power meter sends nothing else. */
    const char *codes[sizeof em_power_codes / sizeof *em_power_codes +
                      sizeof em_emission_codes / sizeof *em_emission_codes];
    size_t nc = 0;
    for (size_t i = 0; i < em_power_ncodes; i++)
        codes[nc++] = em_power_codes[i];
    for (size_t i = 0; i < em_emission_ncodes; i++)
        codes[nc++] = em_emission_codes[i];
    presence_vec before = {0}, during = {0};
    int rc = em_site_presence_each(s, v->enterprise, codes, nc, start - 24 * 3600, start,
                                   collect_presence, &before, err, errcap);
    if (rc == EW_OK)
        rc = em_site_presence_each(s, v->enterprise, codes, nc, start, to, collect_presence,
                                   &during, err, errcap);
    /* Both walks list the same sites in the same order unless one was added in between. */
    bool judged = to - start >= EM_SILENT_AFTER_H * 3600 && before.n == during.n;
    v->sites = (int)before.n;
    for (size_t i = 0; rc == EW_OK && i < before.n; i++)
        if (before.values[i] > 0) {
            v->sites_before++;
            v->sites_silent += judged && during.values[i] == 0;
        }
    v->silent_breached = v->sites_silent > 0;
    free(before.values);
    free(during.values);
    return rc;
}

/* The list (only: that enterprise's entry alone, NULL: every entry) with each entry judged
 * for warning w over [w.start, min(now, w.end)). */
static int judge(store *s, const em_warning_row *w, int64_t now_utc, const char *only, list_vec *lv,
                 char *err, size_t errcap)
{
    em_level l;
    if (em_level_parse(w->level, &l))
        return ew_errf(err, errcap, EW_EINTERNAL, "warning %lld: bad level", (long long)w->id);
    int rc = only ? em_list_get(s, only, collect_entry, lv, err, errcap)
                  : em_list_each(s, collect_entry, lv, err, errcap);
    if (rc > 0)
        rc = EW_OK; /* em_list_get: found */
    int64_t to = now_utc < w->end_utc ? now_utc : w->end_utc;
    for (size_t i = 0; rc == EW_OK && i < lv->n; i++) {
        em_verdict *v = &lv->v[i];
        v->cut_pct = v->cut_by_level[l];
        v->allowed_kw = em_allowed_kw(v->base_kw, v->cut_pct);
        rc = em_power_mean(s, v->enterprise, em_power_codes, em_power_ncodes, w->start_utc, to,
                           &v->mean_kw, &v->hours, err, errcap);
        v->breached = em_power_breaches(v->mean_kw, v->allowed_kw);
        if (rc == EW_OK && em_breach_find(s, w->id, v->enterprise, &v->case_id, err, errcap) < 0)
            rc = EW_EINTERNAL;
        v->allowed_kgh = em_allowed_kw(v->base_kgh, v->cut_pct);
        if (rc == EW_OK)
            rc = emission_mean(s, v->enterprise, w->start_utc, to, &v->mean_kgh, &v->emission_hours,
                               err, errcap);
        int before_hours;
        if (rc == EW_OK)
            rc = emission_mean(s, v->enterprise, w->start_utc - 24 * 3600, w->start_utc,
                               &v->before_kgh, &before_hours, err, errcap);
        /* A zero baseline is no baseline: the list gives none for enterprises without CEMS. */
        v->emission_breached = v->base_kgh > 0 && em_power_breaches(v->mean_kgh, v->allowed_kgh);
        if (rc == EW_OK && em_data_breach_find(s, w->id, v->enterprise, "emission",
                                               &v->emission_case_id, err, errcap) < 0)
            rc = EW_EINTERNAL;
        if (rc == EW_OK)
            rc = silent_sites(s, v, w->start_utc, to, err, errcap);
        if (rc == EW_OK && em_data_breach_find(s, w->id, v->enterprise, "silent",
                                               &v->silent_case_id, err, errcap) < 0)
            rc = EW_EINTERNAL;
    }
    return rc;
}

/* Open a breach case for the enterprise of v in its town; *case_id the case. */
static int open_case(store *s, em_verdict *v, const char *desc, int64_t now_utc, int64_t *case_id,
                     char *err, size_t errcap)
{
    case_report rep = {.source = CASE_SRC_MONITORING_ALERT,
                       .category = CASE_CAT_OTHER,
                       .location = v->town,
                       .description = desc};
    case_actor sys = {.name = "system", .role = EW_ROLE_BUREAU, .org = NULL};
    casework_meta m = {.created_by = "system"};
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    if (casework_open(s, &rep, &sys, &m, now_utc, case_id, tracking, &ce) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "breach case: %s", ce.msg);
    return EW_OK;
}

/* The level as the notices write it, for the case's text. */
static const char *level_zh(const char *level)
{
    static const char *const zh[EM_LEVEL_COUNT] = {"黄色", "橙色", "红色"};
    em_level l;
    return em_level_parse(level, &l) ? level : zh[l];
}

static int open_breach_case(store *s, const em_warning_row *w, em_verdict *v, int64_t now_utc,
                            char *err, size_t errcap)
{
    char desc[512];
    snprintf(
        desc, sizeof desc,
        "重污染天气%s预警期间 %s 生产用电均值 %.1f kW，超过减排要求 %.1f kW（基准 × (1 − %g%%)），"
        "预警 #%lld。",
        level_zh(w->level), v->enterprise, v->mean_kw, v->allowed_kw, v->cut_pct, (long long)w->id);
    int rc = open_case(s, v, desc, now_utc, &v->case_id, err, errcap);
    em_breach_row b = {.warning_id = w->id,
                       .enterprise = v->enterprise,
                       .at_utc = now_utc,
                       .mean_kw = v->mean_kw,
                       .allowed_kw = v->allowed_kw,
                       .case_id = v->case_id};
    return rc == EW_OK ? em_breach_put(s, &b, err, errcap) : rc;
}

/* Open the case of a breach found on monitoring data (kind "emission" or "silent") and
 * store the breach; value and allowed as em_data_breach_row says. */
static int open_data_case(store *s, const em_warning_row *w, em_verdict *v, const char *kind,
                          const char *desc, double value, double allowed, int64_t now_utc,
                          int64_t *case_id, char *err, size_t errcap)
{
    int rc = open_case(s, v, desc, now_utc, case_id, err, errcap);
    em_data_breach_row b = {.warning_id = w->id,
                            .enterprise = v->enterprise,
                            .kind = kind,
                            .at_utc = now_utc,
                            .value = value,
                            .allowed = allowed,
                            .case_id = *case_id};
    return rc == EW_OK ? em_data_breach_put(s, &b, err, errcap) : rc;
}

static int open_emission_case(store *s, const em_warning_row *w, em_verdict *v, int64_t now_utc,
                              char *err, size_t errcap)
{
    char desc[512];
    snprintf(desc, sizeof desc,
             "重污染天气%s预警期间 %s 废气污染物（颗粒物、SO2、NOx、非甲烷总烃）排放速率均值 "
             "%.2f kg/h，超过减排要求 %.2f kg/h（基准 %.2f × (1 − %g%%)），预警 #%lld。",
             level_zh(w->level), v->enterprise, v->mean_kgh, v->allowed_kgh, v->base_kgh,
             v->cut_pct, (long long)w->id);
    return open_data_case(s, w, v, "emission", desc, v->mean_kgh, v->allowed_kgh, now_utc,
                          &v->emission_case_id, err, errcap);
}

static int open_silent_case(store *s, const em_warning_row *w, em_verdict *v, int64_t now_utc,
                            char *err, size_t errcap)
{
    char desc[512];
    snprintf(
        desc, sizeof desc,
        "重污染天气%s预警期间 %s 的 %d 个监测点位自预警开始未上传数据（预警前 24 小时内有数据），"
        "预警 #%lld。",
        level_zh(w->level), v->enterprise, v->sites_silent, (long long)w->id);
    return open_data_case(s, w, v, "silent", desc, v->sites_silent, 0, now_utc, &v->silent_case_id,
                          err, errcap);
}

typedef struct warn_vec {
    size_t n;
    em_warning_row w[16]; /* warnings in force at once: a handful at most */
    char *strs[16][4];
} warn_vec;

static int collect_warning(void *ctx, const em_warning_row *w)
{
    warn_vec *wv = ctx;
    if (wv->n == sizeof wv->w / sizeof wv->w[0])
        return 1;
    em_warning_row *c = &wv->w[wv->n];
    *c = *w;
    char **s = wv->strs[wv->n++];
    c->level = s[0] = xstrdup(w->level);
    c->notice = s[1] = xstrdup(w->notice);
    c->basis = s[2] = xstrdup(w->basis);
    c->declared_by = s[3] = xstrdup(w->declared_by);
    return 0;
}

static void warnings_free(warn_vec *wv)
{
    for (size_t i = 0; i < wv->n; i++)
        for (int k = 0; k < 4; k++)
            free(wv->strs[i][k]);
}

int emergency_check(store *s, int64_t now_utc, int *breaches, char *err, size_t errcap)
{
    *breaches = 0;
    warn_vec wv = {0};
    /* Begun by now and not ended more than EM_LATE_DATA_H ago. */
    int rc = em_warnings_overlapping(s, now_utc - EM_LATE_DATA_H * 3600, now_utc, collect_warning,
                                     &wv, err, errcap);
    for (size_t i = 0; rc >= 0 && i < wv.n; i++) {
        list_vec lv = {0};
        rc = judge(s, &wv.w[i], now_utc, NULL, &lv, err, errcap);
        for (size_t k = 0; rc == EW_OK && k < lv.n; k++) {
            em_verdict *v = &lv.v[k];
            if (v->breached && !v->case_id) {
                rc = open_breach_case(s, &wv.w[i], v, now_utc, err, errcap);
                *breaches += rc == EW_OK;
            }
            if (rc == EW_OK && v->emission_breached && !v->emission_case_id) {
                rc = open_emission_case(s, &wv.w[i], v, now_utc, err, errcap);
                *breaches += rc == EW_OK;
            }
            if (rc == EW_OK && v->silent_breached && !v->silent_case_id) {
                rc = open_silent_case(s, &wv.w[i], v, now_utc, err, errcap);
                *breaches += rc == EW_OK;
            }
        }
        verdicts_free(lv.v, lv.n);
    }
    warnings_free(&wv);
    return rc < 0 ? rc : EW_OK;
}

/* ---- the report -------------------------------------------------------------------- */

/* Mean daily zone AQI over Beijing days [day0, day0 + ndays); NAN when none is stated. */
static int mean_zone_aqi(ew_reader *db, int64_t day0, int ndays, double *out, char *err,
                         size_t errcap)
{
    airq_opts o;
    airq_opts_default(&o);
    air_period a;
    int rc = air_load(db, day0, ndays, &o, &a, err, errcap);
    double sum = 0;
    int n = 0;
    for (int d = 0; rc == EW_OK && a.zone && d < ndays; d++)
        if (a.zone[d].aqi >= 0) {
            sum += a.zone[d].aqi;
            n++;
        }
    air_period_free(&a);
    *out = n ? sum / n : NAN;
    return rc;
}

int emergency_report(store *s, ew_reader *db, int64_t id, const case_actor *who, int64_t now_utc,
                     em_report *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    out->aqi_during = out->aqi_before = NAN;
    out->reduction_vs_base_pct = out->reduction_vs_before_pct = out->required_pct = NAN;
    bool own = who && who->role == EW_ROLE_ENTERPRISE && who->org;
    if (!own && !(who && (may_manage(who) || who->role == EW_ROLE_AUDITOR)))
        return ew_errf(err, errcap, EW_EFORBIDDEN,
                       "warning reports are the bureau's; an enterprise sees its own entry");
    warn_vec wv = {0};
    int rc = em_warning_get(s, id, collect_warning, &wv, err, errcap);
    if (rc < 0)
        return rc;
    if (wv.n == 0)
        return ew_errf(err, errcap, EW_ENOTFOUND, "warning %lld: not found", (long long)id);
    list_vec lv = {0};
    /* An enterprise's report judges its own entry alone. */
    rc = judge(s, &wv.w[0], now_utc, own ? who->org : NULL, &lv, err, errcap);
    out->w = wv.w[0]; /* its strings now belong to the report */
    out->v = lv.v;
    out->n = lv.n;
    double sum_mean = 0, sum_base = 0, sum_now = 0, sum_before = 0;
    for (size_t i = 0; i < lv.n; i++) {
        const em_verdict *v = &lv.v[i];
        bool nodata = em_verdict_no_data(v), breached = em_verdict_breached(v);
        out->no_data += nodata;
        out->breached += breached;
        out->complied += !nodata && !breached;
        if (v->base_kgh > 0 && isfinite(v->mean_kgh)) {
            sum_mean += v->mean_kgh;
            sum_base += v->base_kgh;
        }
        if (isfinite(v->mean_kgh) && isfinite(v->before_kgh)) {
            sum_now += v->mean_kgh;
            sum_before += v->before_kgh;
        }
    }
    /* The zone's estimate is the bureau's: over one entry it would be that entry's own. */
    out->reduction_vs_base_pct = !own && sum_base > 0 ? 100.0 * (1.0 - sum_mean / sum_base) : NAN;
    out->reduction_vs_before_pct =
        !own && sum_before > 0 ? 100.0 * (1.0 - sum_now / sum_before) : NAN;
    em_level l;
    out->required_pct = em_level_parse(out->w.level, &l) ? NAN : em_level_required_cut_pct(l);
    int64_t d0 = ew_bj_day_of(out->w.start_utc), d1 = ew_bj_day_of(out->w.end_utc - 1);
    if (rc == EW_OK)
        rc = mean_zone_aqi(db, d0, (int)(d1 - d0 + 1), &out->aqi_during, err, errcap);
    if (rc == EW_OK)
        rc = mean_zone_aqi(db, d0 - 3, 3, &out->aqi_before, err, errcap);
    return rc;
}

void emergency_report_free(em_report *r)
{
    free((char *)r->w.level);
    free((char *)r->w.notice);
    free((char *)r->w.basis);
    free((char *)r->w.declared_by);
    verdicts_free(r->v, r->n);
    memset(r, 0, sizeof *r);
}
