/* Tests of src/standards/aqi and edition: HJ 633—2012 and HJ 633—2026.
 *
 * Every expected value is worked by hand from HJ 633 Table 1 with eq. 1
 *   IAQI = IAQI_lo + (IAQI_hi − IAQI_lo) / (BP_hi − BP_lo) × (C − BP_lo), rounded up,
 * the working written beside the assertion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/aqi.h"
#include "standards/edition.h"

#define U(x) ((int64_t)(x)*1000) /* whole units → thousandths */
#define P(p) (1u << (p))

static int iaqi(aqi_rules r, aqi_item it, int64_t c_milli)
{
    int v;
    int rc = aqi_iaqi(r, it, c_milli, &v);
    assert_int_equal(rc, 0);
    return v;
}

static void rules_switch_on_2026_03_01_beijing_time(void **state)
{
    (void)state;
    assert_int_equal(aqi_rules_in_force(2025, 12, 31), AQI_RULES_2012);
    assert_int_equal(aqi_rules_in_force(2026, 2, 28), AQI_RULES_2012);
    assert_int_equal(aqi_rules_in_force(2026, 3, 1), AQI_RULES_2026);
    assert_int_equal(aqi_rules_in_force(2031, 1, 1), AQI_RULES_2026);
    assert_int_equal(aqi_rules_in_force(2016, 1, 1), AQI_RULES_2012);
    /* 2026-03-01T00:00+08:00 = 2026-02-28T16:00Z: days 1970-01-01..2026-02-28 =
     * 56 × 365 + 14 leap days + 31 + 27 = 20512; 20512 × 86400 + 16 × 3600 = 1772294400. */
    assert_int_equal(ew_edition_at(1772294400), EW_EDITION_2026);
    assert_int_equal(ew_edition_at(1772294399), EW_EDITION_2012);
    ew_edition e;
    assert_int_equal(ew_edition_parse("2026", 4, &e), 0);
    assert_int_equal(e, EW_EDITION_2026);
    assert_int_equal(ew_edition_parse("2012", 4, &e), 0);
    assert_int_equal(e, EW_EDITION_2012);
    assert_int_equal(ew_edition_parse("2013", 4, &e), -1);
    assert_int_equal(ew_edition_parse("20266", 5, &e), -1);
    assert_string_equal(ew_edition_name(EW_EDITION_2026), "2026");
}

static void gbt8170_rounds_half_to_even(void **state)
{
    (void)state;
    /* GB/T 8170—2008 §3.2 examples in the unit of the last kept digit. */
    assert_int_equal(ew_round_8170(40500, 1000), 40000);
    assert_int_equal(ew_round_8170(41500, 1000), 42000);
    assert_int_equal(ew_round_8170(40501, 1000), 41000);
    assert_int_equal(ew_round_8170(40499, 1000), 40000);
    assert_int_equal(ew_round_8170(1250, 100), 1200); /* CO 1.25 → 1.2 */
    assert_int_equal(ew_round_8170(1350, 100), 1400); /* CO 1.35 → 1.4 */
    assert_int_equal(ew_round_8170(1251, 100), 1300);
    assert_int_equal(ew_round_8170(-40500, 1000), -40000);
    assert_int_equal(ew_round_8170(-41500, 1000), -42000);
    assert_int_equal(ew_round_8170(-40600, 1000), -41000);
    /* Means: 1003 / 24 = 41.791666… → 41.792; 81 / 2 = 40.5 → 40; 83 / 2 = 41.5 → 42. */
    assert_int_equal(ew_round_ratio_8170(1003, 24, 1000), 41792);
    assert_int_equal(ew_round_ratio_8170(81, 2, 1), 40);
    assert_int_equal(ew_round_ratio_8170(83, 2, 1), 42);
}

