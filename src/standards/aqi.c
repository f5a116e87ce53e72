/* aqi: HJ 633 AQI engine. One interpolation routine driven by per-edition tables; the
 * differences between HJ 633—2012 and HJ 633—2026 are data in `editions[]` below, each with
 * its clause. See aqi.h for the contract and docs/air-rules.md for the clauses and gaps.
 *
 * Exactness: concentrations are thousandths (int64), breakpoints are stored in the same
 * unit, and the IAQI of eq. 1 is
 *     IAQI_lo + ceil((IAQI_hi - IAQI_lo) × (C - BP_lo) / (BP_hi - BP_lo))
 * with an integer ceiling. Because IAQI_lo is an integer, ceil(IAQI_lo + x) = IAQI_lo + ceil(x),
 * so this is exactly "全部进位取整数" (2012 §6.2, 2026 §4.2.6). No doubles anywhere. */
#include "standards/aqi.h"

#include <string.h>

/* ---- Breakpoint tables -------------------------------------------------------------- */

/* IAQI levels of the breakpoint columns (HJ 633—2012 Table 1, HJ 633—2026 Table 1). */
static const int iaqi_level[8] = {0, 50, 100, 150, 200, 300, 400, 500};

typedef struct bp_table {
    int n;         /* breakpoints used: 8, or fewer where the table stops (notes 2, 3) */
    int64_t bp[8]; /* thousandths of µg/m³ (CO: mg/m³), bp[k] belongs to iaqi_level[k] */
} bp_table;

#define K(x) ((int64_t)(x)*1000) /* whole units (µg/m³; CO mg/m³) → thousandths */

/* HJ 633 Table 1, one row per indicator; columns are IAQI 0, 50, 100, 150, 200, 300, 400, 500.
 * Rows identical in both editions (2012 Table 1 = 2026 Table 1 except the PM rows). The 1-h
 * rows of SO2, NO2, CO (and, in 2026, O3) serve only the real-time report (note 1). SO2 1-h
 * stops at 800 (IAQI 200) and O3 8-h at 800 (IAQI 300): notes 2 and 3 say what happens above,
 * see so2_1h_over_flat / o3_8h_over_flat. CO rows are in mg/m³. */
/* clang-format off */
static const bp_table bp_so2_24h = {8, {0, K(50),  K(150), K(475), K(800),  K(1600), K(2100), K(2620)}};
static const bp_table bp_so2_1h  = {5, {0, K(150), K(500), K(650), K(800)}};
static const bp_table bp_no2_24h = {8, {0, K(40),  K(80),  K(180), K(280),  K(565),  K(750),  K(940)}};
static const bp_table bp_no2_1h  = {8, {0, K(100), K(200), K(700), K(1200), K(2340), K(3090), K(3840)}};
static const bp_table bp_co_24h  = {8, {0, K(2),   K(4),   K(14),  K(24),   K(36),   K(48),   K(60)}};
static const bp_table bp_co_1h   = {8, {0, K(5),   K(10),  K(35),  K(60),   K(90),   K(120),  K(150)}};
static const bp_table bp_o3_1h   = {8, {0, K(160), K(200), K(300), K(400),  K(800),  K(1000), K(1200)}};
static const bp_table bp_o3_8h   = {6, {0, K(100), K(160), K(215), K(265),  K(800)}};

/* PM rows. HJ 633—2012 Table 1: PM10 IAQI-100 at 150, PM2.5 at 75. HJ 633—2026 Table 1:
 * 120 and 60 (the GB 3095—2026 transitional class-2 daily limits); all other PM breakpoints
 * unchanged. */
static const bp_table bp_pm10_2012 = {8, {0, K(50), K(150), K(250), K(350), K(420), K(500), K(600)}};
static const bp_table bp_pm25_2012 = {8, {0, K(35), K(75),  K(115), K(150), K(250), K(350), K(500)}};
static const bp_table bp_pm10_2026 = {8, {0, K(50), K(120), K(250), K(350), K(420), K(500), K(600)}};
static const bp_table bp_pm25_2026 = {8, {0, K(35), K(60),  K(115), K(150), K(250), K(350), K(500)}};
/* clang-format on */

