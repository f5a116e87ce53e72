/* http_source: the pollution-source routes — outlets with their limits, marks, alerts with
 * their evidence (service/source.h). Each handler parses, calls one service function and
 * renders; who sees what is decided in the service (an enterprise its own outlets only, the
 * public nothing). */
#include "hj212/hj212.h"
#include "net/http_office_util.h"
#include "net/rules_doc.h"
#include "service/source.h"

/* Answer the EW_E* code of a service call. Returns the status. */
static int source_err(http_req *r, http_resp *out, int rc, const char *err)
{
    switch (rc) {
    case EW_EFORBIDDEN:
        return http_denied(r, out, err);
    case EW_ENOTFOUND:
        return http_error(out, 404, "not_found", "%s", err);
    case EW_EINVALID:
        return invalid(out, "%s", err);
    default:
        return store_err(out, err);
    }
}

static json_t *milli_json(int64_t v)
{
    return v == SOURCE_NO_VALUE ? json_null() : json_real((double)v / 1000.0);
}

static int id_param(http_req *r, http_resp *out, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    if (*end || v <= 0)
        return http_error(out, 404, "not_found", "no such object");
    *id = v;
    return 0;
}

/* ---- outlets and limits --------------------------------------------------------------- */

static json_t *limit_json(const source_limit *l)
{
    json_t *o = json_object();
    json_object_set_new(o, "param", json_string(l->param));
    json_object_set_new(o, "period", json_string(l->period));
    json_object_set_new(o, "kind", json_string(l->kind));
    bool range = !strcmp(l->kind, "range");
    json_object_set_new(o, "max", range ? json_null() : milli_json(l->max_milli));
    json_object_set_new(o, "lo", range ? milli_json(l->lo_milli) : json_null());
    json_object_set_new(o, "hi", range ? milli_json(l->hi_milli) : json_null());
    /* The unit is the factor's in HJ 212-2017 Annex B, the table that owns units ("" for pH,
     * null for a code the table does not know). */
    const hj212_param *p = hj212_param_find((hj212_str){l->param, strlen(l->param)});
    json_object_set_new(o, "unit", p ? json_string(p->unit) : json_null());
    json_object_set_new(o, "o2_ref", milli_json(l->o2_ref_milli));
    json_object_set_new(o, "standard", json_string(l->standard));
    json_object_set_new(o, "updated", iso(l->updated_utc));
    json_object_set_new(o, "updated_by", json_string(l->updated_by));
    return o;
}

static int outlet_row(void *ctx, const source_outlet *o, const source_limit *l, size_t n)
{
    json_t *row = json_object(), *lim = json_array();
    json_object_set_new(row, "id", json_integer(o->site_id));
    json_object_set_new(row, "mn", json_string(o->mn));
    json_object_set_new(row, "name", json_string(o->name));
    json_object_set_new(row, "kind", json_string(o->kind));
    json_object_set_new(row, "town", str_or_null(o->town));
    json_object_set_new(row, "enterprise", str_or_null(o->enterprise));
    for (size_t i = 0; i < n; i++)
        json_array_append_new(lim, limit_json(&l[i]));
    json_object_set_new(row, "limits", lim);
    json_array_append_new(ctx, row);
    return 0;
}

static int h_outlets(http_req *r, http_resp *out)
{
    json_t *rows = json_array();
    char err[256] = "";
    int rc = source_outlets_list(r->office, &r->who, outlet_row, rows, err, sizeof err);
    if (rc) {
        json_decref(rows);
        return source_err(r, out, rc, err);
    }
    return http_json(out, 200, json_pack("{s:o}", "data", rows));
}

