/* Tests of src/standards/gb3838: GB 3838-2002 Table 1 and the 2011 evaluation method.
 *
 * Values are written as decimal strings and converted exactly (mg below), so every
 * boundary is the limit itself and the smallest step above or below it (one millionth). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/gb3838.h"

/* "0.00005" → 50 (millionths), exactly. */
static int64_t mg(const char *s)
{
    int64_t ip = 0, fp = 0;
    int fd = 0;
    const char *p = s;
    for (; *p && *p != '.'; p++)
        ip = ip * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p; p++, fd++)
            fp = fp * 10 + (*p - '0');
    for (; fd < 6; fd++)
        fp *= 10;
    return ip * GB3838_MICRO + fp;
}

static int cls_of(gb3838_water w, gb3838_item it, const char *v)
{
    int c = -1;
    assert_int_equal(gb3838_item_class(w, it, mg(v), &c, NULL, 0), EW_OK);
    return c;
}

static int cls_micro(gb3838_water w, gb3838_item it, int64_t v)
{
    int c = -1;
    assert_int_equal(gb3838_item_class(w, it, v, &c, NULL, 0), EW_OK);
    return c;
}

/* GB 3838-2002 Table 1 as printed, Classes I..V, river column (TP lake column separately). */
static const struct {
    gb3838_item it;
    const char *lim[5];
} table1[] = {
    {GB3838_DO, {"7.5", "6", "5", "3", "2"}},
    {GB3838_CODMN, {"2", "4", "6", "10", "15"}},
    {GB3838_COD, {"15", "15", "20", "30", "40"}},
    {GB3838_BOD5, {"3", "3", "4", "6", "10"}},
    {GB3838_NH3N, {"0.15", "0.5", "1.0", "1.5", "2.0"}},
    {GB3838_TP, {"0.02", "0.1", "0.2", "0.3", "0.4"}},
    {GB3838_CU, {"0.01", "1.0", "1.0", "1.0", "1.0"}},
    {GB3838_ZN, {"0.05", "1.0", "1.0", "2.0", "2.0"}},
    {GB3838_F, {"1.0", "1.0", "1.0", "1.5", "1.5"}},
    {GB3838_SE, {"0.01", "0.01", "0.01", "0.02", "0.02"}},
    {GB3838_AS, {"0.05", "0.05", "0.05", "0.1", "0.1"}},
    {GB3838_HG, {"0.00005", "0.00005", "0.0001", "0.001", "0.001"}},
    {GB3838_CD, {"0.001", "0.005", "0.005", "0.005", "0.01"}},
    {GB3838_CR6, {"0.01", "0.05", "0.05", "0.05", "0.1"}},
    {GB3838_PB, {"0.01", "0.01", "0.05", "0.05", "0.1"}},
    {GB3838_CN, {"0.005", "0.05", "0.2", "0.2", "0.2"}},
    {GB3838_PHENOL, {"0.002", "0.002", "0.005", "0.01", "0.1"}},
    {GB3838_OIL, {"0.05", "0.05", "0.05", "0.5", "1.0"}},
    {GB3838_LAS, {"0.2", "0.2", "0.2", "0.3", "0.3"}},
    {GB3838_S2, {"0.05", "0.1", "0.2", "0.5", "1.0"}},
    {GB3838_COLIFORM, {"200", "2000", "10000", "20000", "40000"}},
};
static const char *const tp_lake[5] = {"0.01", "0.025", "0.05", "0.1", "0.2"};
static const char *const tn_lake[5] = {"0.2", "0.5", "1.0", "1.5", "2.0"};

static void limits_are_table_1_digit_for_digit(void **state)
{
    (void)state;
    int64_t lo, hi;
    for (size_t r = 0; r < sizeof table1 / sizeof table1[0]; r++) {
        for (int c = 1; c <= 5; c++) {
            assert_int_equal(gb3838_limit(GB3838_RIVER, table1[r].it, c, &lo, &hi), EW_OK);
            int64_t want = mg(table1[r].lim[c - 1]);
            if (table1[r].it == GB3838_DO) {
                assert_true(lo == want && hi == GB3838_NA);
            } else {
                assert_true(lo == GB3838_NA);
                assert_true(hi == want);
            }
        }
    }
    for (int c = 1; c <= 5; c++) {
        assert_int_equal(gb3838_limit(GB3838_LAKE, GB3838_TP, c, &lo, &hi), EW_OK);
        assert_true(hi == mg(tp_lake[c - 1]));
        assert_int_equal(gb3838_limit(GB3838_LAKE, GB3838_TN, c, &lo, &hi), EW_OK);
        assert_true(hi == mg(tn_lake[c - 1]));
        assert_int_equal(gb3838_limit(GB3838_LAKE, GB3838_PH, c, &lo, &hi), EW_OK);
        assert_true(lo == mg("6") && hi == mg("9"));
    }
    /* No class limits: water temperature anywhere, TN in rivers. */
    lo = hi = 7;
    assert_int_equal(gb3838_limit(GB3838_RIVER, GB3838_TEMP, 3, &lo, &hi), EW_ENOTFOUND);
    assert_int_equal(gb3838_limit(GB3838_RIVER, GB3838_TN, 3, &lo, &hi), EW_ENOTFOUND);
    assert_true(lo == 7 && hi == 7);
    assert_int_equal(gb3838_limit(GB3838_RIVER, GB3838_COD, 6, &lo, &hi), EW_EINVALID);
    assert_int_equal(gb3838_limit(GB3838_RIVER, GB3838_COD, 0, &lo, &hi), EW_EINVALID);
}

