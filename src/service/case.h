/* case: the closed loop for problems found by monitoring, inspections, higher-level
 * inspection feedback, satellite/video fire points or the public — 发现 → 交办 → 督办 → 整改
 * → 销号 (the zone plan, task 18). Pure state machine: no storage, no clock of its own; the
 * caller passes the time and persists the case and its events.
 *
 *   from        action      to          who (service/auth.h)     needs
 *   reported    accept      accepted    bureau
 *   reported    reject      rejected    bureau                   reason
 *   rejected    reopen      reported    bureau                   reason
 *   accepted    assign      assigned    bureau                   unit, deadline
 *   assigned    sign        rectifying  the assigned unit        (签收)
 *   assigned    send_back   accepted    the assigned unit        reason (wrong unit)
 *   rectifying  submit      rectified   the assigned unit        evidence
 *   rectified   return      rectifying  bureau                   reason (not fixed)
 *   rectified   verify      closed      bureau                   finding (monitoring alerts)
 *   closed      reopen      reopened    bureau                   reason, deadline (recurrence)
 *   reopened    sign, send_back         as from assigned
 *   assigned, reopened, rectifying: extend (reason, later deadline) and escalate (reason)
 *   keep the state. Administrators may do everything.
 *
 * Supervision is an attribute, not a state: when the rectification deadline passes while the
 * unit still owes the work (assigned, reopened, rectifying) the case gets 督办 (level 1); when
 * it stays overdue for case_policy.listing_after_s more, 挂牌督办 (level 2). case_escalate()
 * applies what is due and records it. Extending the deadline does not lower a level already
 * reached; a reopened case starts a new cycle at level 0.
 *
 * Every change, including creation and escalation, appends one event (who, role, when, why)
 * to the case's append-only log. A refused call changes nothing. */
#ifndef EW_SERVICE_CASE_H
#define EW_SERVICE_CASE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "service/auth.h"

typedef enum {
    CASE_REPORTED,   /* 待受理 */
    CASE_REJECTED,   /* 不予受理 */
    CASE_ACCEPTED,   /* 已受理 */
    CASE_ASSIGNED,   /* 已交办 */
    CASE_RECTIFYING, /* 整改中 */
    CASE_RECTIFIED,  /* 已整改待核查 */
    CASE_CLOSED,     /* 已销号 */
    CASE_REOPENED,   /* 复发/重新交办 */
    CASE_STATE_COUNT
} case_state;

typedef enum {
    CASE_SRC_MONITORING_ALERT,    /* an automatic alert from monitoring data */
    CASE_SRC_INSPECTION,          /* the bureau's own inspection */
    CASE_SRC_INSPECTION_FEEDBACK, /* higher-level inspection feedback (督察反馈, task 17) */
    CASE_SRC_PUBLIC_REPORT,       /* the public (随手拍, 12369, task 15) */
    CASE_SRC_FIRE_POINT,          /* satellite or video fire point (task 15) */
    CASE_SOURCE_COUNT
} case_source;

typedef enum {
    CASE_CAT_DUST,                /* 扬尘 (task 13) */
    CASE_CAT_OPEN_BURNING,        /* 露天焚烧 (task 15) */
    CASE_CAT_EXCEEDANCE,          /* 超标排放 */
    CASE_CAT_DATA_FALSIFICATION,  /* 数据造假 (tasks 18, 19) */
    CASE_CAT_BLACK_ODOROUS_WATER, /* 黑臭水体 (task 7) */
    CASE_CAT_FIREWORKS,           /* 烟花爆竹 (task 16) */
    CASE_CAT_SCATTERED_COAL,      /* 散煤 (task 14) */
    CASE_CAT_OTHER,
    CASE_CATEGORY_COUNT
} case_category;

typedef enum {
    CASE_ACT_CREATE, /* only in the log: the first event */
    CASE_ACT_ACCEPT,
    CASE_ACT_REJECT,
    CASE_ACT_ASSIGN,
    CASE_ACT_SIGN,
    CASE_ACT_SEND_BACK,
    CASE_ACT_SUBMIT,
    CASE_ACT_RETURN,
    CASE_ACT_VERIFY,
    CASE_ACT_REOPEN,
    CASE_ACT_EXTEND,
    CASE_ACT_ESCALATE,
    CASE_ACTION_COUNT
} case_action;

enum { CASE_SUPERVISION_NONE = 0, CASE_SUPERVISION_DUBAN = 1, CASE_SUPERVISION_LISTED = 2 };

