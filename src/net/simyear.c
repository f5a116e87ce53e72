/* simyear: the demo's model of the zone's air and outlets, and the bulk writer of its
 * history (see sim.h, "a demo year").
 *
 * Every value is a pure function of (device, time): hashes of the MN and of the hour stand
 * in for random draws, so the history written in bulk and the live simulator that carries
 * on from now agree on every hour, and a second run continues the same year.
 *
 * The air model is a product of slow, zone-wide factors and fast, local ones:
 *   PM2.5 = season(month) × weather(t) × episode(t) × diurnal(hour) × station × noise
 * with Zhengzhou's seasonal cycle (winter high, summer low), a weather factor with a
 * correlation time of a few days (stagnant spells and clean-outs), winter episodes of three
 * to five days that rise slowly and end at once (a cold front), spring dust days that raise
 * PM10 far more than PM2.5, and O3 driven by the season's sunshine with an afternoon peak.
 * The monthly levels are of the order of the city's published means; nothing here claims
 * to be a measurement. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bjtime.h"
#include "base/xalloc.h"
#include "hj212/hj212.h"
#include "net/sim.h"
#include "service/ingest.h"
#include "store/blackodor.h"
#include "store/dust.h"
#include "store/flow.h"
#include "store/store.h"
#include "store/water.h"

/* ---- deterministic draws --------------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
    /* splitmix64's finaliser */
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* A uniform draw in [0, 1) named by (a, b, c). */
static double u01(uint64_t a, uint64_t b, uint64_t c)
{
    return (double)(mix64(a ^ mix64(b ^ mix64(c))) >> 11) * 0x1.0p-53;
}

/* An approximately standard normal draw (Irwin-Hall of 4, rescaled). */
static double gauss(uint64_t a, uint64_t b, uint64_t c)
{
    double s = 0;
    for (uint64_t k = 0; k < 4; k++)
        s += u01(a, b, c * 8 + k);
    return (s - 2.0) * sqrt(3.0);
}

/* Smooth noise: normal knots every step seconds, cosine-interpolated between them. */
static double smooth(uint64_t key, int64_t t, int64_t step)
{
    int64_t k = t >= 0 ? t / step : (t - step + 1) / step;
    double f = (double)(t - k * step) / (double)step;
    double w = (1 - cos(M_PI * f)) / 2;
    return gauss(key, (uint64_t)k, 1) * (1 - w) + gauss(key, (uint64_t)(k + 1), 1) * w;
}

static uint64_t mn_key(const char *mn)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *mn; mn++)
        h = (h ^ (unsigned char)*mn) * 1099511628211ull;
    return h;
}

/* ---- the zone's weather and season ----------------------------------------------------- */

enum { K_WEATHER = 1, K_WEATHER_FAST, K_EPISODE, K_DUST, K_SUN, K_STATION, K_HOUR, K_SPIKE };

/* Monthly levels (January first), of the order of Zhengzhou's recent monthly means. */
static const double pm25_month[12] = {80, 62, 48, 40, 33, 27, 24, 23, 27, 38, 52, 72};
static const double o3_peak_month[12] = {62, 85, 115, 150, 180, 205, 190, 178, 158, 118, 80, 60};
static const double no2_month[12] = {50, 42, 36, 30, 26, 22, 20, 21, 27, 36, 45, 50};
static const double winter_month[12] = {1, .8, .4, .15, .05, 0, 0, 0, .05, .3, .6, .9};

typedef struct when {
    int64_t t;    /* UTC seconds, the middle of the period */
    int64_t day;  /* Beijing day number */
    double hour;  /* Beijing hour of day, fractional */
    double month; /* 0 = mid-January ... 11 = mid-December, fractional */
} when;

static when when_of(int64_t t_utc)
{
    ew_civil c;
    ew_utc_to_bj(t_utc, &c);
    when w = {.t = t_utc, .day = ew_bj_day_of(t_utc)};
    w.hour = c.hour + c.min / 60.0 + c.sec / 3600.0;
    w.month = c.mon - 1 + (c.day - 0.5) / ew_days_in_month(c.year, c.mon) - 0.5;
    return w;
}

/* A monthly table read at a fractional month, interpolated between mid-months. */
static double seasonal(const double tab[12], double month)
{
    double m = month < 0 ? month + 12 : month;
    int a = (int)floor(m);
    double f = m - a;
    return tab[a % 12] * (1 - f) + tab[(a + 1) % 12] * f;
}

/* Dispersion: above 1 in stagnant weather, below after rain or wind. Mean about 1. */
static double weather(int64_t t)
{
    double z = 0.85 * smooth(K_WEATHER, t, 60 * 3600) + 0.5 * smooth(K_WEATHER_FAST, t, 18 * 3600);
    return exp(0.42 * z - 0.09);
}

/* Winter haze episodes: in blocks of nine days, about every other block from November to
 * February has one, three to five days long, building up to 1.6–3 times the level and
 * ending in a day (HJ 633's heavy pollution, daily AQI above 200, in the strongest). */
static double episode(const when *w, double winter)
{
    if (winter < 0.3)
        return 1;
    int64_t b = w->day >= 0 ? w->day / 9 : (w->day - 8) / 9;
    if (u01(K_EPISODE, (uint64_t)b, 0) > 0.5)
        return 1;
    double start = (double)(b * 9) + 4 * u01(K_EPISODE, (uint64_t)b, 1);
    double len = 3 + 2 * u01(K_EPISODE, (uint64_t)b, 2);
    double peak = 1.6 + 1.4 * u01(K_EPISODE, (uint64_t)b, 3);
    double x = ((double)w->day + w->hour / 24 - start) / len; /* 0..1 within the episode */
    if (x < 0 || x > 1)
        return 1;
    double shape = x < 0.8 ? pow(x / 0.8, 1.5) : (1 - x) / 0.2;
    return 1 + (peak - 1) * shape * winter;
}

