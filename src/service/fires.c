/* fires: fire points and video alarms (see fires.h). */
#include "service/fires.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "service/casework.h"
#include "service/textlines.h"

double fires_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

static int add_place(void *ctx, const ew_read_site *st)
{
    fires_towns *t = ctx;
    if (!st->town || !*st->town || !isfinite(st->lon) || !isfinite(st->lat))
        return 0;
    t->p = xrealloc(t->p, (t->n + 1) * sizeof *t->p);
    t->p[t->n++] = (fires_place){xstrdup(st->town), st->lon, st->lat};
    return 0;
}

int fires_towns_load(ew_reader *db, fires_towns *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    return ew_read_sites(db, 0, "air", NULL, add_place, out, err, errcap) < 0 ? EW_EINTERNAL
                                                                              : EW_OK;
}

void fires_towns_free(fires_towns *t)
{
    for (size_t i = 0; i < t->n; i++)
        free((char *)t->p[i].town);
    free(t->p);
    memset(t, 0, sizeof *t);
}

const char *fires_town_of(const fires_towns *t, double lon, double lat)
{
    const char *best = NULL;
    double best_m = INFINITY;
    for (size_t i = 0; i < t->n; i++) {
        double d = fires_distance_m(lon, lat, t->p[i].lon, t->p[i].lat);
        if (d < best_m) {
            best_m = d;
            best = t->p[i].town;
        }
    }
    return best;
}

typedef struct near_ctx {
    const fires_point *p;
    int64_t case_id;
} near_ctx;

static int near_fire(void *ctx, const em_fire_row *f)
{
    near_ctx *n = ctx;
    if (fires_distance_m(n->p->lon, n->p->lat, f->lon, f->lat) <= FIRES_CLUSTER_M) {
        n->case_id = f->case_id;
        return 1;
    }
    return 0;
}

static const case_actor fires_system = {.name = "system", .role = EW_ROLE_BUREAU, .org = NULL};

static int open_case(store *s, const case_report *rep, const case_actor *who, int64_t now_utc,
                     int64_t *case_id, char *err, size_t errcap)
{
    casework_meta m = {.created_by = who->name};
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    if (casework_open(s, rep, who, &m, now_utc, case_id, tracking, &ce) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "case: %s", ce.msg);
    return EW_OK;
}

/* ---- public reports of the same fire ------------------------------------------------ */

typedef struct waiting_ctx {
    store *s;
    const fires_point *p;
    int64_t case_id, now_utc;
    char *err;
    size_t errcap;
} waiting_ctx;

/* The one rule of which cases may join a fire's case: the public's reports of open burning
 * that say where. */
static bool may_join(case_source src, case_category cat, double lon, double lat)
{
    return src == CASE_SRC_PUBLIC_REPORT && cat == CASE_CAT_OPEN_BURNING && !(lon == 0 && lat == 0);
}

static int join_waiting(void *ctx, const em_unjoined_case *r)
{
    waiting_ctx *w = ctx;
    if (!may_join(CASE_SRC_PUBLIC_REPORT, CASE_CAT_OPEN_BURNING, r->lon, r->lat))
        return 0;
    double d = fires_distance_m(w->p->lon, w->p->lat, r->lon, r->lat);
    if (d > FIRES_CLUSTER_M)
        return 0;
    em_fire_report_row row = {r->case_id, w->case_id, d, w->now_utc};
    int rc = em_fire_report_put(w->s, &row, w->err, w->errcap);
    return rc < 0 ? rc : 0;
}

/* The public reports, made before this point arrived, that report its fire. */
static int join_waiting_reports(store *s, const fires_point *p, int64_t case_id, int64_t now_utc,
                                char *err, size_t errcap)
{
    waiting_ctx w = {s, p, case_id, now_utc, err, errcap};
    return em_unjoined_cases(s, case_source_name(CASE_SRC_PUBLIC_REPORT),
                             case_category_name(CASE_CAT_OPEN_BURNING), p->ts_utc - FIRES_CLUSTER_S,
                             p->ts_utc + FIRES_CLUSTER_S, join_waiting, &w, err, errcap);
}

typedef struct nearest_ctx {
    double lon, lat;
    double best_m;
    int64_t case_id;
} nearest_ctx;

static int nearest_fire(void *ctx, const em_fire_row *f)
{
    nearest_ctx *n = ctx;
    double d = fires_distance_m(n->lon, n->lat, f->lon, f->lat);
    if (d <= FIRES_CLUSTER_M && d < n->best_m) {
        n->best_m = d;
        n->case_id = f->case_id;
    }
    return 0;
}

