/* http_office: the office routes — accounts and sessions, attachments, public reports (随手拍),
 * cases (the closed loop 发现 → 交办 → 督办 → 整改 → 销号), rewards, the plan and its ledger.
 *
 * Every decision about who may do what is auth_decide's (service/auth.h) or casework's and
 * ledgerbook's, which use the same table; every change goes through casework_* or
 * ledgerbook_* (one transaction each) or store/office.h. No SQL lives here. Handlers marked
 * HTTP_LOCKED in the table run holding the office lock; login takes it itself so that the
 * Argon2id verification (about 0.1 s) does not hold up everyone else. */
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "net/http_internal.h"
#include "service/casework.h"
#include "service/ledger.h"
#include "service/ledgerbook.h"
#include "store/office.h"

/* Seconds the monitoring targets behind the ledger are reused (as /targets is cached). */
#define TARGETS_MEMO_S 60
#define SESSION_TTL_S 43200 /* 12 hours */
#define REPORTS_PER_HOUR 5  /* public reports per client address */
#define UPLOADS_PER_HOUR 20 /* anonymous uploads per client address */
#define RATE_WINDOW_S 3600

/* ---- small helpers ------------------------------------------------------------------ */

static json_t *iso(int64_t t_utc)
{
    char b[32];
    ew_format_iso_bj(t_utc, b, sizeof b);
    return json_string(b);
}

static json_t *iso_or_null(int64_t t_utc)
{
    return t_utc ? iso(t_utc) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *jstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v && *v ? v : NULL;
}

static json_t *day_json(int64_t day)
{
    int y, m, d;
    ew_civil_from_days(day, &y, &m, &d);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
    return json_string(b);
}

/* Answer 422 invalid; returns 422. */
static int invalid(http_resp *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int invalid(http_resp *out, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return http_error(out, 422, "invalid", "%s", msg);
}

static int store_err(http_resp *out, const char *err)
{
    return http_error(out, 500, "database_error", "%s", err);
}

static int need_plan(http_req *r, http_resp *out)
{
    if (!r->plan)
        return http_error(out, 500, "plan_unreadable", "%s", r->plan_err);
    return 0;
}

/* A time argument of a body: "YYYY-MM-DD" means the end of that Beijing day (a deadline
 * day ends at the following midnight), a time means that instant. 0 if absent, -1 if bad. */
static int body_time(json_t *o, const char *k, int64_t *t)
{
    const char *v = jstr(o, k);
    *t = 0;
    if (!v)
        return 0;
    ew_civil c;
    if (ew_parse_iso(v, strlen(v), &c))
        return -1;
    *t = strlen(v) == 10 ? plan_day_end_utc(ew_days_from_civil(c.year, c.mon, c.day))
                         : ew_bj_to_utc(&c);
    return 0;
}

/* Attachment keys of a body array, copied into the request's arena. 0, or -1 when the value
 * is not an array of strings. */
static int body_keys(http_req *r, json_t *o, const char *k, const char ***keys, size_t *n)
{
    json_t *a = json_object_get(o, k);
    *keys = NULL;
    *n = 0;
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 32)
        return -1;
    const char **v = arena_alloc(&r->ar, (json_array_size(a) + 1) * sizeof *v);
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        if (!json_is_string(e))
            return -1;
        v[i] = http_strdup(&r->ar, json_string_value(e));
    }
    *keys = v;
    *n = json_array_size(a);
    return 0;
}

static int att_exists_cb(void *ctx, const office_attachment *a)
{
    (void)ctx, (void)a;
    return 0;
}

/* Every key names a stored attachment: 0, or answers 422 and returns 422. */
static int keys_exist(http_req *r, http_resp *out, const char *const *keys, size_t n)
{
    char err[256];
    for (size_t i = 0; i < n; i++) {
        int rc = office_attachment_get(r->office, keys[i], att_exists_cb, NULL, err, sizeof err);
        if (rc < 0)
            return store_err(out, err);
        if (rc == 0)
            return http_error(out, 422, "invalid", "no attachment %s (upload it first)", keys[i]);
    }
    return 0;
}

/* The "evidence" of a body: attachment keys, each already uploaded. 0, or answers 422 (not a
 * list of keys, an unknown key) or 500 and returns that status. */
static int body_evidence(http_req *r, http_resp *out, json_t *b, const char ***ev, size_t *n)
{
    if (body_keys(r, b, "evidence", ev, n))
        return invalid(out, "evidence must be a list of attachment keys");
    return keys_exist(r, out, *ev, *n);
}

static json_t *keys_json(const char *const *keys, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(keys[i]));
    return a;
}

static int audit(http_req *r, const char *actor, const char *action, const char *object,
                 const char *detail)
{
    office_audit a = {.at_utc = r->now_utc,
                      .actor = actor,
                      .action = action,
                      .object = object,
                      .detail = detail,
                      .addr = r->addr};
    char err[256];
    int rc = office_audit_append(r->office, &a, err, sizeof err);
    if (rc < 0)
        ew_log(EW_LOG_ERROR, "http.audit", "err=\"%s\"", err);
    return rc;
}

/* A rate limit hit for key+address; true (and a 429 answered) when over max per hour. */
static bool rate_limited(http_req *r, http_resp *out, const char *what, int max)
{
    char key[160], err[256];
    snprintf(key, sizeof key, "%s:%s", what, r->addr);
    int n = office_rate_hit(r->office, key, r->now_utc, RATE_WINDOW_S, err, sizeof err);
    if (n < 0) {
        store_err(out, err);
        return true;
    }
    if (n > max) {
        http_error(out, 429, "rate_limited", "at most %d %s per hour from one address", max, what);
        out->retry_after_s = RATE_WINDOW_S - (r->now_utc % RATE_WINDOW_S);
        return true;
    }
    return false;
}

static json_t *user_json(const char *name, const char *display, const char *role, const char *org)
{
    return json_pack("{s:s,s:s,s:s,s:o}", "name", name, "display", display ? display : name, "role",
                     role, "org", str_or_null(org));
}

static json_t *me_json(http_req *r)
{
    return r->logged_in
               ? user_json(r->who.name, r->display, auth_role_name(r->who.role), r->who.org)
               : json_null();
}

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

/* A valid hash of a password nobody has: unknown accounts cost the same verification as
 * known ones, so timing does not tell which names exist. */