/* Spring dust (March to May): in blocks of twelve days, about a third bring a day and a
 * half of coarse dust. Returns the extra PM10 in µg/m³. */
static double dust(const when *w)
{
    if (w->month < 1.5 || w->month > 4.5)
        return 0;
    int64_t b = w->day / 12;
    if (u01(K_DUST, (uint64_t)b, 0) > 0.35)
        return 0;
    double start = (double)(b * 12) + 9 * u01(K_DUST, (uint64_t)b, 1);
    double x = ((double)w->day + w->hour / 24 - start) / 1.5;
    if (x < 0 || x > 1)
        return 0;
    return (180 + 260 * u01(K_DUST, (uint64_t)b, 2)) * sin(M_PI * x);
}

/* ---- factors --------------------------------------------------------------------------- */

static void put(hj212_factor *f, const char *code, double avg, double rel_spread, int decimals,
                uint64_t key, uint64_t slot)
{
    memset(f, 0, sizeof *f);
    f->code = code;
    f->fields = HJ212_FB(HJ212_F_MIN) | HJ212_FB(HJ212_F_AVG) | HJ212_FB(HJ212_F_MAX) |
                HJ212_FB(HJ212_F_FLAG);
    f->avg = fmax(0, avg);
    f->min = f->avg * (1 - rel_spread * (0.3 + 0.7 * u01(key, slot, 1)));
    f->max = f->avg * (1 + rel_spread * (0.3 + 0.7 * u01(key, slot, 2)));
    f->decimals = decimals;
    f->flag = 'N';
}

static size_t air_factors(uint64_t key, const when *w, int period_s, hj212_factor *f)
{
    uint64_t slot = (uint64_t)(w->t / period_s);
    double winter = seasonal(winter_month, w->month);
    double met = weather(w->t), ep = episode(w, winter);
    /* Station character: a little dirtier or cleaner, more or less traffic. */
    double st_pm = 0.9 + 0.22 * u01(key, K_STATION, 1);
    double st_no2 = 0.75 + 0.5 * u01(key, K_STATION, 2);
    double st_o3 = 0.95 + 0.1 * u01(key, K_STATION, 3);
    /* Short-lived local noise: hours differ more than minutes within an hour. */
    double n1 = gauss(key, K_HOUR, (uint64_t)(w->t / 3600) * 16 + 1);
    double nm = period_s < 3600 ? 0.03 * gauss(key, slot, 7) : 0;
    double h = w->hour;
    /* Night and morning peaks under a shallow mixing layer, a minimum in the afternoon. */
    double diurnal = 1 + 0.16 * cos(2 * M_PI * (h - 23) / 24) + 0.07 * cos(4 * M_PI * (h - 9) / 24);
    double pm25 = seasonal(pm25_month, w->month) * met * ep * diurnal * st_pm * exp(0.1 * n1 + nm);
    double coarse = 1.55 + 0.25 * smooth(K_WEATHER_FAST + 100, w->t, 30 * 3600);
    double d = dust(w);
    pm25 += 0.15 * d;
    double pm10 = pm25 * coarse + d;
    /* O3: the season's sunshine, less on stagnant, hazy days; photochemistry from about
     * 07:00 to 23:00 with the peak mid-afternoon, titrated at night. */
    double sun = exp(0.16 * smooth(K_SUN, w->t, 36 * 3600)) / fmax(0.8, sqrt(ep));
    double x = (h - 7) / 16;
    double shape = x > 0 && x < 1 ? pow(sin(M_PI * x), 1.4) : 0;
    double o3 = seasonal(o3_peak_month, w->month) * sun * st_o3 * (0.16 + 0.84 * shape) *
                exp(0.06 * n1 + nm);
    double rush = 1 + 0.22 * cos(2 * M_PI * (h - 8) / 12);
    double no2 =
        seasonal(no2_month, w->month) * pow(met * ep, 0.6) * st_no2 * rush * exp(0.12 * n1);
    double so2 = (6 + 6 * winter) * pow(met * ep, 0.4) * exp(0.15 * n1);
    double co = (0.55 + 0.55 * winter) * pow(met * ep, 0.7) * rush * exp(0.08 * n1);
    size_t n = 0;
    put(&f[n++], "a34004", pm25, 0.25, 0, key, slot * 8 + 0);
    put(&f[n++], "a34002", pm10, 0.25, 0, key, slot * 8 + 1);
    put(&f[n++], "a21026", so2, 0.2, 0, key, slot * 8 + 2);
    put(&f[n++], "a21004", no2, 0.25, 0, key, slot * 8 + 3);
    put(&f[n++], "a21005", co, 0.2, 1, key, slot * 8 + 4);
    put(&f[n++], "a05024", o3, 0.15, 0, key, slot * 8 + 5);
    return n;
}

/* Production load: day shifts on working days, a lower night and weekend load. */
static double load(const when *w)
{
    int dow = (int)(((w->day % 7) + 7 + 3) % 7); /* day 0 (1970-01-01) was a Thursday: 0 = Monday */
    double day = w->hour >= 8 && w->hour < 20 ? 1.0 : 0.7;
    return dow >= 5 ? day * 0.8 : day;
}

