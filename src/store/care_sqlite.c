/* care_sqlite: the soundness check, online backup and restore of store.h, for SQLite.
 *
 * The backup is one sqlite3_backup_step(-1): a single read transaction copies every page, so
 * the copy is a consistent snapshot and, the database being in WAL mode, the writer goes on
 * meanwhile. Copying in small steps instead would restart the copy each time another
 * connection writes, i.e. never finish under ingest load. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "store/store.h"
#include "store/backend.h"
#include "store/store_internal.h"

enum { MAX_PER_CLASS = 20 };

typedef struct checker {
    sqlite3 *db;
    store_problem_fn fn;
    void *ctx;
    int problems;
    char *err;
    size_t errcap;
} checker;

static void problem(checker *c, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(checker *c, const char *what, const char *fmt, ...)
{
    c->problems++;
    if (!c->fn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->fn(c->ctx, what, msg);
}

static int sql_fail(checker *c, const char *what)
{
    return ew_errf(c->err, c->errcap, EW_EINTERNAL, "check: %s: %s", what, sqlite3_errmsg(c->db));
}

/* Run sql; every row is one problem of class what, described by column 0 (text). At most
 * MAX_PER_CLASS rows are read (the SQL should carry a LIMIT too). */
static int rows_are_problems(checker *c, const char *what, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(c, what);
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n++ < MAX_PER_CLASS) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        problem(c, what, "%s", t ? (const char *)t : "?");
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        return sql_fail(c, what);
    }
    sqlite3_finalize(st);
    return 0;
}

/* PRAGMA integrity_check / quick_check: one row "ok", or one row per fault. */
static int sqlite_check(checker *c, bool quick)
{
    const char *what = "integrity";
    sqlite3_stmt *st;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s(%d)", quick ? "quick_check" : "integrity_check",
             MAX_PER_CLASS);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(c, what);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok"))
            problem(c, what, "%s", t);
    }
    sqlite3_finalize(st);
    /* The check itself can stumble on the damage it reports: that is one more finding. */
    if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
        problem(c, what, "%s", sqlite3_errmsg(c->db));
        return 0;
    }
    if (rc != SQLITE_DONE)
        return sql_fail(c, what);
    return 0;
}

/* Has the schema what it takes to run the application checks (an empty file has not)? */
static bool has_table(checker *c, const char *name)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?1",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

/* The append-only tables of the schema (store_sqlite.c, migration 1 -> 2). */
static const char *const append_only[] = {"case_event", "case_event_evidence", "ledger_change",
                                          "ledger_change_evidence", "audit"};

static int triggers_in_place(checker *c)
{
    for (size_t i = 0; i < sizeof append_only / sizeof append_only[0]; i++) {
        if (!has_table(c, append_only[i]))
            continue;
        for (int k = 0; k < 2; k++) {
            char name[96];
            snprintf(name, sizeof name, "%s_no_%s", append_only[i], k ? "delete" : "update");
            sqlite3_stmt *st;
            if (sqlite3_prepare_v2(c->db,
                                   "SELECT 1 FROM sqlite_schema WHERE type='trigger' AND name=?1",
                                   -1, &st, NULL) != SQLITE_OK)
                return sql_fail(c, "trigger");
            sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc == SQLITE_DONE)
                problem(c, "trigger",
                        "trigger %s is missing: %s is no longer protected against %s", name,
                        append_only[i], k ? "DELETE" : "UPDATE");
            else if (rc != SQLITE_ROW)
                return sql_fail(c, "trigger");
        }
    }
    return 0;
}

