/* Tests of src/service/case: every transition allowed and refused, roles per transition,
 * the audit log, supervision escalation timing, tracking codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/case.h"

#define DAY 86400
/* 2025-06-01T09:00:00+08:00 */
#define T0 ((int64_t)1748739600)

static const case_actor public_user = {.name = "anon", .role = EW_ROLE_PUBLIC};
static const case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
static const case_actor town = {.name = "li", .role = EW_ROLE_UNIT, .org = "town-a"};
static const case_actor other_town = {.name = "wang", .role = EW_ROLE_UNIT, .org = "town-b"};
static const case_actor auditor = {.name = "zhao", .role = EW_ROLE_AUDITOR};

static ew_case *open_burning_report(void)
{
    static const char *const photos[] = {"sha256:aa11", "sha256:bb22"};
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = CASE_CAT_OPEN_BURNING,
                     .location = "第九大街与经南五路交叉口东北角",
                     .lon = 113.78,
                     .lat = 34.70,
                     .description = "麦田焚烧秸秆,烟很大",
                     .attachments = photos,
                     .n_attachments = 2};
    case_error err;
    ew_case *c = case_open(&r, &public_user, T0, &err);
    assert_non_null(c);
    return c;
}

static void ok(ew_case *c, case_cmd cmd, const case_actor *who, int64_t now)
{
    case_error err;
    int rc = case_apply(c, &cmd, who, now, NULL, &err);
    if (rc)
        fail_msg("%s: %s", case_action_name(cmd.action), err.msg);
}

static const char *const evidence[] = {"photo:after-1.jpg"};

/* Drive a new case to state s along the main path (assigned to town-a, due T0 + 3 days). */
static ew_case *case_in(case_state s)
{
    ew_case *c = open_burning_report();
    int64_t t = T0;
    if (s == CASE_REPORTED)
        return c;
    if (s == CASE_REJECTED) {
        ok(c, (case_cmd){.action = CASE_ACT_REJECT, .reason = "duplicate of an open case"}, &bureau,
           t);
        return c;
    }
    ok(c, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, t += 600);
    if (s == CASE_ACCEPTED)
        return c;
    ok(c, (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + 3 * DAY},
       &bureau, t += 600);
    if (s == CASE_ASSIGNED)
        return c;
    ok(c, (case_cmd){.action = CASE_ACT_SIGN}, &town, t += 600);
    if (s == CASE_RECTIFYING)
        return c;
    ok(c, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = evidence, .n_evidence = 1}, &town,
       t += 3600);
    if (s == CASE_RECTIFIED)
        return c;
    ok(c, (case_cmd){.action = CASE_ACT_VERIFY}, &bureau, t += 3600);
    if (s == CASE_CLOSED)
        return c;
    t += 600;
    ok(c, (case_cmd){.action = CASE_ACT_REOPEN, .reason = "burning again", .deadline_utc = t + DAY},
       &bureau, t);
    assert_int_equal(s, CASE_REOPENED);
    return c;
}

/* The transition table, written out from the lifecycle (peers.md §3.6 and the issue):
 * rows are states, columns the actions accept..escalate. */
static void transition_table_matches_the_lifecycle(void **state)
{
    (void)state;
    /*                      acc rej asg sgn sbk sub ret ver reo ext esc */
    static const int want[CASE_STATE_COUNT][11] = {
        [CASE_REPORTED] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        [CASE_REJECTED] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
        [CASE_ACCEPTED] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
        [CASE_ASSIGNED] = {0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1},
        [CASE_RECTIFYING] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1},
        [CASE_RECTIFIED] = {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0},
        [CASE_CLOSED] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
        [CASE_REOPENED] = {0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1},
    };
    for (int s = 0; s < CASE_STATE_COUNT; s++)
        for (int a = CASE_ACT_ACCEPT; a < CASE_ACTION_COUNT; a++)
            if (case_transition_allowed((case_state)s, (case_action)a) != want[s][a - 1])
                fail_msg("%s from %s", case_action_name((case_action)a),
                         case_state_name((case_state)s));
    assert_int_equal(case_next_state(CASE_RECTIFIED, CASE_ACT_RETURN), CASE_RECTIFYING);
    assert_int_equal(case_next_state(CASE_CLOSED, CASE_ACT_REOPEN), CASE_REOPENED);
    assert_int_equal(case_next_state(CASE_REJECTED, CASE_ACT_REOPEN), CASE_REPORTED);
    assert_int_equal(case_next_state(CASE_ASSIGNED, CASE_ACT_SEND_BACK), CASE_ACCEPTED);
}

