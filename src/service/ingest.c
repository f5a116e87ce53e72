/* ingest: parse, authenticate, validate, de-duplicate, store and answer HJ 212 packets, one
 * transaction per batch (see ingest.h). Runs on the writer thread only.
 *
 * Invariants:
 *  - every item of a batch ends up in the packet archive (stored, duplicate or rejected)
 *    in the same transaction as its observations;
 *  - a reply is prepared only for an item whose fate is decided inside this transaction, and
 *    the caller sends it only after COMMIT returned (ingest_batch() == 0);
 *  - nothing on the per-packet path allocates: the parse items, observation groups and the
 *    dirty-hour set are buffers owned by the ingest and reused. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "service/ingest.h"

typedef struct device {
    char *mn;
    char *pw;
    char kind[16];
    int64_t site_id;
    /* minute-data gap detection (see request_gap) */
    bool last_min_known;
    int64_t last_min_utc;
    int64_t min_interval_s;
    int64_t clock_synced_utc; /* last 1012 sent because of skew */
    bool uncommitted;         /* enrolled by the batch in progress */
} device;

/* Observation being assembled from the CP entries of one factor code. */
typedef struct obs_group {
    char code[24];
    char flag[8];
    double value, min, max, cou;
} obs_group;

/* A (site, parameter, hour) whose minute data changed in this batch. */
typedef struct dirty_hour {
    int64_t site_id;
    int64_t hour_utc;
    char param[24];
    const char *kind; /* borrowed from the registry */
} dirty_hour;

struct ingest {
    store *s;
    ingest_opts opts;
    /* registry: open addressing on MN, power-of-two capacity, load <= 1/2 */
    device **dev;
    size_t dev_cap, dev_n;
    size_t dev_uncommitted; /* devices enrolled by the batch in progress */
    /* per-packet scratch */
    hj212_item *items;
    size_t items_cap;
    obs_group *groups;
    store_obs *obs; /* one packet's observations, as many as groups */
    /* per-batch dirty hours: array + open-addressing index of positions + 1 */
    dirty_hour *dirty;
    size_t dirty_n, dirty_cap;
    uint32_t *dirty_idx;
    size_t dirty_idx_cap;
    bool relay;                 /* ingest node: publish, do not store (ingest_opts.relay) */
    int64_t registry_read_ms;   /* when the registry was last read again (replay, relay) */
    /* batch counters, added to the metrics after COMMIT */
    uint64_t n_stored, n_dup, n_bad, n_obs;
};

static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL; /* FNV-1a */
    return h;
}

static device *dev_find(const ingest *in, const char *mn, size_t n)
{
    size_t mask = in->dev_cap - 1;
    for (size_t i = hash_bytes(mn, n, 0xcbf29ce484222325ULL) & mask;; i = (i + 1) & mask) {
        device *d = in->dev[i];
        if (!d)
            return NULL;
        if (strlen(d->mn) == n && !memcmp(d->mn, mn, n))
            return d;
    }
}

static void dev_insert_slot(device **tab, size_t cap, device *d)
{
    size_t mask = cap - 1;
    size_t i = hash_bytes(d->mn, strlen(d->mn), 0xcbf29ce484222325ULL) & mask;
    while (tab[i])
        i = (i + 1) & mask;
    tab[i] = d;
}

/* Add or update a device in the registry. */
static device *dev_put(ingest *in, const char *mn, const char *pw, const char *kind,
                       int64_t site_id)
{
    device *d = dev_find(in, mn, strlen(mn));
    if (d) {
        free(d->pw);
        d->pw = xstrdup(pw);
    } else {
        if ((in->dev_n + 1) * 2 > in->dev_cap) {
            size_t cap = in->dev_cap * 2;
            device **tab = xcalloc(cap, sizeof *tab);
            for (size_t i = 0; i < in->dev_cap; i++)
                if (in->dev[i])
                    dev_insert_slot(tab, cap, in->dev[i]);
            free(in->dev);
            in->dev = tab;
            in->dev_cap = cap;
        }
        d = xcalloc(1, sizeof *d);
        d->mn = xstrdup(mn);
        d->pw = xstrdup(pw);
        dev_insert_slot(in->dev, in->dev_cap, d);
        in->dev_n++;
    }
    snprintf(d->kind, sizeof d->kind, "%s", kind);
    d->site_id = site_id;
    return d;
}

static void dev_free(device *d)
{
    free(d->mn);
    free(d->pw);
    free(d);
}

static void dev_clear(ingest *in)
{
    for (size_t i = 0; i < in->dev_cap; i++) {
        if (in->dev[i]) {
            dev_free(in->dev[i]);
            in->dev[i] = NULL;
        }
    }
    in->dev_n = 0;
    in->dev_uncommitted = 0;
}

