/* office_sqlite: store/office.h on the SQLite schema of migration 2 (store_sqlite.c,
 * docs/storage.md).
 *
 * Statements are prepared once per handle through store_stmt()'s cache and reset after use.
 * Writes that take more than one statement (a case with its attachment list, an event with
 * its evidence, a ledger change with its evidence, a rate hit with the cleanup of older
 * windows) run in a transaction of their own when the caller has none open, and inside a
 * SAVEPOINT when it has, so that a failure half-way never leaves half a row set behind
 * while the caller's transaction stays usable. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "store/office.h"
#include "store/store_internal.h"

enum {
    Q_TX_BEGIN,
    Q_TX_COMMIT,
    Q_TX_ROLLBACK,
    Q_SP_BEGIN,
    Q_SP_RELEASE,
    Q_SP_ROLLBACK,
    Q_USER_PUT,
    Q_USER_GET,
    Q_USER_EACH,
    Q_SESSION_PUT,
    Q_SESSION_GET,
    Q_SESSION_DEL,
    Q_SESSION_PURGE,
    Q_THROTTLE_GET,
    Q_THROTTLE_PUT,
    Q_THROTTLE_CLEAR,
    Q_RATE_HIT,
    Q_RATE_OLD,
    Q_AUDIT_PUT,
    Q_AUDIT_EACH,
    Q_AUDIT_COUNT,
    Q_ATT_PUT,
    Q_ATT_GET,
    Q_ATT_VISIBLE,
    Q_CASE_INSERT,
    Q_CASE_ATT_INSERT,
    Q_CASE_UPDATE,
    Q_CASE_GET,
    Q_CASE_ATT_GET,
    Q_CASE_BY_TRACKING,
    Q_CASE_COUNTS,
    Q_CASE_TALLY,
    Q_CASE_OVERDUE,
    Q_EVENT_INSERT,
    Q_EVENT_EV_INSERT,
    Q_EVENT_EACH,
    Q_EVENT_EV_GET,
    Q_REWARD_PUT,
    Q_REWARD_GET,
    Q_REWARD_EACH,
    Q_TASK_PUT,
    Q_TASK_EACH,
    Q_TVAL_PUT,
    Q_TVAL_EACH,
    Q_CHANGE_INSERT,
    Q_CHANGE_EV_INSERT,
    Q_CHANGE_EACH,
    Q_CHANGE_COUNT,
    Q_CHANGE_EV_GET,
    N_OFFICE_QUERIES
};
_Static_assert(N_OFFICE_QUERIES <= STORE_STMT_SLOTS, "the statement cache holds every query");

#define USER_COLS "id, name, display, role, org, pw_hash, disabled, created_utc"
#define CASE_COLS                                                                                  \
    "id, tracking, source, category, state, location, lon, lat, description, unit,"                \
    " deadline_utc, supervision, overdue_since_utc, created_utc, closed_utc, reopen_count,"        \
    " created_by, reporter_name, reporter_contact, updated_utc, n_events"
/* ?1 state, ?2 unit, ?3 category, ?4 source, ?5 created_by, ?6 min supervision, ?7 from,
 * ?8 to; a NULL (or 0 for the bounds) leaves the field free. */
#define CHANGE_COLS                                                                                \
    "id, plan_id, at_utc, actor, role, unit, object, object_id, field, old_value, new_value, note"
#define CHANGE_WHERE                                                                               \
    " WHERE plan_id = ?1 AND (?2 IS NULL OR object = ?2) AND (?3 IS NULL OR object_id = ?3)"       \
    " AND (?4 IS NULL OR unit = ?4) AND (?5 = 0 OR at_utc >= ?5) AND (?6 = 0 OR at_utc < ?6)"

