/* ecoflow: ecological-flow compliance (生态流量达标) of river control sections.
 *
 * The unit of judgement is the day: a control section meets its target on a day when the
 * day's mean flow is at least its ecological base flow (生态基流) for that day (MWR's
 * management of key rivers: 日预警、周处置、月通报、年考核; targets may be seasonal, so the base
 * flow is given per day). A section's compliance rate over a period is
 *     days meeting the target ÷ days with a valid daily mean × 100 %,
 * with days lacking data and days exempted for a documented cause (for example abnormally
 * low natural inflow) counted and shown but kept out of the denominator. The zone's target
 * "≥ 90 % at key control sections" is read two ways (each section's rate ≥ 90 %, and the
 * share of sections whose rate reaches it); both are computed. No national text at hand sets
 * how many readings make a valid daily mean: it is the caller's parameter.
 *
 * Units: flows are int64 thousandths of m³/s; rates are thousandths of a percent (90 % =
 * 90000), rounded half-even (GB/T 8170). ECOFLOW_NA marks a missing value. Pure functions,
 * no allocation, no state; on failure outputs are unchanged. */
#ifndef EW_STANDARDS_ECOFLOW_H
#define EW_STANDARDS_ECOFLOW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define ECOFLOW_NA INT64_MIN

/* The mean of a day's flow readings q_milli[0..n) (ECOFLOW_NA entries skipped), to the
 * thousandth, half-even. Returns the number of readings used and sets *mean_milli; EW_ENOTFOUND
 * when fewer than min_valid (≥ 1) readings are present; EW_EINVALID for a negative flow or
 * min_valid < 1. *mean_milli is unchanged on failure. */
int ecoflow_daily_mean(const int64_t *q_milli, size_t n, int min_valid,
                       int64_t *mean_milli) EW_MUST_CHECK;

/* True when the daily mean meets the base flow: mean ≥ base (inclusive). False when either
 * is ECOFLOW_NA. */
bool ecoflow_day_ok(int64_t mean_milli, int64_t base_milli);

/* One day of a section. */
typedef struct ecoflow_day {
    int64_t mean_milli; /* daily mean flow, or ECOFLOW_NA (no valid mean) */
    int64_t base_milli; /* the day's ecological base flow, > 0 */
    bool exempt;        /* excluded for a documented cause */
} ecoflow_day;

typedef struct ecoflow_rate {
    size_t days;      /* days given */
    size_t valid;     /* days with a mean, not exempt: the denominator */
    size_t compliant; /* of those, mean ≥ base */
    size_t missing;   /* days without a mean (not exempt) */
    size_t exempt;    /* exempt days */
    /* compliant ÷ valid × 100 %, thousandths of a percent; ECOFLOW_NA when valid is 0. */
    int64_t rate_milli;
} ecoflow_rate;

/* The compliance of a section over the n days. Returns 0 and fills *out; EW_EINVALID for a
 * negative mean or a base flow that is not positive (*out unchanged). */
int ecoflow_period(const ecoflow_day *d, size_t n, ecoflow_rate *out) EW_MUST_CHECK;

/* Of n section rates (ECOFLOW_NA skipped), how many reach threshold_milli (inclusive;
 * 90000 for the zone's 90 %). Sets *meeting and *rated (rates present) and returns the
 * share meeting ÷ rated in thousandths of a percent, or ECOFLOW_NA when none is rated. */
int64_t ecoflow_sections_meeting(const int64_t *rate_milli, size_t n, int64_t threshold_milli,
                                 size_t *meeting, size_t *rated);

#endif
