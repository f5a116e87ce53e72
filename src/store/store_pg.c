/* store_pg: the PostgreSQL backend of store.h (libpq), for a city or a province.
 *
 * What it holds in this version: the intake part of store.h (sites and enterprises, the
 * packet archive, idempotency keys, observations, hourly values, counts, checks); the rest
 * of the layer runs on SQLite (backend.h: holds_all = false). docs/storage.md argues the
 * choices:
 *  - the archive (packet) and the observations are partitioned by Beijing-time month
 *    (native range partitions, created by the writer the first time a month is seen), so a
 *    year can be detached or dropped without touching the rest;
 *  - history is append-only: row triggers refuse UPDATE and DELETE on packet, packet_key and
 *    observation whoever asks; dropping a whole partition is the one way to retire data;
 *  - every statement is prepared once per connection; a batch is one transaction, and a
 *    device is answered only after COMMIT returned (synchronous_commit on: the WAL is
 *    flushed);
 *  - duplicates are idempotent: ON CONFLICT DO NOTHING on the natural keys, the first value
 *    kept, as in SQLite.
 *
 * Migrations are versioned in envwatch_schema and run under a transaction-scoped advisory
 * lock, so two processes opening a fresh database at once apply each migration once. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "base/bjtime.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/backend.h"
#include "store/store.h"

/* Migration i takes the schema from version i to i + 1. Never edit a released entry:
 * append a new one. */
static const char *const migrations[] = {
    /* 0 -> 1: sites, the packet archive, idempotency keys, observations, hourly values. */
    "CREATE TABLE enterprise ("
    "  id bigserial PRIMARY KEY,"
    "  name text NOT NULL UNIQUE);"
    "CREATE TABLE site ("
    "  id bigserial PRIMARY KEY,"
    "  mn text NOT NULL UNIQUE,"
    "  pw text NOT NULL,"
    "  kind text NOT NULL CHECK (kind IN ('air','ghg','gas_outlet','water_outlet','dust',"
    "    'water_section')),"
    "  name text NOT NULL,"
    "  town text,"
    "  lon double precision,"
    "  lat double precision,"
    "  enterprise_id bigint REFERENCES enterprise(id),"
    "  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','pending')),"
    "  created_utc bigint NOT NULL DEFAULT extract(epoch FROM now())::bigint);"
    /* A partitioned table cannot have an identity column in PostgreSQL 15: a sequence. The
     * primary key must hold the partition key, so (id, received_utc_ms); id alone is unique
     * by the sequence. */
    "CREATE SEQUENCE packet_id_seq AS bigint;"
    "CREATE TABLE packet ("
    "  id bigint NOT NULL DEFAULT nextval('packet_id_seq'),"
    "  received_utc_ms bigint NOT NULL,"
    "  peer text NOT NULL,"
    "  site_id bigint REFERENCES site(id),"
    "  mn text,"
    "  cn text,"
    "  qn text,"
    "  data_time_utc bigint,"
    "  outcome text NOT NULL CHECK (outcome IN ('stored','duplicate','rejected')),"
    "  reason text,"
    "  raw bytea NOT NULL,"
    "  PRIMARY KEY (id, received_utc_ms)) PARTITION BY RANGE (received_utc_ms);"
    "CREATE INDEX packet_outcome ON packet(outcome, reason);"
    /* Not partitioned: the key must be unique across all time, and it is small. */
    "CREATE TABLE packet_key ("
    "  mn text NOT NULL,"
    "  cn text NOT NULL,"
    "  data_time_utc bigint NOT NULL,"
    "  pno integer NOT NULL,"
    "  packet_id bigint NOT NULL,"
    "  PRIMARY KEY (mn, cn, data_time_utc, pno));"
    "CREATE TABLE observation ("
    "  site_id bigint NOT NULL REFERENCES site(id),"
    "  param text NOT NULL,"
    "  period text NOT NULL CHECK (period IN ('rtd','min','hour','day')),"
    "  ts_utc bigint NOT NULL,"
    "  value double precision,"
    "  min double precision,"
    "  max double precision,"
    "  cou double precision,"
    "  flag text NOT NULL,"
    "  packet_id bigint NOT NULL,"
    "  PRIMARY KEY (site_id, param, period, ts_utc)) PARTITION BY RANGE (ts_utc);"
    "CREATE TABLE hour_agg ("
    "  site_id bigint NOT NULL REFERENCES site(id),"
    "  param text NOT NULL,"
    "  hour_utc bigint NOT NULL,"
    "  value double precision,"
    "  min double precision,"
    "  max double precision,"
    "  n_min integer NOT NULL,"
    "  n_valid integer NOT NULL,"
    "  flag text NOT NULL,"
    "  PRIMARY KEY (site_id, param, hour_utc));"
    "CREATE FUNCTION envwatch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION '% is append-only', TG_ARGV[0] USING ERRCODE = 'restrict_violation';"
    " END $$;"
    "CREATE TRIGGER packet_append_only BEFORE UPDATE OR DELETE ON packet FOR EACH ROW"
    "  EXECUTE FUNCTION envwatch_append_only('packet');"
    "CREATE TRIGGER packet_key_append_only BEFORE UPDATE OR DELETE ON packet_key FOR EACH ROW"
    "  EXECUTE FUNCTION envwatch_append_only('packet_key');"
    "CREATE TRIGGER observation_append_only BEFORE UPDATE OR DELETE ON observation FOR EACH ROW"
    "  EXECUTE FUNCTION envwatch_append_only('observation');",
};
enum { N_MIGRATIONS = sizeof migrations / sizeof migrations[0] };

