/* casework: service/case.h's state machine over cases stored with store/office.h (contract in
 * casework.h). A change is load → case_apply → store, all inside one BEGIN IMMEDIATE
 * transaction: the write lock is taken before the case is read, so two requests on the same
 * case cannot both apply a transition to the same state, and the case row and the events
 * appended are committed together or not at all. */
#include "service/casework.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "store/office.h"

static int fail(case_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(case_error *err, int rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static office_case to_office(const ew_case *c, int64_t id, int64_t updated_utc)
{
    return (office_case){
        .id = id,
        .tracking = c->tracking,
        .source = case_source_name(c->source),
        .category = case_category_name(c->category),
        .state = case_state_name(c->state),
        .location = c->location,
        .lon = c->lon,
        .lat = c->lat,
        .description = c->description,
        .attachments = c->attachments,
        .n_attachments = c->n_attachments,
        .unit = c->unit,
        .deadline_utc = c->deadline_utc,
        .supervision = c->supervision,
        .overdue_since_utc = c->overdue_since_utc,
        .created_utc = c->created_utc,
        .closed_utc = c->closed_utc,
        .reopen_count = c->reopen_count,
        .updated_utc = updated_utc,
        .n_events = (uint32_t)c->n_events,
    };
}

/* Append events [from, c->n_events) of c to the stored log of case id. */
static int append_events(store *s, int64_t id, const ew_case *c, size_t from, char *msg, size_t cap)
{
    for (size_t i = from; i < c->n_events; i++) {
        const case_event *e = &c->events[i];
        office_event oe = {
            .case_id = id,
            .seq = e->seq,
            .at_utc = e->at_utc,
            .action = case_action_name(e->action),
            .from_state = case_state_name(e->from),
            .to_state = case_state_name(e->to),
            .actor = e->actor,
            .role = auth_role_name(e->role),
            .reason = e->reason,
            .unit = e->unit,
            .deadline_utc = e->deadline_utc,
            .level = e->level,
            .evidence = e->evidence,
            .n_evidence = e->n_evidence,
            .finding = e->finding != CASE_FINDING_NONE ? case_finding_name(e->finding) : NULL,
        };
        if (office_event_append(s, &oe, msg, cap) < 0)
            return -1;
    }
    return 0;
}

int casework_open(store *s, const case_report *r, const case_actor *who,
                  const casework_meta *reporter, int64_t now_utc, int64_t *id_out,
                  char tracking[CASE_TRACKING_LEN + 1], case_error *err)
{
    ew_case *c = case_open(r, who, now_utc, err);
    /* case_open reports only through err: its refusals for the actor start "denied:". */
    if (!c)
        return err->msg[0] && strstr(err->msg, "denied") == err->msg ? CASE_E_DENIED
                                                                     : CASE_E_INVALID;
    office_case oc = to_office(c, 0, now_utc);
    oc.created_by = who->name ? who->name : auth_role_name(who->role);
    if (reporter) {
        oc.reporter_name = reporter->reporter_name;
        oc.reporter_contact = reporter->reporter_contact;
    }
    char msg[200];
    int64_t id = 0;
    int rc = 0;
    if (store_begin(s, msg, sizeof msg) < 0 ||
        office_case_insert(s, &oc, &id, msg, sizeof msg) < 0 ||
        append_events(s, id, c, 0, msg, sizeof msg) < 0 || store_commit(s, msg, sizeof msg) < 0) {
        store_rollback(s);
        rc = fail(err, CASEWORK_E_STORE, "storing the case failed: %s", msg);
    } else {
        if (id_out)
            *id_out = id;
        if (tracking)
            memcpy(tracking, c->tracking, CASE_TRACKING_LEN + 1);
    }
    case_free(c);
    return rc;
}

/* ---- loading ---- */

typedef struct loader {
    ew_case *c;
    casework_meta meta;
    case_error *err;
    int rc;
} loader;

static const char *keep_str(ew_case *c, const char *s)
{
    return s ? arena_strndup(&c->mem, s, strlen(s)) : NULL;
}

static int on_case(void *ctx, const office_case *oc)
{
    loader *l = ctx;
    case_snapshot snap = {
        .report = {.location = oc->location,
                   .lon = oc->lon,
                   .lat = oc->lat,
                   .description = oc->description,
                   .attachments = oc->attachments,
                   .n_attachments = oc->n_attachments},
        .tracking = oc->tracking,
        .unit = oc->unit,
        .deadline_utc = oc->deadline_utc,
        .supervision = oc->supervision,
        .overdue_since_utc = oc->overdue_since_utc,
        .created_utc = oc->created_utc,
        .closed_utc = oc->closed_utc,
        .reopen_count = oc->reopen_count,
    };
    if (case_source_parse(oc->source, &snap.report.source) < 0 ||
        case_category_parse(oc->category, &snap.report.category) < 0 ||
        case_state_parse(oc->state, &snap.state) < 0) {
        l->rc = fail(l->err, CASEWORK_E_STORE, "case %lld: unknown source, category or state",
                     (long long)oc->id);
        return 1;
    }
    l->c = case_restore(&snap, l->err);
    if (!l->c) {
        l->rc = CASEWORK_E_STORE;
        return 1;
    }
    l->meta = (casework_meta){
        .id = oc->id,
        .created_by = keep_str(l->c, oc->created_by),
        .reporter_name = keep_str(l->c, oc->reporter_name),
        .reporter_contact = keep_str(l->c, oc->reporter_contact),
        .updated_utc = oc->updated_utc,
    };
    return 0;
}

static int on_event(void *ctx, const office_event *oe)
{
    loader *l = ctx;
    case_event e = {
        .seq = oe->seq,
        .at_utc = oe->at_utc,
        .actor = oe->actor,
        .reason = oe->reason,
        .unit = oe->unit,
        .deadline_utc = oe->deadline_utc,
        .level = oe->level,
        .evidence = oe->evidence,
        .n_evidence = oe->n_evidence,
    };
    if ((oe->finding && case_finding_parse(oe->finding, &e.finding) < 0) ||
        case_action_parse(oe->action, &e.action) < 0 ||
        case_state_parse(oe->from_state, &e.from) < 0 ||
        case_state_parse(oe->to_state, &e.to) < 0 || auth_role_parse(oe->role, &e.role) < 0 ||
        case_restore_event(l->c, &e) < 0) {
        l->rc = fail(l->err, CASEWORK_E_STORE, "case %lld: event %u cannot be read back",
                     (long long)oe->case_id, oe->seq);
        return 1;
    }
    return 0;
}

ew_case *casework_load(store *s, int64_t id, casework_meta *meta, int *rc, case_error *err)
{
    loader l = {.err = err};
    char msg[200];
    int got = office_case_get(s, id, on_case, &l, msg, sizeof msg);
    int out = 0;
    if (l.rc)
        out = l.rc;
    else if (got < 0)
        out = fail(err, CASEWORK_E_STORE, "loading case %lld: %s", (long long)id, msg);
    else if (got == 0)
        out = fail(err, CASEWORK_E_NOTFOUND, "no case %lld", (long long)id);
    else if (office_events_each(s, id, on_event, &l, msg, sizeof msg) != 0)
        out = l.rc ? l.rc
                   : fail(err, CASEWORK_E_STORE, "loading the log of case %lld: %s", (long long)id,
                          msg);
    if (out) {
        case_free(l.c);
        if (rc)
            *rc = out;
        return NULL;
    }
    if (meta)
        *meta = l.meta;
    if (rc)
        *rc = 0;
    return l.c;
}

/* ---- access ---- */

bool casework_may_read(const ew_case *c, const case_actor *who)
{
    return auth_decide(who->role, who->org, c->unit, AUTH_CASE_READ).allow;
}

void casework_redact(casework_meta *meta, const case_actor *who)
{
    /* Reporters are protected (the plan's 有奖举报 promises confidentiality): only the bureau,
     * which handles the report and pays rewards, and administrators see who reported. */
    if (who->role == EW_ROLE_BUREAU || who->role == EW_ROLE_ADMIN)
        return;
    meta->reporter_name = NULL;
    meta->reporter_contact = NULL;
}

/* ---- changes ---- */

static int store_changes(store *s, const ew_case *c, int64_t id, size_t from, int64_t now_utc,
                         case_error *err)
{
    char msg[200];
    office_case oc = to_office(c, id, now_utc);
    if (office_case_update(s, &oc, msg, sizeof msg) < 0 ||
        append_events(s, id, c, from, msg, sizeof msg) < 0 ||
        store_commit(s, msg, sizeof msg) < 0) {
        store_rollback(s);
        return fail(err, CASEWORK_E_STORE, "storing case %lld failed: %s", (long long)id, msg);
    }
    return 0;
}

int casework_apply(store *s, int64_t id, const case_cmd *cmd, const case_actor *who,
                   int64_t now_utc, const case_policy *pol, case_error *err)
{
    char msg[200];
    if (store_begin(s, msg, sizeof msg) < 0)
        return fail(err, CASEWORK_E_STORE, "begin: %s", msg);
    int rc;
    ew_case *c = casework_load(s, id, NULL, &rc, err);
    if (!c) {
        store_rollback(s);
        return rc;
    }
    if (!casework_may_read(c, who)) {
        store_rollback(s);
        case_free(c);
        return fail(err, CASEWORK_E_NOTFOUND, "no case %lld", (long long)id);
    }
    size_t before = c->n_events;
    rc = case_apply(c, cmd, who, now_utc, pol, err);
    if (rc)
        store_rollback(s);
    else
        rc = store_changes(s, c, id, before, now_utc, err);
    case_free(c);
    return rc;
}

typedef struct id_list {
    int64_t *v;
    size_t n, cap;
} id_list;

static int collect_id(void *ctx, int64_t id)
{
    id_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = id;
    return 0;
}

int casework_escalate_due(store *s, int64_t now_utc, const case_policy *pol, int *raised,
                          case_error *err)
{
    if (!pol)
        pol = &case_policy_default;
    if (raised)
        *raised = 0;
    /* The ids first: each case is then changed in its own transaction, and no statement is
     * left open across those commits. */
    id_list ids = {0};
    char msg[200];
    if (office_cases_overdue(s, now_utc, collect_id, &ids, msg, sizeof msg) < 0) {
        free(ids.v);
        return fail(err, CASEWORK_E_STORE, "overdue cases: %s", msg);
    }
    int rc = 0;
    for (size_t i = 0; i < ids.n && !rc; i++) {
        if (store_begin(s, msg, sizeof msg) < 0) {
            rc = fail(err, CASEWORK_E_STORE, "begin: %s", msg);
            break;
        }
        int lrc;
        ew_case *c = casework_load(s, ids.v[i], NULL, &lrc, err);
        if (!c) {
            store_rollback(s);
            /* Gone meanwhile: nothing to escalate. */
            if (lrc != CASEWORK_E_NOTFOUND)
                rc = lrc;
            continue;
        }
        size_t before = c->n_events;
        int n = case_escalate(c, now_utc, pol);
        if (n > 0) {
            rc = store_changes(s, c, ids.v[i], before, now_utc, err);
            if (!rc && raised)
                *raised += n;
        } else {
            store_rollback(s);
        }
        case_free(c);
    }
    free(ids.v);
    return rc;
}

int casework_find_tracking(store *s, const char *typed, int64_t *id_out, case_error *err)
{
    char canon[CASE_TRACKING_LEN + 1];
    if (!typed || case_tracking_normalize(typed, canon) < 0)
        return fail(err, CASEWORK_E_NOTFOUND, "not a tracking code");
    char msg[200];
    int got = office_case_by_tracking(s, canon, id_out, msg, sizeof msg);
    if (got < 0)
        return fail(err, CASEWORK_E_STORE, "tracking lookup: %s", msg);
    if (got == 0)
        return fail(err, CASEWORK_E_NOTFOUND, "no case with tracking code %s", canon);
    return 0;
}
