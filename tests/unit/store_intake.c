/* The contract of the intake part of store.h (sites, the packet archive, idempotency keys,
 * observations, hourly values, counts, checks), through the interface alone, run on every
 * backend: SQLite always, PostgreSQL when ENVWATCH_TEST_PG names a cluster
 * ("postgresql://USER@HOST:PORT", no database: each test creates and drops its own).
 * tests/run.sh starts a throwaway cluster and sets it, so `make test` runs both; run by
 * hand without it, the PostgreSQL cases are reported as skipped. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "store/store.h"
#include "testutil.h"

typedef enum { BE_SQLITE, BE_PG } backend;

typedef struct fixture {
    backend be;
    tu_tmpdb db;     /* SQLite */
    char pgname[64]; /* PostgreSQL: the test's database */
    char locator[400];
    store *s;
} fixture;

static const backend sqlite_be = BE_SQLITE, pg_be = BE_PG;

static void quiet(void *arg, const char *message)
{
    (void)arg, (void)message;
}

/* Run sql on database name of the test cluster; 0 when it succeeded. */
static int pg_exec(const char *name, const char *sql, char *msg, size_t cap)
{
    char uri[400];
    snprintf(uri, sizeof uri, "%s/%s", getenv("ENVWATCH_TEST_PG"), name);
    PGconn *c = PQconnectdb(uri);
    int rc = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PQsetNoticeProcessor(c, quiet, NULL);
        PGresult *r = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(r);
        rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
        if (msg)
            snprintf(msg, cap, "%s",
                     rc ? PQresultErrorMessage(r) : (PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : ""));
        PQclear(r);
    } else if (msg) {
        snprintf(msg, cap, "%s", PQerrorMessage(c));
    }
    PQfinish(c);
    return rc;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->be = *(const backend *)*state;
    if (f->be == BE_PG) {
        const char *base = getenv("ENVWATCH_TEST_PG");
        if (!base || !*base) {
            *state = f; /* the test skips */
            return 0;
        }
        static int seq;
        snprintf(f->pgname, sizeof f->pgname, "ew_intake_%d_%d", (int)getpid(), ++seq);
        char sql[128], msg[512];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pgname);
        if (pg_exec("postgres", sql, msg, sizeof msg) < 0) {
            fprintf(stderr, "create database: %s\n", msg);
            free(f);
            return -1;
        }
        snprintf(f->locator, sizeof f->locator, "%s/%s", base, f->pgname);
    } else {
        if (tu_tmpdb_make(&f->db, "intake")) {
            free(f);
            return -1;
        }
        snprintf(f->locator, sizeof f->locator, "%s", f->db.path);
    }
    char err[512];
    f->s = store_open(f->locator, err, sizeof err);
    if (!f->s) {
        fprintf(stderr, "store_open %s: %s\n", f->locator, err);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    int rc = 0;
    if (f->be == BE_PG && f->pgname[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", f->pgname);
        rc = pg_exec("postgres", sql, NULL, 0);
    } else if (f->be == BE_SQLITE) {
        rc = tu_tmpdb_remove(&f->db);
    }
    free(f);
    return rc;
}

/* The fixture, or skip when its backend is not available here. */
static fixture *fx(void **state)
{
    fixture *f = *state;
    if (!f->s)
        skip();
    return f;
}

static int64_t add_site(store *s, const char *mn, const char *kind, const char *enterprise)
{
    store_site site = {.mn = mn,
                       .pw = "123456",
                       .kind = kind,
                       .name = mn,
                       .town = "九龙",
                       .lon = 113.7,
                       .lat = NAN,
                       .enterprise = enterprise};
    int64_t id = 0;
    char err[512];
    assert_int_equal(store_site_put(s, &site, &id, err, sizeof err), 0);
    assert_true(id > 0);
    return id;
}

static int64_t add_packet(store *s, int64_t site_id, int64_t received_ms, const char *outcome,
                          const char *reason)
{
    static const char raw[] = "##0101QN=1;ST=22;CN=2051;PW=123456;MN=M1;CP=&&DataTime="
                              "20250101000000;a34004-Avg=35.0,a34004-Flag=N&&ABCD\r\n";
    store_packet p = {.received_utc_ms = received_ms,
                      .peer = "127.0.0.1:5000",
                      .site_id = site_id,
                      .mn = "M1",
                      .cn = "2051",
                      .qn = "1",
                      .data_time_utc = received_ms / 1000,
                      .outcome = outcome,
                      .reason = reason,
                      .raw = raw,
                      .raw_n = sizeof raw - 1};
    int64_t id = 0;
    char err[512];
    assert_int_equal(store_packet_put(s, &p, &id, err, sizeof err), 0);
    assert_true(id > 0);
    return id;
}

/* A PM2.5 minute value of site at ts from packet pid. */
static store_obs minute_obs(int64_t site, int64_t ts, double value, const char *flag, int64_t pid)
{
    return (store_obs){.site_id = site,
                       .param = "a34004",
                       .period = STORE_MIN,
                       .ts_utc = ts,
                       .value = value,
                       .min = NAN,
                       .max = NAN,
                       .cou = NAN,
                       .flag = flag,
                       .packet_id = pid};
}

static store_counts counts(store *s)
{
    store_counts c;
    char err[512];
    assert_int_equal(store_counts_get(s, &c, err, sizeof err), 0);
    return c;
}

static void reopen_keeps_version_and_data(void **state)
{
    fixture *f = fx(state);
    int v = store_schema_version(f->s);
    assert_true(v > 0);
    assert_int_equal(store_full_count(f->s), 0);
    add_site(f->s, "MN1", "air", NULL);
    store_close(f->s);
    char err[512];
    f->s = store_open(f->locator, err, sizeof err); /* migrations re-run: a no-op */
    assert_non_null(f->s);
    assert_int_equal(store_schema_version(f->s), v);
    assert_int_equal(counts(f->s).sites, 1);
    assert_true(store_exists(f->locator));
}

typedef struct site_list {
    int n;
    int64_t ids[4];
    char names[4][32], enterprise[4][32], status[4][16];
    double lon[4], lat[4];
} site_list;

static int collect_site(void *ctx, const store_site *s)
{
    site_list *l = ctx;
    if (l->n < 4) {
        l->ids[l->n] = s->id;
        snprintf(l->names[l->n], 32, "%s", s->name);
        snprintf(l->enterprise[l->n], 32, "%s", s->enterprise ? s->enterprise : "(none)");
        snprintf(l->status[l->n], 16, "%s", s->status);
        l->lon[l->n] = s->lon;
        l->lat[l->n] = s->lat;
    }
    l->n++;
    return 0;
}

static void site_put_upserts_by_mn(void **state)
{
    fixture *f = fx(state);
    int64_t a = add_site(f->s, "MNA", "gas_outlet", "某某热电有限公司");
    int64_t b = add_site(f->s, "MNB", "air", NULL);
    store_site again = {.mn = "MNA",
                        .pw = "654321",
                        .kind = "gas_outlet",
                        .name = "1号排口",
                        .lon = NAN,
                        .lat = 34.7,
                        .enterprise = "某某热电有限公司",
                        .status = "pending"};
    int64_t id = 0;
    char err[512];
    assert_int_equal(store_site_put(f->s, &again, &id, err, sizeof err), 0);
    assert_int_equal(id, a); /* same MN, same site */
    store_site bad = {.mn = "MNC", .pw = "1", .kind = "river"};
    strcpy(err, "(untouched)");
    assert_true(store_site_put(f->s, &bad, &id, err, sizeof err) < 0);
    assert_null(strstr(err, "(untouched)"));

    site_list l = {0};
    assert_int_equal(store_site_each(f->s, collect_site, &l, err, sizeof err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.ids[0], a);
    assert_int_equal(l.ids[1], b);
    assert_string_equal(l.names[0], "1号排口");
    assert_string_equal(l.enterprise[0], "某某热电有限公司");
    assert_string_equal(l.enterprise[1], "(none)");
    assert_string_equal(l.status[0], "pending");
    assert_true(isnan(l.lon[0]));
    assert_true(fabs(l.lat[0] - 34.7) < 1e-12);
    assert_true(fabs(l.lon[1] - 113.7) < 1e-12);
    store_counts c = counts(f->s);
    assert_int_equal(c.sites, 2);
    assert_int_equal(c.sites_pending, 1);
}

static int stop_at_first(void *ctx, const store_site *s)
{
    (void)s;
    (*(int *)ctx)++;
    return 7;
}

static void site_each_stops_on_nonzero(void **state)
{
    fixture *f = fx(state);
    add_site(f->s, "MN1", "air", NULL);
    add_site(f->s, "MN2", "air", NULL);
    int n = 0;
    char err[512];
    assert_int_equal(store_site_each(f->s, stop_at_first, &n, err, sizeof err), 7);
    assert_int_equal(n, 1);
}

static void key_claim_is_once_per_mn_cn_datatime_piece(void **state)
{
    fixture *f = fx(state);
    int64_t site = add_site(f->s, "M1", "air", NULL);
    int64_t pid = add_packet(f->s, site, 1735660800000, "stored", NULL);
    char err[512];
    const int64_t t = 1735660800;
    assert_int_equal(store_key_seen(f->s, "M1", "2051", t, 0, err, sizeof err), 0);
    assert_int_equal(store_key_claim(f->s, "M1", "2051", t, 0, pid, err, sizeof err), 1);
    assert_int_equal(store_key_claim(f->s, "M1", "2051", t, 0, pid, err, sizeof err), 0);
    assert_int_equal(store_key_seen(f->s, "M1", "2051", t, 0, err, sizeof err), 1);
    /* Another piece, another CN, another MN, another time: other keys. */
    assert_int_equal(store_key_seen(f->s, "M1", "2051", t, 2, err, sizeof err), 0);
    assert_int_equal(store_key_seen(f->s, "M1", "2061", t, 0, err, sizeof err), 0);
    assert_int_equal(store_key_seen(f->s, "M2", "2051", t, 0, err, sizeof err), 0);
    assert_int_equal(store_key_claim(f->s, "M1", "2051", t + 60, 0, pid, err, sizeof err), 1);
    assert_int_equal(store_key_claim(f->s, "M1", "2051", t + 180, 0, pid, err, sizeof err), 1);
    int64_t last = 0;
    assert_int_equal(store_key_last(f->s, "M1", "2051", t + 180, &last, err, sizeof err), 1);
    assert_int_equal(last, t + 60); /* strictly before */
    assert_int_equal(store_key_last(f->s, "M1", "2051", t + 181, &last, err, sizeof err), 1);
    assert_int_equal(last, t + 180);
    last = -5;
    assert_int_equal(store_key_last(f->s, "M1", "2051", t, &last, err, sizeof err), 0);
    assert_int_equal(last, -5); /* untouched when none */
    assert_int_equal(store_key_last(f->s, "M1", "2061", t + 999, &last, err, sizeof err), 0);
}

typedef struct minutes {
    int n;
    int64_t ts[8];
    double v[8];
    char flag[8][16];
} minutes;

static void collect_minute(void *ctx, int64_t ts, double value, const char *flag)
{
    minutes *m = ctx;
    if (m->n < 8) {
        m->ts[m->n] = ts;
        m->v[m->n] = value;
        snprintf(m->flag[m->n], 16, "%s", flag);
    }
    m->n++;
}

static void observation_first_value_is_kept_and_minutes_are_half_open(void **state)
{
    fixture *f = fx(state);
    int64_t site = add_site(f->s, "M1", "air", NULL);
    const int64_t h = 1735660800; /* 2025-01-01 00:00 Beijing = 2024-12-31 16:00 UTC */
    int64_t pid = add_packet(f->s, site, h * 1000, "stored", NULL);
    char err[512];
    /* Minutes at h-60 (previous hour), h+120, h, h+3540 (last of the hour), h+3600 (next). */
    const int64_t at[] = {h - 60, h + 120, h, h + 3540, h + 3600};
    for (int i = 0; i < 5; i++) {
        store_obs o = minute_obs(site, at[i], i == 2 ? NAN : 10.0 + i, i == 1 ? "D" : "N", pid);
        assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 1);
    }
    store_obs again = minute_obs(site, h + 120, 99, "N", pid);
    assert_int_equal(store_obs_put(f->s, &again, err, sizeof err), 0);
    again.period = STORE_HOUR; /* another period: another observation */
    assert_int_equal(store_obs_put(f->s, &again, err, sizeof err), 1);

    minutes m = {0};
    assert_int_equal(
        store_minutes_each(f->s, site, "a34004", h, collect_minute, &m, err, sizeof err), 0);
    assert_int_equal(m.n, 3);
    assert_int_equal(m.ts[0], h);
    assert_true(isnan(m.v[0]));
    assert_int_equal(m.ts[1], h + 120);
    assert_true(m.v[1] == 11.0); /* the first value, not 99 */
    assert_string_equal(m.flag[1], "D");
    assert_int_equal(m.ts[2], h + 3540);
    assert_true(m.v[2] == 13.0);
    assert_int_equal(counts(f->s).observations, 6);
}

/* One packet's values in one call: the same rules as one by one, whatever the text holds. */
static void data_put_keeps_first_values_in_order(void **state)
{
    fixture *f = fx(state);
    int64_t site = add_site(f->s, "M1", "air", NULL);
    const int64_t h = 1735660800;
    int64_t pid = add_packet(f->s, site, h * 1000, "stored", NULL);
    char err[512];
    store_obs one = minute_obs(site, h + 60, 1, "N", pid);
    assert_int_equal(store_obs_put(f->s, &one, err, sizeof err), 1);
    store_obs o[4];
    for (int i = 0; i < 4; i++) {
        o[i] = one;
        o[i].ts_utc = h + 60 * i;
        o[i].value = 10 + i;
        o[i].min = i == 2 ? NAN : 0.5 * i;
    }
    o[3].ts_utc = h;          /* the same key as o[0]: o[0]'s value is kept */
    o[2].flag = "a\"b\\c,{}"; /* array syntax in a value */
    o[1].value = 99;          /* o[1] is at h + 60, which exists: 1 stays */
    store_packet pk = {.received_utc_ms = h * 1000 + 1,
                       .peer = "127.0.0.1:5000",
                       .site_id = site,
                       .mn = "M1",
                       .cn = "2051",
                       .data_time_utc = h + 180,
                       .outcome = "stored",
                       .raw = "x",
                       .raw_n = 1};
    assert_int_equal(store_data_put(f->s, &pk, 0, o, 4, NULL, err, sizeof err), 2);
    pk.data_time_utc = h + 240;
    assert_int_equal(store_data_put(f->s, &pk, 0, o, 0, NULL, err, sizeof err), 0);
    minutes m = {0};
    assert_int_equal(
        store_minutes_each(f->s, site, "a34004", h, collect_minute, &m, err, sizeof err), 0);
    assert_int_equal(m.n, 3);
    assert_true(m.v[0] == 10.0);
    assert_true(m.v[1] == 1.0);
    assert_true(m.v[2] == 12.0);
    assert_string_equal(m.flag[2], "a\"b\\c,{}");
    assert_int_equal(counts(f->s).observations, 3);
}

static void hour_put_replaces_derived_value(void **state)
{
    fixture *f = fx(state);
    int64_t site = add_site(f->s, "M1", "gas_outlet", NULL);
    store_hour hv = {.site_id = site,
                     .param = "a21026",
                     .hour_utc = 1735660800,
                     .value = 12.5,
                     .min = 10,
                     .max = 15,
                     .n_min = 60,
                     .n_valid = 58,
                     .flag = "N"};
    char err[512];
    assert_int_equal(store_hour_put(f->s, &hv, err, sizeof err), 0);
    hv.value = 13.0;
    hv.n_valid = 59;
    assert_int_equal(store_hour_put(f->s, &hv, err, sizeof err), 0);
    assert_int_equal(counts(f->s).hours, 1);
    hv.hour_utc += 3600;
    assert_int_equal(store_hour_put(f->s, &hv, err, sizeof err), 0);
    assert_int_equal(counts(f->s).hours, 2);
}

typedef struct reasons {
    int n;
    char r[4][32];
    int64_t c[4];
} reasons;

static void collect_reason(void *ctx, const char *reason, int64_t n)
{
    reasons *l = ctx;
    if (l->n < 4) {
        snprintf(l->r[l->n], 32, "%s", reason);
        l->c[l->n] = n;
    }
    l->n++;
}

static void rollback_discards_and_reasons_count_most_frequent_first(void **state)
{
    fixture *f = fx(state);
    char err[512];
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    int64_t site = add_site(f->s, "M1", "air", NULL);
    add_packet(f->s, site, 1735660800000, "stored", NULL);
    store_rollback(f->s);
    store_counts c = counts(f->s);
    assert_int_equal(c.packets, 0);
    assert_int_equal(c.sites, 0);
    store_rollback(f->s); /* outside a transaction: harmless */

    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    add_packet(f->s, 0, 1735660800000, "rejected", "bad_crc");
    add_packet(f->s, 0, 1735660801000, "rejected", "unknown_mn");
    add_packet(f->s, 0, 1735660802000, "rejected", "unknown_mn");
    add_packet(f->s, 0, 1735660803000, "duplicate", "duplicate");
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    c = counts(f->s);
    assert_int_equal(c.packets, 4);
    assert_int_equal(c.packets_rejected, 3);
    assert_int_equal(c.packets_duplicate, 1);
    assert_int_equal(c.packets_stored, 0);
    reasons r = {0};
    assert_int_equal(store_reasons_each(f->s, collect_reason, &r, err, sizeof err), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.r[0], "unknown_mn");
    assert_int_equal(r.c[0], 2);
    assert_string_equal(r.r[1], "bad_crc");
    assert_int_equal(r.c[1], 1);
}

/* Writes that span months and are rolled back leave nothing behind, and the same months
 * written again afterwards work: a backend that prepares storage per month (PostgreSQL's
 * partitions) must not believe in what the rollback undid. */
static void months_written_after_a_rollback_are_stored(void **state)
{
    fixture *f = fx(state);
    char err[512];
    int64_t site = add_site(f->s, "M1", "air", NULL);
    /* 2025-01-31 15:59:59 UTC is January in Beijing; one second later is February. */
    const int64_t t[] = {1738339199, 1738339200, 1740000000, 1600000000};
    for (int round = 0; round < 2; round++) {
        assert_int_equal(store_begin(f->s, err, sizeof err), 0);
        for (int i = 0; i < 4; i++) {
            int64_t pid = add_packet(f->s, site, t[i] * 1000, "stored", NULL);
            store_obs o = minute_obs(site, t[i] - t[i] % 60, 1, "N", pid);
            assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 1);
        }
        if (round == 0)
            store_rollback(f->s);
        else
            assert_int_equal(store_commit(f->s, err, sizeof err), 0);
        assert_int_equal(counts(f->s).packets, round == 0 ? 0 : 4);
    }
    assert_int_equal(counts(f->s).observations, 4);
}

