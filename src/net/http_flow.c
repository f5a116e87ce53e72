/* http_flow: the route of ecological flow (service/flow.h): parse, call one service
 * function, render; reads through the request's reader (r->db). */
#include <jansson.h>
#include <stdlib.h>

#include "base/bjtime.h"
#include "net/http_internal.h"
#include "service/flow.h"

static json_t *rate_json(int64_t v)
{
    return v == ECOFLOW_NA ? json_null() : json_real((double)v / 1000.0);
}

static int add_section(void *ctx, const flow_section_year *y)
{
    const ecoflow_rate *q = &y->rate;
    json_array_append_new(
        ctx, json_pack("{s:s,s:s,s:f,s:i,s:i,s:i,s:i,s:i,s:o}", "code", y->code, "name", y->name,
                       "base_m3s", (double)y->base_milli / 1000.0, "days", (int)q->days, "valid",
                       (int)q->valid, "compliant", (int)q->compliant, "missing", (int)q->missing,
                       "exempt", (int)q->exempt, "rate", rate_json(q->rate_milli)));
    return 0;
}

/* GET /api/v1/ecoflow?year=Y: every control section's compliance of the year so far. */
static int h_ecoflow(http_req *r, http_resp *out)
{
    int year;
    if (http_year_arg(r, out, &year))
        return out->status;
    json_t *rows = json_array();
    char err[256] = "";
    int64_t last = 0;
    if (flow_year_each(r->db, year, r->now_utc, &last, add_section, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return http_error(out, 500, "internal", "%s", err);
    }
    char as_of[16] = "";
    if (last != INT64_MIN)
        ew_format_day(last, as_of, sizeof as_of);
    return http_table(
        r, out, rows,
        json_pack("{s:i,s:o}", "year", year, "as_of", as_of[0] ? json_string(as_of) : json_null()),
        "ecoflow");
}

const http_route http_flow_routes[] = {
    {"GET", "/api/v1/ecoflow", h_ecoflow, 0, AUTH_DATA_READ, 0},
};
const size_t http_flow_nroutes = sizeof http_flow_routes / sizeof http_flow_routes[0];