static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
    unsigned char rnd[16];
    char pw[33];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
    if (auth_password_hash(pw, dummy_hash))
        dummy_hash[0] = '\0';
}

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
    name = http_strdup(&r->ar, name);
    pw = http_strdup(&r->ar, pw);
    json_decref(b);
    pthread_once(&dummy_once, make_dummy);

    char err[256];
    office_throttle ot;
    user_copy u = {.ar = &r->ar};
    http_office_lock(r);
    int rc = office_throttle_get(r->office, name, r->addr, &ot, err, sizeof err);
    if (rc >= 0)
        rc = office_user_get(r->office, name, copy_user, &u, err, sizeof err);
    http_office_unlock(r);
    if (rc < 0)
        return store_err(out, err);
    auth_throttle t = {ot.failures, ot.last_failure_utc, ot.next_allowed_utc};
    int64_t wait = 0;
    if (!auth_throttle_allows(&t, r->now_utc, &wait)) {
        http_error(out, 429, "throttled", "too many failed logins: try again in %lld s",
                   (long long)wait);
        out->retry_after_s = wait > 0 ? wait : 1;
        return out->status;
    }
    /* Verified outside the lock: Argon2id costs about 0.1 s and 64 MiB by design. */
    bool good =
        auth_password_verify(u.found ? u.hash : dummy_hash, pw) == 0 && u.found && !u.disabled;
    ew_role role = EW_ROLE_PUBLIC;
    if (good && auth_role_parse(u.role, &role))
        good = false;

    if (!good) {
        http_office_lock(r);
        auth_throttle_failure(&t, r->now_utc);
        office_throttle nt = {t.failures, t.last_failure_utc, t.next_allowed_utc};
        rc = office_throttle_put(r->office, name, r->addr, &nt, err, sizeof err);
        audit(r, name, "login_failed", NULL, NULL);
        http_office_unlock(r);
        if (rc < 0)
            return store_err(out, err);
        return http_error(out, 401, "bad_credentials", "unknown account or wrong password");
    }
    /* A hash made with older limits is upgraded while the password is at hand
     * (auth.h: the limits live inside the string). Outside the lock: it costs a hash. */
    char rehash[AUTH_HASH_MAX] = "";
    if (auth_password_needs_rehash(u.hash) && auth_password_hash(pw, rehash))
        rehash[0] = '\0';
    http_office_lock(r);
    char token[AUTH_TOKEN_TEXT], csrf[AUTH_TOKEN_TEXT];
    auth_session ses, unused;
    if (auth_token_new(r->now_utc, SESSION_TTL_S, token, &ses) ||
        auth_token_new(r->now_utc, SESSION_TTL_S, csrf, &unused)) {
        http_office_unlock(r);
        return http_error(out, 500, "internal", "could not make a session token");
    }
    office_session os = {.user_id = u.id,
                         .csrf = csrf,
                         .created_utc = ses.created_utc,
                         .expires_utc = ses.expires_utc};
    memcpy(os.token_hash, ses.token_hash, sizeof os.token_hash);
    rc = office_throttle_clear(r->office, name, r->addr, err, sizeof err);
    if (rc >= 0)
        rc = office_session_put(r->office, &os, err, sizeof err);
    /* Expired sessions are dropped here: logins are rare enough to carry the sweep, and a
     * session table that only grows would slow every lookup. */
    if (rc >= 0)
        rc = office_sessions_purge(r->office, r->now_utc, err, sizeof err);
    if (rc >= 0 && rehash[0]) {
        office_user nu = {.name = u.name,
                          .display = u.display,
                          .role = u.role,
                          .org = u.org,
                          .pw_hash = rehash,
                          .disabled = u.disabled};
        rc = office_user_put(r->office, &nu, NULL, err, sizeof err);
    }
    if (rc >= 0)
        audit(r, name, "login", NULL, NULL);
    http_office_unlock(r);
    if (rc < 0)
        return store_err(out, err);
    out->set_cookie = http_session_cookie(&r->ar, token, SESSION_TTL_S, r->tls);
    return http_json(out, 200,
                     json_pack("{s:o,s:s,s:s,s:o}", "user",
                               user_json(u.name, u.display, u.role, u.org), "csrf", csrf, "token",
                               token, "expires", iso(ses.expires_utc)));
}

static int h_logout(http_req *r, http_resp *out)
{
    char err[256];
    if (office_session_delete(r->office, r->token_hash, err, sizeof err) < 0)
        return store_err(out, err);
    audit(r, r->who.name, "logout", NULL, NULL);
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

/* ---- attachments -------------------------------------------------------------------- */

static int h_attachment_put(http_req *r, http_resp *out)
{
    char mime[64];
    http_media_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type"), mime,
                    sizeof mime);
    if (!r->logged_in && rate_limited(r, out, "uploads", UPLOADS_PER_HOUR))
        return out->status;
    if (strcmp(mime, "image/jpeg") && strcmp(mime, "image/png") && strcmp(mime, "image/webp") &&
        strcmp(mime, "application/pdf"))
        return http_error(out, 415, "unsupported_media_type",
                          "Content-Type must be image/jpeg, image/png, image/webp or "
                          "application/pdf, got '%s'",
                          mime);
    if (!http_magic_matches(mime, r->body, r->body_n))
        return http_error(out, 415, "unsupported_media_type",
                          "the file does not begin as a %s file does", mime);
    char key[OFFICE_KEY_LEN + 1], err[256];
    if (office_attachment_put(r->office, r->body, r->body_n, mime,
                              r->logged_in ? r->who.name : "public", r->now_utc, key, err,
                              sizeof err) < 0)
        return store_err(out, err);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(h, (const unsigned char *)r->body, r->body_n);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return http_json(out, 201,
                     json_pack("{s:s,s:s,s:I,s:s}", "key", key, "mime", mime, "size",
                               (json_int_t)r->body_n, "sha256", hex));
}

typedef struct {
    http_req *r;
    http_resp *out;
    bool found;
    char *uploader;
} att_get;

static int att_body(void *ctx, const office_attachment *a)
{
    att_get *g = ctx;
    g->found = true;
    g->uploader = http_strdup(&g->r->ar, a->uploader ? a->uploader : "");
    g->out->ctype = http_strdup(&g->r->ar, a->mime);
    g->out->body.n = 0;
    http_buf_put(&g->out->body, a->data, a->size);
    return 0;
}

static int h_attachment_get(http_req *r, http_resp *out)
{
    const char *key = r->params[0];
    att_get g = {.r = r, .out = out};
    char err[256];
    if (strlen(key) != OFFICE_KEY_LEN)
        return http_error(out, 404, "not_found", "no attachment %s", key);
    if (office_attachment_get(r->office, key, att_body, &g, err, sizeof err) < 0)
        return store_err(out, err);
    bool may = false;
    if (g.found) {
        /* Readers of every case (bureau, auditors, admins); unit staff when a case assigned
         * to their unit or their unit's ledger entry uses it; whoever uploaded it. */
        may = auth_decide(r->who.role, r->who.org, NULL, AUTH_CASE_READ).allow;
        if (!may && r->logged_in && !strcmp(g.uploader, r->who.name))
            may = true;
        if (!may && r->who.role == EW_ROLE_UNIT && r->who.org) {
            int v = office_attachment_visible(r->office, key, r->who.org, err, sizeof err);
            if (v < 0)
                return store_err(out, err);
            may = v == 1;
        }
    }
    if (!may) {
        out->body.n = 0;
        return http_error(out, 404, "not_found", "no attachment %s", key);
    }
    out->status = 200;
    out->cache = "private, max-age=86400";
    out->disposition = "inline";
    return out->status;
}

/* ---- names of the case machine ------------------------------------------------------ */

/* An action a caller may ask for: any transition name, not "create" (cases open by POST). */
static int parse_action(const char *s, case_action *out)
{
    return case_action_parse(s, out) || *out == CASE_ACT_CREATE ? -1 : 0;
}

static const char *state_zh(const char *name)
{
    case_state st;
    return case_state_parse(name, &st) ? "" : case_state_label_zh(st);
}

static const char *category_zh(const char *name)
{
    case_category c;
    return case_category_parse(name, &c) ? "" : case_category_label_zh(c);
}

static bool owes_work(const char *state)
{
    return !strcmp(state, "assigned") || !strcmp(state, "reopened") || !strcmp(state, "rectifying");
}

static const char *unit_name(http_req *r, const char *id)
{
    const plan_unit *u = id && r->plan ? plan_unit_by_id(r->plan, id) : NULL;
    return u ? u->name : id;
}

static const char *const supervision_zh[3] = {"", "督办", "挂牌督办"};

/* ---- cases -------------------------------------------------------------------------- */

static json_t *case_row(http_req *r, const office_case *c)
{
    json_t *row =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:i,s:b,s:o,s:o}", "id",
                  (json_int_t)c->id, "tracking", c->tracking, "source", c->source, "category",
                  c->category, "category_zh", category_zh(c->category), "state", c->state,
                  "state_zh", state_zh(c->state), "location", c->location ? c->location : "",
                  "unit", str_or_null(c->unit), "unit_name", str_or_null(unit_name(r, c->unit)),
                  "deadline", iso_or_null(c->deadline_utc), "supervision", c->supervision,
                  "overdue", owes_work(c->state) && c->deadline_utc && r->now_utc > c->deadline_utc,
                  "created", iso(c->created_utc), "updated", iso(c->updated_utc));
    /* Where, for the map: 0, 0 is "not given" (case.h), shown as null. */
    bool located = c->lon != 0 || c->lat != 0;
    json_object_set_new(row, "lon", located ? json_real(c->lon) : json_null());
    json_object_set_new(row, "lat", located ? json_real(c->lat) : json_null());
    return row;
}

