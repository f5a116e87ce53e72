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
#include "service/plan.h"
#include "standards/airq.h"
#include "standards/aqi.h"

#ifndef ENVWATCH_VERSION
#define ENVWATCH_VERSION "0.1.0"
#endif

/* HJ 212 factor codes of the six AQI pollutants in aqi_pollutant order (HJ 633 Table 1:
 * SO2, NO2, PM10, CO, O3, PM2.5); O3 a05024 is HJ 524's code, used by every device. */
static const char *const aqi_codes[AIRQ_NPOLL] = {"a21026", "a21004", "a34002",
                                                  "a21005", "a05024", "a34004"};

static json_t *iso(int64_t t_utc)
{
    char b[32];
    ew_format_iso_bj(t_utc, b, sizeof b);
    return json_string(b);
}

static json_t *date_of_day(int64_t day)
{
    int y, m, d;
    ew_civil_from_days(day, &y, &m, &d);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
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
        return http_error(out, 400, "bad_parameter", "rules must be 2012 or 2026, got '%s'", v), -1;
    *ed = (airq_edition)e;
    return 0;
}

static int id_param(http_req *r, http_resp *out, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    if (*end || v <= 0)
        return http_error(out, 400, "bad_parameter", "site id must be a positive integer, got '%s'",
                          r->params[0]),
               -1;
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

/* The site id of the path if the caller may read it: 0, or answers 400/404 and returns -1
 * (a site that may not be read is "not found", as one that does not exist). */
static int readable_site_param(http_req *r, http_resp *out, int64_t *id, json_t **site)
{
    if (id_param(r, out, id))
        return -1;
    sites_ctx c = {r, json_array()};
    char err[256];
    if (ew_read_sites(r->db, *id, NULL, NULL, add_site, &c, err, sizeof err)) {
        json_decref(c.rows);
        return db_error(out, err), -1;
    }
    if (!json_array_size(c.rows)) {
        json_decref(c.rows);
        return http_error(out, 404, "not_found", "no site %lld", (long long)*id), -1;
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
        return 0;
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
        return 0;
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
        return 0;
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
        return 0;
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
    return 0;
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
        return 0;
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

/* ---- air: station days from hourly data -------------------------------------------- */

/* Data flags: only normal measurements count (GB 3095 counts valid data only); the rule
 * for both protocol editions is hj212_flag_normal. */

typedef struct air_set {
    size_t nst;
    int64_t *site_ids; /* ascending */
    json_t *sites;     /* id -> site object */
    int64_t day0;
    int ndays;
    int32_t *v;     /* [nst][NPOLL][(ndays + 1) * 24] */
    airq_day *days; /* [nst][ndays] */
    airq_day *zone; /* [ndays] */
} air_set;

static size_t hours_len(const air_set *a)
{
    return (size_t)(a->ndays + 1) * 24;
}

static int collect_air(void *ctx, const ew_read_site *s)
{
    air_set *a = ctx;
    a->site_ids = xrealloc(a->site_ids, (a->nst + 1) * sizeof *a->site_ids);
    a->site_ids[a->nst++] = s->id;
    add_site_map(a->sites, s);
    return 0;
}

static int put_hour(void *ctx, const ew_read_obs *o)
{
    air_set *a = ctx;
    size_t lo = 0, hi = a->nst;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->site_ids[mid] < o->site_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == a->nst || a->site_ids[lo] != o->site_id)
        return 0;
    int p;
    for (p = 0; p < AIRQ_NPOLL && strcmp(aqi_codes[p], o->param); p++)
        ;
    if (p == AIRQ_NPOLL || !isfinite(o->value) || o->value < 0 || !hj212_flag_normal(o->flag))
        return 0;
    /* The store keeps the period start (HJ 212—2017 §6.6.3); HJ 663 labels an hour by its
     * end (Table A.1), so the value starting at 00:00 is the label 01:00. */
    int64_t i = (o->ts_utc + 3600 - ew_bj_day_start(a->day0)) / 3600;
    if (i < 0 || (size_t)i >= hours_len(a))
        return 0;
    /* Units as stored: µg/m³, CO mg/m³; milli-units for airq. */
    a->v[(lo * AIRQ_NPOLL + (size_t)p) * hours_len(a) + (size_t)i] =
        (int32_t)llround(o->value * 1000.0);
    return 0;
}

static void air_free(air_set *a)
{
    free(a->site_ids);
    json_decref(a->sites);
    free(a->v);
    free(a->days);
    free(a->zone);
}

/* Load the air stations' hourly data for Beijing days [day0, day0 + ndays) and compute the
 * station days and the zone days (HJ 663 §5.2: zone value = mean of the stations). */
static int air_load(http_req *r, air_set *a, int64_t day0, int ndays, const airq_opts *o, char *err,
                    size_t errcap)
{
    memset(a, 0, sizeof *a);
    a->sites = json_object();
    a->day0 = day0;
    a->ndays = ndays;
    if (ew_read_sites(r->db, 0, "air", NULL, collect_air, a, err, errcap))
        return -1;
    size_t n = a->nst * AIRQ_NPOLL * hours_len(a);
    a->v = xmalloc((n ? n : 1) * sizeof *a->v);
    for (size_t i = 0; i < n; i++)
        a->v[i] = AIRQ_MISSING;
    int64_t from = ew_bj_day_start(day0) - 3600, to = ew_bj_day_start(day0 + ndays);
    if (ew_read_hours(r->db, "air", aqi_codes, AIRQ_NPOLL, from, to, put_hour, a, err, errcap))
        return -1;
    a->days = xcalloc(a->nst * (size_t)ndays + 1, sizeof *a->days);
    a->zone = xcalloc((size_t)ndays, sizeof *a->zone);
    const airq_day **st = xcalloc(a->nst + 1, sizeof *st);
    for (size_t s = 0; s < a->nst; s++) {
        airq_hourly h = {.day0 = day0, .ndays = ndays};
        for (int p = 0; p < AIRQ_NPOLL; p++)
            h.v[p] = a->v + (s * AIRQ_NPOLL + (size_t)p) * hours_len(a);
        airq_days(&h, o, a->days + s * (size_t)ndays);
        st[s] = a->days + s * (size_t)ndays;
    }
    airq_aggregate(st, a->nst, ndays, day0, o, a->zone);
    free(st);
    return 0;
}

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
        return -1;
    *day0 = ew_bj_day_of(from);
    int64_t last = ew_bj_day_of(to);
    if (last < *day0 || last - *day0 + 1 > max_days)
        return http_error(out, 400, "bad_parameter",
                          "the period must be 1 to %d days, from before to", max_days),
               -1;
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
        return 0;
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
    air_set a;
    char err[256];
    if (air_load(r, &a, day0, ndays, &o, err, sizeof err)) {
        air_free(&a);
        return db_error(out, err);
    }
    json_t *rows = json_array();
    for (int i = 0; i < ndays; i++) {
        if (want == 0)
            json_array_append_new(rows, day_row(&a.zone[i], day0 + i, json_string("zone"), "全区"));
        for (size_t s = 0; want != 0 && s < a.nst; s++) {
            if (want > 0 && a.site_ids[s] != want)
                continue;
            char key[32];
            snprintf(key, sizeof key, "%lld", (long long)a.site_ids[s]);
            json_t *so = json_object_get(a.sites, key);
            json_array_append_new(rows, day_row(&a.days[s * (size_t)ndays + (size_t)i], day0 + i,
                                                json_integer(a.site_ids[s]),
                                                json_string_value(json_object_get(so, "name"))));
        }
    }
    air_free(&a);
    return http_table(r, out, rows,
                      json_pack("{s:s,s:s}", "rules", rules_name(ed), "rules_note",
                                "edition per row: the rules parameter, or the edition in force "
                                "that day (2026 from 2026-03-01)"),
                      "aqi-daily");
}

/* Real-time AQI: the newest hour with data in the last 3 hours (HJ 633 §5: the hourly report
 * uses the 1-h values). The zone's hourly value is the mean of the stations' values. */
static int h_aqi_now(http_req *r, http_resp *out)
{
    airq_edition ed;
    if (rules_arg(r, out, &ed))
        return 0;
    int64_t today = ew_bj_day_of(r->now_utc);
    airq_opts o;
    airq_opts_default(&o);
    air_set a;
    char err[256];
    if (air_load(r, &a, today - 1, 2, &o, err, sizeof err)) {
        air_free(&a);
        return db_error(out, err);
    }
    /* Label index of the current hour (the hour that ends now or later). */
    int64_t now_i = (r->now_utc - ew_bj_day_start(a.day0)) / 3600;
    int64_t best = -1;
    for (int64_t i = now_i; i >= 0 && i > now_i - 3 && best < 0; i--)
        for (size_t s = 0; s < a.nst && best < 0; s++)
            for (int p = 0; p < AIRQ_NPOLL; p++)
                if ((size_t)i < hours_len(&a) &&
                    a.v[(s * AIRQ_NPOLL + (size_t)p) * hours_len(&a) + (size_t)i] != AIRQ_MISSING)
                    best = i;
    json_t *rows = json_array();
    json_t *zone = json_null();
    int64_t label_utc = best >= 0 ? ew_bj_day_start(a.day0) + best * 3600 : 0;
    if (best >= 0) {
        aqi_rules rules =
            ed == AIRQ_ED_AUTO ? (aqi_rules)ew_edition_at(label_utc - 3600) : (aqi_rules)ed;
        int64_t sum[AIRQ_NPOLL] = {0};
        int cnt[AIRQ_NPOLL] = {0};
        static const aqi_item one_hour[AIRQ_NPOLL] = {AQI_SO2_1H, AQI_NO2_1H, AQI_PM10_1H,
                                                      AQI_CO_1H,  AQI_O3_1H,  AQI_PM25_1H};
        for (size_t s = 0; s <= a.nst; s++) {
            aqi_input in;
            aqi_input_init(&in);
            if (s < a.nst) {
                for (int p = 0; p < AIRQ_NPOLL; p++) {
                    int32_t v = a.v[(s * AIRQ_NPOLL + (size_t)p) * hours_len(&a) + (size_t)best];
                    if (v != AIRQ_MISSING) {
                        in.milli[one_hour[p]] = v;
                        sum[p] += v;
                        cnt[p]++;
                    }
                }
            } else {
                /* HJ 663—2013 §5.2: the zone concentration is the mean of its stations. */
                for (int p = 0; p < AIRQ_NPOLL; p++)
                    if (cnt[p])
                        in.milli[one_hour[p]] = (int32_t)ew_round_ratio_8170(sum[p], cnt[p], 1);
            }
            aqi_result res;
            if (aqi_hourly(rules, &in, &res, NULL))
                continue;
            const aqi_level_info *li = aqi_level_info_of(res.level);
            json_t *row = json_pack(
                "{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "site_id",
                s < a.nst ? json_integer(a.site_ids[s]) : json_string("zone"), "name", "", "aqi",
                res.aqi >= 0 ? json_integer(res.aqi) : json_null(), "level",
                li ? json_integer(li->level) : json_null(), "category",
                li ? json_string(li->category_zh) : json_null(), "primary",
                pollutant_list(res.primary), "pm25",
                conc((int32_t)(in.milli[AQI_PM25_1H] == AQI_NA ? AIRQ_MISSING
                                                               : in.milli[AQI_PM25_1H])),
                "pm10",
                conc((int32_t)(in.milli[AQI_PM10_1H] == AQI_NA ? AIRQ_MISSING
                                                               : in.milli[AQI_PM10_1H])),
                "so2",
                conc((int32_t)(in.milli[AQI_SO2_1H] == AQI_NA ? AIRQ_MISSING
                                                              : in.milli[AQI_SO2_1H])),
                "no2",
                conc((int32_t)(in.milli[AQI_NO2_1H] == AQI_NA ? AIRQ_MISSING
                                                              : in.milli[AQI_NO2_1H])),
                "co",
                conc((int32_t)(in.milli[AQI_CO_1H] == AQI_NA ? AIRQ_MISSING : in.milli[AQI_CO_1H])),
                "o3",
                conc((int32_t)(in.milli[AQI_O3_1H] == AQI_NA ? AIRQ_MISSING : in.milli[AQI_O3_1H])),
                "edition", ew_edition_name((ew_edition)rules));
            if (s < a.nst) {
                char key[32];
                snprintf(key, sizeof key, "%lld", (long long)a.site_ids[s]);
                json_object_set(row, "name",
                                json_object_get(json_object_get(a.sites, key), "name"));
                json_array_append_new(rows, row);
            } else {
                json_object_set_new(row, "name", json_string("全区"));
                json_decref(zone);
                zone = row;
            }
        }
    }
    air_free(&a);
    return http_table(r, out, rows,
                      json_pack("{s:o,s:o,s:s}", "time", best >= 0 ? iso(label_utc) : json_null(),
                                "zone", zone, "rules", rules_name(ed)),
                      "aqi-now");
}

/* ---- assessment, targets, ranking --------------------------------------------------- */

static json_t *x10_pct(int32_t v)
{
    return v < 0 ? json_null() : json_real(v / 10.0);
}

static json_t *report_json(const airq_report *rep)
{
    json_t *stats = json_object();
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        const airq_stat *s = &rep->s[p];
        json_object_set_new(stats, airq_pollutant_name((airq_pollutant)p),
                            json_pack("{s:i,s:i,s:b,s:s,s:o,s:i,s:o,s:o,s:o,s:i,s:o,s:b,s:s}", "n",
                                      s->n, "required", s->required, "valid", s->valid, "why",
                                      s->why, "mean", conc(s->mean), "percentile", s->pct_p,
                                      "percentile_value", conc(s->pct), "stat", conc(s->stat),
                                      "limit", conc(s->limit), "days_over", s->days_over, "index",
                                      json_real(s->index_x100 / 100.0), "compliant", s->compliant,
                                      "unit", airq_pollutant_unit((airq_pollutant)p)));
    }
    return json_pack("{s:o,s:o,s:s,s:[i,i],s:o,s:o,s:i,s:i,s:i,s:o,s:o,s:o}", "from",
                     date_of_day(rep->from_day), "to", date_of_day(rep->to_day), "limits",
                     rep->limits_name ? rep->limits_name : "", "days_by_edition",
                     rep->days_by_edition[0], rep->days_by_edition[1], "statistics", stats,
                     "composite_index",
                     rep->composite_valid ? json_real(rep->composite_x100 / 100.0) : json_null(),
                     "valid_days", rep->valid_days, "good_days", rep->good_days, "heavy_days",
                     rep->heavy_days, "good_ratio_pct", x10_pct(rep->good_ratio_x10),
                     "heavy_ratio_pct", x10_pct(rep->heavy_ratio_x10), "main_pollutant",
                     rep->main_pollutant >= 0
                         ? json_string(airq_pollutant_name((airq_pollutant)rep->main_pollutant))
                         : json_null());
}

