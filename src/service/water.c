/* water: see water.h. Parsing of the CSVs, the HJ 212 code table, and the period
 * assessment over the store's results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/water.h"
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

/* ---- CSV lines ----------------------------------------------------------------------- */

enum { MAX_FIELDS = 6 };
typedef struct line_fields {
    const char *p[MAX_FIELDS];
    size_t n[MAX_FIELDS];
    int count;
} line_fields;

/* Split line [p, p+n) on commas (no quoting: none of these formats needs it), trimming
 * spaces and a trailing CR. Returns the number of fields, or -1 for more than MAX_FIELDS. */
static int split(const char *p, size_t n, line_fields *f)
{
    if (n && p[n - 1] == '\r')
        n--;
    f->count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != ',')
            continue;
        if (f->count == MAX_FIELDS)
            return -1;
        size_t a = start, b = i;
        while (a < b && p[a] == ' ')
            a++;
        while (b > a && p[b - 1] == ' ')
            b--;
        f->p[f->count] = p + a;
        f->n[f->count] = b - a;
        f->count++;
        start = i + 1;
    }
    return f->count;
}

typedef int (*line_fn)(store *s, const line_fields *f, char *msg, size_t msgcap);

/* Walk the lines of text after the header; call fn for each non-blank line with exactly
 * nfields fields. A line fn refuses (EW_EINVALID) is reported and skipped; any other error
 * rolls everything back. */
static int import_lines(store *s, const char *text, size_t n, int nfields, line_fn fn,
                        water_line_error_fn on_error, void *ctx, int *stored, int *bad, char *err,
                        size_t errcap)
{
    if (store_begin(s, err, errcap) < 0)
        return EW_EINTERNAL;
    int good = 0, wrong = 0, lineno = 0;
    size_t pos = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) : n - pos;
        const char *line = text + pos;
        pos += len + (nl ? 1 : 0);
        lineno++;
        if (lineno == 1)
            continue; /* header */
        line_fields f;
        char msg[256] = "";
        int k = split(line, len, &f);
        if (k == 1 && f.n[0] == 0)
            continue;
        int rc;
        if (k != nfields) {
            snprintf(msg, sizeof msg, "expected %d fields, found %d", nfields, k < 0 ? 7 : k);
            rc = EW_EINVALID;
        } else {
            rc = fn(s, &f, msg, sizeof msg);
        }
        if (rc == EW_EINVALID) {
            wrong++;
            if (on_error)
                on_error(ctx, lineno, msg);
        } else if (rc < 0) {
            ew_errf(err, errcap, rc, "line %d: %s", lineno, msg);
            store_rollback(s);
            return rc;
        } else {
            good++;
        }
    }
    if (store_commit(s, err, errcap) < 0) {
        store_rollback(s);
        return EW_EINTERNAL;
    }
    *stored = good;
    *bad = wrong;
    return 0;
}

static int result_line(store *s, const line_fields *f, char *msg, size_t msgcap)
{
    char section[64], item_name[16];
    if (f->n[0] == 0 || f->n[0] >= sizeof section)
        return ew_errf(msg, msgcap, EW_EINVALID, "section: empty or too long");
    memcpy(section, f->p[0], f->n[0]);
    section[f->n[0]] = 0;
    ew_civil c;
    if (ew_parse_iso(f->p[1], f->n[1], &c))
        return ew_errf(msg, msgcap, EW_EINVALID, "time: '%.*s' is not YYYY-MM-DD[ HH:MM]",
                       (int)f->n[1], f->p[1]);
    gb3838_item it;
    if (gb3838_item_parse(f->p[2], f->n[2], &it))
        return ew_errf(msg, msgcap, EW_EINVALID, "item: '%.*s' is not a GB 3838 item",
                       (int)f->n[2], f->p[2]);
    snprintf(item_name, sizeof item_name, "%s", gb3838_item_name(it));
    int64_t v;
    if (water_parse_micro(f->p[3], f->n[3], &v))
        return ew_errf(msg, msgcap, EW_EINVALID, "value: '%.*s' is not a non-negative number",
                       (int)f->n[3], f->p[3]);
    if (f->n[4] != 1 || (f->p[4][0] != '0' && f->p[4][0] != '1'))
        return ew_errf(msg, msgcap, EW_EINVALID, "below_dl: '%.*s' is not 0 or 1",
                       (int)f->n[4], f->p[4]);
    water_sample_row r = {.section = section,
                          .ts_utc = ew_bj_to_utc(&c),
                          .item = item_name,
                          .value_micro = v,
                          .below_dl = f->p[4][0] == '1',
                          .source = "lab"};
    return water_sample_put(s, &r, msg, msgcap);
}

