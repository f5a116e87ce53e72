/* http_ledger: the plan routes — the plan, its ledger (service/ledgerbook), reports on tasks
 * and targets, the ledger's history, the units' scores (service/scores) and the worklist
 * (service/worklist). */
#include "net/http_office_util.h"

/* Seconds the monitoring targets behind the ledger are reused (as /targets is cached). */
#define TARGETS_MEMO_S 60

/* ---- plan and ledger ---------------------------------------------------------------- */

static int h_plan(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    return http_json(out, 200, plan_to_json(r->plan));
}

static json_t *unit_ids(const plan *p, plan_refs refs)
{
    json_t *a = json_array();
    for (size_t i = 0; i < refs.n; i++)
        json_array_append_new(a, json_string(p->units[refs.idx[i]].id));
    return a;
}

/* Everything /ledger shows, computed once per request. */
typedef struct ledger_view {
    ledger_task_state *states;
    ledger_status *task_status;
    bool *has;
    double *value, *projected;
    bool *has_projected;
    ledger_status *target_status;
    const char **reported_by;
    int64_t *reported_at;
} ledger_view;

typedef struct {
    http_req *r;
    ledger_view *v;
} tv_ctx;

static int target_value_cb(void *ctx, const office_target_value *tv)
{
    tv_ctx *c = ctx;
    const plan *p = c->r->plan;
    for (size_t i = 0; i < p->n_targets; i++)
        if (!strcmp(p->targets[i].id, tv->target_id)) {
            c->v->reported_by[i] = http_strdup(&c->r->ar, tv->unit ? tv->unit : "");
            c->v->reported_at[i] = tv->reported_utc;
        }
    return 0;
}

static int ledger_compute(http_req *r, ledger_view *v, char *err, size_t cap)
{
    const plan *p = r->plan;
    arena *ar = &r->ar;
    size_t nt = p->n_tasks, ng = p->n_targets;
    v->states = arena_alloc(ar, (nt + 1) * sizeof *v->states);
    v->task_status = arena_alloc(ar, (nt + 1) * sizeof *v->task_status);
    v->has = arena_alloc(ar, (ng + 1) * sizeof *v->has);
    v->value = arena_alloc(ar, (ng + 1) * sizeof *v->value);
    v->projected = arena_alloc(ar, (ng + 1) * sizeof *v->projected);
    v->has_projected = arena_alloc(ar, (ng + 1) * sizeof *v->has_projected);
    v->target_status = arena_alloc(ar, (ng + 1) * sizeof *v->target_status);
    v->reported_by = arena_alloc(ar, (ng + 1) * sizeof *v->reported_by);
    v->reported_at = arena_alloc(ar, (ng + 1) * sizeof *v->reported_at);
    memset(v->states, 0, (nt + 1) * sizeof *v->states);
    memset(v->has_projected, 0, (ng + 1) * sizeof *v->has_projected);
    memset(v->reported_by, 0, (ng + 1) * sizeof *v->reported_by);
    memset(v->reported_at, 0, (ng + 1) * sizeof *v->reported_at);
    if (ledgerbook_task_states(r->office, p, v->states, err, cap) ||
        ledgerbook_target_values(r->office, p, v->has, v->value, err, cap))
        return -1;
    tv_ctx tc = {r, v};
    if (office_target_values_each(r->office, p->id, target_value_cb, &tc, err, cap) < 0)
        return -1;
    /* Monitoring targets: the same computation as /targets, for the year the ledger judges
     * (the year of now; the plan's last year once its period is over), memoised
     * for as long as /targets answers from its cache (the data change hourly; computing
     * them reads a year of hourly values). It reads the monitoring data through r->db and
     * never the office store, so the office lock (held by every route that gets here) is
     * released meanwhile: a year of air_load must not stall every case action. */
    int year = ledger_plan_year(p, r->now_utc);
    const char *pinned = getenv("ENVWATCH_NOW");
    char key[160];
    snprintf(key, sizeof key, "targets|%s|%d|%s", p->id, year, pinned ? pinned : "");
    double *memo = arena_alloc(ar, (4 * ng + 1) * sizeof *memo);
    if (!http_memo_get(r, key, memo, 4 * ng)) {
        json_t *rows = NULL, *meta = NULL;
        http_office_unlock(r);
        int trc = http_targets_rows(r, p, year, 0 /* AIRQ_ED_AUTO */, &rows, &meta, err, cap);
        http_office_lock(r);
        if (trc)
            return -1;
        for (size_t i = 0; i < ng; i++) {
            json_t *row = json_array_get(rows, i);
            json_t *val = json_object_get(row, "value"), *pr = json_object_get(row, "projected");
            memo[4 * i] = json_is_number(val);
            memo[4 * i + 1] = json_number_value(val);
            memo[4 * i + 2] = json_is_number(pr);
            memo[4 * i + 3] = json_number_value(pr);
        }
        json_decref(rows);
        json_decref(meta);
        http_memo_put(r, key, memo, 4 * ng, TARGETS_MEMO_S);
    }
    for (size_t i = 0; i < ng; i++) {
        if (p->targets[i].source != PLAN_SRC_MONITORING)
            continue;
        v->has[i] = memo[4 * i] != 0;
        v->value[i] = memo[4 * i + 1];
        v->has_projected[i] = memo[4 * i + 2] != 0;
        v->projected[i] = memo[4 * i + 3];
    }
    for (size_t i = 0; i < nt; i++)
        v->task_status[i] =
            ledger_task_status(p, i, &v->states[i], r->now_utc, &ledger_policy_default);
    for (size_t i = 0; i < ng; i++)
        v->target_status[i] =
            ledger_plan_target_status(p, i, v->has[i], v->value[i], v->has_projected[i],
                                      v->projected[i], r->now_utc, &ledger_policy_default);
    return 0;
}

