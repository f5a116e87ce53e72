/* blackodor: the 2015 urban guide's grading table and aggregation rules as data
 * (blackodor_rules_2015), and the 返黑返臭 screen over online readings. See blackodor.h for the
 * contract and docs/water-standards.md for the readings of the guide this code makes. */
#include "standards/blackodor.h"

#include <string.h>

#define K(x) ((int64_t)(x)*1000)

/* 城市黑臭水体整治工作指南 (2015), 水质检测与分级, table 城市黑臭水体污染程度分级标准. The light
 * range of each indicator runs from light_bound to heavy_bound (both light); beyond
 * heavy_bound is heavy. Aggregation: the same section of the guide ("1 项指标 60 % 以上数据或
 * 不少于 2 项指标 30 % 以上数据", "连续 3 个以上检测点", "60 % 以上的检测点", "检测点不少于 3 个",
 * "至少检测 3 次"). Shallow water: note (*) "水深不足 25 cm 时，该指标按水深的 40 % 取值". */
const blackodor_rules blackodor_rules_2015 = {
    .light_bound = {[BLACKODOR_SD] = K(25),
                    [BLACKODOR_DO] = K(2),
                    [BLACKODOR_ORP] = K(50),
                    [BLACKODOR_NH3N] = K(8)},
    .heavy_bound = {[BLACKODOR_SD] = K(10),
                    [BLACKODOR_DO] = 200,
                    [BLACKODOR_ORP] = K(-200),
                    [BLACKODOR_NH3N] = K(15)},
    .outer_inclusive = true,
    .shallow_depth = K(25),
    .shallow_share = 400,
    .point_one_share = 600,
    .point_two_share = 300,
    .point_two_count = 2,
    .body_run = 3,
    .body_share = 600,
    .min_points = 3,
    .min_samplings = 3,
};

const blackodor_screen blackodor_screen_default = {
    .min_duration_s = 2 * 3600,
    .max_gap_s = 3600,
};

static const char *const names[BLACKODOR_INDICATOR_COUNT] = {"SD", "DO", "ORP", "NH3-N"};
static const char *const level_zh[] = {"非黑臭", "轻度黑臭", "重度黑臭"};
static const char *const level_en[] = {"none", "light", "heavy"};

const char *blackodor_level_name_zh(blackodor_level l)
{
    return (unsigned)l <= BLACKODOR_HEAVY ? level_zh[l] : NULL;
}

const char *blackodor_level_name_en(blackodor_level l)
{
    return (unsigned)l <= BLACKODOR_HEAVY ? level_en[l] : NULL;
}

const char *blackodor_indicator_name(blackodor_indicator i)
{
    return (unsigned)i < BLACKODOR_INDICATOR_COUNT ? names[i] : NULL;
}

/* NH3-N is the one indicator where high values are bad. */
static bool high_is_bad(blackodor_indicator i)
{
    return i == BLACKODOR_NH3N;
}

/* Note (*): shallow water, SD against 40 % of the depth. */
static blackodor_level shallow_sd(const blackodor_rules *r, int64_t sd, int64_t depth)
{
    if (sd >= depth) /* clear to the bottom */
        return BLACKODOR_NONE;
    if (sd * 1000 < (int64_t)r->shallow_share * depth)
        return BLACKODOR_HEAVY;
    return BLACKODOR_LIGHT;
}

int blackodor_level_of(const blackodor_rules *r, blackodor_indicator i, int64_t v, int64_t depth)
{
    if (!r || (unsigned)i >= BLACKODOR_INDICATOR_COUNT || v == BLACKODOR_NA)
        return EW_EINVALID;
    if (v < 0 && i != BLACKODOR_ORP)
        return EW_EINVALID;
    if (i == BLACKODOR_SD && depth != BLACKODOR_NA && depth >= 0 && depth < r->shallow_depth)
        return shallow_sd(r, v, depth);
    int64_t light = r->light_bound[i], heavy = r->heavy_bound[i];
    if (high_is_bad(i)) {
        if (v > heavy)
            return BLACKODOR_HEAVY;
        if (v > light || (r->outer_inclusive && v == light))
            return BLACKODOR_LIGHT;
        return BLACKODOR_NONE;
    }
    if (v < heavy)
        return BLACKODOR_HEAVY;
    if (v < light || (r->outer_inclusive && v == light))
        return BLACKODOR_LIGHT;
    return BLACKODOR_NONE;
}

void blackodor_sample_init(blackodor_sample *s)
{
    for (int i = 0; i < BLACKODOR_INDICATOR_COUNT; i++)
        s->v[i] = BLACKODOR_NA;
    s->depth_milli = BLACKODOR_NA;
}

/* share/1000 of total or more: count·1000 ≥ share·total (total > 0). */
static bool at_least(size_t count, size_t total, int share)
{
    return total > 0 && (uint64_t)count * 1000 >= (uint64_t)share * total;
}

