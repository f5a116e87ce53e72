/* Tests of src/service/ingest: authentication, idempotency, replies, archive, observation
 * mapping and hourly aggregation, against a real SQLite store in a temporary directory. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fault.h"
#include "hj212/hj212.h"
#include "service/ingest.h"
#include "store/read.h"
#include "store/store.h"
#include "testutil.h"

typedef struct fx {
    tu_tmpdb db;
    store *s;
    ingest *in;
    ew_metrics metrics;
    char frame[2048];
} fx;

/* 2022-05-13 16:26:00 Beijing time = 08:26:00 UTC; a day later than the packet is "now". */
enum { T_1626 = 1652430360, T_1600 = 1652428800 };
static const int64_t NOW_MS = (int64_t)(T_1626 + 86400) * 1000;

static int setup_opts(void **state, bool enrol)
{
    fx *f = calloc(1, sizeof *f);
    char err[256];
    if (!(f->s = tu_store_open(&f->db, "ingest")))
        return -1;
    store_site air = {.mn = "JLYP01_AIR01_0001",
                      .pw = "123456",
                      .kind = "air",
                      .name = "A1",
                      .lon = NAN,
                      .lat = NAN};
    store_site water = {.mn = "WATER0001",
                        .pw = "654321",
                        .kind = "water_outlet",
                        .name = "W1",
                        .lon = NAN,
                        .lat = NAN,
                        .enterprise = "Acme"};
    if (store_site_put(f->s, &air, NULL, err, sizeof err) < 0 ||
        store_site_put(f->s, &water, NULL, err, sizeof err) < 0)
        return -1;
    ingest_opts o = {.enrol = enrol, .metrics = &f->metrics};
    if (!(f->in = ingest_new(f->s, &o, err, sizeof err)))
        return -1;
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_opts(state, false);
}

static int setup_enrol(void **state)
{
    return setup_opts(state, true);
}

static int teardown(void **state)
{
    fx *f = *state;
    ingest_free(f->in);
    int rc = tu_store_close(&f->db, f->s);
    free(f);
    return rc;
}

/* Frame a data segment: "##" + length + segment + CRC + CR LF (HJ 212-2017 table 2). */
static void make_item(fx *f, ingest_item *it, const char *seg)
{
    size_t n = strlen(seg);
    char crc[5];
    hj212_crc_hex(hj212_crc16(seg, n), crc);
    crc[4] = 0;
    int len = snprintf(f->frame, sizeof f->frame, "##%04zu%s%s\r\n", n, seg, crc);
    memset(it, 0, sizeof *it);
    it->raw = f->frame;
    it->raw_n = (size_t)len;
    it->seg = f->frame + 6;
    it->seg_n = n;
    it->peer = "127.0.0.1:5000";
    it->received_utc_ms = NOW_MS;
}

static void run_one(fx *f, ingest_item *it)
{
    char err[256];
    ingest_item *p = it;
    assert_int_equal(ingest_batch(f->in, &p, 1, NOW_MS, err, sizeof err), 0);
}

/* What the tests look at, read back through the store's interface (store.h, read.h). */
static store_counts counts(fx *f)
{
    store_counts c;
    char err[256];
    assert_int_equal(store_counts_get(f->s, &c, err, sizeof err), 0);
    return c;
}

/* The archive's packets, fields copied out. */
typedef struct archived {
    char outcome[16], reason[32], mn[32], peer[32];
    char raw[2048];
    size_t raw_n;
} archived;
typedef struct archive {
    int n;
    archived p[4];
} archive;

