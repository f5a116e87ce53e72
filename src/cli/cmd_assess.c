/* envwatch assess: the air-quality assessment of a period (GB 3095, HJ 663, HJ 633) from
 * hourly CSV files (the national station dataset's wide layout or the long layout).
 *
 * The computation is standards/airq (pure, struct out); this file does the file I/O,
 * station selection and rendering. The JSON form is service/assessment's document (the
 * one GET /api/v1/assessment serves) with two members only this command knows:
 *   "stations": [assessment_station_json …] after "rules", and
 *   "input": {"files","rows","values","missing","bad","flagged"} at the end. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/bjtime.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "service/assessment.h"
#include "service/plan.h"
#include "service/targets.h"
#include "standards/airq.h"
#include "standards/csv.h"


static void usage(FILE *out)
{
    fprintf(out,
            "usage: envwatch assess --from YYYY-MM-DD --to YYYY-MM-DD [options] FILE...\n"
            "\n"
            "Air-quality assessment of a period (GB 3095 limits and validity, HJ 663\n"
            "statistics, HJ 633 daily AQI) from hourly CSV files: the national station\n"
            "dataset (date,hour,type,<station>...) or site,time,parameter,value[,flag].\n"
            "\n"
            "options:\n"
            "  --sites A,B         assess these station codes (default: all in the files)\n"
            "  --city NAME         the stations of NAME in the site list\n"
            "  --site-list FILE    code,name,city,lon,lat,kind (names, --city)\n"
            "  --rules 2012|2026   judge every day by one edition (default: the edition in\n"
            "                      force on each day; 2026 rules from 2026-03-01)\n"
            "  --class 1|2         zone class of GB 3095 (default 2)\n"
            "  --hours 01-24|00-23 hour labels forming a day (default 01-24, HJ 663)\n"
            "  --aggregate days|hours  zone values from station daily values (default) or\n"
            "                      from zone hourly means (mean of stations each hour)\n"
            "  --plan FILE         the plan whose air targets the period is judged by\n"
            "                      (default: the platform's plan file, as `envwatch plan`)\n"
            "  --target-pm25 N --target-good PCT --target-heavy PCT\n"
            "                      override the plan's targets (all three without a plan)\n"
            "  --json | --csv      machine-readable output (default: a table)\n"
            "\n"
            "Exit status: 0 done, 1 the input had bad rows or values (reported as\n"
            "FILE:LINE:COLUMN on stderr; the assessment is still printed), 2 usage, 3 I/O.\n");
}

/* ---------- station table ---------- */

typedef struct station {
    char *code;
    const char *name; /* from the site list, or NULL */
    int32_t *v[AIRQ_NPOLL];
    airq_day *days;
} station;

typedef struct ctx {
    int64_t from, to;
    int ndays;
    size_t nslots; /* (ndays + 1) × 24 hour labels */
    station *st;
    size_t nst, cap;
    int32_t *hash; /* open addressing, station index + 1, 0 = empty */
    size_t hcap;
    char **only; /* --sites / --city filter, NULL = all */
    size_t nonly;
    const char *file;
    size_t printed[5];
    size_t first_missing_line, missing_in_file;
    csv_counts total;
    size_t nfiles_read;
    size_t out_of_period;
} ctx;

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static void rehash(ctx *c)
{
    size_t nc = c->hcap ? c->hcap * 2 : 64;
    int32_t *h = xcalloc(nc, sizeof *h);
    for (size_t i = 0; i < c->nst; i++) {
        size_t k = fnv(c->st[i].code, strlen(c->st[i].code)) & (nc - 1);
        while (h[k])
            k = (k + 1) & (nc - 1);
        h[k] = (int32_t)i + 1;
    }
    free(c->hash);
    c->hash = h;
    c->hcap = nc;
}

static bool wanted(const ctx *c, const char *p, size_t n)
{
    if (!c->only)
        return true;
    for (size_t i = 0; i < c->nonly; i++)
        if (strlen(c->only[i]) == n && memcmp(c->only[i], p, n) == 0)
            return true;
    return false;
}

