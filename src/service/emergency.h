/* emergency: the heavy-pollution weather response (zone plan, task 1) — warnings declared by
 * the bureau, the emergency reduction list (应急减排清单), compliance of listed enterprises
 * verified from their production-line power (分表计电) during a warning, and the warning
 * report.
 *
 * Levels (air-standards.md §6, 郑政办〔2023〕43号): yellow = Ⅲ, orange = Ⅱ, red = Ⅰ response.
 * The whole-society cut the levels require (round2.md §2.2): ≥ 10 / 20 / 30 %; each list
 * entry carries its own cut per level (grade and industry decide it, round2.md §2.3).
 *
 * Compliance rules, over the warning's hours so far (docs/emergency-list.md):
 *  - power: the mean of the enterprise's hourly production power must not exceed
 *    base_power_kw × (1 − cut / 100);
 *  - emission: where the list gives an emission baseline (> 0), the mean of the enterprise's
 *    hourly flue-gas emission rate (PM, SO2, NOx and NMHC over all its outlets, kg/h, from
 *    the CEMS hourly means and flows by HJ 75-2017's G = C × Q × 10⁻⁶) must not exceed
 *    base_emission_kgh × (1 − cut / 100) (round2.md §2.4 (b));
 *  - silent: a site of the enterprise that sent hourly data in the 24 h before the warning
 *    must keep sending: none at all since the start, once EM_SILENT_AFTER_H hours have
 *    passed, is a breach (round2.md §2.4: "outlets that go silent").
 * Each breach is stored once per (warning, enterprise, rule) and opens one case (source
 * monitoring_alert) located in the enterprise's town, through service/casework.
 *
 * Who may: declaring warnings and editing the list is bureau staff's and admins' work
 * (EW_ROLE_BUREAU, EW_ROLE_ADMIN); every declaration and edit is written to the audit log.
 * Errors are EW_E* codes with err filled; a failed call changes nothing. */
#ifndef EW_SERVICE_EMERGENCY_H
#define EW_SERVICE_EMERGENCY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/case.h"
#include "store/emergency.h"
#include "store/read.h"
#include "store/store.h"

typedef enum { EM_YELLOW, EM_ORANGE, EM_RED, EM_LEVEL_COUNT } em_level;
const char *em_level_name(em_level l);            /* "yellow", "orange", "red" */
int em_level_parse(const char *s, em_level *out); /* 0, or -1 if unknown */
/* The whole-society cut a level requires, percent (round2.md §2.2). */
double em_level_required_cut_pct(em_level l);

/* Performance grades (绩效分级, round2.md §2.3). */
bool em_grade_valid(const char *g);

/* HJ 212 codes that carry production-line power (kW). HJ 212-2025 Annex C adds C37 上传生产设施
 * 的用电监测实时数据 (CN 2011, `<facility>-Rtd`), but its facility codes could not be read
 * (round2.md §2.5 [?]); until they are, envwatch's meters send the codes of this table. */
extern const char *const em_power_codes[];
extern const size_t em_power_ncodes;

/* The flue-gas pollutants whose emission rates add up to the emission compared with the
 * list's baseline: particulates, SO2, NOx (HJ 212-2017 Annex B a34013, a21026, a21002) and
 * non-methane hydrocarbons (a24088) for VOCs — the four of the reduction ratios (round2.md
 * §2.2); and the flue-gas flow code (a00000, m³/s). */
extern const char *const em_emission_codes[];
extern const size_t em_emission_ncodes;
#define EM_GAS_FLOW_CODE "a00000"
/* Hours a warning must have run before a site without data since its start is silent: the
 * hour in progress and the one before may still be on their way. */
#define EM_SILENT_AFTER_H 3

/* The largest mean an enterprise may reach under a cut: base × (1 − cut / 100); used for
 * power (kW) and emission (kg/h) alike. */
double em_allowed_kw(double base_kw, double cut_pct);
/* Does a mean (power or emission) breach that allowance? (strictly above; NAN = no data = no
 * verdict) */
bool em_power_breaches(double mean_kw, double allowed_kw);

typedef struct em_declaration {
    const char *level;
    int64_t start_utc, end_utc;
    const char *notice;
    const char *basis; /* "forecast" (aqi given) or "observation" (aqi from the zone now) */
    int aqi;           /* forecast: the forecast AQI; observation: ignored */
} em_declaration;

