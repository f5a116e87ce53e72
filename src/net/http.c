/* http: the server core — the libmicrohttpd daemon, request bodies, routing and dispatch, the
 * reader pool, the memo and the server's lifecycle. Its parts live beside it: the response
 * buffer (http_buf.c), responses and tables (http_render.c), query arguments and bodies
 * (http_args.c), static files (http_static.c), identity and CSRF (http_session.c); the
 * handlers are in the route files (http_api.c, http_case.c, …).
 *
 * Threading: MHD runs a pool of worker threads, each with its own epoll loop; a request is
 * answered inside one call of on_request on one of them. Each request borrows a reader
 * (one read-only SQLite connection) from a pool guarded by a mutex: SQLite connections must
 * not be used by two threads at once, and opening one per request would cost more than the
 * query.
 *
 * Request bodies (POST) are accumulated per connection up to a limit (HTTP_JSON_MAX, or
 * HTTP_UPLOAD_MAX for attachment uploads); a larger body is refused with 413 — before it is
 * read when Content-Length announces it, else by discarding what arrives beyond the limit.
 *
 * Office data (accounts, sessions, cases, the ledger) go through one read-write store handle
 * used under a mutex: that traffic is human-paced, and the HJ 212 writer keeps its own handle.
 *
 * Identity: the ew_session cookie or an "Authorization: Bearer" token names a session
 * (office_session_get); without one the caller is the public. Requests that change something
 * and are authenticated by the cookie must carry the session's CSRF token in X-CSRF-Token;
 * anonymous ones are refused when their Origin is another site's (docs/api.md, "Access"). */
#include "net/http.h"
#include "net/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/bjtime.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "net/http_core.h"
#include "net/http_internal.h"
#include "store/office.h"

typedef struct pool_slot {
    ew_reader *rd;
    bool busy;
} pool_slot;

struct ew_http {
    struct MHD_Daemon *d;
    uint16_t port;
    char *db_path;
    char *static_dir;
    char *plan_path;
    const struct source_config *source; /* borrowed (ew_http_config) */
    ew_metrics *metrics;
    int64_t started_utc;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pool_slot *slots;
    size_t nslots;
    http_cache *cache;
    store *office;
    pthread_mutex_t office_mu;
    plan *plan;
    char plan_err[640];
    /* One memoised vector (http_memo_*): the monitoring targets behind the ledger. */
    pthread_mutex_t memo_mu;
    char *memo_key;
    double *memo_v;
    size_t memo_n;
    int64_t memo_expires_ms;
    /* TLS (ew_http_config.tls_cert/tls_key): the PEM texts, kept for the daemon's lifetime. */
    bool tls;
    char *tls_cert_pem, *tls_key_pem;
    /* Reverse-proxy mode (ew_http_config.trust_proxy). */
    http_ip trust[HTTP_TRUST_MAX];
    size_t ntrust;
};

/* What a connection keeps between the calls of on_request: the request body so far. */
typedef struct http_conn {
    http_buf body;
    size_t limit;
    bool too_large;
} http_conn;

void http_office_lock(http_req *r)
{
    pthread_mutex_lock(&r->server->office_mu);
}

void http_office_unlock(http_req *r)
{
    pthread_mutex_unlock(&r->server->office_mu);
}

/* ---- routing ------------------------------------------------------------------------ */

/* Match url against a template; path parameters are copied into the request's arena. */
static bool route_match(const char *tpl, const char *url, http_req *r)
{
    return http_route_match(tpl, url, &r->ar, r->params, &r->nparams);
}

static const http_route *route_at(size_t i);

int ew_http_route(size_t i, ew_http_route_info *out)
{
    const http_route *rt = route_at(i);
    if (!rt)
        return -1;
    out->method = rt->method;
    out->path = rt->path;
    return 0;
}

static ew_reader *pool_get(struct ew_http *h, char *err, size_t errcap)
{
    pthread_mutex_lock(&h->mu);
    size_t i;
    for (;;) {
        for (i = 0; i < h->nslots && h->slots[i].busy; i++)
            ;
        if (i < h->nslots)
            break;
        pthread_cond_wait(&h->cv, &h->mu);
    }
    h->slots[i].busy = true;
    pthread_mutex_unlock(&h->mu);
    if (!h->slots[i].rd) {
        h->slots[i].rd = ew_read_open(h->db_path, err, errcap);
        if (!h->slots[i].rd) {
            pthread_mutex_lock(&h->mu);
            h->slots[i].busy = false;
            pthread_cond_signal(&h->cv);
            pthread_mutex_unlock(&h->mu);
            return NULL;
        }
    }
    return h->slots[i].rd;
}

