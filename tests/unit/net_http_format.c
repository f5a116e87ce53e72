/* Tests of the HTTP layer's output formatting: numbers, Beijing times, JSON and CSV
 * escaping (RFC 8259 §7, RFC 4180 §2). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "net/http_internal.h"

static const char *num(double v, bool csv)
{
    static http_buf b;
    b.n = 0;
    http_buf_num(&b, v, csv);
    http_buf_put(&b, "", 0);
    return b.p;
}

static void numbers_round_to_four_decimals_without_trailing_zeros(void **state)
{
    (void)state;
    assert_string_equal(num(80, false), "80");
    assert_string_equal(num(0.8, false), "0.8");
    assert_string_equal(num(-1.25, false), "-1.25");
    assert_string_equal(num(12.34567, false), "12.3457");
    assert_string_equal(num(0.00004, false), "0");
    assert_string_equal(num(-0.00004, false), "0");
    assert_string_equal(num(1000000.5, false), "1000000.5");
    assert_string_equal(num(0.0105, false), "0.0105");
    assert_string_equal(num(NAN, false), "null");
    assert_string_equal(num(NAN, true), "");
}

static void times_are_beijing_iso_with_offset(void **state)
{
    (void)state;
    http_buf b = {0};
    /* 2025-01-01T00:00+08:00 = 1735660800 UTC s; one second before is still 2024. */
    http_buf_iso(&b, 1735660800);
    http_buf_put(&b, " ", 1);
    http_buf_iso(&b, 1735660799);
    assert_string_equal(b.p, "2025-01-01T00:00:00+08:00 2024-12-31T23:59:59+08:00");
    free(b.p);
}

static void json_strings_escape_quotes_and_controls_but_keep_utf8(void **state)
{
    (void)state;
    http_buf b = {0};
    http_buf_json_str(&b, "经开区 \"A\"\\\n\x01");
    assert_string_equal(b.p, "\"经开区 \\\"A\\\"\\\\\\u000a\\u0001\"");
    free(b.p);
}

static void csv_fields_are_quoted_only_when_needed(void **state)
{
    (void)state;
    http_buf b = {0};
    http_buf_csv_field(&b, "明湖街道");
    http_buf_put(&b, "|", 1);
    http_buf_csv_field(&b, "a,b");
    http_buf_put(&b, "|", 1);
    http_buf_csv_field(&b, "say \"hi\"");
    assert_string_equal(b.p, "明湖街道|\"a,b\"|\"say \"\"hi\"\"\"");
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_round_to_four_decimals_without_trailing_zeros),
        cmocka_unit_test(times_are_beijing_iso_with_offset),
        cmocka_unit_test(json_strings_escape_quotes_and_controls_but_keep_utf8),
        cmocka_unit_test(csv_fields_are_quoted_only_when_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
