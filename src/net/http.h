/* http: the HTTP API and the static dashboard, served by `envwatch serve --http`.
 *
 * ew_http_start() binds listen_addr ("HOST:PORT"), serves /api/v1/... from the database at
 * db_path (read-only connections of its own) and the dashboard's static files from
 * static_dir (NULL: the built-in default), and returns a handle, or NULL with a message
 * in err. metrics is borrowed and must outlive the handle (NULL: no metrics).
 * ew_http_stop() stops serving, waits for requests in flight and frees the handle. */
#ifndef EW_NET_HTTP_H
#define EW_NET_HTTP_H
#include <stddef.h>

#include "base/metrics.h"

typedef struct ew_http ew_http;

typedef struct ew_http_config {
    const char *listen_addr; /* "127.0.0.1:8080" */
    const char *db_path;     /* SQLite database file */
    const char *static_dir;  /* dashboard assets (web/dist); NULL = default */
    ew_metrics *metrics;     /* borrowed; may be NULL */
} ew_http_config;

ew_http *ew_http_start(const ew_http_config *cfg, char *err, size_t errcap);
void ew_http_stop(ew_http *h);

#endif