static int keep_packet(void *ctx, int64_t id, const store_packet *p)
{
    (void)id;
    archive *a = ctx;
    if (a->n < 4) {
        archived *o = &a->p[a->n];
        snprintf(o->outcome, sizeof o->outcome, "%s", p->outcome);
        snprintf(o->reason, sizeof o->reason, "%s", p->reason ? p->reason : "");
        snprintf(o->mn, sizeof o->mn, "%s", p->mn ? p->mn : "");
        snprintf(o->peer, sizeof o->peer, "%s", p->peer);
        o->raw_n = p->raw_n < sizeof o->raw ? p->raw_n : sizeof o->raw;
        memcpy(o->raw, p->raw, o->raw_n);
    }
    a->n++;
    return 0;
}

static archive packets(fx *f)
{
    archive a = {0};
    char err[256];
    assert_int_equal(store_packets_each(f->s, 0, 0, keep_packet, &a, err, sizeof err), 0);
    return a;
}

/* A site of the registry by MN. */
typedef struct site_seen {
    const char *mn;
    int64_t id;
    char kind[32], status[16];
} site_seen;

static int find_site(void *ctx, const store_site *site)
{
    site_seen *w = ctx;
    if (strcmp(site->mn, w->mn))
        return 0;
    w->id = site->id;
    snprintf(w->kind, sizeof w->kind, "%s", site->kind);
    snprintf(w->status, sizeof w->status, "%s", site->status ? site->status : "");
    return 1;
}

static site_seen site_of(fx *f, const char *mn)
{
    site_seen w = {.mn = mn};
    char err[256];
    assert_int_equal(store_site_each(f->s, find_site, &w, err, sizeof err), 1);
    return w;
}

/* A series of one site and parameter as the dashboard reads it. */
typedef struct series {
    int n;
    ew_read_obs o[8];
    char flag[8][8], period[8][8];
} series;

static int keep_obs(void *ctx, const ew_read_obs *o)
{
    series *v = ctx;
    if (v->n < 8) {
        v->o[v->n] = *o;
        snprintf(v->flag[v->n], sizeof v->flag[0], "%s", o->flag);
        snprintf(v->period[v->n], sizeof v->period[0], "%s", o->period);
    }
    v->n++;
    return 0;
}

static series series_of(fx *f, const char *mn, const char *param, ew_series_kind kind)
{
    series v = {0};
    char err[256];
    ew_reader *r = ew_read_open(f->db.path, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(ew_read_series(r, site_of(f, mn).id, param, kind, 0, INT64_MAX, 100, 0, NULL,
                                    keep_obs, &v, err, sizeof err),
                     0);
    ew_read_close(r);
    return v;
}

/* The store's own check: every stored data packet has its observations, every key names a
 * stored packet. */
static int problems(fx *f)
{
    char err[256];
    int n = store_check(f->s, false, NULL, NULL, err, sizeof err);
    assert_true(n >= 0);
    return n;
}

static const char MINUTE_SEG[] =
    "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
    "CP=&&DataTime=20220513162600;a34004-Min=30,a34004-Avg=35.5,a34004-Max=41,a34004-Flag=N;"
    "a05024-Avg=63,a05024-Flag=N&&";

static void upload_is_stored_then_answered_9014(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it, MINUTE_SEG);
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_STORED);
    /* HJ 212-2017 §6.5 / Annex C: ST=91, CN=9014, the upload's QN, PW and MN, Flag=4
     * (2017, no ack), CP=&&&&; length 80 and CRC 18C0 as in docs reference §6. */
    static const char want[] = "##0080QN=20220513162608370;ST=91;CN=9014;PW=123456;"
                               "MN=JLYP01_AIR01_0001;Flag=4;CP=&&&&18C0\r\n";
    assert_int_equal(it.reply_n, sizeof want - 1);
    assert_memory_equal(it.reply, want, sizeof want - 1);
    assert_int_equal(counts(f).observations, 2);
    assert_int_equal(atomic_load(&f->metrics.observations_stored), 2); /* counted once stored */
    series v = series_of(f, "JLYP01_AIR01_0001", "a34004", EW_SERIES_RAW);
    assert_int_equal(v.n, 1);
    assert_int_equal(v.o[0].ts_utc, T_1626);
    assert_true(v.o[0].value == 35.5 && v.o[0].min == 30 && v.o[0].max == 41);
    assert_string_equal(v.period[0], "min");
    assert_string_equal(v.flag[0], "N");
    v = series_of(f, "JLYP01_AIR01_0001", "a05024", EW_SERIES_RAW);
    assert_true(v.n == 1 && v.o[0].value == 63 && isnan(v.o[0].min));
    /* the archive keeps the exact bytes and the peer, and the observations belong to it */
    archive a = packets(f);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.p[0].outcome, "stored");
    assert_string_equal(a.p[0].peer, "127.0.0.1:5000");
    assert_int_equal(a.p[0].raw_n, it.raw_n);
    assert_memory_equal(a.p[0].raw, f->frame, it.raw_n);
    assert_int_equal(problems(f), 0);
}

