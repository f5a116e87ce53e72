/* exceed: exceedance of an outlet's hourly or daily values against its limits, episodes of
 * consecutive exceeding periods, seasonal limits, and the gate of marks (标记).
 *
 * What counts as an exceedance (docs/source-standards.md has the sources):
 *  - Flue gas: each valid hourly mean, converted to the reference O2 where the standard
 *    requires it (fluegas_hour.judged_milli), above the hourly limit; wastewater: each valid
 *    daily mean (ww_day.mean_milli) above the daily limit; pH: each valid value outside its
 *    range (permit technical specifications, e.g. HJ 942; reference notes: exceedance is
 *    judged on valid hourly / daily means).
 *  - A value exactly at the limit complies: the limits of the emission standards are
 *    maxima not to be exceeded, so only C > L exceeds; a range limit exceeds only strictly outside
 *    [lo, hi].
 *  - Exceedance multiple (超标倍数) = (C − L) / L = C/L − 1, in thousandths; none for a range
 *    limit (pH), as for pH in GB 3838 practice. The national platform carries it as
 *    `overMultiples` (企业回流自动监控数据接口说明 V1.6).
 *  - Seasonal limits: an outlet item may have summer / winter standards with their start
 *    dates (the same interface's monitoring-item config); the limit in force is chosen by the
 *    Beijing-time calendar date of the period's start.
 *  - Marks: data covered by a mark whose class invalidates it are not used to judge
 *    exceedance (污染物排放自动监测设备标记规则, MEE 公告 2022 年第 21 号:
 * "标记为无效的自动监测数据， 不作为超标判定依据"). Such exceedances are not dropped: they are
 * listed separately, with the classes of the marks that covered them, so that the judgement shows
 * which marks were honoured (and mark abuse can be screened).
 *  - Episodes: consecutive exceeding periods (each starting where the previous ended) merge
 *    into one episode with its start, end, number of periods, largest value and largest
 *    multiple. A missing, invalid, complying or marked period ends an unmarked episode;
 *    marked exceedances merge among themselves the same way.
 *
 * Units: thousandths of the value's unit; instants are UTC seconds. Pure functions over
 * caller-owned data: no allocation, no I/O, no state. On failure a function returns a
 * negative EW_E* code (base/err.h) and leaves its outputs unchanged, except where said. */
#ifndef EW_STANDARDS_EXCEED_H
#define EW_STANDARDS_EXCEED_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define EXCEED_NO_MULTIPLE INT64_MIN /* no multiple: complying value, or a range limit */

typedef enum exceed_kind {
    EXCEED_UPPER, /* a maximum: exceeds when C > max */
    EXCEED_RANGE, /* a range (pH 6–9): exceeds when C < lo or C > hi */
} exceed_kind;

typedef struct exceed_limit {
    exceed_kind kind;
    int64_t max_milli;          /* EXCEED_UPPER: > 0 */
    int64_t lo_milli, hi_milli; /* EXCEED_RANGE: lo ≤ hi */
} exceed_limit;

/* A seasonal limit: in force from month-day `from` to month-day `to`, both inclusive, as
 * mon * 100 + day (1115 = 15 November); from > to wraps over the new year (1115..0315). */
typedef struct exceed_season {
    int from_mmdd, to_mmdd;
    exceed_limit limit;
} exceed_season;

/* The limits of one outlet item: the base limit and optional seasons (first match wins). */
typedef struct exceed_limits {
    exceed_limit base;
    const exceed_season *seasons; /* borrowed; NULL when n_seasons is 0 */
    size_t n_seasons;
} exceed_limits;

/* The limit in force on Beijing-time date mon-day: the first season containing it, else the
 * base. *season is its index, or -1 for the base (season may be NULL). Returns EW_OK, or
 * EW_EINVALID for an impossible date (mon 1..12, day 1..31 of that month, 29 February
 * allowed), an invalid limit or season bound; outputs unchanged on error. */
int exceed_limit_on(const exceed_limits *l, int mon, int day, exceed_limit *out,
                    int *season) EW_MUST_CHECK;

typedef struct exceed_verdict {
    bool exceeds;
    /* (C − L) / L in thousandths, GB/T 8170, when an upper limit is exceeded; otherwise
     * EXCEED_NO_MULTIPLE. */
    int64_t multiple_milli;
} exceed_verdict;

/* Judge value v against limit l. Returns EW_OK, or EW_EINVALID for an invalid limit
 * (max ≤ 0, lo > hi, unknown kind) or |v| > 1e12 (out unchanged). */