typedef struct {
    http_req *r;
    json_t *rows;
} rows_ctx;

static int add_case_row(void *ctx, const office_case *c)
{
    rows_ctx *rc = ctx;
    json_array_append_new(rc->rows, case_row(rc->r, c));
    return 0;
}

/* The unit a caller's case list is limited to: none for those who read every case, the
 * caller's own unit otherwise. */
static const char *case_scope(http_req *r)
{
    return auth_decide(r->who.role, r->who.org, NULL, AUTH_CASE_READ).allow ? NULL : r->who.org;
}

static int case_filter(http_req *r, http_resp *out, office_case_filter *f)
{
    memset(f, 0, sizeof *f);
    f->state = http_arg(r, "state");
    f->unit = http_arg(r, "unit");
    f->category = http_arg(r, "category");
    f->source = http_arg(r, "source");
    const char *sv = http_arg(r, "supervision");
    if (sv && strcmp(sv, "1") && strcmp(sv, "2"))
        return http_error(out, 400, "bad_parameter", "supervision must be 1 or 2");
    f->min_supervision = sv ? atoi(sv) : 0;
    if (http_time_arg(r, out, "from", 0, &f->from_utc) ||
        http_time_arg(r, out, "to", f->from_utc ? r->now_utc + 1 : 0, &f->to_utc))
        return out->status;
    if (f->from_utc == 0 && f->to_utc)
        f->from_utc = 1;
    const char *scope = case_scope(r);
    if (scope)
        f->unit = scope; /* unit staff see their unit's cases only, whatever they ask */
    return 0;
}

static int h_cases(http_req *r, http_resp *out)
{
    office_case_filter f;
    if (case_filter(r, out, &f))
        return out->status;
    if (http_page_args(r, out, &f.limit, &f.offset))
        return out->status;
    rows_ctx c = {r, json_array()};
    char err[256];
    int64_t total = 0;
    if (office_cases_each(r->office, &f, &total, add_case_row, &c, err, sizeof err) < 0) {
        json_decref(c.rows);
        return store_err(out, err);
    }
    return http_table_page(r, out, c.rows, total, f.limit, f.offset, NULL, "cases");
}

static int set_count(void *ctx, const char *state, int64_t n)
{
    json_object_set_new(ctx, state, json_integer(n));
    return 0;
}

static int h_cases_summary(http_req *r, http_resp *out)
{
    const char *unit = case_scope(r);
    json_t *by_state = json_object();
    for (int i = 0; i < CASE_STATE_COUNT; i++)
        json_object_set_new(by_state, case_state_name((case_state)i), json_integer(0));
    office_case_tally t;
    char err[256];
    if (office_case_counts(r->office, unit, set_count, by_state, err, sizeof err) < 0 ||
        office_case_tally_get(r->office, unit, r->now_utc, &t, err, sizeof err) < 0) {
        json_decref(by_state);
        return store_err(out, err);
    }
    return http_json(out, 200,
                     json_pack("{s:o,s:I,s:I,s:I}", "by_state", by_state, "overdue",
                               (json_int_t)t.overdue, "duban", (json_int_t)t.duban, "listed",
                               (json_int_t)t.listed));
}

static int reward_cb(void *ctx, const office_reward *rw)
{
    *(json_t **)ctx =
        json_pack("{s:I,s:s,s:I,s:s,s:o,s:o,s:o}", "case_id", (json_int_t)rw->case_id, "status",
                  rw->status, "amount_fen", (json_int_t)rw->amount_fen, "decided_by",
                  rw->decided_by ? rw->decided_by : "", "decided", iso_or_null(rw->decided_utc),
                  "paid", iso_or_null(rw->paid_utc), "note", str_or_null(rw->note));
    return 0;
}

static json_t *reward_of(http_req *r, int64_t id)
{
    json_t *rw = NULL;
    char err[256];
    if (office_reward_get(r->office, id, reward_cb, &rw, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "http.reward", "err=\"%s\"", err);
    return rw ? rw : json_null();
}

static json_t *case_json(http_req *r, int64_t id, const ew_case *c, const casework_meta *m)
{
    json_t *events = json_array();
    for (size_t i = 0; i < c->n_events; i++) {
        const case_event *e = &c->events[i];
        json_array_append_new(
            events,
            json_pack("{s:i,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:i,s:o}", "seq", (int)e->seq, "at",
                      iso(e->at_utc), "action", case_action_name(e->action), "from",
                      case_state_name(e->from), "to", case_state_name(e->to), "actor",
                      e->actor ? e->actor : "", "role", auth_role_name(e->role), "reason",
                      str_or_null(e->reason), "unit", str_or_null(e->unit), "deadline",
                      iso_or_null(e->deadline_utc), "level", e->level, "evidence",
                      keys_json(e->evidence, e->n_evidence)));
    }
    json_t *allowed = json_array();
    for (int a = CASE_ACT_ACCEPT; a < CASE_ACTION_COUNT; a++)
        if (case_may(c, (case_action)a, &r->who))
            json_array_append_new(allowed, json_string(case_action_name((case_action)a)));
    json_t *doc = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:i,s:s,s:b,s:o,s:o,s:o,"
        "s:i,s:s}",
        "id", (json_int_t)id, "tracking", c->tracking, "source", case_source_name(c->source),
        "category", case_category_name(c->category), "category_zh",
        case_category_label_zh(c->category), "state", case_state_name(c->state), "state_zh",
        case_state_label_zh(c->state), "location", c->location ? c->location : "", "lon",
        c->lon || c->lat ? json_real(c->lon) : json_null(), "lat",
        c->lon || c->lat ? json_real(c->lat) : json_null(), "description",
        c->description ? c->description : "", "attachments",
        keys_json(c->attachments, c->n_attachments), "unit", str_or_null(c->unit), "unit_name",
        str_or_null(unit_name(r, c->unit)), "deadline", iso_or_null(c->deadline_utc), "supervision",
        c->supervision, "supervision_zh",
        supervision_zh[c->supervision >= 0 && c->supervision <= 2 ? c->supervision : 0], "overdue",
        (c->state == CASE_ASSIGNED || c->state == CASE_REOPENED || c->state == CASE_RECTIFYING) &&
            c->deadline_utc && r->now_utc > c->deadline_utc,
        "created", iso(c->created_utc), "updated", iso(m->updated_utc), "closed",
        iso_or_null(c->closed_utc), "reopen_count", (int)c->reopen_count, "created_by",
        m->created_by ? m->created_by : "");
    /* The reporter's name and contact only for those casework_redact leaves them to. */
    if (r->who.role == EW_ROLE_ADMIN || r->who.role == EW_ROLE_BUREAU)
        json_object_set_new(doc, "reporter",
                            json_pack("{s:o,s:o}", "name", str_or_null(m->reporter_name), "contact",
                                      str_or_null(m->reporter_contact)));
    json_object_set_new(doc, "events", events);
    json_object_set_new(doc, "allowed_actions", allowed);
    json_object_set_new(doc, "reward", reward_of(r, id));
    return doc;
}

static int case_id_param(http_req *r, http_resp *out, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    if (*end || v <= 0)
        return http_error(out, 404, "not_found", "no case %s", r->params[0]);
    *id = v;
    return 0;
}

/* Load case id: the case (caller frees with case_free), or NULL after answering 404 (no such
 * case) or 500 (storage failed). */
static ew_case *load_case(http_req *r, http_resp *out, int64_t id, casework_meta *m)
{
    int rc = 0;
    case_error ce = {{0}};
    ew_case *c = casework_load(r->office, id, m, &rc, &ce);
    if (!c) {
        if (rc == CASEWORK_E_STORE)
            store_err(out, ce.msg);
        else
            http_error(out, 404, "not_found", "no case %lld", (long long)id);
    }
    return c;
}

