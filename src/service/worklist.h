/* worklist: what a person has to act on now — the cases waiting for them and the plan's
 * tasks and reported targets their unit answers for — for GET /worklist and the unit
 * screens.
 *
 * Cases: the bureau and administrators see reports to accept, rectifications to verify and
 * overdue work of any unit, plus public reports closed without a reward decision; a unit
 * (and a bureau department for itself) sees the cases assigned to it that owe work
 * (case_owes_work). Enterprises, auditors and the public have no case work. */
#ifndef EW_SERVICE_WORKLIST_H
#define EW_SERVICE_WORKLIST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "service/ledger.h"
#include "service/plan.h"
#include "store/office.h"

/* Called per case on the worklist, newest first; reward_pending: a closed public report
 * waiting for the reward decision. c lives during the call. Return non-zero to stop. */
typedef int (*worklist_case_fn)(void *ctx, const office_case *c, bool reward_pending);

/* The cases of who's worklist at now_utc. EW_OK, or EW_EINTERNAL with err. */
int worklist_cases(store *office, const case_actor *who, int64_t now_utc, worklist_case_fn fn,
                   void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* The tasks of who's unit still open, red first then yellow then green, each colour in the
 * plan's order: their indexes into out (p->n_tasks entries at most). task_status: the
 * deadline status of each task. Returns how many. No unit: none. */
size_t worklist_tasks(const plan *p, const ledger_task_state *states,
                      const ledger_status *task_status, const case_actor *who, size_t *out);

/* The reported targets who reports: every one for bureau staff, else those of tasks the
 * unit answers for; indexes into out (p->n_targets at most). Returns how many. */
size_t worklist_targets(const plan *p, const case_actor *who, size_t *out);

#endif
