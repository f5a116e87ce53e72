/* http_api: the /api/v1 routes. Each handler parses its arguments, calls the reader (store)
 * and the standards engines, and renders JSON or CSV; no SQL and no standard's rule lives
 * here. The route table at the end is what the server dispatches on and what the test of
 * docs/openapi.json compares with.
 *
 * Times in and out are ISO-8601 Beijing time with the +08:00 offset; days are Beijing
 * calendar days. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "net/http_internal.h"
#include "service/air.h"
#include "service/assessment.h"
#include "service/plan.h"
#include "net/targets_doc.h"
#include "service/targets.h"
#include "standards/airq.h"
#include "standards/aqi.h"

#ifndef ENVWATCH_VERSION
#define ENVWATCH_VERSION "0.1.0"
#endif


static json_t *iso(int64_t t_utc)
{
    char b[32];
    ew_format_iso_bj(t_utc, b, sizeof b);
    return json_string(b);
}

static json_t *date_of_day(int64_t day)
{
    char b[16];
    ew_format_day(day, b, sizeof b);
    return json_string(b);
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int db_error(http_resp *out, const char *err)
{
    return http_error(out, 500, "database_error", "%s", err);
}

/* rules=2012|2026; absent = AUTO (each day by the edition in force that day). */
static int rules_arg(http_req *r, http_resp *out, airq_edition *ed)
{
    const char *v = http_arg(r, "rules");
    *ed = AIRQ_ED_AUTO;
    if (!v)
        return 0;
    ew_edition e;
    if (ew_edition_parse(v, strlen(v), &e))
        return http_error(out, 400, "bad_parameter", "rules must be 2012 or 2026, got '%s'", v);
    *ed = (airq_edition)e;
    return 0;
}

static int id_param(http_req *r, http_resp *out, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    if (*end || v <= 0)
        return http_error(out, 400, "bad_parameter", "site id must be a positive integer, got '%s'",
                          r->params[0]);
    *id = v;
    return 0;
}

/* ---- health, metrics, openapi ------------------------------------------------------- */

static int h_health(http_req *r, http_resp *out)
{
    ew_read_summary s;
    char err[256];
    json_t *db;
    if (ew_read_summary_get(r->db, &s, err, sizeof err))
        db = json_pack("{s:s,s:s}", "status", "error", "message", err);
    else
        db = json_pack("{s:s,s:I,s:I}", "status", "ok", "sites", (json_int_t)s.sites, "packets",
                       (json_int_t)s.packets);
    return http_json(out, 200,
                     json_pack("{s:s,s:s,s:o,s:I,s:o}", "status", "ok", "version", ENVWATCH_VERSION,
                               "time", iso(r->now_utc), "uptime_s",
                               (json_int_t)(time(NULL) - r->started_utc), "database", db));
}

static int h_metrics(http_req *r, http_resp *out)
{
    ew_metrics zero = {0};
    ew_metrics *m = r->metrics ? r->metrics : &zero;
    static const char *const names[] = {
        "bytes_in",          "packets_in",          "packets_bad",         "packets_stored",
        "packets_duplicate", "acks_sent",           "observations_stored", "connections_open",
        "connections_total", "connections_refused", "http_requests"};
    atomic_uint_fast64_t *vals[] = {&m->bytes_in,
                                    &m->packets_in,
                                    &m->packets_bad,
                                    &m->packets_stored,
                                    &m->packets_duplicate,
                                    &m->acks_sent,
                                    &m->observations_stored,
                                    &m->connections_open,
                                    &m->connections_total,
                                    &m->connections_refused,
                                    &m->http_requests};
    json_t *rows = json_array();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        json_array_append_new(
            rows, json_pack("{s:s,s:I}", "metric", names[i], "value",
                            (json_int_t)atomic_load_explicit(vals[i], memory_order_relaxed)));
    return http_table(r, out, rows, json_pack("{s:o}", "time", iso(r->now_utc)), "metrics");
}