/* A short exceedance now and then: in blocks of 40 days, about half have three bad hours. */
static double spike(uint64_t key, const when *w)
{
    int64_t b = w->day / 40;
    if (u01(key, K_SPIKE, (uint64_t)b * 4) > 0.5)
        return 1;
    double at = (double)(b * 40) * 24 + 40 * 24 * u01(key, K_SPIKE, (uint64_t)b * 4 + 1);
    double hour = (double)w->day * 24 + w->hour;
    return hour >= at && hour < at + 3 ? 3.5 + 2 * u01(key, K_SPIKE, (uint64_t)b * 4 + 2) : 1;
}

/* One factor of an outlet: a typical level, how much of it follows the production load and
 * the hour-to-hour noise; spiky factors rise in spike(); plain factors (O2, pH) vary around
 * the level by noise × level_sd and follow neither. */
typedef struct outlet_factor {
    const char *code;
    double level, load_share, noise, spread;
    int decimals;
    enum { OF_SCALED, OF_SPIKY, OF_PLAIN, OF_FLOW } how;
    double level_sd;
} outlet_factor;

/* Flue gas (mg/m³; O2 %; flow m³/s) and wastewater (mg/L; pH; flow L/s). */
static const outlet_factor gas_table[] = {
    {"a21026", 15, 0.2, 0.12, 0.2, 2, OF_SCALED, 0}, /* SO2 */
    {"a21002", 40, 0.25, 0.1, 0.2, 2, OF_SCALED, 0}, /* NOx */
    {"a34013", 3.5, 0, 0.15, 0.3, 2, OF_SPIKY, 0},   /* particulates */
    {"a19001", 9.5, 0, 0, 0.05, 2, OF_PLAIN, 0.6},   /* O2 */
    {"a00000", 52, 1, 0.05, 0.08, 2, OF_FLOW, 0},    /* flow */
};
static const outlet_factor water_table[] = {
    {"w01018", 30, 0, 0.12, 0.15, 2, OF_SPIKY, 0},   /* COD */
    {"w21003", 1.5, 0, 0.2, 0.2, 3, OF_SCALED, 0},   /* NH3-N */
    {"w21011", 0.25, 0, 0.15, 0.2, 3, OF_SCALED, 0}, /* TP */
    {"w01001", 7.2, 0, 0, 0.03, 2, OF_PLAIN, 0.25},  /* pH */
    {"w00000", 12, 1, 0.08, 0.1, 2, OF_FLOW, 0},     /* flow */
};

/* The fault window of an outlet: 09:00–15:00 Beijing of one day in 20 (sim.h). */
static bool fault_hours(uint64_t key, const when *w)
{
    return (w->day + (int64_t)(key % 20)) % 20 == 0 && w->hour >= 9 && w->hour < 15;
}

/* The faults of d over the period starting at f's values (sim.h, sim_fault). */
static void apply_faults(unsigned faults, uint64_t key, const when *w, bool water, hj212_factor *f,
                         size_t n)
{
    if (!faults || !fault_hours(key, w))
        return;
    hj212_factor *first = &f[0];
    if (faults & (1u << SIM_FAULT_CONSTANT)) /* the typical level, to the digit */
        first->avg = first->min = first->max = 10 + (double)(key % 900) / 100;
    if (faults & (1u << SIM_FAULT_ZERO))
        first->avg = first->min = first->max = 0;
    if (faults & (1u << SIM_FAULT_EXCEED) && w->hour < 12) {
        first->avg *= 5;
        first->min *= 5;
        first->max *= 5;
    }
    if (!water && faults & (1u << SIM_FAULT_DILUTION)) {
        double k = (21 - 20.5) / (21 - 9.5);
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(f[i].code, "a19001"))
                f[i].avg = f[i].min = f[i].max = 20.5;
            else if (strcmp(f[i].code, "a00000")) {
                f[i].avg *= k;
                f[i].min *= k;
                f[i].max *= k;
            }
        }
    }
}

static size_t outlet_factors(uint64_t key, const when *w, int period_s, bool water, hj212_factor *f)
{
    const outlet_factor *tab = water ? water_table : gas_table;
    size_t n = water ? sizeof water_table / sizeof *tab : sizeof gas_table / sizeof *tab;
    uint64_t slot = (uint64_t)(w->t / period_s);
    double l = load(w), s = spike(key, w);
    double n1 = gauss(key, K_HOUR, (uint64_t)(w->t / 3600) * 16 + (water ? 3 : 2));
    /* Outlets differ in size: one scale for all their factors. */
    double scale = water ? 0.6 + 0.8 * u01(key, K_STATION, 5) : 0.7 + 0.6 * u01(key, K_STATION, 4);
    for (size_t i = 0; i < n; i++) {
        const outlet_factor *o = &tab[i];
        double v = o->how == OF_PLAIN ? o->level + o->level_sd * n1
                                      : o->level * scale * (1 - o->load_share + o->load_share * l) *
                                            (o->how == OF_SPIKY ? s : 1) * exp(o->noise * n1);
        put(&f[i], o->code, v, o->spread, o->decimals, key, slot * 8 + i);
        if (o->how == OF_FLOW) {
            f[i].fields |= HJ212_FB(HJ212_F_COU);
            /* the quantity in the period, m³ (wastewater flow is in L/s) */
            f[i].cou = f[i].avg * period_s / (water ? 1000 : 1);
        }
    }
    return n;
}