static const char *const sql_text[N_OFFICE_QUERIES] = {
    [Q_TX_BEGIN] = "BEGIN IMMEDIATE",
    [Q_TX_COMMIT] = "COMMIT",
    [Q_TX_ROLLBACK] = "ROLLBACK",
    [Q_SP_BEGIN] = "SAVEPOINT office",
    [Q_SP_RELEASE] = "RELEASE office",
    [Q_SP_ROLLBACK] = "ROLLBACK TO office",
    [Q_USER_PUT] = "INSERT INTO app_user(name, display, role, org, pw_hash, disabled, created_utc)"
                   " VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(name) DO UPDATE SET"
                   " display=excluded.display, role=excluded.role, org=excluded.org,"
                   " pw_hash=excluded.pw_hash, disabled=excluded.disabled RETURNING id",
    [Q_USER_GET] = "SELECT " USER_COLS " FROM app_user WHERE name = ?1",
    [Q_USER_EACH] = "SELECT " USER_COLS " FROM app_user ORDER BY name",
    [Q_SESSION_PUT] = "INSERT OR REPLACE INTO session(token_hash, user_id, csrf, created_utc,"
                      " expires_utc) VALUES (?1,?2,?3,?4,?5)",
    [Q_SESSION_GET] = "SELECT s.token_hash, s.user_id, s.csrf, s.created_utc, s.expires_utc,"
                      " u.id, u.name, u.display, u.role, u.org, u.pw_hash, u.disabled,"
                      " u.created_utc FROM session s JOIN app_user u ON u.id = s.user_id"
                      " WHERE s.token_hash = ?1",
    [Q_SESSION_DEL] = "DELETE FROM session WHERE token_hash = ?1",
    [Q_SESSION_PURGE] = "DELETE FROM session WHERE expires_utc <= ?1",
    [Q_THROTTLE_GET] = "SELECT failures, last_failure_utc, next_allowed_utc FROM login_throttle"
                       " WHERE account = ?1 AND addr = ?2",
    [Q_THROTTLE_PUT] = "INSERT OR REPLACE INTO login_throttle(account, addr, failures,"
                       " last_failure_utc, next_allowed_utc) VALUES (?1,?2,?3,?4,?5)",
    [Q_THROTTLE_CLEAR] = "DELETE FROM login_throttle WHERE account = ?1 AND addr = ?2",
    [Q_RATE_HIT] = "INSERT INTO rate_window(key, window_start, hits) VALUES (?1,?2,1)"
                   " ON CONFLICT(key, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits",
    [Q_RATE_OLD] = "DELETE FROM rate_window WHERE key = ?1 AND window_start < ?2",
    [Q_AUDIT_PUT] = "INSERT INTO audit(at_utc, actor, action, object, detail, addr)"
                    " VALUES (?1,?2,?3,?4,?5,?6)",
    [Q_AUDIT_EACH] = "SELECT id, at_utc, actor, action, object, detail, addr FROM audit"
                     " ORDER BY id DESC LIMIT ?1 OFFSET ?2",
    [Q_AUDIT_COUNT] = "SELECT count(*) FROM audit",
    [Q_ATT_PUT] = "INSERT INTO attachment(key, mime, sha256, size, uploader, created_utc, data)"
                  " VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [Q_ATT_GET] = "SELECT key, mime, sha256, data, size, uploader, created_utc FROM attachment"
                  " WHERE key = ?1",
    [Q_ATT_VISIBLE] =
        "SELECT EXISTS (SELECT 1 FROM case_attachment a JOIN case_file c ON c.id = a.case_id"
        "   WHERE a.key = ?1 AND c.unit = ?2)"
        " OR EXISTS (SELECT 1 FROM case_event_evidence e JOIN case_file c ON c.id = e.case_id"
        "   WHERE e.key = ?1 AND c.unit = ?2)"
        " OR EXISTS (SELECT 1 FROM ledger_change_evidence e JOIN ledger_change l"
        "   ON l.id = e.change_id WHERE e.key = ?1 AND l.unit = ?2)",
    [Q_CASE_INSERT] =
        "INSERT INTO case_file(tracking, source, category, state, location, lon, lat,"
        " description, unit, deadline_utc, supervision, overdue_since_utc, created_utc,"
        " closed_utc, reopen_count, created_by, reporter_name, reporter_contact, updated_utc)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)",
    [Q_CASE_ATT_INSERT] = "INSERT INTO case_attachment(case_id, pos, key) VALUES (?1,?2,?3)",
    [Q_CASE_UPDATE] = "UPDATE case_file SET state=?2, unit=?3, deadline_utc=?4, supervision=?5,"
                      " overdue_since_utc=?6, closed_utc=?7, reopen_count=?8, updated_utc=?9"
                      " WHERE id = ?1",
    [Q_CASE_GET] = "SELECT " CASE_COLS " FROM case_file WHERE id = ?1",
    [Q_CASE_ATT_GET] = "SELECT key FROM case_attachment WHERE case_id = ?1 ORDER BY pos",
    [Q_CASE_BY_TRACKING] = "SELECT id FROM case_file WHERE tracking = ?1",
    [Q_CASE_COUNTS] = "SELECT state, count(*) FROM case_file WHERE (?1 IS NULL OR unit = ?1)"
                      " GROUP BY state ORDER BY state",
    [Q_CASE_TALLY] =
        "SELECT coalesce(sum(state IN ('assigned','reopened','rectifying') AND deadline_utc > 0"
        " AND deadline_utc < ?2), 0),"
        " coalesce(sum(state NOT IN ('closed','rejected') AND supervision = 1), 0),"
        " coalesce(sum(state NOT IN ('closed','rejected') AND supervision = 2), 0)"
        " FROM case_file WHERE (?1 IS NULL OR unit = ?1)",
    /* Same predicate as the partial index case_deadline, so the query is a range scan. */
    [Q_CASE_OVERDUE] = "SELECT id FROM case_file WHERE supervision < 2"
                       " AND state IN ('assigned','reopened','rectifying')"
                       " AND deadline_utc > 0 AND deadline_utc <= ?1 ORDER BY deadline_utc, id",
    [Q_EVENT_INSERT] = "INSERT INTO case_event(case_id, seq, at_utc, action, from_state, to_state,"
                       " actor, role, reason, unit, deadline_utc, level)"
                       " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [Q_EVENT_EV_INSERT] =
        "INSERT INTO case_event_evidence(case_id, seq, pos, key) VALUES (?1,?2,?3,?4)",
    [Q_EVENT_EACH] = "SELECT case_id, seq, at_utc, action, from_state, to_state, actor, role,"
                     " reason, unit, deadline_utc, level FROM case_event WHERE case_id = ?1"
                     " ORDER BY seq",
    [Q_EVENT_EV_GET] =
        "SELECT key FROM case_event_evidence WHERE case_id = ?1 AND seq = ?2 ORDER BY pos",
    [Q_REWARD_PUT] = "INSERT OR REPLACE INTO reward(case_id, status, amount_fen, decided_by,"
                     " decided_utc, paid_utc, note) VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [Q_REWARD_GET] = "SELECT case_id, status, amount_fen, decided_by, decided_utc, paid_utc, note"
                     " FROM reward WHERE case_id = ?1",
    [Q_REWARD_EACH] = "SELECT case_id, status, amount_fen, decided_by, decided_utc, paid_utc,"
                      " note FROM reward ORDER BY case_id",
    [Q_TASK_PUT] = "INSERT OR REPLACE INTO ledger_task(plan_id, task_id, progress_pct, done,"
                   " done_utc, updated_utc) VALUES (?1,?2,?3,?4,?5,?6)",
    [Q_TASK_EACH] = "SELECT plan_id, task_id, progress_pct, done, done_utc, updated_utc"
                    " FROM ledger_task WHERE plan_id = ?1 ORDER BY task_id",
    [Q_TVAL_PUT] = "INSERT OR REPLACE INTO ledger_target_value(plan_id, target_id, value, unit,"
                   " reported_utc) VALUES (?1,?2,?3,?4,?5)",
    [Q_TVAL_EACH] = "SELECT plan_id, target_id, value, unit, reported_utc"
                    " FROM ledger_target_value WHERE plan_id = ?1 ORDER BY target_id",
    [Q_CHANGE_INSERT] =
        "INSERT INTO ledger_change(plan_id, at_utc, actor, role, unit, object, object_id, field,"
        " old_value, new_value, note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [Q_CHANGE_EV_INSERT] =
        "INSERT INTO ledger_change_evidence(change_id, pos, key) VALUES (?1,?2,?3)",
    [Q_CHANGE_EACH] = "SELECT " CHANGE_COLS " FROM ledger_change" CHANGE_WHERE
                      " ORDER BY at_utc DESC, id DESC LIMIT ?7 OFFSET ?8",
    [Q_CHANGE_COUNT] = "SELECT count(*) FROM ledger_change" CHANGE_WHERE,
    [Q_CHANGE_EV_GET] = "SELECT key FROM ledger_change_evidence WHERE change_id = ?1 ORDER BY pos",
};