static void decimals_parse_and_format_exactly(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(ew_parse_milli("2.2", 3, &v), 0);
    assert_int_equal(v, 2200);
    assert_int_equal(ew_parse_milli(".5", 2, &v), 0);
    assert_int_equal(v, 500);
    assert_int_equal(ew_parse_milli("7.", 2, &v), 0);
    assert_int_equal(v, 7000);
    assert_int_equal(ew_parse_milli("40.1250", 7, &v), 0);
    assert_int_equal(v, 40125);
    assert_int_equal(ew_parse_milli("-3", 2, &v), 0);
    assert_int_equal(v, -3000);
    assert_int_equal(ew_parse_milli("40.1255", 7, &v), -1);
    assert_int_equal(ew_parse_milli("abc", 3, &v), -1);
    assert_int_equal(ew_parse_milli("", 0, &v), -1);
    assert_int_equal(ew_parse_milli(".", 1, &v), -1);
    assert_int_equal(ew_parse_milli("1e3", 3, &v), -1);
    assert_int_equal(ew_parse_milli("12 ", 3, &v), -1);
    assert_int_equal(ew_parse_milli("1000000000000", 13, &v), -1);
    char buf[32];
    ew_format_milli(2200, buf, sizeof buf);
    assert_string_equal(buf, "2.2");
    ew_format_milli(75000, buf, sizeof buf);
    assert_string_equal(buf, "75");
    ew_format_milli(125, buf, sizeof buf);
    assert_string_equal(buf, "0.125");
    ew_format_milli(-1500, buf, sizeof buf);
    assert_string_equal(buf, "-1.5");
}

static void breakpoints_give_exactly_their_level(void **state)
{
    (void)state;
    /* 2012 PM2.5 row 0/35/75/115/150/250/350/500. */
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, 0), 0);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(35)), 50);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(75)), 100);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(150)), 200);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(500)), 500);
    /* 36: 50 + 50 × 1/40 = 51.25 → 52; 76: 100 + 50 × 1/40 = 101.25 → 102. */
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(36)), 52);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(76)), 102);
    /* 2026 PM2.5 IAQI-100 at 60: 60 → 100; 61: 100 + 50 × 1/55 = 100.9 → 101;
     * 75: 100 + 50 × 15/55 = 113.6 → 114. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, U(60)), 100);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, U(61)), 101);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, U(75)), 114);
    /* 2026 PM10 IAQI-100 at 120: 120 → 100; 121: 100 + 50/130 = 100.4 → 101;
     * 2012 PM10 150 → 100, 120: 50 + 50 × 70/100 = 85. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM10_24H, U(120)), 100);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM10_24H, U(121)), 101);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM10_24H, U(150)), 100);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM10_24H, U(120)), 85);
    /* Unchanged rows agree in both editions: SO2 24-h 2620 → 500, NO2 1-h 1200 → 200,
     * O3 8-h 800 → 300, CO 24-h 24 → 200. */
    for (aqi_rules r = AQI_RULES_2012;; r = AQI_RULES_2026) {
        assert_int_equal(iaqi(r, AQI_SO2_24H, U(2620)), 500);
        assert_int_equal(iaqi(r, AQI_NO2_1H, U(1200)), 200);
        assert_int_equal(iaqi(r, AQI_O3_8H, U(800)), 300);
        assert_int_equal(iaqi(r, AQI_CO_24H, U(24)), 200);
        assert_int_equal(iaqi(r, AQI_SO2_1H, U(800)), 200);
        /* SO2 1-h row 0/150/500/650/800 (HJ 633 Table 1): 650 → 150 exactly;
         * 651: 150 + 50 × 1/150 = 150.33 → 151; 649: 100 + 50 × 149/150 = 149.67 → 150. */
        assert_int_equal(iaqi(r, AQI_SO2_1H, U(650)), 150);
        assert_int_equal(iaqi(r, AQI_SO2_1H, U(651)), 151);
        assert_int_equal(iaqi(r, AQI_SO2_1H, U(649)), 150);
        /* 1-h PM uses the daily row: 1-h PM2.5 65 = 24-h PM2.5 65. */
        assert_int_equal(iaqi(r, AQI_PM25_1H, U(65)), iaqi(r, AQI_PM25_24H, U(65)));
        if (r == AQI_RULES_2026)
            break;
    }
}

