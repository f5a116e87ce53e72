/* ledgerbook: the plan ledger as the platform keeps it — service/ledger.h's rules applied to
 * task states, reported target values and change records stored through store/office.h.
 * A report and the change record it leaves are committed in one transaction.
 *
 * Targets computed from monitoring data are not stored here: the standards engine computes
 * them when asked (the HTTP layer's /targets), so they can never go stale. */
#ifndef EW_SERVICE_LEDGERBOOK_H
#define EW_SERVICE_LEDGERBOOK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/ledger.h"
#include "service/plan.h"
#include "store/store.h"

/* REFUSED: the report is not acceptable (nothing changed, progress down without a note, …);
 * DENIED: the actor may not report this (ledger_may_report); STORE: storage failed. */
enum { LEDGERBOOK_E_REFUSED = -1, LEDGERBOOK_E_STORE = -2, LEDGERBOOK_E_DENIED = -3 };

/* Current state of every task of p into states (p->n_tasks entries; tasks never reported
 * are zero: 0 %, not done). 0 or LEDGERBOOK_E_STORE with msg. */
int ledgerbook_task_states(store *s, const plan *p, ledger_task_state *states, char *msg,
                           size_t cap);

/* The latest reported value of each reported target: has[i], values[i] (p->n_targets
 * entries each). 0 or LEDGERBOOK_E_STORE. */
int ledgerbook_target_values(store *s, const plan *p, bool *has, double *values, char *msg,
                             size_t cap);

/* A unit reports progress on task `task` (index into p->tasks): ledger_task_report_apply,
 * then the new state and the change record, in one transaction. 0; LEDGERBOOK_E_DENIED (the
 * actor may not report for the task) or LEDGERBOOK_E_REFUSED (nothing changed, note or
 * evidence missing, …) with the reason in msg; or LEDGERBOOK_E_STORE. */
int ledgerbook_report_task(store *s, const plan *p, size_t task, const ledger_task_report *r,
                           const case_actor *who, int64_t now_utc, char *msg, size_t cap);

/* A unit reports the value of reported target `target` (index into p->targets):
 * ledger_target_report_check, then the value and the change record, in one transaction.
 * evidence: attachment keys (may be none). Returns as ledgerbook_report_task. */
int ledgerbook_report_target(store *s, const plan *p, size_t target, double value, const char *note,
                             const char *const *evidence, size_t n_evidence, const case_actor *who,
                             int64_t now_utc, char *msg, size_t cap);

#endif
