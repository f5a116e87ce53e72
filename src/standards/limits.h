/* limits: emission limits of the standards that apply to the zone's outlets, as data.
 *
 * One row per (standard, source type, level, parameter): the limit (an exceed_limit, ready
 * for exceed_judge), its averaging period, unit, the reference O2 of flue-gas rows, and how
 * sure the project is of the figure. Most rows have not been checked against the standard's
 * text yet (docs/source-standards.md): a row's `conf` says so, and an outlet's configuration
 * (its permit, 排污许可证) always takes precedence over this table, which serves as the
 * default and as the reference the configuration is checked against.
 *
 * Units: thousandths of the row's unit (mg/m³ for flue gas at standard state, dry, converted
 * to the reference O2; mg/L for wastewater; pH units). Static data; no state. */
#ifndef EW_STANDARDS_LIMITS_H
#define EW_STANDARDS_LIMITS_H
#include <stddef.h>
#include <stdint.h>

#include "standards/exceed.h"

#define LIMITS_NO_O2 INT64_MIN /* the standard judges the measured concentration */

typedef enum limits_period {
    LIMITS_HOURLY, /* 1-h mean (flue gas, automatic monitoring) */
    LIMITS_DAILY,  /* daily mean (wastewater; 24-h composite) */
} limits_period;

/* How a figure is known. */
typedef enum limits_conf {
    LIMITS_CONF_READ,   /* read in a public copy of the standard (reference notes) */
    LIMITS_CONF_CODE,   /* seen in public code tables, not in the text */
    LIMITS_CONF_MEMORY, /* from the researchers' knowledge of the text: to verify */
    LIMITS_CONF_UNSURE, /* conflicting or not found: configure per permit */
} limits_conf;

typedef struct limits_row {
    const char *standard;  /* "GB 13271-2014" */
    const char *source;    /* "coal_boiler", "cement_kiln", "municipal_wwtp", … */
    const char *source_zh; /* "燃煤锅炉" */
    const char *level;     /* "general", "special" (特别排放限值), "ultra_low", "1A", … */
    const char *param;     /* "SO2", "NOx", "PM", "Hg", "NH3", "NMHC", "COD", "NH3-N", … */
    const char *code;      /* HJ 212-2017 Annex B code, or NULL when the annex has none */
    limits_period period;
    exceed_limit limit;
    const char *unit;     /* "mg/m3", "mg/L", "" (pH) */
    int64_t o2_ref_milli; /* reference O2 (%, thousandths), or LIMITS_NO_O2 */
    limits_conf conf;
    const char *note; /* condition or caveat, "" when none */
} limits_row;

/* Rows 0 .. limits_count() − 1, in the table's order; NULL beyond. */
size_t limits_count(void);
const limits_row *limits_row_at(size_t i);

/* The row of (standard, source, level, param), all NUL-terminated and matched exactly, or
 * NULL. The table holds at most one row per such key. */
const limits_row *limits_find(const char *standard, const char *source, const char *level,
                              const char *param);

/* Reference O2 of a source type (the figure of its rows), or LIMITS_NO_O2 for a type without
 * one or unknown. */
int64_t limits_o2_ref(const char *source);

#endif