static int h_openapi(http_req *r, http_resp *out)
{
    /* The document is docs/openapi.json, copied into the dashboard build. */
    char path[PATH_MAX];
    if (!r->static_dir ||
        (size_t)snprintf(path, sizeof path, "%s/openapi.json", r->static_dir) >= sizeof path)
        return http_error(out, 404, "not_found", "no dashboard directory with openapi.json");
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        return http_error(out, 500, "openapi_unreadable", "%s: %s", path, je.text);
    return http_json(out, 200, doc);
}

/* ---- sites -------------------------------------------------------------------------- */

static json_t *site_json(const ew_read_site *s)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s}", "id", (json_int_t)s->id, "mn", s->mn,
                     "kind", s->kind, "name", s->name, "town", s->town, "lon", num_or_null(s->lon),
                     "lat", num_or_null(s->lat), "enterprise", s->enterprise, "status", s->status);
}

/* May the caller read this site's data? Air stations and water sections are environmental
 * quality the bureau must publish (环境信息公开: 《环境保护法》第五十四条, 《环境信息公开办法》),
 * so anyone may; enterprises' outlets (and dust, GHG sites) need AUTH_DATA_READ, or
 * AUTH_DATA_READ_OWN for the enterprise that owns the site. */
static bool site_readable(const http_req *r, const ew_read_site *s)
{
    if (!strcmp(s->kind, "air") || !strcmp(s->kind, "water_section"))
        return true;
    if (auth_decide(r->who.role, r->who.org, NULL, AUTH_DATA_READ).allow)
        return true;
    return s->enterprise && *s->enterprise &&
           auth_decide(r->who.role, r->who.org, s->enterprise, AUTH_DATA_READ_OWN).allow;
}

typedef struct {
    http_req *r;
    json_t *rows;
} sites_ctx;

static int add_site(void *ctx, const ew_read_site *s)
{
    sites_ctx *c = ctx;
    if (site_readable(c->r, s))
        json_array_append_new(c->rows, site_json(s));
    return 0;
}

/* The site id of the path if the caller may read it: 0, or answers 400/404 and returns that
 * (a site that may not be read is "not found", as one that does not exist). */
static int readable_site_param(http_req *r, http_resp *out, int64_t *id, json_t **site)
{
    if (id_param(r, out, id))
        return out->status;
    sites_ctx c = {r, json_array()};
    char err[256];
    if (ew_read_sites(r->db, *id, NULL, NULL, add_site, &c, err, sizeof err)) {
        json_decref(c.rows);
        return db_error(out, err);
    }
    if (!json_array_size(c.rows)) {
        json_decref(c.rows);
        return http_error(out, 404, "not_found", "no site %lld", (long long)*id);
    }
    if (site)
        *site = json_incref(json_array_get(c.rows, 0));
    json_decref(c.rows);
    return 0;
}

static int h_sites(http_req *r, http_resp *out)
{
    const char *kind = http_arg(r, "kind"), *town = http_arg(r, "town");
    json_t *rows = json_array();
    sites_ctx c = {r, rows};
    char err[256];
    if (ew_read_sites(r->db, 0, kind, town, add_site, &c, err, sizeof err)) {
        json_decref(rows);
        return db_error(out, err);
    }
    return http_table(r, out, rows, NULL, "sites");
}

static int h_site(http_req *r, http_resp *out)
{
    int64_t id;
    json_t *one;
    if (readable_site_param(r, out, &id, &one))
        return out->status;
    if (r->csv)
        return http_table(r, out, json_pack("[o]", one), NULL, "site");
    return http_json(out, 200, json_pack("{s:o}", "data", one));
}

static int add_latest(void *ctx, const ew_read_obs *o)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:o,s:o,s:s}", "param", o->param, "period",
                                         o->period, "time", iso(o->ts_utc), "value",
                                         num_or_null(o->value), "flag", o->flag));
    return 0;
}

static int h_latest(http_req *r, http_resp *out)
{
    int64_t id;
    if (readable_site_param(r, out, &id, NULL))
        return out->status;
    json_t *rows = json_array();
    char err[256];
    if (ew_read_latest(r->db, id, add_latest, rows, err, sizeof err)) {
        json_decref(rows);
        return db_error(out, err);
    }
    return http_table(r, out, rows, json_pack("{s:I}", "site_id", (json_int_t)id), "latest");
}

/* ---- series: the hot path, streamed into the body without a JSON tree -------------- */

