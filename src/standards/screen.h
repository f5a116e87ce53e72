/* screen: falsification-suspect and anomaly screens over an outlet's hourly series.
 *
 * Each screen is a pure function of a series and its thresholds, and each is one entry of
 * the rule catalogue (screen_rule_info_of) with its id, its reason in Chinese and the source
 * of the idea and of the default thresholds. No national rule fixes these thresholds (no
 * official "unchanged for N hours" figure was found; docs/source-standards.md): they are
 * policy, configurable, with the public defaults named below. A hit is a suspicion for a
 * person to look at, never a finding.
 *
 *  - constant_value: the values of ≥ N consecutive running hours stay within a tolerance of
 *    each other (max − min ≤ tol). Default N = 4 production hours, tol = 0 (identical): the
 *    public non-site-supervision engine's "恒值" scene (NDHZ, parameter `hours`); cf. the
 *    IDENTICAL_RUN screen of open-grid-emissions and the QARTOD flat-line test. Runs are
 *    taken greedily: a run ends at the first hour that would widen it beyond the
 *    tolerance, and the next run starts at that hour.
 *  - zero_value: ≥ N consecutive running hours at or below a threshold (0, or the
 *    analyser's detection limit) while the outlet discharges. Default N = 4 (scene NDLFZ).
 *  - o2_dilution: O2 at or above a guard (default 19 %, the fluegas guard) for ≥ N
 *    consecutive hours while the production facility runs by its electricity data (分表计电).
 *    Default N = 1. Dilution with air or a probe out of the stack keep O2 near 21 %.
 *  - just_below_limit: over a window the caller chooses (default use: 7 days), the share of
 *    valid running hours in the band [limit × (1 − band), limit] is ≥ a share. Defaults:
 *    band 10 %, share 80 %, at least 24 hours. (Idea: "flat top" values clustered just under
 *    the limit, an EcoRule catalogue entry of low authority.)
 *  - sudden_drop: a running hour at or above the limit followed directly by one that has
 *    fallen by ≥ a share (default 50 %) and lands just under the limit (in the band above).
 *    (Scene NDTB "突变", ratio parameter; here tied to the limit.)
 *  - treatment_off: production facility running while the treatment facility's power is
 *    below its running threshold (分表计电; HJ 212-2025 Annex C C37 / C38 carry the two
 *    powers; the threshold is the facility's, configured). Default ≥ 1 hour.
 *  - marked_stop_running: a stop mark while production power or flow shows the facility
 *    running. Default ≥ 1 hour. False marking is itself sanctioned (MEE 公告 2022 年第 21 号).
 *  - marked_exceedance: exceedances that all (default) fall inside marks, at least 3
 *    periods.
 *  - nh3n_over_tn: ≥ N consecutive running hours whose ammonia nitrogen exceeds the total
 *    nitrogen of the same hour by more than a tolerance (the caller passes NH3-N − TN as the
 *    value of hours where both are valid). Ammonia nitrogen is part of total nitrogen, so a
 *    higher reading is an analyser fault or altered data. Default N = 1, tolerance 0: the
 *    public engine's inversion scene (NDDG) fires on any occurrence.
 *  - flow_mismatch: ≥ N consecutive running hours (no stop mark: the enterprise declared it
 *    produces) whose wastewater flow is below low × the reference or above high × it. The
 *    reference is the median flow of the outlet's running hours over a past window the
 *    caller chooses (the scan: the 28 days before each Beijing week), with at least
 *    flow_ref_min_hours of them. Defaults: low 20 %, high 3 times, N = 4, 168 hours. (S1's
 *    flow-anomaly scene LLYC compares with the median of a year's production hours.) Far
 *    below: water leaving by another way or an altered meter; far above: dilution.
 *  - data_gap: a day whose effective transmission rate (valid ÷ due) is below 90 %.
 *  - data_silent: an outlet that sent hourly data and then none, for ≥ N hours not under a
 *    stop mark (the caller counts them, up to now). Default N = 24. data_gap judges the days
 *    between two values; a silence that goes on has no later value to close its days, so it
 *    would never be judged there. A communication-break mark does not excuse it: the mark
 *    says why data are missing, the missing data remain to be looked at. No national figure
 *    for N was found (the day of data_gap is its model): policy, configurable.
 *
 * "Running" is the caller's judgement of each hour (production power above its running
 * threshold, flow > 0, no stop mark …): the screens never decide it. Hours are consecutive
 * when each starts SCREEN_HOUR_S after the previous one; a gap, an invalid or a non-running
 * hour ends a run.
 *
 * Units: thousandths of the value's unit; instants UTC seconds. Pure functions over
 * caller-owned data: no allocation, no I/O, no state. On failure a function returns a
 * negative EW_E* code (base/err.h) and leaves its outputs unchanged, except where said. */
