/* targets: plan targets against the monitored year (see targets.h). */
#include "service/targets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/air.h"
#include "service/ledger.h"
#include "service/blackwater.h"
#include "service/drinking.h"
#include "service/dust.h"
#include "service/flow.h"
#include "service/water.h"

#define ST_PM25 "airq.pm25_annual_mean"
#define ST_GOOD "airq.good_days_ratio"
#define ST_HEAVY "airq.heavy_days_ratio"

const char *targets_status_name(targets_status s)
{
    switch (s) {
    case TARGETS_ON_TRACK:
        return "on_track";
    case TARGETS_AT_RISK:
        return "at_risk";
    case TARGETS_CANNOT:
        return "cannot";
    case TARGETS_MET:
        return "met";
    case TARGETS_MISSED:
        return "missed";
    case TARGETS_NO_DATA:
        break;
    }
    return "no_data";
}

void targets_free(targets_result *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

/* The plan's air targets into *out (fields of statistics the plan does not name stay 0);
 * returns a mask of those found: 1 PM2.5, 2 good days, 4 heavy days. */
static int air_targets_found(const plan *pl, airq_targets *out)
{
    *out = (airq_targets){0, 0, 0};
    int found = 0;
    for (size_t i = 0; i < pl->n_targets; i++) {
        const plan_target *t = &pl->targets[i];
        if (!t->statistic)
            continue;
        if (!strcmp(t->statistic, ST_PM25)) {
            out->pm25_ugm3 = (int32_t)t->target;
            found |= 1;
        } else if (!strcmp(t->statistic, ST_GOOD)) {
            out->good_ratio_x10 = (int32_t)lround(t->target * 10);
            found |= 2;
        } else if (!strcmp(t->statistic, ST_HEAVY)) {
            out->heavy_ratio_x10 = (int32_t)lround(t->target * 10);
            found |= 4;
        }
    }
    return found;
}

bool targets_air_of(const plan *pl, airq_targets *out)
{
    if (air_targets_found(pl, out) == 7)
        return true;
    *out = (airq_targets){0, 0, 0};
    return false;
}

/* For the engine: a statistic the plan does not name has no row to show, so its field
 * (left 0) is never read. */
static airq_targets air_targets_of(const plan *pl)
{
    airq_targets tg;
    (void)air_targets_found(pl, &tg);
    return tg;
}

/* Whether a finished period met a target is airq's judgement (rep was assessed against the
 * same plan targets, air_targets_of), so the rule is not restated here. */
static void judge(targets_row *w, const airq_report *rep)
{
    const plan_target *t = w->t;
    const char *st = t->statistic;
    const airq_progress *g = &rep->progress;
    if (!strcmp(st, ST_PM25) && rep->s[AIRQ_PM25].n > 0) {
        w->measured = true;
        w->value = rep->s[AIRQ_PM25].mean / 1000.0;
        if (g->in_progress) {
            w->rest_kind = TARGETS_REST_MEAN;
            w->rest = g->pm25_rest_max_x100 / 100.0;
        }
        w->on_track = g->in_progress ? g->pm25_reachable
                                     : rep->pm25_target_met;
    } else if (!strcmp(st, ST_GOOD) && rep->valid_days > 0) {
        w->measured = true;
        w->value = rep->good_ratio_x10 / 10.0;
        if (g->in_progress) {
            w->rest_kind = TARGETS_REST_DAYS;
            w->rest = g->good_still_needed;
        }
        w->on_track = g->in_progress ? g->good_reachable
                                     : rep->good_target_met;
    } else if (!strcmp(st, ST_HEAVY) && rep->valid_days > 0) {
        w->measured = true;
        w->value = rep->heavy_ratio_x10 / 10.0;
        if (g->in_progress) {
            w->rest_kind = TARGETS_REST_DAYS;
            w->rest = g->heavy_still_allowed;
        }
        w->on_track = g->in_progress ? g->heavy_still_allowed >= 0
                                     : rep->heavy_target_met;
    }
    /* Persistence: the year ends as the part measured. */
    w->projected = w->value;
}

/* The status of a measured row (targets_status). reach_known: on_track says whether the
 * rest of the year can still make the target (the air engine's progress); without it a
 * missing projection is a risk, not a verdict. */
static targets_status status_of(const targets_row *w, bool over, bool reach_known)
{
    if (!w->measured)
        return TARGETS_NO_DATA;
    if (over)
        return w->on_track ? TARGETS_MET : TARGETS_MISSED;
    if (ledger_target_met(w->t, w->projected)) /* the one comparison of a target */
        return TARGETS_ON_TRACK;
    return !reach_known || w->on_track ? TARGETS_AT_RISK : TARGETS_CANNOT;
}

/* The services of the other media, each the one owner of its statistics' names: asked in
 * turn, a service answers 0 for a name it does not know (or for no value), so a name needs
 * no registering here. */
typedef int (*statistic_fn)(ew_reader *db, const char *st, const char *site, int year,
                            int64_t now_utc, double *value, char *err, size_t errcap);
static const statistic_fn media[] = {water_statistic, drinking_statistic,
                                     blackwater_statistic, flow_statistic,
                                     dust_statistic};

/* A statistic of one of those media: the value so far, persistence for the projection. */
static int judge_measured(ew_reader *db, targets_row *w, int year, int64_t now_utc, char *err,
                          size_t errcap)
{
    double v;
    int rc = 0;
    for (size_t k = 0; k < sizeof media / sizeof *media && rc == 0; k++)
        rc = media[k](db, w->t->statistic, w->t->site, year, now_utc, &v, err, errcap);
    if (rc == 1) {
        w->measured = true;
        w->value = w->projected = v;
        w->on_track = ledger_target_met(w->t, v); /* the one comparison of a target */
    }
    return rc < 0 ? rc : 0;
}

int targets_compute(ew_reader *db, const plan *pl, int year, airq_edition ed, int64_t now_utc,
                    targets_result *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    out->rules = ed;
    int64_t day0 = ew_days_from_civil(year, 1, 1), today = ew_bj_day_of(now_utc);
    int64_t last = ew_days_from_civil(year, 12, 31);
    int64_t end = today - 1 < last ? today - 1 : last; /* complete days only */
    out->over = today > last;
    airq_report rep;
    if (end >= day0) {
        out->has_as_of = true;
        out->as_of_day = end;
        airq_opts o;
        airq_opts_default(&o);
        o.rules = ed;
        air_period a;
        int rc = air_load(db, day0, (int)(end - day0 + 1), &o, &a, err, errcap);
        if (rc) {
            air_period_free(&a);
            return rc;
        }
        airq_targets tg = air_targets_of(pl);
        int32_t *scratch = xmalloc((size_t)(end - day0 + 1) * sizeof *scratch);
        /* Assessed from 1 January to the last complete day: airq then reports the progress
         * of a year in progress (what the remaining days must achieve). */
        out->assessed = airq_assess(a.zone, day0, end, &o, &tg, scratch, &rep) == 0;
        free(scratch);
        air_period_free(&a);
        if (out->assessed) {
            out->days_by_edition[0] = rep.days_by_edition[0];
            out->days_by_edition[1] = rep.days_by_edition[1];
        }
    }
    out->n = pl->n_targets;
    out->rows = xcalloc(pl->n_targets + 1, sizeof *out->rows);
    for (size_t i = 0; i < pl->n_targets; i++) {
        targets_row *w = &out->rows[i];
        w->t = &pl->targets[i];
        bool by_engine = false;
        if (w->t->statistic && out->assessed) {
            judge(w, &rep);
            by_engine = w->measured;
        }
        if (w->t->statistic && !w->measured) {
            int rc = judge_measured(db, w, year, now_utc, err, errcap);
            if (rc)
                return rc;
        }
        w->status = status_of(w, out->over, by_engine);
    }
    return EW_OK;
}