/* Declare a warning. Observation: the zone's real-time AQI at now_utc (service/air.h) is
 * stored as its basis; none in the last 3 hours is EW_EINVALID. *id_out the warning. */
int emergency_declare(store *s, ew_reader *db, const em_declaration *d, const case_actor *who,
                      const char *addr, int64_t now_utc, int64_t *id_out, char *err,
                      size_t errcap) EW_MUST_CHECK;

/* Put one list entry (e->updated_by/updated_utc are set from who and now). */
int emergency_list_put(store *s, const em_list_row *e, const case_actor *who, const char *addr,
                       int64_t now_utc, char *err, size_t errcap) EW_MUST_CHECK;
/* The entries who may see, by enterprise name: bureau, admin and auditor all of them; an
 * enterprise account only its own (org = its name); anyone else EW_EFORBIDDEN. */
int emergency_list_visible(store *s, const case_actor *who, em_list_fn fn, void *ctx, char *err,
                           size_t errcap) EW_MUST_CHECK;
/* Load a list file (docs/emergency-list.md) of n bytes: every entry in one transaction, or
 * none with err naming the line. *count entries loaded. */
int emergency_list_load(store *s, const char *text, size_t n, const char *actor, int64_t now_utc,
                        int *count, char *err, size_t errcap) EW_MUST_CHECK;

/* Hours after its end a warning is still checked: the hourly values of its last hours
 * arrive after it (the hour's value follows the hour, and a device back online re-sends what
 * it missed, HJ 212 补传). */
#define EM_LATE_DATA_H 48
/* Check every warning begun by now_utc and not ended more than EM_LATE_DATA_H hours before
 * it (each judged over its own window, up to now or its end); store and open a case for
 * each new breach. *breaches: how many new ones. */
int emergency_check(store *s, int64_t now_utc, int *breaches, char *err,
                    size_t errcap) EW_MUST_CHECK;

/* The report of a warning. Memory: owned by the report until emergency_report_free. */
typedef struct em_verdict {
    char *enterprise, *town, *grade;
    double base_kw;                      /* the list's power baseline */
    double cut_by_level[EM_LEVEL_COUNT]; /* the list's cuts */
    double cut_pct;                      /* the cut of the warning's level */
    double mean_kw, allowed_kw;          /* mean power so far (NAN: no data), allowance */
    int hours;
    bool breached;
    int64_t case_id; /* 0 unless a breach was stored */
    /* emission: the list's baseline (0 = none, no verdict), the allowance, the mean rate
     * during the warning and over the 24 h before (NAN: no data), hours with a rate */
    double base_kgh, allowed_kgh, mean_kgh, before_kgh;
    int emission_hours;
    bool emission_breached;
    int64_t emission_case_id;
    /* silent: the enterprise's sites, those that sent data in the 24 h before, and those of
     * them silent since the start (0 until EM_SILENT_AFTER_H hours have passed) */
    int sites, sites_before, sites_silent;
    bool silent_breached;
    int64_t silent_case_id;
} em_verdict;
/* Is a verdict a breach of any rule (found now or stored before)? */
bool em_verdict_breached(const em_verdict *v);
/* Does a verdict have no data to judge (no power and no emission hours)? */
bool em_verdict_no_data(const em_verdict *v);
typedef struct em_report {
    em_warning_row w; /* strings owned by the report */
    size_t n;
    em_verdict *v;
    int complied, breached, no_data;
    /* The zone's estimated reduction, percent: 100 × (1 − Σ mean / Σ base) over the entries
     * with an emission baseline and emission data (vs_base), and 100 × (1 − Σ mean / Σ
     * before) over those with data during and in the 24 h before (vs_before); NAN when no
     * entry qualifies. required_pct: the level's whole-society cut (10 / 20 / 30). */
    double reduction_vs_base_pct, reduction_vs_before_pct, required_pct;
    double aqi_during, aqi_before; /* mean daily zone AQI: the warning's days, the 3 before; NAN */
} em_report;
/* The report as who may see it: bureau, admin and auditor every entry; an enterprise
 * account (org = its name) only its own entry, without the zone's estimated cut (NAN); anyone
 * else EW_EFORBIDDEN. EW_ENOTFOUND if no such warning. *out initialised either way. */
int emergency_report(store *s, ew_reader *db, int64_t id, const case_actor *who, int64_t now_utc,
                     em_report *out, char *err, size_t errcap) EW_MUST_CHECK;
void emergency_report_free(em_report *r);

#endif
