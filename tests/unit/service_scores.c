/* Tests of src/service/scores: which units are scored and in what order, on the shipped
 * plan and a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "casefix.h"
#include "fault.h"
#include "service/scores.h"
#include "testutil.h"

#define SHIPPED TEST_DATA_DIR "/../../data/plan/" PLAN_DEFAULT_FILE

static void units_that_carry_tasks_highest_first(void **state)
{
    tu_store_fixture *f = *state;
    plan_error pe;
    plan *p = plan_load_file(SHIPPED, &pe);
    assert_non_null(p);
    /* Nothing reported: by mid-2026 every task is overdue, and units with more tasks
     * lose more. */
    ledger_task_state *st = calloc(p->n_tasks + 1, sizeof *st);
    ew_civil a = {.year = 2025, .mon = 1, .day = 1}, b = {.year = 2026, .mon = 6, .day = 30};
    int64_t from = ew_bj_to_utc(&a), to = ew_bj_to_utc(&b);
    scores_result r;
    char err[256];
    assert_int_equal(scores_compute(f->s, p, st, NULL, from, to, NULL, &r, err, sizeof err), EW_OK);
    size_t carrying = 0;
    for (size_t u = 0; u < p->n_units; u++)
        for (size_t t = 0; t < p->n_tasks; t++)
            if (ledger_unit_answers_for(p, &p->tasks[t], p->units[u].id)) {
                carrying++;
                break;
            }
    assert_int_equal(r.n, carrying);
    assert_true(r.n >= 2);
    bool differ = false;
    for (size_t i = 1; i < r.n; i++) {
        assert_true(r.units[i - 1].total >= r.units[i].total);
        if (r.units[i - 1].total != r.units[i].total)
            differ = true;
        /* Equal totals keep the plan's unit order. */
        if (r.units[i - 1].total == r.units[i].total)
            assert_true(r.units[i - 1].unit < r.units[i].unit);
    }
    assert_true(differ); /* else the order would prove nothing */
    scores_free(&r);
    /* One unit alone. */
    const char *one = p->units[r.n ? 0 : 0].id;
    size_t want = 0;
    for (size_t t = 0; t < p->n_tasks; t++)
        want |= ledger_unit_answers_for(p, &p->tasks[t], one);
    assert_int_equal(scores_compute(f->s, p, st, NULL, from, to, one, &r, err, sizeof err), EW_OK);
    assert_int_equal(r.n, want);
    scores_free(&r);
    assert_int_equal(
        scores_compute(f->s, p, st, NULL, from, to, "no-such-unit", &r, err, sizeof err), EW_OK);
    assert_int_equal(r.n, 0);
    scores_free(&r);
    free(st);
    plan_free(p);
}

/* A case whose log cannot be read fails the scores instead of leaving it out. */
static void an_unreadable_case_fails_the_scores(void **state)
{
    tu_store_fixture *f = *state;
    plan_error pe;
    plan *p = plan_load_file(SHIPPED, &pe);
    assert_non_null(p);
    (void)cf_report(f->s, 2);
    ledger_task_state *st = calloc(p->n_tasks + 1, sizeof *st);
    scores_result r;
    char err[256] = "";
    fault ft;
    fault_on(&ft, f->s, "SELECT e.case_id, e.seq, at_utc, action");
    assert_int_equal(
        scores_compute(f->s, p, st, NULL, CF_T0, CF_T0 + CF_DAY, NULL, &r, err, sizeof err),
        EW_EINTERNAL);
    fault_off(&ft);
    assert_true(ft.hits > 0);
    assert_non_null(strstr(err, "scores"));
    scores_free(&r);
    assert_int_equal(
        scores_compute(f->s, p, st, NULL, CF_T0, CF_T0 + CF_DAY, NULL, &r, err, sizeof err), EW_OK);
    assert_int_equal(r.n_cases, 1);
    scores_free(&r);
    free(st);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(units_that_carry_tasks_highest_first, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(an_unreadable_case_fails_the_scores, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
