/* gb3838: GB 3838-2002 Table 1 and the 2011 evaluation method. The limits are data in
 * `rows[]` below, one row per Table 1 item with its direction; the evaluation rules (which
 * items count, worst factor, grades) follow. See gb3838.h for the contract and
 * docs/water-standards.md for the clauses and the points not settled by the texts at hand.
 *
 * Exactness: values and limits are int64 millionths of the item's unit; comparisons are
 * integer comparisons, multiples and means exact ratios rounded once by GB/T 8170. */
#include "standards/gb3838.h"

#include <string.h>

#include "standards/edition.h"

/* ---- Table 1 ---------------------------------------------------------------------------- */

typedef enum dir {
    DIR_NONE,  /* no class limits (water temperature) */
    DIR_MAX,   /* "≤": the value must not exceed the limit */
    DIR_MIN,   /* "≥": the value must not fall below the limit (DO) */
    DIR_RANGE, /* pH 6–9, the same for every class */
} dir;

typedef struct row {
    const char *name, *name_zh;
    dir d;
    /* Limits of Classes I..V, millionths; river column. */
    int64_t lim[5];
    /* Lake/reservoir column where Table 1 gives one (TP), else all zero. */
    int64_t lake[5];
    bool lake_only; /* TN: Table 1 sets limits for lakes and reservoirs only */
    bool evaluated; /* enters the section class (2011 method §一(一)1) */
} row;

/* mg/L (or the item's unit) → millionths. Exact for every Table 1 value: the products are
 * within 1e-9 of an integer, and the +0.5 truncation takes the nearest one. */
#define MG(x) ((int64_t)((x)*1e6 + 0.5))
#define L5(a, b, c, d, e)                                                                          \
    {                                                                                              \
        MG(a), MG(b), MG(c), MG(d), MG(e)                                                          \
    }

/* GB 3838-2002 Table 1 (地表水环境质量标准基本项目标准限值), Classes I..V. Item 3: DO Class I
 * "饱和率 90 % (或 7.5)", the 7.5 form is used. Item 8: TP "湖、库" column in .lake. Item 9: TN
 * "湖、库，以 N 计". Item 24 in 个/L. Evaluated: 2011 method §一(一)1, 21 items = Table 1 less
 * water temperature, total nitrogen and faecal coliform. */
/* clang-format off */
static const row rows[GB3838_ITEM_COUNT] = {
    [GB3838_TEMP]     = {"temp",     "水温",             DIR_NONE,  {0},                                  {0}, false, false},
    [GB3838_PH]       = {"pH",       "pH值",             DIR_RANGE, L5(6, 6, 6, 6, 6),                    {0}, false, true},
    [GB3838_DO]       = {"DO",       "溶解氧",           DIR_MIN,   L5(7.5, 6, 5, 3, 2),                  {0}, false, true},
    [GB3838_CODMN]    = {"CODMn",    "高锰酸盐指数",     DIR_MAX,   L5(2, 4, 6, 10, 15),                  {0}, false, true},
    [GB3838_COD]      = {"COD",      "化学需氧量",       DIR_MAX,   L5(15, 15, 20, 30, 40),               {0}, false, true},
    [GB3838_BOD5]     = {"BOD5",     "五日生化需氧量",   DIR_MAX,   L5(3, 3, 4, 6, 10),                   {0}, false, true},
    [GB3838_NH3N]     = {"NH3-N",    "氨氮",             DIR_MAX,   L5(0.15, 0.5, 1.0, 1.5, 2.0),         {0}, false, true},
    [GB3838_TP]       = {"TP",       "总磷",             DIR_MAX,   L5(0.02, 0.1, 0.2, 0.3, 0.4),
                                                                    L5(0.01, 0.025, 0.05, 0.1, 0.2),      false, true},
    [GB3838_TN]       = {"TN",       "总氮",             DIR_MAX,   L5(0.2, 0.5, 1.0, 1.5, 2.0),          {0}, true,  false},
    [GB3838_CU]       = {"Cu",       "铜",               DIR_MAX,   L5(0.01, 1.0, 1.0, 1.0, 1.0),         {0}, false, true},
    [GB3838_ZN]       = {"Zn",       "锌",               DIR_MAX,   L5(0.05, 1.0, 1.0, 2.0, 2.0),         {0}, false, true},
    [GB3838_F]        = {"F",        "氟化物",           DIR_MAX,   L5(1.0, 1.0, 1.0, 1.5, 1.5),          {0}, false, true},
    [GB3838_SE]       = {"Se",       "硒",               DIR_MAX,   L5(0.01, 0.01, 0.01, 0.02, 0.02),     {0}, false, true},
    [GB3838_AS]       = {"As",       "砷",               DIR_MAX,   L5(0.05, 0.05, 0.05, 0.1, 0.1),       {0}, false, true},
    [GB3838_HG]       = {"Hg",       "汞",               DIR_MAX,   L5(0.00005, 0.00005, 0.0001, 0.001, 0.001), {0}, false, true},
    [GB3838_CD]       = {"Cd",       "镉",               DIR_MAX,   L5(0.001, 0.005, 0.005, 0.005, 0.01), {0}, false, true},
    [GB3838_CR6]      = {"Cr6",      "铬（六价）",       DIR_MAX,   L5(0.01, 0.05, 0.05, 0.05, 0.1),      {0}, false, true},
    [GB3838_PB]       = {"Pb",       "铅",               DIR_MAX,   L5(0.01, 0.01, 0.05, 0.05, 0.1),      {0}, false, true},
    [GB3838_CN]       = {"CN",       "氰化物",           DIR_MAX,   L5(0.005, 0.05, 0.2, 0.2, 0.2),       {0}, false, true},
    [GB3838_PHENOL]   = {"phenol",   "挥发酚",           DIR_MAX,   L5(0.002, 0.002, 0.005, 0.01, 0.1),   {0}, false, true},
    [GB3838_OIL]      = {"oil",      "石油类",           DIR_MAX,   L5(0.05, 0.05, 0.05, 0.5, 1.0),       {0}, false, true},
    [GB3838_LAS]      = {"LAS",      "阴离子表面活性剂", DIR_MAX,   L5(0.2, 0.2, 0.2, 0.3, 0.3),          {0}, false, true},
    [GB3838_S2]       = {"S2-",      "硫化物",           DIR_MAX,   L5(0.05, 0.1, 0.2, 0.5, 1.0),         {0}, false, true},
    [GB3838_COLIFORM] = {"coliform", "粪大肠菌群",       DIR_MAX,   L5(200, 2000, 10000, 20000, 40000),   {0}, false, false},
};
/* clang-format on */

