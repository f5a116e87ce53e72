/* http_case: the case routes — attachments, public reports (随手拍), cases through the closed
 * loop 发现 → 交办 → 督办 → 整改 → 销号 (service/casework) and rewards (service/reward).
 *
 * Every decision about who may do what is auth_decide's or casework's; every change goes
 * through casework_* (one transaction each) or store/office.h. No SQL lives here. */
#include "net/http_office_util.h"
#include "service/fires.h"

#define REPORTS_PER_HOUR 5  /* public reports per client address */
#define UPLOADS_PER_HOUR 20 /* anonymous uploads per client address */

/* ---- attachments -------------------------------------------------------------------- */

static int h_attachment_put(http_req *r, http_resp *out)
{
    char mime[64];
    http_media_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type"), mime,
                    sizeof mime);
    if (!r->logged_in && rate_limited(r, out, "uploads", UPLOADS_PER_HOUR))
        return out->status;
    /* The body was read under the largest cap (the caller is not known when it arrives); the
     * public's smaller one is applied here. */
    if (!r->logged_in && r->body_n > HTTP_UPLOAD_MAX_PUBLIC)
        return http_error(out, 413, "too_large",
                          "an upload without login is at most %zu bytes, this one is %zu",
                          HTTP_UPLOAD_MAX_PUBLIC, r->body_n);
    if (strcmp(mime, "image/jpeg") && strcmp(mime, "image/png") && strcmp(mime, "image/webp") &&
        strcmp(mime, "application/pdf"))
        return http_error(out, 415, "unsupported_media_type",
                          "Content-Type must be image/jpeg, image/png, image/webp or "
                          "application/pdf, got '%s'",
                          mime);
    if (!http_magic_matches(mime, r->body, r->body_n))
        return http_error(out, 415, "unsupported_media_type",
                          "the file does not begin as a %s file does", mime);
    char key[OFFICE_KEY_LEN + 1], err[256];
    if (office_attachment_put(r->office, r->body, r->body_n, mime,
                              r->logged_in ? r->who.name : "public", r->now_utc, key, err,
                              sizeof err) < 0)
        return store_err(out, err);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(h, (const unsigned char *)r->body, r->body_n);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return http_json(out, 201,
                     json_pack("{s:s,s:s,s:I,s:s}", "key", key, "mime", mime, "size",
                               (json_int_t)r->body_n, "sha256", hex));
}

typedef struct {
    http_req *r;
    http_resp *out;
    bool found;
    char *uploader;
} att_get;

static int att_body(void *ctx, const office_attachment *a)
{
    att_get *g = ctx;
    g->found = true;
    g->uploader = http_strdup(&g->r->ar, a->uploader ? a->uploader : "");
    g->out->ctype = http_strdup(&g->r->ar, a->mime);
    g->out->body.n = 0;
    http_buf_put(&g->out->body, a->data, a->size);
    return 0;
}

static int h_attachment_get(http_req *r, http_resp *out)
{
    const char *key = r->params[0];
    att_get g = {.r = r, .out = out};
    char err[256];
    if (strlen(key) != OFFICE_KEY_LEN)
        return http_error(out, 404, "not_found", "no attachment %s", key);
    if (office_attachment_get(r->office, key, att_body, &g, err, sizeof err) < 0)
        return store_err(out, err);
    bool may = false;
    if (g.found) {
        /* Readers of every case (bureau, auditors, admins); unit staff when a case assigned
         * to their unit or their unit's ledger entry uses it; whoever uploaded it. */
        may = auth_decide(r->who.role, r->who.org, NULL, AUTH_CASE_READ).allow;
        if (!may && r->logged_in && !strcmp(g.uploader, r->who.name))
            may = true;
        if (!may && r->who.role == EW_ROLE_UNIT && r->who.org) {
            int v = office_attachment_visible(r->office, key, r->who.org, err, sizeof err);
            if (v < 0)
                return store_err(out, err);
            may = v == 1;
        }
    }
    if (!may) {
        out->body.n = 0;
        return http_error(out, 404, "not_found", "no attachment %s", key);
    }
    out->status = 200;
    out->cache = "private, max-age=86400";
    out->disposition = "inline";
    return out->status;
}

static const char *const supervision_zh[3] = {"", "督办", "挂牌督办"};

/* ---- cases -------------------------------------------------------------------------- */