/* For every "≤" item and class: the limit itself is the best class with that limit, one
 * millionth more is the next class with a larger limit (or 劣V). */
static void every_limit_is_inclusive_and_one_millionth_above_is_worse(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof table1 / sizeof table1[0]; r++) {
        gb3838_item it = table1[r].it;
        if (it == GB3838_DO)
            continue;
        for (int c = 1; c <= 5; c++) {
            int64_t l = mg(table1[r].lim[c - 1]);
            int best = c, next = 6;
            while (best > 1 && mg(table1[r].lim[best - 2]) == l)
                best--;
            for (int k = c + 1; k <= 5; k++)
                if (mg(table1[r].lim[k - 1]) > l) {
                    next = k;
                    break;
                }
            assert_int_equal(cls_micro(GB3838_RIVER, it, l), best);
            assert_int_equal(cls_micro(GB3838_RIVER, it, l + 1), next);
        }
    }
}

static void boundaries_by_hand(void **state)
{
    (void)state;
    gb3838_water R = GB3838_RIVER, L = GB3838_LAKE;
    /* COD: Classes I and II share 15, so 15 is Class I; just above is Class III. */
    assert_int_equal(cls_of(R, GB3838_COD, "15"), 1);
    assert_int_equal(cls_of(R, GB3838_COD, "15.000001"), 3);
    assert_int_equal(cls_of(R, GB3838_COD, "40"), 5);
    assert_int_equal(cls_of(R, GB3838_COD, "40.1"), 6);
    /* NH3-N */
    assert_int_equal(cls_of(R, GB3838_NH3N, "0.15"), 1);
    assert_int_equal(cls_of(R, GB3838_NH3N, "0.16"), 2);
    assert_int_equal(cls_of(R, GB3838_NH3N, "1.0"), 3);
    assert_int_equal(cls_of(R, GB3838_NH3N, "1.01"), 4);
    assert_int_equal(cls_of(R, GB3838_NH3N, "2.0"), 5);
    assert_int_equal(cls_of(R, GB3838_NH3N, "2.01"), 6);
    assert_int_equal(cls_of(R, GB3838_NH3N, "0"), 1);
    /* DO is a lower bound: equal meets, just below is the next class down. */
    assert_int_equal(cls_of(R, GB3838_DO, "7.5"), 1);
    assert_int_equal(cls_of(R, GB3838_DO, "7.499999"), 2);
    assert_int_equal(cls_of(R, GB3838_DO, "6"), 2);
    assert_int_equal(cls_of(R, GB3838_DO, "5.999999"), 3);
    assert_int_equal(cls_of(R, GB3838_DO, "5"), 3);
    assert_int_equal(cls_of(R, GB3838_DO, "4.9"), 4);
    assert_int_equal(cls_of(R, GB3838_DO, "3"), 4);
    assert_int_equal(cls_of(R, GB3838_DO, "2.999999"), 5);
    assert_int_equal(cls_of(R, GB3838_DO, "2"), 5);
    assert_int_equal(cls_of(R, GB3838_DO, "1.999999"), 6);
    assert_int_equal(cls_of(R, GB3838_DO, "12"), 1);
    /* pH: one range for all classes; inside is Class I, outside 劣V. */
    assert_int_equal(cls_of(R, GB3838_PH, "6"), 1);
    assert_int_equal(cls_of(R, GB3838_PH, "5.999999"), 6);
    assert_int_equal(cls_of(R, GB3838_PH, "9"), 1);
    assert_int_equal(cls_of(R, GB3838_PH, "9.000001"), 6);
    assert_int_equal(cls_of(R, GB3838_PH, "7.4"), 1);
    /* TP: rivers and lakes differ. */
    assert_int_equal(cls_of(R, GB3838_TP, "0.2"), 3);
    assert_int_equal(cls_of(R, GB3838_TP, "0.201"), 4);
    assert_int_equal(cls_of(L, GB3838_TP, "0.05"), 3);
    assert_int_equal(cls_of(L, GB3838_TP, "0.051"), 4);
    assert_int_equal(cls_of(R, GB3838_TP, "0.1"), 2);
    assert_int_equal(cls_of(L, GB3838_TP, "0.1"), 4);
    assert_int_equal(cls_of(L, GB3838_TP, "0.025"), 2);
    assert_int_equal(cls_of(L, GB3838_TP, "0.025001"), 3);
    assert_int_equal(cls_of(L, GB3838_TP, "0.2"), 5);
    assert_int_equal(cls_of(L, GB3838_TP, "0.200001"), 6);
    assert_int_equal(cls_of(R, GB3838_TP, "0.4"), 5);
    assert_int_equal(cls_of(R, GB3838_TP, "0.400001"), 6);
    /* TN: lakes only. */
    assert_int_equal(cls_of(L, GB3838_TN, "1.0"), 3);
    assert_int_equal(cls_of(L, GB3838_TN, "1.000001"), 4);
    int c = 42;
    char err[96] = "";
    assert_int_equal(gb3838_item_class(R, GB3838_TN, mg("1.0"), &c, err, sizeof err), EW_ENOTFOUND);
    assert_int_equal(c, 42);
    assert_non_null(strstr(err, "TN"));
    assert_int_equal(gb3838_item_class(R, GB3838_TEMP, mg("20"), &c, NULL, 0), EW_ENOTFOUND);
    /* Mercury: the smallest limits, exact. */
    assert_int_equal(cls_of(R, GB3838_HG, "0.00005"), 1);
    assert_int_equal(cls_of(R, GB3838_HG, "0.000051"), 3);
    assert_int_equal(cls_of(R, GB3838_HG, "0.0001"), 3);
    assert_int_equal(cls_of(R, GB3838_HG, "0.000101"), 4);
    assert_int_equal(cls_of(R, GB3838_HG, "0.001"), 4);
    assert_int_equal(cls_of(R, GB3838_HG, "0.001001"), 6);
    /* Faecal coliform, 个/L. */
    assert_int_equal(cls_of(R, GB3838_COLIFORM, "40000"), 5);
    assert_int_equal(cls_of(R, GB3838_COLIFORM, "40001"), 6);
    /* Cyanide: III..V share 0.2. */
    assert_int_equal(cls_of(R, GB3838_CN, "0.2"), 3);
    assert_int_equal(cls_of(R, GB3838_CN, "0.200001"), 6);
}