/* Answer with case id as who may see it, or 404 when missing or not visible. */
static int answer_case(http_req *r, http_resp *out, int64_t id, int status)
{
    casework_meta m;
    ew_case *c = load_case(r, out, id, &m);
    if (!c)
        return out->status;
    if (!casework_may_read(c, &r->who)) {
        case_free(c);
        return http_error(out, 404, "not_found", "no case %lld", (long long)id);
    }
    casework_redact(&m, &r->who);
    json_t *doc = case_json(r, id, c, &m);
    case_free(c);
    return http_json(out, status, status == 201 ? doc : json_pack("{s:o}", "data", doc));
}

static int h_case(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (case_id_param(r, out, &id))
        return out->status;
    return answer_case(r, out, id, 200);
}

static int case_rc(http_resp *out, int rc, const case_error *ce)
{
    switch (rc) {
    case CASE_E_STATE:
        return http_error(out, 409, "invalid_transition", "%s", ce->msg);
    case CASE_E_DENIED:
        return http_error(out, 403, "forbidden", "%s", ce->msg);
    case CASE_E_INVALID:
        return http_error(out, 422, "invalid", "%s", ce->msg);
    case CASEWORK_E_NOTFOUND:
        return http_error(out, 404, "not_found", "%s", ce->msg[0] ? ce->msg : "no such case");
    default:
        return store_err(out, ce->msg);
    }
}

/* A case report from a body: 0, or answers 4xx and returns that status. */
static int body_report(http_req *r, http_resp *out, json_t *b, case_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (case_category_parse(jstr(b, "category"), &rep->category))
        return http_error(out, 422, "invalid", "category must be a case category name");
    rep->location = jstr(b, "location");
    rep->description = jstr(b, "description");
    if (!rep->location || !rep->description)
        return http_error(out, 422, "invalid", "location and description are required");
    rep->lon = json_number_value(json_object_get(b, "lon"));
    rep->lat = json_number_value(json_object_get(b, "lat"));
    const char **keys;
    if (body_keys(r, b, "attachments", &keys, &rep->n_attachments))
        return http_error(out, 422, "invalid", "attachments must be a list of keys");
    rep->attachments = keys;
    return keys_exist(r, out, keys, rep->n_attachments);
}

static int h_case_create(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    case_report rep;
    int rc = body_report(r, out, b, &rep);
    if (!rc && case_source_parse(jstr(b, "source"), &rep.source))
        rc = invalid(out, "source must be a case source name");
    if (rc) {
        json_decref(b);
        return out->status;
    }
    casework_meta m = {.created_by = r->who.name};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    rc = casework_open(r->office, &rep, &r->who, &m, r->now_utc, &id, tracking, &ce);
    json_decref(b);
    if (rc)
        return case_rc(out, rc, &ce);
    return answer_case(r, out, id, 201);
}

static int h_case_action(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (case_id_param(r, out, &id))
        return out->status;
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    case_cmd cmd = {0};
    int rc = 0;
    const char **ev = NULL;
    if (parse_action(jstr(b, "action"), &cmd.action))
        rc = invalid(out, "action must be a case action name");
    else if (body_time(b, "deadline", &cmd.deadline_utc))
        rc = invalid(out, "deadline must be YYYY-MM-DD or an ISO-8601 time");
    else if (body_keys(r, b, "evidence", &ev, &cmd.n_evidence))
        rc = invalid(out, "evidence must be a list of attachment keys");
    if (!rc) {
        cmd.reason = jstr(b, "reason");
        cmd.unit = jstr(b, "unit");
        cmd.evidence = ev;
        if (cmd.unit && (!r->plan || !plan_unit_by_id(r->plan, cmd.unit)))
            rc = invalid(out, "unit %s is not a unit of the plan", cmd.unit);
    }
    if (!rc)
        rc = keys_exist(r, out, ev, cmd.n_evidence);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    case_error ce = {{0}};
    rc = casework_apply(r->office, id, &cmd, &r->who, r->now_utc, NULL, &ce);
    json_decref(b);
    if (rc)
        return case_rc(out, rc, &ce);
    return answer_case(r, out, id, 200);
}

static int h_case_reward(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (case_id_param(r, out, &id))
        return out->status;
    casework_meta m;
    ew_case *c = load_case(r, out, id, &m);
    if (!c)
        return out->status;
    bool eligible = c->source == CASE_SRC_PUBLIC_REPORT && c->state == CASE_CLOSED;
    case_free(c);
    if (!eligible)
        return http_error(out, 409, "invalid_transition",
                          "rewards are for public reports confirmed and closed");
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    const char *status = jstr(b, "status"), *note = jstr(b, "note");
    json_t *amt = json_object_get(b, "amount_fen");
    if (!status ||
        (strcmp(status, "due") && strcmp(status, "paid") && strcmp(status, "declined")) ||
        (amt && (!json_is_integer(amt) || json_integer_value(amt) < 0))) {
        json_decref(b);
        return http_error(out, 422, "invalid",
                          "status must be due, paid or declined; amount_fen a whole number >= 0");
    }
    /* A field left out keeps its recorded value: marking a reward paid must not need the
     * amount again, and paying twice must not move the payment date. */
    char err[256], detail[96], obj[32];
    json_t *prev = reward_of(r, id);
    int64_t prev_amount = json_integer_value(json_object_get(prev, "amount_fen"));
    const char *prev_status = json_string_value(json_object_get(prev, "status"));
    bool paid_before = prev_status && !strcmp(prev_status, "paid");
    office_reward rw = {.case_id = id,
                        .status = status,
                        .amount_fen = amt ? json_integer_value(amt) : prev_amount,
                        .decided_by = r->who.name,
                        .decided_utc = r->now_utc,
                        .paid_utc = 0,
                        .note = note};
    if (!strcmp(status, "paid") && paid_before) {
        ew_civil pc;
        const char *was = json_string_value(json_object_get(prev, "paid"));
        rw.paid_utc = was && !ew_parse_iso(was, strlen(was), &pc) ? ew_bj_to_utc(&pc) : r->now_utc;
    } else if (!strcmp(status, "paid")) {
        rw.paid_utc = r->now_utc;
    }
    json_decref(prev);
    if (!strcmp(status, "paid") && rw.amount_fen <= 0) {
        json_decref(b);
        return http_error(out, 422, "invalid", "a paid reward needs an amount_fen above 0");
    }
    if (office_reward_put(r->office, &rw, err, sizeof err) < 0) {
        json_decref(b);
        return store_err(out, err);
    }
    snprintf(obj, sizeof obj, "case %lld", (long long)id);
    snprintf(detail, sizeof detail, "status=%s amount_fen=%lld", status, (long long)rw.amount_fen);
    audit(r, r->who.name, "reward.put", obj, detail);
    json_decref(b);
    return http_json(out, 200, json_pack("{s:o}", "data", reward_of(r, id)));
}

static int add_reward_row(void *ctx, const office_reward *rw)
{
    rows_ctx *rr = ctx;
    json_t *row = NULL;
    reward_cb(&row, rw);
    casework_meta m;
    int rc;
    case_error ce;
    ew_case *c = casework_load(rr->r->office, rw->case_id, &m, &rc, &ce);
    json_object_set_new(row, "tracking", json_string(c ? c->tracking : ""));
    case_free(c);
    json_t *ordered = json_pack(
        "{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "case_id", json_object_get(row, "case_id"), "tracking",
        json_object_get(row, "tracking"), "status", json_object_get(row, "status"), "amount_fen",
        json_object_get(row, "amount_fen"), "decided_by", json_object_get(row, "decided_by"),
        "decided", json_object_get(row, "decided"), "paid", json_object_get(row, "paid"), "note",
        json_object_get(row, "note"));
    json_decref(row);
    json_array_append_new(rr->rows, ordered);
    return 0;
}

