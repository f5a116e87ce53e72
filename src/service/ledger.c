/* ledger: deadline status, warnings, change records, unit scores (contract in ledger.h). */
#include "service/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/err.h"
#include "base/xalloc.h"

/* A month's notice: the plan's dated steps are yearly or end-of-year; 30 days leaves one
 * monthly dispatch meeting to act on a yellow item. */
const ledger_policy ledger_policy_default = {.yellow_days = 30};

const char *ledger_rag_name(ledger_rag r)
{
    return r == LEDGER_GREEN ? "green" : r == LEDGER_YELLOW ? "yellow" : "red";
}

ledger_status ledger_deadline_status(int64_t deadline_day, bool done, int64_t done_utc,
                                     int64_t now_utc, const ledger_policy *pol)
{
    if (!pol)
        pol = &ledger_policy_default;
    ledger_status s = {.rag = LEDGER_GREEN};
    s.days_left = (int)(deadline_day - ew_bj_day_of(now_utc));
    if (done) {
        s.done_late = ew_bj_day_of(done_utc) > deadline_day;
        s.why = s.done_late ? "done after the deadline" : "done";
    } else if (s.days_left < 0) {
        s.rag = LEDGER_RED;
        s.why = "overdue";
    } else if (s.days_left <= pol->yellow_days) {
        s.rag = LEDGER_YELLOW;
        s.why = "due soon";
    } else {
        s.why = "on schedule";
    }
    return s;
}

bool ledger_target_met(const plan_target *t, double v)
{
    switch (t->cmp) {
    case PLAN_CMP_LE:
        return v <= t->target;
    case PLAN_CMP_GE:
        return v >= t->target;
    case PLAN_CMP_LT:
        return v < t->target;
    case PLAN_CMP_GT:
        return v > t->target;
    case PLAN_CMP_EQ:
        return v == t->target;
    case PLAN_CMP_DONE:
        return v != 0;
    }
    return false;
}

ledger_status ledger_target_status(const plan_target *t, bool has_value, double value,
                                   bool has_projected, double projected, int64_t now_utc,
                                   const ledger_policy *pol)
{
    if (!pol)
        pol = &ledger_policy_default;
    ledger_status s = {.rag = LEDGER_GREEN};
    s.days_left = (int)(t->deadline_day - ew_bj_day_of(now_utc));
    if (s.days_left < 0) {
        bool met = has_value && ledger_target_met(t, value);
        s.rag = met ? LEDGER_GREEN : LEDGER_RED;
        s.why = met ? "met" : has_value ? "missed" : "no value after the deadline";
        return s;
    }
    if (has_projected) {
        bool met = ledger_target_met(t, projected);
        s.rag = met ? LEDGER_GREEN : LEDGER_YELLOW;
        s.why = met ? "projected to meet" : "projected to miss";
        return s;
    }
    if (has_value) {
        bool met = ledger_target_met(t, value);
        s.rag = met ? LEDGER_GREEN : LEDGER_YELLOW;
        s.why = met ? "meets so far" : "misses so far";
        return s;
    }
    if (s.days_left <= pol->yellow_days) {
        s.rag = LEDGER_YELLOW;
        s.why = "not yet reported";
    } else {
        s.why = "on schedule";
    }
    return s;
}

bool ledger_plan_over(const plan *p, int64_t now_utc)
{
    return ew_bj_day_of(now_utc) > p->end_day;
}

int64_t ledger_as_of(const plan *p, int64_t now_utc)
{
    /* The first second after the last day: a deadline on that day is then one day past. */
    return ledger_plan_over(p, now_utc) ? ew_bj_day_start(p->end_day + 1) : now_utc;
}

int ledger_plan_year(const plan *p, int64_t now_utc)
{
    ew_civil c;
    ew_utc_to_bj(ledger_plan_over(p, now_utc) ? ew_bj_day_start(p->end_day) : now_utc, &c);
    return c.year;
}

ledger_status ledger_task_status(const plan *p, size_t i, const ledger_task_state *st,
                                 int64_t now_utc, const ledger_policy *pol)
{
    int64_t at = ledger_as_of(p, now_utc);
    /* A closed ledger keeps what the period ended with: done later is not done then. */
    bool done = st->done && st->done_utc < at;
    ledger_status s = ledger_deadline_status(p->tasks[i].deadline_day, done, st->done_utc, at, pol);
    if (ledger_plan_over(p, now_utc)) {
        s.closed = true;
        if (!done)
            s.why = "not done at period end";
    }
    return s;
}