/* The tables partitioned by month, and the scale of their partition key to seconds. */
enum { PART_PACKET, PART_OBSERVATION, N_PART };
static const char *const part_table[N_PART] = {"packet", "observation"};
static const int64_t part_scale[N_PART] = {1000, 1};

enum {
    Q_SITE_PUT,
    Q_ENTERPRISE_PUT,
    Q_SITE_EACH,
    Q_PACKET_PUT,
    Q_PACKET_EACH,
    Q_KEY_SEEN,
    Q_KEY_CLAIM,
    Q_KEY_LAST,
    Q_OBS_PUT,
    Q_DATA_PUT,
    Q_MINUTES,
    Q_HOUR_PUT,
    Q_COUNTS,
    Q_REASONS,
    N_QUERIES
};

static const char *const sql_text[N_QUERIES] = {
    [Q_ENTERPRISE_PUT] = "INSERT INTO enterprise(name) VALUES ($1)"
                         " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
    [Q_SITE_PUT] = "INSERT INTO site(mn, pw, kind, name, town, lon, lat, enterprise_id, status)"
                   " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
                   " ON CONFLICT (mn) DO UPDATE SET pw=excluded.pw, kind=excluded.kind,"
                   " name=excluded.name, town=excluded.town, lon=excluded.lon, lat=excluded.lat,"
                   " enterprise_id=excluded.enterprise_id, status=excluded.status RETURNING id",
    [Q_SITE_EACH] = "SELECT s.id, s.mn, s.pw, s.kind, s.name, s.town, s.lon, s.lat, e.name,"
                    " s.status FROM site s LEFT JOIN enterprise e ON e.id = s.enterprise_id"
                    " ORDER BY s.id",
    [Q_PACKET_PUT] = "INSERT INTO packet(received_utc_ms, peer, site_id, mn, cn, qn,"
                     " data_time_utc, outcome, reason, raw)"
                     " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
    [Q_PACKET_EACH] = "SELECT id, received_utc_ms, peer, site_id, mn, cn, qn, data_time_utc,"
                      " outcome, reason, raw FROM packet WHERE id > $1 ORDER BY id LIMIT $2",
    [Q_KEY_SEEN] = "SELECT 1 FROM packet_key WHERE mn=$1 AND cn=$2 AND data_time_utc=$3 AND pno=$4",
    [Q_KEY_CLAIM] = "INSERT INTO packet_key(mn, cn, data_time_utc, pno, packet_id)"
                    " VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING",
    [Q_KEY_LAST] = "SELECT max(data_time_utc) FROM packet_key WHERE mn=$1 AND cn=$2"
                   " AND data_time_utc < $3",
    [Q_OBS_PUT] = "INSERT INTO observation(site_id, param, period, ts_utc, value, min, max, cou,"
                  " flag, packet_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
                  " ON CONFLICT DO NOTHING",
    /* A data packet whole, in one round trip: archive, key, values (the values take the
     * new packet's id). */
    [Q_DATA_PUT] =
        "WITH p AS (INSERT INTO packet(received_utc_ms, peer, site_id, mn, cn, qn,"
        " data_time_utc, outcome, reason, raw) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
        " RETURNING id),"
        " k AS (INSERT INTO packet_key(mn, cn, data_time_utc, pno, packet_id)"
        " SELECT $4, $5, $7, $11, id FROM p ON CONFLICT DO NOTHING),"
        " o AS (INSERT INTO observation(site_id, param, period, ts_utc, value, min, max, cou,"
        " flag, packet_id) SELECT u.*, p.id FROM p, unnest($12::bigint[], $13::text[],"
        " $14::text[], $15::bigint[], $16::float8[], $17::float8[], $18::float8[],"
        " $19::float8[], $20::text[]) AS u ON CONFLICT DO NOTHING RETURNING 1)"
        " SELECT (SELECT id FROM p), (SELECT count(*) FROM o)",
    [Q_MINUTES] = "SELECT ts_utc, value, flag FROM observation WHERE site_id=$1 AND param=$2"
                  " AND period='min' AND ts_utc >= $3 AND ts_utc < $3 + 3600 ORDER BY ts_utc",
    [Q_HOUR_PUT] = "INSERT INTO hour_agg(site_id, param, hour_utc, value, min, max, n_min,"
                   " n_valid, flag) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
                   " ON CONFLICT (site_id, param, hour_utc) DO UPDATE SET value=excluded.value,"
                   " min=excluded.min, max=excluded.max, n_min=excluded.n_min,"
                   " n_valid=excluded.n_valid, flag=excluded.flag",
    [Q_COUNTS] = "SELECT count(*), count(*) FILTER (WHERE outcome='stored'),"
                 " count(*) FILTER (WHERE outcome='duplicate'),"
                 " count(*) FILTER (WHERE outcome='rejected'),"
                 " (SELECT count(*) FROM observation), (SELECT count(*) FROM hour_agg),"
                 " (SELECT count(*) FROM site),"
                 " (SELECT count(*) FROM site WHERE status='pending') FROM packet",
    [Q_REASONS] = "SELECT coalesce(reason, ''), count(*) AS n FROM packet WHERE outcome='rejected'"
                  " GROUP BY reason ORDER BY n DESC, 1",
};

