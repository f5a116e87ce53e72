/* Tests of src/net/http_auth.c: Bearer headers (RFC 6750 §2.1), Origin against Host
 * (RFC 6454 §7, default ports of RFC 9110 §4.2), magic numbers of uploaded files, the
 * session cookie (Secure over HTTPS). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "net/http_internal.h"

static void bearer_tokens(void **state)
{
    (void)state;
    char t[AUTH_TOKEN_TEXT];
    assert_int_equal(http_bearer_token("Bearer abc-DEF_123", t), 0);
    assert_string_equal(t, "abc-DEF_123");
    /* The scheme is case-insensitive (RFC 9110 §11.1). */
    assert_int_equal(http_bearer_token("bearer xyz", t), 0);
    assert_string_equal(t, "xyz");
    assert_int_equal(http_bearer_token("Basic dXNlcjpwYXNz", t), -1);
    assert_int_equal(http_bearer_token("Bearer ", t), -1);
    assert_int_equal(http_bearer_token("Bearer a b", t), -1);
    assert_int_equal(http_bearer_token(NULL, t), -1);
    /* 43 characters fit (a real token), 44 do not. */
    char h[64] = "Bearer ";
    memset(h + 7, 'A', 43);
    h[50] = '\0';
    assert_int_equal(http_bearer_token(h, t), 0);
    assert_int_equal(strlen(t), 43);
    h[50] = 'A';
    h[51] = '\0';
    assert_int_equal(http_bearer_token(h, t), -1);
}

static void origins(void **state)
{
    (void)state;
    assert_true(http_origin_matches("http://127.0.0.1:8080", "127.0.0.1:8080"));
    assert_true(http_origin_matches("http://Example.org", "example.org"));
    /* Default ports: 80 for http, 443 for https, whether written or not. */
    assert_true(http_origin_matches("http://example.org", "example.org:80"));
    assert_true(http_origin_matches("https://example.org:443", "example.org"));
    assert_false(http_origin_matches("https://example.org", "example.org:80"));
    assert_false(http_origin_matches("http://127.0.0.1:8081", "127.0.0.1:8080"));
    assert_false(http_origin_matches("http://evil.example", "127.0.0.1:8080"));
    assert_false(http_origin_matches("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080"));
    assert_false(http_origin_matches("null", "127.0.0.1:8080"));
    assert_false(http_origin_matches("ftp://127.0.0.1:8080", "127.0.0.1:8080"));
    assert_false(http_origin_matches("http://127.0.0.1:8080", NULL));
    assert_true(http_origin_matches("http://[::1]:8080", "[::1]:8080"));
    assert_false(http_origin_matches("http://[::1]:8080", "[::2]:8080"));
}

static void magic_numbers(void **state)
{
    (void)state;
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
    static const char webp[] = "RIFF\x24\0\0\0WEBPVP8 ";
    static const char pdf[] = "%PDF-1.7\n";
    assert_true(http_magic_matches("image/jpeg", jpeg, sizeof jpeg));
    assert_true(http_magic_matches("image/png", png, sizeof png));
    assert_true(http_magic_matches("image/webp", webp, sizeof webp - 1));
    assert_true(http_magic_matches("application/pdf", pdf, sizeof pdf - 1));
    /* A file declared as one type but holding another is refused. */
    assert_false(http_magic_matches("image/png", jpeg, sizeof jpeg));
    assert_false(http_magic_matches("image/jpeg", pdf, sizeof pdf - 1));
    assert_false(http_magic_matches("image/webp", "RIFF\x24\0\0\0WAVE", 12));
    /* Too short to carry the signature. */
    assert_false(http_magic_matches("image/png", png, 7));
    assert_false(http_magic_matches("image/jpeg", jpeg, 2));
    assert_false(http_magic_matches("image/gif", "GIF89a", 6));
    assert_false(http_magic_matches("text/html", "<html>", 6));
}

static void secrets_and_types(void **state)
{
    (void)state;
    assert_true(http_secret_equal("abc", "abc"));
    assert_false(http_secret_equal("abc", "abd"));
    assert_false(http_secret_equal("abc", "abcd"));
    assert_false(http_secret_equal("abc", NULL));
    char m[32];
    http_media_type("Image/PNG; charset=binary", m, sizeof m);
    assert_string_equal(m, "image/png");
    http_media_type(NULL, m, sizeof m);
    assert_string_equal(m, "");
}

static void session_cookies(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 256);
    /* Over HTTPS the cookie must never travel over plain HTTP (RFC 6265 §4.1.2.5). */
    assert_string_equal(http_session_cookie(&a, "tok", 43200, true),
                        "ew_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure");
    assert_string_equal(http_session_cookie(&a, "tok", 43200, false),
                        "ew_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
    assert_string_equal(http_session_cookie(&a, "", 0, true),
                        "ew_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
    char tok[AUTH_TOKEN_TEXT];
    memset(tok, 'A', sizeof tok - 1);
    tok[sizeof tok - 1] = '\0';
    const char *c = http_session_cookie(&a, tok, 43200, true);
    assert_non_null(strstr(c, tok));
    assert_non_null(strstr(c, "; Secure"));
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bearer_tokens),   cmocka_unit_test(origins),
        cmocka_unit_test(magic_numbers),   cmocka_unit_test(secrets_and_types),
        cmocka_unit_test(session_cookies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
