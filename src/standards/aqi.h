/* aqi: the Ambient Air Quality Index of HJ 633, both editions, in exact arithmetic.
 *
 * One engine, two rule tables: HJ 633—2012 (in force until 2026-02-28) and HJ 633—2026 (from
 * 2026-03-01). Every function takes the edition explicitly; aqi_rules_in_force() gives the
 * edition of a Beijing-time day for callers that judge "by the rules of the day".
 *
 * Units and representation. A concentration is an int64 count of thousandths of the
 * standard's unit: µg/m³ for SO2, NO2, O3, PM10, PM2.5, mg/m³ for CO (so CO 2.2 mg/m³ is
 * 2200, PM2.5 75 µg/m³ is 75000). The IAQI interpolation (HJ 633 eq. 1) is then a ratio of
 * integers and its round-up (2012 §6.2, 2026 §4.2.6) an exact integer ceiling: CO-24h 2.2 gives
 * 55, where a double computation gives 56. AQI_NA marks a missing value.
 *
 * Scale. IAQI and AQI are 0..500. A concentration above the table's top breakpoint has no
 * IAQI in either edition; it is reported as AQI_BEYOND_SCALE (501, to be shown as ">500"),
 * never clamped silently to 500.
 *
 * Pure functions over caller-owned structs: no allocation, no I/O, no state. */
#ifndef EW_STANDARDS_AQI_H
#define EW_STANDARDS_AQI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "standards/edition.h"

/* The edition of the AQI rules: the values are the editions' years. */
typedef ew_edition aqi_rules;
#define AQI_RULES_2012 EW_EDITION_2012
#define AQI_RULES_2026 EW_EDITION_2026

/* The edition in force on a Beijing-time calendar day (2026 from 2026-03-01). */
aqi_rules aqi_rules_in_force(int bj_year, int bj_mon, int bj_day);

/* The six pollutants of the AQI, in the order of HJ 633 Table 1. Sets of pollutants are bit
 * masks of (1u << aqi_pollutant). */
typedef enum aqi_pollutant {
    AQI_SO2,
    AQI_NO2,
    AQI_PM10,
    AQI_CO,
    AQI_O3,
    AQI_PM25,
    AQI_POLLUTANT_COUNT
} aqi_pollutant;

/* Indicators: a pollutant and its averaging period (HJ 633 Table 1 columns). For a daily
 * report the 24-h items are daily means, O3_1H the daily maximum 1-h value and O3_8H the
 * daily maximum 8-h moving mean. For an hourly (real-time) report the 1-h items are the hour's
 * values, SO2_24H / PM*_24H the 24-h moving means and O3_8H the 8-h moving mean.
 * PM10_1H and PM25_1H are interpolated on the 24-h breakpoints (HJ 633—2026 §4.2.4; the
 * national practice under 2012, see docs/air-rules.md). */
typedef enum aqi_item {
    AQI_SO2_24H,
    AQI_SO2_1H,
    AQI_NO2_24H,
    AQI_NO2_1H,
    AQI_PM10_24H,
    AQI_PM10_1H,
    AQI_CO_24H,
    AQI_CO_1H,
    AQI_O3_1H,
    AQI_O3_8H,
    AQI_PM25_24H,
    AQI_PM25_1H,
    AQI_ITEM_COUNT
} aqi_item;

/* Report kinds: real-time (实时报, one hour) and daily (日报, one day). */
typedef enum aqi_period { AQI_HOURLY, AQI_DAILY } aqi_period;

#define AQI_NA INT64_MIN     /* a missing concentration */
#define AQI_NONE (-1)        /* no IAQI / AQI: no value, or none defined by the standard */
#define AQI_BEYOND_SCALE 501 /* above the top breakpoint: shown as ">500" */

/* Errors (negative). */
enum {
    AQI_ERR_NEGATIVE = -1,  /* a concentration below zero */
    AQI_ERR_UNDEFINED = -2, /* HJ 633—2012 computes no IAQI from this value: SO2 1-h > 800,
                               O3 8-h > 800 (Table 1 notes 2 and 3); the report falls back
                               to the 24-h / 1-h value */
    AQI_ERR_ITEM = -3,      /* not an aqi_item / aqi_rules / aqi_period */
};

