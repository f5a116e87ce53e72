/* Tests of src/base/jsonv: the JSON path and message of the first value that does not fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/bjtime.h"
#include "base/jsonv.h"

static json_t *parse(const char *s)
{
    json_error_t e;
    json_t *j = json_loads(s, 0, &e);
    assert_non_null(j);
    return j;
}

static void the_path_names_the_value_at_fault(void **state)
{
    (void)state;
    json_t *doc = parse("{\"tasks\":[{\"id\":\"T1\",\"deadline\":\"2025-12-31\",\"n\":3},"
                        "{\"id\":\"T 2\",\"deadline\":\"2025-13-01\",\"n\":900}]}");
    ew_jv v;
    ew_jv_init(&v, NULL);
    assert_string_equal(v.path, "$");
    json_t *tasks = json_object_get(doc, "tasks");
    size_t o = ew_jv_push_key(&v, "tasks");
    assert_int_equal(ew_jv_array(&v, tasks, true), 0);
    const char *id;
    int64_t day;
    int n = 0;
    size_t e = ew_jv_push_idx(&v, 0);
    assert_int_equal(ew_jv_id(&v, json_array_get(tasks, 0), &id), 0);
    assert_string_equal(id, "T1");
    assert_int_equal(ew_jv_date(&v, json_array_get(tasks, 0), "deadline", true, &day), 0);
    assert_int_equal(day, ew_days_from_civil(2025, 12, 31));
    assert_int_equal(ew_jv_int(&v, json_array_get(tasks, 0), "n", 0, 10, &n), 0);
    assert_int_equal(n, 3);
    ew_jv_pop(&v, e);
    assert_string_equal(v.path, "$.tasks");
    assert_false(v.failed);
    /* The second task: a bad date, then (ignored: the first fault is kept) a bad id. */
    e = ew_jv_push_idx(&v, 1);
    assert_int_equal(ew_jv_date(&v, json_array_get(tasks, 1), "deadline", true, &day), -1);
    assert_true(v.failed);
    assert_string_equal(v.fault_path, "$.tasks[1].deadline");
    assert_string_equal(v.msg, "\"2025-13-01\" is not a date YYYY-MM-DD");
    ew_jv_pop(&v, e);
    assert_int_equal(ew_jv_id(&v, json_array_get(tasks, 1), &id), -1);
    assert_string_equal(v.fault_path, "$.tasks[1].deadline");
    ew_jv_pop(&v, o);
    json_decref(doc);
}

static void each_kind_of_fault(void **state)
{
    (void)state;
    json_t *doc = parse("{\"id\":\"a b\",\"deadine\":1,\"n\":900,\"s\":\"\",\"x\":[]}");
    const char *const allowed[] = {"id", "n", "s", "x", NULL};
    ew_jv v;
    const char *str;
    int n = 7;
    bool present;
    double d;
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_members(&v, doc, allowed), -1);
    assert_string_equal(v.fault_path, "$.deadine");
    assert_string_equal(v.msg, "unknown member \"deadine\"");
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_id(&v, doc, &str), -1);
    assert_string_equal(v.fault_path, "$.id");
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_int(&v, doc, "n", 0, 100, &n), -1);
    assert_string_equal(v.msg, "900 is outside 0..100");
    assert_int_equal(n, 7);
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_str(&v, doc, "s", true, &str), -1);
    assert_string_equal(v.msg, "must not be empty");
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_str(&v, doc, "missing", true, &str), -1);
    assert_string_equal(v.fault_path, "$");
    assert_string_equal(v.msg, "missing member \"missing\"");
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_array(&v, json_object_get(doc, "x"), true), -1);
    assert_string_equal(v.msg, "must not be empty");
    ew_jv_init(&v, NULL);
    assert_int_equal(ew_jv_num(&v, doc, "s", &present, &d), -1);
    assert_string_equal(v.msg, "expected a number, got a string");
    assert_int_equal(ew_jv_num(&v, doc, "none", &present, &d), 0);
    assert_false(present);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_path_names_the_value_at_fault),
        cmocka_unit_test(each_kind_of_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
