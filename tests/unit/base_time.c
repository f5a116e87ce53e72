/* Tests of src/base: Beijing time conversions, arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/bjtime.h"

static void days_from_civil_round_trips_over_four_centuries(void **state)
{
    (void)state;
    int y, m, d;
    for (int64_t z = -146097; z <= 146097 * 2; z += 7) {
        ew_civil_from_days(z, &y, &m, &d);
        assert_int_equal(ew_days_from_civil(y, m, d), z);
    }
    assert_int_equal(ew_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(ew_days_from_civil(2000, 3, 1), 11017);
}

static void beijing_midnight_is_previous_day_1600_utc(void **state)
{
    (void)state;
    ew_civil c = {.year = 2025, .mon = 1, .day = 1};
    /* 2025-01-01T00:00+08:00 = 2024-12-31T16:00Z = 1735660800 */
    assert_int_equal(ew_bj_to_utc(&c), 1735660800);
    ew_civil back;
    ew_utc_to_bj(1735660800, &back);
    assert_int_equal(back.year, 2025);
    assert_int_equal(back.mon, 1);
    assert_int_equal(back.day, 1);
    assert_int_equal(back.hour, 0);
    char buf[32];
    ew_format_iso_bj(1735660800, buf, sizeof buf);
    assert_string_equal(buf, "2025-01-01T00:00:00+08:00");
}

static void compact_time_rejects_bad_fields(void **state)
{
    (void)state;
    ew_civil c;
    assert_int_equal(ew_parse_compact("20250228235959", 14, &c), 0);
    assert_int_equal(c.sec, 59);
    assert_int_equal(ew_parse_compact("20250229000000", 14, &c), -1); /* not a leap year */
    assert_int_equal(ew_parse_compact("20240229000000", 14, &c), 0);
    assert_int_equal(ew_parse_compact("20250101240000", 14, &c), -1);
    assert_int_equal(ew_parse_compact("2025010100000", 13, &c), -1);
    assert_int_equal(ew_parse_compact("2025010100000x", 14, &c), -1);
    assert_int_equal(ew_parse_compact("20250101000000123", 17, &c), 0);
    assert_int_equal(c.msec, 123);
}

static void iso_accepts_only_beijing_offset(void **state)
{
    (void)state;
    ew_civil c;
    assert_int_equal(ew_parse_iso("2025-12-31", 10, &c), 0);
    assert_int_equal(ew_parse_iso("2025-12-31 23:00", 16, &c), 0);
    assert_int_equal(c.hour, 23);
    const char *s = "2025-12-31T23:00:05+08:00";
    assert_int_equal(ew_parse_iso(s, strlen(s), &c), 0);
    assert_int_equal(c.sec, 5);
    s = "2025-12-31T23:00:05+00:00";
    assert_int_equal(ew_parse_iso(s, strlen(s), &c), -1);
    assert_int_equal(ew_parse_iso("2025-13-01", 10, &c), -1);
}

static void a_day_formats_as_iso_date(void **state)
{
    (void)state;
    char b[16];
    assert_int_equal(ew_format_day(ew_days_from_civil(2025, 3, 1), b, sizeof b), 10);
    assert_string_equal(b, "2025-03-01");
    assert_int_equal(ew_format_day(ew_days_from_civil(2024, 2, 29), b, sizeof b), 10);
    assert_string_equal(b, "2024-02-29");
    assert_int_equal(ew_format_day(0, b, sizeof b), 10);
    assert_string_equal(b, "1970-01-01");
}

static void arena_reset_keeps_memory_usable(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 64);
    for (int round = 0; round < 3; round++) {
        char *big = arena_alloc(&a, 1000);
        memset(big, 'x', 1000);
        char *s = arena_strndup(&a, "hello", 5);
        assert_string_equal(s, "hello");
        assert_true(((uintptr_t)arena_alloc(&a, 3) % _Alignof(max_align_t)) == 0);
        arena_reset(&a);
    }
    arena_free(&a);
}

/* A Beijing day runs from 16:00 UTC of the day before: 2026-01-01T00:00+08:00 is
 * 1767196800 (2025-12-31T16:00:00Z), so the second before it is still 31 December; before
 * 1970 the division must floor, not truncate (1969-12-31T16:00Z is day 0 in Beijing). */
static void bj_day_of_splits_at_beijing_midnight(void **state)
{
    (void)state;
    int64_t jan1 = ew_days_from_civil(2026, 1, 1);
    assert_int_equal(ew_bj_day_of(1767196800), jan1);
    assert_int_equal(ew_bj_day_of(1767196799), jan1 - 1);
    assert_int_equal(ew_bj_day_start(jan1), 1767196800);
    assert_int_equal(ew_bj_day_of(-28800), 0);
    assert_int_equal(ew_bj_day_of(-28801), -1);
    assert_int_equal(ew_bj_day_start(-1), -115200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_from_civil_round_trips_over_four_centuries),
        cmocka_unit_test(beijing_midnight_is_previous_day_1600_utc),
        cmocka_unit_test(bj_day_of_splits_at_beijing_midnight),
        cmocka_unit_test(compact_time_rejects_bad_fields),
        cmocka_unit_test(iso_accepts_only_beijing_offset),
        cmocka_unit_test(arena_reset_keeps_memory_usable),
        cmocka_unit_test(a_day_formats_as_iso_date),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
