/* office_account_sqlite: accounts, sessions, login throttles, rate windows and the audit log
 * of store/office.h on SQLite. */
#include "store/office_internal.h"

/* ---- accounts ----------------------------------------------------------------------- */

static office_user user_from(sqlite3_stmt *st, int c)
{
    return (office_user){
        .id = sqlite3_column_int64(st, c),
        .name = col_text(st, c + 1),
        .display = col_text(st, c + 2),
        .role = col_text(st, c + 3),
        .org = col_text(st, c + 4),
        .pw_hash = col_text(st, c + 5),
        .disabled = sqlite3_column_int(st, c + 6) != 0,
        .created_utc = sqlite3_column_int64(st, c + 7),
    };
}

int office_user_put(store *s, const office_user *u, int64_t *id_out, char *err, size_t errcap)
{
    if (!u->name || !u->role || !u->pw_hash)
        return errf(err, errcap, "user: name, role and password hash are required");
    sqlite3_stmt *st = stmt(s, Q_USER_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, u->name);
    bind_text(st, 2, u->display);
    bind_text(st, 3, u->role);
    bind_text(st, 4, u->org);
    bind_text(st, 5, u->pw_hash);
    sqlite3_bind_int(st, 6, u->disabled);
    sqlite3_bind_int64(st, 7, u->created_utc);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && id_out)
        *id_out = sqlite3_column_int64(st, 0);
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    int out = rc == SQLITE_DONE ? 0 : fail(s, "user put", err, errcap);
    done_with(st);
    return out;
}

static int user_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_user u = user_from(st, 0);
    return ((office_user_fn)fn)(ctx, &u);
}

int office_user_get(store *s, const char *name, office_user_fn fn, void *ctx, char *err,
                    size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_USER_GET, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, name);
    return one(s, st, user_row, (void *)fn, ctx, "user get", err, errcap);
}

int office_users_each(store *s, office_user_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_USER_EACH, err, errcap);
    return st ? each(s, st, user_row, (void *)fn, ctx, "user list", err, errcap) : -1;
}

/* ---- sessions ----------------------------------------------------------------------- */

int office_session_put(store *s, const office_session *ses, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_PUT, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, ses->token_hash, OFFICE_TOKEN_HASH, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ses->user_id);
    bind_text(st, 3, ses->csrf ? ses->csrf : "");
    sqlite3_bind_int64(st, 4, ses->created_utc);
    sqlite3_bind_int64(st, 5, ses->expires_utc);
    return run(s, st, "session put", err, errcap);
}

static int session_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                       size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_session ses = {
        .user_id = sqlite3_column_int64(st, 1),
        .csrf = col_text(st, 2),
        .created_utc = sqlite3_column_int64(st, 3),
        .expires_utc = sqlite3_column_int64(st, 4),
    };
    const void *h = sqlite3_column_blob(st, 0);
    if (h && sqlite3_column_bytes(st, 0) == OFFICE_TOKEN_HASH)
        memcpy(ses.token_hash, h, OFFICE_TOKEN_HASH);
    office_user u = user_from(st, 5);
    return ((office_session_fn)fn)(ctx, &ses, &u);
}

int office_session_get(store *s, const uint8_t hash[OFFICE_TOKEN_HASH], office_session_fn fn,
                       void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_GET, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, OFFICE_TOKEN_HASH, SQLITE_STATIC);
    return one(s, st, session_row, (void *)fn, ctx, "session get", err, errcap);
}

int office_session_delete(store *s, const uint8_t hash[OFFICE_TOKEN_HASH], char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_DEL, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, OFFICE_TOKEN_HASH, SQLITE_STATIC);
    return run(s, st, "session delete", err, errcap);
}

int office_sessions_purge(store *s, int64_t now_utc, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_PURGE, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_utc);
    if (run(s, st, "session purge", err, errcap) < 0)
        return -1;
    return sqlite3_changes(store_sqlite_handle(s));
}

/* ---- login throttle, rate windows --------------------------------------------------- */

