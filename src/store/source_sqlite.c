/* source_sqlite: the SQLite side of store/source.h. Statements are prepared per call: the
 * scan runs once a period and the API reads a page at a time, so the statement cache of
 * store_internal.h (whose slots office_sqlite.c owns) is not needed here. */
#include "store/source.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"

static int fail(sqlite3 *db, const char *what, char *err, size_t errcap)
{
    return ew_errf(err, errcap, EW_EINTERNAL, "%s: %s", what, sqlite3_errmsg(db));
}

static sqlite3_stmt *prep(store *s, const char *sql, const char *what, char *err, size_t errcap)
{
    sqlite3 *db = store_sqlite_handle(s);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        (void)fail(db, what, err, errcap);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int64_t col_opt(sqlite3_stmt *st, int i, int64_t none)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int64(st, i);
}

/* Step a write to its end; EW_OK or an error naming what. */
static int run(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errcap)
{
    int rc = sqlite3_step(st);
    int out = EW_OK;
    if (rc != SQLITE_DONE) {
        sqlite3 *db = store_sqlite_handle(s);
        out = sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_FOREIGNKEY
                  ? ew_errf(err, errcap, EW_ENOTFOUND, "%s: no such site or mark", what)
                  : fail(db, what, err, errcap);
    }
    sqlite3_finalize(st);
    return out;
}

/* ---- outlets ---------------------------------------------------------------------- */

int source_outlets_each(store *s, const char *enterprise, int64_t site_id, source_outlet_fn fn,
                        void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = prep(s,
                            "SELECT s.id, s.mn, s.name, s.kind, s.town, e.name FROM site s"
                            " LEFT JOIN enterprise e ON e.id = s.enterprise_id"
                            " WHERE s.kind IN ('gas_outlet','water_outlet')"
                            " AND (?1 IS NULL OR e.name = ?1) AND (?2 = 0 OR s.id = ?2)"
                            " ORDER BY s.id",
                            "outlets", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    bind_text(st, 1, enterprise);
    sqlite3_bind_int64(st, 2, site_id);
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        source_outlet o = {sqlite3_column_int64(st, 0),
                           col_text(st, 1),
                           col_text(st, 2),
                           col_text(st, 3),
                           col_text(st, 4),
                           col_text(st, 5)};
        if ((out = fn(ctx, &o)) != 0)
            break;
    }
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "outlets", err, errcap);
    sqlite3_finalize(st);
    return out;
}

/* ---- limits ------------------------------------------------------------------------ */

int source_limit_put(store *s, const source_limit *l, char *err, size_t errcap)
{
    if (!l->param || !*l->param || !l->period ||
        (strcmp(l->period, "hour") && strcmp(l->period, "day")))
        return ew_errf(err, errcap, EW_EINVALID, "limit: param and period hour|day are needed");
    if (!l->kind || (strcmp(l->kind, "upper") && strcmp(l->kind, "range")))
        return ew_errf(err, errcap, EW_EINVALID, "limit: kind must be upper or range");
    if (!l->standard || !l->updated_by)
        return ew_errf(err, errcap, EW_EINVALID, "limit: standard and updated_by are needed");
    sqlite3_stmt *st = prep(s,
                            "INSERT OR REPLACE INTO source_limit VALUES"
                            " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                            "limit put", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, l->site_id);
    bind_text(st, 2, l->param);
    bind_text(st, 3, l->period);
    bind_text(st, 4, l->kind);
    sqlite3_bind_int64(st, 5, l->max_milli);
    sqlite3_bind_int64(st, 6, l->lo_milli);
    sqlite3_bind_int64(st, 7, l->hi_milli);
    if (l->o2_ref_milli == SOURCE_NO_VALUE)
        sqlite3_bind_null(st, 8);
    else
        sqlite3_bind_int64(st, 8, l->o2_ref_milli);
    bind_text(st, 9, l->standard);
    sqlite3_bind_int64(st, 10, l->updated_utc);
    bind_text(st, 11, l->updated_by);
    return run(s, st, "limit put", err, errcap);
}

int source_limits_each(store *s, int64_t site_id, source_limit_fn fn, void *ctx, char *err,
                       size_t errcap)
{
    sqlite3_stmt *st = prep(s,
                            "SELECT site_id, param, period, kind, max_milli, lo_milli, hi_milli,"
                            " o2_ref_milli, standard, updated_utc, updated_by FROM source_limit"
                            " WHERE ?1 = 0 OR site_id = ?1 ORDER BY site_id, param, period",
                            "limits", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, site_id);
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        source_limit l = {
            .site_id = sqlite3_column_int64(st, 0),
            .param = col_text(st, 1),
            .period = col_text(st, 2),
            .kind = col_text(st, 3),
            .max_milli = sqlite3_column_int64(st, 4),
            .lo_milli = sqlite3_column_int64(st, 5),
            .hi_milli = sqlite3_column_int64(st, 6),
            .o2_ref_milli = col_opt(st, 7, SOURCE_NO_VALUE),
            .standard = col_text(st, 8),
            .updated_utc = sqlite3_column_int64(st, 9),
            .updated_by = col_text(st, 10),
        };
        if ((out = fn(ctx, &l)) != 0)
            break;
    }
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "limits", err, errcap);
    sqlite3_finalize(st);
    return out;
}

