/* air: the zone's air quality from stored hourly data — the one place that turns what the
 * store holds into station days, zone days, the real-time AQI and the town ranking.
 *
 * The rules are the standards engine's (standards/airq, standards/aqi): which hours count
 * (hj212_flag_normal, HJ 212 data flags), how an hour is labelled (HJ 663 Table A.1: by its
 * end), the zone value (HJ 663—2013 §5.2: mean of the stations). This module only gathers the
 * inputs and hands back typed results; the HTTP API and the CLI render them.
 *
 * Memory: every result owns its memory until its *_free; strings inside point into it.
 * On failure an output holds nothing to free (its *_free is still safe to call). */
#ifndef EW_SERVICE_AIR_H
#define EW_SERVICE_AIR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "standards/airq.h"
#include "standards/aqi.h"
#include "store/read.h"


typedef struct air_station {
    int64_t id;
    char *name; /* "" when the site has none */
    char *town; /* "" when not assigned */
} air_station;

/* The air stations' hours and days of Beijing days [day0, day0 + ndays). */
typedef struct air_period {
    size_t nst;
    air_station *st; /* ascending id */
    int64_t day0;
    int ndays;
    int32_t *v;     /* hour labels: [nst][AIRQ_NPOLL][(ndays + 1) * 24], milli-units */
    airq_day *days; /* [nst][ndays] */
    airq_day *zone; /* [ndays] */
} air_period;

/* Load and compute a period under the options o. EW_OK, or EW_EINTERNAL with err filled
 * (reading failed). *out is always initialised; air_period_free it in both cases. */
int air_load(ew_reader *db, int64_t day0, int ndays, const airq_opts *o, air_period *out,
             char *err, size_t errcap) EW_MUST_CHECK;
void air_period_free(air_period *a);

/* Number of hour labels per pollutant and station ((ndays + 1) * 24: the labels 01–24 of each
 * day need the last hour of the day before). */
size_t air_hours_len(const air_period *a);
/* Value of station s, pollutant p, label index i (AIRQ_MISSING if none). */
int32_t air_hour(const air_period *a, size_t s, int p, size_t i);
/* The days of station s ([ndays]). */
const airq_day *air_station_days(const air_period *a, size_t s);
/* Index of the station with site id, or -1. */
ptrdiff_t air_station_index(const air_period *a, int64_t id);

/* ---- real-time AQI ---- */

typedef struct air_now_row {
    ptrdiff_t st;    /* station index in period, -1 for the zone */
    aqi_input in;    /* the 1-h concentrations used (AQI_NA missing) */
    aqi_result res;  /* HJ 633 hourly AQI */
} air_now_row;

typedef struct air_now {
    air_period period;    /* yesterday and today */
    bool have;            /* an hour with data in the last 3 hours */
    int64_t label_utc;    /* the hour's label (its end), when have */
    aqi_rules rules;      /* the edition the rows were computed with, when have */
    size_t nrows;
    air_now_row *rows;    /* stations that have an AQI, in station order */
    bool has_zone;
    air_now_row zone;     /* the zone: 1-h means of the stations (GB/T 8170 rounded) */
} air_now;

/* The newest hour with data among the last 3 at now_utc (HJ 633 §5: the hourly report uses
 * the 1-h values). ed AIRQ_ED_AUTO: the edition in force at that hour. EW_OK or
 * EW_EINTERNAL (err filled); *out initialised either way, air_now_free it. */
int air_now_at(ew_reader *db, int64_t now_utc, airq_edition ed, air_now *out, char *err,
               size_t errcap) EW_MUST_CHECK;
void air_now_free(air_now *n);

/* ---- ranking of towns ---- */

typedef struct air_rank_station {
    int64_t site_id;
    const char *name, *town; /* town "未划分" when none; point into the period */
    bool has_pm25, has_aqi;
    double pm25;     /* mean of the valid daily PM2.5, µg/m³, 0.1 */
    double mean_aqi; /* mean of the stated daily AQI, 0.1 */
} air_rank_station;

typedef struct air_rank_town {
    int rank;         /* 1 = cleanest */
    const char *town; /* points into the period */
    int stations;
    bool has_pm25, has_aqi;
    double pm25, mean_aqi, good_ratio_pct; /* 0.1; good_ratio_pct valid when has_aqi */
} air_rank_town;

typedef struct air_ranking {
    air_period period;
    size_t nst, ntowns;
    air_rank_station *st;
    air_rank_town *towns; /* by PM2.5 ascending (missing last), then town name */
} air_ranking;

/* Towns ranked by the mean of their stations' daily values over the period. EW_OK or
 * EW_EINTERNAL (err filled); *out initialised either way, air_ranking_free it. */
int air_rank(ew_reader *db, int64_t day0, int ndays, const airq_opts *o, air_ranking *out,
             char *err, size_t errcap) EW_MUST_CHECK;
void air_ranking_free(air_ranking *r);

#endif
