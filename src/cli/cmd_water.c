/* envwatch water: surface-water classes (GB 3838-2002, the 2011 evaluation method) on the
 * command line.
 *
 *   envwatch water class [--lake] [--target CLASS] [--json] NAME=VALUE...
 *   envwatch water assess --from D --to D [--json] FILE...
 *
 * class judges one sample given as NAME=VALUE; assess judges each section's period from the
 * files of `envwatch import water-sections` and `import water`, read into a private
 * temporary database so that the period values are those the platform itself computes
 * (service/water.h). Both render through net/water_doc.h, the renderer of the API. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "net/water_doc.h"
#include "service/drinking.h"
#include "service/water.h"
#include "standards/gb3838.h"
#include "store/read.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch water class [--lake] [--target CLASS] [--json] NAME=VALUE...\n"
    "       envwatch water assess --from YYYY-MM-DD --to YYYY-MM-DD [--json] FILE...\n"
    "\n"
    "class: the GB 3838-2002 class of one sample (single-factor method of the 2011\n"
    "  evaluation rules: the worst of the evaluated items; water temperature, TN and faecal\n"
    "  coliform are reported, never part of the class).\n"
    "  NAME is an item (pH DO CODMn COD BOD5 NH3-N TP TN Cu Zn F Se As Hg Cd Cr6 Pb CN\n"
    "  phenol oil LAS S2- coliform temp) or an HJ 212 water code (w21003 = NH3-N; the metals\n"
    "  coded in ug/L are converted to mg/L). VALUE in mg/L (pH units, coliform 个/L).\n"
    "  --lake        lakes and reservoirs (their TP limits, TN classed)\n"
    "  --target C    the target class I..V: over_target lists the items worse than it with\n"
    "                their exceedance multiples (C - L)/L against its limit\n"
    "assess: each section's class over the days --from..--to (Beijing time, both included),\n"
    "  from a section list (header code,name,water,target[,compensation]) and laboratory\n"
    "  results (header section,time,item,value,below_dl), the formats of envwatch import\n"
    "  (docs/import-formats.md). Period values are the mean of the period's results.\n"
    "  --json        one JSON document (class: the object below; assess: the document of\n"
    "                GET /api/v1/water/assessment: from, to, data, share, drinking)\n"
    "\n"
    "class --json: {\"class\",\"grade\",\"water\",\"target\",\"meets_target\",\"factors\":\n"
    "  [{\"param\",\"value\",\"class\",\"evaluated\"}],\"worst\":[params],\"over_target\":\n"
    "  [{\"param\",\"multiple\"}]}; classes I..V or 劣V.\n"
    "Exit status: 0 done (assess: every section meets its target), 1 assess found a section\n"
    "  missing its target or a bad line, 2 usage error, 3 runtime error.\n"
    "\n"
    "example: envwatch water class --target III pH=7.6 DO=6.1 CODMn=4.2 NH3-N=1.6 TP=0.12\n";

#define usage_error(...) cli_usage_error("water", __VA_ARGS__)

static int print_json(json_t *o)
{
    int rc = json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
    fputc('\n', stdout);
    json_decref(o);
    return rc == 0 ? EW_EXIT_OK : EW_EXIT_RUNTIME;
}

static const char *class_text(int cls)
{
    const char *n = gb3838_class_name(cls);
    return n ? n : "—";
}

/* The item lines of a result, as text. */
static void items_text(const gb3838_sample *v, const gb3838_result *r)
{
    for (int it = 0; it < GB3838_ITEM_COUNT; it++) {
        if (v->v[it] == GB3838_NA)
            continue;
        char val[32], mult[32] = "";
        wdoc_value_text(v->v[it], val, sizeof val);
        if ((r->over_target & GB3838_BIT(it)) && r->multiple_milli[it] != GB3838_NA)
            snprintf(mult, sizeof mult, "  超标 %.3f 倍", (double)r->multiple_milli[it] / 1000);
        printf("  %-8s %12s  %-4s %s%s%s\n", gb3838_item_name((gb3838_item)it), val,
               class_text(r->item_cls[it]), gb3838_item_name_zh((gb3838_item)it),
               (r->evaluated & GB3838_BIT(it)) ? "" : "（参考项目，不参与评价）", mult);
    }
}