static int h_assessment(http_req *r, http_resp *out)
{
    airq_edition ed;
    int64_t day0;
    int ndays;
    if (rules_arg(r, out, &ed) || days_args(r, out, &day0, &ndays, 1096))
        return 0;
    const char *site = http_arg(r, "site");
    int64_t want = 0; /* 0 = the zone */
    if (site && strcmp(site, "zone") && (want = strtoll(site, NULL, 10)) <= 0)
        return http_error(out, 400, "bad_parameter", "site must be zone or a site id, got '%s'",
                          site);
    airq_opts o;
    airq_opts_default(&o);
    o.rules = ed;
    air_set a;
    char err[256];
    if (air_load(r, &a, day0, ndays, &o, err, sizeof err)) {
        air_free(&a);
        return db_error(out, err);
    }
    const airq_day *days = a.zone;
    for (size_t s = 0; want > 0 && s < a.nst; s++)
        if (a.site_ids[s] == want)
            days = a.days + s * (size_t)ndays;
    if (want > 0 && days == a.zone) {
        air_free(&a);
        return http_error(out, 404, "not_found", "no air station %lld", (long long)want);
    }
    int32_t *scratch = xmalloc((size_t)ndays * sizeof *scratch);
    airq_report rep;
    int rc = airq_assess(days, day0, day0 + ndays - 1, &o, NULL, scratch, &rep);
    free(scratch);
    air_free(&a);
    if (rc)
        return http_error(out, 400, "bad_parameter", "empty period");
    json_t *doc = report_json(&rep);
    json_object_set_new(doc, "rules", json_string(rules_name(ed)));
    json_object_set_new(doc, "scope", want > 0 ? json_integer(want) : json_string("zone"));
    if (r->csv) {
        /* The table form: one row per pollutant statistic. */
        json_t *rows = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(doc, "statistics"), k, v)
        {
            json_t *row = json_pack("{s:s}", "pollutant", k);
            json_object_update(row, v);
            json_array_append_new(rows, row);
        }
        json_decref(doc);
        return http_table(r, out, rows, NULL, "assessment");
    }
    return http_json(out, 200, json_pack("{s:o}", "data", doc));
}

