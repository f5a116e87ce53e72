/* case: the case state machine and its audit log (contract and diagram in case.h). */
#include "service/case.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"

const case_policy case_policy_default = {
    .listing_after_s = 7 * 86400,  /* a week overdue after 督办 → 挂牌督办 */
    .reopen_window_s = 90 * 86400, /* recurrence within a quarter reopens the same case */
};

/* The transitions, as data. Anything not listed is refused. EXTEND and ESCALATE keep the
 * state: they act on the deadline and the supervision level. */
typedef struct {
    case_state from;
    case_action action;
    case_state to;
} transition;

static const transition transitions[] = {
    {CASE_REPORTED, CASE_ACT_ACCEPT, CASE_ACCEPTED},
    {CASE_REPORTED, CASE_ACT_REJECT, CASE_REJECTED},
    {CASE_REJECTED, CASE_ACT_REOPEN, CASE_REPORTED},
    {CASE_ACCEPTED, CASE_ACT_ASSIGN, CASE_ASSIGNED},
    {CASE_ASSIGNED, CASE_ACT_SIGN, CASE_RECTIFYING},
    {CASE_REOPENED, CASE_ACT_SIGN, CASE_RECTIFYING},
    {CASE_ASSIGNED, CASE_ACT_SEND_BACK, CASE_ACCEPTED},
    {CASE_REOPENED, CASE_ACT_SEND_BACK, CASE_ACCEPTED},
    {CASE_RECTIFYING, CASE_ACT_SUBMIT, CASE_RECTIFIED},
    {CASE_RECTIFIED, CASE_ACT_RETURN, CASE_RECTIFYING},
    {CASE_RECTIFIED, CASE_ACT_VERIFY, CASE_CLOSED},
    {CASE_CLOSED, CASE_ACT_REOPEN, CASE_REOPENED},
    {CASE_ASSIGNED, CASE_ACT_EXTEND, CASE_ASSIGNED},
    {CASE_REOPENED, CASE_ACT_EXTEND, CASE_REOPENED},
    {CASE_RECTIFYING, CASE_ACT_EXTEND, CASE_RECTIFYING},
    {CASE_ASSIGNED, CASE_ACT_ESCALATE, CASE_ASSIGNED},
    {CASE_REOPENED, CASE_ACT_ESCALATE, CASE_REOPENED},
    {CASE_RECTIFYING, CASE_ACT_ESCALATE, CASE_RECTIFYING},
};

/* The permission each transition needs (service/auth.h). */
static const auth_action needs[CASE_ACTION_COUNT] = {
    [CASE_ACT_CREATE] = AUTH_CASE_REPORT, [CASE_ACT_ACCEPT] = AUTH_CASE_ACCEPT,
    [CASE_ACT_REJECT] = AUTH_CASE_REJECT, [CASE_ACT_ASSIGN] = AUTH_CASE_ASSIGN,
    [CASE_ACT_SIGN] = AUTH_CASE_SIGN,     [CASE_ACT_SEND_BACK] = AUTH_CASE_SEND_BACK,
    [CASE_ACT_SUBMIT] = AUTH_CASE_SUBMIT, [CASE_ACT_RETURN] = AUTH_CASE_RETURN,
    [CASE_ACT_VERIFY] = AUTH_CASE_VERIFY, [CASE_ACT_REOPEN] = AUTH_CASE_REOPEN,
    [CASE_ACT_EXTEND] = AUTH_CASE_EXTEND, [CASE_ACT_ESCALATE] = AUTH_CASE_ESCALATE,
};

static const char *const state_names[CASE_STATE_COUNT] = {"reported", "rejected",   "accepted",
                                                          "assigned", "rectifying", "rectified",
                                                          "closed",   "reopened"};
static const char *const state_zh[CASE_STATE_COUNT] = {
    "待受理", "不予受理", "已受理", "已交办", "整改中", "已整改待核查", "已销号", "重新交办"};
