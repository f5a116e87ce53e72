/* office_case_sqlite: attachments, cases with their event logs, and rewards of store/office.h
 * on SQLite. */
#include "store/office_internal.h"

/* ---- attachments -------------------------------------------------------------------- */

int office_attachment_put(store *s, const void *data, size_t n, const char *mime,
                          const char *uploader, int64_t now_utc, char key_out[OFFICE_KEY_LEN + 1],
                          char *err, size_t errcap)
{
    if (!mime || !uploader || (!data && n))
        return errf(err, errcap, "attachment: mime type and uploader are required");
    if (n > (size_t)INT32_MAX)
        return errf(err, errcap, "attachment: %zu bytes is too large", n);
    if (sodium_init() < 0)
        return errf(err, errcap, "attachment: no entropy source for a key");
    /* 16 random bytes = 128 bits, as 22 characters of unpadded URL-safe base64. */
    uint8_t raw[16];
    randombytes_buf(raw, sizeof raw);
    char key[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    _Static_assert(sizeof key == OFFICE_KEY_LEN + 1, "22 characters and a NUL");
    sodium_bin2base64(key, sizeof key, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data ? data : (const void *)"", n);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);

    sqlite3_stmt *st = stmt(s, Q_ATT_PUT, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, key);
    bind_text(st, 2, mime);
    bind_text(st, 3, hex);
    sqlite3_bind_int64(st, 4, (int64_t)n);
    bind_text(st, 5, uploader);
    sqlite3_bind_int64(st, 6, now_utc);
    sqlite3_bind_blob(st, 7, data ? data : (const void *)"", (int)n, SQLITE_STATIC);
    if (run(s, st, "attachment put", err, errcap) < 0)
        return -1;
    memcpy(key_out, key, OFFICE_KEY_LEN + 1);
    return 0;
}

static int attachment_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                          size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_attachment a = {
        .key = col_text(st, 0),
        .mime = col_text(st, 1),
        .sha256_hex = col_text(st, 2),
        .data = sqlite3_column_blob(st, 3),
        .size = (size_t)sqlite3_column_bytes(st, 3),
        .uploader = col_text(st, 5),
        .created_utc = sqlite3_column_int64(st, 6),
    };
    if (!a.data)
        a.data = ""; /* an empty blob reads back as NULL */
    return ((office_attachment_fn)fn)(ctx, &a);
}

int office_attachment_get(store *s, const char *key, office_attachment_fn fn, void *ctx, char *err,
                          size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_ATT_GET, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, key);
    return one(s, st, attachment_row, (void *)fn, ctx, "attachment get", err, errcap);
}

int office_attachment_visible(store *s, const char *key, const char *unit, char *err, size_t errcap)
{
    if (!key || !unit)
        return 0;
    sqlite3_stmt *st = stmt(s, Q_ATT_VISIBLE, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, key);
    bind_text(st, 2, unit);
    int rc = sqlite3_step(st), out;
    if (rc == SQLITE_ROW)
        out = sqlite3_column_int(st, 0) != 0;
    else
        out = fail(s, "attachment visibility", err, errcap);
    done_with(st);
    return out;
}

/* ---- cases -------------------------------------------------------------------------- */

int office_case_insert(store *s, const office_case *c, int64_t *id_out, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_INSERT, err, errcap);
    if (!st)
        return -1;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    bind_text(st, 1, c->tracking);
    bind_text(st, 2, c->source);
    bind_text(st, 3, c->category);
    bind_text(st, 4, c->state);
    bind_text(st, 5, c->location);
    sqlite3_bind_double(st, 6, c->lon);
    sqlite3_bind_double(st, 7, c->lat);
    bind_text(st, 8, c->description);
    bind_text(st, 9, c->unit);
    sqlite3_bind_int64(st, 10, c->deadline_utc);
    sqlite3_bind_int(st, 11, c->supervision);
    sqlite3_bind_int64(st, 12, c->overdue_since_utc);
    sqlite3_bind_int64(st, 13, c->created_utc);
    sqlite3_bind_int64(st, 14, c->closed_utc);
    sqlite3_bind_int64(st, 15, c->reopen_count);
    bind_text(st, 16, c->created_by);
    bind_text(st, 17, c->reporter_name);
    bind_text(st, 18, c->reporter_contact);
    sqlite3_bind_int64(st, 19, c->updated_utc ? c->updated_utc : c->created_utc);
    bool ok = run(s, st, "case insert", err, errcap) == 0;
    int64_t id = ok ? sqlite3_last_insert_rowid(store_sqlite_handle(s)) : 0;
    ok = ok && insert_keys(s, Q_CASE_ATT_INSERT, id, -1, c->attachments, c->n_attachments,
                           "case attachment insert", err, errcap) == 0;
    if (tx_close(s, k, ok, err, errcap) < 0)
        return -1;
    if (id_out)
        *id_out = id;
    return 0;
}

