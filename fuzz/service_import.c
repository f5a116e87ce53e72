/* libFuzzer target: the import formats of `envwatch import` that write to the store —
 * water sections and laboratory results (service/water.h), fire points (service/fires.h),
 * the emergency reduction list (service/emergency.h) and dust-fall samples
 * (service/dust.h), ecological-flow sections and daily flows (service/flow.h) — run against a real SQLite
 * store, as the command runs them. The first byte chooses the format, the rest is the file.
 * The invariants are the headers' promises:
 * - water: 0 with stored + bad ≤ the number of lines and on_error called exactly bad times,
 *   each with a line number inside the file; or a negative error with err filled in.
 * - fires: 0 with cases ≤ points; or an error with err filled in.
 * - emergency list: 0 with count ≤ the number of lines, or an error with err filled in.
 * - dust fall: as water; then the year 2025 as stored reads back with, every month, the
 *   samples used and rejected within those stored, and a mean between minimum and maximum.
 * - flows: as water; then the year 2025 reads back with, per section, compliant ≤ valid
 *   days, valid + missing + exempt = days, and a rate within 0..100 %.
 * - water also reads back the drinking-water sources of 2025: per source compliant events ≤
 *   events, and rates within 0..100 % with compliant sources ≤ sources.
 * - black-odorous bodies and samplings (service/blackwater.h): as water; then 2025 reads
 *   back with, per graded body, heavy + light points ≤ points ≤ samplings.
 * The air history CSV parsers are fuzzed by standards_csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "service/blackwater.h"
#include "service/drinking.h"
#include "service/dust.h"
#include "service/emergency.h"
#include "service/fires.h"
#include "service/flow.h"
#include "service/water.h"
#include "store/read.h"
#include "store/store.h"

/* A fresh database every so many inputs keeps an overnight run's file small. */
enum { RENEW_EVERY = 2000 };

static char dir[64], path[96];
static store *db;
static ew_reader *rd;
static fires_towns towns;
static unsigned inputs;

static const char seed_sections[] = "code,name,water,target\n"
                                    "CH01,潮河,river,IV\n"
                                    "QL02,七里河,river,V\n";

static void on_line_error(void *ctx, int line, const char *msg)
{
    int *calls = ctx;
    (void)msg;
    CHECK(line >= 1);
    calls[0]++;
    if (line > calls[1])
        calls[1] = line;
}

