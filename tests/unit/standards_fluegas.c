/* Tests of src/standards/fluegas: HJ 75-2017 hourly means, O2 conversion, rates, totals.
 *
 * Values are thousandths of their unit (mg/m³, %, m³/h, kg/h, kg); every expected figure is
 * worked by hand beside its assertion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/fluegas.h"

#define U(x) ((int64_t)(x)*1000) /* whole units → thousandths */

/* n minutes of value v with flag f starting at m[from]. */
static void fill(fluegas_minute *m, int from, int n, int64_t v, char f)
{
    for (int i = from; i < from + n; i++) {
        m[i].milli = v;
        m[i].flag = f;
    }
}

static void hour_needs_45_valid_minutes(void **state)
{
    (void)state;
    fluegas_minute m[60];
    fluegas_mean r;
    /* 45 N minutes at 10 and 15 M minutes at 999: valid, mean 10 (M minutes do not count). */
    fill(m, 0, 45, U(10), 'N');
    fill(m, 45, 15, U(999), 'M');
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
    assert_true(r.valid);
    assert_int_equal(r.n_valid, 45);
    assert_int_equal(r.n_flag[FLUEGAS_FLAG_M], 15);
    assert_int_equal(r.mean_milli, U(10));
    assert_int_equal(r.flag, 'N');
    /* One minute less (44 valid): invalid, no mean, flagged D (HJ 212 annex 75 % rule). */
    m[44].flag = 'D';
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
    assert_false(r.valid);
    assert_int_equal(r.n_valid, 44);
    assert_int_equal(r.n_flag[FLUEGAS_FLAG_D], 1);
    assert_int_equal(r.mean_milli, FLUEGAS_NA);
    assert_int_equal(r.flag, 'D');
    /* 45 minutes given, all valid, 15 missing: valid. */
    assert_int_equal(fluegas_hour_mean(m, 44, &r), EW_OK);
    assert_false(r.valid);
    fill(m, 0, 45, U(10), 'N');
    assert_int_equal(fluegas_hour_mean(m, 45, &r), EW_OK);
    assert_true(r.valid);
    assert_int_equal(r.n_total, 45);
}

static void every_non_normal_flag_is_excluded(void **state)
{
    (void)state;
    const char *bad = "FMSDCTBPXn";
    for (const char *f = bad; *f; f++) {
        assert_false(fluegas_flag_valid(*f));
        fluegas_minute m[60];
        fluegas_mean r;
        /* 50 minutes at 20, 10 at 80 with the flag: the mean is 20 (80 would give 30). */
        fill(m, 0, 50, U(20), 'N');
        fill(m, 50, 10, U(80), *f);
        assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
        assert_int_equal(r.mean_milli, U(20));
        assert_int_equal(r.n_valid, 50);
    }
    assert_int_equal(fluegas_flag_classify('T'), FLUEGAS_FLAG_T);
    assert_int_equal(fluegas_flag_classify('B'), FLUEGAS_FLAG_B);
    assert_int_equal(fluegas_flag_classify('P'), FLUEGAS_FLAG_P);
    assert_int_equal(fluegas_flag_classify('x'), FLUEGAS_FLAG_OTHER);
    assert_true(fluegas_flag_valid('N'));
    assert_true(fluegas_flag_valid(0)); /* platform-computed values carry no flag */
}

static void mean_rounds_half_to_even(void **state)
{
    (void)state;
    fluegas_minute m[60];
    fluegas_mean r;
    /* 30 minutes at 0.001 and 30 at 0.002: mean 0.0015 → 0.002 (2 is even). */
    fill(m, 0, 30, 1, 'N');
    fill(m, 30, 30, 2, 'N');
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
    assert_int_equal(r.mean_milli, 2);
    /* 30 at 0.002 and 30 at 0.003: 0.0025 → 0.002. */
    fill(m, 0, 30, 2, 'N');
    fill(m, 30, 30, 3, 'N');
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
    assert_int_equal(r.mean_milli, 2);
    /* 59 at 10 and one at 10.059: 10.000983… → 10.001. */
    fill(m, 0, 59, U(10), 'N');
    m[59].milli = U(10) + 59;
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
    assert_int_equal(r.mean_milli, U(10) + 1);
}