/* Station of code p[0..n), created on first sight; NULL when filtered out. */
static station *station_get(ctx *c, const char *p, size_t n, bool create)
{
    if (c->hcap) {
        size_t k = fnv(p, n) & (c->hcap - 1);
        while (c->hash[k]) {
            station *s = &c->st[c->hash[k] - 1];
            if (strlen(s->code) == n && memcmp(s->code, p, n) == 0)
                return s;
            k = (k + 1) & (c->hcap - 1);
        }
    }
    if (!create || !wanted(c, p, n))
        return NULL;
    if (c->nst == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->st = xrealloc(c->st, c->cap * sizeof *c->st);
    }
    station *s = &c->st[c->nst++];
    memset(s, 0, sizeof *s);
    s->code = xstrndup(p, n);
    if (c->nst * 2 > c->hcap)
        rehash(c);
    else {
        size_t k = fnv(p, n) & (c->hcap - 1);
        while (c->hash[k])
            k = (k + 1) & (c->hcap - 1);
        c->hash[k] = (int32_t)c->nst;
    }
    return s;
}

static void on_obs(void *vc, const csv_obs *o)
{
    ctx *c = vc;
    if (o->kind != CSV_KIND_1H || o->pollutant < 0)
        return; /* the assessment is built from 1-h values only */
    int64_t idx = (o->day - c->from) * 24 + o->hour;
    if (idx < 0 || (size_t)idx >= c->nslots) {
        c->out_of_period++;
        return;
    }
    station *s = station_get(c, o->site.p, o->site.n, true);
    if (!s)
        return;
    int32_t **v = &s->v[o->pollutant];
    if (!*v) {
        *v = xmalloc(c->nslots * sizeof **v);
        for (size_t i = 0; i < c->nslots; i++)
            (*v)[i] = AIRQ_MISSING;
    }
    (*v)[idx] = o->milli;
}

static void on_issue(void *vc, const csv_issue *i)
{
    ctx *c = vc;
    if (i->kind == CSV_ISSUE_MISSING) {
        if (!c->missing_in_file++)
            c->first_missing_line = i->line;
        if (c->printed[i->kind]++ >= 3)
            return;
    } else if (c->printed[i->kind]++ >= 20) {
        return;
    }
    fprintf(stderr, "%s:%zu:%d: %s%.*s%s%s\n", c->file, i->line, i->column,
            i->site.n ? "station " : "", (int)i->site.n, i->site.p ? i->site.p : "",
            i->site.n ? ": " : "", i->msg);
}

char *cli_read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = xmalloc(cap);
    size_t r;
    while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    *n = len;
    return buf;
}

/* ---------- formatting ---------- */

static void fmt_conc(char *b, size_t cap, airq_pollutant p, int32_t v)
{
    if (v == AIRQ_MISSING) {
        snprintf(b, cap, "—");
        return;
    }
    (void)p;
    ew_format_milli(v, b, cap);
}

static void fmt_x(char *b, size_t cap, int64_t v, int dec)
{
    int64_t s = dec == 2 ? 100 : 10;
    snprintf(b, cap, "%s%lld.%0*lld", v < 0 ? "-" : "", (long long)(llabs(v) / s), dec,
             (long long)(llabs(v) % s));
}

static void day_label(int64_t day, char *b, size_t cap)
{
    ew_format_day(day, b, cap);
}

static const char *const level_zh[6] = {"优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"};

typedef struct view {
    const airq_report *r;
    const ctx *c;
    const size_t *sel; /* selected station indices */
    size_t nsel;
    const airq_report *per; /* per-station reports, nsel of them */
    bool by_hours;          /* zone from hourly means */
    airq_edition requested;
    const airq_opts *o;
} view;

/* The JSON form: the assessment document with this command's stations and input. Caller
 * owns the returned reference (json_decref). */
