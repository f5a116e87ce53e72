/* err: see err.h. */
#include "base/err.h"

#include <stdio.h>

const char *ew_rc_name(int rc)
{
    switch (rc) {
    case EW_ENOTFOUND: return "not_found";
    case EW_EFORBIDDEN: return "forbidden";
    case EW_EINVALID: return "invalid";
    case EW_ECONFLICT: return "conflict";
    case EW_EBUSY: return "busy";
    case EW_EFULL: return "storage_full";
    default: return rc >= 0 ? "ok" : "internal";
    }
}

int ew_rc_http(int rc)
{
    switch (rc) {
    case EW_ENOTFOUND: return 404;
    case EW_EFORBIDDEN: return 403;
    case EW_EINVALID: return 422;
    case EW_ECONFLICT: return 409;
    case EW_EBUSY: return 503;
    case EW_EFULL: return 507;
    default: return rc >= 0 ? 200 : 500;
    }
}

int ew_verrf(char *err, size_t errcap, int rc, const char *fmt, va_list ap)
{
    if (err && errcap > 0) {
        int n = vsnprintf(err, errcap, fmt, ap);
        if (n < 0)
            err[0] = '\0';
    }
    return rc;
}

int ew_errf(char *err, size_t errcap, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ew_verrf(err, errcap, rc, fmt, ap);
    va_end(ap);
    return rc;
}
