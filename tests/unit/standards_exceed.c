/* Tests of src/standards/exceed: the limit as a maximum, the exceedance multiple, seasonal
 * limits, episodes and the mark gate.
 *
 * Values are thousandths; instants UTC seconds. T0 = 2026-01-05T00:00+08:00. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/exceed.h"

#define U(x) ((int64_t)(x)*1000)
#define H 3600
/* 2026-01-05T00:00+08:00 = 2026-01-04T16:00Z: days 1970-01-01..2026-01-04 = 56 × 365 + 14
 * + 3 = 20457; 20457 × 86400 + 16 × 3600 = 1767542400. */
#define T0 1767542400LL

static exceed_verdict judge(const exceed_limit *l, int64_t v)
{
    exceed_verdict r;
    assert_int_equal(exceed_judge(l, v, &r), EW_OK);
    return r;
}

static void the_limit_itself_complies(void **state)
{
    (void)state;
    exceed_limit l = {EXCEED_UPPER, U(100), 0, 0};
    exceed_verdict r = judge(&l, U(100));
    assert_false(r.exceeds);
    assert_int_equal(r.multiple_milli, EXCEED_NO_MULTIPLE);
    r = judge(&l, U(100) + 1); /* 100.001: exceeds, multiple 0.00001 → 0.000 */
    assert_true(r.exceeds);
    assert_int_equal(r.multiple_milli, 0);
    assert_false(judge(&l, U(100) - 1).exceeds);
    assert_false(judge(&l, 0).exceeds);
    assert_false(judge(&l, -U(5)).exceeds);
}

static void multiple_is_value_over_limit_minus_one(void **state)
{
    (void)state;
    exceed_limit l = {EXCEED_UPPER, U(100), 0, 0};
    assert_int_equal(judge(&l, U(150)).multiple_milli, 500);  /* 150/100 − 1 = 0.5 */
    assert_int_equal(judge(&l, U(200)).multiple_milli, 1000); /* 1 */
    assert_int_equal(judge(&l, U(1035)).multiple_milli, 9350);
    /* Half-even on the thousandth: limit 2, 2.001 → 0.0005 → 0; 2.003 → 0.0015 → 0.002. */
    exceed_limit two = {EXCEED_UPPER, U(2), 0, 0};
    assert_int_equal(judge(&two, 2001).multiple_milli, 0);
    assert_int_equal(judge(&two, 2003).multiple_milli, 2);
    /* NH3-N 5 mg/L (GB 18918 1A), daily mean 5.6: 0.12. */
    exceed_limit nh3 = {EXCEED_UPPER, U(5), 0, 0};
    assert_int_equal(judge(&nh3, 5600).multiple_milli, 120);
}

static void ph_range_exceeds_only_outside(void **state)
{
    (void)state;
    exceed_limit ph = {EXCEED_RANGE, 0, U(6), U(9)};
    assert_false(judge(&ph, U(6)).exceeds);
    assert_false(judge(&ph, U(9)).exceeds);
    assert_false(judge(&ph, 7500).exceeds);
    exceed_verdict lo = judge(&ph, U(6) - 1), hi = judge(&ph, U(9) + 1);
    assert_true(lo.exceeds);
    assert_true(hi.exceeds);
    assert_int_equal(lo.multiple_milli, EXCEED_NO_MULTIPLE);
    assert_int_equal(hi.multiple_milli, EXCEED_NO_MULTIPLE);
}

static void bad_limits_are_refused(void **state)
{
    (void)state;
    exceed_verdict r = {true, 77};
    exceed_limit zero = {EXCEED_UPPER, 0, 0, 0}, inverted = {EXCEED_RANGE, 0, U(9), U(6)},
                 kind = {(exceed_kind)7, U(1), 0, 0}, ok = {EXCEED_UPPER, U(1), 0, 0};
    assert_int_equal(exceed_judge(&zero, U(1), &r), EW_EINVALID);
    assert_int_equal(exceed_judge(&inverted, U(1), &r), EW_EINVALID);
    assert_int_equal(exceed_judge(&kind, U(1), &r), EW_EINVALID);
    assert_int_equal(exceed_judge(NULL, U(1), &r), EW_EINVALID);
    assert_int_equal(exceed_judge(&ok, 1000000000001LL, &r), EW_EINVALID);
    assert_true(r.exceeds);
    assert_int_equal(r.multiple_milli, 77);
}

/* NOx 100 in summer (0601..0831), 50 in winter (1115..0315, over the new year), else 80. */
static const exceed_season seasons[2] = {
    {601, 831, {EXCEED_UPPER, U(100), 0, 0}},
    {1115, 315, {EXCEED_UPPER, U(50), 0, 0}},
};
static const exceed_limits nox = {{EXCEED_UPPER, U(80), 0, 0}, seasons, 2};