/* Notes on a result (bits of aqi_result.notes). */
enum {
    AQI_NOTE_SO2_1H_OVER_800 = 1u << 0, /* special rule applied (2012 fallback or 2026 = 200) */
    AQI_NOTE_O3_8H_OVER_800 = 1u << 1,  /* special rule applied (2012 fallback or 2026 = 300) */
    AQI_NOTE_BEYOND_SCALE = 1u << 2,    /* some IAQI is AQI_BEYOND_SCALE */
    AQI_NOTE_INPUT_ROUNDED = 1u << 3,   /* 2026 §4.2.2 rounding changed some input */
};

/* Concentrations of one report, thousandths of µg/m³ (CO: of mg/m³); AQI_NA = missing. */
typedef struct aqi_input {
    int64_t milli[AQI_ITEM_COUNT];
} aqi_input;

/* Set every concentration of in to AQI_NA. */
void aqi_input_init(aqi_input *in);

typedef struct aqi_result {
    aqi_rules rules;   /* the edition that produced every figure below */
    aqi_period period; /* hourly or daily */
    /* 0..500, AQI_BEYOND_SCALE, or AQI_NONE when no pollutant of the report had an IAQI. */
    int aqi;
    /* 1..6 (一级..六级) from aqi; 0 when aqi is AQI_NONE. */
    int level;
    /* Per indicator: the IAQI of the supplied value (0..500, AQI_BEYOND_SCALE), AQI_NONE if not
     * supplied or not defined (2012 SO2-1h / O3-8h above 800). Items not in this report
     * (e.g. O3_8H in an hourly report) are still computed here for display; they do not
     * enter aqi (see `ignored`). */
    int iaqi[AQI_ITEM_COUNT];
    /* The concentration that entered the interpolation: the input, rounded per 2026 §4.2.2
     * under the 2026 rules; AQI_NA where not supplied. */
    int64_t used_milli[AQI_ITEM_COUNT];
    /* Per pollutant: the IAQI that counts in this report after the special rules (2012 daily:
     * max of the O3 1-h and 8-h IAQIs); AQI_NONE when unavailable. */
    int pollutant_iaqi[AQI_POLLUTANT_COUNT];
    /* Pollutants with the largest IAQI when aqi > 50; ties all listed (2012 §4.4.2, 2026
     * §4.3.1). Empty when aqi ≤ 50 or AQI_NONE. Bits 1u << aqi_pollutant. */
    unsigned primary;
    /* 超标污染物, IAQI > 100 (HJ 633—2012 §4.4). Always empty under 2026 (deleted). */
    unsigned exceeding;
    /* Pollutants of this report without an IAQI (no value, or no fallback value). */
    unsigned missing;
    /* Items supplied but not entering this report's AQI (bits 1u << aqi_item). */
    unsigned ignored;
    unsigned notes; /* AQI_NOTE_* */
    /* HJ 633—2026 §5.3.1: with a pollutant missing, AQI, primary pollutant, level and category
     * are published only when aqi > 100. Under 2012: true whenever aqi is not AQI_NONE. */
    bool publishable;
} aqi_result;

/* IAQI of one concentration (thousandths) of indicator it under rules r. Applies the
 * edition's input rounding (2026 §4.2.2: integers, CO 0.1 mg/m³, GB/T 8170) and the special
 * rules of a single value (2026: SO2 1-h > 800 → 200, O3 8-h > 800 → 300). On success *out is
 * 0..500 or AQI_BEYOND_SCALE. Errors: AQI_ERR_NEGATIVE, AQI_ERR_UNDEFINED (2012 SO2 1-h > 800
 * or O3 8-h > 800), AQI_ERR_ITEM; *out is then AQI_NONE. */
int aqi_iaqi(aqi_rules r, aqi_item it, int64_t c_milli, int *out)
    __attribute__((warn_unused_result));