/* Every refused (state, action) pair is refused by case_apply too, with CASE_E_STATE and a
 * message naming where the action is allowed, and the case stays as it was. */
static void refused_transitions_change_nothing(void **state)
{
    (void)state;
    const case_actor admin = {.name = "root", .role = EW_ROLE_ADMIN, .org = "town-a"};
    for (int s = 0; s < CASE_STATE_COUNT; s++) {
        for (int a = CASE_ACT_ACCEPT; a < CASE_ACTION_COUNT; a++) {
            if (case_transition_allowed((case_state)s, (case_action)a))
                continue;
            ew_case *c = case_in((case_state)s);
            size_t n = c->n_events;
            case_cmd cmd = {.action = (case_action)a,
                            .reason = "r",
                            .unit = "town-a",
                            .deadline_utc = T0 + 30 * DAY,
                            .evidence = evidence,
                            .n_evidence = 1};
            case_error err;
            assert_int_equal(case_apply(c, &cmd, &admin, T0 + DAY, NULL, &err), CASE_E_STATE);
            assert_int_equal(c->state, s);
            assert_int_equal(c->n_events, n);
            case_free(c);
        }
    }
    ew_case *c = case_in(CASE_ACCEPTED);
    case_error err;
    case_cmd cmd = {.action = CASE_ACT_SIGN};
    assert_int_equal(case_apply(c, &cmd, &town, T0, NULL, &err), CASE_E_STATE);
    assert_string_equal(err.msg, "cannot sign a case that is accepted (已受理); sign is allowed "
                                 "from: assigned, reopened");
    case_free(c);
}

static void full_loop_records_every_step(void **state)
{
    (void)state;
    ew_case *c = case_in(CASE_CLOSED);
    assert_int_equal(c->state, CASE_CLOSED);
    assert_string_equal(c->unit, "town-a");
    /* create, accept, assign, sign, submit, verify */
    assert_int_equal(c->n_events, 6);
    static const case_action acts[] = {CASE_ACT_CREATE, CASE_ACT_ACCEPT, CASE_ACT_ASSIGN,
                                       CASE_ACT_SIGN,   CASE_ACT_SUBMIT, CASE_ACT_VERIFY};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(c->events[i].seq, i + 1);
        assert_int_equal(c->events[i].action, acts[i]);
        if (i)
            assert_true(c->events[i].at_utc > c->events[i - 1].at_utc);
    }
    assert_string_equal(c->events[0].actor, "anon");
    assert_int_equal(c->events[0].role, EW_ROLE_PUBLIC);
    assert_string_equal(c->events[2].unit, "town-a");
    assert_int_equal(c->events[2].deadline_utc, T0 + 3 * DAY);
    assert_string_equal(c->events[3].actor, "li");
    assert_int_equal(c->events[4].n_evidence, 1);
    assert_string_equal(c->events[4].evidence[0], "photo:after-1.jpg");
    assert_int_equal(c->events[5].from, CASE_RECTIFIED);
    assert_int_equal(c->events[5].to, CASE_CLOSED);
    assert_int_equal(c->closed_utc, c->events[5].at_utc);
    assert_int_equal(c->n_attachments, 2);
    case_free(c);
}

