/* targets_doc: see targets_doc.h. */
#include <stdio.h>

#include "base/bjtime.h"
#include "net/targets_doc.h"
#include "service/targets.h"
#include "standards/edition.h"

static json_t *date_json(int64_t day)
{
    char b[16];
    ew_format_day(day, b, sizeof b);
    return json_string(b);
}

static json_t *row_json(const targets_row *w)
{
    const plan_target *t = w->t;
    json_t *rest = !w->measured                        ? json_null()
                   : w->rest_kind == TARGETS_REST_MEAN ? json_real(w->rest)
                   : w->rest_kind == TARGETS_REST_DAYS ? json_integer((json_int_t)w->rest)
                                                       : json_null();
    return json_pack("{s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}", "id", t->id, "name",
                     t->name_zh, "name_en", t->name_en ? json_string(t->name_en) : json_null(),
                     "unit", t->unit ? t->unit : "", "target",
                     t->cmp == PLAN_CMP_DONE ? json_null() : json_real(t->target), "comparator",
                     plan_cmp_name(t->cmp), "value",
                     w->measured ? json_real(w->value) : json_null(), "projected",
                     w->measured ? json_real(w->projected) : json_null(), "rest_needed", rest,
                     "on_track", w->measured ? json_boolean(w->on_track) : json_null(), "status",
                     targets_status_name(w->status), "source",
                     plan_source_name(t->source), "statistic",
                     t->statistic ? json_string(t->statistic) : json_null(), "deadline",
                     date_json(t->deadline_day));
}

int tdoc_build(ew_reader *db, const plan *pl, int year, airq_edition ed, int64_t now_utc,
               json_t **rows_out, json_t **meta_out, char *err, size_t errcap)
{
    targets_result res;
    int rc = targets_compute(db, pl, year, ed, now_utc, &res, err, errcap);
    if (rc) {
        targets_free(&res);
        return rc < 0 ? rc : EW_EINTERNAL;
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < res.n; i++)
        json_array_append_new(rows, row_json(&res.rows[i]));
    json_t *meta =
        json_pack("{s:i,s:b,s:o,s:s,s:s,s:s}", "year", year, "over", res.over, "as_of",
                  res.has_as_of ? date_json(res.as_of_day) : json_null(), "rules",
                  ed == AIRQ_ED_AUTO ? "auto" : ew_edition_name((ew_edition)ed), "plan", pl->id,
                  "projection", "persistence: the rest of the year like the days measured");
    if (res.assessed)
        json_object_set_new(meta, "days_by_edition",
                            json_pack("[i,i]", res.days_by_edition[0], res.days_by_edition[1]));
    targets_free(&res);
    *rows_out = rows;
    *meta_out = meta;
    return 0;
}
