/* plan: load and validate action-plan files (format in docs/plan-format.md).
 *
 * Validation is strict on purpose: a plan drives who is assessed for what, so a misspelt
 * member name or a dangling unit reference must stop the load rather than silently drop a
 * responsibility. Every check reports the JSON path of the value it rejects. */
#include "service/plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/bjtime.h"
#include "base/clock.h"
#include "base/jsonv.h"
#include "base/xalloc.h"

/* The loader's state: the JSON reader (base/jsonv: the path of the first fault) and the
 * plan being built. The helpers below keep the loader's short names. */
typedef struct vctx {
    ew_jv jv;
    plan *p;
} vctx;

static int fail(vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ew_jv_vfail(&v->jv, fmt, ap);
    va_end(ap);
    return rc;
}

static size_t push_key(vctx *v, const char *key)
{
    return ew_jv_push_key(&v->jv, key);
}

static size_t push_idx(vctx *v, size_t i)
{
    return ew_jv_push_idx(&v->jv, i);
}

static void pop(vctx *v, size_t old)
{
    ew_jv_pop(&v->jv, old);
}

static const char *type_name(const json_t *j)
{
    return ew_jv_type_name(j);
}

static int check_members(vctx *v, const json_t *obj, const char *const *allowed)
{
    return ew_jv_members(&v->jv, obj, allowed);
}

static int want_object(vctx *v, const json_t *j)
{
    return ew_jv_object(&v->jv, j);
}

static int want_array(vctx *v, const json_t *j, bool nonempty)
{
    return ew_jv_array(&v->jv, j, nonempty);
}

static int get_str(vctx *v, const json_t *obj, const char *key, bool required, const char **out)
{
    return ew_jv_str(&v->jv, obj, key, required, out);
}

static int get_id(vctx *v, const json_t *obj, const char **out)
{
    return ew_jv_id(&v->jv, obj, out);
}

static int get_date(vctx *v, const json_t *obj, const char *key, bool required, int64_t *out)
{
    return ew_jv_date(&v->jv, obj, key, required, out);
}

static int get_num(vctx *v, const json_t *obj, const char *key, bool *present, double *out)
{
    return ew_jv_num(&v->jv, obj, key, present, out);
}

static int get_int(vctx *v, const json_t *obj, const char *key, int lo, int hi, int *out)
{
    return ew_jv_int(&v->jv, obj, key, lo, hi, out);
}

static int check_in_period(vctx *v, const char *key, int64_t day)
{
    if (day < v->p->start_day || day > v->p->end_day) {
        push_key(v, key); /* the path stays on the fault */
        return fail(v, "date lies outside the plan period");
    }
    return 0;
}

static int unit_index(const plan *p, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p->units[i].id, id))
            return (int)i;
    return -1;
}

static int target_index(const plan *p, const char *id)
{
    for (size_t i = 0; i < p->n_targets; i++)
        if (!strcmp(p->targets[i].id, id))
            return (int)i;
    return -1;
}

static const char *const unit_kinds[] = {"leadership", "office", "department", "enterprise",
                                         "group"};

