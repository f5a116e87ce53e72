/* http_office_util: what the office route files (http_account.c, http_case.c,
 * http_ledger.c) share — request-body readers that answer 4xx, rendering of times and case
 * rows, the audit and rate-limit calls. Header-only (static inline): internal to net/. */
#ifndef EW_NET_HTTP_OFFICE_UTIL_H
#define EW_NET_HTTP_OFFICE_UTIL_H
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "net/http_internal.h"
#include "service/account.h"
#include "service/audit.h"
#include "service/casework.h"
#include "service/ledger.h"
#include "service/ledgerbook.h"
#include "service/reward.h"
#include "service/scores.h"
#include "service/worklist.h"
#include "store/office.h"

#define RATE_WINDOW_S 3600

/* ---- small helpers ------------------------------------------------------------------ */

static inline json_t *iso(int64_t t_utc)
{
    char b[32];
    ew_format_iso_bj(t_utc, b, sizeof b);
    return json_string(b);
}

static inline json_t *iso_or_null(int64_t t_utc)
{
    return t_utc ? iso(t_utc) : json_null();
}

static inline json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *jstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v && *v ? v : NULL;
}

static inline json_t *day_json(int64_t day)
{
    char b[16];
    ew_format_day(day, b, sizeof b);
    return json_string(b);
}

/* Answer 422 invalid; returns 422. */
static inline int invalid(http_resp *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline int invalid(http_resp *out, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return http_error(out, 422, "invalid", "%s", msg);
}

static inline int store_err(http_resp *out, const char *err)
{
    return http_error(out, 500, "database_error", "%s", err);
}

static inline int need_plan(http_req *r, http_resp *out)
{
    if (!r->plan)
        return http_error(out, 500, "plan_unreadable", "%s", r->plan_err);
    return 0;
}

/* A time argument of a body: "YYYY-MM-DD" means the end of that Beijing day (a deadline
 * day ends at the following midnight), a time means that instant. 0 if absent, -1 if bad. */
static inline int body_time(json_t *o, const char *k, int64_t *t)
{
    const char *v = jstr(o, k);
    *t = 0;
    if (!v)
        return 0;
    ew_civil c;
    if (ew_parse_iso(v, strlen(v), &c))
        return -1;
    *t = strlen(v) == 10 ? plan_day_end_utc(ew_days_from_civil(c.year, c.mon, c.day))
                         : ew_bj_to_utc(&c);
    return 0;
}

/* Attachment keys of a body array, copied into the request's arena. 0, or -1 when the value
 * is not an array of strings. */
static inline int body_keys(http_req *r, json_t *o, const char *k, const char ***keys, size_t *n)
{
    json_t *a = json_object_get(o, k);
    *keys = NULL;
    *n = 0;
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 32)
        return -1;
    const char **v = arena_alloc(&r->ar, (json_array_size(a) + 1) * sizeof *v);
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        if (!json_is_string(e))
            return -1;
        v[i] = http_strdup(&r->ar, json_string_value(e));
    }
    *keys = v;
    *n = json_array_size(a);
    return 0;
}

static inline int att_exists_cb(void *ctx, const office_attachment *a)
{
    (void)ctx, (void)a;
    return 0;
}

/* Every key names a stored attachment: 0, or answers 422 and returns 422. */
static inline int keys_exist(http_req *r, http_resp *out, const char *const *keys, size_t n)
{
    char err[256];
    for (size_t i = 0; i < n; i++) {
        int rc = office_attachment_get(r->office, keys[i], att_exists_cb, NULL, err, sizeof err);
        if (rc < 0)
            return store_err(out, err);
        if (rc == 0)
            return http_error(out, 422, "invalid", "no attachment %s (upload it first)", keys[i]);
    }
    return 0;
}

/* The "evidence" of a body: attachment keys, each already uploaded. 0, or answers 422 (not a
 * list of keys, an unknown key) or 500 and returns that status. */
