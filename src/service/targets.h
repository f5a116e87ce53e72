/* targets: where the plan's targets stand — the value so far, the projection and what the
 * rest of the year must achieve — for the one answer every screen, the API and the CLI show.
 *
 * The targets are the plan file's (service/plan.h): nothing is assumed about their values.
 * Those the monitoring network measures (statistic "airq.pm25_annual_mean",
 * "airq.good_days_ratio", "airq.heavy_days_ratio") are computed by the HJ 663 engine
 * (standards/airq: airq_assess and its progress) on the zone's complete days from 1 January
 * to yesterday; "water.worse_than_v_sections" and "water.compensation_sections_compliance"
 * by service/water (water_statistic);
 * "dust.dustfall_monthly_mean" by service/dust (dust_statistic);
 * "water.eco_flow_compliance" by service/flow (flow_statistic); the others (reported by
 * units, or not measured) carry no value here. The projection is persistence: the rest of
 * the year like the days (or months) already measured.
 *
 * Memory: a targets_result owns its rows until targets_free; row->t points into the plan,
 * which must outlive the result. */
#ifndef EW_SERVICE_TARGETS_H
#define EW_SERVICE_TARGETS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/plan.h"
#include "standards/airq.h"
#include "store/read.h"

typedef enum targets_rest {
    TARGETS_REST_NONE,    /* nothing to say: the year is over, or not measured */
    TARGETS_REST_MEAN,    /* rest: the largest mean the remaining days may have (µg/m³, 0.01) */
    TARGETS_REST_DAYS,    /* rest: good days still needed, or heavy days still allowed */
} targets_rest;

/* Where a measured target stands, the one status every screen, the API and the CLI show
 * (targets_status_name gives its token). A year in progress: ON_TRACK when the projection
 * meets the target; AT_RISK when it misses but the target can still be met (the air targets:
 * what the rest of the year must achieve is still possible; the other media: their value
 * may still change); CANNOT when the rest of the year can no longer make it up. A year that
 * is over: MET or MISSED. NO_DATA: nothing measured, never a colour of success. */
typedef enum targets_status {
    TARGETS_NO_DATA,
    TARGETS_ON_TRACK,
    TARGETS_AT_RISK,
    TARGETS_CANNOT,
    TARGETS_MET,
    TARGETS_MISSED,
} targets_status;

typedef struct targets_row {
    const plan_target *t;
    bool measured;     /* value, projected and on_track below are meaningful */
    double value;      /* so far: µg/m³ or % (0.1) */
    double projected;  /* at the year's end under persistence (today: the value so far) */
    targets_rest rest_kind;
    double rest;       /* see rest_kind */
    bool on_track;     /* year in progress: still reachable; year over: met */
    targets_status status;
} targets_row;

typedef struct targets_result {
    int year;
    bool over;             /* the year has ended (seen at now_utc, Beijing time) */
    airq_edition rules;
    bool has_as_of;
    int64_t as_of_day;     /* last complete day assessed (Beijing day number) */
    bool assessed;         /* the engine ran on at least one day */
    int days_by_edition[2]; /* days judged by the 2012 and the 2026 edition, when assessed */
    size_t n;
    targets_row *rows;     /* one per plan target, in the plan's order */
} targets_result;

/* Every target of pl for year as seen at now_utc, under rules ed. EW_OK, or EW_EINTERNAL
 * with err filled (reading the store failed). *out is initialised either way; targets_free
 * it in both cases. */
/* The plan's three air targets (PM2.5 annual mean, good-days ratio, heavy-days ratio, by
 * their statistic names above) as the airq engine takes them. true with *out filled when the
 * plan names all three; false (and *out zeroed) otherwise, since a missing one has no
 * meaningful default. */
bool targets_air_of(const plan *pl, airq_targets *out);

int targets_compute(ew_reader *db, const plan *pl, int year, airq_edition ed, int64_t now_utc,
                    targets_result *out, char *err, size_t errcap) EW_MUST_CHECK;
void targets_free(targets_result *r);

/* "no_data", "on_track", "at_risk", "cannot", "met", "missed": a static string. */
const char *targets_status_name(targets_status s);

#endif