int fires_public_report(store *s, const case_report *r, const case_actor *who,
                        const casework_meta *reporter, int64_t now_utc, int64_t *id_out,
                        char tracking[CASE_TRACKING_LEN + 1], int64_t *fire_case_id,
                        case_error *err)
{
    *fire_case_id = 0;
    int rc = casework_open(s, r, who, reporter, now_utc, id_out, tracking, err);
    if (rc < 0 || !may_join(r->source, r->category, r->lon, r->lat))
        return rc;
    /* The report is stored: from here on a failure costs only the join. */
    char e[256] = "";
    nearest_ctx n = {r->lon, r->lat, INFINITY, 0};
    int j = em_fires_each(s, now_utc - FIRES_CLUSTER_S, now_utc + FIRES_CLUSTER_S + 1, nearest_fire,
                          &n, e, sizeof e);
    if (j >= 0 && n.case_id) {
        em_fire_report_row row = {*id_out, n.case_id, n.best_m, now_utc};
        j = em_fire_report_put(s, &row, e, sizeof e);
        if (j >= 0)
            *fire_case_id = n.case_id;
    }
    if (j < 0)
        ew_log(EW_LOG_ERROR, "fires.join", "case=%lld err=\"%s\"", (long long)*id_out, e);
    return rc;
}

int fires_report_joined(store *s, int64_t case_id, int64_t *fire_case_id, char *err, size_t errcap)
{
    em_fire_report_row row;
    int rc = em_fire_report_of(s, case_id, &row, err, errcap);
    if (rc == 1)
        *fire_case_id = row.fire_case_id;
    return rc < 0 ? EW_EINTERNAL : rc;
}

typedef struct ids_ctx {
    int64_t *v;
    size_t n;
} ids_ctx;

static int add_report_id(void *ctx, const em_fire_report_row *r)
{
    ids_ctx *c = ctx;
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n++] = r->case_id;
    return 0;
}

int fires_reports_of(store *s, int64_t fire_case_id, int64_t **ids, size_t *n, char *err,
                     size_t errcap)
{
    ids_ctx c = {NULL, 0};
    if (em_fire_reports_each(s, fire_case_id, add_report_id, &c, err, errcap) < 0) {
        free(c.v);
        *ids = NULL;
        *n = 0;
        return EW_EINTERNAL;
    }
    *ids = c.v;
    *n = c.n;
    return EW_OK;
}

int fires_add(store *s, const fires_towns *t, const fires_point *p, int64_t now_utc,
              int64_t *case_id, bool *opened, char *err, size_t errcap)
{
    *opened = false;
    if (!isfinite(p->lon) || !isfinite(p->lat) || fabs(p->lon) > 180 || fabs(p->lat) > 90)
        return ew_errf(err, errcap, EW_EINVALID, "lon/lat out of range");
    const char *town = fires_town_of(t, p->lon, p->lat);
    if (!town)
        return ew_errf(err, errcap, EW_EINVALID,
                       "no town to place the point in (no air station"
                       " with a town and coordinates)");
    near_ctx n = {p, 0};
    int rc = em_fires_near(s, town, p->ts_utc - FIRES_CLUSTER_S, p->ts_utc + FIRES_CLUSTER_S,
                           near_fire, &n, err, errcap);
    if (rc < 0)
        return rc;
    if (!n.case_id) {
        char loc[160], desc[320];
        snprintf(loc, sizeof loc, "%s (%.5f, %.5f)", town, p->lon, p->lat);
        snprintf(desc, sizeof desc, "卫星火点：%s 置信度 %d，来源 %s。", town, p->confidence,
                 p->source);
        case_report rep = {.source = CASE_SRC_FIRE_POINT,
                           .category = CASE_CAT_OPEN_BURNING,
                           .location = loc,
                           .lon = p->lon,
                           .lat = p->lat,
                           .description = desc};
        if ((rc = open_case(s, &rep, &fires_system, now_utc, &n.case_id, err, errcap)))
            return rc;
        *opened = true;
    }
    em_fire_row f = {.ts_utc = p->ts_utc,
                     .lon = p->lon,
                     .lat = p->lat,
                     .confidence = p->confidence,
                     .source = p->source,
                     .town = town,
                     .case_id = n.case_id};
    *case_id = n.case_id;
    rc = em_fire_put(s, &f, err, errcap);
    if (rc == 1) {
        int j = join_waiting_reports(s, p, n.case_id, now_utc, err, errcap);
        if (j < 0)
            return j;
    }
    return rc;
}

/* Coordinates on the globe, a confidence in 0–100 and a named source. */
static bool point_valid(const fires_point *p)
{
    return p->lon >= -180 && p->lon <= 180 && p->lat >= -90 && p->lat <= 90 && p->confidence >= 0 &&
           p->confidence <= 100 && p->source && *p->source;
}

/* Add parsed points one by one (casework opens its cases in transactions of its own); a
 * repeat stores nothing new (em_fire's unique key). */
static int add_all(store *s, const fires_towns *t, const fires_point *pts, size_t n,
                   int64_t now_utc, int *points, int *cases, char *err, size_t errcap)
{
    int rc = EW_OK;
    for (size_t i = 0; rc == EW_OK && i < n; i++) {
        int64_t case_id;
        bool opened;
        int r = fires_add(s, t, &pts[i], now_utc, &case_id, &opened, err, errcap);
        if (r < 0)
            rc = r;
        *points += r == 1;
        *cases += r >= 0 && opened;
    }
    return rc;
}

