/* water: surface-water sections' results in and their GB 3838 classes out.
 *
 * Intake of laboratory results by CSV (docs/import-formats.md, "Water results") and of the
 * section list; per section and period (a Beijing month or year) the period's values — the
 * mean of the period's results per item, standards/gb3838.h's gb3838_period — and their
 * class, 劣V, and whether the section meets its target class.
 *
 * Units: every value is stored in millionths of the GB 3838 unit (mg/L; pH units; 个/L).
 * water_hj212_item is the one place where an HJ 212 water code and its unit are turned
 * into a GB 3838 item and a scale (metals arrive in µg/L).
 *
 * Errors follow base/err.h; on failure outputs are unchanged. */
#ifndef EW_SERVICE_WATER_H
#define EW_SERVICE_WATER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/lineimport.h"
#include "standards/gb3838.h"
#include "store/read.h"
#include "store/store.h"

/* The GB 3838 item of HJ 212 water code (n bytes, e.g. "w21003" NH3-N) and the divisor
 * that turns the code's unit into the item's (1 for mg/L, 1000 for the µg/L metals).
 * Returns 0, or EW_ENOTFOUND for a code without a GB 3838 item. */
int water_hj212_item(const char *code, size_t n, gb3838_item *item, int64_t *div) EW_MUST_CHECK;

/* Parse a decimal value ("1.6", "0.00005", "7") into millionths, exactly; more than six
 * decimals, a sign or anything else is refused. Returns 0, or EW_EINVALID. */
int water_parse_micro(const char *s, size_t n, int64_t *out) EW_MUST_CHECK;

/* Called once per malformed line (lineimport_error_fn): line is 1-based, msg names the field. */
typedef lineimport_error_fn water_line_error_fn;

/* Import results CSV text (header "section,time,item,value,below_dl"; time in Beijing
 * time, item a gb3838_item_name, value in the item's unit, below_dl 0/1): every good line
 * stored in one transaction, each bad line reported through on_error and skipped.
 * *stored and *bad count them. Returns 0 (even with bad lines), or a negative store error
 * (nothing stored; err says why). */
int water_import_results(store *s, const char *text, size_t n, water_line_error_fn on_error,
                         void *ctx, int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;

/* Import the section list CSV (header
 * "code,name,water,target[,compensation[,drinking[,station]]]"; water river|lake, target
 * I..V, compensation 0/1 — an eco-compensation section — default 0, drinking 0/1 — a
 * drinking-water source's intake — default 0, station the HJ 212 MN of its automatic
 * station, default none).
 * Same conventions as water_import_results. */
int water_import_sections(store *s, const char *text, size_t n, water_line_error_fn on_error,
                          void *ctx, int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;

/* A section's assessment over [from_utc, to_utc). */
typedef struct water_period {
    char code[64], name[128];
    char station[32];      /* the MN of its automatic station, "" if none */
    gb3838_water water;
    int target;            /* 1..5, GB3838_CLASS_NONE when the section has none */
    size_t samples;        /* distinct sample times in the period */
    gb3838_sample values;  /* the period's values (GB3838_NA where no result) */
    gb3838_result result;  /* class, worst items, meets target, multiples vs target */
    bool worse_v;          /* result.cls is 劣V */
} water_period;

/* Assess section code over [from_utc, to_utc). Returns 1 and fills *out; 0 when the section
 * is unknown; negative on error (err says why; *out unchanged). A period without results
 * has result.cls GB3838_CLASS_NONE. The period's results are the laboratory's and, for a
 * section with an automatic station, the station's valid hourly values (normal flag) of
 * every HJ 212 water code with a GB 3838 item, one sample an hour: each item's period value
 * is the mean over all of them (the 2011 method: the mean of the period's results). */
int water_section_period(ew_reader *db, const char *code, int64_t from_utc, int64_t to_utc,
                         water_period *out, char *err, size_t errcap) EW_MUST_CHECK;

/* Every section's assessment for the Beijing month and the Beijing year holding now_utc,
 * by code: fn(ctx, month, year) once per section (both borrowed for the call). Returns 0,
 * what fn returned when it stopped, or a negative error. */
typedef int (*water_status_fn)(void *ctx, const water_period *month, const water_period *year);
int water_sections_status(ew_reader *db, int64_t now_utc, water_status_fn fn, void *ctx, char *err,
                          size_t errcap) EW_MUST_CHECK;

/* Every section's assessment over [from_utc, to_utc), by code: fn(ctx, p) once per section
 * (p borrowed for the call). Returns 0, what fn returned when it stopped, or a negative
 * error. */
typedef int (*water_period_fn)(void *ctx, const water_period *p);
int water_sections_period(ew_reader *db, int64_t from_utc, int64_t to_utc, water_period_fn fn,
                          void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* A section's year month by month (the section × month table of the water screen). */
typedef struct water_months {
    water_period year;   /* 1 January up to the Beijing month of now (the whole year once over) */
    int last_month;      /* months judged: 1..12, 0 before the year begins */
    int month_cls[12];   /* class of month m at [m − 1]; GB3838_CLASS_NONE without results or
                            after last_month */
    bool compensation, drinking;
} water_months;
typedef int (*water_months_fn)(void *ctx, const water_months *m);
/* Every section's year of Beijing year as seen at now_utc, by code: fn(ctx, m) once per
 * section (m borrowed for the call). Returns 0, what fn returned when it stopped, or a
 * negative error. */
int water_year_months(ew_reader *db, int year, int64_t now_utc, water_months_fn fn, void *ctx,
                      char *err, size_t errcap) EW_MUST_CHECK;

/* The value of the plan statistic st (service/plan.h) for Beijing year as seen at now_utc
 * (1 January up to now, or the whole year once it is over). Known statistics:
 *   "water.worse_than_v_sections": sections whose period class is 劣V (count);
 *   "water.compensation_sections_compliance": of the eco-compensation sections with a
 *     target class and at least one classed month, the share (%) whose every classed month
 *     of the year so far (up to the Beijing month of now_utc) met the target ("稳定达标");
 *   "water.section_class": the class of section site (its code; the plan target's "site")
 *     as a number, Ⅰ = 1 … Ⅴ = 5, 劣Ⅴ = 6: the worst of its monthly classes of the year so
 *     far, so that "稳定达到Ⅱ类" holds only when every classed month was Ⅱ or better.
 * Returns 1 with *value set; 0 when st is not one of these or no section has a class in the
 * period (no value to show); negative on error (*value unchanged). */
int water_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                    double *value,
                    char *err, size_t errcap) EW_MUST_CHECK;

/* The UTC bounds of Beijing month mon (1..12) of year, or of the whole year when mon is 0. */
void water_period_bounds(int year, int mon, int64_t *from_utc, int64_t *to_utc);
/* The year so far as the statistics read it: 1 January of Beijing year up to now_utc, or the
 * whole year once it is over (*to_utc ≤ *from_utc before it begins). */
void water_year_so_far(int year, int64_t now_utc, int64_t *from_utc, int64_t *to_utc);

#endif
