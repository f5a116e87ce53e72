/* hj212_server: libuv intake loop + group-commit writer thread (see hj212_server.h).
 *
 * Ownership and lifetime:
 *  - a conn is created on accept and freed only when its handle is closed (close callback)
 *    AND no job or write refers to it any more (inflight == 0, writes == 0);
 *  - a job (one frame) is created by the loop thread, owned by the writer queue, then by
 *    the done queue, then by the loop thread again, which writes its reply and frees it
 *    (or keeps it until its uv_write completes);
 *  - the read buffer is one per server (alloc_cb hands out the same buffer every time): a
 *    read is framed before the next one can happen, and the framer copies only frames split
 *    across reads. */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "net/addr.h"
#include "net/hj212_server.h"
#include "store/store.h"

typedef struct server server;
typedef struct peer_slot peer_slot;

typedef struct conn {
    uv_tcp_t h; /* first: the handle pointer is the conn pointer */
    server *sv;
    hj212_framer fr;
    struct conn *prev, *next; /* all live conns, for the idle sweep and shutdown */
    peer_slot *peer;
    char peer_s[64];
    uint64_t last_active_ms;
    unsigned inflight; /* jobs queued to the writer */
    unsigned writes;   /* uv_write requests pending */
    bool reading, closing, closed;
} conn;

typedef struct job {
    struct job *next;
    conn *c;
    uv_write_t wreq;
    ingest_item item;
    size_t raw_n;
    char raw[];
} job;

struct peer_slot {
    peer_slot *next;
    unsigned n;
    char ip[48];
};

enum { PEER_BUCKETS = 4096, READ_BUF = 64 * 1024 };

struct server {
    hj212_server_config cfg;
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_async_t done_async;
    uv_timer_t sweep;
    uv_signal_t sig_term, sig_int;
    conn *conns;
    peer_slot *peers[PEER_BUCKETS];
    char *rbuf;
    hj212_framer_opts fopts;
    uint64_t total_inflight;
    bool stopping, closing_all;
    bool global_paused; /* some connections stopped reading because of QUEUED_MAX */
    /* writer queue (mu) */
    uv_mutex_t mu;
    uv_cond_t cv;
    job *in_head, *in_tail;
    job *done_head, *done_tail;
    bool quit;
    uv_thread_t writer;
    int writer_failures;
};

/* Frames queued to the writer from all connections together (about 1 KiB each): beyond
 * this, connections that deliver more are paused until the queue halves, so that memory
 * stays bounded however many connections push at once. */
enum { QUEUED_MAX = 65536 };

static ew_metrics no_metrics; /* sink when the caller passes none */