#define BIT(x) (1u << (x))

/* ---- Editions ----------------------------------------------------------------------- */

typedef struct edition_rules {
    aqi_rules id;
    const bp_table *pm10, *pm25;
    /* Input rounding step in thousandths, 0 = none. 2026 §4.2.2: SO2, NO2, O3, PM10, PM2.5
     * to integers (µg/m³), CO to 0.1 mg/m³, by GB/T 8170. HJ 633—2012 has no such clause
     * (it defers to the monitoring specifications); values are taken as given. */
    int64_t round_ugm3, round_co;
    /* Above the end of the SO2 1-h / O3 8-h rows: a flat IAQI (2026 Table 1 notes: SO2 1-h
     * > 800 → 200, O3 8-h > 800 → 300), or AQI_NONE = no IAQI from that value, use the
     * fallback item (2012 Table 1 notes 2 and 3: SO2 → 24-h, O3 → 1-h). */
    int so2_1h_over_flat, o3_8h_over_flat;
    /* Items of each report. 2012 §5 (日报和实时报): daily = five 24-h means + O3 daily max 1-h +
     * O3 daily max 8-h. 2026 §4: daily = five daily means + O3 daily max 8-h (O3 1-h
     * dropped). Real-time: 2026 §4 and §4.2.4, six 1-h values with PM on the daily
     * breakpoints. 2012 §5 lists the 8-h O3 and 24-h PM moving means too, but the national
     * real-time AQI has been published from the six 1-h values (reproduced 1,260/1,260 on a
     * 2018 CNEMC snapshot; docs/air-rules.md), so the same set is used for 2012. */
    unsigned daily_items, hourly_items;
    bool exceeding;   /* 2012 §4.4 超标污染物; deleted in 2026 */
    bool publish_531; /* 2026 §5.3.1: with gaps, publish AQI only if > 100 */
} edition_rules;

#define HOURLY_SIX                                                                                 \
    (BIT(AQI_SO2_1H) | BIT(AQI_NO2_1H) | BIT(AQI_PM10_1H) | BIT(AQI_CO_1H) | BIT(AQI_O3_1H) |      \
     BIT(AQI_PM25_1H))
#define DAILY_FIVE                                                                                 \
    (BIT(AQI_SO2_24H) | BIT(AQI_NO2_24H) | BIT(AQI_PM10_24H) | BIT(AQI_CO_24H) | BIT(AQI_PM25_24H))

static const edition_rules editions[] = {
    {
        .id = AQI_RULES_2012,
        .pm10 = &bp_pm10_2012,
        .pm25 = &bp_pm25_2012,
        .round_ugm3 = 0,
        .round_co = 0,
        .so2_1h_over_flat = AQI_NONE,
        .o3_8h_over_flat = AQI_NONE,
        .daily_items = DAILY_FIVE | BIT(AQI_O3_1H) | BIT(AQI_O3_8H),
        .hourly_items = HOURLY_SIX,
        .exceeding = true,
        .publish_531 = false,
    },
    {
        .id = AQI_RULES_2026,
        .pm10 = &bp_pm10_2026,
        .pm25 = &bp_pm25_2026,
        .round_ugm3 = 1000,
        .round_co = 100,
        .so2_1h_over_flat = 200,
        .o3_8h_over_flat = 300,
        .daily_items = DAILY_FIVE | BIT(AQI_O3_8H),
        .hourly_items = HOURLY_SIX,
        .exceeding = false,
        .publish_531 = true,
    },
};

/* Fallbacks of HJ 633—2012 Table 1 notes 2 and 3: when `item` has no IAQI (value above
 * 800), the pollutant's IAQI comes from `from`. Under 2026 the flat values above make these
 * unused (aqi_iaqi never fails there). */
static const struct {
    aqi_item item, from;
} fallbacks[] = {
    {AQI_SO2_1H, AQI_SO2_24H},
    {AQI_O3_8H, AQI_O3_1H},
};

