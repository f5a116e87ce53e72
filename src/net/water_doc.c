/* water_doc: see water_doc.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#include "net/water_doc.h"

json_t *wdoc_class(int cls)
{
    const char *n = gb3838_class_name(cls);
    return n ? json_string(n) : json_null();
}

char *wdoc_value_text(int64_t v, char *buf, size_t cap)
{
    if (v == GB3838_NA) {
        snprintf(buf, cap, "—");
        return buf;
    }
    int n = snprintf(buf, cap, "%lld.%06lld", (long long)(v / GB3838_MICRO),
                     (long long)(v % GB3838_MICRO));
    if (n >= (int)cap)
        n = (int)cap - 1;
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    return buf;
}

json_t *wdoc_value(int64_t v)
{
    if (v == GB3838_NA)
        return json_null();
    if (v % GB3838_MICRO == 0)
        return json_integer(v / GB3838_MICRO);
    /* The decimal text is exact; strtod then gives the double nearest to it, which jansson
     * prints back as the same shortest text. */
    char buf[32];
    return json_real(strtod(wdoc_value_text(v, buf, sizeof buf), NULL));
}

json_t *wdoc_worst(const gb3838_result *res)
{
    json_t *a = json_array();
    for (int it = 0; it < GB3838_ITEM_COUNT; it++)
        if (res->worst & GB3838_BIT(it))
            json_array_append_new(a, json_string(gb3838_item_name((gb3838_item)it)));
    return a;
}

static json_t *multiple_json(const gb3838_result *res, int it)
{
    if (!(res->over_target & GB3838_BIT(it)) || res->multiple_milli[it] == GB3838_NA)
        return json_null();
    return json_real((double)res->multiple_milli[it] / 1000);
}

/* The target class's limit of item it (the "≥" bound for DO, the "≤" bound otherwise), or
 * null: no target, pH (a range for every class), or no limit in this water. */
static json_t *limit_json(const gb3838_result *res, int it)
{
    int64_t lo, hi;
    if (res->target == GB3838_CLASS_NONE || it == GB3838_PH ||
        gb3838_limit(res->water, (gb3838_item)it, res->target, &lo, &hi))
        return json_null();
    return wdoc_value(it == GB3838_DO ? lo : hi);
}

json_t *wdoc_items(const gb3838_sample *values, const gb3838_result *res)
{
    json_t *items = json_array();
    for (int it = 0; it < GB3838_ITEM_COUNT; it++) {
        if (values->v[it] == GB3838_NA)
            continue;
        json_array_append_new(
            items,
            json_pack("{s:s,s:o,s:o,s:b,s:b,s:o,s:o}", "item", gb3838_item_name((gb3838_item)it),
                      "value", wdoc_value(values->v[it]), "class", wdoc_class(res->item_cls[it]),
                      "evaluated", (res->evaluated & GB3838_BIT(it)) != 0, "over_target",
                      (res->over_target & GB3838_BIT(it)) != 0, "multiple", multiple_json(res, it),
                      "limit", limit_json(res, it)));
    }
    return items;
}

json_t *wdoc_period(const water_period *p)
{
    const char *grade = gb3838_grade_name_zh(gb3838_grade_of(p->result.cls));
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:i,s:o,s:o}", "code", p->code, "name",
                     p->name, "water", p->water == GB3838_LAKE ? "lake" : "river", "target",
                     wdoc_class(p->target), "class", wdoc_class(p->result.cls), "grade",
                     grade ? json_string(grade) : json_null(), "worse_v", p->worse_v,
                     "meets_target", p->result.meets_target, "samples", (int)p->samples, "worst",
                     wdoc_worst(&p->result), "items", wdoc_items(&p->values, &p->result));
}

/* The items that failed a source in some event. */
static json_t *failed_json(const drinking_source *s)
{
    json_t *a = json_array();
    for (int it = 0; it < GB3838_ITEM_COUNT; it++)
        if (s->t1_failed & GB3838_BIT(it))
            json_array_append_new(a, json_string(gb3838_item_name((gb3838_item)it)));
    for (int i = 0; i < DWSOURCE_ITEM_COUNT; i++)
        if (s->t2_failed & (1u << i))
            json_array_append_new(a, json_string(dwsource_item_name((dwsource_item)i)));
    for (const char *p = s->t3_items; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p += n + (e != NULL);
    }
    return a;
}

int wdoc_add_source(void *ctx, const drinking_source *s)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:i,s:i,s:b,s:o,s:o}", "code", s->code, "name",
                                         s->name, "events", (int)s->events, "compliant_events",
                                         (int)s->compliant_events, "compliant", s->compliant,
                                         "worst_class", wdoc_class(s->worst_class), "failed",
                                         failed_json(s)));
    return 0;
}

static json_t *rate_json(int64_t milli)
{
    return milli == GB3838_NA ? json_null() : json_real((double)milli / 1000);
}

json_t *wdoc_rates(const dwsource_rates *r)
{
    return json_pack("{s:i,s:i,s:o,s:i,s:i,s:o}", "sources", (int)r->sources, "compliant_sources",
                     (int)r->compliant_sources, "rate_by_source", rate_json(r->by_source_milli),
                     "events", (int)r->events, "compliant_events", (int)r->compliant_events,
                     "rate_by_event", rate_json(r->by_event_milli));
}

typedef struct assess_acc {
    json_t *rows;
    gb3838_result *res;
    size_t n, cap;
} assess_acc;

static int add_period(void *ctx, const water_period *p)
{
    assess_acc *a = ctx;
    json_array_append_new(a->rows, wdoc_period(p));
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 16;
        a->res = xrealloc(a->res, a->cap * sizeof *a->res);
    }
    a->res[a->n++] = p->result;
    return 0;
}

int wdoc_assessment(ew_reader *db, int64_t from_utc, int64_t to_utc, const char *from_label,
                    const char *to_label, json_t **out, char *err, size_t errcap)
{
    assess_acc a = {.rows = json_array()};
    json_t *sources = json_array();
    dwsource_rates rt;
    int rc = water_sections_period(db, from_utc, to_utc, add_period, &a, err, errcap);
    if (rc >= 0)
        rc = drinking_each(db, from_utc, to_utc, wdoc_add_source, sources, &rt, err, errcap);
    if (rc < 0) {
        json_decref(a.rows);
        json_decref(sources);
        free(a.res);
        return rc;
    }
    gb3838_share sh;
    gb3838_share_of(a.res, a.n, &sh);
    free(a.res);
    json_t *drinking = wdoc_rates(&rt);
    json_object_set_new(drinking, "sources_list", sources);
    *out =
        json_pack("{s:s,s:s,s:o,s:{s:i,s:i,s:i,s:o},s:o}", "from", from_label, "to", to_label,
                  "data", a.rows, "share", "assessed", (int)sh.assessed, "meeting", (int)sh.meeting,
                  "worse_v", (int)sh.worse_v, "pct",
                  sh.pct_milli == GB3838_NA ? json_null() : json_real((double)sh.pct_milli / 1000),
                  "drinking", drinking);
    return 0;
}