ledger_status ledger_plan_target_status(const plan *p, size_t i, bool has_value, double value,
                                        bool has_projected, double projected, int64_t now_utc,
                                        const ledger_policy *pol)
{
    ledger_status s = ledger_target_status(&p->targets[i], has_value, value, has_projected,
                                           projected, ledger_as_of(p, now_utc), pol);
    s.closed = ledger_plan_over(p, now_utc);
    return s;
}

static bool refs_have(plan_refs r, size_t u)
{
    for (size_t i = 0; i < r.n; i++)
        if ((size_t)r.idx[i] == u)
            return true;
    return false;
}

/* Lead and responsible units answer for a task. */
static bool answers_for(const plan_task *t, size_t u)
{
    return refs_have(t->lead, u) || refs_have(t->responsible, u);
}

bool ledger_unit_answers_for(const plan *p, const plan_task *t, const char *unit_id)
{
    const plan_unit *u = unit_id ? plan_unit_by_id(p, unit_id) : NULL;
    return u && answers_for(t, (size_t)(u - p->units));
}

/* See ledger.h. */
int ledger_may_report(const plan *p, const plan_task *t, const case_actor *who,
                      const char *why_not, const char **object_org, char *msg, size_t msg_cap)
{
    *object_org = NULL;
    if (who->org && t) {
        const plan_unit *u = plan_unit_by_id(p, who->org);
        if (u && answers_for(t, (size_t)(u - p->units)))
            *object_org = u->id;
    }
    if (!*object_org && who->role != EW_ROLE_ADMIN && who->role != EW_ROLE_BUREAU) {
        snprintf(msg, msg_cap, "denied: %s %s", who->org ? who->org : "(no unit)", why_not);
        return EW_EFORBIDDEN;
    }
    auth_decision d = auth_decide(who->role, who->org, *object_org, AUTH_LEDGER_REPORT);
    if (!d.allow) {
        snprintf(msg, msg_cap, "denied: %s", d.reason);
        return EW_EFORBIDDEN;
    }
    return 0;
}

int ledger_task_report_apply(const plan *p, size_t task, ledger_task_state *st,
                             const ledger_task_report *r, const case_actor *who, int64_t now_utc,
                             ledger_change *change, char *msg, size_t msg_cap)
{
    if (task >= p->n_tasks) {
        snprintf(msg, msg_cap, "no task %zu", task);
        return EW_EINVALID;
    }
    const plan_task *t = &p->tasks[task];
    char what[96];
    snprintf(what, sizeof what, "is not a lead or responsible unit of task %s", t->id);
    const char *object_org;
    int may = ledger_may_report(p, t, who, what, &object_org, msg, msg_cap);
    if (may)
        return may;
    int pct = r->done ? 100 : r->progress_pct;
    bool has_note = r->note && *r->note;
    if (pct < 0 || pct > 100) {
        snprintf(msg, msg_cap, "progress %d%% is outside 0..100", r->progress_pct);
        return EW_EINVALID;
    }
    if (st->done) {
        snprintf(msg, msg_cap, "task %s is already done", t->id);
        return EW_EINVALID;
    }
    if (pct < st->progress_pct && !has_note) {
        snprintf(msg, msg_cap, "progress goes down from %d%% to %d%%: a note must say why",
                 st->progress_pct, pct);
        return EW_EINVALID;
    }
    if (r->done && (r->n_evidence == 0 || !has_note)) {
        snprintf(msg, msg_cap, "reporting task %s done needs evidence and a note", t->id);
        return EW_EINVALID;
    }
    if (!r->done && pct == st->progress_pct) {
        snprintf(msg, msg_cap, "the report changes nothing (progress already %d%%)", pct);
        return EW_EINVALID;
    }
    memset(change, 0, sizeof *change);
    change->at_utc = now_utc;
    change->actor = who->name;
    change->role = who->role;
    change->unit = object_org;
    change->object = LEDGER_OBJ_TASK;
    change->object_id = t->id;
    change->note = r->note;
    change->evidence = r->evidence;
    change->n_evidence = r->n_evidence;
    if (r->done) {
        change->field = "done";
        snprintf(change->old_value, sizeof change->old_value, "false");
        snprintf(change->new_value, sizeof change->new_value, "true");
        st->done = true;
        st->done_utc = now_utc;
    } else {
        change->field = "progress";
        snprintf(change->old_value, sizeof change->old_value, "%d", st->progress_pct);
        snprintf(change->new_value, sizeof change->new_value, "%d", pct);
    }
    st->progress_pct = pct;
    return 0;
}

