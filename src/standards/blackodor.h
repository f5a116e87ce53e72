/* blackodor: grading of urban black-odorous water (城市黑臭水体) by the 城市黑臭水体整治工作指南
 * (MOHURD with MEP, August 2015, "the guide"), and screening of online readings for a
 * treated water body turning black and odorous again (返黑返臭).
 *
 * Grading (the guide, 水质检测与分级): four indicators, transparency (SD, cm), dissolved
 * oxygen (DO, mg/L), oxidation-reduction potential (ORP, mV) and ammonia nitrogen (NH3-N,
 * mg/L), each graded per result as not black-odorous, light (轻度) or heavy (重度):
 *
 *   indicator   light (轻度)     heavy (重度)
 *   SD          25 ~ 10 (*)      < 10 (*)
 *   DO          0.2 ~ 2.0        < 0.2
 *   ORP         −200 ~ 50        < −200
 *   NH3-N       8.0 ~ 15         > 15
 *   (*) water shallower than 25 cm: taken as 40 % of the depth, see blackodor_level.
 *
 * The light ranges are read as printed, closed at both ends (SD exactly 25 cm, DO exactly 2.0,
 * ORP exactly 50, NH3-N exactly 8.0 are light). One public implementation treats the outer
 * ends as not black-odorous instead; the rules are data (blackodor_rules), so a programme that
 * reads them that way sets outer_inclusive to false.
 *
 * A point (检测点) and a water body are then graded from several results, as the guide says:
 * a point is heavy when one indicator has ≥ 60 % of its results at the heavy level, or at least
 * two indicators have ≥ 30 % of theirs there; otherwise light. Three or more consecutive heavy
 * points make the stretch between them heavy; ≥ 60 % heavy points make the whole body heavy.
 * ("60 % 以上", "不少于 2 项", "3 个以上" are read as inclusive.) The guide also asks for
 * points every 200–600 m, at least 3 per body, and at least 3 samplings 1–7 days apart; the
 * results below say whether those counts were met, they do not refuse fewer.
 *
 * Online sensors measure DO, ORP and NH3-N but no transparency, so they can only screen: a
 * reading "trips" when any of the three is at the light level or worse, and an alert is a run
 * of tripping readings lasting at least a configured time. Grading itself needs sampled data.
 *
 * Units: every value is an int64 count of thousandths of the unit above (SD 12.5 cm = 12500,
 * ORP −150 mV = −150000); BLACKODOR_NA marks a missing value. Pure functions, no allocation,
 * no state; on failure outputs are unchanged. */
#ifndef EW_STANDARDS_BLACKODOR_H
#define EW_STANDARDS_BLACKODOR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define BLACKODOR_NA INT64_MIN

typedef enum blackodor_indicator {
    BLACKODOR_SD,   /* 透明度, cm */
    BLACKODOR_DO,   /* 溶解氧, mg/L */
    BLACKODOR_ORP,  /* 氧化还原电位, mV */
    BLACKODOR_NH3N, /* 氨氮, mg/L */
    BLACKODOR_INDICATOR_COUNT
} blackodor_indicator;

/* Levels, ordered: a larger value is worse. */
typedef enum blackodor_level {
    BLACKODOR_NONE = 0,  /* 非黑臭 (or no data) */
    BLACKODOR_LIGHT = 1, /* 轻度黑臭 */
    BLACKODOR_HEAVY = 2, /* 重度黑臭 */
} blackodor_level;

/* "非黑臭", "轻度黑臭", "重度黑臭"; blackodor_level_name_en: "none", "light", "heavy". Static
 * strings; NULL out of range. */
const char *blackodor_level_name_zh(blackodor_level l);
const char *blackodor_level_name_en(blackodor_level l);
/* "SD", "DO", "ORP", "NH3-N". Static strings; NULL out of range. */
const char *blackodor_indicator_name(blackodor_indicator i);

/* The thresholds of one programme, thousandths. For SD, DO and ORP low values are bad: light
 * from light_bound down to heavy_bound, heavy below heavy_bound. For NH3-N high values are
 * bad: light from light_bound up to heavy_bound, heavy above. heavy_bound itself is light.
 * outer_inclusive: light_bound itself is light (true, the guide as printed) or not
 * black-odorous (false). shallow_depth and shallow_share: water shallower than
 * shallow_depth (cm, thousandths) judges SD against shallow_share (per mille) of the depth. */
typedef struct blackodor_rules {
    int64_t light_bound[BLACKODOR_INDICATOR_COUNT];
    int64_t heavy_bound[BLACKODOR_INDICATOR_COUNT];
    bool outer_inclusive;
    int64_t shallow_depth;
    int shallow_share;
    /* Point and body aggregation, per mille of results / points and counts. */
    int point_one_share; /* 600: one indicator with ≥ 60 % heavy results */
    int point_two_share; /* 300: two or more indicators with ≥ 30 % heavy results */
    int point_two_count; /* 2 */
    int body_run;        /* 3: consecutive heavy points make a heavy stretch */
    int body_share;      /* 600: heavy points making the whole body heavy */
    int min_points;      /* 3 points per body */
    int min_samplings;   /* 3 samplings per point */
} blackodor_rules;

/* The guide's rules (static data). */
extern const blackodor_rules blackodor_rules_2015;

