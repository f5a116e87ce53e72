/* http_emergency: the routes of the heavy-pollution response, fire points and video alarms
 * (service/emergency.h, service/fires.h). Each handler parses, calls one service function
 * and renders; the rules (who may declare, allowances, clustering, deduplication) are the
 * services'. Every route holds the office lock: these tables live beside the cases. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "net/http_internal.h"
#include "service/emergency.h"
#include "service/fires.h"
#include "service/riverplan.h"
#include "store/emergency.h"

static const char *jstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v && *v ? v : NULL;
}

/* A Beijing-time field of the body as UTC seconds: 0, or -1 if absent or malformed. */
static int jtime(json_t *o, const char *k, int64_t *t_utc)
{
    const char *v = jstr(o, k);
    ew_civil c;
    if (!v || ew_parse_iso(v, strlen(v), &c) || !ew_civil_valid(&c))
        return -1;
    *t_utc = ew_bj_to_utc(&c);
    return 0;
}

/* Answer a service failure with the status its code means (base/err.h). */
static int fail(http_resp *out, int rc, const char *err)
{
    switch (rc) {
    case EW_EINVALID:
        return http_error(out, 422, "invalid", "%s", err);
    case EW_EFORBIDDEN:
        return http_error(out, 403, "forbidden", "%s", err);
    case EW_ENOTFOUND:
        return http_error(out, 404, "not_found", "%s", err);
    default:
        return http_error(out, 500, "internal", "%s", err);
    }
}

static json_t *time_json(int64_t t_utc)
{
    char buf[32];
    ew_format_iso_bj(t_utc, buf, sizeof buf);
    return json_string(buf);
}

static json_t *num_json(double v)
{
    return isfinite(v) ? json_real(round(v * 10) / 10) : json_null();
}

/* Emission rates to the gram per hour: a small outlet emits well under 1 kg/h. */
static json_t *kgh_json(double v)
{
    return isfinite(v) ? json_real(round(v * 1000) / 1000) : json_null();
}

static json_t *warning_json(const em_warning_row *w)
{
    return json_pack("{s:I,s:s,s:o,s:o,s:s,s:s,s:i,s:s,s:o}", "id", (json_int_t)w->id, "level",
                     w->level, "start", time_json(w->start_utc), "end", time_json(w->end_utc),
                     "notice", w->notice, "basis", w->basis, "basis_aqi", w->basis_aqi,
                     "declared_by", w->declared_by, "declared", time_json(w->declared_utc));
}

static int add_warning(void *ctx, const em_warning_row *w)
{
    json_array_append_new(ctx, warning_json(w));
    return 0;
}

