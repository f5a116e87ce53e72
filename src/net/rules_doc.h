/* rules_doc: the JSON of the pollution-source rule catalogue (service/source.h,
 * source_rules_each), one renderer for GET /api/v1/rules and `envwatch rules list --json`, so
 * both show the same rows.
 *
 * A row: {"id","name_zh","reason_zh","source","thresholds":{…},"applied","note"}, and with
 * rdoc_rules_cases what became of the rule's cases: "cases" (every case its alerts opened),
 * "cases_open", "cases_closed", "confirmed", "explained", "false_alarms" (closed, by the
 * finding of the verify) and "false_alarm_share" (false_alarms of the closed cases with a
 * finding; null when there is none) — flat, so the CSV has a column each. */
#ifndef EW_NET_RULES_DOC_H
#define EW_NET_RULES_DOC_H
#include <jansson.h>

#include "service/source.h"

/* The catalogue under cfg (NULL: the defaults) as a new JSON array the caller owns. */
json_t *rdoc_rules(const source_config *cfg);

/* Add the case counts of source_rule_cases_each (service/source.h) under who to the rows
 * of rules (an array rdoc_rules made). EW_OK, or its error with err filled (rules then holds
 * the counts of the rows done so far). */
int rdoc_rules_cases(json_t *rules, store *s, const case_actor *who, char *err,
                     size_t errcap) EW_MUST_CHECK;

#endif