static json_t *task_row(http_req *r, const ledger_view *v, size_t i)
{
    const plan *p = r->plan;
    const plan_task *t = &p->tasks[i];
    json_t *targets = json_array();
    for (size_t k = 0; k < t->targets.n; k++)
        json_array_append_new(targets, json_string(p->targets[t->targets.idx[k]].id));
    const ledger_status *st = &v->task_status[i];
    return json_pack("{s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:i,s:b,s:o,s:s,s:i,s:b,s:s,s:o}", "id", t->id,
                     "no", t->no, "title", t->title, "lead", unit_ids(p, t->lead), "responsible",
                     unit_ids(p, t->responsible), "cooperating", unit_ids(p, t->cooperating),
                     "deadline", day_json(t->deadline_day), "progress", v->states[i].progress_pct,
                     "done", v->states[i].done, "done_at", iso_or_null(v->states[i].done_utc),
                     "rag", ledger_rag_name(st->rag), "days_left", st->days_left, "closed",
                     st->closed, "why", st->why ? st->why : "", "targets", targets);
}

static json_t *target_row(http_req *r, const ledger_view *v, size_t i)
{
    const plan *p = r->plan;
    const plan_target *t = &p->targets[i];
    const ledger_status *st = &v->target_status[i];
    return json_pack("{s:s,s:s,s:o,s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:s,s:i,s:b,s:s,s:o,s:o,s:o,s:o}",
                     "id", t->id, "name", t->name_zh, "name_en", str_or_null(t->name_en), "unit",
                     t->unit ? t->unit : "", "comparator", plan_cmp_name(t->cmp), "target",
                     t->cmp == PLAN_CMP_DONE ? json_null() : json_real(t->target), "source",
                     plan_source_name(t->source), "statistic", str_or_null(t->statistic), "value",
                     v->has[i] ? json_real(v->value[i]) : json_null(), "projected",
                     v->has_projected[i] ? json_real(v->projected[i]) : json_null(), "rag",
                     ledger_rag_name(st->rag), "days_left", st->days_left, "closed", st->closed,
                     "why", st->why ? st->why : "", "deadline", day_json(t->deadline_day),
                     "reported_by", str_or_null(v->reported_by[i]), "reported_at",
                     iso_or_null(v->reported_at[i]), "task",
                     t->task >= 0 ? json_string(p->tasks[t->task].id) : json_null());
}