static json_t *assess_report_json(const view *v)
{
    assessment_how how = {.requested = v->requested, .o = v->o, .by_hours = v->by_hours};
    json_t *doc = assessment_json(v->r, &how);
    json_t *j = json_object();
    json_object_set(j, "period", json_object_get(doc, "period"));
    json_object_set(j, "rules", json_object_get(doc, "rules"));
    json_t *sts = json_array();
    for (size_t i = 0; i < v->nsel; i++) {
        const station *s = &v->c->st[v->sel[i]];
        json_array_append_new(sts, assessment_station_json(&v->per[i], s->code, s->name));
    }
    json_object_set_new(j, "stations", sts);
    const char *k;
    json_t *x;
    json_object_foreach(doc, k, x)
    {
        if (strcmp(k, "period") && strcmp(k, "rules"))
            json_object_set(j, k, x);
    }
    json_decref(doc);
    const csv_counts *t = &v->c->total;
    json_object_set_new(j, "input",
                        json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "files",
                                  (json_int_t)v->c->nfiles_read, "rows", (json_int_t)t->rows,
                                  "values", (json_int_t)t->values, "missing",
                                  (json_int_t)t->missing, "bad", (json_int_t)t->bad, "flagged",
                                  (json_int_t)t->flagged));
    return j;
}

static const char *yes(bool b)
{
    return b ? "是 yes" : "否 no";
}

