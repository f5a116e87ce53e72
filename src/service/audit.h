/* audit: one entry of the audit log (store/office.h's append-only audit table) for a change a
 * person or the platform made — the one way services and routes write it.
 *
 * audit_note appends {now_utc, actor, action, object, detail, addr} (object, detail and addr
 * may be NULL). EW_OK, or EW_EINTERNAL with err filled: whether a failed entry fails the
 * change it records is the caller's decision (a change that must be accounted for fails;
 * a login is not refused because its record could not be written, but the failure is
 * logged). */
#ifndef EW_SERVICE_AUDIT_H
#define EW_SERVICE_AUDIT_H
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

int audit_note(store *s, int64_t now_utc, const char *actor, const char *action, const char *object,
               const char *detail, const char *addr, char *err, size_t errcap) EW_MUST_CHECK;

#endif