static const edition_rules *edition_of(aqi_rules r)
{
    for (size_t i = 0; i < sizeof editions / sizeof editions[0]; i++)
        if (editions[i].id == r)
            return &editions[i];
    return NULL;
}

aqi_rules aqi_rules_in_force(int bj_year, int bj_mon, int bj_day)
{
    return ew_edition_on(bj_year, bj_mon, bj_day);
}

/* ---- Items -------------------------------------------------------------------------- */

static const struct {
    const char *name;
    aqi_pollutant pollutant;
} items[AQI_ITEM_COUNT] = {
    [AQI_SO2_24H] = {"SO2_24h", AQI_SO2},     [AQI_SO2_1H] = {"SO2_1h", AQI_SO2},
    [AQI_NO2_24H] = {"NO2_24h", AQI_NO2},     [AQI_NO2_1H] = {"NO2_1h", AQI_NO2},
    [AQI_PM10_24H] = {"PM10_24h", AQI_PM10},  [AQI_PM10_1H] = {"PM10_1h", AQI_PM10},
    [AQI_CO_24H] = {"CO_24h", AQI_CO},        [AQI_CO_1H] = {"CO_1h", AQI_CO},
    [AQI_O3_1H] = {"O3_1h", AQI_O3},          [AQI_O3_8H] = {"O3_8h", AQI_O3},
    [AQI_PM25_24H] = {"PM2.5_24h", AQI_PM25}, [AQI_PM25_1H] = {"PM2.5_1h", AQI_PM25},
};

static const char *const pollutant_names[AQI_POLLUTANT_COUNT] = {"SO2", "NO2", "PM10",
                                                                 "CO",  "O3",  "PM2.5"};
/* HJ 633 Table 1 headings. */
static const char *const pollutant_names_zh[AQI_POLLUTANT_COUNT] = {
    "二氧化硫", "二氧化氮", "颗粒物(PM10)", "一氧化碳", "臭氧", "细颗粒物(PM2.5)"};

static bool item_valid(aqi_item it)
{
    return (unsigned)it < AQI_ITEM_COUNT;
}

const char *aqi_item_name(aqi_item it)
{
    return item_valid(it) ? items[it].name : NULL;
}

aqi_pollutant aqi_item_pollutant(aqi_item it)
{
    return item_valid(it) ? items[it].pollutant : AQI_POLLUTANT_COUNT;
}

const char *aqi_pollutant_name(aqi_pollutant p)
{
    return (unsigned)p < AQI_POLLUTANT_COUNT ? pollutant_names[p] : NULL;
}

const char *aqi_pollutant_name_zh(aqi_pollutant p)
{
    return (unsigned)p < AQI_POLLUTANT_COUNT ? pollutant_names_zh[p] : NULL;
}

bool aqi_item_is_mg(aqi_item it)
{
    return it == AQI_CO_24H || it == AQI_CO_1H;
}

static const bp_table *table_of(const edition_rules *e, aqi_item it)
{
    switch (it) {
    case AQI_SO2_24H:
        return &bp_so2_24h;
    case AQI_SO2_1H:
        return &bp_so2_1h;
    case AQI_NO2_24H:
        return &bp_no2_24h;
    case AQI_NO2_1H:
        return &bp_no2_1h;
    case AQI_PM10_24H:
    case AQI_PM10_1H: /* 2026 §4.2.4: 1-h PM on the daily breakpoints */
        return e->pm10;
    case AQI_CO_24H:
        return &bp_co_24h;
    case AQI_CO_1H:
        return &bp_co_1h;
    case AQI_O3_1H:
        return &bp_o3_1h;
    case AQI_O3_8H:
        return &bp_o3_8h;
    case AQI_PM25_24H:
    case AQI_PM25_1H:
        return e->pm25;
    default:
        return NULL;
    }
}

/* ---- IAQI --------------------------------------------------------------------------- */

/* Eq. 1 on table t for c ≥ 0 within the table (c ≤ t->bp[n-1]). A value on a breakpoint
 * takes the lower segment and gives exactly that level. */