static void bad_hour_input_is_refused_and_changes_nothing(void **state)
{
    (void)state;
    fluegas_minute m[61];
    fill(m, 0, 61, U(1), 'N');
    fluegas_mean r;
    memset(&r, 0x5a, sizeof r);
    fluegas_mean before = r;
    assert_int_equal(fluegas_hour_mean(m, 61, &r), EW_EINVALID);
    assert_memory_equal(&r, &before, sizeof r);
    assert_int_equal(fluegas_hour_mean(NULL, 3, &r), EW_EINVALID);
    m[3].milli = FLUEGAS_MAX_MILLI + 1;
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_EINVALID);
    assert_memory_equal(&r, &before, sizeof r);
    /* The same value with an invalid flag is not read, so it is no error. */
    m[3].flag = 'D';
    assert_int_equal(fluegas_hour_mean(m, 60, &r), EW_OK);
    assert_int_equal(fluegas_hour_mean(NULL, 0, &r), EW_OK);
    assert_false(r.valid);
}

static int64_t corr(int64_t c, int64_t o2, int64_t ref, fluegas_corr *how)
{
    fluegas_o2_rule r = fluegas_o2_rule_default(ref);
    int64_t v;
    assert_int_equal(fluegas_correct(c, o2, &r, &v, how), EW_OK);
    return v;
}

static void conversion_to_reference_oxygen(void **state)
{
    (void)state;
    fluegas_corr how;
    /* Coal-fired boiler, reference 9 % (GB 13271-2014): 100 at 12 % → 100 × 12 / 9 = 133.333. */
    assert_int_equal(corr(U(100), U(12), U(9), &how), 133333);
    assert_int_equal(how, FLUEGAS_CORR_OK);
    /* At the reference O2 the value is unchanged; below it the value goes down:
     * 100 at 6 % → 100 × 12 / 15 = 80. */
    assert_int_equal(corr(U(100), U(9), U(9), &how), U(100));
    assert_int_equal(corr(U(100), U(6), U(9), &how), U(80));
    /* Cement kiln, reference 10 % (GB 4915-2013): 50 at 15.5 % → 50 × 11 / 5.5 = 100. */
    assert_int_equal(corr(U(50), 15500, U(10), &how), U(100));
    /* Gas turbine, 15 %: 30 at 16 % → 30 × 6 / 5 = 36. */
    assert_int_equal(corr(U(30), U(16), U(15), &how), U(36));
    /* Half-even on the thousandth: ref 20.5, O2 20 (guard 21): 0.001 × 0.5 / 1 = 0.0005 → 0;
     * 0.003 × 0.5 = 0.0015 → 0.002. */
    fluegas_o2_rule r = {20500, 21000};
    int64_t v;
    assert_int_equal(fluegas_correct(1, 20000, &r, &v, &how), EW_OK);
    assert_int_equal(v, 0);
    assert_int_equal(fluegas_correct(3, 20000, &r, &v, &how), EW_OK);
    assert_int_equal(v, 2);
}

