/* fluegas: hourly values of a flue-gas CEMS outlet (HJ 75-2017, HJ 76-2017), in exact
 * arithmetic.
 *
 * From the minute values of one hour this module makes what the national platform keeps per
 * pollutant and hour (企业回流自动监控数据接口说明 V1.6: `avg`, `avg_zs`, `cou`): the measured
 * hourly mean (实测, standard state, dry basis), the concentration converted to the reference
 * oxygen of the emission standard (折算), and the emission rate from the flue-gas flow; and
 * from hourly rates the emission total of a period. Raw and converted values are always
 * returned side by side, never one in place of the other.
 *
 * Rules and their sources (see docs/source-standards.md for the full notes):
 *  - An hourly mean is the arithmetic mean of the valid minute values of the hour, and the
 *    hour is valid only with at least FLUEGAS_MIN_VALID_MINUTES (45) valid minutes
 *    (HJ 212-2017 Annex D: the hourly value is the mean of at least 45 valid minute values;
 *    the same share, 75 %, is the flue-gas flag rule of its Annex C notes: the hour is N
 *    when ≥ 75 % of its minutes are N, otherwise D).
 *  - A minute is valid only when its HJ 212 data flag is N (or absent, as in values the
 *    platform computed itself). F (stopped), M (maintenance), S (manual value), D (fault),
 *    C (calibration), T (over range), B (communication fault) and the 2005 P (power failure)
 *    mark the periods HJ 75-2017 calls invalid in its data-review chapter (CEMS fault,
 *    repair, calibration, maintenance, out of control, source stopped); they do not enter
 *    the mean.
 *  - 折算: C_ref = C × (21 − O2_ref) / (21 − O2) (HJ 75-2017 Annex / HJ 212-2017 Annex D,
 *    C_zs = C_dry·(21−O2_ref)/(21−O2_meas)), on the hour's valid means of C and O2. The factor
 *    explodes as O2 → 21 %; at or above a guard O2 (default 19 %, configurable) no converted
 *    value is produced and the hour is reported FLUEGAS_CORR_O2_HIGH, a signal in itself
 *    (dilution, probe out of the stack, source stopped). The 19 % figure is a design default
 *    of the platform, not a number read in HJ 75-2017.
 *  - A daily mean is the mean of at least FLUEGAS_MIN_VALID_HOURS (20) valid hourly values
 *    (HJ 212-2017 Annex D), for the measured and for the judged values separately.
 *  - Emission rate G (kg/h) = C (mg/m³, measured, standard dry) × Q (m³/h, standard dry) ×
 *    10⁻⁶ (HJ 75-2017 Annex, HJ 212-2017 Annex D). The measured concentration is used, never
 *    the converted one: the mass leaving the stack does not depend on the reference O2.
 *  - Totals add the hourly rates of valid hours (× 1 h). The substitution values of HJ 75-2017
 *    for invalid hours (180/720/2160-hour maxima) are not applied here: totals report
 *    how many hours they lack instead.
 *
 * Units: every quantity is an int64 count of thousandths (milli) of its unit: concentrations
 * mg/m³, O2 % (volume), flow m³/h, rates kg/h, totals kg. FLUEGAS_NA marks "no value". Means
 * and ratios are rounded once, to the thousandth, by GB/T 8170 (half to even).
 *
 * Pure functions over caller-owned structs: no allocation, no I/O, no state. On failure a
 * function returns a negative EW_E* code (base/err.h) and leaves every output unchanged. */
#ifndef EW_STANDARDS_FLUEGAS_H
#define EW_STANDARDS_FLUEGAS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define FLUEGAS_NA INT64_MIN /* no value */

#define FLUEGAS_MINUTES_PER_HOUR 60
/* HJ 212-2017 Annex: an hourly value needs at least 45 valid minute values. */
#define FLUEGAS_MIN_VALID_MINUTES 45
/* Default O2 guard: at or above 19.000 % no converted value (platform default, see above). */
#define FLUEGAS_O2_GUARD_DEFAULT 19000
/* The O2 content of air, thousandths of %: the 21 of the conversion formula. */
#define FLUEGAS_O2_AIR 21000
/* Largest magnitude accepted for any input quantity (thousandths): 1e12. */
#define FLUEGAS_MAX_MILLI 1000000000000LL

/* One minute value: the value in thousandths and its HJ 212 data flag ('N', 'F', …; 0 when
 * the value carries no flag). */
