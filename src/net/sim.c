/* sim: virtual HJ 212 data loggers on one libuv loop (see sim.h). */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "net/addr.h"
#include "net/sim.h"

enum { WINDOW_MAX = 64, FRAME_CAP = 1200 };

/* Reply latency histogram: 10 us buckets below 100 ms, 1 ms buckets up to 60 s. */
enum { FINE_N = 10000, COARSE_N = 60000 };

typedef struct pend {
    char qn[18];
    uint64_t sent_ns;
    int64_t dt_utc;
    int pno;
} pend;

typedef struct simrun simrun;

typedef struct dev {
    uv_tcp_t h; /* first: handle pointer == dev pointer */
    uv_connect_t creq;
    uv_timer_t tick;
    simrun *r;
    sim_kind kind;           /* of the run (may be SIM_MIXED) */
    sim_kind dk;             /* of this device */
    const sim_device *model; /* from a device list: values from the demo model */
    int64_t next_min;        /* real time: the next minute to upload */
    int64_t last_hour;       /* real time: the last hour uploaded as 2061 */
    char mn[25], pw[7];
    hj212_framer fr;
    pend pend[WINDOW_MAX];
    unsigned npend;
    uint64_t seq;
    bool connected, closing;
    char last[FRAME_CAP];
    size_t last_n;
    char last_qn[18];
} dev;

struct simrun {
    sim_config cfg;
    uv_loop_t loop;
    uv_timer_t stop_timer, drain_timer;
    dev *devs;
    bool sending;
    uint32_t rng;
    uint64_t qn_ms; /* next QN (a virtual ms clock: unique per packet) */
    sim_report rep;
    uint32_t *fine, *coarse;
    uint64_t lat_n;
    double lat_max_ms;
    uint64_t t0, drain_t0;
    char rbuf[16384];
    char obuf[WINDOW_MAX * FRAME_CAP];
    size_t obuf_n;
    bool batching;
    hj212_item items[64];
};

typedef struct wbuf {
    uv_write_t w;
    size_t n;
    char data[];
} wbuf;

static uint32_t rnd(simrun *r)
{
    uint32_t x = r->rng; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return r->rng = x;
}

static double unit(simrun *r)
{
    return (rnd(r) >> 8) / 16777216.0;
}

const char *sim_st_of(sim_kind k)
{
    /* HJ 212 has no ST of its own for greenhouse-gas stations: they report as air (22). */
    return k == SIM_AIR || k == SIM_GHG ? "22"
           : k == SIM_GAS               ? "31"
           : k == SIM_SECTION           ? "21"
                                        : "32";
}

int sim_kind_parse(const char *s, sim_kind *out)
{
    static const char *const names[] = {"air", "gas", "water", "mixed"};
    for (int i = 0; i < 4; i++) {
        if (!strcmp(s, names[i])) {
            *out = (sim_kind)i;
            return 0;
        }
    }
    return -1;
}

static sim_kind kind_of(sim_kind k, unsigned i)
{
    return k == SIM_MIXED ? (sim_kind)(i % 3) : k;
}

void sim_identity(sim_kind k, unsigned i, char mn[25], char pw[7], const char **site_kind)
{
    static const char letter[] = "AGWMCS";
    static const char *const kinds[] = {[SIM_AIR] = "air",
                                        [SIM_GAS] = "gas_outlet",
                                        [SIM_WATER] = "water_outlet",
                                        [SIM_MIXED] = "air",
                                        [SIM_GHG] = "ghg",
                                        [SIM_SECTION] = "water_section"};
    sim_kind dk = kind_of(k, i);
    /* 24 characters like an HJ 212-2017 MN: a fixed prefix, the kind, the index. */
    snprintf(mn, 25, "EWSIM%c%018u", letter[dk], i);
    snprintf(pw, 7, "%06u", (unsigned)((i * 7919u + 123457u) % 1000000u));
    if (site_kind)
        *site_kind = kinds[dk];
}

