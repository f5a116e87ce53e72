/* emergency_sqlite: the SQLite side of store/emergency.h.
 *
 * These statements run seldom (a declaration, an edit, a pass of the compliance job, an
 * import), so each is prepared per call rather than cached in store_stmt's slots, which
 * other files own. Binding goes through one helper that takes a type string ("i" int64,
 * "d" double, "t" text or NULL) so that every function reads as its SQL and its values. */
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/emergency.h"
#include "store/store_internal.h"

static int fail(store *s, char *err, size_t errcap, const char *what)
{
    store_note_failure(s);
    return ew_errf(err, errcap, EW_EINTERNAL, "%s: %s", what,
                   sqlite3_errmsg(store_sqlite_handle(s)));
}

/* Prepare sql and bind the values that follow, one per letter of types. NULL on failure
 * (err filled). The caller finalizes. */
static sqlite3_stmt *prep(store *s, char *err, size_t errcap, const char *what, const char *sql,
                          const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_sqlite_handle(s), sql, -1, &st, NULL) != SQLITE_OK) {
        (void)fail(s, err, errcap, what);
        return NULL;
    }
    va_list ap;
    va_start(ap, types);
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        if (types[i] == 'i') {
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 'd') {
            double d = va_arg(ap, double);
            rc = isfinite(d) ? sqlite3_bind_double(st, i + 1, d) : sqlite3_bind_null(st, i + 1);
        } else {
            const char *t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(st, i + 1, t, -1, SQLITE_STATIC)
                   : sqlite3_bind_null(st, i + 1);
        }
    }
    va_end(ap);
    if (rc != SQLITE_OK) {
        (void)fail(s, err, errcap, what);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Step a statement that returns no rows and finalize it. */
static int done(store *s, sqlite3_stmt *st, char *err, size_t errcap, const char *what)
{
    if (!st)
        return EW_EINTERNAL;
    int rc = sqlite3_step(st) == SQLITE_DONE ? EW_OK : fail(s, err, errcap, what);
    sqlite3_finalize(st);
    return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : NULL;
}

static double col_num(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

/* Step through rows, calling row(ctx, st) for each; finalize. Returns what row returned when
 * it stopped the walk, the number of rows (≥ 0), or a negative error. */
typedef int (*row_fn)(sqlite3_stmt *st, void *fn, void *ctx);
static int walk(store *s, sqlite3_stmt *st, row_fn row, void *fn, void *ctx, char *err,
                size_t errcap, const char *what)
{
    if (!st)
        return EW_EINTERNAL;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int r = row(st, fn, ctx);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
        n++;
    }
    int out = rc == SQLITE_DONE ? n : fail(s, err, errcap, what);
    sqlite3_finalize(st);
    return out;
}

/* ---- warnings ------------------------------------------------------------------------ */

#define WARNING_COLS                                                                               \
    "id, level, start_utc, end_utc, notice, basis, basis_aqi, declared_by, declared_utc"

static int warning_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_warning_row w = {.id = sqlite3_column_int64(st, 0),
                        .level = col_text(st, 1),
                        .start_utc = sqlite3_column_int64(st, 2),
                        .end_utc = sqlite3_column_int64(st, 3),
                        .notice = col_text(st, 4),
                        .basis = col_text(st, 5),
                        .basis_aqi = sqlite3_column_int(st, 6),
                        .declared_by = col_text(st, 7),
                        .declared_utc = sqlite3_column_int64(st, 8)};
    return ((em_warning_fn)fn)(ctx, &w);
}

