/* jobs: background passes on a timer (see jobs.h). */
#include "service/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "service/casework.h"
#include "service/emergency.h"
#include "service/riverplan.h"
#include "service/source.h"

struct jobs {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop;
    jobs_config cfg;
    ew_reader *rd; /* the jobs thread's reader (NULL where the store has none) */
};

int jobs_run_once(store *s, int64_t now_utc, const case_policy *pol, jobs_pass *out, char *err,
                  size_t errcap)
{
    memset(out, 0, sizeof *out);
    case_error ce = {{0}};
    if (casework_escalate_due(s, now_utc, pol, &out->levels_raised, &ce) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "escalation: %s", ce.msg[0] ? ce.msg : "failed");
    /* Heavy-pollution warnings: listed enterprises over their power allowance. */
    if (emergency_check(s, now_utc, &out->breaches, err, errcap) < 0)
        return EW_EINTERNAL;
    return EW_OK;
}

static void scan(jobs *j, store *s)
{
    source_scan_result r;
    char err[256] = "", q[300];
    if (source_scan(s, j->cfg.source, ew_now_utc(), &r, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "source.scan_failed", "error=%s",
               ew_log_quote(err, strlen(err), q, sizeof q));
    else if (r.alerts_new || r.alerts_moved)
        ew_log(EW_LOG_INFO, "source.scanned",
               "outlets=%d hours=%lld alerts_new=%d alerts_moved=%d cases_opened=%d", r.outlets,
               (long long)r.hours, r.alerts_new, r.alerts_moved, r.cases_opened);
}

static void pass(jobs *j, store *s)
{
    int64_t now = ew_now_utc(); /* the same clock as the HTTP API's */
    jobs_pass p;
    char err[256] = "", q[300];
    if (jobs_run_once(s, now, j->cfg.policy, &p, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "case.escalate_failed", "error=%s",
               ew_log_quote(err, strlen(err), q, sizeof q));
    else if (p.levels_raised > 0)
        ew_log(EW_LOG_INFO, "case.escalated", "levels_raised=%d now_utc=%lld", p.levels_raised,
               (long long)now);
    if (p.breaches > 0)
        ew_log(EW_LOG_INFO, "emergency.breaches", "breaches=%d now_utc=%lld", p.breaches,
               (long long)now);
    /* Sudden water incidents need the water sections' periods, read through a reader; a
     * store without one (PostgreSQL) has no river check yet. */
    int opened = 0;
    if (j->rd && riverplan_check(s, j->rd, now, &opened, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "river.check_failed", "error=%s",
               ew_log_quote(err, strlen(err), q, sizeof q));
    else if (opened > 0)
        ew_log(EW_LOG_INFO, "river.incidents", "opened=%d now_utc=%lld", opened, (long long)now);
}

static void *jobs_main(void *arg)
{
    jobs *j = arg;
    char err[256] = "", q[300];
    store *s = store_open(j->cfg.db, err, sizeof err);
    if (!s) {
        ew_log(EW_LOG_ERROR, "case.escalate_failed", "error=%s",
               ew_log_quote(err, strlen(err), q, sizeof q));
        return NULL;
    }
    j->rd = ew_read_open(j->cfg.db, err, sizeof err);
    /* One timer for both jobs: wake at the sooner of the two, run what is due. */
    long esc = j->cfg.every_s, scn = j->cfg.scan_every_s;
    long tick = esc > 0 && (scn <= 0 || esc <= scn) ? esc : scn;
    struct timespec now, next_esc, next_scan;
    clock_gettime(CLOCK_MONOTONIC, &now);
    next_esc = next_scan = now;
    pthread_mutex_lock(&j->mu);
    while (!j->stop) {
        pthread_mutex_unlock(&j->mu);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (esc > 0 && now.tv_sec >= next_esc.tv_sec) {
            pass(j, s);
            next_esc.tv_sec = now.tv_sec + esc;
        }
        if (scn > 0 && now.tv_sec >= next_scan.tv_sec) {
            scan(j, s);
            next_scan.tv_sec = now.tv_sec + scn;
        }
        pthread_mutex_lock(&j->mu);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += tick;
        while (!j->stop && pthread_cond_timedwait(&j->wake, &j->mu, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&j->mu);
    ew_read_close(j->rd);
    store_close(s);
    return NULL;
}

int jobs_start(const jobs_config *cfg, jobs **out, char *err, size_t errcap)
{
    *out = NULL;
    if (!cfg->db || cfg->every_s < 0 || cfg->scan_every_s < 0 ||
        (cfg->every_s == 0 && cfg->scan_every_s == 0))
        return ew_errf(err, errcap, EW_EINVALID, "jobs: a store and a period > 0 are needed");
    jobs *j = xcalloc(1, sizeof *j);
    j->cfg = *cfg;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&j->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&j->mu, NULL);
    int e = pthread_create(&j->thread, NULL, jobs_main, j);
    if (e) {
        pthread_cond_destroy(&j->wake);
        pthread_mutex_destroy(&j->mu);
        free(j);
        return ew_errf(err, errcap, EW_EINTERNAL, "jobs: cannot start the thread: %s", strerror(e));
    }
    ew_log(EW_LOG_INFO, "case.escalation", "every_s=%ld scan_every_s=%ld", cfg->every_s,
           cfg->scan_every_s);
    *out = j;
    return EW_OK;
}

void jobs_stop(jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stop = true;
    pthread_cond_signal(&j->wake);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->wake);
    pthread_mutex_destroy(&j->mu);
    free(j);
}