static int h_rewards(http_req *r, http_resp *out)
{
    if (!auth_decide(r->who.role, r->who.org, NULL, AUTH_CASE_READ).allow)
        return http_denied(r, out, "rewards are for the bureau, auditors and administrators");
    rows_ctx rr = {r, json_array()};
    char err[256];
    if (office_rewards_each(r->office, add_reward_row, &rr, err, sizeof err) < 0) {
        json_decref(rr.rows);
        return store_err(out, err);
    }
    return http_table(r, out, rr.rows, NULL, "rewards");
}

/* ---- public reports ----------------------------------------------------------------- */

static int h_public_report(http_req *r, http_resp *out)
{
    if (rate_limited(r, out, "reports", REPORTS_PER_HOUR))
        return out->status;
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    case_report rep;
    if (body_report(r, out, b, &rep)) {
        json_decref(b);
        return out->status;
    }
    rep.source = CASE_SRC_PUBLIC_REPORT;
    /* Whoever fills in the public form reports as the public (随手拍). */
    case_actor pub = {.name = "public", .role = EW_ROLE_PUBLIC, .org = NULL};
    casework_meta m = {.created_by = "public",
                       .reporter_name = jstr(b, "name"),
                       .reporter_contact = jstr(b, "contact")};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    int rc = casework_open(r->office, &rep, &pub, &m, r->now_utc, &id, tracking, &ce);
    json_decref(b);
    if (rc)
        return case_rc(out, rc, &ce);
    return http_json(out, 201, json_pack("{s:s,s:s}", "tracking", tracking, "state", "reported"));
}

static int h_public_track(http_req *r, http_resp *out)
{
    int64_t id = 0;
    case_error ce = {{0}};
    int rc = casework_find_tracking(r->office, r->params[0], &id, &ce);
    if (rc == CASEWORK_E_STORE)
        return store_err(out, ce.msg);
    if (rc)
        return http_error(out, 404, "not_found", "no report with tracking code %s", r->params[0]);
    casework_meta m;
    ew_case *c = casework_load(r->office, id, &m, &rc, &ce);
    if (!c)
        return http_error(out, 404, "not_found", "no report with tracking code %s", r->params[0]);
    /* The public timeline: when and what, never who (staff names, units), contacts or
     * evidence; a rejection says why, a verification that the case was closed. */
    json_t *tl = json_array();
    for (size_t i = 0; i < c->n_events; i++) {
        const case_event *e = &c->events[i];
        const char *note = e->action == CASE_ACT_REJECT   ? e->reason
                           : e->action == CASE_ACT_VERIFY ? "已核查销号"
                                                          : NULL;
        json_array_append_new(tl, json_pack("{s:o,s:s,s:s,s:s,s:o}", "at", iso(e->at_utc), "action",
                                            case_action_name(e->action), "state",
                                            case_state_name(e->to), "state_zh",
                                            case_state_label_zh(e->to), "note", str_or_null(note)));
    }
    json_t *rw = reward_of(r, id), *pub_rw = json_null();
    if (json_is_object(rw))
        pub_rw = json_pack("{s:O,s:O}", "status", json_object_get(rw, "status"), "amount_fen",
                           json_object_get(rw, "amount_fen"));
    json_decref(rw);
    json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "tracking", c->tracking,
                            "category", case_category_name(c->category), "category_zh",
                            case_category_label_zh(c->category), "state", case_state_name(c->state),
                            "state_zh", case_state_label_zh(c->state), "created",
                            iso(c->created_utc), "updated", iso(m.updated_utc), "closed",
                            iso_or_null(c->closed_utc), "timeline", tl, "reward", pub_rw);
    case_free(c);
    return http_json(out, 200, doc);
}

/* ---- plan and ledger ---------------------------------------------------------------- */

static int h_plan(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    return http_json(out, 200, plan_to_json(r->plan));
}

static json_t *unit_ids(const plan *p, plan_refs refs)
{
    json_t *a = json_array();
    for (size_t i = 0; i < refs.n; i++)
        json_array_append_new(a, json_string(p->units[refs.idx[i]].id));
    return a;
}

static bool unit_answers_for(const plan *p, const plan_task *t, const char *org)
{
    if (!org)
        return false;
    for (size_t i = 0; i < t->lead.n; i++)
        if (!strcmp(p->units[t->lead.idx[i]].id, org))
            return true;
    for (size_t i = 0; i < t->responsible.n; i++)
        if (!strcmp(p->units[t->responsible.idx[i]].id, org))
            return true;
    return false;
}

/* Everything /ledger shows, computed once per request. */
typedef struct ledger_view {
    ledger_task_state *states;
    ledger_status *task_status;
    bool *has;
    double *value, *projected;
    bool *has_projected;
    ledger_status *target_status;
    const char **reported_by;
    int64_t *reported_at;
} ledger_view;

typedef struct {
    http_req *r;
    ledger_view *v;
} tv_ctx;

static int target_value_cb(void *ctx, const office_target_value *tv)
{
    tv_ctx *c = ctx;
    const plan *p = c->r->plan;
    for (size_t i = 0; i < p->n_targets; i++)
        if (!strcmp(p->targets[i].id, tv->target_id)) {
            c->v->reported_by[i] = http_strdup(&c->r->ar, tv->unit ? tv->unit : "");
            c->v->reported_at[i] = tv->reported_utc;
        }
    return 0;
}

static int ledger_compute(http_req *r, ledger_view *v, char *err, size_t cap)
{
    const plan *p = r->plan;
    arena *ar = &r->ar;
    size_t nt = p->n_tasks, ng = p->n_targets;
    v->states = arena_alloc(ar, (nt + 1) * sizeof *v->states);
    v->task_status = arena_alloc(ar, (nt + 1) * sizeof *v->task_status);
    v->has = arena_alloc(ar, (ng + 1) * sizeof *v->has);
    v->value = arena_alloc(ar, (ng + 1) * sizeof *v->value);
    v->projected = arena_alloc(ar, (ng + 1) * sizeof *v->projected);
    v->has_projected = arena_alloc(ar, (ng + 1) * sizeof *v->has_projected);
    v->target_status = arena_alloc(ar, (ng + 1) * sizeof *v->target_status);
    v->reported_by = arena_alloc(ar, (ng + 1) * sizeof *v->reported_by);
    v->reported_at = arena_alloc(ar, (ng + 1) * sizeof *v->reported_at);
    memset(v->states, 0, (nt + 1) * sizeof *v->states);
    memset(v->has_projected, 0, (ng + 1) * sizeof *v->has_projected);
    memset(v->reported_by, 0, (ng + 1) * sizeof *v->reported_by);
    memset(v->reported_at, 0, (ng + 1) * sizeof *v->reported_at);
    if (ledgerbook_task_states(r->office, p, v->states, err, cap) ||
        ledgerbook_target_values(r->office, p, v->has, v->value, err, cap))
        return -1;
    tv_ctx tc = {r, v};
    if (office_target_values_each(r->office, p->id, target_value_cb, &tc, err, cap) < 0)
        return -1;
    /* Monitoring targets: the same computation as /targets, for the year of now, memoised
     * for as long as /targets answers from its cache (the data change hourly; computing
     * them reads a year of hourly values). It reads the monitoring data through r->db and
     * never the office store, so the office lock (held by every route that gets here) is
     * released meanwhile: a year of air_load must not stall every case action. */
    ew_civil now;
    ew_utc_to_bj(r->now_utc, &now);
    const char *pinned = getenv("ENVWATCH_NOW");
    char key[160];
    snprintf(key, sizeof key, "targets|%s|%d|%s", p->id, now.year, pinned ? pinned : "");
    double *memo = arena_alloc(ar, (4 * ng + 1) * sizeof *memo);
    if (!http_memo_get(r, key, memo, 4 * ng)) {
        json_t *rows = NULL, *meta = NULL;
        http_office_unlock(r);
        int trc = http_targets_rows(r, p, now.year, 0 /* AIRQ_ED_AUTO */, &rows, &meta, err, cap);
        http_office_lock(r);
        if (trc)
            return -1;
        for (size_t i = 0; i < ng; i++) {
            json_t *row = json_array_get(rows, i);
            json_t *val = json_object_get(row, "value"), *pr = json_object_get(row, "projected");
            memo[4 * i] = json_is_number(val);
            memo[4 * i + 1] = json_number_value(val);
            memo[4 * i + 2] = json_is_number(pr);
            memo[4 * i + 3] = json_number_value(pr);
        }
        json_decref(rows);
        json_decref(meta);
        http_memo_put(r, key, memo, 4 * ng, TARGETS_MEMO_S);
    }
    for (size_t i = 0; i < ng; i++) {
        if (p->targets[i].source != PLAN_SRC_MONITORING)
            continue;
        v->has[i] = memo[4 * i] != 0;
        v->value[i] = memo[4 * i + 1];
        v->has_projected[i] = memo[4 * i + 2] != 0;
        v->projected[i] = memo[4 * i + 3];
    }
    for (size_t i = 0; i < nt; i++)
        v->task_status[i] =
            ledger_deadline_status(p->tasks[i].deadline_day, v->states[i].done,
                                   v->states[i].done_utc, r->now_utc, &ledger_policy_default);
    for (size_t i = 0; i < ng; i++)
        v->target_status[i] =
            ledger_target_status(&p->targets[i], v->has[i], v->value[i], v->has_projected[i],
                                 v->projected[i], r->now_utc, &ledger_policy_default);
    return 0;
}

