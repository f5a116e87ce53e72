/* water_sqlite: the SQLite side of store/water.h.
 *
 * Imports run inside the caller's transaction; each statement is prepared per call,
 * which is small next to the row's parsing. */
#include <sqlite3.h>
#include <string.h>

#include "store/store_internal.h"
#include "store/water.h"


static int rfail(ew_reader *db, char *err, size_t errcap, const char *what)
{
    return ew_errf(err, errcap, EW_EINTERNAL, "%s: %s", what,
                   sqlite3_errmsg(ew_read_sqlite_handle(db)));
}

static const char *wtext(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void bind_section(sqlite3_stmt *st, const void *row)
{
    const water_section_row *r = row;
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->name ? r->name : r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->water ? r->water : "river", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, r->target_class);
}

static void bind_code(sqlite3_stmt *st, const void *row)
{
    sqlite3_bind_text(st, 1, ((const water_section_row *)row)->code, -1, SQLITE_STATIC);
}

static void bind_station(sqlite3_stmt *st, const void *row)
{
    const water_section_row *r = row;
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->station, -1, SQLITE_STATIC);
}

int water_section_put(store *s, const water_section_row *r, char *err, size_t errcap)
{
    int rc = store_stmt_run(s, STORE_SLOT_WATER_SECTION_PUT,
                            "INSERT OR REPLACE INTO water_section (code, name, water,"
                            " target_class) VALUES (?,?,?,?)",
                            bind_section, r, "water section put", err, errcap);
    if (rc)
        return rc;
    /* The compensation and drinking flags (migrations 8, 9) live in tables of their own.
     * The statements run in the caller's transaction when there is one (the imports always
     * open one). */
    rc = r->compensation
             ? store_stmt_run(s, STORE_SLOT_WATER_COMP_ADD,
                              "INSERT OR IGNORE INTO water_compensation (section) VALUES (?)",
                              bind_code, r, "water section put", err, errcap)
             : store_stmt_run(s, STORE_SLOT_WATER_COMP_DEL,
                              "DELETE FROM water_compensation WHERE section = ?", bind_code, r,
                              "water section put", err, errcap);
    if (rc)
        return rc;
    rc = r->station && r->station[0]
             ? store_stmt_run(s, STORE_SLOT_WATER_STATION_PUT,
                              "INSERT OR REPLACE INTO water_station (section, mn) VALUES (?,?)",
                              bind_station, r, "water section put", err, errcap)
             : store_stmt_run(s, STORE_SLOT_WATER_STATION_DEL,
                              "DELETE FROM water_station WHERE section = ?", bind_code, r,
                              "water section put", err, errcap);
    if (rc)
        return rc;
    return r->drinking
               ? store_stmt_run(s, STORE_SLOT_WATER_DRINK_ADD,
                                "INSERT OR IGNORE INTO water_drinking (section) VALUES (?)",
                                bind_code, r, "water section put", err, errcap)
               : store_stmt_run(s, STORE_SLOT_WATER_DRINK_DEL,
                                "DELETE FROM water_drinking WHERE section = ?", bind_code, r,
                                "water section put", err, errcap);
}

/* Returns 0 (*found: the rows walked), what fn returned when it stopped, or a negative
 * error. */
