/* http_cache: a small time-limited cache of whole responses for the API's aggregate
 * endpoints (AQI by day, assessment, targets, ranking, completeness).
 *
 * Why: those answers are computed from every hourly value of a period (a year to date is
 * ~100,000 rows) but change at most once an hour, when the hour's data arrive; a dashboard
 * on every desk of the bureau asks for the same few of them every minute. Answers are kept
 * for the route's TTL (seconds) and may be that much older than the database; the TTL is
 * stated in docs/api.md and in the Cache-Control header.
 *
 * Direct-mapped (FNV-1a of the key picks the slot; a collision replaces the older entry),
 * one mutex: a hit costs a hash, a compare and a copy of the body. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "net/http_internal.h"

typedef struct entry {
    char *key;
    char *body;
    size_t n;
    int status;
    const char *ctype; /* static strings only */
    char disposition[128];
    int64_t expires_ms;
} entry;

struct http_cache {
    pthread_mutex_t mu;
    entry *slots;
    size_t nslots;
};

http_cache *http_cache_new(size_t nslots)
{
    http_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->nslots = nslots ? nslots : 1;
    c->slots = xcalloc(c->nslots, sizeof *c->slots);
    return c;
}

void http_cache_free(http_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nslots; i++) {
        free(c->slots[i].key);
        free(c->slots[i].body);
    }
    free(c->slots);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static size_t slot_of(const http_cache *c, const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)(h % c->nslots);
}

bool http_cache_get(http_cache *c, const char *key, int64_t now_ms, http_resp *out, arena *ar)
{
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    entry *e = &c->slots[slot_of(c, key)];
    if (e->key && !strcmp(e->key, key) && now_ms < e->expires_ms) {
        out->status = e->status;
        out->ctype = e->ctype;
        out->body.n = 0;
        http_buf_put(&out->body, e->body, e->n);
        out->disposition =
            e->disposition[0] ? arena_strndup(ar, e->disposition, strlen(e->disposition)) : NULL;
        hit = true;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void http_cache_put(http_cache *c, const char *key, int64_t expires_ms, const http_resp *r)
{
    char *k = xstrdup(key), *b = xmalloc(r->body.n + 1);
    memcpy(b, r->body.p ? r->body.p : "", r->body.n);
    b[r->body.n] = '\0';
    pthread_mutex_lock(&c->mu);
    entry *e = &c->slots[slot_of(c, key)];
    char *old_k = e->key, *old_b = e->body;
    e->key = k;
    e->body = b;
    e->n = r->body.n;
    e->status = r->status;
    e->ctype = r->ctype;
    snprintf(e->disposition, sizeof e->disposition, "%s", r->disposition ? r->disposition : "");
    e->expires_ms = expires_ms;
    pthread_mutex_unlock(&c->mu);
    free(old_k);
    free(old_b);
}
