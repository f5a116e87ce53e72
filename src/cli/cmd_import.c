/* envwatch import: load files into a database — satellite fire points (each placed in a
 * town and grouped into cases, service/fires.h), the emergency reduction list
 * (service/emergency.h), water results and sections (service/water.h), dust-fall
 * samples (service/dust.h), flows (service/flow.h), black-odorous water
 * (service/blackwater.h) and the greenhouse-gas code map (service/ghg.h). Formats:
 * docs/import-formats.md, docs/emergency-list.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "service/blackwater.h"
#include "service/dust.h"
#include "service/emergency.h"
#include "service/fires.h"
#include "service/flow.h"
#include "service/ghg.h"
#include "service/riverplan.h"
#include "service/source.h"
#include "service/water.h"
#include "store/read.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch import fires --db FILE CSV\n"
    "       envwatch import emergency-list --db FILE CSV\n"
    "       envwatch import river-plans --db FILE JSON\n"
    "       envwatch import water|water-sections --db FILE CSV\n"
    "       envwatch import dustfall --db FILE CSV\n"
    "       envwatch import flow-sections|flows --db FILE CSV\n"
    "       envwatch import black-odorous-bodies|black-odorous --db FILE CSV\n"
    "       envwatch import power|ghg-codes --db FILE CSV\n"
    "\n"
    "fires: satellite fire points (time,lon,lat,confidence,source; time in Beijing time).\n"
    "  Each point goes to the town of the nearest air station; points of one town within\n"
    "  1 km and 24 h are one fire and open one case. Re-importing a file adds nothing.\n"
    "river-plans: the river emergency plans (docs/river-plans.md): sections upstream to\n"
    "  downstream, contacts, materials, drills; every plan replaced, or none on a fault.\n"
    "emergency-list: the emergency reduction list (docs/emergency-list.md); every entry is\n"
    "  replaced and logged, or none when a line is malformed.\n"
    "water: laboratory results (section,time,item,value,below_dl[,limit]); water-sections:\n"
    "  the section list (code,name,water,target[,compensation[,drinking]]).\n"
    "dustfall: dust-fall jars weighed by the laboratory (point,month,placed,collected,\n"
    "  diameter_cm,m0_g,m1_g,m2_g,invalid,control).\n"
    "flow-sections: ecological-flow control sections (code,name,base_m3s); flows: daily\n"
    "  mean flows (section,date,mean_m3s,exempt).\n"
    "black-odorous-bodies: the black-odorous water list (code,name,area: built_up|rural);\n"
    "  black-odorous: samplings of their points (body,point,seq,time,sd_cm,do,orp_mv,nh3n,\n"
    "  depth_cm; an empty value was not measured).\n"
    "power: 分表计电, the hourly mean power of an outlet's facility (mn,facility,hour,kw; hour\n"
    "  YYYY-MM-DD HH:00 Beijing time), judged with serve --facilities.\n"
    "ghg-codes: the code a greenhouse-gas station sends a gas under (mn,gas,code; gas CO2,\n"
    "  CH4 or N2O): N2O, which HJ 212-2017 has no code for, is reported only with one.\n"
    "  For the line formats (all but fires and emergency-list) bad lines are reported as\n"
    "  FILE:LINE and skipped, the rest stored; exit 1 when any line was bad.\n";

static void line_error(void *ctx, int line, const char *msg)
{
    fprintf(stderr, "%s:%d: %s\n", (const char *)ctx, line, msg);
}

/* The line-by-line formats (service/lineimport.h): the subcommand, what a line is, and the
 * service's import. */
typedef int (*line_import_fn)(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                              void *ctx, int *stored, int *bad, char *err, size_t errcap);
static const struct {
    const char *name, *what;
    line_import_fn fn;
} line_formats[] = {
    {"water", "results", water_import_results},
    {"water-sections", "sections", water_import_sections},
    {"dustfall", "samples", dust_import},
    {"flow-sections", "sections", flow_import_sections},
    {"flows", "days", flow_import_days},
    {"black-odorous-bodies", "bodies", blackwater_import_bodies},
    {"black-odorous", "samplings", blackwater_import_samples},
    {"power", "hours", source_import_power},
    {"ghg-codes", "codes", ghg_import_codes},
};
enum { N_LINE_FORMATS = sizeof line_formats / sizeof line_formats[0] };