static void print_table(const view *v)
{
    const airq_report *r = v->r;
    char a[32], b[32], c[32], d[32];
    day_label(r->from_day, a, sizeof a);
    day_label(r->to_day, b, sizeof b);
    printf("环境空气质量评价 Air-quality assessment  %s … %s (%d 天 days)\n", a, b, r->ndays);
    printf("站点 stations:");
    for (size_t i = 0; i < v->nsel; i++) {
        const station *s = &v->c->st[v->sel[i]];
        printf(" %s%s%s", s->code, s->name ? " " : "", s->name ? s->name : "");
    }
    printf("\n评价规则 rules: ");
    if (r->days_by_edition[0])
        printf("%s (%d 天 days)", airq_edition_name(AIRQ_ED_2012), r->days_by_edition[0]);
    if (r->days_by_edition[0] && r->days_by_edition[1])
        printf("; ");
    if (r->days_by_edition[1])
        printf("%s (%d 天 days)", airq_edition_name(AIRQ_ED_2026), r->days_by_edition[1]);
    printf("\n限值 limits: %s, %s类区 Class %d\n\n", r->limits_name, v->o->cls == 1 ? "一" : "二",
           v->o->cls);
    printf("%-6s %-22s %8s %8s %8s %8s %-7s %s\n", "污染物", "统计量 statistic", "浓度", "限值",
           "单项指数", "超标倍数", "达标", "有效天数 valid days");
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        const airq_stat *s = &r->s[p];
        fmt_conc(a, sizeof a, p, s->stat);
        fmt_conc(b, sizeof b, p, s->limit);
        if (s->n) {
            fmt_x(c, sizeof c, s->index_x100, 2);
            fmt_x(d, sizeof d, s->exceed_x100 > 0 ? s->exceed_x100 : 0, 2);
        } else {
            snprintf(c, sizeof c, "—");
            snprintf(d, sizeof d, "—");
        }
        printf("%-6s %-22s %8s %8s %8s %8s %-7s %d/%d%s%s\n", airq_pollutant_name(p),
               assessment_statistic_name_zh(p), a, b, c, d, s->n ? (s->compliant ? "是" : "否") : "—", s->n,
               s->required, s->valid ? "" : "  无效 invalid: ", s->valid ? "" : s->why);
    }
    printf("       (%s: SO2/NO2/PM10/PM2.5 %s, CO %s, O3 %s; µg/m³, CO mg/m³)\n", "statistics",
           assessment_statistic_name(AIRQ_PM25), assessment_statistic_name(AIRQ_CO), assessment_statistic_name(AIRQ_O3));
    if (r->composite_valid) {
        fmt_x(a, sizeof a, r->composite_x100, 2);
        printf("\n综合指数 composite index: %s  (最大单项 main: %s)\n", a,
               airq_pollutant_name(r->main_pollutant));
    } else {
        printf("\n综合指数 composite index: — (a pollutant has no valid day)\n");
    }
    if (r->valid_days) {
        fmt_x(a, sizeof a, r->good_ratio_x10, 1);
        fmt_x(b, sizeof b, r->heavy_ratio_x10, 1);
        fmt_x(c, sizeof c, r->severe_ratio_x10, 1);
        printf("有效天数 valid days: %d\n", r->valid_days);
        printf("优良天数 good days (AQI ≤ 100): %d, 比例 ratio %s %%\n", r->good_days, a);
        printf("重污染天数 heavy days (AQI > 200): %d, 比例 ratio %s %%\n", r->heavy_days, b);
        printf("严重污染天数 severe days (AQI > 300): %d, 比例 ratio %s %%\n", r->severe_days, c);
    } else {
        printf("有效天数 valid days: 0\n");
    }
    printf("各级天数 days by level:");
    for (int i = 0; i < 6; i++)
        printf(" %s %d", level_zh[i], r->level_days[i]);
    printf("\n首要污染物天数 days by primary pollutant:");
    for (int p = 0; p < AIRQ_NPOLL; p++)
        printf(" %s %d", airq_pollutant_name(p), r->primary_days[p]);
    printf("\n");
    if (v->nsel > 1) {
        printf("\n各站 stations: %-8s %-12s %6s %6s %6s %6s %6s %6s %8s %8s\n", "code", "name",
               "SO2", "NO2", "PM10", "PM2.5", "CO", "O3", "综合指数", "优良%");
        for (size_t i = 0; i < v->nsel; i++) {
            const station *s = &v->c->st[v->sel[i]];
            const airq_report *q = &v->per[i];
            printf("              %-8s %-12s", s->code, s->name ? s->name : "");
            for (int p = 0; p < AIRQ_NPOLL; p++) {
                static const int order[AIRQ_NPOLL] = {AIRQ_SO2,  AIRQ_NO2, AIRQ_PM10,
                                                      AIRQ_PM25, AIRQ_CO,  AIRQ_O3};
                fmt_conc(a, sizeof a, order[p], q->s[order[p]].stat);
                printf(" %6s", a);
            }
            if (q->composite_valid)
                fmt_x(a, sizeof a, q->composite_x100, 2);
            else
                snprintf(a, sizeof a, "—");
            if (q->valid_days)
                fmt_x(b, sizeof b, q->good_ratio_x10, 1);
            else
                snprintf(b, sizeof b, "—");
            printf(" %8s %8s\n", a, b);
        }
    }
    if (r->has_targets) {
        const airq_targets *t = &r->targets;
        fmt_conc(a, sizeof a, AIRQ_PM25, r->s[AIRQ_PM25].mean);
        fmt_x(b, sizeof b, t->good_ratio_x10, 1);
        fmt_x(c, sizeof c, t->heavy_ratio_x10, 1);
        printf("\n目标 targets: PM2.5 ≤ %d µg/m³ (实际 actual %s): %s; 优良天数比例 ≥ %s %%: %s; "
               "重污染天数比例 ≤ %s %%: %s\n",
               t->pm25_ugm3, a, yes(r->pm25_target_met), b, yes(r->good_target_met), c,
               yes(r->heavy_target_met));
        const airq_progress *g = &r->progress;
        if (g->in_progress) {
            fmt_x(a, sizeof a, g->pm25_rest_max_x100, 2);
            printf("全年目标剩余要求 rest of the year: 剩余 %d 天 days remain (已过 %d elapsed)\n",
                   g->remaining_days, g->elapsed_days);
            printf("  PM2.5 剩余日均值须 ≤ %s µg/m³ (the remaining days' mean)%s\n", a,
                   g->pm25_reachable ? "" : " — 无法达成 not reachable");
            printf("  优良天数还需 good days still needed: %d (全年 year needs %d)%s\n",
                   g->good_still_needed, g->good_needed_total,
                   g->good_reachable ? "" : " — 无法达成 not reachable");
            printf("  重污染天数尚余 heavy days still allowed: %d (全年 year allows %d)\n",
                   g->heavy_still_allowed, g->heavy_allowed_total);
        }
    }
}