static int h_warnings(http_req *r, http_resp *out)
{
    json_t *rows = json_array();
    char err[256];
    if (em_warnings_each(r->office, add_warning, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return fail(out, EW_EINTERNAL, err);
    }
    return http_table(r, out, rows, NULL, "warnings");
}

static int h_warning_declare(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    em_declaration d = {.level = jstr(b, "level"),
                        .notice = jstr(b, "notice"),
                        .basis = jstr(b, "basis"),
                        .aqi = (int)json_integer_value(json_object_get(b, "aqi"))};
    int rc;
    if (jtime(b, "start", &d.start_utc) || jtime(b, "end", &d.end_utc))
        rc = http_error(out, 422, "invalid", "start and end: Beijing time YYYY-MM-DD hh:mm");
    else {
        char err[256] = "";
        int64_t id = 0;
        int e = emergency_declare(r->office, r->db, &d, &r->who, r->addr, r->now_utc, &id, err,
                                  sizeof err);
        rc = e ? fail(out, e, err) : http_json(out, 201, json_pack("{s:I}", "id", (json_int_t)id));
    }
    json_decref(b);
    return rc;
}

static const char *verdict_word(const em_verdict *v)
{
    return em_verdict_no_data(v) ? "no_data" : em_verdict_breached(v) ? "breached" : "complied";
}

static json_t *verdict_json(const em_verdict *v)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:i,s:s,s:I}", "enterprise", v->enterprise,
                          "town", v->town, "grade", v->grade, "base_kw", num_json(v->base_kw),
                          "cut_pct", num_json(v->cut_pct), "allowed_kw", num_json(v->allowed_kw),
                          "mean_kw", num_json(v->mean_kw), "hours", v->hours, "verdict",
                          verdict_word(v), "case_id", (json_int_t)v->case_id);
    json_object_set_new(o, "power",
                        json_pack("{s:b,s:I}", "breached", v->breached || v->case_id, "case_id",
                                  (json_int_t)v->case_id));
    json_object_set_new(
        o, "emission",
        json_pack("{s:o,s:o,s:o,s:o,s:i,s:b,s:I}", "base_kgh", kgh_json(v->base_kgh), "allowed_kgh",
                  v->base_kgh > 0 ? kgh_json(v->allowed_kgh) : json_null(), "mean_kgh",
                  kgh_json(v->mean_kgh), "before_kgh", kgh_json(v->before_kgh), "hours",
                  v->emission_hours, "breached", v->emission_breached || v->emission_case_id,
                  "case_id", (json_int_t)v->emission_case_id));
    json_object_set_new(o, "silent",
                        json_pack("{s:i,s:i,s:i,s:b,s:I}", "sites", v->sites, "sites_before",
                                  v->sites_before, "sites_silent", v->sites_silent, "breached",
                                  v->silent_breached || v->silent_case_id, "case_id",
                                  (json_int_t)v->silent_case_id));
    return o;
}

/* One enterprise of the report as a flat row (CSV, XLSX). */
static json_t *verdict_row(const em_verdict *v)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "enterprise", v->enterprise, "town", v->town,
                          "grade", v->grade, "cut_pct", num_json(v->cut_pct), "mean_kw",
                          num_json(v->mean_kw), "allowed_kw", num_json(v->allowed_kw));
    json_object_set_new(o, "mean_kgh", kgh_json(v->mean_kgh));
    json_object_set_new(o, "allowed_kgh", v->base_kgh > 0 ? kgh_json(v->allowed_kgh) : json_null());
    json_object_set_new(o, "before_kgh", kgh_json(v->before_kgh));
    json_object_set_new(o, "sites_silent", json_integer(v->sites_silent));
    json_object_set_new(o, "sites_before", json_integer(v->sites_before));
    json_object_set_new(o, "verdict", json_string(verdict_word(v)));
    json_object_set_new(o, "power_case_id", json_integer(v->case_id));
    json_object_set_new(o, "emission_case_id", json_integer(v->emission_case_id));
    json_object_set_new(o, "silent_case_id", json_integer(v->silent_case_id));
    return o;
}

static int h_warning_report(http_req *r, http_resp *out)
{
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (*end || id <= 0)
        return http_error(out, 404, "not_found", "no such warning");
    em_report rep;
    char err[256] = "";
    int rc = emergency_report(r->office, r->db, id, &r->who, r->now_utc, &rep, err, sizeof err);
    if (rc) {
        emergency_report_free(&rep);
        return fail(out, rc, err);
    }
    if (r->csv || r->xlsx) {
        /* A spreadsheet wants one flat row per enterprise: the three rules side by side. */
        json_t *flat = json_array();
        for (size_t i = 0; i < rep.n; i++)
            json_array_append_new(flat, verdict_row(&rep.v[i]));
        emergency_report_free(&rep);
        return http_table(r, out, flat, NULL, "warning-report");
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < rep.n; i++)
        json_array_append_new(rows, verdict_json(&rep.v[i]));
    json_t *body = json_pack(
        "{s:o,s:o,s:{s:i,s:i,s:i},s:{s:o,s:o},s:{s:o,s:o,s:o}}", "warning", warning_json(&rep.w),
        "enterprises", rows, "summary", "complied", rep.complied, "breached", rep.breached,
        "no_data", rep.no_data, "aqi", "during", num_json(rep.aqi_during), "before_3_days",
        num_json(rep.aqi_before), "reduction", "required_pct", num_json(rep.required_pct),
        "vs_base_pct", num_json(rep.reduction_vs_base_pct), "vs_before_24h_pct",
        num_json(rep.reduction_vs_before_pct));
    emergency_report_free(&rep);
    return http_json(out, 200, body);
}