static int64_t limit_on(int mon, int day, int *season)
{
    exceed_limit l;
    assert_int_equal(exceed_limit_on(&nox, mon, day, &l, season), EW_OK);
    return l.max_milli;
}

static void seasonal_limit_by_date(void **state)
{
    (void)state;
    int s;
    assert_int_equal(limit_on(5, 31, &s), U(80));
    assert_int_equal(s, -1);
    assert_int_equal(limit_on(6, 1, &s), U(100));
    assert_int_equal(s, 0);
    assert_int_equal(limit_on(8, 31, &s), U(100));
    assert_int_equal(limit_on(9, 1, &s), U(80));
    assert_int_equal(limit_on(11, 14, &s), U(80));
    assert_int_equal(limit_on(11, 15, &s), U(50));
    assert_int_equal(s, 1);
    assert_int_equal(limit_on(12, 31, &s), U(50));
    assert_int_equal(limit_on(1, 1, &s), U(50));
    assert_int_equal(limit_on(2, 29, &s), U(50));
    assert_int_equal(limit_on(3, 15, &s), U(50));
    assert_int_equal(limit_on(3, 16, &s), U(80));
    exceed_limit l = {EXCEED_UPPER, 42, 0, 0};
    s = 9;
    assert_int_equal(exceed_limit_on(&nox, 2, 30, &l, &s), EW_EINVALID);
    assert_int_equal(exceed_limit_on(&nox, 13, 1, &l, &s), EW_EINVALID);
    assert_int_equal(exceed_limit_on(&nox, 4, 0, &l, &s), EW_EINVALID);
    exceed_season bad = {1232, 101, {EXCEED_UPPER, U(1), 0, 0}};
    exceed_limits badl = {{EXCEED_UPPER, U(80), 0, 0}, &bad, 1};
    assert_int_equal(exceed_limit_on(&badl, 1, 1, &l, &s), EW_EINVALID);
    assert_int_equal(l.max_milli, 42);
    assert_int_equal(s, 9);
    /* No seasons: the base, season may be NULL. */
    exceed_limits plain = {{EXCEED_UPPER, U(30), 0, 0}, NULL, 0};
    assert_int_equal(exceed_limit_on(&plain, 7, 1, &l, NULL), EW_OK);
    assert_int_equal(l.max_milli, U(30));
}

static const exceed_limits so2 = {{EXCEED_UPPER, U(100), 0, 0}, NULL, 0};

static void run(const exceed_point *p, size_t n, const exceed_mark *m, size_t nm,
                exceed_episode *ep, size_t *n_ep, exceed_episode *mk, size_t *n_mk)
{
    exceed_series s = {p, n, H, &so2, m, nm};
    assert_int_equal(exceed_episodes(&s, ep, 8, n_ep, mk, 8, n_mk), EW_OK);
}

static void consecutive_hours_merge_into_one_episode(void **state)
{
    (void)state;
    /* Hours 0..5: 50, 120, 150, 130, 100 (at the limit), 110; hour 7 missing; 8: 101. */
    exceed_point p[] = {
        {T0, U(50), true},          {T0 + H, U(120), true},     {T0 + 2 * H, U(150), true},
        {T0 + 3 * H, U(130), true}, {T0 + 4 * H, U(100), true}, {T0 + 5 * H, U(110), true},
        {T0 + 6 * H, U(111), true}, {T0 + 8 * H, U(101), true},
    };
    exceed_episode ep[8], mk[8];
    size_t n, nm;
    run(p, 8, NULL, 0, ep, &n, mk, &nm);
    assert_int_equal(nm, 0);
    assert_int_equal(n, 3);
    assert_int_equal(ep[0].from_utc, T0 + H);
    assert_int_equal(ep[0].to_utc, T0 + 4 * H);
    assert_int_equal(ep[0].periods, 3);
    assert_int_equal(ep[0].max_value_milli, U(150));
    assert_int_equal(ep[0].min_value_milli, U(120));
    assert_int_equal(ep[0].max_multiple_milli, 500);
    assert_int_equal(ep[0].limit_milli, U(100));
    /* Hour 4 at the limit splits; hours 5 and 6 merge; the missing hour 7 splits again. */
    assert_int_equal(ep[1].from_utc, T0 + 5 * H);
    assert_int_equal(ep[1].periods, 2);
    assert_int_equal(ep[1].max_multiple_milli, 110);
    assert_int_equal(ep[2].from_utc, T0 + 8 * H);
    assert_int_equal(ep[2].to_utc, T0 + 9 * H);
    assert_int_equal(ep[2].periods, 1);
    assert_int_equal(ep[2].max_multiple_milli, 10);
    /* An invalid hour splits too. */
    p[2].valid = false;
    run(p, 8, NULL, 0, ep, &n, mk, &nm);
    assert_int_equal(n, 4);
    assert_int_equal(ep[0].periods, 1);
    assert_int_equal(ep[1].from_utc, T0 + 3 * H);
}