typedef struct {
    http_buf *b;
    bool csv;
    int64_t n;
} series_ctx;

static int put_point(void *ctx, const ew_read_obs *o)
{
    series_ctx *c = ctx;
    if (c->csv) {
        http_buf_iso(c->b, o->ts_utc);
        http_buf_put(c->b, ",", 1);
        http_buf_num(c->b, o->value, true);
        http_buf_put(c->b, ",", 1);
        http_buf_csv_field(c->b, o->flag);
        http_buf_put(c->b, "\r\n", 2);
    } else {
        if (c->n)
            http_buf_put(c->b, ",{\"time\":\"", 10);
        else
            http_buf_put(c->b, "{\"time\":\"", 9);
        http_buf_iso(c->b, o->ts_utc);
        http_buf_put(c->b, "\",\"value\":", 10);
        http_buf_num(c->b, o->value, false);
        http_buf_put(c->b, ",\"flag\":", 8);
        http_buf_json_str(c->b, o->flag);
        http_buf_put(c->b, "}", 1);
    }
    c->n++;
    return 0;
}

static int h_series(http_req *r, http_resp *out)
{
    int64_t id, limit, offset, from, to;
    if (readable_site_param(r, out, &id, NULL) || http_page_args(r, out, &limit, &offset))
        return out->status;
    const char *param = http_arg(r, "param");
    if (!param)
        return http_error(out, 400, "bad_parameter",
                          "param (an HJ 212 factor code such as a34004) is required");
    const char *period = http_arg(r, "period");
    ew_series_kind kind = EW_SERIES_HOUR;
    if (!period || !strcmp(period, "hour"))
        period = "hour";
    else if (!strcmp(period, "raw"))
        kind = EW_SERIES_RAW;
    else if (!strcmp(period, "day"))
        kind = EW_SERIES_DAY;
    else
        return http_error(out, 400, "bad_parameter", "period must be raw, hour or day, got '%s'",
                          period);
    /* Default window: the last 7 days (raw: 1 day) up to now. */
    int64_t span = kind == EW_SERIES_RAW ? 86400 : kind == EW_SERIES_HOUR ? 7 * 86400 : 365 * 86400;
    if (http_time_arg(r, out, "to", r->now_utc + 1, &to) ||
        http_time_arg(r, out, "from", to - span, &from))
        return out->status;
    if (from >= to)
        return http_error(out, 400, "bad_parameter", "from must be before to");

    series_ctx c = {&out->body, r->csv, 0};
    char err[256];
    int64_t total = 0;
    if (r->csv) {
        out->status = 200;
        out->ctype = "text/csv; charset=utf-8";
        out->disposition = "attachment; filename=\"series.csv\"";
        http_buf_puts(&out->body, "\xEF\xBB\xBFtime,value,flag\r\n");
    } else {
        out->status = 200;
        out->ctype = "application/json; charset=utf-8";
        char f[32], t[32];
        ew_format_iso_bj(from, f, sizeof f);
        ew_format_iso_bj(to, t, sizeof t);
        http_buf_printf(&out->body, "{\"site_id\":%lld,\"param\":", (long long)id);
        http_buf_json_str(&out->body, param);
        http_buf_printf(&out->body, ",\"period\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"data\":[",
                        period, f, t);
    }
    if (ew_read_series(r->db, id, param, kind, from, to, limit, offset, &total, put_point, &c, err,
                       sizeof err)) {
        out->body.n = 0;
        return db_error(out, err);
    }
    if (!r->csv) {
        http_buf_printf(
            &out->body,
            "],\"page\":{\"limit\":%lld,\"offset\":%lld,\"total\":%lld,\"next_offset\":",
            (long long)limit, (long long)offset, (long long)total);
        if (offset + c.n < total)
            http_buf_printf(&out->body, "%lld}}", (long long)(offset + c.n));
        else
            http_buf_puts(&out->body, "null}}");
    }
    return out->status;
}

/* ---- completeness and devices ------------------------------------------------------- */

/* A device is offline when nothing newer than this has arrived: two hourly reports missed. */
#define OFFLINE_AFTER_S (2 * 3600)

