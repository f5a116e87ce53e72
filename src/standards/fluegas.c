/* fluegas: HJ 75-2017 hourly values, O2 conversion, emission rates. See fluegas.h for the
 * contract and docs/source-standards.md for the clauses.
 *
 * Exactness: every quantity is thousandths of its unit; a mean, a conversion and a rate are
 * each one exact ratio rounded once by GB/T 8170 (ew_round_ratio_8170). The rate's product
 * c × q can reach 1e24, so it is formed in 128 bits. */
#include "standards/fluegas.h"

#include <string.h>

#include "standards/edition.h"
#include "standards/ratio128.h"

/* HJ 212-2017 Table 8 flags (N F M S D C T B) and the 2005 alphabet's P; the position in this
 * string is the fluegas_flag_class. */
static const char flag_letters[] = "NFMSDCTBP";

fluegas_flag_class fluegas_flag_classify(char flag)
{
    if (flag == 0)
        return FLUEGAS_FLAG_N; /* the platform's own values carry no flag */
    const char *p = strchr(flag_letters, flag);
    return p ? (fluegas_flag_class)(p - flag_letters) : FLUEGAS_FLAG_OTHER;
}

bool fluegas_flag_valid(char flag)
{
    return fluegas_flag_classify(flag) == FLUEGAS_FLAG_N;
}

static bool in_range(int64_t v)
{
    return v >= -FLUEGAS_MAX_MILLI && v <= FLUEGAS_MAX_MILLI;
}

int fluegas_hour_mean(const fluegas_minute *m, size_t n, fluegas_mean *out)
{
    if (n > FLUEGAS_MINUTES_PER_HOUR || (n > 0 && !m))
        return EW_EINVALID;
    fluegas_mean r;
    memset(&r, 0, sizeof r);
    int64_t sum = 0; /* ≤ 60 × 1e12: no overflow */
    for (size_t i = 0; i < n; i++) {
        fluegas_flag_class c = fluegas_flag_classify(m[i].flag);
        r.n_flag[c]++;
        if (c != FLUEGAS_FLAG_N)
            continue;
        if (!in_range(m[i].milli))
            return EW_EINVALID;
        sum += m[i].milli;
        r.n_valid++;
    }
    r.n_total = (int)n;
    /* HJ 212-2017 Annex D: an hour from at least 45 valid minutes. */
    r.valid = r.n_valid >= FLUEGAS_MIN_VALID_MINUTES;
    r.mean_milli = r.valid ? ew_round_ratio_8170(sum, r.n_valid, 1) : FLUEGAS_NA;
    /* HJ 212-2017 Annex C notes (flue gas): normal when ≥ 75 % of the minutes are. */
    r.flag = r.valid ? 'N' : 'D';
    *out = r;
    return EW_OK;
}

fluegas_o2_rule fluegas_o2_rule_default(int64_t ref_milli)
{
    fluegas_o2_rule r = {ref_milli, FLUEGAS_O2_GUARD_DEFAULT};
    return r;
}

static bool rule_ok(const fluegas_o2_rule *r)
{
    if (r->guard_milli > FLUEGAS_O2_AIR)
        return false;
    if (r->ref_milli == FLUEGAS_NA)
        return r->guard_milli > 0;
    return r->ref_milli >= 0 && r->ref_milli < r->guard_milli;
}

int fluegas_correct(int64_t c_milli, int64_t o2_milli, const fluegas_o2_rule *r, int64_t *out_milli,
                    fluegas_corr *how)
{
    if (!r || !rule_ok(r) || !in_range(c_milli))
        return EW_EINVALID;
    if (r->ref_milli == FLUEGAS_NA) {
        *out_milli = c_milli;
        *how = FLUEGAS_CORR_NOT_REQUIRED;
        return EW_OK;
    }
    if (o2_milli < 0 || o2_milli > FLUEGAS_O2_AIR)
        return EW_EINVALID;
    /* The guard: as O2 → 21 % the factor (21 − O2_ref)/(21 − O2) grows without bound, so a
     * converted value from O2 this high would say more about the O2 than the stack. */
    if (o2_milli >= r->guard_milli) {
        *out_milli = FLUEGAS_NA;
        *how = FLUEGAS_CORR_O2_HIGH;
        return EW_OK;
    }
    /* HJ 75-2017 Annex / HJ 212-2017 Annex D: C_ref = C × (21 − O2_ref) / (21 − O2).
     * |c| ≤ 1e12 and 21000 − ref ≤ 21000: the numerator stays below 2.1e16. */
    *out_milli = ew_round_ratio_8170(c_milli * (FLUEGAS_O2_AIR - r->ref_milli),
                                     FLUEGAS_O2_AIR - o2_milli, 1);
    *how = FLUEGAS_CORR_OK;
    return EW_OK;
}