int water_import_results(store *s, const char *text, size_t n, water_line_error_fn on_error,
                         void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return import_lines(s, text, n, 5, result_line, on_error, ctx, stored, bad, err, errcap);
}

static int section_line(store *s, const line_fields *f, char *msg, size_t msgcap)
{
    char code[64], name[128];
    if (f->n[0] == 0 || f->n[0] >= sizeof code)
        return ew_errf(msg, msgcap, EW_EINVALID, "code: empty or too long");
    if (f->n[1] >= sizeof name)
        return ew_errf(msg, msgcap, EW_EINVALID, "name: too long");
    memcpy(code, f->p[0], f->n[0]);
    code[f->n[0]] = 0;
    memcpy(name, f->p[1], f->n[1]);
    name[f->n[1]] = 0;
    bool lake = f->n[2] == 4 && !memcmp(f->p[2], "lake", 4);
    if (!lake && !(f->n[2] == 5 && !memcmp(f->p[2], "river", 5)))
        return ew_errf(msg, msgcap, EW_EINVALID, "water: '%.*s' is not river or lake",
                       (int)f->n[2], f->p[2]);
    int cls = 0;
    if (gb3838_class_parse(f->p[3], f->n[3], &cls) || cls > GB3838_CLASS_V)
        return ew_errf(msg, msgcap, EW_EINVALID, "target: '%.*s' is not I..V", (int)f->n[3],
                       f->p[3]);
    water_section_row r = {
        .code = code, .name = name[0] ? name : code, .water = lake ? "lake" : "river",
        .target_class = cls};
    return water_section_put(s, &r, msg, msgcap);
}

int water_import_sections(store *s, const char *text, size_t n, water_line_error_fn on_error,
                          void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return import_lines(s, text, n, 4, section_line, on_error, ctx, stored, bad, err, errcap);
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

/* Samples of a period grouped by time; a bounded number (a year of 4-hourly results is
 * 2190), beyond which further results are folded into the last sample's slot. */
enum { MAX_SAMPLES = 2400 };
typedef struct period_acc {
    gb3838_sample *samples;
    int64_t last_ts;
    size_t n;
} period_acc;

static int add_sample(void *ctx, const water_sample_row *r)
{
    period_acc *a = ctx;
    gb3838_item it;
    if (gb3838_item_parse(r->item, strlen(r->item), &it))
        return 0; /* an item this version does not know: skipped */
    if (a->n == 0 || (r->ts_utc != a->last_ts && a->n < MAX_SAMPLES)) {
        gb3838_sample_init(&a->samples[a->n++]);
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

static int copy_section(void *ctx, const water_section_row *r)
{
    water_period *p = ctx;
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
    period_acc a = {.samples = xmalloc(MAX_SAMPLES * sizeof(gb3838_sample))};
    rc = water_samples_each(db, code, from_utc, to_utc, add_sample, &a, err, errcap);
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

typedef struct stat_walk {
    ew_reader *db;
    int64_t from, to;
    size_t classed, worse_v;
    char *err;
    size_t errcap;
} stat_walk;

static int stat_one(void *ctx, const water_section_row *r)
{
    stat_walk *w = ctx;
    water_period p;
    int rc = water_section_period(w->db, r->code, w->from, w->to, &p, w->err, w->errcap);
    if (rc < 0)
        return rc;
    if (rc == 1 && p.result.cls != GB3838_CLASS_NONE) {
        w->classed++;
        w->worse_v += p.worse_v;
    }
    return 0;
}

int water_statistic(ew_reader *db, const char *st, int year, int64_t now_utc, double *value,
                    char *err, size_t errcap)
{
    if (strcmp(st, "water.worse_than_v_sections"))
        return 0;
    stat_walk w = {.db = db, .err = err, .errcap = errcap};
    water_period_bounds(year, 0, &w.from, &w.to);
    if (now_utc < w.to)
        w.to = now_utc;
    int rc = water_sections_each(db, stat_one, &w, err, errcap);
    if (rc < 0)
        return rc;
    if (w.classed == 0)
        return 0;
    *value = (double)w.worse_v;
    return 1;
}
