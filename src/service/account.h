/* account: logging in and out — throttled password verification, sessions, the audit
 * entries they leave — on the office store (store/office.h) with the rules of service/auth.h.
 *
 * The office store is one connection shared by the server's threads: callers pass the lock
 * that guards it (account_lock), and these functions hold it only around store calls, never
 * around the Argon2id verification (about 0.1 s and 64 MiB by design). */
#ifndef EW_SERVICE_ACCOUNT_H
#define EW_SERVICE_ACCOUNT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/auth.h"
#include "store/store.h"

/* How long a session lasts: 12 hours. */
#define ACCOUNT_SESSION_TTL_S 43200

/* The lock guarding the office store: lock/unlock(ctx). Both may be NULL (no sharing). */
typedef struct account_lock {
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
    void *ctx;
} account_lock;

/* Outcomes beyond the EW_* codes. */
enum {
    ACCOUNT_E_THROTTLED = EW_EMODULE - 1,   /* too many failures: wait retry_after_s */
    ACCOUNT_E_CREDENTIALS = EW_EMODULE - 2, /* unknown account, wrong password, disabled */
};

/* A session that account_login opened. Strings are copies owned by the struct. */
typedef struct account_session {
    char token[AUTH_TOKEN_TEXT]; /* the bearer/cookie token (given out once, stored hashed) */
    char csrf[AUTH_TOKEN_TEXT];  /* the session's CSRF token */
    int64_t expires_utc;
    char name[65], display[129], role[16], org[65]; /* the account; org "" when none */
    int64_t retry_after_s;       /* ACCOUNT_E_THROTTLED: seconds to wait */
} account_session;

/* Log name in with password pw from address addr at now_utc. EW_OK with *out filled (the
 * throttle record cleared, the session stored, expired sessions purged, a hash made with
 * older limits upgraded, "login" audited); ACCOUNT_E_THROTTLED with out->retry_after_s
 * (nothing verified); ACCOUNT_E_CREDENTIALS (the failure counted against name and addr and
 * audited "login_failed"; unknown names cost the same verification as known ones);
 * EW_EINTERNAL with err (storage, token generation). Except for retry_after_s, *out is
 * meaningful only on EW_OK. */
int account_login(store *office, const account_lock *lk, const char *name, const char *pw,
                  const char *addr, int64_t now_utc, account_session *out, char *err,
                  size_t errcap) EW_MUST_CHECK;

/* End the session whose token hashes to token_hash, audited "logout" for actor. EW_OK (also
 * when there was no such session), or EW_EINTERNAL with err. */
int account_logout(store *office, const account_lock *lk,
                   const uint8_t token_hash[AUTH_TOKEN_HASH], const char *actor, const char *addr,
                   int64_t now_utc, char *err, size_t errcap) EW_MUST_CHECK;

#endif
