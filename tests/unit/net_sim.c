/* net_sim: the demo model's outlet faults (sim.h, simulate --fault): each fault changes
 * what a faulty outlet reports inside its window and nothing outside it, and a device
 * without faults reports the model as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "net/sim.h"

static const sim_device gas = {"EWGAS00000000000000ZZ001", "520003", SIM_GAS, 0};
static const sim_device water = {"EWWAT00000000000000YK001", "530003", SIM_WATER, 0};

static void a_fault_is_kind_colon_mn(void **state)
{
    (void)state;
    sim_fault_spec f = {{0}, 0};
    assert_int_equal(sim_fault_parse("zero:EWGAS00000000000000ZZ001", &f), 0);
    assert_string_equal(f.mn, "EWGAS00000000000000ZZ001");
    assert_int_equal(f.faults, 1u << SIM_FAULT_ZERO);
    assert_int_equal(sim_fault_parse("gap:X", &f), 0);
    assert_int_equal(f.faults, 1u << SIM_FAULT_GAP);
    assert_string_equal(f.mn, "X");
    assert_int_equal(sim_fault_parse("zeros:X", &f), -1);
    assert_int_equal(sim_fault_parse("zero:", &f), -1);
    assert_int_equal(sim_fault_parse("zero", &f), -1);
    assert_int_equal(sim_fault_parse("zero:0123456789012345678901234", &f), -1);
    assert_string_equal(f.mn, "X"); /* refusals leave *out as it was */
    sim_device d[2] = {gas, water};
    sim_fault_spec specs[2];
    assert_int_equal(sim_fault_parse("constant:EWGAS00000000000000ZZ001", &specs[0]), 0);
    assert_int_equal(sim_fault_parse("gap:NOSUCHMN", &specs[1]), 0);
    assert_int_equal(sim_faults_apply(d, 2, specs, 2), 1); /* the unknown MN is counted */
    assert_int_equal(d[0].faults, 1u << SIM_FAULT_CONSTANT);
    assert_int_equal(d[1].faults, 0);
}

/* The first Beijing day from 2026-06-01 on which d's window (09:00–15:00) changes the first
 * factor; its 09:00 as UTC seconds, or -1. */
static int64_t window_of(const sim_device *faulty, const sim_device *plain)
{
    int64_t d0 = ew_bj_day_start(ew_days_from_civil(2026, 6, 1));
    for (int day = 0; day < 40; day++) {
        int64_t t = d0 + day * 86400 + 10 * 3600;
        hj212_factor a[8], b[8];
        sim_model_factors(faulty, t, 3600, a);
        sim_model_factors(plain, t, 3600, b);
        if (a[0].avg != b[0].avg || a[1].avg != b[1].avg || a[3].avg != b[3].avg)
            return d0 + day * 86400 + 9 * 3600;
    }
    return -1;
}

static void each_fault_shows_in_its_window_only(void **state)
{
    (void)state;
    sim_device z = gas, c = gas, dil = gas, g = water;
    z.faults = 1u << SIM_FAULT_ZERO;
    c.faults = 1u << SIM_FAULT_CONSTANT;
    dil.faults = 1u << SIM_FAULT_DILUTION;
    g.faults = 1u << SIM_FAULT_GAP;
    int64_t w = window_of(&z, &gas);
    assert_true(w > 0);
    hj212_factor f[8], p[8];
    for (int h = 0; h < 6; h++) {
        sim_model_factors(&z, w + h * 3600, 3600, f);
        assert_true(f[0].avg == 0 && f[0].max == 0);
        sim_model_factors(&c, w + h * 3600, 3600, f);
        sim_model_factors(&c, w, 3600, p);
        assert_true(f[0].avg == p[0].avg && f[0].min == f[0].max);
        sim_model_factors(&dil, w + h * 3600, 3600, f);
        sim_model_factors(&gas, w + h * 3600, 3600, p);
        assert_string_equal(f[3].code, "a19001");
        assert_true(f[3].avg == 20.5);
        assert_true(f[0].avg < p[0].avg * 0.05);
        assert_true(f[4].avg == p[4].avg); /* the flow is not diluted */
    }
    /* The hour before and the hour after the window are the model's. */
    for (int64_t t = w - 3600; t <= w + 6 * 3600; t += 7 * 3600) {
        sim_model_factors(&z, t, 3600, f);
        sim_model_factors(&gas, t, 3600, p);
        assert_true(f[0].avg == p[0].avg && f[0].avg > 0);
    }
    int64_t wg = window_of(
        &(sim_device){"EWWAT00000000000000YK001", "530003", SIM_WATER, 1u << SIM_FAULT_ZERO},
        &water);
    assert_true(wg > 0);
    int lost = 0;
    for (int h = -24 + 9; h < 24 - 9 + 24; h++)
        lost += sim_model_missing(&g, wg + h * 3600);
    int plain = 0;
    for (int h = -24 + 9; h < 24 - 9 + 24; h++)
        plain += sim_model_missing(&water, wg + h * 3600);
    assert_int_equal(lost - plain, 6);
    for (int h = 0; h < 6; h++)
        assert_true(sim_model_missing(&g, wg + h * 3600));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_fault_is_kind_colon_mn),
        cmocka_unit_test(each_fault_shows_in_its_window_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
