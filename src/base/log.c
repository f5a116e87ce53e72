#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "base/bjtime.h"

static ew_log_level g_min = EW_LOG_INFO; /* set once by main before threads start */

void ew_log_set_level(ew_log_level min)
{
    g_min = min;
}

void ew_log(ew_log_level lvl, const char *event, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (lvl < g_min)
        return;
    char ts[32];
    ew_format_iso_bj((int64_t)time(NULL), ts, sizeof ts);
    char line[2048];
    int k = snprintf(line, sizeof line, "ts=%s level=%s event=%s", ts, names[lvl], event);
    if (k < 0)
        return;
    if (fmt && *fmt && (size_t)k < sizeof line - 2) {
        line[k++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + k, sizeof line - (size_t)k, fmt, ap);
        va_end(ap);
        if (m > 0)
            k += m;
    }
    if ((size_t)k >= sizeof line)
        k = sizeof line - 1;
    /* One fputs per line so concurrent threads do not interleave within a line. */
    line[k] = '\0';
    fprintf(stderr, "%s\n", line);
}

char *ew_log_quote(const char *s, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    int need = n == 0;
    for (size_t i = 0; i < n && !need; i++)
        need = s[i] == ' ' || s[i] == '"' || s[i] == '=' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
    if (cap == 0)
        return buf;
    if (need && o + 1 < cap)
        buf[o++] = '"';
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", ch);
        } else {
            buf[o++] = (char)ch;
        }
    }
    if (need && o + 1 < cap)
        buf[o++] = '"';
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}
