#include "base/bjtime.h"

#include <stdio.h>

bool ew_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ew_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && ew_is_leap(y) ? 29 : dm[m - 1];
}

/* Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian calendar. */
int64_t ew_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ew_civil_from_days(int64_t z, int *year, int *mon, int *day)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = yoe + era * 400;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (m <= 2));
    *mon = (int)m;
    *day = (int)d;
}

bool ew_civil_valid(const ew_civil *c)
{
    return c->year >= 1900 && c->year <= 9999 && c->mon >= 1 && c->mon <= 12 && c->day >= 1 &&
           c->day <= ew_days_in_month(c->year, c->mon) && c->hour >= 0 && c->hour <= 23 &&
           c->min >= 0 && c->min <= 59 && c->sec >= 0 && c->sec <= 59 && c->msec >= 0 &&
           c->msec <= 999;
}

int64_t ew_bj_to_utc(const ew_civil *c)
{
    return ew_days_from_civil(c->year, c->mon, c->day) * 86400 + c->hour * 3600 + c->min * 60 +
           c->sec - EW_BJ_OFFSET_S;
}

int64_t ew_bj_day_of(int64_t t_utc)
{
    int64_t t = t_utc + EW_BJ_OFFSET_S;
    return t >= 0 ? t / 86400 : (t - 86399) / 86400; /* floor division */
}

int64_t ew_bj_day_start(int64_t day)
{
    return day * 86400 - EW_BJ_OFFSET_S;
}

void ew_utc_to_bj(int64_t t, ew_civil *out)
{
    int64_t days = ew_bj_day_of(t);
    int64_t rem = t + EW_BJ_OFFSET_S - days * 86400;
    ew_civil_from_days(days, &out->year, &out->mon, &out->day);
    out->hour = (int)(rem / 3600);
    out->min = (int)(rem % 3600 / 60);
    out->sec = (int)(rem % 60);
    out->msec = 0;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int ew_parse_compact(const char *s, size_t n, ew_civil *out)
{
    if (n != 14 && n != 17)
        return -1;
    ew_civil c = {0};
    if (digits(s, 4, &c.year) || digits(s + 4, 2, &c.mon) || digits(s + 6, 2, &c.day) ||
        digits(s + 8, 2, &c.hour) || digits(s + 10, 2, &c.min) || digits(s + 12, 2, &c.sec))
        return -1;
    if (n == 17 && digits(s + 14, 3, &c.msec))
        return -1;
    if (!ew_civil_valid(&c))
        return -1;
    *out = c;
    return 0;
}

int ew_parse_iso(const char *s, size_t n, ew_civil *out)
{
    ew_civil c = {0};
    if (n < 10 || digits(s, 4, &c.year) || s[4] != '-' || digits(s + 5, 2, &c.mon) || s[7] != '-' ||
        digits(s + 8, 2, &c.day))
        return -1;
    size_t i = 10;
    if (i < n && (s[i] == ' ' || s[i] == 'T')) {
        if (n < i + 6 || digits(s + i + 1, 2, &c.hour) || s[i + 3] != ':' ||
            digits(s + i + 4, 2, &c.min))
            return -1;
        i += 6;
        if (i < n && s[i] == ':') {
            if (n < i + 3 || digits(s + i + 1, 2, &c.sec))
                return -1;
            i += 3;
        }
        if (i < n) {
            if (n - i != 6 || s[i] != '+' || s[i + 1] != '0' || s[i + 2] != '8' ||
                s[i + 3] != ':' || s[i + 4] != '0' || s[i + 5] != '0')
                return -1;
            i = n;
        }
    }
    if (i != n || !ew_civil_valid(&c))
        return -1;
    *out = c;
    return 0;
}

size_t ew_format_iso_bj(int64_t t, char *buf, size_t cap)
{
    ew_civil c;
    ew_utc_to_bj(t, &c);
    int k = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year, c.mon, c.day, c.hour,
                     c.min, c.sec);
    return k < 0 ? 0 : (size_t)k;
}

size_t ew_format_day(int64_t day, char *buf, size_t cap)
{
    int y, m, d;
    ew_civil_from_days(day, &y, &m, &d);
    int k = snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
    return k < 0 ? 0 : (size_t)k;
}

size_t ew_format_compact_bj(int64_t t, char *buf, size_t cap)
{
    ew_civil c;
    ew_utc_to_bj(t, &c);
    int k =
        snprintf(buf, cap, "%04d%02d%02d%02d%02d%02d", c.year, c.mon, c.day, c.hour, c.min, c.sec);
    return k < 0 ? 0 : (size_t)k;
}
