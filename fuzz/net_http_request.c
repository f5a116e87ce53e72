/* libFuzzer target: the request path of the HTTP server that needs no network — what
 * http.c, http_auth.c and http_parse.c do with a request once libmicrohttpd has split it
 * into path, query arguments, headers and body.
 *
 * The input is cut at its first five newlines into
 *   TARGET (path[?query]), AUTHORIZATION, COOKIE (the ew_session value),
 *   X-FORWARDED-FOR, CONTENT-TYPE, and the BODY (the rest, any bytes).
 * Checks, beyond "no crash, no leak, no undefined behaviour":
 * - Routing: a template without parameters matches exactly its own text; a match yields one
 *   non-empty, slash-free parameter per {name}, and putting them back into the template
 *   gives the path again. Any slash-free segment put into a template's parameters matches.
 * - Query: limit/offset/year-like integers parse only inside their range; time arguments
 *   parse only to valid Beijing-time labels, which survive the trip through UTC.
 * - Credentials: a Bearer header wins over the cookie; a cookie token is the cookie's value.
 *   The session cookie holds the token, and Secure exactly when asked.
 * - X-Forwarded-For: an accepted last hop is an address in canonical form (parsing it again
 *   gives it back); an accepted trust list names addresses that are then trusted.
 * - Attachments: the media type and magic-number check as the upload handler runs them.
 * - JSON bodies: an accepted body is an object nested at most HTTP_JSON_DEPTH_MAX deep that
 *   survives a dump and reload.
 * - Output escaping: a JSON string literal of valid UTF-8 reads back as the same string; a
 *   CSV field reads back as the same text. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/bjtime.h"
#include "fuzz.h"
#include "net/http.h"
#include "net/http_internal.h"

/* Put params into tpl's {name} segments (the inverse of a match). Caller frees. */
static char *fill(const char *tpl, const char *const *params, size_t np)
{
    http_buf b = {0};
    size_t k = 0;
    for (const char *p = tpl; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            CHECK(e && k < np);
            http_buf_puts(&b, params[k++]);
            p = e + 1;
        } else {
            http_buf_put(&b, p, 1);
            p++;
        }
    }
    CHECK(k == np);
    http_buf_put(&b, "", 0);
    return b.p;
}

static size_t count_params(const char *tpl)
{
    size_t n = 0;
    for (const char *p = tpl; *p; p++)
        n += *p == '{';
    return n;
}

static void check_routes(const char *path, const char *segment)
{
    arena ar;
    arena_init(&ar, 1024);
    ew_http_route_info ri;
    for (size_t i = 0; !ew_http_route(i, &ri); i++) {
        const char *params[HTTP_MAX_PARAMS];
        size_t np = 0, want = count_params(ri.path);
        bool m = http_route_match(ri.path, path, &ar, params, &np);
        if (want == 0)
            CHECK(m == !strcmp(ri.path, path));
        if (m) {
            CHECK(np == want);
            for (size_t k = 0; k < np; k++)
                CHECK(*params[k] && !strchr(params[k], '/'));
            char *back = fill(ri.path, params, np);
            CHECK(!strcmp(back, path));
            free(back);
        }
        /* The other way round: any non-empty slash-free segment fills every parameter. */
        if (want && *segment && want <= HTTP_MAX_PARAMS) {
            const char *seg[HTTP_MAX_PARAMS] = {segment, segment, segment, segment};
            char *url = fill(ri.path, seg, want);
            CHECK(http_route_match(ri.path, url, &ar, params, &np) && np == want);
            for (size_t k = 0; k < np; k++)
                CHECK(!strcmp(params[k], segment));
            free(url);
        }
    }
    arena_free(&ar);
}

static void check_query(char *query)
{
    /* MHD has split and percent-decoded the arguments; the handlers see key and value. */
    for (char *save = NULL, *kv = strtok_r(query, "&", &save); kv;
         kv = strtok_r(NULL, "&", &save)) {
        char *v = strchr(kv, '=');
        v = v ? v + 1 : kv + strlen(kv);
        int64_t x = -1;
        if (!http_parse_i64(v, 1, 100000, &x))
            CHECK(x >= 1 && x <= 100000);
        x = -1;
        if (!http_parse_i64(v, 0, INT64_MAX / 2, &x))
            CHECK(x >= 0 && x <= INT64_MAX / 2);
        ew_civil c;
        if (!ew_parse_iso(v, strlen(v), &c)) {
            CHECK(ew_civil_valid(&c));
            ew_civil back;
            ew_utc_to_bj(ew_bj_to_utc(&c), &back);
            CHECK(back.year == c.year && back.mon == c.mon && back.day == c.day &&
                  back.hour == c.hour && back.min == c.min && back.sec == c.sec);
        }
    }
}

static void check_credentials(const char *authz, const char *cookie)
{
    char tok[AUTH_TOKEN_TEXT], bt[AUTH_TOKEN_TEXT];
    int from = http_request_token(authz, cookie, tok);
    bool bearer = !http_bearer_token(authz, bt);
    CHECK((from == HTTP_TOKEN_BEARER) == bearer);
    if (bearer)
        CHECK(!strcmp(tok, bt));
    if (from == HTTP_TOKEN_COOKIE)
        CHECK(!strcmp(tok, cookie) && *tok);
    if (from == 0)
        CHECK(!*cookie || strlen(cookie) >= AUTH_TOKEN_TEXT);
    if (from) {
        arena ar;
        arena_init(&ar, 256);
        const char *sc = http_session_cookie(&ar, tok, 43200, from == HTTP_TOKEN_BEARER);
        CHECK(!strncmp(sc, "ew_session=", 11) && !strncmp(sc + 11, tok, strlen(tok)));
        size_t n = strlen(sc);
        bool secure = n >= 8 && !strcmp(sc + n - 8, "; Secure");
        CHECK(secure == (from == HTTP_TOKEN_BEARER));
        arena_free(&ar);
    }
}