/* The ledger of r's plan into v: 0, or -1 after answering 500 (no plan, storage failed). */
static int ledger_of(http_req *r, http_resp *out, ledger_view *v)
{
    char err[256];
    if (need_plan(r, out))
        return out->status;
    if (ledger_compute(r, v, err, sizeof err))
        return store_err(out, err);
    return 0;
}

/* Answer 200 with one row of the ledger as it is now (after a report changed it). */
static int answer_ledger_row(http_req *r, http_resp *out,
                             json_t *(*row)(http_req *, const ledger_view *, size_t), size_t i)
{
    ledger_view v;
    if (ledger_of(r, out, &v))
        return out->status;
    return http_json(out, 200, json_pack("{s:o}", "data", row(r, &v, i)));
}

static int h_ledger(http_req *r, http_resp *out)
{
    ledger_view v;
    if (ledger_of(r, out, &v))
        return out->status;
    const plan *p = r->plan;
    int tot[3] = {0, 0, 0};
    json_t *actions = json_array();
    for (size_t a = 0; a < p->n_actions; a++) {
        const plan_action *ac = &p->actions[a];
        int cnt[3] = {0, 0, 0};
        json_t *tasks = json_array();
        for (size_t k = 0; k < ac->n_tasks; k++) {
            size_t i = ac->first_task + k;
            cnt[v.task_status[i].rag]++;
            json_array_append_new(tasks, task_row(r, &v, i));
        }
        for (int k = 0; k < 3; k++)
            tot[k] += cnt[k];
        json_array_append_new(actions, json_pack("{s:s,s:i,s:s,s:i,s:i,s:i,s:o}", "id", ac->id,
                                                 "no", ac->no, "name", ac->name, "green", cnt[0],
                                                 "yellow", cnt[1], "red", cnt[2], "tasks", tasks));
    }
    json_t *targets = json_array();
    for (size_t i = 0; i < p->n_targets; i++)
        json_array_append_new(targets, target_row(r, &v, i));
    json_t *units = json_array();
    for (size_t i = 0; i < p->n_units; i++)
        json_array_append_new(units, json_pack("{s:s,s:s,s:s}", "id", p->units[i].id, "name",
                                               p->units[i].name, "kind",
                                               plan_unit_kind_name(p->units[i].kind)));
    return http_json(out, 200,
                     json_pack("{s:{s:s,s:s,s:o,s:o,s:b,s:i},s:o,s:{s:i,s:i,s:i},s:o,s:o,s:o}",
                               "plan", "id", p->id, "title", p->title, "start",
                               day_json(p->start_day), "end", day_json(p->end_day), "over",
                               ledger_plan_over(p, r->now_utc), "year",
                               ledger_plan_year(p, r->now_utc), "now", iso(r->now_utc), "summary",
                               "green", tot[0], "yellow", tot[1], "red", tot[2], "actions", actions,
                               "targets", targets, "units", units));
}

static int h_ledger_warnings(http_req *r, http_resp *out)
{
    ledger_view v;
    if (ledger_of(r, out, &v))
        return out->status;
    const plan *p = r->plan;
    ledger_warning *w = arena_alloc(&r->ar, (p->n_tasks + 1) * sizeof *w);
    size_t n = ledger_warnings(p, v.states, r->now_utc, &ledger_policy_default, w, p->n_tasks);
    json_t *rows = json_array();
    for (size_t k = 0; k < n && k < p->n_tasks; k++) {
        const plan_task *t = &p->tasks[w[k].task];
        http_buf lead = {0};
        for (size_t i = 0; i < t->lead.n; i++) {
            if (i)
                http_buf_puts(&lead, "、");
            http_buf_puts(&lead, p->units[t->lead.idx[i]].name);
        }
        json_array_append_new(
            rows, json_pack("{s:s,s:i,s:s,s:s,s:i,s:s,s:s}", "task", t->id, "no", t->no, "title",
                            t->title, "rag", ledger_rag_name(w[k].status.rag), "days_left",
                            w[k].status.days_left, "why", w[k].status.why ? w[k].status.why : "",
                            "lead", lead.p ? lead.p : ""));
        free(lead.p);
    }
    return http_table(r, out, rows, NULL, "ledger-warnings");
}