int exceed_judge(const exceed_limit *l, int64_t v_milli, exceed_verdict *out) EW_MUST_CHECK;

/* Classes of marks, as the national platform's mark records (企业回流自动监控数据接口说明 V1.6
 * `revise_flag`); sub-classes (停运, 故障, 启停炉, …) belong to the mark record, not here. */
typedef enum exceed_mark_class {
    EXCEED_MARK_COMM_BREAK,   /* 通讯中断 */
    EXCEED_MARK_DEVICE_MAINT, /* 设备维护-污染物 (maintenance, calibration, fault, check) */
    EXCEED_MARK_MANUAL_VALUE, /* 手工监测值录入 */
    EXCEED_MARK_NON_LIABILITY, /* 非排污单位责任缺失/无效: 不可抗力, 长期停运关闭设备, 其他 */
    EXCEED_MARK_PARAM_MAINT, /* 设备维护-工况参数 (O2, flow, temperature instruments) */
    EXCEED_MARK_TREATMENT,   /* 治理设施工况 (treatment start-up, shut-down, fault) */
    EXCEED_MARK_PRODUCTION,  /* 生产设施工况 (production start-up, shut-down, 停运) */
    EXCEED_MARK_CEMS_SWITCH, /* CEMS 主备切换 */
    EXCEED_MARK_CLASS_COUNT
} exceed_mark_class;

typedef struct exceed_mark_info {
    exceed_mark_class cls;
    const char *name_zh;
    /* Data covered by a mark of this class are not judged. False only for the main/backup
     * switch, whose data keep coming from an accepted CEMS (a platform choice, see docs). */
    bool excludes;
} exceed_mark_info;

/* Info of a class, or NULL for a value out of range. Static data. */
const exceed_mark_info *exceed_mark_info_of(exceed_mark_class c);

/* A mark in force: the half-open interval [from_utc, to_utc) and its class. The caller passes
 * only marks in force (done, not deleted). */
typedef struct exceed_mark {
    int64_t from_utc, to_utc;
    exceed_mark_class cls;
} exceed_mark;

/* One period's value: its start, the value, and whether it is valid (fluegas_hour.valid with
 * a judged value; ww_day.valid). */
typedef struct exceed_point {
    int64_t t_utc;
    int64_t value_milli;
    bool valid;
} exceed_point;

/* A series of one outlet item: points in strictly increasing t_utc, each lasting period_s
 * (3600 for hourly means, 86400 for daily ones starting at Beijing midnight). All borrowed. */
typedef struct exceed_series {
    const exceed_point *points;
    size_t n_points;
    int64_t period_s;
    const exceed_limits *limits;
    const exceed_mark *marks;
    size_t n_marks;
} exceed_series;

/* An episode: consecutive exceeding periods. */
typedef struct exceed_episode {
    int64_t from_utc, to_utc;   /* start of the first period, end of the last (exclusive) */
    int periods;                /* number of periods (hours or days) */
    int64_t max_value_milli;    /* largest value; for a range limit, see min_value_milli too */
    int64_t min_value_milli;    /* smallest value */
    int64_t max_multiple_milli; /* largest multiple, EXCEED_NO_MULTIPLE for range limits */
    int64_t limit_milli;        /* the (upper) limit at the largest multiple; range: hi */
    /* Bits 1u << exceed_mark_class of the marks covering its periods (marked list only). */
    unsigned mark_classes;
} exceed_episode;

/* True when some mark of an excluding class overlaps [from, to); *classes (may be NULL)
 * receives the bits of every overlapping excluding class. */
bool exceed_marked(const exceed_mark *m, size_t n, int64_t from_utc, int64_t to_utc,
                   unsigned *classes);

/* The episodes of a series: judged exceedances into ep (capacity ep_cap), exceedances under
 * marks into marked (capacity marked_cap), each in time order. Returns EW_OK with the counts
 * in *n_ep and *n_marked. Errors: EW_EINVALID (points not increasing, period_s ≤ 0, a bad
 * limit, date or value, a mark with to ≤ from or an unknown class; outputs unchanged);
 * EW_EFULL when a capacity is too small: then only *n_ep and *n_marked are written, with the
 * capacities needed, and the arrays are untouched. */
int exceed_episodes(const exceed_series *s, exceed_episode *ep, size_t ep_cap, size_t *n_ep,
                    exceed_episode *marked, size_t marked_cap, size_t *n_marked) EW_MUST_CHECK;

#endif