int office_throttle_get(store *s, const char *account, const char *addr, office_throttle *out,
                        char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(s, Q_THROTTLE_GET, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, account);
    bind_text(st, 2, addr ? addr : "");
    int rc = sqlite3_step(st), r = 0;
    if (rc == SQLITE_ROW) {
        out->failures = (uint32_t)sqlite3_column_int64(st, 0);
        out->last_failure_utc = sqlite3_column_int64(st, 1);
        out->next_allowed_utc = sqlite3_column_int64(st, 2);
        r = 1;
    } else if (rc != SQLITE_DONE) {
        r = fail(s, "throttle get", err, errcap);
    }
    done_with(st);
    return r;
}

int office_throttle_put(store *s, const char *account, const char *addr, const office_throttle *t,
                        char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_THROTTLE_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, account);
    bind_text(st, 2, addr ? addr : "");
    sqlite3_bind_int64(st, 3, t->failures);
    sqlite3_bind_int64(st, 4, t->last_failure_utc);
    sqlite3_bind_int64(st, 5, t->next_allowed_utc);
    return run(s, st, "throttle put", err, errcap);
}

int office_throttle_clear(store *s, const char *account, const char *addr, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_THROTTLE_CLEAR, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, account);
    bind_text(st, 2, addr ? addr : "");
    return run(s, st, "throttle clear", err, errcap);
}

int office_rate_hit(store *s, const char *key, int64_t now_utc, int64_t window_s, char *err,
                    size_t errcap)
{
    if (!key || window_s <= 0)
        return errf(err, errcap, "rate: a key and a window > 0 s are required");
    /* Windows are aligned to multiples of window_s (floor, also before 1970). */
    int64_t start = now_utc - ((now_utc % window_s) + window_s) % window_s;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    int hits = -1;
    sqlite3_stmt *st = stmt(s, Q_RATE_OLD, err, errcap);
    bool ok = st != NULL;
    if (ok) {
        /* Older windows of the key are dead weight: drop them as we go. */
        bind_text(st, 1, key);
        sqlite3_bind_int64(st, 2, start);
        ok = run(s, st, "rate cleanup", err, errcap) == 0;
    }
    if (ok && (st = stmt(s, Q_RATE_HIT, err, errcap)) != NULL) {
        bind_text(st, 1, key);
        sqlite3_bind_int64(st, 2, start);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            hits = sqlite3_column_int(st, 0);
            rc = sqlite3_step(st);
        }
        ok = rc == SQLITE_DONE;
        if (!ok)
            fail(s, "rate hit", err, errcap);
        done_with(st);
    } else {
        ok = false;
    }
    if (tx_close(s, k, ok, err, errcap) < 0)
        return -1;
    return hits;
}

/* ---- audit -------------------------------------------------------------------------- */

int office_audit_append(store *s, const office_audit *a, char *err, size_t errcap)
{
    if (!a->actor || !a->action)
        return errf(err, errcap, "audit: actor and action are required");
    sqlite3_stmt *st = stmt(s, Q_AUDIT_PUT, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a->at_utc);
    bind_text(st, 2, a->actor);
    bind_text(st, 3, a->action);
    bind_text(st, 4, a->object);
    bind_text(st, 5, a->detail);
    bind_text(st, 6, a->addr);
    return run(s, st, "audit append", err, errcap);
}

static int audit_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                     size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_audit a = {
        .id = sqlite3_column_int64(st, 0),
        .at_utc = sqlite3_column_int64(st, 1),
        .actor = col_text(st, 2),
        .action = col_text(st, 3),
        .object = col_text(st, 4),
        .detail = col_text(st, 5),
        .addr = col_text(st, 6),
    };
    return ((office_audit_fn)fn)(ctx, &a);
}

int office_audit_each(store *s, int64_t limit, int64_t offset, int64_t *total, office_audit_fn fn,
                      void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st;
    if (total) {
        if (!(st = stmt(s, Q_AUDIT_COUNT, err, errcap)) ||
            count_of(s, st, total, "audit count", err, errcap) < 0)
            return -1;
    }
    if (!(st = stmt(s, Q_AUDIT_EACH, err, errcap)))
        return -1;
    bind_page(st, 1, limit, offset);
    return each(s, st, audit_row, (void *)fn, ctx, "audit list", err, errcap);
}
