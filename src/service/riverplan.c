/* riverplan: river emergency plans and sudden water-quality incidents (see riverplan.h). */
#include "service/riverplan.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/jsonv.h"
#include "base/textbuf.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/casework.h"
#include "service/water.h"
#include "standards/gb3838.h"
#include "store/water.h"

#define HOUR_S 3600

/* ---- reading a plan ----------------------------------------------------------------- */

static void *grow(arena *ar, const void *old, size_t n, size_t size)
{
    void *p = arena_alloc(ar, (n + 1) * size);
    if (n)
        memcpy(p, old, n * size);
    return p;
}

/* Each element of member key (an array, optional) through one(ctx, element, index). */
typedef int (*elem_fn)(ew_jv *jv, arena *ar, const json_t *e, rp_plan *p);
static int each_elem(ew_jv *jv, arena *ar, const json_t *o, const char *key, bool required,
                     elem_fn one, rp_plan *p)
{
    const json_t *a = json_object_get(o, key);
    size_t k = ew_jv_push_key(jv, key);
    int rc = 0;
    if (!a && required)
        rc = ew_jv_fail(jv, "required");
    else if (a && ew_jv_array(jv, a, required))
        rc = -1;
    for (size_t i = 0; !rc && a && i < json_array_size(a); i++) {
        size_t at = ew_jv_push_idx(jv, i);
        rc = one(jv, ar, json_array_get(a, i), p);
        if (!rc)
            ew_jv_pop(jv, at);
    }
    if (!rc)
        ew_jv_pop(jv, k);
    return rc;
}

static int one_section(ew_jv *jv, arena *ar, const json_t *e, rp_plan *p)
{
    if (!json_is_string(e) || !*json_string_value(e))
        return ew_jv_fail(jv, "a section code is a non-empty string, not %s", ew_jv_type_name(e));
    p->sections = grow(ar, p->sections, p->nsections, sizeof *p->sections);
    for (size_t i = 0; i < p->nsections; i++)
        if (!strcmp(p->sections[i], json_string_value(e)))
            return ew_jv_fail(jv, "section %s is listed twice", json_string_value(e));
    p->sections[p->nsections++] = arena_strndup(ar, json_string_value(e), json_string_length(e));
    return 0;
}

static int one_contact(ew_jv *jv, arena *ar, const json_t *e, rp_plan *p)
{
    static const char *const keys[] = {"name", "org", "duty", "phone", NULL};
    rp_contact c = {0};
    if (ew_jv_object(jv, e) || ew_jv_members(jv, e, keys) ||
        ew_jv_str(jv, e, "name", true, &c.name) || ew_jv_str(jv, e, "org", false, &c.org) ||
        ew_jv_str(jv, e, "duty", false, &c.duty) || ew_jv_str(jv, e, "phone", true, &c.phone))
        return -1;
    p->contacts = grow(ar, p->contacts, p->ncontacts, sizeof *p->contacts);
    p->contacts[p->ncontacts++] = c;
    return 0;
}

static int one_material(ew_jv *jv, arena *ar, const json_t *e, rp_plan *p)
{
    static const char *const keys[] = {"item", "quantity", "unit", "place", NULL};
    rp_material m = {0};
    bool present = false;
    if (ew_jv_object(jv, e) || ew_jv_members(jv, e, keys) ||
        ew_jv_str(jv, e, "item", true, &m.item) || ew_jv_str(jv, e, "unit", true, &m.unit) ||
        ew_jv_str(jv, e, "place", true, &m.place) ||
        ew_jv_num(jv, e, "quantity", &present, &m.quantity))
        return -1;
    if (!present || !(m.quantity >= 0)) {
        ew_jv_push_key(jv, "quantity");
        return ew_jv_fail(jv, "a quantity ≥ 0 is required");
    }
    p->materials = grow(ar, p->materials, p->nmaterials, sizeof *p->materials);
    p->materials[p->nmaterials++] = m;
    return 0;
}

static int one_drill(ew_jv *jv, arena *ar, const json_t *e, rp_plan *p)
{
    static const char *const keys[] = {"date", "title", "findings", NULL};
    rp_drill d = {0};
    if (ew_jv_object(jv, e) || ew_jv_members(jv, e, keys) ||
        ew_jv_date(jv, e, "date", true, &d.day) || ew_jv_str(jv, e, "title", true, &d.title) ||
        ew_jv_str(jv, e, "findings", false, &d.findings))
        return -1;
    p->drills = grow(ar, p->drills, p->ndrills, sizeof *p->drills);
    p->drills[p->ndrills++] = d;
    return 0;
}