static const char *const action_names[CASE_ACTION_COUNT] = {
    "create", "accept", "reject", "assign", "sign",   "send_back",
    "submit", "return", "verify", "reopen", "extend", "escalate"};
static const char *const source_names[CASE_SOURCE_COUNT] = {
    "monitoring_alert", "inspection", "inspection_feedback", "public_report", "fire_point"};
static const char *const category_names[CASE_CATEGORY_COUNT] = {
    "dust",      "open_burning",   "exceedance", "data_falsification", "black_odorous_water",
    "fireworks", "scattered_coal", "other"};
static const char *const category_zh[CASE_CATEGORY_COUNT] = {
    "扬尘", "露天焚烧", "超标排放", "数据造假", "黑臭水体", "烟花爆竹", "散煤", "其他"};
static const char *const finding_names[CASE_FINDING_COUNT] = {"none", "confirmed", "explained",
                                                              "false_alarm"};
static const char *const finding_zh[CASE_FINDING_COUNT] = {"未记录", "属实", "有合理说明", "误报"};

#define NAME(tab, i, n) ((unsigned)(i) < (n) ? (tab)[i] : "?")
const char *case_state_name(case_state s)
{
    return NAME(state_names, s, CASE_STATE_COUNT);
}
const char *case_state_label_zh(case_state s)
{
    return NAME(state_zh, s, CASE_STATE_COUNT);
}
const char *case_action_name(case_action a)
{
    return NAME(action_names, a, CASE_ACTION_COUNT);
}
const char *case_source_name(case_source s)
{
    return NAME(source_names, s, CASE_SOURCE_COUNT);
}
const char *case_category_name(case_category c)
{
    return NAME(category_names, c, CASE_CATEGORY_COUNT);
}
const char *case_category_label_zh(case_category c)
{
    return NAME(category_zh, c, CASE_CATEGORY_COUNT);
}
const char *case_finding_name(case_finding f)
{
    return NAME(finding_names, f, CASE_FINDING_COUNT);
}
const char *case_finding_label_zh(case_finding f)
{
    return NAME(finding_zh, f, CASE_FINDING_COUNT);
}

case_state case_next_state(case_state s, case_action a)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == s && transitions[i].action == a)
            return transitions[i].to;
    return CASE_STATE_COUNT;
}

bool case_transition_allowed(case_state s, case_action a)
{
    return case_next_state(s, a) != CASE_STATE_COUNT;
}

/* Whether who's role and unit allow a on c: the permission check of case_apply and case_may,
 * scoped to the case's assigned unit (a unit may act only on its own cases). */
static auth_decision permits(const ew_case *c, case_action a, const case_actor *who)
{
    return auth_decide(who->role, who->org, c->unit, needs[a]);
}

static bool is_transition(case_action a)
{
    return (unsigned)a < CASE_ACTION_COUNT && a != CASE_ACT_CREATE;
}

bool case_may(const ew_case *c, case_action a, const case_actor *who)
{
    return is_transition(a) && case_transition_allowed(c->state, a) && permits(c, a, who).allow;
}

