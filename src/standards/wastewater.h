/* wastewater: hourly and daily values of a wastewater online-monitoring outlet (HJ 353-356,
 * HJ 356-2019 in particular), in exact arithmetic.
 *
 * Prefix ww_. Parameters: CODCr, NH3-N, TP, TN, pH and the heavy metals of HJ 212-2017
 * Annex B.3; flow is the weight of every daily mean.
 *
 * Rules and their sources (docs/source-standards.md has the full notes and the open points):
 *  - Hourly value: the mean of the hour's analyser results (an analyser cycle gives one
 *    result per 1–4 h; most hours hold one). The hour is valid only when it has at least one
 *    result and every result in it is normal: HJ 212-2017 Annex C notes, wastewater, "one
 *    abnormal value makes the interval abnormal" (minute from real-time values, hour from
 *    minutes, day from hours). Normal = flag N, or no flag. Results during calibration,
 *    maintenance, fault or above the range are invalid (HJ 356-2019, data validity).
 *  - Daily value (effective daily mean): the flow-weighted mean of the day's valid hourly
 *    values, C_day = Σ(Ci × Qi) / ΣQi, Qi the volume discharged in hour i. An hour enters
 *    only when both its concentration and its flow are valid. The day is valid when the
 *    hours that enter are at least min_share of the hours that should have a value
 *    (default 75 %: 18 of 24 hourly results, 9 of 12 two-hourly ones). HJ 356-2019
 *    chapter 7 (有效均值的计算) governs this; its text was not at hand, so the 75 % share and
 *    the weighting are taken from the project's reference notes and the share is a
 *    parameter.
 *  - pH has no mean: HJ 356-2019 reports pH (like water temperature) as the range of the
 *    valid values, minimum and maximum, and it is judged against its range limit value by
 *    value (exceed.h). A pH hour needs no volume to count.
 *  - A day with valid hours but no discharge (ΣQ = 0) has no flow-weighted mean:
 *    WW_DAY_NO_DISCHARGE, with the arithmetic mean beside it for display.
 *  - The arithmetic mean of the valid hours is always given too, beside the weighted one.
 *
 * Units: thousandths (milli) of the parameter's unit (mg/L; µg/L for Hg, Cd, Cr(VI), As, Pb
 * as HJ 212-2017 B.3 sends them; pH units), flow volumes in thousandths of m³. WW_NA marks
 * "no value". Means are rounded once, to the thousandth, by GB/T 8170 (half to even).
 *
 * Pure functions over caller-owned structs: no allocation, no I/O, no state. On failure a
 * function returns a negative EW_E* code (base/err.h) and leaves every output unchanged. */
#ifndef EW_STANDARDS_WASTEWATER_H
#define EW_STANDARDS_WASTEWATER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WW_NA INT64_MIN
/* Largest accepted magnitude of a concentration and of an hour's volume (thousandths). */
#define WW_MAX_MILLI 1000000000LL /* 1e9: 1e6 mg/L, 1e6 m³ in one hour */
/* Default daily coverage: 75 % of the expected hourly values, in per mille. */
#define WW_DAY_SHARE_DEFAULT 750
#define WW_HOURS_PER_DAY 24

typedef enum ww_param {
    WW_COD,  /* w01018 化学需氧量 CODCr, mg/L */
    WW_NH3N, /* w21003 氨氮, mg/L */
    WW_TP,   /* w21011 总磷, mg/L */
    WW_TN,   /* w21001 总氮, mg/L */
    WW_PH,   /* w01001 pH, dimensionless: a range, no mean */
    WW_HG,   /* w20111 总汞, µg/L */
    WW_CD,   /* w20115 总镉, µg/L */
    WW_CR,   /* w20116 总铬, mg/L */
    WW_CR6,  /* w20117 六价铬, µg/L */
    WW_AS,   /* w20119 总砷, µg/L */
    WW_PB,   /* w20120 总铅, µg/L */
    WW_NI,   /* w20121 总镍, mg/L */
    WW_PARAM_COUNT
} ww_param;

