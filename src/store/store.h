/* store: the storage interface of envwatch; everything above this layer reads and writes
 * through these functions and never writes SQL. SQLite (store_sqlite.c) is the embedded
 * default; the interface is kept to plain values and callbacks so that a PostgreSQL
 * backend can implement the same functions without touching callers.
 *
 * Threading: one store handle belongs to one thread at a time (the ingest writer owns the
 * write handle). Readers open their own handles.
 *
 * Time: every instant is int64 UTC seconds (*_utc) or milliseconds (*_utc_ms). HJ 212
 * labels are Beijing time and are converted at the codec/ingest edge, never stored as text.
 *
 * Errors: functions return 0 (or a documented non-negative value) on success and a negative
 * value on failure with a message naming the operation in err (when err is not NULL). A
 * failed write inside a transaction leaves the transaction open; the caller rolls back. */
#ifndef EW_STORE_STORE_H
#define EW_STORE_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct store store;

/* The schema version this build creates and expects (see docs/storage.md). */
#define STORE_SCHEMA_VERSION 16

/* Observation periods; the text form ("rtd", "min", "hour", "day") is what the schema
 * stores. HJ 212-2017 §6.6: 2011 real-time, 2051 minute, 2061 hour, 2031 day data. */
typedef enum { STORE_RTD, STORE_MIN, STORE_HOUR, STORE_DAY } store_period;
const char *store_period_name(store_period p);

/* Site kinds, stored as text: air, ghg, gas_outlet, water_outlet, dust, water_section. */
bool store_kind_valid(const char *kind);

/* A monitoring site with its device. Strings are borrowed for the duration of the call
 * (put) or valid until the callback returns (each). lon/lat are NAN when unknown;
 * enterprise is NULL for sites that belong to no enterprise (air stations). status is
 * "active" (accepted) or "pending" (enrolled automatically, awaiting review). */
typedef struct store_site {
    int64_t id;
    const char *mn;
    const char *pw;
    const char *kind;
    const char *name;
    const char *town;
    double lon, lat;
    const char *enterprise;
    const char *status;
} store_site;

/* One archived frame. raw is the exact bytes received (## … CR LF). site_id 0 = no known
 * site; mn/cn/qn NULL when the frame did not parse that far; data_time_utc
 * STORE_NO_TIME when absent. outcome is "stored", "duplicate" or "rejected"; reason is a
 * short machine-readable code for anything but "stored" (e.g. "bad_crc", "unknown_mn"). */
#define STORE_NO_TIME INT64_MIN
typedef struct store_packet {
    int64_t received_utc_ms;
    const char *peer;
    int64_t site_id;
    const char *mn, *cn, *qn;
    int64_t data_time_utc;
    const char *outcome;
    const char *reason;
    const void *raw;
    size_t raw_n;
} store_packet;

/* One observation. Values are NAN when the packet did not carry them. flag is the data
 * flag as sent (HJ 212-2017 table 8: N F M S D C T B; 2005 letters or digits kept as is),
 * "" when absent. */
typedef struct store_obs {
    int64_t site_id;
    const char *param; /* HJ 212 factor code, e.g. "a34004" */
    store_period period;
    int64_t ts_utc; /* period start (HJ 212-2017 §6.6.3: DataTime is the period start) */
    double value, min, max, cou;
    const char *flag;
    int64_t packet_id;
} store_obs;

/* A platform-computed hourly value (from minute data). */
typedef struct store_hour {
    int64_t site_id;
    const char *param;
    int64_t hour_utc;
    double value, min, max;
    int n_min, n_valid;
    const char *flag;
} store_hour;

/* Open (creating if needed) the database at path and apply pending migrations; safe to
 * call on an up-to-date database. path is "sqlite:FILE" or a plain file path (absolute, or
 * relative with no "scheme:" in front; ":memory:" is SQLite's in-memory database) for the
 * embedded SQLite backend, or a libpq URI "postgresql://[user[:password]@][host][:port]/dbname
 * [?param=value…]" (also "postgres://") for PostgreSQL (docs/storage.md); another scheme is
 * refused with an error naming it. Returns NULL with a message in err on
 * failure. The handle is released with store_close. */
store *store_open(const char *path, char *err, size_t errcap);
void store_close(store *s);
/* Whether the database a locator names exists, so that a command that only reads can say
 * "no such database" instead of creating one: a SQLite file exists; a PostgreSQL database is
 * taken to exist (whether it does is known on connecting, and store_open says so). */
bool store_exists(const char *locator);
/* The engine behind s, "sqlite" or "postgresql": for logs and messages only; no caller
 * decides anything on it. */