static void close_db(void)
{
    fires_towns_free(&towns);
    memset(&towns, 0, sizeof towns);
    ew_read_close(rd);
    store_close(db);
    rd = NULL;
    db = NULL;
    unlink(path);
    char side[128];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void cleanup(void)
{
    close_db();
    rmdir(dir);
}

static void open_db(void)
{
    char err[256] = "";
    db = store_open(path, err, sizeof err);
    rd = db ? ew_read_open(path, err, sizeof err) : NULL;
    if (!rd || fires_towns_load(rd, &towns, err, sizeof err)) {
        fprintf(stderr, "service_import: %s: %s\n", path, err);
        abort();
    }
    /* Two sections, so that results lines can name a known one. */
    int stored = 0, bad = 0, calls[2] = {0, 0};
    CHECK(water_import_sections(db, seed_sections, sizeof seed_sections - 1, on_line_error, calls,
                                &stored, &bad, err, sizeof err) == 0 &&
          stored == 2 && bad == 0);
}

static void setup(void)
{
    /* tmpfs when there is one: every import commits, and a commit is an fsync. */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/ew-fuzz-import-XXXXXX", base);
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/import.db", dir);
    open_db();
    atexit(cleanup);
}

static int check_flow_year(void *ctx, const flow_section_year *y)
{
    (void)ctx;
    const ecoflow_rate *q = &y->rate;
    CHECK(q->days == 365 && q->compliant <= q->valid);
    CHECK(q->valid + q->missing + q->exempt == q->days);
    CHECK(q->rate_milli == ECOFLOW_NA || (q->rate_milli >= 0 && q->rate_milli <= 100000));
    return 0;
}

static int check_source(void *ctx, const drinking_source *s)
{
    (void)ctx;
    CHECK(s->compliant_events <= s->events);
    CHECK(!s->compliant || (s->events > 0 && s->compliant_events == s->events));
    return 0;
}

static int check_body(void *ctx, const blackwater_body *b)
{
    (void)ctx;
    if (b->graded) {
        const blackodor_body *g = &b->grade;
        CHECK(g->heavy_points + g->light_points <= g->points && g->points <= b->samplings);
    }
    return 0;
}

static int lines_in(const char *p, size_t n)
{
    int lines = n > 0 && p[n - 1] != '\n';
    for (size_t i = 0; i < n; i++)
        lines += p[i] == '\n';
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    if (size < 1)
        return 0;
    if (++inputs % RENEW_EVERY == 0) {
        close_db();
        open_db();
    }
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    int lines = lines_in(text, n);
    char err[512] = "";
    switch (data[0] % 9) {
    case 0:
    case 1: {
        int stored = -1, bad = -1, calls[2] = {0, 0};
        int rc = data[0] % 9 == 0 ? water_import_sections(db, text, n, on_line_error, calls, &stored,
                                                          &bad, err, sizeof err)
                                  : water_import_results(db, text, n, on_line_error, calls,
                                                         &stored, &bad, err, sizeof err);
        if (rc == 0) {
            CHECK(stored >= 0 && bad >= 0 && stored + bad <= lines);
            CHECK(calls[0] == bad && calls[1] <= lines);
            dwsource_rates r;
            CHECK(drinking_year_each(rd, 2025, 1767225600, check_source, NULL, &r, err,
                                     sizeof err) == 0);
            CHECK(r.compliant_sources <= r.sources && r.compliant_events <= r.events);
            CHECK(r.by_source_milli == GB3838_NA ||
                  (r.by_source_milli >= 0 && r.by_source_milli <= 100000));
        } else {
            CHECK(rc < 0 && err[0] != '\0');
        }
        break;
    }
    case 7:
    case 8: {
        int stored = -1, bad = -1, calls[2] = {0, 0};
        int rc = data[0] % 9 == 7 ? blackwater_import_bodies(db, text, n, on_line_error, calls,
                                                             &stored, &bad, err, sizeof err)
                                  : blackwater_import_samples(db, text, n, on_line_error, calls,
                                                              &stored, &bad, err, sizeof err);
        if (rc != 0) {
            CHECK(rc < 0 && err[0] != '\0');
            break;
        }
        CHECK(stored >= 0 && bad >= 0 && stored + bad <= lines);
        CHECK(calls[0] == bad && calls[1] <= lines);
        CHECK(blackwater_year_each(rd, 2025, 1767225600, check_body, NULL, err, sizeof err) == 0);
        break;
    }
    case 2: {
        int points = -1, cases = -1;
        int rc =
            fires_import_csv(db, &towns, text, n, 1767225600, &points, &cases, err, sizeof err);
        if (rc == 0)
            CHECK(points >= 0 && cases >= 0 && cases <= points && points <= lines);
        else
            CHECK(err[0] != '\0');
        break;
    }
    case 4: {
        int stored = -1, bad = -1, calls[2] = {0, 0};
        int rc = dust_import(db, text, n, on_line_error, calls, &stored, &bad, err, sizeof err);
        if (rc != 0) {
            CHECK(rc < 0 && err[0] != '\0');
            break;
        }
        CHECK(stored >= 0 && bad >= 0 && stored + bad <= lines);
        CHECK(calls[0] == bad && calls[1] <= lines);
        dust_year y;
        CHECK(dust_year_of(rd, 2025, 1767225600 /* 2026-01-01 */, &y, err, sizeof err) == 0);
        for (int m = 0; m < 12; m++) {
            const dustfall_mean *d = &y.months[m];
            CHECK(d->used + d->rejected + d->controls <= d->sites);
            if (d->mean_milli != DUSTFALL_NA)
                CHECK(d->used > 0 && d->min_milli <= d->mean_milli && d->mean_milli <= d->max_milli);
        }
        break;
    }
    case 5:
    case 6: {
        int stored = -1, bad = -1, calls[2] = {0, 0};
        int rc = data[0] % 9 == 5 ? flow_import_sections(db, text, n, on_line_error, calls,
                                                         &stored, &bad, err, sizeof err)
                                  : flow_import_days(db, text, n, on_line_error, calls, &stored,
                                                     &bad, err, sizeof err);
        if (rc != 0) {
            CHECK(rc < 0 && err[0] != '\0');
            break;
        }
        CHECK(stored >= 0 && bad >= 0 && stored + bad <= lines);
        CHECK(calls[0] == bad && calls[1] <= lines);
        CHECK(flow_year_each(rd, 2025, 1767225600 /* 2026-01-01 */, NULL, check_flow_year, NULL,
                             err, sizeof err) == 0);
        break;
    }
    default: {
        int count = -1;
        int rc = emergency_list_load(db, text, n, "fuzz", 1767225600, &count, err, sizeof err);
        if (rc == 0)
            CHECK(count >= 0 && count <= lines);
        else
            CHECK(err[0] != '\0');
        break;
    }
    }
    return 0;
}
