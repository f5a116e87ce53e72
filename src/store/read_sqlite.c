/* read_sqlite: the read-only queries of store/read.h on the SQLite schema of store_sqlite.c
 * (schema version 1: site, parameter, observation, hour_agg, packet).
 *
 * Every statement is prepared once per reader (SQLITE_PREPARE_PERSISTENT) and reset after
 * use, so a request costs the query itself and no parsing. Queries are written so that each
 * lookup is a seek on observation's primary key (site_id, param, period, ts_utc): a site's
 * series is one range scan, and "the newest value" is one max() seek per parameter. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "store/read.h"
#include "store/store_internal.h"

/* Hourly values: the device's own hour data (HJ 212 CN 2061) and, for hours the device did
 * not send, the platform's hour computed from minute data (hour_agg). ?1 site, ?2 param,
 * ?3 from, ?4 to. */
#define HOURLY_SQL                                                                                 \
    "SELECT ts_utc AS ts, value, flag FROM observation WHERE site_id=?1 AND param=?2"              \
    " AND period='hour' AND ts_utc>=?3 AND ts_utc<?4"                                              \
    " UNION ALL SELECT hour_utc, value, flag FROM hour_agg h WHERE site_id=?1 AND param=?2"        \
    " AND hour_utc>=?3 AND hour_utc<?4 AND NOT EXISTS (SELECT 1 FROM observation o"                \
    " WHERE o.site_id=?1 AND o.param=?2 AND o.period='hour' AND o.ts_utc=h.hour_utc)"

enum {
    Q_SITES,
    Q_LATEST,
    Q_RAW,
    Q_RAW_COUNT,
    Q_HOUR,
    Q_HOUR_COUNT,
    Q_DAY,
    Q_DAY_COUNT,
    Q_HOURS_ALL,
    Q_PRESENT,
    Q_REJECTED,
    Q_SUMMARY,
    Q_COUNT
};

static const char *const sql_text[Q_COUNT] = {
    [Q_SITES] = "SELECT s.id, s.mn, s.kind, s.name, coalesce(s.town,''), s.lon, s.lat,"
                " coalesce(e.name,''), s.status FROM site s"
                " LEFT JOIN enterprise e ON e.id = s.enterprise_id"
                " WHERE (?1 = 0 OR s.id = ?1) AND (?2 IS NULL OR s.kind = ?2)"
                " AND (?3 IS NULL OR s.town = ?3) ORDER BY s.id",
    /* One max() seek per (parameter, period) on the primary key (CROSS JOIN keeps that
     * loop order; otherwise the planner scans all of the site's rows). */
    [Q_LATEST] =
        "WITH k(param, period) AS (SELECT code, pr.p FROM parameter,"
        " (SELECT 'rtd' AS p UNION ALL SELECT 'min' UNION ALL SELECT 'hour'"
        "  UNION ALL SELECT 'day') pr)"
        " SELECT k.param, k.period, o.ts_utc, o.value, o.flag FROM k"
        " CROSS JOIN observation o ON o.site_id=?1 AND o.param=k.param AND o.period=k.period"
        " AND o.ts_utc=(SELECT max(ts_utc) FROM observation m WHERE m.site_id=?1"
        " AND m.param=k.param AND m.period=k.period)"
        " ORDER BY k.param, k.period",
    [Q_RAW] = "SELECT ts_utc, value, flag, period, min, max FROM observation WHERE site_id=?1 AND "
              "param=?2"
              " AND period IN ('rtd','min') AND ts_utc>=?3 AND ts_utc<?4"
              " ORDER BY ts_utc, period LIMIT ?5 OFFSET ?6",
    [Q_RAW_COUNT] = "SELECT count(*) FROM observation WHERE site_id=?1 AND param=?2"
                    " AND period IN ('rtd','min') AND ts_utc>=?3 AND ts_utc<?4",
    [Q_HOUR] =
        "SELECT ts, value, flag, 'hour' FROM (" HOURLY_SQL ") ORDER BY ts LIMIT ?5 OFFSET ?6",
    [Q_HOUR_COUNT] = "SELECT count(*) FROM (" HOURLY_SQL ")",
    /* Beijing-time day: (t + 8 h) div 86400; the day's start back in UTC. The mean of the
     * hours present, with their count, for display; the assessed daily value (GB 3095
     * validity, HJ 663) is the standards engine's job. */
    [Q_DAY] = "SELECT ((ts + 28800) / 86400) * 86400 - 28800 AS d, avg(value),"
              " 'n=' || count(value), 'day' FROM (" HOURLY_SQL ")"
              " GROUP BY d ORDER BY d LIMIT ?5 OFFSET ?6",
    [Q_DAY_COUNT] = "SELECT count(DISTINCT (ts + 28800) / 86400) FROM (" HOURLY_SQL ")",
    /* ?1 kind or NULL, ?2 from, ?3 to, ?4 JSON array of parameter codes. CROSS JOIN fixes
     * the loop order (site, parameter, then a range seek on the primary key); left to
     * itself the planner scans every row of a site. */
    [Q_HOURS_ALL] =
        "WITH p(code) AS (SELECT value FROM json_each(?4)),"
        " s AS (SELECT id FROM site WHERE ?1 IS NULL OR kind=?1)"
        " SELECT s.id, p.code, o.ts_utc, o.value, o.flag FROM s CROSS JOIN p CROSS JOIN "
        "observation o"
        " ON o.site_id=s.id AND o.param=p.code AND o.period='hour' AND o.ts_utc>=?2 AND o.ts_utc<?3"
        " UNION ALL SELECT s.id, p.code, h.hour_utc, h.value, h.flag FROM s CROSS JOIN p CROSS "
        "JOIN hour_agg h"
        " ON h.site_id=s.id AND h.param=p.code AND h.hour_utc>=?2 AND h.hour_utc<?3"
        " WHERE NOT EXISTS (SELECT 1 FROM observation o WHERE o.site_id=s.id AND o.param=p.code"
        " AND o.period='hour' AND o.ts_utc=h.hour_utc)"
        " ORDER BY 1, 3, 2",
    /* Distinct hours with any hourly value of a site, one seek per parameter. */
    [Q_PRESENT] = "SELECT count(DISTINCT t) FROM (SELECT o.ts_utc AS t FROM parameter p"
                  " CROSS JOIN observation o ON o.site_id=?1 AND o.param=p.code AND o.period='hour'"
                  " AND o.ts_utc>=?2 AND o.ts_utc<?3 UNION ALL SELECT h.hour_utc FROM parameter p"
                  " CROSS JOIN hour_agg h ON h.site_id=?1 AND h.param=p.code AND h.hour_utc>=?2"
                  " AND h.hour_utc<?3)",
    [Q_REJECTED] = "SELECT site_id, count(*) FROM packet WHERE outcome='rejected'"
                   " AND site_id IS NOT NULL AND received_utc_ms>=?1 AND received_utc_ms<?2"
                   " GROUP BY site_id",
    /* Cheap on any size: a count of the small site table and the newest packet id. */
    [Q_SUMMARY] = "SELECT (SELECT count(*) FROM site), (SELECT coalesce(max(id), 0) FROM packet)",
};

