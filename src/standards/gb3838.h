/* gb3838: surface-water quality classes of GB 3838-2002 and their evaluation under the
 * 《地表水环境质量评价办法（试行）》 (环办〔2011〕22号, "the 2011 method"), in exact arithmetic.
 *
 * What it answers: the class (I..V, 劣V) of one item's value (Table 1, basic items), the
 * class of a section's sample or period (single-factor method: the worst evaluated item),
 * the qualitative grade (优 .. 重度污染), exceedance multiples against a reference class
 * (Class III, or the section's target class), period values (mean of the period's results)
 * and the share of sections meeting their targets.
 *
 * Units and representation. A value is an int64 count of millionths of the item's unit in
 * Table 1: mg/L for the chemical items, pH units for pH, 个/L for faecal coliform, ℃ for
 * water temperature. Table 1's smallest limit (Hg 0.00005 mg/L) is 50 millionths, so every
 * limit is an exact integer and "equal to the limit" is decided exactly (a double would not
 * hold 0.00005 or 0.025). GB3838_NA marks a missing value.
 *
 * Limits are inclusive (Table 1 writes "≤" and "≥"): a value equal to a class's limit meets
 * that class, and an item's class is the best class whose limit it meets. COD 15 is Class I
 * (Classes I and II share the limit 15); DO 5 is Class III; a value beyond Class V is 劣V.
 *
 * Pure functions over caller-owned data: no allocation, no I/O, no state. Every fallible
 * function follows base/err.h; on failure its outputs are left as they were. */
#ifndef EW_STANDARDS_GB3838_H
#define EW_STANDARDS_GB3838_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define GB3838_MICRO 1000000 /* millionths per unit: 1 mg/L = 1000000 */
#define GB3838_NA INT64_MIN  /* a missing value */

/* The 24 basic items of GB 3838-2002 Table 1, in the table's order (item numbers 1..24 are
 * the enum values + 1). Sets of items are bit masks of (1u << gb3838_item). */
typedef enum gb3838_item {
    GB3838_TEMP,     /* 1 水温, ℃ (no class: man-made change limits only) */
    GB3838_PH,       /* 2 pH, dimensionless */
    GB3838_DO,       /* 3 溶解氧 ≥ */
    GB3838_CODMN,    /* 4 高锰酸盐指数 */
    GB3838_COD,      /* 5 化学需氧量 */
    GB3838_BOD5,     /* 6 五日生化需氧量 */
    GB3838_NH3N,     /* 7 氨氮 */
    GB3838_TP,       /* 8 总磷 (as P; rivers and lakes/reservoirs differ) */
    GB3838_TN,       /* 9 总氮 (lakes/reservoirs only, as N) */
    GB3838_CU,       /* 10 铜 */
    GB3838_ZN,       /* 11 锌 */
    GB3838_F,        /* 12 氟化物 (as F-) */
    GB3838_SE,       /* 13 硒 */
    GB3838_AS,       /* 14 砷 */
    GB3838_HG,       /* 15 汞 */
    GB3838_CD,       /* 16 镉 */
    GB3838_CR6,      /* 17 铬（六价） */
    GB3838_PB,       /* 18 铅 */
    GB3838_CN,       /* 19 氰化物 */
    GB3838_PHENOL,   /* 20 挥发酚 */
    GB3838_OIL,      /* 21 石油类 */
    GB3838_LAS,      /* 22 阴离子表面活性剂 */
    GB3838_S2,       /* 23 硫化物 */
    GB3838_COLIFORM, /* 24 粪大肠菌群, 个/L */
    GB3838_ITEM_COUNT
} gb3838_item;

#define GB3838_BIT(it) (1u << (it))

/* The kind of water body: lakes and reservoirs (湖、库) have their own TP column and the TN
 * row; everything else is judged as a river. */
typedef enum gb3838_water { GB3838_RIVER, GB3838_LAKE } gb3838_water;

/* Classes: 1..5 = I..V, 6 = 劣V (worse than V). GB3838_CLASS_NONE: no class (no value, or no
 * limit for this item in this water). */
enum {
    GB3838_CLASS_NONE = 0,
    GB3838_CLASS_I = 1,
    GB3838_CLASS_II = 2,
    GB3838_CLASS_III = 3,
    GB3838_CLASS_IV = 4,
    GB3838_CLASS_V = 5,
    GB3838_CLASS_WORSE_V = 6
};

/* "I", "II", "III", "IV", "V", "劣V" for 1..6; NULL otherwise. Static strings. */
const char *gb3838_class_name(int cls);
/* Parse "I".."V" or "劣V" (n bytes; "1".."5" accepted too). Returns 0, or EW_EINVALID. */
int gb3838_class_parse(const char *s, size_t n, int *out) EW_MUST_CHECK;

/* Names: "temp", "pH", "DO", "CODMn", "COD", "BOD5", "NH3-N", "TP", "TN", "Cu", "Zn", "F",
 * "Se", "As", "Hg", "Cd", "Cr6", "Pb", "CN", "phenol", "oil", "LAS", "S2-", "coliform";
 * gb3838_item_name_zh: Table 1's names. Static strings; NULL out of range. */
