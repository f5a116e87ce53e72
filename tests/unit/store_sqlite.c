/* Tests of src/store on SQLite: migrations, durability settings, sites, the packet archive,
 * idempotency keys, observations, hourly values and counts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "store/read.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "testutil.h"

typedef tu_store_fixture fixture;

static int64_t add_site(store *s, const char *mn, const char *kind)
{
    store_site site = {.mn = mn, .pw = "123456", .kind = kind, .name = mn, .lon = NAN, .lat = NAN};
    int64_t id = 0;
    char err[256];
    assert_int_equal(store_site_put(s, &site, &id, err, sizeof err), 0);
    assert_true(id > 0);
    return id;
}

static void reopen_keeps_version_and_data(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
    add_site(f->s, "MN1", "air");
    store_close(f->s);
    char err[256];
    f->s = store_open(f->db.path, err, sizeof err);
    assert_non_null(f->s);
    assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
    store_counts c;
    assert_int_equal(store_counts_get(f->s, &c, err, sizeof err), 0);
    assert_int_equal(c.sites, 1);
}

static void durability_pragmas_are_what_docs_say(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    /* WAL is a property of the file: a second connection sees it. */
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* synchronous and secure_delete belong to a connection: read them on the store's own.
     * FULL (2) syncs the WAL at each commit, so an acknowledged packet survives a power cut;
     * Debian builds default secure_delete to ON, which rewrites every freed page. */
    static const struct {
        const char *pragma;
        int want;
    } own[] = {{"PRAGMA synchronous", 2}, {"PRAGMA secure_delete", 0}, {"PRAGMA foreign_keys", 1}};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        assert_int_equal(
            sqlite3_prepare_v2(store_sqlite_handle(f->s), own[i].pragma, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (sqlite3_column_int(st, 0) != own[i].want)
            fail_msg("%s = %d, want %d", own[i].pragma, sqlite3_column_int(st, 0), own[i].want);
        sqlite3_finalize(st);
    }
}

static void newer_schema_is_refused(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    f->s = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[256] = "";
    assert_null(store_open(f->db.path, err, sizeof err));
    assert_non_null(strstr(err, "99"));
    /* put it back so teardown's store_close has something valid */
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    f->s = store_open(f->db.path, err, sizeof err);
    assert_non_null(f->s);
}

typedef struct seen_sites {
    int n;
    char pw[16];
    char ent[32];
} seen_sites;

static int collect_site(void *ctx, const store_site *s)
{
    seen_sites *ss = ctx;
    ss->n++;
    snprintf(ss->pw, sizeof ss->pw, "%s", s->pw);
    snprintf(ss->ent, sizeof ss->ent, "%s", s->enterprise ? s->enterprise : "");
    return 0;
}

static void site_put_upserts_by_mn(void **state)
{
    fixture *f = *state;
    char err[256];
    store_site a = {.mn = "OUT1",
                    .pw = "111111",
                    .kind = "gas_outlet",
                    .name = "boiler 1",
                    .lon = 113.8,
                    .lat = 34.7,
                    .enterprise = "Acme Power"};
    int64_t id1, id2;
    assert_int_equal(store_site_put(f->s, &a, &id1, err, sizeof err), 0);
    a.pw = "222222";
    assert_int_equal(store_site_put(f->s, &a, &id2, err, sizeof err), 0);
    assert_int_equal(id1, id2);
    seen_sites ss = {0};
    assert_int_equal(store_site_each(f->s, collect_site, &ss, err, sizeof err), 0);
    assert_int_equal(ss.n, 1);
    assert_string_equal(ss.pw, "222222");
    assert_string_equal(ss.ent, "Acme Power");
    store_site bad = {.mn = "X", .pw = "1", .kind = "volcano"};
    assert_true(store_site_put(f->s, &bad, NULL, err, sizeof err) < 0);
}