typedef struct {
    http_req *r;
    json_t *rows;
    json_t *sites; /* id (as text) -> site object */
    int64_t from, to;
    bool offline_only;
} compl_ctx;

static int add_compl(void *ctx, const ew_read_completeness *c)
{
    compl_ctx *cc = ctx;
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)c->site_id);
    json_t *s = json_object_get(cc->sites, key);
    int64_t expected = (cc->to - cc->from) / 3600;
    int64_t last = c->last_seen_utc_ms / 1000;
    bool online = c->last_seen_utc_ms && cc->r->now_utc - last <= OFFLINE_AFTER_S;
    if (cc->offline_only && online)
        return 0;
    json_t *row = json_pack(
        "{s:I,s:O,s:O,s:O,s:O,s:I,s:I,s:o,s:o,s:b,s:o,s:I}", "site_id", (json_int_t)c->site_id,
        "mn", json_object_get(s, "mn"), "name", json_object_get(s, "name"), "kind",
        json_object_get(s, "kind"), "town", json_object_get(s, "town"), "hours_expected",
        (json_int_t)expected, "hours_present", (json_int_t)c->hours_present, "completeness_pct",
        expected > 0 ? json_real(round(1000.0 * (double)c->hours_present / (double)expected) / 10.0)
                     : json_null(),
        "last_seen", c->last_seen_utc_ms ? iso(last) : json_null(), "online", online, "silent_s",
        c->last_seen_utc_ms ? json_integer(cc->r->now_utc - last) : json_null(), "packets_rejected",
        (json_int_t)c->packets_rejected);
    json_array_append_new(cc->rows, row);
    return 0;
}

static int add_site_map(void *ctx, const ew_read_site *s)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)s->id);
    json_object_set_new(ctx, key, site_json(s));
    return 0;
}

static int completeness(http_req *r, http_resp *out, bool offline_only, const char *name)
{
    /* Default window: the last 24 whole hours before the current hour. */
    int64_t hour_now = r->now_utc - r->now_utc % 3600;
    int64_t from, to;
    if (http_time_arg(r, out, "to", hour_now, &to) ||
        http_time_arg(r, out, "from", to - 86400, &from))
        return out->status;
    if (from >= to)
        return http_error(out, 400, "bad_parameter", "from must be before to");
    compl_ctx c = {r, json_array(), json_object(), from, to, offline_only};
    char err[256];
    int rc = ew_read_sites(r->db, 0, NULL, NULL, add_site_map, c.sites, err, sizeof err);
    if (!rc)
        rc = ew_read_completeness_each(r->db, from, to, add_compl, &c, err, sizeof err);
    json_decref(c.sites);
    if (rc) {
        json_decref(c.rows);
        return db_error(out, err);
    }
    return http_table(r, out, c.rows, json_pack("{s:o,s:o}", "from", iso(from), "to", iso(to)),
                      name);
}

static int h_completeness(http_req *r, http_resp *out)
{
    return completeness(r, out, false, "completeness");
}

static int h_devices_offline(http_req *r, http_resp *out)
{
    return completeness(r, out, true, "devices-offline");
}

/* ---- air quality: service/air computes, these render ---------------------------- */

static json_t *pollutant_list(unsigned bits)
{
    json_t *a = json_array();
    for (int p = 0; p < AIRQ_NPOLL; p++)
        if (bits & (1u << p))
            json_array_append_new(a, json_string(aqi_pollutant_name((aqi_pollutant)p)));
    return a;
}

static json_t *conc(int32_t milli)
{
    return milli == AIRQ_MISSING ? json_null() : json_real(milli / 1000.0);
}

static json_t *day_row(const airq_day *d, int64_t day, json_t *site_id, const char *name)
{
    const aqi_level_info *li = aqi_level_info_of(aqi_level(d->aqi));
    json_t *prim = pollutant_list(d->primary);
    return json_pack(
        "{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:s}", "date", date_of_day(day),
        "site_id", site_id, "name", name, "aqi", d->aqi >= 0 ? json_integer(d->aqi) : json_null(),
        "level", li ? json_integer(li->level) : json_null(), "category",
        li ? json_string(li->category_zh) : json_null(), "primary", prim, "pm25",
        conc(d->c[AIRQ_PM25]), "pm10", conc(d->c[AIRQ_PM10]), "so2", conc(d->c[AIRQ_SO2]), "no2",
        conc(d->c[AIRQ_NO2]), "co", conc(d->c[AIRQ_CO]), "o3_8h", conc(d->c[AIRQ_O3]), "complete",
        d->aqi_complete, "edition", ew_edition_name((ew_edition)d->edition));
}