/* A set of months (table, Beijing year*12 + month - 1) whose partition exists, kept
 * sorted. */
typedef struct monthset {
    int64_t *v;
    size_t n, cap;
} monthset;

/* A growing text buffer for an array literal. */
typedef struct strbuf {
    char *p;
    size_t n, cap;
} strbuf;

typedef struct pgstore {
    store_base base; /* first (backend.h) */
    PGconn *c;
    monthset known;   /* partitions that exist (committed) */
    monthset pending; /* partitions created in the open transaction */
    strbuf col[9];    /* Q_DATA_PUT's array literals, kept between packets */
} pgstore;

static pgstore *P(store *s)
{
    return (pgstore *)(void *)s;
}

static bool month_has(const monthset *m, int64_t k)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid] == k)
            return true;
        if (m->v[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static void month_add(monthset *m, int64_t k)
{
    if (month_has(m, k))
        return;
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 16;
        m->v = xrealloc(m->v, m->cap * sizeof *m->v);
    }
    size_t i = m->n;
    while (i > 0 && m->v[i - 1] > k) {
        m->v[i] = m->v[i - 1];
        i--;
    }
    m->v[i] = k;
    m->n++;
}

bool store_pg_locator(const char *locator)
{
    return !strncasecmp(locator, "postgresql://", 13) || !strncasecmp(locator, "postgres://", 11);
}

/* The message of a failed result or of the connection, without libpq's trailing newline. */
static int fail_msg(pgstore *p, const PGresult *r, const char *what, char *err, size_t errcap)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && !strcmp(state, "53100")) /* disk_full */
        atomic_fetch_add_explicit(&p->base.full_count, 1, memory_order_relaxed);
    const char *m = r ? PQresultErrorMessage(r) : "";
    if (!m || !*m)
        m = PQerrorMessage(p->c);
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (err && errcap)
        snprintf(err, errcap, "%s: %.*s", what, (int)n, n ? m : "PostgreSQL error");
    return EW_EINTERNAL;
}

/* Run sql (no parameters); EW_OK when it returned want. */
static int exec_want(pgstore *p, const char *sql, ExecStatusType want, const char *what, char *err,
                     size_t errcap)
{
    PGresult *r = PQexec(p->c, sql);
    int rc = PQresultStatus(r) == want ? EW_OK : fail_msg(p, r, what, err, errcap);
    PQclear(r);
    return rc;
}

static int exec_cmd(pgstore *p, const char *sql, const char *what, char *err, size_t errcap)
{
    return exec_want(p, sql, PGRES_COMMAND_OK, what, err, errcap);
}

/* Parameters of one statement: text, except the archive's raw bytes (binary). */
enum { MAX_PARAMS = 20 };
typedef struct params {
    const char *v[MAX_PARAMS];
    int len[MAX_PARAMS], fmt[MAX_PARAMS];
    char buf[MAX_PARAMS][32];
    int n;
} params;

static void p_text(params *a, const char *v)
{
    a->v[a->n] = v;
    a->len[a->n] = 0;
    a->fmt[a->n] = 0;
    a->n++;
}

static void p_int(params *a, int64_t x)
{
    snprintf(a->buf[a->n], sizeof a->buf[0], "%lld", (long long)x);
    p_text(a, a->buf[a->n]);
}

/* NAN is SQL NULL (store.h: "values are NAN when absent"). */
static void p_real(params *a, double x)
{
    if (isnan(x)) {
        p_text(a, NULL);
        return;
    }
    snprintf(a->buf[a->n], sizeof a->buf[0], "%.17g", x);
    p_text(a, a->buf[a->n]);
}

static void p_blob(params *a, const void *b, size_t n)
{
    a->v[a->n] = b;
    a->len[a->n] = (int)n;
    a->fmt[a->n] = 1;
    a->n++;
}

static const char *qname(int q)
{
    static const char *const names[] = {"q0", "q1", "q2", "q3",  "q4",  "q5",  "q6",
                                        "q7", "q8", "q9", "q10", "q11", "q12", "q13"};
    _Static_assert(sizeof names / sizeof names[0] == N_QUERIES, "a name per query");
    return names[q];
}

/* Run prepared query q; the result (caller clears it) when its status is want, else NULL
 * with err. */
static PGresult *run(pgstore *p, int q, const params *a, ExecStatusType want, const char *what,
                     char *err, size_t errcap)
{
    PGresult *r = PQexecPrepared(p->c, qname(q), a ? a->n : 0, a ? a->v : NULL, a ? a->len : NULL,
                                 a ? a->fmt : NULL, 0);
    if (PQresultStatus(r) == want)
        return r;
    fail_msg(p, r, what, err, errcap);
    PQclear(r);
    return NULL;
}

static int prepare_all(pgstore *p, char *err, size_t errcap)
{
    for (int i = 0; i < N_QUERIES; i++) {
        PGresult *r = PQprepare(p->c, qname(i), sql_text[i], 0, NULL);
        int bad = PQresultStatus(r) != PGRES_COMMAND_OK;
        if (bad)
            fail_msg(p, r, sql_text[i], err, errcap);
        PQclear(r);
        if (bad)
            return EW_EINTERNAL;
    }
    return EW_OK;
}

