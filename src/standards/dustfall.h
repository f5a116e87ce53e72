/* dustfall: atmospheric dust fall (降尘) by the gravimetric method of HJ 1221-2021
 * (《环境空气 降尘的测定 重量法》, superseding GB/T 15265-1994): a site's value from one
 * collection jar's sample, and the monthly mean over sites.
 *
 * A sample's value is the net mass that settled in the jar per unit opening area, scaled
 * from the actual exposure to 30 days ("K 为 30 天与实际采样天数的比例系数"):
 *     M = (m1 − m0 − m2) / S × 30 / n
 * with m1 the dish with residue, m0 the empty dish, m2 the reagent blank residue (HJ 1221
 * §9.2), S the jar's opening area and n the actual exposure in days. With masses in grams
 * and S in m², g/m² = t/km², so M is in t/(km²·30 d), the unit of HJ 1221 and of the
 * bulletins' 吨/(平方千米·月). HJ 1221's detection limit is 0.3 t/(km²·30 d), its lower limit
 * of determination 1.2.
 *
 * The monthly value of an area is the arithmetic mean of its sites' monthly values (MEE
 * bulletins publish mean, maximum and minimum). Whether a clean control site enters that
 * mean is not stated in the texts at hand; by default it does not (dustfall_policy).
 *
 * Units: masses int64 micrograms (a 0.1 mg balance reading is 100 µg), areas int64 mm²,
 * exposure int64 hours (days = hours / 24), results int64 thousandths of t/(km²·30 d),
 * rounded half-even (GB/T 8170). DUSTFALL_NA marks a missing value. Pure functions, no
 * allocation, no state; on failure outputs are unchanged. */
#ifndef EW_STANDARDS_DUSTFALL_H
#define EW_STANDARDS_DUSTFALL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define DUSTFALL_NA INT64_MIN

/* One jar's sample for one month. */
typedef struct dustfall_sample {
    int64_t m1_ug;      /* dish + dust residue after drying to constant mass */
    int64_t m0_ug;      /* empty dish */
    int64_t m2_ug;      /* laboratory blank (same reagent volume) residue, dish subtracted */
    int64_t area_mm2;   /* jar opening area S */
    int64_t exposure_h; /* actual exposure n, hours */
    bool invalid;       /* broken or overturned jar, contamination: no value for the month */
    bool control;       /* a clean control site */
} dustfall_sample;

/* Area of a jar's opening from its inner diameter in tenths of a millimetre (HJ 1221 §9.2.1
 * measures it to 0.1 cm, as the mean of three directions): π·d²/4, to the nearest mm².
 * Returns 0 for a non-positive diameter. */
int64_t dustfall_jar_area_mm2(int64_t diameter_tenth_mm);

/* Acceptance of a sample. The jar is exposed for 30 ± 2 days; the window is a policy so
 * that a programme can widen it. */
typedef struct dustfall_policy {
    int64_t min_exposure_h, max_exposure_h; /* inclusive */
    bool include_control;                   /* control sites enter the area mean */
} dustfall_policy;

/* 28–32 days, control sites excluded. */
extern const dustfall_policy dustfall_policy_default;

/* The value of one sample, thousandths of t/(km²·30 d): (m1 − m0 − m2) × 30 × 24 / (S × h),
 * with g/m² = t/km². Returns 0 and sets *value_milli; EW_EINVALID (err says why) when the
 * sample is marked invalid, the net mass is negative, S or the exposure is not positive,
 * or the exposure lies outside the policy's window (policy may be NULL: no window). On
 * failure *value_milli is unchanged. */
int dustfall_value(const dustfall_sample *s, const dustfall_policy *policy, int64_t *value_milli,
                   char *err, size_t errcap) EW_MUST_CHECK;

typedef struct dustfall_mean {
    size_t sites;    /* samples given */
    size_t used;     /* samples entering the mean */
    size_t rejected; /* samples without a valid value (dustfall_value failed) */
    size_t controls; /* control samples left out by the policy */
    int64_t mean_milli, max_milli, min_milli; /* DUSTFALL_NA when used is 0 */
} dustfall_mean;

/* The monthly value of an area from its sites' samples: the arithmetic mean of the valid
 * values (rounded half-even to the thousandth), their maximum and minimum. Invalid samples
 * are counted in `rejected`, never an error; policy NULL means dustfall_policy_default. */
void dustfall_area_mean(const dustfall_sample *s, size_t n, const dustfall_policy *policy,
                        dustfall_mean *out);

/* The arithmetic mean of n values (DUSTFALL_NA skipped), e.g. an annual value from monthly
 * values. Returns the number used and sets *mean_milli; EW_ENOTFOUND when none is present. */
int dustfall_mean_of(const int64_t *v_milli, size_t n, int64_t *mean_milli) EW_MUST_CHECK;

#endif