static void values_above_the_table_are_beyond_scale(void **state)
{
    (void)state;
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, U(501)), AQI_BEYOND_SCALE);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, U(501)), AQI_BEYOND_SCALE);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, 500001), AQI_BEYOND_SCALE);
    /* 2026 rounds 500.4 to 500 first: on the scale. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, 500400), 500);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_SO2_24H, U(2621)), AQI_BEYOND_SCALE);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_CO_1H, 150100), AQI_BEYOND_SCALE);
    assert_int_equal(aqi_level(AQI_BEYOND_SCALE), 6);
}

static void exact_arithmetic_defeats_float_ceiling(void **state)
{
    (void)state;
    for (aqi_rules r = AQI_RULES_2012;; r = AQI_RULES_2026) {
        /* CO 24-h 2.2: 50 + 50 × 0.2/2 = 55 exactly (double ceil gives 56). */
        assert_int_equal(iaqi(r, AQI_CO_24H, 2200), 55);
        /* CO 1-h 1.1: 50 × 1.1/5 = 11; 4.9 → 49; 65.4: 200 + 100 × 5.4/30 = 218. */
        assert_int_equal(iaqi(r, AQI_CO_1H, 1100), 11);
        assert_int_equal(iaqi(r, AQI_CO_1H, 4900), 49);
        assert_int_equal(iaqi(r, AQI_CO_1H, 65400), 218);
        /* CO 24-h 1.3: 50 × 1.3/2 = 32.5 → 33. */
        assert_int_equal(iaqi(r, AQI_CO_24H, 1300), 33);
        if (r == AQI_RULES_2026)
            break;
    }
}

static void inputs_round_half_even_under_2026_only(void **state)
{
    (void)state;
    /* PM2.5 40.5: 2026 §4.2.2 rounds to 40, on the 2026 row 35..60 → 50 + 50 × 5/25 = 60;
     * 2012 takes 40.5 as is, row 35..75 → 50 + 50 × 5.5/40 = 56.875 → 57. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, 40500), 60);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, 40500), 57);
    /* 41.5 → 42 (even): 50 + 50 × 7/25 = 64; 2012: 50 + 50 × 6.5/40 = 58.125 → 59. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, 41500), 64);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, 41500), 59);
    /* 35.5 → 36: 50 + 50 × 1/25 = 52; 2012: 50 + 50 × 0.5/40 = 50.625 → 51. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, 35500), 52);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_PM25_24H, 35500), 51);
    /* 60.5 → 60 → 100; 61.5 → 62: 100 + 50 × 2/55 = 101.8 → 102. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, 60500), 100);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_PM25_24H, 61500), 102);
    /* CO to 0.1 mg/m³: 1.25 → 1.2: 25 × 1.2 = 30; 1.35 → 1.4 → 35. 2012: 31.25 → 32,
     * 33.75 → 34. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_CO_24H, 1250), 30);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_CO_24H, 1350), 35);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_CO_24H, 1250), 32);
    assert_int_equal(iaqi(AQI_RULES_2012, AQI_CO_24H, 1350), 34);
}

static void so2_1h_above_800_per_edition(void **state)
{
    (void)state;
    int v = 7;
    /* 2012 note 2: no IAQI from the 1-h value. 2026: IAQI = 200. */
    assert_int_equal(aqi_iaqi(AQI_RULES_2012, AQI_SO2_1H, U(850), &v), AQI_ERR_UNDEFINED);
    assert_int_equal(v, AQI_NONE);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_SO2_1H, U(850)), 200);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_SO2_1H, U(5000)), 200);
    /* 800.4 rounds to 800 under 2026 (→ 200 by the table); under 2012 it is above 800. */
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_SO2_1H, 800400), 200);
    assert_int_equal(aqi_iaqi(AQI_RULES_2012, AQI_SO2_1H, 800400, &v), AQI_ERR_UNDEFINED);

    /* Hourly report, SO2 1-h 850 with 24-h moving mean 300. 2012: the 24-h IAQI,
     * 100 + 50 × (300 − 150)/(475 − 150) = 123.08 → 124. 2026: 200. */
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_SO2_1H] = U(850);
    in.milli[AQI_SO2_24H] = U(300);
    aqi_result r12, r26;
    assert_int_equal(aqi_hourly(AQI_RULES_2012, &in, &r12, NULL), 0);
    assert_int_equal(r12.aqi, 124);
    assert_int_equal(r12.pollutant_iaqi[AQI_SO2], 124);
    assert_int_equal(r12.iaqi[AQI_SO2_1H], AQI_NONE);
    assert_int_equal(r12.primary, P(AQI_SO2));
    assert_int_equal(r12.exceeding, P(AQI_SO2));
    assert_true(r12.notes & AQI_NOTE_SO2_1H_OVER_800);
    assert_int_equal(r12.ignored, 0); /* the 24-h value was used */
    assert_int_equal(r12.level, 3);
    assert_int_equal(aqi_hourly(AQI_RULES_2026, &in, &r26, NULL), 0);
    assert_int_equal(r26.aqi, 200);
    assert_int_equal(r26.level, 4);
    assert_int_equal(r26.exceeding, 0);
    assert_int_equal(r26.ignored, 1u << AQI_SO2_24H);
    /* 2012 without the 24-h value: SO2 unknown. */
    in.milli[AQI_SO2_24H] = AQI_NA;
    in.milli[AQI_NO2_1H] = U(100); /* 50 */
    assert_int_equal(aqi_hourly(AQI_RULES_2012, &in, &r12, NULL), 0);
    assert_int_equal(r12.aqi, 50);
    assert_true(r12.missing & P(AQI_SO2));
}

