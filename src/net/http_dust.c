/* http_dust: the routes of dust fall (service/dust.h). Each handler parses, calls one
 * service function and renders; they read through the request's reader (r->db). */
#include <jansson.h>
#include <stdlib.h>

#include "base/bjtime.h"
#include "net/http_internal.h"
#include "service/dust.h"

/* A value in thousandths of t/(km²·30 d) as a JSON number, null when absent. */
static json_t *milli_json(int64_t v)
{
    return v == DUSTFALL_NA ? json_null() : json_real((double)v / 1000.0);
}

/* ?year=Y (default: this Beijing year) and, when want_month, ?month=M (required). Returns 0,
 * or the status of the error answered. */
static int period_args(http_req *r, http_resp *out, bool want_month, int *year, int *mon)
{
    const char *ms = http_arg(r, "month");
    *mon = ms ? atoi(ms) : 0;
    if (http_year_arg(r, out, year))
        return out->status;
    if (want_month && (*mon < 1 || *mon > 12))
        return http_error(out, 400, "bad_request", "month 1..12 is required");
    return 0;
}

/* GET /api/v1/dustfall?year=Y: the zone's monthly dust fall and the year's mean. */
static int h_year(http_req *r, http_resp *out)
{
    int year, mon, rc = period_args(r, out, false, &year, &mon);
    if (rc)
        return rc;
    dust_year y;
    char err[256] = "";
    if (dust_year_of(r->db, year, r->now_utc, &y, err, sizeof err) < 0)
        return http_error(out, 500, "internal", "%s", err);
    json_t *rows = json_array();
    for (int m = 1; m <= y.last_month; m++) {
        const dustfall_mean *d = &y.months[m - 1];
        json_array_append_new(rows,
                              json_pack("{s:i,s:o,s:o,s:o,s:i,s:i,s:i,s:i}", "month", m, "mean",
                                        milli_json(d->mean_milli), "max", milli_json(d->max_milli),
                                        "min", milli_json(d->min_milli), "samples", (int)d->sites,
                                        "used", (int)d->used, "rejected", (int)d->rejected,
                                        "controls", (int)d->controls));
    }
    json_t *meta =
        json_pack("{s:i,s:o,s:i,s:s}", "year", year, "annual_mean", milli_json(y.annual_milli),
                  "months_with_value", (int)y.months_with_value, "unit", "t/(km²·30d)");
    return http_table(r, out, rows, meta, "dustfall");
}

static int add_point(void *ctx, const dust_point *p)
{
    json_array_append_new(ctx, json_pack("{s:s,s:b,s:f,s:o,s:s}", "point", p->point, "control",
                                         p->control, "exposure_days", (double)p->exposure_h / 24.0,
                                         "value", milli_json(p->value_milli), "why", p->why));
    return 0;
}

/* GET /api/v1/dustfall/points?year=Y&month=M: every point's value of the month, or why it
 * has none. */
static int h_points(http_req *r, http_resp *out)
{
    int year, mon, rc = period_args(r, out, true, &year, &mon);
    if (rc)
        return rc;
    json_t *rows = json_array();
    char err[256] = "";
    if (dust_points_each(r->db, year, mon, add_point, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return http_error(out, 500, "internal", "%s", err);
    }
    return http_table(r, out, rows, json_pack("{s:i,s:i}", "year", year, "month", mon),
                      "dustfall-points");
}

const http_route http_dust_routes[] = {
    {"GET", "/api/v1/dustfall", h_year, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/dustfall/points", h_points, 0, AUTH_DATA_READ, 0},
};
const size_t http_dust_nroutes = sizeof http_dust_routes / sizeof http_dust_routes[0];