#ifndef EW_STANDARDS_SCREEN_H
#define EW_STANDARDS_SCREEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "standards/exceed.h"

#define SCREEN_HOUR_S 3600

typedef enum screen_rule {
    SCREEN_CONSTANT_VALUE,
    SCREEN_ZERO_VALUE,
    SCREEN_O2_DILUTION,
    SCREEN_JUST_BELOW_LIMIT,
    SCREEN_SUDDEN_DROP,
    SCREEN_TREATMENT_OFF,
    SCREEN_MARKED_STOP_RUNNING,
    SCREEN_MARKED_EXCEEDANCE,
    SCREEN_NH3N_OVER_TN,
    SCREEN_FLOW_MISMATCH,
    SCREEN_DATA_GAP,
    SCREEN_DATA_SILENT,
    SCREEN_RULE_COUNT
} screen_rule;

/* A catalogue entry. Static data. */
typedef struct screen_rule_info {
    screen_rule rule;
    const char *id;        /* "constant_value", … (stable, used by the API) */
    const char *name_zh;   /* "恒值" */
    const char *reason_zh; /* why it is suspicious, one sentence */
    const char *source;    /* where the idea and the defaults come from */
} screen_rule_info;

/* Entry of a rule, or NULL for a value out of range. */
const screen_rule_info *screen_rule_info_of(screen_rule r);
/* The rule of an id (n bytes). Returns 0, or -1 if unknown. */
int screen_rule_parse(const char *id, size_t n, screen_rule *out);

/* Thresholds. */
typedef struct screen_params {
    int constant_min_hours;            /* ≥ 2; default 4 */
    int64_t constant_tolerance_milli;  /* ≥ 0; default 0 */
    int zero_min_hours;                /* ≥ 1; default 4 */
    int64_t zero_threshold_milli;      /* default 0 */
    int o2_min_hours;                  /* ≥ 1; default 1 */
    int64_t o2_high_milli;             /* 0 < · ≤ 21000; default 19000 */
    int below_band_permille;           /* 1..1000; default 100 (10 %) */
    int below_share_permille;          /* 1..1000; default 800 */
    int below_min_hours;               /* ≥ 1; default 24 */
    int drop_share_permille;           /* 1..1000; default 500 */
    int64_t treatment_running_milli;   /* treatment power below this = off; default 0.001 */
    int treatment_min_hours;           /* ≥ 1; default 1 */
    int stop_running_min_hours;        /* ≥ 1; default 1 */
    int64_t marked_exceed_min_periods; /* ≥ 1; default 3 */
    int marked_exceed_share_permille;  /* 1..1000; default 1000 (all) */
    int transmission_min_permille;     /* 1..1000; default 900 */
    int64_t inversion_tolerance_milli; /* ≥ 0; default 0 (any excess) */
    int inversion_min_hours;           /* ≥ 1; default 1 */
    int flow_low_permille;             /* 0..999: below ref × this / 1000; default 200 */
    int flow_high_permille;            /* 1001..1000000: above ref × this / 1000; default 3000 */
    int flow_min_hours;                /* ≥ 1; default 4 */
    int flow_ref_min_hours;            /* ≥ 1: running hours a reference needs; default 168 */
    int silent_min_hours;              /* ≥ 1; default 24 */
} screen_params;