static void o3_8h_above_800_per_edition(void **state)
{
    (void)state;
    int v;
    assert_int_equal(aqi_iaqi(AQI_RULES_2012, AQI_O3_8H, U(850), &v), AQI_ERR_UNDEFINED);
    assert_int_equal(iaqi(AQI_RULES_2026, AQI_O3_8H, U(850)), 300);
    /* Daily, O3 8-h max 850, 1-h max 900. 2012 note 3: the 1-h IAQI,
     * 300 + 100 × (900 − 800)/200 = 350. 2026: 300, O3 1-h not in the daily AQI. */
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_O3_8H] = U(850);
    in.milli[AQI_O3_1H] = U(900);
    aqi_result r;
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 350);
    assert_int_equal(r.level, 6);
    assert_int_equal(r.primary, P(AQI_O3));
    assert_true(r.notes & AQI_NOTE_O3_8H_OVER_800);
    assert_false(r.missing & P(AQI_O3));
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 300);
    assert_int_equal(r.level, 5);
    assert_int_equal(r.ignored, 1u << AQI_O3_1H);
    assert_true(r.notes & AQI_NOTE_O3_8H_OVER_800);
    /* 2012 with no 1-h value: O3 has no IAQI at all. */
    in.milli[AQI_O3_1H] = AQI_NA;
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, AQI_NONE);
    assert_int_equal(r.level, 0);
    assert_true(r.missing & P(AQI_O3));
    assert_false(r.publishable);
}