static void pool_put(struct ew_http *h, ew_reader *rd)
{
    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < h->nslots; i++)
        if (h->slots[i].rd == rd)
            h->slots[i].busy = false;
    pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    http_buf *b = cls;
    http_buf_put(b, "&", 1);
    http_buf_puts(b, key);
    http_buf_put(b, "=", 1);
    http_buf_puts(b, value ? value : "");
    return MHD_YES;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool http_memo_get(http_req *r, const char *key, double *v, size_t n)
{
    struct ew_http *h = r->server;
    pthread_mutex_lock(&h->memo_mu);
    bool hit = h->memo_key && !strcmp(h->memo_key, key) && h->memo_n == n &&
               mono_ms() < h->memo_expires_ms;
    if (hit)
        memcpy(v, h->memo_v, n * sizeof *v);
    pthread_mutex_unlock(&h->memo_mu);
    return hit;
}

void http_memo_put(http_req *r, const char *key, const double *v, size_t n, int ttl_s)
{
    struct ew_http *h = r->server;
    pthread_mutex_lock(&h->memo_mu);
    free(h->memo_key);
    free(h->memo_v);
    h->memo_key = xstrdup(key);
    h->memo_v = xmalloc(n * sizeof *v + 1);
    memcpy(h->memo_v, v, n * sizeof *v);
    h->memo_n = n;
    h->memo_expires_ms = mono_ms() + 1000 * (int64_t)ttl_s;
    pthread_mutex_unlock(&h->memo_mu);
}

/* The route tables, dispatched in this order: the data routes (http_api.c), the office
 * routes (http_account.c, http_case.c, http_ledger.c), the meta route (http_meta.c). A route file adds one line here. */
static const struct {
    const http_route *routes;
    const size_t *n;
} route_tables[] = {
    {http_routes, &http_nroutes},
    {http_account_routes, &http_account_nroutes},
    {http_case_routes, &http_case_nroutes},
    {http_ledger_routes, &http_ledger_nroutes},
    {http_meta_routes, &http_meta_nroutes},
    {http_emergency_routes, &http_emergency_nroutes},
    {http_source_routes, &http_source_nroutes},
    {http_water_routes, &http_water_nroutes},
    {http_dust_routes, &http_dust_nroutes},
    {http_flow_routes, &http_flow_nroutes},
    {http_ghg_routes, &http_ghg_nroutes},
};

/* The i-th route over all tables, or NULL past the last. */
static const http_route *route_at(size_t i)
{
    for (size_t t = 0; t < sizeof route_tables / sizeof route_tables[0]; t++) {
        if (i < *route_tables[t].n)
            return &route_tables[t].routes[i];
        i -= *route_tables[t].n;
    }
    return NULL;
}