static void oxygen_guard_at_19_percent(void **state)
{
    (void)state;
    fluegas_corr how;
    /* Just below the guard: 100 at 18.999 % → 100 × 12 / 2.001 = 599.70015 → 599.700. */
    assert_int_equal(corr(U(100), 18999, U(9), &how), 599700);
    assert_int_equal(how, FLUEGAS_CORR_OK);
    /* Exactly at the guard and above it: no converted value. */
    assert_int_equal(corr(U(100), U(19), U(9), &how), FLUEGAS_NA);
    assert_int_equal(how, FLUEGAS_CORR_O2_HIGH);
    assert_int_equal(corr(U(100), U(21), U(9), &how), FLUEGAS_NA);
    assert_int_equal(how, FLUEGAS_CORR_O2_HIGH);
    /* A guard of the outlet's own: 18 %. */
    fluegas_o2_rule r = {U(9), U(18)};
    int64_t v = 7;
    assert_int_equal(fluegas_correct(U(100), U(18), &r, &v, &how), EW_OK);
    assert_int_equal(how, FLUEGAS_CORR_O2_HIGH);
    assert_int_equal(fluegas_correct(U(100), 17999, &r, &v, &how), EW_OK);
    assert_int_equal(how, FLUEGAS_CORR_OK);
    /* No reference O2: the measured value is judged whatever the O2. */
    assert_int_equal(corr(U(100), U(20), FLUEGAS_NA, &how), U(100));
    assert_int_equal(how, FLUEGAS_CORR_NOT_REQUIRED);
}

static void bad_conversion_input_is_refused(void **state)
{
    (void)state;
    fluegas_corr how = FLUEGAS_CORR_NO_VALUE;
    int64_t v = 42;
    fluegas_o2_rule r = fluegas_o2_rule_default(U(9));
    assert_int_equal(fluegas_correct(U(1), -1, &r, &v, &how), EW_EINVALID);
    assert_int_equal(fluegas_correct(U(1), 21001, &r, &v, &how), EW_EINVALID);
    assert_int_equal(fluegas_correct(FLUEGAS_MAX_MILLI + 1, U(10), &r, &v, &how), EW_EINVALID);
    fluegas_o2_rule bad1 = {U(19), U(19)}; /* reference not below the guard */
    fluegas_o2_rule bad2 = {U(9), 21001};  /* guard above air */
    fluegas_o2_rule bad3 = {-1, U(19)};
    assert_int_equal(fluegas_correct(U(1), U(10), &bad1, &v, &how), EW_EINVALID);
    assert_int_equal(fluegas_correct(U(1), U(10), &bad2, &v, &how), EW_EINVALID);
    assert_int_equal(fluegas_correct(U(1), U(10), &bad3, &v, &how), EW_EINVALID);
    assert_int_equal(fluegas_correct(U(1), U(10), NULL, &v, &how), EW_EINVALID);
    assert_int_equal(v, 42);
    assert_int_equal(how, FLUEGAS_CORR_NO_VALUE);
}

static void emission_rate_from_flow(void **state)
{
    (void)state;
    int64_t g = 0;
    /* 100 mg/m³ × 200 000 m³/h × 1e-6 = 20 kg/h. */
    assert_int_equal(fluegas_rate(U(100), U(200000), &g), EW_OK);
    assert_int_equal(g, U(20));
    /* 35.5 mg/m³ × 123 456 m³/h = 4 382 688 mg/h = 4.382688 kg/h → 4.383. */
    assert_int_equal(fluegas_rate(35500, U(123456), &g), EW_OK);
    assert_int_equal(g, 4383);
    /* Half-even: 0.5 mg/m³ × 1000 m³/h = 0.0005 kg/h → 0; 1.5 × 1000 = 0.0015 → 0.002. */
    assert_int_equal(fluegas_rate(500, U(1000), &g), EW_OK);
    assert_int_equal(g, 0);
    assert_int_equal(fluegas_rate(1500, U(1000), &g), EW_OK);
    assert_int_equal(g, 2);
    /* The largest inputs do not overflow: 1e9 × 1e9 × 1e-6 = 1e12 kg/h. */
    assert_int_equal(fluegas_rate(FLUEGAS_MAX_MILLI, FLUEGAS_MAX_MILLI, &g), EW_OK);
    assert_int_equal(g, FLUEGAS_MAX_MILLI * 1000);
    g = 9;
    assert_int_equal(fluegas_rate(U(1), -1, &g), EW_EINVALID);
    assert_int_equal(fluegas_rate(U(1), FLUEGAS_MAX_MILLI + 1, &g), EW_EINVALID);
    assert_int_equal(g, 9);
}