static void add(atomic_uint_fast64_t *c, uint64_t n)
{
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static int64_t now_utc_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- writer thread ---------------------------------------------------------------------- */

static void writer_main(void *arg)
{
    server *sv = arg;
    size_t cap = 1024;
    ingest_item **items = xmalloc(cap * sizeof *items);
    for (;;) {
        uv_mutex_lock(&sv->mu);
        while (!sv->in_head && !sv->quit)
            uv_cond_wait(&sv->cv, &sv->mu);
        if (!sv->in_head) {
            uv_mutex_unlock(&sv->mu);
            break;
        }
        job *head = sv->in_head, *tail = head;
        size_t n = 1;
        while (tail->next && n < sv->cfg.batch_max) {
            tail = tail->next;
            n++;
        }
        sv->in_head = tail->next;
        if (!sv->in_head)
            sv->in_tail = NULL;
        tail->next = NULL;
        uv_mutex_unlock(&sv->mu);

        if (n > cap) {
            cap = n;
            items = xrealloc(items, cap * sizeof *items);
        }
        size_t i = 0;
        for (job *j = head; j; j = j->next)
            items[i++] = &j->item;
        char err[256] = ""; /* logged on failure: never uninitialised */
        if (ingest_batch(sv->cfg.ing, items, n, now_utc_ms(), err, sizeof err) < 0) {
            /* Nothing of the batch is stored and no reply will be sent: the devices
             * retransmit. Back off so a broken disk does not spin the CPU. */
            char q[300];
            ew_log(EW_LOG_ERROR, "hj212.store_failed", "packets=%zu error=%s", n,
                   ew_log_quote(err, strlen(err), q, sizeof q));
            sv->writer_failures++;
            uv_sleep(100);
        }
        uv_mutex_lock(&sv->mu);
        if (sv->done_tail)
            sv->done_tail->next = head;
        else
            sv->done_head = head;
        sv->done_tail = tail;
        uv_mutex_unlock(&sv->mu);
        uv_async_send(&sv->done_async);
        /* After the replies are on their way: upkeep that waits delays the next batch only. */
        if (store_upkeep_idle(ingest_store(sv->cfg.ing), err, sizeof err) < 0)
            ew_log(EW_LOG_WARN, "hj212.upkeep_failed", "error=\"%s\"", err);
    }
    free(items);
}

/* ---- connections ---------------------------------------------------------------------- */

static void conn_maybe_free(conn *c)
{
    if (c->closed && c->inflight == 0 && c->writes == 0) {
        hj212_framer_free(&c->fr);
        free(c);
    }
}

static void on_conn_closed(uv_handle_t *h)
{
    conn *c = (conn *)h;
    server *sv = c->sv;
    if (c->prev)
        c->prev->next = c->next;
    else
        sv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->peer)
        c->peer->n--;
    atomic_fetch_sub_explicit(&sv->cfg.metrics->connections_open, 1, memory_order_relaxed);
    c->closed = true;
    conn_maybe_free(c);
}

static void conn_close(conn *c, const char *why)
{
    if (c->closing)
        return;
    c->closing = true;
    ew_log(EW_LOG_DEBUG, "hj212.close", "peer=%s reason=%s", c->peer_s, why);
    uv_close((uv_handle_t *)&c->h, on_conn_closed);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    server *sv = ((conn *)h)->sv;
    buf->base = sv->rbuf;
    buf->len = READ_BUF;
}

static job *job_new(conn *c, const char *raw, size_t n, int64_t t_ms)
{
    job *j = xmalloc(sizeof *j + n);
    j->next = NULL;
    j->c = c;
    j->raw_n = n;
    memcpy(j->raw, raw, n);
    memset(&j->item, 0, offsetof(ingest_item, reply));
    j->item.reply_n = 0;
    j->item.raw = j->raw;
    j->item.raw_n = n;
    j->item.peer = c->peer_s;
    j->item.received_utc_ms = t_ms;
    return j;
}

/* Turn one framer event into a job appended to the local list. */
static void on_event(conn *c, const hj212_frame_event *ev, int64_t t_ms, job **head, job **tail)
{
    server *sv = c->sv;
    job *j;
    if (ev->kind == HJ212_OK) {
        add(&sv->cfg.metrics->packets_in, 1);
        j = job_new(c, ev->frame.raw, ev->frame.raw_len, t_ms);
        j->item.seg = j->raw + (ev->frame.seg - ev->frame.raw);
        j->item.seg_n = ev->frame.seg_len;
    } else {
        /* Bad frames (CRC) come with their bytes; other rejected runs (garbage, bad length
         * field) may span reads and are archived by reason and size only. */
        ew_log(EW_LOG_WARN, "hj212.bad_frame", "peer=%s reason=%s bytes=%llu", c->peer_s,
               hj212_err_name(ev->kind), (unsigned long long)ev->len);
        j = job_new(c, ev->frame.raw ? ev->frame.raw : "", ev->frame.raw ? ev->frame.raw_len : 0,
                    t_ms);
        j->item.frame_err = ev->kind;
    }
    c->inflight++;
    sv->total_inflight++;
    if (*tail)
        (*tail)->next = j;
    else
        *head = j;
    *tail = j;
}