void sim_print_devices(FILE *out, sim_kind k, unsigned first, unsigned n)
{
    fprintf(out, "mn,pw,kind,name,town,lon,lat,enterprise\n");
    for (unsigned i = first; i - first < n; i++) {
        char mn[25], pw[7];
        const char *kind;
        sim_identity(k, i, mn, pw, &kind);
        /* Spread over the zone (about 113.7-113.9 E, 34.6-34.8 N). */
        fprintf(out, "%s,%s,%s,sim %s %u,sim,%.4f,%.4f,%s\n", mn, pw, kind, kind, i,
                113.70 + (i % 100) * 0.002, 34.60 + (i / 100 % 100) * 0.002,
                strcmp(kind, "air") ? "Simulated Enterprise" : "");
    }
}

/* ---- packet content -------------------------------------------------------------------- */

static double beijing_hour(int64_t t_utc)
{
    return (double)((t_utc + 8 * 3600) % 86400) / 3600.0;
}

static void factor(hj212_factor *f, const char *code, double avg, double spread, int decimals,
                   simrun *r)
{
    memset(f, 0, sizeof *f);
    f->code = code;
    f->fields = HJ212_FB(HJ212_F_MIN) | HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_MAX) |
                HJ212_FB(HJ212_F_FLAG);
    double noise = (unit(r) - 0.5) * spread;
    f->avg = fmax(0, avg + noise);
    f->min = fmax(0, f->avg - spread * unit(r));
    f->max = f->avg + spread * unit(r);
    f->decimals = decimals;
    f->flag = 'N';
}

/* Fill factors for one minute of a device; returns how many. */
static size_t make_factors(const dev *d, int64_t dt, int period_s, hj212_factor *f, simrun *r)
{
    if (d->model)
        return sim_model_factors(d->model, dt, period_s, f);
    double h = beijing_hour(dt);
    size_t n = 0;
    switch (d->dk) {
    case SIM_AIR: {
        /* Winter-like diurnal shape: PM2.5 peaks in the morning and late evening, O3 in
         * mid-afternoon. */
        double pm25 = 45 + 20 * cos(2 * M_PI * (h - 8) / 24) + 8 * cos(4 * M_PI * (h - 22) / 24);
        double o3 = fmax(5, 70 + 60 * sin(2 * M_PI * (h - 9) / 24));
        factor(&f[n++], "a34004", pm25, 6, 0, r);
        factor(&f[n++], "a34002", pm25 * 1.7, 10, 0, r);
        factor(&f[n++], "a21026", 9, 2, 0, r);
        factor(&f[n++], "a21004", 32 + 12 * cos(2 * M_PI * (h - 8) / 24), 5, 0, r);
        factor(&f[n++], "a21005", 0.8, 0.2, 1, r);
        factor(&f[n++], "a05024", o3, 8, 0, r);
        break;
    }
    case SIM_GAS:
        factor(&f[n++], "a21026", 18, 4, 2, r);    /* SO2 mg/m3 */
        factor(&f[n++], "a21002", 38, 6, 2, r);    /* NOx */
        factor(&f[n++], "a34013", 4.5, 1, 2, r);   /* dust */
        factor(&f[n++], "a19001", 9.5, 0.6, 2, r); /* O2 % */
        factor(&f[n++], "a00000", 52, 4, 2, r);    /* flue-gas flow m3/s */
        f[n - 1].fields |= HJ212_FB(HJ212_F_COU);
        f[n - 1].cou = f[n - 1].avg * 60;
        break;
    case SIM_WATER:
    default:
        factor(&f[n++], "w01018", 32, 5, 2, r);      /* COD mg/L */
        factor(&f[n++], "w21003", 1.6, 0.4, 3, r);   /* NH3-N */
        factor(&f[n++], "w21011", 0.25, 0.05, 3, r); /* TP */
        factor(&f[n++], "w01001", 7.2, 0.3, 2, r);   /* pH */
        factor(&f[n++], "w00000", 12, 2, 2, r);      /* flow L/s */
        f[n - 1].fields |= HJ212_FB(HJ212_F_COU);
        f[n - 1].cou = f[n - 1].avg * 60 / 1000; /* m3 in the minute */
        break;
    }
    return n;
}


/* ---- sending --------------------------------------------------------------------------- */

static void on_written(uv_write_t *w, int status)
{
    (void)status;
    free(w->data);
}

