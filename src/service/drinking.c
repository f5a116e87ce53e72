/* drinking: see drinking.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "service/drinking.h"
#include "service/water.h"
#include "store/water.h"

/* The events of one source in a period, in time order (both queries order by time). */
typedef struct event_acc {
    dwsource_event *ev;
    int64_t *ts;
    size_t n, cap;
    char t3_names[256]; /* names of the Table 3 results above their limits */
    size_t t3_over;
} event_acc;

/* The event of time ts: the last one when it has that time, else a new one. */
static dwsource_event *event_at(event_acc *a, int64_t ts)
{
    for (size_t i = a->n; i-- > 0;)
        if (a->ts[i] == ts)
            return &a->ev[i];
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 16;
        a->ev = xrealloc(a->ev, a->cap * sizeof *a->ev);
        a->ts = xrealloc(a->ts, a->cap * sizeof *a->ts);
    }
    dwsource_event_init(&a->ev[a->n]);
    a->ts[a->n] = ts;
    return &a->ev[a->n++];
}

static int add_sample(void *ctx, const water_sample_row *r)
{
    event_acc *a = ctx;
    dwsource_event *e = event_at(a, r->ts_utc);
    gb3838_item it;
    if (!gb3838_item_parse(r->item, strlen(r->item), &it)) {
        e->t1.v[it] = r->value_micro;
        return 0;
    }
    dwsource_item t2;
    if (dwsource_item_parse(r->item, &t2) == 0)
        e->t2[t2] = r->value_micro;
    return 0; /* an item this version does not know: skipped */
}

static int add_specific(void *ctx, const water_specific_row *r)
{
    event_acc *a = ctx;
    dwsource_event *e = event_at(a, r->ts_utc);
    e->t3_monitored++;
    /* Table 3 limits are inclusive like Table 1's; a result below detection is within. */
    if (!r->below_dl && r->value_micro > r->limit_micro) {
        e->t3_exceeding++;
        a->t3_over++;
        size_t used = strlen(a->t3_names);
        snprintf(a->t3_names + used, sizeof a->t3_names - used, "%s%s", used ? "," : "", r->item);
    }
    return 0;
}

typedef struct walk {
    ew_reader *db;
    int64_t from, to;
    drinking_fn fn;
    void *ctx;
    dwsource_period *periods;
    size_t n, cap;
    char *err;
    size_t errcap;
} walk;

static int source_one(void *ctx, const water_section_row *r)
{
    walk *w = ctx;
    if (!r->drinking)
        return 0;
    event_acc a;
    memset(&a, 0, sizeof a);
    int rc = water_samples_each(w->db, r->code, w->from, w->to, add_sample, &a, w->err, w->errcap);
    if (rc >= 0)
        rc = water_specific_each(w->db, r->code, w->from, w->to, add_specific, &a, w->err,
                                 w->errcap);
    drinking_source s;
    memset(&s, 0, sizeof s);
    snprintf(s.code, sizeof s.code, "%s", r->code);
    snprintf(s.name, sizeof s.name, "%s", r->name);
    dwsource_policy pol = dwsource_policy_default;
    pol.water = strcmp(r->water, "lake") ? GB3838_RIVER : GB3838_LAKE;
    for (size_t i = 0; i < a.n && rc >= 0; i++) {
        dwsource_verdict v;
        rc = dwsource_judge(&a.ev[i], &pol, &v, w->err, w->errcap);
        if (rc < 0 || !v.assessed)
            continue;
        s.events++;
        s.compliant_events += v.compliant;
        if (v.t1.cls > s.worst_class)
            s.worst_class = v.t1.cls;
        s.t1_failed |= v.t1.over_target;
        s.t2_failed |= v.t2_over;
    }
    s.t3_failed = a.t3_over;
    snprintf(s.t3_items, sizeof s.t3_items, "%s", a.t3_names);
    s.compliant = s.events > 0 && s.compliant_events == s.events;
    free(a.ev);
    free(a.ts);
    if (rc < 0)
        return rc;
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 8;
        w->periods = xrealloc(w->periods, w->cap * sizeof *w->periods);
    }
    w->periods[w->n++] =
        (dwsource_period){.events = s.events, .compliant_events = s.compliant_events};
    return w->fn ? w->fn(w->ctx, &s) : 0;
}

int drinking_each(ew_reader *db, int64_t from_utc, int64_t to_utc, drinking_fn fn, void *ctx,
                  dwsource_rates *rates, char *err, size_t errcap)
{
    walk w = {.db = db,
              .from = from_utc,
              .to = to_utc,
              .fn = fn,
              .ctx = ctx,
              .err = err,
              .errcap = errcap};
    int rc = water_sections_each(db, source_one, &w, err, errcap);
    if (rc == 0 && rates) {
        dwsource_rates r;
        rc = dwsource_rates_of(w.periods, w.n, &r);
        if (rc == 0)
            *rates = r;
        else
            ew_errf(err, errcap, rc, "drinking-water rates");
    }
    free(w.periods);
    return rc;
}

int drinking_year_each(ew_reader *db, int year, int64_t now_utc, drinking_fn fn, void *ctx,
                       dwsource_rates *rates, char *err, size_t errcap)
{
    int64_t from, to;
    water_year_so_far(year, now_utc, &from, &to);
    return drinking_each(db, from, to, fn, ctx, rates, err, errcap);
}

int drinking_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                       double *value, char *err, size_t errcap)
{
    (void)site; /* every source, none of one */
    if (strcmp(st, "water.drinking_source_compliance"))
        return 0;
    dwsource_rates r = {.by_source_milli = GB3838_NA};
    int rc = drinking_year_each(db, year, now_utc, NULL, NULL, &r, err, errcap);
    if (rc < 0)
        return rc;
    if (r.by_source_milli == GB3838_NA)
        return 0;
    *value = (double)r.by_source_milli / 1000;
    return 1;
}