/* The batch committed: its enrolments are now in the store. */
static void dev_commit(ingest *in)
{
    for (size_t i = 0; in->dev_uncommitted && i < in->dev_cap; i++)
        if (in->dev[i] && in->dev[i]->uncommitted) {
            in->dev[i]->uncommitted = false;
            in->dev_uncommitted--;
        }
}

/* The batch was rolled back: drop what it enrolled (the sites are gone) and forget the
 * minute state it advanced. The table is rebuilt because open addressing cannot delete in
 * place. */
static void dev_rollback(ingest *in)
{
    device **tab = xcalloc(in->dev_cap, sizeof *tab);
    in->dev_n = 0;
    for (size_t i = 0; i < in->dev_cap; i++) {
        device *d = in->dev[i];
        if (!d)
            continue;
        if (d->uncommitted) {
            dev_free(d);
            continue;
        }
        d->last_min_known = false;
        dev_insert_slot(tab, in->dev_cap, d);
        in->dev_n++;
    }
    free(in->dev);
    in->dev = tab;
    in->dev_uncommitted = 0;
}

static int load_site(void *ctx, const store_site *s)
{
    dev_put(ctx, s->mn, s->pw, s->kind, s->id);
    return 0;
}

/* After a rollback, make the registry agree with the database again by reading it back
 * into a new table. If that read fails too, keep the old registry minus the batch's
 * enrolments (dev_rollback) rather than an empty or partial one, which would refuse every
 * device left out until the next failure. 0, or negative with err filled. */
static int dev_reload(ingest *in, char *err, size_t errcap)
{
    device **old = in->dev;
    size_t old_cap = in->dev_cap, old_n = in->dev_n, old_unc = in->dev_uncommitted;
    in->dev_cap = 1024;
    in->dev = xcalloc(in->dev_cap, sizeof *in->dev);
    in->dev_n = in->dev_uncommitted = 0;
    if (store_site_each(in->s, load_site, in, err, errcap) < 0) {
        dev_clear(in);
        free(in->dev);
        in->dev = old;
        in->dev_cap = old_cap;
        in->dev_n = old_n;
        in->dev_uncommitted = old_unc;
        dev_rollback(in);
        return -1;
    }
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            dev_free(old[i]);
    free(old);
    return 0;
}

ingest *ingest_new(store *s, const ingest_opts *opts, char *err, size_t errcap)
{
    ingest *in = xcalloc(1, sizeof *in);
    in->s = s;
    if (opts)
        in->opts = *opts;
    in->relay = in->opts.relay.publish != NULL;
    if (in->relay && in->opts.enrol) {
        free(in);
        ew_errf(err, errcap, EW_EINVALID,
                "ingest: enrolment writes the store, which an ingest node does not");
        return NULL;
    }
    in->dev_cap = 1024;
    in->dev = xcalloc(in->dev_cap, sizeof *in->dev);
    in->items_cap = HJ212_ITEMS_MAX(HJ212_SEG_MAX_ABS);
    in->items = xmalloc(in->items_cap * sizeof *in->items);
    in->groups = xmalloc(in->items_cap * sizeof *in->groups);
    in->obs = xmalloc(in->items_cap * sizeof *in->obs);
    in->dirty_cap = 1024;
    in->dirty = xmalloc(in->dirty_cap * sizeof *in->dirty);
    in->dirty_idx_cap = 2048;
    in->dirty_idx = xcalloc(in->dirty_idx_cap, sizeof *in->dirty_idx);
    if (store_site_each(s, load_site, in, err, errcap) < 0) {
        ingest_free(in);
        return NULL;
    }
    return in;
}

void ingest_free(ingest *in)
{
    if (!in)
        return;
    dev_clear(in);
    free(in->dev);
    free(in->items);
    free(in->groups);
    free(in->obs);
    free(in->dirty);
    free(in->dirty_idx);
    free(in);
}

store *ingest_store(ingest *in)
{
    return in->s;
}

size_t ingest_device_count(const ingest *in)
{
    return in->dev_n;
}

/* ---- device list ---------------------------------------------------------------------- */

/* Split line at ',' into at most max fields (in place). Returns the count. */
static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == ',') {
            *p = 0;
            f[n++] = p + 1;
        }
    }
    return n;
}

static double parse_coord(const char *s)
{
    if (!*s)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    return *end ? NAN : v;
}

