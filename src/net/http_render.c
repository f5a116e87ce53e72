/* http_render: the responses handlers return — an error in the API's shape, a JSON value,
 * and tables, as a page of JSON rows or as CSV (RFC 4180, UTF-8 with a BOM) when the request
 * asked for CSV. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/http_internal.h"
#include "net/http_xlsx.h"

int http_error(http_resp *out, int status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    out->status = status;
    out->ctype = "application/json; charset=utf-8";
    out->body.n = 0;
    http_buf_printf(&out->body, "{\"error\":{\"status\":%d,\"code\":", status);
    http_buf_json_str(&out->body, code);
    http_buf_puts(&out->body, ",\"message\":");
    http_buf_json_str(&out->body, msg);
    http_buf_puts(&out->body, "}}");
    return status;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    http_buf_put(data, buffer, size);
    return 0;
}

int http_json(http_resp *out, int status, json_t *v)
{
    out->status = status;
    out->ctype = "application/json; charset=utf-8";
    out->body.n = 0;
    json_dump_callback(v, dump_cb, &out->body,
                       JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(v);
    return status;
}

static void csv_value(http_buf *b, json_t *v)
{
    char tmp[64];
    switch (json_typeof(v)) {
    case JSON_STRING:
        http_buf_csv_field(b, json_string_value(v));
        break;
    case JSON_INTEGER:
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        http_buf_puts(b, tmp);
        break;
    case JSON_REAL:
        http_buf_num(b, json_real_value(v), true);
        break;
    case JSON_TRUE:
        http_buf_puts(b, "true");
        break;
    case JSON_FALSE:
        http_buf_puts(b, "false");
        break;
    case JSON_NULL:
        break;
    case JSON_ARRAY:
        if (json_array_size(v) == 0 || json_is_string(json_array_get(v, 0))) {
            /* A list of names (primary pollutants) reads best as "PM2.5;O3". */
            http_buf list = {0};
            http_buf_name_list(&list, v);
            http_buf_csv_field(b, list.p ? list.p : "");
            free(list.p);
            break;
        }
        /* fall through */
    default: {
        /* Other nested values (rare in tables) are written as their JSON text. */
        char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        http_buf_csv_field(b, s);
        free(s);
    }
    }
}

/* Render rows[from, to) of a table whose full size is total, at (limit, offset). */
/* The Content-Disposition of a table file: "attachment; filename=\"NAME.EXT\"" in r's arena. */
static const char *file_disposition(http_req *r, const char *name, const char *ext)
{
    char *disp = arena_alloc(&r->ar, 128);
    snprintf(disp, 128, "attachment; filename=\"%s.%s\"", name, ext);
    return disp;
}

static int table_out(http_req *r, http_resp *out, json_t *rows, int64_t from, int64_t to,
                     int64_t total, int64_t limit, int64_t offset, json_t *meta, const char *name)
{
    int64_t end = offset + limit < total ? offset + limit : total;
    if (r->xlsx) {
        char err[256] = "";
        int rc = http_xlsx_table(&out->body, rows, from, to, name, err, sizeof err);
        json_decref(rows);
        json_decref(meta);
        if (rc) {
            out->body.n = 0;
            return http_error(out, 500, "internal", "%s", err);
        }
        out->status = 200;
        out->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        out->disposition = file_disposition(r, name, "xlsx");
        return out->status;
    }
    if (r->csv) {
        /* CSV (RFC 4180) with a header row; UTF-8 with a BOM so that spreadsheet programs
         * used in the bureau open the Chinese names correctly. */
        out->status = 200;
        out->ctype = "text/csv; charset=utf-8";
        out->disposition = file_disposition(r, name, "csv");
        http_buf_puts(&out->body, "\xEF\xBB\xBF");
        json_t *first = json_array_get(rows, 0); /* the columns: every row has the same keys */
        const char *key;
        json_t *v;
        bool comma = false;
        json_object_foreach(first, key, v)
        {
            if (comma)
                http_buf_put(&out->body, ",", 1);
            http_buf_csv_field(&out->body, key);
            comma = true;
        }
        if (first)
            http_buf_puts(&out->body, "\r\n");
        for (int64_t i = from; i < to; i++) {
            json_t *row = json_array_get(rows, (size_t)i);
            comma = false;
            json_object_foreach(first, key, v)
            {
                if (comma)
                    http_buf_put(&out->body, ",", 1);
                json_t *cell = json_object_get(row, key);
                if (cell)
                    csv_value(&out->body, cell);
                comma = true;
            }
            http_buf_puts(&out->body, "\r\n");
        }
        json_decref(rows);
        json_decref(meta);
        return out->status;
    }
    json_t *page = json_array();
    for (int64_t i = from; i < to; i++)
        json_array_append(page, json_array_get(rows, (size_t)i));
    json_decref(rows);
    json_t *env = json_object();
    json_object_set_new(env, "data", page);
    json_object_set_new(env, "page",
                        json_pack("{s:I,s:I,s:I,s:o}", "limit", (json_int_t)limit, "offset",
                                  (json_int_t)offset, "total", (json_int_t)total, "next_offset",
                                  end < total ? json_integer(end) : json_null()));
    if (meta)
        json_object_update(env, meta);
    json_decref(meta);
    return http_json(out, 200, env);
}

int http_table(http_req *r, http_resp *out, json_t *rows, json_t *meta, const char *name)
{
    int64_t limit, offset;
    if (http_page_args(r, out, &limit, &offset)) {
        json_decref(rows);
        json_decref(meta);
        return out->status;
    }
    int64_t total = (int64_t)json_array_size(rows);
    int64_t end = offset + limit < total ? offset + limit : total;
    return table_out(r, out, rows, offset < end ? offset : end, end, total, limit, offset, meta,
                     name);
}

int http_table_page(http_req *r, http_resp *out, json_t *rows, int64_t total, int64_t limit,
                    int64_t offset, json_t *meta, const char *name)
{
    return table_out(r, out, rows, 0, (int64_t)json_array_size(rows), total, limit, offset, meta,
                     name);
}
