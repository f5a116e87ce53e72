/* blackwater: see blackwater.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/blackwater.h"
#include "service/water.h"
#include "standards/edition.h"
#include "store/blackodor.h"

/* ---- CSV lines ------------------------------------------------------------------------ */

static int body_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf; /* always 3 */
    if (!f[0][0] || strlen(f[0]) >= 64)
        return ew_errf(msg, msgcap, EW_EINVALID, "code: empty or longer than 63 bytes");
    if (strlen(f[1]) >= 128)
        return ew_errf(msg, msgcap, EW_EINVALID, "name: longer than 127 bytes");
    bool rural = !strcmp(f[2], "rural");
    if (!rural && strcmp(f[2], "built_up"))
        return ew_errf(msg, msgcap, EW_EINVALID, "area: '%s' is not built_up or rural", f[2]);
    bo_body_row r = {.code = f[0], .name = f[1][0] ? f[1] : f[0], .rural = rural};
    return bo_body_put(s, &r, msg, msgcap);
}

int blackwater_import_bodies(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                             void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 3, 3, body_line, on_error, ctx, stored, bad, err, errcap);
}

/* An optional value in thousandths: empty is not measured. */
static int opt_value(const char *f, const char *name, int64_t *out, char *msg, size_t msgcap)
{
    if (!f[0]) {
        *out = BLACKODOR_NA;
        return 0;
    }
    if (ew_parse_milli(f, strlen(f), out))
        return ew_errf(msg, msgcap, EW_EINVALID, "%s: '%s' is not a number (at most 3 places)",
                       name, f);
    return 0;
}

static int sample_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf; /* always 9 */
    if (!f[0][0] || strlen(f[0]) >= 64)
        return ew_errf(msg, msgcap, EW_EINVALID, "body: empty or longer than 63 bytes");
    if (!f[1][0] || strlen(f[1]) >= 64)
        return ew_errf(msg, msgcap, EW_EINVALID, "point: empty or longer than 63 bytes");
    char *end;
    long seq = strtol(f[2], &end, 10);
    if (!f[2][0] || *end || seq < 0 || seq > 1000000)
        return ew_errf(msg, msgcap, EW_EINVALID, "seq: '%s' is not a whole number 0..1000000",
                       f[2]);
    ew_civil c;
    if (ew_parse_iso(f[3], strlen(f[3]), &c))
        return ew_errf(msg, msgcap, EW_EINVALID, "time: '%s' is not YYYY-MM-DD[ HH:MM]", f[3]);
    bo_sample_row r = {.body = f[0], .point = f[1], .seq = (int)seq, .ts_utc = ew_bj_to_utc(&c)};
    if (opt_value(f[4], "sd_cm", &r.sd_milli, msg, msgcap) ||
        opt_value(f[5], "do", &r.do_milli, msg, msgcap) ||
        opt_value(f[6], "orp_mv", &r.orp_milli, msg, msgcap) ||
        opt_value(f[7], "nh3n", &r.nh3n_milli, msg, msgcap) ||
        opt_value(f[8], "depth_cm", &r.depth_milli, msg, msgcap))
        return EW_EINVALID;
    if (r.sd_milli == BLACKODOR_NA && r.do_milli == BLACKODOR_NA && r.orp_milli == BLACKODOR_NA &&
        r.nh3n_milli == BLACKODOR_NA)
        return ew_errf(msg, msgcap, EW_EINVALID, "no indicator measured (sd_cm, do, orp_mv, nh3n)");
    /* The guide's indicators other than ORP are never negative; the standard's grading
     * refuses them, so they are refused here, on their line. */
    const struct {
        int64_t v;
        const char *name;
    } nonneg[] = {{r.sd_milli, "sd_cm"},
                  {r.do_milli, "do"},
                  {r.nh3n_milli, "nh3n"},
                  {r.depth_milli, "depth_cm"}};
    for (size_t i = 0; i < sizeof nonneg / sizeof *nonneg; i++)
        if (nonneg[i].v != BLACKODOR_NA && nonneg[i].v < 0)
            return ew_errf(msg, msgcap, EW_EINVALID, "%s: negative", nonneg[i].name);
    return bo_sample_put(s, &r, msg, msgcap);
}

int blackwater_import_samples(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                              void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 9, 9, sample_line, on_error, ctx, stored, bad, err, errcap);
}

/* ---- grading -------------------------------------------------------------------------- */

/* A body's samplings of the period, in seq, point, time order. */
typedef struct sampling {
    char point[64];
    int64_t ts;
    blackodor_sample s;
} sampling;
typedef struct sample_acc {
    sampling *v;
    size_t n, cap;
    int64_t last;
} sample_acc;