static int days_args(http_req *r, http_resp *out, int64_t *day0, int *ndays, int max_days)
{
    int64_t today = ew_bj_day_of(r->now_utc);
    ew_civil c;
    ew_utc_to_bj(r->now_utc, &c);
    int64_t from, to;
    /* Default: 1 January of the current year to today. "to" is inclusive for days. */
    if (http_time_arg(r, out, "from", ew_bj_day_start(ew_days_from_civil(c.year, 1, 1)), &from) ||
        http_time_arg(r, out, "to", ew_bj_day_start(today), &to))
        return out->status;
    *day0 = ew_bj_day_of(from);
    int64_t last = ew_bj_day_of(to);
    if (last < *day0 || last - *day0 + 1 > max_days)
        return http_error(out, 400, "bad_parameter",
                          "the period must be 1 to %d days, from before to", max_days);
    *ndays = (int)(last - *day0 + 1);
    return 0;
}

static const char *rules_name(airq_edition ed)
{
    return ed == AIRQ_ED_AUTO ? "auto" : ew_edition_name((ew_edition)ed);
}

static int h_aqi_daily(http_req *r, http_resp *out)
{
    airq_edition ed;
    int64_t day0;
    int ndays;
    if (rules_arg(r, out, &ed) || days_args(r, out, &day0, &ndays, 1096))
        return out->status;
    const char *site = http_arg(r, "site");
    int64_t want = 0; /* 0 zone, -1 all stations, else one site */
    if (site && !strcmp(site, "all"))
        want = -1;
    else if (site && strcmp(site, "zone") && (want = strtoll(site, NULL, 10)) <= 0)
        return http_error(out, 400, "bad_parameter",
                          "site must be zone, all or a site id, got '%s'", site);
    airq_opts o;
    airq_opts_default(&o);
    o.rules = ed;
    air_period a;
    char err[256];
    if (air_load(r->db, day0, ndays, &o, &a, err, sizeof err)) {
        air_period_free(&a);
        return db_error(out, err);
    }
    json_t *rows = json_array();
    for (int i = 0; i < ndays; i++) {
        if (want == 0)
            json_array_append_new(rows, day_row(&a.zone[i], day0 + i, json_string("zone"), "全区"));
        for (size_t s = 0; want != 0 && s < a.nst; s++) {
            if (want > 0 && a.st[s].id != want)
                continue;
            json_array_append_new(rows, day_row(&air_station_days(&a, s)[i], day0 + i,
                                                json_integer(a.st[s].id), a.st[s].name));
        }
    }
    air_period_free(&a);
    return http_table(r, out, rows,
                      json_pack("{s:s,s:s}", "rules", rules_name(ed), "rules_note",
                                "edition per row: the rules parameter, or the edition in force "
                                "that day (2026 from 2026-03-01)"),
                      "aqi-daily");
}

static json_t *milli_or_null(int64_t v)
{
    return conc((int32_t)(v == AQI_NA ? AIRQ_MISSING : v));
}

static json_t *now_row(const air_now_row *w, json_t *site_id, const char *name, aqi_rules rules)
{
    const aqi_level_info *li = aqi_level_info_of(w->res.level);
    const int64_t *m = w->in.milli;
    return json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "site_id", site_id,
                     "name", name, "aqi", w->res.aqi >= 0 ? json_integer(w->res.aqi) : json_null(),
                     "level", li ? json_integer(li->level) : json_null(), "category",
                     li ? json_string(li->category_zh) : json_null(), "primary",
                     pollutant_list(w->res.primary), "pm25", milli_or_null(m[AQI_PM25_1H]), "pm10",
                     milli_or_null(m[AQI_PM10_1H]), "so2", milli_or_null(m[AQI_SO2_1H]), "no2",
                     milli_or_null(m[AQI_NO2_1H]), "co", milli_or_null(m[AQI_CO_1H]), "o3",
                     milli_or_null(m[AQI_O3_1H]), "edition", ew_edition_name((ew_edition)rules));
}