static int import_lines(store *s, int lf, const char *file, const char *text, size_t n)
{
    char err[512] = "";
    int stored = 0, bad = 0;
    if (line_formats[lf].fn(s, text, n, line_error, (void *)file, &stored, &bad, err, sizeof err)) {
        fprintf(stderr, "envwatch import: %s: %s\n", file, err);
        return EW_EXIT_RUNTIME;
    }
    printf("%s stored: %d, bad lines: %d\n", line_formats[lf].what, stored, bad);
    return bad ? EW_EXIT_FOUND : EW_EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EW_EXIT_USAGE : EW_EXIT_OK;
    }
    const char *what = argv[1], *db = NULL, *file = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!file && argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "envwatch import: unexpected argument '%s'\n%s", argv[i], usage_text);
            return EW_EXIT_USAGE;
        }
    }
    bool fires = !strcmp(what, "fires");
    int lf = -1;
    for (int i = 0; i < N_LINE_FORMATS; i++)
        if (!strcmp(what, line_formats[i].name))
            lf = i;
    bool lines = lf >= 0;
    bool rivers = !strcmp(what, "river-plans");
    if ((!fires && !lines && !rivers && strcmp(what, "emergency-list")) || !db || !file) {
        fputs(usage_text, stderr);
        return EW_EXIT_USAGE;
    }
    size_t n = 0;
    char *text = cli_read_file(file, &n);
    if (!text) {
        fprintf(stderr, "envwatch import: %s: cannot read\n", file);
        return EW_EXIT_RUNTIME;
    }
    char err[512] = "";
    store *s = store_open(db, err, sizeof err);
    ew_reader *rd = s ? ew_read_open(db, err, sizeof err) : NULL;
    int rc = EW_EXIT_RUNTIME;
    if (!rd) {
        fprintf(stderr, "envwatch import: %s: %s\n", db, err);
    } else if (lines) {
        rc = import_lines(s, lf, file, text, n);
    } else if (fires) {
        fires_towns t;
        int pts = 0, cases = 0, e = fires_towns_load(rd, &t, err, sizeof err);
        if (!e)
            e = fires_import_csv(s, &t, text, n, ew_now_utc(), &pts, &cases, err, sizeof err);
        fires_towns_free(&t);
        if (e)
            fprintf(stderr, "envwatch import fires: %s: %s\n", file, err);
        else
            printf("fire points stored: %d, cases opened: %d\n", pts, cases);
        rc = e == EW_EINVALID ? EW_EXIT_FOUND : e ? EW_EXIT_RUNTIME : EW_EXIT_OK;
    } else if (rivers) {
        int count = 0;
        int e = riverplan_load(s, rd, text, n, "cli", ew_now_utc(), &count, err, sizeof err);
        if (e)
            fprintf(stderr, "envwatch import river-plans: %s: %s\n", file, err);
        else
            printf("river plans loaded: %d\n", count);
        rc = e == EW_EINVALID ? EW_EXIT_FOUND : e ? EW_EXIT_RUNTIME : EW_EXIT_OK;
    } else {
        int count = 0;
        int e = emergency_list_load(s, text, n, "cli", ew_now_utc(), &count, err, sizeof err);
        if (e)
            fprintf(stderr, "envwatch import emergency-list: %s: %s\n", file, err);
        else
            printf("list entries loaded: %d\n", count);
        rc = e == EW_EINVALID ? EW_EXIT_FOUND : e ? EW_EXIT_RUNTIME : EW_EXIT_OK;
    }
    ew_read_close(rd);
    store_close(s);
    free(text);
    return rc;
}