static int add_sampling(void *ctx, const bo_sample_row *r)
{
    sample_acc *a = ctx;
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 32;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    sampling *x = &a->v[a->n++];
    snprintf(x->point, sizeof x->point, "%s", r->point);
    x->ts = r->ts_utc;
    blackodor_sample_init(&x->s);
    x->s.v[BLACKODOR_SD] = r->sd_milli;
    x->s.v[BLACKODOR_DO] = r->do_milli;
    x->s.v[BLACKODOR_ORP] = r->orp_milli;
    x->s.v[BLACKODOR_NH3N] = r->nh3n_milli;
    x->s.depth_milli = r->depth_milli;
    if (r->ts_utc > a->last)
        a->last = r->ts_utc;
    return 0;
}

/* Grade the campaign ending at a->last: each point (a run of one point in the sorted
 * samplings) from its samplings in the campaign, the body from its points. */
static int grade(const blackodor_rules *rules, sample_acc *a, blackwater_body *b, char *err,
                 size_t errcap)
{
    int64_t from = a->last - (int64_t)BLACKWATER_CAMPAIGN_DAYS * 86400;
    blackodor_level *levels = xmalloc((a->n + 1) * sizeof *levels);
    blackodor_sample *buf = xmalloc((a->n + 1) * sizeof *buf);
    size_t npoints = 0;
    bool enough = true;
    int rc = 0;
    for (size_t i = 0; i < a->n && rc == 0;) {
        size_t j = i, k = 0;
        for (; j < a->n && !strcmp(a->v[j].point, a->v[i].point); j++)
            if (a->v[j].ts > from) {
                buf[k++] = a->v[j].s;
                b->samplings++;
            }
        if (k) {
            blackodor_point p;
            rc = blackodor_grade_point(rules, buf, k, &p, err, errcap);
            if (rc == 0) {
                levels[npoints++] = p.level;
                enough = enough && p.enough;
            }
        }
        i = j;
    }
    if (rc == 0)
        rc = blackodor_grade_body(rules, levels, npoints, &b->grade, NULL, 0);
    if (rc == 0)
        b->enough = enough && b->grade.enough;
    free(levels);
    free(buf);
    return rc;
}

typedef struct year_walk {
    ew_reader *db;
    int64_t from, to;
    blackwater_fn fn;
    void *ctx;
    char *err;
    size_t errcap;
} year_walk;

static int body_one(void *ctx, const bo_body_row *r)
{
    year_walk *w = ctx;
    blackwater_body b;
    memset(&b, 0, sizeof b);
    snprintf(b.code, sizeof b.code, "%s", r->code);
    snprintf(b.name, sizeof b.name, "%s", r->name);
    b.rural = r->rural;
    sample_acc a = {.last = INT64_MIN};
    int rc = bo_samples_each(w->db, r->code, w->from, w->to, add_sampling, &a, w->err, w->errcap);
    if (rc == 0 && a.n) {
        b.graded = true;
        b.last_utc = a.last;
        rc = grade(&blackodor_rules_2015, &a, &b, w->err, w->errcap);
        if (rc < 0 && w->err) {
            char why[256];
            snprintf(why, sizeof why, "%s", w->err);
            ew_errf(w->err, w->errcap, rc, "body %s: %s", r->code, why);
        }
    }
    free(a.v);
    if (rc)
        return rc;
    return w->fn(w->ctx, &b);
}

int blackwater_year_each(ew_reader *db, int year, int64_t now_utc, blackwater_fn fn, void *ctx,
                         char *err, size_t errcap)
{
    year_walk w = {.db = db, .fn = fn, .ctx = ctx, .err = err, .errcap = errcap};
    water_year_so_far(year, now_utc, &w.from, &w.to);
    return bo_bodies_each(db, body_one, &w, err, errcap);
}

typedef struct count {
    size_t sampled, black;
} count;

static int count_built_up(void *ctx, const blackwater_body *b)
{
    count *c = ctx;
    if (b->rural || !b->graded)
        return 0;
    c->sampled++;
    c->black += b->grade.level != BLACKODOR_NONE;
    return 0;
}

int blackwater_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                         double *value, char *err, size_t errcap)
{
    (void)site; /* every body, none of one */
    if (strcmp(st, "water.black_odorous_bodies_built_up"))
        return 0;
    count c = {0, 0};
    int rc = blackwater_year_each(db, year, now_utc, count_built_up, &c, err, errcap);
    if (rc < 0)
        return rc;
    if (!c.sampled)
        return 0;
    *value = (double)c.black;
    return 1;
}
