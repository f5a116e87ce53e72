/* Tests of src/service/reward: the rules of a public report's reward over a real SQLite
 * store (cases through service/casework, records through store/office). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "casefix.h"
#include "service/casework.h"
#include "service/reward.h"
#include "store/office.h"
#include "testutil.h"

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
    int64_t open_id = cf_report(f->s, 0), id = cf_report(f->s, 5);
    reward_decision due = {.status = "due", .has_amount = true, .amount_fen = 20000};
    /* Only a closed public report; no such case; a bad status. Nothing stored. */
    assert_int_equal(
        reward_decide(f->s, open_id, &due, &cf_bureau, CF_T0 + CF_DAY, "a", err, sizeof err),
        EW_ECONFLICT);
    assert_int_equal(
        reward_decide(f->s, 999, &due, &cf_bureau, CF_T0 + CF_DAY, "a", err, sizeof err),
        EW_ENOTFOUND);
    reward_decision bad = {.status = "maybe"};
    assert_int_equal(
        reward_decide(f->s, id, &bad, &cf_bureau, CF_T0 + CF_DAY, "a", err, sizeof err),
        EW_EINVALID);
    reward_decision neg = {.status = "due", .has_amount = true, .amount_fen = -1};
    assert_int_equal(
        reward_decide(f->s, id, &neg, &cf_bureau, CF_T0 + CF_DAY, "a", err, sizeof err),
        EW_EINVALID);
    assert_int_equal(stored(f->s, id).n, 0);
    /* Paid without an amount ever given: refused. */
    reward_decision pay = {.status = "paid"};
    assert_int_equal(
        reward_decide(f->s, id, &pay, &cf_bureau, CF_T0 + CF_DAY, "a", err, sizeof err),
        EW_EINVALID);
    /* Due with an amount, then paid without repeating it: the amount is kept. */
    assert_int_equal(
        reward_decide(f->s, id, &due, &cf_bureau, CF_T0 + CF_DAY, "a", err, sizeof err), EW_OK);
    assert_int_equal(
        reward_decide(f->s, id, &pay, &cf_bureau, CF_T0 + 2 * CF_DAY, "a", err, sizeof err), EW_OK);
    got g = stored(f->s, id);
    assert_string_equal(g.status, "paid");
    assert_int_equal(g.amount, 20000);
    assert_int_equal(g.paid_utc, CF_T0 + 2 * CF_DAY);
    /* Paying again does not move the payment date. */
    assert_int_equal(
        reward_decide(f->s, id, &pay, &cf_bureau, CF_T0 + 5 * CF_DAY, "a", err, sizeof err), EW_OK);
    assert_int_equal(stored(f->s, id).paid_utc, CF_T0 + 2 * CF_DAY);
    /* Declined: no payment date. */
    reward_decision no = {.status = "declined"};
    assert_int_equal(
        reward_decide(f->s, id, &no, &cf_bureau, CF_T0 + 6 * CF_DAY, "a", err, sizeof err), EW_OK);
    assert_int_equal(stored(f->s, id).paid_utc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rewards_follow_the_rules, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