int em_warning_put(store *s, const em_warning_row *w, int64_t *id_out, char *err, size_t errcap)
{
    sqlite3_stmt *st = prep(s, err, errcap, "warning put",
                            "INSERT INTO em_warning (level, start_utc, end_utc, notice, basis,"
                            " basis_aqi, declared_by, declared_utc) VALUES (?,?,?,?,?,?,?,?)",
                            "tiittiti", w->level, w->start_utc, w->end_utc, w->notice, w->basis,
                            (int64_t)w->basis_aqi, w->declared_by, w->declared_utc);
    int rc = done(s, st, err, errcap, "warning put");
    if (rc == EW_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(store_sqlite_handle(s));
    return rc;
}

int em_warning_get(store *s, int64_t id, em_warning_fn fn, void *ctx, char *err, size_t errcap)
{
    return walk(s,
                prep(s, err, errcap, "warning get",
                     "SELECT " WARNING_COLS " FROM em_warning WHERE id = ?", "i", id),
                warning_row, (void *)fn, ctx, err, errcap, "warning get");
}

int em_warnings_each(store *s, em_warning_fn fn, void *ctx, char *err, size_t errcap)
{
    int rc =
        walk(s,
             prep(s, err, errcap, "warnings",
                  "SELECT " WARNING_COLS " FROM em_warning ORDER BY start_utc DESC, id DESC", ""),
             warning_row, (void *)fn, ctx, err, errcap, "warnings");
    return rc > 0 ? 0 : rc;
}

int em_warnings_overlapping(store *s, int64_t from_utc, int64_t to_utc, em_warning_fn fn, void *ctx,
                            char *err, size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "overlapping warnings",
                       "SELECT " WARNING_COLS " FROM em_warning WHERE start_utc <= ? AND"
                       " end_utc > ? ORDER BY id",
                       "ii", to_utc, from_utc),
                  warning_row, (void *)fn, ctx, err, errcap, "overlapping warnings");
    return rc > 0 ? 0 : rc;
}

/* ---- the list ------------------------------------------------------------------------ */

#define LIST_COLS                                                                                  \
    "enterprise, town, grade, base_power_kw, base_emission_kgh, cut_yellow_pct,"                   \
    " cut_orange_pct, cut_red_pct, measures_yellow, measures_orange, measures_red,"                \
    " updated_by, updated_utc"

static int list_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_list_row e = {.enterprise = col_text(st, 0),
                     .town = col_text(st, 1),
                     .grade = col_text(st, 2),
                     .base_power_kw = col_num(st, 3),
                     .base_emission_kgh = col_num(st, 4),
                     .cut_pct = {col_num(st, 5), col_num(st, 6), col_num(st, 7)},
                     .measures = {col_text(st, 8), col_text(st, 9), col_text(st, 10)},
                     .updated_by = col_text(st, 11),
                     .updated_utc = sqlite3_column_int64(st, 12)};
    return ((em_list_fn)fn)(ctx, &e);
}

int em_list_put(store *s, const em_list_row *e, const char *detail, char *err, size_t errcap)
{
    bool own = !store_in_transaction(s);
    if (own && store_begin(s, err, errcap) < 0)
        return EW_EINTERNAL;
    int rc = done(
        s,
        prep(s, err, errcap, "list put",
             "INSERT OR REPLACE INTO em_list (" LIST_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
             "tttdddddtttti", e->enterprise, e->town, e->grade, e->base_power_kw,
             e->base_emission_kgh, e->cut_pct[0], e->cut_pct[1], e->cut_pct[2], e->measures[0],
             e->measures[1], e->measures[2], e->updated_by, e->updated_utc),
        err, errcap, "list put");
    if (rc == EW_OK)
        rc = done(s,
                  prep(s, err, errcap, "list change",
                       "INSERT INTO em_list_change (at_utc, actor, enterprise, detail)"
                       " VALUES (?,?,?,?)",
                       "ittt", e->updated_utc, e->updated_by, e->enterprise, detail ? detail : ""),
                  err, errcap, "list change");
    if (own) {
        if (rc == EW_OK && store_commit(s, err, errcap) < 0)
            rc = EW_EINTERNAL;
        if (rc != EW_OK)
            store_rollback(s);
    }
    return rc;
}

int em_list_get(store *s, const char *enterprise, em_list_fn fn, void *ctx, char *err,
                size_t errcap)
{
    return walk(s,
                prep(s, err, errcap, "list get",
                     "SELECT " LIST_COLS " FROM em_list WHERE enterprise = ?", "t", enterprise),
                list_row, (void *)fn, ctx, err, errcap, "list get");
}

int em_list_each(store *s, em_list_fn fn, void *ctx, char *err, size_t errcap)
{
    int rc = walk(
        s,
        prep(s, err, errcap, "list", "SELECT " LIST_COLS " FROM em_list ORDER BY enterprise", ""),
        list_row, (void *)fn, ctx, err, errcap, "list");
    return rc > 0 ? 0 : rc;
}

static int count_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    (void)fn;
    *(int64_t *)ctx = sqlite3_column_int64(st, 0);
    return 0;
}

