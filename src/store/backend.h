/* backend: the table of functions behind store.h, one per storage engine. Never included
 * above src/store/.
 *
 * A store handle starts with a store_base naming its backend; store.c turns each public
 * function of store.h into a call through that table, so callers never see which engine
 * they run on. The SQLite backend (store_sqlite.c) holds the whole layer; the PostgreSQL
 * backend (store_pg.c) holds the intake part of store.h (sites, the packet archive,
 * idempotency keys, observations, hourly values, counts, checks) and says so through
 * holds_all = false: the other files of this layer reach SQLite through
 * store_sqlite_handle(), which is NULL on such a handle. Every entry has the contract of the
 * store.h function of the same name. */
#ifndef EW_STORE_BACKEND_H
#define EW_STORE_BACKEND_H
#include <stdatomic.h>
#include <stdbool.h>

#include "store/store.h"

typedef struct store_backend {
    const char *name; /* "sqlite", "postgresql" */
    bool holds_all;
    void (*close)(store *s);
    int (*schema_version)(store *s);
    int (*begin)(store *s, char *err, size_t errcap);
    int (*commit)(store *s, char *err, size_t errcap);
    void (*rollback)(store *s);
    int (*upkeep_start)(store *s, char *err, size_t errcap);
    int (*upkeep_idle)(store *s, char *err, size_t errcap);
    void (*upkeep_stop)(store *s);
    int (*site_put)(store *s, const store_site *site, int64_t *id_out, char *err, size_t errcap);
    int (*site_each)(store *s, store_site_fn fn, void *ctx, char *err, size_t errcap);
    int (*packet_put)(store *s, const store_packet *p, int64_t *id_out, char *err, size_t errcap);
    int (*packets_each)(store *s, int64_t after_id, int64_t limit, store_packet_fn fn, void *ctx,
                        char *err, size_t errcap);
    int (*key_seen)(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                    char *err, size_t errcap);
    int (*key_claim)(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                     int64_t packet_id, char *err, size_t errcap);
    int (*key_last)(store *s, const char *mn, const char *cn, int64_t before_utc, int64_t *out,
                    char *err, size_t errcap);
    int (*obs_put)(store *s, const store_obs *o, char *err, size_t errcap);
    int (*data_put)(store *s, const store_packet *p, int pno, const store_obs *o, size_t n,
                    int64_t *id_out, char *err, size_t errcap);
    int (*minutes_each)(store *s, int64_t site_id, const char *param, int64_t hour_utc,
                        store_obs_fn fn, void *ctx, char *err, size_t errcap);
    int (*hour_put)(store *s, const store_hour *h, char *err, size_t errcap);
    int (*counts_get)(store *s, store_counts *out, char *err, size_t errcap);
    int (*reasons_each)(store *s, store_reason_fn fn, void *ctx, char *err, size_t errcap);
    int (*check)(store *s, bool quick, store_problem_fn fn, void *ctx, char *err, size_t errcap);
} store_backend;

/* The first member of every backend's handle. full_count: failures because the storage was
 * full (store_full_count), counted by the backend. */
typedef struct store_base {
    const store_backend *be;
    _Atomic uint64_t full_count;
} store_base;

static inline store_base *store_base_of(store *s)
{
    return (store_base *)(void *)s;
}

extern const store_backend store_sqlite_backend;
extern const store_backend store_pg_backend;

/* Open the SQLite database file path (already taken out of its locator) and migrate it. */
store *store_sqlite_open(const char *path, char *err, size_t errcap);
/* store_check on a SQLite handle (care_sqlite.c). */
int store_sqlite_check(store *s, bool quick, store_problem_fn fn, void *ctx, char *err,
                       size_t errcap);
/* True when locator names a PostgreSQL database: a libpq URI, "postgresql://…" or
 * "postgres://…" (libpq's two spellings). */
bool store_pg_locator(const char *locator);
/* Connect to the PostgreSQL database the URI names and migrate it. */
store *store_pg_open(const char *uri, char *err, size_t errcap);

#endif