static void return_and_reopen_keep_history(void **state)
{
    (void)state;
    ew_case *c = case_in(CASE_RECTIFIED);
    case_error err;
    case_cmd ret = {.action = CASE_ACT_RETURN};
    assert_int_equal(case_apply(c, &ret, &bureau, T0 + DAY, NULL, &err), CASE_E_INVALID);
    assert_string_equal(err.msg, "return needs a reason");
    ok(c, (case_cmd){.action = CASE_ACT_RETURN, .reason = "现场仍有焚烧痕迹"}, &bureau, T0 + DAY);
    assert_int_equal(c->state, CASE_RECTIFYING);
    assert_string_equal(c->events[c->n_events - 1].reason, "现场仍有焚烧痕迹");
    ok(c, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = evidence, .n_evidence = 1}, &town,
       T0 + DAY + 60);
    ok(c, (case_cmd){.action = CASE_ACT_VERIFY}, &bureau, T0 + DAY + 120);
    /* Reopening needs a new deadline; another unit may take it over. */
    case_cmd re = {.action = CASE_ACT_REOPEN, .reason = "群众反映复燃"};
    assert_int_equal(case_apply(c, &re, &bureau, T0 + 2 * DAY, NULL, &err), CASE_E_INVALID);
    assert_string_equal(err.msg, "reopen needs a deadline after now");
    re.deadline_utc = T0 + 4 * DAY;
    re.unit = "town-b";
    ok(c, re, &bureau, T0 + 2 * DAY);
    assert_int_equal(c->state, CASE_REOPENED);
    assert_string_equal(c->unit, "town-b");
    assert_int_equal(c->reopen_count, 1);
    assert_int_equal(c->closed_utc, 0);
    /* The old unit cannot sign any more; the new one can. */
    case_cmd sign = {.action = CASE_ACT_SIGN};
    assert_int_equal(case_apply(c, &sign, &town, T0 + 2 * DAY + 60, NULL, &err), CASE_E_DENIED);
    ok(c, sign, &other_town, T0 + 2 * DAY + 60);
    assert_int_equal(c->state, CASE_RECTIFYING);
    case_free(c);
}

static void reopen_window_is_enforced(void **state)
{
    (void)state;
    ew_case *c = case_in(CASE_CLOSED);
    int64_t closed = c->closed_utc;
    case_cmd re = {.action = CASE_ACT_REOPEN, .reason = "复发", .deadline_utc = closed + 200 * DAY};
    case_error err;
    assert_int_equal(case_apply(c, &re, &bureau, closed + 90 * DAY + 1, NULL, &err),
                     CASE_E_INVALID);
    assert_non_null(strstr(err.msg, "within 90 days of closing"));
    assert_int_equal(c->state, CASE_CLOSED);
    ok(c, re, &bureau, closed + 90 * DAY); /* the last second of the window */
    assert_int_equal(c->state, CASE_REOPENED);
    case_free(c);
}

/* A monitoring alert's case, accepted, assigned to town-a, signed and submitted. */
static ew_case *alert_case_rectified(void)
{
    case_report r = {.source = CASE_SRC_MONITORING_ALERT,
                     .category = CASE_CAT_DATA_FALSIFICATION,
                     .location = "某企业 1 号排口",
                     .description = "SO2 恒值 26 小时"};
    case_error err;
    const case_actor sys = {.name = "system", .role = EW_ROLE_ADMIN};
    ew_case *c = case_open(&r, &sys, T0, &err);
    assert_non_null(c);
    ok(c, (case_cmd){.action = CASE_ACT_ACCEPT}, &sys, T0);
    ok(c, (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + 3 * DAY},
       &sys, T0);
    ok(c, (case_cmd){.action = CASE_ACT_SIGN}, &town, T0 + 600);
    ok(c, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = evidence, .n_evidence = 1}, &town,
       T0 + 3600);
    return c;
}