/* pH range of Table 1 item 2, all classes. */
#define PH_LO MG(6)
#define PH_HI MG(9)
/* Upper bound of a plausible pH (input check only). */
#define PH_MAX MG(14)

/* 2020 statistics rule evaluation digits (see gb3838_eval_decimals). */
static const signed char eval_decimals[GB3838_ITEM_COUNT] = {
    [GB3838_TEMP] = 1, [GB3838_PH] = 0,   [GB3838_DO] = 1,   [GB3838_CODMN] = 1,
    [GB3838_COD] = 1,  [GB3838_BOD5] = 1, [GB3838_NH3N] = 2, [GB3838_TP] = 3,
    [GB3838_TN] = 2,   [GB3838_CU] = 3,   [GB3838_ZN] = 3,   [GB3838_F] = 3,
    [GB3838_SE] = 4,   [GB3838_AS] = 4,   [GB3838_HG] = 5,   [GB3838_CD] = 5,
    [GB3838_CR6] = 3,  [GB3838_PB] = 3,   [GB3838_CN] = 3,   [GB3838_PHENOL] = 4,
    [GB3838_OIL] = 2,  [GB3838_LAS] = 2,  [GB3838_S2] = 3,   [GB3838_COLIFORM] = 0,
};

static const char *const class_names[] = {NULL, "I", "II", "III", "IV", "V", "劣V"};

static bool item_ok(gb3838_item it)
{
    return (unsigned)it < GB3838_ITEM_COUNT;
}

static bool water_ok(gb3838_water w)
{
    return w == GB3838_RIVER || w == GB3838_LAKE;
}

/* The five limits of `it` in `w`, or NULL when Table 1 has none there. */
static const int64_t *limits_of(gb3838_water w, gb3838_item it)
{
    const row *r = &rows[it];
    if (r->d == DIR_NONE || (r->lake_only && w != GB3838_LAKE))
        return NULL;
    if (w == GB3838_LAKE && r->lake[0])
        return r->lake;
    return r->lim;
}

/* ---- Names ------------------------------------------------------------------------------ */

const char *gb3838_class_name(int cls)
{
    return cls >= GB3838_CLASS_I && cls <= GB3838_CLASS_WORSE_V ? class_names[cls] : NULL;
}

