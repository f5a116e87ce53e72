/* Tests of src/standards/blackodor: the 2015 urban guide's grading, point and body rules,
 * and the 返黑返臭 screen. Values in thousandths (K(x) = x whole units). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/blackodor.h"

#define K(x) ((int64_t)(x)*1000)
#define NA BLACKODOR_NA

static const blackodor_rules *R = &blackodor_rules_2015;

static int lvl(blackodor_indicator i, int64_t v)
{
    int l = blackodor_level_of(R, i, v, NA);
    assert_true(l >= 0);
    return l;
}

static void each_indicator_at_both_sides_of_each_bound(void **state)
{
    (void)state;
    /* SD: light 25..10 cm, heavy < 10. */
    assert_int_equal(lvl(BLACKODOR_SD, K(25) + 1), BLACKODOR_NONE);
    assert_int_equal(lvl(BLACKODOR_SD, K(25)), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_SD, K(10)), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_SD, K(10) - 1), BLACKODOR_HEAVY);
    assert_int_equal(lvl(BLACKODOR_SD, 0), BLACKODOR_HEAVY);
    /* DO: light 0.2..2.0 mg/L, heavy < 0.2. */
    assert_int_equal(lvl(BLACKODOR_DO, 2001), BLACKODOR_NONE);
    assert_int_equal(lvl(BLACKODOR_DO, 2000), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_DO, 200), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_DO, 199), BLACKODOR_HEAVY);
    /* ORP: light −200..50 mV, heavy < −200; negative values are ordinary. */
    assert_int_equal(lvl(BLACKODOR_ORP, K(50) + 1), BLACKODOR_NONE);
    assert_int_equal(lvl(BLACKODOR_ORP, K(50)), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_ORP, K(-200)), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_ORP, K(-200) - 1), BLACKODOR_HEAVY);
    /* NH3-N: light 8.0..15 mg/L, heavy > 15 (not > 8, a typo some copies carry). */
    assert_int_equal(lvl(BLACKODOR_NH3N, K(8) - 1), BLACKODOR_NONE);
    assert_int_equal(lvl(BLACKODOR_NH3N, K(8)), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_NH3N, K(15)), BLACKODOR_LIGHT);
    assert_int_equal(lvl(BLACKODOR_NH3N, K(15) + 1), BLACKODOR_HEAVY);
    /* The other reading of the outer ends: exactly at the light bound is not black-odorous. */
    blackodor_rules open = blackodor_rules_2015;
    open.outer_inclusive = false;
    assert_int_equal(blackodor_level_of(&open, BLACKODOR_DO, 2000, NA), BLACKODOR_NONE);
    assert_int_equal(blackodor_level_of(&open, BLACKODOR_DO, 1999, NA), BLACKODOR_LIGHT);
    assert_int_equal(blackodor_level_of(&open, BLACKODOR_NH3N, K(8), NA), BLACKODOR_NONE);
    assert_int_equal(blackodor_level_of(&open, BLACKODOR_NH3N, K(8) + 1, NA), BLACKODOR_LIGHT);
    /* Invalid input. */
    assert_int_equal(blackodor_level_of(R, BLACKODOR_DO, -1, NA), EW_EINVALID);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, NA, NA), EW_EINVALID);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_INDICATOR_COUNT, 1, NA), EW_EINVALID);
    assert_int_equal(blackodor_level_of(NULL, BLACKODOR_DO, 1, NA), EW_EINVALID);
    assert_string_equal(blackodor_level_name_zh(BLACKODOR_HEAVY), "重度黑臭");
    assert_string_equal(blackodor_level_name_en(BLACKODOR_LIGHT), "light");
    assert_string_equal(blackodor_indicator_name(BLACKODOR_NH3N), "NH3-N");
    assert_null(blackodor_level_name_zh((blackodor_level)3));
}