/* Greenhouse-gas stations: CO2 in ppm and CH4 in ppb, as analysers report them — a
 * background of 420 ppm / 2000 ppb with the season (higher in winter), and at an urban
 * station an enhancement that follows the weather's dispersion and the night's shallow
 * mixing layer. A device whose MN holds "GHGBG" is the demo's background site (a tenth of
 * the enhancement). Every day 03:00–04:00 Beijing time the analyser runs its standard gases:
 * that hour is flagged C (calibration) and reads the standard's value. */
static size_t ghg_factors(uint64_t key, bool background, const when *w, int period_s,
                          hj212_factor *f)
{
    uint64_t slot = (uint64_t)(w->t / period_s);
    double winter = seasonal(winter_month, w->month);
    double h = w->hour;
    double night = 1 + 0.45 * cos(2 * M_PI * (h - 4) / 24);
    double scale = background ? 0.1 : 0.8 + 0.4 * u01(key, K_STATION, 6);
    double n1 = gauss(key, K_HOUR, (uint64_t)(w->t / 3600) * 16 + 4);
    double co2 = 420 + 6 * winter + 14 * scale * weather(w->t) * night * exp(0.1 * n1);
    double ch4 = 2000 + 20 * winter + 90 * scale * weather(w->t) * night * exp(0.15 * n1);
    size_t n = 0;
    put(&f[n++], "a05001", co2, 0.004, 2, key, slot * 8 + 0);
    put(&f[n++], "a05002", ch4, 0.01, 1, key, slot * 8 + 1);
    if (h >= 3 && h < 4) {
        f[0].avg = f[0].min = f[0].max = 450; /* the standard gas */
        f[1].avg = f[1].min = f[1].max = 2100;
        f[0].flag = f[1].flag = 'C';
    }
    return n;
}

/* A surface-water automatic station (ST 21) on a river of about Class IV: water
 * temperature with the season, pH, DO falling in summer, CODMn, NH3-N and TP higher in the
 * dry season (as the laboratory's monthly model, history_water), conductivity (w01014, no
 * GB 3838 item). */
static size_t section_factors(uint64_t key, const when *w, int period_s, hj212_factor *f)
{
    uint64_t slot = (uint64_t)(w->t / period_s);
    double season = cos(2 * M_PI * (w->month - 0.5) / 12); /* 1 in January, −1 in July */
    double n1 = gauss(key, K_HOUR, (uint64_t)(w->t / 3600) * 16 + 5);
    double dry = 1 + 0.15 * season;
    size_t n = 0;
    put(&f[n++], "w01010", 15 - 10 * season, 0.02, 1, key, slot * 8 + 0);
    put(&f[n++], "w01001", 7.6 + 0.1 * n1, 0.01, 2, key, slot * 8 + 1);
    put(&f[n++], "w01009", 6.2 + 1.2 * season + 0.2 * n1, 0.03, 2, key, slot * 8 + 2);
    put(&f[n++], "w01019", 5.6 * dry * exp(0.08 * n1), 0.05, 2, key, slot * 8 + 3);
    put(&f[n++], "w21003", 0.8 * dry * exp(0.12 * n1), 0.08, 3, key, slot * 8 + 4);
    put(&f[n++], "w21011", 0.16 * dry * exp(0.1 * n1), 0.06, 3, key, slot * 8 + 5);
    put(&f[n++], "w01014", 650 + 40 * n1, 0.02, 0, key, slot * 8 + 6);
    return n;
}

size_t sim_model_factors(const sim_device *d, int64_t start_utc, int period_s, hj212_factor *f)
{
    uint64_t key = mn_key(d->mn);
    when w = when_of(start_utc + period_s / 2);
    switch (d->kind) {
    case SIM_AIR:
        return air_factors(key, &w, period_s, f);
    case SIM_GAS: {
        size_t n = outlet_factors(key, &w, period_s, false, f);
        apply_faults(d->faults, key, &w, false, f, n);
        return n;
    }
    case SIM_SECTION:
        return section_factors(key, &w, period_s, f);
    case SIM_GHG:
        return ghg_factors(key, strstr(d->mn, "GHGBG") != NULL, &w, period_s, f);
    case SIM_WATER:
    default: {
        size_t n = outlet_factors(key, &w, period_s, true, f);
        apply_faults(d->faults, key, &w, true, f, n);
        return n;
    }
    }
}

int sim_fault_parse(const char *spec, sim_fault_spec *out)
{
    static const char *const names[SIM_FAULT_COUNT] = {"constant", "zero", "dilution",
                                                       "exceed",   "gap",  "silent"};
    const char *colon = spec ? strchr(spec, ':') : NULL;
    size_t mn_len = colon ? strlen(colon + 1) : 0;
    if (!colon || mn_len == 0 || mn_len >= sizeof out->mn)
        return -1;
    for (int k = 0; k < SIM_FAULT_COUNT; k++)
        if (strlen(names[k]) == (size_t)(colon - spec) && !memcmp(names[k], spec, colon - spec)) {
            memcpy(out->mn, colon + 1, mn_len + 1);
            out->faults = 1u << k;
            return 0;
        }
    return -1;
}

size_t sim_faults_apply(sim_device *d, size_t n, const sim_fault_spec *f, size_t nf)
{
    size_t unmatched = 0;
    for (size_t k = 0; k < nf; k++) {
        bool hit = false;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(d[i].mn, f[k].mn) && (d[i].kind == SIM_GAS || d[i].kind == SIM_WATER)) {
                d[i].faults |= f[k].faults;
                hit = true;
            }
        unmatched += !hit;
    }
    return unmatched;
}