/* What the bureau found when it closed a case (核查结论), recorded with verify. Required for
 * cases opened by a monitoring alert: it is how the rule catalogue learns each rule's
 * false alarms (issue: "closing a case records the finding and feeds the rule's false-alarm
 * count"); optional for the other sources. A reopened case has no finding until it is
 * verified again; the earlier one stays in its log. */
typedef enum {
    CASE_FINDING_NONE,      /* not recorded */
    CASE_FINDING_CONFIRMED, /* 属实: the problem was real */
    CASE_FINDING_EXPLAINED, /* 情况属实但有合理说明: real data, a legitimate cause (start-up, an
                             * unmarked maintenance, a process upset reported in time) */
    CASE_FINDING_FALSE_ALARM, /* 误报: the rule fired on data that showed no problem */
    CASE_FINDING_COUNT
} case_finding;

/* Errors (negative return values). */
enum { CASE_E_STATE = -1, CASE_E_DENIED = -2, CASE_E_INVALID = -3 };

typedef struct case_error {
    char msg[256];
} case_error;

typedef struct case_policy {
    int64_t listing_after_s; /* overdue this long after 督办 → 挂牌督办; default 7 days */
    int64_t reopen_window_s; /* a closed case may be reopened this long after closing; 0 = always */
} case_policy;
extern const case_policy case_policy_default; /* 7 days, 90 days */

typedef struct case_actor {
    const char *name; /* user name, or "system" for escalation */
    ew_role role;
    const char *org; /* unit id (unit or bureau staff) or enterprise id; NULL if none */
} case_actor;

typedef struct case_event {
    uint32_t seq; /* 1, 2, ... */
    int64_t at_utc;
    case_action action;
    case_state from, to;
    const char *actor;
    ew_role role;
    const char *reason;          /* NULL if none was required or given */
    const char *unit;            /* assign: the unit; else NULL */
    int64_t deadline_utc;        /* assign, extend, reopen: the deadline set; else 0 */
    int level;                   /* escalate: the level reached */
    const char *const *evidence; /* submit: attachments; NULL otherwise */
    size_t n_evidence;
    case_finding finding; /* verify: what was found (may be CASE_FINDING_NONE); else NONE */
} case_event;

typedef struct case_report {
    case_source source;
    case_category category;
    const char *location;           /* address or place name, required */
    double lon, lat;                /* 0, 0 if unknown */
    const char *description;        /* required */
    const char *const *attachments; /* borrowed; copied */
    size_t n_attachments;
} case_report;

#define CASE_TRACKING_LEN 14 /* "XXXX-XXXX-XXXX" */

typedef struct ew_case {
    arena mem; /* every string and the event array live here */
    case_source source;
    case_category category;
    char *location;
    double lon, lat;
    char *description;
    const char *const *attachments;
    size_t n_attachments;
    char tracking[CASE_TRACKING_LEN + 1];
    case_state state;
    const char *unit;          /* assigned unit id, NULL before assignment */
    int64_t deadline_utc;      /* rectification deadline, 0 before assignment */
    int supervision;           /* CASE_SUPERVISION_* */
    int64_t overdue_since_utc; /* deadline that started supervision, 0 if none */
    int64_t created_utc;
    int64_t closed_utc; /* 0 unless closed */
    uint32_t reopen_count;
    case_finding finding; /* of the verify that closed it; NONE while not closed */
    case_event *events;
    size_t n_events, cap_events;
} ew_case;

/* What a transition carries; unused fields stay zero. */
typedef struct case_cmd {
    case_action action;
    const char *reason;          /* required for reject, send_back, return, reopen, extend */
    const char *unit;            /* assign (required); reopen (optional: another unit) */
    int64_t deadline_utc;        /* assign, reopen, extend: must lie after now */
    const char *const *evidence; /* submit: at least one */
    size_t n_evidence;
    case_finding finding; /* verify only: required when the source is monitoring_alert */
} case_cmd;

/* Open a case in state reported, with a fresh tracking code and a CASE_ACT_CREATE event.
 * Returns the case (caller frees with case_free) or NULL with err filled (missing location or
 * description, a role that may not report, a public actor reporting through another source). */
ew_case *case_open(const case_report *r, const case_actor *who, int64_t now_utc, case_error *err);
void case_free(ew_case *c);