static int interpolate(const bp_table *t, int64_t c)
{
    int k = 1;
    while (c > t->bp[k])
        k++;
    int64_t num = (int64_t)(iaqi_level[k] - iaqi_level[k - 1]) * (c - t->bp[k - 1]);
    int64_t den = t->bp[k] - t->bp[k - 1];
    /* num ≥ 0, den > 0: integer ceiling. */
    return iaqi_level[k - 1] + (int)((num + den - 1) / den);
}

/* The concentration that enters eq. 1 under edition e. */
static int64_t rounded_input(const edition_rules *e, aqi_item it, int64_t c)
{
    int64_t step = aqi_item_is_mg(it) ? e->round_co : e->round_ugm3;
    return step > 0 ? ew_round_8170(c, step) : c;
}

/* IAQI of an already rounded, non-negative concentration. */
static int iaqi_of(const edition_rules *e, aqi_item it, int64_t c, int *out)
{
    const bp_table *t = table_of(e, it);
    if (c <= t->bp[t->n - 1]) {
        *out = interpolate(t, c);
        return 0;
    }
    /* Above the row's last breakpoint. Rows that stop early carry the special rules. */
    if (it == AQI_SO2_1H || it == AQI_O3_8H) {
        int flat = it == AQI_SO2_1H ? e->so2_1h_over_flat : e->o3_8h_over_flat;
        *out = flat;
        return flat == AQI_NONE ? AQI_ERR_UNDEFINED : 0;
    }
    /* Above IAQI 500: no extrapolation rule in either edition. */
    *out = AQI_BEYOND_SCALE;
    return 0;
}

int aqi_iaqi(aqi_rules r, aqi_item it, int64_t c_milli, int *out)
{
    const edition_rules *e = edition_of(r);
    *out = AQI_NONE;
    if (!e || !item_valid(it) || c_milli == AQI_NA)
        return AQI_ERR_ITEM;
    if (c_milli < 0)
        return AQI_ERR_NEGATIVE;
    return iaqi_of(e, it, rounded_input(e, it, c_milli), out);
}

/* ---- Reports ------------------------------------------------------------------------ */

void aqi_input_init(aqi_input *in)
{
    for (int i = 0; i < AQI_ITEM_COUNT; i++)
        in->milli[i] = AQI_NA;
}