/* ---- class --------------------------------------------------------------------------- */

/* NAME=VALUE into s: a GB 3838 item name, or an HJ 212 code converted to the item's unit. */
static int parse_value(const char *a, gb3838_sample *s, uint32_t *given)
{
    const char *eq = strchr(a, '=');
    if (!eq)
        return usage_error("'%s' is not NAME=VALUE", a);
    size_t nl = (size_t)(eq - a);
    gb3838_item it;
    int64_t div = 1;
    if (gb3838_item_parse(a, nl, &it) && water_hj212_item(a, nl, &it, &div))
        return usage_error("unknown item '%.*s' (names: pH DO CODMn COD BOD5 NH3-N TP TN ..., "
                           "or an HJ 212 water code; see --help)",
                           (int)nl, a);
    if (*given & GB3838_BIT(it))
        return usage_error("%s given twice (or under two names)", gb3838_item_name(it));
    int64_t v;
    if (water_parse_micro(eq + 1, strlen(eq + 1), &v))
        return usage_error("%.*s: '%s' is not a non-negative decimal (at most 6 places)", (int)nl,
                           a, eq + 1);
    if (v % div)
        return usage_error("%.*s: '%s' has more places than 6 after conversion to mg/L", (int)nl, a,
                           eq + 1);
    s->v[it] = v / div;
    *given |= GB3838_BIT(it);
    return 0;
}

static json_t *class_json(const gb3838_sample *v, const gb3838_result *r, gb3838_water w)
{
    json_t *factors = json_array(), *over = json_array();
    for (int it = 0; it < GB3838_ITEM_COUNT; it++) {
        if (v->v[it] == GB3838_NA)
            continue;
        const char *name = gb3838_item_name((gb3838_item)it);
        json_array_append_new(factors,
                              json_pack("{s:s,s:o,s:o,s:b}", "param", name, "value",
                                        wdoc_value(v->v[it]), "class", wdoc_class(r->item_cls[it]),
                                        "evaluated", (r->evaluated & GB3838_BIT(it)) != 0));
        if (r->over_target & GB3838_BIT(it))
            json_array_append_new(over,
                                  json_pack("{s:s,s:o}", "param", name, "multiple",
                                            r->multiple_milli[it] == GB3838_NA
                                                ? json_null()
                                                : json_real((double)r->multiple_milli[it] / 1000)));
    }
    const char *grade = gb3838_grade_name_zh(gb3838_grade_of(r->cls));
    return json_pack("{s:o,s:o,s:s,s:o,s:b,s:o,s:o,s:o}", "class", wdoc_class(r->cls), "grade",
                     grade ? json_string(grade) : json_null(), "water",
                     w == GB3838_LAKE ? "lake" : "river", "target", wdoc_class(r->target),
                     "meets_target", r->meets_target, "factors", factors, "worst", wdoc_worst(r),
                     "over_target", over);
}

static int water_class(int argc, char **argv)
{
    bool json = false;
    gb3838_water w = GB3838_RIVER;
    int target = GB3838_CLASS_NONE;
    gb3838_sample s;
    gb3838_sample_init(&s);
    uint32_t given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--lake")) {
            w = GB3838_LAKE;
        } else if (!strcmp(a, "--target") || !strncmp(a, "--target=", 9)) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || gb3838_class_parse(v, strlen(v), &target) || target > GB3838_CLASS_V)
                return usage_error("--target needs a class I..V");
        } else if (a[0] == '-' && a[1] == '-') {
            return usage_error("unknown option '%s' (see --help)", a);
        } else {
            int rc = parse_value(a, &s, &given);
            if (rc)
                return rc;
        }
    }
    if (!given)
        return usage_error("give at least one NAME=VALUE (see --help)");
    gb3838_result r;
    char err[256] = "";
    if (gb3838_assess(w, &s, target, &r, err, sizeof err)) {
        fprintf(stderr, "envwatch water: %s\n", err);
        return EW_EXIT_USAGE;
    }
    if (json)
        return print_json(class_json(&s, &r, w));
    const char *grade = gb3838_grade_name_zh(gb3838_grade_of(r.cls));
    printf("水质类别 %s%s%s  (%s)\n", class_text(r.cls), grade ? "  " : "", grade ? grade : "",
           w == GB3838_LAKE ? "湖库 lake" : "河流 river");
    if (target != GB3838_CLASS_NONE)
        printf("目标 %s  %s\n", class_text(target), r.meets_target ? "达标" : "未达标");
    items_text(&s, &r);
    if (r.cls == GB3838_CLASS_NONE)
        printf("no evaluated item: no class (temp, TN and coliform are reference items)\n");
    return EW_EXIT_OK;
}