const char *gb3838_item_name(gb3838_item it);
const char *gb3838_item_name_zh(gb3838_item it);
/* The item a name above denotes (n bytes, exact case). Returns 0, or EW_ENOTFOUND. */
int gb3838_item_parse(const char *s, size_t n, gb3838_item *out) EW_MUST_CHECK;

/* True for the 21 items that enter a section's class under the 2011 method §一(一)1: Table 1
 * less water temperature, total nitrogen and faecal coliform, for rivers and lakes alike.
 * Those three are reference items: classed where Table 1 allows (TN in lakes, coliform)
 * and reported, never part of the section's class. */
bool gb3838_item_evaluated(gb3838_item it);

/* The limit of class cls (1..5) for item it in water w, in millionths: *lo_micro is the
 * lower bound (DO: "≥"; pH: 6), *hi_micro the upper bound (the "≤" items; pH: 9); the side
 * without a bound is GB3838_NA. Returns 0; EW_ENOTFOUND when Table 1 sets no class limit
 * (water temperature; TN in rivers); EW_EINVALID for an item, water or class out of range.
 * On failure *lo_micro and *hi_micro are unchanged. */
int gb3838_limit(gb3838_water w, gb3838_item it, int cls, int64_t *lo_micro,
                 int64_t *hi_micro) EW_MUST_CHECK;

/* The class (1..6) of value v_micro of item it in water w: the best class whose limit v
 * meets, 6 (劣V) beyond Class V. pH has one range for all classes: inside 6..9 it is Class
 * I (it never worsens a section), outside 劣V. DO Class I is taken as 7.5 mg/L (Table 1
 * allows "饱和率 90 % (或 7.5)"; saturation is not computed here). Returns 0 and sets *cls;
 * EW_ENOTFOUND for items without class limits (see gb3838_limit); EW_EINVALID for a
 * negative value, pH above 14, GB3838_NA, or arguments out of range (err says which).
 * On failure *cls is unchanged. */
