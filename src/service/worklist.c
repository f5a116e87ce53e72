/* worklist: what a person has to act on now (see worklist.h). */
#include "service/worklist.h"

#include <string.h>

static bool owes(const char *state)
{
    case_state st;
    return state && !case_state_parse(state, &st) && case_owes_work(st);
}

typedef struct scan {
    store *office;
    const case_actor *who;
    int64_t now_utc;
    worklist_case_fn fn;
    void *ctx;
    int failed;
    char msg[256];
} scan;

static int count_reward(void *ctx, const office_reward *rw)
{
    (void)rw;
    ++*(int *)ctx;
    return 0;
}

static int visit(void *vs, const office_case *c)
{
    scan *s = vs;
    const case_actor *who = s->who;
    bool staff = who->role == EW_ROLE_ADMIN || who->role == EW_ROLE_BUREAU;
    bool own = c->unit && who->org && !strcmp(c->unit, who->org) && owes(c->state);
    bool mine;
    if (staff)
        mine = !strcmp(c->state, "reported") || !strcmp(c->state, "rectified") ||
               (owes(c->state) && c->deadline_utc && s->now_utc > c->deadline_utc) ||
               (who->role == EW_ROLE_BUREAU && own); /* the bureau's departments rectify too */
    else
        mine = own;
    bool reward_pending = false;
    if (staff && !strcmp(c->state, "closed") && !strcmp(c->source, "public_report")) {
        int n = 0;
        if (office_reward_get(s->office, c->id, count_reward, &n, s->msg, sizeof s->msg) < 0) {
            s->failed = 1;
            return 1;
        }
        reward_pending = n == 0;
    }
    if (mine || reward_pending)
        return s->fn(s->ctx, c, reward_pending);
    return 0;
}

int worklist_cases(store *office, const case_actor *who, int64_t now_utc, worklist_case_fn fn,
                   void *ctx, char *err, size_t errcap)
{
    if (who->role == EW_ROLE_ENTERPRISE || who->role == EW_ROLE_AUDITOR ||
        who->role == EW_ROLE_PUBLIC)
        return EW_OK;
    /* Units see their own cases only: the store filters by unit unless the caller may read
     * every case. */
    office_case_filter f = {
        .unit = auth_decide(who->role, who->org, NULL, AUTH_CASE_READ).allow ? NULL : who->org};
    scan s = {office, who, now_utc, fn, ctx, 0, ""};
    if (office_cases_each(office, &f, NULL, visit, &s, s.msg, sizeof s.msg) < 0 || s.failed)
        return ew_errf(err, errcap, EW_EINTERNAL, "worklist: %s", s.msg);
    return EW_OK;
}

size_t worklist_tasks(const plan *p, const ledger_task_state *states,
                      const ledger_status *task_status, const case_actor *who, size_t *out)
{
    size_t n = 0;
    if (!who->org)
        return 0;
    for (int rag = LEDGER_RED; rag >= LEDGER_GREEN; rag--)
        for (size_t i = 0; i < p->n_tasks; i++)
            if (!states[i].done && (int)task_status[i].rag == rag &&
                ledger_unit_answers_for(p, &p->tasks[i], who->org))
                out[n++] = i;
    return n;
}

size_t worklist_targets(const plan *p, const case_actor *who, size_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_targets; i++) {
        const plan_target *t = &p->targets[i];
        if (t->source == PLAN_SRC_REPORTED &&
            (who->role == EW_ROLE_BUREAU ||
             (t->task >= 0 && ledger_unit_answers_for(p, &p->tasks[t->task], who->org))))
            out[n++] = i;
    }
    return n;
}