static void bad_values_are_refused_and_change_nothing(void **state)
{
    (void)state;
    int c = 42;
    char err[96] = "";
    assert_int_equal(gb3838_item_class(GB3838_RIVER, GB3838_COD, -1, &c, err, sizeof err),
                     EW_EINVALID);
    assert_non_null(strstr(err, "COD"));
    assert_int_equal(gb3838_item_class(GB3838_RIVER, GB3838_PH, mg("14.000001"), &c, NULL, 0),
                     EW_EINVALID);
    assert_int_equal(cls_of(GB3838_RIVER, GB3838_PH, "14"), 6);
    assert_int_equal(gb3838_item_class(GB3838_RIVER, GB3838_COD, GB3838_NA, &c, NULL, 0),
                     EW_EINVALID);
    assert_int_equal(gb3838_item_class(GB3838_RIVER, GB3838_ITEM_COUNT, 0, &c, NULL, 0),
                     EW_EINVALID);
    assert_int_equal(c, 42);

    gb3838_sample s;
    gb3838_sample_init(&s);
    s.v[GB3838_NH3N] = mg("0.3");
    s.v[GB3838_DO] = -5;
    gb3838_result r;
    memset(&r, 0x5a, sizeof r);
    gb3838_result before = r;
    assert_int_equal(gb3838_assess(GB3838_RIVER, &s, 3, &r, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "DO"));
    assert_memory_equal(&r, &before, sizeof r);
    s.v[GB3838_DO] = mg("6");
    assert_int_equal(gb3838_assess(GB3838_RIVER, &s, 6, &r, NULL, 0), EW_EINVALID);
    assert_int_equal(gb3838_assess(GB3838_RIVER, &s, -1, &r, NULL, 0), EW_EINVALID);
    assert_int_equal(gb3838_assess((gb3838_water)7, &s, 3, &r, NULL, 0), EW_EINVALID);
    assert_memory_equal(&r, &before, sizeof r);
}