bool sim_model_missing(const sim_device *d, int64_t hour_utc)
{
    if (d->faults & (1u << SIM_FAULT_GAP)) {
        when w = when_of(hour_utc + 1800);
        if (fault_hours(mn_key(d->mn), &w))
            return true;
    }
    /* About one hour in 300 is lost (maintenance, a power cut): real networks have gaps. */
    return u01(mn_key(d->mn), (uint64_t)(hour_utc / 3600), 99) < 1.0 / 300;
}

/* ---- device lists ---------------------------------------------------------------------- */

int sim_devices_load(const char *path, sim_device **out, size_t *n_out, char *err, size_t errcap)
{
    *out = NULL;
    *n_out = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errcap, "%s: cannot open", path);
        return -1;
    }
    size_t n = 0, cap = 16;
    sim_device *v = xmalloc(cap * sizeof *v);
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#' || (lineno == 1 && !strncmp(line, "mn,", 3)))
            continue;
        char *mn = line, *pw = strchr(mn, ','), *kind = pw ? strchr(pw + 1, ',') : NULL;
        if (!kind) {
            snprintf(err, errcap, "%s:%d: expected mn,pw,kind,...", path, lineno);
            goto fail;
        }
        *pw++ = 0;
        *kind++ = 0;
        kind[strcspn(kind, ",")] = 0;
        if (strlen(mn) > 24 || strlen(pw) > 6) {
            snprintf(err, errcap, "%s:%d: mn is at most 24 and pw at most 6 characters", path,
                     lineno);
            goto fail;
        }
        sim_kind k;
        if (!strcmp(kind, "air"))
            k = SIM_AIR;
        else if (!strcmp(kind, "gas_outlet"))
            k = SIM_GAS;
        else if (!strcmp(kind, "water_outlet"))
            k = SIM_WATER;
        else if (!strcmp(kind, "ghg"))
            k = SIM_GHG;
        else if (!strcmp(kind, "water_section"))
            k = SIM_SECTION;
        else
            continue; /* kinds the simulator does not model are registered but stay silent */
        if (n == cap)
            v = xrealloc(v, (cap *= 2) * sizeof *v);
        memcpy(v[n].mn, mn, strlen(mn) + 1); /* lengths checked above */
        memcpy(v[n].pw, pw, strlen(pw) + 1);
        v[n].kind = k;
        n++;
    }
    fclose(fp);
    *out = v;
    *n_out = n;
    return 0;
fail:
    fclose(fp);
    free(v);
    return -1;
}

/* ---- bulk history ---------------------------------------------------------------------- */

enum { BATCH = 4096, FRAME_MAX = 1200 };
/* How long before its end a history has no drawn gaps. */
enum { GAP_FREE_S = 3 * 3600 };


int sim_frame_hour(const sim_device *d, int64_t hour_utc, int cn, int64_t qn_ms, bool ack,
                   char *buf, size_t cap)
{
    hj212_factor f[8];
    size_t nf = sim_model_factors(d, hour_utc, cn == 2061 ? 3600 : 60, f);
    char qn[18];
    hj212_qn_format(qn_ms, qn);
    char cns[8];
    snprintf(cns, sizeof cns, "%d", cn);
    hj212_header h = {.qn = qn,
                      .st = sim_st_of(d->kind),
                      .cn = cn,
                      .pw = d->pw,
                      .mn = d->mn,
                      .flag = hj212_flag_make(HJ212_V2017, false, ack)};
    hj212_error e;
    return hj212_encode_upload(buf, cap, &h, hour_utc, f, nf, &e);
}

/* One transaction for a batch of frames (the ingest pipeline's group commit). */
static int flush(ingest *in, ingest_item *items, ingest_item **ptrs, size_t nb, int64_t now_ms,
                 sim_history_report *rep, char *err, size_t errcap)
{
    if (ingest_batch(in, ptrs, nb, now_ms, err, errcap) < 0)
        return -1;
    for (size_t k = 0; k < nb; k++) {
        if (items[k].outcome == INGEST_STORED)
            rep->stored++;
        else
            rep->refused++;
    }
    rep->packets += nb;
    return 0;
}

/* ---- dust-fall jars ---------------------------------------------------------------------- */

/* The demo's dust-fall points (降尘缸), the last a clean control point. Monthly levels in
 * t/(km²·30 d), of the order of Zhengzhou's published monthly dust fall: spring dust and
 * construction lift March–May, summer rain washes the air. */
static const char *const dustfall_points[] = {"JK-DF01", "JK-DF02", "JK-DF03", "JK-DF04",
                                              "JK-DF05"};
enum { DUSTFALL_CONTROL = 4, JAR_DIAMETER_TENTH_MM = 1500, JAR_AREA_MM2 = 17671 };
static const double dustfall_month[12] = {6.0, 6.8, 8.6, 9.2, 7.6, 5.4,
                                          4.3, 4.1, 4.7, 5.5, 5.9, 5.9};

/* One jar per point and complete Beijing month of [from, to): put out on the 1st at 09:00,
 * taken in on the 1st of the next month, weighed as a laboratory would (dishes of 48–52 g,
 * a 5 mg blank); now and then a jar is lost (invalid). A second run writes the same rows
 * again (same point and month replace). Inside history_lab's transaction. */
