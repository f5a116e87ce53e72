/* Tests of src/standards/wastewater: HJ 356-2019 hourly values, flow-weighted daily means,
 * the pH range.
 *
 * Values are thousandths (mg/L, pH units, m³); expected figures are worked beside each
 * assertion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/wastewater.h"

#define U(x) ((int64_t)(x)*1000)

static void hour_is_abnormal_with_one_abnormal_result(void **state)
{
    (void)state;
    ww_value r[3] = {{U(30), 'N'}, {U(31), 0}, {U(90), 'C'}};
    ww_hour h;
    /* Two normal results: mean 30.5. */
    assert_int_equal(ww_hour_value(r, 2, &h), EW_OK);
    assert_true(h.valid);
    assert_int_equal(h.milli, 30500);
    assert_int_equal(h.flag, 'N');
    /* The calibration result makes the whole hour abnormal (HJ 212 annex, wastewater). */
    assert_int_equal(ww_hour_value(r, 3, &h), EW_OK);
    assert_false(h.valid);
    assert_int_equal(h.milli, WW_NA);
    assert_int_equal(h.n_abnormal, 1);
    assert_int_equal(h.flag, 'C');
    /* No result: invalid, D. */
    assert_int_equal(ww_hour_value(NULL, 0, &h), EW_OK);
    assert_false(h.valid);
    assert_int_equal(h.flag, 'D');
    /* Half-even: 0.001 and 0.002 → 0.0015 → 0.002; 0.002 and 0.003 → 0.002. */
    ww_value e[2] = {{1, 'N'}, {2, 'N'}};
    assert_int_equal(ww_hour_value(e, 2, &h), EW_OK);
    assert_int_equal(h.milli, 2);
    e[0].milli = 3;
    assert_int_equal(ww_hour_value(e, 2, &h), EW_OK);
    assert_int_equal(h.milli, 2);
    /* Refused input leaves the output alone. */
    ww_hour before = h;
    e[0].milli = WW_MAX_MILLI + 1;
    assert_int_equal(ww_hour_value(e, 2, &h), EW_EINVALID);
    assert_int_equal(ww_hour_value(NULL, 1, &h), EW_EINVALID);
    assert_memory_equal(&h, &before, sizeof h);
}

/* n valid hours of value c and volume q, the rest invalid. */
static void day(ww_day_hour *h, int n_valid, int64_t c, int64_t q)
{
    for (int i = 0; i < 24; i++) {
        h[i].conc_milli = i < n_valid ? c : WW_NA;
        h[i].conc_valid = i < n_valid;
        h[i].volume_milli = q;
        h[i].volume_valid = true;
    }
}

static void day_needs_75_percent_of_expected_hours(void **state)
{
    (void)state;
    ww_day_hour h[24];
    ww_day d;
    ww_day_rule rule = ww_day_rule_default();
    /* 18 of 24 = 75 %: valid. */
    day(h, 18, U(40), U(100));
    assert_int_equal(ww_day_value(WW_COD, h, 24, &rule, &d), EW_OK);
    assert_true(d.valid);
    assert_int_equal(d.status, WW_DAY_VALID);
    assert_int_equal(d.n_used, 18);
    assert_int_equal(d.mean_milli, U(40));
    /* Volume counts every hour with a valid volume: 24 × 100. */
    assert_int_equal(d.volume_milli, U(2400));
    /* 17: insufficient, no mean, but the arithmetic mean and range for display. */
    day(h, 17, U(40), U(100));
    assert_int_equal(ww_day_value(WW_COD, h, 24, &rule, &d), EW_OK);
    assert_false(d.valid);
    assert_int_equal(d.status, WW_DAY_INSUFFICIENT);
    assert_int_equal(d.mean_milli, WW_NA);
    assert_int_equal(d.arith_milli, U(40));
    assert_int_equal(d.max_milli, U(40));
    /* Two-hourly analyser: 12 expected, 9 needed. */
    ww_day_rule two = {12, 750};
    day(h, 9, U(40), U(100));
    assert_int_equal(ww_day_value(WW_COD, h, 24, &two, &d), EW_OK);
    assert_true(d.valid);
    day(h, 8, U(40), U(100));
    assert_int_equal(ww_day_value(WW_COD, h, 24, &two, &d), EW_OK);
    assert_false(d.valid);
    /* A share of the outlet's own, 20 hours given: at 833 ‰, 20 × 1000 = 20000 ≥ 833 × 24 =
     * 19992, valid; at 834 ‰, 834 × 24 = 20016 > 20000, not. */
    ww_day_rule r833 = {24, 833}, r834 = {24, 834};
    day(h, 20, U(40), U(100));
    assert_int_equal(ww_day_value(WW_COD, h, 24, &r833, &d), EW_OK);
    assert_true(d.valid);
    assert_int_equal(ww_day_value(WW_COD, h, 24, &r834, &d), EW_OK);
    assert_false(d.valid);
}