/* ---- helpers ------------------------------------------------------------------------ */

static int errf(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int errf(char *err, size_t errcap, const char *fmt, ...)
{
    if (err && errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int fail(store *s, const char *what, char *err, size_t errcap)
{
    return errf(err, errcap, "%s: %s", what, sqlite3_errmsg(store_sqlite_handle(s)));
}

/* The cached statement for q, or NULL with err filled. */
static sqlite3_stmt *stmt(store *s, int q, char *err, size_t errcap)
{
    sqlite3_stmt *st = store_stmt(s, q, sql_text[q]);
    if (!st)
        fail(s, "prepare", err, errcap);
    return st;
}

static void done_with(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Step a statement that returns no row we need (or one RETURNING row, ignored). */
static int run(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errcap)
{
    int rc = sqlite3_step(st);
    int out = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : fail(s, what, err, errcap);
    done_with(st);
    return out;
}

static int run_q(store *s, int q, const char *what, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, q, err, errcap);
    return st ? run(s, st, what, err, errcap) : -1;
}

/* Atomic group of writes: a transaction of its own, or a savepoint inside the caller's. */
typedef enum { TX_OWN, TX_SAVEPOINT } tx_kind;

static int tx_open(store *s, tx_kind *k, char *err, size_t errcap)
{
    *k = store_in_transaction(s) ? TX_SAVEPOINT : TX_OWN;
    return run_q(s, *k == TX_OWN ? Q_TX_BEGIN : Q_SP_BEGIN, "begin", err, errcap);
}

/* Commit (ok) or undo the group; returns ok ? the commit's result : -1. */
static int tx_close(store *s, tx_kind k, bool ok, char *err, size_t errcap)
{
    if (ok)
        return run_q(s, k == TX_OWN ? Q_TX_COMMIT : Q_SP_RELEASE, "commit", err, errcap);
    if (k == TX_OWN) {
        (void)run_q(s, Q_TX_ROLLBACK, "rollback", NULL, 0);
    } else {
        (void)run_q(s, Q_SP_ROLLBACK, "rollback", NULL, 0);
        (void)run_q(s, Q_SP_RELEASE, "release", NULL, 0);
    }
    return -1;
}

/* Iterate the rows of a prepared, bound statement: row() turns each into a callback call. */
/* A row function returns fn's result, or -1 with err filled when it could not read the row
 * (a key list that failed to step). */
typedef int (*row_fn)(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                      size_t errcap);

static int each(store *s, sqlite3_stmt *st, row_fn row, void *fn, void *ctx, const char *what,
                char *err, size_t errcap)
{
    arena mem;
    arena_init(&mem, 1024);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out = row(s, st, fn, ctx, &mem, err, errcap);
        arena_reset(&mem);
        if (out)
            break;
    }
    if (out == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = fail(s, what, err, errcap);
    done_with(st);
    arena_free(&mem);
    return out;
}

/* Like each() for a query of at most one row: 1 if found (fn's non-zero return wins), 0 if
 * not, -1 on failure. fn may be NULL to ask only whether the row exists. */
static int one(store *s, sqlite3_stmt *st, row_fn row, void *fn, void *ctx, const char *what,
               char *err, size_t errcap)
{
    arena mem;
    arena_init(&mem, 512);
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        out = fn ? row(s, st, fn, ctx, &mem, err, errcap) : 0;
        out = out ? out : 1;
    } else if (rc != SQLITE_DONE) {
        out = fail(s, what, err, errcap);
    }
    done_with(st);
    arena_free(&mem);
    return out;
}

/* A list of keys (one text column) read into mem: *out receives the array (NULL when
 * empty) and *n the count. 0, or -1 with err filled when a step fails (SQLITE_BUSY, I/O):
 * a short list would read as evidence that is not there. On failure *out and *n are
 * unchanged. */
static int key_list(store *s, sqlite3_stmt *st, arena *mem, const char *const **out, size_t *n,
                    const char *what, char *err, size_t errcap)
{
    size_t cap = 4, k = 0;
    const char **v = arena_alloc(mem, cap * sizeof *v);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            const char **w = arena_alloc(mem, 2 * cap * sizeof *w);
            memcpy(w, v, cap * sizeof *v);
            v = w;
            cap *= 2;
        }
        const char *key = col_text(st, 0);
        v[k++] = arena_strndup(mem, key ? key : "", key ? strlen(key) : 0);
    }
    int res = rc == SQLITE_DONE ? 0 : fail(s, what, err, errcap);
    done_with(st);
    if (res == 0) {
        *out = k ? v : NULL;
        *n = k;
    }
    return res;
}

