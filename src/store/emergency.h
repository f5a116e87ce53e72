/* emergency: the stored state of the heavy-pollution emergency response and of fire points
 * and video alarms — warnings, the emergency reduction list (应急减排清单) with its change
 * log, compliance breaches, satellite fire points and camera alarms, each breach, fire and
 * alarm linked to the case it opened or joined (store/office.h's case_file).
 *
 * Schema migration 3 (docs/storage.md). Like store.h and office.h this layer speaks plain
 * values only; every rule (levels, shares, clustering, deduplication) lives in
 * service/emergency and service/fires.
 *
 * Append-only: warnings, list changes, breaches, fire points and video alarms; the schema's
 * triggers refuse UPDATE and DELETE. The list itself is editable, each edit logged.
 *
 * Transactions: a function runs inside the caller's transaction when one is open; otherwise
 * each statement commits on its own.
 *
 * Strings passed in are borrowed for the call; strings handed to callbacks are valid only
 * until the callback returns; a non-zero return from a callback stops the iteration and is
 * returned. Errors: a negative EW_E* code with a message in err (err may be NULL). */
#ifndef EW_STORE_EMERGENCY_H
#define EW_STORE_EMERGENCY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* ---- warnings ------------------------------------------------------------------------ */

typedef struct em_warning_row {
    int64_t id;
    const char *level; /* "yellow", "orange", "red" */
    int64_t start_utc, end_utc;
    const char *notice;
    const char *basis; /* "forecast" or "observation" */
    int basis_aqi;     /* the AQI that justified the warning */
    const char *declared_by;
    int64_t declared_utc;
} em_warning_row;
typedef int (*em_warning_fn)(void *ctx, const em_warning_row *w);

/* Insert a warning (w->id ignored); *id_out the new id. */
int em_warning_put(store *s, const em_warning_row *w, int64_t *id_out, char *err,
                   size_t errcap) EW_MUST_CHECK;
/* 1 and fn called once if warning id exists, 0 if not, negative on error. */
int em_warning_get(store *s, int64_t id, em_warning_fn fn, void *ctx, char *err,
                   size_t errcap) EW_MUST_CHECK;
