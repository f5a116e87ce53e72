/* Tests of src/standards/screen: constant, zero, O2 dilution, just-below-limit and
 * sudden-drop screens at their thresholds.
 *
 * Values are thousandths; hours start at T0 = 2026-01-05T00:00+08:00 (1767542400). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/screen.h"

#define U(x) ((int64_t)(x)*1000)
#define H SCREEN_HOUR_S
#define T0 1767542400LL

/* n running valid hours from T0 with values v[]. */
static void hours(screen_hour *h, const int64_t *v, int n)
{
    for (int i = 0; i < n; i++) {
        h[i].t_utc = T0 + (int64_t)i * H;
        h[i].value_milli = v[i];
        h[i].valid = true;
        h[i].running = true;
    }
}

static size_t runs(screen_rule r, const screen_hour *h, size_t n, const screen_params *p,
                   screen_hit *out)
{
    size_t k = 99;
    assert_int_equal(screen_runs(r, h, n, p, out, 8, &k), EW_OK);
    return k;
}

static void constant_value_needs_four_running_hours(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[8];
    screen_hit x[8];
    int64_t v[8] = {U(5), U(5), U(5), U(5), U(7), U(7), U(7), U(8)};
    hours(h, v, 8);
    /* 5 × 4: a hit; 7 × 3: not. */
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 1);
    assert_int_equal(x[0].rule, SCREEN_CONSTANT_VALUE);
    assert_int_equal(x[0].from_utc, T0);
    assert_int_equal(x[0].to_utc, T0 + 4 * H);
    assert_int_equal(x[0].hours, 4);
    assert_int_equal(x[0].first_milli, U(5));
    assert_int_equal(x[0].max_milli, U(5));
    /* Three hours only: nothing. */
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 3, &p, x), 0);
    /* An hour without production ends the run. */
    h[2].running = false;
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 0);
    h[2].running = true;
    /* So does a gap in time. */
    h[3].t_utc += 1;
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 0);
    h[3].t_utc -= 1;
    /* 0.001 apart: not identical, but within a tolerance of 0.001. */
    h[1].value_milli = U(5) + 1;
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 0);
    p.constant_tolerance_milli = 1;
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 1);
    assert_int_equal(x[0].max_milli - x[0].min_milli, 1);
    /* Tolerance is max − min over the run, not hour to hour: 5, 5.001, 5.002 drifts out. */
    h[2].value_milli = U(5) + 2;
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 0);
    /* Two runs: 7 × 4 after 5 × 4. */
    p = screen_params_default();
    int64_t w[8] = {U(5), U(5), U(5), U(5), U(7), U(7), U(7), U(7)};
    hours(h, w, 8);
    assert_int_equal(runs(SCREEN_CONSTANT_VALUE, h, 8, &p, x), 2);
    assert_int_equal(x[1].from_utc, T0 + 4 * H);
    assert_int_equal(x[1].hours, 4);
}

static void zero_value_at_or_below_threshold(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[5];
    screen_hit x[8];
    int64_t v[5] = {0, 0, -U(1), 0, U(3)};
    hours(h, v, 5);
    assert_int_equal(runs(SCREEN_ZERO_VALUE, h, 5, &p, x), 1);
    assert_int_equal(x[0].hours, 4);
    assert_int_equal(x[0].min_milli, -U(1));
    /* 0.001 is above a threshold of 0. */
    h[1].value_milli = 1;
    assert_int_equal(runs(SCREEN_ZERO_VALUE, h, 5, &p, x), 0);
    /* With the detection limit 0.001 as threshold it is at it. */
    p.zero_threshold_milli = 1;
    assert_int_equal(runs(SCREEN_ZERO_VALUE, h, 5, &p, x), 1);
    /* An invalid hour ends the run. */
    h[2].valid = false;
    assert_int_equal(runs(SCREEN_ZERO_VALUE, h, 5, &p, x), 0);
}