static json_t *num_x10(int32_t v)
{
    return json_real(v / 10.0);
}

/* Targets: every target of the plan file; those measured by the monitoring network
 * (statistic airq.*) get their year-to-date value, a projection and what the rest of the
 * year must achieve, computed by the HJ 663 engine on the zone's days. The projection is
 * persistence: the rest of the year like the part already measured. */
int http_targets_rows(http_req *r, const plan *pl, int year, int rules, json_t **rows_out,
                      json_t **meta_out, char *err, size_t errcap)
{
    airq_edition ed = (airq_edition)rules;

    int64_t day0 = ew_days_from_civil(year, 1, 1), today = ew_bj_day_of(r->now_utc);
    int64_t last = ew_days_from_civil(year, 12, 31);
    int64_t end = today - 1 < last ? today - 1 : last; /* complete days only */
    airq_opts o;
    airq_opts_default(&o);
    o.rules = ed;
    airq_report rep;
    bool have = false;
    if (end >= day0) {
        air_set a;
        if (air_load(r, &a, day0, (int)(end - day0 + 1), &o, err, errcap)) {
            air_free(&a);
            return -1;
        }
        /* The three air targets airq tracks, from the plan (defaults: the 2025 plan's
         * 40 µg/m³, 66.5 %, 1.2 %). */
        airq_targets tg = {40, 665, 12};
        for (size_t i = 0; i < pl->n_targets; i++) {
            const plan_target *t = &pl->targets[i];
            if (!t->statistic)
                continue;
            if (!strcmp(t->statistic, "airq.pm25_annual_mean"))
                tg.pm25_ugm3 = (int32_t)t->target;
            else if (!strcmp(t->statistic, "airq.good_days_ratio"))
                tg.good_ratio_x10 = (int32_t)lround(t->target * 10);
            else if (!strcmp(t->statistic, "airq.heavy_days_ratio"))
                tg.heavy_ratio_x10 = (int32_t)lround(t->target * 10);
        }
        int32_t *scratch = xmalloc((size_t)(end - day0 + 1) * sizeof *scratch);
        /* Assessed from 1 January to the last complete day: airq then reports the progress
         * of a year in progress (what the remaining days must achieve). */
        have = airq_assess(a.zone, day0, end, &o, &tg, scratch, &rep) == 0;
        free(scratch);
        air_free(&a);
    }

    json_t *rows = json_array();
    for (size_t i = 0; i < pl->n_targets; i++) {
        const plan_target *t = &pl->targets[i];
        char deadline[16];
        int dy, dm, dd;
        ew_civil_from_days(t->deadline_day, &dy, &dm, &dd);
        snprintf(deadline, sizeof deadline, "%04d-%02d-%02d", dy, dm, dd);
        json_t *row =
            json_pack("{s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:s}", "id", t->id, "name",
                      t->name_zh, "name_en", t->name_en ? json_string(t->name_en) : json_null(),
                      "unit", t->unit ? t->unit : "", "target",
                      t->cmp == PLAN_CMP_DONE ? json_null() : json_real(t->target), "comparator",
                      plan_cmp_name(t->cmp), "value", json_null(), "projected", json_null(),
                      "rest_needed", json_null(), "on_track", json_null(), "source",
                      plan_source_name(t->source), "statistic",
                      t->statistic ? json_string(t->statistic) : json_null(), "deadline", deadline);
        const char *st = t->statistic;
        if (st && have) {
            json_t *val = NULL, *rest = NULL;
            bool ok = false;
            if (!strcmp(st, "airq.pm25_annual_mean") && rep.s[AIRQ_PM25].n > 0) {
                val = conc(rep.s[AIRQ_PM25].mean);
                rest = rep.progress.in_progress ? json_real(rep.progress.pm25_rest_max_x100 / 100.0)
                                                : json_null();
                ok = rep.progress.in_progress
                         ? rep.progress.pm25_reachable
                         : rep.s[AIRQ_PM25].mean <= (int32_t)(t->target * 1000);
            } else if (!strcmp(st, "airq.good_days_ratio") && rep.valid_days > 0) {
                val = num_x10(rep.good_ratio_x10);
                rest = rep.progress.in_progress ? json_integer(rep.progress.good_still_needed)
                                                : json_null();
                ok = rep.progress.in_progress ? rep.progress.good_reachable
                                              : rep.good_ratio_x10 >= lround(t->target * 10);
            } else if (!strcmp(st, "airq.heavy_days_ratio") && rep.valid_days > 0) {
                val = num_x10(rep.heavy_ratio_x10);
                rest = rep.progress.in_progress ? json_integer(rep.progress.heavy_still_allowed)
                                                : json_null();
                ok = rep.progress.in_progress ? rep.progress.heavy_still_allowed >= 0
                                              : rep.heavy_ratio_x10 <= lround(t->target * 10);
            }
            if (val) {
                json_object_set(row, "projected", val);
                json_object_set_new(row, "value", val);
                json_object_set_new(row, "rest_needed", rest);
                json_object_set_new(row, "on_track", json_boolean(ok));
            }
        }
        json_array_append_new(rows, row);
    }
    json_t *meta =
        json_pack("{s:i,s:o,s:s,s:s,s:s}", "year", year, "as_of",
                  end >= day0 ? date_of_day(end) : json_null(), "rules", rules_name(ed), "plan",
                  pl->id, "projection", "persistence: the rest of the year like the days measured");
    if (have)
        json_object_set_new(meta, "days_by_edition",
                            json_pack("[i,i]", rep.days_by_edition[0], rep.days_by_edition[1]));
    *rows_out = rows;
    *meta_out = meta;
    return 0;
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
        return 0;
    json_t *rows, *meta;
    char err[256];
    if (http_targets_rows(r, r->plan, year, (int)ed, &rows, &meta, err, sizeof err))
        return db_error(out, err);
    return http_table(r, out, rows, meta, "targets");
}

