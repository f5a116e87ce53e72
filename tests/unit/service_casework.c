/* Tests of service/casework.h over a real SQLite file: the closed loop through storage, reload,
 * access by unit, redaction of the reporter, escalation on the clock, and refused transitions
 * that must store nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "service/casework.h"
#include "store/office.h"
#include "store/store.h"
#include "testutil.h"

static const case_actor public_user = {.name = "public", .role = EW_ROLE_PUBLIC};
static const case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
static const case_actor town = {.name = "li", .role = EW_ROLE_UNIT, .org = "town-a"};
static const case_actor other_town = {.name = "wang", .role = EW_ROLE_UNIT, .org = "town-b"};
static const case_actor auditor = {.name = "zhao", .role = EW_ROLE_AUDITOR};
static const case_actor admin = {.name = "root", .role = EW_ROLE_ADMIN};

/* 2024-03-01 08:00 Beijing = 2024-03-01 00:00 UTC = 1709251200. */
#define T0 INT64_C(1709251200)
#define DAY INT64_C(86400)

typedef tu_store_fixture fixture;

static const char *const photos[] = {"AAAAAAAAAAAAAAAAAAAAAA"};
static const char *const after[] = {"BBBBBBBBBBBBBBBBBBBBBB", "CCCCCCCCCCCCCCCCCCCCCC"};

static int64_t open_public(fixture *f, char tracking[CASE_TRACKING_LEN + 1])
{
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = CASE_CAT_OPEN_BURNING,
                     .location = "经开区第十五大街与经北五路交叉口",
                     .lon = 113.78,
                     .lat = 34.72,
                     .description = "露天焚烧垃圾",
                     .attachments = photos,
                     .n_attachments = 1};
    casework_meta who = {.reporter_name = "王女士", .reporter_contact = "13800000000"};
    int64_t id = 0;
    case_error err = {{0}};
    assert_int_equal(casework_open(f->s, &r, &public_user, &who, T0, &id, tracking, &err), 0);
    assert_true(id > 0);
    return id;
}

static int apply(fixture *f, int64_t id, case_cmd cmd, const case_actor *who, int64_t now)
{
    case_error err = {{0}};
    return casework_apply(f->s, id, &cmd, who, now, NULL, &err);
}

static uint32_t stored_events(fixture *f, int64_t id)
{
    case_error err = {{0}};
    int rc;
    ew_case *c = casework_load(f->s, id, NULL, &rc, &err);
    assert_non_null(c);
    uint32_t n = (uint32_t)c->n_events;
    case_free(c);
    return n;
}

/* Open, accept, assign, sign, submit, verify; the stored case equals the one in memory at every
 * step it is reloaded. */
static void closed_loop_through_storage(void **state)
{
    fixture *f = *state;
    char tracking[CASE_TRACKING_LEN + 1];
    int64_t id = open_public(f, tracking);
    int64_t found = 0;
    case_error err = {{0}};
    /* The reporter types the code in lower case without dashes. */
    char typed[16];
    size_t k = 0;
    for (const char *p = tracking; *p; p++)
        if (*p != '-')
            typed[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    typed[k] = '\0';
    assert_int_equal(casework_find_tracking(f->s, typed, &found, &err), 0);
    assert_int_equal(found, id);
    assert_int_equal(casework_find_tracking(f->s, "2222-2222-2222", &found, &err),
                     CASEWORK_E_NOTFOUND);

    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0 + 60), 0);
    assert_int_equal(
        apply(f, id,
              (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + 3 * DAY},
              &bureau, T0 + 120),
        0);
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_SIGN}, &town, T0 + 180), 0);
    assert_int_equal(
        apply(f, id, (case_cmd){.action = CASE_ACT_SUBMIT, .evidence = after, .n_evidence = 2},
              &town, T0 + DAY),
        0);
    assert_int_equal(apply(f, id,
                           (case_cmd){.action = CASE_ACT_VERIFY, .finding = CASE_FINDING_CONFIRMED},
                           &bureau, T0 + 2 * DAY),
                     0);

    casework_meta meta;
    int rc = -99;
    ew_case *c = casework_load(f->s, id, &meta, &rc, &err);
    assert_non_null(c);
    assert_int_equal(rc, 0);
    assert_int_equal(meta.id, id);
    assert_string_equal(meta.created_by, "public");
    assert_string_equal(meta.reporter_name, "王女士");
    assert_int_equal(meta.updated_utc, T0 + 2 * DAY);
    assert_string_equal(c->tracking, tracking);
    assert_int_equal(c->source, CASE_SRC_PUBLIC_REPORT);
    assert_int_equal(c->category, CASE_CAT_OPEN_BURNING);
    assert_string_equal(c->location, "经开区第十五大街与经北五路交叉口");
    assert_string_equal(c->description, "露天焚烧垃圾");
    assert_true(c->lon == 113.78 && c->lat == 34.72);
    assert_int_equal(c->n_attachments, 1);
    assert_string_equal(c->attachments[0], photos[0]);
    assert_int_equal(c->state, CASE_CLOSED);
    assert_string_equal(c->unit, "town-a");
    assert_int_equal(c->deadline_utc, T0 + 3 * DAY);
    assert_int_equal(c->closed_utc, T0 + 2 * DAY);
    assert_int_equal(c->supervision, 0);
    /* create, accept, assign, sign, submit, verify */
    assert_int_equal(c->n_events, 6);
    static const case_action want[] = {CASE_ACT_CREATE, CASE_ACT_ACCEPT, CASE_ACT_ASSIGN,
                                       CASE_ACT_SIGN,   CASE_ACT_SUBMIT, CASE_ACT_VERIFY};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(c->events[i].seq, i + 1);
        assert_int_equal(c->events[i].action, want[i]);
    }
    assert_int_equal(c->events[0].role, EW_ROLE_PUBLIC);
    assert_int_equal(c->events[2].from, CASE_ACCEPTED);
    assert_int_equal(c->events[2].to, CASE_ASSIGNED);
    assert_string_equal(c->events[2].unit, "town-a");
    assert_int_equal(c->events[2].deadline_utc, T0 + 3 * DAY);
    assert_string_equal(c->events[3].actor, "li");
    assert_int_equal(c->events[3].role, EW_ROLE_UNIT);
    assert_int_equal(c->events[4].n_evidence, 2);
    assert_string_equal(c->events[4].evidence[1], after[1]);
    assert_int_equal(c->events[5].at_utc, T0 + 2 * DAY);
    /* The finding comes back on its event and on the case; the other events have none. */
    assert_int_equal(c->events[5].finding, CASE_FINDING_CONFIRMED);
    assert_int_equal(c->events[4].finding, CASE_FINDING_NONE);
    assert_int_equal(c->finding, CASE_FINDING_CONFIRMED);
    case_free(c);
    assert_int_equal(casework_load(f->s, id + 1, NULL, &rc, &err), NULL);
    assert_int_equal(rc, CASEWORK_E_NOTFOUND);
}