/* ---- marks ------------------------------------------------------------------------- */

int source_mark_add(store *s, const source_mark *m, int64_t *id_out, char *err, size_t errcap)
{
    if (m->to_utc <= m->from_utc)
        return ew_errf(err, errcap, EW_EINVALID, "mark: to must lie after from");
    if (m->cls < 0 || m->cls >= 8)
        return ew_errf(err, errcap, EW_EINVALID, "mark: class %d unknown", m->cls);
    if (!m->state || (strcmp(m->state, "in_force") && strcmp(m->state, "withdrawn")))
        return ew_errf(err, errcap, EW_EINVALID, "mark: state must be in_force or withdrawn");
    if (!m->reason || !*m->reason || !m->who || !*m->who)
        return ew_errf(err, errcap, EW_EINVALID, "mark: reason and who are needed");
    sqlite3_stmt *st = prep(s,
                            "INSERT INTO source_mark (site_id, from_utc, to_utc, class, reason,"
                            " who, evidence, state, replaces, created_utc)"
                            " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                            "mark add", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, m->site_id);
    sqlite3_bind_int64(st, 2, m->from_utc);
    sqlite3_bind_int64(st, 3, m->to_utc);
    sqlite3_bind_int(st, 4, m->cls);
    bind_text(st, 5, m->reason);
    bind_text(st, 6, m->who);
    bind_text(st, 7, m->evidence);
    bind_text(st, 8, m->state);
    if (m->replaces)
        sqlite3_bind_int64(st, 9, m->replaces);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_int64(st, 10, m->created_utc);
    int rc = run(s, st, "mark add", err, errcap);
    if (rc == EW_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(store_sqlite_handle(s));
    return rc;
}

int source_marks_each(store *s, int64_t site_id, int64_t from_utc, int64_t to_utc,
                      bool in_force_only, source_mark_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = prep(s,
                            "SELECT m.id, m.site_id, m.from_utc, m.to_utc, m.class, m.reason,"
                            " m.who, m.evidence, m.state, m.replaces, m.created_utc"
                            " FROM source_mark m WHERE (?1 = 0 OR m.site_id = ?1)"
                            " AND m.to_utc > ?2 AND m.from_utc < ?3"
                            " AND (?4 = 0 OR m.state = 'in_force')"
                            " AND NOT EXISTS (SELECT 1 FROM source_mark n WHERE n.replaces = m.id)"
                            " ORDER BY m.from_utc, m.id",
                            "marks", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, site_id);
    sqlite3_bind_int64(st, 2, from_utc);
    sqlite3_bind_int64(st, 3, to_utc);
    sqlite3_bind_int(st, 4, in_force_only);
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        source_mark m = {
            .id = sqlite3_column_int64(st, 0),
            .site_id = sqlite3_column_int64(st, 1),
            .from_utc = sqlite3_column_int64(st, 2),
            .to_utc = sqlite3_column_int64(st, 3),
            .cls = sqlite3_column_int(st, 4),
            .reason = col_text(st, 5),
            .who = col_text(st, 6),
            .evidence = col_text(st, 7),
            .state = col_text(st, 8),
            .replaces = col_opt(st, 9, 0),
            .created_utc = sqlite3_column_int64(st, 10),
        };
        if ((out = fn(ctx, &m)) != 0)
            break;
    }
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "marks", err, errcap);
    sqlite3_finalize(st);
    return out;
}