static void evaluated_items_are_table_1_less_temp_tn_and_coliform(void **state)
{
    (void)state;
    int n = 0;
    for (int i = 0; i < GB3838_ITEM_COUNT; i++)
        n += gb3838_item_evaluated((gb3838_item)i);
    assert_int_equal(n, 21);
    assert_false(gb3838_item_evaluated(GB3838_TEMP));
    assert_false(gb3838_item_evaluated(GB3838_TN));
    assert_false(gb3838_item_evaluated(GB3838_COLIFORM));
    assert_true(gb3838_item_evaluated(GB3838_PH));
    assert_true(gb3838_item_evaluated(GB3838_TP));
    assert_true(gb3838_item_evaluated(GB3838_LAS));
    assert_false(gb3838_item_evaluated(GB3838_ITEM_COUNT));
}

static gb3838_result assess(gb3838_water w, const gb3838_sample *s, int target)
{
    gb3838_result r;
    assert_int_equal(gb3838_assess(w, s, target, &r, NULL, 0), EW_OK);
    return r;
}

static void section_class_is_the_worst_evaluated_item_ties_all_listed(void **state)
{
    (void)state;
    gb3838_sample s;
    gb3838_sample_init(&s);
    s.v[GB3838_PH] = mg("7.6");
    s.v[GB3838_DO] = mg("6.5");    /* II */
    s.v[GB3838_CODMN] = mg("5.2"); /* III */
    s.v[GB3838_NH3N] = mg("1.2");  /* IV */
    s.v[GB3838_TP] = mg("0.25");   /* IV */
    s.v[GB3838_COD] = mg("18");    /* III */
    gb3838_result r = assess(GB3838_RIVER, &s, GB3838_CLASS_NONE);
    assert_int_equal(r.cls, 4);
    assert_int_equal(r.worst, GB3838_BIT(GB3838_NH3N) | GB3838_BIT(GB3838_TP));
    assert_int_equal(r.item_cls[GB3838_DO], 2);
    assert_int_equal(r.item_cls[GB3838_PH], 1);
    assert_int_equal(r.evaluated, GB3838_BIT(GB3838_PH) | GB3838_BIT(GB3838_DO) |
                                      GB3838_BIT(GB3838_CODMN) | GB3838_BIT(GB3838_NH3N) |
                                      GB3838_BIT(GB3838_TP) | GB3838_BIT(GB3838_COD));
    assert_false(r.meets_target);
    assert_int_equal(r.over_target, 0);
    assert_int_equal(gb3838_grade_of(r.cls), GB3838_GRADE_LIGHT);
    /* The same values in a lake: TP 0.25 is beyond the lake Class V limit 0.2. */
    r = assess(GB3838_LAKE, &s, GB3838_CLASS_NONE);
    assert_int_equal(r.cls, 6);
    assert_int_equal(r.worst, GB3838_BIT(GB3838_TP));
    /* An empty sample has no class. */
    gb3838_sample_init(&s);
    r = assess(GB3838_RIVER, &s, 3);
    assert_int_equal(r.cls, GB3838_CLASS_NONE);
    assert_int_equal(r.worst, 0);
    assert_false(r.meets_target);
}

static void reference_items_are_classed_but_never_set_the_class(void **state)
{
    (void)state;
    gb3838_sample s;
    gb3838_sample_init(&s);
    s.v[GB3838_TEMP] = mg("31.5");
    s.v[GB3838_DO] = mg("6");           /* II */
    s.v[GB3838_TN] = mg("2.5");         /* lake: 劣V, reference only */
    s.v[GB3838_COLIFORM] = mg("50000"); /* 劣V, reference only */
    gb3838_result r = assess(GB3838_LAKE, &s, 2);
    assert_int_equal(r.cls, 2);
    assert_true(r.meets_target);
    assert_int_equal(r.item_cls[GB3838_TN], 6);
    assert_int_equal(r.item_cls[GB3838_COLIFORM], 6);
    assert_int_equal(r.item_cls[GB3838_TEMP], GB3838_CLASS_NONE);
    assert_int_equal(r.reference,
                     GB3838_BIT(GB3838_TEMP) | GB3838_BIT(GB3838_TN) | GB3838_BIT(GB3838_COLIFORM));
    assert_int_equal(r.evaluated, GB3838_BIT(GB3838_DO));
    assert_int_equal(r.over_target, 0);
    /* In a river TN has no class at all. */
    r = assess(GB3838_RIVER, &s, 2);
    assert_int_equal(r.cls, 2);
    assert_int_equal(r.item_cls[GB3838_TN], GB3838_CLASS_NONE);
}