int64_t em_list_changes(store *s, const char *enterprise, char *err, size_t errcap)
{
    int64_t n = 0;
    int rc = walk(s,
                  prep(s, err, errcap, "list changes",
                       "SELECT count(*) FROM em_list_change WHERE ?1 IS NULL OR enterprise = ?1",
                       "t", enterprise),
                  count_row, NULL, &n, err, errcap, "list changes");
    return rc < 0 ? rc : n;
}

/* ---- power --------------------------------------------------------------------------- */

typedef struct power_acc {
    double sum;
    int hours;
} power_acc;

static int power_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    (void)fn;
    power_acc *a = ctx;
    a->sum += sqlite3_column_double(st, 0);
    a->hours++;
    return 0;
}

/* The hourly values hv(site_id, param, hour_utc, value, flag) of the sites of enterprise ?1,
 * codes ?2 (a JSON array), hours [?3, ?4): the device's own hour data (2061) first, as it is
 * what the enterprise declared; the platform's hour from minutes only where the device sent
 * none — the rule of source_hours_each and of the reader's series. */
#define HOURLY_CTE                                                                                 \
    "WITH es AS (SELECT s.id FROM site s JOIN enterprise e ON e.id = s.enterprise_id"              \
    "  WHERE e.name = ?1), pc AS (SELECT value AS code FROM json_each(?2)),"                       \
    " hv AS (SELECT o.site_id, o.param, o.ts_utc AS hour_utc, o.value, o.flag"                     \
    "  FROM es CROSS JOIN pc CROSS JOIN observation o ON o.site_id = es.id AND o.param = pc.code"  \
    "  AND o.period = 'hour' AND o.ts_utc >= ?3 AND o.ts_utc < ?4"                                 \
    "  UNION ALL SELECT h.site_id, h.param, h.hour_utc, h.value, h.flag"                           \
    "  FROM es CROSS JOIN pc CROSS JOIN hour_agg h ON h.site_id = es.id AND h.param = pc.code"     \
    "  AND h.hour_utc >= ?3 AND h.hour_utc < ?4 AND NOT EXISTS (SELECT 1 FROM observation o"       \
    "  WHERE o.site_id = h.site_id AND o.param = h.param AND o.period = 'hour'"                    \
    "  AND o.ts_utc = h.hour_utc)) "

/* The codes as one JSON array for json_each, so the SQL stays fixed; codes are HJ 212 factor
 * codes (letters and digits), so no escaping is needed beyond refusing anything else. */
static int codes_json(const char *const *params, size_t nparams, char *codes, size_t cap, char *err,
                      size_t errcap)
{
    size_t n = 1;
    codes[0] = '[';
    for (size_t p = 0; p < nparams; p++) {
        for (const char *c = params[p]; *c; c++)
            if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') && !(*c >= '0' && *c <= '9'))
                return ew_errf(err, errcap, EW_EINVALID, "codes: bad code %s", params[p]);
        int w = snprintf(codes + n, cap - n, "%s\"%s\"", p ? "," : "", params[p]);
        if (w < 0 || (size_t)w >= cap - n)
            return ew_errf(err, errcap, EW_EINVALID, "codes: too many codes");
        n += (size_t)w;
    }
    if (n + 2 > cap)
        return ew_errf(err, errcap, EW_EINVALID, "codes: too many codes");
    codes[n++] = ']';
    codes[n] = 0;
    return EW_OK;
}

int em_power_mean(store *s, const char *enterprise, const char *const *params, size_t nparams,
                  int64_t from_utc, int64_t to_utc, double *mean_out, int *hours_out, char *err,
                  size_t errcap)
{
    char codes[512];
    int rc = codes_json(params, nparams, codes, sizeof codes, err, errcap);
    if (rc < 0)
        return rc;
    power_acc a = {0, 0};
    rc = walk(s,
              prep(s, err, errcap, "power",
                   HOURLY_CTE "SELECT sum(value) FROM hv WHERE value IS NOT NULL GROUP BY hour_utc",
                   "ttii", enterprise, codes, from_utc, to_utc),
              power_row, NULL, &a, err, errcap, "power");
    if (rc < 0)
        return rc;
    *hours_out = a.hours;
    *mean_out = a.hours ? a.sum / a.hours : NAN;
    return EW_OK;
}