static json_t *task_row(http_req *r, const ledger_view *v, size_t i)
{
    const plan *p = r->plan;
    const plan_task *t = &p->tasks[i];
    json_t *targets = json_array();
    for (size_t k = 0; k < t->targets.n; k++)
        json_array_append_new(targets, json_string(p->targets[t->targets.idx[k]].id));
    const ledger_status *st = &v->task_status[i];
    return json_pack("{s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:i,s:b,s:o,s:s,s:i,s:s,s:o}", "id", t->id, "no",
                     t->no, "title", t->title, "lead", unit_ids(p, t->lead), "responsible",
                     unit_ids(p, t->responsible), "cooperating", unit_ids(p, t->cooperating),
                     "deadline", day_json(t->deadline_day), "progress", v->states[i].progress_pct,
                     "done", v->states[i].done, "done_at", iso_or_null(v->states[i].done_utc),
                     "rag", ledger_rag_name(st->rag), "days_left", st->days_left, "why",
                     st->why ? st->why : "", "targets", targets);
}

static json_t *target_row(http_req *r, const ledger_view *v, size_t i)
{
    const plan *p = r->plan;
    const plan_target *t = &p->targets[i];
    const ledger_status *st = &v->target_status[i];
    return json_pack("{s:s,s:s,s:o,s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:s,s:i,s:s,s:o,s:o,s:o,s:o}", "id",
                     t->id, "name", t->name_zh, "name_en", str_or_null(t->name_en), "unit",
                     t->unit ? t->unit : "", "comparator", plan_cmp_name(t->cmp), "target",
                     t->cmp == PLAN_CMP_DONE ? json_null() : json_real(t->target), "source",
                     plan_source_name(t->source), "statistic", str_or_null(t->statistic), "value",
                     v->has[i] ? json_real(v->value[i]) : json_null(), "projected",
                     v->has_projected[i] ? json_real(v->projected[i]) : json_null(), "rag",
                     ledger_rag_name(st->rag), "days_left", st->days_left, "why",
                     st->why ? st->why : "", "deadline", day_json(t->deadline_day), "reported_by",
                     str_or_null(v->reported_by[i]), "reported_at", iso_or_null(v->reported_at[i]),
                     "task", t->task >= 0 ? json_string(p->tasks[t->task].id) : json_null());
}

/* The ledger of r's plan into v: 0, or -1 after answering 500 (no plan, storage failed). */
static int ledger_of(http_req *r, http_resp *out, ledger_view *v)
{
    char err[256];
    if (need_plan(r, out))
        return out->status;
    if (ledger_compute(r, v, err, sizeof err))
        return store_err(out, err);
    return 0;
}

/* Answer 200 with one row of the ledger as it is now (after a report changed it). */
static int answer_ledger_row(http_req *r, http_resp *out,
                             json_t *(*row)(http_req *, const ledger_view *, size_t), size_t i)
{
    ledger_view v;
    if (ledger_of(r, out, &v))
        return out->status;
    return http_json(out, 200, json_pack("{s:o}", "data", row(r, &v, i)));
}

static int h_ledger(http_req *r, http_resp *out)
{
    ledger_view v;
    if (ledger_of(r, out, &v))
        return out->status;
    const plan *p = r->plan;
    int tot[3] = {0, 0, 0};
    json_t *actions = json_array();
    for (size_t a = 0; a < p->n_actions; a++) {
        const plan_action *ac = &p->actions[a];
        int cnt[3] = {0, 0, 0};
        json_t *tasks = json_array();
        for (size_t k = 0; k < ac->n_tasks; k++) {
            size_t i = ac->first_task + k;
            cnt[v.task_status[i].rag]++;
            json_array_append_new(tasks, task_row(r, &v, i));
        }
        for (int k = 0; k < 3; k++)
            tot[k] += cnt[k];
        json_array_append_new(actions, json_pack("{s:s,s:i,s:s,s:i,s:i,s:i,s:o}", "id", ac->id,
                                                 "no", ac->no, "name", ac->name, "green", cnt[0],
                                                 "yellow", cnt[1], "red", cnt[2], "tasks", tasks));
    }
    json_t *targets = json_array();
    for (size_t i = 0; i < p->n_targets; i++)
        json_array_append_new(targets, target_row(r, &v, i));
    json_t *units = json_array();
    for (size_t i = 0; i < p->n_units; i++)
        json_array_append_new(units, json_pack("{s:s,s:s,s:s}", "id", p->units[i].id, "name",
                                               p->units[i].name, "kind",
                                               plan_unit_kind_name(p->units[i].kind)));
    return http_json(out, 200,
                     json_pack("{s:{s:s,s:s},s:o,s:{s:i,s:i,s:i},s:o,s:o,s:o}", "plan", "id", p->id,
                               "title", p->title, "now", iso(r->now_utc), "summary", "green",
                               tot[0], "yellow", tot[1], "red", tot[2], "actions", actions,
                               "targets", targets, "units", units));
}

static int h_ledger_warnings(http_req *r, http_resp *out)
{
    ledger_view v;
    if (ledger_of(r, out, &v))
        return out->status;
    const plan *p = r->plan;
    ledger_warning *w = arena_alloc(&r->ar, (p->n_tasks + 1) * sizeof *w);
    size_t n = ledger_warnings(p, v.states, r->now_utc, &ledger_policy_default, w, p->n_tasks);
    json_t *rows = json_array();
    for (size_t k = 0; k < n && k < p->n_tasks; k++) {
        const plan_task *t = &p->tasks[w[k].task];
        http_buf lead = {0};
        for (size_t i = 0; i < t->lead.n; i++) {
            if (i)
                http_buf_puts(&lead, "、");
            http_buf_puts(&lead, p->units[t->lead.idx[i]].name);
        }
        json_array_append_new(
            rows, json_pack("{s:s,s:i,s:s,s:s,s:i,s:s,s:s}", "task", t->id, "no", t->no, "title",
                            t->title, "rag", ledger_rag_name(w[k].status.rag), "days_left",
                            w[k].status.days_left, "why", w[k].status.why ? w[k].status.why : "",
                            "lead", lead.p ? lead.p : ""));
        free(lead.p);
    }
    return http_table(r, out, rows, NULL, "ledger-warnings");
}

static int ledger_refused(http_resp *out, int rc, const char *msg)
{
    if (rc == LEDGERBOOK_E_REFUSED)
        return http_error(out, 422, "refused", "%s", msg);
    return store_err(out, msg);
}