static void api_dispatch(struct ew_http *h, http_req *r, const char *method, http_resp *out,
                         const char **allow)
{
    bool path_known = false, is_get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    http_buf methods = {0};
    http_identify(h->office, &h->office_mu, r);
    for (size_t i = 0; route_at(i); i++) {
        const http_route *rt = route_at(i);
        if (!route_match(rt->path, r->url, r))
            continue;
        path_known = true;
        if (!strstr(methods.p ? methods.p : "", rt->method)) {
            if (methods.n)
                http_buf_puts(&methods, ", ");
            http_buf_puts(&methods, rt->method);
            if (!strcmp(rt->method, "GET"))
                http_buf_puts(&methods, ", HEAD");
        }
        if (strcmp(rt->method, method) &&
            !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
            continue;
        free(methods.p);
        if (!is_get && http_csrf_check(r, out, !strcmp(rt->path, "/api/v1/login")))
            return;
        if (rt->need == HTTP_LOGIN && !r->logged_in) {
            http_denied(r, out, "this needs an account");
            return;
        }
        if (rt->need >= 0 && !http_may(r, (auth_action)rt->need)) {
            http_denied(
                r, out,
                auth_decide(r->who.role, r->who.org, r->who.org, (auth_action)rt->need).reason);
            return;
        }
        const char *fmt = http_arg(r, "format");
        if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json") && strcmp(fmt, "xlsx")) {
            http_error(out, 400, "bad_parameter", "format must be json, csv or xlsx, got '%s'",
                       fmt);
            return;
        }
        /* A workbook is a table file like CSV: every route that answers CSV answers it. */
        r->xlsx = fmt && !strcmp(fmt, "xlsx");
        r->csv = r->xlsx || (fmt && !strcmp(fmt, "csv"));
        /* Aggregates may come from the cache: key = path and query as sent, the caller's
         * role and organisation (what they may see differs), and the pinned clock when
         * there is one (the answer depends on "now"). */
        http_buf key = {0};
        if (rt->cache_s > 0 && is_get) {
            http_buf_puts(&key, r->url);
            MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &key);
            http_buf_printf(&key, "|%s|", auth_role_name(r->who.role));
            http_buf_puts(&key, r->who.org ? r->who.org : "");
            const char *fixed = getenv("ENVWATCH_NOW");
            if (fixed) {
                http_buf_put(&key, "@", 1);
                http_buf_puts(&key, fixed);
            }
            if (http_cache_get(h->cache, key.p, mono_ms(), out, &r->ar)) {
                out->cache_state = "hit";
                free(key.p);
                return;
            }
            out->cache_state = "miss";
        }
        char err[256] = "";
        r->db = pool_get(h, err, sizeof err);
        if (!r->db) {
            free(key.p);
            http_error(out, 503, "database_unavailable", "%s", err);
            return;
        }
        uint64_t full_before = h->office ? store_full_count(h->office) : 0;
        if (rt->flags & HTTP_LOCKED)
            pthread_mutex_lock(&h->office_mu);
        int st = rt->fn(r, out);
        if (rt->flags & HTTP_LOCKED)
            pthread_mutex_unlock(&h->office_mu);
        /* A write that failed because the disk is full is not a broken store: say so (507,
         * retry later) so that a client keeps its data and tries again once there is room.
         * The store wrote nothing of the request (every write is one transaction). */
        if (st == 500 && out->status == 500 && h->office &&
            store_full_count(h->office) != full_before) {
            ew_log(EW_LOG_ERROR, "http.storage_full", "route=\"%s %s\"", rt->method, rt->path);
            out->retry_after_s = 60;
            st = http_error(out, 507, "storage_full",
                            "the storage is full: nothing was saved; try again later");
        }
        /* A handler returns the status it answered with; anything else (an error path
         * that answered nothing, or a status that disagrees with the answer) is a bug the
         * caller must not see as a success. */
        if (st < 100 || st != out->status) {
            ew_log(EW_LOG_ERROR, "http.handler", "route=\"%s %s\" returned=%d answered=%d",
                   rt->method, rt->path, st, out->status);
            http_error(out, 500, "internal", "the request could not be answered");
        }
        pool_put(h, r->db);
        r->db = NULL;
        if (key.p && out->status == 200)
            http_cache_put(h->cache, key.p, mono_ms() + 1000 * rt->cache_s, out);
        free(key.p);
        return;
    }
    if (path_known) {
        *allow = http_strdup(&r->ar, methods.p);
        http_error(out, 405, "method_not_allowed", "%s is not allowed on %s (allowed: %s)", method,
                   r->url, methods.p);
    } else {
        http_error(out, 404, "not_found", "no API route %s", r->url);
    }
    free(methods.p);
}

static struct MHD_Response *make_response(const http_resp *out, const char *allow, bool tls)
{
    bool empty = out->status == 204 || !out->body.p;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(empty ? 0 : out->body.n, empty ? (void *)"" : out->body.p,
                                        empty ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (empty)
        free(out->body.p);
    if (out->status != 204)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                out->ctype ? out->ctype : "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            out->cache ? out->cache : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", HTTP_HSTS_VALUE);
    if (out->disposition)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, out->disposition);
    if (out->cache_state)
        MHD_add_response_header(resp, "X-Cache", out->cache_state);
    if (out->set_cookie)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, out->set_cookie);
    if (out->retry_after_s > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)out->retry_after_s);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    if (out->status == 401) /* RFC 9110 §11.6.1 */
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"envwatch\"");
    if (out->status == 405)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow ? allow : "GET, HEAD");
    return resp;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    http_conn *c = *con_cls;
    if (c) {
        free(c->body.p);
        free(c);
        *con_cls = NULL;
    }
}

static enum MHD_Result last_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    if (!strcasecmp(key, "X-Forwarded-For"))
        *(const char **)cls = value;
    return MHD_YES;
}

