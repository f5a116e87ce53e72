/* envwatch aqi: the AQI (HJ 633) of concentrations given on the command line.
 *
 *   envwatch aqi [--hourly|--daily] [--rules 2012|2026] NAME=VALUE... [--json]
 *
 * Names are those of the national dataset (see aqi_item_parse); values are exact decimals in
 * µg/m³ (CO in mg/m³). Without --rules the edition in force today (Beijing time) is used, and
 * every output names the edition that produced it. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bjtime.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "standards/aqi.h"
#include "standards/edition.h"

static void usage(FILE *out)
{
    fputs("usage: envwatch aqi [--hourly|--daily] [--rules 2012|2026] NAME=VALUE... [--json]\n"
          "\n"
          "AQI, IAQI, primary pollutant, level, category and colour (HJ 633) of single\n"
          "concentrations. Values in µg/m³, CO in mg/m³, exact decimals (at most 3 places).\n"
          "\n"
          "  --daily        daily report (default): SO2 NO2 PM10 CO PM2.5 are daily means,\n"
          "                 O3 the daily max 1-h value (2012 rules only), O3_8h the daily max\n"
          "                 8-h value; the suffix _24h is accepted (PM2.5_24h = PM2.5)\n"
          "  --hourly       real-time report: plain names and the _1h suffix are 1-h values;\n"
          "                 SO2_24h (used by the 2012 rules when SO2 > 800), PM10_24h,\n"
          "                 PM2.5_24h, NO2_24h, CO_24h and O3_8h are scored but not in the AQI\n"
          "  --rules 2012   HJ 633-2012 (in force until 2026-02-28)\n"
          "  --rules 2026   HJ 633-2026 (in force from 2026-03-01)\n"
          "                 default: the edition in force today (Beijing time)\n"
          "  --json         one JSON object: rules, aqi, level, category, primary, iaqi, ...\n"
          "\n"
          "An AQI above the table's top breakpoint is shown as \">500\".\n"
          "Exit status: 0 done, 2 bad input (unknown name, negative or non-numeric value).\n"
          "\n"
          "example: envwatch aqi --rules 2026 PM2.5=82 PM10=128 NO2=45 SO2=12 CO=1.3 O3_8h=168\n",
          out);
}

typedef struct given {
    const char *name; /* borrowed from argv, up to '=' */
    size_t name_len;
} given;

#define usage_error(...) cli_usage_error("aqi", __VA_ARGS__)

/* An IAQI / AQI as JSON: integer, ">500", or null. */
static json_t *index_json(int v)
{
    if (v == AQI_BEYOND_SCALE)
        return json_string(">500");
    if (v < 0)
        return json_null();
    return json_integer(v);
}

static void index_text(int v, char *buf, size_t cap)
{
    if (v == AQI_BEYOND_SCALE)
        snprintf(buf, cap, ">500");
    else if (v < 0)
        snprintf(buf, cap, "NA");
    else
        snprintf(buf, cap, "%d", v);
}

static json_t *pollutant_list(unsigned set)
{
    json_t *a = json_array();
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        if (set & (1u << p))
            json_array_append_new(a, json_string(aqi_pollutant_name((aqi_pollutant)p)));
    return a;
}

static void pollutant_text(unsigned set, bool zh, FILE *out)
{
    const char *sep = "";
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
        if (set & (1u << p)) {
            if (zh)
                fprintf(out, "%s%s %s", sep, aqi_pollutant_name((aqi_pollutant)p),
                        aqi_pollutant_name_zh((aqi_pollutant)p));
            else
                fprintf(out, "%s%s", sep, aqi_pollutant_name((aqi_pollutant)p));
            sep = ", ";
        }
    }
    if (!*sep)
        fputs("none", out);
}

/* A concentration as a JSON number: integer when whole, else the exact decimal. */
static json_t *conc_json(int64_t milli)
{
    if (milli % 1000 == 0)
        return json_integer(milli / 1000);
    char buf[32];
    ew_format_milli(milli, buf, sizeof buf);
    return json_real(strtod(buf, NULL));
}

