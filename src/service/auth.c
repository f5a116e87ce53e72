/* auth: password hashing, session tokens, throttling, permissions (contract in auth.h). */
#include "service/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void init_sodium(void)
{
    /* sodium_init returns 0 the first time, 1 afterwards, -1 only if no entropy source is
     * usable — then no secret could be made safely, so stop. */
    if (sodium_init() < 0) {
        fprintf(stderr, "envwatch: libsodium could not initialise\n");
        abort();
    }
}

static const char *const role_names[EW_ROLE_COUNT] = {"admin",      "bureau",  "unit",
                                                      "enterprise", "auditor", "public"};

const char *auth_role_name(ew_role r)
{
    return (unsigned)r < EW_ROLE_COUNT ? role_names[r] : "?";
}

int auth_role_parse(const char *s, ew_role *out)
{
    for (int r = 0; r < EW_ROLE_COUNT; r++)
        if (!strcmp(s, role_names[r])) {
            *out = (ew_role)r;
            return 0;
        }
    return -1;
}

static const char *const action_names[AUTH_ACTION_COUNT] = {
    [AUTH_CASE_REPORT] = "case.report",     [AUTH_CASE_TRACK] = "case.track",
    [AUTH_CASE_READ] = "case.read",         [AUTH_CASE_ACCEPT] = "case.accept",
    [AUTH_CASE_REJECT] = "case.reject",     [AUTH_CASE_ASSIGN] = "case.assign",
    [AUTH_CASE_SIGN] = "case.sign",         [AUTH_CASE_SEND_BACK] = "case.send_back",
    [AUTH_CASE_SUBMIT] = "case.submit",     [AUTH_CASE_RETURN] = "case.return",
    [AUTH_CASE_VERIFY] = "case.verify",     [AUTH_CASE_REOPEN] = "case.reopen",
    [AUTH_CASE_EXTEND] = "case.extend",     [AUTH_CASE_ESCALATE] = "case.escalate",
    [AUTH_PLAN_READ] = "plan.read",         [AUTH_LEDGER_READ] = "ledger.read",
    [AUTH_LEDGER_REPORT] = "ledger.report", [AUTH_DATA_READ] = "data.read",
    [AUTH_DATA_READ_OWN] = "data.read_own", [AUTH_AUDIT_READ] = "audit.read",
    [AUTH_USER_MANAGE] = "user.manage",
};

const char *auth_action_name(auth_action a)
{
    return (unsigned)a < AUTH_ACTION_COUNT ? action_names[a] : "?";
}

/* The permission table. D: denied; A: allowed; O: allowed on objects of the actor's own
 * organisation (unit or enterprise). Unlisted entries are D.
 * - Administrators may do everything (handled before the table is read).
 * - The bureau supervises (accepts, assigns, verifies, escalates) but does not sign for or
 *   rectify other units' cases: it signs and submits only when it is itself the assignee
 *   (生态环境分局 is a responsible unit in many tasks).
 * - Unit staff see and act on what is assigned to their unit (plan task 18: 交办 to the
 *   unit, which rectifies).
 * - Auditors read everything, including the audit log, and change nothing.
 * - The public reports and follows its reports by tracking code; the plan is public. */
enum { D = 0, A = 1, O = 2 };
static const unsigned char table[EW_ROLE_COUNT][AUTH_ACTION_COUNT] = {
    [EW_ROLE_BUREAU] =
        {
            [AUTH_CASE_REPORT] = A,   [AUTH_CASE_TRACK] = A,     [AUTH_CASE_READ] = A,
            [AUTH_CASE_ACCEPT] = A,   [AUTH_CASE_REJECT] = A,    [AUTH_CASE_ASSIGN] = A,
            [AUTH_CASE_SIGN] = O,     [AUTH_CASE_SEND_BACK] = O, [AUTH_CASE_SUBMIT] = O,
            [AUTH_CASE_RETURN] = A,   [AUTH_CASE_VERIFY] = A,    [AUTH_CASE_REOPEN] = A,
            [AUTH_CASE_EXTEND] = A,   [AUTH_CASE_ESCALATE] = A,  [AUTH_PLAN_READ] = A,
            [AUTH_LEDGER_READ] = A,   [AUTH_LEDGER_REPORT] = O,  [AUTH_DATA_READ] = A,
            [AUTH_DATA_READ_OWN] = A, [AUTH_AUDIT_READ] = A,
        },
    [EW_ROLE_UNIT] =
        {
            [AUTH_CASE_REPORT] = A,
            [AUTH_CASE_TRACK] = A,
            [AUTH_CASE_READ] = O,
            [AUTH_CASE_SIGN] = O,
            [AUTH_CASE_SEND_BACK] = O,
            [AUTH_CASE_SUBMIT] = O,
            [AUTH_PLAN_READ] = A,
            [AUTH_LEDGER_READ] = A,
            [AUTH_LEDGER_REPORT] = O,
            [AUTH_DATA_READ] = A,
        },
    [EW_ROLE_ENTERPRISE] =
        {
            [AUTH_CASE_REPORT] = A,
            [AUTH_CASE_TRACK] = A,
            [AUTH_PLAN_READ] = A,
            [AUTH_DATA_READ_OWN] = O,
        },
    [EW_ROLE_AUDITOR] =
        {
            [AUTH_CASE_TRACK] = A,
            [AUTH_CASE_READ] = A,
            [AUTH_PLAN_READ] = A,
            [AUTH_LEDGER_READ] = A,
            [AUTH_DATA_READ] = A,
            [AUTH_DATA_READ_OWN] = A,
            [AUTH_AUDIT_READ] = A,
        },
    [EW_ROLE_PUBLIC] =
        {
            [AUTH_CASE_REPORT] = A,
            [AUTH_CASE_TRACK] = A,
            [AUTH_PLAN_READ] = A,
        },
};

