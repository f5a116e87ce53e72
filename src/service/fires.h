/* fires: satellite fire points and camera alarms of open burning (zone plan, tasks 15, 16) —
 * each placed in its town (属地), grouped so that one fire opens one case, and counted per
 * town with the time the town took to respond.
 *
 * Placement: the default data hold no town boundaries, so a point goes to the town of the
 * nearest air station that has a town and coordinates (the "station area"); fires_town_of
 * is the one place that decides it, so a boundary file can replace it later.
 *
 * Clustering (one fire, one case): a point joins the case of a stored point of the same town
 * within FIRES_CLUSTER_M metres and FIRES_CLUSTER_S seconds; otherwise it opens a case
 * (source fire_point, category open_burning) located in its town.
 *
 * Video alarms: one case per camera per clock hour (UTC hour = Beijing hour); a second alarm
 * of the same camera in that hour joins the first one's case.
 *
 * Errors are EW_E* codes with err filled. */
#ifndef EW_SERVICE_FIRES_H
#define EW_SERVICE_FIRES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "service/casework.h"
#include "store/emergency.h"
#include "store/read.h"
#include "store/store.h"

#define FIRES_CLUSTER_M 1000.0
#define FIRES_CLUSTER_S (24 * 3600)

/* Great-circle distance in metres (haversine, mean Earth radius 6 371 008.8 m). */
double fires_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Where towns are: one point per town (an air station's position). Borrowed strings. */
typedef struct fires_place {
    const char *town;
    double lon, lat;
} fires_place;
typedef struct fires_towns {
    size_t n;
    fires_place *p; /* owned; strings owned too */
} fires_towns;
/* The air stations with a town and coordinates. EW_OK or EW_EINTERNAL. */
int fires_towns_load(ew_reader *db, fires_towns *out, char *err, size_t errcap) EW_MUST_CHECK;
void fires_towns_free(fires_towns *t);
/* The town of the nearest place, NULL when there is none. Borrowed from t. */
const char *fires_town_of(const fires_towns *t, double lon, double lat);

typedef struct fires_point {
    int64_t ts_utc;
    double lon, lat;
    int confidence;
    const char *source;
} fires_point;

/* Place, store and cluster one point. *case_id the case it opened or joined; *opened true
 * when it opened one. Returns 1 stored, 0 already stored (a repeat of the same record). */
int fires_add(store *s, const fires_towns *t, const fires_point *p, int64_t now_utc,
              int64_t *case_id, bool *opened, char *err, size_t errcap) EW_MUST_CHECK;

/* Import a CSV file (docs/import-formats.md: time,lon,lat,confidence,source). A malformed
 * line stores nothing; a failure while storing keeps the points stored before it (a re-run
 * skips them). *points stored, *cases opened. */
int fires_import_csv(store *s, const fires_towns *t, const char *text, size_t n, int64_t now_utc,
                     int *points, int *cases, char *err, size_t errcap) EW_MUST_CHECK;

/* Points reported through the API (POST /api/v1/events) by who: bureau staff and admins
 * (EW_ROLE_BUREAU, EW_ROLE_ADMIN), as the satellite service's feed is the bureau's; others
 * EW_EFORBIDDEN. Every point is checked first (lon −180–180, lat −90–90, confidence 0–100,
 * a source): one invalid point stores nothing (EW_EINVALID, err names its index). Then as
 * fires_import_csv: placed, stored, clustered; *points stored, *cases opened. Towns are the
 * air stations of db (fires_towns_load). Borrowed for the call. */
int fires_report(store *s, ew_reader *db, const case_actor *who, const fires_point *pts, size_t n,
                 int64_t now_utc, int *points, int *cases, char *err, size_t errcap) EW_MUST_CHECK;

/* Public reports of the same fire (issue: "cases from the public's reports of the same fire
 * join it"). A public report (随手拍) of open burning with a position keeps its own case, so
 * that its reporter follows it by tracking code, and joins the case of the fire it reports:
 * the case of the nearest stored fire point within FIRES_CLUSTER_M metres whose time lies
 * within FIRES_CLUSTER_S of the report. A report that came first joins the case a later
 * point opens or joins (fires_add looks for them). A report joins once (store/emergency.h
 * fire_report, append-only).
 *
 * fires_public_report opens the report (casework_open with who = the public) and joins it.
 * Returns casework_open's result; on success *id_out, tracking and *fire_case_id (the joined
 * case, 0 if none) are filled. A failure to join leaves the report stored and unjoined (a
 * later point joins it), is logged, and does not fail the call. */
int fires_public_report(store *s, const case_report *r, const case_actor *who,
                        const casework_meta *reporter, int64_t now_utc, int64_t *id_out,
                        char tracking[CASE_TRACKING_LEN + 1], int64_t *fire_case_id,
                        case_error *err) EW_MUST_CHECK;

/* The case a report joined: 1 and *fire_case_id, 0 if it joined none, or EW_EINTERNAL. */
int fires_report_joined(store *s, int64_t case_id, int64_t *fire_case_id, char *err,
                        size_t errcap) EW_MUST_CHECK;
/* The report cases joined to fire_case_id, ascending, in *ids (caller frees), *n of them.
 * EW_OK or EW_EINTERNAL (*ids NULL, *n 0). */
int fires_reports_of(store *s, int64_t fire_case_id, int64_t **ids, size_t *n, char *err,
                     size_t errcap) EW_MUST_CHECK;

typedef struct fires_video {
    const char *camera;
    int64_t ts_utc;
    const char *kind;      /* "fire", "smoke", … */
    const char *image_key; /* an attachment key, NULL if none */
} fires_video;
/* Store one alarm reported by who (a logged-in account) and open or join its case. */
int fires_video_alarm(store *s, const fires_video *v, const case_actor *who, int64_t now_utc,
                      int64_t *case_id, bool *opened, char *err, size_t errcap) EW_MUST_CHECK;

#endif