int aqi_compute(aqi_rules r, aqi_period p, const aqi_input *in, aqi_result *out, aqi_item *bad)
{
    const edition_rules *e = edition_of(r);
    if (!e || (p != AQI_HOURLY && p != AQI_DAILY))
        return AQI_ERR_ITEM;
    for (int i = 0; i < AQI_ITEM_COUNT; i++) {
        if (in->milli[i] != AQI_NA && in->milli[i] < 0) {
            if (bad)
                *bad = (aqi_item)i;
            return AQI_ERR_NEGATIVE;
        }
    }

    aqi_result res;
    memset(&res, 0, sizeof res);
    res.rules = r;
    res.period = p;
    unsigned set = p == AQI_DAILY ? e->daily_items : e->hourly_items;
    unsigned undefined = 0; /* items whose value has no IAQI (2012 > 800) */
    unsigned used = 0;      /* items whose IAQI enters the report */

    for (int i = 0; i < AQI_ITEM_COUNT; i++) {
        res.iaqi[i] = AQI_NONE;
        res.used_milli[i] = AQI_NA;
        if (in->milli[i] == AQI_NA)
            continue;
        int64_t c = rounded_input(e, (aqi_item)i, in->milli[i]);
        res.used_milli[i] = c;
        if (c != in->milli[i])
            res.notes |= AQI_NOTE_INPUT_ROUNDED;
        if (iaqi_of(e, (aqi_item)i, c, &res.iaqi[i]) == AQI_ERR_UNDEFINED)
            undefined |= BIT(i);
        if (res.iaqi[i] == AQI_BEYOND_SCALE && (set & BIT(i)))
            res.notes |= AQI_NOTE_BEYOND_SCALE;
        if ((set & BIT(i)) && i == AQI_SO2_1H && c > K(800))
            res.notes |= AQI_NOTE_SO2_1H_OVER_800;
        if ((set & BIT(i)) && i == AQI_O3_8H && c > K(800))
            res.notes |= AQI_NOTE_O3_8H_OVER_800;
    }

    for (int pol = 0; pol < AQI_POLLUTANT_COUNT; pol++)
        res.pollutant_iaqi[pol] = AQI_NONE;
    for (int i = 0; i < AQI_ITEM_COUNT; i++) {
        if (!(set & BIT(i)))
            continue;
        int v = res.iaqi[i];
        int pol = items[i].pollutant;
        if (res.used_milli[i] == AQI_NA) {
            res.missing |= BIT(pol);
            continue;
        }
        used |= BIT(i);
        if (undefined & BIT(i)) {
            /* 2012 notes 2 and 3: the pollutant is reported from the fallback item. */
            v = AQI_NONE;
            for (size_t f = 0; f < sizeof fallbacks / sizeof fallbacks[0]; f++) {
                if (fallbacks[f].item != (aqi_item)i)
                    continue;
                aqi_item from = fallbacks[f].from;
                if (res.iaqi[from] != AQI_NONE) {
                    v = res.iaqi[from];
                    used |= BIT(from);
                    if (v == AQI_BEYOND_SCALE)
                        res.notes |= AQI_NOTE_BEYOND_SCALE;
                }
            }
            if (v == AQI_NONE)
                res.missing |= BIT(pol);
        }
        if (v > res.pollutant_iaqi[pol])
            res.pollutant_iaqi[pol] = v;
    }
    for (int i = 0; i < AQI_ITEM_COUNT; i++)
        if (res.used_milli[i] != AQI_NA && !(used & BIT(i)))
            res.ignored |= BIT(i);
    /* 2012 daily, O3: the 1-h and 8-h rows are two indicators of one pollutant; a missing 8-h
     * value with a valid 1-h value still leaves the pollutant partly unknown, hence `missing`
     * above. A pollutant whose every item is missing has pollutant_iaqi AQI_NONE. */

    /* Eq. 2: AQI = max IAQI. IAQIs are already rounded up, so the max is too. */
    res.aqi = AQI_NONE;
    for (int pol = 0; pol < AQI_POLLUTANT_COUNT; pol++)
        if (res.pollutant_iaqi[pol] > res.aqi)
            res.aqi = res.pollutant_iaqi[pol];
    res.level = aqi_level(res.aqi);
    for (int pol = 0; pol < AQI_POLLUTANT_COUNT; pol++) {
        int v = res.pollutant_iaqi[pol];
        /* Primary pollutant(s): AQI > 50, largest IAQI, ties all listed (2012 §4.4.2, 2026
         * §4.3.1). */
        if (res.aqi > 50 && v == res.aqi)
            res.primary |= BIT(pol);
        /* 2012 §4.4: exceeding pollutant = IAQI > 100. */
        if (e->exceeding && v > 100)
            res.exceeding |= BIT(pol);
    }
    if (res.aqi == AQI_NONE)
        res.publishable = false;
    else if (e->publish_531)
        res.publishable = res.missing == 0 || res.aqi > 100;
    else
        res.publishable = true;
    *out = res;
    return 0;
}

int aqi_hourly(aqi_rules r, const aqi_input *in, aqi_result *out, aqi_item *bad)
{
    return aqi_compute(r, AQI_HOURLY, in, out, bad);
}

int aqi_daily(aqi_rules r, const aqi_input *in, aqi_result *out, aqi_item *bad)
{
    return aqi_compute(r, AQI_DAILY, in, out, bad);
}

/* ---- Levels ------------------------------------------------------------------------- */

/* HJ 633—2012 Table 2 and Appendix A; HJ 633—2026 level table and Appendix A (normative): same
 * ranges, categories and colours. 2026 writes level I as 1–50; an AQI of 0 (all
 * concentrations zero) is put in level I. */
