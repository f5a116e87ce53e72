/* auth: the pure parts of users and access — password hashing, session tokens, login
 * throttling and the role → permission table. No storage: callers keep the hash strings,
 * token hashes and throttle records wherever users live.
 *
 * Passwords: libsodium crypto_pwhash_str (Argon2id) with the INTERACTIVE limits, 2 passes
 * over 64 MiB (crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE): about 0.1 s per
 * hash on one core, which is what a login costs and what each guess costs an attacker who
 * has stolen the table. The salt and the limits are stored inside the string, so raising the
 * limits later only needs auth_password_needs_rehash() at the next login.
 *
 * Session tokens: 32 bytes from randombytes_buf, given to the client as 43 characters of
 * unpadded URL-safe base64; only their BLAKE2b-256 hash is stored, so a copy of the
 * session table cannot be replayed. Tokens expire at a fixed instant; comparison is
 * constant-time.
 *
 * Throttling: exponential back-off per (account, address) pair — see auth_throttle_*.
 *
 * All functions call sodium_init() themselves (it is idempotent). */
#ifndef EW_SERVICE_AUTH_H
#define EW_SERVICE_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    EW_ROLE_ADMIN,      /* administrator: users, configuration, everything */
    EW_ROLE_BUREAU,     /* bureau staff: runs the case loop and the ledger */
    EW_ROLE_UNIT,       /* staff of a responsible unit: what is assigned to its unit */
    EW_ROLE_ENTERPRISE, /* an enterprise: its own outlets' data */
    EW_ROLE_AUDITOR,    /* read-only, including the audit log */
    EW_ROLE_PUBLIC,     /* the public: reports, and follows them by tracking code */
    EW_ROLE_COUNT
} ew_role;

const char *auth_role_name(ew_role r); /* "admin", "bureau", "unit", ... */
/* Parse a role name; returns 0 or -1 if unknown. */
int auth_role_parse(const char *s, ew_role *out);

/* What an actor may try to do. Case actions match the transitions of service/case.h. */
typedef enum {
    AUTH_CASE_REPORT,    /* open a case */
    AUTH_CASE_TRACK,     /* follow a public report by its tracking code */
    AUTH_CASE_READ,      /* see a case with its history */
    AUTH_CASE_ACCEPT,    /* 受理 */
    AUTH_CASE_REJECT,    /* 不予受理 */
    AUTH_CASE_ASSIGN,    /* 交办 */
    AUTH_CASE_SIGN,      /* 签收 */
    AUTH_CASE_SEND_BACK, /* unit returns a wrongly assigned case to the bureau */
    AUTH_CASE_SUBMIT,    /* submit rectification with evidence */
    AUTH_CASE_RETURN,    /* verification failed: back to rectifying */
    AUTH_CASE_VERIFY,    /* 核查销号 */
    AUTH_CASE_REOPEN,
    AUTH_CASE_EXTEND,   /* approve a new deadline */
    AUTH_CASE_ESCALATE, /* 督办 / 挂牌督办 */
    AUTH_PLAN_READ,
    AUTH_LEDGER_READ,
    AUTH_LEDGER_REPORT, /* report progress or an indicator value for a task */
    AUTH_DATA_READ,     /* monitoring data of every site */
    AUTH_DATA_READ_OWN, /* an enterprise's own outlets */
    AUTH_AUDIT_READ,
    AUTH_USER_MANAGE,
    AUTH_ACTION_COUNT
} auth_action;

const char *auth_action_name(auth_action a); /* "case.assign", ... */

typedef struct auth_decision {
    bool allow;
    char reason[192];
} auth_decision;

/* The permission check, a pure function of the table in auth.c. actor_org is the actor's
 * unit (unit staff, bureau staff) or enterprise id; object_org is the unit a case is
 * assigned to, the unit a task report is for, or the enterprise owning an outlet. Entries
 * scoped to the actor's own organisation allow only when both are non-NULL and equal. */
auth_decision auth_decide(ew_role role, const char *actor_org, const char *object_org,
                          auth_action a);

/* ---- passwords ---- */
#define AUTH_HASH_MAX 128     /* crypto_pwhash_STRBYTES */
#define AUTH_PASSWORD_MIN 8   /* bytes */
#define AUTH_PASSWORD_MAX 256 /* bytes; longer input is refused, not truncated */

/* Hash pw into out (AUTH_HASH_MAX bytes). Returns 0, -1 if the password is shorter than
 * AUTH_PASSWORD_MIN or longer than AUTH_PASSWORD_MAX, -2 if hashing failed (memory). */
__attribute__((warn_unused_result)) int auth_password_hash(const char *pw, char out[AUTH_HASH_MAX]);
/* 0 if pw matches hash, -1 otherwise (including a malformed hash). */
__attribute__((warn_unused_result)) int auth_password_verify(const char *hash, const char *pw);
/* True if hash was made with other limits than the current ones. */
bool auth_password_needs_rehash(const char *hash);

/* ---- session tokens ---- */
#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_TEXT 44 /* 43 characters + NUL */
#define AUTH_TOKEN_HASH 32

typedef struct auth_session {
    uint8_t token_hash[AUTH_TOKEN_HASH]; /* what is stored */
    int64_t created_utc;
    int64_t expires_utc; /* the token is refused from this instant on */
} auth_session;

/* New token valid for ttl_s seconds (> 0) from now_utc: its text goes to the client (text,
 * AUTH_TOKEN_TEXT bytes), the session record to storage. Returns 0 or -1 if ttl_s <= 0. */
__attribute__((warn_unused_result)) int
auth_token_new(int64_t now_utc, int64_t ttl_s, char text[AUTH_TOKEN_TEXT], auth_session *out);
/* The stored hash of a presented token text. */
void auth_token_hash(const char *text, uint8_t out[AUTH_TOKEN_HASH]);

typedef enum { AUTH_TOKEN_OK = 0, AUTH_TOKEN_MISMATCH = -1, AUTH_TOKEN_EXPIRED = -2 } auth_token_rc;
/* Check a presented token against a stored session at now_utc. MISMATCH also for text that
 * is not a well-formed token. */
auth_token_rc auth_token_check(const auth_session *s, const char *text, int64_t now_utc);

/* ---- login throttling ----
 * One record per (account, address). The first AUTH_THROTTLE_FREE failures cost nothing;
 * failure n > FREE makes the pair wait 2^(n-FREE-1) s before the next attempt (1, 2, 4 …),
 * capped at AUTH_THROTTLE_MAX_S. A success clears the record; so does a quiet period of
 * AUTH_THROTTLE_FORGET_S after the last failure. Keying on the pair, not the account alone,
 * keeps an attacker at one address from locking the real user out everywhere. */
#define AUTH_THROTTLE_FREE 3
#define AUTH_THROTTLE_MAX_S 900      /* 15 minutes */
#define AUTH_THROTTLE_FORGET_S 86400 /* a day */

typedef struct auth_throttle {
    uint32_t failures;
    int64_t last_failure_utc;
    int64_t next_allowed_utc;
} auth_throttle;

/* May an attempt be made now? If not, *wait_s (may be NULL) gets the seconds to wait. */
bool auth_throttle_allows(const auth_throttle *t, int64_t now_utc, int64_t *wait_s);
void auth_throttle_failure(auth_throttle *t, int64_t now_utc);
void auth_throttle_success(auth_throttle *t);
/* The back-off after the n-th consecutive failure, in seconds. */
int64_t auth_throttle_delay_s(uint32_t failures);

#endif
