/* rules_doc: see rules_doc.h. */
#include "net/rules_doc.h"

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
