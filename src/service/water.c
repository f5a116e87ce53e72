/* water: see water.h. Parsing of the CSVs, the HJ 212 code table, and the period
 * assessment over the store's results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "service/lineimport.h"
#include "service/water.h"
#include "standards/dwsource.h"
#include "store/water.h"

/* HJ 212-2017 Appendix B water codes with a GB 3838 Table 1 item, and the divisor from the
 * code's unit to the item's (hj212 reference table: the metals w20111/15/17/19/20 and
 * w20142/43 are µg/L, GB 3838 is mg/L). w01010 is ℃, w01001 pH units. */
static const struct {
    const char *code;
    gb3838_item item;
    int64_t div;
} hj212_water[] = {
    {"w01001", GB3838_PH, 1},     {"w01009", GB3838_DO, 1},     {"w01010", GB3838_TEMP, 1},
    {"w01018", GB3838_COD, 1},    {"w01019", GB3838_CODMN, 1},  {"w01017", GB3838_BOD5, 1},
    {"w21003", GB3838_NH3N, 1},   {"w21011", GB3838_TP, 1},     {"w21001", GB3838_TN, 1},
    {"w20122", GB3838_CU, 1},     {"w20123", GB3838_ZN, 1},     {"w21017", GB3838_F, 1},
    {"w20128", GB3838_SE, 1000},  {"w20119", GB3838_AS, 1000},  {"w20111", GB3838_HG, 1000},
    {"w20115", GB3838_CD, 1000},  {"w20117", GB3838_CR6, 1000}, {"w20120", GB3838_PB, 1000},
    {"w20141", GB3838_AS, 1},     {"w20142", GB3838_HG, 1000},  {"w20143", GB3838_CD, 1000},
    {"w20144", GB3838_PB, 1},     {"w21016", GB3838_CN, 1},     {"w23002", GB3838_PHENOL, 1},
    {"w22001", GB3838_OIL, 1},    {"w19002", GB3838_LAS, 1},    {"w21019", GB3838_S2, 1},
    {"w02003", GB3838_COLIFORM, 1},
};

int water_hj212_item(const char *code, size_t n, gb3838_item *item, int64_t *div)
{
    for (size_t i = 0; i < sizeof hj212_water / sizeof hj212_water[0]; i++)
        if (strlen(hj212_water[i].code) == n && !memcmp(hj212_water[i].code, code, n)) {
            *item = hj212_water[i].item;
            *div = hj212_water[i].div;
            return 0;
        }
    return EW_ENOTFOUND;
}

int water_parse_micro(const char *s, size_t n, int64_t *out)
{
    int64_t v = 0;
    size_t i = 0, digits = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (v > (INT64_MAX / 10 - 9) / GB3838_MICRO)
            return EW_EINVALID;
        v = v * 10 + (s[i] - '0');
    }
    v *= GB3838_MICRO;
    int64_t scale = GB3838_MICRO;
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            if (scale == 1)
                return EW_EINVALID;
            scale /= 10;
            v += (s[i] - '0') * scale;
        }
    }
    if (i != n || digits == 0)
        return EW_EINVALID;
    *out = v;
    return 0;
}

/* ---- CSV lines (service/lineimport.h) ------------------------------------------------- */

/* section,time,item,value,below_dl[,limit]: item a GB 3838 Table 1 item, a Table 2 item
 * (drinking-water sources), or "t3.NAME", a Table 3 specific item, which needs the limit
 * the laboratory judged it against in the sixth field (Table 3's limits are not tabled
 * here). */
