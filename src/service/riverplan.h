/* riverplan: the river emergency plans of the zone plan's task 21 (一河一策一图), and the
 * sudden water-quality incidents they respond to.
 *
 * A plan (docs/river-plans.md) names its river's water sections in upstream → downstream
 * order, the response plan document, the contacts to notify, the emergency material stocks
 * and the drills held with their findings. Plans are loaded from a JSON file, every plan in
 * one transaction or none (the fault's JSON path in err), and each load is audited.
 *
 * Incident rule: an hourly value of a section of a plan (its automatic station's, or a
 * laboratory result in that hour: service/water.h's period of one hour) at or above
 * incident_multiple (default RP_INCIDENT_MULTIPLE) times the limit of the section's target
 * class (GB 3838-2002 Table 1) is a sudden incident. Items without an upper limit (pH, DO,
 * water temperature) are not judged this way. One incident per section and Beijing day
 * opens one emergency case (source monitoring_alert) located at the section; its text names
 * the plan, the downstream sections and the contacts to notify. The response's steps are the
 * case's own actions, each with its time (service/casework).
 *
 * Memory: rp_plans owns everything it holds until riverplan_free. Errors are EW_E* codes with
 * err filled; a failed load stores nothing. */
#ifndef EW_SERVICE_RIVERPLAN_H
#define EW_SERVICE_RIVERPLAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/emergency.h"
#include "store/read.h"
#include "store/store.h"

/* Default incident threshold: twice the target class's limit (超标 1 倍). A design default
 * of the platform, not a number of a standard; each plan may set its own. */
#define RP_INCIDENT_MULTIPLE 2.0
/* How far back a pass looks for incident hours: the station's hours of the last day (a
 * station back online re-sends what it missed). */
#define RP_LOOKBACK_H 24

typedef struct rp_contact {
    const char *name, *org, *duty, *phone;
} rp_contact;
typedef struct rp_material {
    const char *item, *unit, *place;
    double quantity;
} rp_material;
typedef struct rp_drill {
    int64_t day; /* Beijing day (ew_days_from_civil) */
    const char *title, *findings;
} rp_drill;
typedef struct rp_plan {
    const char *code, *name;
    const char *document; /* the response plan's title (or where it is kept) */
    double incident_multiple;
    const char **sections; /* water section codes, upstream first */
    size_t nsections;
    rp_contact *contacts;
    size_t ncontacts;
    rp_material *materials;
    size_t nmaterials;
    rp_drill *drills;
    size_t ndrills;
    em_incident_row *incidents; /* newest first (riverplan_all only) */
    size_t nincidents;
} rp_plan;
typedef struct rp_plans {
    size_t n;
    rp_plan *p;
    arena ar; /* owns the plans and their strings */
} rp_plans;

/* Load a plan file of n bytes: every plan in one transaction (replacing the stored plan of the
 * same code), or none with err naming the JSON path at fault. Sections must exist (db). An
 * audit entry per plan (actor). *count plans loaded. */
int riverplan_load(store *s, ew_reader *db, const char *text, size_t n, const char *actor,
                   int64_t now_utc, int *count, char *err, size_t errcap) EW_MUST_CHECK;

/* Every stored plan by code, with its incidents. *out initialised either way. */
int riverplan_all(store *s, rp_plans *out, char *err, size_t errcap) EW_MUST_CHECK;
void riverplan_free(rp_plans *p);

/* Look for incidents over the RP_LOOKBACK_H hours before now_utc in every plan's sections;
 * store each new one and open its case. *opened: how many. */
int riverplan_check(store *s, ew_reader *db, int64_t now_utc, int *opened, char *err,
                    size_t errcap) EW_MUST_CHECK;

#endif