static void duplicate_is_answered_and_stored_once(void **state)
{
    fx *f = *state;
    ingest_item a, b;
    make_item(f, &a, MINUTE_SEG);
    run_one(f, &a);
    make_item(f, &b, MINUTE_SEG);
    run_one(f, &b);
    assert_int_equal(b.outcome, INGEST_DUPLICATE);
    assert_int_equal(b.reply_n, a.reply_n); /* the logger still needs its 9014 */
    store_counts c = counts(f);
    assert_int_equal(c.observations, 2);
    assert_int_equal(c.packets, 2);
    assert_int_equal(c.packets_duplicate, 1);
    assert_int_equal(atomic_load(&f->metrics.observations_stored), 2);
}

static void unknown_mn_is_rejected_with_qnrtn_4(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=NOBODY;Flag=5;"
              "CP=&&DataTime=20220513162600;a34004-Avg=35&&");
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_REJECTED);
    assert_string_equal(it.reason, "unknown_mn");
    /* HJ 212-2017 table 6: QnRtn 4 = MN error, sent as a 9011 request answer. */
    assert_non_null(memmem(it.reply, it.reply_n, "CN=9011", 7));
    assert_non_null(memmem(it.reply, it.reply_n, "QnRtn=4&&", 9));
    assert_int_equal(counts(f).observations, 0);
    archive a = packets(f);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.p[0].outcome, "rejected");
    assert_string_equal(a.p[0].reason, "unknown_mn");
    assert_string_equal(a.p[0].mn, "NOBODY");
}

static void wrong_password_is_rejected_with_qnrtn_3(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=999999;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220513162600;a34004-Avg=35&&");
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_REJECTED);
    assert_string_equal(it.reason, "bad_pw");
    assert_non_null(memmem(it.reply, it.reply_n, "QnRtn=3&&", 9));
    assert_int_equal(counts(f).observations, 0);
}

static void no_ack_flag_means_no_reply(void **state)
{
    fx *f = *state;
    ingest_item it;
    /* Flag=4: HJ 212-2017, A = 0 */
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=4;"
              "CP=&&DataTime=20220513162600;a34004-Avg=35&&");
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_STORED);
    assert_int_equal(it.reply_n, 0);
}

static void bad_crc_frame_is_archived_without_reply(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it, MINUTE_SEG);
    it.frame_err = HJ212_E_CRC;
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_REJECTED);
    assert_int_equal(it.reply_n, 0); /* §6.5: a bad CRC is not answered */
    archive a = packets(f);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.p[0].outcome, "rejected");
    assert_int_equal(a.p[0].raw_n, it.raw_n); /* the frame kept whole as evidence */
    assert_memory_equal(a.p[0].raw, f->frame, it.raw_n);
    assert_int_equal(counts(f).observations, 0);
}

static void future_and_missing_datatime_are_rejected(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&a34004-Avg=35&&");
    run_one(f, &it);
    assert_string_equal(it.reason, "no_datatime");
    /* now is 2022-05-14 16:26 Beijing: 2022-05-16 is more than a day ahead */
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220516000000;a34004-Avg=35&&");
    run_one(f, &it);
    assert_string_equal(it.reason, "datatime_future");
    assert_int_equal(counts(f).observations, 0);
}