static int result_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    char item_name[64];
    if (!f[0][0] || strlen(f[0]) >= 64)
        return ew_errf(msg, msgcap, EW_EINVALID, "section: empty or too long");
    ew_civil c;
    if (ew_parse_iso(f[1], strlen(f[1]), &c))
        return ew_errf(msg, msgcap, EW_EINVALID, "time: '%s' is not YYYY-MM-DD[ HH:MM]", f[1]);
    gb3838_item it;
    dwsource_item t2;
    bool t3 = !strncmp(f[2], "t3.", 3);
    if (t3) {
        if (!f[2][3] || strlen(f[2]) >= sizeof item_name)
            return ew_errf(msg, msgcap, EW_EINVALID, "item: '%s': t3.NAME, NAME 1..60 bytes",
                           f[2]);
        snprintf(item_name, sizeof item_name, "%s", f[2]);
    } else if (!gb3838_item_parse(f[2], strlen(f[2]), &it)) {
        snprintf(item_name, sizeof item_name, "%s", gb3838_item_name(it));
    } else if (dwsource_item_parse(f[2], &t2) == 0) {
        snprintf(item_name, sizeof item_name, "%s", f[2]);
    } else {
        return ew_errf(msg, msgcap, EW_EINVALID,
                       "item: '%s' is neither a GB 3838 item (Table 1 or 2) nor t3.NAME", f[2]);
    }
    int64_t v;
    if (water_parse_micro(f[3], strlen(f[3]), &v))
        return ew_errf(msg, msgcap, EW_EINVALID, "value: '%s' is not a non-negative number",
                       f[3]);
    bool below_dl;
    if (lineimport_flag(f[4], "below_dl", &below_dl, msg, msgcap))
        return EW_EINVALID;
    bool has_limit = nf == 6 && f[5][0];
    if (t3 != has_limit)
        return ew_errf(msg, msgcap, EW_EINVALID,
                       t3 ? "limit: a Table 3 item (t3.NAME) needs its limit in mg/L"
                          : "limit: only Table 3 items (t3.NAME) take a limit");
    if (t3) {
        int64_t lim;
        if (water_parse_micro(f[5], strlen(f[5]), &lim) || lim == 0)
            return ew_errf(msg, msgcap, EW_EINVALID, "limit: '%s' is not a positive number",
                           f[5]);
        water_specific_row r = {.section = f[0],
                                .ts_utc = ew_bj_to_utc(&c),
                                .item = item_name,
                                .value_micro = v,
                                .limit_micro = lim,
                                .below_dl = below_dl,
                                .source = "lab"};
        return water_specific_put(s, &r, msg, msgcap);
    }
    water_sample_row r = {.section = f[0],
                          .ts_utc = ew_bj_to_utc(&c),
                          .item = item_name,
                          .value_micro = v,
                          .below_dl = below_dl,
                          .source = "lab"};
    return water_sample_put(s, &r, msg, msgcap);
}

int water_import_results(store *s, const char *text, size_t n, water_line_error_fn on_error,
                         void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 5, 6, result_line, on_error, ctx, stored, bad, err,
                          errcap);
}

/* code,name,water,target[,compensation[,drinking[,station]]]: the fifth field, 0 or 1, came
 * with migration 8, the sixth with migration 9, the seventh (the automatic station's MN)
 * with migration 11; files without them still import (neither a compensation section nor a
 * drinking-water source, no station). */
static int section_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    if (!f[0][0] || strlen(f[0]) >= 64)
        return ew_errf(msg, msgcap, EW_EINVALID, "code: empty or too long");
    if (strlen(f[1]) >= 128)
        return ew_errf(msg, msgcap, EW_EINVALID, "name: too long");
    bool lake = !strcmp(f[2], "lake");
    if (!lake && strcmp(f[2], "river"))
        return ew_errf(msg, msgcap, EW_EINVALID, "water: '%s' is not river or lake", f[2]);
    int cls = 0;
    if (gb3838_class_parse(f[3], strlen(f[3]), &cls) || cls > GB3838_CLASS_V)
        return ew_errf(msg, msgcap, EW_EINVALID, "target: '%s' is not I..V", f[3]);
    bool comp = false, drinking = false;
    if (nf >= 5 && lineimport_flag(f[4], "compensation", &comp, msg, msgcap))
        return EW_EINVALID;
    if (nf >= 6 && lineimport_flag(f[5], "drinking", &drinking, msg, msgcap))
        return EW_EINVALID;
    const char *station = nf >= 7 ? f[6] : "";
    if (strlen(station) > 24)
        return ew_errf(msg, msgcap, EW_EINVALID, "station: an HJ 212 MN, at most 24 characters");
    water_section_row r = {.code = f[0],
                           .name = f[1][0] ? f[1] : f[0],
                           .water = lake ? "lake" : "river",
                           .target_class = cls,
                           .compensation = comp,
                           .drinking = drinking,
                           .station = station};
    return water_section_put(s, &r, msg, msgcap);
}

int water_import_sections(store *s, const char *text, size_t n, water_line_error_fn on_error,
                          void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 4, 7, section_line, on_error, ctx, stored, bad, err,
                          errcap);
}

/* ---- periods ------------------------------------------------------------------------- */

void water_period_bounds(int year, int mon, int64_t *from_utc, int64_t *to_utc)
{
    int m0 = mon ? mon : 1;
    int y1 = mon ? (mon == 12 ? year + 1 : year) : year + 1;
    int m1 = mon ? (mon == 12 ? 1 : mon + 1) : 1;
    *from_utc = ew_bj_day_start(ew_days_from_civil(year, m0, 1));
    *to_utc = ew_bj_day_start(ew_days_from_civil(y1, m1, 1));
}