static void check_forwarded(const char *xff)
{
    char a[64], again[64];
    if (!http_forwarded_last(xff, a, sizeof a)) {
        CHECK(!http_forwarded_last(a, again, sizeof again) && !strcmp(a, again));
        CHECK(!strchr(a, ',') && !strchr(a, ' '));
    }
    /* The same field read as X-Forwarded-Proto: https only when the last entry is it. */
    if (http_forwarded_https(xff)) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        CHECK(strcasestr(last, "https") && http_forwarded_https(last));
    }
    http_ip l[HTTP_TRUST_MAX];
    size_t n = 0;
    char err[128];
    if (!http_ip_list_parse(xff, l, HTTP_TRUST_MAX, &n, err, sizeof err)) {
        CHECK(n >= 1 && n <= HTTP_TRUST_MAX);
        for (size_t i = 0; i < n; i++) {
            struct sockaddr_storage ss = {0};
            if (l[i].family == AF_INET) {
                struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
                s4->sin_family = AF_INET;
                memcpy(&s4->sin_addr, l[i].a, 4);
            } else {
                CHECK(l[i].family == AF_INET6);
                struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
                s6->sin6_family = AF_INET6;
                memcpy(&s6->sin6_addr, l[i].a, 16);
            }
            CHECK(http_ip_list_has(l, n, (struct sockaddr *)&ss));
        }
    }
}

static void check_upload(const char *ctype, const uint8_t *body, size_t n)
{
    char mime[64];
    http_media_type(ctype, mime, sizeof mime);
    uint8_t *exact = malloc(n ? n : 1);
    CHECK(exact);
    memcpy(exact, body, n);
    (void)http_magic_matches(mime, exact, n);
    free(exact);
}

static void check_json(const uint8_t *body, size_t n)
{
    char *copy = malloc(n + 1); /* the server's body is a NUL-terminated copy */
    CHECK(copy);
    memcpy(copy, body, n);
    copy[n] = '\0';
    char err[256] = "";
    json_t *v = http_json_object(copy, n, err, sizeof err);
    if (v) {
        CHECK(json_is_object(v) && http_json_depth(copy, n) <= HTTP_JSON_DEPTH_MAX);
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        CHECK(s);
        json_error_t je;
        json_t *w = json_loads(s, 0, &je);
        CHECK(w && json_equal(v, w));
        json_decref(w);
        free(s);
        json_decref(v);
    } else {
        CHECK(*err);
    }
    CHECK(http_json_object(NULL, 0, err, sizeof err) == NULL && *err);
    free(copy);
}

/* Undo RFC 4180 quoting of one field. Caller frees. */
static char *csv_unquote(const char *f, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    CHECK(out);
    if (n >= 2 && f[0] == '"' && f[n - 1] == '"') {
        for (size_t i = 1; i + 1 < n; i++) {
            if (f[i] == '"') {
                CHECK(f[i + 1] == '"'); /* a quote inside is doubled */
                i++;
            }
            *o++ = f[i];
        }
    } else {
        memcpy(out, f, n);
        o = out + n;
    }
    *o = '\0';
    return out;
}

static void check_escaping(const char *s)
{
    http_buf b = {0};
    http_buf_json_str(&b, s);
    json_t *probe = json_string(s); /* NULL when s is not valid UTF-8 */
    if (probe) {
        json_error_t je;
        json_t *back = json_loadb(b.p, b.n, JSON_DECODE_ANY, &je);
        CHECK(back && json_is_string(back) && !strcmp(json_string_value(back), s));
        json_decref(back);
        json_decref(probe);
    }
    free(b.p);
    b = (http_buf){0};
    http_buf_csv_field(&b, s);
    char *back = csv_unquote(b.p ? b.p : "", b.n);
    CHECK(!strcmp(back, s));
    free(back);
    free(b.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    CHECK(s);
    memcpy(s, data, size);
    s[size] = '\0';
    /* Five header lines, then the body (bytes after the fifth newline, NULs included). */
    char *line[5];
    char *p = s;
    size_t body_off = size;
    for (int i = 0; i < 5; i++) {
        line[i] = p;
        char *nl = p < s + size ? memchr(p, '\n', (size_t)(s + size - p)) : NULL;
        if (nl) {
            *nl = '\0';
            p = nl + 1;
            body_off = (size_t)(p - s);
        } else {
            p = s + size;
            body_off = size;
        }
    }
    const uint8_t *body = data + body_off;
    size_t body_n = size - body_off;

    char *target = line[0], *q = strchr(target, '?');
    if (q)
        *q++ = '\0';
    const char *seg = target[0] == '/' ? target + 1 : target;
    char segment[64];
    size_t sn = strcspn(seg, "/");
    snprintf(segment, sizeof segment, "%.*s", (int)(sn < 63 ? sn : 63), seg);
    check_routes(target, segment);
    if (q)
        check_query(q);
    check_credentials(line[1], line[2]);
    check_forwarded(line[3]);
    check_upload(line[4], body, body_n);
    check_json(body, body_n);
    check_escaping(line[2]);
    free(s);
    return 0;
}
