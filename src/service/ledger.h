/* ledger: the plan's 台账 — deadline status (red/yellow/green), overdue warnings, the change
 * records every update leaves, and the performance score of each unit for a period.
 * Pure logic over a loaded plan (service/plan.h), caller-supplied task states and cases
 * (service/case.h); storage comes later.
 *
 * Status rule for anything with a deadline day D (Beijing calendar day; "today" is the
 * Beijing day of now):
 *   done                                   → green (done_late tells whether after D)
 *   not done, today > D                    → red, overdue by today − D days
 *   not done, D − yellow_days ≤ today ≤ D  → yellow, D − today days left (0 on the day)
 *   otherwise                              → green
 * Numeric targets: after D, the final value decides (meets → green, misses or no value →
 * red). Before D, the projection decides if there is one (meets → green, misses → yellow,
 * "at risk"); without a projection the latest value does the same; with neither, the
 * deadline rule above applies (not yet reported near the deadline → yellow).
 *
 * Scoring (绩效考核, plan §四(二): 纳入全区绩效考核范围): see ledger_score_unit. */
#ifndef EW_SERVICE_LEDGER_H
#define EW_SERVICE_LEDGER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/auth.h"
#include "service/case.h"
#include "service/plan.h"

typedef enum { LEDGER_GREEN, LEDGER_YELLOW, LEDGER_RED } ledger_rag;

typedef struct ledger_policy {
    int yellow_days; /* yellow from this many days before the deadline day; default 30 */
} ledger_policy;
extern const ledger_policy ledger_policy_default;

typedef struct ledger_status {
    ledger_rag rag;
    int days_left;   /* deadline day − today; negative when overdue */
    bool done_late;  /* done, after the deadline day */
    bool closed;     /* the plan's period is over: a final status, judged at its end */
    const char *why; /* static text: "done", "overdue", "due soon", "on schedule", ... */
} ledger_status;

/* Deadline rule. done_utc is used only when done. */
ledger_status ledger_deadline_status(int64_t deadline_day, bool done, int64_t done_utc,
                                     int64_t now_utc, const ledger_policy *pol);

/* Does value meet the target under its comparator? PLAN_CMP_DONE: value != 0 means done. */
bool ledger_target_met(const plan_target *t, double value);

/* Status of one target at now_utc. has_value/value: the latest (reported or computed)
 * value; has_projected/projected: the year-end projection if one exists. */
ledger_status ledger_target_status(const plan_target *t, bool has_value, double value,
                                   bool has_projected, double projected, int64_t now_utc,
                                   const ledger_policy *pol);

/* The state of a task as the ledger keeps it (storage later). */
typedef struct ledger_task_state {
    int progress_pct; /* 0..100 */
    bool done;
    int64_t done_utc; /* when reported done; 0 if not */
} ledger_task_state;

/* Plan periods. A plan's period is over once its last day (p->end_day, Beijing) has ended.
 * From then on the ledger is closed: every status is the one the plan ended with, judged at
 * the first instant after its last day (ledger_as_of), so a task undone at the end is
 * "not done at period end" with its overdue days fixed, not a count that grows every day,
 * and a report after the end does not change how the period came out. Targets are judged
 * on the values of the plan's last year (ledger_plan_year). */
bool ledger_plan_over(const plan *p, int64_t now_utc);
/* now_utc while the period runs; the UTC second the period ended once it is over. */
int64_t ledger_as_of(const plan *p, int64_t now_utc);
/* The Beijing calendar year whose values the targets are judged on: the year of now_utc,
 * or the plan's last year once its period is over. */
int ledger_plan_year(const plan *p, int64_t now_utc);
/* The status of task i of p from its state: the deadline rule at ledger_as_of, marked
 * closed (why "not done at period end" when it was not done by then) once the period is
 * over. */
ledger_status ledger_task_status(const plan *p, size_t i, const ledger_task_state *st,
                                 int64_t now_utc, const ledger_policy *pol);
/* The status of target i of p (ledger_target_status at ledger_as_of), marked closed once
 * the period is over. The values are those of ledger_plan_year. */
ledger_status ledger_plan_target_status(const plan *p, size_t i, bool has_value, double value,
                                        bool has_projected, double projected, int64_t now_utc,
                                        const ledger_policy *pol);

/* A progress report by a unit on a task. */
typedef struct ledger_task_report {
    int progress_pct;
    bool done;
    const char *note;            /* required when progress goes down or the task is done */
    const char *const *evidence; /* required (≥ 1) to report done */
    size_t n_evidence;
} ledger_task_report;

typedef enum { LEDGER_OBJ_TASK, LEDGER_OBJ_TARGET } ledger_object;

/* One change, as the history stores it: append-only, never edited. Strings are borrowed from
 * the report, the actor and the plan: copy them before they go. */
