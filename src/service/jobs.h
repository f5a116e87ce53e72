/* jobs: the platform's background work, run on a timer on a thread of its own.
 *
 * Work that changes stored data because time has passed belongs here, never in a read: an
 * HTTP GET shows what is stored and writes nothing. A pass escalates overdue cases
 * (casework_escalate_due: 督办, then 挂牌督办), then checks the listed enterprises' power
 * during heavy-pollution warnings in force (emergency_check: a case per new breach).
 *
 * The thread opens its own store handle (store_open(db)), so a slow pass never holds a lock
 * another part of the process needs and intake is never delayed by it. A pass runs at start,
 * then every every_s seconds; each case changes in its own transaction, so a pass cut short
 * by jobs_stop leaves every case either escalated with its event or untouched. */
#ifndef EW_SERVICE_JOBS_H
#define EW_SERVICE_JOBS_H
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "store/store.h"

typedef struct jobs jobs;

typedef struct jobs_config {
    const char *db;           /* what store_open accepts; borrowed until jobs_stop returns */
    long every_s;             /* seconds between passes, > 0 */
    const case_policy *policy; /* NULL: case_policy_default; borrowed like db */
} jobs_config;

/* What one pass did. */
typedef struct jobs_pass {
    int levels_raised; /* supervision levels raised over all cases */
    int breaches;      /* new emergency-warning breaches (service/emergency.h), each a case */
} jobs_pass;

/* One pass at now_utc on s (the caller's handle, used from the calling thread only).
 * Returns EW_OK with *out filled, or EW_EINTERNAL with err filled (*out then holds what was
 * done before the failure; the case being changed when it happened is unchanged). */
int jobs_run_once(store *s, int64_t now_utc, const case_policy *pol, jobs_pass *out, char *err,
                  size_t errcap) EW_MUST_CHECK;

/* Start the timer thread. On EW_OK *out is a handle for jobs_stop. On failure (bad
 * every_s, no thread) *out is NULL and err says why. The thread logs its own failures
 * (case.escalate_failed) and keeps running: the next pass may succeed. */
int jobs_start(const jobs_config *cfg, jobs **out, char *err, size_t errcap) EW_MUST_CHECK;

/* Wake the thread and wait for it; a pass under way finishes its current case first. NULL is
 * a no-op. The handle is freed. */
void jobs_stop(jobs *j);

#endif
