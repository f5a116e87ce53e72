/* envwatch: git-style dispatcher over the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "cli/cli.h"

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command commands[] = {
    {"hj212", cmd_hj212, "decode, encode and check HJ 212 packet streams"},
    {"aqi", cmd_aqi, "AQI of single concentrations (HJ 633)"},
    {"assess", cmd_assess, "air-quality assessment of a period (HJ 663) from CSV files"},
    {"serve", cmd_serve, "run the platform: HJ 212 intake and HTTP"},
    {"simulate", cmd_simulate, "simulate HJ 212 devices against a server"},
    {"stats", cmd_stats, "counts of what a database holds"},
    {"plan", cmd_plan, "check and show action-plan files"},
    {"user", cmd_user, "manage accounts: add, list, passwd, disable"},
    {"check", cmd_db_check, "check a database: integrity and the platform's invariants"},
    {"backup", cmd_db_backup, "online backup of a database while the server runs"},
    {"restore", cmd_db_restore, "restore a database from a backup"},
    {"targets", cmd_targets, "where the plan's targets stand (as GET /api/v1/targets)"},
    {"water", cmd_water, "surface-water classes (GB 3838): one sample, or a period from files"},
    {"rules", cmd_rules,
     "the pollution-source rules: list the catalogue, run them over stored data"},
    {"import", cmd_import,
     "import fire points, the emergency list, water, dust fall, flows, black-odorous water"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: envwatch <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'envwatch <command> --help' describes a command.\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "envwatch %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EW_EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return 1;
    }
    return 0;
}

int cli_when_arg(const char *cmd, const char *opt, const char *v, int64_t *out)
{
    int y, m, d;
    char tail;
    if (v && sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
        d <= ew_days_in_month(y, m)) {
        *out = ew_bj_day_start(ew_days_from_civil(y, m, d));
        return 0;
    }
    char *end;
    errno = 0;
    long long t = v ? strtoll(v, &end, 10) : 0;
    if (!v || errno || *end || end == v || t < 0) {
        fprintf(stderr, "envwatch %s: %s needs Unix seconds or YYYY-MM-DD\n", cmd, opt);
        return -1;
    }
    *out = (int64_t)t;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EW_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EW_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("envwatch %s\n", ENVWATCH_VERSION);
        return EW_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "envwatch: '%s' is not a command\n", argv[1]);
    usage(stderr);
    return EW_EXIT_USAGE;
}