static int sections_walk(ew_reader *db, const char *code, water_section_fn fn, void *ctx,
                         int *found, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
#define SECTION_COLS                                                                               \
    "SELECT code, name, water, target_class,"                                                      \
    " EXISTS (SELECT 1 FROM water_compensation c WHERE c.section = water_section.code),"           \
    " EXISTS (SELECT 1 FROM water_drinking d WHERE d.section = water_section.code),"               \
    " (SELECT mn FROM water_station t WHERE t.section = water_section.code)"                      \
    " FROM water_section"
    const char *sql = code ? SECTION_COLS " WHERE code = ?" : SECTION_COLS " ORDER BY code";
#undef SECTION_COLS
    if (sqlite3_prepare_v2(ew_read_sqlite_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return rfail(db, err, errcap, "water sections");
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        water_section_row r = {.code = wtext(st, 0),
                               .name = wtext(st, 1),
                               .water = wtext(st, 2),
                               .target_class = sqlite3_column_int(st, 3),
                               .compensation = sqlite3_column_int(st, 4) != 0,
                               .drinking = sqlite3_column_int(st, 5) != 0,
                               .station = wtext(st, 6)};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
        n++;
    }
    *found = n;
    int out = rc == SQLITE_DONE ? 0 : rfail(db, err, errcap, "water sections");
    sqlite3_finalize(st);
    return out;
}

int water_sections_each(ew_reader *db, water_section_fn fn, void *ctx, char *err, size_t errcap)
{
    int found;
    return sections_walk(db, NULL, fn, ctx, &found, err, errcap);
}

int water_section_get(ew_reader *db, const char *code, water_section_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    int found = 0;
    int rc = sections_walk(db, code, fn, ctx, &found, err, errcap);
    return rc ? rc : found > 0;
}

static void bind_sample(sqlite3_stmt *st, const void *row)
{
    const water_sample_row *r = row;
    sqlite3_bind_text(st, 1, r->section, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->ts_utc);
    sqlite3_bind_text(st, 3, r->item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->value_micro);
    sqlite3_bind_int(st, 5, r->below_dl ? 1 : 0);
    sqlite3_bind_text(st, 6, r->source ? r->source : "lab", -1, SQLITE_STATIC);
}

int water_sample_put(store *s, const water_sample_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_WATER_SAMPLE_PUT,
                          "INSERT OR REPLACE INTO water_sample (section, ts_utc, item,"
                          " value_micro, below_dl, source) VALUES (?,?,?,?,?,?)",
                          bind_sample, r, "water sample put", err, errcap);
}

int water_samples_each(ew_reader *db, const char *section, int64_t from_utc, int64_t to_utc,
                       water_sample_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ew_read_sqlite_handle(db),
                           "SELECT section, ts_utc, item, value_micro, below_dl, source"
                           " FROM water_sample WHERE section = ? AND ts_utc >= ? AND ts_utc < ?"
                           " ORDER BY ts_utc, item, source",
                           -1, &st, NULL) != SQLITE_OK)
        return rfail(db, err, errcap, "water samples");
    sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from_utc);
    sqlite3_bind_int64(st, 3, to_utc);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        water_sample_row r = {.section = wtext(st, 0),
                              .ts_utc = sqlite3_column_int64(st, 1),
                              .item = wtext(st, 2),
                              .value_micro = sqlite3_column_int64(st, 3),
                              .below_dl = sqlite3_column_int(st, 4) != 0,
                              .source = wtext(st, 5)};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE ? 0 : rfail(db, err, errcap, "water samples");
    sqlite3_finalize(st);
    return out;
}

static void bind_specific(sqlite3_stmt *st, const void *row)
{
    const water_specific_row *r = row;
    sqlite3_bind_text(st, 1, r->section, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->ts_utc);
    sqlite3_bind_text(st, 3, r->item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->value_micro);
    sqlite3_bind_int64(st, 5, r->limit_micro);
    sqlite3_bind_int(st, 6, r->below_dl ? 1 : 0);
    sqlite3_bind_text(st, 7, r->source ? r->source : "lab", -1, SQLITE_STATIC);
}

int water_specific_put(store *s, const water_specific_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_WATER_SPECIFIC_PUT,
                          "INSERT OR REPLACE INTO water_specific (section, ts_utc, item,"
                          " value_micro, limit_micro, below_dl, source) VALUES (?,?,?,?,?,?,?)",
                          bind_specific, r, "water specific put", err, errcap);
}

int water_specific_each(ew_reader *db, const char *section, int64_t from_utc, int64_t to_utc,
                        water_specific_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ew_read_sqlite_handle(db),
                           "SELECT section, ts_utc, item, value_micro, limit_micro, below_dl,"
                           " source FROM water_specific"
                           " WHERE section = ? AND ts_utc >= ? AND ts_utc < ?"
                           " ORDER BY ts_utc, item, source",
                           -1, &st, NULL) != SQLITE_OK)
        return rfail(db, err, errcap, "water specific results");
    sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from_utc);
    sqlite3_bind_int64(st, 3, to_utc);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        water_specific_row r = {.section = wtext(st, 0),
                                .ts_utc = sqlite3_column_int64(st, 1),
                                .item = wtext(st, 2),
                                .value_micro = sqlite3_column_int64(st, 3),
                                .limit_micro = sqlite3_column_int64(st, 4),
                                .below_dl = sqlite3_column_int(st, 5) != 0,
                                .source = wtext(st, 6)};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE ? 0 : rfail(db, err, errcap, "water specific results");
    sqlite3_finalize(st);
    return out;
}
