/* source: pollution-source supervision as a service — the outlets' permitted limits (loaded
 * from a file, docs/source-limits.md, or set through the API, every change in the audit
 * log), marks (标记), and the scan that turns new hourly data into alerts and cases.
 *
 * The scan (source_scan) takes each outlet with new hourly data since its last scan, reads
 * its hourly values back over a lookback window (so that an episode that goes on across two
 * scans is seen whole and keeps its key), judges them with the pure rules of standards/:
 * fluegas_correct (折算 to the reference O2), exceed_episodes (mark-aware) and the screens of
 * screen.h (the catalogue, source_rules_each, says which run on what), and stores one alert
 * per (outlet, rule, parameter, episode start). An
 * open alert opens one case (source monitoring_alert, category exceedance or
 * data_falsification) through service/casework.h, accepted and assigned to the configured
 * enforcement unit; a later scan that sees the same episode grow adds a newer alert row
 * with the same case, never a second case. Exceedances whose hours all lie under marks that
 * invalidate data are stored with state "marked" and open no case (MEE 公告 2022 年第 21 号).
 *
 * Daily limits (wastewater) are judged on the flow-weighted daily means of the Beijing days
 * (ww_day_value, volumes from the outlet's flow w00000), rule exceedance_daily; range limits
 * (pH) are stored and listed but not judged yet.
 *
 * Access follows the monitoring data's (service/auth.h): a role with AUTH_DATA_READ (admin,
 * bureau, units, auditors) sees every outlet; an enterprise sees only the outlets of its own
 * enterprise (AUTH_DATA_READ_OWN, org = the enterprise's name) and may file marks on them;
 * the public sees none. Only the bureau and administrators change limits; marks are filed
 * by them and by enterprises.
 *
 * Errors: negative EW_E* codes (base/err.h) with a message in err; EW_EFORBIDDEN for a caller
 * who may not, EW_ENOTFOUND for an object the caller may not know of. Strings passed in are
 * borrowed for the call; strings given to callbacks live until the callback returns. */
#ifndef EW_SERVICE_SOURCE_H
#define EW_SERVICE_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "service/lineimport.h"
#include "standards/screen.h"
#include "store/source.h"

/* 分表计电: a production or treatment facility of an outlet, whose hourly power (kW) is stored
 * as the outlet's values under its code (envwatch import power). HJ 212-2025 Annex C sends
 * these powers as real-time data (C37 production, C38 treatment, CN 2011,
 * "<facility>-Rtd"); the standard's facility codes, ST and electrical quantity were not at
 * hand, so the code is the operator's, kept in the facilities file. */
typedef struct source_facility {
    char *outlet_mn;       /* the outlet it belongs to */
    char *code;            /* what its power is stored under */
    bool treatment;        /* treatment facility (治理设施); else production (生产设施) */
    int64_t running_milli; /* at or above this power (thousandths of kW) it runs */
} source_facility;

typedef struct source_facilities {
    source_facility *v;
    size_t n, cap;
} source_facilities;

/* Read a facilities file (docs/source-standards.md): "outlet_mn,facility,role,running_kw"
 * lines, role production or treatment, '#' comments, an optional header. All or nothing: on
 * EW_EINVALID (err names the file and line) *fs is unchanged; on success its old contents
 * are freed and replaced. */
int source_facilities_load(source_facilities *fs, const char *path, char *err,
                           size_t errcap) EW_MUST_CHECK;
/* Free the list; *fs is then empty. */
void source_facilities_free(source_facilities *fs);

typedef struct source_config {
    const char
        *unit; /* unit the cases are assigned to; default "zonghe-zhifa" (区综合行政执法局) */
    int64_t deadline_s; /* rectification deadline after the case opens; default 7 days */
    /* How far before the first new hour a scan reads again: an episode or a constant run
     * that started within it keeps its key. Default 72 h (3 days). */
    int64_t lookback_s;
    int64_t first_window_s; /* an outlet never scanned: this much before its last hour; 7 d */
    int64_t o2_guard_milli; /* fluegas guard, default FLUEGAS_O2_GUARD_DEFAULT (19 %) */
    screen_params screen;   /* thresholds of the screens, screen_params_default() */
    /* The outlets' facilities (borrowed; NULL: none): production power decides "running",
     * treatment power is judged by treatment_off. */
    const source_facilities *facilities;
} source_config;

source_config source_config_default(void);