/* Samples of a period grouped by time (the laboratory's results come in time order). */
typedef struct period_acc {
    gb3838_sample *samples;
    int64_t last_ts;
    size_t n, cap;
} period_acc;

static gb3838_sample *new_sample(period_acc *a)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->samples = xrealloc(a->samples, a->cap * sizeof *a->samples);
    }
    gb3838_sample_init(&a->samples[a->n]);
    return &a->samples[a->n++];
}

static int add_sample(void *ctx, const water_sample_row *r)
{
    period_acc *a = ctx;
    gb3838_item it;
    if (gb3838_item_parse(r->item, strlen(r->item), &it))
        return 0; /* an item this version does not know: skipped */
    if (a->n == 0 || r->ts_utc != a->last_ts) {
        new_sample(a);
        a->last_ts = r->ts_utc;
    }
    gb3838_sample *smp = &a->samples[a->n - 1];
    smp->v[it] = r->value_micro;
    if (r->below_dl)
        smp->below_dl |= GB3838_BIT(it);
    else
        smp->below_dl &= ~GB3838_BIT(it);
    return 0;
}

/* ---- automatic stations -------------------------------------------------------------- */

/* The hours of a section's automatic station in a period, one sample slot an hour: each
 * valid hourly value (normal flag, hj212_flag_normal) of an HJ 212 water code with a GB 3838
 * item, converted to the item's unit (water_hj212_item). */
typedef struct auto_acc {
    const char *mn;
    int64_t site_id, from;
    size_t nh;
    gb3838_sample *h;
    bool *used;
    gb3838_item it;
    int64_t div;
} auto_acc;

static int find_station(void *ctx, const ew_read_site *s)
{
    auto_acc *a = ctx;
    if (!strcmp(s->mn, a->mn)) {
        a->site_id = s->id;
        return 1;
    }
    return 0;
}

static int station_hour(void *ctx, const ew_read_obs *o)
{
    auto_acc *a = ctx;
    int64_t k = (o->ts_utc - a->from) / 3600;
    if (k < 0 || (size_t)k >= a->nh || isnan(o->value) || o->value < 0 ||
        !hj212_flag_normal(o->flag))
        return 0;
    a->h[k].v[a->it] = llround(o->value * GB3838_MICRO / (double)a->div);
    a->used[k] = true;
    return 0;
}

/* Append the station's hours of [from_utc, to_utc) to acc. A station not (yet) registered
 * adds nothing. */
static int add_station(ew_reader *db, const char *mn, int64_t from_utc, int64_t to_utc,
                       period_acc *acc, char *err, size_t errcap)
{
    auto_acc a = {.mn = mn, .from = from_utc, .nh = (size_t)((to_utc - from_utc + 3599) / 3600)};
    int rc = ew_read_sites(db, 0, "water_section", NULL, find_station, &a, err, errcap);
    if (rc < 0 || !a.site_id)
        return rc < 0 ? rc : 0;
    a.h = xmalloc(a.nh * sizeof *a.h);
    a.used = xcalloc(a.nh, sizeof *a.used);
    for (size_t k = 0; k < a.nh; k++)
        gb3838_sample_init(&a.h[k]);
    /* Every water code with a GB 3838 item (conductivity, turbidity, flow have none); a
     * code the station does not send reads nothing. */
    for (size_t i = 0; i < sizeof hj212_water / sizeof hj212_water[0] && rc >= 0; i++) {
        a.it = hj212_water[i].item;
        a.div = hj212_water[i].div;
        rc = ew_read_series(db, a.site_id, hj212_water[i].code, EW_SERIES_HOUR, from_utc, to_utc,
                            (int64_t)a.nh, 0, NULL, station_hour, &a, err, errcap);
    }
    for (size_t k = 0; k < a.nh && rc >= 0; k++)
        if (a.used[k])
            *new_sample(acc) = a.h[k];
    free(a.h);
    free(a.used);
    return rc < 0 ? rc : 0;
}

static int copy_section(void *ctx, const water_section_row *r)
{
    water_period *p = ctx;
    snprintf(p->station, sizeof p->station, "%s", r->station ? r->station : "");
    snprintf(p->code, sizeof p->code, "%s", r->code);
    snprintf(p->name, sizeof p->name, "%s", r->name);
    p->water = strcmp(r->water, "lake") ? GB3838_RIVER : GB3838_LAKE;
    p->target = r->target_class;
    return 0;
}

