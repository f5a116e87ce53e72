/* envwatch targets: where the plan's targets stand, from a database — the same document as
 * GET /api/v1/targets (net/targets_doc.h), as a Chinese table or, with --json, as the API's
 * JSON ({"data":[rows], ...envelope}, without the page), so the command line, the API and
 * every screen show one value, projection and status. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bjtime.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "net/targets_doc.h"
#include "service/plan.h"
#include "standards/edition.h"
#include "store/read.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch targets --db FILE [--year Y] [--rules 2012|2026] [--plan FILE] [--json]\n"
    "\n"
    "Where every target of the plan stands in year Y (default: this Beijing year): the value\n"
    "so far, the year-end projection, what the rest of the year must achieve, and its status:\n"
    "预计达标 (projected to meet), 有风险 (projected to miss, still reachable), 无法达成 (no\n"
    "longer reachable), or for a year that is over 已达标 / 未达标. --rules judges every day\n"
    "under one edition of HJ 633 (default: each day by the edition in force). --json prints\n"
    "the document of GET /api/v1/targets. The clock honours ENVWATCH_NOW.\n";

static const char *json_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A number as the API holds it, or "—" for null; a GB 3838 class (unit 类, Ⅰ = 1 … 劣Ⅴ = 6)
 * as the dashboard writes it (web/src/ui.js tval). */
static void num(const json_t *v, const char *unit, char *buf, size_t cap)
{
    static const char *const cls[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
    double d = json_number_value(v);
    if (json_is_number(v) && !strcmp(unit, "类") && d >= 1 && d <= 6 && d == (int)d)
        snprintf(buf, cap, "%s", cls[(int)d - 1]);
    else if (json_is_number(v))
        snprintf(buf, cap, "%g", json_number_value(v));
    else
        snprintf(buf, cap, "—");
}

/* The status words of the dashboard (web/src/ui.js targetStatusText), from the row's
 * status token (service/targets.h targets_status). */
static const char *status_zh(const json_t *row)
{
    static const char *const words[][2] = {
        {"on_track", "预计达标"}, {"at_risk", "有风险"}, {"cannot", "无法达成"},
        {"met", "已达标"},        {"missed", "未达标"},
    };
    const char *st = json_str(row, "status");
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(st, words[i][0]))
            return words[i][1];
    return "暂无数据";
}

static void print_text(const json_t *rows, const json_t *meta)
{
    printf("%s  %d 年  判定规则 %s  数据截至 %s\n", json_str(meta, "plan"),
           (int)json_integer_value(json_object_get(meta, "year")), json_str(meta, "rules"),
           json_is_string(json_object_get(meta, "as_of")) ? json_str(meta, "as_of") : "—");
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        char value[32], projected[32], target[32];
        const char *unit = json_str(row, "unit");
        num(json_object_get(row, "value"), unit, value, sizeof value);
        num(json_object_get(row, "projected"), unit, projected, sizeof projected);
        num(json_object_get(row, "target"), unit, target, sizeof target);
        const char *cmp = json_str(row, "comparator");
        const char *sym = !strcmp(cmp, "<=")     ? "≤"
                          : !strcmp(cmp, ">=")   ? "≥"
                          : !strcmp(cmp, "done") ? "完成"
                                                 : cmp;
        printf("%s\t%s %s %s\t当前 %s\t预计 %s\t%s\n", json_str(row, "name"), sym,
               strcmp(cmp, "done") ? target : "", json_str(row, "unit"), value, projected,
               status_zh(row));
    }
}

int cmd_targets(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return EW_EXIT_OK;
    }
    const char *db = NULL, *plan_file = NULL, *year_s = NULL, *rules_s = NULL;
    bool as_json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--plan") && i + 1 < argc)
            plan_file = argv[++i];
        else if (!strcmp(argv[i], "--year") && i + 1 < argc)
            year_s = argv[++i];
        else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
            rules_s = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            as_json = true;
        else {
            fprintf(stderr, "envwatch targets: unexpected argument '%s'\n%s", argv[i], usage_text);
            return EW_EXIT_USAGE;
        }
    }
    int64_t now = ew_now_utc();
    ew_civil c;
    ew_utc_to_bj(now, &c);
    int year = c.year;
    char *end = NULL;
    if (year_s && ((year = (int)strtol(year_s, &end, 10)) < 2000 || year > 9999 || *end)) {
        fprintf(stderr, "envwatch targets: --year must be a year, got '%s'\n", year_s);
        return EW_EXIT_USAGE;
    }
    airq_edition ed = AIRQ_ED_AUTO;
    ew_edition e;
    if (rules_s) {
        if (ew_edition_parse(rules_s, strlen(rules_s), &e)) {
            fprintf(stderr, "envwatch targets: --rules must be 2012 or 2026, got '%s'\n", rules_s);
            return EW_EXIT_USAGE;
        }
        ed = (airq_edition)e;
    }
    if (!db) {
        fprintf(stderr, "envwatch targets: --db is required\n%s", usage_text);
        return EW_EXIT_USAGE;
    }
    if (!store_exists(db)) {
        fprintf(stderr, "envwatch targets: %s: no such database\n", db);
        return EW_EXIT_RUNTIME;
    }
    plan *pl = cli_plan_open("targets", plan_file);
    if (!pl)
        return EW_EXIT_RUNTIME;
    char err[512] = "";
    /* Opening the store first brings an older database up to this binary's schema, as
     * every command that takes --db does; the targets are then read through a reader. */
    store *st = store_open(db, err, sizeof err);
    ew_reader *rd = st ? ew_read_open(db, err, sizeof err) : NULL;
    json_t *rows = NULL, *meta = NULL;
    int rc = EW_EXIT_OK;
    if (!rd || tdoc_build(rd, pl, year, ed, now, &rows, &meta, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch targets: %s: %s\n", db, err);
        rc = EW_EXIT_RUNTIME;
    } else if (as_json) {
        json_object_set(meta, "data", rows);
        char *s = json_dumps(meta, JSON_COMPACT);
        puts(s);
        free(s);
    } else {
        print_text(rows, meta);
    }
    json_decref(rows);
    json_decref(meta);
    ew_read_close(rd);
    store_close(st);
    plan_free(pl);
    return rc;
}
