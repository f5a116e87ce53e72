/* airq: ambient-air assessment — GB 3095 limits and data validity, HJ 663 statistics.
 *
 * One engine for both rule editions:
 *   2012: GB 3095—2012 with its 2018 amendment, HJ 663—2013, HJ 633—2012 (until 2026-02-28);
 *   2026: GB 3095—2026, HJ 663—2026, HJ 633—2026 (from 2026-03-01).
 * With AIRQ_ED_AUTO every day is judged by the edition in force on that day.
 *
 * Pure: arrays in, structs out; no I/O, no allocation (callers own every buffer).
 *
 * Units. Every concentration is an int32 in milli-units: µg/m³ × 1000 for SO2, NO2, PM10,
 * PM2.5 and O3, mg/m³ × 1000 for CO. Integer arithmetic keeps means, percentiles and the
 * GB/T 8170 rounding exact (a double would turn 66.45 into 66.4999…). AIRQ_MISSING marks a
 * missing or invalid value. Days are Beijing calendar days counted from 1970-01-01
 * (base/bjtime.h: ew_days_from_civil).
 *
 * Reported figures are rounded per GB/T 8170 (half to even on an exact 5) to the published
 * precision (HJ 633—2026 §4.2.2): integer µg/m³, CO 0.1 mg/m³; indices to 0.01; ratios to
 * 0.1 %. */
#ifndef EW_STANDARDS_AIRQ_H
#define EW_STANDARDS_AIRQ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "standards/aqi.h"
#include "standards/edition.h"

/* Same values as aqi_pollutant (HJ 633 Table 1 order), so pollutant bit sets are shared. */
typedef enum {
    AIRQ_SO2 = AQI_SO2,
    AIRQ_NO2 = AQI_NO2,
    AIRQ_PM10 = AQI_PM10,
    AIRQ_CO = AQI_CO,
    AIRQ_O3 = AQI_O3,
    AIRQ_PM25 = AQI_PM25,
    AIRQ_NPOLL = AQI_POLLUTANT_COUNT
} airq_pollutant;

#define AIRQ_MISSING INT32_MIN

/* "SO2", "NO2", "PM10", "PM2.5", "CO", "O3"; Chinese names "二氧化硫" …; units "µg/m³"/"mg/m³". */
const char *airq_pollutant_name(airq_pollutant p);
const char *airq_pollutant_name_zh(airq_pollutant p);
const char *airq_pollutant_unit(airq_pollutant p);
/* The HJ 212 factor code of each pollutant, indexed by airq_pollutant (the one table: ingest,
 * the CSV reader and the service that loads stored hours use it); and the pollutant of a
 * code (n bytes, not NUL-terminated), or -1 when it is not one of the six. */
extern const char *const airq_hj212_codes[AIRQ_NPOLL];
int airq_pollutant_of_code(const char *code, size_t n);
/* Published precision in milli-units: 1000 (1 µg/m³), CO 100 (0.1 mg/m³). */
int32_t airq_report_unit(airq_pollutant p);

/* Rule edition (standards/edition.h) or AUTO: the edition in force on each day. */
typedef enum {
    AIRQ_ED_AUTO = 0,
    AIRQ_ED_2012 = EW_EDITION_2012,
    AIRQ_ED_2026 = EW_EDITION_2026
} airq_edition;

/* The edition in force on Beijing day `day` (ew_edition_on). */
airq_edition airq_edition_on(int64_t day);
/* "GB 3095—2012 / HJ 663—2013 / HJ 633—2012" or the 2026 set (static). */
const char *airq_edition_name(airq_edition ed);

typedef enum { AIRQ_AVG_YEAR, AIRQ_AVG_24H, AIRQ_AVG_8H, AIRQ_AVG_1H, AIRQ_NAVG } airq_avg;

/* Concentration limit (milli-units) of pollutant p for averaging period a, zone class cls
 * (1 or 2), under edition ed (not AUTO). For 2026 the day selects the transitional limits
 * (until 2030-12-31) or the final ones (GB 3095—2026 §4.4). AIRQ_MISSING where the standard
 * sets no limit (CO annual, O3 annual, PM 1-h …). */
int32_t airq_limit(airq_edition ed, int cls, int64_t day, airq_pollutant p, airq_avg a);
/* Name of the limit table used: "GB 3095—2012 (2018 amendment)", "GB 3095—2026 transitional",
 * "GB 3095—2026 final". */
const char *airq_limits_name(airq_edition ed, int64_t day);