static void enrol_accepts_unknown_mn_as_pending(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it,
              "QN=20220513162608370;ST=31;CN=2051;PW=777777;MN=NEWSTACK01;Flag=5;"
              "CP=&&DataTime=20220513162600;a21026-Avg=18.5&&");
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_STORED);
    /* ST=31 (table 5: atmospheric pollution source) -> a flue-gas outlet */
    site_seen w = site_of(f, "NEWSTACK01");
    assert_string_equal(w.status, "pending");
    assert_string_equal(w.kind, "gas_outlet");
    /* the enrolled password is then enforced */
    make_item(f, &it,
              "QN=20220513162708370;ST=31;CN=2051;PW=111111;MN=NEWSTACK01;Flag=5;"
              "CP=&&DataTime=20220513162700;a21026-Avg=18.5&&");
    run_one(f, &it);
    assert_string_equal(it.reason, "bad_pw");
}

static void time_calibration_request_gets_9013_then_1012(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=1013;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;CP=&&&&");
    run_one(f, &it);
    char *first = memmem(it.reply, it.reply_n, "CN=9013", 7);
    char *second = memmem(it.reply, it.reply_n, "CN=1012", 7);
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    /* SystemTime is now (2022-05-14 16:26:00 Beijing) */
    assert_non_null(memmem(it.reply, it.reply_n, "SystemTime=20220514162600", 25));
}

static void realtime_data_with_skewed_clock_gets_1012_once(void **state)
{
    fx *f = *state;
    ingest_item it;
    /* now = 2022-05-14 16:26:00 Beijing; real-time data stamped 16:24:00 (2 min: tolerated) */
    make_item(f, &it,
              "QN=20220514162400000;ST=22;CN=2011;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220514162400;a34004-Rtd=35,a34004-Flag=N&&");
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_STORED);
    assert_null(memmem(it.reply, it.reply_n, "CN=1012", 7));
    /* stamped 16:20:00: 6 minutes behind -> 9014, then 1012 SystemTime = now */
    make_item(f, &it,
              "QN=20220514162000000;ST=22;CN=2011;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220514162000;a34004-Rtd=36,a34004-Flag=N&&");
    run_one(f, &it);
    char *ack = memmem(it.reply, it.reply_n, "CN=9014", 7);
    char *set = memmem(it.reply, it.reply_n, "CN=1012", 7);
    assert_non_null(ack);
    assert_non_null(set);
    assert_true(ack < set);
    assert_non_null(memmem(it.reply, it.reply_n, "SystemTime=20220514162600", 25));
    /* the next skewed packet within the hour: no second 1012 */
    make_item(f, &it,
              "QN=20220514162100000;ST=22;CN=2011;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220514162100;a34004-Rtd=37,a34004-Flag=N&&");
    run_one(f, &it);
    assert_null(memmem(it.reply, it.reply_n, "CN=1012", 7));
    series v = series_of(f, "JLYP01_AIR01_0001", "a34004", EW_SERIES_RAW);
    assert_int_equal(v.n, 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(v.period[i], "rtd");
}