static int add_entry(void *ctx, const em_list_row *e)
{
    json_array_append_new(
        ctx, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:o}", "enterprise",
                       e->enterprise, "town", e->town, "grade", e->grade, "base_power_kw",
                       num_json(e->base_power_kw), "base_emission_kgh",
                       num_json(e->base_emission_kgh), "cut_yellow_pct", num_json(e->cut_pct[0]),
                       "cut_orange_pct", num_json(e->cut_pct[1]), "cut_red_pct",
                       num_json(e->cut_pct[2]), "measures_yellow", e->measures[0],
                       "measures_orange", e->measures[1], "measures_red", e->measures[2],
                       "updated_by", e->updated_by, "updated", time_json(e->updated_utc)));
    return 0;
}

static int h_list(http_req *r, http_resp *out)
{
    json_t *rows = json_array();
    char err[256];
    int rc = emergency_list_visible(r->office, &r->who, add_entry, rows, err, sizeof err);
    if (rc < 0) {
        json_decref(rows);
        return fail(out, rc, err);
    }
    return http_table(r, out, rows, NULL, "emergency-list");
}

static double jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double jnum_at(json_t *a, size_t i)
{
    json_t *v = json_array_get(a, i);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int h_list_put(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    em_list_row e = {
        .enterprise = jstr(b, "enterprise"),
        .town = jstr(b, "town"),
        .grade = jstr(b, "grade"),
        .base_power_kw = jnum(b, "base_power_kw"),
        .base_emission_kgh = jnum(b, "base_emission_kgh"),
        .cut_pct = {jnum(b, "cut_yellow_pct"), jnum(b, "cut_orange_pct"), jnum(b, "cut_red_pct")},
        .measures = {jstr(b, "measures_yellow"), jstr(b, "measures_orange"),
                     jstr(b, "measures_red")}};
    char err[256] = "";
    int rc = emergency_list_put(r->office, &e, &r->who, r->addr, r->now_utc, err, sizeof err);
    rc = rc ? fail(out, rc, err)
            : http_json(out, 200, json_pack("{s:s}", "enterprise", e.enterprise));
    json_decref(b);
    return rc;
}

static int add_town(void *ctx, const em_town_fires *t)
{
    json_array_append_new(ctx, json_pack("{s:s,s:I,s:I,s:I,s:o}", "town", t->town, "fire_points",
                                         (json_int_t)t->points, "cases", (json_int_t)t->cases,
                                         "responded", (json_int_t)t->responded, "mean_response_h",
                                         num_json(t->mean_response_s / 3600)));
    return 0;
}

static int h_fires_assessment(http_req *r, http_resp *out)
{
    int64_t from, to;
    int64_t today = ew_bj_day_start(ew_bj_day_of(r->now_utc));
    if (http_time_arg(r, out, "from", today - 30 * 86400, &from) ||
        http_time_arg(r, out, "to", today + 86400, &to))
        return out->status;
    json_t *rows = json_array();
    char err[256];
    if (em_fires_by_town(r->office, from, to, add_town, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return fail(out, EW_EINTERNAL, err);
    }
    return http_table(r, out, rows,
                      json_pack("{s:o,s:o}", "from", time_json(from), "to", time_json(to)),
                      "fire-assessment");
}

static int h_video_alarm(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    fires_video v = {
        .camera = jstr(b, "camera"), .kind = jstr(b, "kind"), .image_key = jstr(b, "image")};
    int rc;
    if (jtime(b, "time", &v.ts_utc))
        rc = http_error(out, 422, "invalid", "time: Beijing time YYYY-MM-DD hh:mm:ss");
    else {
        char err[256] = "";
        int64_t case_id = 0;
        bool opened = false;
        int e = fires_video_alarm(r->office, &v, &r->who, r->now_utc, &case_id, &opened, err,
                                  sizeof err);
        rc =
            e ? fail(out, e, err)
              : http_json(out, opened ? 201 : 200,
                          json_pack("{s:I,s:b}", "case_id", (json_int_t)case_id, "opened", opened));
    }
    json_decref(b);
    return rc;
}

/* One event of POST /events: a GeoJSON Feature (a Point geometry, its other fields in
 * properties) or a plain object {time, lon, lat, confidence, source}. 0, or -1 if a field
 * is missing or malformed (the service checks the ranges). */
static int event_of(json_t *e, fires_point *p)
{
    json_t *props = e, *coords = NULL;
    if (json_is_object(json_object_get(e, "geometry"))) {
        json_t *g = json_object_get(e, "geometry");
        const char *type = json_string_value(json_object_get(g, "type"));
        if (!type || strcmp(type, "Point"))
            return -1;
        coords = json_object_get(g, "coordinates");
        props = json_object_get(e, "properties");
        if (!json_is_array(coords) || json_array_size(coords) < 2 || !json_is_object(props))
            return -1;
    }
    p->lon = coords ? jnum_at(coords, 0) : jnum(props, "lon");
    p->lat = coords ? jnum_at(coords, 1) : jnum(props, "lat");
    json_t *conf = json_object_get(props, "confidence");
    p->source = jstr(props, "source");
    if (jtime(props, "time", &p->ts_utc) || !json_is_integer(conf) || !isfinite(p->lon) ||
        !isfinite(p->lat))
        return -1;
    json_int_t c = json_integer_value(conf);
    p->confidence = c < 0 || c > 100 ? -1 : (int)c;
    return 0;
}

/* POST /events: satellite fire points and drone or patrol sightings, as a GeoJSON
 * FeatureCollection or {"events": [...]}; all or none. */
static int h_events(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *list = json_object_get(b, "features");
    if (!json_is_array(list))
        list = json_object_get(b, "events");
    size_t n = json_array_size(list);
    int rc = 0;
    if (!json_is_array(list) || n == 0 || n > 10000)
        rc = http_error(out, 422, "invalid",
                        "a GeoJSON FeatureCollection or {\"events\": [...]} of 1–10000 events");
    fires_point *pts = rc ? NULL : xcalloc(n, sizeof *pts);
    for (size_t i = 0; !rc && i < n; i++)
        if (event_of(json_array_get(list, i), &pts[i])) {
            rc = http_error(out, 422, "invalid",
                            "event %zu: time (Beijing YYYY-MM-DD hh:mm:ss), lon, lat, an integer "
                            "confidence and a source",
                            i);
        }
    if (!rc) {
        char err[256] = "";
        int points = 0, cases = 0;
        int e = fires_report(r->office, r->db, &r->who, pts, n, r->now_utc, &points, &cases, err,
                             sizeof err);
        rc = e ? fail(out, e, err)
               : http_json(out, 200,
                           json_pack("{s:i,s:i,s:i}", "received", (int)n, "stored", points,
                                     "cases_opened", cases));
    }
    free(pts);
    json_decref(b);
    return rc;
}

static int add_fire(void *ctx, const em_fire_row *f)
{
    json_array_append_new(ctx,
                          json_pack("{s:I,s:o,s:f,s:f,s:i,s:s,s:s,s:I}", "id", (json_int_t)f->id,
                                    "time", time_json(f->ts_utc), "lon", f->lon, "lat", f->lat,
                                    "confidence", f->confidence, "source", f->source, "town",
                                    f->town, "case_id", (json_int_t)f->case_id));
    return 0;
}

/* GET /fires?from&to: the fire points of a period (default the last 7 Beijing days). */
static int h_fires(http_req *r, http_resp *out)
{
    int64_t from, to;
    int64_t today = ew_bj_day_start(ew_bj_day_of(r->now_utc));
    if (http_time_arg(r, out, "from", today - 6 * 86400, &from) ||
        http_time_arg(r, out, "to", today + 86400, &to))
        return out->status;
    json_t *rows = json_array();
    char err[256];
    if (em_fires_each(r->office, from, to, add_fire, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return fail(out, EW_EINTERNAL, err);
    }
    return http_table(r, out, rows,
                      json_pack("{s:o,s:o}", "from", time_json(from), "to", time_json(to)),
                      "fires");
}

static json_t *day_json(int64_t day)
{
    char buf[16];
    ew_format_day(day, buf, sizeof buf);
    return json_string(buf);
}

static json_t *plan_json(const rp_plan *p)
{
    json_t *sec = json_array(), *con = json_array(), *mat = json_array(), *dr = json_array(),
           *inc = json_array();
    for (size_t i = 0; i < p->nsections; i++)
        json_array_append_new(sec, json_string(p->sections[i]));
    for (size_t i = 0; i < p->ncontacts; i++) {
        const rp_contact *c = &p->contacts[i];
        json_array_append_new(con, json_pack("{s:s,s:s?,s:s?,s:s}", "name", c->name, "org", c->org,
                                             "duty", c->duty, "phone", c->phone));
    }
    for (size_t i = 0; i < p->nmaterials; i++) {
        const rp_material *m = &p->materials[i];
        json_array_append_new(mat, json_pack("{s:s,s:f,s:s,s:s}", "item", m->item, "quantity",
                                             m->quantity, "unit", m->unit, "place", m->place));
    }
    for (size_t i = 0; i < p->ndrills; i++) {
        const rp_drill *d = &p->drills[i];
        json_array_append_new(dr, json_pack("{s:o,s:s,s:s?}", "date", day_json(d->day), "title",
                                            d->title, "findings", d->findings));
    }
    for (size_t i = 0; i < p->nincidents; i++) {
        const em_incident_row *x = &p->incidents[i];
        json_array_append_new(inc,
                              json_pack("{s:s,s:o,s:s,s:f,s:f,s:o,s:I}", "section", x->section,
                                        "hour", time_json(x->hour_utc), "item", x->item, "value",
                                        x->value, "limit", x->limit, "ratio", num_json(x->ratio),
                                        "case_id", (json_int_t)x->case_id));
    }
    return json_pack("{s:s,s:s,s:s,s:f,s:o,s:o,s:o,s:o,s:o}", "code", p->code, "name", p->name,
                     "document", p->document, "incident_multiple", p->incident_multiple, "sections",
                     sec, "contacts", con, "materials", mat, "drills", dr, "incidents", inc);
}

/* GET /rivers: every river's emergency plan with its incidents. */
static int h_rivers(http_req *r, http_resp *out)
{
    rp_plans all;
    char err[256] = "";
    int rc = riverplan_all(r->office, &all, err, sizeof err);
    if (rc) {
        riverplan_free(&all);
        return fail(out, rc, err);
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < all.n; i++)
        json_array_append_new(rows, plan_json(&all.p[i]));
    riverplan_free(&all);
    return http_json(out, 200, json_pack("{s:o}", "data", rows));
}

const http_route http_emergency_routes[] = {
    {"GET", "/api/v1/warnings", h_warnings, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"POST", "/api/v1/warnings", h_warning_declare, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/warnings/{id}/report", h_warning_report, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/emergency-list", h_list, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"POST", "/api/v1/emergency-list", h_list_put, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/fires", h_fires, 0, AUTH_DATA_READ, HTTP_LOCKED},
    {"GET", "/api/v1/fires/assessment", h_fires_assessment, 0, AUTH_DATA_READ, HTTP_LOCKED},
    {"POST", "/api/v1/events", h_events, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/rivers", h_rivers, 0, AUTH_DATA_READ, HTTP_LOCKED},
    {"POST", "/api/v1/alarms/video", h_video_alarm, 0, HTTP_LOGIN, HTTP_LOCKED},
};
const size_t http_emergency_nroutes =
    sizeof http_emergency_routes / sizeof http_emergency_routes[0];
