/* dwsource: drinking-water source compliance on top of gb3838. See dwsource.h for the
 * contract and docs/water-standards.md for the sources. */
#include "standards/dwsource.h"

#include <string.h>

#include "standards/edition.h"

/* GB 3838-2002 Table 2, mg/L → millionths. */
static const struct {
    const char *name;
    int64_t limit;
} table2[DWSOURCE_ITEM_COUNT] = {
    [DWSOURCE_SO4] = {"SO4", 250 * GB3838_MICRO},
    [DWSOURCE_CL] = {"Cl", 250 * GB3838_MICRO},
    [DWSOURCE_NO3N] = {"NO3-N", 10 * GB3838_MICRO},
    [DWSOURCE_FE] = {"Fe", 300000},
    [DWSOURCE_MN] = {"Mn", 100000},
};

/* Surface sources are judged against Class III of Table 1 (GB 3838-2002 §4: Class III
 * covers 集中式生活饮用水地表水源地二级保护区; bulletins judge sources against it). */
const dwsource_policy dwsource_policy_default = {GB3838_RIVER, GB3838_CLASS_III, 0};

const char *dwsource_item_name(dwsource_item it)
{
    return (unsigned)it < DWSOURCE_ITEM_COUNT ? table2[it].name : NULL;
}

int dwsource_item_parse(const char *name, dwsource_item *out)
{
    for (int i = 0; i < DWSOURCE_ITEM_COUNT; i++)
        if (!strcmp(name, dwsource_item_name((dwsource_item)i))) {
            *out = (dwsource_item)i;
            return 0;
        }
    return EW_ENOTFOUND;
}

int64_t dwsource_limit(dwsource_item it)
{
    return (unsigned)it < DWSOURCE_ITEM_COUNT ? table2[it].limit : GB3838_NA;
}

void dwsource_event_init(dwsource_event *e)
{
    gb3838_sample_init(&e->t1);
    for (int i = 0; i < DWSOURCE_ITEM_COUNT; i++)
        e->t2[i] = GB3838_NA;
    e->t3_monitored = e->t3_exceeding = 0;
}

int dwsource_judge(const dwsource_event *e, const dwsource_policy *p, dwsource_verdict *out,
                   char *err, size_t errcap)
{
    if (!p)
        p = &dwsource_policy_default;
    if (p->ref_class < GB3838_CLASS_I || p->ref_class > GB3838_CLASS_V)
        return ew_errf(err, errcap, EW_EINVALID, "dwsource: reference class out of range");
    if (e->t3_exceeding > e->t3_monitored)
        return ew_errf(err, errcap, EW_EINVALID,
                       "dwsource: more Table 3 items exceeding than monitored");
    dwsource_verdict v;
    memset(&v, 0, sizeof v);
    gb3838_sample s = e->t1;
    for (int i = 0; i < GB3838_ITEM_COUNT; i++)
        if (p->skip & GB3838_BIT(i))
            s.v[i] = GB3838_NA;
    int rc = gb3838_assess(p->water, &s, p->ref_class, &v.t1, err, errcap);
    if (rc)
        return rc;
    bool any = v.t1.evaluated != 0 || e->t3_monitored > 0;
    for (int i = 0; i < DWSOURCE_ITEM_COUNT; i++) {
        int64_t x = e->t2[i];
        if (x == GB3838_NA)
            continue;
        if (x < 0)
            return ew_errf(err, errcap, EW_EINVALID, "dwsource: %s: negative value",
                           table2[i].name);
        any = true;
        if (x > table2[i].limit) /* Table 2 limits are "≤" limits */
            v.t2_over |= 1u << i;
    }
    v.t3_over = e->t3_exceeding;
    v.assessed = any;
    /* Table 1 within the reference class (where monitored), nothing above a Table 2 or 3
     * limit. */
    bool t1_ok = !v.t1.evaluated || v.t1.meets_target;
    v.compliant = any && t1_ok && !v.t2_over && !v.t3_over;
    *out = v;
    return EW_OK;
}

static int64_t pct(int64_t part, int64_t total)
{
    return total > 0 ? ew_round_ratio_8170(part * 100, total, 1000) : GB3838_NA;
}

int dwsource_rates_of(const dwsource_period *p, size_t n, dwsource_rates *out)
{
    dwsource_rates r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < n; i++) {
        if (p[i].compliant_events > p[i].events || p[i].volume_t < 0)
            return EW_EINVALID;
        if (!p[i].events) /* not monitored in the period */
            continue;
        bool ok = p[i].compliant_events == p[i].events;
        r.sources++;
        r.compliant_sources += ok;
        r.events += p[i].events;
        r.compliant_events += p[i].compliant_events;
        r.volume_t += p[i].volume_t;
        if (ok)
            r.compliant_volume_t += p[i].volume_t;
    }
    r.by_source_milli = pct((int64_t)r.compliant_sources, (int64_t)r.sources);
    r.by_event_milli = pct((int64_t)r.compliant_events, (int64_t)r.events);
    r.by_volume_milli = pct(r.compliant_volume_t, r.volume_t);
    *out = r;
    return EW_OK;
}