static int app_checks(checker *c)
{
    if (rows_are_problems(c, "foreign_key",
                          "SELECT 'row ' || rowid || ' of ' || \"table\" || ' names a missing '"
                          " || parent FROM pragma_foreign_key_check LIMIT 20") < 0 ||
        triggers_in_place(c) < 0)
        return -1;
    if (has_table(c, "case_event") &&
        (rows_are_problems(
             c, "case_events",
             "SELECT 'case ' || f.id || ': ' || f.n_events || ' events recorded, the log holds '"
             " || count(e.seq) || ' numbered ' || coalesce(min(e.seq), 0) || '..' ||"
             " coalesce(max(e.seq), 0) FROM case_file f LEFT JOIN case_event e ON e.case_id = f.id"
             " GROUP BY f.id HAVING count(e.seq) <> f.n_events OR coalesce(max(e.seq), 0) <>"
             " f.n_events OR coalesce(min(e.seq), 1) <> 1 LIMIT 20") < 0 ||
         rows_are_problems(
             c, "case_events",
             "SELECT 'case ' || f.id || ' is ' || f.state || ' but its last event leads to ' ||"
             " e.to_state FROM case_file f JOIN case_event e ON e.case_id = f.id AND e.seq ="
             " f.n_events WHERE e.to_state <> f.state LIMIT 20") < 0))
        return -1;
    if (has_table(c, "packet_key") &&
        (rows_are_problems(c, "packet_key",
                           "SELECT 'key ' || k.mn || '/' || k.cn || '/' || k.data_time_utc ||"
                           " ' names packet ' || k.packet_id || ', which is ' ||"
                           " coalesce(p.outcome, 'missing') FROM packet_key k LEFT JOIN packet p"
                           " ON p.id = k.packet_id WHERE p.outcome IS NOT 'stored' LIMIT 20") < 0 ||
         /* A stored data packet whose text carries values (HJ 212 "-Rtd=" or "-Avg=") has
          * observations at its site, period and time. They may come from an earlier packet
          * of another shape (the first value is kept: a resent whole packet after its split
          * pieces), so the test is on (site, period, time), not on the packet id. EXCEPT
          * keeps this O(n log n). */
         rows_are_problems(
             c, "packet_observations",
             "WITH want AS (SELECT p.id, p.mn, p.cn, p.site_id, CASE p.cn WHEN '2011' THEN 'rtd'"
             " WHEN '2051' THEN 'min' WHEN '2061' THEN 'hour' WHEN '2031' THEN 'day' END AS period,"
             " p.data_time_utc AS ts FROM packet p WHERE p.id IN (SELECT packet_id FROM"
             " packet_key) AND (instr(p.raw, '-Rtd=') > 0 OR instr(p.raw, '-Avg=') > 0)),"
             " missing AS (SELECT site_id, period, ts FROM want EXCEPT SELECT site_id, period,"
             " ts_utc FROM observation)"
             " SELECT 'packet ' || w.id || ' (' || w.mn || ', CN ' || w.cn || ') was stored with"
             " values but its site has no observations at its time' FROM want w JOIN missing m"
             " ON m.site_id = w.site_id AND m.period = w.period AND m.ts = w.ts LIMIT 20") < 0))
        return -1;
    if (has_table(c, "attachment")) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(c->db, "SELECT key, sha256, size, data FROM attachment", -1, &st,
                               NULL) != SQLITE_OK)
            return sql_fail(c, "attachment");
        int rc, n = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const void *d = sqlite3_column_blob(st, 3);
            int len = sqlite3_column_bytes(st, 3);
            unsigned char h[crypto_hash_sha256_BYTES];
            char hex[2 * crypto_hash_sha256_BYTES + 1];
            crypto_hash_sha256(h, d ? d : (const void *)"", (unsigned long long)len);
            sodium_bin2hex(hex, sizeof hex, h, sizeof h);
            const char *want = (const char *)sqlite3_column_text(st, 1);
            if ((!want || strcmp(want, hex) || sqlite3_column_int64(st, 2) != len) &&
                n++ < MAX_PER_CLASS)
                problem(c, "attachment",
                        "attachment %s: its %d bytes do not match its recorded size or SHA-256",
                        (const char *)sqlite3_column_text(st, 0), len);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return sql_fail(c, "attachment");
    }
    return 0;
}