/* ---- assess -------------------------------------------------------------------------- */

static void line_error(void *ctx, int line, const char *msg)
{
    fprintf(stderr, "%s:%d: %s\n", (const char *)ctx, line, msg);
}

/* Which of the two formats text is, from its header (its first line that is neither empty
 * nor a '#' comment): 1 sections, 2 results, 0 neither. */
static int file_kind(const char *text, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && text[e] != '\n')
            e++;
        size_t b = i;
        while (b < e && (text[b] == ' ' || text[b] == '\r'))
            b++;
        if (b < e && text[b] != '#') {
            if (e - b >= 5 && !memcmp(text + b, "code,", 5))
                return 1;
            if (e - b >= 8 && !memcmp(text + b, "section,", 8))
                return 2;
            return 0;
        }
        i = e + 1;
    }
    return 0;
}

typedef struct assess_out {
    size_t sections, missing;
} assess_out;

static int assess_one(void *ctx, const water_period *p)
{
    assess_out *o = ctx;
    o->sections++;
    if (p->target != GB3838_CLASS_NONE && p->result.cls != GB3838_CLASS_NONE &&
        !p->result.meets_target)
        o->missing++;
    const char *grade = gb3838_grade_name_zh(gb3838_grade_of(p->result.cls));
    printf("%s %s  %s类  目标 %s  %s  样品 %zu\n", p->code, p->name, class_text(p->result.cls),
           class_text(p->target),
           p->result.cls == GB3838_CLASS_NONE || p->target == GB3838_CLASS_NONE ? "—"
           : p->result.meets_target                                             ? "达标"
                                                                                : "未达标",
           p->samples);
    if (grade)
        printf("  水质状况 %s\n", grade);
    items_text(&p->values, &p->result);
    return 0;
}

/* One drinking-water source of the period, as text. */
static int drinking_text(void *ctx, const drinking_source *s)
{
    (void)ctx;
    printf("水源地 %s %s  监测 %zu 次  达标 %zu 次  %s\n", s->code, s->name, s->events,
           s->compliant_events,
           s->compliant ? "达标"
           : s->events  ? "不达标"
                        : "—");
    return 0;
}

/* Read every file into the store s (results are kept whether or not their section is
 * listed, so the order of the files does not matter). Returns the count of bad lines, or -1
 * after printing why a file could not be used. */
static int load_files(store *s, int nfiles, char **files)
{
    int bad_total = 0;
    for (int i = 0; i < nfiles; i++) {
        size_t n;
        char *text = cli_read_file(files[i], &n);
        if (!text) {
            fprintf(stderr, "envwatch water: %s: cannot read\n", files[i]);
            return -1;
        }
        int kind = file_kind(text, n);
        int stored = 0, bad = 0, rc = 0;
        char err[512] = "";
        if (kind == 1)
            rc = water_import_sections(s, text, n, line_error, files[i], &stored, &bad, err,
                                       sizeof err);
        else if (kind == 2)
            rc = water_import_results(s, text, n, line_error, files[i], &stored, &bad, err,
                                      sizeof err);
        else
            rc = ew_errf(err, sizeof err, EW_EINVALID,
                         "header is neither code,name,water,target nor "
                         "section,time,item,value,below_dl");
        free(text);
        if (rc < 0) {
            fprintf(stderr, "envwatch water: %s: %s\n", files[i], err);
            return -1;
        }
        bad_total += bad;
    }
    return bad_total;
}

static int parse_day(const char *opt, const char *v, int64_t *day)
{
    ew_civil c;
    if (!v || strlen(v) != 10 || ew_parse_iso(v, 10, &c))
        return usage_error("%s needs a day YYYY-MM-DD", opt);
    *day = ew_days_from_civil(c.year, c.mon, c.day);
    return 0;
}