static int64_t count_of(store *s, sqlite3_stmt *st, int64_t *out, const char *what, char *err,
                        size_t errcap)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    done_with(st);
    return rc == SQLITE_ROW ? 0 : fail(s, what, err, errcap);
}

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

/* SQLite: LIMIT -1 means no limit. */
static void bind_page(sqlite3_stmt *st, int i, int64_t limit, int64_t offset)
{
    sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
    sqlite3_bind_int64(st, i + 1, offset > 0 ? offset : 0);
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

/* ---- attachments -------------------------------------------------------------------- */

int office_attachment_put(store *s, const void *data, size_t n, const char *mime,
                          const char *uploader, int64_t now_utc, char key_out[OFFICE_KEY_LEN + 1],
                          char *err, size_t errcap)
{
    if (!mime || !uploader || (!data && n))
        return errf(err, errcap, "attachment: mime type and uploader are required");
    if (n > (size_t)INT32_MAX)
        return errf(err, errcap, "attachment: %zu bytes is too large", n);
    if (sodium_init() < 0)
        return errf(err, errcap, "attachment: no entropy source for a key");
    /* 16 random bytes = 128 bits, as 22 characters of unpadded URL-safe base64. */
    uint8_t raw[16];
    randombytes_buf(raw, sizeof raw);
    char key[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    _Static_assert(sizeof key == OFFICE_KEY_LEN + 1, "22 characters and a NUL");
    sodium_bin2base64(key, sizeof key, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data ? data : (const void *)"", n);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);

    sqlite3_stmt *st = stmt(s, Q_ATT_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, key);
    bind_text(st, 2, mime);
    bind_text(st, 3, hex);
    sqlite3_bind_int64(st, 4, (int64_t)n);
    bind_text(st, 5, uploader);
    sqlite3_bind_int64(st, 6, now_utc);
    sqlite3_bind_blob(st, 7, data ? data : (const void *)"", (int)n, SQLITE_STATIC);
    if (run(s, st, "attachment put", err, errcap) < 0)
        return -1;
    memcpy(key_out, key, OFFICE_KEY_LEN + 1);
    return 0;
}

static int attachment_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                          size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_attachment a = {
        .key = col_text(st, 0),
        .mime = col_text(st, 1),
        .sha256_hex = col_text(st, 2),
        .data = sqlite3_column_blob(st, 3),
        .size = (size_t)sqlite3_column_bytes(st, 3),
        .uploader = col_text(st, 5),
        .created_utc = sqlite3_column_int64(st, 6),
    };
    if (!a.data)
        a.data = ""; /* an empty blob reads back as NULL */
    return ((office_attachment_fn)fn)(ctx, &a);
}