/* The level of one result v_milli of indicator i. depth_milli is the water depth (cm,
 * thousandths) or BLACKODOR_NA; it matters only for SD: water shallower than
 * rules->shallow_depth is judged against 40 % of its depth (the guide's note (*)): SD at or
 * above the depth (clear to the bottom) is not black-odorous, SD below 40 % of the depth is
 * heavy, anything between light (the reading of one public implementation; the guide's note
 * gives the 40 % and no more). Returns the level (≥ 0), or EW_EINVALID for v = BLACKODOR_NA,
 * a negative SD, DO or NH3-N, an indicator out of range or a NULL rules. */
int blackodor_level_of(const blackodor_rules *rules, blackodor_indicator i, int64_t v_milli,
                       int64_t depth_milli) EW_MUST_CHECK;

/* One sampling at a point: the four results (BLACKODOR_NA = not measured) and the depth. */
typedef struct blackodor_sample {
    int64_t v[BLACKODOR_INDICATOR_COUNT];
    int64_t depth_milli;
} blackodor_sample;

/* Set every value and the depth of s to BLACKODOR_NA. */
void blackodor_sample_init(blackodor_sample *s);

typedef struct blackodor_point {
    blackodor_level level; /* the point's grade */
    /* Per indicator: results present and results at the heavy / at least the light level. */
    unsigned results[BLACKODOR_INDICATOR_COUNT];
    unsigned heavy[BLACKODOR_INDICATOR_COUNT];
    unsigned light_or_worse[BLACKODOR_INDICATOR_COUNT];
    unsigned heavy_by; /* bits (1u << indicator) with a heavy share ≥ point_two_share */
    size_t samplings;  /* samples given */
    bool enough;       /* samplings ≥ rules->min_samplings */
} blackodor_point;

/* Grade a point from its n samplings: heavy when one indicator has heavy results in at least
 * point_one_share per mille of its results, or point_two_count indicators in at least
 * point_two_share; otherwise light when any result is light or worse; otherwise NONE.
 * Returns 0 and fills *out; EW_EINVALID (err says which sample and indicator) for an invalid
 * result; *out unchanged then. */
int blackodor_grade_point(const blackodor_rules *rules, const blackodor_sample *s, size_t n,
                          blackodor_point *out, char *err, size_t errcap) EW_MUST_CHECK;

/* A run of consecutive heavy points along the body: indexes first..last (inclusive). */
typedef struct blackodor_stretch {
    size_t first, last;
} blackodor_stretch;

typedef struct blackodor_body {
    blackodor_level level; /* HEAVY: heavy points ≥ body_share; LIGHT: any point black-odorous */
    size_t points, heavy_points, light_points;
    size_t stretches; /* heavy stretches found (≥ body_run consecutive heavy points) */
    bool enough;      /* points ≥ rules->min_points */
} blackodor_body;

/* Grade a water body from the levels of its n points in their order along the body. The
 * heavy stretches are written to stretch[0..cap) (stretch may be NULL when cap is 0);
 * out->stretches counts them all. Returns 0; EW_EINVALID for a level out of range (*out and
 * stretch unchanged). */
int blackodor_grade_body(const blackodor_rules *rules, const blackodor_level *points, size_t n,
                         blackodor_body *out, blackodor_stretch *stretch, size_t cap) EW_MUST_CHECK;

/* ---- 返黑返臭 screening ----------------------------------------------------------------- */

/* One online reading: time (seconds, any epoch, non-decreasing in a series) and DO, ORP,
 * NH3-N in thousandths (BLACKODOR_NA where the sensor sent nothing). */
typedef struct blackodor_reading {
    int64_t ts;
    int64_t do_milli, orp_milli, nh3n_milli;
} blackodor_reading;

/* Screening policy. No national text sets these figures; they are the bureau's choice. */
typedef struct blackodor_screen {
    int64_t min_duration_s; /* a run must span at least this long (last − first reading) */
    int64_t max_gap_s;      /* a gap longer than this between readings ends a run */
} blackodor_screen;

/* Default policy: runs of 2 h or more, readings at most 1 h apart. */
extern const blackodor_screen blackodor_screen_default;

typedef struct blackodor_alert {
    int64_t from_ts, to_ts; /* first and last tripping reading of the run */
    size_t first, last;     /* their indexes in the series */
    unsigned tripped;       /* indicators that were at light level or worse in the run
                               (bits 1u << BLACKODOR_DO / _ORP / _NH3N) */
} blackodor_alert;

/* Screen the n readings: a reading trips when DO, ORP or NH3-N is at the light level or worse
 * under rules; readings without any of the three are skipped; a run is a maximal sequence of
 * tripping readings not interrupted by a non-tripping reading or a gap longer than max_gap_s.
 * Runs spanning at least min_duration_s are alerts, written to alert[0..cap) in order.
 * Returns the number of alerts (which may exceed cap), or EW_EINVALID when the times
 * decrease, a value is invalid or an argument is NULL (alert unchanged then). */
int blackodor_screen_series(const blackodor_rules *rules, const blackodor_screen *policy,
                            const blackodor_reading *r, size_t n, blackodor_alert *alert,
                            size_t cap) EW_MUST_CHECK;

#endif