/* ---- alerts ------------------------------------------------------------------------ */

int source_alert_add(store *s, const source_alert *a, int64_t *id_out, char *err, size_t errcap)
{
    if (!a->rule || !*a->rule || !a->param || !a->evidence || !a->state || !*a->state)
        return ew_errf(err, errcap, EW_EINVALID, "alert: rule, param, evidence, state needed");
    if (a->to_utc <= a->from_utc)
        return ew_errf(err, errcap, EW_EINVALID, "alert: to must lie after from");
    sqlite3_stmt *st = prep(s,
                            "INSERT INTO source_alert (site_id, rule, param, episode_utc,"
                            " from_utc, to_utc, value_milli, limit_milli, multiple_milli,"
                            " evidence, state, case_id, created_utc)"
                            " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                            "alert add", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, a->site_id);
    bind_text(st, 2, a->rule);
    bind_text(st, 3, a->param);
    sqlite3_bind_int64(st, 4, a->episode_utc);
    sqlite3_bind_int64(st, 5, a->from_utc);
    sqlite3_bind_int64(st, 6, a->to_utc);
    sqlite3_bind_int64(st, 7, a->value_milli);
    sqlite3_bind_int64(st, 8, a->limit_milli);
    if (a->multiple_milli == SOURCE_NO_VALUE)
        sqlite3_bind_null(st, 9);
    else
        sqlite3_bind_int64(st, 9, a->multiple_milli);
    bind_text(st, 10, a->evidence);
    bind_text(st, 11, a->state);
    if (a->case_id)
        sqlite3_bind_int64(st, 12, a->case_id);
    else
        sqlite3_bind_null(st, 12);
    sqlite3_bind_int64(st, 13, a->created_utc);
    int rc = run(s, st, "alert add", err, errcap);
    if (rc == EW_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(store_sqlite_handle(s));
    return rc;
}

#define ALERT_COLS                                                                                 \
    "a.id, a.site_id, a.rule, a.param, a.episode_utc, a.from_utc, a.to_utc, a.value_milli,"        \
    " a.limit_milli, a.multiple_milli, a.evidence, a.state, a.case_id, a.created_utc, e.name"
#define ALERT_FROM                                                                                 \
    " FROM source_alert a JOIN site s ON s.id = a.site_id"                                         \
    " LEFT JOIN enterprise e ON e.id = s.enterprise_id"
/* Only the newest row of each key. */
#define ALERT_NEWEST                                                                               \
    " NOT EXISTS (SELECT 1 FROM source_alert b WHERE b.site_id = a.site_id AND b.rule = a.rule"    \
    " AND b.param = a.param AND b.episode_utc = a.episode_utc AND b.id > a.id)"

static int alert_rows(store *s, sqlite3_stmt *st, source_alert_fn fn, void *ctx, int *found,
                      char *err, size_t errcap)
{
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        source_alert a = {
            .id = sqlite3_column_int64(st, 0),
            .site_id = sqlite3_column_int64(st, 1),
            .rule = col_text(st, 2),
            .param = col_text(st, 3),
            .episode_utc = sqlite3_column_int64(st, 4),
            .from_utc = sqlite3_column_int64(st, 5),
            .to_utc = sqlite3_column_int64(st, 6),
            .value_milli = sqlite3_column_int64(st, 7),
            .limit_milli = sqlite3_column_int64(st, 8),
            .multiple_milli = col_opt(st, 9, SOURCE_NO_VALUE),
            .evidence = col_text(st, 10),
            .state = col_text(st, 11),
            .case_id = col_opt(st, 12, 0),
            .created_utc = sqlite3_column_int64(st, 13),
            .enterprise = col_text(st, 14),
        };
        if (found)
            *found = 1;
        if ((out = fn(ctx, &a)) != 0)
            break;
    }
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "alerts", err, errcap);
    sqlite3_finalize(st);
    return out;
}