static void worse_than_v_from_ph_do_or_any_concentration(void **state)
{
    (void)state;
    gb3838_sample s;
    gb3838_sample_init(&s);
    s.v[GB3838_PH] = mg("9.2");
    s.v[GB3838_NH3N] = mg("0.1");
    gb3838_result r = assess(GB3838_RIVER, &s, 3);
    assert_int_equal(r.cls, 6);
    assert_int_equal(r.worst, GB3838_BIT(GB3838_PH));
    assert_int_equal(r.over_target, GB3838_BIT(GB3838_PH));
    assert_true(r.multiple_milli[GB3838_PH] == GB3838_NA);
    assert_int_equal(gb3838_grade_of(r.cls), GB3838_GRADE_HEAVY);
    s.v[GB3838_PH] = mg("7");
    s.v[GB3838_DO] = mg("1.5");
    r = assess(GB3838_RIVER, &s, 3);
    assert_int_equal(r.cls, 6);
    assert_int_equal(r.worst, GB3838_BIT(GB3838_DO));
    s.v[GB3838_DO] = mg("8");
    s.v[GB3838_PB] = mg("0.11");
    r = assess(GB3838_RIVER, &s, 3);
    assert_int_equal(r.cls, 6);
    assert_int_equal(r.worst, GB3838_BIT(GB3838_PB));
    assert_string_equal(gb3838_class_name(r.cls), "劣V");
}

static int64_t multiple(gb3838_water w, gb3838_item it, int ref, const char *v, int want_rc)
{
    int64_t m = -7;
    assert_int_equal(gb3838_multiple(w, it, ref, mg(v), &m), want_rc);
    return m;
}

static void exceedance_multiples_against_class_iii_and_targets(void **state)
{
    (void)state;
    gb3838_water R = GB3838_RIVER, L = GB3838_LAKE;
    /* (2.3 − 1.0) / 1.0 = 1.3, shown as 氨氮(1.3). */
    assert_int_equal(multiple(R, GB3838_NH3N, 3, "2.3", 1), 1300);
    /* (0.35 − 0.2) / 0.2 = 0.75 */
    assert_int_equal(multiple(R, GB3838_TP, 3, "0.35", 1), 750);
    /* Lake TP against the lake Class III limit 0.05: (0.1 − 0.05) / 0.05 = 1.0 */
    assert_int_equal(multiple(L, GB3838_TP, 3, "0.1", 1), 1000);
    /* At the limit: no exceedance. */
    assert_int_equal(multiple(R, GB3838_NH3N, 3, "1.0", 0), 0);
    assert_int_equal(multiple(R, GB3838_NH3N, 3, "1.000001", 1), 0); /* 0.000001 → 0.000 */
    /* GB/T 8170 half-even on the thousandth: 0.0001/0.2 = 0.0005 → 0.000; 0.0003/0.2 =
     * 0.0015 → 0.002; 0.0005/0.2 = 0.0025 → 0.002. */
    assert_int_equal(multiple(R, GB3838_TP, 3, "0.2001", 1), 0);
    assert_int_equal(multiple(R, GB3838_TP, 3, "0.2003", 1), 2);
    assert_int_equal(multiple(R, GB3838_TP, 3, "0.2005", 1), 2);
    assert_int_equal(multiple(R, GB3838_TP, 3, "0.2007", 1), 4);
    /* Against a target class II: (0.15 − 0.1) / 0.1 = 0.5 */
    assert_int_equal(multiple(R, GB3838_TP, 2, "0.15", 1), 500);
    /* No multiple for pH, DO, water temperature, river TN. */
    assert_int_equal(multiple(R, GB3838_PH, 3, "9.5", EW_ENOTFOUND), -7);
    assert_int_equal(multiple(R, GB3838_DO, 3, "1", EW_ENOTFOUND), -7);
    assert_int_equal(multiple(R, GB3838_TEMP, 3, "30", EW_ENOTFOUND), -7);
    assert_int_equal(multiple(R, GB3838_TN, 3, "3", EW_ENOTFOUND), -7);
    assert_int_equal(multiple(L, GB3838_TN, 3, "3", 1), 2000);
    assert_int_equal(multiple(R, GB3838_TP, 0, "0.3", EW_EINVALID), -7);
    assert_int_equal(multiple(R, GB3838_TP, 6, "0.3", EW_EINVALID), -7);

    /* A section with target II: over_target lists items worse than II with multiples vs II. */
    gb3838_sample s;
    gb3838_sample_init(&s);
    s.v[GB3838_DO] = mg("5.5");    /* III */
    s.v[GB3838_NH3N] = mg("0.75"); /* III, (0.75 − 0.5) / 0.5 = 0.5 */
    s.v[GB3838_TP] = mg("0.1");    /* II: at the target limit */
    gb3838_result r = assess(R, &s, 2);
    assert_int_equal(r.cls, 3);
    assert_false(r.meets_target);
    assert_int_equal(r.over_target, GB3838_BIT(GB3838_DO) | GB3838_BIT(GB3838_NH3N));
    assert_int_equal(r.multiple_milli[GB3838_NH3N], 500);
    assert_true(r.multiple_milli[GB3838_DO] == GB3838_NA);
    assert_true(r.multiple_milli[GB3838_TP] == GB3838_NA);
    r = assess(R, &s, 3);
    assert_true(r.meets_target);
    assert_int_equal(r.over_target, 0);
}