/* Station ranking by town: mean of the stations' daily PM2.5 and AQI over the period,
 * towns ordered best first (lower PM2.5). */
static int h_ranking(http_req *r, http_resp *out)
{
    airq_edition ed;
    int64_t day0;
    int ndays;
    if (rules_arg(r, out, &ed) || days_args(r, out, &day0, &ndays, 1096))
        return 0;
    airq_opts o;
    airq_opts_default(&o);
    o.rules = ed;
    air_set a;
    char err[256];
    if (air_load(r, &a, day0, ndays, &o, err, sizeof err)) {
        air_free(&a);
        return db_error(out, err);
    }
    json_t *towns = json_object(); /* town -> {sum_pm25, n_pm25, sum_aqi, n_aqi, stations} */
    json_t *stations = json_array();
    for (size_t s = 0; s < a.nst; s++) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)a.site_ids[s]);
        json_t *so = json_object_get(a.sites, key);
        const char *town = json_string_value(json_object_get(so, "town"));
        if (!town || !*town)
            town = "未划分";
        int64_t spm = 0, saqi = 0;
        int npm = 0, naqi = 0, good = 0;
        for (int i = 0; i < ndays; i++) {
            const airq_day *d = &a.days[s * (size_t)ndays + (size_t)i];
            if (d->c[AIRQ_PM25] != AIRQ_MISSING)
                spm += d->c[AIRQ_PM25], npm++;
            if (airq_day_stated(d)) {
                saqi += d->aqi, naqi++;
                good += d->aqi <= 100;
            }
        }
        json_t *t = json_object_get(towns, town);
        if (!t) {
            t = json_pack("{s:I,s:i,s:I,s:i,s:i,s:i}", "spm", (json_int_t)0, "npm", 0, "saqi",
                          (json_int_t)0, "naqi", 0, "good", 0, "stations", 0);
            json_object_set_new(towns, town, t);
        }