static int h_outlet_limit(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (id_param(r, out, &id))
        return out->status;
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    source_limit l = {.site_id = id,
                      .param = jstr(b, "param"),
                      .period = jstr(b, "period"),
                      .kind = jstr(b, "kind") ? jstr(b, "kind") : "upper",
                      .standard = jstr(b, "standard"),
                      .o2_ref_milli = SOURCE_NO_VALUE};
    json_t *o2 = json_object_get(b, "o2_ref");
    if (json_is_number(o2))
        l.o2_ref_milli = llround(json_number_value(o2) * 1000.0);
    static const char *const k[] = {"max", "lo", "hi"};
    int64_t *dst[] = {&l.max_milli, &l.lo_milli, &l.hi_milli};
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(b, k[i]);
        if (v && !json_is_number(v)) {
            json_decref(b);
            return invalid(out, "%s must be a number", k[i]);
        }
        if (v && fabs(json_number_value(v)) < 1e9)
            *dst[i] = llround(json_number_value(v) * 1000.0);
    }
    char err[256] = "";
    int rc = source_limit_set(r->office, &r->who, r->addr, &l, r->now_utc, err, sizeof err);
    json_decref(b);
    if (rc)
        return source_err(r, out, rc, err);
    return h_outlets(r, out);
}

/* ---- marks ---------------------------------------------------------------------------- */

static int mark_row(void *ctx, const source_mark *m)
{
    json_t *row = json_object();
    json_object_set_new(row, "id", json_integer(m->id));
    json_object_set_new(row, "site_id", json_integer(m->site_id));
    json_object_set_new(row, "from", iso(m->from_utc));
    json_object_set_new(row, "to", iso(m->to_utc));
    json_object_set_new(row, "class", json_string(source_mark_class_name(m->cls)));
    json_object_set_new(row, "reason", json_string(m->reason));
    json_object_set_new(row, "who", json_string(m->who));
    json_object_set_new(row, "evidence", str_or_null(m->evidence));
    json_object_set_new(row, "state", json_string(m->state));
    json_object_set_new(row, "replaces", m->replaces ? json_integer(m->replaces) : json_null());
    json_object_set_new(row, "created", iso(m->created_utc));
    json_array_append_new(ctx, row);
    return 0;
}

/* Argument name as a positive id into *id (0 when absent); what names the kind of object
 * in the 400 answer. */
static int id_arg(http_req *r, http_resp *out, const char *name, const char *what, int64_t *id)
{
    const char *v = http_arg(r, name);
    *id = 0;
    if (!v)
        return 0;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (*end || x <= 0)
        return http_error(out, 400, "bad_request", "%s must be %s", name, what);
    *id = x;
    return 0;
}

static int site_arg(http_req *r, http_resp *out, const char *name, int64_t *id)
{
    return id_arg(r, out, name, "an outlet id", id);
}

static int h_marks(http_req *r, http_resp *out)
{
    int64_t site, from, to;
    if (site_arg(r, out, "outlet", &site) || http_time_arg(r, out, "from", 0, &from) ||
        http_time_arg(r, out, "to", INT64_MAX, &to))
        return out->status;
    json_t *rows = json_array();
    char err[256] = "";
    int rc = source_marks_list(r->office, &r->who, site, from, to, mark_row, rows, err, sizeof err);
    if (rc) {
        json_decref(rows);
        return source_err(r, out, rc, err);
    }
    return http_table(r, out, rows, NULL, "marks");
}