static int check_db(sqlite3 *db, bool quick, store_problem_fn fn, void *ctx, char *err,
                    size_t errcap)
{
    checker c = {db, fn, ctx, 0, err, errcap};
    if (sqlite_check(&c, quick) < 0)
        return EW_EINTERNAL;
    /* A damaged file gives meaningless answers to the application checks: stop here. */
    if (quick || c.problems)
        return c.problems;
    if (app_checks(&c) < 0)
        return EW_EINTERNAL;
    return c.problems;
}

int store_sqlite_check(store *s, bool quick, store_problem_fn fn, void *ctx, char *err, size_t errcap)
{
    return check_db(store_sqlite_handle(s), quick, fn, ctx, err, errcap);
}

int store_check_at(const char *locator, bool quick, store_problem_fn fn, void *ctx, char *err,
                   size_t errcap)
{
    if (store_pg_locator(locator)) {
        /* A PostgreSQL database is checked on a connection of its own; its pages are
         * PostgreSQL's business (checksums, amcheck), the application's invariants ours. */
        store *s = store_pg_open(locator, err, errcap);
        if (!s)
            return EW_EINTERNAL;
        int rc = store_check(s, quick, fn, ctx, err, errcap);
        store_close(s);
        return rc;
    }
    const char *path;
    if (store_locator_path(locator, &path, err, errcap) < 0)
        return EW_EINVALID;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ew_errf(err, errcap, EW_ENOTFOUND, "check: %s: %s", path, strerror(errno));
    sqlite3 *db = NULL;
    int rc;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        rc = ew_errf(err, errcap, EW_EINTERNAL, "check: %s: %s", path, sqlite3_errmsg(db));
    else {
        sqlite3_busy_timeout(db, 5000);
        rc = check_db(db, quick, fn, ctx, err, errcap);
    }
    sqlite3_close(db);
    return rc;
}

/* ---- backup and restore ---------------------------------------------------------------- */

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Copy every page of src into dst in one step (one consistent snapshot of src). */
static int copy_all(sqlite3 *dst, sqlite3 *src, store_copy_stats *st, char *err, size_t errcap)
{
    double t0 = mono_s();
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return ew_errf(err, errcap, EW_EINTERNAL, "backup: %s", sqlite3_errmsg(dst));
    int rc;
    /* BUSY/LOCKED: a writer holds what the copy needs for a moment; try again. */
    for (int tries = 0; (rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED;
         tries++) {
        if (tries > 500) /* 5 s */
            break;
        sqlite3_sleep(10);
    }
    int pages = sqlite3_backup_pagecount(b);
    int frc = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || frc != SQLITE_OK)
        return ew_errf(err, errcap, EW_EINTERNAL, "backup: %s",
                       rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "the database stayed busy"
                                                                : sqlite3_errmsg(dst));
    if (st) {
        st->pages = pages;
        st->bytes = 0;
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(dst, "SELECT page_size FROM pragma_page_size", -1, &q, NULL) ==
            SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW)
                st->bytes = (int64_t)pages * sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
        }
        st->last_packet = 0;
        if (sqlite3_prepare_v2(dst, "SELECT coalesce(max(id), 0) FROM packet", -1, &q, NULL) ==
            SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW)
                st->last_packet = sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
        }
        st->seconds = mono_s() - t0;
    }
    return EW_OK;
}

