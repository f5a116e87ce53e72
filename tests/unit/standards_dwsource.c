/* Tests of src/standards/dwsource: event compliance of drinking-water sources (Table 1 within
 * Class III, Table 2 limits, Table 3 counts) and the period rates by source, event and
 * volume. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/dwsource.h"

#define MG(x) ((int64_t)(x)*GB3838_MICRO)

static dwsource_event clean(void)
{
    dwsource_event e;
    dwsource_event_init(&e);
    e.t1.v[GB3838_PH] = MG(7);
    e.t1.v[GB3838_DO] = MG(6);
    e.t1.v[GB3838_NH3N] = 300000; /* 0.3 */
    e.t1.v[GB3838_COD] = MG(15);
    e.t2[DWSOURCE_SO4] = MG(120);
    e.t2[DWSOURCE_FE] = 100000;
    return e;
}

static dwsource_verdict judge(const dwsource_event *e, const dwsource_policy *p)
{
    dwsource_verdict v;
    assert_int_equal(dwsource_judge(e, p, &v, NULL, 0), EW_OK);
    return v;
}

static void table_2_limits(void **state)
{
    (void)state;
    assert_true(dwsource_limit(DWSOURCE_SO4) == MG(250));
    assert_true(dwsource_limit(DWSOURCE_CL) == MG(250));
    assert_true(dwsource_limit(DWSOURCE_NO3N) == MG(10));
    assert_true(dwsource_limit(DWSOURCE_FE) == 300000);
    assert_true(dwsource_limit(DWSOURCE_MN) == 100000);
    assert_true(dwsource_limit(DWSOURCE_ITEM_COUNT) == GB3838_NA);
    assert_string_equal(dwsource_item_name(DWSOURCE_NO3N), "NO3-N");
}

static void event_compliant_within_class_iii_and_table_2(void **state)
{
    (void)state;
    dwsource_event e = clean();
    dwsource_verdict v = judge(&e, NULL);
    assert_true(v.assessed);
    assert_true(v.compliant);
    assert_int_equal(v.t1.cls, 2);
    /* Table 1 at the Class III limit passes, just above fails. */
    e.t1.v[GB3838_NH3N] = MG(1);
    assert_true(judge(&e, NULL).compliant);
    e.t1.v[GB3838_NH3N] = MG(1) + 1;
    v = judge(&e, NULL);
    assert_false(v.compliant);
    assert_int_equal(v.t1.over_target, GB3838_BIT(GB3838_NH3N));
    /* Table 2 at the limit passes, just above fails. */
    e = clean();
    e.t2[DWSOURCE_MN] = 100000;
    assert_true(judge(&e, NULL).compliant);
    e.t2[DWSOURCE_MN] = 100001;
    v = judge(&e, NULL);
    assert_false(v.compliant);
    assert_int_equal(v.t2_over, 1u << DWSOURCE_MN);
    /* One Table 3 item exceeding fails the event. */
    e = clean();
    e.t3_monitored = 33;
    assert_true(judge(&e, NULL).compliant);
    e.t3_exceeding = 1;
    v = judge(&e, NULL);
    assert_false(v.compliant);
    assert_int_equal(v.t3_over, 1);
}

static void reference_items_and_skipped_items_do_not_fail_a_source(void **state)
{
    (void)state;
    dwsource_event e = clean();
    e.t1.v[GB3838_COLIFORM] = MG(50000); /* reference only */
    e.t1.v[GB3838_TN] = MG(3);           /* reference only */
    assert_true(judge(&e, NULL).compliant);
    /* COD 25 is Class IV: fails, unless the programme leaves COD out. */
    e.t1.v[GB3838_COD] = MG(25);
    assert_false(judge(&e, NULL).compliant);
    dwsource_policy p = dwsource_policy_default;
    p.skip = GB3838_BIT(GB3838_COD);
    dwsource_verdict v = judge(&e, &p);
    assert_true(v.compliant);
    assert_true(v.t1.item_cls[GB3838_COD] == GB3838_CLASS_NONE);
    /* A reservoir source uses the lake TP column: 0.06 is Class IV there, II in a river. */
    e = clean();
    e.t1.v[GB3838_TP] = 60000;
    assert_true(judge(&e, NULL).compliant);
    p = dwsource_policy_default;
    p.water = GB3838_LAKE;
    assert_false(judge(&e, &p).compliant);
    /* Nothing monitored: not assessed, not compliant. */
    dwsource_event_init(&e);
    v = judge(&e, NULL);
    assert_false(v.assessed);
    assert_false(v.compliant);
}