/* The AQI report of period p from the values in `in` under rules r:
 *  daily  2012: SO2, NO2, PM10, CO, PM2.5 24-h, O3 1-h max, O3 8-h max (2012 §5)
 *  daily  2026: SO2, NO2, PM10, CO, PM2.5 daily, O3 8-h max (2026 §4)
 *  hourly both: SO2, NO2, PM10, CO, O3, PM2.5 1-h (2026 §4, §4.2.4; 2012 practice)
 * with the special rules (2012 hourly: SO2 1-h > 800 → SO2_24H's IAQI; 2012 daily: O3 8-h
 * > 800 → O3_1H's IAQI). Missing values are allowed: the AQI is the maximum of the available
 * IAQIs and `missing` lists the gaps. Returns 0 and fills *out; or AQI_ERR_NEGATIVE with
 * *bad (if bad is not NULL) naming the first negative item; or AQI_ERR_ITEM for rules or p
 * out of range. On error *out is unchanged. */
int aqi_compute(aqi_rules r, aqi_period p, const aqi_input *in, aqi_result *out, aqi_item *bad)
    __attribute__((warn_unused_result));
/* Shorthands for aqi_compute(r, AQI_HOURLY / AQI_DAILY, ...). */
int aqi_hourly(aqi_rules r, const aqi_input *in, aqi_result *out, aqi_item *bad)
    __attribute__((warn_unused_result));
int aqi_daily(aqi_rules r, const aqi_input *in, aqi_result *out, aqi_item *bad)
    __attribute__((warn_unused_result));

/* Level of an AQI (HJ 633—2012 Table 2, unchanged in 2026): 1 for 0..50, 2 for 51..100, 3 for
 * 101..150, 4 for 151..200, 5 for 201..300, 6 above 300 (AQI_BEYOND_SCALE too); 0 for
 * AQI_NONE or other negatives. Identical in both editions. */
int aqi_level(int aqi);

/* Level, category and colour of a level (HJ 633 Table 2, Appendix A). Static data. */
typedef struct aqi_level_info {
    int level;               /* 1..6 */
    int aqi_lo, aqi_hi;      /* AQI range of the level; aqi_hi of level 6 is 500 */
    const char *level_zh;    /* "一级" .. "六级" */
    const char *level_roman; /* "I" .. "VI" */
    const char *category_zh; /* "优", "良", "轻度污染", "中度污染", "重度污染", "严重污染" */
    const char *category_en; /* "Excellent", "Good", "Lightly polluted", ... */
    const char *colour_zh;   /* "绿色" .. "褐红色" */
    const char *colour_en;   /* "green" .. "maroon" */
    const char *rgb_hex;     /* "#00E400" .. */
    unsigned char rgb[3];
    unsigned char cmyk[4]; /* percent */
} aqi_level_info;
/* Info of level 1..6, or NULL for anything else. */
const aqi_level_info *aqi_level_info_of(int level);

/* Names. aqi_pollutant_name: "SO2", "NO2", "PM10", "CO", "O3", "PM2.5" (the national
 * dataset's names); aqi_pollutant_name_zh: "二氧化硫", …, "细颗粒物". aqi_item_name:
 * "SO2_24h", "SO2_1h", …, "O3_1h", "O3_8h", "PM2.5_24h", "PM2.5_1h". Static strings; NULL for
 * values out of range. */
const char *aqi_pollutant_name(aqi_pollutant p);
const char *aqi_pollutant_name_zh(aqi_pollutant p);
const char *aqi_item_name(aqi_item it);
aqi_pollutant aqi_item_pollutant(aqi_item it);

/* The indicator a national-dataset name denotes in a report of period p (n bytes, case as
 * written). Daily: "SO2", "NO2", "PM10", "CO", "PM2.5" = 24-h means (also with "_24h"),
 * "O3" / "O3_1h" = daily max 1-h, "O3_8h" = daily max 8-h. Hourly: plain names and "_1h"
 * names = 1-h values, "_24h" names = 24-h moving means, "O3_8h" = 8-h moving mean. Returns 0,
 * or -1 for an unknown name. */
int aqi_item_parse(aqi_period p, const char *name, size_t n, aqi_item *out);

/* True for the items measured in mg/m³ (CO); the others are in µg/m³ (both editions). */
bool aqi_item_is_mg(aqi_item it);

#endif