static int pg_schema_version(store *s)
{
    PGresult *r = PQexec(P(s)->c, "SELECT version FROM envwatch_schema");
    int v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static int migrate(pgstore *p, char *err, size_t errcap)
{
    if (exec_cmd(p, "BEGIN", "migration begin", err, errcap) < 0)
        return EW_EINTERNAL;
    /* One migrator at a time across processes; the lock ends with the transaction. */
    if (exec_want(p, "SELECT pg_advisory_xact_lock(2120170001)", PGRES_TUPLES_OK, "migration lock",
                  err, errcap) < 0 ||
        exec_cmd(p,
                 "CREATE TABLE IF NOT EXISTS envwatch_schema (one boolean PRIMARY KEY DEFAULT"
                 " true CHECK (one), version integer NOT NULL);"
                 "INSERT INTO envwatch_schema VALUES (true, 0) ON CONFLICT DO NOTHING",
                 "schema table", err, errcap) < 0)
        goto fail;
    int v = pg_schema_version((store *)(void *)p);
    if (v < 0 || v > N_MIGRATIONS) {
        ew_errf(err, errcap, EW_EINTERNAL, "schema version %d is not one this build knows (max %d)",
                v, (int)N_MIGRATIONS);
        goto fail;
    }
    for (; v < N_MIGRATIONS; v++) {
        char upd[64];
        snprintf(upd, sizeof upd, "UPDATE envwatch_schema SET version = %d", v + 1);
        if (exec_cmd(p, migrations[v], "migration", err, errcap) < 0 ||
            exec_cmd(p, upd, "migration version", err, errcap) < 0)
            goto fail;
    }
    return exec_cmd(p, "COMMIT", "migration commit", err, errcap);
fail:
    PQclear(PQexec(p->c, "ROLLBACK"));
    return EW_EINTERNAL;
}

/* Notices ("relation already exists, skipping") are not errors: keep them off stderr. */
static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void pg_close(store *s)
{
    pgstore *p = P(s);
    PQfinish(p->c);
    free(p->known.v);
    free(p->pending.v);
    for (int c = 0; c < 9; c++)
        free(p->col[c].p);
    free(p);
}

store *store_pg_open(const char *uri, char *err, size_t errcap)
{
    pgstore *p = xcalloc(1, sizeof *p);
    p->base.be = &store_pg_backend;
    p->c = PQconnectdb(uri);
    if (PQstatus(p->c) != CONNECTION_OK) {
        fail_msg(p, NULL, "connect", err, errcap);
        pg_close((store *)(void *)p);
        return NULL;
    }
    PQsetNoticeProcessor(p->c, quiet_notice, NULL);
    /* Said, not assumed: a COMMIT returns once its WAL is flushed (the acknowledgement to a
     * device follows it); times are plain integers, so the session's time zone is moot. */
    if (exec_cmd(p, "SET synchronous_commit = on; SET client_min_messages = warning",
                 "session settings", err, errcap) < 0 ||
        migrate(p, err, errcap) < 0 || prepare_all(p, err, errcap) < 0) {
        pg_close((store *)(void *)p);
        return NULL;
    }
    return (store *)(void *)p;
}

static int pg_begin(store *s, char *err, size_t errcap)
{
    pgstore *p = P(s);
    /* A connection lost since the last batch (a server restart): reconnect once; the
     * prepared statements went with the old session. */
    if (PQstatus(p->c) == CONNECTION_BAD) {
        PQreset(p->c);
        if (PQstatus(p->c) != CONNECTION_OK)
            return fail_msg(p, NULL, "reconnect", err, errcap);
        if (exec_cmd(p, "SET synchronous_commit = on; SET client_min_messages = warning",
                     "session settings", err, errcap) < 0 ||
            prepare_all(p, err, errcap) < 0)
            return EW_EINTERNAL;
    }
    p->pending.n = 0;
    return exec_cmd(p, "BEGIN", "begin", err, errcap);
}

static int pg_commit(store *s, char *err, size_t errcap)
{
    pgstore *p = P(s);
    PGresult *r = PQexec(p->c, "COMMIT");
    int rc = EW_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = fail_msg(p, r, "commit", err, errcap);
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        /* COMMIT of a transaction that had failed answers ROLLBACK, not an error. */
        rc = ew_errf(err, errcap, EW_EINTERNAL,
                     "commit: the transaction had failed and was rolled back");
    PQclear(r);
    if (rc == EW_OK)
        for (size_t i = 0; i < p->pending.n; i++)
            month_add(&p->known, p->pending.v[i]);
    p->pending.n = 0;
    return rc;
}

static void pg_rollback(store *s)
{
    pgstore *p = P(s);
    if (PQtransactionStatus(p->c) != PQTRANS_IDLE)
        PQclear(PQexec(p->c, "ROLLBACK"));
    p->pending.n = 0; /* partitions created in it are gone with it */
}

/* PostgreSQL's checkpointer and autovacuum keep the storage: nothing for the caller to do. */
static int pg_upkeep_start(store *s, char *err, size_t errcap)
{
    (void)s, (void)err, (void)errcap;
    return EW_OK;
}

static int pg_upkeep_idle(store *s, char *err, size_t errcap)
{
    (void)s, (void)err, (void)errcap;
    return EW_OK;
}

static void pg_upkeep_stop(store *s)
{
    (void)s;
}

/* Make sure the partition of table that holds instant t_utc exists: the Beijing-time month
 * [first day 00:00 +08:00, next month's). Created in the caller's transaction when there
 * is one (and forgotten if it rolls back). */
static int ensure_month(pgstore *p, int table, int64_t t_utc, char *err, size_t errcap)
{
    int64_t day = ew_bj_day_of(t_utc);
    int y, m, d;
    ew_civil_from_days(day, &y, &m, &d);
    int64_t key = (int64_t)table << 32 | (int64_t)(y * 12 + m - 1);
    if (month_has(&p->known, key) || month_has(&p->pending, key))
        return EW_OK;
    int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    int64_t lo = ew_bj_day_start(ew_days_from_civil(y, m, 1)) * part_scale[table];
    int64_t hi = ew_bj_day_start(ew_days_from_civil(ny, nm, 1)) * part_scale[table];
    char sql[320];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS %s_y%04dm%02d PARTITION OF %s FOR VALUES FROM (%lld)"
             " TO (%lld)",
             part_table[table], y, m, part_table[table], (long long)lo, (long long)hi);
    if (exec_cmd(p, sql, "partition", err, errcap) < 0)
        return EW_EINTERNAL;
    month_add(PQtransactionStatus(p->c) == PQTRANS_INTRANS ? &p->pending : &p->known, key);
    return EW_OK;
}