static int ledger_refused(http_resp *out, int rc, const char *msg)
{
    if (rc == LEDGERBOOK_E_DENIED)
        return http_error(out, 403, "refused", "%s", msg);
    if (rc == LEDGERBOOK_E_REFUSED)
        return http_error(out, 422, "refused", "%s", msg);
    return store_err(out, msg);
}

static int h_task_report(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    const plan *p = r->plan;
    const plan_task *t = plan_task_by_id(p, r->params[0]);
    if (!t)
        return http_error(out, 404, "not_found", "no task %s", r->params[0]);
    size_t ti = (size_t)(t - p->tasks);
    /* Refused before the body is read (ledger_may_report: the one rule). */
    char why[96], msg[256];
    const char *org;
    snprintf(why, sizeof why, "is not a lead or responsible unit of task %s", t->id);
    if (ledger_may_report(p, t, &r->who, why, &org, msg, sizeof msg))
        return http_error(out, 403, "refused", "%s", msg);
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *pg = json_object_get(b, "progress");
    ledger_task_report rep = {.progress_pct = (int)json_integer_value(pg),
                              .done = json_is_true(json_object_get(b, "done")),
                              .note = jstr(b, "note")};
    const char **ev = NULL;
    int rc = 0;
    if (!json_is_integer(pg) || json_integer_value(pg) < 0 || json_integer_value(pg) > 100)
        rc = invalid(out, "progress must be a whole number from 0 to 100");
    else
        rc = body_evidence(r, out, b, &ev, &rep.n_evidence);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    rep.evidence = ev;
    rc = ledgerbook_report_task(r->office, p, ti, &rep, &r->who, r->now_utc, msg, sizeof msg);
    json_decref(b);
    if (rc)
        return ledger_refused(out, rc, msg);
    return answer_ledger_row(r, out, task_row, ti);
}

static int h_target_report(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    const plan *p = r->plan;
    const plan_target *t = plan_target_by_id(p, r->params[0]);
    if (!t)
        return http_error(out, 404, "not_found", "no target %s", r->params[0]);
    size_t gi = (size_t)(t - p->targets);
    char why[96], msg[256];
    const char *org;
    snprintf(why, sizeof why, "does not answer for target %s", t->id);
    if (ledger_may_report(p, t->task >= 0 ? &p->tasks[t->task] : NULL, &r->who, why, &org, msg,
                          sizeof msg))
        return http_error(out, 403, "refused", "%s", msg);
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *val = json_object_get(b, "value");
    const char **ev = NULL;
    size_t nev = 0;
    int rc = 0;
    if (!json_is_number(val))
        rc = invalid(out, "value must be a number");
    else
        rc = body_evidence(r, out, b, &ev, &nev);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    rc = ledgerbook_report_target(r->office, p, gi, json_number_value(val), jstr(b, "note"), ev,
                                  nev, &r->who, r->now_utc, msg, sizeof msg);
    json_decref(b);
    if (rc)
        return ledger_refused(out, rc, msg);
    return answer_ledger_row(r, out, target_row, gi);
}

static int add_change_row(void *ctx, const office_change *c)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:o,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)c->id,
                       "at", iso(c->at_utc), "actor", c->actor ? c->actor : "", "role",
                       c->role ? c->role : "", "unit", str_or_null(c->unit), "object", c->object,
                       "object_id", c->object_id, "field", c->field, "old_value",
                       str_or_null(c->old_value), "new_value", str_or_null(c->new_value), "note",
                       str_or_null(c->note), "evidence", keys_json(c->evidence, c->n_evidence)));
    return 0;
}