static void minute_gap_is_requested_after_the_9014(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it, MINUTE_SEG); /* 16:26 */
    run_one(f, &it);
    make_item(f, &it,
              "QN=20220513163008370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220513162700;a34004-Avg=35&&");
    run_one(f, &it); /* 16:27: the next minute, no gap */
    assert_null(memmem(it.reply, it.reply_n, "BeginTime", 9));
    make_item(f, &it,
              "QN=20220513163108370;ST=22;CN=2051;PW=123456;MN=JLYP01_AIR01_0001;Flag=5;"
              "CP=&&DataTime=20220513163100;a34004-Avg=35&&");
    run_one(f, &it); /* 16:31: 16:28, 16:29 and 16:30 are missing */
    char *ack = memmem(it.reply, it.reply_n, "CN=9014", 7);
    char *req = memmem(it.reply, it.reply_n, "ST=22;CN=2051;", 14);
    assert_non_null(ack);
    assert_non_null(req);
    assert_true(ack < req);
    /* HJ 212-2017 Annex C: minute-data request with BeginTime/EndTime (Beijing time) */
    assert_non_null(
        memmem(it.reply, it.reply_n, "CP=&&BeginTime=20220513162800;EndTime=20220513163000&&", 54));
}

/* 45 of 60 minutes valid (HJ 75-2017: >= 45 valid minute values) -> a valid hour. */
static void hour_needs_45_valid_minutes(void **state)
{
    (void)state;
    ingest_hour_acc a = {0};
    for (int i = 0; i < 45; i++)
        ingest_hour_acc_add(&a, i < 44 ? 10.0 : 100.0, "N");
    for (int i = 0; i < 15; i++)
        ingest_hour_acc_add(&a, 500.0, "D"); /* faulty minutes are not averaged */
    store_hour h = {0};
    ingest_hour_finish(&a, "gas_outlet", &h);
    assert_int_equal(h.n_min, 60);
    assert_int_equal(h.n_valid, 45);
    assert_string_equal(h.flag, "N");
    assert_true(fabs(h.value - (44 * 10.0 + 100.0) / 45) < 1e-12); /* = 12.0 */
    assert_true(h.min == 10.0 && h.max == 100.0);

    ingest_hour_acc b = {0};
    for (int i = 0; i < 44; i++)
        ingest_hour_acc_add(&b, 10.0, "N");
    ingest_hour_finish(&b, "gas_outlet", &h);
    assert_string_equal(h.flag, "D");
}

/* Wastewater: one abnormal minute makes the hour abnormal (HJ 212-2017 Annex C note). */
static void water_hour_takes_first_abnormal_flag(void **state)
{
    (void)state;
    ingest_hour_acc a = {0};
    for (int i = 0; i < 59; i++)
        ingest_hour_acc_add(&a, 30.0, "N");
    ingest_hour_acc_add(&a, 30.0, "M");
    store_hour h = {0};
    ingest_hour_finish(&a, "water_outlet", &h);
    assert_string_equal(h.flag, "M");
    ingest_hour_finish(&a, "gas_outlet", &h); /* flue gas: 59 valid >= 45 */
    assert_string_equal(h.flag, "N");
}

static void minute_uploads_produce_hourly_value(void **state)
{
    fx *f = *state;
    /* 45 minutes 16:00..16:44 Beijing of COD 20, 21, ..., 64: mean 42 */
    ingest_item items[45];
    ingest_item *ptr[45];
    char frames[45][400];
    for (int m = 0; m < 45; m++) {
        char seg[300];
        snprintf(seg, sizeof seg,
                 "QN=202205131600%02d000;ST=32;CN=2051;PW=654321;MN=WATER0001;Flag=5;"
                 "CP=&&DataTime=2022051316%02d00;w01018-Avg=%d,w01018-Flag=N&&",
                 m, m, 20 + m);
        make_item(f, &items[m], seg);
        memcpy(frames[m], f->frame, items[m].raw_n);
        items[m].raw = frames[m];
        items[m].seg = frames[m] + 6;
        ptr[m] = &items[m];
    }
    char err[256];
    assert_int_equal(ingest_batch(f->in, ptr, 45, NOW_MS, err, sizeof err), 0);
    assert_int_equal(counts(f).hours, 1);
    /* the platform's own hour, as the dashboard reads it (the device sent none) */
    series v = series_of(f, "WATER0001", "w01018", EW_SERIES_HOUR);
    assert_int_equal(v.n, 1);
    assert_int_equal(v.o[0].ts_utc, T_1600);
    assert_true(v.o[0].value == 42.0);
    assert_string_equal(v.flag[0], "N");
}

