/* flow_sqlite: the SQLite side of store/flow.h. */
#include <sqlite3.h>

#include "store/flow.h"
#include "store/store_internal.h"

static const char *text_of(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static int prepare_fail(sqlite3 *db, const char *what, char *err, size_t errcap)
{
    return ew_errf(err, errcap, EW_EINTERNAL, "%s: %s", what, sqlite3_errmsg(db));
}

static void bind_section(sqlite3_stmt *st, const void *row)
{
    const flow_section_row *r = row;
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->name ? r->name : r->code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->base_milli);
}

int flow_section_put(store *s, const flow_section_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_FLOW_SECTION_PUT,
                          "INSERT OR REPLACE INTO flow_section (code, name, base_milli)"
                          " VALUES (?,?,?)",
                          bind_section, r, "flow section put", err, errcap);
}

static void bind_day(sqlite3_stmt *st, const void *row)
{
    const flow_day_row *r = row;
    sqlite3_bind_text(st, 1, r->section, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->day);
    sqlite3_bind_int64(st, 3, r->mean_milli);
    sqlite3_bind_int(st, 4, r->exempt ? 1 : 0);
}

int flow_day_put(store *s, const flow_day_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_FLOW_DAY_PUT,
                          "INSERT OR REPLACE INTO flow_day (section, day, mean_milli, exempt)"
                          " VALUES (?,?,?,?)",
                          bind_day, r, "flow day put", err, errcap);
}

int flow_sections_each(ew_reader *rd, flow_section_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3 *db = ew_read_sqlite_handle(rd);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT code, name, base_milli FROM flow_section ORDER BY code", -1,
                           &st, NULL) != SQLITE_OK)
        return prepare_fail(db, "flow sections", err, errcap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        flow_section_row r = {.code = text_of(st, 0),
                              .name = text_of(st, 1),
                              .base_milli = sqlite3_column_int64(st, 2)};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE ? 0 : prepare_fail(db, "flow sections", err, errcap);
    sqlite3_finalize(st);
    return out;
}

int flow_days_each(ew_reader *rd, const char *section, int64_t from_day, int64_t to_day,
                   flow_day_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3 *db = ew_read_sqlite_handle(rd);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT section, day, mean_milli, exempt FROM flow_day"
                           " WHERE section = ? AND day BETWEEN ? AND ? ORDER BY day",
                           -1, &st, NULL) != SQLITE_OK)
        return prepare_fail(db, "flow days", err, errcap);
    sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from_day);
    sqlite3_bind_int64(st, 3, to_day);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        flow_day_row r = {.section = text_of(st, 0),
                          .day = sqlite3_column_int64(st, 1),
                          .mean_milli = sqlite3_column_int64(st, 2),
                          .exempt = sqlite3_column_int(st, 3) != 0};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE ? 0 : prepare_fail(db, "flow days", err, errcap);
    sqlite3_finalize(st);
    return out;
}
