/* dwsource: compliance of centralised surface drinking-water sources (集中式生活饮用水地表水
 * 水源地) per monitoring event and per period.
 *
 * An event (one sampling of a source) is compliant when
 *   - the Table 1 items of GB 3838-2002, evaluated as the 2011 method evaluates a section
 *     (water temperature, TN and faecal coliform as reference only), are within Class III;
 *   - every monitored Table 2 supplementary item (sulfate, chloride, nitrate, iron,
 *     manganese) is within its limit; and
 *   - no monitored Table 3 specific item exceeds its limit.
 * Table 3 has 80 items with one limit each; its limits are not tabled here: the caller
 * passes how many Table 3 items were monitored and how many exceeded. Programmes differ in
 * which Table 1 items they evaluate (one province leaves COD out); dwsource_policy.skip
 * names the items a programme does not evaluate.
 *
 * Period figures, as bulletins publish them: the rate by sources (sources compliant in the
 * period ÷ sources monitored), by water quantity (abstraction of compliant sources ÷ total
 * abstraction) and by events (compliant events ÷ events). A source counts as compliant for
 * the period when all its events were; the texts at hand do not settle how an annual figure
 * treats a source with one failing month, so the event rate is given beside it.
 *
 * Units: GB 3838 values in millionths of mg/L (gb3838.h), volumes int64 tonnes, rates
 * thousandths of a percent, rounded half-even. Pure functions; on failure outputs are
 * unchanged. */
#ifndef EW_STANDARDS_DWSOURCE_H
#define EW_STANDARDS_DWSOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "standards/gb3838.h"

/* GB 3838-2002 Table 2 (集中式生活饮用水地表水源地补充项目标准限值), mg/L. */
typedef enum dwsource_item {
    DWSOURCE_SO4,  /* 硫酸盐 (as SO4 2-) 250 */
    DWSOURCE_CL,   /* 氯化物 (as Cl-) 250 */
    DWSOURCE_NO3N, /* 硝酸盐 (as N) 10 */
    DWSOURCE_FE,   /* 铁 0.3 */
    DWSOURCE_MN,   /* 锰 0.1 */
    DWSOURCE_ITEM_COUNT
} dwsource_item;

/* "SO4", "Cl", "NO3-N", "Fe", "Mn" (static; NULL out of range). */
const char *dwsource_item_name(dwsource_item it);
/* The Table 2 item named name (NUL-terminated, exact case, as dwsource_item_name). Returns 0
 * and sets *out, or EW_ENOTFOUND (*out unchanged). */
int dwsource_item_parse(const char *name, dwsource_item *out) EW_MUST_CHECK;
/* The Table 2 limit of it in millionths of mg/L, or GB3838_NA out of range. */
int64_t dwsource_limit(dwsource_item it);

/* One monitoring event of a source. */
typedef struct dwsource_event {
    gb3838_sample t1;                    /* Table 1 items (GB3838_NA = not monitored) */
    int64_t t2[DWSOURCE_ITEM_COUNT];     /* Table 2 items, millionths, GB3838_NA = absent */
    unsigned t3_monitored, t3_exceeding; /* Table 3 items monitored / above their limits */
} dwsource_event;

/* Set every value of e to GB3838_NA and the Table 3 counts to 0. */
void dwsource_event_init(dwsource_event *e);

typedef struct dwsource_policy {
    gb3838_water water; /* river-type or lake/reservoir-type source (TP column) */
    int ref_class;      /* Class III (GB3838_CLASS_III) for surface sources */
    uint32_t skip;      /* Table 1 items the programme does not evaluate (GB3838_BIT) */
} dwsource_policy;

/* River-type source, Class III, nothing skipped. */
extern const dwsource_policy dwsource_policy_default;

typedef struct dwsource_verdict {
    bool assessed;    /* at least one evaluated item of Table 1, 2 or 3 was monitored */
    bool compliant;   /* assessed and nothing failed */
    gb3838_result t1; /* the Table 1 evaluation against ref_class (skipped items absent) */
    uint32_t t2_over; /* Table 2 items above their limits (bits 1u << dwsource_item) */
    unsigned t3_over; /* Table 3 items above their limits (copied from the event) */
} dwsource_verdict;

/* Judge one event under policy (NULL: dwsource_policy_default). Table 2 limits are
 * inclusive like Table 1's. Returns 0 and fills *out; EW_EINVALID (err names the item) for
 * a negative value, t3_exceeding > t3_monitored, or a policy out of range; *out unchanged. */
int dwsource_judge(const dwsource_event *e, const dwsource_policy *policy, dwsource_verdict *out,
                   char *err, size_t errcap) EW_MUST_CHECK;

/* One source over a period: its events, how many were compliant, its abstraction. */
typedef struct dwsource_period {
    size_t events, compliant_events;
    int64_t volume_t; /* water abstracted in the period, tonnes (0 if unknown) */
} dwsource_period;

typedef struct dwsource_rates {
    size_t sources, compliant_sources; /* sources with ≥ 1 event; of those, all compliant */
    size_t events, compliant_events;
    int64_t volume_t, compliant_volume_t; /* over the sources with events */
    /* Rates in thousandths of a percent; GB3838_NA when the denominator is 0. */
    int64_t by_source_milli, by_event_milli, by_volume_milli;
} dwsource_rates;

/* The period's compliance rates over n sources. Returns 0; EW_EINVALID when a source has
 * more compliant events than events or a negative volume (*out unchanged). */
int dwsource_rates_of(const dwsource_period *p, size_t n, dwsource_rates *out) EW_MUST_CHECK;

#endif