static void key_claim_is_once_per_mn_cn_datatime_piece(void **state)
{
    fixture *f = *state;
    char err[256];
    store_packet p = {.received_utc_ms = 1,
                      .peer = "127.0.0.1:1",
                      .outcome = "stored",
                      .data_time_utc = STORE_NO_TIME,
                      .raw = "##",
                      .raw_n = 2};
    int64_t pid;
    assert_int_equal(store_packet_put(f->s, &p, &pid, err, sizeof err), 0);
    assert_int_equal(store_key_seen(f->s, "MN1", "2051", 1700000000, 0, NULL, 0), 0);
    assert_int_equal(store_key_claim(f->s, "MN1", "2051", 1700000000, 0, pid, err, sizeof err), 1);
    assert_int_equal(store_key_seen(f->s, "MN1", "2051", 1700000000, 0, NULL, 0), 1);
    assert_int_equal(store_key_claim(f->s, "MN1", "2051", 1700000000, 0, pid, err, sizeof err), 0);
    /* another piece, CN or time is another key */
    assert_int_equal(store_key_claim(f->s, "MN1", "2051", 1700000000, 2, pid, err, sizeof err), 1);
    assert_int_equal(store_key_claim(f->s, "MN1", "2061", 1700000000, 0, pid, err, sizeof err), 1);
    assert_int_equal(store_key_claim(f->s, "MN1", "2051", 1700000060, 0, pid, err, sizeof err), 1);
    int64_t last = 0;
    assert_int_equal(store_key_last(f->s, "MN1", "2051", 1700000120, &last, NULL, 0), 1);
    assert_int_equal(last, 1700000060);
    assert_int_equal(store_key_last(f->s, "MN1", "2051", 1700000060, &last, NULL, 0), 1);
    assert_int_equal(last, 1700000000); /* strictly before */
    assert_int_equal(store_key_last(f->s, "MN1", "2051", 1700000000, &last, NULL, 0), 0);
    assert_int_equal(store_key_last(f->s, "MN9", "2051", 1800000000, &last, NULL, 0), 0);
}