/* The client's IP address as text: the key of login throttles and rate limits, and what the
 * audit log records. The TCP peer's address; behind a trusted proxy (and only there) the
 * last hop of X-Forwarded-For, the address the proxy was connected from. Of several
 * X-Forwarded-For fields the last one holds that hop (RFC 9110 §5.3: they read as one
 * comma-separated list). An unusable last hop leaves the proxy's address. */
static void client_addr(const struct ew_http *h, struct MHD_Connection *conn, char *buf, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(buf, cap, "-");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)cap);
    if (!http_ip_list_has(h->trust, h->ntrust, sa))
        return;
    const char *xff = NULL;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, last_xff, &xff);
    char fwd[64];
    if (!http_forwarded_last(xff, fwd, sizeof fwd))
        snprintf(buf, cap, "%s", fwd);
}

static enum MHD_Result last_xfp(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    if (!strcasecmp(key, "X-Forwarded-Proto"))
        *(const char **)cls = value;
    return MHD_YES;
}

/* Did the client reach us over HTTPS? Directly when we terminate TLS; behind a trusted proxy
 * that terminates it, when the proxy says so in X-Forwarded-Proto. The answer decides the
 * session cookie's Secure and HSTS: a proxy that speaks plain HTTP to us must not make the
 * browser's cookie travel without Secure. An untrusted peer's header proves nothing. */
