/* source_config: the scan's thresholds by name, from the bureau's file (source.h,
 * source_config_set / source_config_load). Names and units are in docs/source-standards.md. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/source.h"

/* How a value is written: whole hours or periods, thousandths of the value's unit, a share
 * 0..1 kept in per mille, a multiple (kept in per mille), or whole days. */
typedef enum { T_HOURS, T_MILLI, T_SHARE, T_MULTIPLE, T_DAYS } th_kind;

static const struct {
    const char *name;
    th_kind kind;
    size_t off; /* in source_config */
} names[] = {
#define SP(f) offsetof(source_config, screen) + offsetof(screen_params, f)
    {"constant_min_hours", T_HOURS, SP(constant_min_hours)},
    {"constant_tolerance", T_MILLI, SP(constant_tolerance_milli)},
    {"zero_min_hours", T_HOURS, SP(zero_min_hours)},
    {"zero_threshold", T_MILLI, SP(zero_threshold_milli)},
    {"o2_min_hours", T_HOURS, SP(o2_min_hours)},
    {"o2_high", T_MILLI, SP(o2_high_milli)},
    {"below_band", T_SHARE, SP(below_band_permille)},
    {"below_share", T_SHARE, SP(below_share_permille)},
    {"below_min_hours", T_HOURS, SP(below_min_hours)},
    {"drop_share", T_SHARE, SP(drop_share_permille)},
    {"treatment_running", T_MILLI, SP(treatment_running_milli)},
    {"treatment_min_hours", T_HOURS, SP(treatment_min_hours)},
    {"stop_running_min_hours", T_HOURS, SP(stop_running_min_hours)},
    {"marked_exceed_min_periods", T_HOURS, SP(marked_exceed_min_periods)},
    {"marked_exceed_share", T_SHARE, SP(marked_exceed_share_permille)},
    {"transmission_min", T_SHARE, SP(transmission_min_permille)},
    {"inversion_tolerance", T_MILLI, SP(inversion_tolerance_milli)},
    {"inversion_min_hours", T_HOURS, SP(inversion_min_hours)},
    {"flow_low", T_SHARE, SP(flow_low_permille)},
    {"flow_high", T_MULTIPLE, SP(flow_high_permille)},
    {"flow_min_hours", T_HOURS, SP(flow_min_hours)},
    {"flow_reference_min_hours", T_HOURS, SP(flow_ref_min_hours)},
    {"silent_min_hours", T_HOURS, SP(silent_min_hours)},
#undef SP
    {"deadline_days", T_DAYS, offsetof(source_config, deadline_s)},
};

int source_config_set(source_config *cfg, const char *name, const char *value, char *err,
                      size_t errcap)
{
    size_t i = 0, n = sizeof names / sizeof names[0];
    while (i < n && strcmp(names[i].name, name))
        i++;
    if (i == n)
        return ew_errf(err, errcap, EW_EINVALID, "%s: no such threshold", name);
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (errno || end == value || *end || !isfinite(v) || v < 0 || v > 1e9)
        return ew_errf(err, errcap, EW_EINVALID, "%s: '%s' is not a number >= 0", name, value);
    source_config c = *cfg;
    char *at = (char *)&c + names[i].off;
    switch (names[i].kind) {
    case T_HOURS:
        if (v != floor(v) || v > 8784)
            return ew_errf(err, errcap, EW_EINVALID,
                           "%s: '%s' is not a whole number of hours "
                           "up to a year",
                           name, value);
        if (!strcmp(name, "marked_exceed_min_periods"))
            *(int64_t *)at = (int64_t)v;
        else
            *(int *)at = (int)v;
        break;
    case T_MILLI:
        *(int64_t *)at = llround(v * 1000.0);
        break;
    case T_SHARE:
        if (v > 1)
            return ew_errf(err, errcap, EW_EINVALID, "%s: '%s' is not a share from 0 to 1", name,
                           value);
        *(int *)at = (int)llround(v * 1000.0);
        break;
    case T_MULTIPLE:
        *(int *)at = (int)llround(fmin(v, 1e6) * 1000.0);
        break;
    case T_DAYS:
        if (v != floor(v) || v < 1 || v > 366)
            return ew_errf(err, errcap, EW_EINVALID, "%s: '%s' is not 1 to 366 days", name, value);
        *(int64_t *)at = (int64_t)v * 86400;
        break;
    }
    if (!screen_params_ok(&c.screen))
        return ew_errf(err, errcap, EW_EINVALID,
                       "%s: %s is out of the threshold's range "
                       "(docs/source-standards.md)",
                       name, value);
    *cfg = c;
    return EW_OK;
}

/* s without leading and trailing blanks (in place). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = 0;
    return s;
}

int source_config_load(source_config *cfg, const char *path, char *err, size_t errcap)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return ew_errf(err, errcap, EW_EINVALID, "%s: %s", path, strerror(errno));
    source_config c = *cfg;
    char line[512], why[256];
    int lineno = 0, rc = EW_OK;
    while (rc == EW_OK && fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "#\r\n")] = 0; /* a comment runs to the end of the line */
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = ew_errf(err, errcap, EW_EINVALID, "%s:%d: 'name = value' expected", path, lineno);
            break;
        }
        *eq = 0;
        if ((rc = source_config_set(&c, trim(s), trim(eq + 1), why, sizeof why)))
            ew_errf(err, errcap, rc, "%s:%d: %s", path, lineno, why);
    }
    fclose(fp);
    if (rc == EW_OK)
        *cfg = c;
    return rc;
}
