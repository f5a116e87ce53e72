/* ghg_sqlite: the SQLite side of store/ghg.h. */
#include <sqlite3.h>

#include "store/ghg.h"
#include "store/store_internal.h"

static void bind_code(sqlite3_stmt *st, const void *row)
{
    const ghg_code_row *r = row;
    sqlite3_bind_text(st, 1, r->mn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->gas, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->code, -1, SQLITE_STATIC);
}

int ghg_code_put(store *s, const ghg_code_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_GHG_CODE_PUT,
                          "INSERT OR REPLACE INTO ghg_code (mn, gas, code) VALUES (?,?,?)",
                          bind_code, r, "ghg code put", err, errcap);
}

int ghg_codes_each(ew_reader *rd, ghg_code_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3 *db = ew_read_sqlite_handle(rd);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT mn, gas, code FROM ghg_code ORDER BY mn, gas", -1, &st,
                           NULL) != SQLITE_OK)
        return ew_errf(err, errcap, EW_EINTERNAL, "ghg codes: %s", sqlite3_errmsg(db));
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ghg_code_row r = {.mn = (const char *)sqlite3_column_text(st, 0),
                          .gas = (const char *)sqlite3_column_text(st, 1),
                          .code = (const char *)sqlite3_column_text(st, 2)};
        if ((out = fn(ctx, &r)))
            break;
    }
    if (!out && rc != SQLITE_DONE)
        out = ew_errf(err, errcap, EW_EINTERNAL, "ghg codes: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return out;
}
