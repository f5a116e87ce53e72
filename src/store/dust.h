/* dust: the stored dust-fall (降尘) samples — one collection jar's sample per point and
 * month, as the laboratory weighed it — kept as plain values for service/dust.
 *
 * Schema migration 6 (docs/storage.md). Masses are int64 micrograms, the jar's inner
 * diameter tenths of a millimetre, times UTC seconds; this layer applies no rule (the
 * value in t/(km²·30 d) is computed on reading, by standards/dustfall.h, so a corrected
 * rule needs no migration).
 *
 * Writes go through the read-write store, reads through a reader (store/read.h).
 * Transactions: a write runs inside the caller's transaction when one is open; otherwise it
 * commits on its own. Strings passed in are borrowed for the call; strings handed to
 * callbacks are valid only until the callback returns; a non-zero return from a callback
 * stops the iteration and is returned. Errors: a negative EW_E* code with a message in err
 * (err may be NULL); on failure nothing is stored. */
#ifndef EW_STORE_DUST_H
#define EW_STORE_DUST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/read.h"
#include "store/store.h"

/* One jar's sample: point code, the Beijing month it stands for (year × 100 + month), when
 * the jar was placed and collected, its inner diameter, the weighings m0 (empty dish), m1
 * (dish with residue), m2 (blank residue), and the laboratory's flags. */
typedef struct dust_sample_row {
    const char *point;
    int month; /* e.g. 202503 */
    int64_t placed_utc, collected_utc;
    int64_t diameter_tenth_mm;
    int64_t m0_ug, m1_ug, m2_ug;
    bool invalid; /* broken or overturned jar, contamination */
    bool control; /* a clean control point */
} dust_sample_row;
typedef int (*dust_sample_fn)(void *ctx, const dust_sample_row *r);

/* Store r; a sample of the same point and month replaces the earlier one (a corrected
 * weighing re-imported replaces, importing a file twice adds nothing). */
int dust_sample_put(store *s, const dust_sample_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* The samples of months from..to (inclusive, year × 100 + month), by month then point.
 * Returns 0 or what fn returned, negative on error. */
int dust_samples_each(ew_reader *db, int from_month, int to_month, dust_sample_fn fn, void *ctx,
                      char *err, size_t errcap) EW_MUST_CHECK;

#endif