int office_attachment_get(store *s, const char *key, office_attachment_fn fn, void *ctx, char *err,
                          size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_ATT_GET, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, key);
    return one(s, st, attachment_row, (void *)fn, ctx, "attachment get", err, errcap);
}

int office_attachment_visible(store *s, const char *key, const char *unit, char *err, size_t errcap)
{
    if (!key || !unit)
        return 0;
    sqlite3_stmt *st = stmt(s, Q_ATT_VISIBLE, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, key);
    bind_text(st, 2, unit);
    int rc = sqlite3_step(st), out;
    if (rc == SQLITE_ROW)
        out = sqlite3_column_int(st, 0) != 0;
    else
        out = fail(s, "attachment visibility", err, errcap);
    done_with(st);
    return out;
}

/* ---- cases -------------------------------------------------------------------------- */

static int insert_keys(store *s, int q, int64_t id, int64_t seq, const char *const *keys, size_t n,
                       const char *what, char *err, size_t errcap)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = stmt(s, q, err, errcap);
        if (!st)
            return -1;
        int c = 1;
        sqlite3_bind_int64(st, c++, id);
        if (seq >= 0)
            sqlite3_bind_int64(st, c++, seq);
        sqlite3_bind_int64(st, c++, (int64_t)i);
        bind_text(st, c, keys[i]);
        if (run(s, st, what, err, errcap) < 0)
            return -1;
    }
    return 0;
}

int office_case_insert(store *s, const office_case *c, int64_t *id_out, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_INSERT, err, errcap);
    if (!st)
        return -1;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    bind_text(st, 1, c->tracking);
    bind_text(st, 2, c->source);
    bind_text(st, 3, c->category);
    bind_text(st, 4, c->state);
    bind_text(st, 5, c->location);
    sqlite3_bind_double(st, 6, c->lon);
    sqlite3_bind_double(st, 7, c->lat);
    bind_text(st, 8, c->description);
    bind_text(st, 9, c->unit);
    sqlite3_bind_int64(st, 10, c->deadline_utc);
    sqlite3_bind_int(st, 11, c->supervision);
    sqlite3_bind_int64(st, 12, c->overdue_since_utc);
    sqlite3_bind_int64(st, 13, c->created_utc);
    sqlite3_bind_int64(st, 14, c->closed_utc);
    sqlite3_bind_int64(st, 15, c->reopen_count);
    bind_text(st, 16, c->created_by);
    bind_text(st, 17, c->reporter_name);
    bind_text(st, 18, c->reporter_contact);
    sqlite3_bind_int64(st, 19, c->updated_utc ? c->updated_utc : c->created_utc);
    bool ok = run(s, st, "case insert", err, errcap) == 0;
    int64_t id = ok ? sqlite3_last_insert_rowid(store_sqlite_handle(s)) : 0;
    ok = ok && insert_keys(s, Q_CASE_ATT_INSERT, id, -1, c->attachments, c->n_attachments,
                           "case attachment insert", err, errcap) == 0;
    if (tx_close(s, k, ok, err, errcap) < 0)
        return -1;
    if (id_out)
        *id_out = id;
    return 0;
}

int office_case_update(store *s, const office_case *c, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_UPDATE, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, c->state);
    bind_text(st, 3, c->unit);
    sqlite3_bind_int64(st, 4, c->deadline_utc);
    sqlite3_bind_int(st, 5, c->supervision);
    sqlite3_bind_int64(st, 6, c->overdue_since_utc);
    sqlite3_bind_int64(st, 7, c->closed_utc);
    sqlite3_bind_int64(st, 8, c->reopen_count);
    sqlite3_bind_int64(st, 9, c->updated_utc);
    if (run(s, st, "case update", err, errcap) < 0)
        return -1;
    if (sqlite3_changes(store_sqlite_handle(s)) != 1)
        return errf(err, errcap, "case update: no case %lld", (long long)c->id);
    return 0;
}

int office_event_append(store *s, const office_event *e, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_EVENT_INSERT, err, errcap);
    if (!st)
        return -1;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, e->case_id);
    sqlite3_bind_int64(st, 2, e->seq);
    sqlite3_bind_int64(st, 3, e->at_utc);
    bind_text(st, 4, e->action);
    bind_text(st, 5, e->from_state);
    bind_text(st, 6, e->to_state);
    bind_text(st, 7, e->actor);
    bind_text(st, 8, e->role);
    bind_text(st, 9, e->reason);
    bind_text(st, 10, e->unit);
    sqlite3_bind_int64(st, 11, e->deadline_utc);
    sqlite3_bind_int(st, 12, e->level);
    bool ok = run(s, st, "event append", err, errcap) == 0;
    ok = ok && insert_keys(s, Q_EVENT_EV_INSERT, e->case_id, e->seq, e->evidence, e->n_evidence,
                           "event evidence insert", err, errcap) == 0;
    return tx_close(s, k, ok, err, errcap);
}