/* One river object into *p (strings copied into the reader's arena). 0 or -1 (jv says). */
static int parse_plan(ew_jv *jv, arena *ar, const json_t *o, rp_plan *p)
{
    static const char *const keys[] = {"code",     "name",     "document",  "incident_multiple",
                                       "sections", "contacts", "materials", "drills",
                                       NULL};
    memset(p, 0, sizeof *p);
    p->incident_multiple = RP_INCIDENT_MULTIPLE;
    bool present = false;
    if (ew_jv_object(jv, o) || ew_jv_members(jv, o, keys) ||
        ew_jv_str(jv, o, "code", true, &p->code) || ew_jv_str(jv, o, "name", true, &p->name) ||
        ew_jv_str(jv, o, "document", true, &p->document) ||
        ew_jv_num(jv, o, "incident_multiple", &present, &p->incident_multiple))
        return -1;
    if (present && !(p->incident_multiple > 1 && p->incident_multiple <= 1000)) {
        ew_jv_push_key(jv, "incident_multiple");
        return ew_jv_fail(jv, "a multiple of the target class's limit, above 1");
    }
    return each_elem(jv, ar, o, "sections", true, one_section, p) ||
                   each_elem(jv, ar, o, "contacts", true, one_contact, p) ||
                   each_elem(jv, ar, o, "materials", false, one_material, p) ||
                   each_elem(jv, ar, o, "drills", false, one_drill, p)
               ? -1
               : 0;
}

static int jv_error(const ew_jv *jv, char *err, size_t errcap)
{
    return ew_errf(err, errcap, EW_EINVALID, "%s: %s", jv->fault_path, jv->msg);
}

static int section_found(void *ctx, const water_section_row *r)
{
    (void)ctx;
    (void)r;
    return 0;
}

int riverplan_load(store *s, ew_reader *db, const char *text, size_t n, const char *actor,
                   int64_t now_utc, int *count, char *err, size_t errcap)
{
    *count = 0;
    json_error_t je;
    json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return ew_errf(err, errcap, EW_EINVALID, "line %d: %s", je.line, je.text);
    arena ar;
    arena_init(&ar, 4096);
    ew_jv jv;
    ew_jv_init(&jv, &ar);
    static const char *const top[] = {"rivers", NULL};
    int rc = EW_OK;
    const json_t *rivers = json_object_get(root, "rivers");
    size_t k = ew_jv_push_key(&jv, "rivers");
    if (!json_is_object(root) || ew_jv_members(&jv, root, top) || ew_jv_array(&jv, rivers, true))
        rc = jv.failed ? jv_error(&jv, err, errcap)
                       : ew_errf(err, errcap, EW_EINVALID, "$: an object {\"rivers\": [...]}");
    ew_jv_pop(&jv, k);
    size_t np = rc ? 0 : json_array_size(rivers);
    rp_plan *plans = np ? arena_alloc(&ar, np * sizeof *plans) : NULL;
    for (size_t i = 0; rc == EW_OK && i < np; i++) {
        size_t at = ew_jv_push_key(&jv, "rivers");
        ew_jv_push_idx(&jv, i);
        if (parse_plan(&jv, &ar, json_array_get(rivers, i), &plans[i]))
            rc = jv_error(&jv, err, errcap);
        for (size_t j = 0; rc == EW_OK && j < i; j++)
            if (!strcmp(plans[j].code, plans[i].code))
                rc = ew_errf(err, errcap, EW_EINVALID, "%s: river %s is listed twice", jv.path,
                             plans[i].code);
        for (size_t j = 0; rc == EW_OK && j < plans[i].nsections; j++) {
            int f = water_section_get(db, plans[i].sections[j], section_found, NULL, err, errcap);
            if (f == 0)
                rc = ew_errf(err, errcap, EW_EINVALID, "%s.sections[%zu]: no water section %s",
                             jv.path, j, plans[i].sections[j]);
            else if (f < 0)
                rc = f;
        }
        ew_jv_pop(&jv, at);
    }
    if (rc == EW_OK && store_begin(s, err, errcap) < 0)
        rc = EW_EINTERNAL;
    else if (rc == EW_OK) {
        for (size_t i = 0; rc == EW_OK && i < np; i++) {
            /* The document as validated, keys sorted: what is read back is what was checked. */
            char *doc = json_dumps(json_array_get(rivers, i), JSON_COMPACT | JSON_SORT_KEYS);
            em_river_row r = {.code = plans[i].code,
                              .name = plans[i].name,
                              .doc = doc,
                              .updated_by = actor,
                              .updated_utc = now_utc};
            rc = doc ? em_river_put(s, &r, err, errcap)
                     : ew_errf(err, errcap, EW_EINTERNAL, "river %s: out of memory", r.code);
            char obj[96], detail[64];
            snprintf(obj, sizeof obj, "river:%s", r.code);
            snprintf(detail, sizeof detail, "sections=%zu contacts=%zu", plans[i].nsections,
                     plans[i].ncontacts);
            if (rc == EW_OK)
                rc = audit_note(s, now_utc, actor, "river_plan.load", obj, detail, NULL, err,
                                errcap);
            free(doc);
        }
        if (rc == EW_OK && store_commit(s, err, errcap) < 0)
            rc = EW_EINTERNAL;
        if (rc != EW_OK)
            store_rollback(s);
        else
            *count = (int)np;
    }
    arena_free(&ar);
    json_decref(root);
    return rc;
}