static int hour_value_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_hour_value v = {.hour_utc = sqlite3_column_int64(st, 0),
                       .site_id = sqlite3_column_int64(st, 1),
                       .param = col_text(st, 2),
                       .value = sqlite3_column_double(st, 3)};
    return ((em_hour_value_fn)fn)(ctx, &v);
}

int em_hour_values(store *s, const char *enterprise, const char *const *params, size_t nparams,
                   int64_t from_utc, int64_t to_utc, em_hour_value_fn fn, void *ctx, char *err,
                   size_t errcap)
{
    char codes[512];
    int rc = codes_json(params, nparams, codes, sizeof codes, err, errcap);
    if (rc < 0)
        return rc;
    rc = walk(s,
              prep(s, err, errcap, "hour values",
                   HOURLY_CTE "SELECT hour_utc, site_id, param, value FROM hv"
                              " WHERE value IS NOT NULL AND flag = 'N'"
                              " ORDER BY hour_utc, site_id, param",
                   "ttii", enterprise, codes, from_utc, to_utc),
              hour_value_row, (void *)fn, ctx, err, errcap, "hour values");
    return rc > 0 ? 0 : rc;
}

static int presence_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_site_presence p = {.site_id = sqlite3_column_int64(st, 0),
                          .values = sqlite3_column_int64(st, 1)};
    return ((em_site_presence_fn)fn)(ctx, &p);
}

int em_site_presence_each(store *s, const char *enterprise, const char *const *params,
                          size_t nparams, int64_t from_utc, int64_t to_utc, em_site_presence_fn fn,
                          void *ctx, char *err, size_t errcap)
{
    char codes[512];
    int rc = codes_json(params, nparams, codes, sizeof codes, err, errcap);
    if (rc < 0)
        return rc;
    rc = walk(s,
              prep(s, err, errcap, "site presence",
                   /* Distinct hours with any hourly value, one index seek per code: the
                    * known factors and the caller's (a full scan of a site's observations
                    * would read its every minute). */
                   "WITH pc AS (SELECT code FROM parameter UNION SELECT value FROM json_each(?4))"
                   " SELECT s.id, (SELECT count(DISTINCT t) FROM ("
                   "  SELECT o.ts_utc AS t FROM pc CROSS JOIN observation o"
                   "  ON o.site_id = s.id AND o.param = pc.code AND o.period = 'hour'"
                   "  AND o.ts_utc >= ?1 AND o.ts_utc < ?2 UNION ALL SELECT h.hour_utc"
                   "  FROM pc CROSS JOIN hour_agg h ON h.site_id = s.id"
                   "  AND h.param = pc.code AND h.hour_utc >= ?1 AND h.hour_utc < ?2))"
                   " FROM site s JOIN enterprise e ON e.id = s.enterprise_id"
                   " WHERE e.name = ?3 ORDER BY s.id",
                   "iitt", from_utc, to_utc, enterprise, codes),
              presence_row, (void *)fn, ctx, err, errcap, "site presence");
    return rc > 0 ? 0 : rc;
}

/* ---- breaches ------------------------------------------------------------------------ */

static int id_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    (void)fn;
    if (ctx)
        *(int64_t *)ctx = sqlite3_column_int64(st, 0);
    return 1;
}

int em_breach_find(store *s, int64_t warning_id, const char *enterprise, int64_t *case_id,
                   char *err, size_t errcap)
{
    return walk(s,
                prep(s, err, errcap, "breach find",
                     "SELECT case_id FROM em_breach WHERE warning_id = ? AND enterprise = ?", "it",
                     warning_id, enterprise),
                id_row, NULL, case_id, err, errcap, "breach find");
}

int em_breach_put(store *s, const em_breach_row *b, char *err, size_t errcap)
{
    return done(s,
                prep(s, err, errcap, "breach put",
                     "INSERT INTO em_breach (warning_id, enterprise, at_utc, mean_kw, allowed_kw,"
                     " case_id) VALUES (?,?,?,?,?,?)",
                     "itiddi", b->warning_id, b->enterprise, b->at_utc, b->mean_kw, b->allowed_kw,
                     b->case_id),
                err, errcap, "breach put");
}

static int breach_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_breach_row b = {.warning_id = sqlite3_column_int64(st, 0),
                       .enterprise = col_text(st, 1),
                       .at_utc = sqlite3_column_int64(st, 2),
                       .mean_kw = col_num(st, 3),
                       .allowed_kw = col_num(st, 4),
                       .case_id = sqlite3_column_int64(st, 5)};
    return ((em_breach_fn)fn)(ctx, &b);
}

