/* libFuzzer target: the pure helpers of the HTTP layer's access control (http_auth.c), which
 * read headers and uploaded bytes from anyone. The input is cut at the first newline into two
 * strings A and B; every helper runs on them. Checks, beyond "no crash":
 * - Bearer (RFC 6750 §2.1): an accepted token is non-empty, shorter than AUTH_TOKEN_TEXT,
 *   free of white space, and reads back the same from "Bearer <token>".
 * - Origin (RFC 6454 §7): never matches "null" or a missing value; the scheme and host are
 *   case-insensitive, a trailing slash is ignored, and an origin made from a host matches
 *   that host the same way under http and https (both sides take the scheme's default port).
 * - Magic numbers: false for unknown types; a match depends only on a prefix, so it survives
 *   appended bytes, and the data is read within its n bytes (ASan sees exact-size copies).
 * - Secret comparison: equal exactly when strcmp says so, and symmetric.
 * - Media type: lower-case, no parameters or spaces, within cap, and idempotent. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net/http_internal.h"

static char *cat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    CHECK(s);
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

static void check_bearer(const char *h)
{
    char tok[AUTH_TOKEN_TEXT];
    if (http_bearer_token(h, tok) != 0)
        return;
    size_t n = strlen(tok);
    CHECK(n > 0 && n < AUTH_TOKEN_TEXT);
    CHECK(strncasecmp(h, "Bearer ", 7) == 0);
    CHECK(strpbrk(tok, " \t\r\n") == NULL);
    CHECK(strstr(h + 7, tok) != NULL);
    char *again = cat("Bearer ", tok), tok2[AUTH_TOKEN_TEXT];
    CHECK(http_bearer_token(again, tok2) == 0 && !strcmp(tok, tok2));
    free(again);
}

static void check_origin(const char *o, const char *h)
{
    CHECK(!http_origin_matches(NULL, h) && !http_origin_matches(o, NULL));
    CHECK(!http_origin_matches("null", h));
    bool m = http_origin_matches(o, h);
    /* Scheme and host are case-insensitive; ports are digits, so upper-casing is neutral. */
    char *up = cat(o, "");
    for (char *p = up; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    CHECK(http_origin_matches(up, h) == m);
    free(up);
    size_t on = strlen(o);
    if (m && on && o[on - 1] != '/') {
        char *slash = cat(o, "/");
        CHECK(http_origin_matches(slash, h));
        free(slash);
    }
    if (!strchr(h, '/')) {
        char *http = cat("http://", h), *https = cat("https://", h);
        CHECK(http_origin_matches(http, h) == http_origin_matches(https, h));
        free(http);
        free(https);
    }
}

static void check_magic(const char *mime, const uint8_t *data, size_t n)
{
    static const char *const known[] = {"image/jpeg", "image/png", "image/webp", "application/pdf"};
    uint8_t *exact = malloc(n ? n : 1), *longer = malloc(n + 16);
    CHECK(exact && longer);
    memcpy(exact, data, n);
    memcpy(longer, data, n);
    memset(longer + n, 0xA5, 16);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (http_magic_matches(known[i], exact, n))
            CHECK(http_magic_matches(known[i], longer, n + 16));
    bool is_known = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        is_known |= !strcmp(mime, known[i]);
    if (!is_known)
        CHECK(!http_magic_matches(mime, exact, n));
    CHECK(!http_magic_matches(NULL, exact, n));
    free(exact);
    free(longer);
}

static void check_secret(const char *a, const char *b)
{
    bool eq = http_secret_equal(a, b);
    CHECK(eq == (strcmp(a, b) == 0));
    CHECK(http_secret_equal(b, a) == eq);
    CHECK(http_secret_equal(a, a));
    CHECK(!http_secret_equal(a, NULL) && !http_secret_equal(NULL, b));
}

static void check_media_type(const char *ct)
{
    char out[32], again[32];
    http_media_type(ct, out, sizeof out);
    size_t n = strlen(out);
    CHECK(n < sizeof out);
    for (size_t i = 0; i < n; i++)
        CHECK(out[i] != ';' && out[i] != ' ' && !isupper((unsigned char)out[i]));
    http_media_type(out, again, sizeof again);
    CHECK(!strcmp(out, again));
    char tiny[1] = {'x'};
    http_media_type(ct, tiny, sizeof tiny);
    CHECK(tiny[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    CHECK(s);
    memcpy(s, data, size);
    s[size] = '\0';
    /* A: up to the first newline; B: the rest (a NUL inside either just ends it early). */
    char *b = strchr(s, '\n');
    if (b)
        *b++ = '\0';
    else
        b = s + strlen(s);
    check_bearer(s);
    check_origin(s, b);
    check_magic(s, data, size);
    check_secret(s, b);
    check_media_type(s);
    free(s);
    return 0;
}