/* A statement that fails inside a transaction leaves it open (store.h); the caller's
 * rollback discards the whole batch and the handle works again. */
static void failed_write_then_rollback_loses_the_batch_only(void **state)
{
    fixture *f = fx(state);
    char err[512];
    int64_t site = add_site(f->s, "M1", "air", NULL);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    int64_t pid = add_packet(f->s, site, 1735660800000, "stored", NULL);
    store_obs o = minute_obs(site + 1000, 1735660800, 1, "N",
                             pid); /* no such site: the foreign key refuses it */
    strcpy(err, "(untouched)");
    assert_true(store_obs_put(f->s, &o, err, sizeof err) < 0);
    assert_null(strstr(err, "(untouched)"));
    assert_non_null(strstr(err, "observation insert"));
    store_rollback(f->s);
    assert_int_equal(counts(f->s).packets, 0);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    add_packet(f->s, site, 1735660800000, "stored", NULL);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    assert_int_equal(counts(f->s).packets, 1);
    assert_int_equal(counts(f->s).sites, 1);
}

typedef struct problems {
    int n;
    char what[4][32];
} problems;

static void collect_problem(void *ctx, const char *what, const char *detail)
{
    problems *p = ctx;
    (void)detail;
    if (p->n < 4)
        snprintf(p->what[p->n], 32, "%s", what);
    p->n++;
}

