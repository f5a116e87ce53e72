/* store_internal: what the SQLite files of this layer share beyond store.h. Never included
 * above src/store/. */
#ifndef EW_STORE_STORE_INTERNAL_H
#define EW_STORE_STORE_INTERNAL_H
#include <sqlite3.h>
#include <stdbool.h>

#include "store/store.h"

/* The connection of a store handle (borrowed; closed by store_close). */
sqlite3 *store_sqlite_handle(store *s);
/* The file path a store locator names: "sqlite:PATH" gives PATH, a plain path (anything not
 * starting with a URI scheme, i.e. letters, digits, "+.-" then ':') is itself. An unknown
 * scheme ("foo:x", "postgres://...") or an empty path is refused: -1 with err naming it.
 * *path points into locator (borrowed). Both store_open and ew_read_open go through here, so
 * the backend is chosen in one place. */
int store_locator_path(const char *locator, const char **path, char *err, size_t errcap);
/* The connection of a reader (borrowed; closed by ew_read_close). */
struct ew_reader;
sqlite3 *ew_read_sqlite_handle(struct ew_reader *r);
/* Call after any SQLite call on the handle failed: when the failure was a full disk
 * (SQLITE_FULL), it is counted for store_full_count. */
void store_note_failure(store *s);
/* True while a transaction is open on the handle (store_begin, or a caller's own). */
bool store_in_transaction(store *s);

/* A cache of prepared statements owned by the handle: slot (0 ≤ slot < STORE_STMT_SLOTS)
 * is prepared from sql on first use (SQLITE_PREPARE_PERSISTENT) and finalized by
 * store_close. Each file using it owns a fixed range of slots (below) and always passes the
 * same sql for a slot. Returns NULL if sql does not prepare (sqlite3_errmsg tells why). The
 * caller resets the statement after use (store_stmt_run does). */
enum {
    STORE_SLOTS_OFFICE = 80, /* the office files, through office_internal.h: 0 .. 79 */
    STORE_SLOT_DUST_PUT = STORE_SLOTS_OFFICE,
    STORE_SLOT_FLOW_SECTION_PUT,
    STORE_SLOT_FLOW_DAY_PUT,
    STORE_SLOT_WATER_SECTION_PUT,
    STORE_SLOT_WATER_COMP_ADD,
    STORE_SLOT_WATER_COMP_DEL,
    STORE_SLOT_WATER_SAMPLE_PUT,
    STORE_SLOT_WATER_DRINK_ADD,
    STORE_SLOT_WATER_DRINK_DEL,
    STORE_SLOT_WATER_SPECIFIC_PUT,
    STORE_SLOT_BO_BODY_PUT,
    STORE_SLOT_BO_SAMPLE_PUT,
    STORE_SLOT_WATER_STATION_PUT,
    STORE_SLOT_WATER_STATION_DEL,
    STORE_SLOT_GHG_CODE_PUT,
    STORE_STMT_SLOTS
};
sqlite3_stmt *store_stmt(store *s, int slot, const char *sql);
/* The write of one row: the cached statement of slot (prepared from sql), bound by the
 * caller in bind(st, row), stepped once, then reset and its bindings cleared whatever
 * happens. Returns 0, or EW_EINTERNAL with err "what: SQLite's message" (a full disk is
 * counted, store_note_failure). */
int store_stmt_run(store *s, int slot, const char *sql, void (*bind)(sqlite3_stmt *, const void *),
                   const void *row, const char *what, char *err, size_t errcap);

#endif
