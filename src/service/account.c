/* account: login and logout on the office store (see account.h). */
#include "service/account.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "service/audit.h"
#include "store/office.h"

static void lock(const account_lock *lk)
{
    if (lk && lk->lock)
        lk->lock(lk->ctx);
}

static void unlock(const account_lock *lk)
{
    if (lk && lk->unlock)
        lk->unlock(lk->ctx);
}

/* The account as read, copied (the store's strings live only during the callback). */
typedef struct user_copy {
    bool found, disabled;
    int64_t id;
    char name[65], display[129], role[16], org[65];
    char hash[AUTH_HASH_MAX];
    bool has_display, has_org;
} user_copy;

static int copy_user(void *ctx, const office_user *u)
{
    user_copy *c = ctx;
    c->found = true;
    c->id = u->id;
    snprintf(c->name, sizeof c->name, "%s", u->name);
    c->has_display = u->display != NULL;
    snprintf(c->display, sizeof c->display, "%s", u->display ? u->display : "");
    snprintf(c->role, sizeof c->role, "%s", u->role);
    c->has_org = u->org != NULL;
    snprintf(c->org, sizeof c->org, "%s", u->org ? u->org : "");
    snprintf(c->hash, sizeof c->hash, "%s", u->pw_hash ? u->pw_hash : "");
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

/* An audit entry; a failure to write it is logged, not fatal to the login it records. */
static void audit(store *office, int64_t now_utc, const char *actor, const char *action,
                  const char *addr)
{
    char err[300];
    if (audit_note(office, now_utc, actor, action, NULL, NULL, addr, err, sizeof err) < 0)
        ew_log(EW_LOG_ERROR, "account.audit", "err=\"%s\"", err);
}

int account_login(store *office, const account_lock *lk, const char *name, const char *pw,
                  const char *addr, int64_t now_utc, account_session *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    pthread_once(&dummy_once, make_dummy);
    office_throttle ot;
    user_copy u = {0};
    char msg[256] = "";
    lock(lk);
    int rc = office_throttle_get(office, name, addr, &ot, msg, sizeof msg);
    if (rc >= 0)
        rc = office_user_get(office, name, copy_user, &u, msg, sizeof msg);
    unlock(lk);
    if (rc < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "login: %s", msg);
    auth_throttle t = {ot.failures, ot.last_failure_utc, ot.next_allowed_utc};
    int64_t wait = 0;
    if (!auth_throttle_allows(&t, now_utc, &wait)) {
        out->retry_after_s = wait > 0 ? wait : 1;
        return ACCOUNT_E_THROTTLED;
    }
    bool good =
        auth_password_verify(u.found ? u.hash : dummy_hash, pw) == 0 && u.found && !u.disabled;
    ew_role role = EW_ROLE_PUBLIC;
    if (good && auth_role_parse(u.role, &role))
        good = false;
    if (!good) {
        lock(lk);
        auth_throttle_failure(&t, now_utc);
        office_throttle nt = {t.failures, t.last_failure_utc, t.next_allowed_utc};
        rc = office_throttle_put(office, name, addr, &nt, msg, sizeof msg);
        audit(office, now_utc, name, "login_failed", addr);
        unlock(lk);
        if (rc < 0)
            return ew_errf(err, errcap, EW_EINTERNAL, "login: %s", msg);
        return ACCOUNT_E_CREDENTIALS;
    }
    /* A hash made with older limits is upgraded while the password is at hand (auth.h: the
     * limits live inside the string); it costs a hash, so outside the lock. */
    char rehash[AUTH_HASH_MAX] = "";
    if (auth_password_needs_rehash(u.hash) && auth_password_hash(pw, rehash))
        rehash[0] = '\0';
    auth_session ses, unused;
    if (auth_token_new(now_utc, ACCOUNT_SESSION_TTL_S, out->token, &ses) ||
        auth_token_new(now_utc, ACCOUNT_SESSION_TTL_S, out->csrf, &unused))
        return ew_errf(err, errcap, EW_EINTERNAL, "login: could not make a session token");
    office_session os = {.user_id = u.id,
                         .csrf = out->csrf,
                         .created_utc = ses.created_utc,
                         .expires_utc = ses.expires_utc};
    memcpy(os.token_hash, ses.token_hash, sizeof os.token_hash);
    lock(lk);
    rc = office_throttle_clear(office, name, addr, msg, sizeof msg);
    if (rc >= 0)
        rc = office_session_put(office, &os, msg, sizeof msg);
    /* Expired sessions are dropped here: logins are rare enough to carry the sweep, and a
     * session table that only grows would slow every lookup. */
    if (rc >= 0)
        rc = office_sessions_purge(office, now_utc, msg, sizeof msg);
    if (rc >= 0 && rehash[0]) {
        office_user nu = {.name = u.name,
                          .display = u.has_display ? u.display : NULL,
                          .role = u.role,
                          .org = u.has_org ? u.org : NULL,
                          .pw_hash = rehash,
                          .disabled = u.disabled};
        rc = office_user_put(office, &nu, NULL, msg, sizeof msg);
    }
    if (rc >= 0)
        audit(office, now_utc, name, "login", addr);
    unlock(lk);
    if (rc < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "login: %s", msg);
    out->expires_utc = ses.expires_utc;
    snprintf(out->name, sizeof out->name, "%s", u.name);
    snprintf(out->display, sizeof out->display, "%s", u.has_display ? u.display : u.name);
    snprintf(out->role, sizeof out->role, "%s", u.role);
    snprintf(out->org, sizeof out->org, "%s", u.org);
    return EW_OK;
}

int account_logout(store *office, const account_lock *lk, const uint8_t token_hash[AUTH_TOKEN_HASH],
                   const char *actor, const char *addr, int64_t now_utc, char *err, size_t errcap)
{
    char msg[256];
    lock(lk);
    int rc = office_session_delete(office, token_hash, msg, sizeof msg);
    if (rc >= 0)
        audit(office, now_utc, actor, "logout", addr);
    unlock(lk);
    if (rc < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "logout: %s", msg);
    return EW_OK;
}