/* The case of the current row with its attachment list: 0, or -1 with err filled. */
static int case_from(store *s, sqlite3_stmt *st, arena *mem, office_case *out, char *err,
                     size_t errcap)
{
    office_case c = {
        .id = sqlite3_column_int64(st, 0),
        .tracking = col_text(st, 1),
        .source = col_text(st, 2),
        .category = col_text(st, 3),
        .state = col_text(st, 4),
        .location = col_text(st, 5),
        .lon = sqlite3_column_double(st, 6),
        .lat = sqlite3_column_double(st, 7),
        .description = col_text(st, 8),
        .unit = col_text(st, 9),
        .deadline_utc = sqlite3_column_int64(st, 10),
        .supervision = sqlite3_column_int(st, 11),
        .overdue_since_utc = sqlite3_column_int64(st, 12),
        .created_utc = sqlite3_column_int64(st, 13),
        .closed_utc = sqlite3_column_int64(st, 14),
        .reopen_count = (uint32_t)sqlite3_column_int64(st, 15),
        .created_by = col_text(st, 16),
        .reporter_name = col_text(st, 17),
        .reporter_contact = col_text(st, 18),
        .updated_utc = sqlite3_column_int64(st, 19),
        .n_events = (uint32_t)sqlite3_column_int64(st, 20),
    };
    sqlite3_stmt *a = stmt(s, Q_CASE_ATT_GET, err, errcap);
    if (!a)
        return -1;
    sqlite3_bind_int64(a, 1, c.id);
    if (key_list(s, a, mem, &c.attachments, &c.n_attachments, "case attachments", err, errcap) < 0)
        return -1;
    *out = c;
    return 0;
}

static int case_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    office_case c;
    if (case_from(s, st, mem, &c, err, errcap) < 0)
        return -1;
    return ((office_case_fn)fn)(ctx, &c);
}

int office_case_get(store *s, int64_t id, office_case_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_GET, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return one(s, st, case_row, (void *)fn, ctx, "case get", err, errcap);
}

int office_case_by_tracking(store *s, const char *tracking, int64_t *id_out, char *err,
                            size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_BY_TRACKING, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, tracking);
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        out = 1;
    } else if (rc != SQLITE_DONE) {
        out = fail(s, "case by tracking", err, errcap);
    }
    done_with(st);
    return out;
}

static int event_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                     size_t errcap)
{
    office_event e = {
        .case_id = sqlite3_column_int64(st, 0),
        .seq = (uint32_t)sqlite3_column_int64(st, 1),
        .at_utc = sqlite3_column_int64(st, 2),
        .action = col_text(st, 3),
        .from_state = col_text(st, 4),
        .to_state = col_text(st, 5),
        .actor = col_text(st, 6),
        .role = col_text(st, 7),
        .reason = col_text(st, 8),
        .unit = col_text(st, 9),
        .deadline_utc = sqlite3_column_int64(st, 10),
        .level = sqlite3_column_int(st, 11),
    };
    sqlite3_stmt *ev = stmt(s, Q_EVENT_EV_GET, err, errcap);
    if (!ev)
        return -1;
    sqlite3_bind_int64(ev, 1, e.case_id);
    sqlite3_bind_int64(ev, 2, e.seq);
    if (key_list(s, ev, mem, &e.evidence, &e.n_evidence, "event evidence", err, errcap) < 0)
        return -1;
    return ((office_event_fn)fn)(ctx, &e);
}

int office_events_each(store *s, int64_t case_id, office_event_fn fn, void *ctx, char *err,
                       size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_EVENT_EACH, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    return each(s, st, event_row, (void *)fn, ctx, "event list", err, errcap);
}

static void bind_case_filter(sqlite3_stmt *st, const office_case_filter *f)
{
    bind_text(st, 1, f->state);
    bind_text(st, 2, f->unit);
    bind_text(st, 3, f->category);
    bind_text(st, 4, f->source);
    bind_text(st, 5, f->created_by);
    sqlite3_bind_int(st, 6, f->min_supervision);
    sqlite3_bind_int64(st, 7, f->from_utc);
    sqlite3_bind_int64(st, 8, f->to_utc);
}

/* The WHERE clause of a case filter, naming only the filters that are set: SQLite's planner
 * cannot use an index through "(?2 IS NULL OR unit = ?2)", so a generic statement would read
 * every case for every page. Parameters keep their numbers (bind_case_filter binds them all;
 * those the text does not name are ignored). */
static void case_where(const office_case_filter *f, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, " WHERE supervision >= ?6");
    const char *const set[] = {f->state, f->unit, f->category, f->source, f->created_by};
    static const char *const clause[] = {" AND state = ?1", " AND unit = ?2", " AND category = ?3",
                                         " AND source = ?4", " AND created_by = ?5"};
    for (size_t i = 0; i < sizeof set / sizeof set[0] && n < cap; i++)
        if (set[i])
            n += (size_t)snprintf(buf + n, cap - n, "%s", clause[i]);
    if (f->from_utc && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " AND created_utc >= ?7");
    if (f->to_utc && n < cap)
        snprintf(buf + n, cap - n, " AND created_utc < ?8");
}

