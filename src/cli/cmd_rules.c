/* envwatch rules: the pollution-source rules (service/source.h) — the catalogue with the
 * thresholds in force, and a re-run of the rules over stored hourly data that adds only what
 * is not stored yet. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "net/rules_doc.h"
#include "service/source.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch rules list [--rules FILE] [--db FILE] [--json]\n"
    "       envwatch rules run --db FILE [--from T] [--to T] [--limits FILE] [--rules FILE]\n"
    "                          [--facilities FILE] [--json]\n"
    "\n"
    "list: every rule of the pollution-source scan (exceedances and falsification-suspect\n"
    "screens) with its Chinese name, its source, the thresholds applied and what it is judged\n"
    "on; with --db, what became of the cases each rule's alerts opened (open, closed, and\n"
    "the findings recorded when they were closed: confirmed, explained, false alarm);\n"
    "--json prints the array GET /api/v1/rules answers.\n"
    "\n"
    "run: judge every outlet's stored hourly data in [--from, --to) again, as the server's\n"
    "scan does, and store the alerts and cases not stored yet. Running it again adds nothing.\n"
    "The server's scan positions are neither read nor moved.\n"
    "  --from T, --to T   Unix seconds or a Beijing date YYYY-MM-DD (--to default: now,\n"
    "                     --from default: 366 days before --to)\n"
    "  --limits FILE      load outlet limits (docs/source-limits.md) first\n"
    "  --rules FILE       thresholds as serve --rules takes them (default: the documented\n"
    "                     defaults)\n"
    "  --facilities FILE  the outlets' production and treatment facilities, as serve\n"
    "                     --facilities takes them (分表计电)\n"
    "  --json             one JSON object with the counts\n";

/* --rules FILE into *cfg. Returns 0, or an exit status after saying why. */
static int load_rules(const char *path, source_config *cfg)
{
    char err[512];
    if (path && source_config_load(cfg, path, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch rules: --rules: %s\n", err);
        return EW_EXIT_USAGE;
    }
    return 0;
}

/* The text form of a catalogue row: id, whether it runs, the Chinese name last (its width in
 * columns is not its length in bytes), then the thresholds, what it is judged on, and with
 * --db what became of its cases. */
static void rule_print(const json_t *row)
{
    char *th = json_dumps(json_object_get(row, "thresholds"), JSON_COMPACT);
    printf("%-20s %-3s %s\n%24s%s\n%24s%s\n", json_string_value(json_object_get(row, "id")),
           json_is_true(json_object_get(row, "applied")) ? "yes" : "no",
           json_string_value(json_object_get(row, "name_zh")), "", th ? th : "", "",
           json_string_value(json_object_get(row, "note")));
    free(th);
    if (json_object_get(row, "cases")) {
        const json_t *share = json_object_get(row, "false_alarm_share");
        printf("%24scases %lld: open %lld, closed %lld (confirmed %lld, explained %lld, "
               "false alarms %lld",
               "", (long long)json_integer_value(json_object_get(row, "cases")),
               (long long)json_integer_value(json_object_get(row, "cases_open")),
               (long long)json_integer_value(json_object_get(row, "cases_closed")),
               (long long)json_integer_value(json_object_get(row, "confirmed")),
               (long long)json_integer_value(json_object_get(row, "explained")),
               (long long)json_integer_value(json_object_get(row, "false_alarms")));
        if (json_is_number(share))
            printf(", %.1f %% of those with a finding", 100.0 * json_number_value(share));
        printf(")\n");
    }
}

static int rules_list(int argc, char **argv)
{
    int as_json = 0;
    const char *rules = NULL, *db = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            as_json = 1;
        else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
            rules = argv[++i];
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else
            return cli_usage_error("rules", "unexpected argument '%s'", argv[i]);
    }
    source_config cfg = source_config_default();
    int rc = load_rules(rules, &cfg);
    if (rc)
        return rc;
    json_t *a = rdoc_rules(&cfg);
    if (db) {
        char err[512];
        store *s = store_exists(db) ? store_open(db, err, sizeof err) : NULL;
        if (!s) {
            fprintf(stderr, "envwatch rules: %s: %s\n", db,
                    store_exists(db) ? err : "no such database");
            json_decref(a);
            return EW_EXIT_RUNTIME;
        }
        /* Whoever holds the database file reads all of it, as the bureau does. */
        const case_actor who = {.name = "system", .role = EW_ROLE_ADMIN};
        rc = rdoc_rules_cases(a, s, &who, err, sizeof err);
        store_close(s);
        if (rc) {
            fprintf(stderr, "envwatch rules: %s\n", err);
            json_decref(a);
            return EW_EXIT_RUNTIME;
        }
    }
    if (as_json) {
        char *t = json_dumps(a, JSON_COMPACT);
        printf("%s\n", t);
        free(t);
    } else {
        printf("%-20s %-3s %s\n", "rule", "run", "name / thresholds / judged on");
        size_t i;
        json_t *row;
        json_array_foreach(a, i, row) rule_print(row);
    }
    json_decref(a);
    return EW_EXIT_OK;
}