static int load_units(vctx *v, const json_t *arr)
{
    plan *p = v->p;
    if (want_array(v, arr, true))
        return -1;
    p->n_units = json_array_size(arr);
    p->units = arena_alloc(&p->mem, p->n_units * sizeof *p->units);
    static const char *const allowed[] = {"id", "name", "name_en", "kind", "parent", NULL};
    for (size_t i = 0; i < p->n_units; i++) {
        const json_t *u = json_array_get(arr, i);
        plan_unit *pu = &p->units[i];
        size_t o = push_idx(v, i);
        const char *kind, *parent;
        if (want_object(v, u) || check_members(v, u, allowed) || get_id(v, u, &pu->id) ||
            get_str(v, u, "name", true, &pu->name) ||
            get_str(v, u, "name_en", false, &pu->name_en) || get_str(v, u, "kind", true, &kind) ||
            get_str(v, u, "parent", false, &parent))
            return -1;
        if (unit_index(p, i, pu->id) >= 0) {
            push_key(v, "id");
            return fail(v, "duplicate unit id \"%s\"", pu->id);
        }
        int k = -1;
        for (size_t j = 0; j < sizeof unit_kinds / sizeof unit_kinds[0]; j++)
            if (!strcmp(kind, unit_kinds[j]))
                k = (int)j;
        if (k < 0) {
            push_key(v, "kind");
            return fail(v, "\"%s\" is not one of leadership, office, department, enterprise, group",
                        kind);
        }
        pu->kind = (plan_unit_kind)k;
        pu->parent = -1;
        pop(v, o);
    }
    /* Parents may be listed after their children: resolve in a second pass. */
    for (size_t i = 0; i < p->n_units; i++) {
        const char *parent = json_string_value(json_object_get(json_array_get(arr, i), "parent"));
        if (!parent)
            continue;
        int k = unit_index(p, p->n_units, parent);
        if (k < 0 || (size_t)k == i) {
            push_idx(v, i);
            push_key(v, "parent");
            return fail(v, k < 0 ? "unknown unit \"%s\"" : "unit \"%s\" is its own parent", parent);
        }
        p->units[i].parent = k;
    }
    return 0;
}

static const char *const cmp_names[] = {"<=", ">=", "<", ">", "==", "done"};

static int load_target(vctx *v, const json_t *t, plan_target *pt)
{
    static const char *const allowed[] = {"id",        "name",     "text",     "unit", "comparator",
                                          "target",    "baseline", "deadline", "year", "source",
                                          "statistic", "scope",    "note",     "task", "site", NULL};
    const char *cmp, *src;
    if (want_object(v, t) || check_members(v, t, allowed) || get_id(v, t, &pt->id))
        return -1;
    json_t *name = json_object_get(t, "name");
    if (!name)
        return fail(v, "missing member \"name\"");
    size_t o = push_key(v, "name");
    static const char *const name_allowed[] = {"zh", "en", NULL};
    if (want_object(v, name) || check_members(v, name, name_allowed) ||
        get_str(v, name, "zh", true, &pt->name_zh) || get_str(v, name, "en", true, &pt->name_en))
        return -1;
    pop(v, o);
    if (get_str(v, t, "text", true, &pt->text) || get_str(v, t, "unit", false, &pt->unit) ||
        get_str(v, t, "comparator", true, &cmp) || get_str(v, t, "source", true, &src) ||
        get_str(v, t, "statistic", false, &pt->statistic) ||
        get_str(v, t, "site", false, &pt->site) ||
        get_str(v, t, "scope", false, &pt->scope) || get_str(v, t, "note", false, &pt->note) ||
        get_date(v, t, "deadline", true, &pt->deadline_day) ||
        get_int(v, t, "year", 1949, 2200, &pt->year))
        return -1;
    if (!pt->unit)
        pt->unit = "";
    if (!pt->scope)
        pt->scope = "zone";
    if (strcmp(pt->scope, "zone") && strcmp(pt->scope, "city")) {
        push_key(v, "scope");
        return fail(v, "\"%s\" is not one of zone, city", pt->scope);
    }
    int c = -1;
    for (size_t j = 0; j < sizeof cmp_names / sizeof cmp_names[0]; j++)
        if (!strcmp(cmp, cmp_names[j]))
            c = (int)j;
    if (c < 0) {
        push_key(v, "comparator");
        return fail(v, "\"%s\" is not one of \"<=\", \">=\", \"<\", \">\", \"==\", \"done\"", cmp);
    }
    pt->cmp = (plan_cmp)c;
    bool has_target;
    if (get_num(v, t, "target", &has_target, &pt->target))
        return -1;
    if (pt->cmp == PLAN_CMP_DONE && has_target) {
        push_key(v, "target");
        return fail(v, "a \"done\" target has no target value");
    }
    if (pt->cmp != PLAN_CMP_DONE && !has_target)
        return fail(v, "missing member \"target\" (required unless comparator is \"done\")");
    if (!strcmp(src, "monitoring"))
        pt->source = PLAN_SRC_MONITORING;
    else if (!strcmp(src, "reported"))
        pt->source = PLAN_SRC_REPORTED;
    else {
        push_key(v, "source");
        return fail(v, "\"%s\" is not one of monitoring, reported", src);
    }
    if (pt->source == PLAN_SRC_MONITORING && !pt->statistic)
        return fail(v, "missing member \"statistic\" (required for a monitoring target)");
    if (pt->source == PLAN_SRC_REPORTED && pt->statistic) {
        push_key(v, "statistic");
        return fail(v, "a reported target has no statistic");
    }
    if (pt->source == PLAN_SRC_MONITORING && pt->cmp == PLAN_CMP_DONE) {
        push_key(v, "comparator");
        return fail(v, "a monitoring target needs a numeric comparator, not \"done\"");
    }
    json_t *b = json_object_get(t, "baseline");
    if (b) {
        o = push_key(v, "baseline");
        static const char *const b_allowed[] = {"value", "year", NULL};
        bool has_val;
        if (want_object(v, b) || check_members(v, b, b_allowed) ||
            get_num(v, b, "value", &has_val, &pt->baseline) ||
            get_int(v, b, "year", 1949, 2200, &pt->baseline_year))
            return -1;
        if (!has_val)
            return fail(v, "missing member \"value\"");
        pt->has_baseline = true;
        pop(v, o);
    }
    pt->task = -1;
    return check_in_period(v, "deadline", pt->deadline_day);
}