static void daily_mean_is_flow_weighted(void **state)
{
    (void)state;
    ww_day_hour h[24];
    ww_day d;
    ww_day_rule rule = ww_day_rule_default();
    /* 12 hours at 10 mg/L × 100 m³ and 12 at 40 × 300:
     * (12·10·100 + 12·40·300) / (12·100 + 12·300) = (12000 + 144000) / 4800 = 32.5;
     * the arithmetic mean would be 25. */
    day(h, 24, U(10), U(100));
    for (int i = 12; i < 24; i++) {
        h[i].conc_milli = U(40);
        h[i].volume_milli = U(300);
    }
    assert_int_equal(ww_day_value(WW_NH3N, h, 24, &rule, &d), EW_OK);
    assert_true(d.valid);
    assert_int_equal(d.mean_milli, 32500);
    assert_int_equal(d.arith_milli, 25000);
    assert_int_equal(d.min_milli, U(10));
    assert_int_equal(d.max_milli, U(40));
    assert_int_equal(d.volume_milli, U(4800));
    /* An hour with a valid value but no valid volume does not enter: drop the volume of
     * six 40-hours: (12000 + 6·40·300) / (1200 + 1800) = 84000 / 3000 = 28. */
    for (int i = 18; i < 24; i++)
        h[i].volume_valid = false;
    assert_int_equal(ww_day_value(WW_NH3N, h, 24, &rule, &d), EW_OK);
    assert_int_equal(d.n_used, 18);
    assert_int_equal(d.mean_milli, U(28));
    /* With a seventh: 17 hours, insufficient. */
    h[17].volume_valid = false;
    assert_int_equal(ww_day_value(WW_NH3N, h, 24, &rule, &d), EW_OK);
    assert_false(d.valid);
    /* Rounding: 1 mg/L × 1 m³ and 2 mg/L × 2 m³ over 3 m³ = 5/3 = 1.6667 → 1.667. */
    ww_day_hour s[2] = {{U(1), true, U(1), true}, {U(2), true, U(2), true}};
    ww_day_rule r2 = {2, 1000};
    assert_int_equal(ww_day_value(WW_TP, s, 2, &r2, &d), EW_OK);
    assert_int_equal(d.mean_milli, 1667);
    /* Large values do not overflow: 24 × 1e6 mg/L × 1e6 m³. */
    day(h, 24, WW_MAX_MILLI, WW_MAX_MILLI);
    assert_int_equal(ww_day_value(WW_COD, h, 24, &rule, &d), EW_OK);
    assert_int_equal(d.mean_milli, WW_MAX_MILLI);
}

static void day_without_discharge_has_no_weighted_mean(void **state)
{
    (void)state;
    ww_day_hour h[24];
    ww_day d;
    ww_day_rule rule = ww_day_rule_default();
    day(h, 24, U(12), 0);
    assert_int_equal(ww_day_value(WW_TN, h, 24, &rule, &d), EW_OK);
    assert_false(d.valid);
    assert_int_equal(d.status, WW_DAY_NO_DISCHARGE);
    assert_int_equal(d.mean_milli, WW_NA);
    assert_int_equal(d.arith_milli, U(12));
    /* One hour with discharge is enough for a weighted mean. */
    h[5].volume_milli = 1;
    assert_int_equal(ww_day_value(WW_TN, h, 24, &rule, &d), EW_OK);
    assert_true(d.valid);
    assert_int_equal(d.mean_milli, U(12));
}