static void check_finds_a_key_naming_an_unstored_packet(void **state)
{
    fixture *f = fx(state);
    char err[512];
    int64_t site = add_site(f->s, "M1", "air", NULL);
    int64_t pid = add_packet(f->s, site, 1735660800000, "stored", NULL);
    assert_int_equal(store_key_claim(f->s, "M1", "2051", 1735660800, 0, pid, err, sizeof err), 1);
    store_obs o = minute_obs(site, 1735660800, 35, "N", pid);
    assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 1);
    problems p = {0};
    assert_int_equal(store_check(f->s, false, collect_problem, &p, err, sizeof err), 0);
    assert_int_equal(store_check(f->s, true, collect_problem, &p, err, sizeof err), 0);
    assert_int_equal(p.n, 0);

    int64_t dup = add_packet(f->s, site, 1735660860000, "duplicate", "duplicate");
    assert_int_equal(store_key_claim(f->s, "M1", "2051", 1735660860, 0, dup, err, sizeof err), 1);
    int n = store_check(f->s, false, collect_problem, &p, err, sizeof err);
    assert_true(n >= 1);
    assert_int_equal(p.n, n);
    int keys = 0;
    for (int i = 0; i < p.n && i < 4; i++)
        keys += !strcmp(p.what[i], "packet_key");
    assert_int_equal(keys, 1);
}