static void print_csv(const view *v)
{
    const airq_report *r = v->r;
    char a[32], b[32], c[32], d[32];
    printf("indicator,statistic,value,unit,limit,index,exceedance,compliant,valid_days,"
           "required_days,valid\n");
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        const airq_stat *s = &r->s[p];
        fmt_conc(a, sizeof a, p, s->stat);
        fmt_conc(b, sizeof b, p, s->limit);
        fmt_x(c, sizeof c, s->index_x100, 2);
        fmt_x(d, sizeof d, s->exceed_x100, 2);
        if (!s->n)
            a[0] = c[0] = d[0] = '\0';
        printf("%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%s\n", airq_pollutant_name(p), assessment_statistic_name(p), a,
               airq_pollutant_unit(p), b, c, d, s->n ? (s->compliant ? "yes" : "no") : "", s->n,
               s->required, s->valid ? "yes" : "no");
    }
    if (r->composite_valid) {
        fmt_x(a, sizeof a, r->composite_x100, 2);
        printf("composite_index,sum of single indices,%s,,,,,,,,\n", a);
    }
    printf("valid_days,count,%d,days,,,,,,,\n", r->valid_days);
    fmt_x(a, sizeof a, r->good_ratio_x10, 1);
    printf("good_days,count,%d,days,,,,,,,\ngood_ratio,percent,%s,%%,,,,,,,\n", r->good_days,
           r->valid_days ? a : "");
    fmt_x(a, sizeof a, r->heavy_ratio_x10, 1);
    printf("heavy_days,count,%d,days,,,,,,,\nheavy_ratio,percent,%s,%%,,,,,,,\n", r->heavy_days,
           r->valid_days ? a : "");
    fmt_x(a, sizeof a, r->severe_ratio_x10, 1);
    printf("severe_days,count,%d,days,,,,,,,\nsevere_ratio,percent,%s,%%,,,,,,,\n", r->severe_days,
           r->valid_days ? a : "");
    if (r->has_targets && r->progress.in_progress) {
        const airq_progress *g = &r->progress;
        fmt_x(a, sizeof a, g->pm25_rest_max_x100, 2);
        printf("rest_pm25_max_mean,mean,%s,µg/m³,,,,,,,\n", a);
        printf("rest_good_days_needed,count,%d,days,,,,,,,\n", g->good_still_needed);
        printf("rest_heavy_days_allowed,count,%d,days,,,,,,,\n", g->heavy_still_allowed);
    }
}

/* ---------- options ---------- */

static int parse_day(const char *s, int64_t *out)
{
    ew_civil c;
    if (strlen(s) != 10 || ew_parse_iso(s, 10, &c) != 0)
        return -1;
    *out = ew_days_from_civil(c.year, c.mon, c.day);
    return 0;
}

/* "66.5" → 665 (tenths), "40" → 40 with dec 0. */
static int parse_fixed(const char *s, int dec, int32_t *out)
{
    int64_t m;
    if (ew_parse_milli(s, strlen(s), &m) != 0 || m < 0 || m > 1000000000)
        return -1;
    int64_t scale = dec == 0 ? 1000 : 100;
    if (m % scale)
        return -1;
    *out = (int32_t)(m / scale);
    return 0;
}

static char **split_list(const char *s, size_t *n)
{
    size_t cap = 8, k = 0;
    char **v = xmalloc(cap * sizeof *v);
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            if (k == cap) {
                cap *= 2;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[k++] = xstrndup(p, len);
        }
        p += len + (e ? 1 : 0);
    }
    *n = k;
    return v;
}

