/* bjtime: the one time representation of envwatch and its conversions.
 *
 * Instants are int64 seconds since the Unix epoch (UTC), named *_utc. HJ 212, the national
 * station datasets and the assessment standards label times in Beijing time (UTC+8, no
 * daylight saving since 1991), and days, months and years are Beijing-time calendar
 * periods; ew_civil is such a Beijing-time label. Pure functions, no global state, no
 * dependence on the TZ environment variable. */
#ifndef EW_BASE_BJTIME_H
#define EW_BASE_BJTIME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EW_BJ_OFFSET_S (8 * 3600)

typedef struct ew_civil {
    int year;
    int mon;  /* 1..12 */
    int day;  /* 1..31 */
    int hour; /* 0..23 */
    int min;  /* 0..59 */
    int sec;  /* 0..59 (no leap seconds in HJ 212) */
    int msec; /* 0..999 */
} ew_civil;

bool ew_is_leap(int year);
int ew_days_in_month(int year, int mon);
/* Days since 1970-01-01 of a proleptic Gregorian date (negative before). */
int64_t ew_days_from_civil(int year, int mon, int day);
void ew_civil_from_days(int64_t days, int *year, int *mon, int *day);

/* Validate the fields of c (ranges, day within month). */
bool ew_civil_valid(const ew_civil *c);
/* Beijing-time label -> UTC seconds (msec ignored). */
int64_t ew_bj_to_utc(const ew_civil *c);
/* UTC seconds -> Beijing-time label (msec = 0). */
void ew_utc_to_bj(int64_t t_utc, ew_civil *out);
/* The Beijing calendar day (days since 1970-01-01) holding instant t_utc, and the instant at
 * which Beijing day `day` starts. */
int64_t ew_bj_day_of(int64_t t_utc);
int64_t ew_bj_day_start(int64_t day);

/* Parse HJ 212 compact times: "YYYYMMDDhhmmss" (14 digits) or with milliseconds
 * "YYYYMMDDhhmmsszzz" (17 digits, the QN form). Returns 0, or -1 if the text is not
 * exactly such digits or a field is out of range. */
int ew_parse_compact(const char *s, size_t n, ew_civil *out);
/* Parse "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]" optionally followed by
 * "+08:00" (other offsets are refused: -1). Missing time fields are 0. */
int ew_parse_iso(const char *s, size_t n, ew_civil *out);

/* Format t_utc as Beijing time "YYYY-MM-DDThh:mm:ss+08:00" into buf (at least 26 bytes).
 * Returns the length written (25). */
size_t ew_format_iso_bj(int64_t t_utc, char *buf, size_t cap);
/* Format day (days since 1970-01-01, as ew_days_from_civil) as "YYYY-MM-DD" into buf (at
 * least 11 bytes). Returns the length written (10 for years 0..9999). */
size_t ew_format_day(int64_t day, char *buf, size_t cap);
/* Format as HJ 212 compact "YYYYMMDDhhmmss" (buf at least 15 bytes). */
size_t ew_format_compact_bj(int64_t t_utc, char *buf, size_t cap);

#endif