static int water_assess(int argc, char **argv)
{
    bool json = false;
    int64_t from = 0, to = 0;
    bool have_from = false, have_to = false;
    char **files = xcalloc((size_t)argc, sizeof *files);
    int nfiles = 0, rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--from")) {
            rc = parse_day("--from", i + 1 < argc ? argv[++i] : NULL, &from);
            have_from = true;
        } else if (!strcmp(a, "--to")) {
            rc = parse_day("--to", i + 1 < argc ? argv[++i] : NULL, &to);
            have_to = true;
        } else if (a[0] == '-' && a[1] == '-') {
            rc = usage_error("unknown option '%s' (see --help)", a);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (!rc && (!have_from || !have_to || from > to || !nfiles))
        rc = usage_error("need --from and --to (YYYY-MM-DD, from ≤ to) and at least one FILE");
    if (rc) {
        free(files);
        return rc;
    }

    /* A private database in TMPDIR, gone when the command ends. */
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/envwatch-water-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("envwatch water: temporary database");
        free(files);
        return EW_EXIT_RUNTIME;
    }
    close(fd);
    char err[512] = "";
    int status = EW_EXIT_RUNTIME;
    ew_reader *db = NULL;
    store *s = store_open(path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "envwatch water: %s\n", err);
        goto out;
    }
    int bad = load_files(s, nfiles, files);
    if (bad < 0)
        goto out;
    db = ew_read_open(path, err, sizeof err);
    if (!db) {
        fprintf(stderr, "envwatch water: %s\n", err);
        goto out;
    }
    char fd_s[16], td_s[16];
    ew_format_day(from, fd_s, sizeof fd_s);
    ew_format_day(to, td_s, sizeof td_s);
    int64_t from_utc = ew_bj_day_start(from), to_utc = ew_bj_day_start(to + 1);
    if (json) {
        /* The document of GET /api/v1/water/assessment, the period's days as its labels;
         * the sections missing their target are its share's assessed less meeting. */
        json_t *doc;
        if (wdoc_assessment(db, from_utc, to_utc, fd_s, td_s, &doc, err, sizeof err) < 0) {
            fprintf(stderr, "envwatch water: %s\n", err);
            goto out;
        }
        const json_t *sh = json_object_get(doc, "share");
        json_int_t missing = json_integer_value(json_object_get(sh, "assessed")) -
                             json_integer_value(json_object_get(sh, "meeting"));
        status = bad || missing ? EW_EXIT_FOUND : EW_EXIT_OK;
        int prc = print_json(doc);
        if (prc)
            status = prc;
        goto out;
    }
    assess_out o = {.sections = 0};
    printf("%s .. %s\n", fd_s, td_s);
    int e = water_sections_period(db, from_utc, to_utc, assess_one, &o, err, sizeof err);
    if (e < 0) {
        fprintf(stderr, "envwatch water: %s\n", err);
        goto out;
    }
    status = bad || o.missing ? EW_EXIT_FOUND : EW_EXIT_OK;
    printf("%zu sections, %zu missing their target%s\n", o.sections, o.missing,
           bad ? ", bad lines reported above" : "");
    dwsource_rates rt;
    if (drinking_each(db, from_utc, to_utc, drinking_text, NULL, &rt, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch water: %s\n", err);
        status = EW_EXIT_RUNTIME;
    } else if (rt.sources) {
        printf("饮用水水源地 %zu 个，达标 %zu 个（%.1f%%）；监测 %zu 次，达标 %zu 次\n", rt.sources,
               rt.compliant_sources, (double)rt.by_source_milli / 1000, rt.events,
               rt.compliant_events);
    }
out:
    if (db)
        ew_read_close(db);
    if (s)
        store_close(s);
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    free(files);
    return status;
}

int cmd_water(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EW_EXIT_USAGE : EW_EXIT_OK;
    }
    if (!strcmp(argv[1], "class"))
        return water_class(argc - 1, argv + 1);
    if (!strcmp(argv[1], "assess"))
        return water_assess(argc - 1, argv + 1);
    fprintf(stderr, "envwatch water: '%s' is not class or assess\n%s", argv[1], usage_text);
    return EW_EXIT_USAGE;
}