screen_params screen_params_default(void);
/* True when every field of p lies in the range its comment states (p NULL: false). The
 * screens refuse other params with EW_EINVALID. */
bool screen_params_ok(const screen_params *p);

/* One hour: its start, value, validity and whether the outlet ran (caller's judgement). */
typedef struct screen_hour {
    int64_t t_utc;
    int64_t value_milli;
    bool valid;
    bool running;
} screen_hour;

/* A hit: the evidence window and its values. */
typedef struct screen_hit {
    screen_rule rule;
    int64_t from_utc, to_utc;        /* first hour's start, last hour's end */
    int hours;                       /* hours in the window that met the condition */
    int64_t first_milli, last_milli; /* values of the first and last of those hours */
    int64_t min_milli, max_milli;
    int64_t limit_milli; /* the limit used (just_below_limit, sudden_drop), else 0 */
} screen_hit;

/* The run screens (constant_value, zero_value, o2_dilution, treatment_off, nh3n_over_tn) over
 * n hours in strictly increasing t_utc: every maximal run that meets the rule, in time order,
 * into out (capacity cap), *n_out the count. For o2_dilution the values are the O2 (%,
 * thousandths); for treatment_off the treatment facility's power (thousandths of kW) and `running`
 * the production facility's state; for nh3n_over_tn NH3-N − TN (thousandths of mg/L). Returns
 * EW_OK; EW_EINVALID for another rule, bad params, h NULL with n > 0, hours not increasing (outputs
 * unchanged); EW_EFULL when cap is too small: only *n_out is written, with the capacity needed. */
int screen_runs(screen_rule rule, const screen_hour *h, size_t n, const screen_params *p,
                screen_hit *out, size_t cap, size_t *n_out) EW_MUST_CHECK;

/* flow_mismatch's reference: the median (of an even count, the lower middle value) of the
 * valid running hours' values ≥ 0 in h[0..n), into *ref_milli, and *enough = at least
 * flow_ref_min_hours of them (else *ref_milli = 0). scratch holds n values (the caller's,
 * overwritten). Returns EW_OK, or EW_EINVALID (bad params or input, scratch NULL with n > 0;
 * outputs unchanged). */
int screen_flow_reference(const screen_hour *h, size_t n, const screen_params *p, int64_t *scratch,
                          int64_t *ref_milli, bool *enough) EW_MUST_CHECK;

/* flow_mismatch: the runs of h (values: the flow, thousandths) outside [ref × low, ref × high]
 * (both bounds are no hit), as screen_runs returns them; EW_EINVALID also for ref ≤ 0. */
int screen_flow_runs(const screen_hour *h, size_t n, int64_t ref_milli, const screen_params *p,
                     screen_hit *out, size_t cap, size_t *n_out) EW_MUST_CHECK;

/* just_below_limit over the whole window h[0..n): *hit is true and *out filled when at least
 * below_min_hours valid running hours exist and the share of them within
 * [limit − limit × band, limit] is ≥ below_share (both inclusive; exact in per mille). Then
 * hours = the hours in the band, first/last/min/max over them. Returns EW_OK, or EW_EINVALID
 * (limit ≤ 0, bad params or input; outputs unchanged). */
int screen_just_below(const screen_hour *h, size_t n, int64_t limit_milli, const screen_params *p,
                      bool *hit, screen_hit *out) EW_MUST_CHECK;

/* sudden_drop: every pair of consecutive valid running hours with h[i-1] ≥ limit and h[i] in
 * [limit − limit × band, limit), h[i] ≤ h[i-1] × (1 − drop_share). Each hit spans the two
 * hours (first = before, last = after, hours = 2). Same returns as screen_runs. */