static int load_refs(vctx *v, const json_t *obj, const char *key, bool units, plan_refs *out)
{
    json_t *arr = json_object_get(obj, key);
    out->idx = NULL;
    out->n = 0;
    if (!arr)
        return 0;
    size_t o = push_key(v, key);
    if (want_array(v, arr, false))
        return -1;
    size_t n = json_array_size(arr);
    int *idx = arena_alloc(&v->p->mem, (n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(arr, i);
        size_t o2 = push_idx(v, i);
        if (!json_is_string(r))
            return fail(v, "expected a %s id, got %s", units ? "unit" : "target", type_name(r));
        const char *id = json_string_value(r);
        idx[i] = units ? unit_index(v->p, v->p->n_units, id) : target_index(v->p, id);
        if (idx[i] < 0)
            return fail(v, "unknown %s \"%s\"", units ? "unit" : "target", id);
        for (size_t j = 0; j < i; j++)
            if (idx[j] == idx[i])
                return fail(v, "\"%s\" is listed twice", id);
        pop(v, o2);
    }
    pop(v, o);
    out->idx = idx;
    out->n = n;
    return 0;
}

static int load_task(vctx *v, const json_t *t, plan_task *pt)
{
    static const char *const allowed[] = {
        "id",      "no",       "title",           "text", "lead",   "responsible", "cooperating",
        "targets", "deadline", "deadline_stated", "note", "action", NULL};
    if (want_object(v, t) || check_members(v, t, allowed) || get_id(v, t, &pt->id) ||
        get_int(v, t, "no", 1, 10000, &pt->no) || get_str(v, t, "title", true, &pt->title) ||
        get_str(v, t, "text", false, &pt->text) || get_str(v, t, "note", false, &pt->note) ||
        load_refs(v, t, "lead", true, &pt->lead) ||
        load_refs(v, t, "responsible", true, &pt->responsible) ||
        load_refs(v, t, "cooperating", true, &pt->cooperating) ||
        load_refs(v, t, "targets", false, &pt->targets) ||
        get_date(v, t, "deadline", false, &pt->deadline_day))
        return -1;
    if (!pt->text)
        pt->text = "";
    /* Somebody must answer for every task: the plan names a 牵头单位 or a 责任单位. */
    if (pt->lead.n == 0 && pt->responsible.n == 0)
        return fail(v, "a task needs at least one \"lead\" or \"responsible\" unit");
    json_t *ds = json_object_get(t, "deadline_stated");
    if (ds && !json_is_boolean(ds)) {
        push_key(v, "deadline_stated");
        return fail(v, "expected a boolean, got %s", type_name(ds));
    }
    if (pt->deadline_day < 0) {
        /* No date in the text: the task runs to the end of the plan. */
        pt->deadline_day = v->p->end_day;
        pt->deadline_stated = false;
    } else {
        pt->deadline_stated = ds ? json_is_true(ds) : true;
    }
    return check_in_period(v, "deadline", pt->deadline_day);
}

static int load_actions(vctx *v, const json_t *arr)
{
    plan *p = v->p;
    if (want_array(v, arr, true))
        return -1;
    p->n_actions = json_array_size(arr);
    p->actions = arena_alloc(&p->mem, p->n_actions * sizeof *p->actions);
    size_t ntasks = 0;
    for (size_t i = 0; i < p->n_actions; i++) {
        json_t *tasks = json_object_get(json_array_get(arr, i), "tasks");
        if (json_is_array(tasks))
            ntasks += json_array_size(tasks);
    }
    p->tasks = arena_alloc(&p->mem, (ntasks ? ntasks : 1) * sizeof *p->tasks);
    p->n_tasks = 0;
    static const char *const allowed[] = {"id", "no", "name", "tasks", NULL};
    for (size_t i = 0; i < p->n_actions; i++) {
        const json_t *a = json_array_get(arr, i);
        plan_action *pa = &p->actions[i];
        size_t o = push_idx(v, i);
        if (want_object(v, a) || check_members(v, a, allowed) || get_id(v, a, &pa->id) ||
            get_int(v, a, "no", 1, 10000, &pa->no) || get_str(v, a, "name", true, &pa->name))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(p->actions[j].id, pa->id)) {
                push_key(v, "id");
                return fail(v, "duplicate action id \"%s\"", pa->id);
            }
        json_t *tasks = json_object_get(a, "tasks");
        if (!tasks)
            return fail(v, "missing member \"tasks\"");
        size_t o2 = push_key(v, "tasks");
        if (want_array(v, tasks, true))
            return -1;
        pa->first_task = p->n_tasks;
        pa->n_tasks = json_array_size(tasks);
        for (size_t k = 0; k < pa->n_tasks; k++) {
            plan_task *pt = &p->tasks[p->n_tasks];
            memset(pt, 0, sizeof *pt);
            size_t o3 = push_idx(v, k);
            if (load_task(v, json_array_get(tasks, k), pt))
                return -1;
            for (size_t j = 0; j < p->n_tasks; j++)
                if (!strcmp(p->tasks[j].id, pt->id)) {
                    push_key(v, "id");
                    return fail(v, "duplicate task id \"%s\"", pt->id);
                }
            pt->action = (int)i;
            /* "action" is computed; plan_to_json writes it, so accept it when it agrees. */
            json_t *act = json_object_get(json_array_get(tasks, k), "action");
            if (act && !(json_is_string(act) && !strcmp(json_string_value(act), pa->id))) {
                push_key(v, "action");
                return fail(v, "does not name the enclosing action \"%s\"", pa->id);
            }
            for (size_t r = 0; r < pt->targets.n; r++) {
                plan_target *tg = &p->targets[pt->targets.idx[r]];
                if (tg->task >= 0) {
                    push_key(v, "targets");
                    push_idx(v, r);
                    return fail(v, "target \"%s\" already belongs to task \"%s\"", tg->id,
                                p->tasks[tg->task].id);
                }
                tg->task = (int)p->n_tasks;
            }
            p->n_tasks++;
            pop(v, o3);
        }
        pop(v, o2);
        pop(v, o);
    }
    return 0;
}