static void grades_of_sections(void **state)
{
    (void)state;
    static const gb3838_grade want[] = {
        GB3838_GRADE_NONE,  GB3838_GRADE_EXCELLENT, GB3838_GRADE_EXCELLENT, GB3838_GRADE_GOOD,
        GB3838_GRADE_LIGHT, GB3838_GRADE_MODERATE,  GB3838_GRADE_HEAVY,     GB3838_GRADE_NONE};
    for (int c = 0; c <= 7; c++)
        assert_int_equal(gb3838_grade_of(c), want[c]);
    assert_string_equal(gb3838_grade_name_zh(gb3838_grade_of(1)), "优");
    assert_string_equal(gb3838_grade_name_zh(gb3838_grade_of(3)), "良好");
    assert_string_equal(gb3838_grade_name_zh(gb3838_grade_of(4)), "轻度污染");
    assert_string_equal(gb3838_grade_name_zh(gb3838_grade_of(5)), "中度污染");
    assert_string_equal(gb3838_grade_name_zh(gb3838_grade_of(6)), "重度污染");
    assert_string_equal(gb3838_grade_name_en(GB3838_GRADE_GOOD), "good");
    assert_null(gb3838_grade_name_zh(GB3838_GRADE_NONE));
}

static gb3838_grade river(const int *c, size_t n)
{
    gb3838_grade g = GB3838_GRADE_NONE;
    assert_int_equal(gb3838_river_grade(c, n, &g), EW_OK);
    return g;
}

static void river_grade_by_share_of_classes_at_each_boundary(void **state)
{
    (void)state;
    /* 10 sections, 9 of I–III: exactly 90 % → 优; 8 → 80 % → 良好. */
    int a[10] = {1, 2, 3, 3, 3, 2, 2, 1, 3, 4};
    assert_int_equal(river(a, 10), GB3838_GRADE_EXCELLENT);
    a[8] = 4;
    assert_int_equal(river(a, 10), GB3838_GRADE_GOOD);
    /* 8 sections, 6 of I–III: exactly 75 % → 良好; 5 of 8 (62.5 %) with one 劣V (12.5 %). */
    int b[8] = {1, 2, 3, 3, 2, 2, 4, 5};
    assert_int_equal(river(b, 8), GB3838_GRADE_GOOD);
    b[5] = 6;
    assert_int_equal(river(b, 8), GB3838_GRADE_LIGHT);
    /* 10 sections, 6 of I–III: 劣V 10 % → 轻度; exactly 20 % → 中度; 30 % → 中度. */
    int c[10] = {1, 2, 3, 3, 2, 2, 4, 5, 5, 6};
    assert_int_equal(river(c, 10), GB3838_GRADE_LIGHT);
    c[8] = 6;
    assert_int_equal(river(c, 10), GB3838_GRADE_MODERATE);
    c[7] = 6;
    assert_int_equal(river(c, 10), GB3838_GRADE_MODERATE);
    /* 4 of 10 劣V: exactly 40 % → 重度, also where I–III is exactly 60 %. */
    c[6] = 6;
    assert_int_equal(river(c, 10), GB3838_GRADE_HEAVY);
    /* Unclassed sections do not count; fewer than 5 classed is refused. */
    int d[6] = {1, 2, 3, 0, 4, 6};
    gb3838_grade g = GB3838_GRADE_GOOD;
    assert_int_equal(gb3838_river_grade(d, 6, &g), EW_OK);
    assert_int_equal(g, GB3838_GRADE_MODERATE); /* 5 classed: I–III 60 %, 劣V 20 % */
    g = GB3838_GRADE_GOOD;
    assert_int_equal(gb3838_river_grade(d, 4, &g), EW_EINVALID);
    assert_int_equal(g, GB3838_GRADE_GOOD);
    int e[5] = {1, 2, 3, 7, 1};
    assert_int_equal(gb3838_river_grade(e, 5, &g), EW_EINVALID);
}