int blackodor_grade_point(const blackodor_rules *r, const blackodor_sample *s, size_t n,
                          blackodor_point *out, char *err, size_t errcap)
{
    if (!r)
        return ew_errf(err, errcap, EW_EINVALID, "blackodor: no rules");
    blackodor_point p;
    memset(&p, 0, sizeof p);
    p.samplings = n;
    for (size_t k = 0; k < n; k++) {
        for (int i = 0; i < BLACKODOR_INDICATOR_COUNT; i++) {
            if (s[k].v[i] == BLACKODOR_NA)
                continue;
            int l = blackodor_level_of(r, (blackodor_indicator)i, s[k].v[i], s[k].depth_milli);
            if (l < 0)
                return ew_errf(err, errcap, EW_EINVALID, "blackodor: sample %zu: %s: invalid value",
                               k, names[i]);
            p.results[i]++;
            p.heavy[i] += l == BLACKODOR_HEAVY;
            p.light_or_worse[i] += l >= BLACKODOR_LIGHT;
        }
    }
    bool one = false, any = false;
    int two = 0;
    for (int i = 0; i < BLACKODOR_INDICATOR_COUNT; i++) {
        one = one || at_least(p.heavy[i], p.results[i], r->point_one_share);
        if (at_least(p.heavy[i], p.results[i], r->point_two_share)) {
            p.heavy_by |= 1u << i;
            two++;
        }
        any = any || p.light_or_worse[i] > 0;
    }
    if (one || two >= r->point_two_count)
        p.level = BLACKODOR_HEAVY;
    else
        p.level = any ? BLACKODOR_LIGHT : BLACKODOR_NONE;
    p.enough = n >= (size_t)r->min_samplings;
    *out = p;
    return EW_OK;
}

int blackodor_grade_body(const blackodor_rules *r, const blackodor_level *pts, size_t n,
                         blackodor_body *out, blackodor_stretch *stretch, size_t cap)
{
    if (!r)
        return EW_EINVALID;
    for (size_t k = 0; k < n; k++)
        if ((unsigned)pts[k] > BLACKODOR_HEAVY)
            return EW_EINVALID;
    blackodor_body b;
    memset(&b, 0, sizeof b);
    b.points = n;
    size_t run = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k < n && pts[k] == BLACKODOR_HEAVY) {
            run++;
            b.heavy_points++;
            continue;
        }
        if (k < n && pts[k] == BLACKODOR_LIGHT)
            b.light_points++;
        /* A run of ≥ body_run heavy points ends at k − 1: the stretch between is heavy. */
        if (run >= (size_t)r->body_run) {
            if (b.stretches < cap)
                stretch[b.stretches] = (blackodor_stretch){k - run, k - 1};
            b.stretches++;
        }
        run = 0;
    }
    if (at_least(b.heavy_points, n, r->body_share))
        b.level = BLACKODOR_HEAVY;
    else if (b.heavy_points || b.light_points)
        b.level = BLACKODOR_LIGHT;
    else
        b.level = BLACKODOR_NONE;
    b.enough = n >= (size_t)r->min_points;
    *out = b;
    return EW_OK;
}

/* ---- 返黑返臭 screening ----------------------------------------------------------------- */

/* The online indicators and where a reading keeps them. */
static const struct {
    blackodor_indicator i;
    size_t off;
} online[] = {
    {BLACKODOR_DO, offsetof(blackodor_reading, do_milli)},
    {BLACKODOR_ORP, offsetof(blackodor_reading, orp_milli)},
    {BLACKODOR_NH3N, offsetof(blackodor_reading, nh3n_milli)},
};

/* Bits of the indicators of r at light level or worse; -1 if a value is invalid; sets *any
 * when the reading has at least one value. */
static int tripped_by(const blackodor_rules *rules, const blackodor_reading *r, bool *any)
{
    int bits = 0;
    *any = false;
    for (size_t k = 0; k < sizeof online / sizeof online[0]; k++) {
        int64_t v = *(const int64_t *)((const char *)r + online[k].off);
        if (v == BLACKODOR_NA)
            continue;
        *any = true;
        int l = blackodor_level_of(rules, online[k].i, v, BLACKODOR_NA);
        if (l < 0)
            return -1;
        if (l >= BLACKODOR_LIGHT)
            bits |= 1 << online[k].i;
    }
    return bits;
}

/* One pass over the series; alerts are written only when `alert` is not NULL. */
static int screen_pass(const blackodor_rules *rules, const blackodor_screen *p,
                       const blackodor_reading *r, size_t n, blackodor_alert *alert, size_t cap)
{
    int found = 0;
    bool open = false;
    blackodor_alert cur = {0};
    int64_t prev_ts = INT64_MIN;
    for (size_t k = 0; k <= n; k++) {
        int bits = 0;
        bool any = true;
        if (k < n) {
            if (r[k].ts < prev_ts)
                return EW_EINVALID;
            bits = tripped_by(rules, &r[k], &any);
            if (bits < 0)
                return EW_EINVALID;
            if (!any)
                continue;
        }
        /* The open run ends at a non-tripping reading, a gap, or the end of the series. */
        bool gap = k < n && open && r[k].ts - cur.to_ts > p->max_gap_s;
        if (open && (k == n || !bits || gap)) {
            if (cur.to_ts - cur.from_ts >= p->min_duration_s) {
                if (alert && (size_t)found < cap)
                    alert[found] = cur;
                found++;
            }
            open = false;
        }
        if (k == n)
            break;
        prev_ts = r[k].ts;
        if (!bits)
            continue;
        if (!open) {
            cur = (blackodor_alert){r[k].ts, r[k].ts, k, k, 0};
            open = true;
        }
        cur.to_ts = r[k].ts;
        cur.last = k;
        cur.tripped |= (unsigned)bits;
    }
    return found;
}

int blackodor_screen_series(const blackodor_rules *rules, const blackodor_screen *policy,
                            const blackodor_reading *r, size_t n, blackodor_alert *alert,
                            size_t cap)
{
    if (!rules || !policy || (n && !r) || (cap && !alert))
        return EW_EINVALID;
    /* Validate first so that a failed call writes nothing. */
    int rc = screen_pass(rules, policy, r, n, NULL, 0);
    if (rc < 0)
        return rc;
    return screen_pass(rules, policy, r, n, alert, cap);
}