static int history_dustfall(store *s, int64_t from, int64_t to, uint64_t *n, char *err,
                            size_t errcap)
{
    ew_civil c;
    ew_utc_to_bj(from, &c);
    int y = c.year, m = c.mon;
    for (;;) {
        int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
        int64_t placed = ew_bj_day_start(ew_days_from_civil(y, m, 1)) + 9 * 3600;
        int64_t collected = ew_bj_day_start(ew_days_from_civil(ny, nm, 1)) + 9 * 3600;
        if (collected > to)
            break;
        double days = (double)(collected - placed) / 86400.0;
        uint64_t month_key = (uint64_t)(y * 12 + m);
        for (size_t i = 0; i < sizeof dustfall_points / sizeof *dustfall_points; i++) {
            uint64_t key = mn_key(dustfall_points[i]);
            double level = dustfall_month[m - 1] * (i == DUSTFALL_CONTROL ? 0.35 : 1) *
                           exp(0.18 * gauss(key, month_key, 7));
            int64_t m0 = 48000000 + (int64_t)(4e6 * u01(key, month_key, 8));
            int64_t net = llround(level * JAR_AREA_MM2 * days / 30); /* 1 t/km² = 1 µg/mm² */
            dust_sample_row r = {.point = dustfall_points[i],
                                 .month = y * 100 + m,
                                 .placed_utc = placed,
                                 .collected_utc = collected,
                                 .diameter_tenth_mm = JAR_DIAMETER_TENTH_MM,
                                 .m0_ug = m0,
                                 .m2_ug = 5000,
                                 .m1_ug = m0 + net + 5000,
                                 .invalid = u01(key, month_key, 9) < 0.03,
                                 .control = i == DUSTFALL_CONTROL};
            if (dust_sample_put(s, &r, err, errcap) < 0)
                return -1;
            ++*n;
        }
        y = ny;
        m = nm;
    }
    return 0;
}

/* ---- eco-flow control sections --------------------------------------------------------- */

/* The zone's rivers of the plan with an ecological base flow (m³/s, of the order of small
 * urban rivers'), and their flow: high in the rainy summer, lowest in the dry spring, when
 * now and then a day falls below the base. */
static const struct {
    const char *code, *name;
    double base;
} flow_sections[] = {{"JK-CH01", "潮河经开区出境", 0.30},
                     {"JK-SQ02", "十七里河", 0.20},
                     {"JK-QL03", "七里河", 0.25}};
static const double flow_month[12] = {1.5, 1.4, 1.3, 1.25, 1.5, 2.2, 3.4, 3.6, 2.6, 2.0, 1.7, 1.6};

/* The sections, then one daily mean per section and complete Beijing day of [from, to); a
 * second run writes the same rows again. Inside history_lab's transaction. */
static int history_flows(store *s, int64_t from, int64_t to, uint64_t *n, char *err, size_t errcap)
{
    int64_t d0 = ew_bj_day_of(from), d1 = ew_bj_day_of(to); /* days before d1 are complete */
    for (size_t i = 0; i < sizeof flow_sections / sizeof *flow_sections; i++) {
        int64_t base = llround(flow_sections[i].base * 1000);
        flow_section_row sr = {
            .code = flow_sections[i].code, .name = flow_sections[i].name, .base_milli = base};
        if (flow_section_put(s, &sr, err, errcap) < 0)
            return -1;
        uint64_t key = mn_key(flow_sections[i].code);
        for (int64_t d = d0; d < d1; d++) {
            when w = when_of(ew_bj_day_start(d) + 12 * 3600);
            double q = flow_sections[i].base * seasonal(flow_month, w.month) *
                       exp(0.3 * smooth(key, ew_bj_day_start(d), 5 * 86400) - 0.05);
            flow_day_row r = {.section = flow_sections[i].code,
                              .day = d,
                              .mean_milli = llround(q * 1000),
                              .exempt = false};
            if (flow_day_put(s, &r, err, errcap) < 0)
                return -1;
            ++*n;
        }
    }
    return 0;
}

/* ---- surface-water sections ------------------------------------------------------------ */

/* The plan's sections with their target classes: the zone's rivers (潮河 and 十七里河 are
 * eco-compensation sections), the South-to-North canal, whose water is far cleaner, and two
 * drinking-water source intakes (demo names: one on the canal, one on the Yellow River).
 * level scales the pollution of a river around the middle of its target class. */
static const struct {
    const char *code, *name;
    int target;
    bool compensation, drinking;
    double level;
    const char *station; /* the MN of its automatic station in data/demo/devices.csv */
} water_sections[] = {
    {"JK-CH01", "潮河经开区出境", 4, true, false, 0.75, "EWWQS00000000000000CH001"},
    {"JK-SQ02", "十七里河", 5, true, false, 1.3, NULL},
    {"JK-QL03", "七里河", 5, false, false, 1.35, NULL},
    {"NSBD-ZZ", "南水北调中线总干渠郑州段", 2, false, false, 0.12, NULL},
    {"DW-NSBD", "饮用水水源地（南水北调取水口）", 2, false, true, 0.12, NULL},
    {"DW-HH", "饮用水水源地（黄河取水口）", 3, false, true, 0.45, NULL},
};
/* Drinking-water sources' GB 3838 Table 2 items, monthly, mg/L (well inside the limits 250,
 * 250, 10, 0.3, 0.1), and one Table 3 item, benzene, below its detection limit 0.001 (Table
 * 3 limit 0.01). */
