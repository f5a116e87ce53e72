/* ghg: greenhouse-gas stations (碳监测, plan task 19's network): hourly CO2 and CH4 of the
 * sites of kind "ghg", their period means over valid hours, and each station's enhancement
 * over a background station (the urban-minus-background difference the inversion products
 * are built on).
 *
 * Data: HJ 212 uploads of the stations (ST 22) with a05001 (CO2) and a05002 (CH4), stored
 * and aggregated to the hour like every site's (store/read.h, EW_SERIES_HOUR). An hour
 * counts when its flag is normal (hj212_flag_normal); calibration hours (flag C, the daily
 * standard-gas runs) are counted apart, never in a mean. No national text sets an hourly
 * validity rule for GHG stations (no HJ automatic-GHG standard was found): an hour is the
 * device's hour, or the platform's from its minute data.
 *
 * Units: values are taken as the analysers report them, CO2 in ppm (µmol/mol) and CH4 in ppb
 * (nmol/mol), dry-air mole fractions. HJ 212-2017 prints mg/m³ for a05001 with type N3.3,
 * which cannot carry 500 ppm (≈ 982 mg/m³) — stations send ppm. A station sending mass
 * concentrations would need a conversion at stated temperature and pressure, which is not
 * done here.
 *
 * Enhancement: the mean over the hours valid at both the station and the background of
 * (station − background). The background is the ghg site the caller names, or, when it
 * names none, the station with the lowest CO2 period mean (a stand-in until the bureau
 * designates its background site).
 *
 * Errors follow base/err.h; on failure outputs are unchanged. */
#ifndef EW_SERVICE_GHG_H
#define EW_SERVICE_GHG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/read.h"

typedef enum { GHG_CO2, GHG_CH4, GHG_GAS_COUNT } ghg_gas;

/* "a05001" / "a05002"; "CO2" / "CH4"; "ppm" / "ppb". Static strings; NULL out of range. */
const char *ghg_code(ghg_gas g);
const char *ghg_name(ghg_gas g);
const char *ghg_unit(ghg_gas g);

/* One station's gas over a period. Values are NAN where there is none. */
typedef struct ghg_row {
    int64_t site_id;
    char name[128];
    ghg_gas gas;
    size_t hours;             /* hourly values stored in the period */
    size_t valid_hours;       /* of those, with a normal flag */
    size_t calibration_hours; /* flag C */
    double mean, min, max;    /* over the valid hours */
    int64_t background_id;    /* the background used (0: none) */
    double enhancement;       /* mean of (station − background) over hours valid at both */
    size_t paired_hours;
} ghg_row;
typedef int (*ghg_fn)(void *ctx, const ghg_row *r);

/* Every ghg station's CO2 and CH4 over [from_utc, to_utc) (at most 400 days), stations in id
 * order, CO2 first: fn(ctx, r) once per station and gas (r borrowed for the call).
 * background_id: the background station's site id, 0 to let the lowest CO2 mean be it.
 * Returns 0, what fn returned when it stopped, EW_EINVALID for a period out of range or a
 * background that is not a ghg site (err says which), or another negative error. */
int ghg_period(ew_reader *db, int64_t from_utc, int64_t to_utc, int64_t background_id, ghg_fn fn,
               void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

#endif