static void raw_send(dev *d, const char *p, size_t n)
{
    uv_buf_t b = uv_buf_init((char *)p, (unsigned)n);
    int w = uv_try_write((uv_stream_t *)&d->h, &b, 1);
    if (w == (int)n)
        return;
    if (w < 0 && w != UV_EAGAIN)
        return; /* the read side will see the error */
    size_t done = w > 0 ? (size_t)w : 0;
    wbuf *wb = xmalloc(sizeof *wb + n - done);
    wb->n = n - done;
    memcpy(wb->data, p + done, wb->n);
    wb->w.data = wb;
    uv_buf_t rest = uv_buf_init(wb->data, (unsigned)wb->n);
    if (uv_write(&wb->w, (uv_stream_t *)&d->h, &rest, 1, on_written) != 0)
        free(wb);
}

/* Send now, or collect into the run's output buffer while fill() is batching. */
static void out_add(dev *d, const char *p, size_t n)
{
    simrun *r = d->r;
    if (!r->batching) {
        raw_send(d, p, n);
        return;
    }
    if (r->obuf_n + n > sizeof r->obuf) {
        raw_send(d, r->obuf, r->obuf_n);
        r->obuf_n = 0;
    }
    memcpy(r->obuf + r->obuf_n, p, n);
    r->obuf_n += n;
}

static void track(dev *d, const char *qn, int64_t dt, int pno)
{
    pend *p = &d->pend[d->npend++];
    memcpy(p->qn, qn, 18);
    p->sent_ns = uv_hrtime();
    p->dt_utc = dt;
    p->pno = pno;
}

/* Generate and send an upload of d (one or two frames): cn 2051 (the minute dt) or 2061
 * (the hour starting at dt). */
static void send_upload(dev *d, int64_t dt, int cn, bool history);

static void send_one(dev *d)
{
    simrun *r = d->r;
    int64_t dt = r->cfg.start_utc + (int64_t)d->seq++ * 60;
    /* A lost minute: kept in the logger until the platform asks for it. Never the first,
     * so that the platform has a minute to measure the gap from. */
    if (d->seq > 1 && unit(r) < r->cfg.p_gap) {
        r->rep.gaps++;
        dt = r->cfg.start_utc + (int64_t)d->seq++ * 60;
    }
    send_upload(d, dt, 2051, false);
}

static void send_upload(dev *d, int64_t dt, int cn, bool history)
{
    simrun *r = d->r;
    hj212_factor f[8];
    size_t nf = make_factors(d, dt, cn == 2061 ? 3600 : 60, f, r);
    /* The pieces of a split upload may exceed the window by one, as a logger sends a whole
     * message at once. */
    bool split = !history && unit(r) < r->cfg.p_split && d->npend + 2 <= WINDOW_MAX;
    bool bad_pw = !history && unit(r) < r->cfg.p_bad_pw;
    bool malformed = !history && !split && unit(r) < r->cfg.p_malformed;
    if (d->npend + (split ? 2 : 1) > WINDOW_MAX)
        return;
    int pieces = split ? 2 : 1;
    for (int pno = 1; pno <= pieces; pno++) {
        char qn[18], buf[FRAME_CAP];
        hj212_qn_format((int64_t)r->qn_ms++, qn);
        hj212_header h = {.qn = qn,
                          .st = sim_st_of(d->dk),
                          .cn = cn,
                          .pw = bad_pw ? "000000" : d->pw,
                          .mn = d->mn,
                          .flag = hj212_flag_make(HJ212_V2017, split, true),
                          .pnum = split ? 2 : 0,
                          .pno = split ? pno : 0};
        /* HJ 212-2017 C.47: each piece repeats DataTime and carries part of the factors. */
        size_t from = split ? (pno == 1 ? 0 : nf / 2) : 0, to = split && pno == 1 ? nf / 2 : nf;
        hj212_error e;
        int n = hj212_encode_upload(buf, sizeof buf, &h, dt, f + from, to - from, &e);
        if (n <= 0)
            return;
        if (malformed) {
            /* Corrupt one CRC digit: the platform must drop it silently (§6.5). */
            char *c = buf + n - 3;
            *c = *c == '0' ? '1' : '0';
            r->rep.malformed++;
        } else {
            track(d, qn, dt, split ? pno : 0);
            memcpy(d->last, buf, (size_t)n);
            d->last_n = (size_t)n;
            memcpy(d->last_qn, qn, 18);
        }
        if (split)
            r->rep.split_pieces++;
        r->rep.sent++;
        out_add(d, buf, (size_t)n);
    }
}