static void bad_events_are_refused_and_change_nothing(void **state)
{
    (void)state;
    dwsource_verdict v, before;
    memset(&v, 0x11, sizeof v);
    before = v;
    char err[96] = "";
    dwsource_event e = clean();
    e.t2[DWSOURCE_CL] = -1;
    assert_int_equal(dwsource_judge(&e, NULL, &v, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "Cl"));
    e = clean();
    e.t1.v[GB3838_DO] = -1;
    assert_int_equal(dwsource_judge(&e, NULL, &v, NULL, 0), EW_EINVALID);
    e = clean();
    e.t3_exceeding = 2;
    e.t3_monitored = 1;
    assert_int_equal(dwsource_judge(&e, NULL, &v, NULL, 0), EW_EINVALID);
    e = clean();
    dwsource_policy p = {GB3838_RIVER, 6, 0};
    assert_int_equal(dwsource_judge(&e, &p, &v, NULL, 0), EW_EINVALID);
    assert_memory_equal(&v, &before, sizeof v);
}

static void period_rates_by_source_event_and_volume(void **state)
{
    (void)state;
    /* Four sources monitored monthly for a quarter; one not monitored. */
    dwsource_period p[5] = {
        {3, 3, 4000000}, /* compliant */
        {3, 2, 1000000}, /* one failing month: not compliant for the quarter */
        {3, 3, 2500000}, /* compliant */
        {1, 1, 500000},  /* quarterly source, compliant */
        {0, 0, 700000},  /* not monitored: left out */
    };
    dwsource_rates r;
    assert_int_equal(dwsource_rates_of(p, 5, &r), EW_OK);
    assert_int_equal(r.sources, 4);
    assert_int_equal(r.compliant_sources, 3);
    assert_int_equal(r.events, 10);
    assert_int_equal(r.compliant_events, 9);
    assert_true(r.volume_t == 8000000 && r.compliant_volume_t == 7000000);
    assert_true(r.by_source_milli == 75000);
    assert_true(r.by_event_milli == 90000);
    assert_true(r.by_volume_milli == 87500);
    /* All compliant: 100 %. */
    p[1].compliant_events = 3;
    assert_int_equal(dwsource_rates_of(p, 5, &r), EW_OK);
    assert_true(r.by_source_milli == 100000 && r.by_volume_milli == 100000);
    /* No volumes known: no volume rate. */
    dwsource_period q[1] = {{2, 2, 0}};
    assert_int_equal(dwsource_rates_of(q, 1, &r), EW_OK);
    assert_true(r.by_volume_milli == GB3838_NA);
    assert_true(r.by_source_milli == 100000);
    dwsource_rates before = r;
    q[0].compliant_events = 3;
    assert_int_equal(dwsource_rates_of(q, 1, &r), EW_EINVALID);
    q[0] = (dwsource_period){2, 2, -1};
    assert_int_equal(dwsource_rates_of(q, 1, &r), EW_EINVALID);
    assert_memory_equal(&r, &before, sizeof r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_2_limits),
        cmocka_unit_test(event_compliant_within_class_iii_and_table_2),
        cmocka_unit_test(reference_items_and_skipped_items_do_not_fail_a_source),
        cmocka_unit_test(bad_events_are_refused_and_change_nothing),
        cmocka_unit_test(period_rates_by_source_event_and_volume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
