/* textbuf: a growable text buffer for documents built piece by piece (alert evidence, audit
 * details). Memory follows the xalloc policy (base/xalloc.h): growing never fails, so the
 * appenders return nothing. A zeroed ew_textbuf is empty; p is NULL until the first append
 * and NUL-terminated after it. The caller owns p and frees it with free(). */
#ifndef EW_BASE_TEXTBUF_H
#define EW_BASE_TEXTBUF_H
#include <stddef.h>
#include <stdint.h>

typedef struct ew_textbuf {
    char *p;
    size_t n, cap; /* bytes written (without the NUL), bytes allocated */
} ew_textbuf;

/* Append printf-formatted text. An encoding error of vsnprintf appends nothing. */
void ew_tb_printf(ew_textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append thousandths of a unit as decimal text: 12345 → "12.345", -500 → "-0.500";
 * INT64_MIN (the platform's "no value") → "null". */
void ew_tb_milli(ew_textbuf *b, int64_t v);

/* Append an instant as a quoted ISO 8601 Beijing-time string ("2026-03-01T08:00:00+08:00"). */
void ew_tb_iso(ew_textbuf *b, int64_t t_utc);

#endif
