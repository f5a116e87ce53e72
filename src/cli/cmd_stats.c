/* envwatch stats: counts of what a database holds (packets by outcome, observations,
 * sites, rejected packets by reason), as text or one JSON object. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char usage_text[] = "usage: envwatch stats --db FILE [--json]\n"
                                 "\n"
                                 "Counts of stored packets (by outcome), observations, hourly\n"
                                 "values, sites, and rejected packets by reason.\n";

static void add_reason(void *ctx, const char *reason, int64_t n)
{
    json_object_set_new(ctx, reason, json_integer(n));
}

int cmd_stats(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return EW_EXIT_OK;
    }
    const char *db = NULL;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            as_json = 1;
        else {
            fprintf(stderr, "envwatch stats: unexpected argument '%s'\n%s", argv[i], usage_text);
            return EW_EXIT_USAGE;
        }
    }
    if (!db) {
        fprintf(stderr, "envwatch stats: --db is required\n%s", usage_text);
        return EW_EXIT_USAGE;
    }
    if (!store_exists(db)) {
        fprintf(stderr, "envwatch stats: %s: no such database\n", db);
        return EW_EXIT_RUNTIME;
    }
    char err[512];
    store *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "envwatch stats: %s: %s\n", db, err);
        return EW_EXIT_RUNTIME;
    }
    store_counts c;
    json_t *reasons = json_object();
    int rc = EW_EXIT_OK;
    if (store_counts_get(s, &c, err, sizeof err) < 0 ||
        store_reasons_each(s, add_reason, reasons, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch stats: %s\n", err);
        rc = EW_EXIT_RUNTIME;
    } else if (as_json) {
        json_t *o = json_pack(
            "{sI sI sI sI sI sI sI sI sO}", "packets", (json_int_t)c.packets, "packets_stored",
            (json_int_t)c.packets_stored, "packets_duplicate", (json_int_t)c.packets_duplicate,
            "packets_rejected", (json_int_t)c.packets_rejected, "observations",
            (json_int_t)c.observations, "hours", (json_int_t)c.hours, "sites", (json_int_t)c.sites,
            "sites_pending", (json_int_t)c.sites_pending, "rejected_by_reason", reasons);
        char *txt = json_dumps(o, JSON_COMPACT);
        printf("%s\n", txt);
        free(txt);
        json_decref(o);
    } else {
        printf("packets        %lld (stored %lld, duplicate %lld, rejected %lld)\n",
               (long long)c.packets, (long long)c.packets_stored, (long long)c.packets_duplicate,
               (long long)c.packets_rejected);
        printf("observations   %lld\nhourly values  %lld\nsites          %lld (pending %lld)\n",
               (long long)c.observations, (long long)c.hours, (long long)c.sites,
               (long long)c.sites_pending);
        const char *k;
        json_t *v;
        json_object_foreach(reasons, k, v)
        {
            printf("rejected %-16s %lld\n", k, (long long)json_integer_value(v));
        }
    }
    json_decref(reasons);
    store_close(s);
    return rc;
}