static int parse_point(char *line, fires_point *p)
{
    char *f[6];
    if (textlines_split(line, f, 6) != 5)
        return -1;
    ew_civil c;
    char *e1, *e2, *e3;
    if (ew_parse_iso(f[0], strlen(f[0]), &c) || !ew_civil_valid(&c))
        return -1;
    p->ts_utc = ew_bj_to_utc(&c);
    p->lon = strtod(f[1], &e1);
    p->lat = strtod(f[2], &e2);
    long conf = strtol(f[3], &e3, 10);
    if (*e1 || *e2 || *e3 || e1 == f[1] || e2 == f[2] || e3 == f[3] || conf < 0 || conf > 100)
        return -1;
    p->confidence = (int)conf;
    p->source = f[4];
    return point_valid(p) ? 0 : -1;
}

int fires_import_csv(store *s, const fires_towns *t, const char *text, size_t n, int64_t now_utc,
                     int *points, int *cases, char *err, size_t errcap)
{
    *points = *cases = 0;
    char *buf = xcalloc(1, n + 1);
    memcpy(buf, text, n);
    /* Parse the whole file first: a malformed line stores nothing. */
    size_t np = 0, cap = 0;
    fires_point *pts = NULL;
    int rc = EW_OK;
    textlines tl = {.next = buf, .header = 1};
    for (char *line; rc == EW_OK && (line = textlines_next(&tl));) {
        if (np == cap)
            pts = xrealloc(pts, (cap = cap ? 2 * cap : 64) * sizeof *pts);
        if (parse_point(line, &pts[np]))
            rc = ew_errf(err, errcap, EW_EINVALID,
                         "line %d: time,lon,lat,confidence,source expected", tl.lineno);
        np++;
    }
    if (rc == EW_OK)
        rc = add_all(s, t, pts, np, now_utc, points, cases, err, errcap);
    free(pts);
    free(buf);
    return rc;
}

int fires_report(store *s, ew_reader *db, const case_actor *who, const fires_point *pts, size_t n,
                 int64_t now_utc, int *points, int *cases, char *err, size_t errcap)
{
    *points = *cases = 0;
    if (!who || (who->role != EW_ROLE_BUREAU && who->role != EW_ROLE_ADMIN))
        return ew_errf(err, errcap, EW_EFORBIDDEN, "fire points are reported by the bureau");
    for (size_t i = 0; i < n; i++)
        if (!point_valid(&pts[i]))
            return ew_errf(err, errcap, EW_EINVALID,
                           "event %zu: lon −180–180, lat −90–90, confidence 0–100 and a source", i);
    fires_towns t;
    int rc = fires_towns_load(db, &t, err, errcap);
    if (rc == EW_OK)
        rc = add_all(s, &t, pts, n, now_utc, points, cases, err, errcap);
    fires_towns_free(&t);
    return rc;
}

int fires_video_alarm(store *s, const fires_video *v, const case_actor *who, int64_t now_utc,
                      int64_t *case_id, bool *opened, char *err, size_t errcap)
{
    *opened = false;
    if (!v->camera || !*v->camera || !v->kind || !*v->kind)
        return ew_errf(err, errcap, EW_EINVALID, "camera and kind are required");
    if (!who || who->role == EW_ROLE_PUBLIC)
        return ew_errf(err, errcap, EW_EFORBIDDEN, "video alarms come from device accounts");
    int64_t hour = v->ts_utc - (v->ts_utc % 3600 + 3600) % 3600;
    int rc = em_video_find(s, v->camera, hour, hour + 3600, case_id, err, errcap);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        char loc[160], desc[320];
        snprintf(loc, sizeof loc, "摄像头 %s", v->camera);
        snprintf(desc, sizeof desc, "视频报警：摄像头 %s 报 %s。", v->camera, v->kind);
        bool burning = !strcmp(v->kind, "fire") || !strcmp(v->kind, "smoke");
        const char *keys[1] = {v->image_key};
        case_report rep = {.source = CASE_SRC_FIRE_POINT,
                           .category = burning ? CASE_CAT_OPEN_BURNING : CASE_CAT_OTHER,
                           .location = loc,
                           .description = desc,
                           .attachments = v->image_key ? keys : NULL,
                           .n_attachments = v->image_key ? 1 : 0};
        if ((rc = open_case(s, &rep, &fires_system, now_utc, case_id, err, errcap)))
            return rc;
        *opened = true;
    }
    em_video_row row = {.camera = v->camera,
                        .ts_utc = v->ts_utc,
                        .kind = v->kind,
                        .image_key = v->image_key,
                        .reported_by = who->name,
                        .case_id = *case_id};
    return em_video_put(s, &row, NULL, err, errcap);
}
