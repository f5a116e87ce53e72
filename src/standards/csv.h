/* csv: parsers for historical air-quality data, over byte buffers (no I/O).
 *
 * Layouts:
 *  - wide: the national station dataset (one file per day, mirrored as china_sites_YYYYMMDD.csv):
 *      date,hour,type,<station code>,<station code>,…
 *      20250101,0,PM2.5,45,,38,…
 *    date YYYYMMDD and hour 0–23 are the Beijing label of the hour's end; type is one of AQI,
 *    PM2.5, PM2.5_24h, PM10, PM10_24h, SO2, SO2_24h, NO2, NO2_24h, O3, O3_24h, O3_8h,
 *    O3_8h_24h, CO, CO_24h; units µg/m³, CO mg/m³; a blank cell is a missing value.
 *  - long: site,time,parameter,value[,flag] with a header line; time "YYYY-MM-DD HH:MM[:SS]"
 *    (or with "T", optionally "+08:00"), the Beijing label of the hour's end; parameter a
 *    pollutant name (PM2.5, PM10, SO2, NO2, O3, CO) or its HJ 212 code (a34004, a34002,
 *    a21026, a21004, a05024, a21005); flag empty or "N" = valid (HJ 212 data flag), any other
 *    flag excludes the value.
 *  - site list: code,name,city,lon,lat,kind with a header line.
 *
 * Every value goes to sink->obs and every fault to sink->issue, with the 1-based line and
 * column; nothing is guessed: a blank cell is reported missing, a malformed row is skipped
 * whole. Strings in callbacks are slices into the caller's buffer (borrowed, valid while it
 * is). The parsers allocate once per file (the header's column table), never per field. */
#ifndef EW_STANDARDS_CSV_H
#define EW_STANDARDS_CSV_H
#include <stddef.h>
#include <stdint.h>

typedef struct csv_slice {
    const char *p;
    size_t n;
} csv_slice;

typedef enum { CSV_LAYOUT_UNKNOWN, CSV_LAYOUT_WIDE, CSV_LAYOUT_LONG } csv_layout;
/* Layout from the header line. */
csv_layout csv_detect(const char *buf, size_t n);

/* What a value is: the hour's own mean, or one of the dataset's derived series. */
typedef enum {
    CSV_KIND_1H,        /* 1-h mean (plain name) */
    CSV_KIND_24H,       /* 24-h moving mean ending at the hour (_24h) */
    CSV_KIND_8H,        /* O3 8-h moving mean (O3_8h) */
    CSV_KIND_MAX1H_24H, /* O3 max 1-h over the past 24 h (O3_24h) */
    CSV_KIND_MAX8H_24H, /* O3 max 8-h over the past 24 h (O3_8h_24h) */
    CSV_KIND_AQI        /* real-time AQI (pollutant −1) */
} csv_kind;

typedef struct csv_obs {
    csv_slice site;
    int64_t day;   /* Beijing day, days since 1970-01-01 */
    int hour;      /* label 0–23 */
    int pollutant; /* airq_pollutant, −1 for AQI */
    csv_kind kind;
    int32_t milli; /* value × 1000 (µg/m³, CO mg/m³; AQI × 1000) */
    size_t line;
} csv_obs;

typedef enum {
    CSV_ISSUE_MISSING,   /* blank or "NA" cell */
    CSV_ISSUE_BAD_VALUE, /* not a non-negative decimal */
    CSV_ISSUE_BAD_ROW,   /* bad date/hour/type/time/parameter or wrong field count */
    CSV_ISSUE_FLAGGED,   /* long layout: value excluded by its flag */
    CSV_ISSUE_BAD_HEADER /* the file cannot be parsed at all */
} csv_issue_kind;

typedef struct csv_issue {
    csv_issue_kind kind;
    size_t line;     /* 1-based */
    int column;      /* 1-based; 0 = the whole row */
    csv_slice site;  /* may be empty */
    const char *msg; /* static text naming the fault */
} csv_issue;

typedef struct csv_sink {
    void (*obs)(void *ctx, const csv_obs *o);
    void (*issue)(void *ctx, const csv_issue *i);
    void *ctx;
} csv_sink;

typedef struct csv_counts {
    size_t rows, values, missing, bad, flagged;
} csv_counts;

/* Parse a file of the wide or long layout. Returns 0, or −1 when the header is unusable
 * (reported as CSV_ISSUE_BAD_HEADER). counts may be NULL. */
int csv_parse_wide(const char *buf, size_t n, const csv_sink *sink, csv_counts *counts);
int csv_parse_long(const char *buf, size_t n, const csv_sink *sink, csv_counts *counts);

typedef struct csv_site {
    csv_slice code, name, city, kind;
    int32_t lon_e6, lat_e6; /* degrees × 1e6 */
    size_t line;
} csv_site;

/* Parse a site list. *out: array of *count sites, caller frees (free()); slices borrow buf.
 * Bad rows are reported to sink->issue (sink->obs unused) and skipped. Returns 0 or −1 for
 * an unusable header (*out NULL, *count 0). */
int csv_parse_sites(const char *buf, size_t n, const csv_sink *sink, csv_site **out, size_t *count);

/* A slice equal to a NUL-terminated string, case-insensitively. */
int csv_slice_eq(csv_slice s, const char *z);

#endif
