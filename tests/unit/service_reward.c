/* Tests of src/service/reward: the rules of a public report's reward over a real SQLite
 * store (cases through service/casework, records through store/office). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/casework.h"
#include "service/reward.h"
#include "store/office.h"
#include "testutil.h"

static const case_actor public_user = {.name = "public", .role = EW_ROLE_PUBLIC};
static const case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
static const case_actor town = {.name = "li", .role = EW_ROLE_UNIT, .org = "town-a"};
#define T0 INT64_C(1709251200)
#define DAY INT64_C(86400)
static const char *const photos[] = {"AAAAAAAAAAAAAAAAAAAAAA"};

/* A public report taken through the loop to closed when close is set. */
static int64_t public_case(store *s, bool close)
{
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = CASE_CAT_OPEN_BURNING,
                     .location = "经北五路",
                     .description = "露天焚烧",
                     .attachments = photos,
                     .n_attachments = 1};
    casework_meta who = {.reporter_name = "王女士", .reporter_contact = "13800000000"};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error e = {{0}};
    assert_int_equal(casework_open(s, &r, &public_user, &who, T0, &id, tracking, &e), 0);
    if (!close)
        return id;
    case_cmd steps[] = {{.action = CASE_ACT_ACCEPT},
                        {.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + 3 * DAY},
                        {.action = CASE_ACT_SIGN},
                        {.action = CASE_ACT_SUBMIT, .evidence = photos, .n_evidence = 1},
                        {.action = CASE_ACT_VERIFY}};
    const case_actor *by[] = {&bureau, &bureau, &town, &town, &bureau};
    for (int i = 0; i < 5; i++)
        assert_int_equal(casework_apply(s, id, &steps[i], by[i], T0 + 60 * (i + 1), NULL, &e), 0);
    return id;
}

typedef struct got {
    int n;
    char status[16];
    int64_t amount, paid_utc;
} got;

static int keep(void *ctx, const office_reward *rw)
{
    got *g = ctx;
    g->n++;
    snprintf(g->status, sizeof g->status, "%s", rw->status);
    g->amount = rw->amount_fen;
    g->paid_utc = rw->paid_utc;
    return 0;
}

static got stored(store *s, int64_t id)
{
    got g = {0};
    char err[256];
    assert_true(office_reward_get(s, id, keep, &g, err, sizeof err) >= 0);
    return g;
}

static void rewards_follow_the_rules(void **state)
{
    tu_store_fixture *f = *state;
    char err[256];
    int64_t open_id = public_case(f->s, false), id = public_case(f->s, true);
    reward_decision due = {.status = "due", .has_amount = true, .amount_fen = 20000};
    /* Only a closed public report; no such case; a bad status. Nothing stored. */
    assert_int_equal(reward_decide(f->s, open_id, &due, &bureau, T0 + DAY, "a", err, sizeof err),
                     EW_ECONFLICT);
    assert_int_equal(reward_decide(f->s, 999, &due, &bureau, T0 + DAY, "a", err, sizeof err),
                     EW_ENOTFOUND);
    reward_decision bad = {.status = "maybe"};
    assert_int_equal(reward_decide(f->s, id, &bad, &bureau, T0 + DAY, "a", err, sizeof err),
                     EW_EINVALID);
    reward_decision neg = {.status = "due", .has_amount = true, .amount_fen = -1};
    assert_int_equal(reward_decide(f->s, id, &neg, &bureau, T0 + DAY, "a", err, sizeof err),
                     EW_EINVALID);
    assert_int_equal(stored(f->s, id).n, 0);
    /* Paid without an amount ever given: refused. */
    reward_decision pay = {.status = "paid"};
    assert_int_equal(reward_decide(f->s, id, &pay, &bureau, T0 + DAY, "a", err, sizeof err),
                     EW_EINVALID);
    /* Due with an amount, then paid without repeating it: the amount is kept. */
    assert_int_equal(reward_decide(f->s, id, &due, &bureau, T0 + DAY, "a", err, sizeof err), EW_OK);
    assert_int_equal(reward_decide(f->s, id, &pay, &bureau, T0 + 2 * DAY, "a", err, sizeof err),
                     EW_OK);
    got g = stored(f->s, id);
    assert_string_equal(g.status, "paid");
    assert_int_equal(g.amount, 20000);
    assert_int_equal(g.paid_utc, T0 + 2 * DAY);
    /* Paying again does not move the payment date. */
    assert_int_equal(reward_decide(f->s, id, &pay, &bureau, T0 + 5 * DAY, "a", err, sizeof err),
                     EW_OK);
    assert_int_equal(stored(f->s, id).paid_utc, T0 + 2 * DAY);
    /* Declined: no payment date. */
    reward_decision no = {.status = "declined"};
    assert_int_equal(reward_decide(f->s, id, &no, &bureau, T0 + 6 * DAY, "a", err, sizeof err),
                     EW_OK);
    assert_int_equal(stored(f->s, id).paid_utc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rewards_follow_the_rules, tu_store_setup, tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