int ingest_load_devices(ingest *in, const char *path, char *err, size_t errcap)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        return ew_errf(err, errcap, EW_EINTERNAL, "%s: %s", path, strerror(errno));
    }
    if (store_begin(in->s, err, errcap) < 0) {
        fclose(fp);
        return -1;
    }
    char line[1024];
    int lineno = 0, n = 0, rc = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#' || (lineno == 1 && !strncmp(line, "mn,", 3)))
            continue;
        char *f[8] = {0};
        int nf = split_csv(line, f, 8);
        for (int i = nf; i < 8; i++)
            f[i] = "";
        store_site site = {.mn = f[0],
                           .pw = f[1],
                           .kind = f[2],
                           .name = *f[3] ? f[3] : f[0],
                           .town = *f[4] ? f[4] : NULL,
                           .lon = parse_coord(f[5]),
                           .lat = parse_coord(f[6]),
                           .enterprise = *f[7] ? f[7] : NULL,
                           .status = "active"};
        if (nf < 3 || !*f[0] || !*f[1] || !store_kind_valid(f[2])) {
            rc = ew_errf(err, errcap, EW_EINVALID,
                         "%s:%d: need mn,pw,kind with kind one of air, ghg, gas_outlet,"
                         " water_outlet, dust, water_section",
                         path, lineno);
            break;
        }
        int64_t id;
        char e2[200];
        if (store_site_put(in->s, &site, &id, e2, sizeof e2) < 0) {
            rc = ew_errf(err, errcap, EW_EINTERNAL, "%s:%d: %s", path, lineno, e2);
            break;
        }
        n++;
    }
    fclose(fp);
    if (rc < 0 || store_commit(in->s, err, errcap) < 0) {
        store_rollback(in->s);
        return -1;
    }
    /* Only now (committed) does the registry learn the devices. */
    if (store_site_each(in->s, load_site, in, err, errcap) < 0)
        return -1;
    return n;
}

/* ---- hourly aggregation --------------------------------------------------------------- */

/* HJ 212-2017 Annex C / HJ 75-2017: an hourly value needs at least 45 valid minute values
 * (75 % of 60). */
enum { HOUR_MIN_VALID = 45 };

void ingest_hour_acc_add(ingest_hour_acc *a, double value, const char *flag)
{
    a->n_min++;
    if (!hj212_flag_normal(flag)) {
        if (!a->bad_flag[0])
            snprintf(a->bad_flag, sizeof a->bad_flag, "%s", flag);
        return;
    }
    if (isnan(value))
        return;
    if (a->n_valid == 0 || value < a->min)
        a->min = value;
    if (a->n_valid == 0 || value > a->max)
        a->max = value;
    a->n_valid++;
    a->sum += value;
}

static bool kind_is_water(const char *kind)
{
    return kind && (!strcmp(kind, "water_outlet") || !strcmp(kind, "water_section"));
}

void ingest_hour_finish(const ingest_hour_acc *a, const char *kind, store_hour *h)
{
    h->n_min = a->n_min;
    h->n_valid = a->n_valid;
    h->value = a->n_valid ? a->sum / a->n_valid : NAN;
    h->min = a->n_valid ? a->min : NAN;
    h->max = a->n_valid ? a->max : NAN;
    if (kind_is_water(kind) && a->bad_flag[0])
        /* HJ 212-2017 Annex C note (wastewater): one abnormal value inside the period makes
         * the period abnormal; keep the flag that made it so. */
        h->flag = a->bad_flag;
    else
        /* Flue gas (HJ 75-2017): valid with >= 45 valid minutes, else flagged D. */
        h->flag = a->n_valid >= HOUR_MIN_VALID ? "N" : "D";
}

static void hour_add_cb(void *ctx, int64_t ts, double value, const char *flag)
{
    (void)ts;
    ingest_hour_acc_add(ctx, value, flag);
}

static void dirty_reset(ingest *in)
{
    memset(in->dirty_idx, 0, in->dirty_idx_cap * sizeof *in->dirty_idx);
    in->dirty_n = 0;
}

static uint64_t dirty_hash(int64_t site, int64_t hour, const char *param)
{
    uint64_t h = hash_bytes(&site, sizeof site, 0xcbf29ce484222325ULL);
    h = hash_bytes(&hour, sizeof hour, h);
    return hash_bytes(param, strlen(param), h);
}

