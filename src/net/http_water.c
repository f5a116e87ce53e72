/* http_water: the routes of surface-water sections (service/water.h). Each handler parses,
 * calls one service function and renders. They read through the request's reader
 * (r->db): no office lock. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "net/http_internal.h"
#include "net/water_doc.h"
#include "service/blackwater.h"
#include "service/drinking.h"
#include "service/water.h"

static int add_status(void *ctx, const water_period *month, const water_period *year)
{
    json_array_append_new(
        ctx, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:o,s:i}", "code", month->code, "name",
                       month->name, "water", month->water == GB3838_LAKE ? "lake" : "river",
                       "target", wdoc_class(month->target), "class_month",
                       wdoc_class(month->result.cls), "class_year", wdoc_class(year->result.cls),
                       "worse_v", year->worse_v, "meets_target", year->result.meets_target, "worst",
                       wdoc_worst(&year->result), "samples_year", (int)year->samples));
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

/* GET /api/v1/water/drinking?year=Y: every drinking-water source's events of the year so
 * far, and the rates by sources (the plan's) and by events. */
static int h_drinking(http_req *r, http_resp *out)
{
    int year;
    if (http_year_arg(r, out, &year))
        return out->status;
    json_t *rows = json_array();
    dwsource_rates rt;
    char err[256] = "";
    if (drinking_year_each(r->db, year, r->now_utc, wdoc_add_source, rows, &rt, err, sizeof err) <
        0) {
        json_decref(rows);
        return http_error(out, 500, "internal", "%s", err);
    }
    json_t *meta = wdoc_rates(&rt);
    json_object_set_new(meta, "year", json_integer(year));
    return http_table(r, out, rows, meta, "drinking-sources");
}

static int add_months(void *ctx, const water_months *m)
{
    json_t *months = json_array();
    for (int i = 0; i < 12; i++)
        json_array_append_new(months, wdoc_class(m->month_cls[i]));
    const water_period *y = &m->year;
    json_array_append_new(
        ctx,
        json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:b,s:b,s:o}", "code", y->code, "name", y->name,
                  "water", y->water == GB3838_LAKE ? "lake" : "river", "target",
                  wdoc_class(y->target), "months", months, "class_year", wdoc_class(y->result.cls),
                  "meets_target", y->result.meets_target, "worse_v", y->worse_v, "compensation",
                  m->compensation, "drinking", m->drinking, "worst", wdoc_worst(&y->result)));
    return 0;
}

/* GET /api/v1/water/classes?year=Y: every section's class month by month and for the year
 * so far. */
static int h_classes(http_req *r, http_resp *out)
{
    int year;
    if (http_year_arg(r, out, &year))
        return out->status;
    json_t *rows = json_array();
    char err[256] = "";
    if (water_year_months(r->db, year, r->now_utc, add_months, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return http_error(out, 500, "internal", "%s", err);
    }
    return http_table(r, out, rows, json_pack("{s:i}", "year", year), "water-classes");
}

typedef struct bo_table {
    json_t *rows;
    int black_built_up, black_rural;
    int sampled_built_up, sampled_rural; /* bodies graded in the year */
} bo_table;

static int add_body(void *ctx, const blackwater_body *b)
{
    bo_table *t = ctx;
    blackodor_level lv = b->graded ? b->grade.level : BLACKODOR_NONE;
    if (b->graded)
        ++*(b->rural ? &t->sampled_rural : &t->sampled_built_up);
    if (b->graded && lv != BLACKODOR_NONE)
        ++*(b->rural ? &t->black_rural : &t->black_built_up);
    char day[16] = "";
    if (b->graded)
        ew_format_day(ew_bj_day_of(b->last_utc), day, sizeof day);
    json_array_append_new(
        t->rows,
        json_pack("{s:s,s:s,s:s,s:o,s:o,s:i,s:i,s:i,s:i,s:o,s:b}", "code", b->code, "name", b->name,
                  "area", b->rural ? "rural" : "built_up", "level",
                  b->graded ? json_string(blackodor_level_name_en(lv)) : json_null(), "level_zh",
                  b->graded ? json_string(blackodor_level_name_zh(lv)) : json_null(), "points",
                  (int)b->grade.points, "heavy_points", (int)b->grade.heavy_points, "light_points",
                  (int)b->grade.light_points, "samplings", (int)b->samplings, "last_sampling",
                  b->graded ? json_string(day) : json_null(), "enough", b->enough));
    return 0;
}

/* GET /api/v1/water/black-odorous?year=Y: every listed body's grade from its latest
 * campaign of the year so far. */
static int h_black(http_req *r, http_resp *out)
{
    int year;
    if (http_year_arg(r, out, &year))
        return out->status;
    bo_table t = {.rows = json_array()};
    char err[256] = "";
    if (blackwater_year_each(r->db, year, r->now_utc, add_body, &t, err, sizeof err) < 0) {
        json_decref(t.rows);
        return http_error(out, 500, "internal", "%s", err);
    }
    /* A count over no body sampled this year would read as "none black-odorous": null. */
    return http_table(r, out, t.rows,
                      json_pack("{s:i,s:o,s:o,s:i}", "year", year, "black_built_up",
                                t.sampled_built_up ? json_integer(t.black_built_up) : json_null(),
                                "black_rural",
                                t.sampled_rural ? json_integer(t.black_rural) : json_null(),
                                "campaign_days", BLACKWATER_CAMPAIGN_DAYS),
                      "black-odorous");
}

/* GET /api/v1/water/assessment?from=T&to=T: every section's period and the drinking-water
 * sources' over [from, to) (default: 1 January of this Beijing year up to now), the document
 * `envwatch water assess --json` prints. */
static int h_assessment(http_req *r, http_resp *out)
{
    ew_civil c;
    ew_utc_to_bj(r->now_utc, &c);
    int64_t jan1 = ew_bj_day_start(ew_days_from_civil(c.year, 1, 1)), from, to;
    if (http_time_arg(r, out, "from", jan1, &from) || http_time_arg(r, out, "to", r->now_utc, &to))
        return out->status;
    if (to <= from)
        return http_error(out, 400, "bad_request", "from must be before to");
    char f[40], t[40], err[256] = "";
    ew_format_iso_bj(from, f, sizeof f);
    ew_format_iso_bj(to, t, sizeof t);
    json_t *doc;
    if (wdoc_assessment(r->db, from, to, f, t, &doc, err, sizeof err) < 0)
        return http_error(out, 500, "internal", "%s", err);
    return http_json(out, 200, doc);
}

const http_route http_water_routes[] = {
    {"GET", "/api/v1/water/sections", h_sections, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/sections/{id}", h_section, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/classes", h_classes, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/assessment", h_assessment, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/drinking", h_drinking, 0, AUTH_DATA_READ, 0},
    {"GET", "/api/v1/water/black-odorous", h_black, 0, AUTH_DATA_READ, 0},
};
const size_t http_water_nroutes = sizeof http_water_routes / sizeof http_water_routes[0];