int screen_sudden_drop(const screen_hour *h, size_t n, int64_t limit_milli, const screen_params *p,
                       screen_hit *out, size_t cap, size_t *n_out) EW_MUST_CHECK;

/* marked_stop_running: maximal runs of ≥ stop_running_min_hours consecutive hours that are
 * running by the caller's evidence (production power or flow; value = that evidence) and
 * overlap a mark declaring the facility stopped (the caller passes only such marks; their
 * class is not read). Same returns as screen_runs, plus EW_EINVALID for a mark with
 * to ≤ from. */
int screen_marked_stop_running(const screen_hour *h, size_t n, const exceed_mark *stops,
                               size_t n_stops, const screen_params *p, screen_hit *out, size_t cap,
                               size_t *n_out) EW_MUST_CHECK;

/* marked_exceedance over the two lists exceed_episodes returns for a window: *hit when the
 * marked exceedance periods are ≥ marked_exceed_min_periods and their share of all
 * exceedance periods is ≥ marked_exceed_share (default: all). *out then spans the marked
 * episodes (hours = marked periods, min/max = their values, limit at the max). Returns
 * EW_OK, or EW_EINVALID (bad params, NULL lists with counts; outputs unchanged). */
int screen_marked_exceedance(const exceed_episode *judged, size_t n_judged,
                             const exceed_episode *marked, size_t n_marked, const screen_params *p,
                             bool *hit, screen_hit *out) EW_MUST_CHECK;

/* data_gap: the counts of one outlet item over a day (hours, or whatever unit the caller
 * counts in). */
typedef struct screen_counts {
    int64_t expected; /* values the day should have (24 hourly values) */
    int64_t exempt;   /* of them not assessed: hours under a stop mark (停运, not counted in
                         the transmission statistics), the wastewater analysers' 1 h/day for
                         automatic standard checks (national statistics algorithm, as
                         implemented publicly) */
    int64_t received; /* values received */
    int64_t valid;    /* of them valid */
} screen_counts;

/* Rates in per mille, GB/T 8170: transmission = received ÷ due, validity = valid ÷
 * received, effective = valid ÷ due (= transmission × validity), due = expected − exempt,
 * each capped at 1000. With nothing due every rate is 1000. */
typedef struct screen_rates {
    int64_t transmission_permille, validity_permille, effective_permille;
} screen_rates;

/* The day's rates into *out and *hit = effective rate < transmission_min (default 90 %, a
 * default to verify against the national assessment rule), compared exactly. Returns EW_OK,
 * or EW_EINVALID (negative counts or counts above 1e12, valid > received, exempt > expected,
 * bad params; outputs unchanged). */
int screen_transmission(const screen_counts *c, const screen_params *p, screen_rates *out,
                        bool *hit) EW_MUST_CHECK;

/* 分表计电: a facility's power sent as real-time values only (HJ 212-2025 C37 / C38, CN 2011),
 * with no hour data: the mean of an hour's normal values stands for the hour when there are
 * at least SCREEN_RTD_MIN_VALUES of them spanning at least SCREEN_RTD_MIN_SPAN_S from the
 * first to the last. HJ 75-2017 asks 45 of an hour's 60 minute values; a meter's sampling
 * interval is its own (30 s, 5 min, 15 min), so the 75 % is taken of the hour's time rather
 * than of a count. A choice, to verify against the 2025 text, which was not at hand. */
#define SCREEN_RTD_MIN_VALUES 3
#define SCREEN_RTD_MIN_SPAN_S 2700
bool screen_rtd_hour_valid(int64_t n, int64_t first_utc, int64_t last_utc);

/* data_silent: *hit = silent_hours (hours since the last value, those under a stop mark
 * left out) ≥ silent_min_hours. Returns EW_OK, or EW_EINVALID (negative hours or above 1e12,
 * bad params; *hit unchanged). */
int screen_silent(int64_t silent_hours, const screen_params *p, bool *hit) EW_MUST_CHECK;

#endif
