/* lineimport: see lineimport.h. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "service/lineimport.h"
#include "service/textlines.h"

enum { MAX_FIELDS = 16 };

int lineimport_run(store *s, const char *text, size_t n, int nfields, lineimport_line_fn fn,
                   lineimport_error_fn on_error, void *ctx, int *stored, int *bad, char *err,
                   size_t errcap)
{
    if (nfields < 1 || nfields > MAX_FIELDS)
        return ew_errf(err, errcap, EW_EINVALID, "import: %d fields is not 1..%d", nfields,
                       MAX_FIELDS);
    char *buf = xmalloc(n + 1); /* textlines cuts the lines in place */
    memcpy(buf, text, n);
    buf[n] = 0;
    if (store_begin(s, err, errcap) < 0) {
        free(buf);
        return EW_EINTERNAL;
    }
    textlines tl = {.next = buf, .header = 1};
    int good = 0, wrong = 0;
    char *line;
    while ((line = textlines_next(&tl))) {
        char *f[MAX_FIELDS + 1], msg[256] = "";
        int k = textlines_split(line, f, nfields + 1);
        int rc = k == nfields ? fn(s, f, msg, sizeof msg)
                              : ew_errf(msg, sizeof msg, EW_EINVALID,
                                        "expected %d fields, found %s%d", nfields,
                                        k > nfields ? "more than " : "", k > nfields ? nfields : k);
        if (rc == EW_EINVALID) {
            wrong++;
            if (on_error)
                on_error(ctx, tl.lineno, msg);
        } else if (rc < 0) {
            ew_errf(err, errcap, rc, "line %d: %s", tl.lineno, msg);
            store_rollback(s);
            free(buf);
            return rc;
        } else {
            good++;
        }
    }
    free(buf);
    if (store_commit(s, err, errcap) < 0) {
        store_rollback(s);
        return EW_EINTERNAL;
    }
    *stored = good;
    *bad = wrong;
    return 0;
}
