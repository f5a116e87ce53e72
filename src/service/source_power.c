/* source_power: 分表计电 — the production and treatment facilities of outlets (a facilities
 * file) and their hourly power (envwatch import power), the evidence treatment_off and
 * "running" read (source.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "service/lineimport.h"
#include "service/source.h"
#include "service/source_internal.h"

/* A facility code: what the power is stored under (the factor code of its values). */
static bool code_ok(const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z') ||
              (c[i] >= '0' && c[i] <= '9') || c[i] == '-' || c[i] == '_'))
            return false;
    return true;
}

static int kw_of(const char *f, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(f, &end);
    if (!*f || *end || errno || !isfinite(v) || v < 0 || v > 1e7)
        return -1;
    *out = v;
    return 0;
}

void source_facilities_free(source_facilities *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].outlet_mn);
        free(fs->v[i].code);
    }
    free(fs->v);
    *fs = (source_facilities){0};
}

int source_facilities_load(source_facilities *fs, const char *path, char *err, size_t errcap)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return ew_errf(err, errcap, EW_EINVALID, "%s: %s", path, strerror(errno));
    source_facilities got = {0};
    char line[512];
    int lineno = 0, rc = EW_OK;
    while (rc == EW_OK && fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#' || !strncmp(line, "outlet_mn,", 10))
            continue;
        char *f[5] = {0}, *p = line;
        int k = 0;
        for (; k < 5 && p; k++) {
            f[k] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = 0;
        }
        double kw = 0;
        source_facility x = {0};
        if (k != 4 || p)
            rc = ew_errf(err, errcap, EW_EINVALID,
                         "%s:%d: 4 fields expected "
                         "(outlet_mn,facility,role,running_kw)",
                         path, lineno);
        else if (!f[0][0] || strlen(f[0]) > 24)
            rc = ew_errf(err, errcap, EW_EINVALID, "%s:%d: outlet_mn: empty or over 24", path,
                         lineno);
        else if (!code_ok(f[1]))
            rc = ew_errf(err, errcap, EW_EINVALID,
                         "%s:%d: facility: 1 to 20 letters, digits, '-' or '_'", path, lineno);
        else if (strcmp(f[2], "production") && strcmp(f[2], "treatment"))
            rc = ew_errf(err, errcap, EW_EINVALID, "%s:%d: role: production or treatment", path,
                         lineno);
        else if (kw_of(f[3], &kw) < 0)
            rc = ew_errf(err, errcap, EW_EINVALID, "%s:%d: running_kw: '%s' is not a number >= 0",
                         path, lineno, f[3]);
        else {
            x.outlet_mn = xstrdup(f[0]);
            x.code = xstrdup(f[1]);
            x.treatment = f[2][0] == 't';
            x.running_milli = llround(kw * 1000.0);
            if (got.n == got.cap) {
                got.cap = got.cap ? 2 * got.cap : 8;
                got.v = xrealloc(got.v, got.cap * sizeof *got.v);
            }
            got.v[got.n++] = x;
        }
    }
    fclose(fp);
    if (rc) {
        source_facilities_free(&got);
        return rc;
    }
    source_facilities_free(fs);
    *fs = got;
    return EW_OK;
}

/* ---- envwatch import power ------------------------------------------------------------ */

/* mn,facility,hour,kw: the hour's mean power of a facility at an outlet, hour its start in
 * Beijing time. */
static int power_line(store *s, char **f, int nf, char *msg, size_t msgcap)
{
    (void)nf; /* always 4 */
    int64_t site = 0;
    if (source_outlet_id_of(s, f[0], &site, msg, msgcap) < 0)
        return EW_EINTERNAL;
    if (!site)
        return ew_errf(msg, msgcap, EW_EINVALID, "mn: no outlet %s", f[0]);
    if (!code_ok(f[1]))
        return ew_errf(msg, msgcap, EW_EINVALID, "facility: 1 to 20 letters, digits, '-' or '_'");
    ew_civil c;
    if (ew_parse_iso(f[2], strlen(f[2]), &c) || c.min || c.sec)
        return ew_errf(msg, msgcap, EW_EINVALID, "hour: '%s' is not YYYY-MM-DD HH:00", f[2]);
    double kw;
    if (kw_of(f[3], &kw) < 0)
        return ew_errf(msg, msgcap, EW_EINVALID, "kw: '%s' is not a number >= 0", f[3]);
    store_hour h = {.site_id = site,
                    .param = f[1],
                    .hour_utc = ew_bj_to_utc(&c),
                    .value = kw,
                    .min = kw,
                    .max = kw,
                    .n_min = 60,
                    .n_valid = 60,
                    .flag = "N"};
    return store_hour_put(s, &h, msg, msgcap) < 0 ? EW_EINTERNAL : EW_OK;
}

int source_import_power(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                        void *ctx, int *stored, int *bad, char *err, size_t errcap)
{
    return lineimport_run(s, text, n, 4, 4, power_line, on_error, ctx, stored, bad, err, errcap);
}