static int rules_run(int argc, char **argv)
{
    const char *db = NULL, *limits = NULL, *rules = NULL, *facilities = NULL;
    int as_json = 0;
    int64_t now = ew_now_utc(), to = now, from = -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--db") && v)
            db = v, i++;
        else if (!strcmp(a, "--limits") && v)
            limits = v, i++;
        else if (!strcmp(a, "--rules") && v)
            rules = v, i++;
        else if (!strcmp(a, "--facilities") && v)
            facilities = v, i++;
        else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
            if (cli_when_arg("rules", a, v, a[2] == 'f' ? &from : &to) < 0)
                return EW_EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--json"))
            as_json = 1;
        else
            return cli_usage_error("rules", "unexpected argument '%s'", a);
    }
    if (!db)
        return cli_usage_error("rules", "run needs --db FILE");
    if (from < 0)
        from = to - 366 * 86400LL;
    if (to <= from)
        return cli_usage_error("rules", "--to must be after --from");
    source_config cfg = source_config_default();
    int bad = load_rules(rules, &cfg);
    if (bad)
        return bad;
    if (!store_exists(db)) {
        fprintf(stderr, "envwatch rules: %s: no such database\n", db);
        return EW_EXIT_RUNTIME;
    }
    char err[512];
    store *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "envwatch rules: %s: %s\n", db, err);
        return EW_EXIT_RUNTIME;
    }
    int n_lim = 0;
    if (limits && source_limits_load(s, limits, "system", now, &n_lim, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch rules: --limits %s: %s\n", limits, err);
        store_close(s);
        return EW_EXIT_RUNTIME;
    }
    source_facilities fs = {0};
    if (facilities && source_facilities_load(&fs, facilities, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch rules: --facilities: %s\n", err);
        store_close(s);
        return EW_EXIT_USAGE;
    }
    cfg.facilities = &fs;
    source_scan_result r;
    int rc = source_rescan(s, &cfg, from, to, now, &r, err, sizeof err);
    store_close(s);
    source_facilities_free(&fs);
    if (rc < 0) {
        fprintf(stderr, "envwatch rules: %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    if (as_json)
        printf("{\"outlets\":%d,\"hours\":%lld,\"alerts_new\":%d,\"alerts_updated\":%d,"
               "\"cases_opened\":%d}\n",
               r.outlets, (long long)r.hours, r.alerts_new, r.alerts_moved, r.cases_opened);
    else
        printf("outlets %d, hourly values %lld: %d new alerts, %d updated, %d cases opened\n",
               r.outlets, (long long)r.hours, r.alerts_new, r.alerts_moved, r.cases_opened);
    return EW_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EW_EXIT_USAGE : EW_EXIT_OK;
    }
    if (!strcmp(argv[1], "list"))
        return rules_list(argc, argv);
    if (!strcmp(argv[1], "run"))
        return rules_run(argc, argv);
    return cli_usage_error("rules", "unknown subcommand '%s' (list, run)", argv[1]);
}
