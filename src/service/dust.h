/* dust: dust-fall (降尘) samples in, the zone's monthly and annual dust fall out.
 *
 * Intake of the laboratory's weighings by CSV (docs/import-formats.md, "Dust-fall
 * samples"); per Beijing month the value of every point (standards/dustfall.h's
 * dustfall_value, HJ 1221-2021 scaled to 30 days) and the area's mean, maximum and minimum
 * (dustfall_area_mean, control points left out); per year the mean of the monthly means,
 * which is what the plan's "平均降尘量不高于7吨/月·平方公里" is judged on.
 *
 * The plan's target is Zhengzhou's city-wide mean (scope "city"); the value envwatch shows
 * is the mean over the zone's own points, the zone's share of it. Which months count: every
 * month of the year up to the Beijing month holding now_utc that has a sample.
 *
 * Units as standards/dustfall.h: values are int64 thousandths of t/(km²·30 d),
 * DUSTFALL_NA when absent. Errors follow base/err.h; on failure outputs are unchanged. */
#ifndef EW_SERVICE_DUST_H
#define EW_SERVICE_DUST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/lineimport.h"
#include "standards/dustfall.h"
#include "store/read.h"
#include "store/store.h"

/* Import samples CSV text (header
 * "point,month,placed,collected,diameter_cm,m0_g,m1_g,m2_g,invalid,control"; month YYYY-MM,
 * placed/collected Beijing time, diameter in cm and masses in g as weighed, flags 0/1):
 * the conventions of lineimport_run: every good line stored in one transaction, each bad
 * line reported through on_error and skipped. A sample of the same point and month replaces the one
 * stored before. *stored and *bad count the lines. Returns 0 (even with bad lines), or a negative
 * store error (nothing stored; err says why). */
int dust_import(store *s, const char *text, size_t n, lineimport_error_fn on_error, void *ctx,
                int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;

/* One point's sample of a month, evaluated. */
typedef struct dust_point {
    char point[64];
    bool control;
    int64_t exposure_h;  /* collected − placed, to the nearest hour */
    int64_t value_milli; /* DUSTFALL_NA when the sample has no valid value */
    char why[128];       /* why there is no value ("" when there is one) */
} dust_point;
typedef int (*dust_point_fn)(void *ctx, const dust_point *p);

/* Every point's sample of Beijing month mon (1..12) of year, by point. Returns 0, what fn
 * returned when it stopped, or a negative error. */
int dust_points_each(ew_reader *db, int year, int mon, dust_point_fn fn, void *ctx, char *err,
                     size_t errcap) EW_MUST_CHECK;

typedef struct dust_year {
    int year;
    int last_month;           /* the last month considered (12 for a past year) */
    dustfall_mean months[12]; /* months[m-1]; sites 0 and mean DUSTFALL_NA when no sample */
    size_t months_with_value; /* months whose mean has a value */
    int64_t annual_milli;     /* mean of the monthly means; DUSTFALL_NA when none */
} dust_year;

/* The monthly means of Beijing year as seen at now_utc (months after the one holding
 * now_utc are left empty) and their annual mean. Returns 0 and fills *out, or a negative
 * error (*out unchanged). */
int dust_year_of(ew_reader *db, int year, int64_t now_utc, dust_year *out, char *err,
                 size_t errcap) EW_MUST_CHECK;

/* The value of plan statistic st (service/plan.h) for year as seen at now_utc. Known:
 *   "dust.dustfall_monthly_mean": dust_year_of's annual mean, t/(km²·30 d).
 * site (the plan target's object) is not used: the statistic is of every point. Returns 1
 * with *value set; 0 when st is not one of these or no month has a value; negative on error
 * (*value unchanged). */
int dust_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                   double *value, char *err, size_t errcap) EW_MUST_CHECK;

#endif
