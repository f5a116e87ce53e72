/* blackodor_sqlite: the SQLite side of store/blackodor.h. A value not measured is NULL in
 * the table and BLACKODOR_NA in a row. */
#include <sqlite3.h>

#include "standards/blackodor.h"
#include "store/blackodor.h"
#include "store/store_internal.h"

static int rfail(ew_reader *db, char *err, size_t errcap, const char *what)
{
    return ew_errf(err, errcap, EW_EINTERNAL, "%s: %s", what,
                   sqlite3_errmsg(ew_read_sqlite_handle(db)));
}

static const char *btext(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void bind_value(sqlite3_stmt *st, int i, int64_t v)
{
    if (v == BLACKODOR_NA)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

static int64_t column_value(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? BLACKODOR_NA : sqlite3_column_int64(st, i);
}

static void bind_body(sqlite3_stmt *st, const void *row)
{
    const bo_body_row *r = row;
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->name ? r->name : r->code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->rural ? 1 : 0);
}

int bo_body_put(store *s, const bo_body_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_BO_BODY_PUT,
                          "INSERT OR REPLACE INTO bo_body (code, name, rural) VALUES (?,?,?)",
                          bind_body, r, "black-odorous body put", err, errcap);
}

int bo_bodies_each(ew_reader *db, bo_body_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ew_read_sqlite_handle(db),
                           "SELECT code, name, rural FROM bo_body ORDER BY code", -1, &st,
                           NULL) != SQLITE_OK)
        return rfail(db, err, errcap, "black-odorous bodies");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bo_body_row r = {
            .code = btext(st, 0), .name = btext(st, 1), .rural = sqlite3_column_int(st, 2) != 0};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE ? 0 : rfail(db, err, errcap, "black-odorous bodies");
    sqlite3_finalize(st);
    return out;
}

static void bind_sample(sqlite3_stmt *st, const void *row)
{
    const bo_sample_row *r = row;
    sqlite3_bind_text(st, 1, r->body, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->point, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->ts_utc);
    sqlite3_bind_int(st, 4, r->seq);
    bind_value(st, 5, r->sd_milli);
    bind_value(st, 6, r->do_milli);
    bind_value(st, 7, r->orp_milli);
    bind_value(st, 8, r->nh3n_milli);
    bind_value(st, 9, r->depth_milli);
}

int bo_sample_put(store *s, const bo_sample_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_BO_SAMPLE_PUT,
                          "INSERT OR REPLACE INTO bo_sample (body, point, ts_utc, seq, sd_milli,"
                          " do_milli, orp_milli, nh3n_milli, depth_milli)"
                          " VALUES (?,?,?,?,?,?,?,?,?)",
                          bind_sample, r, "black-odorous sample put", err, errcap);
}

int bo_samples_each(ew_reader *db, const char *body, int64_t from_utc, int64_t to_utc,
                    bo_sample_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ew_read_sqlite_handle(db),
                           "SELECT body, point, seq, ts_utc, sd_milli, do_milli, orp_milli,"
                           " nh3n_milli, depth_milli FROM bo_sample"
                           " WHERE body = ? AND ts_utc >= ? AND ts_utc < ?"
                           " ORDER BY seq, point, ts_utc",
                           -1, &st, NULL) != SQLITE_OK)
        return rfail(db, err, errcap, "black-odorous samples");
    sqlite3_bind_text(st, 1, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from_utc);
    sqlite3_bind_int64(st, 3, to_utc);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bo_sample_row r = {.body = btext(st, 0),
                           .point = btext(st, 1),
                           .seq = sqlite3_column_int(st, 2),
                           .ts_utc = sqlite3_column_int64(st, 3),
                           .sd_milli = column_value(st, 4),
                           .do_milli = column_value(st, 5),
                           .orp_milli = column_value(st, 6),
                           .nh3n_milli = column_value(st, 7),
                           .depth_milli = column_value(st, 8)};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE ? 0 : rfail(db, err, errcap, "black-odorous samples");
    sqlite3_finalize(st);
    return out;
}
