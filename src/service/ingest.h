/* ingest: the HJ 212 intake pipeline between the network and the store.
 *
 * The network layer frames the byte stream and checks CRCs (src/hj212 framer); it hands
 * frames (and rejected byte runs) to ingest_batch() in batches. For each frame ingest
 * parses, authenticates (MN known, PW matches), validates, de-duplicates on
 * (MN, CN, DataTime, PNO), archives the raw bytes with the outcome, maps CP items to
 * observations, recomputes the hourly values the batch touched, and prepares the reply the
 * standard prescribes. The whole batch is one transaction (group commit): replies are
 * valid to send only when ingest_batch() returned 0, i.e. after COMMIT returned.
 *
 * Threading: an ingest and its store belong to one thread (the writer). */
#ifndef EW_SERVICE_INGEST_H
#define EW_SERVICE_INGEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/metrics.h"
#include "store/store.h"

typedef struct ingest ingest;

struct ingest_item;

/* Where an ingest node sends the items of a batch instead of storing them (a replicated
 * log: net/queue.h). publish returns 0 only when every item is durable there; the batch's
 * replies are then sent. Negative with err: no reply is sent (the devices send again). */
typedef struct ingest_relay {
    int (*publish)(void *ctx, struct ingest_item *const *items, size_t n, char *err,
                   size_t errcap);
    void *ctx;
} ingest_relay;

typedef struct ingest_opts {
    bool enrol;          /* accept unknown MNs as "pending" sites (trust on first use) */
    ew_metrics *metrics; /* borrowed, may be NULL */
    /* Ingest node: with relay.publish set, a batch is parsed, authenticated and answered
     * as always, but nothing is written to the store (it is read for the device registry
     * and the last minute of a device, for gap requests): the items go to relay.publish,
     * and the writers that consume the log store them. Not with enrol. */
    ingest_relay relay;
    /* Queue writer: the items were received and answered by an ingest node; each is judged
     * at its own received time (not now), and the replies are not sent anywhere. An
     * unknown MN makes the registry be read again from the store first (at most every
     * 10 s), since the node may know a device the writer has not loaded yet. */
    bool replay;
} ingest_opts;

/* Create the pipeline over s (borrowed, must outlive it) and load the device registry
 * from the store. NULL with a message in err on failure. */
ingest *ingest_new(store *s, const ingest_opts *opts, char *err, size_t errcap);
void ingest_free(ingest *in);

/* Load a device list (CSV with header "mn,pw,kind,name,town,lon,lat,enterprise"; empty
 * fields allowed after kind) into the store and the registry, in one transaction. Returns
 * the number of devices, or negative with err naming the file:line and field. */
int ingest_load_devices(ingest *in, const char *path, char *err, size_t errcap);

/* Outcome of one item. */
typedef enum { INGEST_STORED, INGEST_DUPLICATE, INGEST_REJECTED } ingest_outcome;

#define INGEST_REPLY_MAX 640

/* One unit of work: a framed packet (frame_err 0, CRC already verified) or a run of bytes
 * the framer rejected (frame_err < 0, an hj212_err). raw/seg/peer are borrowed for the call. */
typedef struct ingest_item {
    /* in */
    const char *raw; /* the exact bytes received */
    size_t raw_n;
    const char *seg; /* data segment inside raw (frames only) */
    size_t seg_n;
    int frame_err;
    const char *peer;
    int64_t received_utc_ms;
    /* out */
    ingest_outcome outcome;
    const char *reason;           /* static text; NULL when stored */
    char reply[INGEST_REPLY_MAX]; /* frames to send back, reply_n bytes (0: none) */
    size_t reply_n;
    /* The idempotency key of an accepted data packet, "MN/CN/DataTime/PNO" (DataTime as UTC
     * seconds), "" for anything else: the message id under which a node publishes it. */
    char key[160];
} ingest_item;

/* Process n items in one transaction. Returns 0 when everything is durable (send the
 * replies), or negative with err filled: nothing of the batch is stored and no reply may be
 * sent. now_utc_ms is used for time-sync replies. */
int ingest_batch(ingest *in, ingest_item *const *items, size_t n, int64_t now_utc_ms, char *err,
                 size_t errcap);

/* Hour aggregation rule of a site kind (HJ 75-2017 / HJ 212-2017 Annex C; see
 * docs/storage.md). Exposed for tests. */
typedef struct ingest_hour_acc {
    int n_min, n_valid;
    double sum, min, max;
    char bad_flag[4]; /* first non-N flag seen */
} ingest_hour_acc;
void ingest_hour_acc_add(ingest_hour_acc *a, double value, const char *flag);
/* Fill h's value, min, max, n_min, n_valid and flag from a for a site of kind (water kinds: any
 * abnormal minute marks the hour). */
void ingest_hour_finish(const ingest_hour_acc *a, const char *kind, store_hour *h);

/* The store the pipeline writes (borrowed). */
store *ingest_store(ingest *in);

/* Number of devices in the registry. */
size_t ingest_device_count(const ingest *in);

#endif
