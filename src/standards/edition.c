/* edition: the date switch between the 2012 and 2026 standards, GB/T 8170 rounding, and
 * exact decimal text <-> thousandths. See edition.h. */
#include "standards/edition.h"

#include <stdio.h>
#include <string.h>

#include "base/bjtime.h"

ew_edition ew_edition_on(int bj_year, int bj_mon, int bj_day)
{
    /* Compare (y, m, d) lexicographically with the first day of the 2026 editions. */
    long key = (long)bj_year * 10000 + bj_mon * 100 + bj_day;
    long from = (long)EW_EDITION_2026_FROM_YEAR * 10000 + EW_EDITION_2026_FROM_MON * 100 +
                EW_EDITION_2026_FROM_DAY;
    return key >= from ? EW_EDITION_2026 : EW_EDITION_2012;
}

ew_edition ew_edition_at(int64_t t_utc)
{
    ew_civil c;
    ew_utc_to_bj(t_utc, &c);
    return ew_edition_on(c.year, c.mon, c.day);
}

const char *ew_edition_name(ew_edition e)
{
    return e == EW_EDITION_2026 ? "2026" : "2012";
}

const char *ew_edition_aqi_standard(ew_edition e)
{
    return e == EW_EDITION_2026 ? "HJ 633—2026" : "HJ 633—2012";
}

int ew_edition_parse(const char *s, size_t n, ew_edition *out)
{
    if (n == 4 && memcmp(s, "2012", 4) == 0) {
        *out = EW_EDITION_2012;
        return 0;
    }
    if (n == 4 && memcmp(s, "2026", 4) == 0) {
        *out = EW_EDITION_2026;
        return 0;
    }
    return -1;
}

/* Floor division for den > 0 (C division truncates toward zero). */
static int64_t floor_div(int64_t num, int64_t den)
{
    int64_t q = num / den;
    if ((num % den) != 0 && num < 0)
        q--;
    return q;
}

int64_t ew_round_ratio_8170(int64_t num, int64_t den, int64_t scale)
{
    /* value = num * scale / den; q = floor(value), r = the discarded part as r / den. */
    int64_t x = num * scale;
    int64_t q = floor_div(x, den);
    int64_t r = x - q * den; /* 0 <= r < den */
    /* GB/T 8170—2008 §3.2: discard < half → keep; > half → add one; exactly half → make the
     * last kept digit even. Compare 2r with den exactly. */
    if (2 * r > den || (2 * r == den && (q % 2) != 0))
        q++;
    return q;
}

int64_t ew_round_8170(int64_t value, int64_t step)
{
    return ew_round_ratio_8170(value, step, 1) * step;
}

int ew_parse_milli(const char *s, size_t n, int64_t *out_milli)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    int64_t whole = 0;
    size_t int_digits = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, int_digits++) {
        if (whole >= 100000000000LL) /* 1e11 * 10 would reach the 1e12 bound */
            return -1;
        whole = whole * 10 + (s[i] - '0');
    }
    int64_t frac = 0;
    size_t frac_digits = 0;
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, frac_digits++) {
            if (frac_digits < 3)
                frac = frac * 10 + (s[i] - '0');
            else if (s[i] != '0')
                return -1; /* finer than a thousandth: not representable exactly */
        }
    }
    if (i != n || int_digits + frac_digits == 0)
        return -1;
    for (size_t k = frac_digits; k < 3; k++)
        frac *= 10;
    int64_t v = whole * 1000 + frac;
    *out_milli = neg ? -v : v;
    return 0;
}

size_t ew_format_milli(int64_t milli, char *buf, size_t cap)
{
    /* Magnitude via unsigned arithmetic so that INT64_MIN cannot overflow. */
    uint64_t mag = milli < 0 ? 0 - (uint64_t)milli : (uint64_t)milli;
    uint64_t whole = mag / 1000, frac = mag % 1000;
    int len;
    if (frac == 0)
        len = snprintf(buf, cap, "%s%llu", milli < 0 ? "-" : "", (unsigned long long)whole);
    else {
        char f[4];
        snprintf(f, sizeof f, "%03llu", (unsigned long long)frac);
        size_t fl = 3;
        while (fl > 0 && f[fl - 1] == '0')
            f[--fl] = '\0';
        len = snprintf(buf, cap, "%s%llu.%s", milli < 0 ? "-" : "", (unsigned long long)whole, f);
    }
    if (len < 0)
        return 0;
    return (size_t)len < cap ? (size_t)len : cap - 1;
}
