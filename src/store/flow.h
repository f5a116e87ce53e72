/* flow: the stored ecological-flow control sections (生态流量控制断面) and their daily mean
 * flows, kept as plain values for service/flow.
 *
 * Schema migration 7 (docs/storage.md). Flows are int64 thousandths of m³/s, days are
 * Beijing days (ew_days_from_civil); this layer applies no rule.
 *
 * Writes go through the read-write store, reads through a reader (store/read.h).
 * Transactions: a write runs inside the caller's transaction when one is open; otherwise it
 * commits on its own. Strings passed in are borrowed for the call; strings handed to
 * callbacks are valid only until the callback returns; a non-zero return from a callback
 * stops the iteration and is returned. Errors: a negative EW_E* code with a message in err
 * (err may be NULL); on failure nothing is stored. */
#ifndef EW_STORE_FLOW_H
#define EW_STORE_FLOW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/read.h"
#include "store/store.h"

/* A control section: code, name, its ecological base flow (> 0). */
typedef struct flow_section_row {
    const char *code;
    const char *name;
    int64_t base_milli;
} flow_section_row;
typedef int (*flow_section_fn)(void *ctx, const flow_section_row *r);

/* Insert or replace the section of r->code. */
int flow_section_put(store *s, const flow_section_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* Every section by code. Returns 0 or what fn returned, negative on error. */
int flow_sections_each(ew_reader *db, flow_section_fn fn, void *ctx, char *err,
                       size_t errcap) EW_MUST_CHECK;

/* One day of a section: its daily mean flow, and whether the day is exempt (a documented
 * cause such as abnormally low natural inflow). */
typedef struct flow_day_row {
    const char *section;
    int64_t day;
    int64_t mean_milli;
    bool exempt;
} flow_day_row;
typedef int (*flow_day_fn)(void *ctx, const flow_day_row *r);

/* Store r; a day already stored for the section is replaced. */
int flow_day_put(store *s, const flow_day_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* The days of section in [from_day, to_day] by day. Returns 0 or what fn returned,
 * negative on error. */
int flow_days_each(ew_reader *db, const char *section, int64_t from_day, int64_t to_day,
                   flow_day_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

#endif
