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
 * Codes: HJ 212-2017 Table B has a05001 (CO2) and a05002 (CH4) and no code for N2O. Each
 * station's code for a gas is read from the code map (store/ghg.h, imported with
 * ghg_import_codes): an entry replaces the default code of CO2 or CH4 and gives N2O one;
 * a station reports N2O only when the map names its code.
 *
 * Units: values are taken as the analysers report them, CO2 in ppm (µmol/mol), CH4 and N2O
 * in ppb (nmol/mol), dry-air mole fractions. HJ 212-2017 prints mg/m³ for a05001 with type N3.3,
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
#include "service/lineimport.h"
#include "store/read.h"
#include "store/store.h"

typedef enum { GHG_CO2, GHG_CH4, GHG_N2O, GHG_GAS_COUNT } ghg_gas;

/* The default code ("a05001", "a05002"; NULL for N2O, which HJ 212-2017 lacks); "CO2" /
 * "CH4" / "N2O"; "ppm" / "ppb" / "ppb". Static strings; NULL out of range. */
const char *ghg_code(ghg_gas g);
const char *ghg_name(ghg_gas g);
const char *ghg_unit(ghg_gas g);

/* One station's gas over a period. Values are NAN where there is none. */
typedef struct ghg_row {
    int64_t site_id;
    char name[128];
    ghg_gas gas;
    char param[24];           /* the code the station sends the gas under */
    size_t hours;             /* hourly values stored in the period */
    size_t valid_hours;       /* of those, with a normal flag */
    size_t calibration_hours; /* flag C */
    double mean, min, max;    /* over the valid hours */
    int64_t background_id;    /* the background used (0: none) */
    double enhancement;       /* mean of (station − background) over hours valid at both */
    size_t paired_hours;
} ghg_row;
typedef int (*ghg_fn)(void *ctx, const ghg_row *r);

/* Every ghg station's gases over [from_utc, to_utc) (at most 400 days), stations in id
 * order, CO2, CH4, then N2O where the station has a code for it: fn(ctx, r) once per station
 * and gas (r borrowed for the call).
 * background_id: the background station's site id, 0 to let the lowest CO2 mean be it.
 * Returns 0, what fn returned when it stopped, EW_EINVALID for a period out of range or a
 * background that is not a ghg site (err says which), or another negative error. */
int ghg_period(ew_reader *db, int64_t from_utc, int64_t to_utc, int64_t background_id, ghg_fn fn,
               void *ctx, char *err, size_t errcap) EW_MUST_CHECK;

/* Import the code map (docs/import-formats.md): lines mn,gas,code — gas CO2, CH4 or N2O,
 * code an HJ 212 factor code (1–20 letters and digits) that the station sends the gas under.
 * Entries replace those of the same (mn, gas). Lines and results as lineimport_run. */
int ghg_import_codes(store *s, const char *text, size_t n, lineimport_error_fn on_error, void *ctx,
                     int *stored, int *bad, char *err, size_t errcap) EW_MUST_CHECK;

#endif