int ledger_target_report_check(const plan *p, size_t target, bool has_old, double old_value,
                               double new_value, const char *note, const case_actor *who,
                               int64_t now_utc, ledger_change *change, char *msg, size_t msg_cap)
{
    if (target >= p->n_targets) {
        snprintf(msg, msg_cap, "no target %zu", target);
        return EW_EINVALID;
    }
    const plan_target *t = &p->targets[target];
    if (t->source == PLAN_SRC_MONITORING) {
        snprintf(msg, msg_cap, "target %s is computed from monitoring data (%s), not reported",
                 t->id, t->statistic);
        return EW_EINVALID;
    }
    if (t->cmp == PLAN_CMP_DONE && new_value != 0 && new_value != 1) {
        snprintf(msg, msg_cap, "target %s is a yes/no goal: report 1 (done) or 0", t->id);
        return EW_EINVALID;
    }
    if (!note || !*note) {
        snprintf(msg, msg_cap, "a reported value needs a note naming its source");
        return EW_EINVALID;
    }
    char what[96];
    snprintf(what, sizeof what, "does not answer for target %s", t->id);
    const char *object_org;
    int may = ledger_may_report(p, t->task >= 0 ? &p->tasks[t->task] : NULL, who, what,
                                &object_org, msg, msg_cap);
    if (may)
        return may;
    memset(change, 0, sizeof *change);
    change->at_utc = now_utc;
    change->actor = who->name;
    change->role = who->role;
    change->unit = object_org ? object_org : who->org;
    change->object = LEDGER_OBJ_TARGET;
    change->object_id = t->id;
    change->field = "value";
    if (has_old)
        snprintf(change->old_value, sizeof change->old_value, "%.10g", old_value);
    snprintf(change->new_value, sizeof change->new_value, "%.10g", new_value);
    change->note = note;
    return 0;
}

static int warning_cmp(const void *a, const void *b)
{
    const ledger_warning *x = a, *y = b;
    if (x->status.rag != y->status.rag)
        return x->status.rag == LEDGER_RED ? -1 : 1;
    if (x->status.days_left != y->status.days_left)
        return x->status.days_left < y->status.days_left ? -1 : 1;
    return x->task < y->task ? -1 : x->task > y->task;
}

size_t ledger_warnings(const plan *p, const ledger_task_state *states, int64_t now_utc,
                       const ledger_policy *pol, ledger_warning *out, size_t cap)
{
    /* Collect all, sort, then copy the first cap: the order must not depend on cap. */
    ledger_warning *all = xmalloc((p->n_tasks ? p->n_tasks : 1) * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < p->n_tasks && !ledger_plan_over(p, now_utc); i++) {
        ledger_status s = ledger_task_status(p, i, &states[i], now_utc, pol);
        if (s.rag != LEDGER_GREEN)
            all[n++] = (ledger_warning){.task = i, .status = s};
    }
    qsort(all, n, sizeof *all, warning_cmp);
    memcpy(out, all, (n < cap ? n : cap) * sizeof *all);
    free(all);
    return n;
}

/* The scoring rules. Points are whole numbers so that a unit can add its score by hand. */
enum {
    R_TASK_DONE_ON_TIME,
    R_TASK_DONE_LATE,
    R_TASK_OVERDUE,
    R_TARGET_MISSED,
    R_CASE_CLOSED_ON_TIME,
    R_CASE_DUBAN,
    R_CASE_LISTED,
    R_CASE_REOPENED,
    R_FIRE_POINT,
};
const ledger_rule ledger_rules[] = {
    [R_TASK_DONE_ON_TIME] = {"task_done_on_time", "负责的任务在期限内完成,+5", 5, "task"},
    [R_TASK_DONE_LATE] = {"task_done_late", "负责的任务逾期后完成,+2", 2, "task"},
    [R_TASK_OVERDUE] = {"task_overdue", "负责的任务到期末仍逾期未完成,-5", -5, "task"},
    [R_TARGET_MISSED] = {"target_missed", "负责任务的量化指标期末为红灯,-10", -10, "target"},
    [R_CASE_CLOSED_ON_TIME] = {"case_closed_on_time", "交办问题按期整改并核查销号,+1", 1, "case"},
    [R_CASE_DUBAN] = {"case_duban", "交办问题逾期被督办,-2", -2, "case"},
    [R_CASE_LISTED] = {"case_listed", "交办问题被挂牌督办,-5", -5, "case"},
    [R_CASE_REOPENED] = {"case_reopened", "已销号问题复发重新交办,-3", -3, "case"},
    [R_FIRE_POINT] = {"fire_point", "辖区内发现露天焚烧火点(核查为误报的除外),-2", -2, "case"},
};
const size_t ledger_n_rules = sizeof ledger_rules / sizeof ledger_rules[0];

