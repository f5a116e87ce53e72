/* Benchmark: the office side on a temporary SQLite database (WAL, synchronous=FULL as
 * shipped, so every committed transaction is one fsync).
 *
 *   bench_service_office [cases]      (default 20,000)
 *
 * (a) casework_open + accept + assign for each case (three transactions a case), spread over
 *     20 units; (b) casework_load + casework_apply sign for each, by the assigned unit;
 * (c) office_cases_each: one page of 20 of one unit's cases with the total count, the query
 *     a unit's case list makes; (d) casework_escalate_due 30 days later, every case overdue
 *     (two levels each: 督办, then 挂牌督办 after the 7-day listing period); (e)
 *     office_session_get, the lookup every signed-in request makes. Prints throughput and the
 *     peak RSS. */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "service/casework.h"
#include "store/office.h"
#include "store/store.h"

#define UNITS 20
#define PAGE 20
#define SESSIONS 1000
#define LOOKUPS 200000
/* 2025-06-01T09:00:00+08:00 */
#define T0 INT64_C(1748739600)
#define DAY INT64_C(86400)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb, (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

static char dir[256]; /* the temporary directory, removed on every exit */

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_service_office: %s: %s\n", what, msg);
    if (dir[0])
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    exit(1);
}

static int count_row(void *ctx, const office_case *c)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