/* Prepare "head WHERE … tail" for f and bind it; NULL with err on failure. The caller
 * finalizes: 2^8 shapes of filter are too many to cache, and at human request rates the
 * preparation (tens of µs) is not what costs. */
static sqlite3_stmt *case_query(store *s, const office_case_filter *f, const char *head,
                                const char *tail, char *err, size_t errcap)
{
    char where[256], sql[1024];
    case_where(f, where, sizeof where);
    snprintf(sql, sizeof sql, "%s%s%s", head, where, tail);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_sqlite_handle(s), sql, -1, &st, NULL) != SQLITE_OK) {
        fail(s, "case list: prepare", err, errcap);
        sqlite3_finalize(st);
        return NULL;
    }
    bind_case_filter(st, f);
    return st;
}

int office_cases_each(store *s, const office_case_filter *f, int64_t *total, office_case_fn fn,
                      void *ctx, char *err, size_t errcap)
{
    static const office_case_filter any = {0};
    if (!f)
        f = &any;
    sqlite3_stmt *st;
    if (total) {
        if (!(st = case_query(s, f, "SELECT count(*) FROM case_file", "", err, errcap)))
            return -1;
        int64_t rc = count_of(s, st, total, "case count", err, errcap);
        sqlite3_finalize(st);
        if (rc < 0)
            return -1;
    }
    if (!(st = case_query(s, f, "SELECT " CASE_COLS " FROM case_file",
                          " ORDER BY created_utc DESC, id DESC LIMIT ?9 OFFSET ?10", err, errcap)))
        return -1;
    bind_page(st, 9, f->limit, f->offset);
    int rc = each(s, st, case_row, (void *)fn, ctx, "case list", err, errcap);
    sqlite3_finalize(st);
    return rc;
}

int office_case_counts(store *s, const char *unit, office_count_fn fn, void *ctx, char *err,
                       size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_COUNTS, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, unit);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(ctx, col_text(st, 0), sqlite3_column_int64(st, 1))) != 0)
            break;
    if (out == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = fail(s, "case counts", err, errcap);
    done_with(st);
    return out;
}

int office_case_tally_get(store *s, const char *unit, int64_t now_utc, office_case_tally *out,
                          char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_TALLY, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, unit);
    sqlite3_bind_int64(st, 2, now_utc);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (office_case_tally){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                   sqlite3_column_int64(st, 2)};
    done_with(st);
    return rc == SQLITE_ROW ? 0 : fail(s, "case tally", err, errcap);
}

int office_cases_overdue(store *s, int64_t now_utc, office_id_fn fn, void *ctx, char *err,
                         size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_OVERDUE, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_utc);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(ctx, sqlite3_column_int64(st, 0))) != 0)
            break;
    if (out == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = fail(s, "overdue cases", err, errcap);
    done_with(st);
    return out;
}

/* ---- rewards ------------------------------------------------------------------------ */

int office_reward_put(store *s, const office_reward *r, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_REWARD_PUT, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->case_id);
    bind_text(st, 2, r->status);
    sqlite3_bind_int64(st, 3, r->amount_fen);
    bind_text(st, 4, r->decided_by);
    sqlite3_bind_int64(st, 5, r->decided_utc);
    sqlite3_bind_int64(st, 6, r->paid_utc);
    bind_text(st, 7, r->note);
    return run(s, st, "reward put", err, errcap);
}

static int reward_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                      size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_reward r = {
        .case_id = sqlite3_column_int64(st, 0),
        .status = col_text(st, 1),
        .amount_fen = sqlite3_column_int64(st, 2),
        .decided_by = col_text(st, 3),
        .decided_utc = sqlite3_column_int64(st, 4),
        .paid_utc = sqlite3_column_int64(st, 5),
        .note = col_text(st, 6),
    };
    return ((office_reward_fn)fn)(ctx, &r);
}

int office_reward_get(store *s, int64_t case_id, office_reward_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_REWARD_GET, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    return one(s, st, reward_row, (void *)fn, ctx, "reward get", err, errcap);
}

int office_rewards_each(store *s, office_reward_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_REWARD_EACH, err, errcap);
    return st ? each(s, st, reward_row, (void *)fn, ctx, "reward list", err, errcap) : -1;
}

/* ---- the plan ledger ---------------------------------------------------------------- */

int office_task_put(store *s, const office_task *t, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TASK_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, t->plan_id);
    bind_text(st, 2, t->task_id);
    sqlite3_bind_int(st, 3, t->progress_pct);
    sqlite3_bind_int(st, 4, t->done);
    sqlite3_bind_int64(st, 5, t->done_utc);
    sqlite3_bind_int64(st, 6, t->updated_utc);
    return run(s, st, "task put", err, errcap);
}