/* Reference example A: a daily report under both editions. */
static void daily_report_drops_o3_1h_and_moves_pm_in_2026(void **state)
{
    (void)state;
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_SO2_24H] = U(12);   /* 12 × 50/50 = 12 */
    in.milli[AQI_NO2_24H] = U(45);   /* 50 + 50 × 5/40 = 56.25 → 57 */
    in.milli[AQI_CO_24H] = 1300;     /* 32.5 → 33 */
    in.milli[AQI_PM10_24H] = U(128); /* 2012: 50 + 50 × 78/100 = 89; 2026: 100 + 50 × 8/130 →
                                        104 */
    in.milli[AQI_PM25_24H] = U(82);  /* 2012: 100 + 50 × 7/40 = 108.75 → 109; 2026: 100 + 50
                                        × 22/55 = 120 */
    in.milli[AQI_O3_8H] = U(168);    /* 100 + 50 × 8/55 = 107.27 → 108 */
    in.milli[AQI_O3_1H] = U(210);    /* 100 + 50 × 10/100 = 105 */
    aqi_result r;
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.rules, AQI_RULES_2012);
    assert_int_equal(r.iaqi[AQI_SO2_24H], 12);
    assert_int_equal(r.iaqi[AQI_NO2_24H], 57);
    assert_int_equal(r.iaqi[AQI_CO_24H], 33);
    assert_int_equal(r.iaqi[AQI_PM10_24H], 89);
    assert_int_equal(r.iaqi[AQI_PM25_24H], 109);
    assert_int_equal(r.iaqi[AQI_O3_8H], 108);
    assert_int_equal(r.iaqi[AQI_O3_1H], 105);
    assert_int_equal(r.pollutant_iaqi[AQI_O3], 108);
    assert_int_equal(r.aqi, 109);
    assert_int_equal(r.level, 3);
    assert_int_equal(r.primary, P(AQI_PM25));
    assert_int_equal(r.exceeding, P(AQI_PM25) | P(AQI_O3));
    assert_int_equal(r.missing, 0);
    assert_int_equal(r.ignored, 0);
    assert_true(r.publishable);

    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.rules, AQI_RULES_2026);
    assert_int_equal(r.iaqi[AQI_PM10_24H], 104);
    assert_int_equal(r.iaqi[AQI_PM25_24H], 120);
    assert_int_equal(r.pollutant_iaqi[AQI_O3], 108);
    assert_int_equal(r.aqi, 120);
    assert_int_equal(r.level, 3);
    assert_int_equal(r.primary, P(AQI_PM25));
    assert_int_equal(r.exceeding, 0); /* deleted in 2026 */
    assert_int_equal(r.ignored, 1u << AQI_O3_1H);

    /* O3 1-h max decides the 2012 AQI when it is the largest: 1-h 400 → 200. */
    in.milli[AQI_O3_1H] = U(400);
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 200);
    assert_int_equal(r.primary, P(AQI_O3));
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 120);
}

/* Reference example B: ties are real, and 2026 breaks this one. */
static void tied_primary_pollutants_are_all_listed(void **state)
{
    (void)state;
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_PM25_24H] = U(75);
    in.milli[AQI_PM10_24H] = U(150);
    in.milli[AQI_NO2_24H] = U(60); /* 50 + 50 × 20/40 = 75 */
    aqi_result r;
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 100);
    assert_int_equal(r.level, 2);
    assert_int_equal(r.primary, P(AQI_PM25) | P(AQI_PM10));
    assert_int_equal(r.exceeding, 0); /* IAQI 100 is not > 100 */
    assert_int_equal(r.missing, P(AQI_SO2) | P(AQI_CO) | P(AQI_O3));
    assert_true(r.publishable); /* 2012 has no §5.3.1 */
    /* 2026: PM2.5 100 + 50 × 15/55 = 113.6 → 114, PM10 100 + 50 × 30/130 = 111.5 → 112. */
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.iaqi[AQI_PM25_24H], 114);
    assert_int_equal(r.iaqi[AQI_PM10_24H], 112);
    assert_int_equal(r.aqi, 114);
    assert_int_equal(r.level, 3);
    assert_int_equal(r.primary, P(AQI_PM25));
    /* §5.3.1: gaps, but AQI > 100 → publishable. */
    assert_true(r.publishable);
    /* Three-way tie at 150: PM2.5 115, PM10 250, NO2 180 (both editions). */
    in.milli[AQI_PM25_24H] = U(115);
    in.milli[AQI_PM10_24H] = U(250);
    in.milli[AQI_NO2_24H] = U(180);
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 150);
    assert_int_equal(r.primary, P(AQI_PM25) | P(AQI_PM10) | P(AQI_NO2));
}