int gb3838_item_class(gb3838_water w, gb3838_item it, int64_t v_micro, int *cls, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* Exceedance multiple (超标倍数) of v_micro against the limit of class ref_cls (1..5):
 * (C − L) / L, in thousandths, rounded half-even (GB/T 8170). 2011 method: computed against
 * Class III for sections; the zone also tracks it against a section's target class, so the
 * class is a parameter. Not defined for water temperature, pH and DO (the 2011 method
 * computes none for them) nor for items without a limit in w. Returns 1 and sets
 * *multiple_milli when C > L; returns 0 and sets *multiple_milli to 0 when C ≤ L; EW_ENOTFOUND
 * when no multiple is defined; EW_EINVALID for bad arguments (*multiple_milli unchanged). */
int gb3838_multiple(gb3838_water w, gb3838_item it, int ref_cls, int64_t v_micro,
                    int64_t *multiple_milli) EW_MUST_CHECK;

/* One sample or one period's values of a section: v[it] in millionths or GB3838_NA.
 * below_dl: bits of items whose result was below the detection limit; v[it] then holds the
 * detection limit itself (see gb3838_mean). */
typedef struct gb3838_sample {
    int64_t v[GB3838_ITEM_COUNT];
    uint32_t below_dl;
} gb3838_sample;

/* Set every value of s to GB3838_NA and below_dl to 0. */
void gb3838_sample_init(gb3838_sample *s);

typedef struct gb3838_result {
    gb3838_water water;
    /* The section's class: the worst class among the evaluated items present (2011 method
     * §二 断面水质评价, 单因子评价法), 1..6; GB3838_CLASS_NONE when no evaluated item has a value.
     */
    int cls;
    /* Per item: its class (1..6), including the reference items Table 1 classes (TN in
     * lakes, coliform); GB3838_CLASS_NONE when absent or not classable. */
    int item_cls[GB3838_ITEM_COUNT];
    uint32_t evaluated; /* items that entered cls */
    uint32_t reference; /* items present but not entering cls (temp, TN, coliform) */
    uint32_t worst;     /* evaluated items whose class is cls (ties: all); 0 if cls is NONE */
    /* Target class given to gb3838_assess (1..5), or GB3838_CLASS_NONE for none. */
    int target;
    /* cls ≤ target (false when either is NONE). */
    bool meets_target;
    /* Evaluated items whose class is worse than target, and their exceedance multiples
     * against the target class's limit (thousandths; GB3838_NA for pH and DO, which have no
     * multiple, and for items not in over_target). */
    uint32_t over_target;
    int64_t multiple_milli[GB3838_ITEM_COUNT];
} gb3838_result;

/* Evaluate a sample (or a period's values) of a section in water w against target class
 * target (1..5, or GB3838_CLASS_NONE). Items with GB3838_NA are absent. Returns 0 and fills
 * *out; EW_EINVALID (err names the item and value) for a negative value, pH above 14, or
 * w/target out of range; *out is then unchanged. */
int gb3838_assess(gb3838_water w, const gb3838_sample *s, int target, gb3838_result *out, char *err,
                  size_t errcap) EW_MUST_CHECK;

/* Qualitative grade (水质状况) of a section, 2011 method §二 断面水质定性评价 table: I–II 优, III
 * 良好, IV 轻度污染, V 中度污染, 劣V 重度污染. Also the grade of a river or basin, see
 * gb3838_river_grade. */
typedef enum gb3838_grade {
    GB3838_GRADE_NONE = 0,
    GB3838_GRADE_EXCELLENT, /* 优 */
    GB3838_GRADE_GOOD,      /* 良好 */
    GB3838_GRADE_LIGHT,     /* 轻度污染 */
    GB3838_GRADE_MODERATE,  /* 中度污染 */
    GB3838_GRADE_HEAVY      /* 重度污染 */
} gb3838_grade;

/* The grade of a section of class cls (1..6); GB3838_GRADE_NONE for anything else. */
gb3838_grade gb3838_grade_of(int cls);
/* "优", "良好", "轻度污染", "中度污染", "重度污染"; gb3838_grade_name_en: "excellent",
 * "good", "light", "moderate", "heavy". Static strings; NULL for NONE or out of range. */
const char *gb3838_grade_name_zh(gb3838_grade g);
const char *gb3838_grade_name_en(gb3838_grade g);

/* Grade of a river, basin or region from the classes of its n sections (2011 method §二
 * 河流、流域（水系）水质评价, 断面水质类别比例法), n ≥ 5:
 *   I–III ≥ 90 % 优; 75 % ≤ I–III < 90 % 良好; I–III < 75 % and 劣V < 20 % 轻度污染;
 *   I–III < 75 % and 20 % ≤ 劣V < 40 % 中度污染; I–III < 75 % and 劣V ≥ 40 % 重度污染.
 * (Some copies write "I–III < 60 %" for 重度, which leaves exactly 60 %/40 % ungraded; the
 * gap-free < 75 % form is used.) Shares are compared exactly (10·k ≥ 9·n, …). Sections with
 * class GB3838_CLASS_NONE are not counted. With fewer than 5 classed sections the method
 * averages each item's concentration over the sections and grades that mean as one section
 * (gb3838_mean + gb3838_assess + gb3838_grade_of): this function returns EW_EINVALID then.
 * Returns 0 and sets *out; EW_EINVALID for fewer than 5 sections or a class out of range. */
int gb3838_river_grade(const int *classes, size_t n, gb3838_grade *out) EW_MUST_CHECK;

/* Evaluation decimals of an item (2020 statistics rule, 环办监测函〔2020〕82号, as the
 * national implementations apply it): temp 1, pH 0, DO 1, CODMn 1, COD 1, BOD5 1, NH3-N 2,
 * TP 3, TN 2, Cu 3, Zn 3, F 3, Se 4, As 4, Hg 5, Cd 5, Cr6 3, Pb 3, CN 3, phenol 4, oil 2,
 * LAS 2, S2- 3, coliform 0. -1 out of range. */
int gb3838_eval_decimals(gb3838_item it);

/* The period value of item it from n results v_micro[0..n) (GB3838_NA entries are skipped;
 * nd, when not NULL, flags results below the detection limit, whose v_micro is the
 * detection limit): the arithmetic mean (2011 method §一(二): a period with several results
 * takes their mean), with each below-limit result entering as half its detection limit
 * (2020 statistics rule, item 7). When round_eval is true the mean is rounded half-even
 * (GB/T 8170) to gb3838_eval_decimals(it) places; a non-zero mean that would round to 0
 * keeps one significant digit instead. pH is averaged arithmetically (one implementation
 * averages [H+]; that variant is not provided). Returns the number of results used (≥ 1)
 * and sets *mean_micro; EW_ENOTFOUND when no result is present; EW_EINVALID for a negative
 * value or item out of range (*mean_micro unchanged). */
int gb3838_mean(gb3838_item it, const int64_t *v_micro, const bool *nd, size_t n, bool round_eval,
                int64_t *mean_micro) EW_MUST_CHECK;

/* The period values of a section from n samples: per item, gb3838_mean over the samples
 * that have it (below_dl honoured), written to *out (items without any result stay
 * GB3838_NA; out->below_dl is 0). Then gb3838_assess(w, out, …) gives the period's class.
 * Returns 0; EW_EINVALID (err names the item and sample) for a negative value; *out is then
 * unchanged. */
int gb3838_period(const gb3838_sample *samples, size_t n, bool round_eval, gb3838_sample *out,
                  char *err, size_t errcap) EW_MUST_CHECK;

/* Share of sections meeting their target (断面达标率): of the n results whose cls and target
 * are both set, those with cls ≤ target. */
typedef struct gb3838_share {
    size_t assessed;   /* results with a class and a target */
    size_t meeting;    /* of those, cls ≤ target */
    size_t worse_v;    /* of those, 劣V */
    int64_t pct_milli; /* meeting / assessed × 100, thousandths of a percent, half-even;
                          GB3838_NA when assessed is 0 */
} gb3838_share;

void gb3838_share_of(const gb3838_result *r, size_t n, gb3838_share *out);

#endif