static void fill(dev *d)
{
    simrun *r = d->r;
    /* A window's worth of frames goes out in one write, as a logger catching up would. */
    r->obuf_n = 0;
    r->batching = true;
    while (r->sending && d->connected && !d->closing && d->npend < r->cfg.window)
        send_one(d);
    r->batching = false;
    if (r->obuf_n)
        raw_send(d, r->obuf, r->obuf_n);
    r->obuf_n = 0;
}

/* Real time: upload every minute (and hour) that has ended and is not yet sent, as far as
 * the window allows; the replies call this again, so a backlog drains at once. */
static void catch_up(dev *d)
{
    simrun *r = d->r;
    int64_t now = (int64_t)time(NULL);
    /* A silent outlet (simulate --fault silent) is connected but says nothing. */
    if (d->model && d->model->faults & (1u << SIM_FAULT_SILENT))
        return;
    r->obuf_n = 0;
    r->batching = true;
    while (r->sending && d->connected && !d->closing && d->next_min + 60 <= now &&
           d->npend + 4 <= r->cfg.window) {
        int64_t t = d->next_min;
        /* An hour has ended: its 2061 first, as a logger sends the hour data at the hour. */
        if (t % 3600 == 0 && d->last_hour != t - 3600) {
            d->last_hour = t - 3600;
            if (!d->model || !sim_model_missing(d->model, t - 3600))
                send_upload(d, t - 3600, 2061, false);
        }
        if (!d->model || !sim_model_missing(d->model, t - t % 3600))
            send_upload(d, t, 2051, false);
        d->next_min = t + 60;
    }
    r->batching = false;
    if (r->obuf_n)
        raw_send(d, r->obuf, r->obuf_n);
    r->obuf_n = 0;
}

static void tick_cb(uv_timer_t *t)
{
    dev *d = t->data;
    if (d->r->cfg.realtime) {
        catch_up(d);
        return;
    }
    if (d->r->sending && d->connected && !d->closing && d->npend < d->r->cfg.window)
        send_one(d);
}

/* ---- replies --------------------------------------------------------------------------- */

static void record_latency(simrun *r, uint64_t ns)
{
    double ms = (double)ns / 1e6;
    uint64_t us10 = ns / 10000;
    if (us10 < FINE_N)
        r->fine[us10]++;
    else {
        uint64_t m = ns / 1000000;
        r->coarse[m < COARSE_N ? m : COARSE_N - 1]++;
    }
    r->lat_n++;
    if (ms > r->lat_max_ms)
        r->lat_max_ms = ms;
}

/* HJ 212-2017 §6.5.1 / Annex C: a data request is answered 9011 QnRtn=1, then the data,
 * then 9012 ExeRtn=1, all with the request's QN (the data uploads carry their own). */
static void answer_history(dev *d, const hj212_packet *req)
{
    simrun *r = d->r;
    int64_t begin = 0, end = -1;
    for (size_t k = 0; k < req->n_items; k++) {
        const hj212_item *it = &req->items[k];
        if (it->vtype != HJ212_VT_TIME)
            continue;
        if (it->field == HJ212_F_BEGINTIME)
            begin = it->t_utc;
        else if (it->field == HJ212_F_ENDTIME)
            end = it->t_utc;
    }
    char buf[FRAME_CAP];
    hj212_error e;
    int n = hj212_encode_reply(buf, sizeof buf, req, 9011, HJ212_QN_READY, &e);
    if (n > 0)
        raw_send(d, buf, (size_t)n);
    r->rep.history_requests++;
    for (int64_t t = begin; t <= end && t - begin < 3600; t += 60) {
        send_upload(d, t, 2051, true);
        r->rep.history_sent++;
    }
    n = hj212_encode_reply(buf, sizeof buf, req, 9012, HJ212_EXE_OK, &e);
    if (n > 0)
        raw_send(d, buf, (size_t)n);
}