static int load_root(vctx *v, const json_t *root)
{
    plan *p = v->p;
    static const char *const allowed[] = {"format",    "id",      "title",  "issuer",
                                          "published", "basis",   "period", "units",
                                          "targets",   "actions", NULL};
    const char *format;
    if (want_object(v, root) || check_members(v, root, allowed) ||
        get_str(v, root, "format", true, &format))
        return -1;
    if (strcmp(format, PLAN_FORMAT)) {
        push_key(v, "format");
        return fail(v, "\"%s\" is not a supported format (expected \"%s\")", format, PLAN_FORMAT);
    }
    if (get_id(v, root, &p->id) || get_str(v, root, "title", true, &p->title) ||
        get_str(v, root, "issuer", false, &p->issuer) ||
        get_str(v, root, "basis", false, &p->basis) ||
        get_date(v, root, "published", false, &p->published_day))
        return -1;
    json_t *period = json_object_get(root, "period");
    if (!period)
        return fail(v, "missing member \"period\"");
    size_t o = push_key(v, "period");
    static const char *const p_allowed[] = {"start", "end", NULL};
    if (want_object(v, period) || check_members(v, period, p_allowed) ||
        get_date(v, period, "start", true, &p->start_day) ||
        get_date(v, period, "end", true, &p->end_day))
        return -1;
    if (p->end_day < p->start_day) {
        push_key(v, "end");
        return fail(v, "the period ends before it starts");
    }
    pop(v, o);

    static const char *const sections[] = {"units", "targets", "actions"};
    for (size_t s = 0; s < 3; s++)
        if (!json_object_get(root, sections[s]))
            return fail(v, "missing member \"%s\"", sections[s]);
    o = push_key(v, "units");
    if (load_units(v, json_object_get(root, "units")))
        return -1;
    pop(v, o);

    o = push_key(v, "targets");
    const json_t *targets = json_object_get(root, "targets");
    if (want_array(v, targets, false))
        return -1;
    p->n_targets = json_array_size(targets);
    p->targets = arena_alloc(&p->mem, (p->n_targets ? p->n_targets : 1) * sizeof *p->targets);
    memset(p->targets, 0, (p->n_targets ? p->n_targets : 1) * sizeof *p->targets);
    for (size_t i = 0; i < p->n_targets; i++) {
        size_t o2 = push_idx(v, i);
        /* Count only the targets loaded so far when checking for duplicates. */
        size_t n = p->n_targets;
        p->n_targets = i;
        int dup = -1;
        int rc = load_target(v, json_array_get(targets, i), &p->targets[i]);
        if (rc == 0)
            dup = target_index(p, p->targets[i].id);
        p->n_targets = n;
        if (rc)
            return -1;
        if (dup >= 0) {
            push_key(v, "id");
            return fail(v, "duplicate target id \"%s\"", p->targets[i].id);
        }
        pop(v, o2);
    }
    pop(v, o);

    o = push_key(v, "actions");
    if (load_actions(v, json_object_get(root, "actions")))
        return -1;
    pop(v, o);

    /* A target's "task" is computed from the tasks' lists; plan_to_json writes it, so a
     * file may carry it, but only if it agrees. */
    for (size_t i = 0; i < p->n_targets; i++) {
        json_t *tj = json_object_get(json_array_get(targets, i), "task");
        if (!tj)
            continue;
        const char *want = p->targets[i].task >= 0 ? p->tasks[p->targets[i].task].id : NULL;
        bool agree =
            want ? json_is_string(tj) && !strcmp(json_string_value(tj), want) : json_is_null(tj);
        if (!agree) {
            push_key(v, "targets");
            push_idx(v, i);
            push_key(v, "task");
            return fail(v, want ? "the target is listed by task \"%s\"" : "%s",
                        want ? want : "no task lists this target; use null");
        }
    }
    return 0;
}

