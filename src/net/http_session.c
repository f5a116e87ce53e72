/* http_session: who is asking (a Bearer token or the session cookie, looked up in the office
 * store), what the caller may do, and the CSRF rules of requests that change something. */
#include <microhttpd.h>
#include <pthread.h>
#include <string.h>

#include "base/log.h"
#include "net/http_core.h"
#include "store/office.h"

bool http_may(const http_req *r, auth_action a)
{
    return auth_decide(r->who.role, r->who.org, r->who.org, a).allow;
}

int http_denied(http_req *r, http_resp *out, const char *why)
{
    if (!r->logged_in)
        return http_error(out, 401, "login_required", "log in first: %s", why);
    return http_error(out, 403, "forbidden", "%s", why);
}

static int session_found(void *ctx, const office_session *ses, const office_user *u)
{
    http_req *r = ctx;
    ew_role role;
    if (ses->expires_utc <= r->now_utc || u->disabled || auth_role_parse(u->role, &role))
        return 0;
    r->who.name = http_strdup(&r->ar, u->name);
    r->who.role = role;
    r->who.org = u->org ? http_strdup(&r->ar, u->org) : NULL;
    r->display = http_strdup(&r->ar, u->display ? u->display : u->name);
    r->csrf = http_strdup(&r->ar, ses->csrf ? ses->csrf : "");
    r->expires_utc = ses->expires_utc;
    r->logged_in = true;
    return 0;
}

/* Who is asking: a Bearer token, else the session cookie, else the public. */
void http_identify(store *office, pthread_mutex_t *office_mu, http_req *r)
{
    r->who = (case_actor){.name = "public", .role = EW_ROLE_PUBLIC, .org = NULL};
    char tok[AUTH_TOKEN_TEXT];
    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "ew_session");
    int from = http_request_token(authz, cookie, tok);
    if (from == 0)
        return;
    bool bearer = from == HTTP_TOKEN_BEARER;
    auth_token_hash(tok, r->token_hash);
    char err[256];
    pthread_mutex_lock(office_mu);
    int rc = office_session_get(office, r->token_hash, session_found, r, err, sizeof err);
    pthread_mutex_unlock(office_mu);
    if (rc < 0)
        ew_log(EW_LOG_WARN, "http.session", "err=\"%s\"", err);
    r->via_cookie = r->logged_in && !bearer;
}

/* CSRF rules for requests that change something (docs/api.md, "Access"). 0, or answers 403
 * and returns 403. */
int http_csrf_check(http_req *r, http_resp *out, bool is_login)
{
    if (r->logged_in && r->via_cookie && !is_login) {
        const char *x = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!http_secret_equal(x, r->csrf))
            return http_error(out, 403, "csrf",
                              "a request authenticated by the session cookie must carry the "
                              "session's X-CSRF-Token");
        return 0;
    }
    if (r->logged_in && !is_login)
        return 0; /* Bearer: browsers never send it by themselves */
    const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
    if (origin && !http_origin_matches(origin, host))
        return http_error(out, 403, "csrf", "cross-site request refused (Origin %s, Host %s)",
                          origin, host ? host : "-");
    return 0;
}