/* clang-format off: one level per row reads as the standard's table. */
static const aqi_level_info levels[6] = {
    {1,
     0,
     50,
     "一级",
     "I",
     "优",
     "Excellent",
     "绿色",
     "green",
     "#00E400",
     {0, 228, 0},
     {40, 0, 100, 0}},
    {2,
     51,
     100,
     "二级",
     "II",
     "良",
     "Good",
     "黄色",
     "yellow",
     "#FFFF00",
     {255, 255, 0},
     {0, 0, 100, 0}},
    {3,
     101,
     150,
     "三级",
     "III",
     "轻度污染",
     "Lightly polluted",
     "橙色",
     "orange",
     "#FF7E00",
     {255, 126, 0},
     {0, 52, 100, 0}},
    {4,
     151,
     200,
     "四级",
     "IV",
     "中度污染",
     "Moderately polluted",
     "红色",
     "red",
     "#FF0000",
     {255, 0, 0},
     {0, 100, 100, 0}},
    {5,
     201,
     300,
     "五级",
     "V",
     "重度污染",
     "Heavily polluted",
     "紫色",
     "purple",
     "#99004C",
     {153, 0, 76},
     {10, 100, 40, 30}},
    {6,
     301,
     500,
     "六级",
     "VI",
     "严重污染",
     "Severely polluted",
     "褐红色",
     "maroon",
     "#7E0023",
     {126, 0, 35},
     {30, 100, 100, 30}},
};
/* clang-format on */

int aqi_level(int aqi)
{
    if (aqi < 0)
        return 0;
    for (int i = 0; i < 5; i++)
        if (aqi <= levels[i].aqi_hi)
            return levels[i].level;
    return 6;
}

const aqi_level_info *aqi_level_info_of(int level)
{
    return level >= 1 && level <= 6 ? &levels[level - 1] : NULL;
}

/* ---- Names of the national dataset -------------------------------------------------- */

typedef struct name_map {
    const char *name;
    aqi_item item;
} name_map;

/* Daily files: plain names are daily means; "O3" is the daily max 1-h value, "O3_8h" the
 * daily max 8-h value. */
static const name_map daily_names[] = {
    {"SO2", AQI_SO2_24H},        {"SO2_24h", AQI_SO2_24H}, {"NO2", AQI_NO2_24H},
    {"NO2_24h", AQI_NO2_24H},    {"PM10", AQI_PM10_24H},   {"PM10_24h", AQI_PM10_24H},
    {"CO", AQI_CO_24H},          {"CO_24h", AQI_CO_24H},   {"O3", AQI_O3_1H},
    {"O3_1h", AQI_O3_1H},        {"O3_8h", AQI_O3_8H},     {"PM2.5", AQI_PM25_24H},
    {"PM2.5_24h", AQI_PM25_24H},
};
/* Hourly files (national real-time layout): plain names are 1-h values, "_24h" 24-h moving
 * means, "O3_8h" the 8-h moving mean. */
static const name_map hourly_names[] = {
    {"SO2", AQI_SO2_1H},    {"SO2_1h", AQI_SO2_1H},    {"SO2_24h", AQI_SO2_24H},
    {"NO2", AQI_NO2_1H},    {"NO2_1h", AQI_NO2_1H},    {"NO2_24h", AQI_NO2_24H},
    {"PM10", AQI_PM10_1H},  {"PM10_1h", AQI_PM10_1H},  {"PM10_24h", AQI_PM10_24H},
    {"CO", AQI_CO_1H},      {"CO_1h", AQI_CO_1H},      {"CO_24h", AQI_CO_24H},
    {"O3", AQI_O3_1H},      {"O3_1h", AQI_O3_1H},      {"O3_8h", AQI_O3_8H},
    {"PM2.5", AQI_PM25_1H}, {"PM2.5_1h", AQI_PM25_1H}, {"PM2.5_24h", AQI_PM25_24H},
};

int aqi_item_parse(aqi_period p, const char *name, size_t n, aqi_item *out)
{
    const name_map *m = p == AQI_DAILY ? daily_names : hourly_names;
    size_t count = p == AQI_DAILY ? sizeof daily_names / sizeof daily_names[0]
                                  : sizeof hourly_names / sizeof hourly_names[0];
    for (size_t i = 0; i < count; i++) {
        if (strlen(m[i].name) == n && memcmp(m[i].name, name, n) == 0) {
            *out = m[i].item;
            return 0;
        }
    }
    return -1;
}