static const struct {
    const char *item;
    double v;
} table2_items[] = {{"SO4", 45}, {"Cl", 30}, {"NO3-N", 1.6}, {"Fe", 0.06}, {"Mn", 0.02}};
/* Monthly laboratory items and their level at level 1 (a Class IV river), mg/L. */
static const struct {
    const char *item;
    double v, spread;
} water_items[] = {
    {"DO", 6.0, 0.08},     {"CODMn", 7.5, 0.12}, {"COD", 24, 0.12},
    {"NH3-N", 1.05, 0.18}, {"TP", 0.22, 0.18},
};
/* Dilution in the rainy months (mid-year), more concentrated in the dry season. */
static const double water_month[12] = {1.15, 1.15, 1.1, 1.05, 1.0,  0.9,
                                       0.8,  0.8,  0.9, 1.0,  1.05, 1.1};

/* The sections, then one laboratory sample per section and month whose sampling day (the
 * 5th, 10:00) lies in [from, to); a second run writes the same rows. Inside history_lab's
 * transaction. */
static int history_water(store *s, int64_t from, int64_t to, uint64_t *n, char *err, size_t errcap)
{
    for (size_t i = 0; i < sizeof water_sections / sizeof *water_sections; i++) {
        water_section_row sr = {.code = water_sections[i].code,
                                .name = water_sections[i].name,
                                .water = "river",
                                .target_class = water_sections[i].target,
                                .compensation = water_sections[i].compensation,
                                .drinking = water_sections[i].drinking,
                                .station = water_sections[i].station};
        if (water_section_put(s, &sr, err, errcap) < 0)
            return -1;
    }
    ew_civil c;
    ew_utc_to_bj(from, &c);
    for (int y = c.year, m = c.mon;; m = m == 12 ? 1 : m + 1, y += m == 1) {
        int64_t t = ew_bj_day_start(ew_days_from_civil(y, m, 5)) + 10 * 3600;
        if (t >= to)
            break;
        if (t < from)
            continue;
        for (size_t i = 0; i < sizeof water_sections / sizeof *water_sections; i++) {
            uint64_t key = mn_key(water_sections[i].code), mk = (uint64_t)(y * 12 + m);
            double lv = water_sections[i].level;
            for (size_t k = 0; k < sizeof water_items / sizeof *water_items; k++) {
                double base = water_items[k].v;
                /* DO falls as pollution rises; the others scale with it and the season. */
                double v = !strcmp(water_items[k].item, "DO")
                               ? base + 2.0 * (1 - lv) - 0.8 * (water_month[m - 1] - 1)
                               : base * lv * water_month[m - 1];
                v *= exp(water_items[k].spread * gauss(key, mk, 20 + k));
                water_sample_row r = {.section = water_sections[i].code,
                                      .ts_utc = t,
                                      .item = water_items[k].item,
                                      .value_micro = llround(v * 1000) * 1000, /* 0.001 mg/L */
                                      .below_dl = false,
                                      .source = "lab"};
                if (water_sample_put(s, &r, err, errcap) < 0)
                    return -1;
                ++*n;
            }
            if (!water_sections[i].drinking)
                continue;
            for (size_t k = 0; k < sizeof table2_items / sizeof *table2_items; k++) {
                double v = table2_items[k].v * exp(0.15 * gauss(key, mk, 40 + k));
                water_sample_row r = {.section = water_sections[i].code,
                                      .ts_utc = t,
                                      .item = table2_items[k].item,
                                      .value_micro = llround(v * 1000) * 1000,
                                      .below_dl = false,
                                      .source = "lab"};
                if (water_sample_put(s, &r, err, errcap) < 0)
                    return -1;
                ++*n;
            }
            water_specific_row b = {.section = water_sections[i].code,
                                    .ts_utc = t,
                                    .item = "t3.benzene",
                                    .value_micro = 1000, /* the detection limit, 0.001 */
                                    .limit_micro = 10000,
                                    .below_dl = true,
                                    .source = "lab"};
            if (water_specific_put(s, &b, err, errcap) < 0)
                return -1;
            ++*n;
        }
    }
    return 0;
}

/* ---- black-odorous water ------------------------------------------------------------------ */

/* Two built-up water bodies on the list (demo names), both remediated: three points each,
 * sampled on the 12th of every month; clean water with some scatter (DO 3.5–6, SD 35–55 cm,
 * ORP 60–160 mV, NH3-N 1–3 mg/L), so the plan's built-up target reads 0. */
static const struct {
    const char *code, *name;
} black_bodies[] = {{"BO-01", "经开区一号沟渠"}, {"BO-02", "经开区二号坑塘"}};