/* PostgreSQL only: history refuses UPDATE and DELETE, and rows land in the partition of
 * their Beijing-time month. */
static void pg_history_is_append_only_and_monthly(void **state)
{
    fixture *f = fx(state);
    int64_t site = add_site(f->s, "M1", "air", NULL);
    add_packet(f->s, site, 1738339199000, "stored", NULL); /* 2025-01-31 23:59:59 Beijing */
    add_packet(f->s, site, 1738339200000, "stored", NULL); /* 2025-02-01 00:00:00 Beijing */
    char msg[512];
    assert_int_equal(pg_exec(f->pgname,
                             "SELECT string_agg(tableoid::regclass::text, ',' ORDER BY id)"
                             " FROM packet",
                             msg, sizeof msg),
                     0);
    assert_string_equal(msg, "packet_y2025m01,packet_y2025m02");
    assert_int_not_equal(pg_exec(f->pgname, "UPDATE packet SET peer = 'x'", msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "append-only"));
    assert_int_not_equal(pg_exec(f->pgname, "DELETE FROM packet", msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "append-only"));
    assert_int_equal(pg_exec(f->pgname, "SELECT count(*) FROM packet", msg, sizeof msg), 0);
    assert_string_equal(msg, "2");
    /* A whole month is retired by dropping its partition, the rest untouched. */
    assert_int_equal(pg_exec(f->pgname, "DROP TABLE packet_y2025m01", msg, sizeof msg), 0);
    assert_int_equal(counts(f->s).packets, 1);
}