static int print_json(const aqi_result *r, const char *rules_source, const given *by_item)
{
    json_t *o = json_object();
    json_object_set_new(o, "rules", json_string(ew_edition_name(r->rules)));
    json_object_set_new(o, "standard", json_string(ew_edition_aqi_standard(r->rules)));
    json_object_set_new(o, "rules_source", json_string(rules_source));
    json_object_set_new(o, "report", json_string(r->period == AQI_DAILY ? "daily" : "hourly"));
    json_object_set_new(o, "aqi", index_json(r->aqi));
    json_object_set_new(o, "beyond_scale", json_boolean(r->aqi == AQI_BEYOND_SCALE));
    const aqi_level_info *l = aqi_level_info_of(r->level);
    json_object_set_new(o, "level", l ? json_integer(l->level) : json_null());
    json_object_set_new(o, "level_zh", l ? json_string(l->level_zh) : json_null());
    json_object_set_new(o, "category", l ? json_string(l->category_zh) : json_null());
    json_object_set_new(o, "category_en", l ? json_string(l->category_en) : json_null());
    json_object_set_new(o, "colour", l ? json_string(l->rgb_hex) : json_null());
    json_object_set_new(o, "colour_zh", l ? json_string(l->colour_zh) : json_null());
    json_object_set_new(o, "primary", pollutant_list(r->primary));
    if (r->rules == AQI_RULES_2012) /* 超标污染物 exists only in HJ 633—2012 */
        json_object_set_new(o, "exceeding", pollutant_list(r->exceeding));
    json_object_set_new(o, "missing", pollutant_list(r->missing));
    json_object_set_new(o, "publishable", json_boolean(r->publishable));

    json_t *iaqi = json_object(), *conc = json_object(), *ignored = json_array();
    for (int i = 0; i < AQI_ITEM_COUNT; i++) {
        if (!by_item[i].name)
            continue;
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)by_item[i].name_len, by_item[i].name);
        json_object_set_new(iaqi, key, index_json(r->iaqi[i]));
        json_object_set_new(conc, key, conc_json(r->used_milli[i]));
        if (r->ignored & (1u << i))
            json_array_append_new(ignored, json_string(key));
    }
    json_object_set_new(o, "iaqi", iaqi);
    json_object_set_new(o, "concentrations", conc);
    json_object_set_new(o, "not_in_aqi", ignored);
    json_t *notes = json_array();
    if (r->notes & AQI_NOTE_SO2_1H_OVER_800)
        json_array_append_new(notes, json_string("SO2 1-h above 800"));
    if (r->notes & AQI_NOTE_O3_8H_OVER_800)
        json_array_append_new(notes, json_string("O3 8-h above 800"));
    if (r->notes & AQI_NOTE_BEYOND_SCALE)
        json_array_append_new(notes, json_string("beyond the IAQI scale"));
    if (r->notes & AQI_NOTE_INPUT_ROUNDED)
        json_array_append_new(notes, json_string("inputs rounded per GB/T 8170"));
    json_object_set_new(o, "notes", notes);

    int rc = json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
    fputc('\n', stdout);
    json_decref(o);
    return rc == 0 ? EW_EXIT_OK : EW_EXIT_RUNTIME;
}

static int print_text(const aqi_result *r, const char *rules_source, const given *by_item)
{
    char buf[16];
    index_text(r->aqi, buf, sizeof buf);
    const aqi_level_info *l = aqi_level_info_of(r->level);
    if (l)
        printf("AQI %s  %s (level %s)  %s %s  %s %s\n", buf, l->level_zh, l->level_roman,
               l->category_zh, l->category_en, l->colour_zh, l->rgb_hex);
    else
        printf("AQI NA (no pollutant could be scored)\n");
    printf("rules: %s, %s report (%s)\n", ew_edition_aqi_standard(r->rules),
           r->period == AQI_DAILY ? "daily" : "hourly", rules_source);
    printf("首要污染物 primary pollutant: ");
    pollutant_text(r->primary, true, stdout);
    putchar('\n');
    if (r->rules == AQI_RULES_2012) {
        printf("超标污染物 exceeding (IAQI > 100): ");
        pollutant_text(r->exceeding, false, stdout);
        putchar('\n');
    }
    if (r->missing) {
        printf("missing: ");
        pollutant_text(r->missing, false, stdout);
        printf(r->publishable ? "\n" : " (AQI not publishable: HJ 633-2026 §5.3.1)\n");
    }
    for (int i = 0; i < AQI_ITEM_COUNT; i++) {
        if (!by_item[i].name)
            continue;
        char c[32];
        ew_format_milli(r->used_milli[i], c, sizeof c);
        index_text(r->iaqi[i], buf, sizeof buf);
        printf("  %-10.*s %10s %-5s IAQI %s%s\n", (int)by_item[i].name_len, by_item[i].name, c,
               aqi_item_is_mg((aqi_item)i) ? "mg/m3" : "ug/m3", buf,
               (r->ignored & (1u << i)) ? "  (not in this report's AQI)" : "");
    }
    if (r->notes & AQI_NOTE_SO2_1H_OVER_800)
        printf("note: SO2 1-h above 800: %s\n", r->rules == AQI_RULES_2012
                                                    ? "scored from SO2_24h (HJ 633-2012)"
                                                    : "IAQI 200 (HJ 633-2026)");
    if (r->notes & AQI_NOTE_O3_8H_OVER_800)
        printf("note: O3 8-h above 800: %s\n", r->rules == AQI_RULES_2012
                                                   ? "scored from O3 1-h (HJ 633-2012)"
                                                   : "IAQI 300 (HJ 633-2026)");
    if (r->notes & AQI_NOTE_INPUT_ROUNDED)
        printf("note: inputs rounded per GB/T 8170 (HJ 633-2026 §4.2.2)\n");
    return EW_EXIT_OK;
}