typedef struct fluegas_minute {
    int64_t milli;
    char flag;
} fluegas_minute;

/* Classes of minute flags, the index of fluegas_mean.n_flag. */
typedef enum fluegas_flag_class {
    FLUEGAS_FLAG_N,     /* normal (or no flag): valid */
    FLUEGAS_FLAG_F,     /* instrument stopped (2017) / source stopped (2005) */
    FLUEGAS_FLAG_M,     /* maintenance */
    FLUEGAS_FLAG_S,     /* manually set value */
    FLUEGAS_FLAG_D,     /* fault */
    FLUEGAS_FLAG_C,     /* calibration */
    FLUEGAS_FLAG_T,     /* above the measuring range */
    FLUEGAS_FLAG_B,     /* communication fault (2017) */
    FLUEGAS_FLAG_P,     /* power failure (2005) */
    FLUEGAS_FLAG_OTHER, /* any other flag: invalid */
    FLUEGAS_FLAG_CLASS_COUNT
} fluegas_flag_class;

/* The class of a flag character (case as sent: 'n' is not 'N'). */
fluegas_flag_class fluegas_flag_classify(char flag);
/* True when a minute with this flag enters the hourly mean (N or no flag). */
bool fluegas_flag_valid(char flag);

/* The mean of one parameter over one hour. */
typedef struct fluegas_mean {
    int64_t mean_milli; /* mean of the valid minutes when valid, else FLUEGAS_NA */
    int n_total;        /* minute values given */
    int n_valid;        /* of them valid */
    int n_flag[FLUEGAS_FLAG_CLASS_COUNT]; /* minutes per flag class (n_flag[N] = n_valid) */
    bool valid;                           /* n_valid ≥ FLUEGAS_MIN_VALID_MINUTES */
    char flag; /* the hour's flag by the HJ 212-2017 annex rule: 'N' if valid, else 'D' */
} fluegas_mean;

/* Hourly mean of n minute values (n ≤ 60; missing minutes are simply not given). Returns
 * EW_OK and fills *out (an hour with too few valid minutes is not an error: out->valid is
 * false). Errors: EW_EINVALID for n > 60, m NULL with n > 0, or a valid value beyond
 * ±FLUEGAS_MAX_MILLI. */
int fluegas_hour_mean(const fluegas_minute *m, size_t n, fluegas_mean *out) EW_MUST_CHECK;

/* How a converted value came about. */
typedef enum fluegas_corr {
    FLUEGAS_CORR_OK,           /* converted to the reference O2 */
    FLUEGAS_CORR_NOT_REQUIRED, /* the standard judges the measured value (no reference O2) */
    FLUEGAS_CORR_O2_HIGH,      /* O2 ≥ guard: no converted value */
    FLUEGAS_CORR_NO_O2,        /* no valid O2 for the hour: no converted value */
    FLUEGAS_CORR_NO_VALUE,     /* no valid concentration for the hour */
} fluegas_corr;

/* The oxygen rule of an outlet: its standard's reference O2 and the guard. */
typedef struct fluegas_o2_rule {
    /* Reference O2, thousandths of % (e.g. 9000 for coal-fired boilers, GB 13271-2014;
     * 10000 cement kilns, GB 4915-2013), or FLUEGAS_NA when the standard judges the measured
     * concentration (e.g. GB 16297-1996, non-combustion points). 0 ≤ ref < guard. */
    int64_t ref_milli;
    /* O2 at or above which no converted value is produced; ref < guard ≤ 21000. */
    int64_t guard_milli;
} fluegas_o2_rule;

/* A rule with reference O2 ref_milli (or FLUEGAS_NA) and the default guard. */
fluegas_o2_rule fluegas_o2_rule_default(int64_t ref_milli);

/* Convert a measured concentration c (thousandths of mg/m³) at measured O2 o2 (thousandths
 * of %) to the reference O2 of rule r: *out = round(c × (21000 − ref) / (21000 − o2)), and
 * *how = FLUEGAS_CORR_OK. With no reference O2: *out = c, *how = FLUEGAS_CORR_NOT_REQUIRED.
 * With o2 ≥ guard: *out = FLUEGAS_NA, *how = FLUEGAS_CORR_O2_HIGH. Errors (outputs
 * unchanged): EW_EINVALID for a rule outside its bounds, o2 outside 0..21000, or |c| beyond
 * FLUEGAS_MAX_MILLI. */
