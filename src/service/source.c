/* source: limits, marks and alerts of pollution-source outlets (source.h); the scan that
 * makes alerts is source_scan.c. */
#include "service/source.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/textbuf.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "service/audit.h"
#include "service/source_internal.h"
#include "standards/exceed.h"
#include "standards/fluegas.h"
#include "standards/limits.h"
#include "store/office.h"

#define HOUR_S 3600

source_config source_config_default(void)
{
    return (source_config){
        .unit = "zonghe-zhifa",
        .deadline_s = 7 * 86400,
        .lookback_s = 72 * HOUR_S,
        .first_window_s = 7 * 86400,
        .o2_guard_milli = FLUEGAS_O2_GUARD_DEFAULT,
        .screen = screen_params_default(),
    };
}

/* ---- small helpers ---------------------------------------------------------------- */

static bool is_manager(const case_actor *who)
{
    return who->role == EW_ROLE_BUREAU || who->role == EW_ROLE_ADMIN;
}

int source_scope(const case_actor *who, const char **enterprise, char *err, size_t errcap)
{
    if (auth_decide(who->role, who->org, NULL, AUTH_DATA_READ).allow) {
        *enterprise = NULL;
        return EW_OK;
    }
    if (who->role == EW_ROLE_ENTERPRISE && who->org &&
        auth_decide(who->role, who->org, who->org, AUTH_DATA_READ_OWN).allow) {
        *enterprise = who->org;
        return EW_OK;
    }
    return ew_errf(err, errcap, EW_EFORBIDDEN, "pollution-source data: role %s may not see them",
                   auth_role_name(who->role));
}

/* ---- outlets and limits --------------------------------------------------------------- */

int source_limit_keep(void *ctx, const source_limit *l)
{
    limit_list *ll = ctx;
    if (ll->n == ll->cap) {
        ll->cap = ll->cap ? 2 * ll->cap : 16;
        ll->v = xrealloc(ll->v, ll->cap * sizeof *ll->v);
    }
    source_limit c = *l;
    c.param = xstrdup(l->param);
    c.period = xstrdup(l->period);
    c.kind = xstrdup(l->kind);
    c.standard = xstrdup(l->standard);
    c.updated_by = xstrdup(l->updated_by);
    ll->v[ll->n++] = c;
    return 0;
}

void source_limit_list_free(limit_list *ll)
{
    for (size_t i = 0; i < ll->n; i++) {
        free((char *)ll->v[i].param);
        free((char *)ll->v[i].period);
        free((char *)ll->v[i].kind);
        free((char *)ll->v[i].standard);
        free((char *)ll->v[i].updated_by);
    }
    free(ll->v);
    *ll = (limit_list){0};
}

typedef struct outlets_ctx {
    limit_list *ll;
    source_outlet_view_fn fn;
    void *ctx;
} outlets_ctx;

static int outlet_view(void *ctx, const source_outlet *o)
{
    outlets_ctx *c = ctx;
    size_t i = 0;
    while (i < c->ll->n && c->ll->v[i].site_id < o->site_id)
        i++;
    size_t j = i;
    while (j < c->ll->n && c->ll->v[j].site_id == o->site_id)
        j++;
    return c->fn(c->ctx, o, c->ll->v + i, j - i);
}

int source_outlets_list(store *s, const case_actor *who, source_outlet_view_fn fn, void *ctx,
                        char *err, size_t errcap)
{
    const char *ent = NULL;
    int rc = source_scope(who, &ent, err, errcap);
    if (rc)
        return rc;
    limit_list ll = {0};
    rc = source_limits_each(s, 0, source_limit_keep, &ll, err, errcap);
    if (rc == EW_OK) {
        outlets_ctx c = {&ll, fn, ctx};
        rc = source_outlets_each(s, ent, 0, outlet_view, &c, err, errcap);
    }
    source_limit_list_free(&ll);
    return rc;
}

typedef struct one_outlet {
    bool found;
    char enterprise[256];
    bool has_enterprise;
} one_outlet;

static int outlet_found(void *ctx, const source_outlet *o)
{
    one_outlet *f = ctx;
    f->found = true;
    f->has_enterprise = o->enterprise != NULL;
    snprintf(f->enterprise, sizeof f->enterprise, "%s", o->enterprise ? o->enterprise : "");
    return 0;
}

