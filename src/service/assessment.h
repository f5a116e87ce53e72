/* assessment: the one document form of an air-quality assessment (standards/airq's
 * airq_report), rendered identically by `envwatch assess --json` and by
 * GET /api/v1/assessment, so a figure never reads differently on the two.
 *
 * { "period": {"from","to","days","data_end"},
 *   "rules": {"requested": "auto"|"2012"|"2026", "days_2012", "days_2026",
 *             "limits_edition": "2012"|"2026", "limits": "GB 3095—…", "class": 1|2,
 *             "hour_labels": "01-24"|"00-23", "aggregate": "days"|"hours"},
 *   "pollutants": [{"name","name_zh","unit","statistic","value","mean","percentile",
 *                   "percentile_value","limit","daily_limit","days_over_daily_limit",
 *                   "index","exceedance","compliant","valid_days","required_days","valid",
 *                   "invalid_reason"}],
 *   "composite_index": number|null, "main_pollutant": "PM2.5"|null,
 *   "days": {"valid","good","good_ratio","heavy","heavy_ratio","severe","severe_ratio",
 *            "by_level": [6 counts, 优 … 严重], "by_primary": {"PM2.5": n, …}},
 *   "targets": {"pm25","good_ratio","heavy_ratio","pm25_met","good_met","heavy_met"},
 *   "rest_of_year": null | {"elapsed_days","remaining_days","pm25_max_mean",
 *            "pm25_reachable","good_days_needed","good_days_still_needed","good_reachable",
 *            "heavy_days_allowed","heavy_days_still_allowed"} }
 * "targets" and "rest_of_year" are present only when the report was assessed against
 * targets. Concentrations are numbers in µg/m³ (CO mg/m³) at the published precision;
 * indices have 2 decimals, ratios are percentages with 1 decimal. Callers add what only they
 * know (the CLI: "stations" and "input"; the API: "scope"). */
#ifndef EW_SERVICE_ASSESSMENT_H
#define EW_SERVICE_ASSESSMENT_H
#include <stdbool.h>

#include <jansson.h>

#include "standards/airq.h"

typedef struct assessment_how {
    airq_edition requested; /* the rules asked for: AIRQ_ED_AUTO, _2012 or _2026 */
    const airq_opts *o;     /* the options the report was computed with (class, hours) */
    bool by_hours;          /* zone values from zone hourly means (else from station days) */
} assessment_how;

/* The document of r. Returns a new reference the caller owns (json_decref); never NULL. */
json_t *assessment_json(const airq_report *r, const assessment_how *how);

/* One station's summary as the CLI lists it beside the zone: {"code","name","valid_days",
 * "statistics": {"SO2": value, …},"composite_index","good_ratio"}. name may be NULL. */
json_t *assessment_station_json(const airq_report *q, const char *code, const char *name);

/* A concentration in milli-units as the document shows it: null when missing, an integer
 * when whole (CO always as a number with decimals). New reference. */
json_t *assessment_conc_json(airq_pollutant p, int32_t milli);

/* The statistic of a pollutant's period value, in English and Chinese ("annual mean",
 * "24-h 95th percentile", "MDA8 90th percentile"; HJ 663 §5.2). Static strings. */
const char *assessment_statistic_name(airq_pollutant p);
const char *assessment_statistic_name_zh(airq_pollutant p);

#endif