/* ---- the stored plans --------------------------------------------------------------- */

typedef struct all_ctx {
    rp_plans *out;
    size_t cap;
    int rc;
    char *err;
    size_t errcap;
} all_ctx;

static int collect_river(void *ctx, const em_river_row *r)
{
    all_ctx *a = ctx;
    rp_plans *out = a->out;
    json_error_t je;
    json_t *o = json_loads(r->doc, 0, &je);
    ew_jv jv;
    ew_jv_init(&jv, &out->ar);
    if (out->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 8;
        rp_plan *p = arena_alloc(&out->ar, a->cap * sizeof *p);
        if (out->n)
            memcpy(p, out->p, out->n * sizeof *p);
        out->p = p;
    }
    /* A stored plan was validated when loaded; failing now means the row was altered. */
    if (!o || parse_plan(&jv, &out->ar, o, &out->p[out->n])) {
        a->rc =
            ew_errf(a->err, a->errcap, EW_EINTERNAL, "river %s: stored plan unreadable", r->code);
        json_decref(o);
        return 1;
    }
    out->n++;
    json_decref(o);
    return 0;
}

typedef struct inc_ctx {
    arena *ar;
    rp_plan *p;
} inc_ctx;

static const char *dup(arena *ar, const char *s)
{
    return s ? arena_strndup(ar, s, strlen(s)) : NULL;
}

static int collect_incident(void *ctx, const em_incident_row *r)
{
    inc_ctx *c = ctx;
    c->p->incidents = grow(c->ar, c->p->incidents, c->p->nincidents, sizeof *c->p->incidents);
    em_incident_row *x = &c->p->incidents[c->p->nincidents++];
    *x = *r;
    x->river = dup(c->ar, r->river);
    x->section = dup(c->ar, r->section);
    x->item = dup(c->ar, r->item);
    return 0;
}

/* Every stored plan; with its incidents when incidents is true (the check asks the store per
 * day instead). */
static int load_plans(store *s, bool incidents, rp_plans *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->ar, 4096);
    all_ctx a = {.out = out, .rc = EW_OK, .err = err, .errcap = errcap};
    int rc = em_rivers_each(s, collect_river, &a, err, errcap);
    if (rc == 1 || a.rc)
        return a.rc ? a.rc : EW_EINTERNAL;
    for (size_t i = 0; incidents && rc == EW_OK && i < out->n; i++) {
        inc_ctx c = {&out->ar, &out->p[i]};
        rc = em_incidents_each(s, out->p[i].code, collect_incident, &c, err, errcap);
    }
    return rc < 0 ? rc : EW_OK;
}

int riverplan_all(store *s, rp_plans *out, char *err, size_t errcap)
{
    return load_plans(s, true, out, err, errcap);
}

void riverplan_free(rp_plans *p)
{
    arena_free(&p->ar);
    memset(p, 0, sizeof *p);
}

/* ---- incidents ---------------------------------------------------------------------- */

/* The worst item of a one-hour period against the target class's upper limit: the item,
 * its value and limit (millionths) and their ratio. false when no item has an upper limit
 * exceeded. */
typedef struct worst_item {
    gb3838_item item;
    int64_t value_micro, limit_micro;
    double ratio;
} worst_item;

static bool worst_of(const water_period *per, worst_item *w)
{
    bool any = false;
    for (int it = 0; it < GB3838_ITEM_COUNT; it++) {
        int64_t v = per->values.v[it], lo, hi;
        if (!(per->result.over_target & (1u << it)) || v == GB3838_NA ||
            gb3838_limit(per->water, (gb3838_item)it, per->target, &lo, &hi) || hi == GB3838_NA ||
            hi <= 0)
            continue;
        double ratio = (double)v / (double)hi;
        if (!any || ratio > w->ratio) {
            *w = (worst_item){(gb3838_item)it, v, hi, ratio};
            any = true;
        }
    }
    return any;
}

