/* http_ghg: the route of greenhouse-gas stations (service/ghg.h). It parses, calls one
 * service function and renders; it reads through the request's reader (r->db). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "net/http_internal.h"
#include "service/ghg.h"

static json_t *num(double v)
{
    /* Three decimals: 0.001 ppm is below the WMO compatibility goal (±0.1 ppm CO2). */
    return isnan(v) ? json_null() : json_real(round(v * 1000) / 1000);
}

static int add_row(void *ctx, const ghg_row *g)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:o,s:o,s:o,s:o,s:o,s:i}", "site_id",
                       (json_int_t)g->site_id, "name", g->name, "gas", ghg_name(g->gas), "param",
                       g->param, "unit", ghg_unit(g->gas), "hours", (int)g->hours, "valid_hours",
                       (int)g->valid_hours, "calibration_hours", (int)g->calibration_hours, "mean",
                       num(g->mean), "min", num(g->min), "max", num(g->max), "background_id",
                       g->background_id ? json_integer(g->background_id) : json_null(),
                       "enhancement", num(g->enhancement), "paired_hours", (int)g->paired_hours));
    return 0;
}

/* GET /api/v1/ghg?from=T&to=T&background=ID: every station's CO2 and CH4 over [from, to)
 * (default: the Beijing month of now up to now). */
static int h_ghg(http_req *r, http_resp *out)
{
    ew_civil c;
    ew_utc_to_bj(r->now_utc, &c);
    int64_t month0 = ew_bj_day_start(ew_days_from_civil(c.year, c.mon, 1)), from, to;
    if (http_time_arg(r, out, "from", month0, &from) ||
        http_time_arg(r, out, "to", r->now_utc, &to))
        return out->status;
    const char *bs = http_arg(r, "background");
    char *end = NULL;
    long long bg = bs ? strtoll(bs, &end, 10) : 0;
    if (bs && (!*bs || *end || bg <= 0))
        return http_error(out, 400, "bad_request", "background: a site id");
    json_t *rows = json_array();
    char err[256] = "";
    int rc = ghg_period(r->db, from, to, bg, add_row, rows, err, sizeof err);
    if (rc < 0) {
        json_decref(rows);
        return rc == EW_EINVALID ? http_error(out, 400, "bad_request", "%s", err)
                                 : http_error(out, 500, "internal", "%s", err);
    }
    char f[40], t[40];
    ew_format_iso_bj(from, f, sizeof f);
    ew_format_iso_bj(to, t, sizeof t);
    return http_table(r, out, rows, json_pack("{s:s,s:s}", "from", f, "to", t), "ghg");
}

const http_route http_ghg_routes[] = {
    {"GET", "/api/v1/ghg", h_ghg, 0, AUTH_DATA_READ, 0},
};
const size_t http_ghg_nroutes = sizeof http_ghg_routes / sizeof http_ghg_routes[0];
