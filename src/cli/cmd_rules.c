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
    "usage: envwatch rules list [--rules FILE] [--json]\n"
    "       envwatch rules run --db FILE [--from T] [--to T] [--limits FILE] [--rules FILE]\n"
    "                          [--facilities FILE] [--json]\n"
    "\n"
    "list: every rule of the pollution-source scan (exceedances and falsification-suspect\n"
    "screens) with its Chinese name, its source, the thresholds applied and what it is judged\n"
    "on; --json prints the array GET /api/v1/rules answers.\n"
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

static int rule_print(void *ctx, const source_rule *r)
{
    (void)ctx;
    /* The Chinese name last: its width in columns is not its length in bytes. */
    printf("%-20s %-3s %s\n%24s%s\n%24s%s\n", r->id, r->applied ? "yes" : "no", r->name_zh, "",
           r->thresholds, "", r->note);
    return 0;
}

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

static int rules_list(int argc, char **argv)
{
    int as_json = 0;
    const char *rules = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            as_json = 1;
        else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
            rules = argv[++i];
        else
            return cli_usage_error("rules", "unexpected argument '%s'", argv[i]);
    }
    source_config cfg = source_config_default();
    int rc = load_rules(rules, &cfg);
    if (rc)
        return rc;
    if (as_json) {
        json_t *a = rdoc_rules(&cfg);
        char *t = json_dumps(a, JSON_COMPACT);
        printf("%s\n", t);
        free(t);
        json_decref(a);
    } else {
        printf("%-20s %-3s %s\n", "rule", "run", "name / thresholds / judged on");
        (void)source_rules_each(&cfg, rule_print, NULL);
    }
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