typedef struct ledger_change {
    int64_t at_utc;
    const char *actor;
    ew_role role;
    const char *unit; /* the unit the actor reported for */
    ledger_object object;
    const char *object_id; /* task or target id */
    const char *field;     /* "progress", "done", "value" */
    char old_value[32];
    char new_value[32];
    const char *note;
    const char *const *evidence;
    size_t n_evidence;
} ledger_change;

/* Does the unit unit_id (a plan unit id; NULL or unknown: no) lead or carry responsibility
 * for task t? The one definition of "a unit answers for a task". */
bool ledger_unit_answers_for(const plan *p, const plan_task *t, const char *unit_id);

/* May who report for task t (NULL: the object has no task, e.g. a target outside the
 * tasks)? The one definition of "a unit answers for a task": its lead and responsible units
 * do, and report for themselves; administrators and bureau staff may report without a unit;
 * auth_decide (AUTH_LEDGER_REPORT) has the last word. Returns 0 with *object_org the unit
 * reported for (or NULL), or EW_EFORBIDDEN with msg "denied: <org> <why_not>" (why_not: the
 * caller's words, e.g. "is not a lead or responsible unit of task T13"). */
__attribute__((warn_unused_result)) int
ledger_may_report(const plan *p, const plan_task *t, const case_actor *who, const char *why_not,
                  const char **object_org, char *msg, size_t msg_cap);

/* Apply a unit's report to task `task` (index into p->tasks) and fill *change. The actor must
 * be allowed to report for the task (ledger_may_report). Returns 0; EW_EFORBIDDEN when the
 * actor may not report it; EW_EINVALID when the report is not acceptable (no such task,
 * progress outside 0..100, going down without a note, done without evidence and a note, a
 * task already done, or nothing changed: the history holds only changes). msg (msg_cap
 * bytes) names the fault; *st is unchanged on failure. */
__attribute__((warn_unused_result)) int
ledger_task_report_apply(const plan *p, size_t task, ledger_task_state *st,
                         const ledger_task_report *r, const case_actor *who, int64_t now_utc,
                         ledger_change *change, char *msg, size_t msg_cap);

/* A unit reports the value of a reported target (index into p->targets): old_value is the
 * value before (has_old false if none), new_value the reported one (0 or 1 for a "done"
 * target). Lead and responsible units of the target's task may report, and bureau staff
 * for any target; monitoring targets are computed, never reported. A note is required.
 * Fills *change and returns 0, or EW_EFORBIDDEN / EW_EINVALID with msg as
 * ledger_task_report_apply. */
__attribute__((warn_unused_result)) int
ledger_target_report_check(const plan *p, size_t target, bool has_old, double old_value,
                           double new_value, const char *note, const case_actor *who,
                           int64_t now_utc, ledger_change *change, char *msg, size_t msg_cap);

/* A warning for a task that is yellow or red. */
typedef struct ledger_warning {
    size_t task; /* index into p->tasks */
    ledger_status status;
} ledger_warning;

/* Warnings for every task not green at now_utc (ledger_task_status), red first then by days
 * left; none once the plan's period is over (a closed ledger warns of nothing: its results
 * are final). states has p->n_tasks entries. Returns the number found; at most cap are
 * written. */
size_t ledger_warnings(const plan *p, const ledger_task_state *states, int64_t now_utc,
                       const ledger_policy *pol, ledger_warning *out, size_t cap);

/* ---- performance scoring ----
 * A unit's score for a period [from_utc, to_utc) is LEDGER_SCORE_BASE plus the points of
 * every rule application; each application names its rule, the rule's text and the object.
 * Tasks count for their lead and responsible units (cooperating units support, they do not
 * answer for the task). Case events count for the unit the case was assigned to at the time
 * of the event. */
#define LEDGER_SCORE_BASE 100

typedef struct ledger_rule {
    const char *id;
    const char *text; /* zh, with the points: shown to the unit beside its score */
    int points;
    const char *object; /* what a hit's object names: "task", "target" or "case" */
} ledger_rule;

/* The rules, in the order applications are listed. */
extern const ledger_rule ledger_rules[];
extern const size_t ledger_n_rules;

typedef struct ledger_hit {
    const ledger_rule *rule;
    char object[48]; /* task id, target id or case tracking code */
    int points;
} ledger_hit;

typedef struct ledger_score {
    size_t unit; /* index into p->units */
    int base;
    int total;
    ledger_hit *hits; /* caller frees with ledger_score_free */
    size_t n_hits;
} ledger_score;

/* Score unit `unit` for [from_utc, to_utc). states: p->n_tasks entries. target_status:
 * p->n_targets entries at the period's end, or NULL to skip the target rule. cases: n_cases
 * borrowed pointers. */
void ledger_score_unit(const plan *p, size_t unit, const ledger_task_state *states,
                       const ledger_status *target_status, const ew_case *const *cases,
                       size_t n_cases, int64_t from_utc, int64_t to_utc, ledger_score *out);
void ledger_score_free(ledger_score *s);

const char *ledger_rag_name(ledger_rag r); /* "green", "yellow", "red" */

#endif