static void enqueue(server *sv, job *head, job *tail)
{
    if (!head)
        return;
    uv_mutex_lock(&sv->mu);
    if (sv->in_tail)
        sv->in_tail->next = head;
    else
        sv->in_head = head;
    sv->in_tail = tail;
    uv_cond_signal(&sv->cv);
    uv_mutex_unlock(&sv->mu);
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    conn *c = (conn *)s;
    server *sv = c->sv;
    job *head = NULL, *tail = NULL;
    hj212_frame_event ev;
    int64_t t_ms = now_utc_ms();
    if (nread > 0) {
        add(&sv->cfg.metrics->bytes_in, (uint64_t)nread);
        c->last_active_ms = uv_now(&sv->loop);
        hj212_framer_feed(&c->fr, buf->base, (size_t)nread);
        while (hj212_framer_next(&c->fr, &ev) == 1)
            on_event(c, &ev, t_ms, &head, &tail);
        enqueue(sv, head, tail);
        bool global = sv->total_inflight >= QUEUED_MAX;
        if ((c->inflight >= sv->cfg.max_inflight || global) && c->reading) {
            uv_read_stop(s);
            c->reading = false;
            if (global)
                sv->global_paused = true;
        }
    } else if (nread < 0) {
        /* Peer closed: what is complete is still stored and archived. */
        while (hj212_framer_finish(&c->fr, &ev) == 1)
            on_event(c, &ev, t_ms, &head, &tail);
        enqueue(sv, head, tail);
        conn_close(c, nread == UV_EOF ? "eof" : uv_err_name((int)nread));
    }
}

