/* office: the stored state of people's work — accounts, sessions and login throttles; cases
 * with their append-only event log; attachments (photos, evidence); public-report rate
 * limits and reward bookkeeping; the plan ledger (task states, reported target values and
 * their append-only change history); and an audit log of account events.
 *
 * It lives in the same SQLite database as the monitoring data (schema migration 2, see
 * docs/storage.md) and works on a store handle from store_open(); like store.h it speaks
 * plain values only (roles, states, actions as the text names service/ prints), so the
 * layers above own every rule and this layer owns none.
 *
 * Append-only: case events, ledger changes and audit entries cannot be updated or deleted;
 * the schema refuses it with triggers, so not even a bug above this layer can rewrite history.
 *
 * Transactions: every function runs inside the caller's transaction when one is open
 * (store_begin/store_commit); a function that writes and finds none open runs in its own.
 *
 * Strings passed in are borrowed for the call. Strings handed to callbacks are valid only
 * until the callback returns; a non-zero return from a callback stops the iteration and is
 * returned. Errors: negative return with a message in err (err may be NULL). */
#ifndef EW_STORE_OFFICE_H
#define EW_STORE_OFFICE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* ---- accounts ---------------------------------------------------------------------- */

typedef struct office_user {
    int64_t id;
    const char *name;    /* login name, unique, 1–64 bytes */
    const char *display; /* shown name; NULL = name */
    const char *role;    /* "admin", "bureau", "unit", "enterprise", "auditor", "public" */
    const char *org;     /* unit id (plan unit) or enterprise name; NULL if none */
    const char *pw_hash; /* crypto_pwhash_str string */
    bool disabled;
    int64_t created_utc;
} office_user;
typedef int (*office_user_fn)(void *ctx, const office_user *u);

/* Insert, or update every field but id and created_utc of the user with that name. */
int office_user_put(store *s, const office_user *u, int64_t *id_out, char *err, size_t errcap);
/* 1 and fn called once if found, 0 if not, negative on error. */
int office_user_get(store *s, const char *name, office_user_fn fn, void *ctx, char *err,
                    size_t errcap);
int office_users_each(store *s, office_user_fn fn, void *ctx, char *err, size_t errcap);

/* A login session: only the hash of the token is stored (service/auth.h). */
#define OFFICE_TOKEN_HASH 32
typedef struct office_session {
    uint8_t token_hash[OFFICE_TOKEN_HASH];
    int64_t user_id;
    const char *csrf; /* the session's CSRF token (text), sent back in X-CSRF-Token */
    int64_t created_utc, expires_utc;
} office_session;
int office_session_put(store *s, const office_session *ses, char *err, size_t errcap);
/* The session with that token hash and its user (fn gets both): 1, 0 if none, negative. */
typedef int (*office_session_fn)(void *ctx, const office_session *ses, const office_user *u);
int office_session_get(store *s, const uint8_t hash[OFFICE_TOKEN_HASH], office_session_fn fn,
                       void *ctx, char *err, size_t errcap);
int office_session_delete(store *s, const uint8_t hash[OFFICE_TOKEN_HASH], char *err,
                          size_t errcap);
/* Delete every session expired at now_utc (expires_utc <= now_utc: service/auth.h refuses a
 * token from its expiry instant on); returns how many (≥ 0). */
int office_sessions_purge(store *s, int64_t now_utc, char *err, size_t errcap);

/* One login-throttle record per (account, address); fields as service/auth.h's. */
typedef struct office_throttle {
    uint32_t failures;
    int64_t last_failure_utc, next_allowed_utc;
} office_throttle;
/* 1 and *out filled, 0 if there is no record (out zeroed), negative on error. */
int office_throttle_get(store *s, const char *account, const char *addr, office_throttle *out,
                        char *err, size_t errcap);
int office_throttle_put(store *s, const char *account, const char *addr, const office_throttle *t,
                        char *err, size_t errcap);
int office_throttle_clear(store *s, const char *account, const char *addr, char *err,
                          size_t errcap);

/* Fixed-window rate counter: counts one hit for key in the window of window_s seconds that
 * holds now_utc and returns the hits in that window including this one (≥ 1), or negative. */
int office_rate_hit(store *s, const char *key, int64_t now_utc, int64_t window_s, char *err,
                    size_t errcap);

/* Audit log of account events (login, logout, failed login, user created or changed,
 * reward decided): who, what, about whom/what, free detail. Append-only. */
typedef struct office_audit {
    int64_t id;
    int64_t at_utc;
    const char *actor;  /* user name, "public" or "system" */
    const char *action; /* "login", "login_failed", "logout", "user.put", "reward.put", ... */
    const char *object; /* NULL if none */
    const char *detail; /* NULL if none */
    const char *addr;   /* client address; NULL if none */
} office_audit;
int office_audit_append(store *s, const office_audit *a, char *err, size_t errcap);
typedef int (*office_audit_fn)(void *ctx, const office_audit *a);
/* Newest first; limit/offset page; *total (may be NULL) = entries without paging. */
int office_audit_each(store *s, int64_t limit, int64_t offset, int64_t *total, office_audit_fn fn,
                      void *ctx, char *err, size_t errcap);