static int h_ledger_history(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    office_change_filter f = {
        .plan_id = r->plan->id, .object_id = http_arg(r, "object_id"), .unit = http_arg(r, "unit")};
    if (http_time_arg(r, out, "from", 0, &f.from_utc) ||
        http_time_arg(r, out, "to", f.from_utc ? r->now_utc + 1 : 0, &f.to_utc))
        return out->status;
    if (!f.from_utc && f.to_utc)
        f.from_utc = 1;
    if (http_page_args(r, out, &f.limit, &f.offset))
        return out->status;
    json_t *rows = json_array();
    char err[256];
    int64_t total = 0;
    if (office_changes_each(r->office, &f, &total, add_change_row, rows, err, sizeof err) < 0) {
        json_decref(rows);
        return store_err(out, err);
    }
    return http_table_page(r, out, rows, total, f.limit, f.offset, NULL, "ledger-history");
}

static int h_scores(http_req *r, http_resp *out)
{
    if (need_plan(r, out))
        return out->status;
    const plan *p = r->plan;
    /* Default: the year so far; once the plan's period is over, its last year. */
    ew_civil jan1 = {.year = ledger_plan_year(p, r->now_utc), .mon = 1, .day = 1};
    int64_t from, to;
    if (http_time_arg(r, out, "from", ew_bj_to_utc(&jan1), &from) ||
        http_time_arg(r, out, "to", ledger_as_of(p, r->now_utc), &to))
        return out->status;
    if (from >= to)
        return http_error(out, 400, "bad_parameter", "from must be before to");
    const char *only = http_arg(r, "unit");
    ledger_view v;
    char err[256];
    if (ledger_compute(r, &v, err, sizeof err))
        return store_err(out, err);
    scores_result sr;
    if (scores_compute(r->office, p, v.states, v.target_status, from, to, only, &sr, err,
                       sizeof err)) {
        scores_free(&sr);
        return store_err(out, err);
    }
    json_t *data = json_array();
    for (size_t k = 0; k < sr.n; k++) {
        const ledger_score *sc = &sr.units[k];
        json_t *hits = json_array();
        for (size_t h = 0; h < sc->n_hits; h++) {
            const ledger_hit *hk = &sc->hits[h];
            json_t *hj = json_pack("{s:s,s:s,s:s,s:s,s:i}", "rule", hk->rule->id, "text",
                                   hk->rule->text, "object_kind", hk->rule->object, "object",
                                   hk->object, "points", hk->points);
            /* The case behind a tracking code, for callers who may open it. */
            int64_t cid =
                strcmp(hk->rule->object, "case") ? 0 : scores_case_id(&sr, hk->object, &r->who);
            if (cid)
                json_object_set_new(hj, "case_id", json_integer(cid));
            json_array_append_new(hits, hj);
        }
        const plan_unit *pu = &p->units[sc->unit];
        json_array_append_new(data,
                              json_pack("{s:s,s:s,s:i,s:i,s:o}", "unit", pu->id, "name", pu->name,
                                        "base", sc->base, "total", sc->total, "hits", hits));
    }
    scores_free(&sr);
    json_t *rules = json_array();
    for (size_t i = 0; i < ledger_n_rules; i++)
        json_array_append_new(rules,
                              json_pack("{s:s,s:s,s:i,s:s}", "id", ledger_rules[i].id, "text",
                                        ledger_rules[i].text, "points", ledger_rules[i].points,
                                        "object", ledger_rules[i].object));
    if (r->csv) {
        /* One row per rule application (a unit without any: one row with empty rule). */
        json_t *rows = json_array();
        size_t iu;
        json_t *u;
        json_array_foreach(data, iu, u)
        {
            json_t *hits = json_object_get(u, "hits");
            size_t nh = json_array_size(hits);
            for (size_t k = 0; k < (nh ? nh : 1); k++) {
                json_t *hk = json_array_get(hits, k);
                json_array_append_new(
                    rows,
                    json_pack(
                        "{s:O,s:O,s:O,s:O,s:s,s:s,s:s,s:s,s:O?}", "unit",
                        json_object_get(u, "unit"), "name", json_object_get(u, "name"), "base",
                        json_object_get(u, "base"), "total", json_object_get(u, "total"), "rule",
                        hk ? json_string_value(json_object_get(hk, "rule")) : "", "text",
                        hk ? json_string_value(json_object_get(hk, "text")) : "", "object_kind",
                        hk ? json_string_value(json_object_get(hk, "object_kind")) : "", "object",
                        hk ? json_string_value(json_object_get(hk, "object")) : "", "points",
                        hk ? json_object_get(hk, "points") : NULL));
            }
        }
        json_decref(data);
        json_decref(rules);
        return http_table(r, out, rows, NULL, "scores");
    }
    return http_json(out, 200,
                     json_pack("{s:o,s:o,s:o,s:o}", "from", iso(from), "to", iso(to), "rules",
                               rules, "data", data));
}