static int open_incident(store *s, const rp_plan *p, size_t si, const water_period *per,
                         const worst_item *w, int64_t hour, int64_t now_utc, char *err,
                         size_t errcap)
{
    ew_textbuf d = {0};
    ew_civil c;
    ew_utc_to_bj(hour, &c);
    ew_tb_printf(&d,
                 "突发水质异常：%s %s断面 %04d-%02d-%02d %02d:00 %s %.3f，为目标 %s 类限值 "
                 "%.3f 的 %.1f 倍（预案阈值 %.1f 倍）。启动《%s》。下游断面：",
                 p->name, per->name, c.year, c.mon, c.day, c.hour, gb3838_item_name_zh(w->item),
                 w->value_micro / 1e6, gb3838_class_name(per->target), w->limit_micro / 1e6,
                 w->ratio, p->incident_multiple, p->document);
    for (size_t i = si + 1; i < p->nsections; i++)
        ew_tb_printf(&d, "%s%s", i > si + 1 ? "、" : "", p->sections[i]);
    if (si + 1 >= p->nsections)
        ew_tb_printf(&d, "无（最下游断面）");
    ew_tb_printf(&d, "。通知：");
    for (size_t i = 0; i < p->ncontacts; i++)
        ew_tb_printf(&d, "%s%s（%s%s%s）", i ? "；" : "", p->contacts[i].name,
                     p->contacts[i].org ? p->contacts[i].org : "", p->contacts[i].org ? "，" : "",
                     p->contacts[i].phone);
    ew_tb_printf(&d, "。");
    char loc[192];
    snprintf(loc, sizeof loc, "%s %s断面", p->name, per->name);
    case_report rep = {.source = CASE_SRC_MONITORING_ALERT,
                       .category = CASE_CAT_OTHER,
                       .location = loc,
                       .description = d.p};
    case_actor sys = {.name = "system", .role = EW_ROLE_BUREAU, .org = NULL};
    casework_meta m = {.created_by = "system"};
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    int64_t case_id = 0;
    int opened = casework_open(s, &rep, &sys, &m, now_utc, &case_id, tracking, &ce);
    free(d.p);
    if (opened < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "incident case: %s", ce.msg);
    em_incident_row r = {.river = p->code,
                         .section = p->sections[si],
                         .day = ew_bj_day_of(hour),
                         .hour_utc = hour,
                         .item = gb3838_item_name(w->item),
                         .value = w->value_micro / 1e6,
                         .limit = w->limit_micro / 1e6,
                         .ratio = w->ratio,
                         .case_id = case_id};
    return em_incident_put(s, &r, err, errcap);
}

/* One section of a plan over the lookback hours, oldest first: the first hour at or past the
 * plan's multiple on a day without an incident opens one. A day that has its incident is not
 * read again. */
static int check_section(store *s, ew_reader *db, const rp_plan *p, size_t si, int64_t now_utc,
                         int *opened, char *err, size_t errcap)
{
    int64_t last = now_utc - (now_utc % HOUR_S + HOUR_S) % HOUR_S; /* the hour in progress */
    int64_t day = INT64_MIN;
    bool covered = false; /* the day of h has its incident already */
    for (int64_t h = last - RP_LOOKBACK_H * HOUR_S; h < last; h += HOUR_S) {
        if (ew_bj_day_of(h) != day) {
            day = ew_bj_day_of(h);
            int f = em_incident_find(s, p->sections[si], day, NULL, err, errcap);
            if (f < 0)
                return f;
            covered = f > 0;
        }
        if (covered)
            continue;
        water_period per;
        int rc = water_section_period(db, p->sections[si], h, h + HOUR_S, &per, err, errcap);
        if (rc < 0)
            return rc;
        worst_item w;
        if (rc == 0 || per.samples == 0 || per.target == GB3838_CLASS_NONE || !worst_of(&per, &w) ||
            w.ratio < p->incident_multiple)
            continue;
        if ((rc = open_incident(s, p, si, &per, &w, h, now_utc, err, errcap)) < 0)
            return rc;
        ++*opened;
        covered = true;
    }
    return EW_OK;
}

int riverplan_check(store *s, ew_reader *db, int64_t now_utc, int *opened, char *err, size_t errcap)
{
    *opened = 0;
    rp_plans all;
    int rc = load_plans(s, false, &all, err, errcap);
    for (size_t i = 0; rc == EW_OK && i < all.n; i++)
        for (size_t k = 0; rc == EW_OK && k < all.p[i].nsections; k++)
            rc = check_section(s, db, &all.p[i], k, now_utc, opened, err, errcap);
    riverplan_free(&all);
    return rc;
}