#define ADD(k, v)                                                                                  \
    json_object_set_new(t, k, json_integer(json_integer_value(json_object_get(t, k)) + (v)))
        ADD("spm", spm);
        ADD("npm", npm);
        ADD("saqi", saqi);
        ADD("naqi", naqi);
        ADD("good", good);
        ADD("stations", 1);
#undef ADD
        json_array_append_new(
            stations,
            json_pack("{s:I,s:O,s:s,s:o,s:o}", "site_id", (json_int_t)a.site_ids[s], "name",
                      json_object_get(so, "name"), "town", town, "pm25",
                      npm ? json_real(round((double)spm / npm / 100.0) / 10.0) : json_null(),
                      "mean_aqi",
                      naqi ? json_real(round((double)saqi / naqi * 10) / 10.0) : json_null()));
    }
    air_free(&a);
    json_t *rows = json_array();
    const char *town;
    json_t *t;
    json_object_foreach(towns, town, t)
    {
        json_int_t npm = json_integer_value(json_object_get(t, "npm"));
        json_int_t naqi = json_integer_value(json_object_get(t, "naqi"));
        double pm =
            npm ? (double)json_integer_value(json_object_get(t, "spm")) / (double)npm / 1000.0
                : NAN;
        json_array_append_new(
            rows,
            json_pack(
                "{s:i,s:s,s:I,s:o,s:o,s:o}", "rank", 0, "town", town, "stations",
                json_integer_value(json_object_get(t, "stations")), "pm25",
                isfinite(pm) ? json_real(round(pm * 10) / 10.0) : json_null(), "mean_aqi",
                naqi ? json_real(round((double)json_integer_value(json_object_get(t, "saqi")) /
                                       (double)naqi * 10) /
                                 10.0)
                     : json_null(),
                "good_ratio_pct",
                naqi ? json_real(
                           round(1000.0 * (double)json_integer_value(json_object_get(t, "good")) /
                                 (double)naqi) /
                           10.0)
                     : json_null()));
    }
    json_decref(towns);
    /* Order by PM2.5 ascending (missing last), then name; rank 1 = cleanest. */
    size_t n = json_array_size(rows);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *x = json_array_get(rows, j - 1), *y = json_array_get(rows, j);
            double px = json_is_null(json_object_get(x, "pm25"))
                            ? INFINITY
                            : json_real_value(json_object_get(x, "pm25"));
            double py = json_is_null(json_object_get(y, "pm25"))
                            ? INFINITY
                            : json_real_value(json_object_get(y, "pm25"));
            if (px < py || (px == py && strcmp(json_string_value(json_object_get(x, "town")),
                                               json_string_value(json_object_get(y, "town"))) <= 0))
                break;
            json_incref(x);
            json_array_set(rows, j - 1, y);
            json_array_set_new(rows, j, x);
        }
    for (size_t i = 0; i < n; i++)
        json_object_set_new(json_array_get(rows, i), "rank", json_integer((json_int_t)i + 1));
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