/* Data validity, GB 3095—2012 and GB 3095—2026 Table 4 (the table is the same in both). */
enum {
    AIRQ_MIN_HOURS_DAY = 20,  /* ≥ 20 hourly values for a 24-h mean */
    AIRQ_MIN_HOURS_8H = 6,    /* ≥ 6 hourly values in each 8-h window */
    AIRQ_MIN_O3_WINDOWS = 14, /* HJ 663—2013 6.1.2: ≥ 14 valid 8-h means, daily max */
    AIRQ_MIN_DAYS_YEAR = 324, /* ≥ 324 daily values per calendar year */
    AIRQ_MIN_DAYS_MONTH = 27, /* ≥ 27 per month … */
    AIRQ_MIN_DAYS_FEB = 25    /* … February ≥ 25 */
};
/* Minimum valid days of a full calendar month (27, February 25). */
int airq_min_days_month(int mon);

/* Percentile per HJ 663—2013 Appendix A on n ascending-sorted values x: k = 1 + (n−1)·P/100,
 * s = ⌊k⌋, X(s) + (X(s+1) − X(s))·(k − s). Returned exactly as num/100 in the input units
 * (i.e. ×100). Requires n ≥ 1 and 0 ≤ pct ≤ 100. */
int64_t airq_percentile_x100(const int32_t *sorted, size_t n, int pct);

/* Which hour labels form a natural day. An hourly value labelled h is the mean of the hour
 * ending at h (HJ 663—2013 Table A.1). HJ 663: labels 01:00…24:00 (24:00 = next day's 00);
 * many archives average labels 00…23 of the same date. */
typedef enum { AIRQ_HOURS_1_24 = 0, AIRQ_HOURS_0_23 = 1 } airq_day_convention;

typedef struct airq_opts {
    airq_edition rules;        /* AUTO: the edition in force on each day */
    int cls;                   /* zone class, 1 or 2 */
    airq_day_convention hours; /* default AIRQ_HOURS_1_24 */
    bool round_daily;          /* round daily values to the published precision before
                                  period statistics (default true: annual means are means
                                  of the published daily values) */
} airq_opts;
void airq_opts_default(airq_opts *o);

/* Hourly series of one station. v[p][i] is the value of the hour labelled (day0 + i/24,
 * i%24): index 0 is label 00:00 of day0. Each array holds (ndays + 1) × 24 entries so that
 * the 24:00 label of the last day exists. v[p] == NULL: pollutant not monitored. Borrowed. */
typedef struct airq_hourly {
    int64_t day0;
    int ndays;
    const int32_t *v[AIRQ_NPOLL];
} airq_hourly;

/* Daily record of a station or a zone. */
typedef struct airq_day {
    int32_t c[AIRQ_NPOLL]; /* 24-h mean; O3: daily max 8-h mean (MDA8); AIRQ_MISSING if invalid */
    int32_t o3_1h_max;     /* O3 daily max 1-h (used by the 2012 daily AQI) */
    uint8_t hours[AIRQ_NPOLL]; /* valid hourly values of the day */
    uint8_t o3_windows;        /* valid 8-h windows among the 17 inside the day */
    int16_t aqi;               /* daily AQI; -1 when it cannot be stated */
    uint8_t primary;           /* primary pollutants, bit 1 << airq_pollutant (ties: all) */
    bool aqi_complete;         /* every indicator of the edition was valid */
    int16_t edition;           /* 2012 or 2026: the edition the day was judged by */
} airq_day;

/* Daily statistics of one station: out[0 … h->ndays − 1]. Daily AQI fields included. */
void airq_days(const airq_hourly *h, const airq_opts *o, airq_day *out);

/* Daily AQI, primary pollutants and edition of a day whose concentrations are set
 * (called by airq_days and airq_aggregate; exposed for callers with daily data). */
void airq_day_index(airq_day *d, int64_t day, const airq_opts *o);

/* Zone (city, district) daily values from nst stations: st[i][0 … ndays−1]. Each pollutant's
 * zone value is the mean of the valid station values of that day (HJ 663—2013 city-scale
 * evaluation: city concentration = arithmetic mean of the evaluation stations), rounded when
 * round_daily; invalid when no station is valid. The daily AQI is recomputed from the zone values.
 */
void airq_aggregate(const airq_day *const *st, size_t nst, int ndays, int64_t day0,
                    const airq_opts *o, airq_day *out);

/* The other aggregation order: the zone's hourly series, each hour the mean of the valid
 * station values of that hour (kept to 0.001 of the unit, GB/T 8170), from which airq_days
 * then computes the zone's daily values. Which order the national platform uses is not
 * settled (see the reference notes); both are offered. st[i] all share day0 and ndays; out[p]
 * (caller-owned, (ndays + 1) × 24 entries) receives AIRQ_MISSING where no station has a
 * value, and is left untouched when no station monitors p (out[p] may be NULL then). */
void airq_zone_hours(const airq_hourly *const *st, size_t nst, int32_t *const out[AIRQ_NPOLL]);

