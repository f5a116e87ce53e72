/* scores: the performance scores of the plan's units over a period (plan §4(2)) — every unit
 * that answers for a task, scored by service/ledger's rules on the ledger's state and the
 * cases stored, highest total first.
 *
 * Memory: a scores_result owns its scores (with their hits) and the loaded cases until
 * scores_free; hits point into the plan (rules) and into the result's cases (tracking
 * codes), so the plan must outlive the result. */
#ifndef EW_SERVICE_SCORES_H
#define EW_SERVICE_SCORES_H
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "service/ledger.h"
#include "service/plan.h"
#include "store/store.h"

typedef struct scores_result {
    ledger_score *units; /* one per scored unit, highest total first (plan order among equals) */
    size_t n;
    ew_case **cases; /* every stored case, loaded (the case rules read their logs) */
    int64_t *case_ids;
    size_t n_cases;
} scores_result;

/* Score every unit of p that answers for a task (only_unit: that one alone, NULL: all) for
 * [from_utc, to_utc). states (p->n_tasks) and target_status (p->n_targets, or NULL) are the
 * ledger's state. EW_OK, or EW_EINTERNAL with err (a case that cannot be read fails the
 * whole computation: a score without it would be wrong). *out is initialised either way;
 * scores_free it in both cases. */
int scores_compute(store *office, const plan *p, const ledger_task_state *states,
                   const ledger_status *target_status, int64_t from_utc, int64_t to_utc,
                   const char *only_unit, scores_result *out, char *err,
                   size_t errcap) EW_MUST_CHECK;
void scores_free(scores_result *r);

/* The id of the case with that tracking code if who may read it, else 0. */
int64_t scores_case_id(const scores_result *r, const char *tracking, const case_actor *who);

#endif