struct ew_reader {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
};

sqlite3 *ew_read_sqlite_handle(ew_reader *r)
{
    return r->db;
}

static int fail(ew_reader *r, const char *what, char *err, size_t errcap)
{
    if (err)
        snprintf(err, errcap, "%s: %s", what, sqlite3_errmsg(r->db));
    return -1;
}

ew_reader *ew_read_open(const char *locator, char *err, size_t errcap)
{
    const char *path;
    if (store_locator_path(locator, &path, err, errcap) < 0)
        return NULL;
    ew_reader *r = xcalloc(1, sizeof *r);
    /* NOMUTEX: a reader is used by one thread at a time (the HTTP pool hands it out). */
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, errcap, "open %s: %s", path, r->db ? sqlite3_errmsg(r->db) : "out of memory");
        ew_read_close(r);
        return NULL;
    }
    /* The writer may hold the lock briefly while it checkpoints; wait rather than fail. */
    sqlite3_busy_timeout(r->db, 2000);
    for (int i = 0; i < Q_COUNT; i++) {
        if (sqlite3_prepare_v3(r->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &r->q[i], NULL) !=
            SQLITE_OK) {
            snprintf(err, errcap, "open %s: prepare query %d: %s (is this an envwatch database?)",
                     path, i, sqlite3_errmsg(r->db));
            ew_read_close(r);
            return NULL;
        }
    }
    return r;
}