/* ---- attachments ------------------------------------------------------------------- */

/* A stored file, addressed by a random key (22 URL-safe characters, 128 bits): knowing the
 * key is necessary but never sufficient to read it (see office_attachment_visible). */
#define OFFICE_KEY_LEN 22
typedef struct office_attachment {
    const char *key;
    const char *mime; /* "image/jpeg", "image/png", "image/webp", "application/pdf" */
    const char *sha256_hex;
    const void *data;
    size_t size;
    const char *uploader; /* user name or "public" */
    int64_t created_utc;
} office_attachment;
/* Store a file; key_out (OFFICE_KEY_LEN + 1 bytes) receives its new key. */
int office_attachment_put(store *s, const void *data, size_t n, const char *mime,
                          const char *uploader, int64_t now_utc, char key_out[OFFICE_KEY_LEN + 1],
                          char *err, size_t errcap);
typedef int (*office_attachment_fn)(void *ctx, const office_attachment *a);
/* 1 and fn called (data included) if found, 0 if not, negative on error. */
int office_attachment_get(store *s, const char *key, office_attachment_fn fn, void *ctx, char *err,
                          size_t errcap);
/* 1 if the attachment is referenced by a case currently assigned to unit (as an attachment
 * of the report or evidence of an event) or by a ledger change made for unit; 0 if not. */
int office_attachment_visible(store *s, const char *key, const char *unit, char *err,
                              size_t errcap);

/* ---- cases ------------------------------------------------------------------------- */

/* A case as stored. State, source, category as service/case.h names them. */
typedef struct office_case {
    int64_t id;
    const char *tracking; /* "XXXX-XXXX-XXXX", unique */
    const char *source, *category, *state;
    const char *location;
    double lon, lat; /* 0, 0 if unknown */
    const char *description;
    const char *const *attachments; /* attachment keys */
    size_t n_attachments;
    const char *unit; /* assigned unit, NULL before assignment */
    int64_t deadline_utc;
    int supervision; /* 0, 1 督办, 2 挂牌督办 */
    int64_t overdue_since_utc;
    int64_t created_utc, closed_utc;
    uint32_t reopen_count;
    const char *created_by;       /* user name, or "public" */
    const char *reporter_name;    /* public reports: optional; NULL if none */
    const char *reporter_contact; /* public reports: optional phone/e-mail; NULL if none */
    int64_t updated_utc;
    uint32_t n_events;
} office_case;
typedef int (*office_case_fn)(void *ctx, const office_case *c);

/* One event of a case's log (service/case.h case_event, as text). */
typedef struct office_event {
    int64_t case_id;
    uint32_t seq; /* 1, 2, ...: (case_id, seq) is unique */
    int64_t at_utc;
    const char *action, *from_state, *to_state;
    const char *actor, *role;
    const char *reason; /* NULL if none */
    const char *unit;   /* NULL if none */
    int64_t deadline_utc;
    int level;
    const char *const *evidence; /* attachment keys */
    size_t n_evidence;
    const char *finding; /* verify: "confirmed", "explained", "false_alarm"; NULL if none */
} office_event;
typedef int (*office_event_fn)(void *ctx, const office_event *e);

/* Insert a new case (c->id ignored; tracking must be new); *id_out receives its id. */
int office_case_insert(store *s, const office_case *c, int64_t *id_out, char *err, size_t errcap);
/* Update the mutable fields of case c->id: state, unit, deadline_utc, supervision,
 * overdue_since_utc, closed_utc, reopen_count, updated_utc. 0, or negative (also when the
 * case does not exist). */
int office_case_update(store *s, const office_case *c, char *err, size_t errcap);
/* Append an event; refused (negative) when (case_id, seq) exists or seq is not the next. */
int office_event_append(store *s, const office_event *e, char *err, size_t errcap);

/* 1 and fn called if found, 0 if not, negative on error. */
int office_case_get(store *s, int64_t id, office_case_fn fn, void *ctx, char *err, size_t errcap);
/* The id of the case with that (canonical) tracking code: 1 and *id_out, 0, or negative. */
int office_case_by_tracking(store *s, const char *tracking, int64_t *id_out, char *err,
                            size_t errcap);
/* Events of a case in seq order. */
int office_events_each(store *s, int64_t case_id, office_event_fn fn, void *ctx, char *err,
                       size_t errcap);

typedef struct office_case_filter {
    const char *state;        /* NULL = any */
    const char *unit;         /* NULL = any; cases currently assigned to this unit */
    const char *category;     /* NULL = any */
    const char *source;       /* NULL = any */
    const char *created_by;   /* NULL = any */
    int min_supervision;      /* 0 = any; 1 = 督办 or more, 2 = 挂牌督办 */
    int64_t from_utc, to_utc; /* created in [from, to); a bound of 0 is open */
    int64_t limit, offset;    /* limit 0 = no limit */
} office_case_filter;
/* Matching cases, newest first (created_utc, then id, descending); *total (may be NULL)
 * receives the number of matches without limit/offset. */
