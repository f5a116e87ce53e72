/* office_internal: what the SQLite files of store/office.h (office_account_sqlite.c,
 * office_case_sqlite.c, office_ledger_sqlite.c) share: the statement table, whose slots in
 * store_stmt()'s cache they all use, and the helpers that run statements, rows and the
 * transactions of multi-statement writes. Header-only (static inline); never included above
 * src/store/.
 *
 * The files implement store/office.h on the SQLite schema of migration 2 (store_sqlite.c,
 * docs/storage.md).
 *
 * Statements are prepared once per handle through store_stmt()'s cache and reset after use.
 * Writes that take more than one statement (a case with its attachment list, an event with
 * its evidence, a ledger change with its evidence, a rate hit with the cleanup of older
 * windows) run in a transaction of their own when the caller has none open, and inside a
 * SAVEPOINT when it has, so that a failure half-way never leaves half a row set behind
 * while the caller's transaction stays usable. */
#ifndef EW_STORE_OFFICE_INTERNAL_H
#define EW_STORE_OFFICE_INTERNAL_H
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
    Q_EVENT_FINDING_INSERT,
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
_Static_assert((int)N_OFFICE_QUERIES <= (int)STORE_SLOTS_OFFICE, "the office's slots hold every query");

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
    [Q_EVENT_FINDING_INSERT] =
        "INSERT INTO case_event_finding(case_id, seq, finding) VALUES (?1,?2,?3)",
    [Q_EVENT_EACH] = "SELECT e.case_id, e.seq, at_utc, action, from_state, to_state, actor, role,"
                     " reason, unit, deadline_utc, level, f.finding FROM case_event e"
                     " LEFT JOIN case_event_finding f ON f.case_id = e.case_id AND f.seq = e.seq"
                     " WHERE e.case_id = ?1 ORDER BY e.seq",
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

static inline int errf(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int errf(char *err, size_t errcap, const char *fmt, ...)
{
    if (err && errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static inline int fail(store *s, const char *what, char *err, size_t errcap)
{
    store_note_failure(s);
    return errf(err, errcap, "%s: %s", what, sqlite3_errmsg(store_sqlite_handle(s)));
}

/* The cached statement for q, or NULL with err filled. */
static inline sqlite3_stmt *stmt(store *s, int q, char *err, size_t errcap)
{
    sqlite3_stmt *st = store_stmt(s, q, sql_text[q]);
    if (!st)
        fail(s, "prepare", err, errcap);
    return st;
}

static inline void done_with(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static inline void bind_text(sqlite3_stmt *st, int i, const char *v)
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
static inline int run(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errcap)
{
    int rc = sqlite3_step(st);
    int out = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : fail(s, what, err, errcap);
    done_with(st);
    return out;
}

static inline int run_q(store *s, int q, const char *what, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, q, err, errcap);
    return st ? run(s, st, what, err, errcap) : -1;
}

/* Atomic group of writes: a transaction of its own, or a savepoint inside the caller's. */
typedef enum { TX_OWN, TX_SAVEPOINT } tx_kind;

static inline int tx_open(store *s, tx_kind *k, char *err, size_t errcap)
{
    *k = store_in_transaction(s) ? TX_SAVEPOINT : TX_OWN;
    return run_q(s, *k == TX_OWN ? Q_TX_BEGIN : Q_SP_BEGIN, "begin", err, errcap);
}

/* Commit (ok) or undo the group; returns ok ? the commit's result : -1. */
static inline int tx_close(store *s, tx_kind k, bool ok, char *err, size_t errcap)
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

static inline int each(store *s, sqlite3_stmt *st, row_fn row, void *fn, void *ctx,
                       const char *what, char *err, size_t errcap)
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
static inline int one(store *s, sqlite3_stmt *st, row_fn row, void *fn, void *ctx, const char *what,
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
static inline int key_list(store *s, sqlite3_stmt *st, arena *mem, const char *const **out,
                           size_t *n, const char *what, char *err, size_t errcap)
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

static inline int64_t count_of(store *s, sqlite3_stmt *st, int64_t *out, const char *what,
                               char *err, size_t errcap)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    done_with(st);
    return rc == SQLITE_ROW ? 0 : fail(s, what, err, errcap);
}

/* SQLite: LIMIT -1 means no limit. */
static inline void bind_page(sqlite3_stmt *st, int i, int64_t limit, int64_t offset)
{
    sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
    sqlite3_bind_int64(st, i + 1, offset > 0 ? offset : 0);
}

static inline int insert_keys(store *s, int q, int64_t id, int64_t seq, const char *const *keys,
                              size_t n, const char *what, char *err, size_t errcap)
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

#endif
