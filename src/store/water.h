/* water: the stored surface-water sections and their samples — laboratory results
 * imported from CSV and automatic-station results — kept as plain values for service/water.
 *
 * Schema migration 4 (docs/storage.md). Values are int64 millionths of the item's GB 3838
 * unit (standards/gb3838.h), already converted by the caller; this layer applies no rule.
 *
 * Writes go through the read-write store, reads through a reader (store/read.h), so the
 * API and the targets read without the office lock.
 *
 * Transactions: a function runs inside the caller's transaction when one is open;
 * otherwise each statement commits on its own.
 *
 * Strings passed in are borrowed for the call; strings handed to callbacks are valid only
 * until the callback returns; a non-zero return from a callback stops the iteration and is
 * returned. Errors: a negative EW_E* code with a message in err (err may be NULL); on
 * failure nothing is stored and outputs are unchanged. */
#ifndef EW_STORE_WATER_H
#define EW_STORE_WATER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/read.h"
#include "store/store.h"

/* A water section (断面): code, name, "river" or "lake", target class 1..5 (0: none),
 * whether it is an eco-compensation section (生态补偿断面, migration 8: the table
 * water_compensation) and whether it is a centralised drinking-water source's intake
 * (集中式饮用水水源地, migration 9: the table water_drinking), and the HJ 212 MN of its
 * automatic station, if any (migration 11: water_station). Without a transaction open, a
 * put is four statements, each committing on its own. */
typedef struct water_section_row {
    const char *code;
    const char *name;
    const char *water;
    int target_class;
    bool compensation;
    bool drinking;
    const char *station; /* the MN of its automatic station (migration 11), "" or NULL: none */
} water_section_row;
typedef int (*water_section_fn)(void *ctx, const water_section_row *r);

/* Insert or replace the section of r->code. */
int water_section_put(store *s, const water_section_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* Every section by code. Returns 0 or what fn returned, negative on error. */
int water_sections_each(ew_reader *db, water_section_fn fn, void *ctx, char *err,
                        size_t errcap) EW_MUST_CHECK;
/* 1 and fn called once if the section exists (or what fn returned, when not 0), 0 if not,
 * negative on error. */
int water_section_get(ew_reader *db, const char *code, water_section_fn fn, void *ctx, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* One result: section code, sample time (UTC seconds), item name (gb3838_item_name),
 * value in millionths, below the detection limit (value then is the limit), source "lab" or
 * "auto". */
typedef struct water_sample_row {
    const char *section;
    int64_t ts_utc;
    const char *item;
    int64_t value_micro;
    bool below_dl;
    const char *source;
} water_sample_row;
typedef int (*water_sample_fn)(void *ctx, const water_sample_row *r);

/* Store one result; a result with the same section, time, item and source replaces the
 * earlier one (re-importing a file adds nothing). */
int water_sample_put(store *s, const water_sample_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* The results of section in [from_utc, to_utc), by time, item, then source. Returns 0 or
 * what fn returned, negative on error. */
int water_samples_each(ew_reader *db, const char *section, int64_t from_utc, int64_t to_utc,
                       water_sample_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* One result of a GB 3838 Table 3 specific item (集中式生活饮用水地表水源地特定项目) at a
 * drinking-water source: item "t3.NAME" as the laboratory names it, value and the item's
 * Table 3 limit, both in millionths of mg/L (limit > 0), below the detection limit. */
typedef struct water_specific_row {
    const char *section;
    int64_t ts_utc;
    const char *item;
    int64_t value_micro, limit_micro;
    bool below_dl;
    const char *source;
} water_specific_row;
typedef int (*water_specific_fn)(void *ctx, const water_specific_row *r);

/* Store one specific result; the same section, time, item and source replaces it. */
int water_specific_put(store *s, const water_specific_row *r, char *err,
                       size_t errcap) EW_MUST_CHECK;
/* The specific results of section in [from_utc, to_utc), by time, item, then source. Returns 0 or
 * what fn returned, negative on error. */
int water_specific_each(ew_reader *db, const char *section, int64_t from_utc, int64_t to_utc,
                        water_specific_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

#endif
