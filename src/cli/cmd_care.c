/* envwatch check / backup / restore: the soundness check of a database, an online backup
 * while the server runs, and restoring one (store.h: store_check, store_backup,
 * store_restore). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char check_usage[] =
    "usage: envwatch check --db DB [--quick] [--json]\n"
    "\n"
    "Checks a database: SQLite's integrity check, foreign keys, and the platform's own\n"
    "invariants (append-only triggers in place, case event logs without gaps, every stored\n"
    "packet's observations present, attachments matching their SHA-256). --quick runs\n"
    "SQLite's quick_check only (what serve runs at start).\n"
    "Exit status: 0 sound, 1 problems found (listed), 2 usage, 3 the database cannot be read.\n";

static const char backup_usage[] =
    "usage: envwatch backup --db DB --to FILE [--json]\n"
    "\n"
    "Online backup: one consistent snapshot of DB written to FILE (which must not exist)\n"
    "while the server goes on writing. FILE appears only when complete.\n"
    "Exit status: 0 done, 2 usage, 3 the backup failed (nothing is left at FILE).\n";

static const char restore_usage[] =
    "usage: envwatch restore --from FILE --db DB [--replace] [--json]\n"
    "\n"
    "Restores a backup into DB. The backup is checked first (envwatch check) and refused\n"
    "if it has problems. An existing DB is overwritten only with --replace; stop the\n"
    "server first.\n"
    "Exit status: 0 done, 1 the backup is not sound, 2 usage, 3 the restore failed.\n";

typedef struct care_args {
    const char *db, *to, *from;
    bool quick, json, replace;
} care_args;

/* Parse the options of one of the three commands; 0, or an exit status. */
static int parse(const char *cmd, const char *usage, int argc, char **argv, care_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--db") && v)
            a->db = argv[++i];
        else if (!strcmp(o, "--to") && v && !strcmp(cmd, "backup"))
            a->to = argv[++i];
        else if (!strcmp(o, "--from") && v && !strcmp(cmd, "restore"))
            a->from = argv[++i];
        else if (!strcmp(o, "--quick") && !strcmp(cmd, "check"))
            a->quick = true;
        else if (!strcmp(o, "--replace") && !strcmp(cmd, "restore"))
            a->replace = true;
        else if (!strcmp(o, "--json"))
            a->json = true;
        else {
            fprintf(stderr, "envwatch %s: unexpected argument '%s'\n%s", cmd, o, usage);
            return EW_EXIT_USAGE;
        }
    }
    if (!a->db || (!strcmp(cmd, "backup") && !a->to) || (!strcmp(cmd, "restore") && !a->from)) {
        fprintf(stderr, "envwatch %s: missing a required option\n%s", cmd, usage);
        return EW_EXIT_USAGE;
    }
    return 0;
}

typedef struct found {
    json_t *list; /* --json: [{"what","detail"}] */
} found;

static void on_problem(void *ctx, const char *what, const char *detail)
{
    found *f = ctx;
    if (f->list)
        json_array_append_new(f->list, json_pack("{s:s,s:s}", "what", what, "detail", detail));
    else
        printf("%-20s %s\n", what, detail);
}

int cmd_db_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(check_usage, stdout);
        return EW_EXIT_OK;
    }
    care_args a;
    int st = parse("check", check_usage, argc, argv, &a);
    if (st)
        return st;
    char err[512];
    found f = {a.json ? json_array() : NULL};
    int n = store_check_at(a.db, a.quick, on_problem, &f, err, sizeof err);
    if (n < 0) {
        json_decref(f.list);
        fprintf(stderr, "envwatch %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    if (a.json) {
        json_t *o = json_pack("{s:b,s:b,s:i,s:o}", "sound", n == 0, "quick", a.quick, "problems",
                              n, "found", f.list);
        char *t = json_dumps(o, JSON_COMPACT);
        puts(t);
        free(t);
        json_decref(o);
    } else if (n == 0) {
        printf("%s: sound (%s check)\n", a.db, a.quick ? "quick" : "full");
    } else {
        printf("%s: %d problem%s found\n", a.db, n, n == 1 ? "" : "s");
    }
    return n ? EW_EXIT_FOUND : EW_EXIT_OK;
}

static void print_copy(const char *verb, const store_copy_stats *c, bool json, const char *to)
{
    if (json) {
        json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:f}", "file", to, "pages", (json_int_t)c->pages,
                              "bytes", (json_int_t)c->bytes, "last_packet",
                              (json_int_t)c->last_packet, "seconds", c->seconds);
        char *t = json_dumps(o, JSON_COMPACT);
        puts(t);
        free(t);
        json_decref(o);
        return;
    }
    double mb = (double)c->bytes / 1e6;
    printf("%s %s: %lld pages, %.1f MB in %.2f s (%.0f MB/s); last packet %lld\n", verb, to,
           (long long)c->pages, mb, c->seconds, c->seconds > 0 ? mb / c->seconds : 0.0,
           (long long)c->last_packet);
}

int cmd_db_backup(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(backup_usage, stdout);
        return EW_EXIT_OK;
    }
    care_args a;
    int st = parse("backup", backup_usage, argc, argv, &a);
    if (st)
        return st;
    char err[512];
    store_copy_stats c;
    int rc = store_backup(a.db, a.to, &c, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "envwatch %s\n", err);
        return rc == EW_EINVALID || rc == EW_ECONFLICT ? EW_EXIT_USAGE : EW_EXIT_RUNTIME;
    }
    print_copy("backed up to", &c, a.json, a.to);
    return EW_EXIT_OK;
}

int cmd_db_restore(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(restore_usage, stdout);
        return EW_EXIT_OK;
    }
    care_args a;
    int st = parse("restore", restore_usage, argc, argv, &a);
    if (st)
        return st;
    char err[512];
    store_copy_stats c;
    int rc = store_restore(a.from, a.db, a.replace, &c, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "envwatch %s\n", err);
        /* not sound: the work found a problem; exists without --replace: usage */
        return rc == EW_EINVALID ? EW_EXIT_FOUND : rc == EW_ECONFLICT ? EW_EXIT_USAGE : EW_EXIT_RUNTIME;
    }
    print_copy("restored into", &c, a.json, a.db);
    return EW_EXIT_OK;
}
