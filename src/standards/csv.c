/* csv: parsers of the national station dataset, the long layout and site lists. See csv.h. */
#include "standards/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "standards/airq.h"
#include "standards/edition.h"

int csv_slice_eq(csv_slice s, const char *z)
{
    size_t n = strlen(z);
    return s.n == n && strncasecmp(s.p, z, n) == 0;
}

/* Line cursor: yields lines without their "\n" / "\r\n"; skips a UTF-8 BOM. */
typedef struct cursor {
    const char *p, *end;
    size_t line;
} cursor;

static void cursor_init(cursor *c, const char *buf, size_t n)
{
    c->p = buf;
    c->end = buf + n;
    c->line = 0;
    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
}

static bool next_line(cursor *c, csv_slice *l)
{
    if (c->p >= c->end)
        return false;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *e = nl ? nl : c->end;
    l->p = c->p;
    l->n = (size_t)(e - c->p);
    if (l->n && l->p[l->n - 1] == '\r')
        l->n--;
    c->p = nl ? nl + 1 : c->end;
    c->line++;
    return true;
}

/* Next comma-separated field of *l (consumed). A field wholly in double quotes loses them;
 * a quote inside a field, or an embedded "" escape, is refused (-1): none of these files
 * needs them and unescaping would mean copying. Returns 1 field, 0 end of line, -1 bad. */
static int next_field(csv_slice *l, bool *more, csv_slice *f)
{
    if (!*more)
        return 0;
    const char *p = l->p, *e = l->p + l->n;
    if (p < e && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));
        if (!q || (q + 1 < e && q[1] != ','))
            return -1;
        f->p = p + 1;
        f->n = (size_t)(q - p - 1);
        p = q + 1;
    } else {
        const char *c = memchr(p, ',', (size_t)(e - p));
        const char *fe = c ? c : e;
        if (memchr(p, '"', (size_t)(fe - p)))
            return -1;
        f->p = p;
        f->n = (size_t)(fe - p);
        p = fe;
    }
    if (p < e) { /* at a comma */
        p++;
        *more = true;
    } else {
        *more = false;
    }
    l->n = (size_t)(e - p);
    l->p = p;
    return 1;
}

static csv_slice trim(csv_slice s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
        s.n--;
    return s;
}

static void issue(const csv_sink *s, csv_issue_kind k, size_t line, int col, csv_slice site,
                  const char *msg)
{
    if (s && s->issue) {
        csv_issue i = {k, line, col, site, msg};
        s->issue(s->ctx, &i);
    }
}