auth_decision auth_decide(ew_role role, const char *actor_org, const char *object_org,
                          auth_action a)
{
    auth_decision d = {.allow = false};
    if ((unsigned)role >= EW_ROLE_COUNT || (unsigned)a >= AUTH_ACTION_COUNT) {
        snprintf(d.reason, sizeof d.reason, "unknown role or action");
        return d;
    }
    switch (role == EW_ROLE_ADMIN ? A : table[role][a]) {
    case A:
        d.allow = true;
        snprintf(d.reason, sizeof d.reason, "role %s may %s", role_names[role], action_names[a]);
        break;
    case O:
        if (!actor_org || !object_org) {
            snprintf(d.reason, sizeof d.reason, "role %s may %s only for its own %s, and %s",
                     role_names[role], action_names[a],
                     role == EW_ROLE_ENTERPRISE ? "enterprise" : "unit",
                     actor_org ? "the object belongs to none" : "the actor has none");
        } else if (strcmp(actor_org, object_org)) {
            snprintf(d.reason, sizeof d.reason,
                     "role %s may %s only for its own %s (%s), not for %s", role_names[role],
                     action_names[a], role == EW_ROLE_ENTERPRISE ? "enterprise" : "unit", actor_org,
                     object_org);
        } else {
            d.allow = true;
            snprintf(d.reason, sizeof d.reason, "role %s may %s for its own %s", role_names[role],
                     action_names[a], role == EW_ROLE_ENTERPRISE ? "enterprise" : "unit");
        }
        break;
    default:
        snprintf(d.reason, sizeof d.reason, "role %s may not %s%s", role_names[role],
                 action_names[a], role == EW_ROLE_AUDITOR ? " (auditors are read-only)" : "");
    }
    return d;
}

int auth_password_hash(const char *pw, char out[AUTH_HASH_MAX])
{
    init_sodium();
    size_t n = strnlen(pw, AUTH_PASSWORD_MAX + 1);
    if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
        return -1;
    _Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    if (crypto_pwhash_str(out, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return -2;
    return 0;
}

int auth_password_verify(const char *hash, const char *pw)
{
    init_sodium();
    size_t n = strnlen(pw, AUTH_PASSWORD_MAX + 1);
    if (n > AUTH_PASSWORD_MAX || strnlen(hash, AUTH_HASH_MAX) >= AUTH_HASH_MAX)
        return -1;
    return crypto_pwhash_str_verify(hash, pw, n) == 0 ? 0 : -1;
}

bool auth_password_needs_rehash(const char *hash)
{
    init_sodium();
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

void auth_token_hash(const char *text, uint8_t out[AUTH_TOKEN_HASH])
{
    init_sodium();
    crypto_generichash(out, AUTH_TOKEN_HASH, (const unsigned char *)text, strlen(text), NULL, 0);
}

int auth_token_new(int64_t now_utc, int64_t ttl_s, char text[AUTH_TOKEN_TEXT], auth_session *out)
{
    init_sodium();
    if (ttl_s <= 0)
        return -1;
    unsigned char raw[AUTH_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    _Static_assert(AUTH_TOKEN_TEXT >= 44, "base64 of 32 bytes without padding is 43 chars");
    sodium_bin2base64(text, AUTH_TOKEN_TEXT, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    auth_token_hash(text, out->token_hash);
    out->created_utc = now_utc;
    out->expires_utc = now_utc + ttl_s;
    return 0;
}

auth_token_rc auth_token_check(const auth_session *s, const char *text, int64_t now_utc)
{
    /* A well-formed token is exactly 43 characters of the URL-safe alphabet. */
    if (strnlen(text, AUTH_TOKEN_TEXT) != AUTH_TOKEN_TEXT - 1)
        return AUTH_TOKEN_MISMATCH;
    uint8_t h[AUTH_TOKEN_HASH];
    auth_token_hash(text, h);
    if (sodium_memcmp(h, s->token_hash, sizeof h) != 0)
        return AUTH_TOKEN_MISMATCH;
    if (now_utc >= s->expires_utc)
        return AUTH_TOKEN_EXPIRED;
    return AUTH_TOKEN_OK;
}

int64_t auth_throttle_delay_s(uint32_t failures)
{
    if (failures <= AUTH_THROTTLE_FREE)
        return 0;
    uint32_t e = failures - AUTH_THROTTLE_FREE - 1;
    if (e >= 10) /* 2^10 = 1024 > the cap */
        return AUTH_THROTTLE_MAX_S;
    int64_t d = (int64_t)1 << e;
    return d > AUTH_THROTTLE_MAX_S ? AUTH_THROTTLE_MAX_S : d;
}

static bool forgotten(const auth_throttle *t, int64_t now_utc)
{
    return t->failures && now_utc - t->last_failure_utc >= AUTH_THROTTLE_FORGET_S;
}

bool auth_throttle_allows(const auth_throttle *t, int64_t now_utc, int64_t *wait_s)
{
    if (forgotten(t, now_utc) || now_utc >= t->next_allowed_utc) {
        if (wait_s)
            *wait_s = 0;
        return true;
    }
    if (wait_s)
        *wait_s = t->next_allowed_utc - now_utc;
    return false;
}

void auth_throttle_failure(auth_throttle *t, int64_t now_utc)
{
    if (forgotten(t, now_utc))
        auth_throttle_success(t);
    if (t->failures < UINT32_MAX)
        t->failures++;
    t->last_failure_utc = now_utc;
    t->next_allowed_utc = now_utc + auth_throttle_delay_s(t->failures);
}

void auth_throttle_success(auth_throttle *t)
{
    memset(t, 0, sizeof *t);
}
