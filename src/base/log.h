/* log: structured, parseable log lines (logfmt) on stderr.
 *
 *   ts=2026-03-01T08:00:00+08:00 level=warn event=hj212.bad_crc peer=127.0.0.1:5000 ...
 *
 * The caller's fmt supplies the key=value pairs after the event name; values with spaces
 * must be quoted by the caller (ew_log_quote helps). The minimum level is set once by main. */
#ifndef EW_BASE_LOG_H
#define EW_BASE_LOG_H
#include <stddef.h>

typedef enum { EW_LOG_DEBUG, EW_LOG_INFO, EW_LOG_WARN, EW_LOG_ERROR } ew_log_level;

void ew_log_set_level(ew_log_level min);
void ew_log(ew_log_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write s (n bytes) as a logfmt value into buf: quoted and escaped when needed, non-printable
 * bytes as \xNN. Always NUL-terminates; truncates to cap. Returns buf. */
char *ew_log_quote(const char *s, size_t n, char *buf, size_t cap);

#endif
