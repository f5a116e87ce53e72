/* textbuf: see textbuf.h. */
#include "base/textbuf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "base/bjtime.h"
#include "base/xalloc.h"

void ew_tb_printf(ew_textbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
        va_end(ap);
        if (k < 0)
            return;
        if ((size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        b->cap = (b->cap + (size_t)k + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
}

void ew_tb_milli(ew_textbuf *b, int64_t v)
{
    if (v == INT64_MIN) {
        ew_tb_printf(b, "null");
        return;
    }
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    ew_tb_printf(b, "%s%" PRIu64 ".%03" PRIu64, v < 0 ? "-" : "", a / 1000, a % 1000);
}

void ew_tb_iso(ew_textbuf *b, int64_t t_utc)
{
    char t[32];
    ew_format_iso_bj(t_utc, t, sizeof t);
    ew_tb_printf(b, "\"%s\"", t);
}