int cmd_aqi(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EW_EXIT_OK;
    }
    aqi_period period = AQI_DAILY;
    bool json = false, have_rules = false;
    aqi_rules rules = AQI_RULES_2026;
    int first_value = 0, nvalues = 0;
    int period_flags = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--daily") || !strcmp(a, "--hourly")) {
            period = a[2] == 'd' ? AQI_DAILY : AQI_HOURLY;
            period_flags++;
        } else if (!strcmp(a, "--rules") || !strncmp(a, "--rules=", 8)) {
            const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return usage_error("--rules needs 2012 or 2026");
            if (ew_edition_parse(v, strlen(v), &rules) != 0)
                return usage_error("--rules: '%s' is not an edition (2012 or 2026)", v);
            have_rules = true;
        } else if (a[0] == '-' && a[1] == '-') {
            return usage_error("unknown option '%s' (see --help)", a);
        } else {
            if (!first_value)
                first_value = i;
            nvalues++;
        }
    }
    if (period_flags > 1)
        return usage_error("give at most one of --hourly and --daily");
    if (nvalues == 0) {
        usage(stderr);
        return EW_EXIT_USAGE;
    }

    char rules_source[64];
    if (have_rules) {
        snprintf(rules_source, sizeof rules_source, "chosen by --rules");
    } else {
        /* The edition in force today, Beijing time. */
        ew_civil today;
        ew_utc_to_bj(ew_now_utc(), &today); /* the pinned clock, as every command */
        rules = aqi_rules_in_force(today.year, today.mon, today.day);
        snprintf(rules_source, sizeof rules_source, "in force on %04d-%02d-%02d", today.year,
                 today.mon, today.day);
    }

    aqi_input in;
    aqi_input_init(&in);
    given by_item[AQI_ITEM_COUNT];
    memset(by_item, 0, sizeof by_item);
    for (int i = first_value; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') {
            if (!strcmp(a, "--rules"))
                i++;
            continue;
        }
        const char *eq = strchr(a, '=');
        if (!eq)
            return usage_error("'%s' is not NAME=VALUE", a);
        size_t nl = (size_t)(eq - a);
        aqi_item it;
        if (aqi_item_parse(period, a, nl, &it) != 0) {
            if (period == AQI_DAILY && aqi_item_parse(AQI_HOURLY, a, nl, &it) == 0)
                return usage_error("'%.*s' is a 1-h value: use --hourly", (int)nl, a);
            return usage_error("unknown name '%.*s' (names: SO2 NO2 PM10 CO O3 O3_8h PM2.5, "
                               "see --help)",
                               (int)nl, a);
        }
        if (by_item[it].name)
            return usage_error("'%.*s' given twice (or under two names)", (int)nl, a);
        int64_t milli;
        const char *v = eq + 1;
        if (ew_parse_milli(v, strlen(v), &milli) != 0)
            return usage_error("%.*s: '%s' is not a decimal number (at most 3 decimal places)",
                               (int)nl, a, v);
        if (milli < 0)
            return usage_error("%.*s: negative concentration '%s'", (int)nl, a, v);
        in.milli[it] = milli;
        by_item[it] = (given){a, nl};
    }

    aqi_result r;
    aqi_item bad = AQI_ITEM_COUNT;
    int rc = aqi_compute(rules, period, &in, &r, &bad);
    if (rc != 0) {
        fprintf(stderr, "envwatch aqi: %s: invalid value\n",
                bad < AQI_ITEM_COUNT ? aqi_item_name(bad) : "input");
        return EW_EXIT_USAGE;
    }
    return json ? print_json(&r, rules_source, by_item) : print_text(&r, rules_source, by_item);
}
