/* lineimport: see lineimport.h. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "service/lineimport.h"
#include "service/textlines.h"

enum { MAX_FIELDS = 16 };

/* Spaces around a field are not part of it ("CH01, 1.5" is "CH01" and "1.5"). */
static char *trim(char *f)
{
    while (*f == ' ')
        f++;
    size_t n = strlen(f);
    while (n && f[n - 1] == ' ')
        f[--n] = 0;
    return f;
}

int lineimport_flag(const char *f, const char *name, bool *out, char *msg, size_t msgcap)
{
    if (strcmp(f, "0") && strcmp(f, "1"))
        return ew_errf(msg, msgcap, EW_EINVALID, "%s: '%s' is not 0 or 1", name, f);
    *out = f[0] == '1';
    return 0;
}

int lineimport_run(store *s, const char *text, size_t n, int min_fields, int max_fields,
                   lineimport_line_fn fn, lineimport_error_fn on_error, void *ctx, int *stored,
                   int *bad, char *err, size_t errcap)
{
    if (min_fields < 1 || max_fields < min_fields || max_fields > MAX_FIELDS)
        return ew_errf(err, errcap, EW_EINVALID, "import: %d..%d fields is not within 1..%d",
                       min_fields, max_fields, MAX_FIELDS);
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
        int k = textlines_split(line, f, max_fields + 1);
        for (int i = 0; i < k; i++)
            f[i] = trim(f[i]);
        int rc;
        if (k >= min_fields && k <= max_fields)
            rc = fn(s, f, k, msg, sizeof msg);
        else if (min_fields == max_fields)
            rc = ew_errf(msg, sizeof msg, EW_EINVALID, "expected %d fields, found %s%d", min_fields,
                         k > max_fields ? "more than " : "", k > max_fields ? max_fields : k);
        else
            rc = ew_errf(msg, sizeof msg, EW_EINVALID, "expected %d to %d fields, found %s%d",
                         min_fields, max_fields, k > max_fields ? "more than " : "",
                         k > max_fields ? max_fields : k);
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