/* Real-time AQI: stations and the zone at the newest hour with data (air_now_at). */
static int h_aqi_now(http_req *r, http_resp *out)
{
    airq_edition ed;
    if (rules_arg(r, out, &ed))
        return out->status;
    air_now n;
    char err[256];
    if (air_now_at(r->db, r->now_utc, ed, &n, err, sizeof err)) {
        air_now_free(&n);
        return db_error(out, err);
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n.nrows; i++) {
        const air_station *st = &n.period.st[n.rows[i].st];
        json_array_append_new(rows, now_row(&n.rows[i], json_integer(st->id), st->name, n.rules));
    }
    json_t *zone = n.has_zone ? now_row(&n.zone, json_string("zone"), "全区", n.rules) : json_null();
    json_t *meta = json_pack("{s:o,s:o,s:s}", "time", n.have ? iso(n.label_utc) : json_null(),
                             "zone", zone, "rules", rules_name(ed));
    air_now_free(&n);
    return http_table(r, out, rows, meta, "aqi-now");
}

/* ---- assessment, targets, ranking --------------------------------------------------- */

static int h_assessment(http_req *r, http_resp *out)
{
    airq_edition ed;
    int64_t day0;
    int ndays;
    if (rules_arg(r, out, &ed) || days_args(r, out, &day0, &ndays, 1096))
        return out->status;
    const char *site = http_arg(r, "site");
    int64_t want = 0; /* 0 = the zone */
    if (site && strcmp(site, "zone") && (want = strtoll(site, NULL, 10)) <= 0)
        return http_error(out, 400, "bad_parameter", "site must be zone or a site id, got '%s'",
                          site);
    airq_opts o;
    airq_opts_default(&o);
    o.rules = ed;
    air_period a;
    char err[256];
    if (air_load(r->db, day0, ndays, &o, &a, err, sizeof err)) {
        air_period_free(&a);
        return db_error(out, err);
    }
    const airq_day *days = a.zone;
    if (want > 0) {
        ptrdiff_t s = air_station_index(&a, want);
        if (s < 0) {
            air_period_free(&a);
            return http_error(out, 404, "not_found", "no air station %lld", (long long)want);
        }
        days = air_station_days(&a, (size_t)s);
    }
    /* Judged against the plan's air targets when the plan names them, as the CLI does. */
    airq_targets tg;
    bool has_tg = r->plan && targets_air_of(r->plan, &tg);
    int32_t *scratch = xmalloc((size_t)ndays * sizeof *scratch);
    airq_report rep;
    int rc = airq_assess(days, day0, day0 + ndays - 1, &o, has_tg ? &tg : NULL, scratch, &rep);
    free(scratch);
    air_period_free(&a);
    if (rc)
        return http_error(out, 400, "bad_parameter", "empty period");
    assessment_how how = {.requested = ed, .o = &o, .by_hours = false};
    json_t *doc = assessment_json(&rep, &how);
    json_object_set_new(doc, "scope", want > 0 ? json_integer(want) : json_string("zone"));
    if (r->csv) {
        /* The table form: one row per pollutant. */
        json_t *rows = json_incref(json_object_get(doc, "pollutants"));
        json_decref(doc);
        return http_table(r, out, rows, NULL, "assessment");
    }
    return http_json(out, 200, json_pack("{s:o}", "data", doc));
}

/* Targets: every target of the plan file with where it stands (service/targets), one row
 * each; /targets and the office's ledger render the same rows. */
int http_targets_rows(http_req *r, const plan *pl, int year, int rules, json_t **rows_out,
                      json_t **meta_out, char *err, size_t errcap)
{
    return tdoc_build(r->db, pl, year, (airq_edition)rules, r->now_utc, rows_out, meta_out, err,
                      errcap) < 0
               ? -1
               : 0;
}