int office_case_update(store *s, const office_case *c, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_UPDATE, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, c->state);
    bind_text(st, 3, c->unit);
    sqlite3_bind_int64(st, 4, c->deadline_utc);
    sqlite3_bind_int(st, 5, c->supervision);
    sqlite3_bind_int64(st, 6, c->overdue_since_utc);
    sqlite3_bind_int64(st, 7, c->closed_utc);
    sqlite3_bind_int64(st, 8, c->reopen_count);
    sqlite3_bind_int64(st, 9, c->updated_utc);
    if (run(s, st, "case update", err, errcap) < 0)
        return -1;
    if (sqlite3_changes(store_sqlite_handle(s)) != 1)
        return errf(err, errcap, "case update: no case %lld", (long long)c->id);
    return 0;
}

int office_event_append(store *s, const office_event *e, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_EVENT_INSERT, err, errcap);
    if (!st)
        return -1;
    tx_kind k;
    if (tx_open(s, &k, err, errcap) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, e->case_id);
    sqlite3_bind_int64(st, 2, e->seq);
    sqlite3_bind_int64(st, 3, e->at_utc);
    bind_text(st, 4, e->action);
    bind_text(st, 5, e->from_state);
    bind_text(st, 6, e->to_state);
    bind_text(st, 7, e->actor);
    bind_text(st, 8, e->role);
    bind_text(st, 9, e->reason);
    bind_text(st, 10, e->unit);
    sqlite3_bind_int64(st, 11, e->deadline_utc);
    sqlite3_bind_int(st, 12, e->level);
    bool ok = run(s, st, "event append", err, errcap) == 0;
    ok = ok && insert_keys(s, Q_EVENT_EV_INSERT, e->case_id, e->seq, e->evidence, e->n_evidence,
                           "event evidence insert", err, errcap) == 0;
    if (ok && e->finding) {
        sqlite3_stmt *f = stmt(s, Q_EVENT_FINDING_INSERT, err, errcap);
        ok = f != NULL;
        if (ok) {
            sqlite3_bind_int64(f, 1, e->case_id);
            sqlite3_bind_int64(f, 2, e->seq);
            bind_text(f, 3, e->finding);
            ok = run(s, f, "event finding insert", err, errcap) == 0;
        }
    }
    return tx_close(s, k, ok, err, errcap);
}

/* The case of the current row with its attachment list: 0, or -1 with err filled. */
static int case_from(store *s, sqlite3_stmt *st, arena *mem, office_case *out, char *err,
                     size_t errcap)
{
    office_case c = {
        .id = sqlite3_column_int64(st, 0),
        .tracking = col_text(st, 1),
        .source = col_text(st, 2),
        .category = col_text(st, 3),
        .state = col_text(st, 4),
        .location = col_text(st, 5),
        .lon = sqlite3_column_double(st, 6),
        .lat = sqlite3_column_double(st, 7),
        .description = col_text(st, 8),
        .unit = col_text(st, 9),
        .deadline_utc = sqlite3_column_int64(st, 10),
        .supervision = sqlite3_column_int(st, 11),
        .overdue_since_utc = sqlite3_column_int64(st, 12),
        .created_utc = sqlite3_column_int64(st, 13),
        .closed_utc = sqlite3_column_int64(st, 14),
        .reopen_count = (uint32_t)sqlite3_column_int64(st, 15),
        .created_by = col_text(st, 16),
        .reporter_name = col_text(st, 17),
        .reporter_contact = col_text(st, 18),
        .updated_utc = sqlite3_column_int64(st, 19),
        .n_events = (uint32_t)sqlite3_column_int64(st, 20),
    };
    sqlite3_stmt *a = stmt(s, Q_CASE_ATT_GET, err, errcap);
    if (!a)
        return -1;
    sqlite3_bind_int64(a, 1, c.id);
    if (key_list(s, a, mem, &c.attachments, &c.n_attachments, "case attachments", err, errcap) < 0)
        return -1;
    *out = c;
    return 0;
}