/* A failed batch says why: every failing path fills err (the writer logs it). */
static void store_failure_fills_err(void **state)
{
    fx *f = *state;
    static const char *const failing[] = {
        "SELECT 1 FROM packet_key",                  /* de-duplication */
        "SELECT max(data_time_utc) FROM packet_key", /* minute gap detection */
        "INSERT INTO observation",                   /* observation insert */
    };
    for (size_t i = 0; i < sizeof failing / sizeof failing[0]; i++) {
        ingest_item it;
        make_item(f, &it, MINUTE_SEG);
        ingest_item *p = &it;
        char err[256] = "(untouched)";
        fault in;
        fault_on(&in, f->s, failing[i]);
        assert_true(ingest_batch(f->in, &p, 1, NOW_MS, err, sizeof err) < 0);
        fault_off(&in);
        assert_true(in.hits > 0);
        assert_int_equal(it.reply_n, 0);
        assert_non_null(strstr(err, "interrupted"));
    }
    assert_int_equal(counts(f).packets, 0);
}

/* A batch fails and so does reading the registry back: the registry stays as it was before
 * the batch (an empty one would refuse every device), without the device the failed batch
 * enrolled, whose site was rolled back. */
static void failed_registry_reload_keeps_the_registry(void **state)
{
    fx *f = *state;
    ingest_item it;
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=777777;MN=NEW0001;Flag=5;"
              "CP=&&DataTime=20220513162600;a34004-Avg=35.5&&");
    ingest_item *p = &it;
    char err[256];
    fault in;
    fault_on(&in, f->s, "SELECT 1 FROM packet_key");
    fault_also(&in, "SELECT s.id, s.mn");
    assert_true(ingest_batch(f->in, &p, 1, NOW_MS, err, sizeof err) < 0);
    fault_off(&in);
    assert_true(in.hits >= 2);
    assert_int_equal(ingest_device_count(f->in), 2);
    assert_int_equal(counts(f).sites, 2);

    ingest_item known;
    make_item(f, &known, MINUTE_SEG);
    run_one(f, &known);
    assert_int_equal(known.outcome, INGEST_STORED);
    make_item(f, &it,
              "QN=20220513162608370;ST=22;CN=2051;PW=777777;MN=NEW0001;Flag=5;"
              "CP=&&DataTime=20220513162600;a34004-Avg=35.5&&");
    run_one(f, &it);
    assert_int_equal(it.outcome, INGEST_STORED);
    assert_int_equal(ingest_device_count(f->in), 3);
    assert_int_equal(counts(f).sites_pending, 1);
    assert_string_equal(site_of(f, "NEW0001").status, "pending");
}

/* What an ingest node hands to its log: the items of the batch, keyed. */
typedef struct relay_log {
    int calls;
    size_t n;
    char key[160];
    int fail; /* answer the publish with an error */
} relay_log;

static int relay_publish(void *ctx, ingest_item *const *items, size_t n, char *err, size_t errcap)
{
    relay_log *l = ctx;
    l->calls++;
    l->n = n;
    snprintf(l->key, sizeof l->key, "%s", n ? items[0]->key : "");
    if (l->fail) {
        snprintf(err, errcap, "log refused");
        return -1;
    }
    return 0;
}

/* An ingest node answers as the store would, writes nothing, and hands every item over,
 * the accepted data packet under its idempotency key. */