/* Each case twice, named after its backend. */
/* A data packet whole: archive, key and values in one call, with the rules of the three. */
static void data_put_archives_claims_and_inserts_at_once(void **state)
{
    fixture *f = fx(state);
    int64_t site = add_site(f->s, "M1", "air", NULL);
    const int64_t t = 1735660800;
    static const char raw[] = "##0101QN=1;ST=22;CN=2051;PW=123456;MN=M1;CP=&&DataTime="
                              "20250101000000;a34004-Avg=35.0,a34004-Flag=N&&ABCD\r\n";
    store_packet pk = {.received_utc_ms = t * 1000 + 5,
                       .peer = "127.0.0.1:5000",
                       .site_id = site,
                       .mn = "M1",
                       .cn = "2051",
                       .qn = "1",
                       .data_time_utc = t,
                       .outcome = "stored",
                       .raw = raw,
                       .raw_n = sizeof raw - 1};
    store_obs o[2] = {minute_obs(site, t, 35, "N", 0), minute_obs(site, t, 36, "N", 0)};
    o[1].param = "a05024";
    char err[512];
    int64_t pid = 0;
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    assert_int_equal(store_data_put(f->s, &pk, 0, o, 2, &pid, err, sizeof err), 2);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    assert_true(pid > 0);
    assert_int_equal(store_key_seen(f->s, "M1", "2051", t, 0, err, sizeof err), 1);
    assert_int_equal(store_key_seen(f->s, "M1", "2051", t, 1, err, sizeof err), 0);
    /* The values point at the new packet: the check finds every key and value in place. */
    problems p = {0};
    assert_int_equal(store_check(f->s, false, collect_problem, &p, err, sizeof err), 0);
    /* The same key and values again (a writer that got a message twice): archived, but the
     * key stays the first packet's and no value is added. */
    int64_t pid2 = 0;
    assert_int_equal(store_data_put(f->s, &pk, 0, o, 2, &pid2, err, sizeof err), 0);
    assert_true(pid2 > pid);
    assert_int_equal(store_key_claim(f->s, "M1", "2051", t, 0, pid2, err, sizeof err), 0);
    /* No values at all: the packet and its key still. */
    pk.data_time_utc = t + 60;
    assert_int_equal(store_data_put(f->s, &pk, 0, o, 0, NULL, err, sizeof err), 0);
    assert_int_equal(store_key_seen(f->s, "M1", "2051", t + 60, 0, err, sizeof err), 1);
    store_counts c = counts(f->s);
    assert_int_equal(c.packets, 3);
    assert_int_equal(c.packets_stored, 3);
    assert_int_equal(c.observations, 2);
}