plan *plan_load_json(const json_t *root, plan_error *err)
{
    plan *p = xcalloc(1, sizeof *p);
    arena_init(&p->mem, 0);
    vctx v = {.p = p};
    ew_jv_init(&v.jv, &p->mem);
    memset(err, 0, sizeof *err);
    if (load_root(&v, root)) {
        snprintf(err->path, sizeof err->path, "%s", v.jv.fault_path);
        snprintf(err->msg, sizeof err->msg, "%s", v.jv.msg);
        plan_free(p);
        return NULL;
    }
    return p;
}

plan *plan_load_string(const char *json, size_t n, plan_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        memset(err, 0, sizeof *err);
        err->line = je.line;
        err->column = je.column;
        snprintf(err->msg, sizeof err->msg, "%s", je.text);
        return NULL;
    }
    plan *p = plan_load_json(root, err);
    json_decref(root);
    return p;
}

plan *plan_load_file(const char *path, plan_error *err)
{
    json_error_t je;
    memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!root) {
        err->line = je.line;
        err->column = je.column;
        snprintf(err->msg, sizeof err->msg, "%s", je.text);
        return NULL;
    }
    plan *p = plan_load_json(root, err);
    json_decref(root);
    return p;
}

void plan_free(plan *p)
{
    if (!p)
        return;
    arena_free(&p->mem);
    free(p);
}

