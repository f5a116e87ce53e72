/* source_internal: what source.c and source_scan.c share — a copied list of limits. Not a
 * public contract. */
#ifndef EW_SERVICE_SOURCE_INTERNAL_H
#define EW_SERVICE_SOURCE_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#include "store/source.h"

/* Limits copied out of the store's callback: every string duplicated (xalloc policy), in
 * the store's order (by site, then parameter and period). */
typedef struct limit_list {
    source_limit *v;
    size_t n, cap;
} limit_list;

/* source_limits_each callback appending a copy to the limit_list ctx; always 0. */
int source_limit_keep(void *ctx, const source_limit *l);
/* Free the copies and the array; *ll is then empty. */
void source_limit_list_free(limit_list *ll);

/* The site id of the outlet with MN mn into *id, 0 when there is none. Returns EW_OK, or a
 * negative store error with err (*id unchanged). */
int source_outlet_id_of(store *s, const char *mn, int64_t *id, char *err,
                        size_t errcap) EW_MUST_CHECK;

#endif
