/* http_water: the routes of surface-water sections (service/water.h). Each handler parses,
 * calls one service function and renders. They read through the request's reader
 * (r->db): no office lock. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "net/http_internal.h"
#include "net/water_doc.h"
#include "service/water.h"

static int add_status(void *ctx, const water_period *month, const water_period *year)
{
    json_array_append_new(
        ctx, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:o,s:i}", "code", month->code, "name",
                       month->name, "water", month->water == GB3838_LAKE ? "lake" : "river",
                       "target", wdoc_class(month->target), "class_month",
                       wdoc_class(month->result.cls), "class_year", wdoc_class(year->result.cls),
                       "worse_v", year->worse_v, "meets_target", year->result.meets_target,
                       "worst", wdoc_worst(&year->result), "samples_year", (int)year->samples));
    return 0;
}

static int h_sections(http_req *r, http_resp *out)
{
    json_t *rows = json_array();
    char err[256] = "";
    if (water_sections_status(r->db, r->now_utc, add_status, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return http_error(out, 500, "internal", "%s", err);
    }
    return http_table(r, out, rows, NULL, "water-sections");
}

/* GET /api/v1/water/sections/{id}?year=Y[&month=M]: the period's values per item, their
 * single-factor classes and exceedance multiples against the section's target class. */
static int h_section(http_req *r, http_resp *out)
{
    const char *ms = http_arg(r, "month");
    int year, mon = ms ? atoi(ms) : 0;
    if (http_year_arg(r, out, &year))
        return out->status;
    if (mon < 0 || mon > 12)
        return http_error(out, 400, "bad_request", "month 1..12");
    int64_t from, to;
    water_period_bounds(year, mon, &from, &to);
    water_period p;
    char err[256] = "";
    int rc = water_section_period(r->db, r->params[0], from, to, &p, err, sizeof err);
    if (rc < 0)
        return http_error(out, 500, "internal", "%s", err);
    if (rc == 0)
        return http_error(out, 404, "not_found", "no such section");
    /* The section's period as every surface renders it (net/water_doc.h), with the
     * period asked for. */
    json_t *body = wdoc_period(&p);
    json_object_set_new(body, "year", json_integer(year));
    json_object_set_new(body, "month", json_integer(mon));
    return http_json(out, 200, body);
}

const http_route http_water_routes[] = {
    {"GET", "/api/v1/water/sections", h_sections, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/sections/{id}", h_section, 0, AUTH_DATA_READ, 0},
};
const size_t http_water_nroutes = sizeof http_water_routes / sizeof http_water_routes[0];
