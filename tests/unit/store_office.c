/* Tests of store/office.h on a real SQLite file: accounts, sessions, throttles, rate windows,
 * the audit log, attachments and who may see them, cases with their event log, rewards, the
 * plan ledger, and the append-only rule enforced by the schema itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fault.h"
#include "store/office.h"
#include "store/store.h"
#include "testutil.h"

/* The store's own tests may look under the interface: the one number a query of the
 * database file at path gives (count(*) and the like), read on a connection of the test's
 * own so that tests check what is on disk. -1 on failure. */
static int64_t db_count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

typedef struct fixture {
    tu_tmpdb db;
    store *s;
    char err[256];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!(f->s = tu_store_open(&f->db, "office")))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    int rc = tu_store_close(&f->db, f->s);
    free(f);
    return rc;
}

/* Run sql on a second, independent connection: what a bug or a hand-edit would do. */
static int raw_exec(const fixture *f, const char *sql, char *msg, size_t cap)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    char *m = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &m);
    snprintf(msg, cap, "%s", m ? m : "");
    sqlite3_free(m);
    sqlite3_close(db);
    return rc;
}

static int64_t raw_count(const fixture *f, const char *sql)
{
    int64_t n = db_count(f->db.path, sql);
    assert_true(n >= 0);
    return n;
}

static void schema_is_version_2(void **state)
{
    fixture *f = *state;
    assert_true(STORE_SCHEMA_VERSION >= 2); /* office arrived in migration 2 */
    assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
}

/* ---- accounts ---- */

typedef struct got_user {
    int n;
    int64_t id, created;
    char name[8][32], role[16], org[32], display[32];
    bool disabled, display_null;
} got_user;

static int keep_user(void *ctx, const office_user *u)
{
    got_user *g = ctx;
    if (g->n < 8)
        snprintf(g->name[g->n], sizeof g->name[0], "%s", u->name);
    g->n++;
    g->id = u->id;
    g->created = u->created_utc;
    snprintf(g->role, sizeof g->role, "%s", u->role);
    snprintf(g->org, sizeof g->org, "%s", u->org ? u->org : "(null)");
    g->display_null = u->display == NULL;
    snprintf(g->display, sizeof g->display, "%s", u->display ? u->display : "");
    g->disabled = u->disabled;
    return 0;
}