const char *store_backend_name(store *s);
/* Whether the backend behind s holds the whole layer. The SQLite backend does. The
 * PostgreSQL backend holds the functions of this file (the intake: sites, the packet
 * archive, idempotency keys, observations, hourly values, counts and checks) and, in this
 * version, not yet the other files of the layer (office.h, read.h, the media stores): a
 * command that needs them checks this first and refuses with a clear message, rather than
 * failing on its first query. */
bool store_holds_all(store *s);
/* The schema version recorded in the database. */
int store_schema_version(store *s);
/* How many operations on this handle have failed because the storage was full (SQLite:
 * SQLITE_FULL), since it was opened. Thread-safe. A caller that sees the count grow across
 * a failed operation knows the failure was a full disk, which it may report as such
 * (HTTP 507) rather than as a broken store. */
uint64_t store_full_count(store *s);

int store_begin(store *s, char *err, size_t errcap);
int store_commit(store *s, char *err, size_t errcap);
void store_rollback(store *s);

/* Upkeep under a steady write load (the HJ 212 writer), the backend's own business: the
 * caller only says when it starts, when it is between batches and when it stops.
 *
 * store_upkeep_start: start what keeps commits short and the storage bounded. SQLite: a
 * thread on a connection of its own copies the WAL into the database file once a second
 * (a passive checkpoint never blocks the writer or readers), and the checkpoint SQLite
 * would otherwise run inside a COMMIT is turned off. EW_OK (also for an in-memory
 * database, which needs nothing), or EW_EINTERNAL with err: the store then keeps its
 * default upkeep and works as before.
 * store_upkeep_idle: call between batches, after their replies went out; the backend may do
 * work there that makes the caller wait. SQLite: once the WAL passed 64 MiB it is copied
 * and truncated (under a steady load it never restarts by itself; most pages are already
 * copied, so the wait is short). EW_OK, or EW_EINTERNAL with err (nothing is lost; the next
 * call tries again).
 * store_upkeep_stop: stop the background work, do a final full upkeep (SQLite: checkpoint
 * and truncate the WAL) and return to the default. store_close calls it too; calling it
 * without a start is harmless.
 * All three are for the thread that owns s. */
int store_upkeep_start(store *s, char *err, size_t errcap) EW_MUST_CHECK;
int store_upkeep_idle(store *s, char *err, size_t errcap) EW_MUST_CHECK;
void store_upkeep_stop(store *s);

/* Insert or update (by MN) a site; its enterprise is created by name when new. id_out
 * (may be NULL) receives the site id. */
int store_site_put(store *s, const store_site *site, int64_t *id_out, char *err, size_t errcap);
/* Call fn for every site, in id order; a non-zero return from fn stops and is returned. */
typedef int (*store_site_fn)(void *ctx, const store_site *site);
int store_site_each(store *s, store_site_fn fn, void *ctx, char *err, size_t errcap);

/* Append a frame to the archive; id_out receives its id. */
int store_packet_put(store *s, const store_packet *p, int64_t *id_out, char *err, size_t errcap);
/* Idempotency key of an accepted data packet (HJ 212: MN, CN, DataTime, and the piece
 * number of a split packet, 0 if unsplit). Returns 1 when the key is already claimed, 0 when
 * not, negative on error. */
int store_key_seen(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                   char *err, size_t errcap);
/* Claim the key for packet_id. Returns 1 claimed, 0 already claimed, negative on error. */
int store_key_claim(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                    int64_t packet_id, char *err, size_t errcap);

/* The latest DataTime before before_utc claimed for (mn, cn): 1 and *out set, 0 if none,
 * negative on error. */
int store_key_last(store *s, const char *mn, const char *cn, int64_t before_utc, int64_t *out,
                   char *err, size_t errcap);

/* Insert an observation. Returns 1 inserted, 0 when (site, param, period, ts) exists
 * (the first value is kept: evidence is never overwritten), negative on error. */
int store_obs_put(store *s, const store_obs *o, char *err, size_t errcap);

/* A data packet stored whole: archive p (its outcome must be "stored"), claim its
 * idempotency key (p->mn, p->cn, p->data_time_utc, pno) for it and insert its n observations
 * (their packet_id is ignored: they get the new packet's id), with the rules of
 * store_packet_put, store_key_claim and store_obs_put one after the other — the first value
 * of (site, param, period, ts) is kept, also among o — in one call (one statement on a
 * backend over a network). *id_out (may be NULL) receives the packet id.
 * Returns the number of observations inserted (0..n), or negative on error (the caller rolls
 * back). */
int store_data_put(store *s, const store_packet *p, int pno, const store_obs *o, size_t n,
                   int64_t *id_out, char *err, size_t errcap);