static void shallow_water_judges_transparency_against_its_depth(void **state)
{
    (void)state;
    /* Depth 20 cm (< 25): clear to the bottom → none; below 40 % of 20 = 8 cm → heavy. */
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(20), K(20)), BLACKODOR_NONE);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(20) - 1, K(20)), BLACKODOR_LIGHT);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(8), K(20)), BLACKODOR_LIGHT);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(8) - 1, K(20)), BLACKODOR_HEAVY);
    /* Without the rule 9 cm would be heavy, 15 light. */
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(9), K(20)), BLACKODOR_LIGHT);
    /* Depth exactly 25 cm is not shallow: the ordinary bounds. */
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(9), K(25)), BLACKODOR_HEAVY);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(25) - 1, K(25)), BLACKODOR_LIGHT);
    assert_int_equal(blackodor_level_of(R, BLACKODOR_SD, K(25) - 1, K(25) - 1), BLACKODOR_NONE);
    /* The depth matters for SD only. */
    assert_int_equal(blackodor_level_of(R, BLACKODOR_DO, 150, K(10)), BLACKODOR_HEAVY);
}

static blackodor_point point(const blackodor_sample *s, size_t n)
{
    blackodor_point p;
    assert_int_equal(blackodor_grade_point(R, s, n, &p, NULL, 0), EW_OK);
    return p;
}

static void point_is_heavy_at_60_percent_of_one_or_30_percent_of_two(void **state)
{
    (void)state;
    blackodor_sample s[10];
    for (int k = 0; k < 10; k++) {
        blackodor_sample_init(&s[k]);
        s[k].v[BLACKODOR_SD] = K(20);    /* light */
        s[k].v[BLACKODOR_DO] = 1000;     /* light */
        s[k].v[BLACKODOR_ORP] = K(-100); /* light */
        s[k].v[BLACKODOR_NH3N] = K(3);   /* none */
    }
    blackodor_point p = point(s, 10);
    assert_int_equal(p.level, BLACKODOR_LIGHT);
    assert_true(p.enough);
    assert_int_equal(p.results[BLACKODOR_DO], 10);
    assert_int_equal(p.light_or_worse[BLACKODOR_NH3N], 0);
    /* DO heavy in 5 of 10 (50 %): one indicator short of 60 %, alone → light. */
    for (int k = 0; k < 5; k++)
        s[k].v[BLACKODOR_DO] = 100;
    p = point(s, 10);
    assert_int_equal(p.level, BLACKODOR_LIGHT);
    assert_int_equal(p.heavy[BLACKODOR_DO], 5);
    assert_int_equal(p.heavy_by, 1u << BLACKODOR_DO);
    /* 6 of 10 = exactly 60 % → heavy. */
    s[5].v[BLACKODOR_DO] = 100;
    p = point(s, 10);
    assert_int_equal(p.level, BLACKODOR_HEAVY);
    /* Back to 5 of 10 DO; ORP heavy 2 of 10 (20 %) → still light; 3 of 10 (30 %) → two
     * indicators at ≥ 30 % → heavy. */
    s[5].v[BLACKODOR_DO] = 1000;
    s[7].v[BLACKODOR_ORP] = K(-250);
    s[8].v[BLACKODOR_ORP] = K(-250);
    assert_int_equal(point(s, 10).level, BLACKODOR_LIGHT);
    s[9].v[BLACKODOR_ORP] = K(-250);
    p = point(s, 10);
    assert_int_equal(p.level, BLACKODOR_HEAVY);
    assert_int_equal(p.heavy_by, (1u << BLACKODOR_DO) | (1u << BLACKODOR_ORP));
    /* Nothing at light level anywhere: not black-odorous; two samplings are not enough. */
    for (int k = 0; k < 2; k++) {
        blackodor_sample_init(&s[k]);
        s[k].v[BLACKODOR_DO] = K(5);
        s[k].v[BLACKODOR_NH3N] = K(1);
    }
    p = point(s, 2);
    assert_int_equal(p.level, BLACKODOR_NONE);
    assert_false(p.enough);
    assert_int_equal(p.results[BLACKODOR_SD], 0);
    /* An invalid result: refused, *out unchanged, err names it. */
    s[1].v[BLACKODOR_NH3N] = -5;
    blackodor_point before = p;
    char err[96] = "";
    assert_int_equal(blackodor_grade_point(R, s, 2, &p, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "sample 1"));
    assert_non_null(strstr(err, "NH3-N"));
    assert_memory_equal(&p, &before, sizeof p);
}