static void other_unit_cannot_see_or_act(void **state)
{
    fixture *f = *state;
    char tracking[CASE_TRACKING_LEN + 1];
    int64_t id = open_public(f, tracking);
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0 + 60), 0);
    assert_int_equal(
        apply(f, id,
              (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + 3 * DAY},
              &bureau, T0 + 120),
        0);
    /* town-b gets "no such case", not "denied": it cannot learn which ids exist. */
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_SIGN}, &other_town, T0 + 180),
                     CASEWORK_E_NOTFOUND);
    case_error err = {{0}};
    int rc;
    ew_case *c = casework_load(f->s, id, NULL, &rc, &err);
    assert_non_null(c);
    assert_false(casework_may_read(c, &other_town));
    assert_true(casework_may_read(c, &town));
    assert_true(casework_may_read(c, &bureau));
    assert_true(casework_may_read(c, &auditor));
    assert_int_equal(c->state, CASE_ASSIGNED);
    assert_int_equal(c->n_events, 3);
    case_free(c);
}

static void reporter_is_redacted_except_for_bureau(void **state)
{
    fixture *f = *state;
    char tracking[CASE_TRACKING_LEN + 1];
    int64_t id = open_public(f, tracking);
    case_error err = {{0}};
    int rc;
    casework_meta meta;
    const case_actor *keep[] = {&bureau, &admin};
    const case_actor *clear[] = {&auditor, &town, &public_user};
    for (size_t i = 0; i < 2; i++) {
        ew_case *c = casework_load(f->s, id, &meta, &rc, &err);
        casework_redact(&meta, keep[i]);
        assert_string_equal(meta.reporter_name, "王女士");
        assert_string_equal(meta.reporter_contact, "13800000000");
        case_free(c);
    }
    for (size_t i = 0; i < 3; i++) {
        ew_case *c = casework_load(f->s, id, &meta, &rc, &err);
        casework_redact(&meta, clear[i]);
        assert_null(meta.reporter_name);
        assert_null(meta.reporter_contact);
        assert_string_equal(meta.created_by, "public");
        case_free(c);
    }
}

/* case.h: deadline passed while the unit owes the work → 督办 (level 1); still overdue
 * listing_after_s (7 days by default) later → 挂牌督办 (level 2). Each stored once. */