static inline int body_evidence(http_req *r, http_resp *out, json_t *b, const char ***ev, size_t *n)
{
    if (body_keys(r, b, "evidence", ev, n))
        return invalid(out, "evidence must be a list of attachment keys");
    return keys_exist(r, out, *ev, *n);
}

static inline json_t *keys_json(const char *const *keys, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(keys[i]));
    return a;
}

static inline int audit(http_req *r, const char *actor, const char *action, const char *object,
                        const char *detail)
{
    char err[300];
    int rc = audit_note(r->office, r->now_utc, actor, action, object, detail, r->addr, err,
                        sizeof err);
    if (rc < 0)
        ew_log(EW_LOG_ERROR, "http.audit", "err=\"%s\"", err);
    return rc;
}

/* A rate limit hit for key+address; true (and a 429 answered) when over max per hour. */
static inline bool rate_limited(http_req *r, http_resp *out, const char *what, int max)
{
    char key[160], err[256];
    snprintf(key, sizeof key, "%s:%s", what, r->addr);
    int n = office_rate_hit(r->office, key, r->now_utc, RATE_WINDOW_S, err, sizeof err);
    if (n < 0) {
        store_err(out, err);
        return true;
    }
    if (n > max) {
        http_error(out, 429, "rate_limited", "at most %d %s per hour from one address", max, what);
        out->retry_after_s = RATE_WINDOW_S - (r->now_utc % RATE_WINDOW_S);
        return true;
    }
    return false;
}

static inline json_t *user_json(const char *name, const char *display, const char *role,
                                const char *org)
{
    return json_pack("{s:s,s:s,s:s,s:o}", "name", name, "display", display ? display : name, "role",
                     role, "org", str_or_null(org));
}

static inline json_t *me_json(http_req *r)
{
    return r->logged_in
               ? user_json(r->who.name, r->display, auth_role_name(r->who.role), r->who.org)
               : json_null();
}

/* ---- names of the case machine ------------------------------------------------------ */

/* An action a caller may ask for: any transition name, not "create" (cases open by POST). */
static inline int parse_action(const char *s, case_action *out)
{
    return case_action_parse(s, out) || *out == CASE_ACT_CREATE ? -1 : 0;
}

static const char *state_zh(const char *name)
{
    case_state st;
    return case_state_parse(name, &st) ? "" : case_state_label_zh(st);
}

static const char *category_zh(const char *name)
{
    case_category c;
    return case_category_parse(name, &c) ? "" : case_category_label_zh(c);
}

/* case_owes_work for a stored state name (unknown names owe nothing). */
static inline bool owes_work(const char *state)
{
    case_state st;
    return !case_state_parse(state, &st) && case_owes_work(st);
}

static const char *unit_name(http_req *r, const char *id)
{
    const plan_unit *u = id && r->plan ? plan_unit_by_id(r->plan, id) : NULL;
    return u ? u->name : id;
}

static inline json_t *case_row(http_req *r, const office_case *c)
{
    json_t *row =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:i,s:b,s:o,s:o}", "id",
                  (json_int_t)c->id, "tracking", c->tracking, "source", c->source, "category",
                  c->category, "category_zh", category_zh(c->category), "state", c->state,
                  "state_zh", state_zh(c->state), "location", c->location ? c->location : "",
                  "unit", str_or_null(c->unit), "unit_name", str_or_null(unit_name(r, c->unit)),
                  "deadline", iso_or_null(c->deadline_utc), "supervision", c->supervision,
                  "overdue", owes_work(c->state) && c->deadline_utc && r->now_utc > c->deadline_utc,
                  "created", iso(c->created_utc), "updated", iso(c->updated_utc));
    /* Where, for the map: 0, 0 is "not given" (case.h), shown as null. */
    bool located = c->lon != 0 || c->lat != 0;
    json_object_set_new(row, "lon", located ? json_real(c->lon) : json_null());
    json_object_set_new(row, "lat", located ? json_real(c->lat) : json_null());
    return row;
}

typedef struct {
    http_req *r;
    json_t *rows;
} rows_ctx;

#endif