static int parse_uint(csv_slice s, int lo, int hi, int *out)
{
    if (s.n == 0 || s.n > 9)
        return -1;
    int v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* A value cell: 0 value, 1 missing, -1 bad. Values are non-negative decimals; larger than
 * 2,000,000 (far beyond any ambient value, and int32 milli-units) is refused. */
static int parse_value(csv_slice s, int32_t *out)
{
    s = trim(s);
    if (s.n == 0 || csv_slice_eq(s, "NA") || csv_slice_eq(s, "NaN") || csv_slice_eq(s, "-") ||
        csv_slice_eq(s, "—"))
        return 1;
    int64_t m;
    if (ew_parse_milli(s.p, s.n, &m) != 0 || m < 0 || m > 2000000000)
        return -1;
    *out = (int32_t)m;
    return 0;
}

typedef struct type_def {
    const char *name;
    int pollutant;
    csv_kind kind;
} type_def;

/* The 15 types of the national dataset (CNEMC field dictionary). */
static const type_def wide_types[] = {
    {"AQI", -1, CSV_KIND_AQI},
    {"PM2.5", AIRQ_PM25, CSV_KIND_1H},
    {"PM2.5_24h", AIRQ_PM25, CSV_KIND_24H},
    {"PM10", AIRQ_PM10, CSV_KIND_1H},
    {"PM10_24h", AIRQ_PM10, CSV_KIND_24H},
    {"SO2", AIRQ_SO2, CSV_KIND_1H},
    {"SO2_24h", AIRQ_SO2, CSV_KIND_24H},
    {"NO2", AIRQ_NO2, CSV_KIND_1H},
    {"NO2_24h", AIRQ_NO2, CSV_KIND_24H},
    {"O3", AIRQ_O3, CSV_KIND_1H},
    {"O3_24h", AIRQ_O3, CSV_KIND_MAX1H_24H},
    {"O3_8h", AIRQ_O3, CSV_KIND_8H},
    {"O3_8h_24h", AIRQ_O3, CSV_KIND_MAX8H_24H},
    {"CO", AIRQ_CO, CSV_KIND_1H},
    {"CO_24h", AIRQ_CO, CSV_KIND_24H},
};

/* Long-layout parameter names: pollutant names here, HJ 212—2017 Table B codes from airq's
 * table (airq_pollutant_of_code). */
static const type_def long_params[] = {
    {"PM2.5", AIRQ_PM25, CSV_KIND_1H}, {"PM25", AIRQ_PM25, CSV_KIND_1H},
    {"PM10", AIRQ_PM10, CSV_KIND_1H},  {"SO2", AIRQ_SO2, CSV_KIND_1H},
    {"NO2", AIRQ_NO2, CSV_KIND_1H},    {"O3", AIRQ_O3, CSV_KIND_1H},
    {"CO", AIRQ_CO, CSV_KIND_1H},
};

/* The hourly value of a pollutant named by its HJ 212 code, or NULL. The entries are made
 * by pollutant; the codes themselves are airq's. */
static const type_def *code_type(csv_slice s)
{
    static const type_def by_code[AIRQ_NPOLL] = {
        [AIRQ_SO2] = {NULL, AIRQ_SO2, CSV_KIND_1H}, [AIRQ_NO2] = {NULL, AIRQ_NO2, CSV_KIND_1H},
        [AIRQ_PM10] = {NULL, AIRQ_PM10, CSV_KIND_1H}, [AIRQ_CO] = {NULL, AIRQ_CO, CSV_KIND_1H},
        [AIRQ_O3] = {NULL, AIRQ_O3, CSV_KIND_1H}, [AIRQ_PM25] = {NULL, AIRQ_PM25, CSV_KIND_1H}};
    int p = airq_pollutant_of_code(s.p, s.n);
    return p < 0 ? NULL : &by_code[p];
}

static const type_def *find_type(const type_def *t, size_t n, csv_slice s)
{
    for (size_t i = 0; i < n; i++)
        if (csv_slice_eq(s, t[i].name))
            return &t[i];
    return NULL;
}

csv_layout csv_detect(const char *buf, size_t n)
{
    cursor c;
    csv_slice l, f;
    cursor_init(&c, buf, n);
    if (!next_line(&c, &l))
        return CSV_LAYOUT_UNKNOWN;
    bool more = true;
    if (next_field(&l, &more, &f) != 1)
        return CSV_LAYOUT_UNKNOWN;
    f = trim(f);
    if (csv_slice_eq(f, "date"))
        return CSV_LAYOUT_WIDE;
    if (csv_slice_eq(f, "site"))
        return CSV_LAYOUT_LONG;
    return CSV_LAYOUT_UNKNOWN;
}

static void count_row(csv_counts *k)
{
    if (k)
        k->rows++;
}

int csv_parse_wide(const char *buf, size_t n, const csv_sink *sink, csv_counts *counts)
{
    csv_counts dummy;
    csv_counts *k = counts ? counts : &dummy;
    memset(k, 0, sizeof *k);
    const csv_slice none = {NULL, 0};
    cursor c;
    csv_slice l, f;
    cursor_init(&c, buf, n);
    if (!next_line(&c, &l)) {
        issue(sink, CSV_ISSUE_BAD_HEADER, 1, 0, none, "empty file");
        return -1;
    }
    /* Header: date,hour,type, then one column per station. */
    static const char *const fixed[3] = {"date", "hour", "type"};
    bool more = true;
    for (int i = 0; i < 3; i++)
        if (next_field(&l, &more, &f) != 1 || !csv_slice_eq(trim(f), fixed[i])) {
            issue(sink, CSV_ISSUE_BAD_HEADER, 1, i + 1, none,
                  "header must start with date,hour,type");
            return -1;
        }
    size_t ncol = 0, cap = 64;
    csv_slice *cols = xmalloc(cap * sizeof *cols);
    int r;
    while ((r = next_field(&l, &more, &f)) == 1) {
        if (ncol == cap) {
            cap *= 2;
            cols = xrealloc(cols, cap * sizeof *cols);
        }
        cols[ncol] = trim(f);
        if (cols[ncol].n == 0) {
            /* values without a station cannot be attributed: the file is refused */
            issue(sink, CSV_ISSUE_BAD_HEADER, 1, (int)ncol + 4, none, "empty station code");
            free(cols);
            return -1;
        }
        ncol++;
    }
    if (r < 0 || ncol == 0) {
        issue(sink, CSV_ISSUE_BAD_HEADER, 1, 0, none, "no station columns");
        free(cols);
        return -1;
    }
    while (next_line(&c, &l)) {
        if (l.n == 0)
            continue;
        count_row(k);
        csv_slice row = l;
        more = true;
        csv_slice fd, fh, ft;
        int date, hour;
        if (next_field(&row, &more, &fd) != 1 || next_field(&row, &more, &fh) != 1 ||
            next_field(&row, &more, &ft) != 1) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 0, none, "fewer than 3 fields");
            k->bad++;
            continue;
        }
        fd = trim(fd);
        if (fd.n != 8 || parse_uint(fd, 19000101, 29991231, &date) != 0) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 1, none, "date is not YYYYMMDD");
            k->bad++;
            continue;
        }
        ew_civil cv = {.year = date / 10000, .mon = date / 100 % 100, .day = date % 100};
        if (!ew_civil_valid(&cv)) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 1, none, "date does not exist");
            k->bad++;
            continue;
        }
        if (parse_uint(trim(fh), 0, 23, &hour) != 0) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 2, none, "hour is not 0-23");
            k->bad++;
            continue;
        }
        const type_def *t =
            find_type(wide_types, sizeof wide_types / sizeof wide_types[0], trim(ft));
        if (!t) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 3, none, "unknown type");
            k->bad++;
            continue;
        }
        /* Check the field count before using any cell: a short or long row is misaligned
         * and none of its cells can be trusted. */
        size_t nf = 1;
        for (size_t i = 0; i < row.n; i++)
            nf += row.p[i] == ',';
        if (!more || nf != ncol) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 0, none,
                  "number of fields differs from the header");
            k->bad++;
            continue;
        }
        csv_obs o = {.day = ew_days_from_civil(cv.year, cv.mon, cv.day),
                     .hour = hour,
                     .pollutant = t->pollutant,
                     .kind = t->kind,
                     .line = c.line};
        for (size_t i = 0; i < ncol; i++) {
            if (next_field(&row, &more, &f) != 1) {
                issue(sink, CSV_ISSUE_BAD_VALUE, c.line, (int)i + 4, cols[i], "bad quoting");
                k->bad++;
                break;
            }
            int32_t v;
            int pr = parse_value(f, &v);
            if (pr == 1) {
                issue(sink, CSV_ISSUE_MISSING, c.line, (int)i + 4, cols[i], "missing value");
                k->missing++;
            } else if (pr < 0) {
                issue(sink, CSV_ISSUE_BAD_VALUE, c.line, (int)i + 4, cols[i],
                      "not a non-negative number");
                k->bad++;
            } else {
                o.site = cols[i];
                o.milli = v;
                k->values++;
                if (sink && sink->obs)
                    sink->obs(sink->ctx, &o);
            }
        }
    }
    free(cols);
    return 0;
}