static bool client_tls(const struct ew_http *h, struct MHD_Connection *conn)
{
    if (h->tls)
        return true;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr || !http_ip_list_has(h->trust, h->ntrust, ci->client_addr))
        return false;
    const char *xfp = NULL;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, last_xfp, &xfp);
    return http_forwarded_https(xfp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct ew_http *h = cls;
    /* The first call announces the headers: a body announced larger than the route takes is
     * refused at once, so it is never read. Further calls bring the body in pieces; the
     * answer is given on the call without data. */
    if (!*con_cls) {
        http_conn *c = xcalloc(1, sizeof *c);
        c->limit = !strcmp(url, "/api/v1/attachments") ? HTTP_UPLOAD_MAX : HTTP_JSON_MAX;
        *con_cls = c;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > c->limit) {
            c->too_large = true;
            http_resp out = {0};
            http_error(&out, 413, "too_large", "the body is larger than %zu bytes", c->limit);
            struct MHD_Response *resp = make_response(&out, NULL, client_tls(h, conn));
            enum MHD_Result ret = MHD_queue_response(conn, 413, resp);
            MHD_destroy_response(resp);
            if (ret == MHD_YES)
                return MHD_YES;
        }
        return MHD_YES;
    }
    http_conn *c = *con_cls;
    if (*upload_data_size) {
        if (!c->too_large && c->body.n + *upload_data_size > c->limit) {
            c->too_large = true; /* the rest is discarded as it arrives */
            free(c->body.p);
            c->body = (http_buf){0};
        }
        if (!c->too_large)
            http_buf_put(&c->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (h->metrics)
        atomic_fetch_add_explicit(&h->metrics->http_requests, 1, memory_order_relaxed);

    struct MHD_Response *resp = NULL;
    int status = 0;
    const bool tls = client_tls(h, conn);
    if (strncmp(url, "/api/", 5)) {
        const bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
        if (get)
            resp = http_static_file(h->static_dir, url, tls, conn, &status);
        if (!resp && get && !strchr(strrchr(url, '/'), '.'))
            /* client-side routes load the app */
            resp = http_static_file(h->static_dir, "/", tls, conn, &status);
        if (resp) {
            enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
            MHD_destroy_response(resp);
            return ret;
        }
    }

    http_req r = {.conn = conn,
                  .server = h,
                  .method = method,
                  .url = url,
                  .body = c->body.p,
                  .body_n = c->body.n,
                  .office = h->office,
                  .plan = h->plan,
                  .plan_err = h->plan_err,
                  .metrics = h->metrics,
                  .plan_path = h->plan_path,
                  .source = h->source,
                  .static_dir = h->static_dir,
                  .now_utc = ew_now_utc(),
                  .started_utc = h->started_utc,
                  .tls = tls};
    arena_init(&r.ar, 4096);
    client_addr(h, conn, r.addr, sizeof r.addr);
    http_resp out = {.status = 500};
    const char *allow = NULL;
    if (strncmp(url, "/api/", 5))
        http_error(&out, 404, "not_found", "no file %s", url);
    else if (c->too_large)
        http_error(&out, 413, "too_large", "the body is larger than %zu bytes", c->limit);
    else
        api_dispatch(h, &r, method, &out, &allow);

    resp = make_response(&out, allow, r.tls);
    arena_free(&r.ar); /* after the headers: MHD copies them, and some live in the arena */
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)out.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- lifecycle ---------------------------------------------------------------------- */

/* The listen address: IPv4 only (the daemon is started without MHD_USE_IPv6). */
static int parse_listen(const char *addr, struct sockaddr_in *sa, char *err, size_t errcap)
{
    struct sockaddr_storage ss;
    if (net_addr_parse(addr, &ss)) {
        snprintf(err, errcap, "listen address must be HOST:PORT, got '%s'", addr ? addr : "(null)");
        return -1;
    }
    if (ss.ss_family != AF_INET) {
        snprintf(err, errcap, "listen address: '%s' is not an IPv4 address", addr);
        return -1;
    }
    memcpy(sa, &ss, sizeof *sa);
    return 0;
}

/* The default dashboard directory: web/dist beside the build directory of the executable
 * (build/envwatch -> ../web/dist), else web/dist under the working directory. */
static char *default_static_dir(void)
{
    char exe[PATH_MAX], cand[PATH_MAX + 32], real[PATH_MAX];
    if (!ew_exe_dir(exe, sizeof exe)) {
        snprintf(cand, sizeof cand, "%s/../web/dist", exe);
        if (realpath(cand, real))
            return xstrdup(real);
    }
    if (realpath("web/dist", real))
        return xstrdup(real);
    return NULL;
}

/* The plan for /plan, /targets and the ledger: loaded once, immutable while serving. The
 * configured file, else the default plan where service/plan looks for it ($ENVWATCH_DATA_DIR,
 * beside the executable's tree, ./data). */
static void load_plan(struct ew_http *h, const char *plan_path)
{
    char path[1024];
    if (plan_path)
        snprintf(path, sizeof path, "%s", plan_path);
    else
        (void)plan_default_path(path, sizeof path); /* a miss is reported by the load */
    plan_error pe;
    h->plan = plan_load_file(path, &pe);
    if (!h->plan) {
        char msg[512];
        snprintf(h->plan_err, sizeof h->plan_err, "%.100s: %.500s", path,
                 plan_error_format(&pe, msg, sizeof msg));
        ew_log(EW_LOG_WARN, "http.plan", "err=\"%s\"", h->plan_err);
    }
}

/* The whole of a PEM file (at most 1 MiB) as a NUL-terminated string the caller frees, or
 * NULL with a message naming the file. what: "certificate" or "private key"; marker: text a
 * PEM block of that kind holds ("CERTIFICATE-----", "PRIVATE KEY-----"). GnuTLS checks the
 * contents when the daemon starts; this catches the common mistakes with a clearer message. */
static char *read_pem(const char *path, const char *what, const char *marker, char *err,
                      size_t errcap)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        ew_errf(err, errcap, EW_EINVALID, "TLS %s %s: %s", what, path, strerror(errno));
        return NULL;
    }
    size_t cap = (size_t)1 << 20, n = 0;
    char *buf = xmalloc(cap + 1);
    n = fread(buf, 1, cap + 1, fp);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (bad || n > cap) {
        ew_errf(err, errcap, EW_EINVALID, "TLS %s %s: %s", what, path,
                bad ? "read error" : "larger than 1 MiB");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (strlen(buf) != n || !strstr(buf, "-----BEGIN ") || !strstr(buf, marker)) {
        ew_errf(err, errcap, EW_EINVALID, "TLS %s %s: not a PEM %s", what, path, what);
        free(buf);
        return NULL;
    }
    return buf;
}

/* TLS settings of cfg into h: 0, or -1 with a message. */
static int tls_setup(struct ew_http *h, const ew_http_config *cfg, char *err, size_t errcap)
{
    if (!cfg->tls_cert && !cfg->tls_key)
        return 0;
    if (!cfg->tls_cert || !cfg->tls_key) {
        ew_errf(err, errcap, EW_EINVALID, "TLS needs both a certificate and a private key");
        return -1;
    }
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        ew_errf(err, errcap, EW_EINVALID,
                "TLS: this libmicrohttpd was built without TLS support (GnuTLS)");
        return -1;
    }
    h->tls_cert_pem = read_pem(cfg->tls_cert, "certificate", "CERTIFICATE-----", err, errcap);
    if (!h->tls_cert_pem)
        return -1;
    h->tls_key_pem = read_pem(cfg->tls_key, "private key", "PRIVATE KEY-----", err, errcap);
    if (!h->tls_key_pem)
        return -1;
    h->tls = true;
    return 0;
}

