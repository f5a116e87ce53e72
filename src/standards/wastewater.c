/* wastewater: HJ 356-2019 hourly and daily values. See wastewater.h for the contract and
 * docs/source-standards.md for the clauses.
 *
 * Exactness: values are thousandths; the weighted mean is the exact ratio Σ(C·Q) / ΣQ rounded
 * once by GB/T 8170. With |C| ≤ 1e9 and Q ≤ 1e9 per hour, Σ over 24 hours stays below
 * 2.4e19 — beyond int64 — so the products are summed in 128 bits. */
#include "standards/wastewater.h"

#include <string.h>

#include "standards/edition.h"
#include "standards/ratio128.h"

/* HJ 212-2017 Annex B.3 (wastewater) codes, names and units; the units of Hg, Cd, Cr(VI), As
 * and Pb are µg/L as B.3 prints them. pH is the only range-only parameter (HJ 356-2019). */
static const ww_param_info params[WW_PARAM_COUNT] = {
    {WW_COD, "w01018", "化学需氧量", "mg/L", false},
    {WW_NH3N, "w21003", "氨氮", "mg/L", false},
    {WW_TP, "w21011", "总磷", "mg/L", false},
    {WW_TN, "w21001", "总氮", "mg/L", false},
    {WW_PH, "w01001", "pH值", "", true},
    {WW_HG, "w20111", "总汞", "ug/L", false},
    {WW_CD, "w20115", "总镉", "ug/L", false},
    {WW_CR, "w20116", "总铬", "mg/L", false},
    {WW_CR6, "w20117", "六价铬", "ug/L", false},
    {WW_AS, "w20119", "总砷", "ug/L", false},
    {WW_PB, "w20120", "总铅", "ug/L", false},
    {WW_NI, "w20121", "总镍", "mg/L", false},
};

const ww_param_info *ww_param_info_of(ww_param p)
{
    return (unsigned)p < WW_PARAM_COUNT ? &params[p] : NULL;
}

int ww_param_parse(const char *code, size_t n, ww_param *out)
{
    for (int i = 0; i < WW_PARAM_COUNT; i++) {
        if (strlen(params[i].code) == n && !memcmp(params[i].code, code, n)) {
            *out = params[i].param;
            return 0;
        }
    }
    return -1;
}

bool ww_flag_normal(char flag)
{
    return flag == 0 || flag == 'N';
}

static bool in_range(int64_t v)
{
    return v >= -WW_MAX_MILLI && v <= WW_MAX_MILLI;
}

int ww_hour_value(const ww_value *r, size_t n, ww_hour *out)
{
    if ((n > 0 && !r) || n > 3600)
        return EW_EINVALID;
    ww_hour h = {WW_NA, (int)n, 0, false, 'D'};
    int64_t sum = 0;
    char first_bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ww_flag_normal(r[i].flag)) {
            if (!h.n_abnormal++)
                first_bad = r[i].flag;
            continue;
        }
        if (!in_range(r[i].milli))
            return EW_EINVALID;
        sum += r[i].milli;
    }
    /* HJ 212-2017 Annex C notes (wastewater): one abnormal value makes the hour abnormal. */
    h.valid = n > 0 && h.n_abnormal == 0;
    if (h.valid) {
        h.milli = ew_round_ratio_8170(sum, (int64_t)n, 1);
        h.flag = 'N';
    } else if (first_bad) {
        h.flag = first_bad;
    }
    *out = h;
    return EW_OK;
}

ww_day_rule ww_day_rule_default(void)
{
    ww_day_rule r = {WW_HOURS_PER_DAY, WW_DAY_SHARE_DEFAULT};
    return r;
}

int ww_day_value(ww_param p, const ww_day_hour *h, size_t n, const ww_day_rule *rule, ww_day *out)
{
    const ww_param_info *info = ww_param_info_of(p);
    if (!info || !rule || (n > 0 && !h) || n > WW_HOURS_PER_DAY)
        return EW_EINVALID;
    if (rule->n_expected < 1 || rule->n_expected > WW_HOURS_PER_DAY || rule->share_permille < 1 ||
        rule->share_permille > 1000)
        return EW_EINVALID;
    bool range_only = info->range_only;
    ww_day d;
    memset(&d, 0, sizeof d);
    d.param = p;
    d.n_expected = rule->n_expected;
    d.mean_milli = d.arith_milli = d.min_milli = d.max_milli = WW_NA;
    __int128 sum_cq = 0;
    int64_t sum_q = 0, sum_c = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i].volume_valid) {
            if (h[i].volume_milli < 0 || h[i].volume_milli > WW_MAX_MILLI)
                return EW_EINVALID;
            d.volume_milli += h[i].volume_milli;
        }
        if (!h[i].conc_valid || (!range_only && !h[i].volume_valid))
            continue;
        int64_t c = h[i].conc_milli;
        if (!in_range(c))
            return EW_EINVALID;
        d.n_used++;
        sum_c += c;
        if (!range_only) {
            sum_cq += (__int128)c * h[i].volume_milli;
            sum_q += h[i].volume_milli;
        }
        if (d.min_milli == WW_NA || c < d.min_milli)
            d.min_milli = c;
        if (d.max_milli == WW_NA || c > d.max_milli)
            d.max_milli = c;
    }
    /* The day's coverage: used hours ≥ share × expected hours (default 75 %). */
    bool enough = (int64_t)d.n_used * 1000 >= (int64_t)rule->share_permille * rule->n_expected;
    if (d.n_used > 0 && !range_only)
        d.arith_milli = ew_round_ratio_8170(sum_c, d.n_used, 1);
    if (!enough)
        d.status = WW_DAY_INSUFFICIENT;
    else if (!range_only && sum_q == 0)
        d.status = WW_DAY_NO_DISCHARGE;
    else
        d.status = WW_DAY_VALID;
    d.valid = d.status == WW_DAY_VALID;
    /* The effective daily mean: Σ(Ci·Qi) / ΣQi; pH has none (its range is min..max). */
    if (d.valid && !range_only)
        d.mean_milli = ew_round_ratio128_8170(sum_cq, sum_q);
    *out = d;
    return EW_OK;
}