int source_alert_latest(store *s, int64_t site_id, const char *rule, const char *param,
                        int64_t episode_utc, source_alert_fn fn, void *ctx, char *err,
                        size_t errcap)
{
    sqlite3_stmt *st = prep(s,
                            "SELECT " ALERT_COLS ALERT_FROM
                            " WHERE a.site_id = ?1 AND a.rule = ?2 AND a.param = ?3"
                            " AND a.episode_utc = ?4 ORDER BY a.id DESC LIMIT 1",
                            "alert latest", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, site_id);
    bind_text(st, 2, rule);
    bind_text(st, 3, param);
    sqlite3_bind_int64(st, 4, episode_utc);
    int found = 0, rc = alert_rows(s, st, fn, ctx, &found, err, errcap);
    return rc ? rc : found;
}

int source_alert_get(store *s, int64_t id, source_alert_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st =
        prep(s,
             "SELECT " ALERT_COLS ALERT_FROM " WHERE (a.site_id, a.rule, a.param, a.episode_utc) ="
             " (SELECT site_id, rule, param, episode_utc FROM source_alert"
             "  WHERE id = ?1) ORDER BY a.id DESC LIMIT 1",
             "alert get", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    int found = 0, rc = alert_rows(s, st, fn, ctx, &found, err, errcap);
    return rc ? rc : found;
}

int source_alerts_each(store *s, const source_alert_filter *f, source_alert_fn fn, void *ctx,
                       char *err, size_t errcap)
{
    sqlite3_stmt *st = prep(s,
                            "SELECT " ALERT_COLS ALERT_FROM " WHERE" ALERT_NEWEST
                            " AND (?1 = 0 OR a.site_id = ?1) AND (?2 IS NULL OR e.name = ?2)"
                            " AND (?3 IS NULL OR a.rule = ?3) AND (?4 IS NULL OR a.state = ?4)"
                            " AND a.to_utc > ?5 AND (?6 = 0 OR a.from_utc < ?6)"
                            " AND (?7 = 0 OR a.case_id = ?7)"
                            " ORDER BY a.episode_utc DESC, a.id DESC",
                            "alerts", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, f->site_id);
    bind_text(st, 2, f->enterprise);
    bind_text(st, 3, f->rule);
    bind_text(st, 4, f->state);
    sqlite3_bind_int64(st, 5, f->from_utc);
    sqlite3_bind_int64(st, 6, f->to_utc);
    sqlite3_bind_int64(st, 7, f->case_id);
    return alert_rows(s, st, fn, ctx, NULL, err, errcap);
}

int source_alert_cases_each(store *s, const char *enterprise, source_case_count_fn fn, void *ctx,
                            char *err, size_t errcap)
{
    /* The finding of a case is that of its newest finding row: a reopened case verified
     * again has a newer one, and an open case shows none whatever its past. */
    sqlite3_stmt *st =
        prep(s,
             "SELECT a.rule, c.state, CASE WHEN c.state = 'closed' THEN"
             " (SELECT f.finding FROM case_event_finding f WHERE f.case_id = c.id"
             " ORDER BY f.seq DESC LIMIT 1) END AS finding, count(*)"
             " FROM (SELECT DISTINCT a.rule, a.case_id FROM source_alert a"
             " JOIN site s ON s.id = a.site_id"
             " LEFT JOIN enterprise e ON e.id = s.enterprise_id"
             " WHERE a.case_id IS NOT NULL AND (?1 IS NULL OR e.name = ?1)) a"
             " JOIN case_file c ON c.id = a.case_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
             "alert cases", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    bind_text(st, 1, enterprise);
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2),
                      sqlite3_column_int64(st, 3))) != 0)
            break;
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "alert cases", err, errcap);
    sqlite3_finalize(st);
    return out;
}

/* ---- hourly values and scan positions ------------------------------------------------ */

/* The parameters of a series query: ?1 site, ?2 param, ?3 and ?4 the window. */
static void bind_series(sqlite3_stmt *st, int64_t site_id, const char *param, int64_t from_utc,
                        int64_t to_utc)
{
    sqlite3_bind_int64(st, 1, site_id);
    bind_text(st, 2, param);
    sqlite3_bind_int64(st, 3, from_utc);
    sqlite3_bind_int64(st, 4, to_utc);
}