/* Every warning, newest start first. */
int em_warnings_each(store *s, em_warning_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;
/* Warnings begun by to_utc and not ended by from_utc (start_utc <= to, end_utc > from), by id. */
int em_warnings_overlapping(store *s, int64_t from_utc, int64_t to_utc, em_warning_fn fn, void *ctx,
                            char *err, size_t errcap) EW_MUST_CHECK;

/* ---- the emergency reduction list ---------------------------------------------------- */

typedef struct em_list_row {
    const char *enterprise; /* the enterprise's name as store_site.enterprise holds it */
    const char *town;       /* the town (镇/办) responsible for it (属地) */
    const char *grade;      /* "A", "B", "B-", "C", "D", "引领性", "非重点" */
    double base_power_kw;   /* production-line power baseline, kW (hourly mean) */
    double base_emission_kgh;
    double cut_pct[3];       /* required cut of the baseline per level: yellow, orange, red */
    const char *measures[3]; /* the measures per level, as the list words them */
    const char *updated_by;
    int64_t updated_utc;
} em_list_row;
typedef int (*em_list_fn)(void *ctx, const em_list_row *e);

/* Insert or replace the entry of e->enterprise and append one change (actor, detail) to the
 * change log, in one transaction when none is open. */
int em_list_put(store *s, const em_list_row *e, const char *detail, char *err,
                size_t errcap) EW_MUST_CHECK;
/* 1 and fn once, 0 if the enterprise is not listed, negative on error. */
int em_list_get(store *s, const char *enterprise, em_list_fn fn, void *ctx, char *err,
                size_t errcap) EW_MUST_CHECK;
/* Every entry by enterprise name. */
int em_list_each(store *s, em_list_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;
/* Number of change-log entries of enterprise (NULL: all). */
int64_t em_list_changes(store *s, const char *enterprise, char *err, size_t errcap);

/* ---- evidence: hourly power of an enterprise's meters --------------------------------- */

/* The hourly mean over [from_utc, to_utc) of the sum, per hour, of the hourly values of
 * params (any of nparams codes) over the sites of enterprise. Hourly values here and below:
 * the device's own hour data (2061), else the platform's hour from its minutes. *hours_out: hours
 * with data. 0 with *mean_out NAN when there is none. */
int em_power_mean(store *s, const char *enterprise, const char *const *params, size_t nparams,
                  int64_t from_utc, int64_t to_utc, double *mean_out, int *hours_out, char *err,
                  size_t errcap) EW_MUST_CHECK;

/* ---- evidence: hourly values and data presence of an enterprise's sites ---------------- */

typedef struct em_hour_value {
    int64_t hour_utc;
    int64_t site_id;
    const char *param;
    double value; /* the stored hourly value, in the factor's HJ 212 unit */
} em_hour_value;
typedef int (*em_hour_value_fn)(void *ctx, const em_hour_value *v);

/* Every valid hourly value (flag N) of params (any of nparams codes) over the sites of
 * enterprise with from_utc <= hour < to_utc, ordered by hour, then site, then code. */
int em_hour_values(store *s, const char *enterprise, const char *const *params, size_t nparams,
                   int64_t from_utc, int64_t to_utc, em_hour_value_fn fn, void *ctx, char *err,
                   size_t errcap) EW_MUST_CHECK;

typedef struct em_site_presence {
    int64_t site_id;
    int64_t values; /* hours with any hourly value (any factor, any flag) in the window */
} em_site_presence;
typedef int (*em_site_presence_fn)(void *ctx, const em_site_presence *p);
/* Every site of enterprise, by id, with the number of hours of [from_utc, to_utc) that have
 * an hourly value of a known factor (the parameter table) or of params (any of nparams
 * codes) (0 for a site without any). */
int em_site_presence_each(store *s, const char *enterprise, const char *const *params,
                          size_t nparams, int64_t from_utc, int64_t to_utc, em_site_presence_fn fn,
                          void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* ---- breaches ------------------------------------------------------------------------ */

typedef struct em_breach_row {
    int64_t warning_id;
    const char *enterprise;
    int64_t at_utc;
    double mean_kw, allowed_kw;
    int64_t case_id;
} em_breach_row;
typedef int (*em_breach_fn)(void *ctx, const em_breach_row *b);

/* 1 and *case_id (may be NULL) if (warning, enterprise) has a breach, 0 if not. */
int em_breach_find(store *s, int64_t warning_id, const char *enterprise, int64_t *case_id,
                   char *err, size_t errcap) EW_MUST_CHECK;
int em_breach_put(store *s, const em_breach_row *b, char *err, size_t errcap) EW_MUST_CHECK;
int em_breaches_each(store *s, int64_t warning_id, em_breach_fn fn, void *ctx, char *err,
                     size_t errcap) EW_MUST_CHECK;

/* Breaches found on monitoring data beside the power rule (migration 12): kind "emission"
 * (the CEMS emission rate over the cut) or "silent" (sites that stopped sending). One per
 * (warning, enterprise, kind): the key is the deduplication. value / allowed: kg/h for
 * emission; for silent the number of silent sites and 0. Append-only. */
typedef struct em_data_breach_row {
    int64_t warning_id;
    const char *enterprise;
    const char *kind;
    int64_t at_utc;
    double value, allowed;
    int64_t case_id;
} em_data_breach_row;
/* 1 and *case_id (may be NULL) if (warning, enterprise, kind) has a breach, 0 if not. */
int em_data_breach_find(store *s, int64_t warning_id, const char *enterprise, const char *kind,
                        int64_t *case_id, char *err, size_t errcap) EW_MUST_CHECK;
int em_data_breach_put(store *s, const em_data_breach_row *b, char *err,
                       size_t errcap) EW_MUST_CHECK;

/* ---- fire points --------------------------------------------------------------------- */

typedef struct em_fire_row {
    int64_t id;
    int64_t ts_utc;
    double lon, lat;
    int confidence; /* 0–100 */
    const char *source;
    const char *town;
    int64_t case_id;
} em_fire_row;
typedef int (*em_fire_fn)(void *ctx, const em_fire_row *f);

/* Insert; 1 if stored, 0 if the same point (time, place, source) was already stored. */
int em_fire_put(store *s, const em_fire_row *f, char *err, size_t errcap) EW_MUST_CHECK;
/* Fire points of town with from_utc <= ts_utc <= to_utc, by time. */
int em_fires_near(store *s, const char *town, int64_t from_utc, int64_t to_utc, em_fire_fn fn,
                  void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* Every fire point with from_utc <= ts_utc < to_utc, by time. */
int em_fires_each(store *s, int64_t from_utc, int64_t to_utc, em_fire_fn fn, void *ctx, char *err,
                  size_t errcap) EW_MUST_CHECK;

/* Per town over fire points with ts in [from_utc, to_utc): points, distinct cases, cases
 * that had a response (a second event in their log) and the mean seconds from a case's
 * creation to its response (NAN when none). */
typedef struct em_town_fires {
    const char *town;
    int64_t points, cases, responded;
    double mean_response_s;
} em_town_fires;
typedef int (*em_town_fires_fn)(void *ctx, const em_town_fires *t);
int em_fires_by_town(store *s, int64_t from_utc, int64_t to_utc, em_town_fires_fn fn, void *ctx,
                     char *err, size_t errcap) EW_MUST_CHECK;

/* ---- public reports joined to a fire's case ------------------------------------------- */

/* A public report of open burning (case_id) joined to the case of the fire it reports
 * (fire_case_id), distance_m from the nearest point of that fire. Append-only: a report
 * joins once. */
typedef struct em_fire_report_row {
    int64_t case_id;
    int64_t fire_case_id;
    double distance_m;
    int64_t joined_utc;
} em_fire_report_row;
typedef int (*em_fire_report_fn)(void *ctx, const em_fire_report_row *r);
/* Insert; 1 if stored, 0 if case_id had already joined a case (nothing changes). */
int em_fire_report_put(store *s, const em_fire_report_row *r, char *err,
                       size_t errcap) EW_MUST_CHECK;
/* 1 and *row if case_id joined a fire's case, 0 if not (*row untouched). */
int em_fire_report_of(store *s, int64_t case_id, em_fire_report_row *row, char *err,
                      size_t errcap) EW_MUST_CHECK;
/* The reports joined to fire_case_id, by case id. */
int em_fire_reports_each(store *s, int64_t fire_case_id, em_fire_report_fn fn, void *ctx, char *err,
                         size_t errcap) EW_MUST_CHECK;

/* A case that has not joined a fire's case (no fire_report row of its own). */
typedef struct em_unjoined_case {
    int64_t case_id;
    int64_t created_utc;
    double lon, lat; /* 0, 0: no position */
} em_unjoined_case;
typedef int (*em_unjoined_case_fn)(void *ctx, const em_unjoined_case *r);
/* The cases of source and category (case_source_name, case_category_name) created in
 * [from_utc, to_utc] that joined no fire's case, by time. Which cases may join is the
 * caller's rule (service/fires.h). fn returns 0 to go on, 1 to stop (the call returns 0) or
 * a negative error (returned). */
int em_unjoined_cases(store *s, const char *source, const char *category, int64_t from_utc,
                      int64_t to_utc, em_unjoined_case_fn fn, void *ctx, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* ---- video alarms -------------------------------------------------------------------- */

typedef struct em_video_row {
    const char *camera;
    int64_t ts_utc;
    const char *kind;
    const char *image_key; /* attachment key, NULL if none */
    const char *reported_by;
    int64_t case_id;
} em_video_row;

/* 1 and *case_id of the earliest alarm of camera with from_utc <= ts_utc < to_utc, 0 if none. */
int em_video_find(store *s, const char *camera, int64_t from_utc, int64_t to_utc, int64_t *case_id,
                  char *err, size_t errcap) EW_MUST_CHECK;
int em_video_put(store *s, const em_video_row *v, int64_t *id_out, char *err,
                 size_t errcap) EW_MUST_CHECK;

/* ---- river emergency plans (一河一策一图) and water incidents (migration 13) ------------ */

/* A river's plan, stored as one document: its JSON text as service/riverplan validated it
 * (the sections upstream → downstream, contacts, materials, drills). A zone has a handful of
 * rivers, and a plan is edited and read as a whole. */
typedef struct em_river_row {
    const char *code, *name;
    const char *doc; /* JSON object text */
    const char *updated_by;
    int64_t updated_utc;
} em_river_row;
typedef int (*em_river_fn)(void *ctx, const em_river_row *r);
/* Insert or replace the plan of r->code. */
int em_river_put(store *s, const em_river_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* Every plan, by code. */
int em_rivers_each(store *s, em_river_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* A sudden water-quality incident at a section: the hour and item that set it off, the
 * value, the target class's limit and the ratio (value / limit), and the emergency case.
 * One per section and Beijing day (the key is the deduplication). Append-only. */
typedef struct em_incident_row {
    const char *river, *section;
    int64_t day; /* Beijing day (ew_days_from_civil) */
    int64_t hour_utc;
    const char *item;
    double value, limit, ratio;
    int64_t case_id;
} em_incident_row;
typedef int (*em_incident_fn)(void *ctx, const em_incident_row *r);
/* 1 and *case_id (may be NULL) if section has an incident on day, 0 if not. */
int em_incident_find(store *s, const char *section, int64_t day, int64_t *case_id, char *err,
                     size_t errcap) EW_MUST_CHECK;
int em_incident_put(store *s, const em_incident_row *r, char *err, size_t errcap) EW_MUST_CHECK;
/* The incidents of river (NULL: all), newest first. */
int em_incidents_each(store *s, const char *river, em_incident_fn fn, void *ctx, char *err,
                      size_t errcap) EW_MUST_CHECK;

#endif