char *plan_error_format(const plan_error *err, char *buf, size_t cap)
{
    if (err->line > 0)
        snprintf(buf, cap, "line %d, column %d: %s", err->line, err->column, err->msg);
    else if (err->path[0])
        snprintf(buf, cap, "%s: %s", err->path, err->msg);
    else
        snprintf(buf, cap, "%s", err->msg);
    return buf;
}

const plan_unit *plan_unit_by_id(const plan *p, const char *id)
{
    int i = unit_index(p, p->n_units, id);
    return i < 0 ? NULL : &p->units[i];
}

const plan_target *plan_target_by_id(const plan *p, const char *id)
{
    int i = target_index(p, id);
    return i < 0 ? NULL : &p->targets[i];
}

const plan_task *plan_task_by_id(const plan *p, const char *id)
{
    for (size_t i = 0; i < p->n_tasks; i++)
        if (!strcmp(p->tasks[i].id, id))
            return &p->tasks[i];
    return NULL;
}

static bool refs_have(plan_refs r, int u)
{
    for (size_t i = 0; i < r.n; i++)
        if (r.idx[i] == u)
            return true;
    return false;
}

bool plan_task_involves(const plan_task *t, int u)
{
    return refs_have(t->lead, u) || refs_have(t->responsible, u) || refs_have(t->cooperating, u);
}

const char *plan_cmp_name(plan_cmp c)
{
    return (unsigned)c < sizeof cmp_names / sizeof cmp_names[0] ? cmp_names[c] : "?";
}

const char *plan_source_name(plan_source s)
{
    return s == PLAN_SRC_MONITORING ? "monitoring" : "reported";
}

const char *plan_unit_kind_name(plan_unit_kind k)
{
    return (unsigned)k < sizeof unit_kinds / sizeof unit_kinds[0] ? unit_kinds[k] : "?";
}

int64_t plan_day_end_utc(int64_t day)
{
    return ew_bj_day_start(day + 1);
}

static json_t *date_json(int64_t day)
{
    char b[16];
    ew_format_day(day, b, sizeof b);
    return json_string(b);
}

static void set_str(json_t *o, const char *k, const char *s)
{
    if (s)
        json_object_set_new(o, k, json_string(s));
}

static json_t *units_json(const plan *p, plan_refs r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r.n; i++)
        json_array_append_new(a, json_string(p->units[r.idx[i]].id));
    return a;
}