/* The outlet site_id as who may see it: EW_OK, or EW_ENOTFOUND. */
static int outlet_visible(store *s, const case_actor *who, int64_t site_id, one_outlet *f,
                          char *err, size_t errcap)
{
    const char *ent = NULL;
    int rc = source_scope(who, &ent, err, errcap);
    if (rc)
        return rc;
    *f = (one_outlet){0};
    rc = source_outlets_each(s, ent, site_id, outlet_found, f, err, errcap);
    if (rc)
        return rc;
    if (!f->found)
        return ew_errf(err, errcap, EW_ENOTFOUND, "outlet %" PRId64 ": no such outlet", site_id);
    return EW_OK;
}

/* The service's audit entries, in its argument order (service/audit.h owns the writing). */
static int audit(store *s, const char *actor, const char *action, const char *object,
                 const char *detail, const char *addr, int64_t now_utc, char *err, size_t errcap)
{
    return audit_note(s, now_utc, actor, action, object, detail, addr, err, errcap);
}

/* Put a limit and its audit entry (inside the caller's transaction). */
static int limit_put_audited(store *s, const source_limit *l, const char *addr, char *err,
                             size_t errcap)
{
    int rc = source_limit_put(s, l, err, errcap);
    if (rc)
        return rc;
    char obj[96];
    snprintf(obj, sizeof obj, "site:%" PRId64 "/%s/%s", l->site_id, l->param, l->period);
    ew_textbuf d = {0};
    ew_tb_printf(&d, "kind=%s max=", l->kind);
    ew_tb_milli(&d, l->max_milli);
    ew_tb_printf(&d, " lo=");
    ew_tb_milli(&d, l->lo_milli);
    ew_tb_printf(&d, " hi=");
    ew_tb_milli(&d, l->hi_milli);
    ew_tb_printf(&d, " o2_ref=");
    ew_tb_milli(&d, l->o2_ref_milli);
    ew_tb_printf(&d, " standard=%s", l->standard);
    rc = audit(s, l->updated_by, "source.limit.put", obj, d.p, addr, l->updated_utc, err, errcap);
    free(d.p);
    return rc;
}

static int limit_check(const source_limit *l, char *err, size_t errcap)
{
    exceed_limit el = {.kind =
                           !strcmp(l->kind ? l->kind : "", "range") ? EXCEED_RANGE : EXCEED_UPPER,
                       .max_milli = l->max_milli,
                       .lo_milli = l->lo_milli,
                       .hi_milli = l->hi_milli};
    exceed_verdict v;
    if (exceed_judge(&el, 0, &v) < 0)
        return ew_errf(err, errcap, EW_EINVALID,
                       "limit: an upper limit must be > 0, a range needs lo <= hi");
    if (l->o2_ref_milli != SOURCE_NO_VALUE &&
        (l->o2_ref_milli < 0 || l->o2_ref_milli >= FLUEGAS_O2_GUARD_DEFAULT))
        return ew_errf(err, errcap, EW_EINVALID, "limit: o2_ref must lie in [0, 19) %%");
    return EW_OK;
}

