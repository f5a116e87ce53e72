/* source: the stored state of pollution-source supervision — the permitted limits of each
 * outlet (a site of kind gas_outlet or water_outlet), marks (标记) over its data, the alerts
 * the rules raised (exceedance episodes and falsification suspects) and where each outlet's
 * last scan stopped. Schema migration 3 (docs/storage.md).
 *
 * Like store.h and office.h it speaks plain values only (rule ids, classes and states as
 * the integers and text service/source.h defines), so the rules live above this layer.
 *
 * Append-only: marks and alerts cannot be updated or deleted (triggers refuse it). A mark is
 * withdrawn or corrected by a new row that names the one it replaces; an alert that changes
 * (a continuing episode, a case opened for it) gets a new row with the same key (site,
 * rule, param, episode start) and the listings show the newest row of each key. Limits are
 * configuration, replaced in place; whoever changes them writes the audit entry
 * (office_audit_append) in the same transaction.
 *
 * Transactions: every function runs inside the caller's transaction when one is open; a
 * write with none open is its own. Strings passed in are borrowed for the call; strings
 * handed to callbacks are valid only until the callback returns, and a non-zero return from
 * a callback stops the iteration and is returned. Errors: a negative EW_E* code with a
 * message in err (err may be NULL); outputs are left as they were. */
#ifndef EW_STORE_SOURCE_H
#define EW_STORE_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

#define SOURCE_NO_VALUE INT64_MIN /* no reference O2, no multiple */

/* An outlet: a site of kind gas_outlet or water_outlet with its enterprise (NULL if none). */
typedef struct source_outlet {
    int64_t site_id;
    const char *mn, *name, *kind, *town, *enterprise;
} source_outlet;
typedef int (*source_outlet_fn)(void *ctx, const source_outlet *o);
/* Every outlet in site id order; enterprise non-NULL: only that enterprise's. site_id > 0:
 * only that site (when it is an outlet). Returns EW_OK or the callback's non-zero value. */
