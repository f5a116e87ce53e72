/* air: stored hours → station days, zone days, real-time AQI, town ranking (see air.h). */
#include "service/air.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "standards/edition.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"


size_t air_hours_len(const air_period *a)
{
    return (size_t)(a->ndays + 1) * 24;
}

int32_t air_hour(const air_period *a, size_t s, int p, size_t i)
{
    return a->v[(s * AIRQ_NPOLL + (size_t)p) * air_hours_len(a) + i];
}

const airq_day *air_station_days(const air_period *a, size_t s)
{
    return a->days + s * (size_t)a->ndays;
}

ptrdiff_t air_station_index(const air_period *a, int64_t id)
{
    size_t lo = 0, hi = a->nst;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->st[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < a->nst && a->st[lo].id == id ? (ptrdiff_t)lo : -1;
}

static int collect_station(void *ctx, const ew_read_site *s)
{
    air_period *a = ctx;
    a->st = xrealloc(a->st, (a->nst + 1) * sizeof *a->st);
    a->st[a->nst++] = (air_station){.id = s->id,
                                    .name = xstrdup(s->name ? s->name : ""),
                                    .town = xstrdup(s->town ? s->town : "")};
    return 0;
}

static int put_hour(void *ctx, const ew_read_obs *o)
{
    air_period *a = ctx;
    ptrdiff_t s = air_station_index(a, o->site_id);
    if (s < 0)
        return 0;
    int p;
    for (p = 0; p < AIRQ_NPOLL && strcmp(airq_hj212_codes[p], o->param); p++)
        ;
    /* Only normal measurements count (GB 3095 counts valid data only). */
    if (p == AIRQ_NPOLL || !isfinite(o->value) || o->value < 0 || !hj212_flag_normal(o->flag))
        return 0;
    /* The store keeps the period start (HJ 212—2017 §6.6.3); HJ 663 labels an hour by its
     * end (Table A.1), so the value starting at 00:00 is the label 01:00. */
    int64_t i = (o->ts_utc + 3600 - ew_bj_day_start(a->day0)) / 3600;
    if (i < 0 || (size_t)i >= air_hours_len(a))
        return 0;
    /* Units as stored: µg/m³, CO mg/m³; milli-units for airq. */
    a->v[((size_t)s * AIRQ_NPOLL + (size_t)p) * air_hours_len(a) + (size_t)i] =
        (int32_t)llround(o->value * 1000.0);
    return 0;
}

void air_period_free(air_period *a)
{
    for (size_t i = 0; i < a->nst; i++) {
        free(a->st[i].name);
        free(a->st[i].town);
    }
    free(a->st);
    free(a->v);
    free(a->days);
    free(a->zone);
    memset(a, 0, sizeof *a);
}

int air_load(ew_reader *db, int64_t day0, int ndays, const airq_opts *o, air_period *a, char *err,
             size_t errcap)
{
    memset(a, 0, sizeof *a);
    a->day0 = day0;
    a->ndays = ndays;
    if (ndays <= 0)
        return ew_errf(err, errcap, EW_EINVALID, "air: a period of at least one day is needed");
    char msg[256] = "";
    if (ew_read_sites(db, 0, "air", NULL, collect_station, a, msg, sizeof msg))
        return ew_errf(err, errcap, EW_EINTERNAL, "air stations: %s", msg);
    size_t n = a->nst * AIRQ_NPOLL * air_hours_len(a);
    a->v = xmalloc((n ? n : 1) * sizeof *a->v);
    for (size_t i = 0; i < n; i++)
        a->v[i] = AIRQ_MISSING;
    int64_t from = ew_bj_day_start(day0) - 3600, to = ew_bj_day_start(day0 + ndays);
    if (ew_read_hours(db, "air", airq_hj212_codes, AIRQ_NPOLL, from, to, put_hour, a, msg, sizeof msg))
        return ew_errf(err, errcap, EW_EINTERNAL, "air hours: %s", msg);
    a->days = xcalloc(a->nst * (size_t)ndays + 1, sizeof *a->days);
    a->zone = xcalloc((size_t)ndays, sizeof *a->zone);
    const airq_day **st = xcalloc(a->nst + 1, sizeof *st);
    for (size_t s = 0; s < a->nst; s++) {
        airq_hourly h = {.day0 = day0, .ndays = ndays};
        for (int p = 0; p < AIRQ_NPOLL; p++)
            h.v[p] = a->v + (s * AIRQ_NPOLL + (size_t)p) * air_hours_len(a);
        airq_days(&h, o, a->days + s * (size_t)ndays);
        st[s] = a->days + s * (size_t)ndays;
    }
    /* HJ 663—2013 §5.2: the zone value is the mean of its stations. */
    airq_aggregate(st, a->nst, ndays, day0, o, a->zone);
    free(st);
    return EW_OK;
}

/* ---- real-time AQI ---- */

void air_now_free(air_now *n)
{
    air_period_free(&n->period);
    free(n->rows);
    memset(n, 0, sizeof *n);
}

int air_now_at(ew_reader *db, int64_t now_utc, airq_edition ed, air_now *out, char *err,
               size_t errcap)
{
    memset(out, 0, sizeof *out);
    airq_opts o;
    airq_opts_default(&o);
    int64_t today = ew_bj_day_of(now_utc);
    int rc = air_load(db, today - 1, 2, &o, &out->period, err, errcap);
    if (rc)
        return rc;
    const air_period *a = &out->period;
    /* Label index of the current hour (the hour that ends now or later). */
    int64_t now_i = (now_utc - ew_bj_day_start(a->day0)) / 3600;
    int64_t best = -1;
    for (int64_t i = now_i; i >= 0 && i > now_i - 3 && best < 0; i--)
        for (size_t s = 0; s < a->nst && best < 0; s++)
            for (int p = 0; p < AIRQ_NPOLL; p++)
                if ((size_t)i < air_hours_len(a) && air_hour(a, s, p, (size_t)i) != AIRQ_MISSING)
                    best = i;
    if (best < 0)
        return EW_OK;
    out->have = true;
    out->label_utc = ew_bj_day_start(a->day0) + best * 3600;
    /* The hour labelled by its end is judged by the edition in force at its start. */
    out->rules = ed == AIRQ_ED_AUTO ? (aqi_rules)ew_edition_at(out->label_utc - 3600)
                                    : (aqi_rules)ed;
    static const aqi_item one_hour[AIRQ_NPOLL] = {AQI_SO2_1H, AQI_NO2_1H, AQI_PM10_1H,
                                                  AQI_CO_1H,  AQI_O3_1H,  AQI_PM25_1H};
    int64_t sum[AIRQ_NPOLL] = {0};
    int cnt[AIRQ_NPOLL] = {0};
    out->rows = xcalloc(a->nst + 1, sizeof *out->rows);
    for (size_t s = 0; s <= a->nst; s++) {
        air_now_row row = {.st = s < a->nst ? (ptrdiff_t)s : -1};
        aqi_input_init(&row.in);
        for (int p = 0; p < AIRQ_NPOLL; p++) {
            if (s < a->nst) {
                int32_t v = air_hour(a, s, p, (size_t)best);
                if (v != AIRQ_MISSING) {
                    row.in.milli[one_hour[p]] = v;
                    sum[p] += v;
                    cnt[p]++;
                }
            } else if (cnt[p]) {
                /* HJ 663—2013 §5.2: the zone concentration is the mean of its stations. */
                row.in.milli[one_hour[p]] = ew_round_ratio_8170(sum[p], cnt[p], 1);
            }
        }
        if (aqi_hourly(out->rules, &row.in, &row.res, NULL))
            continue; /* no pollutant of the hour has an IAQI */
        if (s < a->nst) {
            out->rows[out->nrows++] = row;
        } else {
            out->zone = row;
            out->has_zone = true;
        }
    }
    return EW_OK;
}

/* ---- ranking of towns ---- */

void air_ranking_free(air_ranking *r)
{
    air_period_free(&r->period);
    free(r->st);
    free(r->towns);
    memset(r, 0, sizeof *r);
}

typedef struct town_sum {
    int64_t spm, saqi;
    int npm, naqi, good;
} town_sum;

/* PM2.5 ascending, a town without PM2.5 last, then the town's name. */
static int town_cmp(const void *x, const void *y)
{
    const air_rank_town *a = x, *b = y;
    double pa = a->has_pm25 ? a->pm25 : INFINITY, pb = b->has_pm25 ? b->pm25 : INFINITY;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    return strcmp(a->town, b->town);
}

int air_rank(ew_reader *db, int64_t day0, int ndays, const airq_opts *o, air_ranking *out,
             char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    int rc = air_load(db, day0, ndays, o, &out->period, err, errcap);
    if (rc)
        return rc;
    const air_period *a = &out->period;
    out->st = xcalloc(a->nst + 1, sizeof *out->st);
    out->towns = xcalloc(a->nst + 1, sizeof *out->towns);
    town_sum *sums = xcalloc(a->nst + 1, sizeof *sums);
    for (size_t s = 0; s < a->nst; s++) {
        const char *town = a->st[s].town[0] ? a->st[s].town : "未划分";
        town_sum ts = {0};
        const airq_day *d = air_station_days(a, s);
        for (int i = 0; i < ndays; i++) {
            if (d[i].c[AIRQ_PM25] != AIRQ_MISSING)
                ts.spm += d[i].c[AIRQ_PM25], ts.npm++;
            if (airq_day_stated(&d[i])) {
                ts.saqi += d[i].aqi, ts.naqi++;
                ts.good += d[i].aqi <= 100;
            }
        }
        /* Means at 0.1 as published; PM2.5 sums are in milli-µg/m³. */
        out->st[out->nst++] = (air_rank_station){
            .site_id = a->st[s].id,
            .name = a->st[s].name,
            .town = town,
            .has_pm25 = ts.npm > 0,
            .pm25 = ts.npm ? round((double)ts.spm / ts.npm / 100.0) / 10.0 : 0,
            .has_aqi = ts.naqi > 0,
            .mean_aqi = ts.naqi ? round((double)ts.saqi / ts.naqi * 10) / 10.0 : 0};
        size_t t;
        for (t = 0; t < out->ntowns && strcmp(out->towns[t].town, town); t++)
            ;
        if (t == out->ntowns)
            out->towns[out->ntowns++] = (air_rank_town){.town = town};
        out->towns[t].stations++;
        sums[t].spm += ts.spm;
        sums[t].npm += ts.npm;
        sums[t].saqi += ts.saqi;
        sums[t].naqi += ts.naqi;
        sums[t].good += ts.good;
    }
    for (size_t t = 0; t < out->ntowns; t++) {
        air_rank_town *w = &out->towns[t];
        const town_sum *ts = &sums[t];
        w->has_pm25 = ts->npm > 0;
        w->pm25 = ts->npm ? round((double)ts->spm / (double)ts->npm / 1000.0 * 10) / 10.0 : 0;
        w->has_aqi = ts->naqi > 0;
        w->mean_aqi = ts->naqi ? round((double)ts->saqi / (double)ts->naqi * 10) / 10.0 : 0;
        w->good_ratio_pct = ts->naqi ? round(1000.0 * ts->good / (double)ts->naqi) / 10.0 : 0;
    }
    free(sums);
    qsort(out->towns, out->ntowns, sizeof *out->towns, town_cmp);
    for (size_t t = 0; t < out->ntowns; t++)
        out->towns[t].rank = (int)t + 1;
    return EW_OK;
}