static int add_case_row(void *ctx, const office_case *c)
{
    rows_ctx *rc = ctx;
    json_array_append_new(rc->rows, case_row(rc->r, c));
    return 0;
}

/* The unit a caller's case list is limited to: none for those who read every case, the
 * caller's own unit otherwise. */
static const char *case_scope(http_req *r)
{
    return auth_decide(r->who.role, r->who.org, NULL, AUTH_CASE_READ).allow ? NULL : r->who.org;
}

static int case_filter(http_req *r, http_resp *out, office_case_filter *f)
{
    memset(f, 0, sizeof *f);
    f->state = http_arg(r, "state");
    f->unit = http_arg(r, "unit");
    f->category = http_arg(r, "category");
    f->source = http_arg(r, "source");
    const char *sv = http_arg(r, "supervision");
    if (sv && strcmp(sv, "1") && strcmp(sv, "2"))
        return http_error(out, 400, "bad_parameter", "supervision must be 1 or 2");
    f->min_supervision = sv ? atoi(sv) : 0;
    if (http_time_arg(r, out, "from", 0, &f->from_utc) ||
        http_time_arg(r, out, "to", f->from_utc ? r->now_utc + 1 : 0, &f->to_utc))
        return out->status;
    if (f->from_utc == 0 && f->to_utc)
        f->from_utc = 1;
    const char *scope = case_scope(r);
    if (scope)
        f->unit = scope; /* unit staff see their unit's cases only, whatever they ask */
    return 0;
}

static int h_cases(http_req *r, http_resp *out)
{
    office_case_filter f;
    if (case_filter(r, out, &f))
        return out->status;
    if (http_page_args(r, out, &f.limit, &f.offset))
        return out->status;
    rows_ctx c = {r, json_array()};
    char err[256];
    int64_t total = 0;
    if (office_cases_each(r->office, &f, &total, add_case_row, &c, err, sizeof err) < 0) {
        json_decref(c.rows);
        return store_err(out, err);
    }
    return http_table_page(r, out, c.rows, total, f.limit, f.offset, NULL, "cases");
}

static int set_count(void *ctx, const char *state, int64_t n)
{
    json_object_set_new(ctx, state, json_integer(n));
    return 0;
}

static int h_cases_summary(http_req *r, http_resp *out)
{
    const char *unit = case_scope(r);
    json_t *by_state = json_object();
    for (int i = 0; i < CASE_STATE_COUNT; i++)
        json_object_set_new(by_state, case_state_name((case_state)i), json_integer(0));
    office_case_tally t;
    char err[256];
    if (office_case_counts(r->office, unit, set_count, by_state, err, sizeof err) < 0 ||
        office_case_tally_get(r->office, unit, r->now_utc, &t, err, sizeof err) < 0) {
        json_decref(by_state);
        return store_err(out, err);
    }
    return http_json(out, 200,
                     json_pack("{s:o,s:I,s:I,s:I}", "by_state", by_state, "overdue",
                               (json_int_t)t.overdue, "duban", (json_int_t)t.duban, "listed",
                               (json_int_t)t.listed));
}

static int reward_cb(void *ctx, const office_reward *rw)
{
    *(json_t **)ctx =
        json_pack("{s:I,s:s,s:I,s:s,s:o,s:o,s:o}", "case_id", (json_int_t)rw->case_id, "status",
                  rw->status, "amount_fen", (json_int_t)rw->amount_fen, "decided_by",
                  rw->decided_by ? rw->decided_by : "", "decided", iso_or_null(rw->decided_utc),
                  "paid", iso_or_null(rw->paid_utc), "note", str_or_null(rw->note));
    return 0;
}

static json_t *reward_of(http_req *r, int64_t id)
{
    json_t *rw = NULL;
    char err[256];
    if (office_reward_get(r->office, id, reward_cb, &rw, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "http.reward", "err=\"%s\"", err);
    return rw ? rw : json_null();
}

/* Public reports of the same fire (service/fires.h): the fire case a report joined (null if
 * none) and the reports joined to this case. A lookup that fails is logged and renders as
 * none, as reward_of does: the case itself is still right. */
static void fire_join_json(http_req *r, int64_t id, json_t *doc)
{
    char err[256];
    int64_t fire = 0, *ids = NULL;
    size_t n = 0;
    int rc = fires_report_joined(r->office, id, &fire, err, sizeof err);
    if (rc < 0)
        ew_log(EW_LOG_WARN, "http.fire_join", "err=\"%s\"", err);
    json_object_set_new(doc, "fire_case", rc == 1 ? json_integer((json_int_t)fire) : json_null());
    if (fires_reports_of(r->office, id, &ids, &n, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "http.fire_join", "err=\"%s\"", err);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)ids[i]));
    free(ids);
    json_object_set_new(doc, "public_reports", a);
}