static const char *opt(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static double real_at(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NAN : strtod(PQgetvalue(r, row, col), NULL);
}

static int pg_site_put(store *s, const store_site *site, int64_t *id_out, char *err, size_t errcap)
{
    pgstore *p = P(s);
    if (!site->mn || !*site->mn || !site->pw || !store_kind_valid(site->kind))
        return ew_errf(err, errcap, EW_EINTERNAL, "site %s: mn, pw and a known kind are required",
                       site->mn ? site->mn : "(no mn)");
    params a = {.n = 0};
    char eid[32] = "";
    if (site->enterprise && *site->enterprise) {
        p_text(&a, site->enterprise);
        PGresult *r =
            run(p, Q_ENTERPRISE_PUT, &a, PGRES_TUPLES_OK, "enterprise insert", err, errcap);
        if (!r)
            return EW_EINTERNAL;
        snprintf(eid, sizeof eid, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        a.n = 0;
    }
    p_text(&a, site->mn);
    p_text(&a, site->pw);
    p_text(&a, site->kind);
    p_text(&a, site->name ? site->name : site->mn);
    p_text(&a, site->town);
    p_real(&a, site->lon);
    p_real(&a, site->lat);
    p_text(&a, eid[0] ? eid : NULL);
    p_text(&a, site->status ? site->status : "active");
    PGresult *r = run(p, Q_SITE_PUT, &a, PGRES_TUPLES_OK, "site insert", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    if (id_out)
        *id_out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return EW_OK;
}

static int pg_site_each(store *s, store_site_fn fn, void *ctx, char *err, size_t errcap)
{
    PGresult *r = run(P(s), Q_SITE_EACH, NULL, PGRES_TUPLES_OK, "site list", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    int out = 0;
    for (int i = 0, n = PQntuples(r); i < n && out == 0; i++) {
        store_site site = {
            .id = strtoll(PQgetvalue(r, i, 0), NULL, 10),
            .mn = opt(r, i, 1),
            .pw = opt(r, i, 2),
            .kind = opt(r, i, 3),
            .name = opt(r, i, 4),
            .town = opt(r, i, 5),
            .lon = real_at(r, i, 6),
            .lat = real_at(r, i, 7),
            .enterprise = opt(r, i, 8),
            .status = opt(r, i, 9),
        };
        out = fn(ctx, &site);
    }
    PQclear(r);
    return out;
}

/* Row i of a Q_PACKET_EACH result, whose id is id, to fn: what fn returns, or EW_EINTERNAL
 * with err when the raw bytes cannot be decoded. */
static int packet_row(PGresult *r, int i, int64_t id, store_packet_fn fn, void *ctx, char *err,
                      size_t errcap)
{
    /* Text results: the bytea comes hex-escaped and is decoded here. */
    size_t raw_n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 10), &raw_n);
    if (!raw) {
        snprintf(err, errcap, "packet list: out of memory decoding a raw packet");
        return EW_EINTERNAL;
    }
    store_packet p = {
        .received_utc_ms = strtoll(PQgetvalue(r, i, 1), NULL, 10),
        .peer = opt(r, i, 2),
        .site_id = PQgetisnull(r, i, 3) ? 0 : strtoll(PQgetvalue(r, i, 3), NULL, 10),
        .mn = opt(r, i, 4),
        .cn = opt(r, i, 5),
        .qn = opt(r, i, 6),
        .data_time_utc =
            PQgetisnull(r, i, 7) ? STORE_NO_TIME : strtoll(PQgetvalue(r, i, 7), NULL, 10),
        .outcome = opt(r, i, 8),
        .reason = opt(r, i, 9),
        .raw = raw,
        .raw_n = raw_n,
    };
    int out = fn(ctx, id, &p);
    PQfreemem(raw);
    return out;
}

/* Rows of the archive fetched per round trip: a whole result is held in memory, so a walk
 * over years of packets goes page by page (by id, which the primary key orders). */
enum { PACKET_PAGE = 1000 };

static int pg_packets_each(store *s, int64_t after_id, int64_t limit, store_packet_fn fn, void *ctx,
                           char *err, size_t errcap)
{
    int64_t left = limit > 0 ? limit : INT64_MAX;
    int out = 0, n;
    do {
        int64_t page = left < PACKET_PAGE ? left : PACKET_PAGE;
        params a = {0};
        p_int(&a, after_id);
        p_int(&a, page);
        PGresult *r = run(P(s), Q_PACKET_EACH, &a, PGRES_TUPLES_OK, "packet list", err, errcap);
        if (!r)
            return EW_EINTERNAL;
        n = PQntuples(r);
        for (int i = 0; i < n && out == 0; i++) {
            after_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            out = packet_row(r, i, after_id, fn, ctx, err, errcap);
        }
        PQclear(r);
        left -= n;
    } while (out == 0 && n == PACKET_PAGE && left > 0);
    return out;
}

/* The ten parameters of an archived packet ($1..$10 of Q_PACKET_PUT and Q_DATA_PUT). */
static void p_packet(params *a, const store_packet *pk)
{
    p_int(a, pk->received_utc_ms);
    p_text(a, pk->peer ? pk->peer : "");
    if (pk->site_id > 0)
        p_int(a, pk->site_id);
    else
        p_text(a, NULL);
    p_text(a, pk->mn);
    p_text(a, pk->cn);
    p_text(a, pk->qn);
    if (pk->data_time_utc != STORE_NO_TIME)
        p_int(a, pk->data_time_utc);
    else
        p_text(a, NULL);
    p_text(a, pk->outcome);
    p_text(a, pk->reason);
    p_blob(a, pk->raw ? pk->raw : "", pk->raw ? pk->raw_n : 0);
}

static int pg_packet_put(store *s, const store_packet *pk, int64_t *id_out, char *err,
                         size_t errcap)
{
    pgstore *p = P(s);
    if (ensure_month(p, PART_PACKET, pk->received_utc_ms / 1000, err, errcap) < 0)
        return EW_EINTERNAL;
    params a = {.n = 0};
    p_packet(&a, pk);
    PGresult *r = run(p, Q_PACKET_PUT, &a, PGRES_TUPLES_OK, "packet insert", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    if (id_out)
        *id_out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return EW_OK;
}

static void p_key(params *a, const char *mn, const char *cn, int64_t t, int pno)
{
    p_text(a, mn);
    p_text(a, cn);
    p_int(a, t);
    p_int(a, pno);
}

static int pg_key_seen(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                       char *err, size_t errcap)
{
    params a = {.n = 0};
    p_key(&a, mn, cn, data_time_utc, pno);
    PGresult *r = run(P(s), Q_KEY_SEEN, &a, PGRES_TUPLES_OK, "key lookup", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    int seen = PQntuples(r) > 0;
    PQclear(r);
    return seen;
}

/* 1 when the command changed one row, 0 when none (ON CONFLICT DO NOTHING). */
static int changed_one(PGresult *r)
{
    return !strcmp(PQcmdTuples(r), "1");
}

static int pg_key_claim(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                        int64_t packet_id, char *err, size_t errcap)
{
    params a = {.n = 0};
    p_key(&a, mn, cn, data_time_utc, pno);
    p_int(&a, packet_id);
    PGresult *r = run(P(s), Q_KEY_CLAIM, &a, PGRES_COMMAND_OK, "key claim", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    int claimed = changed_one(r);
    PQclear(r);
    return claimed;
}

static int pg_key_last(store *s, const char *mn, const char *cn, int64_t before_utc, int64_t *out,
                       char *err, size_t errcap)
{
    params a = {.n = 0};
    p_text(&a, mn);
    p_text(&a, cn);
    p_int(&a, before_utc);
    PGresult *r = run(P(s), Q_KEY_LAST, &a, PGRES_TUPLES_OK, "last key", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    int found = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
    if (found)
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return found;
}

static int pg_obs_put(store *s, const store_obs *o, char *err, size_t errcap)
{
    pgstore *p = P(s);
    if (ensure_month(p, PART_OBSERVATION, o->ts_utc, err, errcap) < 0)
        return EW_EINTERNAL;
    params a = {.n = 0};
    p_int(&a, o->site_id);
    p_text(&a, o->param);
    p_text(&a, store_period_name(o->period));
    p_int(&a, o->ts_utc);
    p_real(&a, o->value);
    p_real(&a, o->min);
    p_real(&a, o->max);
    p_real(&a, o->cou);
    p_text(&a, o->flag ? o->flag : "");
    p_int(&a, o->packet_id);
    PGresult *r = run(p, Q_OBS_PUT, &a, PGRES_COMMAND_OK, "observation insert", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    int inserted = changed_one(r);
    PQclear(r);
    return inserted;
}

static void sb_add(strbuf *b, const char *t, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, t, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_sep(strbuf *b)
{
    sb_add(b, b->n == 0 ? "{" : ",", 1);
}

/* Array elements: text is double-quoted with \ and " escaped (PostgreSQL's array input
 * syntax, §8.15.6); NULL is the bare word. */
static void el_text(strbuf *b, const char *t)
{
    sb_sep(b);
    if (!t) {
        sb_add(b, "NULL", 4);
        return;
    }
    sb_add(b, "\"", 1);
    for (const char *c = t; *c; c++) {
        if (*c == '"' || *c == '\\')
            sb_add(b, "\\", 1);
        sb_add(b, c, 1);
    }
    sb_add(b, "\"", 1);
}

static void el_int(strbuf *b, int64_t x)
{
    char t[32];
    sb_sep(b);
    sb_add(b, t, (size_t)snprintf(t, sizeof t, "%lld", (long long)x));
}

static void el_real(strbuf *b, double x)
{
    if (isnan(x)) {
        sb_sep(b);
        sb_add(b, "NULL", 4);
        return;
    }
    char t[32];
    sb_sep(b);
    sb_add(b, t, (size_t)snprintf(t, sizeof t, "%.17g", x));
}

/* The partitions of the months the values fall in. */
static int ensure_obs_months(pgstore *p, const store_obs *o, size_t n, char *err, size_t errcap)
{
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || o[i].ts_utc != o[i - 1].ts_utc) &&
            ensure_month(p, PART_OBSERVATION, o[i].ts_utc, err, errcap) < 0)
            return EW_EINTERNAL;
    return EW_OK;
}

/* The values as array literals, one per column ($12..$20 of Q_DATA_PUT: the packet id is the
 * new packet's), appended to a; col's buffers are reused (a's pointers into them hold until
 * the next call). */
static void p_obs_arrays(params *a, strbuf col[9], const store_obs *o, size_t n)
{
    for (int c = 0; c < 9; c++)
        col[c].n = 0;
    for (size_t i = 0; i < n; i++) {
        el_int(&col[0], o[i].site_id);
        el_text(&col[1], o[i].param);
        el_text(&col[2], store_period_name(o[i].period));
        el_int(&col[3], o[i].ts_utc);
        el_real(&col[4], o[i].value);
        el_real(&col[5], o[i].min);
        el_real(&col[6], o[i].max);
        el_real(&col[7], o[i].cou);
        el_text(&col[8], o[i].flag ? o[i].flag : "");
    }
    for (int c = 0; c < 9; c++) {
        if (n == 0)
            sb_add(&col[c], "{", 1);
        sb_add(&col[c], "}", 1);
        p_text(a, col[c].p);
    }
}

static int pg_data_put(store *s, const store_packet *pk, int pno, const store_obs *o, size_t n,
                       int64_t *id_out, char *err, size_t errcap)
{
    pgstore *p = P(s);
    if (ensure_month(p, PART_PACKET, pk->received_utc_ms / 1000, err, errcap) < 0 ||
        ensure_obs_months(p, o, n, err, errcap) < 0)
        return EW_EINTERNAL;
    params a = {.n = 0};
    p_packet(&a, pk);
    p_int(&a, pno);
    p_obs_arrays(&a, p->col, o, n);
    PGresult *r = run(p, Q_DATA_PUT, &a, PGRES_TUPLES_OK, "data packet insert", err, errcap);
    int inserted = EW_EINTERNAL;
    if (r) {
        if (id_out)
            *id_out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        inserted = atoi(PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return inserted;
}

static int pg_minutes_each(store *s, int64_t site_id, const char *param, int64_t hour_utc,
                           store_obs_fn fn, void *ctx, char *err, size_t errcap)
{
    params a = {.n = 0};
    p_int(&a, site_id);
    p_text(&a, param);
    p_int(&a, hour_utc);
    PGresult *r = run(P(s), Q_MINUTES, &a, PGRES_TUPLES_OK, "minute query", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    for (int i = 0, n = PQntuples(r); i < n; i++)
        fn(ctx, strtoll(PQgetvalue(r, i, 0), NULL, 10), real_at(r, i, 1), PQgetvalue(r, i, 2));
    PQclear(r);
    return EW_OK;
}

static int pg_hour_put(store *s, const store_hour *h, char *err, size_t errcap)
{
    params a = {.n = 0};
    p_int(&a, h->site_id);
    p_text(&a, h->param);
    p_int(&a, h->hour_utc);
    p_real(&a, h->value);
    p_real(&a, h->min);
    p_real(&a, h->max);
    p_int(&a, h->n_min);
    p_int(&a, h->n_valid);
    p_text(&a, h->flag ? h->flag : "");
    PGresult *r = run(P(s), Q_HOUR_PUT, &a, PGRES_COMMAND_OK, "hour insert", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    PQclear(r);
    return EW_OK;
}

static int pg_counts_get(store *s, store_counts *out, char *err, size_t errcap)
{
    PGresult *r = run(P(s), Q_COUNTS, NULL, PGRES_TUPLES_OK, "counts", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    int64_t v[8];
    for (int i = 0; i < 8; i++)
        v[i] = strtoll(PQgetvalue(r, 0, i), NULL, 10);
    PQclear(r);
    *out = (store_counts){.packets = v[0],
                          .packets_stored = v[1],
                          .packets_duplicate = v[2],
                          .packets_rejected = v[3],
                          .observations = v[4],
                          .hours = v[5],
                          .sites = v[6],
                          .sites_pending = v[7]};
    return EW_OK;
}

static int pg_reasons_each(store *s, store_reason_fn fn, void *ctx, char *err, size_t errcap)
{
    PGresult *r = run(P(s), Q_REASONS, NULL, PGRES_TUPLES_OK, "reason counts", err, errcap);
    if (!r)
        return EW_EINTERNAL;
    for (int i = 0, n = PQntuples(r); i < n; i++)
        fn(ctx, PQgetvalue(r, i, 0), strtoll(PQgetvalue(r, i, 1), NULL, 10));
    PQclear(r);
    return EW_OK;
}

/* Each row of sql (one text column) is a problem of class what; at most 20 rows asked. */
static int rows_are_problems(pgstore *p, const char *what, const char *sql, store_problem_fn fn,
                             void *ctx, int *problems, char *err, size_t errcap)
{
    PGresult *r = PQexec(p->c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail_msg(p, r, what, err, errcap);
        PQclear(r);
        return EW_EINTERNAL;
    }
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        (*problems)++;
        if (fn)
            fn(ctx, what, PQgetvalue(r, i, 0));
    }
    PQclear(r);
    return EW_OK;
}

/* quick: the database answers and its schema is this build's. Full: also the append-only
 * triggers are in place, every idempotency key names a stored packet, every observation
 * names an archived packet, and every stored data packet with values has observations at its
 * site, period and time (as store_check says).
 * The page-level soundness of the files is PostgreSQL's own (data checksums, amcheck). */
static int pg_check(store *s, bool quick, store_problem_fn fn, void *ctx, char *err, size_t errcap)
{
    pgstore *p = P(s);
    int problems = 0;
    int v = pg_schema_version(s);
    if (v != N_MIGRATIONS) {
        if (v < 0)
            return fail_msg(p, NULL, "schema version", err, errcap);
        char d[96];
        snprintf(d, sizeof d, "schema version %d, this build's is %d", v, (int)N_MIGRATIONS);
        if (fn)
            fn(ctx, "integrity", d);
        return 1;
    }
    if (quick)
        return 0;
    if (rows_are_problems(p, "trigger",
                          "SELECT 'table ' || t || ' has no append-only trigger' FROM"
                          " unnest(ARRAY['packet','packet_key','observation']) AS t WHERE NOT"
                          " EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid ="
                          " g.tgrelid WHERE c.relname = t AND g.tgname = t || '_append_only'"
                          " AND g.tgenabled <> 'D')",
                          fn, ctx, &problems, err, errcap) < 0 ||
        rows_are_problems(p, "packet_key",
                          "SELECT 'key ' || k.mn || '/' || k.cn || '/' || k.data_time_utc ||"
                          " ' names packet ' || k.packet_id || ', which is ' ||"
                          " coalesce(p.outcome, 'missing') FROM packet_key k LEFT JOIN packet p"
                          " ON p.id = k.packet_id WHERE p.outcome IS DISTINCT FROM 'stored'"
                          " LIMIT 20",
                          fn, ctx, &problems, err, errcap) < 0 ||
        /* SQLite's foreign key, which a partitioned archive cannot have. */
        rows_are_problems(p, "foreign_key",
                          "SELECT 'observation of site ' || o.site_id || ' at ' || o.ts_utc ||"
                          " ' names packet ' || o.packet_id || ', which is not archived' FROM"
                          " observation o WHERE NOT EXISTS (SELECT 1 FROM packet p WHERE p.id ="
                          " o.packet_id) LIMIT 20",
                          fn, ctx, &problems, err, errcap) < 0 ||
        rows_are_problems(
            p, "packet_observations",
            "WITH want AS (SELECT p.id, p.mn, p.cn, p.site_id, CASE p.cn WHEN '2011' THEN 'rtd'"
            " WHEN '2051' THEN 'min' WHEN '2061' THEN 'hour' WHEN '2031' THEN 'day' END AS period,"
            " p.data_time_utc AS ts FROM packet p JOIN packet_key k ON k.packet_id = p.id WHERE"
            " position('-Rtd='::bytea IN p.raw) > 0 OR position('-Avg='::bytea IN p.raw) > 0),"
            " missing AS (SELECT site_id, period, ts FROM want EXCEPT SELECT site_id, period,"
            " ts_utc FROM observation)"
            " SELECT 'packet ' || w.id || ' (' || w.mn || ', CN ' || w.cn || ') was stored with"
            " values but its site has no observations at its time' FROM want w JOIN missing m"
            " ON m.site_id = w.site_id AND m.period = w.period AND m.ts = w.ts LIMIT 20",
            fn, ctx, &problems, err, errcap) < 0)
        return EW_EINTERNAL;
    return problems;
}

const store_backend store_pg_backend = {
    .name = "postgresql",
    .holds_all = false,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .upkeep_start = pg_upkeep_start,
    .upkeep_idle = pg_upkeep_idle,
    .upkeep_stop = pg_upkeep_stop,
    .site_put = pg_site_put,
    .site_each = pg_site_each,
    .packet_put = pg_packet_put,
    .packets_each = pg_packets_each,
    .key_seen = pg_key_seen,
    .key_claim = pg_key_claim,
    .key_last = pg_key_last,
    .obs_put = pg_obs_put,
    .data_put = pg_data_put,
    .minutes_each = pg_minutes_each,
    .hour_put = pg_hour_put,
    .counts_get = pg_counts_get,
    .reasons_each = pg_reasons_each,
    .check = pg_check,
};
