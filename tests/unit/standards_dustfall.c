/* Tests of src/standards/dustfall: HJ 1221-2021 arithmetic, the 30-day normalisation, the
 * exposure window and the monthly mean over sites. Results in thousandths of t/(km²·30 d). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/dustfall.h"

#define DAYS(d) ((int64_t)(d)*24)

/* A 0.01 m² (10 000 mm²) jar exposed `h` hours holding `net_ug` of dust, dish 50 g, blank
 * 2 mg. */
static dustfall_sample jar(int64_t net_ug, int64_t h)
{
    dustfall_sample s = {0};
    s.m0_ug = 50000000;
    s.m2_ug = 2000;
    s.m1_ug = s.m0_ug + s.m2_ug + net_ug;
    s.area_mm2 = 10000;
    s.exposure_h = h;
    return s;
}

static int64_t value(dustfall_sample s)
{
    int64_t v = -1;
    assert_int_equal(dustfall_value(&s, &dustfall_policy_default, &v, NULL, 0), EW_OK);
    return v;
}

static void value_is_net_mass_per_area_scaled_to_30_days(void **state)
{
    (void)state;
    /* 70 mg on 0.01 m² in 30 days: 7 g/m² = 7 t/km² per 30 d, exactly the zone's target. */
    assert_true(value(jar(70000, DAYS(30))) == 7000);
    /* The same dust in 28 days: × 30 / 28 = 7.5. */
    assert_true(value(jar(70000, DAYS(28))) == 7500);
    /* 31 days: 7 × 30 / 31 = 6.7741935… → 6.774. */
    assert_true(value(jar(70000, DAYS(31))) == 6774);
    /* The blank and the dish are subtracted: 1 µg more dust is 0.1 thousandth more. */
    assert_true(value(jar(70010, DAYS(30))) == 7001);
    /* Half-even on the thousandth: 7000.5 → 7000, 7001.5 → 7002. */
    assert_true(value(jar(70005, DAYS(30))) == 7000);
    assert_true(value(jar(70015, DAYS(30))) == 7002);
    assert_true(value(jar(0, DAYS(30))) == 0);
    /* A real jar: inner diameter 15.0 cm → 17 671 mm²; 123.7 mg in 30 days → 7.000. */
    assert_true(dustfall_jar_area_mm2(1500) == 17671);
    assert_true(dustfall_jar_area_mm2(0) == 0);
    dustfall_sample s = jar(123700, DAYS(30));
    s.area_mm2 = dustfall_jar_area_mm2(1500);
    assert_true(value(s) == 7000);
}

static void exposure_outside_30_plus_minus_2_days_is_refused(void **state)
{
    (void)state;
    int64_t v = 5;
    char err[96] = "";
    dustfall_sample s = jar(70000, DAYS(28) - 1);
    assert_int_equal(dustfall_value(&s, &dustfall_policy_default, &v, err, sizeof err),
                     EW_EINVALID);
    assert_non_null(strstr(err, "exposure"));
    s = jar(70000, DAYS(32) + 1);
    assert_int_equal(dustfall_value(&s, &dustfall_policy_default, &v, NULL, 0), EW_EINVALID);
    assert_true(v == 5);
    s = jar(70000, DAYS(32));
    assert_int_equal(dustfall_value(&s, &dustfall_policy_default, &v, NULL, 0), EW_OK);
    assert_true(v == 6562); /* 7 × 30 / 32 = 6.5625 → 6.562 (half-even) */
    /* Without a policy any positive exposure is accepted. */
    s = jar(70000, DAYS(15));
    assert_int_equal(dustfall_value(&s, NULL, &v, NULL, 0), EW_OK);
    assert_true(v == 14000);
}

static void invalid_samples_are_refused_and_change_nothing(void **state)
{
    (void)state;
    int64_t v = 5;
    char err[96] = "";
    dustfall_sample s = jar(70000, DAYS(30));
    s.invalid = true;
    assert_int_equal(dustfall_value(&s, NULL, &v, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "invalid"));
    s = jar(-1, DAYS(30));
    assert_int_equal(dustfall_value(&s, NULL, &v, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "negative"));
    s = jar(70000, DAYS(30));
    s.area_mm2 = 0;
    assert_int_equal(dustfall_value(&s, NULL, &v, NULL, 0), EW_EINVALID);
    s = jar(70000, 0);
    assert_int_equal(dustfall_value(&s, NULL, &v, NULL, 0), EW_EINVALID);
    assert_true(v == 5);
}

static void monthly_mean_over_sites_leaves_out_controls_and_rejects(void **state)
{
    (void)state;
    dustfall_sample s[5] = {
        jar(60000, DAYS(30)), /* 6.000 */
        jar(80000, DAYS(30)), /* 8.000 */
        jar(65000, DAYS(30)), /* 6.500 */
        jar(20000, DAYS(30)), /* control: 2.000 */
        jar(90000, DAYS(30)), /* broken jar */
    };
    s[3].control = true;
    s[4].invalid = true;
    dustfall_mean m;
    dustfall_area_mean(s, 5, NULL, &m);
    assert_int_equal(m.sites, 5);
    assert_int_equal(m.used, 3);
    assert_int_equal(m.controls, 1);
    assert_int_equal(m.rejected, 1);
    assert_true(m.mean_milli == 6833); /* 20.5 / 3 = 6.8333… */
    assert_true(m.max_milli == 8000);
    assert_true(m.min_milli == 6000);
    /* A programme that counts its control site. */
    dustfall_policy p = dustfall_policy_default;
    p.include_control = true;
    dustfall_area_mean(s, 5, &p, &m);
    assert_int_equal(m.used, 4);
    assert_int_equal(m.controls, 0);
    assert_true(m.mean_milli == 5625); /* 22.5 / 4 */
    assert_true(m.min_milli == 2000);
    /* Nothing usable. */
    dustfall_area_mean(s + 3, 2, NULL, &m);
    assert_int_equal(m.used, 0);
    assert_true(m.mean_milli == DUSTFALL_NA && m.max_milli == DUSTFALL_NA);
    /* Annual mean of monthly values, a missing month skipped. */
    int64_t months[] = {7000, DUSTFALL_NA, 6000, 8001};
    int64_t a = 0;
    assert_int_equal(dustfall_mean_of(months, 4, &a), 3);
    assert_true(a == 7000); /* 21001 / 3 = 7000.33 */
    int64_t none[] = {DUSTFALL_NA};
    assert_int_equal(dustfall_mean_of(none, 1, &a), EW_ENOTFOUND);
    assert_true(a == 7000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(value_is_net_mass_per_area_scaled_to_30_days),
        cmocka_unit_test(exposure_outside_30_plus_minus_2_days_is_refused),
        cmocka_unit_test(invalid_samples_are_refused_and_change_nothing),
        cmocka_unit_test(monthly_mean_over_sites_leaves_out_controls_and_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