static void escalation_on_the_clock(void **state)
{
    fixture *f = *state;
    char tracking[CASE_TRACKING_LEN + 1];
    int64_t id = open_public(f, tracking);
    int64_t deadline = T0 + 3 * DAY;
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0 + 60), 0);
    assert_int_equal(
        apply(f, id,
              (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = deadline},
              &bureau, T0 + 120),
        0);
    /* A second case that is closed in time must never be escalated. */
    int64_t id2 = open_public(f, tracking);
    assert_int_equal(apply(f, id2, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0 + 60), 0);
    assert_int_equal(apply(f, id2, (case_cmd){.action = CASE_ACT_REJECT, .reason = "duplicate"},
                           &bureau, T0 + 60),
                     CASE_E_STATE);
    case_error err = {{0}};
    int raised = -1;
    /* One second before the deadline: nothing is due. */
    assert_int_equal(casework_escalate_due(f->s, deadline - 1, NULL, &raised, &err), 0);
    assert_int_equal(raised, 0);
    assert_int_equal(casework_escalate_due(f->s, deadline, NULL, &raised, &err), 0);
    assert_int_equal(raised, 1);
    assert_int_equal(casework_escalate_due(f->s, deadline + 60, NULL, &raised, &err), 0);
    assert_int_equal(raised, 0);
    assert_int_equal(stored_events(f, id), 4);

    int rc;
    ew_case *c = casework_load(f->s, id, NULL, &rc, &err);
    assert_int_equal(c->supervision, CASE_SUPERVISION_DUBAN);
    assert_int_equal(c->overdue_since_utc, deadline);
    assert_int_equal(c->events[3].action, CASE_ACT_ESCALATE);
    assert_int_equal(c->events[3].level, 1);
    assert_string_equal(c->events[3].actor, "system");
    case_free(c);

    assert_int_equal(casework_escalate_due(f->s, deadline + 7 * DAY - 1, NULL, &raised, &err), 0);
    assert_int_equal(raised, 0);
    assert_int_equal(casework_escalate_due(f->s, deadline + 7 * DAY, NULL, &raised, &err), 0);
    assert_int_equal(raised, 1);
    assert_int_equal(casework_escalate_due(f->s, deadline + 8 * DAY, NULL, &raised, &err), 0);
    assert_int_equal(raised, 0);
    c = casework_load(f->s, id, NULL, &rc, &err);
    assert_int_equal(c->supervision, CASE_SUPERVISION_LISTED);
    assert_int_equal(c->n_events, 5);
    assert_int_equal(c->events[4].level, 2);
    assert_int_equal(c->events[4].at_utc, deadline + 7 * DAY);
    case_free(c);
    /* The other case never owed work: its log is create and accept. */
    assert_int_equal(stored_events(f, id2), 2);
}

static void escalation_jumps_two_levels_at_once(void **state)
{
    fixture *f = *state;
    char tracking[CASE_TRACKING_LEN + 1];
    int64_t id = open_public(f, tracking);
    int64_t deadline = T0 + DAY;
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0), 0);
    assert_int_equal(
        apply(f, id,
              (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = deadline},
              &bureau, T0),
        0);
    case_error err = {{0}};
    int raised = 0;
    /* The server was down for ten days: both levels are due and both are recorded. */
    assert_int_equal(casework_escalate_due(f->s, deadline + 10 * DAY, NULL, &raised, &err), 0);
    assert_int_equal(raised, 2);
    assert_int_equal(stored_events(f, id), 5);
}

static int ignore_case(void *ctx, const office_case *c)
{
    (void)ctx, (void)c;
    return 0;
}

static void refused_transitions_store_nothing(void **state)
{
    fixture *f = *state;
    char tracking[CASE_TRACKING_LEN + 1];
    int64_t id = open_public(f, tracking);
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_ACCEPT}, &bureau, T0 + 60), 0);
    uint32_t before = stored_events(f, id);
    /* Wrong state, wrong role, missing reason, a deadline in the past. */
    assert_int_equal(apply(f, id, (case_cmd){.action = CASE_ACT_VERIFY}, &bureau, T0 + 120),
                     CASE_E_STATE);
    assert_int_equal(
        apply(f, id,
              (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + DAY},
              &auditor, T0 + 120),
        CASE_E_DENIED);
    assert_int_equal(
        apply(f, id, (case_cmd){.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0},
              &bureau, T0 + 120),
        CASE_E_INVALID);
    assert_int_equal(stored_events(f, id), before);
    case_error err = {{0}};
    int rc;
    casework_meta meta;
    ew_case *c = casework_load(f->s, id, &meta, &rc, &err);
    assert_int_equal(c->state, CASE_ACCEPTED);
    assert_null(c->unit);
    assert_int_equal(meta.updated_utc, T0 + 60);
    case_free(c);
    /* A refused opening stores nothing either. */
    case_report r = {.source = CASE_SRC_INSPECTION,
                     .category = CASE_CAT_DUST,
                     .location = "x",
                     .description = "y"};
    int64_t nid = 0;
    char tr[CASE_TRACKING_LEN + 1];
    assert_int_equal(casework_open(f->s, &r, &public_user, NULL, T0, &nid, tr, &err),
                     CASE_E_DENIED);
    r.location = "";
    assert_int_equal(casework_open(f->s, &r, &bureau, NULL, T0, &nid, tr, &err), CASE_E_INVALID);
    int64_t total = -1;
    assert_int_equal(office_cases_each(f->s, NULL, &total, ignore_case, NULL, NULL, 0), 0);
    assert_int_equal(total, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(closed_loop_through_storage, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(other_unit_cannot_see_or_act, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(reporter_is_redacted_except_for_bureau, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(escalation_on_the_clock, tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(escalation_jumps_two_levels_at_once, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(refused_transitions_store_nothing, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
