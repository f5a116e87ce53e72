/* http_account: the account routes — login, logout and the session (service/account), the
 * administration of accounts and the audit log. */
#include "net/http_office_util.h"

/* ---- login, logout, session --------------------------------------------------------- */

typedef struct {
    arena *ar;
    bool found;
    int64_t id;
    char *name, *display, *role, *org, *hash;
    bool disabled;
} user_copy;

static int copy_user(void *ctx, const office_user *u)
{
    user_copy *c = ctx;
    c->found = true;
    c->id = u->id;
    c->name = http_strdup(c->ar, u->name);
    c->display = u->display ? http_strdup(c->ar, u->display) : NULL;
    c->role = http_strdup(c->ar, u->role);
    c->org = u->org ? http_strdup(c->ar, u->org) : NULL;
    c->hash = http_strdup(c->ar, u->pw_hash ? u->pw_hash : "");
    c->disabled = u->disabled;
    return 0;
}

static void office_lock_cb(void *r)
{
    http_office_lock(r);
}

static void office_unlock_cb(void *r)
{
    http_office_unlock(r);
}

/* POST /login: service/account does the work, holding the office lock around store calls
 * only (the route is not HTTP_LOCKED: the password check takes 0.1 s). */
static int h_login(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    const char *name = jstr(b, "name"), *pw = jstr(b, "password");
    if (!name || !pw || strlen(name) > 64) {
        json_decref(b);
        return http_error(out, 400, "bad_body", "name and password are required");
    }
    account_lock lk = {office_lock_cb, office_unlock_cb, r};
    account_session ses;
    char err[256];
    int rc = account_login(r->office, &lk, name, pw, r->addr, r->now_utc, &ses, err, sizeof err);
    json_decref(b);
    if (rc == ACCOUNT_E_THROTTLED) {
        http_error(out, 429, "throttled", "too many failed logins: try again in %lld s",
                   (long long)ses.retry_after_s);
        out->retry_after_s = ses.retry_after_s;
        return out->status;
    }
    if (rc == ACCOUNT_E_CREDENTIALS)
        return http_error(out, 401, "bad_credentials", "unknown account or wrong password");
    if (rc < 0)
        return store_err(out, err);
    out->set_cookie = http_session_cookie(&r->ar, ses.token, ACCOUNT_SESSION_TTL_S, r->tls);
    return http_json(
        out, 200,
        json_pack("{s:o,s:s,s:s,s:o}", "user",
                  user_json(ses.name, ses.display, ses.role, ses.org[0] ? ses.org : NULL), "csrf",
                  ses.csrf, "token", ses.token, "expires", iso(ses.expires_utc)));
}

static int h_logout(http_req *r, http_resp *out)
{
    char err[256];
    if (account_logout(r->office, NULL, r->token_hash, r->who.name, r->addr, r->now_utc, err,
                       sizeof err) < 0)
        return store_err(out, err);
    out->set_cookie = http_session_cookie(&r->ar, "", 0, r->tls);
    out->status = 204;
    return out->status;
}

static int h_session(http_req *r, http_resp *out)
{
    return http_json(out, 200,
                     json_pack("{s:o,s:o,s:o}", "user", me_json(r), "csrf",
                               r->logged_in ? json_string(r->csrf) : json_null(), "expires",
                               r->logged_in ? iso(r->expires_utc) : json_null()));
}

/* ---- users and the audit log -------------------------------------------------------- */

static int add_user_row(void *ctx, const office_user *u)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:o,s:b,s:o}", "name", u->name, "display",
                                         u->display ? u->display : u->name, "role", u->role, "org",
                                         str_or_null(u->org), "disabled", u->disabled, "created",
                                         iso(u->created_utc)));
    return 0;
}

