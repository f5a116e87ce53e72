/* scores: units' performance scores over a period (see scores.h). */
#include "service/scores.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "service/casework.h"
#include "store/office.h"

typedef struct loader {
    store *office;
    scores_result *r;
    size_t cap;
    int failed;
    char msg[320]; /* "case N: " and a case_error message */
} loader;

static int load_case(void *ctx, const office_case *oc)
{
    loader *l = ctx;
    int rc = 0;
    case_error ce = {{0}};
    ew_case *c = casework_load(l->office, oc->id, NULL, &rc, &ce);
    if (!c) {
        snprintf(l->msg, sizeof l->msg, "case %lld: %s", (long long)oc->id, ce.msg);
        l->failed = 1;
        return 1;
    }
    scores_result *r = l->r;
    if (r->n_cases == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        r->cases = xrealloc(r->cases, l->cap * sizeof *r->cases);
        r->case_ids = xrealloc(r->case_ids, l->cap * sizeof *r->case_ids);
    }
    r->case_ids[r->n_cases] = oc->id;
    r->cases[r->n_cases++] = c;
    return 0;
}

int scores_compute(store *office, const plan *p, const ledger_task_state *states,
                   const ledger_status *target_status, int64_t from_utc, int64_t to_utc,
                   const char *only_unit, scores_result *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    loader l = {.office = office, .r = out};
    office_case_filter f = {0};
    if (office_cases_each(office, &f, NULL, load_case, &l, l.msg, sizeof l.msg) < 0 || l.failed)
        return ew_errf(err, errcap, EW_EINTERNAL, "scores: %s", l.msg);
    out->units = xcalloc(p->n_units + 1, sizeof *out->units);
    for (size_t u = 0; u < p->n_units; u++) {
        bool carries = false;
        for (size_t t = 0; t < p->n_tasks && !carries; t++)
            carries = ledger_unit_answers_for(p, &p->tasks[t], p->units[u].id);
        if (!carries || (only_unit && strcmp(only_unit, p->units[u].id)))
            continue;
        ledger_score sc;
        ledger_score_unit(p, u, states, target_status, (const ew_case *const *)out->cases,
                          out->n_cases, from_utc, to_utc, &sc);
        /* Insertion keeps equal totals in the plan's order. */
        size_t j = out->n++;
        while (j > 0 && out->units[j - 1].total < sc.total) {
            out->units[j] = out->units[j - 1];
            j--;
        }
        out->units[j] = sc;
    }
    return EW_OK;
}

void scores_free(scores_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        ledger_score_free(&r->units[i]);
    free(r->units);
    for (size_t i = 0; i < r->n_cases; i++)
        case_free(r->cases[i]);
    free(r->cases);
    free(r->case_ids);
    memset(r, 0, sizeof *r);
}

int64_t scores_case_id(const scores_result *r, const char *tracking, const case_actor *who)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (!strcmp(r->cases[i]->tracking, tracking) && casework_may_read(r->cases[i], who))
            return r->case_ids[i];
    return 0;
}