static int h_targets(http_req *r, http_resp *out)
{
    if (!r->plan)
        return http_error(out, 500, "plan_unreadable", "%s", r->plan_err);
    ew_civil now;
    ew_utc_to_bj(r->now_utc, &now);
    int year = now.year;
    const char *ys = http_arg(r, "year");
    airq_edition ed;
    if ((ys && (year = atoi(ys)) < 2000) || year > 9999)
        return http_error(out, 400, "bad_parameter", "year must be a year, got '%s'", ys);
    if (rules_arg(r, out, &ed))
        return out->status;
    json_t *rows, *meta;
    char err[256];
    if (http_targets_rows(r, r->plan, year, (int)ed, &rows, &meta, err, sizeof err))
        return db_error(out, err);
    return http_table(r, out, rows, meta, "targets");
}

static json_t *real_or_null(bool has, double v)
{
    return has ? json_real(v) : json_null();
}

/* Station ranking by town (air_rank): towns best first (lower PM2.5). */
static int h_ranking(http_req *r, http_resp *out)
{
    airq_edition ed;
    int64_t day0;
    int ndays;
    if (rules_arg(r, out, &ed) || days_args(r, out, &day0, &ndays, 1096))
        return out->status;
    airq_opts o;
    airq_opts_default(&o);
    o.rules = ed;
    air_ranking k;
    char err[256];
    if (air_rank(r->db, day0, ndays, &o, &k, err, sizeof err)) {
        air_ranking_free(&k);
        return db_error(out, err);
    }
    json_t *stations = json_array();
    for (size_t i = 0; i < k.nst; i++) {
        const air_rank_station *s = &k.st[i];
        json_array_append_new(stations,
                              json_pack("{s:I,s:s,s:s,s:o,s:o}", "site_id", (json_int_t)s->site_id,
                                        "name", s->name, "town", s->town, "pm25",
                                        real_or_null(s->has_pm25, s->pm25), "mean_aqi",
                                        real_or_null(s->has_aqi, s->mean_aqi)));
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < k.ntowns; i++) {
        const air_rank_town *t = &k.towns[i];
        json_array_append_new(
            rows, json_pack("{s:i,s:s,s:i,s:o,s:o,s:o}", "rank", t->rank, "town", t->town,
                            "stations", t->stations, "pm25", real_or_null(t->has_pm25, t->pm25),
                            "mean_aqi", real_or_null(t->has_aqi, t->mean_aqi), "good_ratio_pct",
                            real_or_null(t->has_aqi, t->good_ratio_pct)));
    }
    air_ranking_free(&k);
    return http_table(r, out, rows,
                      json_pack("{s:o,s:o,s:s,s:o}", "from", date_of_day(day0), "to",
                                date_of_day(day0 + ndays - 1), "rules", rules_name(ed), "stations",
                                stations),
                      "ranking");
}

/* ---- the route table ---------------------------------------------------------------- */

/* cache_s: aggregates over days and long series are recomputed at most once a minute (see
 * http_cache.c; the data they read change once an hour); sites, latest values and the
 * operations endpoints are always fresh. */
/* need: who may call (docs/api.md, "Access"): published air quality, the plan's targets and
 * sites of published kinds are for anyone (site handlers filter the rest); operations data
 * need AUTH_DATA_READ. */
const http_route http_routes[] = {
    {"GET", "/api/v1/health", h_health, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/metrics", h_metrics, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/openapi.json", h_openapi, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/sites", h_sites, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/sites/{id}", h_site, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/sites/{id}/latest", h_latest, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/sites/{id}/series", h_series, 60, HTTP_ANYONE, 0},
    {"GET", "/api/v1/aqi/now", h_aqi_now, 60, HTTP_ANYONE, 0},
    {"GET", "/api/v1/aqi/daily", h_aqi_daily, 60, HTTP_ANYONE, 0},
    {"GET", "/api/v1/assessment", h_assessment, 60, HTTP_ANYONE, 0},
    {"GET", "/api/v1/targets", h_targets, 60, HTTP_ANYONE, 0},
    {"GET", "/api/v1/ranking", h_ranking, 60, HTTP_ANYONE, 0},
    {"GET", "/api/v1/completeness", h_completeness, 60, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/devices/offline", h_devices_offline, 60, AUTH_DATA_READ, 0},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