static int fsync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int store_backup(const char *locator, const char *to, store_copy_stats *st, char *err,
                 size_t errcap)
{
    if (store_pg_locator(locator))
        return ew_errf(err, errcap, EW_EINVALID,
                       "%s: %s is a PostgreSQL database: use PostgreSQL's own tools (pg_dump -Fc"
                       " and pg_restore, or pg_basebackup with WAL archiving; docs/storage.md)",
                       "backup", locator);
    const char *path;
    if (store_locator_path(locator, &path, err, errcap) < 0)
        return EW_EINVALID;
    struct stat sb;
    if (stat(to, &sb) == 0)
        return ew_errf(err, errcap, EW_ECONFLICT, "backup: %s exists; give a new file", to);
    char part[4096];
    if ((size_t)snprintf(part, sizeof part, "%s.part", to) >= sizeof part)
        return ew_errf(err, errcap, EW_EINVALID, "backup: %s: path too long", to);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = EW_OK;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = ew_errf(err, errcap, EW_EINTERNAL, "backup: %s: %s", path, sqlite3_errmsg(src));
        goto out;
    }
    sqlite3_busy_timeout(src, 5000);
    (void)unlink(part); /* a .part of an interrupted backup is never a backup */
    if (sqlite3_open_v2(part, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = ew_errf(err, errcap, EW_EINTERNAL, "backup: %s: %s", part, sqlite3_errmsg(dst));
        goto out;
    }
    if ((rc = copy_all(dst, src, st, err, errcap)) < 0)
        goto out;
    /* The copy is complete in part's pages: leave it as one self-contained file (no WAL
     * beside it), synced, before it takes its name. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = ew_errf(err, errcap, EW_EINTERNAL, "backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_close(dst);
    dst = NULL;
    char dirbuf[4096];
    snprintf(dirbuf, sizeof dirbuf, "%s", to);
    if (fsync_path(part, false) || rename(part, to) || fsync_path(dirname(dirbuf), true))
        rc = ew_errf(err, errcap, EW_EINTERNAL, "backup: %s: %s", to, strerror(errno));
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    if (rc < 0)
        (void)unlink(part);
    return rc;
}

typedef struct first_problem {
    char text[300];
} first_problem;

static void keep_first(void *ctx, const char *what, const char *detail)
{
    first_problem *f = ctx;
    if (!f->text[0])
        snprintf(f->text, sizeof f->text, "%s: %s", what, detail);
}

int store_restore(const char *from, const char *locator, bool replace, store_copy_stats *st,
                  char *err, size_t errcap)
{
    if (store_pg_locator(locator))
        return ew_errf(err, errcap, EW_EINVALID,
                       "%s: %s is a PostgreSQL database: use PostgreSQL's own tools (pg_dump -Fc"
                       " and pg_restore, or pg_basebackup with WAL archiving; docs/storage.md)",
                       "restore", locator);
    const char *path;
    if (store_locator_path(locator, &path, err, errcap) < 0)
        return EW_EINVALID;
    struct stat sb;
    if (stat(from, &sb) != 0)
        return ew_errf(err, errcap, EW_ENOTFOUND, "restore: %s: %s", from, strerror(errno));
    if (!replace && stat(path, &sb) == 0)
        return ew_errf(err, errcap, EW_ECONFLICT,
                       "restore: %s exists; stop the server and pass --replace to overwrite it",
                       path);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = EW_OK;
    if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = ew_errf(err, errcap, EW_EINVALID, "restore: %s: %s", from, sqlite3_errmsg(src));
        goto out;
    }
    first_problem fp = {""};
    char cerr[256] = "";
    int n = check_db(src, false, keep_first, &fp, cerr, sizeof cerr);
    if (n != 0) {
        rc = ew_errf(err, errcap, EW_EINVALID, "restore: %s is not a sound backup (%s)", from,
                     n < 0 ? cerr : fp.text);
        goto out;
    }
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = ew_errf(err, errcap, EW_EINTERNAL, "restore: %s: %s", path, sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_busy_timeout(dst, 5000);
    if ((rc = copy_all(dst, src, st, err, errcap)) < 0)
        goto out;
    sqlite3_close(dst);
    dst = NULL;
    /* Back in the store's own mode (WAL) and schema version. */
    store *s = store_open(path, err, errcap);
    if (!s)
        rc = EW_EINTERNAL;
    store_close(s);
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    return rc;
}
