/* http_internal: what the HTTP server core (http.c) and the API handlers (http_api.c,
 * http_account.c, http_case.c, http_ledger.c, http_auth.c, …) share. Not a public interface: nothing outside src/net/http*.c
 * includes it.
 *
 * A request is answered in one call of the handler once its body (if any) has been read
 * whole, so everything a handler allocates lives in the request's arena and in the response
 * body buffer, and both are released together when the response has been queued. */
#ifndef EW_NET_HTTP_INTERNAL_H
#define EW_NET_HTTP_INTERNAL_H
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/metrics.h"
#include "service/auth.h"
#include "service/case.h"
#include "service/plan.h"
#include "store/read.h"
#include "store/store.h"

/* A copy of s in the arena. */
static inline char *http_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

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
/* A JSON array of strings (primary pollutants) as "PM2.5;O3", appended to b (non-strings as
 * empty names): how CSV cells and workbook cells write a list. */
void http_buf_name_list(http_buf *b, json_t *list);
/* A double as JSON/CSV number text rounded to 4 decimals, trailing zeros dropped;
 * non-finite values as null (JSON) or empty (CSV). */
void http_buf_num(http_buf *b, double v, bool csv);
/* t_utc as Beijing time "YYYY-MM-DDThh:mm:ss+08:00" (same text as ew_format_iso_bj). */
void http_buf_iso(http_buf *b, int64_t t_utc);

#define HTTP_MAX_PARAMS 4

/* Largest request bodies: JSON documents, and one uploaded attachment (a photo or a PDF). */
#define HTTP_JSON_MAX ((size_t)64 * 1024)
#define HTTP_UPLOAD_MAX ((size_t)8 * 1024 * 1024)
/* An attachment uploaded without login (the public's 随手拍 photo): anyone may send one, 20 an
 * hour per address, so it gets half the room of a signed-in person's record or PDF. The
 * dashboard scales a larger photo down before sending it. */
#define HTTP_UPLOAD_MAX_PUBLIC ((size_t)4 * 1024 * 1024)
/* Memory of one connection for its request line, headers and read buffer
 * (MHD_OPTION_CONNECTION_MEMORY_LIMIT): a request whose head does not fit is refused by
 * libmicrohttpd. */
#define HTTP_CONN_MEMORY ((size_t)32 * 1024)

typedef struct ew_http ew_http;

typedef struct http_req {
    struct MHD_Connection *conn;
    ew_http *server;
    const char *method; /* "GET", "HEAD", "POST", ... */
    const char *url;
    const char *body; /* request body (NUL-terminated copy), NULL if none */
    size_t body_n;
    const char *params[HTTP_MAX_PARAMS]; /* path parameters ({id}), in template order */
    size_t nparams;
    ew_reader *db;       /* borrowed for the request */
    ew_metrics *metrics; /* may be NULL */
    const char *plan_path;
    const char *static_dir;
    int64_t now_utc;     /* the request's clock (ENVWATCH_NOW overrides it in tests) */
    int64_t started_utc; /* server start */
    arena ar;
    bool csv;  /* ?format=csv, or xlsx: the answer is a table file */
    bool xlsx; /* ?format=xlsx: the table as an Excel workbook (http_xlsx.h) */
    /* Office data: the server's read-write store, used only between http_office_lock and
     * http_office_unlock (routes marked HTTP_LOCKED hold the lock for the whole handler). */
    store *office;
    const plan *plan; /* loaded at server start; NULL if it could not be (plan_err) */
    const struct source_config *source; /* the scan's thresholds (NULL: the defaults) */
    const char *plan_err;
    /* Who is asking: anonymous requests are the public ("public", EW_ROLE_PUBLIC). */
    case_actor who;
    const char *display;
    bool logged_in;
    bool via_cookie; /* the session came from the ew_session cookie (not a Bearer token) */
    const char *csrf;
    int64_t expires_utc;
    uint8_t token_hash[AUTH_TOKEN_HASH];
    char addr[64]; /* client IP address as text */
    bool tls;      /* the request came over HTTPS: cookies carry Secure */
} http_req;

void http_office_lock(http_req *r);
void http_office_unlock(http_req *r);

typedef struct http_resp {
    int status;
    const char *ctype;
    const char *cache; /* Cache-Control; NULL = "no-store" */
    const char *disposition;
    const char *cache_state; /* X-Cache: "hit", "miss", NULL for uncached routes */
    const char *set_cookie;  /* Set-Cookie, NULL if none */
    int64_t retry_after_s;   /* Retry-After for 429, 0 = none */
    http_buf body;
} http_resp;

/* Query parameter, or NULL when absent or empty. */
const char *http_arg(http_req *r, const char *name);

/* Handlers and the helpers that answer return the HTTP status they answered with (always
 * >= 100), so "answered, stop" is a non-zero result and the dispatcher can check that a
 * handler answered what it says; helpers that did not answer return 0.
 *
 * Answer with a JSON error: {"error":{"status":N,"code":"...","message":"..."}}. Returns
 * status. */