int office_cases_each(store *s, const office_case_filter *f, int64_t *total, office_case_fn fn,
                      void *ctx, char *err, size_t errcap);
/* Counts of cases by state (key = state name, in name order) for summaries: of every case,
 * or of the cases currently assigned to unit when unit is not NULL. */
typedef int (*office_count_fn)(void *ctx, const char *key, int64_t n);
int office_case_counts(store *s, const char *unit, office_count_fn fn, void *ctx, char *err,
                       size_t errcap);
/* What a case summary shows beside the counts by state, of every case or of unit's: cases
 * whose unit still owes the work (assigned, reopened, rectifying) past their deadline
 * (deadline_utc < now_utc), and open cases (not closed or rejected) at 督办 and at 挂牌督办.
 * Counted by the database, so a summary never reads the cases themselves. */
typedef struct office_case_tally {
    int64_t overdue, duban, listed;
} office_case_tally;
int office_case_tally_get(store *s, const char *unit, int64_t now_utc, office_case_tally *out,
                          char *err, size_t errcap);
/* Ids of cases whose unit still owes work (state assigned, reopened or rectifying) with a
 * deadline at or before now_utc and supervision below 2, oldest deadline first. */
typedef int (*office_id_fn)(void *ctx, int64_t id);
int office_cases_overdue(store *s, int64_t now_utc, office_id_fn fn, void *ctx, char *err,
                         size_t errcap);

/* ---- rewards for confirmed public reports ----------------------------------------- */

typedef struct office_reward {
    int64_t case_id;
    const char *status; /* "due" (confirmed, to be paid), "paid", "declined" */
    int64_t amount_fen; /* in fen (0.01 yuan) */
    const char *decided_by;
    int64_t decided_utc;
    int64_t paid_utc; /* 0 unless paid */
    const char *note; /* NULL if none */
} office_reward;
typedef int (*office_reward_fn)(void *ctx, const office_reward *r);
/* Insert or replace the reward record of a case. */
int office_reward_put(store *s, const office_reward *r, char *err, size_t errcap);
int office_reward_get(store *s, int64_t case_id, office_reward_fn fn, void *ctx, char *err,
                      size_t errcap);
int office_rewards_each(store *s, office_reward_fn fn, void *ctx, char *err, size_t errcap);

/* ---- the plan ledger --------------------------------------------------------------- */

/* The current state of a task of a plan (service/ledger.h ledger_task_state). */
typedef struct office_task {
    const char *plan_id, *task_id;
    int progress_pct;
    bool done;
    int64_t done_utc;
    int64_t updated_utc;
} office_task;
typedef int (*office_task_fn)(void *ctx, const office_task *t);
int office_task_put(store *s, const office_task *t, char *err, size_t errcap);
int office_tasks_each(store *s, const char *plan_id, office_task_fn fn, void *ctx, char *err,
                      size_t errcap);

/* The latest reported value of a reported target. */
typedef struct office_target_value {
    const char *plan_id, *target_id;
    double value;
    const char *unit; /* the plan unit that reported it */
    int64_t reported_utc;
} office_target_value;
typedef int (*office_target_value_fn)(void *ctx, const office_target_value *v);
int office_target_value_put(store *s, const office_target_value *v, char *err, size_t errcap);
int office_target_values_each(store *s, const char *plan_id, office_target_value_fn fn, void *ctx,
                              char *err, size_t errcap);

/* One ledger change (service/ledger.h ledger_change, as text). Append-only. */
typedef struct office_change {
    int64_t id;
    const char *plan_id;
    int64_t at_utc;
    const char *actor, *role, *unit;
    const char *object;    /* "task" or "target" */
    const char *object_id; /* task or target id */
    const char *field;     /* "progress", "done", "value" */
    const char *old_value, *new_value;
    const char *note;            /* NULL if none */
    const char *const *evidence; /* attachment keys */
    size_t n_evidence;
} office_change;
typedef int (*office_change_fn)(void *ctx, const office_change *c);
int office_change_append(store *s, const office_change *c, int64_t *id_out, char *err,
                         size_t errcap);
typedef struct office_change_filter {
    const char *plan_id;      /* required */
    const char *object;       /* NULL = both */
    const char *object_id;    /* NULL = any */
    const char *unit;         /* NULL = any */
    int64_t from_utc, to_utc; /* at_utc in [from, to); a bound of 0 is open */
    int64_t limit, offset;    /* limit 0 = no limit */
} office_change_filter;
/* Newest first; *total (may be NULL) = matches without paging. */
int office_changes_each(store *s, const office_change_filter *f, int64_t *total,
                        office_change_fn fn, void *ctx, char *err, size_t errcap);

#endif
