/* Tests of src/standards/ecoflow: daily means, daily compliance at the base flow, period
 * rates and the share of sections reaching 90 %. Flows in thousandths of m³/s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/ecoflow.h"

#define NA ECOFLOW_NA

static void daily_mean_skips_gaps_and_needs_enough_readings(void **state)
{
    (void)state;
    int64_t m = 0;
    /* (1.2 + 1.5 + 1.35) / 3 = 1.35 */
    int64_t q[] = {1200, NA, 1500, 1350};
    assert_int_equal(ecoflow_daily_mean(q, 4, 3, &m), 3);
    assert_true(m == 1350);
    /* Half-even on the thousandth: (1 + 2) / 2 = 1.5 thousandths → 2; (1 + 0) / 2 → 0. */
    int64_t h[] = {1, 2};
    assert_int_equal(ecoflow_daily_mean(h, 2, 1, &m), 2);
    assert_true(m == 2);
    int64_t h0[] = {1, 0};
    assert_int_equal(ecoflow_daily_mean(h0, 2, 1, &m), 2);
    assert_true(m == 0);
    m = 77;
    assert_int_equal(ecoflow_daily_mean(q, 4, 4, &m), EW_ENOTFOUND);
    assert_int_equal(ecoflow_daily_mean(q, 4, 0, &m), EW_EINVALID);
    int64_t neg[] = {100, -1};
    assert_int_equal(ecoflow_daily_mean(neg, 2, 1, &m), EW_EINVALID);
    assert_true(m == 77);
}

static void day_meets_target_at_exactly_the_base_flow(void **state)
{
    (void)state;
    assert_true(ecoflow_day_ok(2500, 2500));
    assert_false(ecoflow_day_ok(2499, 2500));
    assert_true(ecoflow_day_ok(2501, 2500));
    assert_false(ecoflow_day_ok(NA, 2500));
    assert_false(ecoflow_day_ok(2500, NA));
}

static void period_rate_excludes_missing_and_exempt_days(void **state)
{
    (void)state;
    ecoflow_day d[12];
    for (int i = 0; i < 12; i++)
        d[i] = (ecoflow_day){3000, 2500, false};
    d[0].mean_milli = 2499; /* just below: fails */
    d[1].mean_milli = 2500; /* at: meets */
    d[2].mean_milli = NA;   /* missing */
    d[3].exempt = true;     /* exempt even though it has data */
    d[3].mean_milli = 100;
    ecoflow_rate r;
    assert_int_equal(ecoflow_period(d, 12, &r), EW_OK);
    assert_int_equal(r.days, 12);
    assert_int_equal(r.valid, 10);
    assert_int_equal(r.compliant, 9);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.exempt, 1);
    assert_true(r.rate_milli == 90000); /* 9 / 10 = 90.000 % */
    /* A seasonal target: the same flow against a higher base that day fails. */
    d[4].base_milli = 3001;
    assert_int_equal(ecoflow_period(d, 12, &r), EW_OK);
    assert_int_equal(r.compliant, 8);
    assert_true(r.rate_milli == 80000);
    /* 2 of 3 → 66.667 % (half-even on the thousandth of a percent). */
    assert_int_equal(ecoflow_period(d + 1, 3, &r), EW_OK); /* d1 ok, d2 missing, d3 exempt */
    assert_int_equal(r.valid, 1);
    ecoflow_day e[3] = {{3000, 2500, false}, {3000, 2500, false}, {2000, 2500, false}};
    assert_int_equal(ecoflow_period(e, 3, &r), EW_OK);
    assert_true(r.rate_milli == 66667);
    /* Nothing valid: no rate. */
    ecoflow_day none[1] = {{NA, 2500, false}};
    assert_int_equal(ecoflow_period(none, 1, &r), EW_OK);
    assert_true(r.rate_milli == NA);
    /* Invalid input changes nothing. */
    ecoflow_rate before = r;
    ecoflow_day bad[2] = {{3000, 2500, false}, {3000, 0, false}};
    assert_int_equal(ecoflow_period(bad, 2, &r), EW_EINVALID);
    bad[1] = (ecoflow_day){-1, 2500, false};
    assert_int_equal(ecoflow_period(bad, 2, &r), EW_EINVALID);
    assert_memory_equal(&r, &before, sizeof r);
}

static void share_of_sections_reaching_90_percent(void **state)
{
    (void)state;
    int64_t rates[] = {90000, 89999, 100000, NA, 95000};
    size_t meeting = 0, rated = 0;
    int64_t s = ecoflow_sections_meeting(rates, 5, 90000, &meeting, &rated);
    assert_int_equal(meeting, 3);
    assert_int_equal(rated, 4);
    assert_true(s == 75000);
    int64_t none[] = {NA};
    assert_true(ecoflow_sections_meeting(none, 1, 90000, &meeting, &rated) == NA);
    assert_int_equal(rated, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(daily_mean_skips_gaps_and_needs_enough_readings),
        cmocka_unit_test(day_meets_target_at_exactly_the_base_flow),
        cmocka_unit_test(period_rate_excludes_missing_and_exempt_days),
        cmocka_unit_test(share_of_sections_reaching_90_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
