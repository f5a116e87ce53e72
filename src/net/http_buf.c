/* http_buf: the growing byte buffer of responses and what writes into it — JSON strings, CSV
 * fields (RFC 4180), numbers as the API prints them, Beijing-time ISO-8601 times. Allocation
 * failure aborts (xalloc), so none of these can fail. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "net/http_internal.h"

static void buf_reserve(http_buf *b, size_t more)
{
    if (b->n + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more + 1)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void http_buf_put(http_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void http_buf_puts(http_buf *b, const char *s)
{
    http_buf_put(b, s, strlen(s));
}

void http_buf_printf(http_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k < sizeof tmp) {
        http_buf_put(b, tmp, (size_t)k);
        return;
    }
    buf_reserve(b, (size_t)k);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void http_buf_json_str(http_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_reserve(b, strlen(s) + 2);
    http_buf_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* RFC 8259 §7: quote, backslash and control characters must be escaped; UTF-8 passes
         * through as is. */
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            http_buf_put(b, e, 2);
        } else if (*p < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            http_buf_put(b, e, 6);
        } else {
            http_buf_put(b, (const char *)p, 1);
        }
    }
    http_buf_put(b, "\"", 1);
}

void http_buf_csv_field(http_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        http_buf_puts(b, s);
        return;
    }
    http_buf_put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            http_buf_put(b, "\"", 1); /* RFC 4180 §2.7: a quote is doubled */
        http_buf_put(b, p, 1);
    }
    http_buf_put(b, "\"", 1);
}

/* Write the decimal digits of u (at least min_digits, zero-padded) at p; returns the end. */
static char *put_uint(char *p, uint64_t u, int min_digits)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n < min_digits)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

void http_buf_name_list(http_buf *b, json_t *list)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (i)
            http_buf_put(b, ";", 1);
        http_buf_puts(b, json_is_string(item) ? json_string_value(item) : "");
    }
}

void http_buf_num(http_buf *b, double v, bool csv)
{
    if (!isfinite(v)) {
        if (!csv)
            http_buf_put(b, "null", 4);
        return;
    }
    /* The hot path of series output: fixed point in ten-thousandths, formatted by hand
     * (snprintf costs more than the query per value). Magnitudes beyond 1e14 are not
     * measurements; they fall back to printf. */
    if (fabs(v) >= 1e14) {
        http_buf_printf(b, "%.4g", v);
        return;
    }
    int64_t x = llround(v * 10000.0);
    char tmp[40], *p = tmp;
    if (x < 0) {
        *p++ = '-';
        x = -x;
    }
    p = put_uint(p, (uint64_t)(x / 10000), 1);
    int frac = (int)(x % 10000), digits = 4;
    while (frac && frac % 10 == 0)
        frac /= 10, digits--;
    if (frac) {
        *p++ = '.';
        p = put_uint(p, (uint64_t)frac, digits);
    }
    http_buf_put(b, tmp, (size_t)(p - tmp));
}

void http_buf_iso(http_buf *b, int64_t t_utc)
{
    ew_civil c;
    ew_utc_to_bj(t_utc, &c);
    char tmp[32], *p = tmp;
    p = put_uint(p, (uint64_t)c.year, 4);
    *p++ = '-';
    p = put_uint(p, (uint64_t)c.mon, 2);
    *p++ = '-';
    p = put_uint(p, (uint64_t)c.day, 2);
    *p++ = 'T';
    p = put_uint(p, (uint64_t)c.hour, 2);
    *p++ = ':';
    p = put_uint(p, (uint64_t)c.min, 2);
    *p++ = ':';
    p = put_uint(p, (uint64_t)c.sec, 2);
    memcpy(p, "+08:00", 6);
    http_buf_put(b, tmp, (size_t)(p + 6 - tmp));
}
