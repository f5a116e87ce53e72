/* dust_sqlite: the SQLite side of store/dust.h. */
#include <sqlite3.h>

#include "store/dust.h"
#include "store/store_internal.h"

static void bind_sample(sqlite3_stmt *st, const void *row)
{
    const dust_sample_row *r = row;
    sqlite3_bind_text(st, 1, r->point, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, r->month);
    sqlite3_bind_int64(st, 3, r->placed_utc);
    sqlite3_bind_int64(st, 4, r->collected_utc);
    sqlite3_bind_int64(st, 5, r->diameter_tenth_mm);
    sqlite3_bind_int64(st, 6, r->m0_ug);
    sqlite3_bind_int64(st, 7, r->m1_ug);
    sqlite3_bind_int64(st, 8, r->m2_ug);
    sqlite3_bind_int(st, 9, r->invalid ? 1 : 0);
    sqlite3_bind_int(st, 10, r->control ? 1 : 0);
}

int dust_sample_put(store *s, const dust_sample_row *r, char *err, size_t errcap)
{
    return store_stmt_run(s, STORE_SLOT_DUST_PUT,
                          "INSERT OR REPLACE INTO dust_sample (point, month, placed_utc,"
                          " collected_utc, diameter_tenth_mm, m0_ug, m1_ug, m2_ug, invalid,"
                          " control) VALUES (?,?,?,?,?,?,?,?,?,?)",
                          bind_sample, r, "dust sample put", err, errcap);
}

int dust_samples_each(ew_reader *rd, int from_month, int to_month, dust_sample_fn fn, void *ctx,
                      char *err, size_t errcap)
{
    sqlite3 *db = ew_read_sqlite_handle(rd);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT point, month, placed_utc, collected_utc, diameter_tenth_mm,"
                           " m0_ug, m1_ug, m2_ug, invalid, control FROM dust_sample"
                           " WHERE month BETWEEN ? AND ? ORDER BY month, point",
                           -1, &st, NULL) != SQLITE_OK)
        return ew_errf(err, errcap, EW_EINTERNAL, "dust samples: %s", sqlite3_errmsg(db));
    sqlite3_bind_int(st, 1, from_month);
    sqlite3_bind_int(st, 2, to_month);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *pt = sqlite3_column_text(st, 0);
        dust_sample_row r = {.point = pt ? (const char *)pt : "",
                             .month = sqlite3_column_int(st, 1),
                             .placed_utc = sqlite3_column_int64(st, 2),
                             .collected_utc = sqlite3_column_int64(st, 3),
                             .diameter_tenth_mm = sqlite3_column_int64(st, 4),
                             .m0_ug = sqlite3_column_int64(st, 5),
                             .m1_ug = sqlite3_column_int64(st, 6),
                             .m2_ug = sqlite3_column_int64(st, 7),
                             .invalid = sqlite3_column_int(st, 8) != 0,
                             .control = sqlite3_column_int(st, 9) != 0};
        int r2 = fn(ctx, &r);
        if (r2) {
            sqlite3_finalize(st);
            return r2;
        }
    }
    int out = rc == SQLITE_DONE
                  ? 0
                  : ew_errf(err, errcap, EW_EINTERNAL, "dust samples: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return out;
}