static int session_seen(void *ctx, const office_session *ses, const office_user *u)
{
    (void)u;
    *(int64_t *)ctx += ses->user_id;
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    if (n < UNITS) {
        fprintf(stderr, "usage: bench_service_office [cases >= %d]\n", UNITS);
        return 2;
    }
    const char *tmp = getenv("TMPDIR");
    char path[300], err[256];
    snprintf(dir, sizeof dir, "%s/ew_bench_office_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        die("mkdtemp", dir);
    snprintf(path, sizeof path, "%s/t.db", dir);
    store *s = store_open(path, err, sizeof err);
    if (!s)
        die("store_open", err);

    char units[UNITS][16];
    case_actor staff[UNITS];
    for (int u = 0; u < UNITS; u++) {
        snprintf(units[u], sizeof units[u], "town-%02d", u + 1);
        staff[u] = (case_actor){.name = units[u], .role = EW_ROLE_UNIT, .org = units[u]};
    }
    const case_actor public_user = {.name = "public", .role = EW_ROLE_PUBLIC};
    const case_actor bureau = {.name = "zhang", .role = EW_ROLE_BUREAU, .org = "sthj"};
    int64_t *ids = malloc((size_t)n * sizeof *ids);
    if (!ids)
        die("malloc", "ids");
    case_error ce;
    char tracking[CASE_TRACKING_LEN + 1];

    /* (a) open, accept, assign. */
    double t = now_s();
    for (int i = 0; i < n; i++) {
        case_report r = {.source = CASE_SRC_PUBLIC_REPORT,
                         .category = (case_category)(i % CASE_CAT_OTHER),
                         .location = "经开区第九大街与经南五路交叉口",
                         .lon = 113.78,
                         .lat = 34.70,
                         .description = "工地裸土未覆盖,扬尘明显"};
        casework_meta m = {.created_by = "public", .reporter_contact = "13800000000"};
        int64_t at = T0 + i;
        case_cmd acc = {.action = CASE_ACT_ACCEPT};
        case_cmd asg = {
            .action = CASE_ACT_ASSIGN, .unit = units[i % UNITS], .deadline_utc = T0 + 3 * DAY};
        if (casework_open(s, &r, &public_user, &m, at, &ids[i], tracking, &ce) ||
            casework_apply(s, ids[i], &acc, &bureau, at, NULL, &ce) ||
            casework_apply(s, ids[i], &asg, &bureau, at, NULL, &ce))
            die("open/accept/assign", ce.msg);
    }
    double t_open = now_s() - t;

    /* (b) load, then sign by the assigned unit. */
    t = now_s();
    for (int i = 0; i < n; i++) {
        int rc;
        ew_case *c = casework_load(s, ids[i], NULL, &rc, &ce);
        if (!c)
            die("load", ce.msg);
        case_free(c);
        case_cmd sign = {.action = CASE_ACT_SIGN};
        if (casework_apply(s, ids[i], &sign, &staff[i % UNITS], T0 + DAY, NULL, &ce))
            die("sign", ce.msg);
    }
    double t_sign = now_s() - t;

    /* (c) one page of one unit's cases with the total. */
    int reps = 2000, rows = 0;
    int64_t total = 0;
    office_case_filter f = {.unit = units[7], .limit = PAGE};
    t = now_s();
    for (int k = 0; k < reps; k++)
        if (office_cases_each(s, &f, &total, count_row, &rows, err, sizeof err) < 0)
            die("cases_each", err);
    double t_page = now_s() - t;
    int64_t want = n / UNITS + (7 < n % UNITS); /* cases i with i % UNITS == 7 */
    if (total != want || rows != reps * (want < PAGE ? (int)want : PAGE))
        die("cases_each", "unexpected page size or total");

    /* (d) escalate everything, 30 days on. */
    int raised = 0;
    t = now_s();
    if (casework_escalate_due(s, T0 + 30 * DAY, NULL, &raised, &ce))
        die("escalate", ce.msg);
    double t_esc = now_s() - t;
    if (raised != 2 * n)
        die("escalate", "not every case was raised two levels");

    /* (e) session lookups over SESSIONS live sessions. */
    office_user u = {.name = "zhang", .role = "bureau", .org = "sthj", .pw_hash = "x"};
    int64_t uid;
    if (office_user_put(s, &u, &uid, err, sizeof err) < 0)
        die("user_put", err);
    uint8_t(*hash)[OFFICE_TOKEN_HASH] = malloc(SESSIONS * sizeof *hash);
    if (!hash)
        die("malloc", "hashes");
    for (int k = 0; k < SESSIONS; k++) {
        for (int b = 0; b < OFFICE_TOKEN_HASH; b++) /* distinct: k in the first two bytes */
            hash[k][b] = b < 2 ? (uint8_t)(k >> (8 * b)) : (uint8_t)(k * 131 + b * 7);
        office_session ses = {
            .user_id = uid, .csrf = "c", .created_utc = T0, .expires_utc = T0 + 30 * DAY};
        memcpy(ses.token_hash, hash[k], OFFICE_TOKEN_HASH);
        if (office_session_put(s, &ses, err, sizeof err) < 0)
            die("session_put", err);
    }
    int64_t seen = 0;
    t = now_s();
    for (int k = 0; k < LOOKUPS; k++)
        if (office_session_get(s, hash[(k * 7919) % SESSIONS], session_seen, &seen, err,
                               sizeof err) != 1)
            die("session_get", err);
    double t_ses = now_s() - t;
    if (seen != (int64_t)LOOKUPS * uid)
        die("session_get", "wrong user");

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("cases %d over %d units\n", n, UNITS);
    printf("(a) open + accept + assign: %.2f s, %.0f cases/s (%.0f transactions/s)\n", t_open,
           n / t_open, 3 * n / t_open);
    printf("(b) load + sign: %.2f s, %.0f transitions/s\n", t_sign, n / t_sign);
    printf("(c) one unit's page of %d with total (%lld cases of %d): %.1f µs per query\n", PAGE,
           (long long)total, n, t_page / reps * 1e6);
    printf("(d) escalate_due, all overdue: %.2f s, %.0f cases/s (%d levels raised)\n", t_esc,
           n / t_esc, raised);
    printf("(e) session_get over %d sessions: %.0f lookups/s (%.1f µs each)\n", SESSIONS,
           LOOKUPS / t_ses, t_ses / LOOKUPS * 1e6);
    printf("peak RSS %ld KiB\n", ru.ru_maxrss);

    free(hash);
    free(ids);
    store_close(s);
    if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS))
        fprintf(stderr, "bench_service_office: could not remove %s\n", dir);
    return 0;
}