/* Call fn for each minute observation of (site, param) in [hour_utc, hour_utc + 3600). */
typedef void (*store_obs_fn)(void *ctx, int64_t ts_utc, double value, const char *flag);
int store_minutes_each(store *s, int64_t site_id, const char *param, int64_t hour_utc,
                       store_obs_fn fn, void *ctx, char *err, size_t errcap);
/* Insert or replace a platform-computed hourly value (derived data: recomputable). */
int store_hour_put(store *s, const store_hour *h, char *err, size_t errcap);

/* The packet archive in id order (the order of receipt), for evidence and export: fn is
 * called for each packet with id > after_id, at most limit of them (limit <= 0: all). The
 * packet's strings and raw bytes are borrowed and valid until fn returns; raw is never NULL
 * (an empty frame is ""); absent fields are NULL, site_id 0 and data_time_utc
 * STORE_NO_TIME. Memory stays bounded however long the archive: a backend over a network
 * fetches it in pages. A non-zero return from fn stops the walk
 * and is returned; a store error returns negative with err (fn may have been called for
 * some packets before). */
typedef int (*store_packet_fn)(void *ctx, int64_t id, const store_packet *p);
int store_packets_each(store *s, int64_t after_id, int64_t limit, store_packet_fn fn, void *ctx,
                       char *err, size_t errcap) EW_MUST_CHECK;

/* Counts for `envwatch stats`. */
typedef struct store_counts {
    int64_t packets, packets_stored, packets_duplicate, packets_rejected;
    int64_t observations, hours, sites, sites_pending;
} store_counts;
int store_counts_get(store *s, store_counts *out, char *err, size_t errcap);
/* Call fn for each rejection reason with its count, most frequent first. */
typedef void (*store_reason_fn)(void *ctx, const char *reason, int64_t n);
int store_reasons_each(store *s, store_reason_fn fn, void *ctx, char *err, size_t errcap);

/* ---- soundness, backup and restore (store/care_sqlite.c) ---- */

/* One problem store_check found: what is a short class ("integrity", "foreign_key",
 * "trigger", "case_events", "packet_observations", "packet_key", "attachment"), detail a
 * sentence naming the rows. Both strings live until fn returns. */
typedef void (*store_problem_fn)(void *ctx, const char *what, const char *detail);

/* Check the database behind s. quick: SQLite's quick_check only (page and record structure,
 * O(size); what serve runs at start). Otherwise also the full integrity_check (indexes match
 * their tables), foreign keys, and the application's invariants: the append-only triggers
 * are all in place, every case's event log runs 1..n without a gap and ends in the case's
 * state, every stored data packet has its observations, every idempotency key names a
 * stored packet, every attachment's bytes match its SHA-256. fn (may be NULL) is called per
 * problem, at most 20 per class. Returns the number of problems found (0: sound), or
 * EW_EINTERNAL with err when the check itself could not run (the database cannot be read:
 * itself a sign of damage). */
int store_check(store *s, bool quick, store_problem_fn fn, void *ctx, char *err,
                size_t errcap) EW_MUST_CHECK;
/* The same on the database a locator names, opened read-only and not migrated (a backup
 * stays as it is). EW_ENOTFOUND when there is no such file. */
int store_check_at(const char *locator, bool quick, store_problem_fn fn, void *ctx, char *err,
                   size_t errcap) EW_MUST_CHECK;

typedef struct store_copy_stats {
    int64_t pages, bytes; /* copied */
    int64_t last_packet;  /* the highest packet id in the copy: the backup's point */
    double seconds;
} store_copy_stats;

/* Online backup of the database the locator names into the new file to (which must not
 * exist: EW_ECONFLICT). The copy is one consistent snapshot taken while writers go on (a
 * read transaction on the WAL: writers are not blocked); it is written to to.part, synced,
 * then renamed, so to either does not exist or is complete. st (may be NULL) receives what
 * was copied. EW_OK, or a negative code with err (nothing is left at to). */
int store_backup(const char *locator, const char *to, store_copy_stats *st, char *err,
                 size_t errcap) EW_MUST_CHECK;

/* Restore the backup file from into the database the locator names. The backup is checked
 * first (store_check, full): one with problems is refused (EW_EINVALID, err names the
 * first). An existing database is replaced only with replace set (else EW_ECONFLICT); the
 * copy goes through SQLite's backup into the destination's own connection, so its WAL stays
 * consistent, but a server still running on it would see its data change under it: stop it
 * first. Then the result is opened once (migrating a backup of an older schema). EW_OK, or
 * a negative code with err (EW_ENOTFOUND: from does not exist). */
int store_restore(const char *from, const char *locator, bool replace, store_copy_stats *st,
                  char *err, size_t errcap) EW_MUST_CHECK;

#endif