/* A finding by name (or label), null when none was recorded. */
static json_t *finding_json(case_finding f, const char *(*name)(case_finding))
{
    return f == CASE_FINDING_NONE ? json_null() : json_string(name(f));
}

static json_t *case_json(http_req *r, int64_t id, const ew_case *c, const casework_meta *m)
{
    json_t *events = json_array();
    for (size_t i = 0; i < c->n_events; i++) {
        const case_event *e = &c->events[i];
        json_t *ev = json_pack(
            "{s:i,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:i,s:o}", "seq", (int)e->seq, "at",
            iso(e->at_utc), "action", case_action_name(e->action), "from", case_state_name(e->from),
            "to", case_state_name(e->to), "actor", e->actor ? e->actor : "", "role",
            auth_role_name(e->role), "reason", str_or_null(e->reason), "unit", str_or_null(e->unit),
            "deadline", iso_or_null(e->deadline_utc), "level", e->level, "evidence",
            keys_json(e->evidence, e->n_evidence));
        if (e->action == CASE_ACT_VERIFY)
            json_object_set_new(ev, "finding", finding_json(e->finding, case_finding_name));
        json_array_append_new(events, ev);
    }
    json_t *allowed = json_array();
    for (int a = CASE_ACT_ACCEPT; a < CASE_ACTION_COUNT; a++)
        if (case_may(c, (case_action)a, &r->who))
            json_array_append_new(allowed, json_string(case_action_name((case_action)a)));
    json_t *doc = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:i,s:s,s:b,s:o,s:o,s:o,"
        "s:i,s:s}",
        "id", (json_int_t)id, "tracking", c->tracking, "source", case_source_name(c->source),
        "category", case_category_name(c->category), "category_zh",
        case_category_label_zh(c->category), "state", case_state_name(c->state), "state_zh",
        case_state_label_zh(c->state), "location", c->location ? c->location : "", "lon",
        c->lon || c->lat ? json_real(c->lon) : json_null(), "lat",
        c->lon || c->lat ? json_real(c->lat) : json_null(), "description",
        c->description ? c->description : "", "attachments",
        keys_json(c->attachments, c->n_attachments), "unit", str_or_null(c->unit), "unit_name",
        str_or_null(unit_name(r, c->unit)), "deadline", iso_or_null(c->deadline_utc), "supervision",
        c->supervision, "supervision_zh",
        supervision_zh[c->supervision >= 0 && c->supervision <= 2 ? c->supervision : 0], "overdue",
        (c->state == CASE_ASSIGNED || c->state == CASE_REOPENED || c->state == CASE_RECTIFYING) &&
            c->deadline_utc && r->now_utc > c->deadline_utc,
        "created", iso(c->created_utc), "updated", iso(m->updated_utc), "closed",
        iso_or_null(c->closed_utc), "reopen_count", (int)c->reopen_count, "created_by",
        m->created_by ? m->created_by : "");
    /* The reporter's name and contact only for those casework_redact leaves them to. */
    if (r->who.role == EW_ROLE_ADMIN || r->who.role == EW_ROLE_BUREAU)
        json_object_set_new(doc, "reporter",
                            json_pack("{s:o,s:o}", "name", str_or_null(m->reporter_name), "contact",
                                      str_or_null(m->reporter_contact)));
    /* The finding of the verify that closed the case (核查结论), null while it is open. */
    json_object_set_new(doc, "finding", finding_json(c->finding, case_finding_name));
    json_object_set_new(doc, "finding_zh", finding_json(c->finding, case_finding_label_zh));
    json_object_set_new(doc, "events", events);
    json_object_set_new(doc, "allowed_actions", allowed);
    json_object_set_new(doc, "reward", reward_of(r, id));
    fire_join_json(r, id, doc);
    return doc;
}

static int case_id_param(http_req *r, http_resp *out, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    if (*end || v <= 0)
        return http_error(out, 404, "not_found", "no case %s", r->params[0]);
    *id = v;
    return 0;
}

/* Load case id: the case (caller frees with case_free), or NULL after answering 404 (no such
 * case) or 500 (storage failed). */