int fluegas_rate(int64_t c_milli, int64_t q_milli, int64_t *out_kgh_milli)
{
    if (q_milli < 0 || q_milli > FLUEGAS_MAX_MILLI || !in_range(c_milli))
        return EW_EINVALID;
    /* G = C × Q × 10⁻⁶ kg/h (HJ 75-2017 Annex); in thousandths of each unit:
     * G_milli = (C_milli / 1e3) × (Q_milli / 1e3) × 1e-6 × 1e3 = C_milli × Q_milli / 1e9. */
    *out_kgh_milli = ew_round_ratio128_8170((__int128)c_milli * q_milli, 1000000000);
    return EW_OK;
}

int fluegas_hour_compute(const fluegas_hour_in *in, fluegas_hour *out)
{
    if (!in || !in->conc || !rule_ok(&in->o2_rule))
        return EW_EINVALID;
    bool want_o2 = in->o2_rule.ref_milli != FLUEGAS_NA;
    if (want_o2 && !in->o2)
        return EW_EINVALID;
    fluegas_hour h;
    memset(&h, 0, sizeof h);
    h.o2.mean_milli = h.flow.mean_milli = FLUEGAS_NA;
    h.o2.flag = h.flow.flag = 'D';
    int rc = fluegas_hour_mean(in->conc, in->n_conc, &h.conc);
    if (rc == EW_OK && in->o2)
        rc = fluegas_hour_mean(in->o2, in->n_o2, &h.o2);
    if (rc == EW_OK && in->flow)
        rc = fluegas_hour_mean(in->flow, in->n_flow, &h.flow);
    if (rc != EW_OK)
        return rc;
    h.valid = h.conc.valid;
    h.raw_milli = h.conc.mean_milli;
    h.corrected_milli = h.judged_milli = h.rate_kgh_milli = FLUEGAS_NA;
    if (!h.valid) {
        h.corr = FLUEGAS_CORR_NO_VALUE;
    } else if (want_o2 && !h.o2.valid) {
        h.corr = FLUEGAS_CORR_NO_O2;
    } else {
        int64_t o2 = want_o2 ? h.o2.mean_milli : 0;
        rc = fluegas_correct(h.raw_milli, o2, &in->o2_rule, &h.corrected_milli, &h.corr);
        if (rc != EW_OK)
            return rc;
        h.judged_milli = h.corrected_milli;
        if (h.corr == FLUEGAS_CORR_NOT_REQUIRED)
            h.corrected_milli = FLUEGAS_NA; /* nothing converted: the raw value is judged */
    }
    if (h.valid && h.flow.valid) {
        rc = fluegas_rate(h.raw_milli, h.flow.mean_milli, &h.rate_kgh_milli);
        if (rc != EW_OK)
            return rc;
    }
    *out = h;
    return EW_OK;
}

int fluegas_day_mean(const fluegas_hour *h, size_t n, fluegas_day *out)
{
    if (n > FLUEGAS_HOURS_PER_DAY || (n > 0 && !h))
        return EW_EINVALID;
    fluegas_day d;
    memset(&d, 0, sizeof d);
    int64_t sum_raw = 0, sum_judged = 0; /* ≤ 24 × 1e12 */
    for (size_t i = 0; i < n; i++) {
        int64_t r = h[i].valid ? h[i].raw_milli : FLUEGAS_NA, j = h[i].judged_milli;
        if ((r != FLUEGAS_NA && !in_range(r)) || (j != FLUEGAS_NA && !in_range(j)))
            return EW_EINVALID;
        if (r != FLUEGAS_NA) {
            sum_raw += r;
            d.n_raw++;
        }
        if (j != FLUEGAS_NA) {
            sum_judged += j;
            d.n_judged++;
        }
    }
    /* HJ 212-2017 Annex D: a day from at least 20 valid hours. */
    d.raw_valid = d.n_raw >= FLUEGAS_MIN_VALID_HOURS;
    d.judged_valid = d.n_judged >= FLUEGAS_MIN_VALID_HOURS;
    d.raw_milli = d.raw_valid ? ew_round_ratio_8170(sum_raw, d.n_raw, 1) : FLUEGAS_NA;
    d.judged_milli = d.judged_valid ? ew_round_ratio_8170(sum_judged, d.n_judged, 1) : FLUEGAS_NA;
    *out = d;
    return EW_OK;
}

int fluegas_total_of(const fluegas_hour *h, size_t n, fluegas_total *out)
{
    if (n > 0 && !h)
        return EW_EINVALID;
    fluegas_total t = {0, 0, 0};
    const int64_t cap = FLUEGAS_MAX_MILLI * 1000000; /* 1e18 < INT64_MAX */
    for (size_t i = 0; i < n; i++) {
        if (h[i].rate_kgh_milli == FLUEGAS_NA) {
            t.hours_missing++;
            continue;
        }
        /* A rate (kg/h) held for one hour is that many kg. */
        t.kg_milli += h[i].rate_kgh_milli;
        if (t.kg_milli > cap || t.kg_milli < -cap)
            return EW_EINVALID;
        t.hours_counted++;
    }
    *out = t;
    return EW_OK;
}
