/* plan: an action plan as data — targets, actions, tasks and the units that carry them.
 *
 * A plan file is JSON in the format "envwatch-plan/1" (docs/plan-format.md). plan_load_*
 * parses it with jansson and validates it completely: every reference resolves, every date
 * is a real Beijing calendar date inside the plan period, every target is either computed
 * from monitoring data (and names the statistic) or reported by a unit. The first fault is
 * reported with the JSON path of the offending value ("$.actions[2].tasks[0].lead[1]: ...")
 * or, for a syntax error, the line and column jansson found it at.
 *
 * A loaded plan is immutable; all its strings and arrays live in one arena owned by the plan
 * and released by plan_free(). Cross references are indexes into the plan's arrays, so a
 * plan can be copied only as a whole. Dates are Beijing calendar days (days since
 * 1970-01-01, see base/bjtime.h); a deadline day ends at the following Beijing midnight. */
#ifndef EW_SERVICE_PLAN_H
#define EW_SERVICE_PLAN_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define PLAN_FORMAT "envwatch-plan/1"
#define PLAN_DEFAULT_FILE "zhengzhou-jingkai-2023-2025.json"

/* How a target's value is compared with the target value. PLAN_CMP_DONE is a yes/no goal
 * ("基本实现…", "装备达标") that has no number: the responsible unit reports it done. */
typedef enum {
    PLAN_CMP_LE,
    PLAN_CMP_GE,
    PLAN_CMP_LT,
    PLAN_CMP_GT,
    PLAN_CMP_EQ,
    PLAN_CMP_DONE
} plan_cmp;

/* Where a target's value comes from: computed from monitoring data by a named statistic,
 * or reported by a unit. */
typedef enum { PLAN_SRC_MONITORING, PLAN_SRC_REPORTED } plan_source;

typedef enum {
    PLAN_UNIT_LEADERSHIP, /* 区党工委, 管委会: set the plan, carry no task */
    PLAN_UNIT_OFFICE,     /* coordination offices: 区攻坚办, 区控尘办 */
    PLAN_UNIT_DEPARTMENT, /* bureau departments and branches of city bureaus */
    PLAN_UNIT_ENTERPRISE, /* e.g. 城东供电公司 */
    PLAN_UNIT_GROUP       /* a named set: 各镇、办(管区), 区攻坚办各成员单位 */
} plan_unit_kind;

typedef struct plan_unit {
    const char *id;
    const char *name; /* as written in the plan, e.g. "区财政局(审计局)" */
    const char *name_en;
    plan_unit_kind kind;
    int parent; /* index into plan.units, or -1 */
} plan_unit;

typedef struct plan_target {
    const char *id; /* stable: "pm25_annual_mean", "good_days_ratio", ... */
    const char *name_zh;
    const char *name_en;
    const char *text; /* the plan's own words for the goal */
    const char *unit; /* "μg/m³", "%", "kW", ...; "" for PLAN_CMP_DONE */
    plan_cmp cmp;
    double target; /* unused for PLAN_CMP_DONE */
    bool has_baseline;
    double baseline;
    int baseline_year;    /* 0 when unknown */
    int year;             /* assessment year of an annual statistic, 0 if none */
    int64_t deadline_day; /* Beijing calendar day, days since 1970-01-01 */
    plan_source source;
    const char *statistic; /* monitoring only: e.g. "airq.pm25_annual_mean"; else NULL */
    const char *site;      /* the one monitored object the statistic is about (a water
                              section's code for "water.section_class"); NULL if none */
    const char *scope;     /* "zone" or "city" (a city-wide figure the zone contributes to) */
    const char *note;      /* NULL if none */
    int task;              /* index into plan.tasks of the task that lists it, or -1 */
} plan_target;

typedef struct plan_refs {
    const int *idx; /* indexes into plan.units (or plan.targets) */
    size_t n;
} plan_refs;

typedef struct plan_task {
    const char *id; /* "T01" ... */
    int no;         /* the plan's own number, 1-based */
    const char *title;
    const char *text;
    int action;            /* index into plan.actions */
    plan_refs lead;        /* 牵头单位 */
    plan_refs responsible; /* 责任单位 */
    plan_refs cooperating; /* 配合单位 */
    plan_refs targets;     /* indexes into plan.targets */
    int64_t deadline_day;
    bool deadline_stated; /* false: the plan's end date, the text names none */
    const char *note;
} plan_task;

typedef struct plan_action {
    const char *id;
    int no;
    const char *name;
    size_t first_task; /* tasks of an action are contiguous in plan.tasks */
    size_t n_tasks;
} plan_action;

typedef struct plan {
    arena mem;
    const char *id;
    const char *title;
    const char *issuer;
    const char *basis;     /* NULL if none */
    int64_t published_day; /* -1 if not given */
    int64_t start_day, end_day;
    plan_unit *units;
    size_t n_units;
    plan_target *targets;
    size_t n_targets;
    plan_action *actions;
    size_t n_actions;
    plan_task *tasks;
    size_t n_tasks;
} plan;

/* The first fault found. line/column are > 0 only for JSON syntax errors. */
typedef struct plan_error {
    int line;
    int column;
    char path[160]; /* JSON path, "$" for the root; "" for syntax and I/O errors */
    char msg[320];
} plan_error;

/* Load and validate. Returns a plan the caller frees with plan_free, or NULL with *err
 * filled in (err may not be NULL). */
__attribute__((warn_unused_result)) plan *plan_load_file(const char *path, plan_error *err);
__attribute__((warn_unused_result)) plan *plan_load_string(const char *json, size_t n,
                                                           plan_error *err);
/* Validate an already-parsed document (borrowed). */
__attribute__((warn_unused_result)) plan *plan_load_json(const json_t *root, plan_error *err);
void plan_free(plan *p);

/* Format err as one line "path: msg" or "line L, column C: msg" into buf. Returns buf. */
char *plan_error_format(const plan_error *err, char *buf, size_t cap);

/* Lookups by id; NULL if absent. Pointers are borrowed from p. */
const plan_unit *plan_unit_by_id(const plan *p, const char *id);
const plan_target *plan_target_by_id(const plan *p, const char *id);
const plan_task *plan_task_by_id(const plan *p, const char *id);
/* True if the task names unit index u as lead, responsible or cooperating unit. */
bool plan_task_involves(const plan_task *t, int u);

/* The plan as JSON in the file format (ids for references), with computed "task" on each
 * target and "action" on each task. Caller owns the reference (json_decref). */
json_t *plan_to_json(const plan *p);

const char *plan_cmp_name(plan_cmp c);       /* "<=", ">=", "<", ">", "==", "done" */
const char *plan_source_name(plan_source s); /* "monitoring", "reported" */
const char *plan_unit_kind_name(plan_unit_kind k);

/* UTC instant at which a Beijing calendar day ends (the following Beijing midnight). */
int64_t plan_day_end_utc(int64_t day);

/* Where the default plan is looked for, in order: $ENVWATCH_DATA_DIR/plan/,
 * <exe_dir>/../data/plan/ (a build directory inside the source tree), <exe_dir>/../share/
 * envwatch/plan/ (an installed tree), then ./data/plan/. data_dir (the value of
 * ENVWATCH_DATA_DIR) and exe_dir may be NULL. Writes the first candidate that exists into buf
 * and returns 0, or returns -1 (buf then holds the last candidate tried). */
int plan_find_default(const char *data_dir, const char *exe_dir, char *buf, size_t cap);
/* plan_find_default with $ENVWATCH_DATA_DIR and the running executable's directory: where
 * every command and the server look for the default plan. */
int plan_default_path(char *buf, size_t cap);

#endif