static void marked_exceedances_are_listed_apart(void **state)
{
    (void)state;
    exceed_point p[] = {
        {T0, U(120), true},
        {T0 + H, U(150), true},
        {T0 + 2 * H, U(130), true},
        {T0 + 3 * H, U(140), true},
    };
    exceed_episode ep[8], mk[8];
    size_t n, nm;
    /* A maintenance mark on hour 1 exactly: hours 0 and 2..3 are judged, 1 is listed apart. */
    exceed_mark m1 = {T0 + H, T0 + 2 * H, EXCEED_MARK_DEVICE_MAINT};
    run(p, 4, &m1, 1, ep, &n, mk, &nm);
    assert_int_equal(n, 2);
    assert_int_equal(ep[0].periods, 1);
    assert_int_equal(ep[1].from_utc, T0 + 2 * H);
    assert_int_equal(ep[1].periods, 2);
    assert_int_equal(ep[0].mark_classes, 0);
    assert_int_equal(nm, 1);
    assert_int_equal(mk[0].from_utc, T0 + H);
    assert_int_equal(mk[0].periods, 1);
    assert_int_equal(mk[0].max_value_milli, U(150));
    assert_int_equal(mk[0].mark_classes, 1u << EXCEED_MARK_DEVICE_MAINT);
    /* A mark ending exactly where hour 1 starts covers hour 0 only (half-open). */
    exceed_mark m2 = {T0 + 1800, T0 + H, EXCEED_MARK_PRODUCTION};
    run(p, 4, &m2, 1, ep, &n, mk, &nm);
    assert_int_equal(nm, 1);
    assert_int_equal(mk[0].from_utc, T0);
    assert_int_equal(n, 1);
    assert_int_equal(ep[0].from_utc, T0 + H);
    assert_int_equal(ep[0].periods, 3);
    /* One second into hour 1 is enough to cover it as well; the two marks' hours merge and
     * carry both classes. */
    exceed_mark m3[2] = {{T0 + 1800, T0 + H + 1, EXCEED_MARK_PRODUCTION},
                         {T0 + H, T0 + H + 60, EXCEED_MARK_TREATMENT}};
    run(p, 4, m3, 2, ep, &n, mk, &nm);
    assert_int_equal(nm, 1);
    assert_int_equal(mk[0].periods, 2);
    assert_int_equal(mk[0].mark_classes,
                     (1u << EXCEED_MARK_PRODUCTION) | (1u << EXCEED_MARK_TREATMENT));
    assert_int_equal(n, 1);
    assert_int_equal(ep[0].from_utc, T0 + 2 * H);
    /* A main/backup switch does not exclude the data. */
    exceed_mark sw = {T0, T0 + 4 * H, EXCEED_MARK_CEMS_SWITCH};
    run(p, 4, &sw, 1, ep, &n, mk, &nm);
    assert_int_equal(nm, 0);
    assert_int_equal(n, 1);
    assert_int_equal(ep[0].periods, 4);
    assert_false(exceed_mark_info_of(EXCEED_MARK_CEMS_SWITCH)->excludes);
    for (int c = 0; c < EXCEED_MARK_CEMS_SWITCH; c++)
        assert_true(exceed_mark_info_of((exceed_mark_class)c)->excludes);
    assert_string_equal(exceed_mark_info_of(EXCEED_MARK_COMM_BREAK)->name_zh, "通讯中断");
    assert_null(exceed_mark_info_of(EXCEED_MARK_CLASS_COUNT));
}

static void seasonal_limit_follows_beijing_date(void **state)
{
    (void)state;
    /* 2026-11-14T23:00+08:00 = 2026-11-14T15:00Z; the next hour is 15 November, winter. */
    int64_t t = 1794668400LL;
    exceed_point p[] = {{t, U(60), true}, {t + H, U(60), true}};
    exceed_series s = {p, 2, H, &nox, NULL, 0};
    exceed_episode ep[2], mk[2];
    size_t n, nm;
    assert_int_equal(exceed_episodes(&s, ep, 2, &n, mk, 2, &nm), EW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ep[0].from_utc, t + H);
    assert_int_equal(ep[0].limit_milli, U(50));
    assert_int_equal(ep[0].max_multiple_milli, 200); /* 60 / 50 − 1 */
}

