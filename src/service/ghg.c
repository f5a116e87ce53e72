/* ghg: see ghg.h. */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "service/ghg.h"
#include "store/ghg.h"

static const char *const codes[] = {"a05001", "a05002", NULL};
static const char *const names[] = {"CO2", "CH4", "N2O"};
static const char *const units[] = {"ppm", "ppb", "ppb"};

const char *ghg_code(ghg_gas g)
{
    return g >= 0 && g < GHG_GAS_COUNT ? codes[g] : NULL;
}
const char *ghg_name(ghg_gas g)
{
    return g >= 0 && g < GHG_GAS_COUNT ? names[g] : NULL;
}
const char *ghg_unit(ghg_gas g)
{
    return g >= 0 && g < GHG_GAS_COUNT ? units[g] : NULL;
}

enum { MAX_DAYS = 400 };

/* One station: its valid hourly values of each gas by hour index (NAN: none). */
typedef struct station {
    int64_t id;
    char mn[32];
    char name[128];
    char code[GHG_GAS_COUNT][24]; /* "" = the station sends no such gas */
    double *v[GHG_GAS_COUNT];
    size_t hours[GHG_GAS_COUNT], valid[GHG_GAS_COUNT], calib[GHG_GAS_COUNT];
    double mean[GHG_GAS_COUNT], min[GHG_GAS_COUNT], max[GHG_GAS_COUNT]; /* of valid hours */
} station;

typedef struct load {
    station *st;
    size_t n, cap, nh;
    int64_t from;
    station *cur; /* the station whose series add_hour reads */
    ghg_gas gas;
} load;

static int add_site(void *ctx, const ew_read_site *s)
{
    load *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->st = xrealloc(l->st, l->cap * sizeof *l->st);
    }
    station *st = &l->st[l->n++];
    memset(st, 0, sizeof *st);
    st->id = s->id;
    snprintf(st->mn, sizeof st->mn, "%s", s->mn ? s->mn : "");
    snprintf(st->name, sizeof st->name, "%s", s->name);
    for (int g = 0; g < GHG_GAS_COUNT; g++)
        snprintf(st->code[g], sizeof st->code[g], "%s", codes[g] ? codes[g] : "");
    for (int g = 0; g < GHG_GAS_COUNT; g++) {
        st->v[g] = xmalloc(l->nh * sizeof(double));
        for (size_t h = 0; h < l->nh; h++)
            st->v[g][h] = NAN;
    }
    return 0;
}

static int add_hour(void *ctx, const ew_read_obs *o)
{
    load *l = ctx;
    station *st = l->cur;
    int64_t h = (o->ts_utc - l->from) / 3600;
    if (h < 0 || (size_t)h >= l->nh)
        return 0;
    st->hours[l->gas]++;
    if (o->flag && !strcmp(o->flag, "C")) {
        st->calib[l->gas]++;
        return 0;
    }
    if (!hj212_flag_normal(o->flag) || isnan(o->value))
        return 0;
    st->valid[l->gas]++;
    st->v[l->gas][h] = o->value;
    return 0;
}

/* An entry of the code map: the code of its station's gas. */
static int add_code(void *ctx, const ghg_code_row *r)
{
    load *l = ctx;
    for (int g = 0; g < GHG_GAS_COUNT; g++) {
        if (strcmp(r->gas, names[g]))
            continue;
        for (size_t i = 0; i < l->n; i++)
            if (!strcmp(l->st[i].mn, r->mn))
                snprintf(l->st[i].code[g], sizeof l->st[i].code[g], "%s", r->code);
    }
    return 0;
}

static double mean_of(const double *v, size_t n, double *mn, double *mx)
{
    double s = 0;
    size_t k = 0;
    *mn = NAN;
    *mx = NAN;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue;
        s += v[i];
        k++;
        if (isnan(*mn) || v[i] < *mn)
            *mn = v[i];
        if (isnan(*mx) || v[i] > *mx)
            *mx = v[i];
    }
    return k ? s / (double)k : NAN;
}

