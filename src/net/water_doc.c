/* water_doc: see water_doc.h. */
#include <stdio.h>
#include <stdlib.h>

#include "net/water_doc.h"

json_t *wdoc_class(int cls)
{
    const char *n = gb3838_class_name(cls);
    return n ? json_string(n) : json_null();
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
    int n = snprintf(buf, sizeof buf, "%lld.%06lld", (long long)(v / GB3838_MICRO),
                     (long long)(v % GB3838_MICRO));
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    return json_real(strtod(buf, NULL));
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