int csv_parse_long(const char *buf, size_t n, const csv_sink *sink, csv_counts *counts)
{
    csv_counts dummy;
    csv_counts *k = counts ? counts : &dummy;
    memset(k, 0, sizeof *k);
    const csv_slice none = {NULL, 0};
    cursor c;
    csv_slice l, f[6];
    cursor_init(&c, buf, n);
    if (!next_line(&c, &l) || csv_detect(buf, n) != CSV_LAYOUT_LONG) {
        issue(sink, CSV_ISSUE_BAD_HEADER, 1, 0, none,
              "header must be site,time,parameter,value[,flag]");
        return -1;
    }
    while (next_line(&c, &l)) {
        if (l.n == 0)
            continue;
        count_row(k);
        bool more = true;
        int nf = 0, r = 0;
        while (nf < 6 && (r = next_field(&l, &more, &f[nf])) == 1)
            nf++;
        if (r < 0 || nf < 4 || nf > 5) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 0, none, "expected 4 or 5 fields");
            k->bad++;
            continue;
        }
        csv_slice site = trim(f[0]), tm = trim(f[1]);
        ew_civil cv;
        if (site.n == 0) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 1, none, "empty site");
            k->bad++;
            continue;
        }
        if (ew_parse_iso(tm.p, tm.n, &cv) != 0 || cv.min != 0 || cv.sec != 0 || tm.n < 13) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 2, site,
                  "time is not YYYY-MM-DD HH:00 (Beijing)");
            k->bad++;
            continue;
        }
        const type_def *t =
            find_type(long_params, sizeof long_params / sizeof long_params[0], trim(f[2]));
        if (!t)
            t = code_type(trim(f[2]));
        if (!t) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 3, site, "unknown parameter");
            k->bad++;
            continue;
        }
        if (nf == 5) {
            csv_slice fl = trim(f[4]);
            if (fl.n && !csv_slice_eq(fl, "N")) {
                issue(sink, CSV_ISSUE_FLAGGED, c.line, 5, site, "flag marks the value invalid");
                k->flagged++;
                continue;
            }
        }
        int32_t v;
        int pr = parse_value(f[3], &v);
        if (pr == 1) {
            issue(sink, CSV_ISSUE_MISSING, c.line, 4, site, "missing value");
            k->missing++;
            continue;
        }
        if (pr < 0) {
            issue(sink, CSV_ISSUE_BAD_VALUE, c.line, 4, site, "not a non-negative number");
            k->bad++;
            continue;
        }
        csv_obs o = {.site = site,
                     .day = ew_days_from_civil(cv.year, cv.mon, cv.day),
                     .hour = cv.hour,
                     .pollutant = t->pollutant,
                     .kind = t->kind,
                     .milli = v,
                     .line = c.line};
        k->values++;
        if (sink && sink->obs)
            sink->obs(sink->ctx, &o);
    }
    return 0;
}

