/* assessment: the document form of an airq_report (see assessment.h). */
#include "service/assessment.h"

#include <stdio.h>

#include "base/bjtime.h"

static double x_to_d(int64_t v, int dec)
{
    return (double)v / (dec == 2 ? 100.0 : 10.0);
}

json_t *assessment_conc_json(airq_pollutant p, int32_t v)
{
    if (v == AIRQ_MISSING)
        return json_null();
    if (p != AIRQ_CO && v % 1000 == 0)
        return json_integer(v / 1000);
    return json_real(v / 1000.0);
}

static void day_label(int64_t day, char *b, size_t cap)
{
    ew_format_day(day, b, cap);
}

const char *assessment_statistic_name(airq_pollutant p)
{
    return p == AIRQ_CO   ? "24-h 95th percentile"
           : p == AIRQ_O3 ? "MDA8 90th percentile"
                          : "annual mean";
}

const char *assessment_statistic_name_zh(airq_pollutant p)
{
    return p == AIRQ_CO ? "日均值第95百分位" : p == AIRQ_O3 ? "日最大8小时第90百分位" : "平均浓度";
}

json_t *assessment_station_json(const airq_report *q, const char *code, const char *name)
{
    json_t *so =
        json_pack("{s:s,s:s?,s:i}", "code", code, "name", name, "valid_days", q->valid_days);
    json_t *m = json_object();
    for (int p = 0; p < AIRQ_NPOLL; p++)
        json_object_set_new(m, airq_pollutant_name(p), assessment_conc_json(p, q->s[p].stat));
    json_object_set_new(so, "statistics", m);
    json_object_set_new(so, "composite_index",
                        q->composite_valid ? json_real(x_to_d(q->composite_x100, 2)) : json_null());
    json_object_set_new(so, "good_ratio",
                        q->valid_days ? json_real(x_to_d(q->good_ratio_x10, 1)) : json_null());
    return so;
}

json_t *assessment_json(const airq_report *r, const assessment_how *how)
{
    char b1[32], b2[32], b3[32];
    json_t *j = json_object();
    day_label(r->from_day, b1, sizeof b1);
    day_label(r->to_day, b2, sizeof b2);
    day_label(r->data_end_day, b3, sizeof b3);
    json_object_set_new(j, "period",
                        json_pack("{s:s,s:s,s:i,s:s?}", "from", b1, "to", b2, "days", r->ndays,
                                  "data_end", r->data_end_day >= r->from_day ? b3 : NULL));
    json_object_set_new(
        j, "rules",
        json_pack("{s:s,s:i,s:i,s:s,s:s,s:i,s:s,s:s}", "requested",
                  how->requested == AIRQ_ED_AUTO   ? "auto"
                  : how->requested == AIRQ_ED_2012 ? "2012"
                                                   : "2026",
                  "days_2012", r->days_by_edition[0], "days_2026", r->days_by_edition[1],
                  "limits_edition", r->limits_edition == AIRQ_ED_2026 ? "2026" : "2012", "limits",
                  r->limits_name ? r->limits_name : "", "class", how->o->cls, "hour_labels",
                  how->o->hours == AIRQ_HOURS_1_24 ? "01-24" : "00-23", "aggregate",
                  how->by_hours ? "hours" : "days"));
    json_t *ps = json_array();
    for (int p = 0; p < AIRQ_NPOLL; p++) {
        const airq_stat *s = &r->s[p];
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:o,s:o,s:o,s:i,s:i,s:i,s:b,s:s?}", "name",
            airq_pollutant_name(p), "name_zh", airq_pollutant_name_zh(p), "unit",
            airq_pollutant_unit(p), "statistic", assessment_statistic_name(p), "value",
            assessment_conc_json(p, s->stat), "mean", assessment_conc_json(p, s->mean),
            "percentile", s->pct_p, "percentile_value", assessment_conc_json(p, s->pct), "limit",
            assessment_conc_json(p, s->limit), "daily_limit", assessment_conc_json(p, s->limit_day),
            "days_over_daily_limit", s->days_over, "valid_days", s->n, "required_days",
            s->required, "valid", s->valid, "invalid_reason", s->valid ? NULL : s->why);
        json_object_set_new(o, "index", s->n ? json_real(x_to_d(s->index_x100, 2)) : json_null());
        json_object_set_new(o, "exceedance",
                            s->n ? json_real(x_to_d(s->exceed_x100, 2)) : json_null());
        json_object_set_new(o, "compliant", s->n ? json_boolean(s->compliant) : json_null());
        json_array_append_new(ps, o);
    }
    json_object_set_new(j, "pollutants", ps);
    json_object_set_new(j, "composite_index",
                        r->composite_valid ? json_real(x_to_d(r->composite_x100, 2)) : json_null());
    json_object_set_new(j, "main_pollutant",
                        r->main_pollutant >= 0 ? json_string(airq_pollutant_name(r->main_pollutant))
                                               : json_null());
    json_t *d = json_object();
    json_object_set_new(d, "valid", json_integer(r->valid_days));
    json_object_set_new(d, "good", json_integer(r->good_days));
    json_object_set_new(d, "heavy", json_integer(r->heavy_days));
    json_object_set_new(d, "severe", json_integer(r->severe_days));
    json_object_set_new(d, "good_ratio",
                        r->valid_days ? json_real(x_to_d(r->good_ratio_x10, 1)) : json_null());
    json_object_set_new(d, "heavy_ratio",
                        r->valid_days ? json_real(x_to_d(r->heavy_ratio_x10, 1)) : json_null());
    json_object_set_new(d, "severe_ratio",
                        r->valid_days ? json_real(x_to_d(r->severe_ratio_x10, 1)) : json_null());
    json_t *lv = json_array();
    for (int i = 0; i < 6; i++)
        json_array_append_new(lv, json_integer(r->level_days[i]));
    json_object_set_new(d, "by_level", lv);
    json_t *pr = json_object();
    for (int p = 0; p < AIRQ_NPOLL; p++)
        json_object_set_new(pr, airq_pollutant_name(p), json_integer(r->primary_days[p]));
    json_object_set_new(d, "by_primary", pr);
    json_object_set_new(j, "days", d);
    if (r->has_targets) {
        json_object_set_new(j, "targets",
                            json_pack("{s:i,s:f,s:f,s:b,s:b,s:b}", "pm25", r->targets.pm25_ugm3,
                                      "good_ratio", x_to_d(r->targets.good_ratio_x10, 1),
                                      "heavy_ratio", x_to_d(r->targets.heavy_ratio_x10, 1),
                                      "pm25_met", r->pm25_target_met, "good_met",
                                      r->good_target_met, "heavy_met", r->heavy_target_met));
        const airq_progress *g = &r->progress;
        json_object_set_new(
            j, "rest_of_year",
            g->in_progress
                ? json_pack("{s:i,s:i,s:f,s:b,s:i,s:i,s:b,s:i,s:i}", "elapsed_days",
                            g->elapsed_days, "remaining_days", g->remaining_days, "pm25_max_mean",
                            x_to_d(g->pm25_rest_max_x100, 2), "pm25_reachable", g->pm25_reachable,
                            "good_days_needed", g->good_needed_total, "good_days_still_needed",
                            g->good_still_needed, "good_reachable", g->good_reachable,
                            "heavy_days_allowed", g->heavy_allowed_total,
                            "heavy_days_still_allowed", g->heavy_still_allowed)
                : json_null());
    }
    return j;
}