static ew_case *load_case(http_req *r, http_resp *out, int64_t id, casework_meta *m)
{
    int rc = 0;
    case_error ce = {{0}};
    ew_case *c = casework_load(r->office, id, m, &rc, &ce);
    if (!c) {
        if (rc == CASEWORK_E_STORE)
            store_err(out, ce.msg);
        else
            http_error(out, 404, "not_found", "no case %lld", (long long)id);
    }
    return c;
}

/* Answer with case id as who may see it, or 404 when missing or not visible. */
static int answer_case(http_req *r, http_resp *out, int64_t id, int status)
{
    casework_meta m;
    ew_case *c = load_case(r, out, id, &m);
    if (!c)
        return out->status;
    if (!casework_may_read(c, &r->who)) {
        case_free(c);
        return http_error(out, 404, "not_found", "no case %lld", (long long)id);
    }
    casework_redact(&m, &r->who);
    json_t *doc = case_json(r, id, c, &m);
    case_free(c);
    return http_json(out, status, status == 201 ? doc : json_pack("{s:o}", "data", doc));
}

static int h_case(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (case_id_param(r, out, &id))
        return out->status;
    return answer_case(r, out, id, 200);
}

static int case_rc(http_resp *out, int rc, const case_error *ce)
{
    switch (rc) {
    case CASE_E_STATE:
        return http_error(out, 409, "invalid_transition", "%s", ce->msg);
    case CASE_E_DENIED:
        return http_error(out, 403, "forbidden", "%s", ce->msg);
    case CASE_E_INVALID:
        return http_error(out, 422, "invalid", "%s", ce->msg);
    case CASEWORK_E_NOTFOUND:
        return http_error(out, 404, "not_found", "%s", ce->msg[0] ? ce->msg : "no such case");
    default:
        return store_err(out, ce->msg);
    }
}

/* A case report from a body: 0, or answers 4xx and returns that status. */
static int body_report(http_req *r, http_resp *out, json_t *b, case_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (case_category_parse(jstr(b, "category"), &rep->category))
        return http_error(out, 422, "invalid", "category must be a case category name");
    rep->location = jstr(b, "location");
    rep->description = jstr(b, "description");
    if (!rep->location || !rep->description)
        return http_error(out, 422, "invalid", "location and description are required");
    rep->lon = json_number_value(json_object_get(b, "lon"));
    rep->lat = json_number_value(json_object_get(b, "lat"));
    const char **keys;
    if (body_keys(r, b, "attachments", &keys, &rep->n_attachments))
        return http_error(out, 422, "invalid", "attachments must be a list of keys");
    rep->attachments = keys;
    return keys_exist(r, out, keys, rep->n_attachments);
}

static int h_case_create(http_req *r, http_resp *out)
{
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    case_report rep;
    int rc = body_report(r, out, b, &rep);
    if (!rc && case_source_parse(jstr(b, "source"), &rep.source))
        rc = invalid(out, "source must be a case source name");
    if (rc) {
        json_decref(b);
        return out->status;
    }
    casework_meta m = {.created_by = r->who.name};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    rc = casework_open(r->office, &rep, &r->who, &m, r->now_utc, &id, tracking, &ce);
    json_decref(b);
    if (rc)
        return case_rc(out, rc, &ce);
    return answer_case(r, out, id, 201);
}

static int h_case_action(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (case_id_param(r, out, &id))
        return out->status;
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    case_cmd cmd = {0};
    int rc = 0;
    const char **ev = NULL;
    if (parse_action(jstr(b, "action"), &cmd.action))
        rc = invalid(out, "action must be a case action name");
    else if (body_time(b, "deadline", &cmd.deadline_utc))
        rc = invalid(out, "deadline must be YYYY-MM-DD or an ISO-8601 time");
    else if (body_keys(r, b, "evidence", &ev, &cmd.n_evidence))
        rc = invalid(out, "evidence must be a list of attachment keys");
    else if (jstr(b, "finding") && (case_finding_parse(jstr(b, "finding"), &cmd.finding) ||
                                    cmd.finding == CASE_FINDING_NONE))
        rc = invalid(out, "finding must be confirmed, explained or false_alarm");
    if (!rc) {
        cmd.reason = jstr(b, "reason");
        cmd.unit = jstr(b, "unit");
        cmd.evidence = ev;
        if (cmd.unit && (!r->plan || !plan_unit_by_id(r->plan, cmd.unit)))
            rc = invalid(out, "unit %s is not a unit of the plan", cmd.unit);
    }
    if (!rc)
        rc = keys_exist(r, out, ev, cmd.n_evidence);
    if (rc) {
        json_decref(b);
        return out->status;
    }
    case_error ce = {{0}};
    rc = casework_apply(r->office, id, &cmd, &r->who, r->now_utc, NULL, &ce);
    json_decref(b);
    if (rc)
        return case_rc(out, rc, &ce);
    return answer_case(r, out, id, 200);
}

