/* http_auth: pure helpers of the HTTP layer's access control — Bearer tokens, Origin
 * checks, magic numbers of uploaded files, constant-time comparison, the session cookie.
 * No I/O, no storage. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/http_internal.h"

int http_bearer_token(const char *header, char out[AUTH_TOKEN_TEXT])
{
    /* RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive
     * (RFC 9110 §11.1). */
    if (!header || strncasecmp(header, "Bearer ", 7))
        return -1;
    const char *t = header + 7;
    while (*t == ' ')
        t++;
    size_t n = strcspn(t, " \t\r\n");
    if (n == 0 || n >= AUTH_TOKEN_TEXT || t[n + strspn(t + n, " \t")] != '\0')
        return -1;
    memcpy(out, t, n);
    out[n] = '\0';
    return 0;
}

/* Split "host[:port]" (an IPv6 literal in brackets) into a lower-cased host and a port;
 * port stays def when absent. Returns 0 or -1 when malformed. */
static int split_host(const char *s, size_t n, int def, char *host, size_t cap, int *port)
{
    const char *colon = NULL;
    if (n && s[0] == '[') {
        const char *rb = memchr(s, ']', n);
        if (!rb)
            return -1;
        if ((size_t)(rb - s) + 1 < n) {
            if (rb[1] != ':')
                return -1;
            colon = rb + 1;
        }
    } else {
        colon = memchr(s, ':', n);
    }
    size_t hn = colon ? (size_t)(colon - s) : n;
    if (hn == 0 || hn >= cap)
        return -1;
    for (size_t i = 0; i < hn; i++)
        host[i] = (char)tolower((unsigned char)s[i]);
    host[hn] = '\0';
    *port = def;
    if (colon) {
        const char *p = colon + 1, *e = s + n;
        if (p == e || e - p > 5)
            return -1;
        int v = 0;
        for (; p < e; p++) {
            if (!isdigit((unsigned char)*p))
                return -1;
            v = v * 10 + (*p - '0');
        }
        if (v < 1 || v > 65535)
            return -1;
        *port = v;
    }
    return 0;
}

bool http_origin_matches(const char *origin, const char *host)
{
    /* RFC 6454 §7: Origin = scheme "://" host [ ":" port ], or "null" for opaque origins. */
    if (!origin || !host)
        return false;
    int def;
    const char *rest;
    if (!strncasecmp(origin, "http://", 7))
        def = 80, rest = origin + 7;
    else if (!strncasecmp(origin, "https://", 8))
        def = 443, rest = origin + 8;
    else
        return false;
    size_t on = strlen(rest);
    if (on && rest[on - 1] == '/') /* some clients send a trailing slash */
        on--;
    if (memchr(rest, '/', on))
        return false;
    char oh[256], hh[256];
    int op, hp;
    if (split_host(rest, on, def, oh, sizeof oh, &op) ||
        split_host(host, strlen(host), def, hh, sizeof hh, &hp))
        return false;
    return op == hp && !strcmp(oh, hh);
}

bool http_magic_matches(const char *mime, const void *data, size_t n)
{
    const unsigned char *p = data;
    if (!mime)
        return false;
    /* JPEG: SOI marker FF D8 followed by another marker's FF (ISO/IEC 10918-1 Annex B). */
    if (!strcmp(mime, "image/jpeg"))
        return n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF;
    /* PNG: the 8-byte signature (ISO/IEC 15948 §5.2). */
    if (!strcmp(mime, "image/png"))
        return n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8);
    /* WebP: a RIFF container whose form type is "WEBP" (RFC 9649 §2.5). */
    if (!strcmp(mime, "image/webp"))
        return n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4);
    /* PDF: the header "%PDF-" (ISO 32000-1 §7.5.2). */
    if (!strcmp(mime, "application/pdf"))
        return n >= 5 && !memcmp(p, "%PDF-", 5);
    return false;
}

bool http_secret_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t na = strlen(a), nb = strlen(b);
    /* The length of a token is not secret (it is fixed); its bytes are. */
    unsigned char d = na != nb;
    for (size_t i = 0; i < na && i < nb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

void http_media_type(const char *ctype, char *out, size_t cap)
{
    size_t i = 0;
    if (ctype) {
        while (*ctype == ' ')
            ctype++;
        for (; ctype[i] && ctype[i] != ';' && ctype[i] != ' ' && i + 1 < cap; i++)
            out[i] = (char)tolower((unsigned char)ctype[i]);
    }
    if (cap)
        out[i] = '\0';
}

const char *http_session_cookie(arena *a, const char *token, int max_age_s, bool secure)
{
    /* RFC 6265 §4.1.2.5: Secure keeps the browser from sending the session over plain HTTP,
     * which a TLS server must ask for, since a network attacker can always make the browser
     * try http://. */
    size_t cap = strlen(token) + 96;
    char *c = arena_alloc(a, cap);
    snprintf(c, cap, "ew_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
             max_age_s, secure ? "; Secure" : "");
    return c;
}

int http_request_token(const char *authz, const char *cookie, char out[AUTH_TOKEN_TEXT])
{
    /* A Bearer token wins over the cookie: a program's explicit credentials are what it
     * means, whatever cookie jar it also carries. */
    if (authz && !http_bearer_token(authz, out))
        return HTTP_TOKEN_BEARER;
    if (!cookie || !*cookie || strlen(cookie) >= AUTH_TOKEN_TEXT)
        return 0;
    snprintf(out, AUTH_TOKEN_TEXT, "%s", cookie);
    return HTTP_TOKEN_COOKIE;
}