static void verify_records_the_finding(void **state)
{
    (void)state;
    case_error err;
    /* A monitoring alert's case cannot be closed without saying what was found. */
    ew_case *c = alert_case_rectified();
    size_t n = c->n_events;
    case_cmd v = {.action = CASE_ACT_VERIFY};
    assert_int_equal(case_apply(c, &v, &bureau, T0 + DAY, NULL, &err), CASE_E_INVALID);
    assert_non_null(strstr(err.msg, "needs a finding"));
    assert_int_equal(c->state, CASE_RECTIFIED);
    assert_int_equal(c->n_events, n);
    v.finding = CASE_FINDING_COUNT;
    assert_int_equal(case_apply(c, &v, &bureau, T0 + DAY, NULL, &err), CASE_E_INVALID);
    /* A finding belongs to verify alone. */
    case_cmd ret = {.action = CASE_ACT_RETURN, .reason = "x", .finding = CASE_FINDING_CONFIRMED};
    assert_int_equal(case_apply(c, &ret, &bureau, T0 + DAY, NULL, &err), CASE_E_INVALID);
    assert_string_equal(err.msg, "a finding is recorded with verify only");
    v.finding = CASE_FINDING_FALSE_ALARM;
    ok(c, v, &bureau, T0 + DAY);
    assert_int_equal(c->state, CASE_CLOSED);
    assert_int_equal(c->finding, CASE_FINDING_FALSE_ALARM);
    assert_int_equal(c->events[c->n_events - 1].finding, CASE_FINDING_FALSE_ALARM);
    /* Reopening clears the case's finding; the log keeps the old one. */
    ok(c, (case_cmd){.action = CASE_ACT_REOPEN, .reason = "复发", .deadline_utc = T0 + 5 * DAY},
       &bureau, T0 + 2 * DAY);
    assert_int_equal(c->finding, CASE_FINDING_NONE);
    assert_int_equal(c->events[c->n_events - 2].finding, CASE_FINDING_FALSE_ALARM);

    /* Replaying the log rebuilds the finding as case_apply left it. */
    case_snapshot snap = {.report = {.source = c->source,
                                     .category = c->category,
                                     .location = c->location,
                                     .description = c->description},
                          .tracking = c->tracking,
                          .state = CASE_CLOSED,
                          .created_utc = T0};
    ew_case *r = case_restore(&snap, &err);
    assert_non_null(r);
    for (size_t i = 0; i < c->n_events - 1; i++)
        assert_int_equal(case_restore_event(r, &c->events[i]), 0);
    assert_int_equal(r->finding, CASE_FINDING_FALSE_ALARM);
    assert_int_equal(case_restore_event(r, &c->events[c->n_events - 1]), 0);
    assert_int_equal(r->finding, CASE_FINDING_NONE);
    case_event bad = c->events[0];
    bad.seq = (uint32_t)r->n_events + 1;
    bad.finding = CASE_FINDING_COUNT;
    assert_int_equal(case_restore_event(r, &bad), CASE_E_INVALID);
    case_free(r);
    case_free(c);

    /* Other sources may close without a finding, or with one. */
    c = case_in(CASE_CLOSED);
    assert_int_equal(c->finding, CASE_FINDING_NONE);
    case_free(c);
    c = case_in(CASE_RECTIFIED);
    ok(c, (case_cmd){.action = CASE_ACT_VERIFY, .finding = CASE_FINDING_EXPLAINED}, &bureau,
       T0 + DAY);
    assert_int_equal(c->finding, CASE_FINDING_EXPLAINED);
    case_free(c);

    /* The names parse back. */
    for (int f = 0; f < CASE_FINDING_COUNT; f++) {
        case_finding back;
        assert_int_equal(case_finding_parse(case_finding_name((case_finding)f), &back), 0);
        assert_int_equal(back, f);
    }
    case_finding back;
    assert_int_equal(case_finding_parse("wrong", &back), -1);
    assert_string_equal(case_finding_label_zh(CASE_FINDING_FALSE_ALARM), "误报");
}