int em_breaches_each(store *s, int64_t warning_id, em_breach_fn fn, void *ctx, char *err,
                     size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "breaches",
                       "SELECT warning_id, enterprise, at_utc, mean_kw, allowed_kw, case_id FROM"
                       " em_breach WHERE warning_id = ? ORDER BY enterprise",
                       "i", warning_id),
                  breach_row, (void *)fn, ctx, err, errcap, "breaches");
    return rc > 0 ? 0 : rc;
}

int em_data_breach_find(store *s, int64_t warning_id, const char *enterprise, const char *kind,
                        int64_t *case_id, char *err, size_t errcap)
{
    return walk(s,
                prep(s, err, errcap, "data breach find",
                     "SELECT case_id FROM em_data_breach WHERE warning_id = ? AND enterprise = ?"
                     " AND kind = ?",
                     "itt", warning_id, enterprise, kind),
                id_row, NULL, case_id, err, errcap, "data breach find");
}

int em_data_breach_put(store *s, const em_data_breach_row *b, char *err, size_t errcap)
{
    return done(s,
                prep(s, err, errcap, "data breach put",
                     "INSERT INTO em_data_breach (warning_id, enterprise, kind, at_utc, value,"
                     " allowed, case_id) VALUES (?,?,?,?,?,?,?)",
                     "ittiddi", b->warning_id, b->enterprise, b->kind, b->at_utc, b->value,
                     b->allowed, b->case_id),
                err, errcap, "data breach put");
}

/* ---- fire points --------------------------------------------------------------------- */

int em_fire_put(store *s, const em_fire_row *f, char *err, size_t errcap)
{
    int rc = done(s,
                  prep(s, err, errcap, "fire put",
                       "INSERT OR IGNORE INTO em_fire (ts_utc, lon, lat, confidence, source, town,"
                       " case_id) VALUES (?,?,?,?,?,?,?)",
                       "idditti", f->ts_utc, f->lon, f->lat, (int64_t)f->confidence, f->source,
                       f->town, f->case_id),
                  err, errcap, "fire put");
    if (rc < 0)
        return rc;
    return sqlite3_changes(store_sqlite_handle(s)) > 0 ? 1 : 0;
}

/* The columns fire_row reads, in its order. */
#define FIRE_COLS "id, ts_utc, lon, lat, confidence, source, town, case_id"

static int fire_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_fire_row f = {.id = sqlite3_column_int64(st, 0),
                     .ts_utc = sqlite3_column_int64(st, 1),
                     .lon = col_num(st, 2),
                     .lat = col_num(st, 3),
                     .confidence = sqlite3_column_int(st, 4),
                     .source = col_text(st, 5),
                     .town = col_text(st, 6),
                     .case_id = sqlite3_column_int64(st, 7)};
    return ((em_fire_fn)fn)(ctx, &f);
}

int em_fires_near(store *s, const char *town, int64_t from_utc, int64_t to_utc, em_fire_fn fn,
                  void *ctx, char *err, size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "fires",
                       "SELECT " FIRE_COLS " FROM em_fire WHERE town = ? AND ts_utc BETWEEN ?"
                       " AND ? ORDER BY ts_utc, id",
                       "tii", town, from_utc, to_utc),
                  fire_row, (void *)fn, ctx, err, errcap, "fires");
    return rc > 0 ? 0 : rc;
}

int em_fires_each(store *s, int64_t from_utc, int64_t to_utc, em_fire_fn fn, void *ctx, char *err,
                  size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "fires",
                       "SELECT " FIRE_COLS " FROM em_fire WHERE ts_utc >= ? AND ts_utc < ?"
                       " ORDER BY ts_utc, id",
                       "ii", from_utc, to_utc),
                  fire_row, (void *)fn, ctx, err, errcap, "fires");
    return rc > 0 ? 0 : rc;
}

/* ---- public reports joined to a fire's case ------------------------------------------- */

int em_fire_report_put(store *s, const em_fire_report_row *r, char *err, size_t errcap)
{
    int rc = done(s,
                  prep(s, err, errcap, "fire report put",
                       "INSERT OR IGNORE INTO fire_report (case_id, fire_case_id, distance_m,"
                       " joined_utc) VALUES (?,?,?,?)",
                       "iidi", r->case_id, r->fire_case_id, r->distance_m, r->joined_utc),
                  err, errcap, "fire report put");
    if (rc < 0)
        return rc;
    return sqlite3_changes(store_sqlite_handle(s)) > 0 ? 1 : 0;
}