static void body_heavy_stretches_and_60_percent_rule(void **state)
{
    (void)state;
    const blackodor_level H = BLACKODOR_HEAVY, L = BLACKODOR_LIGHT, N = BLACKODOR_NONE;
    blackodor_level pts[10] = {L, H, H, H, L, H, H, N, H, H};
    blackodor_stretch st[4];
    blackodor_body b;
    assert_int_equal(blackodor_grade_body(R, pts, 10, &b, st, 4), EW_OK);
    /* 7 heavy of 10 = 70 % → body heavy; one run of 3 (points 1..3); runs of 2 do not count. */
    assert_int_equal(b.level, BLACKODOR_HEAVY);
    assert_int_equal(b.heavy_points, 7);
    assert_int_equal(b.light_points, 2);
    assert_int_equal(b.stretches, 1);
    assert_int_equal(st[0].first, 1);
    assert_int_equal(st[0].last, 3);
    assert_true(b.enough);
    /* 6 of 10 heavy = exactly 60 % → heavy; 5 of 10 → light. A run ending at the last point
     * counts. */
    blackodor_level q[10] = {L, L, L, L, H, H, H, H, H, H};
    assert_int_equal(blackodor_grade_body(R, q, 10, &b, st, 4), EW_OK);
    assert_int_equal(b.level, BLACKODOR_HEAVY);
    assert_int_equal(b.stretches, 1);
    assert_int_equal(st[0].first, 4);
    assert_int_equal(st[0].last, 9);
    q[4] = L;
    assert_int_equal(blackodor_grade_body(R, q, 10, &b, st, 4), EW_OK);
    assert_int_equal(b.level, BLACKODOR_LIGHT);
    assert_int_equal(b.stretches, 1);
    assert_int_equal(st[0].first, 5);
    /* Exactly 3 consecutive make a stretch, 2 do not; stretches beyond cap are counted. */
    blackodor_level r3[9] = {H, H, H, N, H, H, N, H, H};
    assert_int_equal(blackodor_grade_body(R, r3, 9, &b, st, 0), EW_OK);
    assert_int_equal(b.stretches, 1);
    blackodor_level r2[7] = {H, H, H, N, H, H, H};
    assert_int_equal(blackodor_grade_body(R, r2, 7, &b, st, 1), EW_OK);
    assert_int_equal(b.stretches, 2);
    assert_int_equal(st[0].first, 0);
    /* All clean; two points only. */
    blackodor_level c[2] = {N, N};
    assert_int_equal(blackodor_grade_body(R, c, 2, &b, NULL, 0), EW_OK);
    assert_int_equal(b.level, BLACKODOR_NONE);
    assert_false(b.enough);
    blackodor_level bad[2] = {N, (blackodor_level)3};
    blackodor_body before = b;
    assert_int_equal(blackodor_grade_body(R, bad, 2, &b, NULL, 0), EW_EINVALID);
    assert_memory_equal(&b, &before, sizeof b);
}

static blackodor_reading rd(int64_t ts, int64_t do_m, int64_t orp_m, int64_t nh3_m)
{
    return (blackodor_reading){ts, do_m, orp_m, nh3_m};
}

