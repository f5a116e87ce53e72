/* store: the front of store.h. Chooses the backend from the locator and forwards every call
 * through the handle's backend table (backend.h); holds what does not depend on the engine. */
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "store/backend.h"
#include "store/store.h"
#include "store/store_internal.h"

static const store_backend *be(store *s)
{
    return store_base_of(s)->be;
}

static const char *const period_names[] = {"rtd", "min", "hour", "day"};

const char *store_period_name(store_period p)
{
    return (unsigned)p < 4 ? period_names[p] : "?";
}

bool store_kind_valid(const char *kind)
{
    static const char *const kinds[] = {"air",          "ghg",  "gas_outlet",
                                        "water_outlet", "dust", "water_section"};
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kind, kinds[i]))
            return true;
    return false;
}

store *store_open(const char *locator, char *err, size_t errcap)
{
    if (locator && store_pg_locator(locator))
        return store_pg_open(locator, err, errcap);
    const char *path;
    if (store_locator_path(locator, &path, err, errcap) < 0)
        return NULL;
    return store_sqlite_open(path, err, errcap);
}

bool store_exists(const char *locator)
{
    if (locator && store_pg_locator(locator))
        return true;
    const char *path;
    return store_locator_path(locator, &path, NULL, 0) == 0 && access(path, F_OK) == 0;
}

void store_close(store *s)
{
    if (s)
        be(s)->close(s);
}

const char *store_backend_name(store *s)
{
    return be(s)->name;
}

bool store_holds_all(store *s)
{
    return be(s)->holds_all;
}

int store_schema_version(store *s)
{
    return be(s)->schema_version(s);
}

uint64_t store_full_count(store *s)
{
    return atomic_load_explicit(&store_base_of(s)->full_count, memory_order_relaxed);
}

int store_begin(store *s, char *err, size_t errcap)
{
    return be(s)->begin(s, err, errcap);
}

int store_commit(store *s, char *err, size_t errcap)
{
    return be(s)->commit(s, err, errcap);
}

void store_rollback(store *s)
{
    be(s)->rollback(s);
}

int store_upkeep_start(store *s, char *err, size_t errcap)
{
    return be(s)->upkeep_start(s, err, errcap);
}

int store_upkeep_idle(store *s, char *err, size_t errcap)
{
    return be(s)->upkeep_idle(s, err, errcap);
}

void store_upkeep_stop(store *s)
{
    be(s)->upkeep_stop(s);
}

int store_site_put(store *s, const store_site *site, int64_t *id_out, char *err, size_t errcap)
{
    return be(s)->site_put(s, site, id_out, err, errcap);
}

int store_site_each(store *s, store_site_fn fn, void *ctx, char *err, size_t errcap)
{
    return be(s)->site_each(s, fn, ctx, err, errcap);
}

int store_packet_put(store *s, const store_packet *p, int64_t *id_out, char *err, size_t errcap)
{
    return be(s)->packet_put(s, p, id_out, err, errcap);
}

int store_key_seen(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                   char *err, size_t errcap)
{
    return be(s)->key_seen(s, mn, cn, data_time_utc, pno, err, errcap);
}

int store_key_claim(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                    int64_t packet_id, char *err, size_t errcap)
{
    return be(s)->key_claim(s, mn, cn, data_time_utc, pno, packet_id, err, errcap);
}

int store_key_last(store *s, const char *mn, const char *cn, int64_t before_utc, int64_t *out,
                   char *err, size_t errcap)
{
    return be(s)->key_last(s, mn, cn, before_utc, out, err, errcap);
}

int store_obs_put(store *s, const store_obs *o, char *err, size_t errcap)
{
    return be(s)->obs_put(s, o, err, errcap);
}

int store_data_put(store *s, const store_packet *p, int pno, const store_obs *o, size_t n,
                   int64_t *id_out, char *err, size_t errcap)
{
    return be(s)->data_put(s, p, pno, o, n, id_out, err, errcap);
}

int store_minutes_each(store *s, int64_t site_id, const char *param, int64_t hour_utc,
                       store_obs_fn fn, void *ctx, char *err, size_t errcap)
{
    return be(s)->minutes_each(s, site_id, param, hour_utc, fn, ctx, err, errcap);
}

int store_hour_put(store *s, const store_hour *h, char *err, size_t errcap)
{
    return be(s)->hour_put(s, h, err, errcap);
}

int store_packets_each(store *s, int64_t after_id, int64_t limit, store_packet_fn fn, void *ctx,
                       char *err, size_t errcap)
{
    return be(s)->packets_each(s, after_id, limit, fn, ctx, err, errcap);
}

int store_counts_get(store *s, store_counts *out, char *err, size_t errcap)
{
    return be(s)->counts_get(s, out, err, errcap);
}

int store_reasons_each(store *s, store_reason_fn fn, void *ctx, char *err, size_t errcap)
{
    return be(s)->reasons_each(s, fn, ctx, err, errcap);
}

int store_check(store *s, bool quick, store_problem_fn fn, void *ctx, char *err, size_t errcap)
{
    return be(s)->check(s, quick, fn, ctx, err, errcap);
}
