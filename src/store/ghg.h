/* ghg (store): the code map of the greenhouse-gas stations — under which HJ 212 code a
 * station sends each gas — kept for service/ghg.
 *
 * Schema migration 16 (table ghg_code). Writes go through the read-write store (inside the
 * caller's transaction when one is open, else committing on their own), reads through a
 * reader (store/read.h). Strings passed in are borrowed for the call; strings handed to
 * callbacks are valid only until the callback returns; a non-zero return from a callback
 * stops the iteration and is returned. Errors: a negative EW_E* code with a message in err;
 * on failure nothing is stored. */
#ifndef EW_STORE_GHG_H
#define EW_STORE_GHG_H
#include <stddef.h>

#include "base/err.h"
#include "store/read.h"
#include "store/store.h"

/* Station mn sends gas ("CO2", "CH4" or "N2O") under code. */
typedef struct ghg_code_row {
    const char *mn;
    const char *gas;
    const char *code;
} ghg_code_row;
typedef int (*ghg_code_fn)(void *ctx, const ghg_code_row *r);

/* Insert or replace the code of (mn, gas). A gas other than the three is EW_EINTERNAL (the
 * table's check); the caller validates first. */
int ghg_code_put(store *s, const ghg_code_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* Every entry by mn, then gas. Returns 0 or what fn returned, negative on error. */
int ghg_codes_each(ew_reader *db, ghg_code_fn fn, void *ctx, char *err,
                   size_t errcap) EW_MUST_CHECK;

#endif
