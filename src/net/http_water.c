/* http_water: the routes of surface-water sections (service/water.h). Each handler parses,
 * calls one service function and renders. They read through the request's reader
 * (r->db): no office lock. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "net/http_internal.h"
#include "service/water.h"

static json_t *class_json(int cls)
{
    const char *n = gb3838_class_name(cls);
    return n ? json_string(n) : json_null();
}

/* A value in millionths as a JSON number, null when absent. */
static json_t *micro_json(int64_t v)
{
    return v == GB3838_NA ? json_null() : json_real((double)v / GB3838_MICRO);
}

static json_t *worst_json(const gb3838_result *res)
{
    json_t *a = json_array();
    for (int it = 0; it < GB3838_ITEM_COUNT; it++)
        if (res->worst & GB3838_BIT(it))
            json_array_append_new(a, json_string(gb3838_item_name((gb3838_item)it)));
    return a;
}

static int add_status(void *ctx, const water_period *month, const water_period *year)
{
    json_array_append_new(
        ctx, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:o,s:i}", "code", month->code, "name",
                       month->name, "water", month->water == GB3838_LAKE ? "lake" : "river",
                       "target", class_json(month->target), "class_month",
                       class_json(month->result.cls), "class_year", class_json(year->result.cls),
                       "worse_v", year->worse_v, "meets_target", year->result.meets_target,
                       "worst", worst_json(&year->result), "samples_year", (int)year->samples));
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
    json_t *items = json_array();
    for (int it = 0; it < GB3838_ITEM_COUNT; it++) {
        if (p.values.v[it] == GB3838_NA)
            continue;
        bool over = p.result.over_target & GB3838_BIT(it);
        json_array_append_new(
            items, json_pack("{s:s,s:o,s:o,s:b,s:o}", "item", gb3838_item_name((gb3838_item)it),
                             "value", micro_json(p.values.v[it]), "class",
                             class_json(p.result.item_cls[it]), "over_target", over, "multiple",
                             over && p.result.multiple_milli[it] != GB3838_NA
                                 ? json_real((double)p.result.multiple_milli[it] / 1000)
                                 : json_null()));
    }
    json_t *body = json_pack("{s:s,s:s,s:i,s:i,s:o,s:o,s:b,s:b,s:i,s:o,s:o}", "code", p.code,
                             "name", p.name, "year", year, "month", mon, "target",
                             class_json(p.target), "class", class_json(p.result.cls), "worse_v",
                             p.worse_v, "meets_target", p.result.meets_target, "samples",
                             (int)p.samples, "worst", worst_json(&p.result), "items", items);
    return http_json(out, 200, body);
}

const http_route http_water_routes[] = {
    {"GET", "/api/v1/water/sections", h_sections, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/sections/{id}", h_section, 0, AUTH_DATA_READ, 0},
};
const size_t http_water_nroutes = sizeof http_water_routes / sizeof http_water_routes[0];
