/* Tests of src/service/account: login, throttling, sessions and their audit entries on a
 * real SQLite office store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/account.h"
#include "store/office.h"
#include "testutil.h"

enum { NOW = 1767225600 }; /* 2026-01-01 08:00 Beijing */

static void add_user(store *s, const char *name, const char *pw, bool disabled)
{
    char hash[AUTH_HASH_MAX], err[256];
    assert_int_equal(auth_password_hash(pw, hash), 0);
    office_user u = {.name = name, .role = "unit", .org = "kongchenban", .pw_hash = hash,
                     .disabled = disabled, .created_utc = NOW};
    assert_true(office_user_put(s, &u, NULL, err, sizeof err) >= 0);
}

static int found_session(void *ctx, const office_session *ses, const office_user *u)
{
    (void)ses;
    snprintf(ctx, 65, "%s", u->name);
    return 0;
}

static int count_audit(void *ctx, const office_audit *a)
{
    int *n = ctx;
    if (!strcmp(a->action, "login"))
        n[0]++;
    else if (!strcmp(a->action, "login_failed"))
        n[1]++;
    else if (!strcmp(a->action, "logout"))
        n[2]++;
    return 0;
}

static int locks;
static void lk_lock(void *ctx)
{
    (void)ctx;
    locks++;
}
static void lk_unlock(void *ctx)
{
    (void)ctx;
    locks--;
}

static void login_opens_a_session_and_logout_ends_it(void **state)
{
    tu_store_fixture *f = *state;
    add_user(f->s, "chen", "correct horse battery", false);
    account_lock lk = {lk_lock, lk_unlock, NULL};
    account_session ses;
    char err[256];
    assert_int_equal(account_login(f->s, &lk, "chen", "correct horse battery", "10.0.0.1", NOW,
                                   &ses, err, sizeof err),
                     EW_OK);
    assert_int_equal(locks, 0); /* every lock released */
    assert_string_equal(ses.name, "chen");
    assert_string_equal(ses.display, "chen"); /* no display name: the login name */
    assert_string_equal(ses.org, "kongchenban");
    assert_int_equal(ses.expires_utc, NOW + ACCOUNT_SESSION_TTL_S);
    assert_int_equal(strlen(ses.token), AUTH_TOKEN_TEXT - 1);
    assert_string_not_equal(ses.token, ses.csrf);
    /* The store holds the session under the token's hash. */
    uint8_t h[AUTH_TOKEN_HASH];
    auth_token_hash(ses.token, h);
    char who[65] = "";
    assert_int_equal(office_session_get(f->s, h, found_session, who, err, sizeof err), 1);
    assert_string_equal(who, "chen");
    assert_int_equal(account_logout(f->s, NULL, h, "chen", "10.0.0.1", NOW + 60, err, sizeof err),
                     EW_OK);
    assert_int_equal(office_session_get(f->s, h, found_session, who, err, sizeof err), 0);
    int n[3] = {0, 0, 0};
    assert_true(office_audit_each(f->s, 100, 0, NULL, count_audit, n, err, sizeof err) >= 0);
    assert_int_equal(n[0], 1);
    assert_int_equal(n[2], 1);
}

static void failures_are_counted_then_throttled(void **state)
{
    tu_store_fixture *f = *state;
    add_user(f->s, "chen", "correct horse battery", false);
    add_user(f->s, "gone", "correct horse battery", true);
    account_session ses;
    char err[256];
    /* A disabled account and an unknown one fail like a wrong password. */
    assert_int_equal(account_login(f->s, NULL, "gone", "correct horse battery", "10.0.0.2", NOW,
                                   &ses, err, sizeof err),
                     ACCOUNT_E_CREDENTIALS);
    assert_int_equal(account_login(f->s, NULL, "nobody", "x", "10.0.0.2", NOW, &ses, err,
                                   sizeof err),
                     ACCOUNT_E_CREDENTIALS);
    /* Wrong passwords from one address: free attempts, then a wait. */
    int i, rc = 0;
    for (i = 0; i < AUTH_THROTTLE_FREE + 2; i++) {
        rc = account_login(f->s, NULL, "chen", "wrong", "10.0.0.1", NOW, &ses, err, sizeof err);
        if (rc == ACCOUNT_E_THROTTLED)
            break;
        assert_int_equal(rc, ACCOUNT_E_CREDENTIALS);
    }
    assert_int_equal(rc, ACCOUNT_E_THROTTLED);
    assert_int_equal(i, AUTH_THROTTLE_FREE + 1);
    assert_true(ses.retry_after_s > 0);
    /* Throttled: even the right password is not verified now ... */
    assert_int_equal(account_login(f->s, NULL, "chen", "correct horse battery", "10.0.0.1", NOW,
                                   &ses, err, sizeof err),
                     ACCOUNT_E_THROTTLED);
    /* ... but another address is not held back, and after the wait it works. */
    assert_int_equal(account_login(f->s, NULL, "chen", "correct horse battery", "10.0.0.9", NOW,
                                   &ses, err, sizeof err),
                     EW_OK);
    assert_int_equal(account_login(f->s, NULL, "chen", "correct horse battery", "10.0.0.1",
                                   NOW + 3600, &ses, err, sizeof err),
                     EW_OK);
    int n[3] = {0, 0, 0};
    assert_true(office_audit_each(f->s, 100, 0, NULL, count_audit, n, err, sizeof err) >= 0);
    assert_int_equal(n[1], 2 + AUTH_THROTTLE_FREE + 1);
    assert_int_equal(n[0], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(login_opens_a_session_and_logout_ends_it, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(failures_are_counted_then_throttled, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