int source_hours_each(store *s, int64_t site_id, const char *param, int64_t from_utc,
                      int64_t to_utc, source_hour_fn fn, void *ctx, char *err, size_t errcap)
{
    /* The device's own hour data first (it is what the enterprise declared); the platform's
     * hour from minutes only where the device sent none. */
    sqlite3_stmt *st = prep(s,
                            "SELECT ts_utc, value, flag FROM observation WHERE site_id = ?1"
                            " AND param = ?2 AND period = 'hour' AND ts_utc >= ?3 AND ts_utc < ?4"
                            " UNION ALL SELECT hour_utc, value, flag FROM hour_agg h"
                            " WHERE h.site_id = ?1 AND h.param = ?2 AND h.hour_utc >= ?3"
                            " AND h.hour_utc < ?4 AND NOT EXISTS (SELECT 1 FROM observation o"
                            " WHERE o.site_id = ?1 AND o.param = ?2 AND o.period = 'hour'"
                            " AND o.ts_utc = h.hour_utc) ORDER BY 1",
                            "hours", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    bind_series(st, site_id, param, from_utc, to_utc);
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        double v = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
        const char *flag = col_text(st, 2);
        if ((out = fn(ctx, sqlite3_column_int64(st, 0), v, flag ? flag : "")) != 0)
            break;
    }
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "hours", err, errcap);
    sqlite3_finalize(st);
    return out;
}

int source_rtd_hours_each(store *s, int64_t site_id, const char *param, int64_t from_utc,
                          int64_t to_utc, source_rtd_hour_fn fn, void *ctx, char *err,
                          size_t errcap)
{
    /* A range on the primary key (site, param, period, ts); the hour is the value's floor. */
    sqlite3_stmt *st = prep(s,
                            "SELECT ts_utc - ts_utc % 3600 AS h, avg(CASE WHEN ok THEN value END),"
                            " coalesce(sum(ok), 0), coalesce(min(CASE WHEN ok THEN ts_utc END), 0),"
                            " coalesce(max(CASE WHEN ok THEN ts_utc END), 0)"
                            " FROM (SELECT ts_utc, value, value IS NOT NULL AND flag IN ('N', '')"
                            " AS ok FROM observation WHERE site_id = ?1 AND param = ?2"
                            " AND period = 'rtd' AND ts_utc >= ?3 AND ts_utc < ?4)"
                            " GROUP BY h ORDER BY h",
                            "real-time hours", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    bind_series(st, site_id, param, from_utc, to_utc);
    int rc, out = EW_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        double v = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
        if ((out = fn(ctx, sqlite3_column_int64(st, 0), v, sqlite3_column_int64(st, 2),
                      sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4))) != 0)
            break;
    }
    if (out == EW_OK && rc != SQLITE_DONE)
        out = fail(store_sqlite_handle(s), "real-time hours", err, errcap);
    sqlite3_finalize(st);
    return out;
}

static int one_int(store *s, const char *sql, int64_t site_id, int64_t *out, const char *what,
                   char *err, size_t errcap)
{
    sqlite3_stmt *st = prep(s, sql, what, err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, site_id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *out = sqlite3_column_int64(st, 0);
        found = 1;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        found = fail(store_sqlite_handle(s), what, err, errcap);
    sqlite3_finalize(st);
    return found;
}

int source_last_hour(store *s, int64_t site_id, int64_t *out, char *err, size_t errcap)
{
    return one_int(s,
                   "SELECT max(t) FROM (SELECT max(ts_utc) AS t FROM observation"
                   " WHERE site_id = ?1 AND period = 'hour' UNION ALL"
                   " SELECT max(hour_utc) FROM hour_agg WHERE site_id = ?1)",
                   site_id, out, "last hour", err, errcap);
}

int source_scan_get(store *s, int64_t site_id, int64_t *out, char *err, size_t errcap)
{
    return one_int(s, "SELECT last_hour_utc FROM source_scan WHERE site_id = ?1", site_id, out,
                   "scan get", err, errcap);
}

int source_scan_put(store *s, int64_t site_id, int64_t last_hour_utc, char *err, size_t errcap)
{
    sqlite3_stmt *st =
        prep(s, "INSERT OR REPLACE INTO source_scan VALUES (?1, ?2)", "scan put", err, errcap);
    if (!st)
        return EW_EINTERNAL;
    sqlite3_bind_int64(st, 1, site_id);
    sqlite3_bind_int64(st, 2, last_hour_utc);
    return run(s, st, "scan put", err, errcap);
}