static int fire_report_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_fire_report_row r = {.case_id = sqlite3_column_int64(st, 0),
                            .fire_case_id = sqlite3_column_int64(st, 1),
                            .distance_m = col_num(st, 2),
                            .joined_utc = sqlite3_column_int64(st, 3)};
    return ((em_fire_report_fn)fn)(ctx, &r);
}

static int copy_fire_report(void *ctx, const em_fire_report_row *r)
{
    *(em_fire_report_row *)ctx = *r;
    return 1;
}

int em_fire_report_of(store *s, int64_t case_id, em_fire_report_row *row, char *err, size_t errcap)
{
    em_fire_report_row got;
    int rc = walk(s,
                  prep(s, err, errcap, "fire report",
                       "SELECT case_id, fire_case_id, distance_m, joined_utc FROM fire_report"
                       " WHERE case_id = ?",
                       "i", case_id),
                  fire_report_row, (void *)copy_fire_report, &got, err, errcap, "fire report");
    if (rc == 1)
        *row = got;
    return rc;
}

int em_fire_reports_each(store *s, int64_t fire_case_id, em_fire_report_fn fn, void *ctx, char *err,
                         size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "fire reports",
                       "SELECT case_id, fire_case_id, distance_m, joined_utc FROM fire_report"
                       " WHERE fire_case_id = ? ORDER BY case_id",
                       "i", fire_case_id),
                  fire_report_row, (void *)fn, ctx, err, errcap, "fire reports");
    return rc > 0 ? 0 : rc;
}

static int unjoined_case_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_unjoined_case r = {.case_id = sqlite3_column_int64(st, 0),
                          .created_utc = sqlite3_column_int64(st, 1),
                          .lon = col_num(st, 2),
                          .lat = col_num(st, 3)};
    return ((em_unjoined_case_fn)fn)(ctx, &r);
}

int em_unjoined_cases(store *s, const char *source, const char *category, int64_t from_utc,
                      int64_t to_utc, em_unjoined_case_fn fn, void *ctx, char *err, size_t errcap)
{
    /* case_created (created_utc, id) bounds the scan to the window. */
    int rc = walk(s,
                  prep(s, err, errcap, "unjoined cases",
                       "SELECT id, created_utc, lon, lat FROM case_file WHERE created_utc"
                       " BETWEEN ? AND ? AND source = ? AND category = ? AND id NOT IN"
                       " (SELECT case_id FROM fire_report) ORDER BY created_utc, id",
                       "iitt", from_utc, to_utc, source, category),
                  unjoined_case_row, (void *)fn, ctx, err, errcap, "unjoined cases");
    return rc < 0 ? rc : 0;
}

static int town_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_town_fires t = {.town = col_text(st, 0),
                       .points = sqlite3_column_int64(st, 1),
                       .cases = sqlite3_column_int64(st, 2),
                       .responded = sqlite3_column_int64(st, 3),
                       .mean_response_s = col_num(st, 4)};
    return ((em_town_fires_fn)fn)(ctx, &t);
}

int em_fires_by_town(store *s, int64_t from_utc, int64_t to_utc, em_town_fires_fn fn, void *ctx,
                     char *err, size_t errcap)
{
    /* A case's response is the first event after its creation (受理, 交办 or a refusal). */
    int rc = walk(s,
                  prep(s, err, errcap, "fires by town",
                       "WITH f AS (SELECT town, case_id FROM em_fire WHERE ts_utc >= ? AND"
                       " ts_utc < ?), c AS (SELECT DISTINCT f.town, f.case_id,"
                       " (SELECT e.at_utc FROM case_event e WHERE e.case_id = f.case_id AND"
                       " e.seq = 2) - cf.created_utc AS resp FROM f JOIN case_file cf ON"
                       " cf.id = f.case_id)"
                       " SELECT t.town, t.n, count(c.case_id), count(c.resp), avg(c.resp) FROM"
                       " (SELECT town, count(*) AS n FROM f GROUP BY town) t JOIN c ON"
                       " c.town = t.town GROUP BY t.town ORDER BY t.town",
                       "ii", from_utc, to_utc),
                  town_row, (void *)fn, ctx, err, errcap, "fires by town");
    return rc > 0 ? 0 : rc;
}

