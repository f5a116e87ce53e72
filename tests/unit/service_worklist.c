/* Tests of src/service/worklist: whose worklist a case is on, over a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "casefix.h"
#include "service/casework.h"
#include "service/reward.h"
#include "service/worklist.h"
#include "testutil.h"

static const case_actor town_b = {.name = "wang", .role = EW_ROLE_UNIT, .org = "town-b"};
static const case_actor enterprise = {.name = "qiye", .role = EW_ROLE_ENTERPRISE, .org = "Acme"};

typedef struct seen {
    int n;
    int64_t ids[8];
    bool pending[8];
} seen;

static int add(void *ctx, const office_case *c, bool reward_pending)
{
    seen *s = ctx;
    s->ids[s->n] = c->id;
    s->pending[s->n++] = reward_pending;
    return 0;
}

static seen list(store *st, const case_actor *who, int64_t now)
{
    seen s = {0};
    char err[256];
    assert_int_equal(worklist_cases(st, who, now, add, &s, err, sizeof err), EW_OK);
    return s;
}

static bool has(const seen *s, int64_t id, bool pending)
{
    for (int i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return s->pending[i] == pending;
    return false;
}

static void each_sees_what_waits_for_them(void **state)
{
    tu_store_fixture *f = *state;
    int64_t fresh = cf_report(f->s, 0);   /* reported: the bureau accepts it */
    int64_t signed_ = cf_report(f->s, 3); /* rectifying at town-a, deadline CF_T0 + 3 days */
    int64_t done = cf_report(f->s, 4);    /* rectified: the bureau verifies */
    int64_t closed = cf_report(f->s, 5);  /* closed public report: reward to decide */
    /* Before the deadline: the bureau has the new report, the rectified one and the reward;
     * not the rectification in time. town-a has its work; town-b and enterprises nothing. */
    seen b = list(f->s, &cf_bureau, CF_T0 + CF_DAY);
    assert_int_equal(b.n, 3);
    assert_true(has(&b, fresh, false) && has(&b, done, false) && has(&b, closed, true));
    seen a = list(f->s, &cf_town_a, CF_T0 + CF_DAY);
    assert_int_equal(a.n, 1);
    assert_true(has(&a, signed_, false));
    assert_int_equal(list(f->s, &town_b, CF_T0 + CF_DAY).n, 0);
    assert_int_equal(list(f->s, &enterprise, CF_T0 + CF_DAY).n, 0);
    /* Past the deadline the bureau sees the overdue rectification too. */
    b = list(f->s, &cf_bureau, CF_T0 + 4 * CF_DAY);
    assert_int_equal(b.n, 4);
    assert_true(has(&b, signed_, false));
    /* Once the reward is decided, the closed case leaves the bureau's list. */
    reward_decision d = {.status = "declined"};
    char err[256];
    assert_int_equal(
        reward_decide(f->s, closed, &d, &cf_bureau, CF_T0 + 4 * CF_DAY, "a", err, sizeof err),
        EW_OK);
    b = list(f->s, &cf_bureau, CF_T0 + 4 * CF_DAY);
    assert_int_equal(b.n, 3);
    assert_false(has(&b, closed, true));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_sees_what_waits_for_them, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