static void hit(ledger_score *s, size_t *cap, int rule, const char *object)
{
    if (s->n_hits == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        s->hits = xrealloc(s->hits, *cap * sizeof *s->hits);
    }
    ledger_hit *h = &s->hits[s->n_hits++];
    h->rule = &ledger_rules[rule];
    h->points = ledger_rules[rule].points;
    snprintf(h->object, sizeof h->object, "%s", object);
    s->total += h->points;
}

static int hit_cmp(const void *a, const void *b)
{
    const ledger_hit *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return strcmp(x->object, y->object);
}

static bool in_period(int64_t t, int64_t from, int64_t to)
{
    return t >= from && t < to;
}

/* Walk a case's log, keeping the unit and deadline in force at each event, and credit or
 * charge the unit for the events of the period. */
static void score_case(const ew_case *c, const char *unit_id, int64_t from, int64_t to,
                       ledger_score *s, size_t *cap)
{
    const char *unit = NULL;
    int64_t deadline = 0, last_submit = 0;
    for (size_t i = 0; i < c->n_events; i++) {
        const case_event *e = &c->events[i];
        bool mine = unit && !strcmp(unit, unit_id) && in_period(e->at_utc, from, to);
        switch (e->action) {
        case CASE_ACT_ASSIGN:
            unit = e->unit;
            deadline = e->deadline_utc;
            break;
        case CASE_ACT_SEND_BACK:
            unit = NULL;
            break;
        case CASE_ACT_EXTEND:
            deadline = e->deadline_utc;
            break;
        case CASE_ACT_SUBMIT:
            last_submit = e->at_utc;
            break;
        case CASE_ACT_VERIFY:
            if (mine && last_submit <= deadline)
                hit(s, cap, R_CASE_CLOSED_ON_TIME, c->tracking);
            break;
        case CASE_ACT_ESCALATE:
            if (mine)
                hit(s, cap, e->level >= CASE_SUPERVISION_LISTED ? R_CASE_LISTED : R_CASE_DUBAN,
                    c->tracking);
            break;
        case CASE_ACT_REOPEN:
            if (e->from == CASE_CLOSED) {
                /* A recurrence is charged to the unit that had closed it. */
                if (mine)
                    hit(s, cap, R_CASE_REOPENED, c->tracking);
                unit = e->unit;
                deadline = e->deadline_utc;
            }
            break;
        default:
            break;
        }
    }
    /* 禁烧 (task 15): a fire point found in the period is charged to the town it lies in, the
     * unit the case rests with, once; a fire the bureau closed as a false alarm (a factory's
     * heat, a satellite error) is not the town's. */
    if (c->source == CASE_SRC_FIRE_POINT && c->category == CASE_CAT_OPEN_BURNING && unit &&
        !strcmp(unit, unit_id) && in_period(c->created_utc, from, to) &&
        c->finding != CASE_FINDING_FALSE_ALARM)
        hit(s, cap, R_FIRE_POINT, c->tracking);
}

void ledger_score_unit(const plan *p, size_t unit, const ledger_task_state *states,
                       const ledger_status *target_status, const ew_case *const *cases,
                       size_t n_cases, int64_t from_utc, int64_t to_utc, ledger_score *out)
{
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    out->unit = unit;
    out->base = out->total = LEDGER_SCORE_BASE;
    int64_t last_day = ew_bj_day_of(to_utc - 1); /* the period's last Beijing day */
    for (size_t i = 0; i < p->n_tasks; i++) {
        const plan_task *t = &p->tasks[i];
        if (!answers_for(t, unit))
            continue;
        const ledger_task_state *st = &states[i];
        bool done_by_end = st->done && st->done_utc < to_utc;
        if (done_by_end && in_period(st->done_utc, from_utc, to_utc))
            hit(out, &cap,
                ew_bj_day_of(st->done_utc) <= t->deadline_day ? R_TASK_DONE_ON_TIME
                                                              : R_TASK_DONE_LATE,
                t->id);
        if (!done_by_end && last_day > t->deadline_day)
            hit(out, &cap, R_TASK_OVERDUE, t->id);
        if (target_status)
            for (size_t k = 0; k < t->targets.n; k++)
                if (target_status[t->targets.idx[k]].rag == LEDGER_RED)
                    hit(out, &cap, R_TARGET_MISSED, p->targets[t->targets.idx[k]].id);
    }
    for (size_t i = 0; i < n_cases; i++)
        score_case(cases[i], p->units[unit].id, from_utc, to_utc, out, &cap);
    if (out->n_hits > 1)
        qsort(out->hits, out->n_hits, sizeof *out->hits, hit_cmp);
}

void ledger_score_free(ledger_score *s)
{
    free(s->hits);
    s->hits = NULL;
    s->n_hits = 0;
}