ew_http *ew_http_start(const ew_http_config *cfg, char *err, size_t errcap)
{
    struct sockaddr_in sa;
    if (parse_listen(cfg->listen_addr, &sa, err, errcap))
        return NULL;
    if (!cfg->db_path) {
        snprintf(err, errcap, "http: no database path");
        return NULL;
    }
    /* Fail at start, not at the first request, when the database cannot be read. */
    ew_reader *probe = ew_read_open(cfg->db_path, err, errcap);
    if (!probe)
        return NULL;

    struct ew_http *h = xcalloc(1, sizeof *h);
    h->db_path = xstrdup(cfg->db_path);
    h->static_dir = cfg->static_dir ? xstrdup(cfg->static_dir) : default_static_dir();
    h->plan_path = cfg->plan_path ? xstrdup(cfg->plan_path) : NULL;
    h->source = cfg->source;
    h->metrics = cfg->metrics;
    h->started_utc = (int64_t)time(NULL);
    unsigned threads = cfg->threads ? cfg->threads : 4;
    h->nslots = threads;
    h->slots = xcalloc(h->nslots, sizeof *h->slots);
    h->slots[0].rd = probe;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    h->cache = http_cache_new(256);
    pthread_mutex_init(&h->office_mu, NULL);
    pthread_mutex_init(&h->memo_mu, NULL);
    h->office = store_open(cfg->db_path, err, errcap);
    if (!h->office) {
        ew_http_stop(h);
        return NULL;
    }
    if (cfg->trust_proxy &&
        http_ip_list_parse(cfg->trust_proxy, h->trust, HTTP_TRUST_MAX, &h->ntrust, err, errcap)) {
        char why[256];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errcap, "trusted proxies: %s", why);
        ew_http_stop(h);
        return NULL;
    }
    if (tls_setup(h, cfg, err, errcap)) {
        ew_http_stop(h);
        return NULL;
    }
    load_plan(h, cfg->plan_path);

    struct MHD_OptionItem tls_ops[] = {
        {h->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, h->tls_cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (h->tls)
        flags |= MHD_USE_TLS;
    errno = 0;
    h->d = MHD_start_daemon(
        flags, ntohs(sa.sin_port), NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        30u, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_peer, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        HTTP_CONN_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_ARRAY,
        tls_ops, MHD_OPTION_END);
    if (!h->d) {
        /* MHD reports a certificate GnuTLS refuses (a key that does not match it, a
         * malformed block) only on its error log; errno then says nothing useful. */
        if (h->tls)
            snprintf(err, errcap,
                     "http: cannot start HTTPS on %s: GnuTLS refused the certificate %s with "
                     "the private key %s (the reason is logged above)",
                     cfg->listen_addr, cfg->tls_cert, cfg->tls_key);
        else
            snprintf(err, errcap, "http: cannot listen on %s (%s)", cfg->listen_addr,
                     strerror(errno));
        ew_http_stop(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : ntohs(sa.sin_port);
    ew_log(EW_LOG_INFO, "http.listen", "addr=%s port=%u tls=%s trusted_proxies=%zu static=%s",
           cfg->listen_addr, (unsigned)h->port, h->tls ? "on" : "off", h->ntrust,
           h->static_dir ? h->static_dir : "-");
    return h;
}

uint16_t ew_http_port(const ew_http *h)
{
    return h->port;
}

void ew_http_stop(ew_http *h)
{
    if (!h)
        return;
    if (h->d)
        MHD_stop_daemon(h->d); /* joins the workers: no request is in flight after this */
    for (size_t i = 0; i < h->nslots; i++)
        ew_read_close(h->slots[i].rd);
    free(h->slots);
    http_cache_free(h->cache);
    store_close(h->office);
    plan_free(h->plan);
    pthread_mutex_destroy(&h->office_mu);
    pthread_mutex_destroy(&h->memo_mu);
    free(h->memo_key);
    free(h->memo_v);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    free(h->db_path);
    free(h->static_dir);
    free(h->plan_path);
    free(h->tls_cert_pem);
    if (h->tls_key_pem)
        sodium_memzero(h->tls_key_pem, strlen(h->tls_key_pem));
    free(h->tls_key_pem);
    free(h);
}
