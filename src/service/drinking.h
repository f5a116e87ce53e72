/* drinking: centralised drinking-water sources (集中式饮用水水源地) and their compliance
 * (standards/dwsource.h), over the results stored for them (store/water.h).
 *
 * A source is a water section marked drinking (`envwatch import water-sections`, sixth
 * column). Its results are those of `envwatch import water`: GB 3838 Table 1 items, Table 2
 * supplementary items (SO4, Cl, NO3-N, Fe, Mn) and Table 3 specific items ("t3.NAME" with
 * the limit the laboratory judged them against). One monitoring event is one sample time:
 * every result of the source with that time. An event is compliant when dwsource_judge
 * says so (Table 1 within Class III under the 2011 method, Table 2 and Table 3 within their
 * limits); a source is compliant for a period when it has events and all were compliant.
 * A Table 1 result below the detection limit is judged at the limit itself (a single
 * event is not a mean; half the limit applies to means only).
 *
 * The rate of the plan (城市集中式饮用水水源地取水水质达标率) is the rate by sources; the
 * rate by events is given beside it. The rate by water quantity needs each source's
 * abstraction, which no import carries yet: it is not computed.
 *
 * Errors follow base/err.h; on failure outputs are unchanged. */
#ifndef EW_SERVICE_DRINKING_H
#define EW_SERVICE_DRINKING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "standards/dwsource.h"
#include "store/read.h"

/* One source over a period. */
typedef struct drinking_source {
    char code[64], name[128];
    size_t events, compliant_events;
    bool compliant;     /* events > 0 and every event compliant */
    int worst_class;    /* worst Table 1 class over the events (GB3838_CLASS_NONE: none) */
    uint32_t t1_failed; /* Table 1 items worse than Class III in some event (GB3838_BIT) */
    uint32_t t2_failed; /* Table 2 items above their limits in some event (1u << item) */
    size_t t3_failed;   /* Table 3 results above their limits, over all events */
    char t3_items[256]; /* their item names, comma-separated, cut at the buffer's end */
} drinking_source;
typedef int (*drinking_fn)(void *ctx, const drinking_source *s);

/* Every drinking-water source over [from_utc, to_utc), by code: fn(ctx, s) once per source
 * (s borrowed for the call), then the period's rates into *rates (may be NULL; volumes 0).
 * Returns 0, what fn returned when it stopped (rates then unset), or a negative error. */
int drinking_each(ew_reader *db, int64_t from_utc, int64_t to_utc, drinking_fn fn, void *ctx,
                  dwsource_rates *rates, char *err, size_t errcap) EW_MUST_CHECK;

/* drinking_each over Beijing year as seen at now_utc: 1 January up to now_utc, or the whole
 * year once it is over. Same results. */
int drinking_year_each(ew_reader *db, int year, int64_t now_utc, drinking_fn fn, void *ctx,
                       dwsource_rates *rates, char *err, size_t errcap) EW_MUST_CHECK;

/* The plan statistic st for Beijing year as seen at now_utc (1 January up to now, or the
 * whole year once it is over). Known: "water.drinking_source_compliance", the rate by
 * sources in %. site is not used (the statistic is of every source). Returns 1 with
 * *value set; 0 when st is not this one or no source has an event; negative on error. */
int drinking_statistic(ew_reader *db, const char *st, const char *site, int year, int64_t now_utc,
                       double *value, char *err, size_t errcap) EW_MUST_CHECK;

#endif