int source_outlets_each(store *s, const char *enterprise, int64_t site_id, source_outlet_fn fn,
                        void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* A permitted limit of one outlet, parameter (HJ 212 code) and averaging period. Values in
 * thousandths of the unit; kind "upper" uses max_milli, "range" lo/hi. */
typedef struct source_limit {
    int64_t site_id;
    const char *param;
    const char *period; /* "hour" or "day" */
    const char *kind;   /* "upper" or "range" */
    int64_t max_milli, lo_milli, hi_milli;
    int64_t o2_ref_milli; /* reference O2 (flue gas), SOURCE_NO_VALUE when none */
    const char *standard; /* where the figure comes from: "GB 13271-2014", "permit …" */
    int64_t updated_utc;
    const char *updated_by;
} source_limit;
typedef int (*source_limit_fn)(void *ctx, const source_limit *l);
/* Insert or replace the limit of (site, param, period). EW_EINVALID for a bad period or
 * kind, EW_ENOTFOUND for an unknown site, EW_EINTERNAL on storage errors. */
int source_limit_put(store *s, const source_limit *l, char *err, size_t errcap) EW_MUST_CHECK;
/* Call fn for each limit of site (0: every outlet's), in (site, param, period) order. */
int source_limits_each(store *s, int64_t site_id, source_limit_fn fn, void *ctx, char *err,
                       size_t errcap) EW_MUST_CHECK;

/* A mark over [from_utc, to_utc) of an outlet's data. cls is an exceed_mark_class
 * (standards/exceed.h), 0..7. who: "device" for marks from HJ 212 flags, else the user. */
typedef struct source_mark {
    int64_t id;
    int64_t site_id;
    int64_t from_utc, to_utc;
    int cls;
    const char *reason;
    const char *who;
    const char *evidence; /* attachment key or reference; NULL if none */
    const char *state;    /* "in_force" or "withdrawn" */
    int64_t replaces;     /* id of the mark this row corrects, 0 if none */
    int64_t created_utc;
} source_mark;
typedef int (*source_mark_fn)(void *ctx, const source_mark *m);
/* Append a mark; *id_out (may be NULL) its id. EW_EINVALID for to ≤ from, a class outside
 * 0..7 or a bad state, EW_ENOTFOUND for an unknown site or replaced mark. */
int source_mark_add(store *s, const source_mark *m, int64_t *id_out, char *err,
                    size_t errcap) EW_MUST_CHECK;
/* The current marks (rows no later row replaces) of site (0: all) overlapping [from, to),
 * by from_utc; in_force_only: skip withdrawn ones. */
int source_marks_each(store *s, int64_t site_id, int64_t from_utc, int64_t to_utc,
                      bool in_force_only, source_mark_fn fn, void *ctx, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* An alert row. Key: (site_id, rule, param, episode_utc) — the episode's first hour. */
typedef struct source_alert {
    int64_t id;
    int64_t site_id;
    const char *rule;  /* rule id: "exceedance_hourly", "constant_value", … */
    const char *param; /* HJ 212 code */
    int64_t episode_utc;
    int64_t from_utc, to_utc;
    int64_t value_milli;    /* the largest value of the episode */
    int64_t limit_milli;    /* the limit judged against (0 when the rule has none) */
    int64_t multiple_milli; /* exceedance multiple, SOURCE_NO_VALUE when none */
    const char *evidence;   /* JSON text: the hourly values, thresholds, marks honoured */
    const char *state;      /* "open", "marked", "closed" */
    int64_t case_id;        /* 0 when no case */
    int64_t created_utc;
    /* Filled by the reads: the outlet's enterprise (NULL if none). Ignored by add. */
    const char *enterprise;
} source_alert;
typedef int (*source_alert_fn)(void *ctx, const source_alert *a);
/* Append an alert row; *id_out (may be NULL) its id. EW_EINVALID for missing rule, param,
 * evidence or state, or to ≤ from. */
int source_alert_add(store *s, const source_alert *a, int64_t *id_out, char *err,
                     size_t errcap) EW_MUST_CHECK;
/* The newest row of a key: 1 and fn called, 0 if the key has none. */
int source_alert_latest(store *s, int64_t site_id, const char *rule, const char *param,
                        int64_t episode_utc, source_alert_fn fn, void *ctx, char *err,
                        size_t errcap) EW_MUST_CHECK;
/* Row id: 1 and fn called with the newest row of its key, 0 if no such row. */
int source_alert_get(store *s, int64_t id, source_alert_fn fn, void *ctx, char *err,
                     size_t errcap) EW_MUST_CHECK;

/* Filters of a listing; zero / NULL fields do not filter. Alerts overlapping [from, to). */
typedef struct source_alert_filter {
    int64_t site_id;
    const char *enterprise;
    const char *rule;
    const char *state;
    int64_t from_utc, to_utc; /* to 0: no upper bound */
    int64_t case_id;          /* > 0: only the alert whose case this is */
} source_alert_filter;
/* The newest row of every key that passes f, newest episode first. */
int source_alerts_each(store *s, const source_alert_filter *f, source_alert_fn fn, void *ctx,
                       char *err, size_t errcap) EW_MUST_CHECK;

/* Hourly values of (site, param) in [from, to): the device's hour data (HJ 212 2061), else
 * the platform's hour computed from minutes. value NAN when the row had none; flag "" when
 * none. In hour order. */
typedef int (*source_hour_fn)(void *ctx, int64_t hour_utc, double value, const char *flag);
int source_hours_each(store *s, int64_t site_id, const char *param, int64_t from_utc,
                      int64_t to_utc, source_hour_fn fn, void *ctx, char *err,
                      size_t errcap) EW_MUST_CHECK;
/* The cases the alerts opened, counted per (rule, state, finding): each case once per rule,
 * whatever the number of its alert rows. state is the case's (service/case.h names);
 * finding is the one its last verify recorded ("confirmed", "explained", "false_alarm"),
 * NULL for an open case or one closed without. enterprise non-NULL: only that enterprise's
 * outlets. Rows in (rule, state, finding) order; strings live until fn returns. */
typedef int (*source_case_count_fn)(void *ctx, const char *rule, const char *state,
                                    const char *finding, int64_t n);
int source_alert_cases_each(store *s, const char *enterprise, source_case_count_fn fn, void *ctx,
                            char *err, size_t errcap) EW_MUST_CHECK;

/* The hours of (site, param) in [from, to) holding real-time values (CN 2011, period rtd),
 * in hour order: per hour its start, the mean of the values flagged N (or unflagged), their
 * number, and the first and last instants among them. An hour whose values are all abnormal
 * comes with n 0, mean NAN, first and last 0. For 分表计电 power sent in real time
 * (HJ 212-2025 C37 / C38). */
typedef int (*source_rtd_hour_fn)(void *ctx, int64_t hour_utc, double mean, int64_t n,
                                  int64_t first_utc, int64_t last_utc);
int source_rtd_hours_each(store *s, int64_t site_id, const char *param, int64_t from_utc,
                          int64_t to_utc, source_rtd_hour_fn fn, void *ctx, char *err,
                          size_t errcap) EW_MUST_CHECK;

/* The latest hour holding any hourly value of the site: 1 and *out, 0 if none. */
int source_last_hour(store *s, int64_t site_id, int64_t *out, char *err,
                     size_t errcap) EW_MUST_CHECK;

/* Where the scan of an outlet stopped: the last hour it judged. 1 and *out, 0 if never. */
int source_scan_get(store *s, int64_t site_id, int64_t *out, char *err,
                    size_t errcap) EW_MUST_CHECK;
int source_scan_put(store *s, int64_t site_id, int64_t last_hour_utc, char *err,
                    size_t errcap) EW_MUST_CHECK;

#endif
