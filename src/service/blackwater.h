/* blackwater: black-odorous water bodies (黑臭水体) — their list and their points' samplings
 * in by CSV, and each body's grade by the 2015 guide (standards/blackodor.h) out.
 *
 * Formats (docs/import-formats.md): bodies "code,name,area" (area built_up or rural);
 * samplings "body,point,seq,time,sd_cm,do,orp_mv,nh3n,depth_cm" (seq: the point's order
 * along the body; an empty value was not measured; at least one of the four indicators).
 *
 * A body's grade in a year is the grade of its latest campaign: the guide grades a body
 * from several samplings 1–7 days apart, so the samplings within BLACKWATER_CAMPAIGN_DAYS
 * before the body's latest sampling of the year so far are one campaign (a body cleaned up
 * in June is not still counted for its January samplings). Each point is graded from its
 * samplings of the campaign, the body from its points in seq order.
 *
 * Errors follow base/err.h; on failure outputs are unchanged. */
#ifndef EW_SERVICE_BLACKWATER_H
#define EW_SERVICE_BLACKWATER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/lineimport.h"
#include "standards/blackodor.h"
#include "store/read.h"
#include "store/store.h"

enum { BLACKWATER_CAMPAIGN_DAYS = 30 };

/* Import the bodies or the samplings CSV text: every good line stored in one transaction,
 * each bad line reported through on_error and skipped (service/lineimport.h). *stored and
 * *bad count them. Returns 0 (even with bad lines), or a negative store error (nothing
 * stored). */
int blackwater_import_bodies(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                             void *ctx, int *stored, int *bad, char *err,
                             size_t errcap) EW_MUST_CHECK;
int blackwater_import_samples(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                              void *ctx, int *stored, int *bad, char *err,
                              size_t errcap) EW_MUST_CHECK;

/* One body's grade in a year. */
typedef struct blackwater_body {
    char code[64], name[128];
    bool rural;
    bool graded;          /* sampled in the period: grade holds its latest campaign */
    int64_t last_utc;     /* its latest sampling in the period (graded only) */
    size_t samplings;     /* samplings in the campaign */
    bool enough;          /* ≥ the guide's points, and every point ≥ its samplings */
    blackodor_body grade; /* level, points, heavy and light points, stretches */
} blackwater_body;
typedef int (*blackwater_fn)(void *ctx, const blackwater_body *b);

/* Every body in Beijing year as seen at now_utc (1 January up to now, or the whole year),
 * by code: fn(ctx, b) once per body (b borrowed for the call). Returns 0, what fn returned
 * when it stopped, or a negative error (err names the body and sampling). */
int blackwater_year_each(ew_reader *db, int year, int64_t now_utc, blackwater_fn fn, void *ctx,
                         char *err, size_t errcap) EW_MUST_CHECK;

/* The plan statistic st for year as seen at now_utc. Known:
 * "water.black_odorous_bodies_built_up", the built-up bodies whose latest campaign graded
 * them light or heavy (count). site is not used. Returns 1 with *value set; 0 when st is
 * not this one or no built-up body was sampled in the period; negative on error. */
int blackwater_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                         double *value, char *err, size_t errcap) EW_MUST_CHECK;

#endif