int http_error(http_resp *out, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Answer with the JSON value v (stolen). Returns status. */
int http_json(http_resp *out, int status, json_t *v);
/* Answer with a table: rows is an array of flat objects (stolen) whose first row's keys name
 * the columns. meta (stolen, may be NULL) is merged into the JSON envelope. Applies the
 * pagination parameters limit (default 1000, at most 100000) and offset, and ?format=csv.
 * JSON: {"data":[...], "page":{"limit","offset","total","next_offset"}, ...meta}. */
int http_table(http_req *r, http_resp *out, json_t *rows, json_t *meta, const char *name);
/* The same for a page the query already cut: rows holds the page (stolen), total the
 * number of rows without limit/offset (from http_page_args). */
int http_table_page(http_req *r, http_resp *out, json_t *rows, int64_t total, int64_t limit,
                    int64_t offset, json_t *meta, const char *name);
/* A memo of one vector of numbers per server, for results that cost a computation over the
 * monitoring data and change at most hourly (the monitoring targets behind the ledger): get
 * copies n values into v when key matches and the memo is younger than its ttl; put replaces
 * the memo. Thread-safe. */
bool http_memo_get(http_req *r, const char *key, double *v, size_t n);
void http_memo_put(http_req *r, const char *key, const double *v, size_t n, int ttl_s);
/* Parse limit/offset; returns 0, or answers 400 and returns 400. */
int http_page_args(http_req *r, http_resp *out, int64_t *limit, int64_t *offset);
/* Parse an optional ISO-8601 Beijing-time argument (see ew_parse_iso); def when absent.
 * Returns 0, or answers 400 and returns 400. */
int http_time_arg(http_req *r, http_resp *out, const char *name, int64_t def, int64_t *t_utc);
/* ?year=Y of the period routes (water, dust fall, eco-flow): 2000..2100, default the Beijing
 * year of now. Returns 0 with *year set, or answers 400 bad_request and returns 400. */
int http_year_arg(http_req *r, http_resp *out, int *year);

/* Parse the request body as a JSON object; on failure answers 400 and returns NULL. */
json_t *http_body_json(http_req *r, http_resp *out);
/* May the caller ever do a? (auth_decide with the caller's own organisation as the object:
 * the route-level gate; handlers decide again about the object itself.) */
bool http_may(const http_req *r, auth_action a);
/* 401 login_required for anonymous callers, else 403 forbidden. Returns the status. */
int http_denied(http_req *r, http_resp *out, const char *why);

/* Who may call a route: anyone, anyone logged in, or those auth_decide allows an action. */
#define HTTP_ANYONE (-1)
#define HTTP_LOGIN (-2)

/* Route flags. */
#define HTTP_LOCKED 1 /* the handler runs holding the office lock (r->office usable) */

/* A route handler answers in *out and returns the status it answered with. */
typedef int (*http_handler)(http_req *r, http_resp *out);
typedef struct http_route {
    const char *method;
    const char *path; /* template: literal segments and {name} */
    http_handler fn;
    int cache_s; /* seconds a 200 answer may be served from http_cache; 0 = never cached */
    int need;    /* HTTP_ANYONE, HTTP_LOGIN or an auth_action (route-level gate) */
    int flags;
} http_route;
/* The API route table (http_api.c) and its length. */
extern const http_route http_routes[];
extern const size_t http_nroutes;

/* Office routes: the server dispatches on http_routes, then these (route_tables, http.c). */
extern const http_route http_account_routes[]; /* http_account.c */
extern const size_t http_account_nroutes;
extern const http_route http_case_routes[]; /* http_case.c */
extern const size_t http_case_nroutes;
extern const http_route http_ledger_routes[]; /* http_ledger.c */
extern const size_t http_ledger_nroutes;
/* Pollution-source routes (http_source.c): outlets, limits, marks, alerts. */
extern const http_route http_source_routes[];
extern const size_t http_source_nroutes;
/* The meta route (http_meta.c): GET /api/v1/meta, after the office routes. */
extern const http_route http_meta_routes[];
extern const size_t http_meta_nroutes;
/* Heavy-pollution warnings, the reduction list, fire points, video alarms (http_emergency.c). */
extern const http_route http_emergency_routes[];
extern const size_t http_emergency_nroutes;
/* Surface-water sections (http_water.c). */
extern const http_route http_water_routes[];
extern const size_t http_water_nroutes;
/* Dust fall (http_dust.c). */
extern const http_route http_dust_routes[];
extern const size_t http_dust_nroutes;
/* Greenhouse-gas stations (http_ghg.c). */
extern const http_route http_ghg_routes[];
extern const size_t http_ghg_nroutes;
/* Ecological flow (http_flow.c). */
extern const http_route http_flow_routes[];
extern const size_t http_flow_nroutes;

/* Targets of the plan with their monitoring values (http_api.c): one row per target as
 * /targets lists them (id, value, projected, ...), and meta. year: Beijing calendar year;
 * rules: airq_edition. Returns 0, or -1 with err. Needs r->db. */
int http_targets_rows(http_req *r, const plan *pl, int year, int rules, json_t **rows,
                      json_t **meta, char *err, size_t errcap);

/* ---- pure helpers (http_auth.c) ---- */
/* The token of an "Authorization: Bearer <token>" header value, copied into out
 * (AUTH_TOKEN_TEXT bytes). Returns 0, or -1 if the header is not a Bearer token. */
int http_bearer_token(const char *header, char out[AUTH_TOKEN_TEXT]);
/* Does the Origin header value name the same host and port as the Host header value?
 * Default ports follow the origin's scheme (http 80, https 443); hosts compare
 * case-insensitively. "null" and malformed origins never match. */
bool http_origin_matches(const char *origin, const char *host);
/* Do the first bytes of data match the file type mime ("image/jpeg", "image/png",
 * "image/webp", "application/pdf")? False for any other type. */
bool http_magic_matches(const char *mime, const void *data, size_t n);
/* Constant-time comparison of two NUL-terminated secrets. */
bool http_secret_equal(const char *a, const char *b);
/* The media type of a Content-Type value without parameters, lower-cased, into out. */
void http_media_type(const char *ctype, char *out, size_t cap);
/* The session token of a request, into out: from "Authorization: Bearer" when that header
 * holds one (HTTP_TOKEN_BEARER), else from the ew_session cookie's value when it is
 * non-empty and fits (HTTP_TOKEN_COOKIE), else 0 (the public; out is then undefined). */
#define HTTP_TOKEN_BEARER 1
#define HTTP_TOKEN_COOKIE 2
int http_request_token(const char *authz, const char *cookie, char out[AUTH_TOKEN_TEXT]);
/* The Set-Cookie value of the session cookie ew_session=token (token "" and max_age_s 0
 * remove it): HttpOnly, SameSite=Strict, Path=/, and Secure when secure (the request came
 * over HTTPS). Allocated in a. */
const char *http_session_cookie(arena *a, const char *token, int max_age_s, bool secure);

/* ---- pure parsers (http_parse.c) ---- */
/* Does url (a path, no query) match the route template tpl (literal segments and {name})?
 * Path parameters are copied into ar and stored in params in template order, their count in
 * *nparams; a parameter matches one non-empty segment. On a mismatch params may hold some
 * copies (in ar) and *nparams their count. */
bool http_route_match(const char *tpl, const char *url, arena *ar,
                      const char *params[HTTP_MAX_PARAMS], size_t *nparams);
/* A decimal integer in [lo, hi], the whole of s: 0 and *out set, or -1 (*out untouched). */
int http_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out) EW_MUST_CHECK;
/* Deepest nesting of arrays and objects in the JSON text p[0, n) (brackets inside strings
 * do not count; malformed text gives some number, and the parser refuses it anyway). */