static int h_case_reward(http_req *r, http_resp *out)
{
    int64_t id = 0;
    if (case_id_param(r, out, &id))
        return out->status;
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    json_t *amt = json_object_get(b, "amount_fen");
    if (amt && !json_is_integer(amt)) {
        json_decref(b);
        return http_error(out, 422, "invalid",
                          "status must be due, paid or declined; amount_fen a whole number >= 0");
    }
    reward_decision d = {.status = jstr(b, "status"),
                         .has_amount = amt != NULL,
                         .amount_fen = amt ? json_integer_value(amt) : 0,
                         .note = jstr(b, "note")};
    char err[256];
    int rc = reward_decide(r->office, id, &d, &r->who, r->now_utc, r->addr, err, sizeof err);
    json_decref(b);
    switch (rc) {
    case EW_OK:
        return http_json(out, 200, json_pack("{s:o}", "data", reward_of(r, id)));
    case EW_ENOTFOUND:
        return http_error(out, 404, "not_found", "%s", err);
    case EW_ECONFLICT:
        return http_error(out, 409, "invalid_transition", "%s", err);
    case EW_EINVALID:
        return http_error(out, 422, "invalid", "%s", err);
    default:
        return store_err(out, err);
    }
}

static int add_reward_row(void *ctx, const office_reward *rw)
{
    rows_ctx *rr = ctx;
    json_t *row = NULL;
    reward_cb(&row, rw);
    casework_meta m;
    int rc;
    case_error ce;
    ew_case *c = casework_load(rr->r->office, rw->case_id, &m, &rc, &ce);
    json_object_set_new(row, "tracking", json_string(c ? c->tracking : ""));
    case_free(c);
    json_t *ordered = json_pack(
        "{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "case_id", json_object_get(row, "case_id"), "tracking",
        json_object_get(row, "tracking"), "status", json_object_get(row, "status"), "amount_fen",
        json_object_get(row, "amount_fen"), "decided_by", json_object_get(row, "decided_by"),
        "decided", json_object_get(row, "decided"), "paid", json_object_get(row, "paid"), "note",
        json_object_get(row, "note"));
    json_decref(row);
    json_array_append_new(rr->rows, ordered);
    return 0;
}

static int h_rewards(http_req *r, http_resp *out)
{
    if (!auth_decide(r->who.role, r->who.org, NULL, AUTH_CASE_READ).allow)
        return http_denied(r, out, "rewards are for the bureau, auditors and administrators");
    rows_ctx rr = {r, json_array()};
    char err[256];
    if (office_rewards_each(r->office, add_reward_row, &rr, err, sizeof err) < 0) {
        json_decref(rr.rows);
        return store_err(out, err);
    }
    return http_table(r, out, rr.rows, NULL, "rewards");
}

/* ---- public reports ----------------------------------------------------------------- */

static int h_public_report(http_req *r, http_resp *out)
{
    if (rate_limited(r, out, "reports", REPORTS_PER_HOUR))
        return out->status;
    json_t *b = http_body_json(r, out);
    if (!b)
        return out->status;
    case_report rep;
    if (body_report(r, out, b, &rep)) {
        json_decref(b);
        return out->status;
    }
    rep.source = CASE_SRC_PUBLIC_REPORT;
    /* Whoever fills in the public form reports as the public (随手拍). */
    case_actor pub = {.name = "public", .role = EW_ROLE_PUBLIC, .org = NULL};
    casework_meta m = {.created_by = "public",
                       .reporter_name = jstr(b, "name"),
                       .reporter_contact = jstr(b, "contact")};
    int64_t id = 0;
    char tracking[CASE_TRACKING_LEN + 1];
    case_error ce = {{0}};
    int64_t fire = 0;
    int rc = fires_public_report(r->office, &rep, &pub, &m, r->now_utc, &id, tracking, &fire, &ce);
    json_decref(b);
    if (rc)
        return case_rc(out, rc, &ce);
    /* joined: the report was taken as one of a fire already being handled (no case ids to
     * the public). */
    return http_json(
        out, 201,
        json_pack("{s:s,s:s,s:b}", "tracking", tracking, "state", "reported", "joined", fire != 0));
}

