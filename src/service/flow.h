/* flow: ecological flow (生态流量) of river control sections — the sections and their daily
 * mean flows in, each section's compliance over a year out (standards/ecoflow.h).
 *
 * Intake by CSV (docs/import-formats.md, "Flow sections", "Daily flows"). A section's year
 * runs from 1 January to the last complete Beijing day as seen at now_utc (the whole year
 * once it is over); a day meets the target when its mean is at least the section's base
 * flow; days without a stored mean are missing and exempt days are left out, both counted
 * (ecoflow_period). The base flow is one figure per section: seasonal base flows are not
 * stored yet.
 *
 * The plan's "重点河流控制断面生态流量达标率达到90%以上" is read section by section (every
 * control section at 90 % or above): the zone's value is the lowest section's rate, so it
 * reaches the target exactly when every rated section does.
 *
 * Units: flows int64 thousandths of m³/s, rates thousandths of a percent (ECOFLOW_NA when
 * absent). Errors follow base/err.h; on failure outputs are unchanged. */
#ifndef EW_SERVICE_FLOW_H
#define EW_SERVICE_FLOW_H
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/lineimport.h"
#include "standards/ecoflow.h"
#include "store/read.h"
#include "store/store.h"

/* Import the section list CSV (header "code,name,base_m3s"; base > 0, at most three
 * decimals). Conventions of lineimport_run. */
int flow_import_sections(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                         void *ctx, int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;
/* Import daily flows CSV (header "section,date,mean_m3s,exempt"; date YYYY-MM-DD Beijing,
 * mean ≥ 0 with at most three decimals, exempt 0/1). A day already stored for the section
 * is replaced; days of a section not in the list are kept and count once it is imported. */
int flow_import_days(store *s, const char *text, size_t n, lineimport_error_fn on_error, void *ctx,
                     int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;

/* A section's year. */
typedef struct flow_section_year {
    char code[64], name[128];
    int64_t base_milli;
    ecoflow_rate rate;
} flow_section_year;
typedef int (*flow_year_fn)(void *ctx, const flow_section_year *y);

/* Every section's compliance in Beijing year as seen at now_utc, by code. *last_day (may be
 * NULL) receives the last day judged, or INT64_MIN when no day of the year is complete.
 * Returns 0, what fn returned when it stopped, or a negative error. */
int flow_year_each(ew_reader *db, int year, int64_t now_utc, int64_t *last_day, flow_year_fn fn,
                   void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* The value of plan statistic st for year as seen at now_utc. Known:
 *   "water.eco_flow_compliance": the lowest rated section's rate, in %.
 * site (the plan target's object, service/plan.h) is not used: the statistic is of every
 * section. Returns 1 with *value set; 0 when st is not this one or no section is rated;
 * negative on error (*value unchanged). */
int flow_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                   double *value, char *err, size_t errcap) EW_MUST_CHECK;

#endif
