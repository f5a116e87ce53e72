/* Tests of src/standards/limits: the table's shape (every row a valid limit, one row per
 * key, reference O2 consistent per source type) and a few figures worked from the reference
 * notes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "standards/limits.h"

#define U(x) ((int64_t)(x)*1000)

static void every_row_is_a_valid_limit(void **state)
{
    (void)state;
    assert_true(limits_count() > 40);
    assert_null(limits_row_at(limits_count()));
    for (size_t i = 0; i < limits_count(); i++) {
        const limits_row *r = limits_row_at(i);
        exceed_verdict v;
        assert_int_equal(exceed_judge(&r->limit, 0, &v), EW_OK);
        assert_non_null(r->standard);
        assert_non_null(r->source_zh);
        assert_non_null(r->note);
        /* Flue gas: hourly, mg/m3, upper limits; wastewater: daily, mg/L (pH: range). */
        if (r->period == LIMITS_HOURLY) {
            assert_string_equal(r->unit, "mg/m3");
            assert_int_equal(r->limit.kind, EXCEED_UPPER);
        } else {
            assert_int_equal(r->o2_ref_milli, LIMITS_NO_O2);
            assert_int_equal(r->limit.kind == EXCEED_RANGE, !strcmp(r->param, "pH"));
        }
        /* One row per key, and limits_find returns this very row. */
        assert_ptr_equal(limits_find(r->standard, r->source, r->level, r->param), r);
        /* A source type has one reference O2. */
        assert_int_equal(limits_o2_ref(r->source), r->o2_ref_milli);
    }
}

static void figures_from_the_reference_notes(void **state)
{
    (void)state;
    const limits_row *r = limits_find("GB 13271-2014", "coal_boiler", "general", "SO2");
    assert_non_null(r);
    assert_int_equal(r->limit.max_milli, U(300));
    assert_int_equal(r->o2_ref_milli, U(9));
    assert_string_equal(r->code, "a21026");
    assert_int_equal(r->conf, LIMITS_CONF_MEMORY);
    r = limits_find("GB 4915-2013", "cement_kiln", "special", "NOx");
    assert_int_equal(r->limit.max_milli, U(320));
    assert_int_equal(r->conf, LIMITS_CONF_CODE);
    r = limits_find("GB 4915-2013", "cement_kiln", "general", "Hg");
    assert_int_equal(r->limit.max_milli, 50); /* 0.05 mg/m3 */
    r = limits_find("GB 18918-2002", "municipal_wwtp", "1A", "NH3-N");
    assert_int_equal(r->limit.max_milli, U(5));
    assert_int_equal(r->period, LIMITS_DAILY);
    r = limits_find("GB 18918-2002", "municipal_wwtp", "1A_cold", "NH3-N");
    assert_int_equal(r->limit.max_milli, U(8));
    r = limits_find("GB 18918-2002", "municipal_wwtp", "1A", "TP");
    assert_int_equal(r->limit.max_milli, 500);
    r = limits_find("GB 18918-2002", "municipal_wwtp", "1A", "pH");
    assert_int_equal(r->limit.lo_milli, U(6));
    assert_int_equal(r->limit.hi_milli, U(9));
    assert_int_equal(limits_o2_ref("cement_kiln"), U(10));
    assert_int_equal(limits_o2_ref("gas_turbine"), U(15));
    assert_int_equal(limits_o2_ref("general_process"), LIMITS_NO_O2);
    assert_int_equal(limits_o2_ref("no_such_source"), LIMITS_NO_O2);
    assert_null(limits_find("GB 13271-2014", "coal_boiler", "general", "CO"));
    assert_null(limits_find(NULL, "coal_boiler", "general", "SO2"));
}

static void a_table_limit_judges_as_the_standard_reads(void **state)
{
    (void)state;
    /* Cement kiln NOx, special limit 320 mg/m3 (converted to 10 % O2): 320 complies, 352 is
     * 0.1 over. */
    const limits_row *r = limits_find("GB 4915-2013", "cement_kiln", "special", "NOx");
    exceed_verdict v;
    assert_int_equal(exceed_judge(&r->limit, U(320), &v), EW_OK);
    assert_false(v.exceeds);
    assert_int_equal(exceed_judge(&r->limit, U(352), &v), EW_OK);
    assert_true(v.exceeds);
    assert_int_equal(v.multiple_milli, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_a_valid_limit),
        cmocka_unit_test(figures_from_the_reference_notes),
        cmocka_unit_test(a_table_limit_judges_as_the_standard_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