int water_section_period(ew_reader *db, const char *code, int64_t from_utc, int64_t to_utc,
                         water_period *out, char *err, size_t errcap)
{
    water_period p;
    memset(&p, 0, sizeof p);
    int rc = water_section_get(db, code, copy_section, &p, err, errcap);
    if (rc <= 0)
        return rc;
    period_acc a = {.n = 0};
    rc = water_samples_each(db, code, from_utc, to_utc, add_sample, &a, err, errcap);
    if (rc >= 0 && p.station[0])
        rc = add_station(db, p.station, from_utc, to_utc, &a, err, errcap);
    p.samples = a.n;
    gb3838_sample_init(&p.values);
    if (rc >= 0 && a.n)
        rc = gb3838_period(a.samples, a.n, true, &p.values, err, errcap);
    free(a.samples);
    if (rc >= 0)
        rc = gb3838_assess(p.water, &p.values, p.target, &p.result, err, errcap);
    if (rc < 0)
        return rc;
    p.worse_v = p.result.cls == GB3838_CLASS_WORSE_V;
    *out = p;
    return 1;
}

typedef struct status_walk {
    ew_reader *db;
    int64_t month_from, month_to, year_from, year_to;
    water_status_fn fn;
    void *ctx;
    char *err;
    size_t errcap;
} status_walk;

static int status_one(void *ctx, const water_section_row *r)
{
    status_walk *w = ctx;
    water_period month, year;
    int rc = water_section_period(w->db, r->code, w->month_from, w->month_to, &month, w->err,
                                  w->errcap);
    if (rc == 1)
        rc = water_section_period(w->db, r->code, w->year_from, w->year_to, &year, w->err,
                                  w->errcap);
    if (rc < 0)
        return rc;
    return rc == 1 ? w->fn(w->ctx, &month, &year) : 0;
}

int water_sections_status(ew_reader *db, int64_t now_utc, water_status_fn fn, void *ctx, char *err,
                          size_t errcap)
{
    ew_civil c;
    ew_utc_to_bj(now_utc, &c);
    status_walk w = {.db = db, .fn = fn, .ctx = ctx, .err = err, .errcap = errcap};
    water_period_bounds(c.year, c.mon, &w.month_from, &w.month_to);
    water_period_bounds(c.year, 0, &w.year_from, &w.year_to);
    return water_sections_each(db, status_one, &w, err, errcap);
}

typedef struct period_walk {
    ew_reader *db;
    int64_t from, to;
    water_period_fn fn;
    void *ctx;
    char *err;
    size_t errcap;
} period_walk;

static int period_one(void *ctx, const water_section_row *r)
{
    period_walk *w = ctx;
    water_period p;
    int rc = water_section_period(w->db, r->code, w->from, w->to, &p, w->err, w->errcap);
    if (rc < 0)
        return rc;
    return rc == 1 ? w->fn(w->ctx, &p) : 0;
}

int water_sections_period(ew_reader *db, int64_t from_utc, int64_t to_utc, water_period_fn fn,
                          void *ctx, char *err, size_t errcap)
{
    period_walk w = {.db = db, .from = from_utc, .to = to_utc, .fn = fn, .ctx = ctx,
                     .err = err, .errcap = errcap};
    return water_sections_each(db, period_one, &w, err, errcap);
}

void water_year_so_far(int year, int64_t now_utc, int64_t *from_utc, int64_t *to_utc)
{
    water_period_bounds(year, 0, from_utc, to_utc);
    if (now_utc < *to_utc)
        *to_utc = now_utc;
}

/* The months of year judged as seen at now_utc: up to the Beijing month of now, all twelve
 * once the year is over, none before it begins. */
static int months_through(int year, int64_t now_utc)
{
    ew_civil now;
    ew_utc_to_bj(now_utc, &now);
    return now.year > year ? 12 : now.year == year ? now.mon : 0;
}

/* The class of each month 1..last of section code (cls[m − 1]; GB3838_CLASS_NONE without
 * results) and whether it met the target (meets, may be NULL). Returns 1, 0 for an unknown
 * section, or a negative error. The one month-by-month walk of the statistics and the
 * section × month table. */
static int section_months(ew_reader *db, const char *code, int year, int last, int cls[12],
                          bool meets[12], char *err, size_t errcap)
{
    int rc = 1;
    for (int m = 1; m <= last && rc == 1; m++) {
        int64_t from, to;
        water_period_bounds(year, m, &from, &to);
        water_period p;
        rc = water_section_period(db, code, from, to, &p, err, errcap);
        if (rc == 1) {
            cls[m - 1] = p.result.cls;
            if (meets)
                meets[m - 1] = p.result.meets_target;
        }
    }
    return rc;
}

