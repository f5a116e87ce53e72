/* http_args: a request's query arguments and JSON body, checked, with the precise 400 the API
 * answers when one is malformed. */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "net/http_internal.h"

const char *http_arg(http_req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

int http_page_args(http_req *r, http_resp *out, int64_t *limit, int64_t *offset)
{
    const char *l = http_arg(r, "limit"), *o = http_arg(r, "offset");
    *limit = 1000;
    *offset = 0;
    if (l && http_parse_i64(l, 1, 100000, limit))
        return http_error(out, 400, "bad_parameter",
                          "limit must be an integer from 1 to 100000, got '%s'", l);
    if (o && http_parse_i64(o, 0, INT64_MAX / 2, offset))
        return http_error(out, 400, "bad_parameter",
                          "offset must be a non-negative integer, got '%s'", o);
    return 0;
}

int http_year_arg(http_req *r, http_resp *out, int *year)
{
    ew_civil now;
    ew_utc_to_bj(r->now_utc, &now);
    const char *ys = http_arg(r, "year");
    *year = ys ? atoi(ys) : now.year;
    if (*year < 2000 || *year > 2100)
        return http_error(out, 400, "bad_request", "year 2000..2100");
    return 0;
}

int http_time_arg(http_req *r, http_resp *out, const char *name, int64_t def, int64_t *t_utc)
{
    const char *v = http_arg(r, name);
    if (!v) {
        *t_utc = def;
        return 0;
    }
    ew_civil c;
    if (ew_parse_iso(v, strlen(v), &c))
        return http_error(out, 400, "bad_parameter",
                          "%s must be a Beijing-time ISO-8601 date or time "
                          "(YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][+08:00]), got '%s'",
                          name, v);
    *t_utc = ew_bj_to_utc(&c);
    return 0;
}

json_t *http_body_json(http_req *r, http_resp *out)
{
    char err[256];
    json_t *v = http_json_object(r->body, r->body_n, err, sizeof err);
    if (!v)
        http_error(out, 400, "bad_body", "%s", err);
    return v;
}