size_t http_json_depth(const char *p, size_t n);
/* Deepest nesting a request body may have. */
#define HTTP_JSON_DEPTH_MAX 32
/* Parse body[0, n) (NULL: none was sent) as a JSON object nested at most
 * HTTP_JSON_DEPTH_MAX deep: the object (caller decrefs), or NULL with a message for a 400
 * answer in err. */
json_t *http_json_object(const char *body, size_t n, char *err, size_t errcap);
/* An IP address as the list of trusted proxies holds it: AF_INET or AF_INET6 and its bytes
 * (4 or 16, network order). */
typedef struct http_ip {
    int family;
    unsigned char a[16];
} http_ip;
/* At most this many trusted proxies. */
#define HTTP_TRUST_MAX 16
/* Parse s, one address or several separated by commas (blanks around them allowed), into
 * out[0, cap): 0 and *n set, or a negative code with a message naming the bad item; out is
 * then partly written and *n untouched. */
int http_ip_list_parse(const char *s, http_ip *out, size_t cap, size_t *n, char *err,
                       size_t errcap) EW_MUST_CHECK;
/* Is the socket address sa (AF_INET or AF_INET6; an IPv4-mapped IPv6 address counts as its
 * IPv4 address) one of list[0, n)? */
struct sockaddr;
bool http_ip_list_has(const http_ip *list, size_t n, const struct sockaddr *sa);
/* The last hop of an X-Forwarded-For value (the address our proxy saw) in its canonical
 * text form (inet_ntop), into out: 0, or -1 when absent, not an address, or longer than cap
 * (out untouched). */
int http_forwarded_last(const char *xff, char *out, size_t cap) EW_MUST_CHECK;
/* Does an X-Forwarded-Proto value say the client spoke HTTPS to our proxy? Its last entry
 * (the one our proxy wrote) is "https", in any case, spaces around it ignored; NULL, empty,
 * "http" or anything else is false. */
bool http_forwarded_https(const char *xfp);

/* The response cache (http_cache.c). Keys are the request's path and query; bodies are
 * copied in and out, so cached and fresh answers have the same ownership. */
typedef struct http_cache http_cache;
http_cache *http_cache_new(size_t nslots);
void http_cache_free(http_cache *c);
/* On a fresh hit, fill out (status, type, body, disposition copied into ar) and return true. */
bool http_cache_get(http_cache *c, const char *key, int64_t now_ms, http_resp *out, arena *ar);
void http_cache_put(http_cache *c, const char *key, int64_t expires_ms, const http_resp *r);

#endif