static void screen_alerts_on_runs_of_light_level_readings(void **state)
{
    (void)state;
    blackodor_screen p = {.min_duration_s = 7200, .max_gap_s = 3600};
    /* Hourly readings. 0 h clean; 1 h–3 h DO ≤ 2.0 (span exactly 2 h → alert); 4 h clean;
     * 5 h–6 h ORP 50 (span 1 h, too short); 7 h clean. */
    blackodor_reading r[8] = {
        rd(0, K(5), K(120), K(1)),     rd(3600, 2000, K(120), K(1)),  rd(7200, 1500, K(120), K(1)),
        rd(10800, 1900, K(120), K(9)), rd(14400, 2001, K(51), K(7)),  rd(18000, K(5), K(50), K(1)),
        rd(21600, K(5), K(40), K(1)),  rd(25200, K(6), K(100), 7999),
    };
    blackodor_alert a[4];
    memset(a, 0, sizeof a);
    assert_int_equal(blackodor_screen_series(R, &p, r, 8, a, 4), 1);
    assert_true(a[0].from_ts == 3600 && a[0].to_ts == 10800);
    assert_int_equal(a[0].first, 1);
    assert_int_equal(a[0].last, 3);
    assert_int_equal(a[0].tripped, (1u << BLACKODOR_DO) | (1u << BLACKODOR_NH3N));
    /* One second less than 2 h is not an alert. */
    r[3].ts = 10799;
    assert_int_equal(blackodor_screen_series(R, &p, r, 8, a, 4), 0);
    r[3].ts = 10800;
    /* A gap longer than max_gap_s splits a run: 3600 → 7200 + 1 s. */
    p.max_gap_s = 3599;
    assert_int_equal(blackodor_screen_series(R, &p, r, 8, a, 4), 0);
    p.max_gap_s = 3600;
    /* Readings without any value are skipped, they neither end nor extend a run. */
    blackodor_reading s[4] = {rd(0, 1000, NA, NA), rd(1800, NA, NA, NA), rd(3600, NA, NA, K(16)),
                              rd(7200, NA, K(-300), NA)};
    assert_int_equal(blackodor_screen_series(R, &p, s, 4, a, 4), 1);
    assert_true(a[0].from_ts == 0 && a[0].to_ts == 7200);
    assert_int_equal(a[0].tripped,
                     (1u << BLACKODOR_DO) | (1u << BLACKODOR_ORP) | (1u << BLACKODOR_NH3N));
    /* Default policy, alert count beyond cap. */
    blackodor_reading t[7] = {rd(0, 100, NA, NA),     rd(3600, 100, NA, NA),
                              rd(7200, 100, NA, NA),  rd(10800, K(5), NA, NA),
                              rd(14400, 100, NA, NA), rd(18000, 100, NA, NA),
                              rd(21600, 100, NA, NA)};
    assert_int_equal(blackodor_screen_series(R, &blackodor_screen_default, t, 7, a, 1), 2);
    assert_true(a[0].from_ts == 0 && a[0].to_ts == 7200);
    assert_int_equal(blackodor_screen_series(R, &blackodor_screen_default, t, 7, NULL, 0), 2);
    /* Times going backwards or an invalid value: refused, nothing written. */
    memset(a, 0x33, sizeof a);
    blackodor_alert before[4];
    memcpy(before, a, sizeof a);
    t[5].ts = 100;
    assert_int_equal(blackodor_screen_series(R, &p, t, 7, a, 4), EW_EINVALID);
    t[5].ts = 18000;
    t[6].do_milli = -1;
    assert_int_equal(blackodor_screen_series(R, &p, t, 7, a, 4), EW_EINVALID);
    assert_memory_equal(a, before, sizeof a);
    assert_int_equal(blackodor_screen_series(R, NULL, t, 7, a, 4), EW_EINVALID);
    assert_int_equal(blackodor_screen_series(R, &p, NULL, 0, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_indicator_at_both_sides_of_each_bound),
        cmocka_unit_test(shallow_water_judges_transparency_against_its_depth),
        cmocka_unit_test(point_is_heavy_at_60_percent_of_one_or_30_percent_of_two),
        cmocka_unit_test(body_heavy_stretches_and_60_percent_rule),
        cmocka_unit_test(screen_alerts_on_runs_of_light_level_readings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