static void hour_keeps_raw_and_converted_side_by_side(void **state)
{
    (void)state;
    fluegas_minute c[60], o2[60], q[60];
    fill(c, 0, 60, U(80), 'N');
    fill(o2, 0, 60, U(12), 'N');
    fill(q, 0, 60, U(150000), 'N');
    fluegas_hour_in in = {c, o2, q, 60, 60, 60, fluegas_o2_rule_default(U(9))};
    fluegas_hour h;
    assert_int_equal(fluegas_hour_compute(&in, &h), EW_OK);
    assert_true(h.valid);
    assert_int_equal(h.raw_milli, U(80));
    /* 80 × 12 / 9 = 106.667 (106.6666…). */
    assert_int_equal(h.corrected_milli, 106667);
    assert_int_equal(h.judged_milli, 106667);
    assert_int_equal(h.corr, FLUEGAS_CORR_OK);
    /* Rate from the measured value: 80 × 150 000 × 1e-6 = 12 kg/h, not from 106.667. */
    assert_int_equal(h.rate_kgh_milli, U(12));

    /* O2 with 44 valid minutes: no converted value, but raw and rate stay. */
    fill(o2, 0, 16, U(12), 'C');
    assert_int_equal(fluegas_hour_compute(&in, &h), EW_OK);
    assert_int_equal(h.corr, FLUEGAS_CORR_NO_O2);
    assert_int_equal(h.corrected_milli, FLUEGAS_NA);
    assert_int_equal(h.judged_milli, FLUEGAS_NA);
    assert_int_equal(h.raw_milli, U(80));
    assert_int_equal(h.rate_kgh_milli, U(12));
    /* O2 with 45 valid minutes: converted again. */
    o2[15].flag = 'N';
    assert_int_equal(fluegas_hour_compute(&in, &h), EW_OK);
    assert_int_equal(h.corr, FLUEGAS_CORR_OK);

    /* O2 pinned at 19.5 %: guarded. */
    fill(o2, 0, 60, 19500, 'N');
    assert_int_equal(fluegas_hour_compute(&in, &h), EW_OK);
    assert_int_equal(h.corr, FLUEGAS_CORR_O2_HIGH);
    assert_int_equal(h.judged_milli, FLUEGAS_NA);

    /* Concentration with 44 valid minutes: nothing but the counts. */
    fill(o2, 0, 60, U(12), 'N');
    fill(c, 0, 16, U(80), 'F');
    assert_int_equal(fluegas_hour_compute(&in, &h), EW_OK);
    assert_false(h.valid);
    assert_int_equal(h.corr, FLUEGAS_CORR_NO_VALUE);
    assert_int_equal(h.raw_milli, FLUEGAS_NA);
    assert_int_equal(h.rate_kgh_milli, FLUEGAS_NA);
    assert_int_equal(h.conc.n_flag[FLUEGAS_FLAG_F], 16);

    /* No reference O2 (GB 16297-1996 stack): judged on the measured value, no O2 needed. */
    fill(c, 0, 60, U(80), 'N');
    fluegas_hour_in plain = {c, NULL, NULL, 60, 0, 0, fluegas_o2_rule_default(FLUEGAS_NA)};
    assert_int_equal(fluegas_hour_compute(&plain, &h), EW_OK);
    assert_int_equal(h.corr, FLUEGAS_CORR_NOT_REQUIRED);
    assert_int_equal(h.judged_milli, U(80));
    assert_int_equal(h.corrected_milli, FLUEGAS_NA);
    assert_int_equal(h.rate_kgh_milli, FLUEGAS_NA);

    /* A reference O2 without O2 data is a configuration error. */
    fluegas_hour before = h;
    fluegas_hour_in no_o2 = {c, NULL, NULL, 60, 0, 0, fluegas_o2_rule_default(U(9))};
    assert_int_equal(fluegas_hour_compute(&no_o2, &h), EW_EINVALID);
    assert_memory_equal(&h, &before, sizeof h);
}