static void aqi_up_to_50_has_no_primary_pollutant(void **state)
{
    (void)state;
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_PM25_24H] = U(35); /* 50 */
    in.milli[AQI_NO2_24H] = U(40);  /* 50: a tie at 50 is still no primary pollutant */
    aqi_result r;
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 50);
    assert_int_equal(r.level, 1);
    assert_int_equal(r.primary, 0);
    /* 35.8 (2012): 50 + 50 × 0.8/40 = 51 → primary PM2.5. */
    in.milli[AQI_PM25_24H] = 35800;
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 51);
    assert_int_equal(r.primary, P(AQI_PM25));
    /* 2026 rounds 35.8 to 36, row 35..60: 50 + 50 × 1/25 = 52. */
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, 52);
    assert_true(r.notes & AQI_NOTE_INPUT_ROUNDED);
    /* 2026 §5.3.1: gaps and AQI ≤ 100 → not publishable. */
    assert_false(r.publishable);
}

/* Reference example C: station 1320A, 2018-02-20 07:00, published AQI 88, primary PM2.5. */
static void hourly_report_reproduces_published_station_record(void **state)
{
    (void)state;
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_SO2_1H] = U(9);   /* 9 × 50/150 = 3 */
    in.milli[AQI_NO2_1H] = U(16);  /* 16 × 50/100 = 8 */
    in.milli[AQI_CO_1H] = 1300;    /* 1.3 × 50/5 = 13 */
    in.milli[AQI_O3_1H] = U(118);  /* 118 × 50/160 = 36.875 → 37 */
    in.milli[AQI_PM10_1H] = U(74); /* 2012: 50 + 50 × 24/100 = 62; 2026: 50 + 50 × 24/70 → 68 */
    in.milli[AQI_PM25_1H] = U(65); /* 2012: 50 + 50 × 30/40 = 87.5 → 88; 2026: → 105 */
    in.milli[AQI_O3_8H] = U(300);  /* not part of the real-time AQI */
    in.milli[AQI_PM25_24H] = U(200); /* neither */
    aqi_result r;
    assert_int_equal(aqi_hourly(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.iaqi[AQI_SO2_1H], 3);
    assert_int_equal(r.iaqi[AQI_NO2_1H], 8);
    assert_int_equal(r.iaqi[AQI_CO_1H], 13);
    assert_int_equal(r.iaqi[AQI_O3_1H], 37);
    assert_int_equal(r.iaqi[AQI_PM10_1H], 62);
    assert_int_equal(r.iaqi[AQI_PM25_1H], 88);
    assert_int_equal(r.aqi, 88);
    assert_int_equal(r.level, 2);
    assert_int_equal(r.primary, P(AQI_PM25));
    assert_int_equal(r.ignored, (1u << AQI_O3_8H) | (1u << AQI_PM25_24H));
    assert_int_equal(r.missing, 0);
    /* Ignored items are still scored for display: O3 8-h 300 lies in 265..800,
     * 200 + 100 × 35/535 = 206.5 → 207. */
    assert_int_equal(r.iaqi[AQI_O3_8H], 207);
    assert_int_equal(aqi_hourly(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.iaqi[AQI_PM10_1H], 68);
    assert_int_equal(r.iaqi[AQI_PM25_1H], 105);
    assert_int_equal(r.aqi, 105);
    assert_int_equal(r.level, 3);
    assert_int_equal(r.primary, P(AQI_PM25));
    /* HJ 633—2026: the real-time AQI uses the six 1-h values only. */
    assert_int_equal(r.ignored, (1u << AQI_O3_8H) | (1u << AQI_PM25_24H));
}

static void beyond_scale_is_reported_not_clamped(void **state)
{
    (void)state;
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_PM25_24H] = U(600);
    in.milli[AQI_NO2_24H] = U(50);
    aqi_result r;
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, NULL), 0);
    assert_int_equal(r.aqi, AQI_BEYOND_SCALE);
    assert_int_equal(r.level, 6);
    assert_int_equal(r.primary, P(AQI_PM25));
    assert_true(r.notes & AQI_NOTE_BEYOND_SCALE);
    /* Two pollutants beyond the scale cannot be ordered: both are primary. */
    in.milli[AQI_PM10_24H] = U(700);
    assert_int_equal(aqi_daily(AQI_RULES_2012, &in, &r, NULL), 0);
    assert_int_equal(r.primary, P(AQI_PM25) | P(AQI_PM10));
}