static void dirty_add(ingest *in, int64_t site, int64_t hour, const char *param, const char *kind)
{
    if ((in->dirty_n + 1) * 2 > in->dirty_idx_cap) {
        in->dirty_idx_cap *= 2;
        free(in->dirty_idx);
        in->dirty_idx = xcalloc(in->dirty_idx_cap, sizeof *in->dirty_idx);
        for (size_t k = 0; k < in->dirty_n; k++) {
            dirty_hour *d = &in->dirty[k];
            size_t m = in->dirty_idx_cap - 1, i = dirty_hash(d->site_id, d->hour_utc, d->param) & m;
            while (in->dirty_idx[i])
                i = (i + 1) & m;
            in->dirty_idx[i] = (uint32_t)k + 1;
        }
    }
    size_t m = in->dirty_idx_cap - 1, i = dirty_hash(site, hour, param) & m;
    for (; in->dirty_idx[i]; i = (i + 1) & m) {
        dirty_hour *d = &in->dirty[in->dirty_idx[i] - 1];
        if (d->site_id == site && d->hour_utc == hour && !strcmp(d->param, param))
            return;
    }
    if (in->dirty_n == in->dirty_cap) {
        in->dirty_cap *= 2;
        in->dirty = xrealloc(in->dirty, in->dirty_cap * sizeof *in->dirty);
    }
    dirty_hour *d = &in->dirty[in->dirty_n];
    d->site_id = site;
    d->hour_utc = hour;
    snprintf(d->param, sizeof d->param, "%s", param);
    d->kind = kind;
    in->dirty_idx[i] = (uint32_t)++in->dirty_n;
}

static int aggregate_dirty(ingest *in, char *err, size_t errcap)
{
    for (size_t k = 0; k < in->dirty_n; k++) {
        dirty_hour *d = &in->dirty[k];
        ingest_hour_acc a = {0};
        if (store_minutes_each(in->s, d->site_id, d->param, d->hour_utc, hour_add_cb, &a, err,
                               errcap) < 0)
            return -1;
        store_hour h = {.site_id = d->site_id, .param = d->param, .hour_utc = d->hour_utc};
        ingest_hour_finish(&a, d->kind, &h);
        if (store_hour_put(in->s, &h, err, errcap) < 0)
            return -1;
    }
    return 0;
}

/* ---- one packet ----------------------------------------------------------------------- */

