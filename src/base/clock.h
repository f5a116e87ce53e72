/* clock: where envwatch stands — "now" for everything that judges deadlines, days and escalation.
 *
 * ENVWATCH_NOW ("YYYY-MM-DDThh:mm:ss", Beijing time) pins the clock, so that tests and demos
 * on historical data see "now" where their data is; without it (or if it does not parse) the
 * system clock. One definition, so that the HTTP API, the escalation timer and anything else
 * that asks agree on the same instant. */
#ifndef EW_BASE_CLOCK_H
#define EW_BASE_CLOCK_H
#include <stddef.h>
#include <stdint.h>

int64_t ew_now_utc(void);

/* The directory of the running executable into buf (no trailing slash): 0, or -1 if it
 * cannot be found or does not fit. Build and installed trees find their data beside it. */
int ew_exe_dir(char *buf, size_t cap);

#endif