int source_limit_set(store *s, const case_actor *who, const char *addr, const source_limit *l,
                     int64_t now_utc, char *err, size_t errcap)
{
    if (!is_manager(who))
        return ew_errf(err, errcap, EW_EFORBIDDEN, "limits: only the bureau may change them");
    one_outlet f;
    int rc = outlet_visible(s, who, l->site_id, &f, err, errcap);
    if (rc)
        return rc;
    source_limit c = *l;
    c.updated_utc = now_utc;
    c.updated_by = who->name ? who->name : auth_role_name(who->role);
    if ((rc = limit_check(&c, err, errcap)))
        return rc;
    if (store_begin(s, err, errcap) < 0)
        return EW_EINTERNAL;
    rc = limit_put_audited(s, &c, addr, err, errcap);
    if (rc == EW_OK && store_commit(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    if (rc)
        store_rollback(s);
    return rc;
}

/* ---- the limits file -------------------------------------------------------------- */

typedef struct mn_find {
    const char *mn;
    int64_t id;
} mn_find;

static int mn_match(void *ctx, const source_outlet *o)
{
    mn_find *f = ctx;
    if (!strcmp(o->mn, f->mn)) {
        f->id = o->site_id;
        return 1;
    }
    return 0;
}

int source_outlet_id_of(store *s, const char *mn, int64_t *id, char *err, size_t errcap)
{
    mn_find mf = {mn, 0};
    int rc = source_outlets_each(s, NULL, 0, mn_match, &mf, err, errcap);
    if (rc < 0)
        return rc;
    *id = mf.id;
    return EW_OK;
}

/* Parse a decimal "12.5" into thousandths; empty → none. Returns 0 or -1. */
static int parse_milli(const char *t, int64_t *out)
{
    if (!*t) {
        *out = SOURCE_NO_VALUE;
        return 0;
    }
    char *end;
    double v = strtod(t, &end);
    if (*end || !isfinite(v) || fabs(v) > 1e9)
        return -1;
    *out = llround(v * 1000.0);
    return 0;
}

enum { F_MN, F_PARAM, F_PERIOD, F_MAX, F_O2, F_STANDARD, F_SOURCE, F_LEVEL, F_COUNT };

static int load_row(store *s, char **f, int line, const char *actor, int64_t now_utc, int *n,
                    char *err, size_t errcap)
{
    int64_t site = 0;
    int rc = source_outlet_id_of(s, f[F_MN], &site, err, errcap);
    if (rc < 0)
        return rc;
    if (!site)
        return ew_errf(err, errcap, EW_ENOTFOUND, "line %d: no outlet with MN %s", line, f[F_MN]);
    source_limit l = {.site_id = site,
                      .standard = f[F_STANDARD],
                      .updated_utc = now_utc,
                      .updated_by = actor,
                      .kind = "upper"};
    if (!*f[F_PARAM]) { /* the defaults of standards/limits.h */
        int k = 0;
        for (size_t i = 0; i < limits_count(); i++) {
            const limits_row *r = limits_row_at(i);
            if (strcmp(r->standard, f[F_STANDARD]) || strcmp(r->source, f[F_SOURCE]) ||
                strcmp(r->level, f[F_LEVEL]) || !r->code)
                continue;
            l.param = r->code;
            l.period = r->period == LIMITS_HOURLY ? "hour" : "day";
            l.kind = r->limit.kind == EXCEED_RANGE ? "range" : "upper";
            l.max_milli = r->limit.max_milli;
            l.lo_milli = r->limit.lo_milli;
            l.hi_milli = r->limit.hi_milli;
            l.o2_ref_milli = r->o2_ref_milli == LIMITS_NO_O2 ? SOURCE_NO_VALUE : r->o2_ref_milli;
            if ((rc = limit_put_audited(s, &l, NULL, err, errcap)))
                return rc;
            k++;
        }
        if (!k)
            return ew_errf(err, errcap, EW_EINVALID, "line %d: no limits of %s / %s / %s", line,
                           f[F_STANDARD], f[F_SOURCE], f[F_LEVEL]);
        *n += k;
        return EW_OK;
    }
    l.param = f[F_PARAM];
    l.period = f[F_PERIOD];
    if (parse_milli(f[F_MAX], &l.max_milli) || l.max_milli == SOURCE_NO_VALUE ||
        parse_milli(f[F_O2], &l.o2_ref_milli))
        return ew_errf(err, errcap, EW_EINVALID, "line %d: max and o2_ref must be numbers", line);
    char why[200] = "";
    if ((rc = limit_check(&l, why, sizeof why)) ||
        (rc = limit_put_audited(s, &l, NULL, why, sizeof why)))
        return ew_errf(err, errcap, rc, "line %d: %s", line, why);
    (*n)++;
    return EW_OK;
}

int source_limits_load(store *s, const char *path, const char *actor, int64_t now_utc, int *n_rows,
                       char *err, size_t errcap)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return ew_errf(err, errcap, EW_EINTERNAL, "%s: cannot open", path);
    if (store_begin(s, err, errcap) < 0) {
        fclose(fp);
        return EW_EINTERNAL;
    }
    char buf[1024];
    int line = 0, n = 0, rc = EW_OK;
    while (rc == EW_OK && fgets(buf, sizeof buf, fp)) {
        line++;
        buf[strcspn(buf, "\r\n")] = 0;
        if (!buf[0] || buf[0] == '#' || (line == 1 && !strncmp(buf, "mn,", 3)))
            continue;
        char *f[F_COUNT], *p = buf;
        int k = 0;
        for (; k < F_COUNT && p; k++) {
            f[k] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = 0;
        }
        if (k != F_COUNT || p)
            rc = ew_errf(err, errcap, EW_EINVALID, "line %d: %d fields, 8 expected", line, k);
        else
            rc = load_row(s, f, line, actor, now_utc, &n, err, errcap);
    }
    fclose(fp);
    if (rc == EW_OK && store_commit(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    if (rc) {
        store_rollback(s);
        return rc;
    }
    if (n_rows)
        *n_rows = n;
    return EW_OK;
}

/* ---- marks -------------------------------------------------------------------------- */

static const char *const mark_names[EXCEED_MARK_CLASS_COUNT] = {
    [EXCEED_MARK_COMM_BREAK] = "comm_break",     [EXCEED_MARK_DEVICE_MAINT] = "device_maint",
    [EXCEED_MARK_MANUAL_VALUE] = "manual_value", [EXCEED_MARK_NON_LIABILITY] = "non_liability",
    [EXCEED_MARK_PARAM_MAINT] = "param_maint",   [EXCEED_MARK_TREATMENT] = "treatment",
    [EXCEED_MARK_PRODUCTION] = "production",     [EXCEED_MARK_CEMS_SWITCH] = "cems_switch",
};

int source_mark_class_parse(const char *name, int *cls)
{
    for (int i = 0; i < EXCEED_MARK_CLASS_COUNT; i++)
        if (name && !strcmp(name, mark_names[i])) {
            *cls = i;
            return 0;
        }
    return -1;
}

const char *source_mark_class_name(int cls)
{
    return cls >= 0 && cls < EXCEED_MARK_CLASS_COUNT ? mark_names[cls] : NULL;
}

int source_mark_file(store *s, const case_actor *who, const char *addr, const source_mark *m,
                     int64_t now_utc, int64_t *id_out, char *err, size_t errcap)
{
    if (!is_manager(who) && who->role != EW_ROLE_ENTERPRISE)
        return ew_errf(err, errcap, EW_EFORBIDDEN, "marks: role %s may not file them",
                       auth_role_name(who->role));
    one_outlet f;
    int rc = outlet_visible(s, who, m->site_id, &f, err, errcap);
    if (rc)
        return rc;
    source_mark c = *m;
    c.who = who->name ? who->name : auth_role_name(who->role);
    c.created_utc = now_utc;
    if (!c.state)
        c.state = "in_force";
    if (store_begin(s, err, errcap) < 0)
        return EW_EINTERNAL;
    int64_t id = 0;
    rc = source_mark_add(s, &c, &id, err, errcap);
    if (rc == EW_OK) {
        char obj[48], detail[160];
        snprintf(obj, sizeof obj, "mark:%" PRId64, id);
        snprintf(detail, sizeof detail, "site=%" PRId64 " class=%s state=%s", c.site_id,
                 source_mark_class_name(c.cls), c.state);
        rc = audit(s, c.who, "source.mark.add", obj, detail, addr, now_utc, err, errcap);
    }
    if (rc == EW_OK && store_commit(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    if (rc) {
        store_rollback(s);
        return rc;
    }
    if (id_out)
        *id_out = id;
    return EW_OK;
}

typedef struct mark_filter {
    store *s;
    const char *enterprise;
    source_mark_fn fn;
    void *ctx;
} mark_filter;

static int mark_scoped(void *ctx, const source_mark *m)
{
    mark_filter *mf = ctx;
    if (mf->enterprise) {
        one_outlet f = {0};
        if (source_outlets_each(mf->s, mf->enterprise, m->site_id, outlet_found, &f, NULL, 0) < 0)
            return EW_EINTERNAL;
        if (!f.found)
            return 0;
    }
    return mf->fn(mf->ctx, m);
}

int source_marks_list(store *s, const case_actor *who, int64_t site_id, int64_t from_utc,
                      int64_t to_utc, source_mark_fn fn, void *ctx, char *err, size_t errcap)
{
    const char *ent = NULL;
    int rc = source_scope(who, &ent, err, errcap);
    if (rc)
        return rc;
    mark_filter mf = {s, ent, fn, ctx};
    return source_marks_each(s, site_id, from_utc, to_utc, false, mark_scoped, &mf, err, errcap);
}

/* ---- alerts ------------------------------------------------------------------------- */

int source_alerts_list(store *s, const case_actor *who, const source_alert_filter *f,
                       source_alert_fn fn, void *ctx, char *err, size_t errcap)
{
    const char *ent = NULL;
    int rc = source_scope(who, &ent, err, errcap);
    if (rc)
        return rc;
    source_alert_filter c = *f;
    if (ent)
        c.enterprise = ent;
    return source_alerts_each(s, &c, fn, ctx, err, errcap);
}

typedef struct show_ctx {
    const char *enterprise;
    source_alert_fn fn;
    void *ctx;
    bool shown;
} show_ctx;

static int alert_scoped(void *ctx, const source_alert *a)
{
    show_ctx *c = ctx;
    if (c->enterprise && (!a->enterprise || strcmp(a->enterprise, c->enterprise)))
        return 0;
    c->shown = true;
    return c->fn(c->ctx, a);
}

int source_alert_show(store *s, const case_actor *who, int64_t id, source_alert_fn fn, void *ctx,
                      char *err, size_t errcap)
{
    const char *ent = NULL;
    int rc = source_scope(who, &ent, err, errcap);
    if (rc)
        return rc;
    show_ctx c = {ent, fn, ctx, false};
    rc = source_alert_get(s, id, alert_scoped, &c, err, errcap);
    if (rc < 0)
        return rc;
    if (!c.shown)
        return ew_errf(err, errcap, EW_ENOTFOUND, "alert %" PRId64 ": no such alert", id);
    return EW_OK;
}

/* ---- what became of the rules' cases ------------------------------------------------- */

typedef struct tally_row {
    char *rule;
    source_rule_cases c;
} tally_row;

typedef struct tally {
    tally_row *v;
    size_t n, cap;
} tally;

static int tally_add(void *ctx, const char *rule, const char *state, const char *finding, int64_t n)
{
    tally *t = ctx;
    if (!t->n || strcmp(t->v[t->n - 1].rule, rule)) {
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 16;
            t->v = xrealloc(t->v, t->cap * sizeof *t->v);
        }
        t->v[t->n++] = (tally_row){.rule = xstrdup(rule)};
    }
    source_rule_cases *c = &t->v[t->n - 1].c;
    c->total += n;
    if (!strcmp(state, "closed")) {
        c->closed += n;
        if (finding && !strcmp(finding, "confirmed"))
            c->confirmed += n;
        else if (finding && !strcmp(finding, "explained"))
            c->explained += n;
        else if (finding && !strcmp(finding, "false_alarm"))
            c->false_alarm += n;
    } else if (strcmp(state, "rejected")) {
        c->open += n;
    }
    return 0;
}

typedef struct cases_walk {
    const tally *t;
    source_rule_cases_fn fn;
    void *ctx;
} cases_walk;

static int cases_of_rule(void *ctx, const source_rule *r)
{
    cases_walk *w = ctx;
    source_rule_cases c = {0};
    for (size_t i = 0; i < w->t->n; i++)
        if (!strcmp(w->t->v[i].rule, r->id))
            c = w->t->v[i].c;
    int64_t judged = c.confirmed + c.explained + c.false_alarm;
    c.false_alarm_share = judged ? (double)c.false_alarm / (double)judged : NAN;
    return w->fn(w->ctx, r->id, &c);
}

int source_rule_cases_each(store *s, const case_actor *who, source_rule_cases_fn fn, void *ctx,
                           char *err, size_t errcap)
{
    const char *ent = NULL;
    int rc = source_scope(who, &ent, err, errcap);
    if (rc)
        return rc;
    tally t = {0};
    rc = source_alert_cases_each(s, ent, tally_add, &t, err, errcap);
    if (rc == EW_OK) {
        cases_walk w = {&t, fn, ctx};
        rc = source_rules_each(NULL, cases_of_rule, &w);
    }
    for (size_t i = 0; i < t.n; i++)
        free(t.v[i].rule);
    free(t.v);
    return rc;
}