static void roles_per_transition(void **state)
{
    (void)state;
    case_error err;
    ew_case *c = case_in(CASE_REPORTED);
    case_cmd acc = {.action = CASE_ACT_ACCEPT};
    assert_int_equal(case_apply(c, &acc, &town, T0, NULL, &err), CASE_E_DENIED);
    assert_int_equal(case_apply(c, &acc, &auditor, T0, NULL, &err), CASE_E_DENIED);
    assert_string_equal(err.msg,
                        "denied: role auditor may not case.accept (auditors are read-only)");
    assert_int_equal(case_apply(c, &acc, &public_user, T0, NULL, &err), CASE_E_DENIED);
    assert_int_equal(c->n_events, 1);
    case_free(c);

    c = case_in(CASE_ASSIGNED);
    case_cmd sign = {.action = CASE_ACT_SIGN};
    assert_int_equal(case_apply(c, &sign, &other_town, T0, NULL, &err), CASE_E_DENIED);
    assert_string_equal(err.msg, "denied: role unit may case.sign only for its own unit "
                                 "(town-b), not for town-a");
    assert_int_equal(case_apply(c, &sign, &bureau, T0, NULL, &err), CASE_E_DENIED);
    /* The unit sends a wrongly assigned case back; the bureau assigns again. */
    ok(c, (case_cmd){.action = CASE_ACT_SEND_BACK, .reason = "不属于本辖区"}, &town, T0 + 3600);
    assert_int_equal(c->state, CASE_ACCEPTED);
    assert_null(c->unit);
    ok(c, (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-b", .deadline_utc = T0 + 2 * DAY},
       &bureau, T0 + 7200);
    ok(c, sign, &other_town, T0 + 7300);
    case_cmd sub = {.action = CASE_ACT_SUBMIT};
    assert_int_equal(case_apply(c, &sub, &other_town, T0 + 7400, NULL, &err), CASE_E_INVALID);
    assert_string_equal(err.msg, "submit needs at least one piece of evidence");
    sub.evidence = evidence;
    sub.n_evidence = 1;
    ok(c, sub, &other_town, T0 + 7400);
    case_cmd ver = {.action = CASE_ACT_VERIFY};
    assert_int_equal(case_apply(c, &ver, &other_town, T0 + 7500, NULL, &err), CASE_E_DENIED);
    ok(c, ver, &bureau, T0 + 7500);
    case_free(c);
}

/* The actions case_may offers, as a bit set over accept..escalate (bit a - 1). */
static unsigned offered(const ew_case *c, const case_actor *who)
{
    unsigned set = 0;
    for (int a = CASE_ACT_ACCEPT; a < CASE_ACTION_COUNT; a++)
        if (case_may(c, (case_action)a, who))
            set |= 1u << (a - 1);
    return set;
}
#define BIT(a) (1u << ((a)-1))

/* case_may: the state table and the role table (auth.c) together, scoped to the assigned
 * unit. Expected sets worked out from case.h's diagram and auth.c's table by hand. */
static void may_offers_what_state_and_role_allow(void **state)
{
    (void)state;
    static const case_actor admin = {.name = "root", .role = EW_ROLE_ADMIN};
    ew_case *c = case_in(CASE_REPORTED);
    assert_int_equal(offered(c, &bureau), BIT(CASE_ACT_ACCEPT) | BIT(CASE_ACT_REJECT));
    assert_int_equal(offered(c, &town), 0);
    assert_int_equal(offered(c, &auditor), 0);
    assert_int_equal(offered(c, &public_user), 0);
    assert_false(case_may(c, CASE_ACT_CREATE, &admin));
    assert_false(case_may(c, CASE_ACTION_COUNT, &admin));
    assert_false(case_may(c, (case_action)-1, &admin));
    case_free(c);

    /* Assigned to town-a: only town-a signs or sends back; the bureau supervises. */
    c = case_in(CASE_ASSIGNED);
    unsigned unit_acts = BIT(CASE_ACT_SIGN) | BIT(CASE_ACT_SEND_BACK);
    unsigned supervise = BIT(CASE_ACT_EXTEND) | BIT(CASE_ACT_ESCALATE);
    assert_int_equal(offered(c, &town), unit_acts);
    assert_int_equal(offered(c, &other_town), 0);
    assert_int_equal(offered(c, &bureau), supervise);
    assert_int_equal(offered(c, &admin), unit_acts | supervise);
    assert_int_equal(offered(c, &auditor), 0);
    case_free(c);

    c = case_in(CASE_RECTIFYING);
    assert_int_equal(offered(c, &town), BIT(CASE_ACT_SUBMIT));
    assert_int_equal(offered(c, &bureau), supervise);
    case_free(c);

    c = case_in(CASE_RECTIFIED);
    assert_int_equal(offered(c, &bureau), BIT(CASE_ACT_RETURN) | BIT(CASE_ACT_VERIFY));
    assert_int_equal(offered(c, &town), 0);
    case_free(c);

    c = case_in(CASE_CLOSED);
    assert_int_equal(offered(c, &bureau), BIT(CASE_ACT_REOPEN));
    case_free(c);

    /* The bureau as the assignee (生态环境分局 is a responsible unit): it signs its own. */
    c = case_in(CASE_ACCEPTED);
    ok(c, (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "sthj", .deadline_utc = T0 + 3 * DAY},
       &bureau, T0 + 3600);
    assert_int_equal(offered(c, &bureau), unit_acts | supervise);
    assert_int_equal(offered(c, &town), 0);
    case_free(c);
}

/* case_may and case_apply agree: for every state, actor and action, a complete command is
 * applied exactly when case_may says so, and refused for state or role otherwise. */
static void may_agrees_with_apply(void **state)
{
    (void)state;
    const case_actor admin = {.name = "root", .role = EW_ROLE_ADMIN};
    const case_actor *actors[] = {&public_user, &bureau, &town, &other_town, &auditor, &admin};
    for (int s = 0; s < CASE_STATE_COUNT; s++)
        for (size_t w = 0; w < sizeof actors / sizeof actors[0]; w++)
            for (int a = CASE_ACT_ACCEPT; a < CASE_ACTION_COUNT; a++) {
                ew_case *c = case_in((case_state)s);
                bool may = case_may(c, (case_action)a, actors[w]);
                case_cmd cmd = {.action = (case_action)a,
                                .reason = "reason",
                                .unit = "town-a",
                                .deadline_utc = T0 + 30 * DAY,
                                .evidence = evidence,
                                .n_evidence = 1};
                case_error err;
                int rc = case_apply(c, &cmd, actors[w], T0 + DAY, NULL, &err);
                if (may != (rc == 0) || (!may && rc != CASE_E_STATE && rc != CASE_E_DENIED))
                    fail_msg("%s by %s from %s: may=%d rc=%d %s", case_action_name((case_action)a),
                             actors[w]->name, case_state_name((case_state)s), may, rc,
                             rc ? err.msg : "");
                case_free(c);
            }
}

static void assign_needs_unit_and_future_deadline(void **state)
{
    (void)state;
    ew_case *c = case_in(CASE_ACCEPTED);
    case_error err;
    case_cmd a = {.action = CASE_ACT_ASSIGN, .deadline_utc = T0 + DAY};
    assert_int_equal(case_apply(c, &a, &bureau, T0 + 3600, NULL, &err), CASE_E_INVALID);
    assert_string_equal(err.msg, "assign needs a unit");
    a.unit = "town-a";
    a.deadline_utc = T0 + 3600;
    assert_int_equal(case_apply(c, &a, &bureau, T0 + 3600, NULL, &err), CASE_E_INVALID);
    assert_string_equal(err.msg, "assign needs a deadline after now");
    assert_int_equal(c->state, CASE_ACCEPTED);
    case_free(c);
}

static void public_may_report_only_as_public(void **state)
{
    (void)state;
    case_report r = {.source = CASE_SRC_INSPECTION,
                     .category = CASE_CAT_DUST,
                     .location = "x",
                     .description = "y"};
    case_error err;
    assert_null(case_open(&r, &public_user, T0, &err));
    assert_string_equal(err.msg, "denied: role public may only open cases of source public_report");
    ew_case *c = case_open(&r, &bureau, T0, &err);
    assert_non_null(c);
    case_free(c);
    assert_null(case_open(&r, &auditor, T0, &err));
    r.location = "";
    assert_null(case_open(&r, &bureau, T0, &err));
    assert_string_equal(err.msg, "a case needs a location");
}

/* Deadline T0 + 3 days. 督办 from that instant; 挂牌督办 7 days (policy) later. */
static void escalation_timing(void **state)
{
    (void)state;
    const case_policy *pol = &case_policy_default;
    ew_case *c = case_in(CASE_RECTIFYING);
    int64_t dl = T0 + 3 * DAY;
    assert_int_equal(c->deadline_utc, dl);
    assert_int_equal(case_supervision_due(c, dl - 1, pol), CASE_SUPERVISION_NONE);
    assert_int_equal(case_escalate(c, dl - 1, pol), 0);
    assert_int_equal(case_supervision_due(c, dl, pol), CASE_SUPERVISION_DUBAN);
    assert_int_equal(case_escalate(c, dl, pol), 1);
    assert_int_equal(c->supervision, CASE_SUPERVISION_DUBAN);
    assert_int_equal(case_escalate(c, dl + 3600, pol), 0); /* applied once only */
    assert_int_equal(case_supervision_due(c, dl + 7 * DAY - 1, pol), CASE_SUPERVISION_DUBAN);
    assert_int_equal(case_escalate(c, dl + 7 * DAY, pol), 1);
    assert_int_equal(c->supervision, CASE_SUPERVISION_LISTED);
    const case_event *e = &c->events[c->n_events - 1];
    assert_int_equal(e->action, CASE_ACT_ESCALATE);
    assert_int_equal(e->level, 2);
    assert_string_equal(e->actor, "system");
    assert_int_equal(e->at_utc, dl + 7 * DAY);
    case_free(c);

    /* A job that runs late applies both levels at once, one event each. */
    c = case_in(CASE_ASSIGNED);
    assert_int_equal(case_escalate(c, dl + 30 * DAY, pol), 2);
    assert_int_equal(c->events[c->n_events - 2].level, 1);
    case_free(c);

    /* Once rectification is submitted, the clock no longer runs. */
    c = case_in(CASE_RECTIFIED);
    assert_int_equal(case_escalate(c, dl + 30 * DAY, pol), 0);
    case_free(c);

    /* Extending before the deadline postpones supervision; a custom policy shortens listing. */
    c = case_in(CASE_RECTIFYING);
    ok(c,
       (case_cmd){
           .action = CASE_ACT_EXTEND, .reason = "等待设备到货", .deadline_utc = dl + 5 * DAY},
       &bureau, dl - DAY);
    assert_int_equal(case_escalate(c, dl + DAY, pol), 0);
    case_policy fast = {.listing_after_s = DAY};
    assert_int_equal(case_supervision_due(c, dl + 6 * DAY, &fast), CASE_SUPERVISION_LISTED);
    case_free(c);
}

/* A reopened case owes a new rectification: once its new deadline passes it is escalated
 * like an assigned one. case_in reopens at T0 + 9600 s (600 + 600 + 600 + 3600 + 3600 + 600)
 * with the deadline one day later. */
static void reopened_case_is_escalated_when_overdue(void **state)
{
    (void)state;
    const case_policy *pol = &case_policy_default;
    ew_case *c = case_in(CASE_REOPENED);
    int64_t dl = T0 + 9600 + DAY;
    assert_int_equal(c->deadline_utc, dl);
    assert_int_equal(c->supervision, CASE_SUPERVISION_NONE);
    assert_int_equal(case_supervision_due(c, dl - 1, pol), CASE_SUPERVISION_NONE);
    assert_int_equal(case_supervision_due(c, dl, pol), CASE_SUPERVISION_DUBAN);
    assert_int_equal(case_escalate(c, dl, pol), 1);
    assert_int_equal(c->state, CASE_REOPENED);
    assert_int_equal(c->supervision, CASE_SUPERVISION_DUBAN);
    assert_int_equal(c->overdue_since_utc, dl);
    assert_int_equal(case_escalate(c, dl + 7 * DAY, pol), 1);
    assert_int_equal(c->supervision, CASE_SUPERVISION_LISTED);
    case_free(c);
}

static void manual_escalation_stops_at_listing(void **state)
{
    (void)state;
    ew_case *c = case_in(CASE_ASSIGNED);
    case_cmd esc = {.action = CASE_ACT_ESCALATE, .reason = "情节严重"};
    ok(c, esc, &bureau, T0 + 3600);
    ok(c, esc, &bureau, T0 + 7200);
    assert_int_equal(c->supervision, CASE_SUPERVISION_LISTED);
    case_error err;
    assert_int_equal(case_apply(c, &esc, &bureau, T0 + 9000, NULL, &err), CASE_E_INVALID);
    assert_int_equal(case_apply(c, &esc, &town, T0 + 9000, NULL, &err), CASE_E_DENIED);
    case_free(c);
}

static void tracking_codes_are_readable_and_distinct(void **state)
{
    (void)state;
    char a[CASE_TRACKING_LEN + 1], b[CASE_TRACKING_LEN + 1], n[CASE_TRACKING_LEN + 1];
    case_tracking_code(a);
    case_tracking_code(b);
    assert_int_equal(strlen(a), 14);
    assert_true(a[4] == '-' && a[9] == '-');
    assert_string_not_equal(a, b);
    for (int i = 0; i < 14; i++)
        if (i != 4 && i != 9)
            assert_null(strchr("01ILO", a[i]));
    assert_int_equal(case_tracking_normalize("abcd efgh 2345", n), 0);
    assert_string_equal(n, "ABCD-EFGH-2345");
    assert_int_equal(case_tracking_normalize(a, n), 0);
    assert_string_equal(n, a);
    assert_int_equal(case_tracking_normalize("ABCD-EFGH-234O", n), -1); /* letter O */
    assert_int_equal(case_tracking_normalize("ABCD-EFGH-234", n), -1);
    assert_int_equal(case_tracking_normalize("ABCD-EFGH-23456", n), -1);
    ew_case *c = open_burning_report();
    assert_int_equal(case_tracking_normalize(c->tracking, n), 0);
    case_free(c);
}

/* Names parse back to the values they were printed from; a restored case continues its life
 * exactly like the original. */
static void names_parse_back_and_cases_restore(void **state)
{
    (void)state;
    for (int i = 0; i < CASE_STATE_COUNT; i++) {
        case_state v;
        assert_int_equal(case_state_parse(case_state_name((case_state)i), &v), 0);
        assert_int_equal(v, i);
    }
    for (int i = 0; i < CASE_ACTION_COUNT; i++) {
        case_action v;
        assert_int_equal(case_action_parse(case_action_name((case_action)i), &v), 0);
        assert_int_equal(v, i);
    }
    for (int i = 0; i < CASE_SOURCE_COUNT; i++) {
        case_source v;
        assert_int_equal(case_source_parse(case_source_name((case_source)i), &v), 0);
        assert_int_equal(v, i);
    }
    for (int i = 0; i < CASE_CATEGORY_COUNT; i++) {
        case_category v;
        assert_int_equal(case_category_parse(case_category_name((case_category)i), &v), 0);
        assert_int_equal(v, i);
    }
    case_state st;
    case_category cat;
    assert_int_equal(case_state_parse("Closed", &st), -1);
    assert_int_equal(case_state_parse(NULL, &st), -1);
    assert_int_equal(case_category_parse("?", &cat), -1);

    ew_case *orig = open_burning_report();
    ok(orig, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0 + 60);
    ok(orig, (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + DAY},
       &bureau, T0 + 120);
    case_snapshot snap = {.report = {.source = orig->source,
                                     .category = orig->category,
                                     .location = orig->location,
                                     .lon = orig->lon,
                                     .lat = orig->lat,
                                     .description = orig->description,
                                     .attachments = orig->attachments,
                                     .n_attachments = orig->n_attachments},
                          .tracking = orig->tracking,
                          .state = orig->state,
                          .unit = orig->unit,
                          .deadline_utc = orig->deadline_utc,
                          .created_utc = orig->created_utc};
    case_error err;
    ew_case *c = case_restore(&snap, &err);
    assert_non_null(c);
    for (size_t i = 0; i < orig->n_events; i++)
        assert_int_equal(case_restore_event(c, &orig->events[i]), 0);
    /* A gap or a repeat in the log is refused. */
    case_event e = orig->events[0];
    assert_int_equal(case_restore_event(c, &e), CASE_E_INVALID);
    e.seq = 9;
    assert_int_equal(case_restore_event(c, &e), CASE_E_INVALID);
    case_free(orig);
    /* The strings were copied: the original is gone, the copy lives on. */
    assert_string_equal(c->location, "第九大街与经南五路交叉口东北角");
    assert_string_equal(c->attachments[1], "sha256:bb22");
    assert_string_equal(c->events[2].unit, "town-a");
    assert_int_equal(c->n_events, 3);
    ok(c, (case_cmd){.action = CASE_ACT_SIGN}, &town, T0 + 180);
    assert_int_equal(c->n_events, 4);
    assert_int_equal(c->events[3].seq, 4);
    /* The deadline passes: 督办, as for a case never stored. */
    assert_int_equal(case_escalate(c, T0 + DAY, &case_policy_default), 1);
    case_free(c);

    snap.tracking = "abcd-efgh-2345"; /* not canonical */
    assert_null(case_restore(&snap, &err));
    snap.tracking = "ABCD-EFGH-2345";
    snap.supervision = 3;
    assert_null(case_restore(&snap, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table_matches_the_lifecycle),
        cmocka_unit_test(refused_transitions_change_nothing),
        cmocka_unit_test(full_loop_records_every_step),
        cmocka_unit_test(return_and_reopen_keep_history),
        cmocka_unit_test(reopen_window_is_enforced),
        cmocka_unit_test(verify_records_the_finding),
        cmocka_unit_test(roles_per_transition),
        cmocka_unit_test(may_offers_what_state_and_role_allow),
        cmocka_unit_test(may_agrees_with_apply),
        cmocka_unit_test(assign_needs_unit_and_future_deadline),
        cmocka_unit_test(public_may_report_only_as_public),
        cmocka_unit_test(escalation_timing),
        cmocka_unit_test(reopened_case_is_escalated_when_overdue),
        cmocka_unit_test(manual_escalation_stops_at_listing),
        cmocka_unit_test(tracking_codes_are_readable_and_distinct),
        cmocka_unit_test(names_parse_back_and_cases_restore),
    };
    return cmocka_run_group_tests_name("service_case", tests, NULL, NULL);
}