static int err_set(case_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int err_set(case_error *err, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}

static const char *dup_or_null(ew_case *c, const char *s)
{
    return s ? arena_strndup(&c->mem, s, strlen(s)) : NULL;
}

static const char *const *dup_list(ew_case *c, const char *const *v, size_t n)
{
    if (!n)
        return NULL;
    const char **out = arena_alloc(&c->mem, n * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = arena_strndup(&c->mem, v[i], strlen(v[i]));
    return out;
}

/* Append an event; strings are copied into the case's arena. */
static case_event *log_event(ew_case *c, case_action a, case_state from, case_state to,
                             const case_actor *who, int64_t now_utc, const char *reason)
{
    if (c->n_events == c->cap_events) {
        c->cap_events = c->cap_events ? 2 * c->cap_events : 8;
        c->events = xrealloc(c->events, c->cap_events * sizeof *c->events);
    }
    case_event *e = &c->events[c->n_events];
    memset(e, 0, sizeof *e);
    e->seq = (uint32_t)++c->n_events;
    e->at_utc = now_utc;
    e->action = a;
    e->from = from;
    e->to = to;
    e->actor = dup_or_null(c, who->name ? who->name : "?");
    e->role = who->role;
    e->reason = reason && *reason ? dup_or_null(c, reason) : NULL;
    return e;
}

void case_tracking_code(char *buf)
{
    static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    _Static_assert(sizeof alphabet - 1 == 31, "31 symbols");
    if (sodium_init() < 0)
        abort(); /* no entropy source: no unguessable code can be made */
    size_t k = 0;
    for (int i = 0; i < 12; i++) {
        if (i && i % 4 == 0)
            buf[k++] = '-';
        buf[k++] = alphabet[randombytes_uniform(31)];
    }
    buf[k] = '\0';
}

int case_tracking_normalize(const char *in, char *out)
{
    static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    size_t k = 0, n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        char ch = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
        if (!strchr(alphabet, ch) || n == 12)
            return -1;
        if (n && n % 4 == 0)
            out[k++] = '-';
        out[k++] = ch;
        n++;
    }
    out[k] = '\0';
    return n == 12 ? 0 : -1;
}

ew_case *case_open(const case_report *r, const case_actor *who, int64_t now_utc, case_error *err)
{
    if ((unsigned)r->source >= CASE_SOURCE_COUNT || (unsigned)r->category >= CASE_CATEGORY_COUNT) {
        err_set(err, CASE_E_INVALID, "unknown source or category");
        return NULL;
    }
    if (!r->location || !*r->location) {
        err_set(err, CASE_E_INVALID, "a case needs a location");
        return NULL;
    }
    if (!r->description || !*r->description) {
        err_set(err, CASE_E_INVALID, "a case needs a description");
        return NULL;
    }
    auth_decision d = auth_decide(who->role, who->org, NULL, AUTH_CASE_REPORT);
    if (!d.allow) {
        err_set(err, CASE_E_DENIED, "denied: %s", d.reason);
        return NULL;
    }
    /* Members of the public and enterprises can only report: alerts, inspections and their
     * feedback, and fire points come from the bureau's own channels. */
    if ((who->role == EW_ROLE_PUBLIC || who->role == EW_ROLE_ENTERPRISE) &&
        r->source != CASE_SRC_PUBLIC_REPORT) {
        err_set(err, CASE_E_DENIED, "denied: role %s may only open cases of source public_report",
                auth_role_name(who->role));
        return NULL;
    }
    ew_case *c = xcalloc(1, sizeof *c);
    arena_init(&c->mem, 4096);
    c->source = r->source;
    c->category = r->category;
    c->location = arena_strndup(&c->mem, r->location, strlen(r->location));
    c->description = arena_strndup(&c->mem, r->description, strlen(r->description));
    c->lon = r->lon;
    c->lat = r->lat;
    c->attachments = dup_list(c, r->attachments, r->n_attachments);
    c->n_attachments = r->n_attachments;
    case_tracking_code(c->tracking);
    c->state = CASE_REPORTED;
    c->created_utc = now_utc;
    log_event(c, CASE_ACT_CREATE, CASE_REPORTED, CASE_REPORTED, who, now_utc, NULL);
    return c;
}

void case_free(ew_case *c)
{
    if (!c)
        return;
    free(c->events);
    arena_free(&c->mem);
    free(c);
}

static bool reason_given(const case_cmd *cmd)
{
    return cmd->reason && *cmd->reason;
}

static void iso(int64_t t, char *buf, size_t cap)
{
    ew_format_iso_bj(t, buf, cap);
}

/* Everything that can refuse the command, before anything changes. */
static int validate(const ew_case *c, const case_cmd *cmd, const case_actor *who, int64_t now_utc,
                    const case_policy *pol, case_error *err)
{
    case_action a = cmd->action;
    if (!is_transition(a))
        return err_set(err, CASE_E_INVALID, "not a transition: %s", case_action_name(a));
    if (!case_transition_allowed(c->state, a)) {
        char from[128] = "";
        size_t k = 0;
        for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
            if (transitions[i].action == a && k < sizeof from)
                k += (size_t)snprintf(from + k, sizeof from - k, "%s%s", k ? ", " : "",
                                      state_names[transitions[i].from]);
        return err_set(err, CASE_E_STATE,
                       "cannot %s a case that is %s (%s); %s is allowed from: %s", action_names[a],
                       state_names[c->state], state_zh[c->state], action_names[a], from);
    }
    auth_decision d = permits(c, a, who);
    if (!d.allow)
        return err_set(err, CASE_E_DENIED, "denied: %s", d.reason);
    char buf[32];
    switch (a) {
    case CASE_ACT_REJECT:
    case CASE_ACT_SEND_BACK:
    case CASE_ACT_RETURN:
    case CASE_ACT_EXTEND:
    case CASE_ACT_ESCALATE:
    case CASE_ACT_REOPEN:
        if (!reason_given(cmd))
            return err_set(err, CASE_E_INVALID, "%s needs a reason", action_names[a]);
        break;
    default:
        break;
    }
    if (a == CASE_ACT_ASSIGN && (!cmd->unit || !*cmd->unit))
        return err_set(err, CASE_E_INVALID, "assign needs a unit");
    bool sets_deadline = a == CASE_ACT_ASSIGN || a == CASE_ACT_EXTEND ||
                         (a == CASE_ACT_REOPEN && c->state == CASE_CLOSED);
    if (sets_deadline && cmd->deadline_utc <= now_utc)
        return err_set(err, CASE_E_INVALID, "%s needs a deadline after now", action_names[a]);
    if (a == CASE_ACT_EXTEND && cmd->deadline_utc <= c->deadline_utc) {
        iso(c->deadline_utc, buf, sizeof buf);
        return err_set(err, CASE_E_INVALID, "extend must move the deadline past %s", buf);
    }
    if (a == CASE_ACT_SUBMIT && cmd->n_evidence == 0)
        return err_set(err, CASE_E_INVALID, "submit needs at least one piece of evidence");
    if ((unsigned)cmd->finding >= CASE_FINDING_COUNT)
        return err_set(err, CASE_E_INVALID, "unknown finding");
    if (a != CASE_ACT_VERIFY && cmd->finding != CASE_FINDING_NONE)
        return err_set(err, CASE_E_INVALID, "a finding is recorded with verify only");
    if (a == CASE_ACT_VERIFY && c->source == CASE_SRC_MONITORING_ALERT &&
        cmd->finding == CASE_FINDING_NONE)
        return err_set(err, CASE_E_INVALID,
                       "verify of a monitoring alert's case needs a finding: confirmed, "
                       "explained or false_alarm (核查结论)");
    if (a == CASE_ACT_ESCALATE && c->supervision >= CASE_SUPERVISION_LISTED)
        return err_set(err, CASE_E_INVALID, "the case is already at the highest level (挂牌督办)");
    if (a == CASE_ACT_REOPEN && c->state == CASE_CLOSED && pol->reopen_window_s > 0 &&
        now_utc - c->closed_utc > pol->reopen_window_s) {
        iso(c->closed_utc, buf, sizeof buf);
        return err_set(err, CASE_E_INVALID,
                       "reopen is allowed within %lld days of closing; closed %s: open a new case",
                       (long long)(pol->reopen_window_s / 86400), buf);
    }
    return 0;
}

int case_apply(ew_case *c, const case_cmd *cmd, const case_actor *who, int64_t now_utc,
               const case_policy *pol, case_error *err)
{
    if (!pol)
        pol = &case_policy_default;
    int rc = validate(c, cmd, who, now_utc, pol, err);
    if (rc)
        return rc;
    case_action a = cmd->action;
    case_state from = c->state, to = case_next_state(from, a);
    case_event *e = log_event(c, a, from, to, who, now_utc, cmd->reason);
    switch (a) {
    case CASE_ACT_ASSIGN:
        c->unit = dup_or_null(c, cmd->unit);
        c->deadline_utc = cmd->deadline_utc;
        e->unit = c->unit;
        e->deadline_utc = c->deadline_utc;
        break;
    case CASE_ACT_SEND_BACK:
        /* The wrong unit is out of the case; supervision restarts with the next assignment. */
        c->unit = NULL;
        c->deadline_utc = 0;
        c->supervision = CASE_SUPERVISION_NONE;
        c->overdue_since_utc = 0;
        break;
    case CASE_ACT_EXTEND:
        c->deadline_utc = cmd->deadline_utc;
        e->deadline_utc = c->deadline_utc;
        break;
    case CASE_ACT_SUBMIT:
        e->evidence = dup_list(c, cmd->evidence, cmd->n_evidence);
        e->n_evidence = cmd->n_evidence;
        break;
    case CASE_ACT_VERIFY:
        c->closed_utc = now_utc;
        c->finding = e->finding = cmd->finding;
        break;
    case CASE_ACT_REOPEN:
        if (from == CASE_CLOSED) {
            /* A new rectification cycle: same case and history, new deadline, level 0. */
            if (cmd->unit && *cmd->unit)
                c->unit = dup_or_null(c, cmd->unit);
            c->deadline_utc = cmd->deadline_utc;
            c->supervision = CASE_SUPERVISION_NONE;
            c->overdue_since_utc = 0;
            c->closed_utc = 0;
            c->finding = CASE_FINDING_NONE;
            c->reopen_count++;
            e->unit = c->unit;
            e->deadline_utc = c->deadline_utc;
        }
        break;
    case CASE_ACT_ESCALATE:
        c->supervision++;
        e->level = c->supervision;
        if (!c->overdue_since_utc)
            c->overdue_since_utc = now_utc;
        break;
    default:
        break;
    }
    c->state = to;
    return 0;
}

bool case_owes_work(case_state s)
{
    return s == CASE_ASSIGNED || s == CASE_REOPENED || s == CASE_RECTIFYING;
}

int case_supervision_due(const ew_case *c, int64_t now_utc, const case_policy *pol)
{
    int due = CASE_SUPERVISION_NONE;
    if (case_owes_work(c->state) && c->deadline_utc > 0 && now_utc >= c->deadline_utc) {
        due = CASE_SUPERVISION_DUBAN;
        if (now_utc >= c->deadline_utc + pol->listing_after_s)
            due = CASE_SUPERVISION_LISTED;
    }
    return due > c->supervision ? due : c->supervision;
}

int case_escalate(ew_case *c, int64_t now_utc, const case_policy *pol)
{
    int due = case_supervision_due(c, now_utc, pol), raised = 0;
    static const case_actor sys = {.name = "system", .role = EW_ROLE_ADMIN};
    while (c->supervision < due) {
        c->supervision++;
        if (!c->overdue_since_utc)
            c->overdue_since_utc = c->deadline_utc;
        case_event *e = log_event(c, CASE_ACT_ESCALATE, c->state, c->state, &sys, now_utc,
                                  c->supervision == CASE_SUPERVISION_DUBAN
                                      ? "rectification deadline passed: 督办"
                                      : "still overdue after the listing period: 挂牌督办");
        e->level = c->supervision;
        raised++;
    }
    return raised;
}

/* ---- names back to values, and cases rebuilt from storage ---- */

static int parse_name(const char *const *tab, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(tab[i], s)) {
            *out = i;
            return 0;
        }
    return -1;
}

