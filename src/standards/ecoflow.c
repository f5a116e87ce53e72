/* ecoflow: daily and period compliance of control sections against their ecological base
 * flow. See ecoflow.h for the contract and docs/water-standards.md for the sources. */
#include "standards/ecoflow.h"

#include "standards/edition.h"

int ecoflow_daily_mean(const int64_t *q, size_t n, int min_valid, int64_t *mean_milli)
{
    if (min_valid < 1)
        return EW_EINVALID;
    int64_t sum = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i] == ECOFLOW_NA)
            continue;
        if (q[i] < 0)
            return EW_EINVALID;
        sum += q[i];
        used++;
    }
    if (used < min_valid)
        return EW_ENOTFOUND;
    *mean_milli = ew_round_ratio_8170(sum, used, 1);
    return used > 1000000000 ? 1000000000 : (int)used;
}

bool ecoflow_day_ok(int64_t mean_milli, int64_t base_milli)
{
    /* The day meets its target when the daily mean is not below the base flow. */
    return mean_milli != ECOFLOW_NA && base_milli != ECOFLOW_NA && mean_milli >= base_milli;
}

/* compliant ÷ total × 100 %, thousandths of a percent, half-even; ECOFLOW_NA for no total. */
static int64_t pct_milli(size_t part, size_t total)
{
    if (!total)
        return ECOFLOW_NA;
    return ew_round_ratio_8170((int64_t)part * 100, (int64_t)total, 1000);
}

int ecoflow_period(const ecoflow_day *d, size_t n, ecoflow_rate *out)
{
    ecoflow_rate r = {n, 0, 0, 0, 0, ECOFLOW_NA};
    for (size_t i = 0; i < n; i++) {
        if (d[i].base_milli == ECOFLOW_NA || d[i].base_milli <= 0)
            return EW_EINVALID;
        if (d[i].mean_milli != ECOFLOW_NA && d[i].mean_milli < 0)
            return EW_EINVALID;
        if (d[i].exempt) {
            r.exempt++;
        } else if (d[i].mean_milli == ECOFLOW_NA) {
            r.missing++;
        } else {
            r.valid++;
            r.compliant += ecoflow_day_ok(d[i].mean_milli, d[i].base_milli);
        }
    }
    r.rate_milli = pct_milli(r.compliant, r.valid);
    *out = r;
    return EW_OK;
}

int64_t ecoflow_sections_meeting(const int64_t *rate_milli, size_t n, int64_t threshold_milli,
                                 size_t *meeting, size_t *rated)
{
    size_t m = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (rate_milli[i] == ECOFLOW_NA)
            continue;
        k++;
        m += rate_milli[i] >= threshold_milli;
    }
    *meeting = m;
    *rated = k;
    return pct_milli(m, k);
}