static void negative_input_is_refused_and_changes_nothing(void **state)
{
    (void)state;
    aqi_input in;
    aqi_input_init(&in);
    in.milli[AQI_PM25_24H] = U(50);
    in.milli[AQI_CO_24H] = -100;
    aqi_result r;
    memset(&r, 0x5a, sizeof r);
    aqi_result before;
    memcpy(&before, &r, sizeof r);
    aqi_item bad = AQI_ITEM_COUNT;
    assert_int_equal(aqi_daily(AQI_RULES_2026, &in, &r, &bad), AQI_ERR_NEGATIVE);
    assert_int_equal(bad, AQI_CO_24H);
    assert_memory_equal(&r, &before, sizeof r);
    int v;
    assert_int_equal(aqi_iaqi(AQI_RULES_2012, AQI_CO_24H, -1, &v), AQI_ERR_NEGATIVE);
    assert_int_equal(aqi_iaqi((aqi_rules)2013, AQI_CO_24H, 1, &v), AQI_ERR_ITEM);
    assert_int_equal(aqi_iaqi(AQI_RULES_2012, AQI_ITEM_COUNT, 1, &v), AQI_ERR_ITEM);
    assert_int_equal(aqi_compute(AQI_RULES_2012, (aqi_period)7, &in, &r, NULL), AQI_ERR_ITEM);
}