/* ---- video alarms -------------------------------------------------------------------- */

int em_video_find(store *s, const char *camera, int64_t from_utc, int64_t to_utc, int64_t *case_id,
                  char *err, size_t errcap)
{
    return walk(s,
                prep(s, err, errcap, "video find",
                     "SELECT case_id FROM em_video_alarm WHERE camera = ? AND ts_utc >= ? AND"
                     " ts_utc < ? ORDER BY ts_utc, id LIMIT 1",
                     "tii", camera, from_utc, to_utc),
                id_row, NULL, case_id, err, errcap, "video find");
}

int em_video_put(store *s, const em_video_row *v, int64_t *id_out, char *err, size_t errcap)
{
    int rc = done(s,
                  prep(s, err, errcap, "video put",
                       "INSERT INTO em_video_alarm (camera, ts_utc, kind, image_key, reported_by,"
                       " case_id) VALUES (?,?,?,?,?,?)",
                       "tittti", v->camera, v->ts_utc, v->kind, v->image_key, v->reported_by,
                       v->case_id),
                  err, errcap, "video put");
    if (rc == EW_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(store_sqlite_handle(s));
    return rc;
}

/* ---- river emergency plans and water incidents --------------------------------------- */

int em_river_put(store *s, const em_river_row *r, char *err, size_t errcap)
{
    return done(s,
                prep(s, err, errcap, "river put",
                     "INSERT OR REPLACE INTO river_plan (code, name, doc, updated_by, updated_utc)"
                     " VALUES (?,?,?,?,?)",
                     "tttti", r->code, r->name, r->doc, r->updated_by, r->updated_utc),
                err, errcap, "river put");
}

static int river_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_river_row r = {.code = col_text(st, 0),
                      .name = col_text(st, 1),
                      .doc = col_text(st, 2),
                      .updated_by = col_text(st, 3),
                      .updated_utc = sqlite3_column_int64(st, 4)};
    return ((em_river_fn)fn)(ctx, &r);
}

int em_rivers_each(store *s, em_river_fn fn, void *ctx, char *err, size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "rivers",
                       "SELECT code, name, doc, updated_by, updated_utc FROM river_plan"
                       " ORDER BY code",
                       ""),
                  river_row, (void *)fn, ctx, err, errcap, "rivers");
    return rc > 0 ? 0 : rc;
}

int em_incident_find(store *s, const char *section, int64_t day, int64_t *case_id, char *err,
                     size_t errcap)
{
    return walk(s,
                prep(s, err, errcap, "incident find",
                     "SELECT case_id FROM river_incident WHERE section = ? AND day = ?", "ti",
                     section, day),
                id_row, NULL, case_id, err, errcap, "incident find");
}

int em_incident_put(store *s, const em_incident_row *r, char *err, size_t errcap)
{
    return done(s,
                prep(s, err, errcap, "incident put",
                     "INSERT INTO river_incident (section, day, river, hour_utc, item, value,"
                     " limit_value, ratio, case_id) VALUES (?,?,?,?,?,?,?,?,?)",
                     "tititdddi", r->section, r->day, r->river, r->hour_utc, r->item, r->value,
                     r->limit, r->ratio, r->case_id),
                err, errcap, "incident put");
}

static int incident_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    em_incident_row r = {.section = col_text(st, 0),
                         .day = sqlite3_column_int64(st, 1),
                         .river = col_text(st, 2),
                         .hour_utc = sqlite3_column_int64(st, 3),
                         .item = col_text(st, 4),
                         .value = col_num(st, 5),
                         .limit = col_num(st, 6),
                         .ratio = col_num(st, 7),
                         .case_id = sqlite3_column_int64(st, 8)};
    return ((em_incident_fn)fn)(ctx, &r);
}

int em_incidents_each(store *s, const char *river, em_incident_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    int rc = walk(s,
                  prep(s, err, errcap, "incidents",
                       "SELECT section, day, river, hour_utc, item, value, limit_value, ratio,"
                       " case_id FROM river_incident WHERE ?1 IS NULL OR river = ?1"
                       " ORDER BY hour_utc DESC, section",
                       "t", river),
                  incident_row, (void *)fn, ctx, err, errcap, "incidents");
    return rc > 0 ? 0 : rc;
}
