/* metrics: the process-wide counter set that an operator reads at /api/v1/metrics.
 *
 * One ew_metrics is created by `serve` and shared (borrowed pointer) by the HJ 212 intake,
 * which writes it, and the HTTP side, which reads it. Counters are relaxed atomics: each is
 * exact on its own, a snapshot of several is not a transaction. */
#ifndef EW_BASE_METRICS_H
#define EW_BASE_METRICS_H
#include <stdatomic.h>
#include <stdint.h>

typedef struct ew_metrics {
    atomic_uint_fast64_t bytes_in;
    atomic_uint_fast64_t packets_in;        /* frames that passed framing */
    atomic_uint_fast64_t packets_bad;       /* rejected for any reason */
    atomic_uint_fast64_t packets_stored;    /* durable */
    atomic_uint_fast64_t packets_duplicate; /* idempotent repeats */
    atomic_uint_fast64_t acks_sent;
    atomic_uint_fast64_t observations_stored;
    atomic_uint_fast64_t connections_open;  /* gauge */
    atomic_uint_fast64_t connections_total;
    atomic_uint_fast64_t connections_refused;
    atomic_uint_fast64_t http_requests;
} ew_metrics;

#endif