json_t *plan_to_json(const plan *p)
{
    json_t *root = json_object();
    set_str(root, "format", PLAN_FORMAT);
    set_str(root, "id", p->id);
    set_str(root, "title", p->title);
    set_str(root, "issuer", p->issuer);
    if (p->published_day >= 0)
        json_object_set_new(root, "published", date_json(p->published_day));
    set_str(root, "basis", p->basis);
    json_object_set_new(
        root, "period",
        json_pack("{s:o,s:o}", "start", date_json(p->start_day), "end", date_json(p->end_day)));
    json_t *units = json_array();
    for (size_t i = 0; i < p->n_units; i++) {
        const plan_unit *u = &p->units[i];
        json_t *o = json_pack("{s:s,s:s,s:s}", "id", u->id, "name", u->name, "kind",
                              plan_unit_kind_name(u->kind));
        set_str(o, "name_en", u->name_en);
        if (u->parent >= 0)
            set_str(o, "parent", p->units[u->parent].id);
        json_array_append_new(units, o);
    }
    json_object_set_new(root, "units", units);
    json_t *targets = json_array();
    for (size_t i = 0; i < p->n_targets; i++) {
        const plan_target *t = &p->targets[i];
        json_t *o = json_pack("{s:s,s:{s:s,s:s},s:s,s:s,s:s}", "id", t->id, "name", "zh",
                              t->name_zh, "en", t->name_en, "text", t->text, "unit", t->unit,
                              "comparator", plan_cmp_name(t->cmp));
        if (t->cmp != PLAN_CMP_DONE)
            json_object_set_new(o, "target", json_real(t->target));
        if (t->has_baseline) {
            json_t *b = json_pack("{s:f}", "value", t->baseline);
            if (t->baseline_year)
                json_object_set_new(b, "year", json_integer(t->baseline_year));
            json_object_set_new(o, "baseline", b);
        }
        json_object_set_new(o, "deadline", date_json(t->deadline_day));
        if (t->year)
            json_object_set_new(o, "year", json_integer(t->year));
        set_str(o, "source", plan_source_name(t->source));
        set_str(o, "statistic", t->statistic);
        set_str(o, "site", t->site);
        set_str(o, "scope", t->scope);
        set_str(o, "note", t->note);
        json_object_set_new(o, "task",
                            t->task >= 0 ? json_string(p->tasks[t->task].id) : json_null());
        json_array_append_new(targets, o);
    }
    json_object_set_new(root, "targets", targets);
    json_t *actions = json_array();
    for (size_t i = 0; i < p->n_actions; i++) {
        const plan_action *a = &p->actions[i];
        json_t *tasks = json_array();
        for (size_t k = 0; k < a->n_tasks; k++) {
            const plan_task *t = &p->tasks[a->first_task + k];
            json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:s}", "id", t->id, "no", t->no, "title",
                                  t->title, "text", t->text, "action", a->id);
            json_object_set_new(o, "lead", units_json(p, t->lead));
            json_object_set_new(o, "responsible", units_json(p, t->responsible));
            json_object_set_new(o, "cooperating", units_json(p, t->cooperating));
            json_t *tg = json_array();
            for (size_t r = 0; r < t->targets.n; r++)
                json_array_append_new(tg, json_string(p->targets[t->targets.idx[r]].id));
            json_object_set_new(o, "targets", tg);
            json_object_set_new(o, "deadline", date_json(t->deadline_day));
            json_object_set_new(o, "deadline_stated", json_boolean(t->deadline_stated));
            set_str(o, "note", t->note);
            json_array_append_new(tasks, o);
        }
        json_array_append_new(actions, json_pack("{s:s,s:i,s:s,s:o}", "id", a->id, "no", a->no,
                                                 "name", a->name, "tasks", tasks));
    }
    json_object_set_new(root, "actions", actions);
    return root;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int plan_find_default(const char *data_dir, const char *exe_dir, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    if (data_dir && *data_dir) {
        snprintf(buf, cap, "%s/plan/%s", data_dir, PLAN_DEFAULT_FILE);
        if (is_file(buf))
            return 0;
    }
    if (exe_dir && *exe_dir) {
        snprintf(buf, cap, "%s/../data/plan/%s", exe_dir, PLAN_DEFAULT_FILE);
        if (is_file(buf))
            return 0;
        snprintf(buf, cap, "%s/../share/envwatch/plan/%s", exe_dir, PLAN_DEFAULT_FILE);
        if (is_file(buf))
            return 0;
    }
    snprintf(buf, cap, "data/plan/%s", PLAN_DEFAULT_FILE);
    return is_file(buf) ? 0 : -1;
}

int plan_default_path(char *buf, size_t cap)
{
    char exe[1024];
    return plan_find_default(getenv("ENVWATCH_DATA_DIR"), ew_exe_dir(exe, sizeof exe) ? NULL : exe,
                             buf, cap);
}
