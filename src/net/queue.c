/* queue: the replicated log between ingest nodes and writers, on NATS JetStream. See
 * queue.h for the contract and docs/deploy.md for the settings. */
#include "net/queue.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nats/nats.h>

#include "base/xalloc.h"
#include "hj212/hj212.h"

#define STREAM "HJ212"
#define SUBJECT "hj212.in"
#define CONSUMER "writers"

/* Nanoseconds, the unit of JetStream's durations. */
#define NS_PER_S 1000000000LL

struct ewq {
    natsConnection *nc;
    jsCtx *js;
    natsSubscription *sub; /* the writers' pull subscription, made on first fetch */
    char node[64];         /* this process's part of unique message ids */
    int ack_wait_s;        /* the writers' consumer's ack wait, when this process makes it */
    uint64_t seq;          /* and its counter */
    /* The batch being published: one flag per item, set by the acknowledgement handler
     * (a libnats thread). */
    _Atomic unsigned char *acked;
    size_t acked_cap;
    _Atomic size_t acked_n; /* 0 outside a publish: late acknowledgements are dropped */
};

struct ewq_batch {
    natsMsgList list;
    ingest_item *items;
    ingest_item **ptrs;
    char (*peers)[64];
    size_t n;
};

static int nats_fail(natsStatus s, const char *what, char *err, size_t errcap)
{
    const char *last = nats_GetLastError(NULL);
    return ew_errf(err, errcap, EW_EINTERNAL, "queue: %s: %s%s%s", what, natsStatus_GetText(s),
                   last && *last ? ": " : "", last && *last ? last : "");
}

/* The acknowledgement of one published message: mark its item. */
static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    (void)js;
    ewq *q = closure;
    const char *idx = NULL;
    if (natsMsgHeader_Get(msg, "Ew-Item", &idx) == NATS_OK && idx) {
        size_t i = strtoull(idx, NULL, 10);
        if (i < atomic_load(&q->acked_n)) {
            if (pa && !pae) /* an error leaves the item unanswered */
                atomic_store(&q->acked[i], 1);
        }
    }
    natsMsg_Destroy(msg);
}