int case_state_parse(const char *s, case_state *out)
{
    int v;
    if (parse_name(state_names, CASE_STATE_COUNT, s, &v) < 0)
        return -1;
    *out = (case_state)v;
    return 0;
}

int case_action_parse(const char *s, case_action *out)
{
    int v;
    if (parse_name(action_names, CASE_ACTION_COUNT, s, &v) < 0)
        return -1;
    *out = (case_action)v;
    return 0;
}

int case_source_parse(const char *s, case_source *out)
{
    int v;
    if (parse_name(source_names, CASE_SOURCE_COUNT, s, &v) < 0)
        return -1;
    *out = (case_source)v;
    return 0;
}

int case_finding_parse(const char *s, case_finding *out)
{
    int v;
    if (parse_name(finding_names, CASE_FINDING_COUNT, s, &v) < 0)
        return -1;
    *out = (case_finding)v;
    return 0;
}

int case_category_parse(const char *s, case_category *out)
{
    int v;
    if (parse_name(category_names, CASE_CATEGORY_COUNT, s, &v) < 0)
        return -1;
    *out = (case_category)v;
    return 0;
}

ew_case *case_restore(const case_snapshot *snap, case_error *err)
{
    const case_report *r = &snap->report;
    char canon[CASE_TRACKING_LEN + 1];
    if ((unsigned)r->source >= CASE_SOURCE_COUNT || (unsigned)r->category >= CASE_CATEGORY_COUNT ||
        (unsigned)snap->state >= CASE_STATE_COUNT) {
        err_set(err, CASE_E_INVALID, "unknown source, category or state");
        return NULL;
    }
    if (!snap->tracking || case_tracking_normalize(snap->tracking, canon) < 0 ||
        strcmp(canon, snap->tracking)) {
        err_set(err, CASE_E_INVALID, "not a canonical tracking code: %s",
                snap->tracking ? snap->tracking : "(none)");
        return NULL;
    }
    if (snap->supervision < CASE_SUPERVISION_NONE || snap->supervision > CASE_SUPERVISION_LISTED) {
        err_set(err, CASE_E_INVALID, "supervision level %d out of range", snap->supervision);
        return NULL;
    }
    ew_case *c = xcalloc(1, sizeof *c);
    arena_init(&c->mem, 4096);
    c->source = r->source;
    c->category = r->category;
    c->location = arena_strndup(&c->mem, r->location ? r->location : "",
                                r->location ? strlen(r->location) : 0);
    c->description = arena_strndup(&c->mem, r->description ? r->description : "",
                                   r->description ? strlen(r->description) : 0);
    c->lon = r->lon;
    c->lat = r->lat;
    c->attachments = dup_list(c, r->attachments, r->n_attachments);
    c->n_attachments = r->n_attachments;
    memcpy(c->tracking, canon, sizeof c->tracking);
    c->state = snap->state;
    c->unit = dup_or_null(c, snap->unit);
    c->deadline_utc = snap->deadline_utc;
    c->supervision = snap->supervision;
    c->overdue_since_utc = snap->overdue_since_utc;
    c->created_utc = snap->created_utc;
    c->closed_utc = snap->closed_utc;
    c->reopen_count = snap->reopen_count;
    return c;
}

int case_restore_event(ew_case *c, const case_event *e)
{
    if (e->seq != c->n_events + 1 || (unsigned)e->action >= CASE_ACTION_COUNT ||
        (unsigned)e->from >= CASE_STATE_COUNT || (unsigned)e->to >= CASE_STATE_COUNT ||
        (unsigned)e->role >= EW_ROLE_COUNT || (unsigned)e->finding >= CASE_FINDING_COUNT)
        return CASE_E_INVALID;
    case_actor who = {.name = e->actor, .role = e->role};
    case_event *n = log_event(c, e->action, e->from, e->to, &who, e->at_utc, e->reason);
    n->unit = dup_or_null(c, e->unit);
    n->deadline_utc = e->deadline_utc;
    n->level = e->level;
    n->evidence = dup_list(c, e->evidence, e->n_evidence);
    n->n_evidence = e->n_evidence;
    n->finding = e->finding;
    if (e->action == CASE_ACT_VERIFY)
        c->finding = e->finding;
    else if (e->action == CASE_ACT_REOPEN && e->from == CASE_CLOSED)
        c->finding = CASE_FINDING_NONE;
    return 0;
}
