/* Tests of src/service/auth: Argon2id hashing, token expiry, throttling, permissions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "service/auth.h"

static void password_hash_is_argon2id_with_interactive_limits(void **state)
{
    (void)state;
    char h[AUTH_HASH_MAX];
    assert_int_equal(auth_password_hash("correct horse battery", h), 0);
    /* PHC string: Argon2id, version 0x13 = 19, 64 MiB = 65536 KiB, 2 passes, 1 lane. */
    assert_memory_equal(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31);
    assert_int_equal(auth_password_verify(h, "correct horse battery"), 0);
    assert_int_equal(auth_password_verify(h, "correct horse batterY"), -1);
    assert_int_equal(auth_password_verify(h, ""), -1);
    assert_false(auth_password_needs_rehash(h));
    /* Salted: the same password hashes differently each time. */
    char h2[AUTH_HASH_MAX];
    assert_int_equal(auth_password_hash("correct horse battery", h2), 0);
    assert_string_not_equal(h, h2);
    assert_int_equal(auth_password_verify(h2, "correct horse battery"), 0);
}

static void password_length_limits(void **state)
{
    (void)state;
    char h[AUTH_HASH_MAX];
    assert_int_equal(auth_password_hash("1234567", h), -1); /* 7 < 8 bytes */
    char longpw[AUTH_PASSWORD_MAX + 2];
    memset(longpw, 'a', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0'; /* 257 bytes */
    assert_int_equal(auth_password_hash(longpw, h), -1);
    assert_int_equal(auth_password_verify("not a hash", "whatever1"), -1);
    /* A hash made with weaker limits (1 pass, 8 MiB) still verifies but asks to be
     * upgraded. */
    assert_int_equal(sodium_init() >= 0, 1);
    assert_int_equal(crypto_pwhash_str(h, "old password", 12, 1, 8u << 20), 0);
    assert_memory_equal(h, "$argon2id$v=19$m=8192,t=1,p=1$", 30);
    assert_int_equal(auth_password_verify(h, "old password"), 0);
    assert_true(auth_password_needs_rehash(h));
}

static void token_expires_at_its_instant(void **state)
{
    (void)state;
    char text[AUTH_TOKEN_TEXT];
    auth_session s;
    int64_t now = 1767196800;
    assert_int_equal(auth_token_new(now, 3600, text, &s), 0);
    assert_int_equal(strlen(text), 43); /* 32 bytes = 256 bits -> ceil(256/6) = 43 chars */
    assert_int_equal(s.expires_utc, now + 3600);
    assert_int_equal(auth_token_check(&s, text, now), AUTH_TOKEN_OK);
    assert_int_equal(auth_token_check(&s, text, now + 3599), AUTH_TOKEN_OK);
    assert_int_equal(auth_token_check(&s, text, now + 3600), AUTH_TOKEN_EXPIRED);
    char other[AUTH_TOKEN_TEXT];
    memcpy(other, text, sizeof other);
    other[0] = other[0] == 'A' ? 'B' : 'A';
    assert_int_equal(auth_token_check(&s, other, now), AUTH_TOKEN_MISMATCH);
    assert_int_equal(auth_token_check(&s, "short", now), AUTH_TOKEN_MISMATCH);
    assert_int_equal(auth_token_new(now, 0, text, &s), -1);
    /* Only the hash is kept: the stored bytes are not the token's text. */
    assert_memory_not_equal(s.token_hash, text, AUTH_TOKEN_HASH);
}

static void tokens_are_unique_and_urlsafe(void **state)
{
    (void)state;
    char a[AUTH_TOKEN_TEXT], b[AUTH_TOKEN_TEXT];
    auth_session sa, sb;
    assert_int_equal(auth_token_new(0, 60, a, &sa), 0);
    assert_int_equal(auth_token_new(0, 60, b, &sb), 0);
    assert_string_not_equal(a, b);
    for (const char *c = a; *c; c++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *c));
}

static void throttle_backs_off_exponentially(void **state)
{
    (void)state;
    /* Failures 1-3 free; then 1, 2, 4, ... s; 2^9 = 512, then capped at 900. */
    static const int64_t want[] = {0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900};
    for (uint32_t n = 0; n < sizeof want / sizeof want[0]; n++)
        assert_int_equal(auth_throttle_delay_s(n), want[n]);
    assert_int_equal(auth_throttle_delay_s(UINT32_MAX), 900);

    auth_throttle t = {0};
    int64_t now = 1000, wait;
    for (int i = 0; i < 3; i++) {
        assert_true(auth_throttle_allows(&t, now, &wait));
        auth_throttle_failure(&t, now);
    }
    assert_true(auth_throttle_allows(&t, now, &wait)); /* third failure still free */
    auth_throttle_failure(&t, now);                    /* fourth: wait 1 s */
    assert_false(auth_throttle_allows(&t, now, &wait));
    assert_int_equal(wait, 1);
    assert_true(auth_throttle_allows(&t, now + 1, &wait));
    auth_throttle_failure(&t, now + 1); /* fifth: 2 s */
    assert_false(auth_throttle_allows(&t, now + 2, &wait));
    assert_int_equal(wait, 1);
    assert_true(auth_throttle_allows(&t, now + 3, NULL));
    auth_throttle_success(&t);
    assert_int_equal(t.failures, 0);
    assert_true(auth_throttle_allows(&t, now + 3, NULL));
}