int gb3838_class_parse(const char *s, size_t n, int *out)
{
    for (int c = GB3838_CLASS_I; c <= GB3838_CLASS_WORSE_V; c++) {
        if (strlen(class_names[c]) == n && !memcmp(s, class_names[c], n)) {
            *out = c;
            return EW_OK;
        }
    }
    if (n == 1 && s[0] >= '1' && s[0] <= '5') {
        *out = s[0] - '0';
        return EW_OK;
    }
    return EW_EINVALID;
}

const char *gb3838_item_name(gb3838_item it)
{
    return item_ok(it) ? rows[it].name : NULL;
}

const char *gb3838_item_name_zh(gb3838_item it)
{
    return item_ok(it) ? rows[it].name_zh : NULL;
}

int gb3838_item_parse(const char *s, size_t n, gb3838_item *out)
{
    for (int i = 0; i < GB3838_ITEM_COUNT; i++) {
        if (strlen(rows[i].name) == n && !memcmp(s, rows[i].name, n)) {
            *out = (gb3838_item)i;
            return EW_OK;
        }
    }
    return EW_ENOTFOUND;
}

bool gb3838_item_evaluated(gb3838_item it)
{
    return item_ok(it) && rows[it].evaluated;
}

int gb3838_eval_decimals(gb3838_item it)
{
    return item_ok(it) ? eval_decimals[it] : -1;
}

/* ---- Classes of one value --------------------------------------------------------------- */

int gb3838_limit(gb3838_water w, gb3838_item it, int cls, int64_t *lo_micro, int64_t *hi_micro)
{
    if (!item_ok(it) || !water_ok(w) || cls < GB3838_CLASS_I || cls > GB3838_CLASS_V)
        return EW_EINVALID;
    const int64_t *lim = limits_of(w, it);
    if (!lim)
        return EW_ENOTFOUND;
    switch (rows[it].d) {
    case DIR_RANGE:
        *lo_micro = PH_LO;
        *hi_micro = PH_HI;
        break;
    case DIR_MIN:
        *lo_micro = lim[cls - 1];
        *hi_micro = GB3838_NA;
        break;
    default:
        *lo_micro = GB3838_NA;
        *hi_micro = lim[cls - 1];
        break;
    }
    return EW_OK;
}

static int check_value(gb3838_item it, int64_t v, char *err, size_t errcap)
{
    if (v == GB3838_NA || v < 0)
        return ew_errf(err, errcap, EW_EINVALID, "gb3838: %s: value %s", rows[it].name,
                       v == GB3838_NA ? "missing" : "negative");
    if (it == GB3838_PH && v > PH_MAX)
        return ew_errf(err, errcap, EW_EINVALID, "gb3838: pH: value above 14");
    return EW_OK;
}

/* The class of v against five limits: Table 1 limits are inclusive, so the best class whose
 * limit v meets; 劣V beyond Class V. */
static int class_against(dir d, const int64_t *lim, int64_t v)
{
    if (d == DIR_RANGE) /* pH: one range for all classes (Table 1 item 2) */
        return v >= PH_LO && v <= PH_HI ? GB3838_CLASS_I : GB3838_CLASS_WORSE_V;
    for (int c = 0; c < 5; c++) {
        if (d == DIR_MIN ? v >= lim[c] : v <= lim[c])
            return c + 1;
    }
    return GB3838_CLASS_WORSE_V;
}

int gb3838_item_class(gb3838_water w, gb3838_item it, int64_t v_micro, int *cls, char *err,
                      size_t errcap)
{
    if (!item_ok(it) || !water_ok(w))
        return ew_errf(err, errcap, EW_EINVALID, "gb3838: item or water out of range");
    const int64_t *lim = limits_of(w, it);
    if (!lim)
        return ew_errf(err, errcap, EW_ENOTFOUND, "gb3838: %s: no class limits for %s",
                       rows[it].name, w == GB3838_LAKE ? "lakes" : "rivers");
    int rc = check_value(it, v_micro, err, errcap);
    if (rc)
        return rc;
    *cls = class_against(rows[it].d, lim, v_micro);
    return EW_OK;
}