static int h_task_report(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    const plan *p = r->plan;
    const plan_task *t = plan_task_by_id(p, r->params[0]);
    if (!t)
        return http_error(out, 404, "not_found", "no task %s", r->params[0]);
    size_t ti = (size_t)(t - p->tasks);
    /* Lead and responsible units answer for a task (ledger.h); administrators may do all. */
    if (r->who.role != EW_ROLE_ADMIN && !unit_answers_for(p, t, r->who.org))
        return http_error(out, 403, "refused",
                          "only the task's lead and responsible units report on %s (%s is not "
                          "one)",
                          t->id, r->who.org ? r->who.org : "no unit");
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *pg = json_object_get(b, "progress");
    ledger_task_report rep = {.progress_pct = (int)json_integer_value(pg),
                              .done = json_is_true(json_object_get(b, "done")),
                              .note = jstr(b, "note")};
    const char **ev;
    int rc = 0;
    if (!json_is_integer(pg) || json_integer_value(pg) < 0 || json_integer_value(pg) > 100)
        rc = invalid(out, "progress must be a whole number from 0 to 100");
    else
        rc = body_evidence(r, out, b, &ev, &rep.n_evidence);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    rep.evidence = ev;
    char msg[256];
    rc = ledgerbook_report_task(r->office, p, ti, &rep, &r->who, r->now_utc, msg, sizeof msg);
    json_decref(b);
    if (rc)
        return ledger_refused(out, rc, msg);
    return answer_ledger_row(r, out, task_row, ti);
}

static int h_target_report(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    const plan *p = r->plan;
    const plan_target *t = plan_target_by_id(p, r->params[0]);
    if (!t)
        return http_error(out, 404, "not_found", "no target %s", r->params[0]);
    size_t gi = (size_t)(t - p->targets);
    bool may = r->who.role == EW_ROLE_ADMIN || r->who.role == EW_ROLE_BUREAU ||
               (t->task >= 0 && unit_answers_for(p, &p->tasks[t->task], r->who.org));
    if (!may)
        return http_error(out, 403, "refused",
                          "only the lead and responsible units of the target's task and the "
                          "bureau report %s",
                          t->id);
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *val = json_object_get(b, "value");
    const char **ev;
    size_t nev;
    int rc = 0;
    if (!json_is_number(val))
        rc = invalid(out, "value must be a number");
    else
        rc = body_evidence(r, out, b, &ev, &nev);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    char msg[256];
    rc = ledgerbook_report_target(r->office, p, gi, json_number_value(val), jstr(b, "note"), ev,
                                  nev, &r->who, r->now_utc, msg, sizeof msg);
    json_decref(b);
    if (rc)
        return ledger_refused(out, rc, msg);
    return answer_ledger_row(r, out, target_row, gi);
}

static int add_change_row(void *ctx, const office_change *c)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:o,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)c->id,
                       "at", iso(c->at_utc), "actor", c->actor ? c->actor : "", "role",
                       c->role ? c->role : "", "unit", str_or_null(c->unit), "object", c->object,
                       "object_id", c->object_id, "field", c->field, "old_value",
                       str_or_null(c->old_value), "new_value", str_or_null(c->new_value), "note",
                       str_or_null(c->note), "evidence", keys_json(c->evidence, c->n_evidence)));
    return 0;
}

static int h_ledger_history(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    office_change_filter f = {
        .plan_id = r->plan->id, .object_id = http_arg(r, "object_id"), .unit = http_arg(r, "unit")};
    if (http_time_arg(r, out, "from", 0, &f.from_utc) ||
        http_time_arg(r, out, "to", f.from_utc ? r->now_utc + 1 : 0, &f.to_utc))
        return out->status;
    if (!f.from_utc && f.to_utc)
        f.from_utc = 1;
    if (http_page_args(r, out, &f.limit, &f.offset))
        return out->status;
    json_t *rows = json_array();
    char err[256];
    int64_t total = 0;
    if (office_changes_each(r->office, &f, &total, add_change_row, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return store_err(out, err);
    }
    return http_table_page(r, out, rows, total, f.limit, f.offset, NULL, "ledger-history");
}

typedef struct {
    http_req *r;
    ew_case **cases;
    int64_t *ids; /* parallel to cases */
    size_t n, cap;
} case_list;

static int collect_case(void *ctx, const office_case *oc)
{
    case_list *l = ctx;
    int rc;
    case_error ce;
    ew_case *c = casework_load(l->r->office, oc->id, NULL, &rc, &ce);
    if (!c)
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->cases = xrealloc(l->cases, l->cap * sizeof *l->cases);
        l->ids = xrealloc(l->ids, l->cap * sizeof *l->ids);
    }
    l->ids[l->n] = oc->id;
    l->cases[l->n++] = c;
    return 0;
}

static int h_scores(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    const plan *p = r->plan;
    ew_civil now;
    ew_utc_to_bj(r->now_utc, &now);
    ew_civil jan1 = {.year = now.year, .mon = 1, .day = 1};
    int64_t from, to;
    if (http_time_arg(r, out, "from", ew_bj_to_utc(&jan1), &from) ||
        http_time_arg(r, out, "to", r->now_utc, &to))
        return out->status;
    if (from >= to)
        return http_error(out, 400, "bad_parameter", "from must be before to");
    const char *only = http_arg(r, "unit");
    ledger_view v;
    char err[256];
    if (ledger_compute(r, &v, err, sizeof err))
        return store_err(out, err);
    case_list cl = {.r = r};
    office_case_filter f = {0};
    if (office_cases_each(r->office, &f, NULL, collect_case, &cl, err, sizeof err) < 0) {
        for (size_t i = 0; i < cl.n; i++)
            case_free(cl.cases[i]);
        free(cl.cases);
        free(cl.ids);
        return store_err(out, err);
    }
    json_t *data = json_array();
    for (size_t u = 0; u < p->n_units; u++) {
        bool carries = false;
        for (size_t t = 0; t < p->n_tasks && !carries; t++)
            carries = unit_answers_for(p, &p->tasks[t], p->units[u].id);
        if (!carries || (only && strcmp(only, p->units[u].id)))
            continue;
        ledger_score sc;
        ledger_score_unit(p, u, v.states, v.target_status, (const ew_case *const *)cl.cases, cl.n,
                          from, to, &sc);
        json_t *hits = json_array();
        for (size_t k = 0; k < sc.n_hits; k++) {
            const ledger_hit *hk = &sc.hits[k];
            json_t *hj = json_pack("{s:s,s:s,s:s,s:s,s:i}", "rule", hk->rule->id, "text",
                                   hk->rule->text, "object_kind", hk->rule->object, "object",
                                   hk->object, "points", hk->points);
            /* The case behind a tracking code, for callers who may open it. */
            for (size_t i = 0; !strcmp(hk->rule->object, "case") && i < cl.n; i++)
                if (!strcmp(cl.cases[i]->tracking, hk->object) &&
                    casework_may_read(cl.cases[i], &r->who))
                    json_object_set_new(hj, "case_id", json_integer(cl.ids[i]));
            json_array_append_new(hits, hj);
        }
        json_array_append_new(data, json_pack("{s:s,s:s,s:i,s:i,s:o}", "unit", p->units[u].id,
                                              "name", p->units[u].name, "base", sc.base, "total",
                                              sc.total, "hits", hits));
        ledger_score_free(&sc);
    }
    for (size_t i = 0; i < cl.n; i++)
        case_free(cl.cases[i]);
    free(cl.cases);
    free(cl.ids);
    /* Highest total first (stable: the plan's unit order among equals). */
    size_t n = json_array_size(data);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *x = json_array_get(data, j - 1), *y = json_array_get(data, j);
            if (json_integer_value(json_object_get(x, "total")) >=
                json_integer_value(json_object_get(y, "total")))
                break;
            json_incref(x);
            json_array_set(data, j - 1, y);
            json_array_set_new(data, j, x);
        }
    json_t *rules = json_array();
    for (size_t i = 0; i < ledger_n_rules; i++)
        json_array_append_new(rules,
                              json_pack("{s:s,s:s,s:i,s:s}", "id", ledger_rules[i].id, "text",
                                        ledger_rules[i].text, "points", ledger_rules[i].points,
                                        "object", ledger_rules[i].object));
    if (r->csv) {
        /* One row per rule application (a unit without any: one row with empty rule). */
        json_t *rows = json_array();
        size_t iu;
        json_t *u;
        json_array_foreach(data, iu, u)
        {
            json_t *hits = json_object_get(u, "hits");
            size_t nh = json_array_size(hits);
            for (size_t k = 0; k < (nh ? nh : 1); k++) {
                json_t *hk = json_array_get(hits, k);
                json_array_append_new(
                    rows,
                    json_pack(
                        "{s:O,s:O,s:O,s:O,s:s,s:s,s:s,s:s,s:O?}", "unit",
                        json_object_get(u, "unit"), "name", json_object_get(u, "name"), "base",
                        json_object_get(u, "base"), "total", json_object_get(u, "total"), "rule",
                        hk ? json_string_value(json_object_get(hk, "rule")) : "", "text",
                        hk ? json_string_value(json_object_get(hk, "text")) : "", "object_kind",
                        hk ? json_string_value(json_object_get(hk, "object_kind")) : "", "object",
                        hk ? json_string_value(json_object_get(hk, "object")) : "", "points",
                        hk ? json_object_get(hk, "points") : NULL));
            }
        }
        json_decref(data);
        json_decref(rules);
        return http_table(r, out, rows, NULL, "scores");
    }
    return http_json(out, 200,
                     json_pack("{s:o,s:o,s:o,s:o}", "from", iso(from), "to", iso(to), "rules",
                               rules, "data", data));
}