/* Period statistic of one pollutant. */
typedef struct airq_stat {
    int n;               /* valid daily values in the period */
    int required;        /* minimum valid days for a valid statistic (GB 3095 Table 4) */
    bool valid;          /* n ≥ required and every month's minimum met */
    char why[96];        /* first validity rule that failed; "" when valid */
    int32_t mean;        /* period mean, published precision (milli-units); AIRQ_MISSING if n 0 */
    int pct_p;           /* percentile assessed: 98 SO2/NO2/PM, 95 CO, 90 O3 (HJ 663—2013) */
    int32_t pct;         /* that percentile of the daily values, published precision */
    int32_t stat;        /* value compared with the limit: mean (SO2, NO2, PM10, PM2.5) or pct */
    int32_t limit;       /* limit for stat: annual (SO2 … PM2.5), 24-h (CO), 8-h (O3) */
    int32_t limit_day;   /* daily limit (24-h; O3 8-h) */
    int days_over;       /* days whose daily value exceeds limit_day */
    int32_t index_x100;  /* single-factor index stat/limit, 0.01 */
    int32_t exceed_x100; /* exceedance multiple (stat − limit)/limit, 0.01 (≤ 0: none) */
    bool compliant;      /* stat ≤ limit */
    int64_t sum;         /* sum of the daily values used (milli-units) */
} airq_stat;

/* Plan targets for a calendar year (the zone's 2025 plan: PM2.5 40, good 66.5 %, heavy ≤ 1.2 %). */
typedef struct airq_targets {
    int32_t pm25_ugm3;       /* annual mean PM2.5, µg/m³ (integer, as published) */
    int32_t good_ratio_x10;  /* good-day ratio ≥, 0.1 % (665 = 66.5 %) */
    int32_t heavy_ratio_x10; /* heavy-pollution day ratio ≤, 0.1 % */
} airq_targets;

/* What the rest of a year in progress must achieve (remaining days assumed all valid). */
typedef struct airq_progress {
    bool in_progress;        /* the period is a calendar year not yet over */
    int elapsed_days;        /* days from 1 January to the last day with data */
    int remaining_days;      /* days left in the year */
    int expected_valid_days; /* valid days so far + remaining days */
    /* PM2.5: the largest mean (µg/m³ × 100, rounded down) the remaining days may have
     * for the annual mean, rounded per GB/T 8170, to meet the target. Negative: cannot. */
    int32_t pm25_rest_max_x100;
    bool pm25_reachable;
    int good_needed_total; /* good days the year needs for the ratio target */
    int good_still_needed; /* of which still to come (≥ 0) */
    bool good_reachable;   /* good_still_needed ≤ remaining_days */
    int heavy_allowed_total;
    int heavy_still_allowed; /* negative: already exceeded */
} airq_progress;

typedef struct airq_report {
    int64_t from_day, to_day;    /* the period asked for */
    int64_t data_end_day;        /* last day with any daily value (from_day − 1 if none) */
    int ndays;                   /* days in the period */
    airq_edition limits_edition; /* edition whose limits judge the period statistics */
    const char *limits_name;
    int days_by_edition[2]; /* days judged by 2012 [0] and 2026 [1] rules */
    airq_stat s[AIRQ_NPOLL];
    bool composite_valid;   /* all six statistics available */
    int32_t composite_x100; /* 综合指数, sum of the six single indices, 0.01 */
    int main_pollutant;     /* largest single index (airq_pollutant), −1 if none */
    int valid_days;         /* days with a stated daily AQI: the ratio denominator */
    int good_days, heavy_days, severe_days;                    /* AQI ≤ 100, > 200, > 300 */
    int32_t good_ratio_x10, heavy_ratio_x10, severe_ratio_x10; /* 0.1 %; −1 if no valid days */
    int level_days[6];                                         /* AQI levels I … VI */
    int primary_days[AIRQ_NPOLL]; /* days with p among the primary pollutants */
    bool has_targets;
    airq_targets targets;
    bool pm25_target_met, good_target_met, heavy_target_met;
    airq_progress progress;
} airq_report;

/* Assess the period [from_day, to_day] from daily records days[0 … to_day − from_day].
 * targets may be NULL. scratch: caller-provided room for (to_day − from_day + 1) int32
 * (percentile sorting). Pure; fills *r completely. Returns 0, or −1 if to_day < from_day. */
int airq_assess(const airq_day *days, int64_t from_day, int64_t to_day, const airq_opts *o,
                const airq_targets *targets, int32_t *scratch, airq_report *r);

/* True when a day's AQI is stated for the day counts: every indicator of its edition was
 * valid, or the AQI of the valid ones already exceeds 100 (HJ 633—2026 §5.3.1, applied to
 * both editions so that a day with a gap is never counted as good). */
bool airq_day_stated(const airq_day *d);

#endif