int ghg_period(ew_reader *db, int64_t from_utc, int64_t to_utc, int64_t background_id, ghg_fn fn,
               void *ctx, char *err, size_t errcap)
{
    if (to_utc <= from_utc || to_utc - from_utc > (int64_t)MAX_DAYS * 86400)
        return ew_errf(err, errcap, EW_EINVALID, "period: from before to, at most %d days",
                       MAX_DAYS);
    load l = {.nh = (size_t)((to_utc - from_utc + 3599) / 3600), .from = from_utc};
    int rc = ew_read_sites(db, 0, "ghg", NULL, add_site, &l, err, errcap);
    if (rc == 0)
        rc = ghg_codes_each(db, add_code, &l, err, errcap);
    /* The stations' hours, then each gas's mean, minimum and maximum once. */
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        l.cur = &l.st[i];
        for (int g = 0; g < GHG_GAS_COUNT && rc == 0; g++) {
            l.gas = (ghg_gas)g;
            if (l.st[i].code[g][0])
                rc = ew_read_series(db, l.st[i].id, l.st[i].code[g], EW_SERIES_HOUR, from_utc,
                                    to_utc, (int64_t)l.nh, 0, NULL, add_hour, &l, err, errcap);
            l.cur->mean[g] = mean_of(l.cur->v[g], l.nh, &l.cur->min[g], &l.cur->max[g]);
        }
    }
    /* The background: the one named, else the lowest CO2 mean. */
    station *bg = NULL;
    if (rc == 0 && background_id) {
        for (size_t i = 0; i < l.n; i++)
            if (l.st[i].id == background_id)
                bg = &l.st[i];
        if (!bg)
            rc = ew_errf(err, errcap, EW_EINVALID, "background: site %lld is not a ghg station",
                         (long long)background_id);
    } else if (rc == 0) {
        double best = INFINITY;
        for (size_t i = 0; i < l.n; i++) {
            double m = l.st[i].mean[GHG_CO2];
            if (!isnan(m) && m < best) {
                best = m;
                bg = &l.st[i];
            }
        }
    }
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        for (int g = 0; g < GHG_GAS_COUNT && rc == 0; g++) {
            const station *st = &l.st[i];
            if (!st->code[g][0])
                continue;
            ghg_row r = {.site_id = st->id,
                         .gas = (ghg_gas)g,
                         .hours = st->hours[g],
                         .valid_hours = st->valid[g],
                         .calibration_hours = st->calib[g],
                         .mean = st->mean[g],
                         .min = st->min[g],
                         .max = st->max[g],
                         .enhancement = NAN,
                         .background_id = bg ? bg->id : 0};
            snprintf(r.name, sizeof r.name, "%s", st->name);
            snprintf(r.param, sizeof r.param, "%s", st->code[g]);
            if (bg) {
                double s = 0;
                for (size_t h = 0; h < l.nh; h++)
                    if (!isnan(st->v[g][h]) && !isnan(bg->v[g][h])) {
                        s += st->v[g][h] - bg->v[g][h];
                        r.paired_hours++;
                    }
                if (r.paired_hours)
                    r.enhancement = s / (double)r.paired_hours;
            }
            rc = fn(ctx, &r);
        }
    }
    for (size_t i = 0; i < l.n; i++)
        for (int g = 0; g < GHG_GAS_COUNT; g++)
            free(l.st[i].v[g]);
    free(l.st);
    return rc;
}

/* ---- the code map ------------------------------------------------------------------ */

/* An HJ 212 factor code as the decoder takes one: letters and digits, 1–20 of them. */
static bool code_valid(const char *c)
{
    size_t n = strlen(c);
    if (n < 1 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)c[i]))
            return false;
    return true;
}

/* A station may come in the device list after its codes: the entry waits for it. */
static int code_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf;
    if (!f[0][0] || strlen(f[0]) > 24)
        return ew_errf(msg, msgcap, EW_EINVALID, "mn: empty or over 24 characters");
    int g = 0;
    while (g < GHG_GAS_COUNT && strcmp(f[1], names[g]))
        g++;
    if (g == GHG_GAS_COUNT)
        return ew_errf(msg, msgcap, EW_EINVALID, "gas: '%s' is not CO2, CH4 or N2O", f[1]);
    if (!code_valid(f[2]))
        return ew_errf(msg, msgcap, EW_EINVALID, "code: '%s' is not 1-20 letters and digits", f[2]);
    ghg_code_row r = {.mn = f[0], .gas = names[g], .code = f[2]};
    return ghg_code_put(s, &r, msg, msgcap);
}

int ghg_import_codes(store *s, const char *text, size_t n, lineimport_error_fn on_error, void *ctx,
                     int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 3, 3, code_line, on_error, ctx, stored, bad, err, errcap);
}
