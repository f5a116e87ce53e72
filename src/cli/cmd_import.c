/* envwatch import: load files into a database — satellite fire points (each placed in a
 * town and grouped into cases, service/fires.h), the emergency reduction list
 * (service/emergency.h), water results and sections (service/water.h) and dust-fall
 * samples (service/dust.h). Formats: docs/import-formats.md, docs/emergency-list.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "service/dust.h"
#include "service/emergency.h"
#include "service/fires.h"
#include "service/flow.h"
#include "service/water.h"
#include "store/read.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: envwatch import fires --db FILE CSV\n"
    "       envwatch import emergency-list --db FILE CSV\n"
    "       envwatch import water|water-sections --db FILE CSV\n"
    "       envwatch import dustfall --db FILE CSV\n"
    "       envwatch import flow-sections|flows --db FILE CSV\n"
    "\n"
    "fires: satellite fire points (time,lon,lat,confidence,source; time in Beijing time).\n"
    "  Each point goes to the town of the nearest air station; points of one town within\n"
    "  1 km and 24 h are one fire and open one case. Re-importing a file adds nothing.\n"
    "emergency-list: the emergency reduction list (docs/emergency-list.md); every entry is\n"
    "  replaced and logged, or none when a line is malformed.\n"
    "water: laboratory results (section,time,item,value,below_dl); water-sections: the\n"
    "  section list (code,name,water,target).\n"
    "dustfall: dust-fall jars weighed by the laboratory (point,month,placed,collected,\n"
    "  diameter_cm,m0_g,m1_g,m2_g,invalid,control).\n"
    "flow-sections: ecological-flow control sections (code,name,base_m3s); flows: daily\n"
    "  mean flows (section,date,mean_m3s,exempt).\n"
    "  For water, water-sections, dustfall, flow-sections and flows bad lines are reported as FILE:LINE and\n"
    "  skipped, the rest stored; exit 1 when any line was bad.\n";

static void line_error(void *ctx, int line, const char *msg)
{
    fprintf(stderr, "%s:%d: %s\n", (const char *)ctx, line, msg);
}

/* The line-by-line formats: water results, water sections, dust-fall samples. */
typedef enum line_format { LF_WATER, LF_SECTIONS, LF_DUST, LF_FLOW_SECTIONS, LF_FLOWS } line_format;

static int import_lines(store *s, line_format lf, const char *file, const char *text, size_t n)
{
    static const char *const what[] = {"results", "sections", "samples", "sections", "days"};
    char err[512] = "";
    int stored = 0, bad = 0;
    void *ctx = (void *)file;
    int e = lf == LF_SECTIONS
                ? water_import_sections(s, text, n, line_error, ctx, &stored, &bad, err, sizeof err)
            : lf == LF_WATER
                ? water_import_results(s, text, n, line_error, ctx, &stored, &bad, err, sizeof err)
            : lf == LF_DUST
                ? dust_import(s, text, n, line_error, ctx, &stored, &bad, err, sizeof err)
            : lf == LF_FLOW_SECTIONS
                ? flow_import_sections(s, text, n, line_error, ctx, &stored, &bad, err, sizeof err)
                : flow_import_days(s, text, n, line_error, ctx, &stored, &bad, err, sizeof err);
    if (e) {
        fprintf(stderr, "envwatch import: %s: %s\n", file, err);
        return EW_EXIT_RUNTIME;
    }
    printf("%s stored: %d, bad lines: %d\n", what[lf], stored, bad);
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
    bool water = !strcmp(what, "water"), sections = !strcmp(what, "water-sections");
    bool dust = !strcmp(what, "dustfall");
    bool flow_sections = !strcmp(what, "flow-sections"), flows = !strcmp(what, "flows");
    bool lines = water || sections || dust || flow_sections || flows;
    if ((!fires && !lines && strcmp(what, "emergency-list")) || !db || !file) {
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
        rc = import_lines(s,
                          water           ? LF_WATER
                          : sections      ? LF_SECTIONS
                          : dust          ? LF_DUST
                          : flow_sections ? LF_FLOW_SECTIONS
                                          : LF_FLOWS,
                          file, text, n);
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
