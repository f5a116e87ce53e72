/* bench: what the compiled benchmarks share — a monotonic clock, a fatal error, and one
 * hourly value written as the ingest writer's aggregation would write it. Header only: each
 * bench/<layer>_<name>.c is a program of its own. */
#ifndef EW_BENCH_BENCH_H
#define EW_BENCH_BENCH_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"

/* Seconds on the monotonic clock. */
static inline double bench_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Print "PROG: what: err" and exit 1. */
static inline void bench_die(const char *prog, const char *what, const char *err)
{
    fprintf(stderr, "%s: %s: %s\n", prog, what, err);
    exit(1);
}

/* One valid hourly value (flag N, 60 of 60 minutes) of param at hour t; exits on failure. */
static inline void bench_put_hour(const char *prog, store *s, int64_t site, const char *param,
                                  int64_t t, double v)
{
    char err[256];
    store_hour h = {.site_id = site,
                    .param = param,
                    .hour_utc = t,
                    .value = v,
                    .min = v,
                    .max = v,
                    .n_min = 60,
                    .n_valid = 60,
                    .flag = "N"};
    if (store_hour_put(s, &h, err, sizeof err) < 0)
        bench_die(prog, "hour", err);
}

#endif
