/* ledgerbook: service/ledger.h's rules over the ledger stored with store/office.h (contract
 * in ledgerbook.h). A report reads the current state, applies the rule and writes the new
 * state with its change record inside one BEGIN IMMEDIATE transaction, so two reports on the
 * same task cannot both start from the same old value. */
#include "service/ledgerbook.h"

#include "base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "store/office.h"

typedef struct task_ctx {
    const plan *p;
    ledger_task_state *states;
} task_ctx;

static int on_task(void *ctx, const office_task *t)
{
    task_ctx *c = ctx;
    const plan_task *pt = plan_task_by_id(c->p, t->task_id);
    if (!pt)
        return 0; /* a task of an earlier edition of the plan: not shown */
    ledger_task_state *st = &c->states[pt - c->p->tasks];
    st->progress_pct = t->progress_pct;
    st->done = t->done;
    st->done_utc = t->done_utc;
    return 0;
}

int ledgerbook_task_states(store *s, const plan *p, ledger_task_state *states, char *msg,
                           size_t cap)
{
    memset(states, 0, p->n_tasks * sizeof *states);
    task_ctx c = {.p = p, .states = states};
    char err[200];
    if (office_tasks_each(s, p->id, on_task, &c, err, sizeof err) < 0) {
        snprintf(msg, cap, "task states: %s", err);
        return LEDGERBOOK_E_STORE;
    }
    return 0;
}

typedef struct value_ctx {
    const plan *p;
    bool *has;
    double *values;
} value_ctx;

static int on_value(void *ctx, const office_target_value *v)
{
    value_ctx *c = ctx;
    const plan_target *t = plan_target_by_id(c->p, v->target_id);
    if (!t)
        return 0;
    size_t i = (size_t)(t - c->p->targets);
    c->has[i] = true;
    c->values[i] = v->value;
    return 0;
}

int ledgerbook_target_values(store *s, const plan *p, bool *has, double *values, char *msg,
                             size_t cap)
{
    memset(has, 0, p->n_targets * sizeof *has);
    memset(values, 0, p->n_targets * sizeof *values);
    value_ctx c = {.p = p, .has = has, .values = values};
    char err[200];
    if (office_target_values_each(s, p->id, on_value, &c, err, sizeof err) < 0) {
        snprintf(msg, cap, "target values: %s", err);
        return LEDGERBOOK_E_STORE;
    }
    return 0;
}

static office_change to_office(const plan *p, const ledger_change *ch)
{
    return (office_change){
        .plan_id = p->id,
        .at_utc = ch->at_utc,
        .actor = ch->actor ? ch->actor : "?",
        .role = auth_role_name(ch->role),
        .unit = ch->unit,
        .object = ch->object == LEDGER_OBJ_TASK ? "task" : "target",
        .object_id = ch->object_id,
        .field = ch->field,
        .old_value = ch->old_value,
        .new_value = ch->new_value,
        .note = ch->note,
        .evidence = ch->evidence,
        .n_evidence = ch->n_evidence,
    };
}

/* Roll back and report a storage fault. */
static int store_fault(store *s, const char *what, const char *err, char *msg, size_t cap)
{
    store_rollback(s);
    snprintf(msg, cap, "%s: %s", what, err);
    return LEDGERBOOK_E_STORE;
}

int ledgerbook_report_task(store *s, const plan *p, size_t task, const ledger_task_report *r,
                           const case_actor *who, int64_t now_utc, char *msg, size_t cap)
{
    if (task >= p->n_tasks) {
        snprintf(msg, cap, "no task %zu in plan %s", task, p->id);
        return LEDGERBOOK_E_REFUSED;
    }
    char err[200];
    if (store_begin(s, err, sizeof err) < 0)
        return store_fault(s, "begin", err, msg, cap);
    ledger_task_state *states = xcalloc(p->n_tasks ? p->n_tasks : 1, sizeof *states);
    int rc = ledgerbook_task_states(s, p, states, msg, cap);
    if (rc) {
        store_rollback(s);
        free(states);
        return rc;
    }
    ledger_task_state st = states[task];
    free(states);
    ledger_change ch;
    int arc = ledger_task_report_apply(p, task, &st, r, who, now_utc, &ch, msg, cap);
    if (arc < 0) {
        store_rollback(s);
        return arc == EW_EFORBIDDEN ? LEDGERBOOK_E_DENIED : LEDGERBOOK_E_REFUSED;
    }
    office_task ot = {.plan_id = p->id,
                      .task_id = p->tasks[task].id,
                      .progress_pct = st.progress_pct,
                      .done = st.done,
                      .done_utc = st.done_utc,
                      .updated_utc = now_utc};
    office_change oc = to_office(p, &ch);
    if (office_task_put(s, &ot, err, sizeof err) < 0 ||
        office_change_append(s, &oc, NULL, err, sizeof err) < 0 ||
        store_commit(s, err, sizeof err) < 0)
        return store_fault(s, "storing the report", err, msg, cap);
    return 0;
}

int ledgerbook_report_target(store *s, const plan *p, size_t target, double value, const char *note,
                             const char *const *evidence, size_t n_evidence, const case_actor *who,
                             int64_t now_utc, char *msg, size_t cap)
{
    if (target >= p->n_targets) {
        snprintf(msg, cap, "no target %zu in plan %s", target, p->id);
        return LEDGERBOOK_E_REFUSED;
    }
    char err[200];
    if (store_begin(s, err, sizeof err) < 0)
        return store_fault(s, "begin", err, msg, cap);
    bool *has = xcalloc(p->n_targets, sizeof *has);
    double *values = xcalloc(p->n_targets, sizeof *values);
    int rc = ledgerbook_target_values(s, p, has, values, msg, cap);
    bool has_old = has[target];
    double old = values[target];
    free(has);
    free(values);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    ledger_change ch;
    int crc =
        ledger_target_report_check(p, target, has_old, old, value, note, who, now_utc, &ch, msg, cap);
    if (crc < 0) {
        store_rollback(s);
        return crc == EW_EFORBIDDEN ? LEDGERBOOK_E_DENIED : LEDGERBOOK_E_REFUSED;
    }
    ch.evidence = evidence;
    ch.n_evidence = n_evidence;
    office_target_value v = {.plan_id = p->id,
                             .target_id = p->targets[target].id,
                             .value = value,
                             .unit = ch.unit,
                             .reported_utc = now_utc};
    office_change oc = to_office(p, &ch);
    if (office_target_value_put(s, &v, err, sizeof err) < 0 ||
        office_change_append(s, &oc, NULL, err, sizeof err) < 0 ||
        store_commit(s, err, sizeof err) < 0)
        return store_fault(s, "storing the value", err, msg, cap);
    return 0;
}
