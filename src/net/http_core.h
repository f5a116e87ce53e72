/* http_core: the parts of the HTTP server core (http.c) kept in files of their own — static
 * files (http_static.c), identity and CSRF (http_session.c) — as the core calls them. Not an
 * interface: only src/net/http*.c include it. */
#ifndef EW_NET_HTTP_CORE_H
#define EW_NET_HTTP_CORE_H
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>

#include "net/http_internal.h"
#include "store/store.h"

/* RFC 6797 §6.1: a year, the usual value; no includeSubDomains, since other hosts of the
 * bureau's domain are not ours to commit to HTTPS. Sent only over HTTPS (§7.2). */
#define HTTP_HSTS_VALUE "max-age=31536000"

/* The file of the dashboard build under static_dir that url names ("/" is /index.html), as a
 * response with its type, a weak ETag and cache headers (HSTS too when tls); *status is 200,
 * or 304 when the request's If-None-Match names the same ETag. NULL, *status untouched, when
 * static_dir is NULL, the path is not a plain one (a "..", a hidden segment, a backslash) or
 * no regular file is there: the caller then answers 404 or serves the app. The caller owns
 * the response (MHD_destroy_response after queueing it). */
struct MHD_Response *http_static_file(const char *static_dir, const char *url, bool tls,
                                      struct MHD_Connection *conn, int *status);

/* Who is asking: fills r->who, display, csrf, expires_utc, logged_in and via_cookie from a
 * Bearer token or the ew_session cookie, looked up in office under office_mu. Without a
 * valid, unexpired session of an enabled account r->who is the public. A store error is
 * logged and leaves the caller the public; the strings live in r's arena. */
void http_identify(store *office, pthread_mutex_t *office_mu, http_req *r);

/* CSRF rules for a request that changes something (docs/api.md, "Access"): a cookie session
 * must carry its X-CSRF-Token, an anonymous request (or a login) must not come from another
 * site's Origin. 0 when allowed, else answers 403 in out and returns 403. */
int http_csrf_check(http_req *r, http_resp *out, bool is_login);

#endif