ewq *ewq_open(const char *urls, int replicas, int ack_wait_s, char *err, size_t errcap)
{
    if (!urls || !*urls) {
        ew_errf(err, errcap, EW_EINVALID, "queue: no NATS server given");
        return NULL;
    }
    /* Split the list; libnats takes each URL with or without its scheme. */
    char *copy = xstrdup(urls);
    const char *servers[16];
    int n = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && n < 16;
         t = strtok_r(NULL, ",", &save))
        if (*t)
            servers[n++] = t;
    ewq *q = xcalloc(1, sizeof *q);
    q->ack_wait_s = ack_wait_s > 0 ? ack_wait_s : 30;
    char host[48] = "";
    gethostname(host, sizeof host - 1);
    snprintf(q->node, sizeof q->node, "%s-%d-%lld", host, (int)getpid(), (long long)time(NULL));
    natsOptions *o = NULL;
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK)
        s = natsOptions_SetServers(o, servers, n);
    /* Keep trying for ever: a node or writer outlives any one NATS server's restart. */
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(o, -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(o, 250);
    if (s == NATS_OK)
        s = natsOptions_SetName(o, q->node);
    if (s == NATS_OK)
        s = natsConnection_Connect(&q->nc, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK) {
        nats_fail(s, "connect", err, errcap);
        free(copy);
        ewq_close(q);
        return NULL;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    jo.PublishAsync.AckHandler = on_ack;
    jo.PublishAsync.AckHandlerClosure = q;
    jo.PublishAsync.MaxPending = 65536;
    s = natsConnection_JetStream(&q->js, q->nc, &jo);
    if (s != NATS_OK) {
        nats_fail(s, "JetStream", err, errcap);
        free(copy);
        ewq_close(q);
        return NULL;
    }
    /* Servers that start together elect their JetStream leader a few seconds later: until
     * then the stream can be neither read nor made. Try for 20 s before giving up. */
    jsStreamInfo *si = NULL;
    for (int attempt = 0; attempt < 80; attempt++) {
        if (attempt)
            usleep(250 * 1000);
        jsErrCode je = 0;
        s = js_GetStreamInfo(&si, q->js, STREAM, NULL, &je);
        if (s == NATS_NOT_FOUND || je == JSStreamNotFoundErr) {
            jsStreamConfig sc;
            jsStreamConfig_Init(&sc);
            const char *subjects[] = {SUBJECT};
            sc.Name = STREAM;
            sc.Subjects = subjects;
            sc.SubjectsLen = 1;
            sc.Storage = js_FileStorage;
            /* A work queue: a message is gone once a writer acknowledged it, so the stream
             * holds only what is not stored yet. */
            sc.Retention = js_WorkQueuePolicy;
            sc.Replicas = replicas > 0 ? replicas : n >= 3 ? 3 : 1;
            /* Devices resend within minutes when a reply is lost; the store's keys catch the
             * later ones. */
            sc.Duplicates = 120 * NS_PER_S;
            je = 0;
            s = js_AddStream(&si, q->js, &sc, NULL, &je);
            if (je == JSStreamNameExistErr) /* another process made it first */
                s = js_GetStreamInfo(&si, q->js, STREAM, NULL, &je);
        }
        if (s == NATS_OK)
            break;
        jsStreamInfo_Destroy(si);
        si = NULL;
    }
    jsStreamInfo_Destroy(si);
    free(copy);
    if (s != NATS_OK) {
        nats_fail(s, "stream " STREAM, err, errcap);
        ewq_close(q);
        return NULL;
    }
    return q;
}

void ewq_close(ewq *q)
{
    if (!q)
        return;
    natsSubscription_Destroy(q->sub);
    jsCtx_Destroy(q->js);
    natsConnection_Destroy(q->nc);
    free((void *)q->acked);
    free(q);
}

int ewq_publish(void *ctx, ingest_item *const *items, size_t n, char *err, size_t errcap)
{
    ewq *q = ctx;
    if (n > q->acked_cap) {
        free((void *)q->acked);
        q->acked_cap = n * 2;
        q->acked = xcalloc(q->acked_cap, sizeof *q->acked);
    }
    for (size_t i = 0; i < n; i++)
        atomic_store(&q->acked[i], 0);
    atomic_store(&q->acked_n, n);
    natsStatus s = NATS_OK;
    for (size_t i = 0; i < n && s == NATS_OK; i++) {
        const ingest_item *it = items[i];
        natsMsg *m = NULL;
        char idx[24], rx[24], fe[16], uniq[96];
        snprintf(idx, sizeof idx, "%zu", i);
        snprintf(rx, sizeof rx, "%" PRId64, it->received_utc_ms);
        snprintf(fe, sizeof fe, "%d", it->frame_err);
        s = natsMsg_Create(&m, SUBJECT, NULL, it->raw, (int)it->raw_n);
        if (s == NATS_OK)
            s = natsMsgHeader_Set(m, "Ew-Item", idx);
        if (s == NATS_OK)
            s = natsMsgHeader_Set(m, "Ew-Peer", it->peer ? it->peer : "");
        if (s == NATS_OK)
            s = natsMsgHeader_Set(m, "Ew-Received-Ms", rx);
        if (s == NATS_OK)
            s = natsMsgHeader_Set(m, "Ew-Frame-Err", fe);
        jsPubOptions po;
        jsPubOptions_Init(&po);
        if (it->key[0])
            po.MsgId = it->key;
        else {
            snprintf(uniq, sizeof uniq, "%s-%" PRIu64, q->node, ++q->seq);
            po.MsgId = uniq;
        }
        if (s == NATS_OK)
            s = js_PublishMsgAsync(q->js, &m, &po);
        natsMsg_Destroy(m); /* a no-op when the library took it */
    }
    jsPubOptions wait;
    jsPubOptions_Init(&wait);
    wait.MaxWait = 5000;
    natsStatus w = js_PublishAsyncComplete(q->js, &wait);
    if (w != NATS_OK) {
        /* Take back what was not acknowledged in time; those items are not answered. */
        natsMsgList pending = {0};
        if (js_PublishAsyncGetPendingList(&pending, q->js) == NATS_OK)
            natsMsgList_Destroy(&pending);
    }
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += atomic_load(&q->acked[i]);
    atomic_store(&q->acked_n, 0); /* late acknowledgements are ignored */
    if (s != NATS_OK)
        return nats_fail(s, "publish", err, errcap);
    if (ok != n)
        return ew_errf(err, errcap, EW_EINTERNAL,
                       "queue: %zu of %zu messages acknowledged by JetStream%s", ok, n,
                       w != NATS_OK ? " in 5 s" : "");
    return EW_OK;
}

static int subscribe(ewq *q, char *err, size_t errcap)
{
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = STREAM;
    so.Config.AckPolicy = js_AckExplicit;
    /* A message taken by a writer that dies comes back after the ack wait. */
    so.Config.AckWait = q->ack_wait_s * NS_PER_S;
    so.Config.MaxAckPending = 65536;
    jsErrCode je = 0;
    natsStatus s = js_PullSubscribe(&q->sub, q->js, SUBJECT, CONSUMER, NULL, &so, &je);
    return s == NATS_OK ? EW_OK : nats_fail(s, "subscribe", err, errcap);
}

static const char *header(natsMsg *m, const char *key)
{
    const char *v = NULL;
    return natsMsgHeader_Get(m, key, &v) == NATS_OK ? v : NULL;
}

int ewq_fetch(ewq *q, size_t max, int timeout_ms, ewq_batch **out, char *err, size_t errcap)
{
    *out = NULL;
    if (!q->sub && subscribe(q, err, errcap) < 0)
        return EW_EINTERNAL;
    ewq_batch *b = xcalloc(1, sizeof *b);
    jsErrCode je = 0;
    natsStatus s = natsSubscription_Fetch(&b->list, q->sub, (int)max, timeout_ms, &je);
    if (s == NATS_TIMEOUT) {
        *out = b; /* nothing came */
        return EW_OK;
    }
    if (s != NATS_OK) {
        free(b);
        return nats_fail(s, "fetch", err, errcap);
    }
    b->n = (size_t)b->list.Count;
    b->items = xcalloc(b->n ? b->n : 1, sizeof *b->items);
    b->ptrs = xcalloc(b->n ? b->n : 1, sizeof *b->ptrs);
    b->peers = xcalloc(b->n ? b->n : 1, sizeof *b->peers);
    for (size_t i = 0; i < b->n; i++) {
        natsMsg *m = b->list.Msgs[i];
        ingest_item *it = &b->items[i];
        const char *peer = header(m, "Ew-Peer"), *rx = header(m, "Ew-Received-Ms"),
                   *fe = header(m, "Ew-Frame-Err");
        it->raw = natsMsg_GetData(m);
        it->raw_n = (size_t)natsMsg_GetDataLength(m);
        snprintf(b->peers[i], sizeof b->peers[i], "%s", peer ? peer : "queue");
        it->peer = b->peers[i];
        it->received_utc_ms = rx ? strtoll(rx, NULL, 10) : 0;
        it->frame_err = fe ? atoi(fe) : HJ212_E_FIELD;
        if (!rx || it->received_utc_ms <= 0)
            it->frame_err = HJ212_E_FIELD;
        /* "##" + 4 digits + segment + 4 CRC digits + CR LF: the segment is what the node
         * parsed. */
        if (it->frame_err == 0 && it->raw_n >= 12) {
            it->seg = it->raw + 6;
            it->seg_n = it->raw_n - 12;
        } else if (it->frame_err == 0) {
            it->frame_err = HJ212_E_FIELD;
        }
        b->ptrs[i] = it;
    }
    *out = b;
    return EW_OK;
}

size_t ewq_batch_count(const ewq_batch *b)
{
    return b ? b->n : 0;
}

ingest_item *const *ewq_batch_items(ewq_batch *b)
{
    return b->ptrs;
}

int ewq_batch_done(ewq *q, ewq_batch *b, bool stored, char *err, size_t errcap)
{
    if (!b)
        return EW_OK;
    natsStatus s = NATS_OK;
    for (size_t i = 0; i < b->n; i++) {
        natsStatus r =
            stored ? natsMsg_Ack(b->list.Msgs[i], NULL) : natsMsg_Nak(b->list.Msgs[i], NULL);
        if (s == NATS_OK)
            s = r;
    }
    /* The acknowledgements leave now, not with the next fetch. */
    if (b->n && s == NATS_OK)
        s = natsConnection_FlushTimeout(q->nc, 5000);
    if (b->list.Msgs)
        natsMsgList_Destroy(&b->list);
    free(b->items);
    free(b->ptrs);
    free(b->peers);
    free(b);
    return s == NATS_OK ? EW_OK : nats_fail(s, stored ? "ack" : "nak", err, errcap);
}