static void o2_near_air_while_producing(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[4];
    screen_hit x[8];
    int64_t v[4] = {U(12), U(19), 18999, 20500};
    hours(h, v, 4);
    /* 19.000 is at the guard: hit; 18.999 is not; 20.5 again. */
    assert_int_equal(runs(SCREEN_O2_DILUTION, h, 4, &p, x), 2);
    assert_int_equal(x[0].from_utc, T0 + H);
    assert_int_equal(x[0].hours, 1);
    assert_int_equal(x[1].from_utc, T0 + 3 * H);
    /* Production stopped by its electricity data: O2 of air is expected. */
    h[1].running = false;
    h[3].running = false;
    assert_int_equal(runs(SCREEN_O2_DILUTION, h, 4, &p, x), 0);
    /* Two hours required. */
    h[1].running = h[3].running = true;
    h[2].value_milli = U(19);
    p.o2_min_hours = 2;
    assert_int_equal(runs(SCREEN_O2_DILUTION, h, 4, &p, x), 1);
    assert_int_equal(x[0].hours, 3);
}

static void just_below_limit_share_and_band(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[24];
    int64_t v[24];
    /* 20 of 24 hours in [90, 100] (833 ‰ ≥ 800 ‰), 4 hours at 50. */
    for (int i = 0; i < 24; i++)
        v[i] = i < 20 ? U(95) : U(50);
    v[0] = U(90);  /* lower end of the band: in */
    v[1] = U(100); /* the limit itself: in */
    hours(h, v, 24);
    bool hit = false;
    screen_hit x;
    assert_int_equal(screen_just_below(h, 24, U(100), &p, &hit, &x), EW_OK);
    assert_true(hit);
    assert_int_equal(x.hours, 20);
    assert_int_equal(x.min_milli, U(90));
    assert_int_equal(x.max_milli, U(100));
    assert_int_equal(x.limit_milli, U(100));
    /* 89.999 and 100.001 are outside the band: 18 of 24 = 750 ‰ < 800 ‰. */
    h[0].value_milli = U(90) - 1;
    h[1].value_milli = U(100) + 1;
    assert_int_equal(screen_just_below(h, 24, U(100), &p, &hit, &x), EW_OK);
    assert_false(hit);
    /* Exactly 800 ‰: 20 of 25 hours; 19 of 24 (791 ‰) is not. */
    screen_hour g[25];
    int64_t w[25];
    for (int i = 0; i < 25; i++)
        w[i] = i < 20 ? U(95) : U(50);
    hours(g, w, 25);
    assert_int_equal(screen_just_below(g, 25, U(100), &p, &hit, &x), EW_OK);
    assert_true(hit);
    g[19].value_milli = U(50);
    assert_int_equal(screen_just_below(g, 24, U(100), &p, &hit, &x), EW_OK);
    assert_false(hit);
    /* Fewer than 24 running hours: no judgement. */
    hours(g, w, 25);
    assert_int_equal(screen_just_below(g, 23, U(100), &p, &hit, &x), EW_OK);
    assert_false(hit);
}

static void sudden_drop_to_just_under_the_limit(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[2];
    screen_hit x[4];
    size_t k;
    /* 190 → 95 against 100: 95 ≤ 190 × 0.5 and 95 in [90, 100): a hit. */
    int64_t v[2] = {U(190), U(95)};
    hours(h, v, 2);
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 1);
    assert_int_equal(x[0].from_utc, T0);
    assert_int_equal(x[0].to_utc, T0 + 2 * H);
    assert_int_equal(x[0].first_milli, U(190));
    assert_int_equal(x[0].last_milli, U(95));
    assert_int_equal(x[0].hours, 2);
    /* 189.999 → 95: fell by less than half. */
    h[0].value_milli = U(190) - 1;
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 0);
    /* Drop share 10 %: 100 → 90 is a hit (from the limit itself, to the band's end). */
    p.drop_share_permille = 100;
    h[0].value_milli = U(100);
    h[1].value_milli = U(90);
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 1);
    /* From just under the limit: not. */
    h[0].value_milli = U(100) - 1;
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 0);
    /* Landing at the limit or below the band: not. */
    h[0].value_milli = U(200);
    h[1].value_milli = U(100);
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 0);
    h[1].value_milli = U(90) - 1;
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 0);
    /* Not consecutive: not. */
    h[1].value_milli = U(95);
    h[1].t_utc += H;
    assert_int_equal(screen_sudden_drop(h, 2, U(100), &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 0);
}