static void users_put_get_update_list(void **state)
{
    fixture *f = *state;
    office_user u = {.name = "zhang",
                     .role = "unit",
                     .org = "zone_eco_env",
                     .pw_hash = "$argon2id$x",
                     .created_utc = 1000};
    int64_t id1 = 0, id2 = 0;
    assert_int_equal(office_user_put(f->s, &u, &id1, f->err, sizeof f->err), 0);
    assert_true(id1 > 0);
    got_user g = {0};
    assert_int_equal(office_user_get(f->s, "zhang", keep_user, &g, f->err, sizeof f->err), 1);
    assert_int_equal(g.id, id1);
    assert_string_equal(g.role, "unit");
    assert_string_equal(g.org, "zone_eco_env");
    assert_true(g.display_null);
    assert_false(g.disabled);

    /* Same name again: an update of everything but id and created_utc. */
    office_user u2 = {.name = "zhang",
                      .display = "张三",
                      .role = "bureau",
                      .pw_hash = "$argon2id$y",
                      .disabled = true,
                      .created_utc = 5000};
    assert_int_equal(office_user_put(f->s, &u2, &id2, f->err, sizeof f->err), 0);
    assert_int_equal(id2, id1);
    memset(&g, 0, sizeof g);
    assert_int_equal(office_user_get(f->s, "zhang", keep_user, &g, f->err, sizeof f->err), 1);
    assert_int_equal(g.created, 1000);
    assert_string_equal(g.role, "bureau");
    assert_string_equal(g.org, "(null)");
    assert_string_equal(g.display, "张三");
    assert_true(g.disabled);

    assert_int_equal(office_user_get(f->s, "nobody", keep_user, &g, f->err, sizeof f->err), 0);

    office_user a = {.name = "admin", .role = "admin", .pw_hash = "h", .created_utc = 1};
    assert_int_equal(office_user_put(f->s, &a, NULL, f->err, sizeof f->err), 0);
    /* An unknown role is refused by the schema. */
    office_user bad = {.name = "x", .role = "root", .pw_hash = "h"};
    assert_true(office_user_put(f->s, &bad, NULL, f->err, sizeof f->err) < 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(office_users_each(f->s, keep_user, &g, f->err, sizeof f->err), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.name[0], "admin");
    assert_string_equal(g.name[1], "zhang");
}

/* ---- sessions ---- */

typedef struct got_session {
    int n;
    int64_t expires;
    char csrf[64], user[32];
    uint8_t hash[OFFICE_TOKEN_HASH];
} got_session;

static int keep_session(void *ctx, const office_session *ses, const office_user *u)
{
    got_session *g = ctx;
    g->n++;
    g->expires = ses->expires_utc;
    snprintf(g->csrf, sizeof g->csrf, "%s", ses->csrf);
    snprintf(g->user, sizeof g->user, "%s", u->name);
    memcpy(g->hash, ses->token_hash, sizeof g->hash);
    return 0;
}

static void sessions_put_get_delete_purge(void **state)
{
    fixture *f = *state;
    office_user u = {.name = "li", .role = "bureau", .pw_hash = "h", .created_utc = 1};
    int64_t uid;
    assert_int_equal(office_user_put(f->s, &u, &uid, f->err, sizeof f->err), 0);
    office_session ses[3];
    for (int i = 0; i < 3; i++) {
        memset(&ses[i], 0, sizeof ses[i]);
        memset(ses[i].token_hash, 0xA0 + i, OFFICE_TOKEN_HASH);
        ses[i].user_id = uid;
        ses[i].csrf = "csrf-token";
        ses[i].created_utc = 50;
        ses[i].expires_utc = 100 * (i + 1); /* 100, 200, 300 */
        assert_int_equal(office_session_put(f->s, &ses[i], f->err, sizeof f->err), 0);
    }
    got_session g = {0};
    assert_int_equal(
        office_session_get(f->s, ses[1].token_hash, keep_session, &g, f->err, sizeof f->err), 1);
    assert_int_equal(g.expires, 200);
    assert_string_equal(g.user, "li");
    assert_string_equal(g.csrf, "csrf-token");
    assert_memory_equal(g.hash, ses[1].token_hash, OFFICE_TOKEN_HASH);

    uint8_t other[OFFICE_TOKEN_HASH];
    memset(other, 0x11, sizeof other);
    assert_int_equal(office_session_get(f->s, other, keep_session, &g, f->err, sizeof f->err), 0);

    /* At 200 the sessions expiring at 100 and 200 are dead (auth.h: refused from that
     * instant on); 300 lives. */
    assert_int_equal(office_sessions_purge(f->s, 200, f->err, sizeof f->err), 2);
    assert_int_equal(
        office_session_get(f->s, ses[0].token_hash, keep_session, &g, f->err, sizeof f->err), 0);
    assert_int_equal(
        office_session_get(f->s, ses[2].token_hash, keep_session, &g, f->err, sizeof f->err), 1);
    assert_int_equal(office_session_delete(f->s, ses[2].token_hash, f->err, sizeof f->err), 0);
    assert_int_equal(
        office_session_get(f->s, ses[2].token_hash, keep_session, &g, f->err, sizeof f->err), 0);
    assert_int_equal(office_sessions_purge(f->s, 10000, f->err, sizeof f->err), 0);
}

/* ---- throttle and rate ---- */

static void throttle_per_account_and_address(void **state)
{
    fixture *f = *state;
    office_throttle t;
    memset(&t, 0xFF, sizeof t);
    assert_int_equal(office_throttle_get(f->s, "li", "10.0.0.1", &t, f->err, sizeof f->err), 0);
    assert_int_equal(t.failures, 0);
    assert_int_equal(t.next_allowed_utc, 0);
    office_throttle w = {.failures = 4, .last_failure_utc = 1000, .next_allowed_utc = 1001};
    assert_int_equal(office_throttle_put(f->s, "li", "10.0.0.1", &w, f->err, sizeof f->err), 0);
    w.failures = 5;
    w.next_allowed_utc = 1002;
    assert_int_equal(office_throttle_put(f->s, "li", "10.0.0.1", &w, f->err, sizeof f->err), 0);
    assert_int_equal(office_throttle_get(f->s, "li", "10.0.0.1", &t, f->err, sizeof f->err), 1);
    assert_int_equal(t.failures, 5);
    assert_int_equal(t.last_failure_utc, 1000);
    assert_int_equal(t.next_allowed_utc, 1002);
    /* Another address of the same account is a different record. */
    assert_int_equal(office_throttle_get(f->s, "li", "10.0.0.2", &t, f->err, sizeof f->err), 0);
    assert_int_equal(office_throttle_clear(f->s, "li", "10.0.0.1", f->err, sizeof f->err), 0);
    assert_int_equal(office_throttle_get(f->s, "li", "10.0.0.1", &t, f->err, sizeof f->err), 0);
}

static void rate_counts_fixed_windows(void **state)
{
    fixture *f = *state;
    /* Window of 60 s: 1000 lies in [960, 1020). */
    assert_int_equal(office_rate_hit(f->s, "report:1.2.3.4", 1000, 60, f->err, sizeof f->err), 1);
    assert_int_equal(office_rate_hit(f->s, "report:1.2.3.4", 960, 60, f->err, sizeof f->err), 2);
    assert_int_equal(office_rate_hit(f->s, "report:1.2.3.4", 1019, 60, f->err, sizeof f->err), 3);
    assert_int_equal(office_rate_hit(f->s, "report:5.6.7.8", 1019, 60, f->err, sizeof f->err), 1);
    /* 1020 opens the next window. */
    assert_int_equal(office_rate_hit(f->s, "report:1.2.3.4", 1020, 60, f->err, sizeof f->err), 1);
    assert_int_equal(office_rate_hit(f->s, "report:1.2.3.4", 1079, 60, f->err, sizeof f->err), 2);
    /* The dead window of the key was dropped: one row per key left. */
    assert_int_equal(raw_count(f, "SELECT count(*) FROM rate_window WHERE key='report:1.2.3.4'"),
                     1);
    assert_true(office_rate_hit(f->s, "k", 1000, 0, f->err, sizeof f->err) < 0);
    /* Inside a caller's transaction the hit is part of it. */
    assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
    assert_int_equal(office_rate_hit(f->s, "tx", 1000, 60, f->err, sizeof f->err), 1);
    store_rollback(f->s);
    assert_int_equal(office_rate_hit(f->s, "tx", 1000, 60, f->err, sizeof f->err), 1);
}

/* ---- audit ---- */

typedef struct got_audit {
    int n;
    char actions[4][32];
    char addr[32];
} got_audit;

static int keep_audit(void *ctx, const office_audit *a)
{
    got_audit *g = ctx;
    if (g->n < 4)
        snprintf(g->actions[g->n], sizeof g->actions[0], "%s", a->action);
    if (g->n == 0)
        snprintf(g->addr, sizeof g->addr, "%s", a->addr ? a->addr : "(null)");
    g->n++;
    return 0;
}

static void audit_pages_newest_first_and_is_append_only(void **state)
{
    fixture *f = *state;
    const char *acts[] = {"login", "user.put", "logout"};
    for (int i = 0; i < 3; i++) {
        office_audit a = {.at_utc = 100 + i,
                          .actor = "li",
                          .action = acts[i],
                          .addr = i == 2 ? "10.0.0.9" : NULL};
        assert_int_equal(office_audit_append(f->s, &a, f->err, sizeof f->err), 0);
    }
    got_audit g = {0};
    int64_t total = 0;
    assert_int_equal(office_audit_each(f->s, 2, 0, &total, keep_audit, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 3);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.actions[0], "logout");
    assert_string_equal(g.actions[1], "user.put");
    assert_string_equal(g.addr, "10.0.0.9");
    memset(&g, 0, sizeof g);
    assert_int_equal(office_audit_each(f->s, 2, 2, NULL, keep_audit, &g, f->err, sizeof f->err), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.actions[0], "login");

    char msg[256];
    assert_int_equal(raw_exec(f, "UPDATE audit SET actor='mallory'", msg, sizeof msg),
                     SQLITE_CONSTRAINT);
    assert_non_null(strstr(msg, "append-only"));
    assert_int_equal(raw_exec(f, "DELETE FROM audit", msg, sizeof msg), SQLITE_CONSTRAINT);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE actor='li'"), 3);
}

/* ---- attachments ---- */

typedef struct got_att {
    char mime[32], sha[65], uploader[32];
    unsigned char data[16];
    size_t size;
} got_att;

static int keep_att(void *ctx, const office_attachment *a)
{
    got_att *g = ctx;
    snprintf(g->mime, sizeof g->mime, "%s", a->mime);
    snprintf(g->sha, sizeof g->sha, "%s", a->sha256_hex);
    snprintf(g->uploader, sizeof g->uploader, "%s", a->uploader);
    g->size = a->size;
    memcpy(g->data, a->data, a->size < sizeof g->data ? a->size : sizeof g->data);
    return 0;
}

static void attachment_put_get(void **state)
{
    fixture *f = *state;
    char k1[OFFICE_KEY_LEN + 1], k2[OFFICE_KEY_LEN + 1];
    assert_int_equal(
        office_attachment_put(f->s, "abc", 3, "image/png", "public", 77, k1, f->err, sizeof f->err),
        0);
    assert_int_equal(strlen(k1), OFFICE_KEY_LEN);
    assert_int_equal(strspn(k1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     OFFICE_KEY_LEN);
    assert_int_equal(
        office_attachment_put(f->s, "abc", 3, "image/png", "public", 77, k2, f->err, sizeof f->err),
        0);
    assert_string_not_equal(k1, k2);
    got_att g = {0};
    assert_int_equal(office_attachment_get(f->s, k1, keep_att, &g, f->err, sizeof f->err), 1);
    assert_string_equal(g.mime, "image/png");
    assert_string_equal(g.uploader, "public");
    assert_int_equal(g.size, 3);
    assert_memory_equal(g.data, "abc", 3);
    /* FIPS 180-2 appendix B.1: SHA-256("abc"). */
    assert_string_equal(g.sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(
        office_attachment_get(f->s, "AAAAAAAAAAAAAAAAAAAAAA", keep_att, &g, f->err, sizeof f->err),
        0);
}

/* ---- cases ---- */

static int64_t add_case(fixture *f, const char *tracking, const char *state, const char *unit,
                        const char *category, const char *source, int supervision, int64_t created,
                        int64_t deadline, const char *const *att, size_t n_att)
{
    office_case c = {.tracking = tracking,
                     .source = source,
                     .category = category,
                     .state = state,
                     .location = "经开区第八大街",
                     .lon = 113.7,
                     .lat = 34.7,
                     .description = "dust",
                     .attachments = att,
                     .n_attachments = n_att,
                     .unit = unit,
                     .deadline_utc = deadline,
                     .supervision = supervision,
                     .created_utc = created,
                     .created_by = strcmp(source, "public_report") ? "li" : "public",
                     .updated_utc = created};
    int64_t id = 0;
    assert_int_equal(office_case_insert(f->s, &c, &id, f->err, sizeof f->err), 0);
    assert_true(id > 0);
    return id;
}

static int add_event(fixture *f, int64_t id, uint32_t seq, const char *action,
                     const char *const *ev, size_t n_ev)
{
    office_event e = {.case_id = id,
                      .seq = seq,
                      .at_utc = 1000 + seq,
                      .action = action,
                      .from_state = "reported",
                      .to_state = "reported",
                      .actor = "li",
                      .role = "bureau",
                      .evidence = ev,
                      .n_evidence = n_ev};
    return office_event_append(f->s, &e, f->err, sizeof f->err);
}

static void attachment_visibility_follows_assignment(void **state)
{
    fixture *f = *state;
    char photo[OFFICE_KEY_LEN + 1], proof[OFFICE_KEY_LEN + 1], report[OFFICE_KEY_LEN + 1],
        loose[OFFICE_KEY_LEN + 1];
    assert_int_equal(office_attachment_put(f->s, "p", 1, "image/jpeg", "public", 1, photo, f->err,
                                           sizeof f->err),
                     0);
    assert_int_equal(
        office_attachment_put(f->s, "q", 1, "image/jpeg", "wang", 1, proof, f->err, sizeof f->err),
        0);
    assert_int_equal(office_attachment_put(f->s, "r", 1, "application/pdf", "zhao", 1, report,
                                           f->err, sizeof f->err),
                     0);
    assert_int_equal(
        office_attachment_put(f->s, "s", 1, "image/jpeg", "x", 1, loose, f->err, sizeof f->err), 0);
    const char *att[] = {photo};
    int64_t id =
        add_case(f, "AAAA-AAAA-AAAA", "reported", NULL, "dust", "public_report", 0, 10, 0, att, 1);
    /* Not yet assigned: no unit sees the report's photo. */
    assert_int_equal(office_attachment_visible(f->s, photo, "unit_a", f->err, sizeof f->err), 0);
    office_case upd = {
        .id = id, .state = "assigned", .unit = "unit_a", .deadline_utc = 5000, .updated_utc = 20};
    assert_int_equal(office_case_update(f->s, &upd, f->err, sizeof f->err), 0);
    assert_int_equal(office_attachment_visible(f->s, photo, "unit_a", f->err, sizeof f->err), 1);
    assert_int_equal(office_attachment_visible(f->s, photo, "unit_b", f->err, sizeof f->err), 0);

    /* Evidence of an event: visible to the unit the case is assigned to now. */
    const char *ev[] = {proof};
    assert_int_equal(add_event(f, id, 1, "create", NULL, 0), 0);
    assert_int_equal(add_event(f, id, 2, "submit", ev, 1), 0);
    assert_int_equal(office_attachment_visible(f->s, proof, "unit_a", f->err, sizeof f->err), 1);
    upd.unit = "unit_b";
    assert_int_equal(office_case_update(f->s, &upd, f->err, sizeof f->err), 0);
    assert_int_equal(office_attachment_visible(f->s, proof, "unit_a", f->err, sizeof f->err), 0);
    assert_int_equal(office_attachment_visible(f->s, proof, "unit_b", f->err, sizeof f->err), 1);

    /* Evidence of a ledger change: the unit it was made for. */
    const char *lev[] = {report};
    office_change ch = {.plan_id = "p",
                        .at_utc = 30,
                        .actor = "zhao",
                        .role = "unit",
                        .unit = "unit_c",
                        .object = "task",
                        .object_id = "T01",
                        .field = "done",
                        .old_value = "false",
                        .new_value = "true",
                        .evidence = lev,
                        .n_evidence = 1};
    assert_int_equal(office_change_append(f->s, &ch, NULL, f->err, sizeof f->err), 0);
    assert_int_equal(office_attachment_visible(f->s, report, "unit_c", f->err, sizeof f->err), 1);
    assert_int_equal(office_attachment_visible(f->s, report, "unit_a", f->err, sizeof f->err), 0);
    /* Referenced by nothing: visible to no unit, whatever the key. */
    assert_int_equal(office_attachment_visible(f->s, loose, "unit_a", f->err, sizeof f->err), 0);
}

typedef struct got_cases {
    int n;
    int64_t ids[16];
    char tracking[16][16];
    size_t n_att;
    char att0[32];
    uint32_t n_events;
    char state[16], unit[32];
    int64_t deadline, closed;
    int supervision;
    uint32_t reopen;
} got_cases;

static int keep_case(void *ctx, const office_case *c)
{
    got_cases *g = ctx;
    if (g->n < 16) {
        g->ids[g->n] = c->id;
        snprintf(g->tracking[g->n], sizeof g->tracking[0], "%s", c->tracking);
    }
    g->n++;
    g->n_att = c->n_attachments;
    snprintf(g->att0, sizeof g->att0, "%s", c->n_attachments ? c->attachments[0] : "");
    g->n_events = c->n_events;
    snprintf(g->state, sizeof g->state, "%s", c->state);
    snprintf(g->unit, sizeof g->unit, "%s", c->unit ? c->unit : "(null)");
    g->deadline = c->deadline_utc;
    g->closed = c->closed_utc;
    g->supervision = c->supervision;
    g->reopen = c->reopen_count;
    return 0;
}

static void cases_insert_get_update_by_tracking(void **state)
{
    fixture *f = *state;
    const char *att[] = {"k1", "k2"};
    int64_t id = add_case(f, "ABCD-EFGH-JKMN", "reported", NULL, "open_burning", "public_report", 0,
                          100, 0, att, 2);
    got_cases g = {0};
    assert_int_equal(office_case_get(f->s, id, keep_case, &g, f->err, sizeof f->err), 1);
    assert_int_equal(g.n_att, 2);
    assert_string_equal(g.att0, "k1");
    assert_string_equal(g.state, "reported");
    assert_string_equal(g.unit, "(null)");
    assert_int_equal(office_case_get(f->s, id + 100, keep_case, &g, f->err, sizeof f->err), 0);

    int64_t found = 0;
    assert_int_equal(office_case_by_tracking(f->s, "ABCD-EFGH-JKMN", &found, f->err, sizeof f->err),
                     1);
    assert_int_equal(found, id);
    assert_int_equal(office_case_by_tracking(f->s, "ZZZZ-ZZZZ-ZZZZ", &found, f->err, sizeof f->err),
                     0);
    /* The tracking code is unique. */
    office_case dup = {.tracking = "ABCD-EFGH-JKMN",
                       .source = "inspection",
                       .category = "dust",
                       .state = "reported",
                       .location = "x",
                       .description = "y",
                       .created_by = "li"};
    assert_true(office_case_insert(f->s, &dup, NULL, f->err, sizeof f->err) < 0);

    office_case upd = {.id = id,
                       .state = "closed",
                       .unit = "unit_a",
                       .deadline_utc = 900,
                       .supervision = 2,
                       .overdue_since_utc = 900,
                       .closed_utc = 1200,
                       .reopen_count = 1,
                       .updated_utc = 1200};
    assert_int_equal(office_case_update(f->s, &upd, f->err, sizeof f->err), 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(office_case_get(f->s, id, keep_case, &g, f->err, sizeof f->err), 1);
    assert_string_equal(g.state, "closed");
    assert_string_equal(g.unit, "unit_a");
    assert_int_equal(g.deadline, 900);
    assert_int_equal(g.closed, 1200);
    assert_int_equal(g.supervision, 2);
    assert_int_equal(g.reopen, 1);
    upd.id = id + 100;
    assert_true(office_case_update(f->s, &upd, f->err, sizeof f->err) < 0);
}

typedef struct got_events {
    int n;
    uint32_t seq[8];
    char action[8][16];
    size_t n_ev[8];
    char ev0[32];
} got_events;

static int keep_event(void *ctx, const office_event *e)
{
    got_events *g = ctx;
    if (g->n < 8) {
        g->seq[g->n] = e->seq;
        snprintf(g->action[g->n], sizeof g->action[0], "%s", e->action);
        g->n_ev[g->n] = e->n_evidence;
        if (e->n_evidence)
            snprintf(g->ev0, sizeof g->ev0, "%s", e->evidence[0]);
    }
    g->n++;
    return 0;
}

static void events_are_sequential_and_append_only(void **state)
{
    fixture *f = *state;
    int64_t id =
        add_case(f, "BBBB-BBBB-BBBB", "reported", NULL, "dust", "inspection", 0, 100, 0, NULL, 0);
    const char *ev[] = {"photo-after"};
    assert_int_equal(add_event(f, id, 1, "create", NULL, 0), 0);
    assert_int_equal(add_event(f, id, 2, "submit", ev, 1), 0);
    /* A repeated seq and a gap are both refused, and leave nothing behind. */
    assert_true(add_event(f, id, 2, "accept", NULL, 0) < 0);
    assert_true(add_event(f, id, 4, "accept", ev, 1) < 0);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM case_event_evidence"), 1);
    got_events g = {0};
    assert_int_equal(office_events_each(f->s, id, keep_event, &g, f->err, sizeof f->err), 0);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.seq[0], 1);
    assert_string_equal(g.action[1], "submit");
    assert_int_equal(g.n_ev[0], 0);
    assert_int_equal(g.n_ev[1], 1);
    assert_string_equal(g.ev0, "photo-after");
    got_cases c = {0};
    assert_int_equal(office_case_get(f->s, id, keep_case, &c, f->err, sizeof f->err), 1);
    assert_int_equal(c.n_events, 2);

    char msg[256];
    assert_int_equal(raw_exec(f, "UPDATE case_event SET actor='x'", msg, sizeof msg),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(f, "DELETE FROM case_event", msg, sizeof msg), SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(f, "DELETE FROM case_event_evidence", msg, sizeof msg),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(f, "UPDATE case_event_evidence SET key='forged'", msg, sizeof msg),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM case_event"), 2);
}

static void cases_filter_page_total(void **state)
{
    fixture *f = *state;
    /* created 100..500: newest first means 500 first. */
    int64_t a = add_case(f, "C000-0000-0001", "reported", NULL, "dust", "public_report", 0, 100, 0,
                         NULL, 0);
    int64_t b = add_case(f, "C000-0000-0002", "assigned", "unit_a", "dust", "inspection", 1, 200,
                         1000, NULL, 0);
    int64_t c = add_case(f, "C000-0000-0003", "assigned", "unit_b", "open_burning", "fire_point", 2,
                         300, 1000, NULL, 0);
    int64_t d = add_case(f, "C000-0000-0004", "closed", "unit_a", "dust", "inspection", 0, 400,
                         1000, NULL, 0);
    int64_t e = add_case(f, "C000-0000-0005", "assigned", "unit_a", "exceedance",
                         "monitoring_alert", 0, 500, 1000, NULL, 0);
    got_cases g = {0};
    int64_t total = -1;
    office_case_filter all = {0};
    assert_int_equal(office_cases_each(f->s, &all, &total, keep_case, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 5);
    assert_int_equal(g.n, 5);
    int64_t want_all[] = {e, d, c, b, a};
    for (int i = 0; i < 5; i++)
        assert_int_equal(g.ids[i], want_all[i]);

    office_case_filter unit_a = {.unit = "unit_a", .limit = 2};
    memset(&g, 0, sizeof g);
    assert_int_equal(office_cases_each(f->s, &unit_a, &total, keep_case, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 3);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.ids[0], e);
    assert_int_equal(g.ids[1], d);
    unit_a.offset = 2;
    memset(&g, 0, sizeof g);
    assert_int_equal(office_cases_each(f->s, &unit_a, &total, keep_case, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 3);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.ids[0], b);

    office_case_filter st = {.state = "assigned", .category = "dust"};
    memset(&g, 0, sizeof g);
    assert_int_equal(office_cases_each(f->s, &st, &total, keep_case, &g, f->err, sizeof f->err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(g.ids[0], b);

    office_case_filter sup = {.min_supervision = 1};
    memset(&g, 0, sizeof g);
    assert_int_equal(office_cases_each(f->s, &sup, &total, keep_case, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 2);
    assert_int_equal(g.ids[0], c);
    assert_int_equal(g.ids[1], b);

    office_case_filter src = {.source = "public_report", .created_by = "public"};
    memset(&g, 0, sizeof g);
    assert_int_equal(office_cases_each(f->s, &src, &total, keep_case, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 1);
    assert_int_equal(g.ids[0], a);

    /* [200, 400): b and c. */
    office_case_filter when = {.from_utc = 200, .to_utc = 400};
    memset(&g, 0, sizeof g);
    assert_int_equal(office_cases_each(f->s, &when, &total, keep_case, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(total, 2);
    assert_int_equal(g.ids[0], c);
    assert_int_equal(g.ids[1], b);
}

typedef struct counts {
    int n;
    char key[8][16];
    int64_t v[8];
} counts;

static int keep_count(void *ctx, const char *key, int64_t n)
{
    counts *c = ctx;
    if (c->n < 8) {
        snprintf(c->key[c->n], sizeof c->key[0], "%s", key);
        c->v[c->n] = n;
    }
    c->n++;
    return 0;
}

typedef struct ids {
    int n;
    int64_t v[16];
} ids;

static int keep_id(void *ctx, int64_t id)
{
    ids *x = ctx;
    if (x->n < 16)
        x->v[x->n] = id;
    x->n++;
    return 0;
}

static void counts_and_overdue(void **state)
{
    fixture *f = *state;
    /* Work owed with a deadline at or before 1000 and below 挂牌督办: a (900), c (1000),
     * d (950, already 督办); not b (deadline 1001), e (挂牌督办), g (closed), h (accepted). */
    int64_t a =
        add_case(f, "D000-0000-0001", "assigned", "u1", "dust", "inspection", 0, 1, 900, NULL, 0);
    add_case(f, "D000-0000-0002", "rectifying", "u1", "dust", "inspection", 0, 2, 1001, NULL, 0);
    int64_t c =
        add_case(f, "D000-0000-0003", "reopened", "u2", "dust", "inspection", 0, 3, 1000, NULL, 0);
    int64_t d =
        add_case(f, "D000-0000-0004", "rectifying", "u2", "dust", "inspection", 1, 4, 950, NULL, 0);
    add_case(f, "D000-0000-0005", "assigned", "u1", "dust", "inspection", 2, 5, 10, NULL, 0);
    add_case(f, "D000-0000-0006", "closed", "u1", "dust", "inspection", 0, 6, 10, NULL, 0);
    add_case(f, "D000-0000-0007", "accepted", NULL, "dust", "inspection", 0, 7, 0, NULL, 0);
    ids x = {0};
    assert_int_equal(office_cases_overdue(f->s, 1000, keep_id, &x, f->err, sizeof f->err), 0);
    assert_int_equal(x.n, 3);
    assert_int_equal(x.v[0], a);
    assert_int_equal(x.v[1], d);
    assert_int_equal(x.v[2], c);

    counts k = {0};
    assert_int_equal(office_case_counts(f->s, NULL, keep_count, &k, f->err, sizeof f->err), 0);
    /* accepted 1, assigned 2, closed 1, rectifying 2, reopened 1 (alphabetical). */
    assert_int_equal(k.n, 5);
    assert_string_equal(k.key[0], "accepted");
    assert_int_equal(k.v[0], 1);
    assert_string_equal(k.key[1], "assigned");
    assert_int_equal(k.v[1], 2);
    assert_string_equal(k.key[3], "rectifying");
    assert_int_equal(k.v[3], 2);
    memset(&k, 0, sizeof k);
    assert_int_equal(office_case_counts(f->s, "u2", keep_count, &k, f->err, sizeof f->err), 0);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.key[0], "rectifying");
    assert_int_equal(k.v[0], 1);
    assert_string_equal(k.key[1], "reopened");
    assert_int_equal(k.v[1], 1);

    /* At 1000, past their deadline while owing work: a (900), d (950), e (10); not c (due
     * exactly at 1000) nor g (closed). 督办: d; 挂牌督办: e. Unit u2 at 1001: c and d overdue. */
    office_case_tally t;
    assert_int_equal(office_case_tally_get(f->s, NULL, 1000, &t, f->err, sizeof f->err), 0);
    assert_int_equal(t.overdue, 3);
    assert_int_equal(t.duban, 1);
    assert_int_equal(t.listed, 1);
    assert_int_equal(office_case_tally_get(f->s, "u2", 1001, &t, f->err, sizeof f->err), 0);
    assert_int_equal(t.overdue, 2);
    assert_int_equal(t.duban, 1);
    assert_int_equal(t.listed, 0);
}

static void caller_transaction_is_honoured(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
    const char *att[] = {"k"};
    int64_t id =
        add_case(f, "E000-0000-0001", "reported", NULL, "dust", "inspection", 0, 1, 0, att, 1);
    assert_int_equal(add_event(f, id, 1, "create", NULL, 0), 0);
    /* A refused write inside the transaction undoes only itself. */
    assert_true(add_event(f, id, 3, "accept", att, 1) < 0);
    store_rollback(f->s);
    got_cases g = {0};
    assert_int_equal(office_case_get(f->s, id, keep_case, &g, f->err, sizeof f->err), 0);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM case_attachment"), 0);

    assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
    id = add_case(f, "E000-0000-0002", "reported", NULL, "dust", "inspection", 0, 1, 0, att, 1);
    assert_true(add_event(f, id, 2, "accept", att, 1) < 0);
    assert_int_equal(add_event(f, id, 1, "create", NULL, 0), 0);
    assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM case_event"), 1);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM case_event_evidence"), 0);
}

/* ---- rewards ---- */

typedef struct got_reward {
    int n;
    char status[16], note[32];
    int64_t amount, paid;
} got_reward;

static int keep_reward(void *ctx, const office_reward *r)
{
    got_reward *g = ctx;
    g->n++;
    snprintf(g->status, sizeof g->status, "%s", r->status);
    snprintf(g->note, sizeof g->note, "%s", r->note ? r->note : "(null)");
    g->amount = r->amount_fen;
    g->paid = r->paid_utc;
    return 0;
}

static void rewards_put_replace_list(void **state)
{
    fixture *f = *state;
    int64_t id = add_case(f, "F000-0000-0001", "closed", "u1", "open_burning", "public_report", 0,
                          1, 10, NULL, 0);
    office_reward r = {.case_id = id,
                       .status = "due",
                       .amount_fen = 50000,
                       .decided_by = "li",
                       .decided_utc = 100};
    assert_int_equal(office_reward_put(f->s, &r, f->err, sizeof f->err), 0);
    got_reward g = {0};
    assert_int_equal(office_reward_get(f->s, id, keep_reward, &g, f->err, sizeof f->err), 1);
    assert_string_equal(g.status, "due");
    assert_int_equal(g.amount, 50000);
    assert_string_equal(g.note, "(null)");
    r.status = "paid";
    r.paid_utc = 200;
    r.note = "bank transfer";
    assert_int_equal(office_reward_put(f->s, &r, f->err, sizeof f->err), 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(office_rewards_each(f->s, keep_reward, &g, f->err, sizeof f->err), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.status, "paid");
    assert_int_equal(g.paid, 200);
    assert_int_equal(office_reward_get(f->s, id + 1, keep_reward, &g, f->err, sizeof f->err), 0);
    r.status = "maybe";
    assert_true(office_reward_put(f->s, &r, f->err, sizeof f->err) < 0);
}

/* ---- the plan ledger ---- */

typedef struct got_ledger {
    int n;
    char id[8][16];
    int pct[8];
    bool done[8];
    double value[8];
    char unit[8][16];
    size_t n_ev[8];
} got_ledger;

static int keep_task(void *ctx, const office_task *t)
{
    got_ledger *g = ctx;
    snprintf(g->id[g->n], sizeof g->id[0], "%s", t->task_id);
    g->pct[g->n] = t->progress_pct;
    g->done[g->n] = t->done;
    g->n++;
    return 0;
}

static int keep_tval(void *ctx, const office_target_value *v)
{
    got_ledger *g = ctx;
    snprintf(g->id[g->n], sizeof g->id[0], "%s", v->target_id);
    g->value[g->n] = v->value;
    snprintf(g->unit[g->n], sizeof g->unit[0], "%s", v->unit);
    g->n++;
    return 0;
}

static int keep_change(void *ctx, const office_change *c)
{
    got_ledger *g = ctx;
    snprintf(g->id[g->n], sizeof g->id[0], "%s", c->new_value);
    snprintf(g->unit[g->n], sizeof g->unit[0], "%s", c->unit);
    g->n_ev[g->n] = c->n_evidence;
    g->n++;
    return 0;
}

static void ledger_tasks_values_changes(void **state)
{
    fixture *f = *state;
    office_task t = {.plan_id = "p1", .task_id = "T02", .progress_pct = 40, .updated_utc = 10};
    assert_int_equal(office_task_put(f->s, &t, f->err, sizeof f->err), 0);
    t.task_id = "T01";
    t.progress_pct = 100;
    t.done = true;
    t.done_utc = 20;
    assert_int_equal(office_task_put(f->s, &t, f->err, sizeof f->err), 0);
    t.task_id = "T02";
    t.progress_pct = 60;
    t.done = false;
    assert_int_equal(office_task_put(f->s, &t, f->err, sizeof f->err), 0);
    t.plan_id = "p2";
    assert_int_equal(office_task_put(f->s, &t, f->err, sizeof f->err), 0);
    t.progress_pct = 101;
    assert_true(office_task_put(f->s, &t, f->err, sizeof f->err) < 0);
    got_ledger g = {0};
    assert_int_equal(office_tasks_each(f->s, "p1", keep_task, &g, f->err, sizeof f->err), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.id[0], "T01");
    assert_true(g.done[0]);
    assert_int_equal(g.pct[1], 60);

    office_target_value v = {.plan_id = "p1",
                             .target_id = "heavy_vehicles",
                             .value = 120,
                             .unit = "u1",
                             .reported_utc = 5};
    assert_int_equal(office_target_value_put(f->s, &v, f->err, sizeof f->err), 0);
    v.value = 150.5;
    v.unit = "u2";
    assert_int_equal(office_target_value_put(f->s, &v, f->err, sizeof f->err), 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(office_target_values_each(f->s, "p1", keep_tval, &g, f->err, sizeof f->err),
                     0);
    assert_int_equal(g.n, 1);
    assert_true(g.value[0] == 150.5);
    assert_string_equal(g.unit[0], "u2");

    const char *ev[] = {"e1", "e2"};
    for (int i = 0; i < 4; i++) {
        char nv[8];
        snprintf(nv, sizeof nv, "%d", (i + 1) * 10);
        office_change c = {.plan_id = "p1",
                           .at_utc = 100 + i,
                           .actor = "zhao",
                           .role = "unit",
                           .unit = i % 2 ? "u2" : "u1",
                           .object = i == 3 ? "target" : "task",
                           .object_id = i == 3 ? "heavy_vehicles" : "T02",
                           .field = i == 3 ? "value" : "progress",
                           .old_value = "0",
                           .new_value = nv,
                           .evidence = ev,
                           .n_evidence = (size_t)(i % 3)};
        int64_t cid = 0;
        assert_int_equal(office_change_append(f->s, &c, &cid, f->err, sizeof f->err), 0);
        assert_true(cid > 0);
    }
    int64_t total = 0;
    office_change_filter all = {.plan_id = "p1", .limit = 3};
    memset(&g, 0, sizeof g);
    assert_int_equal(
        office_changes_each(f->s, &all, &total, keep_change, &g, f->err, sizeof f->err), 0);
    assert_int_equal(total, 4);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.id[0], "40");
    assert_string_equal(g.id[2], "20");
    assert_int_equal(g.n_ev[0], 0);
    assert_int_equal(g.n_ev[1], 2);
    assert_int_equal(g.n_ev[2], 1);
    office_change_filter tasks_u1 = {.plan_id = "p1", .object = "task", .unit = "u1"};
    memset(&g, 0, sizeof g);
    assert_int_equal(
        office_changes_each(f->s, &tasks_u1, &total, keep_change, &g, f->err, sizeof f->err), 0);
    assert_int_equal(total, 2);
    assert_string_equal(g.id[0], "30");
    assert_string_equal(g.id[1], "10");
    office_change_filter late = {.plan_id = "p1", .from_utc = 102, .object_id = "heavy_vehicles"};
    memset(&g, 0, sizeof g);
    assert_int_equal(
        office_changes_each(f->s, &late, &total, keep_change, &g, f->err, sizeof f->err), 0);
    assert_int_equal(total, 1);
    assert_string_equal(g.id[0], "40");
    office_change_filter none = {0};
    assert_true(office_changes_each(f->s, &none, NULL, keep_change, &g, f->err, sizeof f->err) < 0);

    char msg[256];
    assert_int_equal(raw_exec(f, "UPDATE ledger_change SET new_value='99'", msg, sizeof msg),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(f, "DELETE FROM ledger_change", msg, sizeof msg), SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(f, "DELETE FROM ledger_change_evidence", msg, sizeof msg),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_count(f, "SELECT count(*) FROM ledger_change"), 4);
}

/* ---- a key list that fails to read fails the whole read ---- */

static void key_list_failure_fails_the_read(void **state)
{
    fixture *f = *state;
    const char *keys[] = {"k1", "k2", "k3"};
    int64_t id = add_case(f, "CCCC-CCCC-CCCC", "reported", "unit_a", "dust", "inspection", 0, 100,
                          0, keys, 3);
    assert_int_equal(add_event(f, id, 1, "create", keys, 3), 0);
    office_change ch = {.plan_id = "p",
                        .at_utc = 30,
                        .actor = "zhao",
                        .role = "unit",
                        .unit = "unit_a",
                        .object = "task",
                        .object_id = "T01",
                        .field = "done",
                        .old_value = "false",
                        .new_value = "true",
                        .evidence = keys,
                        .n_evidence = 3};
    assert_int_equal(office_change_append(f->s, &ch, NULL, f->err, sizeof f->err), 0);

    fault in;
    got_events ge = {0};
    fault_on(&in, f->s, "SELECT key FROM case_event_evidence");
    f->err[0] = '\0';
    assert_true(office_events_each(f->s, id, keep_event, &ge, f->err, sizeof f->err) < 0);
    fault_off(&in);
    assert_true(in.hits > 0);
    assert_int_equal(ge.n, 0); /* the callback never saw the event with a short list */
    assert_non_null(strstr(f->err, "interrupt"));

    got_cases gc = {0};
    fault_on(&in, f->s, "SELECT key FROM case_attachment");
    f->err[0] = '\0';
    assert_true(office_case_get(f->s, id, keep_case, &gc, f->err, sizeof f->err) < 0);
    office_case_filter all = {0};
    assert_true(office_cases_each(f->s, &all, NULL, keep_case, &gc, f->err, sizeof f->err) < 0);
    fault_off(&in);
    assert_true(in.hits > 0);
    assert_int_equal(gc.n, 0);
    assert_non_null(strstr(f->err, "interrupt"));

    got_ledger gch = {0};
    office_change_filter chf = {.plan_id = "p"};
    fault_on(&in, f->s, "SELECT key FROM ledger_change_evidence");
    f->err[0] = '\0';
    assert_true(office_changes_each(f->s, &chf, NULL, keep_change, &gch, f->err, sizeof f->err) <
                0);
    fault_off(&in);
    assert_true(in.hits > 0);
    assert_int_equal(gch.n, 0);
    assert_non_null(strstr(f->err, "interrupt"));

    /* Without the fault every list reads in full again. */
    assert_int_equal(office_events_each(f->s, id, keep_event, &ge, f->err, sizeof f->err), 0);
    assert_int_equal(ge.n_ev[0], 3);
    assert_int_equal(office_case_get(f->s, id, keep_case, &gc, f->err, sizeof f->err), 1);
    assert_int_equal(gc.n_att, 3);
    assert_int_equal(
        office_changes_each(f->s, &chf, NULL, keep_change, &gch, f->err, sizeof f->err), 0);
    assert_int_equal(gch.n_ev[0], 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(schema_is_version_2, setup, teardown),
        cmocka_unit_test_setup_teardown(users_put_get_update_list, setup, teardown),
        cmocka_unit_test_setup_teardown(sessions_put_get_delete_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(throttle_per_account_and_address, setup, teardown),
        cmocka_unit_test_setup_teardown(rate_counts_fixed_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_pages_newest_first_and_is_append_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(attachment_put_get, setup, teardown),
        cmocka_unit_test_setup_teardown(attachment_visibility_follows_assignment, setup, teardown),
        cmocka_unit_test_setup_teardown(cases_insert_get_update_by_tracking, setup, teardown),
        cmocka_unit_test_setup_teardown(events_are_sequential_and_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(cases_filter_page_total, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_and_overdue, setup, teardown),
        cmocka_unit_test_setup_teardown(caller_transaction_is_honoured, setup, teardown),
        cmocka_unit_test_setup_teardown(rewards_put_replace_list, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_tasks_values_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(key_list_failure_fails_the_read, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