static int h_users(http_req *r, http_resp *out)
{
    json_t *rows = json_array();
    char err[256];
    if (office_users_each(r->office, add_user_row, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return store_err(out, err);
    }
    return http_table(r, out, rows, NULL, "users");
}

/* The account fields a body may set, checked: role names a role, unit accounts name a unit
 * of the plan (bureau staff may: their department), enterprise accounts name an enterprise,
 * a password is 8-256 bytes. 0, or answers 422 and returns 422. */
static int check_account(http_req *r, http_resp *out, const char *role, const char *org)
{
    ew_role ro;
    if (!role || auth_role_parse(role, &ro))
        return invalid(out, "role must be admin, bureau, unit, enterprise, auditor or public");
    if ((ro == EW_ROLE_UNIT || ro == EW_ROLE_ENTERPRISE) && !org)
        return invalid(out, "a %s account needs org", role);
    if ((ro == EW_ROLE_UNIT || (ro == EW_ROLE_BUREAU && org)) &&
        (!r->plan || !plan_unit_by_id(r->plan, org)))
        return invalid(out, "org %s is not a unit of the plan", org);
    return 0;
}

/* POST /users creates; an existing name is 409, never overwritten (an update goes through
 * POST /users/{name}, which names what it changes). */
static int h_user_create(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    const char *name = jstr(b, "name"), *display = jstr(b, "display"), *role = jstr(b, "role");
    const char *org = jstr(b, "org"), *pw = jstr(b, "password");
    char hash[AUTH_HASH_MAX], err[256];
    user_copy old = {.ar = &r->ar};
    int rc = 0;
    if (!name || !*name || strlen(name) > 64)
        rc = invalid(out, "name (1-64 bytes) is required");
    else if (check_account(r, out, role, org))
        rc = -1;
    else if (office_user_get(r->office, name, copy_user, &old, err, sizeof err) < 0)
        rc = store_err(out, err);
    else if (old.found)
        rc = (http_error(out, 409, "conflict",
                         "account %s exists; change it with POST /api/v1/users/%s", name, name),
              -1);
    else if (!pw || auth_password_hash(pw, hash))
        rc = invalid(out, "password must be %d to %d bytes", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    office_user u = {.name = name,
                     .display = display,
                     .role = role,
                     .org = org,
                     .pw_hash = hash,
                     .created_utc = r->now_utc};
    int64_t id = 0;
    if (office_user_put(r->office, &u, &id, err, sizeof err) < 0) {
        json_decref(b);
        return store_err(out, err);
    }
    char detail[160];
    snprintf(detail, sizeof detail, "role=%s org=%s", role, org ? org : "-");
    audit(r, r->who.name, "user.add", name, detail);
    json_t *doc = json_pack("{s:o}", "user", user_json(name, display, role, org));
    json_decref(b);
    return http_json(out, 201, doc);
}

/* POST /users/{name}: change what the body names (display, role, org, password, disabled);
 * the rest stays. Disabling takes effect at the account's next request: a session of a
 * disabled account is no longer honoured. An administrator cannot disable or demote
 * themself, so the platform never loses its last way in by one click. */
static int h_user_update(http_req *r, http_resp *out)
{
    const char *name = r->params[0];
    char err[256], hash[AUTH_HASH_MAX];
    user_copy u = {.ar = &r->ar};
    if (office_user_get(r->office, name, copy_user, &u, err, sizeof err) < 0)
        return store_err(out, err);
    if (!u.found)
        return http_error(out, 404, "not_found", "no account %s", name);
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *dis = json_object_get(b, "disabled");
    const char *display = json_object_get(b, "display") ? jstr(b, "display") : u.display;
    const char *role = json_object_get(b, "role") ? jstr(b, "role") : u.role;
    const char *org = json_object_get(b, "org") ? jstr(b, "org") : u.org;
    const char *pw = jstr(b, "password");
    bool disabled = dis ? json_is_true(dis) : u.disabled;
    int rc = 0;
    if (dis && !json_is_boolean(dis))
        rc = invalid(out, "disabled must be true or false");
    else if (check_account(r, out, role, org))
        rc = -1;
    else if (!strcmp(name, r->who.name) && (disabled || strcmp(role, "admin")))
        rc = invalid(out, "an administrator may not disable or demote their own account");
    else if (pw && auth_password_hash(pw, hash))
        rc = invalid(out, "password must be %d to %d bytes", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    office_user nu = {.name = name,
                      .display = display,
                      .role = role,
                      .org = org,
                      .pw_hash = pw ? hash : u.hash,
                      .disabled = disabled};
    if (office_user_put(r->office, &nu, NULL, err, sizeof err) < 0) {
        json_decref(b);
        return store_err(out, err);
    }
    char detail[192];
    snprintf(detail, sizeof detail, "role=%s org=%s disabled=%s%s", role, org ? org : "-",
             disabled ? "yes" : "no", pw ? " password=changed" : "");
    audit(r, r->who.name, "user.update", name, detail);
    json_t *doc = json_pack("{s:o}", "user", user_json(name, display, role, org));
    json_object_set_new(json_object_get(doc, "user"), "disabled", json_boolean(disabled));
    json_decref(b);
    return http_json(out, 200, doc);
}

static int add_audit_row(void *ctx, const office_audit *a)
{
    json_array_append_new(ctx, json_pack("{s:o,s:s,s:s,s:o,s:o,s:o}", "at", iso(a->at_utc), "actor",
                                         a->actor, "action", a->action, "object",
                                         str_or_null(a->object), "detail", str_or_null(a->detail),
                                         "addr", str_or_null(a->addr)));
    return 0;
}

static int h_audit(http_req *r, http_resp *out)
{
    int64_t limit, offset, total = 0;
    if (http_page_args(r, out, &limit, &offset))
        return out->status;
    json_t *rows = json_array();
    char err[256];
    if (office_audit_each(r->office, limit, offset, &total, add_audit_row, rows, err, sizeof err) <
        0) {
        json_decref(rows);
        return store_err(out, err);
    }
    return http_table_page(r, out, rows, total, limit, offset, NULL, "audit");
}

/* ---- the route table ---------------------------------------------------------------- */

const http_route http_account_routes[] = {
    {"POST", "/api/v1/login", h_login, 0, HTTP_ANYONE, 0},
    {"POST", "/api/v1/logout", h_logout, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/session", h_session, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/users", h_users, 0, AUTH_USER_MANAGE, HTTP_LOCKED},
    {"POST", "/api/v1/users", h_user_create, 0, AUTH_USER_MANAGE, HTTP_LOCKED},
    {"POST", "/api/v1/users/{name}", h_user_update, 0, AUTH_USER_MANAGE, HTTP_LOCKED},
    {"GET", "/api/v1/audit", h_audit, 0, AUTH_AUDIT_READ, HTTP_LOCKED},
};
const size_t http_account_nroutes = sizeof http_account_routes / sizeof http_account_routes[0];