static void catalogue_and_bad_input(void **state)
{
    (void)state;
    screen_rule r;
    for (int i = 0; i < SCREEN_RULE_COUNT; i++) {
        const screen_rule_info *in = screen_rule_info_of((screen_rule)i);
        assert_int_equal(in->rule, i);
        assert_int_equal(screen_rule_parse(in->id, strlen(in->id), &r), 0);
        assert_int_equal(r, i);
        assert_true(strlen(in->reason_zh) > 0);
    }
    assert_string_equal(screen_rule_info_of(SCREEN_CONSTANT_VALUE)->id, "constant_value");
    assert_int_equal(screen_rule_parse("constant", 8, &r), -1);
    assert_null(screen_rule_info_of(SCREEN_RULE_COUNT));

    screen_params p = screen_params_default(), bad = p;
    bad.constant_min_hours = 1;
    screen_hour h[4];
    int64_t v[4] = {0, 0, 0, 0};
    hours(h, v, 4);
    screen_hit x[1];
    size_t k = 7;
    assert_int_equal(screen_runs(SCREEN_CONSTANT_VALUE, h, 4, &bad, x, 1, &k), EW_EINVALID);
    assert_int_equal(screen_runs(SCREEN_JUST_BELOW_LIMIT, h, 4, &p, x, 1, &k), EW_EINVALID);
    h[2].t_utc = h[1].t_utc;
    assert_int_equal(screen_runs(SCREEN_ZERO_VALUE, h, 4, &p, x, 1, &k), EW_EINVALID);
    assert_int_equal(k, 7);
    bool hit = true;
    assert_int_equal(screen_just_below(h, 4, 0, &p, &hit, x), EW_EINVALID);
    assert_true(hit);
    assert_int_equal(screen_sudden_drop(h, 4, -1, &p, x, 1, &k), EW_EINVALID);
    /* Capacity: zero and constant both fire on four zeros; cap 0 reports 1 needed. */
    hours(h, v, 4);
    memset(x, 0x5a, sizeof x);
    screen_hit before = x[0];
    assert_int_equal(screen_runs(SCREEN_ZERO_VALUE, h, 4, &p, x, 0, &k), EW_EFULL);
    assert_int_equal(k, 1);
    assert_memory_equal(&x[0], &before, sizeof before);
}

static void treatment_off_while_production_runs(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[4];
    screen_hit x[8];
    /* Treatment power, kW: 40, 0, 0, 40 while production runs: hours 1..2 off. */
    int64_t v[4] = {U(40), 0, 0, U(40)};
    hours(h, v, 4);
    assert_int_equal(runs(SCREEN_TREATMENT_OFF, h, 4, &p, x), 1);
    assert_int_equal(x[0].rule, SCREEN_TREATMENT_OFF);
    assert_int_equal(x[0].from_utc, T0 + H);
    assert_int_equal(x[0].hours, 2);
    /* With production stopped, treatment may stop too. */
    h[1].running = h[2].running = false;
    assert_int_equal(runs(SCREEN_TREATMENT_OFF, h, 4, &p, x), 0);
    /* The facility's running threshold, 5 kW: 4.999 is off, 5.000 runs. */
    p.treatment_running_milli = U(5);
    int64_t w[4] = {U(5) - 1, U(5), U(5) - 1, U(40)};
    hours(h, w, 4);
    assert_int_equal(runs(SCREEN_TREATMENT_OFF, h, 4, &p, x), 2);
    assert_int_equal(x[0].from_utc, T0);
    assert_int_equal(x[1].from_utc, T0 + 2 * H);
    p.treatment_min_hours = 2;
    assert_int_equal(runs(SCREEN_TREATMENT_OFF, h, 4, &p, x), 0);
}

