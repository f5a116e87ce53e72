/* rules_doc: the JSON of the pollution-source rule catalogue (service/source.h,
 * source_rules_each), one renderer for GET /api/v1/rules and `envwatch rules list --json`, so
 * both show the same rows.
 *
 * A row: {"id","name_zh","reason_zh","source","thresholds":{…},"applied","note"}. */
#ifndef EW_NET_RULES_DOC_H
#define EW_NET_RULES_DOC_H
#include <jansson.h>

#include "service/source.h"

/* The catalogue under cfg (NULL: the defaults) as a new JSON array the caller owns. */
json_t *rdoc_rules(const source_config *cfg);

#endif