static void period_mean_rounds_to_evaluation_digits_half_even(void **state)
{
    (void)state;
    int64_t m = 0;
    /* (0.5 + 1.0 + 1.6) / 3 = 1.0333… → NH3-N 2 decimals → 1.03 (Class IV). */
    int64_t nh3[] = {mg("0.5"), mg("1.0"), mg("1.6")};
    assert_int_equal(gb3838_mean(GB3838_NH3N, nh3, NULL, 3, true, &m), 3);
    assert_true(m == mg("1.03"));
    assert_int_equal(cls_micro(GB3838_RIVER, GB3838_NH3N, m), 4);
    assert_int_equal(gb3838_mean(GB3838_NH3N, nh3, NULL, 3, false, &m), 3);
    assert_true(m == 1033333);
    /* Half-even: (1.00 + 1.01) / 2 = 1.005 → 1.00 (Class III); (1.01 + 1.02) / 2 = 1.015 →
     * 1.02. */
    int64_t h1[] = {mg("1.00"), mg("1.01")};
    assert_int_equal(gb3838_mean(GB3838_NH3N, h1, NULL, 2, true, &m), 2);
    assert_true(m == mg("1.00"));
    int64_t h2[] = {mg("1.01"), mg("1.02")};
    assert_int_equal(gb3838_mean(GB3838_NH3N, h2, NULL, 2, true, &m), 2);
    assert_true(m == mg("1.02"));
    /* Missing results are skipped; below-detection-limit results enter as ½ DL:
     * Hg (0.00004/2 + 0.00008) / 2 = 0.00005 → Class I. */
    int64_t hg[] = {mg("0.00004"), GB3838_NA, mg("0.00008")};
    bool nd[] = {true, false, false};
    assert_int_equal(gb3838_mean(GB3838_HG, hg, nd, 3, true, &m), 2);
    assert_true(m == mg("0.00005"));
    assert_int_equal(gb3838_mean(GB3838_HG, hg, NULL, 3, true, &m), 2);
    assert_true(m == mg("0.00006"));
    /* A non-zero mean that would round to 0 keeps one significant digit. */
    int64_t tiny[] = {2, 3};
    assert_int_equal(gb3838_mean(GB3838_HG, tiny, NULL, 2, true, &m), 2);
    assert_true(m == 2); /* 0.0000025 → 0.000002 (half-even) */
    /* pH is evaluated as an integer under the 2020 digits: 5.6 → 6 (inside 6–9). */
    int64_t ph[] = {mg("5.6")};
    assert_int_equal(gb3838_mean(GB3838_PH, ph, NULL, 1, true, &m), 1);
    assert_true(m == mg("6"));
    /* Nothing present; negative refused; *m unchanged. */
    int64_t none[] = {GB3838_NA};
    m = 99;
    assert_int_equal(gb3838_mean(GB3838_NH3N, none, NULL, 1, true, &m), EW_ENOTFOUND);
    int64_t neg[] = {mg("1"), -1};
    assert_int_equal(gb3838_mean(GB3838_NH3N, neg, NULL, 2, true, &m), EW_EINVALID);
    assert_true(m == 99);
}

static void period_values_then_period_class(void **state)
{
    (void)state;
    gb3838_sample s[3];
    for (int i = 0; i < 3; i++)
        gb3838_sample_init(&s[i]);
    /* Three samples of a river section: NH3-N 0.9, 1.2, 1.2 → 1.10 (IV) although two of three
     * single samples differ; TP 0.18, 0.22, (absent) → 0.200 (III); Cd below DL 0.001 twice
     * → 0.00050 (I). */
    s[0].v[GB3838_NH3N] = mg("0.9");
    s[1].v[GB3838_NH3N] = mg("1.2");
    s[2].v[GB3838_NH3N] = mg("1.2");
    s[0].v[GB3838_TP] = mg("0.18");
    s[1].v[GB3838_TP] = mg("0.22");
    s[0].v[GB3838_CD] = mg("0.001");
    s[1].v[GB3838_CD] = mg("0.001");
    s[0].below_dl = s[1].below_dl = GB3838_BIT(GB3838_CD);
    gb3838_sample p;
    assert_int_equal(gb3838_period(s, 3, true, &p, NULL, 0), EW_OK);
    assert_true(p.v[GB3838_NH3N] == mg("1.1"));
    assert_true(p.v[GB3838_TP] == mg("0.2"));
    assert_true(p.v[GB3838_CD] == mg("0.0005"));
    assert_true(p.v[GB3838_DO] == GB3838_NA);
    assert_int_equal(p.below_dl, 0);
    gb3838_result r = assess(GB3838_RIVER, &p, 3);
    assert_int_equal(r.cls, 4);
    assert_int_equal(r.worst, GB3838_BIT(GB3838_NH3N));
    assert_int_equal(r.item_cls[GB3838_TP], 3);
    assert_int_equal(r.item_cls[GB3838_CD], 1);
    assert_int_equal(r.multiple_milli[GB3838_NH3N], 100);
    /* A negative value anywhere: refused, *out unchanged. */
    s[2].v[GB3838_COD] = -3;
    gb3838_sample before = p;
    char err[96] = "";
    assert_int_equal(gb3838_period(s, 3, true, &p, err, sizeof err), EW_EINVALID);
    assert_non_null(strstr(err, "COD"));
    assert_memory_equal(&p, &before, sizeof p);
}