static void on_reply(dev *d, const hj212_frame *fr)
{
    simrun *r = d->r;
    hj212_packet pkt;
    hj212_error e;
    if (hj212_parse(fr->seg, fr->seg_len, &pkt, r->items, 64, &e) < 0)
        return;
    if (pkt.cn == 2051) {
        answer_history(d, &pkt);
        return;
    }
    if (pkt.cn != 9014 && pkt.cn != 9011)
        return; /* e.g. a 1012 time setting: nothing to track */
    for (unsigned i = 0; i < d->npend; i++) {
        pend *p = &d->pend[i];
        if (pkt.qn.n != 17 || memcmp(pkt.qn.p, p->qn, 17))
            continue;
        if (pkt.cn == 9014) {
            r->rep.acked++;
            record_latency(r, uv_hrtime() - p->sent_ns);
            if (r->cfg.acked_log)
                fprintf(r->cfg.acked_log, "%s %lld %d\n", d->mn, (long long)p->dt_utc, p->pno);
        } else {
            const hj212_item *it = NULL;
            for (size_t k = 0; k < pkt.n_items; k++)
                if (pkt.items[k].field == HJ212_F_QNRTN)
                    it = &pkt.items[k];
            if (it && it->vtype == HJ212_VT_NUM && it->num == 1)
                continue; /* "ready": the data answer follows */
            r->rep.rejected++;
        }
        bool was_last = !memcmp(p->qn, d->last_qn, 17);
        int64_t dt = p->dt_utc;
        int pno = p->pno;
        d->pend[i] = d->pend[--d->npend];
        /* A logger that missed (or doubted) the 9014 sends the same frame again. */
        if (pkt.cn == 9014 && was_last && d->last_n && r->sending &&
            unit(r) < r->cfg.p_retransmit) {
            track(d, d->last_qn, dt, pno);
            r->rep.retransmits++;
            r->rep.sent++;
            raw_send(d, d->last, d->last_n);
        }
        break;
    }
    if (r->cfg.realtime)
        catch_up(d);
    else if (r->cfg.rate <= 0)
        fill(d);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    simrun *r = ((dev *)h)->r;
    buf->base = r->rbuf;
    buf->len = sizeof r->rbuf;
}

static void dev_close(dev *d)
{
    if (d->closing)
        return;
    d->closing = true;
    uv_close((uv_handle_t *)&d->tick, NULL);
    uv_close((uv_handle_t *)&d->h, NULL);
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    dev *d = (dev *)s;
    if (nread < 0) {
        d->r->rep.disconnects++;
        d->connected = false;
        dev_close(d);
        return;
    }
    hj212_framer_feed(&d->fr, buf->base, (size_t)nread);
    hj212_frame_event ev;
    while (hj212_framer_next(&d->fr, &ev) == 1)
        if (ev.kind == HJ212_OK)
            on_reply(d, &ev.frame);
}

static void on_connect(uv_connect_t *c, int status)
{
    dev *d = c->data;
    if (status < 0) {
        d->r->rep.connect_failures++;
        dev_close(d);
        return;
    }
    d->connected = true;
    uv_tcp_nodelay(&d->h, 1);
    uv_read_start((uv_stream_t *)&d->h, alloc_cb, read_cb);
    if (d->r->cfg.realtime) {
        /* Once a second: a minute's upload goes out within a second of its end. */
        uv_timer_start(&d->tick, tick_cb, rnd(d->r) % 1000, 1000);
        catch_up(d);
    } else if (d->r->cfg.rate > 0) {
        uint64_t every = (uint64_t)(1000.0 / d->r->cfg.rate);
        if (every == 0)
            every = 1;
        /* Spread the devices' ticks over one period so that they do not fire in lockstep. */
        uv_timer_start(&d->tick, tick_cb, rnd(d->r) % every, every);
    } else {
        fill(d);
    }
}

/* ---- run ------------------------------------------------------------------------------- */

static void drain_cb(uv_timer_t *t)
{
    simrun *r = t->data;
    bool waiting = false;
    for (unsigned i = 0; i < r->cfg.devices; i++)
        if (!r->devs[i].closing && r->devs[i].npend)
            waiting = true;
    if (waiting && uv_hrtime() - r->drain_t0 < 5000000000ull)
        return;
    uv_timer_stop(t);
    r->rep.elapsed_s = (double)(uv_hrtime() - r->t0) / 1e9;
    for (unsigned i = 0; i < r->cfg.devices; i++) {
        r->rep.unanswered += r->devs[i].npend;
        dev_close(&r->devs[i]);
    }
    uv_close((uv_handle_t *)&r->stop_timer, NULL);
    uv_close((uv_handle_t *)t, NULL);
}