static void stop_mark_while_running(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[4];
    screen_hit x[4];
    size_t k;
    /* Production power 300 kW all four hours; a stop mark over hours 1..2. */
    int64_t v[4] = {U(300), U(300), U(300), U(300)};
    hours(h, v, 4);
    exceed_mark stop = {T0 + H, T0 + 3 * H, EXCEED_MARK_PRODUCTION};
    assert_int_equal(screen_marked_stop_running(h, 4, &stop, 1, &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 1);
    assert_int_equal(x[0].rule, SCREEN_MARKED_STOP_RUNNING);
    assert_int_equal(x[0].from_utc, T0 + H);
    assert_int_equal(x[0].to_utc, T0 + 3 * H);
    assert_int_equal(x[0].hours, 2);
    /* The power really off during the mark: nothing. */
    h[1].running = h[2].running = false;
    assert_int_equal(screen_marked_stop_running(h, 4, &stop, 1, &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 0);
    /* A mark ending where hour 1 starts does not cover it. */
    hours(h, v, 4);
    exceed_mark early = {T0 + 1800, T0 + H, EXCEED_MARK_PRODUCTION};
    assert_int_equal(screen_marked_stop_running(h, 4, &early, 1, &p, x, 4, &k), EW_OK);
    assert_int_equal(k, 1);
    assert_int_equal(x[0].from_utc, T0);
    assert_int_equal(x[0].hours, 1);
    exceed_mark bad = {T0, T0, EXCEED_MARK_PRODUCTION};
    k = 9;
    assert_int_equal(screen_marked_stop_running(h, 4, &bad, 1, &p, x, 4, &k), EW_EINVALID);
    assert_int_equal(screen_marked_stop_running(h, 4, NULL, 1, &p, x, 4, &k), EW_EINVALID);
    assert_int_equal(k, 9);
}

static exceed_episode episode(int64_t from, int periods, int64_t max)
{
    exceed_episode e;
    memset(&e, 0, sizeof e);
    e.from_utc = from;
    e.to_utc = from + periods * H;
    e.periods = periods;
    e.max_value_milli = e.min_value_milli = max;
    e.limit_milli = U(100);
    return e;
}

static void exceedances_all_inside_marks(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    exceed_episode m[2] = {episode(T0, 2, U(150)), episode(T0 + 5 * H, 1, U(180))};
    exceed_episode j[1] = {episode(T0 + 9 * H, 1, U(120))};
    bool hit = false;
    screen_hit x;
    /* Three marked periods, none judged: all inside marks. */
    assert_int_equal(screen_marked_exceedance(NULL, 0, m, 2, &p, &hit, &x), EW_OK);
    assert_true(hit);
    assert_int_equal(x.rule, SCREEN_MARKED_EXCEEDANCE);
    assert_int_equal(x.hours, 3);
    assert_int_equal(x.from_utc, T0);
    assert_int_equal(x.to_utc, T0 + 6 * H);
    assert_int_equal(x.max_milli, U(180));
    assert_int_equal(x.min_milli, U(150));
    /* Two marked periods are fewer than the three required. */
    assert_int_equal(screen_marked_exceedance(NULL, 0, m, 1, &p, &hit, &x), EW_OK);
    assert_false(hit);
    /* One judged exceedance beside them: 3 of 4 = 75 %, below "all"; at a 75 % share, a hit. */
    assert_int_equal(screen_marked_exceedance(j, 1, m, 2, &p, &hit, &x), EW_OK);
    assert_false(hit);
    p.marked_exceed_share_permille = 750;
    assert_int_equal(screen_marked_exceedance(j, 1, m, 2, &p, &hit, &x), EW_OK);
    assert_true(hit);
    p.marked_exceed_share_permille = 751;
    assert_int_equal(screen_marked_exceedance(j, 1, m, 2, &p, &hit, &x), EW_OK);
    assert_false(hit);
    /* No exceedance at all: nothing. */
    p = screen_params_default();
    assert_int_equal(screen_marked_exceedance(NULL, 0, NULL, 0, &p, &hit, &x), EW_OK);
    assert_false(hit);
    assert_int_equal(screen_marked_exceedance(NULL, 2, m, 2, &p, &hit, &x), EW_EINVALID);
}

static screen_rates rates(int64_t expected, int64_t exempt, int64_t received, int64_t valid,
                          bool *hit)
{
    screen_params p = screen_params_default();
    screen_counts c = {expected, exempt, received, valid};
    screen_rates r;
    assert_int_equal(screen_transmission(&c, &p, &r, hit), EW_OK);
    return r;
}

/* data_silent: fires at the threshold, not an hour under it; bad input changes nothing. */
static void silence_of_24_hours(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    assert_int_equal(p.silent_min_hours, 24);
    bool hit = true;
    assert_int_equal(screen_silent(23, &p, &hit), EW_OK);
    assert_false(hit);
    assert_int_equal(screen_silent(24, &p, &hit), EW_OK);
    assert_true(hit);
    p.silent_min_hours = 48;
    assert_int_equal(screen_silent(47, &p, &hit), EW_OK);
    assert_false(hit);
    hit = true;
    assert_int_equal(screen_silent(-1, &p, &hit), EW_EINVALID);
    assert_true(hit);
    p.silent_min_hours = 0;
    assert_false(screen_params_ok(&p));
    assert_int_equal(screen_silent(30, &p, &hit), EW_EINVALID);
    assert_string_equal(screen_rule_info_of(SCREEN_DATA_SILENT)->id, "data_silent");
}

/* 分表计电 real-time power standing for an hour: 3 values spanning 45 minutes, not fewer or
 * shorter. */
static void real_time_power_for_an_hour(void **state)
{
    (void)state;
    const int64_t h = 1773108000; /* 2026-03-10T10:00:00+08:00 */
    assert_true(screen_rtd_hour_valid(3, h, h + 2700));
    assert_false(screen_rtd_hour_valid(3, h, h + 2699));
    assert_false(screen_rtd_hour_valid(2, h, h + 3599));
    assert_true(screen_rtd_hour_valid(120, h, h + 3570));
}

static void transmission_rate_below_90_percent(void **state)
{
    (void)state;
    bool hit;
    /* 24 due, 24 received, 22 valid: transmission 1000, validity 22/24 = 916.67 → 917,
     * effective 917; not below 900. */
    screen_rates r = rates(24, 0, 24, 22, &hit);
    assert_int_equal(r.transmission_permille, 1000);
    assert_int_equal(r.validity_permille, 917);
    assert_int_equal(r.effective_permille, 917);
    assert_false(hit);
    /* 21 valid: 875, below. */
    r = rates(24, 0, 24, 21, &hit);
    assert_int_equal(r.effective_permille, 875);
    assert_true(hit);
    /* Exactly 90 %: 18 of 20 is not below; 17 is. */
    rates(20, 0, 18, 18, &hit);
    assert_false(hit);
    rates(20, 0, 18, 17, &hit);
    assert_true(hit);
    /* Wastewater standard check: 1 hour a day exempt, 23 of 23 is 100 %; the 24th value
     * sent anyway does not push a rate past 100 %. */
    r = rates(24, 1, 23, 23, &hit);
    assert_int_equal(r.effective_permille, 1000);
    r = rates(24, 1, 24, 24, &hit);
    assert_int_equal(r.transmission_permille, 1000);
    assert_int_equal(r.effective_permille, 1000);
    assert_false(hit);
    /* Stopped all day (every hour exempt): nothing due, nothing missing. */
    r = rates(24, 24, 0, 0, &hit);
    assert_int_equal(r.effective_permille, 1000);
    assert_false(hit);
    /* Nothing received: every rate 0. */
    r = rates(24, 0, 0, 0, &hit);
    assert_int_equal(r.transmission_permille, 0);
    assert_int_equal(r.validity_permille, 0);
    assert_true(hit);
    screen_params p = screen_params_default();
    screen_counts bad1 = {24, 0, 10, 11}, bad2 = {24, 25, 0, 0}, bad3 = {-1, 0, 0, 0};
    screen_rates keep = {7, 7, 7};
    hit = true;
    assert_int_equal(screen_transmission(&bad1, &p, &keep, &hit), EW_EINVALID);
    assert_int_equal(screen_transmission(&bad2, &p, &keep, &hit), EW_EINVALID);
    assert_int_equal(screen_transmission(&bad3, &p, &keep, &hit), EW_EINVALID);
    assert_int_equal(keep.effective_permille, 7);
    assert_true(hit);
}

/* NH3-N − TN per hour: an excess of 0.001 is a hit (tolerance 0), equality is not; with a
 * tolerance of 0.5 mg/L only the hour 0.6 over is; two hours apart are two runs. */
static void ammonia_above_total_nitrogen(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    screen_hour h[6];
    screen_hit x[8];
    int64_t v[6] = {-U(3), 0, 1, 600, -U(1), 200};
    hours(h, v, 6);
    assert_int_equal(runs(SCREEN_NH3N_OVER_TN, h, 6, &p, x), 2);
    assert_int_equal(x[0].from_utc, T0 + 2 * H);
    assert_int_equal(x[0].to_utc, T0 + 4 * H);
    assert_int_equal(x[0].max_milli, 600);
    assert_int_equal(x[1].from_utc, T0 + 5 * H);
    p.inversion_tolerance_milli = 500;
    assert_int_equal(runs(SCREEN_NH3N_OVER_TN, h, 6, &p, x), 1);
    assert_int_equal(x[0].from_utc, T0 + 3 * H);
    assert_int_equal(x[0].hours, 1);
    p.inversion_min_hours = 2;
    assert_int_equal(runs(SCREEN_NH3N_OVER_TN, h, 6, &p, x), 0);
    /* Not running, or not valid: not judged. */
    p = screen_params_default();
    h[3].running = false;
    h[2].valid = false;
    h[5].running = false;
    assert_int_equal(runs(SCREEN_NH3N_OVER_TN, h, 6, &p, x), 0);
    p.inversion_tolerance_milli = -1;
    size_t k = 99;
    assert_int_equal(screen_runs(SCREEN_NH3N_OVER_TN, h, 6, &p, x, 8, &k), EW_EINVALID);
    assert_int_equal(k, 99);
}

/* The flow reference is the median of the running hours (the lower middle of an even count),
 * and needs flow_ref_min_hours of them; a run is outside [20 %, 3 ×] of it for 4 hours. */
static void flow_against_its_reference(void **state)
{
    (void)state;
    screen_params p = screen_params_default();
    p.flow_ref_min_hours = 4;
    screen_hour h[12];
    screen_hit x[8];
    int64_t scratch[12], ref = -1;
    bool enough = false;
    int64_t r[5] = {U(12), U(9), U(10), U(50), U(11)};
    hours(h, r, 5);
    assert_int_equal(screen_flow_reference(h, 5, &p, scratch, &ref, &enough), EW_OK);
    assert_true(enough);
    assert_int_equal(ref, U(11));
    h[3].running = false; /* 9, 10, 11, 12: the lower middle */
    assert_int_equal(screen_flow_reference(h, 5, &p, scratch, &ref, &enough), EW_OK);
    assert_int_equal(ref, U(10));
    h[0].valid = false; /* three hours left: not enough */
    assert_int_equal(screen_flow_reference(h, 5, &p, scratch, &ref, &enough), EW_OK);
    assert_false(enough);
    assert_int_equal(ref, 0);
    /* Against 10: 2.0 (20 %) and 30 (3 ×) are inside; 1.999 and 30.001 are not. */
    int64_t v[12] = {1999, 1999, 1999, 1999, 2000, 2000, 2000, 2000, 30001, 30001, 30001, 30001};
    hours(h, v, 12);
    size_t k = 99;
    assert_int_equal(screen_flow_runs(h, 12, U(10), &p, x, 8, &k), EW_OK);
    assert_int_equal(k, 2);
    assert_int_equal(x[0].from_utc, T0);
    assert_int_equal(x[0].to_utc, T0 + 4 * H);
    assert_int_equal(x[1].from_utc, T0 + 8 * H);
    assert_int_equal(x[1].max_milli, 30001);
    v[8] = v[9] = v[10] = v[11] = U(30);
    hours(h, v, 12);
    assert_int_equal(screen_flow_runs(h, 12, U(10), &p, x, 8, &k), EW_OK);
    assert_int_equal(k, 1);
    h[2].running = false; /* a stop mark breaks the low run: 2 + 1 hours */
    assert_int_equal(screen_flow_runs(h, 12, U(10), &p, x, 8, &k), EW_OK);
    assert_int_equal(k, 0);
    assert_int_equal(screen_flow_runs(h, 12, 0, &p, x, 8, &k), EW_EINVALID);
    p.flow_high_permille = 1000;
    assert_int_equal(screen_flow_runs(h, 12, U(10), &p, x, 8, &k), EW_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constant_value_needs_four_running_hours),
        cmocka_unit_test(zero_value_at_or_below_threshold),
        cmocka_unit_test(o2_near_air_while_producing),
        cmocka_unit_test(just_below_limit_share_and_band),
        cmocka_unit_test(sudden_drop_to_just_under_the_limit),
        cmocka_unit_test(treatment_off_while_production_runs),
        cmocka_unit_test(stop_mark_while_running),
        cmocka_unit_test(exceedances_all_inside_marks),
        cmocka_unit_test(transmission_rate_below_90_percent),
        cmocka_unit_test(silence_of_24_hours),
        cmocka_unit_test(real_time_power_for_an_hour),
        cmocka_unit_test(ammonia_above_total_nitrogen),
        cmocka_unit_test(flow_against_its_reference),
        cmocka_unit_test(catalogue_and_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
