/* Tests of src/service/worklist: whose worklist a case is on, over a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/casework.h"
#include "service/reward.h"
#include "service/worklist.h"
#include "testutil.h"

static const case_actor public_user = {.name = "public", .role = EW_ROLE_PUBLIC};
static const case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
static const case_actor town_a = {.name = "li", .role = EW_ROLE_UNIT, .org = "town-a"};
static const case_actor town_b = {.name = "wang", .role = EW_ROLE_UNIT, .org = "town-b"};
static const case_actor enterprise = {.name = "qiye", .role = EW_ROLE_ENTERPRISE, .org = "Acme"};
#define T0 INT64_C(1709251200)
#define DAY INT64_C(86400)
static const char *const photos[] = {"AAAAAAAAAAAAAAAAAAAAAA"};

/* A public report taken `steps` steps along accept, assign (town-a, 3 days), sign, submit,
 * verify. */
static int64_t report(store *s, int steps)
{
    case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                     .category = CASE_CAT_OPEN_BURNING,
                     .location = "经北五路",
                     .description = "露天焚烧",
                     .attachments = photos,
                     .n_attachments = 1};
    casework_meta m = {0};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error e = {{0}};
    assert_int_equal(casework_open(s, &r, &public_user, &m, T0, &id, tracking, &e), 0);
    case_cmd cmd[] = {{.action = CASE_ACT_ACCEPT},
                      {.action = CASE_ACT_ASSIGN, .unit = "town-a", .deadline_utc = T0 + 3 * DAY},
                      {.action = CASE_ACT_SIGN},
                      {.action = CASE_ACT_SUBMIT, .evidence = photos, .n_evidence = 1},
                      {.action = CASE_ACT_VERIFY}};
    const case_actor *by[] = {&bureau, &bureau, &town_a, &town_a, &bureau};
    for (int i = 0; i < steps; i++)
        assert_int_equal(casework_apply(s, id, &cmd[i], by[i], T0 + 60 * (i + 1), NULL, &e), 0);
    return id;
}

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
    int64_t fresh = report(f->s, 0);   /* reported: the bureau accepts it */
    int64_t signed_ = report(f->s, 3); /* rectifying at town-a, deadline T0 + 3 days */
    int64_t done = report(f->s, 4);    /* rectified: the bureau verifies */
    int64_t closed = report(f->s, 5);  /* closed public report: reward to decide */
    /* Before the deadline: the bureau has the new report, the rectified one and the reward;
     * not the rectification in time. town-a has its work; town-b and enterprises nothing. */
    seen b = list(f->s, &bureau, T0 + DAY);
    assert_int_equal(b.n, 3);
    assert_true(has(&b, fresh, false) && has(&b, done, false) && has(&b, closed, true));
    seen a = list(f->s, &town_a, T0 + DAY);
    assert_int_equal(a.n, 1);
    assert_true(has(&a, signed_, false));
    assert_int_equal(list(f->s, &town_b, T0 + DAY).n, 0);
    assert_int_equal(list(f->s, &enterprise, T0 + DAY).n, 0);
    /* Past the deadline the bureau sees the overdue rectification too. */
    b = list(f->s, &bureau, T0 + 4 * DAY);
    assert_int_equal(b.n, 4);
    assert_true(has(&b, signed_, false));
    /* Once the reward is decided, the closed case leaves the bureau's list. */
    reward_decision d = {.status = "declined"};
    char err[256];
    assert_int_equal(reward_decide(f->s, closed, &d, &bureau, T0 + 4 * DAY, "a", err, sizeof err),
                     EW_OK);
    b = list(f->s, &bureau, T0 + 4 * DAY);
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
