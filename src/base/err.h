/* err: the one error convention of envwatch.
 *
 * Every fallible function returns an int: EW_OK (0) or a documented non-negative value on
 * success, one of the negative EW_E* codes below on failure. Functions that can say more take
 * two trailing parameters (char *err, size_t errcap); on failure they write a NUL-terminated
 * message naming the operation and what was wrong (ew_errf), on success they leave err as it
 * was. err may be NULL (errcap is then ignored). A caller that logs err after a failure can
 * therefore rely on it holding a message: a failure path that returns without filling err is
 * a bug (ew_errf with a fixed text is the minimum).
 *
 * The codes distinguish what a caller must do differently, not where the failure happened:
 *   EW_EINTERNAL   storage, I/O or a broken invariant: retry later or report; 500 over HTTP.
 *   EW_ENOTFOUND   the object does not exist, or the caller may not know that it does: 404.
 *   EW_EFORBIDDEN  it exists and the caller may see it, but not do this: 403.
 *   EW_EINVALID    the request itself is malformed or breaks a rule: 400/422.
 *   EW_ECONFLICT   the request is valid but the object's state forbids it now: 409.
 *   EW_EBUSY       a lock or a limit: try again later (429/503).
 *   EW_EFULL       the storage is full: nothing was written.
 * Module-specific codes, where a module keeps them, are below EW_EMODULE.
 *
 * Every fallible function is declared EW_MUST_CHECK; the build uses -Werror, so an ignored
 * result does not compile. A deliberately ignored result is written (void)!f(...). */
#ifndef EW_BASE_ERR_H
#define EW_BASE_ERR_H
#include <stdarg.h>
#include <stddef.h>

#define EW_MUST_CHECK __attribute__((warn_unused_result))

enum {
    EW_OK = 0,
    EW_EINTERNAL = -1,
    EW_ENOTFOUND = -2,
    EW_EFORBIDDEN = -3,
    EW_EINVALID = -4,
    EW_ECONFLICT = -5,
    EW_EBUSY = -6,
    EW_EFULL = -7,
    EW_EMODULE = -100
};

/* The code's name ("not_found", "forbidden", …), the stable token the API's error bodies
 * carry; "internal" for any code it does not know. Static storage. */
const char *ew_rc_name(int rc);

/* The HTTP status a code maps to (200 for EW_OK and non-negative values). */
int ew_rc_http(int rc);

/* printf into err (when err is not NULL and errcap > 0), always NUL-terminated, truncated to
 * fit. Returns rc, so a failure path reads `return ew_errf(err, errcap, EW_EINVALID, …);`. */
int ew_errf(char *err, size_t errcap, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int ew_verrf(char *err, size_t errcap, int rc, const char *fmt, va_list ap);

#endif