int cmd_assess(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EW_EXIT_OK;
    }
    const char *from_s = NULL, *to_s = NULL, *sites_s = NULL, *city = NULL, *site_list = NULL;
    int fmt = 0;           /* 0 table, 1 json, 2 csv */
    bool by_hours = false; /* --aggregate hours */
    airq_opts o;
    airq_opts_default(&o);
    airq_targets tg = {0, 0, 0};
    const char *plan_file = NULL;
    int tg_given = 0; /* --target-* seen: 1 PM2.5, 2 good, 4 heavy */
    const char **files = xcalloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    int rc = EW_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE()                                                                                     \
    do {                                                                                           \
        if (!val) {                                                                                \
            fprintf(stderr, "envwatch assess: %s needs a value\n", a);                             \
            free(files);                                                                           \
            return EW_EXIT_USAGE;                                                                  \
        }                                                                                          \
        i++;                                                                                       \
    } while (0)
        if (!strcmp(a, "--from")) {
            TAKE();
            from_s = val;
        } else if (!strcmp(a, "--to")) {
            TAKE();
            to_s = val;
        } else if (!strcmp(a, "--sites")) {
            TAKE();
            sites_s = val;
        } else if (!strcmp(a, "--city")) {
            TAKE();
            city = val;
        } else if (!strcmp(a, "--site-list")) {
            TAKE();
            site_list = val;
        } else if (!strcmp(a, "--rules")) {
            TAKE();
            ew_edition e;
            if (ew_edition_parse(val, strlen(val), &e) != 0) {
                fprintf(stderr, "envwatch assess: --rules must be 2012 or 2026\n");
                free(files);
                return EW_EXIT_USAGE;
            }
            o.rules = (airq_edition)e;
        } else if (!strcmp(a, "--class")) {
            TAKE();
            if (strcmp(val, "1") && strcmp(val, "2")) {
                fprintf(stderr, "envwatch assess: --class must be 1 or 2\n");
                free(files);
                return EW_EXIT_USAGE;
            }
            o.cls = val[0] - '0';
        } else if (!strcmp(a, "--hours")) {
            TAKE();
            if (!strcmp(val, "01-24"))
                o.hours = AIRQ_HOURS_1_24;
            else if (!strcmp(val, "00-23"))
                o.hours = AIRQ_HOURS_0_23;
            else {
                fprintf(stderr, "envwatch assess: --hours must be 01-24 or 00-23\n");
                free(files);
                return EW_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--target-pm25") || !strcmp(a, "--target-good") ||
                   !strcmp(a, "--target-heavy")) {
            TAKE();
            int32_t *dst = a[9] == 'p'   ? &tg.pm25_ugm3
                           : a[9] == 'g' ? &tg.good_ratio_x10
                                         : &tg.heavy_ratio_x10;
            if (parse_fixed(val, a[9] == 'p' ? 0 : 1, dst) != 0) {
                fprintf(stderr, "envwatch assess: bad value for %s: %s\n", a, val);
                free(files);
                return EW_EXIT_USAGE;
            }
            tg_given |= a[9] == 'p' ? 1 : a[9] == 'g' ? 2 : 4;
        } else if (!strcmp(a, "--plan")) {
            TAKE();
            plan_file = val;
        } else if (!strcmp(a, "--aggregate")) {
            TAKE();
            if (strcmp(val, "days") && strcmp(val, "hours")) {
                fprintf(stderr, "envwatch assess: --aggregate must be days or hours\n");
                free(files);
                return EW_EXIT_USAGE;
            }
            by_hours = val[0] == 'h';
        } else if (!strcmp(a, "--json")) {
            fmt = 1;
        } else if (!strcmp(a, "--csv")) {
            fmt = 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "envwatch assess: unknown option %s\n", a);
            usage(stderr);
            free(files);
            return EW_EXIT_USAGE;
        } else {
            files[nfiles++] = a;
        }
