/* Tests of src/base/err: the error convention's codes, names, HTTP statuses and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"

static void errf_fills_message_and_returns_code(void **state)
{
    (void)state;
    char err[16];
    memset(err, 'x', sizeof err);
    assert_int_equal(ew_errf(err, sizeof err, EW_EINVALID, "field %s: %d", "limit", 7),
                     EW_EINVALID);
    assert_string_equal(err, "field limit: 7");
    /* truncated, still terminated */
    assert_int_equal(ew_errf(err, sizeof err, EW_EINTERNAL, "%s", "a very long message here"),
                     EW_EINTERNAL);
    assert_int_equal(strlen(err), sizeof err - 1);
    /* NULL err is allowed */
    assert_int_equal(ew_errf(NULL, 0, EW_ENOTFOUND, "x"), EW_ENOTFOUND);
}

static void codes_map_to_distinct_names_and_statuses(void **state)
{
    (void)state;
    assert_string_equal(ew_rc_name(EW_ENOTFOUND), "not_found");
    assert_string_equal(ew_rc_name(EW_EFORBIDDEN), "forbidden");
    assert_string_equal(ew_rc_name(EW_EINVALID), "invalid");
    assert_string_equal(ew_rc_name(EW_ECONFLICT), "conflict");
    assert_string_equal(ew_rc_name(EW_EINTERNAL), "internal");
    assert_string_equal(ew_rc_name(-12345), "internal");
    assert_string_equal(ew_rc_name(EW_OK), "ok");
    assert_int_equal(ew_rc_http(EW_OK), 200);
    assert_int_equal(ew_rc_http(EW_ENOTFOUND), 404);
    assert_int_equal(ew_rc_http(EW_EFORBIDDEN), 403);
    assert_int_equal(ew_rc_http(EW_EINVALID), 422);
    assert_int_equal(ew_rc_http(EW_ECONFLICT), 409);
    assert_int_equal(ew_rc_http(EW_EBUSY), 503);
    assert_int_equal(ew_rc_http(EW_EFULL), 507);
    assert_int_equal(ew_rc_http(EW_EINTERNAL), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(errf_fills_message_and_returns_code),
        cmocka_unit_test(codes_map_to_distinct_names_and_statuses),
    };
    return cmocka_run_group_tests_name("base_err", tests, NULL, NULL);
}