static int history_black(store *s, int64_t from, int64_t to, uint64_t *n, char *err,
                         size_t errcap)
{
    for (size_t i = 0; i < sizeof black_bodies / sizeof *black_bodies; i++) {
        bo_body_row br = {.code = black_bodies[i].code, .name = black_bodies[i].name};
        if (bo_body_put(s, &br, err, errcap) < 0)
            return -1;
    }
    ew_civil c;
    ew_utc_to_bj(from, &c);
    for (int y = c.year, m = c.mon;; m = m == 12 ? 1 : m + 1, y += m == 1) {
        int64_t t = ew_bj_day_start(ew_days_from_civil(y, m, 12)) + 9 * 3600;
        if (t >= to)
            break;
        if (t < from)
            continue;
        for (size_t i = 0; i < sizeof black_bodies / sizeof *black_bodies; i++) {
            uint64_t key = mn_key(black_bodies[i].code), mk = (uint64_t)(y * 12 + m);
            for (int p = 1; p <= 3; p++) {
                char point[16];
                snprintf(point, sizeof point, "P%d", p);
                double g[4];
                for (int k = 0; k < 4; k++)
                    g[k] = gauss(key, mk, 60 + (uint64_t)(p * 4 + k));
                bo_sample_row r = {.body = black_bodies[i].code,
                                   .point = point,
                                   .seq = p,
                                   .ts_utc = t,
                                   .sd_milli = llround((45 + 3 * g[0]) * 1000),
                                   .do_milli = llround((4.8 + 0.4 * g[1]) * 1000),
                                   .orp_milli = llround((110 + 16 * g[2]) * 1000),
                                   .nh3n_milli = llround((2.0 + 0.3 * g[3]) * 1000),
                                   .depth_milli = 80000};
                if (bo_sample_put(s, &r, err, errcap) < 0)
                    return -1;
                ++*n;
            }
        }
    }
    return 0;
}

/* The laboratory side of the demo (dust-fall jars, flows, water samples) in one
 * transaction: all of it or, on a failure, none. */
static int history_lab(store *s, int64_t from, int64_t to, sim_history_report *rep, char *err,
                       size_t errcap)
{
    if (store_begin(s, err, errcap) < 0)
        return -1;
    if (history_dustfall(s, from, to, &rep->dustfall, err, errcap) < 0 ||
        history_flows(s, from, to, &rep->flow_days, err, errcap) < 0 ||
        history_water(s, from, to, &rep->water_results, err, errcap) < 0 ||
        history_black(s, from, to, &rep->black_samplings, err, errcap) < 0 ||
        store_commit(s, err, errcap) < 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

int sim_history(const sim_history_config *c, sim_history_report *rep, char *err, size_t errcap)
{
    memset(rep, 0, sizeof *rep);
    sim_device *devs;
    size_t ndev;
    if (sim_devices_load(c->devices_csv, &devs, &ndev, err, errcap) < 0)
        return -1;
    if (sim_faults_apply(devs, ndev, c->faults, c->n_faults)) {
        snprintf(err, errcap, "--fault: an MN is not an outlet of %s", c->devices_csv);
        free(devs);
        return -1;
    }
    store *s = store_open(c->db, err, errcap);
    if (!s) {
        free(devs);
        return -1;
    }
    int rc = -1;
    ingest_opts io = {0};
    ingest *in = ingest_new(s, &io, err, errcap);
    int64_t *next = xcalloc(ndev ? ndev : 1, sizeof *next);
    ingest_item *items = xcalloc(BATCH, sizeof *items);
    ingest_item **ptrs = xcalloc(BATCH, sizeof *ptrs);
    char *frames = xmalloc((size_t)BATCH * FRAME_MAX);
    if (!in || ingest_load_devices(in, c->devices_csv, err, errcap) < 0)
        goto out;
    int64_t from = c->from_utc - c->from_utc % 3600, to = c->to_utc - c->to_utc % 3600;
    /* Continue where an earlier run stopped: the hour after each device's newest hour. */
    for (size_t i = 0; i < ndev; i++) {
        int64_t last;
        int r = store_key_last(s, devs[i].mn, "2061", to, &last, err, errcap);
        if (r < 0)
            goto out;
        next[i] = r == 1 && last + 3600 > from ? last + 3600 : from;
    }
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    size_t nb = 0;
    for (int64_t t = from; t < to; t += 3600) {
        for (size_t i = 0; i < ndev; i++) {
            /* The last hours of a history are complete: a demo that opens with a station
             * offline because of a drawn gap would show a fault the network does not have.
             * Gaps after that come from the real-time simulation as they would live. */
            if (t < next[i] || (t < to - GAP_FREE_S && sim_model_missing(&devs[i], t)) ||
                (devs[i].faults & (1u << SIM_FAULT_SILENT) && t >= to - SIM_SILENT_S))
                continue;
            char *buf = frames + nb * FRAME_MAX;
            /* QN: a virtual clock unique per (hour, device). */
            int fn =
                sim_frame_hour(&devs[i], t, 2061, t * 1000 + (int64_t)i, false, buf, FRAME_MAX);
            if (fn <= 12)
                continue;
            ingest_item *it = &items[nb];
            memset(it, 0, offsetof(ingest_item, reply));
            it->reply_n = 0;
            it->raw = buf;
            it->raw_n = (size_t)fn;
            it->seg = buf + 6;           /* "##" and the 4-digit length, then the data segment */
            it->seg_n = (size_t)fn - 12; /* ... then 4 CRC digits and CR LF */
            it->peer = "history";
            it->received_utc_ms = (t + 3600) * 1000 + 30000;
            ptrs[nb] = it;
            if (++nb == BATCH) {
                if (flush(in, items, ptrs, nb, now_ms, rep, err, errcap) < 0)
                    goto out;
                nb = 0;
            }
        }
    }
    if (nb && flush(in, items, ptrs, nb, now_ms, rep, err, errcap) < 0)
        goto out;
    if (history_lab(s, from, to, rep, err, errcap) < 0)
        goto out;
    rep->devices = ndev;
    rep->hours = (uint64_t)((to - from) / 3600);
    rc = 0;
out:
    free(frames);
    free(ptrs);
    free(items);
    free(next);
    if (in)
        ingest_free(in);
    store_close(s);
    free(devs);
    return rc;
}
