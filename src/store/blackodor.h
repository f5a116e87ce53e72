/* blackodor: the stored black-odorous water bodies (黑臭水体) and the samplings of their
 * points, kept as plain values for service/blackodor.
 *
 * Schema migration 10 (docs/storage.md). Values are int64 thousandths of the guide's units
 * (transparency and depth cm, DO and NH3-N mg/L, ORP mV; standards/blackodor.h), or
 * BLACKODOR_NA where a sampling did not measure one (NULL in the table); this layer
 * applies no rule.
 *
 * Writes go through the read-write store and run inside the caller's transaction when one
 * is open; reads go through a reader. Strings passed in are borrowed for the call; strings
 * handed to callbacks are valid only until the callback returns; a non-zero return from a
 * callback stops the iteration and is returned. Errors: a negative EW_E* code with a
 * message in err (err may be NULL); on failure nothing is stored. */
#ifndef EW_STORE_BLACKODOR_H
#define EW_STORE_BLACKODOR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/read.h"
#include "store/store.h"

/* A water body: code, name, and whether it lies in the built-up area (建成区) or is a rural
 * one (农村). */
typedef struct bo_body_row {
    const char *code, *name;
    bool rural;
} bo_body_row;
typedef int (*bo_body_fn)(void *ctx, const bo_body_row *r);

/* Insert or replace the body of r->code. */
int bo_body_put(store *s, const bo_body_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* Every body by code. Returns 0 or what fn returned, negative on error. */
int bo_bodies_each(ew_reader *db, bo_body_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* One sampling of one point: the body, the point's code and its order along the body (seq),
 * the time (UTC seconds), transparency, DO, ORP, NH3-N and the water depth. */
typedef struct bo_sample_row {
    const char *body, *point;
    int seq;
    int64_t ts_utc;
    int64_t sd_milli, do_milli, orp_milli, nh3n_milli, depth_milli;
} bo_sample_row;
typedef int (*bo_sample_fn)(void *ctx, const bo_sample_row *r);

/* Store r; the same body, point and time replaces the earlier sampling. */
int bo_sample_put(store *s, const bo_sample_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* The samplings of body in [from_utc, to_utc), by seq, point, then time. Returns 0 or what
 * fn returned, negative on error. */
int bo_samples_each(ew_reader *db, const char *body, int64_t from_utc, int64_t to_utc,
                    bo_sample_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

#endif