static int h_public_track(http_req *r, http_resp *out)
{
    int64_t id = 0;
    case_error ce = {{0}};
    int rc = casework_find_tracking(r->office, r->params[0], &id, &ce);
    if (rc == CASEWORK_E_STORE)
        return store_err(out, ce.msg);
    if (rc)
        return http_error(out, 404, "not_found", "no report with tracking code %s", r->params[0]);
    casework_meta m;
    ew_case *c = casework_load(r->office, id, &m, &rc, &ce);
    if (!c)
        return http_error(out, 404, "not_found", "no report with tracking code %s", r->params[0]);
    /* The public timeline: when and what, never who (staff names, units), contacts or
     * evidence; a rejection says why, a verification that the case was closed. */
    json_t *tl = json_array();
    for (size_t i = 0; i < c->n_events; i++) {
        const case_event *e = &c->events[i];
        const char *note = e->action == CASE_ACT_REJECT   ? e->reason
                           : e->action == CASE_ACT_VERIFY ? "已核查销号"
                                                          : NULL;
        json_array_append_new(tl, json_pack("{s:o,s:s,s:s,s:s,s:o}", "at", iso(e->at_utc), "action",
                                            case_action_name(e->action), "state",
                                            case_state_name(e->to), "state_zh",
                                            case_state_label_zh(e->to), "note", str_or_null(note)));
    }
    json_t *rw = reward_of(r, id), *pub_rw = json_null();
    if (json_is_object(rw))
        pub_rw = json_pack("{s:O,s:O}", "status", json_object_get(rw, "status"), "amount_fen",
                           json_object_get(rw, "amount_fen"));
    json_decref(rw);
    int64_t fire = 0;
    char err[256];
    int joined = fires_report_joined(r->office, id, &fire, err, sizeof err);
    if (joined < 0)
        ew_log(EW_LOG_WARN, "http.fire_join", "err=\"%s\"", err);
    json_t *doc = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:b}", "tracking", c->tracking, "category",
        case_category_name(c->category), "category_zh", case_category_label_zh(c->category),
        "state", case_state_name(c->state), "state_zh", case_state_label_zh(c->state), "created",
        iso(c->created_utc), "updated", iso(m.updated_utc), "closed", iso_or_null(c->closed_utc),
        "timeline", tl, "reward", pub_rw, "joined", joined == 1);
    case_free(c);
    return http_json(out, 200, doc);
}

/* ---- the route table ---------------------------------------------------------------- */

const http_route http_case_routes[] = {
    {"POST", "/api/v1/attachments", h_attachment_put, 0, HTTP_ANYONE, HTTP_LOCKED},
    {"GET", "/api/v1/attachments/{key}", h_attachment_get, 0, HTTP_ANYONE, HTTP_LOCKED},
    {"POST", "/api/v1/public/reports", h_public_report, 0, AUTH_CASE_REPORT, HTTP_LOCKED},
    {"GET", "/api/v1/public/reports/{tracking}", h_public_track, 0, AUTH_CASE_TRACK, HTTP_LOCKED},
    {"GET", "/api/v1/cases", h_cases, 0, AUTH_CASE_READ, HTTP_LOCKED},
    {"POST", "/api/v1/cases", h_case_create, 0, AUTH_CASE_REPORT, HTTP_LOCKED},
    {"GET", "/api/v1/cases/summary", h_cases_summary, 0, AUTH_CASE_READ, HTTP_LOCKED},
    {"GET", "/api/v1/cases/{id}", h_case, 0, AUTH_CASE_READ, HTTP_LOCKED},
    {"POST", "/api/v1/cases/{id}/actions", h_case_action, 0, HTTP_LOGIN, HTTP_LOCKED},
    {"POST", "/api/v1/cases/{id}/reward", h_case_reward, 0, AUTH_CASE_VERIFY, HTTP_LOCKED},
    {"GET", "/api/v1/rewards", h_rewards, 0, HTTP_LOGIN, HTTP_LOCKED},
};
const size_t http_case_nroutes = sizeof http_case_routes / sizeof http_case_routes[0];