/* Kind given to a site enrolled from its first packet, by ST (HJ 212-2017 table 5). */
static const char *kind_of_st(hj212_str st)
{
    static const struct {
        const char *st, *kind;
    } map[] = {
        {"22", "air"},           /* ambient air quality */
        {"31", "gas_outlet"},    /* atmospheric pollution source */
        {"51", "gas_outlet"},    /* flue-gas process monitoring */
        {"32", "water_outlet"},  /* surface-water pollution source */
        {"52", "water_outlet"},  /* wastewater process monitoring */
        {"21", "water_section"}, /* surface-water quality */
        {"39", "dust"},          /* construction-site dust source */
        {"43", "dust"},          /* seen from dust monitors in the field */
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (hj212_str_eq(st, map[i].st))
            return map[i].kind;
    return "air";
}

static int period_of_cn(int cn, store_period *p)
{
    switch (cn) { /* HJ 212-2017 table 9 */
    case 2011:
        *p = STORE_RTD;
        return 1;
    case 2051:
        *p = STORE_MIN;
        return 1;
    case 2061:
        *p = STORE_HOUR;
        return 1;
    case 2031:
        *p = STORE_DAY;
        return 1;
    default:
        return 0;
    }
}

/* Uploads the platform answers with 9014 when A = 1 (HJ 212-2017 §6.5.2, Annex C). */
static bool cn_is_upload(int cn)
{
    return (cn >= 2011 && cn <= 2081) || cn == 3015 || cn == 3017 || cn == 3018 || cn == 3019 ||
           cn == 3020 || cn == 1011 || cn == 1061 || cn == 1063;
}

static void copy_str(char *dst, size_t cap, hj212_str s)
{
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    memcpy(dst, s.p, n);
    dst[n] = 0;
}

static void reply_add(ingest_item *it, const hj212_packet *pkt, int cn, int rtn)
{
    hj212_error e;
    int n = hj212_encode_reply(it->reply + it->reply_n, sizeof it->reply - it->reply_n, pkt, cn,
                               rtn, &e);
    if (n > 0)
        it->reply_n += (size_t)n;
}

/* HJ 212-2017 §6.5.3 / Annex C: a 1013 time-calibration request is answered with 9013 and
 * then the platform sets the field unit's clock with 1012. */
/* Append a 1012 "set field-unit time" request (SystemTime = now) to the reply. */
static void reply_set_time(ingest_item *it, const hj212_packet *pkt, int64_t now_ms)
{
    char qn[18], st[8], mn[64], pw[64];
    hj212_qn_format(now_ms, qn);
    copy_str(st, sizeof st, pkt->st);
    copy_str(mn, sizeof mn, pkt->mn);
    copy_str(pw, sizeof pw, pkt->pw);
    hj212_header h = {.qn = qn,
                      .st = st,
                      .mn = mn,
                      .pw = pkt->pw.n ? pw : NULL,
                      .flag = hj212_flag_make(pkt->version, false, true)};
    hj212_error e;
    int n = hj212_encode_set_time(it->reply + it->reply_n, sizeof it->reply - it->reply_n, &h, NULL,
                                  now_ms / 1000, &e);
    if (n > 0)
        it->reply_n += (size_t)n;
}

/* HJ 212-2017 §6.5.3 / Annex C: a 1013 time-calibration request is answered with 9013 and
 * then the platform sets the field unit's clock with 1012. */
static void reply_time_sync(ingest_item *it, const hj212_packet *pkt, int64_t now_ms)
{
    reply_add(it, pkt, 9013, 0);
    reply_set_time(it, pkt, now_ms);
}

/* Clock skew: real-time data (2011) is stamped with its sampling instant (HJ 212-2017
 * §6.6), so DataTime far from the receipt time means the logger's clock is wrong (minute
 * and hour data may legitimately be old: retransmissions, history). Beyond CLOCK_SKEW_S the
 * platform sets the clock (1012), at most once per CLOCK_SYNC_EVERY_S per device. */
enum { CLOCK_SKEW_S = 120, CLOCK_SYNC_EVERY_S = 3600 };

/* HJ 212-2017 Annex B codes are a lower-case class letter and five digits ("a34004"); those
 * are stored as sent, and only other shapes are looked up as HJ/T 212-2005 codes. */
static bool is_code_2017(hj212_str c)
{
    if (c.n != 6 || c.p[0] < 'a' || c.p[0] > 'z')
        return false;
    for (size_t i = 1; i < 6; i++)
        if (c.p[i] < '0' || c.p[i] > '9')
            return false;
    return true;
}

/* Longest gap re-requested at once: a logger keeps weeks of history, but one request for
 * months of minute data would flood the link. */
enum { GAP_MAX_S = 7 * 86400 };

/* Minute data arrived for dt: if minutes are missing between the last minute stored for
 * this device and dt (an outage of the link or of the platform), ask the logger for them
 * (HJ 212-2017 table 9: CN 2051 "get minute data" with BeginTime/EndTime, Annex C), after
 * the 9014. The interval is learned as the smallest step seen (MinInterval is 1..30 min);
 * the request is one-shot: a logger that has nothing answers 9012 ExeRtn=100. */
static int request_gap(ingest *in, device *d, ingest_item *it, const hj212_packet *pkt,
                       const char *mn, int64_t dt, int64_t now_ms, char *err, size_t errcap)
{
    if (!d->last_min_known) {
        int64_t last;
        int r = store_key_last(in->s, mn, "2051", dt, &last, err, errcap);
        if (r < 0)
            return -1;
        d->last_min_known = true;
        d->last_min_utc = r ? last : dt;
        d->min_interval_s = 0;
    }
    int64_t step = dt - d->last_min_utc;
    /* Until a step has been seen, assume the common 1-minute interval: at worst one request
     * for minutes a 10-minute logger never had (it answers "no data"). */
    int64_t iv = d->min_interval_s ? d->min_interval_s : 60;
    bool gap = step >= 2 * iv && step <= GAP_MAX_S;
    if (!gap && step > 0 && step <= 1800 && (!d->min_interval_s || step < d->min_interval_s))
        d->min_interval_s = step;
    if (gap) {
        char qn[18], st[8], pw[64];
        hj212_qn_format(now_ms, qn);
        copy_str(st, sizeof st, pkt->st);
        copy_str(pw, sizeof pw, pkt->pw);
        hj212_header h = {.qn = qn,
                          .st = st,
                          .mn = mn,
                          .pw = pkt->pw.n ? pw : NULL,
                          .flag = hj212_flag_make(pkt->version, false, true)};
        hj212_error e;
        int n = hj212_encode_history(it->reply + it->reply_n, sizeof it->reply - it->reply_n, &h,
                                     2051, d->last_min_utc + iv, dt - iv, &e);
        if (n > 0) {
            it->reply_n += (size_t)n;
            ew_log(EW_LOG_INFO, "ingest.gap_request", "mn=%s begin=%lld end=%lld", mn,
                   (long long)(d->last_min_utc + iv), (long long)(dt - iv));
        }
    }
    if (dt > d->last_min_utc)
        d->last_min_utc = dt;
    return 0;
}

static bool field_kept(hj212_field f)
{
    return f == HJ212_F_RTD || f == HJ212_F_AVG || f == HJ212_F_MIN || f == HJ212_F_MAX ||
           f == HJ212_F_COU || f == HJ212_F_FLAG;
}

/* Group the CP entries by factor code into observations. Returns the number of groups. The
 * first of duplicate entries wins (HJ 212 has no rule; keeping the first never lets a later
 * entry silently replace evidence). */
static size_t group_items(ingest *in, const hj212_packet *pkt, store_period period)
{
    size_t ng = 0;
    for (size_t i = 0; i < pkt->n_items; i++) {
        const hj212_item *it = &pkt->items[i];
        if (!field_kept(it->field) || it->code.n == 0)
            continue;
        /* Map HJ/T 212-2005 codes ("01", "B02") onto their 2017 codes (Annex B). */
        const hj212_param *prm = is_code_2017(it->code) ? NULL : hj212_param_find(it->code);
        char code[24];
        if (prm)
            snprintf(code, sizeof code, "%s", prm->code);
        else if (it->code.n < sizeof code)
            copy_str(code, sizeof code, it->code);
        else
            continue;
        obs_group *g = NULL;
        for (size_t k = 0; k < ng; k++)
            if (!strcmp(in->groups[k].code, code))
                g = &in->groups[k];
        if (!g) {
            g = &in->groups[ng++];
            snprintf(g->code, sizeof g->code, "%s", code);
            g->flag[0] = 0;
            g->value = g->min = g->max = g->cou = NAN;
        }
        double v = it->vtype == HJ212_VT_NUM ? it->num : NAN;
        switch (it->field) {
        case HJ212_F_RTD:
            if (period == STORE_RTD && isnan(g->value))
                g->value = v;
            break;
        case HJ212_F_AVG:
            if (isnan(g->value))
                g->value = v;
            break;
        case HJ212_F_MIN:
            if (isnan(g->min))
                g->min = v;
            break;
        case HJ212_F_MAX:
            if (isnan(g->max))
                g->max = v;
            break;
        case HJ212_F_COU:
            if (isnan(g->cou))
                g->cou = v;
            break;
        case HJ212_F_FLAG:
            if (!g->flag[0])
                copy_str(g->flag, sizeof g->flag, it->value);
            break;
        default:
            break;
        }
    }
    return ng;
}

/* The archive row of an item; its strings live in t. */
typedef struct packet_text {
    char mn[128], cn[8], qn[32];
} packet_text;

static store_packet packet_of(const ingest_item *it, const hj212_packet *pkt, int64_t site_id,
                              int64_t dt_utc, const char *outcome, const char *reason,
                              packet_text *t)
{
    t->mn[0] = t->cn[0] = t->qn[0] = 0;
    if (pkt) {
        copy_str(t->mn, sizeof t->mn, pkt->mn);
        snprintf(t->cn, sizeof t->cn, "%d", pkt->cn);
        copy_str(t->qn, sizeof t->qn, pkt->qn);
    }
    return (store_packet){.received_utc_ms = it->received_utc_ms,
                          .peer = it->peer,
                          .site_id = site_id,
                          .mn = pkt && t->mn[0] ? t->mn : NULL,
                          .cn = pkt ? t->cn : NULL,
                          .qn = pkt && t->qn[0] ? t->qn : NULL,
                          .data_time_utc = dt_utc,
                          .outcome = outcome,
                          .reason = reason,
                          .raw = it->raw,
                          .raw_n = it->raw_n};
}

static int archive(ingest *in, ingest_item *it, const hj212_packet *pkt, int64_t site_id,
                   int64_t dt_utc, const char *outcome, const char *reason, int64_t *pid, char *err,
                   size_t errcap)
{
    packet_text t;
    store_packet p = packet_of(it, pkt, site_id, dt_utc, outcome, reason, &t);
    return store_packet_put(in->s, &p, pid, err, errcap);
}

static int reject(ingest *in, ingest_item *it, const hj212_packet *pkt, int64_t site_id,
                  const char *reason, char *err, size_t errcap)
{
    it->outcome = INGEST_REJECTED;
    it->reason = reason;
    in->n_bad++;
    char peer[80];
    ew_log(
        EW_LOG_WARN, "ingest.reject", "peer=%s reason=%s bytes=%zu",
        ew_log_quote(it->peer ? it->peer : "", it->peer ? strlen(it->peer) : 0, peer, sizeof peer),
        reason, it->raw_n);
    if (in->relay) /* the writer that stores the item archives it */
        return 0;
    return archive(in, it, pkt, site_id,
                   pkt && pkt->has_datatime ? pkt->datatime_utc : STORE_NO_TIME, "rejected", reason,
                   NULL, err, errcap);
}

/* Process one item. Negative only for a store failure (the batch is then abandoned). */
/* An unknown MN on a node or a writer: the device may have been added since the registry
 * was read (by another node's --devices, or the bureau). Read it again, at most every 10 s
 * (a device that is really unknown must not cost a full read per packet). */
static device *dev_find_fresh(ingest *in, const hj212_packet *pkt, int64_t now_ms)
{
    device *d = dev_find(in, pkt->mn.p, pkt->mn.n);
    if (d || !(in->relay || in->opts.replay) || now_ms - in->registry_read_ms < 10000)
        return d;
    in->registry_read_ms = now_ms;
    char rerr[256] = "";
    if (dev_reload(in, rerr, sizeof rerr) < 0) {
        char q[300];
        ew_log(EW_LOG_WARN, "ingest.registry_reload_failed", "error=%s",
               ew_log_quote(rerr, strlen(rerr), q, sizeof q));
        return NULL;
    }
    return dev_find(in, pkt->mn.p, pkt->mn.n);
}

static int process(ingest *in, ingest_item *it, int64_t now_ms, char *err, size_t errcap)
{
    it->reply_n = 0;
    it->reason = NULL;
    it->key[0] = 0;
    if (it->frame_err != 0)
        /* HJ 212-2017 §6.5: a frame that fails its CRC is not executed and not answered;
         * other framing faults have no reply either. Keep the bytes with the reason. */
        return reject(in, it, NULL, 0, hj212_err_name(it->frame_err), err, errcap);

    hj212_packet pkt;
    hj212_error perr;
    if (hj212_parse(it->seg, it->seg_n, &pkt, in->items, in->items_cap, &perr) < 0)
        return reject(in, it, NULL, 0, "parse", err, errcap);

    device *d = dev_find_fresh(in, &pkt, now_ms);
    if (!d && in->opts.enrol && pkt.pw.n > 0) {
        char mn[128], pw[128];
        copy_str(mn, sizeof mn, pkt.mn);
        copy_str(pw, sizeof pw, pkt.pw);
        store_site site = {.mn = mn,
                           .pw = pw,
                           .kind = kind_of_st(pkt.st),
                           .name = mn,
                           .lon = NAN,
                           .lat = NAN,
                           .status = "pending"};
        int64_t id;
        if (pkt.mn.n >= sizeof mn || pkt.pw.n >= sizeof pw)
            return reject(in, it, &pkt, 0, "bad_mn", err, errcap);
        if (store_site_put(in->s, &site, &id, err, errcap) < 0)
            return -1;
        d = dev_put(in, mn, pw, site.kind, id);
        d->uncommitted = true;
        in->dev_uncommitted++;
        ew_log(EW_LOG_INFO, "ingest.enrol", "mn=%s kind=%s", mn, site.kind);
    }
    if (!d) {
        /* HJ 212-2017 table 6: QnRtn 4 = MN error. */
        if (pkt.ack)
            reply_add(it, &pkt, 9011, HJ212_QN_MN_ERR);
        return reject(in, it, &pkt, 0, "unknown_mn", err, errcap);
    }
    if (strlen(d->pw) != pkt.pw.n || memcmp(d->pw, pkt.pw.p, pkt.pw.n)) {
        if (pkt.ack) /* table 6: QnRtn 3 = PW error */
            reply_add(it, &pkt, 9011, HJ212_QN_PW_ERR);
        return reject(in, it, &pkt, d->site_id, "bad_pw", err, errcap);
    }

    store_period period;
    int64_t dt = pkt.has_datatime ? pkt.datatime_utc : STORE_NO_TIME;
    if (period_of_cn(pkt.cn, &period)) {
        if (!pkt.has_datatime)
            return reject(in, it, &pkt, d->site_id, "no_datatime", err, errcap);
        /* Clocks drift (hence 1013/1012), but data labelled more than a day ahead of
         * receipt cannot be a measurement. */
        if (dt > now_ms / 1000 + 86400)
            return reject(in, it, &pkt, d->site_id, "datatime_future", err, errcap);
        char cn[8], mn[128];
        snprintf(cn, sizeof cn, "%d", pkt.cn);
        copy_str(mn, sizeof mn, pkt.mn);
        snprintf(it->key, sizeof it->key, "%s/%s/%lld/%d", mn, cn, (long long)dt, pkt.pno);
        /* A node does not decide duplicates: the writer does, on the store's keys (the log
         * drops a resend within its window by the key). */
        int seen = in->relay ? 0 : store_key_seen(in->s, mn, cn, dt, pkt.pno, err, errcap);
        if (seen < 0)
            return -1;
        int64_t pid;
        if (in->relay) {
            it->outcome = INGEST_STORED;
            in->n_stored++;
        } else if (seen) {
            /* HJ 212 pitfall: a logger that missed our 9014 resends; answer again, store
             * once. */
            it->outcome = INGEST_DUPLICATE;
            it->reason = "duplicate";
            in->n_dup++;
            if (archive(in, it, &pkt, d->site_id, dt, "duplicate", "duplicate", &pid, err, errcap) <
                0)
                return -1;
        } else {
            it->outcome = INGEST_STORED;
            in->n_stored++;
            size_t ng = group_items(in, &pkt, period);
            for (size_t k = 0; k < ng; k++) {
                obs_group *g = &in->groups[k];
                in->obs[k] = (store_obs){.site_id = d->site_id,
                                         .param = g->code,
                                         .period = period,
                                         .ts_utc = dt,
                                         .value = g->value,
                                         .min = g->min,
                                         .max = g->max,
                                         .cou = g->cou,
                                         .flag = g->flag};
                if (period == STORE_MIN)
                    dirty_add(in, d->site_id, dt - dt % 3600, g->code, d->kind);
            }
            /* Archive, key and values in one call: one round trip on PostgreSQL. */
            packet_text t;
            store_packet sp = packet_of(it, &pkt, d->site_id, dt, "stored", NULL, &t);
            int r = store_data_put(in->s, &sp, pkt.pno, in->obs, ng, &pid, err, errcap);
            if (r < 0)
                return -1;
            in->n_obs += (uint64_t)r;
        }
        if (pkt.ack)
            reply_add(it, &pkt, 9014, 0);
        int64_t now_s = now_ms / 1000;
        if (period == STORE_RTD && llabs(dt - now_s) > CLOCK_SKEW_S &&
            now_s - d->clock_synced_utc >= CLOCK_SYNC_EVERY_S) {
            d->clock_synced_utc = now_s;
            reply_set_time(it, &pkt, now_ms);
            ew_log(EW_LOG_INFO, "ingest.clock_skew", "mn=%s skew_s=%lld", mn,
                   (long long)(dt - now_s));
        }
        if (period == STORE_MIN && !seen && pkt.pno <= 1 &&
            request_gap(in, d, it, &pkt, mn, dt, now_ms, err, errcap) < 0)
            return -1;
        return 0;
    }

    /* Other commands are archived as received. */
    it->outcome = INGEST_STORED;
    in->n_stored++;
    if (!in->relay && archive(in, it, &pkt, d->site_id, dt, "stored", NULL, NULL, err, errcap) < 0)
        return -1;
    if (pkt.cn == 1013)
        reply_time_sync(it, &pkt, now_ms);
    else if (pkt.ack && cn_is_upload(pkt.cn))
        reply_add(it, &pkt, 9014, 0);
    return 0;
}

static void add_metrics(ingest *in)
{
    if (in->opts.metrics) {
        ew_metrics *m = in->opts.metrics;
        atomic_fetch_add_explicit(&m->packets_stored, in->n_stored, memory_order_relaxed);
        atomic_fetch_add_explicit(&m->packets_duplicate, in->n_dup, memory_order_relaxed);
        atomic_fetch_add_explicit(&m->packets_bad, in->n_bad, memory_order_relaxed);
        atomic_fetch_add_explicit(&m->observations_stored, in->n_obs, memory_order_relaxed);
    }
}

int ingest_batch(ingest *in, ingest_item *const *items, size_t n, int64_t now_utc_ms, char *err,
                 size_t errcap)
{
    in->n_stored = in->n_dup = in->n_bad = in->n_obs = 0;
    dirty_reset(in);
    if (in->relay) {
        /* An ingest node: decide the replies, then the items must be durable in the log
         * before any reply leaves (the same rule as a COMMIT). */
        for (size_t i = 0; i < n; i++)
            if (process(in, items[i], now_utc_ms, err, errcap) < 0)
                goto fail_relay;
        if (in->opts.relay.publish(in->opts.relay.ctx, items, n, err, errcap) < 0)
            goto fail_relay;
        add_metrics(in);
        return 0;
    fail_relay:
        for (size_t i = 0; i < n; i++)
            items[i]->reply_n = 0;
        return -1;
    }
    if (store_begin(in->s, err, errcap) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        /* A writer judges an item at its receipt (the future-DataTime rule), not now. */
        int64_t at = in->opts.replay ? items[i]->received_utc_ms : now_utc_ms;
        if (process(in, items[i], at, err, errcap) < 0)
            goto fail;
    }
    if (aggregate_dirty(in, err, errcap) < 0 || store_commit(in->s, err, errcap) < 0)
        goto fail;
    dev_commit(in);
    add_metrics(in);
    return 0;
fail:
    store_rollback(in->s);
    for (size_t i = 0; i < n; i++)
        items[i]->reply_n = 0;
    /* Devices enrolled by this batch were rolled back too: rebuild the registry from the
     * database so that the two agree again. */
    char rerr[256] = "";
    if (dev_reload(in, rerr, sizeof rerr) < 0) {
        char q[300];
        ew_log(EW_LOG_ERROR, "ingest.registry_reload_failed", "kept_devices=%zu error=%s",
               in->dev_n, ew_log_quote(rerr, strlen(rerr), q, sizeof q));
    }
    return -1;
}
