/* http_internal: what the HTTP server core (http.c) and the API handlers (http_api.c) share.
 * Not a public interface: nothing outside src/net/http*.c includes it.
 *
 * A request is answered in one call of the handler (the API is GET-only), so everything a
 * handler allocates lives in the request's arena and in the response body buffer, and both
 * are released together when the response has been queued. */
#ifndef EW_NET_HTTP_INTERNAL_H
#define EW_NET_HTTP_INTERNAL_H
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/metrics.h"
#include "store/read.h"

/* A growable byte buffer (xalloc policy: never fails). The body of a response. */
typedef struct http_buf {
    char *p;
    size_t n, cap;
} http_buf;
void http_buf_put(http_buf *b, const char *s, size_t n);
void http_buf_puts(http_buf *b, const char *s);
void http_buf_printf(http_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string literal, quotes included (RFC 8259 §7 escapes). */
void http_buf_json_str(http_buf *b, const char *s);
/* s as one CSV field (RFC 4180 §2: quoted when it holds a comma, quote or line break). */
void http_buf_csv_field(http_buf *b, const char *s);
/* A double as JSON/CSV number text rounded to 4 decimals, trailing zeros dropped;
 * non-finite values as null (JSON) or empty (CSV). */
void http_buf_num(http_buf *b, double v, bool csv);
/* t_utc as Beijing time "YYYY-MM-DDThh:mm:ss+08:00" (same text as ew_format_iso_bj). */
void http_buf_iso(http_buf *b, int64_t t_utc);

#define HTTP_MAX_PARAMS 4

typedef struct http_req {
    struct MHD_Connection *conn;
    const char *url;
    const char *params[HTTP_MAX_PARAMS]; /* path parameters ({id}), in template order */
    size_t nparams;
    ew_reader *db;       /* borrowed for the request */
    ew_metrics *metrics; /* may be NULL */
    const char *plan_path;
    const char *static_dir;
    int64_t now_utc;     /* the request's clock (ENVWATCH_NOW overrides it in tests) */
    int64_t started_utc; /* server start */
    arena ar;
    bool csv; /* ?format=csv */
} http_req;

typedef struct http_resp {
    int status;
    const char *ctype;
    const char *cache; /* Cache-Control; NULL = "no-store" */
    const char *disposition;
    const char *cache_state; /* X-Cache: "hit", "miss", NULL for uncached routes */
    http_buf body;
} http_resp;

/* Query parameter, or NULL when absent or empty. */
const char *http_arg(http_req *r, const char *name);

/* Answer with a JSON error: {"error":{"status":N,"code":"...","message":"..."}}. Returns 0. */
int http_error(http_resp *out, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Answer with the JSON value v (stolen). Returns 0. */
int http_json(http_resp *out, int status, json_t *v);
/* Answer with a table: rows is an array of flat objects (stolen) whose first row's keys name
 * the columns. meta (stolen, may be NULL) is merged into the JSON envelope. Applies the
 * pagination parameters limit (default 1000, at most 100000) and offset, and ?format=csv.
 * JSON: {"data":[...], "page":{"limit","offset","total","next_offset"}, ...meta}. */
int http_table(http_req *r, http_resp *out, json_t *rows, json_t *meta, const char *name);
/* Parse limit/offset; returns 0 or answers 400 and returns -1. */
int http_page_args(http_req *r, http_resp *out, int64_t *limit, int64_t *offset);
/* Parse an optional ISO-8601 Beijing-time argument (see ew_parse_iso); def when absent.
 * Returns 0, or answers 400 and returns -1. */
int http_time_arg(http_req *r, http_resp *out, const char *name, int64_t def, int64_t *t_utc);

typedef int (*http_handler)(http_req *r, http_resp *out);
typedef struct http_route {
    const char *method;
    const char *path; /* template: literal segments and {name} */
    http_handler fn;
    int cache_s; /* seconds a 200 answer may be served from http_cache; 0 = never cached */
} http_route;
/* The API route table (http_api.c) and its length. */
extern const http_route http_routes[];
extern const size_t http_nroutes;

/* The response cache (http_cache.c). Keys are the request's path and query; bodies are
 * copied in and out, so cached and fresh answers have the same ownership. */
typedef struct http_cache http_cache;
http_cache *http_cache_new(size_t nslots);
void http_cache_free(http_cache *c);
/* On a fresh hit, fill out (status, type, body, disposition copied into ar) and return true. */
bool http_cache_get(http_cache *c, const char *key, int64_t now_ms, http_resp *out, arena *ar);
void http_cache_put(http_cache *c, const char *key, int64_t expires_ms, const http_resp *r);

#endif