static void observation_first_value_is_kept(void **state)
{
    fixture *f = *state;
    char err[256];
    int64_t sid = add_site(f->s, "MN2", "air");
    store_packet p = {.received_utc_ms = 1,
                      .peer = "p",
                      .site_id = sid,
                      .outcome = "stored",
                      .data_time_utc = STORE_NO_TIME,
                      .raw = "x",
                      .raw_n = 1};
    int64_t pid;
    assert_int_equal(store_packet_put(f->s, &p, &pid, err, sizeof err), 0);
    store_obs o = {.site_id = sid,
                   .param = "a34004",
                   .period = STORE_MIN,
                   .ts_utc = 1700000040,
                   .value = 35.5,
                   .min = NAN,
                   .max = NAN,
                   .cou = NAN,
                   .flag = "N",
                   .packet_id = pid};
    assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 1);
    o.value = 99;
    assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 0);
    o.period = STORE_HOUR; /* same instant, other period: another observation */
    assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 1);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT value, min IS NULL FROM observation"
                                        " WHERE period='min' AND param='a34004'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_double(st, 0) == 35.5);
    assert_int_equal(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

typedef struct minutes {
    int n;
    double sum;
} minutes;

static void add_minute(void *ctx, int64_t ts, double v, const char *flag)
{
    (void)ts;
    minutes *m = ctx;
    if (!strcmp(flag, "N")) {
        m->n++;
        m->sum += v;
    }
}

static void minutes_of_hour_are_half_open(void **state)
{
    fixture *f = *state;
    char err[256];
    int64_t sid = add_site(f->s, "MN3", "water_outlet");
    store_packet p = {.received_utc_ms = 1,
                      .peer = "p",
                      .outcome = "stored",
                      .data_time_utc = STORE_NO_TIME,
                      .raw = "x",
                      .raw_n = 1};
    int64_t pid;
    assert_int_equal(store_packet_put(f->s, &p, &pid, err, sizeof err), 0);
    const int64_t h = 1700002800; /* a whole hour: 1700002800 % 3600 == 0 */
    assert_int_equal(h % 3600, 0);
    /* h-60 belongs to the previous hour, h+3600 to the next: only 3 of 5 count. */
    const int64_t ts[] = {h - 60, h, h + 60, h + 3540, h + 3600};
    for (size_t i = 0; i < 5; i++) {
        store_obs o = {.site_id = sid,
                       .param = "w01018",
                       .period = STORE_MIN,
                       .ts_utc = ts[i],
                       .value = 10.0 * (double)(i + 1),
                       .min = NAN,
                       .max = NAN,
                       .cou = NAN,
                       .flag = "N",
                       .packet_id = pid};
        assert_int_equal(store_obs_put(f->s, &o, err, sizeof err), 1);
    }
    minutes m = {0};
    assert_int_equal(store_minutes_each(f->s, sid, "w01018", h, add_minute, &m, err, sizeof err),
                     0);
    assert_int_equal(m.n, 3);
    assert_true(m.sum == 20.0 + 30.0 + 40.0);
    store_hour hr = {.site_id = sid,
                     .param = "w01018",
                     .hour_utc = h,
                     .value = 30,
                     .min = 20,
                     .max = 40,
                     .n_min = 3,
                     .n_valid = 3,
                     .flag = "D"};
    assert_int_equal(store_hour_put(f->s, &hr, err, sizeof err), 0);
    hr.flag = "N"; /* recomputation replaces */
    assert_int_equal(store_hour_put(f->s, &hr, err, sizeof err), 0);
    store_counts c;
    assert_int_equal(store_counts_get(f->s, &c, err, sizeof err), 0);
    assert_int_equal(c.hours, 1);
    assert_int_equal(c.observations, 5);
}

typedef struct reasons {
    int n;
    char first[32];
    int64_t first_n;
} reasons;

static long long wal_size(const char *db_path)
{
    char w[320];
    snprintf(w, sizeof w, "%s-wal", db_path);
    struct stat st;
    return stat(w, &st) ? -1 : (long long)st.st_size;
}

/* Upkeep: while it runs, commits leave their pages in the WAL (the background thread copies
 * them without truncating, and idle truncates only past 64 MiB); stopping it copies and
 * truncates the WAL, so a stopped server leaves no WAL behind. */
static void upkeep_truncates_the_wal_when_stopped(void **state)
{
    fixture *f = *state;
    char err[256];
    assert_int_equal(store_upkeep_start(f->s, err, sizeof err), EW_OK);
    assert_int_equal(store_upkeep_start(f->s, err, sizeof err), EW_OK); /* already running */
    for (int i = 0; i < 20; i++) {
        char mn[16];
        snprintf(mn, sizeof mn, "MN%d", i);
        add_site(f->s, mn, "air");
    }
    assert_true(wal_size(f->db.path) > 0);
    assert_int_equal(store_upkeep_idle(f->s, err, sizeof err), EW_OK);
    assert_true(wal_size(f->db.path) > 0); /* a small WAL is left alone */
    store_upkeep_stop(f->s);
    assert_int_equal(wal_size(f->db.path), 0);
    store_upkeep_stop(f->s); /* harmless twice */
    /* An in-memory store needs no upkeep. */
    store *m = store_open(":memory:", err, sizeof err);
    assert_non_null(m);
    assert_int_equal(store_upkeep_start(m, err, sizeof err), EW_OK);
    store_close(m);
}

static void add_reason(void *ctx, const char *r, int64_t n)
{
    reasons *rs = ctx;
    if (rs->n++ == 0) {
        snprintf(rs->first, sizeof rs->first, "%s", r);
        rs->first_n = n;
    }
}

static void rollback_discards_and_counts_reasons(void **state)
{
    fixture *f = *state;
    char err[256];
    store_packet p = {.received_utc_ms = 1,
                      .peer = "p",
                      .outcome = "rejected",
                      .reason = "bad_crc",
                      .data_time_utc = STORE_NO_TIME,
                      .raw = "x",
                      .raw_n = 1};
    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    assert_int_equal(store_packet_put(f->s, &p, NULL, err, sizeof err), 0);
    store_rollback(f->s);
    store_counts c;
    assert_int_equal(store_counts_get(f->s, &c, err, sizeof err), 0);
    assert_int_equal(c.packets, 0);

    assert_int_equal(store_begin(f->s, err, sizeof err), 0);
    assert_int_equal(store_packet_put(f->s, &p, NULL, err, sizeof err), 0);
    assert_int_equal(store_packet_put(f->s, &p, NULL, err, sizeof err), 0);
    p.reason = "unknown_mn";
    assert_int_equal(store_packet_put(f->s, &p, NULL, err, sizeof err), 0);
    p.outcome = "stored";
    p.reason = NULL;
    assert_int_equal(store_packet_put(f->s, &p, NULL, err, sizeof err), 0);
    assert_int_equal(store_commit(f->s, err, sizeof err), 0);
    assert_int_equal(store_counts_get(f->s, &c, err, sizeof err), 0);
    assert_int_equal(c.packets, 4);
    assert_int_equal(c.packets_rejected, 3);
    assert_int_equal(c.packets_stored, 1);
    reasons rs = {0};
    assert_int_equal(store_reasons_each(f->s, add_reason, &rs, err, sizeof err), 0);
    assert_int_equal(rs.n, 2);
    assert_string_equal(rs.first, "bad_crc");
    assert_int_equal(rs.first_n, 2);
}

/* store_open takes a locator: "sqlite:PATH", or a plain path (absolute, or relative without
 * a scheme); an unknown scheme is refused with its name. */
static void open_accepts_sqlite_scheme_and_plain_paths(void **state)
{
    fixture *f = *state;
    add_site(f->s, "MN1", "air");
    char err[256], loc[400];
    snprintf(loc, sizeof loc, "sqlite:%s", f->db.path);
    store *s = store_open(loc, err, sizeof err);
    assert_non_null(s);
    store_counts c;
    assert_int_equal(store_counts_get(s, &c, err, sizeof err), 0);
    assert_int_equal(c.sites, 1); /* the same file as the plain path */
    store_close(s);
    ew_reader *r = ew_read_open(loc, err, sizeof err);
    assert_non_null(r);
    ew_read_close(r);

    /* A relative path without a colon stays a relative path. */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->db.dir), 0);
    s = store_open("rel.db", err, sizeof err);
    assert_non_null(s);
    store_close(s);
    assert_int_equal(access("rel.db", F_OK), 0);
    s = store_open("sqlite:rel2.db", err, sizeof err);
    assert_non_null(s);
    store_close(s);
    assert_int_equal(access("rel2.db", F_OK), 0);
    /* A colon after a slash is part of a path, not a scheme. */
    s = store_open("./odd:name.db", err, sizeof err);
    assert_non_null(s);
    store_close(s);
    assert_int_equal(access("odd:name.db", F_OK), 0);

    strcpy(err, "(untouched)");
    assert_null(store_open("foo:bar.db", err, sizeof err));
    assert_non_null(strstr(err, "\"foo:\""));
    assert_int_equal(access("foo:bar.db", F_OK), -1); /* nothing was created */
    strcpy(err, "(untouched)");
    /* A PostgreSQL locator reaches the readers, which run on SQLite only: refused by name. */
    assert_null(ew_read_open("postgres://db/envwatch", err, sizeof err));
    assert_non_null(strstr(err, "postgres://db/envwatch is a PostgreSQL database"));
    strcpy(err, "(untouched)");
    assert_null(store_open("sqlite:", err, sizeof err));
    assert_null(strstr(err, "(untouched)"));
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reopen_keeps_version_and_data, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(durability_pragmas_are_what_docs_say, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(newer_schema_is_refused, tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(site_put_upserts_by_mn, tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(key_claim_is_once_per_mn_cn_datatime_piece, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(observation_first_value_is_kept, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(minutes_of_hour_are_half_open, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(rollback_discards_and_counts_reasons, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(upkeep_truncates_the_wal_when_stopped, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(open_accepts_sqlite_scheme_and_plain_paths, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