/* Static description of a parameter (HJ 212-2017 Annex B.3). */
typedef struct ww_param_info {
    ww_param param;
    const char *code;    /* "w01018" */
    const char *name_zh; /* "化学需氧量" */
    const char *unit;    /* "mg/L", "ug/L", "" for pH */
    bool range_only;     /* true for pH: daily range, no mean */
} ww_param_info;

/* Info of p, or NULL for a value out of range. */
const ww_param_info *ww_param_info_of(ww_param p);
/* The parameter of an HJ 212-2017 code (n bytes, exact case). Returns 0, or -1 if unknown. */
int ww_param_parse(const char *code, size_t n, ww_param *out);

/* One analyser result (or any value) with its HJ 212 data flag (0 = no flag). */
typedef struct ww_value {
    int64_t milli;
    char flag;
} ww_value;

/* True when a value with this flag is normal (N or no flag). */
bool ww_flag_normal(char flag);

/* An hour's value. */
typedef struct ww_hour {
    int64_t milli; /* mean of the hour's results when valid, else WW_NA */
    int n_results; /* results given */
    int n_abnormal;
    bool valid;
    char flag; /* 'N' when valid; otherwise the first abnormal flag ('D' for an empty hour) */
} ww_hour;

/* The hourly value of n results. Returns EW_OK and fills *out, or EW_EINVALID (r NULL with
 * n > 0, a normal value beyond ±WW_MAX_MILLI, n > 3600) with *out unchanged. */
int ww_hour_value(const ww_value *r, size_t n, ww_hour *out) EW_MUST_CHECK;

/* One hour of a day: its concentration (as from ww_hour_value) and its discharged volume. */
typedef struct ww_day_hour {
    int64_t conc_milli; /* WW_NA when absent */
    bool conc_valid;
    int64_t volume_milli; /* m³ discharged in the hour, thousandths; WW_NA when absent */
    bool volume_valid;
} ww_day_hour;

typedef enum ww_day_status {
    WW_DAY_VALID,        /* enough hours: mean (or pH range) is the day's value */
    WW_DAY_INSUFFICIENT, /* fewer hours than the share requires */
    WW_DAY_NO_DISCHARGE, /* enough hours but ΣQ = 0: no weighted mean */
} ww_day_status;

typedef struct ww_day {
    ww_param param;
    ww_day_status status;
    bool valid;          /* status == WW_DAY_VALID */
    int n_expected;      /* hours that should have a value */
    int n_used;          /* hours with valid concentration and volume (pH: concentration) */
    int64_t mean_milli;  /* flow-weighted mean; WW_NA when not valid, and always for pH */
    int64_t arith_milli; /* arithmetic mean of the used hours (display); WW_NA if none or pH */
    int64_t min_milli;   /* smallest / largest used value (pH: the day's range); WW_NA if none */
    int64_t max_milli;
    int64_t volume_milli; /* Σ volume of the hours with a valid volume, thousandths of m³ */
} ww_day;

/* Coverage rule of a day. */
typedef struct ww_day_rule {
    int n_expected;     /* hours that should have a value: 24 for hourly results, 12 for
                           two-hourly, …; 1..24 */
    int share_permille; /* minimum share of n_expected, 1..1000 (default 750) */
} ww_day_rule;

/* The default rule: 24 expected hours, 75 %. */
ww_day_rule ww_day_rule_default(void);

/* The daily value of parameter p from n hours (n ≤ 24). The day is valid when
 * n_used × 1000 ≥ share × n_expected. Returns EW_OK and fills *out, or EW_EINVALID (p out of
 * range, h NULL with n > 0, n > 24, a rule out of bounds, a used value or volume beyond
 * WW_MAX_MILLI, a negative volume) with *out unchanged. */
int ww_day_value(ww_param p, const ww_day_hour *h, size_t n, const ww_day_rule *rule,
                 ww_day *out) EW_MUST_CHECK;

#endif
