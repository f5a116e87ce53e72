/* http: the HTTP API and the static dashboard, served by `envwatch serve --http`.
 *
 * ew_http_start() binds listen_addr ("HOST:PORT") over HTTP or HTTPS, serves /api/v1/... from the
 * database at db_path (read-only connections of its own) and the dashboard's static files from
 * static_dir (NULL: the built-in default), and returns a handle, or NULL with a message
 * in err. metrics is borrowed and must outlive the handle (NULL: no metrics).
 * ew_http_stop() stops serving, waits for requests in flight and frees the handle.
 *
 * The server runs its own thread pool (libmicrohttpd, internal epoll); each worker borrows
 * one read-only SQLite connection from a pool, so the HJ 212 writer is never blocked (WAL).
 * The API is described in docs/api.md and docs/openapi.json; the route table below is the
 * single source of truth that a test compares with the OpenAPI document. */
#ifndef EW_NET_HTTP_H
#define EW_NET_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "base/metrics.h"

typedef struct ew_http ew_http;

typedef struct ew_http_config {
    const char *listen_addr; /* "127.0.0.1:8080" */
    const char *db_path;     /* the database locator (store_open: "sqlite:PATH" or a path) */
    const char *static_dir;  /* dashboard assets (web/dist); NULL = default: ../web/dist
                                beside the executable's directory, else ./web/dist */
    ew_metrics *metrics;     /* borrowed; may be NULL */
    unsigned threads;        /* worker threads; 0 = 4 */
    const char *plan_path;   /* plan file for /targets; NULL = the default plan, found
                                as service/plan.h's plan_find_default() does */
    /* HTTPS (libmicrohttpd with GnuTLS): PEM files of the certificate (chain) and its
     * unencrypted private key; both NULL = plain HTTP. Read once at start. With TLS on, the
     * session cookie carries Secure and every response Strict-Transport-Security. */
    const char *tls_cert;
    const char *tls_key;
    /* Reverse-proxy mode: the addresses of trusted proxies ("10.0.0.5" or "10.0.0.5,::1");
     * NULL = none. Only when the TCP peer is one of them is the last hop of X-Forwarded-For
     * taken as the client's address (login throttling, rate limits, the audit log). */
    const char *trust_proxy;
    /* Concurrent connections from one TCP peer address; 0 = unlimited. Behind a reverse
     * proxy every connection comes from the proxy. */
    unsigned max_per_peer;
    /* The pollution-source scan's configuration, shown by GET /rules (borrowed; must outlive
     * the server); NULL = source_config_default(). */
    const struct source_config *source;
} ew_http_config;

ew_http *ew_http_start(const ew_http_config *cfg, char *err, size_t errcap);
void ew_http_stop(ew_http *h);
/* The TCP port actually bound (useful with port 0). */
uint16_t ew_http_port(const ew_http *h);

/* One API route as the router sees it: method and path template ("/api/v1/sites/{id}"). */
typedef struct ew_http_route_info {
    const char *method;
    const char *path;
} ew_http_route_info;
/* The i-th API route, in table order: 0 and *out filled, or -1 past the end. The strings
 * are static. */
int ew_http_route(size_t i, ew_http_route_info *out);

#endif