static void ph_has_a_range_not_a_mean(void **state)
{
    (void)state;
    ww_day_hour h[24];
    ww_day d;
    ww_day_rule rule = ww_day_rule_default();
    day(h, 18, 7200, WW_NA);
    for (int i = 0; i < 24; i++)
        h[i].volume_valid = false; /* pH needs no volume */
    h[3].conc_milli = 6100;
    h[9].conc_milli = 9300;
    assert_int_equal(ww_day_value(WW_PH, h, 24, &rule, &d), EW_OK);
    assert_true(d.valid);
    assert_int_equal(d.n_used, 18);
    assert_int_equal(d.mean_milli, WW_NA);
    assert_int_equal(d.arith_milli, WW_NA);
    assert_int_equal(d.min_milli, 6100);
    assert_int_equal(d.max_milli, 9300);
    h[17].conc_valid = false;
    assert_int_equal(ww_day_value(WW_PH, h, 24, &rule, &d), EW_OK);
    assert_false(d.valid);
    assert_true(ww_param_info_of(WW_PH)->range_only);
    assert_false(ww_param_info_of(WW_COD)->range_only);
}

static void parameters_by_hj212_code(void **state)
{
    (void)state;
    ww_param p;
    assert_int_equal(ww_param_parse("w01018", 6, &p), 0);
    assert_int_equal(p, WW_COD);
    assert_int_equal(ww_param_parse("w21003", 6, &p), 0);
    assert_int_equal(p, WW_NH3N);
    assert_int_equal(ww_param_parse("w20111", 6, &p), 0);
    assert_int_equal(p, WW_HG);
    assert_int_equal(ww_param_parse("w0101", 5, &p), -1);
    assert_int_equal(ww_param_parse("W01018", 6, &p), -1);
    assert_string_equal(ww_param_info_of(WW_TP)->code, "w21011");
    assert_string_equal(ww_param_info_of(WW_HG)->unit, "ug/L");
    assert_null(ww_param_info_of(WW_PARAM_COUNT));
    for (int i = 0; i < WW_PARAM_COUNT; i++)
        assert_int_equal(ww_param_info_of((ww_param)i)->param, i);
}

static void bad_day_input_is_refused_and_changes_nothing(void **state)
{
    (void)state;
    ww_day_hour h[24];
    day(h, 24, U(1), U(1));
    ww_day d;
    memset(&d, 0x5a, sizeof d);
    ww_day before = d;
    ww_day_rule rule = ww_day_rule_default(), r0 = {0, 750}, r25 = {25, 750}, s0 = {24, 0},
                s1001 = {24, 1001};
    assert_int_equal(ww_day_value(WW_PARAM_COUNT, h, 24, &rule, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, h, 25, &rule, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, NULL, 2, &rule, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, h, 24, NULL, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, h, 24, &r0, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, h, 24, &r25, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, h, 24, &s0, &d), EW_EINVALID);
    assert_int_equal(ww_day_value(WW_COD, h, 24, &s1001, &d), EW_EINVALID);
    h[4].volume_milli = -1;
    assert_int_equal(ww_day_value(WW_COD, h, 24, &rule, &d), EW_EINVALID);
    h[4].volume_milli = U(1);
    h[5].conc_milli = WW_MAX_MILLI + 1;
    assert_int_equal(ww_day_value(WW_COD, h, 24, &rule, &d), EW_EINVALID);
    assert_memory_equal(&d, &before, sizeof d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hour_is_abnormal_with_one_abnormal_result),
        cmocka_unit_test(day_needs_75_percent_of_expected_hours),
        cmocka_unit_test(daily_mean_is_flow_weighted),
        cmocka_unit_test(day_without_discharge_has_no_weighted_mean),
        cmocka_unit_test(ph_has_a_range_not_a_mean),
        cmocka_unit_test(parameters_by_hj212_code),
        cmocka_unit_test(bad_day_input_is_refused_and_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