static peer_slot *peer_get(server *sv, const char *ip)
{
    uint32_t h = 2166136261u;
    for (const char *p = ip; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    peer_slot **b = &sv->peers[h % PEER_BUCKETS];
    for (peer_slot *p = *b; p; p = p->next)
        if (!strcmp(p->ip, ip))
            return p;
    peer_slot *p = xcalloc(1, sizeof *p);
    snprintf(p->ip, sizeof p->ip, "%s", ip);
    p->next = *b;
    *b = p;
    return p;
}

static void on_refused_closed(uv_handle_t *h)
{
    conn *c = (conn *)h;
    hj212_framer_free(&c->fr);
    free(c);
}

static void on_connection(uv_stream_t *l, int status)
{
    server *sv = l->data;
    if (status < 0 || sv->stopping)
        return;
    conn *c = xcalloc(1, sizeof *c);
    c->sv = sv;
    hj212_framer_init(&c->fr, &sv->fopts);
    uv_tcp_init(&sv->loop, &c->h);
    if (uv_accept(l, (uv_stream_t *)&c->h) != 0) {
        uv_close((uv_handle_t *)&c->h, on_refused_closed);
        return;
    }
    struct sockaddr_storage ss;
    int len = sizeof ss;
    char ip[48] = "?";
    int port = 0;
    if (uv_tcp_getpeername(&c->h, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET6) {
            uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
        } else {
            uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        }
    }
    snprintf(c->peer_s, sizeof c->peer_s, "%s:%d", ip, port);
    peer_slot *p = peer_get(sv, ip);
    if (sv->cfg.max_per_peer && p->n >= sv->cfg.max_per_peer) {
        add(&sv->cfg.metrics->connections_refused, 1);
        ew_log(EW_LOG_WARN, "hj212.refused", "peer=%s reason=max_per_peer limit=%u", c->peer_s,
               sv->cfg.max_per_peer);
        uv_close((uv_handle_t *)&c->h, on_refused_closed);
        return;
    }
    p->n++;
    c->peer = p;
    c->next = sv->conns;
    if (sv->conns)
        sv->conns->prev = c;
    sv->conns = c;
    c->last_active_ms = uv_now(&sv->loop);
    add(&sv->cfg.metrics->connections_open, 1);
    add(&sv->cfg.metrics->connections_total, 1);
    uv_tcp_nodelay(&c->h, 1);
    /* Loggers hold the link for days behind NAT: keep-alive notices dead peers. */
    uv_tcp_keepalive(&c->h, 1, 60);
    ew_log(EW_LOG_DEBUG, "hj212.open", "peer=%s", c->peer_s);
    c->reading = uv_read_start((uv_stream_t *)&c->h, alloc_cb, read_cb) == 0;
}

/* ---- replies ---------------------------------------------------------------------------- */

static void on_write(uv_write_t *w, int status)
{
    job *j = w->data;
    conn *c = j->c;
    c->writes--;
    if (status < 0 && !c->closing)
        conn_close(c, "write_error");
    free(j);
    conn_maybe_free(c);
}

static void finish_shutdown(server *sv);

static void done_cb(uv_async_t *a)
{
    server *sv = a->data;
    uv_mutex_lock(&sv->mu);
    job *j = sv->done_head;
    sv->done_head = sv->done_tail = NULL;
    uv_mutex_unlock(&sv->mu);
    while (j) {
        job *next = j->next;
        conn *c = j->c;
        c->inflight--;
        sv->total_inflight--;
        bool kept = false;
        if (j->item.reply_n && !c->closing) {
            uv_buf_t b = uv_buf_init(j->item.reply, (unsigned)j->item.reply_n);
            int w = c->writes ? UV_EAGAIN : uv_try_write((uv_stream_t *)&c->h, &b, 1);
            if (w == (int)j->item.reply_n) {
                add(&sv->cfg.metrics->acks_sent, 1);
            } else if (w >= 0 || w == UV_EAGAIN) {
                if (w > 0) {
                    b.base += w;
                    b.len -= (size_t)w;
                }
                j->wreq.data = j;
                if (uv_write(&j->wreq, (uv_stream_t *)&c->h, &b, 1, on_write) == 0) {
                    c->writes++;
                    kept = true;
                    add(&sv->cfg.metrics->acks_sent, 1);
                }
            } else {
                conn_close(c, "write_error");
            }
        }
        if (!kept)
            free(j);
        if (!c->closing && !c->reading && !sv->stopping && !sv->global_paused &&
            c->inflight <= sv->cfg.max_inflight / 2) {
            c->reading = uv_read_start((uv_stream_t *)&c->h, alloc_cb, read_cb) == 0;
        }
        conn_maybe_free(c);
        j = next;
    }
    if (sv->global_paused && !sv->stopping && sv->total_inflight < QUEUED_MAX / 2) {
        sv->global_paused = false;
        for (conn *c = sv->conns; c; c = c->next)
            if (!c->closing && !c->reading && c->inflight <= sv->cfg.max_inflight / 2)
                c->reading = uv_read_start((uv_stream_t *)&c->h, alloc_cb, read_cb) == 0;
    }
    if (sv->stopping && sv->total_inflight == 0)
        finish_shutdown(sv);
}

/* ---- timers, signals, shutdown -------------------------------------------------------- */

static void sweep_cb(uv_timer_t *t)
{
    server *sv = t->data;
    uint64_t now = uv_now(&sv->loop), idle_ms = (uint64_t)sv->cfg.idle_timeout_s * 1000;
    for (conn *c = sv->conns, *next; c; c = next) {
        next = c->next;
        if (!c->closing && c->inflight == 0 && now - c->last_active_ms > idle_ms)
            conn_close(c, "idle");
    }
}

static void close_if_open(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void finish_shutdown(server *sv)
{
    if (sv->closing_all)
        return;
    sv->closing_all = true;
    for (conn *c = sv->conns; c; c = c->next)
        conn_close(c, "shutdown");
    close_if_open((uv_handle_t *)&sv->sweep);
    close_if_open((uv_handle_t *)&sv->sig_term);
    close_if_open((uv_handle_t *)&sv->sig_int);
    close_if_open((uv_handle_t *)&sv->done_async);
    uv_mutex_lock(&sv->mu);
    sv->quit = true;
    uv_cond_signal(&sv->cv);
    uv_mutex_unlock(&sv->mu);
}

static void begin_stop(server *sv, const char *why)
{
    if (sv->stopping)
        return;
    sv->stopping = true;
    ew_log(EW_LOG_INFO, "hj212.stopping", "reason=%s inflight=%llu", why,
           (unsigned long long)sv->total_inflight);
    close_if_open((uv_handle_t *)&sv->listener);
    /* Stop reading: bytes not yet framed are not acknowledged, so the devices resend them. */
    for (conn *c = sv->conns; c; c = c->next) {
        if (c->reading && !c->closing)
            uv_read_stop((uv_stream_t *)&c->h);
        c->reading = false;
    }
    if (sv->total_inflight == 0)
        finish_shutdown(sv);
}

static void signal_cb(uv_signal_t *s, int signum)
{
    begin_stop(s->data, signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

int hj212_server_run(const hj212_server_config *cfg, char *err, size_t errcap)
{
    server *sv = xcalloc(1, sizeof *sv);
    sv->cfg = *cfg;
    if (!sv->cfg.metrics)
        sv->cfg.metrics = &no_metrics;
    if (!sv->cfg.max_inflight)
        sv->cfg.max_inflight = 64;
    if (!sv->cfg.batch_max)
        sv->cfg.batch_max = 8192;
    sv->fopts.seg_max = sv->cfg.seg_max ? sv->cfg.seg_max : HJ212_SEG_MAX_ABS;
    sv->rbuf = xmalloc(READ_BUF);
    int rc = -1;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (net_addr_parse(cfg->listen_addr, &ss) != 0) {
        snprintf(err, errcap, "--hj212 %s: expected HOST:PORT", cfg->listen_addr);
        free(sv->rbuf);
        free(sv);
        return -1;
    }
    uv_loop_init(&sv->loop);
    uv_tcp_init(&sv->loop, &sv->listener);
    sv->listener.data = sv;
    int r = uv_tcp_bind(&sv->listener, (struct sockaddr *)&ss, 0);
    if (r == 0)
        r = uv_listen((uv_stream_t *)&sv->listener, 4096, on_connection);
    if (r != 0) {
        snprintf(err, errcap, "listen on %s: %s", cfg->listen_addr, uv_strerror(r));
        uv_close((uv_handle_t *)&sv->listener, NULL);
        uv_run(&sv->loop, UV_RUN_DEFAULT);
        goto out;
    }
    uv_mutex_init(&sv->mu);
    uv_cond_init(&sv->cv);
    uv_async_init(&sv->loop, &sv->done_async, done_cb);
    sv->done_async.data = sv;
    uv_signal_init(&sv->loop, &sv->sig_term);
    uv_signal_init(&sv->loop, &sv->sig_int);
    sv->sig_term.data = sv->sig_int.data = sv;
    uv_signal_start(&sv->sig_term, signal_cb, SIGTERM);
    uv_signal_start(&sv->sig_int, signal_cb, SIGINT);
    uv_timer_init(&sv->loop, &sv->sweep);
    sv->sweep.data = sv;
    if (sv->cfg.idle_timeout_s) {
        uint64_t every = sv->cfg.idle_timeout_s * 1000ull / 4;
        uv_timer_start(&sv->sweep, sweep_cb, every ? every : 1, every ? every : 1);
    }
    /* A peer that vanishes mid-write must not kill the server. */
    signal(SIGPIPE, SIG_IGN);
    /* The store keeps itself in shape under the write load (store_upkeep_start); if it
     * cannot, it keeps its default upkeep and ingest works as before. */
    char uerr[256] = "";
    if (store_upkeep_start(ingest_store(sv->cfg.ing), uerr, sizeof uerr) < 0)
        ew_log(EW_LOG_WARN, "hj212.upkeep_failed", "error=\"%s\"", uerr);
    uv_thread_create(&sv->writer, writer_main, sv);
    ew_log(EW_LOG_INFO, "hj212.listen", "addr=%s", cfg->listen_addr);
    uv_run(&sv->loop, UV_RUN_DEFAULT);
    uv_thread_join(&sv->writer);
    store_upkeep_stop(ingest_store(sv->cfg.ing));
    uv_mutex_destroy(&sv->mu);
    uv_cond_destroy(&sv->cv);
    rc = 0;
    ew_log(EW_LOG_INFO, "hj212.stopped", "store_failures=%d", sv->writer_failures);
out:
    uv_loop_close(&sv->loop);
    for (int i = 0; i < PEER_BUCKETS; i++) {
        for (peer_slot *p = sv->peers[i], *n; p; p = n) {
            n = p->next;
            free(p);
        }
    }
    free(sv->rbuf);
    free(sv);
    return rc;
}
