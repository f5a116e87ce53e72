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

#include "service/water.h"
#include "standards/gb3838.h"

/* "I".."V", "劣V", or null for GB3838_CLASS_NONE. */
json_t *wdoc_class(int cls);
/* A value in millionths as the shortest exact decimal (0.00005, 7, 1.25); null for
 * GB3838_NA. */
json_t *wdoc_value(int64_t v_micro);
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

#endif
