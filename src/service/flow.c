/* flow: see flow.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/flow.h"
#include "service/water.h"
#include "store/flow.h"

/* A flow in m³/s with at most three decimals, into thousandths. */
static int parse_flow(const char *f, const char *name, int64_t *out, char *msg, size_t msgcap)
{
    int64_t micro;
    if (water_parse_micro(f, strlen(f), &micro) || micro % 1000)
        return ew_errf(msg, msgcap, EW_EINVALID,
                       "%s: '%s' is not a non-negative number with at most three decimals", name,
                       f);
    *out = micro / 1000;
    return 0;
}

static int section_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf;
    size_t n = strlen(f[0]);
    if (n == 0 || n >= sizeof((flow_section_year *)0)->code)
        return ew_errf(msg, msgcap, EW_EINVALID, "code: empty or longer than 63 bytes");
    if (strlen(f[1]) >= sizeof((flow_section_year *)0)->name)
        return ew_errf(msg, msgcap, EW_EINVALID, "name: longer than 127 bytes");
    flow_section_row r = {.code = f[0], .name = f[1][0] ? f[1] : f[0]};
    if (parse_flow(f[2], "base_m3s", &r.base_milli, msg, msgcap))
        return EW_EINVALID;
    if (r.base_milli <= 0)
        return ew_errf(msg, msgcap, EW_EINVALID, "base_m3s: must be above 0");
    return flow_section_put(s, &r, msg, msgcap);
}

int flow_import_sections(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                         void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 3, 3, section_line, on_error, ctx, stored, bad, err, errcap);
}

/* The days of a section not (yet) in the section list are kept: a flow file may come before
 * the list, and the days count once the section is imported. */
static int day_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf;
    if (!f[0][0])
        return ew_errf(msg, msgcap, EW_EINVALID, "section: empty");
    ew_civil c;
    if (strlen(f[1]) != 10 || ew_parse_iso(f[1], 10, &c))
        return ew_errf(msg, msgcap, EW_EINVALID, "date: '%s' is not YYYY-MM-DD", f[1]);
    flow_day_row r = {.section = f[0], .day = ew_days_from_civil(c.year, c.mon, c.day)};
    if (parse_flow(f[2], "mean_m3s", &r.mean_milli, msg, msgcap))
        return EW_EINVALID;
    if (lineimport_flag(f[3], "exempt", &r.exempt, msg, msgcap))
        return EW_EINVALID;
    return flow_day_put(s, &r, msg, msgcap);
}

int flow_import_days(store *s, const char *text, size_t n, lineimport_error_fn on_error, void *ctx,
                     int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 4, 4, day_line, on_error, ctx, stored, bad, err, errcap);
}

/* ---- a year ---------------------------------------------------------------------------- */

typedef struct days_acc {
    ecoflow_day *d;
    int64_t day0;
    size_t n;
} days_acc;

static int put_day(void *ctx, const flow_day_row *r)
{
    days_acc *a = ctx;
    size_t i = (size_t)(r->day - a->day0);
    if (i < a->n) {
        a->d[i].mean_milli = r->mean_milli;
        a->d[i].exempt = r->exempt;
    }
    return 0;
}

typedef struct year_walk {
    ew_reader *db;
    int64_t day0, last;
    ecoflow_day *d;
    flow_year_fn fn;
    void *ctx;
    char *err;
    size_t errcap;
} year_walk;

static int year_one(void *ctx, const flow_section_row *r)
{
    year_walk *w = ctx;
    size_t n = w->last >= w->day0 ? (size_t)(w->last - w->day0 + 1) : 0;
    for (size_t i = 0; i < n; i++)
        w->d[i] = (ecoflow_day){.mean_milli = ECOFLOW_NA, .base_milli = r->base_milli};
    days_acc a = {.d = w->d, .day0 = w->day0, .n = n};
    int rc =
        n ? flow_days_each(w->db, r->code, w->day0, w->last, put_day, &a, w->err, w->errcap) : 0;
    if (rc < 0)
        return rc;
    flow_section_year y = {.base_milli = r->base_milli};
    snprintf(y.code, sizeof y.code, "%s", r->code);
    snprintf(y.name, sizeof y.name, "%s", r->name);
    if (ecoflow_period(w->d, n, &y.rate) < 0)
        return ew_errf(w->err, w->errcap, EW_EINTERNAL, "flow: section %s: a stored day is invalid",
                       r->code);
    return w->fn(w->ctx, &y);
}

int flow_year_each(ew_reader *db, int year, int64_t now_utc, int64_t *last_day, flow_year_fn fn,
                   void *ctx, char *err, size_t errcap)
{
    int64_t day0 = ew_days_from_civil(year, 1, 1), dec31 = ew_days_from_civil(year, 12, 31);
    int64_t yesterday = ew_bj_day_of(now_utc) - 1; /* complete days only */
    year_walk w = {.db = db,
                   .day0 = day0,
                   .last = yesterday < dec31 ? yesterday : dec31,
                   .fn = fn,
                   .ctx = ctx,
                   .err = err,
                   .errcap = errcap};
    if (last_day)
        *last_day = w.last >= day0 ? w.last : INT64_MIN;
    w.d = xmalloc(366 * sizeof *w.d);
    int rc = flow_sections_each(db, year_one, &w, err, errcap);
    free(w.d);
    return rc;
}

static int lowest(void *ctx, const flow_section_year *y)
{
    int64_t *low = ctx;
    if (y->rate.rate_milli != ECOFLOW_NA && (*low == ECOFLOW_NA || y->rate.rate_milli < *low))
        *low = y->rate.rate_milli;
    return 0;
}

int flow_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc, double *value,
                   char *err, size_t errcap)
{
    (void)site; /* statistics of every section or point, none of one */
    if (strcmp(st, "water.eco_flow_compliance"))
        return 0;
    int64_t low = ECOFLOW_NA;
    int rc = flow_year_each(db, year, now_utc, NULL, lowest, &low, err, errcap);
    if (rc < 0)
        return rc;
    if (low == ECOFLOW_NA)
        return 0;
    *value = (double)low / 1000.0;
    return 1;
}