/* ---- worklist ----------------------------------------------------------------------- */

static int add_work_case(void *ctx, const office_case *c, bool reward_pending)
{
    rows_ctx *rc = ctx;
    json_t *row = case_row(rc->r, c);
    if (reward_pending)
        json_object_set_new(row, "reward_pending", json_true());
    json_array_append_new(rc->rows, row);
    return 0;
}

/* GET /worklist: service/worklist chooses, this renders. */
static int h_worklist(http_req *r, http_resp *out)
{
    rows_ctx c = {r, json_array()};
    char err[256];
    if (worklist_cases(r->office, &r->who, r->now_utc, add_work_case, &c, err, sizeof err) < 0) {
        json_decref(c.rows);
        return store_err(out, err);
    }
    json_t *tasks = json_array(), *targets = json_array();
    if (r->plan && r->who.org) {
        const plan *p = r->plan;
        ledger_view v;
        if (ledger_compute(r, &v, err, sizeof err)) {
            json_decref(c.rows);
            json_decref(tasks);
            json_decref(targets);
            return store_err(out, err);
        }
        size_t *idx = arena_alloc(&r->ar, (p->n_tasks + p->n_targets + 1) * sizeof *idx);
        size_t n = worklist_tasks(p, v.states, v.task_status, &r->who, idx);
        for (size_t k = 0; k < n; k++)
            json_array_append_new(tasks, task_row(r, &v, idx[k]));
        n = worklist_targets(p, &r->who, idx);
        for (size_t k = 0; k < n; k++)
            json_array_append_new(targets, target_row(r, &v, idx[k]));
    }
    return http_json(out, 200,
                     json_pack("{s:o,s:o,s:o,s:o}", "user", me_json(r), "cases", c.rows, "tasks",
                               tasks, "targets", targets));
}

/* ---- the route table ---------------------------------------------------------------- */

const http_route http_ledger_routes[] = {
    {"GET", "/api/v1/plan", h_plan, 0, HTTP_ANYONE, 0},
    {"GET", "/api/v1/ledger", h_ledger, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"GET", "/api/v1/ledger/warnings", h_ledger_warnings, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"POST", "/api/v1/ledger/tasks/{id}/reports", h_task_report, 0, AUTH_LEDGER_REPORT,
     HTTP_LOCKED},
    {"POST", "/api/v1/ledger/targets/{id}/reports", h_target_report, 0, AUTH_LEDGER_REPORT,
     HTTP_LOCKED},
    {"GET", "/api/v1/ledger/history", h_ledger_history, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"GET", "/api/v1/scores", h_scores, 0, AUTH_LEDGER_READ, HTTP_LOCKED},
    {"GET", "/api/v1/worklist", h_worklist, 0, HTTP_LOGIN, HTTP_LOCKED},
};
const size_t http_ledger_nroutes = sizeof http_ledger_routes / sizeof http_ledger_routes[0];