int gb3838_multiple(gb3838_water w, gb3838_item it, int ref_cls, int64_t v_micro,
                    int64_t *multiple_milli)
{
    if (!item_ok(it) || !water_ok(w) || ref_cls < GB3838_CLASS_I || ref_cls > GB3838_CLASS_V ||
        v_micro == GB3838_NA || v_micro < 0)
        return EW_EINVALID;
    /* 2011 method: no exceedance multiple for water temperature, pH and DO. */
    if (rows[it].d != DIR_MAX)
        return EW_ENOTFOUND;
    const int64_t *lim = limits_of(w, it);
    if (!lim)
        return EW_ENOTFOUND;
    int64_t l = lim[ref_cls - 1];
    if (v_micro <= l) {
        *multiple_milli = 0;
        return 0;
    }
    /* 超标倍数 = (C − L) / L, thousandths, rounded once. */
    *multiple_milli = ew_round_ratio_8170(v_micro - l, l, 1000);
    return 1;
}

/* ---- Sections --------------------------------------------------------------------------- */

void gb3838_sample_init(gb3838_sample *s)
{
    for (int i = 0; i < GB3838_ITEM_COUNT; i++)
        s->v[i] = GB3838_NA;
    s->below_dl = 0;
}

int gb3838_assess(gb3838_water w, const gb3838_sample *s, int target, gb3838_result *out, char *err,
                  size_t errcap)
{
    if (!water_ok(w))
        return ew_errf(err, errcap, EW_EINVALID, "gb3838: water kind out of range");
    if (target != GB3838_CLASS_NONE && (target < GB3838_CLASS_I || target > GB3838_CLASS_V))
        return ew_errf(err, errcap, EW_EINVALID, "gb3838: target class %d out of range", target);
    gb3838_result r;
    memset(&r, 0, sizeof r);
    r.water = w;
    r.target = target;
    for (int i = 0; i < GB3838_ITEM_COUNT; i++) {
        r.multiple_milli[i] = GB3838_NA;
        int64_t v = s->v[i];
        if (v == GB3838_NA)
            continue;
        int rc = check_value((gb3838_item)i, v, err, errcap);
        if (rc)
            return rc;
        const int64_t *lim = limits_of(w, (gb3838_item)i);
        if (lim)
            r.item_cls[i] = class_against(rows[i].d, lim, v);
        if (!rows[i].evaluated) { /* 2011 method §一(一)1: reference items only */
            r.reference |= GB3838_BIT(i);
            continue;
        }
        r.evaluated |= GB3838_BIT(i);
        if (r.item_cls[i] > r.cls) /* single-factor: the worst evaluated item */
            r.cls = r.item_cls[i];
    }
    for (int i = 0; i < GB3838_ITEM_COUNT; i++) {
        if (!(r.evaluated & GB3838_BIT(i)))
            continue;
        if (r.item_cls[i] == r.cls)
            r.worst |= GB3838_BIT(i);
        if (target && r.item_cls[i] > target) {
            r.over_target |= GB3838_BIT(i);
            int64_t m;
            if (gb3838_multiple(w, (gb3838_item)i, target, s->v[i], &m) == 1)
                r.multiple_milli[i] = m;
        }
    }
    r.meets_target = r.cls && target && r.cls <= target;
    *out = r;
    return EW_OK;
}

/* ---- Grades ----------------------------------------------------------------------------- */

/* 2011 method, 断面水质定性评价: class → grade; index by class 0..6. */
static const gb3838_grade grade_of_class[] = {
    GB3838_GRADE_NONE,  GB3838_GRADE_EXCELLENT, GB3838_GRADE_EXCELLENT, GB3838_GRADE_GOOD,
    GB3838_GRADE_LIGHT, GB3838_GRADE_MODERATE,  GB3838_GRADE_HEAVY,
};
static const char *const grade_zh[] = {NULL, "优", "良好", "轻度污染", "中度污染", "重度污染"};
static const char *const grade_en[] = {NULL, "excellent", "good", "light", "moderate", "heavy"};

gb3838_grade gb3838_grade_of(int cls)
{
    return cls >= GB3838_CLASS_I && cls <= GB3838_CLASS_WORSE_V ? grade_of_class[cls]
                                                                : GB3838_GRADE_NONE;
}

const char *gb3838_grade_name_zh(gb3838_grade g)
{
    return g >= GB3838_GRADE_EXCELLENT && g <= GB3838_GRADE_HEAVY ? grade_zh[g] : NULL;
}

const char *gb3838_grade_name_en(gb3838_grade g)
{
    return g >= GB3838_GRADE_EXCELLENT && g <= GB3838_GRADE_HEAVY ? grade_en[g] : NULL;
}