#undef TAKE
    }
    ctx c;
    memset(&c, 0, sizeof c);
    if (!from_s || !to_s || parse_day(from_s, &c.from) || parse_day(to_s, &c.to) || c.to < c.from ||
        nfiles == 0 || (city && !site_list) || (city && sites_s)) {
        fprintf(stderr, "envwatch assess: need --from and --to (YYYY-MM-DD, from ≤ to), at "
                        "least one FILE, and --site-list with --city (not with --sites)\n");
        usage(stderr);
        free(files);
        return EW_EXIT_USAGE;
    }
    /* The targets: the plan's, each overridden by its --target-* option; without a plan
     * all three options are needed, else the period is assessed without targets. */
    bool has_tg = false;
    {
        airq_targets given = tg;
        char path[PATH_MAX + 64];
        const char *pf = plan_file;
        if (!pf && plan_default_path(path, sizeof path) == 0)
            pf = path;
        plan_error perr;
        plan *pl = pf ? plan_load_file(pf, &perr) : NULL;
        if (pl) {
            has_tg = targets_air_of(pl, &tg);
            plan_free(pl);
        } else if (plan_file) {
            char buf[512];
            fprintf(stderr, "envwatch assess: %s\n", plan_error_format(&perr, buf, sizeof buf));
            free(files);
            return EW_EXIT_RUNTIME;
        }
        if (tg_given & 1)
            tg.pm25_ugm3 = given.pm25_ugm3;
        if (tg_given & 2)
            tg.good_ratio_x10 = given.good_ratio_x10;
        if (tg_given & 4)
            tg.heavy_ratio_x10 = given.heavy_ratio_x10;
        if (!has_tg && tg_given && tg_given != 7) {
            fprintf(stderr, "envwatch assess: the plan's air targets are not available; give "
                            "all three --target-pm25, --target-good, --target-heavy\n");
            free(files);
            return EW_EXIT_USAGE;
        }
        has_tg = has_tg || tg_given == 7;
        if (!has_tg)
            fprintf(stderr, "envwatch assess: no plan targets found; assessing without them\n");
    }
    /* A period reaching today or later is a year in progress: assess up to yesterday
     * (Beijing), the last day whose daily values can be complete. */
    ew_civil now;
    ew_utc_to_bj(ew_now_utc(), &now);
    int64_t yesterday = ew_days_from_civil(now.year, now.mon, now.day) - 1;
    if (c.to > yesterday && c.from <= yesterday) {
        fprintf(stderr, "envwatch assess: assessing up to yesterday, ");
        char lb[16];
        day_label(yesterday, lb, sizeof lb);
        fprintf(stderr, "%s\n", lb);
        c.to = yesterday;
    }
    c.ndays = (int)(c.to - c.from + 1);
    c.nslots = ((size_t)c.ndays + 1) * 24;

    char *sl_buf = NULL;
    csv_site *sites = NULL;
    size_t nsites = 0;
    if (site_list) {
        size_t n;
        sl_buf = cli_read_file(site_list, &n);
        if (!sl_buf) {
            fprintf(stderr, "envwatch assess: %s: %s\n", site_list, strerror(errno));
            free(files);
            return EW_EXIT_RUNTIME;
        }
        c.file = site_list;
        csv_sink sk = {NULL, on_issue, &c};
        if (csv_parse_sites(sl_buf, n, &sk, &sites, &nsites) != 0) {
            free(sl_buf);
            free(files);
            return EW_EXIT_RUNTIME;
        }
    }
    if (sites_s) {
        c.only = split_list(sites_s, &c.nonly);
    } else if (city) {
        c.only = xmalloc((nsites + 1) * sizeof *c.only);
        for (size_t i = 0; i < nsites; i++)
            if (csv_slice_eq(sites[i].city, city))
                c.only[c.nonly++] = xstrndup(sites[i].code.p, sites[i].code.n);
        if (!c.nonly) {
            fprintf(stderr, "envwatch assess: no station of city '%s' in %s\n", city, site_list);
            rc = EW_EXIT_USAGE;
            goto out;
        }
    }

    for (size_t f = 0; f < nfiles; f++) {
        size_t n;
        char *buf = cli_read_file(files[f], &n);
        if (!buf) {
            fprintf(stderr, "envwatch assess: %s: %s\n", files[f], strerror(errno));
            rc = EW_EXIT_RUNTIME;
            goto out;
        }
        c.file = files[f];
        memset(c.printed, 0, sizeof c.printed);
        c.missing_in_file = 0;
        csv_sink sk = {on_obs, on_issue, &c};
        csv_counts k;
        csv_layout lay = csv_detect(buf, n);
        int pr = lay == CSV_LAYOUT_WIDE   ? csv_parse_wide(buf, n, &sk, &k)
                 : lay == CSV_LAYOUT_LONG ? csv_parse_long(buf, n, &sk, &k)
                                          : -1;
        if (lay == CSV_LAYOUT_UNKNOWN)
            fprintf(stderr,
                    "%s:1:1: header is neither date,hour,type,... nor "
                    "site,time,parameter,value\n",
                    files[f]);
        free(buf);
        if (pr != 0) {
            rc = EW_EXIT_FOUND;
            continue;
        }
        if (c.missing_in_file)
            fprintf(stderr, "%s: %zu missing values (first at line %zu)\n", files[f],
                    c.missing_in_file, c.first_missing_line);
        if (k.bad)
            rc = EW_EXIT_FOUND;
        c.nfiles_read++;
        c.total.rows += k.rows;
        c.total.values += k.values;
        c.total.missing += k.missing;
        c.total.bad += k.bad;
        c.total.flagged += k.flagged;
    }

    /* Selected stations: in the order of --sites / the site list, else of first sight. */
    size_t *sel = xmalloc((c.nst + 1) * sizeof *sel), nsel = 0;
    if (c.only) {
        for (size_t i = 0; i < c.nonly; i++) {
            station *s = station_get(&c, c.only[i], strlen(c.only[i]), false);
            if (s)
                sel[nsel++] = (size_t)(s - c.st);
            else
                fprintf(stderr, "envwatch assess: station %s: no data in the period\n", c.only[i]);
        }
    } else {
        for (size_t i = 0; i < c.nst; i++)
            sel[nsel++] = i;
    }
    for (size_t i = 0; i < nsel; i++)
        for (size_t k = 0; k < nsites; k++)
            if (csv_slice_eq(sites[k].code, c.st[sel[i]].code)) {
                c.st[sel[i]].name = xstrndup(sites[k].name.p, sites[k].name.n);
                break;
            }
    if (!nsel) {
        fprintf(stderr, "envwatch assess: no station data in the period\n");
        free(sel);
        rc = EW_EXIT_FOUND;
        goto out;
    }

    const airq_day **sd = xmalloc(nsel * sizeof *sd);
    airq_hourly *hs = xmalloc(nsel * sizeof *hs);
    const airq_hourly **hp = xmalloc(nsel * sizeof *hp);
    for (size_t i = 0; i < nsel; i++) {
        station *s = &c.st[sel[i]];
        hs[i] = (airq_hourly){.day0 = c.from, .ndays = c.ndays};
        for (int p = 0; p < AIRQ_NPOLL; p++)
            hs[i].v[p] = s->v[p];
        hp[i] = &hs[i];
        s->days = xmalloc((size_t)c.ndays * sizeof *s->days);
        airq_days(&hs[i], &o, s->days);
        sd[i] = s->days;
    }
    airq_day *zone = xmalloc((size_t)c.ndays * sizeof *zone);
    if (by_hours) {
        int32_t *zh[AIRQ_NPOLL] = {0};
        airq_hourly z = {.day0 = c.from, .ndays = c.ndays};
        for (int p = 0; p < AIRQ_NPOLL; p++) {
            for (size_t i = 0; i < nsel && !zh[p]; i++)
                if (hs[i].v[p])
                    zh[p] = xmalloc(c.nslots * sizeof *zh[p]);
            z.v[p] = zh[p];
        }
        airq_zone_hours(hp, nsel, zh);
        airq_days(&z, &o, zone);
        for (int p = 0; p < AIRQ_NPOLL; p++)
            free(zh[p]);
    } else {
        airq_aggregate(sd, nsel, c.ndays, c.from, &o, zone);
    }
    free(hp);
    free(hs);
    int32_t *scratch = xmalloc((size_t)c.ndays * sizeof *scratch);
    airq_report r;
    (void)airq_assess(zone, c.from, c.to, &o, has_tg ? &tg : NULL, scratch, &r);
    airq_report *per = xmalloc(nsel * sizeof *per);
    for (size_t i = 0; i < nsel; i++)
        (void)airq_assess(sd[i], c.from, c.to, &o, NULL, scratch, &per[i]);
    view v = {&r, &c, sel, nsel, per, by_hours, o.rules, &o};
    if (fmt == 1) {
        json_t *j = assess_report_json(&v);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        puts(s);
        free(s);
        json_decref(j);
    } else if (fmt == 2) {
        print_csv(&v);
    } else {
        print_table(&v);
    }
    free(per);
    free(scratch);
    free(zone);
    free(sd);
    free(sel);
out:
    for (size_t i = 0; i < c.nst; i++) {
        free(c.st[i].code);
        free((char *)c.st[i].name);
        free(c.st[i].days);
        for (int p = 0; p < AIRQ_NPOLL; p++)
            free(c.st[i].v[p]);
    }
    free(c.st);
    free(c.hash);
    for (size_t i = 0; i < c.nonly; i++)
        free(c.only[i]);
    free(c.only);
    free(sites);
    free(sl_buf);
    free(files);
    return rc;
}
