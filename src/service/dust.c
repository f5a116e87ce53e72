/* dust: see dust.h. Parsing of the samples CSV, and the monthly and annual values over the
 * store's samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/dust.h"
#include "service/lineimport.h"
#include "service/water.h"
#include "store/dust.h"

enum { N_FIELDS = 10 };

/* A decimal in millionths of its unit (grams → µg), never negative. */
static int parse_micro(const char *f, const char *name, int64_t *out, char *msg, size_t msgcap)
{
    if (water_parse_micro(f, strlen(f), out))
        return ew_errf(msg, msgcap, EW_EINVALID, "%s: '%s' is not a non-negative number", name, f);
    return 0;
}

static int parse_time(const char *f, const char *name, int64_t *out, char *msg, size_t msgcap)
{
    ew_civil c;
    if (ew_parse_iso(f, strlen(f), &c))
        return ew_errf(msg, msgcap, EW_EINVALID, "%s: '%s' is not YYYY-MM-DD[ HH:MM]", name, f);
    *out = ew_bj_to_utc(&c);
    return 0;
}

static int sample_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf; /* always N_FIELDS */
    dust_sample_row r = {.point = f[0]};
    size_t pn = strlen(f[0]);
    if (pn == 0 || pn >= sizeof((dust_point *)0)->point)
        return ew_errf(msg, msgcap, EW_EINVALID, "point: empty or longer than 63 bytes");
    int y = 0, m = 0;
    char tail;
    if (strlen(f[1]) != 7 || sscanf(f[1], "%4d-%2d%c", &y, &m, &tail) != 2 || y < 2000 ||
        y > 2100 || m < 1 || m > 12)
        return ew_errf(msg, msgcap, EW_EINVALID, "month: '%s' is not YYYY-MM", f[1]);
    r.month = y * 100 + m;
    int64_t diameter_micro_cm;
    if (parse_time(f[2], "placed", &r.placed_utc, msg, msgcap) ||
        parse_time(f[3], "collected", &r.collected_utc, msg, msgcap) ||
        parse_micro(f[4], "diameter_cm", &diameter_micro_cm, msg, msgcap) ||
        parse_micro(f[5], "m0_g", &r.m0_ug, msg, msgcap) ||
        parse_micro(f[6], "m1_g", &r.m1_ug, msg, msgcap) ||
        parse_micro(f[7], "m2_g", &r.m2_ug, msg, msgcap) ||
        lineimport_flag(f[8], "invalid", &r.invalid, msg, msgcap) ||
        lineimport_flag(f[9], "control", &r.control, msg, msgcap))
        return EW_EINVALID;
    if (r.collected_utc <= r.placed_utc)
        return ew_errf(msg, msgcap, EW_EINVALID, "collected: not after placed");
    /* HJ 1221 §9.2.1 measures the diameter to 0.1 cm; two decimals (0.1 mm) are kept. */
    if (diameter_micro_cm <= 0 || diameter_micro_cm % 10000)
        return ew_errf(msg, msgcap, EW_EINVALID,
                       "diameter_cm: '%s' is not positive with at most two decimals", f[4]);
    r.diameter_tenth_mm = diameter_micro_cm / 10000;
    if (r.m1_ug < r.m0_ug)
        return ew_errf(msg, msgcap, EW_EINVALID, "m1_g: less than the empty dish m0_g");
    return dust_sample_put(s, &r, msg, msgcap);
}

int dust_import(store *s, const char *text, size_t n, lineimport_error_fn on_error, void *ctx,
                int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, N_FIELDS, N_FIELDS, sample_line, on_error, ctx, stored, bad,
                          err, errcap);
}

static dustfall_sample sample_of(const dust_sample_row *r)
{
    return (dustfall_sample){.m1_ug = r->m1_ug,
                             .m0_ug = r->m0_ug,
                             .m2_ug = r->m2_ug,
                             .area_mm2 = dustfall_jar_area_mm2(r->diameter_tenth_mm),
                             .exposure_h = (r->collected_utc - r->placed_utc + 1800) / 3600,
                             .invalid = r->invalid,
                             .control = r->control};
}

typedef struct point_walk {
    dust_point_fn fn;
    void *ctx;
} point_walk;

static int point_one(void *ctx, const dust_sample_row *r)
{
    point_walk *w = ctx;
    dustfall_sample smp = sample_of(r);
    dust_point p = {.control = r->control, .exposure_h = smp.exposure_h};
    snprintf(p.point, sizeof p.point, "%s", r->point);
    if (dustfall_value(&smp, &dustfall_policy_default, &p.value_milli, p.why, sizeof p.why))
        p.value_milli = DUSTFALL_NA;
    else
        p.why[0] = 0;
    return w->fn(w->ctx, &p);
}

int dust_points_each(ew_reader *db, int year, int mon, dust_point_fn fn, void *ctx, char *err,
                     size_t errcap)
{
    point_walk w = {.fn = fn, .ctx = ctx};
    int m = year * 100 + mon;
    return dust_samples_each(db, m, m, point_one, &w, err, errcap);
}

/* The samples of one month gathered, then folded into that month's mean. */
typedef struct year_walk {
    dust_year *y;
    dustfall_sample *s;
    size_t n, cap;
    int month; /* year × 100 + month of the samples in s */
} year_walk;

static void flush_month(year_walk *w)
{
    if (w->n)
        dustfall_area_mean(w->s, w->n, &dustfall_policy_default, &w->y->months[w->month % 100 - 1]);
    w->n = 0;
}

static int year_one(void *ctx, const dust_sample_row *r)
{
    year_walk *w = ctx;
    if (r->month != w->month) {
        flush_month(w);
        w->month = r->month;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->s = xrealloc(w->s, w->cap * sizeof *w->s);
    }
    w->s[w->n++] = sample_of(r);
    return 0;
}

int dust_year_of(ew_reader *db, int year, int64_t now_utc, dust_year *out, char *err, size_t errcap)
{
    dust_year y = {.year = year, .last_month = 12, .annual_milli = DUSTFALL_NA};
    ew_civil now;
    ew_utc_to_bj(now_utc, &now);
    if (now.year == year)
        y.last_month = now.mon;
    else if (now.year < year)
        y.last_month = 0;
    for (int m = 0; m < 12; m++)
        y.months[m] = (dustfall_mean){
            .mean_milli = DUSTFALL_NA, .max_milli = DUSTFALL_NA, .min_milli = DUSTFALL_NA};
    year_walk w = {.y = &y};
    int rc = y.last_month ? dust_samples_each(db, year * 100 + 1, year * 100 + y.last_month,
                                              year_one, &w, err, errcap)
                          : 0;
    if (rc >= 0)
        flush_month(&w);
    free(w.s);
    if (rc < 0)
        return rc;
    int64_t means[12];
    for (int m = 0; m < 12; m++) {
        means[m] = y.months[m].mean_milli;
        y.months_with_value += means[m] != DUSTFALL_NA;
    }
    if (dustfall_mean_of(means, 12, &y.annual_milli) < 0)
        y.annual_milli = DUSTFALL_NA;
    *out = y;
    return 0;
}

int dust_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc, double *value,
                   char *err, size_t errcap)
{
    (void)site; /* statistics of every section or point, none of one */
    if (strcmp(st, "dust.dustfall_monthly_mean"))
        return 0;
    dust_year y;
    int rc = dust_year_of(db, year, now_utc, &y, err, errcap);
    if (rc < 0)
        return rc;
    if (y.annual_milli == DUSTFALL_NA)
        return 0;
    *value = (double)y.annual_milli / 1000.0;
    return 1;
}