/* Apply one transition under pol (NULL: case_policy_default). Returns 0, or CASE_E_STATE (not
 * allowed from the current state), CASE_E_DENIED (the actor's role or unit may not), CASE_E_INVALID
 * (missing reason, unit, evidence, finding, a deadline not in the future, outside the reopen
 * window, a finding given with another action than verify); c unchanged then. */
__attribute__((warn_unused_result)) int case_apply(ew_case *c, const case_cmd *cmd,
                                                   const case_actor *who, int64_t now_utc,
                                                   const case_policy *pol, case_error *err);

/* May who apply action a to c now, as far as the state and who's role and unit go? The same
 * state and permission checks case_apply makes first (a unit only on cases assigned to it);
 * what the command itself must carry (reason, unit, deadline, evidence) is not looked at, so
 * case_apply may still refuse with CASE_E_INVALID. CASE_ACT_CREATE and out-of-range actions:
 * false. For listing the actions a caller is offered. */
bool case_may(const ew_case *c, case_action a, const case_actor *who);

/* The supervision level due at now_utc under pol (not yet applied). */
int case_supervision_due(const ew_case *c, int64_t now_utc, const case_policy *pol);
/* Raise the supervision level to what is due, one event per level, actor "system".
 * Returns the number of levels raised (0, 1 or 2). */
int case_escalate(ew_case *c, int64_t now_utc, const case_policy *pol);

/* Is action allowed from state s (ignoring roles)? */
bool case_transition_allowed(case_state s, case_action a);
/* Does the assigned unit still owe the work in state s (assigned, reopened, rectifying)? The
 * one definition behind supervision, "overdue" and the worklist. */
bool case_owes_work(case_state s);
/* The state a transition leads to from s (CASE_STATE_COUNT if not allowed). */
case_state case_next_state(case_state s, case_action a);

const char *case_state_name(case_state s);       /* "reported", ... */
const char *case_state_label_zh(case_state s);   /* "待受理", ... */
const char *case_action_name(case_action a);     /* "accept", ... */
const char *case_source_name(case_source s);     /* "public_report", ... */
const char *case_category_name(case_category c); /* "open_burning", ... */
const char *case_category_label_zh(case_category c);
const char *case_finding_name(case_finding f);     /* "none", "confirmed", "explained", ... */
const char *case_finding_label_zh(case_finding f); /* "未记录", "属实", ... */

/* Tracking codes for public reports: 12 symbols from a 31-letter alphabet without look-alikes
 * (no 0/O, 1/I/L), drawn with randombytes_uniform, shown as XXXX-XXXX-XXXX: 31^12 ≈ 2^59.4
 * possibilities, so guessing a live code is hopeless. buf needs CASE_TRACKING_LEN + 1 bytes. */
void case_tracking_code(char *buf);
/* Normalise user input (case-insensitive, dashes and spaces optional) into canonical form.
 * Returns 0, or -1 if it is not a well-formed code. out needs CASE_TRACKING_LEN + 1 bytes. */
int case_tracking_normalize(const char *in, char *out);

/* Parse the names above back (the inverse of case_*_name): 0 and *out, or -1 if unknown. */
int case_state_parse(const char *s, case_state *out);
int case_action_parse(const char *s, case_action *out);
int case_source_parse(const char *s, case_source *out);
int case_category_parse(const char *s, case_category *out);
int case_finding_parse(const char *s, case_finding *out);

/* A case as storage keeps it, to rebuild an ew_case without replaying its history. */
typedef struct case_snapshot {
    case_report report;
    const char *tracking; /* canonical code */
    case_state state;
    const char *unit; /* NULL before assignment */
    int64_t deadline_utc;
    int supervision;
    int64_t overdue_since_utc;
    int64_t created_utc, closed_utc;
    uint32_t reopen_count;
} case_snapshot;

/* Rebuild a stored case: every string is copied into the new case's arena; the log is empty
 * until the events are added with case_restore_event in seq order. Returns the case (free
 * with case_free) or NULL with err filled (unknown source, category or state, a tracking
 * code that is not canonical). */
ew_case *case_restore(const case_snapshot *snap, case_error *err);
/* Append a stored event (copied). Returns 0, or CASE_E_INVALID when e->seq is not the next
 * number of the log or its action, states or finding are out of range. A verify event sets
 * the case's finding, a reopen from closed clears it, as case_apply does. */
int case_restore_event(ew_case *c, const case_event *e);

#endif
