/* water_doc: the JSON of a surface-water assessment (standards/gb3838.h's gb3838_result,
 * service/water.h's water_period), rendered in one place so that GET
 * /api/v1/water/sections/{id}, `envwatch water class --json` and `envwatch water assess
 * --json` show the same classes, worst items and multiples in the same words.
 *
 * Values are exact decimals of the item's GB 3838 unit (mg/L; pH units; 个/L), classes
 * "I".."V" or "劣V" (null: none), items by gb3838_item_name, multiples (C − L)/L against
 * the target class's limit as a number with three decimals (null for pH and DO, which have
 * none).
 *
 * Every function returns a new reference the caller owns (json_decref); none fails short
 * of memory exhaustion, which follows the xalloc policy of jansson's allocator. */
#ifndef EW_NET_WATER_DOC_H
#define EW_NET_WATER_DOC_H
#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "service/drinking.h"
#include "service/water.h"
#include "standards/gb3838.h"
#include "store/read.h"

/* "I".."V", "劣V", or null for GB3838_CLASS_NONE. */
json_t *wdoc_class(int cls);
/* A value in millionths as the shortest exact decimal (0.00005, 7, 1.25); null for
 * GB3838_NA. */
json_t *wdoc_value(int64_t v_micro);
/* The same decimal as text into buf (at least 32 bytes; "—" for GB3838_NA), for the
 * command line's tables. Returns buf. */
char *wdoc_value_text(int64_t v_micro, char *buf, size_t cap);
/* The names of the worst evaluated items of res (ties: all), in Table 1 order. */
json_t *wdoc_worst(const gb3838_result *res);
/* Per item with a value in values, Table 1 order:
 * {"item","value","class","evaluated","over_target","multiple","limit"}; limit is the target
 * class's limit of the item (the lower bound for DO; null without a target, for pH, or where
 * Table 1 sets none). */
json_t *wdoc_items(const gb3838_sample *values, const gb3838_result *res);
/* A section's period: {"code","name","water","target","class","grade","worse_v",
 * "meets_target","samples","worst","items"}. */
json_t *wdoc_period(const water_period *p);

/* A drinking-water source (a drinking_fn for drinking_each / drinking_year_each, ctx a JSON
 * array it appends to): {"code","name","events","compliant_events","compliant",
 * "worst_class","failed"}, failed naming the Table 1 items worse than Class III, the Table 2
 * items and the Table 3 results above their limits. Returns 0. */
int wdoc_add_source(void *ctx, const drinking_source *s);
/* The rates: {"sources","compliant_sources","rate_by_source","events","compliant_events",
 * "rate_by_event"}, rates in % (null without an event). */
json_t *wdoc_rates(const dwsource_rates *r);

/* The assessment of [from_utc, to_utc): {"from","to" (the labels given), "data": [every
 * section's wdoc_period], "share": {"assessed","meeting","worse_v","pct"} (the sections
 * meeting their target, gb3838_share_of), "drinking": {wdoc_rates…, "sources_list": [wdoc_add_source rows]}}.
 * Returns 0 and sets *out (a new reference); a negative EW_E* code with err filled, *out
 * unchanged. */
int wdoc_assessment(ew_reader *db, int64_t from_utc, int64_t to_utc, const char *from_label,
                    const char *to_label, json_t **out, char *err, size_t errcap) EW_MUST_CHECK;

#endif