/* ---- worklist ----------------------------------------------------------------------- */

static int add_work_case(void *ctx, const office_case *c)
{
    rows_ctx *rc = ctx;
    http_req *r = rc->r;
    bool mine;
    if (r->who.role == EW_ROLE_ADMIN || r->who.role == EW_ROLE_BUREAU)
        mine = !strcmp(c->state, "reported") || !strcmp(c->state, "rectified") ||
               (owes_work(c->state) && c->deadline_utc && r->now_utc > c->deadline_utc);
    else
        mine = c->unit && r->who.org && !strcmp(c->unit, r->who.org) && owes_work(c->state);
    if (r->who.role == EW_ROLE_BUREAU && !mine && c->unit && r->who.org &&
        !strcmp(c->unit, r->who.org) && owes_work(c->state))
        mine = true; /* the bureau's own departments also rectify */
    /* A confirmed public report (closed) waits for the bureau's reward decision until one
     * is recorded (due, paid or declined). */
    bool reward_pending = false;
    if ((r->who.role == EW_ROLE_ADMIN || r->who.role == EW_ROLE_BUREAU) &&
        !strcmp(c->state, "closed") && !strcmp(c->source, "public_report")) {
        json_t *rw = reward_of(r, c->id);
        reward_pending = json_is_null(rw);
        json_decref(rw);
    }
    if (mine || reward_pending) {
        json_t *row = case_row(r, c);
        if (reward_pending)
            json_object_set_new(row, "reward_pending", json_true());
        json_array_append_new(rc->rows, row);
    }
    return 0;
}

static int h_worklist(http_req *r, http_resp *out)
{
    rows_ctx c = {r, json_array()};
    office_case_filter f = {.unit = case_scope(r)};
    char err[256];
    if (r->who.role != EW_ROLE_ENTERPRISE && r->who.role != EW_ROLE_AUDITOR &&
        r->who.role != EW_ROLE_PUBLIC &&
        office_cases_each(r->office, &f, NULL, add_work_case, &c, err, sizeof err) < 0) {
        json_decref(c.rows);
        return store_err(out, err);
    }
    json_t *tasks = json_array(), *targets = json_array();
    if (r->plan && r->who.org) {
        const plan *p = r->plan;
        ledger_view v;
        if (ledger_compute(r, &v, err, sizeof err)) {
            json_decref(c.rows);
            json_decref(tasks);
            json_decref(targets);
            return store_err(out, err);
        }
        for (int rag = LEDGER_RED; rag >= LEDGER_GREEN; rag--)
            for (size_t i = 0; i < p->n_tasks; i++)
                if (!v.states[i].done && (int)v.task_status[i].rag == rag &&
                    unit_answers_for(p, &p->tasks[i], r->who.org))
                    json_array_append_new(tasks, task_row(r, &v, i));
        for (size_t i = 0; i < p->n_targets; i++) {
            const plan_target *t = &p->targets[i];
            if (t->source == PLAN_SRC_REPORTED &&
                (r->who.role == EW_ROLE_BUREAU ||
                 (t->task >= 0 && unit_answers_for(p, &p->tasks[t->task], r->who.org))))
                json_array_append_new(targets, target_row(r, &v, i));
        }
    }
    return http_json(out, 200,
                     json_pack("{s:o,s:o,s:o,s:o}", "user", me_json(r), "cases", c.rows, "tasks",
                               tasks, "targets", targets));
}

/* ---- the route table ---------------------------------------------------------------- */

const http_route http_office_routes[] = {
    {"POST", "/api/v1/login", h_login, 0, HTTP_ANYONE, 0},
    {"POST", "/api/v1/logout", h_logout, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/session", h_session, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/users", h_users, 0, AUTH_USER_MANAGE, HTTP_LOCKED},
    {"POST", "/api/v1/users", h_user_create, 0, AUTH_USER_MANAGE, HTTP_LOCKED},
    {"POST", "/api/v1/users/{name}", h_user_update, 0, AUTH_USER_MANAGE, HTTP_LOCKED},
    {"GET", "/api/v1/audit", h_audit, 0, AUTH_AUDIT_READ, HTTP_LOCKED},
    {"POST", "/api/v1/attachments", h_attachment_put, 0, HTTP_ANYONE, HTTP_LOCKED},
    {"GET", "/api/v1/attachments/{key}", h_attachment_get, 0, HTTP_ANYONE, HTTP_LOCKED},
    {"POST", "/api/v1/public/reports", h_public_report, 0, AUTH_CASE_REPORT, HTTP_LOCKED},
    {"GET", "/api/v1/public/reports/{tracking}", h_public_track, 0, AUTH_CASE_TRACK, HTTP_LOCKED},
    {"GET", "/api/v1/cases", h_cases, 0, AUTH_CASE_READ, HTTP_LOCKED},
    {"POST", "/api/v1/cases", h_case_create, 0, AUTH_CASE_REPORT, HTTP_LOCKED},
    {"GET", "/api/v1/cases/summary", h_cases_summary, 0, AUTH_CASE_READ, HTTP_LOCKED},
    {"GET", "/api/v1/cases/{id}", h_case, 0, AUTH_CASE_READ, HTTP_LOCKED},
    {"POST", "/api/v1/cases/{id}/actions", h_case_action, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"POST", "/api/v1/cases/{id}/reward", h_case_reward, 0, AUTH_CASE_VERIFY, HTTP_LOCKED},
    {"GET", "/api/v1/rewards", h_rewards, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"GET", "/api/v1/plan", h_plan, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/ledger", h_ledger, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"GET", "/api/v1/ledger/warnings", h_ledger_warnings, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"POST", "/api/v1/ledger/tasks/{id}/reports", h_task_report, 0, AUTH_LEDGER_REPORT,
     HTTP_LOCKED},
    {"POST", "/api/v1/ledger/targets/{id}/reports", h_target_report, 0, AUTH_LEDGER_REPORT,
     HTTP_LOCKED},
    {"GET", "/api/v1/ledger/history", h_ledger_history, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"GET", "/api/v1/scores", h_scores, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"GET", "/api/v1/worklist", h_worklist, 0, HTTP_LOGIN, HTTP_LOCKED},
};
const size_t http_office_nroutes = sizeof http_office_routes / sizeof http_office_routes[0];
