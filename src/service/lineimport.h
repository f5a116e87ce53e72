/* lineimport: the one loop of the line-by-line CSV imports (dust-fall samples, flows):
 * every good line stored in one transaction, each bad line reported and skipped, a storage
 * failure rolling everything back.
 *
 * The text's first non-comment line is a header; '#' lines and empty lines are skipped
 * (service/textlines.h). Fields are split at commas, without quoting. */
#ifndef EW_SERVICE_LINEIMPORT_H
#define EW_SERVICE_LINEIMPORT_H
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "store/store.h"

/* Called once per malformed line: line is 1-based, msg names the field. */
typedef void (*lineimport_error_fn)(void *ctx, int line, const char *msg);
/* Store one line of nf fields f[] (modifiable, NUL-terminated, spaces around them trimmed;
 * min_fields ≤ nf ≤ max_fields). Returns 0 when
 * stored, EW_EINVALID with msg saying what is wrong (the line is reported and skipped), or
 * another negative code for a storage failure (the import stops, nothing is stored). */
typedef int (*lineimport_line_fn)(store *s, char **f, int nf, char *msg, size_t msgcap);

/* Import text[0..n) line by line with fn, lines of fewer than min_fields or more than
 * max_fields (≤ 16) fields being malformed. *stored and *bad count the lines. Returns 0
 * (even with bad lines), or a negative error (nothing stored; err says why, with the
 * line). */
int lineimport_run(store *s, const char *text, size_t n, int min_fields, int max_fields,
                   lineimport_line_fn fn, lineimport_error_fn on_error, void *ctx, int *stored,
                   int *bad, char *err, size_t errcap) EW_MUST_CHECK;

/* Field f named name as a flag of the line formats: "0" or "1". Returns 0 and sets *out, or
 * EW_EINVALID with msg "name: 'f' is not 0 or 1" (*out unchanged). */
int lineimport_flag(const char *f, const char *name, bool *out, char *msg,
                    size_t msgcap) EW_MUST_CHECK;

#endif
