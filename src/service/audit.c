/* audit: entries of the audit log (see audit.h). */
#include "service/audit.h"

#include "store/office.h"

int audit_note(store *s, int64_t now_utc, const char *actor, const char *action, const char *object,
               const char *detail, const char *addr, char *err, size_t errcap)
{
    office_audit a = {.at_utc = now_utc,
                      .actor = actor,
                      .action = action,
                      .object = object,
                      .detail = detail,
                      .addr = addr};
    char msg[256] = "";
    if (office_audit_append(s, &a, msg, sizeof msg) < 0)
        return ew_errf(err, errcap, EW_EINTERNAL, "audit %s: %s", action, msg);
    return EW_OK;
}
