/* casework: cases as the platform keeps them — the pure state machine of service/case.h
 * applied to cases stored through store/office.h. Each call that changes something runs in
 * one transaction on a read-write store handle: the case row and the events it appends are
 * committed together or not at all, so the log and the state never disagree.
 *
 * Access is decided here too, with service/auth.h's table, so that every caller (HTTP API,
 * command line, scheduled escalation) enforces the same rules:
 *   - reading a case: AUTH_CASE_READ with object org = the unit the case is assigned to
 *     (unit staff see their own unit's cases; bureau, auditors and admins see all);
 *   - a transition: the action's AUTH_CASE_* check (in case_apply);
 *   - the reporter's name and contact are part of a case only for bureau staff and admins
 *     (casework_redact clears them for everyone else, auditors included).
 * Public reporters follow their report by tracking code (casework_track) and see its
 * state, dates and the public part of its timeline, never names of staff or contacts. */
#ifndef EW_SERVICE_CASEWORK_H
#define EW_SERVICE_CASEWORK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/auth.h"
#include "service/case.h"
#include "store/store.h"

/* Errors beyond case.h's CASE_E_STATE, CASE_E_DENIED, CASE_E_INVALID. */
enum { CASEWORK_E_NOTFOUND = -10, CASEWORK_E_STORE = -11 };

/* What storage keeps beside ew_case. Strings live in the case's arena (casework_load) or are
 * borrowed (casework_open). */
typedef struct casework_meta {
    int64_t id;
    const char *created_by;       /* user name or "public" */
    const char *reporter_name;    /* NULL if none or redacted */
    const char *reporter_contact; /* NULL if none or redacted */
    int64_t updated_utc;
} casework_meta;

/* Open a case (case_open) and store it with its first event. reporter may be NULL (or its
 * fields NULL) except for public reports that leave a contact. On success *id_out and
 * tracking (CASE_TRACKING_LEN + 1 bytes) are filled and 0 returned; else a negative error
 * with err->msg. */
int casework_open(store *s, const case_report *r, const case_actor *who,
                  const casework_meta *reporter, int64_t now_utc, int64_t *id_out,
                  char tracking[CASE_TRACKING_LEN + 1], case_error *err);

/* Load case id with its whole log. Returns the case (free with case_free) and fills *meta
 * (may be NULL), or NULL with err (CASEWORK_E_NOTFOUND or CASEWORK_E_STORE in *rc). */
ew_case *casework_load(store *s, int64_t id, casework_meta *meta, int *rc, case_error *err);

/* May who read this case? (AUTH_CASE_READ scoped to the case's unit.) */
bool casework_may_read(const ew_case *c, const case_actor *who);
/* Clear what who may not see of the reporter (name, contact). */
void casework_redact(casework_meta *meta, const case_actor *who);

/* Load, check, apply one transition (case_apply) and store the result in one transaction.
 * Returns 0, a CASE_E_* (nothing stored), CASEWORK_E_NOTFOUND or CASEWORK_E_STORE. A unit
 * that may not read the case gets CASEWORK_E_NOTFOUND, not CASE_E_DENIED, so that it cannot
 * probe which case ids exist. */
int casework_apply(store *s, int64_t id, const case_cmd *cmd, const case_actor *who,
                   int64_t now_utc, const case_policy *pol, case_error *err);

/* Escalate every overdue case (case_escalate) and store the new events; one transaction per
 * case. *raised receives the number of levels raised in all. Returns 0 or CASEWORK_E_STORE. */
int casework_escalate_due(store *s, int64_t now_utc, const case_policy *pol, int *raised,
                          case_error *err);

/* The id of the case with a tracking code as the reporter typed it (normalised first):
 * 0 and *id_out, CASEWORK_E_NOTFOUND, or CASEWORK_E_STORE. */
int casework_find_tracking(store *s, const char *typed, int64_t *id_out, case_error *err);

#endif