static void levels_categories_and_colours(void **state)
{
    (void)state;
    static const int cases[][2] = {{0, 1},   {50, 1},  {51, 2},  {100, 2}, {101, 3},
                                   {150, 3}, {151, 4}, {200, 4}, {201, 5}, {300, 5},
                                   {301, 6}, {500, 6}, {-1, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(aqi_level(cases[i][0]), cases[i][1]);
    const aqi_level_info *l = aqi_level_info_of(1);
    assert_string_equal(l->category_zh, "优");
    assert_string_equal(l->rgb_hex, "#00E400");
    l = aqi_level_info_of(3);
    assert_string_equal(l->level_zh, "三级");
    assert_string_equal(l->category_zh, "轻度污染");
    assert_int_equal(l->rgb[1], 126);
    l = aqi_level_info_of(5);
    assert_string_equal(l->category_zh, "重度污染");
    assert_string_equal(l->colour_zh, "紫色");
    assert_int_equal(l->rgb[0], 153);
    assert_int_equal(l->rgb[2], 76);
    assert_int_equal(l->cmyk[3], 30);
    l = aqi_level_info_of(6);
    assert_string_equal(l->category_zh, "严重污染");
    assert_string_equal(l->rgb_hex, "#7E0023");
    assert_null(aqi_level_info_of(0));
    assert_null(aqi_level_info_of(7));
}

static void national_dataset_names_map_by_report(void **state)
{
    (void)state;
    aqi_item it;
    assert_int_equal(aqi_item_parse(AQI_DAILY, "O3", 2, &it), 0);
    assert_int_equal(it, AQI_O3_1H);
    assert_int_equal(aqi_item_parse(AQI_DAILY, "O3_8h", 5, &it), 0);
    assert_int_equal(it, AQI_O3_8H);
    assert_int_equal(aqi_item_parse(AQI_DAILY, "PM2.5", 5, &it), 0);
    assert_int_equal(it, AQI_PM25_24H);
    assert_int_equal(aqi_item_parse(AQI_HOURLY, "PM2.5", 5, &it), 0);
    assert_int_equal(it, AQI_PM25_1H);
    assert_int_equal(aqi_item_parse(AQI_HOURLY, "PM2.5_1h", 8, &it), 0);
    assert_int_equal(it, AQI_PM25_1H);
    assert_int_equal(aqi_item_parse(AQI_HOURLY, "SO2_24h", 7, &it), 0);
    assert_int_equal(it, AQI_SO2_24H);
    assert_int_equal(aqi_item_parse(AQI_DAILY, "SO2_1h", 6, &it), -1);
    assert_int_equal(aqi_item_parse(AQI_DAILY, "pm2.5", 5, &it), -1);
    assert_int_equal(aqi_item_parse(AQI_DAILY, "PM2", 3, &it), -1);
    assert_string_equal(aqi_item_name(AQI_PM25_24H), "PM2.5_24h");
    assert_string_equal(aqi_pollutant_name(AQI_PM25), "PM2.5");
    assert_int_equal(aqi_item_pollutant(AQI_O3_8H), AQI_O3);
}

/* Every row, every edition: the IAQI never decreases as the concentration grows (in steps of
 * 0.1 for CO, 1 otherwise), and each breakpoint listed in HJ 633 Table 1 maps to its level. */
static void iaqi_is_monotonic_over_every_row(void **state)
{
    (void)state;
    static const struct {
        aqi_item it;
        int top; /* last breakpoint, whole units */
    } rows[] = {{AQI_SO2_24H, 2620}, {AQI_SO2_1H, 800},  {AQI_NO2_24H, 940}, {AQI_NO2_1H, 3840},
                {AQI_PM10_24H, 600}, {AQI_CO_24H, 60},   {AQI_CO_1H, 150},   {AQI_O3_1H, 1200},
                {AQI_O3_8H, 800},    {AQI_PM25_24H, 500}};
    for (aqi_rules r = AQI_RULES_2012;; r = AQI_RULES_2026) {
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            int64_t step = aqi_item_is_mg(rows[i].it) ? 100 : 1000;
            int prev = -1;
            for (int64_t c = 0; c <= U(rows[i].top); c += step) {
                int v = iaqi(r, rows[i].it, c);
                assert_true(v >= prev);
                assert_true(v <= 500);
                prev = v;
            }
        }
        if (r == AQI_RULES_2026)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_switch_on_2026_03_01_beijing_time),
        cmocka_unit_test(gbt8170_rounds_half_to_even),
        cmocka_unit_test(decimals_parse_and_format_exactly),
        cmocka_unit_test(breakpoints_give_exactly_their_level),
        cmocka_unit_test(values_above_the_table_are_beyond_scale),
        cmocka_unit_test(exact_arithmetic_defeats_float_ceiling),
        cmocka_unit_test(inputs_round_half_even_under_2026_only),
        cmocka_unit_test(so2_1h_above_800_per_edition),
        cmocka_unit_test(o3_8h_above_800_per_edition),
        cmocka_unit_test(daily_report_drops_o3_1h_and_moves_pm_in_2026),
        cmocka_unit_test(tied_primary_pollutants_are_all_listed),
        cmocka_unit_test(aqi_up_to_50_has_no_primary_pollutant),
        cmocka_unit_test(hourly_report_reproduces_published_station_record),
        cmocka_unit_test(beyond_scale_is_reported_not_clamped),
        cmocka_unit_test(negative_input_is_refused_and_changes_nothing),
        cmocka_unit_test(levels_categories_and_colours),
        cmocka_unit_test(national_dataset_names_map_by_report),
        cmocka_unit_test(iaqi_is_monotonic_over_every_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