static void totals_add_valid_hours_and_count_the_rest(void **state)
{
    (void)state;
    fluegas_hour h[4];
    memset(h, 0, sizeof h);
    h[0].rate_kgh_milli = U(12);
    h[1].rate_kgh_milli = 4383;
    h[2].rate_kgh_milli = FLUEGAS_NA;
    h[3].rate_kgh_milli = 0;
    fluegas_total t;
    assert_int_equal(fluegas_total_of(h, 4, &t), EW_OK);
    assert_int_equal(t.kg_milli, U(12) + 4383);
    assert_int_equal(t.hours_counted, 3);
    assert_int_equal(t.hours_missing, 1);
    h[0].rate_kgh_milli = FLUEGAS_MAX_MILLI * 1000000;
    h[1].rate_kgh_milli = 1;
    fluegas_total before = t;
    assert_int_equal(fluegas_total_of(h, 4, &t), EW_EINVALID);
    assert_memory_equal(&t, &before, sizeof t);
}

static void day_needs_20_valid_hours(void **state)
{
    (void)state;
    fluegas_hour h[24];
    memset(h, 0, sizeof h);
    /* 20 hours raw 80, judged 100; 4 invalid hours (raw 999 is not read). */
    for (int i = 0; i < 24; i++) {
        h[i].valid = i < 20;
        h[i].raw_milli = i < 20 ? U(80) : U(999);
        h[i].judged_milli = i < 20 ? U(100) : FLUEGAS_NA;
    }
    fluegas_day d;
    assert_int_equal(fluegas_day_mean(h, 24, &d), EW_OK);
    assert_true(d.raw_valid);
    assert_true(d.judged_valid);
    assert_int_equal(d.n_raw, 20);
    assert_int_equal(d.raw_milli, U(80));
    assert_int_equal(d.judged_milli, U(100));
    /* One hour with raw but no judged value (O2 high): judged day has 19, invalid. */
    h[0].judged_milli = FLUEGAS_NA;
    assert_int_equal(fluegas_day_mean(h, 24, &d), EW_OK);
    assert_true(d.raw_valid);
    assert_false(d.judged_valid);
    assert_int_equal(d.n_judged, 19);
    assert_int_equal(d.judged_milli, FLUEGAS_NA);
    /* 19 valid hours: no daily raw mean either. */
    h[1].valid = false;
    assert_int_equal(fluegas_day_mean(h, 24, &d), EW_OK);
    assert_false(d.raw_valid);
    assert_int_equal(d.raw_milli, FLUEGAS_NA);
    /* Half-even: 10 hours at 0.001 and 10 at 0.002 over 20 → 0.0015 → 0.002. */
    for (int i = 0; i < 20; i++) {
        h[i].valid = true;
        h[i].raw_milli = i < 10 ? 1 : 2;
    }
    assert_int_equal(fluegas_day_mean(h, 20, &d), EW_OK);
    assert_int_equal(d.raw_milli, 2);
    fluegas_day before = d;
    assert_int_equal(fluegas_day_mean(h, 25, &d), EW_EINVALID);
    assert_int_equal(fluegas_day_mean(NULL, 2, &d), EW_EINVALID);
    assert_memory_equal(&d, &before, sizeof d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hour_needs_45_valid_minutes),
        cmocka_unit_test(every_non_normal_flag_is_excluded),
        cmocka_unit_test(mean_rounds_half_to_even),
        cmocka_unit_test(bad_hour_input_is_refused_and_changes_nothing),
        cmocka_unit_test(conversion_to_reference_oxygen),
        cmocka_unit_test(oxygen_guard_at_19_percent),
        cmocka_unit_test(bad_conversion_input_is_refused),
        cmocka_unit_test(emission_rate_from_flow),
        cmocka_unit_test(hour_keeps_raw_and_converted_side_by_side),
        cmocka_unit_test(day_needs_20_valid_hours),
        cmocka_unit_test(totals_add_valid_hours_and_count_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