static int task_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_task t = {
        .plan_id = col_text(st, 0),
        .task_id = col_text(st, 1),
        .progress_pct = sqlite3_column_int(st, 2),
        .done = sqlite3_column_int(st, 3) != 0,
        .done_utc = sqlite3_column_int64(st, 4),
        .updated_utc = sqlite3_column_int64(st, 5),
    };
    return ((office_task_fn)fn)(ctx, &t);
}

int office_tasks_each(store *s, const char *plan_id, office_task_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TASK_EACH, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, plan_id);
    return each(s, st, task_row, (void *)fn, ctx, "task list", err, errcap);
}

int office_target_value_put(store *s, const office_target_value *v, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TVAL_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, v->plan_id);
    bind_text(st, 2, v->target_id);
    sqlite3_bind_double(st, 3, v->value);
    bind_text(st, 4, v->unit);
    sqlite3_bind_int64(st, 5, v->reported_utc);
    return run(s, st, "target value put", err, errcap);
}

static int tval_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_target_value v = {
        .plan_id = col_text(st, 0),
        .target_id = col_text(st, 1),
        .value = sqlite3_column_double(st, 2),
        .unit = col_text(st, 3),
        .reported_utc = sqlite3_column_int64(st, 4),
    };
    return ((office_target_value_fn)fn)(ctx, &v);
}

int office_target_values_each(store *s, const char *plan_id, office_target_value_fn fn, void *ctx,
                              char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TVAL_EACH, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, plan_id);
    return each(s, st, tval_row, (void *)fn, ctx, "target value list", err, errcap);
}

int office_change_append(store *s, const office_change *c, int64_t *id_out, char *err,
                         size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CHANGE_INSERT, err, errcap);
    if (!st)
        return -1;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    bind_text(st, 1, c->plan_id);
    sqlite3_bind_int64(st, 2, c->at_utc);
    bind_text(st, 3, c->actor);
    bind_text(st, 4, c->role);
    bind_text(st, 5, c->unit);
    bind_text(st, 6, c->object);
    bind_text(st, 7, c->object_id);
    bind_text(st, 8, c->field);
    bind_text(st, 9, c->old_value ? c->old_value : "");
    bind_text(st, 10, c->new_value ? c->new_value : "");
    bind_text(st, 11, c->note);
    bool ok = run(s, st, "change append", err, errcap) == 0;
    int64_t id = ok ? sqlite3_last_insert_rowid(store_sqlite_handle(s)) : 0;
    ok = ok && insert_keys(s, Q_CHANGE_EV_INSERT, id, -1, c->evidence, c->n_evidence,
                           "change evidence insert", err, errcap) == 0;
    if (tx_close(s, k, ok, err, errcap) < 0)
        return -1;
    if (id_out)
        *id_out = id;
    return 0;
}

static int change_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                      size_t errcap)
{
    office_change c = {
        .id = sqlite3_column_int64(st, 0),
        .plan_id = col_text(st, 1),
        .at_utc = sqlite3_column_int64(st, 2),
        .actor = col_text(st, 3),
        .role = col_text(st, 4),
        .unit = col_text(st, 5),
        .object = col_text(st, 6),
        .object_id = col_text(st, 7),
        .field = col_text(st, 8),
        .old_value = col_text(st, 9),
        .new_value = col_text(st, 10),
        .note = col_text(st, 11),
    };
    sqlite3_stmt *ev = stmt(s, Q_CHANGE_EV_GET, err, errcap);
    if (!ev)
        return -1;
    sqlite3_bind_int64(ev, 1, c.id);
    if (key_list(s, ev, mem, &c.evidence, &c.n_evidence, "change evidence", err, errcap) < 0)
        return -1;
    return ((office_change_fn)fn)(ctx, &c);
}

static void bind_change_filter(sqlite3_stmt *st, const office_change_filter *f)
{
    bind_text(st, 1, f->plan_id);
    bind_text(st, 2, f->object);
    bind_text(st, 3, f->object_id);
    bind_text(st, 4, f->unit);
    sqlite3_bind_int64(st, 5, f->from_utc);
    sqlite3_bind_int64(st, 6, f->to_utc);
}

int office_changes_each(store *s, const office_change_filter *f, int64_t *total,
                        office_change_fn fn, void *ctx, char *err, size_t errcap)
{
    if (!f || !f->plan_id)
        return errf(err, errcap, "changes: a plan id is required");
    sqlite3_stmt *st;
    if (total) {
        if (!(st = stmt(s, Q_CHANGE_COUNT, err, errcap)))
            return -1;
        bind_change_filter(st, f);
        if (count_of(s, st, total, "change count", err, errcap) < 0)
            return -1;
    }
    if (!(st = stmt(s, Q_CHANGE_EACH, err, errcap)))
        return -1;
    bind_change_filter(st, f);
    bind_page(st, 7, f->limit, f->offset);
    return each(s, st, change_row, (void *)fn, ctx, "change list", err, errcap);
}