static int case_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                    size_t errcap)
{
    office_case c;
    if (case_from(s, st, mem, &c, err, errcap) < 0)
        return -1;
    return ((office_case_fn)fn)(ctx, &c);
}

int office_case_get(store *s, int64_t id, office_case_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_GET, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return one(s, st, case_row, (void *)fn, ctx, "case get", err, errcap);
}

int office_case_by_tracking(store *s, const char *tracking, int64_t *id_out, char *err,
                            size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_BY_TRACKING, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, tracking);
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        out = 1;
    } else if (rc != SQLITE_DONE) {
        out = fail(s, "case by tracking", err, errcap);
    }
    done_with(st);
    return out;
}

static int event_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                     size_t errcap)
{
    office_event e = {
        .case_id = sqlite3_column_int64(st, 0),
        .seq = (uint32_t)sqlite3_column_int64(st, 1),
        .at_utc = sqlite3_column_int64(st, 2),
        .action = col_text(st, 3),
        .from_state = col_text(st, 4),
        .to_state = col_text(st, 5),
        .actor = col_text(st, 6),
        .role = col_text(st, 7),
        .reason = col_text(st, 8),
        .unit = col_text(st, 9),
        .deadline_utc = sqlite3_column_int64(st, 10),
        .level = sqlite3_column_int(st, 11),
        .finding = col_text(st, 12),
    };
    sqlite3_stmt *ev = stmt(s, Q_EVENT_EV_GET, err, errcap);
    if (!ev)
        return -1;
    sqlite3_bind_int64(ev, 1, e.case_id);
    sqlite3_bind_int64(ev, 2, e.seq);
    if (key_list(s, ev, mem, &e.evidence, &e.n_evidence, "event evidence", err, errcap) < 0)
        return -1;
    return ((office_event_fn)fn)(ctx, &e);
}

int office_events_each(store *s, int64_t case_id, office_event_fn fn, void *ctx, char *err,
                       size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_EVENT_EACH, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    return each(s, st, event_row, (void *)fn, ctx, "event list", err, errcap);
}

static void bind_case_filter(sqlite3_stmt *st, const office_case_filter *f)
{
    bind_text(st, 1, f->state);
    bind_text(st, 2, f->unit);
    bind_text(st, 3, f->category);
    bind_text(st, 4, f->source);
    bind_text(st, 5, f->created_by);
    sqlite3_bind_int(st, 6, f->min_supervision);
    sqlite3_bind_int64(st, 7, f->from_utc);
    sqlite3_bind_int64(st, 8, f->to_utc);
}

/* The WHERE clause of a case filter, naming only the filters that are set: SQLite's planner
 * cannot use an index through "(?2 IS NULL OR unit = ?2)", so a generic statement would read
 * every case for every page. Parameters keep their numbers (bind_case_filter binds them all;
 * those the text does not name are ignored). */
static void case_where(const office_case_filter *f, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, " WHERE supervision >= ?6");
    const char *const set[] = {f->state, f->unit, f->category, f->source, f->created_by};
    static const char *const clause[] = {" AND state = ?1", " AND unit = ?2", " AND category = ?3",
                                         " AND source = ?4", " AND created_by = ?5"};
    for (size_t i = 0; i < sizeof set / sizeof set[0] && n < cap; i++)
        if (set[i])
            n += (size_t)snprintf(buf + n, cap - n, "%s", clause[i]);
    if (f->from_utc && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " AND created_utc >= ?7");
    if (f->to_utc && n < cap)
        snprintf(buf + n, cap - n, " AND created_utc < ?8");
}

/* Prepare "head WHERE … tail" for f and bind it; NULL with err on failure. The caller
 * finalizes: 2^8 shapes of filter are too many to cache, and at human request rates the
 * preparation (tens of µs) is not what costs. */
