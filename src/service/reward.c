/* reward: rewards of public reports (see reward.h). */
#include "service/reward.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "service/audit.h"
#include "service/casework.h"
#include "store/office.h"

typedef struct prev_reward {
    bool found, paid;
    int64_t amount_fen, paid_utc;
} prev_reward;

static int keep_prev(void *ctx, const office_reward *rw)
{
    prev_reward *p = ctx;
    p->found = true;
    p->paid = rw->status && !strcmp(rw->status, "paid");
    p->amount_fen = rw->amount_fen;
    p->paid_utc = rw->paid_utc;
    return 0;
}

int reward_decide(store *office, int64_t case_id, const reward_decision *d, const case_actor *who,
                  int64_t now_utc, const char *addr, char *err, size_t errcap)
{
    int rc = 0;
    case_error ce = {{0}};
    ew_case *c = casework_load(office, case_id, NULL, &rc, &ce);
    if (!c)
        return rc == CASEWORK_E_STORE
                   ? ew_errf(err, errcap, EW_EINTERNAL, "%s", ce.msg)
                   : ew_errf(err, errcap, EW_ENOTFOUND, "no case %lld", (long long)case_id);
    bool eligible = c->source == CASE_SRC_PUBLIC_REPORT && c->state == CASE_CLOSED;
    case_free(c);
    if (!eligible)
        return ew_errf(err, errcap, EW_ECONFLICT,
                       "rewards are for public reports confirmed and closed");
    const char *st = d->status;
    if (!st || (strcmp(st, "due") && strcmp(st, "paid") && strcmp(st, "declined")) ||
        (d->has_amount && d->amount_fen < 0))
        return ew_errf(err, errcap, EW_EINVALID,
                       "status must be due, paid or declined; amount_fen a whole number >= 0");
    prev_reward prev = {0};
    char msg[256];
    if (office_reward_get(office, case_id, keep_prev, &prev, msg, sizeof msg) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "reward: %s", msg);
    bool paid = !strcmp(st, "paid");
    office_reward rw = {.case_id = case_id,
                        .status = st,
                        .amount_fen = d->has_amount ? d->amount_fen : prev.amount_fen,
                        .decided_by = who->name,
                        .decided_utc = now_utc,
                        .paid_utc =
                            paid ? (prev.paid && prev.paid_utc ? prev.paid_utc : now_utc) : 0,
                        .note = d->note};
    if (paid && rw.amount_fen <= 0)
        return ew_errf(err, errcap, EW_EINVALID, "a paid reward needs an amount_fen above 0");
    if (office_reward_put(office, &rw, msg, sizeof msg) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "reward: %s", msg);
    char obj[32], detail[96];
    snprintf(obj, sizeof obj, "case %lld", (long long)case_id);
    snprintf(detail, sizeof detail, "status=%s amount_fen=%lld", st, (long long)rw.amount_fen);
    char aerr[300];
    if (audit_note(office, now_utc, who->name, "reward.put", obj, detail, addr, aerr,
                   sizeof aerr) < 0)
        ew_log(EW_LOG_ERROR, "reward.audit", "err=\"%s\"", aerr);
    return EW_OK;
}
