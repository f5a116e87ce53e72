/* edition: which edition of the ambient-air standards governs a day, and the GB/T 8170
 * rounding every edition relies on.
 *
 * GB 3095—2026, HJ 633—2026 and HJ 663—2026 replaced GB 3095—2012 (with its 2018 amendment),
 * HJ 633—2012 and HJ 663—2013 together on 2026-03-01 (Beijing time). The three switch as one
 * set, so envwatch names the set by the year of its AQI rules: EW_EDITION_2012 for the old
 * set, EW_EDITION_2026 for the new one. A day is judged by the set in force on that
 * Beijing-time calendar day; callers may override it (every command takes --rules).
 *
 * Decimal numbers are exact here: a value is an int64 count of a fixed unit (for example
 * thousandths of µg/m³), never a double, so that rounding can never be disturbed by binary
 * fractions. Pure functions, no state. */
#ifndef EW_STANDARDS_EDITION_H
#define EW_STANDARDS_EDITION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ew_edition {
    EW_EDITION_2012 = 2012, /* HJ 633—2012, GB 3095—2012 (+2018 amendment), HJ 663—2013 */
    EW_EDITION_2026 = 2026, /* HJ 633—2026, GB 3095—2026, HJ 663—2026 */
} ew_edition;

/* First Beijing-time day of the 2026 editions (HJ 633—2026 and GB 3095—2026 title pages:
 * "2026-03-01 实施"). */
#define EW_EDITION_2026_FROM_YEAR 2026
#define EW_EDITION_2026_FROM_MON 3
#define EW_EDITION_2026_FROM_DAY 1

/* The edition in force on Beijing-time calendar day year-mon-day. Days before 2026-03-01 get
 * EW_EDITION_2012 (also for days before HJ 633—2012 itself, which has no predecessor here). */
ew_edition ew_edition_on(int bj_year, int bj_mon, int bj_day);
/* The edition in force at instant t_utc (its Beijing-time calendar day). */
ew_edition ew_edition_at(int64_t t_utc);
/* "2012" or "2026" (static string). */
const char *ew_edition_name(ew_edition e);
/* The AQI standard of an edition: "HJ 633—2012" or "HJ 633—2026" (static string, UTF-8). */
const char *ew_edition_aqi_standard(ew_edition e);
/* Parse "2012" or "2026" (exactly n bytes). Returns 0, or -1 if s names no edition. */
int ew_edition_parse(const char *s, size_t n, ew_edition *out);

/* GB/T 8170—2008 §3.2 rounding of value (a count of some unit) to a multiple of step
 * (step > 0): the nearest multiple; when the discarded part is exactly half a step, the
 * multiple whose quotient is even ("四舍六入五成双"): step 1000 maps 40500 → 40000,
 * 41500 → 42000, -40500 → -40000. Returns the rounded value, in the same unit. */
int64_t ew_round_8170(int64_t value, int64_t step);

/* The same rounding applied to the exact fraction num/den (den > 0), expressed in units of
 * 1/scale (scale > 0): returns round_8170(num × scale / den) computed without intermediate
 * rounding. Used for means: ew_round_ratio_8170(sum, n, 1000) is the mean in thousandths.
 * The caller keeps |num| × scale within int64 (|num| < 9.2e15 for scale 1000). */
int64_t ew_round_ratio_8170(int64_t num, int64_t den, int64_t scale);

/* Parse a non-negative or negative decimal "123", "12.5", "-0.25", ".5", "7." into
 * thousandths, exactly (n bytes, no spaces, no exponent). More than three decimals are
 * accepted only when the extra digits are zeros. Returns 0, or -1 if the text is not such a
 * number or does not fit (magnitude ≥ 1e12). */
int ew_parse_milli(const char *s, size_t n, int64_t *out_milli);
/* Format thousandths as the shortest exact decimal ("40", "2.2", "0.125", "-1.5") into buf
 * (at least 24 bytes). Returns the length written. */
size_t ew_format_milli(int64_t milli, char *buf, size_t cap);

#endif
