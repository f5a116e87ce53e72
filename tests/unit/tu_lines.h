/* tu_lines: collecting the malformed lines a line-by-line import reports
 * (service/lineimport.h's lineimport_error_fn). Include after <cmocka.h>. */
#ifndef EW_TU_LINES_H
#define EW_TU_LINES_H
#include <stdio.h>

typedef struct tu_line_errs {
    int lines[8];    /* the first eight lines reported, 1-based */
    char first[256]; /* the first message */
    int n;           /* how many were reported (counted up to 8) */
} tu_line_errs;

/* A lineimport_error_fn over a tu_line_errs: every message must say something. */
static inline void tu_on_line_error(void *ctx, int line, const char *msg)
{
    tu_line_errs *e = ctx;
    assert_true(msg[0] != 0);
    if (e->n == 0)
        snprintf(e->first, sizeof e->first, "%s", msg);
    if (e->n < 8)
        e->lines[e->n++] = line;
}

#endif