static void share_of_sections_meeting_target(void **state)
{
    (void)state;
    gb3838_result r[5];
    memset(r, 0, sizeof r);
    r[0].cls = 3, r[0].target = 3; /* meets: equal */
    r[1].cls = 4, r[1].target = 3; /* misses */
    r[2].cls = 2, r[2].target = 3; /* meets */
    r[3].cls = 0, r[3].target = 3; /* no data: not assessed */
    r[4].cls = 6, r[4].target = 0; /* no target: not assessed */
    gb3838_share s;
    gb3838_share_of(r, 5, &s);
    assert_int_equal(s.assessed, 3);
    assert_int_equal(s.meeting, 2);
    assert_int_equal(s.worse_v, 0);
    assert_true(s.pct_milli == 66667); /* 66.6666… % */
    r[1].cls = 6;
    r[3].cls = 3;
    gb3838_share_of(r, 5, &s);
    assert_int_equal(s.assessed, 4);
    assert_int_equal(s.meeting, 3);
    assert_int_equal(s.worse_v, 1);
    assert_true(s.pct_milli == 75000);
    gb3838_share_of(r, 0, &s);
    assert_int_equal(s.assessed, 0);
    assert_true(s.pct_milli == GB3838_NA);
}

static void names_and_classes_parse(void **state)
{
    (void)state;
    gb3838_item it;
    for (int i = 0; i < GB3838_ITEM_COUNT; i++) {
        const char *n = gb3838_item_name((gb3838_item)i);
        assert_int_equal(gb3838_item_parse(n, strlen(n), &it), EW_OK);
        assert_int_equal(it, i);
        assert_non_null(gb3838_item_name_zh((gb3838_item)i));
    }
    assert_int_equal(gb3838_item_parse("NH3-N", 5, &it), EW_OK);
    assert_int_equal(it, GB3838_NH3N);
    assert_int_equal(gb3838_item_parse("S2-", 3, &it), EW_OK);
    assert_int_equal(it, GB3838_S2);
    assert_int_equal(gb3838_item_parse("NH3", 3, &it), EW_ENOTFOUND);
    assert_null(gb3838_item_name(GB3838_ITEM_COUNT));
    int c;
    assert_int_equal(gb3838_class_parse("IV", 2, &c), EW_OK);
    assert_int_equal(c, 4);
    assert_int_equal(gb3838_class_parse("劣V", strlen("劣V"), &c), EW_OK);
    assert_int_equal(c, 6);
    assert_int_equal(gb3838_class_parse("2", 1, &c), EW_OK);
    assert_int_equal(c, 2);
    assert_int_equal(gb3838_class_parse("VI", 2, &c), EW_EINVALID);
    assert_int_equal(gb3838_class_parse("6", 1, &c), EW_EINVALID);
    assert_null(gb3838_class_name(0));
    assert_string_equal(gb3838_class_name(3), "III");
    assert_int_equal(gb3838_eval_decimals(GB3838_HG), 5);
    assert_int_equal(gb3838_eval_decimals(GB3838_PH), 0);
    assert_int_equal(gb3838_eval_decimals(GB3838_ITEM_COUNT), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limits_are_table_1_digit_for_digit),
        cmocka_unit_test(every_limit_is_inclusive_and_one_millionth_above_is_worse),
        cmocka_unit_test(boundaries_by_hand),
        cmocka_unit_test(bad_values_are_refused_and_change_nothing),
        cmocka_unit_test(evaluated_items_are_table_1_less_temp_tn_and_coliform),
        cmocka_unit_test(section_class_is_the_worst_evaluated_item_ties_all_listed),
        cmocka_unit_test(reference_items_are_classed_but_never_set_the_class),
        cmocka_unit_test(worse_than_v_from_ph_do_or_any_concentration),
        cmocka_unit_test(exceedance_multiples_against_class_iii_and_targets),
        cmocka_unit_test(grades_of_sections),
        cmocka_unit_test(river_grade_by_share_of_classes_at_each_boundary),
        cmocka_unit_test(period_mean_rounds_to_evaluation_digits_half_even),
        cmocka_unit_test(period_values_then_period_class),
        cmocka_unit_test(share_of_sections_meeting_target),
        cmocka_unit_test(names_and_classes_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
