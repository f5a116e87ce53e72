/* hj212_server: the HJ 212 TCP intake — thousands of long-lived device connections on one
 * libuv loop thread, and one writer thread that stores them in batches.
 *
 * The loop thread frames each connection's byte stream (src/hj212 framer; CRC checked) and
 * queues every frame, and every run of bytes the framer rejected, to the writer. The writer
 * takes everything queued (up to batch_max items), runs ingest_batch() — one transaction,
 * one fsync — and hands the batch back with uv_async_send; the loop thread then writes the
 * replies. So a 9014 is written only after its packet's COMMIT returned (group commit:
 * while one batch commits, the next one fills).
 *
 * Limits: the framer caps a connection's partial-frame buffer at one frame; a connection
 * with max_inflight packets awaiting the writer stops being read until replies drain
 * (backpressure instead of unbounded queues), and so do all connections while 65,536
 * frames are queued in total; idle connections are closed after
 * idle_timeout_s; a peer address may hold at most max_per_peer connections.
 *
 * Shutdown: SIGTERM or SIGINT stops accepting and reading, lets the writer finish what is
 * queued (those packets are stored and answered), then closes every connection. Nothing is
 * answered that was not stored. */
#ifndef EW_NET_HJ212_SERVER_H
#define EW_NET_HJ212_SERVER_H
#include <stddef.h>
#include <stdint.h>

#include "base/metrics.h"
#include "service/ingest.h"

typedef struct hj212_server_config {
    const char *listen_addr; /* "HOST:PORT" (IPv4 or [IPv6]:PORT) */
    ingest *ing;             /* borrowed; used only by the writer thread while running */
    ew_metrics *metrics;     /* borrowed; may be NULL */
    unsigned max_per_peer;   /* connections per peer address; 0 = unlimited */
    unsigned idle_timeout_s; /* 0 = never */
    unsigned max_inflight;   /* per connection; 0 = 64 */
    unsigned batch_max;      /* items per transaction; 0 = 8192 */
    uint16_t seg_max;        /* data-segment cap; 0 = 9999 (real devices exceed 1024) */
} hj212_server_config;

/* Run until SIGTERM/SIGINT. Returns 0 after a clean shutdown, or negative with err filled
 * (bind failure, writer failure). */
int hj212_server_run(const hj212_server_config *cfg, char *err, size_t errcap);

#endif
