/* office_ledger_sqlite: the plan ledger of store/office.h (task states, reported target
 * values, change records with their evidence) on SQLite. */
#include "store/office_internal.h"

/* ---- the plan ledger ---------------------------------------------------------------- */

int office_task_put(store *s, const office_task *t, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TASK_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, t->plan_id);
    bind_text(st, 2, t->task_id);
    sqlite3_bind_int(st, 3, t->progress_pct);
    sqlite3_bind_int(st, 4, t->done);
    sqlite3_bind_int64(st, 5, t->done_utc);
    sqlite3_bind_int64(st, 6, t->updated_utc);
    return run(s, st, "task put", err, errcap);
}

static int task_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_task t = {
        .plan_id = col_text(st, 0),
        .task_id = col_text(st, 1),
        .progress_pct = sqlite3_column_int(st, 2),
        .done = sqlite3_column_int(st, 3) != 0,
        .done_utc = sqlite3_column_int64(st, 4),
        .updated_utc = sqlite3_column_int64(st, 5),
    };
    return ((office_task_fn)fn)(ctx, &t);
}

int office_tasks_each(store *s, const char *plan_id, office_task_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TASK_EACH, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, plan_id);
    return each(s, st, task_row, (void *)fn, ctx, "task list", err, errcap);
}

int office_target_value_put(store *s, const office_target_value *v, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TVAL_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, v->plan_id);
    bind_text(st, 2, v->target_id);
    sqlite3_bind_double(st, 3, v->value);
    bind_text(st, 4, v->unit);
    sqlite3_bind_int64(st, 5, v->reported_utc);
    return run(s, st, "target value put", err, errcap);
}

static int tval_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_target_value v = {
        .plan_id = col_text(st, 0),
        .target_id = col_text(st, 1),
        .value = sqlite3_column_double(st, 2),
        .unit = col_text(st, 3),
        .reported_utc = sqlite3_column_int64(st, 4),
    };
    return ((office_target_value_fn)fn)(ctx, &v);
}

int office_target_values_each(store *s, const char *plan_id, office_target_value_fn fn, void *ctx,
                              char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_TVAL_EACH, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, plan_id);
    return each(s, st, tval_row, (void *)fn, ctx, "target value list", err, errcap);
}

int office_change_append(store *s, const office_change *c, int64_t *id_out, char *err,
                         size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CHANGE_INSERT, err, errcap);
    if (!st)
        return -1;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    bind_text(st, 1, c->plan_id);
    sqlite3_bind_int64(st, 2, c->at_utc);
    bind_text(st, 3, c->actor);
    bind_text(st, 4, c->role);
    bind_text(st, 5, c->unit);
    bind_text(st, 6, c->object);
    bind_text(st, 7, c->object_id);
    bind_text(st, 8, c->field);
    bind_text(st, 9, c->old_value ? c->old_value : "");
    bind_text(st, 10, c->new_value ? c->new_value : "");
    bind_text(st, 11, c->note);
    bool ok = run(s, st, "change append", err, errcap) == 0;
    int64_t id = ok ? sqlite3_last_insert_rowid(store_sqlite_handle(s)) : 0;
    ok = ok && insert_keys(s, Q_CHANGE_EV_INSERT, id, -1, c->evidence, c->n_evidence,
                           "change evidence insert", err, errcap) == 0;
    if (tx_close(s, k, ok, err, errcap) < 0)
        return -1;
    if (id_out)
        *id_out = id;
    return 0;
}

static int change_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                      size_t errcap)
{
    office_change c = {
        .id = sqlite3_column_int64(st, 0),
        .plan_id = col_text(st, 1),
        .at_utc = sqlite3_column_int64(st, 2),
        .actor = col_text(st, 3),
        .role = col_text(st, 4),
        .unit = col_text(st, 5),
        .object = col_text(st, 6),
        .object_id = col_text(st, 7),
        .field = col_text(st, 8),
        .old_value = col_text(st, 9),
        .new_value = col_text(st, 10),
        .note = col_text(st, 11),
    };
    sqlite3_stmt *ev = stmt(s, Q_CHANGE_EV_GET, err, errcap);
    if (!ev)
        return -1;
    sqlite3_bind_int64(ev, 1, c.id);
    if (key_list(s, ev, mem, &c.evidence, &c.n_evidence, "change evidence", err, errcap) < 0)
        return -1;
    return ((office_change_fn)fn)(ctx, &c);
}

static void bind_change_filter(sqlite3_stmt *st, const office_change_filter *f)
{
    bind_text(st, 1, f->plan_id);
    bind_text(st, 2, f->object);
    bind_text(st, 3, f->object_id);
    bind_text(st, 4, f->unit);
    sqlite3_bind_int64(st, 5, f->from_utc);
    sqlite3_bind_int64(st, 6, f->to_utc);
}

int office_changes_each(store *s, const office_change_filter *f, int64_t *total,
                        office_change_fn fn, void *ctx, char *err, size_t errcap)
{
    if (!f || !f->plan_id)
        return errf(err, errcap, "changes: a plan id is required");
    sqlite3_stmt *st;
    if (total) {
        if (!(st = stmt(s, Q_CHANGE_COUNT, err, errcap)))
            return -1;
        bind_change_filter(st, f);
        if (count_of(s, st, total, "change count", err, errcap) < 0)
            return -1;
    }
    if (!(st = stmt(s, Q_CHANGE_EACH, err, errcap)))
        return -1;
    bind_change_filter(st, f);
    bind_page(st, 7, f->limit, f->offset);
    return each(s, st, change_row, (void *)fn, ctx, "change list", err, errcap);
}