int fluegas_correct(int64_t c_milli, int64_t o2_milli, const fluegas_o2_rule *r, int64_t *out_milli,
                    fluegas_corr *how) EW_MUST_CHECK;

/* Emission rate in thousandths of kg/h from a concentration (thousandths of mg/m³, measured,
 * standard dry) and a flow (thousandths of m³/h, standard dry): round(c × q / 10⁹), exact.
 * Errors (output unchanged): EW_EINVALID for a negative flow, or either input beyond
 * FLUEGAS_MAX_MILLI. */
int fluegas_rate(int64_t c_milli, int64_t q_milli, int64_t *out_kgh_milli) EW_MUST_CHECK;

/* The minute values of one outlet-hour: parallel arrays of n minutes each (n ≤ 60).
 * conc is required; o2 may be NULL when the outlet has no reference O2; flow may be NULL
 * when no rate is wanted. Borrowed for the call. */
typedef struct fluegas_hour_in {
    const fluegas_minute *conc, *o2, *flow;
    size_t n_conc, n_o2, n_flow;
    fluegas_o2_rule o2_rule;
} fluegas_hour_in;

/* One outlet-hour of one pollutant, the raw and the converted value side by side. */
typedef struct fluegas_hour {
    fluegas_mean conc, o2, flow; /* the three means (o2 / flow zeroed, invalid, when absent) */
    int64_t raw_milli;           /* measured hourly mean (实测), or FLUEGAS_NA */
    int64_t corrected_milli;     /* converted (折算), or FLUEGAS_NA (see corr) */
    fluegas_corr corr;
    /* The value compliance is judged on: corrected_milli, or raw_milli when the standard has
     * no reference O2; FLUEGAS_NA when the hour has none (invalid, O2 high, no O2). */
    int64_t judged_milli;
    int64_t rate_kgh_milli; /* raw × flow, or FLUEGAS_NA without a valid flow */
    bool valid;             /* the concentration's hour is valid */
} fluegas_hour;

/* Everything above for one hour. Returns EW_OK and fills *out, or EW_EINVALID (as from
 * fluegas_hour_mean / fluegas_correct / fluegas_rate; also conc NULL, or a reference O2 with
 * no O2 array) with *out unchanged. */
int fluegas_hour_compute(const fluegas_hour_in *in, fluegas_hour *out) EW_MUST_CHECK;

/* HJ 212-2017 Annex D: a daily value needs at least 20 valid hourly values. */
#define FLUEGAS_MIN_VALID_HOURS 20
#define FLUEGAS_HOURS_PER_DAY 24

/* A day of one pollutant: the daily means of the measured and of the judged hourly values
 * (the latter for daily limits, which the standards set on converted concentrations). */
typedef struct fluegas_day {
    int64_t raw_milli;    /* mean of the valid hours' raw_milli, or FLUEGAS_NA */
    int64_t judged_milli; /* mean of the hours' judged_milli, or FLUEGAS_NA */
    int n_raw, n_judged;  /* hours with each */
    bool raw_valid;       /* n_raw ≥ FLUEGAS_MIN_VALID_HOURS */
    bool judged_valid;    /* n_judged ≥ FLUEGAS_MIN_VALID_HOURS */
} fluegas_day;

/* The daily means of n ≤ 24 hours (HJ 212-2017 Annex D: mean of ≥ 20 valid hourly values).
 * Returns EW_OK and fills *out, or EW_EINVALID (n > 24, h NULL with n > 0, a value beyond
 * ±FLUEGAS_MAX_MILLI) with *out unchanged. */
int fluegas_day_mean(const fluegas_hour *h, size_t n, fluegas_day *out) EW_MUST_CHECK;

/* Emission total of a period from its hours. */
typedef struct fluegas_total {
    int64_t kg_milli;  /* Σ rate × 1 h over the hours with a rate, thousandths of kg */
    int hours_counted; /* hours with a rate */
    int hours_missing; /* hours without one (invalid: HJ 75-2017 substitution not applied) */
} fluegas_total;

/* Sum n hours. Returns EW_OK, or EW_EINVALID when the sum would leave ±FLUEGAS_MAX_MILLI × 1e6
 * (out unchanged). */
int fluegas_total_of(const fluegas_hour *h, size_t n, fluegas_total *out) EW_MUST_CHECK;

#endif
