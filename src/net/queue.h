/* queue: the replicated log between ingest nodes and writers, on NATS JetStream (libnats).
 *
 * Ingest nodes (serve --queue) publish every item of a batch to the stream HJ212 (subject
 * "hj212.in") and answer the devices only once JetStream acknowledged every one of them:
 * the node keeps nothing, so any number of nodes may stand behind one address. Writers
 * (serve --consume) fetch batches from the durable pull consumer "writers", store them (one
 * transaction per batch) and acknowledge the messages after COMMIT; several writers share
 * the consumer, and a message a writer took but did not acknowledge (killed, failed commit)
 * is delivered again after the consumer's ack wait. docs/deploy.md argues the settings.
 *
 * A message is the exact bytes received; headers carry the peer ("Ew-Peer"), the receipt
 * time in UTC milliseconds ("Ew-Received-Ms") and the framer's verdict ("Ew-Frame-Err", 0
 * for a frame whose CRC checked). Its message id (JetStream's de-duplication within the
 * stream's window) is the packet's idempotency key for accepted data packets, and unique
 * for anything else.
 *
 * Threading: a queue handle belongs to one thread (libnats runs its own threads inside). */
#ifndef EW_NET_QUEUE_H
#define EW_NET_QUEUE_H
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "service/ingest.h"

typedef struct ewq ewq;

/* Connect to the NATS servers urls names ("nats://H1:P1,nats://H2:P2" or "H1:P1,H2:P2";
 * comma-separated, the client moves to another when one fails) and make sure the stream
 * exists with replicas copies (1..5; 0 = 3 when three or more servers are named, else 1).
 * ack_wait_s (0 = 30) is how long a message a writer took stays its own before it is
 * delivered again, when this process creates the writers' consumer. An existing stream or
 * consumer is used as it is. NULL with err on failure. Release with ewq_close. */
ewq *ewq_open(const char *urls, int replicas, int ack_wait_s, char *err, size_t errcap);
void ewq_close(ewq *q);

/* ingest_relay.publish for a handle (ctx is the ewq): publish the n items and wait (at
 * most 5 s) until JetStream acknowledged each. EW_OK when all were acknowledged (a
 * duplicate within the window is acknowledged too); EW_EINTERNAL with err otherwise: the
 * caller answers none of them, and the devices send again (what did reach the stream is
 * stored once, by its key). */
int ewq_publish(void *q, ingest_item *const *items, size_t n, char *err,
                size_t errcap) EW_MUST_CHECK;

/* A batch fetched by a writer: its items point into the messages, valid until
 * ewq_batch_done. */
typedef struct ewq_batch ewq_batch;

/* Fetch up to max messages, waiting at most timeout_ms for the first. EW_OK with *out set
 * (ewq_batch_count may be 0 when nothing came), or EW_EINTERNAL with err (*out NULL). */
int ewq_fetch(ewq *q, size_t max, int timeout_ms, ewq_batch **out, char *err,
              size_t errcap) EW_MUST_CHECK;
size_t ewq_batch_count(const ewq_batch *b);
/* The items, ready for ingest_batch (replay): n = ewq_batch_count. A message whose headers
 * are not envwatch's is an item with frame_err HJ212_E_SYNTAX (archived as rejected). */
ingest_item *const *ewq_batch_items(ewq_batch *b);
/* stored: acknowledge every message (they are done); otherwise ask for redelivery. Frees b
 * (NULL is harmless). EW_OK, or EW_EINTERNAL with err when an acknowledgement could not be
 * sent (the messages come again after the ack wait; storing is idempotent). */
int ewq_batch_done(ewq *q, ewq_batch *b, bool stored, char *err, size_t errcap) EW_MUST_CHECK;

#endif