typedef struct months_walk {
    ew_reader *db;
    int year, last_month;
    int64_t now;
    water_months_fn fn;
    void *ctx;
    char *err;
    size_t errcap;
} months_walk;

static int months_one(void *ctx, const water_section_row *r)
{
    months_walk *w = ctx;
    water_months m;
    memset(&m, 0, sizeof m);
    m.last_month = w->last_month;
    m.compensation = r->compensation;
    m.drinking = r->drinking;
    int64_t from, to;
    water_year_so_far(w->year, w->now, &from, &to);
    int rc = water_section_period(w->db, r->code, from, to, &m.year, w->err, w->errcap);
    if (rc == 1)
        rc = section_months(w->db, r->code, w->year, w->last_month, m.month_cls, NULL, w->err,
                            w->errcap);
    if (rc < 0)
        return rc;
    return rc == 1 ? w->fn(w->ctx, &m) : 0;
}

int water_year_months(ew_reader *db, int year, int64_t now_utc, water_months_fn fn, void *ctx,
                      char *err, size_t errcap)
{
    months_walk w = {.db = db,
                     .year = year,
                     .last_month = months_through(year, now_utc),
                     .now = now_utc,
                     .fn = fn,
                     .ctx = ctx,
                     .err = err,
                     .errcap = errcap};
    return water_sections_each(db, months_one, &w, err, errcap);
}

typedef struct worse_v_count {
    size_t classed, worse_v;
} worse_v_count;

static int count_worse_v(void *ctx, const water_period *p)
{
    worse_v_count *c = ctx;
    if (p->result.cls != GB3838_CLASS_NONE) {
        c->classed++;
        c->worse_v += p->worse_v;
    }
    return 0;
}

/* Eco-compensation sections, month by month: a section meets "稳定达标" when every month of
 * the year so far that has a class meets its target class. */
typedef struct comp_walk {
    ew_reader *db;
    int year, last_month;
    size_t classed, meeting;
    char *err;
    size_t errcap;
} comp_walk;

static int comp_one(void *ctx, const water_section_row *r)
{
    comp_walk *w = ctx;
    if (!r->compensation || r->target_class == 0)
        return 0;
    int cls[12] = {0};
    bool meets[12] = {false};
    int rc = section_months(w->db, r->code, w->year, w->last_month, cls, meets, w->err,
                            w->errcap);
    if (rc < 0)
        return rc;
    bool classed = false, every = true;
    for (int m = 0; m < w->last_month; m++)
        if (cls[m] != GB3838_CLASS_NONE) {
            classed = true;
            every = every && meets[m];
        }
    w->classed += classed;
    w->meeting += classed && every;
    return 0;
}

static int compensation_statistic(ew_reader *db, int year, int64_t now_utc, double *value,
                                  char *err, size_t errcap)
{
    comp_walk w = {.db = db,
                   .year = year,
                   .last_month = months_through(year, now_utc),
                   .err = err,
                   .errcap = errcap};
    int rc = water_sections_each(db, comp_one, &w, err, errcap);
    if (rc < 0)
        return rc;
    if (w.classed == 0)
        return 0;
    *value = 100.0 * (double)w.meeting / (double)w.classed;
    return 1;
}

/* The worst monthly class of section code in year up to the Beijing month of now_utc. */
static int section_class_statistic(ew_reader *db, const char *code, int year, int64_t now_utc,
                                   double *value, char *err, size_t errcap)
{
    if (!code)
        return 0; /* the plan names no section: no value to show */
    int cls[12] = {0};
    int last = months_through(year, now_utc);
    int rc = section_months(db, code, year, last, cls, NULL, err, errcap);
    if (rc <= 0)
        return rc; /* error, or no such section */
    int worst = GB3838_CLASS_NONE;
    for (int m = 0; m < last; m++)
        if (cls[m] > worst)
            worst = cls[m];
    if (worst == GB3838_CLASS_NONE)
        return 0;
    *value = worst;
    return 1;
}

int water_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                    double *value, char *err, size_t errcap)
{
    if (!strcmp(st, "water.section_class"))
        return section_class_statistic(db, site, year, now_utc, value, err, errcap);
    if (!strcmp(st, "water.compensation_sections_compliance"))
        return compensation_statistic(db, year, now_utc, value, err, errcap);
    if (strcmp(st, "water.worse_than_v_sections"))
        return 0;
    int64_t from, to;
    water_year_so_far(year, now_utc, &from, &to);
    worse_v_count c = {0, 0};
    int rc = water_sections_period(db, from, to, count_worse_v, &c, err, errcap);
    if (rc < 0)
        return rc;
    if (c.classed == 0)
        return 0;
    *value = (double)c.worse_v;
    return 1;
}