/* What the archive walk saw: ids, and the last packet's fields copied out. */
typedef struct walked {
    int n, stop_at;
    int64_t id[8];
    char mn[16], reason[32], raw[256];
    size_t raw_n;
    int64_t site_id, data_time_utc, received_utc_ms;
} walked;

static int walk_packet(void *ctx, int64_t id, const store_packet *p)
{
    walked *w = ctx;
    if (w->n < 8)
        w->id[w->n] = id;
    w->n++;
    snprintf(w->mn, sizeof w->mn, "%s", p->mn ? p->mn : "(null)");
    snprintf(w->reason, sizeof w->reason, "%s", p->reason ? p->reason : "(null)");
    w->raw_n = p->raw_n < sizeof w->raw ? p->raw_n : sizeof w->raw;
    memcpy(w->raw, p->raw, w->raw_n);
    w->site_id = p->site_id;
    w->data_time_utc = p->data_time_utc;
    w->received_utc_ms = p->received_utc_ms;
    return w->n == w->stop_at ? 7 : 0;
}

/* The archive gives back every packet as it was put, bytes included (a NUL and a bad CRC
 * are evidence too), in id order, from a given id on, at most limit, and stops when asked. */
static void packets_each_returns_the_archive_as_put(void **state)
{
    fixture *f = fx(state);
    char err[512];
    int64_t site = add_site(f->s, "M1", "air", NULL);
    int64_t a = add_packet(f->s, site, 1735660800000, "stored", NULL);
    static const char odd[] = "##0020QN=1;\0MN=;CP=&&&&FFFF\r\n";
    store_packet p = {.received_utc_ms = 1735660801234,
                      .peer = "10.0.0.9:4000",
                      .data_time_utc = STORE_NO_TIME,
                      .outcome = "rejected",
                      .reason = "bad_crc",
                      .raw = odd,
                      .raw_n = sizeof odd - 1};
    int64_t b = 0;
    assert_int_equal(store_packet_put(f->s, &p, &b, err, sizeof err), 0);
    int64_t c = add_packet(f->s, site, 1735660802000, "duplicate", NULL);

    walked w = {0};
    assert_int_equal(store_packets_each(f->s, 0, 0, walk_packet, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 3);
    assert_true(w.id[0] == a && w.id[1] == b && w.id[2] == c);

    w = (walked){0};
    assert_int_equal(store_packets_each(f->s, a, 1, walk_packet, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 1);
    assert_true(w.id[0] == b);
    assert_string_equal(w.mn, "(null)");
    assert_string_equal(w.reason, "bad_crc");
    assert_int_equal(w.site_id, 0);
    assert_true(w.data_time_utc == STORE_NO_TIME);
    assert_true(w.received_utc_ms == 1735660801234);
    assert_int_equal(w.raw_n, sizeof odd - 1);
    assert_memory_equal(w.raw, odd, sizeof odd - 1);

    w = (walked){.stop_at = 2};
    assert_int_equal(store_packets_each(f->s, 0, 0, walk_packet, &w, err, sizeof err), 7);
    assert_int_equal(w.n, 2);
    w = (walked){0};
    assert_int_equal(store_packets_each(f->s, c, 0, walk_packet, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 0);
}

/* What a long walk saw: how many packets, whether the ids only rose, whether every raw was
 * a pointer. */
typedef struct long_walk {
    int64_t n, last;
    bool ascending, raw_set;
} long_walk;

static int walk_long(void *ctx, int64_t id, const store_packet *p)
{
    long_walk *w = ctx;
    w->ascending = w->ascending && id > w->last;
    w->raw_set = w->raw_set && p->raw != NULL;
    w->last = id;
    w->n++;
    return 0;
}

/* A walk longer than a backend's page (PostgreSQL fetches 1000 rows at a time) sees every
 * packet once, in order; a limit across the page boundary is kept; an empty frame's bytes
 * are "" rather than NULL. */
static void packets_each_walks_past_a_page(void **state)
{
    fixture *f = fx(state);
    char err[512];
    enum { N = 2345 };
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    for (int i = 0; i < N; i++) {
        store_packet p = {.received_utc_ms = 1735660800000 + i,
                          .peer = "p",
                          .data_time_utc = STORE_NO_TIME,
                          .outcome = "rejected",
                          .reason = "bad_crc",
                          .raw = "",
                          .raw_n = 0};
        assert_int_equal(store_packet_put(f->s, &p, NULL, err, sizeof err), 0);
    }
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    long_walk w = {.ascending = true, .raw_set = true};
    assert_int_equal(store_packets_each(f->s, 0, 0, walk_long, &w, err, sizeof err), 0);
    assert_int_equal(w.n, N);
    assert_true(w.ascending);
    assert_true(w.raw_set);
    w = (long_walk){.ascending = true, .raw_set = true};
    assert_int_equal(store_packets_each(f->s, 0, 1500, walk_long, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 1500);
}

/* PostgreSQL only: COMMIT of a transaction in which a statement failed is refused (the
 * server answers ROLLBACK): the batch is not acknowledged as if it were stored. (On SQLite
 * the transaction stays usable after a failed statement; store.h leaves that case to the
 * caller's rollback.) */
static void pg_commit_after_a_failed_statement_fails(void **state)
{
    fixture *f = fx(state);
    char err[512];
    int64_t site = add_site(f->s, "M1", "air", NULL);
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    add_packet(f->s, site, 1735660800000, "stored", NULL);
    store_obs o = minute_obs(site + 1000, 1735660800, 1, "N", 1);
    assert_true(store_obs_put(f->s, &o, err, sizeof err) < 0);
    strcpy(err, "(untouched)");
    assert_true(store_commit(f->s, err, sizeof err) < 0);
    assert_non_null(strstr(err, "rolled back"));
    store_rollback(f->s);
    assert_int_equal(counts(f->s).packets, 0);
}

#define BOTH(fn)                                                                                   \
    {#fn " [sqlite]", fn, setup, teardown, (void *)&sqlite_be},                                    \
    {                                                                                              \
#fn " [postgresql]", fn, setup, teardown, (void *)&pg_be                                   \
    }

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(reopen_keeps_version_and_data),
        BOTH(site_put_upserts_by_mn),
        BOTH(site_each_stops_on_nonzero),
        BOTH(key_claim_is_once_per_mn_cn_datatime_piece),
        BOTH(observation_first_value_is_kept_and_minutes_are_half_open),
        BOTH(data_put_keeps_first_values_in_order),
        BOTH(data_put_archives_claims_and_inserts_at_once),
        BOTH(hour_put_replaces_derived_value),
        BOTH(packets_each_returns_the_archive_as_put),
        BOTH(packets_each_walks_past_a_page),
        BOTH(rollback_discards_and_reasons_count_most_frequent_first),
        BOTH(months_written_after_a_rollback_are_stored),
        BOTH(failed_write_then_rollback_loses_the_batch_only),
        BOTH(check_finds_a_key_naming_an_unstored_packet),
        {"pg_commit_after_a_failed_statement_fails [postgresql]",
         pg_commit_after_a_failed_statement_fails, setup, teardown, (void *)&pg_be},
        {"pg_history_is_append_only_and_monthly [postgresql]",
         pg_history_is_append_only_and_monthly, setup, teardown, (void *)&pg_be},
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
