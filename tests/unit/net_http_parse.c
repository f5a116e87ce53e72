/* Tests of src/net/http_parse.c: the list of trusted proxies, matching a peer against it,
 * the last hop of X-Forwarded-For, and the nesting cap of JSON bodies. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "net/http_internal.h"

static struct sockaddr_in v4(const char *s)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, s, &sa.sin_addr), 1);
    return sa;
}

static struct sockaddr_in6 v6(const char *s)
{
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, s, &sa.sin6_addr), 1);
    return sa;
}

static void trust_lists(void **state)
{
    (void)state;
    http_ip l[HTTP_TRUST_MAX];
    size_t n = 99;
    char err[128] = "";
    assert_int_equal(http_ip_list_parse("10.0.0.5", l, HTTP_TRUST_MAX, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(
        http_ip_list_parse(" 10.0.0.5 ,2001:db8::1,\t::1", l, HTTP_TRUST_MAX, &n, err, sizeof err),
        0);
    assert_int_equal(n, 3);
    struct sockaddr_in a = v4("10.0.0.5"), b = v4("10.0.0.6");
    struct sockaddr_in6 c = v6("2001:db8::1"), d = v6("2001:db8::2"), m = v6("::ffff:10.0.0.5");
    assert_true(http_ip_list_has(l, n, (struct sockaddr *)&a));
    assert_false(http_ip_list_has(l, n, (struct sockaddr *)&b));
    assert_true(http_ip_list_has(l, n, (struct sockaddr *)&c));
    assert_false(http_ip_list_has(l, n, (struct sockaddr *)&d));
    /* An IPv4 peer seen through a dual-stack socket is the same peer. */
    assert_true(http_ip_list_has(l, n, (struct sockaddr *)&m));
    assert_false(http_ip_list_has(l, n, NULL));
    assert_false(http_ip_list_has(l, 0, (struct sockaddr *)&a));
    /* Names, ports, empty items and too many addresses are refused, with the item named. */
    n = 7;
    assert_int_equal(
        http_ip_list_parse("10.0.0.5,proxy.local", l, HTTP_TRUST_MAX, &n, err, sizeof err),
        EW_EINVALID);
    assert_non_null(strstr(err, "proxy.local"));
    assert_int_equal(n, 7);
    assert_true(http_ip_list_parse("10.0.0.5:80", l, HTTP_TRUST_MAX, &n, err, sizeof err) < 0);
    assert_true(http_ip_list_parse("10.0.0.5,", l, HTTP_TRUST_MAX, &n, err, sizeof err) < 0);
    assert_true(http_ip_list_parse("", l, HTTP_TRUST_MAX, &n, err, sizeof err) < 0);
    assert_true(http_ip_list_parse("1.1.1.1,2.2.2.2,3.3.3.3", l, 2, &n, err, sizeof err) < 0);
}

static void forwarded_for(void **state)
{
    (void)state;
    char a[64];
    assert_int_equal(http_forwarded_last("198.51.100.7", a, sizeof a), 0);
    assert_string_equal(a, "198.51.100.7");
    /* Only the last hop was written by our proxy. */
    assert_int_equal(http_forwarded_last("203.0.113.1, 10.1.1.1,198.51.100.7 ", a, sizeof a), 0);
    assert_string_equal(a, "198.51.100.7");
    /* IPv6 in canonical form. */
    assert_int_equal(http_forwarded_last("1.2.3.4, 2001:DB8:0:0::1", a, sizeof a), 0);
    assert_string_equal(a, "2001:db8::1");
    strcpy(a, "kept");
    assert_int_equal(http_forwarded_last("198.51.100.7, unknown", a, sizeof a), -1);
    assert_int_equal(http_forwarded_last("198.51.100.7,", a, sizeof a), -1);
    assert_int_equal(http_forwarded_last("198.51.100.7:4711", a, sizeof a), -1);
    assert_int_equal(http_forwarded_last("", a, sizeof a), -1);
    assert_int_equal(http_forwarded_last(NULL, a, sizeof a), -1);
    assert_int_equal(http_forwarded_last("198.51.100.7", a, 8), -1);
    assert_string_equal(a, "kept");
}

static void forwarded_proto(void **state)
{
    (void)state;
    assert_true(http_forwarded_https("https"));
    assert_true(http_forwarded_https(" HTTPS "));
    /* Only the last entry was written by our proxy. */
    assert_true(http_forwarded_https("http, https"));
    assert_false(http_forwarded_https("https, http"));
    assert_false(http_forwarded_https("http"));
    assert_false(http_forwarded_https("httpsx"));
    assert_false(http_forwarded_https("https,"));
    assert_false(http_forwarded_https(""));
    assert_false(http_forwarded_https(NULL));
}

static void json_depth(void **state)
{
    (void)state;
    assert_int_equal(http_json_depth("", 0), 0);
    assert_int_equal(http_json_depth("1", 1), 0);
    assert_int_equal(http_json_depth("{\"a\":[1,{\"b\":[]}]}", 18), 4);
    /* Brackets in strings, escaped quotes included, do not count. */
    const char *s = "{\"a\":\"[[[\\\"{{\"}";
    assert_int_equal(http_json_depth(s, strlen(s)), 1);
    /* Siblings do not add up; closing brackets beyond the opening ones do not go below 0. */
    assert_int_equal(http_json_depth("[[],[],[[]]]", 12), 3);
    assert_int_equal(http_json_depth("]]][[", 5), 2);
    char deep[2 * (HTTP_JSON_DEPTH_MAX + 1) + 8];
    char err[128];
    for (size_t n = HTTP_JSON_DEPTH_MAX; n <= HTTP_JSON_DEPTH_MAX + 1; n++) {
        /* {"a": + n-1 arrays: n levels */
        size_t k = 0;
        memcpy(deep, "{\"a\":", 5), k = 5;
        for (size_t i = 1; i < n; i++)
            deep[k++] = '[';
        for (size_t i = 1; i < n; i++)
            deep[k++] = ']';
        deep[k++] = '}';
        deep[k] = '\0';
        assert_int_equal(http_json_depth(deep, k), n);
        json_t *v = http_json_object(deep, k, err, sizeof err);
        if (n <= HTTP_JSON_DEPTH_MAX) {
            assert_non_null(v);
            json_decref(v);
        } else {
            assert_null(v);
            assert_non_null(strstr(err, "nested deeper than 32"));
        }
    }
    assert_null(http_json_object("[1]", 3, err, sizeof err));
    assert_string_equal(err, "the body must be a JSON object");
    assert_null(http_json_object(NULL, 0, err, sizeof err));
    assert_string_equal(err, "the body must be a JSON object (none was sent)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trust_lists),
        cmocka_unit_test(forwarded_for),
        cmocka_unit_test(forwarded_proto),
        cmocka_unit_test(json_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
