/* Tests of src/net/http: docs/openapi.json describes exactly the routes the server has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "net/http.h"

#define OPENAPI_PATH TEST_DATA_DIR "/../../docs/openapi.json"

static json_t *load_doc(void)
{
    json_error_t je;
    json_t *doc = json_load_file(OPENAPI_PATH, 0, &je);
    if (!doc)
        fail_msg("%s:%d: %s", OPENAPI_PATH, je.line, je.text);
    return doc;
}

static void lower(const char *s, char *out, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    out[i] = '\0';
}

static void every_route_is_documented(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    json_t *paths = json_object_get(doc, "paths");
    assert_non_null(paths);
    ew_http_route_info ri;
    size_t n = 0;
    for (size_t i = 0; ew_http_route(i, &ri) == 0; i++, n++) {
        char m[16];
        lower(ri.method, m, sizeof m);
        json_t *op = json_object_get(json_object_get(paths, ri.path), m);
        if (!op)
            fail_msg("route %s %s is missing from docs/openapi.json", ri.method, ri.path);
        assert_non_null(json_object_get(op, "responses"));
        /* Every path parameter of the template is declared. */
        for (const char *p = strchr(ri.path, '{'); p; p = strchr(p + 1, '{')) {
            char name[64];
            size_t k = strcspn(p + 1, "}");
            snprintf(name, sizeof name, "%.*s", (int)k, p + 1);
            json_t *params = json_object_get(op, "parameters"), *prm;
            size_t j;
            bool found = false;
            json_array_foreach(params, j, prm) found |=
                !strcmp(json_string_value(json_object_get(prm, "name")), name) &&
                !strcmp(json_string_value(json_object_get(prm, "in")), "path");
            if (!found)
                fail_msg("%s: path parameter %s not declared", ri.path, name);
        }
    }
    assert_true(n >= 14);
    json_decref(doc);
}

static void every_documented_operation_is_routed(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            bool found = false;
            ew_http_route_info ri;
            for (size_t i = 0; ew_http_route(i, &ri) == 0; i++) {
                char m[16];
                lower(ri.method, m, sizeof m);
                found |= !strcmp(ri.path, path) && !strcmp(m, method);
            }
            if (!found)
                fail_msg("docs/openapi.json documents %s %s, which the server does not route",
                         method, path);
        }
    }
    json_decref(doc);
}

static void route_lookup_ends_after_the_table(void **state)
{
    (void)state;
    ew_http_route_info ri;
    assert_int_equal(ew_http_route(0, &ri), 0);
    assert_string_equal(ri.method, "GET");
    assert_string_equal(ri.path, "/api/v1/health");
    assert_int_equal(ew_http_route(100000, &ri), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_is_documented),
        cmocka_unit_test(every_documented_operation_is_routed),
        cmocka_unit_test(route_lookup_ends_after_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
