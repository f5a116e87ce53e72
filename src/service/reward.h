/* reward: the reward of a public report that led to a closed case (plan §4: 有奖举报) — its
 * rules on top of the office store's reward record.
 *
 * A reward exists only for a case from a public report that is closed. Its status is "due"
 * (confirmed, to be paid), "paid" or "declined"; a paid reward has an amount above 0. A
 * field a decision leaves out keeps its recorded value (marking a reward paid does not need
 * the amount again), and paying twice does not move the payment date. */
#ifndef EW_SERVICE_REWARD_H
#define EW_SERVICE_REWARD_H
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "store/store.h"

typedef struct reward_decision {
    const char *status;  /* "due", "paid" or "declined" */
    bool has_amount;     /* amount_fen given (else the recorded amount, or 0) */
    int64_t amount_fen;  /* fen (0.01 yuan), >= 0 */
    const char *note;    /* may be NULL */
} reward_decision;

/* Record who's decision d on the reward of case case_id at now_utc, audited "reward.put"
 * from addr. EW_OK; EW_ENOTFOUND (no such case); EW_ECONFLICT (not a closed public report);
 * EW_EINVALID (status not one of the three, a negative amount, paid without an amount above
 * 0); EW_EINTERNAL (storage). err names the reason on failure. Nothing is written unless
 * EW_OK. */
int reward_decide(store *office, int64_t case_id, const reward_decision *d, const case_actor *who,
                  int64_t now_utc, const char *addr, char *err, size_t errcap) EW_MUST_CHECK;

#endif
