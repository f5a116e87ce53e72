/* dustfall: HJ 1221-2021 dust fall of a jar and the monthly mean of an area. See dustfall.h
 * for the contract and docs/water-standards.md for the sources. */
#include "standards/dustfall.h"

#include <math.h>

#include "standards/edition.h"

/* 30 ± 2 days of exposure (the method's nominal month); a policy, not a hard rule. */
const dustfall_policy dustfall_policy_default = {
    .min_exposure_h = 28 * 24,
    .max_exposure_h = 32 * 24,
    .include_control = false,
};

int64_t dustfall_jar_area_mm2(int64_t d)
{
    if (d <= 0)
        return 0;
    /* Geometry, not a standard's arithmetic: a double is exact enough (jars are ~15 cm). */
    double mm = (double)d / 10.0;
    return (int64_t)llround(M_PI * mm * mm / 4.0);
}

int dustfall_value(const dustfall_sample *s, const dustfall_policy *p, int64_t *value_milli,
                   char *err, size_t errcap)
{
    if (s->invalid)
        return ew_errf(err, errcap, EW_EINVALID, "dustfall: sample marked invalid");
    if (s->area_mm2 <= 0)
        return ew_errf(err, errcap, EW_EINVALID, "dustfall: jar area must be positive");
    if (s->exposure_h <= 0)
        return ew_errf(err, errcap, EW_EINVALID, "dustfall: exposure must be positive");
    if (p && (s->exposure_h < p->min_exposure_h || s->exposure_h > p->max_exposure_h))
        return ew_errf(err, errcap, EW_EINVALID, "dustfall: exposure %lld h outside %lld..%lld h",
                       (long long)s->exposure_h, (long long)p->min_exposure_h,
                       (long long)p->max_exposure_h);
    /* HJ 1221 §9.2: net dust = residue with dish − dish − blank. */
    int64_t net = s->m1_ug - s->m0_ug - s->m2_ug;
    if (net < 0)
        return ew_errf(err, errcap, EW_EINVALID, "dustfall: negative net mass %lld µg",
                       (long long)net);
    /* M = net / S × 30 / n. µg / mm² = g / m² = t / km²; n = h / 24 days; thousandths:
     * M_milli = net_µg × 30 × 24 × 1000 / (S_mm² × h). */
    *value_milli = ew_round_ratio_8170(net * 30 * 24, s->area_mm2 * s->exposure_h, 1000);
    return EW_OK;
}

void dustfall_area_mean(const dustfall_sample *s, size_t n, const dustfall_policy *p,
                        dustfall_mean *out)
{
    if (!p)
        p = &dustfall_policy_default;
    dustfall_mean m = {n, 0, 0, 0, DUSTFALL_NA, DUSTFALL_NA, DUSTFALL_NA};
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].control && !p->include_control) {
            m.controls++;
            continue;
        }
        int64_t v = 0;
        if (dustfall_value(&s[i], p, &v, NULL, 0)) {
            m.rejected++;
            continue;
        }
        sum += v;
        if (!m.used || v > m.max_milli)
            m.max_milli = v;
        if (!m.used || v < m.min_milli)
            m.min_milli = v;
        m.used++;
    }
    /* The area's monthly value: arithmetic mean of its sites' values. */
    if (m.used)
        m.mean_milli = ew_round_ratio_8170(sum, (int64_t)m.used, 1);
    *out = m;
}

int dustfall_mean_of(const int64_t *v, size_t n, int64_t *mean_milli)
{
    int64_t sum = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == DUSTFALL_NA)
            continue;
        sum += v[i];
        used++;
    }
    if (!used)
        return EW_ENOTFOUND;
    *mean_milli = ew_round_ratio_8170(sum, used, 1);
    return used > 1000000000 ? 1000000000 : (int)used;
}