/* Set one threshold of cfg by name, value a decimal in the unit docs/source-standards.md
 * names ("thresholds" file): whole hours (constant_min_hours, zero_min_hours, o2_min_hours,
 * below_min_hours, treatment_min_hours, stop_running_min_hours, marked_exceed_min_periods,
 * inversion_min_hours, flow_min_hours, flow_reference_min_hours), the value's unit
 * (constant_tolerance, zero_threshold, o2_high in %, treatment_running in kW,
 * inversion_tolerance in mg/L), shares from 0 to 1 (below_band, below_share, drop_share,
 * marked_exceed_share, transmission_min, flow_low), a multiple (flow_high), or days
 * (deadline_days). Returns EW_OK, or EW_EINVALID with err for an
 * unknown name, a value that is not a number or out of the range screen.h states; *cfg is
 * then unchanged. */
int source_config_set(source_config *cfg, const char *name, const char *value, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* Apply a thresholds file to cfg: "name = value" lines, '#' comments, blank lines. All or
 * nothing: on EW_EINVALID (err names the file and line) *cfg is unchanged. */
int source_config_load(source_config *cfg, const char *path, char *err,
                       size_t errcap) EW_MUST_CHECK;

/* What one scan did. */
typedef struct source_scan_result {
    int outlets;      /* outlets with new data that were judged */
    int64_t hours;    /* hourly values read */
    int alerts_new;   /* keys seen for the first time */
    int alerts_moved; /* newer rows of known keys (an episode grew, a mark changed it) */
    int cases_opened;
} source_scan_result;

/* Scan every outlet with new hourly data at now_utc. Each outlet is judged in its own
 * transactions (its alerts, then its scan position), so a failure leaves earlier outlets
 * done and the failed one to the next scan. Returns EW_OK with *out, or a negative code
 * with err (*out holds what was done before). Running it twice over the same data adds
 * nothing. A case is opened in its own transaction before the alert row that names it: a
 * crash between the two may leave one case without its alert row. */
int source_scan(store *s, const source_config *cfg, int64_t now_utc, source_scan_result *out,
                char *err, size_t errcap) EW_MUST_CHECK;

/* Judge every outlet's hours in [from_utc, to_utc) again, as the scan does, without reading
 * or moving the scan positions (envwatch rules run). Idempotent: an alert whose newest row
 * says the same is not stored again, and no episode opens a second case. Windows widen to
 * the whole Beijing days and weeks the rules judge over. Returns EW_OK with *out,
 * EW_EINVALID when to_utc ≤ from_utc, or another negative code with err. */
int source_rescan(store *s, const source_config *cfg, int64_t from_utc, int64_t to_utc,
                  int64_t now_utc, source_scan_result *out, char *err, size_t errcap) EW_MUST_CHECK;

/* envwatch import power: "mn,facility,hour,kw" lines, the mean power of an outlet's facility
 * over the hour starting at hour (Beijing "YYYY-MM-DD HH:00"), stored as the outlet's hourly
 * value of the facility's code (flag N); a later line of the same hour replaces it. The
 * conventions of lineimport_run (service/lineimport.h). */
int source_import_power(store *s, const char *text, size_t n, lineimport_error_fn on_error,
                        void *ctx, int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;

/* A rule of the scan as the catalogue shows it (GET /rules, envwatch rules list). Strings are
 * static, except thresholds, which lives until the callback returns. */
typedef struct source_rule {
    const char *id;         /* stable id, the alerts' "rule" */
    const char *name_zh;    /* "恒值" */
    const char *reason_zh;  /* why a hit matters, one sentence */
    const char *source;     /* the clause, or where the idea and its defaults come from */
    const char *thresholds; /* JSON object text: the figures the scan applies under cfg */
    bool applied;           /* false: catalogued but not run (note says why) */
    const char *note;       /* what the rule is judged on here, or why it is not run */
} source_rule;
typedef int (*source_rule_fn)(void *ctx, const source_rule *r);

/* Every rule in catalogue order under cfg (NULL: the defaults). Returns 0, or fn's first
 * non-zero value (which stops the walk). */
int source_rules_each(const source_config *cfg, source_rule_fn fn, void *ctx);

/* What became of the cases a rule's alerts opened: the findings recorded when they were
 * closed (service/case.h case_finding) are how the bureau learns which rule cries wolf. */
typedef struct source_rule_cases {
    int64_t total;  /* every case the rule's alerts opened (each case once) */
    int64_t open;   /* neither closed nor rejected */
    int64_t closed; /* closed, with or without a finding */
    int64_t confirmed, explained, false_alarm; /* closed, by the finding of the last verify */
    double false_alarm_share; /* false_alarm ÷ (confirmed + explained + false_alarm); NAN if 0 */
} source_rule_cases;
typedef int (*source_rule_cases_fn)(void *ctx, const char *rule, const source_rule_cases *c);

/* For every rule of the catalogue, in its order (zeros for a rule without cases), the cases
 * of the outlets who may see: every outlet for a role with AUTH_DATA_READ, its own for an
 * enterprise, EW_EFORBIDDEN for others (source_scope). A case opened by alerts of two rules
 * counts under each. EW_OK, fn's first non-zero value, or EW_EINTERNAL. */
int source_rule_cases_each(store *s, const case_actor *who, source_rule_cases_fn fn, void *ctx,
                           char *err, size_t errcap) EW_MUST_CHECK;

/* The Chinese name of a rule id ("恒值"), or NULL for an id the catalogue does not hold. */
const char *source_rule_zh(const char *id);

/* The enterprise a caller is confined to: EW_OK with *enterprise NULL (sees all) or the
 * caller's enterprise (borrowed from who); EW_EFORBIDDEN when the caller sees none. */
int source_scope(const case_actor *who, const char **enterprise, char *err,
                 size_t errcap) EW_MUST_CHECK;

/* The outlets who may see, each with its limits (n_limits of them, borrowed for the call). */
typedef int (*source_outlet_view_fn)(void *ctx, const source_outlet *o, const source_limit *limits,
                                     size_t n_limits);
int source_outlets_list(store *s, const case_actor *who, source_outlet_view_fn fn, void *ctx,
                        char *err, size_t errcap) EW_MUST_CHECK;

/* Set one limit of an outlet (bureau or admin only) and write the audit entry
 * "source.limit.put" (addr may be NULL) in the same transaction. l->updated_utc and
 * l->updated_by are taken from now_utc and who. EW_EFORBIDDEN, EW_ENOTFOUND (no such
 * outlet), EW_EINVALID (a bad limit), EW_EINTERNAL. */
int source_limit_set(store *s, const case_actor *who, const char *addr, const source_limit *l,
                     int64_t now_utc, char *err, size_t errcap) EW_MUST_CHECK;

/* Load a limits file (CSV, docs/source-limits.md) in one transaction, each row audited as
 * actor; *n_rows (may be NULL) the limits set. A row naming a standard, a source type and a
 * level with no param sets every hourly row of that standard in standards/limits.h that has
 * an HJ 212 code. EW_EINVALID with the line number in err for a bad row (nothing stored),
 * EW_ENOTFOUND for an unknown MN, EW_EINTERNAL for I/O. */
int source_limits_load(store *s, const char *path, const char *actor, int64_t now_utc, int *n_rows,
                       char *err, size_t errcap) EW_MUST_CHECK;

/* Mark classes by name: "comm_break", "device_maint", "manual_value", "non_liability",
 * "param_maint", "treatment", "production", "cems_switch" (the order of exceed_mark_class).
 * Returns 0 and *cls, or -1. */
int source_mark_class_parse(const char *name, int *cls);
const char *source_mark_class_name(int cls); /* NULL when out of range */

/* File a mark (state in_force, or the state m gives) by who: the bureau and admins on any
 * outlet, an enterprise on its own. m->who and created_utc are set here; the audit entry
 * "source.mark.add" is written with it. *id_out (may be NULL) the new id. EW_EINVALID (nothing
 * stored) when m->reason is empty or m->to_utc is not after m->from_utc. */
int source_mark_file(store *s, const case_actor *who, const char *addr, const source_mark *m,
                     int64_t now_utc, int64_t *id_out, char *err, size_t errcap) EW_MUST_CHECK;
/* The current marks of the outlets who may see overlapping [from, to) (site_id 0: all). */
int source_marks_list(store *s, const case_actor *who, int64_t site_id, int64_t from_utc,
                      int64_t to_utc, source_mark_fn fn, void *ctx, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* Alerts who may see, newest row per key, filtered by f (f->enterprise is overridden by the
 * caller's scope). */
int source_alerts_list(store *s, const case_actor *who, const source_alert_filter *f,
                       source_alert_fn fn, void *ctx, char *err, size_t errcap) EW_MUST_CHECK;
/* One alert (the newest row of the key of row id): EW_OK and fn called, or EW_ENOTFOUND
 * (no such alert, or one of another enterprise's outlets). */
int source_alert_show(store *s, const case_actor *who, int64_t id, source_alert_fn fn, void *ctx,
                      char *err, size_t errcap) EW_MUST_CHECK;

#endif