/* Degrees "113.727" → 113727000 (× 1e6), within ±180. */
static int parse_deg(csv_slice s, int32_t *out)
{
    int64_t m;
    s = trim(s);
    if (ew_parse_milli(s.p, s.n, &m) == 0) {
        if (m < -180000 || m > 180000)
            return -1;
        *out = (int32_t)(m * 1000);
        return 0;
    }
    /* more than three decimals: split at the point and scale by hand */
    const char *dot = memchr(s.p, '.', s.n);
    if (!dot)
        return -1;
    int64_t ip;
    if (ew_parse_milli(s.p, (size_t)(dot - s.p), &ip) != 0)
        return -1;
    size_t fn = s.n - (size_t)(dot - s.p) - 1;
    if (fn == 0 || fn > 9)
        return -1;
    int64_t fr = 0, sc = 1000000;
    for (size_t i = 0; i < fn; i++) {
        char ch = dot[1 + i];
        if (ch < '0' || ch > '9')
            return -1;
        sc /= 10;
        fr += (ch - '0') * (sc ? sc : 0);
    }
    int64_t v = ip / 1000 * 1000000 + (ip < 0 || s.p[0] == '-' ? -fr : fr);
    if (v < -180000000 || v > 180000000)
        return -1;
    *out = (int32_t)v;
    return 0;
}

int csv_parse_sites(const char *buf, size_t n, const csv_sink *sink, csv_site **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    const csv_slice none = {NULL, 0};
    cursor c;
    csv_slice l, f[7];
    cursor_init(&c, buf, n);
    static const char *const hdr[6] = {"code", "name", "city", "lon", "lat", "kind"};
    bool more = true;
    if (!next_line(&c, &l)) {
        issue(sink, CSV_ISSUE_BAD_HEADER, 1, 0, none, "empty file");
        return -1;
    }
    for (int i = 0; i < 6; i++) {
        csv_slice h;
        if (next_field(&l, &more, &h) != 1 || !csv_slice_eq(trim(h), hdr[i])) {
            issue(sink, CSV_ISSUE_BAD_HEADER, 1, i + 1, none,
                  "header must be code,name,city,lon,lat,kind");
            return -1;
        }
    }
    size_t cap = 16, cnt = 0;
    csv_site *v = xmalloc(cap * sizeof *v);
    while (next_line(&c, &l)) {
        if (l.n == 0 || l.p[0] == '#')
            continue;
        more = true;
        int nf = 0, r = 0;
        while (nf < 7 && (r = next_field(&l, &more, &f[nf])) == 1)
            nf++;
        csv_site s = {.line = c.line};
        if (r < 0 || nf != 6) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 0, none, "expected 6 fields");
            continue;
        }
        s.code = trim(f[0]);
        s.name = trim(f[1]);
        s.city = trim(f[2]);
        s.kind = trim(f[5]);
        if (s.code.n == 0) {
            issue(sink, CSV_ISSUE_BAD_ROW, c.line, 1, none, "empty code");
            continue;
        }
        if (parse_deg(f[3], &s.lon_e6) != 0 || parse_deg(f[4], &s.lat_e6) != 0 ||
            s.lat_e6 < -90000000 || s.lat_e6 > 90000000) {
            issue(sink, CSV_ISSUE_BAD_VALUE, c.line, 4, s.code, "bad lon/lat");
            continue;
        }
        if (cnt == cap) {
            cap *= 2;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[cnt++] = s;
    }
    *out = v;
    *count = cnt;
    return 0;
}
