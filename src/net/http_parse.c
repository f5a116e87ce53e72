/* http_parse: pure parsers of what a request brings — its path against the route templates,
 * numeric query arguments, the JSON body, the client address behind a trusted reverse proxy
 * (X-Forwarded-For) and the list of trusted proxies itself. No I/O; what they allocate is in
 * the caller's arena or returned to the caller. The fuzzer (fuzz/net_http_request.c) calls
 * them as the server does. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "base/err.h"
#include "net/http_internal.h"

/* One address in text, s[0, n): 0 and *out filled, or -1. Only the plain forms inet_pton
 * reads (dotted quad, RFC 4291 §2.2 text); no ports, brackets or zone ids. */
static int ip_parse(const char *s, size_t n, http_ip *out)
{
    char tmp[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    http_ip ip = {0};
    if (inet_pton(AF_INET, tmp, ip.a) == 1)
        ip.family = AF_INET;
    else if (inet_pton(AF_INET6, tmp, ip.a) == 1)
        ip.family = AF_INET6;
    else
        return -1;
    *out = ip;
    return 0;
}

/* s[0, n) without the blanks (SP, HTAB) at both ends. */
static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

int http_ip_list_parse(const char *s, http_ip *out, size_t cap, size_t *n, char *err, size_t errcap)
{
    size_t k = 0;
    const char *p = s ? s : "";
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *item = p;
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        trim(&item, &len);
        if (k == cap)
            return ew_errf(err, errcap, EW_EINVALID, "at most %zu addresses", cap);
        if (ip_parse(item, len, &out[k]))
            return ew_errf(err, errcap, EW_EINVALID, "'%.*s' is not an IPv4 or IPv6 address",
                           (int)(len > 64 ? 64 : len), item);
        k++;
        if (!comma)
            break;
        p = comma + 1;
    }
    *n = k;
    return 0;
}

bool http_ip_list_has(const http_ip *list, size_t n, const struct sockaddr *sa)
{
    http_ip peer = {0};
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        peer.family = AF_INET;
        memcpy(peer.a, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        /* An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2);
         * it is the same peer as a.b.c.d. */
        if (IN6_IS_ADDR_V4MAPPED(a6)) {
            peer.family = AF_INET;
            memcpy(peer.a, a6->s6_addr + 12, 4);
        } else {
            peer.family = AF_INET6;
            memcpy(peer.a, a6->s6_addr, 16);
        }
    } else {
        return false;
    }
    size_t len = peer.family == AF_INET ? 4 : 16;
    for (size_t i = 0; i < n; i++)
        if (list[i].family == peer.family && !memcmp(list[i].a, peer.a, len))
            return true;
    return false;
}

int http_forwarded_last(const char *xff, char *out, size_t cap)
{
    /* X-Forwarded-For: client, proxy1, proxy2 — each proxy appends the address it was
     * connected from. Only the last entry was written by our (trusted) proxy; everything
     * before it came from the client and proves nothing. */
    if (!xff)
        return -1;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    size_t len = strlen(last);
    trim(&last, &len);
    http_ip ip;
    if (ip_parse(last, len, &ip))
        return -1;
    char tmp[INET6_ADDRSTRLEN];
    if (!inet_ntop(ip.family, ip.a, tmp, sizeof tmp) || strlen(tmp) >= cap)
        return -1;
    memcpy(out, tmp, strlen(tmp) + 1);
    return 0;
}

bool http_forwarded_https(const char *xfp)
{
    /* Like X-Forwarded-For, a proxy chain appends: only the last entry is our proxy's. */
    if (!xfp)
        return false;
    const char *last = strrchr(xfp, ',');
    last = last ? last + 1 : xfp;
    size_t len = strlen(last);
    trim(&last, &len);
    return len == 5 && !strncasecmp(last, "https", 5);
}

bool http_route_match(const char *tpl, const char *url, arena *ar,
                      const char *params[HTTP_MAX_PARAMS], size_t *nparams)
{
    *nparams = 0;
    while (*tpl && *url) {
        if (*tpl != '/' || *url != '/')
            return false;
        tpl++, url++;
        const char *te = strchr(tpl, '/'), *ue = strchr(url, '/');
        size_t tn = te ? (size_t)(te - tpl) : strlen(tpl);
        size_t un = ue ? (size_t)(ue - url) : strlen(url);
        if (tn > 1 && tpl[0] == '{') {
            if (un == 0 || *nparams == HTTP_MAX_PARAMS)
                return false;
            params[(*nparams)++] = arena_strndup(ar, url, un);
        } else if (tn != un || memcmp(tpl, url, tn)) {
            return false;
        }
        tpl += tn, url += un;
    }
    return !*tpl && !*url;
}

int http_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

size_t http_json_depth(const char *p, size_t n)
{
    size_t depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++; /* the escaped character, whatever it is */
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return max;
}

json_t *http_json_object(const char *body, size_t n, char *err, size_t errcap)
{
    /* jansson recurses once per level and allows 2048 (JSON_PARSER_MAX_DEPTH, fixed when
     * Debian built it); no document of the API nests more than a few levels, so anything
     * deeper is refused before the parser runs. */
    if (body && http_json_depth(body, n) > HTTP_JSON_DEPTH_MAX) {
        snprintf(err, errcap, "the body is nested deeper than %d levels", HTTP_JSON_DEPTH_MAX);
        return NULL;
    }
    json_error_t je;
    json_t *v = body ? json_loadb(body, n, 0, &je) : NULL;
    if (!v) {
        snprintf(err, errcap, "the body must be a JSON object%s%s",
                 body ? ": " : " (none was sent)", body ? je.text : "");
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        snprintf(err, errcap, "the body must be a JSON object");
        return NULL;
    }
    return v;
}