static void relay_answers_after_publish_and_stores_nothing(void **state)
{
    fx *f = *state;
    relay_log log = {0};
    ingest_opts o = {.relay = {relay_publish, &log}};
    char err[256];
    ingest *node = ingest_new(f->s, &o, err, sizeof err);
    assert_non_null(node);
    ingest_item it, bad;
    make_item(f, &it, MINUTE_SEG);
    ingest_item *items[2] = {&it, &bad};
    bad = it;
    bad.frame_err = HJ212_E_CRC;
    assert_int_equal(ingest_batch(node, items, 2, NOW_MS, err, sizeof err), 0);
    assert_int_equal(log.calls, 1);
    assert_int_equal(log.n, 2);
    char want[160];
    snprintf(want, sizeof want, "JLYP01_AIR01_0001/2051/%d/0", (int)T_1626);
    assert_string_equal(log.key, want);
    assert_string_equal(it.key, want);
    assert_int_equal(bad.key[0], 0);
    assert_true(it.reply_n > 0); /* the 9014 */
    assert_non_null(strstr(it.reply, "CN=9014"));
    assert_int_equal(counts(f).packets, 0);
    assert_int_equal(counts(f).observations, 0);

    /* The log did not take the batch: no device is answered. */
    log.fail = 1;
    make_item(f, &it, MINUTE_SEG);
    strcpy(err, "(untouched)");
    assert_true(ingest_batch(node, items, 1, NOW_MS, err, sizeof err) < 0);
    assert_string_equal(err, "log refused");
    assert_int_equal(it.reply_n, 0);
    ingest_free(node);

    /* Enrolment writes the store: refused for a node. */
    o.enrol = true;
    assert_null(ingest_new(f->s, &o, err, sizeof err));
    assert_non_null(strstr(err, "enrolment"));
}

/* A writer judges each item at its receipt: DataTime more than a day after the receipt is
 * not a measurement, however late the writer gets it. */
static void replay_judges_items_at_their_receipt(void **state)
{
    fx *f = *state;
    ingest_opts o = {.replay = true};
    char err[256];
    ingest *w = ingest_new(f->s, &o, err, sizeof err);
    assert_non_null(w);
    ingest_item early, late;
    make_item(f, &early, MINUTE_SEG);
    early.received_utc_ms = ((int64_t)T_1626 - 2 * 86400) * 1000; /* received 2 days before */
    ingest_item *items[1] = {&early};
    assert_int_equal(ingest_batch(w, items, 1, NOW_MS, err, sizeof err), 0);
    assert_int_equal(early.outcome, INGEST_REJECTED);
    assert_string_equal(early.reason, "datatime_future");
    make_item(f, &late, MINUTE_SEG); /* received at NOW_MS, a day after its DataTime */
    items[0] = &late;
    assert_int_equal(ingest_batch(w, items, 1, NOW_MS, err, sizeof err), 0);
    assert_int_equal(late.outcome, INGEST_STORED);
    assert_int_equal(counts(f).observations, 2);
    ingest_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(upload_is_stored_then_answered_9014, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_is_answered_and_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_mn_is_rejected_with_qnrtn_4, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_password_is_rejected_with_qnrtn_3, setup, teardown),
        cmocka_unit_test_setup_teardown(no_ack_flag_means_no_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_crc_frame_is_archived_without_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(future_and_missing_datatime_are_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(enrol_accepts_unknown_mn_as_pending, setup_enrol, teardown),
        cmocka_unit_test_setup_teardown(time_calibration_request_gets_9013_then_1012, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(minute_gap_is_requested_after_the_9014, setup, teardown),
        cmocka_unit_test_setup_teardown(realtime_data_with_skewed_clock_gets_1012_once, setup,
                                        teardown),
        cmocka_unit_test(hour_needs_45_valid_minutes),
        cmocka_unit_test(water_hour_takes_first_abnormal_flag),
        cmocka_unit_test_setup_teardown(minute_uploads_produce_hourly_value, setup, teardown),
        cmocka_unit_test_setup_teardown(store_failure_fills_err, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_registry_reload_keeps_the_registry, setup_enrol,
                                        teardown),
        cmocka_unit_test_setup_teardown(relay_answers_after_publish_and_stores_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(replay_judges_items_at_their_receipt, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