static void daily_values_form_day_episodes(void **state)
{
    (void)state;
    /* COD daily means against 50 mg/L: 49, 51, 50.001, 50 → one episode of two days. */
    exceed_limits cod = {{EXCEED_UPPER, U(50), 0, 0}, NULL, 0};
    int64_t d = 86400;
    exceed_point p[] = {{T0, U(49), true},
                        {T0 + d, U(51), true},
                        {T0 + 2 * d, U(50) + 1, true},
                        {T0 + 3 * d, U(50), true}};
    exceed_series s = {p, 4, d, &cod, NULL, 0};
    exceed_episode ep[2], mk[2];
    size_t n, nm;
    assert_int_equal(exceed_episodes(&s, ep, 2, &n, mk, 2, &nm), EW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ep[0].periods, 2);
    assert_int_equal(ep[0].to_utc, T0 + 3 * d);
    assert_int_equal(ep[0].max_multiple_milli, 20);
}

static void small_capacity_reports_what_is_needed(void **state)
{
    (void)state;
    exceed_point p[] = {{T0, U(120), true}, {T0 + H, U(10), true}, {T0 + 2 * H, U(130), true}};
    exceed_mark m = {T0 + 2 * H, T0 + 3 * H, EXCEED_MARK_COMM_BREAK};
    exceed_series s = {p, 3, H, &so2, &m, 1};
    exceed_episode ep[1], mk[1];
    memset(ep, 0x5a, sizeof ep);
    exceed_episode before = ep[0];
    size_t n = 0, nm = 0;
    assert_int_equal(exceed_episodes(&s, ep, 1, &n, mk, 0, &nm), EW_EFULL);
    assert_int_equal(n, 1);
    assert_int_equal(nm, 1);
    assert_memory_equal(&ep[0], &before, sizeof before);
    assert_int_equal(exceed_episodes(&s, ep, 1, &n, mk, 1, &nm), EW_OK);
    /* No exceedance at all needs no arrays. */
    exceed_point ok[] = {{T0, U(1), true}};
    exceed_series s2 = {ok, 1, H, &so2, NULL, 0};
    assert_int_equal(exceed_episodes(&s2, NULL, 0, &n, NULL, 0, &nm), EW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(nm, 0);
}

static void bad_series_are_refused(void **state)
{
    (void)state;
    exceed_point p[] = {{T0, U(120), true}, {T0, U(130), true}};
    exceed_episode ep[2], mk[2];
    size_t n = 5, nm = 6;
    exceed_series dup = {p, 2, H, &so2, NULL, 0};
    assert_int_equal(exceed_episodes(&dup, ep, 2, &n, mk, 2, &nm), EW_EINVALID);
    p[1].t_utc = T0 + H;
    exceed_series zero = {p, 2, 0, &so2, NULL, 0};
    assert_int_equal(exceed_episodes(&zero, ep, 2, &n, mk, 2, &nm), EW_EINVALID);
    exceed_mark empty = {T0, T0, EXCEED_MARK_COMM_BREAK};
    exceed_series em = {p, 2, H, &so2, &empty, 1};
    assert_int_equal(exceed_episodes(&em, ep, 2, &n, mk, 2, &nm), EW_EINVALID);
    exceed_mark unknown = {T0, T0 + H, EXCEED_MARK_CLASS_COUNT};
    exceed_series um = {p, 2, H, &so2, &unknown, 1};
    assert_int_equal(exceed_episodes(&um, ep, 2, &n, mk, 2, &nm), EW_EINVALID);
    exceed_series nolim = {p, 2, H, NULL, NULL, 0};
    assert_int_equal(exceed_episodes(&nolim, ep, 2, &n, mk, 2, &nm), EW_EINVALID);
    assert_int_equal(n, 5);
    assert_int_equal(nm, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_limit_itself_complies),
        cmocka_unit_test(multiple_is_value_over_limit_minus_one),
        cmocka_unit_test(ph_range_exceeds_only_outside),
        cmocka_unit_test(bad_limits_are_refused),
        cmocka_unit_test(seasonal_limit_by_date),
        cmocka_unit_test(consecutive_hours_merge_into_one_episode),
        cmocka_unit_test(marked_exceedances_are_listed_apart),
        cmocka_unit_test(seasonal_limit_follows_beijing_date),
        cmocka_unit_test(daily_values_form_day_episodes),
        cmocka_unit_test(small_capacity_reports_what_is_needed),
        cmocka_unit_test(bad_series_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