static void stop_cb(uv_timer_t *t)
{
    simrun *r = t->data;
    r->sending = false;
    r->drain_t0 = uv_hrtime();
    uv_timer_start(&r->drain_timer, drain_cb, 0, 20);
}

static double percentile(const simrun *r, double q)
{
    if (!r->lat_n)
        return 0;
    uint64_t want = (uint64_t)ceil(q * (double)r->lat_n), seen = 0;
    for (int i = 0; i < FINE_N; i++)
        if ((seen += r->fine[i]) >= want)
            return (i + 1) * 0.01;
    for (int i = 0; i < COARSE_N; i++)
        if ((seen += r->coarse[i]) >= want)
            return i + 1.0;
    return r->lat_max_ms;
}

int sim_run(const sim_config *cfg, sim_report *rep, char *err, size_t errcap)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (net_addr_parse(cfg->addr, &ss) != 0 || !((struct sockaddr_in *)&ss)->sin_port) {
        snprintf(err, errcap, "%s: expected HOST:PORT", cfg->addr);
        return -1;
    }
    simrun *r = xcalloc(1, sizeof *r);
    r->cfg = *cfg;
    if (!r->cfg.window)
        r->cfg.window = cfg->realtime ? WINDOW_MAX : cfg->rate > 0 ? 1 : 16;
    if (r->cfg.window > WINDOW_MAX)
        r->cfg.window = WINDOW_MAX;
    r->rng = cfg->seed ? cfg->seed : 2463534242u;
    r->fine = xcalloc(FINE_N, sizeof *r->fine);
    r->coarse = xcalloc(COARSE_N, sizeof *r->coarse);
    /* Virtual QN clock: starts at the first DataTime and advances 1 ms per packet, so QNs
     * are unique per run however fast packets are sent. */
    r->qn_ms = (uint64_t)cfg->start_utc * 1000;
    /* A server that closes while we write must not kill the simulator. */
    signal(SIGPIPE, SIG_IGN);
    uv_loop_init(&r->loop);
    r->devs = xcalloc(cfg->devices, sizeof *r->devs);
    r->sending = true;
    r->t0 = uv_hrtime();
    for (unsigned i = 0; i < cfg->devices; i++) {
        dev *d = &r->devs[i];
        d->r = r;
        d->kind = cfg->kind;
        if (cfg->devs) {
            d->model = &cfg->devs[i];
            d->dk = d->model->kind;
            memcpy(d->mn, d->model->mn, sizeof d->mn);
            memcpy(d->pw, d->model->pw, sizeof d->pw);
        } else {
            d->dk = kind_of(cfg->kind, i);
            sim_identity(cfg->kind, cfg->first + i, d->mn, d->pw, NULL);
        }
        d->next_min = cfg->start_utc - cfg->start_utc % 60;
        d->last_hour = INT64_MIN;
        hj212_framer_init(&d->fr, NULL);
        uv_tcp_init(&r->loop, &d->h);
        uv_timer_init(&r->loop, &d->tick);
        d->tick.data = d;
        d->creq.data = d;
        if (uv_tcp_connect(&d->creq, &d->h, (struct sockaddr *)&ss, on_connect) != 0) {
            r->rep.connect_failures++;
            dev_close(d);
        }
    }
    uv_timer_init(&r->loop, &r->stop_timer);
    uv_timer_init(&r->loop, &r->drain_timer);
    r->stop_timer.data = r->drain_timer.data = r;
    uv_timer_start(&r->stop_timer, stop_cb, (uint64_t)(cfg->duration_s * 1000), 0);
    uv_run(&r->loop, UV_RUN_DEFAULT);
    r->rep.p50_ms = percentile(r, 0.50);
    r->rep.p99_ms = percentile(r, 0.99);
    r->rep.max_ms = r->lat_max_ms;
    *rep = r->rep;
    for (unsigned i = 0; i < cfg->devices; i++)
        hj212_framer_free(&r->devs[i].fr);
    uv_loop_close(&r->loop);
    free(r->devs);
    free(r->fine);
    free(r->coarse);
    free(r);
    return 0;
}