static void throttle_forgets_after_a_quiet_day(void **state)
{
    (void)state;
    auth_throttle t = {0};
    for (int i = 0; i < 20; i++)
        auth_throttle_failure(&t, 5000);
    assert_false(auth_throttle_allows(&t, 5000 + 899, NULL));
    assert_true(auth_throttle_allows(&t, 5000 + 900, NULL));
    auth_throttle_failure(&t, 5000 + 86400); /* a day later: counts as the first failure */
    assert_int_equal(t.failures, 1);
    assert_true(auth_throttle_allows(&t, 5000 + 86400, NULL));
}

static void permissions_follow_role_and_unit(void **state)
{
    (void)state;
    auth_decision d = auth_decide(EW_ROLE_UNIT, "jianshe", "jianshe", AUTH_CASE_SIGN);
    assert_true(d.allow);
    d = auth_decide(EW_ROLE_UNIT, "jianshe", "sthj", AUTH_CASE_SIGN);
    assert_false(d.allow);
    assert_string_equal(d.reason,
                        "role unit may case.sign only for its own unit (jianshe), not for sthj");
    d = auth_decide(EW_ROLE_UNIT, NULL, "sthj", AUTH_CASE_READ);
    assert_false(d.allow);
    assert_false(auth_decide(EW_ROLE_UNIT, "jianshe", "jianshe", AUTH_CASE_VERIFY).allow);
    assert_false(auth_decide(EW_ROLE_UNIT, "jianshe", "jianshe", AUTH_CASE_ASSIGN).allow);

    assert_true(auth_decide(EW_ROLE_BUREAU, "sthj", "jianshe", AUTH_CASE_ASSIGN).allow);
    assert_true(auth_decide(EW_ROLE_BUREAU, "sthj", "jianshe", AUTH_CASE_VERIFY).allow);
    assert_false(auth_decide(EW_ROLE_BUREAU, "sthj", "jianshe", AUTH_CASE_SUBMIT).allow);
    assert_true(auth_decide(EW_ROLE_BUREAU, "sthj", "sthj", AUTH_CASE_SUBMIT).allow);
    assert_false(auth_decide(EW_ROLE_BUREAU, "sthj", NULL, AUTH_USER_MANAGE).allow);

    d = auth_decide(EW_ROLE_AUDITOR, NULL, NULL, AUTH_CASE_ACCEPT);
    assert_false(d.allow);
    assert_string_equal(d.reason, "role auditor may not case.accept (auditors are read-only)");
    assert_true(auth_decide(EW_ROLE_AUDITOR, NULL, NULL, AUTH_AUDIT_READ).allow);

    assert_true(auth_decide(EW_ROLE_PUBLIC, NULL, NULL, AUTH_CASE_REPORT).allow);
    assert_true(auth_decide(EW_ROLE_PUBLIC, NULL, NULL, AUTH_CASE_TRACK).allow);
    assert_false(auth_decide(EW_ROLE_PUBLIC, NULL, NULL, AUTH_CASE_READ).allow);
    assert_false(auth_decide(EW_ROLE_PUBLIC, NULL, NULL, AUTH_DATA_READ).allow);

    assert_true(auth_decide(EW_ROLE_ENTERPRISE, "ent-42", "ent-42", AUTH_DATA_READ_OWN).allow);
    d = auth_decide(EW_ROLE_ENTERPRISE, "ent-42", "ent-7", AUTH_DATA_READ_OWN);
    assert_false(d.allow);
    assert_non_null(strstr(d.reason, "own enterprise"));
    assert_false(auth_decide(EW_ROLE_ENTERPRISE, "ent-42", NULL, AUTH_DATA_READ).allow);

    for (int a = 0; a < AUTH_ACTION_COUNT; a++)
        assert_true(auth_decide(EW_ROLE_ADMIN, NULL, NULL, (auth_action)a).allow);
    ew_role r;
    assert_int_equal(auth_role_parse("auditor", &r), 0);
    assert_int_equal(r, EW_ROLE_AUDITOR);
    assert_int_equal(auth_role_parse("root", &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(password_hash_is_argon2id_with_interactive_limits),
        cmocka_unit_test(password_length_limits),
        cmocka_unit_test(token_expires_at_its_instant),
        cmocka_unit_test(tokens_are_unique_and_urlsafe),
        cmocka_unit_test(throttle_backs_off_exponentially),
        cmocka_unit_test(throttle_forgets_after_a_quiet_day),
        cmocka_unit_test(permissions_follow_role_and_unit),
    };
    return cmocka_run_group_tests_name("service_auth", tests, NULL, NULL);
}