static int h_mark_add(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    source_mark m = {
        .reason = jstr(b, "reason"), .evidence = jstr(b, "evidence"), .state = jstr(b, "state")};
    json_t *site = json_object_get(b, "outlet");
    m.site_id = json_is_integer(site) ? json_integer_value(site) : 0;
    int rc = 0;
    if (source_mark_class_parse(jstr(b, "class"), &m.cls))
        rc = invalid(out, "class must be one of comm_break, device_maint, manual_value, "
                          "non_liability, param_maint, treatment, production, cems_switch");
    else if (body_time(b, "from", &m.from_utc) || body_time(b, "to", &m.to_utc) || !m.from_utc ||
             !m.to_utc)
        rc = invalid(out, "from and to must be ISO-8601 times");
    if (rc) {
        json_decref(b);
        return rc;
    }
    char err[256] = "";
    int64_t id = 0;
    rc = source_mark_file(r->office, &r->who, r->addr, &m, r->now_utc, &id, err, sizeof err);
    json_decref(b);
    if (rc)
        return source_err(r, out, rc, err);
    return http_json(out, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- alerts --------------------------------------------------------------------------- */

static json_t *alert_json(const source_alert *a, bool with_evidence)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "site_id", json_integer(a->site_id));
    json_object_set_new(o, "enterprise", str_or_null(a->enterprise));
    json_object_set_new(o, "rule", json_string(a->rule));
    json_object_set_new(o, "rule_zh", str_or_null(source_rule_zh(a->rule)));
    json_object_set_new(o, "param", json_string(a->param));
    json_object_set_new(o, "from", iso(a->from_utc));
    json_object_set_new(o, "to", iso(a->to_utc));
    json_object_set_new(o, "value", milli_json(a->value_milli));
    json_object_set_new(o, "limit", milli_json(a->limit_milli));
    json_object_set_new(o, "multiple", milli_json(a->multiple_milli));
    json_object_set_new(o, "state", json_string(a->state));
    json_object_set_new(o, "case_id", a->case_id ? json_integer(a->case_id) : json_null());
    if (with_evidence) {
        json_t *ev = json_loads(a->evidence, 0, NULL);
        json_object_set_new(o, "evidence", ev ? ev : json_string(a->evidence));
    }
    return o;
}

static int alert_row(void *ctx, const source_alert *a)
{
    json_array_append_new(ctx, alert_json(a, false));
    return 0;
}

static int h_alerts(http_req *r, http_resp *out)
{
    source_alert_filter f = {.rule = http_arg(r, "rule"), .state = http_arg(r, "state")};
    if (site_arg(r, out, "outlet", &f.site_id) || id_arg(r, out, "case", "a case id", &f.case_id) ||
        http_time_arg(r, out, "from", 0, &f.from_utc) || http_time_arg(r, out, "to", 0, &f.to_utc))
        return out->status;
    json_t *rows = json_array();
    char err[256] = "";
    int rc = source_alerts_list(r->office, &r->who, &f, alert_row, rows, err, sizeof err);
    if (rc) {
        json_decref(rows);
        return source_err(r, out, rc, err);
    }
    return http_table(r, out, rows, NULL, "alerts");
}

static int alert_one(void *ctx, const source_alert *a)
{
    *(json_t **)ctx = alert_json(a, true);
    return 0;
}

static int h_alert(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (id_param(r, out, &id))
        return out->status;
    json_t *o = NULL;
    char err[256] = "";
    int rc = source_alert_show(r->office, &r->who, id, alert_one, &o, err, sizeof err);
    if (rc) {
        json_decref(o);
        return source_err(r, out, rc, err);
    }
    return http_json(out, 200, o);
}

/* ---- the rule catalogue ---------------------------------------------------------------- */

static int h_rules(http_req *r, http_resp *out)
{
    json_t *rows = rdoc_rules(r->source);
    char err[256] = "";
    /* A caller who may see no outlet's data still reads the catalogue, without counts. */
    int rc = rdoc_rules_cases(rows, r->office, &r->who, err, sizeof err);
    if (rc && rc != EW_EFORBIDDEN) {
        json_decref(rows);
        return source_err(r, out, rc, err);
    }
    return http_table(r, out, rows, NULL, "rules");
}

const http_route http_source_routes[] = {
    {"GET", "/api/v1/rules", h_rules, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/outlets", h_outlets, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"POST", "/api/v1/outlets/{id}/limits", h_outlet_limit, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/marks", h_marks, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"POST", "/api/v1/marks", h_mark_add, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/alerts", h_alerts, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/alerts/{id}", h_alert, 0, HTTP_LOGIN, HTTP_LOCKED},
};
const size_t http_source_nroutes = sizeof http_source_routes / sizeof http_source_routes[0];