void ew_read_close(ew_reader *r)
{
    if (!r)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(r->q[i]);
    sqlite3_close(r->db);
    free(r);
}

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Step st to the end, calling row(ctx) for each row; resets st. */
static int run(ew_reader *r, sqlite3_stmt *st, const char *what, int (*row)(void *, sqlite3_stmt *),
               void *ctx, char *err, size_t errcap)
{
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((ret = row(ctx, st)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = fail(r, what, err, errcap);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ret;
}

typedef struct {
    ew_read_site_fn fn;
    void *ctx;
} site_cb;

static int site_row(void *ctx, sqlite3_stmt *st)
{
    site_cb *c = ctx;
    ew_read_site s = {.id = sqlite3_column_int64(st, 0),
                      .mn = col_text(st, 1),
                      .kind = col_text(st, 2),
                      .name = col_text(st, 3),
                      .town = col_text(st, 4),
                      .lon = col_real(st, 5),
                      .lat = col_real(st, 6),
                      .enterprise = col_text(st, 7),
                      .status = col_text(st, 8)};
    return c->fn(c->ctx, &s);
}

int ew_read_sites(ew_reader *r, int64_t id, const char *kind, const char *town, ew_read_site_fn fn,
                  void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = r->q[Q_SITES];
    sqlite3_bind_int64(st, 1, id > 0 ? id : 0);
    bind_opt_text(st, 2, kind);
    bind_opt_text(st, 3, town);
    site_cb c = {fn, ctx};
    return run(r, st, "sites", site_row, &c, err, errcap);
}

typedef struct {
    ew_read_obs_fn fn;
    void *ctx;
    int64_t site_id;
    const char *param;
    int64_t rows;
    bool extremes; /* the query's columns 4 and 5 are min and max (Q_RAW) */
} obs_cb;

static int latest_row(void *ctx, sqlite3_stmt *st)
{
    obs_cb *c = ctx;
    ew_read_obs o = {.site_id = c->site_id,
                     .param = col_text(st, 0),
                     .period = col_text(st, 1),
                     .ts_utc = sqlite3_column_int64(st, 2),
                     .value = col_real(st, 3),
                     .flag = col_text(st, 4),
                     .min = NAN,
                     .max = NAN};
    return c->fn(c->ctx, &o);
}

int ew_read_latest(ew_reader *r, int64_t site_id, ew_read_obs_fn fn, void *ctx, char *err,
                   size_t errcap)
{
    sqlite3_stmt *st = r->q[Q_LATEST];
    sqlite3_bind_int64(st, 1, site_id);
    obs_cb c = {fn, ctx, site_id, NULL, 0, false};
    return run(r, st, "latest", latest_row, &c, err, errcap);
}

static int series_row(void *ctx, sqlite3_stmt *st)
{
    obs_cb *c = ctx;
    c->rows++;
    ew_read_obs o = {.site_id = c->site_id,
                     .param = c->param,
                     .ts_utc = sqlite3_column_int64(st, 0),
                     .value = col_real(st, 1),
                     .flag = col_text(st, 2),
                     .period = col_text(st, 3),
                     .min = c->extremes ? col_real(st, 4) : NAN,
                     .max = c->extremes ? col_real(st, 5) : NAN};
    return c->fn(c->ctx, &o);
}

static int count_row(void *ctx, sqlite3_stmt *st)
{
    *(int64_t *)ctx = sqlite3_column_int64(st, 0);
    return 0;
}

int ew_read_series(ew_reader *r, int64_t site_id, const char *param, ew_series_kind kind,
                   int64_t from_utc, int64_t to_utc, int64_t limit, int64_t offset, int64_t *total,
                   ew_read_obs_fn fn, void *ctx, char *err, size_t errcap)
{
    static const int q_rows[] = {Q_RAW, Q_HOUR, Q_DAY},
                     q_count[] = {Q_RAW_COUNT, Q_HOUR_COUNT, Q_DAY_COUNT};
    sqlite3_stmt *st = r->q[q_rows[kind]];
    sqlite3_bind_int64(st, 1, site_id);
    sqlite3_bind_text(st, 2, param, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, from_utc);
    sqlite3_bind_int64(st, 4, to_utc);
    sqlite3_bind_int64(st, 5, limit);
    sqlite3_bind_int64(st, 6, offset);
    obs_cb c = {fn, ctx, site_id, param, 0, kind == EW_SERIES_RAW};
    int ret = run(r, st, "series", series_row, &c, err, errcap);
    if (ret || !total)
        return ret;
    /* The total needs a second pass only when the page was full (or skipped rows). */
    if (c.rows < limit && (offset == 0 || c.rows > 0)) {
        *total = offset + c.rows;
        return 0;
    }
    st = r->q[q_count[kind]];
    sqlite3_bind_int64(st, 1, site_id);
    sqlite3_bind_text(st, 2, param, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, from_utc);
    sqlite3_bind_int64(st, 4, to_utc);
    return run(r, st, "series count", count_row, total, err, errcap);
}

static int hours_row(void *ctx, sqlite3_stmt *st)
{
    obs_cb *c = ctx;
    ew_read_obs o = {.site_id = sqlite3_column_int64(st, 0),
                     .param = col_text(st, 1),
                     .period = "hour",
                     .ts_utc = sqlite3_column_int64(st, 2),
                     .value = col_real(st, 3),
                     .flag = col_text(st, 4),
                     .min = NAN,
                     .max = NAN};
    return c->fn(c->ctx, &o);
}

int ew_read_hours(ew_reader *r, const char *kind, const char *const *params, size_t nparams,
                  int64_t from_utc, int64_t to_utc, ew_read_obs_fn fn, void *ctx, char *err,
                  size_t errcap)
{
    /* The parameter list travels as one JSON array bound to ?4 (json_each), so the statement
     * stays prepared whatever the number of codes. Codes are HJ 212 factor codes (letters
     * and digits); anything else is refused rather than escaped. */
    char list[512];
    size_t n = 0;
    list[n++] = '[';
    for (size_t i = 0; i < nparams; i++) {
        size_t len = strlen(params[i]);
        if (n + len + 4 >= sizeof list ||
            strspn(params[i], "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != len) {
            snprintf(err, errcap, "hours: bad parameter code '%s'", params[i]);
            return -1;
        }
        n += (size_t)snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? "," : "", params[i]);
    }
    list[n++] = ']';
    list[n] = '\0';
    sqlite3_stmt *st = r->q[Q_HOURS_ALL];
    bind_opt_text(st, 1, kind);
    sqlite3_bind_int64(st, 2, from_utc);
    sqlite3_bind_int64(st, 3, to_utc);
    sqlite3_bind_text(st, 4, list, (int)n, SQLITE_TRANSIENT);
    obs_cb c = {fn, ctx, 0, NULL, 0, false};
    return run(r, st, "hours", hours_row, &c, err, errcap);
}

typedef struct {
    int64_t *ids;
    size_t n, cap;
} id_list;

static int collect_site(void *ctx, const ew_read_site *s)
{
    id_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->ids = xrealloc(l->ids, l->cap * sizeof *l->ids);
    }
    l->ids[l->n++] = s->id;
    return 0;
}

typedef struct {
    int64_t newest;
} newest_ctx;

static int newest_obs(void *ctx, const ew_read_obs *o)
{
    newest_ctx *c = ctx;
    /* A value stands for its whole interval: the report of hour H is due at H+1h and is
     * seen no earlier, so the device was last heard of at the interval's end. */
    int64_t len = !strcmp(o->period, "hour") ? 3600 : !strcmp(o->period, "day") ? 86400 : 0;
    if (o->ts_utc + len > c->newest)
        c->newest = o->ts_utc + len;
    return 0;
}

typedef struct {
    int64_t site_id, n;
} rejected_ctx;

static int rejected_row(void *ctx, sqlite3_stmt *st)
{
    rejected_ctx *c = ctx;
    if (sqlite3_column_int64(st, 0) == c->site_id)
        c->n = sqlite3_column_int64(st, 1);
    return 0;
}

int ew_read_completeness_each(ew_reader *r, int64_t from_utc, int64_t to_utc,
                              ew_read_completeness_fn fn, void *ctx, char *err, size_t errcap)
{
    id_list sites = {0};
    int ret = ew_read_sites(r, 0, NULL, NULL, collect_site, &sites, err, errcap);
    for (size_t i = 0; ret == 0 && i < sites.n; i++) {
        ew_read_completeness c = {.site_id = sites.ids[i]};
        sqlite3_stmt *st = r->q[Q_PRESENT];
        sqlite3_bind_int64(st, 1, c.site_id);
        sqlite3_bind_int64(st, 2, from_utc);
        sqlite3_bind_int64(st, 3, to_utc);
        if ((ret = run(r, st, "completeness", count_row, &c.hours_present, err, errcap)))
            break;
        /* Last seen = the end of the newest interval the device sent data for. */
        newest_ctx nc = {0};
        if ((ret = ew_read_latest(r, c.site_id, newest_obs, &nc, err, errcap)))
            break;
        c.last_seen_utc_ms = nc.newest * 1000;
        rejected_ctx rc = {c.site_id, 0};
        st = r->q[Q_REJECTED];
        sqlite3_bind_int64(st, 1, from_utc * 1000);
        sqlite3_bind_int64(st, 2, to_utc * 1000);
        if ((ret = run(r, st, "rejected packets", rejected_row, &rc, err, errcap)))
            break;
        c.packets_rejected = rc.n;
        ret = fn(ctx, &c);
    }
    free(sites.ids);
    return ret;
}

static int summary_row(void *ctx, sqlite3_stmt *st)
{
    ew_read_summary *s = ctx;
    s->sites = sqlite3_column_int64(st, 0);
    s->packets = sqlite3_column_int64(st, 1);
    return 0;
}

int ew_read_summary_get(ew_reader *r, ew_read_summary *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    return run(r, r->q[Q_SUMMARY], "summary", summary_row, out, err, errcap);
}
