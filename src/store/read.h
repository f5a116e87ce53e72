/* read: the read-only queries behind the HTTP API and the dashboard.
 *
 * A reader is one read-only SQLite connection (SQLITE_OPEN_READONLY; in WAL mode it reads a
 * consistent snapshot beside the ingest writer without blocking it) with its prepared
 * statements cached. One reader belongs to one thread at a time; the HTTP server keeps a
 * pool of them.
 *
 * Results are delivered row by row to a callback, so a query allocates nothing per row or
 * field: strings in a row are borrowed and valid only until the callback returns. A
 * non-zero return from the callback stops the query and is returned.
 *
 * Errors: negative return with a message naming the query in err. */
#ifndef EW_STORE_READ_H
#define EW_STORE_READ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ew_reader ew_reader;

/* Open a reader on the database at path (which must exist); path is a locator as for
 * store_open: "sqlite:FILE" or a plain file path. NULL + err on failure. */
ew_reader *ew_read_open(const char *path, char *err, size_t errcap);
void ew_read_close(ew_reader *r);

/* A site. lon/lat are NAN when unknown; enterprise is "" when none. */
typedef struct ew_read_site {
    int64_t id;
    const char *mn, *kind, *name, *town, *enterprise, *status;
    double lon, lat;
} ew_read_site;
typedef int (*ew_read_site_fn)(void *ctx, const ew_read_site *s);
/* Sites in id order; kind/town filter when not NULL; id > 0 selects one site. */
int ew_read_sites(ew_reader *r, int64_t id, const char *kind, const char *town, ew_read_site_fn fn,
                  void *ctx, char *err, size_t errcap);

/* One value of a series. value is NAN when absent; flag "" when none. min and max are the
 * extremes of the interval the device sent with a minute or real-time value (RAW series
 * only; NAN when absent and in every other query). */
typedef struct ew_read_obs {
    int64_t site_id;
    const char *param;
    const char *period; /* "rtd", "min", "hour", "day" */
    int64_t ts_utc;     /* period start */
    double value;
    const char *flag;
    double min, max;
} ew_read_obs;
typedef int (*ew_read_obs_fn)(void *ctx, const ew_read_obs *o);

/* The newest value of each (parameter, period) of site_id, parameters in code order. */
int ew_read_latest(ew_reader *r, int64_t site_id, ew_read_obs_fn fn, void *ctx, char *err,
                   size_t errcap);

typedef enum { EW_SERIES_RAW, EW_SERIES_HOUR, EW_SERIES_DAY } ew_series_kind;
/* The series of (site_id, param) in [from_utc, to_utc), oldest first. RAW: every stored
 * observation of any period below the hour (rtd, min); HOUR: hourly values (devices' 2061
 * data, or the platform's own hour from minute data where the device sent none); DAY: daily
 * means of the hourly values by Beijing-time day (ts = the day's start), with the count of
 * hours in the flag field ("n=NN"). At most limit rows after skipping offset. *total (may
 * be NULL) receives the number of rows without limit/offset. */
int ew_read_series(ew_reader *r, int64_t site_id, const char *param, ew_series_kind kind,
                   int64_t from_utc, int64_t to_utc, int64_t limit, int64_t offset, int64_t *total,
                   ew_read_obs_fn fn, void *ctx, char *err, size_t errcap);

/* Hourly values of every site of kind (NULL = all) for the parameters in params (n codes)
 * in [from_utc, to_utc), ordered by site, hour, parameter: the input of the AQI. */
int ew_read_hours(ew_reader *r, const char *kind, const char *const *params, size_t nparams,
                  int64_t from_utc, int64_t to_utc, ew_read_obs_fn fn, void *ctx, char *err,
                  size_t errcap);

/* Data completeness of a site over [from_utc, to_utc): distinct hours with any hourly value,
 * and the last time anything was received from its device. */
typedef struct ew_read_completeness {
    int64_t site_id;
    int64_t hours_present;
    int64_t last_seen_utc_ms; /* end of the newest data's interval (hour H: H+1h); 0 = never */
    int64_t packets_rejected;
} ew_read_completeness;
typedef int (*ew_read_completeness_fn)(void *ctx, const ew_read_completeness *c);
int ew_read_completeness_each(ew_reader *r, int64_t from_utc, int64_t to_utc,
                              ew_read_completeness_fn fn, void *ctx, char *err, size_t errcap);

/* Counts for /api/v1/health: sites, and packets archived (the newest packet id). */
typedef struct ew_read_summary {
    int64_t sites, packets;
} ew_read_summary;
int ew_read_summary_get(ew_reader *r, ew_read_summary *out, char *err, size_t errcap);

#endif