int gb3838_river_grade(const int *classes, size_t n, gb3838_grade *out)
{
    size_t total = 0, good = 0, worse_v = 0;
    for (size_t i = 0; i < n; i++) {
        int c = classes[i];
        if (c == GB3838_CLASS_NONE)
            continue;
        if (c < GB3838_CLASS_I || c > GB3838_CLASS_WORSE_V)
            return EW_EINVALID;
        total++;
        good += c <= GB3838_CLASS_III;
        worse_v += c == GB3838_CLASS_WORSE_V;
    }
    /* 2011 method: the proportion method applies from 5 sections (含 5 个) on. */
    if (total < 5)
        return EW_EINVALID;
    /* Shares compared exactly: good/total ≥ 90 % ⇔ 10·good ≥ 9·total, and so on. */
    if (10 * good >= 9 * total)
        *out = GB3838_GRADE_EXCELLENT;
    else if (4 * good >= 3 * total)
        *out = GB3838_GRADE_GOOD;
    else if (5 * worse_v < total)
        *out = GB3838_GRADE_LIGHT;
    else if (5 * worse_v < 2 * total)
        *out = GB3838_GRADE_MODERATE;
    else
        *out = GB3838_GRADE_HEAVY;
    return EW_OK;
}

/* ---- Period values ---------------------------------------------------------------------- */

/* 10^(6 − decimals): the rounding step in millionths for `decimals` places (0..6). */
static int64_t step_of(int decimals)
{
    int64_t s = 1;
    for (int k = decimals; k < 6; k++)
        s *= 10;
    return s;
}

/* The mean sum2 / den (sum2 holds doubled values, den = 2 × results) in millionths: to the
 * millionth when decimals < 0, else rounded half-even (GB/T 8170) to `decimals` places, a
 * non-zero mean that would become 0 keeping one significant digit (the practice of the 2020
 * rule's implementations). */
static int64_t round_mean(int64_t sum2, int64_t den, int decimals)
{
    int64_t step = decimals < 0 ? 1 : step_of(decimals);
    int64_t m = ew_round_ratio_8170(sum2, den * step, 1) * step;
    while (m == 0 && sum2 > 0 && step > 1) {
        step /= 10;
        m = ew_round_ratio_8170(sum2, den * step, 1) * step;
    }
    return m;
}

int gb3838_mean(gb3838_item it, const int64_t *v_micro, const bool *nd, size_t n, bool round_eval,
                int64_t *mean_micro)
{
    if (!item_ok(it))
        return EW_EINVALID;
    /* Sums are kept doubled so that ½ × DL (2020 statistics rule, item 7) stays an integer. */
    int64_t sum2 = 0;
    int64_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = v_micro[i];
        if (v == GB3838_NA)
            continue;
        if (v < 0)
            return EW_EINVALID;
        sum2 += nd && nd[i] ? v : 2 * v;
        used++;
    }
    if (!used)
        return EW_ENOTFOUND;
    *mean_micro = round_mean(sum2, 2 * used, round_eval ? eval_decimals[it] : -1);
    return used > 1000000000 ? 1000000000 : (int)used;
}

int gb3838_period(const gb3838_sample *samples, size_t n, bool round_eval, gb3838_sample *out,
                  char *err, size_t errcap)
{
    gb3838_sample r;
    gb3838_sample_init(&r);
    for (int i = 0; i < GB3838_ITEM_COUNT; i++) {
        int64_t sum2 = 0, used = 0;
        for (size_t k = 0; k < n; k++) {
            int64_t v = samples[k].v[i];
            if (v == GB3838_NA)
                continue;
            if (v < 0)
                return ew_errf(err, errcap, EW_EINVALID, "gb3838: %s: negative value in sample %zu",
                               rows[i].name, k);
            sum2 += (samples[k].below_dl & GB3838_BIT(i)) ? v : 2 * v;
            used++;
        }
        if (!used)
            continue;
        int64_t m = round_mean(sum2, 2 * used, round_eval ? eval_decimals[i] : -1);
        r.v[i] = m;
    }
    *out = r;
    return EW_OK;
}

/* ---- Sets of sections ------------------------------------------------------------------- */

void gb3838_share_of(const gb3838_result *r, size_t n, gb3838_share *out)
{
    gb3838_share s = {0, 0, 0, GB3838_NA};
    for (size_t i = 0; i < n; i++) {
        if (!r[i].cls || !r[i].target)
            continue;
        s.assessed++;
        s.meeting += r[i].cls <= r[i].target;
        s.worse_v += r[i].cls == GB3838_CLASS_WORSE_V;
    }
    if (s.assessed)
        s.pct_milli = ew_round_ratio_8170((int64_t)s.meeting * 100, (int64_t)s.assessed, 1000);
    *out = s;
}
