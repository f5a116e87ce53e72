/* rules_doc: see rules_doc.h. */
#include "net/rules_doc.h"

#include <math.h>
#include <string.h>

static int rule_add(void *ctx, const source_rule *r)
{
    /* thresholds is JSON the service wrote; a text that does not parse would be its bug, and
     * is shown as the text rather than dropped. */
    json_t *th = json_loads(r->thresholds, 0, NULL);
    json_array_append_new(ctx,
                          json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:s}", "id", r->id, "name_zh",
                                    r->name_zh, "reason_zh", r->reason_zh, "source", r->source,
                                    "thresholds", th ? th : json_string(r->thresholds), "applied",
                                    r->applied, "note", r->note));
    return 0;
}

json_t *rdoc_rules(const source_config *cfg)
{
    json_t *a = json_array();
    (void)source_rules_each(cfg, rule_add, a);
    return a;
}

static int cases_add(void *ctx, const char *rule, const source_rule_cases *c)
{
    json_t *rules = ctx, *row;
    size_t i;
    json_array_foreach(rules, i, row)
    {
        const char *id = json_string_value(json_object_get(row, "id"));
        if (!id || strcmp(id, rule))
            continue;
        json_object_set_new(row, "cases", json_integer(c->total));
        json_object_set_new(row, "cases_open", json_integer(c->open));
        json_object_set_new(row, "cases_closed", json_integer(c->closed));
        json_object_set_new(row, "confirmed", json_integer(c->confirmed));
        json_object_set_new(row, "explained", json_integer(c->explained));
        json_object_set_new(row, "false_alarms", json_integer(c->false_alarm));
        json_object_set_new(row, "false_alarm_share",
                            isnan(c->false_alarm_share) ? json_null()
                                                        : json_real(c->false_alarm_share));
    }
    return 0;
}

int rdoc_rules_cases(json_t *rules, store *s, const case_actor *who, char *err, size_t errcap)
{
    return source_rule_cases_each(s, who, cases_add, rules, err, errcap);
}