static sqlite3_stmt *case_query(store *s, const office_case_filter *f, const char *head,
                                const char *tail, char *err, size_t errcap)
{
    char where[256], sql[1024];
    case_where(f, where, sizeof where);
    snprintf(sql, sizeof sql, "%s%s%s", head, where, tail);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_sqlite_handle(s), sql, -1, &st, NULL) != SQLITE_OK) {
        fail(s, "case list: prepare", err, errcap);
        sqlite3_finalize(st);
        return NULL;
    }
    bind_case_filter(st, f);
    return st;
}

int office_cases_each(store *s, const office_case_filter *f, int64_t *total, office_case_fn fn,
                      void *ctx, char *err, size_t errcap)
{
    static const office_case_filter any = {0};
    if (!f)
        f = &any;
    sqlite3_stmt *st;
    if (total) {
        if (!(st = case_query(s, f, "SELECT count(*) FROM case_file", "", err, errcap)))
            return -1;
        int64_t rc = count_of(s, st, total, "case count", err, errcap);
        sqlite3_finalize(st);
        if (rc < 0)
            return -1;
    }
    if (!(st = case_query(s, f, "SELECT " CASE_COLS " FROM case_file",
                          " ORDER BY created_utc DESC, id DESC LIMIT ?9 OFFSET ?10", err, errcap)))
        return -1;
    bind_page(st, 9, f->limit, f->offset);
    int rc = each(s, st, case_row, (void *)fn, ctx, "case list", err, errcap);
    sqlite3_finalize(st);
    return rc;
}

int office_case_counts(store *s, const char *unit, office_count_fn fn, void *ctx, char *err,
                       size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_COUNTS, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, unit);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(ctx, col_text(st, 0), sqlite3_column_int64(st, 1))) != 0)
            break;
    if (out == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = fail(s, "case counts", err, errcap);
    done_with(st);
    return out;
}

int office_case_tally_get(store *s, const char *unit, int64_t now_utc, office_case_tally *out,
                          char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_TALLY, err, errcap);
    if (!st)
        return -1;
    bind_text(st, 1, unit);
    sqlite3_bind_int64(st, 2, now_utc);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (office_case_tally){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                   sqlite3_column_int64(st, 2)};
    done_with(st);
    return rc == SQLITE_ROW ? 0 : fail(s, "case tally", err, errcap);
}

int office_cases_overdue(store *s, int64_t now_utc, office_id_fn fn, void *ctx, char *err,
                         size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_CASE_OVERDUE, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_utc);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(ctx, sqlite3_column_int64(st, 0))) != 0)
            break;
    if (out == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = fail(s, "overdue cases", err, errcap);
    done_with(st);
    return out;
}

/* ---- rewards ------------------------------------------------------------------------ */

int office_reward_put(store *s, const office_reward *r, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_REWARD_PUT, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->case_id);
    bind_text(st, 2, r->status);
    sqlite3_bind_int64(st, 3, r->amount_fen);
    bind_text(st, 4, r->decided_by);
    sqlite3_bind_int64(st, 5, r->decided_utc);
    sqlite3_bind_int64(st, 6, r->paid_utc);
    bind_text(st, 7, r->note);
    return run(s, st, "reward put", err, errcap);
}

static int reward_row(store *s, sqlite3_stmt *st, void *fn, void *ctx, arena *mem, char *err,
                      size_t errcap)
{
    (void)s, (void)mem, (void)err, (void)errcap;
    office_reward r = {
        .case_id = sqlite3_column_int64(st, 0),
        .status = col_text(st, 1),
        .amount_fen = sqlite3_column_int64(st, 2),
        .decided_by = col_text(st, 3),
        .decided_utc = sqlite3_column_int64(st, 4),
        .paid_utc = sqlite3_column_int64(st, 5),
        .note = col_text(st, 6),
    };
    return ((office_reward_fn)fn)(ctx, &r);
}

int office_reward_get(store *s, int64_t case_id, office_reward_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_REWARD_GET, err, errcap);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    return one(s, st, reward_row, (void *)fn, ctx, "reward get", err, errcap);
}

int office_rewards_each(store *s, office_reward_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = stmt(s, Q_REWARD_EACH, err, errcap);
    return st ? each(s, st, reward_row, (void *)fn, ctx, "reward list", err, errcap) : -1;
}
